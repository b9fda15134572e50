"""Issue #16 §5: what the officer acts on — how many more a quota needs (both ways), vacant posts by post,
city and district findings before the per-official list."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cadre_rules
from cadre_rules import redact
from cadre_rules import report_to_json
from cadre_rules._exits import option_of
from cadre_rules.errors import InputError
from cadre_rules.errors import named_by
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Metric
from cadre_rules.model._report_records import Names
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import ReportScope
from cadre_rules.render import render_csv
from cadre_rules.render import render_html
from cadre_rules.render import render_jsonl
from cadre_rules.render import render_xlsx
from cadre_rules.render._html import _Bar
from cadre_rules.render._html import axis_start
from cadre_rules.render._pdf import print_html
from cadre_rules.render._text import render_text
from cadre_rules.report._needed import Needed
from cadre_rules.report._needed import finding_needed
from cadre_rules.report._needed import metric_needed
from cadre_rules.report._needed import needed
from cadre_rules.report._needed import said_once
from cadre_rules.report._scope import parse_scope
from cadre_rules.report._scope import scope_report
from cadre_rules.report._scope import scope_title
from cadre_rules.report._vacancies import vacancies


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
REPORT = Report(date(2024, 6, 30), (PackRef("a", "1", "0" * 64),), 10, 3, "0" * 64, (), FINDINGS, (), "Hà Nội",
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
    quotas = lines.index("Chỉ tiêu chưa đạt theo quận/huyện (1)")  # (a district's finding only)
    posts = lines.index("Chức danh còn trống, theo chức danh (4)")
    units = lines.index("Đơn vị có chức danh còn trống (3)")
    top = lines.index("Phát hiện chính (6; cần xử lý trước)")
    assert quotas < posts < units < top
    assert lines[quotas + 1].endswith("Ba Vì: 3.3% (cần thêm: 15 người nếu thay thế, 16 người nếu bổ sung)")
    assert lines[posts + 1].split() == ["Chức", "danh", "Hà", "Nội", "Nơi", "còn", "trống"]
    assert lines[posts + 2].split() == ["Phó", "Bí", "thư", "Đảng", "ủy", "1", "Quận", "Đống", "Đa", "1"]
    assert lines[posts + 3].split() == ["Phó", "Chủ", "tịch", "UBND", "2", "Huyện", "Ba", "Vì", "2"]
    assert lines[units + 1] == "  U1 Xã Cao Viên (Huyện Ba Vì): Phó Chủ tịch UBND, Chủ tịch UBMTTQ"
    english = render_text(REPORT, lang="en")
    assert "  U1 Xã Cao Viên (Huyện Ba Vì): Committee vice chair, Front chair" in english
    assert "(more needed: 15 if replacing, 16 if added)" in english


@pytest.mark.parametrize(("subjects", "heading"), [
    (("Hà Nội",), "Chỉ tiêu chưa đạt toàn thành phố (1)"),
    (("Hà Nội", "Huyện Ba Vì"), "Chỉ tiêu chưa đạt toàn thành phố và theo quận/huyện (2)"),
    (("Huyện Ba Vì",), "Chỉ tiêu chưa đạt theo quận/huyện (1)"),
])
def test_the_quotas_heading_names_the_levels_it_lists(subjects: tuple[str, ...], heading: str) -> None:
    """Since 2025-07-01 a city has no districts: its report's quotas are city-wide, not "và theo quận/huyện"."""
    findings = tuple(attrs.evolve(FINDINGS[-2], subject_id=s, scope_id=s) for s in subjects)
    report = attrs.evolve(REPORT, findings=findings)
    assert heading in render_text(report, lang="vi").splitlines()
    english = render_text(report, lang="en")
    assert ("city-wide" in english) == ("Hà Nội" in subjects)
    assert ("by district" in english) == ("Huyện Ba Vì" in subjects)


def test_the_quotas_heading_of_a_city_without_districts() -> None:
    """The bundled 2025 sample (two-tier: no district) says "toàn thành phố" alone."""
    report = attrs.evolve(REPORT, unit_districts={},
                          findings=(attrs.evolve(FINDINGS[-2], subject_id="Hà Nội", scope_id="Hà Nội"),))
    assert "Chỉ tiêu chưa đạt toàn thành phố (1)" in render_text(report, lang="vi").splitlines()


