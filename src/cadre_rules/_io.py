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
import gc
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any
from typing import NamedTuple
from typing import TypeVar
from typing import cast

import attrs

from ._codes import CATEGORY
from ._codes import DISCIPLINE
from ._codes import EDUCATION
from ._codes import GENDER
from ._codes import GENERAL_EDUCATION
from ._codes import POLITICAL_THEORY
from ._codes import POSITION
from ._codes import RATING
from ._codes import UNIT_KIND
from ._codes import Vocabulary
from ._codes import fold
from ._dates import parse_date
from ._model import Official
from ._model import Unit
from ._model import default_category
from ._tables import _OFFICIALS
from ._tables import _SHARE_DECIMALS
from ._tables import _UNITS
from ._tables import EXTENSIONS
from ._tables import MAX_FILE_PROBLEMS
from ._tables import OFFICIAL_COLUMNS
from ._tables import UNIT_COLUMNS
from ._tables import _nfc
from ._tables import _Problems
from ._tables import _read_table
from ._tables import _Schema
from ._tables import _Table
from ._writers import official_to_row
from ._writers import unit_to_row
from ._writers import write_csv
from .errors import N_
from .errors import InputError
from .errors import InvalidValue
from .errors import Problem

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
    "unit_to_row",
    "write_csv",
]

_BOOLS = {
    "true": True, "1": True, "yes": True, "có": True,
    "false": False, "0": False, "no": False, "không": False,
}
_UNIT_CLASSES = {"1": 1, "2": 2, "3": 3, "i": 1, "ii": 2, "iii": 3}
_DECIMAL = re.compile(r"[0-9]+(?:\.([0-9]+))?", re.ASCII)
_MIN_YEAR, _MAX_YEAR = 1900, 2100


# --------------------------------------------------------------------------- values


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _parse_bool(text: str) -> bool:
    value = _BOOLS.get(fold(text))
    if value is None:
        raise InvalidValue(N_("not a boolean (expected true/false, 1/0, yes/no or có/không)"))
    return value


def _parse_codes(vocab: Vocabulary) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        codes = []
        for item in _items(text):
            try:
                codes.append(vocab.parse(item))
            except ValueError as exc:
                raise ValueError(f"{item!r}: {exc}") from None
        return tuple(codes)

    return parse


def _parse_ratings(text: str) -> tuple[tuple[int, str], ...]:
    ratings: dict[int, str] = {}
    for item in _items(text):
        year_text, colon, rating_text = item.partition(":")
        year_text = year_text.strip()
        if not colon:
            raise ValueError(f"{item!r} is not YEAR:rating")
        if not (year_text.isascii() and year_text.isdigit() and _MIN_YEAR <= int(year_text) <= _MAX_YEAR):
            raise ValueError(f"{item!r}: the year must be between {_MIN_YEAR} and {_MAX_YEAR}")
        year = int(year_text)
        try:
            rating = RATING.parse(rating_text)
        except ValueError as exc:
            raise ValueError(f"{item!r}: {exc}") from None
        if year in ratings:
            raise ValueError(f"year {year} is rated twice")
        ratings[year] = rating
    return tuple(sorted(ratings.items()))


def _parse_discipline(text: str) -> tuple[tuple[date, str], ...]:
    entries: list[tuple[date, str]] = []
    for item in _items(text):
        date_text, colon, form_text = item.partition(":")
        if not colon:
            raise ValueError(f"{item!r} is not DATE:form")
        try:
            entries.append((parse_date(date_text), DISCIPLINE.parse(form_text)))
        except ValueError as exc:
            raise ValueError(f"{item!r}: {exc}") from None
    entries.sort(key=lambda entry: (entry[0], DISCIPLINE.rank(entry[1])))
    return tuple(entries)


def _parse_share(text: str) -> Fraction:
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise InvalidValue(N_("not a decimal number between 0 and 1"))
    if match[1] is not None and len(match[1]) > _SHARE_DECIMALS:
        raise ValueError(f"more than {_SHARE_DECIMALS} decimal places")
    share = Fraction(text)
    if share > 1:
        raise InvalidValue(N_("must be between 0 and 1"))
    return share


