"""The CSV reader's rows: a text without quotes split by ``str.split`` gives the ``csv`` module's rows, and a
file reads the same (records and located problems) whether its cells are quoted or not."""

from __future__ import annotations

import csv
import io
import itertools
import os
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules.errors import InputError
from cadre_rules.errors import Problem
from cadre_rules.io import _csv
from cadre_rules.io import _tables
from cadre_rules.io._csv import CsvRows
from cadre_rules.io._io import load_officials
from cadre_rules.io._tables import _OFFICIALS
from cadre_rules.io._tables import _UNITS
from cadre_rules.io._tables import _Problems
from cadre_rules.io._tables import _read_table
from cadre_rules.model._values import parse_identifier
from cadre_rules.model._values import parse_identifiers
from cadre_rules.model._values import parse_text
from cadre_rules.model._values import parse_texts
from test_workbook_as_kept import windows_1258

#: Texts of cells, delimiters and line ends of every kind (``\x0b``, ``\x85``, ``\u2028`` end a line for
#: ``str.splitlines`` but not for the csv module); with a quote, the ``csv`` module reads them.
_QUOTE_FREE = st.lists(st.sampled_from(["a", "ă", "bc", ",", ";", "\t", "\r", "\n", "\r\n", " ", "\x0b", "\x85",
                                         "\u2028", "'"]), max_size=40).map("".join)
_ANY = st.text(alphabet=st.sampled_from(["a", ",", ";", "\t", "\r", "\n", " ", '"']), max_size=40)


def _module_rows(text: str, delimiter: str, field_limit: int) -> tuple[list[list[str]], str | None]:
    """The csv module's rows of ``text`` (as a file opened with ``newline=""``) and its error, if any."""
    previous = csv.field_size_limit(field_limit)
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        return rows, str(exc)
    finally:
        csv.field_size_limit(previous)
    return rows, None


def _our_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[Problem]]:
    rows: list[list[str]] = []
    try:
        for batch in CsvRows(text, _OFFICIALS, _Problems("o.csv"), delimiter):
            rows += batch
    except InputError as exc:
        return rows, exc.problems
    return rows, []


@settings(max_examples=300)
@given(text=_QUOTE_FREE | _ANY, delimiter=st.sampled_from([",", ";", "\t"]), batch=st.integers(1, 12),
       max_cell=st.sampled_from([None, 1, 2]))
def test_the_rows_are_the_csv_modules(text: str, delimiter: str, batch: int, max_cell: int | None) -> None:
    """Quote-free texts (split by str.split) and others (the csv module), in batches of any size (cut at any
    line): the csv module's rows; a cell longer than its limit (4 × MAX_CELL_CHARS) is that one problem, at its
    row."""
    env = {} if max_cell is None else {"CADRE_RULES_MAX_CELL_CHARS": str(max_cell)}
    with mock.patch.dict(os.environ, env), mock.patch.object(_csv, "_SPLIT_CHARS", batch), \
            mock.patch.object(_csv, "_BATCH_ROWS", batch):
        expected, error = _module_rows(text, delimiter, 4 * (max_cell or 100_000))
        rows, problems = _our_rows(text, delimiter)
    if error is None:
        assert (rows, problems) == (expected, [])
    elif "field larger than field limit" in error:
        assert [(p.row, p.template) for p in problems] == [(len(expected) + 1, "{what} exceeds the limit {name} = "
                                                           "{bound}; if the data is legitimate, raise it with the "
                                                           "environment variable {variable}")]
    else:  # (only a text with a quote is malformed)
        assert '"' in text
        assert [p.reason for p in problems] == [f"malformed CSV in row {len(expected) + 1}: {error}"]


def test_a_text_with_a_quote_or_a_nul_is_read_by_the_csv_module() -> None:
    """(``str.split`` would keep the quotes; the csv module drops them and joins a quoted delimiter.)"""
    for text, expected in (('a,"b,c"\n', [["a", "b,c"]]), ('a,"b\nc"\n', [["a", "b\nc"]]),
                           ("a\0,b\n", [["a\0", "b"]])):
        assert _our_rows(text, ",") == (expected, [])


