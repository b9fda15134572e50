"""What changed since ``--baseline`` (issue #16 §5), in every format: how many findings are new (the
report's findings), how many are unchanged (not shown) and how many were resolved, and which.

JSON has the ``baseline`` key (:func:`cadre_rules.report._report.baseline_dict`); CSV and JSON Lines a row of
subject kind ``report`` and rule ``report.baseline`` (:func:`baseline_record`); text, XLSX and HTML
:func:`baseline_summary` and :func:`resolved_rows`.
"""

from __future__ import annotations

from .._i18n import translation
from ..model._names import subject_label
from ..model._report_records import JSONValue
from ..model._report_records import Report
from ..report._report import baseline_dict
from ._common import NOTICE_PACK

__all__ = ["BASELINE_RULE", "baseline_record", "baseline_summary", "resolved_rows"]

#: The rule of the row that says what changed since the baseline (csv, jsonl).
BASELINE_RULE = "report.baseline"


def baseline_summary(report: Report, lang: str = "vi") -> str | None:
    """"Since the baseline FILE: N new, M resolved, K unchanged (not shown)" in ``lang``; ``None`` without one."""
    diff = report.baseline
    if diff is None:
        return None
    t = translation(lang)
    return t.gettext("Since the baseline {file}: {new} new, {resolved} resolved, {unchanged} unchanged (not shown)") \
        .format(file=diff.file, new=diff.new, resolved=len(diff.resolved), unchanged=diff.unchanged)


def resolved_rows(report: Report) -> list[tuple[str, str, str, str, str]]:
    """The resolved findings: pack, rule, subject kind, subject id and its label (empty when redacted)."""
    if report.baseline is None:
        return []
    return [(pack, rule, kind, ident, subject_label(report.names, kind, ident))
            for pack, rule, kind, ident in report.baseline.resolved]


def baseline_record(report: Report, lang: str = "vi", *, explain: bool = False) -> dict[str, JSONValue] | None:
    """The row of the formats of one row per finding (csv, jsonl) that says what changed since the baseline:
    its counts as the message, :func:`baseline_dict` as its facts; ``None`` without a baseline."""
    summary = baseline_summary(report, lang)
    facts = baseline_dict(report)
    if summary is None or facts is None:
        return None
    return {"pack": NOTICE_PACK, "rule": BASELINE_RULE, "family": "", "severity": "info",
            "subject": {"kind": "report", "id": report.city}, "scope_id": report.city, "message": summary,
            "cite": "", "facts": facts, **({"explanation": []} if explain else {})}
