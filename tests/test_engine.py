"""The engine end to end on a small population with hand-computed expectations."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._i18n import label
from cadre_rules.engine import _durable
from cadre_rules.model import _context
from cadre_rules.model._types import code_type
from cadre_rules.packs import _catalogue
from cadre_rules.packs._packs import parse_pack
from conftest import EVERY_CONSTRUCT

AS_OF = date(2024, 6, 30)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]

UNITS = [
    Unit("U1", "Xã Tản Lĩnh", "commune", 3, "Ba Vì", True),
    Unit("U2", "Phường Hàng Bạc", "ward", 1, "Hoàn Kiếm", False),
    Unit("U3", "Xã Mới", "commune", 2, None, True),
]


def person(ident: str, unit: str, position: str, gender: str, born: date, **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate")
    base.update(kw)
    return Official(ident, f"Người {ident}", gender, born, unit, position, **base)  # type: ignore[arg-type]


OFFICIALS = [
    person("O1", "U1", "party_secretary", "female", date(1990, 6, 30), political_theory="advanced",
           standing_committee=True, ratings=((2022, "good"),)),
    person("O2", "U1", "deputy_party_secretary", "male", date(1989, 6, 30), concurrent_positions=("council_chair",),
           education="college", political_theory="elementary", standing_committee=True, in_planning=True),
    person("O3", "U1", "committee_chair", "male", date(1970, 1, 15), in_planning=True,
           ratings=((2022, "not_completed"), (2023, "not_completed"))),
    person("O4", "U1", "committee_vice_chair", "female", date(1995, 2, 28), in_planning=True),
    person("O5", "U1", "committee_vice_chair", "male", date(1985, 1, 1), low_confidence_share=Fraction(7, 10)),
    person("O6", "U1", "committee_vice_chair", "male", date(1980, 3, 3), in_planning=True,
           discipline=((date(2024, 1, 10), "reprimand"),)),
    person("O7", "U1", "front_chair", "male", date(1975, 4, 4), concurrent_positions=("council_vice_chair",),
           political_theory="advanced"),
    person("O8", "U2", "office_statistics", "female", date(1980, 1, 1), appointed_on=date(2018, 6, 30)),
    person("O9", "U2", "committee_chair", "male", date(1978, 8, 8), appointed_on=date(2023, 1, 1)),
    person("O10", "U2", "party_secretary", "female", date(1970, 5, 5), political_theory="advanced",
           standing_committee=True),
    person("O11", "U3", "party_secretary", "male", date(1992, 1, 1), standing_committee=True),
]

EXPECTED_FINDINGS = [
    ("qualification.degree", "O2", "error"),
    ("qualification.theory", "O2", "error"),
    ("quota.young", "Hoàn Kiếm", "warning"),
    ("replacement.low_confidence", "O5", "error"),
    ("replacement.two_years", "O3", "error"),
    ("rotation.eligible", "O4", "info"),
    ("rotation.misc", "O1", "info"),
    ("rotation.position_change_due", "O8", "warning"),
    ("staffing.vacancy", "U2", "error"),
    ("staffing.vacancy", "U3", "error"),
    ("staffing.vice_chair_cap", "U1", "error"),
    ("staffing.woman_standing_committee", "U3", "warning"),
]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    return Engine([EVERY_CONSTRUCT], backend=request.param)


def test_findings(engine: Engine) -> None:
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert [(f.rule, f.subject_id, f.severity) for f in report.findings] == EXPECTED_FINDINGS
    assert report.summary == {"error": 7, "warning": 3, "info": 2}


def test_finding_details(engine: Engine) -> None:
    by = {(f.rule, f.subject_id): f for f in engine.evaluate(OFFICIALS, UNITS, AS_OF).findings}
    degree = by[("qualification.degree", "O2")]
    assert degree.facts == {"education": "college"}  # what `when` reads: `where`'s holds_cadre_post is alike for all
    assert degree.message == "Trình độ cao đẳng chưa đạt đại học"  # codes as their Vietnamese labels
    assert degree.scope_id == "U1" and degree.subject_kind == "official"
    assert by[("replacement.two_years", "O3")].facts == {"consecutive('not_completed')": 2}
    change = by[("rotation.position_change_due", "O8")]
    assert change.facts["months_in_post"] == 72
    young = by[("quota.young", "Hoàn Kiếm")]
    assert young.subject_kind == "scope"
    assert young.facts == {"numerator": 0, "denominator": 2, "value": 0.0, "target": 0.1, "needed": 1}
    assert young.message == "Hoàn Kiếm: 0,0% dưới 35 tuổi, cần thêm 1"  # a Vietnamese decimal comma
    vacancy = by[("staffing.vacancy", "U2")]
    assert vacancy.facts == {"vacant": ["deputy_party_secretary", "committee_vice_chair", "front_chair"],
                             "filled": 2, "required": 5}
    assert by[("staffing.vice_chair_cap", "U1")].facts == {"unit_class": 3, "holders('committee_vice_chair')": 3}


def test_metrics(engine: Engine) -> None:
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    got = {(m.id, m.scope, m.scope_id): (m.numerator, m.denominator, m.met) for m in report.metrics}
    assert got == {
        ("quota.young", "city", "Hà Nội"): (3, 10, True),
        ("quota.young", "district", "Ba Vì"): (2, 7, True),
        ("quota.young", "district", "Hoàn Kiếm"): (0, 2, False),
        ("quota.women", "city", "Hà Nội"): (3, 10, True),
        ("quota.women", "district", "Ba Vì"): (2, 7, True),
        ("quota.women", "district", "Hoàn Kiếm"): (1, 2, True),
        ("quota.old_max", "city", "Hà Nội"): (0, 10, True),
        ("staffing.fill_rate", "city", "Hà Nội"): (10, 19, False),
        ("staffing.fill_rate", "district", "Ba Vì"): (7, 7, True),
        ("staffing.fill_rate", "district", "Hoàn Kiếm"): (2, 5, False),
        ("staffing.fill_rate", "unit", "U1"): (7, 7, True),
        ("staffing.fill_rate", "unit", "U2"): (2, 5, False),
        ("staffing.fill_rate", "unit", "U3"): (1, 7, False),
    }
    assert [m.scope for m in report.metrics if m.id == "quota.young"] == ["city", "district", "district"]


def test_exactly_35_on_the_as_of_date_is_not_young(engine: Engine) -> None:
    day_before = engine.evaluate(OFFICIALS, UNITS, date(2024, 6, 29))
    on_day = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    young = {m.scope_id: m.numerator for m in on_day.metrics if m.id == "quota.young"}
    young_before = {m.scope_id: m.numerator for m in day_before.metrics if m.id == "quota.young"}
    assert young["Ba Vì"] == 2 and young_before["Ba Vì"] == 3  # O2 turns 35 on 2024-06-30


def test_unless_family_suppresses_rotation_eligible_for_unqualified(engine: Engine, tmp_path: object) -> None:
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert ("rotation.eligible", "O2") not in {(f.rule, f.subject_id) for f in report.findings}
    text = EVERY_CONSTRUCT.read_text(encoding="utf-8").replace('unless_family = ["qualification"]\n', "")
    path = tmp_path / "no-unless.toml"  # type: ignore[operator]
    path.write_text(text, encoding="utf-8")
    without = Engine([path], backend=engine.backend.name).evaluate(OFFICIALS, UNITS, AS_OF)  # type: ignore[arg-type]
    eligible = sorted(f.subject_id for f in without.findings if f.rule == "rotation.eligible")
    assert eligible == ["O2", "O4"]


def test_report_json_is_deterministic_and_follows_the_contract(engine: Engine) -> None:
    text = report_to_json(engine.evaluate(OFFICIALS, UNITS, AS_OF))
    again = engine.evaluate(list(reversed(OFFICIALS)), list(reversed(UNITS)), AS_OF)
    data = json.loads(text)
    assert list(data) == ["schema", "cadre_rules_version", "backend", "as_of", "packs", "params", "input", "summary",
                          "metrics", "findings", "notes", "suppressed", "coverage", "data_as_of", "districts", "undecided"]
    assert data["params"] == {}  # no --param given (#16 §5: what the report rests on)
    assert data["schema"] == "cadre-rules/report/v3"
    assert data["backend"] == engine.backend.name
    assert data["as_of"] == "2024-06-30"
    assert list(data["packs"][0]) == ["id", "version", "sha256", "cites"]
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert data["packs"][0]["cites"] == {f.rule: f.cite for f in sorted(report.findings, key=lambda f: f.rule)}
    assert data["input"]["officials"] == 11 and data["input"]["units"] == 3
    assert set(data["metrics"][0]) == {"pack", "id", "scope", "scope_id", "numerator", "denominator", "value",
                                       "target", "op", "met"}
    assert set(data["findings"][0]) == {"pack", "rule", "family", "severity", "subject", "scope_id", "message",
                                        "facts"}
    assert text == report_to_json(engine.evaluate(OFFICIALS, UNITS, AS_OF))
    # explanations on request: the same report, each finding with its explanation last
    explained = json.loads(report_to_json(engine.evaluate(OFFICIALS, UNITS, AS_OF), explain=True))
    assert [list(f) for f in explained["findings"]] == [[*f, "explanation"] for f in data["findings"]]
    assert all(f["explanation"] for f in explained["findings"])
    assert [{k: v for k, v in f.items() if k != "explanation"} for f in explained["findings"]] == data["findings"]
    assert {k: v for k, v in explained.items() if k != "findings"} == {k: v for k, v in data.items() if k != "findings"}
    # order of input does not matter except for the input hash
    assert again.findings == engine.evaluate(OFFICIALS, UNITS, AS_OF).findings


def test_packs_by_effective_date_and_notes() -> None:
    named = Engine([EVERY_CONSTRUCT], backend="reference", lang="en").evaluate(OFFICIALS, UNITS, date(2035, 1, 1))
    assert named.notes and "not in effect on 2035-01-01" in named.notes[0]
    assert [p.id for p in named.packs] == ["test-every-construct"]


def test_input_errors() -> None:
    engine = Engine([EVERY_CONSTRUCT], backend="reference")
    with pytest.raises(InputError) as info:
        engine.evaluate([*OFFICIALS, OFFICIALS[0]], UNITS, AS_OF)
    assert [(p.column, p.value) for p in info.value.problems] == [("id", "O1")]
    with pytest.raises(InputError) as info:
        engine.evaluate([attrs.evolve(OFFICIALS[0], unit="U9")], UNITS, AS_OF)
    assert [(p.column, p.value, p.reason) for p in info.value.problems] == [("unit", "U9", "unknown unit code")]
    with pytest.raises(InputError):
        engine.evaluate(OFFICIALS, [*UNITS, UNITS[0]], AS_OF)


def test_bad_engine_configuration() -> None:
    with pytest.raises(PackError, match="unknown pack id 'nope'"):
        Engine(["nope"])
    with pytest.raises(PackError, match="no pack 'other'"):
        Engine([EVERY_CONSTRUCT], params={"other.x": "1"})
    with pytest.raises(PackError, match=r"PACK\.KEY=VALUE"):
        Engine([EVERY_CONSTRUCT], params={"x": "1"})


def test_param_override_changes_results() -> None:
    engine = Engine([EVERY_CONSTRUCT], backend="reference", params={"test-every-construct.young_min_share": "0.5"})
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert {m.scope_id for m in report.metrics if m.id == "quota.young" and m.met is False} == {
        "Hà Nội", "Ba Vì", "Hoàn Kiếm"}


def test_english_messages() -> None:
    report = Engine([EVERY_CONSTRUCT], backend="reference", lang="en").evaluate(OFFICIALS, UNITS, AS_OF)
    degree = next(f for f in report.findings if f.rule == "qualification.degree")
    assert degree.message == "Education college below university"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_count_shown_by_a_unit_rule_is_counted(backend: str, tmp_path: Path) -> None:
    """``show = ["count('…')"]`` shows the tally even when no condition reads it (it read 0 before)."""
    pack = tmp_path / "show.toml"
    pack.write_text("""
