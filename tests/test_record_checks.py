"""The records of the public API built directly (``Report(...)``, ``Finding(...)``, ``PostToFill(...)``…) refuse
wrong values with one located InputError naming every wrong field, in English and Vietnamese, at construction (or,
for what needs the data, in the first public function that receives them): never a traceback deep inside a renderer
nor a silently wrong report."""

from __future__ import annotations

import typing
from collections.abc import Callable
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import attrs
import pytest

import cadre_rules
from cadre_rules import Coverage
from cadre_rules import DataAsOf
from cadre_rules import Engine
from cadre_rules import Finding
from cadre_rules import InputError
from cadre_rules import Metric
from cadre_rules import Names
from cadre_rules import Notice
from cadre_rules import Official
from cadre_rules import PackRef
from cadre_rules import PlanEvent
from cadre_rules import PostToFill
from cadre_rules import Report
from cadre_rules import Suppressed
from cadre_rules import TrainingNeed
from cadre_rules import Undecided
from cadre_rules import Unit
from cadre_rules._i18n import translation
from cadre_rules.jobs._match import NearMiss
from cadre_rules.jobs._match import PostResult
from cadre_rules.jobs._match import Proposal
from cadre_rules.jobs._project import Departure
from cadre_rules.jobs._project import Point
from cadre_rules.jobs._project import Series
from cadre_rules.jobs._project import ShareSeries
from cadre_rules.jobs._project import Step
from cadre_rules.model._report_records import BaselineDiff
from cadre_rules.model._report_records import QuotaCounts
from cadre_rules.model._report_records import ReportScope
from cadre_rules.packs._packs import Text

OFFICIAL = Official(id="A1", full_name="Nguyễn Thị An", gender="female", birth_date=date(1980, 1, 2), unit="U1",
                    position="committee_chair", education="university", political_theory="advanced")
UNIT = Unit("U1", "Xã Một", "commune", 1)
AS_OF = date(2024, 12, 31)
FINDING = Finding("p", "r", "qualification", "error", "official", "A1", "U1", "m", "c", {"x": 1})
METRIC = Metric("p", "quota.young", "city", "Hà Nội", 1, 3, Fraction(1, 10), ">=", False)
DIGEST = "0" * 64
POINT = Point(date(2025, 12, 31), 1, 3, False)
PROPOSAL = Proposal("A1", "Nguyễn Thị An", "U1", "committee_chair", 1, 0, ("woman",), ("woman",), "Xã Một")

c: Any = cadre_rules  # (called with wrong values on purpose: the type checker would refuse them)
#: The records that the public ones hold (a projection's, a match result's), called as ``c``'s.
r: Any = SimpleNamespace(Point=Point, Series=Series, Step=Step, Departure=Departure, PostResult=PostResult,
                         Proposal=Proposal, NearMiss=NearMiss, ShareSeries=ShareSeries)

