"""What the HR officer reads in every report (session 11): units named beside their codes in the metrics
(text, xlsx, html, the PDF's page) as the findings name them, counts in the reader's number format, a long
list pointed to the xlsx and html reports, and a report for one commune or district titled for it in every
table (no column or row headed by the city)."""

from __future__ import annotations

import functools
import io
import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import openpyxl

from cadre_rules import redact
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Metric
from cadre_rules.model._report_records import Names
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.render import render_html
from cadre_rules.render import render_xlsx
from cadre_rules.render._print import print_page
from cadre_rules.render._text import render_text
from cadre_rules.report._scope import parse_scope
from cadre_rules.report._scope import scope_report


def _vacancy(unit: str, *posts: str) -> Finding:
    return Finding("a", "staffing.vacancy", "staffing", "error", "unit", unit, unit, f"thiếu {posts}", "c",
                   {"vacant": list(posts)})


def _rotation(i: int) -> Finding:
    return Finding("a", "rotation.eligible", "rotation", "info", "official", f"O{i:04d}", "00322", "đủ điều kiện", "c")


METRICS = (
    Metric("a", "quota.young", "city", "Hà Nội", 37, 961, Fraction(1, 10), ">=", False),
    Metric("a", "staffing.fill_rate", "unit", "00322", 6, 8, Fraction(1), ">=", False),
    Metric("a", "staffing.fill_rate", "unit", "00331", 8, 8, Fraction(1), ">=", True),
)
FINDINGS = (
    _vacancy("00322", "deputy_party_secretary", "committee_chair"),
    Finding("a", "quota.young", "quota", "warning", "scope", "Hà Nội", "Hà Nội", "Hà Nội: 3,9%", "c",
            {"numerator": 37, "denominator": 961, "value": 37 / 961, "target": 0.1, "needed": 60}),
    Finding("a", "quota.university", "quota", "info", "scope", "Hà Nội", "Hà Nội", "Hà Nội: 99,8%", "c"),
    *(_rotation(i) for i in range(1234)),
)
REPORT = Report(date(2026, 12, 7), (PackRef("a", "1", "0" * 64),), 1234, 2, "a" * 64, METRICS, FINDINGS, (),
                "Hà Nội", names=Names({f"O{i:04d}": ("Nguyễn Văn An", "other", "00322") for i in range(1234)},
                                      {"00322": "Phường Tương Mai", "00331": "Phường Hoàng Mai"}))
COMMUNE = scope_report(REPORT, *parse_scope("commune:Phường Tương Mai"))


@functools.cache
def _report_book() -> openpyxl.Workbook:
    """REPORT's workbook in Vietnamese (its 1,234 findings), written and read once for the tests that read it (none
    changes it)."""
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(REPORT, "vi")))


def _lines(text: str, heading: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return lines[start + 1:lines.index("", start)]


def test_text_metrics_name_the_unit_beside_its_code() -> None:
    rows = _lines(render_text(REPORT, lang="vi"), "Chỉ số (3; 2 chưa đạt)")
    assert rows[0].split()[:3] == ["Chỉ", "số", "Phạm"]
    unit = next(row for row in rows if "00322" in row)
    assert "xã/phường  00322 Phường Tương Mai  " in unit  # as the findings name it ("00322 Phường Tương Mai: …")
    assert "00331 Phường Hoàng Mai" in render_text(REPORT, lang="en")
    # redacted: the code alone, no name anywhere
    redacted = render_text(redact(REPORT), lang="vi")
    assert "Tương Mai" not in redacted and re.search(r"xã/phường  00322 +75,0%", redacted)


def test_text_counts_are_in_the_reader_s_number_format() -> None:
    vi = render_text(REPORT, lang="vi")
    assert "Tổng số phát hiện: cần xử lý 1 · lưu ý 1 · thông tin 1.235" in vi
    assert "Phát hiện chính (1.237; cần xử lý trước)" in vi
    en = render_text(REPORT, lang="en")
    assert "Findings: error 1 · warning 1 · info 1,235" in en and "Top findings (1,237; errors first)" in en


def test_a_long_list_points_to_the_xlsx_and_html_reports() -> None:
    vi = render_text(REPORT, lang="vi").splitlines()
    # 1,237 findings: the city's 2 listed with its quotas, 20 in the main list (session 16: the city's no longer again)
    assert "  … còn 1.215 phát hiện nữa: xem đầy đủ trong báo cáo Excel hoặc HTML (-o bao-cao.xlsx, -o bao-cao.html)" \
        in vi
    en = render_text(REPORT, lang="en")
    assert "  … 1,215 more findings: see them all in the xlsx or html report (-o report.xlsx, -o report.html)\n" in en
    assert "--format json" not in "\n".join(vi) + en
    # the metrics past the first 30 are pointed to the same reports
    many = attrs.evolve(REPORT, metrics=tuple(attrs.evolve(METRICS[1], scope_id=f"U{i:03d}") for i in range(45)))
    assert "  … còn 15 dòng nữa: có trong báo cáo Excel và HTML" in render_text(many, lang="vi").splitlines()


def test_city_findings_keep_their_columns_aligned() -> None:
    rows = _lines(render_text(REPORT, lang="vi"), "Chỉ tiêu chưa đạt toàn thành phố")
    assert [row.index("quota.") for row in rows] == [len("  thông tin  ")] * 2  # "lưu ý" padded to "thông tin"


def test_xlsx_metrics_name_the_unit() -> None:
    book = _report_book()
    sheet = list(book["Chỉ số"].iter_rows(values_only=True))
    assert sheet[0][:6] == ("Gói", "Chỉ số", "Cấp", "Phạm vi", "Tên đơn vị", "Tử số")
    assert sheet[2][:10] == ("a", "Tỷ lệ bố trí đủ chức danh chủ chốt", "xã/phường", "00322", "Phường Tương Mai", 6, 8,
                             0.75, 1, "≥")
    assert sheet[1][4] is None  # the city: its name is in "Phạm vi"
    assert book["Chỉ số"]["H2"].number_format == "0.0%" and book["Chỉ số"]["I2"].number_format == "0.0%"
    redacted = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(redact(REPORT), "vi")))["Chỉ số"]
                    .iter_rows(values_only=True))
    assert "Tên đơn vị" not in redacted[0] and not any("Tương Mai" in str(c) for row in redacted for c in row)


