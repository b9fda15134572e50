"""The calibrated Hanoi 2025 sample (issue #15): the two-tier city, recounted from the committed files."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli

SAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2025"
CORE3 = {"party_secretary", "committee_chair", "front_chair"}
EXTENDED = CORE3 | {"standing_deputy_party_secretary", "deputy_party_secretary", "council_chair",
                    "council_vice_chair", "committee_vice_chair"}


@pytest.fixture(scope="module")
def data() -> tuple[list, list]:  # type: ignore[type-arg]
    units = list(load_units(SAMPLE / "units.csv"))
    return list(load_officials(SAMPLE / "officials.csv", units={u.code: u for u in units})), units


def test_126_units_directly_under_the_city(data: tuple[list, list]) -> None:  # type: ignore[type-arg]
    _, units = data
    assert Counter(u.kind for u in units) == {"commune": 75, "ward": 51}
    assert {u.district for u in units} == {None}
    assert all(u.has_council for u in units)
    names = {u.code: u.name for u in units}
    assert (names["00097"], names["09661"], names["00226"]) == ("Phường Hồng Hà", "Xã Minh Châu",
                                                                 "Phường Văn Miếu - Quốc Tử Giám")
    assert len(set(names.values())) == 126


def test_published_counts(data: tuple[list, list]) -> None:  # type: ignore[type-arg]
    officials, _ = data
    assert len(officials) == 9536
    core = [o for o in officials if CORE3 & set(o.posts)]
    assert len(core) == 375  # Hanoi's key officials of 30/6/2025
    both = [o for o in officials if {"party_secretary", "committee_chair"} <= set(o.posts)]
    assert len(both) == 3
    per_unit = Counter(o.unit for o in officials for p in o.posts if p in CORE3)
    assert set(per_unit.values()) == {3}  # every unit has its three heads
    assert sum("committee_vice_chair" in o.posts for o in officials) == 330  # 2.62 a unit, above 2.5
    assert Counter(o.unit for o in officials if "council_vice_chair" in o.posts).most_common(3)[-1][1] == 1
    assert sum(n == 2 for n in Counter(o.unit for o in officials if "council_vice_chair" in o.posts).values()) == 2


def test_sample_command_rewrites_the_committed_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sample", str(tmp_path), "--regime", "2025"])
    assert result.exit_code == 0, result.output
    for name in ("officials.csv", "units.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes()
    other = CliRunner().invoke(cli, ["sample", str(tmp_path / "7"), "--regime", "2025", "--seed", "7"])
    assert other.exit_code == 0
    assert (tmp_path / "7" / "officials.csv").read_bytes() != (SAMPLE / "officials.csv").read_bytes()


@pytest.fixture(scope="module")
def report() -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE), "--as-of", "2025-12-31", "--format", "json"])
    assert result.exit_code == 1, result.output  # error findings, no bad input
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_evaluates_with_the_post_reform_packs_on_city_and_unit_scopes(report: dict) -> None:  # type: ignore[type-arg]
    assert [(p["id"], p["version"]) for p in report["packs"]] == [("hanoi-de-an-34", "2025.07.4"),
                                                                  ("vn-commune-2tier", "2025.11.3")]
    assert {m["scope"] for m in report["metrics"]} == {"city", "unit"}
    assert {f["family"] for f in report["findings"]} == {"staffing", "quota", "qualification", "rotation",
                                                         "replacement"}


def test_key_shares_state_their_set(report: dict) -> None:  # type: ignore[type-arg]
    city = {m["id"]: m for m in report["metrics"] if m["scope"] == "city"}
    assert (city["quota.women"]["denominator"], city["quota.women"]["key_positions"]) == (963, "extended")
    assert city["quota.young"]["met"] is False
    average = city["staffing.committee_vice_chair_average"]
    assert (average["numerator"], average["denominator"], average["per"], average["met"]) == (330, 126, "unit", False)
    core3 = CliRunner().invoke(cli, ["evaluate", str(SAMPLE), "--as-of", "2025-12-31", "--format", "json",
                                     "--param", "hanoi-de-an-34.key_set=core3", "--fail-on", "never"])
    women = next(m for m in json.loads(core3.stdout)["metrics"] if m["id"] == "quota.women" and m["scope"] == "city")
    assert (women["denominator"], women["key_positions"]) == (375, "core3")


def test_evaluates_today_without_as_of() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE), "--quiet", "--lang", "en", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    head = result.stdout.splitlines()
    assert head[0] == f"cadre-rules report — as of {date.today().isoformat()}"
    assert head[1].startswith("Packs: hanoi-de-an-34@2025.07.4, vn-commune-2tier@")
    table = result.stdout.split("\nMetrics (")[1].split("\n\n")[0].splitlines()[1:]
    start = table[0].index("Scope")  # the scope column of the aligned table
    scopes = {line[start:].split()[0] for line in table[1:] if not line.lstrip().startswith(("…", "More needed:"))}
    assert scopes == {"city", "unit"}  # no district scope
