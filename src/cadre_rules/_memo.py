"""Looking up a batch of keys in a memo with one C loop.

The batch loops of an evaluation remember what they computed per key (classes of values, matches,
dates) and look every subject of a batch up at once. After the first batches almost every key is
known: :func:`recall` then costs one C loop, where looking up with ``dict.get`` and scanning the
result for the misses (``list.index(None)`` compares every item with ``None``) cost two.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any
from typing import TypeVar

__all__ = ["recall"]

V = TypeVar("V")


def recall(memo: Mapping[Any, V], keys: Iterable[Any]) -> list[V] | None:
    """``[memo[key] for key in keys]`` if every key is in ``memo``, else ``None`` (the caller
    then looks up with misses)."""
    try:
        return list(map(memo.__getitem__, keys))
    except KeyError:
        return None
