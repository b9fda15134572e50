"""The output formats of issue #5: jsonl, csv, xlsx, html, junit and sarif; several -o; the progress bar."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from datetime import datetime
from fractions import Fraction
from html import escape
from pathlib import Path
from types import MappingProxyType
from unittest import mock

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import _cli
from cadre_rules import report_to_dict
from cadre_rules.model._names import name_columns
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Metric
from cadre_rules.model._report_records import Names
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import Suppressed
from cadre_rules.render import _html
from cadre_rules.render import csv_pieces
from cadre_rules.render import html_pieces
from cadre_rules.render import jsonl_pieces
from cadre_rules.render import render_csv
from cadre_rules.render import render_html
from cadre_rules.render import render_jsonl
from cadre_rules.render import render_junit
from cadre_rules.render import render_sarif
from cadre_rules.render import render_xlsx
from cadre_rules.render import sarif_pieces
from cadre_rules.render._common import xml_text
from cadre_rules.render._csv import COLUMNS
from cadre_rules.render._csv import _guard
from cadre_rules.render._csv import _line
from cadre_rules.render._csv import unguard
from cadre_rules.report._report import compact_json
from conftest import EVERY_CONSTRUCT

AS_OF = date(2024, 6, 30)
RENDERERS = {"jsonl": render_jsonl, "csv": render_csv, "xlsx": render_xlsx, "html": render_html,
             "junit": render_junit, "sarif": render_sarif}
EXTENSIONS = {"text": "txt", "json": "json", "jsonl": "jsonl", "csv": "csv", "xlsx": "xlsx", "html": "html",
              "pdf": "pdf", "junit": "xml", "sarif": "sarif"}


def _finding(pack: str, rule: str, family: str, severity: str, kind: str, subject: str, scope: str, message: str,
             **facts: object) -> Finding:
    return Finding(pack, rule, family, severity, kind, subject, scope, message,  # type: ignore[arg-type]
                   f"cite of {rule}", facts)  # type: ignore[arg-type]


FINDINGS = (
    _finding("p-one", "qualification.degree", "qualification", "error", "official", "O1", "U1",
             '=HYPERLINK("x","click")', education="college"),
    _finding("p-one", "qualification.degree", "qualification", "error", "official", "O2", "U2",
             "Trình độ chuyên môn (college) chưa đạt đại học", education="college"),
    _finding("p-one", "quota.young", "quota", "warning", "scope", "Huyện Ba Vì", "Huyện Ba Vì",
             "Huyện Ba Vì: 5.0% <script>alert(1)</script> & more", needed=1, value=0.05),
    _finding("p-one", "quota.young", "quota", "warning", "scope", "Hà Nội", "Hà Nội", "-2 người; +3 @ city",
             needed=2),
    _finding("p-one", "staffing.vacancy", "staffing", "error", "unit", "U1", "U1", "@thiếu front_chair",
             vacant=["front_chair"]),
    _finding("p-two", "rotation.eligible", "rotation", "info", "official", "O9", "U9", "'=already guarded"),
)
METRICS = (
    Metric("p-one", "quota.young", "city", "Hà Nội", 3, 40, Fraction(1, 10), ">=", False),
    Metric("p-one", "quota.young", "district", "Huyện Ba Vì", 1, 20, Fraction(1, 10), ">=", False),
    Metric("p-one", "quota.young", "district", "Quận Đống Đa", 2, 20, Fraction(1, 10), ">=", True),
    Metric("p-one", "staffing.fill_rate", "unit", "U1", 6, 7, Fraction(1), ">=", False),
    Metric("p-one", "staffing.fill_rate", "unit", "U2", 7, 7, Fraction(1), ">=", True),
    Metric("p-one", "staffing.fill_rate", "unit", "U3", 0, 0, Fraction(1), ">=", None),
)
SET_ASIDE = _finding("p-one", "replacement.discipline", "replacement", "warning", "official", "O3", "U2", "kỷ luật")
REPORT = Report(AS_OF, (PackRef("p-one", "1.0", "a" * 64), PackRef("p-two", "2.0", "b" * 64)), 40, 3, "c" * 64,
                METRICS, FINDINGS, ("a note",), "Hà Nội", (Suppressed(SET_ASIDE, "p-two", "đã xử lý"),),
                {"U1": "Huyện Ba Vì", "U2": "Quận Đống Đa", "U3": "Quận Đống Đa"})
EMPTY = Report(AS_OF, (PackRef("p-one", "1.0", "a" * 64),), 0, 0, "c" * 64, (), ())


# --------------------------------------------------------------------------- every format


def test_builtin_renderers_are_registered_with_their_extensions() -> None:
    engine = Engine(packs=[], backend="reference", plugins=False)
    assert {name: r.extension for name, r in engine.plugins.renderers.items()} == EXTENSIONS
    streamed = {"jsonl": jsonl_pieces, "csv": csv_pieces, "sarif": sarif_pieces,  # written as they come
                "html": html_pieces}
    # each loaded with its module when first called (tests/test_import_time.py): the function it loads
    assert all(engine.plugins.renderers[name].render.function is streamed.get(name, RENDERERS[name])  # type: ignore[attr-defined]
               for name in RENDERERS)


@pytest.mark.parametrize("report", [REPORT, EMPTY], ids=["findings", "empty"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_streamed_pieces_join_to_the_rendered_output(report: Report, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cadre_rules.report._report.CHUNK", 2)  # several pieces from the few findings of REPORT
    csv_parts = list(csv_pieces(report, lang))
    jsonl_parts = list(jsonl_pieces(report, lang))
    assert all(isinstance(p, bytes) for p in [*csv_parts, *jsonl_parts])
    assert b"".join(csv_parts) == render_csv(report, lang)
    assert b"".join(jsonl_parts).decode() == render_jsonl(report, lang)
    sarif = b"".join(sarif_pieces(report, lang)).decode()
    assert sarif == render_sarif(report, lang)
    # the results, a chunk at a time, are the text json writes for the whole document
    assert sarif == json.dumps(json.loads(sarif), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if report is REPORT:  # the findings two at a time, then the notices and the report's basis
        assert len(csv_parts) == len(jsonl_parts) == -(-len(FINDINGS) // 2) + 1
    monkeypatch.setattr(_html, "_ROWS", 2)
    html_parts = list(html_pieces(report, lang))
    assert all(isinstance(p, str) for p in html_parts) and "".join(html_parts) == render_html(report, lang)
    assert sum(p.count('<tr><td class="sev-') for p in html_parts) == len(report.findings)
    # a findings table is written two rows at a time: five findings of one rule, in three pieces
    many = attrs.evolve(report, findings=(FINDINGS[0],) * 5)
    rows = [p.count('<tr><td class="sev-') for p in html_pieces(many, lang)]
    assert [n for n in rows if n] == [2, 2, 1]


@pytest.mark.parametrize("name", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_renderers_are_deterministic(name: str, lang: str) -> None:
    first = RENDERERS[name](REPORT, lang)
    assert isinstance(first, (str, bytes))
    assert first == RENDERERS[name](REPORT, lang)
    empty = RENDERERS[name](EMPTY, lang)
    assert empty == RENDERERS[name](EMPTY, lang)


# --------------------------------------------------------------------------- jsonl


def test_jsonl_has_one_finding_per_line_like_the_json_report() -> None:
    text = render_jsonl(REPORT)
    lines = text.splitlines()
    assert text.endswith("\n")
    assert len(lines) == len(FINDINGS) + 1
    basis = json.loads(lines.pop())  # last, what the report rests on
    assert (basis["rule"], basis["subject"]["kind"]) == ("report.basis", "report")
    assert basis["facts"]["packs"] == [{"id": "p-one", "version": "1.0", "sha256": "a" * 64},
                                       {"id": "p-two", "version": "2.0", "sha256": "b" * 64}]
    assert basis["facts"]["input"]["sha256"] == "c" * 64 and basis["facts"]["as_of"] == "2024-06-30"
    doc = report_to_dict(REPORT)
    cites = {(p["id"], rule): cite for p in doc["packs"] for rule, cite in p["cites"].items()}  # type: ignore[index, union-attr]
    # each line: the report's finding with its rule's citation (the report gives it once per pack)
    assert [json.loads(line) for line in lines] == [
        {**f, "cite": f.get("cite", cites.get((f["pack"], f["rule"])))} for f in doc["findings"]]  # type: ignore[union-attr]
    assert all(list(json.loads(line))[-2:] == ["cite", "facts"] for line in lines)
    assert "Huyện Ba Vì" in lines[2]  # UTF-8 kept, not \u escapes
    assert [json.loads(line)["rule"] for line in render_jsonl(EMPTY).splitlines()] == ["report.basis"]


# --------------------------------------------------------------------------- csv


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_round_trips_with_bom_header_and_formula_guard() -> None:
    data = render_csv(REPORT)
    assert b"\r\n" in data
    rows = _csv_rows(data)
    assert tuple(rows[0]) == COLUMNS == ("pack", "rule", "family", "severity", "subject_kind", "subject_id",
                                         "subject_name", "position", "unit_name", "scope_id", "message", "cite",
                                         "facts")
    assert len(rows) == 1 + len(FINDINGS) + 1
    assert rows.pop()[:5] == ["cadre-rules", "report.basis", "", "info", "report"]  # last, what the report rests on
    for row, f in zip(rows[1:], FINDINGS, strict=True):
        assert [unguard(c) for c in row[:12]] == [f.pack, f.rule, f.family, f.severity, f.subject_kind, f.subject_id,
                                                   "", "", "", f.scope_id, f.message, f.cite]  # (a report without names)
        assert json.loads(row[12]) == dict(f.facts)
    messages = [row[10] for row in rows[1:]]
    # no cell a spreadsheet would run as a formula
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert messages[0] == "'=HYPERLINK(\"x\",\"click\")"
    assert messages[3] == "'-2 người; +3 @ city"
    assert messages[4] == "'@thiếu front_chair"
    assert messages[5] == "''=already guarded"  # an apostrophe already there is kept: unguard gives it back
    assert messages[1] == "Trình độ chuyên môn (college) chưa đạt đại học"
    assert [row[1] for row in _csv_rows(render_csv(EMPTY))] == ["rule", "report.basis"]


def test_csv_facts_are_compact_json() -> None:
    rows = _csv_rows(render_csv(REPORT))
    assert rows[5][12] == '{"vacant":["front_chair"]}'
    assert rows[6][12] == "{}"


#: Texts that quoting and the formula guard must handle: delimiters, quotes, line ends, formula starts.
CELL_TEXT = (st.lists(st.sampled_from([*',"\r\n\t=+-@\' ', "a", "é", "Hà Nội", "\u2028"]), max_size=6).map("".join)
             | st.text(max_size=8))


@settings(max_examples=60)
@given(st.lists(CELL_TEXT, min_size=2, max_size=6))
def test_a_csv_line_is_the_csv_modules(texts: list[str]) -> None:
    """:func:`_line` writes what ``csv.writer`` writes for the guarded cells (rows of two cells or more)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([_guard(t) for t in texts])
    assert _line(texts) == out.getvalue()


