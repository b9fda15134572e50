"""The field catalogue: every field and function a pack expression may use, with its type.

Fields read the record or facts derived as of the evaluation date; functions called with
literal arguments (``rating(2022)``, ``consecutive('not_completed')``) become derived fields.
Plugins add functions through :class:`FunctionSpec` (see the plugin API).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from itertools import compress
from itertools import repeat
from typing import Any
from typing import Literal

import attrs

from ..model._codes import CADRE_POSTS
from ..model._codes import CADRE_POSTS_2025
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import UnitContext
from ..model._context import active
from ..model._context import disciplined_in
from ..model._context import latest_year
from ..model._context import months_since_of
from ..model._context import rated_by
from ..model._context import rated_in
from ..model._context import rating_of
from ..model._context import run_of
from ..model._context import running_of
from ..model._context import runs_of
from ..model._dates import ages_on
from ..model._dates import parse_date
from ..model._distinct import on_distinct
from ..model._model import Official
from ..model._table import column_of
from ..model._types import BOOL
from ..model._types import DATE
from ..model._types import INT
from ..model._types import NUMBER
from ..model._types import TEXT
from ..model._types import Natural
from ..model._types import ValueType
from ..model._types import code_type

__all__ = ["BUILTIN_FUNCTIONS", "OFFICIAL_FIELDS", "UNIT_FIELDS", "FieldSpec", "FunctionSpec", "Subject"]

Subject = Literal["official", "unit"]

#: Values of a field for many officials (see :attr:`FieldSpec.column`).
ColumnFunction = Callable[[Sequence[Official]], list[Any]]
#: Values of a field for distinct values of what it reads (see :attr:`FieldSpec.from_reads`).
ReadsFunction = Callable[[Sequence[Any]], list[Any]]


@attrs.frozen
class FieldSpec:
    """A field of the catalogue (or a function call with literal arguments)."""

    name: str
    type: ValueType
    get: Callable[[Any], Natural | None] = attrs.field(eq=False, repr=False)
    doc: str = ""
    #: ``get`` as an attribute path of the context (``official.education``), where it is one.
    path: str | None = attrs.field(default=None, eq=False, repr=False)
    #: For ``count('…')``: the checked expression over officials whose tally the field reads
    #: (a ``Parsed``; the engine counts it per unit wherever the field is used, ``show`` included).
    tally: Any = attrs.field(default=None, eq=False, repr=False)
    #: The attributes of the official that the value depends on, with the as-of date (``None``: not
    #: declared). The engine computes such a field once per distinct combination of those attributes.
    reads: tuple[str, ...] | None = attrs.field(default=None, eq=False, repr=False)
    #: ``column(calendar)``: the function that gives the values of many officials at once, as of
    #: ``calendar.as_of`` (built-in date fields: C loops around one date function, or the calendar's
    #: values per month of birth, beat looking up values shared by few officials).
    column: Callable[[Calendar], ColumnFunction] | None = attrs.field(default=None, eq=False, repr=False)
    #: The value depends on the official's record only, never on the as-of date (a projection carries it
    #: from one step to the next, :mod:`._carry`).
    timeless: bool = attrs.field(default=False, eq=False, repr=False)
    #: ``column`` reads the records only, not what plugins' enrichers add to the contexts
    #: (:attr:`OfficialContext.extra`): officials that plugins enrich are computed one by one by ``get``.
    unenriched: bool = attrs.field(default=False, eq=False, repr=False)
    #: ``from_reads(calendar)``: the function that gives the values for a list of distinct values of what the
    #: field reads (:attr:`reads`: each the one attribute's value, or a tuple of the attributes' values in
    #: order), as of ``calendar``: what ``get`` gives an official with those values, without a context.
    from_reads: Callable[[Calendar], ReadsFunction] | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class FunctionSpec:
    """A typed function usable in expressions, evaluated per subject with literal arguments.

    ``impl(context, *args)`` returns a natural value of type ``returns`` or ``None`` (unknown).
    ``variadic`` functions take one or more arguments of ``params[0]``'s type.
    """

    name: str
    params: tuple[ValueType, ...]
    returns: ValueType
    impl: Callable[..., Natural | None] = attrs.field(eq=False, repr=False)
    subject: Subject = "official"
    variadic: bool = False
    doc: str = ""
    plugin: str = "cadre_rules"
    #: The attributes of the official that the value depends on, with the as-of date and the
    #: arguments (``None``: not declared); see :attr:`FieldSpec.reads`.
    reads: tuple[str, ...] | None = None
    #: ``column(calendar, *args)``: the values of many officials at once (see :attr:`FieldSpec.column`);
    #: it must give what ``impl`` gives each official.
    column: Callable[..., ColumnFunction] | None = attrs.field(default=None, eq=False, repr=False)
    #: The value depends on the official's record and the arguments only (see :attr:`FieldSpec.timeless`).
    timeless: bool = False
    #: ``column`` reads the records only, not plugins' enrichments (see :attr:`FieldSpec.unenriched`).
    unenriched: bool = False
    #: ``from_reads(calendar, *args)``: the values for distinct values of what the function reads (see
    #: :attr:`FieldSpec.from_reads`); it must give what ``impl`` gives an official with those values.
    from_reads: Callable[..., ReadsFunction] | None = attrs.field(default=None, eq=False, repr=False)


def _official_fields() -> dict[str, FieldSpec]:
    spec: list[tuple[str, ValueType, str | Callable[[OfficialContext], Any], str]] = [
        ("id", TEXT, "official.id", "the official's id"),
        ("gender", code_type("gender"), "official.gender", "male / female"),
        ("birth_date", DATE, "official.birth_date", "date of birth"),
        ("unit", TEXT, "official.unit", "unit code"),
        ("position", code_type("position"), "official.position", "primary post"),
        ("category", code_type("category"), "official.category", "cadre / civil_servant"),
        ("standing_committee", BOOL, "official.standing_committee", "member of the party standing committee"),
        ("general_education", code_type("general_education"), "official.general_education", "general education"),
        ("education", code_type("education"), "official.education", "professional education"),
        ("field_of_study", TEXT, "official.field_of_study", "field of study"),
        ("political_theory", code_type("political_theory"), "official.political_theory", "political theory"),
        ("appointed_on", DATE, "official.appointed_on", "date the current post began"),
        ("in_planning", BOOL, "official.in_planning", "in the cadre planning pool"),
        ("low_confidence_share", NUMBER, "official.low_confidence_share", "share of low-confidence votes"),
        ("under_investigation", BOOL, "official.under_investigation", "under investigation"),
        ("secondment_since", DATE, "official.secondment_since", "start of a current secondment"),
        ("is_local", BOOL, "official.is_local", "a native of the locality"),
        ("age", INT, OfficialContext.age, "age in completed years on the as-of date"),
        ("retirement_date", DATE, OfficialContext.retirement_date, "statutory retirement date"),
        ("months_to_retirement", INT, OfficialContext.months_to_retirement, "complete months to retirement"),
        ("months_in_post", INT, OfficialContext.months_in_post, "complete months since appointed_on"),
        ("on_secondment", BOOL, OfficialContext.on_secondment, "a secondment is running on the as-of date"),
        ("months_on_secondment", INT, OfficialContext.months_on_secondment, "complete months on secondment"),
        ("latest_rating", code_type("rating"), OfficialContext.latest_rating,
         "rating of the latest rated year, if current"),
        ("latest_rating_year", INT, OfficialContext.latest_rating_year, "the latest rated year, if current"),
        ("consecutive_not_completed", INT, OfficialContext.consecutive_not_completed,
         "run of not_completed ratings ending at the latest rated year"),
        ("active_discipline", BOOL, OfficialContext.active_discipline, "a discipline is in force"),
        ("discipline_in_latest_year", BOOL, OfficialContext.discipline_in_latest_year,
         "a discipline dated in the latest rated year"),
        ("holds_cadre_post", BOOL, lambda ctx: _holds(ctx, *CADRE_POSTS, *CADRE_POSTS_2025),
         "holds a cán bộ post (NĐ 33/2023 Điều 5 khoản 1; from 1/7/2025 also Phó Bí thư thường trực and "
         "Phó Chủ tịch UBMTTQ)"),
        ("unit_kind", code_type("unit_kind"), "unit.kind", "commune / ward / town"),
        ("unit_class", INT, "unit.unit_class", "class of the unit (1, 2, 3)"),
        ("district", TEXT, "unit.district", "district of the unit"),
        ("has_council", BOOL, "unit.has_council", "the unit has a people's council"),
    ]
    # a field given as an attribute path of the context reads that attribute
    return {name: FieldSpec(name, t, operator.attrgetter(get), doc, get) if isinstance(get, str)
            else FieldSpec(name, t, get, doc, reads=_READS[name], column=_COLUMNS.get(name), timeless=name in _TIMELESS,
                           from_reads=_FROM_READS.get(name))
            for name, t, get, doc in spec}


def _on_secondment(calendar: Calendar) -> ColumnFunction:
    """Whether a secondment has begun by the as-of date and not ended before it, for many officials (those
    whose secondment has begun, few, one by one)."""
    on = calendar.as_of

    def column(officials: Sequence[Official]) -> list[bool]:
        begun = running_of(column_of(officials, "secondment_since"), on)
        untils = column_of(officials, "secondment_until")
        for i in compress(range(len(begun)), begun):
            until = untils[i]
            begun[i] = until is None or on <= until
        return begun

    return column


def _since(attribute: str) -> Callable[[Calendar], ColumnFunction]:
    """:func:`months_since` a date attribute, for many officials (once per distinct date)."""
    return lambda calendar: lambda officials: on_distinct(column_of(officials, attribute),
                                                          lambda starts: months_since_of(starts, calendar.as_of))


#: The column functions of derived fields (see :attr:`FieldSpec.column`); each gives what the
#: field's getter gives an official (tests/properties/test_columns.py checks it). The fields of the ratings
#: (``latest_rating``, ``consecutive_not_completed``…) have none: they are computed once per distinct ratings,
#: the officials grouped by their ratings once for all of them (``engine._columns``), which costs less.
_COLUMNS: Mapping[str, Callable[[Calendar], ColumnFunction]] = {
    "age": lambda calendar: lambda officials: on_distinct(column_of(officials, "birth_date"),
                                                          lambda births: ages_on(births, calendar.as_of)),
    "months_to_retirement": lambda calendar: calendar.months_to_retirement_of,
    "retirement_date": lambda calendar: calendar.retirement_dates_of,
    "months_in_post": _since("appointed_on"),
    "months_on_secondment": _since("secondment_since"),
    "on_secondment": _on_secondment,
}


def _of_ratings(read: Callable[[tuple[tuple[int, str], ...]], Natural | None]) -> Callable[[Calendar], ReadsFunction]:
    """A field of the current ratings (:meth:`Calendar.current`), for distinct ratings."""

    def make(calendar: Calendar) -> ReadsFunction:
        current = calendar.current
        return lambda ratings: [read(current(r)) for r in ratings]

    return make


def _discipline_in_latest_year(calendar: Calendar) -> ReadsFunction:
    current, on = calendar.current, calendar.as_of
    return lambda pairs: [disciplined_in(discipline, latest_year(current(ratings)), on)
                          for ratings, discipline in pairs]


def _holds_of(codes: tuple[str, ...]) -> ReadsFunction:
    """Whether an official holds any of ``codes``, for distinct (position, concurrent posts)."""
    return lambda pairs: [_holding(position, concurrent, codes) for position, concurrent in pairs]


#: The functions of the distinct values a derived field reads (see :attr:`FieldSpec.from_reads`); each gives
#: what the field's getter gives an official (tests/properties/test_columns.py checks it). Computed without
#: an official's context, for the distinct values the officials are grouped by (``engine._columns``).
_FROM_READS: Mapping[str, Callable[[Calendar], ReadsFunction]] = {
    "latest_rating": _of_ratings(rating_of),
    "latest_rating_year": _of_ratings(latest_year),
    "consecutive_not_completed": _of_ratings(lambda ratings: run_of(ratings, "not_completed")),
    "active_discipline": lambda calendar: lambda disciplines: [active(d, calendar.as_of) for d in disciplines],
    "discipline_in_latest_year": _discipline_in_latest_year,
    "holds_cadre_post": lambda calendar: _holds_of((*CADRE_POSTS, *CADRE_POSTS_2025)),
}


#: What each derived field of an official depends on, besides the as-of date (attributes of
#: :class:`~cadre_rules.Official`).
_READS: Mapping[str, tuple[str, ...]] = {
    "age": ("birth_date",),
    "retirement_date": ("birth_date", "gender"),
    "months_to_retirement": ("birth_date", "gender"),
    "months_in_post": ("appointed_on",),
    "on_secondment": ("secondment_since", "secondment_until"),
    "months_on_secondment": ("secondment_since",),
    "latest_rating": ("ratings",),
    "latest_rating_year": ("ratings",),
    "consecutive_not_completed": ("ratings",),
    "active_discipline": ("discipline",),
    "discipline_in_latest_year": ("ratings", "discipline"),
    "holds_cadre_post": ("position", "concurrent_positions"),
}


#: The derived fields of an official that do not depend on the as-of date.
_TIMELESS = frozenset({"retirement_date", "holds_cadre_post"})


def _unit_attr(name: str) -> Callable[[UnitContext], Natural | None]:
    def get(ctx: UnitContext) -> Natural | None:
        value: Natural | None = getattr(ctx.unit, name)
        return value

    return get


def _unit_fields() -> dict[str, FieldSpec]:
    spec = [
        ("code", TEXT, _unit_attr("code"), "unit code"),
        ("name", TEXT, _unit_attr("name"), "unit name"),
        ("kind", code_type("unit_kind"), _unit_attr("kind"), "commune / ward / town"),
        ("unit_class", INT, _unit_attr("unit_class"), "class (1, 2, 3)"),
        ("district", TEXT, _unit_attr("district"), "district"),
        ("has_council", BOOL, _unit_attr("has_council"), "has a people's council"),
        ("officials", INT, lambda ctx: len(ctx.officials), "number of officials recorded in the unit"),
    ]
    return {name: FieldSpec(name, t, get, doc) for name, t, get, doc in spec}


OFFICIAL_FIELDS: Mapping[str, FieldSpec] = _official_fields()
UNIT_FIELDS: Mapping[str, FieldSpec] = _unit_fields()

_POSITION = code_type("position")
_RATING = code_type("rating")


def _rating(ctx: OfficialContext, year: int) -> str | None:
    return ctx.rating_in(year)


def _rating_from_reads(calendar: Calendar, year: int) -> ReadsFunction:
    on = calendar.as_of.year
    return lambda ratings: [rated_in(rated_by(r, on), year) for r in ratings]


def _consecutive(ctx: OfficialContext, rating: str) -> int | None:
    return ctx.consecutive(rating)


def _consecutive_column(calendar: Calendar, rating: str) -> ColumnFunction:
    year = calendar.as_of.year
    since = calendar.rating_since
    return lambda officials: runs_of(officials, rating, year, since)


def _holds(ctx: OfficialContext, *codes: str) -> bool:
    official = ctx.official
    return _holding(official.position, official.concurrent_positions, codes)


def _holding(position: str, concurrent: Sequence[str], codes: Sequence[str]) -> bool:
    """Whether an official of ``position`` and ``concurrent`` posts holds any of ``codes``."""
    return position in codes or (bool(concurrent) and any(c in codes for c in concurrent))


def _holds_from_reads(calendar: Calendar, *codes: str) -> ReadsFunction:
    return _holds_of(codes)


def _holders(ctx: UnitContext, code: str) -> int:
    return ctx.holders(code)


def _count(ctx: UnitContext, expression: str) -> int:
    # Filled in from the engine's tallies: the expression is evaluated per official by the backend.
    return ctx.tally(expression)


def _disciplined_since(ctx: OfficialContext, form: str, since: date) -> bool:
    return _since_in(ctx.official.discipline, form, since)


def _since_in(discipline: tuple[tuple[date, str], ...], form: str, since: date) -> bool:
    return any(form == f and since <= day for day, f in discipline)


def _disciplined_since_from_reads(calendar: Calendar, form: str, since: date) -> ReadsFunction:
    return lambda disciplines: [_since_in(d, form, since) for d in disciplines]


def _field_of_study_has(ctx: OfficialContext, *words: str) -> bool | None:
    return _studied(ctx.official.field_of_study, words)


def _studied(text: str | None, words: Sequence[str]) -> bool | None:
    if text is None:
        return None
    folded = text.casefold()
    return any(w.casefold() in folded for w in words)


def _studied_from_reads(calendar: Calendar, *words: str) -> ReadsFunction:
    return lambda texts: [_studied(text, words) for text in texts]


def _extra(ctx: OfficialContext, key: str) -> object:
    """The extra value ``key`` of an official: a plugin's enrichment, else the input's column (its text)."""
    value = ctx.extra.get(key)
    return _given(ctx.official.extra.get(key)) if value is None else value


def _given(text: str | None) -> str | None:
    """An input's extra text as a value: stripped; ``None`` if empty."""
    return text.strip() if text and text.strip() else None


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


