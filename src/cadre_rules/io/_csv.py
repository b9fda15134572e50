"""Reading a CSV file's text into rows: its encoding (UTF-8, UTF-16, VNI, Windows-1258), its delimiter, and its rows
a batch at a time, exactly as the ``csv`` module reads them (a text without quotes split by ``str.split``).

A text with no ``"`` (and no NUL) has no quoting: a line end ends a row and the delimiter ends a cell, whatever
else the text holds, so ``str.split`` on line ends and on the delimiter gives the ``csv`` module's rows (a
property test holds them equal) several times faster; any other text is read by the ``csv`` module.
"""

from __future__ import annotations

import csv
import io
import operator
import re
import unicodedata
from collections.abc import Iterator
from itertools import islice
from itertools import repeat
from typing import Protocol

from .._limits import limit
from .._limits import too_large
from ..errors import N_
from ..errors import InputError
from ..errors import Message
from ..errors import Problem
from ..model._values import LEGACY_ENCODING
from ..model._values import VNI_SPELLING
from ..model._values import vni_letter
from ..model._values import vni_spelling
from ._headers import HEADER_SEARCH_ROWS
from ._headers import SheetSchema
from ._headers import best_row
from ._workbook import OLE2
from ._workbook import XLS_REFUSAL

__all__ = ["SAVE_AS", "CsvRows", "decode_csv", "lines"]

_Grid = list[list[str]]  # rows of cells


class _Problems(Protocol):
    """What the reading here needs of the readers' problems of a file (``_tables._Problems``, which imports this)."""

    def add(self, reason: Message, row: int | None = None, column: str | None = None, value: str | None = None,
            *, position: int = -1) -> None: ...

    def fail(self, template: str | Message, **fields: object) -> InputError: ...

    def note(self, template: str, **fields: object) -> None: ...

    def forget(self) -> None: ...

    def problems(self) -> list[Problem]: ...

#: How to save a file that cannot be read (Vietnamese, then English): what an office's Excel can do.
SAVE_AS = N_("Lưu dưới dạng CSV UTF-8 hoặc .xlsx (save it as CSV UTF-8 or .xlsx)")
#: The delimiters a CSV may use: Excel with Vietnamese regional settings writes ``;``, "Unicode text" a tab.
_DELIMITERS = (",", ";", "\t")
#: How much text the quote-free split takes at a time (characters, cut at a line end), and how many rows the
#: ``csv`` module reads at a time: a batch's cells are short-lived (a column keeps one object per distinct text).
#: 16 K characters (≈ 80 rows of officials) stay in the processor's cache from the split to the pools: at
#: 100,000 officials the read is ≈ 0.04 s faster than with 64 K; the ``csv`` module's batch measured the same
#: from 64 to 1,024 rows.
_SPLIT_CHARS = 1 << 14
_BATCH_ROWS = 1024


#: What TCVN3 (ABC) writes in the places of Windows-1252's signs (its "ă", "ê", "ư", "đ", "à"…: "V¨n", "Lª"), and VNI
#: never: a file with one is no VNI.
_TCVN3_SIGNS = re.compile("[¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷]")
#: VNI's "ị" after the onset ("Thò" for "Thị"): a combining dot after a consonant in Windows-1258, so no
#: Vietnamese in it.
_VNI_I = re.compile("(?<=[bcdghklmnprstvxñ])ò", re.IGNORECASE)
_VNI_I_LETTER = {"ò": "ị", "Ò": "Ị"}
#: A file in VNI's bytes: how to convert it (Unikey's converter names the tables so).
_VNI_FILE = N_("the file is in the old VNI encoding, not Unicode: {letters} is VNI's way of writing {letter}; convert "
               "it to Unicode with Unikey's converter (source VNI Windows, destination Unicode); {save_as}")


