"""Reading an XLSX workbook: the sheet of officials or of units (the only one, or found by name or by its header
row), its cells as text (by python-calamine; by openpyxl for error values and chart sheets); and the checks the
libraries do not make: before they parse the zip members (their uncompressed size as decompressed, not as
declared; the shared-strings count; the longest text), and after (formulas whose value was never stored, which
both read as empty).
"""

from __future__ import annotations

import importlib
import re
import zipfile
import zlib
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import time
from typing import Any
from typing import NamedTuple
from typing import Protocol

from .._limits import limit
from .._limits import open_run
from .._limits import too_large
from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Message
from ..errors import os_reason
from ..model._codes import bare
from ..model._codes import match_key
from ._headers import EXAMPLE
from ._headers import HEADER_SEARCH_ROWS
from ._headers import MIN_HEADER_SCORE
from ._headers import SheetSchema
from ._headers import best_row
from ._headers import header_row
from ._headers import is_ignored
from ._merged import MERGE_MARK
from ._merged import Merge
from ._merged import fill_merged_down
from ._merged import merge_tags

_Grid = list[list[str]]  # the rows of a sheet, the header first (as ``_tables`` reads them)


class _Problems(Protocol):
    """What the reading here needs of the readers' problems of a file (``_tables._Problems``; a protocol,
    so that this module does not import the readers that import it)."""

    #: the sheet the problems are in (named in each problem)
    sheet: str | None

    def add(self, reason: str, row: int | None = None, column: str | None = None, value: str | None = None,
            *, position: int = -1, stream: str = "", template: str | None = None,
            fields: tuple[tuple[str, object], ...] = ()) -> None: ...

    def add_of(self, template: str, row: int | None = None, column: str | None = None, value: str | None = None,
               *, position: int = -1, stream: str = "", **fields: object) -> None: ...

    def fail(self, template: str | Message, **fields: object) -> InputError: ...

    def check(self) -> None: ...

    def note(self, template: str, **fields: object) -> None: ...

__all__ = ["CHUNK", "RESAVE", "XLS_REFUSAL", "Hidden", "Scan", "cell_text", "drop_example", "drop_footer",
           "say_hidden", "scan_workbook", "unstored_formulas", "xlsx_grid"]

XLS_REFUSAL = N_("an Excel 97-2003 workbook (.xls) is not read: open it in Excel and save it as .xlsx — "
                 "mở tệp trong Excel, chọn Lưu dưới dạng (Save As) Sổ làm việc Excel (.xlsx)")
#: The first bytes of an Excel 97-2003 (OLE2) file.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: How to make a workbook that cannot be read readable again (Vietnamese, then English).
RESAVE = N_("; mở tệp trong Excel hoặc LibreOffice và Lưu dưới dạng .xlsx (open it in Excel or LibreOffice and "
            "save it again as .xlsx)")

#: Bytes decompressed (or read) at a time.
CHUNK = 1 << 20
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_PREFIXED_SHARED_STRING = re.compile(rb"<\w+:si[\s>/]")
_PREFIXED_ROW = re.compile(rb"<\w+:row[\s>/]")
#: Where a units file is given beside a workbook (the API's and the service's ``units``, the command line's
#: ``--units``: :func:`~cadre_rules.errors.named_by`).
UNITS_FILE = Argument("units")
#: How a formula begins in a worksheet's XML (``<f>``, ``<f t="shared" …/>``, with or without a prefix);
#: a false match only costs the cell-by-cell check.
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
#: How a cell of an error value (``#N/A``) is marked; a false match only costs the slower reader.
_ERROR_TAGS = (b't="e"', b"t='e'")


#: How a hidden row or column is marked (``<row r="12" hidden="1">``, ``<col min="8" max="8" hidden="1"/>``); the
#: tags are looked for only in a chunk that holds one of these.
_HIDDEN_MARKS = (b'hidden="1"', b'hidden="true"', b"hidden='1'", b"hidden='true'")
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?\bhidden=[\"'](?:1|true)[\"'][^>]*>")
_HIDDEN_COLUMN = re.compile(rb"<(?:\w+:)?col\s[^>]*?\bhidden=[\"'](?:1|true)[\"'][^>]*>")
_ATTRIBUTE = re.compile(rb"\b(r|min|max)=[\"']([0-9]+)[\"']")
#: How much of the previous chunk is searched again for a tag that a chunk's end cut.
_TAG_TAIL = 512


