"""Issue #22: records built in code go through the readers' parsing and get located InputErrors.

The integrator's cases of the issue, each with its located error (or its parsed value), and the property
that a record built in code reads as the same row of a file does.
"""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._i18n import translation
from cadre_rules.io._io import OFFICIAL_COLUMNS
from cadre_rules.io._io import official_to_row

BASE: dict[str, Any] = dict(id="A1", full_name="Nguyễn Thị An", gender="female", birth_date=date(1980, 1, 2),
                            unit="U1", position="committee_chair", education="university",
                            political_theory="advanced")
UNIT = Unit("U1", "Xã Một", "commune", 1)
AS_OF = date(2024, 12, 31)


def _problem(error: pytest.ExceptionInfo[InputError]) -> tuple[str, str | None, str | None]:
    (problem,) = error.value.problems
    return problem.file, problem.column, problem.value


# --------------------------------------------------------------------------- the integrator cases


def test_position_given_as_its_label_is_the_key_post() -> None:
    official = Official(**{**BASE, "position": "Chủ tịch UBND"})
    assert official.position == "committee_chair"
    assert official.category == "cadre"
    # a key official: counted in the fill rate, no spurious vacancy for the post
    report = Engine(["hanoi-de-an-34@2023.11.4"], backend="reference").evaluate([official], [UNIT], AS_OF)
    vacancy = [f for f in report.findings if f.rule == "staffing.vacancy"]
    assert vacancy and "committee_chair" not in str(vacancy[0].facts["vacant"])


def test_misspelled_position_is_an_error_not_a_non_key_official() -> None:
    with pytest.raises(InputError, match="unknown position") as error:
        Official(**{**BASE, "position": "Chu tich UBND xa"})
    assert _problem(error) == ("<Official id='A1'>", "position", "Chu tich UBND xa")


def test_unsorted_ratings_are_sorted_and_keep_the_replacement_finding() -> None:
    ratings = ((2024, "not_completed"), (2022, "good"), (2023, "not_completed"))
    official = Official(**{**BASE, "ratings": ratings})
    assert official.ratings == ((2022, "good"), (2023, "not_completed"), (2024, "not_completed"))
    report = Engine(["hanoi-de-an-34@2023.11.4"], backend="reference").evaluate([official], [UNIT], AS_OF)
    assert any(f.rule == "replacement.two_years_not_completed" and f.subject_id == "A1" for f in report.findings)


def test_ratings_rated_twice_are_refused() -> None:
    with pytest.raises(InputError, match="rated twice") as error:
        Official(**{**BASE, "ratings": ((2023, "good"), (2023, "not_completed"))})
    assert _problem(error)[:2] == ("<Official id='A1'>", "ratings")


@pytest.mark.parametrize(("field", "given", "parsed"), [
    ("gender", "nữ", "female"),
    ("gender", "Nam", "male"),
    ("education", "Đại học", "university"),
    ("political_theory", "Cao cấp", "advanced"),
    ("ratings", {2023: "HTTNV", 2022: "không hoàn thành nhiệm vụ"}, ((2022, "not_completed"), (2023, "good"))),
    ("ratings", ["2023:good", "2022:excellent"], ((2022, "excellent"), (2023, "good"))),
    ("birth_date", "02/01/1980", date(1980, 1, 2)),
    ("birth_date", "1980", date(1980, 1, 1)),
    ("low_confidence_share", 0.7, Fraction(7, 10)),
    ("low_confidence_share", "0.25", Fraction(1, 4)),
    ("in_planning", None, None),
    ("in_planning", "có", True),
    ("concurrent_positions", ["Bí thư Đảng ủy"], ("party_secretary",)),
    ("discipline", {date(2023, 5, 1): "khiển trách"}, ((date(2023, 5, 1), "reprimand"),)),
])
def test_values_spelled_as_offices_write_them_are_parsed(field: str, given: object, parsed: object) -> None:
    assert getattr(Official(**{**BASE, field: given}), field) == parsed


