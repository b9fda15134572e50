"""The column headers of the input contract as offices write them (DESIGN.md §3), and how a header row and a
sheet are recognised.

Headers are compared by :func:`~cadre_rules.model._codes.match_key` (case, Unicode form, tone placement, dots),
with a parenthesised remark dropped (``Giới tính (Nam/Nữ)``). An ``STT`` column (the row's number) is
ignored; ``Xếp loại năm 2023``, ``Đánh giá 2024`` … are one year's rating each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Protocol

from .._i18n import translation
from ..errors import COLUMN_CONTEXT
from ..model._codes import bare
from ..model._codes import match_key


class SheetSchema(Protocol):
    """What finding a sheet and its header row needs of a kind of records (``_tables._Schema``; a protocol,
    so that neither this module nor the workbook reader imports the readers that import them)."""

    @property
    def kind(self) -> str: ...  # "officials" or "units"

    @property
    def sheets(self) -> frozenset[str]: ...  # names of a sheet of these records (by match_key)

    @property
    def required(self) -> frozenset[str]: ...  # the columns every record must fill

    def score(self, cells: Sequence[str]) -> int: ...

    def resolve(self, header: str) -> tuple[str, bool]: ...  # the column a header names, and whether it is ours


__all__ = [
    "COLUMN_HEADERS",
    "EXAMPLE",
    "HEADER_SEARCH_ROWS",
    "MIN_HEADER_SCORE",
    "OFFICIAL_ALIASES",
    "OFFICIAL_SHEETS",
    "UNIT_ALIASES",
    "UNIT_SHEETS",
    "SheetSchema",
    "best_row",
    "column_header",
    "header_key",
    "header_row",
    "is_ignored",
    "is_numbering_row",
    "rating_year",
    "score",
    "two_row_header",
]


def pgettext(context: str, column: str) -> str:
    """Mark a column's header for extraction (context ``column``); it is translated by :func:`column_header`."""
    return column


#: The header of each input column as a person reads it: in English the contract's column name, in Vietnamese
#: the header of the officer's workbook (``cadre-rules template`` writes these; the readers know them). Also
#: the names the reasons give to a vocabulary (``rating``, ``unit kind``). Each is a message of context
#: :data:`~cadre_rules.errors.COLUMN_CONTEXT` in the catalogue, so that a located problem names its column
#: in the reader's language too (:meth:`~cadre_rules.errors.Problem.text`).
COLUMN_HEADERS: tuple[str, ...] = (
    pgettext("column", "id"), pgettext("column", "full_name"), pgettext("column", "gender"),
    pgettext("column", "birth_date"), pgettext("column", "unit"), pgettext("column", "position"),
    pgettext("column", "concurrent_positions"), pgettext("column", "category"),
    pgettext("column", "standing_committee"), pgettext("column", "general_education"),
    pgettext("column", "education"), pgettext("column", "field_of_study"), pgettext("column", "political_theory"),
    pgettext("column", "appointed_on"), pgettext("column", "in_planning"), pgettext("column", "ratings"),
    pgettext("column", "discipline"), pgettext("column", "low_confidence_share"),
    pgettext("column", "under_investigation"), pgettext("column", "secondment_since"),
    pgettext("column", "is_local"), pgettext("column", "term_ends"), pgettext("column", "secondment_until"),
    # units
    pgettext("column", "code"), pgettext("column", "name"), pgettext("column", "kind"), pgettext("column", "class"),
    pgettext("column", "district"), pgettext("column", "has_council"),
    # the names of vocabularies that are no column's name
    pgettext("column", "rating"), pgettext("column", "unit kind"),
    # the columns of a plan (project --plan) that no officials file has
    pgettext("column", "date"), pgettext("column", "event"), pgettext("column", "official"),
    pgettext("column", "note"),
)


def column_header(column: str, lang: str) -> str:
    """``column`` as the reader of ``lang`` knows it: ``in_planning`` in English, "Quy hoạch" in Vietnamese
    (a column without a header of its own, such as ``Xếp loại năm 2024``, as it is)."""
    return translation(lang).pgettext(COLUMN_CONTEXT, column)


def _keyed(aliases: Mapping[str, str]) -> dict[str, str]:
    """The aliases by :func:`match_key`, and by their letters without marks (``ngay sinh``, as a header typed
    without Vietnamese input reads) where that names one column only."""
    keyed = {match_key(alias): column for alias, column in aliases.items()}
    unmarked: dict[str, set[str]] = {}
    for key, column in keyed.items():
        unmarked.setdefault(bare(key), set()).add(column)
    return keyed | {key: next(iter(columns)) for key, columns in unmarked.items()
                    if len(columns) == 1 and key not in keyed}


def _sheet_names(*names: str) -> frozenset[str]:
    """Sheet names by :func:`match_key`, also without marks ("Can bo")."""
    return frozenset(map(match_key, names)) | frozenset(bare(match_key(name)) for name in names)


