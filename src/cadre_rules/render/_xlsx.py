"""XLSX workbook (written by ``_xlsx_writer``): sheets ``summary``, ``by_person``, ``metrics``, ``findings`` and one
per family.

In English the sheet names are these stable machine names (for scripts) and the cells keep the codes
(severity, family, scope); in Vietnamese the sheets are "Tổng hợp", "Theo người" (one row per official with
every finding about them, :mod:`._by_person`), "Chỉ số", "Phát hiện", one per family
by its Vietnamese name ("Miễn trừ" for the findings set aside; "Chức danh còn trống", "Đào tạo, bồi dưỡng",
"Đã khắc phục" for the vacancies, the training view and the findings resolved since --baseline), and every
cell a person reads is in words (severities, families, scope and subject kinds, met or not). The facts column
is readable text in both languages; header rows are in the report language.
Every tabular sheet has a bold, frozen header row, an autofilter and fitted column widths. Cells are
written by type (text is always text, never a formula or a link). The bytes are deterministic: the
document's created/modified times are the as-of date and every ZIP entry has the same fixed timestamp
(1980-01-01).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter

from .._i18n import N_
from .._i18n import translation
from ..model._arguments import report_checked
from ..model._formats import OP_SIGNS
from ..model._names import name_columns
from ..model._names import position_label
from ..model._names import subject_label
from ..model._names import subject_parts
from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import Names
from ..model._report_records import PackRef
from ..model._report_records import Report
from ..packs._packs import FAMILIES
from ..report._needed import Needed
from ..report._needed import finding_needed
from ..report._needed import metric_needed
from ..report._nothing_counted import listed_metrics
from ..report._notices import undecided_rows
from ..report._report import version
from ..report._scope import scope_packs
from ..report._scope import scope_title
from ..report._vacancies import vacancies
from ._baseline import baseline_summary
from ._baseline import resolved_rows
from ._basis import basis_lines
from ._by_person import by_person
from ._common import district_finder
from ._common import message_of
from ._common import vi_sort_key
from ._labels import FactsTexts
from ._labels import MetricNames
from ._labels import RuleNames
from ._labels import kind_word
from ._labels import scope_word
from ._labels import severity_word
from ._labels import yes_no
from ._shares import shares_view
from ._training import TRAINING_COLUMNS
from ._training import training_rows
from ._xlsx_writer import Cell
from ._xlsx_writer import Row
from ._xlsx_writer import Workbook

__all__ = ["FINDING_SHEETS", "render_xlsx"]

#: The sheets always present, in order (``training`` after ``summary`` when asked for); one sheet per family
#: follows (``suppressed`` last, if any).
FINDING_SHEETS = ("summary", "by_person", "metrics", "findings")


_FINDING_COLUMNS = ("pack", "rule", "rule_name", "family", "severity", "subject_kind", "subject_id", "subject_name",
                    "position", "unit_name", "scope_id", "district", "message", "needed_replacing", "needed_adding",
                    "cite", "facts")
#: The columns of names, left out of a redacted report (``--redact``).
_NAME_COLUMNS = ("subject_name", "position", "unit_name")
#: The columns of the sheet by person (:mod:`._by_person`); its names are left out of a redacted report.
_PERSON_COLUMNS = ("person_no", "person_name", "position", "person_unit", "district", "person_severity",
                   "person_count", "person_messages", "person_rules", "person_official", "person_unit_code")
_PERSON_NAMES = ("person_name", "position", "person_unit")
_METRIC_COLUMNS = ("pack", "metric", "scope", "scope_id", "unit_name", "district", "numerator", "denominator", "ratio",
                   "target", "op", "met", "needed_replacing", "needed_adding")
_SUPPRESSED_COLUMNS = ("pack", "rule", "rule_name", "family", "severity", "subject_kind", "subject_id", "subject_name",
                       "position", "unit_name", "scope_id", "district", "message", "needed_replacing", "needed_adding",
                       "by", "reason")
_SHARE_COLUMNS = ("pack", "metric", "unit", "unit_name", "numerator", "denominator", "ratio", "target", "op",
                  "target_of")
_VACANCY_COLUMNS = ("scope", "scope_id", "unit_name", "district", "post", "count")
_UNDECIDED_COLUMNS = ("pack", "rule", "rule_name", "column_to_fill", "unit", "unit_name", "district",
                      "undecided", "unit_officials")
#: The headers of the training sheet (English, translated by the catalogue).
_TRAINING_LABELS = {
    "district": N_("District"), "unit": N_("Unit"), "unit_name": N_("Unit name"), "official": N_("Official id"),
    "name": N_("Full name"), "position": N_("Position"), "course": N_("Course code"), "course_label": N_("Course"),
    "current": N_("Now"), "target": N_("Required"), "standard": N_("Standard"), "pack": N_("Pack"),
    "rule": N_("Rule"), "severity": N_("Severity"), "cite": N_("Cite")}
#: How a date cell shows, by the report's language.
_DATE = {"en": "yyyy-mm-dd", "vi": "dd/mm/yyyy"}
#: How a comparison reads in Vietnamese (English keeps the codes, for scripts).


def _labels(lang: str) -> dict[str, str]:
    """Every UI string of the workbook in ``lang``: summary labels and column headers (gettext, English
    the source language)."""
    t = translation(lang)
    return {
        "item": t.pgettext("xlsx summary", "Item"),
        "value": t.pgettext("xlsx summary", "Value"),
        "as_of": t.pgettext("xlsx summary", "As of"),
        "city": t.pgettext("xlsx summary", "City"),
        "report_for": t.pgettext("xlsx summary", "Report for"),
        "version": t.pgettext("xlsx summary", "cadre-rules version"),
        "officials": t.pgettext("xlsx summary", "Officials"),
        "units": t.pgettext("xlsx summary", "Units"),
        "input_sha256": t.pgettext("xlsx summary", "Input SHA-256"),
        "pack_ref": t.pgettext("xlsx summary", "Pack"),
        "findings_total": t.pgettext("xlsx summary", "Findings"),
        "error": t.pgettext("xlsx summary", "Errors"),
        "warning": t.pgettext("xlsx summary", "Warnings"),
        "info": t.pgettext("xlsx summary", "Info"),
        "family_count": t.pgettext("xlsx summary", "Findings — {family}"),
        "note": t.pgettext("xlsx summary", "Note"),
        "baseline": t.pgettext("xlsx summary", "Baseline"),
        "pack": t.pgettext("xlsx column", "Pack"),
        "rule": t.pgettext("xlsx column", "Rule"),
        "rule_name": t.pgettext("xlsx column", "Rule name"),
        "family": t.pgettext("xlsx column", "Family"),
        "severity": t.pgettext("xlsx column", "Severity"),
        "subject_kind": t.pgettext("xlsx column", "Subject kind"),
        "subject_id": t.pgettext("xlsx column", "Subject id"),
        "subject_name": t.pgettext("xlsx column", "Name"),
        "position": t.pgettext("xlsx column", "Position"),
        "unit_name": t.pgettext("xlsx column", "Unit name"),
        "scope_id": t.pgettext("xlsx column", "Scope id"),
        "district": t.pgettext("xlsx column", "District"),
        "message": t.pgettext("xlsx column", "Message"),
        "cite": t.pgettext("xlsx column", "Cite"),
        "facts": t.pgettext("xlsx column", "Facts"),
        "metric": t.pgettext("xlsx column", "Metric"),
        "scope": t.pgettext("xlsx column", "Scope"),
        "numerator": t.pgettext("xlsx column", "Numerator"),
        "denominator": t.pgettext("xlsx column", "Denominator"),
        "ratio": t.pgettext("xlsx column", "Value"),
        "target": t.pgettext("xlsx column", "Target"),
        "op": t.pgettext("xlsx column", "Op"),
        "met": t.pgettext("xlsx column", "Met"),
        "by": t.pgettext("xlsx column", "Set aside by"),
        "needed_replacing": t.pgettext("xlsx column", "More needed, replacing others"),
        "needed_adding": t.pgettext("xlsx column", "More needed, if added"),
        "post": t.pgettext("xlsx column", "Post"),
        "count": t.pgettext("xlsx column", "Vacant posts"),
        **{f"training_{c}": t.gettext(label) for c, label in _TRAINING_LABELS.items()},
        "scope_city": t.pgettext("scope", "city"),
        "scope_district": t.pgettext("scope", "district"),
        "scope_unit": t.pgettext("scope", "unit"),
        "reason": t.pgettext("xlsx column", "Reason"),
        "column_to_fill": t.pgettext("xlsx column", "Column to fill in"),
        "undecided": t.pgettext("xlsx column", "Officials not decided"),
        "unit_officials": t.pgettext("xlsx column", "Officials of the unit"),
        # TRANSLATORS: a sheet name (at most 31 characters): per rule and unit, the officials a rule could not
        # decide for, an input column being empty
        "sheet_undecided": t.pgettext("xlsx sheet", "Not decided"),
        "sheet_summary": t.pgettext("xlsx sheet", "Summary"),
        # TRANSLATORS: a sheet name (at most 31 characters): one row per official with every finding about them
        "sheet_by_person": t.pgettext("xlsx sheet", "By person"),
        "person_no": t.pgettext("xlsx column", "No."),
        "person_name": t.pgettext("xlsx column", "Full name"),
        "person_unit": t.pgettext("xlsx column", "Unit"),
        "person_severity": t.pgettext("xlsx column", "Highest severity"),
        "person_count": t.pgettext("xlsx column", "Number of findings"),
        # TRANSLATORS: a column of one cell per official: each finding's message on a line, most severe first
        "person_messages": t.pgettext("xlsx column", "Findings, most severe first"),
        # TRANSLATORS: a column of one cell per official: the rules of the findings beside it, one a line
        "person_rules": t.pgettext("xlsx column", "Rules"),
        "person_official": t.pgettext("xlsx column", "Official id"),
        "person_unit_code": t.pgettext("xlsx column", "Unit code"),
        "sheet_metrics": t.pgettext("xlsx sheet", "Metrics"),
        "sheet_findings": t.pgettext("xlsx sheet", "Findings"),
        "sheet_suppressed": t.pgettext("xlsx sheet", "Set aside"),
        "sheet_staffing": t.pgettext("xlsx sheet", "Staffing"),
        "sheet_quota": t.pgettext("xlsx sheet", "Quotas"),
        "sheet_qualification": t.pgettext("xlsx sheet", "Qualifications"),
        "sheet_rotation": t.pgettext("xlsx sheet", "Rotation"),
        "sheet_replacement": t.pgettext("xlsx sheet", "Replacement"),
        "sheet_training": t.pgettext("xlsx sheet", "Training needs"),
        "sheet_vacancies": t.pgettext("xlsx sheet", "Vacant posts"),
        "sheet_resolved": t.pgettext("xlsx sheet", "Resolved"),
        # TRANSLATORS: a sheet name (at most 31 characters): a commune's own shares of the city's quotas
        "sheet_unit_shares": t.pgettext("xlsx sheet", "Commune shares (information)"),
        "target_of": t.pgettext("xlsx column", "Target of"),
        "family_staffing": t.pgettext("family", "Staffing"),
        "family_quota": t.pgettext("family", "Quotas"),
        "family_qualification": t.pgettext("family", "Qualifications"),
        "family_rotation": t.pgettext("family", "Rotation"),
        "family_replacement": t.pgettext("family", "Replacement"),
    }


class _Words:
    """How the cells a person reads are written: codes in English (stable for scripts), words in Vietnamese."""

    def __init__(self, lang: str, w: dict[str, str], packs: Sequence[PackRef] = (), names: Names | None = None) -> None:
        self.lang = "en" if lang == "en" else "vi"
        self.w = w
        self.metric_names = MetricNames(packs, self.lang)
        #: a rule's name in both languages, beside its id (:class:`~._labels.RuleNames`; empty when it has none)
        self.rule = RuleNames(packs, self.lang)
        self.facts = FactsTexts(self.lang, names)

    def family(self, family: str) -> str:
        return family if self.lang == "en" else self.w.get(f"family_{family}", family)

    def severity(self, severity: str) -> str:
        return severity if self.lang == "en" else severity_word(severity, self.lang)

    def kind(self, kind: str) -> str:
        return kind if self.lang == "en" else kind_word(kind, self.lang)

    def scope(self, scope: str) -> str:
        return scope if self.lang == "en" else scope_word(scope, self.lang)

    def op(self, op: str) -> str:
        return op if self.lang == "en" else OP_SIGNS.get(op, op)

    def met(self, met: bool | None) -> bool | str | None:
        return met if self.lang == "en" or met is None else yes_no(met, self.lang)

    def metric(self, pack: str, metric_id: str) -> str:
        return metric_id if self.lang == "en" else self.metric_names(pack, metric_id)

    def sheet(self, name: str) -> str:
        return name if self.lang == "en" else self.w.get(f"sheet_{name}", name)


class _Book(Workbook):
    """A workbook being written, its dates in the reader's format."""

    def __init__(self, out: io.BytesIO, moment: datetime, lang: str) -> None:
        super().__init__(out, moment, _DATE[lang])


