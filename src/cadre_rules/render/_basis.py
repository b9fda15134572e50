"""What a report rests on (issue #16 §5), stated by every format: the as-of date, the packs ``id@version``
with their sha256, the ``--param`` values given, the rule backend, the input files' sha256 and the version of
cadre-rules.

The text and HTML show :func:`basis_lines`; the XLSX summary lists the same; CSV and JSON Lines end with one
row of subject kind ``report`` and rule ``report.basis`` (:func:`basis_record`), its facts the same data as the
JSON report's keys.
"""

from __future__ import annotations

from .._i18n import translation
from ..model._formats import short_date
from ..model._report_records import JSONValue
from ..model._report_records import Report
from ..report._report import version
from ._common import NOTICE_PACK

__all__ = ["BASIS_RULE", "basis_facts", "basis_lines", "basis_record"]

#: The rule of the row that states what the report rests on (csv, jsonl).
BASIS_RULE = "report.basis"


def basis_facts(report: Report) -> dict[str, JSONValue]:
    """The report's basis as data, with the JSON report's keys."""
    return {"as_of": report.as_of.isoformat(), "cadre_rules_version": version(), "backend": report.backend,
            "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256} for p in report.packs],
            "params": dict(report.params),
            "input": {"officials": report.officials, "units": report.units, "sha256": report.input_sha256}}


def basis_lines(report: Report, lang: str = "vi") -> list[tuple[str, str]]:
    """``(label, value)`` pairs in ``lang``: as-of date, each pack with its sha256, the parameters given (or
    none), the backend, the input files' sha256, the version of cadre-rules."""
    t = translation(lang)
    _ = t.gettext
    lines = [(_("As of"), short_date(report.as_of, lang))]
    lines += [(_("Pack"), f"{p.id}@{p.version} sha256:{p.sha256}") for p in report.packs]
    params = ", ".join(f"{k}={v}" for k, v in report.params.items())
    lines.append((_("Parameters given"), params or _("none (the packs' defaults)")))
    if report.backend is not None:
        lines.append((_("Rule engine"), "durable-rules" if report.backend == "durable" else
                      _("reference (pure Python)") if report.backend == "reference" else report.backend))
    lines.append((_("Input files (officials + units)"), f"sha256:{report.input_sha256}"))
    lines.append(("cadre-rules", version()))
    return lines


def basis_record(report: Report, lang: str = "vi", *, explain: bool = False) -> dict[str, JSONValue]:
    """The row of the formats of one row per finding (csv, jsonl) that states the basis: subject kind
    ``report``, rule :data:`BASIS_RULE`, the basis as its message and facts."""
    message = "; ".join(f"{label}: {value}" for label, value in basis_lines(report, lang))
    return {"pack": NOTICE_PACK, "rule": BASIS_RULE, "family": "", "severity": "info",
            "subject": {"kind": "report", "id": report.city}, "scope_id": report.city, "message": message,
            "cite": "", "facts": basis_facts(report), **({"explanation": []} if explain else {})}