class Hidden(NamedTuple):
    """The rows and the columns (numbered from 1) a worksheet hides: hidden by hand, or filtered out."""

    rows: frozenset[int]
    columns: frozenset[int]


class Scan(NamedTuple):
    """What :func:`scan_workbook` found in the worksheets besides values."""

    formulas: bool  # a formula (only then are stored values checked, cell by cell)
    errors: bool  # an error value (``#N/A``, ``#REF!``): read by openpyxl, which keeps it as text
    #: per worksheet member (``xl/worksheets/sheet1.xml``) that hides any, its hidden rows and columns
    hidden: Mapping[str, Hidden]
    #: per worksheet member that merges cells, its merged ranges
    merged: Mapping[str, frozenset[Merge]]


def _hidden_tags(window: bytes, rows: set[int], columns: set[int]) -> None:
    """The hidden rows and columns marked in ``window`` (a chunk with the end of the one before)."""
    for tag in _HIDDEN_ROW.findall(window):
        numbers = dict(_ATTRIBUTE.findall(tag))
        if b"r" in numbers:
            rows.add(int(numbers[b"r"]))
    for tag in _HIDDEN_COLUMN.findall(window):
        numbers = dict(_ATTRIBUTE.findall(tag))
        if b"min" in numbers and b"max" in numbers:
            columns.update(range(int(numbers[b"min"]), min(int(numbers[b"max"]), 16384) + 1))


def scan_workbook(file: str, problems: _Problems) -> Scan:
    """Check an XLSX workbook's zip members before they are parsed: the uncompressed size (as decompressed, not
    as declared), the shared-strings count, a sheet's rows and the longest text; whether a worksheet holds
    formulas or error values."""
    max_bytes, max_strings = limit("MAX_XLSX_BYTES"), limit("MAX_SHARED_STRINGS")
    max_rows = limit("MAX_ROWS") + 1  # (the header)
    max_text = 4 * limit("MAX_CELL_CHARS")  # UTF-8 bytes: more than this is more characters than the limit
    formulas = errors = False
    total = 0
    hidden: dict[str, Hidden] = {}
    merged: dict[str, frozenset[Merge]] = {}
    try:
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                name = info.filename
                strings = name.endswith("sharedStrings.xml")
                sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                if not (strings or sheet):
                    total += info.file_size  # small parts (styles, workbook): as declared
                    continue
                count, run, tail = 0, 0, b""  # shared strings so far, open text, the previous chunk's end
                rows: set[int] = set()
                columns: set[int] = set()
                merges: set[Merge] = set()
                end = b""  # the previous chunk's end, for a hidden row's tag cut in two
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise problems.fail(too_large("MAX_XLSX_BYTES", N_("the uncompressed workbook")))
                        if strings:
                            count += _tags(chunk, b"<si", _PREFIXED_SHARED_STRING) + _straddling(tail, chunk)
                            if count > max_strings:
                                raise problems.fail(too_large("MAX_SHARED_STRINGS", N_("the shared-strings table")))
                        else:
                            count += _tags(chunk, b"<row", _PREFIXED_ROW)  # (one split across chunks: a bound)
                            if count > max_rows:
                                raise problems.fail(too_large("MAX_ROWS", N_("the number of rows of a sheet")))
                            window = tail + chunk
                            formulas = formulas or any(tag in window for tag in _FORMULA_TAGS)
                            errors = errors or any(tag in window for tag in _ERROR_TAGS)
                            marked = end + chunk  # (a tag cut by the chunk's start)
                            if any(mark in marked for mark in _HIDDEN_MARKS):
                                _hidden_tags(marked, rows, columns)
                            if MERGE_MARK in marked:
                                merge_tags(marked, merges)
                            end = chunk[-_TAG_TAIL:]
                        run = _longest_text(run, chunk, max_text, problems)
                        tail = chunk[-8:]
                if rows or columns:
                    hidden[name] = Hidden(frozenset(rows), frozenset(columns))
                if merges:
                    merged[name] = frozenset(merges)
            if total > max_bytes:
                raise problems.fail(too_large("MAX_XLSX_BYTES", N_("the uncompressed workbook")))
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        raise problems.fail(N_("cannot read the XLSX workbook: {reason}{resave}"), reason=exc,
                                resave=RESAVE) from None
    except Exception as exc:  # a damaged zip fails deep inside zipfile (NotImplementedError…)
        raise problems.fail(N_("cannot read the XLSX workbook (damaged?): {error}: {reason}{resave}"),
                                error=type(exc).__name__, reason=exc, resave=RESAVE) \
            from None
    return Scan(formulas, errors, hidden, merged)


