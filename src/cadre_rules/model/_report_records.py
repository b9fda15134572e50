"""The report's records: findings, metrics and the report with its parts (attrs records, each checking
its values when made through ``__init__``: :mod:`cadre_rules.model._checks`)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any
from typing import Literal

import attrs

from ..errors import N_
from ..errors import Problem
from ._checks import Each
from ._checks import FieldCheck
from ._checks import a_choice
from ._checks import a_count
from ._checks import a_date
from ._checks import a_digest
from ._checks import a_flag
from ._checks import a_fraction
from ._checks import a_json_mapping
from ._checks import a_mapping
from ._checks import a_record
from ._checks import a_text
from ._checks import check_record
from ._checks import json_mappings
from ._checks import problem
from ._langs import LANGS
from ._langs import checked_lang
from ._model import _slot_setters
from ._model import make_records

__all__ = [
    "ENGINE_PACK",
    "PAST_RETIREMENT",
    "SEVERITIES",
    "BaselineDiff",
    "Coverage",
    "DataAsOf",
    "Deferred",
    "Districts",
    "Finding",
    "JSONValue",
    "Metric",
    "Names",
    "Notice",
    "PackRef",
    "QuotaCounts",
    "Report",
    "ReportScope",
    "Severity",
    "Share",
    "Suppressed",
    "Undecided",
    "make_findings",
]

#: A value of a report's JSON: a finding's facts, an explanation's entries.
JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_SEVERITIES = frozenset(SEVERITIES)
_SUBJECT_KINDS = ("official", "unit", "scope")
_SCOPES = ("city", "district", "unit")
_OPS = (">=", "<=")
_PER = ("official", "unit")


class Deferred(tuple[Any, ...]):
    """An explanation computed on first use: ``Deferred((compute, *args))`` stands for
    ``compute(*args)``.

    A tuple: one object per finding, made in C, cheap to make and small to keep (most are never
    read). The finding keeps the result once it is computed (:attr:`Finding.explanation`).
    """

    __slots__ = ()

    def get(self) -> tuple[Mapping[str, JSONValue], ...]:
        """``compute(*args)``."""
        value: tuple[Mapping[str, JSONValue], ...] = self[0](*self[1:])
        return value


#: The "pack" of the findings the engine makes itself, whatever the packs (not a pack of the report).
ENGINE_PACK = "cadre-rules"
#: The rule id of the engine's finding about an official past retirement age on the as-of date.
PAST_RETIREMENT = "staffing.past_retirement"


@attrs.frozen(slots=True)
class Finding:
    """One rule that fired for one subject (an official, a unit or a scope)."""

    pack: str
    rule: str
    family: str
    severity: Severity
    subject_kind: Literal["official", "unit", "scope"]
    subject_id: str
    scope_id: str
    message: str
    cite: str
    facts: Mapping[str, JSONValue] = attrs.field(factory=dict, hash=False)
    _explanation: tuple[Mapping[str, JSONValue], ...] | Deferred = attrs.field(default=(), eq=False, hash=False,
                                                                                 repr=False)

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual."""
        if not (type(self.pack) is type(self.rule) is type(self.family) is type(self.subject_id)
                is type(self.scope_id) is type(self.message) is type(self.cite) is str
                and type(self.severity) is str and self.severity in _SEVERITIES
                and type(self.subject_kind) is str and self.subject_kind in _SUBJECT_KINDS
                and type(self.facts) in _FACTS and _is_json(self.facts)
                and (type(self._explanation) is Deferred
                     or (type(self._explanation) is tuple and all(map(_is_json_entry, self._explanation))))):
            check_record(self, _FINDING_CHECKS, "rule")

    @property
    def explanation(self) -> tuple[Mapping[str, JSONValue], ...]:
        """Why it fired: each sub-condition with its value and result (see :mod:`cadre_rules.report._explain`).

        Built on first use, so that evaluating stays fast when no one reads it.
        """
        value = self._explanation
        if isinstance(value, Deferred):
            value = value.get()
            object.__setattr__(self, "_explanation", value)  # computed once (a cache: not a field compared)
        return value

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.pack, self.rule, self.subject_id)


#: The usual types of a finding's facts (the engine shares one read-only mapping among findings alike).
_FACTS = frozenset({dict, MappingProxyType})


