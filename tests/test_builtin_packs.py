"""The built-in packs, rule by rule, with hand-computed expectations (SEMANTICS.md)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules.engine import _durable

AS_OF = date(2024, 6, 30)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]

COMMUNE = Unit("X1", "Xã Một", "commune", 3, "Ba Vì", True)
WARD = Unit("P1", "Phường Một", "ward", 2, "Hoàn Kiếm", False)
UNITS = [COMMUNE, WARD]


def person(ident: str, position: str = "office_statistics", unit: str = "X1", gender: str = "male",
           born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", gender, born, unit, position, **base)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(backend: str, pack: str, officials: list[Official], as_of: date = AS_OF, units: list[Unit] | None = None,
        **kw: object) -> Report:
    return Engine([pack], backend=backend, **kw).evaluate(officials, units or UNITS, as_of)  # type: ignore[arg-type]


def fired(report: Report, rule: str) -> dict[str, str]:
    return {f.subject_id: f.severity for f in report.findings if f.rule == rule}


# -- hanoi-de-an-34 --------------------------------------------------------------------------

FULL_COMMUNE = [
    person("A1", "party_secretary", concurrent_positions=("council_chair",), standing_committee=True),
    person("A2", "deputy_party_secretary", standing_committee=True),
    person("A3", "council_vice_chair"),
    person("A4", "committee_chair", standing_committee=True, gender="female"),
    person("A5", "committee_vice_chair"),
    person("A6", "front_chair"),
]


def test_vacancy_counts_concurrent_posts_and_wards_without_council(backend: str) -> None:
    ward = [person("W1", "party_secretary", "P1"), person("W2", "committee_chair", "P1",
                                                            concurrent_positions=("deputy_party_secretary",))]
    report = run(backend, "hanoi-de-an-34", [*FULL_COMMUNE, *ward])
    vacancies = {f.subject_id: f.facts for f in report.findings if f.rule == "staffing.vacancy"}
    assert vacancies == {"P1": {"vacant": ["committee_vice_chair", "front_chair"], "filled": 3, "required": 5}}
    fill = {(m.scope, m.scope_id): (m.numerator, m.denominator, m.met) for m in report.metrics
            if m.id == "staffing.fill_rate"}
    assert fill == {("city", "Hà Nội"): (10, 12, False), ("district", "Ba Vì"): (7, 7, True),
                    ("district", "Hoàn Kiếm"): (3, 5, False), ("unit", "P1"): (3, 5, False), ("unit", "X1"): (7, 7, True)}


def test_young_quota_needed_and_exactly_35(backend: str) -> None:
    people = [person(f"K{i}", "committee_vice_chair", born=date(1970, 1, 1)) for i in range(19)]
    people.append(person("K19", "front_chair", born=date(1989, 6, 30)))  # exactly 35 on the as-of date
    report = run(backend, "hanoi-de-an-34", people)
    young = next(f for f in report.findings if f.rule == "quota.young" and f.subject_id == "Hà Nội")
    assert young.facts == {"numerator": 0, "denominator": 20, "value": 0.0, "target": 0.1, "needed": 2}
    assert young.message.endswith("cần thêm 2 người")
    a_day_earlier = run(backend, "hanoi-de-an-34", people, as_of=date(2024, 6, 29))
    metric = next(m for m in a_day_earlier.metrics if m.id == "quota.young" and m.scope == "city")
    assert (metric.numerator, metric.denominator, metric.met) == (1, 20, False)


def test_women_quota_is_inclusive(backend: str) -> None:
    people = [person(f"K{i}", "committee_vice_chair", gender="female" if i < 3 else "male") for i in range(20)]
    report = run(backend, "hanoi-de-an-34", people)  # 3/20 = 15% exactly: met
    assert [m.met for m in report.metrics if m.id == "quota.women"] == [True, True, None]  # Hoàn Kiếm: nobody
    report = run(backend, "hanoi-de-an-34", [*people[1:], person("K99", "front_chair")])
    assert [m.met for m in report.metrics if m.id == "quota.women"] == [False, False, None]
    assert fired(report, "quota.women") == {"Hà Nội": "warning", "Ba Vì": "warning"}


def test_woman_on_standing_committee_and_data_gap(backend: str) -> None:
    no_woman = [person("B1", "party_secretary", standing_committee=True),
                person("B2", "committee_chair", standing_committee=True, gender="female", unit="P1"),
                person("B3", "deputy_party_secretary", unit="P1", standing_committee=True)]
    units = [*UNITS, Unit("X2", "Xã Hai", "commune", 1, "Ba Vì")]
    report = run(backend, "hanoi-de-an-34", no_woman, units=units)
    assert fired(report, "quota.woman_standing_committee") == {"X1": "warning"}
    # (the note names the rule in words; its id is the notice's: session 17)
    assert any(("hanoi-de-an-34", "quota.woman_standing_committee") in n.rules and "X2" in n.message
               and "1 " in n.message for n in report.notices)


def test_replacement_rules(backend: str) -> None:
    people = [
        person("R1", ratings=((2022, "good"), (2023, "not_completed"), (2025, "good"))),   # 2025 ignored
        person("R2", ratings=((2022, "not_completed"), (2023, "not_completed"))),
        person("R3", ratings=((2021, "not_completed"), (2023, "not_completed"))),           # 2022 missing
        person("R4", ratings=((2022, "not_completed"), (2023, "not_completed"), (2024, "good"))),
        person("R5", low_confidence_share=Fraction(2, 3)),
        person("R6", low_confidence_share=Fraction(666667, 1000000)),
        person("R7", ratings=((2023, "good"),), discipline=((date(2023, 5, 5), "reprimand"),)),
        person("R8", ratings=((2023, "good"),), discipline=((date(2022, 5, 5), "warning"),)),
        person("R9", ratings=((2024, "good"),), discipline=((date(2024, 9, 1), "warning"),)),  # after as-of
    ]
    report = run(backend, "hanoi-de-an-34", people)
    assert fired(report, "replacement.not_completed") == {"R1": "error", "R2": "error", "R3": "error"}
    assert fired(report, "replacement.two_years_not_completed") == {"R2": "error"}
    assert fired(report, "replacement.low_confidence") == {"R6": "error"}
    assert fired(report, "replacement.discipline") == {"R7": "warning"}
    r1 = next(f for f in report.findings if f.rule == "replacement.not_completed" and f.subject_id == "R1")
    assert r1.facts == {"latest_rating": "not_completed", "latest_rating_year": 2023}


# -- vn-nd33-2023 ----------------------------------------------------------------------------

def test_qualification_rules(backend: str) -> None:
    people = [
        person("Q1", "committee_chair", "P1", category="civil_servant", education="college"),  # ward chair
        person("Q2", "office_statistics", education="college"),                                   # not a cán bộ post
        person("Q3", "committee_chair", general_education="lower_secondary"),
        person("Q4", "committee_chair", general_education=None),                                  # unknown
        person("Q5", "party_secretary", general_education="lower_secondary"),                     # not in scope
        person("Q6", "front_chair", concurrent_positions=("council_vice_chair",), political_theory="elementary"),
        person("Q7", "youth_union_secretary", education="intermediate", political_theory="none"),
    ]
    report = run(backend, "vn-nd33-2023", people)
    assert fired(report, "qualification.degree") == {"Q1": "error", "Q7": "error"}
    assert fired(report, "qualification.general_education") == {"Q3": "error"}
    assert fired(report, "qualification.theory") == {"Q6": "error"}


def test_vice_chair_cap_counts_distinct_holders(backend: str) -> None:
    units = [Unit("C3", "Xã", "commune", 3, "D"), Unit("C2", "Xã", "commune", 2, "D"), Unit("C1", "Xã", "town", 1, "D")]
    people = [person("V1", "committee_vice_chair", "C3"),
              person("V2", "office_statistics", "C3", concurrent_positions=("committee_vice_chair",)),
              person("V3", "committee_vice_chair", "C2"), person("V4", "committee_vice_chair", "C2"),
              person("V5", "committee_vice_chair", "C1"), person("V6", "committee_vice_chair", "C1"),
              person("V7", "committee_vice_chair", "C1")]
    report = run(backend, "vn-nd33-2023", people, units=units)
    assert fired(report, "staffing.vice_chair_cap") == {"C3": "error", "C1": "error"}


# -- hanoi-ke-hoach-188 ----------------------------------------------------------------------

def test_rotation_eligible_boundaries(backend: str) -> None:
    people = [
        person("E1", in_planning=True, born=date(1972, 6, 15)),   # retires 2034-06-30: exactly 120 months
        person("E2", in_planning=True, born=date(1972, 5, 15)),   # 119 months
        person("E3", in_planning=True, born=date(1990, 1, 1), discipline=((date(2023, 6, 30), "reprimand"),)),
        person("E4", in_planning=True, born=date(1990, 1, 1), under_investigation=True),
        person("E5", born=date(1990, 1, 1)),                       # not in planning
    ]
    report = run(backend, "hanoi-ke-hoach-188", people)
    assert fired(report, "rotation.eligible") == {"E1": "info"}
    # the reprimand of 2023-06-30 is in force through 2024-06-30 (last day included), not on 2024-07-01
    later = run(backend, "hanoi-ke-hoach-188", people, as_of=date(2024, 7, 1))
    assert fired(later, "rotation.eligible") == {"E3": "info"}  # E1 now has 119 months left


def test_rotation_eligible_needs_qualification_of_the_pack_set(backend: str) -> None:
    people = [person("E1", "committee_chair", in_planning=True, born=date(1990, 1, 1), education="college")]
    alone = Engine(["hanoi-ke-hoach-188"], backend=backend).evaluate(people, UNITS, AS_OF)
    assert fired(alone, "rotation.eligible") == {"E1": "info"}
    both = Engine(["hanoi-ke-hoach-188", "vn-nd33-2023"], backend=backend).evaluate(people, UNITS, AS_OF)
    assert fired(both, "rotation.eligible") == {}
    assert fired(both, "qualification.degree") == {"E1": "error"}


def test_position_change_due(backend: str) -> None:
    people = [
        person("C1", appointed_on=date(2022, 6, 30)),                     # 24 months: info
        person("C2", appointed_on=date(2022, 7, 1)),                      # 23 months
        person("C3", appointed_on=date(2019, 6, 30)),                     # 60 months: info
        person("C4", appointed_on=date(2019, 5, 30)),                     # 61 months: warning
        person("C5", "committee_chair", appointed_on=date(2019, 5, 30)),  # a cadre
        person("C6", appointed_on=date(2019, 5, 30), born=date(1964, 9, 10)),  # 18 months to retirement
        person("C7", appointed_on=date(2019, 5, 30), born=date(1964, 8, 10)),  # 17 months
        person("C8", appointed_on=date(2019, 5, 30), secondment_since=date(2024, 1, 1)),
        person("C9", appointed_on=date(2019, 5, 30), under_investigation=True),
        person("C10"),                                                     # no appointed_on
    ]
    report = run(backend, "hanoi-ke-hoach-188", people)
    assert fired(report, "rotation.position_change_due") == {"C1": "info", "C3": "info", "C4": "warning",
                                                             "C6": "warning"}


def test_secondment_overdue(backend: str) -> None:
    people = [
        person("S1", secondment_since=date(2021, 6, 30)),                       # 36 months: fine
        person("S2", secondment_since=date(2021, 5, 30)),                       # 37 months: warning
        person("S3", "party_secretary", secondment_since=date(2024, 1, 1)),     # a cadre: error
        person("S4", "party_secretary", secondment_since=date(2024, 7, 1)),     # not started yet
    ]
    report = run(backend, "hanoi-ke-hoach-188", people)
    assert fired(report, "rotation.secondment_overdue") == {"S2": "warning", "S3": "error"}


def test_a_secondment_that_ended_is_not_current(backend: str) -> None:
    # (issue #19) secondment_until is its last day: still running on it, over from the day after
    people = [
        person("E1", "party_secretary", secondment_since=date(2024, 1, 1), secondment_until=date(2024, 6, 30)),
        person("E2", "party_secretary", secondment_since=date(2024, 1, 1), secondment_until=date(2024, 6, 29)),
        person("E3", secondment_since=date(2021, 5, 30), secondment_until=date(2024, 6, 29)),  # 37 months, over
        person("E4", secondment_since=date(2021, 5, 30), secondment_until=date(2025, 1, 1)),   # 37 months, on
    ]
    report = run(backend, "hanoi-ke-hoach-188", people)
    assert fired(report, "rotation.secondment_overdue") == {"E1": "error", "E4": "warning"}
    # a civil servant whose secondment ended is due a position change again (not deferred by it)
    report = run(backend, "hanoi-ke-hoach-188", [person("E5", appointed_on=date(2019, 5, 30),
                                                        secondment_since=date(2024, 1, 1)),
                                                 person("E6", appointed_on=date(2019, 5, 30),
                                                        secondment_since=date(2024, 1, 1),
                                                        secondment_until=date(2024, 3, 31))])
    assert set(fired(report, "rotation.position_change_due")) == {"E6"}


@pytest.mark.parametrize(("born", "gender", "expected"), [
    (date(1964, 3, 10), "male", 12),      # 61y3m in June 2025: retires 2025-06-30
    (date(1964, 4, 10), "male", 13),
    (date(1968, 10, 5), "female", 12),    # 56y8m in June 2025
    (date(1968, 11, 5), "female", 13),
    (date(1960, 1, 1), "male", -53),      # retired 2020-01-31 under the old age: still listed (SEMANTICS 26)
])
def test_retiring_soon(backend: str, born: date, gender: str, expected: int) -> None:
    report = run(backend, "hanoi-ke-hoach-188", [person("T1", born=born, gender=gender)])
    found = [f for f in report.findings if f.rule == "rotation.retiring_soon"]
    if expected <= 12:  # (negative: past retirement age but still listed, SEMANTICS 26)
        assert [f.facts["months_to_retirement"] for f in found] == [expected]
        assert not [f for f in report.findings if f.rule == "staffing.past_retirement"]
    else:
        assert found == []


def test_past_retirement_age_under_the_post_reform_pack(backend: str) -> None:
    """vn-commune-2tier declares ``retirement_ends_service``: the engine's finding instead of the rule's
    (docs/as-of.md §1)."""
    report = run(backend, "vn-commune-2tier", [person("T1", born=date(1960, 1, 1))], as_of=date(2025, 7, 1))
    assert [(f.rule, f.facts["retirement_date"]) for f in report.findings if f.subject_id == "T1"] == [
        ("staffing.past_retirement", "2020-01-31")]
    serving = run(backend, "vn-commune-2tier", [person("T1", born=date(1964, 3, 10))], as_of=date(2025, 6, 30))
    assert [f.facts["months_to_retirement"] for f in serving.findings if f.rule == "rotation.retiring_soon"] == [0]


# -- packs in effect -------------------------------------------------------------------------

def test_packs_in_effect_without_pack_option() -> None:
    people = [person("Z1")]
    def ids(day: date) -> list[str]:
        return [p.id for p in Engine(backend="reference").evaluate(people, UNITS, day).packs]
    assert ids(date(2023, 1, 1)) == []
    assert ids(date(2023, 8, 1)) == ["vn-nd33-2023"]
    assert ids(date(2024, 1, 1)) == ["hanoi-de-an-34", "hanoi-ke-hoach-188", "vn-nd33-2023"]
    assert ids(date(2025, 6, 30)) == ["hanoi-de-an-34", "hanoi-ke-hoach-188", "vn-nd33-2023"]
    # from 1/7/2025: Đề án 34 carried forward, the national two-tier pack replaces NĐ 33 and KH 188 (issue #15)
    assert ids(date(2025, 7, 1)) == ["hanoi-de-an-34", "vn-commune-2tier"]
    none = Engine(backend="reference", lang="en").evaluate(people, UNITS, date(2023, 1, 1))
    assert none.notes and "no pack" in none.notes[0]


def test_named_pack_applies_outside_its_period_with_a_note() -> None:
    report = Engine(["vn-nd33-2023"], backend="reference", lang="en").evaluate([person("Z1")], UNITS,
                                                                              date(2022, 12, 31))
    assert [p.id for p in report.packs] == ["vn-nd33-2023"]
    assert report.notes == ("pack vn-nd33-2023@2023.08.1 is not in effect on 2022-12-31 "
                            "(effective 2023-08-01 – 2025-06-30); applied because it was named",)
