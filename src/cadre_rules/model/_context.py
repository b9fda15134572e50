"""Facts about an official or a unit as of an evaluation date (computed lazily, once)."""

from __future__ import annotations

import operator
from collections import Counter
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from itertools import compress
from itertools import repeat
from types import MappingProxyType
from typing import overload
from weakref import WeakValueDictionary

from ._dates import add_months
from ._dates import age_on
from ._dates import complete_months
from ._dates import complete_months_to
from ._dates import months_to_retirement
from ._dates import retirement_date
from ._distinct import first_positions
from ._distinct import on_distinct
from ._model import Official
from ._model import Unit
from ._table import column_of
from ._table import taken

__all__ = ["DISCIPLINE_MONTHS", "Calendar", "Contexts", "OfficialContext", "Taken", "UnitContext", "active",
           "current", "disciplined_in", "latest_year", "months_since", "months_since_of", "officials_of", "posts_held",
           "rated_by", "rated_in", "rating_of", "run_of", "running", "running_of", "runs_of"]

#: How long a discipline is in force (Luật CBCC as amended 2019, Điều 82 khoản 2; SEMANTICS 22).
DISCIPLINE_MONTHS = {"reprimand": 12, "warning": 12, "demotion": 24, "dismissal": 24}

_EMPTY: Mapping[str, object] = MappingProxyType({})


def months_since(start: date | None, on: date) -> int | None:
    """Complete months from ``start`` to ``on``; unknown (``None``) when ``start`` is missing or after ``on``."""
    return None if start is None or start > on else complete_months(start, on)


def running(start: date | None, on: date) -> bool:
    """Whether something that began on ``start`` (``None``: it did not) has begun by ``on``."""
    return start is not None and start <= on


def _begun(starts: Sequence[date | None], on: date) -> tuple[list[int], list[date]]:
    """The positions in ``starts`` of the dates on or before ``on``, and those dates (C loops)."""
    positions = list(compress(range(len(starts)), map(operator.is_not, starts, repeat(None))))
    begun: list[date] = list(map(starts.__getitem__, positions))  # type: ignore[arg-type]
    before = list(map(operator.le, begun, repeat(on)))
    if not all(before):
        positions = list(compress(positions, before))
        begun = list(compress(begun, before))
    return positions, begun


def months_since_of(starts: Sequence[date | None], on: date) -> list[int] | list[int | None]:
    """:func:`months_since` each of ``starts``, in C loops (no call per date)."""
    positions, begun = _begun(starts, on)
    if len(begun) == len(starts):
        return complete_months_to(begun, on)
    months: list[int | None] = [None] * len(starts)
    deque(map(months.__setitem__, positions, complete_months_to(begun, on)), maxlen=0)
    return months


def running_of(starts: Sequence[date | None], on: date) -> list[bool]:
    """:func:`running` since each of ``starts``, in C loops."""
    positions, _ = _begun(starts, on)
    running = [False] * len(starts)
    deque(map(running.__setitem__, positions, repeat(True)), maxlen=0)
    return running


def rated_by(ratings: tuple[tuple[int, str], ...], year: int) -> tuple[tuple[int, str], ...]:
    """The ``(year, rating)`` pairs (sorted by year) of ``year`` and before."""
    if not ratings or ratings[-1][0] <= year:
        return ratings
    return tuple(r for r in ratings if r[0] <= year)


def current(ratings: tuple[tuple[int, str], ...], since: int | None) -> tuple[tuple[int, str], ...]:
    """``ratings`` (sorted by year) if the latest is of ``since`` or later (``None``: any year), else none:
    a record whose latest rating is older than the look-back is not current (docs/as-of.md)."""
    if since is None or not ratings or ratings[-1][0] >= since:
        return ratings
    return ()


