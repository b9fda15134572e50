"""The reference backend: the pure-Python interpreter of the expression language.

It is the oracle of the property tests, and the backend where durable-rules' engine cannot be
loaded (:data:`._durable.UNAVAILABLE_REASON` says why; the report names the backend that ran). It
gives the same results as :mod:`._durable`.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from itertools import repeat

from ..model._types import Natural
from ..packs._expr import evaluate
from ..packs._match_rules import MatchRule
from ..packs._match_rules import holds
from ..packs._program import FactKind
from ..packs._program import Program
from ._backend import Deadline
from ._backend import PairFact

__all__ = ["ReferenceBackend"]


class _ReferenceSession:
    def __init__(self, program: Program, deadline: Deadline) -> None:
        self._by_kind = {k: [(c.name, c.expr) for c in program.by_kind(k)] for k in ("o", "u", "m")}
        self._deadline = deadline

    def match(self, kind: FactKind, values: Mapping[str, Natural | None], uid: str) -> tuple[str, ...]:
        self._deadline.check()
        return tuple(name for name, expr in self._by_kind[kind] if evaluate(expr, values) is True)

    def match_columns(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                      uids: Sequence[str]) -> list[tuple[str, ...]]:
        names = list(columns)
        rows = zip(*columns.values(), strict=True) if names else repeat((), len(uids))
        return [self.match(kind, dict(zip(names, row, strict=True)), uid) for row, uid in zip(rows, uids, strict=True)]

    def combinations(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                     uids: Sequence[str]) -> tuple[list[int], list[tuple[str, ...]]]:
        """Every subject decided on its own (the oracle groups nothing): subject ``i`` is combination ``i``."""
        return list(range(len(uids))), self.match_columns(kind, columns, uids)


class _ReferencePairs:
    def __init__(self, rules: Sequence[MatchRule], deadline: Deadline) -> None:
        self._rules = tuple(rules)
        self._deadline = deadline

    def decide(self, values: PairFact, uid: str) -> tuple[str, ...]:
        self._deadline.check()
        return tuple(r.id for r in self._rules if all(holds(c, values) for c in r.require))


class ReferenceBackend:
    """Evaluates conditions with :func:`cadre_rules.packs._expr.evaluate` (Kleene logic)."""

    name = "reference"

    def supports(self, program: Program) -> str | None:
        return None

    @contextmanager
    def session(self, program: Program, deadline: Deadline) -> Iterator[_ReferenceSession]:
        yield _ReferenceSession(program, deadline)

    @contextmanager
    def pairs(self, name: str, rules: Sequence[MatchRule], deadline: Deadline) -> Iterator[_ReferencePairs]:
        yield _ReferencePairs(rules, deadline)