def _finding_row(report: Report, f: Finding, words: _Words, district_of: Callable[[Finding], str | None]) \
        -> list[Cell]:
    more = finding_needed(f)
    name, position, unit_name = name_columns(report.names, f)
    if f.subject_kind == "unit":  # its name in "Tên đơn vị" too: a filter on it finds the unit's and its people's
        unit_name = name
    return [f.pack, f.rule, words.rule(f.pack, f.rule), words.family(f.family), words.severity(f.severity),
            words.kind(f.subject_kind), f.subject_id, name, position, unit_name, f.scope_id, district_of(f),
            message_of(f), *_needed_cells(more), f.cite, words.facts(f.facts, (f.subject_kind, f.subject_id))]


def _by_person_sheet(book: _Book, report: Report, w: dict[str, str], words: _Words, districted: bool,
                     district_of: Callable[[Finding], str | None]) -> None:
    """The sheet by person (:func:`~._by_person.by_person`): one row per official with findings, their messages
    and their rules one a line (most severe first) in one cell each; a header alone when there is none."""
    dropped = {*(() if districted else ("district",)), *(_PERSON_NAMES if report.names is None else ())}
    kept = [i for i, c in enumerate(_PERSON_COLUMNS) if c not in dropped]
    said = {s: f"{_capitalized(words.severity(s))}: " for s in SEVERITIES}  # a line's start: "Cần xử lý: "
    rules: dict[tuple[str, str], str] = {}  # each rule's line made once
    rows: list[list[Cell]] = []
    for n, p in enumerate(by_person(report, district_of), 1):
        name, position, unit_name = subject_parts(report.names, "official", p.official) or ("", "", "")
        lines = []
        for f in p.findings:
            rule = rules.get((f.pack, f.rule))
            if rule is None:
                rule = rules[f.pack, f.rule] = words.rule.label(f.pack, f.rule)
            lines.append(rule)
        row: list[Cell] = [n, name, position, unit_name or None, p.district, words.severity(p.severity),
                           len(p.findings), "\n".join(said[f.severity] + message_of(f) for f in p.findings),
                           "\n".join(lines), p.official, p.unit]
        rows.append([row[i] for i in kept] if dropped else row)
    header = [w[_PERSON_COLUMNS[i]] for i in kept]
    book.sheet(words.sheet("by_person"), header, rows,
               wrap_columns=(header.index(w["person_messages"]), header.index(w["person_rules"])))


