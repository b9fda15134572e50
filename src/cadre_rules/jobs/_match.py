"""``cadre-rules match``: eligible candidates for the posts to fill, across units (docs/match.md).

A consumer of the :class:`~cadre_rules.Engine`: the posts to fill are the vacancies its staffing rules
find (plus posts whose holder retires within N months, plus listed posts); who fits a post is decided
by the packs' match rules (:mod:`cadre_rules.packs._match_rules`), on pair facts, by the engine's backend
(durable-rules, or the reference backend). Candidates are pre-filtered by scope (the post's district
while districts exist, else the city), and the values of a pair are reduced to their classes (their
position among the values they are compared with) so that the backend decides each combination of
classes once and the work grows with the number of officials, not with posts × officials.
"""

from __future__ import annotations

import bisect
import csv
import functools
import heapq
import io
import itertools
import operator
import sys
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any
from typing import Literal
from typing import NamedTuple

import attrs

from .._collector import paused
from .._i18n import N_
from .._i18n import translation
from ..engine import _asof
from ..engine._arguments import NOT_AN_ENGINE
from ..engine._arguments import check_records
from ..engine._backend import Deadline
from ..engine._backend import PairSession
from ..engine._engine import Engine
from ..errors import Argument
from ..errors import InputError
from ..errors import InvalidValue
from ..errors import Problem
from ..errors import os_reason
from ..io._headers import column_header
from ..model._argument_notes import ArgumentNote
from ..model._arguments import NOT_A_REPORT
from ..model._arguments import NOT_A_UNIT_MAP
from ..model._arguments import a_count
from ..model._arguments import a_date
from ..model._arguments import a_flag
from ..model._arguments import a_mapping
from ..model._arguments import a_path
from ..model._arguments import a_sequence
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._checks import Each
from ..model._checks import FieldCheck
from ..model._checks import a_choice
from ..model._checks import a_json_mapping
from ..model._checks import a_record
from ..model._checks import a_text
from ..model._checks import check_record
from ..model._checks import problem
from ..model._codes import EDUCATION
from ..model._codes import GENERAL_EDUCATION
from ..model._codes import POLITICAL_THEORY
from ..model._codes import POSITION
from ..model._codes import POSITION_RANK
from ..model._codes import RATING
from ..model._context import DISCIPLINE_MONTHS
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import months_since
from ..model._context import running
from ..model._dates import add_months
from ..model._dates import complete_months
from ..model._formats import integer
from ..model._formats import short_date
from ..model._langs import a_lang
from ..model._model import Official
from ..model._model import Unit
from ..model._names import scope_by_code
from ..model._names import unit_codes_only
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..packs._engine_match import CONCURRENT_BASIS
from ..packs._engine_match import DATED_RANKS
from ..packs._engine_match import MatchParams
from ..packs._engine_match import RuleSource
from ..packs._engine_match import engine_rules
from ..packs._engine_match import match_params
from ..packs._match_rules import CANDIDATE_FIELDS
from ..packs._match_rules import POST_IDENTITY
from ..packs._match_rules import MatchRule
from ..packs._match_rules import render_lack
from ..report._asked import own_data
from ..report._unstaffed import with_unstaffed_units
from ._scoped import Scoped
from ._scoped import scoped

__all__ = ["Candidate", "MatchResult", "NearMiss", "PostResult", "PostToFill", "Proposal", "candidate_values",
           "match", "read_posts"]

Reason = Literal["vacant", "retiring", "term_ends", "listed"]
_LEVEL = "commune"
#: The post fields that differ from post to post among its identity (``level`` does not): compared with a
#: candidate's by ``==`` / ``!=`` only, they are reduced to "the same" or "not the same".
_PER_POST = ("unit", "district")
_YOUNG_AGE = 35
#: ``recent_rating`` reads the ratings of the as-of year and this many years before (docs/match.md).
_RECENT_RATING_YEARS = 2


@attrs.frozen
class PostToFill:
    """A post to fill: a unit's position, why (vacant, its holder retiring, listed) and from when."""

    unit: str
    position: str
    reason: Reason
    holder: str | None = None
    due: date | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`): ``position`` a
        code (:func:`read_posts` also reads a label); a unit not among the data is refused by :func:`match`."""
        check_record(self, _POST_CHECKS, "unit")

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.position}"


_POST_CHECKS: Mapping[str, FieldCheck] = {
    "unit": a_text, "position": functools.partial(a_choice, choices=POSITION.codes),
    "reason": functools.partial(a_choice, choices=("vacant", "retiring", "term_ends", "listed")),
    "holder": functools.partial(a_text, optional=True), "due": a_date,
}


@attrs.frozen(slots=True)
class Candidate:
    """A serving official as a candidate, with the encoded values of :data:`CANDIDATE_FIELDS`."""

    official: Official
    unit: Unit
    values: Mapping[str, int | str | None]


@attrs.frozen
class Proposal:
    """An eligible candidate for a post, with the reasons of its rank."""

    id: str
    full_name: str
    unit: str
    position: str
    targets: int
    fit: int
    reasons: tuple[str, ...]
    #: the targets it helps meet: ``woman`` (standing committee), ``young`` (share under 35)
    meets: tuple[str, ...] = ()
    #: the name of its unit (``unit`` is the code)
    unit_name: str = ""
    #: a concurrent holding (kiêm nhiệm): a holder of the post's own unit whose post usually holds it too (the
    #: exception of ``match.no_lower_post``; docs/match.md, "Concurrent holdings")
    concurrent: bool = False

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual (a
        match makes one per candidate shown)."""
        if not (type(self.id) is type(self.full_name) is type(self.unit) is type(self.position)
                is type(self.unit_name) is str and type(self.targets) is int is type(self.fit)
                and type(self.concurrent) is bool
                and self.targets >= 0 and self.fit >= 0 and type(self.reasons) is tuple
                and set(map(type, self.reasons)) <= {str} and type(self.meets) is tuple
                and set(map(type, self.meets)) <= {str}):
            check_record(self, _PROPOSAL_CHECKS, "id")


_PROPOSAL_CHECKS: Mapping[str, FieldCheck] = {
    "id": a_text, "full_name": a_text, "unit": a_text, "position": a_text, "targets": a_count, "fit": a_count,
    "reasons": Each(str), "meets": Each(str), "unit_name": a_text, "concurrent": a_flag,
}


@attrs.frozen
class NearMiss:
    """A candidate who fails exactly one match rule (not an ``error`` one): what they lack."""

    id: str
    full_name: str
    unit: str
    position: str
    pack: str
    rule: str
    lack: str
    cite: str
    targets: int
    fit: int
    #: the name of its unit (``unit`` is the code)
    unit_name: str = ""
    #: a concurrent holding (kiêm nhiệm), as :attr:`Proposal.concurrent`
    concurrent: bool = False

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual."""
        if not (type(self.id) is type(self.full_name) is type(self.unit) is type(self.position) is type(self.pack)
                is type(self.rule) is type(self.lack) is type(self.cite) is type(self.unit_name) is str
                and type(self.targets) is int is type(self.fit) and self.targets >= 0 and self.fit >= 0
                and type(self.concurrent) is bool):
            check_record(self, _NEAR_MISS_CHECKS, "id")


_NEAR_MISS_CHECKS: Mapping[str, FieldCheck] = {
    "id": a_text, "full_name": a_text, "unit": a_text, "position": a_text, "pack": a_text, "rule": a_text,
    "lack": a_text, "cite": a_text, "targets": a_count, "fit": a_count, "unit_name": a_text, "concurrent": a_flag,
}


@attrs.frozen
class PostResult:
    """A post to fill with its eligible candidates (``eligible``: how many; ``candidates``: the first, ranked) and
    its near misses."""

    post: PostToFill
    unit_name: str
    district: str | None
    eligible: int
    candidates: tuple[Proposal, ...]
    near_misses: tuple[NearMiss, ...]
    #: a vacant post: the finding of the engine's report that found it vacant, ``PACK/RULE`` (its ``pack`` and
    #: ``rule``, as ``explain --rule`` names it); ``None`` for the other posts
    found_by: str | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`)."""
        check_record(self, _POST_RESULT_CHECKS)


_POST_RESULT_CHECKS: Mapping[str, FieldCheck] = {
    "post": functools.partial(a_record, kind=PostToFill), "unit_name": a_text,
    "district": functools.partial(a_text, optional=True), "eligible": a_count, "candidates": Each(Proposal),
    "near_misses": Each(NearMiss), "found_by": functools.partial(a_text, optional=True),
}


@attrs.frozen
class MatchResult:
    """The posts to fill with their candidates, and (``assign``) one proposal for the whole scope."""

    as_of: date
    packs: tuple[str, ...]
    backend: str
    posts: tuple[PostResult, ...]
    notes: tuple[str, ...]
    #: post key -> candidate id (``None``: no assignment asked for)
    assignment: Mapping[str, str] | None = None
    metrics: Mapping[str, Mapping[str, int | float | None]] = attrs.field(factory=dict)
    #: the names of the input's units by code, that a note may give ("00322 Phường Tương Mai": a data gap's), for
    #: :meth:`redacted` to give their codes only. Not part of the JSON.
    unit_names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    #: the district or commune the posts are of (``scope=``: ``--scope``), ``None`` for the whole input
    scope: ReportScope | None = None
    #: the language its words are in (the engine's: the candidates' reasons, what near misses lack, the notes), that
    #: a format without a language of its own writes a near miss's concurrent holding in (the csv). Not part of the
    #: JSON.
    lang: str = attrs.field(default="vi", eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`): the posts each a
        :class:`PostResult` (itself checked when made), the metrics numbers by name."""
        check_record(self, _RESULT_CHECKS)

    def redacted(self) -> MatchResult:
        """The result with ids only (``--redact``): no names of people or units, no current positions; its notes
        give units by code only (:func:`~cadre_rules.model._names.unit_codes_only`)."""
        codes_only = unit_codes_only(self.unit_names, self.notes)
        return attrs.evolve(self, notes=tuple(map(codes_only, self.notes)), unit_names={},
                            scope=scope_by_code(self.scope),
                            posts=tuple(attrs.evolve(
            r, unit_name="", candidates=tuple(attrs.evolve(c, full_name="", position="", unit_name="")
                                              for c in r.candidates),
            near_misses=tuple(attrs.evolve(m, full_name="", position="", unit_name="") for m in r.near_misses))
            for r in self.posts))