def _is_json(facts: Mapping[str, JSONValue]) -> bool:
    """Whether ``facts`` are JSON (:func:`~cadre_rules.model._checks.a_json_mapping`: one C pass for values of text,
    integers, booleans and ``None``, a look inside the others: a NaN, a set in a list…)."""
    return not a_json_mapping("facts", facts)


def _is_json_entry(entry: object) -> bool:
    """Whether an entry of an explanation is a ``dict`` of text to JSON values (:func:`_is_json`)."""
    return type(entry) is dict and _is_json(entry)


def _an_explanation(name: str, value: object) -> list[Problem] | None:
    """A :class:`Deferred` explanation, or a sequence of mappings of text to JSON values
    (:func:`~cadre_rules.model._checks.json_mappings`: ``explanation[1]['value']``)."""
    return None if isinstance(value, Deferred) else json_mappings(name, value)


def _one_of(*choices: str, optional: bool = False) -> FieldCheck:
    return functools.partial(a_choice, choices=choices, optional=optional)


def _a_mapping(name: str, value: object) -> Problem | None:
    return a_mapping(name, value, optional=False)


_an_optional_text = functools.partial(a_text, optional=True)
_FINDING_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "rule": a_text, "family": a_text, "severity": _one_of(*SEVERITIES),
    "subject_kind": _one_of(*_SUBJECT_KINDS), "subject_id": a_text, "scope_id": a_text, "message": a_text,
    "cite": a_text, "facts": a_json_mapping, "_explanation": _an_explanation,
}

def make_findings(count: int, columns: Sequence[Iterable[object]]) -> list[Finding]:
    """``count`` findings, ``Finding(*row)`` for each row of ``columns`` (:func:`make_records`)."""
    return make_records(Finding, count, columns)


def make_finding(*values: object) -> Finding:
    """``Finding(*values)`` without its checks, as :func:`make_findings` makes many: for values the engine made."""
    finding: Finding = object.__new__(Finding)
    for set_slot, value in zip(_slot_setters(Finding), values, strict=True):
        set_slot(finding, value)
    return finding


@attrs.frozen(slots=True)
class Metric:
    """A share or rate for one scope (city, district or unit), with its target."""

    pack: str
    id: str
    scope: Literal["city", "district", "unit"]
    scope_id: str
    numerator: int
    denominator: int
    target: Fraction
    op: Literal[">=", "<="]
    met: bool | None
    #: The named key-position set that decided who is a key official (``[key_positions] sets``), if any.
    key_positions: str | None = None
    #: ``official``: a share of a population; ``unit``: an average per unit of the scope (``[[quota]] per``).
    per: Literal["official", "unit"] = "official"

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual."""
        if not (type(self.pack) is type(self.id) is type(self.scope_id) is str
                and type(self.numerator) is type(self.denominator) is int
                and self.numerator >= 0 and self.denominator >= 0 and type(self.target) is Fraction
                and self.scope in _SCOPES and self.op in _OPS and self.per in _PER
                and (self.met is None or type(self.met) is bool)
                and (self.key_positions is None or type(self.key_positions) is str)):
            check_record(self, _METRIC_CHECKS, "id")

    @property
    def value(self) -> Fraction | None:
        """``numerator / denominator`` exactly, or ``None`` for an empty scope."""
        if self.denominator == 0:
            return None
        return Fraction(self.numerator, self.denominator)


_METRIC_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "id": a_text, "scope": _one_of(*_SCOPES), "scope_id": a_text, "numerator": a_count,
    "denominator": a_count, "target": a_fraction, "op": _one_of(*_OPS),
    "met": functools.partial(a_flag, optional=True), "key_positions": _an_optional_text, "per": _one_of(*_PER),
}


@attrs.frozen(slots=True)
class Share:
    """A commune's own share of a quota whose target binds its city (or its district), not the commune: for
    information (``--scope commune:…``, or data of one commune), never a finding; whether the target is met is the
    city's (district's) :class:`Metric`'s."""

    pack: str
    #: the quota's metric id (``quota.young``)
    id: str
    #: the commune's code
    unit: str
    numerator: int
    denominator: int
    target: Fraction
    op: Literal[">=", "<="]
    #: the scopes whose target it is, as the report's metrics name them: ``(("city", "Hà Nội"),)``, and
    #: ``("district", NAME)`` where the report aggregates by district
    binds: tuple[tuple[Literal["city", "district"], str], ...]
    key_positions: str | None = None
    per: Literal["official", "unit"] = "official"

    def __attrs_post_init__(self) -> None:
        check_record(self, _SHARE_CHECKS, "id")

    @property
    def value(self) -> Fraction | None:
        """``numerator / denominator`` exactly, or ``None`` when the commune has no one the quota counts."""
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)


