"""A scoped report speaks of its scope (``--scope``): how current its officials' records are, which families of
rules were checked on its units, which packs apply there; the notes on the packs' scopes against the whole input
are not said. The unscoped report is unchanged (docs/report.md, "scope")."""

from __future__ import annotations

import csv
import importlib.util
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules import hookspecs
from cadre_rules._cli import cli
from cadre_rules.report._asked import as_asked
from cadre_rules.report._scope import Evaluated
from cadre_rules.report._scope import scope_report
from cadre_rules.report._scope import scope_title
from cadre_rules.report._shares import as_covered

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
WARD = "Phường Tương Mai"
OTHER = "Phường Ba Đình"
DISABLE = "CADRE_RULES_DISABLE_PLUGINS"
needs_plugins = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None
                                   or importlib.util.find_spec("cadre_rules_hoan_kiem") is None,
                                   reason="pip install -e ./plugins/cadre-rules-ba-vi -e ./plugins/cadre-rules-hoan-kiem")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _code(name: str) -> str:
    (code,) = [row["code"] for row in _rows(EXAMPLES / "hanoi-2025" / "units.csv") if row["name"] == name]
    return code


def _newest(rows: list[dict[str, str]]) -> date:
    """The newest date of the rows' records, as docs/as-of.md defines it: appointments, secondments, disciplines,
    ratings (a year's rating as its 31 December)."""
    found = []
    for row in rows:
        found.extend(date.fromisoformat(row[c]) for c in ("appointed_on", "secondment_since") if row[c])
        found.extend(date.fromisoformat(part.split(":")[0]) for part in row["discipline"].split(";") if part)
        found.extend(date(int(part.split(":")[0]), 12, 31) for part in row["ratings"].split(";") if part)
    return max(found)


@pytest.fixture(scope="module")
def aged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/hanoi-2025 with the ward's records last updated in 2023 (no rating after 2023, no appointment or
    secondment after 2023-06-30), the rest of the city as it is."""
    folder = tmp_path_factory.mktemp("aged")
    ward = _code(WARD)
    rows = _rows(EXAMPLES / "hanoi-2025" / "officials.csv")
    for row in rows:
        if row["unit"] == ward:
            row["ratings"] = ";".join(p for p in row["ratings"].split(";") if p and int(p.split(":")[0]) <= 2023)
            for column in ("appointed_on", "secondment_since"):
                row[column] = min(row[column], "2023-06-30")
    _write(folder / "officials.csv", rows)
    _write(folder / "units.csv", _rows(EXAMPLES / "hanoi-2025" / "units.csv"))
    return folder


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--fail-on", "never", "--lang", "vi"])
    assert result.exit_code == 0, result.output


def _stale_note(newest: date, as_of: date) -> str:
    return (f"dữ liệu cũ: dữ liệu tính đến ngày {newest:%d/%m/%Y} (ngày mới nhất trong dữ liệu), sớm hơn ngày đánh "
            f"giá {as_of:%d/%m/%Y} quá 12 tháng")


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return path.read_text(encoding="utf-8-sig")


#: The date the aged data are evaluated as of: more than 12 months after the ward's newest record, not the city's.
AGED_AS_OF = date(2026, 1, 15)


@pytest.fixture(scope="module")
def fresh_reports(aged: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON reports of ``aged`` as of ``AGED_AS_OF``, the whole city's (``""``) and another ward's: made once, read
    by each format's test below."""
    out = {}
    for scope in ("", f"commune:{OTHER}"):
        path = tmp_path_factory.mktemp("fresh") / "fresh.json"
        _run("evaluate", str(aged), "--as-of", AGED_AS_OF.isoformat(), *(("--scope", scope) if scope else ()),
             "--format", "json", "-o", str(path))
        out[scope] = json.loads(path.read_text(encoding="utf-8"))
    return out


