"""Tests of cadre_rules.model._dates. Expected values are computed by hand (see the comments)."""

from __future__ import annotations

import calendar
from datetime import date
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules.model._context import months_since
from cadre_rules.model._context import months_since_of
from cadre_rules.model._context import running
from cadre_rules.model._context import running_of
from cadre_rules.model._dates import add_months
from cadre_rules.model._dates import age_on
from cadre_rules.model._dates import ages_on
from cadre_rules.model._dates import complete_months
from cadre_rules.model._dates import complete_months_to
from cadre_rules.model._dates import is_month_year
from cadre_rules.model._dates import last_day_of_month
from cadre_rules.model._dates import month_years
from cadre_rules.model._dates import months_to_retirement
from cadre_rules.model._dates import parse_date
from cadre_rules.model._dates import parse_dates
from cadre_rules.model._dates import retirement_age_months
from cadre_rules.model._dates import retirement_date
from cadre_rules.model._dates import years_only

D = date
GENDERS = ("male", "female")

# Dates far enough from 1..9999 that any month shift used below stays representable.
safe_dates = st.dates(min_value=D(1800, 1, 1), max_value=D(2200, 12, 31))
shifts = st.integers(min_value=-1200, max_value=1200)


# --------------------------------------------------------------------------- add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 2, D(2023, 3, 31)),
        (D(2023, 1, 31), 3, D(2023, 4, 30)),
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2023, 1, 15), -1, D(2022, 12, 15)),
        (D(2023, 1, 15), -13, D(2021, 12, 15)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 2, 29), -12, D(2023, 2, 28)),
        (D(2023, 5, 31), 0, D(2023, 5, 31)),
        (D(1900, 1, 31), 1, D(1900, 2, 28)),  # 1900 is not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # 2000 is
        (D(1961, 1, 1), 723, D(2021, 4, 1)),
    ],
)
def test_add_months_examples(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_out_of_range() -> None:
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 1), 1)
    with pytest.raises(OverflowError):
        add_months(D(1, 1, 1), -1)


@settings(max_examples=100)
@given(safe_dates, shifts)
def test_add_months_is_month_index_shift_with_clamped_day(d: date, k: int) -> None:
    r = add_months(d, k)
    assert r.year * 12 + r.month == d.year * 12 + d.month + k
    assert r.day == min(d.day, calendar.monthrange(r.year, r.month)[1])


@settings(max_examples=100)
@given(safe_dates, st.integers(-600, 600), st.integers(-600, 600))
def test_add_months_composition(d: date, j: int, k: int) -> None:
    # Clamping can only lose days: going in two steps is never later than in one,
    # and is the same when the day exists in every month.
    two_steps = add_months(add_months(d, j), k)
    assert two_steps <= add_months(d, j + k)
    if d.day <= 28:
        assert two_steps == add_months(d, j + k)


@settings(max_examples=100)
@given(safe_dates, safe_dates, st.integers(-600, 600))
def test_add_months_monotone_in_date(a: date, b: date, k: int) -> None:
    lo, hi = min(a, b), max(a, b)
    assert add_months(lo, k) <= add_months(hi, k)


# --------------------------------------------------------------------- complete_months


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28), 1),
        (D(2023, 1, 31), D(2023, 2, 27), 0),
        (D(2020, 1, 15), D(2022, 1, 14), 23),
        (D(2020, 1, 15), D(2022, 1, 15), 24),
        (D(2020, 1, 15), D(2020, 1, 15), 0),
        (D(2020, 1, 15), D(2020, 2, 14), 0),
        (D(2020, 1, 15), D(2020, 2, 15), 1),
        (D(2024, 1, 31), D(2024, 2, 28), 0),  # 2024-02-29 is the clamped one-month point
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2023, 1, 30), D(2023, 2, 28), 1),  # end is the last day of February
        (D(2023, 3, 31), D(2023, 4, 30), 1),
        (D(2023, 3, 31), D(2023, 4, 29), 0),
        (D(2023, 3, 30), D(2023, 4, 30), 1),
        (D(2023, 12, 31), D(2024, 1, 30), 0),
        (D(2023, 12, 31), D(2024, 1, 31), 1),
        (D(2000, 2, 29), D(2001, 2, 28), 12),
        # end before start: antisymmetric, truncated toward zero
        (D(2023, 2, 28), D(2023, 1, 31), -1),
        (D(2023, 2, 27), D(2023, 1, 31), 0),
        (D(2022, 1, 14), D(2020, 1, 15), -23),
        (D(2022, 1, 15), D(2020, 1, 15), -24),
        (D(2023, 3, 15), D(2023, 2, 20), 0),
    ],
)
def test_complete_months_examples(start: date, end: date, expected: int) -> None:
    assert complete_months(start, end) == expected


@settings(max_examples=100)
@given(safe_dates, shifts)
def test_complete_months_inverts_add_months(a: date, k: int) -> None:
    # add_months(a, .) is strictly increasing, so for k >= 0 the largest j with
    # add_months(a, j) <= add_months(a, k) is k. For k < 0, b = add_months(a, k) has
    # b.day <= a.day, so add_months(b, -k) <= a and the count back is -k: again exact.
    assert complete_months(a, add_months(a, k)) == k


