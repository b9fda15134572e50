"""Waivers (--waivers: findings set aside with a written reason) and baselines (--baseline: only new findings)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.render._labels import kind_word
from cadre_rules.render._text import render_text
from cadre_rules.report._waivers import Waiver
from cadre_rules.report._waivers import apply_baseline
from cadre_rules.report._waivers import apply_waivers
from cadre_rules.report._waivers import load_baseline
from cadre_rules.report._waivers import load_waivers

AS_OF = date(2024, 6, 30)
UNIT = Unit("X1", "Xã Một", "commune", 1, "Hoài Đức", True)
# A1 holds a cán bộ post with a college degree and elementary theory: qualification.degree and .theory (errors).
A1 = Official("A1", "Tên", "female", date(1990, 7, 1), "X1", "committee_chair", "college", "elementary",
              general_education="upper_secondary")
A2 = Official("A2", "Tên", "male", date(1970, 3, 15), "X1", "committee_vice_chair", "university", "intermediate",
              general_education="upper_secondary")
DEGREE = "vn-nd33-2023/qualification.degree"
THEORY = "vn-nd33-2023/qualification.theory"


def report(lang: str = "en") -> Report:
    return Engine(["vn-nd33-2023"], backend="reference", plugins=False, lang=lang).evaluate([A1, A2], [UNIT], AS_OF)


def waiver(rule: str, expiry: date, subject: str = "A1", approver: str = "Sở Nội vụ") -> Waiver:
    pack, _, rule_id = rule.rpartition("/")
    return Waiver(pack or None, rule_id, subject, "Đang học đại học, tốt nghiệp 6/2025", approver, expiry)


def keys(r: Report) -> list[tuple[str, str]]:
    return [(f.rule, f.subject_id) for f in r.findings]


# --------------------------------------------------------------------------- the waivers file

GOOD = """\
# two waivers
[[waiver]]
rule = "vn-nd33-2023/qualification.degree"
subject = "A1"
reason = "Đang học đại học, tốt nghiệp 6/2025"
approver = "Sở Nội vụ"
expiry = 2024-12-31

[[waiver]]
rule = "qualification.theory"
subject = "A1"
reason = "Đã đăng ký lớp trung cấp LLCT"
approver = "Phòng Nội vụ"
expiry = "2024-06-29"
"""


def test_load_waivers(tmp_path: Path) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_waivers(path) == (
        Waiver("vn-nd33-2023", "qualification.degree", "A1", "Đang học đại học, tốt nghiệp 6/2025", "Sở Nội vụ",
               date(2024, 12, 31)),
        Waiver(None, "qualification.theory", "A1", "Đã đăng ký lớp trung cấp LLCT", "Phòng Nội vụ", date(2024, 6, 29)),
    )
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing waived\n", encoding="utf-8")
    assert load_waivers(empty) == ()


def test_every_problem_of_a_waivers_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("""\
[[waiver]]
rule = "vn-nd33-2023/qualification.degree"
subject = "A1"
reason = ""
approver = "Sở Nội vụ"
expiry = "31/12/2024"
colour = 1

