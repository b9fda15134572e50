"""The digest of records given in code (``input.sha256`` when ``Engine.evaluate`` is given none): its text, the
same in any process, and every value a record may hold (properties: tests/properties/test_digest.py)."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import attrs
import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules.engine import _digest
from cadre_rules.engine._digest import OFFICIALS
from cadre_rules.engine._digest import columns
from cadre_rules.engine._digest import records_sha256

EXAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2022"

UNITS = [Unit("U1", 'Xã "A"', "commune", 3, "Ba Vì", True, extra={"ghi chú": "x"}),
         Unit("U2\\", "Phường B", "ward", None, None, False)]
OFFICIALS_ = [
    Official("O1", "Nguyễn\tA", "female", date(1980, 2, 29), "U1", "party_secretary", "university", "advanced",
             concurrent_positions=("council_chair",), standing_committee=True, field_of_study="Luật",
             appointed_on=date(2021, 6, 1), in_planning=False, ratings=((2022, "good"), (2023, "excellent")),
             discipline=((date(2024, 1, 10), "reprimand"),), low_confidence_share=Fraction(2, 3),
             secondment_since=date(999, 1, 2), is_local=True, secondment_until=date(2025, 12, 31),
             term_ends=date(2026, 5, 31), extra={"b": "1", "a": "\x00"}),
    Official("O2", "B", "male", date(1990, 1, 1), "U2\\", "other", "none", "none"),
]


def test_the_text_hashed_is_the_documented_one() -> None:
    """The digest is the SHA-256 of this text (the module's docstring): written out here, so that a change of
    the encoding, or of orjson's output, on any Python (CI runs 3.11 and 3.13) fails this test."""
    expected = (
        "cadre-rules records v1\n"
        "units 2: code,name,kind,unit_class,district,has_council,extra\n"
        "officials 2: id,full_name,gender,birth_date,unit,position,education,political_theory,concurrent_positions,"
        "category,standing_committee,general_education,field_of_study,appointed_on,in_planning,ratings,discipline,"
        "low_confidence_share,under_investigation,secondment_since,is_local,secondment_until,term_ends,extra\n"
        '[["U1","U2\\\\"],["Xã \\"A\\"","Phường B"],["commune","ward"],[3,null],["Ba Vì",null],[true,false],'
        '[{"ghi chú":"x"},{}]]'
        '[["O1","O2"],["Nguyễn\\tA","B"],["female","male"],["1980-02-29","1990-01-01"],["U1","U2\\\\"],'
        '["party_secretary","other"],["university","none"],["advanced","none"],[["council_chair"],[]],'
        '["cadre",null],[true,null],[null,null],["Luật",null],["2021-06-01",null],[false,null],'
        '[[[2022,"good"],[2023,"excellent"]],[]],[[["2024-01-10","reprimand"]],[]],[[2,3],null],[false,false],'
        '["0999-01-02",null],[true,null],["2025-12-31",null],["2026-05-31",null],[{"a":"\\u0000","b":"1"},{}]]'
    )
    assert records_sha256(OFFICIALS_, UNITS) == hashlib.sha256(expected.encode()).hexdigest()


def test_the_same_records_give_the_same_digest_in_another_process() -> None:
    """Read from the same files, and the same records sent over (new objects), in a process whose string
    hashes are salted differently: the digest depends on the values only."""
    officials, units = load_officials(EXAMPLE / "officials.csv"), load_units(EXAMPLE / "units.csv")
    records = pickle.dumps((OFFICIALS_, UNITS))
    script = ("import pickle, sys\n"
              "from cadre_rules import load_officials, load_units\n"
              "from cadre_rules.engine._digest import records_sha256\n"
              "print(records_sha256(load_officials(sys.argv[1] + '/officials.csv'),"
              " load_units(sys.argv[1] + '/units.csv')))\n"
              "print(records_sha256(*pickle.loads(sys.stdin.buffer.read())))\n")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script, str(EXAMPLE)], input=records, capture_output=True,
                             env=env, check=True, timeout=120).stdout.decode().split()
        assert out == [records_sha256(officials, units), records_sha256(OFFICIALS_, UNITS)]
    assert len(officials) > _digest.CHUNK  # (the sample spans chunks)


def test_values_orjson_refuses_are_written_by_json() -> None:
    """A lone surrogate in a name and a year past 64 bits (an API record may hold both): digested, told apart."""
    base = records_sha256(OFFICIALS_, UNITS)
    surrogate = attrs.evolve(OFFICIALS_[1], full_name="B\ud800")
    huge = attrs.evolve(OFFICIALS_[1], ratings=((2**70, "good"),))
    digests = {base, records_sha256([OFFICIALS_[0], surrogate], UNITS), records_sha256([OFFICIALS_[0], huge], UNITS),
               records_sha256([OFFICIALS_[0], attrs.evolve(huge, ratings=((2**70 + 1, "good"),))], UNITS)}
    assert len(digests) == 4


def test_records_of_a_subclass_are_read_field_by_field() -> None:
    @attrs.frozen(slots=True)
    class Kept(Official):
        pass

    kept = [Kept(**{f.name: getattr(o, f.name) for f in attrs.fields(Official)}) for o in OFFICIALS_]
    assert columns(kept, OFFICIALS) == columns(OFFICIALS_, OFFICIALS)
    assert records_sha256(kept, UNITS) == records_sha256(OFFICIALS_, UNITS)


def test_equal_extras_give_the_same_digest() -> None:
    """Any mapping, its keys in any order: equal records, the same digest."""
    proxy = attrs.evolve(OFFICIALS_[0], extra=MappingProxyType(dict(OFFICIALS_[0].extra)))
    reordered = attrs.evolve(OFFICIALS_[0], extra=dict(reversed(OFFICIALS_[0].extra.items())))
    assert reordered == OFFICIALS_[0] and list(reordered.extra) != list(OFFICIALS_[0].extra)
    for official in (proxy, reordered):
        assert records_sha256([official, OFFICIALS_[1]], UNITS) == records_sha256(OFFICIALS_, UNITS)


@pytest.mark.parametrize("field", ["full_name", "extra", "term_ends"])
def test_the_report_names_the_records_digest(field: str) -> None:
    """``Engine.evaluate`` given records reports their digest (a field no pack reads changes it), and the
    digest it is given where there is one (the CLI's: the files' bytes)."""
    engine = Engine(plugins=False)
    report = engine.evaluate(OFFICIALS_, UNITS, date(2024, 6, 30))
    assert report.input_sha256 == records_sha256(OFFICIALS_, UNITS)
    other = {"full_name": "Nguyễn\tB", "extra": {"b": "1"}, "term_ends": date(2026, 6, 1)}[field]
    changed = [attrs.evolve(OFFICIALS_[0], **{field: other}), OFFICIALS_[1]]
    assert engine.evaluate(changed, UNITS, date(2024, 6, 30)).input_sha256 != report.input_sha256
    assert engine.evaluate(changed, UNITS, date(2024, 6, 30), input_sha256="ab" * 32).input_sha256 == "ab" * 32