#: Each record built with wrong values → where the problems are located, and (field, value shown) of each, in the
#: order of the fields (a value that is a record, a sequence or a mapping is not shown).
CASES: dict[str, tuple[Callable[[], object], str, list[tuple[str, str | None]]]] = {
    "Report": (lambda: c.Report("2024-12-31", [PackRef("p", "1", "a")], -1, "3", "ABC", [FINDING], [METRIC],
                                notes="a note", districts="all", backend="fast"),
               "<Report>", [("as_of", "2024-12-31"), ("officials", "-1"), ("units", "3"), ("input_sha256", "ABC"),
                            ("metrics", None), ("findings", None), ("notes", None), ("districts", "all"),
                            ("backend", "fast")]),
    "Report parts": (lambda: c.Report(AS_OF, (), 0, 0, DIGEST, (), (), suppressed=[FINDING], unit_districts=[],
                                      coverage=(None,), data_as_of=date(2024, 1, 1), notices={}, undecided=[1],
                                      names={}, params=None, baseline="b", scope="U1", unit_shares=[METRIC],
                                      quota_counts=("quota.young",)),
                     "<Report>", [("suppressed", None), ("unit_districts", None), ("coverage", None),
                                  ("data_as_of", None), ("notices", None), ("undecided", None), ("names", None),
                                  ("params", None), ("baseline", None), ("scope", None), ("unit_shares", None),
                                  ("quota_counts", None)]),
    "Finding": (lambda: c.Finding("p", 2, "qualification", "fatal", "person", "A1", None, "m", "c", [("x", 1)]),
                "<Finding>", [("rule", "2"), ("severity", "fatal"), ("subject_kind", "person"),
                              ("scope_id", "None"), ("facts", None)]),
    "Finding facts": (lambda: c.Finding("p", "r", "f", "info", "official", "A1", "U1", "m", "c",
                                        {"age": 40, "since": date(2020, 1, 1), "posts": {"x"}}),
                      "<Finding rule='r'>", [("facts['since']", None), ("facts['posts']", None)]),
    "Finding explanation": (lambda: c.Finding("p", "r", "f", "info", "unit", "U1", "U1", "m", "c", {}, "why"),
                            "<Finding rule='r'>", [("explanation", None)]),
    "Metric": (lambda: c.Metric("p", "quota.young", "town", "X", -1, 2.0, 0.1, "=", "no", 5, "post"),
               "<Metric id='quota.young'>", [("scope", "town"), ("numerator", "-1"), ("denominator", "2.0"),
                                             ("target", "0.1"), ("op", "="), ("met", "no"), ("key_positions", "5"),
                                             ("per", "post")]),
    "Share": (lambda: c.Share("p", "quota.young", None, 1.0, -1, 0.1, "=", [("ward", "X")], 3, "post"),
              "<Share id='quota.young'>", [("unit", "None"), ("numerator", "1.0"), ("denominator", "-1"),
                                           ("target", "0.1"), ("op", "="), ("binds", "[('ward', 'X')]"),
                                           ("key_positions", "3"), ("per", "post")]),
    "QuotaCounts": (lambda: QuotaCounts("p", "quota.young", 0.1, ">", ["ward"], [], {},  # type: ignore[arg-type]
                                        {"U1"}),
                    "<QuotaCounts id='quota.young'>", [("target", "0.1"), ("op", ">"), ("binds", "['ward']"),
                                                       ("numerators", None), ("units", None)]),
    "Suppressed": (lambda: c.Suppressed({"rule": "r"}, "waiver:x", None),
                   "<Suppressed by='waiver:x'>", [("finding", None), ("reason", "None")]),
    "PackRef": (lambda: c.PackRef("p", 1, None), "<PackRef id='p'>", [("version", "1"), ("sha256", "None")]),
    "Kept": (lambda: c.Kept("p@1", 3, "why"), "<Kept>", [("pack", None), ("replaced_by", "3"), ("withdrawn", None)]),
    "Text": (lambda: Text(None, 2), "<Text>", [("vi", "None"), ("en", "2")]),  # (what a Kept's withdrawn is)
    "Coverage": (lambda: c.Coverage("quota", "done", "p@1", 3), "<Coverage family='quota'>",
                 [("status", "done"), ("packs", None), ("reason", "3")]),
    "DataAsOf": (lambda: c.DataAsOf("2024-01-01", "guessed", "no", -1), "<DataAsOf>",
                 [("date", "2024-01-01"), ("source", "guessed"), ("stale", "no"), ("stale_after_months", "-1")]),
    "Notice": (lambda: c.Notice("other", "fatal", None), "<Notice kind='other'>",
               [("kind", "other"), ("severity", "fatal"), ("message", "None")]),
    "Undecided": (lambda: c.Undecided("p", "r", "f", "in_planning", -2, "scope"), "<Undecided rule='r'>",
                  [("count", "-2"), ("subject", "scope")]),
    "BaselineDiff": (lambda: BaselineDiff(None, 1.5, 0, "x"), "<BaselineDiff>",  # type: ignore[arg-type]
                     [("file", "None"), ("new", "1.5"), ("resolved", None)]),
    "ReportScope": (lambda: ReportScope("ward", "U1", 5), "<ReportScope>",  # type: ignore[arg-type]
                    [("kind", "ward"), ("name", "5")]),
    "Names": (lambda: c.Names([("A1", "An")], None, "en"), "<Names>", [("officials", None), ("units", None)]),
    "Names values": (lambda: c.Names({"A1": ("Nguyễn Thị An", "committee_chair", "U1"), "A2": "Trần Văn Bình"},
                                     {"U1": ("Xã Một",)}), "<Names>", [("officials", None), ("units", None)]),
    "PostToFill": (lambda: c.PostToFill("U1", "chief", "empty", 7, "2025-01-01"), "<PostToFill unit='U1'>",
                   [("position", "chief"), ("reason", "empty"), ("holder", "7"), ("due", "2025-01-01")]),
    "PlanEvent": (lambda: c.PlanEvent(datetime(2025, 1, 1), "hire", "A2", how="promotion", gender="nữ",
                                      birth_date="1990", position="chief", education="phd", political_theory=1,
                                      standing_committee="yes", in_planning=0, term_ends="2030", texts=[]),
                  "<PlanEvent official='A2'>",
                  [("date", "datetime.datetime(2025, 1, 1, 0, 0)"), ("event", "hire"), ("how", "promotion"),
                   ("gender", "nữ"), ("birth_date", "1990"), ("position", "chief"), ("education", "phd"),
                   ("political_theory", "1"), ("standing_committee", "yes"), ("in_planning", "0"),
                   ("term_ends", "2030"), ("texts", None)]),
    "TrainingNeed": (lambda: c.TrainingNeed(None, "U1", "A1", "degree.university", "education", 3, "university",
                                            "p", "r", "fatal", "c"), "<TrainingNeed official='A1'>",
                     [("current", "3"), ("severity", "fatal")]),
    "MatchResult": (lambda: c.MatchResult("2024-12-31", "p@1", "durable", [None], ("a note",), assignment=[]),
                    "<MatchResult>", [("as_of", "2024-12-31"), ("packs", None), ("posts", None),
                                      ("assignment", None)]),
    "Projection": (lambda: c.Projection(AS_OF, "2030", "week", (), (), (), -1, 0, 0, "Hà Nội", notes=[3]),
                   "<Projection>", [("to", "2030"), ("step", "week"), ("events", "-1"), ("notes", None)]),
    "Projection parts": (lambda: c.Projection(AS_OF, AS_OF, "year", [POINT], [{"id": "x"}], [None], 0, 0, 0, "Hà Nội"),
                         "<Projection>", [("steps", None), ("series", None), ("succession", None)]),
    # what a projection holds: its steps, series and their points, and the succession
    "Point": (lambda: r.Point("2025-12-31", -1, 2.0, "no"), "<Point>",
              [("date", "2025-12-31"), ("numerator", "-1"), ("denominator", "2.0"), ("met", "no")]),
    "Series": (lambda: r.Series("p", "quota.young", "target", "quota", "town", "X", None, 0.3, "=", "people", [], -1),
               "<Series id='quota.young'>", [("kind", "target"), ("scope", "town"), ("scope_name", "None"),
                                             ("target", "0.3"), ("op", "="), ("per", "people"), ("points", None),
                                             ("leavers", "-1")]),
    "Series points": (lambda: r.Series("p", "r", "rule", "f", "unit", "U1", "Xã Một", None, None, None,
                                       (POINT, (AS_OF, 1, 1, True))),
                      "<Series id='r'>", [("points", None)]),
    "ShareSeries": (lambda: r.ShareSeries("p", "quota.young", None, 0.1, "=", "post", (("town", "X"),), []),
                    "<ShareSeries id='quota.young'>", [("unit", "None"), ("target", "0.1"), ("op", "="), ("per", "post"),
                                                      ("binds", "(('town', 'X'),)"), ("points", None)]),
    "Step": (lambda: r.Step(date(2025, 1, 1), ("p@1",), -1), "<Step>", [("packs", None), ("serving", "-1")]),
    "Departure": (lambda: r.Departure({"id": "A1"}, None, "2030-01-01", [OFFICIAL, "A2"], "death", 2030),
                  "<Departure>", [("official", None), ("unit_name", "None"), ("retirement_date", "2030-01-01"),
                                  ("in_planning", None), ("reason", "death"), ("last_day", "2030")]),
    # what a match result holds: each post's result, its candidates and near misses
    "PostResult": (lambda: r.PostResult({"unit": "U1"}, "Xã Một", 5, -1, [PROPOSAL, None], ()), "<PostResult>",
                   [("post", None), ("district", "5"), ("eligible", "-1"), ("candidates", None)]),
    "Proposal": (lambda: r.Proposal("A1", None, "U1", "committee_chair", -1, 1.5, "a reason", ("woman", 1), 3),
                 "<Proposal id='A1'>", [("full_name", "None"), ("targets", "-1"), ("fit", "1.5"), ("reasons", None),
                                        ("meets", None), ("unit_name", "3")]),
    "NearMiss": (lambda: r.NearMiss("A1", "An", "U1", "committee_chair", "p", None, b"lack", "c", 0, -2),
                 "<NearMiss id='A1'>", [("rule", "None"), ("lack", "b'lack'"), ("fit", "-2")]),
    "MatchResult metrics": (lambda: c.MatchResult(AS_OF, ("p@1",), "durable", (), (), {}, {
        "posts_filled": {"before": 1, "after": float("nan")}, "young_key_share": {"after": "12%"},
        "units_without_woman": [0, 1], 3: {"after": 1}}), "<MatchResult>",
        [("metrics['posts_filled']['after']", "nan"), ("metrics[3]", None), ("metrics['young_key_share']['after']", None),
         ("metrics['units_without_woman']", None)]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_record_built_with_wrong_values_is_refused_all_at_once(case: str) -> None:
    build, place, expected = CASES[case]
    with pytest.raises(InputError) as error:
        build()
    problems = error.value.problems
    assert [(p.column, p.value) for p in problems] == expected
    assert {p.file for p in problems} == {place}
    english = str(error.value)
    assert f"{place}, " in english
    assert "expected" in english
    vi = error.value.text(translation("vi").gettext)
    assert "expected" not in vi
    assert "cần " in vi


def test_the_table_covers_every_record_class_of_the_api() -> None:
    """A record class added to ``cadre_rules.__all__`` must check its values (or be said here why not)."""
    records = {name for name in cadre_rules.__all__
               if isinstance(getattr(cadre_rules, name), type) and attrs.has(getattr(cadre_rules, name))}
    # Official and Unit parse their values as the readers do (tests/test_api_records.py); a Pack is made by
    # load_pack from its file (tests/test_packs.py); a Problem is an error's record.
    parsed = {"Official", "Unit", "Pack", "Problem"}
    assert records - parsed <= {case.split()[0] for case in CASES}
    assert all(hasattr(getattr(cadre_rules, name), "__attrs_post_init__") for name in records - parsed)


def _records_in(hint: object) -> Iterator[type]:
    """The attrs record classes a field's type names (``tuple[Series, ...]``: Series)."""
    if isinstance(hint, type) and attrs.has(hint):
        yield hint
    for arg in typing.get_args(hint):
        yield from _records_in(arg)


def test_the_records_the_public_records_hold_check_their_values_too() -> None:
    """What a Report, a Projection, a MatchResult… holds (their series and points, posts and candidates, steps and
    departures, at any depth) checks its values as they do, and has its case in the table."""
    parsed = {"Official", "Unit", "Pack", "Problem"}  # (as above: what they hold is theirs)
    public = [getattr(cadre_rules, name) for name in cadre_rules.__all__
              if isinstance(getattr(cadre_rules, name), type) and attrs.has(getattr(cadre_rules, name))]
    held: set[type] = set()
    waiting = [record for record in public if record.__name__ not in parsed]
    while waiting:
        hints = typing.get_type_hints(waiting.pop())
        for record in {r for hint in hints.values() for r in _records_in(hint)} - held:
            held.add(record)
            if record.__name__ not in parsed:
                waiting.append(record)
    assert {Point, Series, Step, Departure, PostResult, Proposal, NearMiss, Suppressed, PostToFill} <= held
    assert [r.__name__ for r in held if r.__name__ not in parsed and not hasattr(r, "__attrs_post_init__")] == []
    assert {r.__name__ for r in held} - parsed <= {case.split()[0] for case in CASES}


def test_an_item_of_a_sequence_is_located_by_its_place() -> None:
    with pytest.raises(InputError) as error:
        Report(AS_OF, (), 0, 0, DIGEST, (METRIC, {"id": "x"}), [FINDING, FINDING, "A1"])  # type: ignore[arg-type]
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "metrics"), (3, "findings")]
    assert str(error.value).splitlines()[1:] == [
        "  <Report>, row 2, metrics: expected a Metric, not a value of type dict",
        "  <Report>, row 3, findings: expected a Finding, not a value of type str"]
    assert error.value.text(translation("vi").gettext).splitlines()[2] == \
        "  <Report>, dòng 3, findings: cần một Finding, không phải một giá trị kiểu str"