_HEADER = ["id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"]
_ROW = ["A1", "Nguyễn Văn An", "nam", "1980-01-02", "X01", "party_secretary", "university", "advanced"]


def _write(path: Path, rows: list[list[str]], *, quoted: bool, encoding: str = "utf-8", bom: bool = False,
           delimiter: str = ",", ends: str = "\n") -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ends,
                        quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    text = out.getvalue()
    assert ('"' in text) is quoted  # (the quote-free file takes the str.split path)
    path.parent.mkdir(exist_ok=True)
    text = ("\ufeff" if bom else "") + text
    path.write_bytes(windows_1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def _read(path: Path) -> tuple[object, list[tuple[object, ...]], list[str]]:
    """The records, the problems and the notes of a file."""
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always")
        try:
            return load_officials(path), [], [str(n.message) for n in notes]
        except InputError as exc:
            return None, [(p.file, p.row, p.column, p.value, p.reason) for p in exc.problems], []


def _table(path: Path) -> tuple[dict[str, list[str]], list[int]]:
    """A file's table: its texts by column and its rows' numbers."""
    table = _read_table(str(path), _OFFICIALS, _Problems(path.name))
    return {name: list(texts) for name, texts in table.columns.items()}, list(table.positions)


def _rows_with_problems() -> list[list[str]]:
    """Ragged rows (short, long with values, long with empty cells), empty rows, a row of empty cells, an
    unknown gender, an over-long cell, a duplicate id, a date before birth."""
    return [
        ["Danh sách cán bộ"],  # a title row above the header
        [],
        _HEADER,
        _ROW,
        ["A2", "Trần Thị Bình", "nữx", *_ROW[3:]],
        ["A3", "Lê Văn Cường", "nam", "1981-02-03", "X01", "party_secretary"],  # short: missing values
        ["A4", *_ROW[1:], "extra", "cells"],  # long
        ["A5", *_ROW[1:], "", " "],  # long, only blanks
        [],
        [""] * len(_HEADER),
        ["A6", "x" * 30, *_ROW[2:]],  # over-long with MAX_CELL_CHARS = 20
        _ROW,  # duplicate id
        ["A7", "Đỗ Hà", "nữ", "1990-05-06", "X01", "party_secretary", "university", "advanced"],
    ]


@pytest.mark.parametrize(("encoding", "bom", "delimiter", "ends"), [
    ("utf-8", False, ",", "\n"), ("utf-8", True, ";", "\r\n"), ("cp1258", False, "\t", "\r"),
    ("utf-16", False, ",", "\r\n"),
])
def test_a_quote_free_file_reads_as_the_same_file_quoted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         encoding: str, bom: bool, delimiter: str, ends: str) -> None:
    """The same problems, located the same (file, row, column, value), and the same records."""
    monkeypatch.setenv("CADRE_RULES_MAX_CELL_CHARS", "20")
    rows = _rows_with_problems()
    plain = _read(_write(tmp_path / "plain" / "officials.csv", rows, quoted=False, encoding=encoding, bom=bom,
                         delimiter=delimiter, ends=ends))
    quoted = _read(_write(tmp_path / "quoted" / "officials.csv", rows, quoted=True, encoding=encoding, bom=bom,
                          delimiter=delimiter, ends=ends))
    found = [(row, column, value) for _, row, column, value, _ in plain[1]]
    assert found == [
        (5, "gender", "nữx"), (6, "education", None), (6, "political_theory", None),  # (empty: no value shown)
        (7, None, "extra,cells"), (11, "full_name", "x" * 30), (12, "id", "A1"),
    ]
    assert [p[1:] for p in plain[1]] == [p[1:] for p in quoted[1]]
    plain_table, quoted_table = (_table(tmp_path / folder / "officials.csv") for folder in ("plain", "quoted"))
    assert plain_table == quoted_table  # the same texts by column, and the same row numbers
    assert plain_table[0]["full_name"][-1] == "Đỗ Hà"
    good = [row for row in rows if row not in (rows[4], rows[5], rows[6], rows[10], rows[11])]
    path = tmp_path / "good" / "officials.csv"
    plain = _read(_write(path, good, quoted=False, encoding=encoding, bom=bom, delimiter=delimiter, ends=ends))
    assert plain == _read(_write(path, good, quoted=True, encoding=encoding, bom=bom, delimiter=delimiter, ends=ends))
    assert [o.full_name for o in plain[0]] == ["Nguyễn Văn An", "Đỗ Hà"]  # type: ignore[attr-defined]
    assert len(plain[2]) == (encoding == "cp1258")  # the note that the file is not UTF-8


