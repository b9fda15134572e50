"""Reading CSV, XLSX, JSON and JSONL files into tables of raw text keyed by contract column.

Headers are matched after stripping, NFC normalisation and case folding, with a small table of
Vietnamese aliases. Problems are collected per file (:class:`_Problems`) with their locations:
CSV and XLSX problems carry the spreadsheet row (header = row 1) and the contract column name;
JSON problems carry ``row=None`` and a JSON pointer (``/12/birth_date``, with the key as spelled
in the file) as the column; JSONL problems carry the line number as the row.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple
from typing import cast

import attrs

from .._limits import limit
from .._limits import open_run
from .._limits import too_large
from ..errors import N_
from ..errors import InputError
from ..errors import InvalidValue
from ..errors import Message
from ..errors import Problem
from ..errors import _fill
from ..errors import os_reason
from ..model._codes import bare
from ..model._codes import fold
from ..model._values import parse_gender
from ._csv import SAVE_AS
from ._csv import CsvRows
from ._csv import decode_csv
from ._headers import HEADER_SEARCH_ROWS
from ._headers import OFFICIAL_ALIASES
from ._headers import OFFICIAL_SHEETS
from ._headers import UNIT_ALIASES
from ._headers import UNIT_SHEETS
from ._headers import header_key
from ._headers import header_row
from ._headers import is_numbering_row
from ._headers import score
from ._headers import two_row_header
from ._json import Decoder
from ._json import JSONProblem
from ._json import invalid_json
from ._workbook import CHUNK
from ._workbook import XLS_REFUSAL
from ._workbook import xlsx_grid

#: File extensions the readers understand, in the order :func:`find_data_files` lists them.
EXTENSIONS = (".csv", ".xlsx", ".json", ".jsonl")


#: How many problems of one file are collected before reading stops.
MAX_FILE_PROBLEMS = 1000

#: The officials columns of the input contract, in contract order.
OFFICIAL_COLUMNS: tuple[str, ...] = (
    "id", "full_name", "gender", "birth_date", "unit", "position", "concurrent_positions",
    "category", "standing_committee", "general_education", "education", "field_of_study",
    "political_theory", "appointed_on", "in_planning", "ratings", "discipline",
    "low_confidence_share", "under_investigation", "secondment_since", "is_local", "secondment_until", "term_ends",
)
_OFFICIAL_REQUIRED = frozenset(
    {"id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"}
)

#: The units columns of the input contract, in contract order.
UNIT_COLUMNS: tuple[str, ...] = ("code", "name", "kind", "class", "district", "has_council")
_UNIT_REQUIRED = frozenset({"code", "name", "kind"})

# --------------------------------------------------------------------------- problems


class _Problems:
    """The problems of one file, sorted by their place in the file when raised.

    Each *stream* of problems (one column's values, the rows' shape, duplicate ids…) is produced
    in file order and capped at :data:`MAX_FILE_PROBLEMS`, so the first problems of the file
    are exactly the ones reported however many there are.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        #: the sheet of a workbook being read (named in every problem), once chosen
        self.sheet: str | None = None
        #: what the reader says about how it read the file (not problems): see :class:`InputNote`
        self.notes: list[Problem] = []
        self._found: list[tuple[int, Problem]] = []
        self._counts: dict[str, int] = {}
        self._dropped = False

    def add(self, reason: str | Message | InvalidValue, row: int | None = None, column: str | None = None,
            value: str | None = None, *, position: int = -1, stream: str = "", template: str | None = None,
            fields: tuple[tuple[str, object], ...] = ()) -> None:
        """Record a problem; ``position`` orders it in the file (-1: the file or its header); ``template``
        and ``fields``: the reason as a message id with named fields (:meth:`Problem.of`), or ``reason`` a
        :class:`Message` or :class:`InvalidValue`."""
        if isinstance(reason, (Message, InvalidValue)):
            template, fields = reason.template, reason.fields
        count = self._counts.get(stream, 0)
        if count < MAX_FILE_PROBLEMS:
            self._counts[stream] = count + 1
            self._found.append((position, Problem(self.file, str(reason), row, column, value, self.sheet,
                                                  template=template, fields=fields)))
        else:
            self._dropped = True

    def add_of(self, template: str, row: int | None = None, column: str | None = None, value: str | None = None,
               *, position: int = -1, stream: str = "", **fields: object) -> None:
        """:meth:`add` a problem whose reason is ``template`` (a message id) filled with ``fields``."""
        self.add(_fill(template, fields), row, column, value, position=position, stream=stream, template=template,
                 fields=tuple(fields.items()))

    def fail(self, template: str | Message, **fields: object) -> InputError:
        """An error with the problems so far and one more about the whole file: ``template`` (a message id)
        filled with ``fields``, or a :class:`Message`."""
        if isinstance(template, Message):
            self.add(template)
        else:
            self.add(_fill(template, fields), template=template, fields=tuple(fields.items()))
        return InputError(self.problems())

    def note(self, template: str, **fields: object) -> None:
        """Say how the file (the sheet being read) was read: ``template`` (a message id) with ``fields``."""
        self.notes.append(Problem(self.file, _fill(template, fields), sheet=self.sheet, template=template,
                                  fields=tuple(fields.items())))

    def forget(self) -> None:
        """Forget the problems found so far (a file that turns out not to be readable has that one problem)."""
        self._found.clear()
        self._counts.clear()
        self._dropped = False

    def problems(self) -> list[Problem]:
        self._found.sort(key=lambda found: found[0])  # stable: a row's problems keep their order
        problems = [problem for _, problem in self._found[:MAX_FILE_PROBLEMS]]
        if self._dropped or len(self._found) > MAX_FILE_PROBLEMS:
            problems.append(attrs.evolve(Problem.of(self.file, N_("more problems follow; only the first {count} are "
                                                                  "shown"), count=MAX_FILE_PROBLEMS),
                                         sheet=self.sheet))
        return problems

    def check(self) -> None:
        """Raise the collected problems, if any."""
        if self._found:
            raise InputError(self.problems())


