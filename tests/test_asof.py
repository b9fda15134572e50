"""The as-of date means what it says (issue #15, part B; docs/as-of.md): for the packs that declare it,
officials past retirement age are not serving and ratings older than the look-back are not current (the
2023 packs read SEMANTICS 10, 19 and 26 instead: issue #17); stale data are reported, families not checked
are reported, and units without districts (or after 2025-07-01) have no district level."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules.engine import _asof
from cadre_rules.engine import _durable
from cadre_rules.engine._asof import DISTRICTS_ABOLISHED
from cadre_rules.model._context import Calendar
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._packs import Pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._succession import succeed
from cadre_rules.render import render_csv
from cadre_rules.render import render_html
from cadre_rules.render import render_jsonl
from cadre_rules.render import render_junit
from cadre_rules.render import render_sarif
from cadre_rules.render import render_xlsx

BACKENDS = ["reference", "durable"] if _durable.AVAILABLE else ["reference"]
COMMUNE = Unit("X1", "Xã Một", "commune", 1, "Ba Vì", True)
COMMUNE_2 = Unit("X2", "Xã Hai", "commune", 2, "Đống Đa", True)
HANOI = ["hanoi-de-an-34", "hanoi-ke-hoach-188"]  # every family checked from 2023-11-06
FLAT = [Unit("X1", "Xã Một", "commune", 1), Unit("X2", "Xã Hai", "commune", 2)]  # no district
#: a man born in March 1964 reaches 61 years 3 months in June 2025
BORN = date(1964, 3, 15)
RETIRES = retirement_date(BORN, "male")


def person(ident: str, position: str = "office_statistics", unit: str = "X1", gender: str = "male",
           born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", gender, born, unit, position, **base)  # type: ignore[arg-type]


def commune(unit: str = "X1", chair_born: date = BORN) -> list[Official]:
    """Every required post of a commune with a council, the committee chair born ``chair_born``."""
    return [person(f"{unit}-1", "party_secretary", unit, concurrent_positions=("council_chair",)),
            person(f"{unit}-2", "deputy_party_secretary", unit),
            person(f"{unit}-3", "council_vice_chair", unit),
            person(f"{unit}-4", "committee_chair", unit, born=chair_born),
            person(f"{unit}-5", "committee_vice_chair", unit),
            person(f"{unit}-6", "front_chair", unit, gender="female")]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def metric(report: Report, metric_id: str, scope: str = "city") -> tuple[int, int]:
    m = next(m for m in report.metrics if m.id == metric_id and m.scope == scope)
    return m.numerator, m.denominator


#: the 2023 versions of the built-in packs, named with their version (they apply whatever the date)
DE_AN_2023 = "hanoi-de-an-34@2023.11.4"
PLAN_2023 = "hanoi-ke-hoach-188@2023.11.3"
ND33 = "vn-nd33-2023@2023.08.1"


def declaring(ref: str, **params: object) -> Pack:
    """The built-in pack ``ref`` declaring ``params`` besides its own, under the id ``<id>-declaring``: the 2023
    law read as the post-reform packs read the as-of date (``retirement_ends_service``, ``rating_lookback_years``)."""
    pack = Engine([ref], backend="reference").packs[0]
    return parse_pack({**pack.data, "pack": {**pack.data["pack"], "id": f"{pack.id}-declaring"},
                       "params": {**pack.data.get("params", {}), **params}})


RETIRING_2023 = declaring(DE_AN_2023, retirement_ends_service=True)


# -- 1. retirement -------------------------------------------------------------------------------


def test_the_schedule_gives_the_retirement_date_of_the_fixture() -> None:
    assert date(2025, 6, 30) == RETIRES


@pytest.mark.parametrize("as_of", [date(2020, 12, 31), date(2021, 1, 1), RETIRES, RETIRES + timedelta(days=1),
                                   date(2028, 2, 29), date(2035, 12, 31)])
def test_who_is_retired_agrees_with_the_retirement_date_for_every_month_of_birth(as_of: date) -> None:
    people = [person(f"{g}{y}-{m}-{d}", gender=g, born=date(y, m, d)) for g in ("male", "female")
              for y in range(1940, 2001) for m in range(1, 13) for d in (1, 28)]
    retired = Calendar(as_of).retired_of(people)
    assert retired == [retirement_date(o.birth_date, o.gender) < as_of for o in people]
    assert any(retired) and not all(retired)


def test_serving_on_the_retirement_date_itself(backend: str) -> None:
    report = Engine(["hanoi-de-an-34"], backend=backend).evaluate(commune(), [COMMUNE], RETIRES)
    assert not [f for f in report.findings if f.rule == "staffing.past_retirement"]
    assert metric(report, "staffing.fill_rate") == (7, 7)
    assert metric(report, "quota.women") == (1, 6)  # six key officials, the chair among them


def test_not_serving_the_day_after(backend: str) -> None:
    after = RETIRES + timedelta(days=1)
    # the 2023 version, whose seven key posts the commune holds, declaring the reading
    report = Engine([RETIRING_2023], backend=backend, lang="en").evaluate(commune(), [COMMUNE], after)
    retired = [f for f in report.findings if f.rule == "staffing.past_retirement"]
    assert [(f.pack, f.family, f.severity, f.subject_kind, f.subject_id, f.scope_id) for f in retired] == [
        ("cadre-rules", "staffing", "info", "official", "X1-4", "X1")]
    assert dict(retired[0].facts) == {"retirement_date": "2025-06-30", "position": "committee_chair"}
    assert retired[0].message == ("past retirement age on the as-of date (retirement date 2025-06-30): not counted "
                                  "as serving; record the departure")
    # the post they held is vacant, and they are in no quota
    vacancy = next(f for f in report.findings if f.rule == "staffing.vacancy")
    assert vacancy.facts["vacant"] == ["committee_chair"]
    assert metric(report, "staffing.fill_rate") == (6, 7)
    assert metric(report, "quota.women") == (1, 5)
    # no rule of any pack reads them
    assert {f.rule for f in report.findings if f.subject_id == "X1-4"} == {"staffing.past_retirement"}


def test_the_2023_packs_still_count_an_official_past_retirement_age(backend: str) -> None:
    """SEMANTICS 26: the packs that do not declare ``retirement_ends_service`` (the 2023 law) list and count
    them: no engine finding, the post filled, the quotas' population the same as the day before."""
    after = RETIRES + timedelta(days=1)
    report = Engine([DE_AN_2023], backend=backend, lang="en").evaluate(commune(), [COMMUNE], after)
    assert [f"{p.id}@{p.version}" for p in report.packs] == [DE_AN_2023]
    assert not [f for f in report.findings if f.rule == "staffing.past_retirement"]
    assert not [f for f in report.findings if f.rule == "staffing.vacancy"]
    assert metric(report, "staffing.fill_rate") == (7, 7)
    assert metric(report, "quota.women") == (1, 6)


