"""Officials' outcomes carried from step to step (``_carry``, issue #19): the classes of a date-dependent
field tell apart every two values some comparison with a literal tells apart, and a run re-decides only
the officials whose date-dependent classes changed or whose record is new."""

from __future__ import annotations

import operator
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.engine._carry import Carry
from cadre_rules.engine._carry import classifier
from cadre_rules.engine._carry import dated_fields
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import OfficialContext
from cadre_rules.packs._catalogue import OFFICIAL_FIELDS
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._program import compile_pack

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
       "!=": operator.ne}
PACK = parse_pack({
    "pack": {"id": "t-carry", "version": "1", "title": "t"},
    "key_positions": {"codes": ["committee_chair", "committee_vice_chair"]},
    "quota": [{"id": "quota.young", "family": "quota", "population": "is_key", "numerator": "age < 35",
               "min_share": 0.5, "scopes": ["city"], "severity": "warning", "message": "m", "cite": "c"}],
})
UNIT = Unit("X1", "Xã Một", "commune", 1)


@given(st.lists(st.tuples(st.integers(-5, 5), st.sampled_from(sorted(OPS))), max_size=4),
       st.lists(st.one_of(st.none(), st.integers(-7, 7)), min_size=1, max_size=30))
def test_values_of_one_class_compare_alike_with_every_literal(literals: list[tuple[int, str]],
                                                              values: list[int | None]) -> None:
    classes = classifier(OFFICIAL_FIELDS["age"], literals)(values)
    assert len(classes) == len(values)
    for a, ca in zip(values, classes, strict=True):
        for b, cb in zip(values, classes, strict=True):
            if ca == cb:
                assert (a is None) == (b is None)
                if a is not None and b is not None:
                    assert all(OPS[op](a, lit) == OPS[op](b, lit) for lit, op in literals), (a, b)


def test_a_value_equal_to_a_literal_is_apart_from_its_neighbours() -> None:
    classes = classifier(OFFICIAL_FIELDS["age"], [(35, "<")])([34, 35, 36, 50, None])
    assert len({classes[0], classes[1], classes[2]}) == 3
    assert classes[2] == classes[3]
    assert classes[4] == -1


def test_codes_texts_and_booleans_are_their_own_classes() -> None:
    values = ["good", "not_completed", None]
    assert list(classifier(OFFICIAL_FIELDS["latest_rating"], [("not_completed", "==")])(values)) == values


def test_only_the_date_dependent_fields_are_dated() -> None:
    program = compile_pack(PACK)
    assert {f.name for f in program.fields["o"]} >= {"is_key", "age"}
    assert [f.name for f in dated_fields(program)] == ["age"]  # is_key reads the posts only


def _contexts(officials: list[Official], on: date) -> list[OfficialContext]:
    calendar = Calendar(on, 2)
    return [OfficialContext(o, UNIT, on, calendar) for o in officials]


def test_only_officials_whose_classes_change_or_whose_records_are_new_are_decided_again() -> None:
    program = compile_pack(PACK)
    carry: Carry[str] = Carry(program)
    turning = Official("A", "Tên A", "male", date(1990, 3, 15), "X1", "committee_chair", "university",
                       "intermediate")
    old = Official("B", "Tên B", "female", date(1970, 1, 1), "X1", "committee_vice_chair", "university",
                   "intermediate")
    young = Official("C", "Tên C", "female", date(2000, 1, 1), "X2", "committee_vice_chair", "university",
                     "intermediate")
    decided: list[list[str]] = []

    def decide(batch: list[OfficialContext]) -> list[str]:
        decided.append([c.official.id for c in batch])
        return [f"{c.official.id}@{c.as_of}" for c in batch]

    first, touched = carry.outcomes(_contexts([turning, old, young], date(2025, 2, 14)), Calendar(date(2025, 2, 14), 2),
                           decide)
    assert decided == [["A", "B", "C"]] and first == ["A@2025-02-14", "B@2025-02-14", "C@2025-02-14"]
    # a month on, A is 34 still: nothing is decided again
    same, untouched = carry.outcomes(_contexts([turning, old, young], date(2025, 3, 14)), Calendar(date(2025, 3, 14), 2),
                          decide)
    assert decided == [["A", "B", "C"]] and same == first
    assert touched == {"X1", "X2"} and untouched == set()
    # A turns 35 on the step date; B's record changed (a move), C left
    moved = Official("B", "Tên B", "female", date(1970, 1, 1), "X1", "committee_chair", "university",
                     "intermediate")
    on = date(2025, 3, 15)
    second, touched = carry.outcomes(_contexts([turning, moved], on), Calendar(on, 2), decide)
    assert decided[-1] == ["A", "B"] and second == ["A@2025-03-15", "B@2025-03-15"]
    assert len(decided) == 2
    assert touched == {"X1", "X2"}  # (X2: C is gone)
    # C comes back (a record not on the last run) and A is older, in the same class: only C
    later = date(2026, 1, 1)
    third, touched = carry.outcomes(_contexts([turning, moved, young], later), Calendar(later, 2), decide)
    assert len(decided) == 3 and decided[-1] == ["C"] and third == ["A@2025-03-15", "B@2025-03-15", "C@2026-01-01"]
    assert touched == {"X2"}
