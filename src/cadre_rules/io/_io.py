"""Reading and writing officials and units: CSV, XLSX, JSON and JSONL (DESIGN.md §3).

Every format is first turned into a table of raw text, column by column, keyed by contract
column name (headers are matched after stripping, NFC normalisation and case folding, with a
small table of Vietnamese aliases); then one parser per column turns the text into the model's
values, parsing each distinct string of a column once, so that 100k rows read in a few seconds.
Empty rows are skipped; empty optional cells stand for the record's default; unknown columns
are kept in ``extra`` (stripped, NFC, empty values left out).

Every rejected value becomes a located :class:`~cadre_rules.errors.Problem`; all problems of a
file (up to :data:`MAX_FILE_PROBLEMS`) are raised at once as one
:class:`~cadre_rules.errors.InputError`, and nothing is returned from a file with problems.

Locations: CSV and XLSX problems carry the spreadsheet row (header = row 1) and the contract
column name; JSON problems carry ``row=None`` and a JSON pointer (``/12/birth_date``, with the
key as spelled in the file) as the column; JSONL problems carry the line number as the row.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import operator
import os
import re
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from itertools import compress
from itertools import count
from itertools import repeat
from pathlib import Path
from typing import Any
from typing import NamedTuple
from typing import TypeVar
from typing import cast

import attrs

from .._collector import paused
from ..errors import N_
from ..errors import Column
from ..errors import InputError
from ..errors import InputNote
from ..errors import InvalidValue
from ..errors import Message
from ..errors import Problem
from ..errors import _fill
from ..errors import day
from ..errors import os_reason
from ..model._arguments import NOT_A_UNIT_MAP
from ..model._arguments import a_mapping
from ..model._arguments import refuse
from ..model._codes import bare
from ..model._codes import match_key
from ..model._model import Official
from ..model._model import Unit
from ..model._model import default_category
from ..model._model import make_records
from ..model._table import OfficialTable
from ..model._unit_names import SEVERAL_UNITS
from ..model._unit_names import spelt_out
from ..model._unit_names import unit_name_keys
from ..model._values import month_years
from ..model._values import parse_bool
from ..model._values import parse_category
from ..model._values import parse_date
from ..model._values import parse_dates
from ..model._values import parse_discipline
from ..model._values import parse_education
from ..model._values import parse_gender
from ..model._values import parse_general_education
from ..model._values import parse_identifier
from ..model._values import parse_identifiers
from ..model._values import parse_planning
from ..model._values import parse_political_theory
from ..model._values import parse_position
from ..model._values import parse_positions
from ..model._values import parse_rating
from ..model._values import parse_ratings
from ..model._values import parse_share
from ..model._values import parse_standing
from ..model._values import parse_text
from ..model._values import parse_texts
from ..model._values import parse_unit_class
from ..model._values import parse_unit_kind
from ..model._values import years_only
from ._csv import SAVE_AS
from ._group_rows import without_group_rows
from ._group_rows import without_vacant_posts
from ._headers import is_ignored
from ._headers import rating_year
from ._read_notes import keep_notes
from ._records import RECORDS
from ._records import records_table
from ._tables import _OFFICIALS
from ._tables import _UNITS
from ._tables import EXTENSIONS
from ._tables import MAX_FILE_PROBLEMS
from ._tables import NOT_READ
from ._tables import OFFICIAL_COLUMNS
from ._tables import OTHER_WORKBOOKS
from ._tables import UNIT_COLUMNS
from ._tables import _nfc
from ._tables import _Problems
from ._tables import _read_table
from ._tables import _Schema
from ._tables import _Table
from ._workbook import XLS_REFUSAL
from ._writers import official_to_row
from ._writers import unit_to_row
from ._writers import write_csv

__all__ = [
    "EXTENSIONS",
    "MAX_FILE_PROBLEMS",
    "OFFICIAL_COLUMNS",
    "UNIT_COLUMNS",
    "file_sha256",
    "find_data_files",
    "load_officials",
    "load_units",
    "official_to_row",
    "read_officials",
    "same_file",
    "unit_to_row",
    "write_csv",
]

class _Field(NamedTuple):
    column: str
    attribute: str
    parse: Callable[[str], Any]
    required: bool = False
    cached: bool = True  # False for columns whose values are mostly unique (ids, names)
    #: the values of many texts (stripped, none empty) at once, or ``None`` when one may be refused or changed
    #: (then each text is parsed by ``parse``): of all of the column's texts, or its distinct texts if ``cached``
    at_once: Callable[[list[str]], list[Any] | None] | None = None


_OFFICIAL_FIELDS = (
    _Field("id", "id", parse_identifier, required=True, cached=False, at_once=parse_identifiers),
    _Field("full_name", "full_name", parse_text, required=True, cached=False, at_once=parse_texts),
    _Field("gender", "gender", parse_gender, required=True),
    _Field("birth_date", "birth_date", parse_date, required=True, at_once=parse_dates),
    _Field("unit", "unit", parse_identifier, required=True),
    _Field("position", "position", parse_position, required=True),  # (primary, *concurrent)
    _Field("concurrent_positions", "concurrent_positions", parse_positions),
    _Field("category", "category", parse_category),
    _Field("standing_committee", "standing_committee", parse_standing),
    _Field("general_education", "general_education", parse_general_education),
    _Field("education", "education", parse_education, required=True),
    _Field("field_of_study", "field_of_study", parse_text),
    _Field("political_theory", "political_theory", parse_political_theory, required=True),
    _Field("appointed_on", "appointed_on", parse_date, at_once=parse_dates),
    _Field("in_planning", "in_planning", parse_planning),
    _Field("ratings", "ratings", parse_ratings),
    _Field("discipline", "discipline", parse_discipline),
    _Field("low_confidence_share", "low_confidence_share", parse_share),
    _Field("under_investigation", "under_investigation", parse_bool),
    _Field("secondment_since", "secondment_since", parse_date, at_once=parse_dates),
    _Field("is_local", "is_local", parse_bool),
    _Field("secondment_until", "secondment_until", parse_date, at_once=parse_dates),
    _Field("term_ends", "term_ends", parse_date, at_once=parse_dates),
)

_UNIT_FIELDS = (
    _Field("code", "code", parse_identifier, required=True, cached=False, at_once=parse_identifiers),
    _Field("name", "name", parse_text, required=True),
    _Field("kind", "kind", parse_unit_kind, required=True),
    _Field("class", "unit_class", parse_unit_class),  # optional: the units of 2025-07-01 are not classified
    _Field("district", "district", parse_identifier),
    _Field("has_council", "has_council", parse_bool),
)


class _Bad(NamedTuple):
    """A rejected value (in place of a parsed one); ``template`` and ``fields``: its reason as a message id."""

    reason: str
    template: str | None = None
    fields: tuple[tuple[str, object], ...] = ()


_MISSING = _Bad(N_("required value is missing"))
_REJECTED = _Bad(N_("rejected by the reader"))
_COMPUTED: Any = object()  # an empty optional cell whose default the record computes


def _defaults(cls: type) -> dict[str, Any]:
    """The value an empty optional cell stands for, per attribute: the record's default."""
    defaults: dict[str, Any] = {}
    for field in attrs.fields(cls):
        is_factory = getattr(field.default, "factory", None) is not None  # an attrs.Factory
        defaults[field.name] = _COMPUTED if is_factory else field.default
    return defaults


