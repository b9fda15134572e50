"""``cadre-rules project`` (issue #19, docs/project.md): hand-checked boundaries, the plan's located errors,
"what it takes" checked by the engine (k appointments meet the target, k - 1 do not), and the formats."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from datetime import datetime
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._cli import cli
from cadre_rules.engine import _durable
from cadre_rules.engine._asof import last_day_in_post
from cadre_rules.jobs._plan import PlanEvent
from cadre_rules.jobs._plan import load_plan
from cadre_rules.jobs._project import Projection
from cadre_rules.jobs._project import Series
from cadre_rules.jobs._project import needed_appointments
from cadre_rules.jobs._project import project
from cadre_rules.jobs._project import step_dates
from cadre_rules.jobs._project_formats import projection_to_dict
from cadre_rules.jobs._project_formats import render_projection
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._packs import Pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.report._needed import metric_needed

BACKENDS = ["reference", "durable"] if _durable.AVAILABLE else ["reference"]
KEY = ["party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair", "committee_chair",
       "committee_vice_chair", "front_chair"]
UNITS = [Unit("X1", "Xã Một", "commune", 1), Unit("X2", "Xã Hai", "commune", 2)]
WOMAN_ON_SC = "count('standing_committee') > 0 and count(\"standing_committee and gender == 'female'\") == 0"


def projection_pack(min_share: float = 0.5) -> Pack:
    """Young key officials ≥ ``min_share`` (city, unit) and a woman on each standing committee."""
    return parse_pack({
        "pack": {"id": "t-project", "version": "1", "title": "t"},
        "params": {"young_age": 35, "young_min_share": min_share},
        "key_positions": {"codes": KEY},
        "quota": [{"id": "quota.young", "family": "quota", "population": "is_key", "numerator": "age < young_age",
                   "min_share": "young_min_share", "scopes": ["city", "unit"], "severity": "warning",
                   "message": "m", "cite": "c"}],
        "rule": [{"id": "quota.woman_standing_committee", "family": "quota", "subject": "unit",
                  "severity": "warning", "when": WOMAN_ON_SC, "message": "m", "cite": "c"}],
    })


def person(ident: str, born: date, *, position: str = "committee_vice_chair", unit: str = "X1",
           gender: str = "male", **kw: object) -> Official:
    return Official(ident, f"Tên {ident}", gender, born, unit, position, "university", "intermediate",
                    **kw)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    return Engine([projection_pack()], backend=request.param, plugins=False)


def series(p: Projection, target: str, scope: str = "city", scope_id: str | None = None) -> Series:
    return next(s for s in p.series if s.id == target and s.scope == scope
                and (scope_id is None or s.scope_id == scope_id))


def values(s: Series) -> list[tuple[str, int, int, bool | None]]:
    return [(x.date.isoformat(), x.numerator, x.denominator, x.met) for x in s.points]


# -- steps ----------------------------------------------------------------------------------------------
def test_step_dates_by_month_arithmetic_from_the_as_of_date_and_the_last_is_to() -> None:
    assert step_dates(date(2026, 1, 31), date(2026, 4, 15), "month") == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 15)]
    assert step_dates(date(2026, 1, 1), date(2028, 1, 1), "year") == [date(2026, 1, 1), date(2027, 1, 1),
                                                                       date(2028, 1, 1)]
    assert step_dates(date(2026, 1, 1), date(2026, 1, 1), "quarter") == [date(2026, 1, 1)]
    with pytest.raises(ValueError, match="before the as-of date"):
        step_dates(date(2026, 1, 2), date(2026, 1, 1), "year")


# -- boundaries (hand-checked) -----------------------------------------------------------------------------
def test_turning_35_on_the_step_date_no_longer_counts_as_young(engine: Engine) -> None:
    # born 1991-03-01: 34 on 2026-02-01, 35 on 2026-03-01 (the step date itself)
    officials = [person("young", date(1991, 3, 1)), person("old", date(1976, 1, 1), position="committee_chair")]
    p = project(engine, officials, UNITS, date(2026, 3, 1), as_of=date(2026, 1, 1), step="month")
    assert values(series(p, "quota.young")) == [("2026-01-01", 1, 2, True), ("2026-02-01", 1, 2, True),
                                                ("2026-03-01", 0, 2, False)]
    assert series(p, "quota.young").first_unmet == date(2026, 3, 1)


def test_retiring_on_the_step_date_still_serves_and_is_gone_the_day_after(engine: Engine) -> None:
    born = date(1964, 3, 15)  # a man: retirement date 2025-06-30
    assert retirement_date(born, "male") == date(2025, 6, 30)
    officials = [person("chair", born, position="committee_chair"), person("young", date(2000, 1, 1)),
                 person("p", date(1990, 1, 1), position="front_chair", in_planning=True)]
    p = project(engine, officials, UNITS, date(2025, 7, 1), as_of=date(2025, 6, 30), step="month")
    assert values(series(p, "quota.young")) == [("2025-06-30", 1, 3, False), ("2025-07-01", 1, 2, True)]
    assert [(d.official.id, d.retirement_date, [o.id for o in d.in_planning]) for d in p.succession] == [
        ("chair", date(2025, 6, 30), ["p"])]
    assert [s.serving for s in p.steps] == [3, 2]


def test_a_woman_leaving_the_standing_committee_fails_the_unit_from_that_date(engine: Engine) -> None:
    officials = [person("w", date(1980, 1, 1), gender="female", standing_committee=True),
                 person("m", date(1980, 1, 1), position="committee_chair", standing_committee=True)]
    plan = [PlanEvent(date(2026, 2, 1), "move", "w", standing_committee=False, row="plan.csv, row 2")]
    p = project(engine, officials, UNITS, date(2026, 3, 1), as_of=date(2026, 1, 1), step="month", plan=plan)
    s = series(p, "quota.woman_standing_committee", "unit", "X1")
    assert s.kind == "rule"
    assert [x.met for x in s.points] == [True, False, False]
    assert s.first_unmet == date(2026, 2, 1)
    # without the plan the rule never fires: no series (met at every step)
    p0 = project(engine, officials, UNITS, date(2026, 3, 1), as_of=date(2026, 1, 1), step="month")
    assert not [x for x in p0.series if x.id == "quota.woman_standing_committee"]


def test_an_event_on_the_as_of_date_applies_at_the_first_step(engine: Engine) -> None:
    officials = [person("old", date(1970, 1, 1))]
    plan = [PlanEvent(date(2026, 1, 1), "appointment", "new", full_name="Mới", gender="female",
                      birth_date=date(2000, 5, 5), unit="X1", position="front_chair", education="university",
                      political_theory="elementary", row="plan.csv, row 2")]
    p = project(engine, officials, UNITS, date(2027, 1, 1), as_of=date(2026, 1, 1), plan=plan)
    assert values(series(p, "quota.young")) == [("2026-01-01", 1, 2, True), ("2027-01-01", 1, 2, True)]
    assert p.events == 1


def test_a_departure_and_a_qualification_take_effect_on_their_dates(engine: Engine) -> None:
    officials = [person("a", date(2000, 1, 1)), person("b", date(1970, 1, 1))]
    plan = [PlanEvent(date(2026, 7, 1), "departure", "a", how="resignation", row="plan.csv, row 2")]
    p = project(engine, officials, UNITS, date(2027, 1, 1), as_of=date(2026, 1, 1), step="quarter", plan=plan)
    assert [x.numerator for x in series(p, "quota.young").points] == [1, 1, 0, 0, 0]


# -- the projection is evaluate at each step ---------------------------------------------------------------
def test_each_step_is_evaluate_on_that_date_without_the_retired(engine: Engine) -> None:
    officials = [person(f"o{i}", date(1962 + 3 * i, 1 + i % 12, 1), unit=UNITS[i % 2].code,
                        gender="female" if i % 3 else "male", standing_committee=i % 4 == 0) for i in range(12)]
    p = project(engine, officials, UNITS, date(2030, 6, 30), as_of=date(2025, 1, 1), step="year")
    for step in p.steps:
        serving = [o for o in officials if retirement_date(o.birth_date, o.gender) >= step.date]
        report = engine.evaluate(serving, UNITS, step.date)
        expected = {(m.id, m.scope, m.scope_id): (m.numerator, m.denominator, m.met) for m in report.metrics}
        got = {(s.id, s.scope, s.scope_id): (x.numerator, x.denominator, x.met)
               for s in p.series if s.kind == "metric" for x in s.points if x.date == step.date}
        assert got == expected
        assert step.serving == len(serving)


# -- what it takes -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "d", "t", "op", "how", "leavers", "k"), [
    (0, 10, "1/2", ">=", "added", 0, 10),          # 10/20
    (3, 10, "1/2", ">=", "added", 0, 4),           # 7/14
    (5, 10, "1/2", ">=", "added", 0, 0),
    (0, 10, "1/2", ">=", "replacing", 4, 7),        # the 4 leavers and 3 not counted replaced: 7/14
    (9, 10, "1", ">=", "replacing", 0, 1),          # the one not counted replaced: 10/10 (as the report says)
    (9, 10, "1", ">=", "replacing", 2, 3),          # the 2 leavers and the one not counted: 12/12
    (3, 10, "1/2", ">=", "replacing", 0, 2),        # 5/10: the report's ⌈t·d⌉ − n
    (4, 6, "1/2", ">=", "replacing", 4, 1),         # 5/10
    (3, 5, "1/2", ">=", "replacing", 1, 0),         # the leaver replaced by anyone: 3/6
    (9, 10, "1", ">=", "added", 0, None),           # never 100% by adding
    (0, 0, "1/10", ">=", "added", 0, 1),
    (5, 10, "1/5", "<=", "added", 0, 15),           # 5/25
    (5, 10, "1/5", "<=", "replacing", 3, 15),       # (5 + 3 - k)/13 never ≤ 1/5 for k ≤ 3: added, 5/25
])
def test_needed_appointments(n: int, d: int, t: str, op: str, how: str, leavers: int, k: int | None) -> None:
    from fractions import Fraction

    assert needed_appointments(n, d, Fraction(t), op, how, leavers) == k  # type: ignore[arg-type]


def _young(i: int, on: date, unit: str = "X1") -> PlanEvent:
    return PlanEvent(on, "appointment", f"new{i}", full_name=f"Người {i}", gender="male",
                     birth_date=date(2001, 1, 1), unit=unit, position="committee_vice_chair", education="university",
                     political_theory="elementary", row=f"plan.csv, row {i + 2}")


def _old(i: int, on: date, unit: str = "X1") -> PlanEvent:
    return attrs_evolve(_young(i, on, unit), official=f"old{i}", birth_date=date(1975, 1, 1))


def attrs_evolve(event: PlanEvent, **changes: object) -> PlanEvent:
    import attrs

    return attrs.evolve(event, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("population", [4, 7, 10])
def test_the_smallest_number_added_meets_the_target_and_one_fewer_does_not(engine: Engine, population: int) -> None:
    to, as_of = date(2027, 1, 1), date(2026, 1, 1)
    officials = [person(f"o{i}", date(1975, 1, 1)) for i in range(population)]
    base = project(engine, officials, UNITS, to, as_of=as_of)
    k = series(base, "quota.young").needed("added")
    assert k is not None and k > 0
    met = project(engine, officials, UNITS, to, as_of=as_of, plan=[_young(i, to) for i in range(k)])
    fewer = project(engine, officials, UNITS, to, as_of=as_of, plan=[_young(i, to) for i in range(k - 1)])
    assert series(met, "quota.young").last.met is True
    assert series(fewer, "quota.young").last.met is False


def test_the_smallest_number_replacing_leavers_meets_the_target_and_one_fewer_does_not(engine: Engine) -> None:
    as_of, to = date(2026, 1, 1), date(2028, 1, 1)
    leaving = [person(f"r{i}", date(1965, 1, 1)) for i in range(4)]  # men retiring in 2026
    staying = [person(f"s{i}", date(1975, 1, 1)) for i in range(4)] + [person("y", date(1998, 1, 1))]
    officials = leaving + staying
    base = project(engine, officials, UNITS, to, as_of=as_of)
    s = series(base, "quota.young")
    assert s.leavers == 4
    assert values(s)[-1] == ("2028-01-01", 1, 5, False)
    k = s.needed("replacing")
    assert k == 4  # (1 + 4) / (5 + 4) ≥ 1/2
    def plan(young: int) -> list[PlanEvent]:
        return [_young(i, to) for i in range(young)] + [_old(i, to) for i in range(young, s.leavers)]

    assert series(project(engine, officials, UNITS, to, as_of=as_of, plan=plan(k)), "quota.young").last.met is True
    assert series(project(engine, officials, UNITS, to, as_of=as_of, plan=plan(k - 1)),
                  "quota.young").last.met is False


def _replaced(i: int, on: date, official: str) -> list[PlanEvent]:
    """A serving official not counted leaves on ``on`` and a young one is appointed in their place."""
    return [PlanEvent(on, "departure", official, how="resignation", row=f"plan.csv, row {i + 100}"), _young(i, on)]


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_the_smallest_number_replacing_beyond_the_leavers_meets_the_target(engine: Engine, share: float) -> None:
    """Replacing goes on past the leavers: the appointments take the places of serving officials who are not
    counted (a 100% share too, which no number of additions reaches); k meet the target, k - 1 do not."""
    engine = Engine([projection_pack(share)], backend=engine.backend.name, plugins=False)
    as_of, to = date(2026, 1, 1), date(2028, 1, 1)
    leaving = [person(f"r{i}", date(1965, 1, 1)) for i in range(2)]  # men retiring in 2026
    staying = [person(f"s{i}", date(1975, 1, 1)) for i in range(6)] + [person("y", date(1998, 1, 1))]
    officials = leaving + staying
    s = series(project(engine, officials, UNITS, to, as_of=as_of), "quota.young")
    assert (s.leavers, values(s)[-1]) == (2, ("2028-01-01", 1, 7, False))
    k = s.needed("replacing")
    assert k == (4 if share == 0.5 else 8)  # 5/9 ≥ 1/2; 9/9
    assert s.needed("added") == (None if share == 1.0 else 5)  # (1 + 5)/(7 + 5) ≥ 1/2
    assert k is not None and k > s.leavers

    def plan(young: int) -> list[PlanEvent]:
        beyond = young - s.leavers  # serving officials not counted replaced
        return [*(_young(i, to) for i in range(min(young, s.leavers))),
                *(_old(i, to) for i in range(young, s.leavers)),
                *(e for i in range(beyond) for e in _replaced(10 + i, to, f"s{i}"))]

    assert series(project(engine, officials, UNITS, to, as_of=as_of, plan=plan(k)), "quota.young").last.met is True
    assert series(project(engine, officials, UNITS, to, as_of=as_of, plan=plan(k - 1)),
                  "quota.young").last.met is False


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_project_and_evaluate_say_the_same_more_needed(engine: Engine, share: float) -> None:
    """With no one leaving, what ``project`` says a share takes on ``--to`` is the report's "more needed" of the
    same date, both ways (one computation: report/_needed.py)."""
    engine = Engine([projection_pack(share)], backend=engine.backend.name, plugins=False)
    as_of, to = date(2026, 1, 1), date(2026, 6, 1)
    officials = [person(f"s{i}", date(1975, 1, 1), unit=f"X{1 + i % 2}") for i in range(7)] + \
        [person("y", date(1998, 1, 1)), person("z", date(1999, 1, 1), unit="X2")]
    p = project(engine, officials, UNITS, to, as_of=as_of)
    report = engine.evaluate(officials, UNITS, to)
    compared = 0
    for m in report.metrics:
        more = metric_needed(m)
        if more is None or m.id != "quota.young":
            continue
        s = series(p, m.id, m.scope, None if m.scope == "city" else m.scope_id)
        assert s.leavers == 0
        assert (s.needed("replacing"), s.needed("added")) == (more.replacing, more.adding)
        compared += 1
    assert compared == 3  # the city and both communes


# -- the plan: located errors ------------------------------------------------------------------------------
def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plan_with_vietnamese_headers_and_event_names(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path / "plan.csv", "Ngày,Sự kiện,Cán bộ,Đơn vị,Chức vụ\n"
                                                   "01/02/2026,luân chuyển,o1,X2,\n"
                                                   "2026-03-01,nghỉ hưu,o2,,\n"))
    assert [(e.date, e.event, e.how, e.official, e.unit) for e in plan] == [
        (date(2026, 2, 1), "move", "rotation", "o1", "X2"), (date(2026, 3, 1), "departure", "retirement", "o2", None)]


def test_a_json_plan(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path / "plan.json", json.dumps([
        {"date": "2026-02-01", "event": "qualification", "official": "o1", "political_theory": "advanced"}])))
    assert plan[0].political_theory == "advanced"


def test_unreadable_values_are_located(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.csv", "date,event,official,birth_date\n2026-13-01,move,o1,\n"
                                        "2026-01-01,promotion,o1,\n2026-01-01,appointment,n1,\n")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    where = [(p.row, p.column) for p in caught.value.problems]
    assert (2, "date") in where
    assert (3, "event") in where
    assert (4, "full_name") in where and (4, "birth_date") in where


def test_events_that_do_not_fit_the_data_are_located(engine: Engine, tmp_path: Path) -> None:
    officials = [person("o1", date(1980, 1, 1)), person("o2", date(1964, 3, 15), position="committee_chair")]
    path = write(tmp_path / "plan.csv", "date,event,official,unit,education\n"
                 "2025-12-31,move,o1,X2,\n"              # before the as-of date
                 "2026-02-01,move,nobody,X2,\n"          # unknown official
                 "2026-02-01,move,o1,X9,\n"              # unknown unit
                 "2026-03-01,departure,o1,,\n"
                 "2026-03-01,qualification,o1,,master\n"  # a second event the same day
                 "2026-04-01,move,o1,X2,\n"              # after the departure
                 "2026-05-01,qualification,o2,,college\n"  # retired 2025-06-30; also not higher
                 "2030-01-01,departure,o2,,\n")          # after --to
    with pytest.raises(InputError) as caught:
        project(engine, officials, UNITS, date(2027, 1, 1), as_of=date(2026, 1, 1), plan=load_plan(path))
    got = [(p.file, p.row, p.column) for p in caught.value.problems]
    assert got == [(str(path), 2, "date"), (str(path), 3, "official"), (str(path), 4, "unit"),
                   (str(path), 6, "official"), (str(path), 7, "official"), (str(path), 8, "official"),
                   (str(path), 9, "date")]


# -- terms and secondments that end -------------------------------------------------------------------------
def test_a_term_that_ends_on_the_step_date_still_serves_and_is_gone_the_day_after(engine: Engine) -> None:
    # a young vice chair whose term ends on 2026-03-31: counted on that step, not on 2026-04-01
    officials = [person("young", date(1995, 1, 1), term_ends=date(2026, 3, 31)),
                 person("old", date(1976, 1, 1), position="committee_chair", in_planning=True)]
    p = project(engine, officials, UNITS, date(2026, 4, 1), as_of=date(2026, 1, 31), step="month")
    assert values(series(p, "quota.young")) == [("2026-01-31", 1, 2, True), ("2026-02-28", 1, 2, True),
                                                ("2026-03-31", 1, 2, True), ("2026-04-01", 0, 1, False)]
    assert [s.serving for s in p.steps] == [2, 2, 2, 1]
    assert series(p, "quota.young").leavers == 1  # (gone on --to: counted as a leaver to replace)


def test_a_term_that_ended_before_the_as_of_date_is_out_from_the_first_step(engine: Engine) -> None:
    """A term that ended before the as-of date (the property of tests/properties/test_projection.py drew one
    in 2015): the holder is out of the post on every step, the first too, whereas ``evaluate`` on the as-of
    date still counts them (a holder serves until a successor is elected)."""
    officials = [person("young", date(1995, 1, 1), term_ends=date(2025, 12, 31)),
                 person("old", date(1976, 1, 1), position="committee_chair")]
    p = project(engine, officials, UNITS, date(2026, 3, 1), as_of=date(2026, 1, 31), step="month")
    assert values(series(p, "quota.young")) == [("2026-01-31", 0, 1, False), ("2026-02-28", 0, 1, False),
                                                ("2026-03-01", 0, 1, False)]
    assert [s.serving for s in p.steps] == [1, 1, 1]
    young = [(m.numerator, m.denominator) for m in engine.evaluate(officials, UNITS, date(2026, 1, 31)).metrics
             if m.id == "quota.young" and m.scope == "city"]
    assert young == [(1, 2)]


def test_a_reelection_on_the_term_end_keeps_the_official(engine: Engine) -> None:
    officials = [person("young", date(1995, 1, 1), term_ends=date(2026, 3, 31)),
                 person("old", date(1976, 1, 1), position="committee_chair")]
    plan = [PlanEvent(date(2026, 3, 31), "move", "young", how="reelection", term_ends=date(2031, 3, 31),
                      row="plan.csv, row 2")]
    p = project(engine, officials, UNITS, date(2026, 6, 1), as_of=date(2026, 3, 1), step="quarter", plan=plan)
    assert [x.numerator for x in series(p, "quota.young").points] == [1, 1]
    assert [s.serving for s in p.steps] == [2, 2]


def test_the_succession_lists_a_term_that_ends_before_retirement_as_its_own_vacancy(engine: Engine) -> None:
    """A vacancy from the end of a term (before retirement) is listed on the term's last day, with its reason;
    a term ending on the retirement date is a retirement (the earlier of the two, retirement on a tie)."""
    born = date(1964, 3, 15)  # a man: retirement date 2025-06-30
    officials = [person("chair", born, position="committee_chair", term_ends=date(2025, 3, 31)),
                 person("chair2", born, position="committee_chair", unit="X2", term_ends=date(2025, 6, 30)),
                 person("p", date(1990, 1, 1), position="front_chair", in_planning=True),
                 person("later", date(1980, 1, 1), position="front_chair", unit="X2", term_ends=date(2026, 3, 31))]
    p = project(engine, officials, UNITS, date(2025, 12, 31), as_of=date(2025, 1, 1))
    assert [(d.official.id, d.reason, d.last_day, d.retirement_date, [x.id for x in d.in_planning])
            for d in p.succession] == [
        ("chair", "term_ends", date(2025, 3, 31), date(2025, 6, 30), ["p"]),
        ("chair2", "retirement", date(2025, 6, 30), date(2025, 6, 30), [])]  # ("later": after --to)
    assert projection_to_dict(p)["succession"][0] == {
        "retirement_date": "2025-06-30", "official": {"id": "chair", "full_name": "Tên chair",
                                                      "position": "committee_chair", "unit": "X1"},
        "unit_name": "Xã Một", "in_planning": [{"id": "p", "full_name": "Tên p", "position": "front_chair",
                                                "unit": "X1"}],
        "reason": "term_ends", "last_day": "2025-03-31"}


def test_the_succession_says_a_term_end_in_each_format_and_language() -> None:
    engine = Engine([projection_pack()], backend="reference", plugins=False)
    officials = [person("chair", date(1964, 3, 15), position="committee_chair", term_ends=date(2025, 3, 31)),
                 person("chair2", date(1964, 3, 15), position="committee_chair", unit="X2")]
    p = project(engine, officials, UNITS, date(2025, 12, 31), as_of=date(2025, 1, 1))
    vi, en = render_projection(p, "text", "vi"), render_projection(p, "text", "en")
    assert isinstance(vi, str) and isinstance(en, str)
    assert "Kế cận: những người nghỉ hưu hoặc hết nhiệm kỳ trước ngày 31/12/2025" in vi
    assert "  31/03/2025  Tên chair (Chủ tịch UBND), Xã Một (hết nhiệm kỳ): không có ai trong quy hoạch" in vi
    assert "  30/06/2025  Tên chair2 (Chủ tịch UBND), Xã Hai: không có ai trong quy hoạch" in vi
    assert "Succession: who retires or ends a term by" in en and "Xã Một (end of term): nobody in planning" in en
    html = render_projection(p, "html", "vi")
    assert isinstance(html, str) and "Xã Một (hết nhiệm kỳ): không có ai trong quy hoạch</li>" in html
    book = openpyxl.load_workbook(io.BytesIO(render_projection(p, "xlsx", "vi")))  # type: ignore[arg-type]
    rows = list(book["Kế cận"].iter_rows(values_only=True))
    assert rows[0] == ("Ngày cuối giữ chức vụ", "Lý do", "Mã cán bộ", "Họ và tên", "Chức danh", "Đơn vị", "Trong quy hoạch",
                       "Ngày nghỉ hưu")
    assert [r[:3] for r in rows[1:]] == [(datetime(2025, 3, 31), "hết nhiệm kỳ", "chair"),
                                         (datetime(2025, 6, 30), "nghỉ hưu", "chair2")]


def test_the_succession_follows_the_plan_re_elections_and_moves(engine: Engine) -> None:
    """A re-election before the term ends moves the vacancy to the new term's end (or out of the window);
    a move that sets an earlier end of term brings it forward; a departure takes it away."""
    officials = [person("re", date(1980, 1, 1), term_ends=date(2026, 3, 31)),
                 person("out", date(1980, 1, 1), unit="X2", term_ends=date(2026, 3, 31)),
                 person("soon", date(1981, 1, 1), position="front_chair", term_ends=date(2027, 3, 31)),
                 person("gone", date(1982, 1, 1), position="council_chair", term_ends=date(2026, 6, 30))]
    plan = [PlanEvent(date(2026, 3, 31), "move", "re", how="reelection", term_ends=date(2026, 9, 30),
                      row="plan.csv, row 2"),
            PlanEvent(date(2026, 3, 1), "move", "out", how="reelection", term_ends=date(2031, 3, 31),
                      row="plan.csv, row 3"),
            PlanEvent(date(2026, 2, 1), "move", "soon", how="reelection", term_ends=date(2026, 5, 31),
                      row="plan.csv, row 4"),
            PlanEvent(date(2026, 2, 1), "departure", "gone", how="resignation", row="plan.csv, row 5")]
    p = project(engine, officials, UNITS, date(2026, 12, 31), as_of=date(2026, 1, 1), plan=plan)
    assert [(d.official.id, d.reason, d.last_day) for d in p.succession] == [
        ("soon", "term_ends", date(2026, 5, 31)), ("re", "term_ends", date(2026, 9, 30))]


def test_term_end_events_are_validated(engine: Engine, tmp_path: Path) -> None:
    officials = [person("o1", date(1980, 1, 1), term_ends=date(2026, 3, 31)), person("o2", date(1980, 1, 1))]
    path = write(tmp_path / "plan.csv", "Ngày,Sự kiện,Cán bộ,Ngày hết nhiệm kỳ,Đơn vị\n"
                 "01/04/2026,tái cử,o1,31/03/2031,\n"     # after the term ended
                 "01/02/2026,tái cử,o2,31/01/2026,\n"     # a term that ends before it begins
                 "01/02/2026,move,nobody,,\n")            # (unknown official, still)
    plan = load_plan(path)
    assert plan[0].how == "reelection" and plan[0].term_ends == date(2031, 3, 31)
    with pytest.raises(InputError) as caught:
        project(engine, officials, UNITS, date(2027, 1, 1), as_of=date(2026, 1, 1), plan=plan)
    got = [(p.row, p.column, p.value) for p in caught.value.problems]  # the values as the plan writes them
    assert got == [(3, "term_ends", "31/01/2026"), (4, "official", "nobody"), (2, "official", "o1")]
    assert "term ended on 2026-03-31" in caught.value.problems[-1].reason


def test_end_dates_read_with_vietnamese_headers_and_ends_before_starts_located(tmp_path: Path) -> None:
    units = write(tmp_path / "units.csv", "code,name,kind,class\nX1,Xã Một,commune,1\n")
    officials = write(tmp_path / "officials.csv",
                      "Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Đơn vị,Chức vụ,Trình độ chuyên môn,Lý luận chính trị,"
                      "Ngày biệt phái,Biệt phái đến,Ngày bổ nhiệm,Ngày hết nhiệm kỳ\n"
                      "A,Nguyễn A,nam,01/02/1980,X1,PCT UBND,ĐH,TC,01/01/2024,31/12/2026,01/06/2021,30/06/2026\n"
                      "B,Trần B,nữ,01/02/1980,X1,PCT UBND,ĐH,TC,01/01/2024,31/12/2023,01/06/2021,30/05/2021\n")
    with pytest.raises(InputError) as caught:
        Engine(plugins=False).read(officials, units)
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [
        (3, "secondment_until", "31/12/2023"), (3, "term_ends", "30/05/2021")]
    write(officials, officials.read_text(encoding="utf-8").splitlines()[0] + "\n" +
          officials.read_text(encoding="utf-8").splitlines()[1] + "\n")
    (a,), _ = Engine(plugins=False).read(officials, units)
    assert (a.secondment_until, a.term_ends) == (date(2026, 12, 31), date(2026, 6, 30))


def test_last_day_in_post_is_the_earlier_of_retirement_and_the_end_of_term() -> None:
    born = date(1964, 3, 15)  # retirement date 2025-06-30
    assert last_day_in_post(person("a", born)) == date(2025, 6, 30)
    assert last_day_in_post(person("a", born, term_ends=date(2025, 3, 31))) == date(2025, 3, 31)
    assert last_day_in_post(person("a", born, term_ends=date(2026, 3, 31))) == date(2025, 6, 30)


def test_a_qualification_that_is_not_higher_is_refused(engine: Engine) -> None:
    officials = [person("o1", date(1980, 1, 1))]
    plan = [PlanEvent(date(2026, 2, 1), "qualification", "o1", education="college", row="p.csv, row 2")]
    with pytest.raises(InputError, match="not higher"):
        project(engine, officials, UNITS, date(2027, 1, 1), as_of=date(2026, 1, 1), plan=plan)


# -- the CLI and the formats -------------------------------------------------------------------------------
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder / "units.csv", "code,name,kind,class\nX1,Xã Một,commune,1\nX2,Xã Hai,commune,2\n")
    write(folder / "officials.csv", "id,full_name,gender,birth_date,unit,position,education,political_theory,"
          "in_planning\nA,Nguyễn Văn A,nam,1965-01-10,X1,committee_chair,university,advanced,false\n"
          "B,Trần Thị B,nữ,1992-06-01,X1,party_secretary,university,advanced,true\n"
          "C,Lê Văn C,nam,1980-01-01,X2,committee_chair,university,advanced,false\n")
    write(tmp_path / "pack.toml", PACK_TOML)
    return folder


PACK_TOML = f"""
[pack]
id = "t-project"
version = "1"
title = "t"
[params]
young_age = 35
young_min_share = 0.3
[key_positions]
codes = {json.dumps(KEY)}
[[quota]]
id = "quota.young"
family = "quota"
population = "is_key"
numerator = "age < young_age"
min_share = "young_min_share"
scopes = ["city", "unit"]
severity = "warning"
message = "m"
cite = "c"
"""


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def test_cli_text_names_the_succession_and_what_it_takes(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    code, out, err = run(["project", str(data), "--pack", str(tmp_path / "pack.toml"), "--as-of", "2026-01-01",
                          "--to", "2028-01-01", "--lang", "en", "--no-plugins"])
    assert code == 1, err  # B turns 35 in 2027: the share falls to 0 on 2028-01-01
    assert "2026-07-31  Nguyễn Văn A (Committee chair), Xã Một: in planning in the unit: Trần Thị B (Party secretary)" \
        in out
    assert "quota.young" in out and "What it takes on 2028-01-01" in out


def test_cli_text_in_vietnamese_writes_dates_counts_and_posts_as_offices_do(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    code, out, err = run(["project", str(data), "--pack", str(tmp_path / "pack.toml"), "--as-of", "31/12/2025",
                          "--to", "31/12/2027", "--lang", "vi", "--no-plugins"])
    assert code == 1, err
    assert "31/07/2026  Nguyễn Văn A (Chủ tịch UBND), Xã Một: người trong quy hoạch của đơn vị: Trần Thị B (Bí thư Đảng ủy)" \
        in out
    assert "31/12/2025 31/12/2026 31/12/2027" in out and "2027-12-31" not in out


def test_cli_json_contract(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    code, out, _ = run(["project", str(data), "--pack", str(tmp_path / "pack.toml"), "--as-of", "2026-01-01",
                        "--to", "2028-01-01", "--format", "json", "--no-plugins"])
    doc = json.loads(out)
    assert doc["schema"] == "cadre-rules/projection/v1"
    assert [s["date"] for s in doc["steps"]] == ["2026-01-01", "2027-01-01", "2028-01-01"]
    city = next(t for t in doc["targets"] if t["scope"] == "city")
    # 2026: A, B, C key, B young (1/3 ≥ 0.3); 2027: A retired, B 34 → 1/2; 2028: B is 35 → 0/2
    assert [(p["numerator"], p["denominator"], p["met"]) for p in city["points"]] == [(1, 3, True), (1, 2, True),
                                                                                      (0, 2, False)]
    assert city["first_unmet"] == "2028-01-01"
    assert city["needed"] == {"added": 1, "replacing": 1}
    assert city["leavers"] == 1
    assert doc["succession"][0]["official"]["full_name"] == "Nguyễn Văn A"
    assert code == 1


def test_cli_csv_xlsx_html(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    base = ["project", str(data), "--pack", str(tmp_path / "pack.toml"), "--as-of", "2026-01-01", "--to",
            "2028-01-01", "--no-plugins"]
    _, out, _ = run([*base, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["scope"], r["date"], r["met"]) for r in rows} >= {("city", "2028-01-01", "false")}
    run([*base, "--format", "xlsx", "-o", str(tmp_path / "p.xlsx")])
    with zipfile.ZipFile(tmp_path / "p.xlsx") as book:
        assert any(n.startswith("xl/worksheets/sheet") for n in book.namelist())
    run([*base, "--format", "html", "-o", str(tmp_path / "p.html")])
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<svg" in page and "stroke-dasharray" in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_cli_bad_plan_exit_2_located_no_traceback(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    plan = write(tmp_path / "plan.csv", "date,event,official\n2026-02-01,departure,ZZ\n")
    code, out, err = run(["project", str(data), "--pack", str(tmp_path / "pack.toml"), "--as-of", "2026-01-01",
                          "--to", "2028-01-01", "--plan", str(plan), "--no-plugins"])
    assert code == 2
    assert f"{plan}, row 2, official" in err and "Traceback" not in err + out


def test_cli_to_before_as_of_is_a_usage_error(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    code, _, err = run(["project", str(data), "--as-of", "2026-01-01", "--to", "2025-01-01", "--no-plugins"])
    assert code == 2 and "before the as-of date" in err


def test_render_is_deterministic(engine: Engine) -> None:
    officials = [person(f"o{i}", date(1965 + i, 1, 1)) for i in range(5)]
    one = project(engine, officials, UNITS, date(2028, 1, 1), as_of=date(2026, 1, 1))
    two = project(engine, list(reversed(officials)), UNITS, date(2028, 1, 1), as_of=date(2026, 1, 1))
    for fmt in ("json", "csv", "text", "html"):
        assert render_projection(one, fmt) == render_projection(two, fmt)


@pytest.mark.parametrize("backend", BACKENDS)
def test_carried_steps_across_the_2025_reform_with_a_plan_move_and_a_35th_birthday_are_evaluate(
        backend: str) -> None:
    """Each step of a monthly projection over the built-in packs equals ``evaluate`` on its date: the pack
    versions change on 2025-07-01 between two steps (new programs, nothing carried), an official turns 35
    on a later step date (the carry's queue of class changes), a plan moves an official carried since the
    reform off the standing committee, and another retires between two steps."""
    engine = Engine(backend=backend, plugins=False)  # type: ignore[arg-type]
    officials = [person("young", date(1990, 8, 15), position="committee_chair"),  # 35 on 2025-08-15, a step
                 person("w", date(1980, 1, 1), gender="female", position="party_secretary", standing_committee=True),
                 person("m", date(1982, 2, 2), position="deputy_party_secretary", standing_committee=True),
                 person("r", date(1964, 3, 15), position="council_chair"),  # retires 2025-06-30
                 person("x2", date(1985, 5, 5), unit="X2", position="committee_chair", gender="female",
                        standing_committee=True)]
    plan = [PlanEvent(date(2025, 8, 1), "move", "w", standing_committee=False, row="plan.csv, row 2")]
    p = project(engine, officials, UNITS, date(2025, 9, 15), as_of=date(2025, 5, 15), step="month", plan=plan)
    moved = [attrs.evolve(o, standing_committee=False) if o.id == "w" else o for o in officials]
    assert [s.date for s in p.steps] == [date(2025, m, 15) for m in range(5, 10)]
    assert {r.version for r in p.steps[1].packs} != {r.version for r in p.steps[2].packs}  # the reform between
    for s in p.steps:
        population = moved if s.date >= date(2025, 8, 1) else officials
        report = engine.evaluate([o for o in population if retirement_date(o.birth_date, o.gender) >= s.date],
                                 UNITS, s.date)
        expected = {(m.pack, m.id, m.scope, m.scope_id): (m.numerator, m.denominator, m.met) for m in report.metrics}
        got = {(x.pack, x.id, x.scope, x.scope_id): (pt.numerator, pt.denominator, pt.met)
               for x in p.series if x.kind == "metric" for pt in x.points if pt.date == s.date}
        assert got == expected, s.date
        fired = {(f.pack, f.rule, f.subject_id) for f in report.findings if f.subject_kind != "official"}
        unmet = {(x.pack, x.id, x.scope_id) for x in p.series if x.kind == "rule"
                 for pt in x.points if pt.date == s.date and pt.met is False}
        assert unmet <= fired, s.date
        assert s.serving == (5 if s.date <= date(2025, 6, 30) else 4)
    assert [(pt.numerator, pt.denominator) for pt in series(p, "quota.young").points] == [
        (1, 5), (1, 5), (1, 4), (0, 4), (0, 4)]
    assert [pt.met for pt in series(p, "quota.woman_standing_committee", "unit", "X1").points] == [
        True, True, True, False, False]


def test_html_and_xlsx_name_the_packs_the_projection_used(engine: Engine) -> None:
    """The html and the workbook name the packs of the steps as the text does ("Gói quy định từ ngày …: …"), only
    those that apply to the units projected (as evaluate's header of a ward's report)."""
    p = project(engine, [person("a", date(1990, 1, 1))], UNITS, date(2025, 12, 31), as_of=date(2025, 1, 1))
    line = "Gói quy định từ ngày 01/01/2025: t-project@1"
    text, page = render_projection(p, "text", "vi"), render_projection(p, "html", "vi")
    assert isinstance(text, str) and isinstance(page, str)
    assert line in text and f"<p>{line}</p>" in page
    assert "<p>Packs from 2025-01-01: t-project@1</p>" in render_projection(p, "html", "en")
    book = openpyxl.load_workbook(io.BytesIO(render_projection(p, "xlsx", "vi")))  # type: ignore[arg-type]
    assert list(book["Gói quy định"].iter_rows(values_only=True)) == [("Gói quy định",), (line,)]
    english = openpyxl.load_workbook(io.BytesIO(render_projection(p, "xlsx", "en")))  # type: ignore[arg-type]
    assert ("Packs from 2025-01-01: t-project@1",) in list(english["Packs"].iter_rows(values_only=True))
    elsewhere = attrs.evolve(p, not_applying=("t-project@1",))  # (another commune's pack: not named)
    assert "t-project@1" not in str(render_projection(elsewhere, "html", "vi"))
    other = openpyxl.load_workbook(io.BytesIO(render_projection(elsewhere, "xlsx", "vi")))  # type: ignore[arg-type]
    assert list(other["Gói quy định"].iter_rows(values_only=True))[1:] == [("Gói quy định từ ngày 01/01/2025: —",)]
