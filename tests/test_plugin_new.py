"""``cadre-rules plugin new``: the scaffold installs, is listed, and its cases pass as generated (issue #21); a
commune's, a group's and the city's plugin after the reform of 1/7/2025 (session 11)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules._cli import cli

SAMPLE_2025 = Path(__file__).parent.parent / "examples" / "hanoi-2025"


def _env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CADRE_RULES_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cadre_rules(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cadre_rules", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False, timeout=300)


def test_generate_install_list_and_test(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plugin", "new", "dong-anh", "--commune", "00454",
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
    assert "mutants: 3 caught / 3" in tested.stderr  # (session 17: the yes/no where once, not twice)
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
    assert "--district: tên hoặc mã không được có dấu nháy kép" in bad.output
    none = runner.invoke(cli, ["plugin", "new", "z", "--directory", str(tmp_path)])
    assert none.exit_code == 2
    assert "--commune, --city, --district: chỉ chọn một: plugin thuộc về một hay nhiều xã, phường" in none.output
    assert runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["plugin", "new", "x", "--district", "X", "--directory", str(tmp_path)])
    assert "đã tồn tại: chọn tên hoặc thư mục khác" in again.output
    for args in (["plugin", "new", "--help"], ["schema", "--help"], ["test", "--help"],
                 ["packs", "diff", "--help"]):
        shown = runner.invoke(cli, args)
        assert shown.exit_code == 0, shown.output
        for english in ("Write ", "Where ", "The district", "Print a", "Run the", "Compare", "Output format", "Language"):
            assert english not in shown.output, (args, english)


def _generated(tmp_path: Path, name: str, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["plugin", "new", name, *args, "--directory", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    return tmp_path / f"cadre-rules-{name}" / "src" / ("cadre_rules_" + name.replace("-", "_"))


@pytest.mark.parametrize(("args", "scope", "effective"), [
    (["--commune", "00541"], {"units": ["00541"]}, {"from": date(2025, 7, 1)}),
    (["--commune", "00541", "--commune", "00565", "--commune", "00541"], {"units": ["00541", "00565"]},
     {"from": date(2025, 7, 1)}),
    (["--city", "Hà Nội"], None, {"from": date(2025, 7, 1)}),
    (["--district", "Huyện Đông Anh"], {"districts": ["Huyện Đông Anh"]},
     {"from": date(2024, 1, 1), "to": date(2025, 6, 30)}),
])
def test_scope_and_dates_by_kind_of_plugin(tmp_path: Path, args: list[str], scope: object, effective: object) -> None:
    """A commune, a group of communes and the city from 1/7/2025; a district up to 30/6/2025 only (before the
    fix, a district's pack in force from 2025-07-01, when no unit has a district: it covered nothing). The
    cases pass, and the case with an official outside the scope fails when the pack is not scoped."""
    package = _generated(tmp_path, "local", *args)
    pack = tomllib.loads((package / "local-local.toml").read_text(encoding="utf-8"))
    assert pack.get("scope") == scope
    assert pack["pack"]["effective"] == effective
    cases = package / "tests" / "local-local.toml"
    text = cases.read_text(encoding="utf-8").replace('pack = "local-local"', 'pack = "../local-local.toml"')
    cases.write_text(text, encoding="utf-8")
    runner = CliRunner()
    passed = runner.invoke(cli, ["test", str(cases), "--min-coverage", "100", "--lang", "en"])
    assert passed.exit_code == 0, passed.output
    if scope is not None:  # the official outside the scope is what the scope keeps out
        assert "chair-outside" in text
        unscoped = (package / "local-local.toml").read_text(encoding="utf-8").replace("[scope]", "[scope_]")
        unscoped = "\n".join(line for line in unscoped.splitlines() if not line.startswith(("units =", "districts =")))
        (package / "local-local.toml").write_text(unscoped.replace("[scope_]", ""), encoding="utf-8")
        failed = runner.invoke(cli, ["test", str(cases), "--lang", "en"])
        assert failed.exit_code == 1, failed.output
        assert "+ rotation.new_chair_local chair-outside info  (found, not expected)" in failed.output


def test_commune_plugin_evaluates_its_commune_in_the_2025_sample(tmp_path: Path) -> None:
    """The generated commune plugin, given to an engine as an object, covers its commune in the two-tier sample:
    its rule is decided there and nowhere else, with no note that it covers no unit."""
    package = _generated(tmp_path, "phu-dong", "--commune", "00541")
    spec = importlib.util.spec_from_file_location("cadre_rules_phu_dong", package / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    engine = Engine(["phu-dong-local"], plugins=[module], strict_plugins=True, lang="en")
    officials, units = engine.read(SAMPLE_2025 / "officials.csv", SAMPLE_2025 / "units.csv")
    report = engine.evaluate(officials, units, date(2025, 12, 31))
    chairs = {o.id for o in officials if o.unit == "00541" and "committee_chair" in (o.position, *o.concurrent_positions)}
    fired = {(f.rule, f.subject_id, f.scope_id) for f in report.findings if f.pack == "phu-dong-local"}
    assert fired and {s for _, s, _ in fired} <= chairs
    assert {scope for _, _, scope in fired} == {"00541"}
    assert not [n for n in report.notes if "covers no unit" in n]


def _module(package: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, package / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_city_installs_its_plugin_and_a_communes_side_by_side(tmp_path: Path) -> None:
    """The city applies every commune's plugin with its own: two generated plugins, the city's and a commune's, load
    together (before the fix both packs defined rotation.new_chair for the commune from 2025-07-01: the second was
    disabled as a conflict, under --strict-plugins an error), and each one's rule fires under its own id."""
    city = _module(_generated(tmp_path, "ha-noi", "--city", "Hà Nội"), "cadre_rules_ha_noi")
    commune = _module(_generated(tmp_path, "phu-dong", "--commune", "00541"), "cadre_rules_phu_dong")
    engine = Engine(["ha-noi-local", "phu-dong-local"], plugins=[city, commune], strict_plugins=True, lang="en")
    assert not engine.plugins.problems
    officials, units = engine.read(SAMPLE_2025 / "officials.csv", SAMPLE_2025 / "units.csv")
    report = engine.evaluate(officials, units, date(2025, 12, 31))
    rules = {(f.pack, f.rule) for f in report.findings if f.scope_id == "00541"}
    assert rules == {("ha-noi-local", "rotation.new_chair_ha_noi"), ("phu-dong-local", "rotation.new_chair_phu_dong")}


def test_generated_rule_is_named_and_the_quota_is_ready_to_use(tmp_path: Path) -> None:
    """The example rule has a name in both languages (before: none, the officer read its bare id in the report's
    table), and the commented quota, once uncommented, is a warning for key officials with a message in
    Vietnamese and in English (before: one Vietnamese text for both, an error by default)."""
    package = _generated(tmp_path, "phu-dong", "--commune", "00541")
    path = package / "phu-dong-local.toml"
    text = path.read_text(encoding="utf-8")
    uncommented = "\n".join(line[2:] if (line.startswith("# ") and "=" in line) or line == "# [[quota]]" else line
                            for line in text.splitlines())
    path.write_text(uncommented, encoding="utf-8")
    pack = tomllib.loads(uncommented)
    assert pack["rule"][0]["name"] == {"vi": "Chủ tịch UBND mới nhận nhiệm vụ", "en": "New committee chair"}
    quota = pack["quota"][0]
    assert (quota["population"], quota["severity"]) == ("is_key", "warning")
    assert set(quota["message"]) == {"vi", "en"} and "under 35" in quota["message"]["en"]
    valid = CliRunner().invoke(cli, ["packs", "validate", str(path), "--lang", "en"])
    assert valid.exit_code == 0, valid.output
    shown = CliRunner().invoke(cli, ["packs", "show", str(path), "--lang", "vi"])
    assert "tên quy tắc: Chủ tịch UBND mới nhận nhiệm vụ" in shown.output


def test_generated_plugin_depends_on_the_cadre_rules_it_was_tested_with(tmp_path: Path) -> None:
    """docs/plugins.md, Publishing: depend on the versions you tested with (before: any cadre-rules at all)."""
    from importlib.metadata import version

    _generated(tmp_path, "phu-dong", "--commune", "00541")
    major, minor = version("cadre-rules").split(".")[:2]
    project = tomllib.loads((tmp_path / "cadre-rules-phu-dong" / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dependencies"] == [f"cadre-rules>={major}.{minor},<{major}.{int(minor) + 1}"]


def test_readme_says_how_to_publish_and_the_city_installs_it(tmp_path: Path) -> None:
    """The README says, in both languages, what the author does next (before: install and cadre-rules test only):
    test, check, build the wheel, send it to the city; and how the city installs it. The path it gives works:
    the wheel it builds, installed as the city would, is listed as ok under --strict-plugins and its cases pass."""
    _generated(tmp_path, "cum-dong-anh", "--commune", "00454", "--commune", "00541")
    root = tmp_path / "cadre-rules-cum-dong-anh"
    readme = (root / "README.md").read_text(encoding="utf-8")
    vi, en = readme.split("## English")
    wheel = "cadre_rules_cum_dong_anh-{}-py3-none-any.whl"
    for part, version_word in ((vi, "PHIÊN_BẢN"), (en, "VERSION")):
        for command in ('pip install -e ".[test]"', "\npytest\n", "cadre-rules evaluate", "cadre-rules packs validate",
                        "cadre-rules test cum-dong-anh-local --coverage --mutants", "cadre-rules packs diff",
                        "pip wheel --no-deps -w dist .", "pip install " + wheel.format(version_word),
                        "cadre-rules plugins --strict-plugins"):
            assert command in part, (version_word, command)
    assert "Gửi lên thành phố" in vi and "Thành phố cài đặt" in vi
    assert "Send it to the city" in en and "How the city installs it" in en
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", "dist", "."], cwd=root,
                           capture_output=True, text=True, check=False, timeout=600)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "city"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                              str(root / "dist" / wheel.format("0.1.0"))],
                             capture_output=True, text=True, check=False, timeout=600)
    assert install.returncode == 0, install.stderr
    env = _env(site)
    listed = _cadre_rules("plugins", "--strict-plugins", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "cum-dong-anh 0.1.0  [ok]" in listed.stdout
    tested = _cadre_rules("test", "cum-dong-anh-local", "--lang", "en", env=env, cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_generated_pytest_uses_the_public_command_and_the_installed_plugin(tmp_path: Path) -> None:
    """The package's own test runs `python -m cadre_rules test` with the installed plugins, whatever the author's
    environment says (before: it imported cadre_rules._cli, a private module, and failed with the pack unknown
    under CADRE_RULES_DISABLE_PLUGINS=1, which cadre-rules' own test suite and CI set)."""
    _generated(tmp_path, "phu-dong", "--commune", "00541")
    root = tmp_path / "cadre-rules-phu-dong"
    test = (root / "tests" / "test_pack_cases.py").read_text(encoding="utf-8")
    assert "cadre_rules._" not in test and "from cadre_rules" not in test
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                              str(root)], capture_output=True, text=True, check=False, timeout=600)
    assert install.returncode == 0, install.stderr
    env = {**_env(site), "CADRE_RULES_DISABLE_PLUGINS": "1"}
    generated = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
                               cwd=root, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "1 passed" in generated.stdout


