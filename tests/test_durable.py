"""The durable-rules backend at its edges (the engine's known traps)."""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import EvaluationError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_pack
from cadre_rules import report_to_json
from cadre_rules.engine import _classes
from cadre_rules.engine import _durable
from cadre_rules.engine._backend import Deadline
from cadre_rules.model import _context
from cadre_rules.model._distinct import first_positions
from cadre_rules.model._distinct import on_distinct
from cadre_rules.model._distinct import per_distinct
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._program import compile_pack
from conftest import EVERY_CONSTRUCT
from conftest import neutral_json

pytestmark = pytest.mark.skipif(not _durable.AVAILABLE, reason="durable-rules does not build on this Python")

UNIT = Unit("U1", "Xã Tản Lĩnh", "commune", 1, "Ba Vì")


def official(i: int, **kw: object) -> Official:
    base: dict[str, object] = dict(id=f"O{i}", full_name="Nguyễn Văn A", gender="male", birth_date=date(1990, 5, 5),
                                   unit="U1", position="committee_chair", education="college",
                                   political_theory="elementary")
    base.update(kw)
    return Official(**base)  # type: ignore[arg-type]


def test_every_rule_is_guarded_by_kind_and_never_reads_durable_fields() -> None:
    name, rules, _ = _durable.compile_ruleset(compile_pack(load_pack(EVERY_CONSTRUCT)))
    assert name.startswith("test-every-construct@1#")
    for rule in rules.values():
        match = rule["all"][0]["m"]
        guard = match if "kind" in match else match["$and"][0]
        assert re.fullmatch(r"[oum]\d+", guard["kind"])  # a kind of fact and its group of fields
        text = json.dumps(match)
        assert '"id"' not in text and '"sid"' not in text


def test_guard_refuses_conditions_on_reserved_fields() -> None:
    with pytest.raises(EvaluationError, match="reserved field 'id'"):
        _durable._check_guarded({"$and": [{"kind": "o"}, {"$ex": {"id": 1}}]})


def test_dumps_never_writes_exponents_and_keeps_unicode() -> None:
    text = _durable.dumps({"a": 1e-06, "b": 2.5e20, "c": "Hà Nội", "d": [0.5, True, None]})
    assert "e-" not in text and "e+" not in text
    assert json.loads(text) == {"a": 1e-06, "b": 2.5e20, "c": "Hà Nội", "d": [0.5, True, None]}
    assert "Hà Nội" in text
    with pytest.raises(EvaluationError):
        _durable.dumps({"a": float("nan")})


def test_tiny_shares_and_unicode_equality_match_the_reference(tmp_path: Path) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text("""
[pack]
id = "edge"
version = "1"
title = "edge"
[[rule]]
id = "tiny"
family = "replacement"
when = "low_confidence_share > 0.0000005 and district == 'Ba Vì'"
message = "m"
cite = "c"
""", encoding="utf-8")
    from fractions import Fraction

    people = [official(1, low_confidence_share=Fraction(1, 1_000_000)), official(2, low_confidence_share=Fraction(0))]
    for backend in ("durable", "reference"):
        report = Engine([pack], backend=backend).evaluate(people, [UNIT], date(2024, 1, 1))
        assert [f.subject_id for f in report.findings] == ["O1"], backend


def test_facts_are_retracted_and_state_deleted() -> None:
    program = compile_pack(load_pack(EVERY_CONSTRUCT))
    backend = _durable.DurableBackend()
    with backend.session(program, Deadline(None)) as session:
        for i in range(50):
            session.match("o", {"age": 30, "education": "college", "holds_cadre_post": True}, f"O{i}")
        handle = session._handle
        assert json.loads(_durable._dre.get_facts(handle, "0")) == []