@pytest.mark.parametrize("fmt", ["json", "text", "csv", "jsonl", "html", "xlsx"])
def test_a_ward_whose_records_are_old_is_told_so_in_its_report(aged: Path, fresh_reports: dict[str, Any],
                                                                tmp_path: Path, fmt: str) -> None:
    """The city's data are current (their newest date: 2025-12-31); the ward's newest is of 2023: its report says
    its data are stale, of the ward's newest date, in every format; the city's report and another ward's do not."""
    as_of = AGED_AS_OF
    rows = _rows(aged / "officials.csv")
    ward_code, other_code = _code(WARD), _code(OTHER)
    ward = [row for row in rows if row["unit"] == ward_code]
    other = [row for row in rows if row["unit"] == other_code]
    assert ward and other
    city_newest, ward_newest, other_newest = _newest(rows), _newest(ward), _newest(other)
    assert ward_newest < date(2024, 1, 1) < date(2025, 1, 15) <= city_newest  # (the premise: 12 months before)
    out = tmp_path / f"ward.{fmt}"
    _run("evaluate", str(aged), "--as-of", as_of.isoformat(), "--scope", f"commune:{WARD}", "--format", fmt,
         "-o", str(out))
    text = _text_of(out)
    assert _stale_note(ward_newest, as_of) in text
    assert text.count("dữ liệu cũ") == 1
    assert f"{city_newest:%d/%m/%Y} (ngày mới nhất" not in text
    for scope, fresh in (("", city_newest), (f"commune:{OTHER}", other_newest)):
        data = fresh_reports[scope]
        assert data["data_as_of"] == {"date": fresh.isoformat(), "source": "inferred", "stale": False,
                                      "stale_after_months": 12}
        assert not any("dữ liệu cũ" in n for n in data["notes"])
    if fmt == "json":
        data = json.loads(text)
        assert data["data_as_of"] == {"date": ward_newest.isoformat(), "source": "inferred", "stale": True,
                                      "stale_after_months": 12}


