"""A report for one district or one commune (issue #16 §5): ``--scope district:NAME`` / ``--scope commune:NAME``
keeps what concerns it, and every format is titled for it rather than for the whole city. A report of data that
cover a single district or commune is titled for it too (:func:`scope_title`).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

import attrs

from ..errors import N_
from ..errors import Argument
from ..errors import InputError
from ..errors import Problem
from ..model._argument_notes import LEGACY_DISTRICTS
from ..model._codes import match_key
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Report
from ..model._report_records import ReportScope
from ..model._report_records import Share
from ..model._unit_names import the_unit
from ..packs._packs import Pack
from ._applied import scope_packs
from ._counted import restricted_to
from ._coverage import coverage
from ._coverage import coverage_notices
from ._coverage import data_as_of
from ._coverage import data_notice
from ._coverage import packs_scope_notes
from ._covered import covered_by_data
from ._shares import unit_shares

__all__ = ["LEGACY_DISTRICTS", "SCOPE", "SCOPE_KINDS", "Evaluated", "parse_scope", "scope_coverage", "scope_packs",
           "scope_report", "scope_subjects", "scope_title"]

#: The kinds ``--scope`` accepts (``commune`` stands for any commune-level unit: xã, phường, thị trấn).
SCOPE_KINDS = ("district", "commune")
#: Where a wrong scope is: the caller's ``scope`` (the command line's ``--scope``, the service's ``scope``:
#: :func:`~cadre_rules.errors.named_by`).
SCOPE = Argument("scope")


@attrs.frozen(slots=True)
class Evaluated:
    """What a report was evaluated from, for what a report restricted to some units says of them rather than of the
    whole input: which families were checked there, how current their officials' records are, the packs' scopes."""

    officials: Sequence[Official]
    units: Sequence[Unit]
    #: the packs evaluated (those in force on the as-of date, or named)
    packs: Sequence[Pack]
    #: the packs the engine was given (what the coverage's reasons name: a pack ended, replaced, to come)
    known: Sequence[Pack]
    #: the packs were named (``--pack``): the coverage is not noticed (the user chose the families)
    named: bool = False


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


def scope_subjects(report: Report, officials: Iterable[Official]) -> frozenset[str]:
    """The ids of what a report restricted by :func:`scope_report` speaks of: its units' codes, the ids of their
    officials among ``officials`` (those evaluated), its district's name. A waiver or a baseline's finding of
    another subject is not its (``--waivers``, ``--baseline``: set aside after the report is restricted)."""
    scope = report.scope
    if scope is None:
        raise ValueError("not a scoped report")
    units = {scope.id} if scope.kind == "unit" else {c for c, d in report.unit_districts.items() if d == scope.id}
    return frozenset((*units, *(o.id for o in officials if o.unit in units),
                      *((scope.id,) if scope.kind == "district" else ())))


def scope_coverage(report: Report, evaluated: Evaluated, units: frozenset[str], lang: str, *,
                   pack_notes: bool = False) -> Report:
    """``report`` with its coverage, the date of its data and their notices those of the officials and units of
    ``units`` (a family checked or not there; their newest date, unless the date was declared), in place of the
    whole input's; without the notes on the packs' scopes against the whole input, unless ``pack_notes`` (a report
    not restricted by ``--scope``: :func:`~._asked.own_data` decides them)."""
    as_of = report.as_of
    scope_units = [u for u in evaluated.units if u.code in units]
    cover = coverage(evaluated.packs, evaluated.known, as_of, lang, scope_units)
    data = report.data_as_of
    if data is not None:
        declared = data.date if data.source == "declared" else None
        data = data_as_of([o for o in evaluated.officials if o.unit in units], as_of, declared)
    stale = None if data is None else data_notice(data, as_of, lang)
    new = [*coverage_notices(() if evaluated.named else cover, as_of, lang), *([stale] if stale else [])]
    old = {n.message for n in report.notices if n.kind in ("coverage", "stale_data")}
    packs = packs_scope_notes(evaluated.packs, evaluated.units, lang)
    said = set() if pack_notes else packs  # (left out)
    # the scope's notices where the whole input's were, as the engine orders them: before the districts', the notes
    # on the packs' scopes and what rules could not decide (else last)
    before = old | packs | {n.message for n in report.notices if n.kind in ("districts", "undecided")}
    at = next((i for i, note in enumerate(report.notes) if note in before), len(report.notes))
    notes = [*report.notes[:at], *(n.message for n in new),
             *(n for n in report.notes[at:] if n not in old and n not in said)]
    read = [n for n in report.notices if n.kind == "input"]  # (how the files were read: first, as the engine says)
    notices = [*read, *new, *(n for n in report.notices if n.kind not in ("coverage", "stale_data", "input"))]
    return attrs.evolve(report, coverage=cover, data_as_of=data, notes=tuple(notes), notices=tuple(notices))


def scope_title(report: Report) -> str:
    """What the report is about, for its title: the ``--scope`` chosen; else the one district or the one unit
    the data cover (:func:`covered_by_data`); else the city."""
    if report.scope is not None:
        return report.scope.name
    covered = covered_by_data(report)
    if covered is None:
        return report.city
    kind, ident = covered
    return report.names.units[ident] if kind == "unit" and report.names is not None else ident

