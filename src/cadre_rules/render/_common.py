"""Helpers shared by the renderers: finding records, districts, clean text, percentages."""

from __future__ import annotations

import json
import re
import unicodedata
from fractions import Fraction

from .._model import Finding
from .._model import Metric
from .._model import Report
from .._report import JSONValue
from .._report import report_to_dict

__all__ = ["NOTICE_PACK", "compact_json", "district_of", "finding_dicts", "metric_number", "notice_dicts", "percent",
           "vi_sort_key", "xml_text"]

#: The ``pack`` of the rows that carry a report's notices in the formats of one row per finding.
NOTICE_PACK = "cadre-rules"

# Characters XML 1.0 (and therefore XLSX, JUnit and HTML) cannot carry: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def finding_dicts(report: Report) -> list[dict[str, JSONValue]]:
    """The ``findings`` entries of the JSON report contract, in report order."""
    findings = report_to_dict(report)["findings"]
    assert isinstance(findings, list)
    return [f for f in findings if isinstance(f, dict)]


def notice_dicts(report: Report) -> list[dict[str, JSONValue]]:
    """The report's notices (coverage, stale data, districts) shaped like the ``findings`` entries of
    the JSON report, with subject kind ``report`` and rule ``notice.<kind>``: for the formats of one
    row per finding (csv, jsonl), after the findings."""
    return [{"pack": NOTICE_PACK, "rule": f"notice.{n.kind}", "family": n.family or "", "severity": n.severity,
             "subject": {"kind": "report", "id": report.city}, "scope_id": report.city, "message": n.message,
             "cite": "", "facts": {}, "explanation": []} for n in report.notices]


def compact_json(value: JSONValue) -> str:
    """One-line JSON, UTF-8 characters kept, keys in their given order."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