def _capitalized(text: str) -> str:
    """``text`` with its first letter upper case ("Cần xử lý: …", a line's start)."""
    return text[:1].upper() + text[1:]


def _needed_cells(more: Needed | None) -> list[Cell]:
    """How many more a share quota needs, replacing others and if added (empty where it does not apply)."""
    return [None, None] if more is None else [more.replacing, more.adding]


def _vacancy_rows(report: Report, w: dict[str, str], lang: str) -> list[list[Cell]]:
    """Vacant posts by post: the city, each district, each unit (with its name unless redacted)."""
    table = vacancies(report)
    # the city's totals; a --scope's are its district's or its unit's rows below
    rows: list[list[Cell]] = [] if report.scope is not None else \
        [[w["scope_city"], report.city, None, None, position_label(p, lang), table.city[p]] for p in table.posts]
    for district, counts in sorted(table.by_district.items(), key=lambda item: vi_sort_key(item[0])):
        rows += [[w["scope_district"], district, None, district, position_label(p, lang), counts[p]]
                 for p in table.posts if counts.get(p)]
    for code, posts in table.by_unit.items():
        name = subject_label(report.names, "unit", code) or None
        rows += [[w["scope_unit"], code, name, report.unit_districts.get(code), position_label(p, lang), 1]
                 for p in posts]
    return rows


