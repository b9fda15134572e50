"""The officer's report by person (session 17): one row per official with every finding about them, most severe
first, each as its message with its rule's name, in the workbook (a sheet right after the summary) and the HTML
page (a folded section after the summary); units' and scopes' findings stay on the other sheets."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli

ROOT = Path(__file__).parent.parent
SAMPLE_2025 = ROOT / "examples" / "hanoi-2025"
SAMPLE_2022 = ROOT / "examples" / "hanoi-2022"
RANK = {"error": 0, "warning": 1, "info": 2}
VI_SEVERITY = {"error": "cần xử lý", "warning": "lưu ý", "info": "thông tin"}
VI_HEADER = ("STT", "Họ và tên", "Chức danh", "Đơn vị", "Mức độ cao nhất", "Số phát hiện",
             "Nội dung phát hiện (xếp từ mức cao nhất)", "Quy tắc", "Mã cán bộ", "Mã đơn vị")


def _write(tmp: Path, names: tuple[str, ...], data: Path, as_of: str, *args: str) -> dict[str, Path]:
    """One evaluation written to the files ``names`` (``-o`` each, the format its extension names)."""
    outs = {name: tmp / name for name in names}
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--as-of", as_of,
                                      *(arg for out in outs.values() for arg in ("-o", str(out))), *args])
    assert result.exit_code in (0, 1), result.output
    return outs


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("by-person")
    day = "2025-12-31"
    # (one evaluation per language and redaction, written in each format it is read in)
    named = _write(tmp, ("r.json", "r.xlsx", "r.html"), SAMPLE_2025, day, "--lang", "vi")
    redacted = _write(tmp, ("redact.xlsx", "redact.html"), SAMPLE_2025, day, "--lang", "vi", "--redact")
    return {
        "json": named["r.json"],
        "xlsx": named["r.xlsx"],
        "en.xlsx": _write(tmp, ("en.xlsx",), SAMPLE_2025, day, "--lang", "en")["en.xlsx"],
        "redact.xlsx": redacted["redact.xlsx"],
        "html": named["r.html"],
        "redact.html": redacted["redact.html"],
        "2022.xlsx": _write(tmp, ("2022.xlsx",), SAMPLE_2022, "2024-06-30", "--lang", "vi")["2022.xlsx"],
    }


def _officials(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The report's official findings by official id, most severe first (report order within a severity)."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in report["findings"]:
        if f["subject"]["kind"] == "official":
            found[f["subject"]["id"]].append(f)
    return {ident: sorted(fs, key=lambda f: RANK[f["severity"]]) for ident, fs in found.items()}


def _rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)  # (the same values; the 2022 sample's book read in 1/6 the time)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()


def test_the_sheet_follows_the_summary_one_row_per_official_with_every_finding(files: dict[str, Path]) -> None:
    report = json.loads(files["json"].read_text(encoding="utf-8"))
    people = _officials(report)
    book = openpyxl.load_workbook(files["xlsx"])
    assert book.sheetnames[:3] == ["Tổng hợp", "Theo người", "Chỉ số"]
    sheet = book["Theo người"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:J{len(people) + 1}"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["G2"].alignment.wrap_text and sheet["H2"].alignment.wrap_text
    assert sheet["G2"].alignment.vertical == "top"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == VI_HEADER
    body = rows[1:]
    assert [r[0] for r in body] == list(range(1, len(people) + 1))
    ids = [r[8] for r in body]
    assert len(ids) == len(set(ids)) == len(people) == 1426  # one row per official, none twice
    assert set(ids) == set(people)  # units' and scopes' findings (vacancies, quotas) are no one's
    assert sum(r[5] for r in body) == sum(map(len, people.values())) == 1449
    for row in body:
        found = people[row[8]]
        subject = found[0]["subject"]
        assert row[1:4] == (subject["name"], subject["position"], subject["unit_name"])
        assert row[4] == VI_SEVERITY[found[0]["severity"]] and row[5] == len(found)
        assert row[6].split("\n") == [f"{VI_SEVERITY[f['severity']].capitalize()}: {f['message']}" for f in found]
        assert [line.rpartition(" (")[2].rstrip(")") for line in row[7].split("\n")] == [f["rule"] for f in found]
        assert row[9] == found[0]["scope_id"]
    # the official of the docstring's example: a KHTNV rating gives three findings of two families, one row
    khtnv = next(r for r in body if r[8] == "HN09832-071")
    # (a warning since hanoi-de-an-34@2025.07.3: Đề án 34 after 2025 is Low; an error before, session 18)
    assert khtnv[4:6] == ("lưu ý", 4)
    assert khtnv[6].split("\n")[0] == "Lưu ý: Năm 2025 xếp loại không hoàn thành nhiệm vụ: kiên quyết thay thế"
    assert khtnv[7].split("\n")[:3] == [
        "Xếp loại không hoàn thành nhiệm vụ (replacement.not_completed)",
        "Công chức không hoàn thành nhiệm vụ (replacement.civil_servant_not_completed)",
        "Thuộc diện tinh giản biên chế (replacement.streamlining)"]


def _letters(text: str) -> tuple[str, str]:
    """A Vietnamese name sorted as a reader expects: its letters without their marks (đ as d) first."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D").casefold(), text


