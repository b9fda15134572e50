"""Issue #16 §5: what the officer acts on — how many more a quota needs (both ways), vacant posts by post,
city and district findings before the per-official list."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cadre_rules._model import Finding
from cadre_rules._model import Metric
from cadre_rules._model import Names
from cadre_rules._model import PackRef
from cadre_rules._model import Report
from cadre_rules._needed import Needed
from cadre_rules._needed import finding_needed
from cadre_rules._needed import metric_needed
from cadre_rules._needed import needed
from cadre_rules._vacancies import vacancies
from cadre_rules.render._text import render_text


def test_needed_both_ways_on_the_2025_sample_figures() -> None:
    # 37 of 961 key officials under 35, target 10 %: 60 if they replace others, 66 if they are added
    assert needed(37, 961, Fraction(1, 10)) == Needed(60, 66)
    assert needed(96, 961, Fraction(1, 10)) == Needed(1, 1)
    assert needed(97, 961, Fraction(1, 10)) == Needed(0, 0)  # met
    assert needed(3, 4, Fraction(1)) == Needed(1, None)  # 100 %: only replacing reaches it


@given(st.integers(0, 300), st.integers(1, 300), st.integers(1, 99))
def test_needed_is_the_smallest_number_that_reaches_the_target(n: int, extra: int, percent: int) -> None:
    d = max(n, extra)
    t = Fraction(percent, 100)
    more = needed(n, d, t)
    # replacing: d unchanged; the smallest r with (n + r) / d >= t
    assert Fraction(n + more.replacing, d) >= t
    assert more.replacing == 0 or Fraction(n + more.replacing - 1, d) < t
    # adding: the smallest k with (n + k) / (d + k) >= t
    assert more.adding is not None
    assert Fraction(n + more.adding, d + more.adding) >= t
    assert more.adding == 0 or Fraction(n + more.adding - 1, d + more.adding - 1) < t
    assert more.adding >= more.replacing


def test_needed_applies_to_share_quotas_only() -> None:
    young = Metric("p", "quota.young", "city", "Hà Nội", 37, 961, Fraction(1, 10), ">=", False)
    assert metric_needed(young) == Needed(60, 66)
    assert metric_needed(Metric("p", "quota.cap", "city", "Hà Nội", 5, 10, Fraction(1, 10), "<=", False)) is None
    assert metric_needed(Metric("p", "staffing.fill_rate", "unit", "U1", 6, 7, Fraction(1), ">=", False)) is None
    assert metric_needed(Metric("p", "quota.young", "unit", "U1", 0, 0, Fraction(1, 10), ">=", None)) is None
    degree = Metric("p", "quota.university", "city", "Hà Nội", 3614, 3618, Fraction(1), ">=", False)
    assert metric_needed(degree) == Needed(4, None)  # 100 %: only by replacing
    assert metric_needed(Metric("p", "q.avg", "city", "Hà Nội", 1, 4, Fraction(1, 2), ">=", False, per="unit")) \
        is None
    finding = Finding("p", "quota.young", "quota", "warning", "scope", "Hà Nội", "Hà Nội", "m", "c",
                      {"numerator": 37, "denominator": 961, "value": 37 / 961, "target": 0.1, "needed": 60})
    assert finding_needed(finding) == Needed(60, 66)
    unit = Finding("p", "staffing.vacancy", "staffing", "error", "unit", "U1", "U1", "m", "c", {"vacant": ["x"]})
    assert finding_needed(unit) is None


def _vacancy(pack: str, rule: str, unit: str, *posts: str) -> Finding:
    return Finding(pack, rule, "staffing", "error", "unit", unit, unit, f"thiếu {posts}", "c", {"vacant": list(posts)})


FINDINGS = (
    _vacancy("a", "staffing.vacancy", "U1", "front_chair", "committee_vice_chair"),
    _vacancy("b", "staffing.posts", "U1", "committee_vice_chair"),  # the same post of the same unit: once
    _vacancy("a", "staffing.vacancy", "U2", "committee_vice_chair"),
    _vacancy("a", "staffing.vacancy", "U3", "deputy_party_secretary"),
    Finding("a", "quota.young", "quota", "warning", "scope", "Huyện Ba Vì", "Huyện Ba Vì", "Ba Vì: 3.3%", "c",
            {"numerator": 7, "denominator": 213, "value": 7 / 213, "target": 0.1, "needed": 15}),
    Finding("a", "qualification.degree", "qualification", "error", "official", "O1", "U1", "chưa đạt đại học", "c"),
)
REPORT = Report(date(2024, 6, 30), (PackRef("a", "1", "0" * 64),), 10, 3, "x", (), FINDINGS, (), "Hà Nội",
                unit_districts={"U1": "Huyện Ba Vì", "U2": "Huyện Ba Vì", "U3": "Quận Đống Đa"},
                names=Names({"O1": ("Đặng Văn Sơn", "committee_chair", "U1")},
                            {"U1": "Xã Cao Viên", "U2": "Xã Tản Lĩnh", "U3": "Phường Láng Hạ"}))


def test_vacancies_are_counted_by_post_per_unit_district_and_city() -> None:
    table = vacancies(REPORT)
    assert table.posts == ("deputy_party_secretary", "committee_vice_chair", "front_chair")  # NĐ 33 order
    assert table.by_unit == {"U1": ("committee_vice_chair", "front_chair"), "U2": ("committee_vice_chair",),
                             "U3": ("deputy_party_secretary",)}
    assert table.city == {"committee_vice_chair": 2, "front_chair": 1, "deputy_party_secretary": 1}
    assert table.by_district == {"Huyện Ba Vì": {"committee_vice_chair": 2, "front_chair": 1},
                                 "Quận Đống Đa": {"deputy_party_secretary": 1}}
    assert table.total == 4


def test_text_shows_scope_quotas_and_vacancies_before_the_per_official_list() -> None:
    text = render_text(REPORT, lang="vi")
    lines = text.splitlines()
    quotas = lines.index("Chỉ tiêu chưa đạt toàn thành phố và theo quận/huyện (1)")
    posts = lines.index("Chức danh còn trống, theo chức danh (4)")
    units = lines.index("Đơn vị có chức danh còn trống (3)")
    top = lines.index("Phát hiện chính (6; lỗi trước)")
    assert quotas < posts < units < top
    assert lines[quotas + 1].endswith("Ba Vì: 3.3% (cần thêm: 15 người nếu thay thế, 16 người nếu bổ sung)")
    assert lines[posts + 1].split() == ["Chức", "danh", "Hà", "Nội", "Nơi", "còn", "trống"]
    assert lines[posts + 2].split() == ["Phó", "Bí", "thư", "Đảng", "ủy", "1", "Quận", "Đống", "Đa", "1"]
    assert lines[posts + 3].split() == ["Phó", "Chủ", "tịch", "UBND", "2", "Huyện", "Ba", "Vì", "2"]
    assert lines[units + 1] == "  U1 Xã Cao Viên (Huyện Ba Vì): Phó Chủ tịch UBND, Chủ tịch UBMTTQ"
    english = render_text(REPORT, lang="en")
    assert "  U1 Xã Cao Viên (Huyện Ba Vì): Committee vice chair, Front chair" in english
    assert "(more needed: 15 if replacing, 16 if added)" in english


def test_a_report_without_vacancies_or_scope_findings_has_no_such_sections() -> None:
    only = Report(REPORT.as_of, REPORT.packs, 1, 1, "x", (), FINDINGS[-1:], ())
    text = render_text(only, lang="en")
    assert "Vacant posts" not in text and "Quotas not met" not in text
