"""The header of a report of one district (``--scope district:…``, or the data of one district) names the district
where a report of several counts them ("31 đơn vị cấp xã của Huyện Ba Vì", not "31 đơn vị cấp xã · 1 quận/huyện"):
the html's and the pdf's (the print page), vi and en; a commune's report likewise names its district. The text and
xlsx headers count no districts (the xlsx names the report's scope in "Báo cáo của"): nothing to change there."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Report
from cadre_rules._cli import cli
from cadre_rules.render._html import render_html
from cadre_rules.render._print import print_page
from cadre_rules.report._scope import scope_report
from subsets import sample_subset

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2022"
AS_OF = date(2024, 6, 30)
META = {"vi": "Ngày đánh giá 30/06/2024 · 641 cán bộ, công chức · 31 đơn vị cấp xã của Huyện Ba Vì",
        "en": "As of 2024-06-30 · 641 officials · 31 units in Huyện Ba Vì"}


def _meta(page: str) -> str:
    found = re.search(r'<div class="meta">([^<]*)</div>', page)
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """The city's report restricted to Huyện Ba Vì, and the report of Huyện Ba Vì's own data, in both languages."""
    data = sample_subset(SAMPLE, tmp_path_factory.mktemp("ba-vi") / "data", "Huyện Ba Vì", column="district")
    out = {}
    for lang in ("vi", "en"):
        engine = Engine(plugins=False, lang=lang)
        officials, units = engine.read(SAMPLE / "officials.csv", SAMPLE / "units.csv")
        city = engine.evaluate(officials, units, AS_OF)
        out[f"scoped-{lang}"] = scope_report(city, "district", "Huyện Ba Vì", lang)
        officials, units = engine.read(data / "officials.csv", data / "units.csv")
        out[f"file-{lang}"] = engine.evaluate(officials, units, AS_OF)
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["scoped", "file"])
def test_one_district_s_header_names_it(reports: dict[str, Report], kind: str, lang: str) -> None:
    report = reports[f"{kind}-{lang}"]
    for page in (render_html(report, lang), print_page(report, lang)):
        assert _meta(page) == META[lang]


def test_a_commune_s_header_names_its_district_and_the_city_s_counts_them() -> None:
    args = ["evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--no-plugins", "--format", "html", "--fail-on",
            "never", "-q"]
    commune = CliRunner().invoke(cli, [*args, "--scope", "commune:HN-BAVI-02", "--lang", "en"])
    assert commune.exit_code == 0, commune.output
    assert _meta(commune.stdout) == "As of 2024-06-30 · 19 officials · 1 unit in Huyện Ba Vì"
    city = CliRunner().invoke(cli, [*args, "--lang", "vi"])
    assert _meta(city.stdout) == "Ngày đánh giá 30/06/2024 · 11.473 cán bộ, công chức · 579 đơn vị cấp xã · 30 quận/huyện"


def test_the_text_and_xlsx_headers_count_no_districts(tmp_path: Path) -> None:
    args = ["evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--no-plugins", "--fail-on", "never", "-q",
            "--scope", "district:Huyện Ba Vì", "--lang", "vi"]
    text = CliRunner().invoke(cli, args).stdout
    head = text[:text.index("Ghi chú:")]
    assert "quận/huyện" not in head and "Huyện Ba Vì" in head
    assert CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "r.xlsx")]).exit_code == 0
    summary = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).worksheets[0]
    rows = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row}
    assert rows["Báo cáo của"] == "Huyện Ba Vì"
    assert not any("quận/huyện" in str(key).casefold() for key in rows)
