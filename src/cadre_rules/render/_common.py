"""Helpers shared by the renderers: districts, clean text, percentages, Vietnamese sort keys."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from .._model import Finding
from .._model import JSONValue
from .._model import Metric
from .._model import Report

__all__ = ["NOTICE_PACK", "district_of", "metric_number", "notice_dicts", "percent", "vi_sort_key", "xml_text"]

#: The ``pack`` of the rows that carry a report's notices in the formats of one row per finding.
NOTICE_PACK = "cadre-rules"

# Characters XML 1.0 (and therefore XLSX, JUnit and HTML) cannot carry: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def notice_dicts(report: Report, *, explain: bool = False) -> list[dict[str, JSONValue]]:
    """The report's notices (coverage, stale data, districts) shaped like the finding records of
    ``--format jsonl`` (:func:`cadre_rules._report.finding_record`), with subject kind ``report`` and rule
    ``notice.<kind>``: for the formats of one row per finding (csv, jsonl), after the findings."""
    return [{"pack": NOTICE_PACK, "rule": f"notice.{n.kind}", "family": n.family or "", "severity": n.severity,
             "subject": {"kind": "report", "id": report.city}, "scope_id": report.city, "message": n.message,
             "cite": "", "facts": {}, **({"explanation": []} if explain else {})} for n in report.notices]


def xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", text)


def vi_sort_key(text: str) -> tuple[str, str]:
    """Sort key for Vietnamese names: letters without their marks first (``đ`` as ``d``), then exact text."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D").casefold(), text


def percent(value: Fraction | float | None, digits: int = 1) -> str:
    """``12.3%``, or ``—`` for no value."""
    return "—" if value is None else f"{float(value):.{digits}%}"


def metric_number(metric: Metric, value: Fraction | None) -> str:
    """A metric's value or target as shown: a share in percent, an average per unit with two decimals."""
    if metric.per == "unit":
        return "—" if value is None else f"{float(value):.2f}"
    return percent(value)


def district_of(report: Report, finding: Finding) -> str | None:
    """The district a finding belongs to: its scope for district findings, its unit's district otherwise.

    ``None`` for city-wide findings and for units whose district is unknown.
    """
    if finding.scope_id in report.unit_districts:
        return report.unit_districts[finding.scope_id]
    if finding.subject_kind == "scope" and finding.scope_id != report.city:
        return finding.scope_id
    return None