def test_a_looping_engine_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate durable-rules never running out of actions (its known endless-loop trap).
    engine = Engine([EVERY_CONSTRUCT], backend="durable")
    real = _durable._dre.start_action_for_state
    monkeypatch.setattr(_durable._dre, "complete_and_start_action",
                        lambda handle, state: '{"r0":{"m":{}}}')
    monkeypatch.setattr(_durable._dre, "start_action_for_state", real)
    with pytest.raises(EvaluationError, match="looping"):
        engine.evaluate([official(1)], [UNIT], date(2024, 1, 1))
    monkeypatch.undo()
    # the engine is usable afterwards: the fact was retracted in the finally block
    report = engine.evaluate([official(1)], [UNIT], date(2024, 1, 1))
    assert any(f.rule == "qualification.degree" for f in report.findings)


def test_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine([EVERY_CONSTRUCT], backend="durable", timeout=0.0)
    with pytest.raises(EvaluationError, match="time bound"):
        engine.evaluate([official(i) for i in range(600)], [UNIT], date(2024, 1, 1))


def test_two_engines_with_different_params_do_not_interfere() -> None:
    people = [official(i, birth_date=date(1990 - i, 1, 1)) for i in range(12)]
    a = Engine([EVERY_CONSTRUCT], backend="durable")
    b = Engine([EVERY_CONSTRUCT], backend="durable", params={"test-every-construct.young_age": "30"})
    ra1 = report_to_json(a.evaluate(people, [UNIT], date(2024, 1, 1)))
    rb = report_to_json(b.evaluate(people, [UNIT], date(2024, 1, 1)))
    ra2 = report_to_json(a.evaluate(people, [UNIT], date(2024, 1, 1)))
    assert ra1 == ra2
    assert ra1 != rb
    assert json.loads(rb)["backend"] == "durable"
    assert rb == neutral_json(Engine([EVERY_CONSTRUCT], backend="reference",
                                     params={"test-every-construct.young_age": "30"}).evaluate(people, [UNIT], date(2024, 1, 1))
                              ).replace('"backend": null', '"backend": "durable"')


def test_concurrent_evaluations_are_serialised_and_correct() -> None:
    people = [official(i, education="college" if i % 2 else "university") for i in range(300)]
    engine = Engine([EVERY_CONSTRUCT], backend="durable")
    expected = report_to_json(engine.evaluate(people, [UNIT], date(2024, 1, 1)))
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(report_to_json(engine.evaluate(people, [UNIT], date(2024, 1, 1))))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert results == [expected] * 4


def test_registry_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_durable, "REGISTRY_SIZE", 3)
    for limit in range(20, 28):
        Engine([EVERY_CONSTRUCT], backend="durable",
               params={"test-every-construct.young_age": str(limit)}).evaluate([official(1)], [UNIT], date(2024, 1, 1))
    assert len(_durable._REGISTRY) <= 3


def test_unavailable_durable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_durable, "_dre", None)
    with pytest.raises(EvaluationError, match="reference backend"):
        _durable.DurableBackend()
    monkeypatch.setattr(_durable, "AVAILABLE", False)
    assert Engine([EVERY_CONSTRUCT], backend="auto").backend.name == "reference"


def test_regression_or_branches_fire_once_each_and_are_reported_once(tmp_path: Path) -> None:
    # durable-rules fires a rule once per satisfied branch of its $or (its DNF terms): a quota's
    # numerator was counted twice (numerator > denominator) before match() de-duplicated names.
    pack = tmp_path / "or.toml"
    pack.write_text("""
[pack]
id = "or-branches"
version = "1"
title = "or"
[[quota]]
id = "quota.either"
population = "is_key"
numerator = "(in_planning or under_investigation) and (is_local or standing_committee)"
min_share = 0.5
scopes = ["city"]
message = "m"
cite = "c"
""", encoding="utf-8")
    people = [official(1, in_planning=True, under_investigation=True, is_local=True, standing_committee=True)]
    report = Engine([pack], backend="durable").evaluate(people, [UNIT], date(2024, 1, 1))
    metric = report.metrics[0]
    assert (metric.numerator, metric.denominator) == (1, 1)
    _, rules, _ = _durable.compile_ruleset(compile_pack(load_pack(pack)))
    assert _durable.max_activations(rules) == 1 + 4 + 1  # population, 2×2 numerator terms, the metric rule


