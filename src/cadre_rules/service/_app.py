"""The HTTP application of ``cadre-rules serve`` (Starlette): routes, limits, access, problem details.

Evaluations run in the worker pool (:mod:`cadre_rules.service._pool`); pack look-ups in the server process
(a reference-backend engine: packs only, no durable-rules). Every error is an RFC 9457 problem details
document (``application/problem+json``) with the CLI's located problems, its title in the request's
language (``Accept-Language: vi``). The log has one line per request: its id, method, route, status, sizes
and time, never a query, a body or a name.
"""

from __future__ import annotations

import contextlib
import difflib
import hmac
import logging
import time
import uuid
from collections.abc import AsyncIterator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import orjson
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.responses import JSONResponse
from starlette.responses import PlainTextResponse
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp
from starlette.types import Message
from starlette.types import Receive
from starlette.types import Scope
from starlette.types import Send

from .._i18n import LANGS
from .._i18n import N_
from .._i18n import translation
from ..engine._engine import Engine
from ..errors import CadreRulesError
from ..errors import InputError
from ..errors import InvalidValue
from ..errors import Message as Worded  # (starlette has a Message)
from ..errors import _fill
from ..io._tables import EXTENSIONS
from ..jobs._project import TO
from ..jobs._project import step_dates
from ..model._dates import parse_date
from ..packs._packs import Pack
from ..packs._registry import Kept
from ..packs._registry import _looks_like_path
from ..report._scope import parse_scope
from ..schemas import SCHEMAS
from ..schemas import schema_text
from ._docs import docs_page
from ._metrics import Metrics
from ._openapi import MEDIA_TYPES
from ._openapi import TASK_FORMATS
from ._openapi import openapi
from ._pool import Crashed
from ._pool import Pool
from ._pool import TimedOut
from ._worker import BODY
from ._worker import TASKS
from ._worker import Answer
from ._worker import Job
from ._worker import Refusal
from ._worker import located_in_query
from ._worker import problem_rows

__all__ = ["Settings", "make_app"]

_log = logging.getLogger("cadre_rules.serve")

_JSON_TYPES = ("application/json",)
_COMMON_QUERY = frozenset({"as_of", "pack", "param", "lang", "format"})
#: The query parameters that may be given more than once.
_REPEATABLE = frozenset({"pack", "param"})
#: The query parameters of each task: those of the command of the same name.
_QUERY = {
    "evaluate": _COMMON_QUERY | {"explain", "city", "legacy_districts", "pdf_lines", "scope", "redact"},
    "explain": _COMMON_QUERY | {"official", "unit", "district", "city", "rule", "redact"},
    "project": _COMMON_QUERY | {"to", "step", "city", "legacy_districts", "scope"},
    "match": _COMMON_QUERY | {"within", "top", "assign", "legacy_districts", "scope", "redact"},
}
#: The formats of evaluate whose findings can carry their explanation (``explain``; the CLI's ``EXPLAINED``).
_EXPLAINED = ("json", "jsonl")
#: The uploaded files a task reads besides officials and units, and the extensions each may have (evaluate's: the
#: command's ``--waivers`` and ``--baseline``).
_EXTRA_FILES: dict[str, dict[str, tuple[str, ...]]] = {
    "evaluate": {"waivers": (".toml",), "baseline": (".json",)},
    "project": {"plan": EXTENSIONS}, "match": {"posts": (".csv",)}}
_STEPS = ("month", "quarter", "year")
_OPEN = frozenset({"/healthz", "/readyz"})
#: Keys of the ASGI scope: the request's id; the kind of the problem answered, if any.
_REQUEST_ID, _ERROR = "cadre_rules.request_id", "cadre_rules.error"
#: Where a refusal of the request's media type is located (the header's name, as a query parameter's).
_CONTENT_TYPE = "Content-Type"

# Titles of the problems, by kind: (status, title)
_PROBLEMS: Mapping[str, tuple[int, str]] = {
    "input": (422, N_("The input data has problems")),
    "pack": (422, N_("A policy pack cannot be used")),
    "plugin": (500, N_("A plugin failed")),
    "usage": (400, N_("The request is not valid")),
    "malformed": (400, N_("The request body is not valid JSON")),
    "media": (415, N_("Unsupported content type")),
    "too_large": (413, N_("The request body is too large")),
    "unauthorized": (401, N_("A valid bearer token is required")),
    "not_found": (404, N_("Not found")),
    "method": (405, N_("Method not allowed")),
    "timeout": (504, N_("The request did not finish in time")),
    "crashed": (500, N_("The worker running the request failed")),
    "evaluation": (500, N_("The rule engine failed")),
    "render": (500, N_("The report cannot be written in this format on this server")),
    "internal": (500, N_("Internal error")),
    "not_ready": (503, N_("The service is starting")),
}