def test_each_pack_reads_retirement_its_own_way(backend: str) -> None:
    """Two packs of one date, one declaring the reading: the engine's finding is made once, the other pack
    still evaluates the official (its degree rule fires) and counts them."""
    after = RETIRES + timedelta(days=1)
    people = [*commune()[:3], person("X1-4", "committee_chair", born=BORN, education="college"), *commune()[4:]]
    report = Engine([RETIRING_2023, ND33], backend=backend, lang="en").evaluate(people, [COMMUNE], after)
    assert [(f.pack, f.rule) for f in report.findings if f.subject_id == "X1-4"] == [
        ("cadre-rules", "staffing.past_retirement"), ("vn-nd33-2023", "qualification.degree")]
    assert RETIRING_2023.id == "hanoi-de-an-34-declaring"
    assert metric(report, "staffing.fill_rate") == (6, 7)  # (hanoi-de-an-34's: the post is vacant for it)
    alone = Engine([ND33], backend=backend, lang="en").evaluate(people, [COMMUNE], after)
    assert [(f.pack, f.rule) for f in alone.findings if f.subject_id == "X1-4"] == [
        ("vn-nd33-2023", "qualification.degree")]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "past retirement age on the as-of date (retirement date 2025-06-30): not counted as serving by "
           "hanoi-de-an-34-declaring@2023.11.4 (still counted by hanoi-ke-hoach-188@2023.11.3); record the departure"),
    ("vi", "đã quá tuổi nghỉ hưu vào ngày đánh giá (ngày nghỉ hưu 30/06/2025): không tính là đang công tác theo "
           "hanoi-de-an-34-declaring@2023.11.4 (vẫn được tính theo hanoi-ke-hoach-188@2023.11.3); cần cập nhật việc "
           "nghỉ hưu"),
])
def test_the_past_retirement_message_names_the_packs_that_still_count_them(backend: str, lang: str,
                                                                            said: str) -> None:
    """Two packs of one date reading retirement differently: the finding does not say "not counted as serving"
    alone, since the plan of 2023 (SEMANTICS 26) still counts the official (and lists them as retiring)."""
    after = RETIRES + timedelta(days=1)
    report = Engine([RETIRING_2023, PLAN_2023], backend=backend, lang=lang).evaluate(commune(), [COMMUNE], after)
    [retired] = [f for f in report.findings if f.rule == "staffing.past_retirement"]
    assert retired.subject_id == "X1-4" and retired.message == said
    assert dict(retired.facts) == {"retirement_date": "2025-06-30", "position": "committee_chair",
                                   "counted_by": ["hanoi-ke-hoach-188@2023.11.3"]}
    # each pack as the report's packs[] and coverage name it: id@version
    assert set(retired.facts["counted_by"]) <= {f"{p.id}@{p.version}" for p in report.packs} & {
        ref for c in report.coverage for ref in c.packs}
    # what the message says is so: the plan evaluates them (retiring, -1 month), the scheme does not
    assert {(f.pack, f.rule) for f in report.findings if f.subject_id == "X1-4"} == {
        ("cadre-rules", "staffing.past_retirement"), ("hanoi-ke-hoach-188", "rotation.retiring_soon")}
    # one reading only: the message and facts as they were
    alone = Engine([RETIRING_2023], backend=backend, lang=lang).evaluate(commune(), [COMMUNE], after)
    [only] = [f for f in alone.findings if f.rule == "staffing.past_retirement"]
    assert "counted_by" not in only.facts and only.message.endswith(
        "not counted as serving; record the departure" if lang == "en" else
        "không tính là đang công tác; cần cập nhật việc nghỉ hưu")