@settings(max_examples=100)
@given(safe_dates, safe_dates)
def test_complete_months_brackets_end(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    k = complete_months(start, end)
    assert k >= 0
    assert add_months(start, k) <= end < add_months(start, k + 1)
    assert complete_months(end, start) == -k


@settings(max_examples=100)
@given(safe_dates, safe_dates, safe_dates)
def test_complete_months_monotone_in_end(start: date, a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    assert complete_months(start, lo) <= complete_months(start, hi)


# ------------------------------------------------------------------------------ age_on


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D(1988, 6, 15), D(2023, 6, 15), 35),  # turns 35 on the as-of date: 35, not under 35
        (D(1988, 6, 15), D(2023, 6, 14), 34),
        (D(1988, 6, 15), D(2023, 6, 16), 35),
        (D(1988, 6, 15), D(2024, 6, 14), 35),
        (D(1988, 12, 31), D(2023, 12, 31), 35),
        (D(1988, 12, 31), D(2024, 1, 1), 35),
        (D(1989, 1, 1), D(2023, 12, 31), 34),
        (D(2000, 2, 29), D(2023, 2, 28), 22),
        (D(2000, 2, 29), D(2023, 3, 1), 23),
        (D(2000, 2, 29), D(2024, 2, 28), 23),
        (D(2000, 2, 29), D(2024, 2, 29), 24),
        (D(2000, 2, 28), D(2023, 2, 28), 23),
        (D(2000, 3, 1), D(2023, 2, 28), 22),
        (D(2000, 5, 1), D(2000, 5, 1), 0),
        (D(2000, 5, 1), D(2001, 4, 30), 0),
    ],
)
def test_age_on_examples(birth: date, on: date, expected: int) -> None:
    assert age_on(birth, on) == expected
    assert ages_on([birth], on) == [expected]


@settings(max_examples=100)
@given(st.lists(safe_dates, max_size=5), safe_dates)
def test_ages_on_is_age_on_of_each(births: list[date], on: date) -> None:
    assert ages_on(births, on) == [age_on(b, on) for b in births]


@settings(max_examples=100)
@given(safe_dates, safe_dates, safe_dates)
def test_age_on_monotone(birth: date, a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    assert age_on(birth, lo) <= age_on(birth, hi)


@settings(max_examples=300)
@given(safe_dates, safe_dates)
def test_age_on_agrees_with_complete_months(a: date, b: date) -> None:
    # Completed years are complete months // 12, except that a 29 February birthday is
    # reached on 1 March in common years while add_months clamps it to 28 February.
    birth, on = min(a, b), max(a, b)
    months_years = complete_months(birth, on) // 12
    if (birth.month, birth.day) == (2, 29) and (on.month, on.day) == (2, 28) and not calendar.isleap(on.year):
        assert age_on(birth, on) == months_years - 1
    else:
        assert age_on(birth, on) == months_years


# ------------------------------------------------------------------- last_day_of_month


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2023, 2, 1), D(2023, 2, 28)),
        (D(2024, 2, 10), D(2024, 2, 29)),
        (D(1900, 2, 10), D(1900, 2, 28)),
        (D(2000, 2, 10), D(2000, 2, 29)),
        (D(2023, 4, 30), D(2023, 4, 30)),
        (D(2023, 12, 1), D(2023, 12, 31)),
        (D(2023, 1, 31), D(2023, 1, 31)),
    ],
)
def test_last_day_of_month(d: date, expected: date) -> None:
    assert last_day_of_month(d) == expected


@settings(max_examples=100)
@given(safe_dates)
def test_last_day_of_month_property(d: date) -> None:
    r = last_day_of_month(d)
    assert (r.year, r.month) == (d.year, d.month)
    assert (r + timedelta(days=1)).day == 1


# --------------------------------------------------------------- retirement_age_months


@pytest.mark.parametrize(
    ("year", "male", "female"),
    [
        (1990, 720, 660),
        (2019, 720, 660),
        (2020, 720, 660),
        (2021, 723, 664),
        (2022, 726, 668),
        (2023, 729, 672),
        (2024, 732, 676),
        (2025, 735, 680),
        (2026, 738, 684),
        (2027, 741, 688),
        (2028, 744, 692),  # men's final age 62y
        (2029, 744, 696),
        (2030, 744, 700),
        (2031, 744, 704),
        (2032, 744, 708),
        (2033, 744, 712),
        (2034, 744, 716),
        (2035, 744, 720),  # women's final age 60y
        (2036, 744, 720),
        (2100, 744, 720),
    ],
)
def test_retirement_age_months(year: int, male: int, female: int) -> None:
    assert retirement_age_months("male", year) == male
    assert retirement_age_months("female", year) == female


@pytest.mark.parametrize("gender", ["Male", "m", "", "other"])
def test_unknown_gender(gender: str) -> None:
    with pytest.raises(ValueError, match="gender"):
        retirement_age_months(gender, 2025)
    with pytest.raises(ValueError, match="gender"):
        retirement_date(D(1970, 1, 1), gender)


