"""The durable-rules backend and the reference evaluator agree (differential testing)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import _durable
from conftest import EVERY_CONSTRUCT
from strategies import as_of_dates
from strategies import populations

pytestmark = pytest.mark.skipif(not _durable.AVAILABLE, reason="durable-rules does not build on this Python")

DURABLE = Engine([EVERY_CONSTRUCT], backend="durable") if _durable.AVAILABLE else None
REFERENCE = Engine([EVERY_CONSTRUCT], backend="reference")


@given(populations(), as_of_dates)
def test_same_report_on_random_populations(population: tuple[list[Official], list[Unit]], as_of: date) -> None:
    officials, units = population
    assert DURABLE is not None
    assert DURABLE.evaluate(officials, units, as_of).to_json() == REFERENCE.evaluate(officials, units, as_of).to_json()


@given(populations(max_officials=8), as_of_dates, st.sampled_from(["20", "35", "50"]), st.sampled_from(["0", "0.3", "1"]))
def test_same_report_with_random_params(population: tuple[list[Official], list[Unit]], as_of: date, age: str,
                                        share: str) -> None:
    officials, units = population
    params = {"test-every-construct.young_age": age, "test-every-construct.young_min_share": share}
    durable = Engine([EVERY_CONSTRUCT], backend="durable", params=params)
    reference = Engine([EVERY_CONSTRUCT], backend="reference", params=params)
    assert durable.evaluate(officials, units, as_of).to_json() == reference.evaluate(officials, units, as_of).to_json()
