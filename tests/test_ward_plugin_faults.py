"""A ward's plugin author after the reform (session 18) breaks the plugin as authors do: each fault is one
located line (file, line or key) in the reader's language, exit 2 under ``--strict-plugins``, never pluggy's
English nor a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PluginWarning
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules.hookspecs import FunctionRegistrar
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.jobs._explain_official import explain_official
from cadre_rules.jobs._explain_scope import explain_scope
from cadre_rules.jobs._plugin_new import write_plugin

HERE = Path(__file__)
Install = Callable[..., None]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _line(method: object) -> int:
    """The line where a hook implementation is defined (its decorator's)."""
    return method.__code__.co_firstlineno  # type: ignore[attr-defined]


class MisnamedRegistrar:
    """``registrar`` for ``register``: pluggy refuses the plugin, and said so in English without a place."""

    @hookimpl
    def cadre_rules_register_packs(self, registrar: PackRegistrar) -> None:  # (the wrong name is the test)
        raise AssertionError("never called")


class MisspeltHook:
    @hookimpl
    def cadre_rules_register_pack(self, register: PackRegistrar) -> None:  # (the typo is the test)
        raise AssertionError("never called")


def test_a_hook_argument_the_hook_lacks_is_named_located_and_translated(installed: Install) -> None:
    installed(ward=MisnamedRegistrar())
    where = f"({HERE}, {{line}} {_line(MisnamedRegistrar.cadre_rules_register_packs)})"
    for lang, said in (
            ("en", "error: plugin 'ward': invalid hook implementation: cadre_rules_register_packs(registrar) has no "
                   "argument 'registrar': its arguments are register, given by name; did you mean 'register'? "
                   + where.format(line="line")),
            ("vi", "lỗi: plugin 'ward': cài đặt hook không hợp lệ: cadre_rules_register_packs(registrar) không có "
                   "đối số 'registrar': các đối số của hook là register, truyền theo tên; có phải là 'register'? "
                   + where.format(line="dòng"))):
        result = _run("plugins", "--strict-plugins", "--lang", lang)
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == said
        assert "hookspec" not in result.output and "Traceback" not in result.output


def test_a_misspelt_hook_is_located_at_its_definition(installed: Install) -> None:
    installed(ward=MisspeltHook())
    result = _run("plugins", "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        "warning: plugin 'ward' disabled: unknown hook 'cadre_rules_register_pack'; did you mean "
        f"'cadre_rules_register_packs'? ({HERE}, line {_line(MisspeltHook.cadre_rules_register_pack)})")


def _ward_pack(tmp_path: Path) -> Path:
    """A generated ward plugin's pack (Phường Ngọc Hà, 00008 in the 2025 sample)."""
    return write_plugin("ngoc-ha", tmp_path, communes=["00008"]) / "src" / "cadre_rules_ngoc_ha" / "ngoc-ha-local.toml"


@pytest.mark.parametrize("name", ['"Chủ tịch UBND dưới {chair_max_age} tuổi"',
                                  '{ vi = "Chủ tịch UBND dưới 50 tuổi", en = "Chair under {chair_max_age}" }'])
def test_a_rule_name_with_a_placeholder_is_refused_at_its_key(tmp_path: Path, name: str) -> None:
    """Before the fix the reports named the rule ``Chủ tịch UBND dưới {chair_max_age} tuổi``: a name is never
    filled in."""
    pack = _ward_pack(tmp_path)
    text = pack.read_text(encoding="utf-8")
    old = 'name = { vi = "Chủ tịch UBND mới nhận nhiệm vụ", en = "New committee chair" }'
    assert old in text
    pack.write_text(text.replace(old, f"name = {name}").replace("[params]", "[params]\nchair_max_age = 50"),
                    encoding="utf-8")
    for lang, said in (("en", "rule[0] (rotation.new_chair_ngoc_ha).name: a name is shown as it is written: "
                              "{chair_max_age} is never filled in (only a message fills in values); write it in words"),
                       ("vi", "rule[0] (rotation.new_chair_ngoc_ha).name: tên được hiện đúng như đã viết: "
                              "{chair_max_age} không bao giờ được điền giá trị (chỉ nội dung thông báo mới điền giá "
                              "trị); hãy viết thành chữ")):
        result = _run("packs", "validate", pack, "--lang", lang)
        assert result.exit_code == 2, result.output
        assert f"{pack}, {said}" in result.output


class _Registers:
    """A plugin registering one pack file."""

    def __init__(self, pack: Path) -> None:
        self.pack = pack

    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register(self.pack)


def _two_plugins_of_one_pack_id(installed: Install, tmp_path: Path) -> tuple[Path, Path]:
    """The ward's plugin and a group's whose author copied the ward's pack and kept its id, both installed: the
    ward's pack and the copy."""
    ward = _ward_pack(tmp_path)
    group = write_plugin("ba-dinh-group", tmp_path, communes=["00004", "00025"])
    copied = group / "src" / "cadre_rules_ba_dinh_group" / "ba-dinh-group-local.toml"
    copied.write_text(copied.read_text(encoding="utf-8").replace('id = "ba-dinh-group-local"', 'id = "ngoc-ha-local"'),
                      encoding="utf-8")
    installed(**{"ba-dinh-group": _Registers(copied), "ngoc-ha": _Registers(ward)})
    return ward, copied


def test_two_plugins_with_one_pack_id_are_told_by_their_files(installed: Install, tmp_path: Path) -> None:
    """The group of wards' author copied the ward's pack and kept its id: the later plugin is disabled, the error
    locating its pack's id and naming the other's file (before: the two plugins' names only)."""
    ward, copied = _two_plugins_of_one_pack_id(installed, tmp_path)
    result = _run("plugins", "--strict-plugins", "--lang", "vi")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "lỗi: plugin 'ngoc-ha': trùng gói quy định 'ngoc-ha-local': do cả plugin 'ba-dinh-group' và "
        f"'ngoc-ha' đăng ký ({ward}, pack.id; gói của 'ba-dinh-group': {copied})")