def test_no_past_retirement_finding_where_no_pack_takes_them_out_of_service(backend: str) -> None:
    """A pack declaring the reading for one district only: the official past retirement age elsewhere is
    counted by every pack that evaluates them, and no finding says otherwise."""
    after = RETIRES + timedelta(days=1)
    data = RETIRING_2023.data
    district_only = parse_pack({**data, "scope": {"districts": [COMMUNE_2.district]}})
    report = Engine([district_only, PLAN_2023], backend=backend, lang="en").evaluate(
        [*commune("X1"), *commune("X2")], [COMMUNE, COMMUNE_2], after)
    retired = {f.subject_id: f for f in report.findings if f.rule == "staffing.past_retirement"}
    assert list(retired) == ["X2-4"]
    assert retired["X2-4"].facts["counted_by"] == ["hanoi-ke-hoach-188@2023.11.3"]
    assert {f.rule for f in report.findings if f.subject_id == "X1-4"} == {"rotation.retiring_soon"}


def test_a_retired_official_is_evaluated_by_no_rule() -> None:
    # a degree rule would fire for them if they were serving
    people = [person("R1", "committee_chair", born=BORN, education="college")]
    pack = declaring(ND33, retirement_ends_service=True)
    before = Engine([pack], backend="reference").evaluate(people, [COMMUNE], RETIRES)
    after = Engine([pack], backend="reference").evaluate(people, [COMMUNE], RETIRES + timedelta(days=1))
    assert "qualification.degree" in {f.rule for f in before.findings}
    assert [f.rule for f in after.findings if f.subject_id == "R1"] == ["staffing.past_retirement"]
    # the 2023 standards as shipped still read them (SEMANTICS 26: past retirement age, still listed)
    shipped = Engine([ND33], backend="reference").evaluate(people, [COMMUNE], RETIRES + timedelta(days=1))
    assert [f.rule for f in shipped.findings if f.subject_id == "R1"] == ["qualification.degree"]


def test_retiring_soon_fires_at_zero_months_and_not_past_the_date() -> None:
    people = [person("S1", "office_statistics", born=BORN, appointed_on=date(2020, 1, 1))]
    engine = Engine([declaring(PLAN_2023, retirement_ends_service=True)], backend="reference")
    on = engine.evaluate(people, [COMMUNE], RETIRES)
    after = engine.evaluate(people, [COMMUNE], RETIRES + timedelta(days=1))
    assert any(f.rule == "rotation.retiring_soon" and f.facts.get("months_to_retirement") == 0 for f in on.findings)
    assert [f.rule for f in after.findings] == ["staffing.past_retirement"]


def test_a_declaring_pack_can_be_told_otherwise_by_param(backend: str) -> None:
    people = [person("S1", "office_statistics", born=BORN, appointed_on=date(2020, 1, 1))]
    as_of = date(2025, 8, 1)
    declared = Engine(["vn-commune-2tier"], backend=backend).evaluate(people, [COMMUNE], as_of)
    assert [f.rule for f in declared.findings if f.subject_id == "S1"] == ["staffing.past_retirement"]
    engine = Engine(["vn-commune-2tier"], backend=backend, params={"vn-commune-2tier.retirement_ends_service": "false"})
    assert not any(p.retirement_ends_service for p in engine.packs)
    told = engine.evaluate(people, [COMMUNE], as_of)
    # evaluated as serving: listed as retiring with negative months (and their legacy title noted)
    assert [(f.rule, f.facts.get("months_to_retirement")) for f in told.findings if f.subject_id == "S1"] == [
        ("rotation.retiring_soon", -1), ("staffing.legacy_title", None)]


def test_the_2023_plan_lists_retiring_soon_with_negative_months() -> None:
    """SEMANTICS 26: ``rotation.retiring_soon`` includes 0 and negative months (past retirement age but still
    listed) under the 2023 plan as shipped."""
    people = [person("S1", "office_statistics", born=BORN, appointed_on=date(2020, 1, 1))]
    engine = Engine([PLAN_2023], backend="reference")
    months = {day: [f.facts.get("months_to_retirement") for f in engine.evaluate(people, [COMMUNE], day).findings
                    if f.rule == "rotation.retiring_soon"]
              for day in (RETIRES, RETIRES + timedelta(days=1), date(2025, 8, 1), date(2026, 7, 1))}
    # (complete months, SEMANTICS 8: a day past the retirement date is not yet a month past it)
    assert months == {RETIRES: [0], RETIRES + timedelta(days=1): [0], date(2025, 8, 1): [-1],
                      date(2026, 7, 1): [-12]}
    assert not [f for day in months for f in engine.evaluate(people, [COMMUNE], day).findings
                if f.rule == "staffing.past_retirement"]


def test_explain_of_a_retired_official_shows_why_no_rule_applies() -> None:
    from cadre_rules.jobs._explain_official import explain_official

    people = commune()
    engine = Engine(["hanoi-de-an-34"], backend="reference", lang="en")
    result = explain_official(engine, people, [COMMUNE], "X1-4", RETIRES + timedelta(days=1))
    assert result.rules == ()
    assert any("past retirement age" in note for note in result.notes)
    assert result.district is None  # (2025-07-01: no districts)
    serving = explain_official(engine, people, [COMMUNE], "X1-4", RETIRES)
    assert serving.rules


