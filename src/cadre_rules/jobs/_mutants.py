"""Mutants of a pack: each threshold, comparison and code of its conditions changed in turn.

A pack's test cases are good when every mutant makes some case fail ("caught"). Mutants are made on
the checked expressions (:mod:`cadre_rules.packs._expr`), after the case's parameters are applied, so that a
parameter used as a threshold is mutated wherever it is compared:

- a comparison's operator moved across its boundary (``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``), except
  against a fraction no decimal equals (``> 2/3``: shares are read as decimals, both operators agree);
- a compared number raised (a whole number by 1, a fraction by 1/10), a date by a day;
- a compared code replaced by the next one of its vocabulary (the next rank of an ordered code);
- a truth value compared with flipped (once: for a truth value, ``==`` ↔ ``!=`` is the same mutant);
- each value of an ``in`` list dropped (lists of two or more);
- a quota's target raised by 1/100 (lowered for a ``<=`` target);
- each required post of a staffing rule dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from fractions import Fraction
from functools import partial
from pathlib import Path

import attrs

from ..engine._engine import Engine
from ..model._arguments import a_flag
from ..model._arguments import a_paths
from ..model._arguments import refuse
from ..model._types import Natural
from ..packs._expr import And
from ..packs._expr import Cmp
from ..packs._expr import Expr
from ..packs._expr import Member
from ..packs._expr import Not
from ..packs._expr import Or
from ..packs._expr import Parsed
from ..packs._packs import Pack
from ..packs._packs import RuleDef
from ..report._explain import condition_text
from ._pack_tests import run_case_files
from ._pack_tests import shared_engines

__all__ = ["Mutant", "MutationResult", "check_mutants", "mutants"]

_BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}

Edit = Callable[[Expr], Expr | None]  # the mutated node, or None: no such mutant for this node


@attrs.frozen
class Mutant:
    """One change of one pack: ``apply`` makes it on a pack (after its parameters are applied)."""

    pack: str
    where: str  # rule id and part, ``qualification.degree when``
    change: str  # what changed, ``education < 'university' → education <= 'university'``
    apply: Callable[[Pack], Pack] = attrs.field(eq=False, repr=False)


def _raised(value: Natural, field: Cmp) -> Natural | None:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, Fraction):
        return value + 1 if value.denominator == 1 else value + Fraction(1, 10)
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, str) and field.field.type.kind == "code":
        codes = field.field.type.vocabulary.codes
        if value in codes and len(codes) > 1:
            i = codes.index(value)
            return codes[i + 1] if i + 1 < len(codes) else codes[i - 1]
    return None


def _between_decimals(value: Natural) -> bool:
    """Whether ``value`` is a fraction no decimal equals (``2/3``): the input's shares are decimals, so
    ``>`` and ``>=`` (``<`` and ``<=``) decide alike on every input, and that mutant is not made."""
    if not isinstance(value, Fraction) or isinstance(value, bool):
        return False
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den != 1


def _edits(expr: Expr) -> Iterator[tuple[str, Edit]]:
    """The kinds of mutation of one node (named), each a function of the node."""
    if isinstance(expr, Cmp):
        # (``is_key == true`` → ``!=`` is ``is_key == false``: a truth value is only flipped, below)
        if not _between_decimals(expr.value) and not isinstance(expr.value, bool):
            yield "operator", lambda e: attrs.evolve(e, op=_BOUNDARY[e.op]) if isinstance(e, Cmp) else None

        def value(e: Expr) -> Expr | None:
            if not isinstance(e, Cmp):
                return None
            new = _raised(e.value, e)
            return None if new is None else attrs.evolve(e, value=new)

        if _raised(expr.value, expr) is not None:
            yield "value", value
    elif isinstance(expr, Member) and len(expr.values) > 1:
        for i in range(len(expr.values)):
            def drop(e: Expr, i: int = i) -> Expr | None:
                if not isinstance(e, Member) or i >= len(e.values):
                    return None
                return attrs.evolve(e, values=e.values[:i] + e.values[i + 1:])

            yield f"drop[{i}]", drop


def _nodes(expr: Expr, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Expr]]:
    yield path, expr
    if isinstance(expr, (And, Or)):
        for i, item in enumerate(expr.items):
            yield from _nodes(item, (*path, i))
    elif isinstance(expr, Not):
        yield from _nodes(expr.item, (*path, 0))


def _replace(expr: Expr, path: tuple[int, ...], edit: Edit) -> Expr | None:
    if not path:
        return edit(expr)
    head, rest = path[0], path[1:]
    if isinstance(expr, (And, Or)) and head < len(expr.items):
        new = _replace(expr.items[head], rest, edit)
        if new is None:
            return None
        return attrs.evolve(expr, items=(*expr.items[:head], new, *expr.items[head + 1:]))
    if isinstance(expr, Not) and head == 0:
        new = _replace(expr.item, rest, edit)
        return None if new is None else Not(new)
    return None


def _on_parsed(parsed: Parsed, path: tuple[int, ...], edit: Edit) -> Parsed:
    new = _replace(parsed.expr, path, edit)
    if new is None:
        raise LookupError("no such node")  # the mutant does not exist for these parameters
    return attrs.evolve(parsed, expr=new)


def _rule_part(rule_id: str, part: str, path: tuple[int, ...], edit: Edit) -> Callable[[Pack], Pack]:
    def one(r: RuleDef) -> RuleDef:
        if r.id != rule_id:
            return r
        if part == "where" and r.where is not None:
            return attrs.evolve(r, where=_on_parsed(r.where, path, edit))
        if part == "when":
            return attrs.evolve(r, when=_on_parsed(r.when, path, edit))
        j = int(part[len("escalate["):-1])
        esc = list(r.escalate)
        esc[j] = attrs.evolve(esc[j], when=_on_parsed(esc[j].when, path, edit))
        return attrs.evolve(r, escalate=tuple(esc))

    def apply(pack: Pack) -> Pack:
        rules = [one(r) for r in pack.rules]
        return attrs.evolve(pack, rules=tuple(rules))

    return apply


def _quota_part(quota_id: str, part: str, path: tuple[int, ...], edit: Edit) -> Callable[[Pack], Pack]:
    def apply(pack: Pack) -> Pack:
        quotas = tuple(q if q.id != quota_id
                       else attrs.evolve(q, population=_on_parsed(q.population, path, edit)) if part == "population"
                       else attrs.evolve(q, numerator=_on_parsed(q.numerator, path, edit)) for q in pack.quotas)
        return attrs.evolve(pack, quotas=quotas)

    return apply


def _expr_mutants(pack: Pack, where: str, parsed: Parsed,
                  make: Callable[[tuple[int, ...], Edit], Callable[[Pack], Pack]]) -> Iterator[Mutant]:
    for path, node in _nodes(parsed.expr):
        for _name, edit in _edits(node):
            changed = edit(node)
            if changed is None:
                continue
            yield Mutant(pack.id, where, f"{condition_text(node)} → {condition_text(changed)}", make(path, edit))


def mutants(pack: Pack) -> list[Mutant]:
    """Every mutant of ``pack`` (its parameters as given), in the order of the pack's rules."""
    out: list[Mutant] = []
    for r in pack.rules:
        parts: list[tuple[str, Parsed]] = [("when", r.when)]
        if r.where is not None:
            parts.insert(0, ("where", r.where))
        parts.extend((f"escalate[{j}]", e.when) for j, e in enumerate(r.escalate))
        for part, parsed in parts:
            out.extend(_expr_mutants(pack, f"{r.id} {part}", parsed,
                                     partial(_rule_part, r.id, part)))
    for q in pack.quotas:
        for part in ("population", "numerator"):
            out.extend(_expr_mutants(pack, f"{q.id} {part}", getattr(q, part),
                                     partial(_quota_part, q.id, part)))
        step = Fraction(1, 100) if q.op == ">=" else Fraction(-1, 100)

        def target(p: Pack, qid: str = q.id, step: Fraction = step) -> Pack:
            return attrs.evolve(p, quotas=tuple(attrs.evolve(x, target=x.target + step) if x.id == qid else x
                                                for x in p.quotas))

        out.append(Mutant(pack.id, f"{q.id} target", f"target {q.target} → {q.target + step}", target))
    for s in pack.staffing:
        for i, req in enumerate(s.requires):
            def drop(p: Pack, sid: str = s.id, i: int = i) -> Pack:
                return attrs.evolve(p, staffing=tuple(
                    attrs.evolve(x, requires=x.requires[:i] + x.requires[i + 1:]) if x.id == sid else x
                    for x in p.staffing))

            out.append(Mutant(pack.id, f"{s.id} requires", f"drop {req.position}", drop))
    return out


