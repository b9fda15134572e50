"""A plan of dated events for ``cadre-rules project --plan FILE``: read, validated, and applied.

A plan is a table (CSV, XLSX, JSON or JSONL, read like the officials: Vietnamese headers accepted) of
events, one a row: ``date``, ``event`` and the columns the event needs (docs/project.md):

* ``appointment`` (bổ nhiệm, tuyển dụng): a new person — ``official`` (their new id), ``full_name``,
  ``gender``, ``birth_date``, ``unit``, ``position``, ``education``, ``political_theory`` (optional:
  ``standing_committee``, ``in_planning``, ``term_ends``);
* ``move`` (luân chuyển, điều động, biệt phái, tái cử): ``official`` and a new ``unit``, ``position``,
  ``standing_committee`` and/or ``term_ends`` (a re-election: the same post, a new term); a secondment
  (biệt phái) sets ``secondment_since`` (its end unknown);
* ``departure`` (nghỉ hưu, thôi việc, cách chức, miễn nhiệm): ``official`` leaves;
* ``qualification`` (hoàn thành khoá học): ``official`` and a higher ``education`` and/or
  ``political_theory``.

An event takes effect on its date: a step on that date sees it. Every problem is located (file, row,
column, value) and reported at once, as for the officials' file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from typing import Any
from typing import Literal
from typing import cast

import attrs

from .._i18n import code_label
from ..errors import N_
from ..errors import Argument
from ..errors import Column
from ..errors import InputError
from ..errors import InvalidValue
from ..errors import Problem
from ..errors import Words
from ..errors import day
from ..io._headers import header_key
from ..io._tables import _nfc
from ..io._tables import _Problems
from ..io._tables import _read_table
from ..io._tables import _Schema
from ..io._tables import _Table
from ..model._arguments import a_path
from ..model._arguments import refuse
from ..model._checks import FieldCheck
from ..model._checks import a_choice
from ..model._checks import a_date
from ..model._checks import a_flag
from ..model._checks import a_mapping
from ..model._checks import a_text
from ..model._checks import check_record
from ..model._codes import EDUCATION
from ..model._codes import GENDER
from ..model._codes import POLITICAL_THEORY
from ..model._codes import POSITION
from ..model._codes import Vocabulary
from ..model._codes import fold
from ..model._codes import match_key
from ..model._dates import parse_date
from ..model._model import Official
from ..model._model import Unit
from ..model._model import default_category

__all__ = ["PLAN_COLUMNS", "EventKind", "PlanEvent", "apply_events", "check_plan", "load_plan"]

EventKind = Literal["appointment", "move", "departure", "qualification"]

#: The columns of a plan, in order.
PLAN_COLUMNS: tuple[str, ...] = ("date", "event", "official", "full_name", "gender", "birth_date", "unit",
                                 "position", "education", "political_theory", "standing_committee", "in_planning",
                                 "term_ends", "note")
_REQUIRED = frozenset({"date", "event", "official"})
_ALIASES: Mapping[str, str] = {
    "ngày": "date", "ngày hiệu lực": "date", "sự kiện": "event", "loại sự kiện": "event",
    "cán bộ": "official", "mã cán bộ": "official", "id": "official",
    "họ và tên": "full_name", "họ tên": "full_name", "giới tính": "gender", "ngày sinh": "birth_date",
    "đơn vị": "unit", "chức vụ": "position", "trình độ chuyên môn": "education",
    "lý luận chính trị": "political_theory", "ban thường vụ": "standing_committee", "quy hoạch": "in_planning",
    "hết nhiệm kỳ": "term_ends", "ngày hết nhiệm kỳ": "term_ends", "nhiệm kỳ đến": "term_ends",
    "ghi chú": "note",
}
_PLAN = _Schema("plan", PLAN_COLUMNS, _REQUIRED, {header_key(k): v for k, v in _ALIASES.items()},
                frozenset(map(match_key, ("kế hoạch", "plan", "sự kiện", "events"))))

#: Event words (folded) → (event, how: the kind of move or departure, kept for the report).
_EVENTS: Mapping[str, tuple[EventKind, str | None]] = {
    "appointment": ("appointment", None), "bổ nhiệm": ("appointment", None), "tuyển dụng": ("appointment", None),
    "move": ("move", None), "rotation": ("move", "rotation"),
    "reelection": ("move", "reelection"), "tái cử": ("move", "reelection"), "bầu lại": ("move", "reelection"),
    "luân chuyển": ("move", "rotation"),
    "transfer": ("move", "transfer"), "điều động": ("move", "transfer"),
    "secondment": ("move", "secondment"), "biệt phái": ("move", "secondment"),
    "departure": ("departure", None), "retirement": ("departure", "retirement"),
    "nghỉ hưu": ("departure", "retirement"),
    "resignation": ("departure", "resignation"), "thôi việc": ("departure", "resignation"),
    "dismissal": ("departure", "dismissal"), "cách chức": ("departure", "dismissal"),
    "miễn nhiệm": ("departure", "dismissal"),
    "qualification": ("qualification", None), "hoàn thành khoá học": ("qualification", None),
    "hoàn thành khóa học": ("qualification", None), "đào tạo": ("qualification", None),
}
_BOOLS = {"true": True, "1": True, "yes": True, "có": True, "false": False, "0": False, "no": False,
          "không": False}
_APPOINTMENT_NEEDS = ("full_name", "gender", "birth_date", "unit", "position", "education", "political_theory")


_Date = date


@attrs.frozen
class PlanEvent:
    """One dated event of a plan (``row``: where it is, e.g. ``plan.csv, row 3``)."""

    date: _Date
    event: EventKind
    official: str
    how: str | None = None
    full_name: str | None = None
    gender: str | None = None
    birth_date: _Date | None = None
    unit: str | None = None
    position: str | None = None
    education: str | None = None
    political_theory: str | None = None
    standing_committee: bool | None = None
    in_planning: bool | None = None
    #: The last day of the term the event begins (an appointment's or a move's: a re-election).
    term_ends: _Date | None = None
    row: str = ""
    #: The values as the plan file writes them (column → text), shown in the problems of :func:`check_plan`.
    texts: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values, every one at once (:func:`~cadre_rules.model._checks.check_record`): an event built
        directly holds what :func:`load_plan` makes of a file (codes, dates), not the file's words."""
        check_record(self, _EVENT_CHECKS, "official")


