"""``cadre-rules template FILE.xlsx`` (issue 16 §2): a Vietnamese workbook to fill in, read back as it is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.io._headers import column_header
from cadre_rules.io._template import template_bytes
from cadre_rules.model._codes import POSITION


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_template_has_both_sheets_vietnamese_headers_lists_and_an_example(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    code, out, _ = run("template", path, "--year", "2024")
    assert (code, out) == (0, f"wrote {path}\n")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cán bộ", "Đơn vị", "Danh mục"]
    assert book["Danh mục"].sheet_state == "hidden"
    officials = book["Cán bộ"]
    header = [c.value for c in officials[3]]
    assert header[:7] == ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ"]
    assert {"Xếp loại năm 2022", "Xếp loại năm 2023", "Xếp loại năm 2024", "Lý luận chính trị"} <= set(header)
    assert header[-2:] == ["Ngày hết nhiệm kỳ", "Biệt phái đến"]  # the optional end dates (docs/project.md)
    assert [c.value for c in officials[4]][:3] == [1, "CB001", "Nguyễn Văn An"]
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in officials.data_validations.dataValidation}
    assert lists["D"] == "='Danh mục'!$A$2:$A$3"  # Giới tính
    assert lists["F"] == "='Đơn vị'!$C$4:$C$2000"  # Đơn vị: the names of the units sheet
    catalogue = book["Danh mục"]
    positions = [c.value for c in catalogue["B"][1:] if c.value]
    assert positions == [POSITION.label(code) for code in POSITION.codes]  # Vietnamese labels, not codes
    assert [c.value for c in catalogue["A"][1:] if c.value] == ["Nam", "Nữ"]


def test_the_template_filled_in_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_bytes(2024))
    book = openpyxl.load_workbook(path)
    officials, units = book["Cán bộ"], book["Đơn vị"]
    # the example rows made real (left as they are, they are the template's and not read: the test below)
    officials["B4"], units["B4"] = "CB009", "X009"
    units.append([2, "X002", "Phường Mẫu", "Phường", "2", "", "không"])
    officials.append([2, "CB002", "Trần Thị Bình", "Nữ", date(1990, 1, 2), "Phường Mẫu", "Phó Chủ tịch UBND", "", "",
                      "", "THPT", "Đại học", "Luật", "Trung cấp", date(2021, 6, 1), "x", "", "Hoàn thành nhiệm vụ",
                      "Hoàn thành xuất sắc nhiệm vụ", "", "0,1", "", "", "", date(2026, 6, 30), ""])
    book.save(path)
    by_code = {u.code: u for u in load_units(path)}
    assert {(u.code, u.name, u.kind, u.unit_class, u.has_council) for u in by_code.values()} == {
        ("X009", "Xã Mẫu", "commune", 1, True), ("X002", "Phường Mẫu", "ward", 2, False)}
    read = {o.id: o for o in load_officials(path, units=by_code)}
    assert set(read) == {"CB009", "CB002"}
    example = read["CB009"]  # every cell of the example row is read as written
    assert (example.unit, example.position, example.concurrent_positions, example.birth_date) == (
        "X009", "party_secretary", ("council_chair",), date(1980, 5, 15))
    assert (example.standing_committee, example.education, example.political_theory, example.is_local) == (
        True, "master", "advanced", True)
    assert example.ratings == ((2022, "good"), (2023, "good"), (2024, "good"))
    filled = read["CB002"]
    assert (filled.gender, filled.unit, filled.position, filled.in_planning, filled.ratings) == (
        "female", "X002", "committee_vice_chair", True, ((2023, "completed"), (2024, "excellent")))
    assert str(filled.low_confidence_share) == "1/10"
    assert (filled.term_ends, filled.secondment_until, example.term_ends) == (date(2026, 6, 30), None, None)


def test_evaluate_reads_the_template_alone_without_its_example_rows(tmp_path: Path) -> None:
    """The example rows left in place (the officer wrote the real rows below them) are not evaluated as a person
    of a commune that does not exist: each is left out with a note that says which row, in the reader's
    language; the rows below are read."""
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_bytes(2024))
    args = ["evaluate", path, "--as-of", "31/12/2024", "--pack", "vn-nd33-2023", "--no-plugins", "--backend",
            "reference", "--format", "json"]
    code, out, err = run(*args, "--lang", "en")
    assert code == 0, err
    assert '"officials": 0' in out and '"units": 0' in out
    assert ("mau.xlsx, sheet 'Cán bộ': row 4 is the template's example (CB001): not read; "
            "delete it, or write a real record over it") in err
    assert "mau.xlsx, sheet 'Đơn vị': row 4 is the template's example (X001): not read" in err
    book = openpyxl.load_workbook(path)
    book["Đơn vị"].append([2, "00322", "Phường Tương Mai", "Phường", "1", "", "có"])
    book["Cán bộ"].append([2, "CB002", "Trần Thị Bình", "Nữ", date(1990, 1, 2), "Phường Tương Mai", "Chủ tịch UBND",
                           "", "", "", "THPT", "Đại học", "Luật", "Cao cấp"])
    book.save(path)
    code, out, err = run(*args, "--lang", "vi")
    assert code in (0, 1), err
    assert '"officials": 1' in out and '"units": 1' in out and '"CB001"' not in out and '"X001"' not in out
    assert "trang tính 'Cán bộ': dòng 4 là dòng ví dụ của tệp mẫu (CB001): không được đọc" in err


def test_the_template_has_the_title_column_of_a_post_outside_the_list(tmp_path: Path) -> None:
    """`Chức danh cụ thể` beside `Chức vụ`, with a note on when to fill it: read back by the reader into the
    official's record, and shown by the report in place of "Khác" for a post outside the list."""
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_bytes(2024))
    book = openpyxl.load_workbook(path)
    officials = book["Cán bộ"]
    header = [c.value for c in officials[3]]
    at = header.index("Chức danh cụ thể")
    assert header[at - 1] == "Chức vụ"
    note = officials.cell(row=3, column=at + 1).comment
    assert note is not None and "Khác" in note.text and "chức danh" in note.text
    assert "Chức danh cụ thể" in str(officials["A2"].value)  # (the sheet's instructions say so too)
    assert officials.cell(row=4, column=at + 1).value is None  # (the example's post is in the list)
    book["Đơn vị"]["B4"] = "00322"
    book["Đơn vị"]["C4"] = "Phường Tương Mai"
    for cell in officials[4]:  # (the example row cleared: the rows are the officer's from row 4)
        cell.value = None
    titled = "Phó Trưởng Ban Quản lý dự án đầu tư xây dựng"
    for row, (ident, name, position, title) in enumerate((
            ("CB009", "Lê Văn Cường", "Khác", titled), ("CB010", "Phạm Thị Dung", "Khác", ""),
            ("CB011", "Đỗ Văn Em", "Chủ tịch UBND", "Chủ tịch")), start=4):
        for column, value in (("Mã cán bộ", ident), ("Họ và tên", name), ("Giới tính", "Nam"),
                              ("Ngày sinh", date(1985, 3, 1)), ("Đơn vị", "Phường Tương Mai"), ("Chức vụ", position),
                              ("Chức danh cụ thể", title), (column_header("education", "vi"), "Đại học"),
                              (column_header("political_theory", "vi"), "Trung cấp"),
                              *((f"Xếp loại năm {year}", "Không hoàn thành nhiệm vụ") for year in (2023, 2024))):
            officials.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    read = {o.id: o for o in load_officials(path, units={u.code: u for u in load_units(path)})}
    assert {k.casefold(): v for k, v in read["CB009"].extra.items()} == {"chức danh cụ thể": titled}
    assert (read["CB009"].position, read["CB010"].position) == ("other", "other") != read["CB011"].position
    code, out, err = run("evaluate", path, "--as-of", "31/12/2025", "--no-plugins", "--backend", "reference",
                         "--format", "json", "--fail-on", "never", "--lang", "vi")
    assert code == 0, err
    names = {s["id"]: s["position"] for f in json.loads(out)["findings"] for s in (f["subject"],)
             if s["kind"] == "official"}
    assert names == {"CB009": titled, "CB010": "Khác", "CB011": "Chủ tịch UBND"}  # (two years not completed: each)
    code, text, err = run("evaluate", path, "--as-of", "31/12/2025", "--no-plugins", "--backend", "reference",
                          "--fail-on", "never", "--lang", "vi")
    assert f"CB009 Lê Văn Cường — {titled} — Phường Tương Mai" in text


