"""The evaluation of one pack program in one backend session: officials, units, metrics."""

from __future__ import annotations

import functools
import math
import operator
from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from fractions import Fraction
from itertools import chain
from itertools import compress
from itertools import repeat
from types import MappingProxyType
from typing import Any
from typing import Literal

from .._i18n import code_label
from .._i18n import label
from ..errors import N_
from ..errors import Message
from ..errors import PackError
from ..errors import Problem
from ..model._codes import POSITION
from ..model._codes import VOCABULARIES
from ..model._context import Calendar
from ..model._context import Contexts
from ..model._context import OfficialContext
from ..model._context import Taken
from ..model._context import UnitContext
from ..model._context import officials_of
from ..model._context import posts_held
from ..model._distinct import first_positions
from ..model._distinct import per_distinct
from ..model._formats import Shown
from ..model._model import Unit
from ..model._report_records import SEVERITIES
from ..model._report_records import Deferred
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Metric
from ..model._report_records import QuotaCounts
from ..model._report_records import Severity
from ..model._report_records import make_finding
from ..model._report_records import make_findings
from ..model._table import column_of
from ..model._types import Natural
from ..packs._catalogue import UNIT_FIELDS
from ..packs._catalogue import FieldSpec
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..packs._match_rules import verbatim
from ..packs._packs import Pack
from ..packs._packs import QuotaDef
from ..packs._packs import RuleDef
from ..packs._packs import message_key
from ..packs._program import OfficialRule
from ..packs._program import Program
from ..packs._program import StaffingPlan
from ..report._explain import explain_quota
from ..report._explain import explain_rule
from ..report._explain import explain_staffing
from ._backend import Session
from ._carry import Carry
from ._carry import Population
from ._classes import atoms
from ._columns import Columns
from ._columns import Shared
from ._undecided import RuleColumns
from ._undecided import empty_positions
from ._undecided import none_when_empty

__all__ = ["PROGRESS_STEP", "Reuse", "Run"]

_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info < warning < error
SEVERITY_BY_RANK: dict[int, Severity] = {i: s for s, i in _RANK.items()}


def _param_label(value: object, lang: str) -> object:
    """A pack parameter as a message shows it: a code (``theory_floor = 'intermediate'``) as its Vietnamese
    label when every vocabulary that has the code labels it alike, else as it is."""
    if lang == "en" or not isinstance(value, str):
        return value
    labels = {v.label(value) for v in VOCABULARIES.values() if value in v.codes}
    return labels.pop() if len(labels) == 1 else value


class _Unknown:
    """A value the facts do not have (``None``): a message shows ``?``, with or without a format spec."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return "?"

    def __repr__(self) -> str:
        return "?"


_UNKNOWN = _Unknown()


class _Formatter(dict[str, object]):
    """The values a message template names, as :class:`Shown` formats them: in Vietnamese, numbers and dates as
    Vietnamese write them; an exact fraction by a spec as a number in either language; an unknown value as ``?``.

    The pack's load checked that every field a template names is one of these values and that its format spec
    suits the value's kind (:meth:`~cadre_rules.packs._packs._Loader.template`)."""

    lang = "en"

    def __missing__(self, key: str) -> str:
        return "?"

    def __getitem__(self, key: str) -> object:
        value = super().__getitem__(key)
        return _UNKNOWN if value is None else Shown(value, self.lang)


def _format(template: str, values: Mapping[str, object], lang: str, where: tuple[Pack, str, str]) -> str:
    lookup = _Formatter(values)
    lookup.lang = lang
    return _format_map(template, lookup, where)


def _format_map(template: str, lookup: _Formatter, where: tuple[Pack, str, str]) -> str:
    """``template`` formatted; one that still fails (a value of a kind the load's check could not foresee) is
    the pack's error, located at the message (``where``: the pack, ``rule``/``quota``/``staffing``, the id), never
    a report showing the template's braces."""
    try:
        return template.format_map(lookup)
    except (ValueError, TypeError, IndexError, AttributeError, OverflowError) as exc:
        pack, table, ident = where
        raise PackError([Problem.at(pack.path or pack.ref, message_key(pack, table, ident, lookup.lang),
                                    Message(_UNFORMATTED, reason=verbatim(exc)), template)]) from None


_UNFORMATTED = N_("the message cannot be formatted with the values of a finding: {reason}")


#: What a set of conditions holding for an official makes: the tallies it counts in, the rules it lacks data
#: for, and the findings, as (rule plan name, severity).
_Outcome = tuple[tuple[str, ...], tuple[OfficialRule, ...], tuple[tuple[str, Severity], ...]]


def _facts(plan: OfficialRule, rows: Sequence[Sequence[Natural | None]]) \
        -> tuple[list[Mapping[str, JSONValue]], list[Mapping[str, JSONValue]]]:
    """The values by field of the findings of ``plan`` showing each of ``rows`` (values of its fields, in order;
    what their messages name), and their facts (:attr:`OfficialRule.facts` of those: the same mappings when they
    are all), JSON-encoded, read-only: made by C loops, the few fields whose values the report shows otherwise
    (dates, numbers) encoded after."""
    made: list[dict[str, Any]] = list(map(dict, map(zip, repeat(plan.field_names), rows)))
    for name, encode in plan.json_encoders:
        if encode is not None:
            for facts in made:
                value = facts[name]
                if value is not None:
                    facts[name] = encode(value)
    shown: list[Mapping[str, JSONValue]] = list(map(MappingProxyType, made))
    if plan.facts is None:
        return shown, shown
    return shown, [MappingProxyType({name: values[name] for name in plan.facts}) for values in made]


