"""The arguments of the public API checked: what is of the wrong type is an :class:`~cadre_rules.InputError`
naming the argument (records by their place in the sequence), every problem at once, before anything is done,
rather than accepted silently or failing later with an ``AttributeError``.

Each check gives the problem of one argument, or ``None``; :func:`refuse` raises those found. A few
``isinstance`` checks a call: records are checked by one C pass over their types. Here, in the model, so that
every layer's public functions use the same checks and the same messages.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import ParamSpec
from typing import TypeVar

from ..errors import N_
from ..errors import InputError
from ..errors import Problem
from ._langs import LANGS
from ._langs import a_lang
from ._model import Report

__all__ = [
    "NOT_AN_OFFICIAL",
    "NOT_A_REPORT",
    "NOT_A_UNIT",
    "NOT_A_UNIT_MAP",
    "NOT_OFFICIALS",
    "NOT_PARAMS",
    "NOT_UNITS",
    "a_choice",
    "a_count",
    "a_date",
    "a_digest",
    "a_flag",
    "a_mapping",
    "a_path",
    "a_paths",
    "a_sequence",
    "a_text",
    "an_instance",
    "problem",
    "records",
    "refuse",
    "report_checked",
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


def a_flag(name: str, value: object) -> Problem | None:
    """``True`` or ``False`` (not ``"no"``, which is true, nor ``0``)."""
    return None if isinstance(value, bool) else problem(name, _NOT_A_FLAG, value)


def a_count(name: str, value: object, *, minimum: int = 0, optional: bool = False) -> Problem | None:
    """A whole number of at least ``minimum`` (not a ``bool``, not a ``float``); ``None`` if ``optional``."""
    if value is None and optional:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return None
    return problem(name, _NOT_A_COUNT_OR_NONE if optional else _NOT_A_COUNT, value, minimum=minimum)


def a_choice(name: str, value: object, choices: Iterable[str]) -> Problem | None:
    """One of ``choices`` (text)."""
    choices = tuple(choices)
    return None if value in choices and isinstance(value, str) else \
        problem(name, _NOT_A_CHOICE, value, choices=", ".join(choices))


def a_mapping(name: str, value: object, reason: str, *, optional: bool = True) -> Problem | None:
    """A mapping (``None`` too if ``optional``), else ``reason``; its keys and values are the caller's."""
    if (value is None and optional) or isinstance(value, Mapping):
        return None
    return problem(name, reason, value, shown=False)


def a_digest(name: str, value: object) -> Problem | None:
    """``None`` or a SHA-256 as the report carries it: 64 lowercase hexadecimal characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        return problem(name, _NOT_A_DIGEST, value)
    return None if _DIGEST.fullmatch(value) else problem(name, _NOT_A_HEX_DIGEST, value)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def report_checked(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """``func`` (a public renderer: ``report`` first, then ``lang``, then options) that refuses its wrong arguments
    when it is called, all at once: a ``report`` that is no :class:`~cadre_rules.Report`, an unknown ``lang``
    (:func:`~cadre_rules.model._langs.checked_lang`), a flag (an option whose default is ``True`` or ``False``)
    that is not a ``bool``, a count (an option whose default is a whole number) below 0. Before it writes
    anything, and before a generator of pieces is first advanced."""
    parameters = inspect.signature(func).parameters
    names = list(parameters)
    assert names[0] == "report", func  # (the renderers' contract)
    at = names.index("lang")
    positional = parameters["lang"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    default = parameters["lang"].default
    flags = tuple(n for n, p in parameters.items() if isinstance(p.default, bool))
    counts = tuple(n for n, p in parameters.items() if type(p.default) is int)

    @functools.wraps(func)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        report = args[0] if args else kwargs.get("report")
        lang = kwargs["lang"] if "lang" in kwargs else args[at] if positional and len(args) > at else default
        if kwargs or not (isinstance(report, Report) and isinstance(lang, str) and lang in LANGS):
            refuse(an_instance("report", report, Report, NOT_A_REPORT), a_lang("lang", lang),
                   *(a_flag(n, kwargs[n]) for n in flags if n in kwargs),
                   *(a_count(n, kwargs[n]) for n in counts if n in kwargs))
        return func(*args, **kwargs)

    return checked


def records(name: str, given: object, kind: type, reason: str, one: str) -> tuple[tuple[object, ...], list[Problem]]:
    """``given`` (any iterable of ``kind``, not text, a path nor a mapping) as a tuple, and its problems: ``reason``
    if it is no sequence of records, else each record not of ``kind`` at its place (``one``: row 1 the first; the
    value is not shown, a record given as a mapping names the person)."""
    if isinstance(given, (str, bytes, os.PathLike, Mapping)) or not isinstance(given, Iterable):
        return (), [problem(name, reason, given, shown=False)]
    rows = tuple(given)
    if set(map(type, rows)) - {kind}:  # (the usual case: one C pass, all of the record class)
        return rows, [Problem.of(f"<{name}>", one, i, type=type(value).__name__)
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


_DIGEST = re.compile("[0-9a-f]{64}")

# TRANSLATORS: Official(...), load_officials and Official.from_record are names of the Python API; {type} a
# Python type (dict)
NOT_AN_OFFICIAL = N_("expected an Official (made by Official(...), Official.from_record or load_officials), not a "
                     "value of type {type}")
# TRANSLATORS: Unit(...), load_units and Unit.from_record are names of the Python API
NOT_A_UNIT = N_("expected a Unit (made by Unit(...), Unit.from_record or load_units), not a value of type {type}")
# TRANSLATORS: load_officials is a name of the Python API; {type} a Python type (str)
NOT_OFFICIALS = N_("expected a sequence of Official records (load_officials reads a file), not a value of type "
                   "{type}")
# TRANSLATORS: load_units is a name of the Python API
NOT_UNITS = N_("expected a sequence of Unit records (load_units reads a file), not a value of type {type}")
NOT_PARAMS = N_("expected a mapping of PACK.KEY to a value, or None, not a value of type {type}")
# TRANSLATORS: load_units is a name of the Python API; {type} a Python type (list)
NOT_A_UNIT_MAP = N_("expected a mapping of unit code to Unit (from load_units), not a value of type {type}")
# TRANSLATORS: Report and Engine.evaluate are names of the Python API; {type} a Python type (dict)
NOT_A_REPORT = N_("expected a Report (made by Engine.evaluate), not a value of type {type}")
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
