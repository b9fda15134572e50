"""The formats of a projection (docs/project.md): text, json (``cadre-rules/projection/v1``), csv, xlsx
(one sheet per target, Vietnamese first) and html (an offline line chart per target)."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from fractions import Fraction
from typing import Any

import orjson

from .._i18n import N_
from .._i18n import translation
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._formats import OP_SIGNS
from ..model._formats import decimal
from ..model._formats import integer
from ..model._formats import percent
from ..model._formats import short_date
from ..model._model import Official
from ..model._names import post_label
from ..render._labels import MetricNames
from ..render._labels import RuleNames
from ..render._shares import shares_heading
from ..report._report import scope_entry
from ..report._report import version
from ._project import Departure
from ._project import Projection
from ._project import Series
from ._project import ShareSeries

__all__ = ["FORMATS", "SCHEMA", "projection_to_dict", "render_projection"]

#: The JSON contract of a projection (docs/project.md); additive fields within v1.
SCHEMA = "cadre-rules/projection/v1"
#: How many unit rows the text shows per target (the units never unmet are counted, not listed).
_TEXT_UNITS = 50


def _number(s: Series, value: Fraction | None, lang: str) -> str:
    if value is None or s.kind == "rule":
        return "—"
    return decimal(value, lang) if s.per == "unit" else percent(value, lang)


def _mark(met: bool | None) -> str:
    return "·" if met is None else "✓" if met else "✗"


def _official(o: Official) -> dict[str, Any]:
    return {"id": o.id, "full_name": o.full_name, "position": o.position, "unit": o.unit}


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _series_dict(s: Series, named: Callable[[str, str], Any]) -> dict[str, Any]:
    return {"pack": s.pack, "id": s.id, "kind": s.kind, "family": s.family, "scope": s.scope,
            "scope_id": s.scope_id, "scope_name": s.scope_name,
            "target": _float(s.target), "op": s.op, "per": s.per,
            "points": [{"date": p.date.isoformat(), "numerator": p.numerator, "denominator": p.denominator,
                        "value": _float(p.value), "met": p.met} for p in s.points],
            "first_unmet": None if s.first_unmet is None else s.first_unmet.isoformat(),
            "leavers": s.leavers,
            "needed": {"added": s.needed("added"), "replacing": s.needed("replacing")},
            "name": named(s.pack, s.id)}


#: The heading of the succession list (text, html).
_SUCCESSION = N_("Succession: who retires or ends a term by {date}")
#: Why a post becomes vacant (a departure's reason), as the xlsx sheet and the lists say it.
_REASONS = {"retirement": N_("retirement"), "term_ends": N_("end of term")}


def _why(d: Departure, lang: str) -> str:
    """`` (end of term)`` after a departure at the end of a term (a retirement says nothing)."""
    return "" if d.reason == "retirement" else f" ({translation(lang).gettext(_REASONS[d.reason])})"


def _pool(d: Departure, names: str, lang: str) -> str:
    """Who of the departing official's unit is in planning (``names``, as the list writes them), said as such: a
    bare list of names after the departing official reads as more people leaving."""
    _ = translation(lang).gettext
    return _("in planning in the unit: {names}").format(names=names) if d.in_planning else _("nobody in planning")


def _share_dict(s: ShareSeries, named: Callable[[str, str], Any]) -> dict[str, Any]:
    return {"pack": s.pack, "id": s.id, "unit": s.unit, "target": _float(s.target), "op": s.op, "per": s.per,
            "binds": [{"scope": kind, "scope_id": ident} for kind, ident in s.binds],
            "points": [{"date": p.date.isoformat(), "numerator": p.numerator, "denominator": p.denominator,
                        "value": _float(p.value)} for p in s.points],
            "name": named(s.pack, s.id)}


def _departure_dict(d: Departure) -> dict[str, Any]:
    return {"retirement_date": d.retirement_date.isoformat(), "official": _official(d.official),
            "unit_name": d.unit_name, "in_planning": [_official(o) for o in d.in_planning], "reason": d.reason,
            "last_day": d.last_day.isoformat()}


def projection_to_dict(p: Projection) -> dict[str, Any]:
    """The projection as the JSON document of ``cadre-rules/projection/v1`` (docs/project.md)."""
    refuse(an_instance("p", p, Projection, _NOT_A_PROJECTION))
    # (a target's names in both languages, by the packs of its steps, as the text and html name it: :func:`_title`)
    named = MetricNames.in_each_language(ref for step in p.steps for ref in step.packs)
    return {
        "schema": SCHEMA, "cadre_rules_version": version(), "as_of": p.as_of.isoformat(), "to": p.to.isoformat(),
        "step": p.step, "city": p.city,
        **scope_entry(p.scope),
        "backend": p.backend,
        "input": {"officials": p.officials, "units": p.units, "plan_events": p.events},
        "steps": [{"date": s.date.isoformat(), "serving": s.serving,
                   "packs": [f"{r.id}@{r.version}" for r in s.packs]} for s in p.steps],
        # (the steps' packs that apply to none of the units projected, as evaluate's json marks them "applies": false)
        **({"not_applying": list(p.not_applying)} if p.not_applying else {}),
        "targets": [_series_dict(s, named) for s in p.series],
        "succession": [_departure_dict(d) for d in p.succession],
        **({"unit_shares": [_share_dict(s, named) for s in p.unit_shares]} if p.unit_shares else {}),
        "notes": list(p.notes),
    }


def render_json(p: Projection, lang: str = "vi") -> bytes:
    del lang
    return orjson.dumps(projection_to_dict(p), option=orjson.OPT_INDENT_2) + b"\n"


def _about(p: Projection) -> str:
    """``Phường Tương Mai — `` before a title: the district or commune of a scoped projection."""
    return "" if p.scope is None else f"{p.scope.name} — "


def _pack_lines(p: Projection, lang: str) -> list[str]:
    """"Packs from 31/12/2025: …", a line for the first step and for each step whose packs differ from the step
    before, as every format of the projection names them; another commune's or district's packs, in the projection
    of one, not named (a note says so once), as evaluate's header names only those that apply."""
    _ = translation(lang).gettext
    lines: list[str] = []
    previous: tuple[str, ...] | None = None
    for step in p.steps:
        refs = tuple(ref for ref in (f"{r.id}@{r.version}" for r in step.packs) if ref not in p.not_applying)
        if refs != previous:
            lines.append(_("Packs from {date}: {packs}").format(date=short_date(step.date, lang),
                                                                packs=", ".join(refs) or "—"))
            previous = refs
    return lines


