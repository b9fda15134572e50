"""What the city's organisation board reads in the reports of the whole city (session 18): every count in
the reader's number format, the html's and the PDF's counts of findings by severity too (they read "1145
thông tin" beside the text's "1.145"); how many of a unit's officials a rule could not decide for out of those
its pack evaluated (they read "92 of 93" where the column is empty for everyone serving); explaining a ward's
vacancy, the holder past retirement age whom the rules no longer count; the PDF's lines with the place once, a
civil servant called "cán bộ, công chức", not "cán bộ" (and so headed in her explanation), the full reports
named as the text names them (bao-cao.xlsx, not report.xlsx); a Bí thư who is a local person (Chỉ thị 45) not
listed as a training need (19 "courses to meet the rule" with no level now or required); the html's people by
their highest severity beside their number."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import attrs
import openpyxl
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import redact
from cadre_rules._cli import cli
from cadre_rules.jobs._explain_scope import explain_scope
from cadre_rules.jobs._scope_formats import render_scope_explanation
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Names
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import Undecided
from cadre_rules.render import render_html
from cadre_rules.render import render_xlsx
from cadre_rules.render._print import print_page
from cadre_rules.render._text import render_text
from cadre_rules.report._notices import undecided_rows
from cadre_rules.report._training import training_needs
from test_officer_reads import REPORT  # (the report of 1,234 officials the officer reads)


def test_html_and_pdf_count_findings_in_the_reader_s_number_format() -> None:
    html = render_html(REPORT, "vi")
    assert '<span class="chip info">1.235 thông tin</span>' in html
    # (not shown: sort keys, and the rows the section by person is built from, numbers in its JSON data block)
    shown = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", html, flags=re.DOTALL)
    assert "1235" not in re.sub(r"<[^>]*>|data-sort=\"\d+\"", "", shown)
    assert '<span class="chip info">1,235 info</span>' in render_html(REPORT, "en")
    assert '<span class="chip info">1.235 thông tin</span>' in print_page(REPORT, "vi")


def _undecided_report(counted_by: list[str] | None) -> Report:
    retired = Finding("cadre-rules", "staffing.past_retirement", "staffing", "info", "official", "O2", "00322",
                      "đã quá tuổi nghỉ hưu", "c", {"retirement_date": "2026-08-31", "position": "committee_chair",
                                                    **({} if counted_by is None else {"counted_by": counted_by})})
    undecided = Undecided("a", "replacement.low_confidence", "replacement", "low_confidence_share", 1,
                          by_unit={"00322": 1})
    return Report(date(2026, 12, 7), (PackRef("a", "1", "0" * 64),), 2, 1, "a" * 64, (), (retired,),
                  ("chưa xét được",), "Hà Nội", undecided=(undecided,),
                  names=Names({"O1": ("Nguyễn Văn An", "other", "00322"),
                               "O2": ("Nguyễn Tiến Hiếu", "committee_chair", "00322")},
                              {"00322": "Phường Tương Mai"}))


def test_the_officials_a_rule_could_not_decide_for_are_out_of_those_its_pack_evaluated() -> None:
    # (the column empty for everyone serving in Phường Tương Mai: 1 of 1, not 1 of 2 — the chair past retirement
    # age is not read by the pack's rules; "equal: the column is empty for everyone there", the guide says)
    [row] = undecided_rows(_undecided_report(None), "vi")
    assert (row.count, row.officials) == (1, 1)
    [kept] = undecided_rows(_undecided_report(["a@1"]), "vi")  # (a pack that still counts them: of 2)
    assert (kept.count, kept.officials) == (1, 2)
    html = render_html(_undecided_report(None), "vi")
    assert '<td class="num" data-sort="1">1</td><td class="num" data-sort="1">1</td>' in html


def test_explaining_a_unit_says_which_holder_past_retirement_age_left_its_post_vacant() -> None:
    unit = Unit("00322", "Phường Tương Mai", "ward", 1)
    people = [Official("C1", "Nguyễn Tiến Hiếu", "male", date(1965, 2, 23), "00322", "committee_chair",
                       "university", "advanced"),
              Official("S1", "Dương Lan Vân", "female", date(1975, 5, 1), "00322", "party_secretary",
                       "university", "advanced")]
    engine = Engine(["hanoi-de-an-34"], backend="reference", plugins=False)
    explained = explain_scope(engine, people, [unit], "unit", "Phường Tương Mai", date(2026, 12, 7))
    assert [(f.rule, f.subject_id) for f in explained.findings if f.subject_kind == "official"] == [
        ("staffing.past_retirement", "C1")]
    text = render_scope_explanation(explained, lang="vi")
    assert ("cadre-rules/staffing.past_retirement: C1 Nguyễn Tiến Hiếu — Chủ tịch UBND — Phường Tương Mai: đã quá "
            "tuổi nghỉ hưu vào ngày đánh giá (ngày nghỉ hưu 31/08/2026)") in text
    redacted = render_scope_explanation(explained.redacted(), lang="vi")
    assert "cadre-rules/staffing.past_retirement: C1: đã quá tuổi nghỉ hưu" in redacted
    assert "Nguyễn Tiến Hiếu" not in redacted


def test_the_pdf_lists_each_finding_with_its_place_once_and_a_civil_servant_not_called_a_cadre() -> None:
    few = attrs.evolve(REPORT, findings=REPORT.findings[:4], officials=2)
    page = print_page(few, "vi")
    assert ('<span class="name">Nguyễn Văn An — Khác — Phường Tương Mai</span> · O0000 <span class="muted">'
            "(cán bộ, công chức)</span>: đủ điều kiện") in page
    assert ('<span class="name">Phường Tương Mai</span> · 00322 <span class="muted">(đơn vị)</span>: '
            in page)
    assert "Hà Nội <span class=\"muted\">(phạm vi)</span>: Hà Nội: 3,9%" not in page  # (the city once)
    assert " · 00322 Phường Tương Mai:" not in page and "(cán bộ)<" not in page
    redacted = print_page(redact(few), "vi")
    assert 'O0000 <span class="muted">(cán bộ, công chức)</span> · 00322: đủ điều kiện' in redacted
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(render_xlsx(few, "vi")))[
        "Luân chuyển"].iter_rows(min_row=2)]
    assert rows[0][5] == "cán bộ, công chức"  # (the findings sheets' kind of subject)


def test_the_vietnamese_pdf_names_the_full_reports_as_the_text_does() -> None:
    page = print_page(REPORT, "vi")  # (1,234 findings of a rule: not listed, left to the full reports)
    assert "tất cả đều có trong báo cáo Excel và HTML (-o bao-cao.xlsx, -o bao-cao.html)." in page
    assert "report.xlsx" not in page
    assert "(-o bao-cao.xlsx, -o bao-cao.html)" in render_text(REPORT, "vi")


def test_explaining_a_civil_servant_does_not_call_her_a_cadre() -> None:
    sample = Path(__file__).parent.parent / "examples" / "hanoi-2025"
    result = CliRunner().invoke(cli, ["explain", str(sample), "--official", "HN00283-051", "--as-of", "2026-12-07",
                                      "--lang", "vi", "--no-plugins"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Giải trình đánh giá cán bộ, công chức HN00283-051 — ngày đánh giá 07/12/2026\n"
                                    "Cán bộ, công chức: Lê Thị Hương — Công chức — Phường Vĩnh Tuy\n")
    assert "không áp dụng với người này" in result.stdout and "với cán bộ này" not in result.stdout


def test_the_html_and_pdf_of_the_two_tier_city_count_cadres_and_civil_servants() -> None:
    # (the city without districts, since 1/7/2025, as the text's "Dữ liệu: … cán bộ, công chức · … đơn vị cấp xã")
    said = "Ngày đánh giá 07/12/2026 · 1.234 cán bộ, công chức · 2 đơn vị cấp xã"
    assert said in render_html(REPORT, "vi") and said in print_page(REPORT, "vi")


def test_a_local_party_secretary_is_a_posting_to_change_not_a_course_to_take() -> None:
    when = {"part": "when", "depth": 0, "condition": "is_local", "field": "is_local", "op": "==", "target": True,
            "value": True, "result": True}
    local = Finding("vn-commune-2tier", "qualification.secretary_local", "qualification", "info", "official",
                    "O0001", "00322", "Bí thư đảng ủy là người địa phương", "c", {"is_local": True}, (when,))
    degree = Finding("vn-commune-2tier", "qualification.degree", "qualification", "error", "official", "O0002",
                     "00322", "chưa đạt đại học", "c", {"education": "college"})
    report = attrs.evolve(REPORT, findings=(local, degree, attrs.evolve(local, explanation=())))
    assert [(n.official, n.course) for n in training_needs(report)] == [("O0002", "degree.university")]


def test_the_html_counts_people_by_their_highest_severity_beside_the_count_of_people() -> None:
    due = Finding("a", "rotation.position_change_due", "rotation", "warning", "official", "O0000", "00322",
                  "84 tháng ở vị trí hiện tại", "c")
    report = attrs.evolve(REPORT, findings=(due, *REPORT.findings[3:5]))  # (O0000 twice, O0001 once)
    html = render_html(report, "vi")
    assert ('Theo người: 2 cán bộ, công chức có phát hiện<div class="chips"><span class="chip warning">1 lưu ý'
            '</span><span class="chip info">1 thông tin</span></div>') in html
