"""The report of an evaluation as it was asked for, by the command line (``cadre-rules evaluate [--scope …]``) and by
the service (``POST /v1/evaluate[?scope=…]``) alike: restricted to one district or one commune
(:func:`~._scope.scope_report`, with the coverage, the data's date and their notes of the scope's units); or, not
restricted, as its data cover (:func:`~._shares.as_covered`: one commune's file says its "city" rows are that
commune's and gives its own shares).

One place, so that the service's report of the same input and options is the command line's, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Report
from ..packs._packs import Pack
from ._shares import as_covered

__all__ = ["as_asked"]


def as_asked(report: Report, lang: str, scope: tuple[str, str] | None, *, officials: Sequence[Official],
             units: Sequence[Unit], packs: Sequence[Pack], known: Sequence[Pack], named: bool) -> Report:
    """``report`` (the engine's, of ``officials`` and ``units``) restricted to ``scope`` (``(kind, name)`` from
    :func:`~._scope.parse_scope`), or as its data cover when ``scope`` is ``None``. ``packs``: those evaluated;
    ``known``: those the engine was given; ``named``: the packs were named (``--pack``, ``pack=``). An unknown
    district or unit is an :class:`~cadre_rules.errors.InputError` located at ``--scope``."""
    if scope is None:
        return as_covered(report, lang)
    from ._scope import Evaluated  # noqa: PLC0415 - loaded with the option (not by an unrestricted report)
    from ._scope import scope_report  # noqa: PLC0415

    return scope_report(report, *scope, lang, evaluated=Evaluated(officials, units, packs, known, named))
