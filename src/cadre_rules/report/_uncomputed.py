"""The quotas that could not be computed (session 18): a quota whose population or numerator reads a column the
input does not have (``extra_text('ethnicity')`` without an ``ethnicity`` column) counts nobody, and its metric's
0/0 would read as if nothing were missing. One note per such quota with a metric (or a commune's own share) in the
report says so, as the rules that could not be decided are said (:mod:`._notices`: "could not be decided")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._i18n import translation
from ..model._model import Official
from ..model._report_records import Notice
from ..model._report_records import Report
from ..model._table import column_of
from ..packs._expr import fields_of
from ..packs._packs import Pack

__all__ = ["uncomputed_quota_notices"]

#: A call that reads an input column kept as an extra field: ``extra_text('ethnicity')``.
_EXTRA = re.compile(r"extra_(?:text|number|bool|date)\('((?:[^'\\]|\\.)*)'\)")


def uncomputed_quota_notices(report: Report, packs: Sequence[Pack], officials: Sequence[Official],
                             lang: str) -> list[Notice]:
    """A notice (kind ``undecided``) for each quota of ``packs`` with a metric in ``report``, or a commune's own
    share of it (a report of one commune: :attr:`~cadre_rules.Report.unit_shares`, the city's metric left out by
    ``--scope``), whose population or numerator reads a column that no official of the input has (an extra column
    of the officials file), naming the quota and the column; sorted by pack and quota."""
    with_metric = {(m.pack, m.id) for m in report.metrics} | {(s.pack, s.id) for s in report.unit_shares}
    if not with_metric:
        return []
    present = {key for extra in column_of(officials, "extra") for key in extra}  # (a column: no record made)
    _ = translation(lang).gettext
    notices = []
    for pack in sorted(packs, key=lambda p: p.id):
        for q in pack.quotas:
            if (pack.id, q.id) not in with_metric:
                continue
            read = [m.group(1) for f in (*fields_of(q.population.expr), *fields_of(q.numerator.expr))
                    if (m := _EXTRA.fullmatch(f.name))]
            missing = sorted(set(read) - present)
            if not missing:
                continue
            name = f'"{q.name.get(lang)}" ({pack.id}/{q.id})' if q.name is not None else f"{pack.id}/{q.id}"
            notices.append(Notice("undecided", "warning", _(
                "quota {quota} could not be computed: it reads the column {columns}, which the officials file "
                "does not have (its 0/0 is not a result); add the column to compute it").format(
                    quota=name, columns=", ".join(f'"{c}"' for c in missing)), q.family, rules=((pack.id, q.id),)))
    return notices
