"""The values of fields for all the officials of an evaluation, computed a whole column at a time.

Evaluating a pack reads the same fields of every official. Computing them a field at a time lets the
attribute fields run as C loops (:func:`operator.attrgetter` mapped over the officials), the built-in date
fields as their column functions (:attr:`FieldSpec.column`), and the derived fields that declare what they
read (:attr:`FieldSpec.reads`: ``age`` reads ``birth_date``) be computed once per distinct combination of
those attributes, the others looked up (officials share birth dates, start dates, posts and ratings): from the
distinct values themselves where the field has a function of them (:attr:`FieldSpec.from_reads`: no record
or context made), else for the first official of each.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import enriched
from ..model._context import officials_of
from ..model._distinct import first_positions
from ..model._model import Official
from ..model._table import OfficialTable
from ..model._table import column_of
from ..model._types import Natural
from ..packs._catalogue import FieldSpec

__all__ = ["Columns", "Shared"]

Column = list[Natural | None]
T = TypeVar("T")


class Columns:
    """The values of ``fields`` for official contexts: one list per field, in order, as of ``calendar``."""

    __slots__ = ("_fields", "_makers", "names")

    def __init__(self, fields: Sequence[FieldSpec], calendar: Calendar) -> None:
        self.names = tuple(f.name for f in fields)
        self._fields = tuple(fields)
        self._makers = [_maker(f, calendar) for f in fields]

    def __call__(self, contexts: Sequence[OfficialContext], officials: Sequence[Official] | None = None,
                 shared: Shared | None = None) -> list[Column]:
        """The columns of ``contexts`` (``officials``: their officials, if the caller has them; ``shared``:
        what the packs of the evaluation share)."""
        if officials is None:
            officials = officials_of(contexts) if shared is None else shared.officials(contexts)
        if shared is None:
            groups: _Groups = {}
            return [make(contexts, officials, groups) for make in self._makers]
        kept = shared.of(contexts)
        groups = kept.setdefault("groups", {})
        # the columns of the fields other packs read too, by the field's identity
        common: dict[int, Column] = kept.setdefault("columns", {})
        out = []
        for spec, make in zip(self._fields, self._makers, strict=True):
            column = common.get(id(spec))
            if column is None:
                column = make(contexts, officials, groups)
                if id(spec) in shared.common:
                    common[id(spec)] = column
            out.append(column)
        return out


class Shared:
    """What the packs evaluated on one date share, per list of official contexts (the packs of one rating
    look-back and scope): the officials, their ids and unit codes, the officials grouped by what derived fields
    read (:class:`Columns`), the officials of each unit, and the columns of the fields that more than one pack
    reads (``common``: the same field object, not a field of the same name — each pack's ``is_key`` reads its own
    key posts; the others are not kept: keeping every pack's columns to the end would hold tens of MB at 100,000
    officials). Each is a list (or dict) of pointers per official."""

    __slots__ = ("_common", "_of", "common")

    def __init__(self, common: Iterable[FieldSpec] = ()) -> None:
        #: the fields whose columns are kept for the other packs that read them (held: their ids stay theirs)
        self._common = tuple(common)
        self.common = frozenset(map(id, self._common))
        #: id of a list of contexts → the list (held, so that the id stays its) and what is kept of it
        self._of: dict[int, tuple[Sequence[OfficialContext], dict[str, Any]]] = {}

    def of(self, contexts: Sequence[OfficialContext]) -> dict[str, Any]:
        """What is kept of ``contexts``, by name."""
        entry = self._of.get(id(contexts))
        if entry is None or entry[0] is not contexts:
            entry = self._of[id(contexts)] = (contexts, {})
        return entry[1]

    def officials(self, contexts: Sequence[OfficialContext]) -> Sequence[Official]:
        """The officials of ``contexts``."""
        kept = self.of(contexts)
        if "officials" not in kept:
            kept["officials"] = officials_of(contexts)
        found: Sequence[Official] = kept["officials"]
        return found

    def units(self, contexts: Sequence[OfficialContext]) -> Sequence[str]:
        """The unit codes of the officials of ``contexts``."""
        return self.column(contexts, "units", _unit_codes)

    def column(self, contexts: Sequence[OfficialContext], name: str, make: Callable[[Sequence[Official]], T]) -> T:
        """The column ``name`` of ``contexts`` (or a mapping by unit): ``make(officials)``, made once."""
        kept = self.of(contexts)
        if name not in kept:
            kept[name] = make(self.officials(contexts))
        found: T = kept[name]
        return found


def _unit_codes(officials: Sequence[Official]) -> Sequence[str]:
    return column_of(officials, "unit")


#: The officials grouped by what derived fields read, per attributes read: :func:`first_positions` of the
#: attributes' values (each the one attribute's value, or a tuple of them) and the distinct values, in the order
#: of their first positions (``None``: not hashable).
_Groups = dict[tuple[str, ...], tuple[list[int], list[int], list[Any]] | None]
_Maker = Callable[[Sequence[OfficialContext], Sequence[Official], _Groups], Column]


def _read(officials: Sequence[Official], names: tuple[str, ...]) -> list[Any]:
    """What ``operator.attrgetter(*names)`` reads of each official: the value of the one field, else a tuple."""
    if len(names) == 1:
        return list(column_of(officials, names[0]))
    return list(zip(*(column_of(officials, name) for name in names), strict=True))


def _grouped(officials: Sequence[Official], reads: tuple[str, ...], groups: _Groups
             ) -> tuple[list[int], list[int], list[Any]] | None:
    """The officials grouped by the values of ``reads`` (shared by the fields that read the same)."""
    if reads in groups:
        return groups[reads]
    values = _read(officials, reads)
    try:
        firsts, distinct = first_positions(values)
    except TypeError:  # an unhashable attribute (a list where a tuple belongs): no sharing
        group = groups[reads] = None
    else:
        group = groups[reads] = (firsts, distinct, list(map(values.__getitem__, distinct)))
    return group


def _maker(spec: FieldSpec, calendar: Calendar) -> _Maker:
    if spec.column is not None:  # a built-in date field: computed for all at once
        compute = spec.column(calendar)
        if spec.unenriched:  # (a column of the records alone: officials that plugins enrich one by one)
            each = _each(spec.get)
            return lambda contexts, officials, keys: \
                each(contexts, officials, keys) if enriched(contexts) else compute(officials)
        return lambda contexts, officials, keys: compute(officials)
    if spec.path is not None:  # an attribute: a C loop
        root, _, name = spec.path.partition(".")
        if root == "official" and name and "." not in name:
            return lambda contexts, officials, keys: column_of(officials, name)  # type: ignore[return-value]
        path = operator.attrgetter(spec.path)
        return lambda contexts, officials, keys: list(map(path, contexts))
    get = spec.get
    if spec.reads is None:  # undeclared: computed for each official
        return _each(get)
    reads = spec.reads
    of_values = None if spec.from_reads is None else spec.from_reads(calendar)

    def column(contexts: Sequence[OfficialContext], officials: Sequence[Official], groups: _Groups) -> Column:
        group = _grouped(officials, reads, groups)
        if group is None:
            return list(map(get, contexts))
        # computed once per distinct values read (from the values, or for the first official of each), looked up
        # for the others
        firsts, distinct, values = group
        if of_values is not None:
            table = dict(zip(distinct, of_values(values), strict=True))
        else:
            table = {i: get(contexts[i]) for i in distinct}
        return list(map(table.__getitem__, firsts))

    return column


def _each(get: Callable[[OfficialContext], Natural | None]) -> _Maker:
    """The column of a field computed for each official by ``get`` (the records made at once first)."""

    def each(contexts: Sequence[OfficialContext], officials: Sequence[Official], keys: _Groups) -> Column:
        if type(officials) is OfficialTable:
            officials.make_all()
        return list(map(get, contexts))

    return each
