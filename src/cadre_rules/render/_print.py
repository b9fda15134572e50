"""The print page of ``--format pdf``: the report laid out short, for a meeting.

Chromium's time goes into laying out and painting text (≈ 0.3 ms a line of a finding, ≈ 1 ms a table row: every
finding of the 2022 sample made 467 A4 pages and 35 s), so the PDF is not the interactive page printed whole. It
holds, in this order: the header (as-of date, officials, units, packs, the counts by severity, what the report
rests on); the notes; the city's metrics (chart and table); the vacant posts by post for the city (a column a
district, as the html has, is too wide for A4) and the units that have them, with their district; the metrics
and findings by district; **every rule with its number of findings**; the findings one line each (subject, unit
or scope, message; the rule's citation in its heading); the unit rates that miss their target or have none; the
findings set aside and those resolved since the baseline.

At most ``lines`` lines are listed (``--pdf-lines``; by default :data:`PRINT_LINES`; 0: none): first the findings,
rule by rule, most severe first, each rule only if all its findings fit; then, in the lines left, the units with
vacant posts, the unit rates, the set-aside and the resolved findings, each list whole or not at all. Nothing is
left out silently: a rule not listed is still counted in the table of rules and marked as left to the xlsx and html
reports, and a note under that table says how many findings of how many rules that is; a list that does not fit,
and the unit rates that meet their target, are counted in its place.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence

from .._i18n import translation
from .._limits import PRINT_LINES
from ..model._formats import OP_SIGNS
from ..model._names import subject_label
from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Report
from ..packs._packs import FAMILIES
from ..report._needed import metric_needed
from ..report._needed import needed_numbers
from ..report._nothing_counted import listed_metrics
from ..report._report import version
from ..report._scope import scope_title
from ..report._vacancies import vacancies
from ._baseline import baseline_summary
from ._baseline import resolved_rows
from ._basis import basis_lines
from ._common import integer
from ._common import metric_number
from ._common import metric_place
from ._common import scope_place
from ._common import title_date
from ._html import _KIND
from ._html import _asset
from ._html import _city_metrics
from ._html import _district_table
from ._html import _e
from ._html import _labels
from ._html import _Layout
from ._html import _message_with_needed
from ._html import _metric_label
from ._html import _needed_legend
from ._html import _overview_heading
from ._html import _resolved_row
from ._html import _rule_html
from ._html import _shares_card
from ._html import _suppressed_table
from ._html import _table
from ._html import _top
from ._html import _vacancy_section
from ._labels import MetricNames
from ._labels import RuleNames

__all__ = ["PRINT_LINES", "print_page"]


@functools.cache
def _words(lang: str) -> dict[str, str]:
    """The print page's own words in ``lang`` (gettext; English is the source language)."""
    t = translation(lang)
    return {
        "rules_heading": t.pgettext("pdf", "Findings by rule ({n})"),
        "count": t.pgettext("pdf", "Findings"),
        "where": t.pgettext("pdf", "In this PDF"),
        "listed": t.pgettext("pdf", "listed below"),
        "left": t.pgettext("pdf", "xlsx, html"),
        "left_note": t.pgettext("pdf", "To keep this PDF short for a meeting, {n} findings of {rules} rules are "
                                       "counted above but not listed: every one is in the xlsx and html reports "
                                       "(-o report.xlsx, -o report.html)."),
        "all_listed": t.pgettext("pdf", "Every finding is listed below."),
        "listed_heading": t.pgettext("pdf", "Findings, one line each ({n})"),
        "units_heading": t.pgettext("pdf", "Unit rates that miss their target or have none ({n})"),
        "units_left": t.pgettext("pdf", "{n} unit rates meet their target: they are in the xlsx and html reports."),
        "rows_left": t.pgettext("pdf", "{n} rows are not listed, to keep this PDF short: they are in the xlsx and "
                                       "html reports."),
    }


def _rule_key(findings: Sequence[Finding]) -> tuple[int, int, str, str]:
    """The order of the rules: most severe first, then by family, pack and rule."""
    f = findings[0]
    family = FAMILIES.index(f.family) if f.family in FAMILIES else len(FAMILIES)
    return SEVERITIES.index(f.severity), family, f.rule, f.pack


def _by_rule(findings: Sequence[Finding]) -> list[list[Finding]]:
    """The findings by (pack, rule, severity), in :func:`_rule_key` order, each in the report's order."""
    rules: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        rules[f.pack, f.rule, f.severity].append(f)
    return sorted(rules.values(), key=_rule_key)