def test_a_fact_that_json_cannot_hold_is_named_by_its_key() -> None:
    """(A set or a date among a finding's facts was orjson's TypeError in report_to_json and render_csv.)"""
    with pytest.raises(InputError) as error:
        Finding("p", "r", "f", "info", "official", "A1", "U1", "m", "c", {"age": 40, "posts": {"x"}})
    assert str(error.value).splitlines()[1] == (
        "  <Finding rule='r'>, facts['posts']: expected a JSON value (text, a number, True, False, None, a list or a "
        "mapping), not a value of type set")
    facts = {"age": 40, "share": 0.5, "ok": True, "none": None, "posts": ["x"], "by": {"a": 1}, "name": "x"}
    assert Finding("p", "r", "f", "info", "official", "A1", "U1", "m", "c", facts).facts == facts


def test_the_messages_in_both_languages() -> None:
    with pytest.raises(InputError) as error:
        Metric("p", "m", "city", "Hà Nội", 1, 2, 0.5, ">=", 1)  # type: ignore[arg-type]
    assert str(error.value).splitlines() == [
        "2 input problems:",
        "  <Metric id='m'>, target: expected an exact number (fractions.Fraction or a whole number), not a value of "
        "type float (got '0.5')",
        "  <Metric id='m'>, met: expected True, False or None, not a value of type int (got '1')"]
    assert error.value.text(translation("vi").gettext).splitlines()[1:] == [
        "  <Metric id='m'>, target: cần một số chính xác (fractions.Fraction hoặc một số nguyên), không phải một giá "
        "trị kiểu số thực (giá trị đọc được: '0.5')",
        "  <Metric id='m'>, met: cần True, False hoặc None, không phải một giá trị kiểu int (giá trị đọc được: '1')"]
    assert DataAsOf(None, "declared", False, 12).source == "declared"
    with pytest.raises(InputError) as error:
        DataAsOf(None, "said", False, 12)  # type: ignore[arg-type]
    assert error.value.text(translation("vi").gettext).splitlines()[1] == \
        "  <DataAsOf>, source: cần một trong các giá trị: declared, inferred, hoặc None (giá trị đọc được: 'said')"


