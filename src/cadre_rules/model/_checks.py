"""The checks of values given through the Python API: each gives the problem of one value (an argument, a
field of a record built directly), or ``None``, and :func:`refuse` raises those found as one
:class:`~cadre_rules.InputError`. A few ``isinstance`` checks a value: records are checked by one C pass over their
types. Here, below the model's records, so that the records (:func:`check_record`) and every layer's public
functions (:mod:`cadre_rules.model._arguments`) use the same checks and the same messages.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from fractions import Fraction
from typing import Any

import attrs

from .._limits import MAX_JSON_DEPTH
from ..errors import N_
from ..errors import InputError
from ..errors import Problem

__all__ = [
    "NESTED_TOO_DEEP",
    "Each",
    "FieldCheck",
    "a_choice",
    "a_count",
    "a_date",
    "a_digest",
    "a_flag",
    "a_fraction",
    "a_json_mapping",
    "a_mapping",
    "a_path",
    "a_paths",
    "a_record",
    "a_sequence",
    "a_text",
    "an_instance",
    "check_record",
    "json_mappings",
    "json_problems",
    "problem",
    "records",
    "refuse",
]


def refuse(*found: Problem | Iterable[Problem] | None) -> None:
    """An :class:`~cadre_rules.InputError` of every problem ``found`` (``None``: that argument is right)."""
    problems: list[Problem] = []
    for one in found:
        if isinstance(one, Problem):
            problems.append(one)
        elif one is not None:
            problems.extend(one)
    if problems:
        raise InputError(problems)


def problem(name: str, reason: str, value: object, *, shown: bool = True, **fields: object) -> Problem:
    """``value`` of the argument ``name`` refused for ``reason`` (filled with its type and ``fields``), shown as
    :meth:`Problem.at` shows a value (text as it is, anything else by its ``repr``; cut to 60 characters) unless
    ``shown`` is false (a value that may name a person)."""
    text = (value if isinstance(value, str) else repr(value))[:60] if shown else None
    return Problem.of(name, reason, None, None, text, type=type(value).__name__, **fields)


def a_date(name: str, value: object, *, optional: bool = True) -> Problem | None:
    """A ``date`` (not a ``datetime``, not text); ``None`` if ``optional``."""
    if (value is None and optional) or (isinstance(value, date) and not isinstance(value, datetime)):
        return None
    return problem(name, _NOT_A_DATE, value)


def an_instance(name: str, value: object, kind: type | tuple[type, ...], reason: str, *,
                optional: bool = False) -> Problem | None:
    """An instance of ``kind`` (``None`` too if ``optional``), else ``reason`` (filled with the value's type)."""
    if (value is None and optional) or isinstance(value, kind):
        return None
    return problem(name, reason, value, shown=False)


def a_path(name: str, value: object) -> Problem | None:
    """A path: text or an ``os.PathLike`` (not bytes, not a number)."""
    return None if isinstance(value, (str, os.PathLike)) else problem(name, _NOT_A_PATH, value)


def a_text(name: str, value: object, *, optional: bool = False) -> Problem | None:
    """Text (``None`` too if ``optional``)."""
    if (value is None and optional) or isinstance(value, str):
        return None
    return problem(name, _NOT_TEXT_OR_NONE if optional else _NOT_TEXT, value)


def a_flag(name: str, value: object, *, optional: bool = False) -> Problem | None:
    """``True`` or ``False`` (not ``"no"``, which is true, nor ``0``); ``None`` too if ``optional``."""
    if isinstance(value, bool) or (value is None and optional):
        return None
    return problem(name, _NOT_A_FLAG_OR_NONE if optional else _NOT_A_FLAG, value)


def a_count(name: str, value: object, *, minimum: int = 0, optional: bool = False) -> Problem | None:
    """A whole number of at least ``minimum`` (not a ``bool``, not a ``float``); ``None`` if ``optional``."""
    if value is None and optional:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return None
    return problem(name, _NOT_A_COUNT_OR_NONE if optional else _NOT_A_COUNT, value, minimum=minimum)


def a_choice(name: str, value: object, choices: Iterable[str], *, optional: bool = False) -> Problem | None:
    """One of ``choices`` (text); ``None`` too if ``optional``."""
    choices = tuple(choices)
    if (isinstance(value, str) and value in choices) or (value is None and optional):
        return None
    return problem(name, _NOT_A_CHOICE_OR_NONE if optional else _NOT_A_CHOICE, value, choices=", ".join(choices))


def a_fraction(name: str, value: object, *, optional: bool = False) -> Problem | None:
    """An exact number: a :class:`~fractions.Fraction` or a whole number (not a ``float``, not a ``bool``);
    ``None`` too if ``optional``."""
    if (isinstance(value, (Fraction, int)) and not isinstance(value, bool)) or (value is None and optional):
        return None
    return problem(name, _NOT_A_FRACTION_OR_NONE if optional else _NOT_A_FRACTION, value)


def a_record(name: str, value: object, kind: type, *, optional: bool = False) -> Problem | None:
    """An instance of the record class ``kind`` (``None`` too if ``optional``); the value is not shown."""
    if isinstance(value, kind) or (value is None and optional):
        return None
    return problem(name, _NOT_A_RECORD_OR_NONE if optional else _NOT_A_RECORD, value, shown=False,
                   record=kind.__name__)


def a_mapping(name: str, value: object, reason: str | None = None, *, optional: bool = True) -> Problem | None:
    """A mapping (``None`` too if ``optional``), else ``reason`` (by default: a mapping expected); its keys and values
    are the caller's."""
    if (value is None and optional) or isinstance(value, Mapping):
        return None
    return problem(name, reason or _NOT_A_MAPPING, value, shown=False)


def a_digest(name: str, value: object) -> Problem | None:
    """``None`` or a SHA-256 as the report carries it: 64 lowercase hexadecimal characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        return problem(name, _NOT_A_DIGEST, value)
    return None if _DIGEST.fullmatch(value) else problem(name, _NOT_A_HEX_DIGEST, value)


def records(name: str, given: object, kind: type, reason: str, one: str,
            **fields: object) -> tuple[tuple[object, ...], list[Problem]]:
    """``given`` (any iterable of ``kind``, not text, a path nor a mapping) as a tuple, and its problems: ``reason``
    if it is no sequence of records, else each record not of ``kind`` at its place (``one``: row 1 the first; the
    value is not shown, a record given as a mapping names the person; ``fields``: more fields of the messages)."""
    if isinstance(given, (str, bytes, os.PathLike, Mapping)) or not isinstance(given, Iterable):
        return (), [problem(name, reason, given, shown=False, **fields)]
    rows = tuple(given)
    if set(map(type, rows)) - {kind}:  # (the usual case: one C pass, all of the record class)
        return rows, [Problem.of(f"<{name}>", one, i, None, None, type=type(value).__name__, **fields)
                      for i, value in enumerate(rows, 1) if not isinstance(value, kind)]
    return rows, []


def a_paths(name: str, given: object) -> list[Problem]:
    """The problems of ``given`` as a sequence of paths (text or ``os.PathLike``): each wrong one at its place."""
    if isinstance(given, (str, bytes, os.PathLike, Mapping)) or not isinstance(given, Sequence):
        return [problem(name, _NOT_PATHS, given)]
    return [Problem.of(f"<{name}>", _NOT_A_PATH, i, value=repr(value)[:60], type=type(value).__name__)
            for i, value in enumerate(given, 1) if not isinstance(value, (str, os.PathLike))]


def a_sequence(name: str, given: object, kind: type, reason: str, one: str) -> list[Problem]:
    """The problems of ``given`` as a sequence of ``kind`` (:func:`records`), the sequence left as it is."""
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Sequence):
        return [problem(name, reason, given, shown=False)]
    return records(name, given, kind, reason, one)[1]



#: The types of JSON values that need no look inside (a float may be a NaN).
_JSON_PLAIN = frozenset({str, int, bool, type(None)})


def a_json_mapping(name: str, value: object) -> list[Problem]:
    """A mapping of text to JSON values (a finding's facts, an entry of its explanation): every value that JSON
    cannot hold, at any depth, located by its keys and places (``facts['posts'][2]``; :func:`json_problems`)."""
    if not isinstance(value, Mapping):
        return [problem(name, _NOT_A_MAPPING, value, shown=False)]
    return _json_items(name, value, MAX_JSON_DEPTH)


def json_mappings(name: str, value: object) -> list[Problem]:
    """A list or a tuple of mappings of text to JSON values (a finding's explanation), each located by its place
    from 0 (``explanation[1]``) and each wrong value inside it as :func:`a_json_mapping` locates it."""
    if not isinstance(value, (list, tuple)):
        return [problem(name, _NOT_RECORDS, value, shown=False, record="Mapping")]
    return [p for i, entry in enumerate(value) for p in a_json_mapping(f"{name}[{i}]", entry)]


def json_problems(name: str, value: object, levels: int = MAX_JSON_DEPTH) -> list[Problem]:
    """The problems of ``value`` as a JSON value, at any depth, each located from ``name`` by the keys and places
    (from 0) that lead to it (``facts['x'][2]``): a value of another type than text, an integer, a finite float,
    ``True``, ``False``, ``None``, a ``list`` or a ``dict`` (a set, a tuple, a date: their types only shown), a NaN
    or an infinity (JSON has none), a key that is not text, a value nested more than ``levels`` deep (one that
    holds itself; :data:`~cadre_rules._limits.MAX_JSON_DEPTH`, as the JSON reader reads). A list or a mapping of
    text, integers, booleans and ``None`` is passed by one C pass."""
    kind = type(value)
    if kind in _JSON_PLAIN:
        return []
    if isinstance(value, float) and kind is float:
        return [] if math.isfinite(value) else [problem(name, _NOT_A_FINITE_NUMBER, value)]
    if not (isinstance(value, (list, dict)) and (kind is list or kind is dict)):
        return [problem(name, _NOT_A_JSON_VALUE, value, shown=False)]
    if levels <= 0:  # (the place cut: a value that holds itself would show sixty-four [1]s)
        place = name if len(name) <= 80 else f"{name[:77]}..."
        return [problem(place, NESTED_TOO_DEEP, value, shown=False, bound=MAX_JSON_DEPTH)]
    if isinstance(value, dict):
        return _json_items(name, value, levels)
    if _JSON_PLAIN.issuperset(map(type, value)):
        return []
    return [p for i, item in enumerate(value) for p in json_problems(f"{name}[{i}]", item, levels - 1)]


def _json_items(name: str, value: Mapping[Any, Any], levels: int) -> list[Problem]:
    """The problems of the keys and values of the mapping ``value`` (:func:`json_problems`)."""
    if _JSON_PLAIN.issuperset(map(type, value.values())) and set(map(type, value)) <= {str}:
        return []
    found: list[Problem] = []
    for key, item in value.items():
        place = f"{name}[{_key_shown(key)}]"
        if type(key) is not str:
            found.append(problem(place, _NOT_A_TEXT_KEY, key, shown=False))
        found.extend(json_problems(place, item, levels - 1))
    return found


def _key_shown(key: object) -> str:
    """A mapping's key as a place shows it: its ``repr``; a text of more than 40 characters cut to its first 37 (a
    shorter one whole, however long its ``repr``: each character outside the printable ones is escaped)."""
    if type(key) is str:
        return repr(key) if len(key) <= 40 else repr(key[:37]) + "..."
    shown = repr(key)
    return shown if len(shown) <= 40 else shown[:37] + "..."


#: A check of a field of a record: ``check(name, value)``, the problems of the value of the field ``name``
#: (``None``: it is right).
FieldCheck = Callable[[str, Any], "Problem | list[Problem] | None"]


class Each:
    """The check of a field holding a tuple of ``kind`` (:func:`check_record` keeps another sequence as a tuple):
    anything else refused, and each item not of ``kind`` at its place (``row``: 1 the first); with ``at_least=1``
    an empty one too."""

    __slots__ = ("at_least", "kind")

    def __init__(self, kind: type, *, at_least: int = 0) -> None:
        self.kind = kind
        self.at_least = at_least

    def rows(self, name: str, value: object) -> tuple[tuple[object, ...], list[Problem]]:
        """``value`` as a tuple, and its problems."""
        rows, found = records(name, value, self.kind, _NOT_RECORDS, _NOT_A_RECORD, record=self.kind.__name__)
        if len(rows) < self.at_least and not found:
            found = [problem(name, _TOO_FEW_RECORDS, value, shown=False, record=self.kind.__name__,
                             at_least=self.at_least)]
        return rows, found

    def __call__(self, name: str, value: object) -> list[Problem]:
        return self.rows(name, value)[1]


def check_record(record: object, checks: Mapping[str, FieldCheck], key: str | None = None) -> None:
    """Refuse a record built with wrong values: an :class:`~cadre_rules.InputError` with the problem of every field
    ``checks`` (by attribute, in the order of the fields) refuses, all at once, located at the record and the field
    (``<Metric id='quota.young'>, scope``: ``key`` names the field shown in the place when its value is text); an
    item of a sequence by its place (``row 2``). A field of :class:`Each` given as another sequence (a list) is kept
    as a tuple. A record the readers and the engine make often tests the usual values quickly first (its
    ``__attrs_post_init__``); the records the readers make in bulk are not checked (made without ``__init__``)."""
    problems: list[Problem] = []
    for attribute, check in checks.items():
        value = getattr(record, attribute)
        name = attribute.lstrip("_")  # (a private attribute's argument: ``explanation``)
        if isinstance(check, Each):
            rows, found = check.rows(name, value)
            if not found and type(value) is not tuple:
                object.__setattr__(record, attribute, rows)  # (frozen: the record is being made)
        else:
            one = check(name, value)
            found = [] if one is None else [one] if isinstance(one, Problem) else one
        problems.extend(found)
    if problems:
        place = f"<{type(record).__name__}>"
        shown = None if key is None else getattr(record, key)
        if type(shown) is str and shown.strip():
            place = f"{place[:-1]} {key}={(shown if len(shown) <= 40 else shown[:37] + '...')!r}>"
        raise InputError([attrs.evolve(p, file=place, column=p.file.strip("<>")) for p in problems])


_DIGEST = re.compile("[0-9a-f]{64}")

_NOT_TEXT = N_("expected text, not a value of type {type}")
_NOT_TEXT_OR_NONE = N_("expected text or None, not a value of type {type}")
_NOT_A_DATE = N_("expected a date (datetime.date), not a value of type {type}")
_NOT_A_DIGEST = N_("expected text (the input's SHA-256 in hexadecimal) or None, not a value of type {type}")
_NOT_A_HEX_DIGEST = N_("expected the input's SHA-256 as 64 lowercase hexadecimal characters (0-9, a-f), or None")
# TRANSLATORS: str and os.PathLike are Python types; {type} a Python type (int)
_NOT_A_PATH = N_("expected a path (str or os.PathLike), not a value of type {type}")
# TRANSLATORS: str and os.PathLike are Python types; {type} a Python type (str)
_NOT_PATHS = N_("expected a sequence of paths (str or os.PathLike), not a value of type {type}")
# TRANSLATORS: True and False are Python values; {type} a Python type (str)
_NOT_A_FLAG = N_("expected True or False, not a value of type {type}")
_NOT_A_COUNT = N_("expected a whole number of {minimum} or more")
_NOT_A_COUNT_OR_NONE = N_("expected a whole number of {minimum} or more, or None")
# TRANSLATORS: {choices} the values there are, "year, quarter, month"
_NOT_A_CHOICE = N_("expected one of: {choices}")
# TRANSLATORS: {choices} the values there are, "durable, reference"; None is a Python value
_NOT_A_CHOICE_OR_NONE = N_("expected one of: {choices}, or None")
# TRANSLATORS: True, False and None are Python values; {type} a Python type (str)
_NOT_A_FLAG_OR_NONE = N_("expected True, False or None, not a value of type {type}")
# TRANSLATORS: fractions.Fraction is a Python type; {type} a Python type (float)
_NOT_A_FRACTION = N_("expected an exact number (fractions.Fraction or a whole number), not a value of type {type}")
# TRANSLATORS: fractions.Fraction is a Python type, None a Python value; {type} a Python type (float)
_NOT_A_FRACTION_OR_NONE = N_("expected an exact number (fractions.Fraction or a whole number) or None, not a value of "
                             "type {type}")
# TRANSLATORS: {record} a record class of the Python API (Finding); {type} a Python type (dict)
_NOT_A_RECORD = N_("expected a {record}, not a value of type {type}")
# TRANSLATORS: {record} a record class of the Python API (DataAsOf); None is a Python value
_NOT_A_RECORD_OR_NONE = N_("expected a {record} or None, not a value of type {type}")
# TRANSLATORS: {record} a record class of the Python API (Finding), or str for text
_NOT_RECORDS = N_("expected a sequence of {record}, not a value of type {type}")
_NOT_A_MAPPING = N_("expected a mapping, not a value of type {type}")
# TRANSLATORS: {at_least} a number (1); {record} a record class of the Python API (Point)
_TOO_FEW_RECORDS = N_("expected at least {at_least} {record}")
# TRANSLATORS: True, False and None are Python values; {type} a Python type (set)
_NOT_A_JSON_VALUE = N_("expected a JSON value (text, a number, True, False, None, a list or a mapping), not a value "
                       "of type {type}")
# TRANSLATORS: NaN (not a number) and infinity are values of a float
_NOT_A_FINITE_NUMBER = N_("expected a finite number: JSON has no NaN or infinity")
# TRANSLATORS: {type} a Python type (int)
_NOT_A_TEXT_KEY = N_("expected text keys (as JSON has), not a key of type {type}")
#: A JSON value nested deeper than the JSON reader reads (:mod:`cadre_rules.io._json`).
NESTED_TOO_DEEP = N_("nested deeper than the limit MAX_JSON_DEPTH = {bound}")
