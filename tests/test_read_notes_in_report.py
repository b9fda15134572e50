"""The report files say how the data were read (session 16): the reader's notes (a vacant post's row left out, rows
hidden in Excel read all the same, ids made for a sheet without an id column…) were said on stderr only, and the
xlsx or pdf an officer sends to the city's board was silently partial. Now :meth:`Engine.read` keeps them with the
officials it gives (``OfficialTable.read_notes``) and every report of those data says them, first among its notes,
in the report's language, located as on stderr; the command line, the API and the service alike."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from cadre_rules import Engine
from cadre_rules import InputNote
from cadre_rules import OfficialTable
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules.io._io import read_officials
from cadre_rules.service._worker import Answer
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import run_job
from conftest import command

AS_OF = "2025-12-31"
HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Chức vụ", "Trình độ chuyên môn",
          "Lý luận chính trị"]
PEOPLE = [["1", "Nguyễn Văn An", "Nam", "15/03/1985", "Phường Tương Mai", "Chủ tịch UBND", "Trung cấp", "Cao cấp"],
          ["2", "Trần Thị Bình", "Nữ", "20/07/1979", "Phường Tương Mai", "Phó Chủ tịch UBND", "Đại học", "Cao cấp"]]
#: the row of a post no one holds, as a ward keeps it
VACANT = ["3", "Khuyết", "", "", "Phường Tương Mai", "Phó Bí thư Đảng ủy", "", ""]
UNITS = [["Mã đơn vị", "Tên đơn vị", "Loại"], ["00322", "Phường Tương Mai", "Phường"]]

#: what the reader says of the workbook below (sheet 'Cán bộ': header on row 1, Bình's row 3 hidden, the vacant row
#: 4), in each language, in the order said; ``source``: the sheet (or the CSV file's stem) the ids are made from
SAID = {
    "vi": ["1 dòng đang bị ẩn trong Excel (ẩn bằng tay hoặc do bộ lọc) vẫn được đọc như các dòng khác: dòng 3",
           "1 dòng không ghi người nào ('Khuyết'): chức danh chưa có người giữ không được đọc như một người",
           "không có cột mã (Mã cán bộ): mã được tạo từ tên trang tính và số dòng, ví dụ '{source}:2'"],
    "en": ["1 row(s) hidden in Excel (by hand or by a filter) are read like the others: 3",
           "1 row(s) name no one ('Khuyết'): a post no one holds is not read as a person",
           "no id column (Mã cán bộ): ids made from the sheet and row, e.g. '{source}:2'"],
}
SHEET = {"vi": "trang tính 'Cán bộ'", "en": "sheet 'Cán bộ'"}


def workbook(path: Path) -> Path:
    """A ward's workbook: its officials with no id column, one row hidden, a vacant post's row; its units."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cán bộ"
    for line in (HEADER, *PEOPLE, VACANT):
        sheet.append(line)
    sheet.row_dimensions[3].hidden = True
    units = book.create_sheet("Đơn vị")
    for line in UNITS:
        units.append(line)
    book.save(path)
    return path


def csv_folder(folder: Path) -> Path:
    """The same officials (but the hidden row: a CSV hides none) as ``officials.csv`` and ``units.csv``."""
    folder.mkdir(exist_ok=True)
    for name, rows in (("officials", [HEADER, *PEOPLE, VACANT]), ("units", UNITS)):
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def said_in(notes: list[str], where: str, lang: str, *, hidden: bool = True, source: str = "Cán bộ") -> None:
    """Each thing the reader says, located (``where``, the file as given, and its sheet), once, in order."""
    expected = [text.format(source=source) for text in (SAID[lang] if hidden else SAID[lang][1:])]
    found = [next((n for n in notes if text in n), None) for text in expected]
    assert None not in found, notes
    assert [notes.index(n) for n in found if n] == sorted(notes.index(n) for n in found if n)  # (in the order said)
    for note in found:
        assert note is not None and note.startswith(where), note
        assert sum(n == note for n in notes) == 1