def test_explain_follows_each_packs_reading_of_retirement() -> None:
    from cadre_rules.jobs._explain_official import explain_official
    from cadre_rules.jobs._explain_scope import explain_scope

    after = RETIRES + timedelta(days=1)
    people = [*commune()[:3], person("X1-4", "committee_chair", born=BORN, education="college"), *commune()[4:]]
    engine = Engine([RETIRING_2023, ND33], backend="reference", lang="en")
    result = explain_official(engine, people, [COMMUNE], "X1-4", after)
    assert {r.pack for r in result.rules} == {"vn-nd33-2023"}  # not hanoi-de-an-34-declaring's rules
    assert next(r for r in result.rules if r.rule == "qualification.degree").status == "fired"
    assert any("past retirement age" in note for note in result.notes)
    shipped = explain_official(Engine([DE_AN_2023, ND33], backend="reference", lang="en"), people, [COMMUNE],
                               "X1-4", after)
    assert {r.pack for r in shipped.rules} == {"hanoi-de-an-34", "vn-nd33-2023"}
    assert not any("past retirement age" in note for note in shipped.notes)
    # who each quota counted: the declaring pack leaves them out, the pack as shipped counts them
    both = Engine([RETIRING_2023, DE_AN_2023], backend="reference", lang="en")
    scope = explain_scope(both, people, [COMMUNE], "city", None, after)
    for pack, counted in ((RETIRING_2023.id, False), ("hanoi-de-an-34", True)):
        women = next(q for q in scope.quotas if (q.pack, q.quota) == (pack, "quota.women"))
        assert ("X1-4" in women.not_counted) is counted, pack
        assert len(women.counted) + len(women.not_counted) == (6 if counted else 5)


# -- 2. rating look-back ------------------------------------------------------------------------


#: Đề án 34 as read before the reform (with the replacement rules on ratings), declaring the look-back of
#: the post-reform packs (the 2023.11.2 version declared it)
PACK_2023 = declaring(DE_AN_2023, rating_lookback_years=2)


def two_years(*years: int) -> list[Official]:
    return [person("N1", "committee_chair", ratings=tuple((y, "not_completed") for y in years))]


@pytest.mark.parametrize(("as_of", "expected"), [(date(2026, 12, 31), True), (date(2027, 1, 1), False)])
def test_ratings_at_the_look_back_edge(backend: str, as_of: date, expected: bool) -> None:
    # latest rating 2024: current up to the end of 2026 (look-back 2 years), not on 2027-01-01
    report = Engine([PACK_2023], backend=backend).evaluate(two_years(2023, 2024), [COMMUNE], as_of)
    rules = {f.rule for f in report.findings if f.subject_id == "N1"}
    assert ("replacement.two_years_not_completed" in rules) is expected
    assert ("replacement.not_completed" in rules) is expected
    # the 2023 pack as shipped has no look-back (SEMANTICS 10): the ratings of 2024 are the latest, however old
    shipped = Engine([DE_AN_2023], backend=backend).evaluate(two_years(2023, 2024), [COMMUNE], as_of)
    assert {f.rule for f in shipped.findings if f.subject_id == "N1"} == {
        "replacement.not_completed", "replacement.two_years_not_completed"}


def test_old_ratings_do_not_fire_years_later_and_recent_ones_do(backend: str) -> None:
    engine = Engine([PACK_2023], backend=backend)
    old = engine.evaluate(two_years(2021, 2022), [COMMUNE], date(2026, 12, 1))
    assert not [f for f in old.findings if f.family == "replacement"]
    recent = engine.evaluate(two_years(2024, 2025), [COMMUNE], date(2026, 12, 1))
    assert {f.rule for f in recent.findings if f.family == "replacement"} == {
        "replacement.not_completed", "replacement.two_years_not_completed"}


def test_the_post_reform_packs_declare_the_look_back(backend: str) -> None:
    """The built-in packs in effect from 2025-07-01 declare a look-back of 2 years: ratings of 2021 and 2022
    are not current on 2026-12-01, those of 2024 and 2025 are."""
    engine = Engine(["vn-commune-2tier"], backend=backend)
    assert {p.rating_lookback_years for p in engine.packs} == {2}
    cadre = [person("N1", "committee_chair", category="cadre",
                    ratings=((2021, "not_completed"), (2022, "not_completed")))]
    old = engine.evaluate(cadre, [COMMUNE], date(2026, 12, 1))
    assert "replacement.two_years_not_completed" not in {f.rule for f in old.findings}
    recent = [attrs.evolve(cadre[0], ratings=((2024, "not_completed"), (2025, "not_completed")))]
    assert "replacement.two_years_not_completed" in {
        f.rule for f in engine.evaluate(recent, [COMMUNE], date(2026, 12, 1)).findings}


def test_a_2021_rating_is_current_in_2024_for_the_2023_packs(backend: str) -> None:
    """SEMANTICS 10, 19: no look-back: on 2024-06-30 the latest rating of an official rated up to 2021 is
    that of 2021 (the run of two ``not_completed`` ending there fires)."""
    report = Engine([DE_AN_2023], backend=backend).evaluate(two_years(2020, 2021), [COMMUNE], date(2024, 6, 30))
    assert {f.rule for f in report.findings if f.subject_id == "N1"} == {
        "replacement.not_completed", "replacement.two_years_not_completed"}
    assert report.packs[0].version == "2023.11.4"
    # a pack declaring the look-back reads them as not current
    declared = Engine([PACK_2023], backend=backend).evaluate(two_years(2020, 2021), [COMMUNE], date(2024, 6, 30))
    assert not [f for f in declared.findings if f.family == "replacement"]


