"""The head of a commune's Công đoàn (trade union) has a position code, ``trade_union_chair`` (session 19).

Until session 19 a workbook's "Chủ tịch Công đoàn" was refused as an unknown position ("write 'Khác'"), as a post
and as a concurrent one ("Phó Chủ tịch UBMTTQ kiêm Chủ tịch Công đoàn"). It is no cán bộ post of NĐ 33/2023 Điều 5
and no tier of Kết luận 35; whether the two-tier commune has a Công đoàn of its own, headed by a Phó Chủ tịch UBMTTQ
as the other organisations are, the reference does not say: in match it has no tier (rank 0) on every date and no
concurrent holding, parameters a city may set (docs/match.md, "Rank of a post").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import match_posts
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import POSITION_RANK
from cadre_rules.model._codes import POSITION_RANK_2025
from cadre_rules.packs._engine_match import CONCURRENT
from test_match_rank import _official
from test_officer_workbook import row
from test_officer_workbook import ward_book

SPELLINGS = ("Chủ tịch Công đoàn", "Chủ tịch Công đoàn cơ sở", "CT Công đoàn", "Chủ tịch CĐCS",
             "CHỦ TỊCH CÔNG ĐOÀN PHƯỜNG", "Chủ tịch Công đoàn cơ quan")


def test_the_head_of_the_trade_union_is_read_from_a_workbook(tmp_path: Path) -> None:
    """Each spelling as a post, and as a concurrent one after "kiêm"; "Phó Chủ tịch Công đoàn" is not its head."""
    people = [row(STT=str(i), Mã_cán_bộ=f"TM{i:02d}", Chức_vụ=spelling) for i, spelling in enumerate(SPELLINGS, 1)]
    people.append(row(STT="9", Mã_cán_bộ="TM09", Chức_vụ="Phó Chủ tịch UBMTTQ kiêm Chủ tịch Công đoàn"))
    read = {o.id: o.posts for o in load_officials(ward_book(tmp_path / "ds.xlsx", people))}
    assert read == {**{f"TM{i:02d}": ("trade_union_chair",) for i in range(1, len(SPELLINGS) + 1)},
                    "TM09": ("front_vice_chair", "trade_union_chair")}
    assert POSITION.label("trade_union_chair") == "Chủ tịch Công đoàn"
    with pytest.raises(ValueError, match="unknown position"):
        POSITION.parse("Phó Chủ tịch Công đoàn")


def test_its_place_in_match_is_no_tier_on_every_date() -> None:
    """Rank 0 before and after the reform, no concurrent holding; a Phó Chủ tịch UBND is no candidate for a listed
    Chủ tịch Công đoàn post (a post of no tier, below theirs), an official of no ranked post is one; the Phó Chủ tịch
    UBMTTQ who chairs the union keeps the front's rank."""
    assert POSITION_RANK["trade_union_chair"] == POSITION_RANK_2025["trade_union_chair"] == 0
    assert "trade_union_chair" not in CONCURRENT and not any("trade_union_chair" in v for v in CONCURRENT.values())
    people = [_official("vice", "committee_vice_chair", "B"), _official("clerk", "other", "B"),
              _official("fvc", "front_vice_chair", "B", concurrent_positions=("trade_union_chair",))]
    units = (Unit("A", "Xã A", "commune", 1), Unit("B", "Xã B", "commune", 2))
    engine = Engine(None, backend="reference", plugins=False)  # type: ignore[arg-type]
    result = match_posts(engine, people, units, date(2025, 12, 31),
                         posts=[PostToFill("A", "trade_union_chair", "listed")], top=50)
    (post,) = (r for r in result.posts if r.post.key == "A/trade_union_chair")
    assert sorted([*(c.id for c in post.candidates), *(m.id for m in post.near_misses)]) == ["clerk"]
