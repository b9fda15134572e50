"""Tests of the Hoàn Kiếm plugin: its pack on a small example, its CSV layout, and its installed entry point.

``tests/data`` holds three Hoàn Kiếm wards (one wrongly recorded with a people's council, one without
a civil servant trained in planning or architecture) and a ward of Quận Ba Đình.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import Report
from cadre_rules.model._dates import retirement_date

cadre_rules_hoan_kiem = pytest.importorskip("cadre_rules_hoan_kiem", reason="not installed: pip install -e ./plugins/cadre-rules-hoan-kiem")

DATA = Path(__file__).parent / "data"
DISABLE = "CADRE_RULES_DISABLE_PLUGINS"
AS_OF = date(2024, 6, 30)
#: the repository's two-tier sample (126 units of NQ 1656, their registry codes)
SAMPLE_2025 = Path(__file__).resolve().parents[3] / "examples" / "hanoi-2025"


def evaluate(packs: tuple[str, ...] = ("hanoi-de-an-34", "hoan-kiem-local"), as_of: date = AS_OF) -> Report:
    engine = Engine(list(packs), plugins=[cadre_rules_hoan_kiem], backend="reference")
    officials, units = engine.read(DATA / "officials.csv", DATA / "units.csv")
    return engine.evaluate(officials, units, as_of)


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_findings_on_the_example_data() -> None:
    report = evaluate(("hoan-kiem-local",))
    assert [(f.rule, f.subject_id, f.severity) for f in report.findings] == [
        ("qualification.urban_planning", "HK-02", "warning"),  # BD-01 has none either, but is in Ba Đình
        ("staffing.ward_council", "HK-03", "error"),
    ]


def test_the_district_version_while_wards_had_no_council_then_the_new_wards_version() -> None:
    engine = Engine(None, plugins=[cadre_rules_hoan_kiem])
    applied = {d: [p.ref for p in engine.packs_for(d)[0]] for d in
               (date(2021, 6, 30), date(2021, 7, 1), date(2025, 6, 30), date(2025, 7, 1))}
    refs = [[r for r in ids if r.startswith("hoan-kiem-local@")] for ids in applied.values()]
    assert refs == [[], ["hoan-kiem-local@2023.12.1"], ["hoan-kiem-local@2023.12.1"], ["hoan-kiem-local@2025.07"]]
    district, wards = engine.editions["hoan-kiem-local"]
    assert (district.scope_districts, district.scope_units) == (("Quận Hoàn Kiếm",), ())
    # from 2025-07-01: the new wards by code; every ward has a council again, the council rule ended
    assert (wards.scope_districts, wards.scope_units) == ((), cadre_rules_hoan_kiem.UNITS)
    assert [r.id for r in wards.rules] == ["qualification.urban_planning"]


def test_the_2025_sample_by_hand() -> None:
    """The 2025 sample as of 31/12/2025: the new wards Hoàn Kiếm and Cửa Nam without a civil servant trained
    in planning or architecture, computed from its CSV files with the csv module; the CSV layout lists them."""
    as_of = date(2025, 12, 31)
    with open(SAMPLE_2025 / "units.csv", encoding="utf-8", newline="") as handle:
        units_rows = {row["code"]: row for row in csv.DictReader(handle)}
    assert [units_rows[c]["name"] for c in cadre_rules_hoan_kiem.UNITS] == ["Phường Hoàn Kiếm", "Phường Cửa Nam"]
    with open(SAMPLE_2025 / "officials.csv", encoding="utf-8", newline="") as handle:
        officials_rows = [r for r in csv.DictReader(handle) if r["unit"] in cadre_rules_hoan_kiem.UNITS]
    planners = {r["unit"] for r in officials_rows if r["category"] == "civil_servant"
                and retirement_date(date.fromisoformat(r["birth_date"]), r["gender"]) > as_of
                and any(w in r["field_of_study"].casefold() for w in ("quy hoạch", "kiến trúc"))}
    expected = {c for c in cadre_rules_hoan_kiem.UNITS if units_rows[c]["kind"] == "ward" and c not in planners}
    engine = Engine(None, plugins=[cadre_rules_hoan_kiem], backend="reference", lang="vi")
    officials, units = engine.read(SAMPLE_2025 / "officials.csv", SAMPLE_2025 / "units.csv")
    report = engine.evaluate(officials, units, as_of)
    assert {f.subject_id for f in report.findings if f.pack == "hoan-kiem-local"} == expected
    assert {f.rule for f in report.findings if f.pack == "hoan-kiem-local"} <= {"qualification.urban_planning"}
    body = rows(cadre_rules_hoan_kiem.render_csv(report, "vi"))[1:]
    assert {r[0] for r in body} == set(cadre_rules_hoan_kiem.UNITS)  # the new wards' findings, no other unit's
    assert len(body) == sum(1 for f in report.findings if f.scope_id in cadre_rules_hoan_kiem.UNITS)
    assert expected == {"00082"}  # as read in the files: Hoàn Kiếm has two civil servants in Kiến trúc, Cửa Nam none
    assert [r[:4] for r in body if r[2].startswith("hoan-kiem-local/")] == \
        [["00082", "00082", "hoan-kiem-local/qualification.urban_planning", "Cảnh báo"]]


def test_csv_layout_lists_only_the_district() -> None:
    report = evaluate()
    assert any(f.scope_id == "BD-01" for f in report.findings)  # Ba Đình has findings of the city's pack...
    table = rows(cadre_rules_hoan_kiem.render_csv(report, "vi"))
    assert table[0] == ["Đơn vị", "Đối tượng", "Mã quy định", "Mức độ", "Nội dung"]
    body = table[1:]
    assert body == sorted(body)
    assert {r[0] for r in body} <= {"HK-01", "HK-02", "HK-03", "Quận Hoàn Kiếm"}  # ...that are left out
    assert len(body) == sum(1 for f in report.findings if f.scope_id.startswith("HK-") or f.scope_id == "Quận Hoàn Kiếm")
    assert ["HK-03", "HK-03", "hoan-kiem-local/staffing.ward_council", "Lỗi",
            next(f.message for f in report.findings if f.rule == "staffing.ward_council")] in body
    assert {r[3] for r in body} <= {"Lỗi", "Cảnh báo", "Thông tin"}


def test_csv_layout_works_without_the_district_pack() -> None:
    report = evaluate(("hanoi-de-an-34",))  # e.g. as of 2025-07-01, when the pack has ended
    body = rows(cadre_rules_hoan_kiem.render_csv(report, "en"))[1:]
    assert body
    assert {r[0] for r in body} <= {"HK-01", "HK-02", "HK-03", "Quận Hoàn Kiếm"}
    assert {r[2].split("/")[0] for r in body} == {"hanoi-de-an-34"}


def test_installed_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE, raising=False)
    engine = Engine([])
    assert engine.plugins.renderers["hoan-kiem-csv"].plugin == "hoan-kiem"
    assert engine.plugins.packs["hoan-kiem-local"].plugin == "hoan-kiem"
    assert not engine.plugins.problems


def test_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    out = tmp_path / "hoan-kiem.csv"
    result = subprocess.run(
        [sys.executable, "-m", "cadre_rules", "evaluate", str(DATA), "--pack", "hanoi-de-an-34", "--pack",
         "hoan-kiem-local", "--as-of", "2024-06-30", "--format", "hoan-kiem-csv", "-o", str(out),
         "--lang", "vi"],
        capture_output=True, text=True, encoding="utf-8", env={**env, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    table = rows(out.read_bytes())
    assert ["HK-02", "HK-02", "hoan-kiem-local/qualification.urban_planning", "Cảnh báo",
            "Phường chưa có công chức được đào tạo về quy hoạch hoặc kiến trúc"] in table
    assert not [r for r in table if r[0] == "BD-01"]
