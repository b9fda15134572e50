"""Explanations: each finding's sub-conditions with values and Kleene results, and `cadre-rules explain`."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules.packs._catalogue import BUILTIN_FUNCTIONS
from cadre_rules.packs._expr import Expr
from cadre_rules.packs._expr import parse
from cadre_rules.report._explain import condition_text
from cadre_rules.report._explain import explain_expr
from cadre_rules.report._explain import explain_quota
from cadre_rules.report._explain import explain_staffing

AS_OF = date(2024, 6, 30)
HOLDS = "holds('council_chair', 'council_vice_chair', 'committee_chair', 'committee_vice_chair')"
UNIT = Unit("X1", "Xã Một", "commune", 1, "Hoài Đức", True)
# A1: turns 34 on 2024-07-01, so 33 on the as-of date; college degree, elementary theory, in planning.
A1 = Official("A1", "Nguyễn Thị Bí Mật", "female", date(1990, 7, 1), "X1", "committee_chair", "college", "elementary",
              general_education="upper_secondary", in_planning=True)
# A2: a cadre on secondment since 2023-01-15: 17 complete months on 2024-06-30.
A2 = Official("A2", "Trần Văn Kín", "male", date(1970, 3, 15), "X1", "committee_vice_chair", "university",
              "intermediate", general_education="upper_secondary", secondment_since=date(2023, 1, 15))


def _parse(text: str, **params: object) -> Expr:
    return parse(text, functions=BUILTIN_FUNCTIONS, params=params).expr


def _report(packs: Sequence[str], lang: str = "en") -> Report:
    return Engine(list(packs), backend="reference", plugins=False, lang=lang).evaluate([A1, A2], [UNIT], AS_OF)


def _finding_json(report: Report, rule: str, subject: str) -> dict[str, object]:
    doc = json.loads(report_to_json(report, explain=True))
    return next(f for f in doc["findings"] if f["rule"] == rule and f["subject"]["id"] == subject)


# --------------------------------------------------------------------------- condition text and entries


@pytest.mark.parametrize(("text", "params", "expected"), [
    ("age < young_age", {"young_age": 35}, "age < 35"),
    ("35 > age", {}, "age < 35"),
    ("in_planning", {}, "in_planning"),
    ("not active_discipline", {}, "not active_discipline"),
    ("gender == 'female'", {}, "gender == 'female'"),
    ("education in ['college', 'university']", {}, "education in ['college', 'university']"),
    ("education not in ['none']", {}, "education not in ['none']"),
    ("general_education is None", {}, "general_education is None"),
    ("appointed_on is not None", {}, "appointed_on is not None"),
    ("low_confidence_share > 2/3", {}, "low_confidence_share > 2/3"),
    ("low_confidence_share > share", {"share": 0.1}, "low_confidence_share > 0.1"),
    ("30 <= age < 35", {}, "age >= 30 and age < 35"),
    ("(in_planning and age < 35) or not is_local", {}, "(in_planning and age < 35) or not is_local"),
    ("not (in_planning or is_local)", {}, "not (in_planning or is_local)"),
    ("appointed_on < '2020-01-01'", {}, "appointed_on < '2020-01-01'"),
    ("rating(2023) == 'excellent'", {}, "rating(2023) == 'excellent'"),
])
def test_condition_text_is_pack_syntax_with_parameters_filled_in(text: str, params: dict[str, object],
                                                                  expected: str) -> None:
    assert condition_text(_parse(text, **params)) == expected


def test_entries_follow_kleene_logic_depth_first() -> None:
    expr = _parse("age < 35 and (education < 'university' or in_planning)")
    entries = explain_expr(expr, {"age": 33, "education": None, "in_planning": True}, "when")
    assert entries == [
        {"part": "when", "depth": 0, "condition": "age < 35 and (education < 'university' or in_planning)",
         "op": "and", "result": True},
        {"part": "when", "depth": 1, "condition": "age < 35", "field": "age", "op": "<", "target": 35, "value": 33,
         "result": True},
        {"part": "when", "depth": 1, "condition": "education < 'university' or in_planning", "op": "or",
         "result": True},
        {"part": "when", "depth": 2, "condition": "education < 'university'", "field": "education", "op": "<",
         "target": "university", "value": None, "result": None},
        {"part": "when", "depth": 2, "condition": "in_planning", "field": "in_planning", "op": "==", "target": True,
         "value": True, "result": True},
    ]
    # unknown and false is false; unknown and true is unknown; not unknown is unknown
    assert explain_expr(_parse("education < 'university' and age < 30"),
                        {"education": None, "age": 33}, "when")[0]["result"] is False
    assert explain_expr(_parse("education < 'university' and age < 35"),
                        {"education": None, "age": 33}, "when")[0]["result"] is None
    assert [e["result"] for e in explain_expr(_parse("not (education < 'university')"),
                                              {"education": None}, "where")] == [None, None]


def test_member_and_is_none_entries() -> None:
    member = explain_expr(_parse("education in ['none', 'college']"), {"education": "college"}, "when")
    assert member == [{"part": "when", "depth": 0, "condition": "education in ['none', 'college']",
                       "field": "education", "op": "in", "target": ["none", "college"], "value": "college",
                       "result": True}]
    missing = explain_expr(_parse("appointed_on is None"), {"appointed_on": None}, "when")
    assert missing == [{"part": "when", "depth": 0, "condition": "appointed_on is None", "field": "appointed_on",
                        "op": "is None", "value": None, "result": True}]
    dated = explain_expr(_parse("appointed_on < '2020-01-01'"), {"appointed_on": date(2019, 5, 1)}, "when")
    assert dated[0]["target"] == "2020-01-01" and dated[0]["value"] == "2019-05-01" and dated[0]["result"] is True


def test_quota_explanation_counts_the_share_and_who_is_missing() -> None:
    # SEMANTICS 17: 181 of 3,622 against 10% needs ⌈362.2⌉ − 181 = 182 more.
    quota = next(q for q in Engine(["hanoi-de-an-34"], plugins=False).packs[0].quotas if q.id == "quota.young")
    assert explain_quota(quota, 181, 3622) == (
        {"part": "population", "depth": 0, "condition": "is_key", "count": 3622},
        {"part": "numerator", "depth": 0, "condition": "age < 35", "count": 181},
        {"part": "when", "depth": 0, "condition": "numerator / denominator < 0.1", "field": "share", "op": "<",
         "target": 0.1, "value": 181 / 3622, "result": True, "needed": 182},
    )


def test_staffing_explanation_lists_each_required_post() -> None:
    assert explain_staffing(["party_secretary", "front_chair"], {"party_secretary": 2}) == (
        {"part": "requires", "depth": 0, "condition": "holders('party_secretary') >= 1",
         "field": "holders('party_secretary')", "op": ">=", "target": 1, "value": 2, "result": True},
        {"part": "requires", "depth": 0, "condition": "holders('front_chair') >= 1",
         "field": "holders('front_chair')", "op": ">=", "target": 1, "value": 0, "result": False},
        {"part": "when", "depth": 0, "condition": "vacant > 0", "field": "vacant", "op": ">", "target": 0, "value": 1,
         "result": True},
    )


# --------------------------------------------------------------------------- findings carry explanations


@pytest.mark.parametrize("backend", ["reference", "durable"])
def test_official_findings_explain_where_and_when(backend: str) -> None:
    from cadre_rules.engine import _durable

    if backend == "durable" and not _durable.AVAILABLE:
        pytest.skip("durable-rules is not installed")
    report = Engine(["vn-nd33-2023"], backend=backend, plugins=False).evaluate([A1, A2], [UNIT], AS_OF)
    degree = _finding_json(report, "qualification.degree", "A1")
    assert degree["facts"] == {"education": "college"}  # what `where` reads is in the explanation only
    assert degree["explanation"] == [
        {"part": "where", "depth": 0, "condition": "holds_cadre_post", "field": "holds_cadre_post", "op": "==",
         "target": True, "value": True, "result": True},
        {"part": "when", "depth": 0, "condition": "education < 'university'", "field": "education", "op": "<",
         "target": "university", "value": "college", "result": True},
    ]
    theory = _finding_json(report, "qualification.theory", "A1")
    assert theory["explanation"] == [
        {"part": "where", "depth": 0, "condition": HOLDS, "field": HOLDS, "op": "==", "target": True, "value": True,
         "result": True},
        {"part": "when", "depth": 0, "condition": "political_theory < 'intermediate'", "field": "political_theory",
         "op": "<", "target": "intermediate", "value": "elementary", "result": True},
    ]


def test_escalated_finding_explains_the_escalation() -> None:
    report = _report(["hanoi-ke-hoach-188"])
    finding = _finding_json(report, "rotation.secondment_overdue", "A2")
    assert finding["severity"] == "error"
    assert finding["explanation"] == [
        {"part": "where", "depth": 0, "condition": "on_secondment", "field": "on_secondment", "op": "==",
         "target": True, "value": True, "result": True},
        {"part": "when", "depth": 0, "condition": "category == 'cadre' or months_on_secondment > 36", "op": "or",
         "result": True},
        {"part": "when", "depth": 1, "condition": "category == 'cadre'", "field": "category", "op": "==",
         "target": "cadre", "value": "cadre", "result": True},
        {"part": "when", "depth": 1, "condition": "months_on_secondment > 36", "field": "months_on_secondment",
         "op": ">", "target": 36, "value": 17, "result": False},
        {"part": "escalate[0]", "depth": 0, "condition": "category == 'cadre'", "field": "category", "op": "==",
         "target": "cadre", "value": "cadre", "result": True, "severity": "error"},
    ]


def test_unit_and_scope_findings_explain_too() -> None:
    report = _report(["hanoi-de-an-34"])
    vacancy = _finding_json(report, "staffing.vacancy", "X1")
    assert [(e["condition"], e["value"], e["result"]) for e in vacancy["explanation"]] == [
        ("holders('party_secretary') >= 1", 0, False), ("holders('deputy_party_secretary') >= 1", 0, False),
        ("holders('council_chair') >= 1", 0, False), ("holders('council_vice_chair') >= 1", 0, False),
        ("holders('committee_chair') >= 1", 1, True), ("holders('committee_vice_chair') >= 1", 1, True),
        ("holders('front_chair') >= 1", 0, False), ("vacant > 0", 5, True),
    ]
    # two key officials, one (A2) with a university degree: 1/2 < 100%, ⌈1 × 2⌉ − 1 = 1 more needed
    university = _finding_json(report, "quota.university", "Hà Nội")
    assert university["explanation"][2] == {
        "part": "when", "depth": 0, "condition": "numerator / denominator < 1", "field": "share", "op": "<",
        "target": 1, "value": 0.5, "result": True, "needed": 1}


def test_explanations_are_deterministic() -> None:
    engine = Engine(["vn-nd33-2023", "hanoi-ke-hoach-188"], backend="reference", plugins=False)
    first = engine.evaluate([A1, A2], [UNIT], AS_OF)
    assert report_to_json(first, explain=True) == report_to_json(engine.evaluate([A1, A2], [UNIT], AS_OF), explain=True)
    assert first.findings == engine.evaluate([A2, A1], [UNIT], AS_OF).findings


# --------------------------------------------------------------------------- cadre-rules explain

COLUMNS = ("id", "full_name", "gender", "birth_date", "unit", "position", "general_education", "education",
           "political_theory", "in_planning", "secondment_since")


def _data(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    rows = [
        {"id": "A1", "full_name": "Nguyễn Thị Bí Mật", "gender": "female", "birth_date": "1990-07-01", "unit": "X1",
         "position": "committee_chair", "general_education": "", "education": "college",
         "political_theory": "elementary", "in_planning": "true", "secondment_since": ""},
        {"id": "A2", "full_name": "Trần Văn Kín", "gender": "male", "birth_date": "1970-03-15", "unit": "X1",
         "position": "committee_vice_chair", "general_education": "upper_secondary", "education": "university",
         "political_theory": "intermediate", "in_planning": "false", "secondment_since": "2023-01-15"},
    ]
    with (directory / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    (directory / "units.csv").write_text("code,name,kind,class,district,has_council\n"
                                         "X1,Xã Một,commune,1,Hoài Đức,true\n", encoding="utf-8")
    return directory


def explain(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["explain", str(data), "--as-of", AS_OF.isoformat(), "--no-plugins", *args],
                              catch_exceptions=False)


def test_explain_prints_every_rule_fired_or_not(tmp_path: Path) -> None:
    result = explain(_data(tmp_path), "--official", "A1", "--pack", "vn-nd33-2023", "--pack", "hanoi-ke-hoach-188",
                     "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Explanation for official A1 — as of 2024-06-30"
    assert lines[1] == "Official: Nguyễn Thị Bí Mật — Committee chair — Xã Một"  # named (#16 §1)
    assert lines[2] == "Unit: X1 Xã Một (Hoài Đức) · posts: committee_chair"
    redacted = explain(_data(tmp_path), "--official", "A1", "--pack", "vn-nd33-2023", "--lang", "en", "--redact")
    assert redacted.stdout.splitlines()[1] == "Unit: X1 (Hoài Đức) · posts: committee_chair"
    assert "Nguyễn" not in redacted.stdout and "Bí Mật" not in redacted.stdout  # --redact: the id only
    text = "\n".join(lines)
    assert ("  ● Professional qualification below university — qualification.degree  [Qualifications, error] — FINDING (error)\n"
            "      where:\n"
            "        ✓ holds_cadre_post    [yes]\n"
            "      when:\n"
            "        ✓ education < 'university'    [education = college]\n"
            "      message: Education (college) below a university degree; to be met by 2028-08-01\n"
            "      cite: NĐ 33/2023/NĐ-CP, Điều 7 và Điều 8: tốt nghiệp đại học trở lên") in text
    # general education is empty: unknown, no finding (SEMANTICS 4)
    assert ("  ○ General education below the standard — qualification.general_education  [Qualifications, error] — "
            "unknown: data missing, no finding\n"
            f"      where:\n        ✓ {HOLDS}    [yes]\n"
            "      when:\n"
            "        ? general_education < 'upper_secondary'    [general_education = missing]") in text
    # in planning and eligible, but a qualification finding exists: unless_family
    assert ("  ○ Eligible for rotation — rotation.eligible  [Rotation, info] — conditions hold, but not reported: a finding of family "
            "qualification exists") in text
    assert "          ✓ not active_discipline    [active_discipline = no]" in text
    # a civil-servant rule does not apply to a cadre
    assert "  ○ Position change due — rotation.position_change_due  [Rotation, info] — does not apply to this official" in text
    assert "  ○ Secondment past its term — rotation.secondment_overdue  [Rotation, warning] — does not apply to this official" in text
    assert "  ○ Retirement approaching — rotation.retiring_soon  [Rotation, info] — no finding" in text


def test_explain_in_vietnamese_with_labels(tmp_path: Path) -> None:
    result = explain(_data(tmp_path), "--official", "A2", "--pack", "hanoi-ke-hoach-188", "--lang", "vi")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Giải trình đánh giá cán bộ, công chức A2 — ngày đánh giá 30/06/2024\n"
                           "Cán bộ, công chức: Trần Văn Kín — Phó Chủ tịch UBND — Xã Một\n"
                           "Đơn vị: X1 Xã Một (Hoài Đức) · chức danh: Phó Chủ tịch UBND\n")
    assert ("  ● Biệt phái quá thời hạn — rotation.secondment_overdue  [Luân chuyển, chuyển đổi, lưu ý] — "
            "CÓ PHÁT HIỆN (cần xử lý)\n"
            "      áp dụng cho:\n"
            "        ✓ đang biệt phái: có — hiện là: có    (biểu thức trong gói: on_secondment)\n"
            "      phát hiện khi:\n"
            "        ✓ một trong các điều kiện:\n"
            "          ✓ loại cán bộ, công chức: cán bộ — hiện là: cán bộ    (biểu thức trong gói: category == 'cadre')\n"
            "          ✗ số tháng biệt phái trên 36 — hiện là: 17    (biểu thức trong gói: months_on_secondment > 36)\n"
            "      nâng lên mức cần xử lý:\n"
            "        ✓ loại cán bộ, công chức: cán bộ — hiện là: cán bộ    (biểu thức trong gói: category == 'cadre')\n") in text


def test_explain_in_vietnamese_names_each_field_and_keeps_the_expression() -> None:
    """Session 16: a Vietnamese explanation showed "months_in_post >= 24    [months_in_post = 4]". Each field is now
    named as the facts of the reports name it, with its value in words; the expression stays the pack's, and the
    json keeps it and the field, with the name beside them ("label"). A unit's finding (``--unit``) too."""
    sample = str(Path(__file__).resolve().parents[1] / "examples" / "hanoi-2025")

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["explain", sample, "--as-of", "2025-12-31", "--no-plugins", *args],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    rule = ("--official", "HN00004-010", "--rule", "vn-commune-2tier/rotation.position_change_due")
    text = run(*rule, "--lang", "vi")
    # (session 18: the condition in words first, the pack's expression after it, marked)
    assert ("          ✗ số tháng giữ chức vụ từ 24 trở lên — hiện là: 4    (biểu thức trong gói: months_in_post >= 24)\n"
            in text)
    assert ("          ✓ số tháng đến tuổi nghỉ hưu từ 18 trở lên — hiện là: 224    (biểu thức trong gói: "
            "months_to_retirement >= 18)\n" in text)
    assert ("          ✗ loại cán bộ, công chức: công chức — hiện là: cán bộ    (biểu thức trong gói: category == "
            "'civil_servant')\n" in text)
    assert "= 4]" not in text and "category = cadre" not in text
    (explained,) = json.loads(run(*rule, "--lang", "vi", "--format", "json"))["rules"]
    months = next(e for e in explained["explanation"] if e.get("field") == "months_in_post")
    assert months == {"part": "when", "depth": 1, "condition": "months_in_post >= 24", "field": "months_in_post",
                      "op": ">=", "target": 24, "value": 4, "result": False, "label": "số tháng giữ chức vụ"}
    assert all("label" in e for e in explained["explanation"] if "field" in e)
    english = run(*rule, "--lang", "en")
    assert "          ✗ months_in_post >= 24    [months_in_post = 4]\n" in english  # (the integrator's names)
    ward = run("--unit", "00166", "--lang", "vi")
    assert ("        ✓ số người ủy viên ban thường vụ trên 0 — hiện là: 10    (biểu thức trong gói: "
            "count('standing_committee') > 0)\n" in ward)


