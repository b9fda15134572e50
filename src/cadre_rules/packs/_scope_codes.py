"""The unit codes a pack's ``[scope] units`` names that the units do not have, each with the code it probably meant
(did-you-mean, as ``plugin new --commune`` says of a code not in its ``--units`` file): for the note of a report
(:func:`~cadre_rules.report._coverage.pack_scope_notes`) and for ``packs validate --units FILE``, which refuses them.
"""

from __future__ import annotations

from collections.abc import Collection

from ..errors import N_
from ..errors import Message
from ..errors import Problem
from ._packs import Pack

__all__ = ["closest_code", "misspelt_units", "unknown_scope_units"]

#: The shortest code a suggestion is made for, or of: among codes of two or three characters (``X1``, ``X2``) one
#: character is another unit, not a slip.
_SHORTEST = 4
#: How many codes a suggestion names.
_SHOWN = 3


def _distance(a: str, b: str) -> int:
    """How many characters to change, add, leave out or swap with the next to make ``a`` into ``b`` (optimal string
    alignment distance)."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        above, row = row, [i]
        for j, y in enumerate(b, 1):
            row.append(min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], before[j - 2] + 1)
        before = above
    return row[-1]


def closest_code(code: str, codes: Collection[str]) -> str | None:
    """The codes of ``codes`` one character from ``code`` (one changed, added, left out, or two swapped: ``00332``,
    ``0322``, ``003222``, ``03022`` for ``00322``), in order and joined by " / " when several; ``None`` if none. (Not
    :mod:`difflib`'s likeness, which ``plugin new --commune`` uses for names and codes alike: among codes of five
    digits, ``00433`` is as like ``00332`` as ``00322`` is.) The first :data:`_SHOWN`, then "…"."""
    code = code.strip()
    if len(code) < _SHORTEST:
        return None
    near = sorted(c for c in codes if len(c) >= _SHORTEST and abs(len(c) - len(code)) <= 1 and _distance(code, c) == 1)
    return " / ".join([*near[:_SHOWN], *(["…"] if len(near) > _SHOWN else [])]) or None


def misspelt_units(pack: Pack, codes: Collection[str]) -> dict[str, str]:
    """The codes of ``pack``'s ``[scope] units`` not among ``codes`` that are near one of them → that one."""
    out = {}
    for code in pack.scope_units:
        if code not in codes:
            near = closest_code(code, codes)
            if near is not None:
                out[code] = near
    return out


def unknown_scope_units(pack: Pack, codes: Collection[str], units_file: str) -> list[Problem]:
    """A problem per code of ``pack``'s ``[scope] units`` not among ``codes`` (those of ``units_file``), located at
    the pack's file and key ``scope.units``, with the code it probably meant."""
    return [Problem.of(pack.path or pack.ref, _UNKNOWN, column="scope.units", value=code, units=units_file,
                       hint=Message(_HINT, code=near) if (near := closest_code(code, codes)) else "")
            for code in pack.scope_units if code not in codes]


# TRANSLATORS: {units} the units file given with --units; {hint} "; did you mean …?" or nothing
_UNKNOWN = N_("no unit of this code in {units}{hint}")
_HINT = N_("; did you mean {code}?")
