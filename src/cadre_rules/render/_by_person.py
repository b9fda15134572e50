"""The officer's view by person: one entry per official with at least one finding, every finding about them most
severe first, for the XLSX sheet ``by_person`` ("Theo người") and the HTML section of the same name.

A finding about a unit or a scope (a vacancy, a quota) is no one's: it stays on the other sheets. An official is
the subject of findings of several rules and packs (a KHTNV rating: ``replacement.not_completed``,
``replacement.two_years_not_completed`` and a streamlining finding); the findings sheets give each its row, this
view gives the person one. The JSON report is not changed: an integrator groups its findings by ``subject.id``.

Sorted by district (none last), unit (by its name, then its code), highest severity, the official's name, then
id: the same report gives the same order. A redacted report (``--redact``) has no names: its units and officials
sort by code and id.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import Report
from ..model._report_records import Severity
from ._common import vi_sort_key

__all__ = ["Person", "by_person"]

#: A severity's rank: ``error`` first.
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


class Person(NamedTuple):
    """An official with findings: id, unit code (the findings' ``scope_id``), its district (if known), the highest
    severity and the findings, most severe first (in report order within a severity). (A named tuple: a report of
    the city makes thousands.)"""

    official: str
    unit: str
    district: str | None
    severity: Severity
    findings: Sequence[Finding]


def by_person(report: Report, district_of: Callable[[Finding], str | None]) -> list[Person]:
    """The officials of ``report``'s findings, one :class:`Person` each, in the view's order (module note);
    ``district_of`` gives a finding's district (:func:`~._common.district_finder`)."""
    grouped: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.subject_kind == "official":
            grouped.setdefault(f.subject_id, []).append(f)
    people = []
    for ident, found in grouped.items():
        if len(found) > 1:
            found.sort(key=lambda f: _RANK[f.severity])  # stable: report order within a severity
        people.append(Person(ident, found[0].scope_id, district_of(found[0]), found[0].severity, tuple(found)))
    names = report.names
    officials, units = ({}, {}) if names is None else (names.officials, names.units)
    places: dict[tuple[str | None, str], tuple[object, ...]] = {}  # each unit's key made once
    for p in people:
        if (p.district, p.unit) not in places:
            places[p.district, p.unit] = (p.district is None, vi_sort_key(p.district or ""),
                                          vi_sort_key(units.get(p.unit, p.unit)), p.unit)

    def key(p: Person) -> tuple[object, ...]:
        named = officials.get(p.official)
        return (*places[p.district, p.unit], _RANK[p.severity], vi_sort_key(named[0] if named else p.official),
                p.official)

    people.sort(key=key)
    return people
