"""Issue #16 §1: reports name people and communes (``subject.name``, ``subject.position``,
``subject.unit_name``) in every format, and ``--redact`` gives a report of ids only."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Names
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import _cli
from cadre_rules import redact
from cadre_rules import report_to_dict
from cadre_rules import report_to_json
from cadre_rules.model._names import names_of
from cadre_rules.model._names import position_label
from cadre_rules.model._names import post_label
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import Suppressed
from cadre_rules.render import render_csv
from cadre_rules.render import render_html
from cadre_rules.render import render_jsonl
from cadre_rules.render import render_xlsx
from cadre_rules.render._text import render_text

AS_OF = date(2024, 6, 30)
SON = "Đặng Văn Sơn"
LAN = "Nguyễn Thị Lan"
CAO_VIEN = "Xã Cao Viên"
NAMES = Names({"TX01-CT": (SON, "committee_chair", "TX01"), "TX02-PCT": (LAN, "committee_vice_chair", "TX02")},
              {"TX01": CAO_VIEN, "TX02": "Xã Bích Hòa"})
FINDINGS = (
    Finding("p", "qualification.degree", "qualification", "error", "official", "TX01-CT", "TX01", "chưa đạt đại học",
            "cite"),
    Finding("p", "staffing.vacancy", "staffing", "error", "unit", "TX01", "TX01", "thiếu Phó Chủ tịch UBND", "cite"),
    Finding("p", "quota.young", "quota", "warning", "scope", "Hà Nội", "Hà Nội", "3.9% chưa đạt 10%", "cite"),
)
ASIDE = Finding("p", "replacement.discipline", "replacement", "warning", "official", "TX02-PCT", "TX02", "kỷ luật",
                "cite")
REPORT = Report(AS_OF, (PackRef("p", "1", "a" * 64),), 2, 2, "c" * 64, (), FINDINGS, (), "Hà Nội",
                (Suppressed(ASIDE, "w", "đã xử lý"),), names=NAMES)
PEOPLE = (SON, LAN, CAO_VIEN, "Bích Hòa")


def _xlsx_text(data: bytes) -> str:
    """Every string of a workbook (its shared strings and inline strings), as one text."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def _every_format(report: Report) -> dict[str, str]:
    return {"json": report_to_json(report), "jsonl": render_jsonl(report), "csv": render_csv(report).decode("utf-8-sig"),
            "xlsx": _xlsx_text(render_xlsx(report)), "html": render_html(report), "text": render_text(report)}


def test_json_subject_names_an_official_a_unit_and_not_a_scope() -> None:
    findings = report_to_dict(REPORT)["findings"]
    assert isinstance(findings, list)
    subjects = [f["subject"] for f in findings]  # type: ignore[index,call-overload]
    assert subjects == [
        {"kind": "official", "id": "TX01-CT", "name": SON, "position": "Chủ tịch UBND", "unit_name": CAO_VIEN},
        {"kind": "unit", "id": "TX01", "name": CAO_VIEN},
        {"kind": "scope", "id": "Hà Nội"},
    ]
    suppressed = report_to_dict(REPORT)["suppressed"]
    assert suppressed[0]["subject"] == {  # type: ignore[index,call-overload]
        "kind": "official", "id": "TX02-PCT", "name": LAN, "position": "Phó Chủ tịch UBND", "unit_name": "Xã Bích Hòa"}
    # the streamed text and the dict agree
    assert json.loads(report_to_json(REPORT))["findings"] == findings


def test_jsonl_lines_carry_the_same_subject() -> None:
    lines = [json.loads(line) for line in render_jsonl(REPORT).splitlines()]
    assert lines[0]["subject"]["name"] == SON and lines[0]["subject"]["unit_name"] == CAO_VIEN
    assert lines[1]["subject"] == {"kind": "unit", "id": "TX01", "name": CAO_VIEN}


def test_csv_has_name_position_and_unit_name_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(REPORT).decode("utf-8-sig"))))
    assert (rows[0]["subject_id"], rows[0]["subject_name"], rows[0]["position"], rows[0]["unit_name"]) == (
        "TX01-CT", SON, "Chủ tịch UBND", CAO_VIEN)
    assert (rows[1]["subject_name"], rows[1]["position"], rows[1]["unit_name"]) == (CAO_VIEN, "", "")
    assert (rows[2]["subject_name"], rows[2]["position"], rows[2]["unit_name"]) == ("", "", "")