# --------------------------------------------------------------------- retirement_date

# (gender, birth, (age years, age months), date the age is reached, retirement date).
# Per retirement year 2021-2036 and gender: r1 = born on the 1st of the first birth month
# of that year's cohort (reaches the age on a 1st); r2 = born on the last day of that month
# (reaches it on the last day of a month, sometimes by clamping); r3 = born on the last
# day of the cohort's last birth month (retires 31 December). r1 of year Y is the day after
# r3 of year Y - 1, so each pair pins a cohort boundary.
# Men: 2021-2028 cohorts reach the age April..December (nobody reaches it in January-March
# of those years); from 2029 a full calendar year. Women: 2021-2035 May..December.
RETIREMENT_CASES: list[tuple[str, date, tuple[int, int], date, date]] = [
    # --- before 2021: old ages 60y / 55y
    ("male", D(1955, 6, 15), (60, 0), D(2015, 6, 15), D(2015, 6, 30)),
    ("male", D(1960, 12, 1), (60, 0), D(2020, 12, 1), D(2020, 12, 31)),
    ("male", D(1960, 12, 31), (60, 0), D(2020, 12, 31), D(2020, 12, 31)),
    ("female", D(1960, 2, 29), (55, 0), D(2015, 2, 28), D(2015, 2, 28)),
    ("female", D(1965, 6, 10), (55, 0), D(2020, 6, 10), D(2020, 6, 30)),
    ("female", D(1965, 12, 31), (55, 0), D(2020, 12, 31), D(2020, 12, 31)),
    # --- men
    # 2021: 60y3m, born 1961-01..1961-09
    ("male", D(1961, 1, 1), (60, 3), D(2021, 4, 1), D(2021, 4, 30)),
    ("male", D(1961, 1, 31), (60, 3), D(2021, 4, 30), D(2021, 4, 30)),
    ("male", D(1961, 9, 30), (60, 3), D(2021, 12, 30), D(2021, 12, 31)),
    # 2022: 60y6m, born 1961-10..1962-06 (1961-10 + 60y3m would be 2022-01: not 2021)
    ("male", D(1961, 10, 1), (60, 6), D(2022, 4, 1), D(2022, 4, 30)),
    ("male", D(1961, 10, 31), (60, 6), D(2022, 4, 30), D(2022, 4, 30)),
    ("male", D(1962, 6, 30), (60, 6), D(2022, 12, 30), D(2022, 12, 31)),
    # 2023: 60y9m, born 1962-07..1963-03
    ("male", D(1962, 7, 1), (60, 9), D(2023, 4, 1), D(2023, 4, 30)),
    ("male", D(1962, 7, 31), (60, 9), D(2023, 4, 30), D(2023, 4, 30)),
    ("male", D(1963, 3, 31), (60, 9), D(2023, 12, 31), D(2023, 12, 31)),
    # 2024: 61y, born 1963-04..1963-12
    ("male", D(1963, 4, 1), (61, 0), D(2024, 4, 1), D(2024, 4, 30)),
    ("male", D(1963, 4, 30), (61, 0), D(2024, 4, 30), D(2024, 4, 30)),
    ("male", D(1963, 12, 31), (61, 0), D(2024, 12, 31), D(2024, 12, 31)),
    # 2025: 61y3m, born 1964-01..1964-09
    ("male", D(1964, 1, 1), (61, 3), D(2025, 4, 1), D(2025, 4, 30)),
    ("male", D(1964, 1, 31), (61, 3), D(2025, 4, 30), D(2025, 4, 30)),
    ("male", D(1964, 2, 29), (61, 3), D(2025, 5, 29), D(2025, 5, 31)),
    ("male", D(1964, 9, 30), (61, 3), D(2025, 12, 30), D(2025, 12, 31)),
    # 2026: 61y6m, born 1964-10..1965-06
    ("male", D(1964, 10, 1), (61, 6), D(2026, 4, 1), D(2026, 4, 30)),
    ("male", D(1964, 10, 31), (61, 6), D(2026, 4, 30), D(2026, 4, 30)),
    ("male", D(1965, 6, 30), (61, 6), D(2026, 12, 30), D(2026, 12, 31)),
    # 2027: 61y9m, born 1965-07..1966-03
    ("male", D(1965, 7, 1), (61, 9), D(2027, 4, 1), D(2027, 4, 30)),
    ("male", D(1965, 7, 31), (61, 9), D(2027, 4, 30), D(2027, 4, 30)),
    ("male", D(1966, 3, 31), (61, 9), D(2027, 12, 31), D(2027, 12, 31)),
    # 2028: 62y (final), born 1966-04..1966-12
    ("male", D(1966, 4, 1), (62, 0), D(2028, 4, 1), D(2028, 4, 30)),
    ("male", D(1966, 4, 30), (62, 0), D(2028, 4, 30), D(2028, 4, 30)),
    ("male", D(1966, 12, 31), (62, 0), D(2028, 12, 31), D(2028, 12, 31)),
    # 2029-2036: 62y, born in year Y - 62
    ("male", D(1967, 1, 1), (62, 0), D(2029, 1, 1), D(2029, 1, 31)),
    ("male", D(1967, 1, 31), (62, 0), D(2029, 1, 31), D(2029, 1, 31)),
    ("male", D(1967, 12, 31), (62, 0), D(2029, 12, 31), D(2029, 12, 31)),
    ("male", D(1968, 1, 1), (62, 0), D(2030, 1, 1), D(2030, 1, 31)),
    ("male", D(1968, 1, 31), (62, 0), D(2030, 1, 31), D(2030, 1, 31)),
    ("male", D(1968, 2, 29), (62, 0), D(2030, 2, 28), D(2030, 2, 28)),
    ("male", D(1968, 7, 15), (62, 0), D(2030, 7, 15), D(2030, 7, 31)),
    ("male", D(1968, 12, 31), (62, 0), D(2030, 12, 31), D(2030, 12, 31)),
    ("male", D(1969, 1, 1), (62, 0), D(2031, 1, 1), D(2031, 1, 31)),
    ("male", D(1969, 1, 31), (62, 0), D(2031, 1, 31), D(2031, 1, 31)),
    ("male", D(1969, 12, 31), (62, 0), D(2031, 12, 31), D(2031, 12, 31)),
    ("male", D(1970, 1, 1), (62, 0), D(2032, 1, 1), D(2032, 1, 31)),
    ("male", D(1970, 1, 31), (62, 0), D(2032, 1, 31), D(2032, 1, 31)),
    ("male", D(1970, 12, 31), (62, 0), D(2032, 12, 31), D(2032, 12, 31)),
    ("male", D(1971, 1, 1), (62, 0), D(2033, 1, 1), D(2033, 1, 31)),
    ("male", D(1971, 1, 31), (62, 0), D(2033, 1, 31), D(2033, 1, 31)),
    ("male", D(1971, 12, 31), (62, 0), D(2033, 12, 31), D(2033, 12, 31)),
    ("male", D(1972, 1, 1), (62, 0), D(2034, 1, 1), D(2034, 1, 31)),
    ("male", D(1972, 1, 31), (62, 0), D(2034, 1, 31), D(2034, 1, 31)),
    ("male", D(1972, 12, 31), (62, 0), D(2034, 12, 31), D(2034, 12, 31)),
    ("male", D(1973, 1, 1), (62, 0), D(2035, 1, 1), D(2035, 1, 31)),
    ("male", D(1973, 1, 31), (62, 0), D(2035, 1, 31), D(2035, 1, 31)),
    ("male", D(1973, 12, 31), (62, 0), D(2035, 12, 31), D(2035, 12, 31)),
    ("male", D(1974, 1, 1), (62, 0), D(2036, 1, 1), D(2036, 1, 31)),
    ("male", D(1974, 1, 31), (62, 0), D(2036, 1, 31), D(2036, 1, 31)),
    ("male", D(1974, 12, 31), (62, 0), D(2036, 12, 31), D(2036, 12, 31)),
    ("male", D(1975, 1, 1), (62, 0), D(2037, 1, 1), D(2037, 1, 31)),
    # --- women
    # 2021: 55y4m, born 1966-01..1966-08
    ("female", D(1966, 1, 1), (55, 4), D(2021, 5, 1), D(2021, 5, 31)),
    ("female", D(1966, 1, 31), (55, 4), D(2021, 5, 31), D(2021, 5, 31)),
    ("female", D(1966, 5, 10), (55, 4), D(2021, 9, 10), D(2021, 9, 30)),
    ("female", D(1966, 8, 31), (55, 4), D(2021, 12, 31), D(2021, 12, 31)),
    # 2022: 55y8m, born 1966-09..1967-04 (1966-09 + 55y4m would be 2022-01: not 2021)
    ("female", D(1966, 9, 1), (55, 8), D(2022, 5, 1), D(2022, 5, 31)),
    ("female", D(1966, 9, 30), (55, 8), D(2022, 5, 30), D(2022, 5, 31)),
    ("female", D(1966, 10, 31), (55, 8), D(2022, 6, 30), D(2022, 6, 30)),
    ("female", D(1967, 4, 30), (55, 8), D(2022, 12, 30), D(2022, 12, 31)),
    # 2023: 56y, born 1967-05..1967-12
    ("female", D(1967, 5, 1), (56, 0), D(2023, 5, 1), D(2023, 5, 31)),
    ("female", D(1967, 5, 31), (56, 0), D(2023, 5, 31), D(2023, 5, 31)),
    ("female", D(1967, 12, 31), (56, 0), D(2023, 12, 31), D(2023, 12, 31)),
    # 2024: 56y4m, born 1968-01..1968-08
    ("female", D(1968, 1, 1), (56, 4), D(2024, 5, 1), D(2024, 5, 31)),
    ("female", D(1968, 1, 31), (56, 4), D(2024, 5, 31), D(2024, 5, 31)),
    ("female", D(1968, 8, 31), (56, 4), D(2024, 12, 31), D(2024, 12, 31)),
    # 2025: 56y8m, born 1968-09..1969-04
    ("female", D(1968, 9, 1), (56, 8), D(2025, 5, 1), D(2025, 5, 31)),
    ("female", D(1968, 9, 30), (56, 8), D(2025, 5, 30), D(2025, 5, 31)),
    ("female", D(1968, 10, 31), (56, 8), D(2025, 6, 30), D(2025, 6, 30)),
    ("female", D(1969, 4, 30), (56, 8), D(2025, 12, 30), D(2025, 12, 31)),
    # 2026: 57y, born 1969-05..1969-12
    ("female", D(1969, 5, 1), (57, 0), D(2026, 5, 1), D(2026, 5, 31)),
    ("female", D(1969, 5, 31), (57, 0), D(2026, 5, 31), D(2026, 5, 31)),
    ("female", D(1969, 12, 31), (57, 0), D(2026, 12, 31), D(2026, 12, 31)),
    # 2027: 57y4m, born 1970-01..1970-08
    ("female", D(1970, 1, 1), (57, 4), D(2027, 5, 1), D(2027, 5, 31)),
    ("female", D(1970, 1, 31), (57, 4), D(2027, 5, 31), D(2027, 5, 31)),
    ("female", D(1970, 8, 31), (57, 4), D(2027, 12, 31), D(2027, 12, 31)),
    # 2028: 57y8m, born 1970-09..1971-04
    ("female", D(1970, 9, 1), (57, 8), D(2028, 5, 1), D(2028, 5, 31)),
    ("female", D(1970, 9, 30), (57, 8), D(2028, 5, 30), D(2028, 5, 31)),
    ("female", D(1970, 10, 31), (57, 8), D(2028, 6, 30), D(2028, 6, 30)),
    ("female", D(1971, 4, 30), (57, 8), D(2028, 12, 30), D(2028, 12, 31)),
    # 2029: 58y, born 1971-05..1971-12
    ("female", D(1971, 5, 1), (58, 0), D(2029, 5, 1), D(2029, 5, 31)),
    ("female", D(1971, 5, 31), (58, 0), D(2029, 5, 31), D(2029, 5, 31)),
    ("female", D(1971, 12, 31), (58, 0), D(2029, 12, 31), D(2029, 12, 31)),
    # 2030: 58y4m, born 1972-01..1972-08
    ("female", D(1972, 1, 1), (58, 4), D(2030, 5, 1), D(2030, 5, 31)),
    ("female", D(1972, 1, 31), (58, 4), D(2030, 5, 31), D(2030, 5, 31)),
    ("female", D(1972, 2, 29), (58, 4), D(2030, 6, 29), D(2030, 6, 30)),
    ("female", D(1972, 8, 31), (58, 4), D(2030, 12, 31), D(2030, 12, 31)),
    # 2031: 58y8m, born 1972-09..1973-04
    ("female", D(1972, 9, 1), (58, 8), D(2031, 5, 1), D(2031, 5, 31)),
    ("female", D(1972, 9, 30), (58, 8), D(2031, 5, 30), D(2031, 5, 31)),
    ("female", D(1972, 10, 31), (58, 8), D(2031, 6, 30), D(2031, 6, 30)),
    ("female", D(1973, 4, 30), (58, 8), D(2031, 12, 30), D(2031, 12, 31)),
    # 2032: 59y, born 1973-05..1973-12
    ("female", D(1973, 5, 1), (59, 0), D(2032, 5, 1), D(2032, 5, 31)),
    ("female", D(1973, 5, 31), (59, 0), D(2032, 5, 31), D(2032, 5, 31)),
    ("female", D(1973, 12, 31), (59, 0), D(2032, 12, 31), D(2032, 12, 31)),
    # 2033: 59y4m, born 1974-01..1974-08
    ("female", D(1974, 1, 1), (59, 4), D(2033, 5, 1), D(2033, 5, 31)),
    ("female", D(1974, 1, 31), (59, 4), D(2033, 5, 31), D(2033, 5, 31)),
    ("female", D(1974, 8, 31), (59, 4), D(2033, 12, 31), D(2033, 12, 31)),
    # 2034: 59y8m, born 1974-09..1975-04
    ("female", D(1974, 9, 1), (59, 8), D(2034, 5, 1), D(2034, 5, 31)),
    ("female", D(1974, 9, 30), (59, 8), D(2034, 5, 30), D(2034, 5, 31)),
    ("female", D(1974, 10, 31), (59, 8), D(2034, 6, 30), D(2034, 6, 30)),
    ("female", D(1975, 4, 30), (59, 8), D(2034, 12, 30), D(2034, 12, 31)),
    # 2035: 60y (final), born 1975-05..1975-12 (1975-05 + 59y8m would be 2035-01: not 2034)
    ("female", D(1975, 5, 1), (60, 0), D(2035, 5, 1), D(2035, 5, 31)),
    ("female", D(1975, 5, 31), (60, 0), D(2035, 5, 31), D(2035, 5, 31)),
    ("female", D(1975, 12, 31), (60, 0), D(2035, 12, 31), D(2035, 12, 31)),
    # 2036: 60y, born 1976 (full year)
    ("female", D(1976, 1, 1), (60, 0), D(2036, 1, 1), D(2036, 1, 31)),
    ("female", D(1976, 1, 31), (60, 0), D(2036, 1, 31), D(2036, 1, 31)),
    ("female", D(1976, 2, 29), (60, 0), D(2036, 2, 29), D(2036, 2, 29)),
    ("female", D(1976, 12, 31), (60, 0), D(2036, 12, 31), D(2036, 12, 31)),
    ("female", D(1977, 3, 15), (60, 0), D(2037, 3, 15), D(2037, 3, 31)),
]