def test_more_needed_is_written_in_the_reader_s_number_format() -> None:
    """The "cần thêm" figures of the metrics table and of a quota finding: 3.079 in Vietnamese, 3,079 in English;
    a target that no addition reaches says so in words, not "— người"."""
    young = Metric("a", "quota.young", "city", "Hà Nội", 181, 3622, Fraction(9, 10), ">=", False)
    degree = Metric("a", "quota.university", "city", "Hà Nội", 3618, 3622, Fraction(1), ">=", False)
    city = Finding("a", "quota.young", "quota", "warning", "scope", "Hà Nội", "Hà Nội", "young", "c",
                   {"numerator": 181, "denominator": 3622, "value": 181 / 3622, "target": 0.9, "needed": 3079})
    full = Finding("a", "quota.university", "quota", "info", "scope", "Hà Nội", "Hà Nội", "degree", "c",
                   {"numerator": 3618, "denominator": 3622, "value": 3618 / 3622, "target": 1, "needed": 4})
    report = attrs.evolve(REPORT, findings=(city, full), metrics=(young, degree))
    assert metric_needed(young) == Needed(3079, 30788)
    vi_text, vi_page = render_text(report, lang="vi"), render_html(report, lang="vi")
    for shown in (vi_text, vi_page):
        assert "3.079 / 30.788" in shown and "3,079" not in shown and "30,788" not in shown
        assert "cần thêm: 3.079 người nếu thay thế, 30.788 người nếu bổ sung" in shown
        assert "cần thêm: 4 người nếu thay thế; bổ sung bao nhiêu cũng không đạt" in shown
        assert "— người" not in shown
    en_text, en_page = render_text(report, lang="en"), render_html(report, lang="en")
    for shown in (en_text, en_page):
        assert "3,079 / 30,788" in shown
        assert "more needed: 3,079 if replacing, 30,788 if added" in shown
        assert "more needed: 4 if replacing; no number added reaches the target" in shown


def test_the_number_needed_is_said_once_where_the_pack_s_message_says_it() -> None:
    """Session 16: "…chưa đạt 10%; cần thêm 54 người (cần thêm: 54 người nếu thay thế, 60 người nếu bổ sung)" said
    it twice. The pack's phrase now says both numbers where they differ, once; where they are the same it stays as
    it is; a message that does not say it keeps the tail (text, html; Vietnamese and English)."""
    def quota(scope: str, num: int, den: int, vi: str, en: str) -> tuple[Finding, Finding]:
        facts = {"numerator": num, "denominator": den, "value": num / den, "target": 0.1,
                 "needed": needed(num, den, Fraction(1, 10)).replacing}
        f = Finding("a", "quota.young", "quota", "warning", "scope", scope, scope, vi, "c", facts)
        return f, attrs.evolve(f, message=en)
    city = quota("Hà Nội", 43, 963, "Hà Nội: chiếm 4,5% (43/963), chưa đạt 10%; cần thêm 54 người",
                 "Hà Nội: 4.5% (43/963), below 10%; 54 more needed")
    same = quota("Huyện Gia Lâm", 11, 154, "Huyện Gia Lâm: chiếm 7,1% (11/154), chưa đạt 10%; cần thêm 5 người",
                 "Huyện Gia Lâm: 7.1% (11/154), below 10%; 5 more needed")
    big = quota("Hà Tây", 181, 30000, "Hà Tây: chưa đạt 10%; cần thêm 2819 người",
                "Hà Tây: below 10%; 2819 more needed")
    for lang, at in (("vi", 0), ("en", 1)):
        report = attrs.evolve(REPORT, findings=(city[at], same[at], big[at]), metrics=())
        for shown in (render_text(report, lang=lang), render_html(report, lang=lang)):
            if lang == "vi":
                assert "chưa đạt 10%; cần thêm 54 người nếu thay thế người không thuộc diện, 60 người nếu bổ sung" \
                    in shown
                assert "cần thêm 2.819 người nếu thay thế người không thuộc diện, 3.133 người nếu bổ sung" in shown
                assert "chưa đạt 10%; cần thêm 5 người" in shown
                assert "(cần thêm:" not in shown and "cần thêm: 54 người nếu" not in shown
            else:
                assert "below 10%; 54 more needed if replacing officials who do not count, 60 if added" in shown
                assert "2,819 more needed if replacing officials who do not count, 3,133 if added" in shown
                assert "below 10%; 5 more needed" in shown
                assert "(more needed:" not in shown and "more needed: 54 if" not in shown