[pack]
id = "show-count"
version = "1"
title = "show a count"
[[rule]]
id = "staffing.unit_summary"
family = "staffing"
subject = "unit"
when = "kind == 'ward' or kind == 'commune'"
show = ["count('standing_committee')", "count('in_planning and standing_committee')"]
message = "{count('standing_committee')} in the standing committee"
cite = "test"
""", encoding="utf-8")
    report = Engine([pack], backend=backend).evaluate(OFFICIALS, UNITS, AS_OF)
    shown = {f.subject_id: (dict(f.facts), f.message) for f in report.findings}
    # by hand: standing committee O1, O2 (U1), O10 (U2), O11 (U3); also in planning: O2 (U1)
    both = "count('in_planning and standing_committee')"
    assert shown == {
        "U1": ({"kind": "commune", "count('standing_committee')": 2, both: 1}, "2 in the standing committee"),
        "U2": ({"kind": "ward", "count('standing_committee')": 1, both: 0}, "1 in the standing committee"),
        "U3": ({"kind": "commune", "count('standing_committee')": 1, both: 0}, "1 in the standing committee"),
    }


def test_messages_name_their_own_values_when_facts_show_more() -> None:
    # the facts show every field the rule reads; the message names one (or the id): officials sharing the
    # named value share a message, and each message is the one its own values make
    pack = parse_pack({"pack": {"id": "said", "version": "1", "title": "said"},
                       "rule": [{"id": "rotation.long", "family": "rotation", "where": "category == 'civil_servant'",
                                 "when": "months_in_post >= 12 and age >= 20 and education != 'doctor'",
                                 "message": {"vi": "{months_in_post} tháng, {education}",
                                             "en": "{months_in_post} months, {education}"}, "cite": "c"},
                                {"id": "rotation.named", "family": "rotation", "when": "age >= 20",
                                 "message": "{id}: {age}", "cite": "c"}]})
    people = [Official(f"O{i}", "Người", "male", date(1964 + i % 7, 1 + i % 5, 1), "U1", "office_statistics",
                       ("university", "college")[i % 2], "intermediate", appointed_on=date(2020, 1 + i % 3, 1))
              for i in range(40)]
    by_id = {p.id: p for p in people}
    for backend in ("durable", "reference"):
        for lang in ("vi", "en"):
            report = Engine([pack], backend=backend, lang=lang).evaluate(people, [UNITS[0]], AS_OF)
            long = [f for f in report.findings if f.rule == "rotation.long"]
            named = [f for f in report.findings if f.rule == "rotation.named"]
            assert len(long) == len(named) == 40
            for f in long:
                official = by_id[f.subject_id]
                assert official.appointed_on is not None
                months = 4 * 12 + 6 - official.appointed_on.month  # from the 1st of a month to 2024-06-30
                shown = label(code_type("education"), official.education, lang)
                assert (f.facts["months_in_post"], f.facts["education"]) == (months, official.education)
                assert f.message == (f"{months} tháng, {shown}" if lang == "vi" else f"{months} months, {shown}")
            assert [f.message for f in named] == [f"{f.subject_id}: {f.facts['age']}" for f in named]
            assert len({f.facts["age"] for f in long}) > 1 and len({f.message for f in long}) == 6


def test_builtin_functions_registered_keep_their_batch_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # consecutive('…') of the engine's functions (registered through the plugin API) computes a batch
    # at once (runs_of), as the catalogue's own spec does, and gives what a call per official gives
    engine = Engine([EVERY_CONSTRUCT])
    assert engine.functions["consecutive"].column is _catalogue.BUILTIN_FUNCTIONS["consecutive"].column is not None
    batches: list[int] = []

    def counted(officials: list[Official], rating: str, year: int, since: int | None = None) -> list[int | None]:
        batches.append(len(officials))
        return _context.runs_of(officials, rating, year, since)

    monkeypatch.setattr(_catalogue, "runs_of", counted)
    found = {(f.rule, f.subject_id) for f in engine.evaluate(OFFICIALS, UNITS, AS_OF).findings}
    assert batches == [len(OFFICIALS)]
    assert ("replacement.two_years", "O3") in found
    reference = Engine([EVERY_CONSTRUCT], backend="reference").evaluate(OFFICIALS, UNITS, AS_OF)
    assert found == {(f.rule, f.subject_id) for f in reference.findings}


def test_an_unknown_pack_is_located_at_the_argument_that_named_it() -> None:
    """``Engine(packs=["nope"])``: the problem is at ``packs`` (the command line's ``--pack``), with the id as given,
    not at a "file" named nope; an unknown version likewise."""
    for ref in ("nope", "vn-commune-2tier@1999.1"):
        with pytest.raises(PackError) as info:
            Engine(packs=[ref])
        assert [(p.file, p.value) for p in info.value.problems] == [("packs", ref)]