@pytest.mark.parametrize(
    ("gender", "birth", "age", "reached", "expected"),
    RETIREMENT_CASES,
    ids=[f"{g}-{b.isoformat()}" for g, b, _, _, _ in RETIREMENT_CASES],
)
def test_retirement_date_table(gender: str, birth: date, age: tuple[int, int], reached: date, expected: date) -> None:
    years, months = age
    assert retirement_age_months(gender, reached.year) == years * 12 + months
    assert add_months(birth, years * 12 + months) == reached
    assert retirement_date(birth, gender) == expected


def test_retirement_table_covers_every_year_and_boundary() -> None:
    # Every retirement year 2021-2036, both genders, has a person reaching the age on a
    # 1st and one reaching it on the last day of a month.
    for gender in GENDERS:
        for year in range(2021, 2037):
            reached = [r for g, _, _, r, _ in RETIREMENT_CASES if g == gender and r.year == year]
            assert any(r.day == 1 for r in reached), (gender, year)
            assert any(r == last_day_of_month(r) for r in reached), (gender, year)


@pytest.mark.parametrize(
    ("gender", "first_birth", "last_birth"),
    [
        # The first Y with c(Y).year == Y wins even when the next year's age also lands in
        # its own year: born 1961-09 reaches 60y3m in 2021-12 (60y6m would be 2022-03).
        ("male", D(1961, 9, 1), D(2021, 12, 31)),
        ("male", D(1962, 6, 1), D(2022, 12, 31)),
        ("female", D(1966, 8, 1), D(2021, 12, 31)),
        ("female", D(1975, 4, 1), D(2034, 12, 31)),
    ],
)
def test_retirement_first_matching_year_wins(gender: str, first_birth: date, last_birth: date) -> None:
    assert retirement_date(first_birth, gender) == last_birth