@pytest.mark.parametrize(("message", "more", "lang", "said"), [
    ("x; 1 more needed", Needed(1, None), "en",
     ("x; 1 more needed if replacing officials who do not count; no number added reaches the target", None)),
    ("x; 11 more needed", Needed(1, 2), "en", ("x; 11 more needed", "more needed: 1 if replacing, 2 if added")),
    ("x; cần thêm 1234 người", Needed(1234, 1371), "vi",
     ("x; cần thêm 1.234 người nếu thay thế người không thuộc diện, 1.371 người nếu bổ sung", None)),
    ("x (5/8)", Needed(3, 4), "vi", ("x (5/8)", "cần thêm: 3 người nếu thay thế, 4 người nếu bổ sung")),
])
def test_said_once_replaces_the_pack_s_phrase_only(message: str, more: Needed, lang: str,
                                                   said: tuple[str, str | None]) -> None:
    """:func:`said_once`: the pack's phrase with this very number (not "11 more needed" for 1), as the pack writes it
    (1234) or as the reader does (1.234); a target no addition reaches says so; any other message keeps the tail."""
    assert said_once(message, more, lang) == said


def test_a_report_without_vacancies_or_scope_findings_has_no_such_sections() -> None:
    only = Report(REPORT.as_of, REPORT.packs, 1, 1, "0" * 64, (), FINDINGS[-1:], ())
    text = render_text(only, lang="en")
    assert "Vacant posts" not in text and "Quotas not met" not in text


# -- xlsx and html ---------------------------------------------------------------------------------------

METRICS = (
    Metric("a", "quota.young", "city", "Hà Nội", 3, 40, Fraction(1, 10), ">=", False),
    Metric("a", "quota.university", "city", "Hà Nội", 3614, 3618, Fraction(1), ">=", False),
    Metric("a", "staffing.fill_rate", "unit", "U1", 6, 8, Fraction(1), ">=", False),
)
FULL = attrs.evolve(REPORT, metrics=METRICS)


def test_xlsx_vacancies_sheet_and_needed_columns() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(FULL, "vi")))
    rows = list(book["Chức danh còn trống"].iter_rows(values_only=True))
    assert rows[0] == ("Cấp", "Phạm vi", "Tên đơn vị", "Quận/huyện", "Chức danh", "Số chức danh trống")
    assert rows[1:4] == [("thành phố", "Hà Nội", None, None, "Phó Bí thư Đảng ủy", 1),
                         ("thành phố", "Hà Nội", None, None, "Phó Chủ tịch UBND", 2),
                         ("thành phố", "Hà Nội", None, None, "Chủ tịch UBMTTQ", 1)]
    assert ("quận/huyện", "Huyện Ba Vì", None, "Huyện Ba Vì", "Phó Chủ tịch UBND", 2) in rows
    assert ("xã/phường", "U1", "Xã Cao Viên", "Huyện Ba Vì", "Chủ tịch UBMTTQ", 1) in rows
    metrics = list(book["Chỉ số"].iter_rows(values_only=True))
    assert metrics[0][-2:] == ("Cần thêm nếu thay thế", "Cần thêm nếu bổ sung")
    assert [row[-2:] for row in metrics[1:]] == [(1, 2), (4, None), (None, None)]
    findings = list(book["Phát hiện"].iter_rows(values_only=True))
    quota = next(row for row in findings if row[1] == "quota.young")
    header = findings[0]
    assert quota[header.index("Cần thêm nếu thay thế")] == 15 and quota[header.index("Cần thêm nếu bổ sung")] == 16
    redacted = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(redact(FULL), "vi")))["Chức danh còn trống"]
                    .iter_rows(values_only=True))
    assert "Tên đơn vị" not in redacted[0] and not any("Cao Viên" in str(c) for row in redacted for c in row)


