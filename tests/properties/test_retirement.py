"""The retirement law (Bộ luật Lao động 2019 Điều 169, NĐ 135/2020/NĐ-CP Điều 4 and Phụ lục I).

An independent, table-driven oracle: the ages by calendar year written out as the decree lists them,
and the decree's table built by walking the calendar years forward (each birth month retires in the
first year whose age it reaches within that year), checked against rows copied from Phụ lục I.
"""

from __future__ import annotations

import calendar
from datetime import date
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules.model._dates import retirement_date

from ._support import scaled

# NĐ 135/2020 Điều 4: the retirement age (years, months) of someone who reaches it in the calendar year.
MEN = {2021: (60, 3), 2022: (60, 6), 2023: (60, 9), 2024: (61, 0), 2025: (61, 3), 2026: (61, 6), 2027: (61, 9)}
WOMEN = {2021: (55, 4), 2022: (55, 8), 2023: (56, 0), 2024: (56, 4), 2025: (56, 8), 2026: (57, 0), 2027: (57, 4),
         2028: (57, 8), 2029: (58, 0), 2030: (58, 4), 2031: (58, 8), 2032: (59, 0), 2033: (59, 4), 2034: (59, 8)}
BEFORE_2021 = {"male": (60, 0), "female": (55, 0)}  # Bộ luật Lao động 2012 Điều 187
FROM_END = {"male": (62, 0), "female": (60, 0)}  # from 2028 (men), 2035 (women)


def age_in(gender: str, year: int) -> int:
    """The retirement age in months for someone reaching it in ``year``."""
    table = MEN if gender == "male" else WOMEN
    if year < 2021:
        years, months = BEFORE_2021[gender]
    elif year in table:
        years, months = table[year]
    else:
        years, months = FROM_END[gender]
    return years * 12 + months


def build_table(gender: str) -> dict[tuple[int, int], tuple[int, int]]:
    """(birth year, birth month) -> (retirement year, month), walking the calendar years forward."""
    table: dict[tuple[int, int], tuple[int, int]] = {}
    for year in range(1995, 2075):
        age = age_in(gender, year)
        for month in range(1, 13):  # who reaches ``age`` in this month of ``year``?
            born = year * 12 + (month - 1) - age
            key = (born // 12, born % 12 + 1)
            table.setdefault(key, (year, month))  # the first year whose age is reached wins
    return table


TABLES = {gender: build_table(gender) for gender in ("male", "female")}

# Rows of NĐ 135/2020 Phụ lục I: (birth month, birth year) -> (retirement month, year).
PUBLISHED = {
    "male": [((1, 1961), (4, 2021)), ((9, 1961), (12, 2021)), ((10, 1961), (4, 2022)), ((6, 1962), (12, 2022)),
             ((7, 1962), (4, 2023)), ((3, 1963), (12, 2023)), ((4, 1963), (4, 2024)), ((12, 1963), (12, 2024)),
             ((1, 1964), (4, 2025)), ((9, 1964), (12, 2025)), ((10, 1964), (4, 2026)), ((6, 1965), (12, 2026)),
             ((7, 1965), (4, 2027)), ((3, 1966), (12, 2027)), ((4, 1966), (4, 2028)), ((12, 1960), (12, 2020))],
    "female": [((1, 1966), (5, 2021)), ((8, 1966), (12, 2021)), ((9, 1966), (5, 2022)), ((4, 1967), (12, 2022)),
               ((5, 1967), (5, 2023)), ((12, 1967), (12, 2023)), ((1, 1968), (5, 2024)), ((9, 1968), (5, 2025)),
               ((5, 1969), (5, 2026)), ((1, 1970), (5, 2027)), ((9, 1970), (5, 2028)), ((5, 1971), (5, 2029)),
               ((1, 1972), (5, 2030)), ((9, 1972), (5, 2031)), ((5, 1973), (5, 2032)), ((1, 1974), (5, 2033)),
               ((9, 1974), (5, 2034)), ((4, 1975), (12, 2034)), ((5, 1975), (5, 2035)), ((12, 1965), (12, 2020))],
}


def expected_retirement(birth: date, gender: str) -> date:
    year, month = TABLES[gender][(birth.year, birth.month)]
    return date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize("gender", ["male", "female"])
def test_the_oracle_table_has_the_published_rows(gender: str) -> None:
    for (birth_month, birth_year), (month, year) in PUBLISHED[gender]:
        assert TABLES[gender][(birth_year, birth_month)] == (year, month)


@pytest.mark.parametrize("gender", ["male", "female"])
def test_every_birth_date_1955_to_2000_retires_as_the_table_says(gender: str) -> None:
    """Exhaustively, every day from 1955-01-01 to 2000-12-31."""
    day, last = date(1955, 1, 1), date(2000, 12, 31)
    while day <= last:
        got = retirement_date(day, gender)
        assert got == expected_retirement(day, gender), (day, gender)
        day += timedelta(days=1)


@settings(max_examples=scaled(2))
@given(st.dates(date(1955, 1, 1), date(2000, 12, 31)), st.sampled_from(["male", "female"]))
def test_retirement_date_is_the_last_day_of_the_month_the_age_is_reached(birth: date, gender: str) -> None:
    got = retirement_date(birth, gender)
    assert got == expected_retirement(birth, gender)
    assert (got + timedelta(days=1)).day == 1  # the last day of its month
    months = (got.year * 12 + got.month) - (birth.year * 12 + birth.month)
    assert months == age_in(gender, got.year)  # the age of the year in which it is reached
    assert 55 * 12 <= months <= 62 * 12
