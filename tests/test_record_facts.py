"""A finding's facts and explanation given through the API hold JSON at any depth: a set, a date, a NaN, a tuple or a
key that is not text inside a list or a mapping is refused at construction, located by the keys and places that lead
to it (``facts['x'][2]``), every one at once; anything JSON holds is kept and written back as given. And the
records a projection or a match makes pass their own checks (made without them)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import cadre_rules
from cadre_rules import Engine
from cadre_rules import Finding
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._i18n import translation
from cadre_rules._limits import MAX_JSON_DEPTH

AS_OF = date(2024, 12, 31)
DIGEST = "0" * 64


def finding(facts: object, explanation: object = ()) -> Finding:
    made: Finding = Finding("p", "r", "f", "info", "official", "A1", "U1", "m", "c", facts,  # type: ignore[arg-type]
                            explanation)  # type: ignore[arg-type]
    return made


def refused(facts: object, explanation: object = ()) -> list[tuple[str | None, str | None]]:
    """(column, value shown) of each problem of a finding made with ``facts`` and ``explanation``."""
    with pytest.raises(InputError) as error:
        finding(facts, explanation)
    assert {p.file for p in error.value.problems} == {"<Finding rule='r'>"}
    return [(p.column, p.value) for p in error.value.problems]


def test_a_wrong_value_inside_a_fact_is_located_by_its_keys_and_places() -> None:
    facts = {"age": 40, "posts": ["a", "b", {"c"}], "by": {"x": {"since": date(2020, 1, 1)}, "ok": [1.5, None]}}
    assert refused(facts) == [("facts['posts'][2]", None), ("facts['by']['x']['since']", None)]


def test_every_kind_of_wrong_value_at_once_in_both_languages() -> None:
    facts = {"share": [0.5, math.nan], "limit": {"max": -math.inf}, "by": {3: "x"}, "pair": (1, 2),
             "when": [[date(2020, 1, 1)]], "n": Fraction(1, 3)}
    with pytest.raises(InputError) as error:
        finding(facts)
    assert str(error.value).splitlines() == [
        "6 input problems:",
        "  <Finding rule='r'>, facts['share'][1]: expected a finite number: JSON has no NaN or infinity (got 'nan')",
        "  <Finding rule='r'>, facts['limit']['max']: expected a finite number: JSON has no NaN or infinity "
        "(got '-inf')",
        "  <Finding rule='r'>, facts['by'][3]: expected text keys (as JSON has), not a key of type int",
        "  <Finding rule='r'>, facts['pair']: expected a JSON value (text, a number, True, False, None, a list or a "
        "mapping), not a value of type tuple",
        "  <Finding rule='r'>, facts['when'][0][0]: expected a JSON value (text, a number, True, False, None, a list "
        "or a mapping), not a value of type date",
        "  <Finding rule='r'>, facts['n']: expected a JSON value (text, a number, True, False, None, a list or a "
        "mapping), not a value of type Fraction"]
    assert error.value.text(translation("vi").gettext).splitlines()[1:4] == [
        "  <Finding rule='r'>, facts['share'][1]: cần một số hữu hạn: JSON không có NaN hay vô cực (giá trị đọc được: "
        "'nan')",
        "  <Finding rule='r'>, facts['limit']['max']: cần một số hữu hạn: JSON không có NaN hay vô cực (giá trị đọc "
        "được: '-inf')",
        "  <Finding rule='r'>, facts['by'][3]: cần khóa là văn bản (như JSON), không phải một khóa kiểu int"]


def test_a_fact_that_holds_itself_is_refused_not_a_recursion_error() -> None:
    loop: list[object] = [1]
    loop.append(loop)
    [(column, value)] = refused({"loop": loop})
    assert column is not None and column.startswith("facts['loop'][1][1][1]") and column.endswith("...")
    assert value is None
    deep: object = "x"
    for _ in range(MAX_JSON_DEPTH - 1):
        deep = [deep]
    assert finding({"deep": deep}).facts == {"deep": deep}  # (as deep as the JSON reader reads: kept)
    place = "facts['deep']" + "[0]" * (MAX_JSON_DEPTH - 1)  # (where the limit is passed, cut to 80 characters)
    assert refused({"deep": [deep]}) == [(place[:77] + "...", None)]


def test_a_key_that_is_not_text_among_the_facts_themselves() -> None:
    assert refused({"age": 40, 1: "x"}) == [("facts[1]", None)]


def test_an_explanation_entry_is_checked_as_the_facts_are() -> None:
    assert refused({}, ({"part": "when", "value": {1, 2}}, "why", {"target": math.inf})) == [
        ("explanation[0]['value']", None), ("explanation[1]", None), ("explanation[2]['target']", "inf")]
    assert refused({}, "why") == [("explanation", None)]
    entries = ({"part": "when", "depth": 0, "value": [0.25, {"a": None}]},)
    assert finding({}, entries).explanation == entries


# ------------------------------------------------------------------------------------------------ properties

_KEYS = st.text(max_size=4)
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=8)
_FACTS = st.dictionaries(_KEYS, _JSON, min_size=1, max_size=4)
_WRONG = st.sampled_from([{1}, frozenset(), date(2020, 1, 1), math.nan, -math.inf, (1,), b"x", Fraction(1, 3),
                          object()])


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path (keys and places) of every value inside ``value``."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*path, key)
        yield from _places(item, (*path, key))


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``value`` with ``new`` at ``path``."""
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _put(value[path[0]], path[1:], new)
    return copy