def test_the_look_back_is_a_pack_parameter(backend: str) -> None:
    engine = Engine([PACK_2023], backend=backend, params={"hanoi-de-an-34-declaring.rating_lookback_years": "1"})
    report = engine.evaluate(two_years(2023, 2024), [COMMUNE], date(2026, 1, 1))
    assert "replacement.two_years_not_completed" not in {f.rule for f in report.findings}
    assert engine.packs[0].rating_lookback_years == 1
    default = Engine([PACK_2023], backend=backend).evaluate(two_years(2023, 2024), [COMMUNE], date(2026, 1, 1))
    assert "replacement.two_years_not_completed" in {f.rule for f in default.findings}
    # a pack that does not declare it has no look-back, and params (the command line's --param) cannot give it one
    assert Engine([DE_AN_2023], backend="reference").packs[0].rating_lookback_years is None
    with pytest.raises(PackError, match=": params names no parameter of pack 'hanoi-de-an-34'"):
        Engine([DE_AN_2023], backend="reference", params={"hanoi-de-an-34.rating_lookback_years": "1"})


def test_a_named_year_is_read_whatever_its_age() -> None:
    pack = parse_pack({"pack": {"id": "p", "version": "1", "title": "p"},
                       "rule": [{"id": "replacement.old", "family": "replacement", "when": "rating(2021) == 'not_completed'",
                                 "message": "m", "cite": "c"}]})
    report = Engine([pack], backend="reference").evaluate(two_years(2021), [COMMUNE], date(2026, 12, 1))
    assert [f.rule for f in report.findings] == ["replacement.old"]


@pytest.mark.parametrize("value", [-1, 1.5, "one", True])
def test_a_bad_look_back_is_a_located_pack_error(value: object) -> None:
    with pytest.raises(PackError) as caught:
        parse_pack({"pack": {"id": "p", "version": "1", "title": "p"}, "params": {"rating_lookback_years": value},
                    "rule": [{"id": "r", "family": "replacement", "when": "latest_rating == 'good'",
                              "message": "m", "cite": "c"}]})
    assert any(p.column == "params.rating_lookback_years" for p in caught.value.problems)


@pytest.mark.parametrize("value", ['"yes"', "1", "0", "2024-01-01"])
def test_a_non_boolean_retirement_reading_is_a_located_error_in_vi_and_en(tmp_path: Path, value: str) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text('[pack]\nid = "p"\nversion = "1"\ntitle = "p"\n\n[params]\n'
                    f"retirement_ends_service = {value}\n\n"
                    '[[rule]]\nid = "rotation.r"\nfamily = "rotation"\nwhen = "age > 200"\nmessage = "m"\ncite = "c"\n',
                    encoding="utf-8")
    for lang, expected in (("en", "expected true or false"), ("vi", "cần true hoặc false")):
        result = CliRunner().invoke(cli, ["packs", "validate", str(pack), "--lang", lang])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"  {pack}, params.retirement_ends_service: {expected} (" in result.stderr
    pack.write_text(pack.read_text(encoding="utf-8").replace(f"= {value}", "= true"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["packs", "validate", str(pack)]).exit_code == 0


def test_the_readings_are_declared_by_the_post_reform_packs_only() -> None:
    """The built-in packs in effect from 2025-07-01 declare both readings; the 2023 packs neither."""
    engine = Engine(backend="reference", plugins=False)
    readings = {p.ref: (p.rating_lookback_years, p.retirement_ends_service) for p in engine.packs}
    for ref, reading in readings.items():
        pack = next(p for p in engine.packs if p.ref == ref)
        post_reform = pack.effective_from is not None and pack.effective_from >= DISTRICTS_ABOLISHED
        assert reading == ((2, True) if post_reform else (None, False)), ref
    assert readings["hanoi-de-an-34@2023.11.4"] == (None, False)
    assert readings["vn-commune-2tier@2026.01.4"] == (2, True)


# -- 3. stale data ------------------------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "stale"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_stale_threshold_edge_declared(as_of: date, stale: bool) -> None:
    report = Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(
        commune(chair_born=date(1980, 1, 1)), [COMMUNE], as_of, data_as_of=date(2024, 12, 31))
    assert report.data_as_of is not None
    assert (report.data_as_of.date, report.data_as_of.source, report.data_as_of.stale) == (
        date(2024, 12, 31), "declared", stale)
    assert any(n.startswith("stale data: the data are of 2024-12-31 (declared)") for n in report.notes) is stale
    assert [n.kind for n in report.notices if n.kind == "stale_data"] == (["stale_data"] if stale else [])


def test_the_data_date_is_the_newest_date_in_the_records() -> None:
    people = [person("D1", appointed_on=date(2023, 3, 1)), person("D2", ratings=((2023, "good"),)),
              person("D3", discipline=((date(2024, 2, 1), "reprimand"),)),
              person("D4", secondment_since=date(2022, 1, 1))]
    report = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, [COMMUNE], date(2025, 2, 1))
    assert report.data_as_of is not None
    assert (report.data_as_of.date, report.data_as_of.source, report.data_as_of.stale) == (
        date(2024, 2, 1), "inferred", False)
    later = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, [COMMUNE], date(2025, 2, 2))
    assert later.data_as_of is not None and later.data_as_of.stale
    newer = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, [COMMUNE], date(2020, 1, 1))
    assert newer.data_as_of is not None and not newer.data_as_of.stale  # an earlier date evaluated on purpose
    undated = Engine(["hanoi-de-an-34"], backend="reference").evaluate([person("U1")], [COMMUNE], date(2030, 1, 1))
    assert undated.data_as_of is not None and (undated.data_as_of.date, undated.data_as_of.stale) == (None, False)


