"""What one worker process of ``cadre-rules serve`` does: run a request as the command of the same name does
(``evaluate``, ``explain``, ``project``, ``match``), rendered by the same functions (the same bytes).

A worker holds its own engines (durable-rules is not thread-safe: one process, one evaluation at a time),
keyed by the options that make an engine (packs, params, lang, city, legacy districts, backend), the last
few kept.
A job is a plain tuple (it crosses a pipe); the answer is :class:`Answer` or :class:`Refusal`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal
from typing import NamedTuple

import attrs

from .._i18n import translation
from .._plugins import BUILTIN
from ..engine._engine import Engine
from ..errors import N_
from ..errors import Argument
from ..errors import CadreRulesError
from ..errors import EvaluationError
from ..errors import InputError
from ..errors import InputNote
from ..errors import PackError
from ..errors import PluginError
from ..errors import Problem
from ..errors import RenderError
from ..errors import named_by
from ..io._document import document_sha256
from ..io._document import read_document
from ..io._io import file_sha256
from ..jobs._explain_official import explain_official
from ..jobs._explain_scope import ScopeKind
from ..jobs._explain_scope import explain_scope
from ..jobs._scope_formats import render_scope_explanation
from ..model._argument_notes import result_named_by
from ..model._formats import short_date
from ..model._model import Official
from ..model._model import Unit
from ..model._names import redact
from ..model._table import OfficialTable
from ..render._explanation import render_explanation
from ..report._asked import as_asked
from ..report._asked import set_aside
from ..report._report import canonical_json

if TYPE_CHECKING:  # (loaded with the files that need them)
    from ..report._waivers import Baseline
    from ..report._waivers import Waiver

__all__ = ["BODY", "TASKS", "Answer", "Job", "ProblemRow", "Refusal", "located_in_query", "problem_rows", "query_name",
           "run_job", "serve_forever"]

#: The name problems of a JSON body carry.
BODY = "<body>"
#: How many engines a worker keeps (each distinct set of packs, params and language makes one).
_ENGINES = 8


class Job(NamedTuple):
    """One request: the task (``evaluate``, ``explain``, ``project``, ``match``), the input (a JSON document, or
    uploaded files) and the options of the command of that name (those only some commands have in
    ``options``)."""

    as_of: date
    packs: tuple[str, ...]
    params: tuple[tuple[str, str], ...]
    lang: str
    fmt: str
    explain: bool
    city: str
    legacy_districts: bool
    document: bytes | None = None
    #: uploaded files: (field, file name, bytes); fields ``officials``, ``units``, ``waivers``, ``baseline``,
    #: ``plan``, ``posts``
    uploads: tuple[tuple[str, str, bytes], ...] = ()
    task: str = "evaluate"
    #: the task's own options (``evaluate``: scope, redact, pdf_lines; ``explain``: official, unit, district, city,
    #: rule, redact; ``project``: to, step, scope; ``match``: within, top, assign, scope)
    options: tuple[tuple[str, Any], ...] = ()
    #: the language of the problems (the request's ``Accept-Language``)
    ui_lang: str = "en"


class Answer(NamedTuple):
    """The rendered output, and the headers that summarise it (``X-Cadre-Rules-Findings``…)."""

    body: bytes
    fmt: str
    extension: str
    headers: tuple[tuple[str, str], ...] = ()


class Refusal(NamedTuple):
    """A request that cannot be evaluated: ``kind`` ``input`` / ``pack`` / ``plugin`` / ``usage`` (4xx) or
    ``evaluation`` / ``internal`` (500), with the CLI's located problems."""

    kind: str
    message: str
    problems: tuple[ProblemRow, ...] = ()


_engines: OrderedDict[tuple[object, ...], Engine] = OrderedDict()


def _engine(job: Job, backend: Literal["auto", "durable", "reference"] = "auto") -> Engine:
    key = (job.packs, job.params, job.lang, job.city, job.legacy_districts, backend)
    engine = _engines.get(key)
    if engine is None:
        engine = Engine(packs=list(job.packs) or None, params=dict(job.params), city=job.city, lang=job.lang,
                        legacy_districts=job.legacy_districts, timeout=None, backend=backend)
        _engines[key] = engine
        if len(_engines) > _ENGINES:
            _engines.popitem(last=False)
    _engines.move_to_end(key)
    return engine