def run_of(ratings: tuple[tuple[int, str], ...], rating: str) -> int | None:
    """Length of the run of ``rating`` over consecutive years ending at the latest rated year of
    ``ratings`` (sorted by year); unknown (``None``) without ratings."""
    if not ratings:
        return None
    run = 0
    expected = ratings[-1][0]
    for y, r in reversed(ratings):
        if y != expected or r != rating:
            break
        run += 1
        expected -= 1
    return run


def latest_year(ratings: tuple[tuple[int, str], ...]) -> int | None:
    """The latest rated year of ``ratings`` (sorted by year); unknown (``None``) without ratings."""
    return ratings[-1][0] if ratings else None


def rating_of(ratings: tuple[tuple[int, str], ...]) -> str | None:
    """The latest rating of ``ratings`` (sorted by year); unknown (``None``) without ratings."""
    return ratings[-1][1] if ratings else None


def rated_in(ratings: tuple[tuple[int, str], ...], year: int) -> str | None:
    """The rating of ``year`` in ``ratings``; unknown (``None``) if not rated that year."""
    for y, rating in ratings:
        if y == year:
            return rating
    return None


def active(discipline: tuple[tuple[date, str], ...], on: date) -> bool:
    """Whether a discipline of ``discipline`` (dated, by form) dated on or before ``on`` is in force on ``on``."""
    return bool(discipline) and any(day <= on <= add_months(day, DISCIPLINE_MONTHS[form]) for day, form in discipline)


def disciplined_in(discipline: tuple[tuple[date, str], ...], year: int | None, on: date) -> bool | None:
    """Whether a discipline of ``discipline`` dated on or before ``on`` is dated in ``year`` (``None``: unknown)."""
    if year is None:
        return None
    return bool(discipline) and any(day.year == year and day <= on for day, _ in discipline)


_YEAR_RATED = operator.itemgetter(0)
_RATING = operator.itemgetter(1)


def runs_of(officials: Sequence[Official], rating: str, year: int, since: int | None = None) -> list[int | None]:
    """:func:`run_of` ``rating`` in the :func:`current` ratings up to ``year`` of many officials: ``None`` for
    those never rated and 0 for those whose latest rating (of ``year`` or before, of ``since`` or later) is
    another, found in C loops; the others one by one."""
    ratings = column_of(officials, "ratings")
    runs: list[int | None] = [None] * len(ratings)
    rated = list(compress(range(len(ratings)), ratings))  # (never rated: no run)
    if len(rated) < len(ratings):
        ratings = list(map(ratings.__getitem__, rated))
    latest = list(map(operator.getitem, ratings, repeat(-1)))
    years = list(map(_YEAR_RATED, latest))
    found: list[int | None] = [0] * len(ratings)
    maybe = map(operator.or_, map(operator.eq, map(_RATING, latest), repeat(rating)),  # (rated later than
                map(operator.gt, years, repeat(year)))                                  # ``year``: filtered)
    for i in compress(range(len(ratings)), maybe):
        found[i] = run_of(current(rated_by(ratings[i], year), since), rating)
    if since is not None:  # (the latest rating of all is older than the look-back: not current)
        deque(map(found.__setitem__, compress(range(len(ratings)), map(operator.lt, years, repeat(since))),
                  repeat(None)), maxlen=0)
    if len(rated) == len(runs):
        return found
    deque(map(runs.__setitem__, rated, found), maxlen=0)
    return runs


_YEAR_MONTH = operator.attrgetter("year", "month")