def _tags(chunk: bytes, tag: bytes, prefixed: re.Pattern[bytes]) -> int:
    """Opening ``tag``s in ``chunk`` (``<si>``, ``<si …>``; with a namespace prefix only if there is one)."""
    count = chunk.count(tag + b">") + chunk.count(tag + b" ")
    if b":" + tag[1:] in chunk:
        count += len(prefixed.findall(chunk))
    return count


def _straddling(tail: bytes, chunk: bytes) -> int:
    """Shared-string tags that begin in the previous chunk's ``tail`` and end in ``chunk``."""
    return sum(1 for m in _SHARED_STRING.finditer(tail + chunk[:16]) if m.start() < len(tail) < m.end())


def _longest_text(run: int, chunk: bytes, max_text: float, problems: _Problems) -> int:
    """Refuse a text (bytes between tags) longer than ``max_text``; return the text still open at the end."""
    after = open_run(run, chunk, b"<", max_text)
    if after is None:
        raise problems.fail(too_large("MAX_CELL_CHARS", N_("a cell's text")))
    return after


def unstored_formulas(openpyxl: Any, file: str, grid: _Grid, problems: _Problems, index: int = 0,
                      header: list[str] | None = None) -> None:
    """Cells holding a formula whose value was never stored (the workbook was not calculated): openpyxl reads
    them as empty, so ``TRUE`` would become the default ``false``. Located by row and header (the cells of
    the header row), in the sheet ``index``. An ``STT`` column (:func:`~._headers.is_ignored`) is read by nobody:
    its formulas (``=ROW()-5``, in a workbook a script wrote) refuse nothing."""
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[index]
        sheet.reset_dimensions()
        if header is None:
            header = grid[0] if grid else []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            for i, value in enumerate(values):
                if i < len(header) and is_ignored(header[i]):
                    continue
                if isinstance(value, str) and value.startswith("=") and \
                        (number > len(grid) or i >= len(grid[number - 1]) or grid[number - 1][i] == ""):
                    named = i < len(header) and header[i].strip()
                    column = header[i].strip() if named else openpyxl.utils.get_column_letter(i + 1)
                    problems.add_of(N_("a formula without a stored value (open the workbook in Excel or "
                                       "LibreOffice and save it, so that its values are calculated)"), number,
                                    column, value, position=number, stream="formula")
    finally:
        workbook.close()
    problems.check()


def cell_text(value: object) -> str:
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


def xlsx_grid(file: str, schema: SheetSchema, problems: _Problems) -> _Grid:
    """The rows of the sheet of ``schema``'s records, as text (the n-th row is spreadsheet row n).

    Read by python-calamine (Rust: ten times openpyxl's speed); by openpyxl when calamine would not read the
    values as they are kept: error values (calamine reads ``#N/A`` as an empty cell), sheets other than
    worksheets (charts), a file that is not a zip (for openpyxl's message)."""
    try:
        with open(file, "rb") as handle:
            if handle.read(len(OLE2)) == OLE2:
                raise problems.fail(XLS_REFUSAL)
    except OSError:
        pass  # reported below, as the workbook is opened
    scan = scan_workbook(file, problems) if zipfile.is_zipfile(file) else None
    found = _calamine_values(file, schema, problems) if scan is not None and not scan.errors else None
    # Imported lazily (openpyxl is slow to import) and untyped (openpyxl ships no annotations).
    openpyxl: Any = importlib.import_module("openpyxl") if found is None or scan is None or scan.formulas else None
    if found is None:
        invalid: type[Exception] = importlib.import_module("openpyxl.utils.exceptions").InvalidFileException
        found = _xlsx_values(openpyxl, invalid, file, schema, problems)
    index, grid = found
    if scan is not None and scan.formulas:
        unstored_formulas(openpyxl, file, grid, problems, index, grid[header_row(grid, schema)] if grid else [])
    member = _worksheet_member(file, index) if scan is not None and (scan.hidden or scan.merged) else ""
    if scan is not None and member in scan.merged:
        fill_merged_down(grid, scan.merged[member], schema, problems)
    drop_footer(grid, schema, problems)
    drop_example(grid, schema, problems)
    if scan is not None and member in scan.hidden:
        say_hidden(grid, scan.hidden[member], schema, problems)
    return grid


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ID = re.compile(rb"\b(?:\w+:)?[iI]d=[\"']([^\"']*)[\"']")
_TARGET = re.compile(rb"\bTarget=[\"']([^\"']*)[\"']")