def _match_metrics(name: str, value: object) -> list[Problem]:
    """A mapping of metric name (text) to its values by name (``before``, ``after``): whole numbers, finite floats
    or ``None``, each wrong one located by its keys (``metrics['posts_filled']['after']``)."""
    found = a_json_mapping(name, value)  # (a mapping, text keys, no NaN, no set…: the JSON of any depth)
    if not isinstance(value, Mapping):
        return found
    for metric, values in value.items():  # (and what JSON holds but a metric is not: found once)
        place = f"{name}[{metric!r}]"
        if type(values) is dict:
            found.extend(problem(f"{place}[{when!r}]", _NOT_A_METRIC_VALUE, number, shown=False)
                         for when, number in values.items() if type(number) in (str, bool, list, dict))
        elif type(values) in (str, int, float, bool, type(None), list):
            found.append(problem(place, _NOT_METRIC_VALUES, values, shown=False))
    return found


_NOT_METRIC_VALUES = N_("expected a mapping of its values by name, not a value of type {type}")
# TRANSLATORS: None is a Python value
_NOT_A_METRIC_VALUE = N_("expected a number or None, not a value of type {type}")
_RESULT_CHECKS: Mapping[str, FieldCheck] = {
    "as_of": functools.partial(a_date, optional=False), "packs": Each(str), "backend": a_text,
    "posts": Each(PostResult), "notes": Each(str), "assignment": a_mapping, "unit_names": a_mapping,
    "metrics": _match_metrics, "scope": functools.partial(a_record, kind=ReportScope, optional=True), "lang": a_lang,
}


# -- posts to fill ------------------------------------------------------------------------------------
def read_posts(path: Path | str, units: Mapping[str, Unit]) -> list[PostToFill]:
    """The posts listed in a CSV file with the columns ``unit`` and ``position`` (a code or its label).

    :param units: the known units by code (``{u.code: u for u in load_units(...)}``).
    :raises InputError: with every problem of the file, or of the arguments (named).
    """
    refuse(a_path("path", path), a_mapping("units", units, NOT_A_UNIT_MAP, optional=False))
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError([Problem.of(str(path), N_("cannot read the posts file: {reason}"),
                                     reason=os_reason(exc))]) from None
    except UnicodeDecodeError:
        raise InputError([Problem.of(str(path), N_("not UTF-8 text: save the posts file as CSV UTF-8"))]) from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    missing = [c for c in ("unit", "position") if c not in header]
    if missing:
        raise InputError([Problem.of(str(path), N_("missing column {name} (the columns are unit, position)"), 1, c,
                                     name=repr(c)) for c in missing])
    ui, pi = header.index("unit"), header.index("position")
    problems: list[Problem] = []
    posts: dict[str, PostToFill] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        unit = row[ui].strip() if ui < len(row) else ""
        raw = row[pi].strip() if pi < len(row) else ""
        if unit not in units:
            problems.append(Problem.of(str(path), _UNKNOWN_UNIT, n, "unit", unit))
        try:
            position = POSITION.parse(raw)
        except InvalidValue as exc:
            problems.append(Problem.of(str(path), exc, n, "position", raw))
            continue
        post = PostToFill(unit, position, "listed")
        posts.setdefault(post.key, post)
    if problems:
        raise InputError(problems)
    return list(posts.values())


def _vacancies(report: Report) -> dict[str, tuple[PostToFill, str]]:
    """The posts the staffing findings of ``report`` find vacant, by key, each with its first finding's
    ``PACK/RULE``."""
    found: dict[str, tuple[PostToFill, str]] = {}
    for f in report.findings:
        vacant = f.facts.get("vacant") if f.family == "staffing" and f.subject_kind == "unit" else None
        if isinstance(vacant, list):
            for position in vacant:
                post = PostToFill(f.subject_id, str(position), "vacant")
                found.setdefault(post.key, (post, f"{f.pack}/{f.rule}"))
    return found


def _retirement(ctx: OfficialContext) -> tuple[int, date]:
    """The months to a holder's retirement (SEMANTICS 8–9) and the retirement date."""
    return ctx.months_to_retirement(), ctx.retirement_date()


def _term_end(ctx: OfficialContext) -> tuple[int, date] | None:
    """The months to the end of a holder's term (``term_ends``; a term already ended: 0) and its last day."""
    ends = ctx.official.term_ends
    if ends is None:
        return None
    return (complete_months(ctx.as_of, ends) if ctx.as_of <= ends else 0), ends


#: Why a key post's holder leaves it, and when: ``(reason, when)``, ``when(holder)`` giving the whole months
#: from the as-of date and the date (``None``: not known). ``--within N`` lists the posts whose holder leaves
#: within N months, for the reason that comes first (as :func:`cadre_rules.engine._asof.last_day_in_post` reads the
#: records: the earlier of retirement and the end of the term).
LEAVING: tuple[tuple[Reason, Callable[[OfficialContext], tuple[int, date] | None]], ...] = (
    ("retiring", _retirement),
    ("term_ends", _term_end),
)