# The records' computed defaults (attrs.Factory(takes_self=True)), computed here the same way from
# the attribute they depend on, so that records are built with positional arguments (much faster).
_COMPUTED_DEFAULTS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {"category": ("position", default_category)}


def _parse_cell(raw: str, field: _Field, default: Any) -> Any:
    text = raw.strip()
    if not text:
        return _MISSING if field.required else default
    try:
        return field.parse(text)
    except InvalidValue as exc:
        return _Bad(str(exc), exc.template, exc.fields)
    except ValueError as exc:
        return _Bad(str(exc))


def _parse_distinct(texts: Iterable[str], field: _Field, default: Any) -> dict[str, Any]:
    """The value of each distinct text of a column (:func:`_parse_cell`): the texts that are not empty at once,
    when the field can (``_Field.at_once``), else one by one."""
    raws = list(texts)
    if field.at_once is not None:
        filled = [(raw, text) for raw, text in zip(raws, map(str.strip, raws), strict=True) if text]
        values = field.at_once([text for _, text in filled]) if filled else None
        if values is not None:
            parsed = dict(zip([raw for raw, _ in filled], values, strict=True))
            return {raw: parsed[raw] if raw in parsed else _parse_cell(raw, field, default) for raw in raws}
    return {raw: _parse_cell(raw, field, default) for raw in raws}


