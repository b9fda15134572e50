"""A quota that reads a column the input does not have could not be computed, and the report says so (session 18:
Ba Vì's quota.ethnic_minority showed 0/0 in its 8 communes without a word that the officials file has no
``ethnicity`` column), as the rules that could not be decided are said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

from cadre_rules import Engine
from cadre_rules import evaluate_as_asked
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units

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
