"""The language of the user interface: gettext catalogues, the default language, code labels.

Finding messages come from the packs' bilingual texts. Every other string a user sees — headings,
labels, notes, the explain and training views — is written in English in the code, marked for
extraction (``_()``, ``ngettext()``, ``pgettext()`` on a translation, or :func:`N_` for a string
translated later), and translated at run time by the standard library's :mod:`gettext` from
``locale/vi/LC_MESSAGES/cadre_rules.mo``. English is the source language: it has no catalogue.

Babel is needed only to maintain the catalogues (``scripts/i18n.sh``), not at run time.
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import os
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

from .errors import N_
from .model._codes import Vocabulary
from .model._langs import LANGS
from .model._langs import checked_lang
from .model._types import Natural
from .model._types import ValueType

__all__ = ["DOMAIN", "LANGS", "LOCALE_DIR", "N_", "checked_lang", "cli_lang", "code_label", "command_lang",
           "default_lang", "label", "translation", "ui_gettext", "ui_lang"]

DOMAIN = "cadre_rules"
LOCALE_DIR = Path(__file__).parent / "locale"
_SOURCE = "en"


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``"en"`` when the locale (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``) starts with ``en``, else ``"vi"``."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "en" if value.casefold().startswith("en") else "vi"
    return "vi"


def cli_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of a command line's messages, known before click parses it (its errors and ``--help``
    need it): the last ``--lang vi|en`` (or ``--lang=…``) before a ``--``, else :func:`default_lang`."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in LANGS else default_lang(environ)


#: The language of the messages of the command being run (the CLI sets it from :func:`cli_lang`).
ui_lang: contextvars.ContextVar[str | None] = contextvars.ContextVar("cadre_rules_ui_lang", default=None)


def command_lang() -> str:
    """The default of a command's ``--lang``: the language of the command line (:data:`ui_lang`, so that
    ``cadre-rules --lang en packs list`` is English too), else the locale's."""
    return ui_lang.get() or default_lang()


def ui_gettext(message: str) -> str:
    """``message`` in the language of the command being run (:data:`ui_lang`, else the locale's)."""
    return translation(ui_lang.get() or default_lang()).gettext(message)


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (``"vi"`` or ``"en"``; anything else: :func:`checked_lang`'s
    :class:`~cadre_rules.InputError`). Every text of a report, a view or a message in a language comes
    through here, so that every public entry point taking ``lang`` refuses an unknown one alike.

    English returns the source strings unchanged. A missing Vietnamese catalogue falls back to
    English rather than failing (the test suite checks that the catalogue is there and complete).
    """
    if checked_lang(lang) == _SOURCE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["vi"], fallback=True)


def label(value_type: ValueType, value: Natural | None, lang: str) -> Natural | None:
    """A code value as a reader of ``lang`` knows it: the Vietnamese label in ``vi``, the code in ``en``."""
    if lang == _SOURCE or value is None or value_type.kind != "code" or not isinstance(value, str):
        return value
    try:
        return value_type.vocabulary.label(value)
    except KeyError:  # pragma: no cover - values of code fields are validated codes
        return value


def code_label(vocabulary: Vocabulary, code: str, lang: str) -> str:
    """A code in words: its Vietnamese label in ``vi``; in ``en`` the code as English words
    (``front_chair`` → ``Front chair``), so that neither output shows the other's codes."""
    if lang != _SOURCE:
        try:
            return vocabulary.label(code)
        except KeyError:
            return code
    return code.replace("_", " ").capitalize()
