"""``cadre-rules test``: run the test cases of packs (:mod:`._cases`) on both backends, with coverage.

A consumer of the Engine: each case is an ordinary evaluation (``Engine.evaluate``) of the case's
officials and units with the pack named in the case file; the findings and metrics the engine reports
are compared with the expected ones. Coverage reads the reference evaluator's explanation entries
(:func:`cadre_rules.report._explain.explain_rule`) of every official a case evaluates.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from pathlib import Path

import attrs

from .._i18n import translation
from ..engine._asof import ENGINE_PACK
from ..engine._engine import BackendName
from ..engine._engine import Engine
from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Message
from ..errors import Problem
from ..errors import day
from ..model._arguments import a_choice
from ..model._arguments import a_flag
from ..model._arguments import a_paths
from ..model._arguments import problem
from ..model._arguments import refuse
from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import UnitContext
from ..model._langs import a_lang
from ..model._model import Unit
from ..model._report_records import Metric
from ..model._report_records import Report
from ..model._types import Natural
from ..packs._expr import Expr
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..packs._packs import Pack
from ..packs._packs import RuleDef
from ..packs._registry import builtin_pack_dir
from ..render._labels import severity_word
from ..render._labels import yes_no
from ..report._explain import Entry
from ..report._explain import explain_expr
from ..report._explain import explain_rule
from ._cases import Case
from ._cases import CaseFile
from ._cases import load_cases
from ._cases import read_case_file

__all__ = ["CaseResult", "Coverage", "RuleCoverage", "TestRun", "available_backends", "builtin_case_dir",
           "case_files_for", "run_case_files", "shared_engines"]


@attrs.frozen
class CaseResult:
    file: str
    pack: str  # id@version
    name: str
    key: str
    passed: bool
    #: The differences, one line each: ``- expected, not found``, ``+ found, not expected``, ``~ …``.
    diff: tuple[str, ...]
    backends: tuple[str, ...]


@attrs.define
class RuleCoverage:
    """One rule (quota, staffing) of one pack version: fired, not fired, each sub-condition's values."""

    pack: str
    rule: str
    kind: str  # official | unit | quota | staffing
    fired: bool = False
    not_fired: bool = False
    #: (part, index) -> [condition text, seen true, seen false]: the nodes of ``where``, ``when`` and each
    #: ``escalate`` of a rule; a quota's ``population`` and (among its population) ``numerator``; a staffing
    #: rule's ``requires[i].where`` and each required post held (``requires[i]``) where it is required.
    conditions: dict[tuple[str, int], list[object]] = attrs.field(factory=dict)

    @property
    def outcomes(self) -> tuple[int, int]:
        """Outcomes covered and outcomes in all: fired, not fired, each condition true and false."""
        covered = int(self.fired) + int(self.not_fired)
        covered += sum(int(bool(c[1])) + int(bool(c[2])) for c in self.conditions.values())
        return covered, 2 + 2 * len(self.conditions)


@attrs.define
class Coverage:
    rules: dict[tuple[str, str], RuleCoverage] = attrs.field(factory=dict)

    @property
    def percent(self) -> float:
        covered = total = 0
        for r in self.rules.values():
            c, t = r.outcomes
            covered += c
            total += t
        return 100.0 * covered / total if total else 100.0


@attrs.frozen
class TestRun:
    results: tuple[CaseResult, ...]
    coverage: Coverage
    backends: tuple[str, ...]

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.passed)


def _metric_ids(pack: Pack) -> tuple[str, ...]:
    return tuple(sorted({*(q.id for q in pack.quotas), *(s.metric for s in pack.staffing)}))


def available_backends() -> tuple[BackendName, ...]:
    """The backends a test runs on: the reference evaluator, and durable-rules where it loads."""
    from ..engine import _durable  # noqa: PLC0415 - only to know whether durable-rules loads

    return ("reference", "durable") if _durable.AVAILABLE else ("reference",)