def _csv_reference(report: Report) -> bytes:
    """The CSV of ``report`` written by the csv module, a row per finding as :mod:`cadre_rules.render._csv` says."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        writer.writerow([_guard(c) for c in (f.pack, f.rule, f.family, f.severity, f.subject_kind, f.subject_id,
                                              *name_columns(report.names, f), f.scope_id, f.message, f.cite,
                                              compact_json(dict(f.facts)))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@settings(max_examples=40)
@given(st.lists(st.tuples(CELL_TEXT, CELL_TEXT, st.dictionaries(st.text(max_size=4), st.none() | st.integers()
                                                                  | st.floats(allow_nan=False, allow_infinity=False)
                                                                  | CELL_TEXT, max_size=3)), max_size=7),
       st.integers(1, 3), st.booleans())
def test_the_csv_findings_are_the_csv_modules(cells: list[tuple[str, str, dict[str, object]]], chunk: int,
                                              proxied: bool) -> None:
    findings = tuple(Finding("p", rule, "quota", "info", "official", f"O{i}", "U1", message, "cite",  # type: ignore[arg-type]
                             MappingProxyType(facts) if proxied else facts)  # type: ignore[arg-type]
                     for i, (rule, message, facts) in enumerate(cells))
    report = attrs.evolve(REPORT, findings=findings, suppressed=(),
                          names=Names({"O1": ("=Nguyễn, \"A\"", "party_secretary", "U1")}, {"U1": "Xã\r\nCao Viên"}))
    with mock.patch("cadre_rules.report._report.CHUNK", chunk):
        data = render_csv(report)
    assert data.startswith(_csv_reference(report))  # then the rows of the notices and the basis
    assert data.endswith(b"\r\n") and data.count(b"report.basis") == 1


# --------------------------------------------------------------------------- xlsx


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_the_sheets_frozen_headers_and_filters() -> None:
    wb = _workbook(render_xlsx(REPORT, "en"))
    assert wb.sheetnames == ["summary", "by_person", "metrics", "findings", "vacancies", "staffing", "quota", "qualification",
                             "rotation", "replacement", "suppressed"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(cell.font.bold for cell in ws[1]), ws.title
        assert ws.column_dimensions["A"].width >= 8
    findings = wb["findings"]
    assert [c.value for c in findings[1]] == ["Pack", "Rule", "Rule name", "Family", "Severity", "Subject kind",
                                              "Subject id", "Scope id", "District", "Message",
                                              "More needed, replacing others", "More needed, if added", "Cite", "Facts"]
    assert findings.max_row == 1 + len(FINDINGS)
    assert findings.auto_filter.ref == f"A1:N{1 + len(FINDINGS)}"
    assert findings.column_dimensions["J"].width > findings.column_dimensions["E"].width
    assert wb["qualification"].max_row == 3
    assert wb["rotation"].max_row == 2
    assert wb["replacement"].max_row == 1  # header only: its one finding was set aside
    assert [c.value for c in wb["suppressed"][2]][-2:] == ["p-two", "đã xử lý"]
    # districts come from the report's unit → district map
    assert [row[8] for row in findings.iter_rows(min_row=2, values_only=True)] == [
        "Huyện Ba Vì", "Quận Đống Đa", "Huyện Ba Vì", None, "Huyện Ba Vì", None]


def test_xlsx_cells_are_data_never_formulas() -> None:
    wb = _workbook(render_xlsx(REPORT))
    cell = wb["Phát hiện"]["J2"]
    assert cell.value == '=HYPERLINK("x","click")'
    assert cell.data_type == "s"
    # the facts as readable text, codes as their labels (not raw JSON)
    assert wb["Phát hiện"]["N6"].value == "chức danh còn trống: Chủ tịch UBMTTQ"
    assert _workbook(render_xlsx(REPORT, "en"))["findings"]["N6"].value == "vacant posts: Front chair"


def test_xlsx_metrics_and_summary() -> None:
    wb = _workbook(render_xlsx(REPORT, "vi"))
    assert wb.sheetnames == ["Tổng hợp", "Theo người", "Chỉ số", "Phát hiện", "Chức danh còn trống", "Bố trí chức danh",
                             "Tỷ lệ cơ cấu", "Tiêu chuẩn", "Luân chuyển", "Thay thế, miễn nhiệm", "Miễn trừ"]
    metrics = wb["Chỉ số"]
    assert [c.value for c in metrics[1]][:5] == ["Gói", "Chỉ số", "Cấp", "Phạm vi", "Quận/huyện"]
    rows = list(metrics.iter_rows(min_row=2, values_only=True))
    # 3 of 40 against 10 %: 1 more if replacing another, 2 more if added (4/41 < 10 % <= 5/42)
    # the comparison as a person reads it in Vietnamese; English keeps the code, for scripts
    assert rows[0] == ("p-one", "Cán bộ chủ chốt dưới 35 tuổi", "thành phố", "Hà Nội", None, 3, 40, 0.075, 0.1,
                       "≥", "không", 1, 2)
    assert next(_workbook(render_xlsx(REPORT, "en"))["metrics"].iter_rows(min_row=2, values_only=True))[9] == ">="
    assert [c.value for c in wb["Phát hiện"][2]][1:6] == ["qualification.degree", "Trình độ chuyên môn chưa đạt đại học",
                                                          "Tiêu chuẩn chức danh", "cần xử lý", "cán bộ, công chức"]
    assert rows[3][4] == "Huyện Ba Vì"
    assert rows[5][7] is None and rows[5][10] is None  # empty scope: no value, not decided
    assert metrics["H2"].number_format == "0.0%"
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Ngày đánh giá"] == datetime(2024, 6, 30)
    assert wb["Tổng hợp"]["B2"].number_format == "dd/mm/yyyy"
    assert summary["Cần xử lý"] == 3 and summary["Lưu ý"] == 2 and summary["Thông tin"] == 1
    assert summary["Ghi chú"] == "a note"


def test_xlsx_bytes_are_stable() -> None:
    data = render_xlsx(REPORT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2024-06-30T00:00:00Z") == 2
    wb = _workbook(data)
    assert wb.properties.created == wb.properties.modified == datetime(2024, 6, 30)


def test_xlsx_of_an_empty_report_opens() -> None:
    wb = _workbook(render_xlsx(EMPTY, "en"))
    assert wb.sheetnames[:4] == ["summary", "by_person", "metrics", "findings"]
    assert wb["findings"].max_row == 1
    assert _workbook(render_xlsx(EMPTY, "vi")).sheetnames[:4] == ["Tổng hợp", "Theo người", "Chỉ số", "Phát hiện"]


# --------------------------------------------------------------------------- html


def test_html_is_one_self_contained_page() -> None:
    page = render_html(REPORT)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"vi\"")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"""\s(src|href|action|xlink:href)=["'](?!#|data:)""", page)
    assert not re.search(r"<(link|img|iframe|object|embed)\b(?![^>]*data:)", page)
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("<script>") == 2 and page.count("<style>") == 1


