"""Tests of cadre_rules.io._io: reading officials and units (DESIGN.md §3), writing CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import unicodedata
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules.errors import InputError
from cadre_rules.errors import InputNote
from cadre_rules.errors import Problem
from cadre_rules.io import _io
from cadre_rules.io._csv import lines as _lines
from cadre_rules.io._io import MAX_FILE_PROBLEMS
from cadre_rules.io._io import OFFICIAL_COLUMNS
from cadre_rules.io._io import UNIT_COLUMNS
from cadre_rules.io._io import file_sha256
from cadre_rules.io._io import find_data_files
from cadre_rules.io._io import load_officials
from cadre_rules.io._io import load_units
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row
from cadre_rules.io._io import write_csv
from cadre_rules.io._tables import _UNITS
from cadre_rules.io._tables import _Problems
from cadre_rules.io._tables import _read_table
from cadre_rules.model._codes import CATEGORY
from cadre_rules.model._codes import DISCIPLINE
from cadre_rules.model._codes import EDUCATION
from cadre_rules.model._codes import GENDER
from cadre_rules.model._codes import GENERAL_EDUCATION
from cadre_rules.model._codes import POLITICAL_THEORY
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import RATING
from cadre_rules.model._model import Official
from cadre_rules.model._model import Unit
from cadre_rules.model._values import VNI_SPELLING

DATA = Path(__file__).parent / "data" / "io"

EXPECTED_OFFICIALS = (
    Official(
        id="HN001", full_name="Nguyễn Văn An", gender="male", birth_date=date(1970, 5, 12), unit="X01",
        position="party_secretary", education="university", political_theory="advanced",
        concurrent_positions=("council_chair",), standing_committee=True, general_education="upper_secondary",
        field_of_study="Luật", appointed_on=date(2020, 10, 1), in_planning=False,
        ratings=((2021, "completed"), (2022, "good")), low_confidence_share=Fraction(1, 20), is_local=True,
        extra={"ghi chú": "trưởng thôn cũ"},
    ),
    Official(
        id="HN002", full_name="Trần Thị Bình", gender="female", birth_date=date(1985, 8, 15), unit="X01",
        position="committee_chair", education="master", political_theory="advanced", category="cadre",
        standing_committee=True, general_education="upper_secondary", appointed_on=date(2021, 6, 15),
        in_planning=True, ratings=((2021, "excellent"), (2022, "good"), (2023, "excellent")),
        discipline=((date(2023, 5, 1), "reprimand"),), low_confidence_share=Fraction(1, 10),
    ),
    Official(
        id="HN003", full_name="Lê Văn Cường", gender="male", birth_date=date(1990, 1, 1), unit="P02",
        position="office_statistics", education="college", political_theory="elementary",
        standing_committee=False, field_of_study="Kế toán", in_planning=True,
        discipline=((date(2020, 2, 1), "reprimand"), (date(2022, 3, 4), "warning")),
        low_confidence_share=Fraction(0), secondment_since=date(2024, 1, 15), is_local=False,
    ),
)

EXPECTED_UNITS = (
    Unit("X01", "Xã An Khánh", "commune", 1, "Hoài Đức", True),
    Unit("P02", "Phường Bạch Mai", "ward", 2, "Hai Bà Trưng", False),
    Unit("T03", "Thị trấn Tây Đằng", "town", 3, None, True),
)

# A valid officials row with only the required columns, to which tests add or change cells.
BASE = {
    "id": "A1", "full_name": "Phạm Thị Dung", "gender": "female", "birth_date": "1980-01-02", "unit": "X01",
    "position": "culture_social", "education": "university", "political_theory": "intermediate",
}


def write_rows(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    write_csv(path, rows, columns)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.create_sheet("ignored").append(["not", "read"])
    workbook.save(path)
    return path


def problems_of(path: Path, **kwargs: Any) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        load_officials(path, **kwargs)
    return caught.value.problems


# --------------------------------------------------------------------------- formats


def officials_xlsx(path: Path) -> Path:
    header = [*OFFICIAL_COLUMNS[:OFFICIAL_COLUMNS.index("is_local") + 1], "ghi chú"]  # (not the end dates)
    rows: list[list[object]] = [
        ["HN001", "Nguyễn Văn An", "male", datetime(1970, 5, 12), "X01", "party_secretary", "council_chair",
         None, True, "upper_secondary", "university", "Luật", "advanced", date(2020, 10, 1), False,
         "2022:good;2021:completed", None, 0.05, False, None, True, "trưởng thôn cũ"],
        ["HN002", "Trần Thị Bình", "Nữ", "15/08/1985", "X01", "Chủ tịch UBND", None, "cadre", "có", "THPT",
         "thạc sĩ", None, "Cao cấp", datetime(2021, 6, 15), "yes", "2023:excellent;2021:HTXSNV;2022:HTTNV",
         "2023-05-01:khiển trách", 0.1, "no"],
        [],  # an empty row is skipped
        ["HN003", "Lê Văn Cường", "male", 1990, "P02", "office_statistics", None, None, 0, None, "college",
         "Kế toán", "elementary", None, 1, None, "2022-03-04:warning;01/02/2020:reprimand", 0, None,
         datetime(2024, 1, 15), False, None],
    ]
    return write_xlsx(path, [header, *rows])


@pytest.mark.parametrize("name", ["officials.csv", "officials.json", "officials.jsonl", "officials.xlsx"])
def test_every_format_reads_the_same_officials(name: str, tmp_path: Path) -> None:
    path = officials_xlsx(tmp_path / name) if name.endswith(".xlsx") else DATA / name
    with pytest.warns(InputNote, match=r"birth_date: 1 date\(s\) given as a year only \(first: '1990'"):  # (HN003's birth year)
        assert load_officials(path) == EXPECTED_OFFICIALS


@pytest.mark.parametrize("name", ["units.csv", "units.json", "units.xlsx"])
def test_every_format_reads_the_same_units(name: str, tmp_path: Path) -> None:
    if name.endswith(".xlsx"):
        path = write_xlsx(tmp_path / name, [
            ["Mã", "Tên", "Loại", "Hạng", "Huyện", "has_council"],
            ["X01", "Xã An Khánh", "xã", 1, "Hoài Đức", True],
            ["P02", "Phường Bạch Mai", "Phường", 2.0, "Hai Bà Trưng", "không"],
            ["T03", "Thị trấn Tây Đằng", "town", "III"],
        ])
    else:
        path = DATA / name
    assert load_units(path) == EXPECTED_UNITS


def test_known_units_are_checked(tmp_path: Path) -> None:
    units = {u.code: u for u in EXPECTED_UNITS}
    with pytest.warns(InputNote, match=r"birth_date: 1 date\(s\) given as a year only \(first: '1990'"):
        assert load_officials(DATA / "officials.csv", units=units) == EXPECTED_OFFICIALS
    path = write_rows(tmp_path / "officials.csv", [BASE, {**BASE, "id": "A2", "unit": "Z99"}])
    assert problems_of(path, units=units) == (
        Problem(str(path), "unknown unit code", row=3, column="unit", value="Z99"),
    )


def test_only_required_columns_give_the_model_defaults(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "officials.csv", [BASE])
    expected = Official(
        id="A1", full_name="Phạm Thị Dung", gender="female", birth_date=date(1980, 1, 2), unit="X01",
        position="culture_social", education="university", political_theory="intermediate",
    )
    assert load_officials(path) == (expected,)
    assert load_officials(path)[0].category == "civil_servant"


def test_empty_optional_cells_give_the_model_defaults(tmp_path: Path) -> None:
    empty = dict.fromkeys((c for c in OFFICIAL_COLUMNS if c not in BASE), " ")
    rows = [{**BASE, **empty}, {**BASE, **empty, "id": "A2", "position": "other"}]
    first, second = load_officials(write_rows(tmp_path / "officials.csv", rows))
    required: dict[str, Any] = {**BASE, "birth_date": date(1980, 1, 2)}
    assert first == Official(**required)
    assert first.category == "civil_servant"
    assert second.category is None


def test_xlsx_problems_carry_the_spreadsheet_row(tmp_path: Path) -> None:
    good: list[object] = list(BASE.values())
    bad = ["A2", *good[1:3], datetime(1980, 1, 2, 12, 30), *good[4:]]
    path = write_xlsx(tmp_path / "officials.xlsx", [list(BASE), good, [], [None] * 8, bad, good])
    assert problems_of(path) == (
        Problem(str(path), "not a date: expected YYYY-MM-DD, DD/MM/YYYY, MM/YYYY or YYYY, got '1980-01-02 12:30:00'",
                5, "birth_date", "1980-01-02 12:30:00", sheet="Sheet"),
        Problem(str(path), "the same id as row 2, and every other cell the same: a row typed twice? delete one of "
                "them", 6, "id", "A1", sheet="Sheet"),
    )  # (the workbook has two sheets: the one of officials is named in each problem)


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "officials.csv").read_bytes())
    with pytest.warns(InputNote, match=r"birth_date: 1 date\(s\) given as a year only \(first: '1990'"):
        assert load_officials(path) == EXPECTED_OFFICIALS


def test_vietnamese_headers_and_labels_in_any_case_and_nfd(tmp_path: Path) -> None:
    rows = [
        ["id", "HỌ VÀ TÊN", "giới TÍNH", "Ngày Sinh", "ĐƠN VỊ", "chức vụ", "Trình Độ Chuyên Môn",
         "LÝ LUẬN CHÍNH TRỊ", "standing committee", " Ghi chú "],
        ["A1", "Phạm Thị Dung", "NỮ", "02/01/1980", "X01", "chủ tịch ubnd", "ĐẠI HỌC", "TRUNG CẤP", "KHÔNG",
         "Có con nhỏ"],
    ]
    path = tmp_path / "officials.csv"
    text = "\n".join(",".join(row) for row in rows)
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    (official,) = load_officials(path)
    assert official == Official(
        id="A1", full_name="Phạm Thị Dung", gender="female", birth_date=date(1980, 1, 2), unit="X01",
        position="committee_chair", education="university", political_theory="intermediate",
        standing_committee=False, extra={"Ghi chú": "Có con nhỏ"},
    )
    assert unicodedata.is_normalized("NFC", official.full_name)


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_number(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    header = ",".join(BASE)
    good = ",".join(BASE.values())
    bad = good.replace("A1", "A2").replace("female", "robot")
    path.write_text(f"{header}\n\n,,,,,, ,\n{good}\n{bad}\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 5, "gender", "robot")


# --------------------------------------------------------------------------- bad values

BAD_OFFICIAL_VALUES = [
    ("id", "", "required value is missing"),
    ("full_name", "  ", "required value is missing"),
    ("gender", "robot", "unknown gender"),
    ("birth_date", "31/02/2023", "impossible date"),
    ("birth_date", "1980-1-2", "not a date"),
    ("birth_date", "1850", "year out of range"),
    ("position", "Chủ tịch nước", "unknown position"),
    ("concurrent_positions", "council_chair;mayor", "'mayor': unknown position"),
    ("category", "worker", "unknown category"),
    ("standing_committee", "maybe", "not a boolean"),
    ("general_education", "college", "unknown general_education"),
    ("education", "genius", "unknown education"),
    ("political_theory", "expert", "unknown political_theory"),
    ("appointed_on", "yesterday", "not a date"),
    ("secondment_since", "2023-13-01", "impossible date"),
    ("in_planning", "2", "not a boolean"),
    ("is_local", "true-ish", "not a boolean"),
    ("ratings", "2022:great", "unknown rating"),
    ("ratings", "1899:good", "the year must be between 1900 and 2100"),
    ("ratings", "22:good", "the year must be between 1900 and 2100"),
    ("ratings", "2022-good", "is not YEAR:rating"),
    ("ratings", "2022:good;2022:HTNV", "year 2022 is rated twice"),
    ("discipline", "2023-05-01:fine", "unknown discipline"),
    ("discipline", "2023-02-30:warning", "impossible date"),
    ("discipline", "warning", "is not DATE:form"),
    ("low_confidence_share", "nan", "not a decimal number"),
    ("low_confidence_share", "inf", "not a decimal number"),
    ("low_confidence_share", "-0.1", "not a decimal number"),
    ("low_confidence_share", "1e-3", "not a decimal number"),
    ("low_confidence_share", "1.5", "must be between 0 and 1"),
    ("low_confidence_share", "0.1234567", "more than 6 decimal places"),
    ("low_confidence_share", "%12", "not a decimal number"),
    ("low_confidence_share", "120%", "must be between 0 and 1"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_OFFICIAL_VALUES)
def test_bad_official_value_is_located(column: str, value: str, reason: str, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "officials.csv", [{**BASE, "id": "A0"}, {**BASE, column: value}])
    (problem,) = problems_of(path)
    shown = None if reason == "required value is missing" else value  # (an empty cell: no "(got '')")
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 3, column, shown)
    assert reason in problem.reason


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [("code", "", "required value is missing"), ("name", "", "required value is missing"),
     ("kind", "hamlet", "unknown unit kind"), ("class", "4", "not a unit class"),
     ("class", "loại IV", "not a unit class"), ("has_council", "sometimes", "not a boolean")],
)
def test_bad_unit_value_is_located(column: str, value: str, reason: str, tmp_path: Path) -> None:
    row = {"code": "X01", "name": "Xã A", "kind": "commune", "class": "1"}
    path = write_rows(tmp_path / "units.csv", [row, {**row, "code": "X02", column: value}])
    with pytest.raises(InputError) as caught:
        load_units(path)
    (problem,) = caught.value.problems
    shown = None if reason == "required value is missing" else value  # (an empty cell: no "(got '')")
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 3, column, shown)
    assert reason in problem.reason


def test_all_problems_of_a_file_at_once_in_file_order(tmp_path: Path) -> None:
    rows = [
        {**BASE, "id": "A1", "ratings": "2022:?"},
        {**BASE, "id": "A2"},
        {**BASE, "id": "A3", "birth_date": "1980-02-30", "gender": "x"},
        {**BASE, "id": "A4", "education": "phd?"},
    ]
    path = write_rows(tmp_path / "officials.csv", rows)
    found = [(p.row, p.column, p.value) for p in problems_of(path)]
    assert found == [(2, "ratings", "2022:?"), (4, "gender", "x"), (4, "birth_date", "1980-02-30"),
                     (5, "education", "phd?")]


def test_duplicate_id_names_the_first_row(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "officials.csv", [BASE, {**BASE, "id": "B"}, {**BASE, "id": " A1 ", "gender": "nữ"}])
    assert problems_of(path) == (
        Problem(str(path), "duplicate id (first seen in row 2)", row=4, column="id", value=" A1 "),
    )
    # the same row again (a row pasted twice): said so
    path = write_rows(tmp_path / "officials.csv", [BASE, {**BASE, "id": "B"}, {**BASE, "id": " A1 "}])
    assert problems_of(path) == (
        Problem(str(path), "the same id as row 2, and every other cell the same: a row typed twice? delete one of "
                "them", row=4, column="id", value=" A1 "),
    )


def test_missing_columns_are_reported_and_nothing_else(tmp_path: Path) -> None:
    rows = [{k: v for k, v in BASE.items() if k not in ("gender", "unit")} | {"birth_date": "bad"}]
    path = write_rows(tmp_path / "officials.csv", rows)
    assert problems_of(path) == (
        Problem(str(path), "missing required column", column="gender"),
        Problem(str(path), "missing required column", column="unit"),
    )


def test_duplicate_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text(",".join([*BASE, "Họ tên"]) + "\n" + ",".join([*BASE.values(), "X"]) + "\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (None, "full_name")
    assert "duplicate column" in problem.reason


def test_a_row_with_more_cells_than_headers(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text(",".join(BASE) + "\n" + ",".join(BASE.values()) + ",surplus\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert (problem.row, problem.column, problem.value) == (2, None, "surplus")


def test_trailing_empty_cells_and_blank_headers_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text(",".join(BASE) + ",\n" + ",".join(BASE.values()) + ",,,\n", encoding="utf-8")
    assert len(load_officials(path)) == 1


def test_problems_stop_at_the_limit(tmp_path: Path) -> None:
    rows = [{**BASE, "id": f"A{i}", "gender": "?"} for i in range(MAX_FILE_PROBLEMS + 5)]
    problems = problems_of(write_rows(tmp_path / "officials.csv", rows))
    assert len(problems) == MAX_FILE_PROBLEMS + 1
    assert [p.row for p in problems[:MAX_FILE_PROBLEMS]] == list(range(2, MAX_FILE_PROBLEMS + 2))
    assert problems[-1].row is None
    assert "only the first 1000" in problems[-1].reason


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("officials.txt", b"", "unknown file type '.txt'"),
    ("officials", b"", "unknown file type '(none)'"),
    ("officials.csv", b"", "the file is empty"),
    ("officials.csv", b"id\x81\n", "not UTF-8 text"),  # (0x81 is not Windows-1258 either)
    ("officials.json", b"[{]", "invalid JSON"),
    ("officials.json", b'{"id": "A1"}', "expected a JSON list of objects"),
    ("officials.xlsx", b"not a zip", "cannot read the XLSX workbook"),
])
def test_unreadable_files(name: str, content: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (problem,) = problems_of(path)
    assert problem.file == str(path)
    assert reason in problem.reason


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "nowhere.csv")
    assert "cannot read the file" in problem.reason


# --------------------------------------------------------------------------- JSON locations


def test_json_problems_carry_json_pointers(tmp_path: Path) -> None:
    data = [
        {**BASE, "id": "A1"},
        {k: v for k, v in BASE.items() if k != "birth_date"} | {"id": "A2", "Ngày sinh": "31/02/1980"},
        "not an object",
        {**BASE, "id": "A1", "ratings": ["2022:good"], "a/b~c": {"x": 1}, "gender": None, " ": "?"},
        {k: v for k, v in BASE.items() if k != "education"} | {"id": "A4"},
    ]
    path = tmp_path / "officials.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [(p.row, p.column, p.value) for p in problems_of(path)] == [
        (None, "/1/Ngày sinh", "31/02/1980"),
        (None, "/2", None),
        (None, "/3/ ", "?"),
        (None, "/3/ratings", '["2022:good"]'),
        (None, "/3/a~1b~0c", '{"x": 1}'),
        (None, "/3/gender", None),  # (a missing value: no "(got '')")
        (None, "/3/id", "A1"),
        (None, "/4/education", None),
    ]
    reasons = [p.reason for p in problems_of(path)]
    assert reasons[2] == "value under an empty key"
    assert reasons[3] == reasons[4] == "expected text, a number or a boolean"
    assert reasons[5] == "required value is missing"
    assert reasons[6] == "duplicate id (first seen in /0)"


def test_a_list_under_a_required_key_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    path.write_text(json.dumps([{**BASE, "education": ["university"]}]), encoding="utf-8")
    assert problems_of(path) == (
        Problem(str(path), "expected text, a number or a boolean", None, "/0/education", '["university"]'),
    )


def test_json_numbers_are_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    path.write_text(json.dumps([{**BASE, "low_confidence_share": 0.123456, "id": 7}]), encoding="utf-8")
    (official,) = load_officials(path)
    assert official.low_confidence_share == Fraction(123456, 10**6)
    assert official.id == "7"


def test_jsonl_problems_carry_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "officials.jsonl"
    lines = [json.dumps(BASE), "", json.dumps({**BASE, "id": "A2", "Giới tính": "x", "gender": None}), "{oops", "[]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(p.row, p.column, p.value) for p in problems_of(path)]
    assert found == [(3, "gender", "x"), (3, "gender", None), (4, None, None), (5, None, None)]
    reasons = [p.reason for p in problems_of(path)]
    assert "duplicate column" in reasons[0]
    assert reasons[1] == "required value is missing"
    assert "invalid JSON" in reasons[2]
    assert "expected a JSON object" in reasons[3]


def test_empty_json_list_has_no_officials(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    path.write_text("[]", encoding="utf-8")
    assert load_officials(path) == ()


# --------------------------------------------------------------------------- writing and files


def test_write_csv_is_deterministic_utf8_with_newlines(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, [{"a": "x,y", "b": 'say "hi"'}, {"b": "line\rbreak\nhere"}], ["a", "b"])
    assert path.read_bytes() == b'a,b\n"x,y","say ""hi"""\n,"line\rbreak\nhere"\n'
    with pytest.raises(ValueError, match="missing from `columns`"):
        write_csv(path, [{"a": "1", "c": "2"}], ["a", "b"])


