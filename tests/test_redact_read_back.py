"""A report read back from its JSON (its notes as strings, no notice records: what an integrator who kept the JSON
has), then redacted (:func:`cadre_rules.redact`), names its units by code only in every note, as the report
redacted when it was made does: a data gap's note ("00322", not "00322 Phường Tương Mai"), the note of a
one-commune file ("dữ liệu chỉ có 00322"); and a report restricted to a commune (``--scope``) is titled by its code
when redacted, as a one-commune file is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Names
from cadre_rules import Report
from cadre_rules import redact
from cadre_rules import report_to_dict
from cadre_rules._cli import cli
from cadre_rules.report._notices import with_partial_data_note
from subsets import sample_subset

ROOT = Path(__file__).parent.parent
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai of the 2025 sample, nobody's standing-committee membership recorded: a data gap of
    ``quota.woman_standing_committee`` (hanoi-de-an-34) for the ward, and a one-commune file."""
    target = tmp_path_factory.mktemp("ward") / "data"
    officials = sample_subset(ROOT / "examples" / "hanoi-2025", target, "00322", blank=("standing_committee",))
    assert "HN00322" in (officials / "officials.csv").read_text(encoding="utf-8")
    return officials


def _read_back(report: Report, names: Names) -> Report:
    """``report`` as an integrator rebuilds it from its JSON: the records the JSON gives, its notes as strings and no
    notice records (the JSON has none), and the names of its subjects from their own files."""
    doc = report_to_dict(report)
    notes = doc["notes"]
    assert isinstance(notes, list)
    return Report(report.as_of, report.packs, report.officials, report.units, report.input_sha256, report.metrics,
                  report.findings, notes=tuple(str(n) for n in notes), city=report.city, names=names)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_report_read_back_then_redacted_names_units_by_code(ward: Path, lang: str) -> None:
    engine = Engine(packs=["hanoi-de-an-34"], plugins=False, lang=lang)
    officials, units = engine.read(ward / "officials.csv", ward / "units.csv")
    fresh = with_partial_data_note(engine.evaluate(officials, units, AS_OF), lang)
    assert fresh.names is not None
    named = [n for n in fresh.notes if "Phường Tương Mai" in n]
    assert len(named) == 2  # the one-commune file's note and the data gap's
    redacted = redact(fresh).notes
    assert not any("Tương Mai" in n for n in redacted)
    assert any(n.endswith(": 00322") for n in redacted)  # the data gap's subject, by its code
    back = redact(_read_back(fresh, fresh.names))
    assert back.notes == redacted
    # the same, however the notes came: notice records rebuilt without what they had beside their message
    rebuilt = attrs.evolve(fresh, notices=tuple(attrs.evolve(n, message=n.message) for n in fresh.notices))
    assert redact(rebuilt).notes == redacted
    assert not any("Tương Mai" in n.message for n in redact(rebuilt).notices)
    # ...and as the command line writes it under --redact
    result = CliRunner().invoke(cli, ["evaluate", str(ward), "--no-plugins", "--pack", "hanoi-de-an-34", "--as-of",
                                      "31/12/2025", "--lang", lang, "--format", "json", "--redact",
                                      "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output
    assert tuple(json.loads(result.stdout)["notes"]) == redacted


def test_a_unit_s_name_is_replaced_whole_and_only_where_it_is_a_unit_s(ward: Path) -> None:
    """Every note of a report without names gives a unit's code where it gave "code name" or the name alone; a name
    inside a longer word, or another text, stays."""
    names = Names({}, {"00322": "Phường Tương Mai", "00323": "Phường Tương Mai Mới", "09999": "Xã A"})
    report = Report(AS_OF, (), 0, 3, "0" * 64, (), (), notes=(
        "gap: 00322 Phường Tương Mai, 00323 Phường Tương Mai Mới", "only Phường Tương Mai Mới here",
        "Xã An and Xã A.", "nothing named"), names=names)
    assert redact(report).notes == ("gap: 00322, 00323", "only 00323 here", "Xã An and 09999.", "nothing named")


def test_a_commune_s_report_redacted_is_titled_by_its_code(ward: Path) -> None:
    args = ["evaluate", str(ward), "--no-plugins", "--pack", "hanoi-de-an-34", "--as-of", "31/12/2025",
            "--fail-on", "never", "-q", "--scope", "commune:00322", "--lang", "vi"]
    for fmt in ("json", "text", "html"):
        named = CliRunner().invoke(cli, [*args, "--format", fmt])
        redacted = CliRunner().invoke(cli, [*args, "--format", fmt, "--redact"])
        assert named.exit_code == redacted.exit_code == 0, (named.output, redacted.output)
        assert "Phường Tương Mai" in named.stdout, fmt
        assert "Tương Mai" not in redacted.stdout, fmt
        assert "00322" in redacted.stdout, fmt


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_match_redacted_names_the_units_of_its_notes_by_code(ward: Path, tmp_path: Path, lang: str) -> None:
    """``match --redact`` (ids only: no names of people or units) said the data gap's note of the engine's report
    as it was: "1 đối tượng: 00322 Phường Tương Mai"."""
    args = ["match", str(ward), "--no-plugins", "--as-of", "31/12/2025", "--lang", lang]
    for fmt in ("text", "json", "html"):
        named = CliRunner().invoke(cli, [*args, "--format", fmt])
        redacted = CliRunner().invoke(cli, [*args, "--format", fmt, "--redact"])
        assert named.exit_code == redacted.exit_code == 0, (named.output, redacted.output)
        assert "00322 Phường Tương Mai" in named.stdout, fmt  # (the gap's note, named)
        assert "Tương Mai" not in redacted.stdout, fmt
    notes = json.loads(CliRunner().invoke(cli, [*args, "--format", "json", "--redact"]).stdout)["notes"]
    assert any(n.endswith(": 00322") for n in notes)