def _finding_line(report: Report, f: Finding, w: dict[str, str]) -> str:
    """One finding's line (a paragraph, not a table row: Chromium lays a row out several times slower): its
    subject (name, id), its unit or scope, its message."""
    label = subject_label(report.names, f.subject_kind, f.subject_id)
    named = f'<span class="name">{_e(label)}</span> · ' if label else ""
    # (the place once: a subject's name names its unit, a unit's or a scope's id is its place)
    place = scope_place(report, f.scope_id)
    where = "" if label or place == f.subject_id else f" · {_e(place)}"
    return (f'<p class="line">{named}{_e(f.subject_id)} <span class="muted">({_e(w[_KIND[f.subject_kind]])})</span>'
            f"{where}: {_message_with_needed(f, w)}</p>")


def _rate_line(report: Report, m: Metric, packs: set[str], w: dict[str, str], name: MetricNames) -> str:
    """One unit rate's line: unit (district), metric (named by ``name``), value (numerator / denominator),
    target, met."""
    lang = w["lang"]
    district = report.unit_districts.get(m.scope_id, "")
    place = metric_place(report, m)
    where = f"{_e(place)} ({_e(district)})" if district else _e(place)
    met = w["na"] if m.met is None else w["yes" if m.met else "no"]
    css = "none" if m.met is None else ("met" if m.met else "unmet")
    more = metric_needed(m)
    needed = "" if more is None else f" · {_e(w['needed'])} {' / '.join(needed_numbers(more, lang))}"
    return (f'<p class="line">{where} · {_e(_metric_label(m, packs, name))}: '
            f"{_e(metric_number(m, m.value, lang))} ({integer(m.numerator, lang)}/{integer(m.denominator, lang)}), "
            f'{_e(w["target"])} {OP_SIGNS[m.op]} {_e(metric_number(m, m.target, lang))} · '
            f'<span class="{css}">{_e(met)}</span>{needed}</p>')


