"""The engine: packs in, officials and units evaluated as of a date, a report out."""

from __future__ import annotations

import copy
import operator
import os
from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any
from typing import Literal
from typing import TypeVar
from typing import cast
from typing import get_args

import attrs

from .._collector import paused
from .._i18n import checked_lang
from .._i18n import translation
from .._plugins import BUILTIN
from .._plugins import HookFailed
from .._plugins import PluginSet
from .._plugins import Reader
from .._plugins import call_plugin
from .._plugins import load_plugins
from .._timeouts import TimeLimitExceeded
from ..errors import N_
from ..errors import Argument
from ..errors import EvaluationError
from ..errors import InputError
from ..errors import Message
from ..errors import PackError
from ..errors import PluginError
from ..errors import Problem
from ..errors import Words
from ..errors import day
from ..io._read_notes import notes_kept
from ..model._argument_notes import PACKS
from ..model._argument_notes import ArgumentNote
from ..model._arguments import a_path
from ..model._arguments import a_sequence
from ..model._arguments import refuse
from ..model._context import Calendar
from ..model._context import Contexts
from ..model._context import OfficialContext
from ..model._formats import short_date
from ..model._model import Official
from ..model._model import Unit
from ..model._names import names_of
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import PackRef
from ..model._report_records import QuotaCounts
from ..model._report_records import Report
from ..model._report_records import Suppressed
from ..model._report_records import Undecided
from ..model._table import OfficialTable
from ..model._table import column_of
from ..packs._catalogue import FunctionSpec
from ..packs._packs import PARAMS
from ..packs._packs import Pack
from ..packs._program import compile_pack
from ..packs._registry import Kept
from ..packs._registry import kept_pack
from ..packs._registry import kept_versions
from ..packs._registry import resolve_pack
from ..packs._registry import unknown_overrides
from ..packs._registry import unknown_pack_id
from ..packs._succession import in_force
from ..packs._succession import versions_by_id
from ..report._coverage import pack_scope_notes
from ..report._coverage import pending_notices
from ..report._notices import read_notices
from ..report._notices import undecided_notices
from ..report._rule_names import RuleNames
from . import _asof
from ._arguments import NOT_A_PACK
from ._arguments import NOT_PACK_OBJECTS
from ._arguments import check_engine_arguments
from ._arguments import check_evaluate_arguments
from ._backend import Backend
from ._backend import Deadline
from ._carry import Population
from ._columns import Shared
from ._digest import records_sha256
from ._reference import ReferenceBackend
from ._run import Reuse
from ._run import Run
from ._undecided import undecided_of

__all__ = ["Engine"]

#: The argument naming the packs to apply (``Engine(packs=…)``; ``--pack``, ``pack``): where an unknown one is.
_PACKS = Argument("packs")

BackendName = Literal["auto", "durable", "reference"]
_SCOPE_ORDER = {"city": 0, "district": 1, "unit": 2}


def make_backend(name: BackendName) -> Backend:
    """The backend called ``name``; ``auto`` is durable-rules where its engine loads, else the reference."""
    if name == "reference":
        return ReferenceBackend()
    from . import _durable  # noqa: PLC0415 - durable-rules is imported only when asked for

    if name == "auto" and not _durable.AVAILABLE:
        return ReferenceBackend()
    return _durable.DurableBackend()


def _fallback_reason(name: BackendName, backend: Backend) -> str | None:
    """Why ``auto`` chose the reference backend (``None``: it did not)."""
    if name != "auto" or backend.name != "reference":
        return None
    from . import _durable  # noqa: PLC0415 - already imported by make_backend

    return _durable.UNAVAILABLE_REASON or "durable-rules' engine did not load"


def _split_params(params: Mapping[str, object]) -> dict[str, dict[str, object]]:
    by_pack: dict[str, dict[str, object]] = defaultdict(dict)
    problems = []
    for key, value in params.items():
        pack_id, dot, name = key.rpartition(".")
        if not dot or not pack_id or not name:
            problems.append(Problem(PARAMS, N_("expected PACK.KEY=VALUE"), column=key, value=str(value)))
            continue
        by_pack[pack_id][name] = value
    if problems:
        raise PackError(problems)
    return dict(by_pack)