def _parse_column(table: _Table, field: _Field, default: Any, problems: _Problems) -> list[Any]:
    """The parsed value of ``field`` per row (:class:`_Bad` where rejected, reported).

    A column at a time: each distinct text is parsed once (dates at once: ``_Field.at_once``) and the values
    mapped back to the rows (C loops); a column of mostly distinct texts (ids, names) is stripped in one pass
    and its values known at once when its texts are as they are (one check in C), else parsed in one pass,
    cell by cell only when a cell is empty or refused (to locate it)."""
    texts = table.columns.get(field.column)
    if texts is None:  # an optional column that is not in the file
        return [default] * len(table.positions)
    values: list[Any] | None = None
    if not field.cached:
        stripped = list(map(str.strip, texts))
        if all(stripped):
            values = field.at_once(stripped) if field.at_once is not None else None
            if values is None:
                with contextlib.suppress(ValueError):  # (an InvalidValue too): parsed cell by cell below
                    values = list(map(field.parse, stripped))
    if values is None:
        parsed = _parse_distinct(table.distinct(field.column), field, default)
        values = list(map(parsed.__getitem__, texts))
        bad = {raw for raw, value in parsed.items() if type(value) is _Bad}
        rejected = [i for i, raw in enumerate(texts) if raw in bad] if bad else []
    else:
        rejected = []
    already = table.rejected.get(field.column)
    if already:  # cells the reader rejected and reported
        skip = set(already)
        rejected = [i for i in rejected if i not in skip]
        for i in already:
            values[i] = _REJECTED
    for i in rejected[: MAX_FILE_PROBLEMS + 1]:  # one more marks the rest as dropped
        row, column = table.where(i, field.column)
        bad = values[i]
        # (an empty cell shows no value: "(got '')" tells the officer nothing the reason does not)
        shown = None if bad is _MISSING else texts[i]
        problems.add(bad.reason, row, column, shown, position=table.positions[i], stream=field.column,
                     template=bad.template, fields=bad.fields)
    return values


def _check_unique(table: _Table, column: str, values: Sequence[Any], problems: _Problems) -> None:
    if len(set(values)) == len(values):
        return
    first: dict[Any, int] = {}
    for i, value in enumerate(values):
        if type(value) is _Bad:
            continue
        seen = first.setdefault(value, i)
        if seen != i:
            row, where = table.where(i, column)
            twice = _same_rows(table, seen, i)
            template = _TWICE if twice else N_("duplicate {column} (first seen in {first})")
            fields = (("what" if twice else "column", Column(column)), ("first", table.describe(seen)))
            problems.add(template.format_map(dict(fields)), row, where, table.columns[column][i],
                         position=table.positions[i], stream="duplicate", template=template, fields=fields)


#: A row that repeats another, cell for cell (but its number in an ``STT`` column).
_TWICE = N_("the same {what} as {first}, and every other cell the same: a row typed twice? delete one of them")


def _same_rows(table: _Table, first: int, second: int) -> bool:
    """Whether two rows hold the same texts in every column but an ``STT`` column (a row pasted twice)."""
    return all(texts[first].strip() == texts[second].strip() for name, texts in table.columns.items()
               if not is_ignored(name))


def _check_known(table: _Table, column: str, values: Sequence[Any], known: Mapping[str, object],
                 problems: _Problems) -> None:
    unknown = {value for value in set(values) if type(value) is not _Bad and value not in known}
    rejected = [i for i, value in enumerate(values) if value in unknown] if unknown else []
    shown = rejected[: MAX_FILE_PROBLEMS + 1]  # one more marks the rest as dropped
    close = _close_unit_names({values[i] for i in shown}, known) if column == "unit" and shown else {}
    zeros = _zeros_dropped({values[i] for i in shown}, known) if shown else {}
    for i in shown:
        row, where = table.where(i, column)
        padded = zeros.get(values[i])
        if padded is not None:  # "322" for "00322": a cell of numbers loses its leading zeros in Excel
            template = N_("unknown {column} code; did you mean {suggestion}? (a number cell drops a code's "
                          "leading zeros: format the columns of codes as Text and type the codes again)")
            fields = (("column", Column(column)), ("suggestion", repr(padded)))
            problems.add(template.format_map(dict(fields)), row, where, table.columns[column][i],
                         position=table.positions[i], stream="unknown", template=template, fields=fields)
            continue
        name = close.get(values[i])
        if name is not None:  # a unit's name mistyped ("Phường Tương Mại"): the name it is nearest
            template = N_("unknown {column} code; did you mean {suggestion}?")
            fields = (("column", Column(column)), ("suggestion", repr(name)))
            problems.add(template.format_map(dict(fields)), row, where, table.columns[column][i],
                         position=table.positions[i], stream="unknown", template=template, fields=fields)
            continue
        problems.add(f"unknown {column} code", row, where, table.columns[column][i], position=table.positions[i],
                     stream="unknown", template=N_("unknown {column} code"), fields=(("column", Column(column)),))


