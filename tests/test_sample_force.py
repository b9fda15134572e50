"""``cadre-rules sample DIR`` leaves existing files alone unless ``--force`` is given (issue #16 §7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli


@pytest.mark.parametrize("existing", ["officials.csv", "units.csv"])
def test_sample_refuses_to_overwrite(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sample", str(tmp_path), "--regime", "2025"], env={"LANG": "C"})
    assert result.exit_code == 2, result.output
    assert existing in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / existing).read_text(encoding="utf-8") == "mine\n"
    other = {"officials.csv", "units.csv"} - {existing}
    assert not any((tmp_path / name).exists() for name in other)  # nothing written at all


def test_sample_force_overwrites(tmp_path: Path) -> None:
    (tmp_path / "officials.csv").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sample", str(tmp_path), "--regime", "2025", "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "officials.csv").read_text(encoding="utf-8").startswith("id,")
    assert (tmp_path / "units.csv").exists()


def test_sample_into_an_empty_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sample", str(tmp_path / "new"), "--regime", "2025"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "units.csv").exists()
