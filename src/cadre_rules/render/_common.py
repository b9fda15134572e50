"""Helpers shared by the renderers: districts, clean text, numbers and dates in the reader's language,
Vietnamese sort keys.

Numbers and dates for people go through :func:`percent`, :func:`integer`, :func:`decimal`,
:func:`short_date` and :func:`long_date` (``17,9%``, ``11.473``, ``31/12/2024``, "ngày 31 tháng 12 năm
2024" in Vietnamese; ``17.9%``, ``11,473``, ``2024-12-31``, "31 December 2024" in English). The values of
the machine formats (json, jsonl, csv) stay ISO dates and dot decimals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from fractions import Fraction

from ..model._formats import decimal
from ..model._formats import integer
from ..model._formats import long_date
from ..model._formats import percent
from ..model._formats import short_date
from ..model._names import subject_label
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Metric
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._report_records import Share

__all__ = ["NOTICE_PACK", "decimal", "district_finder", "integer", "long_date", "message_of", "metric_number",
           "metric_place", "notice_dicts", "notice_rules", "percent", "scope_place", "short_date", "title_date",
           "vi_sort_key", "xml_text"]

#: The ``pack`` of the rows that carry a report's notices in the formats of one row per finding.
NOTICE_PACK = "cadre-rules"

# Characters XML 1.0 (and therefore XLSX, JUnit and HTML) cannot carry: C0 controls but tab, LF and CR.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def notice_dicts(report: Report, *, explain: bool = False) -> list[dict[str, JSONValue]]:
    """The report's notices (coverage, stale data, districts) shaped like the finding records of
    ``--format jsonl`` (:func:`cadre_rules.report._report.finding_record`), with subject kind ``report`` and rule
    ``notice.<kind>``: for the formats of one row per finding (csv, jsonl), after the findings. A notice of rules
    not decided has them in its facts (:func:`notice_rules`: its message names them in words)."""
    return [{"pack": NOTICE_PACK, "rule": f"notice.{n.kind}", "family": n.family or "", "severity": n.severity,
             "subject": {"kind": "report", "id": report.city}, "scope_id": report.city, "message": n.message,
             "cite": "", "facts": notice_rules(n), **({"explanation": []} if explain else {})}
            for n in report.notices]


def notice_rules(notice: Notice) -> dict[str, JSONValue]:
    """``{"rules": [{"pack", "rule"}, …]}``: the rules a notice of rules not decided is about, by pack and id, in
    the order its message names them (by name); ``{}`` for any other notice."""
    if not notice.rules:
        return {}
    return {"rules": [{"pack": pack, "rule": rule} for pack, rule in notice.rules]}


def xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", text)


class _Bare(dict[int, int | None]):
    """``str.translate``'s table that drops the combining characters (a mark, once a text is NFD) and keeps the
    others, each character's answer found on its first meeting (a name's letters are few)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_BARE = _Bare()


def vi_sort_key(text: str) -> tuple[str, str]:
    """Sort key for Vietnamese names: letters without their marks first (``đ`` as ``d``), then exact text."""
    bare = unicodedata.normalize("NFD", text).translate(_BARE)
    return bare.replace("đ", "d").replace("Đ", "D").casefold(), text


def metric_number(metric: Metric | Share, value: Fraction | None, lang: str) -> str:
    """A metric's (or a commune's own share's) value or target as shown: a share in percent, an average per unit
    with two decimals."""
    if metric.per == "unit":
        return "—" if value is None else decimal(value, lang)
    return percent(value, lang)


def scope_place(report: Report, scope_id: str) -> str:
    """A finding's or a metric's place as the findings name their subject: a unit by its code and name ("00322
    Phường Tương Mai"; the code alone if the report is redacted), a district or the city by its name."""
    name = subject_label(report.names, "unit", scope_id)
    return f"{scope_id} {name}" if name else scope_id


def metric_place(report: Report, metric: Metric) -> str:
    """Where a metric is measured (:func:`scope_place`; a district's or the city's by its name)."""
    return scope_place(report, metric.scope_id) if metric.scope == "unit" else metric.scope_id


def title_date(value: date, lang: str) -> str:
    """The date of a report's title: "ngày 31 tháng 12 năm 2024" in Vietnamese, ISO in English."""
    return value.isoformat() if lang == "en" else long_date(value, lang)


def message_of(finding: Finding) -> str:
    """A finding's message on one line, without its subject's name in front when the message begins
    with it (a quota's ``{scope}: …``), for the views that print the subject before the message."""
    message = " ".join(finding.message.split())
    for name in (finding.subject_id, finding.scope_id):
        if name and message.startswith(name + ":"):
            return message[len(name) + 1:].lstrip()
    return message


def district_finder(report: Report) -> Callable[[Finding], str | None]:
    """The district a finding of ``report`` belongs to: its scope for a district's finding, its unit's district
    otherwise; ``None`` for city-wide findings and for units whose district is unknown.

    A district is one the report knows: a unit's district, or the scope of a district's metric. A scope finding
    of a unit's quota (a plugin's per-commune quota, scoped by the unit's code) is its unit's, never a district:
    since 2025-07-01 a city has none.
    """
    unit_districts = report.unit_districts
    names = {*unit_districts.values(), *(m.scope_id for m in report.metrics if m.scope == "district")}

    def district_of(finding: Finding) -> str | None:
        if finding.scope_id in unit_districts:
            return unit_districts[finding.scope_id]
        if finding.subject_kind == "scope" and finding.scope_id in names:
            return finding.scope_id
        return None

    return district_of
