"""The rows an office writes between and under the people of its list that are no person's: a group's heading
("I | CÁN BỘ", "II. CÔNG CHỨC", "A. Khối Đảng, đoàn thể"), a total ("Tổng cộng | 25 người") and a post no one
holds ("Khuyết") and a row numbered in advance that no one was written in ("26" in the STT column, and nothing
else): left out of the officials read, with a note."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import N_
from ..model._codes import match_key
from ._headers import is_ignored
from ._tables import _Problems
from ._tables import _Table

__all__ = ["group_rows", "without_group_rows", "without_vacant_posts"]

#: A group's number: a Roman numeral or a capital letter, as a list numbers its groups (``I``, ``II.``, ``B)``).
_NUMBER = r"(?:[IVX]{1,5}|[A-H])"
_NUMBER_ONLY = re.compile(rf"{_NUMBER}[.)]?")
#: A heading in one cell: its number, then its title (``I. CÁN BỘ``, ``II - Công chức``).
_NUMBERED_TITLE = re.compile(rf"{_NUMBER}\s*[.)\-–:]\s*\w.*|{_NUMBER}\s+\w{{2}}.*")
#: The first words of a total row (compared by :func:`match_key`).
_TOTALS = tuple(map(match_key, ("tổng cộng", "tổng số", "cộng", "tổng")))
#: A row's number in the ``STT`` column (``26``, ``26.``).
_ROW_NUMBER = re.compile(r"[0-9]{1,6}\.?")
#: The most cells a heading or a total fills (number, title, a count).
_MOST_CELLS = 3


def _is_total(text: str) -> bool:
    """``Tổng cộng``, ``Cộng:``, ``Tổng số: 25 người`` (a one-word total only alone: ``Tổng`` may begin a name)."""
    key = match_key(text.split(":", 1)[0])
    return key in _TOTALS or any(key.startswith(total + " ") for total in _TOTALS[:2])


def group_rows(rows: Sequence[Sequence[str]]) -> list[int]:
    """The indexes of ``rows`` (each row's filled cells, in column order, of a row without gender and birth
    date) that head a group of the list or total it: at most three cells filled, the first a group's number
    (``I``, ``II.``) followed by its title, or a numbered title in one cell, or a total's words (``Tổng
    cộng``) before a count. A person's row fills more, and a name is never a group's number."""
    found = []
    for i, cells in enumerate(rows):
        texts = [text.strip() for text in cells if text.strip()]
        if not texts or len(texts) > _MOST_CELLS:
            continue
        first = texts[0]
        heading = (_NUMBER_ONLY.fullmatch(first) is not None and len(texts) >= 2
                   and _NUMBER_ONLY.fullmatch(texts[1]) is None) \
            or (len(texts) == 1 and _NUMBERED_TITLE.fullmatch(first) is not None)
        if heading or _is_total(first):
            found.append(i)
    return found


def _no_ones(table: _Table) -> list[int]:
    """The rows without a gender and a birth date, where a person's row has them (none, in a file whose every row
    has a gender: its distinct texts say so at once)."""
    genders = table.columns.get("gender")
    if genders is None or not any(not text.strip() for text in table.distinct("gender")):
        return []
    births = table.columns.get("birth_date", [""] * len(genders))
    return [i for i, (gender, birth) in enumerate(zip(genders, births, strict=True))
            if not gender.strip() and not birth.strip()]


def without_group_rows(table: _Table, problems: _Problems) -> _Table:
    """The table of officials without the rows that head or total a group (:func:`group_rows`), with a note
    that says which rows and the first one's text (a heading names no one). Only looked for among the rows
    without a gender and a birth date."""
    candidates = _no_ones(table)
    if not candidates:
        return table
    narrowed = _without_numbers_only(table, candidates, problems)
    if narrowed is not table:  # (rows left out: the others' indexes moved)
        table, candidates = narrowed, _no_ones(narrowed)
    columns = list(table.columns.values())
    found = [candidates[k] for k in group_rows([[texts[i] for texts in columns] for i in candidates])]
    if not found:
        return table
    example = " ".join(text.strip() for texts in columns if (text := texts[found[0]]).strip())
    problems.note(N_("{count} row(s) head or total a group of the list ({example}), not a person, and are not "
                     "read: rows {rows}"), count=len(found), example=repr(example), rows=table.numbers(found))
    return table.without(found)


def _without_numbers_only(table: _Table, candidates: Sequence[int], problems: _Problems) -> _Table:
    """The table without the rows among ``candidates`` that hold a row number in the ``STT`` column and nothing
    else (the rows an office numbers in advance, under the list or between its people): no one is in them. A
    note says which rows."""
    numbers = [texts for name, texts in table.columns.items() if is_ignored(name)]
    if not numbers:
        return table
    others = [texts for name, texts in table.columns.items() if not is_ignored(name)]
    found = [i for i in candidates if not any(texts[i].strip() for texts in others)
             and all(_ROW_NUMBER.fullmatch(texts[i].strip()) for texts in numbers if texts[i].strip())]
    if not found:
        return table
    problems.note(N_("{count} row(s) hold only a number in the STT column, no one's data, and are not read: rows "
                     "{rows}"), count=len(found), rows=table.numbers(found))
    return table.without(found)


#: What an office writes in the name cell of a post that no one holds ("Khuyết", "(Còn trống)", "Chưa bố trí").
_VACANT = frozenset(map(match_key, ("khuyết", "trống", "còn trống", "để trống", "chưa bố trí", "chưa có",
                                    "chưa có người", "chưa bầu", "chưa kiện toàn", "vacant")))


def without_vacant_posts(table: _Table, problems: _Problems) -> _Table:
    """The table without the rows of posts no one holds: a name cell that says so ("Khuyết", "Chưa bố trí")
    with no gender and no birth date (no person's row). A note says which rows; the staffing rules find the
    vacancies from the posts that are held."""
    names = table.columns.get("full_name")
    if not names:
        return table
    vacant = [i for i in _no_ones(table) if names[i].strip() and match_key(names[i].strip(" ()[]-–.")) in _VACANT]
    if not vacant:
        return table
    problems.note(N_("{count} row(s) name no one ({example}): a post no one holds is not read as a person (the "
                     "staffing rules find the vacancies from the posts held): rows {rows}"), count=len(vacant),
                  example=repr(names[vacant[0]].strip()), rows=table.numbers(vacant))
    return table.without(vacant)