def _binds(name: str, value: object) -> Problem | None:
    """The scopes a :class:`Share`'s target binds: a sequence of ``(kind, id)``, kind ``city`` or ``district``, at
    least one."""
    if isinstance(value, Sequence) and not isinstance(value, str) and value and all(
            isinstance(b, Sequence) and len(b) == 2 and b[0] in ("city", "district") and isinstance(b[1], str)
            and b[1].strip() for b in value):
        return None
    return problem(name, _NOT_BINDS, value)


_NOT_BINDS = N_('expected the scopes the target binds, as ("city" or "district", its name) pairs')
_SHARE_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "id": a_text, "unit": a_text, "numerator": a_count, "denominator": a_count,
    "target": a_fraction, "op": _one_of(*_OPS), "binds": _binds, "key_positions": _an_optional_text,
    "per": _one_of(*_PER),
}


@attrs.frozen(slots=True)
class QuotaCounts:
    """The engine's counts, per unit, of a quota whose target binds the city or a district (not a unit): what
    :class:`Share`\\ s are made of (:func:`cadre_rules.report._shares.unit_shares`). Not part of the JSON
    contract."""

    pack: str
    id: str
    target: Fraction
    op: Literal[">=", "<="]
    #: the kinds of scope the report has the quota's metric for (``city``, ``district``)
    binds: tuple[Literal["city", "district"], ...]
    #: unit code → how many of its officials the quota's numerator counted (a unit not listed: none)
    numerators: Mapping[str, int]
    #: unit code → how many the quota's population counted; ``None``: an average per unit (one each)
    denominators: Mapping[str, int] | None
    #: the units the quota's pack applies to (``None``: every unit of the report)
    units: frozenset[str] | None = None
    key_positions: str | None = None
    per: Literal["official", "unit"] = "official"

    def __attrs_post_init__(self) -> None:
        check_record(self, _QUOTA_COUNTS_CHECKS, "id")


def _kinds(name: str, value: object) -> Problem | None:
    """The kinds of scope a :class:`QuotaCounts`' target binds: a sequence of ``city``, ``district``."""
    if isinstance(value, Sequence) and not isinstance(value, str) and all(k in ("city", "district") for k in value):
        return None
    return problem(name, _NOT_KINDS, value)


def _unit_codes(name: str, value: object) -> Problem | None:
    """A set of unit codes (text), or ``None``."""
    if value is None or (isinstance(value, frozenset) and all(isinstance(code, str) for code in value)):
        return None
    return problem(name, _NOT_UNIT_CODES, value, shown=False)


_NOT_KINDS = N_('expected the kinds of scope the target binds ("city", "district")')
_NOT_UNIT_CODES = N_("expected a frozenset of unit codes, or None")
_QUOTA_COUNTS_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "id": a_text, "target": a_fraction, "op": _one_of(*_OPS), "binds": _kinds,
    "numerators": _a_mapping, "denominators": a_mapping, "units": _unit_codes, "key_positions": _an_optional_text,
    "per": _one_of(*_PER),
}


@attrs.frozen(slots=True)
class Suppressed:
    """A finding that a pack's override (or a waiver) set aside, with the written reason."""

    finding: Finding
    by: str
    reason: str

    def __attrs_post_init__(self) -> None:
        check_record(self, _SUPPRESSED_CHECKS, "by")


@attrs.frozen(slots=True)
class PackRef:
    """Which pack, at which version and content hash, produced a report."""

    id: str
    version: str
    sha256: str
    #: The names the pack gives its metrics, by metric id: ``{"vi": "…", "en": "…"}`` (its ``[[quota]]``'s and
    #: ``[[staffing]]``'s ``name``); a metric not listed is named by the built-in name or words of its id.
    metrics: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, hash=False)
    #: The names the pack gives its rules, by rule id: ``{"vi": "…", "en": "…"}`` (a ``[[rule]]``'s and a
    #: ``[[quota]]``'s ``name``); a rule not listed is named by its built-in name, else shown by its id.
    rules: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, hash=False)

    def __attrs_post_init__(self) -> None:
        check_record(self, _PACK_REF_CHECKS, "id")


