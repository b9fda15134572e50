"""``cadre-rules packs diff OLD NEW``: what changes between two versions of a pack, rule by rule, and
(with data) in the findings and metrics of an evaluation.

A consumer of the Engine: the impact on data is two ordinary evaluations of the same officials and
units on the same date, one with each version, compared finding by finding and metric by metric. Its
text, HTML and JSON: :mod:`cadre_rules.jobs._pack_diff_formats`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from ..engine._arguments import check_records
from ..engine._engine import Engine
from ..errors import N_
from ..errors import InputError
from ..errors import PackError
from ..errors import Problem
from ..model._arguments import NOT_PARAMS
from ..model._arguments import a_date as date_problem
from ..model._arguments import a_flag
from ..model._arguments import a_mapping
from ..model._arguments import a_path
from ..model._arguments import problem
from ..model._arguments import refuse
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Report
from ..packs._packs import Pack
from ..packs._packs import StaffingDef

__all__ = ["POSTS", "Change", "Impact", "PackDiff", "diff_packs", "required_posts"]

#: What part of a rule a key of its table is.
_PARTS = {"where": "condition", "when": "condition", "escalate": "condition", "gap": "condition",
          "population": "condition", "numerator": "condition", "require": "condition", "unless_family": "condition",
          "subject": "condition", "per": "condition", "min_share": "threshold", "max_share": "threshold",
          "min_average": "threshold", "max_average": "threshold", "severity": "severity", "message": "message",
          "cite": "citation", "scopes": "scopes", "deadline": "deadline", "family": "family", "show": "message",
          "metric": "metric"}

#: The :class:`Change` key of the posts a staffing rule requires, resolved (:func:`required_posts`).
POSTS = "posts"


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
    changes += _post_changes(old, new)
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


def required_posts(staffing: StaffingDef) -> list[str]:
    """The posts ``staffing`` requires of each unit, as the pack resolved them (its key set, the parameter its
    ``require`` names): a position code each, ``a|b`` for one post that a holder of ``a`` or of ``b`` fills (as the
    parameter writes it), a post required under a condition followed by it in brackets."""
    posts: list[str] = []
    others: list[str] = []  # (``a|b`` is required as ``b`` where ``b`` is held, then as ``a`` where it is not)
    for r in staffing.requires:
        if r.where is not None and _ALTERNATIVE.fullmatch(r.where.text):
            others.append(r.position)
            continue
        if others:
            posts.append("|".join([r.position, *others]))
            others = []
        else:
            posts.append(r.position if r.where is None else f"{r.position} ({r.where.text})")
    return posts


#: The condition of the alternative ``b`` of a post ``a|b`` (the parameter's ``b`` held), as the pack loader writes it.
_ALTERNATIVE = re.compile(r"(?:holders\('[a-z_]+'\) == 0 and )*holders\('[a-z_]+'\) >= 1")


def _post_changes(old: Pack, new: Pack) -> list[Change]:
    """The posts a staffing rule of both packs requires, when they differ (:func:`required_posts`): what the
    reader compares, the pack's ``require`` naming a parameter or the key set rather than the posts."""
    before = {s.id: required_posts(s) for s in old.staffing}
    changes = []
    for s in sorted(new.staffing, key=lambda s: s.id):
        if s.id in before and before[s.id] != (after := required_posts(s)):
            changes.append(Change(s.id, POSTS, POSTS, before[s.id], after))
    return changes


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
    :raises InputError: an argument of the wrong type (named).
    """
    refuse(a_path("old", old), a_path("new", new), date_problem("as_of", as_of), a_flag("plugins", plugins),
           a_mapping("params", params, NOT_PARAMS),
           None if data is None else _data_problems(data))
    engines = []
    for ref in (old, new):
        engines.append(Engine([ref], params=params, plugins=plugins, replace_packs=True, timeout=None))
    a, b = engines[0].packs[-1], engines[1].packs[-1]
    if a.id != b.id:
        raise PackError([Problem.of(new, N_("packs diff compares two versions of one pack: {old} and {new} are "
                                            "different packs"), column="pack.id", value=b.id, old=repr(a.id),
                                    new=repr(b.id))])
    added, removed, changes = _rule_changes(a, b)
    if data is None:
        return PackDiff(a.ref, b.ref, tuple(added), tuple(removed), tuple(changes))
    as_of = as_of or date.today()
    officials, units = data
    reports = [e.evaluate(officials, units, as_of) for e in engines]
    impact = _impact(reports[0], reports[1], a.id, b.id)
    return PackDiff(a.ref, b.ref, tuple(added), tuple(removed), tuple(changes), as_of, tuple(impact))


def _data_problems(data: object) -> list[Problem]:
    """The problems of ``data``: a pair (officials, units) of records."""
    if not isinstance(data, tuple) or len(data) != 2:
        return [problem("data", _NOT_DATA, data, shown=False)]
    try:
        check_records(*data)
    except InputError as error:
        return list(error.problems)
    return []


# TRANSLATORS: load_officials and load_units are names of the Python API; {type} a Python type (list)
_NOT_DATA = N_("expected a pair (officials, units) of records (load_officials, load_units), or None, not a value "
               "of type {type}")