def test_official_to_row_format() -> None:
    row = official_to_row(EXPECTED_OFFICIALS[1])
    assert list(row)[: len(OFFICIAL_COLUMNS)] == list(OFFICIAL_COLUMNS)
    assert row["ratings"] == "2021:excellent;2022:good;2023:excellent"
    assert row["discipline"] == "2023-05-01:reprimand"
    assert row["birth_date"] == "1985-08-15"
    assert (row["low_confidence_share"], row["is_local"], row["field_of_study"]) == ("0.1", "", "")
    assert (row["in_planning"], row["under_investigation"]) == ("true", "false")
    assert official_to_row(EXPECTED_OFFICIALS[0])["ghi chú"] == "trưởng thôn cũ"


def test_official_to_row_rejects_what_cannot_be_read_back() -> None:
    with pytest.raises(ValueError, match="decimal"):
        official_to_row(attrs.evolve(EXPECTED_OFFICIALS[0], low_confidence_share=Fraction(1, 3)))
    with pytest.raises(ValueError, match="read back as the column 'full_name'"):
        official_to_row(attrs.evolve(EXPECTED_OFFICIALS[0], extra={"Họ tên": "x"}))
    with pytest.raises(ValueError, match="blank name"):
        official_to_row(attrs.evolve(EXPECTED_OFFICIALS[0], extra={" ": "x"}))


