"""What the data of a report cover when they are one commune's or one district's (issue #16 §5): the report is
titled for it (:func:`scope_title`, which :mod:`._scope` gives too), and its city-level rows are said to count that
commune's or that district's officials only (:func:`~._notices.with_partial_data_note`)."""

from __future__ import annotations

from typing import Literal

from ..model._report_records import Report

__all__ = ["covered_by_data", "scope_title"]


def covered_by_data(report: Report) -> tuple[Literal["unit", "district"], str] | None:
    """The one commune (``("unit", its code)``) or the one district (``("district", its name)``, where the report
    aggregates by district) that the data of a report not restricted by ``--scope`` cover; ``None`` otherwise, and
    for a commune of a report without names (redacted)."""
    if report.scope is not None:
        return None
    if report.units == 1 and report.names is not None and len(report.names.units) == 1:
        return "unit", next(iter(report.names.units))
    districts = set(report.unit_districts.values())
    if len(districts) == 1 and len(report.unit_districts) == report.units:
        return "district", next(iter(districts))
    return None


def scope_title(report: Report) -> str:
    """What the report is about, for its title: the ``--scope`` chosen; else the one district or the one unit
    the data cover (:func:`covered_by_data`); else the city."""
    if report.scope is not None:
        return report.scope.name
    covered = covered_by_data(report)
    if covered is None:
        return report.city
    kind, ident = covered
    return report.names.units[ident] if kind == "unit" and report.names is not None else ident