def _zeros_dropped(unknown: Iterable[object], known: Mapping[str, object]) -> dict[object, str]:
    """For each unknown code of digits, the one known code that differs from it only by leading zeros ("322"
    for "00322", or the units' "322" for an official's "00322"): a number cell in Excel drops them."""
    unpadded: dict[str, list[str]] = {}
    for code in known:
        if code.isdigit():
            unpadded.setdefault(code.lstrip("0"), []).append(code)
    return {value: unpadded[value.lstrip("0")][0] for value in unknown
            if isinstance(value, str) and value.isdigit() and len(unpadded.get(value.lstrip("0"), ())) == 1}


def _close_unit_names(unknown: Iterable[object], known: Mapping[str, object]) -> dict[object, str]:
    """For each unknown unit (a name mistyped, or typed without its marks), the name of the unit it is nearest,
    compared without diacritics (:func:`bare`): a suggestion only, never read as that unit."""
    names = {bare(key): unit.name for unit in known.values() if isinstance(unit, Unit)
             for key in unit_name_keys(unit.name)}
    found: dict[object, str] = {}
    for value in unknown:
        if isinstance(value, str):
            close = difflib.get_close_matches(bare(match_key(value)), names, n=1, cutoff=0.85)
            if close:
                found[value] = names[close[0]]
    return found


def _extras(table: _Table, schema: _Schema) -> list[dict[str, str]]:
    """Per row, the non-empty values of the columns that are not in the contract (NFC, stripped), except an
    ``STT`` column and the one-year rating columns (read into ``ratings``). Rows with the same values share one
    mapping (records do not change them: 100,000 officials hold a few distinct ones)."""
    names = [name for name in table.columns if name not in schema.columns and not is_ignored(name)
             and (schema is not _OFFICIALS or rating_year(name) is None)]
    if not names:
        return [{}] * len(table.positions)
    columns = []
    for name in names:
        clean = {raw: _nfc(raw.strip()) for raw in table.distinct(name)}
        columns.append(map(clean.__getitem__, table.columns[name]))
    rows = list(zip(*columns, strict=True))
    shared = {row: {name: value for name, value in zip(names, row, strict=True) if value} for row in set(rows)}
    return list(map(shared.__getitem__, rows))


def _filled(values: Sequence[Any]) -> Iterable[int]:
    """The rows whose value is not ``None`` (an empty optional cell), by C loops: most optional cells are empty."""
    return compress(count(), map(operator.is_not, values, repeat(None)))


#: Dates that cannot come before another of the same official: (the date, the one it cannot precede).
_ORDER = (("appointed_on", "birth_date"), ("secondment_since", "birth_date"),
          ("secondment_until", "secondment_since"), ("term_ends", "appointed_on"))


def _check_order(table: _Table, values: Mapping[str, Sequence[Any]], problems: _Problems) -> None:
    """A post or a secondment that began before the official was born, a secondment or a term that ends before it
    began: located at the later column's date."""
    for column, start in _ORDER:
        dates, starts = values[column], values[start]
        for i in _filled(dates):
            began, when = starts[i], dates[i]
            if type(began) is date and type(when) is date and when < began:
                row, where = table.where(i, column)
                fields = (("column", Column(column)), ("start", Column(start)), ("began", day(began)))
                problems.add(_fill(_BEFORE_START, dict(fields)), row, where, table.columns[column][i],
                             position=table.positions[i], stream="order", template=_BEFORE_START, fields=fields)


#: The date a later date cannot precede is written as the reader writes dates (``31/12/2020`` in Vietnamese):
#: the offending value is shown as written.
_BEFORE_START = N_("{column} is before {start} ({began})")


