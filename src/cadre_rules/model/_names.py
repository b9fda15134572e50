"""The names a report for HR people shows beside the ids (issue #16 §1): an official's full name,
position label and unit name, a unit's name; and ``--redact``, the report without them.

The names are looked up by id once per report (:func:`names_of`, a dict per kind), then read per finding
by the renderers: a report of 100,000 officials is not noticeably slower. Logs, warnings and errors never
use this module: they name no one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from itertools import compress

import attrs

from ._arguments import NOT_A_REPORT
from ._arguments import an_instance
from ._arguments import refuse
from ._codes import CATEGORY
from ._codes import POSITION
from ._model import Official
from ._model import Unit
from ._report_records import Finding
from ._report_records import JSONValue
from ._report_records import Names
from ._report_records import Report
from ._table import column_of

__all__ = ["OTHER", "SEPARATOR", "TITLE_COLUMNS", "name_columns", "names_of", "other_post", "position_label",
           "post_label", "redact", "subject_fields", "subject_label", "subject_maker", "subject_parts", "subject_text"]

#: Between the parts of a subject's label: "Đặng Văn Sơn — Chủ tịch UBND — Xã Cao Viên".
SEPARATOR = " — "


#: The position code of a post outside the list (a ward's specialist, a clerk…).
OTHER = "other"
#: The columns of officials (kept in ``extra``, folded) that give a post's title as the office writes it.
TITLE_COLUMNS = ("title", "chức danh cụ thể", "chức vụ cụ thể")


def names_of(officials: Iterable[Official], units: Iterable[Unit], lang: str = "vi") -> Names:
    """The names of ``officials`` and ``units``, by id and by code, with position labels in ``lang``; a post
    outside the list (``other``) by :func:`other_post`."""
    officials = officials if isinstance(officials, Sequence) else tuple(officials)
    ids, names, positions, codes = (column_of(officials, name) for name in ("id", "full_name", "position", "unit"))
    by_id = dict(zip(ids, zip(names, positions, codes, strict=True), strict=True))
    if OTHER in positions:  # a post outside the list: named by its title (other_post)
        extras, categories = column_of(officials, "extra"), column_of(officials, "category")
        for i in compress(range(len(positions)), map(OTHER.__eq__, positions)):
            by_id[ids[i]] = (names[i], _other_post(extras[i], categories[i]), codes[i])
    return Names(by_id, {u.code: u.name for u in units}, lang)


def other_post(official: Official) -> str:
    """What a report calls the post of an official whose position is ``other``: its title as the input writes
    it (a ``title`` or ``Chức danh cụ thể`` column), else the official's category (``civil_servant``: "Công
    chức"; ``cadre``: "Cán bộ"), else ``other`` ("Khác")."""
    return _other_post(official.extra, official.category)


def _other_post(extra: Mapping[str, str], category: str | None) -> str:
    for key, value in extra.items():
        if value and key.casefold() in TITLE_COLUMNS:
            return value
    return category or OTHER


def redact(report: Report) -> Report:
    """``report`` without names: its subjects by id only, in every format (``--redact``), for sharing
    outside the office."""
    refuse(an_instance("report", report, Report, NOT_A_REPORT))
    unnamed = {n.message: n.unnamed for n in report.notices if n.unnamed is not None}  # (a data gap's units)
    if not unnamed:
        return attrs.evolve(report, names=None)
    return attrs.evolve(report, names=None, notes=tuple(unnamed.get(n, n) for n in report.notes),
                        notices=tuple(attrs.evolve(n, message=n.unnamed, unnamed=None) if n.unnamed is not None
                                      else n for n in report.notices))


@functools.cache
def _position_labels(lang: str) -> dict[str, str]:
    """The label of each position code, and of the categories that stand for a post outside the list."""
    if lang == "en":  # the code read as words: "committee_vice_chair" → "Committee vice chair"
        return {code: code.replace("_", " ").capitalize() for code in (*POSITION.codes, *CATEGORY.codes)}
    return {**{code: POSITION.label(code) for code in POSITION.codes},
            **{code: CATEGORY.label(code).capitalize() for code in CATEGORY.codes}}


def position_label(code: str, lang: str = "vi") -> str:
    """A position code as a reader of ``lang`` knows it (the Vietnamese label; English words)."""
    return _position_labels("en" if lang == "en" else "vi").get(code, code)


def post_label(official: Official, lang: str = "vi") -> str:
    """An official's post as a reader of ``lang`` knows it: :func:`position_label`, or for a post outside the
    list its title as written or the official's category (:func:`other_post`)."""
    return position_label(official.position if official.position != OTHER else other_post(official), lang)


def subject_parts(names: Names | None, kind: str, ident: str) -> tuple[str, str, str] | None:
    """``(name, position, unit name)`` of an official, ``(name, "", "")`` of a unit (or of a scope that is a
    unit); ``None`` when redacted or unknown (a district, the city, a subject the input did not have)."""
    if names is None:
        return None
    if kind == "official":
        found = names.officials.get(ident)
        if found is None:
            return None
        name, position, unit = found
        return name, position_label(position, names.lang), names.units.get(unit, unit)
    unit_name = names.units.get(ident)
    return None if unit_name is None else (unit_name, "", "")


def subject_fields(names: Names | None, kind: str, ident: str) -> dict[str, JSONValue]:
    """The ``subject`` of a finding's JSON record: ``kind`` and ``id``, then (not redacted) ``name``, and for
    an official ``position`` and ``unit_name``."""
    return subject_maker(names)(kind, ident)


def subject_maker(names: Names | None) -> Callable[[str, str], dict[str, JSONValue]]:
    """:func:`subject_fields` of ``names`` as a function of ``(kind, ident)``, its look-ups bound once (the JSON
    report makes a subject per finding): an official's name, position label and unit name as
    :func:`subject_parts` gives them."""
    if names is None:
        return lambda kind, ident: {"kind": kind, "id": ident}
    officials, units, labels = names.officials, names.units, _position_labels("en" if names.lang == "en" else "vi")

    def subject(kind: str, ident: str) -> dict[str, JSONValue]:
        if kind == "official":
            found = officials.get(ident)
            if found is None:
                return {"kind": kind, "id": ident}
            name, position, unit = found
            return {"kind": kind, "id": ident, "name": name, "position": labels.get(position, position),
                    "unit_name": units.get(unit, unit)}
        unit_name = units.get(ident)
        return {"kind": kind, "id": ident} if unit_name is None else {"kind": kind, "id": ident, "name": unit_name}

    return subject


def subject_label(names: Names | None, kind: str, ident: str) -> str:
    """The name part of a subject's label: "Đặng Văn Sơn — Chủ tịch UBND — Xã Cao Viên", a unit's name, or
    ``""`` (redacted or unknown)."""
    parts = subject_parts(names, kind, ident)
    return "" if parts is None else SEPARATOR.join(p for p in parts if p)


def subject_text(names: Names | None, finding: Finding) -> str:
    """The subject of ``finding`` as a reader sees it: its id, then its label if any
    ("TX01-CT Đặng Văn Sơn — Chủ tịch UBND — Xã Cao Viên")."""
    label = subject_label(names, finding.subject_kind, finding.subject_id)
    return f"{finding.subject_id} {label}" if label else finding.subject_id


def name_columns(names: Names | None, finding: Finding) -> tuple[str, str, str]:
    """The name, position and unit name cells of ``finding``'s row (empty when redacted or unknown)."""
    return subject_parts(names, finding.subject_kind, finding.subject_id) or ("", "", "")

