"""What the HR officer reads, run as the officer runs it (examples/hanoi-2025 and hanoi-2022, with and without
``--scope``): the words that said more than the report is about."""

from __future__ import annotations

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