def test_every_column_is_pooled_but_the_key_and_the_names(tmp_path: Path) -> None:
    """A column keeps one text object per distinct text (the repeats die as they are read), but the key column
    (``id``, a unit's ``code``: unique by contract) and officials' names (mostly distinct): a pool would hold
    every text and share few. Their distinct texts are still found (to locate a refused cell), and a duplicate
    is located as before."""
    path = _write(tmp_path / "officials.csv", [_HEADER, _ROW, ["A2", *_ROW[1:]], _ROW, ["", *_ROW[1:]]], quoted=False)
    table = _read_table(str(path), _OFFICIALS, _Problems(path.name))
    assert set(table.pools) == set(table.columns) - {"id", "full_name"}
    assert list(table.distinct("id")) == ["A1", "A2", ""]
    assert list(table.distinct("full_name")) == [_ROW[1]]
    genders = table.columns["gender"]
    assert genders[0] == genders[2] and genders[0] is genders[2]  # pooled
    names = table.columns["full_name"]
    assert names[0] == names[2] and names[0] is not names[2]  # as read
    _, problems, _ = _read(path)
    assert [(row, column, value) for _, row, column, value, _ in problems] == [(4, "id", "A1"), (5, "id", None)]
    units = tmp_path / "units.csv"
    units.write_text("code,name,kind\nX01,Xã A,commune\nX02,Xã A,commune\n", encoding="utf-8")
    unit_table = _read_table(str(units), _UNITS, _Problems(units.name))
    assert set(unit_table.pools) == {"name", "kind"} and unit_table.columns["code"] == ["X01", "X02"]


def test_a_cell_beyond_the_csv_modules_limit_is_the_only_problem_in_either_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the csv module cannot read (a cell over 4 × MAX_CELL_CHARS) has that problem alone, located at its
    row, however many problems the rows above it have (as when the whole file was read before its rows)."""
    monkeypatch.setenv("CADRE_RULES_MAX_CELL_CHARS", "20")
    monkeypatch.setattr(_csv, "_SPLIT_CHARS", 64)  # (the problems above are found in earlier batches)
    monkeypatch.setattr(_csv, "_BATCH_ROWS", 2)
    rows = [_HEADER, *([f"A{i}", "An", "nữx", *_ROW[3:], "extra"] for i in range(40)), ["B1", "y" * 81, *_ROW[2:]]]
    for quoted, folder in ((False, "plain"), (True, "quoted")):
        _, problems, _ = _read(_write(tmp_path / folder / "officials.csv", rows, quoted=quoted))
        assert [(row, column, value) for _, row, column, value, _ in problems] == [(42, None, None)], folder
        assert "MAX_CELL_CHARS" in str(problems[0][4])


def test_a_long_line_of_short_cells_is_no_long_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(The cell-length limit is skipped when no line is longer: a longer line is checked cell by cell.)"""
    monkeypatch.setenv("CADRE_RULES_MAX_CELL_CHARS", "16")
    path = _write(tmp_path / "officials.csv", [_HEADER, ["A1", "An", "nam", *_ROW[3:]]], quoted=False)
    assert len(path.read_text().splitlines()[1]) > 16
    assert [o.id for o in load_officials(path)] == ["A1"]
    path = _write(tmp_path / "officials.csv", [_HEADER, ["A1", "An", "nam", "1980-01-02", "X" * 17, *_ROW[5:]]],
                  quoted=False)
    assert [(p[1], p[2], p[3]) for p in _read(path)[1]] == [(2, "unit", "X" * 17)]