def test_html_and_pdf_name_the_unit_of_rates_and_findings() -> None:
    html = render_html(REPORT, "vi")
    assert "<td>00322 Phường Tương Mai</td><td>Tỷ lệ bố trí đủ chức danh chủ chốt</td>" in html  # rates by unit
    # the "Đơn vị/phạm vi" column of a finding about an official of the ward
    assert '(cán bộ, công chức)</span></td><td>00322 Phường Tương Mai</td><td>đủ điều kiện</td>' in html
    page = print_page(REPORT, "vi")
    # a finding's line (its place once: the unit's name already says it)
    assert '<span class="name">Phường Tương Mai</span> · 00322 <span class="muted">(đơn vị)</span>: thiếu' in page
    assert '<p class="line">00322 Phường Tương Mai · Tỷ lệ bố trí đủ chức danh chủ chốt' in page  # a rate's line
    assert "Tương Mai" not in render_html(redact(REPORT), "vi") + print_page(redact(REPORT), "vi")


def test_a_commune_report_is_titled_for_it_in_every_table() -> None:
    text = render_text(COMMUNE, lang="vi")
    assert _lines(text, "Chức danh còn trống, theo chức danh (2)")[0].split() == ["Chức", "danh", "Phường", "Tương",
                                                                                  "Mai"]
    assert "Hà Nội" not in text
    html = render_html(COMMUNE, "vi")
    assert '<h2>Tổng quan: Phường Tương Mai</h2>' in html and "Tổng quan toàn thành phố" not in html
    assert '<th class="num" data-numeric>Phường Tương Mai</th>' in html and ">Hà Nội<" not in html
    assert '<h2>Tổng quan: Phường Tương Mai</h2>' in print_page(COMMUNE, "vi")
    assert '<h2>Tổng quan toàn thành phố</h2>' in render_html(REPORT, "vi")  # the whole city's stays so
    rows = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(COMMUNE, "vi")))["Chức danh còn trống"]
                .iter_rows(values_only=True))
    # the ward's rows only: no row of "thành phố Hà Nội" counting the ward's posts as the city's
    assert rows[1:] == [("xã/phường", "00322", "Phường Tương Mai", "Phó Bí thư Đảng ủy", 1),
                        ("xã/phường", "00322", "Phường Tương Mai", "Chủ tịch UBND", 1)]
    whole = list(_report_book()["Chức danh còn trống"].iter_rows(values_only=True))
    assert whole[1] == ("thành phố", "Hà Nội", None, "Phó Bí thư Đảng ủy", 1)


def test_no_vietnamese_text_is_two_translations_run_together() -> None:
    """A translation merged twice reads its paragraphs twice, the second glued to the first's last sentence
    (`… dữ liệu vào sai.Các ứng viên …` in `match --help`): each msgstr has its msgid's paragraphs, and no
    sentence begins right after a full stop (but where the English has one too: ``os.PathLike``)."""
    from babel.messages.pofile import read_po

    po = Path(__file__).parents[1] / "src" / "cadre_rules" / "locale" / "vi" / "LC_MESSAGES" / "cadre_rules.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    doubled = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for source, text in zip(ids, texts, strict=False):
            glued = [m[0] for m in re.finditer(r"\w*(\w)\.(\w)\w*", text)  # lower.Upper, but as in the source
                     if m[1].islower() and m[2].isupper() and m[0] not in source]  # (os.PathLike)
            if source and text and (text.count("\n\n") != source.count("\n\n") or glued):
                doubled.append(source[:60])
    assert doubled == []


