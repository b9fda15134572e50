"""Officials' outcomes carried from one run of a program to the next (the steps of a projection).

What the conditions of a program make for an official (the tallies and quota populations it counts in)
is decided by the values of the fields the conditions read. A field that is an attribute of the record
(``official.position``, ``unit.kind``) has the same value on every date; any other field (``age``,
``months_to_retirement``, ``on_secondment``, the current rating, a plugin's value…) may change with the
date. An official whose record is the same object as on the previous run and whose date-dependent fields
are in the same *classes* (:class:`~cadre_rules.engine._classes.Classifier`: on the same side of every literal
the conditions compare them with — an age of 34 and one of 35 apart, 36 and 50 alike) satisfies the same
conditions: the outcome of the previous run is carried over. Only the others are decided again: a 35th
birthday, months to retirement crossing 12, a rating leaving the look-back window, a record a plan event
changed, an official not there before.

A run costs in proportion to what changed: who left and who is new is found once per run for the
programs that evaluate the same officials (:class:`Population`: identities compared in C loops); the
counts per unit are updated by the outcomes that changed, not recounted; and a date-dependent field that
can say when an official's class may next change (the built-in ``age``: the month of the birthday that
crosses a literal) keeps that date in a queue, so that only the officials due are classified again.

Only the records' identities and the classes are compared: nothing here decides a condition.
"""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from itertools import compress
from itertools import repeat
from typing import Any

from ..model._context import Calendar
from ..model._context import OfficialContext
from ..model._context import officials_of
from ..packs._catalogue import OFFICIAL_FIELDS
from ..packs._catalogue import FieldSpec
from ..packs._program import Program
from ._classes import field_literals
from ._columns import Columns

__all__ = ["Carry", "Population", "dated_fields"]

#: What the conditions holding for an official make, as a carry keeps it: the conditions it counts in.
Outcome = tuple[str, ...]

_UNIT = operator.attrgetter("unit")
#: The key of an official not seen on the last run: equal to no key.
_UNSEEN = object()


def dated_fields(program: Program) -> list[FieldSpec]:
    """The fields of officials the conditions of ``program`` read that may change with the date: all but
    the attributes of the record and its unit and the fields declared :attr:`~FieldSpec.timeless`."""
    return [spec for spec in program.fields["o"] if spec.path is None and not spec.timeless]


Classify = Callable[[Sequence[Any]], Sequence[Any]]


def classifier(spec: FieldSpec, literals: Sequence[tuple[Any, str]]) -> Classify:
    """The classes of a column of values of ``spec`` (values of one class satisfy the same conditions).

    A number or date compared by order with literals ``L``: ``bisect_left(L, v) + bisect_right(L, v)``,
    twice the number of literals below ``v``, plus one if ``v`` is one of them (so a value equal to a
    literal, between two, or below all are apart); a missing value is class -1. Any other value (a code,
    a text, a boolean) is its own class."""
    if spec.type.kind not in ("int", "number", "date"):
        return _same
    try:
        points = sorted({value for value, _ in literals})
    except TypeError:  # (literals that do not compare: each value its own class)
        return _same
    left, right = bisect.bisect_left, bisect.bisect_right

    def classes(values: Sequence[Any]) -> Sequence[Any]:
        if None in values:  # (a missing value: class -1, apart even when there is no literal)
            return [-1 if v is None else left(points, v) + right(points, v) for v in values]
        return list(map(operator.add, map(left, repeat(points), values), map(right, repeat(points), values)))

    return classes


def _same(values: Sequence[Any]) -> Sequence[Any]:
    return values


