"""``cadre-rules explain --unit CODE`` / ``--district NAME`` / ``--city`` (issue #16 §5): why a unit's or a
scope's finding fired — its findings and metrics, and for each share quota the people counted (in the
numerator), the people of the population not counted, and those whose data leave it unknown.

A consumer of the engine: the findings and metrics are the engine's (one :meth:`Engine.evaluate` of the whole
data); who is in a quota's population and numerator comes from the reference evaluator over the same contexts,
and the counts agree with the engine's metric (a test checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import attrs

from ..engine._arguments import NOT_AN_ENGINE
from ..engine._arguments import check_records
from ..engine._asof import ENGINE_PACK
from ..engine._engine import Engine
from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Problem
from ..model._arguments import a_choice
from ..model._arguments import a_date
from ..model._arguments import a_text
from ..model._arguments import an_instance
from ..model._codes import match_key
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._model import Official
from ..model._model import Unit
from ..model._names import subject_fields
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Metric
from ..model._report_records import Names
from ..model._report_records import PackRef
from ..model._unit_names import the_unit
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..render._labels import MetricNames
from ..report._applied import not_applied_text
from ..report._coverage import foreign_packs
from ..report._needed import metric_needed
from ..report._report import finding_record
from ..report._uncomputed import uncomputed_quota_notices
from ..report._unstaffed import with_unstaffed_units

__all__ = ["QuotaPeople", "ScopeExplanation", "ScopeKind", "explain_scope"]

ScopeKind = Literal["city", "district", "unit"]
_KINDS = ("city", "district", "unit")


@attrs.frozen
class QuotaPeople:
    """Who a quota of a pack counted in the scope."""

    pack: str
    quota: str
    family: str
    severity: str
    cite: str
    #: the engine's metric of the quota for the scope (``None``: the quota has no such scope)
    metric: Metric | None
    #: official ids in the population and the numerator
    counted: tuple[str, ...]
    #: official ids in the population, not in the numerator
    not_counted: tuple[str, ...]
    #: official ids whose data leave population or numerator unknown (counted in neither)
    unknown: tuple[str, ...]


@attrs.frozen
class ScopeExplanation:
    """A unit's, a district's or the city's findings and metrics, and the people each quota counted."""

    kind: ScopeKind
    id: str
    name: str
    as_of: date
    packs: tuple[str, ...]
    findings: tuple[Finding, ...]
    metrics: tuple[Metric, ...]
    quotas: tuple[QuotaPeople, ...]
    notes: tuple[str, ...] = ()
    #: the officials' and units' names (``None``: redacted)
    names: Names | None = attrs.field(default=None, eq=False)
    #: the packs in force, with the names they give their metrics (:attr:`~cadre_rules.PackRef.metrics`)
    pack_refs: tuple[PackRef, ...] = attrs.field(default=(), eq=False)
    #: the ``id@version`` of the packs in force that apply to none of the scope's units (another commune's or
    #: district's plugin: :mod:`~cadre_rules.report._applied`), not named in the header, said once in the notes
    not_applying: tuple[str, ...] = ()

    def redacted(self) -> ScopeExplanation:
        return attrs.evolve(self, names=None, name=self.id)

    def to_dict(self) -> dict[str, JSONValue]:
        def people(ids: Sequence[str]) -> list[JSONValue]:
            return [subject_fields(self.names, "official", i) for i in ids]

        def metric(m: Metric | None) -> JSONValue:
            if m is None:
                return None
            more = metric_needed(m)
            return {"numerator": m.numerator, "denominator": m.denominator,
                    "value": None if m.value is None else float(m.value), "target": float(m.target), "op": m.op,
                    "met": m.met, "needed": None if more is None else {"replacing": more.replacing,
                                                                       "adding": more.adding}}

        # (a metric's names in both languages, as every report names it: its pack's, else the built-in packs')
        named = MetricNames.in_each_language(self.pack_refs)
        return {"kind": self.kind, "id": self.id, "name": self.name, "as_of": self.as_of.isoformat(),
                "packs": list(self.packs),
                # (those of the packs that apply to none of the scope's units: evaluate's json marks them
                # "applies": false)
                **({"not_applying": list(self.not_applying)} if self.not_applying else {}),
                "notes": list(self.notes),
                "findings": [finding_record(f, explain=True, names=self.names) for f in self.findings],
                "metrics": [{"pack": m.pack, "id": m.id, "metric": metric(m), "name": named(m.pack, m.id)}
                            for m in self.metrics],
                "quotas": [{"pack": q.pack, "quota": q.quota, "family": q.family, "severity": q.severity,
                            "cite": q.cite, "metric": metric(q.metric), "counted": people(q.counted),
                            "not_counted": people(q.not_counted), "unknown": people(q.unknown),
                            "name": named(q.pack, q.quota)}
                           for q in self.quotas]}