# -- text ---------------------------------------------------------------------------------------------
def render_text(p: Projection, lang: str = "vi") -> str:
    """A table per target (scopes × step dates, ✓/✗), what it takes, and the succession list."""
    t = translation(lang)
    _ = t.gettext
    counts = (t.ngettext("{n} official", "{n} officials", p.officials).format(n=integer(p.officials, lang)),
              t.ngettext("{n} unit", "{n} units", p.units).format(n=integer(p.units, lang)),
              t.ngettext("{n} plan event", "{n} plan events", p.events).format(n=integer(p.events, lang)))
    out = [_about(p) + _("Projection from {start} to {end}, every {step}: {officials}, {units}, {events}").format(
        start=short_date(p.as_of, lang), end=short_date(p.to, lang), step=_step_word(p.step, lang),
        officials=counts[0], units=counts[1], events=counts[2])]
    out.append(_("Steps: {dates}").format(dates=" ".join(short_date(step.date, lang) for step in p.steps)))
    out += _pack_lines(p, lang)
    names = _Names(p, lang)
    by_target: dict[tuple[str, str], list[Series]] = {}
    for s in p.series:
        by_target.setdefault((s.pack, s.id), []).append(s)
    for (pack, target_id), series in by_target.items():
        first = series[0]
        goal = "" if first.target is None else \
            f" ({OP_SIGNS.get(first.op or '', first.op)} {_number(first, first.target, lang)})"
        out.extend(["", f"{_title(first, names)}{goal}: {pack} {target_id}"])
        shown = [s for s in series if s.scope != "unit" or s.first_unmet is not None]
        # (a unit left out is met at every step, or has no value on some step: its scope empty, a column not
        # recorded — never said met)
        met = sum(1 for s in series if s.scope == "unit" and all(x.met for x in s.points))
        unknown = len(series) - len(shown) - met
        units = [s for s in shown if s.scope == "unit"]
        more = max(len(units) - _TEXT_UNITS, 0)
        if more:
            shown = [s for s in shown if s.scope != "unit"] + units[:_TEXT_UNITS]
        width = max(len(s.scope_name) for s in shown) if shown else 0
        for s in shown:
            marks = "".join(_mark(x.met) for x in s.points)
            line = f"  {s.scope_name:<{width}}  {marks}  {_number(s, s.last.value, lang)}"
            if s.first_unmet is not None:
                line += "  " + _("not met from {date}").format(date=short_date(s.first_unmet, lang))
            out.append(line)
        if more:
            out.append("  " + t.ngettext("(and {n} more unit not met: all listed in the xlsx, csv and json formats)",
                                         "(and {n} more units not met: all listed in the xlsx, csv and json formats)",
                                         more).format(n=integer(more, lang)))
        if met:
            out.append("  " + t.ngettext("(and {n} unit met at every step)", "(and {n} units met at every step)",
                                         met).format(n=integer(met, lang)))
        if unknown:
            out.append("  " + t.ngettext("(and {n} unit without a value on some step: nobody counted, or a column "
                                         "not filled in)",
                                         "(and {n} units without a value on some step: nobody counted, or a column "
                                         "not filled in)", unknown).format(n=integer(unknown, lang)))
    if p.unit_shares:
        out.extend(["", _shares_heading(p, lang)])
        for sh in p.unit_shares:
            values = " → ".join(dict.fromkeys(_share_number(sh, x.value, lang) for x in (sh.points[0], sh.points[-1])))
            out.append(f"  {names.metrics(sh.pack, sh.id)} ({OP_SIGNS[sh.op]} {_share_number(sh, sh.target, lang)}, "
                       f"{', '.join(ident for _, ident in sh.binds)}): {values}")
    out.extend(["", _("What it takes on {date}").format(date=short_date(p.to, lang))])
    needs = [s for s in p.series if s.kind == "metric" and s.first_unmet is not None]
    for s in needs:
        added, replacing = s.needed("added"), s.needed("replacing")
        target = names.metrics.named(s.pack, s.id) or s.id  # by name, as the tables above title it
        if added is None and replacing is None and s.excess():  # (a maximum: fewer of them, not appointments)
            out.append("  " + t.ngettext(
                "{scope}: {target}: {n} above the maximum on {date}: to be reduced (no appointment meets it)",
                "{scope}: {target}: {n} above the maximum on {date}: to be reduced (no appointment meets it)",
                s.excess()).format(scope=s.scope_name, target=target, n=integer(s.excess(), lang),
                                   date=short_date(p.to, lang)))
        elif added == 0 and replacing == 0:
            out.append("  " + _("{scope}: {target}: met on {date} without appointments").format(
                scope=s.scope_name, target=target, date=short_date(p.to, lang)))
        elif s.per == "post":
            out.append("  " + t.ngettext("{scope}: {target}: {n} vacant post to fill",
                                         "{scope}: {target}: {n} vacant posts to fill", added or 0).format(
                scope=s.scope_name, target=target, n=_count(added, lang)))
        else:
            out.append("  " + _said(_needed_template(added, replacing, s.leavers), s.leavers, lang).format(
                scope=s.scope_name, target=target, added=_count(added, lang), replacing=_count(replacing, lang),
                leavers=integer(s.leavers, lang), date=short_date(p.to, lang)))
    if not needs and any(x.met is None for s in p.series for x in s.points):
        out.append("  " + _("no target is unmet on any step; some have no value on some step (above)"))
    elif not needs:
        out.append("  " + _("every target is met at every step"))
    out.extend(["", _(_SUCCESSION).format(date=short_date(p.to, lang))])
    for d in p.succession:
        pool = _pool(d, ", ".join(f"{o.full_name} ({post_label(o, lang)})" for o in d.in_planning), lang)
        out.append(f"  {short_date(d.last_day, lang)}  {d.official.full_name} "
                   f"({post_label(d.official, lang)}), {d.unit_name}{_why(d, lang)}: {pool}")
    if not p.succession:
        out.append("  —")
    if p.notes:
        out.extend(["", _("Notes")])
        out.extend(f"  {n}" for n in p.notes)
    return "\n".join(out) + "\n"