def _split_positions(values: dict[str, list[Any]]) -> None:
    """A ``position`` cell naming several posts (``Bí thư Đảng ủy, Chủ tịch HĐND``): the first is the position,
    the others join the concurrent positions."""
    positions, concurrent = values["position"], values["concurrent_positions"]
    firsts = {posts: posts[0] for posts in set(positions) if type(posts) is tuple}  # (each distinct cell once)
    several = {posts for posts in firsts if len(posts) > 1}
    for i in compress(count(), map(several.__contains__, positions)) if several else ():
        posts = positions[i]
        if type(concurrent[i]) is tuple:
            concurrent[i] = tuple(p for p in dict.fromkeys((*posts[1:], *concurrent[i])) if p != posts[0])
    positions[:] = map(firsts.get, positions, positions)  # (a rejected cell stays as it is)


def _year_ratings(table: _Table, values: dict[str, list[Any]], problems: _Problems) -> None:
    """One rating column per year (``Xếp loại năm 2023``, ``Đánh giá 2024``) read into ``ratings`` (with the
    ``ratings`` column, if there is one: a year rated in both is a problem)."""
    years = {name: year for name in table.columns if (year := rating_year(name)) is not None}
    if not years:
        return
    ratings = values["ratings"]
    for name, year in sorted(years.items(), key=lambda item: item[1]):
        column = _parse_column(table, _Field(name, "ratings", parse_rating), None, problems)
        for i, rating in enumerate(column):
            if rating is None or type(rating) is _Bad or type(ratings[i]) is _Bad:
                continue
            if any(y == year for y, _ in ratings[i]):
                row, where = table.where(i, name)
                problems.add_of(N_("year {year} is rated twice (also in the ratings column)"), row, where,
                                table.columns[name][i], position=table.positions[i], stream="ratings", year=year)
                continue
            ratings[i] = tuple(sorted((*ratings[i], (year, rating))))


def _month_years(table: _Table, problems: _Problems) -> None:
    """A note per date column with dates of a month and a year only (``03/1982``): read as the first; and one
    with dates of a year only (``1962``): read as 1 January, so that an age may be overstated and a retirement
    date early by up to a year."""
    for column in ("birth_date", "appointed_on", "secondment_since", "secondment_until", "term_ends"):
        texts = table.columns.get(column)
        if not texts:
            continue
        distinct = list(table.distinct(column))  # (each distinct text once)
        months = set(month_years(distinct))
        found = [i for i, text in enumerate(texts) if text in months] if months else []
        if found:
            problems.note(N_("{column}: {count} date(s) given as a month and a year only (first: {first}, {at}), "
                             "read as the first day of the month"), column=Column(column), count=len(found),
                          first=repr(texts[found[0]].strip()), at=table.describe(found[0]))
        years = set(years_only(distinct))
        found = [i for i, text in enumerate(texts) if text in years] if years else []
        if found:
            problems.note(N_("{column}: {count} date(s) given as a year only (first: {first}, {at}), read as 1 "
                             "January: an age may be overstated and a retirement date early by up to a year; write "
                             "the whole date where it is known"), column=Column(column), count=len(found),
                          first=repr(texts[found[0]].strip()), at=table.describe(found[0]))


_ISO_DATE = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*", re.ASCII)
_DMY_DATE = re.compile(r"\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{4}\s*", re.ASCII)
#: How many distinct dates typed as text, all of a day over 12, it takes to doubt a column's Excel dates (of
#: dates typed on a day/month/year computer, two in five have a day over 12: three such alone is a sign).
_SWAP_EVIDENCE = 3


def _day_month_swaps(table: _Table, problems: _Problems) -> None:
    """A note per date column that holds Excel dates and texts of a day over 12 only (``15/03/1985``): what a
    workbook typed on a computer set to month/day/year holds, where ``05/03/1985`` became an Excel date of
    3 May and ``15/03/1985`` stayed text. The Excel dates whose day is 12 or less may have day and month swapped:
    said, never changed (nothing in the file tells which). At least :data:`_SWAP_EVIDENCE` texts."""
    for column in ("birth_date", "appointed_on", "secondment_since", "secondment_until", "term_ends"):
        texts = table.columns.get(column)
        if not texts:
            continue
        distinct = list(table.distinct(column))
        days = [int(match[1]) for match in map(_DMY_DATE.fullmatch, distinct) if match is not None]
        if len(days) < _SWAP_EVIDENCE or min(days) <= 12 or not any(map(_ISO_DATE.fullmatch, distinct)):
            continue
        doubtful = {text for text in distinct if _ISO_DATE.fullmatch(text) and int(text.strip()[8:10]) <= 12}
        found = [i for i, text in enumerate(texts) if text in doubtful]
        text_at = next(i for i, text in enumerate(texts) if _DMY_DATE.fullmatch(text))
        if found:
            problems.note(N_("{column}: the dates typed as text all have a day over 12 (first: {text}, {text_at}), "
                             "the others are Excel dates: as on a computer set to month/day/year, which keeps "
                             "15/03/1985 as text but makes 05/03/1985 the 3rd of May; check the {count} Excel "
                             "date(s) whose day is 12 or less (first: {at})"), column=Column(column),
                          text=repr(texts[text_at].strip()), text_at=table.describe(text_at), count=len(found),
                          at=table.describe(found[0]))


