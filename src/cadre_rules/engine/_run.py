"""The evaluation of one pack program in one backend session: officials, units, metrics."""

from __future__ import annotations

import functools
import math
import operator
from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from fractions import Fraction
from itertools import chain
from itertools import compress
from itertools import groupby
from itertools import repeat
from types import MappingProxyType
from typing import Any
from typing import Literal

from .._i18n import code_label
from .._i18n import label
from ..model._codes import POSITION
from ..model._codes import VOCABULARIES
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import UnitContext
from ..model._formats import Shown
from ..model._memo import remember
from ..model._model import SEVERITIES
from ..model._model import Deferred
from ..model._model import Finding
from ..model._model import JSONValue
from ..model._model import Metric
from ..model._model import Severity
from ..model._model import Unit
from ..model._model import make_findings
from ..model._types import Natural
from ..packs._catalogue import UNIT_FIELDS
from ..packs._catalogue import FieldSpec
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..packs._packs import RuleDef
from ..packs._program import OfficialRule
from ..packs._program import Program
from ..report._explain import explain_quota
from ..report._explain import explain_rule
from ..report._explain import explain_staffing
from ._backend import Session
from ._carry import Carry
from ._carry import Population
from ._columns import Columns
from ._undecided import RuleColumns
from ._undecided import empty_columns

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


class _Formatter(dict[str, object]):
    """The values a message template names; in Vietnamese, numbers and dates as Vietnamese write them."""

    lang = "en"

    def __missing__(self, key: str) -> str:
        return "?"

    def __getitem__(self, key: str) -> object:
        value = super().__getitem__(key)
        return value if self.lang == "en" else Shown(value, self.lang)


def _format(template: str, values: Mapping[str, object], lang: str) -> str:
    lookup = _Formatter(values)
    lookup.lang = lang
    return _format_map(template, lookup)


def _format_map(template: str, lookup: _Formatter) -> str:
    try:
        return template.format_map(lookup)
    except (ValueError, TypeError, IndexError, AttributeError):
        return template


_Facts = tuple[Mapping[str, JSONValue], str]
#: What a set of conditions holding for an official makes: its number (to group officials by it),
#: the tallies it counts in, the rules it lacks data for, and the findings, as (rule plan name,
#: severity).
_Outcome = tuple[int, tuple[str, ...], tuple[OfficialRule, ...], tuple[tuple[str, Severity], ...]]


class _Fire:
    """How the findings of one rule at one severity are made for a batch of officials."""

    __slots__ = ("cite", "explain", "extend", "family", "memo", "pick", "plan", "rule_id", "said", "severity",
                 "shown", "texts", "uses_id")

    def __init__(self, plan: OfficialRule, severity: Severity, names: tuple[str, ...],
                 extend: Callable[[Iterable[Finding]], None], memo: dict[object, _Facts],
                 texts: dict[tuple[object, ...], str], template: str) -> None:
        self.plan = plan
        self.severity = severity
        position = {name: i for i, name in enumerate(names)}
        #: the positions in an official's row of the fields a finding shows
        self.shown = tuple(position[name] for name in plan.field_names)
        #: the values a finding shows, from an official's row, as a C function (any value that tells them apart)
        self.pick: Callable[[tuple[object, ...]], object] = (
            operator.itemgetter(*self.shown) if self.shown else lambda row: ())
        #: the positions of the fields the message may name (a superset: their names occur in its text)
        self.said = tuple(position[name] for name in plan.field_names if name in template)
        #: messages per values of those fields (and the subject, for a message showing it)
        self.texts = texts
        #: the explanation of a finding, from the official's row of the values of ``names``
        self.explain = functools.partial(_explain_row, plan.rule, names)
        self.rule_id = plan.rule.id
        self.family = plan.rule.family
        self.cite = plan.rule.cite
        self.uses_id = plan.uses_id
        #: where the rule's findings go
        self.extend = extend
        #: facts and message per values shown (shared by the rule's severities)
        self.memo = memo


def _facts(plan: OfficialRule, values: Iterable[Natural | None]) -> dict[str, JSONValue]:
    """The facts of a finding of ``plan`` showing ``values`` (of its fields, in order), JSON-encoded."""
    return {name: value if value is None or encode is None else encode(value)  # type: ignore[misc]
            for (name, encode), value in zip(plan.json_encoders, values, strict=True)}


