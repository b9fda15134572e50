"""The interface between the engine and its rule backends."""

from __future__ import annotations

import time
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from ..errors import EvaluationError
from ..model._types import Natural
from ..packs._match_rules import MatchRule
from ..packs._program import FactKind
from ..packs._program import Program

__all__ = ["Backend", "Deadline", "PairSession", "Session"]

#: A pair fact of ``cadre-rules match``: ``c_FIELD`` (candidate) and ``p_FIELD`` (post) values, encoded
#: (:mod:`._match_rules`); a missing value is absent or ``None``.
PairFact = Mapping[str, int | str | None]


class Session(Protocol):
    def match(self, kind: FactKind, values: Mapping[str, Natural | None], uid: str) -> tuple[str, ...]:
        """The names of the program's conditions of ``kind`` that definitely hold for the fact."""

    def match_columns(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                      uids: Sequence[str]) -> list[tuple[str, ...]]:
        """:meth:`match` for a batch of facts given column by column: ``columns[field][i]`` is the
        value of the fact ``uids[i]``."""

    def combinations(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                     uids: Sequence[str]) -> tuple[list[int], list[tuple[str, ...]]]:
        """:meth:`match_columns` as the distinct outcomes: each fact's number ``codes[i]`` and the
        names holding for each number, ``(codes, names)``; facts that satisfy the same conditions may share
        a number (facts of equal numbers satisfy the same conditions)."""


class PairSession(Protocol):
    def decide(self, values: PairFact, uid: str) -> tuple[str, ...]:
        """The ids of the match rules that definitely hold for a pair fact (a candidate and a post)."""


class Backend(Protocol):
    name: str

    def pairs(self, name: str, rules: Sequence[MatchRule], deadline: Deadline) -> AbstractContextManager[PairSession]:
        """Open a session deciding match rules on pair facts (the join of ``cadre-rules match``);
        ``name`` identifies the rules (a pack's ``id@version``)."""

    def supports(self, program: Program) -> str | None:
        """Why the backend cannot evaluate a program, or ``None`` when it can."""

    def session(self, program: Program, deadline: Deadline) -> AbstractContextManager[Session]:
        """Open an evaluation session for a program (exclusive while open)."""


class Deadline:
    """A time bound for one evaluation, checked every few facts."""

    __slots__ = ("_count", "at", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds
        self._count = 0

    def check(self) -> None:
        """Check the clock every 256 calls (a call per fact)."""
        self._count += 1
        if self._count & 255 == 0:
            self.check_now()

    def check_now(self) -> None:
        """Check the clock (a call per batch of facts)."""
        if self.at is not None and time.monotonic() > self.at:
            raise EvaluationError(f"evaluation exceeded its time bound of {self.seconds:g} s")