# --------------------------------------------------------------------------- tables


@attrs.frozen
class _Schema:
    kind: str  # "officials" or "units"
    columns: tuple[str, ...]
    required: frozenset[str]
    aliases: Mapping[str, str]
    sheets: frozenset[str]  # names of a sheet of these records (by match_key)
    generated: frozenset[str] = frozenset()  # required columns made by the reader when absent (ids)
    #: the columns whose texts are mostly distinct, not pooled (a pool would hold every text and share few): the
    #: key, unique by contract, and officials' names
    unpooled: frozenset[str] = frozenset({"id"})

    def resolve(self, header: str) -> tuple[str, bool]:
        """The column a (stripped, NFC) header names, and whether it is a contract column."""
        key = header_key(header)
        alias = self.aliases.get(key)
        if alias is not None:
            return alias, True
        snake = fold(header).replace(" ", "_")
        if snake in self.columns:
            return snake, True
        return header, False

    def score(self, cells: Sequence[str]) -> int:
        """How many contract columns a row names (a header row names several)."""
        return score(cells, self.aliases, self.columns)

    def check_present(self, present: Iterable[str], problems: _Problems, row: int | None = None) -> None:
        """Report the missing required columns; if there are any, raise: nothing else is checked."""
        missing = self.required.difference(present).difference(self.generated)
        for column in self.columns:
            if column in missing:
                problems.add(N_("missing required column"), row, column=column)
        if missing:
            problems.check()


_OFFICIALS = _Schema("officials", OFFICIAL_COLUMNS, _OFFICIAL_REQUIRED, OFFICIAL_ALIASES, OFFICIAL_SHEETS,
                     generated=frozenset({"id"}), unpooled=frozenset({"id", "full_name"}))
_UNITS = _Schema("units", UNIT_COLUMNS, _UNIT_REQUIRED, UNIT_ALIASES, UNIT_SHEETS, unpooled=frozenset({"code"}))


