"""Records in memory (mappings built in code, decoded JSON) as a table of raw text, for the readers' parsing.

The API reads records the way it reads files (DESIGN.md §3: one parsing and validation path): each value is
first written as the text a file would hold (:func:`value_text`), then the readers' column parsers turn the
text into the model's values, with the same labels, spellings, date formats and located problems. Problems
are located by a JSON pointer to the record's key (``/12/birth_date``), in the file named ``<records>``.

Values: text; ``None`` (empty); booleans; integers; floats (as Python writes them); :class:`~fractions.Fraction`
and :class:`~decimal.Decimal` (as decimals); dates (ISO); for the list columns (``concurrent_positions``,
``ratings``, ``discipline``) a list or tuple whose items are text or ``(year, rating)`` / ``(date, form)``
pairs, or a mapping ``{year: rating}`` / ``{date: form}``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from ..errors import N_
from ..errors import InvalidValue
from ..errors import Message
from ._tables import _check_cells
from ._tables import _JSONNumber
from ._tables import _nfc
from ._tables import _pointer_escape
from ._tables import _Problems
from ._tables import _Schema
from ._tables import _skip_empty_rows
from ._tables import _Table

__all__ = ["RECORDS", "records_table", "value_text"]

#: The name problems of records in memory carry in place of a file name.
RECORDS = "<records>"

#: The columns whose value may be a list (or a mapping, for the dated ones) of items.
_LIST_COLUMNS = frozenset({"concurrent_positions", "ratings", "discipline"})
_PAIR = 2
_NOT_SCALAR = N_("expected text, a number, a boolean or a date, not a value of type {type}")
_NOT_RECORDS = N_("expected an iterable of records (mappings), not a value of type {type}")


def _scalar_text(value: object) -> str:
    """The text a file would hold for a scalar; ``ValueError`` with the reason for any other value."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return format(exact, "f") if Fraction(exact) == value else str(value)
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise InvalidValue(N_("expected a date, not a date and time"))
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise InvalidValue(_NOT_SCALAR, type=type(value).__name__)


def value_text(column: str, value: object, shown: Callable[[object], str] = repr) -> str:
    """The text a file would hold for ``value`` in ``column``; ``ValueError`` with the reason if it has none (an
    item of a list column that is neither a value nor a pair shown by ``shown``)."""
    if column in _LIST_COLUMNS:
        items: Iterable[object]
        if isinstance(value, Mapping):
            items = value.items()
        elif isinstance(value, (list, tuple)):
            items = value
        else:
            return _scalar_text(value)
        texts = []
        for item in items:
            if isinstance(item, (list, tuple)) and len(item) == _PAIR:
                texts.append(f"{_scalar_text(item[0])}:{_scalar_text(item[1])}")
            elif isinstance(item, (list, tuple, Mapping)):
                raise InvalidValue(N_("expected an item or a pair, not {item}"), item=shown(item))
            else:
                texts.append(_scalar_text(item))
        return ";".join(texts)
    if isinstance(value, (list, tuple, Mapping, set, frozenset)):
        raise InvalidValue(_NOT_SCALAR, type=type(value).__name__)
    return _scalar_text(value)


def records_table(records: Iterable[object], schema: _Schema, problems: _Problems, *,
                  shown: Callable[[object], str] = repr) -> _Table:
    """The records (mappings from column name or alias to value) as a table of text, keyed by contract column.

    Keys are matched as headers are (NFC, case folding, the Vietnamese aliases); a record that is not a
    mapping, a key that is not text, two keys naming one column and a value with no text are problems,
    located by a JSON pointer. ``shown``: how such a problem shows the value (at most 200 characters): ``repr``
    for records built in code, the JSON text for those of a JSON document (as the JSON files' reader shows it).
    """
    if isinstance(records, (str, bytes, Mapping)):
        raise problems.fail(_NOT_RECORDS, type=type(records).__name__)
    try:
        listed = list(records)
    except TypeError:
        raise problems.fail(_NOT_RECORDS, type=type(records).__name__) from None
    resolved: dict[str, str | None] = {}
    rows: list[dict[str, str]] = []
    json_keys: list[dict[str, str]] = []
    rejected: dict[str, list[int]] = {}
    for index, record in enumerate(listed):
        row: dict[str, str] = {}
        keys: dict[str, str] = {}
        if not isinstance(record, Mapping):
            problems.add_of(N_("expected a record (a mapping), not a value of type {type}"), None, f"/{index}",
                            position=index, stream="shape",
                            type="number" if isinstance(record, _JSONNumber) else type(record).__name__)
        else:
            for key, value in record.items():
                if not isinstance(key, str):
                    problems.add_of(N_("a key that is not text"), None, f"/{index}", repr(key), position=index,
                                    stream="shape")
                    continue
                if key not in resolved:
                    header = _nfc(key).strip()
                    resolved[key] = schema.resolve(header)[0] if header else None
                name = resolved[key]
                where = f"/{index}/{_pointer_escape(key)}"
                if name is None or name in keys:
                    reason = (Message(N_("value under an empty key")) if name is None
                              else Message(N_("duplicate column: {first} and {second} both name {name}"),
                                           first=repr(keys[name]), second=repr(key), name=repr(name)))
                    problems.add(reason, None, where, shown(value)[:200], position=index, stream="shape")
                    continue
                keys[name] = key
                try:
                    row[name] = value_text(name, value, shown)
                except InvalidValue as exc:
                    problems.add_of(exc.template, None, where, shown(value)[:200], position=index, stream="shape",
                                    **dict(exc.fields))
                    row[name] = ""
                    rejected.setdefault(name, []).append(index)
        rows.append(row)
        json_keys.append(keys)
    # every required column, so that a record without one is located at its key, not the whole input refused
    names = dict.fromkeys([*(c for c in schema.columns if c in schema.required),
                           *(name for keys in json_keys for name in keys)])
    columns = {name: [row.get(name, "") for row in rows] for name in names}
    table = _skip_empty_rows(_Table(columns, list(range(len(rows))), json_keys, "record", rejected), schema,
                             problems)
    _check_cells(table, problems)
    return table
