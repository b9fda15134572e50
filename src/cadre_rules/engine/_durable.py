"""The durable-rules backend: the only module that imports durable-rules.

Loading: durable-rules' C engine module (``durable_rules_engine``) is imported once, here. On Python
3.13+ it refers to ``PyEval_CallObject``, which CPython removed; the shim ``_pyeval_compat`` (C,
compiled at install by ``hatch_build.py``) defines it and is loaded first with ``RTLD_GLOBAL``.
Where the engine cannot be loaded, :data:`AVAILABLE` is false, :data:`UNAVAILABLE_REASON` says why,
and ``--backend auto`` runs the reference backend with a note in the report.

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

What is asserted (the speed of an evaluation comes from here):

* Every condition compares one field with literals, so a value's *class* (its position among
  the field's literals: below, equal, between, above) decides every condition on that field.
  Subjects whose values fall in the same classes satisfy the same conditions: durable-rules
  decides the first subject of each combination of classes, the session's memo answers the
  others. The memo is bounded (:data:`._classes.MEMO_SIZE`), so memory never grows with the number of
  officials; ``DurableBackend(memo=False)`` asserts every fact (same results, for measuring).
* The fields of a kind of fact are split into groups that no condition reads across
  (:func:`._classes.fact_groups`), each asserted as its own fact with its own ``kind`` guard (``o0``,
  ``o1``…): the combinations of classes of each group stay few.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import json
import math
import operator
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from typing import Any

from ..errors import EvaluationError
from ..model._distinct import first_positions
from ..model._types import Natural
from ..packs._catalogue import FieldSpec
from ..packs._expr import And
from ..packs._expr import Cmp
from ..packs._expr import Expr
from ..packs._expr import IsNone
from ..packs._expr import Member
from ..packs._expr import Not
from ..packs._expr import Or
from ..packs._expr import Rel
from ..packs._expr import Truth
from ..packs._expr import fields_of
from ..packs._expr import negate_op
from ..packs._match_rules import Compare
from ..packs._match_rules import MatchRule
from ..packs._program import FactKind
from ..packs._program import Program
from . import _classes
from ._backend import Deadline
from ._backend import PairFact
from ._classes import Classifier
from ._classes import condition_groups
from ._classes import fact_groups
from ._classes import field_literals
from ._durable_found import installed_version

__all__ = ["AVAILABLE", "UNAVAILABLE_REASON", "DurableBackend", "compile_pairs", "compile_ruleset", "dumps", "version"]


def _load_global(module: str) -> None:
    """Import an extension module with its symbols global: libraries loaded after it resolve them."""
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | os.RTLD_GLOBAL)
    try:
        importlib.import_module(module)
    finally:
        sys.setdlopenflags(flags)


def _load_engine(needs_shim: bool = sys.version_info >= (3, 13)) -> tuple[Any, str | None]:
    """durable-rules' C engine module, or ``None`` and why it cannot be loaded.

    On Python 3.13+ the engine module needs ``PyEval_CallObject``, which CPython removed from its C
    API: the shim ``_pyeval_compat`` (``_pyeval_compat.c``, compiled when cadre-rules is installed on
    3.13+) defines it, loaded first with ``RTLD_GLOBAL`` so that the engine's reference resolves to it.
    """
    if needs_shim:
        try:
            _load_global(f"{__package__}._pyeval_compat")
        except ImportError as exc:
            return None, (f"the shim {__package__}._pyeval_compat that durable-rules needs on Python 3.13+ did not "
                          f"load ({exc}); reinstall cadre-rules on this Python with a C compiler")
    try:
        import durable_rules_engine  # noqa: PLC0415 - loaded after the shim
    except ImportError as exc:
        return None, f"durable-rules' engine did not load: {exc}"
    return durable_rules_engine, None


_dre, UNAVAILABLE_REASON = _load_engine()
#: Whether durable-rules' C engine could be loaded (``UNAVAILABLE_REASON`` says why not).
AVAILABLE = _dre is not None


#: The installed version of durable-rules (``None``: not installed).
version = installed_version


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


class _Keys:
    """Short fact keys for the fields of a program: ``a0``, ``a1``… (never a reserved name)."""

    def __init__(self, program: Program) -> None:
        self.keys: dict[tuple[FactKind, str], str] = {}
        self.encoders: dict[FactKind, list[tuple[str, str, Callable[[Any], Any] | None]]] = {}
        self.exact: dict[tuple[FactKind, str], _ExactNumbers] = {}
        #: the literals of each field, with their comparisons (:func:`_field_literals`)
        self.literals = field_literals(program)
        literals = {field: [Fraction(v) for v, _ in found if isinstance(v, (int, Fraction)) and not isinstance(v, bool)]
                    for field, found in self.literals.items()}
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
    if isinstance(expr, Rel):  # (relations of two subjects are decided on pair facts: compile_pairs)
        raise EvaluationError(f"{expr.left.name} {expr.op} {expr.right.name}: a relation of two subjects is not "
                              "a condition of one fact")
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
    """The durable-rules JSON ruleset of a program, its registry name and fact keys.

    Every rule is guarded by the ``kind`` of the facts of its group of fields (:func:`fact_groups`).
    """
    keys = _Keys(program)
    tags = condition_groups(program)
    rules: dict[str, Any] = {}
    for cond in program.conditions:
        body = _atom(cond.kind, cond.expr, False, keys)
        if body is False:
            continue  # can never hold: no rule
        guard = {"kind": tags[cond.name]}
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
    """The fastest JSON encoder for flat facts: the C encoder of :mod:`json`, called directly
    (compact, UTF-8 characters kept, NaN allowed)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
    encode = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def dumps(value: object) -> str:
        return "".join(encode(value, 0))

    return dumps


