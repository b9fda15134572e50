"""The units a projection's text leaves out of a target's table (docs/project.md): said met at every step only
when they are; a unit without a value on some step (nobody counted, a column not filled in) and the units not
met beyond the table's length are said as such (the city's organisation board read "8 units met at every step"
for a quota no commune could be counted for); and a maximum exceeded (Phó Chủ tịch UBND above 2.5 a commune)
says how many to reduce, not that no number of appointments meets it; its first line counts "cán bộ, công chức"."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from cadre_rules.jobs._project import Point
from cadre_rules.jobs._project import Projection
from cadre_rules.jobs._project import Series
from cadre_rules.jobs._project import Step
from cadre_rules.jobs._project_formats import render_text

DAYS = (date(2026, 12, 7), date(2027, 12, 7))


def _series(code: str, met: tuple[bool | None, ...]) -> Series:
    points = tuple(Point(d, 0 if m is None else int(m), 0 if m is None else 1, m)
                   for d, m in zip(DAYS, met, strict=True))
    return Series("t-pack", "quota.minority", "metric", "quota", "unit", code, f"Xã {code}", Fraction(1, 5), ">=",
                  "official", points)


def _projection(series: list[Series]) -> Projection:
    return Projection(DAYS[0], DAYS[-1], "year", tuple(Step(d, (), 10) for d in DAYS), tuple(series), (), 0, 10,
                      len(series), "Hà Nội")


def test_units_without_a_value_are_not_said_met() -> None:
    text = render_text(_projection([_series("X1", (True, True)), _series("X2", (None, None)),
                                    _series("X3", (True, None))]), "vi")
    assert "(và 1 đơn vị đạt ở mọi mốc)" in text
    assert ("(và 2 đơn vị không có giá trị ở ít nhất một mốc: không có ai để tính, hoặc cột chưa được "
            "điền)") in text
    assert "mọi chỉ tiêu đều đạt" not in text
    assert ("không có chỉ tiêu nào chưa đạt ở mốc nào; một số chỉ tiêu không có giá trị ở ít nhất một mốc (xem ở "
            "trên)") in text
    english = render_text(_projection([_series("X1", (None, None))]), "en")
    assert "met at every step" not in english  # (nor "every target is met at every step")
    assert "(and 1 unit without a value on some step: nobody counted, or a column not filled in)" in english


def test_units_not_met_beyond_the_table_are_not_said_met() -> None:
    unmet = [_series(f"X{n:02}", (False, False)) for n in range(52)]
    text = render_text(_projection([*unmet, _series("Y1", (True, True))]), "vi")
    assert "(và 2 đơn vị nữa chưa đạt: có đủ trong bản xlsx, csv, json)" in text
    assert "(và 1 đơn vị đạt ở mọi mốc)" in text
    table = text.split("\n\n")[1]  # (the target's table: "What it takes" lists every unit not met)
    assert "Xã X49  ✗✗" in table
    assert "Xã X50" not in table


def test_a_maximum_exceeded_says_how_many_to_reduce_not_that_no_appointment_meets_it() -> None:
    points = tuple(Point(d, 330, 126, False) for d in DAYS)
    average = Series("t-pack", "staffing.committee_vice_chair_average", "metric", "staffing", "city", "Hà Nội",
                     "Hà Nội", Fraction(5, 2), "<=", "unit", points)
    text = render_text(_projection([average]), "vi")
    # (330 for 126 units against 2.5 on average: 315 at most, as the evaluation's "dôi dư 15 người")
    assert ("Hà Nội: Số Phó Chủ tịch UBND bình quân mỗi đơn vị: vượt mức tối đa 15 người vào ngày 07/12/2027: "
            "cần giảm (bổ nhiệm thêm không làm đạt)") in text
    assert "bổ nhiệm bao nhiêu cũng không đạt" not in text


def test_the_projection_s_first_line_counts_cadres_and_civil_servants_and_its_steps() -> None:
    text = render_text(_projection([_series("X1", (True, True))]), "vi")
    assert text.startswith("Dự báo từ ngày 07/12/2026 đến ngày 07/12/2027, mỗi năm một mốc: 10 cán bộ, công chức; "
                           "1 đơn vị cấp xã; 0 sự kiện kế hoạch\n")