#: A located problem as sent to the client: file, reason (in the request's language), row, column, value,
#: sheet.
ProblemRow = tuple[str, str, int | None, str | None, str | None, str | None]


def problem_rows(problems: Sequence[Problem], lang: str) -> tuple[ProblemRow, ...]:
    gettext = translation(lang).gettext
    return tuple((p.file, _reason(p, gettext), p.row, p.column, p.value, p.sheet) for p in problems)


def _reason(problem: Problem, gettext: Callable[[str], str]) -> str:
    """The problem's reason in the language of ``gettext`` (as :meth:`Problem.text` words it)."""
    return attrs.evolve(problem, file="", row=None, column=None, value=None, sheet=None).text(gettext)[2:]


def _joined(out: str | bytes | Iterator[str | bytes]) -> bytes:
    if isinstance(out, str):
        return out.encode()
    if isinstance(out, bytes):
        return out
    return b"".join(piece.encode() if isinstance(piece, str) else piece for piece in out)


#: Test hook (never set it in production): ``NAME:SECONDS[,NAME:SECONDS…]`` — a request for the city NAME,
#: or of the task NAME (``explain``, ``match``…), waits that long in its worker before it is run, so that a
#: test can run past ``--timeout`` whatever the machine's speed.
PAUSE_ENV = "CADRE_RULES_TEST_WORKER_PAUSE"


def _pause(job: Job) -> None:
    for entry in os.environ.get(PAUSE_ENV, "").split(","):
        name, _, seconds = entry.rpartition(":")
        if name and name in (job.city, job.task):
            time.sleep(float(seconds))
            return


def _evaluate(job: Job) -> Answer | Refusal:
    """``cadre-rules evaluate``: the report, in any built-in format."""
    engine = _engine(job)
    renderer = engine.plugins.renderers.get(job.fmt)
    if renderer is None or renderer.plugin != BUILTIN:
        known = ", ".join(sorted(n for n, r in engine.plugins.renderers.items() if r.plugin == BUILTIN))
        reason = translation(job.ui_lang).gettext(_NOT_A_FORMAT).format(format=repr(job.fmt), known=known)
        return Refusal("usage", reason, (("format", reason, None, None, job.fmt, None),))
    applied, _ = engine.packs_for(job.as_of)
    if not applied:  # (a well-formed request the packs do not cover: 422, as a pack= not installed; located at as_of)
        reason = translation(job.ui_lang).gettext(_NO_PACK).format(date=short_date(job.as_of, job.ui_lang))
        return Refusal("pack", reason, (("as_of", reason, None, None, job.as_of.isoformat(), None),))
    with _chromium_started(job.fmt):  # (a PDF's Chromium starts while the data are read, as the command line's)
        with _uploads(job) as paths:
            waivers, baseline = _set_aside_files(paths)  # (read first, as the command line reads its options)
            officials, units, sha256, source = _records(engine, job, paths)
        report = engine.evaluate(officials, units, job.as_of, input_sha256=sha256, source=source)
        options = dict(job.options)
        # (scope=: restricted to one district or commune; else one commune's data: its "city" rows are that
        # commune's, said, and its own shares of the city's quotas; then the waivers and the baseline, those of the
        # scope only; as the command line's report)
        report = as_asked(report, job.lang, options.get("scope"), officials=officials, units=units, packs=applied,
                          known=engine.packs, named=engine.named, naming=query_name)
        report, _ = set_aside(report, officials, job.lang, waivers=waivers, baseline=baseline,
                              source=_uploaded_name(job, "baseline"))
        if options.get("redact"):
            report = redact(report)
        kwargs: dict[str, Any] = {"explain": True} if job.explain else {}
        if "pdf_lines" in options:
            kwargs["lines"] = options["pdf_lines"]
        body = _joined(renderer.render(report, job.lang, **kwargs))
    return Answer(body, job.fmt, renderer.extension, (("X-Cadre-Rules-Findings", str(len(report.findings))),))


