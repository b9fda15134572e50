"""Why a finding fired: every sub-condition of a rule with its value and three-valued result.

An *explanation* is a list of entries (plain JSON data, deterministic), one per node of the rule's
``where``, ``when`` and ``escalate`` expressions in depth-first order::

    {"part": "when", "depth": 0, "condition": "age < 35", "field": "age", "op": "<", "target": 35,
     "value": 33, "result": true}

``part`` names the expression (``where``, ``when``, ``escalate[0]`` …; quotas: ``population``,
``numerator``, ``when``; staffing: ``requires``, ``when``), ``depth`` its nesting (0 = the part
itself), ``condition`` the node as pack syntax with parameters filled in, ``result`` the reference
evaluator's Kleene value (``true``, ``false`` or ``null`` for unknown). Leaves also carry ``field``,
``op``, ``target`` (the literal compared with) and ``value`` (the subject's value, ``null`` when
missing); ``and`` / ``or`` / ``not`` nodes carry ``op`` only and are followed by their items at
``depth + 1``.

:func:`explain_official` evaluates one official against every official rule and quota of the packs
(fired or not) for ``cadre-rules explain``; :func:`render_explanation` prints it. Only the
official's id is shown, never the name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING
from typing import Literal

import attrs

from ._catalogue import OFFICIAL_FIELDS
from ._codes import POSITION
from ._context import OfficialContext
from ._expr import And
from ._expr import Cmp
from ._expr import Expr
from ._expr import IsNone
from ._expr import Member
from ._expr import Not
from ._expr import Or
from ._expr import Truth
from ._expr import evaluate
from ._expr import fields_of
from ._i18n import label
from ._i18n import translation
from ._model import JSONValue
from ._model import Official
from ._model import Severity
from ._model import Unit
from ._packs import QuotaDef
from ._packs import RuleDef
from ._types import Natural
from ._types import json_value
from .errors import InputError
from .errors import Problem
from .render._text import _words as words_of

if TYPE_CHECKING:
    from ._engine import Engine

__all__ = ["OfficialExplanation", "RuleExplanation", "condition_text", "explain_expr", "explain_official",
           "explain_quota", "explain_rule", "explain_staffing", "render_explanation"]

Entry = dict[str, JSONValue]
Status = Literal["fired", "suppressed", "unless", "gap", "unknown", "not_applicable", "not_fired",
                 "numerator", "population", "outside"]


# --------------------------------------------------------------------------- condition text


def literal(value: Natural) -> str:
    """A literal as a pack author writes it: quoted codes and dates, exact decimals or ``a/b``."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        den = value.denominator
        for prime in (2, 5):
            while den % prime == 0:
                den //= prime
        if den != 1:
            return f"{value.numerator}/{value.denominator}"
        places = 0
        while (value * 10**places).denominator != 1:
            places += 1
        return f"{float(value):.{places}f}"
    if isinstance(value, date):
        return repr(value.isoformat())
    return repr(value)


def condition_text(expr: Expr) -> str:
    """``expr`` in pack syntax, parameters replaced by their values (``age < 35``)."""
    if isinstance(expr, Cmp):
        if expr.field.type.kind == "bool" and expr.op in ("==", "!=") and isinstance(expr.value, bool):
            positive = expr.value == (expr.op == "==")
            return expr.field.name if positive else f"not {expr.field.name}"
        return f"{expr.field.name} {expr.op} {literal(expr.value)}"
    if isinstance(expr, Member):
        op = "not in" if expr.negated else "in"
        return f"{expr.field.name} {op} [{', '.join(literal(v) for v in expr.values)}]"
    if isinstance(expr, IsNone):
        return f"{expr.field.name} is {'not ' if expr.negated else ''}None"
    if isinstance(expr, Truth):
        return "True" if expr.value else "False"
    if isinstance(expr, Not):
        inner = condition_text(expr.item)
        return f"not ({inner})" if isinstance(expr.item, (And, Or)) else f"not {inner}"
    word = " and " if isinstance(expr, And) else " or "
    return word.join(f"({condition_text(i)})" if isinstance(i, (And, Or)) and not isinstance(i, type(expr))
                     else condition_text(i) for i in expr.items)


