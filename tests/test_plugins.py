"""The plugin API (issue #4): every hook, fault isolation, strictness, scoping and isolation between engines.

Plugins are inline classes or the sample modules of ``tests/plugins/``, given to the engine with
``Engine(plugins=[…])``, or installed as fake entry points (``installed`` fixture) for the CLI, or as
a real ``.dist-info`` on ``PYTHONPATH`` for a subprocess. The last tests use the example district
plugins of ``plugins/`` when they are installed (``pip install -e ./plugins/…``, as CI does).
"""

from __future__ import annotations

import csv
import importlib.util
import inspect
import json
import os
import subprocess
import sys
import unicodedata
import warnings
from collections.abc import Callable
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import OfficialContext
from cadre_rules import PackError
from cadre_rules import PluginError
from cadre_rules import PluginWarning
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import _plugins
from cadre_rules import hookimpl
from cadre_rules import hookspecs
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.engine import _durable
from cadre_rules.packs._registry import builtin_pack_dir
from plugins import misspelled
from plugins import sample

ROOT = Path(__file__).parents[1]
SAMPLE_DATA = ROOT / "examples" / "hanoi-2022"
AS_OF = date(2024, 6, 30)
DISABLE = _plugins.DISABLE_ENV
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]

UNITS = [
    Unit("U1", "Xã Một", "commune", 2, "Huyện A", True),
    Unit("U2", "Phường Hai", "ward", 1, "Quận B", False),
]
OFFICIALS = [
    Official("O1", "Trần Văn An", "male", date(1970, 1, 1), "U1", "party_secretary", "university", "advanced",
             appointed_on=date(2015, 1, 1)),
    Official("O2", "Nguyễn Thị Bình", "female", date(1990, 5, 5), "U1", "committee_chair", "university",
             "intermediate", appointed_on=date(2022, 1, 1)),
    Official("O3", "Trần Minh Chí", "male", date(1985, 3, 3), "U2", "party_secretary", "university", "advanced",
             appointed_on=date(2010, 1, 1)),
]


def hook_names() -> list[str]:
    return sorted(name for name, obj in vars(hookspecs).items()
                  if callable(obj) and hasattr(obj, f"{hookspecs.PROJECT}_spec"))


def findings(report: Report) -> list[tuple[str, str, str]]:
    return [(f.pack, f.rule, f.subject_id) for f in report.findings]


def line_of(text: str) -> int:
    """The line of this file that holds ``text`` (once)."""
    lines = [n for n, line in enumerate(Path(__file__).read_text(encoding="utf-8").splitlines(), 1)
             if text in line and "line_of(" not in line]
    assert len(lines) == 1, lines
    return lines[0]


