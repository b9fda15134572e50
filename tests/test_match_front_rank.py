"""cadre-rules match: from 1/7/2025 the Chủ tịch UBMTTQ ranks above its Phó Chủ tịch, who head the socio-political
organisations (docs/match.md, "Rank of a post"; session 19).

Since the two-tier reform the organisations (Đoàn TNCS, Hội LHPN, Hội Nông dân, Hội CCB) work under the MTTQ, and the
Phó Chủ tịch of a commune's Ủy ban MTTQ are their heads (QĐ 301-QĐ/TW, HD 31-HD/BTCTW; regulations-2025.md §1.5):
deputies of the Chủ tịch UBMTTQ. Until session 19 the ranks were Kết luận 35's tiers on every date, the Chủ tịch
UBMTTQ and the heads of the organisations in one tier: a sitting Chủ tịch UBMTTQ was proposed for a vacant Phó Chủ
tịch UBMTTQ post, or a vacant head of the women's union, of another commune (a move to a lower post).
"""

from __future__ import annotations

from datetime import date

import pytest

from cadre_rules import Engine
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules.engine._durable import AVAILABLE
from cadre_rules.jobs._match import MatchResult
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import POSITION_RANK
from cadre_rules.model._codes import POSITION_RANK_2025
from cadre_rules.packs import _engine_match
from test_match_rank import _official

PRE = date(2024, 6, 30)
POST = date(2025, 12, 31)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not AVAILABLE, reason="no durable-rules"))]
UNITS = (Unit("A", "Xã A", "commune", 1), Unit("B", "Xã B", "commune", 2))
PEOPLE = [_official("front-b", "front_chair", "B"),  # B's Chủ tịch UBMTTQ
          _official("fvc-b", "front_vice_chair", "B"),  # B's Phó Chủ tịch UBMTTQ
          _official("vice-b", "committee_vice_chair", "B")]


def _shown(backend: str, position: str, as_of: date, lang: str = "en") -> tuple[list[str], MatchResult]:
    engine = Engine(None, backend=backend, plugins=False, lang=lang)  # type: ignore[arg-type]
    result = match_posts(engine, PEOPLE, UNITS, as_of, posts=[PostToFill("A", position, "listed")], top=50)
    (post,) = (r for r in result.posts if r.post.key == f"A/{position}")
    return sorted([*(c.id for c in post.candidates), *(m.id for m in post.near_misses)]), result


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("position", ["front_vice_chair", "women_union_chair"])
def test_a_front_chair_is_no_candidate_for_a_post_of_its_deputies_after_the_reform(backend: str,
                                                                                   position: str) -> None:
    """From 1/7/2025 B's Chủ tịch UBMTTQ is no candidate for A's Phó Chủ tịch UBMTTQ post, nor for its head of the
    women's union (a Phó Chủ tịch's post); a Phó Chủ tịch UBMTTQ is one for A's Chủ tịch UBMTTQ post (a step up);
    the note says why, with its sources and confidence."""
    shown, result = _shown(backend, position, POST)
    assert "front-b" not in shown
    assert "fvc-b" in shown
    assert "fvc-b" in _shown(backend, "front_chair", POST)[0]
    (note,) = (n for n in result.notes if "QĐ 65-QĐ/TW" in n)
    assert "Phó Chủ tịch UBMTTQ" in note and "HD 31-HD/BTCTW" in note and "confidence Medium" in note
    vi = _shown(backend, position, POST, "vi")[1]
    (note,) = (n for n in vi.notes if "QĐ 65-QĐ/TW" in n)
    assert "Phó Chủ tịch UBMTTQ" in note and "độ tin cậy trung bình" in note


@pytest.mark.parametrize("backend", BACKENDS)
def test_before_the_reform_the_front_chair_and_the_heads_of_the_organisations_are_one_tier(backend: str) -> None:
    """Before 1/7/2025 Kết luận 35's tiers apply as they are: the Chủ tịch UBMTTQ and the heads of the organisations
    one tier with the Phó Chủ tịch HĐND and UBND (an equal move stays proposed), and the note names no Phó Chủ tịch
    UBMTTQ."""
    shown, result = _shown(backend, "women_union_chair", PRE)
    assert shown == ["front-b", "fvc-b", "vice-b"]
    (note,) = (n for n in result.notes if "QĐ 65-QĐ/TW" in n)
    assert "Phó Chủ tịch UBMTTQ" not in note


def test_the_ranks_are_dated_parameters() -> None:
    """The default ranks follow the as-of date: Kết luận 35's tiers before 1/7/2025, then the Phó Chủ tịch UBMTTQ and
    the heads of the organisations a tier below the Chủ tịch UBMTTQ, every other order kept."""
    assert _engine_match.match_params([], PRE).ranks == POSITION_RANK
    assert _engine_match.match_params([], POST).ranks == POSITION_RANK_2025
    assert _engine_match.match_params([], date(2025, 6, 30)).ranks == POSITION_RANK
    assert _engine_match.match_params([], date(2025, 7, 1)).ranks == POSITION_RANK_2025
    assert set(POSITION_RANK_2025) == set(POSITION.codes)
    deputies = {"front_vice_chair", *_engine_match.ORGANISATION_HEADS}
    for code in POSITION.codes:
        for other in POSITION.codes:
            before = (POSITION_RANK[code] > POSITION_RANK[other], POSITION_RANK[code] == POSITION_RANK[other])
            after = (POSITION_RANK_2025[code] > POSITION_RANK_2025[other],
                     POSITION_RANK_2025[code] == POSITION_RANK_2025[other])
            if {code, other} & deputies:
                continue  # (the deputies' place: below)
            assert after == before, (code, other)
    for head in deputies:
        assert 0 < POSITION_RANK_2025[head] < POSITION_RANK_2025["front_chair"]
        assert POSITION_RANK_2025[head] == POSITION_RANK_2025["front_vice_chair"]