def test_xlsx_findings_sheet_names_people_and_drops_the_columns_when_redacted() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(REPORT, "vi")))
    rows = list(book["Phát hiện"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[6:10] == ["Mã đối tượng", "Họ và tên", "Chức danh", "Tên đơn vị"] or \
        header[7:10] == ["Họ và tên", "Chức danh", "Tên đơn vị"]
    first = dict(zip(header, rows[1], strict=True))
    assert (first["Họ và tên"], first["Chức danh"], first["Tên đơn vị"]) == (SON, "Chủ tịch UBND", CAO_VIEN)
    aside = list(book["Miễn trừ"].iter_rows(values_only=True))
    assert LAN in aside[1]
    redacted = openpyxl.load_workbook(io.BytesIO(render_xlsx(redact(REPORT), "vi")))
    assert "Họ và tên" not in next(redacted["Phát hiện"].iter_rows(values_only=True))
    assert "Họ và tên" not in next(redacted["Miễn trừ"].iter_rows(values_only=True))


def test_text_and_html_show_the_label_beside_the_id() -> None:
    text = render_text(REPORT)
    assert f"TX01-CT {SON} — Chủ tịch UBND — {CAO_VIEN}: chưa đạt đại học" in text
    assert f"TX01 {CAO_VIEN}: thiếu Phó Chủ tịch UBND" in text
    assert f"TX02-PCT {LAN} — Phó Chủ tịch UBND — Xã Bích Hòa: w — đã xử lý" in text
    html = render_html(REPORT)
    assert f'<span class="name">{SON} — Chủ tịch UBND — {CAO_VIEN}</span><br>TX01-CT' in html
    assert f'<span class="name">{LAN} — Phó Chủ tịch UBND — Xã Bích Hòa</span><br>TX02-PCT' in html


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "xlsx", "html", "text"])
def test_every_format_names_people_and_redact_removes_every_name(fmt: str) -> None:
    named = _every_format(REPORT)[fmt]
    assert SON in named and CAO_VIEN in named
    redacted = _every_format(redact(REPORT))[fmt]
    assert not [word for word in PEOPLE if word in redacted]
    assert "TX01-CT" in redacted  # the ids stay


def test_redact_keeps_everything_else() -> None:
    bare = attrs.evolve(REPORT, names=None)
    assert redact(REPORT).names is None
    assert report_to_json(redact(REPORT)) == report_to_json(bare)
    assert redact(REPORT) == REPORT  # names are not compared: the same findings, metrics and notes


def test_position_labels_follow_the_language() -> None:
    assert position_label("committee_vice_chair", "vi") == "Phó Chủ tịch UBND"
    assert position_label("committee_vice_chair", "en") == "Committee vice chair"
    assert position_label("not-a-code", "en") == "not-a-code"
    english = attrs.evolve(REPORT, names=attrs.evolve(NAMES, lang="en"))
    assert report_to_dict(english)["findings"][0]["subject"]["position"] == "Committee chair"  # type: ignore[index]


def test_names_of_looks_up_officials_and_units() -> None:
    official = Official("A1", "Lê Văn A", "male", date(1980, 1, 1), "U9", "front_chair", "university", "advanced")
    names = names_of([official], [Unit("U9", "Phường Chín", "ward", 1)], "en")
    assert names == Names({"A1": ("Lê Văn A", "front_chair", "U9")}, {"U9": "Phường Chín"}, "en")


# -- the command line, on the bundled 2025 sample --------------------------------------------------------

SAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2025"


def _officials() -> dict[str, dict[str, str]]:
    with (SAMPLE / "officials.csv").open(encoding="utf-8-sig") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def _unit_names() -> dict[str, str]:
    with (SAMPLE / "units.csv").open(encoding="utf-8-sig") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def sample_reports() -> tuple[dict[str, object], dict[str, object]]:
    runner = CliRunner()
    args = ["evaluate", str(SAMPLE), "--as-of", "2025-12-31", "--format", "json", "-q", "--fail-on", "never"]
    named = runner.invoke(_cli.cli, args)
    bare = runner.invoke(_cli.cli, [*args, "--redact"])
    assert named.exit_code == 0 and bare.exit_code == 0, named.output + bare.output
    return json.loads(named.stdout), json.loads(bare.stdout)


def test_evaluate_names_each_official_from_the_input(sample_reports: tuple[dict[str, object], ...]) -> None:
    named, bare = sample_reports
    people, units = _officials(), _unit_names()
    officials = [f["subject"] for f in named["findings"] if f["subject"]["kind"] == "official"]  # type: ignore
    assert officials
    for subject in officials:
        row = people[subject["id"]]
        assert subject["name"] == row["full_name"]
        assert subject["unit_name"] == units[row["unit"]]
    unit_subjects = [f["subject"] for f in named["findings"] if f["subject"]["kind"] == "unit"]  # type: ignore
    assert unit_subjects and all(s["name"] == units[s["id"]] for s in unit_subjects)
    # redacted: the same findings, subjects of kind and id only
    assert [f["subject"] for f in bare["findings"]] == [  # type: ignore
        {"kind": f["subject"]["kind"], "id": f["subject"]["id"]} for f in named["findings"]]  # type: ignore