def evaluate(*args: str, cwd: Path | None = None) -> tuple[bytes, str]:
    code, out, err = command("evaluate", *args, "--as-of", AS_OF, "--fail-on", "never", "-q", cwd=cwd)
    assert code == 0, err
    return out, err


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_json_report_of_a_workbook_says_how_it_was_read(tmp_path: Path, lang: str) -> None:
    book = workbook(tmp_path / "ds.xlsx")
    out, err = evaluate(str(book), "--format", "json", "--lang", lang)
    document = json.loads(out)
    said_in(document["notes"], f"{book}, {SHEET[lang]}: ", lang)
    assert document["input"]["officials"] == 2  # (the vacant post's row is no one)
    assert all(f"note: {n}" in err or f"ghi chú: {n}" in err for n in document["notes"] if str(book) in n)  # (stderr)
    assert "Nguyễn Văn An" not in err and "Trần Thị Bình" not in err  # (the notes name rows and values, no one)
    assert evaluate(str(book), "--format", "json", "--lang", lang)[0] == out  # (the same bytes again)


def test_the_text_report_says_it_and_stderr_still_does(tmp_path: Path) -> None:
    book = workbook(tmp_path / "ds.xlsx")
    out, err = evaluate(str(book), "--lang", "vi")
    text = out.decode()
    notes = [line[4:] for line in text.splitlines() if line.startswith("  - ")]
    said_in(notes, f"{book}, trang tính 'Cán bộ': ", "vi")
    assert sum(line.startswith(f"ghi chú: {book}") for line in err.splitlines()) == 3  # (stderr as it was)


def test_the_xlsx_report_says_it_on_its_summary_sheet(tmp_path: Path) -> None:
    book = workbook(tmp_path / "ds.xlsx")
    evaluate(str(book), "--lang", "vi", "-o", str(tmp_path / "report.xlsx"))
    cells = [str(c) for row in openpyxl.load_workbook(tmp_path / "report.xlsx").worksheets[0].iter_rows(values_only=True)
             for c in row if c is not None]
    said_in([c for c in cells if str(book) in c], f"{book}, trang tính 'Cán bộ': ", "vi")


def test_the_formats_of_a_row_per_finding_say_it_as_notices(tmp_path: Path) -> None:
    """csv and jsonl: a row after the findings (rule ``notice.input``); sarif: a notification of the run; junit: a
    case of the suite ``cadre-rules``; html: the notes, open."""
    book = workbook(tmp_path / "ds.xlsx")
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("csv", "jsonl", "sarif", "xml", "html")}
    evaluate(str(book), "--lang", "en", *(arg for path in outputs.values() for arg in ("-o", str(path))))
    where = f"{book}, sheet 'Cán bộ': "
    with outputs["csv"].open(encoding="utf-8") as handle:
        said_in([r["message"] for r in csv.DictReader(handle) if r["rule"] == "notice.input"], where, "en")
    lines = [json.loads(line) for line in outputs["jsonl"].read_text(encoding="utf-8").splitlines()]
    said_in([line["message"] for line in lines if line["rule"] == "notice.input"], where, "en")
    run = json.loads(outputs["sarif"].read_text(encoding="utf-8"))["runs"][0]
    said_in([n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]
             if n["descriptor"]["id"] == "notice.input"], where, "en")
    cases = ET.parse(outputs["xml"]).getroot().iter("testcase")
    said_in([(case.findtext("system-out") or "").removeprefix("[info] ").strip() for case in cases
             if case.get("name") == "notice.input"], where, "en")
    html = outputs["html"].read_text(encoding="utf-8")
    assert '<details class="group" open><summary>Notes (' in html
    assert "1 row(s) name no one (&#x27;Khuyết&#x27;)" in html or "1 row(s) name no one ('Khuyết')" in html


def test_a_csv_folder_says_it_too(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "data")
    out, _ = evaluate(".", "--format", "json", "--lang", "vi", cwd=folder)
    said_in(json.loads(out)["notes"], "officials.csv: ", "vi", hidden=False, source="officials")


def test_the_scoped_report_keeps_them(tmp_path: Path) -> None:
    book = workbook(tmp_path / "ds.xlsx")
    out, _ = evaluate(str(book), "--format", "json", "--lang", "en", "--scope", "commune:00322")
    said_in(json.loads(out)["notes"], f"{book}, sheet 'Cán bộ': ", "en")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_api_keeps_them_with_the_officials_read_and_the_report_says_them(tmp_path: Path, lang: str) -> None:
    """``Engine.read`` keeps the notes of both files with the officials; ``evaluate`` says them in the engine's
    language (not the process's): the same words as the command line's report."""
    book = workbook(tmp_path / "ds.xlsx")
    engine = Engine(lang=lang)
    with pytest.warns(InputNote):  # (still warned)
        officials, units = engine.read(book, book)
    assert isinstance(officials, OfficialTable)
    assert [n.sheet for n in officials.read_notes] == ["Cán bộ"] * 3
    report = engine.evaluate(officials, units, date(2025, 12, 31))
    said_in(list(report.notes), f"{book}, {SHEET[lang]}: ", lang)
    assert [n.message for n in report.notices if n.kind == "input"] == list(report.notes[:3])
    assert list(report.notes) == json.loads(evaluate(str(book), "--format", "json", "--lang", lang)[0])["notes"][1:]


