"""``--format pdf`` (issue #16 §6): an A4 PDF printed by Chromium, checked with poppler (pdfinfo, pdftoppm,
pdftotext); the format inferred from ``-o``'s extension, a contradicting ``--format`` refused, a binary format
never written to a terminal; which Chromium prints it (the headless shell first, #17); the print page laid out
for a meeting (every rule counted, the rules that fit listed whole, the rest said to be in the xlsx/html, #17).

Like the browser test, this never skips on its own: without a Chromium (chromium-headless-shell or chromium) or
poppler-utils it FAILS (scripts/test installs them from Debian); CADRE_RULES_NO_BROWSER=1 skips it explicitly on
a developer machine.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import _cli
from cadre_rules._cli import cli
from cadre_rules.errors import RenderError
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row
from cadre_rules.render import _pdf
from cadre_rules.render._common import message_of
from cadre_rules.render._html import render_html
from cadre_rules.render._labels import metric_name
from cadre_rules.render._pdf import CANDIDATES
from cadre_rules.render._pdf import chromium_command
from cadre_rules.render._pdf import find_chromium
from cadre_rules.render._pdf import html_to_pdf
from cadre_rules.render._pdf import print_html
from cadre_rules.render._pdf import render_pdf
from cadre_rules.render._print import PRINT_LINES
from cadre_rules.render._print import print_page
from cadre_rules.report._scope import scope_title

AS_OF = date(2024, 6, 30)
UNITS = [Unit("X1", "Xã Cao Viên", "commune", 3, "Thanh Oai", True), Unit("X2", "Xã Bích Hòa", "commune", 2,
                                                                               "Thanh Oai", True)]
POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair", "committee_chair",
         "committee_vice_chair")  # (no front_chair: a vacancy in each commune)


def _tools() -> None:
    if os.environ.get("CADRE_RULES_NO_BROWSER") == "1":
        pytest.skip("CADRE_RULES_NO_BROWSER=1: the PDF test is switched off explicitly")
    if find_chromium() is None:
        pytest.fail("no Chromium is installed (apt-get install chromium-headless-shell); this test must run")
    for tool, package in (("pdftoppm", "poppler-utils"), ("pdftotext", "poppler-utils")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (apt-get install {package}); this test must run")


def _people() -> list[Official]:
    return [Official(f"{unit.code}-{i}", "Đặng Văn Sơn", "male", date(1975 + 3 * i, 1, 1), unit.code, post,
                     "university", "advanced", general_education="upper_secondary", in_planning=i == 1)
            for unit in UNITS for i, post in enumerate(POSTS)]


def _report(lang: str = "vi") -> Report:
    return Engine(["hanoi-de-an-34", "hanoi-ke-hoach-188"], backend="reference", lang=lang).evaluate(
        _people(), UNITS, AS_OF)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    _tools()
    report = _report()
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render_pdf(report, "vi"))
    return report, path


def test_the_pdf_opens_and_every_page_renders(pdf: tuple[Report, Path]) -> None:
    _, path = pdf
    assert path.read_bytes().startswith(b"%PDF-")
    pages = _pages(path)
    assert pages >= 1
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    out = path.parent / "page"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(out)], check=True, capture_output=True)
    rendered = sorted(path.parent.glob("page-*.png"))
    assert len(rendered) == pages and all(p.stat().st_size > 0 for p in rendered)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded


def test_the_pdf_says_what_the_report_rests_on(pdf: tuple[Report, Path]) -> None:
    report, path = pdf
    text = _text(path)
    flat = " ".join(text.split())
    # the page margin's header: the as-of date written as the reader writes dates (dd/mm/yyyy in Vietnamese)
    as_of = f"{report.as_of.day:02d}/{report.as_of.month:02d}/{report.as_of.year}"
    assert f"Ngày đánh giá {as_of} · gói quy định" in flat, flat[:300]
    assert report.as_of.isoformat() not in flat
    for ref in report.packs:
        assert f"{ref.id}@{ref.version}" in flat
    assert report.input_sha256[:16] in flat
    assert re.search(r"trang 1 / \d+", flat), flat[:500]  # page numbers (Vietnamese: "trang")
    # Vietnamese text, extracted as such; the overview titled for what the report is about (data of one district)
    assert "Báo cáo cadre-rules" in flat and f"Tổng quan: {scope_title(report)}" in flat


def test_the_pdf_holds_metrics_vacancies_and_rotation_candidates(pdf: tuple[Report, Path]) -> None:
    report, path = pdf
    flat = " ".join(_text(path).split())
    for metric in report.metrics:  # by their names (#16 C)
        assert metric_name(metric.id, "vi") in flat
    vacancies = [f for f in report.findings if f.rule == "staffing.vacancy"]
    eligible = [f for f in report.findings if f.rule == "rotation.eligible"]
    assert vacancies and eligible
    for finding in (*vacancies, *eligible):
        assert finding.subject_id in flat  # (names come with #16 B: the report on this branch shows ids)
    young = next(f for f in report.findings if f.rule == "quota.women")  # (all men)
    assert message_of(young) in flat  # the quota finding, with what is needed (its scope named once, #16 C)
    assert f"{young.facts['needed']}" in flat


def test_the_format_follows_the_extension(tmp_path: Path) -> None:
    _tools()
    data = _data(tmp_path)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", AS_OF.isoformat(), "--pack", "hanoi-de-an-34",
                                      "--backend", "reference", "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and _pages(out) >= 1


def test_an_extension_contradicting_format_is_refused(tmp_path: Path) -> None:
    data = _data(tmp_path)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", AS_OF.isoformat(), "--format", "text",
                                      "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "report.pdf" in result.output and "--format" in result.output and "Traceback" not in result.output
    assert not out.exists()  # never text in a .pdf


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_binary_format_is_not_written_to_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      fmt: str) -> None:
    monkeypatch.setattr(_cli, "_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["evaluate", str(_data(tmp_path)), "--format", fmt])
    assert result.exit_code == 2, result.output
    assert "-o" in result.output and f"report.{fmt}" in result.output


def test_without_chromium_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(),
                                      "--backend", "reference", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "--format pdf" in result.output and "Chromium" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_chromium_that_cannot_run_says_why_in_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(cli, ["--lang", "vi", "evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(),
                                      "--backend", "reference", "-o", str(tmp_path / "report.pdf")])
    assert result.exit_code == 2, result.output
    assert "không chạy được Chromium" in result.output and "không có tệp hoặc thư mục này" in result.output
    assert "No such file" not in result.output


def test_the_html_report_prints_with_its_sections_open() -> None:
    html = render_html(_report("en"), "en")
    assert "@media print" in html and "details::details-content" in html  # print.css
    assert 'addEventListener("beforeprint"' in html  # report.js opens collapsed sections to print


def _data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    rows = ["id,full_name,gender,birth_date,unit,position,education,political_theory,in_planning"]
    rows += [f"X1-{i},Đặng Văn Sơn,nam,{1970 + i}-01-01,X1,{post},university,advanced,{'có' if i == 1 else 'không'}"
             for i, post in enumerate(POSTS)]
    (folder / "officials.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "units.csv").write_text("code,name,kind,class,district\nX1,Xã Cao Viên,commune,3,Thanh Oai\n",
                                      encoding="utf-8")
    return folder


def test_pdf_is_a_builtin_format() -> None:
    engine = Engine(packs=[], backend="reference", plugins=False)
    pdf = engine.plugins.renderers["pdf"]
    assert pdf.render.function is render_pdf and pdf.extension == "pdf"  # type: ignore[attr-defined] # loaded when used


# -- which Chromium prints (#17): the headless shell first, $CADRE_RULES_CHROMIUM above all -------------------

def _fake(folder: Path, name: str) -> Path:
    """An executable ``name`` in ``folder`` that records its arguments (each run's after a line ``@@run``) and
    writes a one-line "PDF"."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text('#!/bin/sh\necho @@run >> "$0.args"; printf "%s\\n" "$@" >> "$0.args"\n'
                    + 'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4 fake\\n" > "${a#*=}";; esac; '
                    "done\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _runs(fake: Path) -> list[list[str]]:
    """The arguments of each run of a :func:`_fake`."""
    text = Path(f"{fake}.args").read_text(encoding="utf-8")
    return [run.strip("\n").splitlines() for run in text.split("@@run\n") if run]


def test_the_headless_shell_is_chosen_before_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CADRE_RULES_CHROMIUM", raising=False)
    bin_ = tmp_path / "bin"
    browser = _fake(bin_, "chromium")
    monkeypatch.setenv("PATH", str(bin_))
    assert find_chromium() == str(browser)  # the browser alone: as before
    shell = _fake(bin_, "chromium-headless-shell")
    assert find_chromium() == str(shell)  # the headless shell, when both are installed
    assert CANDIDATES[0] == "chromium-headless-shell" and "chromium" in CANDIDATES


def test_cadre_rules_chromium_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = tmp_path / "bin"
    _fake(bin_, "chromium-headless-shell")
    mine = _fake(tmp_path / "mine", "my-chrome")
    monkeypatch.setenv("PATH", str(bin_))
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(mine))
    assert find_chromium() == str(mine)
    assert html_to_pdf("<p>.</p>") == b"%PDF-1.4 fake\n"  # printed by it
    [args] = _runs(mine)
    assert "--disable-pdf-tagging" in args and "--single-process" not in args
    assert any(a.startswith("--print-to-pdf=") for a in args) and args[-1].startswith("file://")


