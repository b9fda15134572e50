"""A report for one district or one commune (issue #16 §5): ``--scope district:NAME`` / ``--scope commune:NAME``
keeps what concerns it, and every format is titled for it rather than for the whole city. A report of data that
cover a single district or commune is titled for it too (:func:`scope_title`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Problem
from ..model._argument_notes import LEGACY_DISTRICTS
from ..model._codes import match_key
from ..model._model import Official
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..model._report_records import Share
from ..model._table import column_of
from ..model._unit_names import the_unit
from ._applied import scope_packs
from ._counted import restricted_to
from ._covered import scope_title
from ._evaluated import Evaluated
from ._evaluated import scope_coverage
from ._shares import unit_shares

__all__ = ["LEGACY_DISTRICTS", "SCOPE", "SCOPE_KINDS", "Evaluated", "parse_scope", "scope_coverage", "scope_packs",
           "scope_report", "scope_subjects", "scope_title"]

#: The kinds ``--scope`` accepts (``commune`` stands for any commune-level unit: xã, phường, thị trấn).
SCOPE_KINDS = ("district", "commune")
#: Where a wrong scope is: the caller's ``scope`` (the command line's ``--scope``, the service's ``scope``:
#: :func:`~cadre_rules.errors.named_by`).
SCOPE = Argument("scope")


def parse_scope(text: str) -> tuple[str, str]:
    """``district:NAME`` or ``commune:NAME`` (a unit's code or name) → ``(kind, NAME)``; :class:`InputError`
    otherwise."""
    kind, colon, name = text.partition(":")
    if not colon or kind.strip() not in SCOPE_KINDS or not name.strip():
        raise InputError([Problem(SCOPE, N_("expected district:NAME or commune:NAME (a unit's code or name)"),
                                  value=text)])
    return kind.strip(), name.strip()


def scope_report(report: Report, kind: str, name: str, lang: str = "vi", *,
                 evaluated: Evaluated | None = None) -> Report:
    """``report`` restricted to one district or one commune: its metrics, its findings (the scope's own and
    those of its units and officials), its set-aside findings, what its rules could not decide for its
    officials and units (the notes remade in ``lang``, the report's language); titled for it. A commune's
    report has its own shares of the city's (its district's) quotas, for information (:func:`unit_shares`).
    :class:`InputError` names the known districts or says the unit is unknown.

    ``evaluated`` (what the report was made from): the coverage, the data's date and their notes are remade for
    the scope's units and officials, and the notes on the packs' scopes against the whole input (a pack that
    covers no unit of it, or whose scope names units not in it: the setup of the city's plugins) are not said
    (docs/report.md, "scope"). Without it they stay the whole input's. How the data files were read (rows left
    out, ids made…: the notices of kind ``input``) is said whole: the files the report was made from."""
    districts = report.unit_districts
    if kind == "district":
        known = sorted(set(districts.values()))
        match = next((d for d in known if match_key(d) == match_key(name)), None)
        if match is None:
            raise InputError([Problem.of(SCOPE, N_("no such district in the report (districts: {known})"),
                                         value=name, known=", ".join(known)) if known else
                              Problem.of(SCOPE, N_("the report has no districts (from 2025-07-01 there are none; "
                                                   "{option} keeps them)"), value=name, option=LEGACY_DISTRICTS)])
        units = frozenset(code for code, d in districts.items() if d == match)
        scope = ReportScope("district", match, match)
        shares: tuple[Share, ...] = ()
    else:
        names = report.names.units if report.names is not None else {}
        codes = {m.scope_id for m in report.metrics if m.scope == "unit"} | set(names) | set(districts)
        code = the_unit(name, {c: names.get(c, c) for c in codes}, SCOPE,
                        N_("no unit with this code or name in the report"))
        units = frozenset((code,))
        scope = ReportScope("unit", code, names.get(code, code))
        match = districts.get(code)
        shares = unit_shares(report, code)  # (of the city's and its district's quotas, for information)

    def keep(f: Finding) -> bool:
        if f.subject_kind == "scope" and f.scope_id not in units:
            return kind == "district" and f.scope_id == match
        return f.scope_id in units

    def keep_metric(m: Metric) -> bool:
        return (m.scope == "unit" and m.scope_id in units) or \
            (kind == "district" and m.scope == "district" and m.scope_id == match)

    officials = report.officials if report.names is None else \
        sum(1 for _name, _post, unit in report.names.officials.values() if unit in units)
    if evaluated is not None:
        report = scope_coverage(report, evaluated, units, lang)
    return restricted_to(report, units, lang, keep, keep_metric, officials=officials, scope=scope, unit_shares=shares)


def scope_subjects(report: Report, officials: Sequence[Official]) -> frozenset[str]:
    """The ids of what a report restricted by :func:`scope_report` speaks of: its units' codes, the ids of their
    officials among ``officials`` (those evaluated), its district's name. A waiver or a baseline's finding of
    another subject is not its (``--waivers``, ``--baseline``: set aside after the report is restricted)."""
    scope = report.scope
    if scope is None:
        raise ValueError("not a scoped report")
    units = {scope.id} if scope.kind == "unit" else {c for c, d in report.unit_districts.items() if d == scope.id}
    ids = compress(column_of(officials, "id"), map(units.__contains__, column_of(officials, "unit")))  # (no record)
    return frozenset((*units, *ids, *((scope.id,) if scope.kind == "district" else ())))
