"""The data model's own helpers: findings made a field at a time (:func:`make_findings`)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from types import MappingProxyType
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules import Finding
from cadre_rules.model import _model
from cadre_rules.model._report_records import Deferred
from cadre_rules.model._report_records import make_findings

_FIELDS = [field.name for field in attrs.fields(Finding)]
_text = st.text(max_size=8)
_row = st.tuples(_text, _text, _text, st.sampled_from(["error", "warning", "info"]),
                 st.sampled_from(["official", "unit", "scope"]), _text, _text, _text, _text,
                 st.dictionaries(_text, st.integers(), max_size=3).map(MappingProxyType),
                 st.one_of(st.just(()), st.integers().map(lambda i: Deferred((lambda i: ({"i": i},), i)))))


def test_finding_has_nothing_that_init_would_run() -> None:
    # make_findings sets the slots directly: a validator, converter or __attrs_pre_init__ added to
    # Finding would be skipped there, so it must be added to make_findings too. Its __attrs_post_init__
    # only refuses wrong values (an integrator's Finding(...)): it changes no record (the properties below run it
    # on make_findings' records).
    assert all(field.validator is None and field.converter is None for field in attrs.fields(Finding))
    assert not hasattr(Finding, "__attrs_pre_init__")


@given(st.lists(_row, max_size=6))
def test_make_findings_is_finding_of_each_row(rows: list[tuple[object, ...]]) -> None:
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in _FIELDS]
    made = make_findings(len(rows), columns)
    expected = [Finding(*row) for row in rows]  # type: ignore[arg-type]
    assert made == expected
    for got, want in zip(made, expected, strict=True):
        assert type(got) is Finding
        assert [getattr(got, name) for name in _FIELDS] == [getattr(want, name) for name in _FIELDS]
        assert got.explanation == want.explanation
        assert hash(got) == hash(want)
        got.__attrs_post_init__()  # (what make_findings skips refuses nothing of these, and changes nothing)
        assert [getattr(got, name) for name in _FIELDS] == [getattr(want, name) for name in _FIELDS]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            got.rule = "other"  # type: ignore[misc]


@given(rows=st.lists(_row, max_size=9), at_once=st.integers(1, 4), repeated=st.sets(st.integers(0, len(_FIELDS) - 1)))
def test_make_findings_a_few_records_at_a_time_is_finding_of_each_row(rows: list[tuple[object, ...]], at_once: int,
                                                                     repeated: set[int]) -> None:
    """(The fields are set a few records at a time: lists sliced, repeats and other iterables consumed in turn.)"""
    first = rows[0] if rows else None
    rows = [tuple(first[j] if j in repeated and first is not None else value for j, value in enumerate(row))
            for row in rows]  # the repeated fields the same in every row
    columns: list[Iterable[object]] = [list(column) for column in zip(*rows, strict=True)] if rows else \
        [[] for _ in _FIELDS]
    if first is not None:
        columns = [repeat(first[j], len(rows)) if j in repeated else column for j, column in enumerate(columns)]
    with mock.patch.object(_model, "_RECORDS_AT_ONCE", at_once):
        made = make_findings(len(rows), columns)
    assert [[getattr(f, name) for name in _FIELDS] for f in made] == [list(row) for row in rows]
    assert made == [Finding(*row) for row in rows]  # type: ignore[arg-type]


def test_make_findings_takes_constants_as_repeats() -> None:
    made = make_findings(2, [repeat("p", 2), repeat("r", 2), repeat("f", 2), repeat("error", 2),
                             repeat("official", 2), ["a", "b"], ["u1", "u2"], ["m1", "m2"], repeat("c", 2),
                             [{}, {"x": 1}], repeat((), 2)])
    assert [f.subject_id for f in made] == ["a", "b"]
    assert made[1] == Finding("p", "r", "f", "error", "official", "b", "u2", "m2", "c", {"x": 1})


@pytest.mark.parametrize("columns", [
    [["x"]] * (len(_FIELDS) - 1),                                     # a field short
    [["x"]] * len(_FIELDS) + [["x"]],                                 # a field too many
    [["x"]] * (len(_FIELDS) - 1) + [[]],                              # a column shorter than the count
    [["x"]] * (len(_FIELDS) - 1) + [repeat(())],                      # an endless column
    [["x"]] * (len(_FIELDS) - 1) + [(e for e in [()])],               # a column of unknown length
])
def test_make_findings_refuses_columns_that_do_not_fit(columns: list[object]) -> None:
    with pytest.raises((TypeError, ValueError)):
        make_findings(1, columns)  # type: ignore[arg-type]


def test_a_deferred_explanation_is_computed_on_first_use_and_kept() -> None:
    calls: list[int] = []

    def compute(n: int) -> tuple[dict[str, int], ...]:
        calls.append(n)
        return ({"n": n},)

    finding = Finding("p", "r", "f", "info", "official", "a", "u", "m", "c", {}, Deferred((compute, 7)))
    assert calls == []
    assert finding.explanation == ({"n": 7},)
    assert finding.explanation == ({"n": 7},)
    assert calls == [7]
    assert finding == Finding("p", "r", "f", "info", "official", "a", "u", "m", "c", {})  # not compared
