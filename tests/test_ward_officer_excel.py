"""Session 17: a ward's HR officer (Phường Tương Mai, the 2025 sample's ward 00322), end to end: ``match`` and
``project`` say what the officer can act on, in the words of the template workbook, as ``evaluate`` does."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules._cli import cli
from subsets import SAMPLES
from subsets import sample_subset

WARD = "00322"
AS_OF = "2025-12-31"
needs_plugins = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None
                                   or importlib.util.find_spec("cadre_rules_hoan_kiem") is None,
                                   reason="pip install -e ./plugins/cadre-rules-ba-vi -e ./plugins/cadre-rules-hoan-kiem")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ward's own data: its officials and its one unit."""
    return sample_subset(SAMPLES["2025"][0], tmp_path_factory.mktemp("ward") / "data", WARD)


@needs_plugins
def test_match_and_project_of_a_ward_s_own_data_do_not_tell_of_other_districts_packs(
        ward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``match`` and ``project`` of one ward's file said "gói ba-vi-local@2025.07 không áp dụng cho đơn vị nào
    trong dữ liệu (phạm vi của gói: 09619, …)": the setup of the other communes' plugins, which ``evaluate`` of
    the same file does not say (noise to the ward's officer, who cannot act on it)."""
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)  # (the city's plugins installed)
    for args in (("evaluate", str(ward), "--as-of", AS_OF), ("match", str(ward), "--as-of", AS_OF, "--within", "60"),
                 ("project", str(ward), "--as-of", AS_OF, "--to", "2027-12-31")):
        result = run(*args, "--lang", "vi")
        assert result.exit_code in (0, 1), result.output
        told = result.stdout + result.stderr
        assert "Phường Tương Mai" in told, args
        assert "không áp dụng cho đơn vị nào" not in told, args
        assert "ba-vi-local@2025.07 không" not in told and "hoan-kiem-local@2025.07 không" not in told, args
    named = run("match", str(ward), "--as-of", AS_OF, "--within", "60", "--lang", "vi", "--pack", "ba-vi-local")
    assert "gói ba-vi-local@2025.07 không áp dụng cho đơn vị nào" in named.stdout  # (asked for: said)


def test_a_near_miss_on_an_empty_planning_cell_is_unknown_not_a_lack(tmp_path: Path) -> None:
    """An empty "Quy hoạch" cell is unknown, not "no" (the template's note, ``evaluate``'s "chưa xét được"): a
    near miss of ``match`` on the planning rule said "chưa trong quy hoạch chức danh cấp xã" of such a person; it
    says that it is not known and which column to fill. A cell that says "no" is still a lack."""
    blank = sample_subset(SAMPLES["2025"][0], tmp_path / "blank", WARD, blank=("in_planning",))
    result = run("match", str(blank), "--as-of", AS_OF, "--within", "60", "--lang", "vi", "--no-plugins")
    assert result.exit_code == 0, result.output
    assert 'chưa rõ: cột "Quy hoạch" để trống (chưa biết, không phải "không"); điền cột này để xét' in result.stdout
    assert "chưa trong quy hoạch" not in result.stdout
    english = run("match", str(blank), "--as-of", AS_OF, "--within", "60", "--lang", "en", "--no-plugins")
    assert "not known: column in_planning is empty (unknown, not 'no')" in english.stdout
    assert "not in the planning pool" not in english.stdout
    kept = run("match", str(tmp_path / "blank"), "--as-of", AS_OF, "--within", "60", "--lang", "vi", "--no-plugins")
    assert kept.stdout == result.stdout  # (the same run twice: the same text)
    said = sample_subset(SAMPLES["2025"][0], tmp_path / "said", WARD)
    written = run("match", str(said), "--as-of", AS_OF, "--within", "60", "--lang", "vi", "--no-plugins")
    assert "chưa trong quy hoạch chức danh cấp xã" in written.stdout


def test_the_succession_list_says_its_names_are_the_unit_s_planning_pool(ward: Path, tmp_path: Path) -> None:
    """``project``'s "Kế cận" listed, after the leaving official and the unit, the unit's planning pool with nothing
    to say so ("…, Phường Tương Mai: Dương Lan Vân (Bí thư Đảng ủy), …"): read as more people leaving. Text and
    html say "người trong quy hoạch của đơn vị: …"."""
    html = tmp_path / "du-bao.html"
    result = run("project", str(ward), "--as-of", AS_OF, "--to", "2030-12-31", "--lang", "vi", "--no-plugins")
    assert result.exit_code in (0, 1), result.output
    assert "Phường Tương Mai: người trong quy hoạch của đơn vị: " in result.stdout
    written = run("project", str(ward), "--as-of", AS_OF, "--to", "2030-12-31", "--lang", "vi", "--no-plugins",
                  "--format", "html", "-o", str(html))
    assert written.exit_code in (0, 1), written.output
    assert "Phường Tương Mai: người trong quy hoạch của đơn vị: " in html.read_text(encoding="utf-8")


def test_project_help_in_vietnamese_names_the_template_s_column_not_a_code() -> None:
    """``project --help`` in Vietnamese said "đã hết nhiệm kỳ (term_ends)": the data contract's name, which the
    officer's workbook does not have; it names the template's column "Ngày hết nhiệm kỳ"."""
    result = run("project", "--help", "--lang", "vi")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "term_ends" not in text
    assert "đã hết nhiệm kỳ (cột Ngày hết nhiệm kỳ)" in text


def test_a_council_post_in_a_ward_without_a_council_names_the_units_sheet_column(tmp_path: Path) -> None:
    """A council post in a unit whose "Có HĐND" says no: the Vietnamese error said "(has_council là không)"; it
    names the column of the units sheet the officer fills."""
    data = sample_subset(SAMPLES["2025"][0], tmp_path / "data", WARD)
    units = data / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",true", ",false"), encoding="utf-8")
    result = run("evaluate", str(data), "--as-of", AS_OF, "--lang", "vi", "--no-plugins")
    assert result.exit_code == 2, result.output
    assert 'nơi không có HĐND (cột "Có HĐND" của trang Đơn vị ghi không)' in result.stderr
    assert "has_council" not in result.stderr
