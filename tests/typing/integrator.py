"""What an integrator's code sees of the public API: checked by mypy (``[tool.mypy] files``), never run.

Each ``assert_type`` holds a type as precise as an integrator needs; each ``type: ignore`` a mistake mypy must
report (``warn_unused_ignores``: an ignore that is not needed any more, because a name became ``Any``, fails).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any
from typing import Literal
from typing import assert_type

import cadre_rules
import cadre_rules.render
from cadre_rules import Engine
from cadre_rules import Finding
from cadre_rules import InputError
from cadre_rules import Kept
from cadre_rules import MatchResult
from cadre_rules import Official
from cadre_rules import OfficialTable
from cadre_rules import PlanEvent
from cadre_rules import PostToFill
from cadre_rules import Problem
from cadre_rules import Projection
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules import match_posts
from cadre_rules import project
from cadre_rules import report_to_dict
from cadre_rules import report_to_json
from cadre_rules.model._report_records import JSONValue  # (the type of a report's JSON values)


def evaluate(folder: Path) -> str:
    engine = Engine(packs=["hanoi-de-an-34"], lang="en")
    units = load_units(folder / "units.csv")
    officials = load_officials(folder / "officials.csv", units={u.code: u for u in units})
    assert_type(units, tuple[Unit, ...])
    assert_type(officials, tuple[Official, ...])
    report = engine.evaluate(officials, units, date(2025, 12, 31))
    assert_type(report, Report)
    assert_type(report.findings, tuple[Finding, ...])
    assert_type(report.findings[0].severity, Literal["error", "warning", "info"])
    assert_type(report.findings[0].facts, Mapping[str, JSONValue])
    assert_type(report.metrics[0].value, Fraction | None)
    assert_type(report.summary, dict[str, int])
    assert_type(cadre_rules.evaluate_as_asked(engine, officials, units, date(2025, 12, 31), scope="commune:00004"),
                Report)
    assert_type(report_to_dict(report), dict[str, JSONValue])
    assert_type(cadre_rules.render.render_csv(report, "vi"), bytes)
    assert_type(cadre_rules.__version__, str)
    read, read_units = engine.read(folder / "officials.csv", folder / "units.csv")
    assert_type(read, Sequence[Official])
    assert_type(read_units, tuple[Unit, ...])
    assert isinstance(read, OfficialTable) and read == tuple(read)
    assert_type(read.column("id"), Sequence[Any])
    return report_to_json(report, explain=True)


def refused(engine: Engine, officials: tuple[Official, ...], units: tuple[Unit, ...]) -> list[str]:
    try:
        engine.evaluate(officials, units, date(2025, 12, 31))
    except InputError as exc:
        assert_type(exc.problems, tuple[Problem, ...])
        return [f"{p.file} {p.row} {p.column} {p.value}: {p.reason}" for p in exc.problems]
    return []


def jobs(engine: Engine, officials: tuple[Official, ...], units: tuple[Unit, ...]) -> None:
    posts = [PostToFill("U1", "committee_chair", "listed")]
    assert_type(match_posts(engine, officials, units, date(2025, 12, 31), posts=posts, top=5), MatchResult)
    plan = [PlanEvent(date(2026, 1, 1), "departure", "A1", how="retirement")]
    assert_type(project(engine, officials, units, date(2030, 6, 30), as_of=date(2026, 1, 1), plan=plan), Projection)


def pinned(engine: Engine) -> list[tuple[str, str, str | None]]:
    """The released versions kept as they were, to pin one (``ID@VERSION``): its sha256, why it was withdrawn."""
    kept = engine.kept_versions()
    assert_type(kept, tuple[Kept, ...])
    return [(k.pack.ref, k.pack.sha256, k.withdrawn.en if k.withdrawn is not None else None) for k in kept]


def mistakes(engine: Engine, report: Report) -> None:
    """What mypy must refuse: misspelt names (not ``Any`` through the lazy loading), wrong types of arguments."""
    cadre_rules.Enigne  # type: ignore[attr-defined]  # noqa: B018
    cadre_rules.render.render_cvs  # type: ignore[attr-defined]  # noqa: B018
    engine.evaluate([], [], "2025-12-31")  # type: ignore[arg-type]
    Report(date(2025, 1, 1), (), "3", 0, "0" * 64, (), ())  # type: ignore[arg-type]
    PostToFill("U1", "committee_chair", "empty")  # type: ignore[arg-type]
    report_to_json(report, explain="yes")  # type: ignore[arg-type]
