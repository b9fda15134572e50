"""What the packs of one evaluation share: the calendar of each rating look-back, hence the officials' contexts
made as of it once for every pack that reads ratings alike."""

from __future__ import annotations

from datetime import date

from cadre_rules.model._context import Calendar

AS_OF = date(2026, 12, 7)


def test_one_calendar_per_lookback() -> None:
    calendar = Calendar(AS_OF)
    assert calendar.with_lookback(None) is calendar
    two = calendar.with_lookback(2)
    assert two is not calendar and two.rating_since == 2024 and two.as_of == AS_OF
    # the same look-back asked for again, from any calendar of the date: the same calendar
    assert calendar.with_lookback(2) is two and two.with_lookback(2) is two
    assert two.with_lookback(None) is calendar
    three = two.with_lookback(3)
    assert three.rating_since == 2023 and calendar.with_lookback(3) is three
    # the date arithmetic is shared
    assert two.age(date(1980, 12, 8)) == calendar.age(date(1980, 12, 8)) == 45