def _retiring(serving: Sequence[OfficialContext], key_positions: frozenset[str], within: int) -> list[PostToFill]:
    """The key posts whose holder leaves them within ``within`` months (:data:`LEAVING`)."""
    posts: list[PostToFill] = []
    for ctx in serving:
        held = [p for p in ctx.official.posts if p in key_positions]
        if not held:
            continue
        leaving = [(due[1], reason) for reason, when in LEAVING if (due := when(ctx)) is not None and due[0] <= within]
        if leaving:
            day, reason = min(leaving)
            posts.extend(PostToFill(ctx.unit.code, p, reason, ctx.official.id, day) for p in held)
    return posts


# -- candidates ---------------------------------------------------------------------------------------
def candidate_values(ctx: OfficialContext, district: str | None,
                     ranks: Mapping[str, int] = POSITION_RANK) -> dict[str, int | str | None]:
    """The encoded values of :data:`CANDIDATE_FIELDS` of a serving official on the as-of date (``ranks``: of the
    posts, :func:`cadre_rules.packs._engine_match.match_params`)."""
    return _encode(ctx.official, district, ctx.as_of, ctx.calendar, ranks)


def _senior(posts: Sequence[str], ranks: Mapping[str, int]) -> str:
    """The highest-ranked of the posts held (of equals, the first in the catalogue's order)."""
    return posts[0] if len(posts) == 1 else min(posts, key=lambda p: (-ranks[p], _ORDER[p]))


_ORDER = {code: i for i, code in enumerate(POSITION.codes)}


def _encode(o: Official, district: str | None, as_of: date, calendar: Calendar,
            ranks: Mapping[str, int]) -> dict[str, int | str | None]:
    """:func:`candidate_values` of an official (no context: the calendar does the date arithmetic)."""
    left = 0
    for day, form in o.discipline:
        if day <= as_of:
            end = add_months(day, DISCIPLINE_MONTHS[form])
            if as_of <= end:  # active (SEMANTICS 22): the months begun before it ends
                whole = complete_months(as_of, end)
                left = max(left, whole + (add_months(as_of, whole) < end))
    since = as_of.year - _RECENT_RATING_YEARS
    recent = [_RATING_RANK(r) for year, r in o.ratings if since <= year <= as_of.year]
    seconded = running(o.secondment_since, as_of)
    return {
        "unit": o.unit, "district": district, "position": o.position, "gender": o.gender,
        "age": calendar.age(o.birth_date), "education": _EDUCATION_RANK(o.education),
        "political_theory": None if o.political_theory is None else _THEORY_RANK(o.political_theory),
        "general_education": None if o.general_education is None else _GENERAL_RANK(o.general_education),
        "months_to_retirement": calendar.months_to_retirement(o.birth_date, o.gender),
        "planned_level": _LEVEL if o.in_planning else None,
        "discipline_months_left": left, "under_investigation": int(o.under_investigation),
        "recent_rating": min(recent) if recent else None,
        "is_local": None if o.is_local is None else int(o.is_local),
        "on_secondment": int(seconded),
        "months_on_secondment": months_since(o.secondment_since, as_of) if seconded else None,
        "post_rank": max(map(ranks.__getitem__, o.posts)), "senior_post": _senior(o.posts, ranks),
    }


_RATING_RANK = {c: i for i, c in enumerate(RATING.codes)}.__getitem__
_EDUCATION_RANK = {c: i for i, c in enumerate(EDUCATION.codes)}.__getitem__
_THEORY_RANK = {c: i for i, c in enumerate(POLITICAL_THEORY.codes)}.__getitem__
_GENERAL_RANK = {c: i for i, c in enumerate(GENERAL_EDUCATION.codes)}.__getitem__


class _Same(dict[Any, Any]):
    """A value kept as it is (its own class)."""

    def __missing__(self, value: Any) -> Any:
        self[value] = value
        return value


class _Cut(dict[Any, Any]):
    """The representative of a value among ``cuts``: itself on a cut, else a number strictly between the two
    cuts around it (or beyond the first or last); remembered. A value compared only by ``<=`` and ``>`` (``up``)
    takes the first cut at or above it instead, one compared only by ``>=`` and ``<`` (``down``) the last cut at or
    below it: those comparisons give the same results on it (``candidate.post_rank <= post.rank``: the ranks 0 and 1
    are one class when no post to fill is of rank 0)."""

    def __init__(self, cuts: list[float], side: Literal["up", "down", "both"] = "both") -> None:
        super().__init__()
        self.cuts = cuts
        self.side = side

    def __missing__(self, value: Any) -> Any:
        cuts = self.cuts
        if value is None:
            found: Any = None
        else:
            i = bisect.bisect_left(cuts, value)
            if i < len(cuts) and (cuts[i] == value or self.side == "up"):
                found = cuts[i]
            elif self.side == "down" and i > 0:
                found = cuts[i - 1]
            elif i == 0:
                found = cuts[0] - 1 if cuts else 0
            elif i == len(cuts):
                found = cuts[-1] + 1
            else:
                found = (cuts[i - 1] + cuts[i]) / 2
        self[value] = found
        return found


#: The class of the texts compared with none of those a field is compared with (:class:`_Among`).
_OTHER = "\u2260"


class _Among(dict[Any, Any]):
    """A text compared only with some texts by ``==`` / ``!=``: itself when one of them, else one class
    (:data:`_OTHER`) for all the others; a missing value stays missing."""

    def __init__(self, texts: frozenset[str]) -> None:
        super().__init__()
        self.texts = texts

    def __missing__(self, value: Any) -> Any:
        found = self[value] = value if value is None or value in self.texts else _OTHER
        return found


#: ``a OP b`` written as ``b FLIPPED[OP] a``
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _side(ops: set[str]) -> Literal["up", "down", "both"]:
    """Which cut a value compared by ``ops`` may take (:class:`_Cut`)."""
    if ops <= {"<=", ">"}:
        return "up"
    if ops <= {">=", "<"}:
        return "down"
    return "both"