# Independent reference: the roadmap table of NĐ 135/2020 Phụ lục I as literal
# (years, months) pairs, and month arithmetic on (year, month) pairs only.
ROADMAP: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {
    # year: ((men years, months), (women years, months))
    2021: ((60, 3), (55, 4)),
    2022: ((60, 6), (55, 8)),
    2023: ((60, 9), (56, 0)),
    2024: ((61, 0), (56, 4)),
    2025: ((61, 3), (56, 8)),
    2026: ((61, 6), (57, 0)),
    2027: ((61, 9), (57, 4)),
    2028: ((62, 0), (57, 8)),
    2029: ((62, 0), (58, 0)),
    2030: ((62, 0), (58, 4)),
    2031: ((62, 0), (58, 8)),
    2032: ((62, 0), (59, 0)),
    2033: ((62, 0), (59, 4)),
    2034: ((62, 0), (59, 8)),
}
BEFORE_2021 = ((60, 0), (55, 0))
FROM_2035 = ((62, 0), (60, 0))


def reference_retirement_month(birth_year: int, birth_month: int, gender: str) -> tuple[int, int]:
    """First calendar year Y in which birth (year, month) + the age of year Y lands in Y."""
    pick = 0 if gender == "male" else 1
    for year in range(birth_year + 40, birth_year + 80):
        if year < 2021:
            years, months = BEFORE_2021[pick]
        elif year >= 2035:
            years, months = FROM_2035[pick]
        else:
            years, months = ROADMAP[year][pick]
        total = (birth_year + years) * 12 + (birth_month - 1) + months
        if total // 12 == year:
            return year, total % 12 + 1
    raise AssertionError("no retirement year")


