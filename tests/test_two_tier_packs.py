"""The post-reform packs (issue #15): vn-commune-2tier in dated versions, hanoi-de-an-34@2025.07.

Every rule of the new packs fires on one side of each boundary and not on the other; the transition is
tested on both sides of 2025-07-01, 2025-10-08, 2025-11-17 and 2026-01-01.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from fractions import Fraction

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules.engine import _durable
from cadre_rules.model._dates import months_to_retirement

BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]
ON = date(2026, 6, 30)  # version 2026.01

COMMUNE = Unit("10045", "Xã Xuân Mai", "commune", 1, None, True)
WARD = Unit("00004", "Phường Ba Đình", "ward", 1, None, True)
UNITS = [COMMUNE, WARD]


def person(ident: str, position: str = "other", unit: str = "10045", gender: str = "male",
           born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", gender, born, unit, position, **base)  # type: ignore[arg-type]


def born_with_months_left(months: int, on: date, gender: str = "male") -> date:
    """A birth date leaving exactly ``months`` complete months to retirement on ``on``."""
    day = date(on.year - 75, 1, 1)
    while months_to_retirement(day, gender, on) != months:
        day += timedelta(days=1)
    return day


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    return Engine(["vn-commune-2tier", "hanoi-de-an-34"], backend=request.param, plugins=False)


def fired(report: Report, rule: str, pack: str = "vn-commune-2tier") -> dict[str, str]:
    return {f.subject_id: f.severity for f in report.findings if f.rule == rule and f.pack == pack}


def refs(report: Report) -> list[str]:
    return [f"{p.id}@{p.version}" for p in report.packs]


# -- which version is in force -----------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 6, 30), ["hanoi-de-an-34@2023.11.4", "hanoi-ke-hoach-188@2023.11.3", "vn-nd33-2023@2023.08.1"]),
    (date(2025, 7, 1), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.07.2"]),
    (date(2025, 10, 7), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.07.2"]),
    (date(2025, 10, 8), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.10.3"]),
    (date(2025, 11, 16), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.10.3"]),
    (date(2025, 11, 17), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.11.3"]),
    (date(2025, 12, 31), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.11.3"]),
    (date(2026, 1, 1), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2026.01.4"]),
    (date(2030, 1, 1), ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2026.01.4"]),
])
def test_the_law_in_force_on_the_as_of_date(day: date, expected: list[str]) -> None:
    report = Engine(backend="reference", plugins=False).evaluate([person("Z1")], UNITS, day)
    assert refs(report) == expected
    assert not [n for n in report.notes if "không có hiệu lực" in n]  # chosen by date, not named


def test_a_named_pack_id_applies_its_version_of_the_date() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference", plugins=False)
    assert refs(engine.evaluate([], UNITS, date(2025, 10, 7))) == ["vn-commune-2tier@2025.07.2"]
    assert refs(engine.evaluate([], UNITS, date(2025, 10, 8))) == ["vn-commune-2tier@2025.10.3"]
    before = engine.evaluate([], UNITS, date(2025, 6, 30))  # named, none in force: the first, with a note
    assert refs(before) == ["vn-commune-2tier@2025.07.2"]
    assert before.notes[0].startswith("gói vn-commune-2tier@2025.07.2 không có hiệu lực vào ngày 30/06/2025")


def test_param_overrides_reach_the_versions_that_have_the_parameter() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference", plugins=False,
                    params={"vn-commune-2tier.committee_vice_chair_avg_cap": "2",
                            "vn-commune-2tier.committee_vice_chair_cap": "3"})
    versions = {p.version: p.params for p in engine.packs}
    assert versions["2025.07.2"]["committee_vice_chair_cap"] == 3
    assert versions["2025.11.3"]["committee_vice_chair_avg_cap"] == 2
    assert "committee_vice_chair_cap" not in versions["2025.11.3"]
    with pytest.raises(Exception, match="no parameter"):
        Engine(["vn-commune-2tier"], backend="reference", plugins=False,
               params={"vn-commune-2tier.no_such_param": "1"})


# -- the transition on both sides of 1/7/2025 and 8/10/2025 ------------------------------------

def test_transition_on_1_july_2025(engine: Engine) -> None:
    del engine
    people = [person("Q1", "committee_vice_chair", education="college", low_confidence_share=Fraction(7, 10)),
              person("Q2", "department_head", education="college")]
    whole = Engine(backend="reference", plugins=False)
    before = whole.evaluate(people, [Unit("10045", "Xã Xuân Mai", "commune", 1, "Huyện Chương Mỹ", True)],
                            date(2025, 6, 30))
    degree = {(f.pack, f.subject_id): f.cite for f in before.findings if f.rule == "qualification.degree"}
    assert list(degree) == [("vn-nd33-2023", "Q1")]  # NĐ 33 knows no Trưởng phòng
    assert fired(before, "replacement.low_confidence", "hanoi-de-an-34") == {"Q1": "error"}
    after = whole.evaluate(people, UNITS, date(2025, 7, 1))
    degree = {(f.pack, f.subject_id): f.cite for f in after.findings if f.rule == "qualification.degree"}
    assert sorted(degree) == [("vn-commune-2tier", "Q1"), ("vn-commune-2tier", "Q2")]
    assert "CV 03/CV-BCĐ" in degree[("vn-commune-2tier", "Q1")]
    low = [f for f in after.findings if f.rule == "replacement.low_confidence"]
    assert [(f.pack, f.severity) for f in low] == [("vn-commune-2tier", "error")]
    assert "QĐ 41-QĐ/TW" in low[0].cite


def test_transition_on_8_october_2025(engine: Engine) -> None:
    people = [person("R1", "committee_vice_chair", low_confidence_share=Fraction(7, 10)),
              person("R2", "council_vice_chair", ratings=((2024, "not_completed"), (2025, "not_completed")))]
    old = engine.evaluate(people, UNITS, date(2025, 10, 7))
    new = engine.evaluate(people, UNITS, date(2025, 10, 8))
    assert fired(old, "replacement.low_confidence") == {"R1": "error"}
    assert fired(new, "replacement.low_confidence") == {"R1": "warning"}
    cite = {f.rule: f.cite for f in new.findings if f.subject_id == "R1"}
    assert "QĐ 41" not in cite["replacement.low_confidence"].split(";")[0]
    assert fired(old, "replacement.two_years_not_completed") == {"R2": "error"}
    assert fired(new, "replacement.two_years_not_completed") == {"R2": "warning"}
    assert "QĐ 377" in next(f.cite for f in new.findings if f.rule == "replacement.two_years_not_completed")


def test_transition_on_17_november_2025(engine: Engine) -> None:
    vice = [person(f"V{i}", "committee_vice_chair", unit="10045") for i in range(3)]
    old = engine.evaluate(vice, UNITS, date(2025, 11, 16))
    new = engine.evaluate(vice, UNITS, date(2025, 11, 17))
    assert fired(old, "staffing.committee_vice_chair_cap") == {"10045": "info"}
    assert fired(new, "staffing.committee_vice_chair_cap") == {}
    assert not [m for m in old.metrics if m.id == "staffing.committee_vice_chair_average"]
    average = next(m for m in new.metrics if m.id == "staffing.committee_vice_chair_average")
    assert (average.numerator, average.denominator, average.per, average.met) == (3, 2, "unit", True)


def test_transition_on_1_january_2026(engine: Engine) -> None:
    people = [person("N1", category="civil_servant", ratings=((2025, "not_completed"),))]
    old = engine.evaluate(people, UNITS, date(2025, 12, 31))
    new = engine.evaluate(people, UNITS, date(2026, 1, 1))
    old_cite = next(f.cite for f in old.findings if f.rule == "replacement.civil_servant_not_completed")
    new_cite = next(f.cite for f in new.findings if f.rule == "replacement.civil_servant_not_completed")
    assert "NĐ 335" not in old_cite and "NĐ 335" in new_cite


# -- every official rule: fires on one side of its boundary, not on the other -------------------

CASES = [
    # (rule, firing official, not firing official, severity)
    ("staffing.legacy_title", dict(position="office_statistics"), dict(position="department_head"), "info"),
    ("qualification.degree", dict(position="committee_vice_chair", education="college"),
     dict(position="committee_vice_chair", education="university"), "error"),
    ("qualification.degree", dict(position="department_deputy", education="college"),
     dict(position="other", education="college"), "error"),
    ("qualification.degree", dict(position="front_vice_chair", education="college"),
     dict(position="front_vice_chair", education="master"), "error"),
    ("qualification.general_education", dict(position="council_vice_chair", general_education="lower_secondary"),
     dict(position="council_vice_chair", general_education="upper_secondary"), "warning"),
    ("qualification.general_education", dict(position="committee_chair", general_education="lower_secondary"),
     dict(position="committee_chair", general_education=None), "warning"),
    ("qualification.theory", dict(position="department_head", political_theory="elementary"),
     dict(position="department_head", political_theory="intermediate"), "warning"),
    ("qualification.theory", dict(position="council_chair", political_theory="elementary"),
     dict(position="front_chair", political_theory="elementary"), "warning"),
    ("qualification.theory_advanced", dict(position="party_secretary", political_theory="intermediate"),
     dict(position="party_secretary", political_theory="advanced"), "warning"),
    ("qualification.theory_advanced", dict(position="committee_chair", political_theory="intermediate"),
     dict(position="committee_vice_chair", political_theory="intermediate"), "warning"),
    ("qualification.secretary_local", dict(position="party_secretary", is_local=True),
     dict(position="party_secretary", is_local=False), "info"),
    ("replacement.two_years_not_completed",
     dict(position="front_chair", ratings=((2024, "not_completed"), (2025, "not_completed"))),
     dict(position="front_chair", ratings=((2023, "not_completed"), (2024, "completed"), (2025, "not_completed"))),
     "warning"),
    ("replacement.two_years_not_completed",
     dict(position="front_chair", ratings=((2024, "not_completed"), (2025, "not_completed"))),
     dict(position="other", category="civil_servant",
          ratings=((2024, "not_completed"), (2025, "not_completed"))), "warning"),
    ("replacement.civil_servant_not_completed", dict(category="civil_servant", ratings=((2025, "not_completed"),)),
     dict(position="front_chair", ratings=((2025, "not_completed"),)), "warning"),
    ("replacement.civil_servant_not_completed", dict(category="civil_servant", ratings=((2025, "not_completed"),)),
     dict(category="civil_servant", ratings=((2024, "not_completed"), (2025, "completed"))), "warning"),
    ("replacement.streamlining", dict(ratings=((2025, "not_completed"),)), dict(ratings=((2025, "completed"),)),
     "info"),
    ("replacement.low_confidence", dict(low_confidence_share=Fraction(2, 3) + Fraction(1, 10**6)),
     dict(low_confidence_share=Fraction(2, 3)), "warning"),
    ("replacement.resignation_band", dict(low_confidence_share=Fraction(2, 3)),
     dict(low_confidence_share=Fraction(2, 3) + Fraction(1, 10**6)), "warning"),
    ("replacement.resignation_band", dict(low_confidence_share=Fraction(1, 2) + Fraction(1, 10**6)),
     dict(low_confidence_share=Fraction(1, 2)), "warning"),
    ("replacement.discipline", dict(ratings=((2025, "completed"),), discipline=((date(2025, 3, 1), "reprimand"),)),
     dict(ratings=((2025, "completed"),), discipline=((date(2024, 12, 31), "reprimand"),)), "warning"),
    ("replacement.head_relief",
     dict(position="committee_chair", appointed_on=date(2025, 6, 30), extra={"target_completion": "0.69"}),
     dict(position="committee_chair", appointed_on=date(2025, 7, 1), extra={"target_completion": "0.69"}),
     "warning"),
    ("replacement.head_relief",
     dict(position="party_secretary", appointed_on=date(2025, 1, 1), extra={"target_completion": "0.69"}),
     dict(position="party_secretary", appointed_on=date(2025, 1, 1), extra={"target_completion": "0.70"}),
     "warning"),
    ("replacement.legacy_discipline_form", dict(discipline=((date(2025, 7, 1), "demotion"),)),
     dict(discipline=((date(2025, 6, 30), "demotion"),)), "warning"),
    ("replacement.legacy_discipline_form", dict(discipline=((date(2025, 9, 1), "demotion"),)),
     dict(discipline=((date(2025, 9, 1), "warning"),)), "warning"),
    ("rotation.eligible", dict(in_planning=True, born=born_with_months_left(120, ON)),
     dict(in_planning=True, born=born_with_months_left(119, ON)), "info"),
    ("rotation.position_change_due", dict(category="civil_servant", appointed_on=date(2024, 6, 30)),
     dict(category="civil_servant", appointed_on=date(2024, 7, 1)), "info"),
    ("rotation.position_change_due", dict(category="civil_servant", appointed_on=date(2021, 5, 30)),
     dict(position="committee_chair", appointed_on=date(2021, 5, 30)), "warning"),
    ("rotation.secondment_overdue", dict(secondment_since=date(2023, 5, 30)),
     dict(secondment_since=date(2023, 6, 30)), "warning"),
    ("rotation.secondment_overdue", dict(position="front_chair", secondment_since=date(2023, 5, 30)),
     dict(position="front_chair", secondment_since=date(2024, 1, 1)), "warning"),
    ("rotation.retiring_soon", dict(born=born_with_months_left(12, ON)), dict(born=born_with_months_left(13, ON)),
     "info"),
]


@pytest.mark.parametrize(("rule", "yes", "no", "severity"), CASES, ids=[c[0] for c in CASES])
def test_official_rule_boundary(engine: Engine, rule: str, yes: dict[str, object], no: dict[str, object],
                                severity: str) -> None:
    people = [person("Y1", **yes), person("N1", **no)]
    report = engine.evaluate(people, UNITS, ON)
    assert fired(report, rule) == {"Y1": severity}


# -- unit rules and city-wide averages --------------------------------------------------------

def full(unit: str, prefix: str) -> list[Official]:
    return [person(f"{prefix}1", "party_secretary", unit, concurrent_positions=("council_chair",)),
            person(f"{prefix}2", "standing_deputy_party_secretary", unit),
            person(f"{prefix}3", "committee_chair", unit, concurrent_positions=("deputy_party_secretary",)),
            person(f"{prefix}4", "council_vice_chair", unit),
            person(f"{prefix}5", "committee_vice_chair", unit), person(f"{prefix}6", "committee_vice_chair", unit),
            person(f"{prefix}7", "front_chair", unit)]


def test_posts_filled_and_council_vice_chairs(engine: Engine) -> None:
    people = [*full("10045", "C"), person("C8", "council_vice_chair", "10045"),
              *[p for p in full("00004", "W") if p.position != "front_chair"]]
    report = engine.evaluate(people, UNITS, ON)
    assert fired(report, "staffing.council_vice_chairs") == {"10045": "warning"}
    assert fired(report, "staffing.posts") == {"00004": "error"}
    vacancy = next(f for f in report.findings if f.rule == "staffing.posts")
    assert vacancy.facts == {"vacant": ["front_chair"], "filled": 4, "required": 5}
    posts = {(m.scope, m.scope_id): (m.numerator, m.denominator) for m in report.metrics
             if m.id == "staffing.posts_filled"}
    assert posts == {("city", "Hà Nội"): (9, 10), ("unit", "00004"): (4, 5), ("unit", "10045"): (5, 5)}
    assert {m.scope for m in report.metrics} == {"city", "unit"}  # no district scope


def test_units_without_council_and_towns(engine: Engine) -> None:
    units = [Unit("A", "Phường A", "ward", 1, None, False), Unit("B", "Thị trấn B", "town", 1, None, True),
             Unit("C", "Xã C", "commune", 1, None, True)]
    report = engine.evaluate([], units, ON)
    assert fired(report, "staffing.no_council") == {"A": "warning"}
    assert fired(report, "staffing.town") == {"B": "warning"}


@pytest.mark.parametrize(("holders", "met"), [(5, True), (6, False)])
def test_committee_vice_chair_average_city_wide(engine: Engine, holders: int, met: bool) -> None:
    people = [person(f"V{i}", "committee_vice_chair", "10045" if i < 4 else "00004") for i in range(holders)]
    report = engine.evaluate(people, UNITS, ON)
    metric = next(m for m in report.metrics if m.id == "staffing.committee_vice_chair_average")
    assert (metric.scope, metric.numerator, metric.denominator, metric.target, metric.met) == (
        "city", holders, 2, Fraction(5, 2), met)
    found = fired(report, "staffing.committee_vice_chair_average")
    assert found == ({} if met else {"Hà Nội": "warning"})
    if not met:
        finding = next(f for f in report.findings if f.rule == "staffing.committee_vice_chair_average")
        assert finding.facts["excess"] == 1
        assert "01/07/2030" in finding.message  # a Vietnamese date


def test_committee_vice_chair_cap_before_nd_300(engine: Engine) -> None:
    two = [person(f"V{i}", "committee_vice_chair") for i in range(2)]
    report = engine.evaluate(two, UNITS, date(2025, 8, 1))
    assert fired(report, "staffing.committee_vice_chair_cap") == {}
    report = engine.evaluate([*two, person("V3", "committee_vice_chair")], UNITS, date(2025, 8, 1))
    assert fired(report, "staffing.committee_vice_chair_cap") == {"10045": "info"}


def test_discipline_of_a_cadre_rated_from_2026_follows_its_parameter() -> None:
    # 2026.01.4: NĐ 335/2025 rates công chức (High); a cán bộ's 2026 rating is QĐ 366's, not seen (Low): a parameter
    # whose default reads as QĐ 124 and NĐ 90/2020 did
    day = date(2027, 2, 28)
    people = [person("C26", "front_chair", ratings=((2026, "good"),), discipline=((date(2026, 3, 1), "reprimand"),)),
              person("S26", "office_chief", ratings=((2026, "good"),), discipline=((date(2026, 3, 1), "reprimand"),)),
              person("C25", "front_chair", ratings=((2025, "good"),), discipline=((date(2025, 3, 1), "reprimand"),))]
    for setting, fire in ((None, {"C26", "S26", "C25"}), ("false", {"S26", "C25"})):
        params = {} if setting is None else {"vn-commune-2tier.cadre_discipline_not_completed": setting}
        for backend in ("reference", "durable") if _durable.AVAILABLE else ("reference",):
            report = Engine(["vn-commune-2tier"], backend=backend, plugins=False, params=params).evaluate(
                people, UNITS, day)
            assert set(fired(report, "replacement.discipline")) == fire, (setting, backend)


@pytest.mark.parametrize(("excellent", "met"), [(1, True), (2, False)])
def test_excellent_share_per_unit_from_2026(engine: Engine, excellent: int, met: bool) -> None:
    # NĐ 335/2025 Điều 20 khoản 5 (High): excellent ≤ 20% of good, in a unit; công chức rated from 2026 only
    servants = [person(f"G{i}", category="civil_servant", ratings=((2026, "good"),)) for i in range(5)]
    servants += [person(f"E{i}", category="civil_servant", ratings=((2026, "excellent"),)) for i in range(excellent)]
    others = [person("CADRE", "front_chair", ratings=((2026, "excellent"),)),
              person("OLD", category="civil_servant", ratings=((2025, "excellent"),))]
    report = engine.evaluate([*servants, *others], UNITS, date(2027, 2, 28))
    metric = next(m for m in report.metrics if m.id == "quota.excellent_share" and m.scope_id == "10045")
    assert (metric.numerator, metric.denominator, metric.met) == (excellent, 5 + excellent, met)
    assert fired(report, "quota.excellent_share") == ({} if met else {"10045": "warning"})


# -- hanoi-de-an-34@2025.07.4 ------------------------------------------------------------------

def test_hanoi_rules_on_de_an_34_after_2025_are_never_errors() -> None:
    # Đề án 34's targets after 2025 are Low (regulations-2025.md §6): its rules are warnings or infos
    # (policies/README.md), in the version in force today as in every one from 1/7/2025 on
    engine = Engine(backend="reference", plugins=False)
    for day in (date(2025, 7, 1), date(2026, 12, 7)):
        pack = next(p for p in engine.packs_for(day)[0] if p.id == "hanoi-de-an-34")
        severities = {r.id: r.severity for r in (*pack.rules, *pack.quotas, *pack.staffing)}
        assert "error" not in severities.values(), (pack.version, severities)
        assert severities["staffing.vacancy"] == severities["replacement.not_completed"] == "warning"


def test_hanoi_vacancy_requires_the_posts_of_vacancy_posts(engine: Engine) -> None:
    # 2025.07.4: Đề án 34's seven posts, the Phó Bí thư one post that the Phó Bí thư thường trực or another
    # Phó Bí thư fills (regulations-2025.md §1.1 Medium, §1.6); 2025.07.3 required the standing deputy as an
    # eighth post (this test required it then)
    people = [p for p in full("10045", "C") if p.position != "standing_deputy_party_secretary"]
    report = engine.evaluate([*people, *full("00004", "W")], UNITS, ON)
    assert fired(report, "staffing.vacancy", "hanoi-de-an-34") == {}
    fill = next(m for m in report.metrics if m.id == "staffing.fill_rate" and m.scope_id == "10045")
    assert (fill.numerator, fill.denominator) == (7, 7)
    # neither Phó Bí thư: the post is vacant, named as the Phó Bí thư
    alone = [p for p in people if p.position != "committee_chair"] + [person("C3", "committee_chair", "10045")]
    report = engine.evaluate([*alone, *full("00004", "W")], UNITS, ON)
    vacancy = next(f for f in report.findings if f.rule == "staffing.vacancy")
    assert (vacancy.subject_id, vacancy.facts["vacant"]) == ("10045", ["deputy_party_secretary"])
    # an office counting the standing deputy as a post of its own lists it (2025.07.3's reading)
    eight = ("party_secretary,standing_deputy_party_secretary,deputy_party_secretary,council_chair,"
             "council_vice_chair,committee_chair,committee_vice_chair,front_chair")
    listed = Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                    params={"hanoi-de-an-34.vacancy_posts": eight}).evaluate(people, UNITS, ON)
    vacancy = next(f for f in listed.findings if f.rule == "staffing.vacancy" and f.subject_id == "10045")
    assert vacancy.facts["vacant"] == ["standing_deputy_party_secretary"]
    # core3 counts the three heads in the shares; the posts required are vacancy_posts' (core3's if listed)
    core3 = Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                   params={"hanoi-de-an-34.key_set": "core3",
                           "hanoi-de-an-34.vacancy_posts": "party_secretary,committee_chair,front_chair"},
                   ).evaluate(people, UNITS, ON)
    assert fired(core3, "staffing.vacancy", "hanoi-de-an-34") == {"00004": "warning"}  # the ward has nobody
    fill = next(m for m in core3.metrics if m.id == "staffing.fill_rate" and m.scope_id == "10045")
    assert (fill.numerator, fill.denominator) == (3, 3)
    # core3 chosen alone: the vacancy rule counts its three posts too (the listed posts that are key posts), as
    # 2025.07.3 did, not the seven of the default list
    chosen = Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                    params={"hanoi-de-an-34.key_set": "core3"}).evaluate(people, UNITS, ON)
    fill = next(m for m in chosen.metrics if m.id == "staffing.fill_rate" and m.scope_id == "10045")
    assert (fill.numerator, fill.denominator) == (3, 3)
    no_chair = [p for p in people if p.position != "committee_chair"]
    vacancy = next(f for f in Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                                     params={"hanoi-de-an-34.key_set": "core3"}).evaluate(no_chair, UNITS, ON).findings
                   if f.rule == "staffing.vacancy" and f.subject_id == "10045")
    assert (vacancy.facts["vacant"], vacancy.facts["filled"], vacancy.facts["required"]) == (["committee_chair"], 2, 3)


def test_vacancy_posts_faults_are_located() -> None:
    for value, reason in (("party_secretary,mayor", "mayor"), ("party_secretary|nobody", "nobody")):
        with pytest.raises(PackError) as caught:
            Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                   params={"hanoi-de-an-34.vacancy_posts": value})
        [problem] = caught.value.problems
        assert problem.column == ("params.vacancy_posts[1]" if "," in value else "params.vacancy_posts[0]")
        assert problem.value == reason  # (of "a|b", the part refused)


@pytest.mark.parametrize(("young", "met"), [(1, True), (0, False)])
def test_hanoi_young_share_boundary(engine: Engine, young: int, met: bool) -> None:
    people = [person(f"K{i}", "committee_vice_chair", born=date(1970, 1, 1)) for i in range(9)]
    people.append(person("K9", "front_chair", born=date(1991, 7, 1) if young else date(1991, 6, 30)))
    report = engine.evaluate(people, UNITS, ON)  # born 1991-06-30: exactly 35 on the as-of date
    metric = next(m for m in report.metrics if m.id == "quota.young")
    assert (metric.numerator, metric.denominator, metric.met, metric.key_positions) == (young, 10, met, "extended")
    found = [f for f in report.findings if f.rule == "quota.young"]
    assert [f.facts.get("key_positions") for f in found] == ([] if met else ["extended"])


@pytest.mark.parametrize(("women", "met"), [(3, True), (2, False)])
def test_hanoi_women_share_boundary(engine: Engine, women: int, met: bool) -> None:
    people = [person(f"K{i}", "committee_vice_chair", gender="female" if i < women else "male") for i in range(20)]
    report = engine.evaluate(people, UNITS, ON)
    metric = next(m for m in report.metrics if m.id == "quota.women")
    assert (metric.numerator, metric.denominator, metric.met) == (women, 20, met)
    assert fired(report, "quota.women", "hanoi-de-an-34") == ({} if met else {"Hà Nội": "warning"})


def test_hanoi_shares_state_the_key_set_that_counted_them() -> None:
    people = [person("K1", "party_secretary", gender="female"), person("K2", "committee_vice_chair"),
              person("K3", "committee_chair"), person("K4", "front_chair")]
    for key_set, denominator in (("extended", 4), ("core3", 3)):
        report = Engine(["hanoi-de-an-34"], backend="reference", plugins=False,
                        params={"hanoi-de-an-34.key_set": key_set}).evaluate(people, UNITS, ON)
        women = next(m for m in report.metrics if m.id == "quota.women")
        assert (women.denominator, women.key_positions) == (denominator, key_set)
        assert report_to_json(report).count(f'"key_positions":"{key_set}"') >= 3  # every share of key officials


def test_hanoi_university_woman_on_standing_committee_and_not_completed(engine: Engine) -> None:
    people = [person("A1", "party_secretary", standing_committee=True),
              person("A2", "committee_chair", standing_committee=True, education="college",
                     ratings=((2025, "not_completed"),)),
              person("B1", "party_secretary", "00004", standing_committee=True, gender="female")]
    report = engine.evaluate(people, UNITS, ON)
    assert fired(report, "quota.university", "hanoi-de-an-34") == {"Hà Nội": "info"}
    assert fired(report, "quota.woman_standing_committee", "hanoi-de-an-34") == {"10045": "warning"}
    assert fired(report, "replacement.not_completed", "hanoi-de-an-34") == {"A2": "warning"}
    alone = engine.evaluate(people[2:], UNITS, ON)
    assert fired(alone, "quota.university", "hanoi-de-an-34") == {}
    assert fired(alone, "quota.woman_standing_committee", "hanoi-de-an-34") == {}
    assert any("10045" in note for note in alone.notes)  # no standing committee recorded: a data gap


@pytest.mark.parametrize(("lang", "given", "said"), [
    ("vi", None, "dưới 70% chỉ tiêu năm"), ("vi", "0.8", "dưới 80% chỉ tiêu năm"),
    ("en", None, "under 70% of its yearly targets"), ("en", "0.8", "under 80% of its yearly targets"),
])
def test_head_relief_says_the_threshold_it_applied(lang: str, given: str | None, said: str) -> None:
    """The message names the completion threshold the rule compared with (a named parameter: ``--param`` may set
    it), never a fixed 70% beside a rule that applied 80%."""
    params = {} if given is None else {"vn-commune-2tier.head_relief_completion_below": given}
    engine = Engine(["vn-commune-2tier"], backend="reference", plugins=False, lang=lang, params=params)
    head = person("H1", position="committee_chair", appointed_on=date(2024, 1, 1), extra={"target_completion": "0.69"})
    [finding] = [f for f in engine.evaluate([head], UNITS, ON).findings if f.rule == "replacement.head_relief"]
    assert said in finding.message
