"""The JSON Schemas shipped in the package, printed by ``cadre-rules schema NAME``, against real files (#21)."""

from __future__ import annotations

import csv
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from cadre_rules._cli import SCHEMAS
from cadre_rules._cli import cli

ROOT = Path(__file__).parents[1]
PACKS = sorted((ROOT / "policies").glob("*.toml")) + sorted(ROOT.glob("plugins/*/src/*/*.toml"))
CASES = sorted((ROOT / "policies" / "tests").glob("*.toml")) + sorted(ROOT.glob("plugins/*/src/*/tests/*.toml"))


def schema(name: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


def as_json(value: Any) -> Any:
    """TOML as JSON sees it: dates as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def toml(path: Path) -> Any:
    return as_json(tomllib.loads(path.read_text(encoding="utf-8")))


def test_every_schema_is_printed_and_versioned() -> None:
    for name in SCHEMAS:
        assert schema(name)["$id"].endswith("/v2" if name == "report" else "/v1")


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.stem)
def test_packs_are_valid(path: Path) -> None:
    validator("pack").validate(toml(path))


def test_pack_schema_rejects_an_unknown_key_and_severity() -> None:
    data = toml(PACKS[0])
    assert validator("pack").is_valid(data)
    assert not validator("pack").is_valid({**data, "rules": []})
    bad = json.loads(json.dumps(data))
    bad["rule"][0]["severity"] = "fatal"
    assert not validator("pack").is_valid(bad)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_pack_test_files_are_valid(path: Path) -> None:
    validator("pack-test").validate(toml(path))


def test_pack_test_schema_rejects_a_misspelled_field() -> None:
    data = toml(CASES[0])
    data["case"][0]["officials"][0]["educaton"] = "college"
    assert not validator("pack-test").is_valid(data)


@pytest.mark.parametrize("example", ["hanoi-2022", "hanoi-2025"])
def test_input_examples_as_json_are_valid(example: str) -> None:
    check = validator("input")
    for name in ("officials", "units"):
        with open(ROOT / "examples" / example / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            rows = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(f)]
        check.validate(rows[:300])  # (the first 300 records: jsonschema checks ~250 records a second)
    assert not check.is_valid([{"id": "x", "full_name": "X"}])  # required columns missing


def test_report_is_valid() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(ROOT / "examples" / "hanoi-2025"), "--as-of", "2025-12-31",
                                      "--format", "json", "-q", "--fail-on", "never", "--explain"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"]
    validator("report").validate(report)
    report["findings"][0]["severity"] = "fatal"
    assert not validator("report").is_valid(report)
