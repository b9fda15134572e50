"""Training needs: who needs which course to meet which standard, per district and unit."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import attrs
import openpyxl
from click.testing import CliRunner

import cadre_rules
from cadre_rules import Engine
from cadre_rules import Finding
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules._cli import cli
from cadre_rules.report._training import TrainingNeed
from cadre_rules.report._training import course_label
from cadre_rules.report._training import render_training
from cadre_rules.report._training import training_needs

AS_OF = date(2024, 6, 30)
UNITS = [Unit("X1", "Xã Một", "commune", 1, "Hoài Đức", True), Unit("Y1", "Xã Hai", "commune", 2, "Ba Vì", True)]
OFFICIALS = [
    # a committee chair below both standards: a degree and the intermediate theory course
    Official("A1", "Tên", "female", date(1990, 7, 1), "X1", "committee_chair", "college", "elementary",
             general_education="upper_secondary"),
    # a council chair without upper secondary school
    Official("B1", "Tên", "male", date(1972, 1, 1), "Y1", "council_chair", "university", "intermediate",
             general_education="lower_secondary"),
    # a youth union secretary (a cán bộ post, not a chair): only the degree standard applies
    Official("B2", "Tên", "male", date(1995, 1, 1), "Y1", "youth_union_secretary", "intermediate", "none"),
    # a civil servant: the degree standard of NĐ 33 applies to cán bộ posts only
    Official("C1", "Tên", "male", date(1985, 1, 1), "X1", "office_statistics", "college", "none"),
]


def engine_report(lang: str = "vi") -> Report:
    return Engine(["vn-nd33-2023"], backend="reference", plugins=False, lang=lang).evaluate(OFFICIALS, UNITS, AS_OF)


def rows(needs: list[TrainingNeed]) -> list[tuple[str | None, str, str, str, str | None, str | None]]:
    return [(n.district, n.unit, n.official, n.course, n.current, n.target) for n in needs]


def test_needs_from_the_engine_by_district_and_unit() -> None:
    needs = training_needs(engine_report())
    assert rows(needs) == [
        ("Ba Vì", "Y1", "B1", "general.upper_secondary", "lower_secondary", "upper_secondary"),
        ("Ba Vì", "Y1", "B2", "degree.university", "intermediate", "university"),
        ("Hoài Đức", "X1", "A1", "degree.university", "college", "university"),
        ("Hoài Đức", "X1", "A1", "theory.intermediate", "elementary", "intermediate"),
    ]
    assert needs[2].standard == "education >= 'university'"
    assert needs[2].to_dict() == {
        "district": "Hoài Đức", "unit": "X1", "official": "A1", "course": "degree.university", "field": "education",
        "current": "college", "target": "university", "standard": "education >= 'university'",
        "pack": "vn-nd33-2023", "rule": "qualification.degree", "severity": "error",
        "cite": "NĐ 33/2023/NĐ-CP, Điều 7 và Điều 8: tốt nghiệp đại học trở lên"}


def _finding(rule: str, subject: str, unit: str, explanation: tuple[dict[str, object], ...] = (),
             pack: str = "p", family: str = "qualification", kind: str = "official",
             facts: dict[str, object] | None = None) -> Finding:
    return Finding(pack, rule, family, "error", kind, subject, unit, "m", "c", facts or {}, explanation)  # type: ignore[arg-type]


def _when(field: str, op: str, target: object, value: object, result: object = True) -> dict[str, object]:
    return {"part": "when", "depth": 0, "condition": "…", "field": field, "op": op, "target": target, "value": value,
            "result": result}


def test_levels_read_from_each_kind_of_condition() -> None:
    findings = (
        # political_theory <= 'intermediate': the level above, advanced
        _finding("qualification.theory_secretary", "B1", "Y1", (_when("political_theory", "<=", "intermediate",
                                                                      "intermediate"),)),
        # education in [...]: above the highest listed
        _finding("qualification.degree_in", "C1", "Z1", (_when("education", "in", ["none", "intermediate", "college"],
                                                              "intermediate"),)),
        # general_education == 'lower_secondary': the level above
        _finding("qualification.general_eq", "C2", "Z1", (_when("general_education", "==", "lower_secondary",
                                                               "lower_secondary"),)),
        # a state-management certificate read from an extra column
        _finding("qualification.certificate", "A1", "X1", (_when("extra_text('qlnn_certificate')", "is None", None,
                                                                None),)),
        # no explanation (a finding built elsewhere): the facts and the usual standard
        _finding("qualification.degree", "A2", "X1", facts={"education": "college"}),
        # a rule named for state management, with no readable condition
        _finding("qualification.state_management", "A3", "X1"),
        # any other qualification rule
        _finding("qualification.it_skills", "A4", "X1", (_when("extra_bool('it')", "==", False, False),)),
        # a missing level is a data gap, not a need; a false leaf is not a reason
        _finding("qualification.gap", "A5", "X1", (_when("education", "is None", None, None),
                                                   _when("political_theory", "<", "advanced", "advanced", False))),
        # the same course from a second pack is listed once
        _finding("qualification.degree", "A2", "X1", facts={"education": "college"}, pack="q"),
        # not about an official, or not a qualification finding: ignored
        _finding("quota.university", "Ba Vì", "Ba Vì", kind="scope"),
        _finding("rotation.eligible", "A1", "X1", family="rotation"),
    )
    report = Report(AS_OF, (), 0, 0, "0" * 64, (), findings, unit_districts={"X1": "Hoài Đức", "Y1": "Ba Vì"})
    assert rows(training_needs(report)) == [
        ("Ba Vì", "Y1", "B1", "theory.advanced", "intermediate", "advanced"),
        ("Hoài Đức", "X1", "A1", "state_management", None, None),
        ("Hoài Đức", "X1", "A2", "degree.university", "college", "university"),
        ("Hoài Đức", "X1", "A3", "state_management", None, None),
        ("Hoài Đức", "X1", "A4", "other", None, None),
        (None, "Z1", "C1", "degree.university", "intermediate", "university"),
        (None, "Z1", "C2", "general.upper_secondary", "lower_secondary", "upper_secondary"),
    ]
    # the districts may come from elsewhere (a report read back without them)
    assert {n.district for n in training_needs(report, districts={})} == {None}


def test_course_labels() -> None:
    assert course_label("degree.university", "vi") == "Đào tạo trình độ đại học"
    assert course_label("degree.university", "en") == "university degree programme"
    assert course_label("degree.master", "vi") == "Đào tạo trình độ thạc sĩ"
    assert course_label("theory.intermediate", "vi") == "Lớp trung cấp lý luận chính trị"
    assert course_label("theory.advanced", "en") == "advanced political theory course"
    assert course_label("general.upper_secondary", "vi") == "Học bổ túc THPT (giáo dục thường xuyên)"
    assert course_label("general.upper_secondary", "en") == "complete upper secondary school (continuing education)"
    assert course_label("state_management", "vi") == "Bồi dưỡng kiến thức quản lý nhà nước (QLNN)"
    assert course_label("state_management", "en") == "state management (QLNN) course"
    assert course_label("other", "vi") == "Đào tạo, bồi dưỡng để đạt tiêu chuẩn của quy tắc"


def _totals(pairs: list[tuple[str, int]]) -> list[str]:
    width = max(len(label) for label, _ in pairs)
    return [f"  {label.ljust(width)}  {n:>6}" for label, n in pairs]


def test_training_view_in_vietnamese() -> None:
    text = render_training(engine_report("vi"), lang="vi")
    assert text.splitlines() == [
        "Nhu cầu đào tạo, bồi dưỡng — ngày đánh giá 30/06/2024",
        "Gói quy định: vn-nd33-2023@2023.08.1",
        "4 lượt đào tạo cho 3 cán bộ",
        "",
        "Theo khóa học",
        *_totals([("Đào tạo trình độ đại học", 2), ("Học bổ túc THPT (giáo dục thường xuyên)", 1),
                  ("Lớp trung cấp lý luận chính trị", 1)]),
        "",
        "Ba Vì (2)",
        "  Y1 Xã Hai",
        "    B1 Tên — Chủ tịch HĐND  Học bổ túc THPT (giáo dục thường xuyên) — hiện tại: THCS; yêu cầu: THPT "
        "(vn-nd33-2023/qualification.general_education)",
        "    B2 Tên — Bí thư Đoàn TNCS Hồ Chí Minh  Đào tạo trình độ đại học — hiện tại: trung cấp; yêu cầu: đại học "
        "(vn-nd33-2023/qualification.degree)",
        "",
        "Hoài Đức (2)",
        "  X1 Xã Một",
        "    A1 Tên — Chủ tịch UBND  Đào tạo trình độ đại học — hiện tại: cao đẳng; yêu cầu: đại học "
        "(vn-nd33-2023/qualification.degree)",
        "    A1 Tên — Chủ tịch UBND  Lớp trung cấp lý luận chính trị — hiện tại: sơ cấp; yêu cầu: trung cấp "
        "(vn-nd33-2023/qualification.theory)",
    ]


def test_training_view_in_english_and_empty() -> None:
    text = render_training(engine_report("en"), lang="en")
    assert "4 course places for 3 officials\n" in text
    assert ("    A1 Tên — Committee chair  intermediate political theory course — now: elementary; required: "
            "intermediate (vn-nd33-2023/qualification.theory)\n") in text
    empty = Report(AS_OF, (), 0, 0, "0" * 64, (), ())
    assert render_training(empty, lang="en").splitlines() == [
        "Training needs — as of 2024-06-30", "Packs: (none)", "0 course places for 0 officials", "",
        "  No training need: no qualification finding about an official."]


def test_cli_group_by_training(tmp_path: Path) -> None:
    columns = ("id", "full_name", "gender", "birth_date", "unit", "position", "general_education", "education",
               "political_theory")
    with (tmp_path / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for o in OFFICIALS:
            writer.writerow([o.id, o.full_name, o.gender, o.birth_date.isoformat(), o.unit, o.position,
                             o.general_education or "", o.education, o.political_theory])
    (tmp_path / "units.csv").write_text("code,name,kind,class,district,has_council\nX1,Xã Một,commune,1,Hoài Đức,true\n"
                                        "Y1,Xã Hai,commune,2,Ba Vì,true\n", encoding="utf-8")
    args = ["evaluate", str(tmp_path), "--pack", "vn-nd33-2023", "--as-of", "2024-06-30", "--no-plugins",
            "--backend", "reference", "--lang", "vi"]
    result = CliRunner().invoke(cli, [*args, "--group-by", "training"], catch_exceptions=False)
    assert result.exit_code == 1  # the exit code still follows the findings
    assert result.stdout == render_training(engine_report("vi"), lang="vi")
    wrong = CliRunner().invoke(cli, [*args, "--group-by", "training", "--format", "sarif"])
    assert wrong.exit_code == 2
    assert "--group-by training là một cách trình bày của các định dạng text, json, csv, xlsx, html" in wrong.stderr


# -- the training view in json, csv, xlsx and html, and in the public API (issue #16 §5) -------------------


def _cli_data(tmp_path: Path) -> list[str]:
    columns = ("id", "full_name", "gender", "birth_date", "unit", "position", "general_education", "education",
               "political_theory")
    with (tmp_path / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for o in OFFICIALS:
            writer.writerow([o.id, f"Người {o.id}", o.gender, o.birth_date.isoformat(), o.unit, o.position,
                             o.general_education or "", o.education, o.political_theory])
    (tmp_path / "units.csv").write_text("code,name,kind,class,district,has_council\nX1,Xã Một,commune,1,Hoài Đức,true\n"
                                        "Y1,Xã Hai,commune,2,Ba Vì,true\n", encoding="utf-8")
    return ["evaluate", str(tmp_path), "--pack", "vn-nd33-2023", "--as-of", "2024-06-30", "--no-plugins",
            "--backend", "reference", "--lang", "vi", "--group-by", "training"]


def test_training_document_in_the_public_api() -> None:
    report = engine_report("vi")
    doc = cadre_rules.training_document(report, "vi")
    assert doc["schema"] == "cadre-rules/training/v1" and doc["as_of"] == "2024-06-30"
    assert doc["officials"] == 3
    assert doc["courses"] == [{"course": "degree.university", "label": "Đào tạo trình độ đại học", "count": 2},
                              {"course": "general.upper_secondary",
                               "label": "Học bổ túc THPT (giáo dục thường xuyên)", "count": 1},
                              {"course": "theory.intermediate", "label": "Lớp trung cấp lý luận chính trị", "count": 1}]
    needs = doc["needs"]
    assert isinstance(needs, list) and len(needs) == 4
    assert needs[2] == {  # the same need as training_needs() gives, named
        "district": "Hoài Đức", "unit": "X1", "unit_name": "Xã Một", "official": "A1", "name": "Tên",
        "position": "Chủ tịch UBND", "course": "degree.university", "course_label": "Đào tạo trình độ đại học",
        "field": "education", "current": "college", "target": "university", "standard": "education >= 'university'",
        "pack": "vn-nd33-2023", "rule": "qualification.degree", "severity": "error",
        "cite": "NĐ 33/2023/NĐ-CP, Điều 7 và Điều 8: tốt nghiệp đại học trở lên"}
    assert cadre_rules.training_needs(report) == training_needs(report)
    assert cadre_rules.TrainingNeed is TrainingNeed
    redacted = cadre_rules.training_document(cadre_rules.redact(report), "vi")["needs"]
    assert isinstance(redacted, list) and all({"name", "position", "unit_name"}.isdisjoint(n) for n in redacted)


def test_cli_training_view_in_json_csv_xlsx_and_html(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    args = _cli_data(tmp_path / "data")
    runner = CliRunner()
    as_json = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert as_json.exit_code == 1
    doc = json.loads(as_json.stdout)
    assert [(n["official"], n["name"], n["course"]) for n in doc["needs"]] == [
        ("B1", "Người B1", "general.upper_secondary"), ("B2", "Người B2", "degree.university"),
        ("A1", "Người A1", "degree.university"), ("A1", "Người A1", "theory.intermediate")]
    assert doc["packs"][0]["id"] == "vn-nd33-2023" and len(doc["packs"][0]["sha256"]) == 64
    as_csv = runner.invoke(cli, [*args, "--format", "csv"], catch_exceptions=False)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout_bytes.decode("utf-8-sig"))))
    assert [(r["official"], r["name"], r["unit_name"], r["course_label"]) for r in rows][2] == (
        "A1", "Người A1", "Xã Một", "Đào tạo trình độ đại học")
    out = tmp_path / "t.xlsx"
    assert runner.invoke(cli, [*args, "-o", str(out)], catch_exceptions=False).exit_code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Tổng hợp", "Đào tạo, bồi dưỡng"]
    sheet = list(book["Đào tạo, bồi dưỡng"].iter_rows(values_only=True))
    assert sheet[0][:6] == ("Quận/huyện", "Đơn vị", "Tên đơn vị", "Mã cán bộ", "Họ và tên", "Chức danh")
    assert len(sheet) == 5 and sheet[3][3:5] == ("A1", "Người A1")
    page = tmp_path / "t.html"
    assert runner.invoke(cli, [*args, "-o", str(page)], catch_exceptions=False).exit_code == 1
    html = page.read_text(encoding="utf-8")
    assert '<section id="training"><h2>Nhu cầu đào tạo, bồi dưỡng (4)</h2>' in html
    assert "Người A1 — Chủ tịch UBND<br>A1" in html
    assert '<section id="training">' not in runner.invoke(cli, [*args[:-2], "--format", "html"]).stdout
    redacted = runner.invoke(cli, [*args, "--format", "json", "--redact"], catch_exceptions=False)
    assert "Người" not in redacted.stdout and "A1" in redacted.stdout


def test_the_count_says_cong_chuc_where_they_are_counted() -> None:
    """Cán bộ only: "3 cán bộ"; a công chức among those counted (here B2 named as holding a công chức post), or
    nobody named (redacted): "cán bộ, công chức" (session 18)."""
    report = engine_report("vi")
    assert report.names is not None
    officials = {**report.names.officials, "B2": (report.names.officials["B2"][0], "office_statistics", "Y1")}
    mixed = attrs.evolve(report, names=attrs.evolve(report.names, officials=officials))
    assert render_training(mixed, lang="vi").splitlines()[2] == "4 lượt đào tạo cho 3 cán bộ, công chức"
    assert render_training(attrs.evolve(report, names=None), lang="vi").splitlines()[2] == (
        "4 lượt đào tạo cho 3 cán bộ, công chức")
    assert render_training(mixed, lang="en").splitlines()[2] == "4 course places for 3 officials"
