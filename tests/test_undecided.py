"""Nothing skipped silently (issue #16 §3): a missing optional column is unknown, never "no", and the report
says per rule which column was missing for how many officials, in every format, before the findings."""

from __future__ import annotations

import csv
import html as html_text
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import OfficialContext
from cadre_rules import Report
from cadre_rules import Undecided
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules import hookspecs
from cadre_rules import load_officials
from cadre_rules import redact
from cadre_rules import report_to_json
from cadre_rules.engine import _durable
from cadre_rules.engine import _undecided
from cadre_rules.packs._packs import parse_pack
from cadre_rules.render._csv import render_csv
from cadre_rules.render._html import render_html
from cadre_rules.render._jsonl import render_jsonl
from cadre_rules.render._junit import render_junit
from cadre_rules.render._sarif import render_sarif
from cadre_rules.render._text import render_text
from cadre_rules.render._xlsx import render_xlsx

AS_OF = date(2024, 6, 30)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]
UNITS = [Unit("X1", "Xã Một", "commune", 3, "Ba Vì", True)]


def person(ident: str, born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", "male", born, "X1", "office_statistics", **base)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def undecided(report: Report, rule: str) -> dict[str, int]:
    return {u.column: u.count for u in report.undecided if u.rule == rule}


def test_optional_columns_default_to_unknown() -> None:
    official = person("A")
    assert official.in_planning is None and official.standing_committee is None
    assert Official("B", "Tên", "male", date(1980, 1, 1), "X1", "office_statistics", "university", "elementary",
                    in_planning=None).in_planning is None  # expressible in the API (#22)


def test_a_missing_in_planning_column_reads_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "officials.csv"
    path.write_text("id,full_name,gender,birth_date,unit,position,education,political_theory,standing_committee\n"
                    "A1,Tên,nam,1980-01-01,X1,office_statistics,university,elementary,\n"
                    "A2,Tên,nam,1980-01-01,X1,office_statistics,university,elementary,không\n", encoding="utf-8")
    first, second = load_officials(path)
    assert first.in_planning is None and second.in_planning is None  # absent column
    assert first.standing_committee is None  # empty cell
    assert second.standing_committee is False  # said "no"


def test_rotation_eligible_counts_whom_it_could_not_decide(backend: str) -> None:
    people = [
        person("E1", in_planning=True, born=date(1990, 1, 1)),     # eligible: fires
        person("E2", in_planning=False, born=date(1990, 1, 1)),    # decided: not in planning
        person("E3", born=date(1990, 1, 1)),                       # unknown: counted
        person("E4", born=date(1991, 1, 1)),                       # unknown: counted
        person("E5", born=date(1966, 1, 1)),                       # unknown, but retires too soon: decided
        person("E6", born=date(1990, 1, 1), under_investigation=True),  # unknown, but investigated: decided
    ]
    report = Engine(["hanoi-ke-hoach-188"], backend=backend).evaluate(people, UNITS, AS_OF)
    assert {f.subject_id for f in report.findings if f.rule == "rotation.eligible"} == {"E1"}
    assert undecided(report, "rotation.eligible") == {"in_planning": 2}
    (record,) = [u for u in report.undecided if u.rule == "rotation.eligible"]
    assert record == Undecided("hanoi-ke-hoach-188", "rotation.eligible", "rotation", "in_planning", 2)
    # nobody unknown: nothing said
    known = [person("K1", in_planning=False), person("K2", in_planning=True, born=date(1990, 1, 1))]
    report = Engine(["hanoi-ke-hoach-188"], backend=backend).evaluate(known, UNITS, AS_OF)
    assert undecided(report, "rotation.eligible") == {}


@pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable")
def test_what_a_rule_could_not_decide_is_evaluated_once_per_combination(monkeypatch: pytest.MonkeyPatch) -> None:
    """Officials of one combination (their values of every field in the same classes) come out alike: the rule is
    evaluated once for them, whatever their values, and only the officials missing a column are looked at."""
    pack = parse_pack({"pack": {"id": "once", "version": "1", "title": "once"},
                       "rule": [{"id": "rotation.once", "family": "rotation", "message": "m", "cite": "c",
                                 "when": "in_planning and months_in_post >= 12"}]})
    # 18 to 53 months in post: one class (>= 12); in_planning unknown for all but the last two
    people = [person(f"P{i}", appointed_on=date(2020 + i % 3, 1 + i % 12, 1)) for i in range(40)]
    people += [person("Q1", in_planning=True, appointed_on=date(2021, 1, 1)), person("Q2", in_planning=False, appointed_on=date(2021, 1, 1))]
    assert len({p.appointed_on for p in people[:40]}) > 1
    calls: list[object] = []
    real = _undecided.evaluate
    monkeypatch.setattr(_undecided, "evaluate", lambda *args: calls.append(args) or real(*args))
    report = Engine([pack], backend="durable").evaluate(people, UNITS, AS_OF)
    assert [f.subject_id for f in report.findings] == ["Q1"]
    assert undecided(report, "rotation.once") == {"in_planning": 40}
    assert len(calls) == 1  # (it was once per distinct months in post: 12)


def test_a_rule_reading_only_attribute_columns_is_counted_per_combination(backend: str) -> None:
    """A rule whose unknown-when-empty columns are all attributes its conditions read as they are is counted per
    combination (the column is empty for all its officials or none): a combination whose data gap the rule noted
    is decided; one that the values present decide counts no one; the others count every official in them."""
    pack = parse_pack({"pack": {"id": "direct", "version": "1", "title": "direct"},
                       "rule": [{"id": "rotation.gapped", "family": "rotation", "message": "m", "cite": "c",
                                 "when": "in_planning and age < 40", "gap": "in_planning is None and age == 35"},
                                {"id": "rotation.plain", "family": "rotation", "message": "m", "cite": "c",
                                 "when": "in_planning and age < 40"}]})
    people = [person("Y1", born=date(1990, 1, 1)), person("Y2", born=date(1991, 5, 1)),  # unknown, young
              person("O1", born=date(1970, 1, 1)), person("O2", born=date(1971, 1, 1)),  # unknown, decided by age
              person("G1", born=date(1989, 1, 1)),                                       # unknown, 35: the data gap
              person("K1", in_planning=True, born=date(1990, 1, 1))]                     # fires
    report = Engine([pack], backend=backend).evaluate(people, UNITS, AS_OF)
    assert sorted((f.rule, f.subject_id) for f in report.findings) == [("rotation.gapped", "K1"),
                                                                        ("rotation.plain", "K1")]

    def officials(rule: str) -> dict[str, int]:
        return {u.column: u.count for u in report.undecided if u.rule == rule and u.subject == "official"}

    assert officials("rotation.plain") == {"in_planning": 3}  # Y1, Y2, G1
    assert officials("rotation.gapped") == {"in_planning": 2}  # Y1, Y2: G1's data gap is noted instead
    assert undecided(report, "rotation.gapped")["age"] == 1  # (the note of the gap: G1)


def test_ratings_and_low_confidence_unknown(backend: str) -> None:
    people = [person("R1"), person("R2", ratings=((2022, "good"), (2023, "good"))),
              person("R3", low_confidence_share=Fraction(1, 10), ratings=((2023, "good"),))]
    report = Engine(["hanoi-de-an-34"], backend=backend).evaluate(people, UNITS, AS_OF)
    assert undecided(report, "replacement.two_years_not_completed") == {"ratings": 1}  # R1
    assert undecided(report, "replacement.not_completed") == {"ratings": 1}
    assert undecided(report, "replacement.low_confidence") == {"low_confidence_share": 2}  # R1, R2


def test_the_data_gap_of_a_unit_rule_names_its_column() -> None:
    people = [person("S1", standing_committee=None)]
    report = Engine(["hanoi-de-an-34"], backend="reference").evaluate(people, UNITS, AS_OF)
    gap = [u for u in report.undecided if u.rule == "quota.woman_standing_committee"]
    assert gap == [Undecided("hanoi-de-an-34", "quota.woman_standing_committee", "quota", "standing_committee", 1,
                             "unit")]


def _report() -> Report:
    people = [person("E1", in_planning=True, born=date(1990, 1, 1)), person("E3", born=date(1990, 1, 1))]
    return Engine(["hanoi-ke-hoach-188"], backend="reference", lang="en").evaluate(people, UNITS, AS_OF)


def test_every_format_says_it() -> None:
    report = _report()
    # the rule by its name (session 17): its pack and id where a machine reads them (json `undecided`, the rows' facts)
    note = 'rule "Eligible for rotation" not decided for 1 official: column in_planning has no value'
    data = json.loads(report_to_json(report))
    assert {"pack": "hanoi-ke-hoach-188", "rule": "rotation.eligible", "family": "rotation",
            "column": "in_planning", "count": 1, "subject": "official"} in data["undecided"]
    assert any(note in n for n in data["notes"])
    text = render_text(report, lang="en")
    assert note in text and text.index(note) < text.index("Findings by family")  # read before the findings
    rows = list(csv.reader(io.StringIO(render_csv(report, "en").decode("utf-8-sig"))))
    message = rows[0].index("message")
    assert any(r[1] == "notice.undecided" and r[2] == "rotation" and note in r[message] for r in rows)
    lines = [json.loads(line) for line in render_jsonl(report, "en").splitlines()]
    assert any(line["rule"] == "notice.undecided" and note in line["message"] for line in lines)
    assert {"rules": [{"pack": "hanoi-ke-hoach-188", "rule": "rotation.eligible"}]} in [
        line["facts"] for line in lines if line["rule"] == "notice.undecided"]
    html = render_html(report, "en")
    assert html_text.escape(note) in html and '<details class="group" open><summary>Notes (' in html
    with zipfile.ZipFile(io.BytesIO(render_xlsx(report, "en"))) as book:
        sheets = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/"))
    assert note in sheets
    sarif = json.loads(render_sarif(report, "en"))
    assert any(note in n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"])
    junit = ET.fromstring(render_junit(report, "en"))
    skipped = [s.get("message", "") for suite in junit for case in suite for s in case if s.tag == "skipped"]
    assert any(note in m for m in skipped)


def test_vietnamese_note() -> None:
    people = [person("E3", born=date(1990, 1, 1))]
    report = Engine(["hanoi-ke-hoach-188"], backend="reference", lang="vi").evaluate(people, UNITS, AS_OF)
    (note,) = [n.message for n in report.notices if ("hanoi-ke-hoach-188", "rotation.eligible") in n.rules]
    assert 'cột "Quy hoạch" không có giá trị' in note and "chưa xét được" in note  # the template's header
    assert "in_planning" not in note


def test_the_note_says_what_to_do_and_the_html_and_xlsx_say_where() -> None:
    """Session 16: "chưa xét được cho 9.496 người: cột … không có giá trị" left the officer to guess what to do and
    for whom. The note says to fill the column in (named as the template heads it); the html (under the notes) and
    the xlsx (a sheet "Chưa xét được") list per rule and unit how many of its officials, out of how many."""
    units = [*UNITS, Unit("X2", "Xã Hai", "commune", 3, "Ba Vì", True)]
    people = [person("E1", born=date(1990, 1, 1)), person("E2", born=date(1990, 1, 1)),
              person("E3", born=date(1990, 1, 1), in_planning=False),
              *(Official(f"F{i}", "Tên", "male", date(1990, 1, 1), "X2", "office_statistics", "university",
                         "intermediate", general_education="upper_secondary") for i in range(3))]
    report = Engine(["hanoi-ke-hoach-188"], backend="reference", lang="vi").evaluate(people, units, AS_OF)
    (note,) = [n.message for n in report.notices if ("hanoi-ke-hoach-188", "rotation.eligible") in n.rules]
    assert note.endswith('cột "Quy hoạch" không có giá trị (chưa biết, không phải "không"); điền cột này để quy tắc '
                         "được xét")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "vi")))
    rows = list(book["Chưa xét được"].iter_rows(values_only=True))
    assert rows[0] == ("Gói", "Quy tắc", "Tên quy tắc", "Cột cần điền", "Đơn vị", "Tên đơn vị", "Quận/huyện",
                       "Số người chưa xét được", "Số CBCC của đơn vị")
    eligible = [r for r in rows[1:] if r[1] == "rotation.eligible"]
    assert [(r[3], r[4], r[5], r[6], r[7], r[8]) for r in eligible] == [
        ("Quy hoạch", "X1", "Xã Một", "Ba Vì", 2, 3), ("Quy hoạch", "X2", "Xã Hai", "Ba Vì", 3, 3)]
    html = render_html(report, "vi")
    assert "<summary>Chưa xét được, theo quy tắc và đơn vị (" in html
    assert ('<td>Quy hoạch</td><td>X1 Xã Một</td><td class="num" data-sort="2">2</td>'
            '<td class="num" data-sort="3">3</td>') in html
    redacted = openpyxl.load_workbook(io.BytesIO(render_xlsx(redact(report), "vi")))
    assert "Tên đơn vị" not in next(redacted["Chưa xét được"].iter_rows(values_only=True))
    english = Engine(["hanoi-ke-hoach-188"], backend="reference", lang="en").evaluate(people, units, AS_OF)
    assert any(n.endswith("column in_planning has no value (unknown, not 'no'); fill it in to have the rule decided")
               for n in english.notes)
    assert "undecided" in openpyxl.load_workbook(io.BytesIO(render_xlsx(english, "en"))).sheetnames  # (codes)