def reference_retirement_date(birth: date, gender: str) -> date:
    year, month = reference_retirement_month(birth.year, birth.month, gender)
    return date(year, month, calendar.monthrange(year, month)[1])


@settings(max_examples=300)
@given(st.dates(min_value=D(1955, 1, 1), max_value=D(2000, 12, 31)), st.sampled_from(GENDERS))
def test_retirement_date_matches_reference(birth: date, gender: str) -> None:
    r = retirement_date(birth, gender)
    assert r == reference_retirement_date(birth, gender)
    assert (r + timedelta(days=1)).day == 1
    assert r >= birth


def test_retirement_date_matches_reference_every_birth_month() -> None:
    # The retirement month depends only on the birth month; check every month
    # 1955-01..2000-12 on its first, 29th (or last) and last day, both genders.
    for year in range(1955, 2001):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            for day in {1, min(29, last), last}:
                birth = D(year, month, day)
                for gender in GENDERS:
                    assert retirement_date(birth, gender) == reference_retirement_date(birth, gender), (birth, gender)


def test_reference_agrees_with_hand_table() -> None:
    # Guard the reference itself against the hand-computed table above.
    for gender, birth, _, _, expected in RETIREMENT_CASES:
        assert reference_retirement_date(birth, gender) == expected, (gender, birth)