def _chromium_started(fmt: str) -> contextlib.AbstractContextManager[None]:
    """For a PDF, Chromium started now and stopped on leaving (:func:`~cadre_rules.render._pdf.chromium_started`)."""
    if fmt != "pdf":
        return contextlib.nullcontext()
    from ..render._pdf import chromium_started  # noqa: PLC0415 - loaded with the format

    return chromium_started()


@contextlib.contextmanager
def _uploads(job: Job) -> Iterator[dict[str, Path]]:
    """The uploaded files of ``job`` written to a temporary folder, by field (``officials``, ``units``, and
    ``waivers``, ``baseline``, ``plan`` or ``posts``); an :class:`InputError` raised meanwhile names the files as
    uploaded."""
    if not job.uploads:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="cadre-rules-serve-") as folder:
        paths: dict[str, Path] = {}
        names: dict[str, str] = {}
        for field, filename, data in job.uploads:
            path = Path(folder, field + Path(filename).suffix.lower())
            path.write_bytes(data)
            paths[field] = path
            names[str(path)] = filename
        try:
            yield paths
        except InputError as exc:  # located in the files as uploaded, not in the folder
            raise InputError([attrs.evolve(p, file=names.get(p.file, p.file)) for p in exc.problems]) from None


def _set_aside_files(paths: dict[str, Path]) -> tuple[tuple[Waiver, ...] | None, Baseline | None]:
    """The uploaded ``waivers`` (TOML, as ``--waivers``) and ``baseline`` (a previous JSON report, as
    ``--baseline``), each ``None`` if not sent."""
    if "waivers" not in paths and "baseline" not in paths:
        return None, None
    from ..report._waivers import load_waivers  # noqa: PLC0415 - loaded with the files
    from ..report._waivers import read_baseline  # noqa: PLC0415

    return (load_waivers(paths["waivers"]) if "waivers" in paths else None,
            read_baseline(paths["baseline"]) if "baseline" in paths else None)


def _uploaded_name(job: Job, field: str) -> str:
    """The name the file of ``field`` was uploaded as (what a report's note names, as the command line names the
    file it was given)."""
    return next((filename for name, filename, _ in job.uploads if name == field), field)


def _records(engine: Engine, job: Job, paths: dict[str, Path]) \
        -> tuple[Sequence[Official], tuple[Unit, ...], str, str]:
    """The officials and units of the request (the JSON body, or the uploaded files: a workbook alone holds
    both), the input's SHA-256 and the name of its source."""
    if "officials" not in paths:
        officials, units = read_document(job.document or b"", BODY)
        return officials, units, document_sha256(job.document or b""), BODY
    officials_path = paths["officials"]
    units_path = paths.get("units", officials_path)
    with warnings.catch_warnings():  # (how the files were read goes to the client, in the report: not to the log)
        warnings.simplefilter("ignore", InputNote)
        officials, units = engine.read(officials_path, units_path)
    names = {field: filename for field, filename, _ in job.uploads}
    return _as_uploaded(officials, paths, names), units, file_sha256(officials_path, units_path), names["officials"]


def _as_uploaded(officials: Sequence[Official], paths: dict[str, Path], names: dict[str, str]) -> Sequence[Official]:
    """``officials`` with how their files were read (:attr:`~cadre_rules.OfficialTable.read_notes`) naming the files
    as uploaded, not the folder the worker wrote them to (as the command line names the files it was given)."""
    if type(officials) is not OfficialTable or not officials.read_notes:
        return officials
    uploaded = {str(path): names[field] for field, path in paths.items() if field in names}
    return officials.with_read_notes([attrs.evolve(note, file=uploaded.get(note.file, note.file))
                                      for note in officials.read_notes])


def _text(out: str | bytes) -> bytes:
    return out.encode("utf-8") if isinstance(out, str) else out


