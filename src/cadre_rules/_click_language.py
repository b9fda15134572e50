"""click's own words (usage errors, ``--help`` headings, ``[default: …]``) in the language of the command.

click translates its messages with the standard library's :func:`gettext.gettext` and
:func:`gettext.ngettext`, imported by each of its modules as ``_`` and ``ngettext``. While a command of
cadre-rules runs, :func:`click_in_language` points those names at cadre-rules' catalogue in the language of
the command (``--lang``, else the locale), and puts them back after. The message ids below are click's
(8.x), listed here so that they are extracted into our catalogue and translated with the rest.
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import click

from ._i18n import LANGS
from ._i18n import default_lang
from ._i18n import translation
from ._i18n import ui_gettext
from ._i18n import ui_lang
from .errors import N_
from .model._codes import bare

__all__ = ["CLICK_MESSAGES", "LANG_DEFAULT", "LazyText", "Words", "click_in_language", "short_help"]

_CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.formatting",
                  "click.decorators", "click.termui", "click.utils")


def ngettext(singular: str, plural: str, n: int) -> str:
    """Mark a pair for extraction (as gettext's ``ngettext`` does, in English)."""
    return singular if n == 1 else plural


#: The messages of click that a user of cadre-rules meets (click 8.x wording).
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Aborted!"), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing command."),
    N_("Missing parameter: {param_name}"), N_("Missing {param_type}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("No such command {name!r}."), N_("No such option {name!r}."), N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."), N_("Choose from:\n\t{choices}"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("Could not open file {filename!r}: {message}"),
    N_("file"), N_("directory"), N_("path"), N_("default: {default}"), N_("required"), N_("env var: {var}"),
    N_("integer"), N_("float"), N_("boolean"), N_("text"), N_("integer range"), N_("float range"),
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 2),
    ngettext("No such option: {name}", "No such option: {name}", 2),
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2),
    ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 2),
)


class LazyText(str):
    """An English message id shown in the language of the command when it is formatted (for texts click
    formats itself, such as an option's ``show_default``)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return format(ui_gettext(str.__str__(self)), spec)

    def __str__(self) -> str:
        return ui_gettext(str.__str__(self))


#: How --help shows the default of --lang (it depends on the locale).
LANG_DEFAULT = LazyText(N_("vi; en when LC_ALL, LC_MESSAGES or LANG starts with en"))


class Words(click.Choice):  # type: ignore[type-arg]  # (a choice of text: click 8.1's Choice is not generic)
    """A choice of codes that the officer gives and reads in the language of the command: ``--step quý`` (or
    ``quy``, ``Quý``) is ``--step quarter``; ``--help`` shows ``[tháng|quý|năm]``, and a wrong value is refused
    naming those words. The codes themselves are always accepted (scripts, the examples), in any language.

    ``words``: each code and the English message id of its word (``{"quarter": N_("quarter")}``), in order. A
    default given as :class:`LazyText` of its word is shown in the command's language (``[mặc định: năm]``)."""

    def __init__(self, words: Mapping[str, str]) -> None:
        super().__init__(list(words))
        self.words = dict(words)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.words:  # (a code, or the default as a LazyText: the code itself, not its word)
            return next(code for code in self.words if code == value)
        given = bare(str(value).strip())
        for code, word in self.words.items():
            if given in {bare(code), *(bare(translation(lang).gettext(word)) for lang in LANGS)}:
                return code
        t = translation(ui_lang.get() or default_lang())
        shown = ", ".join(repr(t.gettext(word)) for word in self.words.values())
        return self.fail(t.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.",
                                    len(self.words)).format(value=value, choice=shown, choices=shown), param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return "[" + "|".join(ui_gettext(word) for word in self.words.values()) + "]"


def _paragraphs(text: str) -> str:
    """``text`` as its message id: paragraphs with their whitespace collapsed, a blank line apart."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def _translated(text: str, gettext_: Callable[[str], str]) -> str:
    """A help text in the command's language; the lines of a ``\\b`` block (examples) stay as they are
    but for the ``Example:`` heading."""
    if text.startswith("\b"):
        return text.replace("Example:", gettext_(N_("Example:")), 1)
    for key in (text, _paragraphs(text)):  # as written, else its paragraphs with whitespace collapsed
        out = gettext_(key)
        if out != key:
            return out
    return text


def short_help(command: click.Command, limit: int) -> str:
    """A command's line in its group's ``--help``: its help in the command's language, cut to ``limit``
    (click cuts the English text first, and a cut text is no message id)."""
    if command.short_help:
        return _translated(command.short_help, ui_gettext)
    return click.Command(None, help=_translated(command.help or "", ui_gettext)).get_short_help_str(limit)


def _with_extras(definition: str) -> str:
    """An option's help in the command's language: the longest start of ``definition`` that is a message id
    (a help text, with its own ``[default: …]`` if it has one), then what click added after it
    (``  [default: 8080; 1<=x<=256]``, already in the command's language)."""
    cut = len(definition)
    while cut > 0:
        head = definition[:cut]
        shown = _translated(head, ui_gettext)
        if shown != head:
            return shown + definition[cut:]
        cut = definition.rfind("  [", 0, cut)
    return definition


class _HelpFormatter(click.HelpFormatter):
    """click's help formatter, with our help texts in the language of the command."""

    def write_text(self, text: str) -> None:
        super().write_text(_translated(text, ui_gettext))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        out = [(term, _with_extras(definition)) for term, definition in rows]
        super().write_dl(out, col_max, col_spacing)


@contextlib.contextmanager
def click_in_language(lang: str) -> Iterator[None]:
    """click's messages in ``lang`` until the block ends (``en``: click's own English)."""
    if lang == "en":
        yield
        return
    catalogue = translation(lang)
    previous_formatter = click.Context.formatter_class
    click.Context.formatter_class = _HelpFormatter
    patched: list[tuple[object, str, object]] = []
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click without this module
            continue
        for attr, ours, theirs in (("_", catalogue.gettext, gettext.gettext),
                                   ("ngettext", catalogue.ngettext, gettext.ngettext)):
            if getattr(module, attr, None) is theirs:
                setattr(module, attr, ours)
                patched.append((module, attr, theirs))
    # the name of a number's type, which click puts in "{value!r} is not a valid {number_type}." untranslated
    for kind in _NAMED_TYPES:
        patched.append((kind, "name", kind.__dict__["name"]))
        kind.name = catalogue.gettext(kind.__dict__["name"])
    try:
        yield
    finally:
        click.Context.formatter_class = previous_formatter
        for owner, key, before in reversed(patched):
            setattr(owner, key, before)


#: click's parameter types whose name a usage error shows (``'abc' is not a valid integer range.``).
_NAMED_TYPES: tuple[type[Any], ...] = (
    click.types.IntParamType, click.types.FloatParamType, click.IntRange, click.FloatRange,
    click.types.BoolParamType)