def test_records_with_right_values_are_made_as_given_and_sequences_kept_as_tuples() -> None:
    report = Report(AS_OF, [PackRef("p", "1", "a" * 64)], 1, 1, DIGEST, [METRIC], [FINDING], notes=["n"],
                    coverage=[Coverage("quota", "checked", ["p@1"])], data_as_of=DataAsOf(AS_OF, "declared", False, 12),
                    notices=[Notice("coverage", "info", "m", "quota")], undecided=[Undecided("p", "r", "f", "c", 0)],
                    names=Names({}, {}), suppressed=[Suppressed(FINDING, "waiver:x", "why")],
                    baseline=BaselineDiff("b.json", 1, 0, [("p", "r", "official", "A2")]),
                    scope=ReportScope("unit", "U1", "Xã Một"), backend="durable", districts="kept")
    assert type(report.findings) is type(report.metrics) is type(report.packs) is type(report.notes) is tuple
    assert type(report.coverage[0].packs) is type(report.baseline.resolved) is tuple  # type: ignore[union-attr]
    assert report.findings == (FINDING,)
    hash(report)  # (the tuples make it hashable, as the engine's are)
    assert attrs.evolve(report, officials=2).officials == 2
    assert Metric("p", "m", "unit", "U1", 0, 0, 1, "<=", None, per="unit").target == 1  # a whole number is exact
    assert PostToFill("U1", "committee_chair", "listed").key == "U1/committee_chair"
    assert PlanEvent(AS_OF, "departure", "A1", how="retirement").how == "retirement"
    with pytest.raises(InputError, match=r"<Report>, findings: expected a sequence of Finding, not a value of "
                                         r"type Finding"):
        attrs.evolve(report, findings=FINDING)


