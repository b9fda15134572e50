"""A pack a plugin or the user added that is not in force on the as-of date (installed early, a plugin's next
version, a pack that will replace another) is found but not applied: every report says so, in every format; the
built-in packs' own versions are not said (``cadre-rules packs`` and the header explain them)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import hookimpl
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.hookspecs import PackRegistrar

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"

#: A local pack's one rule (a commune's plan: its key officials hold a university degree).
LOCAL_DEGREE_RULE = """
[[rule]]
id = "qualification.local_degree"
family = "qualification"
where = "is_key"
when = "education < 'university'"
severity = "warning"
message = { vi = "Chưa có trình độ đại học", en = "No university degree" }
cite = "Kế hoạch của xã"
"""


def _pack(folder: Path, pack_id: str, version: str, start: str, *, extra: str = "") -> Path:
    path = folder / f"{pack_id}-{version}.toml"
    path.write_text(f"""[pack]
id = "{pack_id}"
version = "{version}"
title = {{ vi = "Quy định của xã", en = "The commune's rules" }}
effective = {{ from = {start} }}
{extra}
{LOCAL_DEGREE_RULE}""", encoding="utf-8")
    return path


def _plugin(tmp_path: Path) -> object:
    """A plugin of Xã Thư Lâm: its pack in force from 2025-07-01 and its next version from 2026-03-01, and a pack
    that will replace vn-commune-2tier's reading from 2026-06-01 (packs it registers itself: not built in)."""
    now = _pack(tmp_path, "thu-lam-local", "2025.07", "2025-07-01")
    later = _pack(tmp_path, "thu-lam-local", "2026.03", "2026-03-01")
    replacing = _pack(tmp_path, "thu-lam-plan", "2026.06", "2026-06-01", extra='replaces = ["thu-lam-local"]')

    class ThuLam:
        @hookimpl
        def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
            for path in (now, later, replacing):
                register(path)

    return ThuLam()


def test_the_api_says_a_plugin_s_pack_not_yet_in_force(tmp_path: Path) -> None:
    engine = Engine(plugins=[_plugin(tmp_path)], lang="en", backend="reference")
    officials, units = load_officials(SAMPLE / "officials.csv"), load_units(SAMPLE / "units.csv")
    report = engine.evaluate(officials, units, date(2025, 12, 31))
    said = [n for n in report.notices if n.kind == "packs"]
    assert [n.message for n in said] == [
        "pack thu-lam-local@2026.03 (plugin ThuLam) takes effect on 2026-03-01: not applied on the as-of date "
        "2025-12-31",
        "pack thu-lam-plan@2026.06 (plugin ThuLam) takes effect on 2026-06-01: not applied on the as-of date "
        "2025-12-31; from then it replaces thu-lam-local",
    ]
    assert all(n.severity == "info" and n.message in report.notes for n in said)
    # the built-in packs' own next version (vn-commune-2tier@2026.01.4) is not said
    assert not any("vn-commune-2tier" in n for n in report.notes if "not applied" in n)
    # once in force: nothing to say
    later = engine.evaluate(officials, units, date(2026, 6, 30))
    assert not [n for n in later.notices if n.kind == "packs"]


def test_every_format_says_it_in_vietnamese(tmp_path: Path, installed: Callable[..., None]) -> None:
    installed(thu_lam=_plugin(tmp_path))
    base = ["evaluate", str(SAMPLE), "--as-of", "31/12/2025", "--lang", "vi", "--backend", "reference"]
    wanted = ("gói thu-lam-local@2026.03 (plugin thu_lam) có hiệu lực từ 01/03/2026, chưa áp dụng cho ngày xét "
              "31/12/2025")
    runner = CliRunner()
    doc = json.loads(runner.invoke(cli, [*base, "--format", "json"]).stdout)
    assert wanted in doc["notes"]
    text = runner.invoke(cli, base).stdout
    assert f"  - {wanted}" in text
    rows = list(csv.DictReader(runner.invoke(cli, [*base, "--format", "csv"]).stdout.lstrip("\ufeff").splitlines()))
    assert wanted in [r["message"] for r in rows if r["rule"] == "notice.packs"]
    html = runner.invoke(cli, [*base, "--format", "html"]).stdout
    assert wanted in html


def test_a_commune_s_pending_pack_is_said_to_that_commune_only(tmp_path: Path, installed: Callable[..., None]) -> None:
    path = _pack(tmp_path, "tuong-mai-local", "2026.03", "2026-03-01", extra='[scope]\nunits = ["00322"]')

    class TuongMai:
        @hookimpl
        def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
            register(path)

    installed(tuong_mai=TuongMai())
    base = ["evaluate", str(SAMPLE), "--as-of", "31/12/2025", "--lang", "en", "--backend", "reference", "--format",
            "json"]

    def said(*args: str) -> list[str]:
        doc = json.loads(CliRunner().invoke(cli, [*base, *args]).stdout)
        return [n for n in doc["notes"] if "tuong-mai-local@2026.03" in n]

    assert len(said()) == 1  # the city's report
    assert len(said("--scope", "commune:00322")) == 1
    assert said("--scope", "commune:00004") == []  # (another commune's plugin: its setup, not this report's)
