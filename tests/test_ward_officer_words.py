"""One ward's report as the ward's officer reads it (session 18): the words of the reports, explanations and
projections of one commune's officials (Phường Tương Mai, 00322, of the 2025 sample, with the city's units file)
said as she reads them, in Vietnamese and in English."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Report
from cadre_rules import evaluate_as_asked
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules.render._html import render_html
from cadre_rules.render._pdf import _margins
from cadre_rules.render._text import render_text
from cadre_rules.render._xlsx import render_xlsx
from cadre_rules.schemas import schema_text
from subsets import with_city_units
from test_serve_contract import undescribed

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai's officials (00322) with the city's 126 units."""
    return with_city_units(SAMPLE, tmp_path_factory.mktemp("ward") / "data", "00322".__eq__)


def _run(*args: str, codes: tuple[int, ...] = (0, 1)) -> str:
    result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025"])
    assert result.exit_code in codes, result.output
    return result.stdout


# -- 3. project's counts: English agrees in number, Vietnamese has none -------------------------------------------


def test_project_counts_one_unit_and_one_vacant_post_in_the_singular(ward: Path) -> None:
    text = _run("project", str(ward), "--to", "2027-12-31", "--lang", "en")
    assert text.splitlines()[0] == ("Projection from 2025-12-31 to 2027-12-31, every year: 93 officials, 1 unit, "
                                    "0 plan events")
    assert "Phường Tương Mai: Posts filled: 1 vacant post to fill" in text
    # the committee chair, also a Phó Bí thư, retires: from hanoi-de-an-34@2025.07.4 the standing deputy fills the
    # Phó Bí thư post (vacancy_posts); listing the standing deputy as an eighth post, two are vacant (2025.07.3)
    assert "Phường Tương Mai: Key posts filled: 1 vacant post to fill" in text
    assert " 1 units" not in text and " 1 vacant posts" not in text
    eight = _run("project", str(ward), "--to", "2027-12-31", "--lang", "en", "--param",
                 "hanoi-de-an-34.vacancy_posts=party_secretary,standing_deputy_party_secretary,deputy_party_secretary,"
                 "council_chair,council_vice_chair,committee_chair,committee_vice_chair,front_chair")
    assert "Phường Tương Mai: Key posts filled: 2 vacant posts to fill" in eight
    vi = _run("project", str(ward), "--to", "2027-12-31", "--lang", "vi")
    assert vi.splitlines()[0] == ("Dự báo từ ngày 31/12/2025 đến ngày 31/12/2027, mỗi năm một mốc: 93 cán bộ, công "
                                  "chức; 1 đơn vị cấp xã; 0 sự kiện kế hoạch")
    assert "Phường Tương Mai: Tỷ lệ bố trí đủ chức danh: cần bố trí 1 chức danh còn trống" in vi


def test_one_leaver_is_said_in_the_singular() -> None:
    from cadre_rules.jobs._project_formats import _needed_template
    from cadre_rules.jobs._project_formats import _said

    said = _said(_needed_template(4, 5, 1), 1, "en").format(scope="Hà Nội", target="x", added=4, replacing=5,
                                                           leavers=1)
    assert said == ("Hà Nội: x: appointments needed: 4 if added, 5 if they replace the 1 who leaves and officials not "
                    "counted in the target")
    said = _said(_needed_template(4, 5, 1), 1, "vi").format(scope="Hà Nội", target="x", added=4, replacing=5,
                                                           leavers=1)
    assert said == "Hà Nội: x: cần bổ nhiệm 4 người nếu bổ sung thêm, 5 người nếu thay thế 1 người nghỉ và người " \
                   "không thuộc diện được tính"


# -- 4. project --step in the officer's words ---------------------------------------------------------------------


