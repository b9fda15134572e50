"""Looking up a batch of keys in a memo in C loops, computing the values of keys not seen yet.

The batch loops of an evaluation remember what they computed per key (classes of values, matches,
outcomes, facts and messages, dates) and look every subject of a batch up at once. After the first
batches almost every key is known: :func:`recall` then costs one C loop, where looking up with
``dict.get`` and scanning the result for the misses (``list.index`` compares every item) cost two.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from itertools import repeat
from typing import Any
from typing import TypeVar

__all__ = ["recall", "remember"]

V = TypeVar("V")

_MISSING: Any = object()


def recall(memo: Mapping[Any, V], keys: Iterable[Any]) -> list[V] | None:
    """``[memo[key] for key in keys]`` if every key is in ``memo``, else ``None`` (the caller
    then looks up with misses)."""
    try:
        return list(map(memo.__getitem__, keys))
    except KeyError:
        return None


def remember(memo: Mapping[Any, V], keys: Sequence[Any], compute: Callable[[int], V]) -> list[V]:
    """``memo[key]`` for each of ``keys``; for a key not in ``memo``, ``compute(i)`` at its first
    position ``i`` in ``keys``. ``compute`` puts the value in ``memo`` itself (or not, when the memo
    is full: it is then called again for the key's next position)."""
    known = recall(memo, keys)
    if known is not None:
        return known
    values: list[Any] = list(map(memo.get, keys, repeat(_MISSING)))
    i = -1
    try:  # keys not remembered (C scans between)
        while True:
            i = values.index(_MISSING, i + 1)
            value = memo.get(keys[i], _MISSING)  # (remembered at an earlier position of the batch)
            values[i] = compute(i) if value is _MISSING else value
    except ValueError:
        pass
    return values