def test_malformed_csv_is_the_only_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(As a cell over the limit: the csv module's error, with the rows above it read, is the file's one problem.)"""
    real = _csv.lines

    def failing(text: str) -> Iterator[str]:
        yield from itertools.islice(real(text), 42)
        raise csv.Error("boom")

    monkeypatch.setattr(_csv, "lines", failing)
    monkeypatch.setattr(_csv, "_BATCH_ROWS", 2)
    rows = [_HEADER, *([f"A{i}", "An", "nữx", *_ROW[3:], "extra"] for i in range(45))]
    _, problems, _ = _read(_write(tmp_path / "officials.csv", rows, quoted=True))
    assert [(row, column, value, reason) for _, row, column, value, reason in problems] == \
        [(None, None, None, "malformed CSV in row 43: boom")]


@settings(max_examples=150)
@given(text=_QUOTE_FREE | _ANY | st.text(max_size=30), delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16", "cp1258"]))
def test_the_rows_are_the_same_with_the_bytes_at_hand(text: str, delimiter: str, encoding: str) -> None:
    """The bytes a text was decoded from, searched for a quote, a NUL and the line ends instead of the text,
    change no row and no problem (UTF-16 included, whose bytes hold a 0x22 or 0x0A in other characters)."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-16")
    rows: list[list[str]] = []
    problems: list[Problem] = []
    try:
        for batch in CsvRows(text, _OFFICIALS, _Problems("o.csv"), delimiter, data=data):
            rows += batch
    except InputError as exc:
        problems = exc.problems
    assert (rows, problems) == _our_rows(text, delimiter)


def test_the_bytes_line_ends_are_a_bound_of_the_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A UTF-16 file has more 0x0A bytes than line ends (``Ċ`` is 0A 01): within MAX_ROWS it is read; one line
    more, refused as before."""
    monkeypatch.setenv("CADRE_RULES_MAX_ROWS", "3")
    rows = [_HEADER, *([f"A{i}", "Ċ" * 20, *_ROW[2:]] for i in range(3))]
    path = _write(tmp_path / "officials.csv", rows, quoted=False, encoding="utf-16")
    assert path.read_bytes().count(b"\n") > 5
    assert [o.full_name for o in load_officials(path)] == ["Ċ" * 20] * 3
    path = _write(tmp_path / "officials.csv", [*rows, ["A9", *_ROW[1:]], ["A10", *_ROW[1:]]], quoted=False,
                  encoding="utf-16")
    assert ["MAX_ROWS" in reason for *_, reason in _read(path)[1]] == [True]


@settings(max_examples=60)
@given(lengths=st.lists(st.integers(0, 12_000), min_size=1, max_size=40), run=st.integers(0, 12_000),
       max_line=st.integers(8_192, 14_000))
def test_short_lines_are_known_by_a_few_searches(lengths: list[int], run: int, max_line: int) -> None:
    """(``_read_bounded``: a chunk said to have no line over the limit has none; one with such a line is not
    said to, and is then split to locate it.)"""
    chunk = b"\n".join(b"a" * n for n in lengths)
    longest = max([run + lengths[0], *lengths[1:]])
    if _tables._short_lines(chunk, run, max_line):
        assert longest <= max_line
    if longest > max_line:
        assert not _tables._short_lines(chunk, run, max_line)


def test_a_long_line_is_located_under_any_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line just over MAX_LINE_BYTES among short ones, at the start of a chunk, inside it, across two: located
    at its line; a file of lines just within it is read."""
    monkeypatch.setattr(_tables, "CHUNK", 50_000)
    monkeypatch.setenv("CADRE_RULES_MAX_LINE_BYTES", "10000")
    head = (",".join(_HEADER) + "\n").encode()
    row = (",".join(["A{}", *_ROW[1:]]) + "\n")
    for before in (0, 3, 600):  # short lines before the long one (≈ 80 bytes each)
        lines = [row.format(i).encode() for i in range(before)]
        fill = 10_000 - len(b"A9,")  # the line's bytes but its end: 10,000 fit, 10,001 do not
        for extra, refused in ((0, False), (1, True)):
            path = tmp_path / "officials.csv"
            path.write_bytes(head + b"".join(lines) + b"A9," + b"n" * (fill + extra) + b"\n" + row.format(99).encode())
            found = _read(path)[1]
            if refused:
                assert [(p[1], "MAX_LINE_BYTES" in p[4]) for p in found] == [(before + 2, True)], before
            else:
                assert not any("MAX_LINE_BYTES" in p[4] for p in found), before


