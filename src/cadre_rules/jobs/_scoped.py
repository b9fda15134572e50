"""``match`` and ``project`` for one district or one commune (``--scope district:NAME|commune:NAME``, the service's
``scope=``, the API's ``scope=``), as ``evaluate --scope`` restricts its report: the scope is parsed
(:func:`~cadre_rules.report._scope.parse_scope`) and found in the engine's report of the as-of date
(:func:`~cadre_rules.report._asked.as_asked`), so that the same text gives the same district or commune, or the same
located problem (``--scope: no unit with this code or name in the report``, exit 2), as ``evaluate --scope`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from ..engine._engine import Engine
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..report._asked import as_asked
from ..report._scope import parse_scope

__all__ = ["Scoped", "scoped"]


@attrs.frozen
class Scoped:
    """A district or a commune found in the engine's report: which it is (for titles), the codes of its units,
    and that report restricted to it (``evaluate --scope``'s: its findings, metrics and notes; without the names of
    the whole input's people, which a job does not read of it and need not keep)."""

    scope: ReportScope
    units: frozenset[str]
    report: Report

    def has(self, code: str) -> bool:
        """Whether the unit of ``code`` is in the scope."""
        return code in self.units

    def has_scope(self, kind: str, ident: str) -> bool:
        """Whether a scope of a metric or a finding (``unit`` and a code, ``district`` and a name, ``city``) is the
        scope or one of its units: a district's own rows are its, the city's are not."""
        if kind == "unit":
            return ident in self.units
        return kind == "district" and self.scope.kind == "district" and ident == self.scope.id


def scoped(text: str, report: Report, *, engine: Engine, officials: Sequence[Official], units: Sequence[Unit],
           as_of: date) -> Scoped:
    """The scope ``text`` (``district:NAME`` or ``commune:NAME``: a unit's code or name) of ``report`` (the
    engine's, of ``officials`` and ``units`` on ``as_of``). :class:`~cadre_rules.errors.InputError` located at
    ``--scope`` when it is malformed or names no district or unit of the report, as ``evaluate --scope``."""
    applied, _notes = engine.packs_for(as_of)
    restricted = as_asked(report, engine.lang, parse_scope(text), officials=officials, units=units, packs=applied,
                          known=engine.packs, named=engine.named)
    scope = restricted.scope
    assert scope is not None  # (as_asked restricts to the scope it is given)
    codes = frozenset((scope.id,)) if scope.kind == "unit" else frozenset(restricted.unit_districts)
    return Scoped(scope, codes, attrs.evolve(restricted, names=None))