class Engine:
    """Evaluates officials and units against policy packs.

    :param packs: built-in pack ids, paths to ``.toml`` packs, or :class:`Pack` objects. ``None``
        applies every available pack in effect on the as-of date.
    :param params: parameter overrides, ``{"pack-id.key": value}`` (values may be strings).
    :param backend: ``"durable"`` (durable-rules), ``"reference"`` (pure Python) or ``"auto"``.
    :param city: the name of the city scope in metrics and findings.
    :param lang: ``"vi"`` or ``"en"``, the language of finding messages (anything else: an
        :class:`~cadre_rules.InputError` naming ``lang``).
    :param timeout: the time bound of one evaluation in seconds (``None``: unbounded).
    :param legacy_districts: on a date from 2025-07-01 (no districts), still aggregate units that
        carry a district by that former district (default: the district level is dropped, with a note).
    :param replace_packs: let a pack file whose id is an available pack's id stand in for it (else,
        unless the files are the same, a :class:`~cadre_rules.PackError`: a report would show the id of
        the built-in pack for rules that are not its own).

    Packs are loaded and validated here: a bad pack raises :class:`~cadre_rules.PackError`.
    """

    def __init__(self, packs: Sequence[str | Path | Pack] | None = None, *,
                 params: Mapping[str, object] | None = None, backend: BackendName = "auto",
                 city: str = "Hà Nội", lang: str = "vi", timeout: float | None = 3600.0,
                 plugins: bool | Sequence[object] = True, strict_plugins: bool = False,
                 legacy_districts: bool = False, replace_packs: bool = False) -> None:
        # (before anything is loaded: a wrong argument is the caller's mistake)
        lang = checked_lang(lang)
        check_engine_arguments(packs, params, city, timeout, backend, get_args(BackendName))
        extra = () if isinstance(plugins, bool) else tuple(plugins)
        self.strict_plugins = strict_plugins
        self.plugins: PluginSet = load_plugins(entry_points=plugins is True, extra=extra, strict=strict_plugins)
        self.functions: Mapping[str, FunctionSpec] = self.plugins.functions
        #: The latest version of each registered pack id.
        self.available: dict[str, Pack] = {k: v.pack for k, v in sorted(self.plugins.packs.items())}
        #: Every version of each registered pack id, in the order they take effect.
        self.editions: dict[str, tuple[Pack, ...]] = dict(sorted(self.plugins.editions.items()))
        self.named = packs is not None
        #: The kept released versions named (``ID@VERSION`` of a built-in pack that a revision replaced), by ref.
        self.kept: dict[str, Kept] = {}
        chosen = [self._chosen(p) for p in (packs or [])] if packs is not None else list(self.available.values())
        if not replace_packs:
            # (a kept released version, named or given as a copy of its file, is the installed pack's own)
            _refuse_shadowing([p for p in chosen if p.ref not in self.kept and not self._kept_copy(p)], self.editions)
        misnamed = unknown_overrides(chosen, self.editions)
        if misnamed:  # (a typo in an [[override]]'s pack id would override nothing: refused as packs validate does)
            raise PackError(misnamed)
        overrides = _split_params(params or {})
        #: The ``--param`` values given (``pack.key`` → the value as given), stated by every report.
        self.params: dict[str, str] = {k: v if isinstance(v, str) else str(v)
                                       for k, v in sorted((params or {}).items())}
        known = {p.id for p in chosen}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise PackError([Problem.of(PARAMS, N_("no pack {pack} among the packs evaluated ({known})"),
                                        column=u, pack=repr(u), known=", ".join(sorted(known)) or "—")
                             for u in unknown])
        seen: set[str] = set()
        problems: list[Problem] = []
        resolved: list[Pack] = []
        for pack in chosen:
            if pack.id in seen:
                problems.append(Problem.of(pack.path or pack.id, N_("pack {pack} named twice"), column="pack.id",
                                           pack=repr(pack.id)))
                continue
            seen.add(pack.id)
            # a registered pack comes with all its versions: the one in force on the as-of date applies
            versions = self.editions.get(pack.id, ()) if self.available.get(pack.id) is pack else ()
            resolved.extend(_with_params(versions or (pack,), overrides.get(pack.id), self.functions))
        if problems:
            raise PackError(problems)
        #: Every version of every pack evaluated; :meth:`packs_for` picks those of a date.
        self.packs: tuple[Pack, ...] = tuple(resolved)
        self._programs = {p.ref: compile_pack(p) for p in self.packs}
        self.backend: Backend = make_backend(backend)
        #: Why ``auto`` fell back to the reference backend (a note of every report), or ``None``.
        self.fallback_reason = _fallback_reason(backend, self.backend)
        # A pack the chosen backend cannot evaluate: an error when the backend was asked for by name,
        # else (auto) the reference backend evaluates that pack, with a note.
        self._fallbacks: dict[str, str] = {}
        for ref, program in self._programs.items():
            reason = self.backend.supports(program)
            if reason is None:
                continue
            if backend != "auto":
                raise EvaluationError(template=N_("{reason}; use {backend} (or auto)"),
                                      fields={"reason": reason, "backend": Argument("backend", "reference")})
            self._fallbacks[ref] = reason
        self.city = city
        self.lang = lang
        self.timeout = timeout
        self.legacy_districts = legacy_districts
        #: The outcomes of units and metrics that evaluations on several dates share, per pack version
        #: (``None``: each evaluation decides its own; a projection's steps share them, see :class:`Reuse`).
        self._reuse: dict[str, Reuse] | None = None
        #: With ``_reuse``: the officials of successive evaluations per reading of the as-of date (rating
        #: look-back, retirement ends service) and scope, shared by the packs that evaluate them
        #: (:class:`~cadre_rules.engine._carry.Population`).
        self._populations: dict[tuple[object, ...], Population] = {}
        #: Whether the officials given are known to be serving on the as-of date (a projection's steps: the
        #: projector leaves out those past their last day in post), so that no one is looked for as retired.
        self._serving_only = False

    def read(self, officials: str | os.PathLike[str], units: str | os.PathLike[str]) \
            -> tuple[Sequence[Official], tuple[Unit, ...]]:
        """Read officials and units files (paths as ``str`` or ``Path``) with the readers of the engine's
        plugins (by extension).

        The built-in readers give the officials as an :class:`~cadre_rules.OfficialTable`: a read-only sequence
        of :class:`~cadre_rules.Official` holding the parsed columns, equal to the tuple of the same records, each
        record made when asked for; :meth:`evaluate` reads it a column at a time. How the files were read, when
        otherwise than as written (rows left out, ids made…), is warned (:class:`~cadre_rules.InputNote`) and kept
        with the table (:attr:`~cadre_rules.OfficialTable.read_notes`): the report :meth:`evaluate` makes of it says
        it among its notes. A plugin's reader gives a tuple (no notes kept)."""
        refuse(a_path("officials", officials), a_path("units", units))
        officials, units = Path(officials), Path(units)
        unit_reader = self._reader(units, "units")
        official_reader = self._reader(officials, "officials")
        with notes_kept() as notes:
            unit_records = tuple(_read_records(unit_reader, Unit, units))
            by_code = {u.code: u for u in unit_records}
            official_records = _read_records(official_reader, Official, officials, units=by_code)
        if notes and type(official_records) is OfficialTable:
            official_records = official_records.with_read_notes(notes)
        return official_records, unit_records

    def _reader(self, path: Path, kind: str) -> Reader:
        extension = path.suffix.lstrip(".").lower()
        reader = self.plugins.readers.get(extension)
        function = getattr(reader, kind) if reader is not None else None
        if reader is None or function is None:
            known = ", ".join(sorted(k for k, r in self.plugins.readers.items() if getattr(r, kind) is not None))
            raise InputError([Problem.of(str(path), N_("no reader for .{extension} {kind} files (readers: {known})"),
                                         extension=extension, kind=kind, known=known)])
        return reader

    def _chosen(self, ref: str | Path | Pack) -> Pack:
        """The pack ``--pack`` names; an unknown id or version also names the plugins that failed to load
        (the pack may be one of theirs; their reasons are the warnings)."""
        try:
            return self._version(ref) or resolve_pack(ref, self.available, self.functions)
        except PackError as exc:
            if not isinstance(ref, str) or ref.endswith(".toml") or "/" in ref or "\\" in ref:
                raise  # (a pack file's problems are located in it)
            disabled = ", ".join(sorted(self.plugins.problems))
            problems = [*exc.problems, *([Problem.of(ref, N_("it may be the pack of a disabled plugin (see the "
                                                            "warnings): {disabled}"), disabled=disabled)]
                                         if disabled else [])]
            # an id or a version no pack has: located at the argument that named it (``packs``: the command
            # line's --pack, the service's pack), with the id as given
            raise PackError([attrs.evolve(p, file=_PACKS, value=ref) if p.file == ref and p.row is None and
                             p.column is None else p for p in problems]) from None

    def _version(self, ref: str | Path | Pack) -> Pack | None:
        """The version a reference ``ID@VERSION`` names (applied as named, whatever the date), or ``None``
        for any other reference."""
        if not isinstance(ref, str) or "@" not in ref or ref.endswith(".toml") or "/" in ref:
            return None
        pack_id, _, version = ref.partition("@")
        versions = self.editions.get(pack_id, ())
        if not versions:  # (the id is the unknown part: said as of an id, with a did-you-mean)
            raise unknown_pack_id(pack_id, self.available, ref)
        for pack in versions:
            if pack.version == version:
                return attrs.evolve(pack, superseded_on=None, successor=None)
        kept = self.kept_version(ref)
        if kept is not None:
            return kept
        others = sorted(k for k in kept_versions() if k.partition("@")[0] == pack_id) if self._builtin(pack_id) else []
        known = ", ".join([*(p.ref for p in versions), *others]) or ", ".join(self.available) or "—"
        raise PackError([Problem.of(ref, N_("unknown pack version {ref}; available: {known}"), ref=repr(ref),
                                    known=known)])

    def _builtin(self, pack_id: str) -> bool:
        registered = self.plugins.packs.get(pack_id)
        return registered is not None and registered.plugin == BUILTIN

    def _added(self) -> dict[str, str | None]:
        """The packs evaluated that are not built in, by id: the plugin that registered each, ``None`` for the
        user's (a file, a :class:`Pack`)."""
        registered = self.plugins.packs
        return {p.id: registered[p.id].plugin if p.id in registered else None
                for p in self.packs if not self._builtin(p.id)}

    def without_disabled(self, packs: Sequence[Pack]) -> tuple[list[Pack], dict[str, list[str]]]:
        """``packs`` (of :meth:`packs_for`) without those of a plugin disabled since the engine chose them (its
        enricher failed, in this evaluation or an earlier one: docs/plugins.md, "none of what it registered is
        used"), and the refs left out, by plugin. Call it after the enrichment."""
        return _of_healthy_plugins(packs, self._added(), self.plugins.problems)

    def kept_version(self, ref: str) -> Pack | None:
        """The released version ``ref`` (``ID@VERSION``) of a built-in pack that a revision replaced, kept as it
        was released (``policies/released/``: its sha256 as then), or ``None``. It is applied only when named;
        :attr:`kept` records it, and a report made with one that was withdrawn as wrong says why in a note."""
        pack_id = ref.partition("@")[0]
        kept = kept_pack(ref, self.functions) if "@" in ref and self._builtin(pack_id) else None
        if kept is None:
            return None
        self.kept[kept.pack.ref] = kept
        return kept.pack

    def kept_versions(self) -> tuple[Kept, ...]:
        """The released versions of this engine's built-in packs that a revision replaced, kept as they were
        released (``policies/released/``), by ref: each loaded (:attr:`Kept.pack`: its ref, sha256 as released,
        period), with the version that replaced it (:attr:`Kept.replaced_by`) and, if it was withdrawn as wrong,
        why (:attr:`Kept.withdrawn`, vi and en). Each is applied only when named (``ID@VERSION``, as
        :meth:`kept_version` loads it); listing them names none (:attr:`kept` is unchanged)."""
        listed = (kept_pack(ref, self.functions) for ref in sorted(kept_versions())
                  if self._builtin(ref.partition("@")[0]))
        return tuple(kept for kept in listed if kept is not None)

    def _kept_copy(self, pack: Pack) -> bool:
        """Whether ``pack`` (a file given by path) is a copy of a kept released version of a built-in pack."""
        if pack.id not in self.editions or any(v.sha256 == pack.sha256 for v in self.editions[pack.id]):
            return False
        kept = kept_pack(pack.ref, self.functions) if self._builtin(pack.id) else None
        return kept is not None and kept.pack.sha256 == pack.sha256

    def with_packs(self, packs: Sequence[Pack]) -> Engine:
        """The same engine (plugins, backend, options) evaluating ``packs`` as given, named: versions of
        its own packs changed in memory (the mutants of ``cadre-rules test --mutants``). No plugin or
        built-in pack is loaded again."""
        refuse(a_sequence("packs", packs, Pack, NOT_PACK_OBJECTS, NOT_A_PACK))
        other = copy.copy(self)
        other.named = True
        other.packs = tuple(packs)
        other._programs = {p.ref: compile_pack(p) for p in other.packs}
        other._fallbacks = {ref: reason for ref, reason in self._fallbacks.items() if ref in other._programs}
        other._reuse = None if self._reuse is None else {}
        other._populations = {}
        return other

    def packs_for(self, as_of: date) -> tuple[list[Pack], list[str]]:
        """The packs that apply on ``as_of`` and the notes about them."""
        notes: list[str] = []
        _ = translation(self.lang).gettext
        if self.named:
            chosen = []
            for versions in versions_by_id(self.packs).values():
                current = in_force(versions, as_of)
                if current:
                    chosen.append(current[0])
                    continue
                # none in force: the latest version begun by then, else the first
                p = ([v for v in versions if (v.effective_from or as_of) <= as_of] or versions[:1])[-1]
                chosen.append(p)
                start = short_date(p.effective_from, self.lang) if p.effective_from else "…"
                period = f"{start} – {short_date(p.effective_to, self.lang) if p.effective_to else '…'}"
                notes.append(_("pack {ref} is not in effect on {date} (effective {period}); "
                               "applied because it was named").format(ref=p.ref, date=short_date(as_of, self.lang),
                                                                      period=period))
            for p in chosen:
                kept = self.kept.get(p.ref)
                if kept is not None and kept.withdrawn is not None:
                    notes.append(_("pack {ref} is a released version kept as it was released, so that its reports "
                                   "can be made again; version {successor} replaced it because {reason}")
                                 .format(ref=p.ref, successor=kept.replaced_by, reason=kept.withdrawn.get(self.lang)))
            order = {p.id: i for i, p in enumerate(self.packs)}
            return sorted(chosen, key=lambda p: order[p.id]), notes
        packs = in_force(self.packs, as_of)
        if not packs:
            notes.append(ArgumentNote(_("no pack is in effect on {date}; name the packs to apply ({option})"),
                                      date=short_date(as_of, self.lang), option=PACKS))
        return packs, notes

    def evaluate(self, officials: Iterable[Official], units: Iterable[Unit], as_of: date | None = None, *,
                 input_sha256: str | None = None, progress: Callable[[int], None] | None = None,
                 data_as_of: date | None = None, source: str | None = None) -> Report:
        """Evaluate ``officials`` and ``units`` as of ``as_of`` (default: today).

        Officials past retirement age on ``as_of`` are not serving for the packs that say so (parameter
        ``retirement_ends_service``; a finding each says so); each pack reads ratings with its own look-back.
        The report says which families were checked, whether the data (of ``data_as_of``, else of their
        newest date) are stale, and what became of districts (docs/as-of.md). Officials as :meth:`read` gives them
        bring how their files were read (:attr:`~cadre_rules.OfficialTable.read_notes`): the first notes of the report,
        in its language; records given otherwise bring none.

        ``progress``, if given, is called with the number of officials done so far (out of ``len(officials)``;
        the packs evaluated in turn share that count), in steps of 1,000 as each pack's officials are done (a
        pack evaluates its officials a whole column at a time), and once at the end.

        Raises :class:`~cadre_rules.InputError` for duplicate ids, unknown unit codes or an official born
        after ``as_of`` (located in ``source``, the name of the officials' file, if given), and
        :class:`~cadre_rules.EvaluationError` if the backend fails or the time bound is exceeded.

        The cyclic garbage collector is paused while evaluating: the evaluation allocates many small
        acyclic objects, and collections scanning the input again and again cost a quarter of the time.
        """
        with paused():
            return self._evaluate(officials, units, as_of, input_sha256, progress, data_as_of, source)

    def _evaluate(self, officials: Iterable[Official], units: Iterable[Unit], as_of: date | None,
                  input_sha256: str | None, progress: Callable[[int], None] | None,
                  data_as_of: date | None = None, source: str | None = None) -> Report:
        if self._reuse is None:  # (a projection's steps evaluate the officials its projector made)
            officials, units = check_evaluate_arguments(officials, units, as_of, input_sha256, progress,
                                                        data_as_of, source)
        else:
            officials, units = tuple(officials), tuple(units)
        as_of = as_of or date.today()
        _check_births(officials, as_of, source or "officials")
        unit_map = _index_units(units)
        packs, notes = self.packs_for(as_of)
        # the date arithmetic of the evaluation, shared by contexts and columns (and packs of another look-back);
        # the officials' contexts as of the first pack's (each made when a field asks for it; the packs of another
        # look-back read the same officials as of theirs)
        calendar = Calendar(as_of)
        official_units = _units_of(officials, unit_map)
        extras = None
        if self.plugins.has_enrichers():
            extras = self.plugins.enrich(officials, as_of)
            if self.strict_plugins and self.plugins.problems:
                raise PluginError(", ".join(sorted(self.plugins.problems)), "; ".join(map(str, self.plugins.notes())))
        packs, withdrawn = self.without_disabled(packs)
        contexts = Contexts(officials, official_units, calendar.with_lookback(packs[0].rating_lookback_years)
                            if packs else calendar, extras)
        _ = translation(self.lang).gettext
        notes = [*(warning.text(_) for warning in self.plugins.notes()), *notes]
        if withdrawn:  # (after its plugin's note: a plugin disabled during this run or an earlier one)
            notes[len(self.plugins.problems):len(self.plugins.problems)] = [
                _("plugin {plugin} disabled: its packs are not applied: {packs}").format(
                    plugin=repr(plugin), packs=", ".join(refs)) for plugin, refs in sorted(withdrawn.items())]
        if self.fallback_reason is not None:
            notes.insert(0, _("durable-rules could not be used, the reference backend evaluated the packs: {reason}")
                         .format(reason=self.fallback_reason))
        # what the as-of date means beyond the rules (docs/as-of.md)
        coverage = _asof.coverage(packs, self.packs, as_of, self.lang)
        data = _asof.data_as_of(officials, as_of, data_as_of)
        district_mode = _asof.districts(units, as_of, self.legacy_districts)
        # (packs named with --pack: the user chose the families; `coverage` still says which are checked)
        notices = _asof.notices(() if self.named else coverage, data, district_mode, units, as_of, self.lang)
        # the packs a plugin or the user added that are not in force yet: found, not applied, said
        notices.extend(pending_notices(self.packs, packs, as_of, self.lang, self._added(), units))
        notes.extend(n.message for n in notices)
        # how the data files were read (rows left out, ids made…): first, what the rest was made of
        as_read = read_notices(officials, self.lang)
        notes[:0] = [n.message for n in as_read]
        notices = [*as_read, *notices]
        # who is serving, for the packs that take officials past retirement age out of service (docs/as-of.md §1)
        serving = contexts
        past: Sequence[OfficialContext] = ()
        if not self._serving_only and any(p.retirement_ends_service for p in packs):
            serving, past = _asof.serving(contexts, calendar)
        #: the contexts per reading of the as-of date: (rating look-back, retirement ends service)
        by_reading: dict[tuple[int | None, bool], Contexts] = {}
        deadline = Deadline(self.timeout)
        #: the findings of each rule, by (pack, rule id)
        by_rule: dict[tuple[str, str], list[Finding]] = {}
        if past:
            by_rule[(_asof.ENGINE_PACK, _asof.PAST_RETIREMENT)] = _asof.retirement_findings(past, packs, self.lang)
        metrics: list[Metric] = []
        quota_counts: list[QuotaCounts] = []
        unless: dict[tuple[str, str], tuple[str, ...]] = {}
        undecided: list[tuple[Undecided, list[str] | None]] = []  # (record, the subjects of a unit rule's data gap)
        # what the packs' runs share: the officials' columns common to all, and those of fields several packs read
        programs = [self._programs[pack.ref] for pack in packs]
        specs = {id(f): f for p in programs for f in (*p.fields["o"], *p.shown["o"])}
        read = Counter(chain.from_iterable({id(f) for f in (*p.fields["o"], *p.shown["o"])} for p in programs))
        shared = Shared(specs[key] for key, n in read.items() if n > 1)
        unit_codes: dict[str, str] = {}

        def unit_of(official: str) -> str:  # (for the data gaps of a rule of officials: made when one has one)
            if not unit_codes:
                unit_codes.update(zip(column_of(officials, "id"), column_of(officials, "unit"), strict=True))
            return unit_codes[official]

        for index, pack in enumerate(packs):
            program = self._programs[pack.ref]
            pack_units = units
            pack_calendar = calendar.with_lookback(pack.rating_lookback_years)
            reading = (pack.rating_lookback_years, pack.retirement_ends_service)
            pack_contexts = by_reading.get(reading)
            if pack_contexts is None:
                pack_contexts = by_reading[reading] = (serving if pack.retirement_ends_service else contexts).as_of(
                    pack_calendar)
            if pack.scoped:  # (decided per unit, then the officials of those units taken in one C pass)
                pack_units = tuple(u for u in units if pack.covers(u.code, u.district))
                pack_contexts = _of_units(pack_contexts, {u.code for u in pack_units}, shared)
                notes.extend(pack_scope_notes(pack, pack_units, self.lang, units))
            backend = self.backend
            if pack.ref in self._fallbacks:
                backend = ReferenceBackend()
                notes.append(_("pack {ref} evaluated by the reference backend: {reason}")
                             .format(ref=pack.ref, reason=self._fallbacks[pack.ref]))
            reuse = None
            if self._reuse is not None:
                reuse = self._reuse.get(pack.ref)
                if reuse is None:
                    population = self._populations.setdefault(
                        (*reading, pack.scope_districts, pack.scope_units), Population())
                    reuse = self._reuse[pack.ref] = Reuse(program, population)
            with backend.session(program, deadline) as session:
                run = Run(program, session, self.lang, self.city, pack_calendar, unless=len(packs) == 1,
                          districts=district_mode in ("kept", "legacy"), reuse=reuse, shared=shared)
                run.officials(pack_contexts, _pack_progress(progress, len(officials), index, len(packs)))
                run.units(pack_units, pack_contexts)
                run.metrics(pack_units)
            by_rule.update(((pack.id, rule), found) for rule, found in run.findings_by_rule())
            metrics.extend(run.results)
            quota_counts.extend(run.quota_counts)
            for record in undecided_of(pack, run.undecided, run.gaps, unit_of):
                gap = run.gaps.get(record.rule) if record.subject == "unit" else None
                undecided.append((record, gap))
            for rule in pack.rules:  # (the run of a single pack drops its officials' findings itself)
                if rule.unless_families and (len(packs) > 1 or rule.subject == "unit"):
                    unless[(pack.id, rule.id)] = rule.unless_families
        # what rules could not decide, sorted by pack, rule and column: read before the findings
        undecided.sort(key=lambda item: (item[0].pack, item[0].rule, item[0].column))
        records = tuple(record for record, _ in undecided)
        said = undecided_notices((record for record, gap in undecided if record.subject == "official" or gap),
                                 self.lang, RuleNames({p.id: p.rule_names for p in packs}, self.lang),
                                 {code: unit.name for code, unit in unit_map.items()})
        notices = [*notices, *said]
        notes.extend(n.message for n in said)
        if unless:
            _drop_unless(by_rule, unless)
        notes.extend(_override_notes(packs, self.lang))
        suppressed = _apply_overrides(packs, by_rule, units)
        # sorted by pack, rule and subject: each rule's are sorted by subject
        findings = list(chain.from_iterable(by_rule[key] for key in sorted(by_rule)))
        suppressed.sort(key=lambda s: (s.finding.sort_key, s.by))
        metrics.sort(key=lambda m: (m.pack, m.id, _SCOPE_ORDER[m.scope], m.scope_id))
        refs = tuple(PackRef(p.id, p.version, p.sha256, p.metric_names, p.rule_names) for p in packs)
        digest = input_sha256 or records_sha256(officials, units)
        if progress is not None:
            progress(len(officials))
        unit_districts = {u.code: u.district for u in units if u.district} if district_mode in ("kept", "legacy") \
            else {}
        return Report(as_of, refs, len(officials), len(units), digest, tuple(metrics), tuple(findings),
                      tuple(notes), self.city, tuple(suppressed), unit_districts, coverage, data, district_mode,
                      tuple(notices), self.backend.name, records,
                      # (a projection's steps name no one: it names the successors itself)
                      names_of(officials, units, self.lang) if self._reuse is None else None, self.params,
                      quota_counts=tuple(quota_counts))