# -- 4. family coverage -------------------------------------------------------------------------


def coverage(report: Report) -> dict[str, tuple[str, str | None]]:
    return {c.family: (c.status, c.reason) for c in report.coverage}


def test_coverage_on_both_sides_of_the_reform() -> None:
    engine = Engine(backend="reference", lang="en", plugins=False)
    people = commune(chair_born=date(1980, 1, 1))
    every = ("staffing", "quota", "qualification", "rotation", "replacement")
    before = coverage(engine.evaluate(people, [COMMUNE], date(2025, 6, 30)))
    assert before == dict.fromkeys(every, ("checked", None))
    # from 2025-07-01 vn-commune-2tier replaces vn-nd33-2023 and hanoi-ke-hoach-188: nothing to say
    after_report = engine.evaluate(people, [COMMUNE], DISTRICTS_ABOLISHED)
    assert coverage(after_report) == dict.fromkeys(every, ("checked", None))
    assert {p.id for p in after_report.packs} == {"hanoi-de-an-34", "vn-commune-2tier"}
    assert not [n for n in after_report.notices if n.kind == "coverage"]


def _pack(pack_id: str, family: str, **meta: object) -> Pack:
    return parse_pack({"pack": {"id": pack_id, "version": "1", "title": pack_id, **meta},
                       "rule": [{"id": f"{family}.r", "family": family, "when": "age > 200", "message": "m",
                                 "cite": "c"}]})


def test_a_pack_replaced_by_one_without_the_family_says_so() -> None:
    old = _pack("old-rotation", "rotation", effective={"from": date(2020, 1, 1)})
    new = _pack("new-standards", "qualification", effective={"from": date(2025, 7, 1)}, replaces=["old-rotation"])
    known = succeed([old, new])
    after = {c.family: (c.status, c.reason) for c in _asof.coverage([known[1]], known, date(2025, 8, 1), "en")}
    assert after["rotation"] == ("not_checked", "old-rotation@1 replaced by new-standards@1 from 2025-07-01")
    assert after["qualification"] == ("checked", None)
    before = {c.family: (c.status, c.reason) for c in _asof.coverage([known[0]], known, date(2025, 6, 30), "en")}
    assert before["rotation"] == ("checked", None)
    assert before["qualification"] == ("not_checked", "new-standards@1 takes effect 2025-07-01")


def test_a_family_with_no_pack_in_effect_is_not_checked_with_why() -> None:
    engine = Engine(backend="reference", lang="en", plugins=False)
    people = commune(chair_born=date(1980, 1, 1))
    report = engine.evaluate(people, [COMMUNE], date(2023, 11, 5))
    cover = coverage(report)
    assert cover["rotation"] == ("not_checked", "hanoi-ke-hoach-188@2023.11.3 takes effect 2023-11-06")
    assert cover["qualification"] == ("checked", None)  # a pack of the family to come is no news
    assert "Rotation: not checked on 2023-11-05: hanoi-ke-hoach-188@2023.11.3 takes effect 2023-11-06" in report.notes
    assert [n.family for n in report.notices if n.severity == "warning"] == ["quota", "rotation", "replacement"]
    assert coverage(engine.evaluate(people, [COMMUNE], date(2023, 11, 6)))["rotation"] == ("checked", None)
    only = Engine(["vn-nd33-2023"], backend="reference", lang="en").evaluate(people, [COMMUNE], date(2024, 1, 1))
    assert coverage(only)["rotation"] == ("not_checked", "no pack evaluated has rules of this family")
    assert not only.notices  # packs named: the user chose the families (the report's coverage still says it)


# -- 5. districts -------------------------------------------------------------------------------


def districted() -> tuple[list[Official], list[Unit]]:
    return [*commune("X1", date(1980, 1, 1)), *commune("X2", date(1980, 1, 1))], [COMMUNE, COMMUNE_2]


def test_a_districted_dataset_before_the_reform_keeps_districts() -> None:
    people, units = districted()
    report = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, units, date(2025, 6, 30))
    assert report.districts == "kept"
    assert {m.scope_id for m in report.metrics if m.scope == "district"} == {"Ba Vì", "Đống Đa"}


def test_a_districted_dataset_after_the_reform_drops_them_with_a_note(backend: str) -> None:
    people, units = districted()
    report = Engine(["hanoi-de-an-34"], backend=backend, lang="en").evaluate(people, units, DISTRICTS_ABOLISHED)
    assert report.districts == "dropped"
    assert {m.scope for m in report.metrics} == {"city", "unit"}
    assert report.unit_districts == {}
    # (the API's own argument: session 17; the command line says --legacy-districts)
    assert ("the districts were abolished on 2025-07-01: the districts of 2 units are not aggregated (scopes: city "
            "and unit); legacy_districts=True aggregates by former district") in report.notes
    legacy = Engine(["hanoi-de-an-34"], backend=backend, lang="en", legacy_districts=True).evaluate(
        people, units, DISTRICTS_ABOLISHED)
    assert legacy.districts == "legacy"
    assert {m.scope_id for m in legacy.metrics if m.scope == "district"} == {"Ba Vì", "Đống Đa"}
    assert any(n.startswith("aggregated by former district (legacy_districts=True)") for n in legacy.notes)
    # the same figures, with or without the district level
    assert [m for m in legacy.metrics if m.scope != "district"] == list(report.metrics)


