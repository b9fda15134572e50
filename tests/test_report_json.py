"""The canonical JSON writer of reports is json.dumps(indent=2) byte for byte, only faster (orjson, by chunks)."""

from __future__ import annotations

import json
import math
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules.errors import InputError
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Metric
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import Suppressed
from cadre_rules.report._report import canonical_json
from cadre_rules.report._report import facts_texts
from cadre_rules.report._report import finding_line
from cadre_rules.report._report import finding_lines
from cadre_rules.report._report import finding_record
from cadre_rules.report._report import report_json_chunks
from cadre_rules.report._report import report_to_dict
from cadre_rules.report._report import report_to_json
from conftest import report_text

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text())
JSON = st.recursive(SCALARS, lambda children: st.lists(children, max_size=5)
                    | st.dictionaries(st.text(max_size=8), children, max_size=5), max_leaves=40)


def reference(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@given(JSON)
def test_same_text_as_json_dumps_with_indent(value: object) -> None:
    assert canonical_json(value) == reference(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}}, {"a": []}, [[]], [{}], [1, [2, {}], {"x": None}], "é\"\\\n\u2028", 1.5, -0.0, 10**30, True,
    None, {"k": [1.0, 2, "x"], "nested": {"deep": [[{"z": False}]]}}, {"Hà Nội": "Ba Vì"},
])
def test_same_text_on_the_shapes_of_a_report(value: object) -> None:
    assert canonical_json(value) == reference(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_like_json(bad: float) -> None:
    for value in (bad, {"a": bad}, [1, {"b": [bad]}], {"flat": [bad, 1]}):
        with pytest.raises(ValueError, match="Out of range float"):
            reference(value)
        with pytest.raises(ValueError, match="Out of range float"):
            canonical_json(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the report, a chunk of findings at a time


def _report(facts: list[dict[str, object]]) -> Report:
    findings = tuple(
        Finding("p", f"r{i % 3}", "quota", "info", "official", f"O{i:03}", "U1", f"message {i} é\u2028\"",
                "cite", fact, ({"part": "when", "depth": 0, "value": 1e-05, "result": True},))  # type: ignore[arg-type]
        for i, fact in enumerate(facts))
    if facts:  # a citation that differs from its rule's first, and a pack the report does not list: kept
        findings += (Finding("p", "r0", "quota", "info", "official", "O999", "U1", "m", "other cite", {}),
                     Finding("q", "r0", "quota", "info", "unit", "U1", "U1", "m", "cite of q", {}))
    metric = Metric("p", "quota.young", "city", "Hà Nội", 1, 300000, Fraction(1, 100000), ">=", False)
    suppressed = (Suppressed(Finding("p", "r9", "quota", "info", "unit", "U2", "U2", "m", "cite 9", {}), "w", "why"),)
    return Report(date(2024, 6, 30), (PackRef("p", "1", "abc"),), len(facts), 1, "5" * 64, (metric,), findings,
                  notes=("a note",), suppressed=suppressed if facts else ())


FACTS = [{"n": 1}, {"share": 1e-05, "big": 10**30}, {}, {"nested": {"x": [1.5e-7, "a"]}}, {"s": "x", "b": True},
         {"v": None}, {"f": 0.25}]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 100])
@pytest.mark.parametrize("explain", [False, True])
def test_report_in_chunks_is_the_text_of_the_whole(chunk: int, explain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cadre_rules.report._report.CHUNK", chunk)
    for report in (_report(FACTS), _report([])):
        doc = report_to_dict(report, explain=explain)
        whole = report_text(doc)
        pieces = list(report_json_chunks(report, explain=explain))
        assert b"".join(pieces).decode() == whole == report_to_json(report, explain=explain)
        assert json.loads(whole) == doc
        if report.findings:
            # head, metrics and their end, between, each chunk of findings and their end, between, suppressed
            # and their end, tail
            assert len(pieces) == 9 + -(-len(report.findings) // chunk)
            assert ("explanation" in whole) is explain
            assert '"share":1e-05' in whole and '"big":1000000000000000000000000000000' in whole
            assert '"value":3.3333333333333333e-06' in whole and '"target":1e-05' in whole
            assert doc["packs"] == [{"id": "p", "version": "1", "sha256": "abc",
                                     "cites": {"r0": "cite", "r1": "cite", "r2": "cite", "r9": "cite 9"}}]
            findings = doc["findings"]
            assert isinstance(findings, list)
            assert [f.get("cite") for f in findings] == [None] * len(FACTS) + ["other cite", "cite of q"]


@pytest.mark.parametrize("explain", [False, True])
def test_a_finding_line_is_its_record_in_compact_json(explain: bool) -> None:
    for f in _report(FACTS).findings:
        record = finding_record(f, explain=explain)
        assert record["cite"] == f.cite
        expected = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        assert finding_line(f, explain=explain).decode() == expected


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 2**70), st.integers(0, 2**70),
                          st.fractions(-10**20, 10**20, max_denominator=10**18), st.booleans(),
                          st.sampled_from([None, "key"]), st.sampled_from(["official", "unit"])), max_size=5))
