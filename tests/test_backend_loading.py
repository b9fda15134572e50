"""Which backend runs: durable-rules wherever its engine loads (3.11–3.13, with the shim on 3.13+),
the reference only where it cannot, and then the report, ``--version`` and ``doctor`` say so."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from importlib import metadata
from importlib import util
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import EvaluationError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules.engine import _durable
from cadre_rules.engine import _durable_found
from cadre_rules.engine._engine import make_backend
from cadre_rules.render._text import render_text
from conftest import EVERY_CONSTRUCT
from conftest import REQUIRE_DURABLE

SHIM = "cadre_rules.engine._pyeval_compat"
needs_313 = pytest.mark.skipif(sys.version_info < (3, 13), reason="the shim is built and loaded on Python 3.13+ only")
UNIT = Unit("U1", "Xã Tản Lĩnh", "commune", 1, "Ba Vì")
# (every value the pack's rules read is given: no rule is left undecided, so a note would be the fallback's)
PEOPLE = [Official("O1", "Nguyễn Văn A", "male", date(1990, 5, 5), "U1", "committee_chair", "college", "elementary",
                   in_planning=False, ratings=((2023, "good"),), low_confidence_share=Fraction(0))]
REASON = "durable-rules' engine did not load: undefined symbol: PyEval_CallObject"


def test_auto_is_durable_wherever_its_engine_loads() -> None:
    assert make_backend("auto").name == ("durable" if _durable.AVAILABLE else "reference")
    assert (_durable.UNAVAILABLE_REASON is None) == _durable.AVAILABLE
    if REQUIRE_DURABLE:  # CI: on every Python it runs, durable-rules is the engine
        assert _durable.AVAILABLE, _durable.UNAVAILABLE_REASON
        assert Engine([EVERY_CONSTRUCT]).evaluate(PEOPLE, [UNIT], date(2024, 1, 1)).backend == "durable"


def test_the_shim_is_loaded_only_where_needed() -> None:
    if sys.version_info >= (3, 13):
        assert not _durable.AVAILABLE or SHIM in sys.modules
    else:
        assert SHIM not in sys.modules


@needs_313
def test_without_the_shim_durable_rules_does_not_load_on_313() -> None:
    # what the shim is for: durable-rules' engine module alone refers to a symbol 3.13 removed
    child = subprocess.run([sys.executable, "-c", "import durable_rules_engine"], capture_output=True, text=True,
                           timeout=60, check=False)
    assert child.returncode == 1
    assert "undefined symbol: PyEval_CallObject" in child.stderr


@needs_313
def test_the_shim_calls_like_pyeval_callobject() -> None:
    spec = util.find_spec(SHIM)
    assert spec is not None and spec.origin is not None
    library = ctypes.PyDLL(spec.origin)
    function = library.PyEval_CallObject
    function.restype = ctypes.py_object
    function.argtypes = [ctypes.py_object, ctypes.py_object]
    assert function(lambda *args: ("called", *args), (1, "x")) == ("called", 1, "x")
    with pytest.raises(ZeroDivisionError):  # the callable's exception, as PyEval_CallObject set it
        function(lambda n: 1 / n, (0,))
    without = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.py_object, ctypes.c_void_p)(("PyEval_CallObject", library))
    assert without(lambda: "no arguments", None) == "no arguments"  # NULL: no arguments


def test_durable_rules_storage_callbacks_are_never_registered() -> None:
    # durable-rules calls PyEval_CallObject only from its storage callbacks, and on 3.13 those calls were
    # compiled with an implicit int declaration (the result is truncated): they must stay unused
    source = Path(_durable.__file__).read_text(encoding="utf-8")
    assert "_dre." in source and "callback" not in source


def test_the_shim_is_loaded_with_global_symbols_and_the_flags_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(_durable.importlib, "import_module", lambda name: seen.append((name, sys.getdlopenflags())))
    before = sys.getdlopenflags()
    _durable._load_global("some.module")
    assert seen == [("some.module", before | os.RTLD_GLOBAL)]
    assert sys.getdlopenflags() == before


def test_a_missing_shim_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(_durable, "_load_global", missing)
    engine, reason = _durable._load_engine(needs_shim=True)
    assert engine is None
    assert reason == ("the shim cadre_rules.engine._pyeval_compat that durable-rules needs on Python 3.13+ did not load "
                      "(No module named 'cadre_rules.engine._pyeval_compat'); reinstall cadre-rules on this Python with a "
                      "C compiler")


def test_a_missing_engine_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)  # import fails
    engine, reason = _durable._load_engine(needs_shim=False)
    assert engine is None
    assert reason is not None and reason.startswith("durable-rules' engine did not load: ")
    assert "durable_rules_engine" in reason


def test_version_finds_the_engine_without_loading_it(tmp_path: Path) -> None:
    """``--version`` says which backend ``auto`` chooses from the installed engine module, found but not loaded
    (nor the modules that drive it, nor the plugins): loading is the first evaluation's (and doctor's)."""
    code = ("import contextlib, io, sys\n"
            "from cadre_rules._cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            "        main(['--version'])\n"
            "    except SystemExit as exc:\n"
            "        assert exc.code == 0, exc.code\n"
            "print(out.getvalue().strip())\n"
            "print(' '.join(sorted(sys.modules)))\n")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                           check=True)
    line, modules = child.stdout.splitlines()
    assert line.startswith(f"cadre-rules {metadata.version('cadre-rules')} (durable-rules "
                           f"{metadata.version('durable-rules')}, Python ")
    loaded = set(modules.split())
    assert not loaded & {"durable_rules_engine", "cadre_rules.engine._durable", "cadre_rules._plugins", "pluggy"}


def test_an_engine_not_installed_is_named_without_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "cadre_rules.engine._durable")
    monkeypatch.setattr(_durable_found, "find_spec", lambda name: None)
    expected = ("the shim cadre_rules.engine._pyeval_compat that durable-rules needs on Python 3.13+ is not "
                "installed; reinstall cadre-rules on this Python with a C compiler"
                if sys.version_info >= (3, 13) else "durable-rules' engine is not installed")
    assert _durable_found.durable_unavailable() == expected


def test_once_loaded_the_engines_own_verdict_is_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _durable_found.durable_unavailable() == _durable.UNAVAILABLE_REASON
    monkeypatch.setattr(_durable, "UNAVAILABLE_REASON", REASON)
    assert _durable_found.durable_unavailable() == REASON


@pytest.fixture
def no_durable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_durable, "AVAILABLE", False)
    monkeypatch.setattr(_durable, "UNAVAILABLE_REASON", REASON)


@pytest.mark.usefixtures("no_durable")
def test_the_fallback_is_named_in_the_report_never_silent() -> None:
    report = Engine([EVERY_CONSTRUCT], lang="en").evaluate(PEOPLE, [UNIT], date(2024, 1, 1))
    assert report.backend == "reference"
    note = f"durable-rules could not be used, the reference backend evaluated the packs: {REASON}"
    assert report.notes[0] == note
    doc = json.loads(report_to_json(report))
    assert doc["backend"] == "reference" and doc["notes"][0] == note
    text = render_text(report, lang="en")
    assert "\nRule engine: reference (pure Python)\n" in text and f"  - {note}\n" in text
    vi = render_text(Engine([EVERY_CONSTRUCT], lang="vi").evaluate(PEOPLE, [UNIT], date(2024, 1, 1)), lang="vi")
    assert "\nBộ máy quy tắc: tham chiếu (Python thuần)\n" in vi
    assert f"durable-rules không dùng được, bộ máy tham chiếu đã đánh giá các gói quy định: {REASON}" in vi


@pytest.mark.usefixtures("no_durable")
def test_a_backend_asked_for_is_never_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    report = Engine([EVERY_CONSTRUCT], backend="reference").evaluate(PEOPLE, [UNIT], date(2024, 1, 1))
    assert (report.backend, report.notes) == ("reference", ())  # asked for: no fallback note
    monkeypatch.setattr(_durable, "_dre", None)
    with pytest.raises(EvaluationError, match=f"^{REASON}; use the reference backend$"):
        Engine([EVERY_CONSTRUCT], backend="durable")


def test_the_text_report_names_the_backend_that_ran() -> None:
    for backend, line in (("reference", "Rule engine: reference (pure Python)"),
                          *((("durable", "Rule engine: durable-rules"),) if _durable.AVAILABLE else ())):
        report = Engine([EVERY_CONSTRUCT], backend=backend).evaluate(PEOPLE, [UNIT], date(2024, 1, 1))  # type: ignore[arg-type]
        assert report.backend == backend and report.notes == ()
        assert render_text(report, lang="en").split("\n")[2:4] == ["Input: 1 officials · 1 units", line]


def _doctor(*args: str) -> str:
    result = CliRunner().invoke(cli, ["doctor", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_doctor_says_what_a_bug_report_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    lines = _doctor("--lang", "en").splitlines()
    python = sys.version.split()[0]
    assert lines[0] == f"cadre-rules: {metadata.version('cadre-rules')}"
    assert lines[1].startswith(f"Python: CPython {python} (")
    assert lines[2] == f"durable-rules: {metadata.version('durable-rules')}"
    if _durable.AVAILABLE:
        assert lines[3:5] == ["durable-rules engine: loads", "backend chosen by --backend auto: durable"]
    assert lines[5].startswith("PDF (--format pdf): ")  # (session 16: the Chromium that prints it, or none)
    assert lines[6] == "plugins:"
    assert lines[7] == f"  cadre_rules {metadata.version('cadre-rules')}  [ok]"
    installed = sorted(ep.name for ep in metadata.entry_points(group="cadre_rules"))
    assert sorted(line.split()[0] for line in lines[8:]) == installed


def test_doctor_says_which_chromium_prints_the_pdf_or_that_none_does(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    """``--format pdf`` needs a Chromium, and doctor did not say whether one was found: an officer learnt it
    from a failed report. Now it names the one found (its name only: a folder may name its owner), or says
    how to install one."""
    chromium = tmp_path / "home" / "someone" / "chromium-headless-shell"
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(chromium))
    assert "PDF (--format pdf): in bằng chromium-headless-shell\n" in _doctor("--lang", "vi")
    assert "someone" not in _doctor("--lang", "en")
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ("PDF (--format pdf): không tìm thấy Chromium để in (Debian: apt-get install chromium-headless-shell "
            "fonts-dejavu-core; hoặc đặt CADRE_RULES_CHROMIUM); báo cáo --format html in được từ mọi trình "
            "duyệt\n") in _doctor("--lang", "vi")


@pytest.mark.usefixtures("no_durable")
def test_doctor_says_why_durable_does_not_load() -> None:
    lines = _doctor("--lang", "en").splitlines()
    assert [lines[3], lines[4], lines[6]] == [f"durable-rules engine: does not load: {REASON}",
                                              "backend chosen by --backend auto: reference",
                                              "plugins: entry-point plugins turned off by CADRE_RULES_DISABLE_PLUGINS"]
    vi = _doctor("--lang", "vi").splitlines()
    assert [*vi[3:5], *vi[6:8]] == [f"bộ máy C của durable-rules: không nạp được: {REASON}",
                                    "bộ máy mà --backend auto chọn: reference",
                                    "phần mở rộng (plugin): các plugin cài đặt đã bị tắt bởi "
                                    "CADRE_RULES_DISABLE_PLUGINS",
                                    f"  cadre_rules {metadata.version('cadre-rules')}  [hoạt động]"]