def every_format(report: Report) -> dict[str, str]:
    """The report in every format, as text (xlsx: its sheets' XML)."""
    with zipfile.ZipFile(io.BytesIO(render_xlsx(report, "en"))) as book:
        sheets = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/"))
    return {"csv": render_csv(report, "en").decode("utf-8-sig"), "jsonl": render_jsonl(report, "en"),
            "html": render_html(report, "en"), "xlsx": sheets, "sarif": render_sarif(report, "en"),
            "junit": render_junit(report, "en"), "json": report_to_json(report)}


def test_a_dataset_without_districts_has_no_district_level_in_any_format() -> None:
    people = [*commune("X1", date(1980, 1, 1)), *commune("X2", date(1980, 1, 1))[:3]]
    report = Engine(HANOI, backend="reference", lang="en").evaluate(people, FLAT, date(2026, 1, 1))
    assert report.districts == "none"
    assert {m.scope for m in report.metrics} == {"city", "unit"}
    # (these people have no ratings, no in_planning…: the rules not decided are noticed, nothing else)
    assert report.notices and {n.kind for n in report.notices} == {"undecided"}
    out = every_format(report)
    assert json.loads(out["json"])["districts"] == "none"
    assert 'id="districts"' not in out["html"] and 'id="district-filter"' not in out["html"]
    assert "District" not in out["html"] and "No district" not in out["html"]
    assert "Findings by scope and family" in out["html"]
    assert "District" not in out["xlsx"] and ">district<" not in out["xlsx"]
    assert "district" not in out["csv"] + out["jsonl"] + out["sarif"] + out["junit"]
    assert "vacancy" in out["csv"]  # (the second commune has vacant posts: findings were rendered)
    # the districted dataset shows its districts in the same formats
    people, units = districted()
    kept = every_format(Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(
        people, units, date(2025, 6, 30)))
    assert 'id="districts"' in kept["html"] and "District" in kept["xlsx"]


def test_notices_and_the_retirement_finding_in_every_format() -> None:
    people, units = districted()
    people = [*people, person("R9", "culture_social", "X2", born=BORN)]
    report = Engine(HANOI, backend="reference", lang="en").evaluate(
        people, units, DISTRICTS_ABOLISHED, data_as_of=date(2024, 1, 1))
    assert [n.kind for n in report.notices if n.kind != "undecided"] == ["stale_data", "districts"]
    assert any(n.kind == "undecided" for n in report.notices)  # (no ratings…: tested in test_undecided.py)
    out = every_format(report)
    for name, text in out.items():
        assert "stale data: the data are of 2024-01-01" in text, name
        assert "the districts were abolished on 2025-07-01" in text, name
        assert "R9" in text and "past retirement age on the as-of date" in text, name
    rows = list(csv.reader(io.StringIO(out["csv"])))
    assert [r[:5] for r in rows if r[4] == "report" and r[1] != "notice.undecided"] == [
        ["cadre-rules", "notice.stale_data", "", "warning", "report"],
        ["cadre-rules", "notice.districts", "", "info", "report"],
        ["cadre-rules", "report.basis", "", "info", "report"]]  # (#16 §5: what the report rests on)
    lines = [json.loads(line) for line in out["jsonl"].splitlines()]
    assert [line["rule"] for line in lines if line["subject"]["kind"] == "report" and line["rule"] != "notice.undecided"] == [
        "notice.stale_data", "notice.districts", "report.basis"]
    assert all(set(line) == set(lines[0]) for line in lines)  # notices have the keys of findings
    sarif = json.loads(out["sarif"])["runs"][0]
    assert [n["descriptor"]["id"] for n in sarif["invocations"][0]["toolExecutionNotifications"]
            if n["descriptor"]["id"] != "notice.undecided"] == [
        "notice.stale_data", "notice.districts"]
    suite = next(s for s in ET.fromstring(out["junit"]) if s.get("name") == "cadre-rules")
    assert [c.get("name") for c in suite if c.tag == "testcase" and not c.get("name").startswith("notice.undecided")] == [
        "staffing.past_retirement", "notice.stale_data", "notice.districts"]
    assert '<details class="group" open><summary>Notes (' in out["html"]  # read before the findings
    data = json.loads(out["json"])
    assert data["data_as_of"] == {"date": "2024-01-01", "source": "declared", "stale": True, "stale_after_months": 12}
    assert data["districts"] == "dropped"


def test_a_family_not_checked_is_a_skipped_junit_case() -> None:
    report = Engine(backend="reference", lang="en", plugins=False).evaluate(
        commune(chair_born=date(1980, 1, 1)), [COMMUNE], date(2023, 9, 1))  # only vn-nd33-2023 in effect
    suite = next(s for s in ET.fromstring(render_junit(report)) if s.get("name") == "cadre-rules")
    skipped = [c.get("name") for c in suite if c.find("skipped") is not None]
    assert skipped == ["notice.coverage.quota", "notice.coverage.rotation", "notice.coverage.replacement"]
    assert suite.get("skipped") == "3"