def _parse_unit_class(text: str) -> int:
    key = fold(text)
    for prefix in ("loại ", "hạng "):
        key = key.removeprefix(prefix)
    value = _UNIT_CLASSES.get(key.strip())
    if value is None:
        raise InvalidValue(N_("not a unit class (expected 1, 2 or 3; also I, II, III)"))
    return value


def _identifier(text: str) -> str:
    """An id or a code (officials' ``id`` and ``unit``, units' ``code`` and ``district``), compared exactly:
    NFC, and refused if it holds a character that does not show (NUL, a BOM, a zero-width space or joiner,
    a direction mark, a non-breaking space…), which would make two equal-looking ids differ."""
    text = _nfc(text)
    if text.isprintable():
        return text
    char = next(c for c in text if not c.isprintable() and c != " ")
    name = unicodedata.name(char, "a control character")
    raise ValueError(f"contains an invisible character U+{ord(char):04X} ({name}); ids and codes are compared "
                     "exactly: remove it")


class _Field(NamedTuple):
    column: str
    attribute: str
    parse: Callable[[str], Any]
    required: bool = False
    cached: bool = True  # False for columns whose values are mostly unique (ids, names)


_OFFICIAL_FIELDS = (
    _Field("id", "id", _identifier, required=True, cached=False),
    _Field("full_name", "full_name", _nfc, required=True, cached=False),
    _Field("gender", "gender", GENDER.parse, required=True),
    _Field("birth_date", "birth_date", parse_date, required=True),
    _Field("unit", "unit", _identifier, required=True),
    _Field("position", "position", POSITION.parse, required=True),
    _Field("concurrent_positions", "concurrent_positions", _parse_codes(POSITION)),
    _Field("category", "category", CATEGORY.parse),
    _Field("standing_committee", "standing_committee", _parse_bool),
    _Field("general_education", "general_education", GENERAL_EDUCATION.parse),
    _Field("education", "education", EDUCATION.parse, required=True),
    _Field("field_of_study", "field_of_study", _nfc),
    _Field("political_theory", "political_theory", POLITICAL_THEORY.parse, required=True),
    _Field("appointed_on", "appointed_on", parse_date),
    _Field("in_planning", "in_planning", _parse_bool),
    _Field("ratings", "ratings", _parse_ratings),
    _Field("discipline", "discipline", _parse_discipline),
    _Field("low_confidence_share", "low_confidence_share", _parse_share),
    _Field("under_investigation", "under_investigation", _parse_bool),
    _Field("secondment_since", "secondment_since", parse_date),
    _Field("is_local", "is_local", _parse_bool),
)

