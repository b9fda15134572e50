"""What a report was evaluated from (:class:`Evaluated`), for a report of some units of it — restricted by
``--scope`` (:func:`~._scope.scope_report`), or of one commune's or district's own data
(:func:`~._asked.as_asked`) — to say what it says of the data of those units (:func:`scope_coverage`): which
families were checked there, by which packs, and how current their officials' records are. Apart from
:mod:`._scope` so that a report of a commune's own data does not load the ``--scope`` option's module.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Report
from ..model._table import column_of
from ..model._table import taken
from ..packs._packs import Pack
from ._coverage import coverage
from ._coverage import coverage_notices
from ._coverage import data_as_of
from ._coverage import data_notice
from ._coverage import packs_scope_notes

__all__ = ["Evaluated", "scope_coverage"]


@attrs.frozen(slots=True)
class Evaluated:
    """What a report was evaluated from, for what a report restricted to some units says of them rather than of the
    whole input: which families were checked there, how current their officials' records are, the packs' scopes."""

    officials: Sequence[Official]
    units: Sequence[Unit]
    #: the packs evaluated (those in force on the as-of date, or named)
    packs: Sequence[Pack]
    #: the packs the engine was given (what the coverage's reasons name: a pack ended, replaced, to come)
    known: Sequence[Pack]
    #: the packs were named (``--pack``): the coverage is not noticed (the user chose the families)
    named: bool = False


def scope_coverage(report: Report, evaluated: Evaluated, units: frozenset[str], lang: str, *,
                   pack_notes: bool = False) -> Report:
    """``report`` with its coverage, the date of its data and their notices those of the officials and units of
    ``units`` (a family checked or not there; their newest date, unless the date was declared), in place of the
    whole input's; without the notes on the packs' scopes against the whole input, unless ``pack_notes`` (a report
    not restricted by ``--scope``: :func:`~._asked.own_data` decides them)."""
    as_of = report.as_of
    scope_units = [u for u in evaluated.units if u.code in units]
    cover = coverage(evaluated.packs, evaluated.known, as_of, lang, scope_units)
    data = report.data_as_of
    if data is not None:
        declared = data.date if data.source == "declared" else None
        kept = [i for i, unit in enumerate(column_of(evaluated.officials, "unit")) if unit in units]  # (no record)
        data = data_as_of(taken(evaluated.officials, kept), as_of, declared)
    stale = None if data is None else data_notice(data, as_of, lang)
    new = [*coverage_notices(() if evaluated.named else cover, as_of, lang), *([stale] if stale else [])]
    old = {n.message for n in report.notices if n.kind in ("coverage", "stale_data")}
    packs = packs_scope_notes(evaluated.packs, evaluated.units, lang)
    said = set() if pack_notes else packs  # (left out)
    # the scope's notices where the whole input's were, as the engine orders them: before the districts', the notes
    # on the packs' scopes and what rules could not decide (else last)
    before = old | packs | {n.message for n in report.notices if n.kind in ("districts", "undecided")}
    at = next((i for i, note in enumerate(report.notes) if note in before), len(report.notes))
    notes = [*report.notes[:at], *(n.message for n in new),
             *(n for n in report.notes[at:] if n not in old and n not in said)]
    read = [n for n in report.notices if n.kind == "input"]  # (how the files were read: first, as the engine says)
    notices = [*read, *new, *(n for n in report.notices if n.kind not in ("coverage", "stale_data", "input"))]
    return attrs.evolve(report, coverage=cover, data_as_of=data, notes=tuple(notes), notices=tuple(notices))