@attrs.frozen
class _Table:
    """The non-empty rows of a file, column by column, as raw text."""

    columns: Mapping[str, Sequence[str]]  # column name -> raw text per row
    positions: Sequence[int]  # per row: row number (CSV, XLSX), line (JSONL) or list index (JSON)
    json_keys: Sequence[Mapping[str, str]] | None = None  # JSON: per row, column -> key as spelled
    row_word: str = "row"
    rejected: Mapping[str, Sequence[int]] = attrs.field(factory=dict)  # cells the reader rejected
    source: str = ""  # what generated ids begin with: the sheet's name, or the file's stem
    #: per column, its distinct texts in the order first seen, where the reader kept them (a CSV's, an XLSX's)
    pools: Mapping[str, Iterable[str]] = attrs.field(factory=dict, repr=False)

    def distinct(self, column: str) -> Iterable[str]:
        """The distinct texts of ``column``, in the order first seen (each once)."""
        pool = self.pools.get(column)
        return dict.fromkeys(self.columns[column]) if pool is None else pool

    def let_go(self) -> None:
        """Let go of the texts: for the table's one user, once it has parsed and checked their values."""
        cast("dict[str, Sequence[str]]", self.columns).clear()
        cast("dict[str, Iterable[str]]", self.pools).clear()

    def without(self, rows: Collection[int]) -> _Table:
        """The table without the rows at ``rows`` (indexes), the others in order (their texts' pools let go)."""
        dropped = set(rows)
        keep = [i for i in range(len(self.positions)) if i not in dropped]
        return _Table({name: [texts[i] for i in keep] for name, texts in self.columns.items()},
                      [self.positions[i] for i in keep],
                      None if self.json_keys is None else [self.json_keys[i] for i in keep],
                      self.row_word, source=self.source)

    def numbers(self, rows: Sequence[int]) -> str:
        """The row numbers of the rows at ``rows`` as a note lists them: the first ten, then "…"."""
        return ", ".join(str(self.positions[i]) for i in rows[:10]) + (", …" if len(rows) > 10 else "")

    def where(self, i: int, column: str) -> tuple[int | None, str]:
        """``(row, column)`` of a Problem about row ``i``'s ``column``."""
        if self.json_keys is None:
            return self.positions[i], column
        key = self.json_keys[i].get(column, column)
        return None, f"/{self.positions[i]}/{_pointer_escape(key)}"

    def describe(self, i: int) -> Message | str:
        """Where row ``i`` is: ``row 5`` (``line 5`` of JSONL; in the language of the message), or ``/5`` in JSON."""
        if self.json_keys is None:
            return Message(N_("line {number}") if self.row_word == "line" else N_("row {number}"),
                           number=self.positions[i])
        return f"/{self.positions[i]}"


