"""The arguments of :class:`~cadre_rules.Engine` and :meth:`Engine.evaluate <cadre_rules.Engine.evaluate>`
checked (model/_arguments.py: the checks every public function shares), every problem at once, before anything
is evaluated."""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence

from ..errors import N_
from ..errors import Problem
from ..model._arguments import NOT_A_UNIT
from ..model._arguments import NOT_AN_OFFICIAL
from ..model._arguments import NOT_OFFICIALS
from ..model._arguments import NOT_PARAMS
from ..model._arguments import NOT_UNITS
from ..model._arguments import a_choice
from ..model._arguments import a_date
from ..model._arguments import a_digest
from ..model._arguments import a_text
from ..model._arguments import problem
from ..model._arguments import records
from ..model._arguments import refuse
from ..model._model import Official
from ..model._model import Unit
from ..model._table import OfficialTable

__all__ = ["NOT_AN_ENGINE", "NOT_A_PACK", "NOT_PACK_OBJECTS", "check_engine_arguments", "check_evaluate_arguments",
           "check_records"]


def check_engine_arguments(packs: object, params: object, city: object, timeout: object, backend: object,
                           backends: Iterable[str]) -> None:
    """The arguments of :class:`~cadre_rules.Engine` (other than ``lang``, checked by ``checked_lang``):
    ``backend`` one of ``backends``."""
    found: list[Problem | None] = []
    if isinstance(packs, (str, bytes, os.PathLike)):  # one pack given alone: its characters are no packs
        found.append(problem("packs", _ONE_PACK, packs))
    elif packs is not None and not isinstance(packs, Iterable):
        found.append(problem("packs", _NOT_PACKS, packs))
    if params is not None and not isinstance(params, Mapping):
        found.append(problem("params", NOT_PARAMS, params))
    found.append(a_choice("backend", backend, backends))
    found.append(a_text("city", city))
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout >= 0):
        found.append(problem("timeout", _NOT_A_TIMEOUT, timeout))
    refuse(*found)


def check_records(officials: object, units: object, *found: Problem | Iterable[Problem] | None,
                  ) -> tuple[Sequence[Official], tuple[Unit, ...]]:
    """``officials`` and ``units`` as tuples of their records (officials read by the engine's readers as their
    :class:`OfficialTable`: its records are of their class), or an error of their problems and those ``found``
    among the other arguments of the same call (``Engine.evaluate``, ``project``, ``match_posts``)."""
    if type(officials) is OfficialTable:
        rows: Sequence[object] = officials
        of_officials: list[Problem] = []
    else:
        rows, of_officials = records("officials", officials, Official, NOT_OFFICIALS, NOT_AN_OFFICIAL)
    units_rows, of_units = records("units", units, Unit, NOT_UNITS, NOT_A_UNIT)
    refuse(of_officials, of_units, *found)
    return rows, units_rows  # type: ignore[return-value]  # (checked above: every row of its class)


def check_evaluate_arguments(officials: object, units: object, as_of: object, input_sha256: object,
                             progress: object, data_as_of: object, source: object,
                             ) -> tuple[Sequence[Official], tuple[Unit, ...]]:
    """The arguments of :meth:`Engine.evaluate <cadre_rules.Engine.evaluate>`, and its records as tuples.

    What is not an ``Official`` or a ``Unit`` is located by its place in the sequence (row 1 the first; the
    value is not shown: a record given as a mapping names the person); a date must be a ``date`` (not a
    ``datetime``, not text); ``input_sha256`` 64 lowercase hexadecimal characters (docs/report.md)."""
    return check_records(
        officials, units, a_date("as_of", as_of), a_date("data_as_of", data_as_of),
        a_digest("input_sha256", input_sha256),
        None if progress is None or callable(progress) else problem("progress", _NOT_A_FUNCTION, progress),
        None if source is None or isinstance(source, str) else problem("source", _NOT_A_SOURCE, source))


# TRANSLATORS: Engine(...) is Python code; {type} a Python type (str)
NOT_AN_ENGINE = N_("expected an Engine (made by Engine(...)), not a value of type {type}")
_NOT_A_FUNCTION = N_("expected a function called with the number of officials done, or None, not a value of type "
                     "{type}")
_NOT_A_SOURCE = N_("expected text (the name of the officials' file) or None, not a value of type {type}")
# TRANSLATORS: ["vn-commune-2tier"] is Python code: a list of one pack id
_ONE_PACK = N_("expected a sequence of packs (ids, paths or Pack objects), not one {type}: write "
               "[\"vn-commune-2tier\"] for one pack")
_NOT_PACKS = N_("expected a sequence of packs (ids, paths or Pack objects) or None, not a value of type {type}")
# TRANSLATORS: Pack and load_pack are names of the Python API; {type} a Python type (str)
NOT_PACK_OBJECTS = N_("expected a sequence of Pack objects (load_pack reads one), not a value of type {type}")
NOT_A_PACK = N_("expected a Pack (made by load_pack), not a value of type {type}")
_NOT_A_TIMEOUT = N_("expected a number of seconds (0 or more), or None")