_UNIT_FIELDS = (
    _Field("code", "code", _identifier, required=True, cached=False),
    _Field("name", "name", _nfc, required=True),
    _Field("kind", "kind", UNIT_KIND.parse, required=True),
    _Field("class", "unit_class", _parse_unit_class, required=True),
    _Field("district", "district", _identifier),
    _Field("has_council", "has_council", _parse_bool),
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


def _parse_column(table: _Table, field: _Field, default: Any, problems: _Problems) -> list[Any]:
    """The parsed value of ``field`` per row (:class:`_Bad` where rejected, reported)."""
    texts = table.columns.get(field.column)
    if texts is None:  # an optional column that is not in the file
        return [default] * len(table.positions)
    if field.cached:  # repeated strings are parsed once
        cache: dict[str, Any] = {}
        values = []
        for raw in texts:
            value = cache.get(raw, cache)
            if value is cache:
                value = cache[raw] = _parse_cell(raw, field, default)
            values.append(value)
        bad = {raw for raw, value in cache.items() if type(value) is _Bad}
        rejected = [i for i, raw in enumerate(texts) if raw in bad] if bad else []
    else:
        values = [_parse_cell(raw, field, default) for raw in texts]
        rejected = [i for i, value in enumerate(values) if type(value) is _Bad]
    already = table.rejected.get(field.column)
    if already:  # cells the reader rejected and reported
        skip = set(already)
        rejected = [i for i in rejected if i not in skip]
        for i in already:
            values[i] = _REJECTED
    for i in rejected[: MAX_FILE_PROBLEMS + 1]:  # one more marks the rest as dropped
        row, column = table.where(i, field.column)
        bad = values[i]
        problems.add(bad.reason, row, column, texts[i], position=table.positions[i], stream=field.column,
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
            template = N_("duplicate {column} (first seen in {first})")
            fields = (("column", column), ("first", table.describe(seen)))
            problems.add(template.format_map(dict(fields)), row, where, table.columns[column][i],
                         position=table.positions[i], stream="duplicate", template=template, fields=fields)


def _check_known(table: _Table, column: str, values: Sequence[Any], known: Mapping[str, object],
                 problems: _Problems) -> None:
    unknown = {value for value in set(values) if type(value) is not _Bad and value not in known}
    rejected = [i for i, value in enumerate(values) if value in unknown]
    for i in rejected[: MAX_FILE_PROBLEMS + 1]:  # one more marks the rest as dropped
        row, where = table.where(i, column)
        problems.add(f"unknown {column} code", row, where, table.columns[column][i], position=table.positions[i],
                     stream="unknown", template=N_("unknown {column} code"), fields=(("column", column),))


def _extras(table: _Table, schema: _Schema) -> list[dict[str, str]]:
    """Per row, the non-empty values of the columns that are not in the contract (NFC, stripped)."""
    names = [name for name in table.columns if name not in schema.columns]
    if not names:
        return [{} for _ in table.positions]
    columns = []
    for name in names:
        texts = table.columns[name]
        clean = {raw: _nfc(raw.strip()) for raw in set(texts)}
        columns.append([clean[raw] for raw in texts])
    rows = zip(*columns, strict=True)
    return [{name: value for name, value in zip(names, row, strict=True) if value} for row in rows]


def _check_after_birth(table: _Table, values: Mapping[str, Sequence[Any]], problems: _Problems) -> None:
    """A post or a secondment that began before the official was born: located at its date."""
    births = values["birth_date"]
    for column in ("appointed_on", "secondment_since"):
        dates = values[column]
        for i, (birth, when) in enumerate(zip(births, dates, strict=True)):
            if type(birth) is date and type(when) is date and when < birth:
                row, where = table.where(i, column)
                problems.add(f"{column} is before birth_date ({birth.isoformat()})", row, where,
                             table.columns[column][i], position=table.positions[i], stream="order",
                             template=N_("{column} is before birth_date ({birth})"),
                             fields=(("column", column), ("birth", birth.isoformat())))


#: The posts only a unit with a council (HĐND) has.
COUNCIL_POSTS = frozenset({"council_chair", "council_vice_chair"})


def _check_council_posts(table: _Table, values: Mapping[str, Sequence[Any]], units: Mapping[str, Unit],
                         problems: _Problems) -> None:
    """A council post (also a concurrent one) in a unit whose ``has_council`` is false: located at the post."""
    no_council = {code for code, unit in units.items() if isinstance(unit, Unit) and not unit.has_council}
    if not no_council:
        return
    for i, code in enumerate(values["unit"]):
        if code not in no_council:
            continue
        for column, posts in (("position", (values["position"][i],)),
                              ("concurrent_positions", values["concurrent_positions"][i])):
            if type(posts) is tuple and COUNCIL_POSTS.intersection(posts):
                row, where = table.where(i, column)
                problems.add(f"a council post in unit {code!r}, which has no council (has_council is false)",
                             row, where, table.columns[column][i], position=table.positions[i], stream="council")


_R = TypeVar("_R", bound=attrs.AttrsInstance)


def _records(table: _Table, schema: _Schema, fields: Sequence[_Field], make: type[_R], problems: _Problems,
             *, key: str, known: Mapping[str, object] | None = None) -> tuple[_R, ...]:
    """The records of the table; ``key`` must be unique (and in ``known``, if given, for ``unit``)."""
    defaults = _defaults(make)
    values = {field.attribute: _parse_column(table, field, defaults[field.attribute], problems) for field in fields}
    key_attribute = next(field.attribute for field in fields if field.column == key)
    _check_unique(table, key, values[key_attribute], problems)
    if known is not None:
        _check_known(table, "unit", values["unit"], known, problems)
    if make is Official:
        _check_after_birth(table, values, problems)
        if known is not None:
            _check_council_posts(table, values, cast("Mapping[str, Unit]", known), problems)
    problems.check()
    count = len(table.positions)
    extras = _extras(table, schema)
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
            column = [compute(other) if value is _COMPUTED else value
                      for value, other in zip(column, values[source], strict=True)]
        columns.append(column)
    build: Callable[..., _R] = make
    return tuple(build(*args) for args in zip(*columns, strict=True))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restoring its state after).

    Reading allocates many objects and no reference cycles; the collections that the
    allocations would trigger cost about a quarter of the reading time of a large file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path: str | os.PathLike[str], schema: _Schema,
          convert: Callable[[_Table, _Problems], tuple[_R, ...]]) -> tuple[_R, ...]:
    problems = _Problems(os.fspath(path))
    with _gc_paused():
        return convert(_read_table(problems.file, schema, problems), problems)


