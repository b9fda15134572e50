"""A condition of an explanation (``cadre-rules explain``) as the officer reads it (session 18).

The explanation showed each condition as the pack writes it, then the field's value in words
(``months_to_retirement >= 120    [số tháng đến tuổi nghỉ hưu: 150]``): the officer read code first. In
Vietnamese the line now says the condition in words first, with the field named as the reports name it
(:mod:`._labels`) and the official's (the unit's) value, then the pack's expression, marked as such, for the
integrator: ``số tháng đến tuổi nghỉ hưu từ 120 trở lên — hiện là: 150    (biểu thức trong gói:
months_to_retirement >= 120)``. English keeps the integrator's line (``months_to_retirement >= 120
[months_to_retirement = 150]``), and the json its entries (``condition``, ``field``, ``op``, ``target``).
A condition with no name for its field (a quota's share) keeps the expression first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .._i18n import N_
from .._i18n import translation
from ..model._report_records import JSONValue
from ._labels import field_text
from ._labels import has_name
from ._labels import yes_no

__all__ = ["condition_words", "said_condition"]

#: A condition's comparison in words: the field's name, then the target; a date's before or after it.
_OPS = {">=": N_("{field} {target} or more"), ">": N_("{field} over {target}"), "<": N_("{field} under {target}"),
        "<=": N_("{field} at most {target}"), "==": N_("{field}: {target}"), "!=": N_("{field}: not {target}"),
        "in": N_("{field}: one of {target}"), "not in": N_("{field}: none of {target}"),
        "is None": N_("{field}: empty"), "is not None": N_("{field}: filled in")}
_DATE_OPS = {">=": N_("{field} on or after {target}"), ">": N_("{field} after {target}"),
             "<": N_("{field} before {target}"), "<=": N_("{field} on or before {target}")}
_NEGATED = {">=": "<", ">": "<=", "<": ">=", "<=": ">", "==": "!=", "!=": "==", "in": "not in", "not in": "in",
            "is None": "is not None", "is not None": "is None"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def condition_words(entry: Mapping[str, JSONValue], lang: str, *, negated: bool = False) -> str | None:
    """The condition of a leaf ``entry`` (a comparison of a field) in words of ``lang``; ``negated``: of ``not`` it
    (``số tháng giữ chức vụ dưới 24`` for ``not months_in_post >= 24``). ``None`` for a node of ``and``/``or``/
    ``not`` and for a field with no name in words."""
    field, op = entry.get("field"), entry.get("op")
    if not isinstance(field, str) or not isinstance(op, str) or op not in _OPS or not has_name(field, lang):
        return None
    t = translation(lang)
    op = _NEGATED[op] if negated else op
    name = field_text(field, None, lang)[0]
    target = entry.get("target")
    if isinstance(target, bool) and op in ("==", "!="):  # a yes/no field: what it has to be
        return t.gettext(_OPS["=="]).format(field=name, target=yes_no(target == (op == "=="), lang))
    if entry.get("target_value", _NONE) is not _NONE and isinstance(target, str):  # two fields compared
        shown = field_text(target, None, lang)[0]
    else:
        shown = field_text(field, target, lang)[1]
    template = _DATE_OPS.get(op) if isinstance(target, str) and _DATE.fullmatch(target) else None
    return t.gettext(template or _OPS[op]).format(field=name, target=shown)


_NONE = object()


def said_condition(entry: Mapping[str, JSONValue], lang: str, shown: str, *, negated: bool = False,
                   expression: str | None = None) -> str:
    """The text of a leaf's line after its mark: in words with the value and the pack's expression after it,
    marked (:func:`condition_words`), where ``lang`` is not English and the field has a name; else the pack's
    ``expression`` (default: the entry's ``condition``) and ``shown`` (the field's value, between brackets)."""
    expression = str(entry["condition"]) if expression is None else expression
    words = None if lang == "en" else condition_words(entry, lang, negated=negated)
    if words is None:
        return f"{expression}    [{shown}]"
    value = field_text(str(entry["field"]), entry.get("value"), lang)[1]
    t = translation(lang)
    return t.gettext("{condition} — value: {value}    (in the pack: {expression})").format(
        condition=words, value=value or t.gettext("missing"), expression=expression)