def _members(report_city: str, units: Sequence[Unit], kind: ScopeKind,
             ident: str | None) -> tuple[str, str, list[Unit]]:
    """The scope's id, name and units; :class:`InputError` for an unknown unit or district."""
    if kind == "city":
        return report_city, report_city, list(units)
    if kind == "district":
        known = sorted({u.district for u in units if u.district})
        match = next((d for d in known if ident is not None and match_key(d) == match_key(ident)), None)
        if match is None:
            raise InputError([Problem.of(Argument("district"), N_("no such district in the data (districts: {known})"),
                                         value=ident, known=", ".join(known) or "—")])
        return match, match, [u for u in units if u.district == match]
    missing = N_("no unit with this code or name")
    if ident is None:
        raise InputError([Problem(Argument("unit"), missing, value=ident)])
    unit = {u.code: u for u in units}[the_unit(ident, {u.code: u.name for u in units}, Argument("unit"), missing)]
    return unit.code, unit.name, [unit]


def explain_scope(engine: Engine, officials: Sequence[Official], units: Sequence[Unit], kind: ScopeKind,
                  ident: str | None, as_of: date) -> ScopeExplanation:
    """Evaluate the data on ``as_of`` and explain the scope ``kind`` ``ident`` (a unit's code or name, a
    district's name; the city needs none): its findings, metrics, and each quota's people."""
    officials, units = check_records(
        officials, units, an_instance("engine", engine, Engine, NOT_AN_ENGINE), a_choice("kind", kind, _KINDS),
        a_text("ident", ident, optional=True), a_date("as_of", as_of, optional=False))
    # (a commune's officials with the city's units file: the other units' vacancies left out, a note first, as
    # `evaluate` reports them)
    report = with_unstaffed_units(engine.evaluate(officials, units, as_of), officials, units, engine.lang)
    scope_id, name, members = _members(report.city, units, kind, ident)
    codes = {u.code for u in members}
    by_code = {u.code: u for u in members}
    metric_scope = "unit" if kind == "unit" else kind
    # (past retirement age: not serving for the packs that say so, docs/as-of.md §1 — said among the scope's
    # findings, those of its officials: a post their holder no longer fills is vacant, and says why)
    past = tuple(f for f in report.findings if f.pack == ENGINE_PACK and f.subject_kind == "official")
    retired = {f.subject_id for f in past}
    findings = (*(f for f in report.findings if f.subject_kind in ("unit", "scope") and f.subject_id == scope_id),
                *(f for f in past if f.scope_id in codes))
    metrics = tuple(m for m in report.metrics if m.scope == metric_scope and m.scope_id == scope_id)
    people = [o for o in officials if o.unit in codes]
    extra = engine.plugins.enrich(people, as_of) if engine.plugins.has_enrichers() and people else {}
    packs, notes = engine.packs_for(as_of)
    packs = engine.without_disabled(packs)[0]  # (a plugin whose enricher failed: as the evaluation left them)
    # how the data files were read (rows left out, ids made…), said first, as the report of the data says it
    notes = [*(n.message for n in report.notices if n.kind in ("units", "input")), *notes]
    # (a quota of the scope reading a column the input lacks: said uncomputed, its 0/0 not a result, as the report
    # of the data says it)
    shown = {(m.pack, m.id) for m in metrics}
    notes += [n.message for n in uncomputed_quota_notices(report, packs, officials, engine.lang)
              if set(n.rules) <= shown]
    # (a commune's or district's: another commune's or district's packs apply to none of its units, said once)
    foreign = () if kind == "city" else tuple(sorted(foreign_packs(packs, members)))
    note = not_applied_text(foreign, name, engine.lang)
    notes = notes if note is None else [*notes, note]
    quotas: list[QuotaPeople] = []
    for pack in packs:
        if not any(pack.covers(u.code, u.district) for u in members):
            continue  # (a commune's or another district's pack: its quotas are not this scope's)
        calendar = Calendar(as_of, pack.rating_lookback_years)
        contexts = []
        for o in people:
            unit = by_code[o.unit]
            if not pack.covers(unit.code, unit.district) or (pack.retirement_ends_service and o.id in retired):
                continue
            ctx = OfficialContext(o, unit, as_of, calendar)
            ctx.extra = extra.get(o.id, {})
            contexts.append(ctx)
        for q in pack.quotas:
            if q.per != "official" or metric_scope not in q.scopes:
                continue
            counted, not_counted, unknown = [], [], []
            wanted = [*fields_of(q.population.expr), *fields_of(q.numerator.expr)]
            for ctx in contexts:
                values = {f.name: f.get(ctx) for f in wanted}
                in_population = evaluate(q.population.expr, values)
                if in_population is False:
                    continue
                in_numerator = evaluate(q.numerator.expr, values)
                if in_population is None or in_numerator is None:
                    unknown.append(ctx.official.id)
                elif in_numerator:
                    counted.append(ctx.official.id)
                else:
                    not_counted.append(ctx.official.id)
            metric = next((m for m in metrics if (m.pack, m.id) == (pack.id, q.id)), None)
            quotas.append(QuotaPeople(pack.id, q.id, q.family, q.severity, q.cite, metric, tuple(sorted(counted)),
                                      tuple(sorted(not_counted)), tuple(sorted(unknown))))
    return ScopeExplanation(kind, scope_id, name, as_of, tuple(p.ref for p in packs), tuple(findings), metrics,
                            tuple(quotas), tuple(notes), report.names, report.packs, foreign)