def load_officials(path: str | os.PathLike[str], *, units: Mapping[str, Unit] | None = None) -> tuple[Official, ...]:
    """Read the officials of a CSV, XLSX, JSON or JSONL file (DESIGN.md §3).

    :param units: the known units by code; when given, every official's ``unit`` must be one.
    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`).
    """

    def convert(table: _Table, problems: _Problems) -> tuple[Official, ...]:
        return _records(table, _OFFICIALS, _OFFICIAL_FIELDS, Official, problems, key="id", known=units)

    return _load(path, _OFFICIALS, convert)


def load_units(path: str | os.PathLike[str]) -> tuple[Unit, ...]:
    """Read the units of a CSV, XLSX, JSON or JSONL file (DESIGN.md §3).

    :raises InputError: with every problem of the file (the first :data:`MAX_FILE_PROBLEMS`).
    """

    def convert(table: _Table, problems: _Problems) -> tuple[Unit, ...]:
        return _records(table, _UNITS, _UNIT_FIELDS, Unit, problems, key="code")

    return _load(path, _UNITS, convert)


# --------------------------------------------------------------------------- files


def find_data_files(directory: Path, extensions: Sequence[str] = EXTENSIONS) -> tuple[Path, Path]:
    """The ``officials.*`` and ``units.*`` files of a data directory (``extensions``, with the dot).

    File names are matched case-insensitively; other files are ignored.

    :raises InputError: if the directory is missing, or either file is missing or ambiguous.
    """
    where = str(directory)
    if not directory.is_dir():
        raise InputError([Problem(where, "not a directory")])
    found: dict[str, list[Path]] = {"officials": [], "units": []}
    for entry in sorted(directory.iterdir()):
        name = entry.name.lower()
        stem, dot, suffix = name.rpartition(".")
        if stem in found and dot and f".{suffix}" in extensions and entry.is_file():
            found[stem].append(entry)
    problems = []
    for stem, paths in found.items():
        if not paths:
            options = [f"{stem}{extensions[0]}", *extensions[1:]]
            listed = options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
            problems.append(Problem(where, f"no {stem} file ({listed})"))
        elif len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(Problem(where, f"more than one {stem} file: {names}"))
    if problems:
        raise InputError(problems)
    return found["officials"][0], found["units"][0]


def file_sha256(*paths: Path) -> str:
    """SHA-256 (hex) of the files' bytes concatenated in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError as exc:
            raise InputError([Problem(str(path), f"cannot read the file: {exc.strerror or exc}")]) from None
    return digest.hexdigest()


