"""Values computed column by column (:class:`Columns`) equal each field's ``get`` for every official.

The derived fields that declare what they read (``reads``) are computed once per distinct
combination of those attributes and shared: a wrong declaration would give one official another's
value. Each built-in field and function is checked here against a call per official, on populations
whose officials share birth dates, posts and ratings, in batches that share one :class:`Columns`.
"""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._plugins import READABLE
from cadre_rules.engine._columns import Columns
from cadre_rules.engine._columns import _read
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import Contexts
from cadre_rules.model._context import OfficialContext
from cadre_rules.model._dates import complete_months
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._catalogue import BUILTIN_FUNCTIONS
from cadre_rules.packs._catalogue import OFFICIAL_FIELDS
from cadre_rules.packs._catalogue import FieldSpec
from cadre_rules.packs._expr import parse_field
from cadre_rules.packs._packs import DEFAULT_KEY_POSITIONS
from strategies import as_of_dates
from strategies import populations

from ._support import scaled

CALLS = ["rating(2022)", "rating(2023)", "consecutive('not_completed')", "consecutive('good')",
         "holds('party_secretary', 'council_chair')", "is_key", "studied('luật', 'kinh tế')",
         "months_to_retirement()", "extra_text('ethnicity')", "extra_number('score')",
         "disciplined_since('demotion', '2025-07-01')"]
FIELDS: list[FieldSpec] = [*OFFICIAL_FIELDS.values(), *(
    parse_field(c, functions=BUILTIN_FUNCTIONS, key_positions=DEFAULT_KEY_POSITIONS) for c in CALLS)]


def test_every_derived_builtin_declares_what_it_reads() -> None:
    derived = [f.name for f in FIELDS if f.path is None and f.reads is None]
    assert derived == ["extra_text('ethnicity')", "extra_number('score')"]  # they read `extra`
    assert all(set(f.reads) <= set(READABLE) for f in FIELDS if f.reads is not None)


#: The fields computed from the distinct values they read (:attr:`FieldSpec.from_reads`), without a context.
FROM_READS = [f for f in FIELDS if f.from_reads is not None]


def test_every_builtin_reading_field_is_computed_from_the_values_it_reads() -> None:
    """A built-in field that declares what it reads is a column function of the records or a function of the
    values it reads: an evaluation makes no official's record or context for it (#17)."""
    assert [f.name for f in FIELDS if f.reads is not None and f.column is None and f.from_reads is None] == []
    assert {f.name for f in FROM_READS} >= {"latest_rating", "discipline_in_latest_year", "active_discipline",
                                            "holds_cadre_post", "is_key", "rating(2022)", "studied('luật', 'kinh tế')",
                                            "disciplined_since('demotion', 2025-07-01)"}


@st.composite
def sharing_populations(draw: st.DrawFn) -> tuple[list[Official], list[Unit]]:
    """Populations where officials share attributes: copies of a few officials with new ids, some of
    them with one attribute taken from another official, or a discipline in their latest rated year."""
    officials, units = draw(populations(max_officials=6, min_officials=1))
    out = list(officials)
    names = [a.name for a in attrs.fields(Official) if a.name not in ("id", "unit", "extra")]
    for i in range(draw(st.integers(0, 12))):
        base = draw(st.sampled_from(officials))
        other = draw(st.sampled_from(officials))
        name = draw(st.sampled_from(names))
        changes = {name: getattr(other, name)}
        if base.ratings and draw(st.booleans()):  # ratings shared, discipline differs where it matters
            changes = {"discipline": ((date(base.ratings[-1][0], draw(st.integers(1, 12)), 1),
                                       draw(st.sampled_from(["reprimand", "warning"]))),)}
        out.append(attrs.evolve(base, id=f"C{i}", **changes))
    return out, units


@settings(max_examples=scaled(1))
@given(sharing_populations(), as_of_dates, st.integers(1, 7), st.none() | st.integers(0, 3))
def test_columns_equal_a_call_per_official(population: tuple[list[Official], list[Unit]], as_of: date,
                                           batch: int, lookback: int | None) -> None:
    officials, units = population
    by_code = {u.code: u for u in units}
    calendar = Calendar(as_of, lookback)
    contexts = [OfficialContext(o, by_code[o.unit], as_of, calendar) for o in officials]
    columns = Columns(FIELDS, calendar)  # (the contexts' calendar, as in an evaluation)
    got: list[list[object]] = [[] for _ in FIELDS]
    for start in range(0, len(contexts), batch):  # later batches look up what earlier ones computed
        for column, values in zip(got, columns(contexts[start:start + batch]), strict=True):
            column.extend(values)
    fresh = [OfficialContext(o, by_code[o.unit], as_of, Calendar(as_of, lookback)) for o in officials]
    for spec, column in zip(FIELDS, got, strict=True):
        assert column == [spec.get(ctx) for ctx in fresh], spec.name
    # the calendar shares months to retirement per month of birth: the same as from each one's own date
    retire = [retirement_date(o.birth_date, o.gender) for o in officials]
    assert got[FIELDS.index(OFFICIAL_FIELDS["months_to_retirement"])] == [
        complete_months(as_of, r) if r >= as_of else -complete_months(r, as_of) for r in retire]
    # the calendar knows who is past retirement age: the day after the retirement date, not on it
    assert calendar.retired_of(officials) == [r < as_of for r in retire]


