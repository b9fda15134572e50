"""Match rules of policy packs: who fits a post to fill, declared as data (docs/match.md).

A pack states the standards of its posts (``[[post_standard]]``: the post fields, by position) and
the rules relating a candidate to a post (``[[match]]``): each ``require`` is a condition of the pack
expression language (:mod:`._expr`) over the fields ``candidate.*`` and ``post.*``
(:data:`MATCH_FIELDS`), for example ``candidate.political_theory >= post.political_theory``: parsed,
type-checked and refused with its reason there (:func:`._expr.parse_relation`: comparisons joined by
``and``, literals and the pack's parameters; a rule that relates no field of the post to the
candidate would relate every candidate to every post alike, a cross product, and is refused), and
explained there (:func:`._explain.condition_text`). This module turns the checked condition into the
comparisons the backends decide on pair facts.

Values are encoded for the backends: codes of an ordered vocabulary by rank, booleans as 0/1,
integers and texts as they are; a missing value is left out, and a comparison reading it is not
satisfied (unknown). :func:`holds` is the reference semantics; the durable-rules backend decides the
same comparisons on pair facts (:mod:`._durable`).
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import Literal

import attrs

from ..errors import N_
from ..errors import Column
from ..errors import ExpressionError
from ..errors import InvalidValue
from ..errors import Message
from ..errors import Problem
from ..errors import Words
from ..model._codes import EDUCATION
from ..model._codes import GENERAL_EDUCATION
from ..model._codes import POLITICAL_THEORY
from ..model._codes import POSITION
from ..model._codes import RATING
from ..model._codes import VOCABULARIES
from ..model._codes import Vocabulary
from ..model._report_records import SEVERITIES
from ..model._report_records import Severity
from ..model._types import BOOL
from ..model._types import INT
from ..model._types import TEXT
from ..model._types import Natural
from ..model._types import ValueType
from ..model._types import code_type
from ._catalogue import FieldSpec
from ._expr import Cmp
from ._expr import Parsed
from ._expr import Rel
from ._expr import conjuncts
from ._expr import parse_relation
from ._expr import problem_reason

__all__ = [
    "CANDIDATE_FIELDS",
    "MATCH_FIELDS",
    "POST_FIELDS",
    "Compare",
    "MatchRule",
    "MatchSpec",
    "PostStandard",
    "Side",
    "holds",
    "label",
    "parse_match",
    "reason_of",
    "render_lack",
    "verbatim",
]

#: A field's kind: an ordered vocabulary (compared by rank), ``int``, ``bool`` or ``text``.
FieldKind = Vocabulary | Literal["int", "bool", "text"]

#: The fields of a candidate (an official serving on the as-of date), as docs/match.md defines them.
CANDIDATE_FIELDS: Mapping[str, FieldKind] = {
    "unit": "text", "district": "text", "position": "text", "gender": "text", "age": "int",
    "education": EDUCATION, "political_theory": POLITICAL_THEORY, "general_education": GENERAL_EDUCATION,
    "months_to_retirement": "int", "planned_level": "text", "discipline_months_left": "int",
    "under_investigation": "bool", "recent_rating": RATING, "is_local": "bool",
    "on_secondment": "bool", "months_on_secondment": "int", "post_rank": "int", "senior_post": "text",
}
#: The fields of a post: who holds it where (``unit``, ``district``, ``position``, ``level``, and its ``rank``
#: among a commune's posts, :data:`~cadre_rules.model._codes.POSITION_RANK`) and the standards a pack's
#: ``[[post_standard]]`` sets for its position.
POST_FIELDS: Mapping[str, FieldKind] = {
    "unit": "text", "district": "text", "position": "text", "level": "text", "rank": "int",
    "education": EDUCATION, "political_theory": POLITICAL_THEORY, "general_education": GENERAL_EDUCATION,
    "term_months": "int", "max_age": "int", "min_rating": RATING, "discipline_months_allowed": "int",
}
#: The post fields every post has (the others come from a standard).
POST_IDENTITY = ("unit", "district", "position", "level", "rank")
_STANDARD_FIELDS = tuple(f for f in POST_FIELDS if f not in POST_IDENTITY)
_OWNERS = ("candidate", "post")
_VOCABULARY_NAMES = {id(v): name for name, v in VOCABULARIES.items()}


def _value_type(kind: FieldKind) -> ValueType:
    if isinstance(kind, Vocabulary):
        return code_type(_VOCABULARY_NAMES[id(kind)])
    return {"int": INT, "bool": BOOL, "text": TEXT}[kind]


def _unread(context: object) -> None:
    """(The fields of a pair are read from pair facts, never from a context.)"""


#: The fields of the expression language in match conditions: ``candidate.NAME`` and ``post.NAME``, typed.
MATCH_FIELDS: Mapping[str, FieldSpec] = {
    f"{owner}.{name}": FieldSpec(f"{owner}.{name}", _value_type(kind), _unread)
    for owner, fields in (("candidate", CANDIDATE_FIELDS), ("post", POST_FIELDS)) for name, kind in fields.items()}

_CMP: dict[str, Callable[[Any, Any], bool]] = {"==": operator.eq, "!=": operator.ne, "<": operator.lt,
                                                "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ID = re.compile(r"[a-z0-9._-]+")
_PLACEHOLDER = re.compile(r"\{(candidate|post)\.(\w+)\}")


@attrs.frozen
class Side:
    """One side of a comparison: ``candidate.NAME``, ``post.NAME``, or a literal (encoded)."""

    owner: Literal["candidate", "post", "literal"]
    name: str = ""
    value: int | str | None = None

    @property
    def key(self) -> str:
        """The key of the field in a pair fact: ``c_NAME`` or ``p_NAME``."""
        return ("c_" if self.owner == "candidate" else "p_") + self.name


@attrs.frozen
class Compare:
    """``left op right``, with ``left`` a field (a literal is always on the right)."""

    left: Side
    op: str
    right: Side

    @property
    def relates(self) -> bool:
        """Whether it compares a field of the candidate with a field of the post."""
        return {self.left.owner, self.right.owner} == {"candidate", "post"}


@attrs.frozen
class MatchRule:
    """A rule relating a candidate to a post (``[[match]]``)."""

    id: str
    require: tuple[Compare, ...]
    text: str
    severity: Severity
    lack: tuple[str, str]          # (vi, en) templates of what a near miss lacks
    cite: str
    positions: tuple[str, ...] = ()  # () = every post that has the post fields the rule reads
    #: the checked condition of the expression language (its explanation: :func:`._explain.condition_text`)
    condition: Parsed | None = attrs.field(default=None, eq=False, repr=False)
    #: its exceptions (``unless``): a pair for which one of these holds does not fail the rule; each is decided
    #: by the backend as a rule of its own (:attr:`MatchSpec.decided`)
    unless: tuple[tuple[Compare, ...], ...] = ()
    unless_text: tuple[str, ...] = ()

    @property
    def exceptions(self) -> tuple[MatchRule, ...]:
        """The exceptions as the backends decide them: rules ``ID~unless.N`` of the same comparisons."""
        return tuple(MatchRule(f"{self.id}~unless.{i}", require, text, self.severity, self.lack, self.cite,
                               self.positions) for i, (require, text) in enumerate(zip(self.unless, self.unless_text,
                                                                                        strict=True)))

    @property
    def post_fields(self) -> frozenset[str]:
        return frozenset(s.name for c in self.require for s in (c.left, c.right) if s.owner == "post")

    @property
    def keys(self) -> tuple[str, ...]:
        """The pair-fact keys the rule reads (its exceptions are rules of their own: :attr:`exceptions`)."""
        return tuple(dict.fromkeys(s.key for c in self.require for s in (c.left, c.right) if s.owner != "literal"))

    @property
    def compares(self) -> tuple[Compare, ...]:
        """Every comparison it reads, its exceptions' too (what the classes of values must keep apart)."""
        return (*self.require, *(c for u in self.unless for c in u))

    def fails(self, passed: Collection[str]) -> bool:
        """Whether a pair fails the rule, given the ids of the rules (and exceptions) that hold for it."""
        return self.id not in passed and not any(e.id in passed for e in self.exceptions)