def _classifiers(program: Program, keys: _Keys) -> dict[tuple[FactKind, str], Classifier]:
    specs = {(kind, spec.name): spec for kind, fields in program.fields.items() for spec in fields}
    return {(kind, name): Classifier(encode, [(keys.literal(kind, specs[(kind, name)], value), op)
                                               for value, op in keys.literals.get((kind, name), ())],
                                      specs[(kind, name)].type.kind)
            for kind, encoders in keys.encoders.items() for name, _key, encode in encoders}


class _Group:
    """The facts of one group of fields (:func:`fact_groups`), with the memo of their matches."""

    __slots__ = ("classify", "encoders", "memo", "names", "tag")

    def __init__(self, tag: str, encoders: list[tuple[str, str, Callable[[Any], Any] | None]],
                 classifiers: Mapping[tuple[FactKind, str], Classifier], kind: FactKind) -> None:
        self.tag = tag
        self.names = tuple(name for name, _, _ in encoders)
        self.encoders = tuple((key, encode) for _, key, encode in encoders)
        self.classify = tuple(classifiers[(kind, name)] for name in self.names)
        #: classes of the values -> the conditions that hold
        self.memo: dict[tuple[Any, ...], tuple[str, ...]] = {}


def _rules_reading(program: Program, group: _Group) -> str:
    """The ids of the pack's rules whose conditions read a field of ``group`` (for a located error)."""
    names = set(group.names)
    rules = {name: r.rule.id for r in (*program.official_rules, *program.unit_rules)
             for name in (r.name, r.gap, *(e for e, _ in r.escalations)) if name is not None}
    found = {rules.get(c.name, c.name) for c in program.conditions if {f.name for f in fields_of(c.expr)} & names}
    return ", ".join(sorted(found)) or "-"


_SECOND = operator.itemgetter(1)


