"""Explanations agree, entry by entry, with the evaluator and the pack syntax of each sub-condition."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_pack
from cadre_rules.engine import _durable
from cadre_rules.engine._asof import ENGINE_PACK
from cadre_rules.engine._asof import PAST_RETIREMENT
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import OfficialContext
from cadre_rules.model._dates import retirement_date
from cadre_rules.packs._expr import And
from cadre_rules.packs._expr import Expr
from cadre_rules.packs._expr import Not
from cadre_rules.packs._expr import Or
from cadre_rules.packs._expr import evaluate
from cadre_rules.packs._expr import fields_of
from cadre_rules.packs._packs import Pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.report._explain import condition_text
from cadre_rules.report._explain import explain_expr
from cadre_rules.report._explain import explain_rule
from conftest import EVERY_CONSTRUCT
from strategies import as_of_dates
from strategies import populations

from ._support import scaled

PACK = load_pack(EVERY_CONSTRUCT)
#: the same pack declaring both readings of the as-of date (docs/as-of.md §1-2), as the post-reform packs do
DECLARING = parse_pack({**PACK.data, "pack": {**PACK.data["pack"], "id": "every-construct-declaring"},
                        "params": {**PACK.data["params"], "retirement_ends_service": True, "rating_lookback_years": 2}})


def nodes(expr: Expr, depth: int = 0) -> Iterator[tuple[Expr, int]]:
    """Every node of an expression with its depth, depth first (the order of the entries)."""
    yield expr, depth
    if isinstance(expr, (And, Or)):
        for item in expr.items:
            yield from nodes(item, depth + 1)
    elif isinstance(expr, Not):
        yield from nodes(expr.item, depth + 1)


@settings(max_examples=scaled(1))
@given(populations(max_officials=8), as_of_dates)
def test_every_entry_is_its_node_evaluated(population: tuple[list[Official], list[Unit]], as_of: date) -> None:
    officials, units = population
    by_code = {u.code: u for u in units}
    expressions = [p.expr for rule in PACK.rules if rule.subject == "official"
                   for p in (rule.where, rule.when, rule.gap, *(e.when for e in rule.escalate)) if p is not None]
    for official in officials:
        context = OfficialContext(official, by_code[official.unit], as_of)
        for expr in expressions:
            values = {f.name: f.get(context) for f in fields_of(expr)}
            entries = explain_expr(expr, values, "when")
            expected = list(nodes(expr))
            assert len(entries) == len(expected)
            for entry, (node, depth) in zip(entries, expected, strict=True):
                assert (entry["depth"], entry["condition"], entry["result"]) == (
                    depth, condition_text(node), evaluate(node, values))


@settings(max_examples=scaled(1))
@given(populations(max_officials=12), as_of_dates, st.sampled_from(["reference", "durable"]),
       st.sampled_from([PACK, DECLARING]))
def test_each_finding_explains_its_own_officials_values(population: tuple[list[Official], list[Unit]],
                                                        as_of: date, backend: str, pack: Pack) -> None:
    """An official's finding carries the explanation of its rule on that official's own values
    (the engine makes findings a batch of officials at a time: no value may go to a neighbour)."""
    officials, units = population
    if backend == "durable" and not _durable.AVAILABLE:
        backend = "reference"
    report = Engine([pack], backend=backend).evaluate(officials, units, as_of)
    by_code = {u.code: u for u in units}
    by_id = {o.id: o for o in officials}
    rules = {rule.id: rule for rule in pack.rules}
    for finding in report.findings:
        if finding.subject_kind != "official":
            continue
        official = by_id[finding.subject_id]
        if finding.pack == ENGINE_PACK:  # not serving on the date: the engine's own finding, no rule's
            assert pack.retirement_ends_service
            assert finding.rule == PAST_RETIREMENT and retirement_date(official.birth_date, official.gender) < as_of
            assert finding.explanation == ()
            continue
        rule = rules[finding.rule]
        context = OfficialContext(official, by_code[official.unit], as_of, Calendar(as_of, pack.rating_lookback_years))
        parts = (rule.where, rule.when, *(e.when for e in rule.escalate))
        values = {f.name: f.get(context) for p in parts if p is not None for f in fields_of(p.expr)}
        assert finding.explanation == explain_rule(rule, values), finding
        assert finding.scope_id == official.unit
