"""What one worker process of ``cadre-rules serve`` does: evaluate a request as ``cadre-rules evaluate`` does.

A worker holds its own engines (durable-rules is not thread-safe: one process, one evaluation at a time),
keyed by the options that make an engine (packs, params, lang, city, legacy districts), the last few kept.
A job is a plain tuple (it crosses a pipe); the answer is :class:`Answer` or :class:`Refusal`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from .._document import document_sha256
from .._document import read_document
from .._engine import Engine
from .._io import file_sha256
from .._plugins import BUILTIN
from ..errors import CadreRulesError
from ..errors import EvaluationError
from ..errors import InputError
from ..errors import PackError
from ..errors import PluginError
from ..errors import Problem

__all__ = ["Answer", "Job", "Refusal", "run_job", "serve_forever"]

#: The name problems of a JSON body carry.
BODY = "<body>"
#: How many engines a worker keeps (each distinct set of packs, params and language makes one).
_ENGINES = 8


class Job(NamedTuple):
    """One evaluation: the input (a JSON document, or files by name) and the options of ``evaluate``."""

    as_of: date
    packs: tuple[str, ...]
    params: tuple[tuple[str, str], ...]
    lang: str
    fmt: str
    explain: bool
    city: str
    legacy_districts: bool
    document: bytes | None = None
    #: uploaded files: (officials name, officials bytes, units name, units bytes)
    files: tuple[str, bytes, str, bytes] | None = None


class Answer(NamedTuple):
    """The rendered report."""

    body: bytes
    fmt: str
    extension: str
    findings: int


class Refusal(NamedTuple):
    """A request that cannot be evaluated: ``kind`` ``input`` / ``pack`` / ``plugin`` / ``usage`` (4xx) or
    ``evaluation`` / ``internal`` (500), with the CLI's located problems."""

    kind: str
    message: str
    problems: tuple[tuple[str, str, int | None, str | None, str | None], ...] = ()


_engines: OrderedDict[tuple[object, ...], Engine] = OrderedDict()


def _engine(job: Job) -> Engine:
    key = (job.packs, job.params, job.lang, job.city, job.legacy_districts)
    engine = _engines.get(key)
    if engine is None:
        engine = Engine(packs=list(job.packs) or None, params=dict(job.params), city=job.city, lang=job.lang,
                        legacy_districts=job.legacy_districts, timeout=None)
        _engines[key] = engine
        if len(_engines) > _ENGINES:
            _engines.popitem(last=False)
    _engines.move_to_end(key)
    return engine


def _problems(problems: Sequence[Problem]) -> tuple[tuple[str, str, int | None, str | None, str | None], ...]:
    return tuple((p.file, p.reason, p.row, p.column, p.value) for p in problems)


def _joined(out: str | bytes | Iterator[str | bytes]) -> bytes:
    if isinstance(out, str):
        return out.encode()
    if isinstance(out, bytes):
        return out
    return b"".join(piece.encode() if isinstance(piece, str) else piece for piece in out)


#: Test hook (never set it in production): ``CITY:SECONDS`` — a request for that city waits that long in its
#: worker before it is evaluated, so that a test can run past ``--timeout`` whatever the machine's speed.
PAUSE_ENV = "CADRE_RULES_TEST_WORKER_PAUSE"


def _pause(job: Job) -> None:
    city, _, seconds = os.environ.get(PAUSE_ENV, "").rpartition(":")
    if city and job.city == city:
        time.sleep(float(seconds))


def _evaluate(job: Job) -> Answer | Refusal:
    _pause(job)
    engine = _engine(job)
    renderer = engine.plugins.renderers.get(job.fmt)
    if renderer is None or renderer.plugin != BUILTIN:
        known = ", ".join(sorted(n for n, r in engine.plugins.renderers.items() if r.plugin == BUILTIN))
        return Refusal("usage", f"{job.fmt!r} is not a format of the service; choose from {known}")
    applied, _ = engine.packs_for(job.as_of)
    if not applied:
        return Refusal("usage", f"no policy pack is in effect on {job.as_of.isoformat()}; name one with pack=")
    if job.files is not None:
        officials_name, officials_bytes, units_name, units_bytes = job.files
        with tempfile.TemporaryDirectory(prefix="cadre-rules-serve-") as folder:
            officials_path = Path(folder, "officials" + Path(officials_name).suffix.lower())
            units_path = Path(folder, "units" + Path(units_name).suffix.lower())
            officials_path.write_bytes(officials_bytes)
            units_path.write_bytes(units_bytes)
            try:
                officials, units = engine.read(officials_path, units_path)
            except InputError as exc:  # located in the files as uploaded, not in the folder
                names = {str(officials_path): officials_name, str(units_path): units_name}
                raise InputError([Problem(names.get(p.file, p.file), p.reason, p.row, p.column, p.value)
                                  for p in exc.problems]) from None
            sha256 = file_sha256(officials_path, units_path)
        source = officials_name
    else:
        officials, units = read_document(job.document or b"", BODY)
        sha256, source = document_sha256(job.document or b""), BODY
    report = engine.evaluate(officials, units, job.as_of, input_sha256=sha256, source=source)
    kwargs = {"explain": True} if job.explain else {}
    body = _joined(renderer.render(report, job.lang, **kwargs))
    return Answer(body, job.fmt, renderer.extension, len(report.findings))


def run_job(job: Job) -> Answer | Refusal:
    """Evaluate ``job``; every error becomes a :class:`Refusal` (the worker never dies of a request)."""
    try:
        return _evaluate(job)
    except InputError as exc:
        return Refusal("input", str(exc), _problems(exc.problems))
    except PackError as exc:
        return Refusal("pack", str(exc), _problems(exc.problems))
    except PluginError as exc:
        return Refusal("plugin", str(exc))
    except EvaluationError as exc:
        return Refusal("evaluation", str(exc))
    except CadreRulesError as exc:
        return Refusal("usage", str(exc))
    except MemoryError:
        return Refusal("internal", "out of memory; the input is too large for this worker")
    except Exception as exc:  # a bug: one line, no traceback to the client
        text = " ".join(str(exc).split())[:200]
        return Refusal("internal", f"internal error (a bug in cadre-rules, please report it): "
                                   f"{type(exc).__name__}: {text}".rstrip(": "))


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