def _shares_heading(p: Projection, lang: str) -> str:
    """The heading of a commune's own shares, as ``evaluate --scope commune:…`` titles them (whose targets)."""
    name = p.scope.name if p.scope is not None else p.unit_shares[0].unit
    return shares_heading({kind for s in p.unit_shares for kind, _ in s.binds}, lang).format(unit=name)


def _share_number(s: ShareSeries, value: Fraction | None, lang: str) -> str:
    """A commune's own share (or its target) as shown: a share in percent, an average per unit with two decimals."""
    if value is None:
        return "—"
    return decimal(value, lang) if s.per == "unit" else percent(value, lang)


class _Names:
    """The names the packs of the projection's steps give their metrics and rules (a later step's version's
    first), else the built-in names."""

    def __init__(self, p: Projection, lang: str) -> None:
        refs = [ref for step in p.steps for ref in step.packs]
        self.lang = lang
        self.metrics = MetricNames(refs, lang)
        self.rules = RuleNames(refs, lang)


def _title(s: Series, names: _Names) -> str:
    """A target's name: the name its pack or the built-in packs give the metric (a rule of a target, such as
    ``quota.woman_standing_committee``, by its target's name), else a rule's name; another metric or rule (its id
    follows) by its kind."""
    name = names.metrics.named(s.pack, s.id)
    if name is None and s.kind == "rule":
        name = names.rules(s.pack, s.id)
    if name is not None:
        return name
    t = translation(names.lang)
    return t.pgettext("projection", "Rule") if s.kind == "rule" else t.pgettext("projection", "Metric")


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a pair for extraction (as gettext's ``ngettext`` does): said with ``ngettext`` of the number it counts."""
    return singular, plural


def _needed_template(added: int | None, replacing: int | None, leavers: int = 0) -> tuple[str, str]:
    """How many appointments a target needs, each way (``None``: no number of appointments that way meets it);
    ``replacing`` beyond the ``leavers``: they also take the places of serving officials who are not counted. A pair
    (one leaver, more) where the text counts the leavers (``ngettext`` of them), else the same text twice."""
    if added is None and replacing is None:
        return _same(N_("{scope}: {target}: no number of appointments meets it on {date}"))
    if replacing is not None and replacing > leavers:
        if leavers == 0:
            if added is None:
                return _same(N_("{scope}: {target}: appointments needed: {replacing} if they replace officials not "
                                "counted in the target (no number of added ones meets it)"))
            return _same(N_("{scope}: {target}: appointments needed: {added} if added, {replacing} if they replace "
                            "officials not counted in the target"))
        if added is None:
            return ngettext("{scope}: {target}: appointments needed: {replacing} if they replace the {leavers} who "
                             "leaves and officials not counted in the target (no number of added ones meets it)",
                             "{scope}: {target}: appointments needed: {replacing} if they replace the {leavers} who "
                             "leave and officials not counted in the target (no number of added ones meets it)")
        return ngettext("{scope}: {target}: appointments needed: {added} if added, {replacing} if they replace the "
                         "{leavers} who leaves and officials not counted in the target",
                         "{scope}: {target}: appointments needed: {added} if added, {replacing} if they replace the "
                         "{leavers} who leave and officials not counted in the target")
    if added is None:
        return ngettext("{scope}: {target}: appointments needed: {replacing} if they replace the {leavers} who "
                         "leaves (no number of added ones meets it)",
                         "{scope}: {target}: appointments needed: {replacing} if they replace the {leavers} who leave "
                         "(no number of added ones meets it)")
    if replacing is None:
        return ngettext("{scope}: {target}: appointments needed: {added} if added (replacing the {leavers} who "
                         "leaves does not meet it)",
                         "{scope}: {target}: appointments needed: {added} if added (replacing the {leavers} who leave "
                         "does not meet it)")
    return ngettext("{scope}: {target}: appointments needed: {added} if added, {replacing} if they replace the "
                     "{leavers} who leaves",
                     "{scope}: {target}: appointments needed: {added} if added, {replacing} if they replace the "
                     "{leavers} who leave")


def _same(message: str) -> tuple[str, str]:
    """A text that counts no leaver, as :func:`_needed_template`'s pair."""
    return message, message


def _said(pair: tuple[str, str], n: int, lang: str) -> str:
    """A pair of :func:`_needed_template` in ``lang``: ``ngettext`` of ``n`` where it is a pair, else the text."""
    t = translation(lang)
    return t.gettext(pair[0]) if pair[0] == pair[1] else t.ngettext(pair[0], pair[1], n)


def _count(value: int | None, lang: str) -> str:
    return translation(lang).gettext("none can") if value is None else integer(value, lang)


def _step_word(step: str, lang: str) -> str:
    t = translation(lang)
    return {"month": t.gettext("month"), "quarter": t.gettext("quarter"), "year": t.gettext("year")}[step]


# -- csv ----------------------------------------------------------------------------------------------
_CSV_HEADER = ("pack", "target", "kind", "scope", "scope_id", "scope_name", "date", "numerator", "denominator",
               "value", "target_value", "op", "met", "first_unmet", "needed_added", "needed_replacing", "leavers")


def render_csv(p: Projection, lang: str = "vi") -> str:
    """One row per target, scope and step date (the contract's column names; dates ISO)."""
    del lang
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for s in p.series:
        first = "" if s.first_unmet is None else s.first_unmet.isoformat()
        added, replacing = s.needed("added"), s.needed("replacing")
        for x in s.points:
            writer.writerow([s.pack, s.id, s.kind, s.scope, s.scope_id, s.scope_name, x.date.isoformat(), x.numerator,
                             x.denominator, "" if x.value is None else f"{float(x.value):.6g}",
                             "" if s.target is None else f"{float(s.target):.6g}", s.op or "",
                             "" if x.met is None else str(x.met).lower(), first,
                             "" if added is None else added, "" if replacing is None else replacing, s.leavers])
    for sh in p.unit_shares:  # (a commune's own shares, for information: kind "share", never met or unmet)
        for x in sh.points:
            writer.writerow([sh.pack, sh.id, "share", "unit", sh.unit, p.scope.name if p.scope else sh.unit,
                             x.date.isoformat(), x.numerator, x.denominator,
                             "" if x.value is None else f"{float(x.value):.6g}", f"{float(sh.target):.6g}", sh.op,
                             "", "", "", "", ""])
    return buffer.getvalue()


# -- xlsx ---------------------------------------------------------------------------------------------
def render_xlsx(p: Projection, lang: str = "vi") -> bytes:
    """A sheet per target (a row per scope, a column per step date: the value), then the succession, then the
    notes (if any)."""
    from ..render._xlsx import _Book  # noqa: PLC0415 - lazy: xlsxwriter only for this format

    t = translation(lang)
    _ = t.gettext
    out = io.BytesIO()
    book = _Book(out, datetime.combine(p.as_of, datetime.min.time(), UTC).replace(tzinfo=None), lang)
    by_target: dict[tuple[str, str], list[Series]] = {}
    for s in p.series:
        by_target.setdefault((s.pack, s.id), []).append(s)
    taken: set[str] = set()
    if p.scope is not None:  # (first: what the workbook is of, and its dates)
        about: list[list[Any]] = [[_("As of"), p.as_of], [t.pgettext("xlsx summary", "Projected to"), p.to]]
        book.sheet(_sheet_title(_("Scope"), taken), [t.pgettext("xlsx summary", "Report for"), p.scope.name], about)
    book.sheet(_sheet_title(_("Packs"), taken), [_("Packs")],
               [[line] for line in _pack_lines(p, lang)])  # (what the projection rests on, before its targets)
    dates = [s.date for s in p.steps]
    names = _Names(p, lang)
    for (pack, target_id), series in by_target.items():  # titled by its name, as the text heads it
        header = [_("Scope"), _("Scope id"), *(short_date(d, lang) for d in dates), _("Target"), _("First unmet"),
                  _("Needed (added)"), _("Needed (replacing leavers)"), _("Leavers"), _("Metric"), _("Metric id")]
        title = _title(series[0], names)
        if title in (t.pgettext("projection", "Rule"), t.pgettext("projection", "Metric")):
            title = f"{title} {target_id}"  # no name: "Chỉ số staffing.x", as the text heads it
        rows: list[list[Any]] = []
        for s in series:
            values: dict[Any, Any] = {x.date: (None if x.value is None else float(x.value)) for x in s.points}
            rows.append([s.scope_name, s.scope_id, *(values.get(d) for d in dates),
                         None if s.target is None else float(s.target), s.first_unmet,
                         s.needed("added"), s.needed("replacing"), s.leavers, title, f"{pack} {target_id}"])
        share = series[0].per in ("official", "post") or series[0].kind == "rule"
        columns = list(range(2, 2 + len(dates) + 1)) if share else []
        book.sheet(_sheet_title(_shortened(title), taken), header, rows, percent_columns=columns)
    if p.unit_shares:  # (a commune's own shares of the city's quotas, for information)
        header = [_("Metric"), _("Metric id"), *(short_date(d, lang) for d in dates), _("Target"), _("Target of")]
        rows = [[names.metrics(sh.pack, sh.id), sh.id,
                 *({x.date: None if x.value is None else float(x.value) for x in sh.points}.get(d) for d in dates),
                 float(sh.target), ", ".join(ident for _, ident in sh.binds)] for sh in p.unit_shares]
        book.sheet(_sheet_title(t.pgettext("xlsx sheet", "Commune shares (information)"), taken), header, rows,
                   percent_columns=list(range(2, 2 + len(dates) + 1)),
                   plain_rows=frozenset(n for n, sh in enumerate(p.unit_shares, start=1) if sh.per == "unit"))
    header = [_("Last day in post"), t.pgettext("xlsx column", "Reason"), _("Official"), _("Full name"), _("Position"),
              _("Unit"), _("In planning"), _("Retirement date")]
    rows = [[d.last_day, _(_REASONS[d.reason]), d.official.id, d.official.full_name,
             post_label(d.official, lang), d.unit_name, "; ".join(o.full_name for o in d.in_planning),
             d.retirement_date] for d in p.succession]
    book.sheet(_sheet_title(_("Succession"), taken), header, rows)
    if p.notes:  # (last, as the text ends with them)
        book.sheet(_sheet_title(_("Notes"), taken), [_("Note")], [[note] for note in p.notes])
    book.close()
    return out.getvalue()


def _shortened(name: str) -> str:
    """A target's name as a sheet's title can hold it (31 characters): cut after a whole word, with "…"."""
    if len(name) <= _SHEET_TITLE:
        return name
    cut = name[:_SHEET_TITLE - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,:;-–") + "…"


#: The most characters Excel allows in a sheet's title.
_SHEET_TITLE = 31


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "sheet"
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    taken.add(title.casefold())
    return title


# -- html ---------------------------------------------------------------------------------------------
_W, _H, _PAD = 640, 240, 40
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")


def _chart(series: Sequence[Series], dates: Sequence[Any], lang: str) -> str:
    """An inline SVG line chart: each scope's value over the steps, and the target as a dashed line."""
    values = [float(x.value) for s in series for x in s.points if x.value is not None]
    target = series[0].target
    top = max([*values, float(target) if target is not None else 0.0, 1e-9])
    top = 1.0 if series[0].per != "unit" and top <= 1 else top
    span = max(len(dates) - 1, 1)
    index = {d: i for i, d in enumerate(dates)}

    def xy(i: int, v: float) -> str:
        return f"{_PAD + i * (_W - 2 * _PAD) / span:.1f},{_H - _PAD - v / top * (_H - 2 * _PAD):.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" role="img">',
             f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>',
             f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_H - _PAD}" stroke="#999"/>',
             f'<text x="{_PAD}" y="{_H - 8}" font-size="11">{short_date(dates[0], lang)}</text>',
             f'<text x="{_W - _PAD}" y="{_H - 8}" font-size="11" text-anchor="end">'
             f'{short_date(dates[-1], lang)}</text>']
    if target is not None:
        y = xy(0, float(target)).split(",")[1]
        parts.append(f'<line x1="{_PAD}" y1="{y}" x2="{_W - _PAD}" y2="{y}" stroke="#000" stroke-dasharray="6 4"/>')
    for n, s in enumerate(series):
        points = " ".join(xy(index[x.date], float(x.value)) for x in s.points if x.value is not None)
        colour = _COLOURS[n % len(_COLOURS)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
                     f"<title>{html.escape(s.scope_name)}</title></polyline>")
    parts.append("</svg>")
    return "".join(parts)


