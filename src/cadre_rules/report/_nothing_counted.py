"""The metrics with nothing to count (session 19): a quota whose population is empty in every scope of the report
(``quota.excellent_share`` of ``vn-commune-2tier@2026.01.4`` before any rating of 2026 is in the data: 126 units of
0/0) has no result to show. The formats for people (text, html, xlsx, pdf) leave its rows out of their tables
(:func:`listed_metrics`); one note says why (:func:`nothing_counted_notices`), as the notes of the quotas that could
not be computed (:mod:`._uncomputed`) and of the rules that could not be decided (:mod:`._notices`) do. The JSON
keeps every metric as it is: the contract.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence

import attrs

from .._i18n import translation
from ..io._headers import column_header
from ..model._formats import integer
from ..model._report_records import Notice
from ..model._report_records import Report
from ..packs._expr import Expr
from ..packs._expr import fields_of
from ..packs._packs import Pack
from ._rule_names import named_metric

__all__ = ["listed_metrics", "nothing_counted", "nothing_counted_notices"]

#: The derived fields of an official that read the ratings without being a catalogue field (function calls).
_RATING_CALLS = ("rating(", "consecutive(")


def nothing_counted(report: Report) -> dict[tuple[str, str], int]:
    """The metrics of ``report`` with nothing to count: (pack, metric id) → how many rows it has, each 0/0 (a
    denominator of 0 in every scope), in report order."""
    rows: dict[tuple[str, str], int] = {}
    counted: set[tuple[str, str]] = set()
    for m in report.metrics:
        rows[m.pack, m.id] = rows.get((m.pack, m.id), 0) + 1
        if m.denominator:
            counted.add((m.pack, m.id))
    return {key: n for key, n in rows.items() if key not in counted}


def listed_metrics(report: Report) -> Report:
    """``report`` as the formats for people list its metrics: without those with nothing to count
    (:func:`nothing_counted`), which a note names; ``report`` itself when there are none."""
    empty = nothing_counted(report)
    if not empty:
        return report
    return attrs.evolve(report, metrics=tuple(m for m in report.metrics if (m.pack, m.id) not in empty))


def nothing_counted_notices(report: Report, packs: Sequence[Pack], lang: str,
                            said: Collection[tuple[str, str]] = ()) -> list[Notice]:
    """A notice (kind ``undecided``, ``info``) for each metric of ``report`` with nothing to count
    (:func:`nothing_counted`) that no notice says already (``said``: the (pack, id) of the notes of the quotas that
    could not be computed): that it has nothing to count yet, and why — a quota that counts ratings (of ``packs``):
    no official of the data has a rating of the years it counts; any other: nobody of the data is among those it
    counts — and that its 0/0 rows are not results; in report order."""
    t = translation(lang)
    quotas = {(p.id, q.id): q for p in packs for q in p.quotas}
    notices = []
    for (pack, ident), rows in nothing_counted(report).items():
        if (pack, ident) in said:
            continue
        quota = quotas.get((pack, ident))
        given = quota.name.get(lang) if quota is not None and quota.name is not None else named_metric(ident, lang)
        name = f'"{given}" ({pack}/{ident})' if given is not None else f"{pack}/{ident}"
        if quota is not None and _reads_ratings(quota.population.expr):
            text = t.ngettext(
                "quota {quota} has nothing to count yet: no official of the data has a rating of the years it counts "
                "(column {column}); its {n} row of 0/0 is not a result and is left out of the tables",
                "quota {quota} has nothing to count yet: no official of the data has a rating of the years it counts "
                "(column {column}); its {n} rows of 0/0 are not results and are left out of the tables", rows)
        elif quota is not None:
            text = t.ngettext(
                "quota {quota} has nothing to count: nobody of the data is among those it counts; its {n} row of "
                "0/0 is not a result and is left out of the tables",
                "quota {quota} has nothing to count: nobody of the data is among those it counts; its {n} rows of "
                "0/0 are not results and are left out of the tables", rows)
        else:
            text = t.ngettext(
                "metric {quota} has nothing to count: nobody of the data is among those it counts; its {n} row of "
                "0/0 is not a result and is left out of the tables",
                "metric {quota} has nothing to count: nobody of the data is among those it counts; its {n} rows of "
                "0/0 are not results and are left out of the tables", rows)
        message = text.format(quota=name, column=f'"{column_header("ratings", lang)}"', n=integer(rows, lang))
        notices.append(Notice("undecided", "info", message, quota.family if quota is not None else None,
                              rules=((pack, ident),)))
    return notices


def _reads_ratings(expr: Expr) -> bool:
    """Whether the population ``expr`` reads the ratings (``latest_rating_year >= 2026``, ``rating(2026)``)."""
    return any("ratings" in (f.reads or ()) or f.name.startswith(_RATING_CALLS) for f in fields_of(expr))