def _explain(job: Job) -> Answer | Refusal:
    """``cadre-rules explain``: one official, or a unit, a district or the city (as that command: the
    reference backend)."""
    options = dict(job.options)
    engine = _engine(job, backend="reference")
    with _uploads(job) as paths:
        officials, units, _, source = _records(engine, job, paths)
    official = options.get("official")
    if official is None:
        kind: ScopeKind = "unit" if options.get("unit") else "district" if options.get("district") else "city"
        scoped = explain_scope(engine, officials, units, kind, options.get("unit") or options.get("district"),
                               job.as_of)
        scoped = result_named_by(scoped, query_name)
        scoped = scoped.redacted() if options.get("redact") else scoped
        body = canonical_json(scoped.to_dict()) if job.fmt == "json" \
            else render_scope_explanation(scoped, lang=job.lang)
        return Answer(_text(body), job.fmt, job.fmt if job.fmt == "json" else "txt")
    result = explain_official(engine, officials, units, str(official), job.as_of, rule=options.get("rule"),
                              source=source)
    result = result_named_by(result, query_name)
    result = result.redacted() if options.get("redact") else result
    body = result.to_json() if job.fmt == "json" else render_explanation(result, lang=job.lang)
    return Answer(_text(body), job.fmt, job.fmt if job.fmt == "json" else "txt")


def _project(job: Job) -> Answer | Refusal:
    """``cadre-rules project``: each target at each step date to ``to``, with the uploaded plan if any."""
    from ..jobs._plan import load_plan  # noqa: PLC0415 - the job's modules load with its first request
    from ..jobs._project import project  # noqa: PLC0415
    from ..jobs._project_formats import FORMATS  # noqa: PLC0415
    from ..jobs._project_formats import render_projection  # noqa: PLC0415

    options = dict(job.options)
    engine = _engine(job)
    with _uploads(job) as paths:
        officials, units, _, _ = _records(engine, job, paths)
        plan = load_plan(paths["plan"]) if "plan" in paths else ()
        result = project(engine, officials, units, options["to"], as_of=job.as_of, step=options["step"], plan=plan,
                         scope=options.get("scope"))
    body = _text(render_projection(result_named_by(result, query_name), job.fmt, job.lang))
    return Answer(body, job.fmt, FORMATS[job.fmt][0], (("X-Cadre-Rules-Unmet", str(len(result.unmet()))),))


def _match(job: Job) -> Answer | Refusal:
    """``cadre-rules match``: eligible candidates for the posts to fill, with the uploaded posts if any."""
    from ..jobs._match import match  # noqa: PLC0415 - the job's modules load with its first request
    from ..jobs._match import read_posts  # noqa: PLC0415
    from ..jobs._match_formats import render_match_csv  # noqa: PLC0415
    from ..jobs._match_formats import render_match_html  # noqa: PLC0415
    from ..jobs._match_formats import render_match_json  # noqa: PLC0415
    from ..jobs._match_formats import render_match_text  # noqa: PLC0415
    from ..jobs._match_formats import render_match_xlsx  # noqa: PLC0415

    options = dict(job.options)
    engine = _engine(job)
    with _uploads(job) as paths:
        officials, units, _, _ = _records(engine, job, paths)
        listed = read_posts(paths["posts"], {u.code: u for u in units}) if "posts" in paths else []
        result = match(engine, officials, units, job.as_of, within=options.get("within"), posts=listed,
                       top=options["top"], assign=bool(options.get("assign")), scope=options.get("scope"))
    result = result_named_by(result, query_name)
    if options.get("redact"):  # (--redact: ids only)
        result = result.redacted()
    renderers: dict[str, Callable[[], str | bytes]] = {
        "json": lambda: render_match_json(result), "csv": lambda: render_match_csv(result),
        "xlsx": lambda: render_match_xlsx(result, job.lang), "text": lambda: render_match_text(result, job.lang),
        "html": lambda: render_match_html(result, job.lang)}
    return Answer(_text(renderers[job.fmt]()), job.fmt, "txt" if job.fmt == "text" else job.fmt)


#: What each task runs.
TASKS: dict[str, Callable[[Job], Answer | Refusal]] = {
    "evaluate": _evaluate, "explain": _explain, "project": _project, "match": _match}


