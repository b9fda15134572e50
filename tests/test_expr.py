"""The expression language: parsing, type checking, Kleene evaluation."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from cadre_rules import ExpressionError
from cadre_rules.packs._catalogue import BUILTIN_FUNCTIONS
from cadre_rules.packs._expr import And
from cadre_rules.packs._expr import Cmp
from cadre_rules.packs._expr import IsNone
from cadre_rules.packs._expr import Member
from cadre_rules.packs._expr import Not
from cadre_rules.packs._expr import Or
from cadre_rules.packs._expr import Truth
from cadre_rules.packs._expr import evaluate
from cadre_rules.packs._expr import fields_of
from cadre_rules.packs._expr import parse


def p(text: str, **kw: object):  # type: ignore[no-untyped-def]
    return parse(text, functions=BUILTIN_FUNCTIONS, params=kw.pop("params", {"young_age": 35}),  # type: ignore[arg-type]
                 key_positions=("party_secretary", "committee_chair"), **kw)  # type: ignore[arg-type]


def test_comparison_normalises_field_to_the_left() -> None:
    e = p("35 > age").expr
    assert isinstance(e, Cmp)
    assert (e.field.name, e.op, e.value) == ("age", "<", 35)


def test_chained_comparison_is_a_conjunction() -> None:
    e = p("30 <= age < young_age").expr
    assert isinstance(e, And)
    assert [(c.field.name, c.op, c.value) for c in e.items] == [("age", ">=", 30), ("age", "<", 35)]  # type: ignore[union-attr]


def test_codes_accept_vietnamese_labels_and_compare_by_rank() -> None:
    e = p("education < 'đại học'").expr
    assert isinstance(e, Cmp) and e.value == "university"
    assert evaluate(e, {"education": "college"}) is True
    assert evaluate(e, {"education": "master"}) is False
    g = p("gender == 'Nữ'").expr
    assert isinstance(g, Cmp) and g.value == "female"


def test_dates_literals_and_fractions() -> None:
    e = p("birth_date >= '01/01/1990'").expr
    assert isinstance(e, Cmp) and e.value == date(1990, 1, 1)
    f = p("low_confidence_share > 2/3").expr
    assert isinstance(f, Cmp) and f.value == Fraction(2, 3)
    assert evaluate(f, {"low_confidence_share": Fraction(2, 3)}) is False
    assert evaluate(f, {"low_confidence_share": Fraction(666667, 1000000)}) is True


def test_functions_become_derived_fields() -> None:
    e = p("rating(2022) == 'KHTNV' and consecutive('not_completed') >= 2").expr
    names = [f.name for f in fields_of(e)]
    assert names == ["rating(2022)", "consecutive('not_completed')"]


def test_is_key_expands_to_the_pack_key_positions() -> None:
    e = p("is_key").expr
    assert isinstance(e, Cmp)
    assert e.field.name == "is_key"
    import attrs

    from cadre_rules import Official
    from cadre_rules import Unit
    from cadre_rules.model._context import OfficialContext
    unit = Unit("U1", "Xã A", "commune", 1)
    o = Official("O1", "A", "male", date(1980, 1, 1), "U1", "other", "university", "advanced")
    ctx = OfficialContext(attrs.evolve(o, position="other", concurrent_positions=("committee_chair",)), unit,
                          date(2024, 1, 1))
    assert e.field.get(ctx) is True
    ctx = OfficialContext(attrs.evolve(o, position="other", concurrent_positions=("front_chair",)), unit,
                          date(2024, 1, 1))
    assert e.field.get(ctx) is False


def test_in_and_is_none() -> None:
    m = p("position not in ['other', 'culture_social']").expr
    assert isinstance(m, Member) and m.negated and m.values == ("other", "culture_social")
    n = p("appointed_on is None").expr
    assert isinstance(n, IsNone) and not n.negated
    assert evaluate(n, {}) is True
    assert evaluate(p("appointed_on is not None").expr, {}) is False


def test_kleene_logic_with_unknown_values() -> None:
    unknown: dict[str, object] = {"age": None, "in_planning": True}
    assert evaluate(p("age < 35").expr, unknown) is None  # type: ignore[arg-type]
    assert evaluate(p("not (age < 35)").expr, unknown) is None  # type: ignore[arg-type]
    assert evaluate(p("age < 35 or in_planning").expr, unknown) is True  # type: ignore[arg-type]
    assert evaluate(p("age < 35 and not in_planning").expr, unknown) is False  # type: ignore[arg-type]
    assert evaluate(p("age < 35 and in_planning").expr, unknown) is None  # type: ignore[arg-type]


def test_constants_and_boolean_params() -> None:
    assert p("True").expr == Truth(True)
    assert isinstance(p("not False").expr, Not)
    assert p("flag", params={"flag": True}).expr == Truth(True)
    assert isinstance(p("in_planning or under_investigation").expr, Or)


@pytest.mark.parametrize(("text", "reason"), [
    ("__import__('os')", "unknown function '__import__'"),
    ("().__class__", "not allowed"),
    ("educaton < 'university'", "unknown field 'educaton'"),
    ("age < 'abc'", "expected a int value"),
    ("education < 'phd'", "unknown education"),
    ("gender < 'male'", "not ordered"),
    ("age < birth_date", "not with another field"),
    ("age == None", "is None"),
    ("age", "not a condition"),
    ("age + 1 > 3", "needs a field on one side"),
    ("position in []", "non-empty list"),
    ("rating(year) == 'good'", "unknown parameter 'year'"),
    ("rating() == 'good'", "takes 1 argument"),
    ("holds() ", "at least one argument"),
    ("lambda: 1", "not allowed"),
    ("age < 35 if True else False", "not allowed"),
    ("open('/etc/passwd')", "unknown function 'open'"),
    ("age <", "syntax error"),
    ("", "non-empty"),
])
def test_rejected_expressions(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as info:
        p(text)
    assert reason in str(info.value)


def test_did_you_mean() -> None:
    with pytest.raises(ExpressionError) as info:
        p("educaton < 'university'")
    assert info.value.suggestion == "education"


def test_unit_subject_fields_and_count_tallies() -> None:
    parsed = parse("count(\"standing_committee and gender == 'female'\") == 0 and holders('committee_vice_chair') > 2",
                   subject="unit", functions=BUILTIN_FUNCTIONS)
    assert list(parsed.tallies) == ["count(\"standing_committee and gender == 'female'\")"]
    with pytest.raises(ExpressionError):
        parse("count('educaton > 1') > 0", subject="unit", functions=BUILTIN_FUNCTIONS)
    with pytest.raises(ExpressionError, match="unknown field 'age' for unit rules"):
        parse("age > 3", subject="unit", functions=BUILTIN_FUNCTIONS)