def test_html_vacancies_needed_and_quota_findings() -> None:
    html = render_html(FULL, "vi")
    assert '<section id="vacancies"><h2>Chức danh còn trống, theo chức danh (4)</h2>' in html
    assert '<a href="#vacancies">' in html
    assert "<tr><td>Phó Chủ tịch UBND</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\"></td>" \
        in html  # the city, Huyện Ba Vì, Quận Đống Đa
    assert "<td>U1 Xã Cao Viên</td><td>Huyện Ba Vì</td><td>Phó Chủ tịch UBND, Chủ tịch UBMTTQ</td>" in html
    assert '<td class="num needed" data-sort="1">1 / 2</td>' in html  # 3/40 against 10 %
    assert '<td class="num needed" data-sort="4">4 / —</td>' in html  # 100 %: only by replacing
    assert '<span class="needed">cần thêm: 15 người nếu thay thế, 16 người nếu bổ sung</span>' in html
    assert "Cao Viên" not in render_html(redact(FULL), "vi")


def test_a_unit_s_quota_in_a_city_without_districts_is_no_district() -> None:
    """A plugin's per-commune quota is a scope finding scoped by the unit's code. In a city without districts
    (from 2025-07-01) the html and pdf reports showed each such commune as a district ("7 quận/huyện", "Bảng
    điều khiển theo quận/huyện") and the xlsx put its code in the district column; they are the units'."""
    unit_quota = Finding("b", "quota.young_commune", "quota", "warning", "scope", "U1", "U1", "U1: 0%", "c",
                         {"numerator": 0, "denominator": 7, "value": 0.0, "target": 0.12, "needed": 1})
    metric = Metric("b", "quota.young_commune", "unit", "U1", 0, 7, Fraction(12, 100), ">=", False)
    flat = attrs.evolve(REPORT, unit_districts={}, findings=(unit_quota, FINDINGS[-1]), metrics=(metric,))
    for page in (render_html(flat, "vi"), print_html(flat, "vi")):
        assert "quận/huyện" not in page and 'data-district="U1"' not in page
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(flat, "vi")))
    header = next(book["Phát hiện"].iter_rows(values_only=True))
    assert "Quận/huyện" not in header
    # with districts, the unit's quota is its unit's district's, and a district's quota its own
    districted = attrs.evolve(flat, unit_districts={"U1": "Huyện Ba Vì"}, findings=(unit_quota, FINDINGS[-2]))
    header, *rows = openpyxl.load_workbook(io.BytesIO(render_xlsx(districted, "vi")))["Phát hiện"] \
        .iter_rows(values_only=True)
    assert [row[header.index("Quận/huyện")] for row in rows] == ["Huyện Ba Vì", "Huyện Ba Vì"]
    html = render_html(districted, "vi")
    assert 'data-district="Huyện Ba Vì"' in html and 'data-district="U1"' not in html


def _bar(value: float, target: float) -> _Bar:
    return _Bar("x", value, target, ">=", value >= target, "tip")


def test_charts_of_shares_near_full_start_their_axis_near_them() -> None:
    assert axis_start([_bar(0.9953, 1.0), _bar(0.9988, 1.0)]) == 0.98
    assert axis_start([_bar(0.044, 0.1), _bar(0.999, 1.0)]) == 0.0  # a small share: the axis from 0
    assert axis_start([_bar(0.85, 0.8)]) == 0.79
    near = render_html(attrs.evolve(REPORT, metrics=(METRICS[1],)), "en")
    assert 'data-axis-from="0.98"' in near
    assert ">98.00%</text>" in near and ">100.00%</text>" in near
    assert "data-axis-from" not in render_html(attrs.evolve(REPORT, metrics=METRICS[:1]), "en")


# -- what the report rests on, in every format --------------------------------------------------------------

BASED = attrs.evolve(REPORT, backend="durable", params={"a.young_min_share": "0.12"}, input_sha256="f" * 64)


