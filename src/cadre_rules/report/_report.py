"""The JSON report contract (DESIGN.md §6, ``cadre-rules/report/v3``): deterministic, byte-identical for
equal input, packs and as-of date.

The text is :mod:`json`'s (``ensure_ascii=False``): two-space indents (``indent=2``), but each record of
``metrics``, ``findings`` and ``suppressed`` on a line of its own, compact (``separators=(",", ":")``),
encoded by orjson's C encoder. orjson writes the same text as json but for floats below 1e-4 (``1e-05``
there, ``0.00001`` here) and integers beyond 64 bits, which :func:`exact` hands to it as ready-made
fragments. The findings are encoded a chunk at a time (:func:`report_json_chunks`): the report's text never
needs a second copy of the findings in memory.

Findings carry their facts; their explanation (every sub-condition, re-evaluated) only on request
(``explain=True``, ``evaluate --explain``). A rule's citation is given once, in ``packs[].cites``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from importlib import metadata
from itertools import chain
from itertools import islice
from types import MappingProxyType
from typing import Any
from typing import TypeAlias

import orjson

from ..model._arguments import NOT_A_REPORT
from ..model._arguments import a_flag
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._names import subject_fields
from ..model._names import subject_maker
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Metric
from ..model._report_records import Names
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..model._report_records import Share
from ..model._report_records import Suppressed
from ._applied import not_applying

__all__ = ["CHUNK", "READABLE_SCHEMAS", "SCHEMA", "baseline_dict", "canonical_json", "chunks_of", "compact_json",
           "exact", "facts_texts", "finding_line", "finding_lines", "finding_record", "indented_list",
           "report_json_chunks", "report_to_dict", "report_to_json", "version"]

SCHEMA = "cadre-rules/report/v3"
#: Schemas a report read back (``--baseline``) may carry: the findings' pack, rule and subject, all a baseline
#: reads, are the same in v1 and v2 (docs/report.md).
READABLE_SCHEMAS = ("cadre-rules/report/v1", "cadre-rules/report/v2", SCHEMA)
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


def exact(value: Any, *, ints: bool = False) -> Any:
    """``value`` with the numbers orjson would write otherwise than :mod:`json` as ready-made text.

    Floats outside ``[1e-4, 1e16)`` (json writes ``1e-05``) become ``orjson.Fragment``\\ s of :func:`repr`'s
    text, and with ``ints`` integers beyond 64 bits too (orjson refuses them: see :func:`_dumps`); NaN and
    infinities are refused as json refuses them. Containers are copied only when something inside them
    changes; a container of text, booleans, nulls and integers is returned as it is.
    """
    kind = type(value)
    if kind is float:
        if 1e-4 <= abs(value) < 1e16 or value == 0.0:
            return value
        if not math.isfinite(value):
            raise ValueError("Out of range float values are not JSON compliant")
        return orjson.Fragment(float.__repr__(value))
    if kind is int:
        return value if not ints or _I64 <= value < _U64 else orjson.Fragment(int.__repr__(value))
    if kind is dict or kind is MappingProxyType:
        if not ints and _PLAIN.issuperset(map(type, value.values())):
            return value
        items = {key: exact(item, ints=ints) for key, item in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    if kind is list or kind is tuple:
        if not ints and _PLAIN.issuperset(map(type, value)):
            return value
        seq = [exact(item, ints=ints) for item in value]
        return value if all(a is b for a, b in zip(seq, value, strict=True)) else seq
    return value


#: The types of values that orjson writes as json does (integers beyond 64 bits it refuses: see :func:`_dumps`).
_PLAIN = frozenset((str, int, bool, type(None)))


def finding_record(f: Finding, *, explain: bool = False, cite: bool = True,
                   names: Names | None = None) -> dict[str, JSONValue]:
    """The record of ``f`` (as a line of ``--format jsonl``): with its rule's ``cite`` unless ``cite`` is
    false (the JSON report lists the citations once per pack, ``packs[].cites``), with its explanation if
    ``explain``; its subject named from ``names`` (the report's; ``None``: ids only)."""
    record: dict[str, JSONValue] = {
        "pack": f.pack, "rule": f.rule, "family": f.family, "severity": f.severity,
        "subject": subject_fields(names, f.subject_kind, f.subject_id), "scope_id": f.scope_id, "message": f.message,
    }
    if cite:
        record["cite"] = f.cite
    record["facts"] = dict(f.facts)
    if explain:
        record["explanation"] = [dict(e) for e in f.explanation]
    return record


def _encodable(f: Finding, explain: bool, cite: bool = True, names: Names | None = None) -> dict[str, Any]:
    """:func:`finding_record` with the numbers of its facts and explanation :func:`exact`."""
    record: dict[str, Any] = finding_record(f, explain=explain, cite=cite, names=names)
    record["facts"] = exact(record["facts"])
    if explain:
        record["explanation"] = exact(record["explanation"])
    return record


def finding_line(f: Finding, *, explain: bool = False, names: Names | None = None) -> bytes:
    """:func:`finding_record` as one line of compact JSON (``json.dumps`` with ``(",", ":")`` separators)."""
    return _dumps(_encodable(f, explain, names=names), 0) + b"\n"


def finding_lines(findings: Iterable[Finding], *, explain: bool = False, names: Names | None = None
                  ) -> Iterator[bytes]:
    """The :func:`finding_line`\\ s of ``findings``, :data:`CHUNK` at a time: a piece per chunk."""
    for records, default in _finding_chunks(findings, explain, names, None):
        yield _joined(records, b"\n", default, after=b"\n")


def _finding_chunks(findings: Iterable[Finding], explain: bool, names: Names | None,
                    cites: Mapping[str, Mapping[str, str]] | None) -> Iterator[tuple[list[Any], Default]]:
    """The records of ``findings`` (:func:`finding_record`), :data:`CHUNK` at a time, each chunk with what orjson
    is to write for a value it does not know; a finding's ``cite`` left out where ``cites`` (:func:`_cites`)
    gives it (``None``: never).

    A chunk whose facts orjson writes as json does (:func:`_plain_facts`: nearly all) hands them to orjson as they
    are (:func:`_given`); the facts of the other chunks are :func:`exact` first.
    """
    subject = subject_maker(names)
    cited = _cited(cites or {})
    for chunk in chunks_of(findings):
        plain = _plain_facts(chunk)
        records: list[Any] = []
        for f in chunk:
            record: dict[str, Any] = {
                "pack": f.pack, "rule": f.rule, "family": f.family, "severity": f.severity,
                "subject": subject(f.subject_kind, f.subject_id), "scope_id": f.scope_id, "message": f.message}
            if (f.pack, f.rule, f.cite) not in cited:
                record["cite"] = f.cite
            facts = f.facts  # as _given hands them, inlined: a call per finding costs
            record["facts"] = (facts.copy() if type(facts) is MappingProxyType else facts) if plain else exact(
                dict(facts))
            if explain:
                record["explanation"] = exact([dict(e) for e in f.explanation])
            records.append(record)
        yield records, dict


def facts_texts(findings: Sequence[Finding]) -> list[str]:
    """The facts of each finding as compact JSON text (:func:`compact_json` of them), one call to orjson for all."""
    if not findings:
        return []
    plain = _plain_facts(findings)
    return _joined([_given(f.facts, plain) for f in findings], b"\x00", dict).decode().split("\x00")


def _given(facts: Mapping[str, JSONValue], plain: bool) -> Any:
    """``facts`` as handed to orjson: :func:`exact` unless ``plain`` (:func:`_plain_facts`); the engine's read-only
    mappings as copies of the ``dict`` under them (a C copy: orjson writes a ``dict`` itself, but calls back to
    Python for a mapping it does not know)."""
    if not plain:
        return exact(dict(facts))
    return facts.copy() if type(facts) is MappingProxyType else facts


def _plain_facts(findings: Sequence[Finding]) -> bool:
    """Whether orjson writes each value of the facts of ``findings`` as :mod:`json` does, so that they need no
    :func:`exact`: text, integers (beyond 64 bits orjson refuses them: see :func:`_dumps`), booleans, nulls, and
    floats that are zero or in ``[1e-4, 1e16)`` (not NaN)."""
    values = list(chain.from_iterable([f.facts.values() for f in findings]))
    kinds = set(map(type, values))
    if kinds <= _PLAIN:
        return True
    return kinds <= _PLAIN_OR_FLOAT and all(1e-4 <= abs(v) < 1e16 or v == 0.0 for v in values if type(v) is float)


_PLAIN_OR_FLOAT = _PLAIN | {float}

#: What orjson writes for a value it does not know (``None``: it refuses it).
Default: TypeAlias = Callable[[Any], Any] | None


def _joined(records: list[Any], sep: bytes, default: Default = None, *, before: bytes = b"",
            after: bytes = b"") -> bytes:
    """``records`` (their numbers :func:`exact`) as compact JSON texts joined by ``sep``, after ``before`` and
    before ``after``.

    One call to orjson encodes them all (a call costs more than a record of a report): the list of the
    records with, between two of them, a byte that JSON text never holds; the text is then cut there.
    """
    if not records:
        return before + after
    between = [_BETWEEN] * (2 * len(records) - 1)
    between[::2] = records
    parts = _dumps(between, 0, default).split(b",\x00,")
    parts[0] = before + parts[0][1:]  # the list's "[" and "]"
    parts[-1] = parts[-1][:-1] + after
    return sep.join(parts)


#: Between two records encoded at once (:func:`_joined`), and where the lists go in the document: a byte that
#: JSON text never holds (control characters are escaped).
_BETWEEN = orjson.Fragment(b"\x00")


def _cites(report: Report) -> dict[str, dict[str, str]]:
    """Per pack of the report, the citation of each rule with a finding (kept or set aside), by rule id."""
    seen: dict[str, dict[str, str]] = {p.id: {} for p in report.packs}
    for f in (*report.findings, *(s.finding for s in report.suppressed)):
        rules = seen.get(f.pack)
        if rules is not None:
            rules.setdefault(f.rule, f.cite)
    return {pack: dict(sorted(rules.items())) for pack, rules in seen.items()}


def _metric(m: Metric) -> dict[str, JSONValue]:
    # numerator / denominator: the float of the exact value (int division rounds correctly), without a Fraction
    return {"pack": m.pack, "id": m.id, "scope": m.scope, "scope_id": m.scope_id, "numerator": m.numerator,
            "denominator": m.denominator, "value": None if m.denominator == 0 else m.numerator / m.denominator,
            "target": float(m.target), "op": m.op, "met": m.met,
            **({"key_positions": m.key_positions} if m.key_positions is not None else {}),
            **({"per": m.per} if m.per != "official" else {})}


def _share(s: Share) -> dict[str, JSONValue]:
    """A commune's own share of a quota of its city or district, for information (the report's ``unit_shares``)."""
    return {"pack": s.pack, "id": s.id, "unit": s.unit, "numerator": s.numerator, "denominator": s.denominator,
            "value": None if s.denominator == 0 else s.numerator / s.denominator, "target": float(s.target),
            "op": s.op, "binds": [{"scope": kind, "scope_id": ident} for kind, ident in s.binds],
            **({"key_positions": s.key_positions} if s.key_positions is not None else {}),
            **({"per": s.per} if s.per != "official" else {})}


def _encodable_metric(m: Metric) -> dict[str, Any]:
    """:func:`_metric` as orjson is to write it: its two floats :func:`exact`, its other values (text, integers,
    booleans, nulls) as they are (:func:`exact` of the whole record is 8 calls more per metric)."""
    record: dict[str, Any] = _metric(m)
    record["value"], record["target"] = exact(record["value"]), exact(record["target"])
    return record


def _suppressed(s: Suppressed, names: Names | None) -> dict[str, JSONValue]:
    return {"pack": s.finding.pack, "rule": s.finding.rule,
            "subject": subject_fields(names, s.finding.subject_kind, s.finding.subject_id),
            "scope_id": s.finding.scope_id, "by": s.by, "reason": s.reason}


def _document(report: Report, cites: Mapping[str, Mapping[str, str]], metrics: object, findings: object,
              suppressed: object) -> dict[str, Any]:
    """The report in contract order, its three lists of records given."""
    foreign = not_applying(report)  # (kept, marked: the packs evaluated are what the report rests on)
    return {
        "schema": SCHEMA,
        "cadre_rules_version": version(),
        "backend": report.backend,
        "as_of": report.as_of.isoformat(),
        "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256, "cites": dict(cites[p.id]),
                   **({"metrics": {m: dict(n) for m, n in p.metrics.items()}} if p.metrics else {}),
                   **({"rules": {r: dict(n) for r, n in p.rules.items()}} if p.rules else {}),
                   **({"applies": False} if f"{p.id}@{p.version}" in foreign else {})}
                  for p in report.packs],
        "params": dict(report.params),
        "input": {"officials": report.officials, "units": report.units, "sha256": report.input_sha256},
        "summary": dict(report.summary),
        "metrics": metrics,
        **({"unit_shares": [_share(s) for s in report.unit_shares]} if report.unit_shares else {}),
        "findings": findings,
        "notes": list(report.notes),
        "suppressed": suppressed,
        "coverage": [{"family": c.family, "status": c.status, "packs": list(c.packs), "reason": c.reason}
                     for c in report.coverage],
        "data_as_of": None if report.data_as_of is None else {
            "date": None if report.data_as_of.date is None else report.data_as_of.date.isoformat(),
            "source": report.data_as_of.source, "stale": report.data_as_of.stale,
            "stale_after_months": report.data_as_of.stale_after_months},
        "districts": report.districts,
        "undecided": [{"pack": u.pack, "rule": u.rule, "family": u.family, "column": u.column, "count": u.count,
                       "subject": u.subject} for u in report.undecided],
        **({"baseline": baseline_dict(report)} if report.baseline is not None else {}),
        **scope_entry(report.scope),
    }


