"""An empty required cell is "required value is missing", located, with no "(got '')" after it: the officer sees
the row and the column, and a value shown as '' tells them nothing (CSV and XLSX, in Vietnamese and English).
An argument an API caller gave as ``""`` still says what it got: that is what the caller wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import load_officials
from cadre_rules._i18n import translation
from test_io import BASE
from test_io import write_rows
from test_io import write_xlsx

MISSING = {"en": "required value is missing", "vi": "thiếu giá trị bắt buộc"}
GOT = {"en": "(got ''", "vi": "(giá trị đọc được: ''"}


def _officials(folder: Path, kind: str) -> Path:
    """Two officials, the second's ``full_name`` empty and its ``education`` blank (spaces)."""
    rows = [BASE, {**BASE, "id": "A2", "full_name": "", "education": "   "}]
    if kind == "csv":
        return write_rows(folder / "officials.csv", rows)
    return write_xlsx(folder / "officials.xlsx", [list(BASE), *([row[c] for c in BASE] for row in rows)])


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_empty_required_cell_shows_no_value(tmp_path: Path, kind: str, lang: str) -> None:
    with pytest.raises(InputError) as caught:
        load_officials(_officials(tmp_path, kind))
    missing = [p for p in caught.value.problems if p.column in ("full_name", "education")]
    assert [(p.row, p.column, p.value) for p in missing] == [(3, "full_name", None), (3, "education", None)]
    text = caught.value.text(translation(lang).gettext)
    lines = [line for line in text.splitlines() if MISSING[lang] in line]
    assert len(lines) == 2, text
    for line in lines:
        assert line.endswith(MISSING[lang]) and GOT[lang] not in line, line
        assert ", row 3, " in line or ", dòng 3, " in line, line


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_empty_argument_still_says_what_it_got(lang: str) -> None:
    with pytest.raises(InputError) as caught:
        Engine(lang="")
    (problem,) = caught.value.problems
    assert (problem.file, problem.value) == ("lang", "")
    assert caught.value.text(translation(lang).gettext).endswith(GOT[lang] + ")")
