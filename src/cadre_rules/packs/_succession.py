"""Packs over time: which version of a pack is in force on a date, and what replaced what.

The versions of one pack id succeed each other: each is in force from its ``effective.from`` until the
next version takes effect (or its own ``effective.to``). A *revision* of a version (:func:`is_revision`:
``2025.10.1`` of ``2025.10``, ``2025.10.2`` of ``2025.10.1``) in force from the same day takes its place from that
day: the revised version is in force on no day, and stays loadable by ``ID@VERSION`` (a released version is never
changed or removed). A pack may also replace packs of other ids
(``[pack] replaces = ["vn-nd33-2023"]``): the latest version of each that began before it ends when it
begins. Two packs in force on the same day for the same units that both define a rule id, where
neither replaces the other nor overrides that rule, are a conflict: the engine would decide the same
thing twice, so the packs are refused with a located message instead of one being chosen silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from itertools import pairwise

import attrs

from ..errors import N_
from ..errors import Message
from ..errors import Problem
from ..errors import Words
from ..errors import day
from ._packs import Pack

__all__ = ["Conflict", "conflicts", "in_force", "is_revision", "last_day", "succeed", "versions_by_id"]


def _start(pack: Pack) -> date:
    return pack.effective_from or date.min


def is_revision(later: str, earlier: str) -> bool:
    """Whether version ``later`` is a revision of ``earlier``: the same first two parts (the version as released,
    ``2025.10``), and numbered parts after them that come later (``2025.10.1`` of ``2025.10``, ``2025.10.2`` of
    ``2025.10.1``; ``2025.11`` is no revision of ``2025.10``)."""
    old, new = earlier.split("."), later.split(".")
    if len(old) < 2 or len(new) < 3 or old[:2] != new[:2] or not all(p.isdigit() for p in (*old[2:], *new[2:])):
        return False
    return tuple(map(int, new[2:])) > tuple(map(int, old[2:]))


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A version's order among versions of one day: numbers as numbers (``2025.10.10`` after ``2025.10.9``)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split("."))


def last_day(pack: Pack) -> date | None:
    """The last day the pack is in force (``None``: open-ended), its successor taken into account."""
    ends = [d for d in (pack.effective_to,
                        pack.superseded_on - timedelta(days=1) if pack.superseded_on and pack.superseded_on > date.min
                        else None) if d]
    return min(ends) if ends else None


def versions_by_id(packs: Iterable[Pack]) -> dict[str, list[Pack]]:
    """The packs grouped by id, each group in the order its versions take effect."""
    groups: dict[str, list[Pack]] = defaultdict(list)
    for pack in packs:
        groups[pack.id].append(pack)
    return {k: sorted(v, key=lambda p: (_start(p), _version_key(p.version))) for k, v in groups.items()}


def succeed(packs: Sequence[Pack]) -> list[Pack]:
    """``packs`` (same order) with ``superseded_on`` and ``successor`` set from versions and ``replaces``."""
    by_ref: dict[str, Pack] = {p.ref: p for p in packs}
    groups = versions_by_id(packs)

    def ends(pack: Pack, successor: Pack) -> None:
        current = by_ref[pack.ref]
        on = successor.effective_from
        revised = successor.id == pack.id and _start(pack) == _start(successor) \
            and is_revision(successor.version, pack.version)
        if revised:  # a revision from the same day: the revised version is in force on no day
            on = _start(pack)
        elif on is None or _start(pack) >= on:
            return
        if current.superseded_on is None or current.superseded_on > on:
            by_ref[pack.ref] = attrs.evolve(current, superseded_on=on, successor=successor.ref)

    for versions in groups.values():
        for earlier, later in pairwise(versions):
            ends(earlier, later)
    for pack in packs:
        if pack.effective_from is None:
            continue
        for other in pack.replaces:
            before = [p for p in groups.get(other, []) if _start(p) < pack.effective_from]
            if before:
                ends(before[-1], pack)
    return [by_ref[p.ref] for p in packs]


def in_force(packs: Iterable[Pack], on: date) -> list[Pack]:
    """The packs in force on ``on`` (at most one version per id once :func:`succeed` has run)."""
    return [p for p in packs if p.in_effect(on)]


@attrs.frozen
class Conflict:
    """Two packs that cannot both be in force as registered; ``second`` is the one to blame.

    :attr message: why, as a message id with its fields (shown in the reader's language by :meth:`problem`'s
        :meth:`~cadre_rules.errors.Problem.text`); :attr:`reason` is its English text.
    """

    first: Pack
    second: Pack
    message: Message
    key: str

    @property
    def reason(self) -> str:
        """Why, in English."""
        return str(self.message)

    def problem(self) -> Problem:
        """The conflict located in the blamed pack's file, at its key, the pack's ``id@version`` as the value."""
        return Problem.of(self.second.path or self.second.ref, self.message, column=self.key, value=self.second.ref)


def _as_is(text: str) -> Words:
    """A field shown as it is in every language (a pack id, a version, a file, a rule id)."""
    return Words(text, text)


def _day(value: date | None) -> Message | str:
    """A date of a pack's period as the reader writes dates, ``…`` for none."""
    return "…" if value is None else day(value)