def test_step_is_given_and_read_in_vietnamese(ward: Path) -> None:
    helped = _run("project", "--help", "--lang", "vi", codes=(0,))
    assert "--step [tháng|quý|năm]" in helped and "[mặc định: năm]" in helped
    assert "--step [month|quarter|year]" in _run("project", "--help", "--lang", "en", codes=(0,))
    quarters = "Các mốc: 31/12/2025 31/03/2026 30/06/2026 30/09/2026 31/12/2026"
    for word in ("quý", "Quý", "quy", "quarter"):
        text = _run("project", str(ward), "--to", "2026-12-31", "--step", word, "--lang", "vi")
        assert text.splitlines()[:2] == [
            "Dự báo từ ngày 31/12/2025 đến ngày 31/12/2026, mỗi quý một mốc: 93 cán bộ, công chức; 1 đơn vị cấp xã; "
            "0 sự kiện kế hoạch",
            quarters]
    result = CliRunner().invoke(cli, ["project", str(ward), "--to", "2026-12-31", "--step", "tuần", "--lang", "vi"])
    assert result.exit_code == 2
    assert "Lỗi: Giá trị không hợp lệ cho '--step': 'tuần' không thuộc các lựa chọn: 'tháng', 'quý', 'năm'." in \
        result.stderr
    result = CliRunner().invoke(cli, ["project", str(ward), "--to", "2026-12-31", "--step", "week", "--lang", "en"])
    assert result.exit_code == 2
    assert "Invalid value for '--step': 'week' is not one of 'month', 'quarter', 'year'." in result.stderr


# -- 1. the packs of the header: those that apply to the ward ------------------------------------------------------

APPLYING = ["hanoi-de-an-34@2025.07.4", "vn-commune-2tier@2025.11.3"]
FOREIGN = ["ba-vi-local@2025.07", "hoan-kiem-local@2025.07"]
NOTE = {"vi": "gói ba-vi-local@2025.07, hoan-kiem-local@2025.07 có cài đặt nhưng chỉ áp dụng cho xã, phường (quận, "
              "huyện) khác, không áp dụng cho Phường Tương Mai: báo cáo này không xét các quy tắc của gói đó và không "
              "ghi gói đó trong mục Gói quy định",
        "en": "packs ba-vi-local@2025.07, hoan-kiem-local@2025.07 were found but apply only to other communes or "
              "districts, not to Phường Tương Mai: their rules were not applied to this report, and they are not "
              "listed among its packs"}


#: The example district plugins (Ba Vì's and Hoàn Kiếm's packs of 2025: other communes' than the ward's) installed.
needs_plugins = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None
                                   or importlib.util.find_spec("cadre_rules_hoan_kiem") is None,
                                   reason="pip install -e ./plugins/cadre-rules-ba-vi -e ./plugins/cadre-rules-hoan-kiem")