def test_a_report_the_engine_makes_passes_its_own_checks() -> None:
    """The engine's records take the quick test (no problem to find); the readers' are made without ``__init__``."""
    report = Engine(["vn-commune-2tier"], backend="reference").evaluate([OFFICIAL], [UNIT], AS_OF)
    assert attrs.evolve(report) == report
    for record in (*report.findings, *report.metrics, *report.coverage, *report.notices, *report.packs):
        assert attrs.evolve(record) == record


# --------------------------------------------------------------------- what needs the data: the public functions


def test_match_refuses_a_post_of_a_unit_not_in_the_data() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference")
    posts = [PostToFill("U1", "committee_chair", "listed"), PostToFill("U9", "council_chair", "listed")]
    with pytest.raises(InputError) as error:
        cadre_rules.match_posts(engine, [OFFICIAL], [UNIT], AS_OF, posts=posts)
    assert str(error.value).splitlines()[1:] == ["  <posts>, row 2, unit: unknown unit code (got 'U9')"]
    assert error.value.text(translation("vi").gettext).splitlines()[1].startswith("  <posts>, dòng 2, ")
    assert cadre_rules.match_posts(engine, [OFFICIAL], [UNIT], AS_OF, posts=posts[:1]).posts


def test_project_locates_what_a_plan_built_directly_lacks() -> None:
    engine = Engine(["vn-commune-2tier"], backend="reference")
    plan = [PlanEvent(date(2025, 1, 1), "departure", "A1"), PlanEvent(date(2025, 2, 1), "appointment", "A2",
                                                                     full_name="Trần Văn Bình", gender="male")]
    with pytest.raises(InputError) as error:
        cadre_rules.project(engine, [OFFICIAL], [UNIT], date(2026, 1, 1), as_of=AS_OF, plan=plan)
    assert [(p.file, p.row, p.column) for p in error.value.problems] == [
        ("<plan>", 2, column) for column in ("birth_date", "unit", "position", "education", "political_theory")]
    assert "<plan>, row 2, birth_date: an appointment needs birth_date" in str(error.value)
    whole = attrs.evolve(plan[1], birth_date=date(1990, 5, 1), unit="U1", position="committee_chair",
                         education="university", political_theory="advanced")
    projection = cadre_rules.project(engine, [OFFICIAL], [UNIT], date(2026, 1, 1), as_of=AS_OF,
                                     plan=[plan[0], whole])
    assert projection.events == 2