def quiet_engine(*args: Any, **kwargs: Any) -> Engine:
    """An engine built with every warning turned into an error (a healthy plugin set warns about nothing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return Engine(*args, **kwargs)


# -- one test per hook ------------------------------------------------------------------------

def test_every_hook_has_a_test() -> None:
    names = hook_names()
    assert len(names) == 5
    missing = [name for name in names if f"test_hook_{name}" not in globals()]
    assert not missing, f"hooks without a test_hook_<name>: {missing}"


def test_hook_cadre_rules_register_packs(tmp_path: Path) -> None:
    pack = tmp_path / "district.toml"
    pack.write_text((Path(sample.__file__).parent / "sample-pack.toml").read_text(encoding="utf-8")
                    .replace('id = "sample-local"', 'id = "district-local"').replace('units = ["U1"]', ""),
                    encoding="utf-8")

    class Plugin:
        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(pack, districts=["Quận B"])  # the registration adds to the pack's own [scope]

    engine = quiet_engine(["district-local"], plugins=[Plugin(), sample], backend="reference")
    registered = engine.plugins.packs["district-local"]
    assert (registered.plugin, registered.pack.scope_districts) == ("Plugin", ("Quận B",))
    assert registered.pack.covers("U2", "Quận B") and not registered.pack.covers("U1", "Huyện A")
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert findings(report) == [("district-local", "qualification.surname", "O3"),
                                ("district-local", "rotation.long_in_post", "O3")]
    info = {i.name: i for i in engine.plugins.info()}
    assert info["Plugin"].packs == ("district-local",)
    assert info["Plugin"].hooks == ("cadre_rules_register_packs",)


def test_an_implementation_may_name_its_hook_with_specname() -> None:
    class Plugin:
        @hookimpl(specname="cadre_rules_register_functions")
        def functions(self, register: hookspecs.FunctionRegistrar) -> None:
            register("years_in_post", sample.years_in_post, returns="int")

        @hookimpl(specname="cadre_rules_register_packs")
        def packs(self, register: hookspecs.PackRegistrar) -> None:
            register(sample.PACK)

    engine = quiet_engine(["sample-local"], plugins=[Plugin()])
    assert engine.plugins.packs["sample-local"].plugin == "Plugin"
    assert engine.functions["years_in_post"].plugin == "Plugin"


@pytest.mark.parametrize("backend", BACKENDS)
def test_hook_cadre_rules_register_functions(backend: str) -> None:
    engine = quiet_engine(["sample-local"], plugins=[sample], backend=backend)
    spec = engine.functions["years_in_post"]
    assert (str(spec.returns), spec.params, spec.subject, spec.plugin) == ("int", (), "official", "plugins.sample")
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    long_in_post = [f for f in report.findings if f.rule == "rotation.long_in_post"]
    assert [(f.subject_id, f.message, f.facts) for f in long_in_post] == [
        ("O1", "9 years in post", {"years_in_post()": 9})]  # O3 (12 years) is in U2, outside the pack's scope


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_function_that_declares_what_it_reads_is_called_once_per_combination(backend: str, tmp_path: Path) -> None:
    calls: list[str] = []

    def decade(ctx: OfficialContext) -> int:
        calls.append(ctx.official.id)
        return ctx.official.birth_date.year // 10 * 10

    class Plugin:
        @hookimpl
        def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
            register("decade", decade, returns="int", reads=("birth_date",))
            register("decade_each", decade, returns="int")  # nothing declared: every official

    pack = tmp_path / "decades.toml"
    pack.write_text('[pack]\nid = "decades"\nversion = "1"\ntitle = "t"\n' + "".join(
        f'[[rule]]\nid = "rotation.{name}"\nfamily = "rotation"\nwhen = "{name}() >= 1960"\nmessage = "m"\n'
        'cite = "c"\n' for name in ("decade", "decade_each")), encoding="utf-8")
    born = [date(1969, 1, 1), date(1969, 1, 1), date(1975, 5, 5), date(1969, 1, 1), date(1975, 5, 5)]  # serving
    people = [attrs.evolve(OFFICIALS[0], id=f"P{i}", birth_date=b) for i, b in enumerate(born)]
    engine = Engine([pack], plugins=[Plugin()], backend=backend)
    report = engine.evaluate(people, UNITS, AS_OF)
    assert [f.subject_id for f in report.findings] == ["P0", "P1", "P2", "P3", "P4"] * 2
    assert sorted(calls) == ["P0", "P0", "P1", "P2", "P2", "P3", "P4"]  # decade: P0 and P2 only
    assert engine.functions["decade"].reads == ("birth_date",) and engine.functions["decade_each"].reads is None


def test_hook_cadre_rules_register_functions_types_are_checked_in_packs(tmp_path: Path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[pack]\nid = "bad"\nversion = "1"\ntitle = "t"\n[[rule]]\nid = "rotation.x"\n'
                    'family = "rotation"\nwhen = "years_in_post() == \'long\'"\nmessage = "m"\ncite = "c"\n',
                    encoding="utf-8")
    with pytest.raises(PackError, match="years_in_post"):
        Engine([pack], plugins=[sample])


def test_hook_cadre_rules_register_readers(tmp_path: Path) -> None:
    (tmp_path / "units.tsv").write_text("code\tname\tkind\tclass\tdistrict\thas_council\n"
                                        "U1\tXã Một\tcommune\t2\tHuyện A\ttrue\n", encoding="utf-8")
    (tmp_path / "officials.tsv").write_text(
        "id\tfull_name\tgender\tbirth_date\tunit\tposition\teducation\tpolitical_theory\n"
        "O1\tTrần Văn An\tmale\t1970-01-01\tU1\tparty_secretary\tuniversity\tadvanced\n", encoding="utf-8")
    engine = quiet_engine(["sample-local"], plugins=[sample], backend="reference")
    assert engine.plugins.readers["tsv"].plugin == "plugins.sample"
    officials, units = engine.read(tmp_path / "officials.tsv", tmp_path / "units.tsv")
    assert [u.code for u in units] == ["U1"]
    assert [(o.id, o.full_name) for o in officials] == [("O1", "Trần Văn An")]
    assert findings(engine.evaluate(officials, units, AS_OF)) == [("sample-local", "qualification.surname", "O1")]
    assert "tsv" not in quiet_engine([], plugins=False).plugins.readers


def test_hook_cadre_rules_register_renderers(installed: Callable[..., None], tmp_path: Path) -> None:
    engine = quiet_engine([], plugins=[sample])
    renderer = engine.plugins.renderers["markdown"]
    assert (renderer.plugin, renderer.extension, renderer.doc) == ("plugins.sample", "md",
                                                                   "findings as a Markdown table")
    installed(sample=sample)
    data = write_data(tmp_path)
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--pack", "sample-local", "--as-of", "2024-06-30",
                                      "--format", "markdown", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["| rule | subject | message |", "|---|---|---|",
                                          "| sample-local/qualification.surname | O1 | surname Trần |",
                                          "| sample-local/rotation.long_in_post | O1 | 9 years in post |"]
    assert result.stderr == ""


class Streams:
    """Renderers that stream their output: well, with a piece that is not text, and failing midway."""

    @hookimpl
    def cadre_rules_register_renderers(self, register: Any) -> None:
        register("stream", self.stream, extension="txt")
        register("badpiece", self.bad_piece, extension="txt")
        register("midway", self.midway, extension="txt")

    @staticmethod
    def stream(report: Report, lang: str) -> Iterator[str | bytes]:
        yield "findings: "
        for f in report.findings:
            yield f"{f.rule}/{f.subject_id} ".encode()
        yield "end\n"

    @staticmethod
    def bad_piece(report: Report, lang: str) -> Iterator[object]:
        yield "fine "
        yield 42

    @staticmethod
    def midway(report: Report, lang: str) -> Iterator[str]:
        yield "fine "
        raise ValueError("boom")


@pytest.mark.parametrize(("fmt", "code", "stdout", "stderr"), [
    ("stream", 0, "findings: qualification.surname/O1 rotation.long_in_post/O1 end\n", ""),
    # (session 19: where in the plugin, and in the reader's language; was "renderer 'midway' raised ValueError: boom")
    ("badpiece", 2, None, "error: plugin 'streams': renderer 'badpiece' gave a piece of type int, not str or bytes "
                          "({file}, line {bad_piece})\n"),
    ("midway", 2, None, "error: plugin 'streams': raised in renderer 'midway': ValueError: boom ({file}, line "
                        "{midway})\n"),
])
def test_a_renderer_may_stream_its_output(installed: Callable[..., None], tmp_path: Path, fmt: str, code: int,
                                          stdout: str | None, stderr: str) -> None:
    installed(sample=sample, streams=Streams())
    data = write_data(tmp_path)
    args = ["evaluate", str(data), "--pack", "sample-local", "--as-of", "2024-06-30", "--fail-on", "never"]
    result = CliRunner().invoke(cli, [*args, "--format", fmt])
    stderr = stderr.format(file=__file__, bad_piece=Streams.bad_piece.__code__.co_firstlineno,
                           midway=line_of('raise ValueError("boom")'))
    assert (result.exit_code, result.stderr) == (code, stderr), result.output
    if stdout is not None:
        assert result.stdout == stdout
        out = tmp_path / "out.txt"
        assert CliRunner().invoke(cli, [*args, "--format", fmt, "-o", str(out)]).exit_code == 0
        assert out.read_text(encoding="utf-8") == stdout


def test_hook_cadre_rules_enrich_official() -> None:
    calls: list[tuple[str, date]] = []

    class Later:  # plugins are called in name order: "Later" after "Earlier"; later keys override
        @hookimpl
        def cadre_rules_enrich_official(self, official: Official, as_of: date) -> dict[str, object] | None:
            calls.append((official.id, as_of))
            if official.id == "O2":
                return None  # nothing to add for this one
            return {"score": 7.5, "checked": True, "since": date(2020, 1, 2), "surname": "Lê"}

    class Earlier:
        @hookimpl
        def cadre_rules_enrich_official(self) -> dict[str, object]:  # opts in to no argument at all
            return {"surname": "Phạm", "score": 1}

    engine = quiet_engine([], plugins=[Later(), Earlier()], backend="reference")
    assert engine.plugins.has_enrichers()
    extras = engine.plugins.enrich(OFFICIALS, AS_OF)
    assert calls == [("O1", AS_OF), ("O2", AS_OF), ("O3", AS_OF)]
    assert extras["O1"] == {"surname": "Lê", "score": 7.5, "checked": True, "since": date(2020, 1, 2)}
    assert extras["O2"] == {"surname": "Phạm", "score": 1}
    # the values reach the extra_* functions of pack expressions
    ctx = OfficialContext(OFFICIALS[0], UNITS[0], AS_OF)
    ctx.extra = extras["O1"]
    fn = engine.functions
    assert fn["extra_text"].impl(ctx, "surname") == "Lê"
    assert fn["extra_number"].impl(ctx, "score") == 7.5
    assert fn["extra_bool"].impl(ctx, "checked") is True
    assert fn["extra_date"].impl(ctx, "since") == date(2020, 1, 2)
    assert fn["extra_text"].impl(ctx, "absent") is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_enrichment_reaches_pack_expressions(backend: str) -> None:
    engine = quiet_engine(["sample-local"], plugins=[sample], backend=backend)
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert ("sample-local", "qualification.surname", "O1") in findings(report)  # surname 'Trần', from the enricher
    assert ("sample-local", "qualification.surname", "O2") not in findings(report)


# -- fault isolation --------------------------------------------------------------------------

class RaisesInHook:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        raise RuntimeError("boom")


class RegistersGarbage:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        register(123)


class ReturnsAList:
    @hookimpl
    def cadre_rules_register_packs(self) -> list[Path]:
        return [Path("x.toml")]


class ScopesByAText:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        register(sample.PACK, units="00541")  # type: ignore[arg-type]  # (was read as 0, 0, 5, 4, 1)


class ScopesByANumber:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        register(sample.PACK, units=[541])  # type: ignore[list-item]  # (was read as "541", never "00541")


class DuplicatePack:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        register(builtin_pack_dir() / "hanoi-de-an-34.toml")


class DuplicateFunction:
    @hookimpl
    def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
        register("studied", lambda ctx, *words: True, returns="bool", params=["text"], variadic=True)


class BadFunctionType:
    @hookimpl
    def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
        register("f", lambda ctx: 1, returns="integer")


class BadReads:
    @hookimpl
    def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
        register("f", lambda ctx: 1, returns="int", reads=["birth_date", "extra"])


class Unmarked:
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:  # forgot @hookimpl
        register(builtin_pack_dir() / "hanoi-de-an-34.toml")


class WrongArgument:
    @hookimpl
    def cadre_rules_register_packs(self, registrar: hookspecs.PackRegistrar) -> None:
        raise AssertionError("never called")


class Wrapper:
    @hookimpl(wrapper=True)
    def cadre_rules_register_packs(self) -> Iterator[None]:
        yield


class InvalidPack:
    @hookimpl
    def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
        register(Path(sample.__file__).parent / "does-not-exist.toml")


FAULTY = [
    pytest.param(lambda: misspelled, "plugins.misspelled",
                 "unknown hook 'cadre_rules_register_pack'; did you mean 'cadre_rules_register_packs'?",
                 id="misspelled-hook"),
    pytest.param(RaisesInHook, "RaisesInHook", "raised in cadre_rules_register_packs: RuntimeError: boom",
                 id="raises-in-hook"),
    pytest.param(RegistersGarbage, "RegistersGarbage",
                 "raised in cadre_rules_register_packs: TypeError: register(pack): expected a Pack or a path, got int",
                 id="registers-garbage"),
    pytest.param(ScopesByAText, "ScopesByAText", "raised in cadre_rules_register_packs: TypeError: register(pack, "
                 "units=…): expected a list of texts as the units file writes them (['00025']), got '00541'",
                 id="scope-by-a-text"),
    pytest.param(ScopesByANumber, "ScopesByANumber", "TypeError: register(pack, units=…): expected a list of texts",
                 id="scope-by-a-number"),
    pytest.param(ReturnsAList, "ReturnsAList", "cadre_rules_register_packs returned list; call register(…) instead",
                 id="returns-a-list"),
    pytest.param(DuplicatePack, "DuplicatePack",
                 "duplicate pack 'hanoi-de-an-34': registered by plugins 'cadre_rules' and 'DuplicatePack'",
                 id="duplicate-pack"),
    pytest.param(DuplicateFunction, "DuplicateFunction",
                 "duplicate function 'studied': registered by plugins 'cadre_rules' and 'DuplicateFunction'",
                 id="duplicate-function"),
    pytest.param(BadFunctionType, "BadFunctionType", "unknown type 'integer'", id="bad-function-type"),
    pytest.param(BadReads, "BadReads", "register('f', …, reads=…): 'extra' is not an attribute of an official",
                 id="bad-reads"),
    pytest.param(Unmarked, "Unmarked", "'cadre_rules_register_packs' is not marked with @hookimpl",
                 id="unmarked-hook"),
    pytest.param(WrongArgument, "WrongArgument", "invalid hook implementation", id="wrong-argument"),
    pytest.param(Wrapper, "Wrapper", "hook wrappers are not supported", id="hook-wrapper"),
    pytest.param(InvalidPack, "InvalidPack", "registered an invalid pack", id="invalid-pack"),
]


@pytest.mark.parametrize(("make", "name", "reason"), FAULTY)
def test_faulty_plugin_is_disabled_with_one_named_line(make: Callable[[], object], name: str, reason: str) -> None:
    with pytest.warns(PluginWarning) as caught:
        engine = Engine(["hanoi-de-an-34"], plugins=[make(), sample], backend="reference", lang="en")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1
    assert messages[0].startswith(f"plugin {name!r} disabled: ")
    assert reason in messages[0]
    assert "\n" not in messages[0]
    assert engine.plugins.problems.keys() == {name}
    assert name not in engine.plugins.names
    assert [i.error for i in engine.plugins.info() if i.name == name] == [str(engine.plugins.problems[name])]
    # the evaluation completes, with the healthy plugins, and the report says what was disabled
    assert "years_in_post" in engine.functions
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert report.packs[0].id == "hanoi-de-an-34"
    assert [n for n in report.notes if name in n and reason in n]


@pytest.mark.parametrize(("make", "name", "reason"), FAULTY)
def test_faulty_plugin_fails_under_strict_plugins(make: Callable[[], object], name: str, reason: str) -> None:
    with pytest.raises(PluginError) as info:
        Engine(["hanoi-de-an-34"], plugins=[make(), sample], strict_plugins=True)
    assert info.value.plugin == name
    assert reason in str(info.value)


def test_a_plugin_failing_to_import_is_disabled(installed: Callable[..., None]) -> None:
    installed(broken=ImportError("No module named 'numpyy'"), sample=sample)
    with pytest.warns(PluginWarning, match=r"^plugin 'broken' disabled: failed to import: ImportError: "
                                           r"No module named 'numpyy' \(.*conftest\.py, line \d+\)$"):
        engine = Engine(["sample-local"], backend="reference")
    assert engine.plugins.names == ["cadre_rules", "sample"]
    assert findings(engine.evaluate(OFFICIALS, UNITS, AS_OF))
    with pytest.raises(PluginError, match="broken"):
        Engine(["sample-local"], strict_plugins=True)


def test_a_syntax_error_names_the_plugin_file_and_line(installed: Callable[..., None]) -> None:
    """Python's own message names the file without its folder; the reason gives the whole path, once."""
    error = SyntaxError("invalid syntax", ("/srv/plugins/cadre_rules_x/__init__.py", 19, 7, "def x(:\n"))
    installed(broken=error)
    with pytest.warns(PluginWarning) as caught:
        Engine([], backend="reference", lang="en")
    assert [str(w.message) for w in caught] == [
        "plugin 'broken' disabled: failed to import: SyntaxError: invalid syntax "
        "(/srv/plugins/cadre_rules_x/__init__.py, line 19)"]