def _as_number(value: object) -> Fraction | None:
    if value is None or isinstance(value, (bool, date)):
        return None
    try:
        return Fraction(str(value).replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return None


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    return {"true": True, "1": True, "yes": True, "có": True,
            "false": False, "0": False, "no": False, "không": False}.get(str(value).strip().casefold())


def _as_date(value: object) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return parse_date(str(value))
    except ValueError:
        return None


def _extra_function(name: str, returns: ValueType, read: Callable[[object], Natural | None], doc: str) -> FunctionSpec:
    """``extra_…(key)``: the extra value ``key`` read by ``read``; for many officials with no plugin's enrichment
    (:attr:`FieldSpec.unenriched`), read once per distinct text of the input's column, or once for all when they
    share one mapping of extra values (the readers give rows alike one mapping: an input without extra columns)."""

    def column(calendar: Calendar, key: str) -> ColumnFunction:
        get = operator.methodcaller("get", key)

        def values(officials: Sequence[Official]) -> list[Natural | None]:
            extras = column_of(officials, "extra")
            if extras and all(map(operator.is_, extras, repeat(extras[0]))):
                return [read(_given(extras[0].get(key)))] * len(extras)
            return on_distinct(list(map(get, extras)), lambda texts: [read(_given(text)) for text in texts])

        return values

    return FunctionSpec(name, (TEXT,), returns, lambda ctx, key: read(_extra(ctx, key)), doc=doc, column=column,
                        unenriched=True)


BUILTIN_FUNCTIONS: Mapping[str, FunctionSpec] = {
    f.name: f
    for f in (
        FunctionSpec("rating", (INT,), _RATING, _rating, doc="the rating of a year (current or not), or unknown",
                     reads=("ratings",), from_reads=_rating_from_reads),
        FunctionSpec("consecutive", (_RATING,), INT, _consecutive,
                     doc="run of a rating over consecutive years ending at the latest rated year (unknown when "
                         "that is older than the look-back)", reads=("ratings",),
                     column=_consecutive_column),
        FunctionSpec("holds", (_POSITION,), BOOL, _holds, variadic=True, timeless=True,
                     doc="holds any of the posts (position or concurrent)", reads=("position", "concurrent_positions"),
                     from_reads=_holds_from_reads),
        FunctionSpec("disciplined_since", (code_type("discipline"), DATE), BOOL, _disciplined_since, timeless=True,
                     doc="a discipline of the form dated on or after the date", reads=("discipline",),
                     from_reads=_disciplined_since_from_reads),
        FunctionSpec("studied", (TEXT,), BOOL, _field_of_study_has, variadic=True, timeless=True,
                     doc="field_of_study contains any of the words (case-insensitive)", reads=("field_of_study",),
                     from_reads=_studied_from_reads),
        FunctionSpec("months_to_retirement", (), INT, lambda ctx: ctx.months_to_retirement(),
                     doc="complete months to retirement", reads=("birth_date", "gender"),
                     column=lambda calendar: calendar.months_to_retirement_of),
        FunctionSpec("holders", (_POSITION,), INT, _holders, subject="unit",
                     doc="number of officials of the unit holding the post"),
        FunctionSpec("count", (TEXT,), INT, _count, subject="unit",
                     doc="number of officials of the unit for whom the official expression holds"),
        _extra_function("extra_text", TEXT, _as_text,
                        "an extra value (a plugin's enrichment or an unknown input column) as text"),
        _extra_function("extra_number", NUMBER, _as_number, "an extra value as a number"),
        _extra_function("extra_bool", BOOL, _as_bool, "an extra value as a boolean"),
        _extra_function("extra_date", DATE, _as_date, "an extra value as a date"),
    )
}


def call_key(name: str, args: Sequence[Natural]) -> str:
    """The derived-field name of a call with literal arguments, e.g. ``rating(2022)``."""
    return f"{name}({', '.join(repr(a) if isinstance(a, str) else str(a) for a in args)})"