@attrs.frozen
class PostStandard:
    """The standards of some positions (``[[post_standard]]``): post field values, encoded."""

    positions: tuple[str, ...]
    values: Mapping[str, int]
    cite: str


@attrs.frozen
class MatchSpec:
    """A pack's post standards and match rules, and the ranks and concurrent holdings its ``[params]`` set."""

    standards: tuple[PostStandard, ...] = ()
    rules: tuple[MatchRule, ...] = ()
    #: the rank of every position (``post_rank_N`` parameters; unlisted: 0), ``None``: the pack sets none
    ranks: Mapping[str, int] | None = None
    #: post -> the posts whose holder usually holds it too, in the same unit (``POST_concurrent_with``)
    concurrent: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def decided(self) -> tuple[MatchRule, ...]:
        """The rules a backend decides: the match rules and their exceptions."""
        return (*self.rules, *(e for r in self.rules for e in r.exceptions))

    def standard(self, position: str) -> Mapping[str, int]:
        """The standard post fields of a position (empty: none set)."""
        for std in self.standards:
            if position in std.positions:
                return std.values
        return {}

    def applies(self, rule: MatchRule, position: str) -> bool:
        """Whether a rule applies to a post of ``position``: listed (or no list), and every post
        field the rule reads is set for the position."""
        if rule.positions and position not in rule.positions:
            return False
        given = self.standard(position)
        return all(name in POST_IDENTITY or name in given for name in rule.post_fields)


