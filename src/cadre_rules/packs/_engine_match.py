"""The match rule of the engine itself, applied by every ``cadre-rules match`` whatever the packs (docs/match.md,
"Rank of a post").

Rotation (luân chuyển) is to an equivalent post, a higher one for an outstanding cadre (Quy định 65-QĐ/TW Điều 4,
confidence High); a lower post is a disciplinary or personal matter, never a proposal of the organisation board. So
no one is proposed for a post ranked below a post they hold: ``candidate.post_rank <= post.rank``, the ranks being
the position catalogue's (:data:`cadre_rules.model._codes.POSITION_RANK`). It is written in the language of the packs'
match rules, parsed and type-checked by the same parser (:func:`._match_rules.parse_match`), and decided on pair
facts by the same backends, as a rule set of its own (``cadre-rules@match``).

Why not in the packs: the principle holds under every pack and date (QĐ 65 since 2022, QĐ 98-QĐ/TW before it), a
pinned released version (``--pack vn-commune-2tier@2025.07``) must not propose a demotion either, and a new
revision of every built-in pack with match rules would change the ``packs`` of every ``evaluate`` report for a rule
``evaluate`` never reads.
"""

from __future__ import annotations

import functools
import tomllib
from typing import Protocol

import attrs

from ._match_rules import MatchSpec
from ._match_rules import parse_match

__all__ = ["ENGINE_MATCH", "EngineRules", "RuleSource", "engine_rules"]

#: The engine's own match rules (the syntax of a pack's ``[[match]]``).
ENGINE_MATCH = """
[[match]]
id = "match.no_lower_post"
require = "candidate.post_rank <= post.rank"
severity = "error"
lack.vi = "đang giữ chức danh bậc {candidate.post_rank}, cao hơn chức danh cần bố trí (bậc {post.rank})"
lack.en = "holds a post of rank {candidate.post_rank}, above the post to fill (rank {post.rank})"
cite = "QĐ 65-QĐ/TW, Điều 4 (luân chuyển sang chức danh tương đương hoặc cao hơn); thứ bậc chức danh: KL 35-KL/TW"
"""


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


@functools.cache
def engine_rules() -> EngineRules:
    """The engine's own match rules (:data:`ENGINE_MATCH`), parsed once."""
    spec, problems = parse_match(tomllib.loads(ENGINE_MATCH), (), file="<cadre-rules>")
    assert not problems, problems  # (the tests parse it: a fault is the project's)
    return EngineRules("cadre-rules", "cadre-rules@match", spec)