def test_explain_a_scope_names_its_metrics_and_says_when_no_addition_reaches_a_target() -> None:
    from cadre_rules.jobs._explain_scope import ScopeExplanation
    from cadre_rules.jobs._scope_formats import render_scope_explanation

    explanation = ScopeExplanation("city", "Hà Nội", "Hà Nội", date(2026, 12, 7), ("a@1",), (FINDINGS[1], FINDINGS[2]),
                                   (METRICS[0], attrs.evolve(METRICS[0], id="quota.university", numerator=959,
                                                             target=Fraction(1))), ())
    text = render_scope_explanation(explanation, lang="vi")
    assert "  a: Cán bộ chủ chốt dưới 35 tuổi: 37/961 = 3,9% ≥ 10,0% ✗ (cần thêm: 60 người nếu thay thế, 66 người " \
        "nếu bổ sung)" in text
    assert ("  a: Cán bộ chủ chốt có trình độ đại học: 959/961 = 99,8% ≥ 100,0% ✗ (cần thêm: 2 người nếu thay thế; bổ "
            "sung bao nhiêu cũng không đạt)") in text
    assert "  lưu ý      Cán bộ chủ chốt dưới 35 tuổi — a/quota.young: " in text  # by its name, then its id
    assert "  thông tin  Cán bộ chủ chốt có trình độ đại học — a/quota.university: " in text  # (severities aligned)


def test_a_near_miss_on_a_missing_value_says_unknown_not_none() -> None:
    """`match` on a workbook without the "Trình độ văn hóa" column: the near misses read "(hiện có: chưa rõ)",
    not "chưa có" (which says the person has no schooling)."""
    from cadre_rules.model._codes import GENERAL_EDUCATION
    from cadre_rules.packs._match_rules import label

    assert label(GENERAL_EDUCATION, None, "vi") == "chưa rõ" and label(GENERAL_EDUCATION, None, "en") == "?"
    assert label(GENERAL_EDUCATION, GENERAL_EDUCATION.codes.index("upper_secondary"), "vi") == "THPT"


def test_project_text_reads_comparisons_and_targets_as_words(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cadre_rules._cli import cli

    (tmp_path / "units.csv").write_text("code,name,kind,class\n00322,Phường Tương Mai,ward,1\n", encoding="utf-8")
    (tmp_path / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory\n"
        "A1,Nguyễn Thị Hoà,female,1975-03-12,00322,party_secretary,master,advanced\n"
        "A2,Trần Văn Bình,male,1990-08-05,00322,committee_vice_chair,college,intermediate\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["project", str(tmp_path), "--as-of", "07/12/2026", "--to", "31/12/2027",
                                      "--no-plugins", "--lang", "vi"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Tỷ lệ bố trí đủ chức danh chủ chốt (≥ 100,0%): hanoi-de-an-34 staffing.fill_rate" in out
    assert "(>= " not in out
    # Đề án 34's seven posts from hanoi-de-an-34@2025.07.4 (the Phó Bí thư one post; 2025.07.3 required eight: 6)
    assert "  Phường Tương Mai: Tỷ lệ bố trí đủ chức danh chủ chốt: cần bố trí 5 chức danh còn trống" in out


def test_the_facts_name_the_set_of_key_posts_in_words() -> None:
    from cadre_rules.render._labels import facts_text

    facts = {"numerator": 37, "denominator": 961, "key_positions": "extended"}
    assert facts_text(facts, "vi").endswith("nhóm chức danh chủ chốt: 8 chức danh chủ chốt (từ Bí thư Đảng ủy đến "
                                            "Chủ tịch UBMTTQ)")
    assert "the eight key posts (party secretary to front chair)" in facts_text(facts, "en")
    assert facts_text({"key_positions": "core3"}, "vi").endswith("Chủ tịch UBND, Chủ tịch UBMTTQ)")
    assert facts_text({"key_positions": "my_set"}, "vi").endswith("my_set")  # a pack's own set: as it is named


def test_an_impossible_as_of_date_names_its_month_in_the_reader_s_language() -> None:
    from click.testing import CliRunner

    from cadre_rules._cli import cli

    sample = Path(__file__).parents[1] / "examples" / "hanoi-2025"
    vi = CliRunner().invoke(cli, ["evaluate", str(sample), "--as-of", "31/02/2026", "--lang", "vi"])
    assert vi.exit_code == 2 and "Traceback" not in vi.output
    assert "'31/02/2026' không phải là ngày hợp lệ: ngày không tồn tại: 31/02/2026 (tháng 2 năm 2026 có 28 ngày)" \
        in vi.stderr and "February" not in vi.stderr
    en = CliRunner().invoke(cli, ["evaluate", str(sample), "--as-of", "31/02/2026", "--lang", "en"])
    assert "(February has 28 days in 2026)" in en.stderr


def test_xlsx_findings_give_a_unit_finding_its_unit_name_for_a_filter() -> None:
    rows = list(_report_book()["Phát hiện"].iter_rows(values_only=True))
    header = rows[0]
    unit, name = header.index("Tên đơn vị"), header.index("Mã đối tượng")
    ward = [row for row in rows[1:] if row[unit] == "Phường Tương Mai"]
    # the ward's own finding and its people's, by one filter on "Tên đơn vị"
    assert {row[name] for row in ward} >= {"00322", "O0000"} and len(ward) == 1 + 1234
    city = next(row for row in rows[1:] if row[name] == "Hà Nội")
    assert city[unit] in (None, "")
