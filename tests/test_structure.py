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
    assert "cadre_rules._report" in graph["cadre_rules.render._jsonl"]  # the graph sees relative imports
    assert circles(graph) == []


def test_a_circle_is_seen() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_does_not_import_the_report_and_explanations_not_the_engine() -> None:
    graph = imports()
    assert "cadre_rules._report" not in graph["cadre_rules._model"]
    assert not {"cadre_rules._engine", "cadre_rules._run"} & graph["cadre_rules._explain"]
    assert not any(m.startswith("cadre_rules.render") for m in graph["cadre_rules._explain"])


def test_every_renderer_is_in_render() -> None:
    assert not [p.name for p in PACKAGE.glob("_render*.py")]
    assert (PACKAGE / "render" / "_text.py").is_file()
