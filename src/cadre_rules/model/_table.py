"""Officials held as columns, as a reader parses them: the record of an official made only when it is asked for.

A reader parses a file a column at a time (one list of values per field of :class:`Official`); an evaluation
reads the officials a column at a time too (:func:`column_of`). Between the two the columns stay as they are:
the record of an official is made when one is asked for by position (a few thousand of 100,000 in an
evaluation: those whose derived fields are computed one by one), all of them at once only when the table is
iterated.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from itertools import compress
from itertools import repeat
from typing import Any
from typing import overload

import attrs

from ..errors import InputError
from ..errors import Problem
from ._model import Official
from ._model import _slot_setters as slot_setters
from ._model import make_records

__all__ = ["OfficialTable", "column_of", "taken"]

#: The fields of an official, in order.
_FIELDS = tuple(field.name for field in attrs.fields(Official))


class OfficialTable(Sequence[Official]):
    """Officials as columns: a read-only sequence of :class:`Official` whose records are made when asked for.

    The readers (:meth:`Engine.read <cadre_rules.Engine.read>`) make one of the columns they parsed and checked
    (:meth:`parsed`). Made by hand, ``OfficialTable(columns, count)`` takes one list of ``count`` values per field
    of :class:`Official` (by field name, in the fields' order) and makes every record as ``Official(...)`` does:
    values converted and checked, every wrong one an :class:`~cadre_rules.InputError` located by row (1 the first)
    and field. A table taken from another (:meth:`take`) holds the positions of its rows in that table's columns,
    and shares its columns and records.
    """

    __slots__ = ("_columns", "_made", "_positions", "_read_notes", "_root", "_taken")
    _columns: dict[str, Sequence[Any]]
    #: the rows of the columns that are this table's (``None``: all of them, in order)
    _positions: list[int] | None
    #: the table this one was taken from (``None``: this one; never itself, a cycle would keep the records)
    _root: OfficialTable | None
    #: the records made so far, by row of the columns (``None``: not made)
    _made: list[Official | None]
    #: the columns of a taken table, made when asked for
    _taken: dict[str, list[Any]]
    #: how the files it was read from were read (:attr:`read_notes`)
    _read_notes: tuple[Problem, ...]

    def __init__(self, columns: Mapping[str, Sequence[Any]], count: int) -> None:
        self._hold(columns, count)
        records: list[Official] = []
        problems: list[Problem] = []
        for row, values in enumerate(zip(*self._columns.values(), strict=True), 1):
            try:
                records.append(Official(*values))
            except InputError as exc:
                problems.extend(attrs.evolve(p, file="<officials>", row=row) for p in exc.problems)
        if problems:
            raise InputError(problems)
        self._columns = {name: list(map(operator.attrgetter(name), records)) for name in _FIELDS}
        self._made = [*records]

    @classmethod
    def parsed(cls, columns: Mapping[str, Sequence[Any]], count: int) -> OfficialTable:
        """The table of columns a reader parsed and checked, as they are (their records made without their checks,
        when asked for, as :func:`make_records` makes them)."""
        table = cls.__new__(cls)
        table._hold(columns, count)
        return table

    def _hold(self, columns: Mapping[str, Sequence[Any]], count: int) -> None:
        if tuple(columns) != _FIELDS:
            raise TypeError(f"OfficialTable: columns {tuple(columns)}, not the fields of Official {_FIELDS}")
        for name, column in columns.items():
            if len(column) != count:
                raise ValueError(f"OfficialTable: column {name!r} has {len(column)} values for {count} officials")
        self._columns = dict(columns)
        self._positions = None
        self._root = None
        self._made = [None] * count
        self._taken = {}
        self._read_notes = ()

    def __len__(self) -> int:
        return len(self._made) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, index: int) -> Official: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Official, ...]: ...

    def __getitem__(self, index: int | slice) -> Official | tuple[Official, ...]:
        if isinstance(index, slice):
            return tuple(map(self.__getitem__, range(len(self))[index]))
        row = range(len(self))[index]  # (an IndexError out of range, negative positions from the end)
        if self._positions is not None:
            row = self._positions[row]
        root = self if self._root is None else self._root
        made = root._made[row]
        if made is None:
            made = root._made[row] = root._record(row)
        return made

    def __iter__(self) -> Iterator[Official]:
        made = self.make_all()
        return iter(made) if self._positions is None else map(made.__getitem__, self._positions)

    def make_all(self) -> list[Official]:
        """The records of all the officials of the table this one was taken from, made now if not yet: at once
        (C loops, :func:`make_records`; a third of the time of making them one by one), those made before kept
        as they are. For who is about to ask for most of them."""
        root = self if self._root is None else self._root
        if None in root._made:
            records: list[Official | None] = [*make_records(Official, len(root._made),
                                                            [root._columns[name] for name in _FIELDS])]
            for row in compress(range(len(records)), map(operator.is_not, root._made, repeat(None))):
                records[row] = root._made[row]
            root._made = records
        return root._made  # type: ignore[return-value]  # (every one made)

    def __eq__(self, other: object) -> bool:
        """Equal to a table or a tuple of the same officials, in the same order (as the tuple it stands for)."""
        if isinstance(other, OfficialTable):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: object) -> tuple[Official, ...]:
        """``tuple(self) + other`` (as the tuple it stands for), for a tuple or a table."""
        if isinstance(other, (tuple, OfficialTable)):
            return (*self, *other)
        return NotImplemented

    def __radd__(self, other: object) -> tuple[Official, ...]:
        if isinstance(other, tuple):
            return (*other, *self)
        return NotImplemented

    def __repr__(self) -> str:
        return f"<OfficialTable of {len(self)} officials>"

    def column(self, name: str) -> Sequence[Any]:
        """The values of the field ``name`` of these officials, in order (read-only: the table's own list)."""
        if self._positions is None:
            return self._columns[name]
        found = self._taken.get(name)
        if found is None:
            found = self._taken[name] = list(map(self._columns[name].__getitem__, self._positions))
        return found

    def take(self, positions: Sequence[int]) -> OfficialTable:
        """The officials at ``positions`` (of this table), in that order: a table sharing these columns and
        records."""
        table = OfficialTable.__new__(OfficialTable)
        table._columns = self._columns
        table._root = self if self._root is None else self._root
        table._positions = list(positions) if self._positions is None else \
            list(map(self._positions.__getitem__, positions))
        table._taken = {}
        table._read_notes = ()
        return table

    @property
    def read_notes(self) -> tuple[Problem, ...]:
        """How the files these officials were read from were read, when otherwise than as written (rows left out,
        hidden rows read, ids made…): the located notes of :meth:`Engine.read <cadre_rules.Engine.read>`, of the
        units file, then of the officials file, as warned (:class:`~cadre_rules.InputNote`); a report of these
        officials says them among its notes. Empty for a table made otherwise (records given in memory, a table
        taken from another).

        .. versionadded:: 0.2.0
        """
        return self._read_notes

    def with_read_notes(self, notes: Sequence[Problem]) -> OfficialTable:
        """The same officials (a table sharing these columns and records) with ``notes`` as :attr:`read_notes`."""
        table = OfficialTable.__new__(OfficialTable)
        table._columns = self._columns
        table._root = self if self._root is None else self._root  # (its records made once, in the root's list)
        table._positions = self._positions
        table._made = self._made  # (its length, when the table is the whole root's)
        table._taken = self._taken
        table._read_notes = tuple(notes)
        return table

    def _record(self, row: int) -> Official:
        record: Official = object.__new__(Official)
        for set_slot, name in zip(slot_setters(Official), _FIELDS, strict=True):
            set_slot(record, self._columns[name][row])
        return record


def column_of(officials: Sequence[Official], name: str) -> Sequence[Any]:
    """The values of the field ``name`` of ``officials``, in order: a table's column as it is, else read from
    each record (read-only)."""
    if type(officials) is OfficialTable:
        return officials.column(name)
    return list(map(operator.attrgetter(name), officials))


def taken(officials: Sequence[Official], positions: Sequence[int]) -> Sequence[Official]:
    """The officials at ``positions``, in that order: a table's :meth:`OfficialTable.take`, else a list."""
    if type(officials) is OfficialTable:
        return officials.take(positions)
    return list(map(officials.__getitem__, positions))