# -- classes of values: what the backend decides once ----------------------------------------------
class _Layout:
    """How pair facts are built from a candidate and a post, their values reduced to classes.

    A candidate's number or rank compared only with literals, post standards and the ranks of the posts to fill
    is replaced by a representative of its class among those values (equal to one, or strictly between two;
    compared one way only, the nearest of them on that side: :class:`_Cut`); a text
    field compared only with one post identity field (``candidate.unit != post.unit``) becomes ``=``
    or ``≠``. Every comparison of the packs' rules has the same result on the classes as on the values.
    """

    def __init__(self, packs: Sequence[RuleSource], ranks: Iterable[int] = ()) -> None:
        """``ranks``: those of the posts to fill (``post.rank``'s values: its cuts, as a standard's values)."""
        rules = [r for p in packs for r in p.match.rules]
        sides: dict[str, set[tuple[str, str]]] = defaultdict(set)  # key -> {(owner, name or literal)}
        literals: dict[str, set[float]] = defaultdict(set)
        texts: dict[str, set[str]] = defaultdict(set)  # key -> the texts it is compared with
        #: key -> the operators it is compared by, written with the field on the left
        ops: dict[str, set[str]] = defaultdict(set)
        for rule in rules:
            for c in rule.compares:
                a, b = c.left, c.right
                ops[a.key].add(c.op)
                if b.owner != "literal":
                    ops[b.key].add(_FLIPPED[c.op])
                sides[a.key].add((b.owner, b.key if b.owner != "literal" else ""))
                if b.owner == "literal":
                    if isinstance(b.value, str):
                        texts[a.key].add(b.value)
                    elif isinstance(b.value, int):
                        literals[a.key].add(b.value)
                else:
                    sides[b.key].add((a.owner, a.key))
        std_values: dict[str, set[int]] = defaultdict(set)
        for pack in packs:
            for std in pack.match.standards:
                for name, value in std.values.items():
                    std_values[f"p_{name}"].add(value)
        if ranks:
            std_values["p_rank"] = set(ranks)
        self.candidate_keys = sorted(k for k in sides if k.startswith("c_"))
        self.post_keys = sorted(k for k in sides if k.startswith("p_"))
        #: candidate key -> thresholds (numbers and ranks compared with literals and standards only)
        self.thresholds: dict[str, list[float]] = {}
        #: (candidate key, post identity key) pairs compared only with each other
        self.identity: list[tuple[str, str]] = []
        #: text key -> the texts it is compared with, when compared only with texts and only by ``==`` / ``!=``:
        #: another text is one class with them all (``candidate.senior_post == 'party_secretary'``)
        self.among = {key: frozenset(found) for key, found in texts.items()
                      if sides[key] == {("literal", "")} and ops[key] <= {"==", "!="}}
        for key in self.candidate_keys:
            kind = CANDIDATE_FIELDS[key[2:]]
            others = sides[key]
            if kind in ("text", "bool"):
                if len(others) == 1:
                    owner, other = next(iter(others))
                    if owner == "post" and other[2:] in _PER_POST and sides[other] == {("candidate", key)}:
                        self.identity.append((key, other))
                continue
            if all(owner == "literal" or (owner == "post" and (other[2:] not in POST_IDENTITY or other in std_values))
                   for owner, other in others):
                found = set(literals[key])
                for owner, other in others:
                    if owner == "post":
                        found |= std_values[other]
                self.thresholds[key] = sorted(found)
        self.identity_keys = {k for pair in self.identity for k in pair}
        kept = [k for k in self.candidate_keys if k not in self.identity_keys]
        self._names = [k[2:] for k in kept]
        #: per kept candidate key: its classes (remembered as they are met)
        self._classes: list[dict[Any, Any]] = [_Cut(self.thresholds[k], _side(ops[k])) if k in self.thresholds
                                               else _Among(self.among[k]) if k in self.among
                                               else _Same() for k in kept]
        self._post_names = [(k[2:], self.among.get(k)) for k in self.post_keys if k not in self.identity_keys]

    def candidate_class(self, values: Mapping[str, int | str | None]) -> tuple[Any, ...]:
        """The classes of a candidate's values (identity fields left out: see :meth:`fact`)."""
        return tuple(map(dict.__getitem__, self._classes, map(values.get, self._names)))

    def post_class(self, values: Mapping[str, int | str | None]) -> tuple[Any, ...]:
        return tuple(_OTHER if among is not None and (v := values.get(name)) is not None and v not in among
                     else values.get(name) for name, among in self._post_names)

    def fact(self, cclass: tuple[Any, ...], pclass: tuple[Any, ...], same: tuple[bool, ...]) -> dict[str, Any]:
        fact: dict[str, Any] = dict(zip((k for k in self.candidate_keys if k not in self.identity_keys), cclass,
                                        strict=True))
        fact.update(zip((k for k in self.post_keys if k not in self.identity_keys), pclass, strict=True))
        for (ckey, pkey), eq in zip(self.identity, same, strict=True):
            fact[ckey] = "=" if eq else "≠"
            fact[pkey] = "="
        return fact


def _post_values(post: PostToFill, unit: Unit, pack: RuleSource, district: str | None,
                 ranks: Mapping[str, int]) -> dict[str, int | str | None]:
    values: dict[str, int | str | None] = {"unit": post.unit, "district": district, "position": post.position,
                                           "level": _LEVEL, "rank": ranks[post.position]}
    values.update(pack.match.standard(post.position))
    return values


# -- the job ------------------------------------------------------------------------------------------
def match(engine: Engine, officials: Iterable[Official], units: Iterable[Unit], as_of: date | None = None, *,
          within: int | None = None, posts: Sequence[PostToFill] = (), top: int = 10, assign: bool = False,
          report: Report | None = None, scope: str | None = None) -> MatchResult:
    """Eligible candidates for every post to fill as of ``as_of`` (docs/match.md).

    :param within: also the key posts whose holder reaches retirement within this many months.
    :param posts: also these posts (:func:`read_posts`).
    :param top: how many candidates and near misses to show per post.
    :param assign: also propose one candidate per post, each used once (:mod:`._assign`).
    :param report: the engine's report of the same data and date, if already made (else it is made, and
        only what matching reads of it is kept).
    :param scope: ``"district:NAME"`` or ``"commune:NAME"`` (a unit's code or name), as ``evaluate --scope``: only
        the posts of its units are filled (a listed post of another unit is left out, with a note), from
        candidates of the whole input (docs/match.md, "One district or one commune"); an
        :class:`~cadre_rules.errors.InputError` located at ``--scope`` when it names nothing in the data.

    The cyclic garbage collector is paused meanwhile, as :meth:`Engine.evaluate` does (many small acyclic
    objects).
    """
    officials, units = check_records(
        officials, units, an_instance("engine", engine, Engine, NOT_AN_ENGINE), a_date("as_of", as_of),
        a_count("within", within, optional=True), a_sequence("posts", posts, PostToFill, _NOT_POSTS, _NOT_A_POST),
        a_count("top", top), a_flag("assign", assign),
        an_instance("report", report, Report, NOT_A_REPORT, optional=True), a_text("scope", scope, optional=True))
    codes = {u.code for u in units}
    refuse([Problem.of("<posts>", _UNKNOWN_UNIT, i, "unit", post.unit)
            for i, post in enumerate(posts, 1) if post.unit not in codes])
    top = min(top, sys.maxsize)  # (more than there can be is every one: islice takes no larger number)
    as_of = as_of or date.today()
    with paused():
        whole = report if report is not None else engine.evaluate(officials, units, as_of)
        within_scope = None if scope is None else scoped(scope, whole, engine=engine, officials=officials,
                                                          units=units, as_of=as_of)
        if within_scope is None:  # (a commune's officials with the city's units file: the posts are its own)
            whole = _of_staffed_units(whole, officials, units, engine.lang)
            # (a commune's own data: not the notes on the other communes' packs, as `evaluate` does not say them)
            whole = own_data(whole, engine.lang, engine.packs_for(as_of)[0], units, engine.named)
        found = _Found.of(whole, engine.lang, within_scope)
        del whole  # (only what matching reads of it is kept: docs/match.md, memory against one evaluate)
        return _match(engine, officials, units, as_of, within, posts, top, assign, found)


def _of_staffed_units(report: Report, officials: Sequence[Official], units: Sequence[Unit], lang: str) -> Report:
    """``report`` of the units that have officials, when only few have (:func:`~cadre_rules.report._unstaffed.
    with_unstaffed_units`: the other units' vacancies are not the officer's posts to fill), with its note first; a
    report that says so already (the caller's, as ``evaluate`` made it) as it is."""
    if any(n.kind == "units" for n in report.notices):
        return report
    return with_unstaffed_units(report, officials, units, lang, "match")


#: The note of a match with no post to fill (without ``within``: with how to look further ahead).
_NOTHING_TO_FILL = N_("no post to fill on {date}: no required post is vacant")
# TRANSLATORS: {within} is the option with its number of months N, as the caller gives it: --within N on the command
# line, within=N in the service and the Python API
_TRY_WITHIN = N_("to list the key posts whose holder retires or ends a term within N months too, give {within}")


