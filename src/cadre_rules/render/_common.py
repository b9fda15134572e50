"""Helpers shared by the renderers: districts, clean text, percentages, Vietnamese sort keys."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from .._model import Finding
from .._model import Report

__all__ = ["district_of", "percent", "vi_sort_key", "xml_text"]

# Characters XML 1.0 (and therefore XLSX, JUnit and HTML) cannot carry: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


def district_of(report: Report, finding: Finding) -> str | None:
    """The district a finding belongs to: its scope for district findings, its unit's district otherwise.

    ``None`` for city-wide findings and for units whose district is unknown.
    """
    if finding.scope_id in report.unit_districts:
        return report.unit_districts[finding.scope_id]
    if finding.subject_kind == "scope" and finding.scope_id != report.city:
        return finding.scope_id
    return None
