"""A commune's own file (or one district's, where the report aggregates by district) evaluated without ``--scope``:
the report's city-level rows and quota findings count that commune's officials only, whatever they are labelled;
a note says so first (the officer of a ward read "Hà Nội: bình quân 3,00 Phó Chủ tịch UBND mỗi xã")."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cadre_rules._cli import cli
from subsets import sample_subset

ROOT = Path(__file__).parent.parent


def _json(data: Path, *args: str) -> dict[str, object]:
    lang = [] if "--lang" in args else ["--lang", "vi"]
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--format", "json", *lang, *args])
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_a_commune_s_file_says_its_city_rows_are_the_commune_s(tmp_path: Path) -> None:
    data = sample_subset(ROOT / "examples" / "hanoi-2025", tmp_path / "ward", "00322")
    vi = _json(data, "--as-of", "31/12/2025")
    notes = vi["notes"]
    assert isinstance(notes, list)
    assert notes[0].startswith("dữ liệu chỉ có Phường Tương Mai: các chỉ số, chỉ tiêu cấp thành phố (Hà Nội)")
    assert any(m["scope"] == "city" for m in vi["metrics"])  # type: ignore[union-attr]  # (kept, and said)
    en = _json(data, "--as-of", "31/12/2025", "--lang", "en")
    assert en["notes"][0].startswith("the data cover Phường Tương Mai only")  # type: ignore[index]
    # scoped (its own report) or the whole city's data: no such note
    scoped = _json(data, "--as-of", "31/12/2025", "--scope", "commune:00322")
    whole = _json(ROOT / "examples" / "hanoi-2025", "--as-of", "31/12/2025")
    for doc in (scoped, whole):
        assert not any("dữ liệu chỉ có" in n for n in doc["notes"])  # type: ignore[union-attr]
    # --redact: the commune by its code (a report without names, positions or unit names)
    redacted = _json(data, "--as-of", "31/12/2025", "--redact")
    assert redacted["notes"][0].startswith("dữ liệu chỉ có 00322: ")  # type: ignore[index]
    assert "Tương Mai" not in json.dumps(redacted, ensure_ascii=False)
    text = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--lang", "vi", "--as-of", "31/12/2025"]).stdout
    assert "  - dữ liệu chỉ có Phường Tương Mai" in text


def test_one_district_s_file_says_so_where_districts_are_aggregated(tmp_path: Path) -> None:
    data = sample_subset(ROOT / "examples" / "hanoi-2022", tmp_path / "district", "Huyện Ba Vì", column="district")
    doc = _json(data, "--as-of", "2024-06-30")
    assert doc["notes"][0].startswith("dữ liệu chỉ có Huyện Ba Vì: ")  # type: ignore[index]
    # from 2025-07-01 the districts are not aggregated: the note names none (the units are many communes)
    later = _json(data, "--as-of", "2025-12-31", "--pack", "hanoi-de-an-34")
    assert not any("dữ liệu chỉ có" in n for n in later["notes"])  # type: ignore[union-attr]
