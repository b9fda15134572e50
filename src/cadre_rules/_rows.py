"""The values of an official's fields, computed by one function generated per list of fields.

Evaluating a pack reads the same fields of every official. A dict comprehension over getters
calls one function per field; the generated function reads plain attributes in place
(``official.education``) and calls only the getters of derived fields. Its source holds nothing
but checked attribute paths, ``repr()`` of field names and generated local names, the technique
of :func:`collections.namedtuple` and of attrs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from ._catalogue import FieldSpec
from ._types import Natural

__all__ = ["values_function"]

_PATH = re.compile(r"(official|unit)\.[a-z_][a-z0-9_]*")

Values = Callable[[Any], dict[str, Natural | None]]


def values_function(fields: Sequence[FieldSpec]) -> Values:
    """A function of a context returning ``{field.name: field.get(context)}`` for ``fields``."""
    namespace: dict[str, Any] = {}
    items = []
    roots: set[str] = set()
    for i, spec in enumerate(fields):
        if spec.path is not None and _PATH.fullmatch(spec.path):
            roots.add(spec.path.partition(".")[0])
            items.append(f"{spec.name!r}: {spec.path}")
        else:
            namespace[f"_get{i}"] = spec.get
            items.append(f"{spec.name!r}: _get{i}(ctx)")
    lines = ["def values(ctx):", *(f"    {root} = ctx.{root}" for root in sorted(roots)),
             "    return {" + ", ".join(items) + "}"]
    exec(compile("\n".join(lines) + "\n", "<cadre_rules values>", "exec"), namespace)
    function: Values = namespace["values"]
    return function