def _unit_shares_sheet(book: _Book, report: Report, w: dict[str, str], words: _Words) -> None:
    """The sheet of a commune's own shares of the city's (district's) quotas, for information (its heading and note
    are on the summary sheet); none in any other report."""
    view = shares_view(report, words.lang)
    if view is None:
        return
    rows: list[list[Cell]] = [[s.pack, words.metric(s.pack, s.id), s.unit, subject_label(report.names, "unit", s.unit)
                               or None, s.numerator, s.denominator, None if s.value is None else float(s.value),
                               float(s.target), words.op(s.op), ", ".join(ident for _, ident in s.binds)]
                              for s in view.shares]
    header = [w["training_unit" if c == "unit" else c] for c in _SHARE_COLUMNS]
    if report.names is None:
        header, rows = _without(_SHARE_COLUMNS.index("unit_name"), header, rows)
    plain = frozenset(i for i, s in enumerate(view.shares, 1) if s.per == "unit")  # averages, not shares
    book.sheet(words.sheet("unit_shares"), header, rows,
               percent_columns=(header.index(w["ratio"]), header.index(w["target"])), plain_rows=plain)


def _undecided_sheet(book: _Book, report: Report, w: dict[str, str], words: _Words, districted: bool) -> None:
    """Where the rules could not decide, an input column being empty: per rule and unit, the column to fill in
    (as the template heads it), how many of the unit's officials, out of how many; none where every rule decided."""
    found = undecided_rows(report, words.lang)
    if not found:
        return
    rows: list[list[Cell]] = [[r.record.pack, r.record.rule, words.rule(r.record.pack, r.record.rule),
                               r.column, r.unit,
                               subject_label(report.names, "unit", r.unit) or None,
                               report.unit_districts.get(r.unit), r.count, r.officials] for r in found]
    header = [w["training_unit" if c == "unit" else c] for c in _UNDECIDED_COLUMNS]
    dropped = [*(() if districted else ("district",)), *(("unit_name", "unit_officials") if report.names is None
                                                          else ())]
    for column in sorted((_UNDECIDED_COLUMNS.index(c) for c in dropped), reverse=True):
        header, rows = _without(column, header, rows)
    book.sheet(words.sheet("undecided"), header, rows)