def test_units_round_trip(tmp_path: Path) -> None:
    units = (*EXPECTED_UNITS, Unit("X9", 'Xã, "B"', "commune", 2, None, False, {"note": "n"}))
    path = write_rows(tmp_path / "units.csv", [unit_to_row(u) for u in units])
    assert load_units(path) == units
    assert list(unit_to_row(units[0])) == list(UNIT_COLUMNS)


def test_find_data_files(tmp_path: Path) -> None:
    shutil.copy(DATA / "officials.csv", tmp_path / "officials.csv")
    shutil.copy(DATA / "units.json", tmp_path / "Units.JSON")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert find_data_files(tmp_path) == (tmp_path / "officials.csv", tmp_path / "Units.JSON")
    shutil.copy(DATA / "officials.json", tmp_path / "officials.json")
    (tmp_path / "Units.JSON").unlink()
    with pytest.raises(InputError) as caught:
        find_data_files(tmp_path)
    assert [p.reason for p in caught.value.problems] == [
        "more than one officials file: officials.csv, officials.json",
        "no units file (units.csv, .xlsx, .json or .jsonl)",
    ]
    with pytest.raises(InputError):
        find_data_files(tmp_path / "missing")


def test_file_sha256_hashes_the_files_in_order() -> None:
    first, second = DATA / "officials.csv", DATA / "units.csv"
    expected = hashlib.sha256(first.read_bytes() + second.read_bytes()).hexdigest()
    assert file_sha256(first, second) == expected
    assert file_sha256(second, first) != expected


