"""Issue 18, silent misreading: what the readers used to accept in silence is now a located error —
duplicate JSON keys, NaN, lone surrogates, deep nesting, invisible characters in ids and codes,
impossible date orders, a council post where there is no council, and a pack shadowing a built-in one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import PackError
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.packs._registry import builtin_pack_dir
from cadre_rules.report._waivers import load_baseline
from test_cli import PACK
from test_cli import _data

HEADER = "id,full_name,gender,birth_date,unit,position,education,political_theory"
UNITS = "code,name,kind,class,district,has_council\nX01,Xã Một,commune,1,Huyện A,true\nW01,Phường Hai,ward,1,Quận B,false\n"
ROW = "{id},Nguyễn Văn A,male,1975-03-01,{unit},{position},university,advanced"


def officials_csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "officials.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def units(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    return {u.code: u for u in load_units(path)}


def problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(InputError) as info:
        load_officials(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def record(**fields: object) -> dict[str, object]:
    return {"id": "A1", "full_name": "Nguyễn Văn A", "gender": "male", "birth_date": "1975-03-01", "unit": "X01",
            "position": "party_secretary", "education": "university", "political_theory": "advanced", **fields}


# --------------------------------------------------------------------------- JSON


def test_a_duplicate_json_key_is_refused_with_its_pointer(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    path.write_text('[{"id": "A1", "full_name": "x", "id": "B2"}]', encoding="utf-8")
    assert problems(path) == [f"{path}, /0/id: duplicate key: the object has it twice (JSON readers keep one in "
                              "silence) (got 'id')"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(tmp_path: Path, constant: str) -> None:
    path = tmp_path / "officials.json"
    text = json.dumps([record(id="A1"), record(id="A2")], ensure_ascii=False)
    path.write_text(text.replace('"full_name": "Nguyễn Văn A"', f'"full_name": {constant}', 1), encoding="utf-8")
    assert problems(path) == [f"{path}, /0/full_name: not a JSON number (NaN and Infinity are not allowed) "
                              f"(got {constant!r})"]


def test_non_finite_numbers_in_json_lines_carry_the_line(tmp_path: Path) -> None:
    path = tmp_path / "officials.jsonl"
    good = json.dumps(record(id="A1"))
    path.write_text(good + "\n" + good.replace('"A1"', '"A2"').replace('"university"', "NaN") + "\n",
                    encoding="utf-8")
    assert problems(path) == [f"{path}, row 2, /education: not a JSON number (NaN and Infinity are not allowed) "
                              "(got 'NaN')"]


def test_a_lone_surrogate_in_an_id_is_located(tmp_path: Path) -> None:
    path = tmp_path / "officials.json"
    path.write_text(json.dumps([record(id="A1"), record(id="B\ud800")]), encoding="utf-8")
    (found,) = problems(path)
    assert found.startswith(f"{path}, /1/id: a lone surrogate escape")


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_refused_without_a_traceback(tmp_path: Path, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    path = tmp_path / "officials.json"
    path.write_text(json.dumps([record()]).replace('"A1"', nested), encoding="utf-8")
    expected = (f"{path}: nested deeper than the limit MAX_JSON_DEPTH = 64" if depth > 1000 else
                f"{path}, /0/id: expected text, a number or a boolean (got '[[[[…]]]]')")
    assert problems(path) == [expected]


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_baseline_is_refused(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"findings": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    with pytest.raises(InputError, match="nested deeper than the limit MAX_JSON_DEPTH = 64"):
        load_baseline(path)


def test_a_baseline_with_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"schema": "cadre-rules/report/v1", "findings": [], "findings": []}', encoding="utf-8")
    with pytest.raises(InputError, match="/findings: duplicate key"):
        load_baseline(path)


# --------------------------------------------------------------------------- invisible characters


@pytest.mark.parametrize(("char", "name"), [("\u200b", "U+200B (ZERO WIDTH SPACE)"), ("\ufeff", "U+FEFF"),
                                            ("\u200d", "U+200D (ZERO WIDTH JOINER)"), ("\x00", "U+0000"),
                                            ("\u00a0", "U+00A0 (NO-BREAK SPACE)")])
def test_an_invisible_character_cannot_sneak_a_duplicate_id_past(tmp_path: Path, char: str, name: str) -> None:
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party_secretary"),
                         ROW.format(id=f"A{char}1", unit="X01", position="committee_chair"))
    (found,) = problems(path)
    assert found.startswith(f"{path}, row 3, id: contains an invisible character {name}")
    assert "ids and codes are compared exactly" in found


def test_invisible_characters_in_unit_codes_and_districts(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,class,district\nX\u200b01,Xã,commune,1,Huyện A\nX02,Xã,commune,1,Huyện\u200bA\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_units(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "code"), (3, "district")]


def test_an_invisible_character_in_a_code_is_refused(tmp_path: Path) -> None:
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party\u200b_secretary"))
    (found,) = problems(path)
    assert found.startswith(f"{path}, row 2, position: unknown position")


# --------------------------------------------------------------------------- dates and posts


def test_appointed_before_birth_is_located(tmp_path: Path) -> None:
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party_secretary") + ",1970-01-01,",
                         header=HEADER + ",appointed_on,secondment_since")
    assert problems(path) == [f"{path}, row 2, appointed_on: appointed_on is before birth_date (1975-03-01) "
                              "(got '1970-01-01')"]


def test_a_council_post_in_a_unit_without_a_council_is_located(tmp_path: Path) -> None:
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="W01", position="council_chair") + ",",
                         ROW.format(id="A2", unit="W01", position="party_secretary") + ",council_vice_chair",
                         ROW.format(id="A3", unit="X01", position="council_chair") + ",",
                         header=HEADER + ",concurrent_positions")
    assert problems(path, units=units(tmp_path)) == [
        f"{path}, row 2, position: a council post in unit 'W01', which has no council (has_council is false) "
        "(got 'council_chair')",
        f"{path}, row 3, concurrent_positions: a council post in unit 'W01', which has no council "
        "(has_council is false) (got 'council_vice_chair')",
    ]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_born_after_the_as_of_date_is_an_error(tmp_path: Path) -> None:
    data = _data(tmp_path / "d")
    text = (data / "officials.csv").read_text(encoding="utf-8")
    (data / "officials.csv").write_text(text.replace("1975-03-02", "2031-03-02"), encoding="utf-8")
    result = run("evaluate", data, "--pack", PACK, "--as-of", "2025-06-30", "--backend", "reference")
    assert result.exit_code == 2
    assert f"{data / 'officials.csv'}, birth_date: official 'O02' was born after the as-of date 2025-06-30 " \
        "(got '2031-03-02')" in result.stderr
    assert "Bí Mật" not in result.output


def test_an_as_of_date_before_everyone_was_born_is_an_error(tmp_path: Path) -> None:
    data = _data(tmp_path / "d")
    result = run("evaluate", data, "--pack", PACK, "--as-of", "1950-01-01", "--backend", "reference")
    assert result.exit_code == 2
    assert ("--as-of: the as-of date is before the birth of every official (the first was born on 1975-03-01): "
            "is the date right? (got '1950-01-01')") in result.stderr


# --------------------------------------------------------------------------- packs


@pytest.fixture
def shadow(tmp_path: Path) -> Path:
    """A pack file with the id of a built-in pack and other rules."""
    text = (builtin_pack_dir() / "vn-nd33-2023.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('version = "', 'version = "9', 1), encoding="utf-8")
    return path


def test_a_pack_file_shadowing_a_builtin_is_refused(shadow: Path, tmp_path: Path) -> None:
    data = _data(tmp_path / "d")
    result = run("evaluate", data, "--pack", shadow, "--as-of", "2025-06-30")
    assert result.exit_code == 2
    assert f"{shadow}, pack.id: pack id 'vn-nd33-2023' is the id of an installed pack" in result.stderr
    assert "--replace-pack" in result.stderr
    replaced = run("evaluate", data, "--pack", shadow, "--as-of", "2025-06-30", "--replace-pack", "--format", "json")
    assert replaced.exit_code in (0, 1), replaced.output
    assert json.loads(replaced.stdout)["packs"][0]["version"].startswith("9")


def test_the_builtin_file_itself_is_not_shadowing() -> None:
    engine = Engine([builtin_pack_dir() / "vn-nd33-2023.toml"], plugins=False)
    assert [p.id for p in engine.packs] == ["vn-nd33-2023"]


def test_the_api_refuses_shadowing_too(shadow: Path) -> None:
    with pytest.raises(PackError, match="is the id of an installed pack") as info:
        Engine([shadow])
    assert "or pass replace_packs=True to evaluate it" in str(info.value) and "--" not in str(info.value)
    assert Engine([shadow], replace_packs=True).packs[0].version.startswith("9")


@pytest.mark.skipif(not __import__("cadre_rules.engine._durable", fromlist=["AVAILABLE"]).AVAILABLE, reason="no durable")
def test_a_backend_failure_names_the_pack_subject_fields_and_rules() -> None:
    from datetime import date

    from cadre_rules import EvaluationError
    from cadre_rules import Official
    from cadre_rules import Unit

    engine = Engine([PACK], backend="durable", plugins=False)
    official = Official("B\ud800", "A", "male", date(1970, 1, 1), "U1", "party_secretary", "university", "advanced")
    with pytest.raises(EvaluationError) as info:  # an API record the readers would have refused
        engine.evaluate([official], [Unit("U1", "Xã", "commune", 1, "Huyện", True)], date(2025, 1, 1))
    text = str(info.value)
    assert text.startswith("pack test-every-construct@1: durable-rules failed on subject 'B\\ud800' (fields ")
    assert "rules qualification.degree, qualification.theory" in text


def test_a_date_before_the_one_it_follows_is_named_by_the_headers_in_vietnamese(tmp_path: Path) -> None:
    """A post begun before birth and a term that ends before it began: located at the later date, both columns
    named as the officer's workbook names them under vi (the contract names under en)."""
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party_secretary")
                         + ",1970-01-01,2020-01-01",
                         header=HEADER + ",appointed_on,term_ends")
    assert problems(path) == [
        f"{path}, row 2, appointed_on: appointed_on is before birth_date (1975-03-01) (got '1970-01-01')"]
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party_secretary")
                         + ",2021-06-01,2020-01-01",
                         header=HEADER + ",appointed_on,term_ends")
    with pytest.raises(InputError) as info:
        load_officials(path)
    (found,) = info.value.problems
    assert str(found) == f"{path}, row 2, term_ends: term_ends is before appointed_on (2021-06-01) (got '2020-01-01')"
    assert found.text(translation("vi").gettext) == (
        f"{path}, dòng 2, Ngày hết nhiệm kỳ: Ngày hết nhiệm kỳ trước Ngày bổ nhiệm (01/06/2021) "
        "(giá trị đọc được: '2020-01-01')")


