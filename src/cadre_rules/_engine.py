"""The engine: packs in, officials and units evaluated as of a date, a report out."""

from __future__ import annotations

import gc
import hashlib
import math
import operator
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any
from typing import Literal

from ._backend import Backend
from ._backend import Deadline
from ._backend import Session
from ._catalogue import FieldSpec
from ._catalogue import FunctionSpec
from ._codes import POSITION
from ._context import Calendar
from ._context import OfficialContext
from ._context import UnitContext
from ._explain import explain_quota
from ._explain import explain_rule
from ._explain import explain_staffing
from ._expr import evaluate
from ._expr import fields_of
from ._i18n import label
from ._i18n import translation
from ._model import SEVERITIES
from ._model import Deferred
from ._model import Finding
from ._model import Metric
from ._model import Official
from ._model import PackRef
from ._model import Report
from ._model import Severity
from ._model import Suppressed
from ._model import Unit
from ._packs import Pack
from ._packs import RuleDef
from ._plugins import PluginSet
from ._plugins import load_plugins
from ._program import OfficialRule
from ._program import Program
from ._program import compile_pack
from ._reference import ReferenceBackend
from ._registry import resolve_pack
from ._report import JSONValue
from ._rows import values_function
from ._types import Natural
from .errors import EvaluationError
from .errors import InputError
from .errors import PackError
from .errors import PluginError
from .errors import Problem

__all__ = ["Engine"]

BackendName = Literal["auto", "durable", "reference"]
_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info < warning < error
SEVERITY_BY_RANK: dict[int, Severity] = {i: s for s, i in _RANK.items()}
_SCOPE_ORDER = {"city": 0, "district": 1, "unit": 2}


def make_backend(name: BackendName) -> Backend:
    """The backend called ``name``; ``auto`` is durable-rules where installed, else the reference."""
    if name == "reference":
        return ReferenceBackend()
    from . import _durable  # noqa: PLC0415 - durable-rules is imported only when asked for

    if name == "auto" and not _durable.AVAILABLE:
        return ReferenceBackend()
    return _durable.DurableBackend()


def _split_params(params: Mapping[str, object]) -> dict[str, dict[str, object]]:
    by_pack: dict[str, dict[str, object]] = defaultdict(dict)
    problems = []
    for key, value in params.items():
        pack_id, dot, name = key.rpartition(".")
        if not dot or not pack_id or not name:
            problems.append(Problem("--param", "expected PACK.KEY=VALUE", column=key, value=str(value)))
            continue
        by_pack[pack_id][name] = value
    if problems:
        raise PackError(problems)
    return dict(by_pack)


