"""The languages of cadre-rules, and the refusal of any other: where every layer can read them (the model's
``Names`` as well as ``_i18n`` and the renderers above it)."""

from __future__ import annotations

from ..errors import N_
from ..errors import InputError
from ..errors import Problem

__all__ = ["LANGS", "checked_lang"]

#: The languages of the user interface; the first is the default.
LANGS = ("vi", "en")

# TRANSLATORS: {langs} the codes of the languages, "vi, en"
_NOT_A_LANG = N_("expected a language of cadre-rules: {langs}")


def checked_lang(lang: object, name: str = "lang") -> str:
    """``lang`` if it is a language of the user interface (:data:`LANGS`), else an
    :class:`~cadre_rules.InputError` located at the argument ``name`` that shows the value given and the
    languages there are: an integrator's ``lang="fr"`` is refused rather than shown in Vietnamese."""
    if isinstance(lang, str) and lang in LANGS:
        return lang
    shown = lang if isinstance(lang, str) else repr(lang)
    raise InputError([Problem.of(name, _NOT_A_LANG, value=shown, langs=", ".join(LANGS))])
