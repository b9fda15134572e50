"""cadre-rules plugin of Huyện Ba Vì, a rural mountain district of Hà Nội with ethnic-minority communes.

It registers:

- the pack ``ba-vi-local`` in two versions. ``2023.12.1`` (``ba-vi-local.toml``, to 2025-06-30), scoped to
  ``Huyện Ba Vì``: a commune needs a key official trained in agricultural economics or rural tourism;
  communes where ethnic minorities are a large share of the population need ethnic-minority key officials;
  and the district's own target of 12% key officials under 35 replaces the city's 10%
  (``hanoi-de-an-34/quota.young``). ``2025.07`` (``ba-vi-local-2025.07.toml``, from 2025-07-01), scoped to
  the eight new communes of the former district by their codes: the same rules, the 12% now each commune's;
- the function ``ethnic_minority_share()``: the share of ethnic minorities in the population of the
  official's unit, read from the units file's extra column ``ethnic_minority_share``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from cadre_rules import OfficialContext
from cadre_rules import UnitContext
from cadre_rules import hookimpl
from cadre_rules.hookspecs import FunctionRegistrar
from cadre_rules.hookspecs import PackRegistrar

__all__ = ["PACK", "PACK_2025", "SHARE_COLUMN", "ethnic_minority_share"]

__version__ = "0.1.0"

#: The pack files, shipped inside the package: the district's (to 2025-06-30) and its communes' (from 2025-07-01).
PACK = Path(__file__).with_name("ba-vi-local.toml")
PACK_2025 = Path(__file__).with_name("ba-vi-local-2025.07.toml")
#: The column of units.csv (an extra column: cadre-rules keeps unknown columns) holding the share.
SHARE_COLUMN = "ethnic_minority_share"


def ethnic_minority_share(context: OfficialContext | UnitContext) -> Fraction | None:
    """The share (0..1) of ethnic minorities in the population of the unit, or ``None`` if unknown.

    Accepts ``0.35``, ``0,35`` and ``35%``. A missing, unreadable or out-of-range value is unknown,
    so that rules depending on it do not fire (cadre-rules' three-valued logic).
    """
    text = context.unit.extra.get(SHARE_COLUMN)
    if text is None:
        return None
    text = text.strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        value = Fraction(text.rstrip("%").strip())
    except (ValueError, ZeroDivisionError):
        return None
    if percent:
        value /= 100
    return value if 0 <= value <= 1 else None


@hookimpl
def cadre_rules_register_functions(register: FunctionRegistrar) -> None:
    register("ethnic_minority_share", ethnic_minority_share, returns="number",
             doc="share of ethnic minorities in the population of the official's unit "
                 f"(units column {SHARE_COLUMN!r}), 0..1")


@hookimpl
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    register(PACK)
    register(PACK_2025)
