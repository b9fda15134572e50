"""The officer's notes of what rules could not decide (session 17): said once where several rules want the same
column for the same officials, each rule named in words (its name, as the reports' tables name it), its pack and id
kept where a machine reads them (json ``undecided``, the rows' ``facts``)."""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules.packs._packs import Pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.render._csv import render_csv
from cadre_rules.render._html import render_html
from cadre_rules.render._jsonl import render_jsonl
from cadre_rules.render._junit import render_junit
from cadre_rules.render._sarif import render_sarif
from cadre_rules.render._text import render_text
from cadre_rules.render._xlsx import render_xlsx
from cadre_rules.report._scope import scope_report

AS_OF = date(2025, 12, 31)
UNITS = [Unit("X1", "Xã Một", "commune", 2, None, True), Unit("X2", "Xã Hai", "commune", 2, None, True)]
LOW = {"vi": ('"Tín nhiệm thấp: xem xét miễn nhiệm"', '"Tín nhiệm thấp: xem xét cho từ chức"'),
       "en": ('"Low-confidence vote: dismissal to consider"', '"Low-confidence vote: resignation to consider"')}
#: the note of the two low-confidence rules, in each language (9 officials: none has a low-confidence share)
NOTE = {
    "vi": f'các quy tắc {LOW["vi"][0]} và {LOW["vi"][1]} chưa xét được cho 9 người: cột "Tỷ lệ phiếu tín nhiệm thấp" '
          'không có giá trị (chưa biết, không phải "không"); điền cột này để các quy tắc được xét',
    "en": f"rules {LOW['en'][0]} and {LOW['en'][1]} not decided for 9 officials: column low_confidence_share has no "
          "value (unknown, not 'no'); fill it in to have the rules decided",
}


def person(ident: str, unit: str = "X1", born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary", ratings=((2024, "good"), (2025, "good")),
                                   in_planning=False, appointed_on=date(2024, 1, 1))
    base.update(kw)
    return Official(ident, "Tên", "male", born, unit, "office_statistics", **base)  # type: ignore[arg-type]


PEOPLE = [*(person(f"A{i}") for i in range(4)), *(person(f"B{i}", "X2") for i in range(5))]


def _report(lang: str) -> Report:
    return Engine(["vn-commune-2tier"], backend="reference", lang=lang).evaluate(PEOPLE, UNITS, AS_OF)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rules_undecided_by_one_column_are_said_once_in_every_format(lang: str) -> None:
    """"vn-commune-2tier replacement.low_confidence: chưa xét được cho 9.496 người: cột …" and the same for
    replacement.resignation_band: one column, one note, naming both rules by their names."""
    report = _report(lang)
    assert {(u.rule, u.count) for u in report.undecided if u.column == "low_confidence_share"} == {
        ("replacement.low_confidence", 9), ("replacement.resignation_band", 9)}  # (the records stay per rule)
    said = [n for n in report.notices if n.kind == "undecided"]
    assert [n.message for n in said] == [NOTE[lang]]
    assert said[0].rules == (("vn-commune-2tier", "replacement.low_confidence"),
                             ("vn-commune-2tier", "replacement.resignation_band"))
    assert [n for n in report.notes if "low_confidence_share" in n or "phiếu tín nhiệm" in n] == [NOTE[lang]]
    data = json.loads(report_to_json(report))
    assert data["notes"].count(NOTE[lang]) == 1
    assert [(u["rule"], u["count"]) for u in data["undecided"]] == [("replacement.low_confidence", 9),
                                                                     ("replacement.resignation_band", 9)]
    assert render_text(report, lang=lang).count(NOTE[lang]) == 1
    assert render_html(report, lang).count(html.escape(NOTE[lang])) == 1
    rows = list(csv.reader(io.StringIO(render_csv(report, lang).decode("utf-8-sig"))))
    assert [r for r in rows if r[1] == "notice.undecided"] and \
        all(NOTE[lang] in r for r in rows if r[1] == "notice.undecided")
    lines = [json.loads(line) for line in render_jsonl(report, lang).splitlines()]
    (row,) = [line for line in lines if line["rule"] == "notice.undecided"]
    assert row["message"] == NOTE[lang]
    sarif = json.loads(render_sarif(report, lang))
    notified = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notified if n["descriptor"]["id"] == "notice.undecided"] == [NOTE[lang]]
    junit = ET.fromstring(render_junit(report, lang))
    skipped = [s.get("message") for suite in junit for case in suite for s in case if s.tag == "skipped"]
    assert skipped.count(NOTE[lang]) == 1
    with zipfile.ZipFile(io.BytesIO(render_xlsx(report, lang))) as book:
        sheets = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/"))
    assert sheets.count(html.escape(NOTE[lang], quote=False)) == 1


