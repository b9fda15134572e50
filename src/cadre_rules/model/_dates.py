"""Calendar arithmetic for the rules: month addition, completed months and years, retirement dates.

Everything here is pure integer arithmetic on ``(year, month, day)`` triples: the
functions that are called once per official (:func:`age_on`, :func:`complete_months`,
:func:`retirement_date`) never loop over days, and :func:`retirement_date` is cached.

Month arithmetic clamps to the end of the month (2023-01-31 + 1 month = 2023-02-28),
as in Vietnamese social-insurance practice.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import MAXYEAR
from datetime import MINYEAR
from datetime import date
from datetime import timedelta
from itertools import repeat

from ..errors import N_
from ..errors import InvalidValue
from ..errors import day as written_day

__all__ = [
    "DISTRICTS_ABOLISHED",
    "add_months",
    "age_on",
    "ages_on",
    "complete_months",
    "complete_months_to",
    "is_month_year",
    "last_day_of_month",
    "month_years",
    "months_to_retirement",
    "parse_date",
    "parse_dates",
    "retirement_age_months",
    "retirement_date",
    "years_only",
]

#: The day the district level of local government ended (Nghị quyết 202/2025/QH15; Luật Tổ chức chính
#: quyền địa phương 2025): from this date on, communes and wards are directly under the city.
DISTRICTS_ABOLISHED = date(2025, 7, 1)

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_NAMES = (
    "",
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

# Years parse_date accepts (inclusive).
_MIN_PARSE_YEAR = 1900
_MAX_PARSE_YEAR = 2100

# Retirement ages in months (Bộ luật Lao động 2019 Điều 169 khoản 2; NĐ 135/2020 Điều 4).
_MALE_OLD_AGE = 60 * 12  # reached before 2021 (Bộ luật Lao động 2012 Điều 187)
_FEMALE_OLD_AGE = 55 * 12
_MALE_FINAL_AGE = 62 * 12  # reached from 2028 on
_FEMALE_FINAL_AGE = 60 * 12  # reached from 2035 on
_MALE_STEP = 3  # months added per calendar year from 2021 (60y3m in 2021)
_FEMALE_STEP = 4  # months added per calendar year from 2021 (55y4m in 2021)
_ROADMAP_START = 2021


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


def add_months(d: date, months: int) -> date:
    """Add calendar months to ``d``, clamping the day to the end of the target month.

    ``add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)``;
    ``add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)``; ``months`` may be negative.

    :raises OverflowError: if the result falls outside the years ``datetime`` supports.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"date value out of range: {d.isoformat()} + {months} months")
    month = month0 + 1
    day = d.day
    if day > 28:
        day = min(day, _days_in_month(year, month))
    return date(year, month, day)


def complete_months(start: date, end: date) -> int:
    """Number of complete calendar months from ``start`` to ``end``.

    For ``end >= start`` this is the largest ``k`` with ``add_months(start, k) <= end``:
    ``(2023-01-31, 2023-02-28) -> 1``, ``(2023-01-31, 2023-02-27) -> 0``,
    ``(2020-01-15, 2022-01-14) -> 23``, ``(2020-01-15, 2022-01-15) -> 24``.

    For ``end < start`` the result is ``-complete_months(end, start)``: the count is
    antisymmetric and truncates toward zero (an interval shorter than a month is 0
    in both directions). Note that this is *not* the largest ``k`` with
    ``add_months(start, k) <= end`` when ``end < start``: for
    ``(2023-03-15, 2023-02-20)`` that would be -1, this function returns 0.
    """
    if end < start:
        return -complete_months(end, start)
    k = (end.year - start.year) * 12 + (end.month - start.month)
    # add_months(start, k) lies in end's month, on day min(start.day, days in that month);
    # it overshoots end exactly when start.day > end.day and end is not the month's last day.
    if start.day > end.day and end.day != _days_in_month(end.year, end.month):
        k -= 1
    return k


def age_on(birth: date, on: date) -> int:
    """Completed years of age on ``on`` of someone born on ``birth``.

    The birthday counts: someone turning 35 on ``on`` is 35. A 29 February birthday is
    reached on 1 March in common years (born 2000-02-29: 22 on 2023-02-28, 23 on
    2023-03-01). If ``on`` precedes ``birth`` the result is negative (floor semantics:
    -1 for the year before birth); callers should validate their data.
    """
    years = on.year - birth.year
    if on.month < birth.month or (on.month == birth.month and on.day < birth.day):
        years -= 1
    return years