@attrs.frozen(slots=True)
class Coverage:
    """Whether a family of rules was checked on the as-of date, by which packs, and if not, why."""

    family: str
    #: ``checked``; ``partial`` (only district or unit packs have it); ``not_checked`` (no pack in effect has it)
    status: Literal["checked", "partial", "not_checked"]
    #: the packs in effect with rules of the family (``id@version``)
    packs: tuple[str, ...] = ()
    #: why not (fully) checked, or which packs of the family are not in effect, in the report's language
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        check_record(self, _COVERAGE_CHECKS, "family")


@attrs.frozen(slots=True)
class DataAsOf:
    """The date the data describe, and whether it is far from the as-of date (docs/as-of.md)."""

    #: declared (``--data-as-of``) or the newest date in the data; ``None``: the data carry no date
    date: date | None
    source: Literal["declared", "inferred"] | None
    #: the data are older than the as-of date by more than :attr:`stale_after_months`
    stale: bool
    stale_after_months: int

    def __attrs_post_init__(self) -> None:
        check_record(self, _DATA_AS_OF_CHECKS)


@attrs.frozen(slots=True)
class Notice:
    """Something the report says about the evaluation as a whole (docs/as-of.md): a family not (fully)
    checked, stale data, districts, a rule undecided for lack of data, how a data file was read (``input``: rows
    left out, ids made…), units of the units file without officials (``units``), a pack found but not yet in force
    (``packs``). Its message is also among the report's notes."""

    kind: Literal["coverage", "stale_data", "districts", "undecided", "input", "units", "packs"]
    #: ``warning``: something was not checked or the data are stale; ``info`` otherwise
    severity: Severity
    message: str
    family: str | None = None
    #: for a notice that counts units (the districts not aggregated): each unit counted, by code, that a report
    #: restricted to some units (``--scope``) counts its own. Not part of the JSON contract.
    by_unit: Mapping[str, int] = attrs.field(factory=dict, eq=False, hash=False, repr=False)
    #: for a notice of what rules could not decide (``undecided``): the rules it is about, as (pack, rule id), in
    #: the order it names them (its message names them in words: the formats a machine reads carry the ids). Not
    #: part of the JSON report (its ``undecided`` records have them).
    rules: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_record(self, _NOTICE_CHECKS, "kind")


@attrs.frozen(slots=True)
class Undecided:
    """A rule that could not be decided for some subjects because an input column had no value for them
    (absent or empty: unknown, never "no"); its message is also among the report's notices and notes."""

    pack: str
    rule: str
    family: str
    #: the input column (of officials) without a value, e.g. ``in_planning``
    column: str
    #: how many subjects the rule could not decide for
    count: int
    #: the kind of the subjects: ``official`` or ``unit`` (a unit rule's data gap)
    subject: Literal["official", "unit"] = "official"
    #: :attr:`count` per unit code (what a report restricted to some units counts, ``--scope``). Not part of
    #: the JSON contract.
    by_unit: Mapping[str, int] = attrs.field(factory=dict, eq=False, hash=False, repr=False)
    #: a data gap's subjects (official ids or unit codes) → their unit's code, for its note. Not part of the
    #: JSON contract.
    subjects: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_record(self, _UNDECIDED_CHECKS, "rule")