def _period(pack: Pack) -> Message:
    return Message(_PERIOD, start=_day(pack.effective_from), end=_day(last_day(pack)))


# TRANSLATORS: the period a pack is in force: its first and last day (… for open)
_PERIOD = N_("{start} – {end}")
_TWICE = N_("pack {pack} version {version} is registered twice (also {other})")
_SAME_START = N_("versions {earlier} and {later} of pack {pack} both take effect on {on}: give each version its own "
                 "effective.from")
_SAME_START_UNDATED = N_("versions {earlier} and {later} of pack {pack} both take effect on any date: give each "
                         "version its own effective.from")
_TOO_LONG = N_("version {earlier} of pack {pack} says it is in force to {to}, but version {later} takes effect on "
               "{on}: end the earlier one the day before")
# TRANSLATORS: [pack] replaces = [...], [[override]] and effective are keys of a pack file: kept as they are
_OVERLAP = N_("in force ({period}) for the same units as {other} ({other_period}) from {on}, and both define rule "
              "{rules}: say which replaces the other ([pack] replaces = [\"{other_id}\"]), override the rule "
              "([[override]]), or end one's effective period")


def _same_units(a: Pack, b: Pack) -> bool:
    if not a.scoped or not b.scoped:
        return True
    return bool(set(a.scope_districts) & set(b.scope_districts) or set(a.scope_units) & set(b.scope_units))


def _never(pack: Pack) -> bool:
    """Whether a revision from the same day took the pack's place: it is in force on no day."""
    return pack.superseded_on is not None and pack.superseded_on <= _start(pack)


def _overlap(a: Pack, b: Pack) -> date | None:
    """The first day both are in force, or ``None``."""
    if _never(a) or _never(b):
        return None
    first = max(_start(a), _start(b))
    ends = [d for d in (last_day(a), last_day(b)) if d is not None]
    return first if not ends or first <= min(ends) else None


def conflicts(packs: Sequence[Pack]) -> list[Conflict]:
    """Versions that collide, and packs of different ids in force together that would decide the same rule.

    Run on the packs after :func:`succeed`.
    """
    found: list[Conflict] = []
    for versions in versions_by_id(packs).values():
        for earlier, later in pairwise(versions):
            if earlier.version == later.version:
                found.append(Conflict(earlier, later, Message(_TWICE, pack=_as_is(later.id),
                                                              version=_as_is(later.version),
                                                              other=_as_is(earlier.path or earlier.ref)),
                                      "pack.version"))
            elif _start(earlier) == _start(later) and not is_revision(later.version, earlier.version):
                start = later.effective_from
                found.append(Conflict(earlier, later, Message(_SAME_START_UNDATED if start is None else _SAME_START,
                                                              earlier=_as_is(earlier.version),
                                                              later=_as_is(later.version), pack=_as_is(later.id),
                                                              on="" if start is None else day(start)),
                                      "pack.effective.from"))
            elif earlier.effective_to is not None and later.effective_from is not None \
                    and earlier.effective_to >= later.effective_from:
                found.append(Conflict(earlier, later, Message(_TOO_LONG, earlier=_as_is(earlier.version),
                                                              pack=_as_is(later.id), to=day(earlier.effective_to),
                                                              later=_as_is(later.version),
                                                              on=day(later.effective_from)), "pack.effective.to"))
    ordered = list(packs)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if a.id == b.id or a.id in b.replaces or b.id in a.replaces or not _same_units(a, b):
                continue
            on = _overlap(a, b)
            if on is None:
                continue
            waived = {o.rule for o in a.overrides if o.pack == b.id} | {o.rule for o in b.overrides if o.pack == a.id}
            shared = sorted(set(a.rule_ids) & set(b.rule_ids) - waived)
            if shared:
                found.append(Conflict(a, b, Message(_OVERLAP, period=_period(b), other=_as_is(a.ref),
                                                    other_period=_period(a), on=day(on),
                                                    rules=_as_is(", ".join(shared)), other_id=_as_is(a.id)),
                                      "pack.effective"))
    return found
