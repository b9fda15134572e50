"""The workbook as an office finishes it (session 11): a signature block under the list ("Người lập biểu",
"Thủ trưởng đơn vị", the signers' names, the place and date) is not read as people, with a note that names its
rows and no one; a mistyped unit name is a located problem that suggests the unit's name."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import InputError
from cadre_rules import InputNote
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ chuyên môn",
          "Lý luận chính trị", "Ghi chú"]
PEOPLE = [
    ["Nguyễn Thị Hoà", "Nữ", "12/03/1975", "Phường Tương Mai", "Bí thư Đảng ủy, Chủ tịch HĐND", "Thạc sỹ", "CC", ""],
    ["Trần Văn Bình", "Nam", "05-08-1990", "Tương Mai", "Phó Bí thư Thường trực Đảng ủy", "ĐH", "Cao cấp", ""],
    ["Phạm Thị Dung", "Nu", "31/12/1980", "phường tương mai", "PCT UBND", "Cử nhân Luật", "TC", ""],
]
#: What an office writes under its list, after an empty row: who made it, who signs, their names, place and date.
SIGNERS = ["Lê Văn Ký", "Đỗ Thị Duyệt"]
FOOTER = [
    ["", "Người lập biểu", "", "", "", "Tương Mai, ngày 01 tháng 12 năm 2026"],
    ["", "", "", "", "", "TM. ĐẢNG ỦY"],
    [],
    ["", SIGNERS[0], "", "", "", SIGNERS[1]],
]


def _book(path: Path, rows: list[list[object]], *, unit_rows: list[list[object]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(["DANH SÁCH CÁN BỘ CHỦ CHỐT NĂM 2026"])
    sheet.merge_cells("A1:I1")
    sheet.append([])
    sheet.append(HEADER)  # row 3
    for row in rows:
        sheet.append(row)
    units = book.create_sheet("Đơn vị")
    units.append(["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Phân loại"])
    units.append([1, "00322", "Phường Tương Mai", "Phường", "Loại 1"])
    for row in unit_rows or []:
        units.append(row)
    book.save(path)
    return path


def _listed(*, footer: bool = True) -> list[list[object]]:
    rows: list[list[object]] = [[i, *person] for i, person in enumerate(PEOPLE, start=1)]  # rows 4-6
    return [*rows, [], *FOOTER] if footer else rows  # the footer from row 8 to row 11


def test_the_signature_block_under_the_list_is_not_read_and_a_note_names_its_rows(tmp_path: Path) -> None:
    book = _book(tmp_path / "danh-sach.xlsx", _listed())
    with pytest.warns(InputNote) as notes:
        officials = load_officials(book, units={u.code: u for u in load_units(book)})
    assert [o.full_name for o in officials] == [p[0] for p in PEOPLE]
    said = [str(n.message) for n in notes]
    assert any("rows 8–11 under the list are not read: they fill few of the required columns (a signature or a "
               "remark under the table); if one of them is a person, fill their row" in s for s in said), said
    assert not any(name in s for s in said for name in SIGNERS)  # no one named in a note


def test_the_workbook_with_its_signature_block_is_evaluated_with_a_vietnamese_note(tmp_path: Path) -> None:
    book = _book(tmp_path / "danh-sach.xlsx", _listed())
    result = CliRunner().invoke(cli, ["evaluate", str(book), "--as-of", "07/12/2026", "--no-plugins", "--format",
                                      "json", "--fail-on", "never", "--lang", "vi"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["input"]["officials"] == 3
    assert ("danh-sach.xlsx, trang tính 'Cán bộ': các dòng 8–11 dưới danh sách không được đọc: các dòng "
            "này ghi quá ít cột bắt buộc (chữ ký hoặc ghi chú dưới bảng); nếu có dòng là một người, hãy điền đủ "
            "dòng của người đó") in result.stderr
    assert not any(name in result.stderr for name in SIGNERS)


def test_one_line_under_the_list_is_one_row_and_the_units_sheet_has_its_own(tmp_path: Path) -> None:
    book = _book(tmp_path / "b.xlsx", [*_listed(footer=False), [], ["", "Người lập biểu"]],
                 unit_rows=[[], ["", "", "Tổng cộng: 1 đơn vị"]])
    with pytest.warns(InputNote) as unit_notes:
        units = load_units(book)
    with pytest.warns(InputNote) as official_notes:
        officials = load_officials(book, units={u.code: u for u in units})
    assert len(units) == 1 and len(officials) == 3
    said = [str(n.message) for n in [*unit_notes, *official_notes]]
    assert any("sheet 'Cán bộ': row 8 under the list is not read: it fills few" in s for s in said), said
    assert any("sheet 'Đơn vị': row 4 under the list is not read" in s for s in said), said


@pytest.mark.parametrize("rows", [
    # a person with most cells missing right under the others (no empty row between; not numbered): in error
    [*_listed(footer=False), ["", "Hoàng Văn Em", "", "", "Phường Tương Mai"]],
    # the same below an empty row, but numbered in the STT column: a person too
    [*_listed(footer=False), [], [4, "Hoàng Văn Em", "", "", "Phường Tương Mai"]],
])
def test_a_person_with_missing_cells_is_still_a_located_problem(tmp_path: Path, rows: list[list[object]]) -> None:
    book = _book(tmp_path / "b.xlsx", rows)
    units = {u.code: u for u in load_units(book)}
    with pytest.raises(InputError) as info:
        load_officials(book, units=units)
    row = 7 if rows[-2] else 8
    assert {(p.row, p.column) for p in info.value.problems} == {
        (row, c) for c in ("gender", "birth_date", "position", "education", "political_theory")}


def test_a_mistyped_unit_name_suggests_the_unit_s_name(tmp_path: Path) -> None:
    people = [[1, *PEOPLE[0]], [2, "Trần Văn Bình", "Nam", "05-08-1990", "Phường Tương Mại", "Phó Bí thư Đảng ủy",
                                "ĐH", "CC"], [3, "Phạm Thị Dung", "Nữ", "1980", "Tuong Maii", "PCT UBND", "ĐH", "TC"],
              [4, "Vũ Văn Hùng", "Nam", "1978", "X9999", "PCT UBND", "ĐH", "TC"]]
    book = _book(tmp_path / "b.xlsx", people)
    units = {u.code: u for u in load_units(book)}
    with pytest.raises(InputError) as info:
        load_officials(book, units=units)
    reasons = {p.row: (p.value, p.reason) for p in info.value.problems}
    assert reasons == {5: ("Phường Tương Mại", "unknown unit code; did you mean 'Phường Tương Mai'?"),
                       6: ("Tuong Maii", "unknown unit code; did you mean 'Phường Tương Mai'?"),
                       7: ("X9999", "unknown unit code")}  # nothing near: no suggestion
    result = CliRunner().invoke(cli, ["evaluate", str(book), "--lang", "vi"], catch_exceptions=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ("b.xlsx, trang tính 'Cán bộ', dòng 5, Đơn vị: không có trong danh sách Đơn vị; có phải là 'Phường "
            "Tương Mai'? (giá trị đọc được: 'Phường Tương Mại')") in result.stderr


@pytest.mark.parametrize(("text", "posts"), [
    # the ward's departments from 2025-07-01, named as offices name them
    ("Trưởng phòng Kinh tế", ("department_head",)),
    ("Phó Trưởng phòng Văn hóa - Xã hội", ("department_deputy",)),
    ("Phó trưởng phòng Kinh tế, Hạ tầng và Đô thị", ("department_deputy",)),
    ("Phó Bí thư TT Đảng ủy", ("standing_deputy_party_secretary",)),
    ("Công chức Văn phòng - Thống kê", ("office_statistics",)),
    ("Giám đốc TT Phục vụ hành chính công", ("ppsc_director",)),
    # concurrent posts joined by a spaced dash, as by a comma or "kiêm"
    ("Bí thư Đảng ủy - Chủ tịch HĐND", ("party_secretary", "council_chair")),
    ("Chủ tịch UBND – Phó Bí thư", ("committee_chair", "deputy_party_secretary")),
    # a dash inside one post's name stays one post
    ("Văn phòng - thống kê", ("office_statistics",)),
    ("Tư pháp - hộ tịch", ("justice_civil_status",)),
])
def test_post_titles_as_a_ward_office_writes_them(text: str, posts: tuple[str, ...]) -> None:
    from cadre_rules.model._values import parse_position

    assert parse_position(text) == posts


@pytest.mark.parametrize("text", ["Bí thư Đảng ủy - Trưởng ban Tổ chức", "Giám đốc TT Y tế", "Trưởng thôn"])
def test_a_dash_between_a_post_and_an_unknown_title_is_still_refused(text: str) -> None:
    from cadre_rules.model._values import parse_position

    with pytest.raises(ValueError, match="unknown position"):
        parse_position(text)


def test_a_birth_year_alone_is_read_as_1_january_with_a_note(tmp_path: Path) -> None:
    people = [[1, *PEOPLE[0]], [2, "Lê Văn Cường", "Nam", 1962, "Phường Tương Mai", "Chủ tịch UBND", "ĐH", "CC"],
              [3, "Vũ Văn Hùng", "Nam", "1978", "Phường Tương Mai", "PCT UBND", "ĐH", "TC"]]
    book = _book(tmp_path / "b.xlsx", people)
    units = {u.code: u for u in load_units(book)}
    with pytest.warns(InputNote) as notes:
        officials = load_officials(book, units=units)
    assert [o.birth_date.isoformat() for o in officials][1:] == ["1962-01-01", "1978-01-01"]
    said = [str(n.message) for n in notes]
    assert any("birth_date: 2 date(s) given as a year only (first: '1962', row 5), read as 1 January: an age may be "
               "overstated and a retirement date early by up to a year; write the whole date where it is known" in s
               for s in said), said
    assert not any("Cường" in s or "Hùng" in s for s in said)
    whole = _book(tmp_path / "c.xlsx", [[1, *PEOPLE[0]]])
    with pytest.warns(InputNote) as quiet:  # (the made ids' note)
        load_officials(whole, units=units)
    assert not any("year only" in str(n.message) for n in quiet)