def _codes(vocabulary: Vocabulary) -> FieldCheck:
    return functools.partial(a_choice, choices=vocabulary.codes, optional=True)


_optional_text = functools.partial(a_text, optional=True)
_optional_flag = functools.partial(a_flag, optional=True)
_EVENT_CHECKS: Mapping[str, FieldCheck] = {
    "date": functools.partial(a_date, optional=False),
    "event": functools.partial(a_choice, choices=("appointment", "move", "departure", "qualification")),
    "official": a_text,
    "how": functools.partial(a_choice, choices=sorted({h for _, h in _EVENTS.values() if h}), optional=True),
    "full_name": _optional_text, "gender": _codes(GENDER), "birth_date": a_date, "unit": _optional_text,
    "position": _codes(POSITION), "education": _codes(EDUCATION), "political_theory": _codes(POLITICAL_THEORY),
    "standing_committee": _optional_flag, "in_planning": _optional_flag, "term_ends": a_date, "row": a_text,
    "texts": functools.partial(a_mapping, optional=False),
}


def _bool(text: str) -> bool:
    value = _BOOLS.get(fold(text))
    if value is None:
        raise InvalidValue(N_("expected one of {values}"), values=", ".join(_BOOLS))
    return value


def _event(text: str) -> tuple[EventKind, str | None]:
    found = _EVENTS.get(fold(text))
    if found is None:
        raise InvalidValue(N_("unknown event; expected appointment, move (rotation, transfer, secondment), "
                              "departure (retirement, resignation, dismissal) or qualification"))
    return found


_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": parse_date, "birth_date": parse_date, "term_ends": parse_date, "gender": GENDER.parse,
            "position": POSITION.parse,
            "education": EDUCATION.parse, "political_theory": POLITICAL_THEORY.parse,
            "standing_committee": _bool, "in_planning": _bool, "full_name": _nfc, "official": str.strip,
            "unit": str.strip, "event": _event}


def load_plan(path: str | os.PathLike[str]) -> tuple[PlanEvent, ...]:
    """The events of a plan file, in file order (each value parsed; their consistency with the data is
    :func:`check_plan`'s).

    :raises InputError: every unreadable value, located (file, row, column, value); a ``path`` that is no path.
    """
    refuse(a_path("path", path))
    problems = _Problems(os.fspath(path))
    table = _read_table(problems.file, _PLAN, problems)
    events = _events(table, problems)
    problems.check()
    return events