_YEAR = operator.attrgetter("year")
_MONTH = operator.attrgetter("month")
_DAY = operator.attrgetter("day")
_MONTH_DAY = operator.attrgetter("month", "day")


def ages_on(births: Sequence[date], on: date) -> list[int]:
    """:func:`age_on` of each of ``births`` in C loops: the years between, less one where the birthday (month,
    day) comes after ``on``'s in the year (29 February after 28 February: reached on 1 March)."""
    years = map(operator.sub, repeat(on.year), map(_YEAR, births))
    return list(map(operator.sub, years, map(operator.gt, map(_MONTH_DAY, births), repeat((on.month, on.day)))))


def complete_months_to(starts: Sequence[date], end: date) -> list[int]:
    """:func:`complete_months` from each of ``starts`` (none after ``end``) to ``end``, in C loops."""
    months = map(operator.add, map(operator.mul, map(_YEAR, starts), repeat(12)), map(_MONTH, starts))
    counts = list(map(operator.sub, repeat(end.year * 12 + end.month), months))
    if end.day != _days_in_month(end.year, end.month):  # a start later in its month than ``end``: a month fewer
        counts = list(map(operator.sub, counts, map(operator.gt, map(_DAY, starts), repeat(end.day))))
    return counts


def last_day_of_month(d: date) -> date:
    """The last day of the month of ``d``."""
    return date(d.year, d.month, _days_in_month(d.year, d.month))


def _gender_error(gender: str) -> ValueError:
    return ValueError(f"unknown gender: {gender!r} (expected 'male' or 'female')")


def retirement_age_months(gender: str, year: int) -> int:
    """Retirement age in months, in normal working conditions, for someone who reaches it in ``year``.

    Bộ luật Lao động 2019 Điều 169 khoản 2 and NĐ 135/2020 Điều 4: from 2021 men retire at
    60 years 3 months (723 months), plus 3 months per year until 62 years (744) in 2028;
    women at 55 years 4 months (664), plus 4 months per year until 60 years (720) in 2035.
    Before 2021: men 60 years (720), women 55 years (660).

    :param gender: ``"male"`` or ``"female"``.
    :raises ValueError: for any other gender.
    """
    steps = year - (_ROADMAP_START - 1)
    if gender == "male":
        if steps <= 0:
            return _MALE_OLD_AGE
        return min(_MALE_OLD_AGE + _MALE_STEP * steps, _MALE_FINAL_AGE)
    if gender == "female":
        if steps <= 0:
            return _FEMALE_OLD_AGE
        return min(_FEMALE_OLD_AGE + _FEMALE_STEP * steps, _FEMALE_FINAL_AGE)
    raise _gender_error(gender)


def retirement_date(birth: date, gender: str) -> date:
    """The normal-conditions retirement date of someone born on ``birth``.

    Law: Bộ luật Lao động 2019 Điều 169 khoản 2 and NĐ 135/2020/NĐ-CP Điều 4 with Phụ lục I
    (ages by calendar year, see :func:`retirement_age_months`; the age applicable is the one
    of the calendar year in which it is reached) and NĐ 135/2020 Điều 3 (the retirement time
    is the end of the last day of the month in which the age is reached). Early or late retirement
    (Điều 169 khoản 3, 4) is out of scope.

    Algorithm: for a calendar year ``Y`` let ``c(Y) = add_months(birth, retirement_age_months(
    gender, Y))`` (day clamping never changes the month, so only ``(year, month)`` matters and
    the code works on month indices ``year * 12 + month - 1``). The age is reached in the
    first ``Y`` with ``c(Y).year == Y``; the result is the last day of ``c(Y)``'s month.

    Why this terminates, and where to start: let ``f(Y) = c(Y).year - Y``. The age never
    decreases with ``Y`` and grows by at most 4 months a year, so ``c(Y + 1)`` lies 0-4
    months after ``c(Y)``; hence ``f(Y + 1) - f(Y)`` is 0 or -1, and ``f`` meets 0. Every
    age is between 55 and 62 years, so ``c(Y).year`` is between ``birth.year + 55`` and
    ``birth.year + 62``: ``f >= 0`` at ``Y = birth.year + 55`` and no ``Y`` before it can
    be a solution, and ``f <= 0`` at ``Y = birth.year + 62``. At most 8 years are tried.

    Several ``Y`` may satisfy ``c(Y).year == Y`` (a man born 09/1961 reaches 60y3m in
    12/2021 and would reach 60y6m in 03/2022); the first one wins, as in the table of
    NĐ 135/2020 Phụ lục I (he retires 12/2021). When ``c(Y)`` lands in ``Y + 1`` (born
    10/1961: 60y3m falls in 01/2022) the 2022 age applies (60y6m: 04/2022).

    Examples: man born 1960-12-01 -> 60y in 2020-12 -> 2020-12-31 (old age); man born
    1961-01-01 -> 60y3m in 2021-04 -> 2021-04-30; woman born 1966-05-10 -> 55y4m in
    2021-09 -> 2021-09-30; man born 1968-07-15 -> 62y in 2030-07 -> 2030-07-31.

    :param gender: ``"male"`` or ``"female"``.
    :raises ValueError: for any other gender.
    """
    return _retirement_by_month(birth.year * 12 + (birth.month - 1), gender)