def test_the_date_compared_with_is_written_as_the_reader_writes_dates(tmp_path: Path) -> None:
    """The officer wrote dd/mm/yyyy: the offending value is shown as written, the date it is compared with in
    the reader's format (Vietnamese 01/10/2020, English ISO), each at its row and column."""
    path = officials_csv(tmp_path, ROW.format(id="A1", unit="X01", position="party_secretary").replace(
        "1975-03-01", "01/03/1975") + ",01/10/2020,30/09/2020,15/02/1975,,",
                         ROW.format(id="A2", unit="X01", position="committee_chair") + ",,,03/04/2019,02/04/2019,",
                         header=HEADER + ",appointed_on,term_ends,secondment_since,secondment_until,in_planning")
    with pytest.raises(InputError) as info:
        load_officials(path)
    vi = [p.text(translation("vi").gettext) for p in info.value.problems]
    en = [p.text() for p in info.value.problems]
    assert vi == [
        f"{path}, dòng 2, Biệt phái từ: Biệt phái từ trước Ngày sinh (01/03/1975) (giá trị đọc được: '15/02/1975')",
        f"{path}, dòng 2, Ngày hết nhiệm kỳ: Ngày hết nhiệm kỳ trước Ngày bổ nhiệm (01/10/2020) "
        "(giá trị đọc được: '30/09/2020')",
        f"{path}, dòng 3, Biệt phái đến: Biệt phái đến trước Biệt phái từ (03/04/2019) "
        "(giá trị đọc được: '02/04/2019')"]
    assert en == [
        f"{path}, row 2, secondment_since: secondment_since is before birth_date (1975-03-01) (got '15/02/1975')",
        f"{path}, row 2, term_ends: term_ends is before appointed_on (2020-10-01) (got '30/09/2020')",
        f"{path}, row 3, secondment_until: secondment_until is before secondment_since (2019-04-03) "
        "(got '02/04/2019')"]