def decode_csv(data: bytearray, problems: _Problems) -> str:
    """The text of a CSV file: UTF-8 (a BOM tolerated); UTF-16 (Excel's "Unicode text"); Windows-1258 (a
    Vietnamese Excel's "CSV"), with a note; VNI's bytes refused, located (:func:`_vni_text`); else refused with
    how to save it."""
    if data.startswith(OLE2):
        raise problems.fail(XLS_REFUSAL)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_order(data)
        try:
            text = bytes(data).decode(encoding)
        except UnicodeDecodeError:
            raise problems.fail(N_("not UTF-16 text, though it begins like it; {save_as}"), save_as=SAVE_AS) \
                from None
        return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
    vni = _vni_text(data, problems)
    if vni is not None:
        raise vni
    try:
        text = bytes(data).decode("cp1258")
    except UnicodeDecodeError:
        raise problems.fail(N_("not UTF-8 text (byte {start} cannot be decoded) nor Windows-1258; {save_as}"),
                            start=start, save_as=SAVE_AS) from None
    legacy = LEGACY_ENCODING.search(text)
    if legacy is not None:  # TCVN3 or VNI bytes decode as Windows-1258 too: every name would be misread
        raise problems.fail(N_("not UTF-8 text, and not Windows-1258 either: line {line} holds {letter}, no "
                               "Vietnamese letter, as a file in an old Vietnamese encoding (TCVN3/ABC or VNI) "
                               "does; convert it to Unicode (e.g. Unikey's converter); {save_as}"),
                            line=text.count("\n", 0, legacy.start()) + 1, letter=repr(legacy[0]), save_as=SAVE_AS)
    problems.note(N_("the file is not UTF-8: read as Windows-1258 (a Vietnamese Excel's CSV); "
                     "to be sure of every letter, save it as CSV UTF-8 or .xlsx"))
    return unicodedata.normalize("NFC", text)


def _vni_text(data: bytearray, problems: _Problems) -> InputError | None:
    """The refusal of a file in VNI's bytes (an Excel whose cells are typed in the VNI fonts saves them so: "Nguyễn"
    is ``Nguyeãn``, bytes ``4e 67 75 79 65 e3 6e``), located at the first syllable VNI spells (its row, the cell's
    value, the letter meant), or ``None`` if the bytes hold none.

    Read as Windows-1258, those bytes are other letters again (``e3`` is "ă": "Nguyeăn"; ``f2``, VNI's "ị", a
    combining dot: "Thị" is "Tḥ"), which pass for text. Read as VNI writes them (Windows-1252's letters), they
    are the text a workbook typed in VNI holds, and the syllables :func:`~cadre_rules.model._values.vni_spelling`
    finds there are VNI's. The whole file is refused: its header may be typed in VNI too, and a name with no mark of
    VNI's ("Thò Lan" for "Thị Lan") would pass."""
    try:
        text = bytes(data).decode("cp1252")
    except UnicodeDecodeError:
        return None
    if vni_spelling(text) is None or _TCVN3_SIGNS.search(text) is not None:  # (TCVN3's "Thuû" is VNI's "Thuủ")
        return None
    # (not "uõ": Windows-1258's "uơ", "huơ"; VNI's "ũ", "Vuõ", is seldom the only VNI in a file: "Vuõ Thò Lan")
    found = [vni for vni in (next((m for m in VNI_SPELLING.finditer(text) if m["pair"].lower() != "uõ"), None),
                             _VNI_I.search(text)) if vni is not None]
    if not found:
        return None
    vni = min(found, key=lambda match: match.start())
    letters = vni["pair"] if vni.re is VNI_SPELLING else vni[0]
    letter = vni_letter(letters) if vni.re is VNI_SPELLING else _VNI_I_LETTER[letters]
    start = text.rfind("\n", 0, vni.start()) + 1
    end = len(text) if (end := text.find("\n", start)) < 0 else end
    cell = _cell_at(text[start:end].rstrip("\r"), vni.start() - start)
    problems.add(Message(_VNI_FILE, letters=repr(letters), letter=repr(letter), save_as=SAVE_AS),
                 text.count("\n", 0, start) + 1, value=cell)
    return InputError(problems.problems())


def _cell_at(line: str, at: int) -> str:
    """The cell of a CSV line that holds its character ``at``: the text between the delimiters around it (any of
    :data:`_DELIMITERS`: the file's is not known yet), without quotes."""
    start = max(line.rfind(delimiter, 0, at) for delimiter in _DELIMITERS) + 1
    ends = [end for delimiter in _DELIMITERS if (end := line.find(delimiter, at)) >= 0]
    return line[start:min(ends, default=len(line))].strip().strip('"')


def _looks_utf16(data: bytearray) -> bool:
    """UTF-16 without a BOM: every other byte of the beginning is NUL."""
    head = bytes(data[:200])
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)


def _utf16_order(data: bytearray) -> str:
    head = bytes(data[:200])
    return "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"


def _delimiter(text: str, schema: SheetSchema) -> str:
    """The delimiter whose header row (within the first rows) names the most contract columns; ``,`` if none."""
    end = -1
    for _ in range(HEADER_SEARCH_ROWS):
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    head = text[:end]
    best, chosen = 0, ","
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        found = best_row(rows, schema)[1]
        if found > best:
            best, chosen = found, delimiter
    return chosen


