"""The expression language of policy packs: parser, type checker and reference evaluator.

Expressions are a safe subset of Python expression syntax, parsed with :mod:`ast` (never
``eval``): comparisons (chained too), ``and`` / ``or`` / ``not``, ``in`` / ``not in`` with a
list of literals, ``is None`` / ``is not None``, literals, field names, pack parameters and
calls of registered functions with literal arguments. Every field and literal is type-checked
against the field catalogue; ordered codes compare by rank.

A missing value is *unknown*: a comparison with it is unknown, and ``and`` / ``or`` / ``not``
follow Kleene's three-valued logic. A rule fires only when its condition is definitely true.
"""

from __future__ import annotations

import ast
import difflib
import functools
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

import attrs

from ..errors import N_
from ..errors import Count
from ..errors import ExpressionError
from ..errors import InvalidValue
from ..errors import Message
from ..model._context import Calendar
from ..model._types import BOOL
from ..model._types import Natural
from ._catalogue import OFFICIAL_FIELDS
from ._catalogue import UNIT_FIELDS
from ._catalogue import FieldSpec
from ._catalogue import FunctionSpec
from ._catalogue import Subject
from ._catalogue import call_key

__all__ = ["And", "Cmp", "Expr", "IsNone", "Member", "Not", "Or", "Parsed", "Rel", "Truth",
           "conjuncts", "evaluate", "fields_of", "parse", "parse_field", "parse_relation"]

T = TypeVar("T")

_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_OPS: dict[type[ast.cmpop], str] = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
                                    ast.Gt: ">", ast.GtE: ">="}


@attrs.frozen
class Cmp:
    """``field op value``."""

    field: FieldSpec
    op: str
    value: Natural


@attrs.frozen
class Member:
    """``field in (values)`` or, negated, ``field not in (values)``."""

    field: FieldSpec
    values: tuple[Natural, ...]
    negated: bool = False


@attrs.frozen
class IsNone:
    """``field is None`` or, negated, ``field is not None`` (never unknown)."""

    field: FieldSpec
    negated: bool = False


@attrs.frozen
class Rel:
    """``field op field``: two fields compared with each other, in a condition relating two subjects
    (:func:`parse_relation`: a candidate's and a post's)."""

    left: FieldSpec
    op: str
    right: FieldSpec


@attrs.frozen
class Truth:
    value: bool


@attrs.frozen
class And:
    items: tuple[Expr, ...]


@attrs.frozen
class Or:
    items: tuple[Expr, ...]


@attrs.frozen
class Not:
    item: Expr


Expr = Cmp | Member | IsNone | Truth | And | Or | Not | Rel


@attrs.frozen
class Parsed:
    """A checked expression with the derived fields and tallies it needs."""

    text: str
    expr: Expr
    #: ``count('…')`` expressions over officials that a unit expression tallies, by key.
    tallies: Mapping[str, Parsed] = attrs.field(factory=dict)


def _closest(name: str, options: Iterator[str] | list[str]) -> str | None:
    found = difflib.get_close_matches(name, list(options), n=1)
    return found[0] if found else None


def _column_of_call(column: Callable[..., T], values: tuple[Natural, ...], calendar: Calendar) -> T:
    """The batch column of a call with the literal arguments ``values`` (see :attr:`FunctionSpec.column`), or
    its function of the distinct values it reads (:attr:`FunctionSpec.from_reads`)."""
    return column(calendar, *values)


