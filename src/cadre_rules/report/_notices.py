"""The notices that count people or units: what rules could not decide (issue #16 §3: how many officials a rule
could not decide for, a column being empty; the subjects of a rule's data gap) and the units whose district is
not aggregated. Made by the engine for the whole input and again by
:func:`~cadre_rules.report._scope.scope_report` for the part of it a report is restricted to. And the notices of
how the data files were read (:func:`read_notices`), which a restricted report keeps as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Mapping

import attrs

from .._i18n import translation
from ..io._headers import column_header
from ..model._dates import DISTRICTS_ABOLISHED
from ..model._formats import integer
from ..model._formats import short_date
from ..model._model import Official
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._report_records import Undecided
from ..model._table import OfficialTable
from ._covered import covered_by_data

__all__ = ["UndecidedRow", "dropped_districts_notice", "gap_note", "read_notices", "undecided_notice",
           "undecided_rows", "with_partial_data_note"]


def gap_note(pack: str, rule: str, subjects: Collection[str], lang: str,
             units: Mapping[str, str] | None = None) -> str:
    """The note of a rule's data gap: how many subjects, the first ten by id or code, a unit named as the
    reports name it ("00322 Phường Tương Mai") by ``units`` (code → name; ``None``: by code only). An official
    stays an id: a note names no person."""
    ordered = sorted(subjects)
    named = {} if units is None else units
    shown = ", ".join(f"{s} {named[s]}" if named.get(s) else s for s in ordered[:10]) + (
        ", …" if len(ordered) > 10 else "")
    text = translation(lang).ngettext("{pack} {rule}: data gap, not evaluated for {n} subject: {shown}",
                                      "{pack} {rule}: data gap, not evaluated for {n} subjects: {shown}",
                                      len(ordered))
    return text.format(pack=pack, rule=rule, n=len(ordered), shown=shown)


def read_notices(officials: Iterable[Official], lang: str) -> list[Notice]:
    """The notices of how the files ``officials`` were read from were read (an :class:`OfficialTable`'s
    :attr:`~cadre_rules.OfficialTable.read_notes`: rows left out, hidden rows read, ids made…; none for records
    given otherwise), located as warned (file, sheet, row) and worded in ``lang``, in the order they were said,
    each once. They name rows and values, never a person."""
    if type(officials) is not OfficialTable or not officials.read_notes:
        return []
    gettext = translation(lang).gettext
    return [Notice("input", "info", text)
            for text in dict.fromkeys(note.text(gettext) for note in officials.read_notes)]


def undecided_notice(record: Undecided, lang: str, gap: Collection[str] | None = None,
                     units: Mapping[str, str] | None = None) -> Notice:
    """The notice of a record; of a rule's data gap, the subjects ``gap`` (:func:`gap_note`, its units named by
    ``units``; a report without names, ``--redact``, gives their codes only: :func:`~cadre_rules.redact`)."""
    if gap is not None:
        return Notice("undecided", "warning", gap_note(record.pack, record.rule, gap, lang, units),
                      record.family or None)
    message = translation(lang).ngettext(
        "{pack} {rule}: not decided for {n} official: column {column} has no value (unknown, not 'no'); fill it "
        "in to have the rule decided",
        "{pack} {rule}: not decided for {n} officials: column {column} has no value (unknown, not 'no'); fill it "
        "in to have the rule decided",
        record.count).format(pack=record.pack, rule=record.rule, n=integer(record.count, lang),
                             column=column_header(record.column, lang))
    return Notice("undecided", "warning", message, record.family or None)


@attrs.frozen(slots=True)
class UndecidedRow:
    """A unit's officials that a rule could not decide for (:func:`undecided_rows`)."""

    record: Undecided
    #: the empty column as the reader of the report's language knows it (the template's header in Vietnamese)
    column: str
    #: the unit's code
    unit: str
    #: how many of its officials the rule could not decide for
    count: int
    #: how many officials the unit has in the report (``None``: a report without names, ``--redact``)
    officials: int | None


def undecided_rows(report: Report, lang: str) -> list[UndecidedRow]:
    """Where the officer fills a column for the rules to be decided: per rule of officials (in the report's order)
    and per unit (by code), the column in words of ``lang``, how many of the unit's officials the rule could not
    decide for, out of how many."""
    per_unit = None if report.names is None else Counter(unit for _n, _p, unit in report.names.officials.values())
    return [UndecidedRow(record, column_header(record.column, lang), code, n,
                         None if per_unit is None else per_unit[code])
            for record in report.undecided if record.subject == "official"
            for code, n in sorted(record.by_unit.items())]


def dropped_districts_notice(by_unit: Mapping[str, int], lang: str) -> Notice:
    """The notice of a districted dataset evaluated on a date without districts (from
    :data:`~cadre_rules.model._dates.DISTRICTS_ABOLISHED`): ``by_unit``, the units that have a district (each
    counted 1)."""
    count = sum(by_unit.values())
    return Notice("districts", "info", translation(lang).ngettext(
        "the districts were abolished on {date}: the district of {n} unit is not aggregated (scopes: city and "
        "unit); --legacy-districts aggregates by former district",
        "the districts were abolished on {date}: the districts of {n} units are not aggregated (scopes: city "
        "and unit); --legacy-districts aggregates by former district", count).format(
            date=short_date(DISTRICTS_ABOLISHED, lang), n=count), by_unit=by_unit)


def with_partial_data_note(report: Report, lang: str) -> Report:
    """``report`` with, first among its notes, the note of data that cover one commune, or one district where the
    report aggregates by district (:func:`covered_by_data`), in a report not restricted to it (``--scope``): its
    city-level metrics and quota findings, labelled with the city, count the officials of that commune (that
    district) only, a commune named by its name (by its code once redacted: :func:`~cadre_rules.redact`). Any other
    report as it is."""
    covered = covered_by_data(report)
    if covered is None or not (any(m.scope == "city" for m in report.metrics) or any(
            f.subject_kind == "scope" and f.scope_id == report.city for f in report.findings)):
        return report
    kind, name = covered
    if kind == "unit" and report.names is not None:
        name = report.names.units[name]
    note = translation(lang).gettext(
        "the data cover {name} only: the city-level metrics and quotas of this report ({city}) count the officials "
        "in the data, not the whole city's; the city's targets need the whole city's data").format(
            name=name, city=report.city)
    return attrs.evolve(report, notes=(note, *report.notes))
