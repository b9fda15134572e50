"""What a report covers (docs/as-of.md): which families of rules were checked on the as-of date, and where (the
packs with a ``[scope]`` apply to some units only); how current the data are; the notes of a pack's scope that
matches no unit of the input, or names units not in it. Made by the engine for the whole input and again by
:func:`~cadre_rules.report._scope.scope_report` for the units a report is restricted to (``--scope``).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import timedelta

from .._i18n import translation
from ..model._argument_notes import AS_OF
from ..model._argument_notes import ArgumentNote
from ..model._dates import add_months
from ..model._formats import short_date
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Coverage
from ..model._report_records import DataAsOf
from ..model._report_records import Notice
from ..model._table import column_of
from ..packs._packs import FAMILIES
from ..packs._packs import Pack
from ..packs._scope_codes import misspelt_units
from ..packs._succession import last_day

__all__ = ["STALE_DATA_MONTHS", "coverage", "coverage_notices", "data_as_of", "data_notice", "foreign_packs",
           "pack_scope_notes", "packs_scope_notes", "pending_notices"]

#: Data older than the as-of date by more than this many months are reported as stale.
STALE_DATA_MONTHS = 12
#: The family headings of the text report (their translations are shared).
_FAMILY_LABELS = {"staffing": "Staffing", "quota": "Quotas", "qualification": "Qualifications",
                  "rotation": "Rotation", "replacement": "Replacement"}


# -- how current the data are -------------------------------------------------------------------
_LAST = operator.itemgetter(-1)
_FIRST = operator.itemgetter(0)


def _newest(officials: Sequence[Official]) -> date | None:
    """The newest date in the records: appointments, secondments, disciplines, ratings (a rating of
    year Y as 31 December Y). (C loops: ratings and disciplines are sorted, the last is the newest.)"""
    dates: list[date] = []
    for attribute in ("appointed_on", "secondment_since"):
        newest = max(filter(None, column_of(officials, attribute)), default=None)
        if newest is not None:
            dates.append(newest)
    discipline = max(map(_FIRST, map(_LAST, filter(None, column_of(officials, "discipline")))),
                     default=None)
    if discipline is not None:
        dates.append(discipline)
    year = max(map(_FIRST, map(_LAST, filter(None, column_of(officials, "ratings")))), default=None)
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
    return Notice("stale_data", "warning", ArgumentNote(t.gettext(
        "stale data: the data are of {date} ({source}), more than {months} months before the as-of date {as_of}; "
        "the findings describe the records, not the units on {as_of}: update the data or evaluate an earlier "
        "{option}"), date=short_date(data.date, lang), source=source, months=data.stale_after_months,
        as_of=short_date(as_of, lang), option=AS_OF))


# -- which families are checked -----------------------------------------------------------------
def coverage(applied: Sequence[Pack], known: Sequence[Pack], as_of: date, lang: str,
             units: Sequence[Unit] | None = None) -> tuple[Coverage, ...]:
    """Per family, whether the packs ``applied`` on ``as_of`` check it, and why not, from the packs
    ``known`` (the packs the engine was given).

    ``units``: the units a report is restricted to (``--scope``), of which it speaks: a pack with a ``[scope]``
    counts for a family where it covers one of them; the family is checked where those packs cover them all, not
    checked where none does ("only where … apply"). ``None``: the whole input, a family that only packs with a
    ``[scope]`` have being checked in part."""
    t = translation(lang)
    out = []
    for family in FAMILIES:
        of_family = [p for p in applied if family in p.families]
        having = of_family if units is None else \
            [p for p in of_family if not p.scoped or any(p.covers(u.code, u.district) for u in units)]
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
        if any(not p.scoped for p in having) or (having and units is not None and all(
                any(p.covers(u.code, u.district) for p in having) for u in units)):
            out.append(Coverage(family, "checked", refs, "; ".join(reasons) or None))
        elif having or of_family:  # (elsewhere: the scoped packs of the family cover none of ``units``)
            scoped = having or of_family
            scope = ", ".join(sorted({s for p in scoped for s in (*p.scope_districts, *p.scope_units)}))
            reasons.insert(0, t.gettext("only where {packs} apply ({scope})").format(
                packs=", ".join(p.ref for p in scoped), scope=scope))
            out.append(Coverage(family, "partial" if having else "not_checked", refs, "; ".join(reasons)))
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


def pending_notices(known: Sequence[Pack], applied: Sequence[Pack], as_of: date, lang: str,
                    added: Mapping[str, str | None], units: Sequence[Unit]) -> list[Notice]:
    """A notice per pack of ``known`` (the packs the engine was given, every version) that a plugin or the user added
    and that is not ``applied`` because it takes effect after ``as_of``: a plugin's pack installed early, a plugin's
    next version, a pack that will replace another. ``added``: the id of each such pack → the plugin that registered
    it (``None``: the user's). The built-in packs' own versions are not said: ``cadre-rules packs`` lists them and
    the coverage says a family that only a later pack will check. Nor is a pack with a ``[scope]`` that covers none
    of ``units`` (another district's or commune's plugin: :func:`foreign_packs`)."""
    t = translation(lang)
    foreign = foreign_packs(known, units)
    later = sorted((p for p in known if p.id in added and p not in applied and p.ref not in foreign
                    and p.effective_from is not None and p.effective_from > as_of),
                   key=lambda p: (p.effective_from or as_of, p.ref))
    notices = []
    for p in later:
        plugin = added[p.id]
        text = t.gettext("pack {ref} (plugin {plugin}) takes effect on {date}: not applied on the as-of date {as_of}")\
            if plugin is not None else t.gettext("pack {ref} takes effect on {date}: not applied on the as-of date "
                                                 "{as_of}")
        text = text.format(ref=p.ref, plugin=plugin, date=short_date(p.effective_from or as_of, lang),
                           as_of=short_date(as_of, lang))
        if p.replaces:
            text += t.gettext("; from then it replaces {packs}").format(packs=", ".join(p.replaces))
        notices.append(Notice("packs", "info", text))
    return notices


def foreign_packs(packs: Sequence[Pack], units: Sequence[Unit]) -> set[str]:
    """The refs of the ``packs`` with a ``[scope]`` that covers none of ``units``."""
    return {p.ref for p in packs if p.scoped and not any(p.covers(u.code, u.district) for u in units)}


def pack_scope_notes(pack: Pack, covered: Sequence[Unit], lang: str, units: Sequence[Unit] = ()) -> list[str]:
    """A note when a scoped pack covers no unit of the input, or when some of the districts or units its scope
    names are not in the input (a misspelt code in a group of communes would otherwise go unseen). ``units``: the
    units of the input, for a unit code of the scope near one of theirs: "did you mean …" (:func:`misspelt_units`)."""
    _ = translation(lang).gettext
    near = misspelt_units(pack, {u.code for u in units}) if units else {}
    names = {u.code: u.name for u in units}
    meant = "" if not near else _("; did you mean {units}?").format(units=", ".join(
        _("{unit} for {code}").format(code=code, unit=" / ".join(f"{c} {names[c]}" if names.get(c) else c
                                                                 for c in found.split(" / ")))
        for code, found in near.items()))
    if not covered:
        return [_("pack {ref} covers no unit of the input (its scope: {scope})").format(
            ref=pack.ref, scope=", ".join([*pack.scope_districts, *pack.scope_units])) + meant]
    missing = [*sorted(set(pack.scope_districts) - {u.district for u in covered}),
               *sorted(set(pack.scope_units) - {u.code for u in covered})]
    if not missing:
        return []
    return [_("pack {ref}: its scope names {missing}, not in the input; it applies to the other units of its scope")
            .format(ref=pack.ref, missing=", ".join(missing)) + meant]


def packs_scope_notes(packs: Sequence[Pack], units: Sequence[Unit], lang: str) -> set[str]:
    """The notes :func:`pack_scope_notes` gives of the scoped ``packs`` against ``units``, as the engine says them
    for its input (what a report of one commune's or one district's own data does not say, nor one restricted to
    it: the setup of the other units' plugins). Not a note that says "did you mean" a unit of the input: a
    misspelling of one of its codes is the report's own business, kept."""
    return {note for pack in packs if pack.scoped
            for note in pack_scope_notes(pack, [u for u in units if pack.covers(u.code, u.district)], lang)}
