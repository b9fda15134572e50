"""The converters of :class:`~cadre_rules.Official` and :class:`~cadre_rules.Unit`: the readers' parsing, by field.

A value already in the model's form (a code, a ``date``, a sorted tuple of ratings, any ``str`` for a text
field such as ``full_name`` or ``id``…) is kept as it is; any other goes through the text a file would hold
(:func:`cadre_rules.io._records.value_text`) and the reader's parser of its column (:mod:`cadre_rules.io._io`), so
that a record built in code accepts and refuses the codes, dates, booleans, ratings and shares a file does. A
refused value raises :class:`~cadre_rules.errors.InputError` naming the record kind and the field
(``<Official>, gender: unknown gender … (got 'nu')``), never ``TypeError`` or ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from ..errors import N_
from ..errors import InputError
from ..errors import InvalidValue
from ..errors import Problem
from ..model._codes import CATEGORY
from ..model._codes import DISCIPLINE
from ..model._codes import EDUCATION
from ..model._codes import GENDER
from ..model._codes import GENERAL_EDUCATION
from ..model._codes import POLITICAL_THEORY
from ..model._codes import POSITION
from ..model._codes import RATING
from ..model._codes import UNIT_KIND
from ..model._codes import Vocabulary
from ..model._model import Official
from ..model._model import Unit
from ..model._model import install_parsing
from ._io import _OFFICIAL_FIELDS
from ._io import _UNIT_FIELDS
from ._io import _Field
from ._io import load_officials
from ._io import load_units
from ._records import RECORDS
from ._records import value_text

__all__ = ["coerce", "every_problem", "record_of"]

_FILES = {"official": "<Official>", "unit": "<Unit>"}
_FIELDS: Mapping[str, Mapping[str, _Field]] = {
    "official": {field.attribute: field for field in _OFFICIAL_FIELDS},
    "unit": {field.attribute: field for field in _UNIT_FIELDS},
}
#: The value an empty optional value stands for (``category``: none, where a reader computes it from the
#: position, which a converter does not see).
_DEFAULTS: Mapping[str, Mapping[str, object]] = {
    kind: {field.name: None if isinstance(field.default, attrs.Factory) else field.default  # type: ignore[arg-type]
           for field in attrs.fields(record)}
    for kind, record in (("official", Official), ("unit", Unit))
}
#: The fields whose value may be ``None`` (unknown or absent); the others refuse it.
_NULLABLE = frozenset({
    "category", "general_education", "field_of_study", "appointed_on", "in_planning", "low_confidence_share",
    "secondment_since", "is_local", "district", "unit_class", "standing_committee", "secondment_until", "term_ends",
})


def _code(vocab: Vocabulary) -> Callable[[object], bool]:
    codes = frozenset(vocab.codes)
    return lambda value: type(value) is str and value in codes


_IS_RATING = _code(RATING)
_IS_DISCIPLINE = _code(DISCIPLINE)
_IS_POSITION = _code(POSITION)


def _dated(value: object) -> bool:
    return type(value) is date


def _ratings(value: object) -> bool:
    if type(value) is not tuple:
        return False
    years = [year for year, _ in value] if all(type(v) is tuple and len(v) == 2 for v in value) else None
    return (years is not None and all(type(y) is int for y in years) and years == sorted(set(years))
            and all(_IS_RATING(rating) for _, rating in value))


def _discipline(value: object) -> bool:
    if type(value) is not tuple or not all(type(v) is tuple and len(v) == 2 for v in value):
        return False
    if not all(type(when) is date and _IS_DISCIPLINE(form) for when, form in value):
        return False
    return list(value) == sorted(value, key=lambda entry: (entry[0], DISCIPLINE.rank(entry[1])))


def _positions(value: object) -> bool:
    return type(value) is tuple and all(map(_IS_POSITION, value))


def _share(value: object) -> bool:
    return type(value) is Fraction and 0 <= value <= 1


#: The text fields: a ``str`` is kept as it is when a record is constructed (the readers normalise what a file
#: holds: NFC, stripped, invisible characters refused in ids and codes); another value is read as its text.
_TEXT = frozenset({"id", "full_name", "unit", "field_of_study", "code", "name", "district"})

#: Per field, whether a value is already in the model's form (then kept as it is).
_CANONICAL: Mapping[str, Callable[[object], bool]] = {
    "gender": _code(GENDER),
    "birth_date": _dated,
    "position": _IS_POSITION,
    "concurrent_positions": _positions,
    "category": _code(CATEGORY),
    "standing_committee": lambda value: type(value) is bool,
    "general_education": _code(GENERAL_EDUCATION),
    "education": _code(EDUCATION),
    "political_theory": _code(POLITICAL_THEORY),
    "appointed_on": _dated,
    "in_planning": lambda value: type(value) is bool,
    "ratings": _ratings,
    "discipline": _discipline,
    "low_confidence_share": _share,
    "under_investigation": lambda value: type(value) is bool,
    "secondment_since": _dated,
    "secondment_until": _dated,
    "term_ends": _dated,
    "is_local": lambda value: type(value) is bool,
    "kind": _code(UNIT_KIND),
    "unit_class": lambda value: type(value) is int and value in (1, 2, 3),
    "has_council": lambda value: type(value) is bool,
    "extra": lambda value: type(value) is dict and not value,  # (none: the usual case; others are checked)
}


def _extra(file: str, value: object) -> Mapping[str, str]:
    if isinstance(value, Mapping) and all(type(k) is str and type(v) is str for k, v in value.items()):
        return value
    raise InputError([Problem.of(file, N_("expected a mapping from text to text"), None, "extra", repr(value)[:200])])


def coerce(kind: str, attribute: str, value: Any) -> Any:
    """The value of an ``Official`` (``kind`` ``"official"``) or ``Unit`` field, parsed as a reader parses it.

    :raises InputError: naming the field, for a value the reader refuses.
    """
    if attribute in _TEXT and type(value) is str:
        return value  # text is kept as given (a record made in code may hold any text the report encodes)
    canonical = _CANONICAL.get(attribute)
    if canonical is not None and canonical(value):  # (first: the valid record's one test per field)
        return value
    file = _FILES[kind]
    if attribute == "extra":
        return _extra(file, value)
    if value is None and attribute in _NULLABLE:
        return None
    field = _FIELDS[kind][attribute]
    try:
        text = value_text(field.column, value)
    except ValueError as exc:
        raise InputError([_problem(file, exc, attribute, repr(value)[:200])]) from None
    if not text.strip():
        if field.required or value is None:
            raise InputError([Problem.of(file, N_("required value is missing"), None, attribute, text)])
        return _DEFAULTS[kind][attribute]  # an empty optional value: the default, as an empty cell
    try:
        value = field.parse(text.strip())
    except ValueError as exc:
        raise InputError([_problem(file, exc, attribute, text)]) from None
    if attribute == "position":  # the reader's parse gives (primary, *concurrent): a cell may name several posts
        if len(value) != 1:
            raise InputError([Problem.of(file, N_("several posts: give the others in concurrent_positions"), None,
                                         attribute, text)])
        (value,) = value
    return value


def record_of(kind: str, record: Mapping[str, object]) -> Any:
    """The ``Official`` or ``Unit`` of one record, read as a row of a file; problems named ``<record>``,
    located at the key (``/gender``)."""
    load: Callable[[Any], tuple[Any, ...]] = load_officials if kind == "official" else load_units
    if not isinstance(record, Mapping):
        raise InputError([Problem.of("<record>", N_("expected a record (a mapping), not a value of type {type}"),
                                     type=type(record).__name__)])
    try:
        (made,) = load([record])
    except InputError as exc:
        raise InputError([_one_record(problem) for problem in exc.problems]) from None
    except ValueError:  # no record left: every value was empty
        raise InputError([Problem.of("<record>", N_("the record is empty"))]) from None
    return made


def _one_record(problem: Problem) -> Problem:
    column = problem.column
    if column is not None and column.startswith("/0"):
        column = column[2:] or None
    file = "<record>" if problem.file == RECORDS else problem.file
    return attrs.evolve(problem, file=file, column=column)


#: The field naming a record, by kind.
_KEYS = {"official": "id", "unit": "code"}


def every_problem(kind: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> InputError | None:
    """The error of an ``Official`` or ``Unit`` constructed with ``args`` and ``kwargs`` some of which
    :func:`coerce` refuses: a problem for every wrong field, in the order of the fields, named by the record's
    id (``<Official id='A1'>``) when that is text (``None`` if no value given is wrong)."""
    names = [field.alias for field in attrs.fields(_RECORDS[kind])]
    given = {**dict(zip(names, args, strict=False)), **kwargs}
    key = given.get(_KEYS[kind])
    file = _FILES[kind]
    if type(key) is str and key.strip():
        shown = key if len(key) <= 40 else key[:37] + "..."
        file = f"{file[:-1]} {_KEYS[kind]}={shown!r}>"
    problems: list[Problem] = []
    for name in names:
        if name in given:
            try:
                coerce(kind, name, given[name])
            except InputError as exc:
                problems.extend(attrs.evolve(problem, file=file) for problem in exc.problems)
    return InputError(problems) if problems else None


_RECORDS: Mapping[str, type[attrs.AttrsInstance]] = {"official": Official, "unit": Unit}

install_parsing(coerce, record_of, every_problem)


def _problem(file: str, exc: ValueError, attribute: str, value: str) -> Problem:
    """The problem of a value that cannot be read, its reason in the reader's language when it has a message id."""
    if isinstance(exc, InvalidValue):
        return Problem.of(file, exc, None, attribute, value)
    return Problem(file, str(exc), None, attribute, value)