def test_a_value_derived_from_an_empty_column_is_unknown(tmp_path: Path, backend: str) -> None:
    """A function declaring that it reads ``ratings`` gives 0 for no ratings: the rule does not fire, and since
    0 stands on no data, the rule is counted as not decided (not as decided "no")."""

    def years_rated(ctx: OfficialContext) -> int:
        return len(ctx.official.ratings)

    class Plugin:
        @hookimpl
        def cadre_rules_register_functions(self, register: hookspecs.FunctionRegistrar) -> None:
            register("years_rated", years_rated, returns="int", reads=("ratings",))

    pack = tmp_path / "rated.toml"
    pack.write_text('[pack]\nid = "rated"\nversion = "1"\ntitle = "t"\n[[rule]]\nid = "replacement.rated"\n'
                    'family = "replacement"\nwhen = "years_rated() >= 2"\nmessage = "m"\ncite = "c"\n',
                    encoding="utf-8")
    people = [person("N1"), person("N2", ratings=((2023, "good"),)),
              person("N3", ratings=((2022, "good"), (2023, "good")))]
    report = Engine([pack], plugins=[Plugin()], backend=backend).evaluate(people, UNITS, AS_OF)
    assert [f.subject_id for f in report.findings] == ["N3"]
    assert undecided(report, "replacement.rated") == {"ratings": 1}  # N1; N2 is decided (rated, once)


