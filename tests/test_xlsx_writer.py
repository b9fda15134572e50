"""The XLSX report's own writer (render/_xlsx_writer.py) against XlsxWriter, the writer it replaced: the same
workbook cell for cell (value and type, number format, bold header and its fill), the same sheets, column
widths, frozen header and autofilter, read back by openpyxl."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from cadre_rules.render import _xlsx
from cadre_rules.render._common import xml_text
from cadre_rules.render._xlsx_writer import Cell
from cadre_rules.render._xlsx_writer import Workbook
from test_render_formats import EMPTY
from test_render_formats import REPORT

MOMENT = datetime(2024, 6, 30)


class XlsxWriterBook:
    """The XlsxWriter book the report was written with until session 7 (render/_xlsx.py's ``_Book``)."""

    def __init__(self, out: io.BytesIO, moment: datetime, lang: str) -> None:
        self.wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"author": "cadre-rules", "created": moment})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDE4EE", "pattern": 1})
        self.percent = self.wb.add_format({"num_format": "0.0%"})
        self.date = self.wb.add_format({"num_format": {"en": "yyyy-mm-dd", "vi": "dd/mm/yyyy"}[lang]})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})

    def sheet(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
              percent_columns: Sequence[int] = (), plain_rows: frozenset[int] = frozenset(),
              wrap_columns: Sequence[int] = ()) -> Sequence[Sequence[Cell]]:
        ws = self.wb.add_worksheet(title)
        ws.write_row(0, 0, list(header), self.header)
        widths = [len(h) for h in header]
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str) and c in wrap_columns:  # lines of a list: as wide as the longest
                    ws.write_string(r, c, xml_text(value), self.wrap)
                    size = max(map(len, value.split("\n")))
                elif isinstance(value, str):
                    ws.write_string(r, c, xml_text(value))
                    size = len(value)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                    size = 5
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, self.percent if c in percent_columns and r not in plain_rows
                                    else None)
                    size = len(str(value))
                else:
                    ws.write_datetime(r, c, datetime(value.year, value.month, value.day), self.date)
                    size = 10
                widths[c] = max(widths[c], size)
        for c, width in enumerate(widths):
            ws.set_column(c, c, min(max(width + 2, 8), 70))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), len(header) - 1)
        return rows  # the rows, to be written again in another sheet (as the writer returns its encoded rows)

    def close(self) -> None:
        self.wb.close()