def _as_asked(data: Path, lang: str, scope: str | None = None) -> Report:
    """The report as the command line gives it, the city's plugins installed."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)
        engine = Engine(lang=lang)
    officials, units = load_officials(data / "officials.csv"), load_units(data / "units.csv")
    return evaluate_as_asked(engine, officials, units, AS_OF, scope=scope)


@pytest.fixture(scope="module")
def ward_reports(ward: Path) -> dict[tuple[str, str], Report]:
    """The ward's report as asked, of its own officials (with the city's units file) and of the whole sample with
    ``--scope commune:00322``, in both languages (the example plugins' packs installed: Ba Vì's, Hoàn Kiếm's)."""
    return {(kind, lang): _as_asked(data, lang, scope) for lang in ("vi", "en")
            for kind, data, scope in (("own", ward, None), ("scope", SAMPLE, "commune:00322"))}


@needs_plugins
@pytest.mark.parametrize("kind", ["own", "scope"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_header_names_the_packs_applied_to_the_ward(ward_reports: dict[tuple[str, str], Report], kind: str,
                                                          lang: str) -> None:
    report = ward_reports[kind, lang]
    packs = ", ".join(APPLYING)
    text = render_text(report, lang=lang)
    assert f"{'Gói quy định' if lang == 'vi' else 'Packs'}: {packs}\n" in text
    assert not any(ref in text.split(NOTE[lang])[0] for ref in FOREIGN)  # (the note names them, once)
    assert text.count(NOTE[lang]) == 1 and report.notes.count(NOTE[lang]) == 1
    assert [n.kind for n in report.notices if n.message == NOTE[lang]] == ["packs"]
    page = render_html(report, lang)
    header = page[page.index('<div class="packs">'):].split("</div>")[0]
    assert all(ref in header for ref in APPLYING) and not any(ref in header for ref in FOREIGN)
    margins = _margins(report, lang)  # (the pdf's page: its header)
    assert f" {packs} · " in margins and not any(ref in margins for ref in FOREIGN)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, lang))).worksheets[0]
    listed = [str(row[1]).split(" sha256:")[0] for row in sheet.iter_rows(values_only=True)
              if row[0] in ("Gói quy định", "Pack")]
    assert listed == APPLYING
    doc = json.loads(report_to_json(report))
    assert [p["id"] for p in doc["packs"]] == ["ba-vi-local", "hanoi-de-an-34", "hoan-kiem-local",
                                               "vn-commune-2tier"]  # (every pack evaluated: what the report rests on)
    assert [f"{p['id']}@{p['version']}" for p in doc["packs"] if p.get("applies", True)] == APPLYING
    assert [p["applies"] for p in doc["packs"] if "applies" in p] == [False, False]
    assert NOTE[lang] in doc["notes"]
    schema = json.loads(schema_text("report"))  # (the shipped schema names the new key, as every key of a report)
    jsonschema.validate(doc, schema)
    assert undescribed(doc, schema, schema) == []


@needs_plugins
def test_only_the_ward_s_report_leaves_the_other_communes_packs_out(
        ward_reports: dict[tuple[str, str], Report]) -> None:
    """The city's report names every pack (each applies to some of its units), marks none and has no such note."""
    report = _as_asked(SAMPLE, "vi")
    doc = json.loads(report_to_json(report))
    assert not any("applies" in p for p in doc["packs"]) and len(doc["packs"]) == 4
    assert "Gói quy định: " + ", ".join(sorted([*APPLYING, *FOREIGN])) + "\n" in render_text(report, lang="vi")
    assert not any("có cài đặt nhưng chỉ áp dụng" in n for n in report.notes)
    ward = json.loads(report_to_json(ward_reports["own", "vi"]))
    assert [p["id"] for p in ward["packs"] if "applies" in p] == ["ba-vi-local", "hoan-kiem-local"]


# -- 2. a post outside the list: its title in the facts, not "Khác" ----------------------------------------------

OTHER_PACK = """
[pack]
id = "ward-check"
version = "1"
title = "Ward"

[[rule]]
id = "qualification.other_post"
family = "qualification"
where = "position == 'other'"
when = "age >= 0"
show = ["position"]
severity = "info"
message = { vi = "Chức danh ngoài danh sách", en = "A post outside the list" }
cite = "x"
"""
TITLE = "Chuyên viên Phòng Kinh tế"