def test_a_hook_that_raises_is_located_at_the_plugins_line() -> None:
    """The innermost frame of the plugin's own code, not cadre-rules' (register) nor pluggy's; a hook that
    returns something: where it is defined."""
    with pytest.warns(PluginWarning) as caught:
        Engine([], plugins=[RaisesInHook(), RegistersGarbage(), ReturnsAList()], backend="reference", lang="en")
    decorated = line_of("def cadre_rules_register_packs(self) -> list[Path]:") - 1  # (a function starts at @)
    assert sorted(str(w.message) for w in caught) == [
        "plugin 'RaisesInHook' disabled: raised in cadre_rules_register_packs: RuntimeError: boom "
        f"({__file__}, line {line_of('raise RuntimeError(' + chr(34) + 'boom')})",
        "plugin 'RegistersGarbage' disabled: raised in cadre_rules_register_packs: TypeError: register(pack): "
        f"expected a Pack or a path, got int ({__file__}, line {line_of('register(123)')})",
        "plugin 'ReturnsAList' disabled: cadre_rules_register_packs returned list; call register(…) instead "
        f"({__file__}, line {decorated})"]


INVALID_RULE = """
[[rule]]
id = "rotation.new_chair"
family = "rotation"
where = "holds('committee_chair')"
when = "month_in_post < 12"
message = "m"
cite = "c"
"""