def _worksheet_member(file: str, index: int) -> str:
    """The zip member of the ``index``-th worksheet of the workbook (found by the workbook's parts: the sheets in
    order, and the member each names); empty if the parts cannot say."""
    try:
        with zipfile.ZipFile(file) as archive:
            sheets = archive.read("xl/workbook.xml")
            relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, OSError, zipfile.BadZipFile, zlib.error, ValueError):
        return ""
    targets = {}
    for tag in _RELATION_TAG.findall(relations):
        ident, target = _ID.search(tag), _TARGET.search(tag)
        if ident is not None and target is not None:
            path = target[1].decode("utf-8", "replace").lstrip("/")
            targets[ident[1]] = path if path.startswith("xl/") else "xl/" + path
    members = [targets.get(ident[1], "") for ident in map(_ID.search, _SHEET_TAG.findall(sheets))
               if ident is not None]
    worksheets = [member for member in members if member.startswith("xl/worksheets/")]
    return worksheets[index] if index < len(worksheets) else ""


#: How many runs of hidden rows a note lists.
_SHOWN_RUNS = 8


def say_hidden(grid: _Grid, hidden: Hidden, schema: SheetSchema, problems: _Problems) -> None:
    """A note for the rows of records and the columns of the contract that the sheet hides (by hand, or by a
    filter): they are read like the others, which the officer who hid them may not expect (people who left,
    an old column). By row numbers and headers only."""
    if not grid:
        return
    top = header_row(grid, schema)
    rows = sorted(r for r in hidden.rows if top + 1 < r <= len(grid) and "".join(grid[r - 1]).strip())
    if rows:
        runs: list[list[int]] = []
        for r in rows:
            if runs and r == runs[-1][-1] + 1:
                runs[-1].append(r)
            else:
                runs.append([r])
        shown = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs[:_SHOWN_RUNS])
        problems.note(N_("{count} row(s) hidden in Excel (by hand or by a filter) are read like the others: {rows}; "
                         "delete the rows of people no longer on the list"), count=len(rows),
                      rows=shown + (", …" if len(runs) > _SHOWN_RUNS else ""))
    header = grid[top]
    columns = [header[c - 1].strip() for c in sorted(hidden.columns) if c <= len(header) and header[c - 1].strip()
               and not is_ignored(header[c - 1]) and schema.resolve(header[c - 1].strip())[1]]
    if columns:
        problems.note(N_("column(s) hidden in Excel are read like the others: {columns}"),
                      columns=", ".join(map(repr, columns)))


#: How many rows under the header the template's example row is looked for in (it is the first).
_EXAMPLE_ROWS = 3


def drop_example(grid: _Grid, schema: SheetSchema, problems: _Problems) -> None:
    """Leave out the example row of ``cadre-rules template`` (``CB001 Nguyễn Văn An`` of ``Xã Mẫu``, a unit no
    commune bears) when it was kept while the real rows were added below it: it would be evaluated as a person
    and a commune. A note says which row and its id, no name (the row stays empty, so that the other rows keep
    their numbers)."""
    example = EXAMPLE.get(schema.kind)
    if not grid or example is None:
        return
    top = header_row(grid, schema)
    where = {schema.resolve(h.strip())[0]: i for i, h in enumerate(grid[top]) if h.strip()}
    cells = [(where[column], text) for column, text in example.items() if column in where]
    if len(cells) < 2:
        return
    for number in range(top + 1, min(top + 1 + _EXAMPLE_ROWS, len(grid))):  # where the template puts it
        row = grid[number]
        if all(i < len(row) and row[i].strip() == text for i, text in cells):
            problems.note(N_("row {row} is the template's example ({example}): not read; delete it, or write a "
                             "real record over it"), row=number + 1, example=next(iter(example.values())))  # (its id)
            grid[number] = [""] * len(row)


