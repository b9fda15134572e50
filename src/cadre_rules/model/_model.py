"""The input records: officials and units (attrs records, validated as the readers read), and
:func:`make_records`, which makes records a column at a time. The report's records are in
:mod:`cadre_rules.model._report_records`."""

from __future__ import annotations

import functools
import operator
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from itertools import islice
from itertools import repeat
from typing import Any
from typing import TypeVar

import attrs

from ..errors import InputError
from ._codes import CADRE_POSTS
from ._codes import CADRE_POSTS_2025
from ._codes import CIVIL_SERVANT_POSTS
from ._codes import CIVIL_SERVANT_POSTS_2025

__all__ = [
    "Official",
    "Unit",
    "default_category",
    "install_parsing",
    "make_records",
]


def default_category(position: str) -> str | None:
    """``cadre`` for cán bộ posts, ``civil_servant`` for công chức posts, ``None`` for ``other``."""
    if position in CADRE_POSTS or position in CADRE_POSTS_2025:
        return "cadre"
    if position in CIVIL_SERVANT_POSTS or position in CIVIL_SERVANT_POSTS_2025:
        return "civil_servant"
    return None


def _category_default(self: Official) -> str | None:
    return default_category(self.position)


#: The readers' parsing of records: ``coerce(kind, attribute, value)`` and ``record_of(kind, mapping)``,
#: installed by :mod:`cadre_rules.io._coerce` when the package is imported (that module imports the readers,
#: which make the records of this one: installed, not imported, so that the model imports no reader).
_PARSING: dict[str, Callable[..., Any]] = {}


def install_parsing(coerce: Callable[[str, str, Any], Any], record_of: Callable[[str, Mapping[str, object]], Any],
                    every_problem: Callable[[str, tuple[Any, ...], Mapping[str, Any]], Exception | None]) -> None:
    """Install the readers' parsing of the records' values (called once, by :mod:`cadre_rules.io._coerce`):
    ``every_problem(kind, args, kwargs)`` is the error of a record built with wrong values, every field's
    problem at once."""
    _PARSING["coerce"] = coerce
    _PARSING["record_of"] = record_of
    _PARSING["every_problem"] = every_problem


