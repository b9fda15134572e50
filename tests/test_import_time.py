"""A command loads the modules it uses (issue #17): ``cadre-rules evaluate … --format json`` does not import the
modules of the other formats and commands, and the public names of ``cadre_rules`` and ``cadre_rules.render``
load with their module when first used (PEP 562), each the object its module defines.

Start-up time itself is measured by ``bench/bench_startup.py``, not here.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import cadre_rules
from cadre_rules import render

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2022"

#: Loaded by no ``evaluate`` in json: the modules of the other formats and commands, and their libraries.
NOT_FOR_JSON = ("cadre_rules.render", "cadre_rules.jobs", "cadre_rules.service", "cadre_rules.report._waivers",
                "cadre_rules.report._training", "cadre_rules.report._scope", "cadre_rules.report._vacancies",
                "cadre_rules.io._template", "cadre_rules.io._sample", "cadre_rules.io._document", "cadre_rules._doctor",
                "openpyxl", "xlsxwriter", "python_calamine", "html.parser")


def _loaded(code: str, cwd: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, timeout=120,
                           check=False)
    assert child.returncode == 0, child.stderr
    return set(child.stdout.split())


def _under(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 300 officials of the bundled sample and its units."""
    out = tmp_path_factory.mktemp("small")
    lines = (SAMPLE / "officials.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "officials.csv").write_text("".join(lines[:301]), encoding="utf-8")
    (out / "units.csv").write_bytes((SAMPLE / "units.csv").read_bytes())
    return out


def _evaluate(data: Path, fmt: str, output: Path) -> str:
    return ("from cadre_rules._cli import main\n"
            "try:\n"
            f"    main(['evaluate', {str(data)!r}, '--as-of', '2024-06-30', '--format', {fmt!r}, '-o', {str(output)!r},"
            " '-q'])\n"
            "except SystemExit as exc:\n"
            "    assert exc.code in (0, 1), exc.code\n")


def test_evaluate_json_loads_no_other_format_or_command(small_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    loaded = _loaded(_evaluate(small_data, "json", output), tmp_path)
    assert output.stat().st_size > 1000  # it did evaluate and write
    assert {"cadre_rules.engine._engine", "cadre_rules.report._report", "orjson"} <= loaded
    assert _under(loaded, NOT_FOR_JSON) == []


def test_evaluate_text_loads_its_renderer_only(small_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.txt"
    loaded = _loaded(_evaluate(small_data, "text", output), tmp_path)
    assert output.read_text(encoding="utf-8")
    assert "cadre_rules.render._text" in loaded
    assert _under(loaded, ("cadre_rules.render._html", "cadre_rules.render._xlsx", "cadre_rules.render._xlsx_writer",
                           "cadre_rules.render._pdf", "cadre_rules.jobs")) == []


def test_each_format_loads_when_it_renders(small_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.csv"
    loaded = _loaded(_evaluate(small_data, "csv", output), tmp_path)
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # the csv renderer wrote it (UTF-8 with BOM)
    assert "cadre_rules.render._csv" in loaded
    assert _under(loaded, ("cadre_rules.render._html", "cadre_rules.render._xlsx", "cadre_rules.jobs")) == []


def test_import_cadre_rules_loads_no_format_or_job(tmp_path: Path) -> None:
    loaded = _loaded("import cadre_rules\nimport cadre_rules._cli", tmp_path)
    assert _under(loaded, ("cadre_rules.render", "cadre_rules.jobs", "cadre_rules.report._waivers")) == []


def test_help_loads_no_engine_plugin_or_pack(tmp_path: Path) -> None:
    """``cadre-rules --help`` (and ``import cadre_rules._cli``) loads the commands' click objects, not the engine,
    the plugins, the packs or the report encoder: each command loads them when it runs."""
    code = ("import contextlib, io\n"
            "from cadre_rules._cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            "        main(['--help'])\n"
            "    except SystemExit as exc:\n"
            "        assert exc.code == 0, exc.code\n"
            "assert 'evaluate' in out.getvalue()\n")
    loaded = _loaded(code, tmp_path)
    assert "cadre_rules._cli" in loaded
    assert _under(loaded, ("cadre_rules.engine", "cadre_rules._plugins", "cadre_rules.packs", "cadre_rules.report",
                           "pluggy", "orjson", "tomllib")) == []


def _type_checking_imports(module: ModuleType) -> dict[str, tuple[str, str]]:
    """The ``from .x import y [as z]`` of the module's ``if TYPE_CHECKING:`` block: ``z`` → (``.x``, ``y``)."""
    path = Path(str(module.__file__))
    found: dict[str, tuple[str, str]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                for alias in imp.names:
                    found[alias.asname or alias.name] = ("." * imp.level + (imp.module or ""), alias.name)
    return found


@pytest.mark.parametrize("package", [cadre_rules, render], ids=["cadre_rules", "cadre_rules.render"])
def test_lazy_names_are_the_typed_ones(package: ModuleType) -> None:
    """What mypy sees (the ``TYPE_CHECKING`` imports), ``__all__`` and what ``__getattr__`` loads are the same
    names, each the object its module defines; ``dir()`` lists them; an unknown name is an AttributeError."""
    typed = _type_checking_imports(package)
    names = package.__all__
    assert sorted(typed) == sorted(names) == names
    for name, (module, attribute) in typed.items():
        expected = getattr(importlib.import_module(module, package.__name__), attribute)
        assert getattr(package, name) is expected, name
    assert set(names) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = package.nothing_here


def test_from_import_in_a_fresh_interpreter(tmp_path: Path) -> None:
    code = ("from cadre_rules import Engine, match_posts, report_to_json, __version__\n"
            "from cadre_rules.render import render_html\n"
            "from cadre_rules.jobs._match import match\n"
            "from cadre_rules.engine._engine import Engine as E\n"
            "assert match_posts is match and Engine is E and render_html.__module__ == 'cadre_rules.render._html'\n"
            "assert __version__\n")
    loaded = _loaded(code, tmp_path)
    assert "cadre_rules.render._html" in loaded