def test_html_escapes_report_text() -> None:
    page = render_html(REPORT)
    assert "<script>alert(1)</script>" not in page
    assert "<td>5.0% &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</td>" in page  # its scope is a column


def test_html_has_dashboards_tables_and_grouped_findings() -> None:
    page = render_html(REPORT)
    assert page.count('<svg class="chart"') == 1 + 1 + 2  # city, quota.young by district, two district cards
    assert 'id="district-filter"' in page and '<option value="Quận Đống Đa">' in page
    assert page.count('<table class="sortable">') >= 4
    # findings grouped: city first, then districts (Vietnamese order), then findings of no known district
    groups = re.findall(r'<details class="group"[^>]*><summary>([^<]*?) — ', page)
    assert groups == ["Hà Nội (toàn thành phố)", "Huyện Ba Vì", "Quận Đống Đa", "Không thuộc quận/huyện nào"]
    ba_vi = page.split('<details class="group" data-district="Huyện Ba Vì">')[1].split("</details>")[0]
    assert "O1" in ba_vi and "U1" in ba_vi and "O2" not in ba_vi
    assert "<h4>Tiêu chuẩn chức danh (1)</h4>" in ba_vi and "<h4>Bố trí chức danh (1)</h4>" in ba_vi
    assert 'id="suppressed"' in page and "đã xử lý" in page