@attrs.frozen
class Settings:
    """How the service runs (the options of ``cadre-rules serve``)."""

    workers: int = 1
    timeout: float = 300.0
    max_body: int = 64 << 20
    token: bytes | None = None
    lang: str = "vi"


class _Refused(Exception):
    """A request answered by a problem: ``detail`` an English message id (marked with ``N_``) filled with
    ``fields`` (an :class:`InvalidValue` among them shown as its reason), shown in the request's language;
    ``translated``: a detail already in it (a worker's refusal); ``at``: the request's field (a query parameter)
    the refusal is of, where it has no located ``problems`` of its own (:meth:`rows`)."""

    def __init__(self, kind: str, detail: str, problems: tuple[tuple[Any, ...], ...] = (), *,
                 translated: bool = False, at: str | None = None, **fields: object) -> None:
        super().__init__(detail)
        self.kind, self.detail, self.problems, self.translated, self.fields = kind, detail, problems, translated, fields
        self.at = at

    def rows(self, lang: str) -> tuple[tuple[Any, ...], ...]:
        """The problems of the answer: those given, else one located at the request's field :attr:`at` (its
        ``value`` given, the reason the detail gives after ``at: ``), as a worker's problems are located at
        ``scope`` or ``as_of``; none for a refusal of no one field."""
        if self.problems or self.at is None:
            return self.problems
        value = self.fields.get("value")
        return ((self.at, self.text(lang).removeprefix(f"{self.at}: "), None, None,
                 None if value is None else str(value), None),)

    def text(self, lang: str) -> str:
        """The detail in ``lang``."""
        if self.translated:
            return self.detail
        gettext = translation(lang).gettext
        fields = {name: Worded(value.template, **dict(value.fields)).text(gettext) if isinstance(value, InvalidValue)
                  else value.text(gettext) if isinstance(value, Worded) else value
                  for name, value in self.fields.items()}
        return _fill(gettext(self.detail), fields)


def request_lang(request: Request, default: str) -> str:
    """``vi`` or ``en``: the first of the request's ``Accept-Language`` tags that is one, else ``default``."""
    header = request.headers.get("accept-language", "")
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            with contextlib.suppress(ValueError):
                quality = float(params.strip()[2:])
        ranked.append((-quality, i, tag.strip().casefold()[:2]))
    for _, _, tag in sorted(ranked):
        if tag in LANGS:
            return tag
    return default


def problem(kind: str, detail: str, lang: str, request_id: str,
            problems: tuple[tuple[Any, ...], ...] = ()) -> Response:
    """An RFC 9457 problem details response."""
    status, title = _PROBLEMS[kind]
    body: dict[str, Any] = {"type": f"urn:cadre-rules:problem:{kind}", "title": translation(lang).gettext(title),
                            "status": status, "detail": detail, "instance": f"urn:uuid:{request_id}"}
    if problems:
        body["problems"] = [{"file": file, **({"sheet": sheet} if sheet is not None else {}), "row": row,
                             "column": column, "value": value, "reason": reason}
                            for file, reason, row, column, value, sheet in problems]
    headers = {"WWW-Authenticate": "Bearer"} if kind == "unauthorized" else None
    return Response(orjson.dumps(body, option=orjson.OPT_INDENT_2), status, headers,
                    media_type="application/problem+json")


_ROUTES = frozenset({"/v1/evaluate", "/v1/explain", "/v1/project", "/v1/match", "/v1/packs", "/healthz",
                     "/readyz", "/metrics", "/docs", "/openapi.json"})