#: Headers (other than the contract names) per officials column. Keep each one a header nobody could mean
#: for another column.
OFFICIAL_ALIASES: Mapping[str, str] = _keyed({
    "mã cán bộ": "id", "mã số": "id", "mã cb": "id", "mã cbcc": "id", "mã": "id", "số hiệu cán bộ": "id",
    "họ và tên": "full_name", "họ tên": "full_name", "họ và tên khai sinh": "full_name",
    "giới tính": "gender", "nam/nữ": "gender",
    "ngày sinh": "birth_date", "ngày tháng năm sinh": "birth_date", "ngày, tháng, năm sinh": "birth_date",
    "năm sinh": "birth_date",
    "đơn vị": "unit", "xã, phường": "unit", "xã/phường": "unit", "đơn vị công tác": "unit", "mã đơn vị": "unit",
    "chức vụ": "position", "chức vụ hiện tại": "position", "chức danh": "position",
    "chức vụ kiêm nhiệm": "concurrent_positions", "kiêm nhiệm": "concurrent_positions",
    "phân loại": "category", "cán bộ/công chức": "category",
    "ủy viên ban thường vụ": "standing_committee", "thường vụ": "standing_committee",
    "ủy viên btv": "standing_committee", "btv": "standing_committee",
    "trình độ giáo dục phổ thông": "general_education", "giáo dục phổ thông": "general_education",
    "trình độ văn hóa": "general_education", "văn hóa": "general_education",
    "trình độ chuyên môn": "education", "chuyên môn": "education", "trình độ đào tạo": "education",
    "chuyên ngành": "field_of_study", "chuyên ngành đào tạo": "field_of_study", "ngành đào tạo": "field_of_study",
    "lý luận chính trị": "political_theory", "trình độ lý luận chính trị": "political_theory",
    "llct": "political_theory",
    "ngày bổ nhiệm": "appointed_on", "ngày giữ chức vụ": "appointed_on", "ngày bầu, bổ nhiệm": "appointed_on",
    "quy hoạch": "in_planning", "trong quy hoạch": "in_planning", "quy hoạch chức danh": "in_planning",
    "chức danh quy hoạch": "in_planning",
    "xếp loại": "ratings", "đánh giá, xếp loại": "ratings",
    "kỷ luật": "discipline", "hình thức kỷ luật": "discipline",
    "tỷ lệ phiếu tín nhiệm thấp": "low_confidence_share", "phiếu tín nhiệm thấp": "low_confidence_share",
    "đang bị điều tra": "under_investigation", "bị điều tra": "under_investigation",
    "biệt phái từ": "secondment_since", "ngày biệt phái": "secondment_since",
    "người địa phương": "is_local", "là người địa phương": "is_local",
    "biệt phái đến": "secondment_until", "biệt phái đến ngày": "secondment_until",
    "ngày kết thúc biệt phái": "secondment_until", "hết hạn biệt phái": "secondment_until",
    "hết nhiệm kỳ": "term_ends", "ngày hết nhiệm kỳ": "term_ends", "nhiệm kỳ đến": "term_ends",
})
#: Headers (other than the contract names) per units column.
UNIT_ALIASES: Mapping[str, str] = _keyed({
    "mã": "code", "mã đơn vị": "code", "mã số": "code",
    "tên": "name", "tên đơn vị": "name", "đơn vị": "name", "xã, phường": "name", "tên xã, phường": "name",
    "loại": "kind", "loại đơn vị": "kind", "xã/phường/thị trấn": "kind",
    "phân loại": "class", "phân loại đơn vị": "class", "hạng": "class", "loại đơn vị hành chính": "class",
    "quận/huyện": "district", "huyện": "district", "quận, huyện": "district", "quận": "district",
    "có hđnd": "has_council", "có hội đồng nhân dân": "has_council",
})

#: Sheet names (by :func:`match_key`) of an officials sheet and of a units sheet.
OFFICIAL_SHEETS = _sheet_names(
    "cán bộ", "cán bộ, công chức", "cán bộ công chức", "cbcc", "danh sách cán bộ", "danh sách", "officials",
)
UNIT_SHEETS = _sheet_names("đơn vị", "danh sách đơn vị", "xã, phường", "xã phường", "units")

_IGNORED = frozenset(map(match_key, ("stt", "tt", "số tt", "số thứ tự", "no", "#")))
_REMARK = re.compile(r"\s*[(\[].*[)\]]\s*$")
#: A one-year rating column's header, compared without marks (``Xếp loại năm 2023``, ``Xep loai nam 2023``).
_RATING_YEAR = re.compile(
    r"(?:xep loai|danh gia|danh gia, xep loai|danh gia xep loai|ket qua danh gia|ket qua xep loai|"
    r"xep loai chat luong|rating)\s*(?:nam\s*)?([0-9]{4})")


def header_key(header: str) -> str:
    """The key of a header: :func:`match_key`, without a trailing ``(…)`` remark or ``:``/``*``."""
    text = header.strip().rstrip(":*").strip()
    return match_key(_REMARK.sub("", text) or text)


