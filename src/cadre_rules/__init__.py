"""cadre-rules: a rules engine for public-sector HR (Vietnamese commune-level officials).

Evaluate officials and units against declarative policy packs::

    from cadre_rules import Engine, load_officials, load_units
    engine = Engine(packs=["hanoi-de-an-34"])
    report = engine.evaluate(load_officials("officials.csv"), load_units("units.csv"), as_of=date(2025, 12, 31))
"""

from __future__ import annotations

from typing import Any

from ._engine import Engine
from ._io import load_officials, load_units
from ._model import Finding, Metric, Official, PackRef, Report, Unit
from ._packs import Pack, load_pack
from .errors import (
    CadreRulesError,
    CadreRulesWarning,
    EvaluationError,
    ExpressionError,
    InputError,
    PackError,
    PluginError,
    Problem,
)

__all__ = [
    "CadreRulesError",
    "CadreRulesWarning",
    "Engine",
    "EvaluationError",
    "ExpressionError",
    "Finding",
    "InputError",
    "Metric",
    "Official",
    "Pack",
    "PackError",
    "PackRef",
    "PluginError",
    "Problem",
    "Report",
    "Unit",
    "load_officials",
    "load_pack",
    "load_units",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from ._report import version  # noqa: PLC0415 - lazy: reads installed metadata

        return version()
    raise AttributeError(f"module 'cadre_rules' has no attribute {name!r}")