def test_rows_are_sorted_by_unit_then_severity_then_name(files: dict[str, Path]) -> None:
    body = _rows(files["xlsx"], "Theo người")[1:]
    severity = {word: RANK[code] for code, word in VI_SEVERITY.items()}
    keys = [(_letters(r[3]), r[9], severity[r[4]], _letters(r[1]), r[8]) for r in body]
    assert keys == sorted(keys)
    units = list(dict.fromkeys(r[3] for r in body))
    assert units[:3] == ["Phường Ba Đình", "Phường Bạch Mai", "Phường Bồ Đề"]  # by name, marks aside
    first = body[[r[3] for r in body].index("Xã Bình Minh")]
    assert first[4] == "cần xử lý"  # the unit's most severe first (its key official without a degree)


def test_a_report_with_districts_sorts_by_district_and_names_it(files: dict[str, Path]) -> None:
    rows = _rows(files["2022.xlsx"], "Theo người")
    assert rows[0][:6] == ("STT", "Họ và tên", "Chức danh", "Đơn vị", "Quận/huyện", "Mức độ cao nhất")
    districts = [r[4] for r in rows[1:]]
    assert len(set(districts)) > 10
    assert [d for i, d in enumerate(districts) if i == 0 or districts[i - 1] != d] == list(dict.fromkeys(districts))