class _Placeholder(str):
    """A value the reader chooses (``N``), given to an :class:`~cadre_rules.errors.Argument` as it is said in every
    front end: ``--within N``, ``within=N`` (never quoted as a text: ``within='N'``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


#: ``within``, with the months to give it (``--within N``; ``within=N``).
_WITHIN = Argument("within", _Placeholder("N"))


def _nothing_to_fill(as_of: date, within: int | None, lang: str) -> str:
    """Why a match lists no post (every required post held; none leaving within the months asked for), and how to
    look further ahead when ``within`` was not given."""
    t = translation(lang)
    when = short_date(as_of, lang)
    if within is None:
        return ArgumentNote(t.gettext(_NOTHING_TO_FILL).format(date=when) + "; " + t.gettext(_TRY_WITHIN),
                            within=_WITHIN)
    return t.ngettext("no post to fill on {date}: no required post is vacant, and no holder of a key post leaves it "
                      "within {months} month",
                      "no post to fill on {date}: no required post is vacant, and no holder of a key post leaves it "
                      "within {months} months", within).format(date=when, months=integer(within, lang))


@attrs.frozen
class _Found:
    """What matching reads of the engine's report: the vacancies, the targets short, the notes."""

    vacancies: tuple[PostToFill, ...]
    #: the finding that found each vacant post (its key → ``PACK/RULE``)
    found_by: Mapping[str, str]
    targets: _Targets
    notes: tuple[str, ...]
    #: the district or commune whose posts are filled (``None``: every unit's)
    scoped: Scoped | None = None
    #: the notes on the units without officials (:mod:`~cadre_rules.report._unstaffed`), said first
    units_said: frozenset[str] = frozenset()

    @classmethod
    def of(cls, report: Report, lang: str, within: Scoped | None = None) -> _Found:
        """What matching reads of ``report``; ``within`` a scope: its vacancies and notes, those of ``evaluate
        --scope`` (what helps meet the targets stays the whole report's: the city's and the district's shares)."""
        told = report if within is None else within.report
        vacant = _vacancies(told)
        return cls(tuple(post for post, _ in vacant.values()), {key: by for key, (_, by) in vacant.items()},
                   _Targets(report, lang), tuple(told.notes), within,
                   frozenset(n.message for n in told.notices if n.kind == "units"))


def _match(engine: Engine, officials: Sequence[Official], units: Sequence[Unit], as_of: date,
           within: int | None, posts: Sequence[PostToFill], top: int, assign: bool, found: _Found) -> MatchResult:
    unit_map = {u.code: u for u in units}
    mode = _asof.districts(units, as_of, engine.legacy_districts)
    with_districts = mode in ("kept", "legacy")

    def district_of(unit: Unit) -> str | None:
        return unit.district if with_districts else None

    applied, _notes = engine.packs_for(as_of)
    packs = [p for p in applied if p.match.rules]
    #: the ranks of the posts and the concurrent holdings (the defaults, or those a pack in effect sets)
    params = match_params(applied, as_of)
    ranks = params.ranks
    #: the packs' match rules, and the engine's own (no one proposed for a post below one they hold)
    rule_sets: list[RuleSource] = [*packs, engine_rules(params.concurrent)] if packs else []
    notes = list(found.notes)
    if not packs:
        notes.append(translation(engine.lang).gettext(
            "no pack in effect on the as-of date has match rules: no candidate is proposed"))
    calendar = Calendar(as_of)  # (candidates' ages and months to retirement; their ratings: `recent_rating`)
    # (by id: each bucket's people are then in the order of every ranking's last key)
    serving = sorted(itertools.compress(officials, map(operator.not_, calendar.retired_of(officials))), key=_ID_OF)
    key_positions = frozenset(code for p in packs for code in p.key_positions)
    key_holders = [OfficialContext(o, unit_map[o.unit], as_of, calendar) for o in serving
                   if key_positions.intersection(o.posts)]
    by_key: dict[str, PostToFill] = {}
    leaving = _retiring(key_holders, key_positions, within) if within is not None else []
    within_scope = found.scoped
    if within_scope is not None:  # (its vacancies are the scope's already: the restricted report's)
        leaving = [post for post in leaving if within_scope.has(post.unit)]
        outside = [post for post in posts if not within_scope.has(post.unit)]
        posts = [post for post in posts if within_scope.has(post.unit)]
    for post in (*found.vacancies, *leaving, *posts):
        by_key.setdefault(post.key, post)
    to_fill = sorted(by_key.values(), key=lambda p: (p.unit, POSITION.codes.index(p.position), p.position))
    if packs and not to_fill:  # (said first: the officer sees why the list is empty, and how to look further;
        # after the note on the units without officials, which says whose posts these are)
        notes.insert(int(bool(notes) and notes[0] in found.units_said), _nothing_to_fill(as_of, within, engine.lang))
    if within_scope is not None:
        notes.extend(_scope_notes(within_scope, len(outside), engine.lang))
    if packs and to_fill:  # (why a sitting Bí thư is no candidate for a Phó Bí thư post elsewhere)
        notes.extend(_rank_notes(params, {post.position for post in to_fill}, engine.lang))
    key_total = len(key_holders)
    key_ids = frozenset(c.official.id for c in key_holders)
    key_young = sum(c.age() < _YOUNG_AGE for c in key_holders)
    del key_holders

    layout = _Layout(rule_sets, {ranks[post.position] for post in to_fill})
    targets = found.targets
    people = _People(unit_map, as_of, calendar, district_of, ranks)
    blocks: dict[str | None, _Block] = defaultdict(lambda: _Block(layout))
    #: the holders of the posts to fill (never their candidates), and where each one is in its block
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    placed: dict[str, tuple[_Bucket, tuple[Any, ...]]] = {}
    for o in serving:
        unit = unit_map[o.unit]
        district = district_of(unit)
        place = blocks[district].add(o, people.values_of(o, unit, district))
        for held in o.posts:
            if f"{o.unit}/{held}" in by_key:
                holders[(o.unit, held)].append(o.id)
                placed[o.id] = place
    for of_block in blocks.values():
        of_block.indexed()
    posts_in_block: dict[str | None, int] = defaultdict(int)
    for post in to_fill:
        posts_in_block[district_of(unit_map[post.unit])] += 1

    results: list[PostResult] = []
    edges: dict[str, list[_Edge]] = {}
    deadline = Deadline(engine.timeout)
    with ExitStack() as stack:
        sessions = {p.ref: stack.enter_context(engine.backend.pairs(p.ref, p.match.decided, deadline))
                    for p in rule_sets}
        decide = _Decider(layout, rule_sets, sessions, targets, ranks)
        for post in to_fill:
            unit = unit_map[post.unit]
            block = district_of(unit)
            # (for --assign each post keeps as many candidates as its block has posts: see _assign)
            need = max(top, posts_in_block[block]) if assign else top
            skip = {*holders.get((post.unit, post.position), ()), *([post.holder] if post.holder else [])}
            count, eligible, near = decide.post(post, unit, block, blocks[block], skip, placed, need, top)
            edges[post.key] = [e for _, e in eligible]
            ranked = tuple(targets.rank(unit, o, e.bucket, decide.std, unit_map[o.unit].name, e.concurrent)
                           for o, e in eligible[:top])
            results.append(PostResult(post, unit.name, unit.district, count, ranked,
                                      tuple(_near(targets.rank(unit, o, b, decide.std, unit_map[o.unit].name,
                                                               concurrent), people.candidate(o), miss, post, unit,
                                                  engine.lang, block, ranks)
                                            for o, b, miss, concurrent in near),
                                      found.found_by.get(post.key) if post.reason == "vacant" else None))
    assignment = None
    metrics: dict[str, dict[str, int | float | None]] = {}
    if assign:
        from ._assign import assign_posts  # noqa: PLC0415 - scipy is loaded only when asked for
        from ._assign import filled_metrics  # noqa: PLC0415

        assignment = assign_posts(edges, {post.key: district_of(unit_map[post.unit]) for post in to_fill})
        young = frozenset(e.id for es in edges.values() for e in es if e.bucket.young)
        no_woman = targets.no_woman if within_scope is None else {c for c in targets.no_woman if within_scope.has(c)}
        metrics = filled_metrics(len(to_fill), assignment, edges, len(no_woman),
                                 {post.key: post.unit for post in to_fill}, key_total, key_young, key_ids, young)
    return MatchResult(as_of, tuple(p.ref for p in packs), engine.backend.name, tuple(results), tuple(notes),
                       assignment, metrics, {code: unit.name for code, unit in unit_map.items()},
                       None if within_scope is None else within_scope.scope, engine.lang)


