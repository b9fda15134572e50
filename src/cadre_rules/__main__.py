"""``python -m cadre_rules``: the ``cadre-rules`` command."""

from ._cli import main

main()
