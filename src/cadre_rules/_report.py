"""The JSON report contract (DESIGN.md §6): canonical, deterministic, byte-identical for equal input."""

from __future__ import annotations

import json
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._model import Report

__all__ = ["SCHEMA", "JSONValue", "report_to_dict", "report_to_json", "version"]

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]
SCHEMA = "cadre-rules/report/v1"


def version() -> str:
    try:
        return metadata.version("cadre-rules")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def report_to_dict(report: Report) -> dict[str, JSONValue]:
    """The report as plain JSON-compatible data, in contract order."""
    return {
        "schema": SCHEMA,
        "cadre_rules_version": version(),
        "as_of": report.as_of.isoformat(),
        "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256} for p in report.packs],
        "input": {"officials": report.officials, "units": report.units, "sha256": report.input_sha256},
        "summary": dict(report.summary),
        "metrics": [
            {
                "pack": m.pack, "id": m.id, "scope": m.scope, "scope_id": m.scope_id,
                "numerator": m.numerator, "denominator": m.denominator,
                "value": None if m.value is None else float(m.value),
                "target": float(m.target), "op": m.op, "met": m.met,
            }
            for m in report.metrics
        ],
        "findings": [
            {
                "pack": f.pack, "rule": f.rule, "family": f.family, "severity": f.severity,
                "subject": {"kind": f.subject_kind, "id": f.subject_id}, "scope_id": f.scope_id,
                "message": f.message, "cite": f.cite, "facts": dict(f.facts),
                "explanation": [dict(e) for e in f.explanation],
            }
            for f in report.findings
        ],
        "notes": list(report.notes),
        "suppressed": [
            {"pack": s.finding.pack, "rule": s.finding.rule,
             "subject": {"kind": s.finding.subject_kind, "id": s.finding.subject_id},
             "scope_id": s.finding.scope_id, "by": s.by, "reason": s.reason}
            for s in report.suppressed
        ],
    }


def report_to_json(report: Report) -> str:
    """Canonical JSON text: UTF-8 characters kept, two-space indent, newline-terminated."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
