"""What the packs of one evaluation share: the calendar of each rating look-back, hence the officials' contexts
made as of it once for every pack that reads ratings alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.engine import _durable
from cadre_rules.model._context import Calendar

AS_OF = date(2026, 12, 7)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not _durable.AVAILABLE, reason="no durable"))]


def test_one_calendar_per_lookback() -> None:
    calendar = Calendar(AS_OF)
    assert calendar.with_lookback(None) is calendar
    two = calendar.with_lookback(2)
    assert two is not calendar and two.rating_since == 2024 and two.as_of == AS_OF
    # the same look-back asked for again, from any calendar of the date: the same calendar
    assert calendar.with_lookback(2) is two and two.with_lookback(2) is two
    assert two.with_lookback(None) is calendar
    three = two.with_lookback(3)
    assert three.rating_since == 2023 and calendar.with_lookback(3) is three
    # the date arithmetic is shared
    assert two.age(date(1980, 12, 8)) == calendar.age(date(1980, 12, 8)) == 45


KEYS = """
[pack]
id = "{id}"
version = "1"
title = "{id}"

[key_positions]
codes = ["{post}"]

[[rule]]
id = "rotation.key"
family = "rotation"
when = "is_key and education == 'university'"
message = "{{id}} holds a key post"
cite = "test"
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_packs_share_a_column_only_of_the_same_field(backend: str, tmp_path: Path) -> None:
    """Two packs read ``education`` (one column for both) and each its own ``is_key`` (a field of the same name
    over its own key posts): each pack's findings follow its own key posts."""
    paths = []
    for ident, post in (("keys-a", "party_secretary"), ("keys-b", "committee_chair")):
        path = tmp_path / f"{ident}.toml"
        path.write_text(KEYS.format(id=ident, post=post), encoding="utf-8")
        paths.append(path)
    unit = Unit("U1", "Xã U1", "commune", 3, "Ba Vì", True)
    people = [Official(f"O{i}", "Người", "male", date(1980, 1, 1), "U1", post, education, "intermediate")
              for i, (post, education) in enumerate([("party_secretary", "university"), ("committee_chair", "university"),
                                                     ("committee_chair", "college"), ("front_chair", "university")])]
    report = Engine(paths, backend=backend).evaluate(people, [unit], date(2024, 6, 30))
    found = sorted((f.pack, f.subject_id) for f in report.findings)
    assert found == [("keys-a", "O0"), ("keys-b", "O1")]
