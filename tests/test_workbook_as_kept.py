"""Issue 16 §2: the workbook as offices keep it is read without manual restructuring.

The acceptance test builds a 20-person workbook the way a commune office keeps one (title rows above the
header, an officials sheet and a units sheet, STT, Vietnamese headers, units by name, one rating column
per year, ``x`` marks, the common spellings of codes), evaluates it with ``cadre-rules evaluate BOOK.xlsx``
and compares the findings with a hand check written from reading ``policies/vn-nd33-2023.toml``. Each
input variant then has its own test.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import InputError
from cadre_rules import InputNote
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.model._codes import EDUCATION
from cadre_rules.model._codes import POLITICAL_THEORY
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import RATING
from cadre_rules.model._values import parse_bool
from cadre_rules.model._values import parse_date
from cadre_rules.model._values import parse_position
from cadre_rules.model._values import parse_share

# --------------------------------------------------------------------------- the workbook of the acceptance test

TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ HUYỆN THANH OAI"
OFFICIAL_HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ văn hóa",
                   "Trình độ chuyên môn", "Lý luận chính trị", "Ngày bổ nhiệm", "Quy hoạch", "Ủy viên BTV",
                   "Xếp loại năm 2022", "Xếp loại năm 2023", "Đánh giá 2024", "Tỷ lệ phiếu tín nhiệm thấp"]
NFD_THANH_HOA = unicodedata.normalize("NFD", "Thanh Hòa")
#: (name, gender, birth, unit, position, general education, education, political theory, appointed, planning,
#: standing committee, 2022, 2023, 2024, low confidence share) — as an office types them.
PEOPLE: list[tuple[object, ...]] = [
    # Xã Cao Viên (class 3: one Phó Chủ tịch UBND at most)
    ("Đặng Văn Sơn", "Nam", "05-03-1975", "Cao Viên", "Bí thư Đảng ủy, Chủ tịch HĐND", "12/12", "Thạc sỹ",
     "Cao cấp LLCT", "15/06/2020", "", "x", "HTTNV", "HTXSNV", "Hoàn thành tốt nhiệm vụ", "0,05"),
    ("Nguyễn Thị Hoa", "Nu", "05.03.1985", "Cao Viên", "Phó Bí thư Thường trực Đảng ủy", "12/12", "Th.S", "CC",
     "", "X", "✓", "HTTNV", "HTTNV", "HTTNV", "5,2%"),
    ("Lê Văn Minh", "Nam", "03/1982", "Xã Cao Viên", "Chủ tịch UBND kiêm Phó Bí thư", "12/12", "ĐH",
     "Cao cấp lý luận chính trị", "", "có", "Có", "HTNV", "HTTNV", "HTTNV", ""),
    ("Phạm Văn Hùng", "Nam", datetime(1978, 7, 20), "Cao Viên", "PCT UBND", "9/12", "Đại học chính quy", "TC",
     "", "", "", "", "HTTNV", "HTTNV", ""),
    ("Trần Thị Lan", "nu", "12/08/1988", "Cao Viên", "Phó Chủ tịch UBND xã", "12/12", "Cao đẳng", "Sơ cấp",
     "", "x", "", "", "", "HTTNV", ""),
    ("Hoàng Văn Nam", "Nam", "1980", "Cao Viên", "Chủ tịch Ủy ban MTTQ", "12/12", "Trung cấp", "TC",
     "", "", "", "", "", "", ""),
    ("Vũ Thị Mai", "Nữ", "20/11/1990", "Cao Viên", "Chủ tịch Hội LHPN", "12/12", "Cử nhân Luật", "TC",
     "", "", "", "", "", "", ""),
    ("Đỗ Văn Tùng", "Nam", "02/02/1995", "Cao Viên", "Bí thư Đoàn", "12/12", "Trung cấp", "Sơ cấp",
     "", "", "", "", "", "", ""),
    ("Ngô Văn Hải", "Nam", "09/09/1983", "Cao Viên", "Văn phòng - thống kê", "12/12", "Trung cấp",
     "Chưa qua đào tạo", "", "", "", "", "", "", ""),
    ("Bùi Thị Hạnh", "Nữ", "14/04/1979", "Cao Viên", "Phó Chủ tịch HĐND", "9/12", "Đại học", "Trung cấp",
     "", "", "", "", "", "", ""),
    # Xã Thanh Hòa (class 1: two Phó Chủ tịch UBND at most)
    ("Đinh Văn Long", "Nam", "01/01/1972", "xã Thanh Hoà", "Bí thư Đảng ủy", "12/12", "Thạc sĩ", "Cao cấp",
     "", "", "x", "", "", "", ""),
    ("Mai Thị Thu", "Nữ", "10/10/1976", NFD_THANH_HOA, "Chủ tịch HĐND", "10/10", "Đại học",
     "Trung cấp LLCT", "", "", "x", "", "", "", ""),
    ("Lý Văn Đức", "Nam", "11/11/1977", "Thanh Hòa", "Chủ tịch UBND", "12/12", "Kỹ sư nông nghiệp", "Sơ cấp",
     "", "", "x", "", "", "", ""),
    ("Phan Văn Quang", "Nam", "03/03/1984", "Thanh Hòa", "PCT UBND", "12/12", "Trung cấp", "TC",
     "", "", "", "", "", "", ""),
    ("Tạ Thị Ngọc", "Nữ", "04/04/1986", "Thanh Hòa", "Phó Chủ tịch UBND", "9/12", "ĐH", "CC",
     "", "", "", "", "", "", ""),
    ("Cao Văn Tiến", "Nam", "05/05/1981", "Thanh Hòa", "Chủ tịch UBMTTQ", "12/12", "Cao đẳng", "TC",
     "", "", "", "", "", "", ""),
    ("Hồ Thị Yến", "Nữ", "06/06/1987", "Thanh Hòa", "Chủ tịch Hội Nông dân", "12/12", "Trung cấp", "Sơ cấp",
     "", "", "", "", "", "", ""),
    ("Kiều Văn Bình", "Nam", "07/07/1973", "Thanh Hòa", "Chủ tịch Hội Cựu chiến binh", "12/12",
     "Đại học tại chức", "TC", "", "", "", "", "", "", ""),
    ("Dương Văn Phúc", "Nam", "08/08/1985", "Thanh Hòa", "Chỉ huy trưởng Ban CHQS", "12/12", "Trung cấp",
     "Sơ cấp", "", "", "", "", "", "", ""),
    ("Lương Thị Hằng", "Nữ", "09/09/1980", "Thanh Hòa", "Phó Bí thư Đảng ủy", "12/12", "Cao đẳng", "TC",
     "", "", "x", "", "", "", ""),
]
HEADER_ROW = 4  # rows 1-3: the title, a subtitle, a blank row
UNITS_HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Phân loại", "Quận/huyện"]
UNITS = [(1, "TO01", "Xã Cao Viên", "Xã", "3", "Huyện Thanh Oai"),
         (2, "TO02", "Xã Thanh Hòa", "xã", "Loại I", "Huyện Thanh Oai")]


def row_of(name: str) -> int:
    """The spreadsheet row of a person of :data:`PEOPLE`."""
    return HEADER_ROW + 1 + [p[0] for p in PEOPLE].index(name)


def subject(name: str) -> str:
    """The id the reader makes for a person (no id column): the sheet and the row."""
    return f"Cán bộ:{row_of(name)}"


#: The hand check, from reading policies/vn-nd33-2023.toml (in force on 31/12/2024):
#: - qualification.degree: anyone holding a cán bộ post (NĐ 33 Điều 5 khoản 1, and Phó Bí thư thường trực)
#:   with education below university; civil servants (Văn phòng - thống kê, Chỉ huy trưởng) are not checked;
#: - qualification.general_education: holders of Chủ tịch / Phó Chủ tịch HĐND or UBND (also concurrent) with
#:   general education below upper secondary (9/12);
#: - qualification.theory: the same posts with political theory below intermediate (sơ cấp);
#: - staffing.vice_chair_cap: a class-3 unit with more than one Phó Chủ tịch UBND (Cao Viên has two: "PCT
#:   UBND" and "Phó Chủ tịch UBND xã"); a class-1 unit may have two (Thanh Hòa).
EXPECTED = sorted([
    ("qualification.general_education", subject("Phạm Văn Hùng")),
    ("qualification.degree", subject("Trần Thị Lan")),
    ("qualification.theory", subject("Trần Thị Lan")),
    ("qualification.degree", subject("Hoàng Văn Nam")),
    ("qualification.degree", subject("Đỗ Văn Tùng")),
    ("qualification.general_education", subject("Bùi Thị Hạnh")),
    ("qualification.theory", subject("Lý Văn Đức")),
    ("qualification.degree", subject("Phan Văn Quang")),
    ("qualification.general_education", subject("Tạ Thị Ngọc")),
    ("qualification.degree", subject("Cao Văn Tiến")),
    ("qualification.degree", subject("Hồ Thị Yến")),
    ("qualification.degree", subject("Lương Thị Hằng")),
    ("staffing.vice_chair_cap", "TO01"),
])


def write_book(path: Path, *, people: Sequence[tuple[object, ...]] = PEOPLE, units_sheet: str = "Đơn vị",
               officials_sheet: str = "Cán bộ") -> Path:
    """The workbook as an office keeps it: title rows (merged), blank rows, STT, Vietnamese headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = officials_sheet
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OFFICIAL_HEADER))
    sheet.append(["(Kèm theo Báo cáo ngày 31/12/2024 của Phòng Nội vụ)"])
    sheet.append([])
    sheet.append(OFFICIAL_HEADER)
    for number, person in enumerate(people, start=1):
        sheet.append([number, *person])
    units = book.create_sheet(units_sheet)
    units.append(["DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ"])
    units.merge_cells("A1:F1")
    units.append([])
    units.append(UNITS_HEADER)
    for unit in UNITS:
        units.append(list(unit))
    book.save(path)
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_issue_16_the_workbook_as_kept_is_evaluated_and_every_expected_finding_is_there(tmp_path: Path) -> None:
    book = write_book(tmp_path / "Danh sách cán bộ.xlsx")
    code, out, err = run("evaluate", book, "--as-of", "31/12/2024", "--pack", "vn-nd33-2023", "--no-plugins",
                         "--backend", "reference", "--format", "json", "--lang", "en")
    assert code == 1, err  # errors found
    report = json.loads(out)
    assert report["input"]["officials"] == 20
    assert report["input"]["units"] == 2
    found = sorted((f["rule"], f["subject"]["id"]) for f in report["findings"])
    assert found == EXPECTED
    # the notes say how the sheet was read, naming no one
    assert "note: " in err
    assert "no id column (Mã cán bộ): ids made from the sheet and row, e.g. 'Cán bộ:5'" in err
    assert "birth_date: 1 date(s) given as a month and a year only (first: '03/1982', row 7)" in err
    assert not any(person[0] in err for person in PEOPLE)


