"""cadre-rules match: the heads of the socio-political organisations and the Phó Chủ tịch UBMTTQ of a commune are
each other's concurrent holding after the reform (docs/match.md, "Concurrent holdings"; session 18).

From 1/7/2025 the socio-political organisations (Đoàn TNCS, Hội LHPN, Hội Nông dân, Hội CCB) work under the MTTQ,
and the Phó Chủ tịch of a commune's Ủy ban MTTQ are the heads of its organisations (QĐ 301-QĐ/TW, HD 31-HD/BTCTW;
regulations-2025.md §1.5, §11 ``front_vice_chairs``, Medium-High). Until session 18 a match named no one first for a
vacant head of an organisation, nor for a vacant Phó Chủ tịch UBMTTQ post: the commune's own Phó Chủ tịch without an
organisation, or its head of an organisation who is no Phó Chủ tịch yet, ranked as anyone of the city.
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
from cadre_rules.jobs._match import PostResult
from test_match_rank import _official

PRE = date(2024, 6, 30)
POST = date(2025, 12, 31)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not AVAILABLE, reason="no durable-rules"))]
UNITS = (Unit("A", "Xã A", "commune", 1), Unit("B", "Xã B", "commune", 2))
PEOPLE = [
    _official("fvc-a", "front_vice_chair", "A"),  # a Phó Chủ tịch UBMTTQ who heads no organisation
    _official("fvc-women-a", "front_vice_chair", "A", concurrent_positions=("women_union_chair",)),
    _official("youth-a", "youth_union_secretary", "A"),  # a head who is no Phó Chủ tịch UBMTTQ yet
    _official("fvc-b", "front_vice_chair", "B"),
    _official("youth-b", "youth_union_secretary", "B"),
]


def _match(backend: str, position: str, as_of: date = POST, lang: str = "en") -> tuple[MatchResult, PostResult]:
    engine = Engine(None, backend=backend, plugins=False, lang=lang)  # type: ignore[arg-type]
    result = match_posts(engine, PEOPLE, UNITS, as_of, posts=[PostToFill("A", position, "listed")], top=50)
    (post,) = (r for r in result.posts if r.post.key == f"A/{position}")  # (besides the units' vacancies)
    return result, post


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("position", ["youth_union_secretary", "women_union_chair", "farmers_union_chair",
                                      "veterans_chair"])
def test_a_front_vice_chair_of_the_commune_is_proposed_first_to_head_its_organisation(backend: str,
                                                                                      position: str) -> None:
    """A's Phó Chủ tịch UBMTTQ who heads no organisation, first, a concurrent holding; not the one who heads the
    women's union already, nor B's; the note names the parameter, its source and confidence."""
    result, post = _match(backend, position)
    assert [c.id for c in post.candidates if c.concurrent] == ["fvc-a"]
    assert post.candidates[0].id == "fvc-a"
    (note,) = (n for n in result.notes if f"{position}_concurrent_with" in n)
    assert "HD 31-HD/BTCTW" in note and "confidence Medium-High" in note


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_head_of_an_organisation_is_proposed_first_as_a_front_vice_chair(backend: str) -> None:
    """A's Bí thư Đoàn (no Phó Chủ tịch UBMTTQ yet), first for A's Phó Chủ tịch UBMTTQ post; B's is not; the note in
    Vietnamese; none before the reform."""
    result, post = _match(backend, "front_vice_chair")
    assert [c.id for c in post.candidates if c.concurrent] == ["youth-a"]
    assert post.candidates[0].id == "youth-a"
    assert any("front_vice_chair_concurrent_with" in n for n in result.notes)
    vi, _ = _match(backend, "front_vice_chair", lang="vi")
    (note,) = (n for n in vi.notes if "front_vice_chair_concurrent_with" in n)
    assert note.startswith("Bí thư Đoàn TNCS Hồ Chí Minh, Chủ tịch Hội LHPN, Chủ tịch Hội Nông dân hoặc Chủ tịch Hội "
                           "Cựu chiến binh của xã, phường được đề xuất trước tiên cho chức danh Phó Chủ tịch UBMTTQ")
    assert note.endswith("độ tin cậy khá cao)")
    # before 1/7/2025 the organisations' heads were posts of their own (NĐ 33/2023): no concurrent holding
    for position in ("women_union_chair", "front_vice_chair"):
        before, post = _match(backend, position, PRE)
        assert not any(c.concurrent for c in post.candidates)
        assert not any(f"{position}_concurrent_with" in n for n in before.notes)
