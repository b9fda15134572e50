"""Officials' outcomes carried from one run of a program to the next (the steps of a projection).

What the conditions of a program make for an official (the tallies and quota populations it counts in)
is decided by the values of the fields the conditions read. A field that is an attribute of the record
(``official.position``, ``unit.kind``) has the same value on every date; any other field (``age``,
``months_to_retirement``, ``on_secondment``, the current rating, a plugin's value…) may change with the
date. An official whose record is the same object as on the previous run and whose date-dependent fields
are in the same *classes* (:class:`~cadre_rules.engine._classes.Classifier`: on the same side of every literal
the conditions compare them with — an age of 34 and one of 35 apart, 36 and 50 alike) satisfies the same
conditions: the outcome of the previous run is carried over. Only the others are decided again: a 35th
birthday, months to retirement crossing 12, a rating leaving the look-back window, a record a plan event
changed, an official not there before.

Only the records' identities and the classes are compared: nothing here decides a condition.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable
from collections.abc import Sequence
from itertools import compress
from itertools import repeat
from typing import Any
from typing import Generic
from typing import TypeVar

from ..model._context import Calendar
from ..model._context import OfficialContext
from ..packs._catalogue import FieldSpec
from ..packs._program import Program
from ._classes import field_literals
from ._columns import Columns

__all__ = ["Carry", "dated_fields"]

T = TypeVar("T")

_OFFICIAL = operator.attrgetter("official")
_UNIT = operator.attrgetter("unit")
#: The key of an official not seen on the last run: equal to no key.
_UNSEEN = object()


def dated_fields(program: Program) -> list[FieldSpec]:
    """The fields of officials the conditions of ``program`` read that may change with the date: all but
    the attributes of the record and its unit and the fields declared :attr:`~FieldSpec.timeless`."""
    return [spec for spec in program.fields["o"] if spec.path is None and not spec.timeless]


Classify = Callable[[Sequence[Any]], Sequence[Any]]


def classifier(spec: FieldSpec, literals: Sequence[tuple[Any, str]]) -> Classify:
    """The classes of a column of values of ``spec`` (values of one class satisfy the same conditions).

    A number or date compared by order with literals ``L``: ``bisect_left(L, v) + bisect_right(L, v)``,
    twice the number of literals below ``v``, plus one if ``v`` is one of them (so a value equal to a
    literal, between two, or below all are apart); a missing value is class -1. Any other value (a code,
    a text, a boolean) is its own class."""
    if spec.type.kind not in ("int", "number", "date"):
        return _same
    try:
        points = sorted({value for value, _ in literals})
    except TypeError:  # (literals that do not compare: each value its own class)
        return _same
    left, right = bisect.bisect_left, bisect.bisect_right

    def classes(values: Sequence[Any]) -> Sequence[Any]:
        if None in values:  # (a missing value: class -1, apart even when there is no literal)
            return [-1 if v is None else left(points, v) + right(points, v) for v in values]
        return list(map(operator.add, map(left, repeat(points), values), map(right, repeat(points), values)))

    return classes


def _same(values: Sequence[Any]) -> Sequence[Any]:
    return values


class Carry(Generic[T]):
    """The outcome of each official on the last run of one program, carried to the next run.

    :meth:`outcomes` gives every official's outcome on a new date, calling ``decide`` only for the
    officials not seen on the last run (a new record) or whose date-dependent fields changed class.
    The records of the last run are held: the identities the outcomes are kept by stay theirs.
    """

    __slots__ = ("_classify", "_dated", "_index", "_keys", "_outcomes", "_records")

    def __init__(self, program: Program) -> None:
        literals = field_literals(program)
        self._dated = dated_fields(program)
        self._classify = [classifier(spec, literals.get(("o", spec.name), ())) for spec in self._dated]
        #: id of a record of the last run → its position in the lists below (each ends with an unseen one)
        self._index: dict[int, int] = {}
        self._keys: list[Any] = [_UNSEEN]
        self._outcomes: list[T | None] = [None]
        self._records: list[Any] = []

    def outcomes(self, contexts: Sequence[OfficialContext], calendar: Calendar,
                 decide: Callable[[Sequence[OfficialContext]], Sequence[T]]) -> tuple[list[T], set[str]]:
        """The outcome of each of ``contexts`` as of ``calendar``'s date (in their order): carried from
        the last run where it cannot have changed, else ``decide``\\ d (for those contexts, in order); and
        the codes of the units *touched* since the last run: those of the officials decided again and of
        the officials of the last run who are gone (in any other unit the same records have the same
        outcomes as on the last run)."""
        officials = list(map(_OFFICIAL, contexts))
        n = len(officials)
        ids = list(map(id, officials))
        columns = Columns(self._dated, calendar)(contexts, officials) if self._dated else []
        classes = [classify(column) for classify, column in zip(self._classify, columns, strict=True)]
        keys: list[Any] = [0] * n if not classes else list(classes[0]) if len(classes) == 1 else \
            list(zip(*classes, strict=True))
        where = list(map(self._index.get, ids, repeat(-1)))  # (-1: unseen)
        changed = list(compress(range(n), map(operator.ne, keys, map(self._keys.__getitem__, where))))
        outcomes: list[Any] = list(map(self._outcomes.__getitem__, where))
        if changed:
            for i, outcome in zip(changed, decide(list(map(contexts.__getitem__, changed))), strict=True):
                outcomes[i] = outcome
        touched = set(map(_UNIT, map(officials.__getitem__, changed)))
        gone = set(range(len(self._records))).difference(where)
        touched.update(map(_UNIT, map(self._records.__getitem__, gone)))
        self._index = dict(zip(ids, range(n), strict=True))
        self._keys = [*keys, _UNSEEN]
        self._outcomes = [*outcomes, None]
        self._records = officials
        return outcomes, touched