def _made_ids(table: _Table, values: Mapping[str, Sequence[Any]], problems: _Problems) -> list[str]:
    """Ids for a sheet without an id column: ``SHEET:ROW`` (the sheet's name, or the file's stem, and the row),
    when no two officials of a unit have the same name (else they could not be told apart: located problems)."""
    source = table.source or "row"
    ids = [f"{source}:{position}" for position in table.positions]
    names = table.columns.get("full_name", ())
    units = table.columns.get("unit", ())
    first: dict[tuple[str, str], int] = {}
    for i, (name, unit) in enumerate(zip(names, units, strict=True)):
        if not name.strip():
            continue
        seen = first.setdefault((match_key(unit), match_key(name)), i)
        if seen != i and _same_rows(table, seen, i):
            row, where = table.where(i, "full_name")
            problems.add_of(_TWICE, row, where, None, position=table.positions[i], stream="duplicate",
                            what=Column("full_name"), first=table.describe(seen))
        elif seen != i:
            row, where = table.where(i, "full_name")
            problems.add_of(N_("no id column, and {first} has the same name in the same unit: add a column "
                               "'Mã cán bộ' (id) to tell them apart"), row, where, None,
                            position=table.positions[i], stream="duplicate", first=table.describe(seen))
    if ids:
        problems.note(N_("no id column (Mã cán bộ): ids made from the sheet and row, e.g. {example}; they change "
                         "when rows move: add a column 'Mã cán bộ' to keep them"), example=repr(ids[0]))
    return ids


def _units_by_name(table: _Table, column: list[Any], units: Mapping[str, Unit], problems: _Problems) -> None:
    """Officials' units given by name (``Xã Cao Viên``, ``Cao Viên``; any Unicode form or tone placement)
    replaced by their code; a name several units bear is a located problem."""
    unknown = {value for value in set(column) if type(value) is str and value not in units}
    if not unknown:
        return
    index: dict[str, set[str]] = {}
    for code, unit in units.items():
        if isinstance(unit, Unit):
            for key in unit_name_keys(unit.name):
                index.setdefault(key, set()).add(code)
    found: dict[str, set[str]] = {}  # name -> the codes of the units that bear it
    for name in unknown:
        spelt = spelt_out(name)
        key = match_key(spelt)
        codes = index.get(key) or set().union(*(index.get(k, set()) for k in unit_name_keys(spelt) - {key}))
        if codes:
            found[name] = codes
    for i, cell in enumerate(column):
        chosen = found.get(cell) if type(cell) is str else None
        if not chosen:
            continue
        if len(chosen) == 1:
            column[i] = next(iter(chosen))
            continue
        row, where = table.where(i, "unit")
        names = ", ".join(sorted(f"{units[c].name} ({c})" for c in chosen))
        problems.add_of(SEVERAL_UNITS, row, where,
                        table.columns["unit"][i], position=table.positions[i], stream="unknown", names=names)
        column[i] = _REJECTED


#: The posts only a unit with a council (HĐND) has.
COUNCIL_POSTS = frozenset({"council_chair", "council_vice_chair"})


def _check_council_posts(table: _Table, values: Mapping[str, Sequence[Any]], units: Mapping[str, Unit],
                         problems: _Problems) -> None:
    """A council post (also a concurrent one) in a unit whose ``has_council`` is false: located at the post."""
    no_council = {code for code, unit in units.items() if isinstance(unit, Unit) and not unit.has_council}
    if not no_council:
        return
    positions, concurrent = values["position"], values["concurrent_positions"]
    council = map(operator.or_, map(COUNCIL_POSTS.__contains__, positions),
                  map(operator.not_, map(COUNCIL_POSTS.isdisjoint, concurrent)))  # (a _Bad is no post)
    for i in compress(count(), map(operator.and_, council, map(no_council.__contains__, values["unit"]))):
        code = values["unit"][i]
        for column, posts in (("position", (values["position"][i],)),
                              ("concurrent_positions", values["concurrent_positions"][i])):
            if type(posts) is tuple and COUNCIL_POSTS.intersection(posts):
                row, where = table.where(i, column)
                problems.add_of(N_("a council post in unit {code}, which has no council (has_council is false)"),
                                row, where, table.columns[column][i], position=table.positions[i],
                                stream="council", code=repr(code))