#: The note of every match with posts to fill: the engine's own rule (:mod:`cadre_rules.packs._engine_match`).
_NO_LOWER_POST = N_("no one is proposed for a post ranked below a post they hold (Bí thư above Phó Bí thư thường "
                    "trực; this above the other Phó Bí thư, Chủ tịch HĐND and UBND; these above their deputies and "
                    "Chủ tịch UBMTTQ): rotation is to an equivalent or higher post (QĐ 65-QĐ/TW, Điều 4)")
#: The same note from 1/7/2025 (:data:`~cadre_rules.packs._engine_match.DATED_RANKS`): the Phó Chủ tịch UBMTTQ below.
_NO_LOWER_POST_2025 = N_("no one is proposed for a post ranked below a post they hold (Bí thư above Phó Bí thư "
                         "thường trực; this above the other Phó Bí thư, Chủ tịch HĐND and UBND; these above their "
                         "deputies and Chủ tịch UBMTTQ; these above the Phó Chủ tịch UBMTTQ, who head the "
                         "socio-political organisations: QĐ 301-QĐ/TW, HD 31-HD/BTCTW, confidence Medium): rotation "
                         "is to an equivalent or higher post (QĐ 65-QĐ/TW, Điều 4)")
#: The note of the default ranks, by the first day of each (:data:`~cadre_rules.packs._engine_match.DATED_RANKS`).
_NO_LOWER_POST_SINCE = dict(zip((since for since, _ in DATED_RANKS), (_NO_LOWER_POST, _NO_LOWER_POST_2025),
                                strict=True))
#: The same note when the ranks are a pack's own (the tiers above are not theirs: :data:`_RANKS_OF` says whose).
_NO_LOWER_POST_OF = N_("no one is proposed for a post ranked below a post they hold: rotation is to an equivalent "
                       "or higher post (QĐ 65-QĐ/TW, Điều 4)")
#: The note of a match for one district or commune: where its candidates come from.
_CANDIDATES_FROM_ALL = N_("the posts are those of {scope}; the candidates come from the whole data (rotation and "
                          "transfer bring officials from other units), as without {option}")


#: The note of a match with a post that a holder of another post of its unit usually holds too (docs/match.md,
#: "Concurrent holdings").
_CONCURRENT = N_("the {held} of the commune is proposed first for its {post} post, as a concurrent holding (kiêm "
                 "nhiệm) while keeping their post, never as a move to a lower one ({param}; {basis})")
#: The same note when a pack sets the concurrent holdings of the post (``POST_concurrent_with`` in its ``[params]``).
_CONCURRENT_OF = N_("the {held} of the commune is proposed first for its {post} post, as a concurrent holding (kiêm "
                    "nhiệm) while keeping their post, never as a move to a lower one ({param} of pack {pack})")
_RANKS_OF = N_("the ranks of the posts are those of pack {pack} (its parameters post_rank_N), not the tiers of Kết "
               "luận 35-KL/TW")


def _rank_notes(params: MatchParams, positions: set[str], lang: str) -> list[str]:
    """The notes of the ranks of the posts: no one proposed for a lower post, whose ranks, and the concurrent
    holdings expected for the posts to fill."""
    t = translation(lang)
    if params.ranks_from is None:
        notes = [t.gettext(_NO_LOWER_POST_SINCE[params.ranks_since or date.min])]
    else:
        notes = [t.gettext(_NO_LOWER_POST_OF), t.gettext(_RANKS_OF).format(pack=params.ranks_from)]
    for post, held in params.concurrent.items():
        if post in positions:
            name = _post_name(post, lang)
            names = [_post_name(code, lang) for code in held]
            alternatives = names[0] if len(names) == 1 else t.gettext("{posts} or {last}").format(
                posts=", ".join(names[:-1]), last=names[-1])
            by = params.concurrent_from.get(post)
            param = f"{post}_concurrent_with"
            notes.append(t.gettext(_CONCURRENT).format(held=alternatives, post=name, param=param,
                                                       basis=t.gettext(CONCURRENT_BASIS[post])) if by is None
                         else t.gettext(_CONCURRENT_OF).format(held=alternatives, post=name, param=param, pack=by))
    return notes


def _post_name(code: str, lang: str) -> str:
    """A post as the reader names it: its Vietnamese title in ``vi``, its code in English."""
    return code if lang == "en" else POSITION.label(code)


def _scope_notes(within: Scoped, outside: int, lang: str) -> list[str]:
    """Where the candidates of a scope's posts come from; how many listed posts of other units were left out."""
    t = translation(lang)
    name = within.scope.name
    notes: list[str] = [ArgumentNote(t.gettext(_CANDIDATES_FROM_ALL), scope=name, option=Argument("scope"))]
    if outside:
        notes.append(t.ngettext("{count} listed post is not in {scope}: left out",
                                "{count} listed posts are not in {scope}: left out", outside)
                     .format(count=integer(outside, lang), scope=name))
    return notes


class _People:
    """The encoded values of serving officials: computed once for the buckets (and not kept), again for the
    few shown as near misses (kept while matching, since a block's best are shown for many posts)."""

    def __init__(self, unit_map: Mapping[str, Unit], as_of: date, calendar: Calendar,
                 district_of: Callable[[Unit], str | None], ranks: Mapping[str, int]) -> None:
        self.unit_map = unit_map
        self.as_of = as_of
        self.calendar = calendar
        self.district_of = district_of
        self.ranks = ranks
        self._shown: dict[str, Candidate] = {}

    def values_of(self, o: Official, unit: Unit, district: str | None) -> dict[str, int | str | None]:
        return _encode(o, district, self.as_of, self.calendar, self.ranks)

    def candidate(self, o: Official) -> Candidate:
        got = self._shown.get(o.id)
        if got is None:
            unit = self.unit_map[o.unit]
            got = self._shown[o.id] = Candidate(o, unit, self.values_of(o, unit, self.district_of(unit)))
        return got


@attrs.define
class _Bucket:
    """Candidates of a block alike for deciding (their classes) and ranking (gender, under 35, education and
    theory ranks), sorted by id; ``by_ident`` splits them by the values compared with a post's identity."""

    cclass: tuple[Any, ...]
    female: bool
    young: bool
    education: int | None
    theory: int | None
    members: list[Official] = attrs.field(factory=list)
    by_ident: dict[tuple[Any, ...], list[Official]] = attrs.field(factory=dict)


class _Block:
    """The candidates of a block (a district, or the city) in buckets: only the officials are kept (their
    values are reduced to the bucket's classes)."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.buckets: dict[tuple[Any, ...], _Bucket] = {}
        self._ident = [c[2:] for c, _ in layout.identity]
        #: (after :meth:`sorted`) the buckets by id, and their people by the values compared with a post's identity
        self.by_id: dict[int, _Bucket] = {}
        self.by_ident: dict[tuple[Any, ...], list[tuple[_Bucket, list[Official]]]] = {}

    def add(self, official: Official, values: Mapping[str, int | str | None]) -> tuple[_Bucket, tuple[Any, ...]]:
        """Put an official in its bucket; its bucket and the values compared with a post's identity."""
        age = values["age"]
        sig = (self.layout.candidate_class(values), official.gender == "female",
               isinstance(age, int) and age < _YOUNG_AGE, values["education"], values["political_theory"])
        bucket = self.buckets.get(sig)
        if bucket is None:
            bucket = self.buckets[sig] = _Bucket(*sig)  # type: ignore[arg-type]
        bucket.members.append(official)
        ident = tuple(values.get(name) for name in self._ident)
        if self._ident:
            bucket.by_ident.setdefault(ident, []).append(official)
        return bucket, ident

    def indexed(self) -> None:
        """Index the buckets' people by the values compared with a post's identity (once all are added, in
        the order of their ids: the last key of every ranking)."""
        for bucket in self.buckets.values():
            self.by_id[id(bucket)] = bucket
            for key, members in bucket.by_ident.items():
                self.by_ident.setdefault(key, []).append((bucket, members))


