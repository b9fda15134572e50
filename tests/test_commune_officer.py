"""A new xã's HR officer after the reform, end to end (session 16): the commune's list as an office keeps it in
Excel (groups headed "I | CÁN BỘ", "II. CÔNG CHỨC", a total under them), read and reported in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.io._group_rows import group_rows
from test_officer_workbook import HEADER
from test_officer_workbook import ROW
from test_officer_workbook import evaluate
from test_officer_workbook import names
from test_officer_workbook import row
from test_officer_workbook import ward_book

SECOND = row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Thị Bình", Giới_tính="Nữ", Chức_vụ="Phó Trưởng phòng")


def blank(**cells: str) -> list[str]:
    """A row of :data:`HEADER`'s width with only ``cells`` filled (spaces as ``_``)."""
    line = [""] * len(HEADER)
    for header, value in cells.items():
        line[HEADER.index(header.replace("_", " "))] = value
    return line


def test_the_rows_that_head_and_total_the_groups_of_a_list_are_said_and_not_read(tmp_path: Path) -> None:
    """A commune's list in two groups, each headed by its number and title ("I | CÁN BỘ", "II. CÔNG CHỨC" in one
    cell), and a total right under the last person: the sheet was refused with seven "required value is
    missing" problems on each such row. Now they are left out with a note that says which rows, and the
    people are read."""
    rows = [blank(STT="I", Mã_cán_bộ="CÁN BỘ"), ROW, blank(STT="II. CÔNG CHỨC"), SECOND,
            blank(Mã_cán_bộ="Tổng cộng", Họ_và_tên="2 người")]
    book = ward_book(tmp_path / "ds.xlsx", rows)
    code, output = evaluate(str(book), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert code == 0, output
    assert names(json.loads((tmp_path / "r.json").read_text("utf-8"))) == {"TM01": "Nguyễn Văn An",
                                                                          "TM02": "Lê Thị Bình"}
    code, output = evaluate(str(book))
    assert code == 0, output
    assert (f"ghi chú: {book}, trang tính 'Cán bộ': 3 dòng là tiêu đề hoặc dòng cộng của một nhóm trong danh sách "
            "('I CÁN BỘ'), không phải một người, nên không được đọc: dòng 3, 5, 7") in output
    assert "Dữ liệu: 2 cán bộ, công chức" in output
    # only a group's number or a total's words make a heading: a person typed with a name and nothing else
    # stays a record, refused where its cells are missing
    code, output = evaluate(str(ward_book(tmp_path / "ds.xlsx", [ROW, blank(STT="2", Họ_và_tên="Trần Văn Cường")])))
    assert code == 2
    assert "dòng 4, Giới tính: thiếu giá trị bắt buộc" in output


@pytest.mark.parametrize(("cells", "heading"), [
    (["I", "CÁN BỘ"], True), (["II.", "Công chức"], True), (["B)", "Khối chính quyền"], True),
    (["I. CÁN BỘ"], True), (["III - Người hoạt động không chuyên trách"], True), (["Tổng cộng", "25 người"], True),
    (["", "Cộng:", "25"], True), (["Tổng số: 25 người"], True),
    (["Nguyễn Văn An"], False), (["2", "Tổng Văn Hải"], False), (["Tổng Văn Hải"], False), (["I", "II"], False),
    (["1", "CB01", "Nguyễn Văn An", "Phó Bí thư"], False), (["Ivan Petrov"], False), (["A", "B", "C", "D"], False),
])
def test_what_heads_or_totals_a_group(cells: list[str], heading: bool) -> None:
    assert group_rows([cells]) == ([0] if heading else [])


def _job(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025", "--lang", "vi"])
    return result.exit_code, result.output


@pytest.mark.parametrize("job", [["project", "--to", "31/12/2027"], ["match", "--within", "24"]])
def test_project_and_match_write_the_format_their_file_s_extension_names(tmp_path: Path, job: list[str]) -> None:
    """``project … -o du-bao.xlsx`` wrote its text under that name (Excel refuses to open it), unlike
    ``evaluate -o bao-cao.xlsx``. Now the extension decides when --format is not given, and a --format it
    contradicts is refused, as evaluate's."""
    book = ward_book(tmp_path / "ds.xlsx", [ROW, SECOND])
    for name, opened in (("out.xlsx", lambda f: openpyxl.load_workbook(f).sheetnames),
                         ("out.json", lambda f: json.loads(f.read_text("utf-8"))),
                         ("out.html", lambda f: f.read_text("utf-8").startswith("<!DOCTYPE html>") or None)):
        code, output = _job(job[0], str(book), *job[1:], "-o", str(tmp_path / name))
        assert code in (0, 1), output
        assert opened(tmp_path / name), name
    code, output = _job(job[0], str(book), *job[1:], "--format", "json", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert "phần mở rộng là định dạng xlsx nhưng --format là json" in output


def test_the_projection_workbook_names_each_target_in_vietnamese_not_by_its_code(tmp_path: Path) -> None:
    """Its sheets were titled by the rule's code ("quota.young", "staffing.committee_vice_chair_a" cut at 31
    characters), and nothing in them said which target they were. Now a sheet is titled by the target's name
    (cut after a whole word), and its rows say the name in full and the pack and code."""
    book = ward_book(tmp_path / "ds.xlsx", [ROW, SECOND])
    code, output = _job("project", str(book), "--to", "31/12/2027", "--format", "xlsx", "-o",
                        str(tmp_path / "p.xlsx"))
    assert code in (0, 1), output
    workbook = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert "Cán bộ chủ chốt dưới 35 tuổi" in workbook.sheetnames
    assert "Số Phó Chủ tịch UBND bình…" in workbook.sheetnames  # "… bình quân mỗi đơn vị", 42 characters
    assert not [name for name in workbook.sheetnames if "." in name or "_" in name]
    rows = list(workbook["Cán bộ chủ chốt dưới 35 tuổi"].iter_rows(values_only=True))
    assert rows[0][-2:] == ("Chỉ số", "Mã chỉ số")
    assert rows[1][-2:] == ("Cán bộ chủ chốt dưới 35 tuổi", "hanoi-de-an-34 quota.young")


def test_the_title_an_office_writes_for_a_post_of_the_list_names_it_in_the_report(tmp_path: Path) -> None:
    """A commune has two Trưởng phòng and three Phó Trưởng phòng; its office writes which in "Chức danh cụ thể"
    ("Phó Trưởng phòng Kinh tế"; the Phó Giám đốc of the Trung tâm PVHCC, ranked as a Phó Trưởng phòng). The
    report said "Phó Trưởng phòng" for each, the title read and dropped. Now a title that names the post more
    closely replaces its label, another follows it in brackets; in English, and where it says the same, the
    label as before."""
    header = [*HEADER, "Chức danh cụ thể"]
    deputy = row(Giới_tính="Nữ", Chức_vụ="Phó Trưởng phòng", Trình_độ_chuyên_môn="Đại học", Lý_luận_chính_trị="Sơ cấp")
    rows = [[*deputy, "Phó Trưởng phòng Kinh tế"],
            [*row(STT="2", Mã_cán_bộ="TM02", Họ_và_tên="Lê Thị Bình"), "Chủ tịch"],  # says less: the label
            [*row(STT="3", Mã_cán_bộ="TM03", Họ_và_tên="Quách Văn Lộc", Chức_vụ="Phó Trưởng phòng",
                  Trình_độ_chuyên_môn="Đại học", Lý_luận_chính_trị="Sơ cấp"), "Phó Giám đốc Trung tâm PVHCC"]]
    book = ward_book(tmp_path / "ds.xlsx", rows, header=header)
    code, output = evaluate(str(book))
    assert code == 0, output
    assert "TM01 Nguyễn Văn An — Phó Trưởng phòng Kinh tế — Phường Tương Mai:" in output
    assert "TM02 Lê Thị Bình — Chủ tịch UBND — Phường Tương Mai:" in output
    assert "TM03 Quách Văn Lộc — Phó Trưởng phòng (Phó Giám đốc Trung tâm PVHCC) — Phường Tương Mai:" in output
    code, output = evaluate(str(book), "--format", "json", "-o", str(tmp_path / "r.json"))
    subjects = {f["subject"]["id"]: f["subject"]["position"]
                for f in json.loads((tmp_path / "r.json").read_text("utf-8"))["findings"]
                if f["subject"]["kind"] == "official"}
    assert subjects["TM01"] == "Phó Trưởng phòng Kinh tế"
    code, output = evaluate(str(book), lang="en")
    assert "TM01 Nguyễn Văn An — Department deputy — Phường Tương Mai:" in output


def test_the_city_s_quotas_not_met_are_said_once_in_the_text_report(tmp_path: Path) -> None:
    """A commune's own report lists the city's quotas its data do not meet under "Chỉ tiêu chưa đạt toàn thành
    phố", then listed them again among the main findings (all of them fit in its 20 lines). Now the main list
    holds the others, and "… còn N phát hiện nữa" counts the findings the text shows nowhere."""
    book = ward_book(tmp_path / "ds.xlsx", [ROW, SECOND])
    code, output = evaluate(str(book))
    assert code == 0, output
    lines = output.splitlines()
    young = [line for line in lines if " quota.young " in line and "Hà Nội: cán bộ chủ chốt dưới 35 tuổi" in line]
    assert len(young) == 1, young
    main = lines.index(next(line for line in lines if line.startswith("Phát hiện chính (")))
    assert lines.index(young[0]) < main
    assert not any("phát hiện nữa" in line for line in lines)


def test_the_template_lets_a_mark_column_say_no_and_says_what_an_empty_cell_means(tmp_path: Path) -> None:
    """The template's marked columns (Quy hoạch, Ủy viên BTV, Đang bị điều tra, Người địa phương) offered only
    "x", and Excel refused any other entry: an officer could not write "không", left the cell empty, and the
    report said the rules needing the column were not decided for those people ("chưa biết, không phải
    không"). Now the list offers "x" and "không", the instruction row says an empty cell is not known, and a
    template filled in with "không" decides the rules."""
    path = tmp_path / "mau.xlsx"
    assert CliRunner().invoke(cli, ["template", str(path), "--year", "2025"]).exit_code == 0
    book = openpyxl.load_workbook(path)
    sheet = book["Cán bộ"]
    header = [c.value for c in sheet[3]]
    column = openpyxl.utils.get_column_letter(header.index("Quy hoạch") + 1)
    (formula,) = [dv.formula1 for dv in sheet.data_validations.dataValidation
                  if str(dv.sqref).split(":")[0] == f"{column}4"]
    marks = [c.value for c in book["Danh mục"][formula.split("!")[1].split(":")[0].replace("$", "")[0]][1:]
             if c.value]
    assert marks == ["x", "không"]
    assert "ô đánh dấu ghi x (có) hoặc không; ô để trống là chưa biết" in sheet["A2"].value
    # filled in: the example row's person, not in planning ("không"), a native ("x")
    sheet["A4"], sheet["B4"], sheet["C4"] = 1, "TL001", "Nguyễn Văn Hùng"
    sheet.cell(row=4, column=header.index("Quy hoạch") + 1, value="không")
    units = book["Đơn vị"]
    units["B4"], units["C4"] = "00475", "Xã Thư Lâm"
    sheet["F4"] = "Xã Thư Lâm"
    book.save(path)
    code, output = evaluate(str(path))
    assert code == 0, output
    assert "rotation.eligible: chưa xét được" not in output