def _summary_rows(report: Report, w: dict[str, str], words: _Words) -> list[list[Cell]]:
    lang = words.lang
    about: list[list[Cell]] = [[w["report_for"], scope_title(report)]] if scope_title(report) != report.city else []
    rows: list[list[Cell]] = [
        [w["as_of"], report.as_of], [w["city"], report.city], *about, [w["version"], version()],
        [w["officials"], report.officials], [w["units"], report.units], [w["input_sha256"], report.input_sha256],
    ]
    rows += [[w["pack_ref"], f"{p.id}@{p.version} sha256:{p.sha256}"] for p in scope_packs(report)]
    rows += [[label, value] for label, value in basis_lines(report, lang)[len(report.packs) + 1:-2]]  # params, backend
    summary = report.summary
    rows.append([w["findings_total"], len(report.findings)])
    rows += [[w[s], summary[s]] for s in SEVERITIES]
    for family, count in _families(report).items():
        rows.append([w["family_count"].format(family=words.family(family)), count])
    rows += [[w["note"], note] for note in report.notes]
    changed = baseline_summary(report, lang)
    if changed is not None:
        rows.append([w["baseline"], changed])
    shares = shares_view(report, lang)
    if shares is not None:  # (whose targets the commune's own shares are measured against: its sheet's heading)
        rows.append([shares.heading, shares.note])
    return rows


