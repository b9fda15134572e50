"""The exceptions and warnings of cadre-rules.

Every error the package raises on purpose derives from :class:`CadreRulesError`.
Errors caused by bad input are also :class:`ValueError`, so callers that already
catch ``ValueError`` keep working.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from typing import Self
from typing import TypeVar

import attrs

__all__ = [
    "Argument",
    "CadreRulesError",
    "CadreRulesWarning",
    "Column",
    "Count",
    "EvaluationError",
    "ExpressionError",
    "InputError",
    "InputNote",
    "InvalidValue",
    "Message",
    "PackError",
    "PluginError",
    "Problem",
    "RenderError",
    "Words",
    "column_text",
    "day",
    "named_by",
    "os_reason",
    "toml_reason",
]

#: How many problems of one file are reported before the rest are summarised.
MAX_PROBLEMS = 50

#: The context of the catalogue's messages that are input columns (``birth_date`` → "Ngày sinh"): see
#: :data:`cadre_rules.io._headers.COLUMN_HEADERS`.
COLUMN_CONTEXT = "column"

#: A function that translates an English message id (``gettext``); the identity keeps English.
Gettext = Callable[[str], str]


def _english(message: str) -> str:
    return message


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is printed."""
    return message


def _fill(template: str, fields: Mapping[str, object]) -> str:
    try:
        return template.format_map(fields)
    except (KeyError, ValueError, IndexError, AttributeError):  # a translation that names a field wrongly
        return template


def _translated(template: str, fields: Iterable[tuple[str, object]], gettext: Gettext) -> str:
    """``template`` filled with ``fields``, both in the language of ``gettext``: a field that is itself a message
    id (a month's name) is translated, and so is one that is an :class:`InvalidValue` (a reason in a reason)."""
    return _fill(gettext(template), {k: _translated_field(v, gettext) for k, v in fields})


#: The line of a table in a key path of a TOML file (``waiver[0] (line 3).subject``), shown in the reader's
#: language by :func:`column_text`.
KEY_LINE = N_(" (line {line})")
_KEY_LINE = re.compile(r" \(line (\d+)\)")


def column_text(column: str, gettext: Gettext = _english) -> str:
    """An input column as the reader of ``gettext`` knows it (its message of context :data:`COLUMN_CONTEXT`:
    the Vietnamese header in Vietnamese), else as it is (a JSON pointer, a header of the file, a key path
    whose ``(line 3)`` is in the reader's language).

    .. versionadded:: 0.2.0
    """
    key = f"{COLUMN_CONTEXT}\x04{column}"  # how gettext keys a message with a context (pgettext)
    shown = gettext(key)
    if shown != key:
        return shown
    if " (line " not in column:
        return column
    line = gettext(KEY_LINE)
    return _KEY_LINE.sub(lambda m: _fill(line, {"line": m.group(1)}), column)


class Column(str):
    """A field of a message that is an input column's name, shown by :func:`column_text`
    (``unknown {name} …`` with ``name=Column("position")``: "Chức vụ không hợp lệ").

    .. versionadded:: 0.2.0
    """

    __slots__ = ()


class Argument(str):
    """An argument the caller gave (or may give) where a problem is, or that its reason names, by the Python API's
    name (``scope``, ``as_of``, ``legacy_districts``): ``Problem(Argument("scope"), …)``. Each front end says it by
    its own name (:func:`named_by`): the command line its option (``--scope``), the service its query parameter
    (``scope``); the Python API as it is. ``setting``: the reason names it with the value to give it
    (``Argument("legacy_districts", True)``: ``legacy_districts=True`` in the API, ``--legacy-districts`` on the
    command line, ``legacy_districts=true`` in the service).

    .. versionadded:: 0.2.0
    """

    __slots__ = ("name", "setting")

    name: str
    setting: object

    def __new__(cls, name: str, setting: object = None) -> Argument:
        made = super().__new__(cls, name if setting is None else f"{name}={setting!r}")
        made.name = name
        made.setting = setting
        return made

    def __reduce__(self) -> tuple[object, ...]:  # (pickled whole: a service worker's problem crosses processes)
        return (Argument, (self.name, self.setting))


