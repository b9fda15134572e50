"""Classes of values: which values satisfy the same conditions, and which conditions are decided together.

Every condition of a pack compares one field with literals (``age < 35``, ``education in [...]``,
``x is None``), so the position of a value among the literals its field is compared with decides
every condition on that field: values in the same *class* satisfy the same conditions. A backend
decides a subject's conditions once per combination of classes and remembers the answer.

Conditions are decided in groups (:func:`condition_groups`), each reading a few fields whose values
fall in few combinations of classes, so that the combinations seen stay few. Nothing here depends on
durable-rules; :mod:`._durable` uses it with the literals encoded as the engine compares them.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from ..model._distinct import first_positions
from ..model._distinct import per_distinct
from ..model._types import Natural
from ..packs._expr import And
from ..packs._expr import Cmp
from ..packs._expr import Expr
from ..packs._expr import IsNone
from ..packs._expr import Member
from ..packs._expr import Not
from ..packs._expr import Or
from ..packs._program import FactKind
from ..packs._program import Program

__all__ = ["MEMO_SIZE", "SMALL_GROUP", "Classifier", "atoms", "condition_groups", "exact_keys", "fact_groups",
           "field_literals"]


def atoms(condition: Expr) -> Iterator[Cmp | Member | IsNone]:
    """The comparisons of a condition (each reads one field), depth first."""
    if isinstance(condition, (Cmp, Member, IsNone)):
        yield condition
    elif isinstance(condition, (And, Or)):
        for item in condition.items:
            yield from atoms(item)
    elif isinstance(condition, Not):
        yield from atoms(condition.item)


def field_literals(program: Program) -> dict[tuple[FactKind, str], list[tuple[Natural, str]]]:
    """The literals each field is compared with, with the comparison (``==`` for ``in``), per kind."""
    literals: dict[tuple[FactKind, str], list[tuple[Natural, str]]] = {}
    for condition in program.conditions:
        for atom in atoms(condition.expr):
            found = literals.setdefault((condition.kind, atom.field.name), [])
            if isinstance(atom, Cmp):
                found.append((atom.value, atom.op))
            elif isinstance(atom, Member):
                found.extend((value, "==") for value in atom.values)
    return literals


#: Conditions are asserted together, in one fact, while the fields they read fall in at most this
#: many combinations of classes of values (fewer facts per subject; their memo stays small).
SMALL_GROUP = 1024


def fact_groups(program: Program) -> dict[FactKind, list[tuple[str, ...]]]:
    """The fields of each kind of fact, in groups: a subject is asserted as one fact per group.

    See :func:`condition_groups`: each group holds the fields its conditions read (a field read by
    conditions of two groups is in both).
    """
    return {kind: [fields for fields, _ in groups] for kind, groups in _grouping(program).items()}


def condition_groups(program: Program) -> dict[str, str]:
    """The ``kind`` tag of each condition's group (``o0``, ``o1``…): the guard of its rule."""
    return {name: f"{kind}{i}" for kind, groups in _grouping(program).items()
            for i, (_, names) in enumerate(groups) for name in names}