def test_every_format_states_what_the_report_rests_on() -> None:
    pack = f"a@1 sha256:{'0' * 64}"
    text = render_text(BASED, lang="vi")
    tail = text.split("\nCăn cứ của báo cáo\n", 1)[1]
    assert tail.splitlines()[:6] == [
        "  Ngày đánh giá: 30/06/2024", f"  Gói quy định: {pack}", "  Tham số đã đặt: a.young_min_share=0.12",
        "  Bộ máy quy tắc: durable-rules", f"  Tệp dữ liệu (cán bộ + đơn vị): sha256:{'f' * 64}",
        f"  cadre-rules: {cadre_rules.__version__}"]
    html = render_html(BASED, "en")
    assert f"<li>Pack: <code>{pack}</code></li>" in html and "<li>As of: <code>2024-06-30</code></li>" in html
    assert "<li>Parameters given: <code>a.young_min_share=0.12</code></li>" in html
    assert f"<li>Input files (officials + units): <code>sha256:{'f' * 64}</code></li>" in html
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(io.BytesIO(render_xlsx(BASED, "en")))["summary"]
               .iter_rows(min_row=2, values_only=True)}
    assert summary["Parameters given"] == "a.young_min_share=0.12" and summary["Rule engine"] == "durable-rules"
    assert summary["Pack"] == pack and summary["Input SHA-256"] == "f" * 64
    doc = json.loads(report_to_json(BASED))
    assert doc["params"] == {"a.young_min_share": "0.12"} and doc["backend"] == "durable"
    for line in (render_jsonl(BASED).splitlines()[-1], ):
        basis = json.loads(line)
        assert basis["rule"] == "report.basis"
        assert basis["facts"] == {"as_of": "2024-06-30", "cadre_rules_version": cadre_rules.__version__,
                                  "backend": "durable", "packs": [{"id": "a", "version": "1", "sha256": "0" * 64}],
                                  "params": {"a.young_min_share": "0.12"},
                                  "input": {"officials": 10, "units": 3, "sha256": "f" * 64}}
    last = list(csv.reader(io.StringIO(render_csv(BASED, "en").decode("utf-8-sig"))))[-1]
    assert last[1] == "report.basis" and "Parameters given: a.young_min_share=0.12" in last[10]
    assert json.loads(last[12])["params"] == {"a.young_min_share": "0.12"}
    assert "none (the packs' defaults)" in render_text(REPORT, lang="en")


def test_the_engine_reports_the_params_it_was_given() -> None:
    from datetime import date as day

    from cadre_rules import Engine
    from cadre_rules import Official
    from cadre_rules import Unit

    engine = Engine(["hanoi-de-an-34@2023.11.4"], params={"hanoi-de-an-34.young_min_share": "0.12"},
                    backend="reference", plugins=False)
    report = engine.evaluate([Official("A", "Tên", "male", day(1980, 1, 1), "U", "committee_chair", "university",
                                       "advanced")], [Unit("U", "Xã U", "commune", 1)], day(2024, 6, 30))
    assert report.params == {"hanoi-de-an-34.young_min_share": "0.12"}


# -- --scope district:NAME / commune:NAME, and data of one district or commune --------------------------

SCOPED = attrs.evolve(REPORT, metrics=(
    Metric("a", "quota.young", "city", "Hà Nội", 3, 40, Fraction(1, 10), ">=", False),
    Metric("a", "quota.young", "district", "Huyện Ba Vì", 1, 20, Fraction(1, 10), ">=", False),
    Metric("a", "quota.young", "district", "Quận Đống Đa", 2, 20, Fraction(1, 10), ">=", True),
    Metric("a", "staffing.fill_rate", "unit", "U1", 5, 7, Fraction(1), ">=", False),
    Metric("a", "staffing.fill_rate", "unit", "U3", 6, 7, Fraction(1), ">=", False)))


def test_scope_district_keeps_the_district_its_units_and_officials() -> None:
    out = scope_report(SCOPED, *parse_scope("district:huyện ba vì"))  # any case
    assert out.scope == ReportScope("district", "Huyện Ba Vì", "Huyện Ba Vì")
    assert [(m.scope, m.scope_id) for m in out.metrics] == [("district", "Huyện Ba Vì"), ("unit", "U1")]
    assert [(f.rule, f.subject_id) for f in out.findings] == [
        ("staffing.vacancy", "U1"), ("staffing.posts", "U1"), ("staffing.vacancy", "U2"),
        ("quota.young", "Huyện Ba Vì"), ("qualification.degree", "O1")]
    assert (out.units, out.officials) == (2, 1)
    assert render_text(out, lang="vi").startswith(
        "Báo cáo cadre-rules — Huyện Ba Vì — tính đến ngày 30 tháng 6 năm 2024\n")
    assert "<title>cadre-rules report — Huyện Ba Vì, as of 2024-06-30</title>" in render_html(out, "en")
    assert json.loads(report_to_json(out))["scope"] == {"kind": "district", "id": "Huyện Ba Vì",
                                                       "name": "Huyện Ba Vì"}
    summary = dict(openpyxl.load_workbook(io.BytesIO(render_xlsx(out, "vi")))["Tổng hợp"]
                   .iter_rows(min_row=2, values_only=True))
    assert summary["Báo cáo của"] == "Huyện Ba Vì"
    assert "scope" not in json.loads(report_to_json(SCOPED))


