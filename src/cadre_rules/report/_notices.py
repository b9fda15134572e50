"""The notices that count people or units: what rules could not decide (issue #16 §3: how many officials a rule
could not decide for, a column being empty; the subjects of a rule's data gap) and the units whose district is
not aggregated. Made by the engine for the whole input and again by
:func:`~cadre_rules.report._scope.scope_report` for the part of it a report is restricted to.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping

from .._i18n import translation
from ..io._headers import column_header
from ..model._dates import DISTRICTS_ABOLISHED
from ..model._formats import integer
from ..model._formats import short_date
from ..model._report_records import Notice
from ..model._report_records import Undecided

__all__ = ["dropped_districts_notice", "gap_note", "undecided_notice"]


def gap_note(pack: str, rule: str, subjects: Collection[str], lang: str) -> str:
    """The note of a rule's data gap: how many subjects, the first ten named by id or code."""
    ordered = sorted(subjects)
    shown = ", ".join(ordered[:10]) + (", …" if len(ordered) > 10 else "")
    text = translation(lang).ngettext("{pack} {rule}: data gap, not evaluated for {n} subject: {shown}",
                                      "{pack} {rule}: data gap, not evaluated for {n} subjects: {shown}",
                                      len(ordered))
    return text.format(pack=pack, rule=rule, n=len(ordered), shown=shown)


def undecided_notice(record: Undecided, lang: str, gap: str | None = None) -> Notice:
    """The notice of a record (``gap``: the note of a rule's data gap, :func:`gap_note`, which names its
    subjects)."""
    if gap is not None:
        message = gap
    else:
        message = translation(lang).ngettext(
            "{pack} {rule}: not decided for {n} official: column {column} has no value (unknown, not 'no')",
            "{pack} {rule}: not decided for {n} officials: column {column} has no value (unknown, not 'no')",
            record.count).format(pack=record.pack, rule=record.rule, n=integer(record.count, lang),
                                 column=column_header(record.column, lang))
    return Notice("undecided", "warning", message, record.family or None)


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
