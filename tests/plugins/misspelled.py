"""A plugin with a misspelled hook: ``cadre_rules_register_pack`` (no ``s``)."""

from __future__ import annotations

from cadre_rules import hookimpl
from cadre_rules.hookspecs import PackRegistrar


@hookimpl
def cadre_rules_register_pack(register: PackRegistrar) -> None:
    raise AssertionError("never called: the hook does not exist")
