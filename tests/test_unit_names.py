"""A unit as the officer names it: what the workbook's unit column reads ("P. Tương Mai", "tương mai", the code),
``--scope commune:…`` and ``explain --unit`` find too (model/_unit_names.py, one place for the three)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.errors import InputError
from cadre_rules.model._unit_names import the_unit
from cadre_rules.model._unit_names import units_named

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hanoi-2025"

NAMES = {"00001": "Xã Tân Lập", "00002": "Phường Tân Lập", "00003": "Xã Tấn Lập", "00322": "Phường Tương Mai",
         "00004": "Phường Hoà Bình"}


@pytest.mark.parametrize(("ident", "codes"), [
    ("00322", ["00322"]),
    ("  00322 ", ["00322"]),
    ("Phường Tương Mai", ["00322"]),
    ("phường tương mai", ["00322"]),
    ("Tương Mai", ["00322"]),
    ("P. Tương Mai", ["00322"]),
    ("P.Tương Mai", ["00322"]),
    ("Tuong Mai", ["00322"]),            # typed without marks: no unit is spelt so
    ("Phường Hòa Bình", ["00004"]),      # the new tone placement of the name's "Hoà"
    ("Xã Tân Lập", ["00001"]),           # the name as written wins over the same name of another kind
    ("X. Tân Lập", ["00001"]),
    ("Tân Lập", ["00001", "00002"]),     # borne by two units
    ("Tan Lap", ["00001", "00002", "00003"]),
    ("Tương Mại", []),
    ("00005", []),
])
def test_a_unit_is_found_as_the_reader_finds_it(ident: str, codes: list[str]) -> None:
    assert units_named(ident, NAMES) == codes


def test_a_name_several_units_bear_asks_for_the_code() -> None:
    with pytest.raises(InputError) as raised:
        the_unit("Tân Lập", NAMES, "scope", "no unit")
    text = raised.value.text()
    assert "Xã Tân Lập (00001), Phường Tân Lập (00002)" in text
    assert text.count("scope") == 1
    with pytest.raises(InputError, match="no unit"):
        the_unit("Tương Mại", NAMES, "scope", "no unit")
    assert the_unit("P. Tương Mai", NAMES, "scope", "no unit") == "00322"


def _json(command: str, *args: str) -> str:
    fail_on = ("--fail-on", "never") if command == "evaluate" else ()
    result = CliRunner().invoke(cli, [command, str(SAMPLE), *args, "--as-of", "2025-12-31", "--format", "json",
                                      *fail_on, "--lang", "vi", "--no-plugins"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("spelt", ["P. Tương Mai", "tuong mai"])
def test_the_scope_and_explain_find_a_ward_as_the_officer_writes_it(spelt: str) -> None:
    assert _json("evaluate", "--scope", f"commune:{spelt}") == _json("evaluate", "--scope", "commune:00322")
    assert _json("explain", "--unit", spelt) == _json("explain", "--unit", "00322")