@pytest.mark.parametrize(("field", "given", "reason"), [
    ("gender", "nu x", "unknown gender"),
    ("gender", 3, "unknown gender"),
    ("education", "Đại hoc xx", "unknown education"),
    ("ratings", {2023: "great"}, "unknown rating"),
    ("ratings", {"x": 1}, "the year must be"),
    ("birth_date", "1980-13-45", "month"),
    ("birth_date", ["1980"], "expected text, a number, a boolean or a date"),
    ("low_confidence_share", 1.5, "between 0 and 1"),
    ("low_confidence_share", 1 / 3, "decimal places"),
    ("standing_committee", "maybe", "not a boolean"),
    ("id", None, "required value is missing"),
    ("extra", {"x": 1}, "a mapping from text to text"),
])
def test_wrong_values_raise_an_input_error_naming_the_field(field: str, given: object, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as error:
        Official(**{**BASE, field: given})
    assert _problem(error)[:2] == ("<Official>" if field == "id" else "<Official id='A1'>", field)


def test_units_validate_too() -> None:
    assert Unit("U1", "Phường Một", "phường", "II").unit_class == 2
    assert Unit("U1", "Phường Một", "ward", 2, has_council="không").has_council is False
    with pytest.raises(InputError, match="unknown unit kind") as error:
        Unit("U1", "X", "village", 1)
    assert _problem(error)[:2] == ("<Unit code='U1'>", "kind")
    with pytest.raises(InputError, match="not a unit class") as error:
        Unit("U1", "X", "commune", 4)
    assert _problem(error)[:2] == ("<Unit code='U1'>", "unit_class")


def test_every_wrong_value_is_reported_at_once_in_the_order_of_the_fields() -> None:
    with pytest.raises(InputError) as error:
        Official(**{**BASE, "political_theory": "x", "gender": "nu x", "birth_date": "31/02/1980",
                    "low_confidence_share": 2, "ratings": {2023: "great"}})
    located = [(p.file, p.column, p.value) for p in error.value.problems]
    assert located == [("<Official id='A1'>", "gender", "nu x"), ("<Official id='A1'>", "birth_date", "31/02/1980"),
                       ("<Official id='A1'>", "political_theory", "x"), ("<Official id='A1'>", "ratings", "2023:great"),
                       ("<Official id='A1'>", "low_confidence_share", "2")]
    assert str(error.value).startswith("5 input problems:\n  <Official id='A1'>, gender: unknown gender")


def test_every_wrong_value_of_positional_arguments_and_of_a_unit() -> None:
    with pytest.raises(InputError) as error:
        Official(None, "Nguyễn Thị An", "xx", date(1980, 1, 2), "U1", "Chu tich", "university", "advanced")
    assert [(p.file, p.column) for p in error.value.problems] == [
        ("<Official>", "id"), ("<Official>", "gender"), ("<Official>", "position")]  # no id: not named by it
    with pytest.raises(InputError) as error:
        Unit("P7", "Phường Bảy", "village", 4, has_council="maybe")
    assert [(p.file, p.column) for p in error.value.problems] == [
        ("<Unit code='P7'>", "kind"), ("<Unit code='P7'>", "unit_class"), ("<Unit code='P7'>", "has_council")]


def test_every_wrong_value_in_vietnamese() -> None:
    with pytest.raises(InputError) as error:
        Official(**{**BASE, "gender": "nu x", "education": "Đại hoc xx"})
    lines = error.value.text(translation("vi").gettext).splitlines()
    assert lines == [
        "2 vấn đề trong dữ liệu đầu vào:",
        "  <Official id='A1'>, Giới tính: Giới tính không hợp lệ (cần một trong: nam, nữ) (giá trị đọc được: 'nu x')",
        "  <Official id='A1'>, Trình độ chuyên môn: Trình độ chuyên môn không hợp lệ (cần một trong: không, trung cấp, "
        "cao đẳng, đại học, thạc sĩ, tiến sĩ) (giá trị đọc được: 'Đại hoc xx')"]


def test_a_record_changed_by_evolve_reports_every_wrong_value_too() -> None:
    official = Official(**BASE)
    with pytest.raises(InputError) as error:
        attrs.evolve(official, gender="x", in_planning="maybe")
    assert [p.column for p in error.value.problems] == ["gender", "in_planning"]


_ANY = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True), st.text(max_size=6),
                 st.dates(), st.lists(st.integers(), max_size=2), st.dictionaries(st.integers(), st.text(), max_size=2),
                 st.tuples(st.integers(), st.text()), st.just(object()))