class _Engines:
    """One engine per (pack reference, parameters, backend): engines load plugins and compile packs.

    With ``transform``, each engine evaluates the pack (its parameters applied) as ``transform`` changes it
    (a mutant, :mod:`._mutants`); a ``LookupError`` of ``transform`` leaves the pack as it is.
    """

    def __init__(self, plugins: bool, transform: Callable[[Pack], Pack] | None = None,
                 shared: _Engines | None = None, *, strict_plugins: bool = False) -> None:
        self.plugins = plugins
        #: A plugin's failure while a case is evaluated (an enricher, a function) is an error, not a warning.
        self.strict_plugins = strict_plugins
        self.transform = transform
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...], str, bool], Engine] = {}
        #: The case files read (and checked against their pack), shared with another run.
        self.loaded: dict[Path, tuple[CaseFile, Pack]] = shared.loaded if shared is not None else {}
        #: The engines of the packs as they are, shared with another run (each mutant's run).
        self._plain: dict[tuple[str, tuple[tuple[str, str], ...], str, bool], Engine] = \
            shared._plain if shared is not None else {}

    def get(self, ref: str, params: Mapping[str, object], backend: BackendName, *, plain: bool = False) -> Engine:
        key = (ref, tuple(sorted((k, repr(v)) for k, v in params.items())), backend, plain)
        cache = self._plain if plain or self.transform is None else self._cache
        engine = cache.get(key)
        if engine is None and self.transform is not None and not plain:
            base = self.get(ref, params, backend, plain=True)
            try:
                changed = self.transform(base.packs[0])
            except LookupError:
                changed = base.packs[0]
            engine = base.with_packs([changed])
            cache[key] = engine
        if engine is None:
            if params:
                pack_id = self.get(ref, {}, backend, plain=True).packs[0].id
                params = {f"{pack_id}.{k}": v for k, v in params.items()}
            engine = Engine([Path(ref) if ref.endswith(".toml") else ref], params=params, backend=backend,
                            plugins=self.plugins, strict_plugins=self.strict_plugins, lang="en", timeout=None,
                            replace_packs=True)
            self._plain[key] = engine
        return engine


def _not_installed(path: Path, ref: str) -> list[Problem]:
    """A case file naming by its id a pack whose file is beside the case's folder (a plugin's, before it is
    installed): how to have it found."""
    pack_file = path.parent.parent / f"{ref.partition('@')[0]}.toml"
    if ref.endswith(".toml") or not pack_file.is_file():
        return []
    return [Problem.of(str(path), N_("{pack} is the pack of a plugin that is not installed: install it (pip install "
                                     "-e . in the plugin's folder), or name its file: pack = \"../{name}\""),
                       column="pack", pack=repr(ref), name=pack_file.name)]


def _located(file: Path, key: str, exc: Exception, more: Sequence[Problem] = ()) -> InputError:
    """The problems of ``exc`` (a pack's, a case's records') located at ``key`` of the case file; the file they
    were found in, when another (the pack), follows the key. Their message ids are kept (translated). ``more``:
    problems of the case file to add."""
    problems = getattr(exc, "problems", None) or (Problem(str(file), str(exc)),)
    out: list[Problem] = []
    for p in problems:
        where = f"{key}.{p.column}" if p.column else key
        if p.file != str(file) and not isinstance(p.file, Argument):  # (an argument: the key is where it was given)
            where += f" ({p.file})"
        out.append(attrs.evolve(p, file=str(file), row=None, sheet=None, column=where))
    return InputError([*out, *more])


def _actual(report: Report, pack_id: str) -> tuple[set[tuple[str, str, str]], dict[tuple[str, str], Metric]]:
    findings: set[tuple[str, str, str]] = {(f.rule, f.subject_id, f.severity)
                                           for f in report.findings if f.pack == pack_id}
    metrics = {(m.id, m.scope_id): m for m in report.metrics if m.pack == pack_id}
    return findings, metrics