def explain_expr(expr: Expr, values: Mapping[str, Natural | None], part: str, depth: int = 0) -> list[Entry]:
    """The entries of ``expr`` and its sub-conditions (depth first) for a subject's ``values``.

    Each node is evaluated once, bottom-up (Kleene logic, as :func:`~cadre_rules._expr.evaluate`),
    and the parts of an entry that do not depend on the subject are built once per node.
    """
    out: list[Entry] = []
    _explain(expr, values, part, depth, out)
    return out


def _explain(expr: Expr, values: Mapping[str, Natural | None], part: str, depth: int, out: list[Entry]) -> bool | None:
    entry: Entry = {"part": part, "depth": depth, **_static(expr)}
    out.append(entry)
    result: bool | None
    if isinstance(expr, (And, Or)):
        results = [_explain(item, values, part, depth + 1, out) for item in expr.items]
        decisive = isinstance(expr, Or)  # the value that decides: False for `and`, True for `or`
        result = decisive if decisive in results else None if None in results else not decisive
    elif isinstance(expr, Not):
        inner = _explain(expr.item, values, part, depth + 1, out)
        result = None if inner is None else not inner
    else:
        if isinstance(expr, (Cmp, Member, IsNone)):
            if isinstance(expr, Member):  # each entry its own list
                entry["target"] = list(entry["target"])  # type: ignore[arg-type]
            entry["value"] = json_value(values.get(expr.field.name))
        result = evaluate(expr, values)
    entry["result"] = result
    return result


#: id(node) -> (node, the entry keys that depend on the node alone); the node is kept so that its id
#: cannot be reused while cached.
_STATIC: dict[int, tuple[Expr, Entry]] = {}


def _static(expr: Expr) -> Entry:
    """``condition``, and ``field``, ``op``, ``target`` of an expression node (built once per node)."""
    hit = _STATIC.get(id(expr))
    if hit is not None and hit[0] is expr:
        return hit[1]
    entry: Entry = {"condition": condition_text(expr)}
    if isinstance(expr, (Cmp, Member, IsNone)):
        entry["field"] = expr.field.name
        if isinstance(expr, Cmp):
            entry["op"] = expr.op
            entry["target"] = json_value(expr.value)
        elif isinstance(expr, Member):
            entry["op"] = "not in" if expr.negated else "in"
            entry["target"] = [json_value(v) for v in expr.values]
        else:
            entry["op"] = "is not None" if expr.negated else "is None"
    elif isinstance(expr, (And, Or, Not)):
        entry["op"] = "and" if isinstance(expr, And) else "or" if isinstance(expr, Or) else "not"
    if len(_STATIC) >= 1 << 14:  # packs come and go in a long-lived process: stay bounded
        _STATIC.clear()
    _STATIC[id(expr)] = (expr, entry)
    return entry


def explain_rule(rule: RuleDef, values: Mapping[str, Natural | None]) -> tuple[Entry, ...]:
    """The explanation of a per-official or per-unit rule: ``where``, ``when``, each ``escalate``."""
    out: list[Entry] = []
    if rule.where is not None:
        out.extend(explain_expr(rule.where.expr, values, "where"))
    out.extend(explain_expr(rule.when.expr, values, "when"))
    for j, esc in enumerate(rule.escalate):
        entries = explain_expr(esc.when.expr, values, f"escalate[{j}]")
        entries[0]["severity"] = esc.severity
        out.extend(entries)
    return tuple(out)


def explain_quota(quota: QuotaDef, numerator: int, denominator: int) -> tuple[Entry, ...]:
    """The explanation of an unmet quota in a scope: who is counted, the share, and how far off it is."""
    share = Fraction(numerator, denominator) if denominator else None
    unmet_op = "<" if quota.op == ">=" else ">"
    condition = f"numerator / denominator {unmet_op} {literal(quota.target)}"
    when: Entry = {"part": "when", "depth": 0, "condition": condition,
                   "field": "share", "op": unmet_op, "target": json_value(quota.target),
                   "value": None if share is None else json_value(share),
                   "result": None if share is None else (share < quota.target if unmet_op == "<"
                                                          else share > quota.target)}
    if share is not None and quota.op == ">=":
        when["needed"] = math.ceil(quota.target * denominator) - numerator
    elif share is not None:
        when["excess"] = numerator - math.floor(quota.target * denominator)
    return (
        {"part": "population", "depth": 0, "condition": condition_text(quota.population.expr), "count": denominator},
        {"part": "numerator", "depth": 0, "condition": condition_text(quota.numerator.expr), "count": numerator},
        when,
    )


