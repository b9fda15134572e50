"""The officials' contexts of an evaluation (:class:`Contexts`), made only where a field asks for one, are the
contexts an official gets made on their own."""

from __future__ import annotations

from datetime import date
from itertools import compress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.io._io import find_data_files
from cadre_rules.model import _context
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import Contexts
from cadre_rules.model._context import OfficialContext
from cadre_rules.model._context import officials_of
from strategies import as_of_dates
from strategies import populations

from ._support import scaled

SAMPLE = Path(__file__).parents[2] / "examples" / "hanoi-2022"


def _same(made: OfficialContext, official: Official, unit: Unit, calendar: Calendar,
          extras: dict[str, dict[str, object]]) -> None:
    alone = OfficialContext(official, unit, calendar.as_of, calendar)
    assert made.official is official
    assert made.unit is unit
    assert made.as_of == alone.as_of
    assert made.calendar is calendar
    assert dict(made.extra) == extras.get(official.id, {})
    assert (made.age(), made.latest_rating(), made.months_in_post()) == \
        (alone.age(), alone.latest_rating(), alone.months_in_post())


@settings(max_examples=scaled(1))
@given(populations(max_officials=8, min_officials=1), as_of_dates, st.none() | st.integers(0, 3), st.data())
def test_contexts_are_the_contexts_made_one_by_one(population: tuple[list[Official], list[Unit]], as_of: date,
                                                    lookback: int | None, data: st.DataObject) -> None:
    officials, units = population
    by_code = {u.code: u for u in units}
    of = [by_code[o.unit] for o in officials]
    calendar = Calendar(as_of, lookback)
    extras: dict[str, dict[str, object]] = {o.id: {"score": i} for i, o in enumerate(officials) if i % 2}
    contexts = Contexts(officials, of, calendar, extras)
    assert len(contexts) == len(officials)
    assert officials_of(contexts) is officials
    made = list(contexts)
    for ctx, official, unit in zip(made, officials, of, strict=True):
        _same(ctx, official, unit, calendar, extras)
    assert all(again is ctx for again, ctx in zip(contexts, made, strict=True))  # (made once)
    assert [c.official for c in contexts[1:]] == officials[1:]
    keep = data.draw(st.lists(st.booleans(), min_size=len(officials), max_size=len(officials)))
    kept = contexts.where(keep)
    assert len(kept) == sum(keep)
    for made, official, unit in zip(kept, compress(officials, keep), compress(of, keep), strict=True):
        _same(made, official, unit, calendar, extras)
    positions = data.draw(st.lists(st.integers(0, len(officials) - 1), unique=True))
    taken = contexts.take(positions)
    assert len(taken) == len(positions)
    assert officials_of(taken) == [officials[p] for p in positions]
    assert list(taken) == [contexts[p] for p in positions]
    other = calendar.with_lookback(None if lookback is not None else 2)
    later = contexts.as_of(other)
    assert contexts.as_of(calendar) is contexts
    for ctx, official, unit in zip(later, officials, of, strict=True):
        _same(ctx, official, unit, other, extras)


def test_an_evaluation_makes_contexts_only_where_a_field_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(plugins=False)
    officials, units = engine.read(*find_data_files(SAMPLE))
    made = 0
    init = _context.OfficialContext.__init__

    def counted(self: OfficialContext, *args: object) -> None:
        nonlocal made
        made += 1
        init(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_context.OfficialContext, "__init__", counted)
    report = engine.evaluate(officials, units, date(2024, 6, 30))
    assert report.findings
    # not one per official, and none at all: the built-in packs' derived fields are computed from the distinct
    # values they read (``FieldSpec.from_reads``) or by their column functions
    assert made < len(officials) // 2
    assert made == 0
    OfficialContext(officials[0], units[0], date(2024, 6, 30))  # (the count sees a context made)
    assert made == 1