def holds(compare: Compare, values: Mapping[str, int | str | None]) -> bool:
    """Whether a comparison definitely holds for a pair fact (a missing value: it does not)."""
    left = values.get(compare.left.key)
    right = compare.right.value if compare.right.owner == "literal" else values.get(compare.right.key)
    if left is None or right is None:
        return False
    return _CMP[compare.op](left, right)


def label(kind: FieldKind, value: int | str | None, lang: str) -> str:
    """A field's value as people read it (a code's Vietnamese label in ``vi``); a missing one is unknown ("chưa
    rõ", as ``?`` in English), never "none": an absent column is not a lack of the degree it records."""
    if value is None:
        return "?" if lang == "en" else "chưa rõ"
    if isinstance(kind, Vocabulary) and isinstance(value, int):
        code = kind.codes[value]
        return kind.label(code) if lang == "vi" else code
    if kind == "bool":
        return ("yes" if value else "no") if lang == "en" else ("có" if value else "không")
    return str(value)


def render_lack(rule: MatchRule, values: Mapping[str, int | str | None], lang: str) -> str:
    """What a near miss lacks, its placeholders filled from the pair fact."""
    template = rule.lack[1] if lang == "en" else rule.lack[0]

    def fill(m: re.Match[str]) -> str:
        owner, name = m.group(1), m.group(2)
        fields = CANDIDATE_FIELDS if owner == "candidate" else POST_FIELDS
        return label(fields[name], values.get(("c_" if owner == "candidate" else "p_") + name), lang)

    return _PLACEHOLDER.sub(fill, template)


# -- parsing ----------------------------------------------------------------------------------------
def verbatim(value: object) -> Words:
    """A field of a message shown as it is in every language (a name or code from the pack)."""
    text = str(value)
    return Words(text, text)


def reason_of(exc: ValueError) -> str | InvalidValue:
    """A parser's reason: with its message id (shown in the reader's language) if it has one."""
    return exc if isinstance(exc, InvalidValue) else str(exc)

class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str | Message | InvalidValue, value: object = None) -> None:
        self.problems.append(Problem.at(self.file, key, reason, value))

    def unknown_keys(self, table: Mapping[str, Any], key: str, allowed: Sequence[str]) -> None:
        for name in table:
            if name not in allowed:
                self.problem(f"{key}.{name}", Message(N_("unknown key (expected: {values})"),
                                                      values=verbatim(", ".join(allowed))))

    def positions(self, key: str, value: object, key_positions: Sequence[str]) -> tuple[str, ...]:
        if value == "key_positions":
            return tuple(key_positions)
        if not isinstance(value, list) or not value:
            self.problem(key, N_("expected a non-empty list of position codes or \"key_positions\""), value)
            return ()
        found = []
        for i, item in enumerate(value):
            try:
                found.append(POSITION.parse(str(item)))
            except ValueError as exc:
                self.problem(f"{key}[{i}]", reason_of(exc), item)
        return tuple(found)

    def encode(self, key: str, kind: FieldKind, value: object) -> int | str | None:
        """A literal of a field's kind, encoded (None: refused, with a problem)."""
        if isinstance(kind, Vocabulary):
            if isinstance(value, str):
                try:
                    return kind.rank(kind.parse(value))
                except ValueError as exc:
                    self.problem(key, reason_of(exc), value)
                    return None
        elif kind == "bool":
            if isinstance(value, bool):
                return int(value)
        elif kind == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif isinstance(value, str):
            return value
        self.problem(key, Message(N_("expected a {kind} value"),
                                  kind=verbatim(kind.name if isinstance(kind, Vocabulary) else kind)), value)
        return None

    def require(self, key: str, text: object, params: Mapping[str, object]) -> tuple[tuple[Compare, ...],
                                                                                   Parsed | None]:
        """The comparisons of a ``require`` condition, checked by the expression language."""
        if not isinstance(text, str):
            self.problem(key, "expected an expression", text)
            return (), None
        try:
            parsed = parse_relation(text, fields=MATCH_FIELDS, owners=_OWNERS, params=params)
        except ExpressionError as exc:
            self.problem(key, problem_reason(exc), text)
            return (), None
        return tuple(_compare(e) for e in conjuncts(parsed.expr)), parsed