E = TypeVar("E", bound="CadreRulesError")

#: How a front end names an :class:`Argument` (``--scope`` for the command line).
Naming = Callable[[Argument], str]


def named_by(exc: E, naming: Naming) -> E:
    """``exc`` with each :class:`Argument` it names said by ``naming``: the one place a front end gives the caller's
    arguments its own names. Where a problem of an :class:`InputError` or :class:`PackError` is, or that its reason
    names; the backend an :class:`EvaluationError` tells to use; the format of a :class:`RenderError`. Any other
    error as it is.

    .. versionadded:: 0.2.0
    .. versionchanged:: 0.2.0 :class:`EvaluationError` and :class:`RenderError` too.
    """
    return exc._named_by(naming)


def named_text(template: str, fields: Iterable[tuple[str, object]], naming: Naming) -> str:
    """``template`` (already in its language) filled with ``fields``, each :class:`Argument` among them said by
    ``naming``: a note's text as a front end words it (``model._argument_notes``), as a problem's is."""
    return _fill(template, _named_fields(fields, naming))


def _named_fields(fields: Iterable[tuple[str, object]], naming: Naming) -> dict[str, object]:
    return {k: _Said(naming(v)) if isinstance(v, Argument) else v for k, v in fields}


def _named(problem: Problem, naming: Naming) -> Problem:
    file = naming(problem.file) if isinstance(problem.file, Argument) else problem.file
    if problem.template is None or not any(isinstance(v, Argument) for _, v in problem.fields):
        return attrs.evolve(problem, file=file)
    fields = _named_fields(problem.fields, naming)
    return attrs.evolve(Problem.of(file, problem.template, problem.row, problem.column, problem.value, **fields),
                        sheet=problem.sheet)


class _Said(str):
    """An argument as a front end names it: shown as it is in every language."""

    __slots__ = ()


def pgettext(context: str, message: str) -> str:
    """The catalogue key of ``message`` in ``context`` (how gettext keys it), marking it for extraction."""
    return f"{context}\x04{message}"


#: The thousands separator of a :class:`Count`, as the catalogue gives it for the reader's language.
_THOUSANDS = pgettext("thousands separator", ",")


#: The language of a ``gettext`` (its translation of this key: ``vi``), for the fields given in both languages.
_LANGUAGE = pgettext("language", "en")


class Words(str):
    """A field of a message given in both languages: English by ``str``, :attr:`vi` in Vietnamese (a code's
    label, ``Words("university", "Đại học")``).

    .. versionadded:: 0.2.0
    """

    __slots__ = ("vi",)

    def __new__(cls, en: str, vi: str) -> Words:
        made = super().__new__(cls, en)
        made.vi = vi
        return made

    vi: str

    def text(self, gettext: Gettext = _english) -> str:
        """The words in the language of ``gettext``."""
        return self.vi if gettext(_LANGUAGE) == "vi" else str(self)


class Count(int):
    """A field of a message that is a count, written with the thousands separator of the reader's language
    (``100,000`` in English, ``100.000`` in Vietnamese).

    .. versionadded:: 0.2.0
    """

    __slots__ = ()

    def __str__(self) -> str:
        return format(int(self), ",")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, gettext: Gettext = _english) -> str:
        """The count in the language of ``gettext``."""
        separator = gettext(_THOUSANDS)
        return str(self) if separator in (_THOUSANDS, ",") else str(self).replace(",", separator)