def test_scope_commune_by_code_or_name() -> None:
    by_name = scope_report(SCOPED, *parse_scope("commune:Xã Cao Viên"))
    assert by_name == scope_report(SCOPED, *parse_scope("commune:U1"))
    assert by_name.scope == ReportScope("unit", "U1", "Xã Cao Viên")
    assert [(m.scope, m.scope_id) for m in by_name.metrics] == [("unit", "U1")]
    assert {f.scope_id for f in by_name.findings} == {"U1"}
    assert render_text(by_name, lang="en").startswith("cadre-rules report — Xã Cao Viên — as of 2024-06-30\n")


def test_bad_scopes_are_located_errors() -> None:
    for text, reason in [("province:X", "expected district:NAME or commune:NAME"),
                         ("district:Huyện Nào", "no such district in the report (districts: Huyện Ba Vì, Quận Đống Đa)"),
                         ("commune:Xã Nào", "no unit with this code or name")]:
        with pytest.raises(InputError) as info:
            scope_report(SCOPED, *parse_scope(text))
        assert info.value.problems[0].file == "scope" and reason in info.value.problems[0].reason
        # (the API's argument, said by the command line as its option: errors.named_by)
        assert named_by(info.value, option_of).problems[0].file == "--scope"
    with pytest.raises(InputError, match="no districts"):
        scope_report(attrs.evolve(SCOPED, unit_districts={}), "district", "Huyện Ba Vì")


def test_data_of_one_district_or_one_commune_is_titled_for_it() -> None:
    one_district = attrs.evolve(REPORT, units=2, unit_districts={"U1": "Huyện Ba Vì", "U2": "Huyện Ba Vì"})
    assert scope_title(one_district) == "Huyện Ba Vì"
    assert render_text(one_district, lang="vi").startswith("Báo cáo cadre-rules — Huyện Ba Vì — ")
    one_unit = attrs.evolve(REPORT, units=1, unit_districts={},
                            names=Names({}, {"U1": "Xã Cao Viên"}))
    assert scope_title(one_unit) == "Xã Cao Viên"
    assert scope_title(REPORT) == "Hà Nội"
    assert render_text(REPORT, lang="vi").startswith("Báo cáo cadre-rules — tính đến ngày 30 tháng 6 năm 2024\n")