def explain_staffing(required: Sequence[str], holders: Mapping[str, int]) -> tuple[Entry, ...]:
    """The explanation of a staffing finding: each required post with its number of holders."""
    out: list[Entry] = [
        {"part": "requires", "depth": 0, "condition": f"holders({post!r}) >= 1", "field": f"holders({post!r})",
         "op": ">=", "target": 1, "value": holders.get(post, 0), "result": holders.get(post, 0) >= 1}
        for post in required
    ]
    vacant = sum(1 for post in required if holders.get(post, 0) < 1)
    out.append({"part": "when", "depth": 0, "condition": "vacant > 0", "field": "vacant", "op": ">", "target": 0,
                "value": vacant, "result": vacant > 0})
    return tuple(out)


# --------------------------------------------------------------------------- one official


@attrs.frozen
class RuleExplanation:
    """One rule (or quota) of one pack evaluated for one official."""

    pack: str
    rule: str
    family: str
    kind: Literal["rule", "quota"]
    severity: Severity
    cite: str
    status: Status
    entries: tuple[Entry, ...]
    #: The finding's severity and message when it fired.
    finding_severity: Severity | None = None
    message: str | None = None
    #: Who set the finding aside and why (``status == "suppressed"``), or the families of ``unless``.
    by: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        return {"pack": self.pack, "rule": self.rule, "family": self.family, "kind": self.kind,
                "severity": self.severity, "status": self.status, "finding_severity": self.finding_severity,
                "message": self.message, "by": self.by, "reason": self.reason, "cite": self.cite,
                "explanation": [dict(e) for e in self.entries]}