def _events(table: _Table, problems: _Problems) -> tuple[PlanEvent, ...]:
    events = []
    for i, position in enumerate(table.positions):
        values: dict[str, object] = {}
        bad = False
        for column, parse in _PARSERS.items():
            texts = table.columns.get(column)
            raw = texts[i].strip() if texts is not None else ""
            if not raw:
                if column in _REQUIRED:
                    row, where = table.where(i, column)
                    problems.add_of(N_("required value is missing"), row, where, raw, position=position,
                                    stream=column)
                    bad = True
                continue
            try:
                values[column] = parse(raw)
            except ValueError as exc:
                row, where = table.where(i, column)
                problems.add(exc if isinstance(exc, InvalidValue) else str(exc), row, where, raw, position=position,
                             stream=column)
                bad = True
        if bad:
            continue
        kind, how = cast("tuple[EventKind, str | None]", values.pop("event"))
        row_text = table.describe(i)
        missing = [c for c in _needs(kind) if c not in values]
        for column in missing:
            row, where = table.where(i, column)
            problems.add_of(N_("an appointment needs {needed}"), row, where, "", position=position, stream=column,
                            needed=Column(column))  # (only an appointment needs more than the required columns)
        if missing:
            continue
        read = {c: table.columns[c][i].strip() for c in _PARSERS if c in table.columns}
        events.append(PlanEvent(event=kind, how=how, row=f"{problems.file}, {row_text}", texts=read,
                                **values))  # type: ignore[arg-type]
    return tuple(events)


def _needs(kind: EventKind) -> tuple[str, ...]:
    if kind == "appointment":
        return _APPOINTMENT_NEEDS
    return ()


def _problem(event: PlanEvent, column: str, reason: str, value: object, **fields: object) -> Problem:
    """A problem of ``event`` in ``column``: ``reason`` (a message id filled with ``fields``; a date among them is
    written as the reader writes dates), the value as the plan file writes it."""
    file, _, where = event.row.rpartition(", ")
    row = int(where.split()[-1]) if where.startswith(("row ", "line ")) else None
    shown = event.texts.get(column, "" if value is None else str(value))
    return Problem.of(file or "<plan>", reason, row, column, shown,
                      **{k: day(v) if isinstance(v, date) else v for k, v in fields.items()})


def check_plan(events: Sequence[PlanEvent], officials: Iterable[Official], units: Iterable[Unit], as_of: date,
               to: date, retirement: Mapping[str, date] | None = None) -> tuple[PlanEvent, ...]:
    """The events sorted by date (file order within a date), checked against the data.

    Problems (all at once): a date before ``as_of`` or after ``to``; an unknown official (neither in the
    data nor appointed earlier by the plan), unit or an appointment's id already taken; an event of an
    official who has left (a departure, or past their retirement date); a move that changes nothing, a
    qualification that is not higher; two events of the same official on the same date.

    :raises InputError: the problems, located.
    """
    unit_codes = {u.code for u in units}
    people: dict[str, Official] = {o.id: o for o in officials}
    left: dict[str, date] = {}
    seen: set[tuple[str, date]] = set()
    problems: list[Problem] = []
    # (an event built directly, not read from a file, is located by its place in the plan: <plan>, row 2)
    events = [e if e.row else attrs.evolve(e, row=f"<plan>, row {i}") for i, e in enumerate(events, 1)]
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].date, pair[0]))
    for _, e in ordered:
        if e.date < as_of:
            problems.append(_problem(e, "date", N_("before the as-of date {as_of}"), e.date.isoformat(),
                                     as_of=as_of))
            continue
        if e.date > to:
            # TRANSLATORS: {option} the last step date as the caller gives it: --to, or to (the service, the API)
            problems.append(_problem(e, "date", N_("after {option} {to}: it would never apply"), e.date.isoformat(),
                                     to=to, option=Argument("to")))
            continue
        if e.term_ends is not None and e.term_ends < e.date:
            problems.append(_problem(e, "term_ends", N_("before the event's date {date}"), e.term_ends.isoformat(),
                                     date=e.date))
            continue
        if (e.official, e.date) in seen:
            problems.append(_problem(e, "official", N_("a second event of this official on {date}"), e.official,
                                     date=e.date))
            continue
        seen.add((e.official, e.date))
        if e.unit is not None and e.unit not in unit_codes:
            problems.append(_problem(e, "unit", N_("unknown unit code"), e.unit))
            continue
        if e.event == "appointment":
            if e.official in people:
                problems.append(_problem(e, "official", N_("this id is already an official's"), e.official))
                continue
            missing = [_problem(e, c, N_("an appointment needs {needed}"), None, needed=Column(c))
                       for c in _APPOINTMENT_NEEDS if getattr(e, c) is None]  # (an event built directly)
            if missing:
                problems.extend(missing)
                continue
            assert e.birth_date is not None  # (an appointment's columns are required)
            if e.birth_date >= e.date:
                problems.append(_problem(e, "birth_date", N_("born on or after the appointment"),
                                         e.birth_date.isoformat()))
                continue
            people[e.official] = _appointed(e)
            continue
        current = people.get(e.official)
        if current is None:
            problems.append(_problem(e, "official", N_("unknown official (not in the data nor appointed earlier by "
                                                       "the plan)"), e.official))
            continue
        gone = left.get(e.official)
        retired = (retirement or {}).get(e.official)
        if gone is not None:
            problems.append(_problem(e, "official", N_("this official left on {date}"), e.official, date=gone))
            continue
        if retired is not None and e.date > retired:
            problems.append(_problem(e, "official", N_("this official retires on {date}"), e.official, date=retired))
            continue
        if current.term_ends is not None and e.date > current.term_ends:
            problems.append(_problem(e, "official", N_("this official's term ended on {date}"), e.official,
                                     date=current.term_ends))
            continue
        if e.event == "departure":
            left[e.official] = e.date
        elif e.event == "move":
            if e.unit is None and e.position is None and e.standing_committee is None and e.term_ends is None:
                problems.append(_problem(e, "unit", N_("a move needs a new {unit}, {position}, {standing_committee} "
                                                       "or {term_ends}"), "", unit=Column("unit"),
                                         position=Column("position"), standing_committee=Column("standing_committee"),
                                         term_ends=Column("term_ends")))
                continue
            people[e.official] = _moved(current, e)
        else:
            problem = _qualification_problem(current, e)
            if problem is not None:
                problems.append(problem)
                continue
            people[e.official] = _qualified(current, e)
    if problems:
        raise InputError(problems)
    return tuple(e for _, e in ordered)


