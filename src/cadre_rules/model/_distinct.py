"""Computing something once per distinct key of a column, the other positions looked up.

An evaluation computes whole columns (one value per official): derived fields per distinct combination
of what they read, classes per distinct value, the conditions that hold per distinct combination of
classes, findings' facts and messages per distinct values shown. Each is one C loop hashing every key once
to find the first position of its key, the computation at those positions only, and a C loop looking the
positions up.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["first_positions", "on_distinct", "per_distinct"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def first_positions(keys: Sequence[Hashable]) -> tuple[list[int], list[int]]:
    """For each of ``keys``, the first position of that key in ``keys``; and the first positions of the
    distinct keys, in order."""
    seen: dict[Hashable, int] = {}
    firsts = list(map(seen.setdefault, keys, range(len(keys))))
    return firsts, list(seen.values())


def per_distinct(keys: Sequence[Hashable], compute: Callable[[int], V]) -> list[V]:
    """``[value of keys[i] for i ...]``, ``compute(i)`` called once per distinct key, at its first position
    ``i`` (in the order of those positions), looked up for the others."""
    firsts, distinct = first_positions(keys)
    table = {i: compute(i) for i in distinct}
    return list(map(table.__getitem__, firsts))


def on_distinct(keys: Sequence[K], compute: Callable[[list[K]], list[V]]) -> list[V]:
    """``compute(keys)``, a column function of each key alone, computed on the distinct keys only (in no
    particular order) and looked up for the others."""
    distinct = list(set(keys))
    table = dict(zip(distinct, compute(distinct), strict=True))
    return list(map(table.__getitem__, keys))
