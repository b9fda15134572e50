"""Readable terminal text: the summary of a :class:`Report` and the description of a :class:`Pack`.

Headings are Vietnamese (``lang="vi"``) or English (``lang="en"``); messages come from the packs in
the language the engine was asked for. Each subject is shown by its id and, unless the report is redacted,
its name ("TX01-CT Đặng Văn Sơn — Chủ tịch UBND — Xã Cao Viên"). Colour (ANSI, through ``click.style``) is
added only when asked for.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from fractions import Fraction

import click

from .._i18n import translation
from ..model._arguments import report_checked
from ..model._codes import POSITION
from ..model._formats import OP_SIGNS
from ..model._names import position_label
from ..model._names import subject_label
from ..model._names import subject_text
from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Report
from ..packs._packs import FAMILIES
from ..packs._packs import Pack
from ..packs._registry import Kept
from ..packs._succession import last_day
from ..report._needed import Needed
from ..report._needed import finding_needed
from ..report._needed import metric_needed
from ..report._needed import needed_numbers
from ..report._needed import said_once
from ..report._nothing_counted import listed_metrics
from ..report._nothing_counted import nothing_counted
from ..report._scope import scope_packs
from ..report._scope import scope_title
from ..report._vacancies import vacancies
from ._baseline import baseline_summary
from ._baseline import resolved_rows
from ._basis import basis_lines
from ._common import district_finder
from ._common import integer
from ._common import message_of
from ._common import metric_number
from ._common import metric_place
from ._common import percent
from ._common import short_date
from ._common import title_date
from ._labels import MetricNames
from ._labels import RuleNames
from ._labels import named_rule
from ._shares import shares_view

__all__ = ["MAX_FINDING_LINES", "MAX_METRIC_LINES", "param_text", "percent", "render_pack", "render_pack_list",
           "render_text"]

#: How many metric rows the summary shows before "… N more".
MAX_METRIC_LINES = 30
#: How many finding lines the summary shows before "… N more".
MAX_FINDING_LINES = 20

@functools.cache
def _words(lang: str) -> dict[str, str]:
    """The headings and labels of the text views in ``lang`` (gettext; English is the source)."""
    t = translation(lang)
    _ = t.gettext
    pgettext = t.pgettext
    return {
        "title": _("cadre-rules report — as of {as_of}"),
        "title_scope": _("cadre-rules report — {scope} — as of {as_of}"),
        "packs": _("Packs"),
        "none": _("(none)"),
        "input": _("Input: {officials} officials · {units} units"),
        "backend": _("Rule engine"),
        "durable": "durable-rules",
        "reference": _("reference (pure Python)"),
        "total": _("Findings"),
        "notes": _("Notes"),
        "by_family": _("Findings by family"),
        "family": _("Family"),
        "by_rule": _("Findings by rule"),
        "rule": _("Rule"),
        "no_findings": _("No findings."),
        "metrics": _("Metrics ({count}; {unmet} not met)"),
        "metric": _("Metric"),
        "unlisted": _("… and {n} rows of 0/0 not listed: metrics with nothing to count yet (see the notes)"),
        "scope": _("Scope"),
        "scope_id": _("Name"),
        "value": _("Value"),
        "ratio": _("n/N"),
        "target": _("Target"),
        "met": _("Met"),
        "findings": _("Top findings ({count}; errors first)"),
        # issue #16 §5: what the officer acts on
        "needed": _("More needed"),
        "needed_note": _("More needed: how many more officials who count (under 35, women …) the target needs, "
                         "R / A — R if they replace officials who do not count, A if they are added to the current "
                         "ones (— : no number of additions reaches the target)."),
        "scope_findings": _("Quotas not met, city-wide and by district ({count})"),
        "city_findings": _("Quotas not met, city-wide ({count})"),
        "district_findings": _("Quotas not met, by district ({count})"),
        "vacancies": _("Vacant posts, by post ({count})"),
        "post": _("Post"),
        "vacant_where": pgettext("vacancies", "Where"),
        "vacant_units": _("Units with vacant posts ({count})"),
        "basis": _("This report rests on"),
        "resolved": _("Resolved since the baseline ({count}):"),
        "more_in_reports": _("… {n} more rows: in the xlsx and html reports"),
        "more_findings": _("… {n} more findings: see them all in the xlsx or html report (-o report.xlsx, "
                           "-o report.html)"),
        "suppressed": _("Findings set aside ({count})"),
        "error": pgettext("severity", "error"), "warning": pgettext("severity", "warning"),
        "info": pgettext("severity", "info"),
        "city": pgettext("scope", "city"), "district": pgettext("scope", "district"),
        "unit": pgettext("scope", "unit"),
        "staffing": pgettext("family", "Staffing"), "quota": pgettext("family", "Quotas"),
        "qualification": pgettext("family", "Qualifications"), "rotation": pgettext("family", "Rotation"),
        "replacement": pgettext("family", "Replacement"),
        # packs show
        "effective": _("Effective"), "file": _("File"), "built_in": _("(built-in)"), "description": _("Description"),
        "sources": _("Sources"), "params": _("Parameters"), "key_positions": _("Key positions"),
        "rules": _("Rules"), "quotas": _("Quotas"), "staffing_defs": _("Staffing"),
        "subject": _("subject"), "where": _("where"), "when": _("when"), "escalate": _("escalate"),
        "unless": _("unless a finding of family"), "message": _("message"), "cite": _("cite"),
        "population": _("population"), "numerator": _("numerator"), "share": _("share"), "scopes": _("scopes"),
        "deadline": _("deadline"), "requires": _("requires"), "if": _("if"), "fill_metric": _("metric"),
        "metric_name": _("metric name"),
        "rule_name": _("rule name"),
        "open": "…", "no_packs": _("No built-in policy packs are installed."), "id": _("Id"),
        "version": _("Version"), "title_col": _("Title"),
        # packs list: the status of each version on a date
        "on_date": _("On {date}"), "in_force": _("in force"), "not_yet": _("from {date}"),
        "ended": _("ended {date}"), "replaced": _("replaced by {ref} from {date}"),
        "kept_heading": _("Released versions kept as they were (applied only when named: --pack ID@VERSION):"),
        "kept_replaced": _("revised by {revision}"),
        "kept_withdrawn": _("withdrawn, revised by {revision}"),
    }


_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # error first


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.color else text  # type: ignore[arg-type]

    def heading(self, text: str) -> str:
        return self(text, bold=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int],
           paint: Callable[[int, int, str], str] | None = None) -> list[str]:
    """Aligned columns (two spaces apart); ``paint(row, column, padded)`` may colour a cell."""
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str], index: int) -> str:
        out = []
        for i, cell in enumerate(cells):
            padded = cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            out.append(paint(index, i, padded) if paint and index >= 0 else padded)
        return ("  " + "  ".join(out)).rstrip()

    return [line(header, -1), *(line(r, i) for i, r in enumerate(rows))]


_RULE_KEY = operator.attrgetter("family", "rule", "pack", "severity")


def _by_rule(out: list[str], report: Report, w: dict[str, str], st: _Style, lang: str) -> None:
    """The findings counted per rule, by family then rule id: each rule by its name with its id beside it
    (:class:`~._labels.RuleNames`; its id alone when it has none), prefixed with its pack when several packs
    use the id."""
    counts: dict[tuple[str, str, str], dict[str, int]] = {}
    for (family, rule, pack, severity), n in Counter(map(_RULE_KEY, report.findings)).items():
        counts.setdefault((family, rule, pack), dict.fromkeys(SEVERITIES, 0))[severity] = n
    packs: dict[str, set[str]] = {}
    for _family, rule, pack in counts:
        packs.setdefault(rule, set()).add(pack)
    families = {fam: i for i, fam in enumerate(FAMILIES)}
    order = sorted(counts, key=lambda k: (families.get(k[0], len(FAMILIES)), k[0], k[1], k[2]))
    names = RuleNames(report.packs, lang)
    rows = [[f"{pack}: {names.label(pack, rule)}" if len(packs[rule]) > 1 else names.label(pack, rule),
             *(integer(counts[family, rule, pack][s], lang) for s in SEVERITIES)] for family, rule, pack in order]
    out.append("")
    out.append(st.heading(w["by_rule"]))
    out.extend(_table([w["rule"], *(w[s].capitalize() for s in SEVERITIES)], rows, right={1, 2, 3}))


def _metric_order(report: Report) -> list[Metric]:
    """The rows of what the report is about first (the city's; a district's report: the district's), then the
    rows not met, then those met, then those with nothing to measure (``0/0``), each group in report order."""
    top = "district" if report.scope is not None and report.scope.kind == "district" else "city"

    def group(m: Metric) -> int:
        if m.scope == top:
            return 0
        return 1 if m.met is False else 2 if m.met else 3

    return sorted(report.metrics, key=group)


def _finding_order(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _RANK[f.severity])


@report_checked
def render_text(report: Report, lang: str = "vi", *, color: bool = False) -> str:
    """The readable summary of ``report``: header, findings by family, metrics, top findings.

    :param lang: ``"vi"`` (Vietnamese headings) or ``"en"``.
    :param color: add ANSI colours (``click.style``).
    """
    unlisted = sum(nothing_counted(report).values())
    report = listed_metrics(report)  # (a metric with nothing to count: a note, not rows of 0/0)
    w = _words(lang)
    st = _Style(color)
    out: list[str] = []

    # -- header
    about = scope_title(report)
    title = w["title"] if about == report.city else w["title_scope"]
    out.append(st.heading(title.format(as_of=title_date(report.as_of, lang), scope=about)))
    refs = ", ".join(f"{p.id}@{p.version}" for p in scope_packs(report)) or w["none"]
    out.append(f"{w['packs']}: {refs}")
    out.append(w["input"].format(officials=integer(report.officials, lang), units=integer(report.units, lang)))
    if report.backend is not None:
        out.append(f"{w['backend']}: {w.get(report.backend, report.backend)}")
    summary = report.summary
    totals = " · ".join(st(f"{w[s]} {integer(summary[s], lang)}", fg=_SEVERITY_COLOUR[s]) if summary[s] else
                        f"{w[s]} 0" for s in SEVERITIES)
    out.append(f"{w['total']}: {totals}")
    if report.notes:
        out.append(f"{w['notes']}:")
        out.extend(f"  - {note}" for note in report.notes)

    # -- findings by family
    out.append("")
    out.append(st.heading(w["by_family"]))
    if not report.findings:
        out.append("  " + w["no_findings"])
    else:
        counts: dict[str, dict[str, int]] = {}
        for f in report.findings:
            counts.setdefault(f.family, dict.fromkeys(SEVERITIES, 0))[f.severity] += 1
        order = [*(fam for fam in FAMILIES if fam in counts), *sorted(set(counts) - set(FAMILIES))]
        rows = [[w.get(fam, fam), *(integer(counts[fam][s], lang) for s in SEVERITIES)] for fam in order]
        out.extend(_table([w["family"], *(w[s].capitalize() for s in SEVERITIES)], rows, right={1, 2, 3}))
        _by_rule(out, report, w, st, lang)

    # -- metrics
    if report.metrics:
        unmet = sum(1 for m in report.metrics if m.met is False)
        out.append("")
        out.append(st.heading(w["metrics"].format(count=integer(len(report.metrics), lang),
                                                  unmet=integer(unmet, lang))))
        qualify = len({m.pack for m in report.metrics}) > 1
        shown = _metric_order(report)[:MAX_METRIC_LINES]
        name = MetricNames(report.packs, lang)
        mrows = [[f"{m.pack}: {name(m.pack, m.id)}" if qualify else name(m.pack, m.id), w[m.scope],
                  metric_place(report, m), metric_number(m, m.value, lang), f"{integer(m.numerator, lang)}/"
                  f"{integer(m.denominator, lang)}", f"{OP_SIGNS[m.op]} {metric_number(m, m.target, lang)}",
                  "—" if m.met is None else ("✓" if m.met else "✗"), _needed_cell(metric_needed(m), lang)]
                 for m in shown]

        def paint_met(row: int, column: int, cell: str) -> str:
            met = shown[row].met
            if column != 6 or met is None:
                return cell
            return st(cell, fg="green" if met else "red")

        header = [w[k] for k in ("metric", "scope", "scope_id", "value", "ratio", "target", "met", "needed")]
        out.extend(_table(header, mrows, right={3, 4, 7}, paint=paint_met))
        if len(report.metrics) > len(shown):
            out.append("  " + w["more_in_reports"].format(n=integer(len(report.metrics) - len(shown), lang)))
        if unlisted:
            out.append("  " + w["unlisted"].format(n=integer(unlisted, lang)))
        if any(metric_needed(m) is not None for m in report.metrics):
            out.append("  " + w["needed_note"])

    # -- a commune's own shares of its city's (district's) quotas, for information
    shares = shares_view(report, lang)
    if shares is not None:
        out.append("")
        out.append(st.heading(shares.heading))
        out.append("  " + shares.note)
        out.extend(_table(shares.header, shares.rows, right={1, 2}))

    # -- what the officer acts on first: city and district quotas not met, vacant posts by post
    _scope_findings(out, report, w, st, lang)
    _vacancy_tables(out, report, w, st, lang)

    # -- top findings (but those of the city and districts, listed above: said once)
    above = set(map(id, _city_and_district_findings(report)))
    rest = [f for f in report.findings if id(f) not in above]
    if rest:
        out.append("")
        out.append(st.heading(w["findings"].format(count=integer(len(report.findings), lang))))
        top = _finding_order(rest)[:MAX_FINDING_LINES]
        sev_width = max(len(w[f.severity]) for f in top)
        rule_width = max(len(f.rule) for f in top)
        for f in top:
            sev = st(w[f.severity].ljust(sev_width), fg=_SEVERITY_COLOUR[f.severity])
            out.append(f"  {sev}  {f.rule.ljust(rule_width)}  {subject_text(report.names, f)}: "
                       f"{_with_needed(message_of(f), f, lang)}")
        if len(rest) > len(top):
            out.append("  " + w["more_findings"].format(n=integer(len(rest) - len(top), lang)))

    # -- findings set aside (pack overrides, waivers), each with its written reason
    if report.suppressed:
        out.append("")
        out.append(st.heading(w["suppressed"].format(count=integer(len(report.suppressed), lang))))
        aside = report.suppressed[:MAX_FINDING_LINES]
        rule_width = max(len(s.finding.rule) for s in aside)
        for s in aside:
            reason = " ".join(s.reason.split())
            out.append(f"  {s.finding.rule.ljust(rule_width)}  {subject_text(report.names, s.finding)}: {s.by} — "
                       f"{reason}")
        if len(report.suppressed) > len(aside):
            out.append("  " + w["more_in_reports"].format(n=integer(len(report.suppressed) - len(aside), lang)))

    # -- what changed since the baseline: the findings above are the new ones
    changed = baseline_summary(report, lang)
    if changed is not None:
        out.append("")
        out.append(st.heading(changed))
        resolved = resolved_rows(report)
        if resolved:
            out.append("  " + w["resolved"].format(count=integer(len(resolved), lang)))
        for pack, rule, _kind, ident, label in resolved[:MAX_FINDING_LINES]:
            out.append(f"    {pack}/{rule}  {ident}{' ' + label if label else ''}")
        if len(resolved) > MAX_FINDING_LINES:
            out.append("    " + w["more_in_reports"].format(n=integer(len(resolved) - MAX_FINDING_LINES, lang)))

    # -- what the report rests on
    out.append("")
    out.append(st.heading(w["basis"]))
    out.extend(f"  {label}: {value}" for label, value in basis_lines(report, lang))
    return "\n".join(out) + "\n"


def _needed_cell(more: Needed | None, lang: str) -> str:
    """``replacing / adding`` ("—" where it does not apply)."""
    if more is None:
        return "—"
    return " / ".join(needed_numbers(more, lang))


def _scope_findings(out: list[str], report: Report, w: dict[str, str], st: _Style, lang: str) -> None:
    """Every finding about the city or a district (quotas not met), each with how many more are needed."""
    scoped = _city_and_district_findings(report)
    if not scoped:
        return
    district_of = district_finder(report)  # (since 2025-07-01 no district: the city's findings only)
    by_district = sum(district_of(f) is not None for f in scoped)
    heading = "district_findings" if by_district == len(scoped) else "scope_findings" if by_district else \
        "city_findings"
    out.append("")
    out.append(st.heading(w[heading].format(count=integer(len(scoped), lang))))
    rule_width = max(len(f.rule) for f in scoped)
    sev_width = max(len(w[f.severity]) for f in scoped)
    for f in _finding_order(scoped):
        sev = st(w[f.severity].ljust(sev_width), fg=_SEVERITY_COLOUR[f.severity])
        out.append(f"  {sev}  {f.rule.ljust(rule_width)}  {_with_needed(' '.join(f.message.split()), f, lang)}")


def _city_and_district_findings(report: Report) -> list[Finding]:
    """The findings about the city or a district (not about a unit that is a scope)."""
    units = _unit_codes(report)  # (once: not per finding)
    return [f for f in report.findings if f.subject_kind == "scope" and f.subject_id not in units]


def _with_needed(message: str, f: Finding, lang: str) -> str:
    """A finding's ``message`` saying once how many more a quota needs (:func:`said_once`)."""
    more = finding_needed(f)
    if more is None:
        return message
    message, tail = said_once(message, more, lang)
    return message if tail is None else f"{message} ({tail})"


def _unit_codes(report: Report) -> set[str]:
    """The codes of the units that are subjects of unit findings or metrics of the report."""
    return {m.scope_id for m in report.metrics if m.scope == "unit"} | \
        {f.subject_id for f in report.findings if f.subject_kind == "unit"} | set(report.unit_districts)


def _post_label(code: str, lang: str) -> str:
    return position_label(code, lang)


def _vacancy_tables(out: list[str], report: Report, w: dict[str, str], st: _Style, lang: str) -> None:
    """Vacant posts counted by post for the city (and per district), then the units that have them."""
    table = vacancies(report)
    if not table.posts:
        return
    out.append("")
    out.append(st.heading(w["vacancies"].format(count=integer(table.total, lang))))
    rows = []
    for post in table.posts:
        where = ", ".join(f"{d} {integer(counts[post], lang)}" for d, counts in table.by_district.items()
                          if counts.get(post))
        count = integer(table.city[post], lang)
        rows.append([_post_label(post, lang), count, where] if table.by_district else [_post_label(post, lang), count])
    # the total column is the report's: the city's, or the district's or commune's of a --scope
    header = [w["post"], scope_title(report), *([w["vacant_where"]] if table.by_district else [])]
    out.extend(_table(header, rows, right={1}))
    out.append("")
    out.append(st.heading(w["vacant_units"].format(count=integer(len(table.by_unit), lang))))
    units = list(table.by_unit.items())
    for code, posts in units[:MAX_METRIC_LINES]:
        name = subject_label(report.names, "unit", code)
        district = report.unit_districts.get(code)
        place = " ".join(p for p in (code, name, f"({district})" if district else "") if p)
        out.append(f"  {place}: {', '.join(_post_label(p, lang) for p in posts)}")
    if len(units) > MAX_METRIC_LINES:
        out.append("  " + w["more_in_reports"].format(n=integer(len(units) - MAX_METRIC_LINES, lang)))


# --------------------------------------------------------------------------- packs


def param_text(value: object) -> str:
    """A parameter value as a pack author would write it (exact decimals, ISO dates, lists)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        den = value.denominator
        for prime in (2, 5):
            while den % prime == 0:
                den //= prime
        if den != 1:
            return str(value)
        places = 0
        while (value * 10**places).denominator != 1:
            places += 1
        return f"{float(value):.{places}f}" if places else str(value.numerator)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _period(start: date | None, end: date | None, w: dict[str, str], lang: str) -> str:
    return f"{short_date(start, lang) if start else w['open']} – {short_date(end, lang) if end else w['open']}"


def render_pack_list(packs: Sequence[Pack], *, lang: str = "vi", as_of: date | None = None,
                     kept: Sequence[Kept] = ()) -> str:
    """One aligned line per pack version: id, version, effective period, title in ``lang``.

    With ``as_of``, a column before the title says what each version is on that date: in force, not
    yet in force, ended, or replaced by which pack version from which day. ``kept``: the released versions a
    revision replaced (:meth:`Engine.kept_versions <cadre_rules.Engine.kept_versions>`), listed after the table:
    applied only when named (``--pack ID@VERSION``).
    """
    w = _words(lang)
    if not packs:
        return w["no_packs"] + "\n"
    listed = "".join(_kept_lines(kept, w, lang)) if kept else ""
    header = [w["id"], w["version"], w["effective"], w["title_col"]]
    # the period a version is in force: to its own end or the day before its successor takes over
    rows = [[p.id, p.version, _period(p.effective_from, last_day(p), w, lang), p.title.get(lang)] for p in packs]
    if as_of is not None:
        header.insert(3, w["on_date"].format(date=short_date(as_of, lang)))
        for row, p in zip(rows, packs, strict=True):
            row.insert(3, _status(p, as_of, w, lang))
    return "\n".join(line[2:] for line in _table(header, rows, right=set())) + "\n" + listed


def _kept_lines(kept: Sequence[Kept], w: dict[str, str], lang: str) -> Iterator[str]:
    """The kept released versions, one line each: the revision that replaced it, and whether it was withdrawn."""
    yield "\n" + w["kept_heading"] + "\n"
    for k in kept:
        said = w["kept_withdrawn" if k.withdrawn is not None else "kept_replaced"].format(revision=k.replaced_by)
        yield f"  {k.pack.ref}  {said}" + (f": {k.withdrawn.get(lang)}" if k.withdrawn is not None else "") + "\n"


def _status(pack: Pack, on: date, w: dict[str, str], lang: str) -> str:
    """What a pack version is on a date."""
    if pack.in_effect(on):
        return w["in_force"]
    if pack.effective_from is not None and on < pack.effective_from:
        return w["not_yet"].format(date=short_date(pack.effective_from, lang))
    if pack.successor is not None and pack.superseded_on is not None and \
            (pack.effective_to is None or pack.superseded_on <= pack.effective_to + timedelta(days=1)):
        return w["replaced"].format(ref=pack.successor, date=short_date(pack.superseded_on, lang))
    return w["ended"].format(date=short_date(pack.effective_to, lang) if pack.effective_to else "…")


def render_pack(pack: Pack, *, lang: str = "vi", builtin: bool = False, color: bool = False) -> str:
    """Everything a pack says: metadata, sources, parameters, key positions, then every rule.

    Families and severities are shown as the codes written in the pack; headings and messages are
    in ``lang``.
    """
    w = _words(lang)
    st = _Style(color)
    out: list[str] = [st.heading(f"{pack.ref} — {pack.title.get(lang)}")]
    out.append(f"{w['effective']}: {_period(pack.effective_from, pack.effective_to, w, lang)}")
    out.append(f"{w['file']}: {w['built_in'] + ' ' if builtin else ''}{pack.path or '—'}")
    out.append(f"SHA-256: {pack.sha256}")
    if pack.description is not None:
        out.append(f"{w['description']}: {pack.description.get(lang)}")

    if pack.sources:
        out += ["", st.heading(w["sources"])]
        out.extend(f"  {s.id}: {s.title}" + (f" <{s.url}>" if s.url else "") for s in pack.sources)
    if pack.params:
        out += ["", st.heading(w["params"])]
        width = max(len(name) for name in pack.params)
        out.extend(f"  {name.ljust(width)} = {param_text(v)}" for name, v in pack.params.items())
    out += ["", st.heading(w["key_positions"])]
    out.extend(f"  {code} ({POSITION.label(code)})" if lang == "vi" else f"  {code}" for code in pack.key_positions)

    def item(ident: str, family: str, severity: str) -> str:
        return "  " + st(ident, bold=True) + f"  [{family}, {st(severity, fg=_SEVERITY_COLOUR[severity])}]"

    def field(name: str, text: str) -> str:
        return f"    {w[name]}: {text}".rstrip()

    if pack.rules:
        out += ["", st.heading(f"{w['rules']} ({len(pack.rules)})")]
        for r in pack.rules:
            out.append(item(r.id, r.family, r.severity))
            name = r.name.get(lang) if r.name is not None else named_rule(r.id, lang)  # as the reports name it
            if name is not None:
                out.append(field("rule_name", name))
            if r.subject != "official":
                out.append(field("subject", w.get(r.subject, r.subject)))
            if r.where is not None:
                out.append(field("where", r.where.text))
            out.append(field("when", r.when.text))
            out.extend(field("escalate", f"{e.when.text} → {e.severity}") for e in r.escalate)
            if r.unless_families:
                out.append(field("unless", ", ".join(r.unless_families)))
            out.append(field("message", r.message.get(lang)))
            out.append(field("cite", r.cite))
    if pack.quotas:
        out += ["", st.heading(f"{w['quotas']} ({len(pack.quotas)})")]
        for q in pack.quotas:
            out.append(item(q.id, q.family, q.severity))
            if q.name is not None:
                out.append(field("metric_name", q.name.get(lang)))
            out.append(field("population", q.population.text))
            out.append(field("numerator", q.numerator.text))
            out.append(field("share", f"{OP_SIGNS[q.op]} {param_text(q.target)} ({percent(q.target, lang)})"))
            out.append(field("scopes", ", ".join(w[s] for s in q.scopes)))
            if q.deadline is not None:
                out.append(field("deadline", q.deadline.isoformat()))
            out.append(field("message", q.message.get(lang)))
            out.append(field("cite", q.cite))
    if pack.staffing:
        out += ["", st.heading(f"{w['staffing_defs']} ({len(pack.staffing)})")]
        for s in pack.staffing:
            out.append(item(s.id, s.family, s.severity))
            out.append(field("requires", ""))
            out.extend(f"      {r.position}" + (f" ({w['if']} {r.where.text})" if r.where is not None else "")
                       for r in s.requires)
            out.append(field("fill_metric", f"{s.metric} ({', '.join(w[x] for x in s.scopes)})"))
            if s.name is not None:
                out.append(field("metric_name", s.name.get(lang)))
            out.append(field("message", s.message.get(lang)))
            out.append(field("cite", s.cite))
    return "\n".join(out) + "\n"