# ---------------------------------------------------------------- months_to_retirement


@pytest.mark.parametrize(
    ("birth", "gender", "on", "expected"),
    [
        # man born 1968-07-15 retires 2030-07-31 (a month's last day, so before it the
        # count is the plain month difference)
        (D(1968, 7, 15), "male", D(2030, 7, 31), 0),
        (D(1968, 7, 15), "male", D(2030, 7, 1), 0),  # retirement within the coming month
        (D(1968, 7, 15), "male", D(2030, 6, 30), 1),  # + 1 month = 2030-07-30 <= 07-31
        (D(1968, 7, 15), "male", D(2030, 6, 1), 1),
        (D(1968, 7, 15), "male", D(2030, 5, 31), 2),  # + 2 months = 2030-07-31
        (D(1968, 7, 15), "male", D(2025, 7, 31), 60),
        (D(1968, 7, 15), "male", D(2025, 8, 1), 59),
        (D(1968, 7, 15), "male", D(2030, 8, 30), 0),  # past, but by less than a whole month
        (D(1968, 7, 15), "male", D(2030, 8, 31), -1),
        (D(1968, 7, 15), "male", D(2031, 7, 31), -12),
        # woman born 1966-05-10 retires 2021-09-30
        (D(1966, 5, 10), "female", D(2021, 8, 31), 1),  # + 1 month clamps to 2021-09-30
        (D(1966, 5, 10), "female", D(2021, 9, 1), 0),
        (D(1966, 5, 10), "female", D(2021, 10, 29), 0),  # 2021-09-30 + 1 month = 10-30
        (D(1966, 5, 10), "female", D(2021, 10, 30), -1),
    ],
)
def test_months_to_retirement_examples(birth: date, gender: str, on: date, expected: int) -> None:
    assert months_to_retirement(birth, gender, on) == expected


@settings(max_examples=100)
@given(
    st.dates(min_value=D(1955, 1, 1), max_value=D(2000, 12, 31)),
    st.sampled_from(GENDERS),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2070, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2070, 12, 31)),
)
def test_months_to_retirement_non_increasing(birth: date, gender: str, a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    m_lo = months_to_retirement(birth, gender, lo)
    m_hi = months_to_retirement(birth, gender, hi)
    assert m_hi <= m_lo
    retire = retirement_date(birth, gender)
    if lo <= retire:
        assert m_lo >= 0
        assert add_months(lo, m_lo) <= retire < add_months(lo, m_lo + 1)
    else:
        assert m_lo <= 0
        assert add_months(retire, -m_lo) <= lo < add_months(retire, -m_lo + 1)


# -------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-02-28", D(2023, 2, 28)),
        ("2024-02-29", D(2024, 2, 29)),
        ("  2023-12-31\n", D(2023, 12, 31)),
        ("31/12/2023", D(2023, 12, 31)),
        ("29/02/2024", D(2024, 2, 29)),
        ("1/2/2023", D(2023, 2, 1)),
        ("01/2/2023", D(2023, 2, 1)),
        ("5/11/1970", D(1970, 11, 5)),
        ("1968", D(1968, 1, 1)),
        (" 1968 ", D(1968, 1, 1)),
        ("1900", D(1900, 1, 1)),
        ("31/12/2100", D(2100, 12, 31)),
        # as Vietnamese offices write them (issue 16)
        ("05-03-1975", D(1975, 3, 5)),
        ("05.03.1985", D(1985, 3, 5)),
        ("03/1982", D(1982, 3, 1)),
        ("3.1982", D(1982, 3, 1)),
        ("12-1990", D(1990, 12, 1)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-02-30", r"impossible date: 2023-02-30 \(February has 28 days in 2023\)"),
        ("31/02/2023", r"impossible date: 31/02/2023 \(February has 28 days in 2023\)"),
        ("30/02/2024", r"February has 29 days in 2024"),
        ("29/02/1900", r"February has 28 days in 1900"),
        ("31/04/2023", r"April has 30 days in 2023"),
        ("31/13/2020", r"impossible date: 31/13/2020 \(the month must be between 1 and 12\)"),
        ("2020-00-10", r"month must be between 1 and 12"),
        ("00/01/2020", r"day must be at least 1"),
        ("2020-01-00", r"day must be at least 1"),
        ("abc", r"not a date: expected YYYY-MM-DD, DD/MM/YYYY, MM/YYYY or YYYY"),
        ("", r"not a date"),
        ("   ", r"not a date"),
        ("20231", r"not a date"),
        ("023", r"not a date"),
        ("2023-1-5", r"not a date"),
        ("2023/01/05", r"not a date"),
        ("01-05/2023", r"not a date"),  # one separator throughout
        ("13/2020", r"the month must be between 1 and 12"),
        ("1/1/23", r"not a date"),
        ("1/001/2020", r"not a date"),
        ("001/1/2020", r"not a date"),
        ("2023-01-05T00:00", r"not a date"),
        ("\uff11\uff19\uff16\uff18", r"not a date"),  # full-width digits are not accepted
        ("1899", r"year out of range: 1899"),
        ("31/12/1899", r"year out of range"),
        ("2101-01-01", r"year out of range"),
        ("0000", r"year out of range"),
    ],
)
def test_parse_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