def test_the_headless_shell_prints_once_in_its_processes_untagged(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One run, in Chromium's ordinary processes: in one process (``--single-process``) the same page was laid out
    two ways from run to run (render/_pdf.py)."""
    monkeypatch.delenv("CADRE_RULES_CHROMIUM", raising=False)
    shell = _fake(tmp_path / "bin", "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert html_to_pdf("<p>.</p>").startswith(b"%PDF-")
    [args] = _runs(shell)
    assert {"--headless", "--disable-pdf-tagging", "--no-pdf-header-footer"} <= set(args)
    assert "--single-process" not in args
    command = chromium_command("/usr/bin/chromium", tmp_path / "p", tmp_path / "r.html", tmp_path / "r.pdf")
    assert "--single-process" not in command and "--disable-pdf-tagging" in command


def test_a_browser_that_fails_is_not_run_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = tmp_path / "chromium"
    browser.write_text('#!/bin/sh\necho run >> "$0.args"\necho "no display" >&2\nexit 1\n', encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(browser))
    with pytest.raises(RenderError) as caught:
        html_to_pdf("<p>.</p>")
    assert "exit code 1" in str(caught.value) or "mã thoát 1" in str(caught.value)
    assert "no display" in str(caught.value)
    assert Path(f"{browser}.args").read_text(encoding="utf-8") == "run\n"


@pytest.mark.parametrize(("lang", "says"), [("vi", "cần Chromium để in PDF"), ("en", "Chromium is needed")])
def test_without_any_chromium_the_error_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            lang: str, says: str) -> None:
    monkeypatch.delenv("CADRE_RULES_CHROMIUM", raising=False)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(), "--lang", lang,
                                      "--backend", "reference", "-o", str(out)])
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert says in flat and "apt-get install chromium-headless-shell fonts-dejavu-core" in flat, flat
    assert "Traceback" not in result.output and not out.exists()


# -- the print page for a meeting (#17): every rule counted, rules listed whole within the lines ----------------

def _plain(page: str) -> str:
    """The page's text: tags dropped, entities of the test data none, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _rule_rows(page: str) -> dict[tuple[str, str], tuple[str, str]]:
    """The table of rules: (rule id, severity word) -> (count, where); a rule's cell is its name and its id below
    it (or its id alone when it has no name)."""
    section = page[page.index('<section id="rules">'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r'<tr><td[^>]*>([^<]*)</td><td>(?:[^<]+<br><small class="muted">)?([^<]*)(?:</small>)?</td>'
                      r"<td[^>]*>([^<]*)</td><td>([^<]*)</td></tr>", section)
    assert len(rows) == section.count("<tr>") - 1  # every row read (the header aside)
    return {(rule, sev): (count, where) for sev, rule, count, where in rows}


def test_the_print_page_lists_every_finding_when_they_fit() -> None:
    report = _report()
    assert len(report.findings) <= PRINT_LINES
    page = print_page(report, "vi")
    rules = _rule_rows(page)
    assert rules == {("staffing.vacancy", "cần xử lý"): ("2", "liệt kê dưới đây"),
                     ("quota.women", "lưu ý"): ("2", "liệt kê dưới đây"),
                     ("rotation.eligible", "thông tin"): ("2", "liệt kê dưới đây")}
    flat = _plain(page)
    assert "Mọi phát hiện đều được liệt kê dưới đây." in flat and "không liệt kê" not in flat
    listed = page[page.index('<section id="findings">'):]
    for f in report.findings:
        assert f.subject_id in listed and message_of(f) in flat
    # most severe first: the errors' heading before the warnings', before the infos'
    assert listed.index("staffing.vacancy") < listed.index("quota.women") < listed.index("rotation.eligible")
    assert "<script" not in page and "<details" in page and " open>" in page  # nothing to run, every section open
    start = page.index('<section id="vacancies">')
    vacant = page[start:page.index("</section>", start)]
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", vacant)
    # the post and the total of the district the data cover (the report is titled for it), no column a district on
    # A4; then the units' table
    assert heads[:3] == ["Chức danh", "Thanh Oai", "Đơn vị"] and scope_title(report) == "Thanh Oai"
    assert "Thanh Oai" in vacant  # the units with vacant posts, with their district


def test_the_print_page_says_what_it_leaves_to_the_xlsx_and_html() -> None:
    report = _report("en")
    page = print_page(report, "en", lines=3)
    rules = _rule_rows(page)
    assert rules == {("staffing.vacancy", "error"): ("2", "listed below"), ("quota.women", "warning"): ("2", "xlsx, html"),
                     ("rotation.eligible", "info"): ("2", "xlsx, html")}  # the 2 errors fit; the warnings do not
    flat = _plain(page)
    assert ("To keep this PDF short for a meeting, 4 findings of 2 rules are counted above but not listed: every one "
            "is in the xlsx and html reports (-o report.xlsx, -o report.html).") in flat
    listed = page[page.index('<section id="findings">'):page.index('<section id="units">')]
    assert "Findings, one line each (2)" in _plain(listed)
    for f in report.findings:  # a rule is listed whole or not at all
        assert (f.subject_id in listed) == (f.rule == "staffing.vacancy"), f
    # the one line left cannot hold the 2 units with vacant posts, nor the 2 unit rates that miss their target
    assert flat.count("2 rows are not listed, to keep this PDF short: they are in the xlsx and html reports.") == 2
    whole = _plain(print_page(report, "en", lines=8))  # 2 + 2 + 2 findings, the 2 units: no room for the rates
    assert "Every finding is listed below." in whole and whole.count("rows are not listed") == 1


def test_the_print_page_counts_the_unit_rates_that_meet_their_target() -> None:
    people = [Official(f"X1-{i}", "Đặng Văn Sơn", "male", date(1975 + 3 * i, 1, 1), "X1", post, "university",
                       "advanced", general_education="upper_secondary") for i, post in enumerate(POSTS)]
    people.append(Official("X1-6", "Lê Thị Hoa", "female", date(1980, 1, 1), "X1", "front_chair", "university",
                           "advanced", general_education="upper_secondary"))
    report = Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(people, UNITS, AS_OF)
    rates = {m.scope_id: m.met for m in report.metrics if m.scope == "unit" and m.id == "staffing.fill_rate"}
    assert rates == {"X1": True, "X2": False}
    flat = _plain(print_page(report, "en"))
    assert "Unit rates that miss their target or have none (1)" in flat
    assert "1 unit rates meet their target: they are in the xlsx and html reports." in flat
    assert "X2 Xã Bích Hòa (Thanh Oai) · " in flat and "X1 Xã Cao Viên (Thanh Oai) · " not in flat  # named


def test_the_samples_pdf_lists_every_error_and_counts_the_rest(tmp_path: Path) -> None:
    _tools()
    sample = Path(__file__).parents[1] / "examples" / "hanoi-2022"
    engine = Engine()
    report = engine.evaluate(*engine.read(sample / "officials.csv", sample / "units.csv"), date(2024, 6, 30))
    page = print_html(report, "vi")
    rules = _rule_rows(page)
    assert sum(int(count.replace(".", "")) for count, _ in rules.values()) == len(report.findings) > PRINT_LINES
    listed = sum(int(count.replace(".", "")) for count, where in rules.values() if where == "liệt kê dưới đây")
    assert 0 < listed <= PRINT_LINES
    assert all(where == "liệt kê dưới đây" for (_, sev), (_, where) in rules.items() if sev == "cần xử lý")
    left = len(report.findings) - listed
    assert f"{left:,}".replace(",", ".") + " phát hiện của" in _plain(page)
    path = tmp_path / "sample.pdf"
    path.write_bytes(html_to_pdf(page))
    flat = " ".join(_text(path).split())
    errors = [f for f in report.findings if f.severity == "error"]
    assert all(f.subject_id in flat for f in errors)
    assert f"{left:,}".replace(",", ".") + " phát hiện của" in flat
    assert _pages(path) <= 12  # (every finding printed made 467 pages)


# -- --pdf-lines: the officer sets how many lines the PDF lists (the CLI, the API, the service) -----------------

def _copying(folder: Path) -> Path:
    """A "Chromium" that writes the page it is given as the PDF: the page's text can be read back."""
    folder.mkdir(exist_ok=True)
    path = folder / "chromium"
    path.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#*=}";; '
                    'file://*) page="${a#file://}";; esac; done\ncp "$page" "$out"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def _listed(page: str) -> int:
    """How many findings the page lists, one line each (0 without the section)."""
    if '<section id="findings">' not in page:
        return 0
    section = page[page.index('<section id="findings">'):]
    return section[:section.index("</section>")].count('<p class="line">')


@pytest.mark.parametrize(("option", "listed", "where"), [
    ((), 6, {"listed below"}),  # the default (300): every one of the 6 findings
    (("--pdf-lines", "4"), 4, {"listed below", "xlsx, html"}),  # the 2 errors and the 2 warnings; not the 2 infos
    (("--pdf-lines", "0"), 0, {"xlsx, html"}),  # the header, the metrics and each rule's count only
])
def test_pdf_lines_sets_how_many_lines_the_pdf_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     option: tuple[str, ...], listed: int, where: set[str]) -> None:
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(_copying(tmp_path / "bin")))
    data = tmp_path / "data"
    data.mkdir()
    for name, rows in (("officials", [official_to_row(o) for o in _people()]),
                       ("units", [unit_to_row(u) for u in UNITS])):
        with (data / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", AS_OF.isoformat(), "--lang", "en", "--pack",
                                      "hanoi-de-an-34", "--pack", "hanoi-ke-hoach-188", "--backend", "reference",
                                      "-o", str(out), "--fail-on", "never", *option])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    rules = _rule_rows(page)
    assert sum(int(count) for count, _ in rules.values()) == 6 and len(rules) == 3  # every rule counted, always
    assert _listed(page) == listed
    assert {w for _, w in rules.values()} == where
    flat = _plain(page)
    if listed < 6:
        assert (f"To keep this PDF short for a meeting, {6 - listed} findings of {(6 - listed) // 2} rules are counted "
                "above but not listed") in flat
    else:
        assert "Every finding is listed below." in flat


