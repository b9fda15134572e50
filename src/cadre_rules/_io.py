"""Reading and writing officials and units: CSV, XLSX, JSON and JSONL (DESIGN.md §3).

Every format is first turned into a table of raw text, column by column, keyed by contract
column name (headers are matched after stripping, NFC normalisation and case folding, with a
small table of Vietnamese aliases); then one parser per column turns the text into the model's
values, parsing each distinct string of a column once, so that 100k rows read in a few seconds.
Empty rows are skipped; empty optional cells stand for the record's default; unknown columns
are kept in ``extra`` (stripped, NFC, empty values left out).

Every rejected value becomes a located :class:`~cadre_rules.errors.Problem`; all problems of a
file (up to :data:`MAX_FILE_PROBLEMS`) are raised at once as one
:class:`~cadre_rules.errors.InputError`, and nothing is returned from a file with problems.

Locations: CSV and XLSX problems carry the spreadsheet row (header = row 1) and the contract
column name; JSON problems carry ``row=None`` and a JSON pointer (``/12/birth_date``, with the
key as spelled in the file) as the column; JSONL problems carry the line number as the row.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import importlib
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import time
from fractions import Fraction
from pathlib import Path
from typing import Any
from typing import NamedTuple
from typing import TypeVar
from typing import cast

import attrs

from ._codes import CATEGORY
from ._codes import DISCIPLINE
from ._codes import EDUCATION
from ._codes import GENDER
from ._codes import GENERAL_EDUCATION
from ._codes import POLITICAL_THEORY
from ._codes import POSITION
from ._codes import RATING
from ._codes import UNIT_KIND
from ._codes import Vocabulary
from ._codes import fold
from ._dates import parse_date
from ._model import Official
from ._model import Unit
from ._model import default_category
from .errors import InputError
from .errors import Problem

__all__ = [
    "EXTENSIONS",
    "MAX_FILE_PROBLEMS",
    "OFFICIAL_COLUMNS",
    "UNIT_COLUMNS",
    "file_sha256",
    "find_data_files",
    "load_officials",
    "load_units",
    "official_to_row",
    "unit_to_row",
    "write_csv",
]

#: File extensions the readers understand, in the order :func:`find_data_files` lists them.
EXTENSIONS = (".csv", ".xlsx", ".json", ".jsonl")

#: How many problems of one file are collected before reading stops.
MAX_FILE_PROBLEMS = 1000

#: The officials columns of the input contract, in contract order.
OFFICIAL_COLUMNS: tuple[str, ...] = (
    "id", "full_name", "gender", "birth_date", "unit", "position", "concurrent_positions",
    "category", "standing_committee", "general_education", "education", "field_of_study",
    "political_theory", "appointed_on", "in_planning", "ratings", "discipline",
    "low_confidence_share", "under_investigation", "secondment_since", "is_local",
)
_OFFICIAL_REQUIRED = frozenset(
    {"id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"}
)

#: The units columns of the input contract, in contract order.
UNIT_COLUMNS: tuple[str, ...] = ("code", "name", "kind", "class", "district", "has_council")
_UNIT_REQUIRED = frozenset({"code", "name", "kind", "class"})

# Vietnamese header aliases, matched after NFC, case folding and whitespace collapsing.
# Contract names are also matched with spaces for underscores ("Birth date" -> birth_date).
# Keep these tables small: every entry is a header someone could mean for another column.
_OFFICIAL_ALIASES: Mapping[str, str] = {
    "họ và tên": "full_name",
    "họ tên": "full_name",
    "giới tính": "gender",
    "ngày sinh": "birth_date",
    "đơn vị": "unit",
    "chức vụ": "position",
    "trình độ chuyên môn": "education",
    "lý luận chính trị": "political_theory",
}
_UNIT_ALIASES: Mapping[str, str] = {
    "mã": "code",
    "tên": "name",
    "loại": "kind",
    "phân loại": "class",
    "hạng": "class",
    "quận/huyện": "district",
    "huyện": "district",
}

_BOOLS = {
    "true": True, "1": True, "yes": True, "có": True,
    "false": False, "0": False, "no": False, "không": False,
}
_UNIT_CLASSES = {"1": 1, "2": 2, "3": 3, "i": 1, "ii": 2, "iii": 3}
_DECIMAL = re.compile(r"[0-9]+(?:\.([0-9]+))?", re.ASCII)
_SHARE_DECIMALS = 6
_MIN_YEAR, _MAX_YEAR = 1900, 2100


# --------------------------------------------------------------------------- problems


class _Problems:
    """The problems of one file, sorted by their place in the file when raised.

    Each *stream* of problems (one column's values, the rows' shape, duplicate ids…) is produced
    in file order and capped at :data:`MAX_FILE_PROBLEMS`, so the first problems of the file
    are exactly the ones reported however many there are.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self._found: list[tuple[int, Problem]] = []
        self._counts: dict[str, int] = {}
        self._dropped = False

    def add(self, reason: str, row: int | None = None, column: str | None = None, value: str | None = None,
            *, position: int = -1, stream: str = "") -> None:
        """Record a problem; ``position`` orders it in the file (-1: the file or its header)."""
        count = self._counts.get(stream, 0)
        if count < MAX_FILE_PROBLEMS:
            self._counts[stream] = count + 1
            self._found.append((position, Problem(self.file, reason, row, column, value)))
        else:
            self._dropped = True

    def fail(self, reason: str) -> InputError:
        """An error with the problems so far and one more about the whole file."""
        self.add(reason)
        return InputError(self.problems())

    def problems(self) -> list[Problem]:
        self._found.sort(key=lambda found: found[0])  # stable: a row's problems keep their order
        problems = [problem for _, problem in self._found[:MAX_FILE_PROBLEMS]]
        if self._dropped or len(self._found) > MAX_FILE_PROBLEMS:
            problems.append(Problem(self.file, f"more problems follow; only the first {MAX_FILE_PROBLEMS} are shown"))
        return problems

    def check(self) -> None:
        """Raise the collected problems, if any."""
        if self._found:
            raise InputError(self.problems())