def test_a_rule_reading_two_unknown_columns_counts_each_official_under_each_column_it_misses(backend: str) -> None:
    """Every official is counted once per empty column the rule needed, exactly when the rule neither fired nor
    is decided by the values present: a count by hand over every pattern of missing columns."""
    pack = parse_pack({"pack": {"id": "two", "version": "1", "title": "two"},
                       "rule": [{"id": "rotation.two", "family": "rotation", "message": "m", "cite": "c",
                                 "when": "in_planning and months_in_post >= 12"}]})
    plans, posts = (None, True, False), (None, date(2020, 1, 1), date(2024, 1, 1))  # (months in post: 53, 5)
    people = [person(f"P{i}{j}-{k}", in_planning=planning, appointed_on=since)  # (i + j + 1 of each)
              for i, planning in enumerate(plans) for j, since in enumerate(posts) for k in range(i + j + 1)]
    report = Engine([pack], backend=backend).evaluate(people, UNITS, AS_OF)
    assert sorted(f.subject_id for f in report.findings) == ["P11-0", "P11-1", "P11-2"]  # in planning, 53 months
    # in_planning unknown: undecided unless 5 months in post (false whatever it is) — P00, P01;
    # appointed_on unknown: undecided unless not in planning — P00, P10; P00 misses both: counted under each
    assert undecided(report, "rotation.two") == {"in_planning": 1 + 2, "appointed_on": 1 + 2}
