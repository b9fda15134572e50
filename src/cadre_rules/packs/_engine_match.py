"""The match rule of the engine itself, applied by every ``cadre-rules match`` whatever the packs (docs/match.md,
"Rank of a post").

Rotation (luân chuyển) is to an equivalent post, a higher one for an outstanding cadre (Quy định 65-QĐ/TW Điều 4,
confidence High); a lower post is a disciplinary or personal matter, never a proposal of the organisation board. So
no one is proposed for a post ranked below a post they hold: ``candidate.post_rank <= post.rank`` — unless it is a
concurrent holding (kiêm nhiệm) the parameters expect: the Bí thư or the Phó Bí thư thường trực of a commune for its
own Chủ tịch HĐND post. It is written in the language of the packs' match rules, parsed and type-checked by the
same parser (:func:`._match_rules.parse_match`), and decided on pair facts by the same backends, as a rule set of its
own (``cadre-rules@match``).

Its parameters are Medium-confidence facts (docs/match.md, "Rank of a post"): the ranks of the posts
(``post_rank_N``: by default the tiers of Kết luận 35-KL/TW, :data:`cadre_rules.model._codes.POSITION_RANK`, and from
1/7/2025 the same with the Phó Chủ tịch UBMTTQ below their Chủ tịch,
:data:`~cadre_rules.model._codes.POSITION_RANK_2025`: :data:`DATED_RANKS`) and the concurrent holdings
(``POST_concurrent_with``). A pack in effect that declares them in its ``[params]`` (a city's, a district plugin's,
``--pack FILE``) sets its own: :func:`match_params`.

Why not in the packs: the principle holds under every pack and date (QĐ 65 since 2022, QĐ 98-QĐ/TW before it), a
pinned released version (``--pack vn-commune-2tier@2025.07``) must not propose a demotion either, and a new
revision of every built-in pack with match rules would change the ``packs`` of every ``evaluate`` report for a rule
``evaluate`` never reads.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from typing import Protocol

import attrs

from ..errors import N_
from ..errors import Message
from ..errors import PackError
from ..errors import Problem
from ..model._codes import POSITION
from ..model._codes import POSITION_RANK
from ..model._codes import POSITION_RANK_2025
from ._match_rules import MatchSpec
from ._match_rules import parse_match
from ._match_rules import verbatim

__all__ = ["CONCURRENT", "CONCURRENT_BASIS", "CONCURRENT_FROM", "DATED_RANKS", "DEFAULT_PARAMS", "ENGINE_MATCH",
           "ORGANISATION_HEADS", "EngineRules", "MatchParams", "RuleSource", "default_ranks", "engine_rules",
           "match_params"]

#: The engine's own match rules (the syntax of a pack's ``[[match]]``); the exceptions (``unless``) are made from the
#: concurrent holdings in force (:func:`engine_rules`).
ENGINE_MATCH = """
[[match]]
id = "match.no_lower_post"
require = "candidate.post_rank <= post.rank"
severity = "error"
lack.vi = "đang giữ chức danh bậc {candidate.post_rank}, cao hơn chức danh cần bố trí (bậc {post.rank})"
lack.en = "holds a post of rank {candidate.post_rank}, above the post to fill (rank {post.rank})"
cite = "QĐ 65-QĐ/TW, Điều 4 (luân chuyển sang chức danh tương đương hoặc cao hơn); thứ bậc chức danh: KL 35-KL/TW"
"""

#: The heads of a commune's socio-political organisations: Bí thư Đoàn TNCS, Chủ tịch Hội LHPN, Hội Nông dân, Hội CCB.
ORGANISATION_HEADS = ("youth_union_secretary", "women_union_chair", "farmers_union_chair", "veterans_chair")

#: The concurrent holdings expected by default (``POST_concurrent_with``), from the two-tier reform
#: (domain/regulations-2025.md): the Chủ tịch HĐND of a commune is usually the Bí thư or the Phó Bí thư thường trực
#: ("Chủ tịch HĐND (bí thư hoặc phó bí thư kiêm)": provincial practice under Chỉ thị 45-CT/TW Phụ lục 3; expected, not
#: required; confidence **Medium**, §1.1, §1.2, §11 ``council_chair_concurrent_with``); the Chủ tịch UBND is a Phó
#: Bí thư (§1.1, §1.3: "in practice the Chủ tịch UBND is a Phó Bí thư", **High**), either way round; the heads of the
#: socio-political organisations are the Phó Chủ tịch UBMTTQ (the organisations work under the MTTQ, QĐ 301-QĐ/TW;
#: "the Phó Chủ tịch of the Ủy ban MTTQ are the heads of the socio-political organisations", HD 31-HD/BTCTW;
#: confidence **Medium-High**, §1.5, §11 ``front_vice_chairs``), either way round: a Phó Chủ tịch UBMTTQ who heads no
#: organisation for an organisation's vacant head, the head of an organisation who is no Phó Chủ tịch UBMTTQ yet for
#: a vacant Phó Chủ tịch post (one who heads one already has it as their highest post, ``candidate.senior_post``: the
#: organisation's comes first in the order of the codes, of one rank).
CONCURRENT: Mapping[str, tuple[str, ...]] = {
    "council_chair": ("party_secretary", "standing_deputy_party_secretary"),
    "committee_chair": ("deputy_party_secretary",),
    "deputy_party_secretary": ("committee_chair",),
    **dict.fromkeys(ORGANISATION_HEADS, ("front_vice_chair",)),
    "front_vice_chair": ORGANISATION_HEADS,
}
_FRONT_BASIS = N_("HD 31-HD/BTCTW, QĐ 301-QĐ/TW: the Phó Chủ tịch UBMTTQ of a commune are the heads of its "
                  "socio-political organisations, one each, confidence Medium-High")
#: What each default holding rests on, as the note of a match with such a post says it.
CONCURRENT_BASIS: Mapping[str, str] = {
    "council_chair": N_("practice under Chỉ thị 45-CT/TW, confidence Medium"),
    "committee_chair": N_("practice: the Chủ tịch UBND is a Phó Bí thư, confidence High"),
    "deputy_party_secretary": N_("practice: the Chủ tịch UBND is a Phó Bí thư, confidence High"),
    **dict.fromkeys((*ORGANISATION_HEADS, "front_vice_chair"), _FRONT_BASIS),
}
#: The first day of :data:`CONCURRENT` (the two-tier communes; before it the reference says nothing of it).
CONCURRENT_FROM = date(2025, 7, 1)

#: The default ranks of the posts (``post_rank_N``), each from the first day it applies, by the law in force on the
#: as-of date: Kết luận 35's tiers, then from the two-tier reform (QĐ 301-QĐ/TW, HD 31-HD/BTCTW, 1/7/2025) the Phó
#: Chủ tịch UBMTTQ, heads of the socio-political organisations, a tier below their Chủ tịch. Confidence **Medium**
#: (the reform's order of the front's posts Medium-High; the deputies' place below the Phó Chủ tịch HĐND and UBND an
#: inference, Low: :data:`~cadre_rules.model._codes.POSITION_RANK_2025`).
DATED_RANKS: tuple[tuple[date, Mapping[str, int]], ...] = ((date.min, POSITION_RANK),
                                                           (CONCURRENT_FROM, POSITION_RANK_2025))


def default_ranks(as_of: date) -> tuple[date, Mapping[str, int]]:
    """The default ranks in force on ``as_of`` (:data:`DATED_RANKS`), with the first day they apply."""
    return next((since, ranks) for since, ranks in reversed(DATED_RANKS) if since <= as_of)


def _rank_params(ranks: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """The ``post_rank_N`` parameters of a rank table (the codes of each rank above 0, in the catalogue's order)."""
    return {f"post_rank_{rank}": tuple(code for code in POSITION.codes if ranks[code] == rank)
            for rank in sorted(set(ranks.values()), reverse=True) if rank}


#: The parameters of the engine's match rules, by default: the ranks of :data:`POSITION_RANK` and :data:`CONCURRENT`.
DEFAULT_PARAMS: Mapping[str, object] = {**_rank_params(POSITION_RANK),
                                        **{f"{post}_concurrent_with": held for post, held in CONCURRENT.items()}}


class RuleSource(Protocol):
    """What matching reads of a pack: its id, ``id@version`` and match rules (a :class:`~._packs.Pack`, or the
    engine's own rules)."""

    @property
    def id(self) -> str: ...

    @property
    def ref(self) -> str: ...

    @property
    def match(self) -> MatchSpec: ...


@attrs.frozen
class EngineRules:
    """The engine's own match rules, as matching reads a pack's."""

    id: str
    ref: str
    match: MatchSpec


def engine_rules(concurrent: Mapping[str, Sequence[str]] | None = None) -> EngineRules:
    """The engine's own match rules (:data:`ENGINE_MATCH`), ``match.no_lower_post`` excepting the ``concurrent``
    holdings (:attr:`MatchParams.concurrent`; none by default): a candidate of the post's unit whose highest post
    (``candidate.senior_post``) usually holds the post too (``candidate.unit == post.unit and post.position ==
    'council_chair' and candidate.senior_post == 'party_secretary'``)."""
    concurrent = concurrent or {}
    return _engine_rules(tuple((post, tuple(held)) for post, held in sorted(concurrent.items())))


@functools.cache
def _engine_rules(concurrent: tuple[tuple[str, tuple[str, ...]], ...]) -> EngineRules:
    data = tomllib.loads(ENGINE_MATCH)
    data["match"][0]["unless"] = [f"candidate.unit == post.unit and post.position == '{post}' and "
                                  f"candidate.senior_post == '{code}'" for post, held in concurrent for code in held]
    params = {**DEFAULT_PARAMS, **{f"{post}_concurrent_with": held for post, held in concurrent}}
    spec, problems = parse_match(data, (), file="<cadre-rules>", params=params)
    assert not problems, problems  # (the tests parse it: a fault is the project's)
    return EngineRules("cadre-rules", "cadre-rules@match", spec)


@attrs.frozen
class MatchParams:
    """The ranks and concurrent holdings a match applies, and the packs that set them (none: the defaults)."""

    ranks: Mapping[str, int]
    concurrent: Mapping[str, tuple[str, ...]]
    #: ``id@version`` of the pack whose ``post_rank_N`` apply (``None``: the default's, :data:`DATED_RANKS`)
    ranks_from: str | None = None
    #: post -> ``id@version`` of the pack that sets its concurrent holdings (a post not in it: the default's)
    concurrent_from: Mapping[str, str] = attrs.field(factory=dict)
    #: the first day of the default ranks applied (:data:`DATED_RANKS`; ``None``: a pack's)
    ranks_since: date | None = None


def match_params(packs: Sequence[RuleSource], as_of: date) -> MatchParams:
    """The ranks and concurrent holdings of the packs in effect on ``as_of``: the defaults (the ranks in force on
    ``as_of``, :data:`DATED_RANKS`; the concurrent holdings from :data:`CONCURRENT_FROM`), unless a pack declares
    its own in its ``[params]``; two packs declaring different ones are refused (a
    :class:`~cadre_rules.errors.PackError` naming both: which applies is the city's choice, not the order of the
    packs)."""
    since, ranks = default_ranks(as_of)
    ranks_from: RuleSource | None = None
    concurrent: dict[str, tuple[str, ...]] = dict(CONCURRENT) if as_of >= CONCURRENT_FROM else {}
    set_by: dict[str, RuleSource] = {}
    problems: list[Problem] = []
    for pack in packs:
        spec = pack.match
        if spec.ranks is not None:
            if ranks_from is not None and spec.ranks != ranks:
                problems.append(_differs(pack, "post_rank_N", ranks_from))
            elif ranks_from is None:
                ranks, ranks_from = spec.ranks, pack
        for post, held in spec.concurrent.items():
            other = set_by.get(post)
            if other is not None and concurrent.get(post) != held:
                problems.append(_differs(pack, f"{post}_concurrent_with", other))
            elif other is None:
                concurrent[post], set_by[post] = held, pack
    if problems:
        raise PackError(problems)
    return MatchParams(ranks, {post: held for post, held in concurrent.items() if held},
                       None if ranks_from is None else ranks_from.ref,
                       {post: pack.ref for post, pack in set_by.items()}, since if ranks_from is None else None)


def _differs(pack: RuleSource, name: str, other: RuleSource) -> Problem:
    return Problem.at(pack.ref, f"params.{name}", Message(N_("differs from pack {other}'s: the packs in effect "
                                                             "set one value of it"), other=verbatim(other.ref)))
