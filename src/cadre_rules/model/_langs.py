"""The languages of cadre-rules, and the refusal of any other: where every layer can read them (the model's
``Names`` as well as ``_i18n`` and the renderers above it)."""

from __future__ import annotations

from ..errors import N_
from ..errors import InputError
from ..errors import Problem

__all__ = ["LANGS", "a_lang", "checked_lang"]

#: The languages of the user interface; the first is the default.
LANGS = ("vi", "en")

# TRANSLATORS: {langs} the codes of the languages, "vi, en"
_NOT_A_LANG = N_("expected a language of cadre-rules: {langs}")


def checked_lang(lang: object, name: str = "lang") -> str:
    """``lang`` if it is a language of the user interface (:data:`LANGS`), else an
    :class:`~cadre_rules.InputError` located at the argument ``name`` that shows the value given and the
    languages there are: an integrator's ``lang="fr"`` is refused rather than shown in Vietnamese."""
    found = a_lang(name, lang)
    if found is not None:
        raise InputError([found])
    return lang  # type: ignore[return-value]  # (checked: one of LANGS)


def a_lang(name: str, lang: object) -> Problem | None:
    """The problem of ``lang`` (the argument ``name``) if it is not a language of :data:`LANGS`: the value given
    shown with the languages there are."""
    if isinstance(lang, str) and lang in LANGS:
        return None
    shown = lang if isinstance(lang, str) else repr(lang)
    return Problem.of(name, _NOT_A_LANG, value=shown, langs=", ".join(LANGS))
