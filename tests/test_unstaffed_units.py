"""A commune's own officials evaluated with the city's units file (docs/report.md, "Units without officials"): the
report is that commune's, the other units' vacancies left out, and a first note says so with what to do; a city's
data that miss a ward still report its vacancies, and name it first as a loss of data."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.service._worker import Answer
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import run_job
from subsets import with_city_units

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2025"


def _officials_of(target: Path, keep: Callable[[str], bool]) -> Path:
    """The 2025 sample's units file whole, and the officials of the units ``keep`` says (by code)."""
    return with_city_units(SAMPLE, target, keep)


def _run(data: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--as-of", "31/12/2025", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _json(data: Path, *args: str) -> dict[str, object]:
    doc: dict[str, object] = json.loads(_run(data, "--format", "json", *args))
    return doc


def test_one_commune_s_officials_with_the_city_s_units_are_its_report(tmp_path: Path) -> None:
    data = _officials_of(tmp_path / "ward", "00322".__eq__)
    doc = _json(data, "--lang", "en")
    notes = doc["notes"]
    assert isinstance(notes, list)
    said = [n for n in notes if n.startswith("the units file lists 126 units, of which only 1 has officials")]
    assert len(said) == 1 and notes.index(said[0]) <= 1  # (first, after the note that the data cover one commune)
    assert "(00322 Phường Tương Mai)" in said[0] and "the 125 units without officials" in said[0]
    assert "--scope commune:00322" in said[0]
    findings = doc["findings"]
    metrics = doc["metrics"]
    assert isinstance(findings, list) and isinstance(metrics, list)
    # no vacancy of the 125 other units (there were 250), nor their unit metrics, nor the city's post counts
    assert {f["scope_id"] for f in findings if f["subject"]["kind"] != "scope"} == {"00322"}
    assert {m["scope_id"] for m in metrics if m["scope"] == "unit"} == {"00322"}
    assert not [m for m in metrics if m["scope"] == "city" and m["id"] in ("staffing.fill_rate", "staffing.posts_filled")]
    assert [m["denominator"] for m in metrics if m["scope"] == "city" and m["id"] == "quota.young"] == [8]
    assert doc["input"]["units"] == 1  # type: ignore[index]
    # in Vietnamese, first too, and in the formats of one row per finding as a notice
    vi = _json(data, "--lang", "vi")
    assert any(n.startswith("tệp đơn vị có 126 đơn vị, nhưng chỉ 1 đơn vị có cán bộ trong dữ liệu")
               for n in vi["notes"][:2])  # type: ignore[index]
    rows = list(csv.DictReader(_run(data, "--format", "csv", "--lang", "vi").lstrip("\ufeff").splitlines()))
    assert [r["message"].startswith("tệp đơn vị có 126 đơn vị") for r in rows if r["rule"] == "notice.units"] == [
        True]
    text = _run(data, "--lang", "vi")
    assert "  - tệp đơn vị có 126 đơn vị" in text
    # --scope (what the note says to do): that commune's report, no such note
    scoped = _json(data, "--lang", "en", "--scope", "commune:00322")
    assert not any("units file lists" in n for n in scoped["notes"])  # type: ignore[union-attr]


def test_a_ward_missing_from_the_city_s_data_is_named_and_its_vacancies_stay(tmp_path: Path) -> None:
    data = _officials_of(tmp_path / "city", "00322".__ne__)
    doc = _json(data, "--lang", "en")
    notes = doc["notes"]
    assert isinstance(notes, list)
    assert notes[0].startswith("1 of the 126 units of the units file has no official in the data "
                               "(00322 Phường Tương Mai): its posts are counted vacant")
    findings = doc["findings"]
    assert isinstance(findings, list)
    vacant = [f for f in findings if f["subject"]["id"] == "00322" and "vacant" in f["facts"]]
    assert vacant  # (a loss of data is reported, never hidden)
    assert doc["input"]["units"] == 126  # type: ignore[index]
    redacted = _json(data, "--lang", "en", "--redact")
    assert redacted["notes"][0].startswith(  # type: ignore[index]
        "1 of the 126 units of the units file has no official in the data (00322): ")

    # the whole city's data: no such note
    whole = _json(SAMPLE, "--lang", "en")
    assert not any("units file" in n for n in whole["notes"])  # type: ignore[union-attr]


def test_a_district_s_officials_with_the_city_s_units_are_its_report(tmp_path: Path) -> None:
    """Before 2025-07-01, one district's officials (Huyện Ba Vì's 31 units of the 579) with the city's units file:
    the district's report; its own rows that count posts stay (all its units have officials), the city's go."""
    sample = ROOT / "examples" / "hanoi-2022"
    target = tmp_path / "ba-vi"
    target.mkdir()
    (target / "units.csv").write_bytes((sample / "units.csv").read_bytes())
    with (sample / "units.csv").open(encoding="utf-8", newline="") as handle:
        codes = {u["code"] for u in csv.DictReader(handle) if u["district"] == "Huyện Ba Vì"}
    with (sample / "officials.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["unit"] in codes]
        assert reader.fieldnames is not None
        fields = list(reader.fieldnames)
    with (target / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(cli, ["evaluate", str(target), "--no-plugins", "--as-of", "2024-06-30", "--lang", "en",
                                      "--format", "json"])
    doc = json.loads(result.stdout)
    said = [n for n in doc["notes"] if n.startswith("the units file lists 579 units, of which only 31 have")]
    assert len(said) == 1 and "--scope district:Huyện Ba Vì" in said[0]
    fill = {(m["scope"], m["scope_id"]) for m in doc["metrics"] if m["id"] == "staffing.fill_rate"}
    assert ("district", "Huyện Ba Vì") in fill and not [s for s in fill if s[0] == "city"]
    assert {m["scope_id"] for m in doc["metrics"] if m["scope"] == "district"} == {"Huyện Ba Vì"}


def test_the_service_names_the_scope_to_give_as_its_request_field(tmp_path: Path) -> None:
    """The note's advice names the scope as each front end takes it: ``--scope commune:00322`` on the command line
    (above), ``scope=commune:00322`` in the service (its query field), never the command line's option there."""
    data = _officials_of(tmp_path / "ward", "00322".__eq__)
    uploads = tuple((f, f"{f}.csv", (data / f"{f}.csv").read_bytes()) for f in ("officials", "units"))
    answer = run_job(Job(date(2025, 12, 31), (), (), "en", "json", False, "Hà Nội", False, uploads=uploads,
                         task="evaluate", ui_lang="en"))
    assert isinstance(answer, Answer), answer
    (said,) = [n for n in json.loads(answer.body)["notes"] if n.startswith("the units file lists 126 units")]
    assert "evaluate with scope=commune:00322 or a units file of your own" in said and "--scope" not in said
