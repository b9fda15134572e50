"""A data gap's note names a unit as the reports do ("00322 Phường Tương Mai"), in vi and en and in every format
that shows notes; without names (``--redact``) by its code only; an official stays an id (tests/test_scope_counts.py:
a note names no person)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli

ROOT = Path(__file__).parent.parent
NAMED = {"vi": "thiếu dữ liệu, chưa đánh giá được 1 đối tượng: 00322 Phường Tương Mai",
         "en": "data gap, not evaluated for 1 subject: 00322 Phường Tương Mai"}


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai of the 2025 sample, nobody's standing-committee membership recorded: a data gap of
    ``quota.woman_standing_committee`` (hanoi-de-an-34) for the ward."""
    target = tmp_path_factory.mktemp("ward")
    source = ROOT / "examples" / "hanoi-2025"
    with (source / "units.csv").open(encoding="utf-8", newline="") as handle:
        units = list(csv.DictReader(handle))
    with (source / "officials.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        officials = [{**o, "standing_committee": ""} for o in reader if o["unit"] == "00322"]
        fields = reader.fieldnames
    assert officials
    for name, rows, header in (("units.csv", [u for u in units if u["code"] == "00322"], list(units[0])),
                               ("officials.csv", officials, fields)):
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return target


def _outputs(data: Path, out: Path, lang: str, *args: str) -> dict[str, str]:
    """The report in every format that shows the notes, as text."""
    out.mkdir()
    names = {"text": "r.txt", "json": "r.json", "jsonl": "r.jsonl", "csv": "r.csv", "html": "r.html", "xlsx": "r.xlsx"}
    targets = [a for name in names.values() for a in ("-o", str(out / name))]
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--pack", "hanoi-de-an-34", "--as-of",
                                      "31/12/2025", "--lang", lang, "--fail-on", "never", "-q", *targets, *args])
    assert result.exit_code == 0, result.output
    texts = {fmt: (out / name).read_text(encoding="utf-8") for fmt, name in names.items() if fmt != "xlsx"}
    book = openpyxl.load_workbook(out / names["xlsx"], read_only=True)
    texts["xlsx"] = "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                              for c in row if c is not None)
    json_notes = json.loads(texts["json"])["notes"]
    texts["json"] = "\n".join(json_notes)  # (the json's notes, unescaped)
    return texts


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_data_gap_note_names_the_unit(ward: Path, tmp_path: Path, lang: str) -> None:
    for fmt, text in _outputs(ward, tmp_path / "named", lang).items():
        assert NAMED[lang] in text, fmt
    # the ward's own report (--scope: its notes made again for it) names it as well
    scoped = _outputs(ward, tmp_path / "scoped", lang, "--scope", "commune:00322")
    assert NAMED[lang] in scoped["json"] and NAMED[lang] in scoped["html"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_without_names_the_note_gives_the_code(ward: Path, tmp_path: Path, lang: str) -> None:
    code_only = NAMED[lang].removesuffix(" Phường Tương Mai")
    for fmt, text in _outputs(ward, tmp_path / "redacted", lang, "--redact").items():
        gap = [line for line in text.splitlines() if code_only in line]
        assert gap, fmt
        assert not any(NAMED[lang] in line for line in gap), fmt