#: A line of a CSV text and its end, as ``open(newline="")`` reads it: ``\r\n``, ``\r`` or ``\n`` ends a line.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time (``io.StringIO`` would copy the whole text, at four
    bytes a character: 75 MB for 100,000 officials)."""
    return map(operator.methodcaller("group"), _LINE.finditer(text))


class CsvRows:
    """The rows of a CSV text, a batch at a time (iterate once): the ``csv`` module's rows, with its delimiter.

    A cell the ``csv`` module would refuse as longer than its limit, or malformed CSV, raises that one located
    problem (as a file that cannot be read, the problems of the rows before it are not its problems).
    """

    def __init__(self, text: str, schema: SheetSchema, problems: _Problems, delimiter: str | None = None,
                 data: bytes | bytearray | None = None) -> None:
        """``data``: the bytes ``text`` was decoded from, if at hand (searched instead of the text, which is
        up to four times longer: a byte ``"``, NUL or line end is in them wherever the text has one)."""
        max_rows = limit("MAX_ROWS")
        # (a quoted line break counts too: a bound, not the count; the bytes' count is a bound of the text's)
        if (data is None or data.count(b"\n") > max_rows + 1) and text.count("\n") > max_rows + 1:
            raise problems.fail(too_large("MAX_ROWS", N_("the number of lines")))
        #: whether the text has no quote and no NUL (then it has no quoting), known from the bytes
        self._plain = data is not None and b'"' not in data and b"\0" not in data
        self._text = text
        self._delimiter = delimiter or _delimiter(text, schema)
        self._problems = problems
        #: with no quote in the text: no cell is longer than this (known once the rows are read)
        self.longest: int | None = None

    def __iter__(self) -> Iterator[_Grid]:
        text, self._text = self._text, ""  # (let go of the text as soon as its rows are read)
        plain = self._plain or ('"' not in text and "\0" not in text)
        return self._split(text) if plain else self._read(text)

    def _split(self, text: str) -> Iterator[_Grid]:
        """The ``csv`` module's rows of a text with no quote: a line end (``\\r\\n``, ``\\r``, ``\\n``) ends a row,
        the delimiter a cell, an empty line is an empty row."""
        field_limit = 4 * int(limit("MAX_CELL_CHARS"))  # the csv module's, as set by _read
        count, longest, start, size = 0, 0, 0, len(text)
        while start < size:
            end = text.find("\n", start + _SPLIT_CHARS)
            end = size if end < 0 else end + 1
            part = text[start:end]
            start = end
            if "\r" in part:  # (a part ends after a \n: a \r\n is never cut in two)
                part = part.replace("\r\n", "\n").replace("\r", "\n")
            found = part.split("\n")
            if not found[-1]:
                found.pop()  # the end of the last line, not an empty line
            rows = list(map(str.split, found, repeat(self._delimiter)))
            if "" in found:
                for i, line in enumerate(found):
                    if not line:
                        rows[i] = []
            widest = max(map(len, found), default=0)
            if widest > field_limit:  # (the csv module refuses a longer cell: a longer line may hold one)
                for row, cells in enumerate(rows, start=count + 1):
                    if max(map(len, cells), default=0) > field_limit:
                        raise self._too_long(row)
            longest = max(longest, widest)
            count += len(rows)
            yield rows
        self.longest = longest

    def _read(self, text: str) -> Iterator[_Grid]:
        """The rows of the ``csv`` module."""
        previous = csv.field_size_limit(4 * int(limit("MAX_CELL_CHARS")))  # (a longer cell is located later)
        try:
            reader = csv.reader(lines(text), delimiter=self._delimiter)
            count = 0
            while True:
                rows: _Grid = []
                try:
                    rows.extend(islice(reader, _BATCH_ROWS))  # (the rows before an error are kept: counted)
                except csv.Error as exc:
                    row = count + len(rows) + 1
                    if "field larger than field limit" in str(exc):
                        raise self._too_long(row) from None
                    self._problems.forget()  # (as above)
                    raise self._problems.fail(N_("malformed CSV in row {row}: {reason}"), row=row, reason=exc) \
                        from None
                if not rows:
                    return
                count += len(rows)
                yield rows
        finally:
            csv.field_size_limit(previous)

    def _too_long(self, row: int) -> InputError:
        """A cell longer than the ``csv`` module's limit in ``row``: that problem alone (the file cannot be read;
        the problems of the rows above are not reported)."""
        self._problems.forget()
        self._problems.add(too_large("MAX_CELL_CHARS", N_("a cell")), row, position=row)
        return InputError(self._problems.problems())