def render_html(p: Projection, lang: str = "vi") -> str:
    """One page, no network: per target a line chart (city and districts, and the units ever unmet, up to
    eight lines) against the dashed target line, and its table, after the notes (if any); then the succession list."""
    t = translation(lang)
    _ = t.gettext
    e = html.escape
    dates = [s.date for s in p.steps]
    title = _about(p) + _("Projection from {start} to {end}").format(start=short_date(p.as_of, lang),
                                                                     end=short_date(p.to, lang))
    body = [f"<h1>{e(title)}</h1>", "".join(f"<p>{e(line)}</p>" for line in _pack_lines(p, lang))]
    if p.notes:  # (first, where the text ends with them: the units without officials, the data's gaps)
        body.append(f"<h2>{e(_('Notes'))}</h2><ul>{''.join(f'<li>{e(n)}</li>' for n in p.notes)}</ul>")
    names = _Names(p, lang)
    by_target: dict[tuple[str, str], list[Series]] = {}
    for s in p.series:
        by_target.setdefault((s.pack, s.id), []).append(s)
    for (pack, target_id), series in by_target.items():
        chosen = [s for s in series if s.scope != "unit"] + [s for s in series if s.scope == "unit"
                                                             and s.first_unmet is not None]
        chosen = (chosen or series)[:len(_COLOURS)]
        body.append(f"<h2>{e(_title(series[0], names))}: {e(pack)} {e(target_id)}</h2>")
        if series[0].kind == "metric":
            body.append(_chart(chosen, dates, lang))
            legend = " ".join(f'<span style="color:{_COLOURS[n]}">■ {e(s.scope_name)}</span>'
                              for n, s in enumerate(chosen))
            body.append(f"<p>{legend}</p>")
        rows = "".join(f"<tr><td>{e(s.scope_name)}</td>" + "".join(f"<td>{_mark(x.met)}</td>" for x in s.points)
                       + f"<td>{e(_number(s, s.last.value, lang))}</td></tr>" for s in chosen)
        head = "".join(f"<th>{short_date(d, lang)}</th>" for d in dates)
        body.append(f"<table><tr><th></th>{head}<th></th></tr>{rows}</table>")
    if p.unit_shares:
        head = "".join(f"<th>{short_date(d, lang)}</th>" for d in dates)
        rows = "".join(f"<tr><td>{e(names.metrics(sh.pack, sh.id))}</td>"
                       + "".join(f"<td>{e(v)}</td>" for v in (
                           {x.date: _share_number(sh, x.value, lang) for x in sh.points}.get(d, "") for d in dates))
                       + f"<td>{e(OP_SIGNS[sh.op])} {e(_share_number(sh, sh.target, lang))}</td>"
                       f"<td>{e(', '.join(ident for _, ident in sh.binds))}</td></tr>" for sh in p.unit_shares)
        body.append(f"<h2>{e(_shares_heading(p, lang))}</h2><table><tr><th></th>{head}<th>{e(_('Target'))}</th>"
                    f"<th>{e(_('Target of'))}</th></tr>{rows}</table>")
    succession = _(_SUCCESSION).format(date=short_date(p.to, lang))
    body.append(f"<h2>{e(succession)}</h2><ul>")
    for d in p.succession:
        pool = _pool(d, ", ".join(o.full_name for o in d.in_planning), lang)
        body.append(f"<li>{short_date(d.last_day, lang)} {e(d.official.full_name)} "
                    f"({e(post_label(d.official, lang))}), {e(d.unit_name)}{e(_why(d, lang))}: "
                    f"{e(pool)}</li>")
    body.append("</ul>")
    style = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;" \
            "padding:2px 4px;font-size:12px}"
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8"><title>{_page_title(p)}</title>'
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")


def _page_title(p: Projection) -> str:
    """The page's title: ``cadre-rules project``, and the district or commune of a scoped projection."""
    return "cadre-rules project" + ("" if p.scope is None else f" — {html.escape(p.scope.name)}")


FORMATS: dict[str, tuple[str, Callable[[Projection, str], str | bytes]]] = {
    "text": ("txt", render_text), "json": ("json", render_json), "csv": ("csv", render_csv),
    "xlsx": ("xlsx", render_xlsx), "html": ("html", render_html),
}


def render_projection(p: Projection, fmt: str, lang: str = "vi") -> str | bytes:
    """The projection in ``fmt`` (one of :data:`FORMATS`)."""
    return FORMATS[fmt][1](p, lang)


# TRANSLATORS: Projection and project are names of the Python API; {type} a Python type (Report)
_NOT_A_PROJECTION = N_("expected a Projection (made by project), not a value of type {type}")