_R = TypeVar("_R", bound=attrs.AttrsInstance)


def _computed(column: Sequence[Any], sources: Sequence[Any], compute: Callable[[Any], Any]) -> list[Any]:
    """The column with ``compute(source)`` in place of each :data:`_COMPUTED` value (an empty optional cell):
    computed once per distinct source, the rows by C loops."""
    made = {source: compute(source) for source in dict.fromkeys(sources)}
    result = list(map(made.__getitem__, sources))
    for i in compress(count(), map(operator.is_not, column, repeat(_COMPUTED))):
        result[i] = column[i]
    return result


def _records(table: _Table, schema: _Schema, fields: Sequence[_Field], make: type[_R], problems: _Problems,
             *, key: str, known: Mapping[str, object] | None = None) -> Sequence[_R]:
    """The records of the table; ``key`` must be unique (and in ``known``, if given, for ``unit``): officials as
    an :class:`OfficialTable` (the columns as they are, each record made when asked for), units as a tuple."""
    defaults = _defaults(make)
    values = {field.attribute: _parse_column(table, field, defaults[field.attribute], problems) for field in fields
              if field.column in table.columns or field.column not in schema.generated}
    key_attribute = next(field.attribute for field in fields if field.column == key)
    if make is Official:
        _split_positions(values)
        _year_ratings(table, values, problems)
        _month_years(table, problems)
        if problems.file.lower().endswith(".xlsx"):  # (a CSV's dates are all text: no Excel date to doubt)
            _day_month_swaps(table, problems)
        if "id" not in table.columns:
            values["id"] = _made_ids(table, values, problems)
    _check_unique(table, key, values[key_attribute], problems)
    if known is not None:
        _units_by_name(table, values["unit"], cast("Mapping[str, Unit]", known), problems)
        _check_known(table, "unit", values["unit"], known, problems)
    if make is Official:
        _check_order(table, values, problems)
        if known is not None:
            _check_council_posts(table, values, cast("Mapping[str, Unit]", known), problems)
    problems.check()
    count = len(table.positions)
    extras = _extras(table, schema)
    table.let_go()  # (the texts are not needed any more: at 1,000,000 officials the read peaks 50 MB lower)
    columns: list[Sequence[Any]] = []
    for field in attrs.fields(make):
        name = field.name
        if field.kw_only:
            raise TypeError(f"{make.__name__}.{name} is keyword-only")
        if name == "extra":
            column: Sequence[Any] = extras
        elif name in values:
            column = values[name]
        elif defaults[name] is not _COMPUTED:
            column = [defaults[name]] * count  # an attribute the input contract does not have
        else:
            raise TypeError(f"{make.__name__}.{name}: no input column and a computed default")
        if defaults[name] is _COMPUTED and name != "extra":
            source, compute = _COMPUTED_DEFAULTS[name]
            column = _computed(column, values[source], compute)
        columns.append(column)
    # the values are parsed and checked: the records are made without their converters (make_records)
    if make is Official:
        officials = OfficialTable.parsed(dict(zip((f.name for f in attrs.fields(make)), columns, strict=True)),
                                         count)
        return cast("Sequence[_R]", officials)
    return tuple(make_records(make, count, columns))


#: What the loaders read: a file's path, or records in memory (mappings from column name to value).
Source = str | os.PathLike[str] | Iterable[Mapping[str, object]]


def _load(source: Source, schema: _Schema,
          convert: Callable[[_Table, _Problems], Sequence[_R]]) -> Sequence[_R]:
    if isinstance(source, (str, os.PathLike)):
        problems = _Problems(os.fspath(source))
        with paused():
            records = convert(_read_table(problems.file, schema, problems), problems)
        for note in problems.notes:
            warnings.warn(InputNote.of(note), stacklevel=3)
        keep_notes(problems.notes)
        return records
    problems = _Problems(RECORDS)
    return convert(records_table(source, schema, problems), problems)