def _compare(case: Case, report: Report, pack_id: str, lang: str) -> list[str]:
    """The differences of a report from a case's expectations, one line each, in ``lang``."""
    _ = translation(lang).gettext
    found, metrics = _actual(report, pack_id)
    by_key = {(r, s): sev for r, s, sev in found}
    not_found, severity_changed, absent, unexpected, not_reported = (
        _("expected, not found"), _("severity"), _("expected absent"), _("found, not expected"),
        _("expected, not reported"))
    diff: list[str] = []
    expected_keys = set()
    for e in case.findings:
        expected_keys.add((e.rule, e.subject))
        sev = by_key.get((e.rule, e.subject))
        if sev is None:
            severity = f" {severity_word(e.severity, lang)}" if e.severity else ""
            diff.append(f"- {e.rule} {e.subject}{severity}  ({not_found})")
        elif e.severity is not None and sev != e.severity:
            was, now = severity_word(e.severity, lang), severity_word(sev, lang)
            diff.append(f"~ {e.rule} {e.subject} {was} → {now}  ({severity_changed})")
    for a in case.absent:
        sev = by_key.get((a.rule, a.subject))
        if sev is not None and (a.severity is None or a.severity == sev):
            diff.append(f"+ {a.rule} {a.subject} {severity_word(sev, lang)}  ({absent})")
    if case.exactly:
        diff.extend(f"+ {r} {s} {severity_word(sev, lang)}  ({unexpected})"
                    for r, s, sev in sorted(found) if (r, s) not in expected_keys)
    metric_word = _("metric")
    for m in case.metrics:
        actual = metrics.get((m.id, m.scope_id))
        if actual is None:
            diff.append(f"- {metric_word} {m.id} {m.scope_id}  ({not_reported})")
            continue
        for name, word in (("numerator", _("numerator")), ("denominator", _("denominator")),
                           ("value", _("value")), ("met", _("met"))):
            want = getattr(m, name)
            got = getattr(actual, name)
            if want is not None and want != got:
                diff.append(f"~ {metric_word} {m.id} {m.scope_id} " + _("{name}: expected {want}, got {got}").format(
                    name=word, want=_shown(want, lang), got=_shown(got, lang)))
    return diff


def _shown(value: object, lang: str) -> str:
    return yes_no(value, lang) if isinstance(value, bool) or value is None else str(value)


def _seen(cov: RuleCoverage, entries: Iterable[Mapping[str, object]]) -> None:
    """Record the value of each sub-condition of ``entries`` (an explanation of one subject) in ``cov``:
    the n-th entry of a part is its n-th node, depth first."""
    counts: dict[str, int] = {}
    for entry in entries:
        part = str(entry["part"])
        index = counts[part] = counts.get(part, -1) + 1
        slot = cov.conditions.setdefault((part, index), [str(entry["condition"]), False, False])
        if entry["result"] is True:
            slot[1] = True
        elif entry["result"] is False:
            slot[2] = True


def _values(exprs: Iterable[Expr], ctx: object) -> dict[str, Natural | None]:
    return {f.name: f.get(ctx) for e in exprs for f in fields_of(e)}


def _rule_exprs(rule: RuleDef) -> list[Expr]:
    return [e.expr for e in (rule.where, rule.when, *(x.when for x in rule.escalate)) if e is not None]


def _unit_contexts(pack: Pack, units: Sequence[Unit], contexts: Sequence[OfficialContext],
                   as_of: date) -> list[UnitContext]:
    """Each unit with its officials and the ``count('…')`` tallies its rules read, counted as the engine counts
    them (the officials for whom the tallied condition holds)."""
    tallied: dict[str, Expr] = {}
    parts = [p for r in pack.rules if r.subject == "unit" for p in (r.where, r.when, *(x.when for x in r.escalate))]
    parts += [q.where for s in pack.staffing for q in s.requires]
    for part in parts:
        if part is not None:
            tallied.update({key: parsed.expr for key, parsed in part.tallies.items()})
    members: dict[str, list[OfficialContext]] = {u.code: [] for u in units}
    for ctx in contexts:
        members[ctx.unit.code].append(ctx)
    return [UnitContext(u, members[u.code], as_of,
                        {key: sum(1 for m in members[u.code] if evaluate(expr, _values([expr], m)) is True)
                         for key, expr in tallied.items()})
            for u in units]