def test_render_pdf_takes_the_lines_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(_copying(tmp_path / "bin")))
    report = _report("en")
    assert _listed(render_pdf(report, "en").decode()) == 6
    assert _listed(render_pdf(report, "en", lines=2).decode()) == 2  # the 2 errors
    nothing = render_pdf(report, "en", lines=0).decode()
    assert _listed(nothing) == 0 and "6 findings of 3 rules are counted above but not listed" in _plain(nothing)
    for wrong in (-1, 1.5, "3", True):  # (an InputError located at lines, as every public function's arguments)
        with pytest.raises(InputError, match="lines: expected a whole number of 0 or more") as error:
            render_pdf(report, "en", lines=wrong)  # type: ignore[arg-type]
        shown = wrong if isinstance(wrong, str) else repr(wrong)  # (text as it is, as the readers show it)
        assert [(p.file, p.value) for p in error.value.problems] == [("lines", shown)]


@pytest.mark.parametrize(("args", "says"), [
    (("--pdf-lines", "-1"), "Giá trị không hợp lệ cho '--pdf-lines': -1 không nằm trong khoảng x>=0."),
    (("--pdf-lines", "1.5"), "Giá trị không hợp lệ cho '--pdf-lines': '1.5' không phải là số nguyên hợp lệ."),
    (("--pdf-lines", "10", "--format", "html"), "--pdf-lines chỉ dùng với định dạng pdf (-o report.pdf)"),
])
def test_a_wrong_pdf_lines_is_a_located_usage_error_in_vietnamese(tmp_path: Path, args: tuple[str, ...],
                                                                  says: str) -> None:
    result = CliRunner().invoke(cli, ["--lang", "vi", "evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(),
                                      *args])
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output