_Failed = tuple[tuple[RuleSource, MatchRule], ...]
#: A candidate's rank for a post, best first: -1 for a concurrent holding (else 0), -targets met, -fit
_Rank = tuple[int, int, int]
#: a near miss: who, their bucket, the rule they fail, and whether it is a concurrent holding
_Miss = tuple[Official, _Bucket, tuple[RuleSource, MatchRule], bool]


class _Decider:
    """Which candidates of a block fit a post: the backend decides each combination of classes once, and
    the work per post grows with the buckets of its block (and the candidates shown), not its people."""

    def __init__(self, layout: _Layout, packs: Sequence[RuleSource], sessions: Mapping[str, PairSession],
                 targets: _Targets, ranks: Mapping[str, int]) -> None:
        self.layout = layout
        self.packs = packs
        self.sessions = sessions
        self.targets = targets
        self.ranks = ranks
        self.memo: dict[tuple[Any, ...], _Failed] = {}
        #: the pairs of classes that are a concurrent holding (an exception of a rule holds: ``unless``)
        self.concurrent: set[tuple[Any, ...]] = set()
        self.asserted = 0
        #: the standards of the last post decided (for its ranking)
        self.std: dict[str, int] = {}
        self._shapes: dict[tuple[Any, ...], _Shape] = {}

    def outcome(self, cclass: tuple[Any, ...], pclass: tuple[Any, ...], same: tuple[bool, ...],
                applicable: tuple[tuple[RuleSource, tuple[MatchRule, ...]], ...],
                rules_key: tuple[str, ...]) -> _Failed:
        """The match rules failed by a pair of classes (applicable ones, every pack); a pair that an exception
        of a rule lets through (``unless``) is a concurrent holding (:attr:`concurrent`)."""
        key = (cclass, pclass, same, rules_key)
        got = self.memo.get(key)
        if got is not None:
            return got
        fact = self.layout.fact(cclass, pclass, same)
        failed: list[tuple[RuleSource, MatchRule]] = []
        for pack, rules in applicable:
            if not rules:
                continue
            self.asserted += 1
            passed = set(self.sessions[pack.ref].decide(fact, str(self.asserted)))
            failed.extend((pack, r) for r in rules if r.fails(passed))
            if any(e.id in passed for r in rules for e in r.exceptions):
                self.concurrent.add(key)
        result = self.memo[key] = tuple(failed)
        return result

    def post(self, post: PostToFill, unit: Unit, block: str | None, of_block: _Block, skip: set[str],
             placed: Mapping[str, tuple[_Bucket, tuple[Any, ...]]], need: int,
             top: int) -> tuple[int, list[tuple[Official, _Edge]], list[_Miss]]:
        """How many candidates fit the post, the best ``need`` of them and the best ``top`` near misses
        (ranked by the targets they help meet, then fit, then id; ``skip``: its holders, ``placed``: where
        they are)."""
        applicable = tuple((p, tuple(r for r in p.match.rules if p.match.applies(r, post.position)))
                           for p in self.packs)
        values: dict[str, int | str | None] = {}
        std: dict[str, int] = {}
        for pack in self.packs:
            values.update(_post_values(post, unit, pack, block, self.ranks))
            std.update(pack.match.standard(post.position))
        self.std = std
        if not any(rules for _, rules in applicable):
            return 0, [], []
        rules_key = tuple(f"{p.ref}/{r.id}" for p, rules in applicable for r in rules)
        pclass = self.layout.post_class(values)
        ident = self.layout.identity
        post_ident = tuple(values.get(p[2:]) for _, p in ident)
        woman, young = self.targets.needs(unit)
        other = (False,) * len(ident)
        shape = self._shape(of_block, pclass, rules_key, applicable, woman, young, std)
        # the people of the post's own unit (or district…: compared with the post's identity), by bucket
        special: dict[int, list[tuple[tuple[Any, ...], list[Official]]]] = defaultdict(list)
        if len(ident) == 1:
            for b, ms in of_block.by_ident.get(post_ident, ()):
                special[id(b)].append((post_ident, ms))
        elif ident:
            for key, found in of_block.by_ident.items():
                if any(map(operator.eq, key, post_ident)):
                    for b, ms in found:
                        special[id(b)].append((key, ms))
        ok: dict[_Rank, list[Iterable[tuple[Official, _Edge]]]] = defaultdict(list)
        near: dict[_Rank, list[Iterable[_Miss]]] = defaultdict(list)
        count = shape.fitting
        for cid in skip:  # a holder outside the special groups, in a bucket that fits: not counted
            where = placed.get(cid)
            if where is not None and not (ident and any(map(operator.eq, where[1], post_ident))) \
                    and not self.outcome(where[0].cclass, pclass, other, applicable, rules_key):
                count -= 1

        def place(failed: _Failed, rank: _Rank, who: Iterable[Official], b: _Bucket, meets: tuple[str, ...],
                  concurrent: bool = False) -> None:
            if concurrent:  # (first: the holding the parameters expect)
                rank = (-1, *rank[1:])
            if not failed:
                ok[rank].append(zip(who, itertools.repeat(_Edge("", -rank[1], meets, b, concurrent))))
            elif len(failed) == 1 and failed[0][1].severity != "error":
                near[rank].append(zip(who, itertools.repeat(b), itertools.repeat(failed[0]),
                                      itertools.repeat(concurrent)))

        for b, rank, meets, failed in shape.shown:
            groups = special.get(id(b))
            if groups:
                away = {m.id for _, ms in groups for m in ms} | skip
                if not failed:
                    count -= sum(len(ms) for _, ms in groups)
            else:
                away = skip
            place(failed, rank, _without(b.members, away), b, meets)
        for bid, groups in special.items():
            b = of_block.by_id[bid]
            rank, meets = self._rank_of(b, woman, young, std)
            by_same: dict[tuple[bool, ...], list[Official]] = defaultdict(list)
            for key, ms in groups:
                by_same[tuple(map(operator.eq, key, post_ident))].extend(m for m in ms if m.id not in skip)
            for same, who in by_same.items():
                if len(groups) > 1:
                    who.sort(key=_ID_OF)
                failed = self.outcome(b.cclass, pclass, same, applicable, rules_key)
                if not failed:
                    count += len(who)
                place(failed, rank, who, b, meets, (b.cclass, pclass, same, rules_key) in self.concurrent)
        best = [(o, e._replace(id=o.id)) for o, e in itertools.islice(itertools.chain.from_iterable(
            heapq.merge(*ok[rank], key=_FIRST_ID) for rank in sorted(ok)), need)]
        misses: list[_Miss] = []
        for rank in sorted(near):
            if len(misses) >= top:
                break
            misses.extend(itertools.islice(heapq.merge(*near[rank], key=_FIRST_ID), top - len(misses)))
        return count, best, misses

    @staticmethod
    def _rank_of(b: _Bucket, woman: bool, young: bool, std: Mapping[str, int]) -> tuple[_Rank, tuple[str, ...]]:
        """A bucket's rank for a post (not a concurrent holding, targets it helps meet, fit) and the targets."""
        meets = (*(("woman",) if woman and b.female else ()), *(("young",) if young and b.young else ()))
        return (0, -len(meets), -_fit(b.education, b.theory, std)), meets

    def _shape(self, of_block: _Block, pclass: tuple[Any, ...], rules_key: tuple[str, ...],
               applicable: tuple[tuple[RuleSource, tuple[MatchRule, ...]], ...], woman: bool, young: bool,
               std: Mapping[str, int]) -> _Shape:
        """The buckets of a block that fit, or nearly fit, the posts alike (same classes, rules, needs and
        standards) apart from their own unit's people, ranked; remembered."""
        key = (id(of_block), pclass, rules_key, woman, young, tuple(sorted(std.items())))
        got = self._shapes.get(key)
        if got is None:
            shown = []
            fitting = 0
            other = (False,) * len(self.layout.identity)
            for b in of_block.buckets.values():
                failed = self.outcome(b.cclass, pclass, other, applicable, rules_key)
                if not failed:
                    fitting += len(b.members)
                elif len(failed) > 1 or failed[0][1].severity == "error":
                    continue  # (its people of the post's own unit are decided apart)
                rank, meets = self._rank_of(b, woman, young, std)
                shown.append((b, rank, meets, failed))
            got = self._shapes[key] = _Shape(tuple(shown), fitting)
        return got