# --------------------------------------------------------------------------- tables


@attrs.frozen
class _Schema:
    columns: tuple[str, ...]
    required: frozenset[str]
    aliases: Mapping[str, str]

    def resolve(self, header: str) -> tuple[str, bool]:
        """The column a (stripped, NFC) header names, and whether it is a contract column."""
        key = fold(header)
        alias = self.aliases.get(key)
        if alias is not None:
            return alias, True
        snake = key.replace(" ", "_")
        if snake in self.columns:
            return snake, True
        return header, False

    def check_present(self, present: Iterable[str], problems: _Problems) -> None:
        """Report the missing required columns; if there are any, raise: nothing else is checked."""
        missing = self.required.difference(present)
        for column in self.columns:
            if column in missing:
                problems.add("missing required column", column=column)
        if missing:
            problems.check()


_OFFICIALS = _Schema(OFFICIAL_COLUMNS, _OFFICIAL_REQUIRED, _OFFICIAL_ALIASES)
_UNITS = _Schema(UNIT_COLUMNS, _UNIT_REQUIRED, _UNIT_ALIASES)


@attrs.frozen
class _Table:
    """The non-empty rows of a file, column by column, as raw text."""

    columns: Mapping[str, Sequence[str]]  # column name -> raw text per row
    positions: Sequence[int]  # per row: row number (CSV, XLSX), line (JSONL) or list index (JSON)
    json_keys: Sequence[Mapping[str, str]] | None = None  # JSON: per row, column -> key as spelled
    row_word: str = "row"
    rejected: Mapping[str, Sequence[int]] = attrs.field(factory=dict)  # cells the reader rejected

    def where(self, i: int, column: str) -> tuple[int | None, str]:
        """``(row, column)`` of a Problem about row ``i``'s ``column``."""
        if self.json_keys is None:
            return self.positions[i], column
        key = self.json_keys[i].get(column, column)
        return None, f"/{self.positions[i]}/{_pointer_escape(key)}"

    def describe(self, i: int) -> str:
        if self.json_keys is None:
            return f"{self.row_word} {self.positions[i]}"
        return f"/{self.positions[i]}"