def test_any_metric_numbers(metrics: list[tuple[int, int, Fraction, bool, str | None, str]]) -> None:
    """Metrics of any counts (beyond 64 bits, a zero denominator) and targets (floats json writes otherwise
    than orjson: 1e-05, 1e+16): the text json.dumps writes."""
    made = tuple(Metric("p", f"m{i}", "unit", "U1", numerator, denominator, target, ">=", met, key, per)  # type: ignore[arg-type]
                 for i, (numerator, denominator, target, met, key, per) in enumerate(metrics))
    report = attrs.evolve(_report(FACTS), metrics=made)
    assert report_to_json(report) == report_text(report_to_dict(report))


# --------------------------------------------------------------------------- facts as the engine hands them


def _proxied(facts: list[dict[str, object]]) -> list[MappingProxyType[str, object]]:
    """The facts as read-only mappings, as the engine shares them between findings."""
    return [MappingProxyType(f) for f in facts]


@pytest.mark.parametrize("chunk", [1, 2, 3, 100])
@pytest.mark.parametrize("explain", [False, True])
def test_read_only_facts_are_written_as_their_dicts(chunk: int, explain: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cadre_rules.report._report.CHUNK", chunk)
    shared = MappingProxyType({"n": 2, "s": "x"})
    facts = [*_proxied(FACTS), shared, shared, MappingProxyType({"huge": -(10**30), "plain": True}), {"d": 1}]
    report = _report(facts)  # type: ignore[arg-type]
    whole = report_to_json(report, explain=explain)
    assert whole == report_text(report_to_dict(report, explain=explain))
    assert '"huge":-1000000000000000000000000000000' in whole and '"share":1e-05' in whole
    lines = b"".join(finding_lines(report.findings, explain=explain)).decode()
    assert lines == "".join(finding_line(f, explain=explain).decode() for f in report.findings)


@settings(max_examples=40)
@given(st.lists(st.dictionaries(st.text(max_size=6), JSON, max_size=4), max_size=7), st.booleans(),
       st.integers(1, 4))
def test_any_facts_in_any_chunks(facts: list[dict[str, object]], proxied: bool, chunk: int) -> None:
    """Whatever the facts (floats json writes otherwise than orjson, integers beyond 64 bits, nesting), plain
    or read-only, and however the findings fall into chunks: the text json.dumps writes."""
    report = _report(_proxied(facts) if proxied else facts)  # type: ignore[arg-type]
    with mock.patch("cadre_rules.report._report.CHUNK", chunk):
        assert report_to_json(report) == report_text(report_to_dict(report))
        assert b"".join(finding_lines(report.findings)) == b"".join(finding_line(f) for f in report.findings)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_facts_are_refused_like_json(bad: float) -> None:
    """A chunk whose other floats orjson writes as json does still refuses NaN and infinities (orjson would write
    null). (A finding built with them is refused when made; the engine's are made without that check: one is set
    here as the engine would set it.)"""
    with pytest.raises(InputError, match=r"facts\['share'\]: expected a finite number"):
        _report([{"f": 0.25}, {"share": bad}, {"n": 1}])
    report = _report([{"f": 0.25}, {"share": 0.5}, {"n": 1}])
    object.__setattr__(report.findings[1], "facts", {"share": bad})
    for write in (lambda: report_to_json(report), lambda: b"".join(finding_lines(report.findings)),
                  lambda: facts_texts(report.findings)):
        with pytest.raises(ValueError, match="Out of range float"):
            write()


@pytest.mark.parametrize("proxied", [False, True])
def test_facts_texts_are_the_compact_json_of_the_facts(proxied: bool) -> None:
    facts = [*FACTS, {"f": 0.5, "h": 9.999e15, "z": -0.0, "e": 1e16}, {"g": 1e-05, "i": 2}, {"g": 1.5e-07}]
    findings = _report(_proxied(facts) if proxied else facts).findings  # type: ignore[arg-type]
    expected = [json.dumps(dict(f.facts), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                for f in findings]
    assert facts_texts(findings) == expected
    for i in (-5, -4, -3):  # alone: floats orjson writes as json does (handed as they are), and others (1e-05)
        assert facts_texts(findings[i:i + 1]) == expected[i:i + 1]
    assert expected[-4:-2] == ['{"g":1e-05,"i":2}', '{"g":1.5e-07}']