@settings(max_examples=60)
@given(st.sampled_from(sorted(set(OFFICIAL_COLUMNS) - {"category"})), _ANY)
def test_a_value_of_any_type_is_parsed_or_an_input_error(field: str, value: object) -> None:
    try:
        Official(**{**BASE, field: value})
    except InputError as exc:  # (anything else fails the test)
        located = [problem.column for problem in exc.problems]
    else:
        located = [field]
    assert located == [field]


# --------------------------------------------------------------------------- records in memory


def test_load_officials_of_records_locates_each_problem_by_index() -> None:
    records = [BASE, {**BASE, "id": "A2", "gender": "xx"}, 5, {**BASE, "id": "A3", "ngày sinh": "31/02/1980",
                                                                "birth_date": None}]
    with pytest.raises(InputError) as error:
        load_officials(records)
    located = [(p.file, p.column) for p in error.value.problems]
    assert located == [("<records>", "/1/gender"), ("<records>", "/2"), ("<records>", "/3/ngày sinh")] \
        or ("<records>", "/3/birth_date") in located
    assert ("<records>", "/1/gender") in located and ("<records>", "/2") in located


def test_records_with_vietnamese_headers_and_the_units_they_name() -> None:
    units = load_units([{"mã": "U1", "tên": "Xã Một", "loại": "xã", "phân loại": "I"}])
    assert units == (UNIT,)
    official = {"id": "B1", "Họ và tên": "Trần Văn Bình", "Giới tính": "nam", "Ngày sinh": "1975",
                "Đơn vị": "U1", "Chức vụ": "Bí thư Đảng ủy", "trình độ chuyên môn": "thạc sĩ",
                "lý luận chính trị": "cao cấp", "hobby": "cờ tướng"}
    (read,) = load_officials([official], units={u.code: u for u in units})
    assert (read.position, read.education, read.extra) == ("party_secretary", "master", {"hobby": "cờ tướng"})
    with pytest.raises(InputError, match="unknown unit code") as error:
        load_officials([{**official, "Đơn vị": "U9"}], units={u.code: u for u in units})
    assert error.value.problems[0].column == "/0/Đơn vị"


def test_text_is_kept_as_given_in_code_and_normalised_from_records() -> None:
    decomposed = "Nguye\u0302\u0303n"
    assert Official(**{**BASE, "full_name": decomposed}).full_name == decomposed
    assert Official.from_record({**BASE, "full_name": f" {decomposed} "}).full_name == "Nguyễn"
    with pytest.raises(InputError, match="invisible character") as error:
        Official.from_record({**BASE, "id": "A\u200b1"})
    assert _problem(error)[:2] == ("<record>", "/id")


def test_from_record_locates_its_problems_at_the_key() -> None:
    with pytest.raises(InputError) as error:
        Official.from_record({"id": "C1", "gender": "nam"})
    assert {(p.file, p.column) for p in error.value.problems} >= {("<record>", "/full_name"),
                                                                  ("<record>", "/birth_date")}
    with pytest.raises(InputError, match="expected a record"):
        Official.from_record([BASE])  # type: ignore[arg-type]
    assert Unit.from_record({"code": "U1", "name": "Xã Một", "kind": "xã", "class": 1}) == UNIT


def test_load_officials_refuses_what_is_not_records() -> None:
    with pytest.raises(InputError, match="expected an iterable of records"):
        load_officials(BASE)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="expected an iterable of records"):
        load_officials(42)  # type: ignore[arg-type]