class Carry:
    """The outcome of each official on the last run of one program, carried to the next run, and the
    counts per unit they make.

    :meth:`update` takes a new date's officials, calls ``decide`` only for the officials not seen on the
    last run (a new record) or whose date-dependent fields changed class, and updates :attr:`counts` by
    the outcomes that changed: those officials' and those of the officials of the last run who are gone.
    A step costs C loops over the officials (their identities and date-dependent classes) and Python work
    in proportion to what changed. The records of the last run are held: the identities the outcomes are
    kept by stay theirs.
    """

    __slots__ = ("_checks", "_classify", "_dated", "_generation", "_known", "_on", "_queue", "counts")

    def __init__(self, program: Program) -> None:
        literals = field_literals(program)
        self._dated = dated_fields(program)
        points = [[value for value, _ in literals.get(("o", spec.name), ())] for spec in self._dated]
        self._classify = [classifier(spec, literals.get(("o", spec.name), ())) for spec in self._dated]
        #: per date-dependent field, when the class of each official may change next (``None``: a field
        #: without such a function; then every official's classes are computed on every run)
        checks = [_next_check(spec, p) for spec, p in zip(self._dated, points, strict=True)]
        self._checks: list[NextCheck] | None = None if None in checks else checks  # type: ignore[assignment]
        #: (the ordinal of the first date on which an official's classes may change, the id of its record):
        #: a heap; an id that is gone, or came due again earlier, is passed over when its date comes
        self._queue: list[tuple[int, int]] = []
        #: the date of the last run (a run on an earlier date computes every official's classes)
        self._on: date | None = None
        #: id of a record of the last run → (the record, its classes, its outcome)
        self._known: dict[int, tuple[Any, Any, Outcome]] = {}
        #: unit code → condition name → how many officials of the last run count in it
        self.counts: dict[str, dict[str, int]] = {}
        #: the generation of the shared population of the last run (see :meth:`update`)
        self._generation = 0

    def update(self, contexts: Sequence[OfficialContext], calendar: Calendar,
               decide: Callable[[Sequence[OfficialContext]], Sequence[Outcome]],
               population: Population | None = None) -> set[str]:
        """Carry the outcomes to ``contexts`` as of ``calendar``'s date: ``decide`` is called (once, for
        the contexts that need it, in their order) where an outcome may have changed, and :attr:`counts`
        is updated. Returns the codes of the units *touched* since the last run: those of the officials
        decided again and of the officials of the last run who are gone (in any other unit the same
        records have the same outcomes as on the last run).

        ``population``: the officials of the runs of the programs that evaluate the same officials (the
        packs of a step), and what changed since the last of those runs, shared; else computed here.
        With it, on a later date, and when each date-dependent field says when its class may next change
        (``age``: the month of the next birthday that crosses a literal), only the new officials and
        those due are classified again: a run costs in proportion to what changed."""
        known = self._known
        if population is not None:
            population.advance(contexts)
        shared = population is not None and bool(known) and self._generation == population.generation - 1
        if shared:
            assert population is not None
            officials, ids, new, gone = population.officials, population.ids, population.new, population.gone
        else:
            officials = list(officials_of(contexts))
            ids = list(map(id, officials))
            now = set(ids)
            new = list(compress(range(len(ids)), map(operator.not_, map(known.__contains__, ids)))) \
                if known else list(range(len(ids)))
            gone = known.keys() - now
        on = calendar.as_of
        queued = shared and self._checks is not None and self._on is not None and on >= self._on
        changed: Sequence[int] = new
        keys: dict[int, Any] = {}  # position → classes, of the officials changed
        entries: Iterable[tuple[int, int]] = ()  # the queue's new entries
        if self._dated:
            if queued:
                assert population is not None
                due = self._due(on.toordinal())
                index = population.index() if due else {}
                check: Sequence[int] = sorted({*new, *(p for p in map(index.get, due) if p is not None)})
            else:
                check = range(len(ids))
            part = list(map(contexts.__getitem__, check))
            part_officials = list(map(officials.__getitem__, check))
            columns = Columns(self._dated, calendar)(part, part_officials)
            classes = [classify(column) for classify, column in zip(self._classify, columns, strict=True)]
            found = classes[0] if len(classes) == 1 else list(zip(*classes, strict=True))
            olds = map(_KEY, map(known.get, map(ids.__getitem__, check), repeat(_UNSEEN_ENTRY)))
            differ = list(map(operator.ne, found, olds))
            changed = list(compress(check, differ))
            keys = dict(compress(zip(check, found, strict=True), differ))
            if self._checks is not None:
                dates = [next_check(part_officials, column) for next_check, column in
                         zip(self._checks, columns, strict=True)]
                entries = zip(dates[0] if len(dates) == 1 else list(map(min, *dates)),
                              map(ids.__getitem__, check), strict=True)
        outcomes = decide(list(map(contexts.__getitem__, changed))) if changed else []
        # (decided: the state changes only now, so that a run that fails leaves it as it was)
        self._generation = population.generation if population is not None else 0
        self._on = on
        if self._checks is not None:
            self._queue_up(entries, again=not queued)
        if not known:  # the first run: every official decided, counted in C loops
            units = list(map(_UNIT, officials))
            self._known = dict(zip(ids, zip(officials, map(keys.get, range(len(ids))), outcomes, strict=True),
                                   strict=True))
            self.counts = {}
            for (unit, outcome), k in Counter(zip(units, outcomes, strict=True)).items():
                self._count(unit, outcome, k)
            return set(units)
        touched: set[str] = set()
        for key in gone:
            record, _, outcome = known.pop(key)
            self._count(record.unit, outcome, -1)
            touched.add(record.unit)
        for i, outcome in zip(changed, outcomes, strict=True):
            record = officials[i]
            before = known.get(ids[i])
            if before is not None:
                self._count(record.unit, before[2], -1)
            self._count(record.unit, outcome, 1)
            known[ids[i]] = (record, keys.get(i), outcome)
            touched.add(record.unit)
        return touched

    def _due(self, day: int) -> set[int]:
        """The ids of the officials whose classes may have changed by the day ``day`` (an ordinal)."""
        queue, due = self._queue, set()
        while queue and queue[0][0] <= day:
            due.add(heapq.heappop(queue)[1])
        return due

    def _queue_up(self, entries: Iterable[tuple[int, int]], *, again: bool) -> None:
        """Put ``entries`` in the queue (``again``: in place of all that were there); never is not queued."""
        kept = [e for e in entries if e[0] < _NEVER]
        if again:
            heapq.heapify(kept)
            self._queue = kept
        else:
            for entry in kept:
                heapq.heappush(self._queue, entry)

    def _count(self, unit: str, outcome: Outcome, k: int) -> None:
        """Count an official of ``unit`` with ``outcome`` ``k`` times (``-1``: no longer)."""
        if not outcome:
            return
        counts = self.counts.get(unit)
        if counts is None:
            counts = self.counts[unit] = {}
        for name in outcome:
            counts[name] = counts.get(name, 0) + k


