"""A pack compiled to backend-neutral conditions: what each backend must decide, and what it means.

Every condition is guarded by the kind of fact it reads (``o`` official, ``u`` unit, ``m`` metric);
the backends (:mod:`._durable`, :mod:`._reference`) decide which conditions hold for a fact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any
from typing import Literal

import attrs

from ..model._report_records import Severity
from ..model._types import INT
from ..model._types import NUMBER
from ..model._types import TEXT
from ._catalogue import FieldSpec
from ._expr import And
from ._expr import Cmp
from ._expr import Expr
from ._expr import Parsed
from ._expr import Truth
from ._expr import fields_of
from ._packs import Pack
from ._packs import QuotaDef
from ._packs import RuleDef
from ._packs import StaffingDef

__all__ = ["Condition", "FactKind", "Program", "compile_pack"]

FactKind = Literal["o", "u", "m"]

METRIC_ID = FieldSpec("metric", TEXT, lambda values: values["metric"], "metric id")
METRIC_VALUE = FieldSpec("value", NUMBER, lambda values: values["value"], "metric value")


@attrs.frozen
class Condition:
    """A named condition on one kind of fact."""

    name: str
    kind: FactKind
    expr: Expr


@attrs.frozen
class OfficialRule:
    rule: RuleDef
    name: str
    escalations: tuple[tuple[str, Severity], ...]   # (condition name, severity)
    #: The fields a finding's message and explanation may show, in order: what the rule's conditions read and
    #: ``show`` names.
    fields: tuple[FieldSpec, ...]
    gap: str | None = None                     # condition name of the data-gap check
    #: The names of the fields a finding's facts carry (a subset of :attr:`fields`, in their order): what its
    #: ``when`` and escalations read and ``show`` names. What only ``where`` reads (who the rule applies to: a
    #: post, a category, guards such as ``not on_secondment``) holds alike for every finding of the rule and
    #: is in the explanation, not the facts (docs/report.md). ``None``: all of :attr:`fields` (no ``where``, or
    #: ``when`` reads all it reads).
    facts: tuple[str, ...] | None = None
    #: ``(field name, JSON encoder or None)`` of the fields a finding shows.
    json_encoders: tuple[tuple[str, Callable[[Any], Any] | None], ...] = attrs.field(init=False, eq=False,
                                                                                    repr=False)

    #: Whether the rule's messages show the subject's id (``{id}``).
    uses_id: bool = attrs.field(init=False, eq=False, repr=False)
    #: The names of :attr:`fields`.
    field_names: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "json_encoders", tuple((f.name, f.type.json_encoder()) for f in self.fields))
        object.__setattr__(self, "field_names", tuple(f.name for f in self.fields))
        message = self.rule.message
        object.__setattr__(self, "uses_id", "{id" in message.vi or "{id" in message.en)


@attrs.frozen
class QuotaPlan:
    quota: QuotaDef
    population: str
    numerator: str
    unmet: str


@attrs.frozen
class StaffingPlan:
    staffing: StaffingDef
    vacant_field: FieldSpec
    vacancy: str
    unmet: str


@attrs.frozen
class Program:
    """The conditions of one pack, and the fields each kind of fact must carry."""

    pack: Pack
    conditions: tuple[Condition, ...]
    #: The fields each fact carries for the backend's conditions.
    fields: Mapping[FactKind, tuple[FieldSpec, ...]]
    #: The fields findings show (conditions' fields and ``show``), computed per fact too.
    shown: Mapping[FactKind, tuple[FieldSpec, ...]]
    official_rules: tuple[OfficialRule, ...]
    unit_rules: tuple[OfficialRule, ...]
    quotas: tuple[QuotaPlan, ...]
    tallies: Mapping[str, str]                  # count('…') key -> condition name
    staffing: tuple[StaffingPlan, ...]

    def by_kind(self, kind: FactKind) -> Iterator[Condition]:
        return (c for c in self.conditions if c.kind == kind)


def _conj(*parts: Parsed | Expr | None) -> Expr:
    items: list[Expr] = []
    for part in parts:
        if part is None:
            continue
        items.append(part.expr if isinstance(part, Parsed) else part)
    if not items:
        return Truth(True)
    return items[0] if len(items) == 1 else And(tuple(items))


def _unique(fields: list[FieldSpec]) -> tuple[FieldSpec, ...]:
    seen: dict[str, FieldSpec] = {}
    for f in fields:
        seen.setdefault(f.name, f)
    return tuple(seen.values())


def _rule_plan(rule: RuleDef, name: str, kind: FactKind, conditions: list[Condition]) -> OfficialRule:
    base = _conj(rule.where, rule.when)
    conditions.append(Condition(name, kind, base))
    escalations: list[tuple[str, Severity]] = []
    for j, esc in enumerate(rule.escalate):
        ename = f"{name}e{j}"
        conditions.append(Condition(ename, kind, _conj(base, esc.when)))
        escalations.append((ename, esc.severity))
    said = [f for p in (rule.when, *(e.when for e in rule.escalate)) for f in fields_of(p.expr)]
    said.extend(rule.show)
    fields = _unique([*(fields_of(rule.where.expr) if rule.where is not None else ()), *said])
    named = {f.name for f in said}
    facts = tuple(f.name for f in fields if f.name in named)
    gap = None
    if rule.gap is not None:
        gap = f"{name}g"
        conditions.append(Condition(gap, kind, rule.gap.expr))
    return OfficialRule(rule, name, tuple(escalations), fields, gap, None if len(facts) == len(fields) else facts)


def compile_pack(pack: Pack) -> Program:
    """Compile a validated pack into conditions and fact layouts."""
    conditions: list[Condition] = []
    official_rules: list[OfficialRule] = []
    unit_rules: list[OfficialRule] = []
    tallies: dict[str, str] = {}
    tally_exprs: dict[str, Parsed] = {}
    for i, rule in enumerate(pack.rules):
        kind: FactKind = "o" if rule.subject == "official" else "u"
        plan = _rule_plan(rule, f"r{i}", kind, conditions)
        (official_rules if kind == "o" else unit_rules).append(plan)
        for p in (rule.where, rule.when, rule.gap, *(e.when for e in rule.escalate)):
            if p is not None:
                tally_exprs.update(p.tallies)
        for field in rule.show:  # count('…') shown by a finding is counted too
            if field.tally is not None:
                tally_exprs[field.name] = field.tally
    for staffing in pack.staffing:
        for req in staffing.requires:
            if req.where is not None:
                tally_exprs.update(req.where.tallies)
    for k, (key, parsed) in enumerate(sorted(tally_exprs.items())):
        tallies[key] = f"t{k}"
        conditions.append(Condition(f"t{k}", "o", parsed.expr))
    quotas: list[QuotaPlan] = []
    for i, quota in enumerate(pack.quotas):
        pop, num, unmet = f"q{i}p", f"q{i}n", f"q{i}m"
        conditions.append(Condition(pop, "o", quota.population.expr))
        conditions.append(Condition(num, "o", _conj(quota.population, quota.numerator)))
        bound = Cmp(METRIC_VALUE, "<" if quota.op == ">=" else ">", quota.target)
        conditions.append(Condition(unmet, "m", And((Cmp(METRIC_ID, "==", quota.id), bound))))
        quotas.append(QuotaPlan(quota, pop, num, unmet))
    staffing_plans: list[StaffingPlan] = []
    for i, staffing in enumerate(pack.staffing):
        key = f"vacant:{staffing.id}"
        vacant = FieldSpec(key, INT, functools.partial(_tally, key), "vacant required posts")
        conditions.append(Condition(f"s{i}", "u", Cmp(vacant, ">", 0)))
        unmet = f"s{i}m"
        conditions.append(Condition(unmet, "m", And((Cmp(METRIC_ID, "==", staffing.metric),
                                                     Cmp(METRIC_VALUE, "<", 1)))))
        staffing_plans.append(StaffingPlan(staffing, vacant, f"s{i}", unmet))

    fields: dict[FactKind, list[FieldSpec]] = {"o": [], "u": [], "m": [METRIC_ID, METRIC_VALUE]}
    for cond in conditions:
        if cond.kind != "m":
            fields[cond.kind].extend(fields_of(cond.expr))
    shown: dict[FactKind, list[FieldSpec]] = {"o": [], "u": []}
    for plan in official_rules:
        shown["o"].extend(plan.fields)
    for plan in unit_rules:
        shown["u"].extend(plan.fields)
    return Program(pack, tuple(conditions), {k: _unique(v) for k, v in fields.items()},
                   {k: _unique(v) for k, v in shown.items()},
                   tuple(official_rules), tuple(unit_rules), tuple(quotas), tallies, tuple(staffing_plans))


def _tally(key: str, ctx: object) -> int:
    return ctx.tally(key)  # type: ignore[attr-defined,no-any-return]
