"""cadre-rules: a rules engine for public-sector HR (Vietnamese commune-level officials).

Evaluate officials and units against declarative policy packs::

    from cadre_rules import Engine, load_officials, load_units
    engine = Engine(packs=["hanoi-de-an-34"])
    report = engine.evaluate(load_officials("officials.csv"), load_units("units.csv"), as_of=date(2025, 12, 31))
"""

from __future__ import annotations

from typing import Any

from ._context import OfficialContext
from ._context import UnitContext
from ._engine import Engine
from ._io import load_officials
from ._io import load_units
from ._model import Coverage
from ._model import DataAsOf
from ._model import Finding
from ._model import Metric
from ._model import Notice
from ._model import Official
from ._model import PackRef
from ._model import Report
from ._model import Suppressed
from ._model import Unit
from ._packs import Pack
from ._packs import load_pack
from ._plugins import PluginWarning
from ._report import report_to_dict
from ._report import report_to_json
from .errors import CadreRulesError
from .errors import CadreRulesWarning
from .errors import EvaluationError
from .errors import ExpressionError
from .errors import InputError
from .errors import PackError
from .errors import PluginError
from .errors import Problem
from .hookspecs import hookimpl
from .jobs._match import MatchResult
from .jobs._match import PostToFill
from .jobs._match import match as match_posts
from .jobs._match import read_posts
from .render._match import match_to_dict

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
    "MatchResult",
    "Metric",
    "Notice",
    "Official",
    "OfficialContext",
    "Pack",
    "PackError",
    "PackRef",
    "PluginError",
    "PluginWarning",
    "PostToFill",
    "Problem",
    "Report",
    "Suppressed",
    "Unit",
    "UnitContext",
    "hookimpl",
    "load_officials",
    "load_pack",
    "load_units",
    "match_posts",
    "match_to_dict",
    "read_posts",
    "report_to_dict",
    "report_to_json",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from ._report import version  # noqa: PLC0415 - lazy: reads installed metadata

        return version()
    raise AttributeError(f"module 'cadre_rules' has no attribute {name!r}")