def _pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _read_table(file: str, schema: _Schema, problems: _Problems) -> _Table:
    suffix = Path(file).suffix.lower()
    if suffix not in EXTENSIONS:
        raise problems.fail(f"unknown file type {suffix or '(none)'!r} (expected .csv, .xlsx, .json or .jsonl)")
    if suffix == ".xlsx":
        return _grid_table(_xlsx_grid(file, problems), schema, problems)
    try:
        text = Path(file).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise problems.fail(f"cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise problems.fail(f"not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    if suffix == ".csv":
        return _grid_table(_csv_grid(text, problems), schema, problems)
    return _json_table(text, schema, problems, lines=suffix == ".jsonl")


_Grid = list[list[str]]  # the rows of a CSV file or an XLSX sheet, the header first


def _csv_grid(text: str, problems: _Problems) -> _Grid:
    reader = csv.reader(io.StringIO(text, newline=""))
    grid: _Grid = []
    try:
        grid.extend(reader)
    except csv.Error as exc:
        raise problems.fail(f"malformed CSV in row {len(grid) + 1}: {exc}") from None
    return grid


def _cell_text(value: object) -> str:
    """The text of an XLSX cell value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # at Excel's 15 significant digits: 0.1 + 0.2 shows as 0.3
        return repr(float(f"{value:.15g}"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_grid(file: str, problems: _Problems) -> _Grid:
    # Imported lazily (openpyxl is slow to import) and untyped (openpyxl ships no annotations).
    openpyxl: Any = importlib.import_module("openpyxl")
    invalid: type[Exception] = importlib.import_module("openpyxl.utils.exceptions").InvalidFileException
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, invalid) as exc:
        raise problems.fail(f"cannot read the XLSX workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions: read what is there
        # Gaps are yielded as empty rows, so the n-th row yielded is spreadsheet row n.
        return [[_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _resolve_header(headers: Iterable[str], schema: _Schema, problems: _Problems) -> list[str | None]:
    """Contract or extra column name per header (``None`` for a blank header); check the header."""
    names: list[str | None] = []
    seen: dict[str, str] = {}
    for raw in headers:
        header = _nfc(raw).strip()
        if not header:
            names.append(None)
            continue
        name, _ = schema.resolve(header)
        if name in seen:
            problems.add(f"duplicate column: {seen[name]!r} and {header!r} both name {name!r}", column=name)
        seen.setdefault(name, header)
        names.append(name)
    schema.check_present(seen, problems)
    problems.check()  # duplicate columns
    return names


def _grid_table(grid: _Grid, schema: _Schema, problems: _Problems) -> _Table:
    if not grid:
        raise problems.fail("the file is empty (no header row)")
    names = _resolve_header(grid[0], schema, problems)
    width = len(names)
    unnamed = [i for i, name in enumerate(names) if name is None]
    rows: _Grid = []
    positions: list[int] = []
    for number, raw_cells in enumerate(grid[1:], start=2):
        cells = raw_cells
        if not "".join(cells).strip():
            continue  # an empty row
        count = len(cells)
        if count > width:
            if "".join(cells[width:]).strip():
                problems.add(f"the row has {count} cells but the header only {width}", number,
                             value=",".join(cells[width:]), position=number, stream="shape")
            cells = cells[:width]
        elif count < width:
            cells = cells + [""] * (width - count)
        for i in unnamed:
            if cells[i].strip():
                problems.add(f"value in column {i + 1}, which has no header", number, value=cells[i],
                             position=number, stream="shape")
        rows.append(cells)
        positions.append(number)
    by_column: list[Sequence[str]] = list(zip(*rows, strict=True)) if rows else [()] * width
    columns = {name: by_column[i] for i, name in enumerate(names) if name is not None}
    return _Table(columns, positions)


def _json_items(text: str, problems: _Problems, *, lines: bool) -> list[tuple[int, object]]:
    """``(index, value)`` of a JSON list, or ``(line number, value)`` of a JSONL file."""
    if not lines:
        try:
            data = _json_loads(text)
        except json.JSONDecodeError as exc:
            raise problems.fail(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        if not isinstance(data, list):
            raise problems.fail("expected a JSON list of objects")
        return list(enumerate(data))
    items: list[tuple[int, object]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                items.append((number, _json_loads(line)))
            except json.JSONDecodeError as exc:
                problems.add(f"invalid JSON: {exc.msg} (column {exc.colno})", number, position=number,
                             stream="shape")
    return items


class _Shape(NamedTuple):
    """How the objects with one sequence of keys are read."""

    pairs: tuple[tuple[str, str], ...]  # (key, column) of the keys read
    keys: Mapping[str, str]  # column -> key as spelled
    ignored: tuple[tuple[str, str | None, str], ...]  # (key, column, reason): blank or duplicate names
    as_is: bool  # every key is read under its own name: the object itself is the row


def _json_shape(signature: tuple[str, ...], schema: _Schema, resolved: dict[str, str | None]) -> _Shape:
    pairs: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    ignored: list[tuple[str, str | None, str]] = []
    for key in signature:
        if key not in resolved:
            header = _nfc(key).strip()
            resolved[key] = schema.resolve(header)[0] if header else None
        name = resolved[key]
        if name is None:
            ignored.append((key, None, "value under an empty key"))
        elif name in keys:
            ignored.append((key, name, f"duplicate column: {keys[name]!r} and {key!r} both name {name!r}"))
        else:
            pairs.append((key, name))
            keys[name] = key
    as_is = not ignored and all(key == name for key, name in pairs)
    return _Shape(tuple(pairs), keys, tuple(ignored), as_is)


def _json_table(text: str, schema: _Schema, problems: _Problems, *, lines: bool) -> _Table:
    """The rows of a JSON list of objects, or of a JSONL file (one object per line)."""
    resolved: dict[str, str | None] = {}  # key -> column name (None for a blank key)
    shapes: dict[tuple[str, ...], _Shape] = {}
    rows: list[Mapping[str, object]] = []
    positions: list[int] = []
    row_shapes: list[_Shape] = []
    for at, item in _json_items(text, problems, lines=lines):
        if not isinstance(item, dict):
            where = (at, None) if lines else (None, f"/{at}")
            problems.add("expected a JSON object", *where, position=at, stream="shape")
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
            reason = "expected text, a number or a boolean"
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


def _json_dump(value: object) -> str:
    """JSON text of a parsed value, with numbers as they were written."""
    if isinstance(value, _JSONNumber):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_json_dump(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json_dump(key)}: {_json_dump(item)}" for key, item in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


# Numbers stay text, so that "0.1" is read exactly and 1 and "1" mean the same.
_JSON_DECODER = json.JSONDecoder(parse_int=_JSONNumber, parse_float=_JSONNumber, parse_constant=_JSONNumber)


def _json_loads(text: str) -> object:
    return _JSON_DECODER.decode(text)


# --------------------------------------------------------------------------- values


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _parse_bool(text: str) -> bool:
    value = _BOOLS.get(fold(text))
    if value is None:
        raise ValueError("not a boolean (expected true/false, 1/0, yes/no or có/không)")
    return value


def _parse_codes(vocab: Vocabulary) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        codes = []
        for item in _items(text):
            try:
                codes.append(vocab.parse(item))
            except ValueError as exc:
                raise ValueError(f"{item!r}: {exc}") from None
        return tuple(codes)

    return parse


def _parse_ratings(text: str) -> tuple[tuple[int, str], ...]:
    ratings: dict[int, str] = {}
    for item in _items(text):
        year_text, colon, rating_text = item.partition(":")
        year_text = year_text.strip()
        if not colon:
            raise ValueError(f"{item!r} is not YEAR:rating")
        if not (year_text.isascii() and year_text.isdigit() and _MIN_YEAR <= int(year_text) <= _MAX_YEAR):
            raise ValueError(f"{item!r}: the year must be between {_MIN_YEAR} and {_MAX_YEAR}")
        year = int(year_text)
        try:
            rating = RATING.parse(rating_text)
        except ValueError as exc:
            raise ValueError(f"{item!r}: {exc}") from None
        if year in ratings:
            raise ValueError(f"year {year} is rated twice")
        ratings[year] = rating
    return tuple(sorted(ratings.items()))


def _parse_discipline(text: str) -> tuple[tuple[date, str], ...]:
    entries: list[tuple[date, str]] = []
    for item in _items(text):
        date_text, colon, form_text = item.partition(":")
        if not colon:
            raise ValueError(f"{item!r} is not DATE:form")
        try:
            entries.append((parse_date(date_text), DISCIPLINE.parse(form_text)))
        except ValueError as exc:
            raise ValueError(f"{item!r}: {exc}") from None
    entries.sort(key=lambda entry: (entry[0], DISCIPLINE.rank(entry[1])))
    return tuple(entries)


def _parse_share(text: str) -> Fraction:
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise ValueError("not a decimal number between 0 and 1")
    if match[1] is not None and len(match[1]) > _SHARE_DECIMALS:
        raise ValueError(f"more than {_SHARE_DECIMALS} decimal places")
    share = Fraction(text)
    if share > 1:
        raise ValueError("must be between 0 and 1")
    return share


def _parse_unit_class(text: str) -> int:
    key = fold(text)
    for prefix in ("loại ", "hạng "):
        key = key.removeprefix(prefix)
    value = _UNIT_CLASSES.get(key.strip())
    if value is None:
        raise ValueError("not a unit class (expected 1, 2 or 3; also I, II, III)")
    return value


class _Field(NamedTuple):
    column: str
    attribute: str
    parse: Callable[[str], Any]
    required: bool = False
    cached: bool = True  # False for columns whose values are mostly unique (ids, names)


_OFFICIAL_FIELDS = (
    _Field("id", "id", _nfc, required=True, cached=False),
    _Field("full_name", "full_name", _nfc, required=True, cached=False),
    _Field("gender", "gender", GENDER.parse, required=True),
    _Field("birth_date", "birth_date", parse_date, required=True),
    _Field("unit", "unit", _nfc, required=True),
    _Field("position", "position", POSITION.parse, required=True),
    _Field("concurrent_positions", "concurrent_positions", _parse_codes(POSITION)),
    _Field("category", "category", CATEGORY.parse),
    _Field("standing_committee", "standing_committee", _parse_bool),
    _Field("general_education", "general_education", GENERAL_EDUCATION.parse),
    _Field("education", "education", EDUCATION.parse, required=True),
    _Field("field_of_study", "field_of_study", _nfc),
    _Field("political_theory", "political_theory", POLITICAL_THEORY.parse, required=True),
    _Field("appointed_on", "appointed_on", parse_date),
    _Field("in_planning", "in_planning", _parse_bool),
    _Field("ratings", "ratings", _parse_ratings),
    _Field("discipline", "discipline", _parse_discipline),
    _Field("low_confidence_share", "low_confidence_share", _parse_share),
    _Field("under_investigation", "under_investigation", _parse_bool),
    _Field("secondment_since", "secondment_since", parse_date),
    _Field("is_local", "is_local", _parse_bool),
)

_UNIT_FIELDS = (
    _Field("code", "code", _nfc, required=True, cached=False),
    _Field("name", "name", _nfc, required=True),
    _Field("kind", "kind", UNIT_KIND.parse, required=True),
    _Field("class", "unit_class", _parse_unit_class, required=True),
    _Field("district", "district", _nfc),
    _Field("has_council", "has_council", _parse_bool),
)


class _Bad(NamedTuple):
    """A rejected value (in place of a parsed one)."""

    reason: str


_MISSING = _Bad("required value is missing")
_REJECTED = _Bad("rejected by the reader")
_COMPUTED: Any = object()  # an empty optional cell whose default the record computes


def _defaults(cls: type) -> dict[str, Any]:
    """The value an empty optional cell stands for, per attribute: the record's default."""
    defaults: dict[str, Any] = {}
    for field in attrs.fields(cls):
        is_factory = getattr(field.default, "factory", None) is not None  # an attrs.Factory
        defaults[field.name] = _COMPUTED if is_factory else field.default
    return defaults


# The records' computed defaults (attrs.Factory(takes_self=True)), computed here the same way from
# the attribute they depend on, so that records are built with positional arguments (much faster).
_COMPUTED_DEFAULTS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {"category": ("position", default_category)}


def _parse_cell(raw: str, field: _Field, default: Any) -> Any:
    text = raw.strip()
    if not text:
        return _MISSING if field.required else default
    try:
        return field.parse(text)
    except ValueError as exc:
        return _Bad(str(exc))


def _parse_column(table: _Table, field: _Field, default: Any, problems: _Problems) -> list[Any]:
    """The parsed value of ``field`` per row (:class:`_Bad` where rejected, reported)."""
    texts = table.columns.get(field.column)
    if texts is None:  # an optional column that is not in the file
        return [default] * len(table.positions)
    if field.cached:  # repeated strings are parsed once
        cache: dict[str, Any] = {}
        values = []
        for raw in texts:
            value = cache.get(raw, cache)
            if value is cache:
                value = cache[raw] = _parse_cell(raw, field, default)
            values.append(value)
        bad = {raw for raw, value in cache.items() if type(value) is _Bad}
        rejected = [i for i, raw in enumerate(texts) if raw in bad] if bad else []
    else:
        values = [_parse_cell(raw, field, default) for raw in texts]
        rejected = [i for i, value in enumerate(values) if type(value) is _Bad]
    already = table.rejected.get(field.column)
    if already:  # cells the reader rejected and reported
        skip = set(already)
        rejected = [i for i in rejected if i not in skip]
        for i in already:
            values[i] = _REJECTED
    for i in rejected[: MAX_FILE_PROBLEMS + 1]:  # one more marks the rest as dropped
        row, column = table.where(i, field.column)
        problems.add(values[i].reason, row, column, texts[i], position=table.positions[i], stream=field.column)
    return values


def _check_unique(table: _Table, column: str, values: Sequence[Any], problems: _Problems) -> None:
    if len(set(values)) == len(values):
        return
    first: dict[Any, int] = {}
    for i, value in enumerate(values):
        if type(value) is _Bad:
            continue
        seen = first.setdefault(value, i)
        if seen != i:
            row, where = table.where(i, column)
            reason = f"duplicate {column} (first seen in {table.describe(seen)})"
            problems.add(reason, row, where, table.columns[column][i], position=table.positions[i],
                         stream="duplicate")


def _check_known(table: _Table, column: str, values: Sequence[Any], known: Mapping[str, object],
                 problems: _Problems) -> None:
    unknown = {value for value in set(values) if type(value) is not _Bad and value not in known}
    rejected = [i for i, value in enumerate(values) if value in unknown]
    for i in rejected[: MAX_FILE_PROBLEMS + 1]:  # one more marks the rest as dropped
        row, where = table.where(i, column)
        problems.add(f"unknown {column} code", row, where, table.columns[column][i], position=table.positions[i],
                     stream="unknown")


def _extras(table: _Table, schema: _Schema) -> list[dict[str, str]]:
    """Per row, the non-empty values of the columns that are not in the contract (NFC, stripped)."""
    names = [name for name in table.columns if name not in schema.columns]
    if not names:
        return [{} for _ in table.positions]
    columns = []
    for name in names:
        texts = table.columns[name]
        clean = {raw: _nfc(raw.strip()) for raw in set(texts)}
        columns.append([clean[raw] for raw in texts])
    rows = zip(*columns, strict=True)
    return [{name: value for name, value in zip(names, row, strict=True) if value} for row in rows]


_R = TypeVar("_R", bound=attrs.AttrsInstance)


def _records(table: _Table, schema: _Schema, fields: Sequence[_Field], make: type[_R], problems: _Problems,
             *, key: str, known: Mapping[str, object] | None = None) -> tuple[_R, ...]:
    """The records of the table; ``key`` must be unique (and in ``known``, if given, for ``unit``)."""
    defaults = _defaults(make)
    values = {field.attribute: _parse_column(table, field, defaults[field.attribute], problems) for field in fields}
    key_attribute = next(field.attribute for field in fields if field.column == key)
    _check_unique(table, key, values[key_attribute], problems)
    if known is not None:
        _check_known(table, "unit", values["unit"], known, problems)
    problems.check()
    count = len(table.positions)
    extras = _extras(table, schema)
    columns: list[Sequence[Any]] = []
    for field in attrs.fields(make):
        name = field.name
        if field.kw_only:
            raise TypeError(f"{make.__name__}.{name} is keyword-only")
        if name == "extra":
            column: Sequence[Any] = extras
        elif name in values:
            column = values[name]
        elif defaults[name] is not _COMPUTED:
            column = [defaults[name]] * count  # an attribute the input contract does not have
        else:
            raise TypeError(f"{make.__name__}.{name}: no input column and a computed default")
        if defaults[name] is _COMPUTED and name != "extra":
            source, compute = _COMPUTED_DEFAULTS[name]
            column = [compute(other) if value is _COMPUTED else value
                      for value, other in zip(column, values[source], strict=True)]
        columns.append(column)
    build: Callable[..., _R] = make
    return tuple(build(*args) for args in zip(*columns, strict=True))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restoring its state after).

    Reading allocates many objects and no reference cycles; the collections that the
    allocations would trigger cost about a quarter of the reading time of a large file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path: str | os.PathLike[str], schema: _Schema,
          convert: Callable[[_Table, _Problems], tuple[_R, ...]]) -> tuple[_R, ...]:
    problems = _Problems(os.fspath(path))
    with _gc_paused():
        return convert(_read_table(problems.file, schema, problems), problems)