def _cover(coverage: Coverage, engine: Engine, case: Case, report: Report) -> None:
    """Record what a case exercised of the engine's pack: each rule, quota and staffing rule fired and not
    fired, and each sub-condition seen true and false (the reference evaluator's explanation entries)."""
    pack = engine.packs[0]
    findings = {(f.rule, f.subject_id) for f in report.findings if f.pack == pack.id}
    retired = {f.subject_id for f in report.findings if f.pack == ENGINE_PACK}
    units = {u.code: u for u in case.units}
    covered = [u for u in case.units if pack.covers(u.code, u.district)]
    officials = [o for o in case.officials if o.id not in retired and units[o.unit] in covered]
    extra = engine.plugins.enrich(officials, case.as_of) if engine.plugins.has_enrichers() and officials else {}
    calendar = Calendar(case.as_of, pack.rating_lookback_years)
    contexts = []
    for o in officials:
        ctx = OfficialContext(o, units[o.unit], case.as_of, calendar)
        ctx.extra = extra.get(o.id, {})
        contexts.append(ctx)
    unit_contexts = _unit_contexts(pack, covered, contexts, case.as_of)
    for rule in pack.rules:
        cov = coverage.rules.setdefault((pack.ref, rule.id), RuleCoverage(pack.ref, rule.id, rule.subject))
        exprs = _rule_exprs(rule)
        subjects: Sequence[OfficialContext | UnitContext] = contexts if rule.subject == "official" else unit_contexts
        for subject in subjects:
            _seen(cov, explain_rule(rule, _values(exprs, subject)))
            ident = subject.official.id if isinstance(subject, OfficialContext) else subject.unit.code
            if (rule.id, ident) in findings:
                cov.fired = True
            else:
                cov.not_fired = True
    for quota in pack.quotas:
        cov = coverage.rules.setdefault((pack.ref, quota.id), RuleCoverage(pack.ref, quota.id, "quota"))
        cov.fired |= any(f[0] == quota.id for f in findings)
        cov.not_fired |= any(m.met is True for m in report.metrics if m.pack == pack.id and m.id == quota.id)
        for ctx in contexts:  # who is in the population; among them (a share), who is counted
            values = _values((quota.population.expr, quota.numerator.expr), ctx)
            population = explain_expr(quota.population.expr, values, "population")
            _seen(cov, population)
            if population[0]["result"] is True or quota.per == "unit":  # (an average: both select who counts)
                _seen(cov, explain_expr(quota.numerator.expr, values, "numerator"))
    for staffing in pack.staffing:
        cov = coverage.rules.setdefault((pack.ref, staffing.id), RuleCoverage(pack.ref, staffing.id, "staffing"))
        cov.fired |= any((staffing.id, u.code) in findings for u in covered)
        cov.not_fired |= any((staffing.id, u.code) not in findings for u in covered)
        for uctx in unit_contexts:  # each requirement applying or not; each required post held and vacant
            held = {p for m in uctx.officials for p in m.official.posts}
            entries: list[Entry] = []
            for i, req in enumerate(staffing.requires):
                if req.where is not None:
                    where = explain_expr(req.where.expr, _values([req.where.expr], uctx), f"requires[{i}].where")
                    entries.extend(where)
                    if where[0]["result"] is not True:
                        continue
                entries.append({"part": f"requires[{i}]", "condition": f"holders({req.position!r}) >= 1",
                                "result": req.position in held})
            _seen(cov, entries)


