"""``cadre-rules test``: pack test cases as data, coverage, mutants (issue #21)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import _plugins
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.jobs._cases import read_case_file
from cadre_rules.jobs._mutants import check_mutants
from cadre_rules.jobs._mutants import mutants
from cadre_rules.jobs._pack_tests import run_case_files
from cadre_rules.packs._registry import builtin_pack_dir

CASES = builtin_pack_dir() / "tests"
BUILTIN_CASE_FILES = sorted(CASES.glob("*.toml"))
PLUGIN_CASE_FILES = sorted(Path(__file__).parents[1].glob("plugins/*/src/*/tests/*.toml"))

HEAD = 'pack = "vn-nd33-2023@2023.08.1"\n'


def run(*args: str | Path) -> Result:
    """``cadre-rules test …`` in English (the summary lines; diffs are language-neutral)."""
    return CliRunner().invoke(cli, [str(a) for a in args] + ["--lang", "en"], catch_exceptions=False)


def case_file(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "cases.toml"
    path.write_text(head + body, encoding="utf-8")
    return path


GOOD = """
[[case]]
name = "chair without a degree"
as_of = 2024-06-30
officials = [{ id = "a", position = "committee_chair", education = "college" }]
findings = [{ rule = "qualification.degree", subject = "a", severity = "error" }]
"""


def test_every_builtin_pack_version_has_cases() -> None:
    engine = Engine(packs=[], backend="reference", plugins=False)
    tested = set()
    for path in BUILTIN_CASE_FILES:
        result = run_case_files([path], backends=["reference"], plugins=False, coverage=False)
        tested.update(r.pack for r in result.results)
    every = {p.ref for versions in engine.editions.values() for p in versions}
    assert tested == every


@pytest.mark.parametrize("path", BUILTIN_CASE_FILES + PLUGIN_CASE_FILES, ids=lambda p: p.stem)
def test_shipped_cases_pass_with_full_coverage(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if path in PLUGIN_CASE_FILES:  # the example plugins are installed (entry points): see them
        monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    result = run_case_files([path])
    assert result.results
    assert [r.diff for r in result.results if not r.passed] == []
    missing = {k: (c.fired, c.not_fired, {p: v for p, v in c.conditions.items() if not (v[1] and v[2])})
               for k, c in result.coverage.rules.items() if c.outcomes[0] != c.outcomes[1]}
    assert missing == {}
    assert result.coverage.percent == 100.0


@pytest.mark.parametrize("path", BUILTIN_CASE_FILES + PLUGIN_CASE_FILES, ids=lambda p: p.stem)
def test_mutants_of_each_pack_are_caught(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if path in PLUGIN_CASE_FILES:
        monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    result = check_mutants([path])
    print(f"{path.stem}: mutants caught {result.caught} / {result.total}")
    assert result.total > 0
    assert [f"{m.where}: {m.change}" for m in result.survivors] == []
    assert result.caught == result.total


def test_a_weak_case_file_lets_mutants_survive(tmp_path: Path) -> None:
    """The mutation check can fail: one case at the degree boundary only leaves the other rules' mutants."""
    path = case_file(tmp_path, GOOD)
    result = check_mutants([path], plugins=False)
    assert result.caught < result.total
    assert any("political_theory" in m.change for m in result.survivors)


def test_mutants_name_their_change() -> None:
    pack = Engine(["vn-nd33-2023"], backend="reference", plugins=False).packs[0]
    changes = {(m.where, m.change) for m in mutants(pack)}
    assert ("qualification.degree when", "education < 'university' → education <= 'university'") in changes
    assert ("qualification.degree when", "education < 'university' → education < 'master'") in changes


