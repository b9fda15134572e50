"""The durable-rules backend: the only module that imports durable-rules.

How durable-rules is driven (see the project's durable notes for the measurements):

* Each pack program is compiled once into a durable-rules JSON ruleset named
  ``<pack id>@<version>#<hash>`` and created once per process through the C module
  (``durable_rules_engine.create_ruleset``) in a private registry. The ``durable.lang`` global
  host and ``durable.engine.Host`` are never used: a Host starts dispatcher threads that never
  stop and that would call into the same ruleset concurrently with us.
* Every rule carries an equality guard on the fact's ``kind`` (a real business field), and no
  rule may read ``id`` or ``sid``: a condition that durable's own state document satisfies
  loops forever.
* Facts are asserted, never posted as events (an event fires only its first matching rule), in
  one constant session id; the actions are drained synchronously (the rule name is the first key
  of each payload; rules have no Python action) and the fact is retracted afterwards, so memory
  stays constant.
* A fact that matches no rule is result code 1 and nothing is stored. More actions than rules
  for one fact means the engine is looping: :class:`~cadre_rules.errors.EvaluationError`.
* The C engine is not thread-safe: every session holds one process-wide lock.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._backend import Deadline
from ._catalogue import FieldSpec
from ._expr import And
from ._expr import Cmp
from ._expr import Expr
from ._expr import IsNone
from ._expr import Member
from ._expr import Not
from ._expr import Or
from ._expr import Truth
from ._expr import negate_op
from ._program import FactKind
from ._program import Program
from ._types import Natural
from .errors import EvaluationError

try:  # pragma: no cover - exercised by the environment, not by a test
    import durable_rules_engine as _dre
except ImportError:  # pragma: no cover
    _dre = None

__all__ = ["AVAILABLE", "DurableBackend", "compile_ruleset", "dumps"]

#: Whether durable-rules' C engine could be imported (it does not build on Python 3.13+).
AVAILABLE = _dre is not None

_SID = "0"
_RESERVED = frozenset({"id", "sid", "$s", "kind"})
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_NEVER = {"kind": "\x00never"}

#: The most properties durable-rules holds in one fact (more corrupt its memory; rulesets reading
#: hundreds of fields never finish compiling).
MAX_FACT_PROPERTIES = 64

_LOCK = threading.RLock()
_REGISTRY: OrderedDict[str, int] = OrderedDict()
#: How many compiled rulesets stay registered; the least recently used beyond are deleted.
REGISTRY_SIZE = 64


#: Numbers beyond this magnitude are all alike to durable-rules (its doubles must stay finite).
_LIMIT = 1e300


def _double(value: Natural) -> float:
    """``float(value)`` clamped to ±1e300: order is what matters, and it must be a finite double."""
    try:
        double = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return _LIMIT if value > 0 else -_LIMIT  # type: ignore[operator]
    return max(-_LIMIT, min(_LIMIT, double))


class _ExactNumbers:
    """Doubles for one numeric field that keep every comparison with its literals exact.

    durable-rules compares numbers as doubles, the reference evaluator exactly (SEMANTICS 15). The
    field's literals get strictly increasing doubles at least two steps apart, and each value the
    double that sits on the same side of (or on) every literal as the exact value does.
    """

    def __init__(self, literals: Iterable[Fraction]) -> None:
        self.literals = sorted(set(literals))
        self.doubles: list[float] = []
        for literal in self.literals:
            double = _double(literal)
            if self.doubles:
                floor = math.nextafter(math.nextafter(self.doubles[-1], math.inf), math.inf)
                double = max(double, floor)
            self.doubles.append(double)
        self._by_literal = dict(zip(self.literals, self.doubles, strict=True))

    def literal(self, value: Natural) -> float:
        return self._by_literal[Fraction(value)]  # type: ignore[arg-type]

    def value(self, value: Natural) -> float:
        literals, doubles = self.literals, self.doubles
        i = bisect.bisect_left(literals, value)
        if i < len(literals) and literals[i] == value:
            return doubles[i]
        low = doubles[i - 1] if i else -math.inf
        high = doubles[i] if i < len(doubles) else math.inf
        double = _double(value)
        if low < double < high:
            return double
        return math.nextafter(high, -math.inf) if i == 0 else math.nextafter(low, math.inf)


def _literals(condition: Expr) -> Iterator[tuple[str, Natural]]:
    if isinstance(condition, Cmp):
        yield condition.field.name, condition.value
    elif isinstance(condition, Member):
        for value in condition.values:
            yield condition.field.name, value
    elif isinstance(condition, (And, Or)):
        for item in condition.items:
            yield from _literals(item)
    elif isinstance(condition, Not):
        yield from _literals(condition.item)


class _Keys:
    """Short fact keys for the fields of a program: ``a0``, ``a1``… (never a reserved name)."""

    def __init__(self, program: Program) -> None:
        self.keys: dict[tuple[FactKind, str], str] = {}
        self.encoders: dict[FactKind, list[tuple[str, str, Callable[[Any], Any] | None]]] = {}
        self.exact: dict[tuple[FactKind, str], _ExactNumbers] = {}
        literals: dict[tuple[FactKind, str], list[Fraction]] = {}
        for condition in program.conditions:
            for name, value in _literals(condition.expr):
                if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
                    literals.setdefault((condition.kind, name), []).append(Fraction(value))
        for kind, specs in program.fields.items():
            prefix = {"o": "a", "u": "b", "m": "c"}[kind]
            encoders = []
            for i, spec in enumerate(specs):
                key = f"{prefix}{i}"
                self.keys[(kind, spec.name)] = key
                encode = spec.type.engine_encoder()
                found = literals.get((kind, spec.name), [])
                exact = spec.type.kind == "number" or (
                    spec.type.kind == "int" and any(f.denominator != 1 for f in found))
                if exact and found:
                    numbers = self.exact[(kind, spec.name)] = _ExactNumbers(found)
                    encode = numbers.value
                encoders.append((spec.name, key, encode))
            self.encoders[kind] = encoders

    def literal(self, kind: FactKind, field: FieldSpec, value: Natural) -> Any:
        """A literal of a condition as the engine compares it."""
        exact = self.exact.get((kind, field.name))
        if exact is not None:
            return exact.literal(value)
        if isinstance(value, Fraction):
            return float(value)
        return field.type.to_engine(value)


def _atom(kind: FactKind, expr: Expr, negated: bool, keys: _Keys) -> Any:
    if isinstance(expr, Truth):
        return expr.value != negated
    if isinstance(expr, (And, Or)):
        is_and = isinstance(expr, And) != negated
        parts = [_atom(kind, item, negated, keys) for item in expr.items]
        if is_and:
            if any(p is False for p in parts):
                return False
            parts = [p for p in parts if p is not True]
            if not parts:
                return True
            return parts[0] if len(parts) == 1 else {"$and": parts}
        if any(p is True for p in parts):
            return True
        parts = [p for p in parts if p is not False]
        if not parts:
            return False
        return parts[0] if len(parts) == 1 else {"$or": parts}
    if isinstance(expr, Not):
        return _atom(kind, expr.item, not negated, keys)
    key = keys.keys[(kind, expr.field.name)]
    assert key not in _RESERVED
    if isinstance(expr, IsNone):
        return {"$ex" if expr.negated != negated else "$nex": {key: 1}}
    if isinstance(expr, Member):
        values = [keys.literal(kind, expr.field, v) for v in expr.values]
        if expr.negated != negated:
            parts = [{"$neq": {key: v}} for v in values]
            return parts[0] if len(parts) == 1 else {"$and": parts}
        parts = [{key: v} for v in values]
        return parts[0] if len(parts) == 1 else {"$or": parts}
    assert isinstance(expr, Cmp)
    op = negate_op(expr.op) if negated else expr.op
    value = keys.literal(kind, expr.field, expr.value)
    if op == "==":
        return {key: value}
    return {_OPS[op]: {key: value}}


def _number(value: float) -> str:
    text = repr(value)
    if "e" not in text:
        return text
    # durable-rules' JSON parser rejects exponents (1e-06): write the number in fixed notation.
    fixed = format(Decimal(text), "f")
    return fixed if "." in fixed else fixed + ".0"


def dumps(value: Any) -> str:
    """JSON text as durable-rules reads it: UTF-8 characters kept (it does not decode ``\\u``
    escapes) and numbers never in exponent notation (its parser rejects them)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise EvaluationError("durable-rules cannot compare with NaN or infinity")
        return _number(value)
    return json.dumps(value, ensure_ascii=False)