def run_case_files(files: Sequence[Path], *, backends: Sequence[BackendName] | None = None,
                   plugins: bool = True, transform: Callable[[Pack], Pack] | None = None,
                   coverage: bool = True, shared: object = None, lang: str = "en",
                   strict_plugins: bool = False) -> TestRun:
    """Run the cases of ``files`` on each of ``backends`` (default: :func:`available_backends`).

    The differences of a failed case are written in ``lang``. With ``strict_plugins``, a plugin that fails while
    the cases run (its enricher raises or returns garbage) stops the run with :class:`~cadre_rules.PluginError`
    instead of being disabled with a warning, as a plugin that fails to load does (``--strict-plugins``).
    A case passes when every backend reports what it expects (and the backends agree). ``shared`` (from
    :func:`shared_engines`) lets runs reuse the engines of the packs as they are.
    :raises InputError: a case file that is not valid (every problem located), or an argument of the wrong type
        (named); nothing is run then.
    """
    refuse(a_paths("files", files),
           None if backends is None else backend_problems(backends),
           a_flag("plugins", plugins), a_flag("coverage", coverage), a_lang("lang", lang),
           a_flag("strict_plugins", strict_plugins),
           None if transform is None or callable(transform) else problem("transform", _NOT_A_FUNCTION, transform))
    chosen = tuple(backends or available_backends())
    engines = _Engines(plugins, transform, shared if isinstance(shared, _Engines) else None,
                       strict_plugins=strict_plugins)
    loaded: list[tuple[CaseFile, Pack]] = []
    problems: list[Problem] = []
    for path in files:
        if path in engines.loaded:
            loaded.append(engines.loaded[path])
            continue
        try:
            ref, data = read_case_file(path)
            try:
                engine = engines.get(ref, {}, chosen[0], plain=True)
                pack = engine.packs[0]
            except Exception as exc:  # a PackError (unknown id, bad file): located at the key `pack`
                if not hasattr(exc, "problems"):
                    raise
                raise _located(path, "pack", exc, _not_installed(path, ref)) from None
            loaded.append((load_cases(path, data, ref, pack.rule_ids, _metric_ids(pack)), pack))
            # the registered version knows when its successor takes over; a file of its own does not
            dated = next((p for p in engine.editions.get(pack.id, ()) if p.ref == pack.ref and p.sha256 == pack.sha256),
                         pack)
            problems.extend(_out_of_force(loaded[-1][0], dated))
            engines.loaded[path] = loaded[-1]
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    covered = Coverage()
    results = []
    for case_file, pack in loaded:
        for rule in pack.rules:
            covered.rules.setdefault((pack.ref, rule.id), RuleCoverage(pack.ref, rule.id, rule.subject))
        for case in case_file.cases:
            diff: list[str] = []
            reports = {}
            for backend in chosen:
                try:
                    engine = engines.get(case_file.pack, case.params, backend)
                    report = engine.evaluate(case.officials, case.units, case.as_of)
                except Exception as exc:  # bad params or records of this case: located, the run refused
                    if not hasattr(exc, "problems"):
                        raise
                    raise _located(case_file.path, case.key, exc) from None
                reports[backend] = report
                diff.extend(f"[{backend}] {line}" if len(chosen) > 1 else line
                            for line in _compare(case, report, pack.id, lang))
                if backend == "reference" and coverage:
                    _cover(covered, engine, case, report)
            if len(reports) > 1:
                views = {b: _actual(r, pack.id)[0] for b, r in reports.items()}
                first = views[chosen[0]]
                disagree = translation(lang).gettext("backends disagree")
                diff.extend(f"! {disagree}: {b} {sorted(v ^ first)}" for b, v in views.items() if v != first)
            results.append(CaseResult(str(case_file.path), pack.ref, case.name, case.key, not diff, tuple(diff),
                                      chosen))
    return TestRun(tuple(results), covered, chosen)


def _out_of_force(cases: CaseFile, pack: Pack) -> list[Problem]:
    """A problem per case dated when its pack is not in force: it would pass while a run on that date does not
    apply the pack (a commune's pack from 2025-07-01 tested on 2025-01-31, a version tested after the next)."""
    out = []
    for case in cases.cases:
        if pack.in_effect(case.as_of):
            continue
        end = None if pack.superseded_on is None else pack.superseded_on - timedelta(days=1)
        if pack.effective_to is not None and (end is None or pack.effective_to < end):
            end = pack.effective_to
        start = "…" if pack.effective_from is None else day(pack.effective_from)
        period = (Message(N_("from {start}"), start=start) if end is None else
                  Message(N_("{start} to {end}"), start=start, end=day(end)))
        out.append(Problem.of(str(cases.path), N_("{pack} is not in force on this date (in force {period}): a run on "
                                                  "that date does not apply it; date the case within its period"),
                              column=f"{case.key}.as_of", value=case.as_of.isoformat(), pack=pack.ref,
                              period=period))
    return out


def shared_engines(plugins: bool = True) -> object:
    """Engines to share between runs of the same case files (``run_case_files(shared=...)``)."""
    return _Engines(plugins)


