"""The packs that apply to a report (session 18: one ward's report, as its officer reads it).

A pack whose ``[scope]`` covers none of a report's units — another commune's or district's plugin, in the report of
one commune or district (``--scope``, its own data, or its officials with the city's units file) — is evaluated with
the others but applies to none of its officials or units. The report's coverage (per family, the packs that apply to
its units) does not name it: the header of every format names only the packs it does name (:func:`scope_packs`),
the JSON keeps every pack evaluated (what the report rests on, read by the tools that compare reports) and marks the
others ``"applies": false`` (:func:`not_applying`), and a note says once that they exist and did not apply
(:func:`not_applied_note`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .._i18n import translation
from ..model._report_records import PackRef
from ..model._report_records import Report

__all__ = ["not_applied_note", "not_applied_text", "not_applying", "scope_packs"]


def _ref(pack: PackRef) -> str:
    return f"{pack.id}@{pack.version}"


def scope_packs(report: Report) -> tuple[PackRef, ...]:
    """The packs a report's header names, in every format: those its coverage names (the packs that apply to its
    units); every pack evaluated where the report has no coverage (one made otherwise than by an engine)."""
    if not report.coverage:
        return report.packs
    applying = {ref for c in report.coverage for ref in c.packs}
    return tuple(p for p in report.packs if _ref(p) in applying)


def not_applying(report: Report) -> frozenset[str]:
    """The ``id@version`` of the packs evaluated that apply to none of the report's units (not :func:`scope_packs`)."""
    shown = set(scope_packs(report))
    return frozenset(_ref(p) for p in report.packs if p not in shown)


def not_applied_note(report: Report, about: str, lang: str) -> str | None:
    """The note that the packs of :func:`not_applying` were found and did not apply to ``about`` (the commune or
    district the report is of, or its city), naming them; ``None`` when every pack applies."""
    return not_applied_text(not_applying(report), about, lang)


def not_applied_text(refs: Iterable[str], about: str, lang: str) -> str | None:
    """The note of :func:`not_applied_note` for the packs ``refs`` (``id@version``) that apply to none of the units
    of a job about ``about`` — a report, a projection, an explanation of a commune or district; ``None`` for none."""
    refs = sorted(refs)
    if not refs:
        return None
    return translation(lang).ngettext(
        "pack {packs} was found but applies only to other communes or districts, not to {about}: its rules were not "
        "applied to this report, and it is not listed among its packs",
        "packs {packs} were found but apply only to other communes or districts, not to {about}: their rules were "
        "not applied to this report, and they are not listed among its packs", len(refs)).format(
            packs=", ".join(refs), about=about)
