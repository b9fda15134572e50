"""``cadre-rules project``: will the targets hold on a future date, and what does it take to meet them?

From the as-of date to ``to``, at each step date D the officials of the data (changed by the events of a
plan dated on or before D) are evaluated by the same :class:`~cadre_rules.Engine` and packs as
``evaluate --as-of D``, with the officials retired by D (their retirement date before D) removed: the
packs in force on D apply, ages advance, and every metric (quota shares, fill rates) and every rule of a
unit or scope (a woman on the standing committee…) becomes a series over the steps (docs/project.md).

Steps share what does not change: the officials' records are built once and each step's population
reuses them (only the officials a plan event changed are new records), and the engine decides each
combination of classes of values once per step (``_classes``). Nothing here decides a rule.
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
import operator
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from itertools import compress
from itertools import repeat
from typing import Literal

import attrs

from .._collector import paused
from ..engine._arguments import NOT_AN_ENGINE
from ..engine._arguments import check_records
from ..engine._asof import last_day_in_post
from ..engine._engine import Engine
from ..errors import N_
from ..errors import Argument
from ..errors import Count
from ..errors import InputError
from ..errors import Problem
from ..errors import day
from ..model._arguments import a_choice
from ..model._arguments import a_date
from ..model._arguments import a_sequence
from ..model._arguments import an_instance
from ..model._checks import Each
from ..model._checks import FieldCheck
from ..model._checks import a_count
from ..model._checks import a_flag
from ..model._checks import a_fraction
from ..model._checks import a_record
from ..model._checks import a_text
from ..model._checks import check_record
from ..model._dates import add_months
from ..model._dates import retirement_date
from ..model._model import Official
from ..model._model import Unit
from ..model._model import make_records
from ..model._names import names_of
from ..model._report_records import Metric
from ..model._report_records import PackRef
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..model._report_records import Share
from ..model._report_records import _binds
from ..packs._packs import Pack
from ..packs._program import compile_pack
from ..report._applied import not_applied_text
from ..report._asked import foreign_pack_notes
from ..report._coverage import foreign_packs
from ..report._coverage import packs_scope_notes
from ..report._covered import covered_by_data
from ..report._covered import scope_title
from ..report._needed import needed
from ..report._notices import read_notices
from ..report._shares import unit_shares
from ..report._uncomputed import uncomputed_quota_notices
from ..report._unstaffed import with_unstaffed_units
from ._plan import PlanEvent
from ._plan import apply_events
from ._plan import check_plan
from ._scoped import Scoped
from ._scoped import scoped

__all__ = [
    "STEPS",
    "Departure",
    "Point",
    "Projection",
    "Series",
    "ShareSeries",
    "Step",
    "needed_appointments",
    "project",
    "step_dates",
]

StepName = Literal["month", "quarter", "year"]
#: Months per step.
STEPS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
#: A projection of more steps than this is refused (a daily series is not what a step is for).
MAX_STEPS = 1200


@attrs.frozen
class Point:
    """A target's value on one step date (``met``: ``None`` when the scope is empty)."""

    date: date
    numerator: int
    denominator: int
    met: bool | None

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`); a projection
        makes its points without ``__init__`` (:func:`_points`)."""
        check_record(self, _POINT_CHECKS)

    @property
    def value(self) -> Fraction | None:
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)


_a_day = functools.partial(a_date, optional=False)
_POINT_CHECKS: Mapping[str, FieldCheck] = {
    "date": _a_day, "numerator": a_count, "denominator": a_count, "met": functools.partial(a_flag, optional=True),
}


def _points(dates: list[date], numerators: list[int], denominators: list[int],
            met: list[bool | None]) -> tuple[Point, ...]:
    """``Point(*row)`` for each row of the columns, made without ``__init__`` (values the engine's: checked)."""
    return tuple(make_records(Point, len(dates), [dates, numerators, denominators, met]))


@attrs.frozen
class Series:
    """One target of one scope over the steps.

    ``kind`` ``metric``: a pack's metric (share or rate, ``target`` and ``op``); ``rule``: a rule of a unit
    or scope (``met`` on a step: no finding of it; numerator/denominator: 0/1 when it fires, 1/1 when not).
    """

    pack: str
    id: str
    kind: Literal["metric", "rule"]
    family: str
    scope: Literal["city", "district", "unit"]
    scope_id: str
    scope_name: str
    target: Fraction | None
    op: Literal[">=", "<="] | None
    per: Literal["official", "unit", "post"] | None
    points: tuple[Point, ...]
    #: Members of the population of the metric (of the scope) serving on the as-of date who are gone on
    #: ``to`` (retired or departed by the plan), as the engine counts them on the as-of date.
    leavers: int = 0

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual (a
        projection makes one per target and scope)."""
        if not (type(self.pack) is type(self.id) is type(self.family) is type(self.scope_id)
                is type(self.scope_name) is str and self.kind in _SERIES_KINDS and self.scope in _SCOPES
                and (self.target is None or type(self.target) is Fraction) and self.op in _OPS
                and self.per in _PERS and type(self.points) is tuple
                and set(map(type, self.points)) == {Point} and type(self.leavers) is int and self.leavers >= 0):
            check_record(self, _SERIES_CHECKS, "id")

    @property
    def first_unmet(self) -> date | None:
        """The first step date on which the target is not met (``None``: met, or unknown, at every step)."""
        return next((p.date for p in self.points if p.met is False), None)

    @property
    def last(self) -> Point:
        return self.points[-1]

    def needed(self, how: Literal["added", "replacing"]) -> int | None:
        """The smallest number of appointments on ``to`` that meets the target (0: met), ``how`` they come:
        ``added`` to the population, or ``replacing`` members who do not help; ``None``: no number does, or
        the target is not a share of officials or posts."""
        last = self.last
        if self.kind != "metric" or self.target is None or self.op is None or self.per not in ("official", "post"):
            return None
        if self.per == "post":  # an appointment fills a vacant post, whichever way it comes
            k = math.ceil(self.target * last.denominator - last.numerator)
            return max(0, k) if k <= last.denominator - last.numerator else None
        return needed_appointments(last.numerator, last.denominator, self.target, self.op, how, self.leavers)

    def excess(self) -> int:
        """How many the last step counts above a maximum (``<=``: Phó Chủ tịch UBND above 2.5 a commune on average),
        as the evaluation's ``excess`` fact counts it; 0 when met, not a maximum, or without a value."""
        last = self.last
        if self.kind != "metric" or self.op != "<=" or self.target is None or last.denominator == 0:
            return 0
        return max(0, last.numerator - math.floor(self.target * last.denominator))


_SERIES_KINDS = ("metric", "rule")
_SCOPES = ("city", "district", "unit")
_OPS = (">=", "<=", None)
_PERS = ("official", "unit", "post", None)
_an_optional_text = functools.partial(a_text, optional=True)
_SERIES_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "id": a_text, "kind": functools.partial(a_choice, choices=_SERIES_KINDS), "family": a_text,
    "scope": functools.partial(a_choice, choices=_SCOPES), "scope_id": a_text, "scope_name": a_text,
    "target": functools.partial(a_fraction, optional=True),
    "op": functools.partial(a_choice, choices=_OPS[:-1], optional=True),
    "per": functools.partial(a_choice, choices=_PERS[:-1], optional=True), "points": Each(Point, at_least=1),
    "leavers": a_count,
}


@attrs.frozen
class ShareSeries:
    """A commune's own share of a quota whose target binds its city (or its district), over the steps: for
    information, as ``evaluate --scope commune:…`` gives it on one date (:class:`~cadre_rules.model._report_records.
    Share`): never a target of the commune, so no ``met`` (its points' ``met`` is ``None``)."""

    pack: str
    #: the quota's metric id (``quota.young``)
    id: str
    #: the commune's code
    unit: str
    target: Fraction
    op: Literal[">=", "<="]
    per: Literal["official", "unit"]
    #: the scopes whose target it is, on some step: ``(("city", "Hà Nội"),)``, and the district's where there is one
    binds: tuple[tuple[Literal["city", "district"], str], ...]
    points: tuple[Point, ...]

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`)."""
        check_record(self, _SHARE_SERIES_CHECKS, "id")


_SHARE_SERIES_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "id": a_text, "unit": a_text, "target": a_fraction,
    "op": functools.partial(a_choice, choices=_OPS[:-1]),
    "per": functools.partial(a_choice, choices=("official", "unit")),
    "binds": _binds, "points": Each(Point, at_least=1),  # (a Share's check of its binds: one place)
}


def meets(numerator: int, denominator: int, target: Fraction, op: Literal[">=", "<="]) -> bool:
    """Whether ``numerator/denominator`` meets ``op target`` (an empty population does not)."""
    if denominator == 0:
        return False
    return numerator >= target * denominator if op == ">=" else numerator <= target * denominator


def needed_appointments(numerator: int, denominator: int, target: Fraction, op: Literal[">=", "<="],
                        how: Literal["added", "replacing"], leavers: int = 0) -> int | None:
    """The smallest k ≥ 0 of appointments of people who help a share ``numerator/denominator`` (on the
    last step) meet ``op target``: for ``>=`` people counted in the numerator, for ``<=`` people not.

    ``added``: the k appointments are added to the population (``(n+k)/(d+k)``, ``n/(d+k)``).
    ``replacing``: the ``leavers`` of the population (gone by then) are replaced anyway. For ``>=``, the k
    appointments take the places of the leavers first, then of serving officials who are not counted, the
    population ``d+L`` unchanged (``(n+k)/(d+L)``): :func:`~cadre_rules.report._needed.needed`, the "more
    needed if replacing" of a report, on ``d+L``. For ``<=``, k of the L replacements help and the others do not
    (``(n+L-k)/(d+L)``); past L the appointments are added. ``None``: no number of appointments meets the
    target.
    """
    n, d, t = numerator, denominator, target
    if op == ">=":  # (a minimum share: the report's "more needed", on the population once the leavers are replaced)
        population = d + leavers if how == "replacing" else d
        if meets(n, population, t, op):
            return 0
        if population == 0:  # (an empty population meets no share: one appointment makes it 1/1)
            return 1
        more = needed(n, population, t)
        return more.replacing if how == "replacing" else more.adding
    if how == "replacing" and leavers > 0:
        for k in range(leavers + 1):
            if meets(n + leavers - k, d + leavers, t, op):
                return k
        more_added = needed_appointments(n, d, t, op, "added")
        return None if more_added is None else max(leavers + 1, more_added)
    if meets(n, d, t, op):
        return 0
    if t == 0:
        return None
    return max(1, math.ceil(n / t - d))


@attrs.frozen
class Departure:
    """An official who leaves their post between the as-of date and ``to``: the vacancy of the post from the
    day after ``last_day``, and who in their unit is in the planning pool (serving then).

    ``reason``: ``retirement`` (``last_day`` is ``retirement_date``) or ``term_ends`` (the end of the term,
    before retirement; on the same day, retirement). ``official``: the record on the last day in post."""

    official: Official
    unit_name: str
    retirement_date: date
    in_planning: tuple[Official, ...]
    reason: Literal["retirement", "term_ends"] = "retirement"
    last_day: date = attrs.field(default=attrs.Factory(lambda self: self.retirement_date, takes_self=True))

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual (a
        projection makes one per official leaving)."""
        if not (type(self.official) is Official and type(self.unit_name) is str
                and type(self.retirement_date) is date is type(self.last_day) and type(self.in_planning) is tuple
                and set(map(type, self.in_planning)) <= {Official} and self.reason in _REASONS):
            check_record(self, _DEPARTURE_CHECKS)