@settings(max_examples=200)
@given(texts=st.lists(st.lists(st.sampled_from(["a", "B", "7", "-", " ", "\u0103", "a\u0306", "\u0306", "\n",
                                                "\u00a0", "\u200b", "\ufeff", "\x00", "\u0110", "\u0323"]),
                               min_size=1, max_size=6).map("".join), min_size=1, max_size=8))
def test_a_whole_column_is_what_its_cells_are(texts: list[str]) -> None:
    """``parse_identifiers`` and ``parse_texts`` (a column checked at once) give each cell's ``parse_identifier``
    or ``parse_text`` when they give anything; nothing when a cell is refused or changed by NFC (or holds a line
    end: a quoted CSV cell), and then each cell is parsed."""
    stripped = [t.strip() for t in texts if t.strip()]
    assume(stripped)
    for whole, one in ((parse_identifiers, parse_identifier), (parse_texts, parse_text)):
        try:
            expected: list[str] | None = [one(t) for t in stripped]
        except ValueError:
            expected = None
        found = whole(stripped)
        if found is not None:
            assert found == expected
        elif expected is not None:  # (nothing only when a cell is refused, changed, or holds a line end)
            assert expected != stripped or any("\n" in t for t in stripped)


def test_dates_read_at_once_are_refused_and_located_as_one_by_one(tmp_path: Path) -> None:
    """A date column of ``YYYY-MM-DD`` texts is parsed at once; one out of range, impossible or of another
    spelling among them, and empty cells, are read and located as each alone."""
    header = [*_HEADER, "appointed_on"]
    births = ["1980-01-02", "1899-12-31", "2023-02-29", "1981-03-04", "05/06/1982", "", "1980-01-02"]
    rows = [[f"A{i}", "An", "nam", birth, "X01", "party_secretary", "university", "advanced", appointed]
            for i, (birth, appointed) in enumerate(zip(births, ["2010-01-01", "", "2101-01-01", "2000-02-28",
                                                                  "2010-01-01", "1979-01-01", "2001-05-06"],
                                                       strict=True))]
    _, problems, _ = _read(_write(tmp_path / "officials.csv", [header, *rows], quoted=False))
    assert [(row, column, value) for _, row, column, value, _ in problems] == [
        (3, "birth_date", "1899-12-31"),
        (4, "birth_date", "2023-02-29"), (4, "appointed_on", "2101-01-01"),
        (7, "birth_date", None),  # (empty: no value shown)
    ]
    assert [reason for *_, reason in problems][:2] == [
        "year out of range: 1899-12-31 (the year must be between 1900 and 2100)",
        "impossible date: 2023-02-29 (February has 28 days in 2023)"]
    good = [row for i, row in enumerate(rows) if i in (0, 4, 6)]
    officials = load_officials(_write(tmp_path / "good" / "officials.csv", [header, *good], quoted=False))
    assert [(o.birth_date, o.appointed_on) for o in officials] == [
        (date(1980, 1, 2), date(2010, 1, 1)), (date(1982, 6, 5), date(2010, 1, 1)),
        (date(1980, 1, 2), date(2001, 5, 6))]