def _view(data: bytes) -> dict[str, Any]:
    """Everything a reader of the workbook sees, as openpyxl reads it."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for ws in wb.worksheets:
        widths = {c: d.width for d in ws.column_dimensions.values() for c in range(d.min, d.max + 1)}
        cells = [[(cell.value, type(cell.value).__name__, cell.data_type, cell.number_format, cell.font.b,
                   cell.fill.fill_type, cell.fill.fgColor.rgb) for cell in row] for row in ws.iter_rows()]
        sheets[ws.title] = {"freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "widths": widths,
                            "cells": cells}
    return {"sheets": sheets, "order": wb.sheetnames, "created": wb.properties.created,
            "modified": wb.properties.modified, "creator": wb.properties.creator}


def _both(write: Any, lang: str = "vi") -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """The workbook ``write(book)`` makes with this writer and with XlsxWriter."""
    ours, theirs = io.BytesIO(), io.BytesIO()
    book = Workbook(ours, MOMENT, {"en": "yyyy-mm-dd", "vi": "dd/mm/yyyy"}[lang])
    reference = XlsxWriterBook(theirs, MOMENT, lang)
    for b in (book, reference):
        write(b)
        b.close()
    return _view(ours.getvalue()), _view(theirs.getvalue()), ours.getvalue()


TEXTS: list[Cell] = ['=HYPERLINK("x","click")', "_x0041_ stays text", "a\rb", "a\nb\tc", " leading", "trailing ",
                     "bell\x07 dropped", "Nguyễn Thị Đào", "<&>\"'", "x" * 40_000, "1,5", "2024-06-30", "TRUE", ""]
NUMBERS: list[Cell] = [0, -3, 1.0, 0.075, 1 / 3, 1e-7, 123_456_789_012, 2.5e20, True, False, None,
                       date(2024, 6, 30), date(1900, 3, 1), datetime(2025, 7, 1, 13, 5)]


def test_the_cells_of_every_type_are_read_back_as_xlsxwriter_wrote_them() -> None:
    def write(book: Any) -> None:
        book.sheet("texts", ["text", "more"], [[t, t] for t in TEXTS])
        book.sheet("numbers", ["n", "percent", "date"], [[n, n, n] for n in NUMBERS],
                   percent_columns=(1,), plain_rows=frozenset({2}))
        book.sheet("O'Neil & co", ["only a header"], [])
        book.sheet("wide", [f"c{i}" for i in range(30)], [list(range(30)), [None] * 29 + ["last"], ["short"], []])

    ours, theirs, data = _both(write)
    assert ours == theirs
    assert ours["sheets"]["texts"]["cells"][2][0][0] == "_x0041_ stays text"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        strings = package.read("xl/sharedStrings.xml").decode()
    # as Excel escapes them: a literal _xHHHH_ keeps its underscore, a carriage return survives XML
    assert "<t>_x005F_x0041_ stays text</t>" in strings and "<t>a_x000D_b</t>" in strings
    assert '<t xml:space="preserve"> leading</t>' in strings and "bell dropped" in strings
    assert len(ours["sheets"]["texts"]["cells"][10][0][0]) == 32_767  # Excel's limit of a cell
    assert ours["sheets"]["numbers"]["cells"][4][1][3] == "0.0%"
    assert ours["sheets"]["wide"]["filter"] == "A1:AD5"


def test_rows_written_again_in_another_sheet_are_the_rows_xlsxwriter_wrote_there() -> None:
    """The rows a sheet returns (each encoded once) written in another sheet at other row numbers: the same
    cells, their percentages and dates, the second sheet's own widths and filter."""
    rows: list[list[Cell]] = [["a much longer text than the others", 0.5, date(2024, 6, 30), None, True],
                              ["b", 0.25, None, 7, False], ["c & <d>", None, date(2000, 1, 1), 1 / 3, None],
                              [None, 2.0, None, None, None]]

    def write(book: Any) -> None:
        written = book.sheet("all", ["t", "share", "date", "n", "yes"], rows, percent_columns=(1, 3),
                             plain_rows=frozenset({4}))
        # XlsxWriter is told where the plain row now is; our rows keep how they were written in "all"
        book.sheet("some", ["t", "share", "date", "n", "yes"], [written[i] for i in (3, 1)],
                   percent_columns=(1, 3), plain_rows=frozenset({1}))
        book.sheet("none", ["t", "share", "date", "n", "yes"], written[:0])

    ours, theirs, _ = _both(write)
    assert ours == theirs
    some = ours["sheets"]["some"]
    assert [[cell[0] for cell in row] for row in some["cells"][1:]] == [[None, 2.0, None, None, None],
                                                                       ["b", 0.25, None, 7, False]]
    assert some["cells"][1][1][3] == "General" and some["cells"][2][1][3] == "0.0%"  # row 4 of "all" kept plain
    assert some["widths"][1] == ours["sheets"]["none"]["widths"][1] == 8.7109375  # this sheet's cells, not "all"'s
    assert ours["sheets"]["all"]["widths"][1] > 8 and some["filter"] == "A1:E3"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("report", [REPORT, EMPTY], ids=["report", "empty"])
def test_the_report_workbook_is_the_one_xlsxwriter_wrote(lang: str, report: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _view(_xlsx.render_xlsx(report, lang))
    monkeypatch.setattr(_xlsx, "_Book", XlsxWriterBook)
    theirs = _view(_xlsx.render_xlsx(report, lang))
    assert ours == theirs
    assert len(ours["order"]) >= 3


def test_the_bytes_are_the_same_each_time() -> None:
    def write(book: Any) -> None:
        book.sheet("a", ["x", "y"], [["one", 1], ["two", date(2024, 1, 2)]])

    first = _both(write)[2]
    assert first == _both(write)[2]
    assert first[:2] == b"PK"


@pytest.mark.parametrize("number", [float("nan"), float("inf")])
def test_a_number_excel_cannot_hold_is_refused(number: float) -> None:
    book = Workbook(io.BytesIO(), MOMENT, "dd/mm/yyyy")
    with pytest.raises(ValueError, match="B2 is not a finite number"):
        book.sheet("s", ["a", "b"], [["x", number]])
