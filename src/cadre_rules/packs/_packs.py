"""Policy packs: TOML files of metadata, parameters and rules, validated whole at load time."""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any
from typing import Literal

import attrs

from .._limits import MAX_DNF_TERMS
from .._limits import MAX_FORMAT_WIDTH
from ..errors import N_
from ..errors import Argument
from ..errors import Column
from ..errors import Count
from ..errors import ExpressionError
from ..errors import InvalidValue
from ..errors import Message
from ..errors import PackError
from ..errors import Problem
from ..errors import os_reason
from ..errors import toml_reason
from ..model._arguments import a_mapping
from ..model._arguments import a_path
from ..model._arguments import refuse
from ..model._checks import a_text as _a_text
from ..model._checks import check_record as _check_record
from ..model._codes import POSITION
from ..model._dates import parse_date
from ..model._formats import Shown
from ..model._report_records import SEVERITIES
from ..model._report_records import Severity
from ._catalogue import BUILTIN_FUNCTIONS
from ._catalogue import FieldSpec
from ._catalogue import FunctionSpec
from ._catalogue import Subject
from ._expr import And
from ._expr import Parsed
from ._expr import dnf_terms
from ._expr import fields_of
from ._expr import parse
from ._expr import parse_field
from ._expr import problem_reason
from ._match_rules import MatchSpec
from ._match_rules import parse_match
from ._match_rules import reason_of
from ._match_rules import verbatim

__all__ = ["FAMILIES", "LOOKBACK_PARAM", "PARAMS", "SERVICE_PARAM", "Override", "Pack", "QuotaDef", "RuleDef",
           "StaffingDef", "Text", "load_pack", "message_key", "parse_pack", "unknown_override_packs"]

FAMILIES = ("staffing", "quota", "qualification", "rotation", "replacement")

#: The parameter that sets a pack's rating look-back (:attr:`Pack.rating_lookback_years`; docs/as-of.md §2).
LOOKBACK_PARAM = "rating_lookback_years"
#: The parameter by which a pack takes officials past retirement age out of service
#: (:attr:`Pack.retirement_ends_service`; docs/as-of.md §1).
SERVICE_PARAM = "retirement_ends_service"
#: Where parameter overrides are given: the ``option`` field of the problems about one, and the place of those not
#: in a pack; each front end names it its own way (the API's ``params``, the command line's ``--param``, the
#: service's ``param``: :func:`~cadre_rules.errors.named_by`).
PARAMS = Argument("params")
SCOPES = ("city", "district", "unit")
_ID_CHARS = set(string.ascii_lowercase + string.digits + "._-")
#: A message's placeholder (``{chair_max_age}``), which a name cannot have.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@attrs.frozen
class Text:
    """A bilingual text (Vietnamese and English)."""

    vi: str
    en: str

    def __attrs_post_init__(self) -> None:
        if type(self.vi) is not str or type(self.en) is not str:  # (a pack's texts are read as text: quick)
            _check_record(self, {"vi": _a_text, "en": _a_text})

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@attrs.frozen
class Source:
    id: str
    title: str
    url: str | None = None


@attrs.frozen
class Escalation:
    when: Parsed
    severity: Severity


@attrs.frozen
class RuleDef:
    """A per-official or per-unit rule: a finding fires when ``where`` and ``when`` hold."""

    id: str
    family: str
    subject: Subject
    where: Parsed | None
    when: Parsed
    severity: Severity
    message: Text
    cite: str
    escalate: tuple[Escalation, ...] = ()
    unless_families: tuple[str, ...] = ()
    #: When ``gap`` holds, the data needed to decide is missing: a note, not a finding.
    gap: Parsed | None = None
    #: Extra fields a finding shows in its facts (and its message may use).
    show: tuple[FieldSpec, ...] = ()
    #: The rule's name in the reports (``name``); ``None``: the built-in name of its id, else its id.
    name: Text | None = None


@attrs.frozen
class QuotaDef:
    """A share of a population meeting a condition, per scope, against a target."""

    id: str
    family: str
    population: Parsed
    numerator: Parsed
    target: Fraction
    op: Literal[">=", "<="]
    scopes: tuple[str, ...]
    severity: Severity
    message: Text
    cite: str
    deadline: date | None = None
    #: ``official``: numerator / population, a share; ``unit``: numerator / units in the scope, an average.
    per: Literal["official", "unit"] = "official"
    #: The name of its metric in the reports (``name``); ``None``: the built-in name or words of the id.
    name: Text | None = None


@attrs.frozen
class Requirement:
    position: str
    where: Parsed | None = None


@attrs.frozen
class StaffingDef:
    """Required posts per unit: a vacancy finding per unit and a fill-rate metric per scope."""

    id: str
    family: str
    requires: tuple[Requirement, ...]
    severity: Severity
    message: Text
    cite: str
    metric: str
    scopes: tuple[str, ...]
    #: The name of its metric in the reports (``name``); ``None``: the built-in name or words of the id.
    name: Text | None = None


@attrs.frozen
class Override:
    """A pack's explicit precedence over another pack's rule, for the units the pack covers.

    ``action`` is ``waive`` (the rule does not apply there) or ``replace`` (this pack's rule ``by``
    applies instead). ``reason`` is mandatory and shown in reports.
    """

    pack: str
    rule: str
    action: Literal["waive", "replace"]
    reason: str
    by: str | None = None