# ------------------------------------------------------------------------- the quick tests agree with the checks

_NOT_TEXT: list[object] = [None, 1, b"x", ["x"]]

#: Each record with a quick test of the usual values: a right row, and the wrong values of each of its fields.
_QUICK: dict[type, tuple[tuple[object, ...], list[list[object]]]] = {
    Finding: (("p", "r", "f", "error", "official", "A1", "U1", "m", "c", {"a": 1}, ()),
              [_NOT_TEXT, _NOT_TEXT, _NOT_TEXT, ["fatal", None, ["error"], "Error"], ["person", {}, None],
               _NOT_TEXT, _NOT_TEXT, _NOT_TEXT, _NOT_TEXT,
               [[], None, "x", [("a", 1)], {"a": {1}}, {"a": 1, "b": date(2020, 1, 1)}, {"a": Fraction(1, 2)}],
               ["x", None, 1, {"a": 1}]]),
    Metric: (("p", "quota.young", "city", "Hà Nội", 1, 3, Fraction(1, 3), ">=", None, None, "official"),
             [_NOT_TEXT, _NOT_TEXT, ["town", None, 1, ["city"]], _NOT_TEXT, [-1, True, 1.0, "1", None],
              [-1, False, 3.0, "3"], [0.5, "1/3", None, True], ["==", None, ">", [">="]], [0, 1, "yes"], [1, b"set"],
              ["post", None, ["unit"]]]),
    TrainingNeed: ((None, "U1", "A1", "degree.university", "education", "college", "university", "p", "r", "error",
                    "c"),
                   [[1, b"d"], _NOT_TEXT, _NOT_TEXT, _NOT_TEXT, [1, b"f"], [2, ["x"]], [3, b"t"], _NOT_TEXT,
                    _NOT_TEXT, ["fatal", None, ["error"]], _NOT_TEXT]),
    Series: (("p", "quota.young", "metric", "quota", "city", "Hà Nội", "Hà Nội", Fraction(1, 10), ">=", "official",
              (POINT,), 0),
             [_NOT_TEXT, _NOT_TEXT, ["target", None, ["metric"]], _NOT_TEXT, ["town", None, ["city"]], _NOT_TEXT,
              _NOT_TEXT, [0.1, "1/10", True], ["=", [">="], 1], ["people", ["unit"], 1], [(), (None,), "x", None, POINT],
              [-1, True, 1.0, None]]),
    Proposal: (("A1", "An", "U1", "committee_chair", 1, 0, ("woman",), ("woman",), "Xã Một", False),
               [_NOT_TEXT, _NOT_TEXT, _NOT_TEXT, _NOT_TEXT, [-1, True, 1.0, None], [-1, False, "0"],
                ["x", (1,), None], ["woman", (None,), None], _NOT_TEXT, [None, 1, "yes"]]),
    Departure: ((OFFICIAL, "Xã Một", date(2030, 1, 2), (OFFICIAL,), "retirement", date(2030, 1, 2)),
                [[None, {"id": "A1"}, UNIT], _NOT_TEXT, [None, "2030-01-02", datetime(2030, 1, 2)],
                 [None, (UNIT,), "A1", OFFICIAL], ["death", None, ["retirement"]], [None, "2030-01-02", 2030]]),
    NearMiss: (("A1", "An", "U1", "committee_chair", "p", "r", "lack", "c", 0, 0, "Xã Một", True),
               [*[_NOT_TEXT] * 8, [-1, True, 1.0, None], [-1, False, "0"], _NOT_TEXT, [None, 0, "no"]]),
}
_ONE_WRONG = [(kind, i, value) for kind, (_, wrong) in _QUICK.items() for i, values in enumerate(wrong)
              for value in values]


@pytest.mark.parametrize("kind", list(_QUICK), ids=lambda kind: kind.__name__)
def test_the_quick_test_takes_the_usual_values(kind: type) -> None:
    row = _QUICK[kind][0]
    made = kind(*row)
    assert [getattr(made, f.name) for f in attrs.fields(kind)] == list(row)


@pytest.mark.parametrize(("kind", "field", "value"), _ONE_WRONG,
                         ids=[f"{k.__name__}-{i}-{v!r}" for k, i, v in _ONE_WRONG])
def test_the_quick_test_lets_no_wrong_value_through(kind: type, field: int, value: object) -> None:
    """``__attrs_post_init__``'s quick test of Finding, Metric, TrainingNeed (made often by the engine), Series,
    Departure, Proposal and NearMiss (by project and match) passes no wrong value to the record: each field's wrong values are
    refused, located at the field."""
    row = list(_QUICK[kind][0])
    row[field] = value
    with pytest.raises(InputError) as error:
        kind(*row)
    # (a value inside a field's JSON is located inside it: ``facts['a']``)
    assert [p.column.partition("[")[0] for p in error.value.problems] == [attrs.fields(kind)[field].alias]
