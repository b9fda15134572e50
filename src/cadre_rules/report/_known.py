"""Every finding the evaluation made for a report's subjects, whether the report shows it or not: those it shows,
those set aside (a waiver, a pack's override: :attr:`~cadre_rules.Report.suppressed`) and those hidden because a
baseline already had them (``--baseline``: :attr:`~cadre_rules.model._report_records.BaselineDiff.hidden`).

What the report counts of people and posts reads them, so that it says the same with or without waivers and a
baseline: an official past retirement age whose finding is hidden is still not counted as evaluated, a vacant post
whose finding is waived is still vacant.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from ..model._report_records import Finding
from ..model._report_records import Report

__all__ = ["WAIVER", "known_findings"]

#: How a finding set aside by a waiver is marked: ``Suppressed.by`` is ``"waiver:" + its approver`` (a pack's
#: override: the pack's id).
WAIVER = "waiver:"


def known_findings(report: Report, *, overridden: bool = True) -> Iterator[Finding]:
    """The findings of ``report`` (module note): shown, set aside, then hidden by its baseline. Without
    ``overridden``, not those a pack's override set aside: the data read as that pack reads them (its own rule in
    their place, or none), as a waiver does not (the finding is true, accepted for a while)."""
    hidden = () if report.baseline is None else report.baseline.hidden
    aside = (s.finding for s in report.suppressed if overridden or s.by.startswith(WAIVER))
    return chain(report.findings, aside, hidden)
