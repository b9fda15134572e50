"""The notation a doc's JSON shape is written in (``{"pack", "id", "value": float|null, …}``), read as a
:class:`Shape`, and the check of a real JSON value against it (:class:`ShapeCheck`): tests/test_doc_examples.py's
"the JSON a doc shows"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

#
# A doc shows a JSON document as a shape: ``{"pack", "id", "value": float|null, …}``. Its notation, as read here:
# a key alone stands for any value; ``n`` a whole number, ``float`` a number, ``str``, ``bool``, ``date`` (an ISO
# date), ``null``, ``true``/``false`` a boolean, a number itself that number; a string a value of the bundled
# samples (exactly, or up to its ``…``), but ``"a|b"`` one of those, ``"…"``, ``"citation"`` and ``"VALUE"`` any
# string or value, ``"YYYY-MM-DD"`` a date and ``"id@version"`` a pack's ref; ``a|b`` either; ``{"RULE": …}`` (keys
# in capitals) a mapping, every value of that shape; ``[x]`` a list of x; ``…`` (or ``...``) what is left out (in
# an object: other keys may be written), also as ``{…}`` and ``[…]``; a word in capitals the doc's prose defines ("a
# `SUBJECT` … is `{…}`") that shape; a word the notation does not know (``[subject]``), or words in a list (``[ as
# the report's, … ]``), any value. A note in parentheses after a key is about it:
# ``(only with --scope)``, ``(--baseline)``: the key is written only then; one saying ``null``: its value may be null.


@dataclass(frozen=True)
class Shape:
    """A value's shape: ``kind`` one of object, mapping, array, either, string, word, any; an object's ``keys``
    (name → entry), whether it is ``open`` (``…``: other keys allowed); a mapping's, an array's ``item``; either's
    ``options``; a string's or word's ``text``."""

    kind: str
    text: str = ""
    keys: tuple[tuple[str, Entry], ...] = ()
    open: bool = False
    item: Shape | None = None
    options: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A key of an object shape: its value's shape, and what its note says (written only sometimes, may be
    null)."""

    shape: Shape
    sometimes: bool = False
    nullable: bool = False


ANY = Shape("any")
_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<note>\((?:[^()]|\([^()]*\))*\))|(?P<gap>…|\.\.\.)'
                    r"|(?P<mark>[{}\[\]:,|])|(?P<word>[\w.@'<>=-]+))")
_PLACEHOLDER_KEY = re.compile(r"[A-Z][A-Z._]*")


def _tokens(text: str) -> list[tuple[str, str]]:
    found, at = [], 0
    while text[at:].strip():
        m = _TOKEN.match(text, at)
        if not m or m.lastgroup is None:
            raise ValueError(f"cannot read the shape at {text[at:at + 30]!r}")
        found.append((m.lastgroup, m.group(m.lastgroup)))
        at = m.end()
    return found


class _ShapeReader:
    """The shape a doc's block writes (the notation above), read by recursive descent."""

    def __init__(self, text: str, words: dict[str, Shape]) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.words = words

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if text is not None and token[1] != text:
            raise ValueError(f"expected {text!r}, got {token[1]!r} (token {self.at})")
        self.at += 1
        return token

    def notes(self) -> list[str]:
        said = []
        while self.peek()[0] == "note":
            said.append(self.take()[1])
        return said

    def value(self) -> tuple[Shape, list[str]]:
        options = [self.primary()]
        while self.peek()[1] == "|":
            self.take()
            options.append(self.primary())
        shape = options[0] if len(options) == 1 else Shape("either", options=tuple(options))
        return shape, self.notes()

    def primary(self) -> Shape:
        kind, text = self.peek()
        if text == "{":
            return self.obj()
        if text == "[":
            return self.array()
        self.take()
        if kind == "string":
            return Shape("string", text=text[1:-1])
        if kind == "gap":
            return ANY
        if kind == "word":
            return self.words.get(text) or Shape("word", text=text)
        raise ValueError(f"unexpected {text!r}")

    def obj(self) -> Shape:
        self.take("{")
        keys: dict[str, Entry] = {}
        is_open, last = False, ""
        while self.peek()[1] != "}":
            kind, text = self.take()
            if kind == "gap":
                is_open = True
            elif kind == "string":
                last = text[1:-1]
                shape, notes = ANY, self.notes()
                if self.peek()[1] == ":":
                    self.take()
                    shape, notes = self.value()
                keys[last] = _entry(shape, notes)
            elif kind == "note" and last:  # a note after the comma: of the key before it
                keys[last] = _entry(keys[last].shape, [text])
            elif text != ",":
                raise ValueError(f"unexpected {text!r} in an object")
        self.take("}")
        named = [key for key in keys if not _PLACEHOLDER_KEY.fullmatch(key)]
        if keys and not named:  # {"RULE": "citation", …}: a mapping
            return Shape("mapping", item=next(iter(keys.values())).shape)
        return Shape("object", keys=tuple(keys.items()), open=is_open)

    def array(self) -> Shape:
        self.take("[")
        item: Shape | None = None
        if self.peek()[0] == "word" and self.peek()[1] not in _WORDS:  # [ as the report's, with … ]: in words
            depth = 1
            while depth:
                text = self.take()[1]
                depth += {"[": 1, "]": -1}.get(text, 0)
            return Shape("array", item=ANY)
        while self.peek()[1] != "]":
            if self.peek()[1] == ",":
                self.take()
                continue
            shape, _ = self.value()
            if item is None and shape is not ANY:
                item = shape
        self.take("]")
        return Shape("array", item=item or ANY)