@attrs.frozen
class MutationResult:
    """The mutants of the packs of some case files: how many the cases caught, and those they did not."""

    total: int
    caught: int
    survivors: tuple[Mutant, ...]


def check_mutants(files: Sequence[Path], *, plugins: bool = True) -> MutationResult:
    """Run the cases of ``files`` against every mutant of their packs (reference backend).

    A mutant is caught when some case of its pack fails. Mutants are made from the pack without the
    cases' parameters; a case with parameters evaluates each mutant on its own parameters.
    """
    refuse(a_paths("files", files), a_flag("plugins", plugins))
    by_pack: dict[str, list[Path]] = {}
    packs: dict[str, Pack] = {}
    for path in files:
        run = run_case_files([path], backends=["reference"], plugins=plugins, coverage=False)
        if run.failed:
            raise ValueError(f"{path}: the cases fail before any mutation")
        if run.results:
            by_pack.setdefault(run.results[0].pack, []).append(path)
    for ref, paths in by_pack.items():
        packs[ref] = _pack_of(paths[0], plugins)
    survivors: list[Mutant] = []
    total = 0
    shared = shared_engines(plugins)
    for ref, paths in sorted(by_pack.items()):
        for mutant in mutants(packs[ref]):
            total += 1
            run = run_case_files(paths, backends=["reference"], plugins=plugins, transform=mutant.apply,
                                 coverage=False, shared=shared)
            if not run.failed:
                survivors.append(mutant)
    return MutationResult(total, total - len(survivors), tuple(survivors))


def _pack_of(path: Path, plugins: bool) -> Pack:
    from ._cases import read_case_file  # noqa: PLC0415 - (kept beside its one use)

    ref, _ = read_case_file(path)
    engine = Engine([Path(ref) if ref.endswith(".toml") else ref], backend="reference", plugins=plugins,
                    timeout=None, replace_packs=True)
    return engine.packs[0]
