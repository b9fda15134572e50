"""What every format a person reads shows of a commune's own shares of the quotas of its city or district
(:attr:`Report.unit_shares <cadre_rules.model._report_records.Report.unit_shares>`): a heading that says the targets
bind the city (the district), not the commune, a note that the shares are for information, and one row per quota.
Text, html, pdf and xlsx lay out the same words and cells."""

from __future__ import annotations

import attrs

from .._i18n import translation
from ..model._formats import OP_SIGNS
from ..model._names import subject_label
from ..model._report_records import Report
from ..model._report_records import Share
from ._common import integer
from ._common import metric_number
from ._labels import MetricNames

__all__ = ["SharesView", "shares_heading", "shares_view"]



@attrs.frozen
class SharesView:
    """The shares of a report's commune as a person reads them (:func:`shares_view`)."""

    #: "Tỷ lệ của Phường Tương Mai (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)"
    heading: str
    #: that the targets are the city's (district's), the shares for information, not findings
    note: str
    #: the column headings: metric, the commune's value, n/N, target, whose target
    header: tuple[str, ...]
    #: per share, its cells as text (in the header's order)
    rows: tuple[tuple[str, ...], ...]
    #: the shares, in the rows' order (for the formats that write numbers as numbers)
    shares: tuple[Share, ...]


def shares_heading(kinds: set[str], lang: str) -> str:
    """The heading of a commune's own shares (``{unit}`` to fill with its name), by whose targets they are of
    (``kinds``: ``city``, ``district``): also the heading of a projection's (``project --scope commune:…``)."""
    _ = translation(lang).gettext
    if kinds == {"city"}:
        # TRANSLATORS: {unit} a commune's name (Phường Tương Mai); the quotas' targets are the whole city's
        return _("{unit}'s own shares (for information: the targets are the whole city's)")
    if "city" in kinds:
        return _("{unit}'s own shares (for information: the targets are the whole city's and the district's)")
    return _("{unit}'s own shares (for information: the targets are the district's)")


def shares_view(report: Report, lang: str) -> SharesView | None:
    """The view of ``report``'s :attr:`~cadre_rules.model._report_records.Report.unit_shares`, in ``lang``; ``None``
    when it has none (every report but one of a single commune)."""
    shares = report.unit_shares
    if not shares:
        return None
    t = translation(lang)
    _ = t.gettext
    code = shares[0].unit
    unit = subject_label(report.names, "unit", code) or code
    heading = shares_heading({kind for s in shares for kind, _ in s.binds}, lang)
    note = _("The targets bind {whom} as a whole, not each commune: the commune's own shares are for information; "
             "they are not findings and do not change whether a target is met.")
    whom = sorted({ident for s in shares for _, ident in s.binds}, key=lambda i: i != report.city)
    name = MetricNames(report.packs, lang)
    qualify = len({s.pack for s in shares}) > 1
    rows = tuple((f"{s.pack}: {name(s.pack, s.id)}" if qualify else name(s.pack, s.id), metric_number(s, s.value, lang),
                  f"{integer(s.numerator, lang)}/{integer(s.denominator, lang)}",
                  f"{OP_SIGNS[s.op]} {metric_number(s, s.target, lang)}", ", ".join(ident for _, ident in s.binds))
                 for s in shares)
    header = (_("Metric"), _("Value"), _("n/N"), _("Target"), _("Target of"))
    whole = whom[0] if len(whom) == 1 else _("{first} and {last}").format(first=", ".join(whom[:-1]), last=whom[-1])
    return SharesView(heading.format(unit=unit), note.format(whom=whole), header, rows, shares)