def test_pdf_lines_goes_with_a_pdf_among_other_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(_copying(tmp_path / "bin")))
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(), "--backend",
                                      "reference", "--fail-on", "never", "-o", str(html), "-o", str(pdf),
                                      "--pdf-lines", "0"])
    assert result.exit_code == 0, result.output
    assert _listed(pdf.read_text(encoding="utf-8")) == 0
    assert '<section id="findings">' in html.read_text(encoding="utf-8")  # the html lists every finding as before


def test_the_real_pdf_at_zero_lines_counts_every_rule_and_lists_none(tmp_path: Path) -> None:
    _tools()
    report = _report("en")
    path = tmp_path / "zero.pdf"
    path.write_bytes(render_pdf(report, "en", lines=0))
    flat = " ".join(_text(path).split())
    assert "Findings by rule (6)" in flat and "Findings, one line each" not in flat
    assert "6 findings of 3 rules are counted above but not listed" in flat
    assert all(f.subject_id not in flat for f in report.findings if f.subject_kind == "official")


# -- Chromium started while the data are read (#17): the page printed over its DevTools pipe ------------------

def _shows(folder: Path, present: bool = True, within: float = 10.0) -> bool:
    """Whether a process naming ``folder`` shows (``present``), or none does, waiting up to ``within`` seconds for
    it: a process just spawned shows once it runs its program; one killed, once the system has ended it."""
    import time

    deadline = time.monotonic() + within
    while bool(_ours(folder)) != present and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(_ours(folder)) == present


