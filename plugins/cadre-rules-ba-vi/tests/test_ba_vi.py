"""Tests of the Ba Vì plugin: its function, its pack on a small example, and its installed entry point.

``tests/data`` holds four Ba Vì units (two with a large ethnic-minority population, one town) and one
unit of another district, with the extra columns ``ethnic_minority_share`` (units) and ``ethnicity``
(officials).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Literal

import pytest

from cadre_rules import Engine
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import UnitContext
from cadre_rules.model._dates import retirement_date

cadre_rules_ba_vi = pytest.importorskip("cadre_rules_ba_vi", reason="not installed: pip install -e ./plugins/cadre-rules-ba-vi")

DATA = Path(__file__).parent / "data"
#: the repository's two-tier sample (126 units of NQ 1656, their registry codes)
SAMPLE_2025 = Path(__file__).resolve().parents[3] / "examples" / "hanoi-2025"
#: the new communes of the former Huyện Ba Vì, as the 2025.07 pack scopes them
COMMUNES_2025 = ("09619", "09634", "09661", "09664", "09676", "09694", "09700", "09706")
DISABLE = "CADRE_RULES_DISABLE_PLUGINS"


def evaluate(as_of: date, packs: tuple[str, ...] = ("hanoi-de-an-34", "ba-vi-local")) -> Report:
    engine = Engine(list(packs), plugins=[cadre_rules_ba_vi], backend="reference", lang="en")
    officials, units = engine.read(DATA / "officials.csv", DATA / "units.csv")
    return engine.evaluate(officials, units, as_of)


def found(report: Report, pack: str) -> list[tuple[str, str]]:
    return [(f.rule, f.subject_id) for f in report.findings if f.pack == pack]


@pytest.mark.parametrize(("text", "share"), [
    ("0.62", Fraction(31, 50)), ("0,62", Fraction(31, 50)), ("35%", Fraction(7, 20)), (" 1 ", Fraction(1)),
    ("0", Fraction(0)), (None, None), ("", None), ("n/a", None), ("1.5", None), ("-0.1", None), ("120%", None),
])
def test_ethnic_minority_share(text: str | None, share: Fraction | None) -> None:
    extra = {} if text is None else {"ethnic_minority_share": text}
    unit = Unit("BV-01", "Xã Suối Mây", "commune", 2, "Huyện Ba Vì", True, extra)
    assert cadre_rules_ba_vi.ethnic_minority_share(UnitContext(unit, [], date(2024, 6, 30))) == share


def test_pack_is_scoped_to_the_district_and_replaces_the_city_quota() -> None:
    engine = Engine([], plugins=[cadre_rules_ba_vi])
    assert [p.version for p in engine.editions["ba-vi-local"]] == ["2023.12.1", "2025.07"]
    pack = engine.editions["ba-vi-local"][0]
    assert (pack.scope_districts, pack.scope_units) == (("Huyện Ba Vì",), ())
    assert [(o.pack, o.rule, o.action, o.by) for o in pack.overrides] == [
        ("hanoi-de-an-34", "quota.young", "replace", "quota.young")]
    assert pack.params["young_min_share"] == Fraction(12, 100)
    spec = engine.functions["ethnic_minority_share"]
    assert (str(spec.returns), spec.params, spec.subject) == ("number", (), "official")


def test_findings_on_the_example_data() -> None:
    report = evaluate(date(2024, 6, 30))
    assert found(report, "ba-vi-local") == [
        ("qualification.rural_economy", "BV-03"),  # no key official trained in agriculture or tourism (BV-04: a town)
        ("quota.ethnic_minority", "BV-02"),        # 35% ethnic minorities, no ethnic-minority key official
        ("quota.young", "Huyện Ba Vì"),            # 2 of 20 = 10%: below the district's 12%
    ]
    ethnic = next(f for f in report.findings if f.rule == "quota.ethnic_minority")
    # BV-02-05's ethnicity is not recorded: left out of the population, not counted as Kinh
    assert (ethnic.facts["numerator"], ethnic.facts["denominator"], ethnic.facts["needed"]) == (0, 4, 1)
    young = next(f for f in report.findings if f.pack == "ba-vi-local" and f.rule == "quota.young")
    assert young.message == ("Huyện Ba Vì: key officials under 35 are 10.0% (2/20), below the district's target "
                             "of 12%; 1 more needed")
    # the city's 10% is met in Ba Vì; the other district is not the plugin's business
    assert ("quota.young", "Huyện Ba Vì") not in found(report, "hanoi-de-an-34")
    assert ("quota.young", "Huyện Thạch Thất") in found(report, "hanoi-de-an-34")
    assert report.suppressed == ()
    assert all(report.unit_districts.get(f.scope_id, f.scope_id) == "Huyện Ba Vì"
               for f in report.findings if f.pack == "ba-vi-local")


def test_the_district_target_replaces_the_city_one() -> None:
    report = evaluate(date(2025, 6, 30))  # BV-01-04 turned 35: 1 of 20 = 5%, below both targets
    assert ("quota.young", "Huyện Ba Vì") in found(report, "ba-vi-local")
    assert ("quota.young", "Huyện Ba Vì") not in found(report, "hanoi-de-an-34")
    assert [(s.finding.pack, s.finding.rule, s.finding.subject_id, s.by) for s in report.suppressed] == [
        ("hanoi-de-an-34", "quota.young", "Huyện Ba Vì", "ba-vi-local")]
    assert report.suppressed[0].reason.endswith("(replaced by ba-vi-local/quota.young)")
    assert ("quota.young", "Huyện Thạch Thất") in found(report, "hanoi-de-an-34")


def test_the_district_version_ends_with_the_district_level_and_the_communes_version_follows() -> None:
    engine = Engine(None, plugins=[cadre_rules_ba_vi])
    assert [p.ref for p in engine.packs_for(date(2025, 6, 30))[0] if p.id == "ba-vi-local"] == ["ba-vi-local@2023.12.1"]
    assert [p.ref for p in engine.packs_for(date(2025, 7, 1))[0] if p.id == "ba-vi-local"] == ["ba-vi-local@2025.07"]
    assert "ba-vi-local" not in [p.id for p in engine.packs_for(date(2023, 11, 5))[0]]


def test_the_communes_version_is_scoped_by_the_new_communes_codes() -> None:
    pack = Engine([], plugins=[cadre_rules_ba_vi]).editions["ba-vi-local"][1]
    assert (pack.scope_districts, pack.scope_units) == ((), COMMUNES_2025)
    assert pack.overrides == ()  # the city's quota.young is city-wide from 2025-07-01: not the communes' to replace
    assert pack.params["young_min_share"] == Fraction(12, 100) and pack.retirement_ends_service
    with open(SAMPLE_2025 / "units.csv", encoding="utf-8", newline="") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert [names[code] for code in COMMUNES_2025] == [
        "Xã Quảng Oai", "Xã Cổ Đô", "Xã Minh Châu", "Xã Vật Lại", "Xã Bất Bạt", "Xã Suối Hai", "Xã Ba Vì", "Xã Yên Bài"]


def by_hand(as_of: date) -> tuple[set[str], dict[str, tuple[int, int]]]:
    """The 2025 sample's findings of ba-vi-local@2025.07 computed from its CSV files with the csv module: the
    communes without a key official trained in agriculture or rural tourism, and each commune's key officials
    under 35 (numerator, denominator). Key: Đề án 34's eight key posts from 2025-07-01 (the Phó Bí thư thường trực
    among them, as hanoi-de-an-34@2025.07 counts them), held as the position or concurrently."""
    with open(SAMPLE_2025 / "units.csv", encoding="utf-8", newline="") as handle:
        kinds = {row["code"]: row["kind"] for row in csv.DictReader(handle)}
    with open(SAMPLE_2025 / "officials.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["unit"] in COMMUNES_2025]
    serving = []
    for row in rows:
        born = date.fromisoformat(row["birth_date"])
        retires = retirement_date(born, row["gender"])
        assert retires != as_of  # no one on the boundary: serving is unambiguous
        if retires > as_of:
            serving.append(row)
    key_posts = {"party_secretary", "standing_deputy_party_secretary", "deputy_party_secretary", "council_chair",
                 "council_vice_chair", "committee_chair", "committee_vice_chair", "front_chair"}
    untrained: set[str] = set()
    young: dict[str, tuple[int, int]] = {}
    for code in COMMUNES_2025:
        key = [r for r in serving if r["unit"] == code
               and ({r["position"], *filter(None, r["concurrent_positions"].split(";"))} & key_posts)]
        trained = [r for r in key if any(w in r["field_of_study"].casefold() for w in ("nông nghiệp", "du lịch"))]
        if kinds[code] == "commune" and key and not trained:
            untrained.add(code)
        under = [r for r in key if (as_of.year - int(r["birth_date"][:4])
                                    - ((as_of.month, as_of.day) < (int(r["birth_date"][5:7]), int(r["birth_date"][8:10]))))
                 < 35]
        if key:
            young[code] = (len(under), len(key))
    return untrained, young


@pytest.mark.parametrize("backend", ["reference", "durable"])
def test_the_2025_sample_by_hand(backend: Literal["reference", "durable"]) -> None:
    as_of = date(2025, 12, 31)
    engine = Engine(None, plugins=[cadre_rules_ba_vi], backend=backend, lang="en")
    officials, units = engine.read(SAMPLE_2025 / "officials.csv", SAMPLE_2025 / "units.csv")
    report = engine.evaluate(officials, units, as_of)
    untrained, young = by_hand(as_of)
    assert "ba-vi-local@2025.07" in [f"{p.id}@{p.version}" for p in report.packs]
    assert {s for r, s in found(report, "ba-vi-local") if r == "qualification.rural_economy"} == untrained
    metrics = {m.scope_id: (m.numerator, m.denominator) for m in report.metrics
               if m.pack == "ba-vi-local" and m.id == "quota.young_commune"}
    assert metrics == young and len(young) == len(COMMUNES_2025)
    # (session 18: the key posts of hanoi-de-an-34@2025.07, and each share says which set it counted)
    assert {m.key_positions for m in report.metrics if m.pack == "ba-vi-local"} == {"extended"}
    short = {code for code, (n, d) in young.items() if Fraction(n, d) < Fraction(12, 100)}
    assert {s for r, s in found(report, "ba-vi-local") if r == "quota.young_commune"} == short
    # no ethnic_minority_share column in the sample: the quota decides nothing, rather than guessing
    ethnic = [m for m in report.metrics if m.pack == "ba-vi-local" and m.id == "quota.ethnic_minority"]
    assert {(m.numerator, m.denominator, m.met) for m in ethnic} == {(0, 0, None)}
    assert not [f for f in report.findings if f.rule == "quota.ethnic_minority"]
    # every finding of the pack is about one of its communes
    assert {f.scope_id for f in report.findings if f.pack == "ba-vi-local"} <= set(COMMUNES_2025)


def test_installed_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE, raising=False)
    engine = Engine([])  # plugins=True: the installed entry points
    assert "ba-vi" in engine.plugins.names
    assert engine.plugins.packs["ba-vi-local"].plugin == "ba-vi"
    assert engine.functions["ethnic_minority_share"].plugin == "ba-vi"
    assert not engine.plugins.problems


def test_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "cadre_rules", "evaluate", str(DATA), "--pack", "hanoi-de-an-34", "--pack",
         "ba-vi-local", "--as-of", "2025-06-30", "--format", "json", "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8", env={**env, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert result.returncode == 1, result.stderr  # findings of severity error (vacant council posts)
    assert result.stderr == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in report["packs"]] == ["hanoi-de-an-34", "ba-vi-local"]
    assert [(s["rule"], s["subject"]["id"], s["by"]) for s in report["suppressed"]] == [
        ("quota.young", "Huyện Ba Vì", "ba-vi-local")]