def load_officials(path: str | os.PathLike[str], *, units: Mapping[str, Unit] | None = None) -> tuple[Official, ...]:
    """Read the officials of a CSV, XLSX, JSON or JSONL file (DESIGN.md §3).

    :param units: the known units by code; when given, every official's ``unit`` must be one.
    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`).
    """

    def convert(table: _Table, problems: _Problems) -> tuple[Official, ...]:
        return _records(table, _OFFICIALS, _OFFICIAL_FIELDS, Official, problems, key="id", known=units)

    return _load(path, _OFFICIALS, convert)


def load_units(path: str | os.PathLike[str]) -> tuple[Unit, ...]:
    """Read the units of a CSV, XLSX, JSON or JSONL file (DESIGN.md §3).

    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`).
    """

    def convert(table: _Table, problems: _Problems) -> tuple[Unit, ...]:
        return _records(table, _UNITS, _UNIT_FIELDS, Unit, problems, key="code")

    return _load(path, _UNITS, convert)


# --------------------------------------------------------------------------- files


def find_data_files(directory: Path, extensions: Sequence[str] = EXTENSIONS) -> tuple[Path, Path]:
    """The ``officials.*`` and ``units.*`` files of a data directory (``extensions``, with the dot).

    File names are matched case-insensitively; other files are ignored.

    :raises InputError: if the directory is missing, or either file is missing or ambiguous.
    """
    where = str(directory)
    if not directory.is_dir():
        raise InputError([Problem(where, "not a directory")])
    found: dict[str, list[Path]] = {"officials": [], "units": []}
    for entry in sorted(directory.iterdir()):
        name = entry.name.lower()
        stem, dot, suffix = name.rpartition(".")
        if stem in found and dot and f".{suffix}" in extensions and entry.is_file():
            found[stem].append(entry)
    problems = []
    for stem, paths in found.items():
        if not paths:
            options = [f"{stem}{extensions[0]}", *extensions[1:]]
            listed = options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
            problems.append(Problem(where, f"no {stem} file ({listed})"))
        elif len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(Problem(where, f"more than one {stem} file: {names}"))
    if problems:
        raise InputError(problems)
    return found["officials"][0], found["units"][0]


