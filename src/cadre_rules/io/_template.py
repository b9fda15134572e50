"""``cadre-rules template FILE.xlsx``: a Vietnamese input workbook to fill in (docs/huong-dan.md).

Two sheets, "Cán bộ" and "Đơn vị", each with a title row, the header row the readers recognise (every
column of the input contract, under its Vietnamese header), a filled example row, and drop-down lists of
the Vietnamese labels of the codes (kept on a hidden sheet "Danh mục"). Filled in and saved, it is read
back as it is: ``cadre-rules evaluate FILE.xlsx``.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from typing import NamedTuple

from ..model._codes import EDUCATION
from ..model._codes import GENDER
from ..model._codes import GENERAL_EDUCATION
from ..model._codes import POLITICAL_THEORY
from ..model._codes import POSITION
from ..model._codes import RATING
from ..model._codes import UNIT_KIND
from ._headers import EXAMPLE
from ._headers import column_header
from ._writers import atomic_write

__all__ = ["OFFICIALS_SHEET", "TITLE_HEADER", "UNITS_SHEET", "template_bytes", "write_template"]

OFFICIALS_SHEET = "Cán bộ"
UNITS_SHEET = "Đơn vị"
_LISTS_SHEET = "Danh mục"
#: Rows of the sheets that the drop-down lists and formats cover.
_ROWS = 2000
_HEADER_ROW = 3  # row 1: the title; row 2: how to fill it in
_DATE_FORMAT = "dd/mm/yyyy"
_MARK = "x"
#: What a marked column says for "no" (an empty cell is read as not known: docs/huong-dan.md).
_NO = "không"


#: The column that gives the title of a post outside the list (``Chức vụ``: ``Khác``), read into ``extra`` and
#: shown by the reports in place of "Khác" (:data:`~cadre_rules.model._names.TITLE_COLUMNS`).
TITLE_HEADER = "Chức danh cụ thể"
_TITLE_NOTE = ("Ghi khi chức vụ không có trong danh sách (cột Chức vụ chọn \"Khác\"): chức danh như trong "
               "quyết định, ví dụ \"Phó Trưởng Ban Quản lý dự án\". Báo cáo ghi chức danh này thay cho \"Khác\". "
               "Cũng có thể ghi để nói rõ một chức vụ trong danh sách, ví dụ \"Trưởng phòng Kinh tế\".")


class _Column(NamedTuple):
    header: str  # as the readers recognise it (see _headers.py)
    width: int
    choices: str | None = None  # the name of a list of the "Danh mục" sheet
    date: bool = False
    example: object = ""
    note: str | None = None  # a note on the header cell: when and how to fill the column


def _lists() -> dict[str, list[str]]:
    """The drop-down lists, by name: the Vietnamese labels of each vocabulary."""
    def labels(vocab: Any, skip: Sequence[str] = ()) -> list[str]:
        return [vocab.label(code) for code in vocab.codes if code not in skip]

    return {
        "gioi_tinh": [label.capitalize() for label in labels(GENDER)],
        "chuc_vu": labels(POSITION),
        "van_hoa": labels(GENERAL_EDUCATION, skip=("none",)),
        "chuyen_mon": [label.capitalize() for label in labels(EDUCATION)],
        "llct": [label.capitalize() for label in labels(POLITICAL_THEORY)],
        "xep_loai": [label.capitalize() for label in labels(RATING)],
        "danh_dau": [_MARK, _NO],  # "không" too: an empty cell is "not known", and its rules are not decided
        "loai_don_vi": [label.capitalize() for label in labels(UNIT_KIND)],
        "phan_loai": ["1", "2", "3"],
        "co_khong": ["có", "không"],
    }


def _vi(column: str) -> str:
    """The Vietnamese header of an input column (the one map of :data:`~cadre_rules.io._headers.COLUMN_HEADERS`)."""
    return column_header(column, "vi")


def _official_columns(year: int) -> list[_Column]:
    columns = [
        _Column("STT", 5, example=1),
        _Column(_vi("id"), 12, example=EXAMPLE["officials"]["id"]),
        _Column(_vi("full_name"), 24, example=EXAMPLE["officials"]["full_name"]),
        _Column(_vi("gender"), 9, "gioi_tinh", example=EXAMPLE["officials"]["gender"]),
        _Column(_vi("birth_date"), 12, date=True, example=date.fromisoformat(EXAMPLE["officials"]["birth_date"])),
        _Column(_vi("unit"), 20, "don_vi", example=EXAMPLE["officials"]["unit"]),
        _Column(_vi("position"), 28, "chuc_vu", example=EXAMPLE["officials"]["position"]),
        _Column(TITLE_HEADER, 24, note=_TITLE_NOTE),  # (empty in the example: its post is in the list)
        _Column(_vi("concurrent_positions"), 24, "chuc_vu", example="Chủ tịch HĐND"),
        _Column(_vi("standing_committee"), 8, "danh_dau", example=_MARK),
        _Column(_vi("general_education"), 10, "van_hoa", example="THPT"),
        _Column(_vi("education"), 14, "chuyen_mon", example="Thạc sĩ"),
        _Column(_vi("field_of_study"), 18, example="Quản lý công"),
        _Column(_vi("political_theory"), 12, "llct", example="Cao cấp"),
        _Column(_vi("appointed_on"), 12, date=True, example=date(2020, 10, 1)),
        _Column(_vi("in_planning"), 8, "danh_dau"),
    ]
    for rated in range(year - 2, year + 1):
        columns.append(_Column(f"Xếp loại năm {rated}", 14, "xep_loai", example="Hoàn thành tốt nhiệm vụ"))
    columns += [
        _Column(_vi("discipline"), 16),
        _Column(_vi("low_confidence_share"), 10),
        _Column(_vi("under_investigation"), 8, "danh_dau"),
        _Column(_vi("secondment_since"), 12, date=True),
        _Column(_vi("is_local"), 8, "danh_dau", example=_MARK),
        _Column(_vi("term_ends"), 12, date=True),
        _Column(_vi("secondment_until"), 12, date=True),
    ]
    return columns


_UNIT_COLUMNS = [
    _Column("STT", 5, example=1),
    _Column(_vi("code"), 12, example=EXAMPLE["units"]["code"]),
    _Column(_vi("name"), 24, example=EXAMPLE["units"]["name"]),
    _Column(_vi("kind"), 10, "loai_don_vi", example=EXAMPLE["units"]["kind"]),
    _Column(_vi("class"), 10, "phan_loai", example=EXAMPLE["units"]["class"]),
    _Column(_vi("district"), 20),
    _Column(_vi("has_council"), 9, "co_khong", example="có"),
]


def template_bytes(year: int | None = None) -> bytes:
    """The template workbook (XLSX bytes); ``year``: the last year rated (default: last year)."""
    openpyxl: Any = importlib.import_module("openpyxl")
    validation: Any = importlib.import_module("openpyxl.worksheet.datavalidation")
    styles: Any = importlib.import_module("openpyxl.styles")
    comments: Any = importlib.import_module("openpyxl.comments")
    year = year if year is not None else date.today().year - 1
    book = openpyxl.Workbook()
    officials = book.active
    officials.title = OFFICIALS_SHEET
    units = book.create_sheet(UNITS_SHEET)
    lists = book.create_sheet(_LISTS_SHEET)
    ranges = {}
    for index, (name, values) in enumerate(_lists().items(), start=1):
        letter = openpyxl.utils.get_column_letter(index)
        lists.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        ranges[name] = f"'{_LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ranges["don_vi"] = f"'{UNITS_SHEET}'!$C${_HEADER_ROW + 1}:$C${_ROWS}"
    lists.sheet_state = "hidden"
    bold = styles.Font(bold=True)
    fill = styles.PatternFill("solid", fgColor="DDEBF7")
    wrap = styles.Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheets = (
        (officials, _official_columns(year), "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ",
         "Mỗi dòng một người, từ dòng 5; thay dòng 4 (ví dụ) bằng người thật. Ngày ghi dd/mm/yyyy; "
         "ô đánh dấu ghi x (có) hoặc không; ô để trống là chưa biết (các quy tắc cần ô đó chưa xét được người "
         "này). Đơn vị ghi tên (như ở trang Đơn vị) hoặc mã. Chức vụ không có trong danh sách: "
         "chọn Khác và ghi chức danh ở cột Chức danh cụ thể."),
        (units, _UNIT_COLUMNS, "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ",
         "Mỗi dòng một xã, phường, thị trấn; thay dòng 4 (ví dụ). Phân loại: 1, 2 hoặc 3; để trống nếu đơn vị "
         "chưa được xếp loại (các xã, phường từ 1/7/2025). Quận/huyện: để trống từ 1/7/2025 (không còn cấp huyện)."),
    )
    for sheet, columns, title, how in sheets:
        sheet.cell(row=1, column=1, value=title).font = styles.Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.cell(row=2, column=1, value=how).font = styles.Font(italic=True)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
        for index, column in enumerate(columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            cell = sheet.cell(row=_HEADER_ROW, column=index, value=column.header)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            if column.note is not None:
                cell.comment = comments.Comment(column.note, "cadre-rules", width=320, height=110)
            sheet.column_dimensions[letter].width = column.width
            example = sheet.cell(row=_HEADER_ROW + 1, column=index, value=column.example if column.example != ""
                                 else None)
            span = f"{letter}{_HEADER_ROW + 1}:{letter}{_ROWS}"
            if column.date:
                example.number_format = _DATE_FORMAT
            if column.choices is not None:
                rule = validation.DataValidation(type="list", formula1=f"={ranges[column.choices]}",
                                                 allow_blank=True, showDropDown=False)
                rule.error = "Chọn một giá trị trong danh sách"
                rule.errorTitle = column.header
                rule.showErrorMessage = column.choices not in ("chuc_vu", "don_vi")  # other spellings are read
                sheet.add_data_validation(rule)
                rule.add(span)
        sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=3)
        sheet.row_dimensions[_HEADER_ROW].height = 45
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(path: Path, year: int | None = None) -> None:
    """Write the template to ``path`` atomically (see :func:`template_bytes`)."""
    atomic_write(path, template_bytes(year))