def _grouping(program: Program) -> dict[FactKind, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Conditions in groups, each with the fields its conditions read, for each kind of fact.

    Every condition starts in a group of its own; the two groups whose fields together fall in the
    fewest combinations of classes are merged, again and again, while those stay within
    :data:`SMALL_GROUP` (or are no more than one of the two had: a group whose fields another has
    joins it). A memo per group then sees few combinations (few facts asserted into durable-rules),
    and a subject is few facts. Conditions reading no field go with the first group.
    """
    literals = {field: {v for v, _ in found} for field, found in field_literals(program).items()}
    out: dict[FactKind, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for kind, specs in program.fields.items():
        order = {spec.name: i for i, spec in enumerate(specs)}

        def combinations(fields: frozenset[str], kind: FactKind = kind) -> int:
            # a value is None, below, on or between the literals: at most 2 * literals + 2 classes
            return math.prod(2 * len(literals.get((kind, name), ())) + 2 for name in fields)

        groups: list[tuple[frozenset[str], list[str]]] = []
        idle: list[str] = []
        for condition in program.by_kind(kind):
            fields = frozenset(atom.field.name for atom in atoms(condition.expr))
            if fields:
                groups.append((fields, [condition.name]))
            else:
                idle.append(condition.name)
        def cost(a: frozenset[str], b: frozenset[str]) -> float:
            # the combinations of the merged group; beyond SMALL_GROUP, only a merge that adds none
            size = combinations(a | b)
            return size if size <= SMALL_GROUP or size == max(combinations(a), combinations(b)) else math.inf

        # the cost of merging every pair of groups (by number), updated as groups merge
        live = dict(enumerate(groups))
        pairs = {(i, j): cost(live[i][0], live[j][0]) for i in live for j in live if i < j}
        while pairs:
            (i, j), size = min(pairs.items(), key=lambda item: (item[1], item[0]))
            if size == math.inf:
                break
            first, second = live.pop(i), live.pop(j)
            merged = (first[0] | second[0], first[1] + second[1])
            pairs = {p: c for p, c in pairs.items() if i not in p and j not in p}
            new = len(groups)
            groups.append(merged)
            pairs.update({(k, new): cost(live[k][0], merged[0]) for k in live})
            live[new] = merged
        ordered = sorted(((tuple(sorted(fields, key=order.__getitem__)), names) for fields, names in live.values()),
                         key=lambda g: [order[name] for name in g[0]])
        if idle:
            ordered = [(ordered[0][0], idle + ordered[0][1]), *ordered[1:]] if ordered else [((), idle)]
        out[kind] = [(fields, tuple(names)) for fields, names in ordered]
    return out


#: How many combinations of classes of values one group of a session remembers the matches of
#: (beyond, facts are asserted again): bounds a session's memory whatever the number of subjects.
MEMO_SIZE = 1 << 16


_NUMERATOR = repeat("numerator")
_DENOMINATOR = repeat("denominator")
_NO_NUMBER = (None, None)


def exact_keys(values: Sequence[Any]) -> list[Any]:
    """Numbers as cheap dict keys, ``(numerator, denominator)`` (``Fraction``'s own hash is computed
    in Python, a tuple's in C); ``(None, None)`` for a missing value. C loops over the values."""
    keys = list(zip(map(getattr, values, _NUMERATOR, repeat(None)), map(getattr, values, _DENOMINATOR, repeat(None)),
                    strict=True))
    if keys.count(_NO_NUMBER) != sum(map(operator.is_, values, repeat(None))):  # (not a number: refused)
        bad = next(v for v, k in zip(values, keys, strict=True) if k == _NO_NUMBER and v is not None)
        raise TypeError(f"not a number: {bad!r}")
    return keys


class Classifier:
    """The class of a field's values that decides every condition on that field.

    Conditions compare a field with literals only, so two values on the same side of, or equal
    to, the same literals satisfy the same conditions. The class of a value is its position among
    the field's literals as the engine compares them: ``2 * i`` below the literal ``i`` (and above
    the one before), ``2 * i + 1`` equal to it; a missing value (``None``) is class -1. A literal
    compared only with ``<`` and ``>=`` tells nothing apart from the values just above it, so a
    value equal to it is in the class above (``2 * i + 2``); one compared only with ``<=`` and ``>``
    likewise in the class below. (Only numbers, dates and ordered codes, encoded as numbers, are
    compared by order; for text the sorted position still tells equal values from others.)

    A boolean is its own class (``None``, ``False`` and ``True`` are never fewer classes): nothing
    to compute.
    """

    __slots__ = ("_encode", "_equal", "_literals", "_number", "raw")

    def __init__(self, encode: Callable[[Any], Any] | None, literals: Iterable[tuple[Any, str]],
                 kind: str) -> None:
        self._encode = encode
        ops: dict[Any, set[str]] = {}
        for literal, op in literals:
            ops.setdefault(literal, set()).add(_FAMILY[op])
        self._literals = sorted(ops)
        #: the offset of the class of a value equal to each literal: 1 its own, 2 the class above,
        #: 0 the class below
        self._equal = [1 if len(ops[v]) > 1 else _EQUAL_CLASS[next(iter(ops[v]))] for v in self._literals]
        self._number = kind == "number"
        #: whether values are their own classes (booleans)
        self.raw = kind == "bool"

    def __call__(self, value: Any) -> Any:
        if self.raw:
            return value
        if value is None:
            return -1
        engine = value if self._encode is None else self._encode(value)
        literals = self._literals
        i = bisect.bisect_left(literals, engine)
        return 2 * i + (self._equal[i] if i < len(literals) and literals[i] == engine else 0)

    def column(self, values: Sequence[Any]) -> Sequence[Any]:
        """The classes of a column of values (booleans: the column itself), each distinct value
        classified once (numbers keyed as :func:`exact_keys`: a ``Fraction`` hashes in Python)."""
        if self.raw:
            return values
        if not self._number:
            classes = {value: self(value) for value in set(values)}
            return list(map(classes.__getitem__, values))
        # the distinct objects first (readers share one object per distinct text), then their exact values
        firsts, distinct = first_positions(list(map(id, values)))
        objects = [values[i] for i in distinct]
        table = dict(zip(distinct, per_distinct(exact_keys(objects), lambda j: self(objects[j])), strict=True))
        return list(map(table.__getitem__, firsts))


#: Comparisons that tell the same values apart (a comparison and its negation): ``<`` and ``>=``
#: put a value equal to the literal with the values above it, ``<=`` and ``>`` with those below.
_FAMILY = {"<": "<", ">=": "<", "<=": "<=", ">": "<=", "==": "==", "!=": "=="}
_EQUAL_CLASS = {"<": 2, "<=": 0, "==": 1}
