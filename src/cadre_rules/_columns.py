"""The values of fields for a batch of officials, computed column by column.

Evaluating a pack reads the same fields of every official. Computing them a field at a time over
a batch lets the attribute fields run as C loops (:func:`operator.attrgetter` mapped over the
contexts), and the derived fields that declare what they read (:attr:`FieldSpec.reads`: ``age``
reads ``birth_date``) be computed once per distinct combination of those attributes, the others
being looked up (officials share birth dates, start dates, posts and ratings).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from ._catalogue import FieldSpec
from ._context import OfficialContext
from ._types import Natural

__all__ = ["Columns"]

Column = list[Natural | None]

_MISSING: Any = object()


class Columns:
    """The values of ``fields`` for a batch of official contexts: one list per field, in order.

    One :class:`Columns` serves one evaluation (one as-of date): it remembers the values of derived
    fields per combination of what they read, so that later batches look them up.
    """

    __slots__ = ("_makers", "names")

    def __init__(self, fields: Sequence[FieldSpec]) -> None:
        self.names = tuple(f.name for f in fields)
        self._makers = [_maker(f) for f in fields]

    def __call__(self, contexts: Sequence[OfficialContext]) -> list[Column]:
        return [make(contexts) for make in self._makers]


def _maker(spec: FieldSpec) -> Callable[[Sequence[OfficialContext]], Column]:
    if spec.path is not None:  # an attribute: a C loop
        path = operator.attrgetter(spec.path)
        return lambda contexts: list(map(path, contexts))
    get = spec.get
    if spec.reads is None:  # undeclared: computed for each official
        return lambda contexts: list(map(get, contexts))
    key = operator.attrgetter(*(f"official.{name}" for name in spec.reads))
    known: dict[Any, Natural | None] = {}

    def column(contexts: Sequence[OfficialContext]) -> Column:
        keys = list(map(key, contexts))
        try:
            values = list(map(known.get, keys, repeat(_MISSING)))
        except TypeError:  # an unhashable attribute (a list where a tuple belongs): no sharing
            return list(map(get, contexts))
        i = -1
        try:  # the first official of each new combination: its value computed (C scans between)
            while True:
                i = values.index(_MISSING, i + 1)
                k = keys[i]
                value = known.get(k, _MISSING)
                if value is _MISSING:
                    value = known[k] = get(contexts[i])
                values[i] = value
        except ValueError:
            pass
        return values

    return column