def test_a_declared_data_date_is_the_scope_s_too(aged: Path, tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    _run("evaluate", str(aged), "--as-of", "2026-01-15", "--data-as-of", "2025-11-30", "--scope",
         f"commune:{WARD}", "--format", "json", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["data_as_of"] == {"date": "2025-11-30", "source": "declared", "stale": False,
                                  "stale_after_months": 12}
    assert not any("dữ liệu cũ" in n for n in data["notes"])


# -- which families were checked where -------------------------------------------------------

UNITS = [Unit("X1", "Xã Một", "commune", 3), Unit("X2", "Xã Hai", "commune", 3)]
LOCAL = """
[pack]
id = "local"
version = "1"
title = "X1's own rotation rule"
effective = { from = 2020-01-01 }

[scope]
units = ["X1"]

[[rule]]
id = "rotation.local"
family = "rotation"
when = "age > 200"
message = "m"
cite = "c"
"""


def _person(ident: str, unit: str) -> Official:
    return Official(ident, "Tên", "male", date(1980, 1, 1), unit, "office_statistics", education="university",
                    political_theory="intermediate", general_education="upper_secondary")


def test_a_family_only_a_scoped_pack_checks_is_checked_or_not_in_the_scope(tmp_path: Path) -> None:
    """On 2023-11-05 no built-in pack checks rotation yet (hanoi-ke-hoach-188 takes effect the next day); a plugin's
    pack checks it in X1 only. The city's report: checked in part. X1's: checked (every unit of it). X2's: not
    checked, with why — where the city's report said "in part" of a ward where nothing was checked."""
    (tmp_path / "local.toml").write_text(LOCAL, encoding="utf-8")

    class Plugin:
        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(tmp_path / "local.toml")

    engine = Engine(backend="reference", lang="en", plugins=[Plugin()])
    as_of = date(2023, 11, 5)
    officials = [_person("A1", "X1"), _person("B1", "X2")]
    report = engine.evaluate(officials, UNITS, as_of)
    evaluated = Evaluated(officials, UNITS, engine.packs_for(as_of)[0], engine.packs, engine.named)
    rotation = "Rotation: checked only in part on 2023-11-05: only where local@1 apply (X1)"
    assert {c.family: c.status for c in report.coverage}["rotation"] == "partial"
    assert any(n.startswith(rotation) for n in report.notes)
    x1 = scope_report(report, "commune", "X1", "en", evaluated=evaluated)
    assert {c.family: (c.status, c.packs) for c in x1.coverage}["rotation"] == ("checked", ("local@1",))
    assert not any(n.startswith("Rotation") for n in x1.notes)
    assert not any(n.kind == "coverage" and n.family == "rotation" for n in x1.notices)
    x2 = scope_report(report, "commune", "X2", "en", evaluated=evaluated)
    (cover,) = [c for c in x2.coverage if c.family == "rotation"]
    assert (cover.status, cover.packs) == ("not_checked", ())
    assert cover.reason == "only where local@1 apply (X1); hanoi-ke-hoach-188@2023.11.3 takes effect 2023-11-06"
    said = f"Rotation: not checked on 2023-11-05: {cover.reason}"
    assert said in x2.notes and not any(n.startswith(rotation) for n in x2.notes)
    (notice,) = [n for n in x2.notices if n.kind == "coverage" and n.family == "rotation"]
    assert (notice.severity, notice.message) == ("warning", said)
    # the families the built-in packs decide are the city's in each scope: the same notes, in the same order
    # (the undecided notes count each scope's officials: tests/test_scope_counts.py)
    def others(notes: tuple[str, ...]) -> list[str]:
        return [n for n in notes if not n.startswith("Rotation") and "not decided for" not in n]

    assert others(x1.notes) == others(x2.notes) == others(report.notes)
    assert len(others(report.notes)) >= 2  # (quota and replacement are not checked anywhere)

    def coverage_notices(notices: Any) -> list[tuple[str, str]]:
        return [(n.family, n.message) for n in notices if n.kind == "coverage" and n.family != "rotation"]

    assert coverage_notices(x1.notices) == coverage_notices(x2.notices) == coverage_notices(report.notices)
    # in the officer's language, the report's
    vi = Engine(backend="reference", lang="vi", plugins=[Plugin()])
    x2_vi = scope_report(vi.evaluate(officials, UNITS, as_of), "commune", "X2", "vi",
                         evaluated=Evaluated(officials, UNITS, vi.packs_for(as_of)[0], vi.packs, vi.named))
    assert ("Luân chuyển, chuyển đổi: không được kiểm tra vào ngày 05/11/2023: chỉ ở nơi local@1 áp dụng (X1); "
            "hanoi-ke-hoach-188@2023.11.3 có hiệu lực từ ngày 06/11/2023") in x2_vi.notes


def test_a_ward_s_own_data_are_not_told_of_the_other_units_plugins(tmp_path: Path) -> None:
    """Session 16: the data of one ward only (X2's file), evaluated with the city's plugins (a pack of X1, and one of
    X1 and X9): its report, titled for X2, said "pack local@1 covers no unit of the input" and that a pack's scope
    names units not in the input — the setup of the other units' plugins, noise to the ward. It says neither, as
    its report restricted by ``--scope`` does not; where the user named the packs (``--pack``) and in the city's
    report (both units) they are said."""
    (tmp_path / "local.toml").write_text(LOCAL, encoding="utf-8")
    (tmp_path / "group.toml").write_text(LOCAL.replace('"local"', '"group"').replace('["X1"]', '["X1", "X9"]')
                                         .replace("rotation.local", "rotation.group"),
                                         encoding="utf-8")

    class Plugin:
        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(tmp_path / "local.toml")
            register(tmp_path / "group.toml")

    engine = Engine(backend="reference", lang="en", plugins=[Plugin()])
    as_of = date(2024, 6, 30)
    packs = engine.packs_for(as_of)[0]
    noise = ("pack local@1 covers no unit of the input (its scope: X1)",
             "pack group@1 covers no unit of the input (its scope: X1, X9)")
    ward = [_person("B1", "X2")]
    report = engine.evaluate(ward, UNITS[1:], as_of)
    assert set(noise) <= set(report.notes)  # (the engine's notes, of its input)
    own = as_asked(report, "en", None, officials=ward, units=UNITS[1:], packs=packs, known=engine.packs, named=False)
    assert scope_title(own) == "Xã Hai"
    assert not any("covers no unit" in n or "its scope names" in n for n in own.notes), own.notes
    # (session 18: said once instead, of the report's header, which names the packs that apply to the ward)
    said = ("packs group@1, local@1 were found but apply only to other communes or districts, not to Xã Hai: their "
            "rules were not applied to this report, and they are not listed among its packs")
    # (session 19: the ward's one official is not a key official: the city's quotas have nothing to count, said once)
    nothing = [f'quota "{name}" (hanoi-de-an-34/{quota}) has nothing to count: nobody of the data is among those it '
               "counts; its 1 row of 0/0 is not a result and is left out of the tables"
               for name, quota in (("Key officials with a university degree", "quota.university"),
                                   ("Women among key officials", "quota.women"),
                                   ("Key officials under 35", "quota.young"))]
    assert [n for n in own.notes if n not in noise] == [
        *(n for n in as_covered(report, "en").notes if n not in noise), *nothing, said]
    named = as_asked(report, "en", None, officials=ward, units=UNITS[1:], packs=packs, known=engine.packs, named=True)
    assert set(noise) <= set(named.notes)
    both = [_person("A1", "X1"), *ward]
    city = engine.evaluate(both, UNITS, as_of)
    kept = as_asked(city, "en", None, officials=both, units=UNITS, packs=packs, known=engine.packs, named=False)
    assert "pack group@1: its scope names X9, not in the input; it applies to the other units of its scope" \
        in kept.notes


# -- the packs' scopes -------------------------------------------------------------------------

def _scopes(plugin: str, name: str) -> tuple[set[str], set[str]]:
    """The districts and unit codes a plugin's pack file names in its [scope], read with tomllib."""
    (path,) = (PLUGINS / plugin / "src").glob(f"*/{name}")
    scope = tomllib.loads(path.read_text(encoding="utf-8")).get("scope", {})
    return set(scope.get("districts", [])), set(scope.get("units", []))


@needs_plugins
@pytest.mark.parametrize(("as_of", "files"), [
    ("2025-06-30", {"ba-vi-local@2023.12.1": ("cadre-rules-ba-vi", "ba-vi-local.toml"),
                    "hoan-kiem-local@2023.12.1": ("cadre-rules-hoan-kiem", "hoan-kiem-local.toml")}),
    ("2026-01-15", {"ba-vi-local@2025.07": ("cadre-rules-ba-vi", "ba-vi-local-2025.07.toml"),
                    "hoan-kiem-local@2025.07": ("cadre-rules-hoan-kiem", "hoan-kiem-local-2025.07.toml")})])
def test_a_ward_s_report_names_the_packs_that_apply_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          as_of: str, files: dict[str, tuple[str, str]]) -> None:
    """The city's 2025 data with the example plugins: the ward's report lists in its coverage only the packs that
    apply to the ward (a plugin pack whose [scope] names neither its code nor its district is not), and does not
    say that the plugins of Ba Vì and Hoàn Kiếm cover no unit of the city's file; the city's report does."""
    monkeypatch.delenv(DISABLE, raising=False)
    units = {row["code"]: row for row in _rows(EXAMPLES / "hanoi-2025" / "units.csv")}
    for name in (WARD, "Phường Hoàn Kiếm"):
        code = _code(name)
        paths = {scope: tmp_path / f"{scope}.json" for scope in ("city", "ward")}
        _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", as_of, "--format", "json", "-o", str(paths["city"]))
        _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", as_of, "--scope", f"commune:{name}",
             "--format", "json", "-o", str(paths["ward"]))
        city, ward = (json.loads(p.read_text(encoding="utf-8")) for p in paths.values())
        applying = set()
        for ref, (plugin, file) in files.items():
            districts, codes = _scopes(plugin, file)
            if code in codes or units[code]["district"] in districts:
                applying.add(ref)
        for c_city, c_ward in zip(city["coverage"], ward["coverage"], strict=True):
            assert c_ward["packs"] == [p for p in c_city["packs"] if p not in files or p in applying], name
            assert c_ward["status"] == c_city["status"] == "checked"
        uncovered = [n for n in city["notes"] if "không áp dụng cho đơn vị nào trong dữ liệu" in n]
        assert uncovered if as_of == "2025-06-30" else not uncovered
        assert not any("không áp dụng cho đơn vị nào" in n for n in ward["notes"])
        assert not any("phạm vi của gói" in n for n in ward["notes"])
        # (the 2025.07 plugins: one ward in a plugin's scope, one outside; the 2023 ones name districts, gone)
        assert bool(applying) == (name == "Phường Hoàn Kiếm" and as_of != "2025-06-30")
        # the header names the packs that apply to the ward; what the report rests on, every pack evaluated
        evaluated = [f"{p['id']}@{p['version']}" for p in city["packs"]]
        assert [f"{p['id']}@{p['version']}" for p in ward["packs"]] == evaluated
        text = tmp_path / "ward.txt"
        _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", as_of, "--scope", f"commune:{name}", "-o", str(text))
        lines = text.read_text(encoding="utf-8").splitlines()
        header = ", ".join(p for p in evaluated if p not in files or p in applying)
        assert lines[1] == f"Gói quy định: {header}"
        assert all(any(line.startswith(f"  Gói quy định: {p} sha256:") for line in lines) for p in evaluated)
        page = tmp_path / "ward.html"
        _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", as_of, "--scope", f"commune:{name}", "-o", str(page))
        assert f'<div class="packs">Gói quy định: {header} · ' in page.read_text(encoding="utf-8")