# --------------------------------------------------------------------------- round trip (property)

_LETTERS = "abcdefghijklmnopqrstuvwxyzĐđăâêôơưáàảãạếềểễệốồổỗộứừửữựýỳỷỹỵABCXYZ0123456789"
_TEXT_ALPHABET = _LETTERS + ' ,;:"\'-\n'


def _text(alphabet: str, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31))
_CODE = _text(_LETTERS)
_TEXT = _text(_TEXT_ALPHABET, 30)
#: A name or a field of study as the readers give it back: spaces tidied (one space, no line break inside); none
#: spelled as VNI spells (random letters may be: "Aà"), which the readers refuse.
_NAME = _TEXT.map(lambda text: " ".join(text.split())).filter(lambda text: VNI_SPELLING.search(text) is None)
def _official(fields: dict[str, Any]) -> Official:
    for later in ("appointed_on", "secondment_since"):  # never before birth: the readers refuse that
        if fields[later] is not None and fields[later] < fields["birth_date"]:
            fields[later] = fields["birth_date"]
    return Official(**fields)


OFFICIALS = st.fixed_dictionaries({
    "id": _CODE,
    "full_name": _NAME,
    "gender": st.sampled_from(GENDER.codes),
    "birth_date": _DATES,
    "unit": _CODE,
    "position": st.sampled_from(POSITION.codes),
    "education": st.sampled_from(EDUCATION.codes),
    "political_theory": st.sampled_from(POLITICAL_THEORY.codes),
    "concurrent_positions": st.lists(st.sampled_from(POSITION.codes), max_size=3).map(tuple),
    "standing_committee": st.booleans(),
    "general_education": _optional(st.sampled_from(GENERAL_EDUCATION.codes)),
    "field_of_study": _optional(_NAME),
    "appointed_on": _optional(_DATES),
    "in_planning": st.booleans(),
    "ratings": st.dictionaries(st.integers(1900, 2100), st.sampled_from(RATING.codes), max_size=3).map(
        lambda ratings: tuple(sorted(ratings.items()))),
    "discipline": st.lists(st.tuples(_DATES, st.sampled_from(DISCIPLINE.codes)), max_size=3).map(
        lambda entries: tuple(sorted(entries, key=lambda e: (e[0], DISCIPLINE.rank(e[1]))))),
    "low_confidence_share": _optional(st.integers(0, 10**6).map(lambda n: Fraction(n, 10**6))),
    "under_investigation": st.booleans(),
    "secondment_since": _optional(_DATES),
    "is_local": _optional(st.booleans()),
    "extra": st.dictionaries(st.sampled_from(["ghi chú", "Note", "tổ dân phố", "x;y"]), _TEXT, max_size=2),
}, optional={"category": st.sampled_from(CATEGORY.codes)}).map(_official)


