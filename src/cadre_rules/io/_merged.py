"""Cells merged down a column of a workbook's list (``Đơn vị`` merged over the rows of a commune's people, as
offices lay a list out): the value is in the first cell only, the others read as empty; each row under the
header is given the value it shows, with a note."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from ..errors import N_
from ._headers import SheetSchema
from ._headers import header_row

__all__ = ["MERGE_MARK", "Merge", "fill_merged_down", "merge_tags"]

#: A merged range: its first row, first column, last row and last column (numbered from 1).
Merge = tuple[int, int, int, int]

#: How a merged range is marked in a worksheet's XML (``<mergeCell ref="F5:F9"/>``, ``<x:mergeCell …``); the tags
#: are looked for only in a chunk that holds it (one pass over the chunk).
MERGE_MARK = b"mergeCell "
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?\bref=[\"']\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?"
                        rb"([0-9]{1,7})[\"']")
#: How many merged cells a note lists.
_SHOWN = 8


class _Notes(Protocol):
    def note(self, template: str, **fields: object) -> None: ...


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def merge_tags(window: bytes, merges: set[Merge]) -> None:
    """The merged ranges marked in ``window`` (a chunk with the end of the one before), added to ``merges``."""
    for first_column, first_row, last_column, last_row in _MERGE_TAG.findall(window):
        merges.add((int(first_row), _column(first_column), int(last_row), _column(last_column)))


def fill_merged_down(grid: list[list[str]], merges: Iterable[Merge], schema: SheetSchema, problems: _Notes) -> None:
    """Give each row of a cell merged down one column, below the header row, the value of its first cell (the
    value Excel shows in each of those rows), and say which (by header and rows, no value: it may be a name). A
    range across columns (a group's title, a signature) is left as it is."""
    if not grid:
        return
    top = header_row(grid, schema) + 1  # (the header's row number)
    header = grid[top - 1]
    filled: list[str] = []
    for first, column, last, end in sorted(merges):
        if column != end or last <= first or first <= top or first > len(grid):
            continue
        i = column - 1
        source = grid[first - 1]
        value = source[i] if i < len(source) else ""
        if not value.strip():
            continue
        for number in range(first + 1, min(last, len(grid)) + 1):
            row = grid[number - 1]
            if i >= len(row):
                row.extend([""] * (i + 1 - len(row)))
            if not row[i].strip():
                row[i] = value
        name = header[i].strip() if i < len(header) and header[i].strip() else str(column)
        filled.append(f"{name!r}: {first}–{min(last, len(grid))}")
    if filled:
        problems.note(N_("{count} cell(s) merged down a column are read as their value in each of their rows "
                         "(column: rows): {cells}"), count=len(filled),
                      cells=", ".join(filled[:_SHOWN]) + (", …" if len(filled) > _SHOWN else ""))
