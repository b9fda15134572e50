"""Issue 18, exit codes that cannot be confused: 0/1 findings, 2 bad usage/input/pack/plugin (or past --timeout),
3 internal error (one line; the traceback only under --debug), 130 Ctrl-C, 143 SIGTERM; a plugin cannot end
the run with sys.exit, and a plugin hook that blocks is cut off and its plugin disabled by name."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Official
from cadre_rules import _cli
from cadre_rules import _exits
from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules._exits import EXIT_CODES
from cadre_rules._timeouts import TimeLimitExceeded
from cadre_rules._timeouts import time_limit
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.hookspecs import ReaderRegistrar
from cadre_rules.hookspecs import RendererRegistrar
from cadre_rules.render import _text  # its render_text: loaded by evaluate when it writes text
from test_cli import PACK
from test_cli import _data
from test_plugins import write_data

Install = Callable[..., None]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def evaluate(data: Path, *args: str | Path) -> Result:
    return run("evaluate", data, "--pack", PACK, "--as-of", "2025-06-30", "--backend", "reference", *args)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _data(tmp_path / "good")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's own messages follow the locale: these tests read them in English."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture
def quick_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_HOOK_TIMEOUT", "0.3")


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --------------------------------------------------------------------------- plugins that exit or block


class ExitsInRegistration:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        sys.exit(0)


class SleepsInRegistration:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        time.sleep(3600)


class WaitsForever:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        threading.Event().wait()


class SpinsInEnrichment:
    @hookimpl
    def cadre_rules_enrich_official(self, official: Official, as_of: date) -> None:
        while True:
            pass


class ExitsInEnrichment:
    @hookimpl
    def cadre_rules_enrich_official(self, official: Official, as_of: date) -> None:
        raise SystemExit("bye")


@pytest.mark.parametrize(("plugin", "reason"), [
    (ExitsInRegistration(), "called sys.exit(0) in cadre_rules_register_packs; a plugin cannot end the run"),
    (SleepsInRegistration(), "cadre_rules_register_packs did not return within 0.3 s"),
    (WaitsForever(), "cadre_rules_register_packs did not return within 0.3 s"),
])
def test_a_registration_hook_that_exits_or_blocks_disables_its_plugin(installed: Install, quick_hooks: None,
                                                                      plugin: object, reason: str) -> None:
    installed(rogue=plugin)
    started = time.monotonic()
    result = run("packs", "list")
    assert time.monotonic() - started < 30
    assert result.exit_code == 0, result.output
    assert f"warning: plugin 'rogue' disabled: {reason}" in result.stderr
    assert result.stdout.strip()  # the list is there
    strict = run("plugins", "--strict-plugins")
    assert strict.exit_code == 2
    assert "plugin 'rogue'" in strict.stderr and reason in strict.stderr
    no_traceback(strict)


def test_the_hook_limit_names_how_to_raise_it(installed: Install, quick_hooks: None) -> None:
    installed(rogue=SleepsInRegistration())
    result = run("plugins")
    assert "HOOK_TIMEOUT" in result.stdout and "CADRE_RULES_HOOK_TIMEOUT" in result.stdout


@pytest.mark.parametrize(("plugin", "reason"), [
    (SpinsInEnrichment(), "cadre_rules_enrich_official did not return within 0.3 s"),
    (ExitsInEnrichment(), "called sys.exit('bye') in cadre_rules_enrich_official"),
])
def test_an_enricher_that_exits_or_blocks_is_disabled_and_the_run_goes_on(installed: Install, quick_hooks: None,
                                                                         tmp_path: Path, plugin: object,
                                                                         reason: str) -> None:
    installed(rogue=plugin)
    data = write_data(tmp_path)
    result = evaluate(data, "--fail-on", "never", "--format", "json")
    assert result.exit_code == 0, result.output
    assert reason in result.stderr
    assert '"findings"' in result.stdout
    strict = evaluate(data, "--strict-plugins")
    assert strict.exit_code == 2
    assert reason in strict.stderr


class GarbageReader:
    @hookimpl
    def cadre_rules_register_readers(self, register: ReaderRegistrar) -> None:
        register("tsv", officials=lambda path, units=None: ["not an official"], units=lambda path: [])


class ExitingRenderer:
    @hookimpl
    def cadre_rules_register_renderers(self, register: RendererRegistrar) -> None:
        register("quit", lambda report, lang: sys.exit(0), extension="quit")


def test_a_plugin_reader_returning_garbage_is_exit_2_naming_the_plugin(installed: Install, tmp_path: Path) -> None:
    installed(rogue=GarbageReader())
    (tmp_path / "officials.tsv").write_text("x", encoding="utf-8")
    (tmp_path / "units.tsv").write_text("x", encoding="utf-8")
    result = evaluate(tmp_path)
    assert result.exit_code == 2
    assert "plugin 'rogue': the officials reader for .tsv returned a str, not a cadre_rules.Official" in result.stderr
    no_traceback(result)


def test_a_plugin_renderer_calling_sys_exit_is_exit_2(installed: Install, good: Path) -> None:
    installed(rogue=ExitingRenderer())
    result = evaluate(good, "--format", "quit")
    assert result.exit_code == 2, result.output
    assert "plugin 'rogue'" in result.stderr and "sys.exit(0)" in result.stderr


# --------------------------------------------------------------------------- --timeout, internal errors, signals


def test_timeout_stops_a_blocked_command_with_exit_2(installed: Install, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_HOOK_TIMEOUT", "3600")
    installed(rogue=SpinsInEnrichment())
    started = time.monotonic()
    result = evaluate(write_data(tmp_path), "--timeout", "0.5")
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert ("did not finish within --timeout 0.5 s; raise it with --timeout SECONDS "
            "(running: plugin 'rogue', cadre_rules_enrich_official)") in result.stderr
    no_traceback(result)


STALL_PACK = """[pack]
id = "stall-pack"
version = "1"
title = "Stall"