@given(st.lists(OFFICIALS, max_size=4, unique_by=lambda o: o.id))
def test_official_rows_round_trip(tmp_path_factory: pytest.TempPathFactory, records: list[Official]) -> None:
    """official_to_row -> write_csv (or JSON Lines) -> load_officials gives equal records."""
    directory = tmp_path_factory.mktemp("round-trip")
    rows = [official_to_row(o) for o in records]
    extras = sorted({key for o in records for key in o.extra})
    write_csv(directory / "officials.csv", rows, [*OFFICIAL_COLUMNS, *extras])
    assert load_officials(directory / "officials.csv") == tuple(records)
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
    (directory / "officials.jsonl").write_text("".join(lines), encoding="utf-8")
    assert load_officials(directory / "officials.jsonl") == tuple(records)


def test_a_unit_class_is_optional_and_unknown_decides_no_cap(tmp_path: Path) -> None:
    # the units formed on 2025-07-01 are not classified: no class column, or an empty cell
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,district\nX01,Xã Một,commune,\n", encoding="utf-8")
    (unit,) = load_units(path)
    assert unit.unit_class is None
    path.write_text("code,name,kind,class\nX01,Xã Một,commune,\nX02,Xã Hai,commune,2\n", encoding="utf-8")
    assert [u.unit_class for u in load_units(path)] == [None, 2]
    assert unit_to_row(unit)["class"] == ""
    from cadre_rules import Engine

    vice = [Official(f"V{i}", f"Người {i}", "male", date(1980, 1, 1), "X01", "committee_vice_chair",
                     education="university", political_theory="advanced") for i in range(4)]
    for cls, fires in ((None, False), (1, True)):
        report = Engine(["vn-nd33-2023"], backend="reference", plugins=False).evaluate(
            vice, [Unit("X01", "Xã Một", "commune", cls)], date(2024, 1, 1))
        assert any(f.rule == "staffing.vice_chair_cap" for f in report.findings) is fires, cls