def _with_params(versions: Sequence[Pack], overrides: Mapping[str, object] | None,
                 functions: Mapping[str, FunctionSpec]) -> list[Pack]:
    """The versions of a pack with ``--param`` overrides: each version takes those it has a parameter for.

    A name no version has is an error (raised by the latest version, with its did-you-mean).
    """
    if not overrides:
        return list(versions)
    missing = {k: x for k, x in overrides.items() if all(k not in v.params for v in versions)}
    if missing:
        versions[-1].with_params(missing, functions)  # raises PackError naming the parameter
    return [v.with_params({k: x for k, x in overrides.items() if k in v.params}, functions) for v in versions]


def _check_births(officials: Sequence[Official], as_of: date, source: str) -> None:
    """An official born after the as-of date is an error (by id; if it is everyone, the date is named)."""
    if not officials or max(column_of(officials, "birth_date")) <= as_of:  # (the usual case, a C loop)
        return
    late = [o for o in officials if o.birth_date > as_of]
    if len(late) == len(officials):
        first = min(o.birth_date for o in officials)
        raise InputError([Problem.of(Argument("as_of"), _BEFORE_EVERY_BIRTH, value=as_of.isoformat(),
                                     first=day(first))])
    raise InputError([Problem.of(source, _BORN_AFTER, column="birth_date", value=o.birth_date.isoformat(),
                                 id=repr(o.id), as_of=day(as_of)) for o in late])