@settings(max_examples=40)
@given(_FACTS)
def test_json_facts_are_kept_and_written_back_as_given(facts: dict[str, Any]) -> None:
    made = finding(facts)
    assert made.facts == facts
    report = Report(AS_OF, (), 0, 0, DIGEST, (), (made,))
    assert json.loads(report_to_json(report))["findings"][0]["facts"] == facts


@settings(max_examples=40)
@given(_FACTS, st.data(), _WRONG)
def test_one_wrong_value_anywhere_is_located_exactly(facts: dict[str, Any], data: st.DataObject,
                                                    wrong: object) -> None:
    path = data.draw(st.sampled_from(list(_places(facts))))
    place = "facts" + "".join(f"[{key!r}]" for key in path)
    shown = repr(wrong) if isinstance(wrong, float) else None
    assert refused(_put(facts, path, wrong)) == [(place, shown)]


@settings(max_examples=25)
@given(_FACTS, st.data())
def test_a_key_that_is_not_text_anywhere_is_located_exactly(facts: dict[str, Any], data: st.DataObject) -> None:
    inside = [path for path in _places(facts) if isinstance(_get(facts, path), dict)]
    path = data.draw(st.sampled_from([(), *inside]))
    mapping = {**(_get(facts, path) if path else facts), 7: None}
    place = "facts" + "".join(f"[{key!r}]" for key in path) + "[7]"
    assert refused(_put(facts, path, mapping) if path else mapping) == [(place, None)]


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


# --------------------------------------------------------------- what the jobs make passes the jobs' checks

OFFICIALS = [Official(id=f"A{i}", full_name="Nguyễn Thị An", gender="female" if i % 2 else "male",
                      birth_date=date(1966 + i, 3, 1), unit="U1", position=position, education="university",
                      political_theory="advanced", in_planning=i == 3)
             for i, position in enumerate(["party_secretary", "committee_chair", "committee_vice_chair",
                                           "council_chair"], 1)]
UNITS = [Unit("U1", "Xã Một", "commune", 1), Unit("U2", "Xã Hai", "commune", 1)]


def _held(record: object) -> Iterator[object]:
    """Every record that ``record`` holds, at any depth (itself first)."""
    yield record
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)) and not isinstance(item, (Official, Unit)):
                yield from _held(item)


def test_a_projection_and_a_match_pass_their_own_checks() -> None:
    """Their series' points are made without ``__init__``: each one, remade through it, is equal to it."""
    engine = Engine(["vn-commune-2tier"], backend="reference")
    projection = cadre_rules.project(engine, OFFICIALS, UNITS, date(2031, 1, 1), as_of=date(2025, 12, 31),
                                     step="year")
    match = cadre_rules.match_posts(engine, OFFICIALS, UNITS, date(2025, 12, 31))
    made = [*_held(projection), *_held(match)]
    kinds = {type(record).__name__ for record in made}
    assert {"Projection", "Step", "Series", "Point", "Departure", "MatchResult", "PostResult", "PostToFill"} <= kinds
    for record in made:
        assert attrs.evolve(record) == record


def test_a_short_key_is_located_whole_a_long_one_cut() -> None:
    """A key of at most 40 characters is shown whole, however long its ``repr`` (four characters outside the printable
    ones, escaped, are 42; Hypothesis found it); a longer one by its first 37 characters."""
    astral = "\U00018d09\U00018d09\U0001b2fc\U0002ebe1"
    assert refused({astral: {1}}) == [(f"facts[{astral!r}]", None)]
    long = "k" * 41
    assert refused({long: {1}}) == [(f"facts[{'k' * 37!r}...]", None)]
