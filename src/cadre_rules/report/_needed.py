"""How many more officials a share quota needs (issue #16 §5, the "cần thêm" column), stated both ways.

For a target share ``t`` (``value >= t``) met by ``n`` of ``d`` officials:

- **replacing**: officials who count take the places of officials who do not, ``d`` unchanged:
  ``⌈t·d⌉ − n``;
- **adding**: officials who count are added, ``d`` grows with them: the smallest ``k`` with
  ``(n + k) / (d + k) ≥ t``, that is ``⌈(t·d − n) / (1 − t)⌉`` (none reaches a target of 100%).

Exact (:class:`fractions.Fraction`), for shares of officials (``[[quota]]`` of ``>=``): a fill rate (a
staffing metric, ``staffing.*``) is read in the vacancies (:mod:`cadre_rules.report._vacancies`), a ``<=`` cap or an
average per unit has no "more needed".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction

import attrs

from .._i18n import translation
from ..model._formats import integer
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Metric

__all__ = ["STAFFING", "Needed", "finding_needed", "metric_needed", "needed", "needed_numbers", "needed_text",
           "said_once"]

#: The prefix of the staffing metrics (fill rates): their gap is the vacant posts, not "more officials who count".
STAFFING = "staffing."


@attrs.frozen
class Needed:
    """How many more officials who count a quota needs."""

    #: if they replace officials who do not count (the number of officials unchanged)
    replacing: int
    #: if they are added to the officials (``None``: no number of additions reaches the target)
    adding: int | None


def needed_numbers(more: Needed, lang: str) -> tuple[str, str]:
    """``replacing`` and ``adding`` as the reader of ``lang`` writes numbers (``1.234`` in Vietnamese, ``1,234``
    in English); ``—`` for ``adding`` when no number of additions reaches the target."""
    return integer(more.replacing, lang), "—" if more.adding is None else integer(more.adding, lang)


def needed_text(more: Needed, lang: str) -> str:
    """The two numbers in words of ``lang``: "more needed: 3,079 if replacing, 30,788 if added"."""
    replacing, adding = needed_numbers(more, lang)
    t = translation(lang)
    if more.adding is None:
        return t.gettext("more needed: {replacing} if replacing; no number added reaches the target").format(
            replacing=replacing)
    return t.gettext("more needed: {replacing} if replacing, {adding} if added").format(replacing=replacing,
                                                                                        adding=adding)


def said_once(message: str, more: Needed, lang: str) -> tuple[str, str | None]:
    """A quota finding's ``message`` and what is left to say of ``more`` after it (:func:`needed_text`, or
    ``None``), so that the number needed is said once: where the message says it as the packs write it ("cần
    thêm 54 người", "54 more needed"), that phrase says both numbers where they differ ("cần thêm 54 người nếu thay
    thế người không thuộc diện, 60 người nếu bổ sung"), is left as it is where they are the same, and nothing is
    left to say; any other message as it is, followed by :func:`needed_text`."""
    t = translation(lang)
    replacing, adding = needed_numbers(more, lang)
    phrase = t.pgettext("quota message", "{needed} more needed")
    said = next((m for p in dict.fromkeys((phrase.format(needed=more.replacing), phrase.format(needed=replacing)))
                 for m in re.finditer(rf"(?<![\w.,]){re.escape(p)}(?!\w)", message)), None)
    if said is None:
        return message, needed_text(more, lang)
    if more.adding == more.replacing:
        return message, None
    if more.adding is None:
        both = t.gettext("{replacing} more needed if replacing officials who do not count; no number added "
                         "reaches the target").format(replacing=replacing)
    else:
        both = t.gettext("{replacing} more needed if replacing officials who do not count, {adding} if "
                         "added").format(replacing=replacing, adding=adding)
    return message[:said.start()] + both + message[said.end():], None


def needed(numerator: int, denominator: int, target: Fraction) -> Needed:
    """:class:`Needed` for ``numerator`` of ``denominator`` against the share ``target`` (``>=``); zero when met."""
    replacing = max(0, math.ceil(target * denominator) - numerator)
    if target >= 1:
        adding = None if numerator < denominator or denominator == 0 else 0
    else:
        adding = max(0, math.ceil((target * denominator - numerator) / (1 - target)))
    return Needed(replacing, adding)


def metric_needed(metric: Metric) -> Needed | None:
    """:func:`needed` of a share quota's metric (``>=``, of officials, not a staffing metric, not empty), else
    ``None``."""
    if metric.op != ">=" or metric.per != "official" or metric.id.startswith(STAFFING) or metric.denominator == 0:
        return None
    return needed(metric.numerator, metric.denominator, metric.target)


def finding_needed(finding: Finding) -> Needed | None:
    """:func:`needed` of a quota finding (its facts ``numerator``, ``denominator``, ``target`` and ``needed``),
    else ``None``."""
    facts: Mapping[str, JSONValue] = finding.facts
    num, den, target = facts.get("numerator"), facts.get("denominator"), facts.get("target")
    if finding.subject_kind != "scope" or "needed" not in facts or not isinstance(num, int) \
            or not isinstance(den, int) or not isinstance(target, (int, float)) or den == 0:
        return None
    return needed(num, den, Fraction(target).limit_denominator(10**6))
