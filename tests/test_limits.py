"""Issue 18, bounded everything: each limit of _limits.py refuses a hostile input quickly, with a located
message that names the limit (and the environment variable that raises it, where data could need more);
XLSX formulas without a stored value are refused rather than read as empty."""

from __future__ import annotations

import json
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules import InputError
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules._limits import MAX_DNF_TERMS
from cadre_rules.io._tables import _Problems
from cadre_rules.io._workbook import _longest_text
from test_cli import PACK

HEADER = ["id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"]
ROW = ["A1", "Nguyễn Văn A", "male", "1975-03-01", "X01", "party_secretary", "university", "advanced"]


def problems(path: Path, load: object = load_officials) -> list[str]:
    with pytest.raises(InputError) as info:
        load(path)  # type: ignore[operator]
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- CSV and JSON


def test_a_huge_csv_line_is_refused_after_a_megabyte_not_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    with path.open("wb") as handle:
        handle.write((",".join(HEADER) + "\n" + ",".join(ROW) + "\n").encode())
        handle.write(b"A2," + b"x" * (32 << 20) + b"\n")
    tracemalloc.start()
    try:
        found = problems(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [f"{path}, row 3: the line exceeds the limit MAX_LINE_BYTES = 1,000,000; if the data is "
                     "legitimate, raise it with the environment variable CADRE_RULES_MAX_LINE_BYTES"]
    assert peak < 8 << 20  # bytes: the 32 MiB line was never held


def test_a_huge_json_string_is_refused_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    with path.open("wb") as handle:  # minified JSON: one line, so the line limit does not apply
        handle.write(b'[{"id": "A1", "full_name": "' + b"n" * (32 << 20) + b'"}]')
    tracemalloc.start()
    try:
        found = problems(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [f"{path}: a JSON string or value exceeds the limit MAX_CELL_CHARS = 100,000; if the data is "
                     "legitimate, raise it with the environment variable CADRE_RULES_MAX_CELL_CHARS"]
    assert peak < 8 << 20


def test_a_long_cell_is_located(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text(",".join([*HEADER, "note"]) + "\n" + ",".join([*ROW, "y" * 100_001]) + "\n", encoding="utf-8")
    (found,) = problems(path)
    assert found.startswith(f"{path}, row 2, note: the cell (100,001) exceeds the limit MAX_CELL_CHARS = 100,000; "
                            "if the data is legitimate, raise it with the environment variable "
                            "CADRE_RULES_MAX_CELL_CHARS")


def test_a_cell_beyond_the_csv_field_limit_is_refused_by_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(ROW) + "\n" + "A2," + "z" * 500_000 + "\n", encoding="utf-8")
    assert problems(path) == [f"{path}, row 3: a cell exceeds the limit MAX_CELL_CHARS = 100,000; if the data is "
                              "legitimate, raise it with the environment variable CADRE_RULES_MAX_CELL_CHARS"]


def test_a_long_json_value_is_located_by_pointer(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    record = dict(zip(HEADER, ROW, strict=True))
    record["full_name"] = "n" * 100_001
    path.write_text(json.dumps([record]), encoding="utf-8")
    found = problems(path)
    assert any(p.startswith(f"{path}, /0/full_name: the cell (100,001) exceeds the limit MAX_CELL_CHARS")
               for p in found), found


def test_the_limits_can_be_raised_or_lowered_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "officials.csv"
    rows = [",".join([f"A{i}", *ROW[1:]]) for i in range(6)]
    path.write_text(",".join(HEADER) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "5")
    assert "exceeds the limit MAX_ROWS = 5" in problems(path)[0]
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "many")
    with pytest.raises(InputError, match="CADRE_RULES_MAX_ROWS: expected a positive number"):
        load_officials(path)
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "6")
    assert len(load_officials(path)) == 6


# --------------------------------------------------------------------------- XLSX


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, member: str, change: object) -> None:
    """Rewrite one member of the zip (``change``: bytes, or a function of the old bytes)."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    names = [info.filename for info, _ in items]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info.filename, change(data) if callable(change) and info.filename == member  # type: ignore[operator]
                         else data)
        if member not in names:
            new.writestr(member, change)  # type: ignore[arg-type]


UNIT_HEADER = ["code", "name", "kind", "class", "district", "has_council"]


def test_a_formula_without_a_stored_value_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, ["X01", "Xã Một", "commune", 1, "Huyện A", "=TRUE()"]])
    assert problems(path, load_units) == [
        f"{path}, row 2, has_council: a formula without a stored value (open the workbook in Excel or LibreOffice "
        "and save it, so that its values are calculated) (got '=TRUE()')"]


def test_a_formula_with_its_stored_value_is_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, ["X01", "Xã Một", "commune", 1, "Huyện A", "=FALSE()"]])
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda xml: xml.replace(b'<c r="F2"><f>FALSE()</f><v /></c>', b'<c r="F2" t="b"><f>FALSE()</f><v>0</v></c>'))
    (unit,) = load_units(path)
    assert unit.has_council is False


def test_a_shared_strings_bomb_is_refused_before_openpyxl_parses_it(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, ["X01", "Xã Một", "commune", 1, "Huyện A", "true"]])
    bomb = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t/></si>" * 1_200_000 \
        + b"</sst>"
    _rewrite(path, "xl/sharedStrings.xml", bomb)
    _rewrite(path, "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    _rewrite(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    assert path.stat().st_size < 1 << 20  # (openpyxl took 5.5 s per million entries to read them, then accepted)
    started = time.monotonic()
    found = problems(path, load_units)
    assert time.monotonic() - started < 10
    assert found == [f"{path}: the shared-strings table exceeds the limit MAX_SHARED_STRINGS = 1,000,000; if the "
                     "data is legitimate, raise it with the environment variable CADRE_RULES_MAX_SHARED_STRINGS"]


def test_a_huge_cell_in_a_small_workbook_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, ["X01", "Xã Một", "commune", 1, "Huyện A", "true"]])
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda xml: xml.replace("<t>Xã Một</t>".encode(), b"<t>" + b"m" * (16 << 20) + b"</t>"))
    assert path.stat().st_size < 1 << 20
    assert re.fullmatch(r".*: a cell's text exceeds the limit MAX_CELL_CHARS = 100,000; .*", problems(path, load_units)[0])


def test_the_uncompressed_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, ["X01", "Xã Một", "commune", 1, "Huyện A", "true"]])
    monkeypatch.setenv("CADRE_RULES_MAX_XLSX_BYTES", "4000")
    assert "the uncompressed workbook exceeds the limit MAX_XLSX_BYTES = 4,000" in problems(path, load_units)[0]


# --------------------------------------------------------------------------- packs


def _pack(tmp_path: Path, old: str, new: str) -> Path:
    text = PACK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pack.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_format_width_bomb_is_refused_by_packs_validate(tmp_path: Path) -> None:
    text = PACK.read_text(encoding="utf-8")
    message = re.search(r'message = \{ vi = "([^"]*)"', text)
    assert message is not None
    path = _pack(tmp_path, message.group(0), 'message = { vi = "{id:>200000000}"')
    result = CliRunner().invoke(cli, ["packs", "validate", str(path)])
    assert result.exit_code == 2
    assert re.search(r"rule\[\d+\] \([\w.]+\)\.message\.vi: format spec \{id:>200000000\}: a width or precision "
                     r"above the limit MAX_FORMAT_WIDTH = 200", result.stderr), result.stderr


def test_a_condition_too_large_for_the_engine_is_refused_with_its_rule_key(tmp_path: Path) -> None:
    text = PACK.read_text(encoding="utf-8")
    when = re.search(r'^when = "[^"\n]*"$', text, re.MULTILINE)
    assert when is not None
    clause = "(gender == 'male' or education == 'university')"
    path = _pack(tmp_path, when.group(0), f'when = "{" and ".join([clause] * 15)}"')
    result = CliRunner().invoke(cli, ["packs", "validate", str(path)])
    assert result.exit_code == 2
    assert re.search(rf"rule\[\d+\] \([\w.]+\)\.when: the condition has 32,768 terms in disjunctive normal form, "
                     rf"more than the limit MAX_DNF_TERMS = {MAX_DNF_TERMS:,}", result.stderr), result.stderr
    small = _pack(tmp_path, when.group(0), f'when = "{" and ".join([clause] * 3)}"')
    checked = CliRunner().invoke(cli, ["packs", "validate", str(small)])
    assert checked.exit_code == 0, checked.output


@given(st.lists(st.lists(st.sampled_from([b"<", b"a", b"aaaa", b"a" * 9]), max_size=40).map(b"".join),
                min_size=1, max_size=5), st.integers(1, 12))
def test_the_fast_text_length_check_agrees_with_measuring(chunks: list[bytes], max_text: int) -> None:
    """_longest_text (blocks searched in C, split only when needed) refuses exactly the texts a naive
    measurement over all the chunks finds longer than the limit."""
    longest = max(map(len, b"".join(chunks).split(b"<")))
    problems = _Problems("x.xlsx")
    run = 0
    try:
        for chunk in chunks:
            run = _longest_text(run, chunk, max_text, problems)
    except InputError:
        assert longest > max_text
    else:
        assert longest <= max_text


def test_the_rows_of_a_sheet_are_counted_before_openpyxl_reads_them(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[f"X{i:02d}", "Xã", "commune", 1, "Huyện A", "true"] for i in range(10)]
    path = _workbook(tmp_path / "units.xlsx", [UNIT_HEADER, *rows])
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "8")
    assert problems(path, load_units) == [
        f"{path}: the number of rows of a sheet exceeds the limit MAX_ROWS = 8; if the data is legitimate, raise "
        "it with the environment variable CADRE_RULES_MAX_ROWS"]
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "10")
    assert len(load_units(path)) == 10
