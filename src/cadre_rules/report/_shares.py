"""A commune's own shares of the quotas whose targets bind its city or its district (Đề án 34: key officials under
35 ≥ 10%, women ≥ 15% …): for the officer of one commune, for information. The target is the city's (the
district's), never the commune's: a share is not a finding and does not change whether a target is met.

The numbers are the engine's own counts of each quota per unit (:class:`~cadre_rules.model._report_records.QuotaCounts`,
the same conditions that count the city's metric), taken for the commune of a report restricted to it
(:func:`~._scope.scope_report`) or of data that cover one commune (:func:`with_unit_shares`).
"""

from __future__ import annotations

from typing import Literal

import attrs

from ..model._report_records import Report
from ..model._report_records import Share
from ._covered import covered_by_data
from ._notices import with_partial_data_note

__all__ = ["as_covered", "unit_shares", "with_unit_shares"]


def unit_shares(report: Report, code: str) -> tuple[Share, ...]:
    """The shares of the unit ``code`` of the quotas of ``report`` whose targets bind the city or a district (in
    the report's order of metrics: by pack and metric id): its numerator and denominator as the engine counted
    them, the quota's target, and the city (and the unit's district, where the report aggregates by district)
    whose target it is. None for a quota of a pack that does not apply to the unit, or whose target binds only
    districts and the unit has none."""
    district = report.unit_districts.get(code)
    shares: list[Share] = []
    for q in sorted(report.quota_counts, key=lambda q: (q.pack, q.id)):
        if q.units is not None and code not in q.units:
            continue
        binds: list[tuple[Literal["city", "district"], str]] = []
        for kind in q.binds:
            if kind == "city":
                binds.append((kind, report.city))
            elif district is not None:
                binds.append((kind, district))
        if not binds:
            continue
        denominator = 1 if q.denominators is None else q.denominators.get(code, 0)
        shares.append(Share(q.pack, q.id, code, q.numerators.get(code, 0), denominator, q.target, q.op, tuple(binds),
                            q.key_positions, q.per))
    return tuple(shares)


def with_unit_shares(report: Report) -> Report:
    """``report`` with the shares of its one commune (:func:`unit_shares`) when its data cover one commune
    (:func:`covered_by_data`): there the city's rows count that commune only, and its shares say the same numbers
    as the commune's own, against targets that are the city's. Any other report as it is."""
    covered = covered_by_data(report)
    if covered is None or covered[0] != "unit":
        return report
    shares = unit_shares(report, covered[1])
    return attrs.evolve(report, unit_shares=shares) if shares else report


def as_covered(report: Report, lang: str) -> Report:
    """``report`` of data not restricted by ``--scope`` as the command line and the service give it: where the data
    cover one commune (one district), the note that its city-level rows count those officials only
    (:func:`~._notices.with_partial_data_note`) and the commune's own shares (:func:`with_unit_shares`)."""
    return with_unit_shares(with_partial_data_note(report, lang))