def run_job(job: Job) -> Answer | Refusal:
    """Run ``job``; every error becomes a :class:`Refusal` (the worker never dies of a request)."""
    _pause(job)
    try:
        return TASKS[job.task](job)
    except InputError as exc:
        exc = located_in_query(exc)
        return Refusal("input", exc.text(translation(job.ui_lang).gettext), problem_rows(exc.problems, job.ui_lang))
    except PackError as exc:
        exc = _unplaced(exc, job.packs)
        return Refusal("pack", exc.text(translation(job.ui_lang).gettext), problem_rows(exc.problems, job.ui_lang))
    except PluginError as exc:
        return Refusal("plugin", exc.text(translation(job.ui_lang).gettext))
    except EvaluationError as exc:
        return Refusal("evaluation", named_by(exc, query_name).text(translation(job.ui_lang).gettext))
    except RenderError as exc:  # the host lacks what the format needs (Chromium): not the request's fault
        return Refusal("render", named_by(exc, query_name).text(translation(job.ui_lang).gettext))
    except CadreRulesError as exc:
        return Refusal("usage", exc.text(translation(job.ui_lang).gettext))
    except MemoryError:
        return Refusal("internal", translation(job.ui_lang).gettext(_OUT_OF_MEMORY))
    except Exception as exc:  # a bug: one line, no traceback to the client
        text = " ".join(str(exc).split())[:200]
        return Refusal("internal", translation(job.ui_lang).gettext(_INTERNAL).format(
            name=f"{type(exc).__name__}: {text}".rstrip(": ")))


def located_in_query(exc: InputError) -> InputError:
    """``exc`` as the service words it: the caller's arguments it names (where a problem is: ``scope``, ``rule``,
    ``as_of``; or that its reason names: ``legacy_districts=true``) said as the query gives them
    (:func:`query_name`)."""
    return named_by(exc, query_name)


#: The API's arguments whose query parameter is named otherwise.
_QUERY_NAMES = {"params": "param", "packs": "pack"}


def query_name(argument: Argument) -> str:
    """The service's query parameter for an argument of the API (``scope`` → ``scope``; with the value to give
    it: ``legacy_districts=true``)."""
    name = _QUERY_NAMES.get(argument.name, argument.name)
    if argument.setting is None:
        return name
    return f"{name}={str(argument.setting).lower() if isinstance(argument.setting, bool) else argument.setting}"


def _unplaced(exc: PackError, named: Sequence[str] = ()) -> PackError:
    """``exc`` as the service words it: each pack file named by its name alone (where the server keeps its
    packs is not the client's business: ``hanoi-de-an-34.toml, params.young_min_share: …``), a pack the query
    names (``named``: ``pack=no-such-pack``, an unknown id or version) located at the query parameter ``pack``
    with the value given, and a parameter override by the query parameter it came from, ``param``, not the
    command line's ``--param``."""
    if any(p.file in named and p.column is None and p.row is None for p in exc.problems):
        exc = PackError([attrs.evolve(p, file="pack", value=p.file)
                         if p.file in named and p.column is None and p.row is None else p for p in exc.problems])
    if any(os.path.isabs(p.file) for p in exc.problems):
        exc = PackError([attrs.evolve(p, file=Path(p.file).name) if os.path.isabs(p.file) else p
                         for p in exc.problems])
    return named_by(exc, query_name)


_NOT_A_FORMAT = N_("{format} is not a format of the service; choose from {known}")
_NO_PACK = N_("no policy pack is in effect on {date}; name one with pack=")
_OUT_OF_MEMORY = N_("out of memory; the input is too large for this worker")
_INTERNAL = N_("internal error (a bug in cadre-rules, please report it): {name}")


def serve_forever(conn: Connection, lang: str) -> None:
    """The worker's loop: answer the jobs sent on ``conn`` until it closes. Warms up the default engine first
    (loading the packs and compiling them), then says it is ready with its process id."""
    with contextlib.suppress(CadreRulesError):  # (the first request reports it)
        _engine(Job(date.today(), (), (), lang, "json", False, "Hà Nội", False))
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        conn.send(run_job(job))
