"""``cadre-rules match --assign``: one candidate per post, each person and each post at most once.

The proposal maximises the number of posts filled, then the targets met (a woman where a unit's
standing committee has none, someone under 35 where the share is short), by scipy's sparse
minimum-weight bipartite matching (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``, the
LAPJVsp algorithm; the sparse form of ``scipy.optimize.linear_sum_assignment``): posts × eligible
candidates, each post with a "left unfilled" column of its own, so that a full matching always exists.

Costs are lexicographic: an edge to a candidate costs between 1 and 1 + 1/(P + 1) (less when it meets
more targets), leaving a post unfilled costs 3, so one more post filled always outweighs any gain
in targets. Each post keeps its P best-ranked candidates (P = the posts of its block): a post with at
least P candidates can always be filled whatever the others take, so the maximum number filled is
that of the whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


class Proposal(Protocol):
    """An eligible candidate of a post (:class:`._match.Proposal`)."""

    @property
    def id(self) -> str: ...

    @property
    def targets(self) -> int: ...

    @property
    def meets(self) -> tuple[str, ...]: ...

__all__ = ["assign_posts", "filled_metrics"]

_UNFILLED = 3.0


def assign_posts(edges: Mapping[str, Sequence[Proposal]], blocks: Mapping[str, str | None]) -> dict[str, str]:
    """Post key -> candidate id: a maximum assignment, the most targets among those (see the module).

    ``edges[post]`` are the post's eligible candidates, best first; ``blocks[post]`` the block (district
    or city) of the post: candidates of different blocks never compete.
    """
    by_block: dict[str | None, list[str]] = defaultdict(list)
    for post in sorted(edges):
        by_block[blocks[post]].append(post)
    chosen: dict[str, str] = {}
    for block in sorted(by_block, key=lambda b: (b is not None, b or "")):
        chosen.update(_assign_block(by_block[block], edges))
    return chosen


def _assign_block(posts: Sequence[str], edges: Mapping[str, Sequence[Proposal]]) -> dict[str, str]:
    keep = len(posts)
    kept = {post: list(edges[post][:keep]) for post in posts}
    ids = sorted({p.id for props in kept.values() for p in props})
    if not ids:
        return {}
    column = {cid: j for j, cid in enumerate(ids)}
    most = max((p.targets for props in kept.values() for p in props), default=0)
    scale = (most + 1) * (len(posts) + 1)
    rows: list[int] = []
    cols: list[int] = []
    costs: list[float] = []
    for i, post in enumerate(posts):
        for p in kept[post]:
            rows.append(i)
            cols.append(column[p.id])
            costs.append(1.0 + (most - p.targets + 1) / scale)
        rows.append(i)
        cols.append(len(ids) + i)  # this post left unfilled
        costs.append(_UNFILLED)
    graph = csr_matrix((np.array(costs), (np.array(rows), np.array(cols))), shape=(len(posts), len(ids) + len(posts)))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    return {posts[int(i)]: ids[int(j)] for i, j in zip(row_ind, col_ind, strict=True) if j < len(ids)}


def filled_metrics(to_fill: int, assignment: Mapping[str, str], edges: Mapping[str, Sequence[Proposal]],
                   units_without_woman: int, post_units: Mapping[str, str], key_total: int, key_young: int,
                   key_ids: frozenset[str], young_ids: frozenset[str]) -> dict[str, dict[str, int | float | None]]:
    """The metrics before and after the proposal.

    ``posts_to_fill``; ``units_without_woman`` on the standing committee (a unit leaves it when a woman is
    proposed for one of its posts); ``young_key_share``: key officials under 35 over key officials,
    counting the people proposed who do not hold a key post yet.
    """
    women_units = {post_units[post] for post, cid in assignment.items()
                   for p in edges[post] if p.id == cid and "woman" in p.meets}
    new = {cid for cid in assignment.values() if cid not in key_ids}
    total_after = key_total + len(new)
    young_after = key_young + len(new & young_ids)
    return {
        "posts_to_fill": {"before": to_fill, "after": to_fill - len(assignment)},
        "posts_filled": {"before": 0, "after": len(assignment)},
        "units_without_woman": {"before": units_without_woman, "after": units_without_woman - len(women_units)},
        "young_key_share": {"before": round(key_young / key_total, 4) if key_total else None,
                            "after": round(young_after / total_after, 4) if total_after else None},
    }