def scope_entry(scope: ReportScope | None) -> dict[str, JSONValue]:
    """``{"scope": {"kind", "id", "name"}}`` of a document restricted to a district or a commune (a report, a match,
    a projection: ``--scope``), ``{}`` of one of the whole input."""
    return {} if scope is None else {"scope": {"kind": scope.kind, "id": scope.id, "name": scope.name}}


def baseline_dict(report: Report) -> dict[str, JSONValue] | None:
    """What changed since ``--baseline`` (the report's ``baseline`` key, docs/report.md): the counts of new,
    unchanged and resolved findings, and the resolved ones (subjects named unless redacted)."""
    diff = report.baseline
    if diff is None:
        return None
    return {"file": diff.file, "new": diff.new, "unchanged": diff.unchanged, "resolved": len(diff.resolved),
            "resolved_findings": [{"pack": pack, "rule": rule, "subject": subject_fields(report.names, kind, ident)}
                                  for pack, rule, kind, ident in diff.resolved]}


def _cited(cites: Mapping[str, Mapping[str, str]]) -> frozenset[tuple[str, str, str]]:
    """The ``(pack, rule, cite)`` of the citations the report's ``packs[].cites`` give (:func:`_cites`): a
    finding's entry leaves its ``cite`` out when its own is among them."""
    return frozenset((pack, rule, cite) for pack, rules in cites.items() for rule, cite in rules.items())


