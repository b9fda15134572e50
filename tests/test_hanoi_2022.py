"""The calibrated Hanoi 2022 sample reproduces the figures of the 16/11/2023 article (issue #3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules._cli import cli

SAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2022"


@pytest.fixture(scope="module")
def report() -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE), "--pack", "hanoi-de-an-34", "--pack", "vn-nd33-2023",
                                      "--as-of", "2022-12-31", "--format", "json", "--lang", "vi"])
    assert result.exit_code == 1, result.output  # there are error findings
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def city(report: dict, metric: str) -> dict:  # type: ignore[type-arg]
    return next(m for m in report["metrics"] if m["id"] == metric and m["scope"] == "city")


def test_key_officials_women_and_young(report: dict) -> None:  # type: ignore[type-arg]
    women = city(report, "quota.women")
    assert (women["numerator"], women["denominator"], women["met"]) == (648, 3622, True)
    assert round(women["value"] * 100, 1) == 17.9
    young = city(report, "quota.young")
    assert (young["numerator"], young["denominator"], young["met"]) == (181, 3622, False)
    assert round(young["value"] * 100, 1) == 5.0
    finding = next(f for f in report["findings"] if f["rule"] == "quota.young" and f["subject"]["id"] == "Hà Nội")
    assert finding["facts"]["needed"] == 182  # 363 of 3,622 reach 10%
    assert "cần thêm 182 người" in finding["message"]


def test_university_degree(report: dict) -> None:  # type: ignore[type-arg]
    university = city(report, "quota.university")
    assert (university["numerator"], university["denominator"]) == (3618, 3622)
    assert round(university["value"] * 100, 1) == 99.9


def test_exactly_four_degree_findings_among_key_officials() -> None:
    engine = Engine(["hanoi-de-an-34", "vn-nd33-2023"], backend="reference")
    officials, units = engine.read(SAMPLE / "officials.csv", SAMPLE / "units.csv")
    keys = set(engine.packs[0].key_positions)
    key_ids = {o.id for o in officials if keys & set(o.posts)}
    assert len(key_ids) == 3622
    result = engine.evaluate(officials, units, date(2022, 12, 31))
    degree = [f for f in result.findings if f.rule == "qualification.degree" and f.subject_id in key_ids]
    assert len(degree) == 4
    assert all(f.facts["education"] == "college" for f in degree)


def test_sample_command_rewrites_the_committed_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sample", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name in ("officials.csv", "units.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (SAMPLE / name).read_bytes()
