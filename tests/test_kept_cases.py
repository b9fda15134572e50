"""The released pack versions kept as they were (policies/released/, kept.json) have their test cases beside them
(policies/released/tests/): each the cases the version was released with (restored from git), run on both
backends here; ``cadre-rules test ID@VERSION`` finds a kept version's cases as it finds a registered one's."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.jobs._pack_tests import run_case_files
from cadre_rules.packs._registry import builtin_pack_dir
from cadre_rules.packs._registry import kept_versions

KEPT_CASES = builtin_pack_dir() / "released" / "tests"


def test_every_kept_version_has_its_cases_and_they_pass() -> None:
    files = sorted(KEPT_CASES.glob("*.toml"))
    result = run_case_files(files, plugins=False, coverage=False)
    assert {r.pack for r in result.results} == set(kept_versions())
    assert [(r.pack, r.name, r.diff) for r in result.results if not r.passed] == []


def test_a_kept_version_s_cases_tell_it_from_its_revision(tmp_path: Path) -> None:
    """hanoi-de-an-34@2023.11.2 was withdrawn for its two-year rating look-back: its cases hold what it decides
    (ratings of 2020 and 2021 do not fire in 2024), which its revision 2023.11.3 does not."""
    kept = (KEPT_CASES / "hanoi-de-an-34-2023.11.2.toml").read_text("utf-8")
    assert run_case_files([KEPT_CASES / "hanoi-de-an-34-2023.11.2.toml"], backends=["reference"], plugins=False,
                          coverage=False).results
    revision = tmp_path / "revision.toml"
    revision.write_text(re.sub(r'(?m)^pack = ".*"$', 'pack = "hanoi-de-an-34@2023.11.3"', kept), encoding="utf-8")
    result = run_case_files([revision], backends=["reference"], plugins=False, coverage=False)
    assert [r.name for r in result.results if not r.passed] == [
        "the two-year rating look-back: ratings of 2020 and 2021 not completed do not fire in 2024"]


def test_cadre_rules_test_runs_a_kept_version_s_cases_by_its_ref() -> None:
    result = CliRunner().invoke(cli, ["test", "vn-commune-2tier@2025.10", "--backend", "reference", "--no-plugins",
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "PASS vn-commune-2tier@2025.10 " in result.output
    assert "vn-commune-2tier@2025.10.2" not in result.output  # (the revision's cases are its own)
    unknown = CliRunner().invoke(cli, ["test", "vn-commune-2tier@2025.09", "--no-plugins", "--lang", "en"])
    assert unknown.exit_code == 2
    assert "2025.10.2" in unknown.output and "2025.10.1" in unknown.output  # (the versions, kept ones too)
