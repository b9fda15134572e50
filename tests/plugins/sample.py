"""A well-behaved plugin implementing every hook: a pack, a function, a reader, a renderer, an enricher."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cadre_rules import Official
from cadre_rules import OfficialContext
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules.hookspecs import FunctionRegistrar
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.hookspecs import ReaderRegistrar
from cadre_rules.hookspecs import RendererRegistrar

__version__ = "1.2.3"

PACK = Path(__file__).with_name("sample-pack.toml")


@hookimpl
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    register(PACK)


def years_in_post(context: OfficialContext) -> int | None:
    months = context.months_in_post()
    return None if months is None else months // 12


@hookimpl
def cadre_rules_register_functions(register: FunctionRegistrar) -> None:
    register("years_in_post", years_in_post, returns="int", doc="complete years since appointed_on")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_units(path: Path) -> Sequence[Unit]:
    return [Unit(r["code"], r["name"], r["kind"], int(r["class"]), r["district"] or None, r["has_council"] == "true")
            for r in _rows(path)]


def read_officials(path: Path, units: Mapping[str, Unit]) -> Sequence[Official]:
    return [Official(r["id"], r["full_name"], r["gender"], date.fromisoformat(r["birth_date"]), r["unit"],
                     r["position"], r["education"], r["political_theory"]) for r in _rows(path)]


@hookimpl
def cadre_rules_register_readers(register: ReaderRegistrar) -> None:
    register("tsv", officials=read_officials, units=read_units)


def render_markdown(report: Report, lang: str) -> str:
    lines = ["| rule | subject | message |", "|---|---|---|"]
    lines += [f"| {f.pack}/{f.rule} | {f.subject_id} | {f.message} |" for f in report.findings]
    return "\n".join(lines) + "\n"


@hookimpl
def cadre_rules_register_renderers(register: RendererRegistrar) -> None:
    register("markdown", render_markdown, extension="md", doc="findings as a Markdown table")


@hookimpl
def cadre_rules_enrich_official(official: Official) -> dict[str, object]:
    # opts in to `official` only: `as_of` is not needed
    return {"surname": official.full_name.split()[0]}
