"""What a rule could not decide: the officials whose value of an input column is unknown (issue #16 §3).

An optional column that is absent, or a cell left empty, is *unknown*, never "no" (:class:`Official`
keeps ``None``, or no ratings). A rule whose outcome depends on such a value neither fires nor is met:
the report counts, per rule and column, the officials it could not decide for, so that nothing is
skipped silently.

An official is counted for a rule and a column when the column is empty for them, the rule did not
fire, and the rule's ``where`` and ``when`` are *unknown* (Kleene's logic, :func:`evaluate`) once every
field that reads an empty column is taken as unknown. So a rule that the values present decide (``age <
35`` is false, whatever ``in_planning`` says) counts no one, and neither does a rule that fired.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from itertools import chain
from itertools import compress
from itertools import repeat

from ..model._model import Official
from ..model._report_records import Undecided
from ..model._table import column_of
from ..model._types import Natural
from ..packs._catalogue import FieldSpec
from ..packs._expr import And
from ..packs._expr import Expr
from ..packs._expr import evaluate
from ..packs._expr import fields_of
from ..packs._packs import Pack
from ..packs._packs import RuleDef

__all__ = ["UNKNOWN_WHEN_EMPTY", "RuleColumns", "columns_of", "empty_positions", "gap_columns", "none_when_empty",
           "undecided_of"]

#: The optional columns of officials whose empty value means "not known" (an absent column too). The
#: others' empty value means "none": no concurrent post, no discipline, no secondment, no investigation
#: recorded; ``category`` defaults from the position.
UNKNOWN_WHEN_EMPTY: tuple[str, ...] = (
    "standing_committee", "general_education", "field_of_study", "appointed_on", "in_planning", "ratings",
    "low_confidence_share", "is_local",
)
_UNKNOWN = frozenset(UNKNOWN_WHEN_EMPTY)


def columns_of(spec: FieldSpec) -> tuple[str, ...]:
    """The columns of :data:`UNKNOWN_WHEN_EMPTY` that a field reads (itself, or those it is derived from)."""
    if spec.path is not None and spec.path.startswith("official."):
        read: Iterable[str] = (spec.path.removeprefix("official."),)
    else:
        read = spec.reads or ()
    return tuple(c for c in read if c in _UNKNOWN)


def gap_columns(rule: RuleDef) -> tuple[str, ...]:
    """The columns of officials that a unit rule's ``gap`` counts (``count('standing_committee') == 0``)."""
    if rule.gap is None:
        return ()
    found: dict[str, None] = {}
    for spec in fields_of(rule.gap.expr):
        inner = spec.tally
        for field in fields_of(inner.expr) if inner is not None else (spec,):
            found.update(dict.fromkeys(columns_of(field) or (field.name,)))
    return tuple(found)


_FIRST = operator.itemgetter(0)

#: Columns whose empty value is an empty tuple (the others': ``None``).
_TUPLES = frozenset({"ratings"})


def none_when_empty(column: str) -> bool:
    """Whether ``column`` is ``None`` where it is empty (else an empty tuple)."""
    return column not in _TUPLES


def empty_positions(officials: Sequence[Official], columns: Iterable[str]) -> dict[str, list[int]]:
    """Per column, the positions of the officials for whom it is empty, in order (C loops; made once for the
    rules that read the column)."""
    out: dict[str, list[int]] = {}
    for c in columns:
        got = iter(column_of(officials, c))
        empty = map(operator.not_, got) if c in _TUPLES else map(operator.is_, got, repeat(None))
        out[c] = list(compress(range(len(officials)), empty))
    return out


