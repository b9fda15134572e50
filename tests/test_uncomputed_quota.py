"""A quota that reads a column the input does not have could not be computed, and the report says so (session 18:
Ba Vì's quota.ethnic_minority showed 0/0 in its 8 communes without a word that the officials file has no
``ethnicity`` column), as the rules that could not be decided are said."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import evaluate_as_asked
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules._cli import cli
from subsets import with_city_units

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
PACK = """
[pack]
id = "ethnic"
version = "1"
title = { vi = "Dân tộc", en = "Ethnicity" }
effective = { from = 2025-07-01 }

[[quota]]
id = "quota.ethnic_minority"
name = { vi = "Cán bộ chủ chốt là người dân tộc thiểu số", en = "Ethnic-minority key officials" }
family = "quota"
population = "is_key"
numerator = "extra_text('ethnicity') != 'Kinh'"
min_share = 0.2
scopes = ["city"]
message = "{scope}: {value}"
cite = "x"
"""
NOTE = {"en": 'quota "Ethnic-minority key officials" (ethnic/quota.ethnic_minority) could not be computed: it '
              'reads the column "ethnicity", which the officials file does not have (its 0/0 is not a result); add '
              'the column to compute it',
        "vi": 'chưa tính được chỉ tiêu "Cán bộ chủ chốt là người dân tộc thiểu số" (ethnic/quota.ethnic_minority): '
              'chỉ tiêu này đọc cột "ethnicity" mà tệp cán bộ, công chức không có (kết quả 0/0 không phải là kết quả '
              'thật); thêm cột này để tính được chỉ tiêu'}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_quota_reading_a_missing_column_is_said_not_computed(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "ethnic.toml"
    path.write_text(PACK, encoding="utf-8")
    engine = Engine(packs=[load_pack(path)], plugins=False, lang=lang)
    officials, units = load_officials(SAMPLE / "officials.csv"), load_units(SAMPLE / "units.csv")
    report = evaluate_as_asked(engine, officials, units, date(2025, 12, 31))
    assert report.notes.count(NOTE[lang]) == 1
    assert [(n.kind, n.severity) for n in report.notices if n.message == NOTE[lang]] == [("undecided", "warning")]
    # the column given (by one official even): computed, no note
    given = [attrs.evolve(o, extra={**o.extra, "ethnicity": "Mường"}) if i == 0 else o
             for i, o in enumerate(officials)]
    assert NOTE[lang] not in evaluate_as_asked(engine, given, units, date(2025, 12, 31)).notes


@pytest.fixture(scope="module")
def ethnic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack above, its quota of the city's and of each commune's officials."""
    path = tmp_path_factory.mktemp("ethnic") / "ethnic.toml"
    path.write_text(PACK.replace('scopes = ["city"]', 'scopes = ["city", "unit"]'), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai's officials (00322) with the city's 126 units: a commune's own data."""
    return with_city_units(SAMPLE, tmp_path_factory.mktemp("ward") / "data", "00322".__eq__)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("about", [("--unit", "00322"), ("--city",)], ids=["unit", "city"])
def test_explain_says_the_quota_it_shows_could_not_be_computed(ethnic: Path, lang: str,
                                                               about: tuple[str, ...]) -> None:
    """Session 19: explain's quota view shows the quota's 0/0, and says (the report's note, by the same function)
    that it is not a result; once, in the text and the json."""
    args = ("explain", str(SAMPLE), *about, "--pack", str(ethnic), "--lang", lang)
    assert _run(*args).count(NOTE[lang]) == 1
    assert json.loads(_run(*args, "--format", "json"))["notes"].count(NOTE[lang]) == 1


@pytest.mark.parametrize("data", ["city", "own"])
def test_project_says_the_quota_could_not_be_computed(ethnic: Path, ward: Path, data: str) -> None:
    """Session 19: a projection of the city's data, or of a commune's own, says it as its report does (with --scope
    it did already): each step's 0/0 of the quota is not a result. Said once, not per step."""
    args = ("project", str(SAMPLE if data == "city" else ward), "--pack", str(ethnic), "--to", "2027-12-31",
            "--lang", "en")
    assert _run(*args).count(NOTE["en"]) == 1
    assert json.loads(_run(*args, "--format", "json"))["notes"].count(NOTE["en"]) == 1


def test_explain_of_a_scope_without_the_quota_does_not_say_it(tmp_path: Path) -> None:
    """The city's quota only (no commune's metric): a commune's explanation shows none of it, and says nothing."""
    path = tmp_path / "ethnic.toml"
    path.write_text(PACK, encoding="utf-8")
    assert NOTE["en"] not in _run("explain", str(SAMPLE), "--unit", "00322", "--pack", str(path), "--lang", "en")
    assert NOTE["en"] in _run("explain", str(SAMPLE), "--city", "--pack", str(path), "--lang", "en")


def test_a_commune_s_report_says_it_of_its_own_share_of_the_city_s_quota(tmp_path: Path) -> None:
    """Session 19: ``--scope commune:…`` leaves out the city's metric, and the note went with it, while the
    commune's own share of the quota ("Tỷ lệ của Xã Ba Vì", for information) still read 0/7 as a result."""
    path = tmp_path / "ethnic.toml"
    path.write_text(PACK, encoding="utf-8")
    engine = Engine(packs=[load_pack(path)], plugins=False, lang="vi")
    officials, units = load_officials(SAMPLE / "officials.csv"), load_units(SAMPLE / "units.csv")
    report = evaluate_as_asked(engine, officials, units, date(2025, 12, 31), scope="commune:Xã Ba Vì")
    assert [(s.id, s.numerator) for s in report.unit_shares if s.pack == "ethnic"] == [("quota.ethnic_minority", 0)]
    assert not [m for m in report.metrics if m.pack == "ethnic"]  # (the city's: not the commune's report)
    assert report.notes.count(NOTE["vi"]) == 1
    assert [n.kind for n in report.notices if n.message == NOTE["vi"]] == ["undecided"]