class _Formatter(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def _format(template: str, values: Mapping[str, object]) -> str:
    return _format_map(template, _Formatter(values))


def _format_map(template: str, lookup: _Formatter) -> str:
    try:
        return template.format_map(lookup)
    except (ValueError, TypeError, IndexError, AttributeError):
        return template


class Engine:
    """Evaluates officials and units against policy packs.

    :param packs: built-in pack ids, paths to ``.toml`` packs, or :class:`Pack` objects. ``None``
        applies every available pack in effect on the as-of date.
    :param params: parameter overrides, ``{"pack-id.key": value}`` (values may be strings).
    :param backend: ``"durable"`` (durable-rules), ``"reference"`` (pure Python) or ``"auto"``.
    :param city: the name of the city scope in metrics and findings.
    :param lang: ``"vi"`` or ``"en"``, the language of finding messages.
    :param timeout: the time bound of one evaluation in seconds (``None``: unbounded).

    Packs are loaded and validated here: a bad pack raises :class:`~cadre_rules.PackError`.
    """

    def __init__(self, packs: Sequence[str | Path | Pack] | None = None, *,
                 params: Mapping[str, object] | None = None, backend: BackendName = "auto",
                 city: str = "Hà Nội", lang: str = "vi", timeout: float | None = 3600.0,
                 plugins: bool | Sequence[object] = True, strict_plugins: bool = False) -> None:
        extra = () if isinstance(plugins, bool) else tuple(plugins)
        self.strict_plugins = strict_plugins
        self.plugins: PluginSet = load_plugins(entry_points=plugins is True, extra=extra, strict=strict_plugins)
        self.functions: Mapping[str, FunctionSpec] = self.plugins.functions
        self.available: dict[str, Pack] = {k: v.pack for k, v in sorted(self.plugins.packs.items())}
        self.named = packs is not None
        chosen = [resolve_pack(p, self.available, self.functions) for p in (packs or [])] if packs is not None \
            else list(self.available.values())
        overrides = _split_params(params or {})
        known = {p.id for p in chosen}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise PackError([Problem("--param", f"no pack {u!r} among the packs evaluated "
                                     f"({', '.join(sorted(known)) or 'none'})", column=u) for u in unknown])
        seen: set[str] = set()
        problems: list[Problem] = []
        resolved: list[Pack] = []
        for pack in chosen:
            if pack.id in seen:
                problems.append(Problem(pack.path or pack.id, f"pack {pack.id!r} named twice", column="pack.id"))
                continue
            seen.add(pack.id)
            resolved.append(pack.with_params(overrides[pack.id], self.functions) if pack.id in overrides else pack)
        if problems:
            raise PackError(problems)
        self.packs: tuple[Pack, ...] = tuple(resolved)
        self._programs = {p.id: compile_pack(p) for p in self.packs}
        self.backend: Backend = make_backend(backend)
        # A pack the chosen backend cannot evaluate: an error when the backend was asked for by name,
        # else (auto) the reference backend evaluates that pack, with a note.
        self._fallbacks: dict[str, str] = {}
        for pack_id, program in self._programs.items():
            reason = self.backend.supports(program)
            if reason is None:
                continue
            if backend != "auto":
                raise EvaluationError(f"{reason}; use --backend reference (or auto)")
            self._fallbacks[pack_id] = reason
        self.city = city
        self.lang = lang
        self.timeout = timeout

    def read(self, officials: Path, units: Path) -> tuple[tuple[Official, ...], tuple[Unit, ...]]:
        """Read officials and units files with the readers of the engine's plugins (by extension)."""
        unit_reader = self._reader(units, "units")
        official_reader = self._reader(officials, "officials")
        unit_records = tuple(unit_reader(units))
        by_code = {u.code: u for u in unit_records}
        return tuple(official_reader(officials, units=by_code)), unit_records

    def _reader(self, path: Path, kind: str) -> Callable[..., Sequence[Any]]:
        extension = path.suffix.lstrip(".").lower()
        reader = self.plugins.readers.get(extension)
        function = getattr(reader, kind) if reader is not None else None
        if function is None:
            known = ", ".join(sorted(k for k, r in self.plugins.readers.items() if getattr(r, kind) is not None))
            raise InputError([Problem(str(path), f"no reader for .{extension} {kind} files (readers: {known})")])
        return function  # type: ignore[no-any-return]

    def packs_for(self, as_of: date) -> tuple[list[Pack], list[str]]:
        """The packs that apply on ``as_of`` and the notes about them."""
        notes: list[str] = []
        _ = translation(self.lang).gettext
        if self.named:
            for p in self.packs:
                if not p.in_effect(as_of):
                    period = f"{p.effective_from or '…'} – {p.effective_to or '…'}"
                    notes.append(_("pack {ref} is not in effect on {date} (effective {period}); "
                                   "applied because it was named").format(ref=p.ref, date=as_of.isoformat(),
                                                                          period=period))
            return list(self.packs), notes
        packs = [p for p in self.packs if p.in_effect(as_of)]
        if not packs:
            notes.append(_("no pack is in effect on {date}; name packs with --pack to apply them")
                         .format(date=as_of.isoformat()))
        return packs, notes

    def evaluate(self, officials: Iterable[Official], units: Iterable[Unit], as_of: date | None = None, *,
                 input_sha256: str | None = None, progress: Callable[[int], None] | None = None) -> Report:
        """Evaluate ``officials`` and ``units`` as of ``as_of`` (default: today).

        ``progress``, if given, is called about every 1,000 officials with the number done so far (out
        of ``len(officials)``; the packs evaluated in turn share that count), and once at the end.

        Raises :class:`~cadre_rules.InputError` for duplicate ids or unknown unit codes, and
        :class:`~cadre_rules.EvaluationError` if the backend fails or the time bound is exceeded.

        The cyclic garbage collector is paused while evaluating: the evaluation allocates many small
        acyclic objects, and collections scanning the input again and again cost a quarter of the time.
        """
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._evaluate(officials, units, as_of, input_sha256, progress)
        finally:
            if paused:
                gc.enable()

    def _evaluate(self, officials: Iterable[Official], units: Iterable[Unit], as_of: date | None,
                  input_sha256: str | None, progress: Callable[[int], None] | None) -> Report:
        as_of = as_of or date.today()
        officials = tuple(officials)
        units = tuple(units)
        unit_map = _index_units(units)
        contexts = _contexts(officials, unit_map, as_of)
        if self.plugins.has_enrichers():
            extras = self.plugins.enrich(officials, as_of)
            if self.strict_plugins and self.plugins.problems:
                raise PluginError(", ".join(sorted(self.plugins.problems)), "; ".join(self.plugins.notes()))
            for ctx in contexts:
                ctx.extra = extras.get(ctx.official.id, {})
        packs, notes = self.packs_for(as_of)
        _ = translation(self.lang).gettext
        notes = [*(_("plugin {name!r} disabled: {reason}").format(name=name, reason=reason)
                   for name, reason in sorted(self.plugins.problems.items())), *notes]
        deadline = Deadline(self.timeout)
        findings: list[Finding] = []
        metrics: list[Metric] = []
        unless: dict[tuple[str, str], tuple[str, ...]] = {}
        for index, pack in enumerate(packs):
            program = self._programs[pack.id]
            pack_units = units
            pack_contexts = contexts
            if pack.scoped:
                pack_units = tuple(u for u in units if pack.covers(u.code, u.district))
                pack_contexts = [c for c in contexts if pack.covers(c.unit.code, c.unit.district)]
                if not pack_units:
                    notes.append(_scope_note(pack, self.lang))
            backend = self.backend
            if pack.id in self._fallbacks:
                backend = ReferenceBackend()
                notes.append(_("pack {ref} evaluated by the reference backend: {reason}")
                             .format(ref=pack.ref, reason=self._fallbacks[pack.id]))
            with backend.session(program, deadline) as session:
                run = _Run(program, session, self.lang, self.city, as_of)
                run.officials(pack_contexts, _pack_progress(progress, len(officials), index, len(packs)))
                run.units(pack_units, pack_contexts)
                run.metrics(pack_units)
            findings.extend(run.findings)
            metrics.extend(run.results)
            notes.extend(_gap_note(pack.id, rule_id, subjects, self.lang)
                         for rule_id, subjects in sorted(run.gaps.items()))
            for rule in pack.rules:
                if rule.unless_families:
                    unless[(pack.id, rule.id)] = rule.unless_families
        if unless:
            findings = _drop_unless(findings, unless)
        notes.extend(_override_notes(packs, self.lang))
        findings, suppressed = _apply_overrides(packs, findings, units)
        findings.sort(key=_FINDING_ORDER)
        suppressed.sort(key=lambda s: (s.finding.sort_key, s.by))
        metrics.sort(key=lambda m: (m.pack, m.id, _SCOPE_ORDER[m.scope], m.scope_id))
        refs = tuple(PackRef(p.id, p.version, p.sha256) for p in packs)
        digest = input_sha256 or _records_sha256(officials, units)
        if progress is not None:
            progress(len(officials))
        return Report(as_of, refs, len(officials), len(units), digest, tuple(metrics), tuple(findings),
                      tuple(notes), self.city, tuple(suppressed), {u.code: u.district for u in units if u.district})


#: What a set of conditions holding for an official makes: the tallies it counts in, the rules
#: it lacks data for, and the findings (rule plan, severity).
_Outcome = tuple[tuple[str, ...], tuple[OfficialRule, ...],
                 tuple[tuple[OfficialRule, Severity, RuleDef, str, bool, tuple[str, ...]], ...]]

#: How many officials between two calls of a ``progress`` callback.
PROGRESS_STEP = 1000


def _pack_progress(progress: Callable[[int], None] | None, total: int, index: int,
                   count: int) -> Callable[[int], None] | None:
    """``progress`` scaled so that ``count`` packs evaluated in turn share one count up to ``total``."""
    if progress is None:
        return None

    def tick(done: int) -> None:
        progress((index * total + min(done, total)) // count)

    return tick


#: :attr:`Finding.sort_key`, as a C function.
_FINDING_ORDER = operator.attrgetter("pack", "rule", "subject_id")


def _drop_unless(findings: list[Finding], unless: Mapping[tuple[str, str], tuple[str, ...]]) -> list[Finding]:
    """Without the findings of rules whose subject has a finding of one of their ``unless_family``."""
    by_pack: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for (pack, rule), families in unless.items():
        by_pack[pack][rule] = families
    candidates = []
    for f in findings:
        rules = by_pack.get(f.pack)
        if rules is not None and f.rule in rules:
            candidates.append(f)
    if not candidates:
        return findings
    ids = {f.subject_id for f in candidates}
    present = {(f.subject_kind, f.subject_id, f.family) for f in findings if f.subject_id in ids}
    dropped = {id(f) for f in candidates
               if any((f.subject_kind, f.subject_id, family) in present for family in by_pack[f.pack][f.rule])}
    return [f for f in findings if id(f) not in dropped] if dropped else findings


def _apply_overrides(packs: Sequence[Pack], findings: list[Finding],
                     units: Sequence[Unit]) -> tuple[list[Finding], list[Suppressed]]:
    """Set aside the findings of rules that a covering pack waives or replaces for its units."""
    rules: dict[tuple[str, str], list[tuple[Pack, str]]] = defaultdict(list)
    for pack in packs:
        for override in pack.overrides:
            text = override.reason
            if override.by is not None:
                text += f" (replaced by {pack.id}/{override.by})"
            rules[(override.pack, override.rule)].append((pack, text))
    if not rules:
        return findings, []
    districts: dict[str, list[Unit]] = defaultdict(list)
    unit_map = {u.code: u for u in units}
    for unit in units:
        if unit.district is not None:
            districts[unit.district].append(unit)
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        by = None
        for pack, reason in rules.get((finding.pack, finding.rule), ()):
            if finding.subject_kind == "scope" and finding.subject_id not in unit_map:  # a district (or the city)
                members = districts.get(finding.subject_id, [])
                covered = bool(members) and all(pack.covers(u.code, u.district) for u in members)
            else:
                owner = unit_map.get(finding.scope_id)
                covered = owner is not None and pack.covers(owner.code, owner.district)
            if covered:
                by = (pack.id, reason)
                break
        if by is None:
            kept.append(finding)
        else:
            suppressed.append(Suppressed(finding, by[0], by[1]))
    return kept, suppressed


def _scope_note(pack: Pack, lang: str) -> str:
    _ = translation(lang).gettext
    return _("pack {ref} covers no unit of the input (its scope: {scope})").format(
        ref=pack.ref, scope=", ".join([*pack.scope_districts, *pack.scope_units]))


def _override_notes(packs: Sequence[Pack], lang: str) -> list[str]:
    """Notes about overrides naming a rule that the evaluated pack they target does not have."""
    _ = translation(lang).gettext
    rule_ids = {p.id: set(p.rule_ids) for p in packs}
    return [_("pack {ref}: the override of {target} names no rule of {pack}").format(
                ref=pack.ref, target=f"{o.pack}/{o.rule}", pack=o.pack)
            for pack in packs for o in pack.overrides if o.pack in rule_ids and o.rule not in rule_ids[o.pack]]


def _unique_fields(*groups: Sequence[FieldSpec]) -> list[FieldSpec]:
    seen: dict[str, FieldSpec] = {}
    for group in groups:
        for f in group:
            seen.setdefault(f.name, f)
    return list(seen.values())


def _gap_note(pack: str, rule: str, subjects: list[str], lang: str) -> str:
    shown = ", ".join(sorted(subjects)[:10]) + (", …" if len(subjects) > 10 else "")
    text = translation(lang).ngettext("{pack} {rule}: data gap, not evaluated for {n} subject: {shown}",
                                      "{pack} {rule}: data gap, not evaluated for {n} subjects: {shown}",
                                      len(subjects))
    return text.format(pack=pack, rule=rule, n=len(subjects), shown=shown)


def _index_units(units: Sequence[Unit]) -> dict[str, Unit]:
    unit_map: dict[str, Unit] = {}
    problems = []
    for i, unit in enumerate(units):
        if unit.code in unit_map:
            problems.append(Problem("<units>", "duplicate unit code", row=i + 1, column="code", value=unit.code))
        unit_map[unit.code] = unit
    if problems:
        raise InputError(problems)
    return unit_map


def _contexts(officials: Sequence[Official], unit_map: Mapping[str, Unit], as_of: date) -> list[OfficialContext]:
    seen: set[str] = set()
    problems = []
    contexts = []
    calendar = Calendar(as_of)
    for i, official in enumerate(officials):
        if official.id in seen:
            problems.append(Problem("<officials>", "duplicate id", row=i + 1, column="id", value=official.id))
        seen.add(official.id)
        unit = unit_map.get(official.unit)
        if unit is None:
            problems.append(Problem("<officials>", "unknown unit code", row=i + 1, column="unit",
                                    value=official.unit))
            continue
        contexts.append(OfficialContext(official, unit, as_of, calendar))
    if problems:
        raise InputError(problems)
    return contexts


def _records_sha256(officials: Sequence[Official], units: Sequence[Unit]) -> str:
    digest = hashlib.sha256()
    for record in (*units, *officials):
        digest.update(repr(record).encode())
        digest.update(b"\n")
    return digest.hexdigest()


class _Run:
    """The evaluation of one pack program in one backend session."""

    def __init__(self, program: Program, session: Session, lang: str, city: str, as_of: date) -> None:
        self.program = program
        self.pack = program.pack
        self.session = session
        self.lang = lang
        self.city = city
        self.as_of = as_of
        self._labelled: dict[str, list[tuple[str, dict[str, object]]]] = {}
        self._memo: dict[tuple[object, ...], tuple[Mapping[str, JSONValue], str]] = {}
        self._params: dict[str, object] = dict(program.pack.params)
        self.findings: list[Finding] = []
        self.results: list[Metric] = []
        # per unit code: condition name -> count (tallies, quota populations and numerators)
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.gaps: dict[str, list[str]] = defaultdict(list)  # rule id -> subjects lacking data
        self.fill_by: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)

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
    def _outcome(names: Sequence[str], meaning: Mapping[str, tuple[int, OfficialRule | None, int]]) -> _Outcome:
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
        findings = tuple((plan, SEVERITY_BY_RANK[rank], plan.rule, plan.name, plan.uses_id, plan.field_names)
                         for name, (plan, rank) in fired.items() if name in base)
        return tuple(counted), tuple(gaps), findings

    def officials(self, contexts: Sequence[OfficialContext], progress: Callable[[int], None] | None = None) -> None:
        program = self.program
        fields = _unique_fields(program.fields["o"], program.shown["o"])
        meaning = self._meaning()
        field_values = values_function(fields)
        match = self.session.match
        counts = self.counts
        memo = self._memo
        shown = self._shown
        append = self.findings.append
        pack_id = self.pack.id
        # Officials often satisfy the same conditions: each set of names is resolved once.
        outcomes: dict[tuple[str, ...], _Outcome] = {}
        for done, ctx in enumerate(contexts, 1):
            if progress is not None and done % PROGRESS_STEP == 0:
                progress(done)
            values = field_values(ctx)
            official = ctx.official
            names = match("o", values, official.id)
            if not names:
                continue
            outcome = outcomes.get(names)
            if outcome is None:
                outcome = outcomes[names] = self._outcome(names, meaning)
            counted, gaps, fired = outcome
            if counted:
                unit_counts = counts[official.unit]
                for name in counted:
                    unit_counts[name] += 1
            for plan in gaps:
                self.gaps[plan.rule.id].append(official.id)
            subject = official.id
            for plan, severity, rule, name, uses_id, field_names in fired:
                # (what _finding does, inlined: this is the loop of the evaluation)
                key = (name, subject if uses_id else "", *map(values.get, field_names))
                facts_text = memo.get(key)
                if facts_text is None:
                    facts_text = memo[key] = shown(plan, subject, values)
                append(Finding(pack_id, rule.id, rule.family, severity, "official", subject, official.unit,
                               facts_text[1], rule.cite, facts_text[0], Deferred(explain_rule, rule, values)))

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
                                     text, rule.cite, facts, Deferred(explain_rule, rule, values)))

    def _shown(self, plan: OfficialRule, subject: str,
               values: Mapping[str, Natural | None]) -> tuple[Mapping[str, JSONValue], str]:
        """The facts a finding of ``plan`` shows and its message."""
        labelled = self._labelled.get(plan.name)
        if labelled is None:  # codes as their Vietnamese labels in messages (facts keep the codes)
            labelled = self._labelled[plan.name] = [
                (f.name, {c: label(f.type, c, self.lang) for c in f.type.vocabulary.codes})
                for f in plan.fields if f.type.kind == "code" and self.lang != "en"]
        shown: dict[str, JSONValue] = {}
        for name, encode in plan.json_encoders:
            value = values.get(name)
            shown[name] = value if value is None or encode is None else encode(value)  # type: ignore[assignment]
        lookup = _Formatter(self._params)
        lookup.update(shown)
        for name, labels in labelled:
            code = values.get(name)
            if code is not None:
                lookup[name] = labels.get(code, code)  # type: ignore[arg-type]
        lookup["id"] = subject
        return MappingProxyType(shown), _format_map(plan.rule.message.get(self.lang), lookup)

    # -- units ------------------------------------------------------------------------------
    def units(self, units: Sequence[Unit], contexts: Sequence[OfficialContext]) -> None:
        program = self.program
        by_unit: dict[str, list[OfficialContext]] = defaultdict(list)
        for ctx in contexts:
            by_unit[ctx.unit.code].append(ctx)
        fields = _unique_fields(program.fields["u"], program.shown["u"])
        rules = {r.name: r for r in program.unit_rules}
        escalation = {name: (r, sev) for r in program.unit_rules for name, sev in r.escalations}
        staffing = {s.vacancy: s for s in program.staffing}
        gaps = {r.gap: r for r in program.unit_rules if r.gap}
        for unit in units:
            members = by_unit.get(unit.code, [])
            counts = self.counts.get(unit.code, {})
            tallies: dict[str, int] = {key: counts.get(name, 0) for key, name in program.tallies.items()}
            uctx = UnitContext(unit, members, self.as_of, tallies)
            vacancies: dict[str, list[str]] = {}
            requirements: dict[str, list[str]] = {}
            for plan in program.staffing:
                held = {p for m in members for p in m.official.posts}
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
                elif name in staffing:
                    plan = staffing[name]
                    s = plan.staffing
                    filled, required_n = self.fill_by[s.id][unit.code]
                    facts: dict[str, JSONValue] = {"vacant": list(vacancies[name]), "filled": filled,
                                                "required": required_n}
                    posts = [p if self.lang == "en" else POSITION.label(p) for p in vacancies[name]]
                    text = _format(s.message.get(self.lang), {**self.pack.params, **facts, "unit": unit.code,
                                                              "vacant": ", ".join(posts)})
                    holders = {p: sum(1 for m in members if p in m.official.posts) for p in requirements[name]}
                    self.findings.append(Finding(self.pack.id, s.id, s.family, s.severity, "unit", unit.code,
                                                 unit.code, text, s.cite, facts,
                                                 explain_staffing(requirements[name], holders)))
            for name, severity in fired.items():
                self._finding(rules[name], severity, "unit", unit.code, unit.code, values)

    # -- metrics ----------------------------------------------------------------------------
    def _scopes(self, units: Sequence[Unit], scopes: Sequence[str]) -> list[tuple[str, str, list[str]]]:
        out: list[tuple[str, str, list[str]]] = []
        if "city" in scopes and not self.pack.scoped:  # a district pack has no city-wide view
            out.append(("city", self.city, [u.code for u in units]))
        if "district" in scopes:
            districts: dict[str, list[str]] = defaultdict(list)
            for u in units:
                if u.district is not None:
                    districts[u.district].append(u.code)
            out.extend(("district", d, codes) for d, codes in sorted(districts.items()))
        if "unit" in scopes:
            out.extend(("unit", u.code, [u.code]) for u in sorted(units, key=lambda u: u.code))
        return out

    def _decide(self, metric_id: str, unmet_name: str, scope: str, scope_id: str, num: int, den: int,
                target: Fraction, op: Literal[">=", "<="]) -> Metric:
        value = Fraction(num, den) if den else None
        names = self.session.match("m", {"metric": metric_id, "value": value}, f"{metric_id}|{scope}|{scope_id}")
        met = None if value is None else unmet_name not in names
        metric = Metric(self.pack.id, metric_id, scope, scope_id, num, den, target, op, met)  # type: ignore[arg-type]
        self.results.append(metric)
        return metric

    def metrics(self, units: Sequence[Unit]) -> None:
        for plan in self.program.quotas:
            q = plan.quota
            for scope, scope_id, codes in self._scopes(units, q.scopes):
                num = sum(self.counts.get(c, {}).get(plan.numerator, 0) for c in codes)
                den = sum(self.counts.get(c, {}).get(plan.population, 0) for c in codes)
                metric = self._decide(q.id, plan.unmet, scope, scope_id, num, den, q.target, q.op)
                if metric.met is False:
                    if q.op == ">=":
                        needed = math.ceil(q.target * den) - num
                        extra: dict[str, JSONValue] = {"needed": needed}
                    else:
                        extra = {"excess": num - math.floor(q.target * den)}
                    value = float(Fraction(num, den))
                    facts: dict[str, JSONValue] = {"numerator": num, "denominator": den, "value": value,
                                                "target": float(q.target), **extra}
                    text = _format(q.message.get(self.lang), {**self.pack.params, **facts, "scope": scope_id})
                    self.findings.append(Finding(self.pack.id, q.id, q.family, q.severity, "scope", scope_id,
                                                 scope_id, text, q.cite, facts, explain_quota(q, num, den)))
        for splan in self.program.staffing:
            s = splan.staffing
            fills = self.fill_by.get(s.id, {})
            for scope, scope_id, codes in self._scopes(units, s.scopes):
                num = sum(fills.get(c, (0, 0))[0] for c in codes)
                den = sum(fills.get(c, (0, 0))[1] for c in codes)
                self._decide(s.metric, splan.unmet, scope, scope_id, num, den, Fraction(1), ">=")
