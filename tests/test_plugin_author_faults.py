"""A commune's plugin author breaks the plugin as authors do (session 16): each fault is one located line in the
reader's language, exit 2 where the run cannot go on, never a Python warning or a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.hookspecs import ReaderRegistrar
from cadre_rules.jobs._plugin_new import write_plugin

Install = Callable[..., None]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


class MisspeltHook:
    """The author wrote ``cadre_rules_register_pack``: the plugin is disabled, with a did-you-mean."""

    @hookimpl
    def cadre_rules_register_pack(self, register: PackRegistrar) -> None:  # (the typo is the test)
        raise AssertionError("never called")


def _pack_and_cases(tmp_path: Path) -> tuple[Path, Path]:
    """A generated commune plugin's pack and its test cases, the cases naming the pack file."""
    package = write_plugin("phu-dong", tmp_path, communes=["00541"]) / "src" / "cadre_rules_phu_dong"
    cases = package / "tests" / "phu-dong-local.toml"
    text = cases.read_text(encoding="utf-8").replace('pack = "phu-dong-local"', 'pack = "../phu-dong-local.toml"')
    cases.write_text(text, encoding="utf-8")
    return package / "phu-dong-local.toml", cases


WARNED = "warning: plugin 'misspelt' disabled: unknown hook 'cadre_rules_register_pack'"


def test_test_and_mutants_say_a_disabled_plugin_once_without_a_python_warning(installed: Install,
                                                                              tmp_path: Path) -> None:
    """``cadre-rules test`` builds an engine per case and per mutant: before the fix each one's PluginWarning
    escaped as a Python warning (``…/_pack_tests.py:167: PluginWarning: …`` and the source line), besides the
    ``warning:`` line."""
    installed(misspelt=MisspeltHook())
    _, cases = _pack_and_cases(tmp_path)
    result = _run("test", cases, "--mutants", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith(WARNED)] == [lines[0]]
    assert "PluginWarning" not in result.stderr and "_pack_tests.py" not in result.stderr
    assert lines[1:] == ["mutants: 3 caught / 3"]  # (session 17: the yes/no where once, not twice)


@pytest.mark.parametrize("data", [False, True])
def test_packs_diff_says_a_disabled_plugin_once_without_a_python_warning(installed: Install, tmp_path: Path,
                                                                         data: bool) -> None:
    installed(misspelt=MisspeltHook())
    pack, _ = _pack_and_cases(tmp_path)
    new = tmp_path / "new.toml"
    new.write_text(pack.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.1.1"')
                   .replace("min_months_in_post = 12", "min_months_in_post = 18"), encoding="utf-8")
    sample = Path(__file__).parent.parent / "examples" / "hanoi-2025"
    more = ["--data", str(sample), "--as-of", "2025-12-31"] if data else []
    result = _run("packs", "diff", pack, new, "--lang", "en", *more)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [line for line in result.stderr.splitlines() if line.startswith(WARNED)]
    assert len(result.stderr.splitlines()) == 1


class GarbageReader:
    """A reader of ``.tsv`` files that returns text instead of records."""

    @hookimpl
    def cadre_rules_register_readers(self, register: ReaderRegistrar) -> None:
        register("tsv", officials=lambda path, units=None: [], units=lambda path: ["00541,Xã Phù Đổng"])


class RaisingReader:
    """A reader of ``.tsv`` files that raises."""

    @hookimpl
    def cadre_rules_register_readers(self, register: ReaderRegistrar) -> None:
        register("tsv", officials=lambda path, units=None: [], units=self.units)

    @staticmethod
    def units(path: Path) -> list[object]:
        raise ValueError("thiếu cột code")