@attrs.frozen
class OfficialExplanation:
    """Every official rule and quota of the packs evaluated for one official as of a date."""

    official: str
    unit: str
    district: str | None
    posts: tuple[str, ...]
    as_of: date
    packs: tuple[str, ...]
    rules: tuple[RuleExplanation, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, JSONValue]:
        return {"official": self.official, "unit": self.unit, "district": self.district,
                "posts": list(self.posts), "as_of": self.as_of.isoformat(), "packs": list(self.packs),
                "notes": list(self.notes), "rules": [r.to_dict() for r in self.rules]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


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
    official = next((o for o in officials if o.id == official_id), None)
    if official is None:
        raise InputError([Problem(source, "no official with this id", column="id", value=official_id)])
    unit = next((u for u in units if u.code == official.unit), None)
    if unit is None:
        raise InputError([Problem(source, "unknown unit code", column="unit", value=official.unit)])
    report = engine.evaluate([official], [unit], as_of)
    packs, notes = engine.packs_for(as_of)
    packs = [p for p in packs if p.covers(unit.code, unit.district)]  # a district pack elsewhere does not apply
    if rule is not None and not any(_matches(rule, p.id, r) for p in packs for r in p.rule_ids):
        known = ", ".join(f"{p.id}/{r}" for p in packs for r in p.rule_ids) or "none"
        raise InputError([Problem("--rule", f"no such rule in the packs evaluated (rules: {known})", value=rule)])
    ctx = OfficialContext(official, unit, as_of)
    if engine.plugins.has_enrichers():
        ctx.extra = engine.plugins.enrich([official], as_of).get(official.id, {})
    findings = {(f.pack, f.rule): f for f in report.findings if f.subject_kind == "official"}
    suppressed = {(s.finding.pack, s.finding.rule): s for s in report.suppressed
                  if s.finding.subject_kind == "official"}
    out: list[RuleExplanation] = []
    for pack in packs:
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
    return OfficialExplanation(official.id, unit.code, unit.district, official.posts, as_of,
                               tuple(p.ref for p in packs), tuple(out), tuple(notes))


# --------------------------------------------------------------------------- text


_MARK = {True: "✓", False: "✗", None: "?"}


def _value_text(entry: Entry, lang: str) -> str:
    t = translation(lang)
    value = entry.get("value")
    if value is None:
        return t.gettext("missing")
    if isinstance(value, bool):
        return t.gettext("yes") if value else t.gettext("no")
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if lang != "en" and isinstance(value, str):
        vi = _code_label(str(entry.get("field", "")), value)
        if vi is not None and vi != value:
            text += f" ({vi})"
    return text


def _code_label(field: str, value: str) -> str | None:
    spec = OFFICIAL_FIELDS.get(field)
    if spec is None:
        return None
    shown = label(spec.type, value, "vi")
    return shown if isinstance(shown, str) else None


def render_explanation(explanation: OfficialExplanation, *, lang: str = "vi") -> str:
    """The explanation as readable text in ``lang``: each rule, its status, each condition ✓ / ✗ / ?."""
    t = translation(lang)
    _ = t.gettext
    pgettext = t.pgettext
    e = explanation
    out = [_("Explanation for official {official} — as of {as_of}").format(official=e.official,
                                                                          as_of=e.as_of.isoformat())]
    posts = ", ".join(POSITION.label(p) if lang != "en" else p for p in e.posts)
    unit = e.unit if e.district is None else f"{e.unit} ({e.district})"
    out.append(_("Unit: {unit} · posts: {posts}").format(unit=unit, posts=posts))
    out.append(_("Packs: {packs}").format(packs=", ".join(e.packs) or _("(none)")))
    out.append(_("Legend: ✓ true · ✗ false · ? unknown (missing data)"))
    if e.notes:
        out.append(_("Notes:"))
        out.extend(f"  - {note}" for note in e.notes)
    parts = {"where": _("where"), "when": _("when"), "population": _("population"), "numerator": _("numerator")}
    status_text = {
        "fired": _("FINDING ({severity})"),
        "suppressed": _("finding set aside by {by}: {reason}"),
        "unless": _("conditions hold, but not reported: a finding of family {by} exists"),
        "gap": _("data gap: not evaluated"),
        "unknown": _("unknown: data missing, no finding"),
        "not_applicable": _("does not apply to this official"),
        "not_fired": _("no finding"),
        "numerator": _("counted in the population and in the numerator"),
        "population": _("counted in the population, not in the numerator"),
        "outside": _("not in the population of this quota"),
    }
    words = {"and": _("all of:"), "or": _("any of:"), "not": _("not:")}
    message_word, cite_word = _("message"), _("cite")
    current_pack = None
    if not e.rules:
        out += ["", _("No rule of these packs applies to officials.")]
    for r in e.rules:
        if r.pack != current_pack:
            current_pack = r.pack
            ref = next((p for p in e.packs if p.split("@", 1)[0] == r.pack), r.pack)
            out += ["", ref]
        severity = pgettext("severity", r.finding_severity or r.severity)
        status = status_text[r.status].format(severity=severity, by=r.by or "", reason=r.reason or "")
        mark = "●" if r.status == "fired" else "○"
        family = words_of(lang).get(r.family, r.family)
        out.append(f"  {mark} {r.rule}  [{family}, {pgettext('severity', r.severity)}] — {status}")
        last_part = None
        skip = -1
        for k, entry in enumerate(r.entries):
            if k == skip:
                continue
            part = str(entry["part"])
            if part != last_part:
                last_part = part
                if part.startswith("escalate["):
                    name = _("escalate to {severity}").format(
                        severity=pgettext("severity", str(entry.get("severity", ""))))
                else:
                    name = parts.get(part, part)
                out.append(f"      {name}:")
            depth = int(str(entry["depth"]))
            indent = "        " + "  " * depth
            result = entry["result"]
            mark_r = _MARK[result if isinstance(result, bool) else None]
            op = entry.get("op")
            child = r.entries[k + 1] if k + 1 < len(r.entries) else None
            if op == "not" and child is not None and "field" in child and child["depth"] == depth + 1:
                skip = k + 1  # not <leaf>: one line
                out.append(f"{indent}{mark_r} {entry['condition']}    [{child['field']} = {_value_text(child, lang)}]")
            elif op in words and "field" not in entry:
                out.append(f"{indent}{mark_r} {words[str(op)]}")
            elif "field" in entry:
                field = str(entry["field"])
                shown = _value_text(entry, lang)
                value = shown if entry["condition"] in (field, f"not {field}") else f"{field} = {shown}"
                out.append(f"{indent}{mark_r} {entry['condition']}    [{value}]")
            else:
                out.append(f"{indent}{mark_r} {entry['condition']}")
        if r.message is not None:
            out.append(f"      {message_word}: {' '.join(r.message.split())}")
        out.append(f"      {cite_word}: {r.cite}")
    return "\n".join(out) + "\n"