_REASONS = ("retirement", "term_ends")
_DEPARTURE_CHECKS: Mapping[str, FieldCheck] = {
    "official": functools.partial(a_record, kind=Official), "unit_name": a_text, "retirement_date": _a_day,
    "in_planning": Each(Official), "reason": functools.partial(a_choice, choices=_REASONS),
    "last_day": _a_day,
}


@attrs.frozen
class Step:
    """One step date: the packs in force, the officials serving and the report of the evaluation."""

    date: date
    packs: tuple[PackRef, ...]
    serving: int

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`)."""
        check_record(self, _STEP_CHECKS)


_STEP_CHECKS: Mapping[str, FieldCheck] = {"date": _a_day, "packs": Each(PackRef), "serving": a_count}


@attrs.frozen
class Projection:
    """The projection of a population from ``as_of`` to ``to`` (see :func:`project`)."""

    as_of: date
    to: date
    step: StepName
    steps: tuple[Step, ...]
    series: tuple[Series, ...]
    succession: tuple[Departure, ...]
    events: int
    officials: int
    units: int
    city: str
    notes: tuple[str, ...] = ()
    backend: str | None = None
    #: the district or commune projected (``scope=``: ``--scope``), ``None`` for the whole input; ``officials``,
    #: ``units`` and each step's ``serving`` are then the scope's
    scope: ReportScope | None = None
    #: a commune's own shares of the quotas whose targets bind its city (district), for information (a scope of
    #: one commune only)
    unit_shares: tuple[ShareSeries, ...] = ()
    #: the ``id@version`` of the packs that apply to none of the units projected (another commune's or district's
    #: plugin, in the projection of one commune or district: :mod:`~cadre_rules.report._applied`), not named among
    #: each step's packs in the text (its json keeps them: what it rests on), said once in the notes
    not_applying: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`): the steps, series and succession
        each of its record class (themselves checked when made)."""
        check_record(self, _PROJECTION_CHECKS)

    def unmet(self) -> list[Series]:
        """The series not met on some step."""
        return [s for s in self.series if s.first_unmet is not None]


_PROJECTION_CHECKS: Mapping[str, FieldCheck] = {
    "as_of": _a_day, "to": _a_day, "step": functools.partial(a_choice, choices=tuple(STEPS)), "steps": Each(Step),
    "series": Each(Series), "succession": Each(Departure), "events": a_count, "officials": a_count,
    "units": a_count, "city": a_text, "notes": Each(str), "backend": functools.partial(a_text, optional=True),
    "scope": functools.partial(a_record, kind=ReportScope, optional=True), "unit_shares": Each(ShareSeries),
    "not_applying": Each(str),
}


def step_dates(as_of: date, to: date, step: StepName) -> list[date]:
    """``as_of``, then every ``step`` after it (by month arithmetic from ``as_of``), and ``to``.

    :raises InputError: ``to`` before ``as_of``, or more than :data:`MAX_STEPS` steps, located at the argument
        ``to`` or ``step`` (an :class:`~cadre_rules.errors.Argument`): each front end
        names it its own way (:func:`~cadre_rules.errors.named_by`: ``--to`` on the command line, ``to`` in the
        API and the service)."""
    if to < as_of:
        raise InputError([Problem.of(TO, _TO_BEFORE, value=to.isoformat(), as_of=day(as_of))])
    months = STEPS[step]
    dates = [as_of]
    k = 1
    while True:
        d = add_months(as_of, k * months)
        if d >= to:
            break
        dates.append(d)
        k += 1
        if len(dates) > MAX_STEPS:
            raise InputError([Problem.of(STEP, _TOO_MANY_STEPS, value=step, steps=Count(MAX_STEPS),
                                         as_of=day(as_of), last=day(to))])
    if to != as_of:
        dates.append(to)
    return dates


#: The arguments of a projection that :func:`step_dates` refuses (each front end's name:
#: :func:`~cadre_rules.errors.named_by`).
TO = Argument("to")
STEP = Argument("step")
_TO_BEFORE = N_("the end date is before the as-of date {as_of}")
_TOO_MANY_STEPS = N_("more than {steps} steps from {as_of} to {last}: choose a longer step")


def project(engine: Engine, officials: Iterable[Official], units: Iterable[Unit], to: date, *,
            as_of: date | None = None, step: StepName = "year",
            plan: Sequence[PlanEvent] = (), scope: str | None = None) -> Projection:
    """Project ``officials`` and ``units`` from ``as_of`` (default: today) to ``to``, a step at a time.

    At each step date D the officials (with the ``plan``'s events dated on or before D applied) whose
    retirement date or end of term (``term_ends``: :func:`~cadre_rules.engine._asof.last_day_in_post`) is before D
    are removed, and the rest are evaluated by ``engine`` as of D: the result
    on D is that of ``engine.evaluate(those officials, units, D)``.

    ``scope``: ``"district:NAME"`` or ``"commune:NAME"`` (a unit's code or name), as ``evaluate --scope``: the
    whole input is projected (the city's targets and who is counted are the same), and the projection keeps the
    series of the scope's units and the district's own, and the departures from the scope's posts
    (docs/project.md, "One district or one commune").

    :raises InputError: a plan event that does not fit the data (located), bad records, or an argument of the
        wrong type (named; ``to`` and ``as_of`` dates, ``step`` one of :data:`STEPS`); ``to`` before ``as_of`` or
        too many steps (located at ``to`` or ``step``); a ``scope`` that names no district or unit of the data on
        ``as_of`` (located at ``scope``: ``evaluate --scope``'s problem, said by the API's names).

    The cyclic garbage collector is paused while projecting, as :meth:`Engine.evaluate` pauses it: the
    steps allocate many small acyclic objects (reports, metrics, points), and collections scanning
    them again and again cost a tenth of the time at 100,000 officials.
    """
    officials, units = check_records(
        officials, units, an_instance("engine", engine, Engine, NOT_AN_ENGINE), a_date("to", to, optional=False),
        a_date("as_of", as_of), a_choice("step", step, STEPS),
        a_sequence("plan", plan, PlanEvent, _NOT_A_PLAN, _NOT_A_PLAN_EVENT), a_text("scope", scope, optional=True))
    with paused():
        return _project(engine, officials, units, to, as_of, step, plan, scope)


def _project(engine: Engine, officials: Iterable[Official], units: Iterable[Unit], to: date, as_of: date | None,
             step: StepName, plan: Sequence[PlanEvent], scope: str | None = None) -> Projection:
    as_of = as_of or date.today()
    # how the data files were read (rows left out, ids made…), said first: the steps evaluate the officials made
    read = [n.message for n in read_notices(officials, engine.lang)]
    officials = tuple(officials)
    units = tuple(units)
    dates = step_dates(as_of, to, step)
    retires = {o.id: retirement_date(o.birth_date, o.gender) for o in officials}
    events = check_plan(plan, officials, units, as_of, to, retires) if plan else ()
    for e in events:
        if e.event == "appointment" and e.birth_date is not None and e.gender is not None:
            retires[e.official] = retirement_date(e.birth_date, e.gender)
    unit_names = {u.code: u.name for u in units}
    stepper = _without_official_rules(engine)
    stepper._serving_only = True  # (`serving` below: no one past their last day in post, so none retired)
    digest = "0" * 64  # (each step's report is not shown: its input digest is not computed, a placeholder)
    steps: list[Step] = []
    reports: list[Report] = []
    population = list(officials)
    until: list[date] = []  # the last day in post of each of the population (retirement, end of term)
    applied = 0
    within: Scoped | None = None
    shares: list[tuple[date, tuple[Share, ...]]] = []  # (a commune's own shares of the city's quotas: information)
    # whether the units without officials are left out, or named (by the data's officials, the same at each step),
    # until the first step finds that every unit has officials
    unstaffed = True
    for d in dates:
        before = applied
        while applied < len(events) and events[applied].date <= d:
            applied += 1
        if applied > before:  # (the records of officials no event changed since are the same objects)
            population = apply_events(officials, events[:applied], d)
            until = []
        if len(until) != len(population):
            until = list(map(last_day_in_post, population, map(retires.__getitem__, map(_ID, population))))
        serving = list(compress(population, map(operator.ge, until, repeat(d))))
        # (the date of the data, found in them on the first step: later steps' notices are not kept)
        report = stepper.evaluate(serving, units, d, input_sha256=digest,
                                  data_as_of=reports[0].data_as_of.date if reports and reports[0].data_as_of else None)
        if scope is None and unstaffed:  # (a commune's officials with the city's units file: its projection)
            told = with_unstaffed_units(report, officials, units, engine.lang, "project")
            unstaffed, report = told is not report, told
        if scope is not None and within is None:  # (found on the as-of date, as `evaluate --as-of` that date)
            # (the steps name no one: the scope is found by its units' names as evaluate finds it)
            named = attrs.evolve(report, names=names_of(serving, units, engine.lang))
            within = scoped(scope, named, engine=engine, officials=serving, units=units, as_of=d)
        steps.append(Step(d, report.packs, len(serving) if within is None else
                          sum(1 for o in serving if within.has(o.unit))))
        if within is not None and within.scope.kind == "unit":  # (from the step's own counts, before they go)
            shares.append((d, unit_shares(report, within.scope.id)))
        reports.append(_slim(report))
    series = _series(engine, reports, dates, unit_names, engine.city)
    final = apply_events(officials, events, to)
    series = _with_leavers(_without_official_rules(engine), series, officials, final, units, retires, as_of, to)
    succession = _succession(population_at_start=officials, events=events, retires=retires, as_of=as_of, to=to,
                             unit_names=unit_names)
    if within is None:
        # (a commune's own data: not the notes on the other communes' packs, as `evaluate` does not say them)
        staffed = {o.unit for o in officials}
        first = attrs.evolve(reports[0], names=names_of((), [u for u in units if u.code in staffed], engine.lang))
        foreign = foreign_pack_notes(first, engine.lang, engine.packs, units, engine.named)
        notes = [n for n in _notes(reports) if n not in foreign]
        notes += [n for n in _uncomputed(engine, reports, officials) if n not in notes]
        covered = covered_by_data(first)  # (one commune's or district's own data: the others' packs said once)
        mine = [] if covered is None else [u for u in units if covered[1] == (u.code if covered[0] == "unit"
                                                                               else u.district)]
        others = _not_applying(steps, engine.packs, mine)
        # (not where the notes say it of the whole input: packs named with --pack that cover none of its units)
        said = packs_scope_notes(engine.packs, units, engine.lang).intersection(notes)
        note = None if said else not_applied_text(others, scope_title(first), engine.lang)
        # (of the units that have officials, when the others are left out: with_unstaffed_units)
        return Projection(as_of, to, step, tuple(steps), tuple(series), tuple(succession), len(events),
                          len(officials), reports[0].units if unstaffed else len(units), engine.city,
                          (*read, *notes, *([note] if note else [])), engine.backend.name, not_applying=others)
    # one district or commune: its series and departures; its notes those of `evaluate --scope` on the as-of date
    return Projection(as_of, to, step, tuple(steps), tuple(s for s in series if within.has_scope(s.scope, s.scope_id)),
                      tuple(d for d in succession if within.has(d.official.unit)), len(events),
                      sum(1 for o in officials if within.has(o.unit)), len(within.units), engine.city,
                      (*read, *within.report.notes),
                      engine.backend.name, within.scope, _unit_shares(shares, within.scope.id),
                      _not_applying(steps, engine.packs, [u for u in units if within.has(u.code)]))


def _uncomputed(engine: Engine, reports: Sequence[Report], officials: Sequence[Official]) -> list[str]:
    """The notes of the quotas that could not be computed, a column missing from the input
    (:func:`~cadre_rules.report._uncomputed.uncomputed_quota_notices`, as ``evaluate`` says them: a series of 0/0 is
    not a result), of the packs in force on each step (a step whose packs an earlier step had: said already)."""
    said: list[str] = []
    seen: set[tuple[PackRef, ...]] = set()
    for report in reports:
        if report.packs in seen:
            continue
        seen.add(report.packs)
        packs = engine.packs_for(report.as_of)[0]
        said += [n.message for n in uncomputed_quota_notices(report, packs, officials, engine.lang)
                 if n.message not in said]
    return said


def _not_applying(steps: Sequence[Step], packs: Sequence[Pack], units: Sequence[Unit]) -> tuple[str, ...]:
    """The ``id@version`` of the steps' packs with a ``[scope]`` that covers none of ``units`` (the units of one
    commune or district projected); none when ``units`` is empty (the whole input projected)."""
    if not units:
        return ()
    foreign = foreign_packs(packs, units)
    return tuple(sorted({f"{r.id}@{r.version}" for step in steps for r in step.packs} & foreign))


_ID = operator.attrgetter("id")


def _without_official_rules(engine: Engine) -> Engine:
    """``engine`` deciding only what a projection keeps: its packs' quotas, staffing and unit rules.

    The same packs (ids, versions, parameters, dates in force) compiled without their per-official rules,
    whose findings a projection does not report: the engine evaluates the rest as ``evaluate`` does (the
    property tests compare every step with a full ``evaluate``). Much of an evaluation's time is those
    rules, decided again at every step.
    """
    stepper = copy.copy(engine)
    stepper._programs = {
        p.ref: compile_pack(attrs.evolve(p, rules=tuple(r for r in p.rules if r.subject != "official")))
        for p in engine.packs}
    stepper._reuse = {}  # the steps share what they decide alike (units and metrics unchanged between dates)
    stepper._populations = {}
    return stepper


def _notes(reports: Sequence[Report]) -> list[str]:
    """The notes of the first step, then those of later steps that are not the as-of notices repeated
    for each date (coverage, stale data, districts: the dates of a projection are in the future)."""
    notes = list(reports[0].notes)
    seen = set(notes)
    for report in reports[1:]:
        notices = {n.message for n in report.notices}
        for note in report.notes:
            if note not in seen and note not in notices:
                seen.add(note)
                notes.append(note)
    return notes


def _slim(report: Report) -> Report:
    """The report without its officials' findings (a projection keeps metrics and unit/scope findings) and without its
    quotas' counts per unit (read for a commune's shares before: 5,000 units × quotas per step otherwise kept)."""
    return attrs.evolve(report, findings=tuple(f for f in report.findings if f.subject_kind != "official"),
                        suppressed=(), quota_counts=())


def _families(engine: Engine) -> dict[tuple[str, str], tuple[str, Literal["official", "unit", "post"]]]:
    """(pack, metric or rule id) → (family, what the metric counts)."""
    found: dict[tuple[str, str], tuple[str, Literal["official", "unit", "post"]]] = {}
    for pack in engine.packs:
        for q in pack.quotas:
            found[(pack.id, q.id)] = (q.family, q.per)
        for s in pack.staffing:
            found[(pack.id, s.metric)] = (s.family, "post")
        for r in pack.rules:
            found.setdefault((pack.id, r.id), (r.family, "official"))
    return found


def _series(engine: Engine, reports: Sequence[Report], dates: Sequence[date], unit_names: dict[str, str],
            city: str) -> list[Series]:
    families = _families(engine)
    metrics: dict[tuple[str, str, str, str], dict[date, Metric]] = defaultdict(dict)
    for d, report in zip(dates, reports, strict=True):
        for m in report.metrics:
            metrics[(m.pack, m.id, m.scope, m.scope_id)][d] = m
    out: list[Series] = []
    for (pack, mid, scope, scope_id), by_date in metrics.items():
        family, per = families.get((pack, mid), ("quota", "official"))
        latest = by_date[max(by_date)]
        taken = sorted(by_date.items())
        points = _points([d for d, _ in taken], [m.numerator for _, m in taken], [m.denominator for _, m in taken],
                         [m.met for _, m in taken])
        out.append(Series(pack, mid, "metric", family, scope, scope_id,  # type: ignore[arg-type]
                          _scope_name(scope, scope_id, unit_names, city), latest.target, latest.op,
                          "unit" if latest.per == "unit" else per, points))
    # rules of a unit or scope that are not a metric's: met on a step when they do not fire
    metric_ids = {(k[0], k[1]) for k in metrics}
    for p in engine.packs:  # (a staffing requirement's vacancies are its fill rate's)
        metric_ids.update((p.id, x.id) for x in p.staffing)
        metric_ids.update((p.id, x.id) for x in p.quotas)
    fired: dict[tuple[str, str, str], set[date]] = defaultdict(set)
    applies: dict[str, set[date]] = defaultdict(set)  # pack id -> the steps it is applied on
    for d, report in zip(dates, reports, strict=True):
        refs = {p.id for p in report.packs}
        for pack_id in refs:
            applies[pack_id].add(d)
        for f in report.findings:
            if f.subject_kind == "official" or (f.pack, f.rule) in metric_ids or f.pack not in refs:
                continue
            fired[(f.pack, f.rule, f.subject_id)].add(d)
    for (pack, rule, subject), on in fired.items():
        family = families.get((pack, rule), ("quota", "official"))[0]
        where: Literal["city", "district", "unit"] = "unit" if subject in unit_names else \
            "city" if subject == city else "district"
        days = [d for d in dates if d in applies[pack]]
        points = _points(days, [0 if d in on else 1 for d in days], [1] * len(days), [d not in on for d in days])
        out.append(Series(pack, rule, "rule", family, where, subject, _scope_name(where, subject, unit_names, city),
                          None, None, None, points))
    order = {"city": 0, "district": 1, "unit": 2}
    out.sort(key=lambda s: (s.pack, s.id, order[s.scope], s.scope_id))
    return out


def _unit_shares(steps: Sequence[tuple[date, tuple[Share, ...]]], code: str) -> tuple[ShareSeries, ...]:
    """The commune ``code``'s own shares of the quotas binding its city (district) at each step (each step's
    :func:`~cadre_rules.report._shares.unit_shares`, as ``evaluate --scope commune:…`` takes them from the engine's
    counts on one date), by pack and metric id; target and op those of the latest step."""
    found: dict[tuple[str, str], list[tuple[date, Share]]] = defaultdict(list)
    for d, shares in steps:
        for share in shares:
            found[(share.pack, share.id)].append((d, share))
    out = []
    for (pack, mid), taken in sorted(found.items()):
        latest = taken[-1][1]
        binds = tuple(dict.fromkeys(b for _, share in taken for b in share.binds))
        points = _points([d for d, _ in taken], [s.numerator for _, s in taken], [s.denominator for _, s in taken],
                         [None] * len(taken))
        out.append(ShareSeries(pack, mid, code, latest.target, latest.op, latest.per, binds, points))
    return tuple(out)


def _scope_name(scope: str, scope_id: str, unit_names: dict[str, str], city: str) -> str:
    if scope == "unit":
        return unit_names.get(scope_id, scope_id)
    return scope_id if scope_id else city


def _with_leavers(engine: Engine, series: list[Series], start: Sequence[Official], final: Sequence[Official],
                  units: Sequence[Unit], retires: dict[str, date], as_of: date, to: date) -> list[Series]:
    """Each metric series with its leavers: those serving on the as-of date and gone on ``to``, counted
    in the metric's population by the engine (an evaluation of the leavers alone on the as-of date, by an
    ``engine`` of its own: the steps' carried outcomes are of other officials)."""
    kept = {o.id for o in final if last_day_in_post(o, retires[o.id]) >= to}
    gone = [o for o in start if o.id not in kept and last_day_in_post(o, retires[o.id]) >= as_of]
    if not gone:
        return series
    counted = {(m.pack, m.id, m.scope, m.scope_id): m.denominator
               for m in engine.evaluate(gone, units, as_of).metrics}
    return [attrs.evolve(s, leavers=counted.get((s.pack, s.id, s.scope, s.scope_id), 0))
            if s.kind == "metric" and s.per == "official" else s for s in series]