@pytest.fixture(scope="module")
def titled(ward: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The ward's officials with a `Chức danh cụ thể` column giving one `other` official's title; a pack whose rule
    shows the `position` of the officials outside the list; that official's id."""
    folder = tmp_path_factory.mktemp("titled")
    with (ward / "officials.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titled_id = next(row["id"] for row in rows if row["position"] == "other")
    with (folder / "officials.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "Chức danh cụ thể"])
        writer.writeheader()
        writer.writerows({**row, "Chức danh cụ thể": TITLE if row["id"] == titled_id else ""} for row in rows)
    (folder / "units.csv").write_bytes((ward / "units.csv").read_bytes())
    (folder / "pack.toml").write_text(OTHER_PACK, encoding="utf-8")
    return folder, folder / "pack.toml", titled_id


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_facts_of_a_post_outside_the_list_name_its_title(titled: tuple[Path, Path, str], lang: str) -> None:
    folder, pack, official = titled
    engine = Engine(packs=[load_pack(pack)], plugins=False, lang=lang)
    report = evaluate_as_asked(engine, load_officials(folder / "officials.csv"), load_units(folder / "units.csv"),
                               AS_OF)
    post, civil_servant, other = (("chức vụ", "Công chức", "Khác") if lang == "vi" else
                                  ("post held", "Civil servant", "Other"))
    page = render_html(report, lang)
    row = next(r for r in page.split("<tr>") if f"<br>{official}" in r and "qualification.other_post" in r
               and f"{post}: " in r)  # (its row in the findings' table)
    assert f" — {TITLE}" in row  # (the subject shows the title) …
    assert f"{post}: {TITLE}; " in row  # … and so do the facts
    assert f"{post}: {other};" not in page and f"{post}: {civil_servant}; " in page  # (the others: their category)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, lang)))
    rows = [[str(c) for c in r] for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)]
    mine = [r for r in rows if official in r and "qualification.other_post" in r
            and any(c.startswith(f"{post}: ") for c in r)]  # (the findings sheet's row, with its facts)
    assert mine and all(TITLE in r and any(c.startswith(f"{post}: {TITLE}; ") for c in r) for r in mine)
    assert not any(c.startswith(f"{post}: {other};") for r in rows for c in r)
    doc = json.loads(report_to_json(report))
    assert {f["facts"]["position"] for f in doc["findings"]} == {"other"}  # (the json keeps the code)


def test_explain_names_the_title_of_a_post_outside_the_list(titled: tuple[Path, Path, str]) -> None:
    folder, pack, official = titled
    text = _run("explain", str(folder), "--official", official, "--pack", str(pack), "--lang", "vi")
    assert f"· chức danh: {TITLE}\n" in text and "chức danh: Khác" not in text
    assert f"✓ chức vụ: Khác — hiện là: {TITLE}    (biểu thức trong gói: position == 'other')\n" in text


# -- 5. explain: the condition in words first, the pack's expression after it, marked -----------------------------


def test_explain_says_each_condition_in_words_first() -> None:
    text = _run("explain", str(SAMPLE), "--official", "HN00004-010", "--rule",
                "vn-commune-2tier/rotation.position_change_due", "--lang", "vi", "--no-plugins")
    assert ("          ✗ số tháng giữ chức vụ từ 24 trở lên — hiện là: 4    (biểu thức trong gói: months_in_post >= 24)\n"
            in text)
    assert ("          ✓ đang chịu kỷ luật: không — hiện là: không    (biểu thức trong gói: not active_discipline)\n"
            in text)
    assert ("          ✗ loại cán bộ, công chức: công chức — hiện là: cán bộ    (biểu thức trong gói: category == "
            "'civil_servant')\n" in text)
    assert not any(line.lstrip(" ✓✗?").startswith(("months_", "category ", "not ")) for line in text.splitlines())
    retiring = _run("explain", str(SAMPLE), "--official", "HN00004-010", "--rule", "vn-commune-2tier/rotation.eligible",
                    "--lang", "vi", "--no-plugins")
    assert "số tháng đến tuổi nghỉ hưu từ 120 trở lên — hiện là: 224    (biểu thức trong gói: " \
           "months_to_retirement >= 120)" in retiring
    unit = _run("explain", str(SAMPLE), "--unit", "00166", "--lang", "vi", "--no-plugins")
    assert ("      ✓ tất cả các điều kiện:\n"
            "        ✓ số người ủy viên ban thường vụ trên 0 — hiện là: 10    (biểu thức trong gói: "
            "count('standing_committee') > 0)\n") in unit
    english = _run("explain", str(SAMPLE), "--official", "HN00004-010", "--rule",
                   "vn-commune-2tier/rotation.position_change_due", "--lang", "en", "--no-plugins")
    assert "          ✗ months_in_post >= 24    [months_in_post = 4]\n" in english  # (the integrator's, as before)
