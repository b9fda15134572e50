"""The digest of records given in code: a report's ``input.sha256`` when :meth:`Engine.evaluate` is given none.

The CLI and the service hash the bytes they read; an integrator's records have no bytes, so the engine hashes
a canonical text of them, a column at a time. The text (version 1) is:

* a header: ``cadre-rules records v1``, then per kind (units, then officials) its count and field names;
* then the units and then the officials in their order, in chunks of :data:`CHUNK` records: each chunk the
  compact JSON (UTF-8, no blanks, no ``\\uXXXX`` but for control characters) of its list of columns, one per
  field in declaration order. Text is a JSON string, a date ``"YYYY-MM-DD"``, a share ``[numerator,
  denominator]``, a tuple (posts, ratings, discipline) an array, ``extra`` an object (keys sorted), ``None``
  ``null``.

Each field holds one type (the records' converters see to it, :mod:`cadre_rules.io._coerce`) and JSON is
self-delimiting, so records that differ in any field, or in their order, have different texts, and equal
records the same text. The text depends on values only (no ``hash()``, which is salted per process, no object
identity): the same records give the same digest in any process, on Python 3.11 and 3.13.

Each column is read by a C loop (:func:`operator.attrgetter` mapped over the chunk) and encoded by orjson (C):
at 100,000 officials the digest takes ≈0.11 s of CPU where ``repr()`` of every record took 0.55 s
(bench/README.md). Where orjson refuses a value (a lone surrogate, an integer past 64 bits) :mod:`json` writes
the same text.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any
from typing import NamedTuple

import attrs
import orjson

from ..model._model import Official
from ..model._model import Unit
from ..model._table import OfficialTable

__all__ = ["CHUNK", "OFFICIALS", "UNITS", "Kind", "columns", "json_text", "records_sha256"]

#: Records per chunk of the text: bounds the memory the digest takes (a few MB), whatever the number of records.
CHUNK = 8192

Record = Unit | Official


class Kind(NamedTuple):
    """How the records of one class are read a column at a time."""

    name: str
    cls: type[Record]
    fields: tuple[str, ...]
    getters: tuple[Callable[[Any], Any], ...]


def _kind(name: str, cls: type[Record]) -> Kind:
    fields = tuple(field.name for field in attrs.fields(cls))
    return Kind(name, cls, fields, tuple(map(operator.attrgetter, fields)))


UNITS = _kind("units", Unit)
OFFICIALS = _kind("officials", Official)


def records_sha256(officials: Sequence[Official], units: Sequence[Unit]) -> str:
    """The SHA-256 (hex) of the canonical text of ``units`` and ``officials`` (the module's docstring)."""
    given: tuple[tuple[Kind, Sequence[Record]], ...] = ((UNITS, units), (OFFICIALS, officials))
    header = ["cadre-rules records v1", *(f"{kind.name} {len(records)}: {','.join(kind.fields)}"
                                         for kind, records in given)]
    digest = hashlib.sha256("\n".join(header).encode() + b"\n")
    for kind, records in given:
        for start in range(0, len(records), CHUNK):
            digest.update(_text(_chunk(records, kind, start, start + CHUNK)))
    return digest.hexdigest()


def _chunk(records: Sequence[Record], kind: Kind, start: int, end: int) -> list[list[Any]]:
    """:func:`columns` of ``records[start:end]``: of an :class:`OfficialTable`, slices of its columns."""
    if type(records) is OfficialTable:
        return [list(records.column(name)[start:end]) for name in kind.fields]
    return columns(records[start:end], kind)


def columns(records: Sequence[Record], kind: Kind) -> list[list[Any]]:
    """The values of ``records`` (of ``kind``) as one list per field, in declaration order."""
    return [list(map(getter, records)) for getter in kind.getters]


def _text(columns: list[list[Any]]) -> bytes:
    """The compact JSON of ``columns``: orjson's, or :func:`json_text` where orjson refuses a value."""
    try:
        return orjson.dumps(columns, default=_json_value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # a lone surrogate, an integer past 64 bits
        return json_text(columns)


def json_text(columns: list[list[Any]]) -> bytes:
    """The compact JSON of ``columns`` written by :mod:`json`: orjson's text, and any text (lone surrogates
    as such) or integer."""
    text = json.dumps(columns, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_json_value)
    return text.encode("utf-8", "surrogatepass")


def _json_value(value: object) -> object:
    """A JSON value for what the encoders do not write themselves: shares, dates (json), other mappings."""
    if isinstance(value, Fraction):
        return [value.numerator, value.denominator]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"no JSON for a value of type {type(value).__name__}")