def _succession(*, population_at_start: Sequence[Official], events: Sequence[PlanEvent], retires: dict[str, date],
                as_of: date, to: date, unit_names: dict[str, str]) -> list[Departure]:
    """Who leaves their post between ``as_of`` and ``to`` — retires, or ends a term (``term_ends``) before
    retirement — by date, unit and id, and the officials of their unit in the planning pool still serving
    the day after (the plan's moves, re-elections and appointments taken into account)."""
    officials = list(population_at_start)
    planned = {e.official for e in events}  # (whose end of term an event may bring into the window)
    leaving = [(o, day) for o in officials
               if as_of <= (day := last_day_in_post(o, retires[o.id])) < to or o.id in planned]
    if not leaving:
        return []
    # the officials present and the planning pool of each unit, per number of events applied (few)
    states: dict[int, tuple[dict[str, Official], dict[str, list[Official]]]] = {}
    event_dates = [e.date for e in events]

    def pool_on(day: date) -> tuple[dict[str, Official], dict[str, list[Official]]]:
        applied = bisect.bisect_right(event_dates, day)
        cached = states.get(applied)
        if cached is None:
            there = apply_events(officials, events[:applied], day) if applied else officials
            pools: dict[str, list[Official]] = defaultdict(list)
            for x in there:
                if x.in_planning:
                    pools[x.unit].append(x)
            cached = states[applied] = ({x.id: x for x in there}, pools)
        return cached

    found = []
    for o, first in leaving:
        # the last day in post as the plan leaves it: a re-election or a move may set another end of term
        when, confirmed = first, False
        for _ in range(len(events) + 2):
            record = pool_on(date.fromordinal(when.toordinal() + 1))[0].get(o.id)
            last = None if record is None else last_day_in_post(record, retires[o.id])
            if last == when:  # (gone the day after, as the records then say)
                confirmed = as_of <= when < to
                break
            if last is None or not as_of <= last < to:  # departed by the plan, or in post on ``to``
                break
            when = last
        if not confirmed:
            continue
        after = date.fromordinal(when.toordinal() + 1)
        present, pools = pool_on(when)[0], pool_on(after)[1]
        held = present.get(o.id, o)
        pool = tuple(sorted((x for x in pools.get(held.unit, ()) if x.id != o.id
                             and last_day_in_post(x, retires[x.id]) >= after), key=lambda x: x.id))
        reason: Literal["retirement", "term_ends"] = "retirement" if when == retires[o.id] else "term_ends"
        found.append(Departure(held, unit_names.get(held.unit, held.unit), retires[o.id], pool, reason, when))
    found.sort(key=lambda dep: (dep.last_day, dep.official.unit, dep.official.id))
    return found


# TRANSLATORS: PlanEvent and load_plan are names of the Python API; {type} a Python type (str)
_NOT_A_PLAN = N_("expected a sequence of PlanEvent (load_plan reads a file), not a value of type {type}")
_NOT_A_PLAN_EVENT = N_("expected a PlanEvent (made by load_plan), not a value of type {type}")