def test_an_invalid_pack_of_a_plugin_is_told_in_the_readers_language(tmp_path: Path) -> None:
    """The pack's problems (file, key, reason) in Vietnamese too, in the warning and in the report's note; before,
    the reason stayed English inside a Vietnamese sentence."""
    head = LOCAL_PACK.split("[[override]]", maxsplit=1)[0] % 'units = ["U1"]'
    pack = write_pack(tmp_path / "xa-local.toml", head + INVALID_RULE)

    class Commune:
        name = "xa"

        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(pack)

    for lang, expected in (("vi", "đã tắt plugin 'xa': đã đăng ký một gói quy định không hợp lệ: 1 vấn đề "),
                           ("en", "plugin 'xa' disabled: registered an invalid pack: 1 policy pack problem: ")):
        with pytest.warns(PluginWarning) as caught:
            engine = Engine([], plugins=[Commune()], backend="reference", lang=lang)
        report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
        note = next(n for n in report.notes if "'xa'" in n)
        warning = caught[0].message
        assert isinstance(warning, PluginWarning)
        assert note == warning.text(translation(lang).gettext)
        assert note.startswith(expected), note
        assert f"{pack}, rule[0] (rotation.new_chair).when: " in note and "'month_in_post'" in note
        assert "\n" not in note
        if lang == "vi":
            for word in ("policy pack problem", "unknown field", "did you mean", "disabled"):
                assert word not in note, (word, note)


