"""The cyclic garbage collector paused while a large batch of objects is made and used.

Reading, evaluating, projecting and matching allocate many small objects and no reference cycles; the
collections their allocations trigger scan the live objects again and again (a quarter of a large read's
time). Resuming between two such stages costs too: the first collection after it scans everything allocated
while paused (three of them, 80 ms of a 100,000-official job), so the command line keeps the collector
paused for its whole job.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its state after (a nested pause leaves it paused)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
