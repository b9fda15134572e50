from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck
from hypothesis import settings

from cadre_rules import Report
from cadre_rules import _plugins
from cadre_rules import report_to_json

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=6000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Set by CI (scripts/test --ci): durable-rules' engine must load, so that no durable test is skipped.
REQUIRE_DURABLE = os.environ.get("CADRE_RULES_REQUIRE_DURABLE", "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    """Under CADRE_RULES_REQUIRE_DURABLE=1, stop before any test if durable-rules' engine does not load."""
    from cadre_rules.engine import _durable

    if REQUIRE_DURABLE and not _durable.AVAILABLE:
        raise pytest.UsageError(f"CADRE_RULES_REQUIRE_DURABLE is set but {_durable.UNAVAILABLE_REASON}")

TESTS = Path(__file__).parent
EVERY_CONSTRUCT = TESTS / "packs" / "every-construct.toml"


def neutral_json(report: Report) -> str:
    """The JSON report without the name of the backend that made it: what the backends must agree on."""
    return report_to_json(attrs.evolve(report, backend=None))


def command(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> tuple[int, bytes, str]:
    """``cadre-rules ARGS`` run in this process (in ``cwd``, with ``stdin``), as ``python -m cadre_rules`` runs it
    (its ``main`` is ``cli`` under the name ``cadre-rules``): its exit code, the bytes of its standard output and the
    text of its standard error. For the tests that compare a command's output with the service's, without a new
    Python's start and imports per command; a test of the process itself starts one. An exception that is not an
    exit is raised, never taken for exit code 1."""
    from cadre_rules._cli import cli

    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="cadre-rules", catch_exceptions=False)
    finally:
        os.chdir(before)
    return result.exit_code, result.stdout_bytes, result.stderr


def report_text(doc: dict[str, object]) -> str:
    """The text of a JSON report (cadre-rules/report/v3) written by json alone: ``json.dumps(indent=2)``, each
    record of ``metrics``, ``findings`` and ``suppressed`` on a line of its own, compact."""
    shell, lists = dict(doc), {}
    for key in ("metrics", "findings", "suppressed"):
        items = doc[key]
        assert isinstance(items, list)
        lists[key] = "[]" if not items else "[\n" + ",\n".join(
            "    " + json.dumps(i, ensure_ascii=False, separators=(",", ":"), allow_nan=False) for i in items) + "\n  ]"
        shell[key] = f"@@{key}@@"
    text = json.dumps(shell, ensure_ascii=False, indent=2, allow_nan=False)
    for key, value in lists.items():
        text = text.replace(f'"@@{key}@@"', value)
    return text + "\n"


@pytest.fixture(autouse=True, scope="session")
def _no_installed_plugins() -> Iterator[None]:
    """Keep plugins installed in the environment (entry points) out of every test, subprocesses included.

    Plugin tests see them again with ``monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")``.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CADRE_RULES_DISABLE_PLUGINS", "1")
        yield

@pytest.fixture(autouse=True, scope="session")
def _english_locale() -> Iterator[None]:
    """Run every test in an English locale, whatever the machine's: the language of the CLI follows the
    locale when no ``--lang`` is given (Vietnamese unless it starts with ``en``), so a test that means the
    Vietnamese default says so with ``--lang vi`` or its own environment (tests/test_i18n.py,
    tests/test_vietnamese.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("LC_ALL", raising=False)
        mp.delenv("LC_MESSAGES", raising=False)
        mp.setenv("LANG", "en_US.UTF-8")
        yield


# Installed district plugins must not change the results of tests that are not about plugins:
# entry-point plugins are off unless a test turns them on (tests/test_plugins.py does).
os.environ["CADRE_RULES_DISABLE_PLUGINS"] = "1"


class FakeEntryPoint:
    """Stands in for an ``importlib.metadata.EntryPoint`` of the ``cadre_rules`` group."""

    dist = None

    def __init__(self, name: str, target: object) -> None:
        self.name = name
        self.target = target

    def load(self) -> object:
        if isinstance(self.target, BaseException):
            raise self.target
        return self.target


def install_plugins(monkeypatch: pytest.MonkeyPatch, **plugins: object) -> None:
    """These, and only these, are the installed entry-point plugins (``name=plugin``; a plugin that is an
    exception fails to load), whatever ``CADRE_RULES_DISABLE_PLUGINS`` says."""
    monkeypatch.delenv(_plugins.DISABLE_ENV, raising=False)
    points = [FakeEntryPoint(name, obj) for name, obj in plugins.items()]
    monkeypatch.setattr(_plugins, "metadata",
                        SimpleNamespace(entry_points=lambda group: points if group == _plugins.GROUP else []))


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``installed(name=plugin, …)``: these, and only these, are the installed entry-point plugins."""
    monkeypatch.delenv(_plugins.DISABLE_ENV, raising=False)
    return lambda **plugins: install_plugins(monkeypatch, **plugins)