@settings(max_examples=scaled(1))
@given(sharing_populations(), as_of_dates, st.none() | st.integers(0, 3))
def test_functions_of_the_values_read_equal_a_call_per_official(population: tuple[list[Official], list[Unit]],
                                                                 as_of: date, lookback: int | None) -> None:
    """Each field's function of the values it reads (every official's, not only the distinct ones) gives what its
    getter gives each official; :class:`Columns` of the engine's contexts computes them making none."""
    officials, units = population
    by_code = {u.code: u for u in units}
    calendar = Calendar(as_of, lookback)
    fresh = [OfficialContext(o, by_code[o.unit], as_of, Calendar(as_of, lookback)) for o in officials]
    for spec in FROM_READS:
        assert spec.reads is not None and spec.from_reads is not None
        got = spec.from_reads(calendar)(_read(officials, spec.reads))
        assert got == [spec.get(ctx) for ctx in fresh], spec.name
    contexts = Contexts(officials, [by_code[o.unit] for o in officials], calendar)
    got = Columns(FROM_READS, calendar)(contexts)
    assert contexts._made == [None] * len(officials)  # (no context made)
    for spec, column in zip(FROM_READS, got, strict=True):
        assert column == [spec.get(ctx) for ctx in fresh], spec.name


EXTRA_CALLS = [parse_field(f"{name}('score')", functions=BUILTIN_FUNCTIONS, key_positions=DEFAULT_KEY_POSITIONS)
               for name in ("extra_text", "extra_number", "extra_bool", "extra_date")]
_SCORES = st.sampled_from(["7,5", " 8 ", "", "  ", "có", "Không", "2024-01-31", "31/12/2024", "x", "1/0", "0"])


@settings(max_examples=scaled(1))
@given(populations(max_officials=6, min_officials=1), st.data(), as_of_dates)
def test_extra_columns_equal_a_call_per_official(population: tuple[list[Official], list[Unit]], data: st.DataObject,
                                                 as_of: date) -> None:
    """``extra_…('score')`` a column at a time (once per distinct text of the input's column, or once for all
    when the officials share one mapping) is what each official's call gives; where a plugin enriches the officials (its values first), each is computed alone."""
    officials, units = population
    officials = [attrs.evolve(o, extra={"score": text}) if (text := data.draw(st.none() | _SCORES)) is not None
                 else attrs.evolve(o, extra={}) for o in officials]
    if data.draw(st.booleans()):  # one mapping for all, as the readers give rows alike (read once for all)
        officials = [attrs.evolve(o, extra=officials[0].extra) for o in officials]
        assert all(o.extra is officials[0].extra for o in officials)
    by_code = {u.code: u for u in units}
    calendar = Calendar(as_of)
    enrichments = data.draw(st.lists(st.none() | st.fixed_dictionaries(
        {"score": st.one_of(_SCORES, st.booleans(), st.just(date(2024, 5, 1)), st.integers(0, 9))}),
        min_size=len(officials), max_size=len(officials)))
    for enrich in (False, True):
        contexts = [OfficialContext(o, by_code[o.unit], as_of, calendar) for o in officials]
        if enrich:
            for ctx, extra in zip(contexts, enrichments, strict=True):
                if extra is not None:
                    ctx.extra = extra
        got = Columns(EXTRA_CALLS, calendar)(contexts)
        for spec, column in zip(EXTRA_CALLS, got, strict=True):
            assert column == [spec.get(ctx) for ctx in contexts], (spec.name, enrich)
    # (read as the engine's contexts hold them: with the enrichers' values by id)
    table = Contexts(officials, [by_code[o.unit] for o in officials], calendar,
                     {o.id: e for o, e in zip(officials, enrichments, strict=True) if e is not None})
    got = Columns(EXTRA_CALLS, calendar)(table)
    for spec, column in zip(EXTRA_CALLS, got, strict=True):
        assert column == [spec.get(ctx) for ctx in table], spec.name


@settings(max_examples=scaled(1))
@given(sharing_populations(), as_of_dates, st.sampled_from(["ratings", "discipline", "concurrent_positions"]))
def test_columns_of_unhashable_values_equal_a_call_per_official(population: tuple[list[Official], list[Unit]],
                                                                 as_of: date, name: str) -> None:
    """A record whose sequence is a list (made around the checks) cannot be grouped by its values: the fields
    reading it, alone or with another attribute, are computed for each official by their getters."""
    officials, units = population
    for official in officials[::2]:
        object.__setattr__(official, name, list(getattr(official, name)))
    by_code = {u.code: u for u in units}
    calendar = Calendar(as_of)
    contexts = [OfficialContext(o, by_code[o.unit], as_of, calendar) for o in officials]
    for column, spec in zip(Columns(FIELDS, calendar)(contexts), FIELDS, strict=True):
        assert column == [spec.get(ctx) for ctx in contexts], spec.name