def test_html_headings_follow_the_language() -> None:
    vi, en = render_html(REPORT, "vi"), render_html(REPORT, "en")
    assert "Tổng quan toàn thành phố" in vi and "City overview" not in vi
    assert "City overview" in en and "Findings by district and family" in en and '<html lang="en"' in en
    assert "Hà Nội (city-wide)" in en


def test_html_of_an_empty_report() -> None:
    page = render_html(EMPTY, "en")
    assert "No findings." in page and "No metrics." in page and "<svg" not in page


# --------------------------------------------------------------------------- junit


def test_junit_has_a_suite_per_pack_and_a_case_per_rule() -> None:
    root = ET.fromstring(render_junit(REPORT).encode())
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["p-one", "p-two"]
    cases = {c.get("name"): c for c in suites["p-one"].findall("testcase")}
    assert sorted(cases) == ["qualification.degree", "quota.young", "replacement.discipline",
                             "staffing.fill_rate", "staffing.vacancy"]
    assert all(c.get("classname") == "p-one" for c in cases.values())
    failure = cases["qualification.degree"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text is not None and "official O1 (U1)" in failure.text and "official O2 (U2)" in failure.text
    assert cases["quota.young"].find("failure").get("type") == "warning"  # type: ignore[union-attr]
    assert cases["staffing.fill_rate"].find("failure") is None  # a metric without findings passes
    out = cases["replacement.discipline"].find("system-out")
    assert cases["replacement.discipline"].find("failure") is None and out is not None
    assert "set aside by p-two: đã xử lý" in (out.text or "")
    info = suites["p-two"].find("testcase")
    assert info is not None and info.find("failure") is None and "O9" in (info.find("system-out").text or "")  # type: ignore[union-attr]
    assert (suites["p-one"].get("tests"), suites["p-one"].get("failures")) == ("5", "3")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "3", "0")
    assert suites["p-one"].get("timestamp") == "2024-06-30T00:00:00"


