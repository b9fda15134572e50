"""The notices that count people or units: what rules could not decide (issue #16 §3: how many officials a rule
could not decide for, a column being empty; the subjects of a rule's data gap) and the units whose district is
not aggregated. Made by the engine for the whole input and again by
:func:`~cadre_rules.report._scope.scope_report` for the part of it a report is restricted to. And the notices of
how the data files were read (:func:`read_notices`), which a restricted report keeps as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Mapping

import attrs

from .._i18n import translation
from ..io._headers import column_header
from ..model._argument_notes import LEGACY_DISTRICTS
from ..model._argument_notes import ArgumentNote
from ..model._dates import DISTRICTS_ABOLISHED
from ..model._formats import integer
from ..model._formats import short_date
from ..model._model import Official
from ..model._report_records import ENGINE_PACK
from ..model._report_records import PAST_RETIREMENT
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._report_records import Undecided
from ..model._table import OfficialTable
from ._covered import covered_by_data
from ._known import known_findings
from ._rule_names import RuleNames

__all__ = ["UndecidedRow", "dropped_districts_notice", "read_notices", "undecided_notices", "undecided_rows",
           "with_partial_data_note"]


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


def undecided_notices(records: Iterable[Undecided], lang: str, names: RuleNames,
                      units: Mapping[str, str] | None = None) -> list[Notice]:
    """The notices of what the rules could not decide (``records``, sorted by pack, rule and column: those of
    officials, and of a rule's data gap with its subjects), each said once: rules that the same column leaves
    undecided for as many officials in each unit are one notice naming them all; rules of a data gap on the same
    subjects (a gap on two columns too) one notice. A rule is named by its name in ``lang`` (``names``; its id
    where it has none, its pack before it where two packs' rules are named alike), its pack and id kept in the
    notice's :attr:`~cadre_rules.model._report_records.Notice.rules` for the formats a machine reads. A gap's
    units are named by ``units`` (code → name; ``None`` or a code not in it: by code only, ``--redact``); an
    official stays an id: a note names no person."""
    records = list(records)
    groups: dict[tuple[object, ...], list[Undecided]] = {}
    for record in records:
        if record.subject == "official":
            key: tuple[object, ...] = ("official", record.column, tuple(sorted(record.by_unit.items())))
        elif record.subjects:
            key = ("unit", tuple(sorted(record.subjects)))
        else:
            continue
        group = groups.setdefault(key, [])
        if all((r.pack, r.rule) != (record.pack, record.rule) for r in group):
            group.append(record)
    shown = _rule_words(records, names)
    return [_undecided_notice(group, [shown[r.pack, r.rule] for r in group], lang, units)
            for group in groups.values()]


def _rule_words(records: Iterable[Undecided], names: RuleNames) -> dict[tuple[str, str], str]:
    """Each rule of ``records`` as a note names it: ``"its name"`` (its id, unquoted, where it has none), after its
    pack (``hanoi-de-an-34: "…"``) where two packs' rules would read alike."""
    said = {}
    for r in records:
        name = names(r.pack, r.rule)
        said[r.pack, r.rule] = r.rule if name is None else f'"{name}"'
    packs: dict[str, set[str]] = {}
    for (pack, _rule), words in said.items():
        packs.setdefault(words, set()).add(pack)
    return {(pack, rule): f"{pack}: {words}" if len(packs[words]) > 1 else words
            for (pack, rule), words in said.items()}


def _undecided_notice(group: list[Undecided], rules: list[str], lang: str,
                      units: Mapping[str, str] | None) -> Notice:
    """The notice of rules undecided alike (:func:`undecided_notices`), ``rules`` as the note names them."""
    t = translation(lang)
    first = group[0]
    several = len(rules) > 1
    listed = rules[0] if not several else t.gettext("{first} and {last}").format(
        first=", ".join(rules[:-1]), last=rules[-1])
    if first.subject == "official":
        if several:
            text = t.ngettext(
                "rules {rules} not decided for {n} official: column {column} has no value (unknown, not 'no'); fill "
                "it in to have the rules decided",
                "rules {rules} not decided for {n} officials: column {column} has no value (unknown, not 'no'); fill "
                "it in to have the rules decided", first.count)
        else:
            text = t.ngettext(
                "rule {rules} not decided for {n} official: column {column} has no value (unknown, not 'no'); fill "
                "it in to have the rule decided",
                "rule {rules} not decided for {n} officials: column {column} has no value (unknown, not 'no'); fill "
                "it in to have the rule decided", first.count)
        message = text.format(rules=listed, n=integer(first.count, lang), column=column_header(first.column, lang))
    else:
        ordered = sorted(first.subjects)
        named = {} if units is None else units
        # (a subject that is its own unit's code is a unit: named; an official stays an id)
        subjects = ", ".join(f"{s} {named[s]}" if first.subjects[s] == s and named.get(s) else s
                             for s in ordered[:10]) + (", …" if len(ordered) > 10 else "")
        if several:
            text = t.ngettext("rules {rules}: data gap, not evaluated for {n} subject: {shown}",
                              "rules {rules}: data gap, not evaluated for {n} subjects: {shown}", len(ordered))
        else:
            text = t.ngettext("rule {rules}: data gap, not evaluated for {n} subject: {shown}",
                              "rule {rules}: data gap, not evaluated for {n} subjects: {shown}", len(ordered))
        message = text.format(rules=listed, n=len(ordered), shown=subjects)
    families = {r.family for r in group}
    family = first.family if len(families) == 1 else None
    return Notice("undecided", "warning", message, family or None, rules=tuple((r.pack, r.rule) for r in group))


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
    #: how many officials of the unit the rule's pack evaluated: those in the report but the ones past retirement
    #: age it does not count as serving (``None``: a report without names, ``--redact``)
    officials: int | None




def undecided_rows(report: Report, lang: str) -> list[UndecidedRow]:
    """Where the officer fills a column for the rules to be decided: per rule of officials (in the report's order)
    and per unit (by code), the column in words of ``lang``, how many of the unit's officials the rule could not
    decide for, out of how many of them its pack evaluated (the officials past retirement age it does not count
    as serving left out, as its rules leave them: a column empty for everyone reads n of n; each once, their
    finding shown, set aside or hidden by a baseline alike: :func:`~._known.known_findings`)."""
    records = [record for record in report.undecided if record.subject == "official"]
    if not records:  # (nothing to count the officials of)
        return []
    if report.names is None:
        per_unit = None
        retired: dict[str, dict[str, frozenset[str]]] = {}
    else:
        per_unit = Counter(unit for _n, _p, unit in report.names.officials.values())
        retired = {}
        for f in known_findings(report):  # (set aside or hidden by a baseline: still past retirement age)
            if f.rule == PAST_RETIREMENT and f.pack == ENGINE_PACK and f.subject_kind == "official":
                counted = f.facts.get("counted_by")
                still = frozenset(str(ref).partition("@")[0] for ref in counted) if isinstance(counted, list) \
                    else frozenset()
                retired.setdefault(f.scope_id, {})[f.subject_id] = still

    def evaluated(record: Undecided, code: str) -> int | None:
        if per_unit is None:
            return None
        return per_unit[code] - sum(1 for still in retired.get(code, {}).values() if record.pack not in still)

    return [UndecidedRow(record, column_header(record.column, lang), code, n, evaluated(record, code))
            for record in records for code, n in sorted(record.by_unit.items())]


def dropped_districts_notice(by_unit: Mapping[str, int], lang: str) -> Notice:
    """The notice of a districted dataset evaluated on a date without districts (from
    :data:`~cadre_rules.model._dates.DISTRICTS_ABOLISHED`): ``by_unit``, the units that have a district (each
    counted 1)."""
    count = sum(by_unit.values())
    return Notice("districts", "info", ArgumentNote(translation(lang).ngettext(
        "the districts were abolished on {date}: the district of {n} unit is not aggregated (scopes: city and "
        "unit); {option} aggregates by former district",
        "the districts were abolished on {date}: the districts of {n} units are not aggregated (scopes: city "
        "and unit); {option} aggregates by former district", count),
        date=short_date(DISTRICTS_ABOLISHED, lang), n=count, option=LEGACY_DISTRICTS), by_unit=by_unit)


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
