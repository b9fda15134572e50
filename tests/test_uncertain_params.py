"""The law's uncertain values as named parameters (session 11, s11-f).

``../shared/domain/regulations-2025.md`` labels each fact with a confidence. What is not high confidence and
was written as a fixed number in the post-reform packs is a parameter with its note: ``--param`` sets it, the
report's ``params`` says which value was used, the message names it. A pack whose content changed has a new
version (``2025.10`` → ``2025.10.1``): a report made with ``vn-commune-2tier@2025.10`` stays what it was.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import load_pack

POLICIES = Path(__file__).resolve().parents[1] / "policies"
COMMUNE = Unit("10045", "Xã Xuân Mai", "commune", 1, None, True)
#: one as-of date in force for each version of vn-commune-2tier
DATES = {"2025.07.2": date(2025, 10, 1), "2025.10.3": date(2025, 11, 5), "2025.11.3": date(2025, 11, 30),
         "2026.01.4": date(2026, 4, 30)}
LATER = ["2025.10.3", "2025.11.3", "2026.01.4"]  # QĐ 377 replaced QĐ 41 on 8/10/2025


def person(ident: str, position: str = "other", **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", "male", date(1980, 1, 1), "10045", position, **base)  # type: ignore[arg-type]


def pack(version: str) -> dict[str, object]:
    with (POLICIES / f"vn-commune-2tier-{'.'.join(version.split('.')[:2])}.toml").open("rb") as f:
        return tomllib.load(f)


def evaluate(officials: list[Official], on: date, params: Mapping[str, object] | None = None,
             lang: str = "en", backend: str = "reference") -> Report:
    engine = Engine(["vn-commune-2tier"], backend=backend, plugins=False, params=params, lang=lang)  # type: ignore[arg-type]
    return engine.evaluate(officials, [COMMUNE], on)


def fired(report: Report, rule: str) -> dict[str, str]:
    return {f.subject_id: f.message for f in report.findings if f.rule == rule}


VOTES = [person(f"v{n}", low_confidence_share=Fraction(n, 100)) for n in (50, 51, 60, 66, 67, 70, 76)]


@pytest.mark.parametrize("version", LATER)
def test_the_vote_thresholds_are_parameters_with_the_same_defaults(version: str) -> None:
    params = pack(version)["params"]
    assert isinstance(params, dict)
    assert (params["low_confidence_removal_above"], params["low_confidence_resignation_above"]) == ("2/3", "1/2")
    engine = Engine([f"vn-commune-2tier@{version}"], backend="reference", plugins=False)
    assert engine.packs[0].params["low_confidence_removal_above"] == Fraction(2, 3)  # exact, not 0.6667
    assert engine.packs[0].params["low_confidence_resignation_above"] == Fraction(1, 2)
    when = {r["id"]: r["when"] for r in pack(version)["rule"]}  # type: ignore[attr-defined]
    assert when["replacement.low_confidence"] == "low_confidence_share > low_confidence_removal_above"
    assert when["replacement.resignation_band"] == ("low_confidence_share > low_confidence_resignation_above "
                                                    "and low_confidence_share <= low_confidence_removal_above")


@pytest.mark.parametrize("backend", ["reference", "durable"])
@pytest.mark.parametrize("version", LATER)
def test_the_default_thresholds_decide_as_the_fixed_numbers_did(version: str, backend: str) -> None:
    # by hand: removal above 2/3 (0.67, 0.70, 0.76), resignation above 1/2 up to 2/3 (0.51, 0.60, 0.66)
    report = evaluate(VOTES, DATES[version], backend=backend)
    assert sorted(fired(report, "replacement.low_confidence")) == ["v67", "v70", "v76"]
    assert sorted(fired(report, "replacement.resignation_band")) == ["v51", "v60", "v66"]
    assert fired(report, "replacement.low_confidence")["v70"] == \
        "More than 2/3 low-confidence votes (0.7): removal to be considered"
    assert report.params == {}


@pytest.mark.parametrize("backend", ["reference", "durable"])
def test_param_moves_the_thresholds_and_the_report_says_which_value(backend: str) -> None:
    params = {"vn-commune-2tier.low_confidence_removal_above": "3/4",
              "vn-commune-2tier.low_confidence_resignation_above": "0.6"}
    report = evaluate(VOTES, DATES["2025.10.3"], params, backend=backend)
    # by hand: removal above 3/4 (0.76); resignation above 0.6 up to 3/4 (0.66, 0.67, 0.70)
    assert sorted(fired(report, "replacement.low_confidence")) == ["v76"]
    assert sorted(fired(report, "replacement.resignation_band")) == ["v66", "v67", "v70"]
    assert fired(report, "replacement.resignation_band")["v70"] == \
        "More than 3/5 and at most 3/4 low-confidence votes (0.7): resignation to be considered"
    assert report.params == params
    vi = evaluate(VOTES, DATES["2025.10.3"], params, lang="vi", backend=backend)
    assert fired(vi, "replacement.low_confidence")["v76"] == \
        "Trên 3/4 số phiếu tín nhiệm thấp (0,76): xem xét miễn nhiệm"


def test_2025_07_keeps_the_thresholds_of_qd_41_then_in_force() -> None:
    # QĐ 41-QĐ/TW governed cán bộ until 7/10/2025 (regulations.md: High for 2021–2025): fixed numbers there.
    params = pack("2025.07.2")["params"]
    assert isinstance(params, dict) and "low_confidence_removal_above" not in params
    with pytest.raises(PackError, match="low_confidence_removal_above"):
        Engine(["vn-commune-2tier@2025.07.2"], backend="reference", plugins=False,
               params={"vn-commune-2tier.low_confidence_removal_above": "3/4"})


@pytest.mark.parametrize("version", list(DATES))
def test_the_low_confidence_standards_are_parameters(version: str) -> None:
    # general education THPT (Medium) and cao cấp for Bí thư and Chủ tịch UBND (Low, an inference from CV 03)
    params = pack(version)["params"]
    assert isinstance(params, dict)
    assert (params["general_education_floor"], params["theory_target_secretary_chair"]) == \
        ("upper_secondary", "advanced")
    chair = person("chair", "committee_chair", political_theory="intermediate", general_education="lower_secondary")
    default = evaluate([chair], DATES[version])
    assert "(advanced)" in fired(default, "qualification.theory_advanced")["chair"]
    assert fired(default, "qualification.general_education")["chair"] == \
        "General education (lower_secondary) below upper_secondary"  # codes in English, as {theory_floor}
    vi = evaluate([chair], DATES[version], lang="vi")
    assert fired(vi, "qualification.general_education")["chair"] == \
        "Trình độ giáo dục phổ thông (THCS) chưa đạt THPT"
    moved = evaluate([chair], DATES[version], {"vn-commune-2tier.theory_target_secretary_chair": "intermediate",
                                               "vn-commune-2tier.general_education_floor": "lower_secondary"})
    assert "chair" not in fired(moved, "qualification.theory_advanced")
    assert "chair" not in fired(moved, "qualification.general_education")


def test_council_vice_chairs_cites_what_was_in_force() -> None:
    # NQ 106/2025/UBTVQH15 was signed about 29/10/2025 (regulations-2025.md §0): the version in force from
    # 1/7/2025 to 7/10/2025 cites CV 03/CV-BCĐ (regulations.md §1.4, High); 2025.10.1 spans the date.
    early = pack("2025.07.2")
    rule = next(r for r in early["rule"] if r["id"] == "staffing.council_vice_chairs")  # type: ignore[attr-defined]
    assert "106" not in rule["cite"] and "03/CV-BCĐ" in rule["cite"]
    assert all("106" not in s["id"] for s in early["pack"]["sources"])  # type: ignore[index]
    spanning = next(r for r in pack("2025.10.3")["rule"] if r["id"] == "staffing.council_vice_chairs")  # type: ignore[attr-defined]
    assert "03/CV-BCĐ" in spanning["cite"] and "106" in spanning["cite"]


def test_a_fraction_written_as_text_is_exact_and_other_text_stays_text(tmp_path: Path) -> None:
    text = (POLICIES / "vn-commune-2tier-2025.10.toml").read_text(encoding="utf-8")
    loaded = load_pack(POLICIES / "vn-commune-2tier-2025.10.toml")
    assert loaded.params["low_confidence_removal_above"] == Fraction(2, 3)
    assert loaded.params["key_set"] == "extended"
    changed = tmp_path / "p.toml"
    changed.write_text(text.replace('low_confidence_removal_above = "2/3"', 'low_confidence_removal_above = "2/0"'),
                       encoding="utf-8")
    with pytest.raises(PackError, match="low_confidence_removal_above"):  # not a number: the rule refuses it
        load_pack(changed)


def de_an(params: Mapping[str, object] | None = None) -> Engine:
    return Engine(["hanoi-de-an-34"], backend="reference", plugins=False, params=params, lang="en")


def test_de_an_34_targets_after_2025_are_parameters_with_their_note() -> None:
    # Đề án 34 ran "to 2025"; no text restating its targets for the 126 units (regulations-2025.md §6: Low)
    text = (POLICIES / "hanoi-de-an-34-2025.07.toml").read_text(encoding="utf-8")
    for name in ("young_min_share", "women_min_share", "university_min_share", "standing_committee_min_women"):
        line = next(line for line in text.splitlines() if line.startswith(f"{name} = "))
        assert "Low" in line, line
    pack = next(p for p in de_an().packs if p.version == "2025.07.4")
    assert (pack.params["university_min_share"], pack.params["standing_committee_min_women"]) == (1, 1)


def committee(women: int, men: int) -> list[Official]:
    return [Official(f"{g}{i}", "Tên", "female" if g == "w" else "male", date(1980, 1, 1), "10045", "other",
                     education="university", political_theory="intermediate", standing_committee=True)
            for g, n in (("w", women), ("m", men)) for i in range(n)]


@pytest.mark.parametrize(("women", "target", "fires"), [(0, None, True), (1, None, False), (1, "2", True),
                                                       (2, "2", False)])
def test_the_women_on_the_standing_committee_target_is_a_parameter(women: int, target: str | None,
                                                                  fires: bool) -> None:
    params = {} if target is None else {"hanoi-de-an-34.standing_committee_min_women": target}
    report = de_an(params).evaluate(committee(women, 9 - women), [COMMUNE], date(2025, 12, 31))
    found = [f.message for f in report.findings if f.rule == "quota.woman_standing_committee"]
    assert bool(found) is fires
    if fires:
        assert found == [f"The party standing committee (9 members) has {women} women, fewer than {target or 1}"]
    assert report.params == params


def test_the_university_share_is_a_parameter() -> None:
    people = [person("a", "party_secretary"), person("b", "committee_chair", education="college")]
    on = date(2025, 12, 31)
    default = [m for m in de_an().evaluate(people, [COMMUNE], on).metrics if m.id == "quota.university"]
    assert [(m.numerator, m.denominator, m.target, m.met) for m in default] == [(1, 2, 1, False)]
    half = de_an({"hanoi-de-an-34.university_min_share": "1/2"}).evaluate(people, [COMMUNE], on)
    assert [(m.target, m.met) for m in half.metrics if m.id == "quota.university"] == [(Fraction(1, 2), True)]