_official = st.builds(
    dict, id=st.from_regex(r"[A-Z][0-9]{1,4}", fullmatch=True), full_name=st.text("aăbcdđ", min_size=1, max_size=8),
    gender=st.sampled_from(["male", "nữ", "Nam"]), birth_date=st.dates(date(1960, 1, 1), date(2000, 1, 1)),
    unit=st.just("U1"), position=st.sampled_from(["committee_chair", "Chủ tịch HĐND", "office_statistics"]),
    education=st.sampled_from(["Đại học", "master", "college"]), political_theory=st.sampled_from(["cao cấp", "none"]),
    ratings=st.dictionaries(st.integers(2015, 2024), st.sampled_from(["good", "HTNV", "not_completed"]), max_size=3),
    low_confidence_share=st.sampled_from([None, 0.5, "0.125"]), in_planning=st.sampled_from([True, "no", "có"]),
)


@settings(max_examples=25)
@given(_official)
def test_a_record_reads_as_the_same_row_of_a_file(tmp_path_factory: pytest.TempPathFactory,
                                                  record: dict[str, Any]) -> None:
    (from_memory,) = load_officials([record])
    assert Official.from_record(record) == from_memory
    assert Official(**record) == from_memory
    path = Path(tmp_path_factory.mktemp("row")) / "officials.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, OFFICIAL_COLUMNS)
        writer.writeheader()
        writer.writerow(official_to_row(from_memory))
    assert load_officials(str(path)) == (from_memory,)


def test_engine_read_takes_paths_as_text(tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "examples" / "hanoi-2025"
    engine = Engine(backend="reference")
    officials, units = engine.read(str(example / "officials.csv"), str(example / "units.csv"))
    assert (officials, units) == engine.read(example / "officials.csv", example / "units.csv")
    assert len(officials) > 0 and len(units) > 0


@pytest.mark.parametrize("backend", ["durable", "reference"])
def test_in_planning_unknown_is_not_in_planning_for_the_rules(backend: str) -> None:
    official = {**BASE, "appointed_on": date(2015, 1, 1)}
    found = []
    for in_planning in (None, True, False):
        report = Engine(["vn-commune-2tier"], backend=backend).evaluate(
            [Official(**official, in_planning=in_planning)], [UNIT], date(2026, 3, 1))
        found.append(any(f.rule == "rotation.eligible" for f in report.findings))
    assert found == [False, True, False]


def test_a_position_naming_several_posts_is_refused_when_built_in_code() -> None:
    with pytest.raises(InputError) as caught:
        Official(**{**BASE, "position": "Bí thư Đảng ủy, Chủ tịch HĐND"})
    assert "concurrent_positions" in str(caught.value)


def test_engine_evaluate_refuses_what_is_not_a_record_with_located_problems() -> None:
    """Records as mappings, ``None``, a date as text: every problem at once, located by place, never an
    ``AttributeError``; the mapping's values (a person's name) are not shown."""
    official = Official(**BASE)
    with pytest.raises(InputError) as error:
        Engine(backend="reference").evaluate([official, dict(BASE), None], [UNIT, {"code": "U2"}], "31/12/2024")
    assert [(p.file, p.row, p.value) for p in error.value.problems] == [
        ("<officials>", 2, None), ("<officials>", 3, None), ("<units>", 2, None), ("as_of", None, "31/12/2024")]
    english = str(error.value)
    assert ("<officials>, row 2: expected an Official (made by Official(...), Official.from_record or "
            "load_officials), not a value of type dict") in english.splitlines()[1]
    assert "Nguyễn" not in english
    vi = error.value.text(translation("vi").gettext).splitlines()
    assert vi[0] == "4 vấn đề trong dữ liệu đầu vào:"
    assert vi[3] == ("  <units>, dòng 2: cần một Unit (tạo bằng Unit(...), Unit.from_record hoặc load_units), "
                     "không phải một giá trị kiểu dict")
    assert vi[4] == "  as_of: cần một ngày (datetime.date), không phải một giá trị kiểu str (giá trị đọc được: " \
                    "'31/12/2024')"
