"""The shared strategies keep their promises (the other properties rely on them)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import settings

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.io._io import official_to_row
from cadre_rules.io._io import unit_to_row
from cadre_rules.packs._catalogue import BUILTIN_FUNCTIONS
from cadre_rules.packs._expr import fields_of
from cadre_rules.packs._expr import parse
from cadre_rules.packs._packs import parse_pack
from strategies import PackOptions
from strategies import file_populations
from strategies import official_expressions
from strategies import pack_dicts
from strategies import populations
from strategies import unit_expressions

from ._support import scaled


@settings(max_examples=scaled(2))
@given(pack_dicts())
def test_random_packs_always_validate(data: dict[str, Any]) -> None:
    pack = parse_pack(data)
    assert pack.id == data["pack"]["id"]
    assert len(pack.rules) == len(data.get("rule", []))
    assert len(pack.quotas) == len(data.get("quota", []))
    assert len(pack.staffing) == len(data.get("staffing", []))


@settings(max_examples=scaled(1))
@given(pack_dicts(PackOptions(exclude=frozenset({"id", "unit", "code"}), static_staffing=True)))
def test_narrowed_packs_keep_out_what_they_exclude(data: dict[str, Any]) -> None:
    pack = parse_pack(data)
    read = {f.name for r in pack.rules for p in (r.where, r.when, r.gap, *(e.when for e in r.escalate)) if p
            for f in _fields(p)}
    read |= {f.name for q in pack.quotas for p in (q.population, q.numerator) for f in _fields(p)}
    assert not read & {"id", "unit", "code"}
    for table in pack.staffing:
        for req in table.requires:
            if req.where is not None:
                assert {f.name for f in _fields(req.where)} <= {"name", "kind", "unit_class", "district",
                                                                "has_council"}


def _fields(parsed: Any) -> list[Any]:
    out = list(fields_of(parsed.expr))
    for inner in parsed.tallies.values():
        out.extend(fields_of(inner.expr))
    return out


@settings(max_examples=scaled(2))
@given(official_expressions(), unit_expressions())
def test_random_expressions_type_check(official_text: str, unit_text: str) -> None:
    assert parse(official_text, subject="official", functions=BUILTIN_FUNCTIONS).text == official_text.strip()
    assert parse(unit_text, subject="unit", functions=BUILTIN_FUNCTIONS).text == unit_text.strip()


@settings(max_examples=scaled(1))
@given(populations())
def test_populations_have_unique_ids_and_known_units(population: tuple[list[Official], list[Unit]]) -> None:
    people, places = population
    codes = [u.code for u in places]
    assert places and len(set(codes)) == len(codes)
    assert len({o.id for o in people}) == len(people)
    assert all(o.unit in codes for o in people)
    _ends_after_starts(people)


def _ends_after_starts(people: list[Official]) -> None:
    """A term does not end before the appointment, nor a secondment before it began (the readers refuse it)."""
    for o in people:
        for end, start in ((o.term_ends, o.appointed_on), (o.secondment_until, o.secondment_since)):
            assert end is None or start is None or end >= start, o


@settings(max_examples=scaled(1))
@given(file_populations())
def test_file_records_can_be_written(population: tuple[list[Official], list[Unit]]) -> None:
    people, places = population
    _ends_after_starts(people)
    for o in people:
        official_to_row(o)  # raises ValueError for what a file cannot hold
    for u in places:
        unit_to_row(u)