[[rule]]
id = "rotation.stall"
family = "rotation"
when = "stall() > 1"
message = "stalled"
cite = "test"
"""


class StallingFunction:
    @hookimpl
    def cadre_rules_register_functions(self, register: Any) -> None:
        register("stall", lambda context: time.sleep(3600), returns="int")

    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register(self.path)  # type: ignore[attr-defined]


def test_timeout_names_the_plugin_function_that_was_running(installed: Install, tmp_path: Path) -> None:
    plugin = StallingFunction()
    plugin.path = tmp_path / "stall.toml"  # type: ignore[attr-defined]
    plugin.path.write_text(STALL_PACK, encoding="utf-8")  # type: ignore[attr-defined]
    installed(staller=plugin)
    result = run("evaluate", write_data(tmp_path), "--pack", "stall-pack", "--as-of", "2025-06-30",
                 "--backend", "reference", "--timeout", "0.5")
    assert result.exit_code == 2, result.output
    assert "(running: plugin 'staller', function stall())" in result.stderr


@pytest.mark.parametrize("command", [["packs", "list"], ["packs", "show", "x"], ["packs", "validate", "x"],
                                     ["plugins"], ["sample", "x"], ["evaluate", "x"], ["explain", "x"]])
def test_every_command_takes_timeout_and_debug(command: list[str]) -> None:
    result = run(*command, "--help")
    assert "--timeout SECONDS" in result.stdout and "--debug" in result.stdout


@pytest.mark.parametrize("value", ["0", "-1", "inf", "abc"])
def test_a_bad_timeout_is_bad_usage(value: str) -> None:
    result = run("packs", "list", "--timeout", value)
    assert result.exit_code == 2


def test_the_engine_gets_the_timeout(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = _cli._engine

    def spy(**kwargs: Any) -> Any:
        seen.append(kwargs.get("timeout"))
        return real(**kwargs)

    monkeypatch.setattr(_cli, "_engine", spy)
    assert evaluate(good, "--timeout", "12.5").exit_code == 0
    assert seen == [12.5]


def _crash(*args: object, **kwargs: object) -> str:
    raise TypeError("something broke\nover two lines")


def test_an_internal_error_is_exit_3_in_one_line(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_text, "render_text", _crash)
    result = evaluate(good)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: internal error (a bug in cadre-rules, please report it): TypeError: something broke "
                     "over two lines; run with --debug for the traceback"]
    debug = evaluate(good, "--debug")
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise TypeError("something broke' in debug.stderr


def test_the_messages_are_in_the_language_of_the_locale(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "vi_VN.UTF-8")
    monkeypatch.setattr(_text, "render_text", _crash)
    result = evaluate(good)
    assert result.exit_code == 3
    assert result.stderr.startswith("lỗi: lỗi nội bộ (lỗi của cadre-rules, xin báo lại): TypeError: something broke")


def test_findings_and_internal_errors_never_share_a_code() -> None:
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 130, 143]


@pytest.mark.parametrize(("exc", "code", "text"), [
    (KeyboardInterrupt(), 130, "interrupted (Ctrl-C)"),
    (_exits._Terminated(), 143, "terminated (SIGTERM)"),
    (MemoryError(), 2, "out of memory"),
    (OSError(28, "No space left on device"), 2, "cannot write the output: No space left on device"),
    (SystemExit(0), 3, "internal error"),
])
def test_how_a_command_can_end(good: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException, code: int,
                               text: str) -> None:
    def boom(*args: object, **kwargs: object) -> str:
        raise exc

    monkeypatch.setattr(_text, "render_text", boom)
    result = evaluate(good)
    assert result.exit_code == code, result.output
    assert text in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("exc", "code", "text"), [
    (KeyboardInterrupt(), 130, "interrupted (Ctrl-C)"), (_exits._Terminated(), 143, "terminated (SIGTERM)")])
def test_an_interruption_while_the_command_line_is_parsed(good: Path, monkeypatch: pytest.MonkeyPatch,
                                                          exc: BaseException, code: int, text: str) -> None:
    import click

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(click.Group, "parse_args", boom)  # the top-level group's parsing (click would exit 1)
    result = evaluate(good)
    assert result.exit_code == code, result.output
    assert text in result.stderr and "Aborted" not in result.output


def test_stdout_on_a_full_disk_is_a_clear_error(good: Path) -> None:
    with open("/dev/full", "wb") as full:
        process = subprocess.run([sys.executable, "-m", "cadre_rules", "evaluate", str(good), "--pack", str(PACK),
                                  "--as-of", "2025-06-30", "--backend", "reference", "--format", "json"],
                                 stdout=full, stderr=subprocess.PIPE, timeout=120, check=False)
    stderr = process.stderr.decode()
    assert process.returncode == 2, stderr
    assert "No space left on device" in stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_stdout_closed_early_is_a_clear_error(good: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "cadre_rules", "evaluate", str(good), "--pack", str(PACK),
                                "--as-of", "2025-06-30", "--backend", "reference", "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # nobody reads
    _, stderr_bytes = process.communicate(timeout=120)
    stderr = stderr_bytes.decode()
    assert process.returncode == 2, stderr
    assert "Broken pipe" in stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


# --------------------------------------------------------------------------- the time bounds themselves


def test_nested_bounds_raise_the_one_that_ran_out() -> None:
    outer = time_limit(30, "outer")
    inner = time_limit(0.2, "inner")
    with outer:
        with pytest.raises(TimeLimitExceeded) as caught, inner:
            time.sleep(5)
        assert caught.value.bound is inner
        time.sleep(0.3)  # the outer bound is still armed and has not run out
    assert not outer.expired


def test_a_restarted_bound_does_not_fire_while_each_step_is_quick() -> None:
    bound = time_limit(0.3, "loop")
    with bound:
        for _ in range(8):
            bound.restart()
            time.sleep(0.1)
    assert not bound.expired