def _without(index: int, header: list[str], rows: list[list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    """``header`` and ``rows`` without their column ``index``."""
    return ([c for i, c in enumerate(header) if i != index],
            [[c for i, c in enumerate(row) if i != index] for row in rows])


def _families(report: Report) -> dict[str, int]:
    """The known families in their order, then any other family found, sorted: each with its findings' count."""
    counts = Counter(map(attrgetter("family"), report.findings))
    return {family: counts[family] for family in [*FAMILIES, *sorted(set(counts) - set(FAMILIES))]}


def _title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "_"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[:28]}~{n}"
    taken.add(title.lower())
    return title


@report_checked
def render_xlsx(report: Report, lang: str = "vi", *, training: bool = False) -> bytes:
    """The report as an XLSX workbook (bytes); with ``training`` (``--group-by training``), a sheet
    ``training`` after ``summary``: who needs which course for which standard."""
    report = listed_metrics(report)  # (a metric with nothing to count: a note, not rows of 0/0)
    w = _labels(lang)
    words = _Words(lang, w, report.packs, report.names)
    out = io.BytesIO()
    book = _Book(out, datetime(report.as_of.year, report.as_of.month, report.as_of.day), words.lang)
    book.sheet(words.sheet("summary"), [w["item"], w["value"]], _summary_rows(report, w, words))
    if training:
        header = [w[f"training_{c}"] for c in TRAINING_COLUMNS]
        needs: list[list[Cell]] = [list(row) for row in training_rows(report, lang)]
        dropped_names = ("unit_name", "name", "position") if report.names is None else ()
        for column in sorted((TRAINING_COLUMNS.index(c) for c in dropped_names), reverse=True):
            header, needs = _without(column, header, needs)
        book.sheet(words.sheet("training"), header, needs)
    # without districts (communes directly under the city, or dropped after 2025-07-01): no district column
    districted = bool(report.unit_districts) or any(m.scope == "district" for m in report.metrics)
    district_of = district_finder(report)
    _by_person_sheet(book, report, w, words, districted, district_of)  # where the officer looks first
    metrics: list[list[Cell]] = [[m.pack, words.metric(m.pack, m.id), words.scope(m.scope), m.scope_id,
                (subject_label(report.names, "unit", m.scope_id) or None) if m.scope == "unit" else None,
                report.unit_districts.get(m.scope_id) if m.scope == "unit" else
                (m.scope_id if m.scope == "district" else None),
                m.numerator, m.denominator, None if m.value is None else float(m.value), float(m.target),
                words.op(m.op), words.met(m.met), *_needed_cells(metric_needed(m))]
               for m in report.metrics]
    kept = [c for c in _METRIC_COLUMNS if (districted or c != "district") and
            (report.names is not None or c != "unit_name")]
    metric_header = [w[c] for c in kept]
    metrics = [[cell for c, cell in zip(_METRIC_COLUMNS, row, strict=True) if c in kept] for row in metrics]
    per_unit = frozenset(i for i, m in enumerate(report.metrics, 1) if m.per == "unit")  # averages, not shares
    book.sheet(words.sheet("metrics"), metric_header, metrics,
               percent_columns=(kept.index("ratio"), kept.index("target")), plain_rows=per_unit)
    finding_header = [w[c] for c in _FINDING_COLUMNS]
    rows = [_finding_row(report, f, words, district_of) for f in report.findings]
    dropped = [*(() if districted else ("district",)), *(_NAME_COLUMNS if report.names is None else ())]
    for column in sorted((_FINDING_COLUMNS.index(c) for c in dropped), reverse=True):
        finding_header, rows = _without(column, finding_header, rows)
    written = book.sheet(words.sheet("findings"), finding_header, rows)  # each finding encoded once, written twice
    del rows  # the cells, now encoded
    _unit_shares_sheet(book, report, w, words)  # (after the sheets always present)
    vacant = _vacancy_rows(report, w, lang)
    if vacant:
        header = [w[c] for c in _VACANCY_COLUMNS]
        dropped_vacancy = [*(() if districted else ("district",)), *(("unit_name",) if report.names is None else ())]
        for column in sorted((_VACANCY_COLUMNS.index(c) for c in dropped_vacancy), reverse=True):
            header, vacant = _without(column, header, vacant)
        book.sheet(words.sheet("vacancies"), header, vacant)
    _undecided_sheet(book, report, w, words, districted)
    taken = {words.sheet(n).lower() for n in ("summary", "by_person", "metrics", "findings", "suppressed", "vacancies",
                                              "training", "resolved", "unit_shares", "undecided")}
    by_family: dict[str, list[Row]] = {family: [] for family in _families(report)}
    for row, f in zip(written, report.findings, strict=True):
        by_family[f.family].append(row)
    for family, family_rows in by_family.items():
        book.sheet(_title(words.sheet(family), taken), finding_header, family_rows)
    if report.baseline is not None:
        # the rule's name beside its id, as the findings sheets have it
        header = [w[c] for c in ("pack", "rule", "rule_name", "subject_kind", "subject_id", "subject_name")]
        resolved: list[list[Cell]] = [[pack, rule, words.rule(pack, rule), words.kind(kind), ident, label or None]
                                      for pack, rule, kind, ident, label in resolved_rows(report)]
        if report.names is None:
            header, resolved = _without(5, header, resolved)
        book.sheet(words.sheet("resolved"), header, resolved)
    if report.suppressed:
        header = [w[c] for c in _SUPPRESSED_COLUMNS]
        aside = [[*_finding_row(report, s.finding, words, district_of)[:15], s.by, s.reason] for s in report.suppressed]
        for column in sorted((_SUPPRESSED_COLUMNS.index(c) for c in dropped), reverse=True):
            header, aside = _without(column, header, aside)
        book.sheet(words.sheet("suppressed"), header, aside)
    book.close()
    return out.getvalue()