def test_explain_names_the_official_unless_redacted() -> None:
    person = next(iter(_officials().values()))
    runner = CliRunner()
    args = ["explain", str(SAMPLE), "--official", person["id"], "--as-of", "2025-12-31", "--lang", "vi"]
    text = runner.invoke(_cli.cli, args)
    assert text.exit_code == 0, text.output
    assert f"Cán bộ, công chức: {person['full_name']} — " in text.stdout
    as_json = json.loads(runner.invoke(_cli.cli, [*args, "--format", "json"]).stdout)
    assert as_json["name"] == person["full_name"] and as_json["unit_name"] == _unit_names()[person["unit"]]
    for extra in (["--redact"], ["--redact", "--format", "json"]):
        out = runner.invoke(_cli.cli, [*args, *extra])
        assert out.exit_code == 0 and person["full_name"] not in out.stdout
        assert person["id"] in out.stdout


def test_errors_still_name_no_one(tmp_path: Path) -> None:
    """An input error shows the located offending value, never the person's name (issue #16 §1)."""
    people = _officials()
    person = next(iter(people.values()))
    rows = list(people.values())
    for row in rows:
        if row["id"] == person["id"]:
            row["birth_date"] = "not a date"
    with (tmp_path / "officials.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(person))
        writer.writeheader()
        writer.writerows(rows)
    (tmp_path / "units.csv").write_bytes((SAMPLE / "units.csv").read_bytes())
    out = CliRunner().invoke(_cli.cli, ["evaluate", str(tmp_path), "--as-of", "2025-12-31", "-q"])
    assert out.exit_code == 2
    assert "not a date" in out.stderr and person["full_name"] not in out.output + out.stderr


# -- a post outside the list (position `other`) -----------------------------------------------------------

def _other(ident: str, category: str | None, **extra: str) -> Official:
    official = Official(ident, "Lê Thị Hương", "female", date(1980, 1, 1), "U9", "other", "university", "advanced",
                        extra=extra)
    return attrs.evolve(official, category=category)


@pytest.mark.parametrize(("category", "extra", "vi", "en"), [
    ("civil_servant", {}, "Công chức", "Civil servant"),
    ("cadre", {}, "Cán bộ", "Cadre"),
    (None, {}, "Khác", "Other"),
    ("civil_servant", {"Chức danh cụ thể": "Chuyên viên Phòng Kinh tế"}, "Chuyên viên Phòng Kinh tế",
     "Chuyên viên Phòng Kinh tế"),
    ("civil_servant", {"title": "Văn thư"}, "Văn thư", "Văn thư"),
    ("civil_servant", {"Chức danh cụ thể": ""}, "Công chức", "Civil servant"),  # (an empty cell: the category)
])
def test_a_post_outside_the_list_is_named_by_its_title_or_category(category: str | None, extra: dict[str, str],
                                                                    vi: str, en: str) -> None:
    official = _other("A1", category, **extra)
    units = [Unit("U9", "Phường Vĩnh Tuy", "ward", 1)]
    for lang, label in (("vi", vi), ("en", en)):
        names = names_of([official], units, lang)
        report = attrs.evolve(REPORT, names=names, findings=(attrs.evolve(REPORT.findings[0], subject_id="A1",
                                                                          scope_id="U9"),))
        assert report_to_dict(report)["findings"][0]["subject"]["position"] == label  # type: ignore[index]
        assert f"Lê Thị Hương — {label} — Phường Vĩnh Tuy" in render_text(report, lang=lang)
        assert post_label(official, lang) == label
    assert position_label("other") == "Khác"  # (the code itself keeps its label)


def test_the_officer_sees_a_civil_servant_not_other(tmp_path: Path) -> None:
    """examples/hanoi-2025: the civil servants of position `other` are "Công chức" in the findings, or the title
    a `Chức danh cụ thể` column gives, never "Khác"."""
    people = _officials()
    others = {i for i, row in people.items() if row["position"] == "other"}
    runner = CliRunner()
    args = ["evaluate", str(SAMPLE), "--as-of", "2025-12-31", "--format", "json", "-q", "--fail-on", "never",
            "--lang", "vi"]
    report = json.loads(runner.invoke(_cli.cli, args).stdout)
    subjects = [f["subject"] for f in report["findings"] if f["subject"]["kind"] == "official"
                and f["subject"]["id"] in others]
    assert subjects and {s["position"] for s in subjects} == {"Công chức"}
    assert all(people[s["id"]]["category"] == "civil_servant" for s in subjects)
    titled = subjects[0]["id"]
    rows = list(people.values())
    with (tmp_path / "officials.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*rows[0], "Chức danh cụ thể"])
        writer.writeheader()
        writer.writerows({**row, "Chức danh cụ thể": "Chuyên viên Phòng Kinh tế" if row["id"] == titled else ""}
                         for row in rows)
    (tmp_path / "units.csv").write_bytes((SAMPLE / "units.csv").read_bytes())
    text = runner.invoke(_cli.cli, ["evaluate", str(tmp_path), "--as-of", "2025-12-31", "-q", "--fail-on", "never",
                                    "--lang", "vi"]).stdout
    name = people[titled]["full_name"]
    assert f"{titled} {name} — Chuyên viên Phòng Kinh tế — " in text
    assert " — Khác — " not in text
