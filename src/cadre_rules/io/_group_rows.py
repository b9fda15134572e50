"""The rows an office writes between and under the people of its list that are no person's: a group's heading
("I | CÁN BỘ", "II. CÔNG CHỨC", "A. Khối Đảng, đoàn thể") and a total ("Tổng cộng | 25 người")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import N_
from ..model._codes import match_key
from ._tables import _Problems
from ._tables import _Table

__all__ = ["group_rows", "without_group_rows"]

#: A group's number: a Roman numeral or a capital letter, as a list numbers its groups (``I``, ``II.``, ``B)``).
_NUMBER = r"(?:[IVX]{1,5}|[A-H])"
_NUMBER_ONLY = re.compile(rf"{_NUMBER}[.)]?")
#: A heading in one cell: its number, then its title (``I. CÁN BỘ``, ``II - Công chức``).
_NUMBERED_TITLE = re.compile(rf"{_NUMBER}\s*[.)\-–:]\s*\w.*|{_NUMBER}\s+\w{{2}}.*")
#: The first words of a total row (compared by :func:`match_key`).
_TOTALS = tuple(map(match_key, ("tổng cộng", "tổng số", "cộng", "tổng")))
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


def without_group_rows(table: _Table, problems: _Problems) -> _Table:
    """The table of officials without the rows that head or total a group (:func:`group_rows`), with a note
    that says which rows and the first one's text (a heading names no one). Only looked for among the rows
    without a gender and a birth date (none, in a file whose every row has them: its distinct texts)."""
    genders, births = table.columns.get("gender"), table.columns.get("birth_date")
    if genders is None or not any(not text.strip() for text in table.distinct("gender")):
        return table
    births = births if births is not None else [""] * len(genders)
    candidates = [i for i, (gender, birth) in enumerate(zip(genders, births, strict=True))
                  if not gender.strip() and not birth.strip()]
    columns = list(table.columns.values())
    found = [candidates[k] for k in group_rows([[texts[i] for texts in columns] for i in candidates])]
    if not found:
        return table
    example = " ".join(text.strip() for texts in columns if (text := texts[found[0]]).strip())
    shown = ", ".join(str(table.positions[i]) for i in found[:10]) + (", …" if len(found) > 10 else "")
    problems.note(N_("{count} row(s) head or total a group of the list ({example}), not a person, and are not "
                     "read: rows {rows}"), count=len(found), example=repr(example), rows=shown)
    dropped = set(found)
    keep = [i for i in range(len(genders)) if i not in dropped]
    return _Table({name: [texts[i] for i in keep] for name, texts in table.columns.items()},
                  [table.positions[i] for i in keep],
                  None if table.json_keys is None else [table.json_keys[i] for i in keep],
                  table.row_word, source=table.source)
