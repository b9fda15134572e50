"""Utilities of the property tests: a canonical TOML writer, process isolation, report outcomes."""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import re
import select
import signal
import tempfile
import time
import zipfile
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from datetime import date
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import settings

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.io._io import write_csv
from conftest import neutral_json

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


# --------------------------------------------------------------------------- files


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh directory per example (function-scoped tmp_path does not mix with @given)."""
    with tempfile.TemporaryDirectory(prefix="cadre-props-") as name:
        yield Path(name)


def write_rows(path: Path, rows: list[dict[str, str]], columns: list[str], *, ascii_json: bool = False) -> Path:
    """Write rows in the format of ``path``'s suffix: write_csv, openpyxl, or the json module."""
    suffix = path.suffix
    if suffix == ".csv":
        write_csv(path, rows, columns)
    elif suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for c, name in enumerate(columns, start=1):
            sheet.cell(row=1, column=c, value=name)
        for r, row in enumerate(rows, start=2):
            for c, name in enumerate(columns, start=1):
                cell = sheet.cell(row=r, column=c, value=row.get(name, ""))
                cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would make a formula)
        workbook.properties.created = workbook.properties.modified = datetime(2020, 1, 1)
        buffer = io.BytesIO()
        workbook.save(buffer)
        fixed_times = {"docProps/core.xml": lambda xml: _TIMESTAMP.sub(b"2020-01-01T00:00:00Z", xml)}
        path.write_bytes(rezip(buffer.getvalue(), fixed_times))  # the same bytes for the same rows
    elif suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=ascii_json, indent=1), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(row, ensure_ascii=ascii_json) + "\n" for row in rows), encoding="utf-8")
    return path


def columns_of(rows: list[dict[str, str]], contract: tuple[str, ...]) -> list[str]:
    extras = sorted({key for row in rows for key in row} - set(contract))
    return [*contract, *extras]


_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def rezip(archive: bytes, edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The zip archive with fixed timestamps (the same bytes every time), some parts edited."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if edits and name in edits:
                content = edits[name](content)
            target.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


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
    """``("report", json)`` or ``("error", exception type)`` of one evaluation (package errors only); the
    JSON leaves out the name of the backend (:func:`conftest.neutral_json`), so that the backends' outcomes compare."""
    try:
        return "report", neutral_json(engine.evaluate(list(officials), list(units), as_of))
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