# --------------------------------------------------------------------------- the CSV reader's lines


_LINE_TEXTS = st.text(alphabet=st.sampled_from(['a', 'ă', ',', '"', ';', '\r', '\n', '\u2028', '\x0b', '\x85', ' ']),
                      max_size=40)


@given(_LINE_TEXTS)
def test_the_csv_lines_are_the_lines_a_file_opened_without_newline_translation_gives(text: str) -> None:
    """The reader splits the text into lines itself (``io.StringIO`` would copy it at four bytes a character):
    the same rows as ``csv.reader(io.StringIO(text, newline=""))``, errors included."""
    def rows(lines: Any) -> Any:
        try:
            return list(csv.reader(lines))
        except csv.Error as exc:
            return str(exc)

    assert rows(_lines(text)) == rows(io.StringIO(text, newline=""))
    assert "".join(_lines(text)) == text


def test_an_id_column_with_one_bad_cell_among_many_good_ones_is_located(tmp_path: Path) -> None:
    """Ids (mostly distinct) are parsed a column at a time; an empty or refused cell still gets its row."""
    rows = [{**BASE, "id": f"X{i:04d}"} for i in range(300)]
    rows[120]["id"] = "X\u200b0120b"
    rows[250]["id"] = " "
    rows[251]["full_name"] = ""
    found = [(p.row, p.column, p.reason[:30]) for p in problems_of(write_rows(tmp_path / "officials.csv", rows))]
    assert found == [(122, "id", "contains an invisible characte"), (252, "id", "required value is missing"),
                     (253, "full_name", "required value is missing")]