def test_template_refuses_to_overwrite_and_other_extensions(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"keep")
    code, _, err = run("template", path)
    assert code == 2 and "the file exists" in err and "--force" in err
    assert path.read_bytes() == b"keep"
    assert run("template", path, "--force")[0] == 0
    assert path.read_bytes().startswith(b"PK")
    code, _, err = run("template", tmp_path / "mau.xls")
    assert code == 2 and "the template is an .xlsx workbook" in err


def test_every_input_column_has_a_header_in_each_language() -> None:
    # the template, the undecided notes and every located problem name a column by its header
    from cadre_rules.io._headers import OFFICIAL_ALIASES
    from cadre_rules.io._headers import column_header
    from cadre_rules.io._io import _OFFICIAL_FIELDS
    from cadre_rules.io._io import _UNIT_FIELDS
    from cadre_rules.model._codes import match_key

    for field in (*_OFFICIAL_FIELDS, *_UNIT_FIELDS):
        assert column_header(field.column, "en") == field.column
        assert column_header(field.column, "vi") != field.column, field.column
    # and the reader takes each official's Vietnamese header back to its column
    assert {f.column: OFFICIAL_ALIASES.get(match_key(column_header(f.column, "vi"))) for f in _OFFICIAL_FIELDS} == {
        f.column: f.column for f in _OFFICIAL_FIELDS}


