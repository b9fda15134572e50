"""``cadre-rules plugin new``: the scaffold installs, is listed, and its cases pass as generated (issue #21)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cadre_rules._cli import cli


def _env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CADRE_RULES_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cadre_rules(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cadre_rules", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False, timeout=300)


def test_generate_install_list_and_test(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plugin", "new", "dong-anh", "--district", "Huyện Đông Anh",
                                      "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "cadre-rules-dong-anh"
    assert result.output.strip() == str(root)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "## Tiếng Việt" in readme and "## English" in readme
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                              str(root)], capture_output=True, text=True, check=False, timeout=600)
    assert install.returncode == 0, install.stderr
    env = _env(site)
    listed = _cadre_rules("plugins", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "dong-anh 0.1.0  [ok]" in listed.stdout
    assert "packs: dong-anh-local" in listed.stdout
    tested = _cadre_rules("test", "dong-anh-local", "--min-coverage", "100", "--mutants", "--lang", "en", env=env)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "PASS dong-anh-local@0.1.0" in tested.stdout
    assert "mutants: 4 caught / 4" in tested.stderr
    generated = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
                               cwd=root, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "1 passed" in generated.stdout


def test_bad_name_and_existing_folder_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["plugin", "new", "Đông Anh", "--district", "Huyện Đông Anh", "--directory",
                              str(tmp_path)])
    assert bad.exit_code == 2
    assert "NAME: a plugin name is lower-case ASCII words joined by '-'" in bad.output
    assert runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)])
    assert again.exit_code == 2
    assert "already exists" in again.output
    quote = runner.invoke(cli, ["plugin", "new", "y", "--district", 'A "B"', "--directory", str(tmp_path)])
    assert quote.exit_code == 2


def test_messages_and_help_in_vietnamese(tmp_path: Path) -> None:
    """In the language of the locale (these commands have no --lang; packs diff and test have one)."""
    runner = CliRunner(env={"LC_ALL": "vi_VN.UTF-8"})
    bad = runner.invoke(cli, ["plugin", "new", "Đông Anh", "--district", 'A "B"', "--directory", str(tmp_path)])
    assert bad.exit_code == 2
    assert "NAME: tên plugin là các từ ASCII chữ thường nối bằng '-' (dong-anh)" in bad.output
    assert "--district: tên quận/huyện không được có dấu nháy kép" in bad.output
    assert runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)])
    assert "đã tồn tại: chọn tên hoặc thư mục khác" in again.output
    for args in (["plugin", "new", "--help"], ["schema", "--help"], ["test", "--help"],
                 ["packs", "diff", "--help"]):
        shown = runner.invoke(cli, args)
        assert shown.exit_code == 0, shown.output
        for english in ("Write ", "Where ", "The district", "Print a", "Run the", "Compare", "Output format", "Language"):
            assert english not in shown.output, (args, english)
