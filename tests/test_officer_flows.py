"""What the HR officer reads, run as the officer runs it (examples/hanoi-2025 and hanoi-2022, with and without
``--scope``): the words that said more than the report is about."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(tmp_path: Path, *args: str, fmt: str = "json") -> str:
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["evaluate", *args, "--format", fmt, "-o", str(out), "--fail-on", "never",
                                      "--lang", "vi"])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("scope", "link"), [(None, "Toàn thành phố"), ("commune:Phường Tương Mai", "Tổng quan")])
def test_the_html_bar_names_the_overview_of_what_the_report_is_about(tmp_path: Path, scope: str | None,
                                                                     link: str) -> None:
    """A ward's page linked its overview as "Toàn thành phố" (the whole city), above "Tổng quan: Phường Tương
    Mai"."""
    page = _run(tmp_path, str(EXAMPLES / "hanoi-2025"), "--as-of", "2026-01-15",
                *(("--scope", scope) if scope else ()), fmt="html")
    (bar,) = re.findall(r'<nav class="bar">(.*?)</nav>', page, re.S)
    assert re.findall(r'<a href="#city">([^<]*)</a>', bar) == [link]
    assert ("Toàn thành phố" in page) == (scope is None)


@pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None, reason="pip install -e ./plugins/cadre-rules-ba-vi")
def test_a_district_s_metrics_table_shows_the_district_then_what_is_not_met_then_what_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Huyện Ba Vì's report (hanoi-2022, 2024-06-30): the text's metrics table (30 rows) showed the district's
    rows and the three not met, then 27 rows "— 0/0 ≥ 20,0% —" of a quota that applies to none of those communes
    (ethnic-minority share, no key official counted), pushing every met rate into "… còn 37 dòng nữa". Now: the
    district's rows, those not met, those met, and last those with nothing to measure."""
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)  # (the Ba Vì plugin's quotas)
    args = (str(EXAMPLES / "hanoi-2022"), "--as-of", "2024-06-30", "--scope", "district:Huyện Ba Vì")
    metrics = json.loads(_run(tmp_path, *args))["metrics"]
    district = [m for m in metrics if m["scope"] == "district"]
    units = [m for m in metrics if m["scope"] == "unit"]
    mark = {True: "✓", False: "✗", None: "—"}
    expected = [mark[m["met"]] for m in district] + [mark[met] for met in (False, True, None)
                                                     for m in units if m["met"] is met]
    assert expected.count("—") >= 27 and expected.count("✓") > 0  # (the premise)
    lines = _run(tmp_path, *args, fmt="text").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Chỉ số ("))
    rows = [line for line in lines[start + 2:] if re.search(r"\d+/\d+", line)][:30]
    shown = [next(s for s in (" ✓ ", " ✗ ", " — ") if s in row[row.index("/"):]).strip() for row in rows]
    assert shown == expected[:30]
