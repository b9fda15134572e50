"""A unit as people name it: "Phường Tương Mai", "Tương Mai", "P. Tương Mai", "phường tương mai", the old tone
placement ("Hoà"), its code in any case. One place for the readers (an official's unit given by name) and for
what a user names (``--scope commune:…``, ``explain --unit``): what the workbook reads, the scope finds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..errors import N_
from ..errors import InputError
from ..errors import Problem
from ._codes import bare
from ._codes import match_key

__all__ = ["SEVERAL_UNITS", "spelt_out", "the_unit", "unit_name_keys", "units_named"]

_KIND_PREFIXES = tuple(match_key(p) + " " for p in ("xã", "phường", "thị trấn"))
#: A unit's kind abbreviated before its name, as offices write it: "P. Tương Mai", "X.Cao Viên", "TT. Tây Đằng".
_KIND_ABBREVIATED = re.compile(r"\s*(p|x|tt)\s*\.\s*", re.IGNORECASE)
_KIND_WORDS = {"p": "phường ", "x": "xã ", "tt": "thị trấn "}


def spelt_out(name: str) -> str:
    """A unit's name with its kind spelt out: "P. Tương Mai" is "phường Tương Mai"."""
    abbreviated = _KIND_ABBREVIATED.match(name)
    if abbreviated is None:
        return name
    return _KIND_WORDS[abbreviated[1].lower()] + name[abbreviated.end():]


def unit_name_keys(name: str) -> set[str]:
    """The keys a unit is found by from its name: the name, and without (or with) its kind prefix."""
    key = match_key(name)
    keys = {key}
    for prefix in _KIND_PREFIXES:
        if key.startswith(prefix):
            keys.add(key.removeprefix(prefix))
    return keys


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def units_named(ident: str, names: Mapping[str, str]) -> list[str]:
    """The codes of the units (``names``: code → name) that ``ident`` names, sorted: its code in any case; else
    its name as a workbook's unit column is read (any case, Unicode form or tone placement, with or without its
    kind, "P." for phường); else, when no name is spelt so and ``ident`` has no Vietnamese marks at all, a name
    typed without them ("Tuong Mai"; "Tương Mại" names no "Tương Mai"). Several codes: the name is borne by
    several units (the caller asks for a code); none: no such unit."""
    folded = _folded(ident)
    by_code = [code for code in names if _folded(code) == folded]
    if by_code:
        return sorted(by_code)
    spelt = spelt_out(ident.strip())
    wanted = unit_name_keys(spelt)
    key = match_key(spelt)
    keyed = {code: unit_name_keys(name) for code, name in names.items()}
    exact = sorted(code for code, keys in keyed.items() if key in keys)
    if exact:
        return exact
    found = sorted(code for code, keys in keyed.items() if wanted & keys)
    if found:
        return found
    if any(bare(k) != k for k in wanted):  # typed with marks, not those of any unit's name
        return []
    return sorted(code for code, keys in keyed.items() if wanted & {bare(k) for k in keys})


#: The reason a unit's name several units bear is refused (give its code instead).
SEVERAL_UNITS = N_("the unit name is borne by several units: {names}: give its code")


def the_unit(ident: str, names: Mapping[str, str], where: str, missing: str) -> str:
    """The code of the one unit ``ident`` names (:func:`units_named`); :class:`InputError` located at ``where``
    (the caller's argument) with the reason ``missing`` when it names none, or naming the units that bear the name
    when it names several."""
    codes = units_named(ident, names)
    if not codes:
        raise InputError([Problem(where, missing, value=ident)])
    if len(codes) > 1:
        raise InputError([Problem.of(where, SEVERAL_UNITS, value=ident,
                                     names=", ".join(f"{names[code]} ({code})" for code in codes))])
    return codes[0]