def _route_of(path: str) -> str:
    """The route of ``path`` as the metrics name it (a pack's id or a schema's name left out)."""
    for prefix, route in (("/v1/packs/", "/v1/packs/{id}"), ("/v1/schema/", "/v1/schema/{name}")):
        if path.startswith(prefix):
            return route
    return path if path in _ROUTES else "other"


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _Refused("too_large", N_("the body has {size} bytes; the limit is {limit} (--max-body)"), at=BODY,
                       size=int(declared), limit=limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Refused("too_large", N_("the body has more than {limit} bytes (--max-body)"), at=BODY,
                           limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _flag(query: Mapping[str, str], name: str) -> bool:
    text = query.get(name, "false").casefold()
    if text not in ("true", "false", "1", "0"):
        raise _Refused("usage", N_("{name}: expected true or false (got {value!r})"), at=name, name=name, value=text)
    return text in ("true", "1")


def _date(query: Mapping[str, str], name: str) -> date | None:
    if name not in query:
        return None
    try:
        return parse_date(query[name])
    except ValueError as exc:
        raise _Refused("usage", N_("{name}: {reason}"), at=name, name=name, reason=exc, value=query[name]) from None


def _count(query: Mapping[str, str], name: str, least: int) -> int | None:
    if name not in query:
        return None
    text = query[name].strip()
    if not text.isdigit() or int(text) < least:
        raise _Refused("usage", N_("{name}: expected a whole number of at least {least} (got {value!r})"),
                       at=name, name=name, least=least, value=text)
    return int(text)


def _job(request: Request, lang: str, task: str) -> Job:
    """The job of a request for ``task``: its query checked as the command's options are."""
    query = request.query_params
    unknown = sorted(set(query) - _QUERY[task])
    if unknown:
        expected = ", ".join(sorted(_QUERY[task]))
        raise _Refused("usage", N_("unknown query parameter {name!r} (expected: {expected})"), at=unknown[0],
                       name=unknown[0],
                       expected=expected)
    repeated = sorted(name for name in set(query) - _REPEATABLE if len(query.getlist(name)) > 1)
    if repeated:  # (which one would count? a client's mistake, not a choice to make for it)
        raise _Refused("usage", N_("{name}: given {count} times; give it once (only pack and param repeat)"),
                       at=repeated[0], name=repeated[0], count=len(query.getlist(repeated[0])))
    as_of = _date(query, "as_of") or date.today()
    for pack in query.getlist("pack"):
        if _looks_like_path(pack):  # the service reads no file of its host
            raise _Refused("usage", N_("pack: expected a pack id or ID@VERSION, not a file (got {value!r}; GET "
                                       "/v1/packs lists them)"), at="pack", value=pack)
    params = []
    for item in query.getlist("param"):
        key, equals, value = item.partition("=")
        if not equals or "." not in key:
            raise _Refused("usage", N_("param: expected PACK.KEY=VALUE (got {value!r})"), at="param", value=item)
        params.append((key.strip(), value.strip()))
    report_lang = query.get("lang", lang)
    if report_lang not in LANGS:
        raise _Refused("usage", N_("lang: expected vi or en (got {value!r})"), at="lang", value=report_lang)
    fmt = query.get("format", "json")
    if task != "evaluate" and fmt not in TASK_FORMATS[task]:  # (evaluate's: its renderers', a plugin's too)
        raise _Refused("usage", N_("format: {value!r} is not a format of {task}; choose from {formats}"), value=fmt,
                       at="format", task=task, formats=", ".join(TASK_FORMATS[task]))
    options = _options(query, task, as_of, fmt, lang)
    city = query.get("city", "Hà Nội") if task in ("evaluate", "project") else "Hà Nội"
    return Job(as_of, tuple(query.getlist("pack")), tuple(params), report_lang, fmt,
               task == "evaluate" and _flag(query, "explain"), city, _flag(query, "legacy_districts"),
               task=task, options=tuple(options.items()), ui_lang=lang)


def _options(query: Mapping[str, str], task: str, as_of: date, fmt: str, lang: str) -> dict[str, Any]:
    """The options only ``task`` has (checked here: a bad one is a 400 before any worker is busy)."""
    if task == "evaluate":
        if _flag(query, "explain") and fmt not in _EXPLAINED:
            raise _Refused("usage", N_("explain goes with the formats {formats} (got format={value!r})"),
                           at="explain", formats=", ".join(_EXPLAINED), value=fmt)
        options: dict[str, Any] = {"redact": True} if _flag(query, "redact") else {}
        if "scope" in query:
            options["scope"] = _scope(query["scope"], lang)
        lines = _count(query, "pdf_lines", 0)
        if lines is None:
            return options
        if fmt != "pdf":
            raise _Refused("usage", N_("pdf_lines goes with format=pdf (got format={value!r})"), at="pdf_lines",
                           value=fmt)
        return {**options, "pdf_lines": lines}
    if task == "explain":
        chosen = {name: query[name] for name in ("official", "unit", "district") if query.get(name)}
        if _flag(query, "city"):
            chosen["city"] = "true"
        if len(chosen) != 1:
            raise _Refused("usage", N_("name one of official=ID, unit=CODE, district=NAME or city=true "
                                       "(got {chosen})"), at=next(iter(chosen), "official"),
                           chosen=", ".join(chosen) or "-")
        return {**chosen, "rule": query.get("rule"), "redact": _flag(query, "redact")}
    if task == "project":
        to = _date(query, "to")
        if to is None:
            raise _Refused("usage", N_("to: the last step date is required (to=YYYY-MM-DD)"), at="to")
        step = query.get("step", "year")
        if step not in _STEPS:
            raise _Refused("usage", N_("step: expected {steps} (got {value!r})"), at="step", steps=", ".join(_STEPS),
                           value=step)
        try:
            step_dates(as_of, to, step)  # type: ignore[arg-type]
        except InputError as exc:  # (to before as_of, too many steps: located at to or step, as project() does)
            raise _located(_to_as_written(exc, query["to"]), lang) from None
        return {"to": to, "step": step, **_job_scope(query, lang)}
    if task == "match":
        return {"within": _count(query, "within", 0), "top": _count(query, "top", 1) or 10,
                "assign": _flag(query, "assign"), "redact": _flag(query, "redact"), **_job_scope(query, lang)}
    return {}


def _as_sent(rows: tuple[tuple[Any, ...], ...], query: Mapping[str, str]) -> tuple[tuple[Any, ...], ...]:
    """A worker's problems with the value of one located at ``as_of`` as the query wrote it (``01/01/2020``, where
    the job knows only the date: no pack in effect on it, before every birth)."""
    if "as_of" not in query:
        return rows
    return tuple((*row[:4], query["as_of"], *row[5:]) if row[0] == "as_of" else row for row in rows)


def _to_as_written(exc: InputError, written: str) -> InputError:
    """``exc`` with the value of a problem of ``to`` as the query wrote it (``31/12/2024``, where the job knows only
    the date)."""
    return InputError([attrs.evolve(p, value=written) if p.file == TO else p for p in exc.problems])


def _job_scope(query: Mapping[str, str], lang: str) -> dict[str, str]:
    """``scope=`` of project and match, as their ``--scope``: checked here (malformed: a 400), given to the job as
    its text (the district or commune it names is found in the data by the job: else a 422)."""
    if "scope" not in query:
        return {}
    _scope(query["scope"], lang)
    return {"scope": query["scope"]}


def _scope(text: str, lang: str) -> tuple[str, str]:
    """``scope=district:NAME`` or ``commune:NAME`` as ``--scope`` reads it (:func:`parse_scope`); malformed: a 400
    (wrong whatever the data) located at the parameter ``scope``, with the command line's reason. (A district or unit
    not in the data: the worker's 422, the request well-formed but not fitting the data.)"""
    try:
        return parse_scope(text)
    except InputError as exc:
        raise _located(exc, lang) from None


def _located(exc: InputError, lang: str) -> _Refused:
    """A 400 of a query parameter wrong whatever the data: ``exc``'s problems located at the parameters as the
    service names them (:func:`located_in_query`), in ``lang``."""
    located = located_in_query(exc)
    return _Refused("usage", located.text(translation(lang).gettext), problem_rows(located.problems, lang),
                    translated=True)


async def _input(request: Request, job: Job, limit: int) -> Job:
    media = request.headers.get("content-type", "").partition(";")[0].strip().casefold()
    if media in _JSON_TYPES:
        return job._replace(document=await _body(request, limit))
    if media == "multipart/form-data":
        return job._replace(uploads=await _uploads(request, job.task, limit))
    raise _Refused("media", N_("content type {media!r}: send application/json (the input document) or "
                               "multipart/form-data with the files officials and units"), at=_CONTENT_TYPE,
                   media=media or "-", value=request.headers.get("content-type"))


async def _uploads(request: Request, task: str, limit: int) -> tuple[tuple[str, str, bytes], ...]:
    """The uploaded files: officials and units (a workbook alone may hold both), and the task's own files
    (``waivers`` and ``baseline``, ``plan``, ``posts``) if sent."""
    allowed = {"officials": EXTENSIONS, "units": EXTENSIONS, **_EXTRA_FILES.get(task, {})}
    request._body = await _body(request, limit)  # read once, bounded; the form parser reads it from there
    try:
        form = await request.form(max_files=len(allowed) + 1, max_fields=0)  # (one more: named below, if unknown)
    except HTTPException as exc:  # (starlette's for a body it cannot parse: no boundary, cut short, too many files)
        raise _Refused("usage", N_("multipart: the body cannot be read as multipart/form-data ({reason}); send "
                                   "the files officials and units"), at=BODY, reason=str(exc.detail)) from None
    try:
        unknown = sorted(set(form) - set(allowed))
        if unknown:
            raise _Refused("usage", N_("multipart: unknown field {name!r} (expected {fields})"), at=unknown[0],
                           name=unknown[0], fields=", ".join(allowed))
        files = []
        for name, extensions in allowed.items():
            upload = form.get(name)
            if upload is None:
                continue
            if not isinstance(upload, UploadFile):
                raise _Refused("usage", N_("multipart: the field {name!r} must be a file"), at=name, name=name)
            filename = upload.filename or name
            if Path(filename).suffix.lower() not in extensions:
                raise _Refused("usage", N_("{name}: the file name {filename!r} must end in {extensions}"),
                               at=name, name=name, filename=filename, value=filename,
                               extensions=", ".join(extensions))
            files.append((name, filename, await upload.read()))
    finally:
        await form.close()
    sent = {name: filename for name, filename, _ in files}
    if "officials" not in sent or ("units" not in sent and Path(sent["officials"]).suffix.lower() != ".xlsx"):
        raise _Refused("usage", N_("multipart: expected the file fields officials and units (or one .xlsx "
                                   "workbook as officials, with a sheet of officials and one of units)"),
                       at="officials" if "officials" not in sent else "units")
    return tuple(files)


class Service:
    """The state of one running service: settings, worker pool, metrics, the packs for look-ups."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        self.pool = Pool(settings.workers, settings.timeout, settings.lang)
        self._packs: Engine | None = None
        self._kept: dict[str, list[dict[str, Any]]] | None = None

    @property
    def packs(self) -> Engine:
        if self._packs is None:
            self._packs = Engine(packs=[], backend="reference")
        return self._packs

    @property
    def kept(self) -> dict[str, list[dict[str, Any]]]:
        """The released versions kept as they were (:meth:`Engine.kept_versions`), listed under the version that
        took their place at the end of their revisions (``vn-commune-2tier@2025.10`` and ``@2025.10.1`` under
        ``@2025.10.2``), by its ref."""
        if self._kept is None:
            kept = self.packs.kept_versions()
            replaced_by = {entry.pack.ref: f"{entry.pack.id}@{entry.replaced_by}" for entry in kept}
            self._kept = {}
            for entry in kept:
                last = replaced_by[entry.pack.ref]
                while last in replaced_by:  # (a kept version replaced by another kept one: on to its revision)
                    last = replaced_by[last]
                self._kept.setdefault(last, []).append(_kept_summary(entry))
        return self._kept

    def task(self, task: str) -> Callable[[Request], Awaitable[Response]]:
        """The handler of ``POST /v1/{task}``: the job run by a worker, bounded by ``--timeout``."""

        async def run(request: Request) -> Response:
            return await self.run(request, task)

        return run

    async def run(self, request: Request, task: str) -> Response:
        lang = request_lang(request, self.settings.lang)
        job = await _input(request, _job(request, lang, task), self.settings.max_body)
        try:
            answer = await self.pool.run(job)
        except TimedOut:
            raise _Refused("timeout", N_("the {task} request ran past --timeout {seconds} s and was cancelled; "
                                         "its worker was replaced"), task=task,
                           seconds=f"{self.settings.timeout:g}") from None
        except Crashed as exc:
            raise _Refused("crashed", N_("the worker process died while running the {task} request ({reason}); "
                                         "it was replaced"), task=task, reason=str(exc)) from None
        if isinstance(answer, Refusal):
            raise _Refused(answer.kind, answer.message, _as_sent(answer.problems, request.query_params),
                           translated=True)
        return _answer(answer, task)

    async def packs_list(self, request: Request) -> Response:
        unknown = sorted(set(request.query_params) - {"as_of"})
        if unknown:
            raise _Refused("usage", N_("unknown query parameter {name!r} (expected: {expected})"), at=unknown[0],
                       name=unknown[0],
                           expected="as_of")
        as_of = None
        if "as_of" in request.query_params:
            try:
                as_of = parse_date(request.query_params["as_of"])
            except ValueError as exc:
                raise _Refused("usage", N_("{name}: {reason}"), at="as_of", name="as_of", reason=exc,
                               value=request.query_params["as_of"]) from None
        packs = [pack for versions in self.packs.editions.values() for pack in versions]
        if as_of is not None:
            packs = [pack for pack in packs if pack.in_effect(as_of)]
        return JSONResponse([{**_pack_summary(pack), "kept": self.kept.get(pack.ref, [])} for pack in packs])

    async def pack(self, request: Request) -> Response:
        pack_id = request.path_params["pack_id"]
        versions = self.packs.editions.get(pack_id)
        if not versions:
            close = difflib.get_close_matches(pack_id, sorted(self.packs.editions), n=1)
            hint = Worded(N_("; did you mean {code}?"), code=repr(close[0])) if close else ""
            raise _Refused("not_found", N_("no pack {name!r} (GET /v1/packs lists them){hint}"), at="pack_id",
                           name=pack_id, value=pack_id, hint=hint)
        return JSONResponse({"id": pack_id, "versions": [{**_pack_detail(pack), "kept": self.kept.get(pack.ref, [])}
                                                         for pack in versions]})

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        await self.pool.check()
        body = {"ready": self.pool.ready, "workers": self.pool.pids, "busy": self.pool.busy}
        return JSONResponse(body, 200 if self.pool.ready else 503)

    async def metrics_text(self, request: Request) -> Response:
        text = self.metrics.text(workers=len(self.pool.pids), busy=self.pool.busy, restarts=self.pool.restarts)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    async def schema(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SCHEMAS:
            raise _Refused("not_found", N_("no schema {name!r} (the schemas: {names})"), at="name", name=name,
                           value=name, names=", ".join(SCHEMAS))
        return Response(schema_text(name).encode("utf-8"), media_type="application/schema+json")

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi())

    async def docs(self, request: Request) -> Response:
        return HTMLResponse(docs_page(openapi(), request_lang(request, self.settings.lang)))


#: The name of a download of each task's output (``report.xlsx``, ``projection.csv``…).
_DOWNLOAD = {"evaluate": "report", "explain": "explanation", "project": "projection", "match": "match"}


def _answer(answer: Answer, task: str) -> Response:
    headers = dict(answer.headers)
    if answer.fmt not in ("json", "text"):
        headers["Content-Disposition"] = f'attachment; filename="{_DOWNLOAD[task]}.{answer.extension.lstrip(".")}"'
    return Response(answer.body, 200, headers, media_type=MEDIA_TYPES.get(answer.fmt, "application/octet-stream"))


def _pack_summary(pack: Pack) -> dict[str, Any]:
    return {"id": pack.id, "version": pack.version, "ref": pack.ref,
            "title": {"vi": pack.title.vi, "en": pack.title.en},
            "effective_from": pack.effective_from.isoformat() if pack.effective_from else None,
            "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
            "superseded_on": pack.superseded_on.isoformat() if pack.superseded_on else None,
            "successor": pack.successor, "sha256": pack.sha256}


def _kept_summary(kept: Kept) -> dict[str, Any]:
    """A released version kept as it was: loadable only when named (``pack=ID@VERSION``), with its sha256 as
    released, the version that replaced it and, if it was withdrawn as wrong, why."""
    withdrawn = kept.withdrawn
    return {"ref": kept.pack.ref, "version": kept.pack.version, "sha256": kept.pack.sha256,
            "replaced_by": kept.replaced_by,
            "withdrawn": {"vi": withdrawn.vi, "en": withdrawn.en} if withdrawn is not None else None}


def _plain(value: object) -> object:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _pack_detail(pack: Pack) -> dict[str, Any]:
    return {**_pack_summary(pack),
            "params": {key: _plain(value) for key, value in pack.params.items()},
            "key_positions": list(pack.key_positions),
            "rules": [{"id": rule.id, "family": rule.family, "severity": rule.severity, "cite": rule.cite}
                      for rule in pack.rules],
            "sources": [attrs.asdict(source) if attrs.has(type(source)) else str(source) for source in pack.sources]}


def make_app(settings: Settings) -> ASGIApp:
    """The ASGI application (its worker pool starts with the application's lifespan)."""
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.kept  # noqa: B018 - load the packs and the kept versions before the first request
        await service.pool.start()
        try:
            yield
        finally:
            await service.pool.close()

    def endpoint(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        """The handler, its errors answered as problem details (and their kind noted for the metrics)."""

        async def answer(request: Request) -> Response:
            request_id = request.scope.get(_REQUEST_ID, "-")
            lang = request_lang(request, settings.lang)
            try:
                return await handler(request)
            except _Refused as exc:
                refused = exc
            except CadreRulesError as exc:
                refused = _Refused("pack", exc.text(translation(lang).gettext), translated=True)
            except Exception as exc:
                _log.error("request %s: internal error %s", request_id, type(exc).__name__)
                refused = _Refused("internal", N_("internal error (a bug in cadre-rules, please report it): "
                                                         "{name}"), name=type(exc).__name__)
            request.scope[_ERROR] = refused.kind
            return problem(refused.kind, refused.text(lang), lang, request_id, refused.rows(lang))

        return answer

    routes = [
        *(Route(f"/v1/{task}", endpoint(service.task(task)), methods=["POST"]) for task in TASKS),
        Route("/v1/packs", endpoint(service.packs_list), methods=["GET"]),
        Route("/v1/packs/{pack_id}", endpoint(service.pack), methods=["GET"]),
        Route("/healthz", endpoint(service.healthz), methods=["GET"]),
        Route("/readyz", endpoint(service.readyz), methods=["GET"]),
        Route("/metrics", endpoint(service.metrics_text), methods=["GET"]),
        Route("/v1/schema/{name}", endpoint(service.schema), methods=["GET"]),
        Route("/docs", endpoint(service.docs), methods=["GET"]),
        Route("/openapi.json", endpoint(service.openapi), methods=["GET"]),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        lang = request_lang(request, settings.lang)
        if exc.status_code == 405:  # (located at the method, the methods of the route said)
            refused = _Refused("method", N_("{path} does not answer the method {method} (allowed: {allowed})"),
                               at="method", method=request.method, path=request.url.path, value=request.method,
                               allowed=(exc.headers or {}).get("Allow", "-"))
        else:
            refused = _Refused("not_found", N_("no route {path!r} (see /docs)"), at="path", path=request.url.path,
                               value=request.url.path)
        request.scope[_ERROR] = refused.kind
        return problem(refused.kind, refused.text(lang), lang, request.scope.get(_REQUEST_ID, "-"), refused.rows(lang))

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error})
    return _Guard(app, service)


class _Guard:
    """The ASGI wrapper around the routes: request id, bearer token, errors as problem details, metrics, log."""

    def __init__(self, app: Starlette, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        request_id = str(uuid.uuid4())
        lang = request_lang(request, self.service.settings.lang)
        route = _route_of(scope["path"])
        started = time.perf_counter()
        metrics = self.service.metrics
        metrics.started()
        status = 500
        sent = 0
        error: str | None = None

        async def sending(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            refusal = self._refusal(request, route)
            if refusal is not None:
                error = refusal.kind
                await problem(refusal.kind, refusal.text(lang), lang, request_id, refusal.rows(lang))(
                    scope, receive, sending)
                return
            scope[_REQUEST_ID] = request_id
            await self.app(scope, receive, sending)
            error = scope.get(_ERROR)
        finally:
            seconds = time.perf_counter() - started
            if error is None and status >= 400:
                error = {404: "not_found", 405: "method"}.get(status, "http")
            metrics.finished(route, scope["method"], status, seconds, error)
            _log.info("request %s %s %s %d in=%s out=%d %.1fms", request_id, scope["method"], route, status,
                      request.headers.get("content-length", "-"), sent, seconds * 1000)

    def _refusal(self, request: Request, route: str) -> _Refused | None:
        token = self.service.settings.token
        if token is not None and request.url.path not in _OPEN:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.casefold() != "bearer" or not hmac.compare_digest(given.strip().encode(), token):
                return _Refused("unauthorized", N_("send Authorization: Bearer <token> (the token of --token-file)"),
                                at="Authorization")  # (the token given is never shown)
        if route == "other":
            return _Refused("not_found", N_("no route {path!r} (see /docs)"), at="path", path=request.url.path,
                            value=request.url.path)
        return None