def test_cli_plugins_lists_a_disabled_plugins_reason_in_the_readers_language(installed: Callable[..., None]) -> None:
    installed(broken=ImportError("No module named 'numpyy'"), dup=DuplicatePack())
    for env, broken, dup in (
            ({"LC_ALL": "vi_VN.UTF-8"}, "broken  [ĐÃ TẮT: không nạp được: ImportError: No module named 'numpyy' (",
             "dup  [ĐÃ TẮT: trùng gói quy định 'hanoi-de-an-34': do cả plugin 'cadre_rules' và 'dup' đăng ký "
             f"({builtin_pack_dir()}/hanoi-de-an-34.toml, pack.id; gói của 'cadre_rules': {builtin_pack_dir()}/hanoi-de-an-34-2025.07.toml)]"),
            ({"LC_ALL": "en_US.UTF-8"}, "broken  [DISABLED: failed to import: ImportError: No module named 'numpyy' (",
             "dup  [DISABLED: duplicate pack 'hanoi-de-an-34': registered by plugins 'cadre_rules' and 'dup' "
             f"({builtin_pack_dir()}/hanoi-de-an-34.toml, pack.id; the pack of 'cadre_rules': "
             f"{builtin_pack_dir()}/hanoi-de-an-34-2025.07.toml)]")):
        result = CliRunner(env=env).invoke(cli, ["plugins"])
        assert result.exit_code == 0, result.output
        assert broken in result.stdout and dup in result.stdout.splitlines(), result.stdout


def test_duplicate_plugin_names_are_reported() -> None:
    class Other:
        name = "plugins.sample"  # a plugin's name: its `name` attribute, module name or class name

    with pytest.warns(PluginWarning, match=r"^plugin 'plugins.sample \(duplicate\)' disabled: "
                                           r"a plugin named 'plugins.sample' is already registered$"):
        engine = Engine([], plugins=[sample, Other()])
    assert engine.plugins.names == ["cadre_rules", "plugins.sample"]


# -- turning plugins off ----------------------------------------------------------------------

