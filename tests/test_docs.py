"""The documentation keeps up with the code: every hook and public name of the plugin contract is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from cadre_rules import hookspecs

ROOT = Path(__file__).parents[1]
PLUGINS_MD = ROOT / "docs" / "plugins.md"
HOOKS = sorted(name for name, obj in vars(hookspecs).items()
               if callable(obj) and hasattr(obj, f"{hookspecs.PROJECT}_spec"))


def signature(name: str) -> str:
    """``name(arg, …)`` as the docs head the hook's section."""
    return f"{name}({', '.join(inspect.signature(getattr(hookspecs, name)).parameters)})"


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    lines = text.splitlines()
    start = lines.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level), len(lines))
    return "\n".join(lines[start + 1:end])


@pytest.fixture(scope="module")
def docs() -> str:
    return PLUGINS_MD.read_text(encoding="utf-8")


def test_hooks_are_found() -> None:
    assert HOOKS == ["cadre_rules_enrich_official", "cadre_rules_register_functions", "cadre_rules_register_packs",
                     "cadre_rules_register_readers", "cadre_rules_register_renderers"]
    assert signature("cadre_rules_enrich_official") == "cadre_rules_enrich_official(official, as_of)"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_headed_by_its_signature(docs: str, hook: str) -> None:
    heading = f"### `{signature(hook)}`"
    assert heading in headings(docs), f"docs/plugins.md has no heading {heading!r}"
    body = section(docs, heading)
    for param in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert f"**`{param}`**" in body, f"{hook}: parameter {param!r} is not described"
    assert "**Return:**" in body and "**Convention:**" in body and "**When:**" in body, hook
    assert "```python" in body and f"def {hook}(" in body, f"{hook}: no example"


def test_every_public_name_of_the_hookspecs_is_documented(docs: str) -> None:
    missing = [name for name in hookspecs.__all__ if f"`{name}" not in docs]
    assert not missing, f"not documented in docs/plugins.md: {missing}"


def test_the_opt_in_arguments_rule_comes_first(docs: str) -> None:
    first_hook = min(docs.index(f"### `{signature(h)}`") for h in HOOKS)
    intro = docs[:docs.index("## ")]
    assert "Opt-in arguments" in intro and first_hook > len(intro)


def test_relative_links_resolve(docs: str) -> None:
    for target in re.findall(r"\]\((\.\./[^)#]+)\)", docs):
        assert (PLUGINS_MD.parent / target).resolve().exists(), target


def test_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## [Unreleased]\n" in changelog


def test_the_readme_documents_every_exit_code_and_limit() -> None:
    from cadre_rules import _limits
    from cadre_rules._exits import EXIT_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section_text = section(readme, "## Exit codes and limits / Mã thoát và giới hạn")
    for code in EXIT_CODES:
        assert f"| `{code}` |" in section_text, code
    for name in _limits.__all__:
        if name.isupper() and name not in ("ENV", "DEFAULT_TIMEOUT"):
            assert f"| `{name}` |" in section_text, name
    for variable in _limits.ENV.values():
        assert f"`{variable}`" in section_text, variable
