"""Value types of the expression language and their encodings (natural Python value and engine value)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any
from typing import Literal

import attrs

from ..errors import N_
from ..errors import InvalidValue
from ..errors import Words
from ._codes import VOCABULARIES
from ._codes import Vocabulary
from ._dates import parse_date

__all__ = ["BOOL", "DATE", "INT", "NUMBER", "TEXT", "ValueType", "code_type", "parse_type_name"]

Natural = bool | int | Fraction | date | str
Engine = bool | int | float | str
Kind = Literal["bool", "int", "number", "date", "text", "code"]


@attrs.frozen
class ValueType:
    """The type of a field, function result or literal."""

    kind: Kind
    vocab: str | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        assert self.vocab is not None
        return VOCABULARIES[self.vocab]

    @property
    def ordered(self) -> bool:
        """Whether ``<``, ``<=``, ``>``, ``>=`` are allowed."""
        if self.kind == "code":
            return self.vocabulary.ordered
        return self.kind in ("int", "number", "date")

    def __str__(self) -> str:
        return f"code:{self.vocab}" if self.kind == "code" else self.kind

    def coerce_literal(self, value: object) -> Natural:
        """Turn a literal from a pack into this type's natural value, or raise ``ValueError``."""
        kind = self.kind
        if kind == "bool":
            if isinstance(value, bool):
                return value
        elif kind in ("int", "number"):
            if isinstance(value, bool):
                pass
            elif isinstance(value, int):
                return value if kind == "int" else Fraction(value)
            elif isinstance(value, Fraction):
                return value if kind == "number" or value.denominator != 1 else int(value)
            elif isinstance(value, float):
                if not math.isfinite(value):  # (1e999 in a pack: Fraction refuses it in English)
                    raise InvalidValue(N_("not a finite number: {value}"), value=repr(value))
                return Fraction(str(value))
        elif kind == "date":
            if isinstance(value, date):
                return value
            if isinstance(value, str):
                return parse_date(value)
        elif kind == "text":
            if isinstance(value, str):
                return value
        elif isinstance(value, str):
            return self.vocabulary.parse(value)
        raise InvalidValue(N_("expected a {type} value, got {value}"), type=str(self), value=repr(value))

    def to_engine(self, value: Natural) -> Engine:
        """The value as the rule engine sees it: dates as ordinals, ordered codes as ranks."""
        kind = self.kind
        if kind == "date":
            assert isinstance(value, date)
            return value.toordinal()
        if kind == "number":
            return float(value)  # type: ignore[arg-type]
        if kind == "code" and self.vocabulary.ordered:
            assert isinstance(value, str)
            return self.vocabulary.rank(value)
        assert not isinstance(value, (date, Fraction))
        return value

    def engine_encoder(self) -> Callable[[Any], Engine] | None:
        """A fast function doing :meth:`to_engine` for this type, or ``None`` where it is the identity."""
        kind = self.kind
        if kind == "date":
            return date.toordinal
        if kind == "number":
            return float
        if kind == "code" and self.vocabulary.ordered:
            return {code: rank for rank, code in enumerate(self.vocabulary.codes)}.__getitem__
        return None

    def json_encoder(self) -> Callable[[Any], bool | int | float | str | None] | None:
        """A fast function doing :meth:`to_json` for a known value, or ``None`` where it is the identity."""
        kind = self.kind
        if kind == "date":
            return date.isoformat
        if kind == "number":
            return _fraction_json
        return None

    def to_json(self, value: Natural | None) -> bool | int | float | str | None:
        """The value as a report shows it."""
        return json_value(value)


def json_value(value: Natural | None) -> bool | int | float | str | None:
    """A natural value as a report shows it: dates in ISO form, whole fractions as ints, others as floats."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return _fraction_json(value)
    return value


def _fraction_json(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


BOOL = ValueType("bool")
INT = ValueType("int")
NUMBER = ValueType("number")
DATE = ValueType("date")
TEXT = ValueType("text")


def code_type(vocab: str) -> ValueType:
    return ValueType("code", vocab)


def parse_type_name(name: str) -> ValueType:
    """``"bool"``, ``"int"``, ``"number"``, ``"date"``, ``"text"`` or ``"code:<vocabulary>"``.

    :raises InvalidValue: (a ``ValueError``) for any other name, said in the reader's language."""
    simple = {"bool": BOOL, "int": INT, "number": NUMBER, "date": DATE, "text": TEXT}
    if name in simple:
        return simple[name]
    kind, _, vocab = name.partition(":")
    if kind == "code" and vocab in VOCABULARIES:
        return code_type(vocab)
    vocabularies = "|".join(VOCABULARIES)
    raise InvalidValue(N_("unknown type {name} (expected bool, int, number, date, text or code:<{vocabularies}>)"),
                       name=Words(repr(name), repr(name)), vocabularies=Words(vocabularies, vocabularies))
