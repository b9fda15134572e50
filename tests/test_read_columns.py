"""The engine reads the officials as columns and evaluates them a column at a time: the same report as from
their records, without making the record of every official (#17)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import OfficialTable
from cadre_rules import evaluate_as_asked
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules import report_to_json

EXAMPLES = Path(__file__).parent.parent / "examples"


def made(table: OfficialTable) -> int:
    return sum(record is not None for record in table._made)


@pytest.mark.parametrize(("sample", "as_of"), [("hanoi-2022", date(2024, 6, 30)), ("hanoi-2025", date(2025, 12, 31))])
def test_the_read_table_evaluates_as_its_records_making_few_of_them(sample: str, as_of: date) -> None:
    engine = Engine(plugins=False)
    officials, units = engine.read(EXAMPLES / sample / "officials.csv", EXAMPLES / sample / "units.csv")
    assert type(officials) is OfficialTable
    assert officials == load_officials(EXAMPLES / sample / "officials.csv", units={u.code: u for u in units})
    assert made(officials) == len(officials)  # (the comparison made them all: read it again)
    officials, units = engine.read(EXAMPLES / sample / "officials.csv", EXAMPLES / sample / "units.csv")
    report = engine.evaluate(officials, units, as_of)  # (the records' digest too: input.sha256)
    # the evaluation read columns: the records made are those whose derived fields were computed one by one
    # (the 2025 packs' extra_number(...) too: read once per distinct text of the input's column; the derived
    # fields from the distinct values they read)
    assert made(officials) < len(officials) // 4
    assert made(officials) == 0
    records = tuple(load_officials(EXAMPLES / sample / "officials.csv"))
    expected = engine.evaluate(records, load_units(EXAMPLES / sample / "units.csv"), as_of)
    assert report_to_json(report) == report_to_json(expected)


def test_load_officials_still_gives_a_tuple() -> None:
    officials = load_officials(EXAMPLES / "hanoi-2025" / "officials.csv")
    assert type(officials) is tuple and officials


@pytest.mark.parametrize(("sample", "as_of"), [("hanoi-2022", date(2024, 6, 30)), ("hanoi-2025", date(2025, 12, 31))])
def test_the_report_as_asked_makes_no_record_either(sample: str, as_of: date) -> None:
    """What the command line and the service add to the evaluation (the units without officials, the notes of the
    quotas that could not be computed…) reads the columns too: making every official's record cost the 100,000
    job 0.19 s of CPU."""
    engine = Engine(plugins=False)
    officials, units = engine.read(EXAMPLES / sample / "officials.csv", EXAMPLES / sample / "units.csv")
    evaluate_as_asked(engine, officials, units, as_of)
    assert made(officials) == 0


def test_a_scoped_report_makes_no_record_either() -> None:
    """A ``--scope`` (and one commune's own data, whose coverage is its units') reads the columns of the officials it
    keeps, not every official's record."""
    engine = Engine(plugins=False)
    sample = EXAMPLES / "hanoi-2025"
    officials, units = engine.read(sample / "officials.csv", sample / "units.csv")
    report = evaluate_as_asked(engine, officials, units, date(2025, 12, 31), scope="commune:00322")
    assert report.scope is not None and report.findings
    assert made(officials) == 0
