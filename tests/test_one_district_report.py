"""A report of one district (``--scope district:…``, or data of one district): no district filter of one choice,
no chart of one bar "by district", no table of one row; the district's metrics are the overview's (html and pdf)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules._cli import cli
from cadre_rules.io._io import load_officials
from cadre_rules.io._io import load_units
from cadre_rules.render._print import print_page
from cadre_rules.report._scope import scope_report
from subsets import sample_subset

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2022"
BA_VI = "Huyện Ba Vì"


def _one_district(target: Path) -> Path:
    """The 2022 sample's units of Ba Vì and their officials."""
    return sample_subset(SAMPLE, target, BA_VI, column="district")


def _html(data: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", "--as-of", "2024-06-30", "--format",
                                      "html", "--fail-on", "never", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _overview(page: str) -> str:
    return page.split('<section id="city">', 1)[1].split("</section>", 1)[0]


def _checks_one_district(page: str, english: bool = False, *, cards: bool = True) -> None:
    """``page`` (the html's, or with ``cards=False`` the pdf's, whose overview has no cards) is of Ba Vì alone."""
    assert 'id="district-filter"' not in page and 'id="districts"' not in page and 'id="district-table"' not in page
    assert ("by district (target" if english else "theo quận/huyện (mục tiêu") not in page  # no chart of one bar
    overview = _overview(page)
    heading = "District metrics against their targets" if english else "Chỉ số của quận/huyện so với mục tiêu"
    assert (f"<h3>{heading}</h3>" in overview) == cards and f'<div class="sub">{BA_VI}</div>' in overview
    # the district's metrics, in the overview's chart and table (women and university, named)
    names = ("Women among key officials", "Key officials with a university degree") if english else (
        "Cán bộ chủ chốt nữ", "Cán bộ chủ chốt có trình độ đại học")
    assert '<svg class="chart"' in overview and all(f"<td>{n}</td>" in overview for n in names)


def test_a_district_s_report_has_its_metrics_as_its_overview() -> None:
    vi = _html(SAMPLE, "--scope", f"district:{BA_VI}", "--lang", "vi")
    _checks_one_district(vi)
    assert "Tổng quan: Huyện Ba Vì" in vi
    _checks_one_district(_html(SAMPLE, "--scope", f"district:{BA_VI}", "--lang", "en"), english=True)


def test_data_of_one_district_has_no_district_filter(tmp_path: Path) -> None:
    page = _html(_one_district(tmp_path / "ba-vi"), "--lang", "vi")
    _checks_one_district(page)
    # the city's rows (which count the data's officials, as a note says) keep their card beside the district's
    assert "<h3>Chỉ số toàn thành phố so với mục tiêu</h3>" in _overview(page)


def test_a_report_of_many_districts_keeps_its_filter_and_charts_by_district() -> None:
    page = _html(SAMPLE, "--lang", "vi")
    assert 'id="district-filter"' in page and 'id="district-table"' in page and f'<option value="{BA_VI}">' in page
    assert "theo quận/huyện (mục tiêu" in page and "Chỉ số của quận/huyện so với mục tiêu" not in page


def test_the_pdf_of_a_district_has_its_metrics_as_its_overview() -> None:
    units = load_units(SAMPLE / "units.csv")
    officials = load_officials(SAMPLE / "officials.csv", units={u.code: u for u in units})
    report = Engine(backend="reference").evaluate(officials, units, date(2024, 6, 30))
    assert 'id="district-table"' in print_page(report, "vi")  # the city's: a table by district
    page = print_page(scope_report(report, "district", BA_VI), "vi")
    _checks_one_district(page, cards=False)