class _Shape(NamedTuple):
    """The buckets of a block as seen by posts alike: those that fit or nearly fit (with their rank, targets
    and failed rules), and how many people fit."""

    shown: tuple[tuple[_Bucket, _Rank, tuple[str, ...], _Failed], ...]
    fitting: int


def _without(members: Iterable[Official], away: set[str]) -> Iterator[Official]:
    """The members but those of ids ``away``, lazily (read once the post's ranking is known)."""
    return (m for m in members if m.id not in away)


class _Edge(NamedTuple):
    """A candidate of a post for --assign (:class:`._assign.Proposal`): its id, the targets it meets, and its
    bucket (what it is: a woman, under 35, its ranks)."""

    id: str
    targets: int
    meets: tuple[str, ...]
    bucket: _Bucket
    #: a concurrent holding (kiêm nhiệm): the exception of ``match.no_lower_post`` holds
    concurrent: bool = False


def _FIRST_ID(pair: tuple[Official, object] | tuple[Official, object, object, object]) -> str:
    return pair[0].id


def _ID_OF(official: Official) -> str:
    return official.id


def _fit(education: int | None, theory: int | None, std: Mapping[str, int]) -> int:
    """Qualifications above the post's standard: ranks of education and political theory beyond it."""
    fit = 0
    for have, name in ((education, "education"), (theory, "political_theory")):
        want = std.get(name)
        if have is not None and want is not None and have > want:
            fit += have - want
    return fit


def _near(p: Proposal, cand: Candidate, miss: tuple[RuleSource, MatchRule], post: PostToFill, unit: Unit, lang: str,
          block: str | None, ranks: Mapping[str, int]) -> NearMiss:
    """A near miss, with what it lacks rendered from the actual values (not their classes)."""
    pack, rule = miss
    values: dict[str, int | str | None] = {f"c_{k}": v for k, v in cand.values.items()}
    values.update({f"p_{k}": v for k, v in _post_values(post, unit, pack, block, ranks).items()})
    return NearMiss(p.id, p.full_name, p.unit, p.position, pack.id, rule.id, _lack(rule, cand, values, lang),
                    rule.cite, p.targets, p.fit, p.unit_name, p.concurrent)


#: The candidate fields encoded from a mark whose empty cell is unknown, not "no": ``planned_level`` is ``None``
#: both for an official not in planning and for one whose "Quy hoạch" cell is empty.
_FROM_MARK = {"planned_level": "in_planning"}
_NOT_KNOWN = N_("not known: column {column} is empty (unknown, not 'no'); fill it in to decide")


def _lack(rule: MatchRule, cand: Candidate, values: Mapping[str, int | str | None], lang: str) -> str:
    """What a near miss lacks (:func:`render_lack`); where the rule reads a mark the candidate's row left empty
    (:data:`_FROM_MARK`), that it is not known, and which column to fill: an empty cell is not a lack."""
    for name in (s.name for c in rule.require for s in (c.left, c.right) if s.owner == "candidate"):
        mark = _FROM_MARK.get(name)
        if mark is not None and getattr(cand.official, mark) is None:
            return translation(lang).gettext(_NOT_KNOWN).format(column=column_header(mark, lang))
    return render_lack(rule, values, lang)


#: The reason of a concurrent holding (kiêm nhiệm): shown first among a candidate's reasons (and after what a near
#: miss lacks, by the formats).
CONCURRENT_REASON = N_("a concurrent holding (kiêm nhiệm): their post in this commune usually holds this one too")
_FIT_LABELS = {"education": N_("degree above the standard"),
               "political_theory": N_("political theory above the standard")}


class _Targets:
    """What helps the unit and the city meet their targets (from the engine's report), and fit."""

    def __init__(self, report: Report, lang: str) -> None:
        #: units whose standing committee has members and no woman (Đề án 34's finding)
        self.no_woman = {f.subject_id for f in report.findings if f.rule == "quota.woman_standing_committee"
                         and f.subject_kind == "unit"}
        #: scopes (city, district) whose share of key officials under 35 is short
        self.young_short = {(m.scope, m.scope_id) for m in report.metrics if m.id == "quota.young" and m.met is False}
        self.city_short = any(scope == "city" for scope, _ in self.young_short)
        self.lang = lang
        #: (bucket, needs, standards) -> targets, fit, reasons, targets met
        self._ranks: dict[tuple[Any, ...], tuple[int, int, tuple[str, ...], tuple[str, ...]]] = {}

    def needs(self, unit: Unit) -> tuple[bool, bool]:
        """Whether the unit needs a woman (standing committee), and its scope someone under 35."""
        short = self.city_short or ("district", unit.district or "") in self.young_short
        return unit.code in self.no_woman, short

    def rank(self, unit: Unit, o: Official, b: _Bucket, std: Mapping[str, int], unit_name: str = "",
             concurrent: bool = False) -> Proposal:
        """A candidate (``o``, of bucket ``b``) for a post of ``unit`` with its rank: a concurrent holding first,
        then the targets it helps meet, then fit (qualifications above the post's standard ``std``), each with its
        reason."""
        woman, short = self.needs(unit)
        key = (id(b), woman, short, tuple(std.get(name) for name in _FIT_LABELS))
        got = self._ranks.get(key)
        if got is None:
            got = self._ranks[key] = self._rank(b, woman, short, std)
        if concurrent:
            reason = translation(self.lang).gettext(CONCURRENT_REASON)
            return Proposal(o.id, o.full_name, o.unit, o.position, got[0], got[1], (reason, *got[2]), got[3],
                            unit_name, concurrent=True)
        return Proposal(o.id, o.full_name, o.unit, o.position, *got, unit_name)

    def _rank(self, b: _Bucket, woman: bool, short: bool,
              std: Mapping[str, int]) -> tuple[int, int, tuple[str, ...], tuple[str, ...]]:
        _ = translation(self.lang).gettext
        meets = []
        reasons = []
        if woman and b.female:
            meets.append("woman")
            reasons.append(_("a woman: the unit's standing committee has none"))
        if b.young and short:
            meets.append("young")
            reasons.append(_("under 35: the share of young key officials is short"))
        for (name, label), have in zip(_FIT_LABELS.items(), (b.education, b.theory), strict=True):
            need = std.get(name)
            if have is not None and need is not None and have > need:
                reasons.append(f"{_(label)} (+{have - need})")
        return len(meets), _fit(b.education, b.theory, std), tuple(reasons), tuple(meets)


# TRANSLATORS: PostToFill and read_posts are names of the Python API; {type} a Python type (str)
_NOT_POSTS = N_("expected a sequence of PostToFill (read_posts reads a file), not a value of type {type}")
_NOT_A_POST = N_("expected a PostToFill (made by read_posts), not a value of type {type}")
_UNKNOWN_UNIT = N_("unknown unit code")