def _entry(shape: Shape, notes: list[str]) -> Entry:
    said = " ".join(notes)
    return Entry(shape, sometimes=bool(re.search(r"\bonly\b|^\(--", said)), nullable="null" in said)


def read_shape(text: str, fragment: bool = False, words: dict[str, Shape] | None = None) -> Shape:
    """The shape a block shows; a ``fragment`` (some keys of an object) as an open object of them; ``words``: the
    shapes of the words the doc defines (``SUBJECT``)."""
    reader = _ShapeReader("{" + text + ", …}" if fragment else text, words or {})
    shape, _ = reader.value()
    if reader.peek()[0] != "end":
        raise ValueError(f"more after the shape: {reader.tokens[reader.at:][:5]}")
    return shape


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: a word of the notation → whether a value is one
_WORDS: dict[str, Callable[[Any], bool]] = {
    "n": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool), "true": lambda v: isinstance(v, bool),
    "false": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, str) and bool(_ISO_DATE.fullmatch(v)),
    "null": lambda v: v is None,
}
#: a string of the notation that stands for any of some values → whether a value is one
_PLACEHOLDERS: dict[str, Callable[[Any], bool]] = {
    "…": lambda v: isinstance(v, str), "citation": lambda v: isinstance(v, str),
    "VALUE": lambda v: not isinstance(v, (dict, list)),
    "YYYY-MM-DD": _WORDS["date"],
    "id@version": lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z0-9-]+@[\w.]+", v)),
}


def _is_text(shown: str, value: Any) -> bool:
    if shown in _PLACEHOLDERS:
        return _PLACEHOLDERS[shown](value)
    if not isinstance(value, str):
        return False
    if "…" in shown:
        return value.startswith(shown.partition("…")[0])
    if "|" in shown:
        return value in shown.split("|")
    return value == shown


@dataclass
class ShapeCheck:
    """What comparing a shape with values found: the problems, and the keys of the shape some value wrote
    (by path), so that a key no output writes is found."""

    problems: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)

    def compare(self, shape: Shape, value: Any, path: str = "") -> None:
        if shape.kind == "any":
            return
        if shape.kind == "either":
            for option in shape.options:
                trial = ShapeCheck()
                trial.compare(option, value, path)
                if not trial.problems:
                    self.written |= trial.written
                    return
            self.problems.append(f"{path or '/'}: {_short(value)} is none of the shapes shown")
        elif shape.kind == "string":
            if not _is_text(shape.text, value):
                self.problems.append(f"{path or '/'}: {_short(value)}, the doc shows {shape.text!r}")
        elif shape.kind == "word":
            is_one = _WORDS.get(shape.text)
            if re.fullmatch(r"-?\d+(\.\d+)?", shape.text):
                is_one = lambda v: v == float(shape.text) and not isinstance(v, bool)  # noqa: E731
            if is_one is not None and not is_one(value):
                self.problems.append(f"{path or '/'}: {_short(value)}, the doc shows {shape.text}")
        elif shape.kind == "array":
            if not isinstance(value, list):
                self.problems.append(f"{path or '/'}: {_short(value)}, the doc shows a list")
                return
            assert shape.item is not None
            for item in value:
                self.compare(shape.item, item, f"{path}[]")
        elif shape.kind == "mapping":
            if not isinstance(value, dict):
                self.problems.append(f"{path or '/'}: {_short(value)}, the doc shows an object")
                return
            assert shape.item is not None
            for item in value.values():
                self.compare(shape.item, item, f"{path}.*")
        else:
            self.compare_object(shape, value, path)

    def compare_object(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{path or '/'}: {_short(value)}, the doc shows an object")
            return
        keys = dict(shape.keys)
        if not shape.open and set(value) - set(keys):
            self.problems.append(f"{path or '/'}: writes {sorted(set(value) - set(keys))}, which the doc leaves out")
        for key, entry in keys.items():
            if key not in value:
                if not entry.sometimes:
                    self.problems.append(f"{path or '/'}: does not write {key!r}")
                continue
            self.written.add(f"{path}.{key}")
            if not (entry.nullable and value[key] is None):
                self.compare(entry.shape, value[key], f"{path}.{key}")


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 80 else text[:77] + "…"


def shown_keys(shape: Shape, path: str = "") -> set[str]:
    """The keys a shape shows, by path (``.packs[].id``; a mapping's values ``.*``)."""
    found: set[str] = set()
    if shape.kind == "object":
        for key, entry in shape.keys:
            found.add(f"{path}.{key}")
            found |= shown_keys(entry.shape, f"{path}.{key}")
    elif shape.kind in ("array", "mapping") and shape.item is not None:
        found |= shown_keys(shape.item, f"{path}[]" if shape.kind == "array" else f"{path}.*")
    elif shape.kind == "either":
        for option in shape.options:
            found |= shown_keys(option, path)
    return found
