"""The training view (``evaluate --group-by training``, issue #16 §5) in the formats beyond text: who needs
which course for which standard, each official named unless the report is redacted.

- JSON: :func:`training_to_json`, schema ``cadre-rules/training/v1`` (docs/report.md, "The training view");
- CSV: :func:`training_csv`, one row per official and course;
- XLSX and HTML: :func:`training_rows`, the rows of their "training" sheet and section.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .._i18n import N_
from ..model._arguments import NOT_A_REPORT
from ..model._arguments import a_sequence
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._langs import a_lang
from ..model._names import subject_parts
from ..model._report_records import JSONValue
from ..model._report_records import Report
from ..report._report import canonical_json
from ..report._report import version
from ..report._training import TrainingNeed
from ..report._training import course_label
from ..report._training import training_needs
from ._csv import _guard

__all__ = ["TRAINING_COLUMNS", "TRAINING_SCHEMA", "training_csv", "training_document", "training_rows",
           "training_to_json"]

TRAINING_SCHEMA = "cadre-rules/training/v1"
#: The columns of the CSV (machine names) and of the XLSX sheet and HTML table (translated).
TRAINING_COLUMNS = ("district", "unit", "unit_name", "official", "name", "position", "course", "course_label",
                    "current", "target", "standard", "pack", "rule", "severity", "cite")


def _record(need: TrainingNeed, report: Report, lang: str) -> dict[str, JSONValue]:
    """A need with the official's name, position and unit name (none when redacted) and the course's label."""
    record = need.to_dict()
    parts = subject_parts(report.names, "official", need.official)
    unit_name = report.names.units.get(need.unit) if report.names is not None else None
    named: dict[str, JSONValue] = {} if parts is None else {"name": parts[0], "position": parts[1]}
    return {"district": need.district, "unit": need.unit, **({"unit_name": unit_name} if unit_name else {}),
            "official": need.official, **named, "course": need.course, "course_label": course_label(need.course, lang),
            **{k: record[k] for k in ("field", "current", "target", "standard", "pack", "rule", "severity", "cite")}}


def training_document(report: Report, lang: str = "vi",
                      needs: Sequence[TrainingNeed] | None = None) -> dict[str, JSONValue]:
    """The training view as JSON data: what it rests on (as-of date, packs), totals per course, the needs."""
    refuse(an_instance("report", report, Report, NOT_A_REPORT), a_lang("lang", lang),
           None if needs is None else a_sequence("needs", needs, TrainingNeed, _NOT_NEEDS, _NOT_A_NEED))
    chosen = training_needs(report) if needs is None else needs
    totals: dict[str, int] = {}
    for n in chosen:
        totals[n.course] = totals.get(n.course, 0) + 1
    return {
        "schema": TRAINING_SCHEMA, "cadre_rules_version": version(), "as_of": report.as_of.isoformat(),
        "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256} for p in report.packs],
        "input": {"officials": report.officials, "units": report.units, "sha256": report.input_sha256},
        "officials": len({n.official for n in chosen}),
        "courses": [{"course": c, "label": course_label(c, lang), "count": k}
                    for c, k in sorted(totals.items(), key=lambda item: (-item[1], item[0]))],
        "needs": [_record(n, report, lang) for n in chosen],
        "notes": list(report.notes),
    }


def training_to_json(report: Report, lang: str = "vi") -> str:
    """:func:`training_document` as canonical JSON text (deterministic)."""
    return canonical_json(training_document(report, lang))


def training_rows(report: Report, lang: str = "vi") -> list[list[str | None]]:
    """One row per official and course, the cells of :data:`TRAINING_COLUMNS` (names empty when redacted)."""
    rows = []
    for n in training_needs(report):
        record = _record(n, report, lang)
        rows.append([None if record.get(c) is None else str(record.get(c)) for c in TRAINING_COLUMNS])
    return rows


def training_csv(report: Report, lang: str = "vi") -> bytes:
    """The training view as CSV (UTF-8 with a byte-order mark, CRLF): a header of :data:`TRAINING_COLUMNS`."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TRAINING_COLUMNS)
    writer.writerows([["" if c is None else _guard(c) for c in row] for row in training_rows(report, lang)])
    return out.getvalue().encode("utf-8")


# TRANSLATORS: TrainingNeed and training_needs are names of the Python API; {type} a Python type (str)
_NOT_NEEDS = N_("expected a sequence of TrainingNeed (made by training_needs), or None, not a value of type {type}")
_NOT_A_NEED = N_("expected a TrainingNeed (made by training_needs), not a value of type {type}")