class Message:
    """A message id with its named fields, shown in English by ``str`` and in another language as the field of
    a located message (``Message(N_("row {row}"), row=5)`` in ``duplicate id (first seen in {first})``).

    .. versionadded:: 0.2.0
    """

    __slots__ = ("fields", "template")

    def __init__(self, template: str, **fields: object) -> None:
        self.template = template
        self.fields = tuple(fields.items())

    def __str__(self) -> str:
        return _fill(self.template, dict(self.fields))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, gettext: Gettext = _english) -> str:
        """The message in the language of ``gettext`` (English by default).

        .. versionadded:: 0.2.0
        """
        return _translated(self.template, self.fields, gettext)


def day(value: date) -> Message:
    """A date as a field of a message, written as the reader writes dates (``2025-12-31`` in English,
    ``31/12/2025`` in Vietnamese).

    .. versionadded:: 0.2.0
    """
    # TRANSLATORS: a date in a message; Vietnamese writes 31/12/2025
    return Message(N_("{year:04d}-{month:02d}-{day:02d}"), year=value.year, month=value.month, day=value.day)


#: What the system says of a file it cannot read or write, by ``errno`` (its words on Linux: English keeps them),
#: translated for the reader.
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EADDRINUSE: N_("Address already in use"),
    errno.EADDRNOTAVAIL: N_("Cannot assign requested address"),
}


def os_reason(exc: OSError) -> Message:
    """Why a file could not be read or written, as a field of a message: in the reader's language for what is
    common (no such file, permission denied…), else the system's own words (``exc.strerror``).

    .. versionadded:: 0.2.0
    """
    template = _OS_REASONS.get(exc.errno or 0)
    if template is not None:
        return Message(template)
    text = exc.strerror or str(exc)
    return Message("{reason}", reason=Words(text, text))


#: The reasons Python's TOML parser gives (``tomllib``, Python 3.11–3.13), in words of the reader's language; the
#: others (naming a key or a character) are shown as the parser says them.
_TOML_REASONS = frozenset({
    N_("Cannot overwrite a value"), N_("Escaped character is not a Unicode scalar value"),
    N_("Expected '=' after a key in a key/value pair"), N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_("Expected newline or end of document after a statement"), N_("Invalid date or datetime"),
    N_("Invalid hex value"), N_("Invalid initial character for a key part"), N_("Invalid statement"),
    N_("Invalid value"), N_("Unclosed array"), N_("Unclosed inline table"), N_("Unterminated string"),
})
_TOML_AT = re.compile(r"(?P<reason>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)", re.S)


def toml_reason(exc: ValueError) -> Message:
    """Why a TOML text could not be parsed (a :class:`tomllib.TOMLDecodeError`), as a field of a message: the
    parser's reason in the reader's language where it is known, and where (``at line 3, column 7``).

    .. versionadded:: 0.2.0
    """
    text = str(exc)
    at = _TOML_AT.fullmatch(text)
    said = text if at is None else at["reason"]
    reason = Message(said) if said in _TOML_REASONS else Message("{said}", said=Words(said, said))
    if at is None:
        return reason
    if at["line"] is None:
        return Message(N_("{reason} (at end of document)"), reason=reason)
    return Message(N_("{reason} (at line {line}, column {column})"), reason=reason, line=int(at["line"]),
                   column=int(at["column"]))


def _translated_field(value: object, gettext: Gettext) -> object:
    if isinstance(value, (Argument, _Said)):  # (a name, the same in every language)
        return str(value)
    if isinstance(value, (Count, Words)):
        return value.text(gettext)
    if isinstance(value, (InvalidValue, Message)):
        return _translated(value.template, value.fields, gettext)
    if isinstance(value, Column):
        return column_text(value, gettext)
    if isinstance(value, Problem):  # (a located problem in a message: a plugin's pack that conflicts)
        return value.text(gettext)
    return gettext(value) if isinstance(value, str) and value else value