@settings(max_examples=100)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_parse_date_round_trips(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}") == d
    assert parse_date(f"{d.day}/{d.month}/{d.year}") == d


@settings(max_examples=200)
@given(year=st.integers(0, 9999), month=st.integers(0, 99), day=st.integers(0, 99), pad=st.sampled_from(["", " "]))
def test_an_iso_date_is_read_as_its_parts_say(year: int, month: int, day: int, pad: str) -> None:
    """``YYYY-MM-DD`` (read by ``date.fromisoformat``) is the date of its parts when they make one between 1900
    and 2100; else the reason says which part is wrong, as for ``DD/MM/YYYY``."""
    text = f"{pad}{year:04d}-{month:02d}-{day:02d}{pad}"
    in_range = 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    if in_range:
        assert parse_date(text) == date(year, month, day)
        return
    with pytest.raises(ValueError) as iso:
        parse_date(text)
    with pytest.raises(ValueError) as dmy:
        parse_date(f"{day:02d}/{month:02d}/{year:04d}")
    assert str(iso.value).replace(text.strip(), "D") == str(dmy.value).replace(f"{day:02d}/{month:02d}/{year:04d}", "D")


_SPACES = st.lists(st.sampled_from([" ", "\n", "\r", "\x0b", "\u00a0", "\u3000", "\u2028"]), max_size=2).map("".join)
_MONTH_YEAR = st.tuples(_SPACES, st.sampled_from(["3/1982", "03.1982", "12-2020", "3/19821", "2020-01", "3//1982"]),
                        _SPACES).map("".join)


@settings(max_examples=200)
@given(st.lists(_MONTH_YEAR | st.lists(st.sampled_from(["0", "3", "1982", "2020-01-05", "/", ".", "-", " ", "\n", "x",
                                                       "\u0663"]), max_size=6).map("".join), max_size=6))
def test_month_years_are_those_of_each_text(texts: list[str]) -> None:
    """(``month_years`` looks at each text only when the texts joined have a line that is one.)"""
    assert month_years(texts) == [text for text in texts if is_month_year(text)]


@settings(max_examples=100)
@given(st.text(max_size=12))
def test_parse_date_only_raises_value_error(text: str) -> None:
    try:
        result = parse_date(text)
    except ValueError:
        return
    assert D(1900, 1, 1) <= result <= D(2100, 12, 31)


ENDS = [date(2024, 1, 31), date(2024, 2, 28), date(2024, 2, 29), date(2023, 2, 28), date(2024, 4, 30),
        date(2024, 4, 29), date(2024, 3, 1), date(2024, 12, 31), date(2024, 6, 15), date(2025, 1, 1)]


def test_batch_complete_months_equal_one_at_a_time() -> None:
    # every day of six years (leap days and month ends) against ends on and off a month's last day
    days = [date(2019, 1, 1) + timedelta(days=k) for k in range((date(2025, 1, 1) - date(2019, 1, 1)).days)]
    for end in ENDS:
        starts = [d for d in days if d <= end]
        assert complete_months_to(starts, end) == [complete_months(d, end) for d in starts]
        assert all(type(k) is int for k in complete_months_to(starts, end))


def test_batch_months_since_and_running_equal_one_at_a_time() -> None:
    starts = [None, date(2024, 1, 31), None, date(2025, 3, 1), date(2020, 2, 29), date(2024, 6, 15), None]
    for end in ENDS:
        assert months_since_of(starts, end) == [months_since(d, end) for d in starts]
        assert running_of(starts, end) == [running(d, end) for d in starts]
    assert months_since_of([], ENDS[0]) == [] == running_of([], ENDS[0])
    assert months_since_of([None, None], ENDS[0]) == [None, None]


_ISO_PIECES = st.sampled_from(["2020-01-05", "1899-12-31", "2101-01-01", "2023-02-29", "2024-02-29", "0000-01-01",
                               "1980-13-01", "05/01/2020", "2020", "2020-1-05", "2020-01-05\n", "\u0662020-01-05"])


@settings(max_examples=200)
@given(st.lists(_ISO_PIECES, min_size=1, max_size=5))
def test_dates_at_once_are_each_texts_date(texts: list[str]) -> None:
    """``parse_dates`` gives each text's ``parse_date`` when it gives anything; nothing when one is not a
    ``YYYY-MM-DD`` date between 1900 and 2100 (then each is parsed, a refused one told)."""
    try:
        expected: list[date] | None = [parse_date(text) for text in texts]
    except ValueError:
        expected = None
    found = parse_dates(texts)
    assert found == expected or (found is None and not all(len(t) == 10 and t[4] == "-" for t in texts))


def test_years_only_are_the_texts_parse_date_reads_as_a_year() -> None:
    texts = ["1962", " 1978 ", "1962\u00a0", "03/1982", "1962-01-01", "19620", "962", "x1962", ""]
    assert years_only(texts) == ["1962", " 1978 ", "1962\u00a0"]
    assert years_only(["03/1982", "1962-01-01"]) == []
