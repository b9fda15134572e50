"""The names a report for HR people shows beside the ids (issue #16 §1): an official's full name,
position label and unit name, a unit's name; and ``--redact``, the report without them.

The names are looked up by id once per report (:func:`names_of`, a dict per kind), then read per finding
by the renderers: a report of 100,000 officials is not noticeably slower. Logs, warnings and errors never
use this module: they name no one.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence

import attrs

from ._arguments import NOT_A_REPORT
from ._arguments import an_instance
from ._arguments import refuse
from ._codes import CATEGORY
from ._codes import POSITION
from ._codes import match_key
from ._model import Official
from ._model import Unit
from ._report_records import Finding
from ._report_records import JSONValue
from ._report_records import Names
from ._report_records import Report
from ._report_records import ReportScope
from ._table import column_of

__all__ = ["OTHER", "SEPARATOR", "TITLE_COLUMNS", "name_columns", "names_of", "other_post", "position_label",
           "post_label", "redact", "scope_by_code", "subject_fields", "subject_label", "subject_maker", "subject_parts",
           "subject_text", "unit_codes_only"]

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
    extras = column_of(officials, "extra")
    # a post outside the list, or a post's title as written (_post_of); the others are named by their code
    named = [i for i, (position, extra) in enumerate(zip(positions, extras, strict=True)) if extra or position == OTHER]
    if named:
        categories = column_of(officials, "category")
        for i in named:
            post = _post_of(positions[i], extras[i], categories[i], lang)
            if post != positions[i]:
                by_id[ids[i]] = (names[i], post, codes[i])
    return Names(by_id, {u.code: u.name for u in units}, lang)


def _post_of(position: str, extra: Mapping[str, str], category: str | None, lang: str) -> str:
    """An official's post as a report names it: a post outside the list by :func:`other_post`; a post of the
    list by its code (its label in ``lang``), or in Vietnamese by the title the office wrote for it in a
    ``Chức danh cụ thể`` column: that title when it names the post more closely ("Trưởng phòng Kinh tế" for
    Trưởng phòng), else after the label ("Phó Trưởng phòng (Phó Giám đốc Trung tâm PVHCC)"); a title that
    says the same or less ("Chủ tịch" for Chủ tịch UBND) by the label."""
    if position == OTHER:
        return _other_post(extra, category)
    title = _title_of(extra)
    if title is None or lang == "en":
        return position
    label = position_label(position, lang)
    key, label_key = match_key(title), match_key(label)
    if key == label_key or label_key.startswith(key + " "):  # the same, or less ("Chủ tịch" for Chủ tịch UBND)
        return position
    return title if key.startswith(label_key + " ") else f"{label} ({title})"


def other_post(official: Official) -> str:
    """What a report calls the post of an official whose position is ``other``: its title as the input writes
    it (a ``title`` or ``Chức danh cụ thể`` column), else the official's category (``civil_servant``: "Công
    chức"; ``cadre``: "Cán bộ"), else ``other`` ("Khác")."""
    return _other_post(official.extra, official.category)


def _other_post(extra: Mapping[str, str], category: str | None) -> str:
    return _title_of(extra) or category or OTHER


def _title_of(extra: Mapping[str, str]) -> str | None:
    """The post's title as the input writes it (a ``title`` or ``Chức danh cụ thể`` column), if any."""
    for key, value in extra.items():
        if value and key.casefold() in TITLE_COLUMNS:
            return value
    return None


def redact(report: Report) -> Report:
    """``report`` without names: its subjects by id only, in every format (``--redact``), for sharing
    outside the office. Its notes and notices name units by code only (:func:`unit_codes_only`), however the
    report was made (by the engine, or rebuilt from its JSON with its names); a report restricted to a commune
    (``--scope``) is titled by the commune's code."""
    refuse(an_instance("report", report, Report, NOT_A_REPORT))
    scope = scope_by_code(report.scope)
    if report.names is None:
        return attrs.evolve(report, scope=scope)
    codes_only = unit_codes_only(report.names.units, (*report.notes, *(n.message for n in report.notices)))
    return attrs.evolve(report, names=None, scope=scope, notes=tuple(map(codes_only, report.notes)),
                        notices=tuple(attrs.evolve(n, message=codes_only(n.message)) for n in report.notices))


def scope_by_code(scope: ReportScope | None) -> ReportScope | None:
    """``scope`` as a redacted document titles it: a commune by its code (its name would say which), a district as
    it is (a district's name is no one's)."""
    if scope is None or scope.kind != "unit":
        return scope
    return attrs.evolve(scope, name=scope.id)


#: A word of a text, where a unit's name may end.
_WORD = re.compile(r"\w+")


def unit_codes_only(units: Mapping[str, str], texts: Iterable[str]) -> Callable[[str], str]:
    """A function giving a text of ``texts`` with each unit of ``units`` (code → name) by its code only: where the
    text names it as the reports do ("00322 Phường Tương Mai", a data gap's note) or by its name alone ("Phường
    Tương Mai", the note of a one-commune file) when no other unit has that name. A name is replaced whole, not
    inside a longer word or a longer name ("Xã A" stays in "Xã An"). Only the units whose name's last word is in
    ``texts`` are looked for (a report of 5,000 units and a few notes: no pattern of 10,000 names)."""
    words = set(_WORD.findall("\n".join(texts)))
    candidates = [(code, name) for code, name in units.items() if words.intersection(_WORD.findall(name)[-1:])]
    if not candidates:
        return lambda text: text
    names = Counter(units.values())
    found = {f"{code} {name}": code for code, name in candidates}
    found.update((name, code) for code, name in candidates if names[name] == 1)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(found, key=len, reverse=True))) + r")(?!\w)")

    def codes_only(text: str) -> str:
        return pattern.sub(lambda m: found[m.group()], text)

    return codes_only


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
    return position_label(_post_of(official.position, official.extra, official.category, lang), lang)


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

