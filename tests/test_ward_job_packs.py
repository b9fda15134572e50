"""One ward's projection and explanation name the packs that apply to it (session 18): another commune's or
district's plugin (the example plugins Ba Vì's and Hoàn Kiếm's) is not among its packs, and one note says so, as
the ward's report does (report/_applied.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.service._openapi import openapi
from subsets import with_city_units
from test_serve_contract import undescribed

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
FOREIGN = ("ba-vi-local@2025.07", "hoan-kiem-local@2025.07")
NOTE = ("packs ba-vi-local@2025.07, hoan-kiem-local@2025.07 were found but apply only to other communes or "
        "districts, not to Phường Tương Mai")

pytestmark = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None
                                or importlib.util.find_spec("cadre_rules_hoan_kiem") is None,
                                reason="pip install -e ./plugins/cadre-rules-ba-vi -e ./plugins/cadre-rules-hoan-kiem")


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai's officials (00322) with the city's 126 units."""
    return with_city_units(SAMPLE, tmp_path_factory.mktemp("ward") / "data", "00322".__eq__)


def _run(*args: str) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)
        result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("kind", ["own", "scope"])
def test_project_names_the_ward_s_packs_at_each_step(ward: Path, kind: str) -> None:
    data = [str(ward)] if kind == "own" else [str(SAMPLE), "--scope", "commune:00322"]
    text = _run("project", *data, "--to", "2027-12-31")
    packs = [line for line in text.splitlines() if line.startswith("Packs from ")]
    assert packs == ["Packs from 2025-12-31: hanoi-de-an-34@2025.07.4, vn-commune-2tier@2025.11.3",
                     "Packs from 2026-12-31: hanoi-de-an-34@2025.07.4, vn-commune-2tier@2026.01.4"]
    assert text.count(NOTE) == 1
    doc = json.loads(_run("project", *data, "--to", "2027-12-31", "--format", "json"))
    # (each step's packs: every pack evaluated, what the projection rests on, as evaluate's json keeps them)
    assert all(ref in doc["steps"][0]["packs"] for ref in FOREIGN)
    assert sum(n.startswith(NOTE) for n in doc["notes"]) == 1


def test_the_city_s_projection_names_every_pack() -> None:
    text = _run("project", str(SAMPLE), "--to", "2026-12-31")
    assert all(ref in text.splitlines()[2] for ref in FOREIGN) and NOTE not in text
    doc = json.loads(_run("project", str(SAMPLE), "--to", "2026-12-31", "--format", "json"))
    assert not any(n.startswith(NOTE) for n in doc["notes"])
    assert "not_applying" not in doc  # (every pack applies to the city: its json as before)


@pytest.mark.parametrize("kind", ["own", "scope"])
def test_explain_unit_names_the_ward_s_packs(ward: Path, kind: str) -> None:
    data = str(ward) if kind == "own" else str(SAMPLE)
    text = _run("explain", data, "--unit", "00322")
    assert text.splitlines()[1] == "Packs: hanoi-de-an-34@2025.07.4, vn-commune-2tier@2025.11.3"
    assert text.count(NOTE) == 1
    doc = json.loads(_run("explain", data, "--unit", "00322", "--format", "json"))
    assert all(ref in doc["packs"] for ref in FOREIGN)
    assert sum(n.startswith(NOTE) for n in doc["notes"]) == 1


def test_explain_city_names_every_pack() -> None:
    text = _run("explain", str(SAMPLE), "--city")
    assert all(ref in text.splitlines()[1] for ref in FOREIGN) and NOTE not in text
    assert "not_applying" not in json.loads(_run("explain", str(SAMPLE), "--city", "--format", "json"))


def test_the_training_view_names_the_ward_s_packs(ward: Path) -> None:
    text = _run("evaluate", str(ward), "--group-by", "training")
    assert text.splitlines()[1] == "Packs: hanoi-de-an-34@2025.07.4, vn-commune-2tier@2025.11.3"
    assert text.count(NOTE) == 1


def test_a_named_pack_of_other_communes_is_said_once_in_the_ward_s_projection(ward: Path) -> None:
    """--pack: the ward's projection as its report (evaluate --pack …): the pack named, said once, not listed."""
    args = ("--pack", "hanoi-de-an-34", "--pack", "ba-vi-local")
    text = _run("project", str(ward), "--to", "2026-12-31", *args)
    assert text.splitlines()[2] == "Packs from 2025-12-31: hanoi-de-an-34@2025.07.4"
    assert text.count("pack ba-vi-local@2025.07 was found but applies only to other communes or districts, not to "
                      "Phường Tương Mai") == 1


def _answer_checked(doc: dict[str, object], component: str) -> None:
    """``doc`` validates against the service's schema ``component`` (/openapi.json) and names no key it does not."""
    document = openapi()
    schema = {"$ref": f"#/components/schemas/{component}"}
    jsonschema.validate(doc, {**schema, "components": document["components"]})
    assert undescribed(doc, schema, document) == []


@pytest.mark.parametrize("kind", ["own", "scope"])
def test_the_ward_s_project_and_explain_json_mark_the_packs_that_do_not_apply(ward: Path, kind: str) -> None:
    """Session 19: as the ward's report marks them ``"applies": false``, the json of its projection and explanation
    lists the packs that apply to none of its units in ``not_applying`` (additive: the lists of packs keep every pack
    evaluated), and the service's schemas name the key."""
    data = [str(ward)] if kind == "own" else [str(SAMPLE), "--scope", "commune:00322"]
    projection = json.loads(_run("project", *data, "--to", "2026-12-31", "--format", "json"))
    assert projection["not_applying"] == list(FOREIGN)
    assert all(ref in projection["steps"][0]["packs"] for ref in FOREIGN)
    _answer_checked(projection, "Projection")
    explanation = json.loads(_run("explain", data[0], "--unit", "00322", "--format", "json"))
    assert explanation["not_applying"] == list(FOREIGN)
    assert all(ref in explanation["packs"] for ref in FOREIGN)
    _answer_checked(explanation, "ScopeExplanation")