def file_sha256(*paths: Path) -> str:
    """SHA-256 (hex) of the files' bytes concatenated in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError as exc:
            raise InputError([Problem(str(path), f"cannot read the file: {exc.strerror or exc}")]) from None
    return digest.hexdigest()


# --------------------------------------------------------------------------- writing


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _share_text(share: Fraction | None) -> str:
    if share is None:
        return ""
    scaled = share * 10**_SHARE_DECIMALS
    if scaled.denominator != 1 or not 0 <= share <= 1:
        raise ValueError(f"low_confidence_share {share} is not a decimal in 0..1 with at most 6 places")
    whole, part = divmod(int(scaled), 10**_SHARE_DECIMALS)
    return f"{whole}.{part:0{_SHARE_DECIMALS}d}".rstrip("0").rstrip(".")


def _add_extra(row: dict[str, str], extra: Mapping[str, str], schema: _Schema) -> dict[str, str]:
    for key, value in extra.items():
        name, known = schema.resolve(_nfc(key).strip())
        if not name:
            raise ValueError(f"extra field {key!r} has a blank name")
        if known or name in row:
            raise ValueError(f"extra field {key!r} would be read back as the column {name!r}")
        row[key] = value
    return row


def official_to_row(o: Official) -> dict[str, str]:
    """The contract columns (then the extra fields) of an official, as the readers accept them."""
    row = {
        "id": o.id,
        "full_name": o.full_name,
        "gender": o.gender,
        "birth_date": o.birth_date.isoformat(),
        "unit": o.unit,
        "position": o.position,
        "concurrent_positions": ";".join(o.concurrent_positions),
        "category": o.category or "",
        "standing_committee": _bool_text(o.standing_committee),
        "general_education": o.general_education or "",
        "education": o.education,
        "field_of_study": o.field_of_study or "",
        "political_theory": o.political_theory,
        "appointed_on": _date_text(o.appointed_on),
        "in_planning": _bool_text(o.in_planning),
        "ratings": ";".join(f"{year}:{rating}" for year, rating in sorted(o.ratings)),
        "discipline": ";".join(f"{when.isoformat()}:{form}" for when, form in o.discipline),
        "low_confidence_share": _share_text(o.low_confidence_share),
        "under_investigation": _bool_text(o.under_investigation),
        "secondment_since": _date_text(o.secondment_since),
        "is_local": "" if o.is_local is None else _bool_text(o.is_local),
    }
    return _add_extra(row, o.extra, _OFFICIALS)


def unit_to_row(u: Unit) -> dict[str, str]:
    """The contract columns (then the extra fields) of a unit, as the readers accept them."""
    row = {
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "class": str(u.unit_class),
        "district": u.district or "",
        "has_council": _bool_text(u.has_council),
    }
    return _add_extra(row, u.extra, _UNITS)


def _csv_field(value: str) -> str:
    # csv.writer leaves a lone "\r" unquoted when the line terminator is "\n"; quote it ourselves.
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path: Path, rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> None:
    """Write rows as UTF-8 CSV (no BOM, ``\\n`` line endings, minimal quoting), header first.

    A row's missing columns are written empty.

    :raises ValueError: if a row has a key that is not in ``columns`` (nothing is written).
    """
    known = set(columns)
    lines = [",".join(_csv_field(c) for c in columns)]
    for row in rows:
        unknown = row.keys() - known
        if unknown:
            raise ValueError(f"row has columns missing from `columns`: {sorted(unknown)}")
        fields = [_csv_field(row.get(c, "")) for c in columns]
        lines.append(",".join(fields) if fields != [""] else '""')
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines) + "\n")
