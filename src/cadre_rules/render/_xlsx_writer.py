"""XLSX workbooks of plain tables, written directly as SpreadsheetML: every sheet a bold frozen header row,
typed cells, an autofilter and fitted column widths.

Why not XlsxWriter (still the writer of ``match``'s workbook): it keeps an object per cell and assembles
each cell's XML at close, ≈ 3–4 µs a cell on the project's machine; the report's workbook has every finding
twice (the ``findings`` sheet and its family's sheet), 1.4 million cells at 100,000 officials, which made
``--format xlsx`` 4× the json job (bench/README.md). Here a row's XML is one string built at once and text
goes through one shared-strings table: ≈ 4× less CPU for the same cells. A row is encoded once
(:class:`Row`: its XML with the row number's place held) and may be written again in another sheet by one
replace (the report's findings sheet and its family sheets); each sheet's XML is made when the package is
written, one sheet at a time.

The package has the parts XlsxWriter writes (content types, relationships, document properties, workbook,
styles, shared strings, one part per sheet) without the theme; text is always text (never a formula, a
number or a link). Deterministic: the document's times are the ones given and every ZIP entry has the same
fixed timestamp (1980-01-01).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from math import isfinite
from typing import cast

from ._common import xml_text

__all__ = ["Cell", "Row", "Workbook"]

Cell = str | int | float | bool | date | None

_MIN_WIDTH, _MAX_WIDTH = 8, 70
#: Excel's limit of characters in a cell.
_MAX_TEXT = 32767
_EPOCH = date(1899, 12, 30).toordinal()
#: Cell styles (``cellXfs`` of :data:`_STYLES`): the header, a date, a percentage, a text of several lines
#: (wrapped, top-aligned). Percentages have one decimal; Excel shows the decimal sign of the reader's locale
#: (``17,9%`` in a Vietnamese Excel): the cell stays a number.
_HEADER, _DATE, _PERCENT, _WRAP = 1, 2, 3, 4
#: Text Excel would read as an escaped character (``_x000D_``): its underscore escaped in turn.
_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_SPACE_AT_ENDS = re.compile(r"^\s|\s$")
#: zlib's level for the package: 4 rather than the default 6 deflates the 2022 sample's workbook (11 MB of XML) in
#: 0.050 s of CPU instead of 0.113 s, 1.19 MB instead of 1.13 MB (100,000 officials, 75 MB of XML: 0.36 s
#: instead of 0.87 s, 8.6 MB instead of 7.9 MB); 5 took 0.067 s / 0.48 s for 1.17 MB / 8.2 MB, 1 a third of 6's
#: time for 23–26% more bytes (bench/README.md). The officer mails the file: its size counts too.
_COMPRESSION = 4
#: The characters that make a text more than itself in XML (see :func:`_shared`).
_SPECIAL = re.compile("[&<>\r_\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006"
_REL = f"{_DOC}/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument"
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="{{date}}"/>'
    '<numFmt numFmtId="165" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>")


def _column(index: int) -> str:
    """The letters of a 0-based column: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped (as ``xml.sax.saxutils.escape``, whose import
    loads ``urllib.request`` and ``ssl``: 10 ms of every workbook's job)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


class Row:
    """A row encoded once (:meth:`Workbook.sheet` returns them): its XML with ``NUL`` where the row number goes
    (a character no sheet holds), so that the same row is written in another sheet at another row by one
    replace, and each cell's width."""

    __slots__ = ("sizes", "xml")

    def __init__(self, xml: str, sizes: list[int]) -> None:
        self.xml = xml
        self.sizes = sizes


class _Sheet:
    """A sheet added: its XML before and after the rows, and the rows (made into XML when the package is
    written, one sheet at a time: sheets that share rows hold them once)."""

    __slots__ = ("after", "before", "rows", "title", "where")

    def __init__(self, title: str, before: str, rows: list[Row], after: str, where: str) -> None:
        self.title, self.before, self.rows, self.after, self.where = title, before, rows, after, where

    def xml(self) -> str:
        return "".join([self.before, *(row.xml.replace("\0", str(r)) for r, row in enumerate(self.rows, 2)),
                        self.after])


class Workbook:
    """A workbook being written: :meth:`sheet` adds a table, :meth:`close` writes the XLSX to ``out``."""

    def __init__(self, out: io.BytesIO, created: datetime, date_format: str) -> None:
        self.out = out
        self.created = created
        self.date_format = date_format
        #: each text written → the end of its cells (``" t="s"><v>INDEX</v></c>``); the keys, in order, are the
        #: shared strings
        self.strings: dict[str, str] = {}
        self.sheets: list[_Sheet] = []

    def _text(self, value: str) -> str:
        """The end of a cell holding ``value``: its index in the shared strings, taken when first met."""
        end = self.strings[value] = f'" t="s"><v>{len(self.strings)}</v></c>'
        return end

    def _rows(self, title: str, letters: Sequence[str], rows: Sequence[Sequence[Cell]], percent: set[int],
              plain_rows: frozenset[int], wrap: set[int]) -> list[Row]:
        """``rows`` encoded: each cell by its type, each distinct text once; the texts of the columns ``wrap``
        wrapped at their line breaks, top-aligned, as wide as their longest line."""
        strings, text = self.strings, self._text
        starts = [f'<c r="{letter}' for letter in letters]
        encoded = []
        for i, row in enumerate(rows, 1):
            pieces, sizes, end = ['<row r="'], [0] * len(letters), '">'
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    cell = strings.get(value) or text(value)
                    if wrap and c in wrap:
                        cell = f'" s="{_WRAP}{cell}'
                        sizes[c] = max(map(len, value.split("\n")))
                    else:
                        sizes[c] = len(value)
                elif isinstance(value, bool):
                    cell = f'" t="b"><v>{int(value)}</v></c>'
                    sizes[c] = 5
                elif isinstance(value, (int, float)):
                    if not isfinite(value):  # no such number in a cell (XlsxWriter refused them too)
                        raise ValueError(f"{title}: cell {letters[c]}{i + 1} is not a finite number: {value}")
                    style = f' s="{_PERCENT}"' if c in percent and i not in plain_rows else ""
                    cell = f'"{style}><v>{value:.16G}</v></c>'  # as Excel keeps them
                    sizes[c] = len(str(value))
                else:  # a date: days since Excel's epoch
                    cell = f'" s="{_DATE}"><v>{value.toordinal() - _EPOCH}</v></c>'
                    sizes[c] = 10
                pieces.append(end + starts[c])
                end = cell
            pieces.append(end + "</row>")
            encoded.append(Row("\0".join(pieces), sizes))
        return encoded

    def sheet(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]] | Sequence[Row],
              percent_columns: Sequence[int] = (), plain_rows: frozenset[int] = frozenset(),
              wrap_columns: Sequence[int] = ()) -> list[Row]:
        """A sheet: bold frozen header, the rows (each cell written by its type), autofilter, fitted widths;
        the numbers of ``percent_columns`` as percentages except in the rows (1-based) of ``plain_rows``; the
        texts of ``wrap_columns`` (lines of a list) wrapped, top-aligned, each column as wide as its longest line.
        Returns the rows encoded: rows of another sheet of this workbook may be given again so, written
        as they were (their percentages too) without being encoded twice."""
        letters = [_column(c) for c in range(len(header))]
        heads = "".join(f'<c r="{letters[c]}1" s="{_HEADER}"{(self.strings.get(h) or self._text(h))[1:]}'
                        for c, h in enumerate(header))
        encoded = (cast("list[Row]", rows) if rows and isinstance(rows[0], Row)
                   else self._rows(title, letters, cast("Sequence[Sequence[Cell]]", rows), set(percent_columns),
                                   plain_rows, set(wrap_columns)))
        widths = [max(sizes) for sizes in zip([len(h) for h in header], *(row.sizes for row in encoded),
                                              strict=True)]
        column, row_count = letters[-1] if letters else "A", len(rows) + 1
        last = f"{column}{row_count}"
        span, where = ("A1", "$A$1") if last == "A1" else (f"A1:{last}", f"$A$1:${column}${row_count}")
        cols = "".join(f'<col min="{c}" max="{c}" width="{min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH)}.7109375" '
                       'customWidth="1"/>' for c, w in enumerate(widths, 1))
        selected = ' tabSelected="1"' if not self.sheets else ""
        before = (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{span}"/><sheetViews>'
                  f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                  'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
                  f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
                  f'<sheetData><row r="1">{heads}</row>')
        after = (f'</sheetData><autoFilter ref="{span}"/>'
                 '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
        self.sheets.append(_Sheet(title, before, encoded, after, where))
        return encoded

    def close(self) -> None:
        """Write the workbook to ``out``."""
        names = [sheet.title for sheet in self.sheets]
        n = len(names)
        when = self.created.strftime("%Y-%m-%dT%H:%M:%SZ")
        parts: dict[str, str | _Sheet] = {
            "[Content_Types].xml": (
                f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/docProps/app.xml" ContentType="{_TYPE}.extended-properties+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.spreadsheetml.styles+xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.spreadsheetml.sheet.main+xml"/>'
                + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                          f'ContentType="{_TYPE}.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
                + f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.spreadsheetml.sharedStrings+xml"/>'
                "</Types>"),
            "_rels/.rels": (
                f'{_XML}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>"),
            "docProps/app.xml": (
                f'{_XML}<Properties xmlns="{_DOC}/extended-properties" '
                f'xmlns:vt="{_DOC}/docPropsVTypes">'
                "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
                '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
                f"</vt:variant><vt:variant><vt:i4>{n}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
                f'<TitlesOfParts><vt:vector size="{n}" baseType="lpstr">'
                + "".join(f"<vt:lpstr>{escape(name)}</vt:lpstr>" for name in names)
                + "</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
                "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"),
            "docProps/core.xml": (
                f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                "<dc:creator>cadre-rules</dc:creator><cp:lastModifiedBy>cadre-rules</cp:lastModifiedBy>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>'),
            "xl/workbook.xml": (
                f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews><workbookView '
                'xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>'
                + "".join(f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, name in enumerate(names, 1))
                + "</sheets><definedNames>"
                + "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                          f"{escape(_quoted(name))}!{where}</definedName>"
                          for i, (name, where) in enumerate((sheet.title, sheet.where) for sheet in self.sheets))
                + '</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'),
            "xl/_rels/workbook.xml.rels": (
                f'{_XML}<Relationships xmlns="{_PKG_REL}">'
                + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                          for i in range(1, n + 1))
                + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"),
            "xl/styles.xml": _STYLES.replace("{date}", _attr(self.date_format)),
            **{f"xl/worksheets/sheet{i}.xml": sheet for i, sheet in enumerate(self.sheets, 1)},
            "xl/sharedStrings.xml": (
                f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(self.strings)}">'
                + "".join([f"<si><t>{s}</t></si>" if not _SPECIAL.search(s) and len(s) <= _MAX_TEXT
                           and not s[:1].isspace() and not s[-1:].isspace() else _shared(s) for s in self.strings])
                + "</sst>"),
        }
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED) as package:
            for name, xml in parts.items():
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                text = xml.xml() if isinstance(xml, _Sheet) else xml  # a sheet's XML made when written
                package.writestr(entry, text.encode("utf-8"), compresslevel=_COMPRESSION)
                del text


def _shared(value: str) -> str:
    """A shared string's element: ``value`` without the characters XML forbids, at most 32,767 characters,
    as Excel writes it (a literal ``_xHHHH_`` has its underscore escaped, a carriage return is ``_x000D_``:
    XML would read it as a line feed), its spaces at either end kept."""
    text = _ESCAPE_LIKE.sub(r"_x005F\1", xml_text(value)[:_MAX_TEXT]).replace("\r", "_x000D_")
    return (f'<si><t xml:space="preserve">{escape(text)}</t></si>' if _SPACE_AT_ENDS.search(text)
            else f"<si><t>{escape(text)}</t></si>")


def _quoted(name: str) -> str:
    """A sheet's name in a formula: between single quotes, its own quotes doubled."""
    return "'" + name.replace("'", "''") + "'"
