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
from typing import Any

from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._memo import remember
from ..model._model import Official
from ..model._types import Natural
from ..packs._catalogue import FieldSpec

__all__ = ["Columns"]

Column = list[Natural | None]


class Columns:
    """The values of ``fields`` for a batch of official contexts: one list per field, in order.

    One :class:`Columns` serves one evaluation (one as-of date): it remembers the values of derived
    fields per combination of what they read, so that later batches look them up.
    """

    __slots__ = ("_makers", "names")

    def __init__(self, fields: Sequence[FieldSpec], calendar: Calendar) -> None:
        self.names = tuple(f.name for f in fields)
        self._makers = [_maker(f, calendar) for f in fields]

    def __call__(self, contexts: Sequence[OfficialContext],
                 officials: Sequence[Official] | None = None) -> list[Column]:
        """The columns of ``contexts`` (``officials``: their officials, if the caller has them)."""
        if officials is None:
            officials = [ctx.official for ctx in contexts]
        keys: dict[tuple[str, ...], list[Any]] = {}  # what derived fields read, per official: shared
        return [make(contexts, officials, keys) for make in self._makers]


_Maker = Callable[[Sequence[OfficialContext], Sequence[Official], dict[tuple[str, ...], list[Any]]], Column]


def _maker(spec: FieldSpec, calendar: Calendar) -> _Maker:
    if spec.column is not None:  # a built-in date field: computed for all at once
        column_of = spec.column(calendar)
        return lambda contexts, officials, keys: column_of(officials)
    if spec.path is not None:  # an attribute: a C loop
        root, _, name = spec.path.partition(".")
        if root == "official" and name and "." not in name:
            attribute = operator.attrgetter(name)
            return lambda contexts, officials, keys: list(map(attribute, officials))
        path = operator.attrgetter(spec.path)
        return lambda contexts, officials, keys: list(map(path, contexts))
    get = spec.get
    if spec.reads is None:  # undeclared: computed for each official
        return lambda contexts, officials, keys: list(map(get, contexts))
    reads = spec.reads
    read = operator.attrgetter(*reads)
    known: dict[Any, Natural | None] = {}

    def column(contexts: Sequence[OfficialContext], officials: Sequence[Official],
               keys: dict[tuple[str, ...], list[Any]]) -> Column:
        batch = keys.get(reads)
        if batch is None:
            batch = keys[reads] = list(map(read, officials))
        def compute(i: int) -> Natural | None:  # the first official of a combination not seen yet
            value = known[batch[i]] = get(contexts[i])
            return value

        try:
            return remember(known, batch, compute)
        except TypeError:  # an unhashable attribute (a list where a tuple belongs): no sharing
            return list(map(get, contexts))

    return column
