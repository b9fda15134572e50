"""The size and time limits of cadre-rules: every bound on what a file, a pack or a plugin may make us do.

Each limit is a constant here, named in the error that reports it; a limit that legitimate data
could reach can be raised through the environment variable named in :data:`ENV` (the message says
which). The limits exist so that a hostile or damaged input is refused quickly with a located
error, instead of exhausting memory or time.
"""

from __future__ import annotations

import os

from .errors import N_
from .errors import Count
from .errors import InputError
from .errors import Message
from .errors import Problem

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV",
    "HOOK_TIMEOUT",
    "MAX_CELL_CHARS",
    "MAX_DNF_TERMS",
    "MAX_FORMAT_WIDTH",
    "MAX_JSON_DEPTH",
    "MAX_LINE_BYTES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_XLSX_BYTES",
    "PRINT_LINES",
    "limit",
    "open_run",
    "too_large",
]

#: The default of ``--timeout``: the whole command (reading, plugins, evaluation, writing), in seconds.
DEFAULT_TIMEOUT = 3600.0
#: One call of a plugin hook (one official's enrichment, one registration), in seconds.
HOOK_TIMEOUT = 60.0
#: Characters in one cell (CSV, XLSX) or one JSON string value or key.
MAX_CELL_CHARS = 100_000
#: Bytes in one physical CSV or JSONL line (checked while the file is read, before it is decoded).
MAX_LINE_BYTES = 1_000_000
#: Data rows in one file.
MAX_ROWS = 2_000_000
#: Total uncompressed size of the members of an XLSX workbook (a zip file), in bytes.
MAX_XLSX_BYTES = 1 << 30
#: Entries in an XLSX workbook's shared-strings table.
MAX_SHARED_STRINGS = 1_000_000
#: Nesting depth of JSON arrays and objects (an officials file needs 2; a report 5).
MAX_JSON_DEPTH = 64
#: Width or precision in a format spec of a pack message (``{id:>20}``).
MAX_FORMAT_WIDTH = 200
#: Terms of a rule condition in disjunctive normal form (what durable-rules is given).
MAX_DNF_TERMS = 1024
#: Lines the PDF lists at most by default (``--pdf-lines``: findings, units with vacant posts, unit rates,
#: set-aside and resolved findings): ≈ 4 A4 pages, which Chromium lays out in ≈ 0.1 s of CPU (≈ 0.3 ms a line:
#: bench/README.md); the rest is counted and left to the xlsx and html reports.
PRINT_LINES = 300

#: The environment variables that raise a limit legitimate data could reach (name → variable).
ENV = {
    "HOOK_TIMEOUT": "CADRE_RULES_HOOK_TIMEOUT",
    "MAX_CELL_CHARS": "CADRE_RULES_MAX_CELL_CHARS",
    "MAX_LINE_BYTES": "CADRE_RULES_MAX_LINE_BYTES",
    "MAX_ROWS": "CADRE_RULES_MAX_ROWS",
    "MAX_XLSX_BYTES": "CADRE_RULES_MAX_XLSX_BYTES",
    "MAX_SHARED_STRINGS": "CADRE_RULES_MAX_SHARED_STRINGS",
}
_DEFAULTS: dict[str, float] = {
    "HOOK_TIMEOUT": HOOK_TIMEOUT, "MAX_CELL_CHARS": MAX_CELL_CHARS, "MAX_LINE_BYTES": MAX_LINE_BYTES,
    "MAX_ROWS": MAX_ROWS, "MAX_XLSX_BYTES": MAX_XLSX_BYTES, "MAX_SHARED_STRINGS": MAX_SHARED_STRINGS,
}


def limit(name: str) -> float:
    """The value of the limit ``name``: its environment variable if set to a positive number, else the default."""
    default = _DEFAULTS[name]
    text = os.environ.get(ENV[name], "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):  # (also NaN)
        raise InputError([Problem(ENV[name], N_("expected a positive number"), value=text)])
    return value


def too_large(name: str, what: str, value: float | None = None) -> Message:
    """A reason naming the limit, e.g. ``a cell (250,000) exceeds the limit MAX_CELL_CHARS = 100,000; …``, in
    the language it is shown in (``what``: a message id, e.g. ``N_("the cell")``)."""
    bound = Count(limit(name) if name in _DEFAULTS else globals()[name])
    variable = ENV.get(name)
    if value is None:
        template = N_("{what} exceeds the limit {name} = {bound}") if variable is None else \
            N_("{what} exceeds the limit {name} = {bound}; if the data is legitimate, raise it with the "
               "environment variable {variable}")
        return Message(template, what=what, name=name, bound=bound, variable=variable)
    template = N_("{what} ({size}) exceeds the limit {name} = {bound}") if variable is None else \
        N_("{what} ({size}) exceeds the limit {name} = {bound}; if the data is legitimate, raise it with the "
           "environment variable {variable}")
    return Message(template, what=what, size=Count(value), name=name, bound=bound, variable=variable)


def open_run(run: int, chunk: bytes, sep: bytes, longest: float) -> int | None:
    """Scan ``chunk`` for a run of bytes without ``sep`` longer than ``longest`` (``run``: the run still open
    before the chunk). Return the run still open after it, or ``None`` if a run was too long.

    Fast path: a run longer than ``longest`` holds a whole block of ``longest / 2`` bytes aligned from the
    first ``sep``, so when every such block holds a ``sep`` (one C search each), no run is too long.
    """
    first = chunk.find(sep)
    if first < 0:
        run += len(chunk)
        return None if run > longest else run
    last = chunk.rfind(sep)
    block = max(int(longest) // 2, 1)
    inner = any(chunk.find(sep, k, k + block) < 0 for k in range(first + 1, last, block)) and \
        max(map(len, chunk[first:last].split(sep))) > longest
    tail = len(chunk) - last - len(sep)
    return None if run + first > longest or inner or tail > longest else tail
