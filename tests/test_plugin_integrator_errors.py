"""The plugin author and the integrator (session 19): each fault they meet is one located error in the reader's
language (exit 2 on the command line, a located problem in the service), never silence, English in a Vietnamese run,
nor a Python repr."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import PluginError
from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.hookspecs import FunctionRegistrar
from cadre_rules.jobs._pack_tests import run_case_files
from cadre_rules.jobs._plugin_new import write_plugin
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import Refusal
from cadre_rules.service._worker import run_job
from test_ward_plugin_faults import _MISTYPED_OVERRIDE  # a ward pack's override of a mistyped pack id

HERE = Path(__file__)
SAMPLE = HERE.parents[1] / "examples" / "hanoi-2025"
Install = Callable[..., None]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _line(method: object) -> int:
    """The line where a hook implementation is defined (its decorator's)."""
    return method.__code__.co_firstlineno  # type: ignore[attr-defined]


# -- 1. cadre-rules test --strict-plugins: a plugin failing while the cases run ------------------------------------


def _cases(tmp_path: Path) -> Path:
    """A generated commune plugin's test cases, naming its pack file (one case, officials 'chair-11', …)."""
    package = write_plugin("phu-dong", tmp_path, communes=["00541"]) / "src" / "cadre_rules_phu_dong"
    cases = package / "tests" / "phu-dong-local.toml"
    text = cases.read_text(encoding="utf-8").replace('pack = "phu-dong-local"', 'pack = "../phu-dong-local.toml"')
    cases.write_text(text, encoding="utf-8")
    return cases


class RaisingEnricher:
    @hookimpl
    def cadre_rules_enrich_official(self, official: Official) -> dict[str, object]:
        raise KeyError(official.id)


class GarbageEnricher:
    @hookimpl
    def cadre_rules_enrich_official(self, official: Official) -> object:
        return ["not", "a", "mapping"]


_RAISED = {"en": "error: plugin 'enricher': raised in cadre_rules_enrich_official: KeyError: 'chair-11' ({file}, line "
                 "{line})",
           "vi": "lỗi: plugin 'enricher': gặp lỗi trong cadre_rules_enrich_official: KeyError: 'chair-11' ({file}, dòng "
                 "{line})"}
_GARBAGE = {"en": "error: plugin 'enricher': cadre_rules_enrich_official returned list for official 'chair-11'; "
                  "expected None or a mapping of str to str, int, float, bool or date ({file}, line {line})",
            "vi": "lỗi: plugin 'enricher': cadre_rules_enrich_official trả về list cho cán bộ 'chair-11'; cần None "
                  "hoặc một mapping từ str sang str, int, float, bool hoặc date ({file}, dòng {line})"}


#: the line said: the raise's (the decorator's + 2), the hook's definition
@pytest.mark.parametrize(("plugin", "said", "below"), [(RaisingEnricher, _RAISED, 2), (GarbageEnricher, _GARBAGE, 0)])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_test_strict_plugins_fails_on_an_enricher_failing_while_the_cases_run(
        installed: Install, tmp_path: Path, plugin: type, said: dict[str, str], below: int, lang: str) -> None:
    """Before the fix ``--strict-plugins`` was strict only when the plugins loaded: the enricher's failure in the
    cases' evaluation was a warning and the run passed (exit 0). The garbage's reason was English in every run,
    without the hook's place."""
    installed(enricher=plugin())
    cases = _cases(tmp_path)
    where = {"file": HERE, "line": _line(plugin.cadre_rules_enrich_official) + below}
    result = _run("test", cases, "--strict-plugins", "--lang", lang)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == said[lang].format(**where)
    assert "Traceback" not in result.output
    lenient = _run("test", cases, "--lang", lang)  # (without the option: a warning, the plugin left out)
    assert lenient.exit_code == 0, lenient.output
    assert lenient.stderr.startswith({"en": "warning: plugin 'enricher' disabled: ",
                                      "vi": "lưu ý: đã tắt plugin 'enricher': "}[lang])


def test_run_case_files_takes_strict_plugins(installed: Install, tmp_path: Path) -> None:
    installed(enricher=RaisingEnricher())
    with pytest.raises(PluginError) as raised:
        run_case_files([_cases(tmp_path)], backends=["reference"], strict_plugins=True)
    assert raised.value.plugin == "enricher"
    assert "cadre_rules_enrich_official" in raised.value.reason


class Renders:
    """A format plugin whose renderers fail: one returns a dict, one streams and raises midway."""

    @hookimpl
    def cadre_rules_register_renderers(self, register: Callable[..., None]) -> None:
        register("asdict", self.as_dict, extension="txt")
        register("midway", self.midway, extension="txt")

    @staticmethod
    def as_dict(report: object, lang: str) -> object:
        return {"findings": []}

    @staticmethod
    def midway(report: object, lang: str) -> Iterator[str]:
        yield "fine "
        raise ValueError("boom")


_RENDERER = {
    ("asdict", "en"): "error: plugin 'renders': renderer 'asdict' returned dict, not str, bytes or an iterator of them "
                      "({file}, line {line})",
    ("asdict", "vi"): "lỗi: plugin 'renders': renderer 'asdict' trả về dict, không phải str, bytes hay một iterator "
                      "của chúng ({file}, dòng {line})",
    ("midway", "en"): "error: plugin 'renders': raised in renderer 'midway': ValueError: boom ({file}, line {line})",
    ("midway", "vi"): "lỗi: plugin 'renders': gặp lỗi trong renderer 'midway': ValueError: boom ({file}, dòng {line})"}


@pytest.mark.parametrize(("fmt", "below"), [("asdict", 0), ("midway", 3)])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_format_plugin_failing_is_located_in_the_readers_language(installed: Install, fmt: str, below: int,
                                                                    lang: str) -> None:
    """Before the fix: ``error: plugin 'renders': renderer 'asdict' returned dict, not str, bytes or an iterator of
    them`` in every language, without the place (a streamed failure: ``renderer 'midway' raised ValueError: boom``)."""
    installed(renders=Renders())
    result = CliRunner().invoke(cli, ["evaluate", "-", "--as-of", "2025-12-31", "--pack", "vn-commune-2tier",
                                      "--format", fmt, "--strict-plugins", "--lang", lang], input=_document({}))
    assert result.exit_code == 2, result.output
    line = getattr(Renders, fmt if fmt == "midway" else "as_dict").__code__.co_firstlineno + below
    assert result.stderr.strip() == _RENDERER[(fmt, lang)].format(file=HERE, line=line)


# -- 2. an [[override]] of an unknown pack id in a --pack file ----------------------------------------------------

def _mistyped_pack(tmp_path: Path) -> Path:
    """A generated ward plugin's pack (Phường Ngọc Hà, 00008 in the 2025 sample) waiving a rule of a mistyped id."""
    pack = write_plugin("ngoc-ha", tmp_path, communes=["00008"]) / "src" / "cadre_rules_ngoc_ha" / "ngoc-ha-local.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + _MISTYPED_OVERRIDE, encoding="utf-8")
    return pack


_OVERRIDE = {"en": "{pack}, override[0].rule: no installed pack has the id 'vn-commune-2teir'; did you mean "
                   "'vn-commune-2tier'? (got 'vn-commune-2teir/rotation.position_change_due')",
             "vi": "{pack}, override[0].rule: không có gói quy định nào đã cài đặt mang mã 'vn-commune-2teir'; có phải "
                   "là 'vn-commune-2tier'? (giá trị đọc được: 'vn-commune-2teir/rotation.position_change_due')"}


@pytest.mark.parametrize("command", [["evaluate"], ["explain", "--city"], ["project", "--to", "2026-12-31"],
                                     ["match"]])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_pack_file_overriding_an_unknown_pack_id_is_refused_by_every_command(tmp_path: Path, command: list[str],
                                                                               lang: str) -> None:
    """Before the fix ``packs validate`` refused it, but ``evaluate --pack FILE`` (and explain, project, match)
    evaluated it, the override waiving nothing, silently."""
    pack = _mistyped_pack(tmp_path)
    result = _run(command[0], SAMPLE, *command[1:], "--as-of", "2025-12-31", "--pack", "vn-commune-2tier",
                  "--pack", pack, "--lang", lang)
    assert result.exit_code == 2, result.output
    assert _OVERRIDE[lang].format(pack=pack) in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_an_engine_refuses_a_pack_overriding_an_unknown_pack_id(tmp_path: Path) -> None:
    pack = _mistyped_pack(tmp_path)
    with pytest.raises(PackError) as raised:
        Engine(["vn-commune-2tier", pack], backend="reference")
    [problem] = raised.value.problems
    assert (problem.file, problem.column) == (str(pack), "override[0].rule")
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(pack.read_text(encoding="utf-8").replace("2teir", "2tier"), encoding="utf-8")
    Engine(["vn-commune-2tier", fixed], backend="reference")  # (the override of a pack named: accepted)


# -- 3. Engine(packs=[...]) with an unknown pack id: a did-you-mean -----------------------------------------------

_UNKNOWN_ID = {"en": "unknown pack id 'vn-commune-2teir'; available packs: {known}; did you mean 'vn-commune-2tier'? "
                     "(got 'vn-commune-2teir')",
               "vi": "không có gói quy định mã 'vn-commune-2teir'; các gói hiện có: {known}; có phải là "
                     "'vn-commune-2tier'? (giá trị đọc được: 'vn-commune-2teir')"}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_unknown_pack_id_gets_a_did_you_mean_in_the_api_the_command_line_and_the_service(lang: str) -> None:
    """Before the fix the available packs were listed, the one close to the id given not proposed."""
    known = ", ".join(Engine(packs=[], backend="reference").available)
    said = _UNKNOWN_ID[lang].format(known=known)
    with pytest.raises(PackError) as raised:
        Engine(["vn-commune-2teir"], backend="reference")
    assert raised.value.text(translation(lang).gettext).splitlines()[1] == f"  packs: {said}"
    result = _run("evaluate", SAMPLE, "--as-of", "2025-12-31", "--pack", "vn-commune-2teir", "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == f"  --pack: {said}"
    refused = run_job(Job(date(2025, 12, 31), ("vn-commune-2teir",), (), "vi", "json", False, "Hà Nội", False,
                          document=_document({}), ui_lang=lang))
    assert isinstance(refused, Refusal) and refused.kind == "pack"
    assert [(row[0], row[1]) for row in refused.problems] == [("pack", said.rsplit(" (", 1)[0])]


def test_an_unknown_pack_id_with_a_version_is_said_as_an_unknown_id() -> None:
    """Before the fix ``vn-commune-2teir@2025.07.1`` was "unknown pack version …; available: " and the ids: the id
    was the mistake, and the one meant went unproposed."""
    with pytest.raises(PackError) as raised:
        Engine(["vn-commune-2teir@2025.07.1"], backend="reference")
    [problem] = raised.value.problems
    assert (problem.file, problem.value) == ("packs", "vn-commune-2teir@2025.07.1")
    assert problem.reason.startswith("unknown pack id 'vn-commune-2teir'; available packs: ")
    assert problem.reason.endswith("; did you mean 'vn-commune-2tier'?")


# -- 4. register(…, returns=<a wrong type name>) in a Vietnamese run ----------------------------------------------


class WrongTypeName:
    @hookimpl
    def cadre_rules_register_functions(self, register: FunctionRegistrar) -> None:
        register("is_veteran", lambda context: True, returns="boolean")


def test_a_wrong_type_name_is_said_in_the_readers_language(installed: Install) -> None:
    """Before the fix the reason (``unknown type 'boolean' (expected …)``) stayed English in a Vietnamese run."""
    installed(veterans=WrongTypeName())
    result = _run("plugins", "--strict-plugins", "--lang", "vi")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "lỗi: plugin 'veterans': gặp lỗi trong cadre_rules_register_functions: TypeError: register('is_veteran', …): "
        "không có kiểu 'boolean' (cần một trong các kiểu bool, int, number, date, text hoặc code:<gender|position|"
        "category|general_education|education|political_theory|rating|discipline|unit_kind>) "
        f"({HERE}, dòng {_line(WrongTypeName.cadre_rules_register_functions) + 2})")  # (the call's line)


# -- 5. the service: an object or a list as a cell of the request body ---------------------------------------------


def _document(cells: dict[str, object]) -> bytes:
    """A JSON input document of one official of Phường Ngọc Hà (00008 in the 2025 sample), ``cells`` changed."""
    official = {"id": "A1", "full_name": "Trần Văn An", "gender": "male", "birth_date": "1970-01-01",
                "unit": "00008", "position": "party_secretary", "education": "university",
                "political_theory": "advanced", **cells}
    units = [{"code": "00008", "name": "Phường Ngọc Hà", "kind": "ward", "class": 1}]
    return json.dumps({"officials": [official], "units": units}, ensure_ascii=False).encode()


def test_an_object_or_a_list_in_a_cell_is_shown_as_json_at_its_key() -> None:
    """Before the fix the problem's value was Python's repr: ``{'ho': 'Trần', 'ten': 'An'}``, numbers as text
    (``'1970'``), a long list whole (cut at 200 characters)."""
    body = _document({"full_name": {"ho": "Trần", "ten": "An", "sinh": 1970},
                      "gender": [f"male{i}" for i in range(40)], "ratings": [["2023", "good", 1]]})
    refused = run_job(Job(date(2025, 12, 31), (), (), "vi", "json", False, "Hà Nội", False, document=body))
    assert isinstance(refused, Refusal) and refused.kind == "input"
    located = [(row[0], row[2], row[3], row[4]) for row in refused.problems]
    assert located == [
        ("<body>", None, "/officials/0/full_name", '{"ho": "Trần", "ten": "An", "sinh": 1970}'),
        ("<body>", None, "/officials/0/gender",
         '["male0", "male1", "male2", "male3", "male4", "male5", "male6", "male7", …]'),
        ("<body>", None, "/officials/0/ratings", '[["2023", "good", 1]]')]
    assert refused.problems[2][1] == 'expected an item or a pair, not ["2023", "good", 1]'  # (was ['2023', 'good', '1'])
