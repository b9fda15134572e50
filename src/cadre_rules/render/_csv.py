"""CSV: one row per finding, UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are written with a leading apostrophe (CSV/formula injection, OWASP).

The text is the :mod:`csv` module's (``csv.writer(lineterminator="\\r\\n")``: a cell quoted when it holds a comma,
a quote or a line end, its quotes doubled), written by :func:`_line` a row at a time: each distinct text of a
chunk quoted once (a chunk's findings share their pack, rule, unit, message…), the facts of a chunk encoded by
one call to orjson (tests/test_render_formats.py holds the text to the module's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator

from ..model._arguments import report_checked
from ..model._names import name_columns
from ..model._report_records import Report
from ..report._report import chunks_of
from ..report._report import compact_json
from ..report._report import facts_texts
from ._baseline import baseline_record
from ._basis import basis_record
from ._common import notice_dicts

__all__ = ["COLUMNS", "csv_pieces", "render_csv", "unguard"]

#: The header row (machine names, the same in every language).
COLUMNS = ("pack", "rule", "family", "severity", "subject_kind", "subject_id", "subject_name", "position",
           "unit_name", "scope_id", "message", "cite", "facts")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOM = "\ufeff"


#: The first characters of a cell that may need the guard (a formula start, or apostrophes before one).
_RISKY = frozenset("=+-@\t\r'")


def _guard(cell: str) -> str:
    # apostrophes already in front get one more, so that unguard() restores any value exactly
    return "'" + cell if cell[:1] in _RISKY and cell.lstrip("'").startswith(_FORMULA_START) else cell


def unguard(cell: str) -> str:
    """The original value of a cell read back (the inverse of the formula-injection guard)."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START) else cell


@report_checked
def render_csv(report: Report, lang: str = "vi") -> bytes:
    """The findings as CSV bytes: BOM, header row, CRLF line ends, ``facts`` as compact JSON; then a row
    per notice of the report (subject kind ``report``, rule ``notice.<kind>``), and last the row of what the
    report rests on (rule ``report.basis``: as-of date, packs with sha256, parameters, backend, input sha256).

    ``subject_name``, ``position`` and ``unit_name``: an official's full name, position label and unit name,
    a unit's name (position and unit name empty); all three empty in a redacted report."""
    return b"".join(csv_pieces(report, lang))


@report_checked
def csv_pieces(report: Report, lang: str = "vi") -> Iterator[bytes]:
    """:func:`render_csv` in pieces of a few thousand rows (streamed to the output)."""
    head = _BOM + _line(COLUMNS)  # with the first piece
    names = report.names
    for chunk in chunks_of(report.findings):
        cells: dict[str, str] = {}  # each distinct text of the chunk → its cell
        lines = [",".join([cells.get(text) or cells.setdefault(text, _cell(text)) for text in (
            f.pack, f.rule, f.family, f.severity, f.subject_kind, f.subject_id, *name_columns(names, f), f.scope_id,
            f.message, f.cite)]) + "," + _cell(facts) for f, facts in zip(chunk, facts_texts(chunk), strict=True)]
        yield (head + "\r\n".join(lines) + "\r\n").encode("utf-8")
        head = ""
    changed = baseline_record(report, lang)
    rows = []
    for n in [*notice_dicts(report), *([changed] if changed else []), basis_record(report, lang)]:
        subject = n["subject"]
        assert isinstance(subject, dict)
        rows.append(_line([str(cell) for cell in (
            n["pack"], n["rule"], n["family"], n["severity"], subject["kind"], subject["id"], "", "", "",
            n["scope_id"], n["message"], n["cite"], compact_json(n["facts"]))]))
    yield (head + "".join(rows)).encode("utf-8")  # the notices and the basis


#: What makes the csv module quote a cell (QUOTE_MINIMAL: the delimiter, the quote character, a line end).
_QUOTED = re.compile('[,"\r\n]')


def _cell(text: str) -> str:
    """``text`` as a cell: guarded (:func:`_guard`), then quoted as the csv module quotes it."""
    text = _guard(text)
    return '"' + text.replace('"', '""') + '"' if _QUOTED.search(text) else text


def _line(texts: Iterable[str]) -> str:
    """A row of two cells or more, as ``csv.writer(…, lineterminator="\\r\\n").writerow`` writes it."""
    return ",".join(map(_cell, texts)) + "\r\n"