class RuleColumns:
    """For one official rule: the fields of its ``where`` and ``when`` and the unknown-when-empty columns
    each reads; counts the officials it could not decide for."""

    __slots__ = ("columns", "condition", "fields", "reads", "specs")

    def __init__(self, rule: RuleDef) -> None:
        self.condition: Expr = rule.when.expr if rule.where is None else And((rule.where.expr, rule.when.expr))
        fields = {spec.name: spec for spec in fields_of(self.condition)}
        self.fields: tuple[str, ...] = tuple(fields)
        self.specs: tuple[FieldSpec, ...] = tuple(fields.values())
        #: per field (in :attr:`fields` order), the columns it reads
        self.reads: tuple[frozenset[str], ...] = tuple(frozenset(columns_of(spec)) for spec in fields.values())
        self.columns: tuple[str, ...] = tuple(dict.fromkeys(c for cs in self.reads for c in sorted(cs)))

    def count(self, empty: Mapping[str, list[int]], values: Mapping[str, Sequence[Natural | None]],
              decided: Sequence[bool], codes: Sequence[int], units: Sequence[str]) -> dict[str, Counter[str]]:
        """Per column, how many officials of each unit the rule could not decide for.

        ``empty[column]``: the positions of the officials for whom the column is empty
        (:func:`empty_positions`); ``values[field][i]``: the official's
        value of a field; ``codes[i]``: the official's combination (:meth:`Session.combinations`: officials of
        one combination have their values of every field of the pack in the same classes, so the rule's
        conditions come out alike for them); ``decided[code]``: the rule fired (or noted a data gap) for the
        officials of that combination; ``units[i]``: the official's unit code. Only the officials missing a column
        are visited: grouped by which columns they miss and by combination, the rule is evaluated once per distinct
        values of the fields that read none of the missing columns (the first official of each combination
        standing for it); the officials of the combinations left undecided are counted per unit.
        """
        counts: dict[str, Counter[str]] = {}
        columns = self.columns
        if not columns:
            return counts
        lists = [empty[c] for c in columns]
        if not any(lists):
            return counts
        # the officials missing a column whom the rule did not decide for
        missing_any = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
        rows = list(compress(missing_any, map(operator.not_, map(decided.__getitem__,
                                                                  map(codes.__getitem__, missing_any)))))
        # by which of the columns they miss (a few patterns), then by combination
        patterns: dict[tuple[bool, ...], list[int]] = {(True,): rows}
        if len(lists) > 1:
            missed = [set(positions) for positions in lists]
            of_rows = list(zip(*(map(m.__contains__, rows) for m in missed), strict=True))
            patterns = {pattern: list(compress(rows, map(pattern.__eq__, of_rows))) for pattern in set(of_rows)}
        for pattern, members in patterns.items():
            missing = frozenset(compress(columns, pattern))
            kept = [j for j, reads in enumerate(self.reads) if not reads & missing]
            member_codes = list(map(codes.__getitem__, members))
            by_code = Counter(member_codes)
            first = dict(zip(reversed(member_codes), reversed(members), strict=True))  # (the first of each wins)
            firsts = list(map(first.__getitem__, by_code))
            shown = zip(*(map(values[self.fields[j]].__getitem__, firsts) for j in kept), strict=True) if kept \
                else repeat((), len(firsts))
            keys: dict[tuple[Natural | None, ...], list[int]] = {}  # the combinations of each distinct key
            for key, code in zip(shown, by_code, strict=True):
                keys.setdefault(key, []).append(code)
            undecided: set[int] = set()
            for key, key_codes in keys.items():
                known: dict[str, Natural | None] = dict.fromkeys(self.fields)
                known.update(zip((self.fields[j] for j in kept), key, strict=True))
                if evaluate(self.condition, known) is None:
                    undecided.update(key_codes)
            if undecided:
                left = members if len(undecided) == len(by_code) else \
                    compress(members, map(undecided.__contains__, member_codes))
                per_unit = Counter(map(units.__getitem__, left))
                for column in missing:
                    counts.setdefault(column, Counter()).update(per_unit)
        return counts

    def count_combinations(self, empty_in: Mapping[str, set[int]], values: Mapping[str, Sequence[Natural | None]],
                           decided: Sequence[bool], positions: Sequence[Sequence[int]],
                           units: Sequence[str]) -> dict[str, Counter[str]]:
        """:meth:`count` where each column the rule reads is empty for all the officials of a combination or for
        none of them (``empty_in[column]``: the combinations where it is empty; ``positions[n]``: the officials
        of combination ``n``, in order): the rule is evaluated once per combination it did not decide that misses
        a column, on the values of its first official (once per distinct values of the fields it still reads); its
        officials are counted per unit (those of the combinations missing the same columns at once)."""
        # the combinations not decided that miss a column, by the columns they miss
        by_missing: dict[frozenset[str], list[int]] = {}
        if len(self.columns) == 1:
            by_missing[frozenset(self.columns)] = sorted(empty_in[self.columns[0]])
        else:
            for n in sorted(set().union(*(empty_in[c] for c in self.columns))):
                by_missing.setdefault(frozenset(c for c in self.columns if n in empty_in[c]), []).append(n)
        undecided: dict[frozenset[str], list[Sequence[int]]] = {}
        for missing, candidates in by_missing.items():
            numbers = list(compress(candidates, map(operator.not_, map(decided.__getitem__, candidates))))
            # the rule on the values of the first official of each, of the fields that read none of the missing
            # columns: once per distinct values
            names = [name for name, reads in zip(self.fields, self.reads, strict=True) if not reads & missing]
            firsts = list(map(_FIRST, map(positions.__getitem__, numbers)))
            rows = list(zip(*(map(values[name].__getitem__, firsts) for name in names), strict=True)) if names \
                else [()] * len(numbers)
            verdicts: dict[tuple[Natural | None, ...], bool] = {}
            for row in set(rows):
                known: dict[str, Natural | None] = dict.fromkeys(self.fields)
                known.update(zip(names, row, strict=True))
                verdicts[row] = evaluate(self.condition, known) is None
            left = list(compress(numbers, map(verdicts.__getitem__, rows)))
            if left:
                undecided[missing] = list(map(positions.__getitem__, left))
        counts: dict[str, Counter[str]] = {}
        for missing, lists in undecided.items():
            per_unit = Counter(map(units.__getitem__, chain.from_iterable(lists)))
            for column in missing:
                counts.setdefault(column, Counter()).update(per_unit)
        return counts


def undecided_of(pack: Pack, undecided: Mapping[tuple[str, str], Mapping[str, int]],
                 gaps: Mapping[str, Sequence[str]], unit_of: Callable[[str], str]) -> list[Undecided]:
    """The records of a pack's run: officials per rule and column (``undecided``: per unit), and the subjects of
    its rules' data gaps (units, or officials: ``unit_of`` gives an official's unit code)."""
    families = {rule.id: rule.family for rule in pack.rules}
    found = [Undecided(pack.id, rule, families.get(rule, ""), column, sum(per_unit.values()),
                       by_unit=dict(sorted(per_unit.items())))
             for (rule, column), per_unit in undecided.items() if per_unit]
    rules = {rule.id: rule for rule in pack.rules}
    for rule_id, subjects in gaps.items():
        rule = rules.get(rule_id)
        if rule is not None and subjects:
            where = {subject: subject if rule.subject == "unit" else unit_of(subject) for subject in subjects}
            by_unit = dict(sorted(Counter(map(where.__getitem__, subjects)).items()))
            found.extend(Undecided(pack.id, rule_id, rule.family, column, len(subjects), "unit", by_unit, where)
                         for column in gap_columns(rule) or ("?",))
    return found
