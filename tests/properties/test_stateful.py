"""An embedding application's life with engines: whatever it did before, a result equals a fresh engine's.

The application creates engines from a small pool of random packs (some sharing an id and version with
different content) and random parameter overrides, evaluates, re-evaluates on new data, alternates
between engines, evaluates two engines from two threads at once, and squeezes durable's ruleset
registry so that rulesets are evicted and re-created. Every result must equal that of a fresh Engine
with the same packs, parameters and backend on the same data (and, for durable, the reference's).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import initialize
from hypothesis.stateful import multiple
from hypothesis.stateful import precondition
from hypothesis.stateful import rule

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Pack
from cadre_rules import Unit
from cadre_rules.engine import _durable
from cadre_rules.packs._packs import parse_pack
from strategies import as_of_dates
from strategies import override_texts
from strategies import pack_dicts
from strategies import populations

from ._known_bugs import DURABLE_SAFE
from ._support import Outcome
from ._support import outcome
from ._support import scaled

BACKENDS = ("durable", "reference") if _durable.AVAILABLE else ("reference",)


@attrs.frozen
class Handle:
    engine: Engine = attrs.field(eq=False)
    packs: tuple[Pack, ...]
    params: tuple[tuple[str, str], ...]
    backend: str


class EmbeddingApplication(RuleBasedStateMachine):
    engines = Bundle("engines")

    def __init__(self) -> None:
        super().__init__()
        self.registry_size = _durable.REGISTRY_SIZE
        self.pool: list[Pack] = []
        self.people: list[Official] = []
        self.places: list[Unit] = []
        self.as_of = date(2024, 1, 1)

    @initialize(target=engines, pool=st.lists(pack_dicts(DURABLE_SAFE), min_size=2, max_size=4),
                population=populations(max_officials=6), as_of=as_of_dates, backend=st.sampled_from(BACKENDS))
    def start(self, pool: list[dict[str, Any]], population: tuple[list[Official], list[Unit]], as_of: date,
              backend: str) -> Any:
        self.pool = [parse_pack(d) for d in pool]
        self.people, self.places = population
        self.as_of = as_of
        first = self.pool[0]
        return Handle(Engine([first], backend=backend), (first,), (), backend)  # type: ignore[arg-type]

    # -- the application's actions ----------------------------------------------------------
    @rule(target=engines, picks=st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True),
          backend=st.sampled_from(BACKENDS), data=st.data())
    def create_engine(self, picks: list[int], backend: str, data: st.DataObject) -> Any:
        packs: dict[str, Pack] = {}
        for i in picks:
            pack = self.pool[i % len(self.pool)]
            packs.setdefault(pack.id, pack)  # an engine takes each pack id once
        params: dict[str, str] = {}
        for pack in packs.values():
            for name in data.draw(st.lists(st.sampled_from(sorted(pack.params)), unique=True)
                                  if pack.params else st.just([]), label=f"overridden in {pack.id}"):
                params[f"{pack.id}.{name}"] = data.draw(override_texts(name), label=f"{pack.id}.{name}")
        try:
            engine = Engine(list(packs.values()), params=params, backend=backend)  # type: ignore[arg-type]
        except CadreRulesError:
            return multiple()  # an override that breaks an expression: no engine
        return Handle(engine, tuple(packs.values()), tuple(sorted(params.items())), backend)

    @rule(handle=engines)
    def evaluate(self, handle: Handle) -> None:
        self.check(handle, outcome(handle.engine, self.people, self.places, self.as_of))

    @rule(first=engines, second=engines)
    def alternate(self, first: Handle, second: Handle) -> None:
        for handle in (first, second, first, second):
            self.check(handle, outcome(handle.engine, self.people, self.places, self.as_of))

    @rule(first=engines, second=engines)
    def evaluate_from_two_threads(self, first: Handle, second: Handle) -> None:
        results: dict[int, Outcome | BaseException] = {}

        def run(i: int, handle: Handle) -> None:
            try:
                results[i] = outcome(handle.engine, self.people, self.places, self.as_of)
            except BaseException as exc:  # re-raised in the main thread
                results[i] = exc

        threads = [threading.Thread(target=run, args=(i, h)) for i, h in enumerate((first, second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        for i, handle in enumerate((first, second)):
            result = results[i]
            if isinstance(result, BaseException):
                raise result
            self.check(handle, result)

    @rule(population=populations(max_officials=6), as_of=as_of_dates)
    def new_data(self, population: tuple[list[Official], list[Unit]], as_of: date) -> None:
        self.people, self.places = population
        self.as_of = as_of

    @precondition(lambda self: _durable.AVAILABLE)
    @rule(size=st.integers(1, 3))
    def squeeze_the_ruleset_registry(self, size: int) -> None:
        _durable.REGISTRY_SIZE = size

    # -- the property -----------------------------------------------------------------------
    def fresh(self, handle: Handle, backend: str) -> Outcome:
        engine = Engine(list(handle.packs), params=dict(handle.params), backend=backend)  # type: ignore[arg-type]
        return outcome(engine, self.people, self.places, self.as_of)

    def check(self, handle: Handle, got: Outcome) -> None:
        assert got == self.fresh(handle, handle.backend)
        if handle.backend == "durable":
            assert got == self.fresh(handle, "reference")

    def teardown(self) -> None:
        _durable.REGISTRY_SIZE = self.registry_size


EmbeddingApplication.TestCase.settings = settings(max_examples=scaled(1), stateful_step_count=12)
TestEmbeddingApplication = EmbeddingApplication.TestCase
