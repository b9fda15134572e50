"""The JSON report contract (DESIGN.md §6): canonical, deterministic, byte-identical for equal input."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from collections.abc import Iterable
from importlib import metadata
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from ._model import Report

__all__ = ["SCHEMA", "JSONValue", "canonical_json", "json_encoder", "report_to_dict", "report_to_json", "version"]

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
        "backend": report.backend,
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
                **({"key_positions": m.key_positions} if m.key_positions is not None else {}),
                **({"per": m.per} if m.per != "official" else {}),
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
        "coverage": [{"family": c.family, "status": c.status, "packs": list(c.packs), "reason": c.reason}
                     for c in report.coverage],
        "data_as_of": None if report.data_as_of is None else {
            "date": None if report.data_as_of.date is None else report.data_as_of.date.isoformat(),
            "source": report.data_as_of.source, "stale": report.data_as_of.stale,
            "stale_after_months": report.data_as_of.stale_after_months},
        "districts": report.districts,
    }


def report_to_json(report: Report) -> str:
    """Canonical JSON text: UTF-8 characters kept, two-space indent, newline-terminated."""
    return canonical_json(report_to_dict(report)) + "\n"


def canonical_json(value: JSONValue) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``, byte for byte, faster.

    With an indent, :mod:`json` encodes in Python, token by token (a report of 10,000 officials took
    1.3 s). Here every container holding no container is encoded by json's C encoder, its separators
    carrying the line breaks and indents; only the outer levels are walked in Python.
    """
    out: list[str] = []
    _encode(value, 0, out)
    return "".join(out)


_SCALARS = (str, int, float, bool, type(None))
_EMPTY = {dict: "{}", list: "[]"}


def json_encoder(item_separator: str, key_separator: str, *, allow_nan: bool) -> Callable[[object], str]:
    """json's C encoder, called directly (no indent, UTF-8 characters kept, given separators)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, allow_nan=allow_nan, check_circular=False,
                                separators=(item_separator, key_separator)).encode
    encode = make(None, None, json.encoder.encode_basestring, None, key_separator, item_separator,
                  False, False, allow_nan)

    def dumps(value: object) -> str:
        return "".join(encode(value, 0))

    return dumps


@functools.cache
def _flat_encoder(depth: int) -> Callable[[object], str]:
    """The encoder of a container of scalars at ``depth``: its items on lines of their own."""
    return json_encoder(",\n" + "  " * (depth + 1), ": ", allow_nan=False)


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("Out of range float values are not JSON compliant")
    return float.__repr__(value)


#: How json writes each scalar type (``ensure_ascii=False``, ``allow_nan=False``).
_SCALAR: dict[type, Callable[[Any], str]] = {
    str: json.encoder.encode_basestring, int: int.__repr__, float: _float,
    bool: lambda value: "true" if value else "false", type(None): lambda value: "null",
}


def _encode(value: JSONValue, depth: int, out: list[str]) -> None:
    scalar = _SCALAR.get(type(value))
    if scalar is not None:
        out.append(scalar(value))
        return
    if isinstance(value, dict):
        items: Iterable[JSONValue] = value.values()
    elif isinstance(value, list):
        items = value
    else:  # a subclass of a scalar type: what json would write
        out.append(json.dumps(value, ensure_ascii=False, allow_nan=False))
        return
    if not value:
        out.append(_EMPTY[type(value)])
        return
    inner = "\n" + "  " * (depth + 1)
    if all(isinstance(item, _SCALARS) for item in items):
        text = _flat_encoder(depth)(value)  # "{" items "}" with the separators of this depth
        out.append(f"{text[0]}{inner}{text[1:-1]}\n{'  ' * depth}{text[-1]}")
        return
    out.append("{" if isinstance(value, dict) else "[")
    first = True
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(json.encoder.encode_basestring(str(key)) + ": ")
            _encode(item, depth + 1, out)
    else:
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            _encode(item, depth + 1, out)
    out.append("\n" + "  " * depth + ("}" if isinstance(value, dict) else "]"))
