"""A pack file is parsed once per process for what makes it (its name, its bytes, the functions it may call):
every ``Engine()`` shares the parsed packs (packs/_packs.py ``_PARSED``), and a file that changed, parameter
overrides or another function are parsed anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadre_rules import Engine
from cadre_rules import hookimpl
from cadre_rules.packs import _packs
from cadre_rules.packs._packs import load_pack

PACK = """
[pack]
id = "cache-probe"
version = "1"
title = "probe"

[[rule]]
id = "probe.{n}"
family = "qualification"
cite = "probe"
subject = "official"
when = "age >= {age}"
message = "{n}"
"""


def _write(path: Path, n: int, age: int = 30) -> Path:
    path.write_text(PACK.replace("{n}", str(n)).replace("{age}", str(age)), encoding="utf-8")
    return path


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from now on."""
    files: list[str] = []
    parse = _packs.parse_pack

    def counted(data: Any, **kwargs: Any) -> Any:
        files.append(Path(kwargs.get("file", "")).name)
        return parse(data, **kwargs)

    monkeypatch.setattr(_packs, "parse_pack", counted)
    return files


def test_engines_share_the_packs_parsed_once(parsed: list[str]) -> None:
    first = Engine()
    parsed.clear()
    second = Engine()
    assert parsed == []
    assert len(first.packs) > 5 and first.packs == second.packs


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = _write(tmp_path / "probe.toml", 1)
    before = load_pack(path)
    assert load_pack(path) is before
    _write(path, 2)
    after = load_pack(path)
    assert [r.id for r in before.rules] == ["probe.1"] and [r.id for r in after.rules] == ["probe.2"]


def test_overrides_are_never_taken_from_or_kept_in_the_parsed_packs(tmp_path: Path) -> None:
    path = tmp_path / "probe.toml"
    path.write_text(PACK.replace("{n}", "1").replace("{age}", "min_age") +
                    "\n[params]\nmin_age = 30\n", encoding="utf-8")
    plain = load_pack(path)
    changed = load_pack(path, overrides={"min_age": 40})
    assert changed is not plain and changed.params["min_age"] != plain.params["min_age"]
    assert load_pack(path) is plain


def test_another_function_of_the_same_name_makes_another_pack(tmp_path: Path, parsed: list[str]) -> None:
    """A plugin's function registered again (each engine registers them) shares the pack; another function under
    the same name does not: the pack calls the function it was parsed with."""
    path = tmp_path / "probe.toml"
    path.write_text(PACK.replace("{n}", "1").replace("when = \"age >= {age}\"", "when = \"probe_value() > 1\""),
                    encoding="utf-8")

    def plugin(value: float) -> Any:
        def probe_value(context: object) -> float:
            return value

        class Plugin:
            @hookimpl
            def cadre_rules_register_functions(self, register: Any) -> None:
                register("probe_value", probe_value, returns="number")

            @hookimpl
            def cadre_rules_register_packs(self, register: Any) -> None:
                register(path)
        return Plugin()

    one = plugin(2.0)
    Engine(plugins=[one])
    assert parsed.count("probe.toml") == 1
    Engine(plugins=[one])
    assert parsed.count("probe.toml") == 1
    Engine(plugins=[plugin(0.5)])
    assert parsed.count("probe.toml") == 2


def test_the_parsed_packs_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_packs, "_PARSED", {})
    for n in range(_packs._MAX_PARSED + 5):
        load_pack(_write(tmp_path / f"p{n}.toml", n))
    assert len(_packs._PARSED) == _packs._MAX_PARSED
