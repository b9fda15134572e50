"""The JSON input document: officials and units in one JSON text (``evaluate -`` on stdin, ``serve``'s body).

Three shapes, read through the records' parsing (:mod:`cadre_rules.io._records`, the readers' parsers):

- an object ``{"officials": [...], "units": [...]}`` (``units`` may be left out when given apart);
- a list of officials (JSON), or one official object per line (JSON Lines); then the units are given apart.

Numbers stay as written (``0.1`` is exactly a tenth); the list columns (``concurrent_positions``, ``ratings``,
``discipline``) may be JSON lists (or objects ``{"2023": "good"}``) as well as ``;``-separated text. Every
problem is located by a JSON pointer into the document (``/officials/3/gender``; JSON Lines: the line), in
the file named by the caller (``<stdin>``, ``<body>``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from typing import TypeVar

import attrs

from ..errors import N_
from ..errors import InputError
from ..errors import Problem
from ..errors import os_reason
from ..model._model import Official
from ..model._model import Unit
from ._io import _OFFICIAL_FIELDS
from ._io import _UNIT_FIELDS
from ._io import _records
from ._io import load_units
from ._json import Decoder
from ._json import JSONProblem
from ._json import invalid_json
from ._records import records_table
from ._tables import _OFFICIALS
from ._tables import _UNITS
from ._tables import _json_dump
from ._tables import _JSONNumber
from ._tables import _Problems

__all__ = ["DOCUMENT_KEYS", "STDIN", "document_sha256", "read_document", "read_stdin"]

#: The name problems of a document read from the standard input carry.
STDIN = "<stdin>"

#: The keys of the document object.
DOCUMENT_KEYS = ("officials", "units")

_R = TypeVar("_R", Official, Unit)


def _decode(text: str, name: str) -> tuple[Any, list[int] | None]:
    """The document's value; for JSON Lines, the list of the lines' values and their line numbers."""
    decoder = Decoder(number=_JSONNumber)
    try:
        return decoder.decode(text), None
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise InputError([Problem.of(name, invalid_json(exc))]) from None
    except JSONProblem as exc:
        raise InputError([exc.problem(name)]) from None
    lines: list[Any] = []
    numbers: list[int] = []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            lines.append(decoder.decode(line))
            numbers.append(number)
        except json.JSONDecodeError as exc:
            problems.append(Problem.of(name, invalid_json(exc, line=False), number))
        except JSONProblem as exc:
            problems.append(exc.problem(name, number))
    if problems:
        raise InputError(problems)
    return lines, numbers


def _read(records: object, name: str, prefix: str, fields: Sequence[Any], make: type[_R], *, key: str,
          known: Mapping[str, Unit] | None = None, lines: Sequence[int] | None = None) -> tuple[_R, ...]:
    schema = _OFFICIALS if make is Official else _UNITS
    problems = _Problems(name)
    if not isinstance(records, list):
        raise InputError([Problem.of(name, N_("expected a list of objects"), None, prefix or None)])
    try:
        table = records_table(records, schema, problems, shown=_json_dump)  # (a refused value: as the JSON has it)
        return tuple(_records(table, schema, fields, make, problems, key=key, known=known))
    except InputError as exc:
        raise InputError([_located(problem, prefix, lines) for problem in exc.problems]) from None


def _located(problem: Problem, prefix: str, lines: Sequence[int] | None) -> Problem:
    """A problem of the records located in the document: its pointer under ``prefix``; JSON Lines: the line
    and the key."""
    column, row = problem.column, problem.row
    if column is not None and column.startswith("/"):
        if lines is None:
            column = prefix + column
        else:
            index, _, key = column[1:].partition("/")
            row, column = lines[int(index)], key.replace("~1", "/").replace("~0", "~") or None
    return attrs.evolve(problem, row=row, column=column)


#: What a JSON input document is, as its problems show it.
_DOCUMENT = '{"officials": [...], "units": [...]}'


def read_document(data: bytes, name: str, *, units: Sequence[Unit] | None = None) \
        -> tuple[Sequence[Official], tuple[Unit, ...]]:
    """The officials and units of a JSON input document (see the module); ``units``: given apart.

    :raises InputError: with the located problems (of the units first: the officials are read against them).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem.of(name, N_("not UTF-8 text (byte {start} cannot be decoded)"), start=exc.start)]) \
            from None
    if not text.strip():
        raise InputError([Problem.of(name, N_("no input: expected a JSON document of officials and units"))])
    value, lines = _decode(text, name)
    if not isinstance(value, (dict, list)):  # (a number, a text: no document, no record of an official)
        raise InputError([Problem.of(name, N_("expected a JSON document ({document}) or a list of officials"),
                                     document=_DOCUMENT)])
    if isinstance(value, dict) and lines is None and "officials" not in value and "units" in value:
        raise InputError([Problem.of(name, N_("no officials in the document ({document})"), None, "/officials",
                                     document=_DOCUMENT)])
    if isinstance(value, dict) and lines is None and "officials" in value:
        unknown = [key for key in value if key not in DOCUMENT_KEYS]
        if unknown:
            raise InputError([Problem.of(name, N_("unknown key (expected officials and units)"), None, f"/{key}")
                              for key in unknown])
        if "units" in value:
            if units is not None:
                raise InputError([Problem.of(name, N_("units given twice: in the document and apart"), None,
                                             "/units")])
            units = _read(value["units"], name, "/units", _UNIT_FIELDS, Unit, key="code")
        officials_value, prefix = value["officials"], "/officials"
    else:
        officials_value = value if isinstance(value, list) else [value]
        prefix = ""
    if units is None:
        raise InputError([Problem.of(name, N_("no units: give them in the document ({document}) or apart"),
                                     document=_DOCUMENT)])
    known = {unit.code: unit for unit in units}
    read: Callable[..., tuple[Official, ...]] = _read
    officials = read(officials_value, name, prefix, _OFFICIAL_FIELDS, Official, key="id", known=known, lines=lines)
    return officials, tuple(units)


def document_sha256(data: bytes, units: bytes = b"") -> str:
    """The report's ``input.sha256`` of a document (and of its units file): SHA-256 of the bytes, in the
    order a pair of files is hashed (:func:`cadre_rules.io._io.file_sha256`)."""
    return hashlib.sha256(data + units).hexdigest()


def read_stdin(units_file: Path | None) -> tuple[Sequence[Official], tuple[Unit, ...], str]:
    """The officials and units of the JSON document on stdin (units from ``units_file`` if given), and the
    input's SHA-256.

    :raises InputError: nothing on stdin (a terminal), or the document's problems.
    """
    if sys.stdin is None or sys.stdin.isatty():
        reason = N_("nothing on stdin: pipe a JSON document (cadre-rules evaluate - < data.json)")
        raise InputError([Problem.of(STDIN, reason)])
    data = sys.stdin.buffer.read()
    units = load_units(units_file) if units_file is not None else None
    units_bytes = b""
    if units_file is not None:
        try:
            units_bytes = units_file.read_bytes()
        except OSError as exc:
            raise InputError([Problem.of(str(units_file), N_("cannot read the file: {reason}"),
                                         reason=os_reason(exc))]) from None
    officials, read_units = read_document(data, STDIN, units=units)
    return officials, read_units, document_sha256(data, units_bytes)