def print_page(report: Report, lang: str = "vi", *, lines: int = PRINT_LINES, margins: str = "") -> str:
    """The report as the PDF's page (see the module): self-contained HTML, no script; ``lines``: how many lines
    it lists at most (a whole number, 0 or more: :func:`~._pdf.render_pdf` refuses any other); ``margins``: CSS
    added to the print stylesheet (the ``@page`` rules of the header and page numbers)."""
    report = listed_metrics(report)  # (a metric with nothing to count: a note, not rows of 0/0)
    w, p = _labels(lang), _words(lang)
    layout = _Layout.of(report)
    packs = layout.packs
    title = w["title"].format(city=scope_title(report), as_of=title_date(report.as_of, lang))
    basis = "".join(f"<li>{_e(label)}: <code>{_e(value)}</code></li>" for label, value in basis_lines(report, lang))
    out = [f'<!DOCTYPE html>\n<html lang="{w["lang"]}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="generator" content="cadre-rules {_e(version())}">\n<title>{_e(title)}</title>\n'
           f"<style>\n{_asset('report.css')}{_asset('print.css')}{_asset('pdf.css')}{margins}</style>\n</head>\n<body>\n",
           _top(report, title, layout.districts, w, f'<ul class="basis">{basis}</ul>'), "<main>\n"]
    if report.notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
        out.append(f'<h3>{_e(w["notes"].format(n=len(report.notes)))}</h3><ul class="notes">{items}</ul>\n')

    out.append(f'<section id="city"><h2>{_e(_overview_heading(report, w))}</h2>')
    one = layout.one_district  # a report of one district: its metrics are the overview's, no table by district
    if layout.city_metrics:
        out.append(_city_metrics(report, layout.city_metrics, packs, w))
    if one is not None and layout.district_metrics.get(one):
        out.append(_city_metrics(report, layout.district_metrics[one], packs, w, place=one))
    elif not layout.city_metrics and not report.metrics:  # (a commune's are listed below)
        out.append(f'<p class="muted">{_e(w["no_metrics"])}</p>')
    out.append(_shares_card(report, lang))  # (a commune's own shares of the city's quotas, for information)
    out.append("</section>\n")
    # the lines: first the findings of the rules that fit whole, most severe first; then, in what is left, the
    # units with vacant posts, the unit rates, the set-aside and the resolved findings
    budget = lines
    rules = _by_rule(report.findings)
    rule_names = RuleNames(report.packs, lang)
    fitting: list[bool] = []  # per rule: listed whole
    for group in rules:
        fitting.append(len(group) <= budget)
        budget -= len(group) if fitting[-1] else 0
    listed = [group for group, fits in zip(rules, fitting, strict=True) if fits]
    left = [group for group, fits in zip(rules, fitting, strict=True) if not fits]
    vacant = len(vacancies(report).by_unit)
    fits = vacant <= budget
    budget -= vacant if fits else 0
    out.append(_vacancy_section(report, layout.districts, w, lang, by_district=False,
                                units_left=None if fits else p["rows_left"].format(n=integer(vacant, lang))))
    if layout.by_district:
        out.append(_district_table(layout.districts, layout.district_metrics, layout.grouped, layout.metric_ids,
                                   packs, w, MetricNames(report.packs, lang), scroll=False))

    # -- every rule counted; the findings of the rules that fit listed, one line each
    rows = []
    for group, fits in zip(rules, fitting, strict=True):
        f = group[0]
        rows.append(f'<tr><td class="sev-{f.severity}">{_e(w[f.severity])}</td>'
                    f"<td>{_rule_html(f.pack, f.rule, packs, rule_names)}</td>"
                    f'<td class="num">{integer(len(group), lang)}</td>'
                    f'<td>{_e(p["listed" if fits else "left"])}</td></tr>')
    heading = p["rules_heading"].format(n=integer(len(report.findings), lang))
    out.append(f'<section id="rules"><h2>{_e(heading)}</h2>')
    if rules:
        header = [(w["severity"], False), (w["rule"], False), (p["count"], True), (p["where"], False)]
        note = p["left_note"].format(n=integer(sum(len(g) for g in left), lang), rules=integer(len(left), lang)) \
            if left else p["all_listed"]
        out.append(f'{_table(header, rows, scroll=False)}<p class="left">{_e(note)}</p>')
    else:
        out.append(f'<p class="muted">{_e(w["no_findings"])}</p>')
    out.append("</section>\n")
    if listed:
        count = sum(len(g) for g in listed)
        out.append(f'<section id="findings"><h2>{_e(p["listed_heading"].format(n=integer(count, lang)))}</h2>')
        for group in listed:
            f = group[0]
            cite = f' <span class="muted">{_e(f.cite)}</span>' if f.cite else ""
            out.append(f'<h4><span class="sev-{f.severity}">{_e(w[f.severity])}</span> · '
                       f"{_rule_html(f.pack, f.rule, packs, rule_names, heading=True)} ({integer(len(group), lang)})"
                       f"{cite}</h4>"
                       + "".join(_finding_line(report, g, w) for g in group))
        out.append("</section>\n")

    # -- unit rates: those that miss their target or have none, as long as they fit; those met counted
    missed = [m for m in layout.unit_metrics if m.met is not True]
    if layout.unit_metrics:
        rates = missed if len(missed) <= budget else []
        budget -= len(rates)
        met = len(layout.unit_metrics) - len(missed)
        name = MetricNames(report.packs, lang)
        body = "".join(_rate_line(report, m, packs, w, name) for m in rates)
        if len(rates) < len(missed):
            body += f'<p class="left">{_e(p["rows_left"].format(n=integer(len(missed), lang)))}</p>'
        if met:
            body += f'<p class="left">{_e(p["units_left"].format(n=integer(met, lang)))}</p>'
        out.append(f'<section id="units"><h2>{_e(p["units_heading"].format(n=integer(len(missed), lang)))}</h2>'
                   f"{body}{_needed_legend(rates, w)}</section>\n")

    # -- set aside, resolved since the baseline: listed if they fit in what is left, else counted
    if report.suppressed:
        shown = report.suppressed if len(report.suppressed) <= budget else ()
        budget -= len(shown)
        out.append(f'<section id="suppressed"><h2>{_e(w["suppressed_heading"].format(n=len(report.suppressed)))}'
                   "</h2>" + (_suppressed_table(report, shown, w, scroll=False) if shown else
                              f'<p class="left">{_e(p["rows_left"].format(n=integer(len(report.suppressed), lang)))}'
                              "</p>") + "</section>\n")
    changed = baseline_summary(report, lang)
    if changed is not None:
        resolved = resolved_rows(report)
        rows = [_resolved_row(row, w, rule_names) for row in resolved] if len(resolved) <= budget else []
        body = (_table([(w["pack"], False), (w["rule"], False), (w["subject"], False)], rows, scroll=False) if rows
                else f'<p class="left">{_e(p["rows_left"].format(n=integer(len(resolved), lang)))}</p>'
                if resolved else "")
        out.append(f'<section id="baseline"><h2>{_e(changed)}</h2>{body}</section>\n')
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out)