def test_dnf_branch_count() -> None:
    assert _durable._branches({"$and": [{"kind": "o"}, {"$or": [{"a": 1}, {"b": 1}]},
                                        {"$or": [{"c": 1}, {"$and": [{"d": 1}, {"$or": [{"e": 1}, {"f": 1}]}]}]}]}) == 6


def test_packs_too_wide_for_durable_fall_back_or_fail(tmp_path: Path) -> None:
    # durable-rules holds at most 64 properties per fact: a pack reading 70 fields of officials
    wide = " or ".join(f"rating({year}) == 'good'" for year in range(1950, 2020))
    pack = tmp_path / "wide.toml"
    pack.write_text(f"""
[pack]
id = "wide"
version = "1"
title = "wide"
[[rule]]
id = "wide.rule"
family = "rotation"
when = "{wide}"
message = "m"
cite = "c"
""", encoding="utf-8")
    with pytest.raises(EvaluationError, match="at most 64 properties"):
        Engine([pack], backend="durable")
    people = [official(1, ratings=((2019, "good"),)), official(2)]
    auto = Engine([pack], backend="auto").evaluate(people, [UNIT], date(2024, 1, 1))
    reference = Engine([pack], backend="reference").evaluate(people, [UNIT], date(2024, 1, 1))
    assert [f.subject_id for f in auto.findings] == ["O1"]
    assert auto.findings == reference.findings
    assert any("wide@1" in note and "64" in note for note in auto.notes)


# -- the memo of matches per combination of classes of values -------------------------------------

CLASSES_PACK = """
[pack]
id = "classes"
version = "1"
title = "classes"
[[rule]]
id = "qualification.young_undergraduate"
family = "qualification"
when = "age >= 35 and education < 'university'"
message = "m"
cite = "c"
[[rule]]
id = "rotation.long_secondment"
family = "rotation"
when = "months_on_secondment > 36"
message = "m"
cite = "c"
"""


def _classes_people() -> list[Official]:
    return [official(i, birth_date=date(1964 + i, 3, 1), education=("college", "university", "master")[i % 3],
                     secondment_since=date(2019, 1, 1) if i % 4 == 0 else None)
            for i in range(40)]


