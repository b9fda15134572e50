"""``cadre-rules explain``: one official evaluated against every official rule and quota of the packs
(fired or not), each condition with its value (:mod:`cadre_rules.report._explain`'s entries).

A consumer of the engine: the engine decides the findings; the entries come from the reference
evaluator. The official is named (full name, position label, unit name) unless redacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from ..engine._arguments import NOT_AN_ENGINE
from ..engine._arguments import check_records
from ..engine._asof import ENGINE_PACK
from ..engine._engine import Engine
from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Problem
from ..model._arguments import a_date
from ..model._arguments import a_text
from ..model._arguments import an_instance
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._model import Official
from ..model._model import Unit
from ..model._names import post_label
from ..model._types import Natural
from ..packs._expr import Expr
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..render._labels import field_text
from ..report._explain import OfficialExplanation
from ..report._explain import RuleExplanation
from ..report._explain import Status
from ..report._explain import explain_expr
from ..report._explain import explain_rule
from ..report._notices import read_notices

__all__ = ["explain_official"]


def _values(ctx: OfficialContext, exprs: Sequence[Expr]) -> dict[str, Natural | None]:
    return {f.name: f.get(ctx) for e in exprs for f in fields_of(e)}


def _matches(selector: str, pack: str, rule: str) -> bool:
    wanted_pack, slash, wanted_rule = selector.rpartition("/")
    return rule == wanted_rule and (not slash or wanted_pack == pack)


def explain_official(engine: Engine, officials: Sequence[Official], units: Sequence[Unit], official_id: str,
                     as_of: date, *, rule: str | None = None, source: str = "<officials>") -> OfficialExplanation:
    """Evaluate one official against every official rule and quota of the engine's packs on ``as_of``.

    Findings, ``unless_family`` and pack overrides are decided by the engine itself (on the official
    alone: official rules read only the official and the unit); each condition's value comes from the
    reference evaluator. ``rule`` (``RULE`` or ``PACK/RULE``) narrows the rules shown.
    Raises :class:`InputError` for an unknown official or a rule no pack has.
    """
    officials, units = check_records(
        officials, units, an_instance("engine", engine, Engine, NOT_AN_ENGINE), a_text("official_id", official_id),
        a_date("as_of", as_of, optional=False), a_text("rule", rule, optional=True), a_text("source", source))
    official = next((o for o in officials if o.id == official_id), None)
    if official is None:
        raise InputError([Problem(source, N_("no official with this id"), column="id", value=official_id)])
    unit = next((u for u in units if u.code == official.unit), None)
    if unit is None:
        raise InputError([Problem(source, N_("unknown unit code"), column="unit", value=official.unit)])
    report = engine.evaluate([official], [unit], as_of)
    packs, notes = engine.packs_for(as_of)
    packs = engine.without_disabled(packs)[0]  # (a plugin whose enricher failed in the evaluation: as it left them)
    # how the data files were read (rows left out, ids made…), said first, as every report of them says it
    notes = [*(n.message for n in read_notices(officials, engine.lang)), *notes]
    packs = [p for p in packs if p.covers(unit.code, unit.district)]  # a district pack elsewhere does not apply
    if rule is not None and not any(_matches(rule, p.id, r) for p in packs for r in p.rule_ids):
        known = ", ".join(f"{p.id}/{r}" for p in packs for r in p.rule_ids) or "none"
        raise InputError([Problem.of(Argument("rule"), N_("no such rule in the packs evaluated (rules: {known})"),
                                     value=rule, known=known)])
    district = None if report.districts == "dropped" else unit.district  # (no districts from 2025-07-01)
    named = {"name": official.full_name, "position": post_label(official, engine.lang),
             "unit_name": unit.name}
    retired = [f for f in report.findings if f.subject_kind == "official" and f.pack == ENGINE_PACK]
    explained = packs
    if retired:  # not serving on the date for the packs that say so: none of their rules reads them (docs/as-of.md)
        notes = [*notes, *(f.message for f in retired)]
        explained = [p for p in packs if not p.retirement_ends_service]
        if not explained:
            return OfficialExplanation(official.id, unit.code, district, official.posts, as_of,
                                       tuple(p.ref for p in packs), (), tuple(notes), named["name"],
                                       named["position"], named["unit_name"])
    extra = engine.plugins.enrich([official], as_of).get(official.id, {}) if engine.plugins.has_enrichers() else {}
    findings = {(f.pack, f.rule): f for f in report.findings if f.subject_kind == "official"}
    suppressed = {(s.finding.pack, s.finding.rule): s for s in report.suppressed
                  if s.finding.subject_kind == "official"}
    out: list[RuleExplanation] = []
    for pack in explained:
        ctx = OfficialContext(official, unit, as_of, Calendar(as_of, pack.rating_lookback_years))
        ctx.extra = extra
        for r in pack.rules:
            if r.subject != "official" or (rule is not None and not _matches(rule, pack.id, r.id)):
                continue
            exprs = [p.expr for p in (r.where, r.when, r.gap, *(e.when for e in r.escalate)) if p is not None]
            values = _values(ctx, exprs)
            entries = explain_rule(r, values)
            found = findings.get((pack.id, r.id))
            base = RuleExplanation(pack.id, r.id, r.family, "rule", r.severity, r.cite, "not_fired", entries)
            where = True if r.where is None else evaluate(r.where.expr, values)
            when = evaluate(r.when.expr, values)
            if found is not None:
                base = attrs.evolve(base, status="fired", finding_severity=found.severity, message=found.message)
            elif (pack.id, r.id) in suppressed:
                s = suppressed[(pack.id, r.id)]
                base = attrs.evolve(base, status="suppressed", finding_severity=s.finding.severity,
                                    message=s.finding.message, by=s.by, reason=s.reason)
            elif where is True and when is True:
                base = attrs.evolve(base, status="unless", by=", ".join(r.unless_families))
            elif r.gap is not None and evaluate(r.gap.expr, values) is True:
                base = attrs.evolve(base, status="gap")
            elif where is False:
                base = attrs.evolve(base, status="not_applicable")
            elif where is None or when is None:
                base = attrs.evolve(base, status="unknown")
            out.append(base)
        for q in pack.quotas:
            if rule is not None and not _matches(rule, pack.id, q.id):
                continue
            values = _values(ctx, [q.population.expr, q.numerator.expr])
            entries = (*explain_expr(q.population.expr, values, "population"),
                       *explain_expr(q.numerator.expr, values, "numerator"))
            pop = evaluate(q.population.expr, values)
            num = evaluate(q.numerator.expr, values)
            status: Status = "outside" if pop is False else "unknown" if pop is None or num is None \
                else "numerator" if num else "population"
            out.append(RuleExplanation(pack.id, q.id, q.family, "quota", q.severity, q.cite, status, tuple(entries)))
    return OfficialExplanation(official.id, unit.code, district, official.posts, as_of,
                               tuple(p.ref for p in packs), tuple(_labelled(r, engine.lang) for r in out),
                               tuple(notes), named["name"], named["position"], named["unit_name"],
                               {p.id: p.rule_names for p in packs if p.rule_names})


def _labelled(explained: RuleExplanation, lang: str) -> RuleExplanation:
    """``explained`` with each condition's field named in ``lang`` beside it (``"label"``: "số tháng giữ chức vụ"
    for ``months_in_post``, as the text shows it; the JSON keeps the pack's expression and field, additively)."""
    return attrs.evolve(explained, entries=tuple(
        {**entry, "label": field_text(str(entry["field"]), None, lang)[0]} if "field" in entry else entry
        for entry in explained.entries))
