"""CSV: one row per finding, UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are written with a leading apostrophe (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io

from .._model import Report
from ._common import compact_json
from ._common import notice_dicts

__all__ = ["COLUMNS", "render_csv", "unguard"]

#: The header row (machine names, the same in every language).
COLUMNS = ("pack", "rule", "family", "severity", "subject_kind", "subject_id", "scope_id", "message", "cite",
           "facts")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOM = "\ufeff"


def _guard(cell: str) -> str:
    # apostrophes already in front get one more, so that unguard() restores any value exactly
    return "'" + cell if cell.lstrip("'").startswith(_FORMULA_START) else cell


def unguard(cell: str) -> str:
    """The original value of a cell read back (the inverse of the formula-injection guard)."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START) else cell


def render_csv(report: Report, lang: str = "vi") -> bytes:
    """The findings as CSV bytes: BOM, header row, CRLF line ends, ``facts`` as compact JSON; then a row
    per notice of the report (subject kind ``report``, rule ``notice.<kind>``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        row = (f.pack, f.rule, f.family, f.severity, f.subject_kind, f.subject_id, f.scope_id, f.message, f.cite,
               compact_json(dict(f.facts)))
        writer.writerow([_guard(cell) for cell in row])
    for n in notice_dicts(report):
        subject = n["subject"]
        assert isinstance(subject, dict)
        cells = (n["pack"], n["rule"], n["family"], n["severity"], subject["kind"], subject["id"], n["scope_id"],
                 n["message"], n["cite"], "{}")
        writer.writerow([_guard(str(cell)) for cell in cells])
    return (_BOM + out.getvalue()).encode("utf-8")
