"""The XLSX reader: python-calamine reads a sheet's values as openpyxl does (openpyxl stays the reader of error
values, which calamine reads as empty cells; both read a formula without a stored value as empty)."""

from __future__ import annotations

import importlib
import warnings
from datetime import date
from datetime import datetime
from datetime import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import InputError
from cadre_rules import load_officials
from cadre_rules.io import _tables
from cadre_rules.io._tables import _OFFICIALS
from cadre_rules.io._tables import _Problems
from cadre_rules.io._workbook import _calamine_values
from cadre_rules.io._workbook import _xlsx_values
from cadre_rules.io._workbook import xlsx_grid

HEADER = ["id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"]

_CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(lambda s: not s.startswith(("=", "#"))),
    st.booleans(),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)


def _both(path: Path, sheets: int = 1) -> tuple[tuple[int, list[list[str]]] | None, tuple[int, list[list[str]]]]:
    openpyxl_module: Any = importlib.import_module("openpyxl")
    invalid: type[Exception] = importlib.import_module("openpyxl.utils.exceptions").InvalidFileException
    fast = _calamine_values(str(path), _OFFICIALS, _Problems(str(path)))
    slow = _xlsx_values(openpyxl_module, invalid, str(path), _OFFICIALS, _Problems(str(path)))
    return fast, slow


def _trimmed(grid: list[list[str]]) -> list[list[str]]:
    """The grid without trailing empty cells and rows (the readers differ in how far they pad), a cell of XML
    white space only as empty: calamine drops the text of an inline string ``<t> </t>`` (as openpyxl writes one,
    without ``xml:space="preserve"``), openpyxl keeps it; the readers take a cell of spaces as empty either way
    (``test_io``'s empty optional cells)."""
    rows = [["" if not cell.strip(" \t\n\r") else cell for cell in row] for row in grid]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=6), st.integers(0, 3))
@example(rows=[[" "]], skip=0)  # (found by CI: a cell of a space, empty to both readers)
def test_calamine_reads_every_kind_of_value_as_openpyxl(tmp_path: Path, rows: list[list[object]], skip: int) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    for r, row in enumerate(rows, start=1 + skip):  # (rows left empty above: the row numbers must agree)
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.create_sheet("Khác").append(["a"])
    book.save(path)
    fast, slow = _both(path)
    assert fast is not None
    assert fast[0] == slow[0] == 0
    assert _trimmed(fast[1]) == _trimmed(slow[1])


def _officials_book(path: Path, birth: object) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["A1", "Phạm Thị Dung", "female", date(1980, 1, 2), "X01", "culture_social", "university",
                  "intermediate"])
    sheet.append(["A2", "Lê Văn Cường", "male", birth, "X01", "culture_social", "university", "intermediate"])
    book.save(path)
    return path


def test_an_error_value_is_a_located_problem_not_an_empty_cell(tmp_path: Path) -> None:
    """calamine reads ``#N/A`` as an empty cell (a missing birth date, or worse a default for an optional
    column); the reader sees the error in the sheet and reads it with openpyxl, which keeps its text."""
    path = _officials_book(tmp_path / "officials.xlsx", "#N/A")
    with pytest.raises(InputError) as error:
        load_officials(path)
    [problem] = error.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "birth_date", "#N/A")


def test_the_reader_of_a_plain_workbook_is_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(So that the test above is about the choice: a workbook without error values never loads openpyxl.)"""
    path = _officials_book(tmp_path / "officials.xlsx", datetime(1975, 5, 6))
    monkeypatch.setattr("cadre_rules.io._workbook._xlsx_values", None)  # calling it would fail
    grid = xlsx_grid(str(path), _OFFICIALS, _Problems(str(path)))
    assert grid[2][3] == "1975-05-06"
    assert [o.birth_date for o in load_officials(path)] == [date(1980, 1, 2), date(1975, 5, 6)]


def test_times_and_durations_read_the_same(tmp_path: Path) -> None:
    path = _officials_book(tmp_path / "officials.xlsx", time(10, 30))
    fast, slow = _both(path)
    assert fast is not None
    assert fast[1] == [row + [""] * (len(fast[1][0]) - len(row)) for row in slow[1]]


def _outcome(path: Path) -> tuple[object, list[tuple[object, ...]], list[str]]:
    """The records, the problems and the notes of a workbook."""
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always")
        try:
            return load_officials(path), [], [str(n.message) for n in notes]
        except InputError as exc:
            return None, [(p.row, p.column, p.value, p.reason, p.sheet) for p in exc.problems], []


@pytest.mark.parametrize("good", [True, False])
def test_a_sheet_read_a_few_rows_at_a_time_reads_as_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           good: bool) -> None:
    """The sheet's rows are made columns a batch at a time (``_BATCH_ROWS``): title rows, Vietnamese headers,
    empty and ragged rows, a month-only date and refused cells read and are located the same for any batch."""
    row = ["A{}", "Nguyễn Văn An", "Nam", "03/1980", "X01", "Bí thư Đảng ủy", "Đại học", "Cao cấp"]
    rows: list[list[object]] = [["DANH SÁCH CÁN BỘ"], [], ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh",
                                                            "Mã đơn vị", "Chức vụ", "Trình độ chuyên môn",
                                                            "Lý luận chính trị"]]
    for i in range(12):
        cells: list[object] = [cell.format(i) if j == 0 else cell for j, cell in enumerate(row)]
        if i == 4:
            rows.append([])  # an empty row among them
        if not good and i in (3, 7):
            cells[2] = "nữx"  # refused
        if not good and i == 9:
            cells = [*cells, "thừa"]  # a value beyond the header
        if i == 10:
            cells[3] = date(1981, 2, 3)  # a date cell
        rows.append(cells)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    for cells in rows:
        sheet.append(cells)
    path = tmp_path / "officials.xlsx"
    book.save(path)
    outcomes = []
    for size in (1, 2, 5, 10**9):
        monkeypatch.setattr(_tables, "_BATCH_ROWS", size)
        outcomes.append(_outcome(path))
    assert all(outcome == outcomes[-1] for outcome in outcomes)
    records, problems, notes = outcomes[-1]
    if good:
        assert len(records) == 12 and any("month and a year" in note for note in notes)  # type: ignore[arg-type]
    else:
        assert [(p[0], p[1]) for p in problems] == [(7, "gender"), (12, "gender"), (14, None)]