def load_officials(source: Source, *, units: Mapping[str, Unit] | None = None) -> tuple[Official, ...]:
    """Read the officials of a CSV, XLSX, JSON or JSONL file, or of records in memory (DESIGN.md §3).

    Records are mappings from column name (or its Vietnamese header) to value, read through the same
    parsing as a file's cells (codes or labels, date formats, booleans…; see :mod:`cadre_rules.io._records`);
    their problems are located by a JSON pointer (``<records>, /3/gender``).

    :param source: a path (``str`` or ``os.PathLike``), or an iterable of mappings.
    :param units: the known units by code; when given, every official's ``unit`` must be one.
    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`); ``units`` not a
        mapping.
    """
    return tuple(read_officials(source, units=units))


def read_officials(source: Source, *, units: Mapping[str, Unit] | None = None) -> Sequence[Official]:
    """:func:`load_officials` as the engine reads them: an :class:`OfficialTable` (the parsed columns, each record
    made when asked for), which :meth:`Engine.evaluate <cadre_rules.Engine.evaluate>` reads a column at a time."""
    refuse(a_mapping("units", units, NOT_A_UNIT_MAP))

    def convert(table: _Table, problems: _Problems) -> Sequence[Official]:
        table = without_vacant_posts(without_group_rows(table, problems), problems)
        return _records(table, _OFFICIALS, _OFFICIAL_FIELDS, Official, problems, key="id", known=units)

    return _load(source, _OFFICIALS, convert)


def load_units(source: Source) -> tuple[Unit, ...]:
    """Read the units of a CSV, XLSX, JSON or JSONL file, or of records in memory (DESIGN.md §3).

    :param source: a path (``str`` or ``os.PathLike``), or an iterable of mappings (as :func:`load_officials`).

    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`).
    """

    def convert(table: _Table, problems: _Problems) -> Sequence[Unit]:
        return _records(table, _UNITS, _UNIT_FIELDS, Unit, problems, key="code")

    return tuple(_load(source, _UNITS, convert))


# --------------------------------------------------------------------------- files


def find_data_files(directory: Path, extensions: Sequence[str] = EXTENSIONS) -> tuple[Path, Path]:
    """The ``officials.*`` and ``units.*`` files of a data directory (``extensions``, with the dot).

    File names are matched case-insensitively; other files are ignored.

    :raises InputError: if the directory is missing, or either file is missing or ambiguous.
    """
    where = str(directory)
    if not directory.is_dir():
        raise InputError([Problem(where, N_("not a directory"))])
    found: dict[str, list[Path]] = {"officials": [], "units": []}
    old: list[Path] = []  # workbooks of other kinds (Excel 97-2003, .ods…): refused with how to save them
    for entry in sorted(directory.iterdir()):
        name = entry.name.lower()
        stem, dot, suffix = name.rpartition(".")
        if stem in found and dot and f".{suffix}" in extensions and entry.is_file():
            found[stem].append(entry)
        elif stem in found and f".{suffix}" in (".xls", *OTHER_WORKBOOKS) and entry.is_file():
            old.append(entry)
    problems = []
    for stem, paths in found.items():
        xls = [p for p in old if p.name.lower().startswith(stem + ".")]
        if not paths and xls and xls[0].suffix.lower() == ".xls":
            problems.append(Problem(str(xls[0]), XLS_REFUSAL))
        elif not paths and xls:  # (officials.ods: refused as a file given alone is, not "no officials file")
            problems.append(Problem.of(str(xls[0]), NOT_READ, suffix=xls[0].suffix.lower(), save_as=SAVE_AS))
        elif not paths:
            options = [f"{stem}{extensions[0]}", *extensions[1:]]
            listed: Message | str = options[0] if len(options) == 1 else \
                Message(N_("{first} or {last}"), first=", ".join(options[:-1]), last=options[-1])
            problems.append(Problem.of(where, N_("no {stem} file ({listed})"), stem=stem, listed=listed))
        elif len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(Problem.of(where, N_("more than one {stem} file: {names}"), stem=stem, names=names))
    if problems:
        raise InputError(problems)
    return found["officials"][0], found["units"][0]


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (the same path once resolved, or a link to it)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def file_sha256(*paths: Path) -> str:
    """SHA-256 (hex) of the files' bytes concatenated in the given order, a file named again (a workbook holding
    both the officials and the units) once."""
    digest = hashlib.sha256()
    for i, path in enumerate(paths):
        if any(same_file(path, before) for before in paths[:i]):
            continue
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError as exc:
            raise InputError([Problem.of(str(path), N_("cannot read the file: {reason}"),
                                         reason=os_reason(exc))]) from None
    return digest.hexdigest()


