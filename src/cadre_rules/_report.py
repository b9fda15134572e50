"""The JSON report contract (DESIGN.md §6): canonical, deterministic, byte-identical for equal input.

The text is what ``json.dumps(report_to_dict(report), ensure_ascii=False, indent=2, allow_nan=False)``
writes, byte for byte, encoded by orjson's C encoder: orjson writes the same text but for floats below
1e-4 (``1e-05`` here, ``0.00001`` there) and integers beyond 64 bits, which :func:`exact` hands to it as
ready-made fragments. The findings are encoded a chunk at a time (:func:`report_json_chunks`), so the
report's text never needs a second copy of the findings in memory.

Findings carry their facts; their explanation (every sub-condition, re-evaluated) only on request
(``explain=True``, ``evaluate --explain``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Iterator
from importlib import metadata
from itertools import islice
from typing import Any

import orjson

from ._model import Finding
from ._model import JSONValue
from ._model import Report

__all__ = ["CHUNK", "READABLE_SCHEMAS", "SCHEMA", "canonical_json", "chunks_of", "compact_json", "exact",
           "finding_line", "finding_record", "report_json_chunks", "report_to_dict", "report_to_json", "version"]

SCHEMA = "cadre-rules/report/v2"
#: Schemas a report read back (``--baseline``) may carry: v1 differs from v2 only by its findings'
#: ``explanation``, always present.
READABLE_SCHEMAS = ("cadre-rules/report/v1", SCHEMA)
#: How many findings are encoded at once.
CHUNK = 2000

_INDENT = orjson.OPT_INDENT_2
_U64 = 1 << 64
_I64 = -(1 << 63)


def version() -> str:
    try:
        return metadata.version("cadre-rules")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


# --------------------------------------------------------------------------- values


def exact(value: Any) -> Any:
    """``value`` with the numbers orjson would write otherwise than :mod:`json` as ready-made text.

    Floats outside ``[1e-4, 1e16)`` (json writes ``1e-05``) and integers beyond 64 bits become
    ``orjson.Fragment``\\ s of :func:`repr`'s text; NaN and infinities are refused as json refuses them.
    Containers are copied only when something inside them changes.
    """
    kind = type(value)
    if kind is float:
        if 1e-4 <= abs(value) < 1e16 or value == 0.0:
            return value
        if not math.isfinite(value):
            raise ValueError("Out of range float values are not JSON compliant")
        return orjson.Fragment(float.__repr__(value))
    if kind is int:
        return value if _I64 <= value < _U64 else orjson.Fragment(int.__repr__(value))
    if kind is dict:
        items = {key: exact(item) for key, item in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    if kind is list or kind is tuple:
        seq = [exact(item) for item in value]
        return value if all(a is b for a, b in zip(seq, value, strict=True)) else seq
    return value


def finding_record(f: Finding, *, explain: bool = False) -> dict[str, JSONValue]:
    """The ``findings`` entry of the report contract for ``f``: with its explanation if ``explain``."""
    record: dict[str, JSONValue] = {
        "pack": f.pack, "rule": f.rule, "family": f.family, "severity": f.severity,
        "subject": {"kind": f.subject_kind, "id": f.subject_id}, "scope_id": f.scope_id,
        "message": f.message, "cite": f.cite, "facts": dict(f.facts),
    }
    if explain:
        record["explanation"] = [dict(e) for e in f.explanation]
    return record


#: The types of values that orjson writes as json does (integers beyond 64 bits it refuses: see :func:`_dumps`).
_PLAIN = frozenset((str, int, bool, type(None)))


def _encodable(f: Finding, explain: bool) -> dict[str, Any]:
    """:func:`finding_record` with its numbers :func:`exact` (facts hold few kinds of values: checked first)."""
    record: dict[str, Any] = finding_record(f, explain=explain)
    if not _PLAIN.issuperset(map(type, f.facts.values())):
        record["facts"] = exact(record["facts"])
    if explain:
        record["explanation"] = exact(record["explanation"])
    return record


def finding_line(f: Finding, *, explain: bool = False) -> bytes:
    """:func:`finding_record` as one line of compact JSON (``json.dumps`` with ``(",", ":")`` separators)."""
    return _dumps(_encodable(f, explain), 0) + b"\n"


def _head(report: Report) -> dict[str, JSONValue]:
    """Every key of the report but ``findings``, ``notes`` and ``suppressed``, in contract order."""
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
    }


def _tail(report: Report) -> dict[str, JSONValue]:
    return {
        "notes": list(report.notes),
        "suppressed": [
            {"pack": s.finding.pack, "rule": s.finding.rule,
             "subject": {"kind": s.finding.subject_kind, "id": s.finding.subject_id},
             "scope_id": s.finding.scope_id, "by": s.by, "reason": s.reason}
            for s in report.suppressed
        ],
    }


def report_to_dict(report: Report, *, explain: bool = False) -> dict[str, JSONValue]:
    """The report as plain JSON-compatible data, in contract order (every finding at once: small reports)."""
    return {**_head(report), "findings": [finding_record(f, explain=explain) for f in report.findings],
            **_tail(report)}


# --------------------------------------------------------------------------- text


def chunks_of(findings: Iterable[Finding]) -> Iterator[list[Finding]]:
    """``findings`` in lists of :data:`CHUNK`."""
    it = iter(findings)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def report_json_chunks(report: Report, *, explain: bool = False) -> Iterator[bytes]:
    """The canonical JSON text of the report (UTF-8, newline-terminated), in pieces.

    The findings are encoded :data:`CHUNK` at a time: only one chunk's records exist at once.
    """
    if not report.findings:
        yield canonical_json({**_head(report), "findings": [], **_tail(report)}).encode() + b"\n"
        return
    # The findings' place in the text: a byte that JSON text never holds (control characters are escaped).
    marker = orjson.Fragment(b"\x00")
    whole = orjson.dumps(exact({**_head(report), "findings": marker, **_tail(report)}), option=_INDENT)
    before, after = whole.split(b"\x00")
    yield before + b"["
    sep = b""
    for chunk in chunks_of(report.findings):
        # the list at the top level, its lines indented one level more: the findings' lines in the report
        text = _dumps([_encodable(f, explain) for f in chunk], _INDENT).replace(b"\n", b"\n  ")
        yield sep + text[1:-4]  # without "[" and "\n  ]"
        sep = b","
    yield b"\n  ]" + after + b"\n"


def _dumps(value: Any, option: int) -> bytes:
    """orjson's text of ``value`` (numbers already :func:`exact` but integers, rare beyond 64 bits: then
    :func:`exact` first)."""
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        return orjson.dumps(exact(value), option=option)


def report_to_json(report: Report, *, explain: bool = False) -> str:
    """Canonical JSON text: UTF-8 characters kept, two-space indent, newline-terminated."""
    return b"".join(report_json_chunks(report, explain=explain)).decode()


def canonical_json(value: JSONValue) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``, byte for byte, by orjson."""
    return orjson.dumps(exact(value), option=_INDENT).decode()


def compact_json(value: JSONValue) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``, by orjson."""
    return orjson.dumps(exact(value)).decode()
