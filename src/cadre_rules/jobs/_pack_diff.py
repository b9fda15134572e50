"""``cadre-rules packs diff OLD NEW``: what changes between two versions of a pack, rule by rule, and
(with data) in the findings and metrics of an evaluation.

A consumer of the Engine: the impact on data is two ordinary evaluations of the same officials and
units on the same date, one with each version, compared finding by finding and metric by metric.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from .._engine import Engine
from .._model import Official
from .._model import Report
from .._model import Unit
from .._packs import Pack
from ..errors import PackError
from ..errors import Problem

__all__ = ["PackDiff", "diff_packs", "render_diff_html", "render_diff_json", "render_diff_text"]

#: What part of a rule a key of its table is.
_PARTS = {"where": "condition", "when": "condition", "escalate": "condition", "gap": "condition",
          "population": "condition", "numerator": "condition", "require": "condition", "unless_family": "condition",
          "subject": "condition", "per": "condition", "min_share": "threshold", "max_share": "threshold",
          "min_average": "threshold", "max_average": "threshold", "severity": "severity", "message": "message",
          "cite": "citation", "scopes": "scopes", "deadline": "deadline", "family": "family", "show": "message",
          "metric": "metric"}


@attrs.frozen
class Change:
    """One key of one rule (or of the pack) that differs: its part, and the values before and after."""

    rule: str  # the rule id, or "" for the pack's metadata and parameters
    part: str  # condition, severity, message, citation, threshold, scopes, params, effective, …
    key: str
    old: Any
    new: Any


@attrs.frozen
class Impact:
    """A finding that appears, disappears or changes severity; a metric whose value or status changes."""

    kind: str  # appears | disappears | severity | metric
    rule: str
    subject: str
    old: Any
    new: Any


@attrs.frozen
class PackDiff:
    old: str  # id@version
    new: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[Change, ...]
    as_of: date | None = None
    impact: tuple[Impact, ...] | None = None


def _tables(pack: Pack) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for family in ("rule", "quota", "staffing"):
        for table in pack.data.get(family, []):
            if isinstance(table, dict) and isinstance(table.get("id"), str):
                out[table["id"]] = table
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else value.numerator
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _rule_changes(old: Pack, new: Pack) -> tuple[list[str], list[str], list[Change]]:
    before, after = _tables(old), _tables(new)
    changes: list[Change] = []
    for rule_id in sorted(set(before) & set(after)):
        a, b = before[rule_id], after[rule_id]
        for key in sorted(set(a) | set(b)):
            if key == "id" or a.get(key) == b.get(key):
                continue
            changes.append(Change(rule_id, _PARTS.get(key, key), key, _plain(a.get(key)), _plain(b.get(key))))
    for key in sorted(set(old.params) | set(new.params)):
        if old.params.get(key) != new.params.get(key):
            changes.append(Change("", "params", key, _plain(old.params.get(key)), _plain(new.params.get(key))))
    for key, a_date, b_date in (("effective.from", old.effective_from, new.effective_from),
                                ("effective.to", old.effective_to, new.effective_to)):
        if a_date != b_date:
            changes.append(Change("", "effective", key, _plain(a_date), _plain(b_date)))
    for key in ("key_positions", "scope", "replaces"):
        if old.data.get(key) != new.data.get(key) and (key != "replaces" or old.replaces != new.replaces):
            changes.append(Change("", key, key, _plain(old.data.get(key)), _plain(new.data.get(key))))
    return sorted(set(after) - set(before)), sorted(set(before) - set(after)), changes


def _impact(old: Report, new: Report, old_id: str, new_id: str) -> list[Impact]:
    a = {(f.rule, f.subject_id): f.severity for f in old.findings if f.pack == old_id}
    b = {(f.rule, f.subject_id): f.severity for f in new.findings if f.pack == new_id}
    out = [Impact("appears", r, s, None, b[(r, s)]) for r, s in sorted(set(b) - set(a))]
    out += [Impact("disappears", r, s, a[(r, s)], None) for r, s in sorted(set(a) - set(b))]
    out += [Impact("severity", r, s, a[(r, s)], b[(r, s)]) for r, s in sorted(set(a) & set(b))
            if a[(r, s)] != b[(r, s)]]
    ma = {(m.id, m.scope, m.scope_id): m for m in old.metrics if m.pack == old_id}
    mb = {(m.id, m.scope, m.scope_id): m for m in new.metrics if m.pack == new_id}
    for key in sorted(set(ma) | set(mb)):
        x, y = ma.get(key), mb.get(key)
        view = [None if m is None else {"numerator": m.numerator, "denominator": m.denominator,
                                        "value": None if m.value is None else str(m.value),
                                        "target": str(m.target), "met": m.met} for m in (x, y)]
        if view[0] != view[1]:
            out.append(Impact("metric", key[0], f"{key[1]}:{key[2]}", view[0], view[1]))
    order = {"appears": 0, "disappears": 1, "severity": 2, "metric": 3}
    return sorted(out, key=lambda i: (i.rule, order[i.kind], i.subject))


def diff_packs(old: str, new: str, *, data: tuple[Sequence[Official], Sequence[Unit]] | None = None,
               as_of: date | None = None, plugins: bool = True, params: Mapping[str, object] | None = None,
               ) -> PackDiff:
    """The differences between two versions (``ID@VERSION``, an id, or a pack file) of one pack.

    With ``data`` (officials and units), both versions evaluate them as of ``as_of`` (default today).
    :raises PackError: two different pack ids (located at the second), or an unknown pack.
    """
    engines = []
    for ref in (old, new):
        engines.append(Engine([ref], params=params, plugins=plugins, replace_packs=True, timeout=None))
    a, b = engines[0].packs[-1], engines[1].packs[-1]
    if a.id != b.id:
        raise PackError([Problem(new, f"packs diff compares two versions of one pack: {a.id!r} and {b.id!r} are "
                                 "different packs", column="pack.id", value=b.id)])
    added, removed, changes = _rule_changes(a, b)
    if data is None:
        return PackDiff(a.ref, b.ref, tuple(added), tuple(removed), tuple(changes))
    as_of = as_of or date.today()
    officials, units = data
    reports = [e.evaluate(officials, units, as_of) for e in engines]
    impact = _impact(reports[0], reports[1], a.id, b.id)
    return PackDiff(a.ref, b.ref, tuple(added), tuple(removed), tuple(changes), as_of, tuple(impact))


def _dict(d: PackDiff) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": "cadre-rules/pack-diff/v1", "old": d.old, "new": d.new,
                           "added": list(d.added), "removed": list(d.removed),
                           "changed": [attrs.asdict(c) for c in d.changes]}
    if d.impact is not None:
        out["as_of"] = d.as_of.isoformat() if d.as_of else None
        out["impact"] = [attrs.asdict(i) for i in d.impact]
    return out


def render_diff_json(d: PackDiff) -> str:
    return json.dumps(_dict(d), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 100 else text[:97] + "..."


def render_diff_text(d: PackDiff) -> str:
    lines = [f"{d.old} → {d.new}"]
    lines += [f"  + {r}  (added)" for r in d.added]
    lines += [f"  - {r}  (removed)" for r in d.removed]
    for c in d.changes:
        lines.append(f"  ~ {c.rule or '[pack]'} {c.part} ({c.key}): {_short(c.old)} → {_short(c.new)}")
    if not (d.added or d.removed or d.changes):
        lines.append("  no rule, parameter or date differs")
    if d.impact is not None:
        lines.append(f"impact on the data as of {d.as_of}: {len(d.impact)} change(s)")
        for i in d.impact:
            if i.kind == "metric":
                lines.append(f"  ~ metric {i.rule} {i.subject}: {_short(i.old)} → {_short(i.new)}")
            elif i.kind == "appears":
                lines.append(f"  + {i.rule} {i.subject} {i.new}")
            elif i.kind == "disappears":
                lines.append(f"  - {i.rule} {i.subject} {i.old}")
            else:
                lines.append(f"  ~ {i.rule} {i.subject} {i.old} → {i.new}")
    return "\n".join(lines) + "\n"


def render_diff_html(d: PackDiff) -> str:
    e = html.escape
    rows = [f"<tr><td>added</td><td>{e(r)}</td><td></td><td></td><td></td></tr>" for r in d.added]
    rows += [f"<tr><td>removed</td><td>{e(r)}</td><td></td><td></td><td></td></tr>" for r in d.removed]
    rows += [f"<tr><td>{e(c.part)}</td><td>{e(c.rule or '[pack]')}</td><td>{e(c.key)}</td>"
             f"<td>{e(_short(c.old))}</td><td>{e(_short(c.new))}</td></tr>" for c in d.changes]
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
             f"<title>{e(d.old)} → {e(d.new)}</title></head><body>",
             f"<h1>{e(d.old)} → {e(d.new)}</h1>",
             "<table><thead><tr><th>change</th><th>rule</th><th>key</th><th>old</th><th>new</th></tr></thead>",
             "<tbody>" + "".join(rows) + "</tbody></table>"]
    if d.impact is not None:
        irows = [f"<tr><td>{e(i.kind)}</td><td>{e(i.rule)}</td><td>{e(i.subject)}</td>"
                 f"<td>{e(_short(i.old))}</td><td>{e(_short(i.new))}</td></tr>" for i in d.impact]
        parts += [f"<h2>Impact on the data as of {e(str(d.as_of))}</h2>",
                  "<table><thead><tr><th>change</th><th>rule</th><th>subject</th><th>old</th><th>new</th></tr>"
                  "</thead><tbody>" + "".join(irows) + "</tbody></table>"]
    parts.append("</body></html>\n")
    return "\n".join(parts)