class Calendar:
    """Date arithmetic as of one date, remembered per date: officials share birth and start dates."""

    __slots__ = ("__weakref__", "_ages", "_birth_months", "_lookbacks", "_retired", "_to_retirement", "as_of",
                 "rating_since")

    def __init__(self, as_of: date, rating_lookback_years: int | None = None) -> None:
        """``rating_lookback_years``: how many years before the as-of year the latest rating may be
        and still be current (``None``: any year, SEMANTICS 10; a pack's parameter, docs/as-of.md §2)."""
        self.as_of = as_of
        #: the earliest year a latest rating may be of and still be current (``None``: any)
        self.rating_since = None if rating_lookback_years is None else as_of.year - rating_lookback_years
        self._ages: dict[date, int] = {}
        #: ((year, month) of birth, gender) -> months to retirement
        self._to_retirement: dict[tuple[tuple[int, int], str], int] = {}
        #: gender -> the first birth date of those still serving on the as-of date
        self._retired: dict[str, date] = {}
        #: the last officials grouped by month of birth and gender (:meth:`_by_birth_month`)
        self._birth_months: tuple[Sequence[Official], Sequence[date], Sequence[str], list[int], list[int]] | None = None
        #: the calendars of this date by the earliest year of a current rating (:meth:`with_lookback`); held
        #: weakly: a calendar holding itself would live on after its evaluation, with the officials of
        #: :meth:`_by_birth_month`, until the cyclic collector finds it (0.08 s at 100,000 officials)
        self._lookbacks: WeakValueDictionary[int | None, Calendar] = WeakValueDictionary({self.rating_since: self})

    def with_lookback(self, rating_lookback_years: int | None) -> Calendar:
        """This calendar with another rating look-back (the date arithmetic shared): the same calendar for the
        same look-back, so that contexts made as of it serve every pack that reads ratings alike."""
        since = None if rating_lookback_years is None else self.as_of.year - rating_lookback_years
        other = self._lookbacks.get(since)
        if other is None:
            other = self._lookbacks[since] = Calendar(self.as_of, rating_lookback_years)
            other._ages = self._ages
            other._to_retirement = self._to_retirement
            other._retired = self._retired
            other._lookbacks = self._lookbacks
        return other

    def current(self, ratings: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
        """The ratings (sorted by year) of the as-of year and before, if they are current (none otherwise)."""
        return current(rated_by(ratings, self.as_of.year), self.rating_since)

    def age(self, birth: date) -> int:
        """Completed years of age on the as-of date."""
        v = self._ages.get(birth)
        if v is None:
            v = self._ages[birth] = age_on(birth, self.as_of)
        return v

    def months_to_retirement(self, birth: date, gender: str) -> int:
        """Complete months to the statutory retirement date (negative once past it).

        (The retirement date is the last day of a month that depends on the month of birth only.)
        """
        key = (_YEAR_MONTH(birth), gender)
        v = self._to_retirement.get(key)
        if v is None:
            v = months_to_retirement(birth, gender, self.as_of)
            self._to_retirement[key] = v
        return v

    def months_to_retirement_of(self, officials: Sequence[Official]) -> list[int]:
        """:meth:`months_to_retirement` of many officials (C loops over the officials; computed once
        per month of birth and gender)."""
        births, genders, firsts, distinct = self._by_birth_month(officials)
        table = {i: self.months_to_retirement(births[i], genders[i]) for i in distinct}
        return list(map(table.__getitem__, firsts))

    def retirement_dates_of(self, officials: Sequence[Official]) -> list[date]:
        """:func:`retirement_date` of many officials (the last day of a month that depends on the month of
        birth and the gender only: computed once per month of birth and gender)."""
        births, genders, firsts, distinct = self._by_birth_month(officials)
        table = {i: retirement_date(births[i], genders[i]) for i in distinct}
        return list(map(table.__getitem__, firsts))

    def _by_birth_month(self, officials: Sequence[Official]
                        ) -> tuple[Sequence[date], Sequence[str], list[int], list[int]]:
        """The births and genders of ``officials``, and the officials grouped by month of birth and gender
        (:func:`first_positions`); the last grouping is kept for the next field of the same officials."""
        kept = self._birth_months
        if kept is not None and kept[0] is officials:
            return kept[1:]
        births = column_of(officials, "birth_date")
        genders = column_of(officials, "gender")
        # keyed by a number per month of birth and gender (C loops hashing small ints, a date's own hash kept):
        # each distinct birth date's month once, then the gender's number added
        numbers = {gender: i for i, gender in enumerate(set(genders))}
        count = len(numbers)
        months = on_distinct(births, lambda days: [(day.year * 12 + day.month) * count for day in days])
        firsts, distinct = first_positions(list(map(operator.add, months, map(numbers.__getitem__, genders))))
        self._birth_months = (officials, births, genders, firsts, distinct)
        return births, genders, firsts, distinct

    def retired_of(self, officials: Sequence[Official]) -> list[bool]:
        """Whether each official is past retirement age on the as-of date: the as-of date is after the
        retirement date (which is still a day of service: NĐ 135/2020 Điều 3; docs/as-of.md).

        The retirement date never moves earlier for a later month of birth, so per gender one birth
        date divides those retired from the others; the officials are compared with it in C loops.
        """
        genders = column_of(officials, "gender")
        cutoffs = {gender: self._serving_from(gender) for gender in set(genders)}
        return list(map(operator.lt, column_of(officials, "birth_date"), map(cutoffs.__getitem__, genders)))

    def none_retired(self, officials: Sequence[Official]) -> bool:
        """Whether no one of ``officials`` is past retirement age on the as-of date (:meth:`retired_of`
        all false), without the lists (C loops that stop at the first one retired)."""
        cutoffs = _Cutoffs(self._serving_from)
        return not any(map(operator.lt, column_of(officials, "birth_date"),
                           map(cutoffs.__getitem__, column_of(officials, "gender"))))

    def _serving_from(self, gender: str) -> date:
        """The first day of the first month of birth whose officials of ``gender`` still serve on the
        as-of date (found by bisection over months of birth)."""
        cutoff = self._retired.get(gender)
        if cutoff is None:
            low, high = 1800 * 12, (self.as_of.year + 1) * 12  # retired / not retired
            while high - low > 1:
                middle = (low + high) // 2
                if retirement_date(date(middle // 12, middle % 12 + 1, 1), gender) < self.as_of:
                    low = middle
                else:
                    high = middle
            cutoff = self._retired[gender] = date(high // 12, high % 12 + 1, 1)
        return cutoff


class _Cutoffs(dict[str, date]):
    """Gender → the first birth date still serving (:meth:`Calendar._serving_from`), found when first asked."""

    def __init__(self, find: Callable[[str], date]) -> None:
        super().__init__()
        self._find = find

    def __missing__(self, gender: str) -> date:
        cutoff = self[gender] = self._find(gender)
        return cutoff


class OfficialContext:
    """One official with the unit it belongs to, as of a date.

    Derived values (age, retirement, ratings…) are computed on use; date arithmetic is shared
    through a :class:`Calendar` (one per evaluation). Plugins' enrichers add values to :attr:`extra`.
    """

    __slots__ = ("_calendar", "_ratings_cache", "as_of", "extra", "official", "unit")

    def __init__(self, official: Official, unit: Unit, as_of: date, calendar: Calendar | None = None) -> None:
        self.official = official
        self.unit = unit
        self.as_of = as_of
        self.extra: Mapping[str, object] = _EMPTY
        self._calendar = calendar if calendar is not None and calendar.as_of == as_of else Calendar(as_of)
        self._ratings_cache: tuple[tuple[int, str], ...] | None = None

    @property
    def calendar(self) -> Calendar:
        """The date arithmetic of the evaluation (its as-of date and rating look-back)."""
        return self._calendar

    def age(self) -> int:
        return self._calendar.age(self.official.birth_date)

    def retirement_date(self) -> date:
        return retirement_date(self.official.birth_date, self.official.gender)

    def months_to_retirement(self) -> int:
        official = self.official
        return self._calendar.months_to_retirement(official.birth_date, official.gender)

    def months_in_post(self) -> int | None:
        return months_since(self.official.appointed_on, self.as_of)

    def on_secondment(self) -> bool:
        """A secondment has begun by the as-of date and not ended before it (``secondment_until``)."""
        official = self.official
        until = official.secondment_until
        return running(official.secondment_since, self.as_of) and (until is None or self.as_of <= until)

    def months_on_secondment(self) -> int | None:
        return months_since(self.official.secondment_since, self.as_of)

    def _rated(self) -> tuple[tuple[int, str], ...]:
        """The ratings of the as-of year and before."""
        ratings = self.official.ratings
        if not ratings or ratings[-1][0] <= self.as_of.year:  # sorted by year: nothing after the as-of year
            return ratings
        return rated_by(ratings, self.as_of.year)

    def _ratings(self) -> tuple[tuple[int, str], ...]:
        """The ratings of the as-of year and before, if they are current (none otherwise)."""
        v = self._ratings_cache
        if v is None:
            v = self._ratings_cache = current(self._rated(), self._calendar.rating_since)
        return v

    def latest_rating(self) -> str | None:
        return rating_of(self._ratings())

    def latest_rating_year(self) -> int | None:
        return latest_year(self._ratings())

    def rating_in(self, year: int) -> str | None:
        """The rating of ``year`` (asked for by year: current or not)."""
        return rated_in(self._rated(), year)

    def consecutive(self, rating: str) -> int | None:
        """Length of the run of ``rating`` over consecutive years ending at the latest rated year."""
        return run_of(self._ratings(), rating)

    def consecutive_not_completed(self) -> int | None:
        return self.consecutive("not_completed")

    def active_discipline(self) -> bool:
        return active(self.official.discipline, self.as_of)

    def discipline_in_latest_year(self) -> bool | None:
        return disciplined_in(self.official.discipline, self.latest_rating_year(), self.as_of)


class Contexts(Sequence[OfficialContext]):
    """The contexts of officials, each with its unit, as of a calendar: each made when first asked for.

    An evaluation reads most fields a whole column at a time from the officials themselves
    (:attr:`officials`, :attr:`units`); a context is needed only where a field is computed for one official
    (once per distinct values of what it reads). Plugins' enrichers' values (``extras``, by official id)
    become the contexts' :attr:`OfficialContext.extra`.
    """

    __slots__ = ("_made", "calendar", "extras", "officials", "units")

    def __init__(self, officials: Sequence[Official], units: Sequence[Unit], calendar: Calendar,
                 extras: Mapping[str, Mapping[str, object]] | None = None) -> None:
        """``units[i]``: the unit of ``officials[i]``."""
        self.officials = officials
        self.units = units
        self.calendar = calendar
        self.extras = extras
        self._made: list[OfficialContext | None] = [None] * len(officials)

    def __len__(self) -> int:
        return len(self.officials)

    @overload
    def __getitem__(self, index: int) -> OfficialContext: ...

    @overload
    def __getitem__(self, index: slice) -> Contexts: ...

    def __getitem__(self, index: int | slice) -> OfficialContext | Contexts:
        if isinstance(index, slice):
            return Contexts(self.officials[index], self.units[index], self.calendar, self.extras)
        made = self._made[index]
        if made is None:
            official = self.officials[index]
            made = self._made[index] = OfficialContext(official, self.units[index], self.calendar.as_of,
                                                       self.calendar)
            if self.extras is not None:
                made.extra = self.extras.get(official.id, _EMPTY)
        return made

    def __iter__(self) -> Iterator[OfficialContext]:
        return map(self.__getitem__, range(len(self.officials)))

    def take(self, positions: list[int]) -> Taken:
        """The contexts at ``positions``, made when asked for (as this one's)."""
        return Taken(self, positions)

    def where(self, keep: Iterable[bool]) -> Contexts:
        """The contexts of the officials for whom ``keep`` is true, in order."""
        kept = list(keep)
        officials = taken(self.officials, list(compress(range(len(kept)), kept)))
        return Contexts(officials, list(compress(self.units, kept)), self.calendar, self.extras)

    def as_of(self, calendar: Calendar) -> Contexts:
        """The same officials as of ``calendar`` (another rating look-back of the date)."""
        return self if calendar is self.calendar else Contexts(self.officials, self.units, calendar, self.extras)


class Taken(Sequence[OfficialContext]):
    """Some of the contexts of a :class:`Contexts`, by position (those of a unit's officials)."""

    __slots__ = ("_contexts", "_positions")

    def __init__(self, contexts: Contexts, positions: list[int]) -> None:
        self._contexts = contexts
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> OfficialContext: ...

    @overload
    def __getitem__(self, index: slice) -> Taken: ...

    def __getitem__(self, index: int | slice) -> OfficialContext | Taken:
        if isinstance(index, slice):
            return Taken(self._contexts, self._positions[index])
        return self._contexts[self._positions[index]]

    def __iter__(self) -> Iterator[OfficialContext]:
        return map(self._contexts.__getitem__, self._positions)

    @property
    def officials(self) -> Sequence[Official]:
        """The officials of these contexts."""
        return taken(self._contexts.officials, self._positions)

    @property
    def extras(self) -> Mapping[str, Mapping[str, object]] | None:
        """Plugins' enrichers' values, by official id (:attr:`Contexts.extras`)."""
        return self._contexts.extras


_OFFICIAL = operator.attrgetter("official")


def enriched(contexts: Sequence[OfficialContext]) -> bool:
    """Whether plugins' enrichers may have added values to ``contexts`` (:attr:`OfficialContext.extra`)."""
    if isinstance(contexts, Contexts):
        return contexts.extras is not None
    if isinstance(contexts, Taken):
        return contexts.extras is not None
    return any(ctx.extra for ctx in contexts)


def officials_of(contexts: Sequence[OfficialContext]) -> Sequence[Official]:
    """The officials of ``contexts`` (without making the contexts of :class:`Contexts` or :class:`Taken`)."""
    if isinstance(contexts, (Contexts, Taken)):
        return contexts.officials
    return list(map(_OFFICIAL, contexts))


class UnitContext:
    """One unit with its officials, as of a date, and the per-official tallies of the backend."""

    __slots__ = ("as_of", "held", "officials", "tallies", "unit")

    def __init__(self, unit: Unit, officials: Sequence[OfficialContext], as_of: date,
                 tallies: Mapping[str, int] | None = None,
                 held: Mapping[tuple[str, str], int] | None = None) -> None:
        """``held``: how many officials hold each post, by (unit code, post), counted for many units at once
        (:meth:`holders` counts the unit's officials without it)."""
        self.unit = unit
        self.officials = officials
        self.as_of = as_of
        self.tallies: Mapping[str, int] = tallies if tallies is not None else {}
        self.held = held

    def tally(self, expression: str) -> int:
        return self.tallies.get(expression, 0)

    def holders(self, post: str) -> int:
        """How many of the unit's officials hold ``post`` (as their position or a concurrent one)."""
        if self.held is not None:
            return self.held.get((self.unit.code, post), 0)
        return sum(1 for o in self.officials if post in o.official.posts)


def posts_held(units: Sequence[str], officials: Sequence[Official]) -> Counter[tuple[str, str]]:
    """How many of ``officials`` (of the units ``units``, in order) hold each post, by (unit code, post): the
    positions counted in C loops, the concurrent posts of the few who have them one by one (each post of an
    official once: :attr:`Official.posts`)."""
    positions = column_of(officials, "position")
    held: Counter[tuple[str, str]] = Counter(zip(units, positions, strict=True))
    concurrent = column_of(officials, "concurrent_positions")
    for i in compress(range(len(officials)), concurrent):
        for post in dict.fromkeys(concurrent[i]):
            if post != positions[i]:
                held[(units[i], post)] += 1
    return held
