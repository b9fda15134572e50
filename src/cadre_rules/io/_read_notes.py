"""How the files read were read, kept for the report (issue: "never silently partial").

The readers say how they read a file when they read it otherwise than as written (rows left out, hidden rows
read, ids made, month-only dates…): a located note each, warned as an :class:`~cadre_rules.InputNote` (the
command line's ``note:`` lines on stderr). :func:`notes_kept` also keeps them, in the order the files were read,
for whoever reads the files in its block (:meth:`Engine.read <cadre_rules.Engine.read>`), so that the report of
those data says them too, in the report's language. Outside such a block nothing is kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from collections.abc import Iterator
from contextvars import ContextVar

from ..errors import Problem

__all__ = ["keep_notes", "notes_kept"]

#: The notes kept by the innermost :func:`notes_kept` block of this thread or task (``None``: not in one).
_KEPT: ContextVar[list[Problem] | None] = ContextVar("cadre_rules_read_notes", default=None)


@contextlib.contextmanager
def notes_kept() -> Iterator[list[Problem]]:
    """The notes (located :class:`~cadre_rules.errors.Problem` s) of the files read in the block, in the order
    they were said; the warnings are given as before."""
    kept: list[Problem] = []
    token = _KEPT.set(kept)
    try:
        yield kept
    finally:
        _KEPT.reset(token)


def keep_notes(notes: Iterable[Problem]) -> None:
    """Keep the notes of a file just read, when in a :func:`notes_kept` block."""
    kept = _KEPT.get()
    if kept is not None:
        kept.extend(notes)
