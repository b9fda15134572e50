"""Metamorphic properties: how reports change (or do not) when the input changes in a known way.

They run on the reference backend, the oracle: test_backends_agree.py ties the durable backend to it.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Pack
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_dict
from cadre_rules.model._context import OfficialContext
from cadre_rules.model._context import UnitContext
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._expr import evaluate
from cadre_rules.packs._expr import fields_of
from cadre_rules.packs._packs import parse_pack
from strategies import EVERYTHING
from strategies import SCOPES
from strategies import PackOptions
from strategies import as_of_dates
from strategies import births
from strategies import hostile_texts
from strategies import officials
from strategies import pack_dicts
from strategies import populations

from ._support import scaled
from ._support import without_input_digest

Population = tuple[list[Official], list[Unit]]


def engine_for(dicts: list[dict[str, Any]]) -> Engine:
    return Engine([parse_pack(d) for d in dicts], backend="reference")


@st.composite
def pack_lists(draw: st.DrawFn, options: PackOptions = EVERYTHING, max_packs: int = 2) -> list[dict[str, Any]]:
    count = draw(st.integers(1, max_packs))
    return [draw(pack_dicts(options, pack_id=f"meta-{i}")) for i in range(count)]


def official_findings(report: Report, exclude: str | None = None) -> list[Any]:
    return [f for f in report.findings if f.subject_kind == "official" and f.subject_id != exclude]


# --------------------------------------------------------------------------- order and names


@settings(max_examples=scaled(1))
@given(pack_lists(), populations(max_officials=10), as_of_dates, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_input_order(dicts: list[dict[str, Any]], population: Population, as_of: date,
                                               rnd: Any) -> None:
    """Shuffling officials and units changes nothing in the report but the digest of the input."""
    people, places = population
    engine = engine_for(dicts)
    before = engine.evaluate(people, places, as_of)
    shuffled_people, shuffled_places = list(people), list(places)
    rnd.shuffle(shuffled_people)
    rnd.shuffle(shuffled_places)
    after = engine.evaluate(shuffled_people, shuffled_places, as_of)
    assert without_input_digest(report_to_dict(after)) == without_input_digest(report_to_dict(before))


@settings(max_examples=scaled(1))
@given(pack_lists(), populations(max_officials=10), as_of_dates)
def test_findings_are_in_pack_rule_subject_order(dicts: list[dict[str, Any]], population: Population,
                                                 as_of: date) -> None:
    """The report lists findings by pack, rule and subject (DESIGN §6), whatever the input order."""
    people, places = population
    report = engine_for(dicts).evaluate(people, places, as_of)
    keys = [f.sort_key for f in report.findings]
    assert keys == sorted(keys)


NO_NAMES = PackOptions(exclude=frozenset({"id", "unit", "code"}))


@settings(max_examples=scaled(1))
@given(pack_lists(NO_NAMES), populations(max_officials=10), as_of_dates, st.data())
def test_renaming_ids_permutes_findings(dicts: list[dict[str, Any]], population: Population, as_of: date,
                                        data: st.DataObject) -> None:
    """Renaming officials' ids and units' codes renames the findings' subjects, and nothing else.

    (The packs never read ``id``, ``unit`` or ``code``: a rule that does is not rename-invariant.)
    """
    people, places = population
    new_ids = data.draw(st.lists(hostile_texts(8), min_size=len(people), max_size=len(people), unique=True))
    new_codes = data.draw(st.lists(hostile_texts(8), min_size=len(places), max_size=len(places), unique=True))
    official_map = {o.id: f"{i}" for o, i in zip(people, new_ids, strict=True)}
    unit_map = {u.code: c for u, c in zip(places, new_codes, strict=True)}
    districts = {u.district for u in places if u.district is not None} | {"Hà Nội"}
    # a scope finding's id is a district, the city or (unit scope) a unit code: they must not be confused
    assume(not (set(unit_map) | set(unit_map.values())) & districts)
    renamed_people = [attrs.evolve(o, id=official_map[o.id], unit=unit_map[o.unit]) for o in people]
    renamed_places = [attrs.evolve(u, code=unit_map[u.code]) for u in places]
    engine = engine_for(dicts)
    before = report_to_dict(engine.evaluate(people, places, as_of))
    after = report_to_dict(engine.evaluate(renamed_people, renamed_places, as_of))

    def rename(finding: dict[str, Any]) -> dict[str, Any]:
        subject = dict(finding["subject"])
        subject["id"] = {"official": official_map, "unit": unit_map}.get(subject["kind"], unit_map).get(
            subject["id"], subject["id"])
        out = {k: v for k, v in finding.items() if k != "message"}
        out["subject"] = subject
        out["scope_id"] = unit_map.get(finding["scope_id"], finding["scope_id"])
        return out

    def key(finding: dict[str, Any]) -> tuple[str, str, str]:
        return finding["pack"], finding["rule"], finding["subject"]["id"]

    expected = sorted((rename(f) for f in before["findings"]), key=key)
    actual = sorted(({k: v for k, v in f.items() if k != "message"} for f in after["findings"]), key=key)
    assert actual == expected

    def rename_metric(metric: dict[str, Any]) -> dict[str, Any]:
        if metric["scope"] == "unit":
            return {**metric, "scope_id": unit_map[metric["scope_id"]]}
        return metric

    def metric_key(metric: dict[str, Any]) -> tuple[str, str, int, str]:
        return metric["pack"], metric["id"], SCOPES.index(metric["scope"]), metric["scope_id"]

    assert sorted(after["metrics"], key=metric_key) == sorted(map(rename_metric, before["metrics"]), key=metric_key)
    assert after["summary"] == before["summary"]


# --------------------------------------------------------------------------- adding and removing officials


@settings(max_examples=scaled(1))
@given(pack_lists(), populations(max_officials=10), as_of_dates, st.data())
def test_adding_an_official_never_changes_another_officials_findings(dicts: list[dict[str, Any]],
                                                                     population: Population, as_of: date,
                                                                     data: st.DataObject) -> None:
    people, places = population
    newcomer = data.draw(officials([u.code for u in places], "NEW\\\"mới"))
    engine = engine_for(dicts)
    before = engine.evaluate(people, places, as_of)
    after = engine.evaluate([*people, newcomer], places, as_of)
    assert official_findings(after, exclude=newcomer.id) == official_findings(before)


@settings(max_examples=scaled(1))
@given(pack_lists(), populations(max_officials=10, min_officials=1), as_of_dates, st.data())
def test_removing_an_official_never_changes_another_officials_findings(dicts: list[dict[str, Any]],
                                                                       population: Population, as_of: date,
                                                                       data: st.DataObject) -> None:
    people, places = population
    leaver = people[data.draw(st.integers(0, len(people) - 1))]
    engine = engine_for(dicts)
    before = engine.evaluate(people, places, as_of)
    after = engine.evaluate([o for o in people if o is not leaver], places, as_of)
    assert official_findings(after) == official_findings(before, exclude=leaver.id)


STAFFING = PackOptions(static_staffing=True, min_staffing=1, max_quotas=1, max_rules=2)


def serving(official: Official, as_of: date, pack: Pack) -> bool:
    """Whether ``official`` is serving on ``as_of`` for ``pack``: not past the retirement date, if the pack
    declares ``retirement_ends_service`` (docs/as-of.md §1; SEMANTICS 26 otherwise)."""
    return not pack.retirement_ends_service or retirement_date(official.birth_date, official.gender) >= as_of


def vacant_required_posts(pack: Pack, people: list[Official], places: list[Unit],
                          as_of: date) -> list[tuple[str, str, str]]:
    """(staffing id, unit code, post) of the required posts nobody serving on ``as_of`` holds (requirements
    read unit fields only; an official past retirement age holds no post for a pack that says so: docs/as-of.md)."""
    out = []
    for unit in places:
        held = {p for o in people if o.unit == unit.code and serving(o, as_of, pack) for p in o.posts}
        context = UnitContext(unit, [], as_of)
        for table in pack.staffing:
            for req in table.requires:
                required = req.where is None or evaluate(
                    req.where.expr, {f.name: f.get(context) for f in fields_of(req.where.expr)}) is True
                if required and req.position not in held:
                    out.append((table.id, unit.code, req.position))
    return out


@settings(max_examples=scaled(1))
@given(pack_lists(STAFFING, max_packs=1), populations(max_officials=8), as_of_dates, st.data())
def test_filling_a_vacant_required_post_never_lowers_the_fill_rate(dicts: list[dict[str, Any]],
                                                                   population: Population, as_of: date,
                                                                   data: st.DataObject) -> None:
    """An official who holds a vacant required post raises the unit's fill rate, and lowers no rate.

    The packs' requirements read only the unit's own fields: one that counts officials
    (``where = "officials > 3"``) may require more posts when someone arrives.
    """
    for table in dicts[0]["staffing"]:
        table["scopes"] = sorted(set(table.get("scopes", SCOPES)) | {"unit"}, key=SCOPES.index)
    people, places = population
    pack = parse_pack(dicts[0])
    engine = Engine([pack], backend="reference")
    before = engine.evaluate(people, places, as_of)
    vacancies = vacant_required_posts(pack, people, places, as_of)
    assume(vacancies)
    listed = {(f.rule, f.subject_id, post) for f in before.findings if f.subject_kind == "unit"
              for post in (f.facts.get("vacant") or [])}  # type: ignore[union-attr]
    assert set(vacancies) == listed  # SEMANTICS 13: one finding per unit, the vacant posts listed
    staffing_id, unit_code, post = data.draw(st.sampled_from(vacancies))
    newcomer = data.draw(officials([unit_code], "NEW-1"))
    if data.draw(st.booleans()):
        newcomer = attrs.evolve(newcomer, position=post, category=None)
    else:
        newcomer = attrs.evolve(newcomer, concurrent_positions=(*newcomer.concurrent_positions, post))
    after = engine.evaluate([*people, newcomer], places, as_of)
    if not serving(newcomer, as_of, pack):  # past retirement age, for this pack: they fill nothing, count nowhere
        assert after.metrics == before.metrics
        assert [f.rule for f in after.findings if f.subject_id == newcomer.id] == ["staffing.past_retirement"]
        return
    metric_of = {t.id: t.metric for t in pack.staffing}
    assert len(after.metrics) == len(before.metrics)
    raised = False
    for old, new in zip(before.metrics, after.metrics, strict=True):
        assert (old.id, old.scope, old.scope_id) == (new.id, new.scope, new.scope_id)
        if old.id not in metric_of.values():
            continue  # a quota
        assert new.denominator == old.denominator  # static requirements: the same posts are required
        assert new.numerator >= old.numerator
        if old.id == metric_of[staffing_id] and old.scope == "unit" and old.scope_id == unit_code:
            raised = raised or new.numerator > old.numerator
    assert raised


QUOTAS = PackOptions(min_quotas=1, max_quotas=3, max_rules=1, max_staffing=0)


@settings(max_examples=scaled(1))
@given(pack_lists(QUOTAS, max_packs=1), populations(max_officials=12, min_officials=1), as_of_dates, st.data())
def test_removing_a_numerator_member_never_raises_the_share(dicts: list[dict[str, Any]], population: Population,
                                                            as_of: date, data: st.DataObject) -> None:
    people, places = population
    leaver = people[data.draw(st.integers(0, len(people) - 1))]
    engine = engine_for(dicts)
    before = engine.evaluate(people, places, as_of)
    after = engine.evaluate([o for o in people if o is not leaver], places, as_of)
    assert len(after.metrics) == len(before.metrics)
    for old, new in zip(before.metrics, after.metrics, strict=True):
        assert (old.id, old.scope, old.scope_id) == (new.id, new.scope, new.scope_id)
        counted = old.numerator - new.numerator
        assert counted in (0, 1)
        assert old.denominator - new.denominator in (0, 1)
        if counted:
            assert old.denominator - new.denominator == 1  # the numerator is part of the population
            if new.value is not None:
                assert old.value is not None
                assert new.value <= old.value


# --------------------------------------------------------------------------- time


@settings(max_examples=scaled(2))
@given(officials(["U1"]), st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.dates(date(1900, 1, 1),
                                                                                 date(2100, 12, 31)))
def test_moving_as_of_forward_never_makes_anyone_younger_or_further_from_retirement(official: Official, one: date,
                                                                                     two: date) -> None:
    earlier, later = sorted((one, two))
    unit = Unit("U1", "Xã", "commune", 1)
    before, after = OfficialContext(official, unit, earlier), OfficialContext(official, unit, later)
    assert after.age() >= before.age()
    assert after.months_to_retirement() <= before.months_to_retirement()
    assert after.retirement_date() == before.retirement_date()


@settings(max_examples=scaled(2))
@given(births, st.sampled_from(["male", "female"]), as_of_dates, st.integers(0, 400))
def test_one_more_year_is_one_more_year_of_age(birth: date, gender: str, as_of: date, days: int) -> None:
    unit = Unit("U1", "Xã", "commune", 1)
    official = Official("O1", "A", gender, birth, "U1", "other", "none", "none")
    now = OfficialContext(official, unit, as_of)
    if not (as_of.month == 2 and as_of.day == 29):
        next_year = OfficialContext(official, unit, as_of.replace(year=as_of.year + 1))
        assert next_year.age() == now.age() + 1
    later = OfficialContext(official, unit, date.fromordinal(as_of.toordinal() + days))
    assert now.age() <= later.age() <= now.age() + 2
    assert now.months_to_retirement() - later.months_to_retirement() in range(days // 28 + 2)


# --------------------------------------------------------------------------- metrics


METRICS = PackOptions(max_rules=1, min_quotas=1, max_quotas=3, max_staffing=2)


@settings(max_examples=scaled(1))
@given(pack_lists(METRICS, max_packs=1), populations(max_officials=12), as_of_dates)
def test_every_metric_value_is_numerator_over_denominator_exactly(dicts: list[dict[str, Any]],
                                                                   population: Population, as_of: date) -> None:
    people, places = population
    pack = parse_pack(dicts[0])
    report = Engine([pack], backend="reference").evaluate(people, places, as_of)
    rows = report_to_dict(report)["metrics"]
    assert isinstance(rows, list)
    quotas = {q.id: q for q in pack.quotas}
    unmet: Counter[tuple[str, str]] = Counter()
    for metric, row in zip(report.metrics, rows, strict=True):
        assert isinstance(row, dict)
        n, d = metric.numerator, metric.denominator
        assert (row["numerator"], row["denominator"]) == (n, d)
        assert 0 <= n <= d
        if d == 0:
            assert metric.value is None and row["value"] is None and metric.met is None and row["met"] is None
            continue
        assert metric.value == Fraction(n, d)
        assert row["value"] == n / d
        # thresholds are inclusive and compared as exact fractions (SEMANTICS 15)
        exact = metric.value >= metric.target if metric.op == ">=" else metric.value <= metric.target
        assert metric.met is exact and row["met"] is exact
        assert row["target"] == float(metric.target)
        if metric.id in quotas:
            assert metric.target == quotas[metric.id].target and metric.op == quotas[metric.id].op
            if not exact:
                unmet[(metric.id, metric.scope_id)] += 1
        else:  # a staffing fill rate
            assert (metric.target, metric.op) == (1, ">=")
    scope_findings = [f for f in report.findings if f.subject_kind == "scope"]
    assert Counter((f.rule, f.subject_id) for f in scope_findings) == unmet
    for finding in scope_findings:  # SEMANTICS 17
        q = quotas[finding.rule]
        n, d = finding.facts["numerator"], finding.facts["denominator"]
        assert isinstance(n, int) and isinstance(d, int)
        assert finding.facts["value"] == n / d and finding.facts["target"] == float(q.target)
        if q.op == ">=":
            assert finding.facts["needed"] == math.ceil(q.target * d) - n > 0
        else:
            assert finding.facts["excess"] == n - math.floor(q.target * d) > 0
