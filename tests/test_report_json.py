"""The canonical JSON writer of reports is json.dumps(indent=2) byte for byte, only faster."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules._report import canonical_json

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