@attrs.frozen
class Pack:
    """A validated policy pack, its expressions type-checked with its parameters applied."""

    id: str
    version: str
    title: Text
    effective_from: date | None
    effective_to: date | None
    sources: tuple[Source, ...]
    params: Mapping[str, object]
    key_positions: tuple[str, ...]
    rules: tuple[RuleDef, ...]
    quotas: tuple[QuotaDef, ...]
    staffing: tuple[StaffingDef, ...]
    sha256: str
    path: str | None = None
    description: Text | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    raw: bytes = attrs.field(default=b"", eq=False, repr=False)
    #: The districts (by name) and units (by code) the pack applies to; both empty: everywhere.
    scope_districts: tuple[str, ...] = ()
    scope_units: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    #: The name of the key-position set in use (``[key_positions] sets``/``set``); ``None``: plain ``codes``.
    key_set: str | None = None
    #: Ids of packs this one replaces from its ``effective_from`` on (``[pack] replaces``).
    replaces: tuple[str, ...] = ()
    #: The day its successor takes over (the next version of the same id, or a pack that replaces it),
    #: set when packs are registered together (:func:`cadre_rules.packs._succession.succeed`); ``None``: none.
    superseded_on: date | None = None
    #: ``id@version`` of that successor.
    successor: str | None = None
    #: The standards of its posts and the rules relating a candidate to a post (``cadre-rules match``).
    match: MatchSpec = attrs.field(factory=MatchSpec, eq=False, repr=False)

    @property
    def scoped(self) -> bool:
        return bool(self.scope_districts or self.scope_units)

    def covers(self, unit_code: str, district: str | None) -> bool:
        """Whether the pack applies to a unit."""
        if not self.scoped:
            return True
        return unit_code in self.scope_units or (district is not None and district in self.scope_districts)

    @property
    def ref(self) -> str:
        """``id@version``, as reports show it."""
        return f"{self.id}@{self.version}"

    def with_params(self, overrides: Mapping[str, object],
                    functions: Mapping[str, FunctionSpec] | None = None) -> Pack:
        """The same pack with parameters overridden (re-validated), keeping its registered scope."""
        pack = parse_pack(self.data, file=self.path or "<pack>", raw=self.raw, overrides=overrides,
                          functions=functions)
        return attrs.evolve(pack, scope_districts=tuple(sorted({*pack.scope_districts, *self.scope_districts})),
                            scope_units=tuple(sorted({*pack.scope_units, *self.scope_units})),
                            superseded_on=self.superseded_on, successor=self.successor)

    @property
    def rating_lookback_years(self) -> int | None:
        """How many years before the as-of year the latest rating may be and still be current: the
        parameter ``rating_lookback_years``; ``None`` (any year, SEMANTICS 10) when the pack does not
        declare it (docs/as-of.md §2)."""
        value = self.params.get(LOOKBACK_PARAM)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def retirement_ends_service(self) -> bool:
        """Whether officials past retirement age on the as-of date are not serving for this pack (its
        rules, quotas, tallies and posts): the parameter ``retirement_ends_service``, false when the pack
        does not declare it (SEMANTICS 26; docs/as-of.md §1)."""
        return self.params.get(SERVICE_PARAM) is True

    @property
    def families(self) -> frozenset[str]:
        """The families of the pack's rules, quotas and staffing."""
        return frozenset((*(r.family for r in self.rules), *(q.family for q in self.quotas),
                          *(s.family for s in self.staffing)))

    def in_effect(self, on: date) -> bool:
        """Whether the pack is in force on ``on``: within its effective period and not yet superseded."""
        if self.effective_from is not None and on < self.effective_from:
            return False
        if self.superseded_on is not None and on >= self.superseded_on:
            return False
        return not (self.effective_to is not None and on > self.effective_to)

    @property
    def metric_names(self) -> dict[str, dict[str, str]]:
        """The names the pack gives its metrics (a ``[[quota]]``'s or ``[[staffing]]``'s ``name``) as the report
        carries them (``PackRef.metrics``, the JSON report's ``packs[].metrics``): ``{"vi": "…", "en": "…"}`` by
        metric id in id order; a metric without one is not listed (the reports name it as before)."""
        named = {q.id: q.name for q in self.quotas if q.name is not None}
        named.update((s.metric, s.name) for s in self.staffing if s.name is not None)
        return {metric: {"vi": name.vi, "en": name.en} for metric, name in sorted(named.items())}

    @property
    def rule_names(self) -> dict[str, dict[str, str]]:
        """The names the pack gives its rules as the report carries them (``PackRef.rules``, the JSON report's
        ``packs[].rules``): a ``[[rule]]``'s ``name``, and a ``[[quota]]``'s (which names its metric too: they share
        the id), ``{"vi": "…", "en": "…"}`` by rule id in id order; a rule without one is not listed (the reports
        name it by its built-in name, else show its id)."""
        named = {r.id: r.name for r in self.rules if r.name is not None}
        named.update((q.id, q.name) for q in self.quotas if q.name is not None)
        return {rule: {"vi": name.vi, "en": name.en} for rule, name in sorted(named.items())}

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return (*(r.id for r in self.rules), *(q.id for q in self.quotas), *(s.id for s in self.staffing))


DEFAULT_KEY_POSITIONS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
                         "committee_chair", "committee_vice_chair", "front_chair")