_BEFORE_EVERY_BIRTH = N_("the as-of date is before the birth of every official (the first was born on {first}): "
                         "is the date right?")
_BORN_AFTER = N_("official {id} was born after the as-of date {as_of}")
# TRANSLATORS: {option} how to let the pack replace it: --replace-pack (the command line), replace_packs=True (the API)
_SHADOWING = N_("pack id {pack} is the id of an installed pack ({other}); give this pack its own id, or pass "
                "{option} to evaluate it in place of the installed one")


def _refuse_shadowing(chosen: Sequence[Pack], editions: Mapping[str, Sequence[Pack]]) -> None:
    """A pack file with the id of an available pack, but the contents of none of its versions, is refused
    (see ``replace_packs``)."""
    problems = []
    for pack in chosen:
        versions = editions.get(pack.id, ())
        if not versions or any(v is pack or v.sha256 == pack.sha256 for v in versions):
            continue
        other = versions[-1]
        problems.append(Problem.of(pack.path or pack.id, _SHADOWING, column="pack.id", value=pack.id,
                                   pack=repr(pack.id), other=other.ref, option=Argument("replace_packs", True)))
    if problems:
        raise PackError(problems)


_Record = TypeVar("_Record", Official, Unit)

#: A plugin's reader, as its faults name it.
_READERS = {"officials": N_("the officials reader for {extension}"), "units": N_("the units reader for {extension}")}
_WRONG_RECORDS = {
    "officials": N_("the officials reader for {extension} returned a {type}, not a cadre_rules.Official"),
    "units": N_("the units reader for {extension} returned a {type}, not a cadre_rules.Unit"),
}