#: How the signature block under a list begins (a cell's first words, without marks): its signers' titles.
_SIGNERS = ("nguoi lap", "thu truong", "xac nhan cua", "tm.", "t/m", "kt.", "k/t")
#: The date line of a signature block ("Tương Mai, ngày 05 tháng 12 năm 2025", "ngày … tháng … năm …"), without marks.
_DATE_LINE = re.compile(r"(?:^|\W)ngay\W.*\bthang\W.*\bnam\b")


def _signature(row: list[str]) -> bool:
    """Whether a row begins a signature block: a cell that begins with a signer's title ("Người lập biểu", "Thủ
    trưởng đơn vị", "TM. Ủy ban nhân dân") or is a date line; a person's row has neither."""
    for cell in row:
        if cell.strip():
            text = " ".join(bare(cell).split())
            if text.startswith(_SIGNERS) or _DATE_LINE.search(text):
                return True
    return False


def drop_footer(grid: _Grid, schema: SheetSchema, problems: _Problems) -> None:
    """Take off the rows an office writes under its list, after an empty row: the signature block ("Người lập
    biểu", "Thủ trưởng đơn vị", the signers' names, "Tương Mai, ngày … tháng … năm …"), a total, a remark.

    They are the rows at the end of the sheet that fill fewer than half of the required columns (a record fills
    them all) and hold no row number in an ``STT`` column, below an empty row under the last row that fills
    them, or right under it when their first row is a signature's (:func:`_signature`); a note says which rows
    were not read (by number only: a signer's name is never repeated). Another sparse row right under the
    records, with no empty row between, stays: it is a record with missing cells, and its problems are
    reported as before. Sheets of officials and of units only (their notes are shown)."""
    if not grid or schema.kind not in ("officials", "units"):
        return
    top = header_row(grid, schema)
    header = grid[top]
    required = [i for i, h in enumerate(header) if h.strip() and schema.resolve(h.strip())[0] in schema.required]
    numbered = [i for i, h in enumerate(header) if h.strip() and is_ignored(h)]
    if len(required) < 2:
        return

    def sparse(row: list[str]) -> bool:
        filled = sum(1 for i in required if i < len(row) and row[i].strip())
        return 2 * filled < len(required) and not any(i < len(row) and row[i].strip().isdigit() for i in numbered)

    end = len(grid)  # the first row of the block at the end: empty or sparse rows only
    while end > top + 1 and (not "".join(grid[end - 1]).strip() or sparse(grid[end - 1])):
        end -= 1
    block = [i for i in range(end, len(grid)) if "".join(grid[i]).strip()]
    if end == top + 1 or not block or (block[0] == end and not _signature(grid[end])):
        return  # no record above it, nothing in it, or no empty row between the records and it nor a signature
    first, last = block[0] + 1, block[-1] + 1
    if first == last:
        problems.note(N_("row {first} under the list is not read: it fills few of the required columns (a "
                         "signature or a remark under the table); if it is a person, fill their row"), first=first)
    else:
        problems.note(N_("rows {first}–{last} under the list are not read: they fill few of the required columns "
                         "(a signature or a remark under the table); if one of them is a person, fill their row"),
                      first=first, last=last)
    del grid[end:]


def _texts(row: list[Any]) -> list[str]:
    """The texts of a row of values (a row of text as it is)."""
    return row if set(map(type, row)) <= _TEXT else list(map(cell_text, row))


_TEXT = frozenset({str})


def _calamine_values(file: str, schema: SheetSchema, problems: _Problems) -> tuple[int, _Grid] | None:
    """The index and the rows of the sheet of ``schema``'s records, read by python-calamine; ``None`` if the
    workbook has a sheet that is not a worksheet (openpyxl then reads it, so that sheet indices agree)."""
    calamine: Any = importlib.import_module("python_calamine")
    try:
        workbook = calamine.CalamineWorkbook.from_path(file)
    except Exception as exc:
        raise problems.fail(f"cannot read the XLSX workbook (damaged?): {type(exc).__name__}: {exc}{RESAVE}") \
            from None
    try:
        if any(sheet.typ != calamine.SheetTypeEnum.WorkSheet for sheet in workbook.sheets_metadata):
            return None
        titles = [str(name) for name in workbook.sheet_names]
        sheets: dict[int, Any] = {}

        def sheet(i: int) -> Any:
            if i not in sheets:
                sheets[i] = workbook.get_sheet_by_index(i)
            return sheets[i]

        index = _choose_sheet(titles, lambda i: sheet(i).to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS),
                              schema, problems)
        if len(titles) > 1:
            problems.sheet = titles[index]
        # From A1: gaps are empty rows, so the n-th row is spreadsheet row n.
        return index, list(map(_texts, sheet(index).to_python(skip_empty_area=False)))
    except InputError:
        raise
    except Exception as exc:
        raise problems.fail(f"cannot read the XLSX workbook (damaged?): {type(exc).__name__}: {exc}{RESAVE}") \
            from None
    finally:
        workbook.close()