def test_units_file_checks_each_commune_code_and_names_the_communes(tmp_path: Path) -> None:
    """`--units FILE`: a commune code not in the units file is a located error with a did-you-mean, exit 2, nothing
    written (before: no way to check; a misspelt code made a pack that covered nothing of it, said only by a note
    of the city's reports); the right codes give the communes' names in the pack's title and scope."""
    units = SAMPLE_2025 / "units.csv"
    runner = CliRunner(env={"LC_ALL": "vi_VN.UTF-8"})
    bad = runner.invoke(cli, ["plugin", "new", "cum", "--commune", "00541", "--commune", "0565", "--units", str(units),
                              "--directory", str(tmp_path)])
    assert bad.exit_code == 2
    assert (f"{units}, --commune: tệp đơn vị không có đơn vị nào mã 0565; có phải là 00565? (giá trị đọc được: "
            "'0565')") in bad.output
    assert "Traceback" not in bad.output and not (tmp_path / "cadre-rules-cum").exists()
    good = _generated(tmp_path, "cum", "--commune", "00541", "--commune", "00565", "--units", str(units))
    pack = tomllib.loads((good / "cum-local.toml").read_text(encoding="utf-8"))
    assert pack["pack"]["title"] == {"vi": "Quy định riêng của Xã Phù Đổng, Xã Gia Lâm",
                                     "en": "Local rules of Xã Phù Đổng, Xã Gia Lâm"}
    assert pack["scope"] == {"units": ["00541", "00565"]}
    cases = good / "tests" / "cum-local.toml"
    cases.write_text(cases.read_text(encoding="utf-8").replace('pack = "cum-local"', 'pack = "../cum-local.toml"'),
                     encoding="utf-8")
    passed = CliRunner().invoke(cli, ["test", str(cases), "--min-coverage", "100", "--lang", "en"])
    assert passed.exit_code == 0, passed.output