def test_a_csv_column_holds_one_text_object_per_distinct_cell(tmp_path: Path) -> None:
    """(The reading's memory: 100,000 officials hold a few hundred distinct genders, dates and codes.)"""
    for quote in ("", '"'):  # split by str.split, and by the csv module
        path = tmp_path / "units.csv"
        path.write_text("code,name,kind\n" + "".join(f"{i},{quote}{'Xã' if i % 2 else 'Phường'} A{quote},xã\n"
                                                     for i in range(6)), encoding="utf-8")
        table = _read_table(str(path), _UNITS, _Problems("units.csv"))
        names = table.columns["name"]
        assert list(table.columns["code"]) == [str(i) for i in range(6)]
        assert list(names) == [("Xã" if i % 2 else "Phường") + " A" for i in range(6)]
        assert names[0] is names[2] and names[1] is names[3], quote


def test_rows_with_the_same_extra_columns_share_one_mapping(tmp_path: Path) -> None:
    """(The reading's memory: 100,000 officials of a few ethnicities hold a few mappings, not 100,000.)"""
    rows = [{**BASE, "id": f"X{i}", "Dân tộc": ["Kinh", "Tày", "Kinh", ""][i]} for i in range(4)]
    officials = load_officials(write_rows(tmp_path / "officials.csv", rows))
    assert [o.extra for o in officials] == [{"Dân tộc": "Kinh"}, {"Dân tộc": "Tày"}, {"Dân tộc": "Kinh"}, {}]
    assert officials[0].extra is officials[2].extra