def _check_guarded(condition: Any) -> None:
    """Refuse anything that reads durable's own fields (pitfall: an endless action loop)."""
    if isinstance(condition, dict):
        for k, v in condition.items():
            if k in ("id", "sid", "$s"):
                raise EvaluationError(f"refusing a durable-rules condition on the reserved field {k!r}")
            _check_guarded(v)
    elif isinstance(condition, list):
        for item in condition:
            _check_guarded(item)


def _branches(condition: Any) -> int:
    """How many activations a condition can produce for one fact: its number of DNF terms."""
    if isinstance(condition, dict):
        if "$or" in condition:
            return sum(_branches(c) for c in condition["$or"])
        if "$and" in condition:
            product = 1
            for c in condition["$and"]:
                product *= _branches(c)
            return product
    return 1


def max_activations(rules: dict[str, Any]) -> int:
    """The most actions one fact can fire in a ruleset (durable fires once per DNF term)."""
    return max(1, sum(_branches(rule["all"][0]["m"]) for rule in rules.values()))


def compile_ruleset(program: Program) -> tuple[str, dict[str, Any], _Keys]:
    """The durable-rules JSON ruleset of a program, its registry name and fact keys."""
    keys = _Keys(program)
    rules: dict[str, Any] = {}
    for cond in program.conditions:
        body = _atom(cond.kind, cond.expr, False, keys)
        if body is False:
            continue  # can never hold: no rule
        guard = {"kind": cond.kind}
        _check_guarded(body)
        match = guard if body is True else {"$and": [guard, body]}
        rules[cond.name] = {"all": [{"m": match}]}
    text = dumps(rules)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"{program.pack.id}@{program.pack.version}#{digest}"
    return name, rules, keys