def report_to_dict(report: Report, *, explain: bool = False) -> dict[str, JSONValue]:
    """The report as plain JSON data, in contract order (every record at once: for small reports)."""
    refuse(an_instance("report", report, Report, NOT_A_REPORT), a_flag("explain", explain))
    cites = _cites(report)
    cited = _cited(cites)
    return _document(report, cites, [_metric(m) for m in report.metrics],
                     [finding_record(f, explain=explain, cite=(f.pack, f.rule, f.cite) not in cited,
                                     names=report.names) for f in report.findings],
                     [_suppressed(s, report.names) for s in report.suppressed])


# --------------------------------------------------------------------------- text


def chunks_of(findings: Iterable[Finding]) -> Iterator[list[Finding]]:
    """``findings`` in lists of :data:`CHUNK`."""
    it = iter(findings)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def report_json_chunks(report: Report, *, explain: bool = False) -> Iterator[bytes]:
    """The JSON text of the report (UTF-8, newline-terminated), in pieces: two-space indents, each record
    of ``metrics``, ``findings`` and ``suppressed`` on a line of its own.

    The findings are encoded :data:`CHUNK` at a time: only one chunk's records exist at once.
    """
    cites = _cites(report)
    # The lists' places in the text: a byte that JSON text never holds (control characters are escaped).
    head, after_metrics, after_findings, tail = _dumps(
        exact(_document(report, cites, _BETWEEN, _BETWEEN, _BETWEEN)), _INDENT).split(b"\x00")
    yield head
    yield from _lines([(list(map(_encodable_metric, report.metrics)), None)])
    yield after_metrics
    yield from _lines(_finding_chunks(report.findings, explain, report.names, cites))
    yield after_findings
    yield from _lines([([exact(_suppressed(s, report.names)) for s in report.suppressed], None)])
    yield tail + b"\n"