# -- CLI ----------------------------------------------------------------------------------------


def write(folder: Path, people: list[Official], units: list[Unit]) -> Path:
    folder.mkdir()
    (folder / "units.csv").write_text("code,name,kind,class,district\n" + "".join(
        f"{u.code},{u.name},{u.kind},{u.unit_class},{u.district or ''}\n" for u in units), encoding="utf-8")
    (folder / "officials.csv").write_text("id,full_name,gender,birth_date,unit,position,education,political_theory\n"
                                          + "".join(f"{o.id},Tên,{o.gender},{o.birth_date},{o.unit},{o.position},"
                                                    f"{o.education},{o.political_theory}\n" for o in people),
                                          encoding="utf-8")
    return folder


def test_cli_legacy_districts_and_data_as_of(tmp_path: Path) -> None:
    people, units = districted()
    data = write(tmp_path / "d", people, units)
    base = ["evaluate", str(data), "--pack", "hanoi-de-an-34", "--as-of", "2026-01-01", "--format", "json",
            "--lang", "en", "--fail-on", "never"]
    dropped = json.loads(CliRunner().invoke(cli, base).stdout)
    assert dropped["districts"] == "dropped" and dropped["data_as_of"]["date"] is None
    legacy = json.loads(CliRunner().invoke(cli, [*base, "--legacy-districts", "--data-as-of", "2024-12-31"]).stdout)
    assert legacy["districts"] == "legacy"
    assert any(m["scope"] == "district" for m in legacy["metrics"])
    assert legacy["data_as_of"] == {"date": "2024-12-31", "source": "declared", "stale": True,
                                    "stale_after_months": 12}
    bad = CliRunner().invoke(cli, [*base, "--data-as-of", "2024-13-01"])
    assert bad.exit_code == 2 and "--data-as-of" in bad.output and "Traceback" not in bad.output


def test_cli_text_says_it_before_the_findings(tmp_path: Path) -> None:
    people, units = districted()
    data = write(tmp_path / "d", people, [Unit(u.code, u.name, u.kind, u.unit_class) for u in units])
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", "2023-11-05", "--lang", "en",
                                      "--data-as-of", "2022-06-30", "--no-plugins"])
    text = result.stdout
    assert text.index("stale data:") < text.index("Findings by family")
    assert text.index("Rotation: not checked on 2023-11-05") < text.index("Findings by family")
    assert " district " not in text and "the districts were abolished" not in text  # none in the data


def test_the_training_view_has_no_district_level_without_districts() -> None:
    from cadre_rules.report._training import render_training

    people = [person("T1", "committee_chair", education="college"), person("T2", "council_chair", "X2",
                                                                           political_theory="elementary")]
    flat = Engine(["vn-nd33-2023"], backend="reference", lang="en").evaluate(people, FLAT, date(2024, 6, 30))
    text = render_training(flat, lang="en")
    assert "All units (2)" in text and "no district" not in text
    kept = Engine(["vn-nd33-2023"], backend="reference", lang="en").evaluate(people, [COMMUNE, COMMUNE_2],
                                                                            date(2024, 6, 30))
    assert "Ba Vì (1)" in render_training(kept, lang="en")


@pytest.mark.parametrize(("people", "expected"), [
    ([], True),
    ([("male", date(1969, 1, 1))], True),  # 57 on 2026-01-01: a man serves to 61 and 3 months
    ([("female", date(1969, 1, 1))], False),  # a woman retired at 56 and 8 months
    # the earliest birth (the man's) is before the woman's: she is retired all the same
    ([("male", date(1966, 1, 1)), ("female", date(1969, 1, 1))], False),
    ([("male", date(1966, 1, 1)), ("female", date(1975, 1, 1))], True),
    ([("female", date(1975, 1, 1)), ("male", date(1960, 1, 1))], False),
])
def test_none_retired_is_retired_of_all_false(people: list[tuple[str, date]], expected: bool) -> None:
    """The C fast path of ``_asof.serving``: no one retired exactly when ``retired_of`` says so for each."""
    calendar = Calendar(date(2026, 1, 1), 2)
    officials = [Official(f"O{i}", "Tên", gender, born, "U1", "committee_chair", "university", "intermediate")
                 for i, (gender, born) in enumerate(people)]
    assert calendar.none_retired(officials) is expected
    assert expected is not any(calendar.retired_of(officials))


def test_the_2023_plans_message_reads_for_an_official_past_retirement_age() -> None:
    """The message of ``rotation.retiring_soon`` says what a negative number of months means (SEMANTICS 26:
    still listed past retirement age): not "-12 months left"."""
    people = [person("S1", "office_statistics", born=BORN, appointed_on=date(2020, 1, 1))]
    for lang, expected in (
            ("vi", f"Ngày nghỉ hưu {RETIRES:%d/%m/%Y} (số tháng đến ngày đó: -12; số âm là đã quá tuổi nghỉ hưu, "
                   "cần cập nhật): chuẩn bị nhân sự kế cận"),
            ("en", f"Retirement date {RETIRES.isoformat()} (months to it: -12; negative: past retirement age, "
                   "to be recorded): succession needed")):
        report = Engine([PLAN_2023], backend="reference", lang=lang).evaluate(people, [COMMUNE], date(2026, 7, 1))
        assert [f.message for f in report.findings if f.rule == "rotation.retiring_soon"] == [expected]