def _explain_row(rule: RuleDef, names: Sequence[str],
                 row: Sequence[Natural | None]) -> tuple[Mapping[str, JSONValue], ...]:
    """The explanation of a rule for the official whose values of the fields ``names`` are ``row``."""
    return explain_rule(rule, dict(zip(names, row, strict=True)))


_SUBJECT = operator.attrgetter("subject_id")
_OFFICIAL = operator.attrgetter("official")
_ID = operator.attrgetter("id")
_UNIT = operator.attrgetter("unit")
_UNIT_CODE = operator.attrgetter("unit.code")
_CODE = operator.attrgetter("code")
_FOUND = operator.itemgetter(1)
_GAPPED = operator.itemgetter(2)
_FILLS = operator.itemgetter(3)
_NUMBER = operator.itemgetter(0)
_FACTS = operator.itemgetter(0)
_TEXT = operator.itemgetter(1)

#: How many officials between two calls of a ``progress`` callback.
PROGRESS_STEP = 1000


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
                 unless: bool = False, districts: bool = True, reuse: Reuse | None = None) -> None:
        """``unless``: drop the officials' findings of rules whose ``unless_family`` has a finding
        of this pack for the official (when the pack is the only one evaluated). ``districts``:
        aggregate by the units' districts (not on a date without districts, unless asked for).
        ``reuse``: the outcomes of units and metrics decided by earlier runs of ``program``."""
        self.districts = districts
        self.reuse = reuse
        self.program = program
        self.unless = unless
        self.pack = program.pack
        self.session = session
        self.lang = lang
        self.city = city
        self.calendar = calendar
        self.as_of = calendar.as_of
        self._labelled: dict[str, list[tuple[str, dict[str, object]]]] = {}
        self._memo: dict[tuple[object, ...], tuple[Mapping[str, JSONValue], str]] = {}
        self._params: dict[str, object] = {k: _param_label(v, lang) for k, v in program.pack.params.items()}
        #: findings of units and scopes (the officials' are in lists per rule)
        self.findings: list[Finding] = []
        self._by_rule: dict[str, list[Finding]] = {}
        self.results: list[Metric] = []
        # per unit code: condition name -> count (tallies, quota populations and numerators)
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.gaps: dict[str, list[str]] = defaultdict(list)  # rule id -> subjects lacking data
        #: (rule id, column) -> officials the rule could not decide for, the column being empty (_undecided)
        self.undecided: dict[tuple[str, str], int] = {}
        self._decided: dict[str, dict[int, bool]] = {}  # rule plan name -> outcome number -> fired or gap
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
    def _outcome(number: int, names: Sequence[str], meaning: Mapping[str, tuple[int, OfficialRule | None, int]],
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
        return number, tuple(counted), tuple(gaps), findings

    def officials(self, contexts: Sequence[OfficialContext], progress: Callable[[int], None] | None = None) -> None:
        """Evaluate the officials, in batches of :data:`PROGRESS_STEP`.

        The values of a batch are computed column by column (:class:`Columns`) and matched in one
        call of the session; the officials are grouped by what the conditions holding for them make
        (:meth:`_outcome`), and the findings of each rule are made for its officials at once.
        """
        program = self.program
        if self.reuse is not None and self.reuse.carry is not None:  # (also to know the units touched)
            self._carried(contexts, self.reuse.carry, progress)
            return
        if next(program.by_kind("o"), None) is None:  # no condition of an official: nothing counts or fires
            if progress is not None:
                for done in range(PROGRESS_STEP, len(contexts) + 1, PROGRESS_STEP):
                    progress(done)
            return
        fields = _unique_fields(program.fields["o"], program.shown["o"])
        columns = Columns(fields, self.calendar)
        names = columns.names
        matched_fields = [f.name for f in program.fields["o"]]
        by_rule = self._by_rule  # the findings of each rule in a list of their own (see sorted_findings)
        for plan in program.official_rules:
            by_rule.setdefault(plan.rule.id, [])
        plans = {plan.name: plan for plan in program.official_rules}
        memos: dict[str, dict[object, _Facts]] = {plan.name: {} for plan in program.official_rules}
        texts: dict[str, dict[tuple[object, ...], str]] = {plan.name: {} for plan in program.official_rules}
        fires: dict[tuple[str, Severity], _Fire] = {}
        meaning = self._meaning()
        match_columns = self.session.match_columns
        # Officials often satisfy the same conditions: each set of names is resolved once.
        outcomes: dict[tuple[str, ...], _Outcome] = {}
        by_number: list[_Outcome] = []
        undecided_rules = [(plan, rule_columns) for plan in program.official_rules
                           if (rule_columns := RuleColumns(plan.rule)).columns]
        for start in range(0, len(contexts), PROGRESS_STEP):
            batch = contexts[start:start + PROGRESS_STEP]
            officials = list(map(_OFFICIAL, batch))
            ids = list(map(_ID, officials))
            values = columns(batch, officials)
            by_name = dict(zip(names, values, strict=True))
            matched = match_columns("o", {n: by_name[n] for n in matched_fields}, ids)

            def resolve(i: int) -> _Outcome:  # a set of conditions not seen yet
                outcome = outcomes[matched[i]] = self._outcome(len(by_number), matched[i], meaning,  # noqa: B023
                                                               self.unless)
                by_number.append(outcome)
                return outcome

            found = remember(outcomes, matched, resolve)
            # the officials of the batch grouped by outcome, each group in the order of the batch
            numbers = list(map(_NUMBER, found))
            hits: dict[tuple[str, Severity], list[int]] = {}
            units: list[str] | None = None
            for number, group in groupby(sorted(range(len(batch)), key=numbers.__getitem__), numbers.__getitem__):
                _, counted, gaps, fired = by_number[number]
                if not (counted or gaps or fired):
                    continue
                members = list(group)
                if counted:
                    units = units or list(map(_UNIT, officials))
                    for code, k in Counter(map(units.__getitem__, members)).items():
                        unit_counts = self.counts[code]
                        for name in counted:
                            unit_counts[name] += k
                for plan in gaps:
                    self.gaps[plan.rule.id].extend(map(ids.__getitem__, members))
                for key in fired:
                    hits.setdefault(key, []).extend(members)
            if hits:
                rows: list[tuple[Any, ...]] = list(zip(*values, strict=True)) if values else [()] * len(batch)
                units = units or list(map(_UNIT, officials))
                for key, members in hits.items():
                    fire = fires.get(key)
                    if fire is None:
                        name = key[0]
                        plan = plans[name]
                        fire = fires[key] = _Fire(plan, key[1], names, by_rule[plan.rule.id].extend, memos[name],
                                                  texts[name], plan.rule.message.get(self.lang))
                    members.sort()
                    self._fire(fire, members, ids, units, rows)
            if undecided_rules:
                self._undecided(undecided_rules, batch, officials, by_name, found)
            done = start + len(batch)
            if progress is not None and done % PROGRESS_STEP == 0:
                progress(done)

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
                matched = self.session.match_columns("o", values, list(map(_ID, officials)))
                out.extend(remember(counted, matched,
                                    lambda i: counted.setdefault(
                                        matched[i], self._outcome(0, matched[i], meaning, False)[1])))  # noqa: B023
            return out

        self._touched = carry.update(contexts, self.calendar, decide, self.reuse.population if self.reuse else None)
        self.counts = carry.counts  # (read, not changed, by the units and metrics of this run)
        if progress is not None:
            for done in range(PROGRESS_STEP, len(contexts) + 1, PROGRESS_STEP):
                progress(done)

    def _undecided(self, rules: Sequence[tuple[OfficialRule, RuleColumns]], batch: Sequence[OfficialContext],
                   officials: Sequence[Any], by_name: Mapping[str, Sequence[Natural | None]],
                   found: Sequence[_Outcome]) -> None:
        """Count, per rule and column, the officials of a batch that a rule could not decide for, a column
        it needs being empty (see :mod:`._undecided`)."""
        empty = empty_columns(officials, dict.fromkeys(c for _, rc in rules for c in rc.columns))
        if not any(map(any, empty.values())):
            return
        numbers = list(map(_NUMBER, found))
        outcomes = dict(zip(numbers, found, strict=True))
        for plan, rule_columns in rules:
            # whether the rule fired (or noted a data gap) for an official, per outcome (computed once)
            seen = self._decided.setdefault(plan.name, {})
            for number in outcomes.keys() - seen.keys():
                _, _, gaps, fired = outcomes[number]
                seen[number] = plan in gaps or any(name == plan.name for name, _ in fired)
            values = {spec.name: by_name[spec.name] if spec.name in by_name else [spec.get(c) for c in batch]
                      for spec in rule_columns.specs}
            for column, n in rule_columns.count(empty, values, list(map(seen.__getitem__, numbers))).items():
                key = (plan.rule.id, column)
                self.undecided[key] = self.undecided.get(key, 0) + n

    def _fire(self, fire: _Fire, members: list[int], ids: list[str], units: list[str],
              rows: list[tuple[Any, ...]]) -> None:
        """The findings of one rule at one severity for the officials ``members`` of a batch (the
        loops run in C: :func:`make_findings` sets their slots a field at a time)."""
        subjects = list(map(ids.__getitem__, members))
        values = list(map(rows.__getitem__, members))
        shown = list(map(fire.pick, values))
        keys: list[object] = list(zip(subjects, shown, strict=True)) if fire.uses_id else shown
        memo = fire.memo

        def said(j: int) -> _Facts:  # values not shown before: facts and message built
            facts_text = memo[keys[j]] = self._said(fire, subjects[j], values[j])
            return facts_text

        facts_texts = remember(memo, keys, said)
        n = len(members)
        fire.extend(make_findings(n, (
            repeat(self.pack.id, n), repeat(fire.rule_id, n), repeat(fire.family, n), repeat(fire.severity, n),
            repeat("official", n), subjects, list(map(units.__getitem__, members)), list(map(_TEXT, facts_texts)),
            repeat(fire.cite, n), list(map(_FACTS, facts_texts)),
            list(map(Deferred, zip(repeat(fire.explain), values))))))

    def _finding(self, plan: OfficialRule, severity: Severity, kind: Literal["official", "unit"],
                 subject: str, scope_id: str, values: Mapping[str, Natural | None]) -> None:
        rule = plan.rule
        # Findings of one rule often show the same values: their facts and message are built once.
        key = (plan.name, subject if plan.uses_id else "", *map(values.get, plan.field_names))
        memo = self._memo.get(key)
        if memo is None:
            memo = self._memo[key] = self._shown(plan, subject, values)
        facts, text = memo
        self.findings.append(Finding(self.pack.id, rule.id, rule.family, severity, kind, subject, scope_id,
                                     text, rule.cite, facts, Deferred((explain_rule, rule, values))))

    def _shown(self, plan: OfficialRule, subject: str,
               values: Mapping[str, Natural | None]) -> tuple[Mapping[str, JSONValue], str]:
        """The facts a finding of ``plan`` shows and its message."""
        shown = _facts(plan, map(values.get, plan.field_names))
        return MappingProxyType(shown), self._text(plan, subject, shown)

    def _said(self, fire: _Fire, subject: str, row: tuple[Any, ...]) -> tuple[Mapping[str, JSONValue], str]:
        """:meth:`_shown` for the official whose values are ``row``, the message looked up by the
        values it may name (a rule's facts show more values than its message names)."""
        shown = _facts(fire.plan, map(row.__getitem__, fire.shown))
        key = (subject if fire.uses_id else "", *map(row.__getitem__, fire.said))
        text = fire.texts.get(key)
        if text is None:
            text = fire.texts[key] = self._text(fire.plan, subject, shown)
        return MappingProxyType(shown), text

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
        return _format_map(plan.rule.message.get(self.lang), lookup)

    def sorted_findings(self) -> list[Finding]:
        """Every finding of the run, sorted by rule and subject (stable: the order of evaluation
        among equals). Each rule's findings are sorted on their own, by subject only: officials'
        come in the order of the input, so when it is the order of their ids there is little to do."""
        by_rule = self._by_rule
        for finding in self.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        self.findings = []
        out: list[Finding] = []
        for rule_id in sorted(by_rule):
            found = by_rule[rule_id]
            found.sort(key=_SUBJECT)
            out.extend(found)
        by_rule.clear()
        return out

    # -- units ------------------------------------------------------------------------------
    def units(self, units: Sequence[Unit], contexts: Sequence[OfficialContext]) -> None:
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
        by_unit: dict[str, list[OfficialContext]] = defaultdict(list)
        if len(decided) < len(units):
            wanted = set(map(_CODE, decided))
            contexts = list(compress(contexts, map(wanted.__contains__, map(_UNIT_CODE, contexts))))
        for ctx in contexts:
            by_unit[ctx.unit.code].append(ctx)
        fields = _unique_fields(program.fields["u"], program.shown["u"])
        rules = {r.name: r for r in program.unit_rules}
        escalation = {name: (r, sev) for r in program.unit_rules for name, sev in r.escalations}
        staffing = {s.vacancy: s for s in program.staffing}
        gaps = {r.gap: r for r in program.unit_rules if r.gap}
        tally_keys, tally_names = tuple(program.tallies), tuple(program.tallies.values())
        nothing: dict[str, int] = {}
        when = None if reuse is None or not reuse.dated else self.as_of
        for unit in decided:
            if reuse is not None:  # (a unit decided alike on an earlier date: its members and tallies the same)
                members = by_unit.get(unit.code, [])
                counts = self.counts.get(unit.code, nothing)
                counted = tuple(map(counts.get, tally_names, repeat(0)))
                records = (unit, *map(_OFFICIAL, members))
                known = reuse.units.get((*map(id, records), *counted, when))
                if known is not None:
                    reuse.last[unit.code] = known
                    self._take((known,))
                    continue
            members = by_unit.get(unit.code, [])
            counts = self.counts.get(unit.code, nothing)
            counted = tuple(map(counts.get, tally_names, repeat(0)))
            tallies: dict[str, int] = dict(zip(tally_keys, counted, strict=True))
            first = len(self.findings)
            gap_rules: list[str] = []
            uctx = UnitContext(unit, members, self.as_of, tallies)
            vacancies: dict[str, list[str]] = {}
            requirements: dict[str, list[str]] = {}
            # how many members hold each post (once per unit: the staffing plans and their findings share it)
            holding: Counter[str] = Counter(chain.from_iterable(
                ps if len(ps) < 2 else dict.fromkeys(ps) for ps in (m.official.posts for m in members))) \
                if program.staffing else Counter()
            for plan in program.staffing:
                held = holding.keys()
                required = [r.position for r in plan.staffing.requires
                            if r.where is None or evaluate(r.where.expr, {f.name: f.get(uctx)
                                                                          for f in fields_of(r.where.expr)}) is True]
                required = list(dict.fromkeys(required))
                vacant = [p for p in required if p not in held]
                vacancies[plan.vacancy] = vacant
                requirements[plan.vacancy] = required
                tallies[plan.vacant_field.name] = len(vacant)
                self.fill_by[plan.staffing.id][unit.code] = (len(required) - len(vacant), len(required))
            values = {f.name: f.get(uctx) for f in fields}
            names = self.session.match("u", values, unit.code)
            fired: dict[str, Severity] = {}
            for name in names:
                if name in rules:
                    fired[name] = max(fired.get(name, rules[name].rule.severity), rules[name].rule.severity,
                                      key=_RANK.__getitem__)
                elif name in escalation:
                    rule, sev = escalation[name]
                    fired[rule.name] = max(fired.get(rule.name, sev), sev, key=_RANK.__getitem__)
                elif name in gaps:
                    self.gaps[gaps[name].rule.id].append(unit.code)
                    if reuse is not None:
                        gap_rules.append(gaps[name].rule.id)
                elif name in staffing:
                    plan = staffing[name]
                    s = plan.staffing
                    filled, required_n = self.fill_by[s.id][unit.code]
                    facts: dict[str, JSONValue] = {"vacant": list(vacancies[name]), "filled": filled,
                                                "required": required_n}
                    posts = [code_label(POSITION, p, self.lang) for p in vacancies[name]]
                    text = _format(s.message.get(self.lang), {**self.pack.params, **facts, "unit": unit.code,
                                                              "vacant": ", ".join(posts)}, self.lang)
                    holders = {p: holding[p] for p in requirements[name]}
                    self.findings.append(Finding(self.pack.id, s.id, s.family, s.severity, "unit", unit.code,
                                                 unit.code, text, s.cite, facts,
                                                 explain_staffing(requirements[name], holders)))
            for name, severity in fired.items():
                self._finding(rules[name], severity, "unit", unit.code, unit.code, values)
            if reuse is not None:  # (the records held: the identities of the key stay theirs)
                records = (unit, *map(_OFFICIAL, members))
                reuse.units[(*map(id, records), *counted, when)] = reuse.last[unit.code] = (
                    records, tuple(self.findings[first:]), tuple(gap_rules),
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
        codes = list(map(_CODE, map(_NUMBER, map(_NUMBER, outcomes))))
        for j, plan in enumerate(self.program.staffing):
            fills = map(_TEXT, map(operator.itemgetter(j), map(_FILLS, outcomes)))  # (staffing id, fill) → fill
            self.fill_by[plan.staffing.id].update(zip(codes, fills, strict=True))

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

    def _decide(self, metric_id: str, unmet_name: str, scope: str, scope_id: str, num: int, den: int,
                target: Fraction, op: Literal[">=", "<="], key_set: str | None = None,
                per: Literal["official", "unit"] = "official") -> Metric:
        value = Fraction(num, den) if den else None
        names = self.session.match("m", {"metric": metric_id, "value": value}, f"{metric_id}|{scope}|{scope_id}")
        met = None if value is None else unmet_name not in names
        metric = Metric(self.pack.id, metric_id, scope, scope_id, num, den, target, op, met,  # type: ignore[arg-type]
                        key_set, per)
        self.results.append(metric)
        return metric

    def metrics(self, units: Sequence[Unit]) -> None:
        for plan in self.program.quotas:
            q = plan.quota
            # a share of key officials says which named set of key posts counted them
            key_set = self.pack.key_set if any(f.name == "is_key" for f in fields_of(q.population.expr)) else None
            for scope, scope_id, codes in self._scopes(units, q.scopes):
                num = sum(self.counts.get(c, {}).get(plan.numerator, 0) for c in codes)
                den = len(codes) if q.per == "unit" else \
                    sum(self.counts.get(c, {}).get(plan.population, 0) for c in codes)
                key = (q.id, scope, scope_id, num, den)
                if self._recall(key):
                    continue
                first = len(self.findings)
                metric = self._decide(q.id, plan.unmet, scope, scope_id, num, den, q.target, q.op, key_set, q.per)
                if metric.met is False:
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
                    text = _format(q.message.get(self.lang), {**self.pack.params, **facts, "scope": scope_id},
                                   self.lang)
                    self.findings.append(Finding(self.pack.id, q.id, q.family, q.severity, "scope", scope_id,
                                                 scope_id, text, q.cite, facts, explain_quota(q, num, den)))
                self._keep(key, metric, first)
        for splan in self.program.staffing:
            s = splan.staffing
            fills = self.fill_by.get(s.id, {})
            for scope, scope_id, codes in self._scopes(units, s.scopes):
                num = sum(fills.get(c, (0, 0))[0] for c in codes)
                den = sum(fills.get(c, (0, 0))[1] for c in codes)
                key = (s.metric, scope, scope_id, num, den)
                if not self._recall(key):
                    self._keep(key, self._decide(s.metric, splan.unmet, scope, scope_id, num, den, Fraction(1), ">="),
                               len(self.findings))

    def _recall(self, key: tuple[object, ...]) -> bool:
        """Take the metric ``key`` (and its finding) decided by an earlier run (see :class:`Reuse`), if any."""
        known = None if self.reuse is None else self.reuse.metrics.get(key)
        if known is None:
            return False
        metric, finding = known
        self.results.append(metric)
        if finding is not None:
            self.findings.append(finding)
        return True

    def _keep(self, key: tuple[object, ...], metric: Metric, first: int) -> None:
        """Remember the metric ``key`` and its finding (made from ``self.findings[first]`` on) for later runs."""
        if self.reuse is not None:
            self.reuse.metrics[key] = (metric, self.findings[first] if len(self.findings) > first else None)