@functools.lru_cache(maxsize=4096)
def _retirement_by_month(birth_index: int, gender: str) -> date:
    """:func:`retirement_date` of someone born in the month ``birth_index`` (``year * 12 + month - 1``):
    the day of birth never matters."""
    if gender not in ("male", "female"):
        raise _gender_error(gender)
    birth_year = birth_index // 12
    for year in range(birth_year + 55, birth_year + 63):
        index = birth_index + retirement_age_months(gender, year)
        if index // 12 == year:
            month = index % 12 + 1
            return date(year, month, _days_in_month(year, month))
    raise AssertionError("unreachable: no retirement year found")  # pragma: no cover


def months_to_retirement(birth: date, gender: str, on: date) -> int:
    """Complete months from ``on`` until the retirement date (see :func:`retirement_date`).

    ``complete_months(on, retirement_date(birth, gender))``: 0 when the retirement date is
    less than a month away, and negative once retired (``-complete_months(retirement, on)``,
    so it stays 0 during the first incomplete month after the retirement date).
    """
    return complete_months(on, retirement_date(birth, gender))


_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY_RE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_MY_RE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{4})")
_YEAR_RE = re.compile(r"[0-9]{4}")
#: A day, a month and a year of two digits (``15/03/85``, ``5-3-85``).
_SHORT_YEAR_RE = re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{2}")
#: The word before a year given alone (``năm 1985``, ``Năm 1985``).
_YEAR_WORD = re.compile(r"n[aă]m\s+(?=[0-9]{4}$)", re.IGNORECASE)


def is_month_year(text: str) -> bool:
    """Whether ``text`` is a month and a year only (``03/1982``), which :func:`parse_date` reads as the
    first of the month."""
    return _MY_RE.fullmatch(_unmarked(text)) is not None


def _unmarked(text: str) -> str:
    """``text`` stripped, without an apostrophe before it (Excel's mark of a text, which a file another program
    wrote may keep) and without the word before a year alone (``năm 1985``)."""
    stripped = text.strip().removeprefix("'")
    if match := _YEAR_WORD.match(stripped):
        return stripped[match.end():]
    return stripped


#: A line that is a month and a year only, spaces around it (``\\s`` is what ``str.strip`` strips), of texts joined
#: by line ends.
_MY_LINE = re.compile(r"^[^\S\n]*[0-9]{1,2}[/.-][0-9]{4}[^\S\n]*$", re.MULTILINE)


def month_years(texts: Iterable[str]) -> list[str]:
    """The texts that are a month and a year only (:func:`is_month_year`), in order: each looked at only when
    the texts joined by line ends have a line that is one (one search in C; a text that is one is such a line,
    its spaces, line ends included, stripped)."""
    texts = list(texts)
    if _MY_LINE.search("\n".join(texts)) is None:
        return []
    return [text for text in texts if is_month_year(text)]


#: A line that is a year only, spaces around it, of texts joined by line ends (as :data:`_MY_LINE`).
_YEAR_LINE = re.compile(r"^[^\S\n]*(?:'|(?i:n[aă]m)[^\S\n]+)?[0-9]{4}[^\S\n]*$", re.MULTILINE)


def years_only(texts: Iterable[str]) -> list[str]:
    """The texts that are a year only (``1962``), which :func:`parse_date` reads as 1 January, in order: each looked
    at only when the texts joined by line ends have a line that is one (as :func:`month_years`)."""
    texts = list(texts)
    if _YEAR_LINE.search("\n".join(texts)) is None:
        return []
    return [text for text in texts if _YEAR_RE.fullmatch(_unmarked(text))]