# --------------------------------------------------------------------------- checks a column at a time

_POSTS = st.sampled_from([("party_secretary",), ("party_secretary", "council_chair"),
                          ("council_chair", "party_secretary", "people_committee_chair"), _io._MISSING, _io._REJECTED])
_CONCURRENT = st.sampled_from([(), ("council_chair",), ("people_committee_chair", "party_secretary"), _io._REJECTED])


@given(rows=st.lists(st.tuples(_POSTS, _CONCURRENT), max_size=10))
def test_positions_are_split_as_cell_by_cell(rows: list[tuple[Any, Any]]) -> None:
    """``_split_positions`` (each distinct cell once): the first post the position, the others joined to the
    concurrent ones (without the position, each once), a rejected cell left as it is."""
    positions, concurrent = [p for p, _ in rows], [c for _, c in rows]
    expected_positions, expected_concurrent = list(positions), list(concurrent)
    for i, posts in enumerate(positions):
        if type(posts) is tuple:
            expected_positions[i] = posts[0]
            if posts[1:] and type(concurrent[i]) is tuple:
                expected_concurrent[i] = tuple(p for p in dict.fromkeys((*posts[1:], *concurrent[i]))
                                               if p != posts[0])
    values = {"position": positions, "concurrent_positions": concurrent}
    _io._split_positions(values)
    assert (values["position"], values["concurrent_positions"]) == (expected_positions, expected_concurrent)