def test_english_headers_and_the_sheets_machine_name(files: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(files["en.xlsx"])
    assert book.sheetnames[:3] == ["summary", "by_person", "metrics"]
    rows = list(book["by_person"].iter_rows(values_only=True))
    assert rows[0] == ("No.", "Full name", "Position", "Unit", "Highest severity", "Number of findings",
                       "Findings, most severe first", "Rules", "Official id", "Unit code")
    khtnv = next(r for r in rows if r[8] == "HN09832-071")
    assert khtnv[4] == "warning"  # the code, as the other English sheets keep it
    assert khtnv[6].startswith("Warning: ") and "replacement.not_completed" in khtnv[7]


def test_a_redacted_workbook_lists_ids_only(files: dict[str, Path]) -> None:
    named = _rows(files["xlsx"], "Theo người")
    rows = _rows(files["redact.xlsx"], "Theo người")
    assert rows[0] == ("STT", "Mức độ cao nhất", "Số phát hiện", "Nội dung phát hiện (xếp từ mức cao nhất)",
                       "Quy tắc", "Mã cán bộ", "Mã đơn vị")
    assert len(rows) == len(named)
    assert {r[5] for r in rows[1:]} == {r[8] for r in named[1:]}
    cells = "\n".join(str(c) for r in rows for c in r)
    for person in named[1:40]:
        assert person[1] not in cells  # no official's name
    assert "Phường Ba Đình" not in cells  # nor a unit's


def test_the_html_page_has_the_section_folded_after_the_summary(files: dict[str, Path]) -> None:
    report = json.loads(files["json"].read_text(encoding="utf-8"))
    people = _officials(report)
    page = files["html"].read_text(encoding="utf-8")
    start = page.index('<section id="by-person"><details class="group"><summary>')
    assert page.index("</header>") < start < page.index('<section id="city">')
    assert '<a href="#by-person">Theo người</a>' in page
    section = page[start:page.index("</section>", start)]
    assert "Theo người: 1.426 cán bộ, công chức có phát hiện" in section
    # the page carries each finding once, in the findings' tables: the section is its table's head and a data
    # block, from which report.js builds its rows when the section is opened (tests/test_html_browser.py)
    assert section.count("<tr") == 1 and "HN09832-071" not in section
    findings = page[page.index('<section id="findings">'):]
    findings = findings[:findings.index("</section>")]
    rows = findings.split("<tr")[1:]
    cells = [r for r in rows if r.startswith("><td class=\"sev-")]  # the findings' rows, in page order
    assert len(cells) == len(report["findings"])
    data = json.loads(html.unescape(re.search(r'<script type="application/json" id="by-person-data">(.*?)</script>',
                                               section).group(1)))
    assert len(data["people"]) == len(people)
    assert sum(len(entry) - 1 for entry in data["people"]) == sum(map(len, people.values()))
    khtnv = next(entry for entry in data["people"] if "HN09832-071" in cells[entry[1]])
    assert len(khtnv) == 1 + 4 and all("HN09832-071" in cells[k] for k in khtnv[1:])
    label = re.search(r'<span class="name">(.*?)</span>', cells[khtnv[1]]).group(1)
    assert label[:khtnv[0]] == "Trịnh Đình Trung — Công chức"
    assert "Năm 2025 xếp loại không hoàn thành nhiệm vụ: kiên quyết thay thế" in cells[khtnv[1]]
    assert "(replacement.not_completed)" not in cells[khtnv[1]]  # (the rule's id on a line of its own there)
    assert "<small class=\"muted\">replacement.not_completed</small>" in cells[khtnv[1]]
    assert data["severity"] == {"error": "Cần xử lý", "warning": "Lưu ý", "info": "Thông tin"}
    redacted = files["redact.html"].read_text(encoding="utf-8")
    shown = redacted[redacted.index('<section id="by-person">'):]
    shown = shown[:shown.index("</section>")]
    assert "Trịnh Đình Trung" not in redacted
    assert all(entry[0] == 0 for entry in json.loads(re.search(r'id="by-person-data">(.*?)</script>',
                                                               shown).group(1))["people"])


class _Section(HTMLParser):
    """The text a browser without JavaScript shows of the section by person: inside its ``<noscript>`` (the
    parser reads a ``<noscript>``'s content as markup, as a browser with scripting off does), and the rows of
    its table's body."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <section id="by-person">: its depth of sections
        self.noscript = 0
        self.body_rows = 0
        self.said: list[str] = []
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and (self.depth or ("id", "by-person") in attrs):
            self.depth += 1
        elif self.depth and tag == "noscript":
            self.noscript += 1
        elif self.depth and tag == "tbody":
            self._body = True
        elif self._body and tag == "tr":
            self.body_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
        elif tag == "noscript" and self.noscript:
            self.noscript -= 1
        elif tag == "tbody":
            self._body = False

    def handle_data(self, data: str) -> None:
        if self.noscript and data.strip():
            self.said.append(" ".join(data.split()))


def _without_javascript(page: str) -> _Section:
    parser = _Section()
    parser.feed(page)
    parser.close()
    return parser


def test_without_javascript_the_section_by_person_says_where_the_same_list_is(files: dict[str, Path],
                                                                              tmp_path: Path) -> None:
    """Session 19: opened without JavaScript (a locked-down browser, a mail client's preview) the section's table
    had no row and no word. A ``<noscript>`` line in the reader's language says it needs JavaScript and names the
    xlsx report's sheet with the same list, as that workbook names it."""
    vi = _without_javascript(files["html"].read_text(encoding="utf-8"))
    assert vi.body_rows == 0  # (the rows are report.js's)
    assert vi.said == ["Danh sách này cần JavaScript để hiển thị, nhưng trình duyệt này không chạy JavaScript: xem "
                       'cùng danh sách (mỗi người một dòng) ở trang "Theo người" của báo cáo Excel '
                       "(-o bao-cao.xlsx)."]
    assert "Theo người" in openpyxl.load_workbook(files["xlsx"], read_only=True).sheetnames
    english = _write(tmp_path, ("en.html",), SAMPLE_2025, "2025-12-31", "--format", "html", "--lang", "en",
                     "--scope", "commune:Phường Ba Đình")["en.html"]
    en = _without_javascript(english.read_text(encoding="utf-8"))
    [line] = en.said
    assert line.startswith("This list is made by JavaScript, which this browser does not run")
    sheet = re.search(r'the sheet "([^"]+)" of the xlsx report \(-o report\.xlsx\)', line)
    assert sheet is not None and sheet.group(1) in openpyxl.load_workbook(files["en.xlsx"], read_only=True).sheetnames
