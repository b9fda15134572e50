"""Round trips: officials and units through every file format, packs through TOML, reports through JSON."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules import report_to_dict
from cadre_rules import report_to_json
from cadre_rules.io._io import OFFICIAL_COLUMNS
from cadre_rules.io._io import UNIT_COLUMNS
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row
from cadre_rules.packs._packs import parse_pack
from conftest import report_text
from strategies import as_of_dates
from strategies import file_populations
from strategies import pack_dicts
from strategies import populations

from ._support import columns_of
from ._support import scaled
from ._support import scratch
from ._support import to_toml
from ._support import write_rows

FORMATS = (".csv", ".xlsx", ".json", ".jsonl")


@pytest.mark.parametrize("suffix", FORMATS)
@settings(max_examples=scaled(0.5))
@given(population=file_populations(), ascii_json=st.booleans())
def test_officials_and_units_round_trip(suffix: str, population: tuple[list[Official], list[Unit]],
                                        ascii_json: bool) -> None:
    """officials/units → official_to_row/unit_to_row → file → load_officials/load_units is the identity."""
    people, places = population
    with scratch() as directory:
        rows = [official_to_row(o) for o in people]
        path = write_rows(directory / f"officials{suffix}", rows, columns_of(rows, OFFICIAL_COLUMNS),
                          ascii_json=ascii_json)
        unit_rows = [unit_to_row(u) for u in places]
        unit_path = write_rows(directory / f"units{suffix}", unit_rows, columns_of(unit_rows, UNIT_COLUMNS),
                               ascii_json=ascii_json)
        assert load_units(unit_path) == tuple(places)
        assert load_officials(path) == tuple(people)
        assert load_officials(path, units={u.code: u for u in places}) == tuple(people)


# --------------------------------------------------------------------------- packs


def pack_summary(pack: Any) -> dict[str, Any]:
    """What a pack means: ids, expression texts, parameters, targets, scopes."""
    return {
        "rules": [(r.id, r.family, r.subject, r.where and r.where.text, r.when.text, r.severity, r.message,
                   tuple((e.when.text, e.severity) for e in r.escalate), r.unless_families,
                   r.gap and r.gap.text) for r in pack.rules],
        "quotas": [(q.id, q.population.text, q.numerator.text, q.target, q.op, q.scopes) for q in pack.quotas],
        "staffing": [(s.id, tuple((r.position, r.where and r.where.text) for r in s.requires), s.metric, s.scopes)
                     for s in pack.staffing],
        "params": dict(pack.params),
        "key_positions": pack.key_positions,
    }


@settings(max_examples=scaled(1))
@given(pack_dicts())
def test_pack_canonical_toml_round_trip(data: dict[str, Any]) -> None:
    """pack dict → canonical TOML → tomllib → the same dict; load_pack of the file → the same pack."""
    text = to_toml(data)
    assert tomllib.loads(text) == data
    expected = parse_pack(data)
    with scratch() as directory:
        path = directory / "pack.toml"
        path.write_text(text, encoding="utf-8")
        loaded = load_pack(path)
    assert pack_summary(loaded) == pack_summary(expected)
    assert attrs.evolve(loaded, sha256="", path=None) == attrs.evolve(expected, sha256="", path=None)
    assert parse_pack(tomllib.loads(text)).sha256 == expected.sha256


# --------------------------------------------------------------------------- reports


@settings(max_examples=scaled(0.5))
@given(st.lists(pack_dicts(), min_size=1, max_size=2, unique_by=lambda d: d["pack"]["id"]),
       populations(max_officials=8), as_of_dates, st.sampled_from(["vi", "en"]))
def test_report_json_round_trip(dicts: list[dict[str, Any]], population: tuple[list[Official], list[Unit]],
                                as_of: date, lang: str) -> None:
    """report JSON → json.loads → written again by json (conftest.report_text: the v2 layout) → the same text."""
    people, places = population
    report = Engine([parse_pack(d) for d in dicts], backend="reference", lang=lang).evaluate(people, places, as_of)
    text = report_to_json(report)
    assert report_text(json.loads(text)) == text
    assert json.loads(text) == report_to_dict(report)
    assert report_to_json(report) == text  # deterministic
