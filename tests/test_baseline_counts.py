"""What a report counts of people says the same with or without ``--baseline`` (session 19): a finding the
baseline already knew is hidden, not forgotten. An official past retirement age (the engine's
``staffing.past_retirement``, hidden because last month's report had it) is still not one of the officials a
rule evaluated: the "Chưa xét được" sheet and table read "92 of 92", not "92 of 93", as without the baseline and
as with a waiver. And a post a ward lacks is vacant whether its finding is shown, set aside by a waiver or hidden
by a baseline: the tables of vacant posts count it, as the metrics' fill rates do."""

from __future__ import annotations

import io
import json
from datetime import date

import attrs
import openpyxl

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules.model._report_records import ENGINE_PACK
from cadre_rules.model._report_records import PAST_RETIREMENT
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Names
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.model._report_records import Suppressed
from cadre_rules.model._report_records import Undecided
from cadre_rules.render import render_html
from cadre_rules.render import render_xlsx
from cadre_rules.render._text import render_text
from cadre_rules.report._notices import undecided_rows
from cadre_rules.report._vacancies import vacancies
from cadre_rules.report._waivers import Baseline
from cadre_rules.report._waivers import Waiver
from cadre_rules.report._waivers import apply_baseline
from cadre_rules.report._waivers import apply_waivers
from cadre_rules.report._waivers import parse_baseline

UNIT = "00322"


def _report() -> Report:
    """Two officials of Phường Tương Mai: O2 past retirement age (not counted by pack ``a``), O1 serving with
    an empty ``low_confidence_share``."""
    retired = Finding(ENGINE_PACK, PAST_RETIREMENT, "staffing", "info", "official", "O2", UNIT,
                      "đã quá tuổi nghỉ hưu", "c", {"retirement_date": "2026-08-31", "position": "committee_chair"})
    undecided = Undecided("a", "replacement.low_confidence", "replacement", "low_confidence_share", 1,
                          by_unit={UNIT: 1})
    return Report(date(2026, 12, 7), (PackRef("a", "1", "0" * 64),), 2, 1, "a" * 64, (), (retired,),
                  ("chưa xét được",), "Hà Nội", undecided=(undecided,),
                  names=Names({"O1": ("Nguyễn Văn An", "other", UNIT),
                               "O2": ("Nguyễn Tiến Hiếu", "committee_chair", UNIT)}, {UNIT: "Phường Tương Mai"}))


def _counts(report: Report) -> list[tuple[str, int, int | None]]:
    return [(r.unit, r.count, r.officials) for r in undecided_rows(report, "vi")]


def test_an_official_past_retirement_age_hidden_by_the_baseline_is_still_not_counted_as_evaluated() -> None:
    report = _report()
    assert _counts(report) == [(UNIT, 1, 1)]
    hidden = apply_baseline(report, {(ENGINE_PACK, PAST_RETIREMENT, "official", "O2")}, source="truoc.json")
    assert hidden.findings == () and hidden.baseline is not None and hidden.baseline.unchanged == 1
    assert _counts(hidden) == [(UNIT, 1, 1)]  # (not 1 of 2: O2 is no more evaluated than without the baseline)
    html = render_html(hidden, "vi")
    assert '<td class="num" data-sort="1">1</td><td class="num" data-sort="1">1</td>' in html
    # the JSON report is as before: the hidden finding is not in it
    assert [f["rule"] for f in json.loads(report_to_json(hidden))["findings"]] == []


def test_a_report_with_a_baseline_counts_the_officials_a_rule_evaluated_as_the_report_without_it() -> None:
    """End to end: vn-commune-2tier takes an official past retirement age out of service; nobody's
    ``low_confidence_share`` is known; the baseline is the same evaluation's own JSON report."""
    units = [Unit(UNIT, "Phường Tương Mai", "ward", 1, None, True)]
    people = [Official(f"O{i}", "Tên", "male", date(1985, 1, 1), UNIT, "office_statistics", "university",
                       "intermediate", general_education="upper_secondary") for i in range(1, 4)]
    people.append(Official("R1", "Tên", "male", date(1960, 1, 1), UNIT, "committee_chair", "university",
                           "advanced", general_education="upper_secondary"))
    report = Engine(["vn-commune-2tier"], backend="reference", lang="vi").evaluate(people, units, date(2025, 12, 31))
    assert any(f.rule == PAST_RETIREMENT and f.subject_id == "R1" for f in report.findings)
    before = _counts(report)
    assert before and all(officials == 3 for _u, _n, officials in before)  # (R1 left out: 3 of 4 serving)
    known = Baseline(parse_baseline(json.loads(report_to_json(report))))
    again = apply_baseline(report, known.keys, source="truoc.json")
    assert again.findings == ()
    assert _counts(again) == before

    def sheet(r: Report) -> list[tuple[object, ...]]:
        return list(openpyxl.load_workbook(io.BytesIO(render_xlsx(r, "vi")))["Chưa xét được"].iter_rows(
            values_only=True))

    assert sheet(again) == sheet(report)


def test_a_vacant_post_is_counted_whether_its_finding_is_shown_set_aside_or_hidden() -> None:
    vacancy = Finding("a", "staffing.vacancy", "staffing", "warning", "unit", UNIT, UNIT, "thiếu Chủ tịch UBND", "c",
                      {"vacant": ["committee_chair"]})
    report = attrs.evolve(_report(), findings=(vacancy,), undecided=())
    shown = vacancies(report)
    assert (shown.by_unit, shown.total) == ({UNIT: ("committee_chair",)}, 1)
    waived, _ = apply_waivers(report, [Waiver("a", "staffing.vacancy", UNIT, "đang tuyển dụng", "Sở Nội vụ",
                                              date(2027, 6, 30))], lang="vi")
    hidden = apply_baseline(report, {("a", "staffing.vacancy", "unit", UNIT)}, source="truoc.json")
    for other in (waived, hidden):
        assert other.findings == ()
        assert vacancies(other) == shown
        assert "Chức danh còn trống, theo chức danh (1)" in render_text(other, lang="vi")
    # a pack's override is not a waiver: that pack reads the ward's posts in the rule's place (its own rule, or none)
    overridden = attrs.evolve(report, findings=(), suppressed=(Suppressed(vacancy, "local", "không áp dụng"),))
    assert vacancies(overridden).total == 0
