"""The records' digest (``input.sha256`` of ``Engine.evaluate`` given records): it tells any two inputs apart."""

from __future__ import annotations

import pickle
from typing import TypeVar
from unittest import mock

import attrs
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.engine import _digest
from cadre_rules.engine._digest import OFFICIALS
from cadre_rules.engine._digest import UNITS
from cadre_rules.engine._digest import _text
from cadre_rules.engine._digest import columns
from cadre_rules.engine._digest import json_text
from cadre_rules.engine._digest import records_sha256
from strategies import officials
from strategies import populations
from strategies import units

from ._support import scaled

Population = tuple[list[Official], list[Unit]]


R = TypeVar("R", Official, Unit)


def _changed(record: R, other: R) -> list[tuple[str, R]]:
    """``record`` with one field taken from ``other``, for each field where they differ."""
    return [(field.name, attrs.evolve(record, **{field.name: getattr(other, field.name)}))
            for field in attrs.fields(type(record)) if getattr(record, field.name) != getattr(other, field.name)]


@settings(max_examples=scaled(1))
@given(population=populations(max_officials=8), data=st.data())
def test_inputs_that_differ_in_any_field_of_any_record_have_different_digests(population: Population,
                                                                               data: st.DataObject) -> None:
    people, places = population
    with mock.patch.object(_digest, "CHUNK", data.draw(st.sampled_from([2, 3, _digest.CHUNK]), label="chunk")):
        _differ_in_any_field(people, places, data)


def _differ_in_any_field(people: list[Official], places: list[Unit], data: st.DataObject) -> None:
    digest = records_sha256(people, places)
    assert records_sha256(*pickle.loads(pickle.dumps((people, places)))) == digest  # values, not objects
    codes = [u.code for u in places]
    if people:
        i = data.draw(st.integers(0, len(people) - 1), label="official")
        other = data.draw(officials(codes, people[i].id + "'"), label="other official")
        for name, changed in _changed(people[i], other):
            assert records_sha256([*people[:i], changed, *people[i + 1:]], places) != digest, name
    j = data.draw(st.integers(0, len(places) - 1), label="unit")
    other_unit = data.draw(units(j + 1), label="other units")[j]
    for name, unit in _changed(places[j], other_unit):
        assert records_sha256(people, [*places[:j], unit, *places[j + 1:]]) != digest, name


@settings(max_examples=scaled(0.5))
@given(population=populations(max_officials=8, max_units=4), data=st.data())
def test_the_order_of_the_records_counts(population: Population, data: st.DataObject) -> None:
    people, places = population
    with mock.patch.object(_digest, "CHUNK", data.draw(st.sampled_from([2, 3, _digest.CHUNK]), label="chunk")):
        _order_counts(people, places, data)


def _order_counts(people: list[Official], places: list[Unit], data: st.DataObject) -> None:
    digest = records_sha256(people, places)
    if len(people) >= 2:
        i, j = data.draw(st.lists(st.integers(0, len(people) - 1), min_size=2, max_size=2, unique=True))
        assert records_sha256(_swapped(people, i, j), places) != digest  # (unique ids: the records differ)
        assert records_sha256(people[:-1], places) != digest
    if len(places) >= 2:
        i, j = data.draw(st.lists(st.integers(0, len(places) - 1), min_size=2, max_size=2, unique=True))
        assert records_sha256(people, _swapped(places, i, j)) != digest
    assert records_sha256(people, places[:-1]) != digest


def _swapped(records: list[R], i: int, j: int) -> list[R]:
    out = list(records)
    out[i], out[j] = out[j], out[i]
    return out


@settings(max_examples=scaled(0.5))
@given(population=populations(max_officials=12))
def test_both_writers_give_the_same_text(population: Population) -> None:
    """json writes what orjson writes (so that where orjson refuses a value, json's text is the same encoding),
    and the columns are the records' fields."""
    people, places = population
    for kind, records in ((OFFICIALS, people), (UNITS, places)):
        read = columns(records, kind)
        assert read == [[getattr(r, name) for r in records] for name in kind.fields]
        assert _text(read) == json_text(read)
