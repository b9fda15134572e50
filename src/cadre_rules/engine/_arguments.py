"""The arguments of the engine's public API checked: what is of the wrong type is an
:class:`~cadre_rules.InputError` naming the argument (records by their place in the sequence), all at once,
before anything is evaluated, rather than accepted silently or failing later with an ``AttributeError``.

A few ``isinstance`` checks a call: the records themselves are checked by one C pass over their types.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime

from ..errors import N_
from ..errors import InputError
from ..errors import Problem
from ..model._model import Official
from ..model._model import Unit

__all__ = ["check_engine_arguments", "check_evaluate_arguments"]


def check_engine_arguments(packs: object, params: object, city: object, timeout: object) -> None:
    """The arguments of :class:`~cadre_rules.Engine` (other than ``lang``, checked by ``checked_lang``)."""
    problems: list[Problem] = []
    if isinstance(packs, (str, bytes, os.PathLike)):  # one pack given alone: its characters are no packs
        problems.append(_problem("packs", _ONE_PACK, packs))
    elif packs is not None and not isinstance(packs, Iterable):
        problems.append(_problem("packs", _NOT_PACKS, packs))
    if params is not None and not isinstance(params, Mapping):
        problems.append(_problem("params", _NOT_PARAMS, params))
    if not isinstance(city, str):
        problems.append(_problem("city", _NOT_TEXT, city))
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout >= 0):
        problems.append(_problem("timeout", _NOT_A_TIMEOUT, timeout))
    if problems:
        raise InputError(problems)


def check_evaluate_arguments(officials: object, units: object, as_of: object, input_sha256: object,
                             progress: object, data_as_of: object, source: object,
                             ) -> tuple[tuple[Official, ...], tuple[Unit, ...]]:
    """The arguments of :meth:`Engine.evaluate <cadre_rules.Engine.evaluate>`, and its records as tuples.

    What is not an ``Official`` or a ``Unit`` is located by its place in the sequence (row 1 the first; the
    value is not shown: a record given as a mapping names the person); a date must be a ``date`` (not a
    ``datetime``, not text)."""
    problems: list[Problem] = []
    records: list[tuple[object, ...]] = []
    for name, given, kind, one, reason in (("officials", officials, Official, _NOT_AN_OFFICIAL, _NOT_OFFICIALS),
                                           ("units", units, Unit, _NOT_A_UNIT, _NOT_UNITS)):
        if isinstance(given, (str, bytes, os.PathLike, Mapping)) or not isinstance(given, Iterable):
            problems.append(_problem(name, reason, given, shown=False))
            records.append(())
            continue
        rows = tuple(given)
        records.append(rows)
        if set(map(type, rows)) - {kind}:  # (the usual case: one C pass, all of the record class)
            problems.extend(Problem.of(f"<{name}>", one, i, type=type(value).__name__)
                            for i, value in enumerate(rows, 1) if not isinstance(value, kind))
    for name, value in (("as_of", as_of), ("data_as_of", data_as_of)):
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            problems.append(_problem(name, _NOT_A_DATE, value))
    if input_sha256 is not None and not isinstance(input_sha256, str):
        problems.append(_problem("input_sha256", _NOT_A_DIGEST, input_sha256))
    if progress is not None and not callable(progress):
        problems.append(_problem("progress", _NOT_A_FUNCTION, progress))
    if source is not None and not isinstance(source, str):
        problems.append(_problem("source", _NOT_A_SOURCE, source))
    if problems:
        raise InputError(problems)
    return records[0], records[1]  # type: ignore[return-value]  # (checked above: every row of its class)


def _problem(name: str, reason: str, value: object, *, shown: bool = True) -> Problem:
    """``value`` of the argument ``name`` refused for ``reason`` (filled with its type), shown as its
    ``repr`` (cut to 60 characters) unless ``shown`` is false."""
    return Problem.of(name, reason, value=repr(value)[:60] if shown else None, type=type(value).__name__)


# TRANSLATORS: Official(...), load_officials and Official.from_record are names of the Python API; {type} a
# Python type (dict)
_NOT_AN_OFFICIAL = N_("expected an Official (made by Official(...), Official.from_record or load_officials), not a "
                      "value of type {type}")
# TRANSLATORS: Unit(...), load_units and Unit.from_record are names of the Python API
_NOT_A_UNIT = N_("expected a Unit (made by Unit(...), Unit.from_record or load_units), not a value of type {type}")
_NOT_A_DATE = N_("expected a date (datetime.date), not a value of type {type}")
# TRANSLATORS: load_officials is a name of the Python API; {type} a Python type (str)
_NOT_OFFICIALS = N_("expected a sequence of Official records (load_officials reads a file), not a value of type "
                    "{type}")
# TRANSLATORS: load_units is a name of the Python API
_NOT_UNITS = N_("expected a sequence of Unit records (load_units reads a file), not a value of type {type}")
_NOT_A_DIGEST = N_("expected text (the input's SHA-256 in hexadecimal) or None, not a value of type {type}")
_NOT_A_FUNCTION = N_("expected a function called with the number of officials done, or None, not a value of type "
                     "{type}")
_NOT_A_SOURCE = N_("expected text (the name of the officials' file) or None, not a value of type {type}")
# TRANSLATORS: ["vn-commune-2tier"] is Python code: a list of one pack id
_ONE_PACK = N_("expected a sequence of packs (ids, paths or Pack objects), not one {type}: write "
               "[\"vn-commune-2tier\"] for one pack")
_NOT_PACKS = N_("expected a sequence of packs (ids, paths or Pack objects) or None, not a value of type {type}")
_NOT_PARAMS = N_("expected a mapping of PACK.KEY to a value, or None, not a value of type {type}")
_NOT_TEXT = N_("expected text, not a value of type {type}")
_NOT_A_TIMEOUT = N_("expected a number of seconds (0 or more), or None")
