"""Loading and validating policy packs."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from cadre_rules import PackError
from cadre_rules import load_pack
from cadre_rules._exits import option_of
from cadre_rules._i18n import translation
from cadre_rules.errors import named_by
from cadre_rules.packs._packs import parse_pack
from conftest import EVERY_CONSTRUCT

MINIMAL = """
[pack]
id = "mini"
version = "1"
title = "Mini"

[params]
limit = 35

[[rule]]
id = "young"
family = "quota"
when = "age < limit"
message = "{age} < {limit}"
cite = "x"
"""


def load_text(tmp_path: Path, text: str) -> object:
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def problems(tmp_path: Path, text: str) -> list[tuple[str | None, str]]:
    with pytest.raises(PackError) as info:
        load_text(tmp_path, text)
    return [(p.column, p.reason) for p in info.value.problems]


def test_every_construct_pack_loads() -> None:
    pack = load_pack(EVERY_CONSTRUCT)
    assert pack.id == "test-every-construct"
    assert pack.params["young_min_share"] == Fraction(1, 10)
    assert [q.target for q in pack.quotas] == [Fraction(1, 10), Fraction(15, 100), Fraction(1, 2)]
    assert pack.rules[4].escalate[0].severity == "warning"
    assert pack.rules[5].unless_families == ("qualification",)
    assert len(pack.sha256) == 64


def test_minimal_pack(tmp_path: Path) -> None:
    pack = load_text(tmp_path, MINIMAL)
    assert pack.rule_ids == ("young",)  # type: ignore[attr-defined]


def test_typo_in_field_is_located_with_suggestion(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace("age < limit", "educaton < 'university'"))
    assert found == [("rule[0] (young).when",
                      "unknown field 'educaton' for official rules in \"educaton < 'university'\"; "
                      "did you mean 'education'?")]


def test_import_in_expression_is_rejected(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL.replace('"age < limit"', "\"__import__('os').system('true')\""))
    assert len(found) == 1
    assert found[0][0] == "rule[0] (young).when"
    assert "only calls of registered functions" in found[0][1]
    found = problems(tmp_path, MINIMAL.replace("\"age < limit\"", "\"__import__('os')\""))
    assert found == [("rule[0] (young).when", "unknown function '__import__' for official rules in \"__import__('os')\"")]


def test_all_problems_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace('family = "quota"', 'family = "quotas"').replace('cite = "x"', 'cite = "x"\nseverty = "info"')
    text += '\n[[rule]]\nid = "young"\nfamily = "rotation"\nwhen = "age > 3"\nmessage = "{agee}"\ncite = "y"\n'
    found = problems(tmp_path, text)
    keys = [k for k, _ in found]
    assert "rule[0] (young).severty" in keys
    assert "rule[0] (young).family" in keys
    assert "rule[1].id" in keys  # duplicate id
    assert any("unknown placeholder {agee}" in r for _, r in found)
    assert any("did you mean 'severity'" in r for _, r in found)


@pytest.mark.parametrize(("mutation", "key", "reason"), [
    (('id = "mini"', 'id = "Mini Pack"'), "pack.id", "lowercase"),
    (('version = "1"', "version = 1"), "pack.version", "expected str"),
    (('[params]', '[pack.effective]\nfrom = 2025-01-01\nto = 2024-01-01\n\n[params]'), "pack.effective.to", "ends before"),
    (('title = "Mini"', 'title = "Mini"\nowner = "x"'), "pack.owner", "unknown key"),
    (('when = "age < limit"', 'when = "age < limit"\nsubject = "district"'), "rule[0] (young).subject", "expected"),
    # a commune's scope: codes as text (25 would never match the units file's "00025"), by the key units
    (("[params]", '[scope]\nunits = ["00004", 25]\n\n[params]'), "scope.units[1]", "expected text in quotes"),
    (("[params]", '[scope]\ndistricts = [1]\n\n[params]'), "scope.districts[0]", "expected text in quotes"),
    (("[params]", '[scope]\ncommunes = ["00025"]\n\n[params]'), "scope.communes",
     'communes and wards are written by their codes, units = ["00025", …]'),
])
def test_structural_problems(tmp_path: Path, mutation: tuple[str, str], key: str, reason: str) -> None:
    found = problems(tmp_path, MINIMAL.replace(*mutation))
    assert any(k == key and reason in r for k, r in found), found


def test_bad_toml_is_located(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL + "\n[[rule]\n")
    assert len(found) == 1 and "invalid TOML" in found[0][1] and "line" in found[0][1]


def test_an_integer_too_long_for_python_is_a_located_problem(tmp_path: Path) -> None:
    # tomllib raises ValueError (not TOMLDecodeError) for an integer of more than 4300 digits (found by test_fuzz)
    found = problems(tmp_path, MINIMAL + "\n[extra]\nbig = " + "9" * 5000 + "\n")
    assert len(found) == 1 and "invalid TOML" in found[0][1] and "digits" in found[0][1]


def test_overrides_are_typed_and_checked() -> None:
    data = tomllib.loads(MINIMAL)
    pack = parse_pack(data, overrides={"limit": "30"})
    assert pack.params["limit"] == 30
    assert pack.sha256 != parse_pack(data).sha256
    with pytest.raises(PackError, match="names no parameter"):
        parse_pack(data, overrides={"limt": "30"})
    with pytest.raises(PackError, match="bad params value") as info:  # (the API's Engine(params=…))
        parse_pack(data, overrides={"limit": "thirty"})
    assert "bad --param value" in named_by(info.value, option_of).text()  # (as the command line says it)


def test_quota_needs_exactly_one_bound(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[quota]]\nid = "q"\nnumerator = "age < 35"\nmin_share = 0.1\nmax_share = 0.5\nmessage = "m"\ncite = "c"\n'
    assert ("quota[0] (q)", "give exactly one of min_share or max_share") in problems(tmp_path, text)
    bad = MINIMAL + '\n[[quota]]\nid = "q"\nnumerator = "age < 35"\nmin_share = 1.5\nmessage = "m"\ncite = "c"\n'
    assert any(k == "quota[0] (q).min_share" for k, _ in problems(tmp_path, bad))


def test_in_effect() -> None:
    from datetime import date

    pack = load_pack(EVERY_CONSTRUCT)
    assert pack.in_effect(date(2020, 1, 1)) and pack.in_effect(date(2030, 12, 31))
    assert not pack.in_effect(date(2019, 12, 31)) and not pack.in_effect(date(2031, 1, 1))


def test_each_missing_key_of_the_pack_table_is_one_problem(tmp_path: Path) -> None:
    """A pack without a title (or without a [pack] table) says so once per missing key, located."""
    with pytest.raises(PackError) as error:
        load_text(tmp_path, '[pack]\nid = "x"\nversion = "1"\n')
    assert [(p.column, p.reason) for p in error.value.problems] == [("pack.title", "missing required key")]
    with pytest.raises(PackError) as error:
        load_text(tmp_path, 'pack = "x"\n')
    assert [p.column for p in error.value.problems] == ["pack", "pack.id", "pack.version", "pack.title"]


def test_an_unreadable_pack_says_why_in_the_reader_language(tmp_path: Path) -> None:
    with pytest.raises(PackError) as error:
        load_pack(tmp_path / "nothere.toml")
    (problem,) = error.value.problems
    assert problem.text(translation("vi").gettext) == f"{tmp_path / 'nothere.toml'}: không đọc được gói: không có " \
        "tệp hoặc thư mục này"
    assert problem.text() == f"{tmp_path / 'nothere.toml'}: cannot read the pack: No such file or directory"
    with pytest.raises(PackError) as error:
        load_pack(tmp_path)
    assert error.value.problems[0].text(translation("vi").gettext) == f"{tmp_path}: không đọc được gói: đây là một " \
        "thư mục"


@pytest.mark.parametrize(("text", "vi", "en"), [
    ('[pack]\nid = "x"\neffective = {from=2025-01-01\n',
     "TOML không hợp lệ: bảng trên một dòng chưa được đóng (thiếu '}') (ở dòng 3, cột 29)",
     "invalid TOML: Unclosed inline table (at line 3, column 29)"),
    ('x = "abc', "TOML không hợp lệ: chuỗi chưa được đóng (thiếu dấu nháy) (ở cuối tệp)",
     "invalid TOML: Unterminated string (at end of document)"),
    ("a = 1\na = 2\n", "TOML không hợp lệ: không thể ghi đè một giá trị đã có (ở dòng 2, cột 6)",
     "invalid TOML: Cannot overwrite a value (at line 2, column 6)"),
    ("[a]\n[a]\n", "TOML không hợp lệ: Cannot declare ('a',) twice (ở dòng 2, cột 3)",  # (said as the parser says)
     "invalid TOML: Cannot declare ('a',) twice (at line 2, column 3)"),
])
def test_a_toml_syntax_error_in_the_reader_language(tmp_path: Path, text: str, vi: str, en: str) -> None:
    """The parser's reason (where its words are known) and its line and column in Vietnamese under vi; English
    as the parser says it."""
    with pytest.raises(PackError) as error:
        load_text(tmp_path, text)
    (problem,) = error.value.problems
    assert problem.text(translation("vi").gettext) == f"{tmp_path / 'pack.toml'}: {vi}"
    assert problem.text() == f"{tmp_path / 'pack.toml'}: {en}"


def test_an_infinite_literal_is_refused_in_the_reader_language(tmp_path: Path) -> None:
    text = ('[pack]\nid = "x"\nversion = "1"\ntitle = "t"\n[[rule]]\nid = "a.b"\nfamily = "quota"\n'
            'when = "age < 1e999"\nmessage = "m"\ncite = "c"\n')
    with pytest.raises(PackError) as error:
        load_text(tmp_path, text)
    (problem,) = error.value.problems
    assert problem.text(translation("vi").gettext) == (
        f"{tmp_path / 'pack.toml'}, rule[0] (a.b).when: 'age': không phải là một số hữu hạn: inf "
        "(biểu thức 'age < 1e999')")
    assert problem.column == "rule[0] (a.b).when" and "not a finite number: inf" in problem.reason
