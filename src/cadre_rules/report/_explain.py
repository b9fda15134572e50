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

``cadre-rules explain`` evaluates one official against every rule of the packs with these entries
(:mod:`cadre_rules.jobs._explain_official`) and prints them (:mod:`cadre_rules.render._explanation`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Literal

import attrs

from ..model._report_records import JSONValue
from ..model._report_records import Severity
from ..model._types import Natural
from ..model._types import json_value
from ..packs._expr import And
from ..packs._expr import Cmp
from ..packs._expr import Expr
from ..packs._expr import IsNone
from ..packs._expr import Member
from ..packs._expr import Not
from ..packs._expr import Or
from ..packs._expr import Rel
from ..packs._expr import Truth
from ..packs._expr import evaluate
from ..packs._packs import QuotaDef
from ..packs._packs import RuleDef

__all__ = ["Entry", "OfficialExplanation", "RuleExplanation", "Status", "condition_text", "explain_expr",
           "explain_quota", "explain_rule", "explain_staffing", "literal"]

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
    if isinstance(expr, Rel):
        return f"{expr.left.name} {expr.op} {expr.right.name}"
    if isinstance(expr, Not):
        inner = condition_text(expr.item)
        return f"not ({inner})" if isinstance(expr.item, (And, Or)) else f"not {inner}"
    word = " and " if isinstance(expr, And) else " or "
    return word.join(f"({condition_text(i)})" if isinstance(i, (And, Or)) and not isinstance(i, type(expr))
                     else condition_text(i) for i in expr.items)


def explain_expr(expr: Expr, values: Mapping[str, Natural | None], part: str, depth: int = 0) -> list[Entry]:
    """The entries of ``expr`` and its sub-conditions (depth first) for a subject's ``values``.

    Each node is evaluated once, bottom-up (Kleene logic, as :func:`~cadre_rules.packs._expr.evaluate`),
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
        elif isinstance(expr, Rel):  # the two fields' values: the field's, and the one it is compared with
            entry["value"] = json_value(values.get(expr.left.name))
            entry["target_value"] = json_value(values.get(expr.right.name))
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
    elif isinstance(expr, Rel):
        entry["field"] = expr.left.name
        entry["op"] = expr.op
        entry["target"] = expr.right.name
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
        {"part": "units", "depth": 0, "condition": "units in the scope", "count": denominator} if quota.per == "unit"
        else {"part": "population", "depth": 0, "condition": condition_text(quota.population.expr),
              "count": denominator},
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
    #: The official's full name, position label and unit name (``None``: redacted, ``--redact``).
    name: str | None = None
    position: str | None = None
    unit_name: str | None = None
    #: The names the packs give their rules, by pack and rule id (:attr:`~cadre_rules.PackRef.rules`), for the
    #: text's headings; not in the JSON (its contract unchanged).
    rule_names: Mapping[str, Mapping[str, Mapping[str, str]]] = attrs.field(factory=dict, eq=False, repr=False)

    def redacted(self) -> OfficialExplanation:
        """The explanation without the official's name, position label and unit name (ids only)."""
        return attrs.evolve(self, name=None, position=None, unit_name=None)

    def to_dict(self) -> dict[str, JSONValue]:
        named: dict[str, JSONValue] = {} if self.name is None else {
            "name": self.name, "position": self.position, "unit_name": self.unit_name}
        return {"official": self.official, **named, "unit": self.unit, "district": self.district,
                "posts": list(self.posts), "as_of": self.as_of.isoformat(), "packs": list(self.packs),
                "notes": list(self.notes), "rules": [r.to_dict() for r in self.rules]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
