"""cadre-rules: a rules engine for public-sector HR (Vietnamese commune-level officials).

Evaluate officials and units against declarative policy packs::

    from cadre_rules import Engine, load_officials, load_units
    engine = Engine(packs=["hanoi-de-an-34"])
    report = engine.evaluate(load_officials("officials.csv"), load_units("units.csv"), as_of=date(2025, 12, 31))

Project them to a future date, a step at a time (docs/project.md)::

    from cadre_rules import project
    projection = project(engine, officials, units, date(2030, 6, 30), as_of=date(2026, 1, 1), step="quarter")
"""

from __future__ import annotations

from typing import Any

from ._plugins import PluginWarning
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
from .io import _coerce as _coerce  # installs the readers' parsing as the records' converters
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
from .model._model import Coverage
from .model._model import DataAsOf
from .model._model import Finding
from .model._model import Metric
from .model._model import Names
from .model._model import Notice
from .model._model import Official
from .model._model import PackRef
from .model._model import Report
from .model._model import Suppressed
from .model._model import Undecided
from .model._model import Unit
from .model._names import redact
from .packs._packs import Pack
from .packs._packs import load_pack
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
    "MatchResult",
    "Metric",
    "Names",
    "Notice",
    "Official",
    "OfficialContext",
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
    "Suppressed",
    "TrainingNeed",
    "Undecided",
    "Unit",
    "UnitContext",
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


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .report._report import version  # noqa: PLC0415 - lazy: reads installed metadata

        return version()
    raise AttributeError(f"module 'cadre_rules' has no attribute {name!r}")