def _pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: Workbooks of other kinds than ``.xlsx`` (macro-enabled, binary, LibreOffice's): refused with how to save them.
OTHER_WORKBOOKS = (".xlsm", ".xlsb", ".ods")
NOT_READ = N_("a {suffix} file is not read; {save_as}")


def _read_table(file: str, schema: _Schema, problems: _Problems) -> _Table:
    suffix = Path(file).suffix.lower()
    if suffix in (".xls", *OTHER_WORKBOOKS):
        if suffix == ".xls":
            raise problems.fail(XLS_REFUSAL)
        raise problems.fail(NOT_READ, suffix=suffix, save_as=SAVE_AS)
    if suffix not in EXTENSIONS:
        raise problems.fail(N_("unknown file type {suffix} (expected .csv, .xlsx, .json or .jsonl)"),
                            suffix=repr(suffix or "(none)"))
    longest = None  # what no cell is longer than, if known
    if suffix == ".xlsx":
        table = _grid_table(_batches(xlsx_grid(file, schema, problems)), schema, problems)
    else:
        try:
            data = _read_bounded(file, problems, lines=suffix != ".json")
        except OSError as exc:
            raise problems.fail(N_("cannot read the file: {reason}"), reason=os_reason(exc)) from None
        if suffix == ".csv":
            text = decode_csv(data, problems)
            rows = CsvRows(text, schema, problems, data=data)
            del data  # (the peak of a large file: its bytes, text and cells are never all held at once)
            del text  # (held by the rows until they are read)
            table = _grid_table(rows, schema, problems)
            longest = rows.longest
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise problems.fail(N_("not UTF-8 text (byte {start} cannot be decoded)"), start=exc.start) \
                    from None
            table = _json_table(text, schema, problems, lines=suffix == ".jsonl", escapes=b"\\u" in data)
    _check_cells(table, problems, longest)
    if not table.source:
        table = attrs.evolve(table, source=Path(file).stem)
    return table


#: How many rows of a workbook's sheet are made columns at a time (as a CSV's batches: their cells stay in the
#: processor's cache from the rows to the pools).
_BATCH_ROWS = 128


def _batches(grid: _Grid) -> Iterator[_Grid]:
    """The rows of a grid, :data:`_BATCH_ROWS` at a time in order, each batch taken out of the grid as it is
    handed (the grid ends empty: a row is let go once its cells are in the columns)."""
    grid.reverse()
    while grid:
        batch = grid[-_BATCH_ROWS:]
        del grid[-_BATCH_ROWS:]
        batch.reverse()
        yield batch


def _read_bounded(file: str, problems: _Problems, *, lines: bool) -> bytearray:
    """The bytes of a file, read in chunks; with ``lines``, a line longer than MAX_LINE_BYTES stops the
    reading at once (a 1 GiB line is refused after a megabyte, not after 1 GiB is in memory); without (a
    JSON file, often on one line), so does a run of bytes between two ``"`` longer than a string may be."""
    max_line = limit("MAX_LINE_BYTES")
    max_string = 6 * limit("MAX_CELL_CHARS") + 1024  # bytes: a \uXXXX escape is 6 per character
    data = bytearray()
    run = 0  # the length of the line (or the text between quotes) still open after the bytes read so far
    with open(file, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if not lines:
                after = open_run(run, chunk, b'"', max_string)
                if after is None:
                    raise problems.fail(too_large("MAX_CELL_CHARS", N_("a JSON string or value")))
                run = after
            elif _short_lines(chunk, run, max_line):
                end = chunk.rfind(b"\n")
                run = run + len(chunk) if end < 0 else len(chunk) - end - 1
            else:
                parts = chunk.split(b"\n")
                longest = max(run + len(parts[0]), max(map(len, parts[1:]), default=0))
                if longest > max_line:
                    line = data.count(b"\n") + 1  # (counted only to say where)
                    at = line + next(i for i, part in enumerate(parts) if (run if i == 0 else 0) + len(part) > max_line)
                    problems.add(too_large("MAX_LINE_BYTES", N_("the line")), at, position=at)
                    raise InputError(problems.problems())
                run = run + len(chunk) if len(parts) == 1 else len(parts[-1])
            data += chunk
    return data


def _short_lines(chunk: bytes, run: int, max_line: float) -> bool:
    """Whether no line of ``chunk`` (the first one ``run`` bytes longer) is longer than ``max_line``, known by
    a few searches: its first line is short and every stretch of ``max_line // 2`` bytes after it holds a line
    end (so no run of bytes without one is longer than ``max_line - 1``). ``False``: perhaps not."""
    if run + len(chunk) <= max_line:
        return True
    half = int(max_line // 2)
    first = chunk.find(b"\n")
    if half < 4096 or first < 0 or run + first > max_line:
        return False
    return all(chunk.find(b"\n", start, start + half) >= 0 for start in range(first + 1, len(chunk), half))


def _check_cells(table: _Table, problems: _Problems, longest: int | None = None) -> None:
    """A cell (a JSON value) longer than MAX_CELL_CHARS, located (reported with the values' problems); and no
    more than MAX_ROWS rows. (``longest``: what no cell is longer than, if known: a CSV's longest line.)"""
    max_rows = limit("MAX_ROWS")
    if len(table.positions) > max_rows:
        raise problems.fail(too_large("MAX_ROWS", N_("the number of rows"), len(table.positions)))
    max_cell = limit("MAX_CELL_CHARS")
    if longest is not None and longest <= max_cell:
        return
    for column, texts in table.columns.items():
        if texts and max(map(len, texts)) > max_cell:
            i = next(i for i, text in enumerate(texts) if len(text) > max_cell)
            row, where = table.where(i, column)
            problems.add(too_large("MAX_CELL_CHARS", N_("the cell"), len(texts[i])), row, where, texts[i][:60],
                         position=table.positions[i], stream="size")


_Grid = list[list[str]]  # the rows of a CSV file or an XLSX sheet, the header first


def _resolve_header(headers: Iterable[str], schema: _Schema, problems: _Problems,
                    row: int | None = None) -> list[str | None]:
    """Contract or extra column name per header (``None`` for a blank header); check the header (``row``: its
    row, when title rows are above it)."""
    names: list[str | None] = []
    seen: dict[str, str] = {}
    headers = list(headers)
    for raw in headers:
        header = _nfc(raw).strip()
        if not header:
            names.append(None)
            continue
        name, _ = schema.resolve(header)
        if name in seen:
            problems.add_of(N_("duplicate column: {first} and {second} both name {name}"), row, column=name,
                            first=repr(seen[name]), second=repr(header), name=repr(name))
        seen.setdefault(name, header)
        names.append(name)
    if schema.kind == "officials" and not {"full_name", "gender", "birth_date"} <= seen.keys():
        keys = [bare(header_key(_nfc(header))) for header in headers]  # (as typed without marks)
        if "full_name" not in seen:
            _split_name(headers, keys, names, seen)
        if "gender" not in seen or "birth_date" not in seen:
            _split_by_gender(headers, keys, names, seen)
    schema.check_present(seen, problems, row)
    problems.check()  # duplicate columns
    return names


#: The header of the given name's column when a name is kept in two ("Họ đệm", "Tên"): joined to the first.
_GIVEN_NAME = "\x00given name"
#: The headers (without marks) of the family and middle names' column, and of the given name's, when a sheet
#: keeps a name in two columns (to sort by the given name, as Vietnamese lists are sorted).
_FAMILY_NAMES = ("ho dem", "ho va dem", "ho va ten dem", "ho va chu dem", "ho")
_GIVEN_NAMES = ("ten",)


def _split_name(headers: Sequence[str], keys: Sequence[str], names: list[str | None], seen: dict[str, str]) -> None:
    """A name kept in two columns side by side, "Họ đệm" then "Tên" (also under a two-row header "Họ và tên";
    ``keys``: the headers without marks): the first named ``full_name``, the second :data:`_GIVEN_NAME` (joined to
    it by :func:`_grid_table`)."""
    for i in range(len(keys) - 1):
        family, given = keys[i], keys[i + 1]
        if any(family == k or family.endswith(" " + k) for k in _FAMILY_NAMES) and \
                any(given == k or given.endswith(" " + k) for k in _GIVEN_NAMES):
            names[i], names[i + 1] = "full_name", _GIVEN_NAME
            seen["full_name"] = headers[i].strip()
            return


#: The columns of a date of birth (or a mark) kept under "Nam" for men and "Nữ" for women, as the forms of the
#: administration keep them ("Ngày, tháng, năm sinh" over "Nam" and "Nữ"): what they are named while read.
_MEN, _WOMEN = "\x00men", "\x00women"
_BIRTH_GROUPS = ("ngay sinh", "ngay thang nam sinh", "nam sinh")
_GENDER_GROUPS = ("gioi tinh",)


def _split_by_gender(headers: Sequence[str], keys: Sequence[str], names: list[str | None],
                     seen: dict[str, str]) -> None:
    """Two columns side by side under one group, "Nam" then "Nữ" (a two-row header: "Ngày sinh Nam", "Ngày sinh
    Nữ"; or "Giới tính" over two columns of marks; ``keys``: the headers without marks): named :data:`_MEN` and
    :data:`_WOMEN`, read by :func:`_by_gender` into the gender and (for a date's group) the date of birth. With a
    "Giới tính" column too, only a date's group: the date of birth, the gender checked against it."""
    groups = (*_BIRTH_GROUPS, *_GENDER_GROUPS) if "gender" not in seen else _BIRTH_GROUPS
    for i in range(len(keys) - 1):
        for group in groups:
            if keys[i] == f"{group} nam" and keys[i + 1] == f"{group} nu":
                names[i], names[i + 1] = _MEN, _WOMEN
                seen.setdefault("gender", headers[i].strip())
                if group in _BIRTH_GROUPS and "birth_date" not in seen:
                    seen["birth_date"] = headers[i].strip()
                return


def _by_gender(by_name: dict[str, list[str]], table_rows: Sequence[int], problems: _Problems) -> None:
    """The gender (and the date of birth, if no column holds it) of the columns :func:`_split_by_gender` named:
    the one filled says the gender ("Nam", "Nữ"), and holds the date (a mark, for "Giới tính"); both filled,
    the texts of both, which no reading takes for a gender or a date (a located problem shows them). With a
    "Giới tính" column too (``table_rows``: the row of each), its empty cells take the gender the date's column
    says, and a cell that says the other is a located problem."""
    men, women = by_name.pop(_MEN), by_name.pop(_WOMEN)
    genders, dates = [], []
    for man, woman in zip(map(str.strip, men), map(str.strip, women), strict=True):
        if man and woman:
            genders.append(f"{man} | {woman}")
            dates.append(f"{man} | {woman}")
        else:
            genders.append("Nam" if man else "Nữ" if woman else "")
            dates.append(man or woman)
    if "gender" in by_name:
        genders = _agreed(by_name["gender"], genders, table_rows, problems)
    by_name["gender"] = genders
    if "birth_date" not in by_name and any(not _MARK.fullmatch(text) for text in dates if text):
        by_name["birth_date"] = dates


def _agreed(said: Sequence[str], split: Sequence[str], table_rows: Sequence[int], problems: _Problems) -> list[str]:
    """The "Giới tính" column's genders (``said``) with those of the date's "Nam"/"Nữ" column (``split``): an empty
    cell takes it; a cell of the other gender is a problem at its row (one a reading refuses is refused as such)."""
    genders = []
    for said_text, split_text, row in zip(said, split, table_rows, strict=True):
        if not said_text.strip() or split_text not in ("Nam", "Nữ"):
            genders.append(said_text if said_text.strip() else split_text)
            continue
        genders.append(said_text)
        try:
            disagrees = parse_gender(said_text) != parse_gender(split_text)
        except ValueError:
            continue
        if disagrees:
            problems.add_of(N_("disagrees with the date of birth, kept under the column {under}: correct the one "
                               "that is wrong"), row, "gender", said_text, position=row, stream="gender",
                            under=repr(split_text))
    return genders


#: A mark in a cell ("x", "✓"): the columns under "Giới tính" hold marks, not dates.
_MARK = re.compile(r"[xX✓✔]")


def _grid_table(batches: Iterable[_Grid], schema: _Schema, problems: _Problems) -> _Table:
    """The table of the rows below the header row of a grid, read a batch of rows at a time (each batch is
    emptied: its cells move to the columns, one text object per distinct text of a column; the texts of the
    columns of mostly distinct texts, the key's and officials' names, as they are)."""
    batches = iter(batches)
    head: _Grid = []  # the top rows, where the header is (best_row), and a non-empty row (header_row)
    for batch in batches:
        head += batch
        batch.clear()
        if len(head) >= HEADER_SEARCH_ROWS and any(map(str.strip, map("".join, head))):
            break
    if not head:
        raise problems.fail(N_("the file is empty (no header row)"))
    top = header_row(head, schema)
    header, skip = _header_rows(head, top, problems)
    try:
        names = _resolve_header(header, schema, problems, top + 1 if top else None)
    except InputError:
        for _ in batches:  # a file that cannot be read says so first (a CSV's malformed row)
            pass
        raise
    below = head[top + 1 + skip:]
    del head
    width = len(names)
    unnamed = [i for i, name in enumerate(names) if name is None]
    kept = [i for i, name in enumerate(names) if name is not None]
    columns: list[list[str]] = [[] for _ in kept]
    # each column's cells pooled, one object per distinct text (the repeats die at once), but those of the key
    # (unique by contract) and names (mostly distinct): a pool would hold every one of them and share few
    pools: list[dict[str, str] | None] = [None if names[k] in schema.unpooled else {} for k in kept]
    positions: list[int] = []
    first = top + 2 + skip  # the row number of the batch's first row
    for body in itertools.chain([below], batches):
        by_column = _full_columns(body, width) if not unnamed else None
        if by_column is None:  # empty rows, rows of another width, or cells under no header
            rows, numbers = _shaped_rows(body, first, width, unnamed, problems)
            by_column = list(zip(*rows, strict=True))
            positions += numbers
        else:
            positions += range(first, first + len(body))
        first += len(body)
        body.clear()
        for i, pool in enumerate(pools if by_column else ()):
            cells = by_column[kept[i]]
            columns[i] += cells if pool is None else map(pool.setdefault, cells, cells)
    kept_names = cast("list[str]", [names[i] for i in kept])
    by_name = dict(zip(kept_names, columns, strict=True))
    split = _MEN in by_name
    if split:
        _by_gender(by_name, positions, problems)
    given = by_name.pop(_GIVEN_NAME, None)
    if given is not None:  # a name kept in two columns: one text
        by_name["full_name"] = [f"{family.strip()} {name.strip()}".strip()
                                for family, name in zip(by_name["full_name"], given, strict=True)]
    return _Table(by_name, positions, source=problems.sheet or "",
                  pools={name: pool for name, pool in zip(kept_names, pools, strict=True)
                         if pool is not None and name not in (_GIVEN_NAME, _MEN, _WOMEN)
                         and not (split and name == "gender")})  # (a "Giới tính" column filled by the split)


def _header_rows(head: _Grid, top: int, problems: _Problems) -> tuple[list[str], int]:
    """The header of the grid whose header row is ``head[top]``, and how many rows under it are no data: a
    second header row (:func:`two_row_header`), then a row of column numbers (:func:`is_numbering_row`, said
    in a note)."""
    header, skip = head[top], 0
    if top + 1 < len(head):
        joined = two_row_header(header, head[top + 1])
        if joined is not None:
            header, skip = joined, 1
    if top + 1 + skip < len(head) and is_numbering_row(head[top + 1 + skip]):
        problems.note(N_("row {row} numbers the columns ({first}, …): not read"), row=top + 2 + skip,
                      first=next(cell.strip() for cell in head[top + 1 + skip] if cell.strip()))
        skip += 1
    return header, skip


def _full_columns(body: _Grid, width: int) -> list[tuple[str, ...]] | None:
    """The columns of rows that are all ``width`` cells wide and not empty (the usual file), else ``None``."""
    if not set(map(len, body)) <= {width}:
        return None
    by_column = list(zip(*body, strict=True))
    if by_column and not all(map(str.strip, by_column[0])) and not all(map(str.strip, map("".join, body))):
        return None  # an empty row (a row whose first cell is filled is not)
    return by_column


def _shaped_rows(body: _Grid, first: int, width: int, unnamed: Sequence[int],
                 problems: _Problems) -> tuple[_Grid, list[int]]:
    """The non-empty rows of ``body`` (``first``: the row number of its first) and their row numbers, each
    cut or padded to ``width`` cells; cells beyond the header or under no header are problems."""
    rows: _Grid = []
    positions: list[int] = []
    for number, raw_cells in enumerate(body, start=first):
        cells = raw_cells
        if not "".join(cells).strip():
            continue  # an empty row
        count = len(cells)
        if count > width:
            if "".join(cells[width:]).strip():
                problems.add_of(N_("the row has {count} cells but the header only {width}"), number,
                                value=",".join(cells[width:]), position=number, stream="shape", count=count,
                                width=width)
            cells = cells[:width]
        elif count < width:
            cells = cells + [""] * (width - count)
        for i in unnamed:
            if cells[i].strip():
                problems.add_of(N_("value in column {number}, which has no header"), number, value=cells[i],
                                position=number, stream="shape", number=i + 1)
        rows.append(cells)
        positions.append(number)
    return rows, positions


def _json_items(text: str, problems: _Problems, *, lines: bool, escapes: bool) -> list[tuple[int, object]]:
    """``(index, value)`` of a JSON list, or ``(line number, value)`` of a JSONL file (``escapes``: whether
    the file holds a ``\\u`` escape)."""
    decode = _json_decoder().decode

    def _json_loads(text: str) -> object:
        return decode(text, escapes=escapes)

    if not lines:
        try:
            data = _json_loads(text)
        except json.JSONDecodeError as exc:
            raise problems.fail(invalid_json(exc)) from None
        except JSONProblem as exc:
            problems.add(exc.message, None, exc.pointer or None, exc.value)
            raise InputError(problems.problems()) from None
        if not isinstance(data, list):
            raise problems.fail(N_("expected a JSON list of objects"))
        return list(enumerate(data))
    items: list[tuple[int, object]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                items.append((number, _json_loads(line)))
            except json.JSONDecodeError as exc:
                problems.add(invalid_json(exc, line=False), number, position=number, stream="shape")
            except JSONProblem as exc:
                problems.add(exc.message, number, exc.pointer or None, exc.value, position=number, stream="shape")
    return items


class _Shape(NamedTuple):
    """How the objects with one sequence of keys are read."""

    pairs: tuple[tuple[str, str], ...]  # (key, column) of the keys read
    keys: Mapping[str, str]  # column -> key as spelled
    ignored: tuple[tuple[str, str | None, Message], ...]  # (key, column, reason): blank or duplicate names
    as_is: bool  # every key is read under its own name: the object itself is the row


def _json_shape(signature: tuple[str, ...], schema: _Schema, resolved: dict[str, str | None]) -> _Shape:
    pairs: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    ignored: list[tuple[str, str | None, Message]] = []
    for key in signature:
        if key not in resolved:
            header = _nfc(key).strip()
            resolved[key] = schema.resolve(header)[0] if header else None
        name = resolved[key]
        if name is None:
            ignored.append((key, None, Message(N_("value under an empty key"))))
        elif name in keys:
            ignored.append((key, name, Message(N_("duplicate column: {first} and {second} both name {name}"),
                                               first=repr(keys[name]), second=repr(key), name=repr(name))))
        else:
            pairs.append((key, name))
            keys[name] = key
    as_is = not ignored and all(key == name for key, name in pairs)
    return _Shape(tuple(pairs), keys, tuple(ignored), as_is)


def _json_table(text: str, schema: _Schema, problems: _Problems, *, lines: bool, escapes: bool = True) -> _Table:
    """The rows of a JSON list of objects, or of a JSONL file (one object per line)."""
    resolved: dict[str, str | None] = {}  # key -> column name (None for a blank key)
    shapes: dict[tuple[str, ...], _Shape] = {}
    rows: list[Mapping[str, object]] = []
    positions: list[int] = []
    row_shapes: list[_Shape] = []
    for at, item in _json_items(text, problems, lines=lines, escapes=escapes):
        if not isinstance(item, dict):
            where = (at, None) if lines else (None, f"/{at}")
            problems.add_of(N_("expected a JSON object"), *where, position=at, stream="shape")
            continue
        signature = tuple(item)
        shape = shapes.get(signature)
        if shape is None:
            shape = shapes[signature] = _json_shape(signature, schema, resolved)
        for key, name, reason in shape.ignored:
            value = _json_text(item[key])
            if name is not None or value is None or value.strip():
                shown = _json_dump(item[key]) if value is None else value
                problems.add(reason, *_json_where(at, key, name, lines), shown, position=at, stream="shape")
        rows.append(item if shape.as_is else {name: item[key] for key, name in shape.pairs})
        positions.append(at)
        row_shapes.append(shape)
    present = dict.fromkeys(name for shape in shapes.values() for name in shape.keys)
    columns: dict[str, list[str]] = {}
    rejected: dict[str, list[int]] = {}
    for name in present:
        values = [row.get(name) for row in rows]
        texts = [value if isinstance(value, str) else _json_text(value) for value in values]
        for i in [i for i, text in enumerate(texts) if text is None] if None in texts else ():
            key = row_shapes[i].keys[name]
            reason = Message(N_("expected text, a number or a boolean"))
            problems.add(reason, *_json_where(positions[i], key, name, lines), _json_dump(values[i]),
                         position=positions[i], stream="shape")
            texts[i] = ""
            rejected.setdefault(name, []).append(i)
        columns[name] = cast("list[str]", texts)  # no None left
    json_keys = None if lines else [shape.keys for shape in row_shapes]
    return _skip_empty_rows(_Table(columns, positions, json_keys, "line", rejected), schema, problems)


def _skip_empty_rows(table: _Table, schema: _Schema, problems: _Problems) -> _Table:
    """The table without its empty rows; checks the required columns if there are rows left."""
    keep = [bool("".join(cells).strip()) for cells in zip(*table.columns.values(), strict=True)]
    if not any(keep):
        return _Table({name: [] for name in table.columns}, [])
    schema.check_present(table.columns, problems)
    if all(keep):
        return table
    index = [i for i, kept in enumerate(keep) if kept]
    renumber = {old: new for new, old in enumerate(index)}
    return _Table(
        {name: [texts[i] for i in index] for name, texts in table.columns.items()},
        [table.positions[i] for i in index],
        None if table.json_keys is None else [table.json_keys[i] for i in index],
        table.row_word,
        {name: [renumber[i] for i in rows if i in renumber] for name, rows in table.rejected.items()},
    )


def _json_text(value: object) -> str | None:
    """The text of a JSON scalar (numbers as written), ``None`` for a list or an object."""
    if isinstance(value, str):  # also a _JSONNumber
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None


def _json_where(at: int, key: str, name: str | None, lines: bool) -> tuple[int | None, str]:
    """JSON: a pointer to the key as spelled in the file; JSONL: the line and the column name."""
    if lines:
        return at, name or key
    return None, f"/{at}/{_pointer_escape(key)}"


class _JSONNumber(str):
    """A JSON number, kept as its text."""

    __slots__ = ()


#: How deep and how many items of a nested value a problem shows (the rest is ``…``).
_DUMP_DEPTH, _DUMP_ITEMS = 3, 8


def _json_dump(value: object, depth: int = 0) -> str:
    """JSON text of a parsed value, with numbers as they were written (shortened: a problem shows it)."""
    if isinstance(value, _JSONNumber):
        return str(value)
    if isinstance(value, (list, dict)) and depth >= _DUMP_DEPTH:
        return "[…]" if isinstance(value, list) else "{…}"
    more = ", …" if isinstance(value, (list, dict)) and len(value) > _DUMP_ITEMS else ""
    if isinstance(value, list):
        return "[" + ", ".join(_json_dump(item, depth + 1) for item in value[:_DUMP_ITEMS]) + more + "]"
    if isinstance(value, dict):
        items = list(value.items())[:_DUMP_ITEMS]
        return "{" + ", ".join(f"{_json_dump(key)}: {_json_dump(item, depth + 1)}" for key, item in items) + more + "}"
    return json.dumps(value, ensure_ascii=False)


def _json_decoder() -> Decoder:
    """Strict JSON (duplicate keys, NaN, lone surrogates refused), one per file; numbers stay text, so that
    "0.1" is read exactly and 1 and "1" mean the same. Nested values are refused by the table, not here."""
    return Decoder(number=_JSONNumber, check_depth=False)

