"""Checks of an XLSX workbook that openpyxl does not make: before it parses the zip members (their
uncompressed size as decompressed, not as declared; the shared-strings count; the longest text), and after
(formulas whose value was never stored, which openpyxl reads as empty).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Any
from typing import Protocol

from ._limits import limit
from ._limits import open_run
from ._limits import too_large
from .errors import InputError

_Grid = list[list[str]]  # the rows of a sheet, the header first (as ``_tables`` reads them)


class _Problems(Protocol):
    """What the checks here need of the readers' problems of a file (``_tables._Problems``; a protocol, so
    that this module does not import the readers that import it)."""

    def add(self, reason: str, row: int | None = None, column: str | None = None, value: str | None = None,
            *, position: int = -1, stream: str = "", template: str | None = None,
            fields: tuple[tuple[str, object], ...] = ()) -> None: ...

    def fail(self, reason: str) -> InputError: ...

    def check(self) -> None: ...

__all__ = ["CHUNK", "scan_workbook", "unstored_formulas"]

#: Bytes decompressed (or read) at a time.
CHUNK = 1 << 20
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_PREFIXED_SHARED_STRING = re.compile(rb"<\w+:si[\s>/]")
_PREFIXED_ROW = re.compile(rb"<\w+:row[\s>/]")
#: How a formula begins in a worksheet's XML (``<f>``, ``<f t="shared" …/>``, with or without a prefix);
#: a false match only costs the cell-by-cell check.
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")


def scan_workbook(file: str, problems: _Problems) -> bool:
    """Check an XLSX workbook's zip members before openpyxl parses them: the uncompressed size (as
    decompressed, not as declared), the shared-strings count, a sheet's rows and the longest text; whether
    a worksheet holds formulas (only then are stored values checked, cell by cell)."""
    max_bytes, max_strings = limit("MAX_XLSX_BYTES"), limit("MAX_SHARED_STRINGS")
    max_rows = limit("MAX_ROWS") + 1  # (the header)
    max_text = 4 * limit("MAX_CELL_CHARS")  # UTF-8 bytes: more than this is more characters than the limit
    formulas = False
    total = 0
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
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise problems.fail(too_large("MAX_XLSX_BYTES", "the uncompressed workbook"))
                        if strings:
                            count += _tags(chunk, b"<si", _PREFIXED_SHARED_STRING) + _straddling(tail, chunk)
                            if count > max_strings:
                                raise problems.fail(too_large("MAX_SHARED_STRINGS", "the shared-strings table"))
                        else:
                            count += _tags(chunk, b"<row", _PREFIXED_ROW)  # (one split across chunks: a bound)
                            if count > max_rows:
                                raise problems.fail(too_large("MAX_ROWS", "the number of rows of a sheet"))
                            if not formulas:
                                window = tail + chunk
                                formulas = any(tag in window for tag in _FORMULA_TAGS)
                        run = _longest_text(run, chunk, max_text, problems)
                        tail = chunk[-8:]
            if total > max_bytes:
                raise problems.fail(too_large("MAX_XLSX_BYTES", "the uncompressed workbook"))
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        raise problems.fail(f"cannot read the XLSX workbook: {exc}") from None
    except Exception as exc:  # a damaged zip fails deep inside zipfile (NotImplementedError…)
        raise problems.fail(f"cannot read the XLSX workbook (damaged?): {type(exc).__name__}: {exc}") from None
    return formulas


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
        raise problems.fail(too_large("MAX_CELL_CHARS", "a cell's text"))
    return after


def unstored_formulas(openpyxl: Any, file: str, grid: _Grid, problems: _Problems) -> None:
    """Cells holding a formula whose value was never stored (the workbook was not calculated): openpyxl reads
    them as empty, so ``TRUE`` would become the default ``false``. Located by row and header."""
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        header = grid[0] if grid else []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            for i, value in enumerate(values):
                if isinstance(value, str) and value.startswith("=") and \
                        (number > len(grid) or i >= len(grid[number - 1]) or grid[number - 1][i] == ""):
                    column = header[i].strip() if i < len(header) and header[i].strip() else f"column {i + 1}"
                    problems.add("a formula without a stored value (open the workbook in Excel or LibreOffice "
                                 "and save it, so that its values are calculated)", number, column, value,
                                 position=number, stream="formula")
    finally:
        workbook.close()
    problems.check()