def is_ignored(header: str) -> bool:
    """An ``STT`` column (the row's number in the list): read by nobody."""
    return header_key(header) in _IGNORED


def rating_year(header: str) -> int | None:
    """The year of a one-year rating column (``Xếp loại năm 2023``, ``Đánh giá 2024``), else ``None``."""
    match = _RATING_YEAR.fullmatch(" ".join(bare(header).split()))
    if match is None:
        return None
    year = int(match[1])
    return year if 1900 <= year <= 2100 else None


def score(cells: Sequence[str], aliases: Mapping[str, str], columns: Sequence[str]) -> int:
    """How many distinct contract columns a row of cells names (a header row names several)."""
    found = set()
    for cell in cells:
        if not cell.strip():
            continue
        key = header_key(cell)
        name = aliases.get(key) or (key.replace(" ", "_") if key.replace(" ", "_") in columns else None)
        if name is not None:
            found.add(name)
        elif "ratings" in columns and rating_year(cell) is not None:
            found.add("ratings")
    return len(found)


#: The cells of ``cadre-rules template``'s example row (as the reader reads them; a unit no commune bears): the
#: workbook reader does not read a row that still has them all (``_workbook.drop_example``); one of them
#: changed, the row is the officer's and is read.
EXAMPLE: Mapping[str, Mapping[str, str]] = {
    "officials": {"id": "CB001", "full_name": "Nguyễn Văn An", "gender": "Nam", "birth_date": "1980-05-15",
                  "unit": "Xã Mẫu", "position": "Bí thư Đảng ủy"},
    "units": {"code": "X001", "name": "Xã Mẫu", "kind": "Xã", "class": "1"},
}

#: How many rows (from the top) may hold a title above the header row.
HEADER_SEARCH_ROWS = 30
#: How many contract columns a row must name to be taken for the header row below a title.
MIN_HEADER_SCORE = 2


def best_row(rows: Iterable[Sequence[str]], schema: SheetSchema) -> tuple[int, int]:
    """``(index, score)`` of the row of the first :data:`HEADER_SEARCH_ROWS` that names the most contract columns
    (the first such row); the search stops at the first row after a header that names fewer (a data row)."""
    best, chosen = 0, -1
    for i, row in enumerate(rows):
        if i >= HEADER_SEARCH_ROWS:
            break
        found = schema.score(row)
        if found > best:
            best, chosen = found, i
        elif best >= MIN_HEADER_SCORE and found < best:
            break  # the rows below a header are its data
    return chosen, best


def header_row(grid: Sequence[Sequence[str]], schema: SheetSchema) -> int:
    """The index of the header row: the first of the top rows that names the most contract columns (title
    rows and blank rows above it are skipped); the first non-empty row if none names two."""
    chosen, best = best_row(grid, schema)
    if best >= MIN_HEADER_SCORE:
        return chosen
    return next((i for i, row in enumerate(grid) if "".join(row).strip()), 0)


_NUMBER_CELL = re.compile(r"\(?\s*([0-9]{1,3})\s*\)?", re.ASCII)


def is_numbering_row(cells: Sequence[str]) -> bool:
    """Whether a row is the line of column numbers that the forms of the administration put under the header:
    ``(1) (2) (3) …`` or ``1 2 3 …`` (at least three cells, each a number one more than the last; blank cells
    between them allowed). No row of officials looks so: its gender, name and post are no numbers."""
    numbers = []
    for cell in cells:
        if not cell.strip():
            continue
        match = _NUMBER_CELL.fullmatch(cell.strip())
        if match is None:
            return False
        numbers.append(int(match[1]))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def two_row_header(header: Sequence[str], below: Sequence[str]) -> list[str] | None:
    """A header of two rows, as the forms of the administration draw one: a group's header merged over
    several columns ("Xếp loại" over three), each column named in the row below ("Năm 2023", "Năm 2024",
    "Năm 2025"); the other headers merged down both rows (blank below). Gives each column's header in one
    ("Xếp loại Năm 2023"), or ``None`` when ``below`` is no second header row: a cell of it under a header of
    one column (a data row names a person there), under no header, or a group's column left unnamed."""
    width = max(len(header), len(below))
    top = [cell.strip() for cell in header] + [""] * (width - len(header))
    sub = [cell.strip() for cell in below] + [""] * (width - len(below))
    starts = [i for i, cell in enumerate(top) if cell]
    if not starts or any(sub[:starts[0]]) or not any(sub):
        return None
    joined = list(top)
    for start, end in zip(starts, [*starts[1:], width], strict=True):
        names = sub[start:end]
        if not any(names):
            continue  # a header merged down both rows (and the blank columns after it)
        last = max(i for i, name in enumerate(names) if name)
        if end - start < 2 or not all(names[:last + 1]):
            return None  # a value under a header of one column, or a group's column without a name
        for i, name in enumerate(names, start):
            if name:
                joined[i] = f"{top[start]} {name}"
    return joined
