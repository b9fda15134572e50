"""A metric with nothing to count is one note, not rows of 0/0 among the results (session 19: NĐ 335's cap on
"hoàn thành xuất sắc" ratings, ``vn-commune-2tier@2026.01.4``'s ``quota.excellent_share``, counts the ratings from
2026; the 2025 data have none, and the report listed 126 unit metrics of 0/0 among the real ones). The JSON keeps
every metric: the contract."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import evaluate_as_asked
from cadre_rules.model._report_records import Report
from cadre_rules.packs._packs import parse_pack
from cadre_rules.render import render_html
from cadre_rules.render import render_text
from cadre_rules.render import render_xlsx
from cadre_rules.render._print import print_page
from cadre_rules.report._report import report_json_chunks

PACK = {
    "pack": {"id": "t-rated", "version": "1", "title": "t"},
    "params": {"excellent_max_share": "1/6"},
    "key_positions": {"codes": ["party_secretary", "committee_chair"]},
    "quota": [
        {"id": "quota.excellent_share", "family": "quota",
         "population": "category == 'civil_servant' and latest_rating_year >= 2026 and latest_rating >= 'good'",
         "numerator": "latest_rating == 'excellent'", "max_share": "excellent_max_share", "scopes": ["unit"],
         "severity": "warning", "message": "m", "cite": "c"},
        {"id": "quota.women", "family": "quota", "population": "is_key", "numerator": "gender == 'female'",
         "min_share": 0.5, "scopes": ["unit"], "severity": "warning", "message": "m", "cite": "c"},
    ],
}
UNITS = [Unit("X1", "Xã Một", "commune", 1), Unit("X2", "Xã Hai", "commune", 2)]
AS_OF = date(2026, 12, 8)
NOTE = {
    "en": 'quota "Civil servants rated excellent (of those rated good or excellent)" (t-rated/quota.excellent_share) '
          "has nothing to count yet: no official of the data has a rating of the years it counts (column "
          '"ratings"); its 2 rows of 0/0 are not results and are left out of the tables',
    "vi": 'chỉ tiêu "Công chức hoàn thành xuất sắc nhiệm vụ (trong số hoàn thành tốt, xuất sắc)" '
          "(t-rated/quota.excellent_share) chưa có gì để tính: trong dữ liệu chưa có cán bộ, công chức nào có kết quả "
          'xếp loại của những năm mà chỉ tiêu này tính (cột "Xếp loại"); 2 dòng 0/0 của chỉ tiêu không phải là kết '
          "quả và không được đưa vào các bảng",
}


def _officials(rated: int | None = None) -> list[Official]:
    """A chair and a civil servant in each unit, rated "good" in ``rated`` (none: 2025)."""
    year = 2025 if rated is None else rated
    return [Official(f"{u}-{n}", f"Tên {u}-{n}", "male", date(1980, 1, 1), u, post, "university", "intermediate",
                     ratings=((year, "good"),))  # type: ignore[arg-type]
            for u in ("X1", "X2") for n, post in enumerate(("committee_chair", "office_statistics"))]


def _report(lang: str, rated: int | None = None) -> Report:
    engine = Engine([parse_pack(PACK)], plugins=False, lang=lang)
    return evaluate_as_asked(engine, _officials(rated), UNITS, AS_OF)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_quota_with_no_rating_to_count_is_one_note_not_rows_of_0_0(lang: str) -> None:
    report = _report(lang)
    assert report.notes.count(NOTE[lang]) == 1
    assert [(n.kind, n.severity, n.rules) for n in report.notices if n.message == NOTE[lang]] == [
        ("undecided", "info", (("t-rated", "quota.excellent_share"),))]
    # the json (the contract) keeps every metric, the 0/0 ones too
    metrics = json.loads(b"".join(report_json_chunks(report)))["metrics"]
    assert sorted((m["id"], m["scope_id"], m["numerator"], m["denominator"]) for m in metrics) == [
        ("quota.excellent_share", "X1", 0, 0), ("quota.excellent_share", "X2", 0, 0),
        ("quota.women", "X1", 0, 1), ("quota.women", "X2", 0, 1)]
    # the formats for people: the note, the quota's rows left out, the other quota's listed and counted
    text = render_text(report, lang)
    assert NOTE[lang] in text
    assert ("Metrics (2; 2 not met)" if lang == "en" else "Chỉ số (2; 2 chưa đạt)") in text
    assert ("… and 2 rows of 0/0 not listed: metrics with nothing to count yet (see the notes)" if lang == "en" else
            "… và 2 dòng 0/0 không được liệt kê: các chỉ số chưa có gì để tính (xem phần Ghi chú)") in text
    assert "0/0" not in text.replace("rows of 0/0", "").replace("dòng 0/0", "")
    women = "Women among key officials" if lang == "en" else "Cán bộ chủ chốt nữ"
    excellent = "rated excellent" if lang == "en" else "hoàn thành xuất sắc"
    table = text.split(NOTE[lang])[1]
    assert women in table and excellent not in table
    for page in (render_html(report, lang), print_page(report, lang)):
        assert page.count(excellent) == 1  # (the note's)
        assert women in page
    ids = book_metrics(report, lang)
    assert len(ids) == 2 and not any("excellent" in str(i) or "xuất sắc" in str(i) for i in ids)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, lang)))
    cells = [str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c]
    assert any(NOTE[lang] in c for c in cells)

    # one unit's rating of 2026: the quota counts; its rows are listed, the 0/0 one too, and no note
    officials = _officials(2026)
    officials[1] = _officials()[1]  # (X1's civil servant rated in 2025 only: X1 counts nobody, X2 one)
    counted = evaluate_as_asked(Engine([parse_pack(PACK)], plugins=False, lang=lang), officials, UNITS, AS_OF)
    assert not any(n.kind == "undecided" for n in counted.notices)
    assert "0/0" in render_text(counted, lang) and len(book_metrics(counted, lang)) == 4


def book_metrics(report: Report, lang: str) -> list[object]:
    """The metric ids of the xlsx's metrics sheet."""
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, lang)))
    return [row[1] for row in book["metrics" if lang == "en" else "Chỉ số"].iter_rows(min_row=2, values_only=True)]
