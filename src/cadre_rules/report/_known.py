"""Every finding the evaluation made for a report's subjects, whether the report shows it or not: those it shows,
those set aside (a waiver, a pack's override: :attr:`~cadre_rules.Report.suppressed`) and those hidden because a
baseline already had them (``--baseline``: :attr:`~cadre_rules.model._report_records.BaselineDiff.hidden`).

What the report counts of people reads them all, so that it says the same with or without waivers and a
baseline: an official past retirement age whose finding is hidden is still not counted as evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from ..model._report_records import Finding
from ..model._report_records import Report

__all__ = ["known_findings"]


def known_findings(report: Report) -> Iterator[Finding]:
    """The findings of ``report`` (module note): shown, set aside, then hidden by its baseline."""
    hidden = () if report.baseline is None else report.baseline.hidden
    return chain(report.findings, (s.finding for s in report.suppressed), hidden)
