"""``cadre-rules evaluate --pack X`` where X is the pack of a plugin that failed to load: the error names the
disabled plugin (its reason is the warning above), not only that the pack is unknown (session 11, s11-f)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import PackError
from cadre_rules import PluginWarning
from cadre_rules import _plugins
from cadre_rules._cli import cli


class Broken:
    name, dist = "xa-broken", None

    def load(self) -> object:
        raise ImportError("No module named 'numpyy'")


@pytest.fixture
def broken_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr(_plugins, "metadata", SimpleNamespace(
        entry_points=lambda group: [Broken()] if group == _plugins.GROUP else []))


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("ref", ["xa-local", "xa-local@2025.07"])
def test_evaluate_names_the_disabled_plugin(broken_plugin: None, ref: str, lang: str) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "examples/hanoi-2025", "--pack", ref, "--lang", lang],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    if lang == "en":
        assert "warning: plugin 'xa-broken' disabled: failed to import" in result.stderr
        # (located at the option that named the pack, with the pack as given: session 17)
        assert "--pack: unknown pack " in result.stderr
        assert f"--pack: it may be the pack of a disabled plugin (see the warnings): xa-broken (got '{ref}')" in \
            result.stderr
    else:
        assert f"--pack: có thể là gói của một plugin đã tắt (xem các lưu ý): xa-broken (giá trị đọc được: '{ref}')" \
            in result.stderr


def test_the_engine_says_it_too_and_a_known_pack_is_unaffected(broken_plugin: None) -> None:
    with pytest.raises(PackError) as caught, pytest.warns(PluginWarning, match="xa-broken"):
        Engine(["xa-local"], backend="reference")
    assert [p.text() for p in caught.value.problems][1] == \
        "packs: it may be the pack of a disabled plugin (see the warnings): xa-broken (got 'xa-local')"
    with pytest.warns(PluginWarning, match="xa-broken"):
        assert {p.id for p in Engine(["vn-commune-2tier"], backend="reference").packs} == {"vn-commune-2tier"}


def test_without_a_disabled_plugin_the_error_is_as_before() -> None:
    with pytest.raises(PackError) as caught:
        Engine(["xa-local"], backend="reference", plugins=False)
    assert len(caught.value.problems) == 1 and "disabled" not in caught.value.problems[0].text()