[[waiver]]
rule = "a b"
subject = 7
approvr = "x"
expiry = 2024-12-31T00:00:00
""", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, waiver[0] (line 1).colour: unknown key",
        f"{path}, waiver[0] (line 1).reason: expected a non-empty string",
        f"{path}, waiver[0] (line 1).expiry: expected a date (YYYY-MM-DD) (got '31/12/2024')",
        f"{path}, waiver[1] (line 9).approvr: unknown key; did you mean 'approver'?",
        f"{path}, waiver[1] (line 9).rule: expected \"PACK/RULE\" or \"RULE\" (got 'a b')",
        f"{path}, waiver[1] (line 9).subject: expected a non-empty string (got '7')",
        f"{path}, waiver[1] (line 9).reason: missing required key",
        f"{path}, waiver[1] (line 9).approver: missing required key",
        f"{path}, waiver[1] (line 9).expiry: expected a date (YYYY-MM-DD) (got '2024-12-31 00:00:00')",
    ]
    vi = translation("vi").gettext  # the key path's line in the reader's language too
    assert info.value.problems[0].text(vi).startswith(f"{path}, waiver[0] (dòng 1).colour: ")
    assert info.value.problems[3].text(vi).startswith(f"{path}, waiver[1] (dòng 9).approvr: ")


@pytest.mark.parametrize(("text", "expected"), [
    ("[[waiver]]\nrule = \n", ": invalid TOML: Invalid value (at line 2, column 8)"),
    ("waiver = 'x'\n", ", waiver: expected [[waiver]] tables"),
    ("[waivers]\nrule = 'x'\n", ", waivers: unknown key; a waivers file holds [[waiver]] tables"),
    ("[[waiver]]\nrule = 'r'\nsubject = 'A1'\nreason = 'r'\napprover = 'a'\n",
     ", waiver[0] (line 1).expiry: missing required key (a date, YYYY-MM-DD)"),
])
def test_waivers_file_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path)
    assert str(info.value.problems[0]) == f"{path}{expected}"


def test_missing_waivers_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the waivers file: No such file or directory"):
        load_waivers(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- applying waivers


def test_a_waiver_sets_the_finding_aside_with_its_reason() -> None:
    base = report()
    assert keys(base) == [("qualification.degree", "A1"), ("qualification.theory", "A1")]
    out, expired = apply_waivers(base, [waiver(DEGREE, date(2024, 12, 31))])
    assert expired == []
    assert keys(out) == [("qualification.theory", "A1")]
    assert out.summary == {"error": 1, "warning": 0, "info": 0}
    (aside,) = out.suppressed
    assert (aside.finding.rule, aside.finding.subject_id) == ("qualification.degree", "A1")
    assert aside.by == "waiver:Sở Nội vụ"
    assert aside.reason == "Đang học đại học, tốt nghiệp 6/2025"
    assert out.notes == base.notes
    doc = json.loads(report_to_json(out))
    assert doc["suppressed"] == [{"pack": "vn-nd33-2023", "rule": "qualification.degree",
                                  "subject": {"kind": "official", "id": "A1", "name": "Tên",
                                              "position": "Committee chair", "unit_name": "Xã Một"},
                                  "scope_id": "X1",
                                  "by": "waiver:Sở Nội vụ", "reason": "Đang học đại học, tốt nghiệp 6/2025"}]


def test_expiry_day_is_still_covered_and_the_day_after_is_not() -> None:
    on_the_day, expired = apply_waivers(report(), [waiver(THEORY, AS_OF)])
    assert keys(on_the_day) == [("qualification.degree", "A1")] and expired == []
    late = waiver(THEORY, date(2024, 6, 29), approver="Phòng Nội vụ")
    after, expired = apply_waivers(report(), [late], lang="en")
    assert keys(after) == keys(report()) and after.suppressed == ()
    assert expired == [late]
    assert after.notes == ("waiver vn-nd33-2023/qualification.theory for A1 (approved by Phòng Nội vụ) expired on "
                           "2024-06-29: not applied",)
    vi, _ = apply_waivers(report("vi"), [late], lang="vi")
    assert vi.notes == ("miễn trừ vn-nd33-2023/qualification.theory cho A1 (do Phòng Nội vụ phê duyệt) đã hết hạn "
                        "ngày 29/06/2024: không áp dụng",)


def test_rule_without_pack_matches_any_pack_and_wrong_pack_or_subject_matches_nothing() -> None:
    out, _ = apply_waivers(report(), [waiver("qualification.degree", date(2025, 1, 1)),
                                      waiver("hanoi-de-an-34/qualification.theory", date(2025, 1, 1)),
                                      waiver("qualification.theory", date(2025, 1, 1), subject="A2")], lang="en")
    assert keys(out) == [("qualification.theory", "A1")]
    assert out.notes == (
        "waiver hanoi-de-an-34/qualification.theory for A1 (approved by Sở Nội vụ, until 2025-01-01) matched no finding",
        "waiver qualification.theory for A2 (approved by Sở Nội vụ, until 2025-01-01) matched no finding",
    )


def test_first_matching_waiver_gives_the_reason() -> None:
    first = Waiver(None, "qualification.degree", "A1", "first", "A", date(2025, 1, 1))
    second = Waiver("vn-nd33-2023", "qualification.degree", "A1", "second", "B", date(2025, 1, 1))
    out, _ = apply_waivers(report(), [first, second], lang="en")
    assert [(s.by, s.reason) for s in out.suppressed] == [("waiver:A", "first")]
    assert len(out.notes) == 1 and "matched no finding" in out.notes[0]


def test_text_summary_lists_the_findings_set_aside() -> None:
    out, _ = apply_waivers(report("vi"), [waiver(DEGREE, date(2024, 12, 31))], lang="vi")
    text = render_text(out, lang="vi")
    assert ("\nPhát hiện được miễn trừ (1)\n"
            "  qualification.degree  A1 Tên — Chủ tịch UBND — Xã Một: waiver:Sở Nội vụ — Đang học đại học, "
            "tốt nghiệp 6/2025\n") in text
    assert "Tổng số phát hiện: cần xử lý 1 · lưu ý 0 · thông tin 0\n" in text
    assert "\nFindings set aside (1)\n" in render_text(out, lang="en")


# --------------------------------------------------------------------------- baseline


def test_baseline_keeps_only_new_findings() -> None:
    old = report()
    known = {(f.pack, f.rule, f.subject_kind, f.subject_id) for f in old.findings if f.rule.endswith("degree")}
    out = apply_baseline(old, known, lang="en", source="old.json")
    assert keys(out) == [("qualification.theory", "A1")]
    assert out.notes[-1] == "baseline old.json: 1 finding already in it is not shown; 1 new; 0 resolved since"
    vi = apply_baseline(report("vi"), known, lang="vi", source="old.json")
    assert vi.notes[-1] == ("đối chiếu old.json: 1 phát hiện đã có từ trước không hiển thị; 1 phát hiện mới; "
                            "0 đã khắc phục")
    # the subject kind is part of the match
    other_kind = {("vn-nd33-2023", "qualification.degree", "unit", "A1")}
    assert keys(apply_baseline(old, other_kind)) == keys(old)


@pytest.mark.parametrize(("content", "expected"), [
    ("", "invalid JSON at line 1, column 1: Expecting value"),
    ("[]", "/: expected a cadre-rules JSON report (an object)"),
    ('{"schema": "other"}',
     "/schema: not a cadre-rules report (expected 'cadre-rules/report/v3' or 'cadre-rules/report/v2' or 'cadre-rules/report/v1') (got 'other')"),
    ('{"schema": "cadre-rules/report/v1"}', "/findings: expected a list of findings"),
    ('{"schema": "cadre-rules/report/v2"}', "/findings: expected a list of findings"),
    ('{"schema": "cadre-rules/report/v1", "findings": [{"pack": "p", "rule": "r", "subject": {"kind": "official"}}]}',
     "/findings/0/subject/id: expected a non-empty string"),
    ('{"schema": "cadre-rules/report/v1", "findings": [{"pack": "p", "rule": "r", "subject": {"kind": "x", "id": "1"}}]}',
     "/findings/0/subject/kind: expected one of official, unit, scope (got 'x')"),
])
def test_bad_baseline_is_located(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "old.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_baseline(path)
    sep = ": " if expected.startswith("invalid") else ", "
    assert str(info.value.problems[0]) == f"{path}{sep}{expected}"


# --------------------------------------------------------------------------- command line

COLUMNS = ("id", "full_name", "gender", "birth_date", "unit", "position", "general_education", "education",
           "political_theory")


def _data(directory: Path, extra: Sequence[dict[str, str]] = ()) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    rows = [
        {"id": "A1", "full_name": "Tên Một", "gender": "female", "birth_date": "1990-07-01", "unit": "X1",
         "position": "committee_chair", "general_education": "upper_secondary", "education": "college",
         "political_theory": "elementary"},
        {"id": "A2", "full_name": "Tên Hai", "gender": "male", "birth_date": "1970-03-15", "unit": "X1",
         "position": "committee_vice_chair", "general_education": "upper_secondary", "education": "university",
         "political_theory": "intermediate"},
        *extra,
    ]
    with (directory / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    (directory / "units.csv").write_text("code,name,kind,class,district,has_council\n"
                                         "X1,Xã Một,commune,1,Hoài Đức,true\n", encoding="utf-8")
    return directory


def evaluate(data: Path, *args: str | Path) -> Result:
    argv = ["evaluate", str(data), "--pack", "vn-nd33-2023", "--as-of", AS_OF.isoformat(), "--backend", "reference",
            "--no-plugins", *(str(a) for a in args)]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


def test_cli_waivers(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    path = tmp_path / "waivers.toml"
    path.write_text(GOOD, encoding="utf-8")
    result = evaluate(data, "--waivers", path, "--lang", "en")
    assert result.exit_code == 1  # the theory waiver expired: that error remains
    assert result.stderr == ("warning: waiver qualification.theory for A1 (approved by Phòng Nội vụ) expired on "
                             "2024-06-29: not applied\n")
    vi = evaluate(data, "--waivers", path, "--lang", "vi")
    assert vi.stderr == ("lưu ý: miễn trừ qualification.theory cho A1 (do Phòng Nội vụ phê duyệt) đã hết hạn ngày "
                         "29/06/2024: không áp dụng\n")
    out = result.stdout
    assert "Findings: error 1 · warning 0 · info 0\n" in out
    assert ("  - waiver qualification.theory for A1 (approved by Phòng Nội vụ) expired on 2024-06-29: "
            "not applied\n") in out
    assert ("\nFindings set aside (1)\n"
            "  qualification.degree  A1 Tên Một — Committee chair — Xã Một: waiver:Sở Nội vụ — "
            "Đang học đại học, tốt nghiệp 6/2025\n\nThis report rests on\n") in out
    path.write_text(GOOD.replace('"2024-06-29"', "2024-07-31"), encoding="utf-8")
    both = evaluate(data, "--waivers", path, "--format", "json")
    assert both.exit_code == 0 and both.stderr == ""
    doc = json.loads(both.stdout)
    assert doc["findings"] == []
    assert [(s["rule"], s["by"]) for s in doc["suppressed"]] == [("qualification.degree", "waiver:Sở Nội vụ"),
                                                                 ("qualification.theory", "waiver:Phòng Nội vụ")]


def test_cli_bad_waivers_is_exit_2(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    path = tmp_path / "waivers.toml"
    path.write_text(GOOD.replace("expiry = 2024-12-31", "expiry = 20241231"), encoding="utf-8")
    result = evaluate(data, "--waivers", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"error: 1 input problem:\n  {path}, waiver[0] (line 2).expiry: expected a date "
                             "(YYYY-MM-DD) (got '20241231')\n")
    missing = evaluate(data, "--waivers", tmp_path / "nope.toml")
    assert missing.exit_code == 2 and "cannot read the waivers file" in missing.stderr


def test_cli_baseline_shows_only_new_findings(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    first = evaluate(_data(tmp_path / "v1"), "--format", "json", "-o", old)
    assert first.exit_code == 1
    same = evaluate(_data(tmp_path / "v1"), "--baseline", old, "--lang", "en")
    assert same.exit_code == 0  # the errors are all known
    assert "No findings." in same.stdout
    assert f"  - baseline {old}: 2 findings already in it are not shown; 0 new; 0 resolved since\n" in same.stdout
    newcomer = {"id": "A3", "full_name": "Tên Ba", "gender": "male", "birth_date": "1975-01-01", "unit": "X1",
                "position": "party_secretary", "general_education": "upper_secondary", "education": "intermediate",
                "political_theory": "advanced"}
    later = evaluate(_data(tmp_path / "v2", [newcomer]), "--baseline", old, "--format", "json", "--lang", "vi")
    assert later.exit_code == 1
    doc = json.loads(later.stdout)
    assert [(f["rule"], f["subject"]["id"]) for f in doc["findings"]] == [("qualification.degree", "A3")]
    assert doc["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert doc["notes"][-1] == (f"đối chiếu {old}: 2 phát hiện đã có từ trước không hiển thị; 1 phát hiện mới; "
                                "0 đã khắc phục")
    assert doc["baseline"] == {"file": str(old), "new": 1, "unchanged": 2, "resolved": 0, "resolved_findings": []}


def test_cli_baseline_says_what_was_resolved_in_every_format(tmp_path: Path) -> None:
    """Issue #16 §5: what is new and what was resolved since the baseline, with counts, in every format."""
    newcomer = {"id": "A3", "full_name": "Tên Ba", "gender": "male", "birth_date": "1975-01-01", "unit": "X1",
                "position": "party_secretary", "general_education": "upper_secondary", "education": "intermediate",
                "political_theory": "advanced"}
    old = tmp_path / "old.json"
    assert evaluate(_data(tmp_path / "v1", [newcomer]), "--format", "json", "-o", old).exit_code == 1
    data = _data(tmp_path / "v2")  # A3 has left: the degree finding about A3 is resolved
    outputs = {fmt: tmp_path / f"new.{fmt}" for fmt in ("json", "jsonl", "csv", "xlsx", "html", "txt")}
    result = evaluate(data, "--baseline", old, "--lang", "en", *(x for p in outputs.values() for x in ("-o", p)))
    assert result.exit_code == 0
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert doc["findings"] == []
    assert doc["baseline"] == {"file": str(old), "new": 0, "unchanged": 2, "resolved": 1, "resolved_findings": [
        {"pack": "vn-nd33-2023", "rule": "qualification.degree", "subject": {"kind": "official", "id": "A3"}}]}
    summary = f"Since the baseline {old}: 0 new, 1 resolved, 2 unchanged (not shown)"
    text = outputs["txt"].read_text(encoding="utf-8")
    assert f"\n{summary}\n  Resolved since the baseline (1):\n    vn-nd33-2023/qualification.degree  A3\n" in text
    line = next(json.loads(x) for x in outputs["jsonl"].read_text(encoding="utf-8").splitlines()
                if json.loads(x)["rule"] == "report.baseline")
    assert line["message"] == summary and line["facts"] == doc["baseline"]
    rows = list(csv.reader(outputs["csv"].read_text(encoding="utf-8-sig").splitlines()))
    assert [r[10] for r in rows if r[1] == "report.baseline"] == [summary]
    book = openpyxl.load_workbook(outputs["xlsx"])
    assert list(book["resolved"].iter_rows(values_only=True)) == [
        ("Pack", "Rule", "Rule name", "Subject kind", "Subject id", "Name"),  # the rule's name, as the findings'
        ("vn-nd33-2023", "qualification.degree", "Professional qualification below university", "official", "A3",
         None)]  # (A3 is no longer in the data)
    assert ("Baseline", summary) in list(book["summary"].iter_rows(values_only=True))
    html = outputs["html"].read_text(encoding="utf-8")
    assert f'<section id="baseline"><h2>{summary}</h2>' in html
    assert ("<td>vn-nd33-2023</td><td>Professional qualification below university<br>"
            '<small class="muted">qualification.degree</small></td><td>A3 ') in html
    # in Vietnamese, the sheet of what was resolved has a Vietnamese name too (the English one is for scripts)
    vi = tmp_path / "vi.xlsx"
    assert evaluate(data, "--baseline", old, "--lang", "vi", "-o", vi).exit_code == 0
    names = openpyxl.load_workbook(vi).sheetnames
    assert "Đã khắc phục" in names and "resolved" not in names and "vacancies" not in names
    # its rule named in Vietnamese beside the id, as the findings sheets do; without names (--redact), the rule's
    # name stays (it names no one) and the subject's column goes
    resolved = list(openpyxl.load_workbook(vi)["Đã khắc phục"].iter_rows(values_only=True))
    assert resolved[0][:3] == ("Gói", "Quy tắc", "Tên quy tắc")
    assert resolved[1][:3] == ("vn-nd33-2023", "qualification.degree", "Trình độ chuyên môn chưa đạt đại học")
    assert resolved[1][3] == kind_word("official", "vi") == "cán bộ, công chức"  # the kind in words, as the findings sheets'
    redacted = tmp_path / "redacted.xlsx"
    assert evaluate(data, "--baseline", old, "--lang", "en", "--redact", "-o", redacted).exit_code == 0
    assert list(openpyxl.load_workbook(redacted)["resolved"].iter_rows(values_only=True)) == [
        ("Pack", "Rule", "Rule name", "Subject kind", "Subject id"),
        ("vn-nd33-2023", "qualification.degree", "Professional qualification below university", "official", "A3")]


def test_cli_bad_baseline_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text('{"schema": "cadre-rules/report/v1", "findings": {}}', encoding="utf-8")
    result = evaluate(_data(tmp_path / "data"), "--baseline", bad)
    assert result.exit_code == 2
    assert result.stderr == f"error: 1 input problem:\n  {bad}, /findings: expected a list of findings\n"