def _ours(folder: Path) -> list[str]:
    """The command lines of the running processes (zombies have none) that name ``folder``: a Chromium started
    with its profile there."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if str(folder) in cmdline:
                found.append(cmdline)
    return found


@pytest.fixture
def shm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a Chromium started early keeps its profile and page (instead of /dev/shm): looked into after."""
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr(_pdf, "_memory_folder", lambda: str(folder))
    return folder


def _pdf_facts(pdf: bytes, where: Path, name: str) -> tuple[int, list[str], str, list[list[str]], list[bytes]]:
    """Pages; the page size and whether it is tagged (pdfinfo); the text; the fonts (name, embedded, subset);
    the pages drawn (at 20 dpi)."""
    path = where / f"{name}.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    described = [line for line in info.splitlines() if line.startswith(("Page size:", "Tagged:"))]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = sorted([row[0], row[-5], row[-4]] for row in (line.split() for line in fonts.splitlines()[2:]) if row)
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(path), str(where / name)], check=True, capture_output=True)
    looks = [p.read_bytes() for p in sorted(where.glob(f"{name}-*.pgm"))]  # each page as it shows, in grey
    return _pages(path), described, _text(path), rows, looks


@pytest.mark.parametrize(("sample", "as_of"), [("hanoi-2022", date(2024, 6, 30)), ("hanoi-2025", date(2025, 12, 31))])
def test_printed_over_the_pipe_the_pdf_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shm: Path,
                                                   sample: str, as_of: date) -> None:
    """The bundled samples' pages printed by a Chromium started early (over the pipe, never by --print-to-pdf)
    and by --print-to-pdf: the same pages, text and embedded fonts."""
    _tools()
    folder = Path(__file__).parents[1] / "examples" / sample
    engine = Engine(plugins=False)
    officials, units = engine.read(next(folder.glob("officials.*")), next(folder.glob("units.*")))
    page = print_html(engine.evaluate(officials, units, as_of), "vi")
    ordinary = html_to_pdf(page)
    with _pdf.chromium_started():
        with monkeypatch.context() as patched:
            patched.setattr(subprocess, "run", _refused)  # (--print-to-pdf is run by subprocess.run)
            early = html_to_pdf(page)
        assert _ours(shm), "a Chromium started early runs until the end of the job"
    pages, described, text, fonts, looks = _pdf_facts(early, tmp_path, "early")
    assert (pages, described, text, fonts, looks) == _pdf_facts(ordinary, tmp_path, "ordinary")
    assert len(looks) == pages
    assert pages >= 5 and "Báo cáo cadre-rules" in text and len(described) == 2 and any("(A4)" in line for line in described)
    assert fonts and all(embedded == "yes" for _, embedded, _ in fonts), fonts
    assert _shows(shm, present=False) and not list(shm.iterdir())  # stopped, its folder removed