@attrs.frozen
class Problem:
    """One located problem in an input file or a policy pack.

    :param file: the file name (or ``<string>``).
    :param reason: what is wrong, in plain words.
    :param row: 1-based row of a CSV/XLSX file (the header is row 1), or ``None``.
    :param column: column name, or the JSON pointer / TOML key path.
    :param value: the offending value, as read.
    :param sheet: the sheet of a workbook, or ``None``.
    :param template: the English message id ``reason`` was formatted from (``{name}`` fields), so that
        :meth:`text` can show the reason in another language; ``None``: ``reason`` is its own id.
    :param fields: the named values of ``template``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``sheet``, ``template``, ``fields``, :meth:`of` and :meth:`text`.
    """

    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None
    template: str | None = attrs.field(default=None, eq=False, kw_only=True)
    fields: tuple[tuple[str, object], ...] = attrs.field(default=(), eq=False, kw_only=True)

    @classmethod
    def of(cls, file: str, template: str | Message | InvalidValue, row: int | None = None,
           column: str | None = None, value: str | None = None, **fields: object) -> Problem:
        """A problem whose reason is ``template`` (an English message id marked with ``N_``) filled with
        ``fields``: ``Problem.of(f, N_("unknown {column} code"), 3, "position", "x", column="position")``;
        or a :class:`Message` or :class:`InvalidValue` (its template and fields)."""
        if isinstance(template, (Message, InvalidValue)):
            fields = {**dict(template.fields), **fields}
            template = template.template
        return cls(file, _fill(template, fields), row, column, value, template=template,
                   fields=tuple(fields.items()))

    @classmethod
    def at(cls, file: str, column: str, reason: str | Message | InvalidValue, value: object = None) -> Problem:
        """A problem at ``column`` (a key) of ``file``: ``reason`` a message with an id (shown in the reader's
        language) or plain text; ``value`` shown as read (text as it is, anything else by its ``repr``).

        .. versionadded:: 0.2.0
        """
        shown = None if value is None else (value if isinstance(value, str) else repr(value))
        if isinstance(reason, (Message, InvalidValue)):
            return cls.of(file, reason, column=column, value=shown)
        return cls(file, reason, column=column, value=shown)

    def text(self, gettext: Gettext = _english) -> str:
        """The located problem in the language of ``gettext`` (English by default): file, row, column,
        the reason and the offending value."""
        where = self.file + self.sheet_text(gettext)
        if self.row is not None:
            where += gettext(N_(", row {row}")).format(row=self.row)
        if self.column is not None:
            where += f", {column_text(self.column, gettext)}"
        # a field that is itself a message id (a month's name) is translated too
        reason = _translated(self.template, self.fields, gettext) if self.template else gettext(self.reason)
        text = f"{where}: {reason}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += gettext(N_(" (got {value})")).format(value=repr(shown))
        return text

    def sheet_text(self, gettext: Gettext = _english) -> str:
        """``, sheet 'Cán bộ'`` (in the language of ``gettext``), or nothing outside a workbook."""
        return "" if self.sheet is None else gettext(N_(", sheet {sheet}")).format(sheet=repr(self.sheet))

    def __str__(self) -> str:
        return self.text()


class InvalidValue(ValueError):
    """A value that cannot be parsed, its reason an English message id with named fields, so that the
    located :class:`Problem` made of it can be shown in another language.

    ``InvalidValue(N_("impossible date: {text} (the month must be between 1 and 12)"), text=text)``

    .. versionadded:: 0.2.0
    """

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(_fill(template, fields))
        self.template = template
        self.fields = tuple(fields.items())


class _Templated:
    """An error's or a warning's message id (``template``, ``None``: its text is its message as given) and the named
    ``fields`` it is filled with, said in another language by :meth:`text`."""

    template: str | None
    fields: dict[str, object]

    def _hold(self, template: str | None, fields: Mapping[str, object] | None) -> None:
        self.template = template
        self.fields = dict(fields or {})

    def text(self, gettext: Gettext = _english) -> str:
        """The message in the language of ``gettext`` (English by default)."""
        if self.template is None:
            return gettext(str(self))
        return _translated(self.template, self.fields.items(), gettext)