def _read_records(reader: Reader, record: type[_Record], path: Path, **kwargs: Any) -> Sequence[_Record]:
    """The records a reader returns; a plugin's reader that raises, exits or returns garbage is a PluginError."""
    kind = "officials" if record is Official else "units"
    function: Callable[..., Sequence[Any]] = getattr(reader, kind)
    if reader.plugin == BUILTIN:  # (officials as the reader's OfficialTable: evaluate reads its columns)
        found = function(path, **kwargs)
        return cast("Sequence[_Record]", found if type(found) is OfficialTable else tuple(found))
    extension = Words(f".{reader.extension}", f".{reader.extension}")
    try:
        records: tuple[Any, ...] = call_plugin(lambda: tuple(function(path, **kwargs)),
                                               Message(_READERS[kind], extension=extension))
    except HookFailed as exc:
        raise PluginError(reader.plugin, exc.reason) from None
    except TimeLimitExceeded as exc:
        exc.blame(f"plugin {reader.plugin!r}, the {kind} reader")
        raise
    wrong = next((r for r in records if not isinstance(r, record)), None)
    if wrong is not None:
        raise PluginError(reader.plugin, Message(_WRONG_RECORDS[kind], extension=extension,
                                                 type=Words(type(wrong).__name__, type(wrong).__name__)))
    return cast("tuple[_Record, ...]", records)