def test_pass_prints_each_case_and_exits_0(tmp_path: Path) -> None:
    result = run("test", case_file(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    assert "PASS vn-nd33-2023@2023.08.1 chair without a degree" in result.output
    assert "1 passed, 0 failed" in result.output


def test_failure_shows_the_diff_and_exits_1(tmp_path: Path) -> None:
    body = GOOD.replace('severity = "error"', 'severity = "warning"') + """
[[case]]
name = "a finding not expected"
as_of = 2024-06-30
officials = [{ id = "b", position = "council_chair", political_theory = "none" },
             { id = "c", position = "committee_chair" }]
findings = [{ rule = "qualification.degree", subject = "c" }]
"""
    result = run("test", case_file(tmp_path, body), "--backend", "reference")
    assert result.exit_code == 1
    assert "FAIL vn-nd33-2023@2023.08.1 chair without a degree" in result.output
    assert "~ qualification.degree a warning → error  (severity)" in result.output
    assert "+ qualification.theory b error  (found, not expected)" in result.output
    assert "- qualification.degree c  (expected, not found)" in result.output
    assert "0 passed, 2 failed" in result.output


def test_at_least_allows_other_findings_but_not_absent_ones(tmp_path: Path) -> None:
    body = """
[[case]]
name = "at least"
as_of = 2024-06-30
expect = "at_least"
officials = [{ id = "a", position = "committee_chair", education = "college", political_theory = "none" }]
findings = [{ rule = "qualification.degree", subject = "a" }]
absent = [{ rule = "qualification.general_education", subject = "a" }]
"""
    assert run("test", case_file(tmp_path, body)).exit_code == 0
    failing = body.replace("qualification.general_education", "qualification.theory")
    result = run("test", case_file(tmp_path, failing))
    assert result.exit_code == 1
    assert "+ qualification.theory a error  (expected absent)" in result.output


def test_metrics_are_compared(tmp_path: Path) -> None:
    body = """
[[case]]
name = "quota metric"
as_of = 2025-08-01
expect = "at_least"
officials = [{ id = "a", position = "party_secretary" }]
metrics = [{ id = "staffing.posts_filled", scope_id = "U1", numerator = 1, denominator = 5, value = 0.2 }]
"""
    head = 'pack = "vn-commune-2tier@2025.07.1"\n'
    assert run("test", case_file(tmp_path, body, head)).exit_code == 0
    result = run("test", case_file(tmp_path, body.replace("numerator = 1, denominator = 5, value = 0.2",
                                                          "numerator = 2"), head))
    assert result.exit_code == 1
    assert "~ metric staffing.posts_filled U1 numerator: expected 2, got 1" in result.output


def test_junit(tmp_path: Path) -> None:
    body = GOOD + GOOD.replace("chair without a degree", "wrong").replace('"error"', '"info"')
    result = run("test", case_file(tmp_path, body), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output)
    assert root.get("tests") == "2" and root.get("failures") == "1"
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["chair without a degree", "wrong"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and "severity" in (failure.text or "")


def test_coverage_and_min_coverage(tmp_path: Path) -> None:
    path = case_file(tmp_path, GOOD)
    result = run("test", path, "--coverage")
    assert result.exit_code == 0
    assert "✗ vn-nd33-2023@2023.08.1 qualification.degree (official): fired, ALWAYS FIRED" in result.output
    assert "staffing.vice_chair_cap (unit): NEVER FIRED" in result.output
    result = run("test", path, "--min-coverage", "90")
    assert result.exit_code == 1
    assert "below --min-coverage 90" in result.output
    assert run("test", path, "--min-coverage", "10").exit_code == 0


@pytest.mark.parametrize(("body", "where", "reason"), [
    (GOOD.replace('education = "college"', 'educaton = "college"'), "case[0].officials[0].educaton",
     "unknown field (did you mean 'education'?)"),
    (GOOD.replace('rule = "qualification.degree"', 'rule = "qualification.degre"'), "case[0].findings[0].rule",
     "unknown rule of the pack (did you mean 'qualification.degree'?)"),
    (GOOD.replace('education = "college"', 'education = "collège-ish"'), "case[0].officials[0]",
     "education"),
    (GOOD.replace('severity = "error" }]', 'severity = "error" }, '
                  '{ rule = "qualification.degree", subject = "a", severity = "info" }]'),
     "case[0].findings", "contradictory expectations: two severities"),
    (GOOD.replace("as_of = 2024-06-30\n", "as_of = 2024-06-30\nexpect = \"at_least\"\n"
                  "absent = [{ rule = \"qualification.degree\", subject = \"a\" }]\n"),
     "case[0].absent", "contradictory expectations: expected present and absent"),
    (GOOD.replace("as_of = 2024-06-30", "as_of = \"soon\""), "case[0].as_of", "as_of date"),
    (GOOD.replace("[[case]]", "[[case]]\ncolour = 1"), "case[0].colour", "unknown key"),
    (GOOD.replace('officials = [{ id = "a", position = "committee_chair", education = "college" }]',
                  'officials = "a"'), "case[0].officials", "expected a list of tables"),
    (GOOD.replace('findings = [{ rule', 'findings = "all"\nnot_used = [{ rule'), "case[0].findings",
     "expected a list of tables"),
    (GOOD + 'metrics = ["quota.young"]\n', "case[0].metrics", "expected a list of tables"),
])
def test_bad_case_file_is_located_exit_2(tmp_path: Path, body: str, where: str, reason: str) -> None:
    path = case_file(tmp_path, body)
    result = run("test", path)
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    assert where in result.output
    assert reason in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("head", "as_of", "period"), [
    (HEAD, "2025-07-01", "in force 2023-08-01 to 2025-06-30"),       # the old law, the day of the reform
    (HEAD, "2023-07-31", "in force 2023-08-01 to 2025-06-30"),
    ('pack = "vn-commune-2tier@2025.07.2"\n', "2025-06-30", "in force 2025-07-01 to 2025-10-07"),
    ('pack = "vn-commune-2tier@2025.07.2"\n', "2025-10-08", "in force 2025-07-01 to 2025-10-07"),  # superseded
    ('pack = "vn-commune-2tier@2026.01.4"\n', "2025-12-31", "in force from 2026-01-01"),
])
def test_a_case_dated_when_its_pack_is_not_in_force_exit_2(tmp_path: Path, head: str, as_of: str,
                                                          period: str) -> None:
    """It would pass while a run on that date does not apply the pack (session 11: a commune's pack of
    2025-07-01 tested on an earlier date passed). The day before and the day after its period are refused."""
    path = case_file(tmp_path, GOOD.replace("as_of = 2024-06-30", f"as_of = {as_of}"), head)
    result = run("test", path)
    assert result.exit_code == 2, result.output
    ref = head.split('"')[1]
    assert (f"{path}, case[0].as_of: {ref}{'' if '@' in ref else '@2023.08.1'} is not in force on this date "
            f"({period}): a run on that date does not apply it; date the case within its period "
            f"(got '{as_of}')") in result.output
    assert "Traceback" not in result.output


def test_a_case_dated_out_of_force_in_vietnamese(tmp_path: Path) -> None:
    path = case_file(tmp_path, GOOD.replace("as_of = 2024-06-30", "as_of = 2025-07-01"))
    result = CliRunner().invoke(cli, ["test", str(path), "--lang", "vi"])
    assert result.exit_code == 2, result.output
    assert ("case[0].as_of: vn-nd33-2023@2023.08.1 không có hiệu lực vào ngày này (hiệu lực từ 01/08/2023 đến "
            "30/06/2025): một lần chạy vào ngày đó không áp dụng gói; hãy đặt ngày của trường hợp trong thời gian "
            "hiệu lực") in result.output


def test_unknown_pack_and_target_exit_2(tmp_path: Path) -> None:
    result = run("test", case_file(tmp_path, GOOD, 'pack = "no-such-pack"\n'))
    assert result.exit_code == 2
    assert "pack" in result.output and "no-such-pack" in result.output
    result = run("test", "no-such-thing")
    assert result.exit_code == 2
    assert "not a case file, a directory, a pack or a plugin" in result.output


def test_plugin_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    result = run("test", "ba-vi-local", "hoan-kiem-local", "--backend", "reference")
    assert result.exit_code == 0, result.output
    assert "PASS ba-vi-local@2023.12.1" in result.output and "PASS hoan-kiem-local@2023.12.1" in result.output


def test_the_pack_of_a_disabled_plugin_names_the_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cadre-rules test my-local` while the plugin that registers it is broken: the error says which plugins
    are disabled (their reasons are the warnings above it), not only that the pack is unknown."""
    class Broken:
        name, dist = "xa-broken", None

        def load(self) -> object:
            raise ImportError("No module named 'numpyy'")

    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    monkeypatch.setattr(_plugins, "metadata", SimpleNamespace(
        entry_points=lambda group: [Broken()] if group == _plugins.GROUP else []))
    result = run("test", "xa-local")
    assert result.exit_code == 2
    assert "warning: plugin 'xa-broken' disabled: failed to import: ImportError: No module named 'numpyy'" \
        in result.stderr
    assert "xa-local: not a case file, a directory, a pack or a plugin (known: hanoi-de-an-34, " in result.stderr
    assert "; disabled plugins, see the warnings: xa-broken)" in result.stderr


def test_summary_in_vietnamese(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["test", str(case_file(tmp_path, GOOD)), "--coverage", "--lang", "vi",
                                      "--min-coverage", "90"])
    assert result.exit_code == 1
    assert "1 đạt, 0 không đạt" in result.output
    assert "LUÔN PHÁT SINH" in result.output
    assert "thấp hơn --min-coverage 90" in result.output


def test_cases_and_diffs_in_vietnamese(tmp_path: Path) -> None:
    body = GOOD.replace('severity = "error"', 'severity = "warning"') + """
[[case]]
name = "a second chair"
as_of = 2024-06-30
officials = [{ id = "c", position = "committee_chair" }]
findings = [{ rule = "qualification.degree", subject = "c" }]
"""
    result = CliRunner().invoke(cli, ["test", str(case_file(tmp_path, body)), "--lang", "vi", "--backend",
                                      "reference", "--coverage"])
    assert result.exit_code == 1
    out = result.output
    assert "KHÔNG ĐẠT vn-nd33-2023@2023.08.1 chair without a degree" in out
    assert "~ qualification.degree a lưu ý → cần xử lý  (mức độ)" in out
    assert "- qualification.degree c  (mong đợi, không thấy)" in out
    assert "(cán bộ): có phát sinh" in out and "(đơn vị): CHƯA TỪNG PHÁT SINH" in out
    for english in ("PASS", "FAIL", "expected", "severity", "(official)", "(unit)", "error", "warning"):
        assert english not in out, english
    metric = """
[[case]]
name = "quota metric"
as_of = 2025-08-01
expect = "at_least"
officials = [{ id = "a", position = "party_secretary" }]
metrics = [{ id = "staffing.posts_filled", scope_id = "U1", numerator = 2, met = true }]
"""
    result = CliRunner().invoke(cli, ["test", str(case_file(tmp_path, metric, 'pack = "vn-commune-2tier@2025.07.1"\n')),
                                      "--lang", "vi", "--backend", "reference"])
    assert result.exit_code == 1
    assert "~ chỉ số staffing.posts_filled U1 tử số: mong đợi 2, nhận được 1" in result.output
    assert "~ chỉ số staffing.posts_filled U1 đạt: mong đợi có, nhận được không" in result.output


def test_targets_pack_id_version_and_directory() -> None:
    result = run("test", "vn-nd33-2023", "--backend", "reference")
    assert result.exit_code == 0, result.output
    assert "vn-nd33-2023@2023.08.1" in result.output
    assert run("test", "vn-nd33-2023@2023.08.1", "--backend", "reference").exit_code == 0
    assert run("test", "vn-nd33-2023@1999.01", "--backend", "reference").exit_code == 2
    result = run("test", CASES, "--backend", "reference", "--format", "json")
    assert result.exit_code == 0, result.output


DE_AN_34 = 'pack = "hanoi-de-an-34@2023.11.4"\n'

#: Two units: U1's standing committee has a man only (the unit rule fires), U2's a woman (it does not).
#: The key officials are all 40 and the young official is not key; U2 lacks a front chair.
UNIT_AND_QUOTA = """
[[case]]
name = "unit rule, quotas and staffing seen partly"
as_of = 2024-12-31
expect = "at_least"
units = [{ code = "U1" }, { code = "U2" }]
officials = [
  { id = "s1", unit = "U1", position = "party_secretary", standing_committee = true, birth_date = 1984-06-01 },
  { id = "f1", unit = "U1", position = "front_chair", birth_date = 1984-06-01 },
  { id = "s2", unit = "U2", position = "party_secretary", standing_committee = true, gender = "female" },
  { id = "y", unit = "U2", position = "other", birth_date = 1995-06-01 },
]
findings = [{ rule = "quota.woman_standing_committee", subject = "U1" },
            { rule = "staffing.vacancy", subject = "U2" }]
absent = [{ rule = "quota.woman_standing_committee", subject = "U2" }]
"""


def _conditions(tmp_path: Path, body: str, head: str, rule: str) -> dict[str, tuple[bool, bool]]:
    result = run_case_files([case_file(tmp_path, body, head)], backends=["reference"], plugins=False)
    assert [r.diff for r in result.results] == [()]
    cov = next(c for (_, r), c in result.coverage.rules.items() if r == rule)
    return {f"{part}[{i}] {text}": (bool(true), bool(false))
            for (part, i), (text, true, false) in sorted(cov.conditions.items())}


def test_coverage_of_a_unit_rule_counts_each_sub_condition(tmp_path: Path) -> None:
    """Fired in U1 and not in U2, but a standing committee was never empty: one sub-condition never false."""
    seen = _conditions(tmp_path, UNIT_AND_QUOTA, DE_AN_34, "quota.woman_standing_committee")
    assert seen == {
        "when[0] count('standing_committee') > 0 and count(\"standing_committee and gender == 'female'\") == 0":
            (True, True),
        "when[1] count('standing_committee') > 0": (True, False),
        "when[2] count(\"standing_committee and gender == 'female'\") == 0": (True, True),
    }
    result = run("test", case_file(tmp_path, UNIT_AND_QUOTA, DE_AN_34), "--coverage")
    assert result.exit_code == 0, result.output
    assert "✗ hanoi-de-an-34@2023.11.4 quota.woman_standing_committee (unit): fired, not fired" in result.output
    assert "when[1] count('standing_committee') > 0: never false" in result.output


def test_coverage_of_a_quota_counts_its_numerator_within_its_population(tmp_path: Path) -> None:
    """The young official is not key: the quota of young key officials never saw its numerator true."""
    assert _conditions(tmp_path, UNIT_AND_QUOTA, DE_AN_34, "quota.young") == {
        "population[0] is_key": (True, True), "numerator[0] age < 35": (False, True)}
    assert _conditions(tmp_path, UNIT_AND_QUOTA, DE_AN_34, "quota.women") == {
        "population[0] is_key": (True, True), "numerator[0] gender == 'female'": (True, True)}


def test_coverage_of_staffing_counts_each_required_post_held_and_vacant(tmp_path: Path) -> None:
    seen = _conditions(tmp_path, UNIT_AND_QUOTA, DE_AN_34, "staffing.vacancy")
    assert seen["requires[0][0] holders('party_secretary') >= 1"] == (True, False)
    assert seen["requires[6][0] holders('front_chair') >= 1"] == (True, True)
    assert seen["requires[1][0] holders('deputy_party_secretary') >= 1"] == (False, True)
    assert seen["requires[2].where[0] has_council"] == (True, False)


def test_bad_case_file_in_vietnamese(tmp_path: Path) -> None:
    """Every problem of a case file keeps its place and value, its reason in the user's language."""
    body = GOOD.replace('education = "college"', 'educaton = "college"').replace(
        'rule = "qualification.degree"', 'rule = "qualification.degre"') + """
[[case]]
name = "bad"
as_of = "soon"
expect = "some"
officials = [{ id = "b", education = "collège-ish" }]
findings = [{ rule = "qualification.theory", subject = "b", severity = "fatal" }]
"""
    path = case_file(tmp_path, body)
    result = CliRunner().invoke(cli, ["test", str(path), "--lang", "vi"])
    assert result.exit_code == 2, result.output
    out = result.output
    assert f"{path}, case[0].officials[0].educaton: trường không có trong danh mục (có phải là 'education'?)" in out
    assert f"{path}, case[0].findings[0].rule: gói không có quy tắc này (có phải là 'qualification.degree'?)" in out
    assert f"{path}, case[1].as_of: mỗi trường hợp cần ngày as_of" in out
    assert f"{path}, case[1].expect: cần 'exactly' hoặc 'at_least'" in out
    assert f"{path}, case[1].officials[0].education: " in out  # the input reader's reason (still English: #16)
    assert f"{path}, case[1].findings[0].severity: mức độ không hợp lệ (đã biết: error, warning, info)" in out
    ours = "\n".join(line for line in out.splitlines() if "officials[0].education:" not in line)
    for english in ("unknown", "did you mean", "every case", "expected"):
        assert english not in ours, english
    unknown = CliRunner().invoke(cli, ["test", "no-such-thing", "vn-nd33-2023@1999.01", "--lang", "vi"])
    assert unknown.exit_code == 2
    assert "no-such-thing: không phải tệp trường hợp, thư mục, gói hay plugin (đã biết: " in unknown.output
    assert "vn-nd33-2023@1999.01: gói không có phiên bản này (các phiên bản: 2023.08.1)" in unknown.output


def test_a_case_file_that_cannot_be_read_says_why_in_the_reader_language(tmp_path: Path) -> None:
    """Not there, not UTF-8, not TOML: located at the file, the reason in Vietnamese under vi (no Python
    ``[Errno 2]`` text), English under en."""
    vi = translation("vi").gettext
    cases = {"missing.toml": None, "latin.toml": "pack = 'caf\xe9'".encode("latin-1"),
             "broken.toml": b'pack = "x"\n[[case]\n'}
    shown = {}
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(InputError) as error:
            read_case_file(path)
        (problem,) = error.value.problems
        shown[name] = (problem.text(vi), problem.text())
    assert shown == {
        "missing.toml": (f"{tmp_path / 'missing.toml'}: không đọc được tệp trường hợp: không có tệp hoặc thư mục này",
                         f"{tmp_path / 'missing.toml'}: cannot read the case file: No such file or directory"),
        "latin.toml": (f"{tmp_path / 'latin.toml'}: không phải văn bản UTF-8 (byte 11)",
                       f"{tmp_path / 'latin.toml'}: not UTF-8 text (byte 11)"),
        "broken.toml": (f"{tmp_path / 'broken.toml'}: không phải TOML hợp lệ: cần ']]' ở cuối phần khai báo mảng bảng "
                        "(ở dòng 2, cột 7)",
                        f"{tmp_path / 'broken.toml'}: not valid TOML: Expected ']]' at the end of an array declaration "
                        "(at line 2, column 7)")}
