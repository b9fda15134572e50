"""``cadre-rules test --mutants``: a yes/no comparison is mutated once (its ``==`` ↔ ``!=`` is its flip)."""

from __future__ import annotations

from collections import Counter

from cadre_rules import Engine
from cadre_rules.jobs._mutants import mutants


def test_a_yes_no_field_is_flipped_once() -> None:
    """``is_key`` (the population of Đề án 34's quotas) was listed twice as ``is_key → not is_key``: once by the
    operator (``==`` → ``!=``), once by the value (true → false), the same mutant."""
    engine = Engine(["hanoi-de-an-34"], backend="reference", plugins=False)
    for version in engine.packs:  # (each version of the pack: the mutants of one)
        flips = Counter(m.where for m in mutants(version) if m.change == "is_key → not is_key")
        assert flips, version.ref
        assert set(flips.values()) == {1}, (version.ref, flips)