#: Texts joined by line ends that are all ``YYYY-MM-DD``.
_ISO_LINES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\n[0-9]{4}-[0-9]{2}-[0-9]{2})*")


#: Excel's day numbers of five digits to 2099-12-31 (1927-05-18 to 2099-12-31): what a date cell shows once
#: formatted as a number.
_SERIALS = (10000, 73050)
#: The day before Excel's day 1 (1900-01-01), counting its 29 February 1900 that never was: day 60 on.
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_dates(texts: list[str]) -> list[date] | None:
    """:func:`parse_date` of every text (each stripped and not empty), known at once when all are ``YYYY-MM-DD``
    dates between 1900 and 2100 (one match of the texts joined, then C loops); else ``None`` (then parse them
    one by one: a refused one is told)."""
    if not texts or _ISO_LINES.fullmatch("\n".join(texts)) is None:
        return None
    try:
        dates = list(map(date.fromisoformat, texts))
    except ValueError:  # (an impossible date)
        return None
    if min(dates).year < _MIN_PARSE_YEAR or max(dates).year > _MAX_PARSE_YEAR:
        return None
    return dates


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD``, ``DD/MM/YYYY`` (also ``D/M/YYYY``, ``DD-MM-YYYY``, ``DD.MM.YYYY``), ``MM/YYYY``
    (also ``MM-YYYY``, ``MM.YYYY``) or ``YYYY``: the dates as Vietnamese offices write them.

    Surrounding whitespace is ignored. A year alone means 1 January of that year, as
    NĐ 135/2020 Điều 3 does when only the year of birth is known; a month and a year, the first of the
    month (see :func:`is_month_year`).

    :raises ValueError: with a plain-English reason for anything else, for impossible
        dates (``31/02/2023``) and for years outside 1900..2100.
    """
    stripped = _unmarked(text)
    if match := _ISO_RE.fullmatch(stripped):
        try:  # (the usual date at C speed: the same date as below, an impossible one told below)
            value = date.fromisoformat(stripped)
        except ValueError:
            pass
        else:
            if _MIN_PARSE_YEAR <= value.year <= _MAX_PARSE_YEAR:
                return value
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DMY_RE.fullmatch(stripped):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _MY_RE.fullmatch(stripped):
        day, month, year = 1, int(match[1]), int(match[2])
    elif _YEAR_RE.fullmatch(stripped):
        year, month, day = int(stripped), 1, 1
    elif _SHORT_YEAR_RE.fullmatch(stripped):  # 15/03/85: 1985 or 2085? never guessed
        raise InvalidValue(N_("not a date: {text} has a year of two digits: write the year in full (dd/mm/yyyy)"),
                           text=repr(text))
    elif len(stripped) == 5 and stripped.isascii() and stripped.isdigit() and \
            _SERIALS[0] <= int(stripped) <= _SERIALS[1]:  # a date cell that lost its format: Excel's day number
        raise InvalidValue(N_("not a date: {text} is a number, the day number Excel keeps for {date}: format the "
                              "cell as a date (dd/mm/yyyy) if that is the date"), text=repr(text),
                           date=written_day(_EXCEL_EPOCH + timedelta(days=int(stripped))))
    else:
        raise InvalidValue(N_("not a date: expected YYYY-MM-DD, DD/MM/YYYY, MM/YYYY or YYYY, got {text}"),
                           text=repr(text))
    if not _MIN_PARSE_YEAR <= year <= _MAX_PARSE_YEAR:
        raise InvalidValue(N_("year out of range: {text} (the year must be between {low} and {high})"),
                           text=stripped, low=_MIN_PARSE_YEAR, high=_MAX_PARSE_YEAR)
    if not 1 <= month <= 12:
        raise InvalidValue(N_("impossible date: {text} (the month must be between 1 and 12)"), text=stripped)
    days = _days_in_month(year, month)
    if day < 1:
        raise InvalidValue(N_("impossible date: {text} (the day must be at least 1)"), text=stripped)
    if day > days:
        raise InvalidValue(N_("impossible date: {text} ({month} has {days} days in {year})"),
                           text=stripped, month=_MONTH_NAMES[month], days=days, year=year)
    return date(year, month, day)