class _Loader:
    def __init__(self, file: str, functions: Mapping[str, FunctionSpec]) -> None:
        self.file = file
        self.functions = functions
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str | Message | InvalidValue, value: object = None) -> None:
        self.problems.append(Problem.at(self.file, key, reason, value))

    def keys(self, table: Mapping[str, Any], key: str, required: Sequence[str], optional: Sequence[str]) -> bool:
        ok = True
        for name in required:
            if name not in table:
                self.problem(f"{key}.{name}" if key else name, N_("missing required key"))
                ok = False
        allowed = [*required, *optional]
        for name in table:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                self.problem(f"{key}.{name}" if key else name,
                             Message(N_("unknown key{hint}"), hint=_did_you_mean(close)))
                ok = False
        return ok

    def typed(self, table: Mapping[str, Any], key: str, name: str, kind: type | tuple[type, ...],
              default: Any = None) -> Any:
        if name not in table:
            return default
        value = table[name]
        kinds = _as_tuple(kind)
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in kinds) \
                or (isinstance(value, datetime) and datetime not in kinds):
            self.problem(f"{key}.{name}", Message(N_("expected {types}"), types=_either([t.__name__ for t in kinds])),
                         value)
            return default
        return value

    def text(self, table: Mapping[str, Any], key: str, name: str, required: bool = True) -> Text | None:
        """The text ``name`` of ``table``: one text for both languages, or ``{ vi = "…", en = "…" }``."""
        value = table.get(name)
        if value is None:
            if required:
                self.problem(f"{key}.{name}", N_("missing required key"))
            return None
        if isinstance(value, str):
            return Text(value, value)
        if isinstance(value, dict) and set(value) <= {"vi", "en"} and all(isinstance(v, str) for v in value.values()) \
                and value:
            vi = str(value.get("vi", value.get("en", "")))
            return Text(vi, str(value.get("en", vi)))
        self.problem(f"{key}.{name}", N_("expected a string or a table { vi = \"…\", en = \"…\" }"), value)
        return None

    def expr(self, key: str, text: object, subject: Subject, params: Mapping[str, object],
             key_positions: tuple[str, ...]) -> Parsed | None:
        if not isinstance(text, str):
            self.problem(key, N_("expected an expression string"), text)
            return None
        try:
            parsed = parse(text, subject=subject, functions=self.functions, params=params,
                           key_positions=key_positions)
        except ExpressionError as exc:
            self.problem(key, problem_reason(exc))
            return None
        return parsed if self.dnf(key, parsed) else None

    def dnf(self, key: str, *parts: Parsed | None) -> bool:
        """Whether the conjunction of ``parts`` (and its negation) has at most MAX_DNF_TERMS terms in DNF."""
        exprs = tuple(p.expr for p in parts if p is not None)
        if not exprs:
            return True
        conj = exprs[0] if len(exprs) == 1 else And(exprs)
        terms = max(dnf_terms(conj), dnf_terms(conj, negated=True))
        if terms <= MAX_DNF_TERMS:
            return True
        self.problem(key, Message(N_("the condition has {terms} terms in disjunctive normal form, more than the limit "
                                     "MAX_DNF_TERMS = {bound} (the rule engine expands it): split it into rules "
                                     "or use `in` with a list"), terms=Count(terms), bound=Count(MAX_DNF_TERMS)))
        return False

    def severity(self, table: Mapping[str, Any], key: str, default: str = "error") -> Severity:
        value = table.get("severity", default)
        if value not in SEVERITIES:
            self.problem(f"{key}.severity", _one_of(SEVERITIES), value)
            return "error"
        return value  # type: ignore[no-any-return]

    def template(self, key: str, text: Text | None, values: Mapping[str, Sample]) -> None:
        """Check a message template against the ``values`` it will be formatted with (:func:`samples_of`): every
        field it names is one of them, and each conversion and format spec formats a value of its kind, in the
        template's language, as the engine formats it (:class:`~cadre_rules.model._formats.Shown`)."""
        if text is None:
            return
        langs = (("vi", text.vi),) if text.vi == text.en else (("vi", text.vi), ("en", text.en))
        for lang, value in langs:
            try:
                fields = [(f, spec or "", conv) for _, f, spec, conv in string.Formatter().parse(value)
                          if f is not None]
            except ValueError as exc:
                self.problem(f"{key}.{lang}", Message(N_("bad message template: {reason}"), reason=verbatim(exc)),
                             value)
                continue
            for name, spec, conv in fields:
                widths = [int(n) for n in _SPEC_NUMBER.findall(spec)]
                if "{" in spec or any(w > MAX_FORMAT_WIDTH for w in widths):
                    reason = Message(N_("format spec {{{name}:{spec}}}: a width or precision above the limit "
                                        "MAX_FORMAT_WIDTH = {bound} (or a nested field)"),
                                     name=verbatim(name), spec=verbatim(spec), bound=Count(MAX_FORMAT_WIDTH))
                    self.problem(f"{key}.{lang}", reason, value)
                    continue
                if name not in values:
                    close = difflib.get_close_matches(name, sorted(values), n=1) or _reading(name, values)
                    self.problem(f"{key}.{lang}", Message(N_("unknown placeholder {{{name}}}{hint}"),
                                                          name=verbatim(name), hint=_did_you_mean(close)), value)
                    continue
                field = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
                if conv not in (None, "r", "s", "a"):
                    self.problem(f"{key}.{lang}", Message(N_("{field}: unknown conversion !{conversion} (a field "
                                                             "takes !r, !s, !a or none)"),
                                                          field=verbatim(field), conversion=verbatim(conv)), value)
                    continue
                what, examples = values[name]
                piece = "{0" + field[len(name) + 1:]
                for example in examples:
                    try:
                        piece.format(Shown(example, lang))
                    except (ValueError, TypeError, OverflowError):
                        self.problem(f"{key}.{lang}", Message(
                            N_("{field}: the format spec does not suit the value of {name}, {what}"),
                            field=verbatim(field), name=verbatim(name), what=Message(what)), value)
                        break


def message_key(pack: Pack, table: str, ident: str, lang: str) -> str:
    """Where the message of the ``table`` (``rule``, ``quota``, ``staffing``) ``ident`` is in the pack's file,
    named as the pack's load problems name it: ``rule[3] (replacement.head_relief).message.en``."""
    for i, entry in enumerate(pack.data.get(table, ())):
        if isinstance(entry, Mapping) and entry.get("id") == ident:
            return f"{table}[{i}] ({ident}).message.{lang}"
    return f"{table} ({ident}).message.{lang}"


#: What a placeholder of a message template holds when the engine formats it: how to name that to a pack
#: author, and values of that kind (all the Python types it may be: a number is an int when whole).
Sample = tuple[str, tuple[object, ...]]

TEXT_SAMPLE: Sample = (N_("text"), ("x",))
WHOLE_SAMPLE: Sample = (N_("a whole number"), (12,))
#: a share or average of a quota's finding (``value``, ``target``): always a float
SHARE_SAMPLE: Sample = (N_("a number with a decimal point"), (0.5, 1.0))
_FIELD_SAMPLES: dict[str, Sample] = {
    "bool": (N_("true or false"), (True,)),
    "int": WHOLE_SAMPLE,
    "number": (N_("a number, whole or not"), (12, 0.5)),
    # a finding's facts hold a date as its ISO text: a spec formats that text
    "date": (N_("a date, formatted as the text YYYY-MM-DD by a format spec (without one: as the reader writes "
                "dates)"), ("2024-06-30",)),
    "text": TEXT_SAMPLE,
    "code": TEXT_SAMPLE,  # (its label, in Vietnamese)
}


def field_sample(spec: FieldSpec) -> Sample:
    """What a field of the catalogue holds in a finding's facts, as a message formats it."""
    return _FIELD_SAMPLES[spec.type.kind]


