"""SARIF 2.1.0: one run of the ``cadre-rules`` tool, a rule per pack rule, a result per finding.

Rule ids are ``PACK/RULE`` (two packs may share a rule id). Findings concern officials, units and
scopes, not files: each result has a logical location (name = subject id, kind = subject kind).
Findings a pack set aside are results with an external suppression carrying the written reason.
The report's notices (a family not checked, stale data, districts) are the tool execution
notifications of the run's invocation.
``helpUri`` is left out (the rules have no help page; SARIF requires an absolute URI when present).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from ..model._arguments import report_checked
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Report
from ..report._report import canonical_json
from ..report._report import chunks_of
from ..report._report import exact
from ..report._report import indented_list
from ..report._report import version
from ._common import notice_rules

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_pieces"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_id(f: Finding) -> str:
    return f"{f.pack}/{f.rule}"


def _result(f: Finding, index: int) -> dict[str, JSONValue]:
    location: dict[str, JSONValue] = {"name": f.subject_id, "kind": f.subject_kind}
    if f.scope_id != f.subject_id:
        location["fullyQualifiedName"] = f"{f.scope_id}/{f.subject_id}"
    return {
        "ruleId": _rule_id(f),
        "ruleIndex": index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"logicalLocations": [location]}],
        "partialFingerprints": {"cadreRulesSubject/v1": f"{_rule_id(f)}/{f.subject_kind}/{f.subject_id}"},
        "properties": {"pack": f.pack, "rule": f.rule, "family": f.family, "severity": f.severity,
                       "scope_id": f.scope_id, "facts": exact(dict(f.facts))},  # (the only floats of a result)
    }


@report_checked
def render_sarif(report: Report, lang: str = "vi") -> str:
    """The report as SARIF 2.1.0 JSON text (``lang`` is unused: messages come in the engine's language)."""
    return b"".join(sarif_pieces(report, lang)).decode()


@report_checked
def sarif_pieces(report: Report, lang: str = "vi") -> Iterator[bytes]:
    """:func:`render_sarif` in pieces, the results a few thousand at a time (streamed to the output)."""
    every = [*report.findings, *(s.finding for s in report.suppressed)]
    first: dict[str, Finding] = {}
    for f in sorted(every, key=lambda f: f.sort_key):
        first.setdefault(_rule_id(f), f)
    ids = sorted(first)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    rules: list[JSONValue] = [
        {"id": rule_id, "name": first[rule_id].rule,
         "shortDescription": {"text": first[rule_id].cite or first[rule_id].rule},
         "properties": {"pack": first[rule_id].pack, "family": first[rule_id].family, "cite": first[rule_id].cite}}
        for rule_id in ids
    ]
    marker = orjson.Fragment(b"\x00")  # the results' place: a byte JSON text never holds
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "cadre-rules", "version": version(), "rules": rules}},
        "results": marker,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "as_of": report.as_of.isoformat(), "city": report.city,
            "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256} for p in report.packs],
            "input": {"officials": report.officials, "units": report.units, "sha256": report.input_sha256},
        },
    }
    if report.notices:  # a family not checked, stale data, districts: notifications of the run
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": _LEVEL[n.severity], "message": {"text": n.message}, "descriptor": {"id": f"notice.{n.kind}"},
             **({"properties": {**({"family": n.family} if n.family else {}), **notice_rules(n)}}
                if n.family or n.rules else {})} for n in report.notices]}]
    doc: dict[str, Any] = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    head, tail = canonical_json(doc).encode().split(b"\x00")
    yield head
    yield from indented_list(_results(report, index), 3)  # doc > runs > run > results
    yield tail + b"\n"


def _results(report: Report, index: dict[str, int]) -> Iterator[list[Any]]:
    """The results, a chunk of findings at a time, then the findings set aside (with their suppression)."""
    for chunk in chunks_of(report.findings):
        yield [_result(f, index[_rule_id(f)]) for f in chunk]
    suppressed = []
    for s in report.suppressed:
        result = _result(s.finding, index[_rule_id(s.finding)])
        result["suppressions"] = [{"kind": "external", "justification": f"{s.by}: {s.reason}"}]
        suppressed.append(result)
    yield suppressed