def _qualification_problem(current: Official, e: PlanEvent) -> Problem | None:
    if e.education is None and e.political_theory is None:
        return _problem(e, "education", N_("a qualification needs an {education} or {political_theory}"), "",
                        education=Column("education"), political_theory=Column("political_theory"))
    if e.education is not None and EDUCATION.rank(e.education) <= EDUCATION.rank(current.education):
        return _problem(e, "education", N_("not higher than the official's {current}"), e.education,
                        current=_words(EDUCATION, current.education))
    if e.political_theory is not None and \
            POLITICAL_THEORY.rank(e.political_theory) <= POLITICAL_THEORY.rank(current.political_theory):
        return _problem(e, "political_theory", N_("not higher than the official's {current}"), e.political_theory,
                        current=_words(POLITICAL_THEORY, current.political_theory))
    return None


def _words(vocabulary: Vocabulary, code: str) -> Words:
    return Words(code_label(vocabulary, code, "en"), code_label(vocabulary, code, "vi"))


def _appointed(e: PlanEvent) -> Official:
    # (an appointment's columns are required by load_plan)
    assert e.full_name is not None
    assert e.gender is not None
    assert e.birth_date is not None
    assert e.unit is not None
    assert e.position is not None
    assert e.education is not None
    assert e.political_theory is not None
    return Official(e.official, e.full_name, e.gender, e.birth_date, e.unit, e.position, e.education,
                    e.political_theory, standing_committee=bool(e.standing_committee),
                    appointed_on=e.date, in_planning=bool(e.in_planning), term_ends=e.term_ends)


def _moved(current: Official, e: PlanEvent) -> Official:
    changes: dict[str, Any] = {}
    if e.unit is not None:
        changes["unit"] = e.unit
    if e.position is not None:
        changes["position"] = e.position
        changes["category"] = default_category(e.position)
    if e.unit is not None or e.position is not None:
        changes["appointed_on"] = e.date
    if e.standing_committee is not None:
        changes["standing_committee"] = e.standing_committee
    if e.term_ends is not None or e.unit is not None or e.position is not None:  # a new term, or a post of its own
        changes["term_ends"] = e.term_ends
    if e.how == "secondment":
        changes["secondment_since"] = e.date
        changes["secondment_until"] = None
    return attrs.evolve(current, **changes)


def _qualified(current: Official, e: PlanEvent) -> Official:
    changes: dict[str, Any] = {}
    if e.education is not None:
        changes["education"] = e.education
    if e.political_theory is not None:
        changes["political_theory"] = e.political_theory
    return attrs.evolve(current, **changes)


def apply_events(officials: Sequence[Official], events: Sequence[PlanEvent], on: date) -> list[Official]:
    """The officials on ``on`` after the (checked, sorted) events dated on or before it: appointed ones
    added (at the end, in plan order), departed ones removed, moved and qualified ones changed."""
    if not events:
        return list(officials)
    people: dict[str, Official | None] = {o.id: o for o in officials}
    for e in events:
        if e.date > on:
            break
        current = people.get(e.official)
        if e.event == "appointment":
            people[e.official] = _appointed(e)
        elif current is None:
            continue
        elif e.event == "departure":
            people[e.official] = None
        elif e.event == "move":
            people[e.official] = _moved(current, e)
        else:
            people[e.official] = _qualified(current, e)
    return [o for o in people.values() if o is not None]