def param_sample(value: object) -> Sample:
    """What a pack parameter holds in a message: its own value (a code as its label: text)."""
    if isinstance(value, bool):
        return (N_("true or false"), (value,))
    if isinstance(value, int):
        return (N_("a whole number"), (value,))
    if isinstance(value, Fraction):
        return (N_("a number"), (value,))
    if isinstance(value, date):
        return (N_("a date"), (value,))
    if isinstance(value, tuple):
        return (N_("a list of texts"), (value,))
    return (N_("text"), (value,))


_SPEC_NUMBER = re.compile(r"\d+")


def _reading(name: str, values: Mapping[str, Sample]) -> list[str]:
    """The placeholder of the call that reads ``name`` (``{extra_text('ethnicity')}`` for ``{ethnicity}``: a column
    of the input is a field of the message as the condition reads it), if the rule makes one."""
    return [f"{{{field}}}" for field in sorted(values) if f"('{name}')" in field or f'("{name}")' in field][:1]


def unknown_override_packs(pack: Pack, known: Sequence[str]) -> list[Problem]:
    """A problem per ``[[override]]`` of ``pack`` naming a pack id that none of ``known`` (the ids of the packs
    installed, and of those validated with it) is, located at the pack's file and key ``override[N].rule``, with the
    id it probably meant. (An override of a rule an evaluated pack lacks is a report's note: the rules of a pack
    change with its versions, its id does not.)"""
    return [Problem.of(pack.path or pack.ref, N_("no installed pack has the id {pack}{hint}"),
                       column=f"override[{i}].rule", value=f"{o.pack}/{o.rule}", pack=verbatim(repr(o.pack)),
                       hint=_did_you_mean(difflib.get_close_matches(o.pack, known, n=1)))
            for i, o in enumerate(pack.overrides) if o.pack not in known]


def _did_you_mean(close: Sequence[str]) -> Message | str:
    """``; did you mean 'x'?`` in the reader's language, or nothing without a close match."""
    return Message(N_("; did you mean {code}?"), code=verbatim(repr(close[0]))) if close else ""


def _one_of(values: Sequence[str]) -> Message:
    return Message(N_("expected one of {values}"), values=verbatim(", ".join(values)))


def _either(names: Sequence[str]) -> Message | str:
    """``a or b or c`` in the reader's language."""
    if len(names) == 1:
        return verbatim(names[0])
    # TRANSLATORS: alternatives, e.g. "expected str or int"
    return Message(N_("{first} or {second}"), first=_either(names[:-1]), second=verbatim(names[-1]))


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


#: a parameter written as a fraction in a TOML text, ``"2/3"``: the exact value a decimal cannot write
_FRACTION_TEXT = re.compile(r"[0-9]+/[1-9][0-9]*")