def test_disable_env_turns_entry_point_plugins_off(installed: Callable[..., None],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    installed(sample=sample)
    assert "sample" in quiet_engine([]).plugins.names
    for value in ("1", "yes"):
        monkeypatch.setenv(DISABLE, value)
        assert quiet_engine([]).plugins.names == ["cadre_rules"]
    monkeypatch.setenv(DISABLE, "0")
    assert "sample" in quiet_engine([]).plugins.names
    monkeypatch.setenv(DISABLE, "1")
    # explicit plugin objects are not entry points: they still load
    assert quiet_engine([], plugins=[sample]).plugins.names == ["cadre_rules", "plugins.sample"]


def test_plugins_false_loads_only_the_builtins(installed: Callable[..., None]) -> None:
    installed(sample=sample)
    engine = quiet_engine([], plugins=False)
    assert engine.plugins.names == ["cadre_rules"]
    assert set(engine.available) == {"hanoi-de-an-34", "hanoi-ke-hoach-188", "vn-commune-2tier", "vn-nd33-2023"}


def test_cli_no_plugins(installed: Callable[..., None], tmp_path: Path) -> None:
    installed(sample=sample)
    data = write_data(tmp_path)
    args = ["evaluate", str(data), "--pack", "sample-local", "--as-of", "2024-06-30", "--format", "json"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    result = CliRunner().invoke(cli, [*args, "--no-plugins"])
    assert result.exit_code == 2
    assert "unknown pack id 'sample-local'" in result.stderr


# -- isolation between engines ----------------------------------------------------------------

def test_two_engines_do_not_see_each_others_plugins(tmp_path: Path) -> None:
    with_sample = quiet_engine([], plugins=[sample])
    without = quiet_engine([], plugins=[])
    again = quiet_engine([], plugins=[sample])
    assert "sample-local" in with_sample.available and "sample-local" in again.available
    assert "sample-local" not in without.available
    assert "years_in_post" in with_sample.functions and "years_in_post" not in without.functions
    assert "markdown" not in without.plugins.renderers
    assert without.plugins.pm is not with_sample.plugins.pm
    pack = Path(sample.__file__).parent / "sample-pack.toml"
    assert quiet_engine([pack], plugins=[sample]).packs[0].id == "sample-local"
    with pytest.raises(PackError, match="unknown function 'years_in_post'"):
        Engine([pack], plugins=[])


# -- enrichment failures ----------------------------------------------------------------------

class EnrichesThenRaises:
    name = "zz-flaky"  # called after plugins.sample (plugins are called in name order), so it would override

    @hookimpl
    def cadre_rules_enrich_official(self, official: Official) -> dict[str, object]:
        if official.id == "O3":
            raise KeyError(official.id)
        return {"surname": "Trần"}  # would make O2 match qualification.surname


class EnrichesGarbage:
    name = "zz-garbage"

    @hookimpl
    def cadre_rules_enrich_official(self, official: Official) -> object:
        return {"surname": "Trần"} if official.id != "O3" else {"surname": ["Trần"]}


@pytest.mark.parametrize(("plugin", "reason"), [
    (EnrichesThenRaises(), "raised in cadre_rules_enrich_official: KeyError: 'O3'"),
    (EnrichesGarbage(), "cadre_rules_enrich_official returned {'surname': list} for official 'O3'; "
                        "expected None or a mapping of str to str, int, float, bool or date"),
])
def test_an_enricher_that_fails_is_disabled_for_the_whole_evaluation(plugin: Any, reason: str) -> None:
    engine = quiet_engine(["sample-local"], plugins=[sample, plugin], backend="reference", lang="en")
    with pytest.warns(PluginWarning) as caught:
        report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    name = plugin.name
    if isinstance(plugin, EnrichesThenRaises):  # where it raised: the plugin's file and line
        reason += f" ({__file__}, line {line_of('raise KeyError(official.id)')})"
    else:  # where the hook that returned it is defined (session 19)
        reason += f" ({__file__}, line {EnrichesGarbage.cadre_rules_enrich_official.__code__.co_firstlineno})"
    assert [str(w.message) for w in caught] == [f"plugin {name!r} disabled: {reason}"]
    # no partial result: O1 and O2 were enriched before O3 failed (O2 as 'Trần'), and none of it was used
    assert findings(report) == [("sample-local", "qualification.surname", "O1"),
                                ("sample-local", "rotation.long_in_post", "O1")]
    assert [n for n in report.notes if repr(name) in n and reason in n]
    # the other plugin's enrichment stays; the failed plugin is gone for the next evaluations too
    assert name not in engine.plugins.names
    assert engine.evaluate(OFFICIALS, UNITS, AS_OF).findings == report.findings


def test_an_enricher_that_fails_under_strict_plugins_fails_the_evaluation() -> None:
    engine = quiet_engine(["sample-local"], plugins=[sample, EnrichesThenRaises()], strict_plugins=True)
    with pytest.raises(PluginError, match=r"^plugin 'zz-flaky': raised in cadre_rules_enrich_official: KeyError"):
        engine.evaluate(OFFICIALS, UNITS, AS_OF)


def test_cli_enricher_failure_is_a_warning_line(installed: Callable[..., None], tmp_path: Path) -> None:
    installed(sample=sample, flaky=EnrichesThenRaises())
    data = write_data(tmp_path)
    args = ["evaluate", str(data), "--pack", "sample-local", "--as-of", "2024-06-30", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: plugin 'flaky' disabled: raised in cadre_rules_enrich_official: KeyError: 'O3' "
        f"({__file__}, line {line_of('raise KeyError(official.id)')})"]
    strict = CliRunner().invoke(cli, [*args, "--strict-plugins"])
    assert strict.exit_code == 2
    assert strict.stderr.splitlines()[-1] == ("error: plugin 'flaky': raised in cadre_rules_enrich_official: "
                                              f"KeyError: 'O3' ({__file__}, line {line_of('raise KeyError(')})")


# -- plugin functions at evaluation time ------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("func", "reason"), [
    (lambda ctx: 1 / 0, "function years_in_post() raised ZeroDivisionError: division by zero "
                        f"({__file__}, line {line_of('(lambda ctx: 1 / 0, ')})"),
    (lambda ctx: "nine", "function years_in_post() returned 'nine', which is not of type int"),
])
def test_a_plugin_function_that_fails_is_a_plugin_error(backend: str, func: Callable[..., Any], reason: str) -> None:
    class Broken:
        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(sample.PACK)

        @hookimpl
        def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
            register("years_in_post", func, returns="int")

    engine = quiet_engine(["sample-local"], plugins=[Broken()], backend=backend)
    with pytest.raises(PluginError) as info:
        engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert (info.value.plugin, info.value.reason) == ("Broken", reason)


# -- scopes and overrides ---------------------------------------------------------------------

CITY_PACK = """
[pack]
id = "city"
version = "1"
title = "City"
[[quota]]
id = "quota.women"
population = "is_key"
numerator = "gender == 'female'"
min_share = 0.6
scopes = ["district", "unit"]
message = "{scope}: {value:.0%}"
cite = "c"
"""

LOCAL_PACK = """
[pack]
id = "local"
version = "1"
title = "Local"
[scope]
%s
[[override]]
rule = "city/%s"
action = "waive"
reason = "%s"
"""


