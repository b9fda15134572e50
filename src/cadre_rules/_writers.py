"""Writing officials and units back to the contract's columns and to CSV (the inverse of the readers)."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path

from ._model import Official
from ._model import Unit
from ._tables import _OFFICIALS
from ._tables import _SHARE_DECIMALS
from ._tables import _UNITS
from ._tables import _nfc
from ._tables import _Schema

__all__ = ["official_to_row", "unit_to_row", "write_csv"]



def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _share_text(share: Fraction | None) -> str:
    if share is None:
        return ""
    scaled = share * 10**_SHARE_DECIMALS
    if scaled.denominator != 1 or not 0 <= share <= 1:
        raise ValueError(f"low_confidence_share {share} is not a decimal in 0..1 with at most 6 places")
    whole, part = divmod(int(scaled), 10**_SHARE_DECIMALS)
    return f"{whole}.{part:0{_SHARE_DECIMALS}d}".rstrip("0").rstrip(".")


def _add_extra(row: dict[str, str], extra: Mapping[str, str], schema: _Schema) -> dict[str, str]:
    for key, value in extra.items():
        name, known = schema.resolve(_nfc(key).strip())
        if not name:
            raise ValueError(f"extra field {key!r} has a blank name")
        if known or name in row:
            raise ValueError(f"extra field {key!r} would be read back as the column {name!r}")
        row[key] = value
    return row


def official_to_row(o: Official) -> dict[str, str]:
    """The contract columns (then the extra fields) of an official, as the readers accept them."""
    row = {
        "id": o.id,
        "full_name": o.full_name,
        "gender": o.gender,
        "birth_date": o.birth_date.isoformat(),
        "unit": o.unit,
        "position": o.position,
        "concurrent_positions": ";".join(o.concurrent_positions),
        "category": o.category or "",
        "standing_committee": _bool_text(o.standing_committee),
        "general_education": o.general_education or "",
        "education": o.education,
        "field_of_study": o.field_of_study or "",
        "political_theory": o.political_theory,
        "appointed_on": _date_text(o.appointed_on),
        "in_planning": _bool_text(o.in_planning),
        "ratings": ";".join(f"{year}:{rating}" for year, rating in sorted(o.ratings)),
        "discipline": ";".join(f"{when.isoformat()}:{form}" for when, form in o.discipline),
        "low_confidence_share": _share_text(o.low_confidence_share),
        "under_investigation": _bool_text(o.under_investigation),
        "secondment_since": _date_text(o.secondment_since),
        "is_local": "" if o.is_local is None else _bool_text(o.is_local),
    }
    return _add_extra(row, o.extra, _OFFICIALS)


def unit_to_row(u: Unit) -> dict[str, str]:
    """The contract columns (then the extra fields) of a unit, as the readers accept them."""
    row = {
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "class": str(u.unit_class),
        "district": u.district or "",
        "has_council": _bool_text(u.has_council),
    }
    return _add_extra(row, u.extra, _UNITS)


def _csv_field(value: str) -> str:
    # csv.writer leaves a lone "\r" unquoted when the line terminator is "\n"; quote it ourselves.
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path: Path, rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> None:
    """Write rows as UTF-8 CSV (no BOM, ``\\n`` line endings, minimal quoting), header first.

    A row's missing columns are written empty.

    :raises ValueError: if a row has a key that is not in ``columns`` (nothing is written).
    """
    known = set(columns)
    lines = [",".join(_csv_field(c) for c in columns)]
    for row in rows:
        unknown = row.keys() - known
        if unknown:
            raise ValueError(f"row has columns missing from `columns`: {sorted(unknown)}")
        fields = [_csv_field(row.get(c, "")) for c in columns]
        lines.append(",".join(fields) if fields != [""] else '""')
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines) + "\n")
