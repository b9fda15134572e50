"""Utilities of the property tests: a canonical TOML writer, process isolation, report outcomes."""

from __future__ import annotations

import math
import os
import pickle
import re
import select
import signal
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from datetime import time as clock
from typing import Any

from hypothesis import settings

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit

# --------------------------------------------------------------------------- example budgets


def scaled(fraction: float, minimum: int = 5) -> int:
    """``fraction`` of the active profile's ``max_examples`` (so that ``thorough`` stays 100× ``ci``)."""
    return max(minimum, round(settings.default.max_examples * fraction))


# --------------------------------------------------------------------------- canonical TOML

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string (control characters escaped, everything else kept)."""
    out = ['"']
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, clock)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def to_toml(data: Mapping[str, Any]) -> str:
    """Canonical TOML of a pack dict: root keys, then ``[tables]``, then ``[[arrays of tables]]``.

    Nested tables are written inline, so ``tomllib.loads(to_toml(d)) == d`` for the dicts of TOML values
    that the strategies draw.
    """
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()
             if not isinstance(v, Mapping) and not _is_table_array(v)]
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"\n[{toml_key(key)}]")
            lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
    for key, value in data.items():
        if _is_table_array(value):
            for table in value:
                lines.append(f"\n[[{toml_key(key)}]]")
                lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- process isolation


class Crashed(AssertionError):
    """The isolated call killed its process (a signal) or did not finish in time."""


def run_isolated(fn: Callable[[], Any], timeout: float = 120.0) -> Any:
    """Run ``fn()`` in a forked child and return its result (re-raising what it raised).

    The durable-rules C engine can crash or hang the process; isolated, such a run becomes an ordinary
    test failure that Hypothesis can shrink. Without ``fork`` (Windows) ``fn`` runs in this process.
    """
    if not hasattr(os, "fork"):
        return fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            try:
                result: tuple[str, Any] = ("value", fn())
            except BaseException as exc:  # everything is reported to the parent
                result = ("raised", exc)
            try:
                payload = pickle.dumps(result)
            except Exception:  # an unpicklable exception: send its text
                payload = pickle.dumps(("raised", RuntimeError(repr(result[1]))))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            ready = select.select([pipe], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise Crashed(f"the isolated call did not finish within {timeout:g} s")
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise Crashed(f"the isolated call was killed by signal {os.WTERMSIG(status)} "
                      f"({signal.Signals(os.WTERMSIG(status)).name})")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "raised":
        raise value
    return value


# --------------------------------------------------------------------------- outcomes


Outcome = tuple[str, str]


def outcome(engine: Engine, officials: Iterable[Official], units: Iterable[Unit], as_of: date) -> Outcome:
    """``("report", json)`` or ``("error", exception type)`` of one evaluation (package errors only)."""
    try:
        return "report", engine.evaluate(list(officials), list(units), as_of).to_json()
    except CadreRulesError as exc:
        return "error", type(exc).__name__


def isolated_outcome(engine: Engine, officials: Iterable[Official], units: Iterable[Unit], as_of: date) -> Outcome:
    people, places = list(officials), list(units)
    result: Outcome = run_isolated(lambda: outcome(engine, people, places, as_of))
    return result


def without_input_digest(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report dict without the digest of the input records (it depends on their order)."""
    out = dict(report)
    out["input"] = {k: v for k, v in report["input"].items() if k != "sha256"}
    return out