def test_records_given_otherwise_carry_none(tmp_path: Path) -> None:
    """Records in memory, or read by ``load_officials`` (a tuple), bring no notes to a report."""
    book = workbook(tmp_path / "ds.xlsx")
    engine = Engine()
    units = load_units(book)
    with pytest.warns(InputNote):
        officials = load_officials(book, units={u.code: u for u in units})
    by_file = engine.evaluate(officials, units, date(2025, 12, 31))
    rows = [{"id": o.id, "full_name": o.full_name, "gender": o.gender, "birth_date": o.birth_date, "unit": o.unit,
             "position": o.position, "education": o.education, "political_theory": o.political_theory}
            for o in officials]
    in_memory = read_officials(rows, units={u.code: u for u in units})
    assert isinstance(in_memory, OfficialTable) and in_memory.read_notes == ()
    for report in (by_file, engine.evaluate(in_memory, units, date(2025, 12, 31))):
        assert not any(str(book) in n for n in report.notes), report.notes
        assert not any(n.kind == "input" for n in report.notices)


def _job(task: str, fmt: str, uploads: tuple[tuple[str, str, bytes], ...], lang: str = "vi",
         **options: object) -> bytes:
    job = Job(date(2025, 12, 31), (), (), lang, fmt, False, "Hà Nội", False, uploads=uploads, task=task,
              options=tuple(options.items()), ui_lang="vi" if lang == "en" else "en")
    answer = run_job(job)
    assert isinstance(answer, Answer), answer
    return answer.body


def test_the_service_says_them_as_the_command_line_does_naming_the_files_as_uploaded(tmp_path: Path) -> None:
    """A workbook uploaded alone, and CSV files: the answer is the command line's bytes (the files named as
    uploaded, as the command line names them in their folder, not where the worker wrote them), in the report's
    language whatever the request's."""
    book = workbook(tmp_path / "ds.xlsx")
    for lang in ("vi", "en"):
        answer = _job("evaluate", "json", (("officials", "ds.xlsx", book.read_bytes()),), lang)
        assert answer == evaluate("ds.xlsx", "--format", "json", "--lang", lang, cwd=tmp_path)[0]
        said_in(json.loads(answer)["notes"], f"ds.xlsx, {SHEET[lang]}: ", lang)
    folder = csv_folder(tmp_path / "data")
    uploads = tuple((name, f"{name}.csv", (folder / f"{name}.csv").read_bytes()) for name in ("officials", "units"))
    answer = _job("evaluate", "json", uploads)
    assert answer == evaluate(".", "--format", "json", "--lang", "vi", cwd=folder)[0]
    said_in(json.loads(answer)["notes"], "officials.csv: ", "vi", hidden=False, source="officials")


def test_match_project_and_explain_say_them_first(tmp_path: Path) -> None:
    """The other jobs made from the files say how they were read, first among their notes, as their service routes
    do."""
    book = workbook(tmp_path / "ds.xlsx")
    uploads = (("officials", "ds.xlsx", book.read_bytes()),)
    for task, args, options in (
            ("match", [], {"top": 3}),
            ("project", ["--to", "2027-12-31"], {"to": date(2027, 12, 31), "step": "year"}),
            ("explain", ["--unit", "00322"], {"unit": "00322"}),
            ("explain", ["--official", "Cán bộ:2"], {"official": "Cán bộ:2"})):
        code, out, err = command(task, "ds.xlsx", *args, "--as-of", AS_OF, "--format", "json", "--lang", "en",
                                 cwd=tmp_path)
        assert code in (0, 1), err
        said_in(json.loads(out)["notes"][:3], "ds.xlsx, sheet 'Cán bộ': ", "en")
        assert _job(task, "json", uploads, "en", **options) == out, task
