"""What a report counts of people or units, counted for some of its units only (those of a ``--scope``, or those
that have officials when a commune's officials come with the city's units file): what its rules could not decide
(the records, their notices and notes) and the units whose district is not aggregated."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import TypeVar

import attrs

from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._report_records import Undecided
from ._notices import dropped_districts_notice
from ._notices import undecided_notices
from ._rule_names import RuleNames

__all__ = ["counted_for", "restricted_to"]

T = TypeVar("T")


def restricted_to(report: Report, units: frozenset[str], lang: str, keep: Callable[[Finding], bool],
                  keep_metric: Callable[[Metric], bool], **changes: object) -> Report:
    """``report`` of ``units`` only (a ``--scope``'s, or the units that have officials: :mod:`._unstaffed`): the
    findings and set-aside findings ``keep`` keeps, the metrics ``keep_metric`` keeps, what it counts counted for
    ``units`` (:func:`counted_for`), their number and districts; then ``changes``."""
    return attrs.evolve(counted_for(report, units, lang), findings=tuple(filter(keep, report.findings)),
                        suppressed=tuple(s for s in report.suppressed if keep(s.finding)),
                        metrics=tuple(filter(keep_metric, report.metrics)), units=len(units),
                        unit_districts={c: d for c, d in report.unit_districts.items() if c in units},
                        **changes)  # type: ignore[arg-type]


def counted_for(report: Report, units: frozenset[str], lang: str) -> Report:
    """``report`` with what counts people or units counted for those of ``units`` only, in place of the whole
    input's: what its rules could not decide (the records, their notices and notes) and the units whose district
    is not aggregated."""
    records: list[Undecided] = []
    for record in report.undecided:
        by_unit = {code: n for code, n in record.by_unit.items() if code in units}
        if by_unit:
            subjects = {subject: code for subject, code in record.subjects.items() if code in units}
            records.append(attrs.evolve(record, count=sum(by_unit.values()), by_unit=by_unit, subjects=subjects))
    said = undecided_notices(records, lang, RuleNames(report.packs, lang),
                             None if report.names is None else report.names.units)
    notes, notices = list(report.notes), list(report.notices)
    for kind, new in (("undecided", said), ("districts", _districts_of(report.notices, units, lang))):
        old = {n.message for n in report.notices if n.kind == kind and (kind == "undecided" or n.by_unit)}
        notes = _replaced(notes, old.__contains__, [n.message for n in new])
        notices = _replaced(notices, lambda n: n.message in old, new)  # noqa: B023 - (called at once)
    return attrs.evolve(report, undecided=tuple(records), notes=tuple(notes), notices=tuple(notices))


def _districts_of(notices: Iterable[Notice], units: frozenset[str], lang: str) -> list[Notice]:
    """The notice of the units whose district is not aggregated, for those of ``units`` (none if none has one)."""
    found: list[Notice] = []
    for notice in notices:
        if notice.kind == "districts" and notice.by_unit:
            by_unit = {code: n for code, n in notice.by_unit.items() if code in units}
            found.extend((dropped_districts_notice(by_unit, lang),) if by_unit else ())
    return found


def _replaced(items: Iterable[T], old: Callable[[T], bool], new: Sequence[T]) -> list[T]:
    """``items`` with those ``old`` tells replaced by ``new``, where the first of them was."""
    out: list[T] = []
    placed = False
    for item in items:
        if not old(item):
            out.append(item)
        elif not placed:
            out.extend(new)
            placed = True
    return out
