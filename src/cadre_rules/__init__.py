"""cadre-rules: a rules engine for public-sector HR (Vietnamese commune-level officials).

Evaluate officials and units against declarative policy packs::

    from cadre_rules import Engine, load_officials, load_units
    engine = Engine(packs=["hanoi-de-an-34"])
    report = engine.evaluate(load_officials("officials.csv"), load_units("units.csv"), as_of=date(2025, 12, 31))

The report the command line and the service give (one commune's officials with the city's units: that commune's,
with a note; ``scope=`` one district or commune)::

    from cadre_rules import evaluate_as_asked
    report = evaluate_as_asked(engine, officials, units, date(2025, 12, 31), scope="commune:00322")

Project them to a future date, a step at a time (docs/project.md)::

    from cadre_rules import project
    projection = project(engine, officials, units, date(2030, 6, 30), as_of=date(2026, 1, 1), step="quarter")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Any

from .io import _coerce as _coerce  # installs the readers' parsing as the records' converters

if TYPE_CHECKING:  # the names below load with their module when first used (PEP 562: see _PUBLIC)
    from ._plugins import PluginWarning
    from .engine._as_asked import evaluate_as_asked
    from .engine._engine import Engine
    from .errors import CadreRulesError
    from .errors import CadreRulesWarning
    from .errors import EvaluationError
    from .errors import ExpressionError
    from .errors import InputError
    from .errors import InputNote
    from .errors import PackError
    from .errors import PluginError
    from .errors import Problem
    from .errors import RenderError
    from .hookspecs import hookimpl
    from .io._io import load_officials
    from .io._io import load_units
    from .jobs._match import MatchResult
    from .jobs._match import PostToFill
    from .jobs._match import match as match_posts
    from .jobs._match import read_posts
    from .jobs._match_formats import match_to_dict
    from .jobs._plan import PlanEvent
    from .jobs._plan import load_plan
    from .jobs._project import Projection
    from .jobs._project import project
    from .jobs._project_formats import projection_to_dict
    from .model._context import OfficialContext
    from .model._context import UnitContext
    from .model._model import Official
    from .model._model import Unit
    from .model._names import redact
    from .model._report_records import Coverage
    from .model._report_records import DataAsOf
    from .model._report_records import Finding
    from .model._report_records import Metric
    from .model._report_records import Names
    from .model._report_records import Notice
    from .model._report_records import PackRef
    from .model._report_records import Report
    from .model._report_records import Share
    from .model._report_records import Suppressed
    from .model._report_records import Undecided
    from .model._table import OfficialTable
    from .packs._packs import Pack
    from .packs._packs import load_pack
    from .packs._registry import Kept
    from .render._training import training_document
    from .report._report import report_to_dict
    from .report._report import report_to_json
    from .report._training import TrainingNeed
    from .report._training import training_needs

__all__ = [
    "CadreRulesError",
    "CadreRulesWarning",
    "Coverage",
    "DataAsOf",
    "Engine",
    "EvaluationError",
    "ExpressionError",
    "Finding",
    "InputError",
    "InputNote",
    "Kept",
    "MatchResult",
    "Metric",
    "Names",
    "Notice",
    "Official",
    "OfficialContext",
    "OfficialTable",
    "Pack",
    "PackError",
    "PackRef",
    "PlanEvent",
    "PluginError",
    "PluginWarning",
    "PostToFill",
    "Problem",
    "Projection",
    "RenderError",
    "Report",
    "Share",
    "Suppressed",
    "TrainingNeed",
    "Undecided",
    "Unit",
    "UnitContext",
    "evaluate_as_asked",
    "hookimpl",
    "load_officials",
    "load_pack",
    "load_plan",
    "load_units",
    "match_posts",
    "match_to_dict",
    "project",
    "projection_to_dict",
    "read_posts",
    "redact",
    "report_to_dict",
    "report_to_json",
    "training_document",
    "training_needs",
]

#: Each public name → (its module, its name there); imported on first use, so that ``import cadre_rules`` (and
#: ``cadre-rules evaluate``) loads only the modules it uses. The same names as the ``TYPE_CHECKING`` imports
#: above (tests/test_import_time.py holds them together).
_PUBLIC: dict[str, tuple[str, str]] = {
    "CadreRulesError": (".errors", "CadreRulesError"),
    "CadreRulesWarning": (".errors", "CadreRulesWarning"),
    "Coverage": (".model._report_records", "Coverage"),
    "DataAsOf": (".model._report_records", "DataAsOf"),
    "Engine": (".engine._engine", "Engine"),
    "EvaluationError": (".errors", "EvaluationError"),
    "ExpressionError": (".errors", "ExpressionError"),
    "Finding": (".model._report_records", "Finding"),
    "InputError": (".errors", "InputError"),
    "InputNote": (".errors", "InputNote"),
    "Kept": (".packs._registry", "Kept"),
    "MatchResult": (".jobs._match", "MatchResult"),
    "Metric": (".model._report_records", "Metric"),
    "Names": (".model._report_records", "Names"),
    "Notice": (".model._report_records", "Notice"),
    "Official": (".model._model", "Official"),
    "OfficialTable": (".model._table", "OfficialTable"),
    "OfficialContext": (".model._context", "OfficialContext"),
    "Pack": (".packs._packs", "Pack"),
    "PackError": (".errors", "PackError"),
    "PackRef": (".model._report_records", "PackRef"),
    "PlanEvent": (".jobs._plan", "PlanEvent"),
    "PluginError": (".errors", "PluginError"),
    "PluginWarning": ("._plugins", "PluginWarning"),
    "PostToFill": (".jobs._match", "PostToFill"),
    "Problem": (".errors", "Problem"),
    "Projection": (".jobs._project", "Projection"),
    "RenderError": (".errors", "RenderError"),
    "Report": (".model._report_records", "Report"),
    "Share": (".model._report_records", "Share"),
    "Suppressed": (".model._report_records", "Suppressed"),
    "TrainingNeed": (".report._training", "TrainingNeed"),
    "Undecided": (".model._report_records", "Undecided"),
    "Unit": (".model._model", "Unit"),
    "UnitContext": (".model._context", "UnitContext"),
    "evaluate_as_asked": (".engine._as_asked", "evaluate_as_asked"),
    "hookimpl": (".hookspecs", "hookimpl"),
    "load_officials": (".io._io", "load_officials"),
    "load_pack": (".packs._packs", "load_pack"),
    "load_plan": (".jobs._plan", "load_plan"),
    "load_units": (".io._io", "load_units"),
    "match_posts": (".jobs._match", "match"),
    "match_to_dict": (".jobs._match_formats", "match_to_dict"),
    "project": (".jobs._project", "project"),
    "projection_to_dict": (".jobs._project_formats", "projection_to_dict"),
    "read_posts": (".jobs._match", "read_posts"),
    "redact": (".model._names", "redact"),
    "report_to_dict": (".report._report", "report_to_dict"),
    "report_to_json": (".report._report", "report_to_json"),
    "training_document": (".render._training", "training_document"),
    "training_needs": (".report._training", "training_needs"),
}


#: The installed version (read by ``__getattr__`` on first use).
__version__: str

if not TYPE_CHECKING:  # (a type checker sees the names above, not this: a misspelt name is its error, not an Any)

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from .report._report import version  # noqa: PLC0415 - lazy: reads installed metadata

            return version()
        try:
            module, attribute = _PUBLIC[name]
        except KeyError:
            raise AttributeError(f"module 'cadre_rules' has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, __name__), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