def test_without_what_it_was_made_from_a_scope_keeps_the_whole_input_s_data_date() -> None:
    """``scope_report`` without ``evaluated`` (a report read back, not evaluated here): the coverage and the data's
    date stay the whole input's, as documented."""
    engine = Engine(["hanoi-de-an-34"], backend="reference", lang="en")
    report = engine.evaluate([_person("A1", "X1"), _person("B1", "X2")], UNITS, date(2030, 1, 1),
                             data_as_of=date(2020, 1, 1))
    kept: Any = scope_report(report, "commune", "X1", "en")
    assert (kept.coverage, kept.data_as_of) == (report.coverage, report.data_as_of)


# -- what is set aside: waivers and a baseline ----------------------------------------------------

def _keys(findings: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(f["pack"], f["rule"], f["subject"]["kind"], f["subject"]["id"]) for f in findings}


def test_a_ward_s_report_against_the_city_s_baseline_counts_the_ward(tmp_path: Path) -> None:
    """The city's report of 2025-12-31 as the baseline of the ward's report of 2026-06-30, one of the ward's
    officials having left the list since: the counts (not shown, new, resolved) are the ward's, computed from the
    two JSON reports with the json module; the official who left is among the resolved, no one of another ward."""
    folder = tmp_path / "data"
    folder.mkdir()
    ward = _code(WARD)
    rows = _rows(EXAMPLES / "hanoi-2025" / "officials.csv")
    _write(folder / "units.csv", _rows(EXAMPLES / "hanoi-2025" / "units.csv"))
    baseline = tmp_path / "city.json"
    _write(folder / "officials.csv", rows)
    _run("evaluate", str(folder), "--as-of", "2025-12-31", "--format", "json", "-o", str(baseline))
    city = json.loads(baseline.read_text(encoding="utf-8"))
    # one of the ward's officials with a finding in the baseline leaves the list
    gone = next(f["subject"]["id"] for f in city["findings"]
                if f["subject"]["kind"] == "official" and f["scope_id"] == ward)
    _write(folder / "officials.csv", [row for row in rows if row["id"] != gone])
    now, diffed = tmp_path / "now.json", tmp_path / "diffed.json"
    args = ("evaluate", str(folder), "--as-of", "2026-06-30", "--scope", f"commune:{WARD}", "--format", "json")
    _run(*args, "-o", str(now))
    _run(*args, "--baseline", str(baseline), "-o", str(diffed))
    found = _keys(json.loads(now.read_text(encoding="utf-8"))["findings"])
    known = _keys([f for f in city["findings"] if f["scope_id"] == ward])
    data = json.loads(diffed.read_text(encoding="utf-8"))
    resolved = _keys(data["baseline"]["resolved_findings"])
    assert (data["baseline"]["new"], data["baseline"]["unchanged"], data["baseline"]["resolved"]) == (
        len(found - known), len(found & known), len(known - found))
    assert resolved == known - found and any(key[3] == gone for key in resolved)
    assert _keys(data["findings"]) == found - known
    assert len(city["findings"]) > 10 * len(known)  # (the city's counts would be another order of magnitude)
    note = (f"đối chiếu {baseline}: {len(found & known)} phát hiện đã có từ trước không hiển thị; "
            f"{len(found - known)} phát hiện mới; {len(known - found)} đã khắc phục")
    assert note in data["notes"]