def _side(field: FieldSpec) -> Side:
    owner, _, name = field.name.partition(".")
    return Side(owner, name)  # type: ignore[arg-type]


def _compare(expr: object) -> Compare:
    """A comparison of a checked match condition, its literal encoded as the pair facts hold values."""
    if isinstance(expr, Rel):
        return Compare(_side(expr.left), expr.op, _side(expr.right))
    assert isinstance(expr, Cmp), expr  # (parse_relation admits comparisons only)
    return Compare(_side(expr.field), expr.op, Side("literal", value=_encoded(expr.field.type, expr.value)))


def _encoded(kind: ValueType, value: Natural) -> int | str:
    """A literal as pair facts hold it: ordered codes by rank, booleans as 0/1, numbers and texts as they are."""
    if kind.kind == "code" and kind.vocabulary.ordered:
        return kind.vocabulary.rank(str(value))
    if isinstance(value, bool):
        return int(value)
    assert isinstance(value, (int, str)), value
    return value


def parse_match(data: Mapping[str, Any], key_positions: Sequence[str], *, file: str = "<pack>",
                params: Mapping[str, object] | None = None) -> tuple[MatchSpec, list[Problem]]:
    """The ``[[post_standard]]`` and ``[[match]]`` tables of a pack's TOML data, and their problems."""
    parser = _Parser(file)
    standards: list[PostStandard] = []
    seen_positions: dict[str, int] = {}
    tables = data.get("post_standard", [])
    if not isinstance(tables, list):
        parser.problem("post_standard", N_("expected an array of tables ([[post_standard]])"), tables)
        tables = []
    for i, table in enumerate(tables):
        key = f"post_standard[{i}]"
        if not isinstance(table, dict):
            parser.problem(key, N_("expected a table"), table)
            continue
        parser.unknown_keys(table, key, ("positions", "cite", *_STANDARD_FIELDS))
        positions = parser.positions(f"{key}.positions", table.get("positions"), key_positions)
        for position in positions:
            if position in seen_positions:
                parser.problem(f"{key}.positions", Message(N_("{position} already has a standard ({other})"),
                                                           position=verbatim(position),
                                                           other=Column(f"post_standard[{seen_positions[position]}]")),
                               position)
            seen_positions[position] = i
        values: dict[str, int] = {}
        for name in _STANDARD_FIELDS:
            if name in table:
                encoded = parser.encode(f"{key}.{name}", POST_FIELDS[name], table[name])
                if isinstance(encoded, int):
                    values[name] = encoded
        standards.append(PostStandard(positions, values, str(table.get("cite", ""))))
    given = {name for std in standards for name in std.values} | set(POST_IDENTITY)
    rules: list[MatchRule] = []
    tables = data.get("match", [])
    if not isinstance(tables, list):
        parser.problem("match", N_("expected an array of tables ([[match]])"), tables)
        tables = []
    ids: set[str] = set()
    for i, table in enumerate(tables):
        key = f"match[{i}]"
        if not isinstance(table, dict):
            parser.problem(key, N_("expected a table"), table)
            continue
        parser.unknown_keys(table, key, ("id", "require", "unless", "lack", "cite", "severity", "positions"))
        rule_id = table.get("id")
        if not isinstance(rule_id, str) or not rule_id or not _ID.fullmatch(rule_id):
            parser.problem(f"{key}.id", N_("expected an id of lowercase letters, digits, '.', '_' and '-'"), rule_id)
            rule_id = key
        elif rule_id in ids:
            parser.problem(f"{key}.id", N_("duplicate match rule id"), rule_id)
        ids.add(rule_id)
        key = f"match[{i}] ({rule_id})"
        require, condition = parser.require(f"{key}.require", table.get("require"), params or {})
        for name in sorted({s.name for c in require for s in (c.left, c.right) if s.owner == "post"} - given):
            parser.problem(f"{key}.require", Message(N_("no [[post_standard]] of the pack sets post.{name}: "
                                                        "the rule would never apply"), name=verbatim(name)), name)
        severity = table.get("severity", "warning")
        if severity not in SEVERITIES:
            parser.problem(f"{key}.severity", Message(N_("expected one of {values}"),
                                                      values=verbatim(", ".join(SEVERITIES))), severity)
            severity = "warning"
        lack = table.get("lack")
        if not isinstance(lack, dict) or not isinstance(lack.get("vi"), str) or not isinstance(lack.get("en"), str):
            parser.problem(f"{key}.lack", N_("expected { vi = \"…\", en = \"…\" }"), lack)
            lack = {"vi": "", "en": ""}
        for text in (lack["vi"], lack["en"]):
            for owner, name in _PLACEHOLDER.findall(text):
                if name not in (CANDIDATE_FIELDS if owner == "candidate" else POST_FIELDS):
                    parser.problem(f"{key}.lack", Message(N_("unknown placeholder {{{name}}}{hint}"),
                                                          name=verbatim(f"{owner}.{name}"), hint=""), text)
        unless = _as_list(table.get("unless", []))
        if unless is None:
            parser.problem(f"{key}.unless", N_("expected an expression or a list of expressions"), table["unless"])
            unless = []
        exceptions: list[tuple[Compare, ...]] = []
        for j, text in enumerate(unless):
            compares, _ = parser.require(f"{key}.unless[{j}]", text, params or {})
            for name in sorted({s.name for c in compares for s in (c.left, c.right) if s.owner == "post"} - given):
                parser.problem(f"{key}.unless[{j}]", Message(N_("no [[post_standard]] of the pack sets post.{name}: "
                                                                "the rule would never apply"), name=verbatim(name)),
                               name)
            exceptions.append(compares)
        cite = table.get("cite")
        if not isinstance(cite, str) or not cite.strip():
            parser.problem(f"{key}.cite", N_("every match rule cites its source"))
            cite = ""
        positions = parser.positions(f"{key}.positions", table["positions"], key_positions) \
            if "positions" in table else ()
        rules.append(MatchRule(rule_id, require, str(table.get("require", "")), severity, (lack["vi"], lack["en"]),
                               cite, positions, condition, tuple(exceptions), tuple(map(str, unless))))
    ranks = _ranks(parser, params or {})
    concurrent = _concurrent(parser, params or {})
    return MatchSpec(tuple(standards), tuple(rules), ranks, concurrent), parser.problems