class CadreRulesError(Exception):
    """Root of every error raised by cadre-rules.

    .. versionadded:: 0.1.0
    """

    def text(self, gettext: Gettext = _english) -> str:
        """The error's message in the language of ``gettext`` (English by default).

        .. versionadded:: 0.2.0
        """
        return gettext(str(self))

    def _named_by(self, naming: Naming) -> Self:
        """This error with the caller's arguments it names said by ``naming`` (:func:`named_by`): as it is."""
        return self


class _ProblemsError(CadreRulesError, ValueError):
    """An error carrying one or more located :class:`Problem` objects."""

    kind = "error"

    #: The head of the message for one problem and for several (English message ids).
    heads = (N_("{count} error problem"), N_("{count} error problems"))

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.text())

    def _named_by(self, naming: Naming) -> Self:
        if not any(isinstance(p.file, Argument) or any(isinstance(v, Argument) for _, v in p.fields)
                   for p in self.problems):
            return self
        return type(self)([_named(p, naming) for p in self.problems])

    def text(self, gettext: Gettext = _english) -> str:
        shown = [p.text(gettext) for p in self.problems[:MAX_PROBLEMS]]
        rest = len(self.problems) - len(shown)
        if rest > 0:
            shown.append(gettext(N_("... and {rest} more problem(s)")).format(rest=rest))
        count = len(self.problems)
        head = gettext(self.heads[count != 1]).format(count=count)
        return head + ":\n  " + "\n  ".join(shown)


class InputError(_ProblemsError):
    """Officials or units data that cannot be read or fails validation.

    :attr problems: every located :class:`Problem` found in the file(s).

    .. versionadded:: 0.1.0
    """

    kind = "input"
    heads = (N_("{count} input problem"), N_("{count} input problems"))


class PackError(_ProblemsError):
    """A policy pack that cannot be loaded: bad TOML, unknown keys, wrong types,
    unknown fields or functions in expressions, duplicate rule ids.

    The pack is rejected whole.

    .. versionadded:: 0.1.0
    """

    kind = "policy pack"
    heads = (N_("{count} policy pack problem"), N_("{count} policy pack problems"))


class ExpressionError(CadreRulesError, ValueError):
    """A pack expression that is not in the safe subset or does not type-check.

    :param reason: what is wrong: text, or a :class:`Message` (shown in another language by :meth:`text`).
    :param expression: the expression text.
    :param suggestion: a close field or function name, if any.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``reason`` may be a :class:`Message`; :attr:`message`.
    """

    def __init__(self, reason: str | Message, expression: str = "", suggestion: str | None = None) -> None:
        #: the reason as a message id with its fields (``None``: :attr:`reason` is its own id)
        self.message = reason if isinstance(reason, Message) else None
        self.reason = str(reason)
        self.expression = expression
        self.suggestion = suggestion
        super().__init__(self.text())

    def text(self, gettext: Gettext = _english) -> str:
        message = self.message
        text = gettext(self.reason) if message is None else _translated(message.template, message.fields, gettext)
        if self.suggestion:
            text += gettext(N_(" (did you mean {suggestion}?)")).format(suggestion=repr(self.suggestion))
        return text


class PluginError(CadreRulesError):
    """A plugin that failed to load, raised in a hook, or returned garbage.

    :param plugin: the plugin's name.
    :param reason: what went wrong (a :class:`Message`: shown in the reader's language; :attr:`reason` is
        its English text).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``reason`` may be a :class:`Message`.
    """

    def __init__(self, plugin: str, reason: str | Message) -> None:
        self.plugin = plugin
        self.reason = str(reason)
        self._reason = reason
        super().__init__(self.text())

    def text(self, gettext: Gettext = _english) -> str:
        return gettext(N_("plugin {plugin}: {reason}")).format(plugin=repr(self.plugin),
                                                                reason=_translated_field(self._reason, gettext))