def test_the_city_s_baseline_counts_in_thousands_the_vietnamese_way(tmp_path: Path) -> None:
    baseline = tmp_path / "city.json"
    _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", "2025-12-31", "--format", "json", "-o", str(baseline))
    hidden = len(json.loads(baseline.read_text(encoding="utf-8"))["findings"])
    assert hidden >= 1000
    out = tmp_path / "again.json"
    _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", "2025-12-31", "--baseline", str(baseline),
         "--format", "json", "-o", str(out))
    shown = f"{hidden:,}".replace(",", ".")
    assert (f"đối chiếu {baseline}: {shown} phát hiện đã có từ trước không hiển thị; 0 phát hiện mới; "
            "0 đã khắc phục") in json.loads(out.read_text(encoding="utf-8"))["notes"]


def test_a_ward_s_report_says_only_the_ward_s_waivers(tmp_path: Path) -> None:
    """The city's waivers file: the ward's report sets aside and notes the ward's waivers only (one matching a
    finding, one expired), not another ward's (one matching nothing, one expired)."""
    before = tmp_path / "before.json"
    _run("evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", "2026-01-15", "--format", "json", "-o", str(before))
    findings = json.loads(before.read_text(encoding="utf-8"))["findings"]
    mine = next(f for f in findings if f["scope_id"] == _code(WARD) and f["subject"]["kind"] == "official")
    other = next(f for f in findings if f["scope_id"] == _code(OTHER) and f["subject"]["kind"] == "official")
    waivers = tmp_path / "waivers.toml"

    def waiver(rule: str, subject: str, expiry: str) -> str:
        return (f'[[waiver]]\nrule = "{rule}"\nsubject = "{subject}"\nreason = "r"\napprover = "Sở Nội vụ"\n'
                f"expiry = {expiry}\n")

    waivers.write_text("\n".join((
        waiver(f"{mine['pack']}/{mine['rule']}", mine["subject"]["id"], "2026-12-31"),
        waiver("x.expired", mine["subject"]["id"], "2025-01-01"),
        waiver("x.unused", other["subject"]["id"], "2026-12-31"),
        waiver("x.expired_elsewhere", other["subject"]["id"], "2025-01-01"))), encoding="utf-8")
    out = tmp_path / "ward.json"
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / "hanoi-2025"), "--as-of", "2026-01-15", "--scope",
                                      f"commune:{WARD}", "--waivers", str(waivers), "--format", "json", "-o", str(out),
                                      "--fail-on", "never", "--lang", "vi"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["rule"], s["subject"]["id"]) for s in data["suppressed"]] == [(mine["rule"], mine["subject"]["id"])]
    said = [n for n in data["notes"] if "miễn trừ" in n or "x." in n]
    assert len(said) == 1 and "x.expired" in said[0] and mine["subject"]["id"] in said[0]
    assert other["subject"]["id"] not in json.dumps(data, ensure_ascii=False)
    assert other["subject"]["id"] not in result.output and "x.expired_elsewhere" not in result.output