def _handle(name: str, rules: dict[str, Any]) -> int:
    """The C handle of a ruleset, created once per process (caller holds the lock)."""
    handle = _REGISTRY.get(name)
    if handle is not None:
        _REGISTRY.move_to_end(name)
        return handle
    assert _dre is not None
    if not rules:
        rules = {"never": {"all": [{"m": _NEVER}]}}
    try:
        handle = int(_dre.create_ruleset(name, dumps(rules)))
    except _dre.error as exc:
        raise EvaluationError(f"durable-rules rejected ruleset {name}: {exc}") from None
    _REGISTRY[name] = handle
    while len(_REGISTRY) > REGISTRY_SIZE:
        _, old = _REGISTRY.popitem(last=False)
        _dre.delete_ruleset(old)
    return handle


def _fact_encoder() -> Callable[[dict[str, Any]], str]:
    """The fastest JSON encoder for flat facts: the C encoder of :mod:`json`, called directly."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
    encode = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def dumps(fact: dict[str, Any]) -> str:
        return "".join(encode(fact, 0))

    return dumps


class _DurableSession:
    def __init__(self, handle: int, keys: _Keys, max_actions: int, deadline: Deadline) -> None:
        self._handle = handle
        self._encoders = keys.encoders
        self._max_actions = max_actions
        self._deadline = deadline
        self._dumps = _fact_encoder()
        #: Whether a fact was ever stored, so that the session's state exists (deleting a state
        #: that was never created aborts the process).
        self.stored = False

    def match(self, kind: FactKind, values: Mapping[str, Natural | None], uid: str) -> list[str]:
        self._deadline.check()
        fact: dict[str, Any] = {key: value if encode is None else encode(value)
                                for name, key, encode in self._encoders[kind]
                                if (value := values.get(name)) is not None}
        fact["id"] = f"{kind}:{uid}"
        fact["sid"] = _SID
        fact["kind"] = kind
        text = self._dumps(fact)
        if "e-" in text or "e+" in text:  # a float in exponent notation (rare): slow path
            text = dumps(fact)
        assert _dre is not None
        handle = self._handle
        try:
            code, state = _dre.assert_fact(handle, text)
        except _dre.error as exc:
            raise EvaluationError(f"durable-rules failed on a fact: {exc}") from None
        if code == 1:  # matched no rule: nothing stored
            return []
        self.stored = True
        if code == 2:
            raise EvaluationError("durable-rules saw a duplicate fact (a fact was not retracted)")
        fired: list[str] = []
        try:
            result = _dre.start_action_for_state(handle, state)
            payload = result[1] if result else None
            while payload:
                fired.append(payload[2:payload.index('"', 2)])
                if len(fired) > self._max_actions:
                    raise EvaluationError("durable-rules fired more actions than its rules can match: "
                                          "the engine is looping; evaluation stopped")
                payload = _dre.complete_and_start_action(handle, state)
        finally:
            _dre.retract_fact(handle, text)
        # A rule fires once per satisfied branch of its `$or`s (durable expands conditions into
        # disjunctive normal form): report each condition once.
        return list(dict.fromkeys(fired))


class DurableBackend:
    """Evaluates conditions with durable-rules' Rete engine (C core)."""

    name = "durable"

    def __init__(self) -> None:
        if _dre is None:
            raise EvaluationError("durable-rules is not installed (it does not build on Python 3.13+); "
                                  "use the reference backend")

    def supports(self, program: Program) -> str | None:
        """Why durable-rules cannot evaluate a program (``None``: it can)."""
        widest = max(len(specs) for specs in program.fields.values())
        if widest + len(_RESERVED) > MAX_FACT_PROPERTIES:
            return (f"durable-rules holds at most {MAX_FACT_PROPERTIES} properties per fact and pack "
                    f"{program.pack.ref} reads {widest} fields of one kind of fact")
        return None

    @contextmanager
    def session(self, program: Program, deadline: Deadline) -> Iterator[_DurableSession]:
        reason = self.supports(program)
        if reason is not None:  # beyond it, facts corrupt memory and wide rulesets never compile
            raise EvaluationError(reason)
        name, rules, keys = compile_ruleset(program)
        with _LOCK:
            handle = _handle(name, rules)
            session = _DurableSession(handle, keys, max_activations(rules), deadline)
            try:
                yield session
            finally:
                assert _dre is not None
                if session.stored:
                    _dre.delete_state(handle, _SID)
