"""What the as-of date means beyond the rules (docs/as-of.md): who is still serving, how current the
data are, which families of rules are checked, and whether districts still exist. (How current the data are and
which families are checked are :mod:`cadre_rules.report._coverage`'s, which a scoped report remakes for its
units: re-exported here.)"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date

from .._i18n import translation
from ..model._argument_notes import LEGACY_DISTRICTS
from ..model._argument_notes import ArgumentNote
from ..model._context import Calendar
from ..model._context import Contexts
from ..model._context import OfficialContext
from ..model._dates import DISTRICTS_ABOLISHED
from ..model._dates import retirement_date
from ..model._formats import short_date
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import ENGINE_PACK
from ..model._report_records import PAST_RETIREMENT
from ..model._report_records import Coverage
from ..model._report_records import DataAsOf
from ..model._report_records import Districts
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Notice
from ..packs._packs import Pack
from ..report._coverage import STALE_DATA_MONTHS
from ..report._coverage import coverage
from ..report._coverage import coverage_notices
from ..report._coverage import data_as_of
from ..report._coverage import data_notice
from ..report._notices import dropped_districts_notice

__all__ = ["DISTRICTS_ABOLISHED", "ENGINE_PACK", "PAST_RETIREMENT", "STALE_DATA_MONTHS", "coverage",
           "coverage_notices", "data_as_of", "data_notice", "district_notice", "districts", "last_day_in_post",
           "notices", "retirement_findings", "serving"]

_RETIREMENT_CITE = "Bộ luật Lao động 2019, Điều 169; NĐ 135/2020/NĐ-CP, Điều 3, 4"


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


# -- whether districts exist --------------------------------------------------------------------
def districts(units: Sequence[Unit], as_of: date, legacy: bool) -> Districts:
    """What the district level of the report is (see :data:`~cadre_rules.model._report_records.Districts`)."""
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
        return Notice("districts", "info", ArgumentNote(t.gettext(
            "aggregated by former district ({option}): the districts were abolished on {date}"),
            option=LEGACY_DISTRICTS, date=short_date(DISTRICTS_ABOLISHED, lang)))
    return None


def notices(cover: Sequence[Coverage], data: DataAsOf, mode: Districts, units: Sequence[Unit], as_of: date,
            lang: str) -> list[Notice]:
    """Every notice of an evaluation: coverage, stale data, districts."""
    found = coverage_notices(cover, as_of, lang)
    found.extend(n for n in (data_notice(data, as_of, lang), district_notice(mode, units, lang)) if n is not None)
    return found