def test_junit_of_an_empty_report_passes() -> None:
    root = ET.fromstring(render_junit(EMPTY).encode())
    assert [s.get("name") for s in root] == ["p-one"]
    assert root.get("failures") == "0"


# --------------------------------------------------------------------------- sarif


def test_sarif_2_1_0_rules_and_results() -> None:
    doc = json.loads(render_sarif(REPORT))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cadre-rules"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and "p-one/qualification.degree" in ids and "p-one/replacement.discipline" in ids
    rule = driver["rules"][ids.index("p-one/staffing.vacancy")]
    assert rule["shortDescription"] == {"text": "cite of staffing.vacancy"}
    assert rule["properties"] == {"pack": "p-one", "family": "staffing", "cite": "cite of staffing.vacancy"}
    assert "helpUri" not in rule
    results = run["results"]
    assert len(results) == len(FINDINGS) + 1
    assert [r["level"] for r in results[:6]] == ["error", "error", "warning", "warning", "error", "note"]
    first = results[0]
    assert first["ruleId"] == "p-one/qualification.degree" and ids[first["ruleIndex"]] == first["ruleId"]
    assert first["message"] == {"text": '=HYPERLINK("x","click")'}
    assert first["locations"] == [{"logicalLocations": [{"name": "O1", "kind": "official",
                                                         "fullyQualifiedName": "U1/O1"}]}]
    assert "physicalLocation" not in json.dumps(results)
    assert results[-1]["suppressions"] == [{"kind": "external", "justification": "p-two: đã xử lý"}]
    assert run["properties"]["as_of"] == "2024-06-30"