def test_plugin_new_in_a_folder_it_cannot_write_is_a_located_error(tmp_path: Path) -> None:
    """Before the fix: ``internal error (a bug in cadre-rules, please report it): NotADirectoryError …``, exit 3."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = _run("plugin", "new", "ngoc-ha", "--commune", "00008", "--directory", tmp_path / "a-file" / "sub",
                  "--lang", "vi")
    assert result.exit_code == 2, result.output
    assert (f"{tmp_path}/a-file/sub/cadre-rules-ngoc-ha/pyproject.toml: không ghi được tệp của plugin: "
            "một phần của đường dẫn không phải là thư mục") in result.stderr
    assert "internal error" not in result.output and "lỗi nội bộ" not in result.output


@pytest.mark.parametrize("given", ["Phường Ngọc Hà", "ngọc hà", "PHƯỜNG NGỌC HÀ"])
def test_plugin_new_given_a_wards_name_for_its_code_is_told_the_code(tmp_path: Path, given: str) -> None:
    """Before the fix: ``no unit of code Phường Ngọc Hà in the units file``, without the code to give."""
    units = Path(__file__).parent.parent / "examples" / "hanoi-2025" / "units.csv"
    result = _run("plugin", "new", "ngoc-ha", "--commune", given, "--units", units, "--directory", tmp_path,
                  "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"--commune: no unit of code {given} in the units file; did you mean 00008 (Phường Ngọc Hà)?" \
        in result.stderr
    assert not (tmp_path / "cadre-rules-ngoc-ha").exists()


def test_the_cases_of_a_plugin_not_installed_yet_say_how_to_find_its_pack(tmp_path: Path) -> None:
    """The author runs the pack's cases before ``pip install -e .``: the unknown pack is located at the case file's
    ``pack`` (before: ``pack (packs)``, the Python API's argument), with how to have it found."""
    cases = _ward_pack(tmp_path).parent / "tests" / "ngoc-ha-local.toml"
    result = _run("test", cases, "--lang", "en")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[1].startswith(f"  {cases}, pack: unknown pack id 'ngoc-ha-local'; available packs: "), lines
    assert lines[2] == (f"  {cases}, pack: 'ngoc-ha-local' is the pack of a plugin that is not installed: install it "
                        "(pip install -e . in the plugin's folder), or name its file: pack = \"../ngoc-ha-local.toml\"")
    assert "(packs)" not in result.stderr


@pytest.mark.parametrize(("scope", "key"), [("units = []", "units"), ("districts = []\nunits = []", "units"),
                                            ("districts = []", "districts")])
def test_a_ward_pack_whose_scope_lists_no_unit_is_refused(installed: Install, tmp_path: Path, scope: str,
                                                         key: str) -> None:
    """Before the fix the ward's rule applied to every ward of the city (its findings in 126 units of the 2025
    sample), ``packs validate`` saying OK."""
    pack = _ward_pack(tmp_path)
    text = pack.read_text(encoding="utf-8")
    assert 'units = ["00008"]' in text
    pack.write_text(text.replace('units = ["00008"]', scope), encoding="utf-8")
    said = (f"{pack}, scope.{key}: an empty list: the pack would apply to every unit of the input; list the codes of "
            "the units it is for (units = [\"00008\"]), or remove [scope] from a city's pack")
    result = _run("packs", "validate", pack, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert said in result.output
    installed(**{"ngoc-ha": _Registers(pack)})
    sample = Path(__file__).parent.parent / "examples" / "hanoi-2025"
    result = _run("evaluate", sample, "--as-of", "2025-12-31", "--strict-plugins", "--lang", "vi")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("lỗi: plugin 'ngoc-ha': đã đăng ký một gói quy định không hợp lệ")
    assert f"{pack}, scope.{key}: danh sách rỗng" in result.stderr


def test_the_cases_of_a_pack_whose_id_another_plugin_took_name_that_plugins_file(installed: Install,
                                                                                 tmp_path: Path) -> None:
    """Two plugins with one pack id: ``cadre-rules test ngoc-ha-local`` looks beside the other plugin's pack (the one
    kept); before the fix it said ``this pack has no test cases`` without which file it had looked beside."""
    _ward, copied = _two_plugins_of_one_pack_id(installed, tmp_path)
    result = _run("test", "ngoc-ha-local", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (f"  ngoc-ha-local: this pack has no test cases: no tests/*.toml beside "
                                              f"{copied} names it (the pack of plugin 'ba-dinh-group')")


def test_a_case_file_registered_or_validated_as_a_pack_is_told_so(installed: Install, tmp_path: Path) -> None:
    """The author registered the cases beside the pack (``tests/ngoc-ha-local.toml``) instead of the pack: before the
    fix, five problems of a pack (``case: unknown key; pack: expected a table; pack.id: missing required key``…)."""
    cases = _ward_pack(tmp_path).parent / "tests" / "ngoc-ha-local.toml"
    said = (f"{cases}, pack: a file of test cases ([[case]]) of 'ngoc-ha-local', not a pack: give the pack's file "
            "(run the cases with cadre-rules test)")
    result = _run("packs", "validate", cases, "--lang", "en")
    assert result.exit_code == 2
    assert result.output.splitlines() == ["error: 1 policy pack problem:", f"  {said}"]
    installed(**{"ngoc-ha": _Registers(cases)})
    result = _run("plugins", "--strict-plugins", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: plugin 'ngoc-ha': registered an invalid pack: 1 policy pack problem: {said}"


def test_the_generated_readme_installs_pytest_before_it_runs_pytest(tmp_path: Path) -> None:
    """The README said ``pip install -e .`` then ``pytest``: in a fresh environment, ``pytest: command not found``
    (pytest is the package's ``test`` extra)."""
    readme = (write_plugin("ngoc-ha", tmp_path, communes=["00008"]) / "README.md").read_text(encoding="utf-8")
    for part in readme.split("## English"):
        install = part.index('pip install -e ".[test]"')
        assert install < part.index("\npytest\n")
    assert "pip install -e .\n" not in readme


def test_a_groups_generated_cases_fail_when_a_code_of_its_scope_is_mistyped(tmp_path: Path) -> None:
    """The cases of a group of wards had one firing chair, in the first ward: a typo in the second ward's code of
    ``[scope] units`` (``00052`` for ``00025``) passed them, the ward left out of its own group's rules."""
    package = write_plugin("ba-dinh-group", tmp_path, communes=["00004", "00025"]) / "src" / "cadre_rules_ba_dinh_group"
    cases = package / "tests" / "ba-dinh-group-local.toml"
    cases.write_text(cases.read_text(encoding="utf-8").replace('pack = "ba-dinh-group-local"',
                                                               'pack = "../ba-dinh-group-local.toml"'), encoding="utf-8")
    passed = _run("test", cases, "--lang", "en")
    assert passed.exit_code == 0, passed.output
    pack = package / "ba-dinh-group-local.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace('units = ["00004", "00025"]', 'units = ["00004", "00052"]'),
                    encoding="utf-8")
    failed = _run("test", cases, "--lang", "en", "--backend", "reference")
    assert failed.exit_code == 1, failed.output
    assert "- rotation.new_chair_ba_dinh_group chair-11-00025 info  (expected, not found)" in failed.output


class RegistersARelativePath:
    """``register("ngoc-ha-local.toml")``: found only when the command runs in the package's folder."""

    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register("ngoc-ha-local.toml")


def test_a_pack_registered_by_a_relative_path_is_refused_where_it_is_registered(installed: Install, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the fix the plugin worked in its own folder and was disabled elsewhere (``ngoc-ha-local.toml: cannot
    read the pack: No such file or directory``), the city's run included."""
    _ward_pack(tmp_path)
    monkeypatch.chdir(tmp_path / "cadre-rules-ngoc-ha" / "src" / "cadre_rules_ngoc_ha")  # (where it is found)
    installed(ward=RegistersARelativePath())
    line = next(n for n, text in enumerate(HERE.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == 'register("ngoc-ha-local.toml")')
    result = _run("plugins", "--strict-plugins", "--lang", "vi")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "lỗi: plugin 'ward': gặp lỗi trong cadre_rules_register_packs: ValueError: register(pack): đường dẫn tương đối "
        "'ngoc-ha-local.toml' được đọc từ thư mục nơi chạy lệnh; hãy đưa đường dẫn đầy đủ của tệp gói, "
        f"Path(__file__).with_name('ngoc-ha-local.toml') ({HERE}, dòng {line})")


# -- what an earlier helper found and could not fix (session 18, helper g) ----------------------------------------

_UNITS = [Unit("U1", "Xã Một", "commune", 2, "Huyện A", True)]
_OFFICIALS = [Official("O1", "Trần Văn An", "male", date(1970, 1, 1), "U1", "party_secretary", "university",
                       "advanced", appointed_on=date(2015, 1, 1)),
              Official("O2", "Nguyễn Thị Bình", "female", date(1990, 5, 5), "U1", "committee_chair", "university",
                       "intermediate", appointed_on=date(2022, 1, 1))]
_ENRICHED_PACK = """
[pack]
id = "surname-local"
version = "1"
title = "Reads the enriched surname"

[[rule]]
id = "qualification.surname"
family = "qualification"
severity = "info"
when = "extra_text('surname') == 'Trần'"
message = "surname Trần"
cite = "sample"
"""


class EnrichesThenFails:
    """Registers a pack reading its enriched values, and an enricher that fails for the second official."""

    def __init__(self, pack: Path) -> None:
        self.pack = pack

    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register(self.pack)

    @hookimpl
    def cadre_rules_enrich_official(self, official: Official) -> dict[str, object]:
        if official.id == "O2":
            raise KeyError(official.id)
        return {"surname": "Trần"}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_plugin_whose_enricher_fails_has_none_of_its_packs_applied(lang: str, tmp_path: Path) -> None:
    """Before the fix the plugin was said disabled, yet its pack ``surname-local`` still applied in that run (and
    the next), reading no enriched value: its rule found no one, a silently wrong result."""
    pack = tmp_path / "surname-local.toml"
    pack.write_text(_ENRICHED_PACK, encoding="utf-8")
    engine = Engine(["vn-commune-2tier", "surname-local"], plugins=[EnrichesThenFails(pack)], backend="reference",
                    lang=lang)
    with pytest.warns(PluginWarning, match="cadre_rules_enrich_official"):
        first = engine.evaluate(_OFFICIALS, _UNITS, date(2025, 12, 31))
    second = engine.evaluate(_OFFICIALS, _UNITS, date(2025, 12, 31))  # (disabled for the rest of the engine's life)
    said = {"en": "plugin 'EnrichesThenFails' disabled: its packs are not applied: surname-local@1",
            "vi": "đã tắt plugin 'EnrichesThenFails': các gói của plugin này không được áp dụng: surname-local@1"}
    for report in (first, second):
        assert [p.id for p in report.packs] == ["vn-commune-2tier"]
        assert not [f for f in report.findings if f.pack == "surname-local"]
        assert not [m for m in report.metrics if m.pack == "surname-local"]
        assert said[lang] in report.notes
        assert report.notes.index(said[lang]) == 1  # (right after the plugin's own note)
    healthy = Engine(["vn-commune-2tier"], backend="reference", lang=lang).evaluate(_OFFICIALS, _UNITS, date(2025, 12, 31))
    assert first.findings == healthy.findings


def test_an_explanation_leaves_out_the_packs_of_a_plugin_whose_enricher_failed(tmp_path: Path) -> None:
    """As the evaluation does (above): before the fix ``explain`` evaluated without the plugin's pack, then explained
    its rules anyway (the official's, reading no enriched value; the scope's quotas)."""
    pack = tmp_path / "surname-local.toml"
    pack.write_text(_ENRICHED_PACK, encoding="utf-8")
    engine = Engine(["vn-commune-2tier", "surname-local"], plugins=[EnrichesThenFails(pack)], backend="reference")
    with pytest.warns(PluginWarning, match="cadre_rules_enrich_official"):
        official = explain_official(engine, _OFFICIALS, _UNITS, "O2", date(2025, 12, 31))
    assert [ref.partition("@")[0] for ref in official.packs] == ["vn-commune-2tier"]
    assert not [r for r in official.rules if r.pack == "surname-local"]
    engine = Engine(["vn-commune-2tier", "surname-local"], plugins=[EnrichesThenFails(pack)], backend="reference")
    with pytest.warns(PluginWarning, match="cadre_rules_enrich_official"):
        scope = explain_scope(engine, _OFFICIALS, _UNITS, "unit", "U1", date(2025, 12, 31))
    assert [ref.partition("@")[0] for ref in scope.packs] == ["vn-commune-2tier"]


_DATA = HERE.parents[1] / "examples" / "hanoi-2025"


@pytest.mark.parametrize("command", [["explain", _DATA, "--official", "X", "--as-of", "2025-12-31"],
                                     ["project", _DATA, "--as-of", "2025-12-31", "--to", "2026-12-31"],
                                     ["match", _DATA, "--as-of", "2025-12-31"],
                                     ["test"]])
def test_strict_plugins_is_an_option_of_every_command_that_evaluates(installed: Install,
                                                                     command: list[str | Path]) -> None:
    """Before the fix only ``evaluate`` (and ``plugins``) took ``--strict-plugins``: the others said ``No such
    option`` and a CI job could not make a broken plugin fail them."""
    installed(ward=MisspeltHook())
    result = _run(*command, "--strict-plugins", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: plugin 'ward': unknown hook 'cadre_rules_register_pack'"), result.stderr
    evaluate_help = _run("evaluate", "--help").output
    said = _run(command[0], "--help").output
    assert "--strict-plugins" in said
    assert " ".join(said.split("--strict-plugins", 1)[1].split("\n  -")[0].split()) == \
        " ".join(evaluate_help.split("--strict-plugins", 1)[1].split("\n  -")[0].split())


_MISTYPED_OVERRIDE = """
[[override]]
rule = "vn-commune-2teir/rotation.position_change_due"
action = "waive"
reason = "Phường mới thành lập: chưa xét chuyển đổi vị trí công tác"
"""


def test_an_override_of_a_mistyped_pack_id_is_refused_by_packs_validate(tmp_path: Path) -> None:
    """Before the fix ``packs validate`` said OK and the override waived nothing, silently (a missing rule of an
    evaluated pack got a note; a pack id no one has, nothing)."""
    pack = _ward_pack(tmp_path)
    pack.write_text(pack.read_text(encoding="utf-8") + _MISTYPED_OVERRIDE, encoding="utf-8")
    for lang, said in (("en", f"{pack}, override[0].rule: no installed pack has the id 'vn-commune-2teir'; did you "
                              "mean 'vn-commune-2tier'? (got 'vn-commune-2teir/rotation.position_change_due')"),
                       ("vi", f"{pack}, override[0].rule: không có gói quy định nào đã cài đặt mang mã 'vn-commune-2teir'; "
                              "có phải là 'vn-commune-2tier'? (giá trị đọc được: "
                              "'vn-commune-2teir/rotation.position_change_due')")):
        result = _run("packs", "validate", pack, "--lang", lang)
        assert result.exit_code == 2, result.output
        assert said in result.stderr, result.stderr
    fixed = pack.read_text(encoding="utf-8").replace("2teir", "2tier")
    pack.write_text(fixed, encoding="utf-8")
    assert _run("packs", "validate", pack).exit_code == 0


class RegistersWardPack:
    def __init__(self, pack: Path) -> None:
        self.pack = pack

    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register(self.pack, units=["00008"])


def test_an_override_of_a_mistyped_pack_id_disables_the_plugin_at_its_key(installed: Install,
                                                                          tmp_path: Path) -> None:
    """Before the fix the plugin loaded and its override applied to no pack, silently."""
    pack = _ward_pack(tmp_path)
    pack.write_text(pack.read_text(encoding="utf-8") + _MISTYPED_OVERRIDE, encoding="utf-8")
    installed(ward=RegistersWardPack(pack))
    result = _run("plugins", "--strict-plugins", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: plugin 'ward': registered an invalid pack: 1 policy pack problem: {pack}, override[0].rule: no "
        "installed pack has the id 'vn-commune-2teir'; did you mean 'vn-commune-2tier'? (got "
        "'vn-commune-2teir/rotation.position_change_due')")


_CITY_RULE = """
[[rule]]
id = "qualification.degree"
family = "qualification"
severity = "error"
when = "education < 'master'"
message = "Education ({education}) below a master's degree"
cite = "Quy định của phường"
"""


def test_packs_validate_finds_a_conflict_with_an_installed_pack(installed: Install, tmp_path: Path) -> None:
    """Before the fix ``packs validate`` said OK for a ward pack defining the city's ``qualification.degree`` for the
    same units, and once installed the plugin was disabled for that very conflict."""
    pack = _ward_pack(tmp_path)
    pack.write_text(pack.read_text(encoding="utf-8") + _CITY_RULE, encoding="utf-8")
    result = _run("packs", "validate", pack, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"{pack}, pack.effective: in force" in result.stderr
    assert "both define rule qualification.degree" in result.stderr
    installed(ward=RegistersWardPack(pack))
    loaded = _run("plugins", "--strict-plugins", "--lang", "en")  # (what the load says: the same conflict)
    assert loaded.exit_code == 2
    assert "both define rule qualification.degree" in loaded.stderr


class RegistersANumber:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        register(8)  # type: ignore[arg-type]  # (the garbage is the test)


class RegistersAFunctionByAWrongName:
    @hookimpl
    def cadre_rules_register_functions(self, register: FunctionRegistrar) -> None:
        register("nam-cong-tac", len, returns="int")


def _line_of(text: str) -> int:
    return next(n for n, line in enumerate(HERE.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(("plugin", "said"), [
    (RegistersANumber(), "gặp lỗi trong cadre_rules_register_packs: TypeError: register(pack): cần một Pack hoặc một "
                         "đường dẫn, nhận được int ({file}, dòng {line})"),
    (RegistersAFunctionByAWrongName(), "gặp lỗi trong cadre_rules_register_functions: TypeError: register(name, …): "
                                   "'nam-cong-tac' không phải là một định danh (identifier) hợp lệ ({file}, dòng "
                                   "{line2})"),
])
def test_a_register_call_with_a_wrong_type_is_said_in_the_readers_language(installed: Install, plugin: object,
                                                                           said: str) -> None:
    """Before the fix these ``TypeError``\\ s were English in a Vietnamese run (only the relative pack path was
    translated)."""
    installed(ward=plugin)
    result = _run("plugins", "--strict-plugins", "--lang", "vi")
    assert result.exit_code == 2
    where = {"file": HERE, "line": _line_of("register(8)"), "line2": _line_of('register("nam-cong-tac"')}
    assert result.stderr.strip() == "lỗi: plugin 'ward': " + said.format(**where)


def test_packs_test_points_to_cadre_rules_test() -> None:
    """Before the fix ``packs test`` (beside ``packs validate``) said only ``No such command 'test'``."""
    result = _run("packs", "test", "ngoc-ha-local", "--coverage", "--lang", "en")
    assert result.exit_code == 2
    assert "the test cases of packs are run by cadre-rules test ngoc-ha-local --coverage" in result.stderr
    assert "test" not in _run("packs", "--help").output.split("Commands:")[1]
