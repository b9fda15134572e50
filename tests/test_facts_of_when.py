"""A finding's facts are what its rule's ``when`` (and escalations) read and ``show`` names; what only ``where``
reads (who the rule applies to) is alike for every finding of the rule: it is in the explanation, and a message
may still name it, but it is not repeated in each finding's facts (docs/report.md, "From v2 to v3")."""

from __future__ import annotations

import json
import tomllib
from datetime import date

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules.engine import _durable
from cadre_rules.packs._packs import parse_pack

AS_OF = date(2024, 6, 30)
UNITS = [Unit("U1", "Xã A", "commune", 1, None, True)]
PACK = """
[pack]
id = "xa-facts"
version = "1"
title = "T"

[[rule]]
id = "r.change"
family = "rotation"
severity = "info"
where = "category == 'civil_servant' and not on_secondment"
when = "age >= 40"
escalate = [{ when = "in_planning", severity = "warning" }]
show = ["birth_date"]
message = { vi = "{category} {age} tuổi", en = "{category}, {age} years old" }
cite = "c"

[[rule]]
id = "r.all"
family = "rotation"
when = "age >= 40 and category == 'civil_servant'"
message = { vi = "{age} tuổi", en = "{age} years old" }
cite = "c"
"""
SERVANT = Official("O1", "Nguyễn Văn A", "male", date(1979, 5, 2), "U1", "culture_social", "university",
                   "intermediate", category="civil_servant", in_planning=True)
CADRE = Official("O2", "Trần Thị B", "female", date(1970, 1, 1), "U1", "committee_chair", "university",
                 "advanced", category="cadre")
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(
    not _durable.AVAILABLE, reason="durable-rules is not installed"))]


def _findings(backend: str, lang: str = "en") -> dict[str, dict[str, object]]:
    pack = parse_pack(tomllib.loads(PACK), file="xa.toml")
    report = Engine([pack], backend=backend, plugins=False, lang=lang).evaluate([SERVANT, CADRE], UNITS, AS_OF)
    doc = json.loads(report_to_json(report, explain=True))
    return {f["rule"]: f for f in doc["findings"]}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_facts_are_what_when_reads_and_show_names(backend: str) -> None:
    found = _findings(backend)["r.change"]
    assert found["subject"]["id"] == "O1" and found["severity"] == "warning"  # the escalation held
    # in the order the rule reads them: `when`, the escalation, `show`; not `where`'s category and on_secondment
    assert list(found["facts"].items()) == [("age", 45), ("in_planning", True), ("birth_date", "1979-05-02")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_what_where_reads_is_in_the_explanation_and_the_message(backend: str) -> None:
    found = _findings(backend)["r.change"]
    where = {part["field"]: part["value"] for part in found["explanation"]
             if part["part"] == "where" and "field" in part}
    assert where == {"category": "civil_servant", "on_secondment": False}
    assert found["message"] == "civil_servant, 45 years old"  # a message may name a field only `where` reads
    assert _findings(backend, "vi")["r.change"]["message"] == "công chức 45 tuổi"  # as its label


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rule_without_where_shows_all_it_reads(backend: str) -> None:
    found = _findings(backend)["r.all"]
    assert found["subject"]["id"] == "O1"
    assert found["facts"] == {"age": 45, "category": "civil_servant"}


def test_the_built_in_position_change_shows_the_months_not_its_guards() -> None:
    """``rotation.position_change_due``'s ``where`` (a civil servant, not disciplined, investigated or seconded)
    was three false guards and a category in each of 33,106 findings at 100,000 officials."""
    official = Official("O3", "Lê Văn C", "male", date(1980, 1, 1), "U1", "culture_social", "university",
                        "intermediate", category="civil_servant", appointed_on=date(2018, 1, 1))
    report = Engine(["hanoi-ke-hoach-188"], plugins=False).evaluate([official], UNITS, AS_OF)
    doc = json.loads(report_to_json(report, explain=True))
    found = next(f for f in doc["findings"] if f["rule"] == "rotation.position_change_due")
    assert found["facts"] == {"months_in_post": 77, "months_to_retirement": 211}  # 62 on 1/1/2042
    assert {p["field"] for p in found["explanation"] if p["part"] == "where" and "field" in p} == {
        "category", "active_discipline", "under_investigation", "on_secondment"}