def test_a_note_names_rules_in_words_and_a_machine_reads_their_ids() -> None:
    """An HR officer reads a rule's name, not ``vn-commune-2tier replacement.low_confidence``; the rows of the
    formats a machine reads keep the pack and id in their facts."""
    for lang in ("vi", "en"):
        report = _report(lang)
        notes = [n.message for n in report.notices if n.kind == "undecided"]
        assert all(name in notes[0] for name in LOW[lang])
        assert not any("replacement." in n or "vn-commune-2tier" in n for n in notes)
        lines = [json.loads(line) for line in render_jsonl(report, lang).splitlines()]
        assert [line["facts"] for line in lines if line["rule"] == "notice.undecided"] == [
            {"rules": [{"pack": "vn-commune-2tier", "rule": "replacement.low_confidence"},
                       {"pack": "vn-commune-2tier", "rule": "replacement.resignation_band"}]}]
        sarif = json.loads(render_sarif(report, lang))
        (notified,) = [n for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
                       if n["descriptor"]["id"] == "notice.undecided"]
        assert notified["properties"]["rules"] == [
            {"pack": "vn-commune-2tier", "rule": "replacement.low_confidence"},
            {"pack": "vn-commune-2tier", "rule": "replacement.resignation_band"}]


def _pack(pack_id: str, rules: list[tuple[str, str, str]]) -> Pack:
    return parse_pack({"pack": {"id": pack_id, "version": "1", "title": pack_id},
                       "rule": [{"id": rule, "family": "rotation", "message": "m", "cite": "c", "when": when,
                                 **({"name": {"vi": name, "en": name}} if name else {})}
                                for rule, when, name in rules]})


def test_rules_undecided_for_other_officials_are_said_apart() -> None:
    """The same column, but not the same officials (one rule reads the age as well): a note each."""
    pack = _pack("p", [("rotation.any", "in_planning", "Trong quy hoạch"),
                       ("rotation.young", "in_planning and age < 40", "Trẻ trong quy hoạch")])
    people = [person("A1", born=date(1990, 1, 1), in_planning=None), person("A2", in_planning=None)]  # A2: 45: rotation.young is decided for A2
    report = Engine([pack], backend="reference", lang="vi").evaluate(people, UNITS, AS_OF)
    assert [n.message.split(" chưa xét")[0] for n in report.notices if n.kind == "undecided"] == [
        'quy tắc "Trong quy hoạch"', 'quy tắc "Trẻ trong quy hoạch"']


def test_two_packs_rules_of_one_name_are_told_apart_by_their_pack() -> None:
    one = _pack("p1", [("rotation.x", "in_planning", "Trong quy hoạch")])
    two = _pack("p2", [("rotation.x", "in_planning", "Trong quy hoạch"), ("rotation.y", "in_planning", None)])
    report = Engine([one, two], backend="reference", lang="vi").evaluate([person("A1", in_planning=None)], UNITS, AS_OF)
    (note,) = [n.message for n in report.notices if n.kind == "undecided"]
    # (a rule without a name: its id)
    assert note.startswith('các quy tắc p1: "Trong quy hoạch", p2: "Trong quy hoạch" và rotation.y chưa xét được '
                           "cho 1 người")


def test_a_scoped_report_says_it_once_too() -> None:
    scoped = scope_report(_report("vi"), "commune", "X1", "vi")
    said = [n.message for n in scoped.notices if n.kind == "undecided"]
    assert said == [NOTE["vi"].replace("cho 9 người", "cho 4 người")]
    assert [n for n in scoped.notes if "phiếu tín nhiệm" in n] == said
