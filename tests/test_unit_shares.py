"""A ward's own shares of the city's quotas (closing note of session 12, "Left"): the officer of one commune reads
"your ward: 2 of 8 key officials under 35 (25%), the city's target 10%" beside the city's figures, for information
only — in a ``--scope commune:…`` report and in a report of one commune's data, never in the whole city's."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._cli import cli
from cadre_rules.model._report_records import Share
from cadre_rules.render._pdf import find_chromium
from cadre_rules.report._scope import scope_report
from subsets import sample_subset

ROOT = Path(__file__).parent.parent
SAMPLE_2025 = ROOT / "examples" / "hanoi-2025"
SAMPLE_2022 = ROOT / "examples" / "hanoi-2022"
#: Đề án 34's key posts as the pack's [key_positions] sets.extended lists them (policies/hanoi-de-an-34*.toml)
EXTENDED = {"party_secretary", "standing_deputy_party_secretary", "deputy_party_secretary", "council_chair",
            "council_vice_chair", "committee_chair", "committee_vice_chair", "front_chair"}


def _invoke(data: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--no-plugins", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _json(data: Path, *args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_invoke(data, "--format", "json", "--lang", "vi", *args))
    return doc


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _hand_count(unit: str, on: date, retired: set[str]) -> dict[str, tuple[int, int]]:
    """The quotas of Đề án 34 counted from the sample's csv by the csv module: the unit's key officials serving on
    ``on`` (not ``retired``), those under 35 and the women among them; and its committee vice-chairs."""
    with (SAMPLE_2025 / "officials.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["unit"] == unit and r["id"] not in retired]
    key = [r for r in rows if {r["position"], *filter(None, r["concurrent_positions"].split(";"))} & EXTENDED]
    young = [r for r in key if _age(date.fromisoformat(r["birth_date"]), on) < 35]
    women = [r for r in key if r["gender"] == "female"]
    vice_chairs = [r for r in rows if r["position"] == "committee_vice_chair"]
    return {"quota.young": (len(young), len(key)), "quota.women": (len(women), len(key)),
            "staffing.committee_vice_chair_average": (len(vice_chairs), 1)}


def _counts(doc: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {s["id"]: (s["numerator"], s["denominator"]) for s in doc["unit_shares"]}


@pytest.mark.parametrize(("as_of", "expected"), [
    # 31/12/2025: 8 key officials, 2 under 35 (born 1991-08-14 and 1993-01-13), 2 women
    ("2025-12-31", {"quota.young": (2, 8), "quota.women": (2, 8)}),
    # 30/09/2026: the committee chair is past retirement (31/08/2026) and the first of the two is 35
    ("2026-09-30", {"quota.young": (1, 7), "quota.women": (2, 7)}),
])
def test_a_ward_s_shares_are_its_own_hand_count(as_of: str, expected: dict[str, tuple[int, int]]) -> None:
    doc = _json(SAMPLE_2025, "--as-of", as_of, "--scope", "commune:Phường Tương Mai")
    retired = {f["subject"]["id"] for f in doc["findings"] if f["rule"] == "staffing.past_retirement"}
    counts = _counts(doc)
    by_hand = _hand_count("00322", date.fromisoformat(as_of), retired)
    for metric, numbers in by_hand.items():
        assert counts[metric] == numbers, metric
    assert {m: counts[m] for m in expected} == expected  # (the hand count read off the csv, written down)
    assert counts["staffing.committee_vice_chair_average"] == (3, 1)
    young = next(s for s in doc["unit_shares"] if s["id"] == "quota.young")
    assert young["unit"] == "00322"
    assert young["value"] == pytest.approx(expected["quota.young"][0] / expected["quota.young"][1])
    assert (young["target"], young["op"], young["binds"]) == (0.1, ">=", [{"scope": "city", "scope_id": "Hà Nội"}])
    assert young["key_positions"] == "extended"
    assert "met" not in young  # (for information: whether a target is met is the city's metric's)


def test_the_shares_change_nothing_the_report_decides() -> None:
    """The scoped report's metrics, findings and summary are those it had without the shares: the unit's own; no
    city metric or quota finding comes back with them."""
    doc = _json(SAMPLE_2025, "--as-of", "2025-12-31", "--scope", "commune:00322")
    whole = _json(SAMPLE_2025, "--as-of", "2025-12-31")
    assert doc["metrics"] == [m for m in whole["metrics"] if m["scope"] == "unit" and m["scope_id"] == "00322"]
    assert {m["scope"] for m in doc["metrics"]} == {"unit"}
    assert not any(f["rule"].startswith("quota.") for f in doc["findings"])
    assert doc["summary"] == {s: sum(f["severity"] == s for f in doc["findings"]) for s in ("error", "warning", "info")}
    # the city's own metric is the whole city's, and met or not as it was
    city = {m["id"]: m for m in whole["metrics"] if m["scope"] == "city"}
    assert city["quota.young"]["denominator"] > 100


def test_the_whole_city_s_report_has_no_shares() -> None:
    for data, as_of in ((SAMPLE_2025, "2025-12-31"), (SAMPLE_2022, "2024-06-30"), (SAMPLE_2022, "2025-12-31")):
        doc = _json(data, "--as-of", as_of)
        assert "unit_shares" not in doc
        assert "tham khảo, chỉ tiêu áp dụng" not in _invoke(data, "--as-of", as_of, "--lang", "vi")


def test_a_district_s_report_has_no_shares() -> None:
    doc = _json(SAMPLE_2022, "--as-of", "2024-06-30", "--scope", "district:Huyện Ba Vì")
    assert "unit_shares" not in doc


def test_before_the_reform_the_target_is_the_city_s_and_the_district_s() -> None:
    doc = _json(SAMPLE_2022, "--as-of", "2024-06-30", "--scope", "commune:HN-BACTULIEM-01")
    binds = {s["id"]: s["binds"] for s in doc["unit_shares"]}
    assert binds["quota.young"] == [{"scope": "city", "scope_id": "Hà Nội"},
                                   {"scope": "district", "scope_id": "Quận Bắc Từ Liêm"}]
    text = _invoke(SAMPLE_2022, "--as-of", "2024-06-30", "--scope", "commune:HN-BACTULIEM-01", "--lang", "vi")
    assert "Tỷ lệ của Phường Long Vạn (tham khảo, chỉ tiêu áp dụng cho toàn thành phố và quận/huyện)" in text
    assert "Chỉ tiêu áp dụng cho toàn Hà Nội và Quận Bắc Từ Liêm, không áp dụng riêng cho từng xã, phường" in text


def test_a_ward_s_own_file_has_its_shares_the_city_rows_numbers(tmp_path: Path) -> None:
    data = sample_subset(SAMPLE_2025, tmp_path / "ward", "00322")
    doc = _json(data, "--as-of", "2025-12-31")
    city = {m["id"]: (m["numerator"], m["denominator"]) for m in doc["metrics"] if m["scope"] == "city"}
    counts = _counts(doc)
    assert counts["quota.young"] == (2, 8)
    assert {m: counts[m] for m in ("quota.young", "quota.women", "quota.university")} == \
        {m: city[m] for m in ("quota.young", "quota.women", "quota.university")}
    redacted = _json(data, "--as-of", "2025-12-31", "--redact")
    assert _counts(redacted) == counts
    assert "Tương Mai" not in json.dumps(redacted, ensure_ascii=False)
    text = _invoke(data, "--as-of", "2025-12-31", "--lang", "vi", "--redact")
    assert "Tỷ lệ của 00322 (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)" in text


def test_the_label_says_whose_target_it_is_in_both_languages() -> None:
    args = ("--as-of", "2025-12-31", "--scope", "commune:Phường Tương Mai")
    vi = _invoke(SAMPLE_2025, *args, "--lang", "vi").splitlines()
    at = vi.index("Tỷ lệ của Phường Tương Mai (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)")
    assert vi[at + 1].strip().startswith("Chỉ tiêu áp dụng cho toàn Hà Nội, không áp dụng riêng cho từng xã, phường: "
                                         "tỷ lệ của xã, phường chỉ để tham khảo, không phải là phát hiện")
    assert vi[at + 2].split() == ["Chỉ", "số", "Giá", "trị", "Tử/mẫu", "Mục", "tiêu", "Chỉ", "tiêu", "của"]
    assert vi[at + 5].split() == ["hanoi-de-an-34:", "Cán", "bộ", "chủ", "chốt", "dưới", "35", "tuổi", "25,0%", "2/8", "≥", "10,0%", "Hà", "Nội"]
    en = _invoke(SAMPLE_2025, *args, "--lang", "en")
    assert "Phường Tương Mai's own shares (for information: the targets are the whole city's)" in en
    assert "The targets bind Hà Nội as a whole, not each commune" in en


def test_a_share_made_in_code_is_checked() -> None:
    share = Share("p", "quota.young", "00322", 1, 12, Fraction(1, 10), ">=", (("city", "Hà Nội"),))
    assert share.value == Fraction(1, 12)
    with pytest.raises(InputError) as caught:
        Share("p", "quota.young", "00322", 1, 12, Fraction(1, 10), ">=", (("ward", "Hà Nội"),))
    assert "binds" in str(caught.value)
    with pytest.raises(InputError, match="binds"):  # (a target binds someone: the schema's minItems 1)
        Share("p", "quota.young", "00322", 1, 12, Fraction(1, 10), ">=", ())


def _ward_file(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    _invoke(SAMPLE_2025, "--as-of", "2025-12-31", "--scope", "commune:Phường Tương Mai", "-o", str(out), *args)
    return out


def test_html_and_pdf_show_the_shares_under_their_label(tmp_path: Path) -> None:
    page = _ward_file(tmp_path, "ward.html", "--lang", "vi").read_text(encoding="utf-8")
    card = page[page.index('<div class="card" id="unit-shares">'):]
    card = card[:card.index("</table></div>")]
    assert "<h3>Tỷ lệ của Phường Tương Mai (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)</h3>" in card
    assert "không phải là phát hiện và không làm thay đổi việc chỉ tiêu đạt hay chưa đạt" in card
    assert ('<tr><td>hanoi-de-an-34: Cán bộ chủ chốt dưới 35 tuổi</td><td class="num" data-sort="0.25">25,0%</td>'
            '<td class="num">2/8</td><td class="num" data-sort="0.1">≥ 10,0%</td><td>Hà Nội</td></tr>') in card
    whole = tmp_path / "city.html"
    _invoke(SAMPLE_2025, "--as-of", "2025-12-31", "-o", str(whole))
    assert "unit-shares" not in whole.read_text(encoding="utf-8")
    if os.environ.get("CADRE_RULES_NO_BROWSER") == "1":  # (as tests/test_pdf.py: switched off explicitly only)
        return
    assert find_chromium() is not None and shutil.which("pdftotext"), "Chromium and poppler-utils must be installed"
    pdf = _ward_file(tmp_path, "ward.pdf", "--lang", "en")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                    .stdout.split())
    assert "Phường Tương Mai's own shares (for information: the targets are the whole city's)" in text
    assert "The targets bind Hà Nội as a whole, not each commune" in text


def test_xlsx_has_a_sheet_of_the_shares_and_their_label_on_the_summary(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_ward_file(tmp_path, "ward.xlsx", "--lang", "vi"))
    assert book.sheetnames[:5] == ["Tổng hợp", "Theo người", "Chỉ số", "Phát hiện", "Tỷ lệ của đơn vị (tham khảo)"]
    rows = list(book["Tỷ lệ của đơn vị (tham khảo)"].iter_rows(values_only=True))
    assert rows[0] == ("Gói", "Chỉ số", "Đơn vị", "Tên đơn vị", "Tử số", "Mẫu số", "Tỷ lệ", "Mục tiêu", "So sánh",
                       "Chỉ tiêu của")
    assert ("hanoi-de-an-34", "Cán bộ chủ chốt dưới 35 tuổi", "00322", "Phường Tương Mai", 2, 8, 0.25, 0.1, "≥",
            "Hà Nội") in rows
    summary = dict(book["Tổng hợp"].iter_rows(values_only=True))  # type: ignore[arg-type]
    assert summary["Tỷ lệ của Phường Tương Mai (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)"].startswith(
        "Chỉ tiêu áp dụng cho toàn Hà Nội, không áp dụng riêng cho từng xã, phường")
    english = openpyxl.load_workbook(_ward_file(tmp_path, "ward-en.xlsx", "--lang", "en", "--redact"))
    assert english.sheetnames[4] == "unit_shares"
    assert next(english["unit_shares"].iter_rows(values_only=True)) == (
        "Pack", "Metric", "Unit", "Numerator", "Denominator", "Value", "Target", "Op", "Target of")
    whole = tmp_path / "city.xlsx"
    _invoke(SAMPLE_2025, "--as-of", "2025-12-31", "-o", str(whole), "--lang", "en")
    assert "unit_shares" not in openpyxl.load_workbook(whole, read_only=True).sheetnames


def test_the_engine_s_counts_of_officials_made_in_code() -> None:
    """The Python API: a commune of five key officials made in code, two of them under 35 and one a woman; its
    neighbour's officials are not its."""
    units = [Unit("X1", "Xã Cao Viên", "commune", 3, None, True), Unit("X2", "Xã Bích Hòa", "commune", 2, None, True)]
    born = {"party_secretary": (1970, "male"), "committee_chair": (1995, "female"), "council_chair": (1980, "male"),
            "front_chair": (1996, "male"), "committee_vice_chair": (1985, "male")}
    people = [Official(f"X1-{i}", "Đặng Văn Sơn", gender, date(year, 1, 1), "X1", post, "university", "advanced")
              for i, (post, (year, gender)) in enumerate(born.items())]
    people += [Official(f"X2-{i}", "Lê Thị Hoa", "female", date(1998, 1, 1), "X2", post, "university", "advanced")
               for i, post in enumerate(("party_secretary", "committee_chair"))]
    report = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, units, date(2025, 12, 31))
    scoped = scope_report(report, "commune", "Xã Cao Viên")
    shares = {s.id: s for s in scoped.unit_shares}
    assert (shares["quota.young"].numerator, shares["quota.young"].denominator) == (2, 5)
    assert (shares["quota.women"].numerator, shares["quota.women"].denominator) == (1, 5)
    assert shares["quota.young"].binds == (("city", "Hà Nội"),)
    assert shares["quota.young"].target == Fraction(1, 10)
    # the city's metric counts both communes, and is what the report decides
    city = {m.id: m for m in report.metrics if m.scope == "city"}
    assert (city["quota.young"].numerator, city["quota.young"].denominator) == (4, 7)
    assert report.unit_shares == ()  # (the whole city's report: none)


def test_the_shares_follow_the_report_schema() -> None:
    schema = json.loads((ROOT / "src" / "cadre_rules" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    check = jsonschema.Draft202012Validator(schema)
    doc = _json(SAMPLE_2022, "--as-of", "2024-06-30", "--scope", "commune:HN-BACTULIEM-01")
    check.validate(doc)
    doc["unit_shares"][0]["binds"] = [{"scope": "ward", "scope_id": "Phường Long Vạn"}]
    assert not check.is_valid(doc)
    doc["unit_shares"][0]["binds"] = []
    assert not check.is_valid(doc)
