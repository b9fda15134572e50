"""A misspelt unit code in a pack's ``[scope] units``: the report's note says which unit of the input it probably
meant, and ``packs validate --units FILE`` refuses a code the units file does not have (exit 2), located at the
pack's file and key, with the same suggestion."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.packs._scope_codes import closest_code
from subsets import sample_subset
from test_pending_packs import LOCAL_DEGREE_RULE

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"


def _pack(folder: Path, *codes: str) -> Path:
    path = folder / "tuong-mai-local.toml"
    units = ", ".join(f'"{c}"' for c in codes)
    path.write_text(f"""[pack]
id = "tuong-mai-local"
version = "2025.07"
title = {{ vi = "Quy định của phường", en = "The ward's rules" }}
effective = {{ from = 2025-07-01 }}

[scope]
units = [{units}]
{LOCAL_DEGREE_RULE}""", encoding="utf-8")
    return path


def _notes(data: Path, *args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", "31/12/2025", "--backend", "reference",
                                      "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    notes: list[str] = json.loads(result.stdout)["notes"]
    return notes


def test_the_note_says_which_unit_the_code_probably_meant(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "0322")
    en = _notes(SAMPLE, "--pack", str(pack), "--pack", "hanoi-de-an-34", "--lang", "en", "--no-plugins")
    assert "pack tuong-mai-local@2025.07 covers no unit of the input (its scope: 0322); did you mean 00322 Phường " \
           "Tương Mai for 0322?" in en
    vi = _notes(SAMPLE, "--pack", str(pack), "--pack", "hanoi-de-an-34", "--lang", "vi", "--no-plugins")
    assert "gói tuong-mai-local@2025.07 không áp dụng cho đơn vị nào trong dữ liệu (phạm vi của gói: 0322); có phải " \
           "là 00322 Phường Tương Mai thay cho 0322?" in vi
    # one code right and one misspelt: the pack applies to the first, and the note names the second's
    both = _notes(SAMPLE, "--pack", str(_pack(tmp_path, "00004", "0322")), "--pack", "hanoi-de-an-34", "--lang", "en",
                  "--no-plugins")
    assert "pack tuong-mai-local@2025.07: its scope names 0322, not in the input; it applies to the other units of " \
           "its scope; did you mean 00322 Phường Tương Mai for 0322?" in both


def test_a_commune_s_own_data_keep_the_note_of_its_own_misspelt_plugin(tmp_path: Path,
                                                                       installed: Callable[..., None]) -> None:
    """One commune's data leave out the notes on other units' plugins, not the one that misspells its code."""
    pack = _pack(tmp_path, "0322")

    class TuongMai:
        @hookimpl
        def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
            register(pack)

    installed(tuong_mai=TuongMai())
    data = sample_subset(SAMPLE, tmp_path / "ward", "00322")
    notes = _notes(data, "--lang", "en")
    assert any(n.endswith("did you mean 00322 Phường Tương Mai for 0322?") for n in notes)


def test_packs_validate_with_units_refuses_an_unknown_scope_code(tmp_path: Path) -> None:
    runner = CliRunner()
    units = str(SAMPLE / "units.csv")
    pack = _pack(tmp_path, "00004", "0322", "99999")
    result = runner.invoke(cli, ["packs", "validate", str(pack), "--units", units], env={"LC_ALL": "en_US.UTF-8"})
    assert result.exit_code == 2
    assert f"{pack}, scope.units: no unit of this code in {units}; did you mean 00322? (got '0322')" in result.output
    assert f"{pack}, scope.units: no unit of this code in {units} (got '99999')" in result.output
    assert "Traceback" not in result.output
    vi = runner.invoke(cli, ["packs", "validate", str(pack), "--units", units], env={"LC_ALL": "vi_VN.UTF-8"})
    assert f"scope.units: không có đơn vị nào mang mã này trong {units}; có phải là 00322?" in vi.output
    # every code known, or no units file: valid
    assert runner.invoke(cli, ["packs", "validate", str(_pack(tmp_path, "00004", "00322")), "--units",
                               units]).exit_code == 0
    assert runner.invoke(cli, ["packs", "validate", str(pack)]).exit_code == 0


def test_closest_code_is_one_character_away() -> None:
    codes = {"00322", "00433", "00004"}
    assert closest_code("00332", codes) == "00322"  # (00433 is as like it for difflib)
    assert closest_code("03022", codes) == "00322"  # two swapped
    assert closest_code("0322", codes) == "00322"
    assert closest_code("0004", codes) == "00004"
    assert closest_code("12345", codes) is None
    assert closest_code("X1", {"X2", "X10"}) is None  # (short codes: one character is another unit)
