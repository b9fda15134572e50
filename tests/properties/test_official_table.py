"""The officials as the readers give them (OfficialTable): the same sequence as the tuple of their records, and
the same evaluation."""

from __future__ import annotations

import operator
from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import OfficialTable
from cadre_rules import Unit
from cadre_rules import report_to_json
from cadre_rules.model._table import column_of
from cadre_rules.model._table import taken
from strategies import as_of_dates
from strategies import populations

from ._support import scaled

NAMES = [field.name for field in attrs.fields(Official)]


def table_of(officials: list[Official]) -> OfficialTable:
    """The table a reader makes of the officials' columns (parsed: each record made when asked for)."""
    return OfficialTable.parsed({name: [getattr(o, name) for o in officials] for name in NAMES}, len(officials))


def made(table: OfficialTable) -> int:
    """How many of the table's records are made."""
    return sum(record is not None for record in table._made)


@settings(max_examples=scaled(1))
@given(populations(max_officials=8), st.data())
def test_a_table_is_the_tuple_of_its_records(population: tuple[list[Official], list[Unit]],
                                            data: st.DataObject) -> None:
    officials, _ = population
    records = tuple(officials)
    table = table_of(officials)
    n = len(records)
    assert len(table) == n
    assert made(table) == 0  # (nothing made until asked for)
    for i in [*range(n), *range(-n, 0)]:
        assert table[i] == records[i]
        assert table[i] is table[i]  # made once
    start, stop = data.draw(st.integers(-n - 1, n + 1)), data.draw(st.integers(-n - 1, n + 1))
    assert table[start:stop] == records[start:stop]
    assert table[::-1] == records[::-1]
    with pytest.raises(IndexError):
        table[n]
    with pytest.raises(IndexError):
        table[-n - 1]
    for name in NAMES:
        assert list(column_of(table, name)) == list(map(operator.attrgetter(name), records)), name
    positions = data.draw(st.lists(st.integers(0, n - 1), max_size=12)) if n else []
    some = table.take(positions)
    assert tuple(some) == tuple(records[p] for p in positions)
    assert [some[i] for i in range(len(some))] == [records[p] for p in positions]
    for name in NAMES:
        assert list(column_of(some, name)) == [getattr(records[p], name) for p in positions], name
    again = data.draw(st.lists(st.integers(0, len(positions) - 1), max_size=6)) if positions else []
    assert tuple(taken(some, again)) == tuple(records[positions[p]] for p in again)
    assert taken(records, positions) == [records[p] for p in positions]  # (a tuple's: a list)
    first = table[0] if n else None
    assert table == records and tuple(table) == records  # (iterating makes the rest, keeping those made)
    assert made(table) == n
    if first is not None:
        assert table[0] is first and next(iter(table)) is first
    assert table == table_of(officials)
    assert table != records[1:] or n == 0
    assert (table == list(records)) is False  # (as the tuple it stands for)
    assert table + records[:1] == records + records[:1] and records[:1] + table == records[:1] + records
    assert table + table == records + records and type(table + table) is tuple
    with pytest.raises(TypeError):
        table + list(records)  # type: ignore[operator]


def test_a_table_refuses_columns_that_are_not_an_officials() -> None:
    for make in (OfficialTable, OfficialTable.parsed):
        with pytest.raises(TypeError, match="not the fields of Official"):
            make({"id": ["a"]}, 1)
        columns: dict[str, list[object]] = {name: [None] for name in NAMES}
        columns["id"] = []
        with pytest.raises(ValueError, match="column 'id' has 0 values for 1 officials"):
            make(columns, 1)


@settings(max_examples=scaled(0.3))
@given(populations(max_officials=6, min_officials=2))
def test_a_table_made_by_hand_checks_its_values_as_official_does(
        population: tuple[list[Official], list[Unit]]) -> None:
    officials, _ = population
    columns: dict[str, list[object]] = {name: [getattr(o, name) for o in officials] for name in NAMES}
    columns["birth_date"] = [o.birth_date.isoformat() for o in officials]  # (text, converted as Official's)
    table = OfficialTable(columns, len(officials))
    assert table == tuple(officials) and list(column_of(table, "birth_date")) == [o.birth_date for o in officials]
    columns["gender"][1] = "unknown"
    columns["birth_date"][1] = "1990-02-30"
    with pytest.raises(InputError) as refused:
        OfficialTable(columns, len(officials))
    assert {(p.file, p.row, p.column) for p in refused.value.problems} == {
        ("<officials>", 2, "gender"), ("<officials>", 2, "birth_date")}


@settings(max_examples=scaled(0.3))
@given(populations(max_officials=12, hostile=False), as_of_dates)
def test_an_evaluation_of_a_table_is_the_evaluation_of_its_records(
        population: tuple[list[Official], list[Unit]], as_of: date) -> None:
    officials, units = population
    if not officials or min(o.birth_date for o in officials) > as_of:
        return  # (an as-of date before every birth is refused either way)
    engine = Engine(plugins=False)
    outcomes = []
    for records in (tuple(officials), table_of(officials)):  # refused input: refused the same way
        try:
            outcomes.append(report_to_json(engine.evaluate(records, units, as_of)))
        except CadreRulesError as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
    assert outcomes[1] == outcomes[0]
