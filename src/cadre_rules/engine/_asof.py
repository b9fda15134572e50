"""What the as-of date means beyond the rules (docs/as-of.md): who is still serving, how current the
data are, which families of rules are checked, and whether districts still exist."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from datetime import timedelta

from .._i18n import translation
from ..model._context import Calendar
from ..model._context import Contexts
from ..model._context import OfficialContext
from ..model._dates import DISTRICTS_ABOLISHED
from ..model._dates import add_months
from ..model._dates import retirement_date
from ..model._formats import short_date
from ..model._model import Coverage
from ..model._model import DataAsOf
from ..model._model import Districts
from ..model._model import Finding
from ..model._model import JSONValue
from ..model._model import Notice
from ..model._model import Official
from ..model._model import Unit
from ..packs._packs import FAMILIES
from ..packs._packs import Pack
from ..packs._succession import last_day
from ..report._notices import dropped_districts_notice

__all__ = ["DISTRICTS_ABOLISHED", "ENGINE_PACK", "PAST_RETIREMENT", "STALE_DATA_MONTHS", "coverage",
           "coverage_notices", "data_as_of", "data_notice", "district_notice", "districts", "last_day_in_post",
           "notices", "retirement_findings", "serving"]

#: Data older than the as-of date by more than this many months are reported as stale.
STALE_DATA_MONTHS = 12
#: The "pack" of the findings the engine makes itself, whatever the packs (not a pack of the report).
ENGINE_PACK = "cadre-rules"
#: The rule id of the finding about an official past retirement age on the as-of date.
PAST_RETIREMENT = "staffing.past_retirement"
_RETIREMENT_CITE = "Bộ luật Lao động 2019, Điều 169; NĐ 135/2020/NĐ-CP, Điều 3, 4"
#: The family headings of the text report (their translations are shared).
_FAMILY_LABELS = {"staffing": "Staffing", "quota": "Quotas", "qualification": "Qualifications",
                  "rotation": "Rotation", "replacement": "Replacement"}


# -- who is serving -----------------------------------------------------------------------------
def serving(contexts: Contexts, calendar: Calendar) -> tuple[Contexts, Sequence[OfficialContext]]:
    """The officials serving on the as-of date, and those past retirement age (not serving from the
    day after their retirement date): the reading of the packs that declare ``retirement_ends_service``."""
    officials = contexts.officials
    if calendar.none_retired(officials):
        return contexts, ()
    retired = calendar.retired_of(officials)
    if not any(retired):
        return contexts, ()
    return contexts.where(map(operator.not_, retired)), contexts.where(retired)


def last_day_in_post(official: Official, retires: date | None = None) -> date:
    """The last day ``official`` holds their post, as the records tell: the earlier of their retirement date
    (``retires``, if known, else computed) and the end of their term (``term_ends``). "Retires or ends a
    term within N months of D" is ``last_day_in_post(o) <= add_months(D, N)``; a projection takes the
    official out of the post from the day after (docs/project.md)."""
    retiring = retirement_date(official.birth_date, official.gender) if retires is None else retires
    ends = official.term_ends
    return retiring if ends is None or retiring <= ends else ends


def retirement_findings(past: Iterable[OfficialContext], packs: Sequence[Pack], lang: str) -> list[Finding]:
    """An ``info`` finding per official past retirement age whom a pack of ``packs`` (those evaluated) takes
    out of service — one that declares ``retirement_ends_service`` and covers the official's unit —, sorted by
    id: not counted as serving. Where another pack evaluated there does not declare it (packs of one date may
    read it differently), the message names the packs of each reading and the facts list those that still
    count the official (``counted_by``), each as ``id@version``, as the report's other notes and its coverage
    name them."""
    t = translation(lang)
    alone = t.gettext("past retirement age on the as-of date (retirement date {date}): not counted as serving; "
                      "record the departure")
    mixed = t.gettext("past retirement age on the as-of date (retirement date {date}): not counted as serving "
                      "by {packs} (still counted by {others}); record the departure")
    declaring = [p for p in packs if p.retirement_ends_service]
    counting = [p for p in packs if not p.retirement_ends_service]
    found = []
    for ctx in sorted(past, key=lambda c: c.official.id):
        unit = ctx.unit
        out_of = sorted(p.ref for p in declaring if p.covers(unit.code, unit.district))
        if not out_of:  # no pack evaluated here takes them out of service
            continue
        others = sorted(p.ref for p in counting if p.covers(unit.code, unit.district))
        when = ctx.retirement_date()  # the facts keep the ISO date; the message, the reader's
        facts: dict[str, JSONValue] = {"retirement_date": when.isoformat(), "position": ctx.official.position}
        if others:
            message = mixed.format(date=short_date(when, lang), packs=", ".join(out_of), others=", ".join(others))
            facts["counted_by"] = list(others)
        else:
            message = alone.format(date=short_date(when, lang))
        found.append(Finding(ENGINE_PACK, PAST_RETIREMENT, "staffing", "info", "official", ctx.official.id,
                             unit.code, message, _RETIREMENT_CITE, facts))
    return found


# -- how current the data are -------------------------------------------------------------------
_LAST = operator.itemgetter(-1)
_FIRST = operator.itemgetter(0)


def _newest(officials: Sequence[Official]) -> date | None:
    """The newest date in the records: appointments, secondments, disciplines, ratings (a rating of
    year Y as 31 December Y). (C loops: ratings and disciplines are sorted, the last is the newest.)"""
    dates: list[date] = []
    for attribute in ("appointed_on", "secondment_since"):
        newest = max(filter(None, map(operator.attrgetter(attribute), officials)), default=None)
        if newest is not None:
            dates.append(newest)
    discipline = max(map(_FIRST, map(_LAST, filter(None, map(operator.attrgetter("discipline"), officials)))),
                     default=None)
    if discipline is not None:
        dates.append(discipline)
    year = max(map(_FIRST, map(_LAST, filter(None, map(operator.attrgetter("ratings"), officials)))), default=None)
    if year is not None:
        dates.append(date(year, 12, 31))
    return max(dates, default=None)


def data_as_of(officials: Sequence[Official], as_of: date, declared: date | None = None) -> DataAsOf:
    """The date the data describe (``declared``, else the newest date in them) and whether it is
    older than ``as_of`` by more than :data:`STALE_DATA_MONTHS` months."""
    when = declared if declared is not None else _newest(officials)
    source = None if when is None else "declared" if declared is not None else "inferred"
    stale = when is not None and as_of > add_months(when, STALE_DATA_MONTHS)
    return DataAsOf(when, source, stale, STALE_DATA_MONTHS)  # type: ignore[arg-type]


def data_notice(data: DataAsOf, as_of: date, lang: str) -> Notice | None:
    """The warning of stale data, or ``None``."""
    if not data.stale or data.date is None:
        return None
    t = translation(lang)
    source = t.gettext("declared") if data.source == "declared" else t.gettext("the newest date in the data")
    return Notice("stale_data", "warning", t.gettext(
        "stale data: the data are of {date} ({source}), more than {months} months before the as-of date {as_of}; "
        "the findings describe the records, not the units on {as_of}: update the data or evaluate an earlier "
        "--as-of").format(date=short_date(data.date, lang), source=source, months=data.stale_after_months,
                          as_of=short_date(as_of, lang)))


# -- which families are checked -----------------------------------------------------------------
def coverage(applied: Sequence[Pack], known: Sequence[Pack], as_of: date, lang: str) -> tuple[Coverage, ...]:
    """Per family, whether the packs ``applied`` on ``as_of`` check it, and why not, from the packs
    ``known`` (the packs the engine was given)."""
    t = translation(lang)
    out = []
    for family in FAMILIES:
        having = [p for p in applied if family in p.families]
        refs = tuple(p.ref for p in having)
        reasons = []  # the packs of the family not in effect on the date
        future: list[Pack] = []
        for p in known:
            if family not in p.families or p in applied:
                continue
            end = last_day(p)
            if end is not None and as_of > end:
                if p.successor is not None:
                    if having:  # the family passed to the pack's successor: nothing to say
                        continue
                    reasons.append(t.gettext("{pack} replaced by {successor} from {date}").format(
                        pack=p.ref, successor=p.successor, date=short_date(end + timedelta(days=1), lang)))
                else:
                    reasons.append(t.gettext("{pack} ended {date}").format(pack=p.ref, date=short_date(end, lang)))
            elif p.effective_from is not None and as_of < p.effective_from:
                future.append(p)
        # a family not checked: the pack(s) that will check it next (later versions are no news)
        soonest = min((p.effective_from for p in future if p.effective_from), default=None)
        if not having and soonest is not None:
            reasons.extend(t.gettext("{pack} takes effect {date}").format(pack=p.ref, date=short_date(soonest, lang))
                           for p in future if p.effective_from == soonest)
        if any(not p.scoped for p in having):
            out.append(Coverage(family, "checked", refs, "; ".join(reasons) or None))
        elif having:
            scope = ", ".join(sorted({s for p in having for s in (*p.scope_districts, *p.scope_units)}))
            reasons.insert(0, t.gettext("only where {packs} apply ({scope})").format(packs=", ".join(refs),
                                                                                    scope=scope))
            out.append(Coverage(family, "partial", refs, "; ".join(reasons)))
        else:
            reason = "; ".join(reasons) or t.gettext("no pack evaluated has rules of this family")
            out.append(Coverage(family, "not_checked", (), reason))
    return tuple(out)


def coverage_notices(cover: Sequence[Coverage], as_of: date, lang: str) -> list[Notice]:
    """A notice per family not (fully) checked (a warning when not checked at all), or checked while
    some pack of it is not in effect."""
    t = translation(lang)
    notices = []
    for c in cover:
        name = t.pgettext("family", _FAMILY_LABELS.get(c.family, c.family))
        if c.status == "not_checked":
            notices.append(Notice("coverage", "warning", t.gettext("{family}: not checked on {date}: {reason}").format(
                family=name, date=short_date(as_of, lang), reason=c.reason), c.family))
        elif c.status == "partial":
            notices.append(Notice("coverage", "info", t.gettext(
                "{family}: checked only in part on {date}: {reason}").format(
                    family=name, date=short_date(as_of, lang), reason=c.reason), c.family))
        elif c.reason:
            notices.append(Notice("coverage", "info", t.gettext(
                "{family}: checked on {date} by {packs} only: {reason}").format(
                    family=name, date=short_date(as_of, lang), packs=", ".join(c.packs), reason=c.reason), c.family))
    return notices


# -- whether districts exist --------------------------------------------------------------------
def districts(units: Sequence[Unit], as_of: date, legacy: bool) -> Districts:
    """What the district level of the report is (see :data:`~cadre_rules.model._model.Districts`)."""
    if not any(u.district for u in units):
        return "none"
    if as_of < DISTRICTS_ABOLISHED:
        return "kept"
    return "legacy" if legacy else "dropped"


def district_notice(mode: Districts, units: Sequence[Unit], lang: str) -> Notice | None:
    """The notice of a districted dataset evaluated on a date without districts, or ``None``."""
    t = translation(lang)
    if mode == "dropped":
        return dropped_districts_notice({u.code: 1 for u in units if u.district}, lang)
    if mode == "legacy":
        return Notice("districts", "info", t.gettext(
            "aggregated by former district (--legacy-districts): the districts were abolished on {date}").format(
                date=short_date(DISTRICTS_ABOLISHED, lang)))
    return None


def notices(cover: Sequence[Coverage], data: DataAsOf, mode: Districts, units: Sequence[Unit], as_of: date,
            lang: str) -> list[Notice]:
    """Every notice of an evaluation: coverage, stale data, districts."""
    found = coverage_notices(cover, as_of, lang)
    found.extend(n for n in (data_notice(data, as_of, lang), district_notice(mode, units, lang)) if n is not None)
    return found