def _lines(chunks: Iterable[tuple[list[Any], Default]]) -> Iterator[bytes]:
    """A list of records, each on a line of its own at depth 2 (``[]`` when empty), a chunk a piece (each
    chunk's records with what orjson writes for a value it does not know)."""
    opening = b"[\n    "  # before the first record, the list opens
    for records, default in chunks:
        if records:
            yield _joined(records, _NEXT, default, before=opening)
            opening = _NEXT
    yield b"[]" if opening == b"[\n    " else b"\n  ]"


#: Between two records of a list at depth 2.
_NEXT = b",\n    "


def indented_list(chunks: Iterable[list[Any]], depth: int) -> Iterator[bytes]:
    """A list at ``depth`` as ``json.dumps(indent=2)`` writes it inside its document, a chunk of items
    (their floats already :func:`exact`) a piece."""
    pad = b"\n" + b"  " * depth
    opening = b"["
    for items in chunks:
        if items:
            # the list at the top level, its lines indented ``depth`` levels more: without "[" and the last pad + "]"
            yield opening + _dumps(items, _INDENT).replace(b"\n", pad)[1:-len(pad) - 1]
            opening = b","
    yield b"[]" if opening == b"[" else pad + b"]"


def _dumps(value: Any, option: int, default: Callable[[Any], Any] | None = None) -> bytes:
    """orjson's text of ``value`` (its floats already :func:`exact`; ``default``: what to write for a value
    orjson does not know); integers beyond 64 bits, which orjson refuses, made :func:`exact` too."""
    try:
        return orjson.dumps(value, default=default, option=option)
    except orjson.JSONEncodeError:
        return orjson.dumps(exact(value, ints=True), default=default, option=option)


def report_to_json(report: Report, *, explain: bool = False) -> str:
    """Canonical JSON text: UTF-8 characters kept, two-space indent, newline-terminated."""
    refuse(an_instance("report", report, Report, NOT_A_REPORT), a_flag("explain", explain))
    return b"".join(report_json_chunks(report, explain=explain)).decode()


def canonical_json(value: JSONValue) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``, byte for byte, by orjson."""
    return _dumps(exact(value), _INDENT).decode()


def compact_json(value: JSONValue) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``, by orjson."""
    return _dumps(exact(value), 0).decode()