def _coerce_param(value: object) -> object | None:
    if isinstance(value, datetime):  # a TOML date-time: not a value the expression language has
        return None
    if isinstance(value, str) and _FRACTION_TEXT.fullmatch(value):
        return Fraction(value)
    if isinstance(value, bool | int | str | date | Fraction):
        return value
    if isinstance(value, float):
        return Fraction(str(value)) if math.isfinite(value) else None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def parse_override(current: object, text: str) -> object:
    """Parse the text of ``--param PACK.KEY=VALUE`` as the type of the parameter's current value."""
    if isinstance(current, bool):
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise InvalidValue(N_("expected true or false"))
    if isinstance(current, int):
        if not text.strip().lstrip("-").isdigit():
            raise InvalidValue(N_("expected a whole number"))
        return int(text)
    if isinstance(current, Fraction):
        try:
            return Fraction(text.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidValue(N_("expected a number written with a point or as a fraction (0.12, 3/25)")) from None
    if isinstance(current, date):
        return parse_date(text)
    if isinstance(current, tuple):
        return tuple(v.strip() for v in text.split(",") if v.strip())
    return text


def parse_pack(data: Mapping[str, Any], *, file: str = "<pack>", raw: bytes = b"",
               overrides: Mapping[str, object] | None = None,
               functions: Mapping[str, FunctionSpec] | None = None) -> Pack:
    """Validate a pack from its parsed TOML table; raise :class:`PackError` listing every problem."""
    if isinstance(data.get("pack"), str) and "case" in data:  # (the test cases beside a pack, given for it)
        raise PackError([Problem.of(file, N_("a file of test cases ([[case]]) of {pack}, not a pack: give the pack's "
                                             "file (run the cases with cadre-rules test)"),
                                    column="pack", pack=repr(data["pack"]))])
    loader = _Loader(file, functions or BUILTIN_FUNCTIONS)
    loader.keys(data, "", ["pack"], ["params", "key_positions", "rule", "quota", "staffing", "scope", "override",
                                      "post_standard", "match"])
    meta = data.get("pack", {})
    if not isinstance(meta, dict):
        loader.problem("pack", N_("expected a table"), meta)
        meta = {}
    loader.keys(meta, "pack", ["id", "version", "title"], ["effective", "sources", "description", "replaces"])
    pack_id = loader.typed(meta, "pack", "id", str, "")
    if pack_id and not set(pack_id) <= _ID_CHARS:
        loader.problem("pack.id", N_("use lowercase letters, digits, '.', '_' and '-'"), pack_id)
    version = loader.typed(meta, "pack", "version", str, "")
    title = loader.text(meta, "pack", "title", required=False) or Text("", "")  # (a missing one: keys says so)
    description = loader.text(meta, "pack", "description", required=False)
    eff = loader.typed(meta, "pack", "effective", dict, {})
    loader.keys(eff, "pack.effective", [], ["from", "to"])
    eff_from = loader.typed(eff, "pack.effective", "from", date)
    eff_to = loader.typed(eff, "pack.effective", "to", date)
    if eff_from and eff_to and eff_to < eff_from:
        loader.problem("pack.effective.to", N_("ends before it begins"), eff_to.isoformat())
    replaces: list[str] = []
    for i, other in enumerate(loader.typed(meta, "pack", "replaces", list, [])):
        if not isinstance(other, str) or not other or not set(other) <= _ID_CHARS:
            loader.problem(f"pack.replaces[{i}]", N_("expected a pack id"), other)
        elif other == pack_id:
            loader.problem(f"pack.replaces[{i}]",
                           N_("a pack does not replace itself (its versions succeed each other)"), other)
        else:
            replaces.append(other)
    sources: list[Source] = []
    for i, src in enumerate(loader.typed(meta, "pack", "sources", list, [])):
        key = f"pack.sources[{i}]"
        if not isinstance(src, dict):
            loader.problem(key, N_("expected a table"), src)
            continue
        if loader.keys(src, key, ["id", "title"], ["url"]):
            sources.append(Source(str(src["id"]), str(src["title"]), src.get("url")))

    params: dict[str, object] = {}
    for name, value in loader.typed(data, "", "params", dict, {}).items():
        coerced = _coerce_param(value)
        if coerced is None:
            loader.problem(f"params.{name}", N_("expected a number, string, boolean, date or list of strings"), value)
        else:
            params[name] = coerced
    for name, text in (overrides or {}).items():
        if name not in params:
            close = difflib.get_close_matches(name, list(params), n=1)
            # TRANSLATORS: {option} how the override was given: --param (the command line), param (the service) or
            # params (the Python API)
            loader.problem(f"params.{name}", Message(N_("{option} names no parameter of pack {pack}{hint}"),
                                                     option=PARAMS, pack=verbatim(repr(pack_id)),
                                                     hint=_did_you_mean(close)))
            continue
        try:
            params[name] = parse_override(params[name], str(text)) if isinstance(text, str) else text
        except (ValueError, ZeroDivisionError) as exc:
            shown = exc if isinstance(exc, InvalidValue) else verbatim(exc)  # Python's words stay as they are
            # TRANSLATORS: {option} --param (the command line), param (the service) or params (the Python API)
            loader.problem(f"params.{name}", Message(N_("bad {option} value: {reason}"), option=PARAMS,
                                                     reason=shown), text)

    lookback = params.get(LOOKBACK_PARAM)
    if lookback is not None and (isinstance(lookback, bool) or not isinstance(lookback, int) or lookback < 0):
        loader.problem(f"params.{LOOKBACK_PARAM}", N_("expected a whole number of years (0 or more)"), lookback)
    service = params.get(SERVICE_PARAM)
    if service is not None and not isinstance(service, bool):
        loader.problem(f"params.{SERVICE_PARAM}", N_("expected true or false"), service)

    kp = loader.typed(data, "", "key_positions", dict, {})
    loader.keys(kp, "key_positions", [], ["codes", "sets", "set"])
    key_set, codes_key, codes = _key_set(loader, kp, params)
    key_positions: list[str] = []
    for i, code in enumerate(codes):
        try:
            key_positions.append(POSITION.parse(str(code)))
        except ValueError as exc:
            loader.problem(f"{codes_key}[{i}]", reason_of(exc), code)
    keys = tuple(key_positions)

    seen: dict[str, str] = {}

    def check_id(key: str, table: Mapping[str, Any]) -> str:
        rid = table.get("id")
        if not isinstance(rid, str) or not rid or not set(rid) <= _ID_CHARS:
            loader.problem(f"{key}.id", N_("expected an id of lowercase letters, digits, '.', '_', '-'"), rid)
            return ""
        if rid in seen:
            loader.problem(f"{key}.id", Message(N_("duplicate rule id (also {other})"), other=Column(seen[rid])), rid)
        seen[rid] = key
        return rid

    def family(key: str, table: Mapping[str, Any], default: str | None = None) -> str:
        fam = table.get("family", default)
        if fam not in FAMILIES:
            loader.problem(f"{key}.family", _one_of(FAMILIES), fam)
            return "qualification"
        return str(fam)

    named: dict[str, tuple[str, Text]] = {}  # metric id → (where it is named, its name)

    def given_name(key: str, table: Mapping[str, Any], empty: str) -> Text | None:
        """The ``name`` of ``table``: text in both languages, not empty (``empty``: the problem if it is)."""
        name = loader.text(table, key, "name", required=False)
        if name is not None and (not name.vi.strip() or not name.en.strip()):
            loader.problem(f"{key}.name", empty, table["name"])
            return None
        placeholder = None if name is None else _PLACEHOLDER.search(f"{name.vi} {name.en}")
        if placeholder is not None:  # (the reports show a name as written: "under {chair_max_age}")
            loader.problem(f"{key}.name", Message(N_("a name is shown as it is written: {placeholder} is never filled "
                                                     "in (only a message fills in values); write it in words"),
                                                  placeholder=verbatim(placeholder.group())), table["name"])
            return None
        return name

    def metric_name(key: str, table: Mapping[str, Any], metric_id: str) -> Text | None:
        """The ``name`` of the metric ``metric_id`` that ``table`` makes (a ``[[quota]]`` or ``[[staffing]]``):
        text in both languages; a metric named twice is named alike."""
        name = given_name(key, table, N_("the metric's name is empty"))
        if name is None:
            return None
        if metric_id in named and named[metric_id][1] != name:
            loader.problem(f"{key}.name", Message(N_("metric {metric} is named otherwise in {other}"),
                                                  metric=verbatim(repr(metric_id)), other=Column(named[metric_id][0])),
                           table["name"])
        named.setdefault(metric_id, (f"{key}.name", name))
        return name

    rules: list[RuleDef] = []
    for i, table in enumerate(loader.typed(data, "", "rule", list, [])):
        key = f"rule[{i}]"
        if not isinstance(table, dict):
            loader.problem(key, N_("expected a table"), table)
            continue
        rid = check_id(key, table)
        key = f"rule[{i}] ({rid})" if rid else key
        loader.keys(table, key, ["id", "family", "when", "message", "cite"],
                    ["subject", "where", "severity", "escalate", "unless_family", "gap", "show", "name"])
        before = len(loader.problems)
        subject = table.get("subject", "official")
        if subject not in ("official", "unit"):
            loader.problem(f"{key}.subject", N_("expected 'official' or 'unit'"), subject)
            subject = "official"
        where = loader.expr(f"{key}.where", table["where"], subject, params, keys) if "where" in table else None
        when = loader.expr(f"{key}.when", table.get("when"), subject, params, keys) if "when" in table else None
        gap = loader.expr(f"{key}.gap", table["gap"], subject, params, keys) if "gap" in table else None
        if where is not None and when is not None and not loader.dnf(f"{key}.when", where, when):
            when = None
        escalate: list[Escalation] = []
        for j, esc in enumerate(loader.typed(table, key, "escalate", list, [])):
            ekey = f"{key}.escalate[{j}]"
            if not isinstance(esc, dict) or not loader.keys(esc, ekey, ["when", "severity"], []):
                continue
            parsed = loader.expr(f"{ekey}.when", esc["when"], subject, params, keys)
            if parsed is not None and loader.dnf(ekey, where, when, parsed):
                escalate.append(Escalation(parsed, loader.severity(esc, ekey)))
        unless = loader.typed(table, key, "unless_family", list, [])
        for fam in unless:
            if fam not in FAMILIES:
                loader.problem(f"{key}.unless_family", Message(N_("expected families among {values}"),
                                                               values=verbatim(", ".join(FAMILIES))), fam)
        show: list[FieldSpec] = []
        for j, name in enumerate(loader.typed(table, key, "show", list, [])):
            try:
                show.append(parse_field(str(name), subject=subject, functions=loader.functions, params=params,
                                        key_positions=keys))
            except ExpressionError as exc:
                loader.problem(f"{key}.show[{j}]", problem_reason(exc), name)
        message = loader.text(table, key, "message")
        # what the engine formats a rule's message with: the parameters, the facts (the fields of its conditions
        # and those it shows), the subject's id
        values = {name: param_sample(value) for name, value in params.items()}
        for p in (where, when, *(e.when for e in escalate)):
            if p is not None:
                values.update((f.name, field_sample(f)) for f in fields_of(p.expr))
        values.update((f.name, field_sample(f)) for f in show)
        values["id"] = TEXT_SAMPLE
        if not any(p.column and p.column.startswith(f"{key}.") and p.column.split(".")[-1] in ("where", "when")
                   for p in loader.problems[before:]):
            loader.template(f"{key}.message", message, values)
        cite = loader.typed(table, key, "cite", str, "")
        name = given_name(key, table, N_("the rule's name is empty"))
        if when is not None and message is not None:
            rules.append(RuleDef(rid, family(key, table), subject, where, when, loader.severity(table, key),
                                 message, cite, tuple(escalate), tuple(str(u) for u in unless), gap,
                                 tuple(show), name))

    quotas: list[QuotaDef] = []
    for i, table in enumerate(loader.typed(data, "", "quota", list, [])):
        key = f"quota[{i}]"
        if not isinstance(table, dict):
            loader.problem(key, N_("expected a table"), table)
            continue
        qid = check_id(key, table)
        key = f"quota[{i}] ({qid})" if qid else key
        loader.keys(table, key, ["id", "numerator", "message", "cite"],
                    ["family", "population", "min_share", "max_share", "scopes", "severity", "deadline", "per",
                     "min_average", "max_average", "name"])
        population = loader.expr(f"{key}.population", table.get("population", "is_key"), "official", params, keys)
        numerator = loader.expr(f"{key}.numerator", table.get("numerator"), "official", params, keys)
        per = table.get("per", "official")
        if per not in ("official", "unit"):
            loader.problem(f"{key}.per", N_("expected 'official' (a share of the population) or 'unit' (an average "
                                            "per unit in the scope)"), per)
            per = "official"
        # per official: a share of the population; per unit: the numerator's count per unit of the scope
        names = ("min_share", "max_share") if per == "official" else ("min_average", "max_average")
        bounds = [b for b in ("min_share", "max_share", "min_average", "max_average") if b in table]
        target = Fraction(0)
        op: Literal[">=", "<="] = ">="
        if len(bounds) != 1 or bounds[0] not in names:
            loader.problem(key, Message(N_("give exactly one of {first} or {second}{per}"),
                                        first=verbatim(names[0]), second=verbatim(names[1]),
                                        per=verbatim(" (per = 'unit')" if per == "unit" else "")))
        else:
            raw_target = table[bounds[0]]
            if isinstance(raw_target, str):
                raw_target = params.get(raw_target, raw_target)
            value = _coerce_param(raw_target)
            if not isinstance(value, (int, Fraction)) or isinstance(value, bool) or value < 0 \
                    or (per == "official" and value > 1):
                loader.problem(f"{key}.{bounds[0]}", N_("expected a share between 0 and 1 (or a parameter name)")
                               if per == "official" else N_("expected a number ≥ 0 (or a parameter name)"), raw_target)
            else:
                target = Fraction(value)
            op = ">=" if bounds[0].startswith("min_") else "<="
        scopes = _scopes(loader, table, key, ("city", "district"))
        deadline = loader.typed(table, key, "deadline", date)
        message = loader.text(table, key, "message")
        # a quota's finding: the parameters, its facts (``needed`` for a minimum, ``excess`` for a maximum), the scope
        loader.template(f"{key}.message", message, {
            **{name: param_sample(value) for name, value in params.items()},
            "numerator": WHOLE_SAMPLE, "denominator": WHOLE_SAMPLE, "value": SHARE_SAMPLE, "target": SHARE_SAMPLE,
            ("needed" if op == ">=" else "excess"): WHOLE_SAMPLE, "scope": TEXT_SAMPLE})
        name = metric_name(key, table, qid)
        if population and numerator and message:
            quotas.append(QuotaDef(qid, family(key, table, "quota"), population, numerator, target, op, scopes,
                                   loader.severity(table, key, "warning"), message,
                                   loader.typed(table, key, "cite", str, ""), deadline, per, name))

    staffing: list[StaffingDef] = []
    for i, table in enumerate(loader.typed(data, "", "staffing", list, [])):
        key = f"staffing[{i}]"
        if not isinstance(table, dict):
            loader.problem(key, N_("expected a table"), table)
            continue
        sid = check_id(key, table)
        key = f"staffing[{i}] ({sid})" if sid else key
        loader.keys(table, key, ["id", "require", "message", "cite"],
                    ["family", "severity", "metric", "scopes", "name"])
        requires: list[Requirement] = []
        listed: list[Any] = []
        listing = params.get(table["require"]) if isinstance(table.get("require"), str) else None
        if table.get("require") == "key_positions":  # one of each key post of the pack (its chosen set)
            requires.extend(Requirement(code) for code in keys)
        elif isinstance(listing, tuple):  # the posts a parameter lists (hanoi-de-an-34's vacancy_posts)
            requires.extend(_listed_posts(loader, f"params.{table['require']}", listing, params, keys))
        elif isinstance(table.get("require"), str):
            loader.problem(f"{key}.require", N_("expected a list of { position = … } tables, \"key_positions\" or "
                                                "the name of a parameter listing position codes"), table["require"])
        else:
            listed = loader.typed(table, key, "require", list, [])
        for j, req in enumerate(listed):
            rkey = f"{key}.require[{j}]"
            if not isinstance(req, dict) or not loader.keys(req, rkey, ["position"], ["where"]):
                continue
            try:
                position = POSITION.parse(str(req["position"]))
            except ValueError as exc:
                loader.problem(f"{rkey}.position", reason_of(exc), req["position"])
                continue
            rwhere = loader.expr(f"{rkey}.where", req["where"], "unit", params, keys) if "where" in req else None
            requires.append(Requirement(position, rwhere))
        metric = loader.typed(table, key, "metric", str, "staffing.fill_rate")
        scopes = _scopes(loader, table, key, SCOPES)
        message = loader.text(table, key, "message")
        loader.template(f"{key}.message", message, {
            **{name: param_sample(value) for name, value in params.items()},
            "vacant": TEXT_SAMPLE, "filled": WHOLE_SAMPLE, "required": WHOLE_SAMPLE, "unit": TEXT_SAMPLE})
        staffing.append(StaffingDef(sid, family(key, table, "staffing"), tuple(requires),
                                    loader.severity(table, key), message or Text("", ""),
                                    loader.typed(table, key, "cite", str, ""), metric, scopes,
                                    metric_name(key, table, metric)))

    scope = loader.typed(data, "", "scope", dict, {})
    for name in _COMMUNE_WORDS.intersection(scope):  # since 2025-07-01 a pack belongs to communes: their codes
        loader.problem(f"scope.{name}", N_("unknown key: communes and wards are written by their codes, "
                                           "units = [\"00025\", …]"))
    loader.keys({k: v for k, v in scope.items() if k not in _COMMUNE_WORDS}, "scope", [], ["districts", "units"])
    scope_districts = _scope_names(loader, scope, "districts")
    scope_units = _scope_names(loader, scope, "units")
    for name in ("units", "districts"):
        if scope.get(name) == [] and not scope_districts and not scope_units:  # (a ward's pack for every unit)
            loader.problem(f"scope.{name}", N_("an empty list: the pack would apply to every unit of the input; "
                                               "list the codes of the units it is for (units = [\"00008\"]), or "
                                               "remove [scope] from a city's pack"), [])
            break
    pack_overrides: list[Override] = []
    for i, table in enumerate(loader.typed(data, "", "override", list, [])):
        key = f"override[{i}]"
        if not isinstance(table, dict) or not loader.keys(table, key, ["rule", "action", "reason"], ["by"]):
            continue
        target_pack, slash, rule_id = str(table["rule"]).partition("/")
        action = table["action"]
        if not slash or not target_pack or not rule_id:
            loader.problem(f"{key}.rule", N_("expected 'PACK-ID/RULE-ID'"), table["rule"])
        if action not in ("waive", "replace"):
            loader.problem(f"{key}.action", N_("expected 'waive' or 'replace'"), action)
        if not str(table["reason"]).strip():
            loader.problem(f"{key}.reason", N_("a written reason is required"))
        by = table.get("by")
        if action == "replace" and by not in seen:
            loader.problem(f"{key}.by", N_("name the rule of this pack that replaces it"), by)
        if target_pack == pack_id:
            loader.problem(f"{key}.rule", N_("a pack cannot override its own rules"), table["rule"])
        pack_overrides.append(Override(target_pack, rule_id, action, str(table["reason"]), by))
    if pack_overrides and not (scope_districts or scope_units):
        loader.problem("override", N_("overrides need a [scope] (the districts or units where they apply)"))

    match, problems = parse_match(data, keys, file=file, params=params)  # who fits a post to fill (docs/match.md)
    loader.problems.extend(problems)

    if loader.problems:
        raise PackError(loader.problems)
    digest = hashlib.sha256(raw if raw else json.dumps(data, sort_keys=True, default=str).encode())
    if overrides:
        digest.update(json.dumps({k: str(v) for k, v in sorted(overrides.items())}).encode())
    return Pack(pack_id, version, title, eff_from, eff_to, tuple(sources), params, keys, tuple(rules),
                tuple(quotas), tuple(staffing), digest.hexdigest(), file, description, data, raw,
                scope_districts, scope_units, tuple(pack_overrides), key_set=key_set, replaces=tuple(replaces),
                match=match)


def _listed_posts(loader: _Loader, key: str, listed: tuple[str, ...], params: Mapping[str, object],
                  keys: tuple[str, ...]) -> list[Requirement]:
    """The posts a staffing rule requires, listed by a parameter (``require = "NAME"``): a position code each, or
    one post that any of several posts fills, written ``a|b`` (a Phó Bí thư, standing or not: ``a`` is required
    where no holder of ``b`` is recorded, ``b`` where one is; so the post counts once, vacant as ``a``). In a pack
    with key posts (``keys``, its chosen set) an entry none of whose posts is a key post is not required: the key
    set a city chooses (``key_set = "core3"``) is the posts its vacancy rule counts, as the quotas do."""
    if not listed:
        loader.problem(key, N_("expected a non-empty list of position codes"), [])
    out: list[Requirement] = []
    for i, entry in enumerate(listed):
        alternatives: list[str] = []
        for text in entry.split("|"):
            try:
                alternatives.append(POSITION.parse(text.strip()))
            except ValueError as exc:
                loader.problem(f"{key}[{i}]", reason_of(exc), text.strip())  # (the part of "a|b" refused)
        if len(alternatives) != len(entry.split("|")) or (keys and not set(alternatives) & set(keys)):
            continue
        first, others = alternatives[0], alternatives[1:]
        none_before: list[str] = []
        for other in others:
            held = f"holders('{other}') >= 1"
            out.append(Requirement(other, loader.expr(f"{key}[{i}]", " and ".join([*none_before, held]), "unit",
                                                      params, keys)))
            none_before.append(f"holders('{other}') == 0")
        out.append(Requirement(first, None if not none_before else loader.expr(
            f"{key}[{i}]", " and ".join(none_before), "unit", params, keys)))
    return out


def _key_set(loader: _Loader, kp: Mapping[str, Any], params: Mapping[str, object]) -> tuple[str | None, str, list[Any]]:
    """The key posts: ``codes``, or one of the named ``sets`` chosen by ``set`` (a parameter name or a set name).

    Returns the chosen set's name (``None`` for plain ``codes``), its key for messages, and its codes.
    """
    sets = loader.typed(kp, "key_positions", "sets", dict, {})
    if not sets:
        if "set" in kp:
            loader.problem("key_positions.set", N_("names one of key_positions.sets, and there are none"), kp["set"])
        return None, "key_positions.codes", loader.typed(kp, "key_positions", "codes", list,
                                                         list(DEFAULT_KEY_POSITIONS))
    if "codes" in kp:
        loader.problem("key_positions.codes", N_("give either codes or sets (with set), not both"))
    chooser = loader.typed(kp, "key_positions", "set", str, "")
    name = params.get(chooser, chooser)
    where = f"params.{chooser}" if chooser in params else "key_positions.set"
    if not isinstance(name, str) or name not in sets:
        loader.problem(where, Message(N_("expected one of the key position sets: {values}"),
                                      values=verbatim(", ".join(sets))), name)
        return None, "key_positions.sets", []
    codes = sets[name]
    if not isinstance(codes, list) or not codes:
        loader.problem(f"key_positions.sets.{name}", N_("expected a non-empty list of position codes"), codes)
        return name, f"key_positions.sets.{name}", []
    for other, listed in sets.items():  # every set is checked, not only the chosen one
        if other != name and isinstance(listed, list):
            for i, code in enumerate(listed):
                if str(code) not in POSITION.codes:
                    try:
                        POSITION.parse(str(code))
                    except ValueError as exc:
                        loader.problem(f"key_positions.sets.{other}[{i}]", reason_of(exc), code)
    return name, f"key_positions.sets.{name}", codes


#: Keys an author may write in ``[scope]`` for communes (written ``units``, by code).
_COMMUNE_WORDS = frozenset({"commune", "communes", "ward", "wards"})


def _scope_names(loader: _Loader, scope: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """The districts' names or units' codes of ``[scope]``, NFC as the input readers normalise them; each is text
    (a code written as a number, ``25``, would never match the units file's ``"00025"``)."""
    names = []
    for i, value in enumerate(loader.typed(scope, "scope", name, list, [])):
        if isinstance(value, str):
            names.append(unicodedata.normalize("NFC", value))
        else:
            loader.problem(f"scope.{name}[{i}]", N_("expected text in quotes, as the units file writes it "
                                                     "(\"00025\", \"Huyện Ba Vì\")"), value)
    return tuple(names)


def _scopes(loader: _Loader, table: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    scopes = loader.typed(table, key, "scopes", list, list(default))
    for scope in scopes:
        if scope not in SCOPES:
            loader.problem(f"{key}.scopes", Message(N_("expected scopes among {values}"),
                                                    values=verbatim(", ".join(SCOPES))), scope)
    return tuple(s for s in SCOPES if s in scopes)


def load_pack(path: str | Path, *, overrides: Mapping[str, object] | None = None,
              functions: Mapping[str, FunctionSpec] | None = None) -> Pack:
    """Load and validate a ``.toml`` policy pack; raise :class:`PackError` on any problem (an
    :class:`InputError` for an argument of the wrong type)."""
    refuse(a_path("path", path), a_mapping("overrides", overrides, _NOT_OVERRIDES),
           a_mapping("functions", functions, _NOT_FUNCTIONS))
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PackError([Problem.of(file, N_("cannot read the pack: {reason}"),
                                    reason=os_reason(exc))]) from None
    key = _parsed_key(file, raw, overrides, functions)
    if key is not None and key in _PARSED:
        return _PARSED[key]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError([Problem.of(file, N_("not UTF-8 text"))]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError([Problem.of(file, N_("invalid TOML: {reason}"), reason=toml_reason(exc))]) from None
    except RecursionError:
        raise PackError([Problem.of(file, N_("invalid TOML: {reason}"), reason=N_("nested too deeply"))]) from None
    except ValueError as exc:  # an integer longer than Python converts (sys.get_int_max_str_digits())
        raise PackError([Problem.of(file, N_("invalid TOML: {reason}"), reason=str(exc))]) from None
    pack = parse_pack(data, file=file, raw=raw, overrides=overrides, functions=functions)
    if key is not None:
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = pack
    return pack


#: The packs :func:`load_pack` parsed in this process, by what makes one: the file's name and bytes and the
#: functions its expressions may call, each with the callables it holds (a :class:`FunctionSpec` compares without
#: them). A pack is frozen, so every engine of the process shares it: an ``Engine()`` reads the packs' files but
#: parses only a file that changed (the service makes an engine per job; the tests thousands).
_PARSED: dict[tuple[object, ...], Pack] = {}
_MAX_PARSED = 128


def _parsed_key(file: str, raw: bytes, overrides: Mapping[str, object] | None,
                functions: Mapping[str, FunctionSpec] | None) -> tuple[object, ...] | None:
    """The key of a pack in :data:`_PARSED`; ``None`` (not kept) with parameter overrides, or a function whose
    callables cannot be keyed."""
    if overrides:
        return None
    specs = tuple((name, spec, spec.impl, spec.column, spec.from_reads)
                  for name, spec in sorted((functions or {}).items()))
    try:
        hash(specs)
    except TypeError:
        return None
    return (file, raw, specs)


_NOT_OVERRIDES = N_("expected a mapping of parameter name to value, or None, not a value of type {type}")
_NOT_FUNCTIONS = N_("expected a mapping of function name to its specification, or None, not a value of type {type}")
