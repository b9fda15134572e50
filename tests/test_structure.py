"""The package's structure (DESIGN.md §2): no import circles, every renderer in ``render/``."""

from __future__ import annotations

import ast
from pathlib import Path

import cadre_rules

PACKAGE = Path(cadre_rules.__file__).parent


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of the package → the modules of the package it imports (anywhere in it: at the top,
    in a function, under ``TYPE_CHECKING``). ``from . import x`` imports ``x``, not the package."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
                submodules = {f"{target}.{alias.name}" for alias in node.names} & modules.keys()
                found |= submodules or ({target} & modules.keys())
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names} & modules.keys()
        graph[name] = found - {name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles() -> None:
    graph = imports()
    assert "cadre_rules.report._report" in graph["cadre_rules.render._jsonl"]  # the graph sees relative imports
    assert circles(graph) == []


def test_a_circle_is_seen() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_does_not_import_the_report_and_explanations_not_the_engine() -> None:
    graph = imports()
    assert "cadre_rules.report._report" not in graph["cadre_rules.model._model"]
    assert "cadre_rules.report._report" not in graph["cadre_rules.model._report_records"]
    # the input records do not import the report's (which make their findings by the input's make_records)
    assert "cadre_rules.model._report_records" not in graph["cadre_rules.model._model"]
    assert not {"cadre_rules.engine._engine", "cadre_rules.engine._run"} & graph["cadre_rules.report._explain"]
    assert not any(m.startswith("cadre_rules.render") for m in graph["cadre_rules.report._explain"])


def test_every_renderer_is_in_render() -> None:
    assert not [p.name for p in PACKAGE.glob("_render*.py")]
    assert (PACKAGE / "render" / "_text.py").is_file()


# DESIGN.md §2: each layer a subpackage that imports only the layers below it, so that the folder list reads as
# the data flow. Rank 0: what every layer may use (errors, limits, time bounds, the JSON Schemas); the top: the plugin manager, the
# built-in plugin, the plugin contract's module and the command line.
LAYERS = {"errors": 0, "_collector": 0, "_limits": 0, "_timeouts": 0, "schemas": 0, "model": 1, "_i18n": 2, "hookspecs": 2, "io": 3, "packs": 3,
          "report": 4, "engine": 5, "render": 6, "jobs": 7, "service": 8}
TOP = 9
# The arrows up a layer that stay, each with its reason.
UPWARD = {
    # the Engine, the public entry point, loads and owns its plugin manager (pluggy) — a caller never builds one
    ("cadre_rules.engine._engine", "cadre_rules._plugins"),
    # each worker process of the service loads the plugins once, before its first request
    ("cadre_rules.service._worker", "cadre_rules._plugins"),
}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def arrows_up(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports that go up a layer, or sideways between two layers of the same rank."""
    def rank(module: str) -> int:
        return LAYERS.get(layer(module), TOP)

    return {(m, t) for m, targets in graph.items() for t in targets
            if rank(t) > rank(m) or (rank(t) == rank(m) < TOP and rank(m) > 0 and layer(t) != layer(m))}


def test_the_layers_import_only_the_layers_below() -> None:
    graph = imports()
    assert {layer(m) for m in graph} >= {"model", "io", "packs", "report", "engine", "render", "jobs", "service"}
    assert arrows_up(graph) == UPWARD


def test_an_arrow_up_is_seen() -> None:
    graph = {"cadre_rules.model._model": {"cadre_rules.report._report"}, "cadre_rules.io._io": {"cadre_rules.packs._packs"},
             "cadre_rules.render._text": {"cadre_rules.report._report", "cadre_rules.errors"}}
    assert arrows_up(graph) == {("cadre_rules.model._model", "cadre_rules.report._report"),
                                ("cadre_rules.io._io", "cadre_rules.packs._packs")}


def test_the_folder_is_the_layers() -> None:
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__", "__main__", "_builtins", "_cli", "_click_language", "_collector", "_doctor", "_exits", "_hook_checks",
                    "_i18n",
                    "_limits", "_plugins", "_timeouts", "errors", "hookspecs"]