def _refused(*args: object, **kwargs: object) -> None:
    raise AssertionError("printed by --print-to-pdf, not over the pipe")


def test_a_job_leaves_no_chromium_running(tmp_path: Path, shm: Path) -> None:
    _tools()
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["evaluate", str(_data(tmp_path)), "--as-of", AS_OF.isoformat(), "--backend",
                                      "reference", "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and _pages(out) >= 1
    assert _shows(shm, present=False) and not list(shm.iterdir())


def test_a_service_job_prints_with_a_chromium_started_before_the_read(tmp_path: Path, shm: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``POST /v1/evaluate?format=pdf`` (a worker's job) starts its Chromium before the uploads are read, prints
    over its pipe (never --print-to-pdf), and leaves no Chromium and no folder."""
    from cadre_rules.service._worker import Job
    from cadre_rules.service._worker import Refusal
    from cadre_rules.service._worker import run_job

    _tools()
    data = _data(tmp_path)
    uploads = tuple((name, f"{name}.csv", (data / f"{name}.csv").read_bytes()) for name in ("officials", "units"))
    read = Engine.read

    def reading(self: Engine, *args: object) -> object:
        assert _shows(shm), "started before the read"
        return read(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "read", reading)
    monkeypatch.setattr(subprocess, "run", _refused)
    answer = run_job(Job(AS_OF, (), (), "vi", "pdf", False, "Hà Nội", False, uploads=uploads))
    assert not isinstance(answer, Refusal), answer
    assert answer.body.startswith(b"%PDF-")
    assert _shows(shm, present=False) and not list(shm.iterdir())


def test_a_job_that_fails_before_printing_stops_its_chromium(tmp_path: Path, shm: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad input (exit 2) and a Ctrl-C during the read: the Chromium started for the PDF is stopped, its
    folder removed."""
    _tools()
    data = _data(tmp_path)
    started = []
    original = _pdf._Started.__init__

    def counted(self: _pdf._Started, binary: str) -> None:
        original(self, binary)
        started.append(self.base)

    monkeypatch.setattr(_pdf._Started, "__init__", counted)
    (data / "officials.csv").write_text((data / "officials.csv").read_text(encoding="utf-8").replace(
        "1970-01-01", "1970-13-01"), encoding="utf-8")
    out = tmp_path / "report.pdf"
    args = ["evaluate", str(data), "--as-of", AS_OF.isoformat(), "--backend", "reference", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "1970-13-01" in result.output and "Traceback" not in result.output
    assert len(started) == 1 and not out.exists()
    assert _shows(shm, present=False) and not list(shm.iterdir())

    def interrupted(*args: object, **kwargs: object) -> None:
        assert _shows(shm)  # (started before the read)
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "read", interrupted)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and len(started) == 2 and not out.exists()
    assert _shows(shm, present=False) and not list(shm.iterdir())


_CHILD = """
import signal, sys, time
# (Ctrl-C raises KeyboardInterrupt, as in a terminal: a shell's background job starts with SIGINT ignored)
signal.signal(signal.SIGINT, signal.default_int_handler)
from cadre_rules.render import _pdf
_pdf._memory_folder = lambda: sys.argv[1]
with _pdf.chromium_started():
    print(_pdf._STARTED.get().base, flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("signal_", ["SIGINT", "SIGKILL"])
def test_chromium_ends_with_the_process_that_started_it(tmp_path: Path, signal_: str) -> None:
    """Ctrl-C (SIGINT): the started Chromium is stopped and its folder removed on the way out; the process
    killed outright (SIGKILL: no way out): Chromium ends by itself when its pipe closes."""
    import signal
    import sys
    import time

    _tools()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        base = Path(child.stdout.readline().strip())
        deadline = time.monotonic() + 30
        while not _ours(base) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ours(base), "Chromium started"
        child.send_signal(getattr(signal, signal_))
        child.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _ours(base) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _ours(base)
        assert base.exists() == (signal_ == "SIGKILL")  # (removed on a Ctrl-C; a killed process cannot)
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_a_chromium_that_cannot_be_driven_prints_the_ordinary_way(tmp_path: Path, shm: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A "Chromium" that ignores the pipe and exits, or one that never answers on it: the page is printed by
    --print-to-pdf, as if nothing had been started (after at most START_TIMEOUT); the silent one is stopped."""
    import sys
    import time

    shell = _fake(tmp_path / "bin", "chromium-headless-shell")
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(shell))
    with _pdf.chromium_started():
        assert html_to_pdf("<p>.</p>") == b"%PDF-1.4 fake\n"
    early, ordinary = _runs(shell)
    assert "--remote-debugging-pipe" in early and not any(a.startswith("--print-to-pdf") for a in early)
    assert "--disable-pdf-tagging" not in early and "--no-pdf-header-footer" not in early  # (refused with the pipe)
    assert "--single-process" not in early and "--remote-debugging-pipe" not in ordinary
    assert any(a.startswith("--print-to-pdf=") for a in ordinary)

    silent = tmp_path / "silent"
    sleeper = f"exec {sys.executable} -c 'import time; time.sleep(30)'"  # (its arguments in its command line)
    silent.write_text(f'#!/bin/sh\ncase "$*" in *--remote-debugging-pipe*) {sleeper} "$@";; esac\nexec {shell} "$@"\n',
                      encoding="utf-8")
    silent.chmod(0o755)
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(silent))
    monkeypatch.setattr(_pdf, "START_TIMEOUT", 0.5)
    began = time.monotonic()
    with _pdf.chromium_started():
        deadline = time.monotonic() + 10
        while not _ours(shm) and time.monotonic() < deadline:  # (its shell script runs, then Python, silent)
            time.sleep(0.02)
        assert _ours(shm)
        assert html_to_pdf("<p>.</p>") == b"%PDF-1.4 fake\n"
    assert time.monotonic() - began < 10
    assert _shows(shm, present=False) and not list(shm.iterdir())