@pytest.mark.parametrize(("plugin", "en", "vi"), [
    (GarbageReader(), "the units reader for .tsv returned a str, not a cadre_rules.Unit",
     "bộ đọc tệp đơn vị .tsv trả về một str, không phải một cadre_rules.Unit"),
    (RaisingReader(), "raised in the units reader for .tsv: ValueError: thiếu cột code",
     "gặp lỗi trong bộ đọc tệp đơn vị .tsv: ValueError: thiếu cột code"),
])
def test_a_reader_plugins_fault_is_said_in_the_readers_language(installed: Install, tmp_path: Path, plugin: object,
                                                                en: str, vi: str) -> None:
    """Before the fix the reader was named in English in a Vietnamese error (``lỗi: plugin 'x': the units reader
    for .tsv returned a str, not a Unit``)."""
    installed(reader=plugin)
    (tmp_path / "officials.tsv").write_text("x", encoding="utf-8")
    (tmp_path / "units.tsv").write_text("x", encoding="utf-8")
    for lang, said in (("en", f"error: plugin 'reader': {en}"), ("vi", f"lỗi: plugin 'reader': {vi}")):
        result = _run("evaluate", tmp_path, "--as-of", "2025-12-31", "--lang", lang)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(said), result.stderr
        assert "Traceback" not in result.output


def test_an_invalid_packs_problems_are_told_apart(installed: Install, tmp_path: Path) -> None:
    """A plugin's pack with two faults: each problem after a ``;`` (before: run together with a space, the second
    file name read as the end of the first problem)."""
    pack, _ = _pack_and_cases(tmp_path)
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace('severity = "info"', 'severty = "info"').replace(
        'when = "months_in_post', 'when = "month_in_post'), encoding="utf-8")

    class Broken:
        @hookimpl
        def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
            register(pack)

    installed(broken=Broken())
    result = _run("plugins", "--strict-plugins")
    assert result.exit_code == 2
    assert ("severty: unknown key; did you mean 'severity'?; " + str(pack) + ", rule[0]") in result.stderr


def test_a_message_naming_a_column_is_told_the_placeholder_of_its_call(tmp_path: Path) -> None:
    """A message naming the local column a condition reads (``{boi_duong}`` for ``extra_text('boi_duong')``) is told
    the placeholder to write (before: ``unknown placeholder {boi_duong}`` without a hint)."""
    pack, _ = _pack_and_cases(tmp_path)
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace('when = "months_in_post < min_months_in_post"',
                                 "when = \"extra_text('boi_duong') == 'chua'\"")
                    .replace("Chủ tịch UBND mới: {months_in_post} tháng", "Chưa bồi dưỡng: {boi_duong}"),
                    encoding="utf-8")
    result = _run("packs", "validate", pack, "--lang", "en")
    assert result.exit_code == 2
    assert "message.vi: unknown placeholder {boi_duong}; did you mean \"{extra_text('boi_duong')}\"?" in result.output


def test_packs_diff_says_what_changed_of_a_metric_whose_count_did_not(tmp_path: Path) -> None:
    """The author raises the quota's target: each unit's metric changes, its count does not (before the fix the
    line read ``0/7 ✗ → 0/7 ✗``, a change that showed none)."""
    pack, _ = _pack_and_cases(tmp_path)
    text = "\n".join(line[2:] if line.startswith(("# [[quota]]", "# id", "# name", "# family", "# population",
                                                  "# numerator", "# min_share", "# scopes", "# severity",
                                                  "# message", "# cite")) else line
                     for line in pack.read_text(encoding="utf-8").splitlines())
    pack.write_text(text, encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(text.replace('version = "0.1.0"', 'version = "0.1.1"').replace("min_share = 0.12",
                                                                               "min_share = 0.2"), encoding="utf-8")
    sample = Path(__file__).parent.parent / "examples" / "hanoi-2025"
    for lang, before, after in (("en", "(target 12.0%)", "(target 20.0%)"),
                                ("vi", "(mục tiêu 12,0%)", "(mục tiêu 20,0%)")):
        result = _run("packs", "diff", pack, new, "--data", sample, "--as-of", "2025-12-31", "--lang", lang)
        assert result.exit_code == 0, result.output
        metric = [line for line in result.stdout.splitlines() if "quota.young_phu_dong" in line and "00541" in line]
        assert len(metric) == 1, result.stdout
        count = metric[0].split(": ")[-1].split(" (")[0]
        assert metric[0].endswith(f"{count} {before} → {count} {after}"), metric
