"""Numbers and dates as a reader of each language writes them.

Vietnamese (``vi``) writes ``17,9%``, ``11.473``, ``31/12/2024`` and, in titles, "ngày 31 tháng 12 năm
2024"; English (``en``) writes ``17.9%``, ``11,473``, ISO dates (``2024-12-31``) and "31 December 2024".
These are for people (text, html, xlsx labels, finding messages); the values of json, jsonl and csv stay
machine-readable (ISO dates, dot decimals) and never pass through here.

The renderers reach these through :mod:`cadre_rules.render._common`; the engine uses :class:`Shown` to
format the values a pack message names (``{value:.1%}`` is ``17,9%`` in Vietnamese).
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

__all__ = ["OP_SIGNS", "Shown", "decimal", "integer", "long_date", "percent", "short_date"]

#: How a target's comparison reads in a report: "≥ 10,0%".
OP_SIGNS = {">=": "≥", "<=": "≤"}
_ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


_SWAP = str.maketrans(",.", ".,")


def _swap(text: str) -> str:
    """An English-formatted number in Vietnamese: ``,`` groups become ``.``, the ``.`` decimal a ``,``."""
    return text.translate(_SWAP)


def integer(value: int, lang: str) -> str:
    """``11.473`` (vi) or ``11,473`` (en)."""
    text = f"{value:,}"
    return text if lang == "en" else _swap(text)


def decimal(value: Fraction | float, lang: str, digits: int = 2) -> str:
    """A number with ``digits`` decimals: ``1,25`` (vi) or ``1.25`` (en)."""
    text = f"{float(value):,.{digits}f}"
    return text if lang == "en" else _swap(text)


def percent(value: Fraction | float | None, lang: str, digits: int = 1) -> str:
    """``17,9%`` (vi) or ``17.9%`` (en); ``—`` for no value."""
    if value is None:
        return "—"
    text = f"{float(value):.{digits}%}"
    return text if lang == "en" else _swap(text)


def short_date(value: date, lang: str) -> str:
    """``31/12/2024`` (vi) or ``2024-12-31`` (en)."""
    return value.isoformat() if lang == "en" else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def long_date(value: date, lang: str) -> str:
    """"ngày 31 tháng 12 năm 2024" (vi) or "31 December 2024" (en), for titles."""
    if lang == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


class Shown:
    """A value named by a message template, formatted in a language by its format spec.

    ``"{value:.1%}".format(value=Shown(Fraction(179, 1000), "vi"))`` is ``"17,9%"``; a date with no
    spec is a short date; text and booleans are as they are.
    """

    __slots__ = ("lang", "value")

    def __init__(self, value: object, lang: str) -> None:
        self.value = value
        self.lang = lang

    def __format__(self, spec: str) -> str:
        value = self.value
        if isinstance(value, str) and self.lang != "en" and not spec and _ISO_DATE.fullmatch(value):
            return short_date(date.fromisoformat(value), self.lang)  # a date of the facts (JSON: ISO)
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, date)):
            return format(value, spec)
        if isinstance(value, date):
            return short_date(value, self.lang) if not spec else format(value, spec)
        if isinstance(value, Fraction):
            value = float(value) if spec else value
        text = format(value, spec)
        if self.lang == "en" or isinstance(value, Fraction):
            return text
        if not spec and isinstance(value, int):
            return text  # a count as it is (a year stays 2024, not 2.024)
        return _swap(text)

    def __str__(self) -> str:
        return self.__format__("")

    def __repr__(self) -> str:  # ``{name!r}`` in a template: the value's own repr
        return repr(self.value)
