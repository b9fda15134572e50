"""``explain --unit/--district``: the quotas of a pack that does not apply to the scope (a commune's plugin pack,
another district's) are not listed as if they did ("Được tính (0)" under another commune's quota)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cadre_rules import Engine
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules.jobs._explain_scope import explain_scope
from cadre_rules.jobs._scope_formats import render_scope_explanation

SAMPLE_2025 = Path(__file__).parent.parent / "examples" / "hanoi-2025"

COMMUNE_PACK = """
[pack]
id = "co-do"
version = "1"
title = "Cổ Đô"

[scope]
units = ["09634"]

[[quota]]
id = "quota.young_commune"
population = "is_key"
numerator = "age < 35"
min_share = 0.12
scopes = ["unit"]
message = "{scope}: {value}"
cite = "x"
"""


def test_a_commune_s_pack_is_explained_for_that_commune_only(tmp_path: Path) -> None:
    path = tmp_path / "co-do.toml"
    path.write_text(COMMUNE_PACK, encoding="utf-8")
    pack = load_pack(path)
    engine = Engine(packs=[pack], plugins=False)
    officials, units = load_officials(SAMPLE_2025 / "officials.csv"), load_units(SAMPLE_2025 / "units.csv")
    as_of = date(2025, 12, 31)
    covered = explain_scope(engine, officials, units, "unit", "Xã Cổ Đô", as_of)
    assert [(q.pack, q.quota) for q in covered.quotas] == [("co-do", "quota.young_commune")]
    key = [o.id for o in officials if o.unit == "09634" and set(o.posts) & set(pack.key_positions)]
    quota = covered.quotas[0]
    assert sorted((*quota.counted, *quota.not_counted, *quota.unknown)) == sorted(key) and key
    # the finding's message without the unit's code in front: the heading names the unit
    lines = render_scope_explanation(covered, lang="vi").splitlines()
    assert lines[0].startswith("Giải trình: 09634 Xã Cổ Đô")
    finding = next(line for line in lines if "co-do/quota.young_commune:" in line)
    assert "09634" not in finding
    other = explain_scope(engine, officials, units, "unit", "Phường Tương Mai", as_of)
    assert other.quotas == ()
    text = render_scope_explanation(other, lang="vi")
    # (session 18: the header names the packs that apply to the unit, and one note the others, as its report does)
    header, body = text.split("\n", 2)[1:]
    assert header == "Gói quy định: (không có)" and "Được tính" not in text
    assert body.count("co-do") == 1 and "gói co-do@1 có cài đặt nhưng chỉ áp dụng cho xã, phường" in body