# --------------------------------------------------------------------------- the engine's progress hook


def _population(n: int) -> tuple[list[Official], list[Unit]]:
    units = [Unit(f"U{i}", f"Xã {i}", "commune", 1, "Ba Vì") for i in range(10)]
    officials = [Official(f"O{i}", f"Người {i}", "male", date(1980, 1, 1), f"U{i % 10}", "office_statistics",
                          "university", "intermediate") for i in range(n)]
    return officials, units


def test_engine_reports_progress_every_thousand_officials() -> None:
    officials, units = _population(2300)
    engine = Engine(packs=[EVERY_CONSTRUCT], backend="reference", plugins=False)
    calls: list[int] = []
    report = engine.evaluate(officials, units, AS_OF, progress=calls.append)
    assert calls == [1000, 2000, 2300]
    assert report == engine.evaluate(officials, units, AS_OF)


# --------------------------------------------------------------------------- the command line

OFFICIALS_CSV = """id,full_name,gender,birth_date,unit,position,education,political_theory
O1,Nguyễn Văn A,male,1970-01-01,X01,party_secretary,college,advanced
O2,Trần Thị B,female,1995-01-01,X01,committee_chair,university,advanced
"""
UNITS_CSV = """code,name,kind,class,district,has_council
X01,Xã An Khánh,commune,1,Hoài Đức,true
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "officials.csv").write_text(OFFICIALS_CSV, encoding="utf-8")
    (directory / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    return directory


def _evaluate(data: Path, *args: str | Path) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(_cli.cli, ["evaluate", str(data), "--pack", str(EVERY_CONSTRUCT), "--as-of",
                                           "2025-06-30", "--backend", "reference", *map(str, args)],
                                catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_several_outputs_take_their_format_from_the_extension(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    names = ["r.html", "r.XLSX", "r.csv", "r.jsonl", "junit.xml", "r.sarif", "r.json", "r.txt"]
    code, stdout, stderr = _evaluate(data, *(a for n in names for a in ("-o", out / n)), "--fail-on", "never")
    assert (code, stdout, stderr) == (0, b"", "")
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert _workbook((out / "r.XLSX").read_bytes()).sheetnames[0] == "summary"
    assert (out / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfpack,rule,")
    assert all(json.loads(line) for line in (out / "r.jsonl").read_text(encoding="utf-8").splitlines())
    assert ET.fromstring((out / "junit.xml").read_bytes()).tag == "testsuites"
    assert json.loads((out / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert json.loads((out / "r.json").read_text(encoding="utf-8"))["schema"] == "cadre-rules/report/v3"
    assert (out / "r.txt").read_text(encoding="utf-8").startswith("cadre-rules report")


def test_format_is_for_stdout_and_unknown_extensions(data: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    other = tmp_path / "report.out"
    code, stdout, _ = _evaluate(data, "--format", "jsonl", "-o", html, "-o", "-", "-o", other, "--fail-on", "never")
    assert code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stdout.decode("utf-8") == other.read_text(encoding="utf-8")
    assert all(json.loads(line)["pack"] for line in stdout.decode("utf-8").splitlines())


def test_binary_format_on_stdout(data: Path) -> None:
    code, stdout, _ = _evaluate(data, "--format", "xlsx", "--fail-on", "never")
    assert code == 0 and stdout.startswith(b"PK")
    assert "findings" in _workbook(stdout).sheetnames  # English (the tests' locale): the machine names


def test_progress_bar_only_on_a_terminal_and_not_with_quiet(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cli, "PROGRESS_MIN", 1)
    _, _, stderr = _evaluate(data, "--fail-on", "never")
    assert "Evaluating" not in stderr  # stderr is not a terminal
    monkeypatch.setattr(_cli, "_stderr_terminal", lambda: True)
    _, _, stderr = _evaluate(data, "--fail-on", "never")
    assert "Evaluating" in stderr
    _, _, stderr = _evaluate(data, "--fail-on", "never", "--quiet")
    assert stderr == ""
    monkeypatch.setattr(_cli, "PROGRESS_MIN", 3)  # two officials: too few for a bar
    _, _, stderr = _evaluate(data, "--fail-on", "never")
    assert stderr == ""


@settings(max_examples=80)
@given(CELL_TEXT | st.text(st.characters(max_codepoint=0x20) | st.sampled_from("&<>\"'\ufffe\uffff\ufffd"),
                           max_size=8) | st.integers())
def test_html_text_is_escaped_and_xml_clean(value: object) -> None:
    """The html renderer's text: what ``html.escape`` gives for the text without XML's forbidden characters,
    whether or not the text holds one (most do not, and are returned as they are)."""
    assert _html._e(value) == escape(xml_text(str(value)), quote=True)


@pytest.mark.parametrize("facts", [{"share": 1e-05, "nested": [1.5e-7, 0.25]},
                                   {"share": 1e-05, "big": 10**30, "nested": [1.5e-7, 0.25]}], ids=["floats", "big"])
def test_sarif_writes_the_numbers_of_facts_as_json_does(facts: dict[str, object]) -> None:
    """The only floats of a SARIF result are in its facts: written as json writes them (1e-05, not 1e-5), and an
    integer beyond 64 bits too."""
    report = attrs.evolve(REPORT, findings=(
        _finding("p-one", "quota.young", "quota", "info", "scope", "Hà Nội", "Hà Nội", "m", **facts),),
        suppressed=(Suppressed(_finding("p-two", "quota.old", "quota", "info", "scope", "Hà Nội", "Hà Nội", "m",
                                        **facts), "p-two", "đã xử lý"),))
    sarif = render_sarif(report)
    assert sarif == json.dumps(json.loads(sarif), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    assert sarif.count('"share": 1e-05') == 2 and sarif.count("1.5e-07") == 2
    assert sarif.count('"big": 1000000000000000000000000000000') == (2 if "big" in facts else 0)