def _xlsx_values(openpyxl: Any, invalid: type[Exception], file: str, schema: SheetSchema,
                 problems: _Problems) -> tuple[int, _Grid]:
    """The index and the rows of the sheet of ``schema``'s records (see :func:`_choose_sheet`), read by openpyxl."""
    try:
        handle = open(file, "rb")  # noqa: SIM115 - ours to close whatever openpyxl does on damage
    except OSError as exc:
        raise problems.fail(N_("cannot read the XLSX workbook: {reason}{resave}"), reason=os_reason(exc),
                            resave="") from None
    with handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, invalid) as exc:
            raise problems.fail(N_("cannot read the XLSX workbook: {reason}{resave}"), reason=exc,
                                resave=RESAVE) from None
        except Exception as exc:  # a damaged workbook fails deep inside openpyxl, zlib or xml
            raise problems.fail(N_("cannot read the XLSX workbook (damaged?): {error}: {reason}{resave}"),
                                error=type(exc).__name__, reason=exc, resave=RESAVE) \
                from None
        try:
            sheets = workbook.worksheets

            def head(i: int) -> Any:
                sheets[i].reset_dimensions()
                return sheets[i].iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS)

            index = _choose_sheet([str(sheet.title) for sheet in sheets], head, schema, problems)
            sheet = sheets[index]
            if len(sheets) > 1:
                problems.sheet = str(sheet.title)
            sheet.reset_dimensions()  # some writers record wrong dimensions: read what is there
            # Gaps are yielded as empty rows, so the n-th row yielded is spreadsheet row n.
            return index, [[cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
        except InputError:
            raise
        except Exception as exc:  # the same, while the sheet is read lazily
            raise problems.fail(N_("cannot read the XLSX workbook (damaged?): {error}: {reason}{resave}"),
                                error=type(exc).__name__, reason=exc, resave=RESAVE) \
                from None
        finally:
            workbook.close()


def _choose_sheet(titles: Sequence[str], head: Callable[[int], Iterable[Sequence[object]]], schema: SheetSchema,
                  problems: _Problems) -> int:
    """The sheet of a workbook that holds ``schema``'s records: the only one; else the one named for them
    ("Cán bộ", "Đơn vị"…); else the one whose header row (in its first rows: ``head(i)``) names most of their
    columns."""
    if len(titles) == 1:
        return 0
    named = [i for i, title in enumerate(titles) if match_key(title) in schema.sheets]
    if len(named) == 1:
        return named[0]
    best, chosen = 0, -1
    scores = []
    for i in range(len(titles)):
        found = best_row(([cell_text(v) for v in row] for row in head(i)), schema)[1]
        scores.append(found)
        if found > best:
            best, chosen = found, i
    tied = [titles[i] for i, found in enumerate(scores) if found == best]
    if best >= MIN_HEADER_SCORE and len(tied) > 1:  # ("Cán bộ 2024", "Cán bộ 2025"): never one of them by chance
        names = ", ".join(repr(title) for title in tied)
        if schema.kind == "officials":
            raise problems.fail(N_("several sheets hold a list of officials ({names}): name the one to read 'Cán bộ', "
                                   "or move the others to another workbook"), names=names)
        raise problems.fail(N_("several sheets hold a list of units ({names}): name the one to read 'Đơn vị', or "
                               "move the others to another workbook"), names=names)
    if chosen < 0 or best < MIN_HEADER_SCORE:
        names = ", ".join(repr(title) for title in titles)
        if schema.kind == "officials":
            raise problems.fail(N_("no sheet of officials in the workbook (sheets: {names}): name it 'Cán bộ' or "
                                   "give it a header row with the columns of officials"), names=names)
        raise problems.fail(N_("no sheet of units in the workbook (sheets: {names}): name it 'Đơn vị' or give it "
                               "a header row with the columns of units, or give a units file with {units} FILE"),
                            names=names, units=UNITS_FILE)
    return chosen