def test_template_takes_the_file_as_argument_or_as_o_as_the_other_commands_do(tmp_path: Path) -> None:
    for args in (("-o", tmp_path / "a.xlsx"), ("--output", tmp_path / "b.xlsx"),
                 (tmp_path / "c.xlsx", "-o", tmp_path / "c.xlsx")):  # (both, the same file: no harm)
        code, out, _ = run("template", *args)
        assert code == 0, args
        assert out == f"wrote {args[-1]}\n"
        assert Path(args[-1]).read_bytes().startswith(b"PK")
    code, _, err = run("template", tmp_path / "d.xlsx", "-o", tmp_path / "e.xlsx")
    assert code == 2
    assert f"FILE '{tmp_path / 'd.xlsx'}' and -o '{tmp_path / 'e.xlsx'}' name two files; give one of them" in err
    assert not (tmp_path / "d.xlsx").exists() and not (tmp_path / "e.xlsx").exists()
    code, _, err = run("--lang", "vi", "template")
    assert (code, err.splitlines()[-1]) == (2, "Lỗi: hãy cho tên tệp Excel cần ghi: FILE, hoặc -o FILE")
    code, _, err = run("template", "-o", tmp_path / "f.xls")
    assert code == 2 and "Invalid value for -o: " in err and "the template is an .xlsx workbook" in err
    code, _, err = run("template", "-o", tmp_path / "a.xlsx")  # exists: refused as for FILE
    assert code == 2 and "the file exists" in err


def test_every_command_reading_the_data_says_how_it_read_them(tmp_path: Path) -> None:
    """match, project and explain say the template's example row was left out as evaluate does: a ``ghi chú: …``
    line in the reader's language on stderr (they printed a Python warning in English, with our source's path)."""
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_bytes(2024))
    book = openpyxl.load_workbook(path)
    book["Đơn vị"].append([2, "00322", "Phường Tương Mai", "Phường", "1", "", "có"])
    book["Cán bộ"].append([2, "CB002", "Trần Thị Bình", "Nữ", date(1990, 1, 2), "Phường Tương Mai", "Chủ tịch UBND",
                           "", "", "", "THPT", "Đại học", "Luật", "Cao cấp"])
    book.save(path)
    note = f"ghi chú: {path}, trang tính 'Cán bộ': dòng 4 là dòng ví dụ của tệp mẫu (CB001): không được đọc"
    for command in (["match"], ["project", "--to", "31/12/2026"], ["explain", "--city"],
                    ["evaluate", "--format", "json"]):
        code, _, err = run(*command, path, "--as-of", "31/12/2024", "--no-plugins", "--lang", "vi")
        assert code in (0, 1), (command, err)
        assert note in err, (command, err)
        assert "InputNote" not in err and ".py:" not in err, (command, err)