def _explain_row(rule: RuleDef, names: Sequence[str],
                 row: Sequence[Natural | None]) -> tuple[Mapping[str, JSONValue], ...]:
    """The explanation of a rule for the official whose values of the fields ``names`` are ``row``."""
    return explain_rule(rule, dict(zip(names, row, strict=True)))


_SUBJECT = operator.attrgetter("subject_id")
_OFFICIAL = operator.attrgetter("official")
_CODE = operator.attrgetter("code")
_RECORDS = operator.itemgetter(0)  # of a unit's outcome (see Reuse.units): the unit and its officials
_FOUND = operator.itemgetter(1)
_GAPPED = operator.itemgetter(2)
_FILLS = operator.itemgetter(3)
_FILL = operator.itemgetter(1)  # of a (staffing id, fill) pair
_FACTS = operator.itemgetter(0)  # of a vacancy's (facts, message, explanation)
_TEXT = operator.itemgetter(1)
_EXPLANATION = operator.itemgetter(2)


def _by_unit(contexts: Contexts, units: Sequence[str]) -> dict[str, Taken]:
    """The contexts of each unit code (``units``: the unit codes of ``contexts``, in order)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(units):
        positions[code].append(i)
    return {code: contexts.take(found) for code, found in positions.items()}


def _required(plan: StaffingPlan, values: Mapping[str, Natural | None]) -> list[str]:
    """The posts a staffing plan requires of a unit whose values of the fields its requirements read are
    ``values`` (each once, in order)."""
    return list(dict.fromkeys(r.position for r in plan.staffing.requires
                              if r.where is None or evaluate(r.where.expr, values) is True))


def _positions(codes: Sequence[int], count: int) -> list[list[int]]:
    """The positions of each of ``count`` combinations in ``codes`` (officials' combinations), in order."""
    positions: list[list[int]] = [[] for _ in range(count)]
    append = [found.append for found in positions]
    for i, code in enumerate(codes):
        append[code](i)
    return positions


def _members(positions: Sequence[list[int]], numbers: Sequence[int]) -> list[int]:
    """The positions of the officials of the combinations ``numbers``, in order."""
    if len(numbers) == 1:
        return positions[numbers[0]]
    return sorted(chain.from_iterable(map(positions.__getitem__, numbers)))

#: How many officials between two calls of a ``progress`` callback.
PROGRESS_STEP = 1000


def _progress(progress: Callable[[int], None] | None, count: int) -> None:
    """Tell ``progress`` that the ``count`` officials of a stage are done, :data:`PROGRESS_STEP` at a time."""
    if progress is not None:
        for done in range(PROGRESS_STEP, count + 1, PROGRESS_STEP):
            progress(done)


def _unique_fields(*groups: Sequence[FieldSpec]) -> list[FieldSpec]:
    seen: dict[str, FieldSpec] = {}
    for group in groups:
        for f in group:
            seen.setdefault(f.name, f)
    return list(seen.values())


#: A unit's outcome: (the unit and its members' records, its findings, the rules it lacks data for, the fill
#: of each staffing plan).
_UnitOutcome = tuple[tuple[Any, ...], tuple[Finding, ...], tuple[str, ...], tuple[tuple[str, tuple[int, int]], ...]]


class Reuse:
    """What the runs of one program on several dates share (the steps of a projection, ``jobs._project``).

    A unit's outcome (its staffing fill, its vacancy and unit-rule findings, its data gaps) is decided by
    the unit, its members' records (the posts they hold, how many they are) and the tallies of their
    conditions (counted by the engine as of the date): it is decided once per combination and taken from
    here on the dates where they are the same. A unit field a plugin computes may read the date: then the
    date is part of the combination. A metric's decision (and finding) is decided by its numerator and
    denominator. The records are held here: the identities in the keys stay theirs. An official's outcome
    (the tallies it counts in) is carried from the last run (:class:`~cadre_rules.engine._carry.Carry`) when the
    program has no rule of an official (a projection's steps evaluate none).
    """

    __slots__ = ("carry", "dated", "last", "metrics", "population", "units")

    def __init__(self, program: Program, population: Population | None = None) -> None:
        #: the officials' outcomes of the last run (``None``: the program has rules of officials, decided
        #: for each run)
        self.carry: Carry | None = None if program.official_rules else Carry(program)
        #: the officials of the runs of the programs evaluating the same officials, shared (see :class:`Population`)
        self.population = population
        #: whether a unit's outcome may depend on the date beyond its tallies
        self.dated = _unit_fields_read_date(program)
        #: (unit, its members, tallies[, date]) → (the records, findings, gap rule ids, fills by staffing id)
        self.units: dict[tuple[object, ...], _UnitOutcome] = {}
        #: unit code → the outcome of the unit on the last run (as in ``units``): a unit no official of which
        #: changed since (:meth:`Carry.outcomes`) takes it without its key being built
        self.last: dict[str, _UnitOutcome] = {}
        #: (metric id, scope, scope id, numerator, denominator) → the metric and its finding
        self.metrics: dict[tuple[object, ...], tuple[Metric, Finding | None]] = {}

    def kept(self, units: Sequence[Unit], touched: set[str]) -> tuple[list[_UnitOutcome], list[Unit]]:
        """The outcomes of the last run of the units none of whose officials changed since (not ``touched``,
        the same unit record), and the other units."""
        last = self.last
        kept: list[_UnitOutcome] = []
        others: list[Unit] = []
        for unit, entry in zip(units, map(last.get, map(_CODE, units)), strict=True):
            if entry is not None and entry[0][0] is unit and unit.code not in touched:
                kept.append(entry)
            else:
                others.append(unit)
        return kept, others


def _unit_fields_read_date(program: Program) -> bool:
    """Whether some unit field of ``program`` may read the date: any but the unit's attributes, the tallies
    (``count``), the vacancies of a staffing plan and ``holders`` (built-in: no plugin may take its name)."""
    fields = [*program.fields["u"], *program.shown["u"]]
    for plan in program.staffing:
        for requirement in plan.staffing.requires:
            if requirement.where is not None:
                fields.extend(fields_of(requirement.where.expr))
    vacant = {plan.vacant_field.name for plan in program.staffing}
    return any(UNIT_FIELDS.get(f.name) is not f and f.name not in program.tallies and f.name not in vacant
               and not f.name.startswith("holders(") for f in fields)


class Run:
    """The evaluation of one pack program in one backend session."""

    def __init__(self, program: Program, session: Session, lang: str, city: str, calendar: Calendar, *,
                 unless: bool = False, districts: bool = True, reuse: Reuse | None = None,
                 shared: Shared | None = None) -> None:
        """``unless``: drop the officials' findings of rules whose ``unless_family`` has a finding
        of this pack for the official (when the pack is the only one evaluated). ``districts``:
        aggregate by the units' districts (not on a date without districts, unless asked for).
        ``reuse``: the outcomes of units and metrics decided by earlier runs of ``program``. ``shared``:
        what the runs of the packs evaluated on the same date share."""
        self.districts = districts
        self.reuse = reuse
        self.shared = Shared() if shared is None else shared
        self.program = program
        self.unless = unless
        self.pack = program.pack
        self.session = session
        self.lang = lang
        self.city = city
        self.calendar = calendar
        self.as_of = calendar.as_of
        self._labelled: dict[str, list[tuple[str, dict[str, object]]]] = {}
        #: the facts, message and explanation of vacancies, by staffing id, posts required and their holders
        self._vacancies: dict[tuple[object, ...], tuple[Mapping[str, JSONValue], str, Deferred]] = {}
        self._params: dict[str, object] = {k: _param_label(v, lang) for k, v in program.pack.params.items()}
        #: findings of units and scopes (the officials' are in lists per rule)
        self.findings: list[Finding] = []
        self._by_rule: dict[str, list[Finding]] = {}
        self.results: list[Metric] = []
        #: the per-unit counts of the quotas of the city and the districts (:class:`QuotaCounts`)
        self.quota_counts: list[QuotaCounts] = []
        # per unit code: condition name -> count (tallies, quota populations and numerators)
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.gaps: dict[str, list[str]] = defaultdict(list)  # rule id -> subjects lacking data
        #: (rule id, column) -> unit code -> officials the rule could not decide for, the column being empty
        #: (_undecided)
        self.undecided: dict[tuple[str, str], Counter[str]] = {}
        self.fill_by: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        #: the units touched since the last run of the program (``None``: not known, see :meth:`_carried`)
        self._touched: set[str] | None = None

    # -- officials --------------------------------------------------------------------------
    def _meaning(self) -> dict[str, tuple[int, OfficialRule | None, int]]:
        """What each condition name means: (0, None) counted, (1, plan) a rule, (2, plan) an
        escalation of that rule's severity, (3, plan) a data gap."""
        program = self.program
        meaning: dict[str, tuple[int, OfficialRule | None, int]] = {}
        for name in (*program.tallies.values(), *(q.population for q in program.quotas),
                     *(q.numerator for q in program.quotas)):
            meaning[name] = (0, None, 0)
        for rule_plan in program.official_rules:
            meaning[rule_plan.name] = (1, rule_plan, _RANK[rule_plan.rule.severity])
            for ename, sev in rule_plan.escalations:
                meaning[ename] = (2, rule_plan, _RANK[sev])
            if rule_plan.gap:
                meaning[rule_plan.gap] = (3, rule_plan, 0)
        return meaning

    @staticmethod
    def _outcome(names: Sequence[str], meaning: Mapping[str, tuple[int, OfficialRule | None, int]],
                 unless: bool) -> _Outcome:
        """What the conditions ``names`` holding for an official make: counts, data gaps, findings."""
        counted: list[str] = []
        gaps: list[OfficialRule] = []
        base: set[str] = set()
        fired: dict[str, tuple[OfficialRule, int]] = {}
        for name in names:
            what, plan, rank = meaning[name]
            if what == 0:
                counted.append(name)
                continue
            assert plan is not None
            if what == 3:
                gaps.append(plan)
                continue
            if what == 1:
                base.add(plan.name)
            previous = fired.get(plan.name)
            if previous is None or previous[1] < rank:
                fired[plan.name] = (plan, rank)
        # With ``unless``, a rule whose `unless_family` has a finding for the official is left out
        # here (when several packs are evaluated, the engine drops them after every pack).
        families = {fired[name][0].rule.family for name in base} if unless else set()
        findings = tuple((name, SEVERITY_BY_RANK[rank]) for name, (plan, rank) in fired.items()
                         if name in base and families.isdisjoint(plan.rule.unless_families))
        return tuple(counted), tuple(gaps), findings

    def officials(self, contexts: Sequence[OfficialContext], progress: Callable[[int], None] | None = None) -> None:
        """Evaluate the officials, a whole column at a time.

        The values of every field are computed for all officials (:class:`Columns`) and the session decides
        the conditions that hold once per combination (:meth:`Session.combinations`); what a combination
        makes (:meth:`_outcome`) is resolved once, the counts per unit taken per combination, and the
        findings of each rule made for its officials at once. ``progress`` hears of the officials when
        they are done.
        """
        program = self.program
        if self.reuse is not None and self.reuse.carry is not None:  # (also to know the units touched)
            self._carried(contexts, self.reuse.carry, progress)
            return
        if next(program.by_kind("o"), None) is None:  # no condition of an official: nothing counts or fires
            _progress(progress, len(contexts))
            return
        fields = _unique_fields(program.fields["o"], program.shown["o"])
        shared = self.shared
        officials = shared.officials(contexts)
        ids = shared.column(contexts, "ids", lambda officials: column_of(officials, "id"))
        columns = dict(zip((f.name for f in fields), Columns(fields, self.calendar)(contexts, officials, shared),
                           strict=True))
        codes, matched = self.session.combinations("o", {f.name: columns[f.name] for f in program.fields["o"]}, ids)
        meaning = self._meaning()
        outcomes = [self._outcome(names, meaning, self.unless) for names in matched]
        units = shared.units(contexts)
        positions = _positions(codes, len(outcomes))
        self._count(units, positions, [counted for counted, _, _ in outcomes])
        for plan in program.official_rules:
            if plan.gap:  # the officials it lacks data for
                self.gaps[plan.rule.id].extend(map(ids.__getitem__, _members(
                    positions, [n for n, (_, gaps, _) in enumerate(outcomes) if plan in gaps])))
        # the combinations where each rule fires at each severity, and its findings for their officials
        fired: dict[tuple[str, Severity], list[int]] = {}
        for n, (_, _, found) in enumerate(outcomes):
            for key in found:
                fired.setdefault(key, []).append(n)
        plans = {plan.name: plan for plan in program.official_rules}
        for plan in program.official_rules:  # (every rule's list, for findings_by_rule)
            self._by_rule.setdefault(plan.rule.id, [])
        for (name, severity), numbers in fired.items():
            self._by_rule[plans[name].rule.id].extend(
                self._fire(plans[name], severity, "official", _members(positions, numbers), ids, units, columns))
        undecided = [(plan, rule_columns) for plan in program.official_rules
                     if (rule_columns := RuleColumns(plan.rule)).columns]
        if undecided:
            self._undecided(undecided, officials, columns, codes, outcomes, positions, units)
        _progress(progress, len(contexts))

    def _count(self, units: Sequence[str], positions: Sequence[list[int]],
               counted: Sequence[tuple[str, ...]]) -> None:
        """Count the officials in the tallies of their units: ``counted[n]`` are the conditions the officials of
        combination ``n`` (at ``positions[n]``, of units ``units``) count in. The combinations are grouped by
        what they count in (few kinds), and the officials of each kind counted per unit."""
        kinds: dict[tuple[str, ...], list[int]] = {}
        for n, names in enumerate(counted):
            if names:
                kinds.setdefault(names, []).append(n)
        for names, numbers in kinds.items():
            members = chain.from_iterable(map(positions.__getitem__, numbers))
            for code, k in Counter(map(units.__getitem__, members)).items():
                unit_counts = self.counts[code]
                for name in names:
                    unit_counts[name] += k

    def _carried(self, contexts: Sequence[OfficialContext], carry: Carry,
                 progress: Callable[[int], None] | None) -> None:
        """Count the officials in their units' tallies, each official's outcome carried from the last run
        where its inputs have not changed (:class:`Carry`) and decided by the session where they have (the
        program has no rule of an official: an outcome is the conditions it counts in). The counts are the
        carry's, updated by what changed."""
        program = self.program
        columns = Columns(program.fields["o"], self.calendar)
        meaning = self._meaning()
        counted: dict[tuple[str, ...], tuple[str, ...]] = {}  # matched names -> those counted
        conditions = next(program.by_kind("o"), None) is not None

        def decide(batch: Sequence[OfficialContext]) -> list[tuple[str, ...]]:
            if not conditions:  # nothing counts
                return [()] * len(batch)
            out: list[tuple[str, ...]] = []
            for start in range(0, len(batch), PROGRESS_STEP):
                part = batch[start:start + PROGRESS_STEP]
                officials = list(map(_OFFICIAL, part))
                values = dict(zip(columns.names, columns(part, officials), strict=True))
                matched = self.session.match_columns("o", values, list(column_of(officials, "id")))
                out.extend(per_distinct(matched, lambda i: counted.setdefault(
                    matched[i], self._outcome(matched[i], meaning, False)[0])))  # noqa: B023
            return out

        self._touched = carry.update(contexts, self.calendar, decide, self.reuse.population if self.reuse else None)
        self.counts = carry.counts  # (read, not changed, by the units and metrics of this run)
        _progress(progress, len(contexts))

    def _undecided(self, rules: Sequence[tuple[OfficialRule, RuleColumns]], officials: Sequence[Any],
                   columns: Mapping[str, Sequence[Natural | None]], codes: Sequence[int],
                   outcomes: Sequence[_Outcome], positions: Sequence[list[int]], units: Sequence[str]) -> None:
        """Count, per rule, column and unit (``units[i]``: official ``i``'s), the officials that a rule could not
        decide for, a column it needs
        being empty (see :mod:`._undecided`). A column that a condition of the pack reads as it is (an attribute
        field) is empty for the officials of the combinations where that field is ``None`` (a class of its own:
        the combination decides it, found on its first official): a rule reading only such columns is counted
        per combination; the others' columns are looked for in the records."""
        needed = dict.fromkeys(c for _, rc in rules for c in rc.columns)
        classified = {atom.field for condition in self.program.by_kind("o") for atom in atoms(condition.expr)}
        direct = {spec.path.removeprefix("official."): spec.name for spec in classified
                  if spec.path is not None and spec.path.startswith("official.")}
        direct = {c: name for c, name in direct.items() if none_when_empty(c) and c in needed}
        # the combinations where each such column is empty
        empty_in = {c: {n for n, at in enumerate(positions) if columns[name][at[0]] is None}
                    for c, name in direct.items()}
        by_records = [(plan, rc) for plan, rc in rules if not set(rc.columns) <= direct.keys()]
        empty: dict[str, list[int]] = {}
        if by_records:  # (the positions of the officials for whom each column they read is empty)
            empty = empty_positions(officials, [c for c in needed if c not in direct])
            read = {c for _, rc in by_records for c in rc.columns}
            empty.update((c, _members(positions, sorted(empty_in[c]))) for c in direct if c in read)
        if not any(empty_in.values()) and not any(empty.values()):
            return
        # the rules each combination decided: fired, or noted a data gap
        decided_by = [{*(name for name, _ in found), *(plan.name for plan in gaps)} for _, gaps, found in outcomes]
        for plan, rule_columns in rules:
            decided = list(map(operator.contains, decided_by, repeat(plan.name)))
            if set(rule_columns.columns) <= direct.keys():
                found = rule_columns.count_combinations(empty_in, columns, decided, positions, units)
            else:
                found = rule_columns.count(empty, columns, decided, codes, units)
            for column, per_unit in found.items():
                self.undecided.setdefault((plan.rule.id, column), Counter()).update(per_unit)

    def _fire(self, plan: OfficialRule, severity: Severity, kind: Literal["official", "unit"], members: list[int],
              ids: Sequence[str], units: Sequence[str],
              columns: Mapping[str, Sequence[Natural | None]]) -> list[Finding]:
        """The findings of one rule at one severity for the subjects (of ``kind``) ``members`` (positions in
        ``ids``, ``units`` — their scopes — and ``columns``): facts and explanations made once per distinct
        values shown, messages once per distinct values they name; the loops run in C (:func:`make_findings`
        sets the findings' slots a field at a time)."""
        rule = plan.rule
        n = len(members)
        subjects = list(map(ids.__getitem__, members))
        shown = [list(map(columns[name].__getitem__, members)) for name in plan.field_names]
        rows: list[tuple[Any, ...]] = list(zip(*shown, strict=True)) if shown else [()] * n
        # the facts and explanation per distinct values shown, looked up for the others
        firsts, distinct = first_positions(rows)
        values = list(map(rows.__getitem__, distinct))
        explain = functools.partial(_explain_row, rule, plan.field_names)
        shown_by, facts_by = _facts(plan, values)
        shown_at = dict(zip(distinct, shown_by, strict=True))
        facts_at = dict(zip(distinct, facts_by, strict=True))
        explanation_at = dict(zip(distinct, map(Deferred, zip(repeat(explain), values)), strict=True))
        facts = list(map(facts_at.__getitem__, firsts))
        explanations = list(map(explanation_at.__getitem__, firsts))
        # the message, per values of the fields it may name (their names occur in its text) and the subject
        # if it shows it
        template = plan.rule.message.get(self.lang)
        said: list[Sequence[object]] = [column for name, column in zip(plan.field_names, shown, strict=True)
                                        if name in template]
        if plan.uses_id:
            said.append(subjects)
        keys: list[tuple[Any, ...]] = list(zip(*said, strict=True)) if said else [()] * n
        texts = per_distinct(keys, lambda j: self._text(plan, subjects[j], shown_at[firsts[j]]))
        return make_findings(n, (
            repeat(self.pack.id, n), repeat(rule.id, n), repeat(rule.family, n), repeat(severity, n),
            repeat(kind, n), subjects, list(map(units.__getitem__, members)), texts,
            repeat(rule.cite, n), facts, explanations))

    def _text(self, plan: OfficialRule, subject: str, shown: Mapping[str, JSONValue]) -> str:
        """The message of a finding of ``plan`` showing ``shown``: the values in the text of the
        evaluation's language, codes as their labels."""
        labelled = self._labelled.get(plan.name)
        if labelled is None:  # codes as their Vietnamese labels in messages (facts keep the codes)
            labelled = self._labelled[plan.name] = [
                (f.name, {c: label(f.type, c, self.lang) for c in f.type.vocabulary.codes})
                for f in plan.fields if f.type.kind == "code" and self.lang != "en"]
        lookup = _Formatter(self._params)
        lookup.lang = self.lang
        lookup.update(shown)
        for name, labels in labelled:
            code = shown.get(name)  # (a code is shown as itself)
            if code is not None:
                lookup[name] = labels.get(code, code)  # type: ignore[arg-type]
        lookup["id"] = subject
        return _format_map(plan.rule.message.get(self.lang), lookup, (self.pack, "rule", plan.rule.id))

    def findings_by_rule(self) -> list[tuple[str, list[Finding]]]:
        """Every finding of the run, by rule (sorted by rule id), each rule's sorted by subject (stable: the order
        of evaluation among equals; officials' come in the order of the input, so when it is the order of their
        ids there is little to do)."""
        by_rule = self._by_rule
        for finding in self.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        self.findings = []
        out = sorted(by_rule.items())
        for _, found in out:
            found.sort(key=_SUBJECT)
        by_rule.clear()
        return out

    # -- units ------------------------------------------------------------------------------
    def units(self, units: Sequence[Unit], contexts: Contexts) -> None:
        program = self.program
        if not program.unit_rules and not program.staffing:  # nothing to decide for a unit
            return
        reuse = self.reuse
        # units no official of which changed since the last run take its outcome (see Reuse.last), at once
        touched = None if reuse is None or reuse.dated else self._touched
        decided: Sequence[Unit] = units
        if touched is not None and reuse is not None:
            kept, decided = reuse.kept(units, touched)
            self._take(kept)
            if not decided:
                return
        # the officials of each unit to decide, and how many of them hold each post (for the staffing plans and
        # `holders(…)`): of all units once per date (shared by the packs), or of the few a step decides again
        if len(decided) < len(units):
            wanted = set(map(_CODE, decided))
            deciding = contexts.where(map(wanted.__contains__, self.shared.units(contexts)))
            officials = deciding.officials
            member_units = column_of(officials, "unit")
            by_unit = _by_unit(deciding, member_units)
            held = posts_held(member_units, officials)
        else:
            by_unit = self.shared.column(contexts, "by unit",
                                         lambda officials: _by_unit(contexts, self.shared.units(contexts)))
            held = self.shared.column(contexts, "posts held",
                                      lambda officials: posts_held(self.shared.units(contexts), officials))
        tally_keys, tally_names = tuple(program.tallies), tuple(program.tallies.values())
        nothing: dict[str, int] = {}
        no_one = contexts.take([])
        when = None if reuse is None or not reuse.dated else self.as_of
        # the units an earlier run decided alike (their members and tallies the same) take its outcome; the
        # others are decided (with their tallies)
        known: list[_UnitOutcome] = []
        todo: list[UnitContext] = []
        counted_of: list[tuple[int, ...]] = []
        for unit in decided:
            members = by_unit.get(unit.code, no_one)
            counts = self.counts.get(unit.code, nothing)
            counted = tuple(map(counts.get, tally_names, repeat(0)))
            if reuse is not None:
                entry = reuse.units.get((id(unit), *map(id, members.officials), *counted, when))
                if entry is not None:
                    reuse.last[unit.code] = entry
                    known.append(entry)
                    continue
            todo.append(UnitContext(unit, members, self.as_of, dict(zip(tally_keys, counted, strict=True)), held))
            counted_of.append(counted)
        self._take(known)
        staffed = self._staffing(todo, held)
        # the values of the units' fields a column at a time, decided once per combination
        fields = _unique_fields(program.fields["u"], program.shown["u"])
        columns = {f.name: list(map(f.get, todo)) for f in fields}
        subjects = [uctx.unit.code for uctx in todo]
        codes, matched = self.session.combinations("u", {f.name: columns[f.name] for f in program.fields["u"]},
                                                   subjects)
        outcomes = [self._unit_outcome(names) for names in matched]
        # the findings of each rule at each severity for the units of the combinations where it fires, as the
        # officials' (:meth:`_fire`)
        positions = _positions(codes, len(outcomes))
        fired: dict[tuple[str, Severity], list[int]] = {}
        for n, (found, _, _) in enumerate(outcomes):
            for plan, severity in found:
                fired.setdefault((plan.name, severity), []).append(n)
        plans = {plan.name: plan for plan in program.unit_rules}
        found_by_unit: dict[str, list[Finding]] = defaultdict(list)
        for (name, severity), numbers in fired.items():
            made = self._fire(plans[name], severity, "unit", _members(positions, numbers), subjects, subjects,
                              columns)
            self.findings.extend(made)
            if reuse is not None:
                for finding in made:
                    found_by_unit[finding.subject_id].append(finding)
        # the vacancies of each staffing plan, for the units of the combinations where it has some, made at once
        vacancies: dict[str, dict[int, Finding]] = {}
        for staffing_plan in program.staffing:
            where = _members(positions, [n for n, (_, _, vacant) in enumerate(outcomes) if staffing_plan in vacant])
            if where:
                made = self._vacancy_findings(staffing_plan, where, subjects, staffed[staffing_plan.vacancy], held)
                self.findings.extend(made)
                if reuse is not None:
                    vacancies[staffing_plan.vacancy] = dict(zip(where, made, strict=True))
        for j, uctx in enumerate(todo):
            unit = uctx.unit
            _, gapped, vacant = outcomes[codes[j]]
            for rule_id in gapped:
                self.gaps[rule_id].append(unit.code)
            if reuse is not None:  # (the records held: the identities of the key stay theirs)
                unit_vacancies = [vacancies[staffing.vacancy][j] for staffing in vacant]
                records = (unit, *officials_of(uctx.officials))
                reuse.units[(*map(id, records), *counted_of[j], when)] = reuse.last[unit.code] = (
                    records, (*unit_vacancies, *found_by_unit.get(unit.code, ())), gapped,
                    tuple((plan.staffing.id, self.fill_by[plan.staffing.id][unit.code]) for plan in program.staffing))

    def _take(self, outcomes: Sequence[_UnitOutcome]) -> None:
        """Take the outcomes of units decided by an earlier run (see :class:`Reuse`): their findings, data
        gaps and fills (C loops over the units)."""
        if not outcomes:
            return
        self.findings.extend(chain.from_iterable(map(_FOUND, outcomes)))
        for records, _, gapped, _ in compress(outcomes, map(_GAPPED, outcomes)):
            for rule_id in gapped:
                self.gaps[rule_id].append(records[0].code)
        codes = list(map(_CODE, map(_RECORDS, map(_RECORDS, outcomes))))
        for j, plan in enumerate(self.program.staffing):
            fills = map(_FILL, map(operator.itemgetter(j), map(_FILLS, outcomes)))
            self.fill_by[plan.staffing.id].update(zip(codes, fills, strict=True))

    def _unit_outcome(self, names: Sequence[str]) -> tuple[tuple[tuple[OfficialRule, Severity], ...], tuple[str, ...],
                                                           tuple[StaffingPlan, ...]]:
        """What the conditions ``names`` holding for a unit make: the rules that fire (at their highest
        severity), the rules it lacks data for, the staffing plans with vacancies."""
        program = self.program
        rules = {r.name: r for r in program.unit_rules}
        escalation = {name: (r, sev) for r in program.unit_rules for name, sev in r.escalations}
        staffing = {s.vacancy: s for s in program.staffing}
        gaps = {r.gap: r for r in program.unit_rules if r.gap}
        fired: dict[str, tuple[OfficialRule, Severity]] = {}
        gapped: list[str] = []
        vacant: list[StaffingPlan] = []
        for name in names:
            if name in rules:
                plan, severity = rules[name], rules[name].rule.severity
            elif name in escalation:
                plan, severity = escalation[name]
            else:
                if name in gaps:
                    gapped.append(gaps[name].rule.id)
                elif name in staffing:
                    vacant.append(staffing[name])
                continue
            previous = fired.get(plan.name)
            if previous is None or _RANK[previous[1]] < _RANK[severity]:
                fired[plan.name] = (plan, severity)
        return tuple(fired.values()), tuple(gapped), tuple(vacant)

    def _staffing(self, todo: Sequence[UnitContext], held: Mapping[tuple[str, str], int]) \
            -> dict[str, list[tuple[list[str], list[str]]]]:
        """Per staffing plan (by its vacancy condition), for each unit: the posts it requires and those vacant
        (``held``: how many officials of each unit hold each post, by (unit code, post)). Sets each unit's fill
        and its number of vacancies (a unit field)."""
        program = self.program
        out: dict[str, list[tuple[list[str], list[str]]]] = {}
        for plan in program.staffing:
            # the posts a unit requires, decided once per distinct values of the fields the requirements read
            specs = tuple(dict.fromkeys(f for r in plan.staffing.requires if r.where is not None
                                        for f in fields_of(r.where.expr)))
            keys = [tuple(f.get(uctx) for f in specs) for uctx in todo]
            requirements = per_distinct(keys, lambda j: _required(plan, dict(  # noqa: B023 - called here, at once
                zip((f.name for f in specs), keys[j], strict=True))))  # noqa: B023
            for uctx, required in zip(todo, requirements, strict=True):
                code = uctx.unit.code
                vacant = [p for p in required if (code, p) not in held]
                out.setdefault(plan.vacancy, []).append((required, vacant))
                uctx.tallies[plan.vacant_field.name] = len(vacant)  # type: ignore[index]
                self.fill_by[plan.staffing.id][code] = (len(required) - len(vacant), len(required))
        return out

    def _vacancy_findings(self, plan: StaffingPlan, members: Sequence[int], codes: Sequence[str],
                          staffed: Sequence[tuple[list[str], list[str]]],
                          held: Mapping[tuple[str, str], int]) -> list[Finding]:
        """The findings of the vacancies of a staffing plan for the units ``members`` (positions in ``codes``, the
        units' codes, and ``staffed``, the posts each requires and those vacant): their facts, message and
        explanation made once per posts required and held as many times, the findings at once (C loops, as
        :meth:`_fire`'s)."""
        s = plan.staffing
        template = s.message.get(self.lang)
        subjects = list(map(codes.__getitem__, members))
        shown = [self._vacancy(plan, template, code, *staffed[j], held)
                 for code, j in zip(subjects, members, strict=True)]
        n = len(members)
        return make_findings(n, (
            repeat(self.pack.id, n), repeat(s.id, n), repeat(s.family, n), repeat(s.severity, n), repeat("unit", n),
            subjects, subjects, list(map(_TEXT, shown)), repeat(s.cite, n), list(map(_FACTS, shown)),
            list(map(_EXPLANATION, shown))))

    def _vacancy(self, plan: StaffingPlan, template: str, code: str, required: list[str], vacant: list[str],
                 held: Mapping[tuple[str, str], int]) -> tuple[Mapping[str, JSONValue], str, Deferred]:
        """The facts, message (of ``template``) and explanation of a unit's vacancies of a staffing plan (``held``:
        how many officials of each unit hold each post)."""
        s = plan.staffing
        # units that require the same posts, held as many times, show the same facts, explanation and message
        # (unless it names the unit): made once (the vacant posts are those held by no one)
        counts = tuple([held.get((code, p), 0) for p in required])
        key = (s.id, tuple(required), counts, code if "unit" in template else "")
        shown = self._vacancies.get(key)
        if shown is None:
            filled, required_n = self.fill_by[s.id][code]
            facts: dict[str, JSONValue] = {"vacant": list(vacant), "filled": filled, "required": required_n}
            posts = [code_label(POSITION, p, self.lang) for p in vacant]
            text = _format(template, {**self.pack.params, **facts, "unit": code, "vacant": ", ".join(posts)},
                           self.lang, (self.pack, "staffing", s.id))
            shown = self._vacancies[key] = (MappingProxyType(facts), text, Deferred((
                explain_staffing, tuple(required), dict(zip(required, counts, strict=True)))))
        return shown

    # -- metrics ----------------------------------------------------------------------------
    def _scopes(self, units: Sequence[Unit], scopes: Sequence[str]) -> list[tuple[str, str, list[str]]]:
        out: list[tuple[str, str, list[str]]] = []
        if "city" in scopes and not self.pack.scoped:  # a district pack has no city-wide view
            out.append(("city", self.city, [u.code for u in units]))
        if "district" in scopes and self.districts:
            districts: dict[str, list[str]] = defaultdict(list)
            for u in units:
                if u.district is not None:
                    districts[u.district].append(u.code)
            out.extend(("district", d, codes) for d, codes in sorted(districts.items()))
        if "unit" in scopes:
            out.extend(("unit", u.code, [u.code]) for u in sorted(units, key=lambda u: u.code))
        return out

    def _per_unit(self, name: str) -> dict[str, int]:
        """Per unit code, how many of its officials the condition ``name`` counted (a unit none: not listed)."""
        return {code: tallies[name] for code, tallies in self.counts.items() if name in tallies}

    @staticmethod
    def _sums(scopes: Sequence[tuple[str, str, list[str]]], per_unit: Mapping[str, int]) -> list[int]:
        """Per scope, the sum of ``per_unit`` (:meth:`_per_unit`) over its units."""
        get = per_unit.get
        return [get(codes[0], 0) if len(codes) == 1 else sum(map(get, codes, repeat(0)))
                for _, _, codes in scopes]

    def _decide(self, metric_id: str, unmet_name: str, scopes: Sequence[tuple[str, str, list[str]]],
                nums: Sequence[int], dens: Sequence[int], target: Fraction, op: Literal[">=", "<="],
                key_set: str | None = None, per: Literal["official", "unit"] = "official",
                finding: Callable[[str, int, int], Finding] | None = None) -> None:
        """The metric ``metric_id`` of each scope, with numerator ``nums[i]`` and denominator ``dens[i]``, and
        its finding if unmet (``finding(scope id, numerator, denominator)``); the session decides each distinct
        value once (:meth:`Session.combinations`), a metric decided by an earlier run taken from it
        (:class:`Reuse`)."""
        reuse = self.reuse
        rows = [(metric_id, scope, scope_id, num, den)
                for (scope, scope_id, _), num, den in zip(scopes, nums, dens, strict=True)]
        known = [None] * len(rows) if reuse is None else list(map(reuse.metrics.get, rows))
        new = [row for row, entry in zip(rows, known, strict=True) if entry is None]
        values = per_distinct([row[3:] for row in new], lambda i: Fraction(new[i][3], new[i][4]) if new[i][4] else None)
        codes, matched = self.session.combinations(
            "m", {"metric": [metric_id] * len(new), "value": values}, [f"{metric_id}|{r[1]}|{r[2]}" for r in new])
        met = [unmet_name not in names for names in matched]
        decided = iter(zip(new, codes, strict=True))
        for entry in known:
            if entry is None:
                (_, scope, scope_id, num, den), code = next(decided)
                metric = Metric(self.pack.id, metric_id, scope, scope_id, num, den, target, op,  # type: ignore[arg-type]
                                met[code] if den else None, key_set, per)
                found = finding(scope_id, num, den) if finding is not None and metric.met is False else None
                if reuse is not None:
                    reuse.metrics[(metric_id, scope, scope_id, num, den)] = (metric, found)
            else:
                metric, found = entry
            self.results.append(metric)
            if found is not None:
                self.findings.append(found)

    def metrics(self, units: Sequence[Unit]) -> None:
        for plan in self.program.quotas:
            q = plan.quota
            # a share of key officials says which named set of key posts counted them
            key_set = self.pack.key_set if any(f.name == "is_key" for f in fields_of(q.population.expr)) else None
            scopes = self._scopes(units, q.scopes)
            numerators = self._per_unit(plan.numerator)
            denominators = None if q.per == "unit" else self._per_unit(plan.population)
            nums = self._sums(scopes, numerators)
            dens = [len(codes) for _, _, codes in scopes] if denominators is None else \
                self._sums(scopes, denominators)
            self._decide(q.id, plan.unmet, scopes, nums, dens, q.target, q.op, key_set, q.per,
                         functools.partial(self._quota_finding, q, key_set))
            # a target of the city or the districts, not of a unit: each unit's counts, for its own share
            # (report._shares: a commune's report, and each step of a commune's projection)
            binds = tuple(dict.fromkeys(scope for scope, _, _ in scopes if scope != "unit"))
            if binds and "unit" not in q.scopes:
                self.quota_counts.append(QuotaCounts(
                    self.pack.id, q.id, q.target, q.op, binds, numerators, denominators,  # type: ignore[arg-type]
                    frozenset(u.code for u in units) if self.pack.scoped else None, key_set, q.per))
        for splan in self.program.staffing:
            s = splan.staffing
            fills = self.fill_by.get(s.id, {})
            scopes = self._scopes(units, s.scopes)
            filled = {code: fill[0] for code, fill in fills.items()}
            required = {code: fill[1] for code, fill in fills.items()}
            self._decide(s.metric, splan.unmet, scopes,
                         [sum(map(filled.get, codes, repeat(0))) for _, _, codes in scopes],
                         [sum(map(required.get, codes, repeat(0))) for _, _, codes in scopes], Fraction(1), ">=")

    def _quota_finding(self, q: QuotaDef, key_set: str | None, scope_id: str, num: int, den: int) -> Finding:
        """The finding of a quota unmet in a scope."""
        if q.op == ">=":
            needed = math.ceil(q.target * den) - num
            extra: dict[str, JSONValue] = {"needed": needed}
        else:
            extra = {"excess": num - math.floor(q.target * den)}
        value = float(Fraction(num, den))
        facts: dict[str, JSONValue] = {"numerator": num, "denominator": den, "value": value,
                                    "target": float(q.target), **extra}
        if key_set is not None:
            facts["key_positions"] = key_set
        if q.per == "unit":  # a count per unit (an average), not a share
            facts["per"] = "unit"
        text = _format(q.message.get(self.lang), {**self.pack.params, **facts, "scope": scope_id}, self.lang,
                       (self.pack, "quota", q.id))
        # (made as the officials' findings are: values the engine made, the explanation when first read)
        return make_finding(self.pack.id, q.id, q.family, q.severity, "scope", scope_id, scope_id, text, q.cite,
                            MappingProxyType(facts), Deferred((explain_quota, q, num, den)))
