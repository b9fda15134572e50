"""Strict JSON reading: what :func:`json.loads` accepts in silence, refused with a JSON pointer.

Refused: a key given twice in one object (``json`` keeps the last), the non-standard constants
``NaN``, ``Infinity`` and ``-Infinity``, a lone UTF-16 surrogate (``"\\ud800"``, which no text can
hold), and nesting deeper than :data:`~cadre_rules._limits.MAX_JSON_DEPTH`. Each is a
:class:`JSONProblem` with the pointer of the value (``/12/id``). The checks cost nothing on clean
input: the tree is walked only when the parser saw a duplicate, a constant or an escaped surrogate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

from .._limits import MAX_JSON_DEPTH
from ..errors import N_
from ..errors import Count
from ..errors import Message
from ..errors import Problem
from ..model._checks import NESTED_TOO_DEEP

__all__ = ["Decoder", "JSONProblem", "invalid_json", "loads", "pointer_escape"]


class JSONProblem(ValueError):
    """One problem of a JSON text: ``reason`` (a :class:`~cadre_rules.errors.Message`, shown in the reader's
    language), at ``pointer`` (``""``: the whole text), ``value`` as read."""

    def __init__(self, reason: Message, pointer: str = "", value: str | None = None) -> None:
        self.message = reason
        self.reason = str(reason)
        self.pointer = pointer
        self.value = value
        super().__init__(f"{pointer or '/'}: {reason}")

    def problem(self, file: str, row: int | None = None) -> Problem:
        """The problem located in ``file`` (at ``row``: a JSON Lines line)."""
        return Problem.of(file, self.message, row, self.pointer or None, self.value)


#: What Python's JSON parser says of invalid JSON (:attr:`json.JSONDecodeError.msg`), marked for translation.
_PARSER_REASONS = (
    N_("Expecting value"), N_("Expecting property name enclosed in double quotes"),
    N_("Expecting ',' delimiter"), N_("Expecting ':' delimiter"), N_("Unterminated string starting at"),
    N_("Invalid control character at"), N_("Invalid \\escape"), N_("Invalid \\uXXXX escape"),
    N_("Extra data"), N_("Illegal trailing comma before end of object"),
    N_("Illegal trailing comma before end of array"),
)


def invalid_json(exc: json.JSONDecodeError, *, line: bool = True) -> Message:
    """The reason of invalid JSON, in the reader's language: ``invalid JSON: Expecting value (line 1, column
    5)`` (``line=False``: a JSON Lines line, which the problem locates: the column only)."""
    if line:
        return Message(N_("invalid JSON: {reason} (line {line}, column {col})"), reason=exc.msg, line=exc.lineno,
                       col=exc.colno)
    return Message(N_("invalid JSON: {reason} (column {col})"), reason=exc.msg, col=exc.colno)


class _Duplicated(dict[str, Any]):
    """An object with a repeated key (the parser's result; reported, never used)."""

    __slots__ = ("duplicates",)
    duplicates: tuple[str, ...]


class _NonFinite(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as written."""

    __slots__ = ()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]", re.ASCII)


def pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _duplicated(pairs: list[tuple[str, Any]]) -> _Duplicated:
    seen: set[str] = set()
    duplicated = _Duplicated(pairs)
    duplicated.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return duplicated


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    return made if len(made) == len(pairs) else _duplicated(pairs)


class Decoder:
    """A strict JSON decoder, reusable for many texts (one per JSON Lines file, not one per line).

    ``number`` parses numbers if given (e.g. to keep them as text). ``check_depth=False`` is for a table
    reader that refuses any nested value itself: the depth is not checked and duplicate keys are looked for
    only in the document and its items (the rows), saving a walk of the whole tree; nesting the parser
    itself cannot follow is refused all the same.
    """

    def __init__(self, *, number: Callable[[str], Any] | None = None, check_depth: bool = True) -> None:
        self.check_depth = check_depth
        self._constant = False
        self._decoder = json.JSONDecoder(object_pairs_hook=_object, parse_constant=self._non_finite,
                                         parse_int=number, parse_float=number)

    def _non_finite(self, name: str) -> _NonFinite:
        self._constant = True
        return _NonFinite(name)

    def decode(self, text: str, *, escapes: bool = True) -> Any:
        """Parse ``text`` strictly; ``escapes=False`` says the caller knows it holds no ``\\u`` escape (a
        search of the file's bytes is much faster than one of a long non-ASCII text).

        :raises json.JSONDecodeError: for invalid JSON (its line and column).
        :raises JSONProblem: for each case the module refuses (the first found, with its pointer).
        """
        self._constant = False
        try:
            doc = self._decoder.decode(text)
        except RecursionError:
            raise JSONProblem(_too_deep()) from None
        surrogates = escapes and "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None
        if self.check_depth or self._constant or surrogates:
            _check(doc, duplicates=True, constants=self._constant, surrogates=surrogates)
        else:
            _check_rows(doc)
        return doc


def loads(text: str, *, number: Callable[[str], Any] | None = None, check_depth: bool = True) -> Any:
    """Parse ``text`` strictly (see :class:`Decoder`)."""
    return Decoder(number=number, check_depth=check_depth).decode(text)


def _too_deep() -> Message:
    return Message(NESTED_TOO_DEEP, bound=Count(MAX_JSON_DEPTH))


#: A key given twice in one object.
_DUPLICATE = Message(N_("duplicate key: the object has it twice (JSON readers keep one in silence)"))


def _walk(doc: Any) -> Iterator[tuple[str, Any, int]]:
    """``(pointer, value, depth)`` of every value, parents first (iterative: no recursion on deep input)."""
    stack: list[tuple[str, Any, int]] = [("", doc, 0)]
    while stack:
        pointer, value, depth = stack.pop()
        yield pointer, value, depth
        if isinstance(value, dict):
            stack.extend((f"{pointer}/{pointer_escape(k)}", v, depth + 1) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", v, depth + 1) for i, v in reversed(list(enumerate(value))))


def _check(doc: Any, *, duplicates: bool, constants: bool, surrogates: bool) -> None:
    for pointer, value, depth in _walk(doc) if isinstance(doc, (dict, list)) else ():
        if depth > MAX_JSON_DEPTH:
            raise JSONProblem(_too_deep(), pointer)
        if duplicates and type(value) is _Duplicated:
            key = value.duplicates[0]
            raise JSONProblem(_DUPLICATE,
                              f"{pointer}/{pointer_escape(key)}", key)
        if constants and type(value) is _NonFinite:
            raise JSONProblem(Message(N_("not a JSON number (NaN and Infinity are not allowed)")), pointer,
                              str(value))
        if surrogates and isinstance(value, str) and _has_surrogate(value):
            raise JSONProblem(Message(N_("a lone surrogate escape (\\ud800–\\udfff): not a character")), pointer,
                              value.encode("utf-8", "backslashreplace").decode("ascii"))
        if surrogates and isinstance(value, dict):
            for key in value:
                if _has_surrogate(key):
                    raise JSONProblem(Message(N_("a lone surrogate escape (\\ud800–\\udfff) in a key")), pointer,
                                      key.encode("utf-8", "backslashreplace").decode("ascii"))


def _check_rows(doc: Any) -> None:
    """Duplicate keys in the document or in its items (a list's rows), in C-speed loops."""
    where = ""
    if type(doc) is list and _Duplicated in map(type, doc):
        first = next(i for i, item in enumerate(doc) if type(item) is _Duplicated)
        where, doc = f"/{first}", doc[first]
    if type(doc) is _Duplicated:
        key = doc.duplicates[0]
        raise JSONProblem(_DUPLICATE,
                          f"{where}/{pointer_escape(key)}", key)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
