"""``unless_family`` drops exactly the findings its definition names, with one pack or several.

The definition, computed here independently of the engine: a finding of a rule with
``unless_family = [F…]`` is left out when the same subject (same kind and id) has a finding of a
family among ``F…`` in the report evaluated as if no rule had ``unless_family``. (The engine drops
them inside the run of a single pack, and after every pack when several are evaluated.)
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Finding
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.packs._packs import parse_pack
from strategies import as_of_dates
from strategies import pack_dicts
from strategies import populations

from ._support import scaled

PACK_IDS = ("unless-a", "unless-b")


def _findings(dicts: list[dict[str, Any]], officials: list[Official], units: list[Unit],
              as_of: date) -> tuple[Finding, ...]:
    return Engine([parse_pack(d) for d in dicts], backend="reference").evaluate(officials, units, as_of).findings


def _without_unless(dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    plain = copy.deepcopy(dicts)
    for data in plain:
        for rule in data.get("rule", []):
            rule.pop("unless_family", None)
    return plain


@settings(max_examples=scaled(0.5))
@given(st.integers(1, 2).flatmap(lambda n: st.tuples(*(pack_dicts(pack_id=PACK_IDS[i]) for i in range(n)))),
       populations(max_officials=8), as_of_dates)
def test_unless_family_drops_what_its_definition_names(packs: tuple[dict[str, Any], ...],
                                                       population: tuple[list[Official], list[Unit]],
                                                       as_of: date) -> None:
    dicts = list(packs)
    officials, units = population
    unless = {(d["pack"]["id"], r["id"]): set(r["unless_family"]) for d in dicts for r in d.get("rule", [])
              if r.get("unless_family")}
    every = _findings(_without_unless(dicts), officials, units, as_of)
    present = {(f.subject_kind, f.subject_id, f.family) for f in every}
    expected = [f for f in every
                if not any((f.subject_kind, f.subject_id, family) in present
                           for family in unless.get((f.pack, f.rule), ()))]
    assert list(_findings(dicts, officials, units, as_of)) == expected


def test_a_dropped_finding_still_drops_others_across_packs() -> None:
    """Pack A: r1 (family rotation, unless qualification) and r2 (qualification) fire for an official;
    pack B: r3 unless rotation. r1 is dropped, and r3 is dropped too: r1's finding counts as present."""

    def pack(pack_id: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
        return {"pack": {"id": pack_id, "version": "1", "title": pack_id}, "rule": rules}

    def rule(rule_id: str, family: str, unless: list[str]) -> dict[str, Any]:
        return {"id": rule_id, "family": family, "when": "age > 20", "message": "m", "cite": "c",
                "unless_family": unless}

    a = pack("a", [rule("r1", "rotation", ["qualification"]), rule("r2", "qualification", [])])
    b = pack("b", [rule("r3", "replacement", ["rotation"])])
    unit = Unit("U1", "Xã", "commune", 1, "Ba Vì")
    official = Official("O1", "Người", "male", date(1980, 1, 1), "U1", "party_secretary", "university", "advanced")
    as_of = date(2024, 6, 30)
    assert [f.rule for f in _findings([a, b], [official], [unit], as_of)] == ["r2"]
    assert [f.rule for f in _findings([a], [official], [unit], as_of)] == ["r2"]
    assert [f.rule for f in _findings([b], [official], [unit], as_of)] == ["r3"]