_KEY = operator.itemgetter(1)
_BIRTH = operator.attrgetter("birth_date")
#: The ordinal of a date after every date (a class that never changes).
_NEVER = date.max.toordinal()
#: When the classes of a column of values of officials may next change: the ordinal of a date for each.
NextCheck = Callable[[Sequence[Any], Sequence[Any]], list[int]]


def _next_check(spec: FieldSpec, points: Sequence[Any]) -> NextCheck | None:
    """For the built-in ``age`` compared with the literals ``points``: when each official's class (see
    :func:`classifier`) may next change, from their ages on the date — the first day of the month of the
    birthday at which the age reaches the next age where a class begins (at or before the birthday,
    whatever the birthday of 29 February is taken to be). ``None`` for any other field."""
    if spec is not OFFICIAL_FIELDS["age"]:
        return None
    try:  # (an integer age v is apart from v - 1 when a literal p has v - 1 < p <= v or v - 1 <= p < v)
        starts = sorted({a for p in points for a in (math.floor(p), math.floor(p) + 1, math.ceil(p), math.ceil(p) + 1)})
    except (TypeError, ValueError, OverflowError):  # (not numbers: no date is known)
        return None

    def next_check(officials: Sequence[Any], ages: Sequence[Any]) -> list[int]:
        out = []
        for born, age in zip(map(_BIRTH, officials), ages, strict=True):
            k = bisect.bisect_right(starts, age) if age is not None else len(starts)
            year = born.year + starts[k] if k < len(starts) else _MAX_YEAR + 1
            out.append(date(year, born.month, 1).toordinal() if year <= _MAX_YEAR else _NEVER)
        return out

    return next_check


_MAX_YEAR = date.max.year
#: The entry of an official not seen on the last run: its classes equal no classes.
_UNSEEN_ENTRY: tuple[Any, Any, Any] = (None, _UNSEEN, None)


class Population:
    """The officials of the successive runs of the programs that evaluate the same officials (the packs
    of one rating look-back and scope at the steps of a projection), and what changed from one run to the
    next: computed once per run, on the first program's :meth:`Carry.update`, shared by the others.

    A run is told apart from the last by its list of contexts (the same list object: the same run; the
    list is held, so that the identities compared stay those of live records).
    """

    __slots__ = ("_contexts", "_index", "_now", "generation", "gone", "ids", "new", "officials")

    def __init__(self) -> None:
        self._contexts: Sequence[OfficialContext] | None = None
        self._now: set[int] = set()
        #: how many runs there were (a carry that saw the one before the last can take the diff)
        self.generation = 0
        #: the officials of the last run, their identities, the positions of those not in the run before
        #: and the identities of the officials of the run before who are not in the last
        self.officials: list[Any] = []
        self.ids: list[int] = []
        self.new: list[int] = []
        self.gone: set[int] = set()
        self._index: dict[int, int] | None = None

    def advance(self, contexts: Sequence[OfficialContext]) -> None:
        """Take ``contexts`` as the officials of the current run (nothing is done if they already are)."""
        if contexts is self._contexts:
            return
        self.officials = list(officials_of(contexts))
        self.ids = list(map(id, self.officials))
        now = set(self.ids)
        added = now - self._now
        self.new = list(compress(range(len(self.ids)), map(added.__contains__, self.ids))) if added else []
        self.gone = self._now - now
        self._now = now
        self._contexts = contexts
        self._index = None
        self.generation += 1

    def index(self) -> dict[int, int]:
        """The identity of each official of the current run → its position (built when first asked)."""
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._index
