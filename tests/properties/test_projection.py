"""``project`` is ``evaluate`` at each step date (issue #19): with no plan, the projection at step date D
equals ``evaluate --as-of D`` with the officials retired by D removed (under the packs that declare
``retirement_ends_service``, those from 2025-07-01, the engine's own reading of retirement: the same metrics
as evaluating everyone on D; the 2023 packs count them, SEMANTICS 26) and those whose term ended before D
(``term_ends``: docs/project.md §1; ``evaluate`` itself keeps them, a holder serving until a successor is
elected), with both backends; and a plan that only appoints people who help a target never lowers that
target's share (metamorphic)."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules.engine import _durable
from cadre_rules.jobs._plan import PlanEvent
from cadre_rules.jobs._project import Projection
from cadre_rules.jobs._project import _without_official_rules as _stepper
from cadre_rules.jobs._project import project
from cadre_rules.jobs._project_formats import projection_to_dict
from cadre_rules.model._dates import add_months
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._packs import parse_pack
from strategies import KEY_POSTS
from strategies import populations

from ._support import scaled

BACKENDS = ["reference", "durable"] if _durable.AVAILABLE else ["reference"]
ENGINES = {name: Engine(backend=name, plugins=False) for name in BACKENDS}  # type: ignore[arg-type]
STARTS = st.dates(date(2023, 1, 1), date(2027, 6, 30))
STEPS = st.sampled_from(["month", "quarter", "year"])


def _metric_ids(engine: Engine) -> set[tuple[str, str]]:
    return {(p.id, x.id) for p in engine.packs for x in (*p.staffing, *p.quotas)}


def _expected(engine: Engine, officials: list[Official], units: list[Unit], on: date) -> tuple[dict, set]:
    in_post = [o for o in officials if o.term_ends is None or o.term_ends >= on]  # (a term ends after its last day)
    serving = [o for o in in_post if retirement_date(o.birth_date, o.gender) >= on]
    report = engine.evaluate(serving, units, on)
    metrics = {(m.pack, m.id, m.scope, m.scope_id): (m.numerator, m.denominator, m.met) for m in report.metrics}
    if all(p.retirement_ends_service for p in engine.packs_for(on)[0]):  # (the packs of 2025-07-01 on)
        everyone = engine.evaluate(in_post, units, on)
        assert metrics == {(m.pack, m.id, m.scope, m.scope_id): (m.numerator, m.denominator, m.met)
                           for m in everyone.metrics}
    ids = {(m.pack, m.id) for m in report.metrics} | _metric_ids(engine)
    fired = {(f.pack, f.rule, f.subject_id) for f in report.findings
             if f.subject_kind != "official" and (f.pack, f.rule) not in ids}
    return metrics, fired


def _at(p: Projection, on: date) -> tuple[dict, set]:
    metrics = {(s.pack, s.id, s.scope, s.scope_id): (x.numerator, x.denominator, x.met)
               for s in p.series if s.kind == "metric" for x in s.points if x.date == on}
    fired = {(s.pack, s.id, s.scope_id) for s in p.series if s.kind == "rule" for x in s.points
             if x.date == on and x.met is False}
    return metrics, fired


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=scaled(0.1, 8))
@given(populations(max_officials=10, max_units=3), STARTS, st.integers(0, 30), STEPS)
def test_each_step_is_evaluate_on_that_date_with_the_retired_and_the_ended_terms_removed(
        backend: str, population: tuple[list[Official], list[Unit]], as_of: date, months: int, step: str) -> None:
    officials, units = population
    officials = [o for o in officials if o.birth_date <= as_of]
    engine = ENGINES[backend]
    to = add_months(as_of, months) + timedelta(days=months % 3)
    p = project(engine, officials, units, to, as_of=as_of, step=step)  # type: ignore[arg-type]
    for s in p.steps:
        assert _at(p, s.date) == _expected(engine, officials, units, s.date), s.date
        assert tuple(r.id for r in s.packs) == tuple(r.id for r in engine.evaluate([], units, s.date).packs)


@pytest.mark.skipif(len(BACKENDS) < 2, reason="durable-rules does not build on this Python")
@settings(max_examples=scaled(0.1, 8))
@given(populations(max_officials=10, max_units=3), STARTS, st.integers(0, 30), STEPS)
def test_both_backends_project_the_same(population: tuple[list[Official], list[Unit]], as_of: date, months: int,
                                        step: str) -> None:
    officials, units = population
    officials = [o for o in officials if o.birth_date <= as_of]
    to = add_months(as_of, months)
    docs = []
    for engine in ENGINES.values():
        doc = projection_to_dict(project(engine, officials, units, to, as_of=as_of, step=step))  # type: ignore[arg-type]
        doc.pop("backend")
        docs.append(doc)
    assert docs[0] == docs[1]


@st.composite
def helpers(draw: st.DrawFn, units: list[Unit], as_of: date, to: date) -> list[PlanEvent]:
    """Appointments of key officials under 35 on ``to`` (so on every step after their appointment)."""
    n = draw(st.integers(1, 4))
    events = []
    for i in range(n):
        on = draw(st.dates(as_of, to))
        born = draw(st.dates(date(to.year - 34, 1, 1), date(to.year - 20, 1, 1)))
        events.append(PlanEvent(on, "appointment", f"H{i}", full_name=f"Helper {i}",
                                gender=draw(st.sampled_from(["male", "female"])), birth_date=born,
                                unit=draw(st.sampled_from([u.code for u in units])),
                                position=draw(st.sampled_from(KEY_POSTS)), education="university",
                                political_theory="intermediate", row=f"plan.csv, row {i + 2}"))
    return events


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=scaled(0.1, 8))
@given(st.data(), populations(max_officials=10, max_units=3), STARTS, st.integers(1, 30))
def test_appointing_only_helpers_never_lowers_the_young_share(backend: str, data: st.DataObject,
                                                              population: tuple[list[Official], list[Unit]],
                                                              as_of: date, months: int) -> None:
    officials, units = population
    officials = [o for o in officials if o.birth_date <= as_of]
    to = add_months(as_of, months)
    engine = ENGINES[backend]
    plan = data.draw(helpers(units, as_of, to))
    base = project(engine, officials, units, to, as_of=as_of, step="quarter")
    more = project(engine, officials, units, to, as_of=as_of, step="quarter", plan=plan)
    young = {(s.scope, s.scope_id, x.date): x.value for s in base.series if s.id == "quota.young" for x in s.points}
    after = {(s.scope, s.scope_id, x.date): x.value for s in more.series if s.id == "quota.young" for x in s.points}
    for key, value in young.items():
        if value is not None:
            assert after[key] is not None and after[key] >= value, key


_YOUNG_IN_UNIT = parse_pack({
    "pack": {"id": "t-reuse", "version": "1", "title": "t"},
    "key_positions": {"codes": list(KEY_POSTS)},
    "rule": [{"id": "young.none", "family": "quota", "subject": "unit", "severity": "warning",
              "when": "count('is_key and age < 35') == 0 and holders('committee_chair') >= 1",
              "message": "{count('is_key and age < 35')}", "cite": "c"}],
    "quota": [{"id": "young.share", "family": "quota", "population": "is_key", "numerator": "age < 35",
               "min_share": 0.3, "scopes": ["city", "unit"], "severity": "warning", "message": "{needed}",
               "cite": "c"}],
    "staffing": [{"id": "staffing.chair", "family": "staffing", "severity": "warning", "message": "{vacant}",
                  "metric": "staffing.chair_filled", "scopes": ["city", "unit"], "cite": "c", "require": [{"position": "committee_chair"},
                                            {"position": "council_chair", "where": "has_council"}]}],
})


def _seen(report: Report) -> tuple[object, ...]:
    findings = [(f.pack, f.rule, f.severity, f.subject_kind, f.subject_id, f.scope_id, f.message, dict(f.facts))
                for f in report.findings]
    metrics = [(m.pack, m.id, m.scope, m.scope_id, m.numerator, m.denominator, m.met) for m in report.metrics]
    return findings, metrics, report.notes, report.undecided


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=scaled(0.1, 8))
@given(st.data(), populations(max_officials=25, max_units=3), STARTS,
       st.lists(st.integers(0, 120), min_size=2, max_size=6))
def test_steps_that_share_outcomes_report_what_fresh_evaluations_report(
        backend: str, data: st.DataObject, population: tuple[list[Official], list[Unit]], as_of: date,
        months: list[int]) -> None:
    """A projection's steps take the outcomes of units and metrics that earlier steps decided alike
    (``_run.Reuse``): on every date, with officials leaving, changed and back, the step's report is what an
    engine deciding afresh reports."""
    officials, units = population
    officials = [o for o in officials if o.birth_date <= as_of]
    engine = Engine([*ENGINES[backend].available, _YOUNG_IN_UNIT], backend=backend,  # type: ignore[arg-type]
                    plugins=False)
    sharing = _stepper(engine)
    fresh = _stepper(engine)
    fresh._reuse = None
    for on in sorted(add_months(as_of, m) for m in months):
        kept = [o for o in officials if data.draw(st.booleans(), label="kept")]
        changed = [attrs.evolve(o, position=data.draw(st.sampled_from(KEY_POSTS), label="post"))
                   if data.draw(st.booleans(), label="moved") else o for o in kept]
        for step in (kept, changed):
            assert _seen(sharing.evaluate(step, units, on)) == _seen(fresh.evaluate(step, units, on)), on
