"""A commune officer's own workbook, typed as offices type it (session 19): rows numbered in advance that no one
was written in, a commune merged down its people's rows, dates typed with a year alone after "năm", with a two-digit
year, or with the apostrophe another program keeps before a text; each read right, or refused where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from cadre_rules import InputNote
from cadre_rules import load_officials
from test_officer_workbook import ROW
from test_officer_workbook import evaluate
from test_officer_workbook import row
from test_officer_workbook import ward_book

SECOND = row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Trần Thị Bình", Giới_tính="Nữ", Chức_vụ="Khác")


def test_rows_numbered_in_advance_that_no_one_was_written_in_are_said_and_not_read(tmp_path: Path) -> None:
    """The list is numbered 1–5 for the posts, three of which are not yet filled: those rows were refused with a
    "required value is missing" for each of their cells, as if they were people."""
    book = ward_book(tmp_path / "ds.xlsx", [ROW, SECOND, ["3"], ["4."], ["5"]])
    with pytest.warns(InputNote, match=r"3 row\(s\) hold only a number in the STT column.*rows 5, 6, 7"):
        read = [o.id for o in load_officials(book)]
    assert read == ["TM01", "TM02"]
    code, output = evaluate(str(book))
    assert code == 0, output
    assert "3 dòng chỉ có số thứ tự ở cột STT, không có thông tin của ai, nên không được đọc: dòng 5, 6, 7" in output


def test_a_numbered_row_with_anything_else_in_it_is_still_read_and_its_missing_cells_are_said(
        tmp_path: Path) -> None:
    book = ward_book(tmp_path / "ds.xlsx", [ROW, ["2", "", "Trần Thị Bình"]])
    code, output = evaluate(str(book))
    assert code == 2
    assert "dòng 4, Giới tính" in output


@pytest.mark.parametrize("text", ["năm 1985", "Năm 1985", "'1985"])
def test_a_year_alone_after_nam_or_an_apostrophe_is_read_as_a_year_alone_with_its_note(tmp_path: Path,
                                                                                        text: str) -> None:
    book = ward_book(tmp_path / "ds.xlsx", [row(Ngày_sinh=text)])
    with pytest.warns(InputNote, match="1985"):
        (official,) = load_officials(book)
    assert str(official.birth_date) == "1985-01-01"


def test_a_date_kept_with_an_apostrophe_before_it_is_read(tmp_path: Path) -> None:
    (official,) = load_officials(ward_book(tmp_path / "ds.xlsx", [row(Ngày_sinh="'15/03/1985")]))
    assert str(official.birth_date) == "1985-03-15"


@pytest.mark.parametrize("text", ["15/03/85", "5/3/85", "15-3-05"])
def test_a_two_digit_year_is_refused_where_it_is_and_never_given_a_century(tmp_path: Path, text: str) -> None:
    book = ward_book(tmp_path / "ds.xlsx", [row(Ngày_sinh=text)])
    code, output = evaluate(str(book))
    assert code == 2
    assert (f"trang tính 'Cán bộ', dòng 3, Ngày sinh: không phải là ngày: {text!r} có năm chỉ gồm hai chữ số: "
            "hãy ghi đủ bốn chữ số của năm (dd/mm/yyyy)") in output


THIRD = row(STT="3", Mã_cán_bộ="TM03", Họ_và_tên="Lê Văn Cường", Chức_vụ="Khác")


def _without_unit(cells: list[object]) -> list[object]:
    return [*cells[:5], "", *cells[6:]]


def test_a_unit_merged_down_the_rows_of_its_people_is_read_in_each_row_with_a_note(tmp_path: Path) -> None:
    """The commune is written once, in a cell merged down its people's rows (F3:F5): the rows under the first
    were refused, "Đơn vị: required value is missing", though Excel shows the commune in each."""

    def merge(sheet: Worksheet) -> None:
        sheet.merge_cells("F3:F5")

    book = ward_book(tmp_path / "ds.xlsx", [ROW, _without_unit(SECOND), _without_unit(THIRD)], tweak=merge)
    with pytest.warns(InputNote, match=r"1 cell\(s\) merged down a column .*'Đơn vị': 3–5"):
        read = {o.id: o.unit for o in load_officials(book)}
    assert read == dict.fromkeys(["TM01", "TM02", "TM03"], "Phường Tương Mai")
    code, output = evaluate(str(book))
    assert code == 0, output
    assert ("1 ô gộp theo chiều dọc được đọc với cùng một giá trị ở mọi dòng của ô gộp (cột: các dòng): "
            "'Đơn vị': 3–5") in output


def test_a_group_s_title_merged_across_the_row_is_not_spread_over_its_cells(tmp_path: Path) -> None:
    def merge(sheet: Worksheet) -> None:
        sheet.merge_cells("A4:I4")

    book = ward_book(tmp_path / "ds.xlsx", [ROW, ["II. CÔNG CHỨC"], SECOND], tweak=merge)
    with pytest.warns(InputNote, match="head or total a group"):
        assert [o.id for o in load_officials(book)] == ["TM01", "TM02"]


def test_a_signature_block_right_under_the_list_is_not_read_as_people(tmp_path: Path) -> None:
    """"Người lập biểu" and the date line typed on the row right under the last person, no empty row between,
    then the signer's name: each row was refused cell by cell as a person with missing cells."""
    signature = [["", "", "Người lập biểu", "", "", "Tương Mai, ngày 05 tháng 12 năm 2025"], [],
                 ["", "", "Lê Thị Hoa", "", "", "Nguyễn Văn Chủ"]]
    book = ward_book(tmp_path / "ds.xlsx", [ROW, SECOND, *signature])
    with pytest.warns(InputNote, match="rows 5–7 under the list are not read"):
        assert [o.id for o in load_officials(book)] == ["TM01", "TM02"]
    code, output = evaluate(str(book))
    assert code == 0, output
    assert "Lê Thị Hoa" not in output and "Nguyễn Văn Chủ" not in output


def test_a_person_with_missing_cells_right_under_the_list_is_still_refused_cell_by_cell(tmp_path: Path) -> None:
    book = ward_book(tmp_path / "ds.xlsx", [ROW, ["2", "TM02", "Trần Thị Bình"], [], ["", "", "Lê Thị Hoa"]])
    code, output = evaluate(str(book))
    assert code == 2
    assert "dòng 4, Giới tính" in output