def test_explain_quota_membership(tmp_path: Path) -> None:
    result = explain(_data(tmp_path), "--official", "A1", "--pack", "hanoi-de-an-34", "--rule", "quota.young",
                     "--lang", "en")
    assert result.exit_code == 0, result.output
    body = result.stdout.split("\n\n", 1)[1]
    assert body == ("hanoi-de-an-34@2023.11.4\n"
                    "  ○ Key officials under 35 — quota.young  [Quotas, warning] — counted in the population and in the numerator\n"
                    "      population:\n"
                    "        ✓ is_key    [yes]\n"
                    "      numerator:\n"
                    "        ✓ age < 35    [age = 33]\n"
                    "      cite: Đề án 34-ĐA/TU (2023): tỷ lệ cán bộ chủ chốt cấp xã trẻ dưới 35 tuổi tối thiểu 10%\n")


def test_explain_rule_narrows_and_json(tmp_path: Path) -> None:
    data = _data(tmp_path)
    result = explain(data, "--official", "A1", "--pack", "vn-nd33-2023", "--rule", "vn-nd33-2023/qualification.theory",
                     "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["official"] == "A1" and doc["unit"] == "X1" and doc["district"] == "Hoài Đức"
    assert [(r["rule"], r["status"], r["finding_severity"]) for r in doc["rules"]] == [
        ("qualification.theory", "fired", "error")]
    assert doc["rules"][0]["explanation"][1]["value"] == "elementary"
    again = explain(data, "--official", "A1", "--pack", "vn-nd33-2023", "--rule", "vn-nd33-2023/qualification.theory",
                    "--format", "json")
    assert again.stdout_bytes == result.stdout_bytes


def test_explain_errors_are_located_exit_2(tmp_path: Path) -> None:
    data = _data(tmp_path)
    unknown = explain(data, "--official", "NOPE", "--pack", "vn-nd33-2023")
    assert unknown.exit_code == 2
    assert unknown.stderr == (f"error: 1 input problem:\n  {data / 'officials.csv'}, id: no official with this id "
                              "(got 'NOPE')\n")
    rule = explain(data, "--official", "A1", "--pack", "vn-nd33-2023", "--rule", "qualification.nope")
    assert rule.exit_code == 2
    assert rule.stderr.startswith("error: 1 input problem:\n  --rule: no such rule in the packs evaluated (rules: "
                                  "vn-nd33-2023/qualification.degree, ")
    missing = CliRunner().invoke(cli, ["explain", str(data)])
    assert missing.exit_code == 2 and "--official" in missing.stderr


def test_explain_compares_fractions_exactly() -> None:
    # low_confidence_share exactly 2/3 is not "more than 2/3" (SEMANTICS 21): result false, no finding
    person = Official("C1", "X", "male", date(1980, 1, 1), "X1", "office_statistics", "university", "intermediate",
                      low_confidence_share=Fraction(2, 3))
    engine = Engine(["hanoi-de-an-34"], backend="reference", plugins=False, lang="en")
    from cadre_rules.jobs._explain_official import explain_official

    result = explain_official(engine, [person], [UNIT], "C1", AS_OF, rule="replacement.low_confidence")
    (rule,) = result.rules
    assert rule.status == "not_fired"
    assert rule.entries == ({"part": "when", "depth": 0, "condition": "low_confidence_share > 2/3",
                             "field": "low_confidence_share", "op": ">", "target": 2 / 3, "value": 2 / 3,
                             "result": False, "label": "low-confidence votes"},)  # (the field's name: s16)