def test_the_workbook_as_kept_reads_every_spelling(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.xlsx")
    units = {u.code: u for u in load_units(book)}
    assert {(u.code, u.name, u.kind, u.unit_class, u.district) for u in units.values()} == {
        ("TO01", "Xã Cao Viên", "commune", 3, "Huyện Thanh Oai"), ("TO02", "Xã Thanh Hòa", "commune", 1,
                                                                     "Huyện Thanh Oai")}
    with pytest.warns(InputNote):
        officials = {o.full_name: o for o in load_officials(book, units=units)}
    son = officials["Đặng Văn Sơn"]
    assert (son.id, son.birth_date, son.unit, son.position, son.concurrent_positions) == (
        "Cán bộ:5", date(1975, 3, 5), "TO01", "party_secretary", ("council_chair",))
    assert (son.education, son.political_theory, son.general_education) == ("master", "advanced", "upper_secondary")
    # an empty cell is unknown, never "no" (#16 §3): the report counts the rules it leaves undecided
    assert (son.standing_committee, son.in_planning, son.appointed_on) == (True, None, date(2020, 6, 15))
    assert son.ratings == ((2022, "good"), (2023, "excellent"), (2024, "good"))
    assert son.low_confidence_share == Fraction(5, 100)
    assert "STT" not in son.extra and not son.extra
    hoa = officials["Nguyễn Thị Hoa"]
    assert (hoa.gender, hoa.birth_date, hoa.position, hoa.education, hoa.political_theory) == (
        "female", date(1985, 3, 5), "standing_deputy_party_secretary", "master", "advanced")
    assert (hoa.in_planning, hoa.standing_committee, hoa.low_confidence_share) == (True, True, Fraction(52, 1000))
    minh = officials["Lê Văn Minh"]
    assert (minh.birth_date, minh.position, minh.concurrent_positions, minh.in_planning, minh.standing_committee) \
        == (date(1982, 3, 1), "committee_chair", ("deputy_party_secretary",), True, True)
    assert officials["Phạm Văn Hùng"].position == "committee_vice_chair"  # PCT UBND: never the chair
    assert officials["Phạm Văn Hùng"].birth_date == date(1978, 7, 20)
    assert officials["Trần Thị Lan"].position == "committee_vice_chair"
    assert officials["Hoàng Văn Nam"].position == "front_chair"
    assert officials["Vũ Thị Mai"].education == "university"
    assert officials["Ngô Văn Hải"].political_theory == "none"
    assert {officials[n].unit for n in ("Đinh Văn Long", "Mai Thị Thu", "Lý Văn Đức")} == {"TO02"}
    assert officials["Mai Thị Thu"].general_education == "upper_secondary"


# --------------------------------------------------------------------------- each variant


def test_the_header_row_is_found_below_title_rows_and_problems_name_the_sheet_and_row(tmp_path: Path) -> None:
    people = [list(p) for p in PEOPLE[:2]]
    people[1][2] = "31/02/1985"
    book = write_book(tmp_path / "book.xlsx", people=[tuple(p) for p in people])
    units = {u.code: u for u in load_units(book)}
    with pytest.raises(InputError) as info:
        load_officials(book, units=units)
    [problem] = info.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Cán bộ", 6, "birth_date", "31/02/1985")
    assert str(problem).startswith(f"{book}, sheet 'Cán bộ', row 6, birth_date: impossible date")


def test_a_missing_column_is_located_at_the_header_row_below_the_title(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text("DANH SÁCH CÁN BỘ\n\nHọ và tên,Giới tính,Ngày sinh,Đơn vị,Chức vụ\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_officials(path)
    assert [(p.row, p.column, p.reason) for p in info.value.problems] == [
        (3, "education", "missing required column"), (3, "political_theory", "missing required column")]


def test_sheets_are_found_by_name_in_any_order(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook.move_sheet("Đơn vị", offset=-1)  # the units sheet first
    workbook.save(book)
    units = {u.code: u for u in load_units(book)}
    assert len(units) == 2
    with pytest.warns(InputNote):
        assert len(load_officials(book, units=units)) == 20


def test_sheets_are_found_by_content_when_their_names_say_nothing(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.xlsx", officials_sheet="Sheet1", units_sheet="Sheet2")
    units = {u.code: u for u in load_units(book)}
    assert set(units) == {"TO01", "TO02"}
    with pytest.warns(InputNote) as notes:
        assert len(load_officials(book, units=units)) == 20
    assert any("sheet 'Sheet1': no id column" in str(note.message) and "'Sheet1:5'" in str(note.message)
               for note in notes)


def test_a_workbook_without_a_units_sheet_says_what_to_do(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(book)
    del workbook["Đơn vị"]
    workbook.create_sheet("Ghi chú").append(["Người lập biểu", "Nguyễn Văn A"])
    workbook.save(book)
    code, _, err = run("evaluate", book, "--as-of", "31/12/2024", "--pack", "vn-nd33-2023", "--no-plugins")
    assert code == 2
    assert "no sheet of units in the workbook (sheets: 'Cán bộ', 'Ghi chú'): name it 'Đơn vị'" in err
    assert "--units FILE" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("suffix", [".xls", ".XLS"])
def test_an_xls_workbook_is_refused_with_how_to_save_it(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    code, _, err = run("evaluate", path, "--as-of", "31/12/2024", "--no-plugins")
    assert code == 2
    assert "save it as .xlsx" in err and "Lưu dưới dạng (Save As) Sổ làm việc Excel (.xlsx)" in err
    renamed = tmp_path / "book.xlsx"  # an .xls renamed to .xlsx
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        load_units(renamed)


def test_an_xls_in_a_data_directory_is_refused_with_how_to_save_it(tmp_path: Path) -> None:
    (tmp_path / "officials.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "units.csv").write_text("code,name,kind,class\nX,Xã X,xã,1\n", encoding="utf-8")
    code, _, err = run("evaluate", tmp_path, "--as-of", "2024-12-31", "--no-plugins")
    assert code == 2
    assert "officials.xls: an Excel 97-2003 workbook (.xls) is not read" in err


def officials_csv(tmp_path: Path, header: str, *rows: str,
                  units: str = "X01,Xã Hòa Bình,xã,1") -> tuple[Path, dict[str, object]]:
    path = tmp_path / "officials.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    unit_path = tmp_path / "units.csv"
    unit_path.write_text(f"code,name,kind,class\n{units}\n", encoding="utf-8")
    return path, {u.code: u for u in load_units(unit_path)}


HEADER = "STT,Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Đơn vị,Chức vụ,Trình độ chuyên môn,Lý luận chính trị"


def test_stt_is_ignored_and_ma_can_bo_is_the_id(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER, "1,CB-7,Nguyễn An,Nam,02/01/1980,X01,Bí thư Đảng ủy,ĐH,CC")
    [official] = load_officials(path, units=units)
    assert (official.id, official.extra) == ("CB-7", {})


@pytest.mark.parametrize("header", ["Mã số", "Mã cán bộ", "MÃ CÁN BỘ", "id"])
def test_the_id_column_may_be_named_ma_so(tmp_path: Path, header: str) -> None:
    path, units = officials_csv(tmp_path, HEADER.replace("Mã cán bộ", header),
                                "1,A9,Nguyễn An,Nam,02/01/1980,X01,Bí thư Đảng ủy,ĐH,CC")
    assert [o.id for o in load_officials(path, units=units)] == ["A9"]


def test_without_an_id_column_ids_are_made_from_the_row_with_a_note(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER.replace("Mã cán bộ,", ""),
                                "1,Nguyễn An,Nam,02/01/1980,X01,Bí thư Đảng ủy,ĐH,CC",
                                "2,Nguyễn An,Nam,02/01/1981,Y02,Bí thư Đảng ủy,ĐH,CC", units="X01,Xã X,xã,1\nY02,Xã Y,xã,1")
    with pytest.warns(InputNote, match=r"officials\.csv: no id column .* e\.g\. 'officials:2'"):
        officials = load_officials(path, units=units)
    assert [o.id for o in officials] == ["officials:2", "officials:3"]  # same name, other units: fine


def test_without_an_id_column_two_same_names_in_a_unit_are_a_located_problem(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER.replace("Mã cán bộ,", ""),
                                "1,Nguyễn An,Nam,02/01/1980,X01,Bí thư Đảng ủy,ĐH,CC",
                                "2,Nguyễn  an,Nam,02/01/1981,X01,Phó Bí thư Đảng ủy,ĐH,CC")
    with pytest.raises(InputError) as info:
        load_officials(path, units=units)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (3, "full_name")
    assert "row 2 has the same name in the same unit" in problem.reason
    assert problem.value is None  # the name is not repeated in the message


@pytest.mark.parametrize("unit", ["Xã Hòa Bình", "Hòa Bình", "xã hoà bình", unicodedata.normalize("NFD", "Hoà Bình"),
                                  "X01", "XÃ HÒA BÌNH"])
def test_units_are_given_by_code_or_by_name(tmp_path: Path, unit: str) -> None:
    path, units = officials_csv(tmp_path, HEADER, f"1,A1,Nguyễn An,Nam,02/01/1980,{unit},Bí thư Đảng ủy,ĐH,CC")
    assert [o.unit for o in load_officials(path, units=units)] == ["X01"]


def test_a_unit_name_borne_by_two_units_is_a_located_problem(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER, "1,A1,Nguyễn An,Nam,02/01/1980,Hòa Bình,Bí thư Đảng ủy,ĐH,CC",
                                units="X01,Xã Hòa Bình,xã,1\nP01,Phường Hòa Bình,phường,1")
    with pytest.raises(InputError) as info:
        load_officials(path, units=units)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "unit", "Hòa Bình")
    assert "borne by several units: Phường Hòa Bình (P01), Xã Hòa Bình (X01)" in problem.reason
    path.write_text(f"{HEADER}\n1,A1,Nguyễn An,Nam,02/01/1980,Phường Hòa Bình,Bí thư Đảng ủy,ĐH,CC\n", encoding="utf-8")
    assert [o.unit for o in load_officials(path, units=units)] == ["P01"]  # with its prefix: one unit


def test_ratings_one_column_per_year_join_the_ratings_column(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER + ",ratings,Xếp loại năm 2023,Đánh giá 2024,Đánh giá, xếp loại 2022",
                                '1,A1,An,Nam,02/01/1980,X01,Bí thư,ĐH,CC,2021:HTNV,HTXSNV,Hoàn thành tốt NV,')
    [official] = load_officials(path, units=units)
    assert official.ratings == ((2021, "completed"), (2023, "excellent"), (2024, "good"))


def test_a_year_rated_twice_and_a_bad_rating_are_located_in_their_column(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER + ",ratings,Xếp loại năm 2023,Xếp loại năm 2024",
                                "1,A1,An,Nam,02/01/1980,X01,Bí thư,ĐH,CC,2023:HTNV,HTTNV,Tốt lắm")
    with pytest.raises(InputError) as info:
        load_officials(path, units=units)
    assert [(p.row, p.column, p.value, p.reason.split(" (")[0]) for p in info.value.problems] == [
        (2, "Xếp loại năm 2023", "HTTNV", "year 2023 is rated twice"),
        (2, "Xếp loại năm 2024", "Tốt lắm", "unknown rating"),
    ]


@pytest.mark.parametrize(("text", "value"), [
    ("x", True), ("X", True), ("✓", True), ("có", True), ("Có", True), ("không", False), ("true", True),
    ("0", False),
])
def test_booleans_as_marked(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_a_bad_boolean_says_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="x or ✓ for yes"):
        parse_bool("?")


@pytest.mark.parametrize("text", ["Nu", "nu", "Nữ", "NỮ", unicodedata.normalize("NFD", "nữ")])
def test_genders_without_diacritics(tmp_path: Path, text: str) -> None:
    path, units = officials_csv(tmp_path, HEADER, f"1,A1,An,{text},02/01/1980,X01,Bí thư,ĐH,CC")
    assert [o.gender for o in load_officials(path, units=units)] == ["female"]


@pytest.mark.parametrize(("text", "value"), [
    ("0,711", Fraction(711, 1000)), ("71,1%", Fraction(711, 1000)), ("71.1%", Fraction(711, 1000)),
    ("0.711", Fraction(711, 1000)), ("5 %", Fraction(5, 100)), ("100%", Fraction(1)),
])
def test_shares_with_a_decimal_comma_or_a_percent(text: str, value: Fraction) -> None:
    assert parse_share(text) == value


@pytest.mark.parametrize(("text", "reason"), [("101%", "must be between 0 and 1"), ("0,7,1", "not a decimal"),
                                              ("71,12345%", "more than 6 decimal places")])
def test_bad_shares_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_share(text)


@pytest.mark.parametrize(("text", "value"), [
    ("05-03-1975", date(1975, 3, 5)), ("05.03.1985", date(1985, 3, 5)), ("03/1982", date(1982, 3, 1)),
])
def test_dates_as_written_in_vietnam(text: str, value: date) -> None:
    assert parse_date(text) == value


def test_a_month_and_year_date_is_read_as_the_first_with_a_note(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER, "1,A1,An,Nam,03/1982,X01,Bí thư,ĐH,CC",
                                "2,A2,Bình,Nam,04/1983,X01,Phó Bí thư,ĐH,CC")
    with pytest.warns(InputNote, match=r"birth_date: 2 date\(s\) given as a month and a year only \(first: "
                                       r"'03/1982', row 2\), read as the first day of the month"):
        officials = load_officials(path, units=units)
    assert [o.birth_date for o in officials] == [date(1982, 3, 1), date(1983, 4, 1)]


@pytest.mark.parametrize(("vocab", "text", "code"), [
    (EDUCATION, "Thạc sỹ", "master"), (EDUCATION, "Th.S", "master"), (EDUCATION, "ĐH", "university"),
    (EDUCATION, "Đại học chính quy", "university"), (EDUCATION, "Cử nhân Kinh tế", "university"),
    (EDUCATION, "Cử nhân", "university"), (EDUCATION, "Tiến sỹ Luật", "doctor"),
    (POLITICAL_THEORY, "Cao cấp LLCT", "advanced"), (POLITICAL_THEORY, "Cao cấp lý luận chính trị", "advanced"),
    (POLITICAL_THEORY, "CC", "advanced"), (POLITICAL_THEORY, "TC", "intermediate"),
    (POLITICAL_THEORY, "Trung cấp LLCT", "intermediate"),
    (POSITION, "PCT UBND", "committee_vice_chair"), (POSITION, "CT UBND", "committee_chair"),
    (POSITION, "Phó Chủ tịch UBND xã", "committee_vice_chair"), (POSITION, "Phó Chủ tịch Uỷ ban nhân dân",
                                                                  "committee_vice_chair"),
    (POSITION, "Phó Bí thư Thường trực Đảng ủy", "standing_deputy_party_secretary"),
    (POSITION, "Chủ tịch Ủy ban MTTQ", "front_chair"), (POSITION, "Chủ tịch Uỷ ban MTTQ Việt Nam xã", "front_chair"),
    (POSITION, "Phó Chủ tịch Ủy ban MTTQ", "front_vice_chair"), (POSITION, "Bí thư Đảng ủy xã", "party_secretary"),
    (RATING, "Hoàn thành tốt NV", "good"), (RATING, "Không hoàn thành nhiệm vụ", "not_completed"),
    (POSITION, "P.Chủ tịch UBND", "committee_vice_chair"), (POSITION, "P. Bí thư Đảng ủy", "deputy_party_secretary"),
    (RATING, "K.hoàn thành NV", "not_completed"), (RATING, "Không HTNV", "not_completed"),
])
def test_common_spellings_of_codes(vocab: object, text: str, code: str) -> None:
    assert vocab.parse(text) == code  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "posts"), [
    ("Bí thư Đảng ủy, Chủ tịch HĐND", ("party_secretary", "council_chair")),
    ("Bí thư Đảng ủy kiêm Chủ tịch HĐND", ("party_secretary", "council_chair")),
    ("Phó Bí thư Đảng ủy kiêm Chủ tịch UBND", ("deputy_party_secretary", "committee_chair")),
    ("Địa chính - nông nghiệp - xây dựng và môi trường", ("land_administration",)),
])
def test_concurrent_posts_in_the_position_cell(text: str, posts: tuple[str, ...]) -> None:
    assert parse_position(text) == posts


def test_concurrent_posts_in_the_position_cell_join_the_concurrent_column(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, HEADER + ",Chức vụ kiêm nhiệm",
                                '1,A1,An,Nam,02/01/1980,X01,"Bí thư Đảng ủy, Chủ tịch HĐND",ĐH,CC,Chủ tịch UBND')
    [official] = load_officials(path, units=units)
    assert (official.position, official.concurrent_positions) == ("party_secretary",
                                                                  ("council_chair", "committee_chair"))


@pytest.mark.parametrize(("text", "suggested"), [
    ("Phó Chủ tịch UBNN", "'Phó Chủ tịch UBND'"), ("Chủ tịch UBNN", "'Chủ tịch UBND'"),
    ("Phó Bí thư Đảng ủi", "'Phó Bí thư Đảng ủy'"), ("Bí thư Đảng ủi", "'Bí thư Đảng ủy'"),
    ("Pho Chu tich UBND", "'Phó Chủ tịch UBND'"),
])
def test_did_you_mean_shows_a_label_of_the_same_meaning(text: str, suggested: str) -> None:
    with pytest.raises(ValueError, match="did you mean") as info:
        POSITION.parse(text)
    assert str(info.value).endswith(f"did you mean {suggested}?")


@pytest.mark.parametrize(("vocab", "text", "opposite"), [
    (POSITION, "Q.Chủ tịch UBND", "'Chủ tịch UBND'"),  # Q. (quyền, acting) or a prefix we do not know
    (POSITION, "Chủ tịch UBNDD", "Phó"), (POSITION, "Bí thư Đảng uỷy", "Phó"),
    (POSITION, "Phó Chủ tịch Hội Nông dân Việt Nam", "'Chủ tịch Hội Nông dân'"),  # no such post: not the chair
    (POSITION, "Phó Chủ tịch Hội Cựu chiến binh VN", "'Chủ tịch Hội Cựu chiến binh'"),
    (POSITION, "Phó Chỉ huy trưởng Ban CHQS", "'Chỉ huy trưởng Ban CHQS'"),
    (RATING, "X.hoàn thành NV", "'hoàn thành nhiệm vụ'"), (RATING, "Hoàn thành nhiệm vự", "không"),
])
def test_did_you_mean_never_proposes_the_opposite_meaning(vocab: object, text: str, opposite: str) -> None:
    with pytest.raises(ValueError) as info:
        vocab.parse(text)  # type: ignore[attr-defined]
    suggestion = str(info.value).rpartition("did you mean ")[2] if "did you mean" in str(info.value) else ""
    assert opposite not in suggestion


def test_did_you_mean_for_a_misspelt_rating_keeps_the_negation() -> None:
    with pytest.raises(ValueError, match="did you mean") as info:
        RATING.parse("Không hoàn thành nhiệm vự")
    assert info.value.args[0].endswith("did you mean 'không hoàn thành nhiệm vụ'?")


# --------------------------------------------------------------------------- CSV saved by a Vietnamese Excel

CSV_TEXT = ("DANH SÁCH CÁN BỘ;;;;;;;\n"
            "Mã cán bộ;Họ và tên;Giới tính;Ngày sinh;Đơn vị;Chức vụ;Trình độ chuyên môn;Lý luận chính trị\n"
            "A1;Nguyễn Thị Hoà;Nữ;05.03.1985;Hòa Bình;Chủ tịch UBND;Thạc sỹ;Cao cấp LLCT\n")


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed (â, ơ, đ…), tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "utf-8", "utf-8-sig"])
def test_csv_of_a_vietnamese_excel_is_read(tmp_path: Path, encoding: str) -> None:
    path, units = officials_csv(tmp_path, "x")
    path.write_bytes(windows_1258(CSV_TEXT) if encoding == "cp1258" else CSV_TEXT.encode(encoding))
    if encoding == "cp1258":
        with pytest.warns(InputNote, match="read as Windows-1258"):
            officials = load_officials(path, units=units)
    else:
        officials = load_officials(path, units=units)
    [official] = officials
    assert (official.full_name, official.birth_date, official.education, official.unit) == (
        "Nguyễn Thị Hoà", date(1985, 3, 5), "master", "X01")


def test_csv_with_tabs_is_read(tmp_path: Path) -> None:
    path, units = officials_csv(tmp_path, "x")
    path.write_bytes(CSV_TEXT.replace(";", "\t").encode("utf-16"))
    assert [o.id for o in load_officials(path, units=units)] == ["A1"]


def test_a_damaged_workbook_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "officials.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"cannot read the XLSX workbook.*Lưu dưới dạng \.xlsx"):
        load_officials(path)


def test_an_unreadable_csv_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"code,name\x81\n")
    with pytest.raises(InputError, match=r"Lưu dưới dạng CSV UTF-8 hoặc \.xlsx"):
        load_units(path)


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("as_of", ["31/12/2024", "2024-12-31", "31-12-2024", "31.12.2024"])
def test_as_of_accepts_dates_as_in_the_data(tmp_path: Path, as_of: str) -> None:
    book = write_book(tmp_path / "book.xlsx")
    code, out, _ = run("evaluate", book, "--as-of", as_of, "--data-as-of", as_of, "--pack", "vn-nd33-2023",
                       "--no-plugins", "--backend", "reference", "--format", "json")
    assert code == 1
    assert json.loads(out)["as_of"] == "2024-12-31"


# --------------------------------------------------------------------------- the reader in Vietnamese (#16 §4)

#: English words of the reader's notes and reasons (none of them may show under --lang vi).
READER_ENGLISH = ("sheet", "row", "no id column", "ids made", "date(s)", "read as", "is not read", "save it",
                  "unknown", "expected one of", "did you mean", "is not YEAR", "rated twice", "not UTF-8")


def test_the_reader_speaks_vietnamese(tmp_path: Path) -> None:
    """The notes (ids made from the sheet and row, month-only dates, Windows-1258), the located problems (", trang
    tính '…'", the column as the workbook heads it, an unknown code and its suggestion, a bad rating item) and the
    .xls refusal, in Vietnamese under --lang vi; the same in English under --lang en."""
    args = ("--as-of", "31/12/2024", "--pack", "vn-nd33-2023", "--no-plugins", "--backend", "reference")
    code, _, err = run("evaluate", write_book(tmp_path / "book.xlsx"), *args, "--format", "json", "--lang", "vi")
    assert code == 1, err
    assert "ghi chú: " in err
    assert ("book.xlsx, trang tính 'Cán bộ': không có cột mã (Mã cán bộ): mã được tạo từ tên trang tính và số "
            "dòng, ví dụ 'Cán bộ:5'") in err
    assert ("trang tính 'Cán bộ': Ngày sinh: 1 ngày chỉ ghi tháng và năm (đầu tiên: '03/1982', dòng 7), được "
            "hiểu là ngày đầu tháng") in err
    bad = [(*PEOPLE[0][:4], "Chủ tịc UBND", *PEOPLE[0][5:]), (*PEOPLE[1][:12], "2023:khá", *PEOPLE[1][13:])]
    code, _, err = run("evaluate", write_book(tmp_path / "bad.xlsx", people=bad), *args, "--lang", "vi")
    assert code == 2
    assert "bad.xlsx, trang tính 'Cán bộ', dòng 5, Chức vụ: Chức vụ không hợp lệ (cần một trong: Bí thư Đảng ủy" in err
    assert "; có phải là 'Chủ tịch UBND'? (giá trị đọc được: 'Chủ tịc UBND')" in err
    assert "bad.xlsx, trang tính 'Cán bộ', dòng 6, Xếp loại năm 2023: Xếp loại không hợp lệ" in err
    xls = tmp_path / "book.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    code, _, xls_err = run("evaluate", xls, *args, "--lang", "vi")
    assert code == 2
    assert xls_err == (f"lỗi: 1 vấn đề trong dữ liệu đầu vào:\n  {xls}: không đọc tệp Excel 97-2003 (.xls): mở tệp "
                       "trong Excel, chọn Lưu dưới dạng (Save As) Sổ làm việc Excel (.xlsx)\n")
    csv_path, _ = officials_csv(tmp_path, "x")
    csv_path.write_bytes(windows_1258(CSV_TEXT))
    code, _, csv_err = run("evaluate", csv_path, "--units", tmp_path / "units.csv", *args, "--lang", "vi")
    assert "tệp không phải UTF-8: đã đọc theo Windows-1258 (CSV của Excel tiếng Việt)" in csv_err
    for text in (err, xls_err, csv_err):
        found = [word for word in READER_ENGLISH if word in text.replace("Save As", "")]
        assert found == [], found
    code, _, english = run("evaluate", write_book(tmp_path / "bad.xlsx", people=bad), *args, "--lang", "en")
    assert "bad.xlsx, sheet 'Cán bộ', row 5, position: unknown position (expected one of: " in english
    assert "; did you mean 'Chủ tịch UBND'? (got 'Chủ tịc UBND')" in english
    assert "row 6, Xếp loại năm 2023: unknown rating (expected one of: " in english