def _parsed(kind: str) -> Callable[[type, list[attrs.Attribute[Any]]], list[attrs.Attribute[Any]]]:
    """A field transformer giving every field of a record the converter that parses its value as the readers
    do (labels, spellings, dates…), raising :class:`~cadre_rules.errors.InputError` naming the field for a
    value they refuse. (The declared types are the parsed values'; the converters also take their text.)"""

    def convert(value: Any, field: attrs.Attribute[Any]) -> Any:
        return _PARSING["coerce"](kind, field.name, value)

    converter = attrs.Converter(convert, takes_field=True)

    def transform(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
        return [field.evolve(converter=converter) for field in fields]

    return transform


_R = TypeVar("_R")


def _every_problem_of(kind: str) -> Callable[[type[_R]], type[_R]]:
    """A record class whose ``__init__`` (attrs's: its converters raise at the first wrong value) raises, for
    wrong values, one :class:`~cadre_rules.errors.InputError` with the problem of every wrong field at once.
    A valid record costs one call more (the readers make theirs with :func:`make_records`)."""

    def wrap(cls: type[_R]) -> type[_R]:
        init = cls.__init__

        def __init__(self: _R, *args: Any, **kwargs: Any) -> None:
            try:
                init(self, *args, **kwargs)
            except InputError as first:  # (a converter's, at the first wrong value: every value is parsed again)
                raise (_PARSING["every_problem"](kind, args, kwargs) or first) from None

        functools.update_wrapper(__init__, init)
        setattr(cls, "__init__", __init__)  # noqa: B010 - (assigned, the type checkers keep attrs's signature)
        return cls

    return wrap


@_every_problem_of("official")
@attrs.frozen(slots=True, field_transformer=_parsed("official"))
class Official:
    """One commune-level official, as read from the input (DESIGN.md §3).

    ``ratings`` holds ``(year, rating)`` pairs sorted by year; ``discipline`` holds
    ``(date, form)`` pairs sorted by date; ``extra`` keeps unknown columns.

    Constructing one validates it: each value goes through the readers' parsing (a code or its
    Vietnamese label, a date or its text, ratings sorted by year…) and the values it refuses raise one
    :class:`~cadre_rules.errors.InputError` with a problem for each, all at once, naming the field (and the
    official's id: ``<Official id='A1'>, gender``), never a non-key official or a ``TypeError``; text
    fields (``id``, ``full_name``…) keep any ``str`` as given. :meth:`from_record` reads a mapping exactly
    as a file's row is read (text normalised too).
    ``None`` is *unknown* (an absent column or an empty cell), never "no": ``standing_committee``,
    ``in_planning``, ``general_education``, ``appointed_on``, ``low_confidence_share`` and ``is_local``;
    a rule that needs an unknown value does not decide, and the report counts it (``undecided``).
    """

    id: str
    full_name: str
    gender: str
    birth_date: date
    unit: str
    position: str
    education: str
    political_theory: str
    concurrent_positions: tuple[str, ...] = ()
    category: str | None = attrs.field(default=attrs.Factory(_category_default, takes_self=True))
    standing_committee: bool | None = None
    general_education: str | None = None
    field_of_study: str | None = None
    appointed_on: date | None = None
    in_planning: bool | None = None
    ratings: tuple[tuple[int, str], ...] = ()
    discipline: tuple[tuple[date, str], ...] = ()
    low_confidence_share: Fraction | None = None
    under_investigation: bool = False
    secondment_since: date | None = None
    is_local: bool | None = None
    #: The last day of the current secondment (``None``: not known, it runs on).
    secondment_until: date | None = None
    #: The last day of the current term of office in the post (``None``: not known); a projection takes
    #: the official out of the post from the day after (docs/project.md).
    term_ends: date | None = None
    extra: Mapping[str, str] = attrs.field(factory=dict, hash=False)

    @property
    def posts(self) -> tuple[str, ...]:
        """Posts held: the primary position followed by the concurrent ones."""
        if not self.concurrent_positions:
            return (self.position,)
        return (self.position, *(p for p in self.concurrent_positions if p != self.position))

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Official:
        """The official of one record: a mapping from column name (or Vietnamese header) to value, read
        exactly as a row of a file (:func:`cadre_rules.load_officials` reads many).

        :raises InputError: with every problem of the record, each naming its key.
        """
        official: Official = _PARSING["record_of"]("official", record)
        return official


@_every_problem_of("unit")
@attrs.frozen(slots=True, field_transformer=_parsed("unit"))
class Unit:
    """A commune-level unit (xã, phường, thị trấn). Constructing one validates it, as :class:`Official`."""

    code: str
    name: str
    kind: str
    #: 1, 2 or 3; ``None``: not known (the units formed on 2025-07-01 are not yet classified)
    unit_class: int | None = None
    district: str | None = None
    has_council: bool = True
    extra: Mapping[str, str] = attrs.field(factory=dict, hash=False)

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Unit:
        """The unit of one record (column ``class`` for :attr:`unit_class`), as :meth:`Official.from_record`.

        :raises InputError: with every problem of the record, each naming its key.
        """
        unit: Unit = _PARSING["record_of"]("unit", record)
        return unit


_T = TypeVar("_T", bound=attrs.AttrsInstance)


@functools.cache
def _slot_setters(cls: type[attrs.AttrsInstance]) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot setters of an attrs class with slots, in the order of its fields (``cls(*row)``)."""
    return tuple(getattr(cls, field.name).__set__ for field in attrs.fields(cls))


def make_records(cls: type[_T], count: int, columns: Sequence[Iterable[object]]) -> list[_T]:
    """``count`` records, ``cls(*row)`` for each row of ``columns`` (one per field of ``cls``, in order),
    made a field at a time: the slots of all the records are set by C loops (half the time of calling the
    frozen ``__init__`` once per record), without the converters: for values already parsed and checked
    (the readers', the engine's findings). The fields are set :data:`_RECORDS_AT_ONCE` records at a time,
    which stay in the processor's cache from one field to the next (a third less time at 100,000 records
    than each field for all the records).

    Each column is a list or an :func:`itertools.repeat` of exactly ``count`` items.
    """
    setters = _slot_setters(cls)
    if len(columns) != len(setters):
        raise TypeError(f"make_records: {len(columns)} columns for the {len(setters)} fields of {cls.__name__}")
    for column in columns:
        size = operator.length_hint(column, -1)
        if size != count:
            raise ValueError(f"make_records: a column of {size} items for {count} records")
    made: list[_T] = list(map(object.__new__, repeat(cls, count)))
    sources = [column if type(column) is list else iter(column) for column in columns]
    for start in range(0, count, _RECORDS_AT_ONCE):
        end = start + _RECORDS_AT_ONCE
        part = made[start:end]
        for set_slot, source in zip(setters, sources, strict=True):
            items = source[start:end] if type(source) is list else islice(source, len(part))
            deque(map(set_slot, part, items), maxlen=0)
    return made


#: How many records :func:`make_records` sets a field of before the next field (2,048 records of 23 fields
#: are ≈ 450 kB: the processor's cache holds them).
_RECORDS_AT_ONCE = 2048


