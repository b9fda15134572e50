"""Vacancy findings: units that require the same posts, held as many times, share their facts, message and
explanation (made once); each finding still shows its own unit's holders and, when the message names it, its
own unit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._i18n import code_label
from cadre_rules.engine import _durable
from cadre_rules.model._codes import POSITION
from cadre_rules.report._explain import explain_staffing

AS_OF = date(2024, 6, 30)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]

PACK = """
[pack]
id = "posts"
version = "1"
title = "posts"

[[staffing]]
id = "staffing.vacancy"
require = [{{ position = "party_secretary" }}, {{ position = "committee_chair" }}, {{ position = "front_chair" }}]
message = {{ vi = "{message}", en = "{message}" }}
cite = "test"
"""

UNITS = [Unit(code, f"Xã {code}", "commune", 3, "Ba Vì", True) for code in ("U1", "U2", "U3", "U4")]


def person(ident: str, unit: str, position: str, **kw: object) -> Official:
    return Official(ident, f"Người {ident}", "male", date(1980, 1, 1), unit, position, "university",  # type: ignore[arg-type]
                    "intermediate", **kw)


OFFICIALS = [
    # U1: two party secretaries (one by a concurrent post), no chairs
    person("O1", "U1", "party_secretary"),
    person("O2", "U1", "deputy_party_secretary", concurrent_positions=("party_secretary",)),
    # U2 and U3: one party secretary each, no chairs (the same holders: one finding's facts for both)
    person("O3", "U2", "party_secretary"),
    person("O4", "U3", "party_secretary"),
    # U4: a committee chair only
    person("O5", "U4", "committee_chair"),
]

#: unit → (holders of each required post, the vacant posts)
EXPECTED = {
    "U1": ({"party_secretary": 2, "committee_chair": 0, "front_chair": 0}, ["committee_chair", "front_chair"]),
    "U2": ({"party_secretary": 1, "committee_chair": 0, "front_chair": 0}, ["committee_chair", "front_chair"]),
    "U3": ({"party_secretary": 1, "committee_chair": 0, "front_chair": 0}, ["committee_chair", "front_chair"]),
    "U4": ({"party_secretary": 0, "committee_chair": 1, "front_chair": 0}, ["party_secretary", "front_chair"]),
}


def posts(vacant: list[str]) -> str:
    return ", ".join(code_label(POSITION, p, "en") for p in vacant)


def evaluate(tmp_path: Path, message: str, backend: str) -> dict[str, object]:
    pack = tmp_path / "posts.toml"
    pack.write_text(PACK.format(message=message), encoding="utf-8")
    report = Engine([pack], backend=backend, lang="en").evaluate(OFFICIALS, UNITS, AS_OF)
    return {f.subject_id: f for f in report.findings if f.rule == "staffing.vacancy"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_vacancy_shows_its_own_units_holders(backend: str, tmp_path: Path) -> None:
    found = evaluate(tmp_path, "{filled}/{required}: {vacant}", backend)
    assert sorted(found) == sorted(EXPECTED)
    required = ["party_secretary", "committee_chair", "front_chair"]
    for code, (holders, vacant) in EXPECTED.items():
        finding = found[code]
        assert finding.facts == {"vacant": vacant, "filled": 1, "required": 3}  # type: ignore[attr-defined]
        # U1 and U2 have the same vacant posts but not the same holders: their explanations differ
        assert finding.explanation == explain_staffing(required, holders)  # type: ignore[attr-defined]
        assert finding.explanation[0]["value"] == holders["party_secretary"]  # type: ignore[attr-defined]
        assert finding.message == f"1/3: {posts(vacant)}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_message_that_names_the_unit_names_each_unit(backend: str, tmp_path: Path) -> None:
    found = evaluate(tmp_path, "{unit}: {vacant} vacant", backend)
    # U2 and U3 require the same posts held alike: only the unit tells their messages apart
    assert {code: f.message for code, f in found.items()} == {  # type: ignore[attr-defined]
        code: f"{code}: {posts(vacant)} vacant" for code, (_, vacant) in EXPECTED.items()}
