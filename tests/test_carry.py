"""Officials' outcomes carried from step to step (``_carry``, issue #19): the classes of a date-dependent
field tell apart every two values some comparison with a literal tells apart, and a run re-decides only
the officials whose date-dependent classes changed or whose record is new."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.engine._carry import Carry
from cadre_rules.engine._carry import Population
from cadre_rules.engine._carry import _next_check
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


def _counts(carry: Carry) -> dict[str, dict[str, int]]:
    return {unit: {k: v for k, v in names.items() if v} for unit, names in carry.counts.items()
            if any(names.values())}


@pytest.mark.parametrize("shared", [False, True])
def test_only_officials_whose_classes_change_or_whose_records_are_new_are_decided_again(shared: bool) -> None:
    program = compile_pack(PACK)
    carry = Carry(program)
    population = Population() if shared else None
    turning = Official("A", "Tên A", "male", date(1990, 3, 15), "X1", "committee_chair", "university",
                       "intermediate")
    old = Official("B", "Tên B", "female", date(1970, 1, 1), "X1", "committee_vice_chair", "university",
                   "intermediate")
    young = Official("C", "Tên C", "female", date(2000, 1, 1), "X2", "committee_vice_chair", "university",
                     "intermediate")
    decided: list[list[str]] = []

    def decide(batch: list[OfficialContext]) -> list[tuple[str, ...]]:
        decided.append([c.official.id for c in batch])
        return [(f"{c.official.id}@{c.as_of}", "all") for c in batch]

    def update(officials: list[Official], on: date) -> set[str]:
        return carry.update(_contexts(officials, on), Calendar(on, 2), decide, population)

    touched = update([turning, old, young], date(2025, 2, 14))
    assert decided == [["A", "B", "C"]] and touched == {"X1", "X2"}
    assert _counts(carry) == {"X1": {"A@2025-02-14": 1, "B@2025-02-14": 1, "all": 2},
                              "X2": {"C@2025-02-14": 1, "all": 1}}
    # a month on, A is 34 still: nothing is decided again, nothing touched, the counts as they were
    assert update([turning, old, young], date(2025, 3, 14)) == set()
    assert decided == [["A", "B", "C"]]
    assert _counts(carry) == {"X1": {"A@2025-02-14": 1, "B@2025-02-14": 1, "all": 2},
                              "X2": {"C@2025-02-14": 1, "all": 1}}
    # A turns 35 on the step date; B's record changed (a move), C left
    moved = Official("B", "Tên B", "female", date(1970, 1, 1), "X1", "committee_chair", "university",
                     "intermediate")
    touched = update([turning, moved], date(2025, 3, 15))
    assert decided[-1] == ["A", "B"] and len(decided) == 2
    assert touched == {"X1", "X2"}  # (X2: C is gone)
    assert _counts(carry) == {"X1": {"A@2025-03-15": 1, "B@2025-03-15": 1, "all": 2}}
    # C comes back (a record not on the last run) and A is older, in the same class: only C
    touched = update([turning, moved, young], date(2026, 1, 1))
    assert len(decided) == 3 and decided[-1] == ["C"] and touched == {"X2"}
    assert _counts(carry) == {"X1": {"A@2025-03-15": 1, "B@2025-03-15": 1, "all": 2},
                              "X2": {"C@2026-01-01": 1, "all": 1}}


def test_a_carry_that_missed_a_run_of_its_population_compares_records_itself() -> None:
    """Two programs share a population; one skips a step (a pack not in force then): on its next run
    the shared diff (from the step it missed) does not apply, and it finds the changes itself."""
    program = compile_pack(PACK)
    population = Population()
    every, some = Carry(program), Carry(program)
    a = Official("A", "Tên A", "male", date(1970, 3, 15), "X1", "committee_chair", "university", "intermediate")
    b = Official("B", "Tên B", "female", date(1970, 1, 1), "X1", "committee_vice_chair", "university",
                 "intermediate")
    c = Official("C", "Tên C", "female", date(1970, 1, 1), "X2", "committee_vice_chair", "university",
                 "intermediate")
    decided: list[list[str]] = []

    def decide(batch: list[OfficialContext]) -> list[tuple[str, ...]]:
        decided.append([ctx.official.id for ctx in batch])
        return [("all",)] * len(batch)

    def run(carries: list[Carry], officials: list[Official], on: date) -> list[set[str]]:
        contexts = _contexts(officials, on)
        return [carry.update(contexts, Calendar(on, 2), decide, population) for carry in carries]

    run([every, some], [a, b, c], date(2025, 1, 1))
    assert run([every], [a, c], date(2025, 2, 1)) == [{"X1"}]  # B left; `some` not run
    decided.clear()
    assert run([every, some], [c], date(2025, 3, 1)) == [{"X1"}, {"X1"}]  # A left; `some` also sees B gone
    assert decided == [] and every.counts == some.counts == {"X1": {"all": 0}, "X2": {"all": 1}}


def _stepper(born: date) -> tuple[Carry, Population, list[list[str]], Callable[[date], set[str]]]:
    """A carry of PACK (age < 35) over one official born on ``born``, run through a shared population
    (so that the queue of class changes is used from the second run on)."""
    carry, population = Carry(compile_pack(PACK)), Population()
    official = Official("A", "Tên A", "male", born, "X1", "committee_chair", "university", "intermediate")
    decided: list[list[str]] = []

    def decide(batch: list[OfficialContext]) -> list[tuple[str, ...]]:
        decided.append([c.as_of.isoformat() for c in batch])
        return [(f"age {c.as_of.year - born.year}",) for c in batch]

    def run(on: date) -> set[str]:
        return carry.update(_contexts([official], on), Calendar(on, 2), decide, population)

    return carry, population, decided, run


def test_the_queue_finds_a_35th_birthday_on_29_february_on_1_march() -> None:
    """Born 29 February: 35 on 1 March of a common year (ages_on); the queue checks from 1 February on and
    decides the official again on the day the class changes, not before, not after."""
    _, _, decided, run = _stepper(date(1992, 2, 29))
    for on in (date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)):
        run(on)
    assert decided == [["2026-12-31"]]
    assert run(date(2027, 3, 1)) == {"X1"}
    assert decided == [["2026-12-31"], ["2027-03-01"]]
    run(date(2027, 4, 1))  # 35 until the 36th birthday: the same class (age == 35 is apart from 36 only)
    run(date(2028, 2, 28))
    assert decided == [["2026-12-31"], ["2027-03-01"]]
    run(date(2028, 2, 29))  # 36 on 29 February of a leap year
    assert decided[-1] == ["2028-02-29"]


def test_a_run_on_an_earlier_date_classifies_everyone_again() -> None:
    _, _, decided, run = _stepper(date(1990, 6, 15))
    run(date(2025, 6, 15))  # 35
    run(date(2025, 6, 14))  # 34 again: no queue runs backwards
    assert decided == [["2025-06-15"], ["2025-06-14"]]
    run(date(2025, 6, 15))
    assert decided[-1] == ["2025-06-15"]


def test_the_queue_is_only_for_the_built_in_age() -> None:
    assert _next_check(OFFICIAL_FIELDS["age"], [35]) is not None
    assert _next_check(OFFICIAL_FIELDS["months_to_retirement"], [12]) is None
    check = _next_check(OFFICIAL_FIELDS["age"], [35, 40.5])
    assert check is not None
    born = date(1990, 6, 15)
    official = Official("A", "Tên A", "male", born, "X1", "committee_chair", "university", "intermediate")
    # the next ages where a class may begin: 35, 36, 40, 41, 42 (a superset: 41 and 42 compare alike)
    assert [date.fromordinal(d) for d in check([official] * 6, [20, 35, 36, 39, 41, 42])] == [
        date(2025, 6, 1), date(2026, 6, 1), date(2030, 6, 1), date(2030, 6, 1), date(2032, 6, 1), date.max]