def test_cli_scope(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cadre_rules._cli import cli

    sample = Path(__file__).parents[1] / "examples" / "hanoi-2022"
    args = ["evaluate", str(sample), "--as-of", "2024-06-30", "--no-plugins", "-q", "--fail-on", "never"]
    result = CliRunner().invoke(cli, [*args, "--scope", "district:Huyện Thanh Oai", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scope"]["name"] == "Huyện Thanh Oai" and doc["input"]["units"] == 21
    assert {f["scope_id"] for f in doc["findings"] if f["subject"]["kind"] != "scope"} <= {
        f"HN-THANHOAI-{i:02d}" for i in range(1, 22)}
    assert {f["subject"]["id"] for f in doc["findings"] if f["subject"]["kind"] == "scope"} == {"Huyện Thanh Oai"}
    bad = CliRunner().invoke(cli, [*args, "--scope", "district:Nowhere"])
    assert bad.exit_code == 2 and "--scope" in bad.stderr and "Traceback" not in bad.output


# -- explain a unit, a district, the city ---------------------------------------------------------------------

HANOI_2022 = Path(__file__).parents[1] / "examples" / "hanoi-2022"


def _explain(*args: str) -> str:
    from click.testing import CliRunner

    from cadre_rules._cli import cli

    result = CliRunner().invoke(cli, ["explain", str(HANOI_2022), "--as-of", "2024-06-30", "--no-plugins", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_a_district_lists_the_people_each_quota_counted() -> None:
    doc = json.loads(_explain("--district", "huyện thanh oai", "--format", "json"))
    assert (doc["kind"], doc["id"]) == ("district", "Huyện Thanh Oai")
    women = next(q for q in doc["quotas"] if q["quota"] == "quota.women")
    # the people counted are the engine's numerator, the population its denominator
    assert women["metric"]["numerator"] == len(women["counted"]) == 20
    assert women["metric"]["denominator"] == len(women["counted"]) + len(women["not_counted"]) == 144
    assert women["metric"]["needed"] == {"replacing": 2, "adding": 2}
    assert all(p["name"] and p["position"] and p["unit_name"] for p in women["counted"])
    with (HANOI_2022 / "officials.csv").open(encoding="utf-8-sig") as f:
        gender = {row["id"]: row["gender"] for row in csv.DictReader(f)}
    assert {gender[p["id"]] for p in women["counted"]} == {"female"}
    assert {gender[p["id"]] for p in women["not_counted"]} == {"male"}
    assert [f["rule"] for f in doc["findings"]] == ["quota.women"]
    text = _explain("--district", "Huyện Thanh Oai", "--lang", "vi")
    assert text.startswith("Giải trình: Huyện Thanh Oai — ngày đánh giá 30/06/2024\n")
    # the metric by its name, as the reports show it
    assert ("hanoi-de-an-34: Cán bộ chủ chốt nữ: 20/144 = 13,9% ≥ 15,0% ✗ (cần thêm: 2 người nếu thay thế, 2 người "
            "nếu bổ sung)") in text
    assert "● Cán bộ chủ chốt nữ — hanoi-de-an-34/quota.women  [Cơ cấu, chỉ tiêu] 20/144" in text
    assert "    Được tính (20):\n" in text and "    Trong diện, chưa được tính (124):\n" in text


def test_explain_a_unit_and_the_city_and_redact() -> None:
    text = _explain("--unit", "Xã Châu Sơn", "--lang", "en")
    assert text.startswith("Explanation for HN-CHUONGMY-28 Xã Châu Sơn — as of 2024-06-30\n")
    assert "✗ holders('front_chair') >= 1" in text
    # the 2023 packs count the 4 key officials past retirement age on 2024-06-30 (SEMANTICS 26)
    city = json.loads(_explain("--city", "--format", "json"))
    young = next(q for q in city["quotas"] if q["quota"] == "quota.young")
    assert (young["metric"]["numerator"], young["metric"]["denominator"]) == (159, 3622) == (
        len(young["counted"]), len(young["counted"]) + len(young["not_counted"]))
    # the post-reform packs do not (retirement_ends_service): 271 past retirement age on 2026-12-01
    later = json.loads(_explain("--city", "--format", "json", "--as-of", "2026-12-01"))
    young = next(q for q in later["quotas"] if q["quota"] == "quota.young")
    assert (young["metric"]["numerator"], young["metric"]["denominator"]) == (95, 3555) == (
        len(young["counted"]), len(young["counted"]) + len(young["not_counted"]))
    redacted = _explain("--unit", "HN-CHUONGMY-28", "--redact")
    assert "Xã Châu Sơn" not in redacted and "HN-CHUONGMY-28" in redacted
    with (HANOI_2022 / "officials.csv").open(encoding="utf-8-sig") as f:
        names = [row["full_name"] for row in csv.DictReader(f) if row["unit"] == "HN-CHUONGMY-28"]
    assert names and not any(n in redacted for n in names)


def test_explain_needs_exactly_one_subject() -> None:
    from click.testing import CliRunner

    from cadre_rules._cli import cli

    for args in ([], ["--unit", "X", "--city"]):
        result = CliRunner().invoke(cli, ["explain", str(HANOI_2022), "--no-plugins", *args])
        assert result.exit_code == 2 and "name one of --official ID, --unit CODE" in result.stderr
    unknown = CliRunner().invoke(cli, ["explain", str(HANOI_2022), "--no-plugins", "--unit", "Nowhere"])
    assert unknown.exit_code == 2 and "--unit" in unknown.stderr and "Traceback" not in unknown.output
