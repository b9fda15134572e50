"""The units of the units file that have no official in the data (docs/report.md, "Units without officials").

A commune's officer who gives her own officials with the city's units file means "my commune": without a word, the
report would say every post of the other units is vacant (hundreds of findings) and count the city's quotas on her
commune. When at most one unit in :data:`FEW` has officials, the report is of the units that have some: the findings
and metrics of the others are left out, and a first note says so, with what to do. When most units have officials,
a unit with none is a loss of data: its vacancies stay, and a first note names it. Either way the note is a
:class:`~cadre_rules.model._report_records.Notice` of kind ``units``, in every format.

The one place for every job that reads the engine's report of such data (session 17): ``evaluate`` and ``explain``
(:func:`~._asked.as_asked`, :mod:`~cadre_rules.jobs._explain_scope`), ``project`` (each step's report) and ``match``
(the posts to fill are the staffed units'), each note worded for its job (:data:`Job`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs

from .._i18n import translation
from ..errors import Argument
from ..model._argument_notes import ArgumentNote
from ..model._formats import integer
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import Finding
from ..model._report_records import Metric
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._table import column_of
from ._counted import restricted_to

__all__ = ["FEW", "SHOWN", "Job", "with_unstaffed_units"]

#: The job whose result the note is in (each says what is left out of it, and how to have the commune's own):
#: ``evaluate`` (a report; ``explain`` too, which explains one), ``project`` (a projection), ``match`` (the posts to
#: fill).
Job = Literal["evaluate", "project", "match"]

#: The officials' units are "few" when at most one unit in this many of the units file has officials.
FEW = 10
#: How many units a note names (then "…").
SHOWN = 10


def with_unstaffed_units(report: Report, officials: Sequence[Official], units: Sequence[Unit],
                         lang: str, job: Job = "evaluate") -> Report:
    """``report`` (the engine's, of ``officials`` and ``units``, not restricted by ``--scope``) with the note on the
    units that have no official, first; of the officials of few units (:data:`FEW`), without the findings, set-aside
    findings, metrics and undecided counts of the other units (and of districts with none of their units). A report
    whose units all have officials as it is. ``job``: whose result the note is in (a projection's steps, a match's
    posts to fill: :data:`Job`), which it words."""
    staffed = set(column_of(officials, "unit"))
    empty = [u for u in units if u.code not in staffed]
    if not empty or not staffed:
        return report
    if len(staffed) * FEW > len(units):
        return _first(report, Notice("units", "warning", _lost(empty, len(units), lang)))
    kept = frozenset(u.code for u in units if u.code in staffed)
    districts = {u.district for u in units if u.code in kept and u.district}
    out = {u.code for u in empty} | {u.district for u in empty if u.district and u.district not in districts}
    # the rows of the city and of a district with units left out that count posts or units (sums of unit rows,
    # averages per unit) count those units: left out too; those that count officials count the data's (said, as of
    # one commune's data). A district whose units all have officials keeps its rows.
    by_units = {(m.pack, m.id) for m in report.metrics if m.scope == "unit" or m.per == "unit"}
    partial = {report.city, *(u.district for u in empty if u.district)}

    def kept_metric(m: Metric) -> bool:
        return m.scope_id not in out and (m.scope == "unit" or m.scope_id not in partial
                                          or (m.pack, m.id) not in by_units)

    def kept_finding(f: Finding) -> bool:
        return f.scope_id not in out and (f.subject_kind != "scope" or f.scope_id not in partial
                                          or (f.pack, f.rule) not in by_units)

    names = report.names
    if names is not None:
        names = attrs.evolve(names, units={c: n for c, n in names.units.items() if c in kept})
    restricted = restricted_to(report, kept, lang, kept_finding, kept_metric, names=names)  # (as a scope's)
    shown = [u for u in units if u.code in kept]
    return _first(restricted, Notice("units", "warning", _left_out(shown, len(units), len(empty), lang, job)))


def _first(report: Report, notice: Notice) -> Report:
    return attrs.evolve(report, notes=(notice.message, *report.notes), notices=(notice, *report.notices))


def _named(units: Sequence[Unit]) -> str:
    """The first :data:`SHOWN` units by code and name, as the reports name them (``--redact`` gives their codes
    only: :func:`~cadre_rules.redact`)."""
    shown = ", ".join(f"{u.code} {u.name}" if u.name else u.code for u in units[:SHOWN])
    return shown + (", …" if len(units) > SHOWN else "")


def _left_out(staffed: Sequence[Unit], listed: int, empty: int, lang: str, job: Job) -> str:
    districts = {u.district for u in staffed}
    # (the scope to give, named as the caller names it: --scope on the command line, scope= in the service)
    scope = f"commune:{staffed[0].code}" if len(staffed) == 1 else \
        f"district:{next(iter(districts))}" if len(districts) == 1 and None not in districts else "commune:CODE"
    return ArgumentNote(_left_out_template(len(staffed), lang, job), n=integer(listed, lang),
                        m=integer(len(staffed), lang), units=_named(staffed), k=integer(empty, lang),
                        scope=Argument("scope", scope))


def _left_out_template(staffed: int, lang: str, job: Job) -> str:
    """The note of :func:`_left_out` as ``job`` words it (what of its result is the staffed units', and how to have
    the commune's own)."""
    t = translation(lang)
    if job == "match":
        return t.ngettext(
            "the units file lists {n} units, of which only {m} has officials in the data ({units}): the posts to "
            "fill are its; the {k} units without officials (all their posts would be vacant) are left out, and no "
            "candidate is proposed for their posts. For the posts of your commune (district), match with {scope} "
            "or a units file of your own; if the other units' officials are missing, add them to the data",
            "the units file lists {n} units, of which only {m} have officials in the data ({units}): the posts to "
            "fill are theirs; the {k} units without officials (all their posts would be vacant) are left out, and "
            "no candidate is proposed for their posts. For the posts of your commune (district), match with "
            "{scope} or a units file of your own; if the other units' officials are missing, add them to the data",
            staffed)
    if job == "project":
        return t.ngettext(
            "the units file lists {n} units, of which only {m} has officials in the data ({units}): the projection "
            "is of it; the {k} units without officials (all their posts would be counted vacant) are left out of "
            "its targets at every step, and so are the city's rows that count posts or units. For a projection of "
            "your commune (district), project with {scope} or a units file of your own; if the other units' "
            "officials are missing, add them to the data",
            "the units file lists {n} units, of which only {m} have officials in the data ({units}): the "
            "projection is of them; the {k} units without officials (all their posts would be counted vacant) are "
            "left out of its targets at every step, and so are the city's rows that count posts or units. For a "
            "projection of your commune (district), project with {scope} or a units file of your own; if the other "
            "units' officials are missing, add them to the data",
            staffed)
    return t.ngettext(
        "the units file lists {n} units, of which only {m} has officials in the data ({units}): the report is of "
        "it; the {k} units without officials (all their posts would be counted vacant) are left out of its "
        "findings and metrics, and so are the city's rows that count posts or units. For a report of your "
        "commune (district), evaluate with {scope} or a units file of your own; if the other units' officials are "
        "missing, add them to the data",
        "the units file lists {n} units, of which only {m} have officials in the data ({units}): the report is of "
        "them; the {k} units without officials (all their posts would be counted vacant) are left out of its "
        "findings and metrics, and so are the city's rows that count posts or units. For a report of your "
        "commune (district), evaluate with {scope} or a units file of your own; if the other units' officials are "
        "missing, add them to the data",
        staffed)


def _lost(empty: Sequence[Unit], listed: int, lang: str) -> str:
    t = translation(lang)
    return t.ngettext(
        "{k} of the {n} units of the units file has no official in the data ({units}): its posts are counted "
        "vacant. If its officials' rows were lost, add them; if the unit no longer exists, remove it from the "
        "units file",
        "{k} of the {n} units of the units file have no official in the data ({units}): their posts are counted "
        "vacant. If their officials' rows were lost, add them; if the units no longer exist, remove them from the "
        "units file",
        len(empty)).format(k=integer(len(empty), lang), n=integer(listed, lang), units=_named(empty))