@attrs.frozen(slots=True)
class BaselineDiff:
    """What changed since a baseline report (``--baseline``): the report keeps only the new findings."""

    #: the baseline file, as named
    file: str
    #: findings not in the baseline (the report's findings)
    new: int
    #: findings in both (not shown)
    unchanged: int
    #: findings of the baseline no longer found (kind, id of their subject): resolved, sorted
    resolved: tuple[tuple[str, str, str, str], ...] = ()
    #: the findings in both, not shown: still found, what the report counts of people reads as without the
    #: baseline (an official past retirement age is not counted as evaluated). Not part of the JSON contract.
    hidden: tuple[Finding, ...] = attrs.field(default=(), eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_record(self, _BASELINE_DIFF_CHECKS)


@attrs.frozen(slots=True)
class ReportScope:
    """The part of the city a report is restricted to (``--scope``)."""

    kind: Literal["district", "unit"]
    #: the district's name or the unit's code
    id: str
    #: the district's or the unit's name, for titles
    name: str

    def __attrs_post_init__(self) -> None:
        check_record(self, _REPORT_SCOPE_CHECKS)


@attrs.frozen(slots=True)
class Names:
    """Who the subjects of a report are, looked up by id once per report (docs/report.md, "Names").

    A report for HR people names them; logs, warnings and errors never do. ``--redact``
    (:func:`cadre_rules.redact`) gives the report without them.
    """

    #: official id → (full name, position code, unit code)
    officials: Mapping[str, tuple[str, str, str]]
    #: unit code → unit name
    units: Mapping[str, str]
    #: the language of the position labels (the report's: that of its messages): ``vi`` or ``en``, any other
    #: refused with an :class:`~cadre_rules.InputError` located at ``lang``
    lang: str = attrs.field(default="vi", converter=checked_lang)

    def __attrs_post_init__(self) -> None:
        check_record(self, _NAMES_CHECKS)


#: What the district level of a report is (docs/as-of.md): ``none`` (the units have no district),
#: ``kept`` (before 2025-07-01: aggregated by district), ``dropped`` (from 2025-07-01: the units'
#: districts not aggregated), ``legacy`` (from 2025-07-01, asked for: aggregated by former district).
Districts = Literal["none", "kept", "dropped", "legacy"]


@attrs.frozen(slots=True)
class Report:
    """The result of one evaluation. :func:`cadre_rules.report_to_json` gives its JSON (DESIGN.md §6)."""

    as_of: date
    packs: tuple[PackRef, ...]
    officials: int
    units: int
    input_sha256: str
    metrics: tuple[Metric, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    city: str = "Hà Nội"
    suppressed: tuple[Suppressed, ...] = ()
    #: The district of each unit (unit code → district name), for renderers that group findings by district.
    #: Not part of the JSON contract.
    unit_districts: Mapping[str, str] = attrs.field(factory=dict, hash=False, repr=False)
    #: Per family, whether it was checked on the as-of date (empty for a report made otherwise).
    coverage: tuple[Coverage, ...] = ()
    data_as_of: DataAsOf | None = None
    districts: Districts = "none"
    #: The coverage, stale-data and district notes as records, for the formats that list them
    notices: tuple[Notice, ...] = ()
    #: The rule backend that evaluated the packs: ``"durable"`` (durable-rules) or ``"reference"`` (pure
    #: Python, where durable-rules' engine cannot load; a note says why). ``None``: not made by an engine.
    backend: str | None = None
    #: Per rule and input column, the subjects the rule could not decide for, the column being empty
    undecided: tuple[Undecided, ...] = ()
    #: The subjects' names (official: full name, position, unit; unit: its name); ``None``: redacted, or
    #: not made by an engine. Not compared: they follow from the input.
    names: Names | None = attrs.field(default=None, eq=False, hash=False, repr=False)
    #: The parameter overrides the evaluation was given (``--param pack.key=value``), as given.
    params: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    #: With ``--baseline``: the counts of new, unchanged and resolved findings, and the resolved ones.
    baseline: BaselineDiff | None = None
    #: With ``--scope``: the district or unit the report is restricted to (``None``: the data as given).
    scope: ReportScope | None = None
    #: In a report of one commune (``--scope commune:…``, or data of one commune): its own shares of the quotas
    #: whose targets bind its city or district, for information (:func:`cadre_rules.report._shares.unit_shares`).
    unit_shares: tuple[Share, ...] = ()
    #: The engine's per-unit counts of the quotas of the city and the districts, what :attr:`unit_shares` are
    #: made of. Not part of the JSON contract, not compared.
    quota_counts: tuple[QuotaCounts, ...] = attrs.field(default=(), eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`): the findings, metrics… each of its
        record class (themselves checked when made), any sequence of them kept as a tuple."""
        check_record(self, _REPORT_CHECKS)

    @property
    def summary(self) -> dict[str, int]:
        """Number of findings per severity."""
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def _an_input_digest(name: str, value: object) -> Problem | None:
    return a_text(name, value) or a_digest(name, value)


_SUPPRESSED_CHECKS: Mapping[str, FieldCheck] = {
    "finding": functools.partial(a_record, kind=Finding), "by": a_text, "reason": a_text,
}
def _names(name: str, value: object) -> Problem | None:
    """A mapping of a metric's or a rule's id (text) to its name in each language of :data:`LANGS` (text)."""
    if isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, Mapping) and set(v) == set(LANGS)
            and all(isinstance(t, str) for t in v.values()) for k, v in value.items()):
        return None
    return problem(name, _NOT_METRIC_NAMES if name == "metrics" else _NOT_RULE_NAMES, value)


_NOT_METRIC_NAMES = N_('expected a mapping of metric id to its names {{"vi": "…", "en": "…"}}')
_NOT_RULE_NAMES = N_('expected a mapping of rule id to its names {{"vi": "…", "en": "…"}}')
_PACK_REF_CHECKS: Mapping[str, FieldCheck] = {"id": a_text, "version": a_text, "sha256": a_text,
                                              "metrics": _names, "rules": _names}
_COVERAGE_CHECKS: Mapping[str, FieldCheck] = {
    "family": a_text, "status": _one_of("checked", "partial", "not_checked"), "packs": Each(str),
    "reason": _an_optional_text,
}
_DATA_AS_OF_CHECKS: Mapping[str, FieldCheck] = {
    "date": a_date, "source": _one_of("declared", "inferred", optional=True), "stale": a_flag,
    "stale_after_months": a_count,
}
_NOTICE_CHECKS: Mapping[str, FieldCheck] = {
    "kind": _one_of("coverage", "stale_data", "districts", "undecided", "input", "units", "packs"),
    "severity": _one_of(*SEVERITIES), "message": a_text, "family": _an_optional_text,
}
_UNDECIDED_CHECKS: Mapping[str, FieldCheck] = {
    "pack": a_text, "rule": a_text, "family": a_text, "column": a_text, "count": a_count,
    "subject": _one_of("official", "unit"),
}
_BASELINE_DIFF_CHECKS: Mapping[str, FieldCheck] = {
    "file": a_text, "new": a_count, "unchanged": a_count, "resolved": Each(tuple), "hidden": Each(Finding),
}
_REPORT_SCOPE_CHECKS: Mapping[str, FieldCheck] = {"kind": _one_of("district", "unit"), "id": a_text, "name": a_text}


def _official_names(name: str, value: object) -> Problem | None:
    """A mapping of official id to (full name, position code, unit code): tested by one C pass of their lengths
    (made once per report: 1.8 ms at 100,000), a wrong value shown by its type alone (it names a person)."""
    if not isinstance(value, Mapping):
        return _a_mapping(name, value)
    names = value.values()
    with contextlib.suppress(TypeError):  # (a value without a length)
        if set(map(len, names)) <= {3}:
            return None
    wrong = next(v for v in names if not isinstance(v, (tuple, list)) or len(v) != 3)
    return problem(name, _NOT_OFFICIAL_NAMES, wrong, shown=False)


def _unit_names(name: str, value: object) -> Problem | None:
    """A mapping of unit code to the unit's name (text)."""
    if not isinstance(value, Mapping):
        return _a_mapping(name, value)
    if set(map(type, value.values())) <= {str}:
        return None
    return problem(name, _NOT_UNIT_NAMES, next(v for v in value.values() if not isinstance(v, str)), shown=False)


_NAMES_CHECKS: Mapping[str, FieldCheck] = {"officials": _official_names, "units": _unit_names}
# TRANSLATORS: {type} a Python type (str)
_NOT_OFFICIAL_NAMES = N_("expected each official's (full name, position code, unit code), not a value of type {type}")
_NOT_UNIT_NAMES = N_("expected each unit's name as text, not a value of type {type}")
_REPORT_CHECKS: Mapping[str, FieldCheck] = {
    "as_of": functools.partial(a_date, optional=False), "packs": Each(PackRef), "officials": a_count,
    "units": a_count, "input_sha256": _an_input_digest, "metrics": Each(Metric), "findings": Each(Finding),
    "notes": Each(str), "city": a_text, "suppressed": Each(Suppressed), "unit_districts": _a_mapping,
    "coverage": Each(Coverage), "data_as_of": functools.partial(a_record, kind=DataAsOf, optional=True),
    "districts": _one_of("none", "kept", "dropped", "legacy"), "notices": Each(Notice),
    "backend": _one_of("durable", "reference", optional=True), "undecided": Each(Undecided),
    "names": functools.partial(a_record, kind=Names, optional=True), "params": _a_mapping,
    "baseline": functools.partial(a_record, kind=BaselineDiff, optional=True),
    "scope": functools.partial(a_record, kind=ReportScope, optional=True), "unit_shares": Each(Share),
    "quota_counts": Each(QuotaCounts),
}