def _as_list(value: object) -> list[str] | None:
    """A text or a list of texts, as a list (``None``: neither)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


#: A parameter setting the rank of some posts (docs/match.md, "Rank of a post"): ``post_rank_3 = [...]``.
RANK_PARAM = re.compile(r"post_rank_([1-9][0-9]*)")
#: A parameter naming the posts whose holder usually holds a post too: ``council_chair_concurrent_with = [...]``.
CONCURRENT_PARAM = re.compile(r"(.+)_concurrent_with")


def _codes(parser: _Parser, name: str, value: object) -> list[str]:
    """The position codes of a parameter's list (codes or their labels), each unknown one a problem at its index."""
    if not isinstance(value, tuple):
        parser.problem(f"params.{name}", N_("expected a list of position codes"), value)
        return []
    found = []
    for i, item in enumerate(value):
        try:
            found.append(POSITION.parse(str(item)))
        except ValueError as exc:
            parser.problem(f"params.{name}[{i}]", reason_of(exc), item)
    return found


def _ranks(parser: _Parser, params: Mapping[str, object]) -> dict[str, int] | None:
    """The rank of every position set by the ``post_rank_N`` parameters (unlisted: 0), ``None`` when none is set;
    a code that is not a position's, or listed under two ranks, is a problem."""
    tiers = sorted(((int(m.group(1)), name) for name in params if (m := RANK_PARAM.fullmatch(name))), reverse=True)
    if not tiers:
        return None
    ranks = dict.fromkeys(POSITION.codes, 0)
    where: dict[str, str] = {}
    for rank, name in tiers:
        for code in _codes(parser, name, params[name]):
            if code in where:
                parser.problem(f"params.{name}", Message(N_("{position} already has a rank ({other})"),
                                                         position=verbatim(code), other=Column(where[code])), code)
                continue
            where[code] = f"params.{name}"
            ranks[code] = rank
    return ranks


def _concurrent(parser: _Parser, params: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """Post -> the posts whose holder usually holds it too (``POST_concurrent_with`` parameters)."""
    found: dict[str, tuple[str, ...]] = {}
    for name in sorted(params):
        m = CONCURRENT_PARAM.fullmatch(name)
        if m is None:
            continue
        post = m.group(1)
        if post not in POSITION.codes:
            close = difflib.get_close_matches(post, POSITION.codes, n=1)
            hint = Message(N_("; did you mean {code}?"), code=verbatim(repr(f"{close[0]}_concurrent_with"))) \
                if close else ""
            parser.problem(f"params.{name}", Message(N_("{name} is not a position code{hint}"), name=verbatim(post),
                                                     hint=hint), name)
            continue
        found[post] = tuple(dict.fromkeys(_codes(parser, name, params[name])))
    return found