class _Checker:
    def __init__(self, text: str, subject: Subject, functions: Mapping[str, FunctionSpec],
                 params: Mapping[str, object], key_positions: tuple[str, ...]) -> None:
        self.text = text
        self.subject = subject
        self.functions = functions
        self.params = params
        self.key_positions = key_positions
        self.fields = OFFICIAL_FIELDS if subject == "official" else UNIT_FIELDS
        self.tallies: dict[str, Parsed] = {}

    def fail(self, template: str, suggestion: str | None = None, **fields: object) -> ExpressionError:
        """The error ``template`` (a message id filled with ``fields``) in this expression."""
        return _error(Message(template, **fields), self.text, suggestion)

    # -- conditions -------------------------------------------------------------------------
    def condition(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.BoolOp):
            items = tuple(self.condition(v) for v in node.values)
            return And(items) if isinstance(node.op, ast.And) else Or(items)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            parts: list[Expr] = []
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts.append(self.comparison(left, op, right))
                left = right
            return parts[0] if len(parts) == 1 else And(tuple(parts))
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Truth(node.value)
        if isinstance(node, ast.Name) and node.id in self.params and node.id not in self.fields:
            value = self.params[node.id]
            if isinstance(value, bool):
                return Truth(value)
            raise self.fail(N_("parameter {name} is not a boolean and cannot be a condition"), name=repr(node.id))
        if isinstance(node, (ast.Name, ast.Call)):
            field = self.field(node)
            if field.type != BOOL:
                raise self.fail(_NOT_A_CONDITION, name=repr(field.name), type=str(field.type))
            return Cmp(field, "==", True)
        raise self.fail(N_("{what} is not allowed here"), what=_describe(node))

    def comparison(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Expr:
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not (isinstance(right, ast.Constant) and right.value is None):
                raise self.fail(N_("'is' and 'is not' compare only with None"))
            return IsNone(self.field(left), negated=isinstance(op, ast.IsNot))
        if isinstance(op, (ast.In, ast.NotIn)):
            field = self.field(left)
            if not isinstance(right, (ast.List, ast.Tuple, ast.Set)) or not right.elts:
                raise self.fail(N_("'in' needs a non-empty list of literals, e.g. {example}"),
                                example="x in ['a', 'b']")
            values = tuple(self.literal(e, field) for e in right.elts)
            return Member(field, values, negated=isinstance(op, ast.NotIn))
        symbol = _OPS.get(type(op))
        if symbol is None:
            raise self.fail(N_("operator {name} is not allowed"), name=type(op).__name__)
        if self._is_fieldish(left):
            field, lit = self.field(left), right
        elif self._is_fieldish(right):
            field, lit, symbol = self.field(right), left, _FLIP[symbol]
        else:
            raise self.fail(N_("a comparison needs a field on one side"))
        if self._is_fieldish(lit):
            raise self.fail(N_("compare a field with a literal or a parameter, not with another field"))
        if isinstance(lit, ast.Constant) and lit.value is None:
            raise self.fail(N_("use 'is None' or 'is not None' to test for a missing value"))
        value = self.literal(lit, field)
        if symbol not in ("==", "!=") and not field.type.ordered:
            raise self.fail(N_("{name} ({type}) is not ordered; only == and != apply"), name=repr(field.name),
                            type=str(field.type))
        return Cmp(field, symbol, value)

    def _is_fieldish(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return True
        return isinstance(node, ast.Name) and (node.id in self.fields or node.id == "is_key"
                                                or node.id not in self.params)

    # -- fields -----------------------------------------------------------------------------
    def field(self, node: ast.expr) -> FieldSpec:
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.fields:
                return self.fields[name]
            if name == "is_key" and self.subject == "official":
                return self._call_field(self.functions["holds"], self.key_positions, "is_key")
            if name in self.functions:
                raise self.fail(N_("{name} is a function: call it, e.g. {call}"), name=repr(name), call=f"{name}(...)")
            options = [*self.fields, *self.params, *(["is_key"] if self.subject == "official" else [])]
            raise self.fail(_UNKNOWN_FIELD[self.subject], _closest(name, options), name=repr(name))
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords:
                raise self.fail(N_("only calls of registered functions with positional literal arguments are allowed"))
            name = node.func.id
            spec = self.functions.get(name)
            if spec is None or spec.subject != self.subject:
                names = [n for n, f in self.functions.items() if f.subject == self.subject]
                raise self.fail(_UNKNOWN_FUNCTION[self.subject], _closest(name, names), name=repr(name))
            return self._call(spec, node.args)
        raise self.fail(N_("{what} is not a field"), what=_describe(node))

    def _call(self, spec: FunctionSpec, args: list[ast.expr]) -> FieldSpec:
        if spec.variadic:
            if not args:
                raise self.fail(N_("{name}() needs at least one argument"), name=spec.name)
            types = [spec.params[0]] * len(args)
        else:
            if len(args) != len(spec.params):
                raise self.fail(N_("{name}() takes {count} argument(s), got {got}"), name=spec.name,
                                count=len(spec.params), got=len(args))
            types = list(spec.params)
        values: list[Natural] = []
        for arg, t in zip(args, types, strict=True):
            if isinstance(arg, ast.Starred):
                raise self.fail(N_("starred arguments are not allowed"))
            raw = self._raw_literal(arg)
            try:
                values.append(t.coerce_literal(raw))
            except ValueError as exc:
                raise self.fail(N_("argument of {name}(): {reason}"), name=spec.name, reason=_reason(exc)) from None
        if spec.name == "count" and spec.subject == "unit" and spec.plugin == "cadre_rules":
            assert isinstance(values[0], str)
            inner = parse(values[0], subject="official", functions=self.functions, params=self.params,
                          key_positions=self.key_positions)
            key = call_key("count", [inner.text])
            self.tallies[key] = inner
            return FieldSpec(key, spec.returns, functools.partial(_tally, key), tally=inner)
        return self._call_field(spec, tuple(values), call_key(spec.name, values))

    def _call_field(self, spec: FunctionSpec, values: tuple[Natural, ...], key: str) -> FieldSpec:
        impl = spec.impl
        official = spec.subject == "official"
        reads = spec.reads if official else None
        column = functools.partial(_column_of_call, spec.column, values) if official and spec.column else None
        timeless = official and spec.timeless
        unenriched = column is not None and spec.unenriched
        from_reads = functools.partial(_column_of_call, spec.from_reads, values) \
            if reads is not None and spec.from_reads else None
        if not values:
            return FieldSpec(key, spec.returns, impl, spec.doc, reads=reads, column=column, timeless=timeless,
                             unenriched=unenriched, from_reads=from_reads)

        def get(ctx: object) -> Natural | None:
            return impl(ctx, *values)

        return FieldSpec(key, spec.returns, get, spec.doc, reads=reads, column=column, timeless=timeless,
                         unenriched=unenriched, from_reads=from_reads)

    # -- literals ---------------------------------------------------------------------------
    def _raw_literal(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.params:
            return self.params[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self._raw_literal(node.operand)
            if isinstance(inner, (int, float, Fraction)) and not isinstance(inner, bool):
                return -inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            num, den = self._raw_literal(node.left), self._raw_literal(node.right)
            if isinstance(num, int) and isinstance(den, int) and not isinstance(num, bool) \
                    and not isinstance(den, bool) and den != 0:
                return Fraction(num, den)
        if isinstance(node, ast.Name):
            raise self.fail(N_("unknown parameter {name}"), _closest(node.id, list(self.params)), name=repr(node.id))
        raise self.fail(N_("{what} is not a literal"), what=_describe(node))

    def literal(self, node: ast.expr, field: FieldSpec) -> Natural:
        raw = self._raw_literal(node)
        try:
            return field.type.coerce_literal(raw)
        except ValueError as exc:
            raise self.fail(N_("{name}: {reason}"), name=repr(field.name), reason=_reason(exc)) from None


def _tally(key: str, ctx: object) -> int:
    return ctx.tally(key)  # type: ignore[attr-defined,no-any-return]


def _describe(node: ast.AST) -> Message:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return Message(N_("call of {name}()"), name=node.func.id)
    if isinstance(node, ast.Attribute):
        return Message(N_("attribute access .{name}"), name=node.attr)
    return Message(N_("{name} expression"), name=type(node).__name__)


#: The longest expression read, in characters.
_MAX_CHARS = 2000
_NOT_A_CONDITION = N_("{name} is a {type} value, not a condition; compare it with something")
_UNKNOWN_FIELD = {"official": N_("unknown field {name} for official rules"),
                  "unit": N_("unknown field {name} for unit rules")}
_UNKNOWN_FUNCTION = {"official": N_("unknown function {name} for official rules"),
                     "unit": N_("unknown function {name} for unit rules")}


def _error(reason: Message, text: str, suggestion: str | None = None) -> ExpressionError:
    """``reason`` in the expression ``text`` (``… in 'educaton < 3'``)."""
    return ExpressionError(Message(N_("{reason} in {expression}"), reason=reason, expression=repr(text)), text,
                           suggestion)


def problem_reason(exc: ExpressionError) -> Message:
    """The reason of a pack's problem made of ``exc``, with its did-you-mean, shown in the reader's language."""
    reason: object = exc.message if exc.message is not None else exc.reason
    if exc.suggestion:
        return Message(N_("{reason}; did you mean {suggestion}?"), reason=reason, suggestion=repr(exc.suggestion))
    return Message(N_("{reason}"), reason=reason)


def _reason(exc: ValueError) -> object:
    """The reason of a literal's error, as a field of a message (shown in the reader's language if it can be)."""
    return exc if isinstance(exc, InvalidValue) else str(exc)


def _syntax_tree(text: str) -> ast.Expression:
    """The Python syntax tree of an expression's text, or :class:`ExpressionError` (empty, too long, a syntax
    error)."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(Message(N_("an expression must be a non-empty string")), str(text))
    if len(text) > _MAX_CHARS:
        raise ExpressionError(Message(N_("expression longer than {count} characters"), count=Count(_MAX_CHARS)),
                              text[:60])
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise _error(Message(N_("syntax error at column {column}"), column=exc.offset or 0), text) from None


def parse(text: str, *, subject: Subject = "official", functions: Mapping[str, FunctionSpec],
          params: Mapping[str, object] | None = None, key_positions: tuple[str, ...] = ()) -> Parsed:
    """Parse and type-check ``text``; raise :class:`ExpressionError` when it is not allowed."""
    tree = _syntax_tree(text)
    checker = _Checker(text.strip(), subject, functions, params or {}, key_positions)
    expr = checker.condition(tree.body)
    return Parsed(text.strip(), expr, dict(checker.tallies))


def parse_field(text: str, *, subject: Subject = "official", functions: Mapping[str, FunctionSpec],
                params: Mapping[str, object] | None = None, key_positions: tuple[str, ...] = ()) -> FieldSpec:
    """Parse a field name or a function call with literal arguments (``rating(2022)``)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise _error(Message(N_("not a field name: {text}"), text=repr(text)), text) from None
    checker = _Checker(text.strip(), subject, functions, params or {}, key_positions)
    if not isinstance(tree.body, (ast.Name, ast.Call)):
        raise checker.fail(N_("expected a field name or a function call"))
    return checker.field(tree.body)


# -- conditions relating two subjects (``cadre-rules match``) --------------------------------------------
class _RelationChecker(_Checker):
    """Comparisons joined by ``and`` between fields ``OWNER.NAME`` and with literals or parameters."""

    def __init__(self, text: str, fields: Mapping[str, FieldSpec], owners: tuple[str, str],
                 params: Mapping[str, object]) -> None:
        super().__init__(text, "official", {}, params, ())
        self.fields = fields
        self.owners = owners

    def condition(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            return And(tuple(self.condition(v) for v in node.values))
        if isinstance(node, ast.Compare):
            return super().condition(node)
        if isinstance(node, ast.Attribute):
            field = self.field(node)
            if field.type != BOOL:
                raise self.fail(_NOT_A_CONDITION, name=field.name, type=str(field.type))
            return Cmp(field, "==", True)
        raise self.fail(N_("expected comparisons joined by 'and'"))

    def comparison(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Expr:
        symbol = _OPS.get(type(op))
        if symbol is None:
            raise self.fail(N_("expected ==, !=, <, <=, > or >="))
        if self._is_fieldish(left) and self._is_fieldish(right):
            a, b = self.field(left), self.field(right)
            if a.type != b.type:
                raise self.fail(N_("{a} and {b} are not of the same kind ({a_type}, {b_type})"), a=a.name, b=b.name,
                                a_type=str(a.type), b_type=str(b.type))
            if symbol not in ("==", "!=") and not a.type.ordered:
                raise self.fail(N_("{symbol} does not order {type} values (use == or !=)"), symbol=symbol,
                                type=str(a.type))
            return Rel(a, symbol, b)
        return super().comparison(left, op, right)

    def _is_fieldish(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute):
            return True
        return isinstance(node, (ast.Name, ast.Call)) and not (isinstance(node, ast.Name) and node.id in self.params)

    def field(self, node: ast.expr) -> FieldSpec:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in self.owners:
            name = f"{node.value.id}.{node.attr}"
            spec = self.fields.get(name)
            if spec is None:
                known = sorted(n.partition(".")[2] for n in self.fields if n.startswith(node.value.id + "."))
                raise self.fail(N_("unknown field {name} (known: {known})"), _closest(name, list(self.fields)),
                                name=name, known=", ".join(known))
            return spec
        if isinstance(node, ast.Name):
            raise self.fail(N_("unknown name {name}: write {first}.FIELD, {second}.FIELD or a parameter of the pack"),
                            _closest(node.id, list(self.params)), name=repr(node.id), first=self.owners[0],
                            second=self.owners[1])
        raise self.fail(N_("expected {first}.FIELD, {second}.FIELD or a literal ({what} is not allowed here)"),
                        first=self.owners[0], second=self.owners[1], what=_describe(node))


def _owner(field: FieldSpec) -> str:
    return field.name.partition(".")[0]


def parse_relation(text: str, *, fields: Mapping[str, FieldSpec], owners: tuple[str, str],
                   params: Mapping[str, object] | None = None) -> Parsed:
    """Parse and type-check a condition relating two subjects, e.g. ``candidate.education >= post.education``.

    ``fields`` are named ``OWNER.NAME`` (``owners``: the two subjects). The condition is comparisons joined by
    ``and``, of two fields of the same type or of a field with a literal or a pack parameter; ordering only for
    ordered types. At least one comparison must relate a field of the first owner to one of the second: a
    condition reading one side only would hold for every pair alike (a cross product), and is refused.
    """
    tree = _syntax_tree(text)
    checker = _RelationChecker(text.strip(), fields, owners, params or {})
    expr = checker.condition(tree.body)
    if not any(isinstance(e, Rel) and {_owner(e.left), _owner(e.right)} == set(owners) for e in conjuncts(expr)):
        raise checker.fail(N_("relates no field of the {second} to the {first} (a cross product): compare a field of "
                              "each, e.g. {example}"), first=owners[0], second=owners[1],
                           example=f"{owners[0]}.education >= {owners[1]}.education")
    return Parsed(text.strip(), expr)


def conjuncts(expr: Expr) -> Iterator[Expr]:
    """The comparisons of a conjunction (nested ``and``s and chained comparisons flattened)."""
    if isinstance(expr, And):
        for item in expr.items:
            yield from conjuncts(item)
    else:
        yield expr




def fields_of(expr: Expr) -> Iterator[FieldSpec]:
    """The fields an expression reads, in order of appearance (with repeats)."""
    if isinstance(expr, (Cmp, Member, IsNone)):
        yield expr.field
    elif isinstance(expr, Rel):
        yield expr.left
        yield expr.right
    elif isinstance(expr, (And, Or)):
        for item in expr.items:
            yield from fields_of(item)
    elif isinstance(expr, Not):
        yield from fields_of(expr.item)


# -- reference evaluator --------------------------------------------------------------------

def _order(field: FieldSpec) -> Callable[[Natural], object]:
    t = field.type
    if t.kind == "code" and t.vocabulary.ordered:
        return t.vocabulary.rank  # type: ignore[return-value]
    return lambda v: v


def _compare(op: str, a: object, b: object) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator,no-any-return]
    if op == "<=":
        return a <= b  # type: ignore[operator,no-any-return]
    if op == ">":
        return a > b  # type: ignore[operator,no-any-return]
    return a >= b  # type: ignore[operator,no-any-return]


def evaluate(expr: Expr, values: Mapping[str, Natural | None]) -> bool | None:
    """Kleene three-valued evaluation: ``True``, ``False`` or ``None`` (unknown).

    ``values`` maps field names (as in :class:`FieldSpec`) to natural values, ``None`` when missing.
    """
    if isinstance(expr, Cmp):
        v = values.get(expr.field.name)
        if v is None:
            return None
        order = _order(expr.field)
        return _compare(expr.op, order(v), order(expr.value))
    if isinstance(expr, Rel):
        a, b = values.get(expr.left.name), values.get(expr.right.name)
        if a is None or b is None:
            return None
        order = _order(expr.left)
        return _compare(expr.op, order(a), order(b))
    if isinstance(expr, Member):
        v = values.get(expr.field.name)
        if v is None:
            return None
        return (v in expr.values) != expr.negated
    if isinstance(expr, IsNone):
        return (values.get(expr.field.name) is None) != expr.negated
    if isinstance(expr, Truth):
        return expr.value
    if isinstance(expr, Not):
        inner = evaluate(expr.item, values)
        return None if inner is None else not inner
    if isinstance(expr, And):
        result: bool | None = True
        for item in expr.items:
            v = evaluate(item, values)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    result = False
    for item in expr.items:
        v = evaluate(item, values)
        if v is True:
            return True
        if v is None:
            result = None
    return result


def negate_op(op: str) -> str:
    return _NEGATE[op]


def dnf_terms(expr: Expr, negated: bool = False) -> int:
    """The number of terms of ``expr`` (or of its negation) in disjunctive normal form, as durable-rules
    expands it (a rule fires once per satisfied term; the engine fails past a few thousand)."""
    if isinstance(expr, Not):
        return dnf_terms(expr.item, not negated)
    if isinstance(expr, (And, Or)):
        counts = [dnf_terms(item, negated) for item in expr.items]
        if isinstance(expr, And) != negated:
            product = 1
            for count in counts:
                product *= count
            return product
        return sum(counts)
    if isinstance(expr, Member) and expr.negated == negated:
        return max(1, len(expr.values))
    return 1
