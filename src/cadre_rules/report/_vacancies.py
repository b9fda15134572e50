"""Vacant posts counted by post, per commune, district (where there are districts) and city (issue #16 §5):
"how many Phó Chủ tịch UBND posts are empty across the city, and where".

Read from the report's staffing findings (each unit finding whose facts list ``vacant`` post codes): a post a
unit lacks is counted once, however many packs or rules report it, and whether its finding is shown, set aside by
a waiver or hidden by a baseline (:func:`~._known.known_findings`): the post is vacant all the same, as the fill
rates of the metrics count it. A finding a pack's override set aside is not counted: that pack reads the unit's
posts in its place.
"""

from __future__ import annotations

from collections import Counter
from collections import defaultdict

import attrs

from ..model._codes import POSITION
from ..model._report_records import Report
from ._known import known_findings

__all__ = ["Vacancies", "vacancies"]


@attrs.frozen
class Vacancies:
    """The vacant posts of a report: per unit, and counted per district and for the city."""

    #: the posts, in the order of the position codes (NĐ 33/2023 Điều 5), only those vacant somewhere
    posts: tuple[str, ...]
    #: unit code → its vacant posts (in :attr:`posts` order), units with a vacancy only, sorted by code
    by_unit: dict[str, tuple[str, ...]]
    #: district → post → count (empty without districts)
    by_district: dict[str, dict[str, int]]
    #: post → count, the whole report
    city: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.city.values())


def vacancies(report: Report) -> Vacancies:
    """The vacant posts of ``report``'s unit findings (shown, waived or hidden: not overridden), deduplicated per
    unit and post."""
    per_unit: dict[str, set[str]] = defaultdict(set)
    for f in known_findings(report, overridden=False):
        vacant = f.facts.get("vacant") if f.subject_kind == "unit" else None
        if isinstance(vacant, list):
            per_unit[f.subject_id].update(p for p in vacant if isinstance(p, str))
    order = {code: i for i, code in enumerate(POSITION.codes)}

    def ordered(posts: set[str]) -> tuple[str, ...]:
        return tuple(sorted(posts, key=lambda p: (order.get(p, len(order)), p)))

    by_unit = {code: ordered(posts) for code, posts in sorted(per_unit.items()) if posts}
    city: Counter[str] = Counter(p for posts in by_unit.values() for p in posts)
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    for code, posts in by_unit.items():
        district = report.unit_districts.get(code)
        if district is not None:
            by_district[district].update(posts)
    return Vacancies(ordered(set(city)), by_unit, {d: dict(c) for d, c in sorted(by_district.items())}, dict(city))