def _one(at: tuple[int, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The items of a tuple at the positions ``at`` (none or one), as a tuple."""
    if not at:
        return lambda key: ()
    j = at[0]
    return lambda key: (key[j],)


class _DurableSession:
    def __init__(self, handle: int, program: Program, keys: _Keys, groups: Mapping[FactKind, list[tuple[str, ...]]],
                 max_actions: int, deadline: Deadline, memo: bool) -> None:
        self._handle = handle
        self._program = program
        self._max_actions = max_actions
        self._deadline = deadline
        self._dumps = _fact_encoder()
        self._memo = memo
        classifiers = _classifiers(program, keys)
        self._groups: dict[FactKind, list[_Group]] = {}
        for kind, of_kind in groups.items():
            encoders = {name: (name, key, encode) for name, key, encode in keys.encoders[kind]}
            self._groups[kind] = [_Group(f"{kind}{i}", [encoders[n] for n in group], classifiers, kind)
                                  for i, group in enumerate(of_kind)]
        #: How many facts were asserted into durable-rules (the others were answered from the memo).
        self.asserted = 0
        #: Whether a fact was ever stored, so that the session's state exists (deleting a state
        #: that was never created aborts the process).
        self.stored = False

    def match(self, kind: FactKind, values: Mapping[str, Natural | None], uid: str) -> tuple[str, ...]:
        """The conditions of ``kind`` that hold for the subject ``values``.

        The subject is one fact per group of fields. Facts whose values fall in the same classes
        (:class:`Classifier`) satisfy the same conditions: durable-rules decides the first fact
        of each combination of classes, the others get its answer from the group's memo.
        """
        self._deadline.check()
        found: tuple[str, ...] = ()
        get = values.get
        for group in self._groups[kind]:
            vals = tuple(map(get, group.names))
            if self._memo:
                found += self._remembered(group, tuple(map(Classifier.__call__, group.classify, vals)), vals, uid)
            else:
                found += self._assert(group, vals, uid)
        return found

    def combinations(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                     uids: Sequence[str]) -> tuple[list[int], list[tuple[str, ...]]]:
        """The conditions of ``kind`` that hold for a column of subjects, decided once per combination of
        classes of their values: each subject's combination (its number) and the conditions that hold for
        each combination, numbered in the order of their first subjects.

        Each field's column is classified once per distinct value (:meth:`Classifier.column`); durable-rules
        decides each group's combination of classes not decided yet in this session, asserted as the
        values of the first subject of the combination."""
        self._deadline.check_now()
        count = len(uids)
        groups = self._groups[kind]
        if not self._memo:  # every subject asserted (for measuring)
            rows = [list(zip(*(columns[name] for name in group.names), strict=True)) if group.names
                    else [()] * count for group in groups]
            return list(range(count)), [
                tuple(chain.from_iterable(self._assert(group, row[i], uids[i]) for group, row in zip(groups, rows,
                                                                                                     strict=True)))
                for i in range(count)]
        classifiers = {name: classify for group in groups for name, classify in zip(group.names, group.classify,
                                                                                     strict=True)}
        position = {name: j for j, name in enumerate(classifiers)}
        classes = [classify.column(columns[name]) for name, classify in classifiers.items()]
        keys: list[tuple[Any, ...]] = list(zip(*classes, strict=True)) if classes else [()] * count
        firsts, distinct = first_positions(keys)
        taken = [operator.itemgetter(*at) if len(at) > 1 else _one(at)
                 for at in (tuple(position[name] for name in group.names) for group in groups)]
        # per group, the classes of each combination and the conditions that hold for each distinct classes (decided
        # on the first combination of those, in order), looked up for the others in C loops
        combined = list(map(keys.__getitem__, distinct))
        held: list[list[tuple[str, ...]]] = []
        for group, take in zip(groups, taken, strict=True):
            classes = list(map(take, combined))
            first = dict(zip(reversed(classes), reversed(distinct), strict=True))  # (the first of each wins)
            found = {key: self._remembered(group, key, tuple(columns[name][i] for name in group.names), uids[i])
                     for key, i in sorted(first.items(), key=_SECOND)}
            held.append(list(map(found.__getitem__, classes)))
        matched: list[tuple[str, ...]] = list(map(tuple, map(chain.from_iterable, zip(*held, strict=True)))) if held \
            else [()] * len(distinct)
        number = dict(zip(distinct, range(len(distinct)), strict=True))
        return list(map(number.__getitem__, firsts)), matched

    def match_columns(self, kind: FactKind, columns: Mapping[str, Sequence[Natural | None]],
                      uids: Sequence[str]) -> list[tuple[str, ...]]:
        """:meth:`match` for a column of subjects (:meth:`combinations`, each subject given its own)."""
        codes, matched = self.combinations(kind, columns, uids)
        return list(map(matched.__getitem__, codes))

    def _remembered(self, group: _Group, key: tuple[Any, ...], vals: tuple[Natural | None, ...],
                    uid: str) -> tuple[str, ...]:
        """The conditions that hold for the classes ``key``: from the memo, or asserted and remembered."""
        names = group.memo.get(key)
        if names is None:
            self._deadline.check()
            names = self._assert(group, vals, uid)
            if len(group.memo) < _classes.MEMO_SIZE:
                group.memo[key] = names
        return names

    def _assert(self, group: _Group, vals: tuple[Natural | None, ...], uid: str) -> tuple[str, ...]:
        self.asserted += 1
        fact: dict[str, Any] = {key: value if encode is None else encode(value)
                                for (key, encode), value in zip(group.encoders, vals, strict=True)
                                if value is not None}
        fact["id"] = f"{group.tag}:{uid}"
        fact["sid"] = _SID
        fact["kind"] = group.tag
        text = self._dumps(fact)
        if "e-" in text or "e+" in text:  # a float in exponent notation (rare): slow path
            text = dumps(fact)
        assert _dre is not None
        handle = self._handle
        try:
            code, state = _dre.assert_fact(handle, text)
        except _dre.error as exc:
            raise EvaluationError(f"pack {self._program.pack.ref}: durable-rules failed on subject {uid!r} "
                                  f"(fields {', '.join(group.names)}; rules {_rules_reading(self._program, group)}):"
                                  f" {exc}") from None
        if code == 1:  # matched no rule: nothing stored
            return ()
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
        return tuple(dict.fromkeys(fired))


# -- the join of ``cadre-rules match``: pair facts ------------------------------------------------------
# durable-rules' joins of two facts (``{"all": [{"p": …}, {"c": …}]}``) crash the C engine (a segfault on
# the assert after a joined action) unless durable's Host dispatcher threads run between calls; those
# threads are what this module refuses (see above). A pair of a candidate and a post is therefore one
# fact holding both sides (``c_…``, ``p_…``), and each match rule compares fields of that fact with
# each other (``{"$gte": {"c_education": {"$m": "p_education"}}}``) and with literals.
_PAIR_KIND = "pair"


def _pair_atom(compare: Compare) -> dict[str, Any]:
    right: Any = compare.right.value if compare.right.owner == "literal" else {"$m": compare.right.key}
    if compare.op == "==":
        return {compare.left.key: right}
    return {_OPS[compare.op]: {compare.left.key: right}}


def compile_pairs(name: str, rules: Sequence[MatchRule]) -> tuple[str, dict[str, Any]]:
    """The durable-rules JSON ruleset deciding match rules on pair facts, and its registry name.

    Every field a rule reads must exist (``$ex``): a missing value satisfies no comparison, as in the
    reference semantics (:func:`._match_rules.holds`).
    """
    compiled: dict[str, Any] = {}
    for rule in rules:
        body: list[Any] = [{"kind": _PAIR_KIND}]
        body.extend({"$ex": {key: 1}} for key in rule.keys)
        body.extend(_pair_atom(c) for c in rule.require)
        _check_guarded(body)
        compiled[rule.id] = {"all": [{"m": {"$and": body}}]}
    text = dumps(compiled)
    return f"match:{name}#{hashlib.sha256(text.encode()).hexdigest()[:16]}", compiled


class _DurablePairs:
    """Decides the match rules of pair facts, one fact at a time (asserted, drained, retracted)."""

    def __init__(self, handle: int, name: str, max_actions: int, deadline: Deadline) -> None:
        self._handle = handle
        self._name = name
        self._max_actions = max_actions
        self._deadline = deadline
        self._dumps = _fact_encoder()
        self.stored = False

    def decide(self, values: PairFact, uid: str) -> tuple[str, ...]:
        self._deadline.check()
        fact: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        fact["id"] = uid
        fact["sid"] = _SID
        fact["kind"] = _PAIR_KIND
        text = self._dumps(fact)
        assert _dre is not None
        try:
            code, state = _dre.assert_fact(self._handle, text)
        except _dre.error as exc:
            raise EvaluationError(f"{self._name}: durable-rules failed on pair {uid!r}: {exc}") from None
        if code == 1:
            return ()
        self.stored = True
        if code == 2:
            raise EvaluationError("durable-rules saw a duplicate pair fact (a fact was not retracted)")
        fired: list[str] = []
        try:
            result = _dre.start_action_for_state(self._handle, state)
            payload = result[1] if result else None
            while payload:
                fired.append(payload[2:payload.index('"', 2)])  # (rule ids are plain: _match_rules)
                if len(fired) > self._max_actions:
                    raise EvaluationError("durable-rules fired more actions than its rules can match: "
                                          "the engine is looping; matching stopped")
                payload = _dre.complete_and_start_action(self._handle, state)
        finally:
            _dre.retract_fact(self._handle, text)
        return tuple(dict.fromkeys(fired))


class DurableBackend:
    """Evaluates conditions with durable-rules' Rete engine (C core)."""

    name = "durable"

    def __init__(self, memo: bool = True) -> None:
        """``memo=False`` asserts every fact into durable-rules, even one whose classes of values
        it already decided (for measurements and tests: the results are the same)."""
        self.memo = memo
        if _dre is None:
            raise EvaluationError(f"{UNAVAILABLE_REASON or 'durable-rules is not installed'}; "
                                  "use the reference backend")
        #: compiled programs (the last few): id -> (program, ruleset name, rules, keys, groups)
        self._compiled: OrderedDict[int, tuple[Program, str, dict[str, Any], _Keys,
                                               dict[FactKind, list[tuple[str, ...]]]]] = OrderedDict()

    def _compile(self, program: Program) -> tuple[str, dict[str, Any], _Keys, dict[FactKind, list[tuple[str, ...]]]]:
        """:func:`compile_ruleset` and :func:`fact_groups` of a program, once per program."""
        entry = self._compiled.get(id(program))
        if entry is None or entry[0] is not program:
            name, rules, keys = compile_ruleset(program)
            entry = self._compiled[id(program)] = (program, name, rules, keys, fact_groups(program))
            while len(self._compiled) > REGISTRY_SIZE:
                self._compiled.popitem(last=False)
        self._compiled.move_to_end(id(program))
        return entry[1:]

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
        with _LOCK:
            name, rules, keys, groups = self._compile(program)
            handle = _handle(name, rules)
            session = _DurableSession(handle, program, keys, groups, max_activations(rules), deadline, self.memo)
            try:
                yield session
            finally:
                assert _dre is not None
                if session.stored:
                    _dre.delete_state(handle, _SID)

    @contextmanager
    def pairs(self, name: str, rules: Sequence[MatchRule], deadline: Deadline) -> Iterator[_DurablePairs]:
        """A session deciding match rules on pair facts (:func:`compile_pairs`)."""
        with _LOCK:
            registry, compiled = compile_pairs(name, rules)
            handle = _handle(registry, compiled)
            session = _DurablePairs(handle, name, max(1, len(compiled)), deadline)
            try:
                yield session
            finally:
                assert _dre is not None
                if session.stored:
                    _dre.delete_state(handle, _SID)
