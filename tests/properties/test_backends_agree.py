"""The durable-rules backend and the reference evaluator agree (differential testing)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cadre_rules import CadreRulesError
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.engine import _durable
from cadre_rules.packs._packs import parse_pack
from conftest import EVERY_CONSTRUCT
from conftest import neutral_json
from strategies import PackOptions
from strategies import as_of_dates
from strategies import hostile_texts
from strategies import override_texts
from strategies import pack_dicts
from strategies import populations

from ._known_bugs import DURABLE_SAFE
from ._support import Outcome
from ._support import isolated_outcome
from ._support import outcome
from ._support import scaled

pytestmark = pytest.mark.skipif(not _durable.AVAILABLE, reason="durable-rules does not build on this Python")

DURABLE = Engine([EVERY_CONSTRUCT], backend="durable") if _durable.AVAILABLE else None
REFERENCE = Engine([EVERY_CONSTRUCT], backend="reference")


@given(populations(), as_of_dates)
def test_same_report_on_random_populations(population: tuple[list[Official], list[Unit]], as_of: date) -> None:
    officials, units = population
    assert DURABLE is not None
    assert neutral_json(DURABLE.evaluate(officials, units, as_of)) == neutral_json(REFERENCE.evaluate(officials, units, as_of))


@functools.cache
def _engines(packs: tuple[Path, ...], **params: str) -> tuple[Engine, Engine]:
    """The durable and the reference engine of ``packs`` (none: the built-in packs, without plugins) with ``params``:
    built once per value the strategies draw (an engine evaluates any data, as often as it is asked)."""
    if not packs:
        return (Engine(backend="durable", plugins=False, params=params),
                Engine(backend="reference", plugins=False, params=params))
    return Engine(list(packs), backend="durable", params=params), Engine(list(packs), backend="reference", params=params)


@given(populations(max_officials=8), as_of_dates, st.sampled_from(["20", "35", "50"]), st.sampled_from(["0", "0.3", "1"]))
def test_same_report_with_random_params(population: tuple[list[Official], list[Unit]], as_of: date, age: str,
                                        share: str) -> None:
    officials, units = population
    params = {"test-every-construct.young_age": age, "test-every-construct.young_min_share": share}
    durable, reference = _engines((EVERY_CONSTRUCT,), **params)
    assert neutral_json(durable.evaluate(officials, units, as_of)) == neutral_json(reference.evaluate(officials, units, as_of))


# --------------------------------------------------------------------------- the built-in packs (issue #15)

BUILTIN_DURABLE = Engine(backend="durable", plugins=False) if _durable.AVAILABLE else None
BUILTIN_REFERENCE = Engine(backend="reference", plugins=False)
# every version of every built-in pack: before the reform, each version of vn-commune-2tier, and later
_ACROSS_THE_REFORM = st.sampled_from([date(2025, 6, 30), date(2025, 7, 1), date(2025, 10, 8), date(2025, 11, 17),
                                      date(2026, 1, 1)]) | st.dates(date(2023, 1, 1), date(2027, 12, 31))


@given(populations(), _ACROSS_THE_REFORM, st.sampled_from(["extended", "core3"]))
def test_builtin_packs_agree_across_the_reform(population: tuple[list[Official], list[Unit]], as_of: date,
                                               key_set: str) -> None:
    officials, units = population
    assert BUILTIN_DURABLE is not None
    if key_set == "extended":
        durable, reference = BUILTIN_DURABLE, BUILTIN_REFERENCE
    else:
        params = {"hanoi-de-an-34.key_set": key_set, "vn-commune-2tier.key_set": key_set}
        durable, reference = _engines((), **params)
    assert neutral_json(durable.evaluate(officials, units, as_of)) == neutral_json(reference.evaluate(officials, units, as_of))


# --------------------------------------------------------------------------- random packs (issue #6)

PACK_IDS = ("rand-a", "rand-b")


@st.composite
def random_packs(draw: st.DrawFn, options: PackOptions = DURABLE_SAFE, max_packs: int = 2) -> list[dict[str, Any]]:
    """1–``max_packs`` random packs (as dicts: a failing example prints them readably)."""
    return [draw(pack_dicts(options, pack_id=PACK_IDS[i])) for i in range(draw(st.integers(1, max_packs)))]


def both_outcomes(dicts: list[dict[str, Any]], params: dict[str, str], officials: list[Official],
                  units: list[Unit], as_of: date, **options: Any) -> tuple[Outcome, Outcome]:
    """The durable backend's outcome (in a child process: it may crash) and the reference's."""
    packs = [parse_pack(d) for d in dicts]

    def run(backend: str, evaluate: Callable[..., Outcome]) -> Outcome:
        try:
            engine = Engine(packs, backend=backend, params=params, **options)  # type: ignore[arg-type]
        except CadreRulesError as exc:  # e.g. an override that breaks an expression
            return "error", type(exc).__name__
        return evaluate(engine, officials, units, as_of)

    return run("durable", isolated_outcome), run("reference", outcome)


@settings(max_examples=scaled(3))
@given(random_packs(), populations(max_officials=10), as_of_dates, st.sampled_from(["vi", "en"]),
       st.one_of(st.just("Hà Nội"), hostile_texts(8)))
def test_same_report_on_random_packs(dicts: list[dict[str, Any]], population: tuple[list[Official], list[Unit]],
                                     as_of: date, lang: str, city: str) -> None:
    """Random packs × random populations × random as-of dates: durable and reference agree byte for byte."""
    officials, units = population
    durable, reference = both_outcomes(dicts, {}, officials, units, as_of, lang=lang, city=city)
    assert durable == reference


@settings(max_examples=scaled(1))
@given(random_packs(max_packs=1), populations(max_officials=8), as_of_dates, st.data())
def test_same_report_on_random_packs_with_overridden_params(dicts: list[dict[str, Any]],
                                                           population: tuple[list[Official], list[Unit]],
                                                           as_of: date, data: st.DataObject) -> None:
    pack = parse_pack(dicts[0])
    names = data.draw(st.lists(st.sampled_from(sorted(pack.params)), unique=True) if pack.params else st.just([]))
    params = {f"{pack.id}.{name}": data.draw(override_texts(name)) for name in names}
    officials, units = population
    durable, reference = both_outcomes(dicts, params, officials, units, as_of)
    assert durable == reference


@settings(max_examples=scaled(0.5))
@given(populations(max_officials=12), as_of_dates)
def test_every_construct_pack_agrees_on_hostile_text(population: tuple[list[Official], list[Unit]],
                                                     as_of: date) -> None:
    """The every-construct pack (durable in a child process) on populations with tricky text."""
    officials, units = population
    assert DURABLE is not None
    assert isolated_outcome(DURABLE, officials, units, as_of) == outcome(REFERENCE, officials, units, as_of)
