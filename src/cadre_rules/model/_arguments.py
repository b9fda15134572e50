"""The arguments of the public API checked: what is of the wrong type is an :class:`~cadre_rules.InputError`
naming the argument (records by their place in the sequence), every problem at once, before anything is done,
rather than accepted silently or failing later with an ``AttributeError``.

The checks themselves are :mod:`cadre_rules.model._checks`' (those of the records built directly too), named here
as well: each gives the problem of one argument, or ``None``; :func:`refuse` raises those found. Here, in the model,
so that every layer's public functions use the same checks and the same messages.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec
from typing import TypeVar

from ..errors import N_
from ._checks import a_choice
from ._checks import a_count
from ._checks import a_date
from ._checks import a_digest
from ._checks import a_flag
from ._checks import a_mapping
from ._checks import a_path
from ._checks import a_paths
from ._checks import a_sequence
from ._checks import a_text
from ._checks import an_instance
from ._checks import problem
from ._checks import records
from ._checks import refuse
from ._langs import LANGS
from ._langs import a_lang
from ._report_records import Report

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
