"""A scoped report counts the scope's people only (``--scope``): what the rules could not decide, in the records,
the notices and the notes of every format; the unscoped report is unchanged."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules.packs._packs import parse_pack
from cadre_rules.render._text import render_text
from cadre_rules.report._scope import scope_report

AS_OF = date(2024, 6, 30)
UNITS = [Unit("X1", "Xã Một", "commune", 3, "Ba Vì", True), Unit("X2", "Xã Hai", "commune", 3, "Ba Vì", True),
         Unit("Y1", "Xã Ba", "commune", 3, "Sóc Sơn", True)]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def person(ident: str, unit: str, born: date = date(1980, 1, 1), **kw: object) -> Official:
    base: dict[str, object] = dict(education="university", political_theory="intermediate",
                                   general_education="upper_secondary")
    base.update(kw)
    return Official(ident, "Tên", "male", born, unit, "office_statistics", **base)  # type: ignore[arg-type]


def counts(report: Report, subject: str = "official") -> dict[tuple[str, str], int]:
    return {(u.rule, u.column): u.count for u in report.undecided if u.subject == subject}


def test_the_undecided_of_a_scope_are_its_officials() -> None:
    # low_confidence_share unknown: 3 in X1 (one of them known), 5 in X2, 2 in Y1 (district Sóc Sơn)
    people = [*(person(f"A{i}", "X1") for i in range(3)), person("A9", "X1", low_confidence_share=0),
              *(person(f"B{i}", "X2") for i in range(5)), *(person(f"C{i}", "Y1") for i in range(2))]
    report = Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(people, UNITS, AS_OF)
    rule = ("replacement.low_confidence", "low_confidence_share")
    assert counts(report)[rule] == 10
    for kind, name, expected in (("commune", "X1", 3), ("commune", "Xã Hai", 5), ("district", "Ba Vì", 8),
                                 ("district", "Sóc Sơn", 2)):
        scoped = scope_report(report, kind, name, "en")
        assert counts(scoped)[rule] == expected
        note = (f'rule "Low-confidence vote: dismissal to consider" not decided for {expected} officials: column '
                "low_confidence_share has no value")
        assert sum(note in n for n in scoped.notes) == 1
        assert sum(note in n.message for n in scoped.notices if n.kind == "undecided") == 1
        assert not any("for 10 officials" in n for n in scoped.notes)  # (the whole input's count is gone)
        data = json.loads(report_to_json(scoped))
        assert {"pack": "hanoi-de-an-34", "rule": rule[0], "family": "replacement", "column": rule[1],
                "count": expected, "subject": "official"} in data["undecided"]
        assert note in render_text(scoped, lang="en")
        # the other notes stay, in their place
        def others(r: Report) -> list[str]:
            return [n for n in r.notes if n not in {x.message for x in r.notices if x.kind == "undecided"}]

        assert others(scoped) == others(report)


def test_a_scope_where_every_rule_decided_has_no_undecided_note() -> None:
    people = [person("A1", "X1", low_confidence_share=0, ratings=((2022, "good"), (2023, "good"))), person("B1", "X2")]
    report = Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(people, UNITS, AS_OF)
    assert counts(report)[("replacement.low_confidence", "low_confidence_share")] == 1
    scoped = scope_report(report, "commune", "X1", "en")
    assert ("replacement.low_confidence", "low_confidence_share") not in counts(scoped)
    assert not any("low_confidence_share" in n for n in scoped.notes)


def test_a_data_gap_note_names_the_scope_subjects_only() -> None:
    # a unit rule's gap (standing_committee unknown in X1 and X2) and an official rule's gap (G*: age 35)
    pack = parse_pack({"pack": {"id": "gapped", "version": "1", "title": "gapped"},
                       "rule": [{"id": "rotation.gapped", "family": "rotation", "message": "m", "cite": "c",
                                 "when": "in_planning and age < 40", "gap": "in_planning is None and age == 35"}]})
    people = [person("S1", "X1", standing_committee=None), person("S2", "X2", standing_committee=None),
              person("G1", "X1", date(1989, 1, 1)), person("G2", "X2", date(1989, 1, 1)),
              person("G3", "X2", date(1989, 2, 1))]
    report = Engine(["hanoi-de-an-34", pack], backend="reference", lang="en").evaluate(people, UNITS, AS_OF)
    whole = counts(report, "unit")
    assert whole[("quota.woman_standing_committee", "standing_committee")] == 3  # (Y1: no one known either)
    assert whole[("rotation.gapped", "age")] == 3
    scoped = scope_report(report, "commune", "X1", "en")
    assert counts(scoped, "unit") == {("quota.woman_standing_committee", "standing_committee"): 1,
                                      ("rotation.gapped", "age"): 1, ("rotation.gapped", "in_planning"): 1}
    gaps = [n for n in scoped.notes if "data gap" in n]
    assert gaps == ["rule rotation.gapped: data gap, not evaluated for 1 subject: G1",  # (a rule without a name)
                    'rule "No woman on the party standing committee": data gap, not evaluated for 1 subject: X1 '
                    "Xã Một"]
    assert all("X2" not in n and "G2" not in n for n in scoped.notes)


def test_the_counts_of_the_units_add_up_to_the_whole() -> None:
    """Scoped to each unit in turn, the counts add up to the unscoped report's, rule by rule."""
    people = [person(f"P{i}", UNITS[i % 3].code, **({"low_confidence_share": 0} if i % 4 == 0 else {}),
                     **({"in_planning": True} if i % 5 == 0 else {})) for i in range(30)]
    report = Engine(["hanoi-de-an-34", "hanoi-ke-hoach-188"], backend="reference").evaluate(people, UNITS, AS_OF)
    total: dict[tuple[str, str], int] = {}
    for unit in UNITS:
        for key, n in counts(scope_report(report, "commune", unit.code)).items():
            total[key] = total.get(key, 0) + n
    assert total == counts(report) and total


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--fail-on", "never", "--lang", "vi"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt", ["json", "text", "csv"])
def test_the_officer_scoped_report_counts_the_ward(tmp_path: Path, fmt: str) -> None:
    """examples/hanoi-2025 scoped to Phường Tương Mai: the counts are those of an evaluation of the ward's
    officials alone (no note with the city's count), each at most the ward's officials whose cell is empty."""
    folder = EXAMPLES / "hanoi-2025"
    as_of = "2026-01-15"
    with (folder / "units.csv").open(encoding="utf-8") as f:
        (code,) = [row["code"] for row in csv.DictReader(f) if row["name"] == "Phường Tương Mai"]
    with (folder / "officials.csv").open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["unit"] == code]
    empty = sum(1 for row in rows if not row["low_confidence_share"])
    # the ward alone, as its own input
    alone = tmp_path / "alone"
    alone.mkdir()
    for name, column in (("officials.csv", "unit"), ("units.csv", "code")):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            table = list(csv.DictReader(f))
        with (alone / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, list(table[0]))
            writer.writeheader()
            writer.writerows(row for row in table if row[column] == code)
    _run("evaluate", str(alone), "--as-of", as_of, "--format", "json", "-o", str(tmp_path / "alone.json"))
    expected = {(u["rule"], u["column"]): u["count"]
                for u in json.loads((tmp_path / "alone.json").read_text(encoding="utf-8"))["undecided"]}
    assert expected and all(0 < n <= empty for n in expected.values())
    out = tmp_path / f"scoped.{fmt}"
    _run("evaluate", str(folder), "--as-of", as_of, "--scope", "commune:Phường Tương Mai", "--format", fmt,
         "-o", str(out))
    _run("evaluate", str(folder), "--as-of", as_of, "--format", "json", "-o", str(tmp_path / "city.json"))
    city = json.loads((tmp_path / "city.json").read_text(encoding="utf-8"))
    city_counts = {u["count"] for u in city["undecided"]}
    text = out.read_text(encoding="utf-8-sig")
    said = [int(n.replace(".", "")) for n in re.findall(r"chưa xét được cho ([\d.]+) người", text)]
    # (the rules that the same column leaves undecided for the same officials are said once: session 17; in one
    # ward, the same count of the same column)
    said_once = {(column, count) for (_rule, column), count in expected.items()}
    assert sorted(said) == sorted(count for _column, count in said_once)
    assert not city_counts & set(said)
    if fmt == "json":
        data = json.loads(text)
        assert {(u["rule"], u["column"]): u["count"] for u in data["undecided"]} == expected


def test_the_districts_not_aggregated_are_the_scope_units() -> None:
    people = [person("A1", "X1"), person("B1", "X2"), person("C1", "Y1")]
    units = [*UNITS, Unit("Z1", "Xã Bốn", "commune", 3, None, True)]  # (no district)
    report = Engine(["hanoi-de-an-34"], backend="reference", lang="en").evaluate(people, units, date(2025, 7, 1))
    (whole,) = [n for n in report.notices if n.kind == "districts"]
    assert "the districts of 3 units are not aggregated" in whole.message and whole.message in report.notes
    scoped = scope_report(report, "commune", "Xã Hai", "en")
    (notice,) = [n for n in scoped.notices if n.kind == "districts"]
    assert "the district of 1 unit is not aggregated" in notice.message
    assert [n for n in scoped.notes if "abolished" in n] == [notice.message]
    assert report.notes.index(whole.message) == scoped.notes.index(notice.message)  # (in its place)
    alone = scope_report(report, "commune", "Z1", "en")  # a unit without a district: no such notice
    assert not any(n.kind == "districts" for n in alone.notices) and not any("abolished" in n for n in alone.notes)
