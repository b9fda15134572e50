"""XLSX workbook (openpyxl): sheets ``summary``, ``metrics``, ``findings`` and one per family.

Sheet names are the stable machine names (for scripts); the header rows are in the report language.
Every tabular sheet has a bold, frozen header row, an autofilter and fitted column widths. The bytes
are deterministic: the document's created/modified times are the as-of date and every ZIP entry
carries the same fixed timestamp.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from .._i18n import translation
from .._model import SEVERITIES
from .._model import Finding
from .._model import Report
from .._packs import FAMILIES
from .._report import compact_json
from .._report import version
from ._common import district_of
from ._common import xml_text

__all__ = ["FINDING_SHEETS", "render_xlsx"]

#: The sheets always present, in order; one sheet per family follows (``suppressed`` last, if any).
FINDING_SHEETS = ("summary", "metrics", "findings")


_FINDING_COLUMNS = ("pack", "rule", "family", "severity", "subject_kind", "subject_id", "scope_id", "district",
                    "message", "cite", "facts")
_METRIC_COLUMNS = ("pack", "metric", "scope", "scope_id", "district", "numerator", "denominator", "ratio", "target",
                   "op", "met")
_SUPPRESSED_COLUMNS = ("pack", "rule", "family", "severity", "subject_kind", "subject_id", "scope_id", "district",
                       "message", "by", "reason")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_PERCENT = "0.0%"
_MIN_WIDTH, _MAX_WIDTH = 8, 70
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")

Cell = str | int | float | bool | date | None


def _labels(lang: str) -> dict[str, str]:
    """Every UI string of the workbook in ``lang``: summary labels and column headers (gettext, English
    the source language)."""
    t = translation(lang)
    return {
        "item": t.pgettext("xlsx summary", "Item"),
        "value": t.pgettext("xlsx summary", "Value"),
        "as_of": t.pgettext("xlsx summary", "As of"),
        "city": t.pgettext("xlsx summary", "City"),
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
        "pack": t.pgettext("xlsx column", "Pack"),
        "rule": t.pgettext("xlsx column", "Rule"),
        "family": t.pgettext("xlsx column", "Family"),
        "severity": t.pgettext("xlsx column", "Severity"),
        "subject_kind": t.pgettext("xlsx column", "Subject kind"),
        "subject_id": t.pgettext("xlsx column", "Subject id"),
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
        "reason": t.pgettext("xlsx column", "Reason"),
    }


def _clean(value: Cell) -> Cell:
    return xml_text(value) if isinstance(value, str) else value


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
           percent_columns: Sequence[int] = ()) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    widths = [len(h) for h in header]
    for row in rows:
        ws.append([_clean(v) for v in row])
        for i, value in enumerate(row):
            if value is not None:
                widths[i] = max(widths[i], len(value.isoformat() if isinstance(value, date) else str(value)))
    for cell_row in ws.iter_rows(min_row=2):
        for cell in cell_row:
            if cell.data_type == "f":  # text starting with "=" is data, never a formula
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for column in percent_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = _PERCENT
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"


def _finding_row(report: Report, f: Finding) -> list[Cell]:
    return [f.pack, f.rule, f.family, f.severity, f.subject_kind, f.subject_id, f.scope_id, district_of(report, f),
            f.message, f.cite, compact_json(dict(f.facts))]


def _summary_rows(report: Report, w: dict[str, str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [w["as_of"], report.as_of], [w["city"], report.city], [w["version"], version()],
        [w["officials"], report.officials], [w["units"], report.units], [w["input_sha256"], report.input_sha256],
    ]
    rows += [[w["pack_ref"], f"{p.id}@{p.version} sha256:{p.sha256}"] for p in report.packs]
    summary = report.summary
    rows.append([w["findings_total"], len(report.findings)])
    rows += [[w[s], summary[s]] for s in SEVERITIES]
    for family in _families(report):
        rows.append([w["family_count"].format(family=family), sum(1 for f in report.findings if f.family == family)])
    rows += [[w["note"], note] for note in report.notes]
    return rows


def _families(report: Report) -> list[str]:
    """The known families in their order, then any other family found, sorted."""
    return [*FAMILIES, *sorted({f.family for f in report.findings} - set(FAMILIES))]


def _title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "_"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[:28]}~{n}"
    taken.add(title.lower())
    return title


def _stable_zip(data: bytes, stamp: str) -> bytes:
    """The same workbook with fixed ZIP timestamps and document times: equal reports, equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def render_xlsx(report: Report, lang: str = "vi") -> bytes:
    """The report as an XLSX workbook (bytes)."""
    w = _labels(lang)
    wb = Workbook()
    wb.remove(wb.active)
    moment = datetime(report.as_of.year, report.as_of.month, report.as_of.day)
    wb.properties.creator = "cadre-rules"
    wb.properties.created = wb.properties.modified = moment
    _sheet(wb, "summary", [w["item"], w["value"]], _summary_rows(report, w))
    metrics = [[m.pack, m.id, m.scope, m.scope_id,
                report.unit_districts.get(m.scope_id) if m.scope == "unit" else
                (m.scope_id if m.scope == "district" else None),
                m.numerator, m.denominator, None if m.value is None else float(m.value), float(m.target), m.op, m.met]
               for m in report.metrics]
    _sheet(wb, "metrics", [w[c] for c in _METRIC_COLUMNS], metrics, percent_columns=(7, 8))
    finding_header = [w[c] for c in _FINDING_COLUMNS]
    rows = [_finding_row(report, f) for f in report.findings]
    _sheet(wb, "findings", finding_header, rows)
    taken = {"summary", "metrics", "findings", "suppressed"}
    for family in _families(report):
        _sheet(wb, _title(family, taken), finding_header, [r for r, f in zip(rows, report.findings, strict=True)
                                            if f.family == family])
    if report.suppressed:
        _sheet(wb, "suppressed", [w[c] for c in _SUPPRESSED_COLUMNS],
               [[*_finding_row(report, s.finding)[:9], s.by, s.reason] for s in report.suppressed])
    raw = io.BytesIO()
    wb.save(raw)
    return _stable_zip(raw.getvalue(), moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