class EvaluationError(_Templated, CadreRulesError, RuntimeError):
    """The rule engine failed or exceeded its time bound while evaluating.

    ``EvaluationError(text)``, or ``EvaluationError(text, template=N_("… {backend} …"), fields={…})`` for an error
    that :meth:`text` can show in another language, naming the caller's arguments (an :class:`Argument` among
    ``fields``) as each front end names them (:func:`named_by`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``template`` and ``fields``.
    """

    def __init__(self, *args: object, template: str | None = None,
                 fields: Mapping[str, object] | None = None) -> None:
        if template is not None and not args:
            args = (_fill(template, dict(fields or {})),)
        super().__init__(*args)
        self._hold(template, fields)

    def _named_by(self, naming: Naming) -> Self:
        if self.template is None or not any(isinstance(v, Argument) for v in self.fields.values()):
            return self
        fields = _named_fields(self.fields.items(), naming)
        return type(self)(_fill(self.template, fields), template=self.template, fields=fields)


class RenderError(CadreRulesError, RuntimeError):
    """A format could not be written: e.g. ``--format pdf`` without Chromium to print it.

    :param format_name: the format's name (``pdf``).
    :param reason: what went wrong, and what to do (a message id, filled with ``fields``).

    The message begins with the format as the caller chose it (:attr:`format`, said by each front end its own way:
    :func:`named_by`): ``format='pdf': …`` in Python, ``--format pdf: …`` on the command line, ``format=pdf: …`` in
    the service.

    .. versionadded:: 0.2.0
    """

    def __init__(self, format_name: str, reason: str, **fields: object) -> None:
        self.format_name = format_name
        self.template = reason
        self.fields = tuple(fields.items())
        self.reason = _fill(reason, fields)
        #: The format as the caller chose it: an :class:`Argument`, or as a front end names it.
        self.format: str = Argument("format", format_name)
        super().__init__(f"{self.format}: {self.reason}")

    def text(self, gettext: Gettext = _english) -> str:
        return f"{self.format}: {self.reason_text(gettext)}"

    def _named_by(self, naming: Naming) -> Self:
        if not isinstance(self.format, Argument):
            return self
        named = type(self)(self.format_name, self.template, **dict(self.fields))
        named.format = naming(self.format)
        named.args = (f"{named.format}: {named.reason}",)
        return named

    def reason_text(self, gettext: Gettext = _english) -> str:
        """What went wrong (:attr:`reason`) in the language of ``gettext``, without the format's option.

        .. versionadded:: 0.2.0
        """
        return _translated(self.template, self.fields, gettext)


class CadreRulesWarning(_Templated, UserWarning):
    """Base class of the warnings issued by cadre-rules.

    ``CadreRulesWarning(text)``, or ``CadreRulesWarning(text, template=N_("… {name} …"), fields={…})`` for
    a warning that :meth:`text` can show in another language.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``template``, ``fields`` and :meth:`text`.
    """

    def __init__(self, *args: object, template: str | None = None,
                 fields: Mapping[str, object] | None = None) -> None:
        super().__init__(*args)
        self._hold(template, fields)


class InputNote(CadreRulesWarning):
    """How a file was read, when it was read otherwise than as written: ids made from the sheet and row
    (no id column), dates of a month and a year only read as the first of the month, a CSV read as
    Windows-1258. The message names the file (and sheet), never a person.

    .. versionadded:: 0.2.0
    """

    def __init__(self, *args: object, template: str | None = None, fields: Mapping[str, object] | None = None,
                 problem: Problem | None = None) -> None:
        super().__init__(*args, template=template, fields=fields)
        #: the note as a located :class:`Problem` (file, sheet, reason), shown in any language by :meth:`text`
        self.problem = problem

    @classmethod
    def of(cls, problem: Problem) -> InputNote:
        """The note ``problem`` (located like a problem: ``file, sheet 'Cán bộ': …``).

        .. versionadded:: 0.2.0
        """
        return cls(problem.text(), problem=problem)

    def text(self, gettext: Gettext = _english) -> str:
        if self.problem is not None:
            return self.problem.text(gettext)
        return super().text(gettext)