def _pack_progress(progress: Callable[[int], None] | None, total: int, index: int,
                   count: int) -> Callable[[int], None] | None:
    """``progress`` scaled so that ``count`` packs evaluated in turn share one count up to ``total``."""
    if progress is None:
        return None

    def tick(done: int) -> None:
        progress((index * total + min(done, total)) // count)

    return tick


def _drop_unless(by_rule: dict[tuple[str, str], list[Finding]],
                 unless: Mapping[tuple[str, str], tuple[str, ...]]) -> None:
    """Drop (in place) the findings of rules whose subject has a finding of one of their ``unless_family``.

    ``by_rule``: the findings of each rule, by (pack, rule id); a rule's findings are of its family, so the
    subjects of each family named are gathered from the lists of that family, and only the findings of the
    rules with an ``unless_family`` are visited."""
    named = set(chain.from_iterable(unless.values()))
    present: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for found in by_rule.values():
        if found and found[0].family in named:
            present[found[0].family].update(map(_SUBJECT_KEY, found))
    for rule, families in unless.items():
        found = by_rule.get(rule, [])
        subjects = [present[family] for family in families if family in present]
        if found and subjects:
            by_rule[rule] = [f for f in found if not any(_SUBJECT_KEY(f) in s for s in subjects)]


_SUBJECT_KEY = operator.attrgetter("subject_kind", "subject_id")


def _apply_overrides(packs: Sequence[Pack], by_rule: dict[tuple[str, str], list[Finding]],
                     units: Sequence[Unit]) -> list[Suppressed]:
    """Set aside (in place) the findings of rules that a covering pack waives or replaces for its units; only the
    findings of those rules are visited (``by_rule``: the findings of each rule, by (pack, rule id))."""
    rules: dict[tuple[str, str], list[tuple[Pack, str]]] = defaultdict(list)
    for pack in packs:
        for override in pack.overrides:
            text = override.reason
            if override.by is not None:
                text += f" (replaced by {pack.id}/{override.by})"
            rules[(override.pack, override.rule)].append((pack, text))
    if not any(by_rule.get(rule) for rule in rules):
        return []
    districts: dict[str, list[Unit]] = defaultdict(list)
    unit_map = {u.code: u for u in units}
    for unit in units:
        if unit.district is not None:
            districts[unit.district].append(unit)
    suppressed: list[Suppressed] = []
    for rule, overriding in rules.items():
        found = by_rule.get(rule)
        if not found:
            continue
        kept: list[Finding] = []
        for finding in found:
            by = None
            for pack, reason in overriding:
                if finding.subject_kind == "scope" and finding.subject_id not in unit_map:  # a district or the city
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
        by_rule[rule] = kept
    return suppressed


def _of_healthy_plugins(packs: Sequence[Pack], added: Mapping[str, str | None],
                        disabled: Mapping[str, object]) -> tuple[list[Pack], dict[str, list[str]]]:
    """``packs`` without those of a plugin disabled after the engine chose them (its enricher failed, in this
    evaluation or an earlier one: docs/plugins.md, "none of what it registered is used"), and the refs left out
    by plugin."""
    kept: list[Pack] = []
    withdrawn: dict[str, list[str]] = {}
    for pack in packs:
        plugin = added.get(pack.id)
        if plugin is not None and plugin in disabled:
            withdrawn.setdefault(plugin, []).append(pack.ref)
        else:
            kept.append(pack)
    return kept, withdrawn


def _override_notes(packs: Sequence[Pack], lang: str) -> list[str]:
    """Notes about overrides naming a rule that the evaluated pack they target does not have."""
    _ = translation(lang).gettext
    rule_ids = {p.id: set(p.rule_ids) for p in packs}
    return [_("pack {ref}: the override of {target} names no rule of {pack}").format(
                ref=pack.ref, target=f"{o.pack}/{o.rule}", pack=o.pack)
            for pack in packs for o in pack.overrides if o.pack in rule_ids and o.rule not in rule_ids[o.pack]]


def _index_units(units: Sequence[Unit]) -> dict[str, Unit]:
    unit_map: dict[str, Unit] = {}
    problems = []
    for i, unit in enumerate(units):
        if unit.code in unit_map:
            problems.append(Problem("<units>", N_("duplicate unit code"), row=i + 1, column="code", value=unit.code))
        unit_map[unit.code] = unit
    if problems:
        raise InputError(problems)
    return unit_map


def _units_of(officials: Sequence[Official], unit_map: Mapping[str, Unit]) -> list[Unit]:
    """The unit of each official; duplicate ids and unknown unit codes are an :class:`InputError` (all of them)."""
    units = list(map(unit_map.get, column_of(officials, "unit")))
    if all(units) and len(set(column_of(officials, "id"))) == len(officials):  # (the usual case, in C loops)
        return cast(list[Unit], units)
    seen: set[str] = set()
    problems = []
    for i, official in enumerate(officials):
        if official.id in seen:
            problems.append(Problem("<officials>", N_("duplicate id"), row=i + 1, column="id", value=official.id))
        seen.add(official.id)
        if units[i] is None:
            problems.append(Problem("<officials>", N_("unknown unit code"), row=i + 1, column="unit",
                                    value=official.unit))
    raise InputError(problems)


def _of_units(contexts: Contexts, codes: set[str], shared: Shared) -> Contexts:
    """The contexts of the officials of the units ``codes`` (the unit codes of ``contexts`` a column ``shared``)."""
    return contexts.where(map(codes.__contains__, shared.units(contexts)))