def _is_case_file(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "[[case]]" in head


def _cases_beside(pack: Pack) -> list[Path]:
    """The case files of a pack version: ``tests/*.toml`` beside its file naming its id or ``id@version``."""
    if pack.path is None:
        return []
    folder = Path(pack.path).parent / "tests"
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            ref, _ = read_case_file(path)
        except InputError:
            out.append(path)  # a broken case file beside the pack: reported when run
            continue
        if ref in (pack.id, pack.ref) or (ref.endswith(".toml") and Path(ref) == Path(pack.path).resolve()):
            out.append(path)
    return out


def case_files_for(targets: Iterable[str], engine: Engine) -> list[Path]:
    """The case files of ``targets`` (case files, directories, pack ids or ``ID@VERSION``, a released version
    kept as it was too, plugin names); no target: those of every installed pack.
    :raises InputError: a target that is none of these."""
    targets = list(targets)
    plugins = {name: [p for p, r in engine.plugins.packs.items() if r.plugin == name]
               for name in {r.plugin for r in engine.plugins.packs.values()}}
    files: list[Path] = []
    problems = []
    every = not targets
    if every:
        targets = list(engine.editions)
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*.toml")) if _is_case_file(p)]
            if not found:
                problems.append(Problem(target, N_("no case file ([[case]]) in this directory")))
            files.extend(found)
        elif path.suffix == ".toml":
            if not path.is_file():
                problems.append(Problem(target, N_("no such file")))
            else:
                files.append(path)
        else:
            pack_id, _, version = target.partition("@")
            ids = plugins.get(target) or ([pack_id] if pack_id in engine.editions else [])
            if not ids:
                known = ", ".join([*engine.editions, *sorted(plugins)])
                disabled = ", ".join(sorted(engine.plugins.problems))  # (its pack may be the one asked for)
                problems.append(Problem.of(target, N_("not a case file, a directory, a pack or a plugin "
                                                      "(known: {known})"), known=known) if not disabled else
                                Problem.of(target, N_("not a case file, a directory, a pack or a plugin (known: "
                                                      "{known}; disabled plugins, see the warnings: {disabled})"),
                                           known=known, disabled=disabled))
                continue
            for i in ids:
                versions = [v for v in engine.editions[i] if not version or v.version == version]
                if version and not versions:  # a released version kept as it was (its cases beside its file)
                    kept = [k.pack for k in engine.kept_versions() if k.pack.id == i]
                    versions = [v for v in kept if v.version == version]
                    if not versions:
                        problems.append(Problem.of(target, N_("no such version of the pack (versions: {versions})"),
                                                   versions=", ".join(v.version for v in (*engine.editions[i], *kept))))
                found = [f for v in versions for f in _cases_beside(v)]
                if not found and not every and target not in plugins:
                    where = next((v for v in versions if v.path is not None), None)
                    problems.append(Problem(target, N_("this pack has no test cases (tests/*.toml beside its file)"))
                                    if where is None else  # (which file: another plugin's pack of that id, say)
                                    Problem.of(target, N_("this pack has no test cases: no tests/*.toml beside "
                                                          "{pack_file} names it (the pack of plugin {plugin})"),
                                               pack_file=str(where.path), plugin=repr(engine.plugins.packs[i].plugin)))
                files.extend(found)
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(files))


def builtin_case_dir() -> Path:
    """Where the built-in packs' case files are."""
    return builtin_pack_dir() / "tests"


def backend_problems(backends: object) -> list[Problem]:
    """The problems of ``backends``: a sequence of backend names (``durable``, ``reference``)."""
    if isinstance(backends, (str, bytes)) or not isinstance(backends, Sequence):
        return [problem("backends", _NOT_BACKENDS, backends)]
    return [p for b in backends if (p := a_choice("backends", b, _BACKENDS)) is not None]


_BACKENDS = ("durable", "reference")
_NOT_BACKENDS = N_("expected a sequence of backend names (durable, reference), or None, not a value of type {type}")
_NOT_A_FUNCTION = N_("expected a function of a Pack giving a Pack, or None, not a value of type {type}")