def write_pack(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_covers_district_and_unit_scope_findings(tmp_path: Path) -> None:
    city = write_pack(tmp_path / "city.toml", CITY_PACK)
    local = write_pack(tmp_path / "local.toml", LOCAL_PACK % ('districts = ["Huyện A"]', "quota.women", "lý do"))
    before = quiet_engine([city], plugins=False, backend="reference").evaluate(OFFICIALS, UNITS, AS_OF)
    assert findings(before) == [("city", "quota.women", "Huyện A"), ("city", "quota.women", "Quận B"),
                                ("city", "quota.women", "U1"), ("city", "quota.women", "U2")]
    report = quiet_engine([city, local], plugins=False, backend="reference").evaluate(OFFICIALS, UNITS, AS_OF)
    assert findings(report) == [("city", "quota.women", "Quận B"), ("city", "quota.women", "U2")]
    assert [(s.finding.subject_id, s.by, s.reason) for s in report.suppressed] == [("Huyện A", "local", "lý do"),
                                                                                  ("U1", "local", "lý do")]


def test_a_scope_written_in_another_unicode_form_still_matches(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Huyện A")
    assert nfd != "Huyện A"
    city = write_pack(tmp_path / "city.toml", CITY_PACK)
    local = write_pack(tmp_path / "local.toml", LOCAL_PACK % (f'districts = ["{nfd}"]', "quota.women", "r"))
    engine = quiet_engine([city, local], plugins=False, backend="reference", lang="en")
    assert engine.packs[1].scope_districts == ("Huyện A",)
    report = engine.evaluate(OFFICIALS, UNITS, AS_OF)
    assert {s.finding.subject_id for s in report.suppressed} == {"Huyện A", "U1"}
    assert not [n for n in report.notes if "covers no unit" in n]


def test_a_scope_matching_no_unit_and_an_override_of_no_rule_are_noted(tmp_path: Path) -> None:
    city = write_pack(tmp_path / "city.toml", CITY_PACK)
    local = write_pack(tmp_path / "local.toml", LOCAL_PACK % ('districts = ["Huyen A"]', "quota.woman", "r"))
    report = quiet_engine([city, local], plugins=False, backend="reference", lang="en").evaluate(
        OFFICIALS, UNITS, AS_OF)
    assert "pack local@1 covers no unit of the input (its scope: Huyen A)" in report.notes
    assert "pack local@1: the override of city/quota.woman names no rule of city" in report.notes
    assert report.suppressed == ()


def test_a_scope_naming_a_unit_not_in_the_input_is_noted(tmp_path: Path) -> None:
    """A group of communes with one code mistyped: the pack applies to the others, and a note names the code
    (before, nothing said so unless no code matched)."""
    city = write_pack(tmp_path / "city.toml", CITY_PACK)
    local = write_pack(tmp_path / "local.toml", LOCAL_PACK % ('units = ["U1", "U9", "U0"]\ndistricts = ["Quận Z"]',
                                                              "quota.women", "r"))
    for lang, note in (("en", "pack local@1: its scope names Quận Z, U0, U9, not in the input; it applies to the "
                              "other units of its scope"),
                       ("vi", "gói local@1: phạm vi của gói nêu Quận Z, U0, U9, không có trong dữ liệu; gói áp dụng "
                              "cho các đơn vị còn lại trong phạm vi")):
        report = quiet_engine([city, local], plugins=False, backend="reference", lang=lang).evaluate(
            OFFICIALS, UNITS, AS_OF)
        assert note in report.notes
        assert {s.finding.subject_id for s in report.suppressed} == {"Huyện A", "U1"}
    whole = write_pack(tmp_path / "whole.toml", LOCAL_PACK % ('units = ["U1"]', "quota.women", "r"))
    report = quiet_engine([city, whole], plugins=False, backend="reference", lang="en").evaluate(
        OFFICIALS, UNITS, AS_OF)
    assert not [n for n in report.notes if "scope" in n]


# -- an entry point on disk, seen by a fresh process ------------------------------------------

def write_data(directory: Path) -> Path:
    data = directory / "data"
    data.mkdir()
    (data / "units.csv").write_text("code,name,kind,class,district,has_council\n"
                                    "U1,Xã Một,commune,2,Huyện A,true\nU2,Phường Hai,ward,1,Quận B,false\n",
                                    encoding="utf-8")
    (data / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory,appointed_on\n"
        "O1,Trần Văn An,male,1970-01-01,U1,party_secretary,university,advanced,2015-01-01\n"
        "O2,Nguyễn Thị Bình,female,1990-05-05,U1,committee_chair,university,intermediate,2022-01-01\n"
        "O3,Trần Minh Chí,male,1985-03-03,U2,party_secretary,university,advanced,2010-01-01\n", encoding="utf-8")
    return data


@pytest.fixture
def broken_dist(tmp_path: Path) -> dict[str, str]:
    """A real installed distribution whose plugin module fails to import; the environment to see it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken_plugin.py").write_text("import numpyy  # a typo: fails on import\n", encoding="utf-8")
    info = site / "cadre_rules_broken-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cadre-rules-broken\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[cadre_rules]\nbroken = broken_plugin\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cadre_rules", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, check=False, timeout=300)


def test_cli_plugin_failing_to_import(broken_dist: dict[str, str], tmp_path: Path) -> None:
    data = write_data(tmp_path)
    args = ["evaluate", str(data), "--pack", "hanoi-de-an-34", "--as-of", "2024-06-30", "--format", "json"]
    warning = ("warning: plugin 'broken' disabled: failed to import: ModuleNotFoundError: No module named 'numpyy' "
               f"({tmp_path / 'site' / 'broken_plugin.py'}, line 1)")

    result = run(args, broken_dist)
    assert result.returncode == 1, result.stderr  # the evaluation completed: findings, exit 1
    assert warning in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["summary"]["error"] > 0

    strict = run([*args, "--strict-plugins"], broken_dist)
    assert strict.returncode == 2
    assert strict.stderr.startswith("error: plugin 'broken'")
    assert "Traceback" not in strict.stderr and strict.stdout == ""

    for off_args, off_env in (([*args, "--no-plugins"], broken_dist), (args, {**broken_dist, DISABLE: "1"})):
        quiet = run(off_args, off_env)
        assert quiet.returncode == 1
        assert quiet.stderr == ""

    listing = run(["plugins"], broken_dist)
    assert listing.returncode == 0
    assert ("broken 0.1  [DISABLED: failed to import: ModuleNotFoundError: No module named 'numpyy' "
            f"({tmp_path / 'site' / 'broken_plugin.py'}, line 1)]") in listing.stdout
    assert run(["plugins", "--strict-plugins"], broken_dist).returncode == 2


# -- the example district plugins, installed through their entry points ------------------------

needs_ba_vi = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None,
                                 reason="pip install -e ./plugins/cadre-rules-ba-vi")
needs_both = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None
                                or importlib.util.find_spec("cadre_rules_hoan_kiem") is None,
                                reason="pip install -e ./plugins/cadre-rules-ba-vi -e ./plugins/cadre-rules-hoan-kiem")
LOCAL = {"ba-vi-local": "Huyện Ba Vì", "hoan-kiem-local": "Quận Hoàn Kiếm"}


def sample_districts() -> dict[str, str]:
    with open(SAMPLE_DATA / "units.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["district"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def sample_reports() -> tuple[dict[str, Any], dict[str, Any]]:
    """The Hanoi sample as of 2024-06-30 with the installed plugins, and with --no-plugins."""
    reports = []
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DISABLE, raising=False)
        for extra in ([], ["--no-plugins"]):
            result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE_DATA), "--as-of", "2024-06-30", "--format", "json",
                                              *extra])
            assert result.exit_code == 1, result.output
            reports.append(json.loads(result.stdout))
    return reports[0], reports[1]


def key(finding: dict[str, Any]) -> tuple[str, ...]:
    return (finding["pack"], finding["rule"], finding["subject"]["kind"], finding["subject"]["id"],
            finding["scope_id"], finding["message"])


@needs_both
def test_district_packs_apply_only_to_their_district(sample_reports: tuple[dict[str, Any], dict[str, Any]]) -> None:
    with_plugins, without = sample_reports
    assert {p["id"] for p in with_plugins["packs"]} - {p["id"] for p in without["packs"]} == set(LOCAL)
    districts = sample_districts()
    for pack, district in LOCAL.items():
        local = [f for f in with_plugins["findings"] if f["pack"] == pack]
        assert local, pack
        assert {districts.get(f["scope_id"], f["scope_id"]) for f in local} == {district}
        metrics = [m for m in with_plugins["metrics"] if m["pack"] == pack]
        assert all(districts.get(m["scope_id"], m["scope_id"]) == district for m in metrics)
    # every other finding is the same with and without the plugins, except the replaced one
    added = {key(f) for f in with_plugins["findings"]} - {key(f) for f in without["findings"]}
    removed = {key(f) for f in without["findings"]} - {key(f) for f in with_plugins["findings"]}
    assert {k[0] for k in added} == set(LOCAL)
    assert removed == {k for k in removed if (k[0], k[1], k[3]) == ("hanoi-de-an-34", "quota.young", "Huyện Ba Vì")}
    assert len(removed) == 1


@needs_ba_vi
def test_replaced_quota_is_listed_as_suppressed_with_its_reason(
        sample_reports: tuple[dict[str, Any], dict[str, Any]]) -> None:
    with_plugins, without = sample_reports
    assert without["suppressed"] == []
    assert with_plugins["suppressed"] == [{
        "pack": "hanoi-de-an-34", "rule": "quota.young", "subject": {"kind": "scope", "id": "Huyện Ba Vì"},
        "scope_id": "Huyện Ba Vì", "by": "ba-vi-local",
        "reason": "Huyện Ba Vì đặt mục tiêu cao hơn: tối thiểu 12% cán bộ chủ chốt cấp xã dưới 35 tuổi thay cho 10% "
                  "của Đề án 34 (replaced by ba-vi-local/quota.young)"}]
    young = {f["pack"]: f for f in with_plugins["findings"]
             if f["rule"] == "quota.young" and f["subject"]["id"] == "Huyện Ba Vì"}
    assert set(young) == {"ba-vi-local"}
    assert young["ba-vi-local"]["facts"]["target"] == 0.12
    # the city-wide finding is not the district's to replace
    assert any(f["rule"] == "quota.young" and f["subject"]["id"] == "Hà Nội" for f in with_plugins["findings"])


@needs_both
def test_installed_plugins_are_listed() -> None:
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    result = subprocess.run([sys.executable, "-m", "cadre_rules", "plugins"], capture_output=True, text=True,
                            encoding="utf-8", env={**env, "PYTHONIOENCODING": "utf-8"}, check=True)
    lines = result.stdout.splitlines()
    assert "  packs: ba-vi-local" in lines and "  functions: ethnic_minority_share" in lines
    assert "  packs: hoan-kiem-local" in lines and "  renderers: hoan-kiem-csv" in lines
    assert result.stderr == ""


def test_hook_specs_are_documented_in_their_docstrings() -> None:
    for name in hook_names():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert ":param" in doc and ":return:" in doc and "All implementations are called" in doc, name