def test_memo_asks_durable_once_per_combination_of_classes(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text(CLASSES_PACK, encoding="utf-8")
    program = compile_pack(load_pack(tmp_path / "p.toml"))
    reference = Engine([tmp_path / "p.toml"], backend="reference")
    people = _classes_people()
    as_of = date(2024, 1, 1)
    expected = reference.evaluate(people, [UNIT], as_of).findings
    # (the two rules read no field in common but are few classes: one group)
    assert _classes.fact_groups(program)["o"] == [("age", "education", "months_on_secondment")]
    facts = [{"age": 2024 - p.birth_date.year - 1, "education": p.education,
              "months_on_secondment": 60 if p.secondment_since else None} for p in people]
    # What decides every condition: age below 35 or not (35 compared with >= only: at 35 is as above),
    # education below university or not (university and master alike), a long secondment or none.
    classes = {(f["age"] >= 35, f["education"] == "college", f["months_on_secondment"]) for f in facts}
    assert len(classes) == 8  # the 40 people fall in all 8 combinations
    with _durable.DurableBackend().session(program, Deadline(None)) as session:
        for person, fact in zip(people, facts, strict=True):
            session.match("o", fact, person.id)
        assert session.asserted == len(classes)
    with _durable.DurableBackend(memo=False).session(program, Deadline(None)) as session:
        for person in people:
            session.match("o", {"age": 30, "education": "college", "months_on_secondment": None}, person.id)
        assert session.asserted == len(people)
    engine = Engine([tmp_path / "p.toml"], backend="durable")
    assert engine.evaluate(people, [UNIT], as_of).findings == expected
    assert sorted(f.subject_id for f in expected if f.rule == "qualification.young_undergraduate") == sorted(
        f"O{i}" for i in range(40) if i % 3 == 0 and 1964 + i <= 1988)


BOUNDARIES_PACK = {"pack": {"id": "boundaries", "version": "1", "title": "boundaries"},
                   "rule": [{"id": f"qualification.r{i}", "family": "qualification", "when": when, "message": "m",
                             "cite": "c"}
                            for i, when in enumerate(["age < 30", "age <= 40", "age == 50", "age > 60 and age != 65"])]}


def test_a_value_equal_to_a_literal_shares_the_class_its_comparisons_cannot_tell_apart() -> None:
    pack = parse_pack(BOUNDARIES_PACK)
    program = compile_pack(pack)
    # 30 is compared with < only (30 is as 31), 40 with <= (40 is as 39), 60 with > (as 59); 50 and 65
    # with == and != (their own classes): ages 20-75 fall in <30, 30-40, 41-49, 50, 51-60, 61-64, 65, >65
    with _durable.DurableBackend().session(program, Deadline(None)) as session:
        for age in range(20, 76):
            session.match("o", {"age": age}, f"O{age}")
        assert session.asserted == 8
    people = [official(i, birth_date=date(2024 - age, 1, 1)) for i, age in enumerate(range(20, 76))]
    durable = Engine([pack], backend="durable").evaluate(people, [UNIT], date(2024, 1, 1))
    reference = Engine([pack], backend="reference").evaluate(people, [UNIT], date(2024, 1, 1))
    assert neutral_json(durable) == neutral_json(reference)
    fired = {f.subject_id for f in durable.findings if f.rule == "qualification.r1"}
    assert fired == {f"O{i}" for i, age in enumerate(range(20, 76)) if age <= 40}


def test_groups_of_fields_no_condition_reads_across(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "p.toml").write_text(CLASSES_PACK, encoding="utf-8")
    program = compile_pack(load_pack(tmp_path / "p.toml"))
    monkeypatch.setattr(_classes, "SMALL_GROUP", 1)  # never merge: one group per connected set of fields
    assert _classes.fact_groups(program)["o"] == [("age", "education"), ("months_on_secondment",)]
    _, rules, _ = _durable.compile_ruleset(program)
    guards = sorted(rule["all"][0]["m"]["$and"][0]["kind"] for rule in rules.values())
    assert guards == ["o0", "o1"]
    people = _classes_people()
    durable = Engine([tmp_path / "p.toml"], backend="durable").evaluate(people, [UNIT], date(2024, 1, 1))
    reference = Engine([tmp_path / "p.toml"], backend="reference").evaluate(people, [UNIT], date(2024, 1, 1))
    assert neutral_json(durable) == neutral_json(reference)
    assert {f.rule for f in durable.findings} == {"qualification.young_undergraduate", "rotation.long_secondment"}


def test_memo_is_bounded_and_the_results_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    people = [official(i, birth_date=date(1960 + i % 30, 1 + i % 12, 1), education=("college", "university")[i % 2])
              for i in range(60)]
    expected = neutral_json(Engine([EVERY_CONSTRUCT], backend="reference").evaluate(people, [UNIT], date(2024, 1, 1)))
    program = compile_pack(load_pack(EVERY_CONSTRUCT))

    def asserted() -> tuple[int, list[_durable._Group]]:
        with _durable.DurableBackend().session(program, Deadline(None)) as session:
            for i in range(30):
                session.match("o", {"age": 20 + i, "education": "college", "holds_cadre_post": True}, f"O{i}")
            return session.asserted, [group for kind in session._groups.values() for group in kind]

    unbounded, _ = asserted()
    monkeypatch.setattr(_classes, "MEMO_SIZE", 2)
    bounded, groups = asserted()
    assert all(len(group.memo) <= 2 for group in groups)
    assert not any(hasattr(c, "__dict__") or hasattr(c, "classes") for group in groups for c in group.classify)  # (classifiers keep no values)
    assert bounded > unbounded  # beyond the bound, facts are asserted again
    assert neutral_json(Engine([EVERY_CONSTRUCT], backend="durable").evaluate(people, [UNIT], date(2024, 1, 1))) == expected


def test_the_memo_changes_no_result_on_the_sample() -> None:
    sample = Path(__file__).parent.parent / "examples" / "hanoi-2022"
    packs = ["hanoi-de-an-34", "vn-nd33-2023", "hanoi-ke-hoach-188"]
    memo = Engine(packs, backend="durable")
    officials, units = memo.read(sample / "officials.csv", sample / "units.csv")
    every_fact = Engine(packs, backend="durable")
    every_fact.backend = _durable.DurableBackend(memo=False)
    as_of = date(2022, 12, 31)
    report = memo.evaluate(officials, units, as_of)
    other = every_fact.evaluate(officials, units, as_of)
    assert len(report.findings) > 1000
    assert (report.findings, report.metrics, report.notes) == (other.findings, other.metrics, other.notes)


def test_a_program_is_compiled_once_per_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    compile_ruleset = _durable.compile_ruleset

    def counted(program: object) -> object:
        calls.append("compiled")
        return compile_ruleset(program)  # type: ignore[arg-type]

    monkeypatch.setattr(_durable, "compile_ruleset", counted)
    engine = Engine([EVERY_CONSTRUCT], backend="durable")
    people = [official(i) for i in range(3)]
    first = engine.evaluate(people, [UNIT], date(2024, 1, 1))
    second = engine.evaluate(people, [UNIT], date(2025, 1, 1))
    assert calls == ["compiled"]
    assert report_to_json(first) != report_to_json(second)  # two evaluations, one compilation
    other = Engine([EVERY_CONSTRUCT], backend="durable")
    assert report_to_json(other.evaluate(people, [UNIT], date(2024, 1, 1))) == report_to_json(first)
    assert calls == ["compiled", "compiled"]  # each engine's backend compiles its own programs


def test_a_field_of_several_groups_is_classified_once_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    program = compile_pack(load_pack(EVERY_CONSTRUCT))
    groups = _classes.fact_groups(program)["o"]
    fields = {name for group in groups for name in group}
    assert sum(map(len, groups)) > len(fields)  # (some fields are in several groups)
    people = [official(i, birth_date=date(1960 + i, 1, 1)) for i in range(20)]
    columns = {f.name: [f.get(_context.OfficialContext(p, UNIT, date(2024, 1, 1))) for p in people]
               for f in program.fields["o"]}
    classified: list[int] = []
    column = _classes.Classifier.column

    def counted(self: _classes.Classifier, values: list[object]) -> list[int]:
        classified.append(id(self))
        return column(self, values)

    monkeypatch.setattr(_classes.Classifier, "column", counted)
    with _durable.DurableBackend().session(program, Deadline(None)) as session:
        got = session.match_columns("o", columns, [p.id for p in people])
        assert len(classified) == len(set(classified)) == len(fields)
        one_by_one = [session.match("o", {name: values[i] for name, values in columns.items()}, p.id)
                      for i, p in enumerate(people)]
    assert got == one_by_one


def test_booleans_are_their_own_classes_and_numbers_are_keyed_exactly() -> None:
    flag = _classes.Classifier(None, [(True, "==")], "bool")
    column = [True, None, False, True]
    assert flag.column(column) is column and flag(False) is False
    share = _classes.Classifier(None, [(Fraction(2, 3), ">")], "number")
    values = [Fraction(1, 3), None, Fraction(2, 3), 1, Fraction(3, 4), Fraction(2, 3)]
    assert _classes.exact_keys(values) == [(1, 3), (None, None), (2, 3), (1, 1), (3, 4), (2, 3)]
    assert share.column(values) == [0, -1, 0, 2, 2, 0] == [share(v) for v in values]
    with pytest.raises(TypeError, match=r"not a number: 0\.5"):
        _classes.exact_keys([None, 0.5])
    # a boolean field with the memo: asserted once per value (None, False, True)
    pack = parse_pack({"pack": {"id": "flags", "version": "1", "title": "flags"},
                       "rule": [{"id": "replacement.r", "family": "replacement", "when": "under_investigation",
                                 "message": "m", "cite": "c"}]})
    with _durable.DurableBackend().session(compile_pack(pack), Deadline(None)) as session:
        got = session.match_columns("o", {"under_investigation": [True, False, None, True, False] * 3},
                                    [f"O{i}" for i in range(15)])
        assert session.asserted == 3
    assert got == [("r0",), (), (), ("r0",), ()] * 3  # (the condition of the first rule)


def test_columns_are_classified_and_matched_as_one_by_one_and_the_session_remembers_combinations() -> None:
    # A column is classified once per distinct value; the session asks durable-rules once per combination
    # of classes it has not decided yet, in this call or an earlier one.
    age = _classes.Classifier(None, [(35, "<"), (60, ">=")], "int")
    first, known, late_new = [30, 40, None, 70], [40, 30, 70, 30, None], [30, 40, 70, 59, 35, 61]
    for column in (first, known, late_new):
        assert age.column(column) == [age(v) for v in column]
    assert age.column(late_new) == [0, 2, 4, 2, 2, 4] and age(None) == -1
    pack = parse_pack({"pack": {"id": "ages", "version": "1", "title": "ages"},
                       "rule": [{"id": "qualification.young", "family": "qualification", "when": "age < 35",
                                 "message": "m", "cite": "c"}]})
    with _durable.DurableBackend().session(compile_pack(pack), Deadline(None)) as session:
        assert session.match_columns("o", {"age": [30, 40]}, ["O1", "O2"]) == [("r0",), ()]
        assert session.asserted == 2
        assert session.match_columns("o", {"age": [41, 31, 50]}, ["O3", "O4", "O5"]) == [(), ("r0",), ()]
        assert session.asserted == 2  # every class known: nothing asserted
        assert session.combinations("o", {"age": [41, 31, None, 20, None]}, [f"O{i}" for i in range(6, 11)]) == (
            [0, 1, 2, 1, 2], [(), ("r0",), ()])  # one number per combination, in the order first seen
        assert session.asserted == 3  # the missing age (a class of its own) asserted once


def test_first_positions_and_per_distinct_compute_each_key_once_at_its_first_position() -> None:
    keys = ["a", "b", "n", "b", "c", "a", "c"]
    assert first_positions(keys) == ([0, 1, 2, 1, 4, 0, 4], [0, 1, 2, 4])
    assert first_positions([]) == ([], [])
    asked: list[int] = []

    def compute(i: int) -> object:
        asked.append(i)
        return None if keys[i] == "n" else keys[i] * 2  # (None is a value like any other)

    assert per_distinct(keys, compute) == ["aa", "bb", None, "bb", "cc", "aa", "cc"]
    assert asked == [0, 1, 2, 4]
    assert per_distinct([(1, 2), (1, 2), (True,), (1,)], lambda i: i) == [0, 0, 2, 2]  # (True == 1: one key)
    given: list[list[str]] = []

    def column(values: list[str]) -> list[str]:
        given.append(values)
        return [v * 2 for v in values]

    assert on_distinct(keys, column) == ["aa", "bb", "nn", "bb", "cc", "aa", "cc"]
    assert len(given) == 1 and sorted(given[0]) == ["a", "b", "c", "n"]  # (each distinct key once)
