"""A released pack version is kept (policies/released/): loadable by ``ID@VERSION`` with the sha256 it was released
with and the findings it gave, never chosen by date; a revision from the same day takes a version's place."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import cadre_rules
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Report
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules._cli import cli
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._registry import KEPT_DIR
from cadre_rules.packs._registry import builtin_pack_dir
from cadre_rules.packs._registry import kept_versions
from cadre_rules.packs._succession import conflicts
from cadre_rules.packs._succession import in_force
from cadre_rules.packs._succession import succeed

SAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2025"
RELEASED = builtin_pack_dir() / KEPT_DIR

#: The sha256 each version had when it was released (the packs[].sha256 of the reports made with it then):
#: read from git history (`git show 6257d99:policies/vn-commune-2tier-2025.10.toml | sha256sum`, and so on).
RELEASED_SHA256 = {
    "vn-commune-2tier@2025.07": "6b9d8491b6f539a3",
    "vn-commune-2tier@2025.10": "1b162264b45504e4",
    "vn-commune-2tier@2025.11": "edff285426fb8c6f",
    "vn-commune-2tier@2026.01": "8c3e1177271ffe0c",
    "hanoi-de-an-34@2025.07": "bf309db2187b6748",
    "hanoi-de-an-34@2023.11.1": "b92ded8776039e5b",
    "hanoi-de-an-34@2023.11.2": "92421e33625d7400",
    "hanoi-ke-hoach-188@2023.11.1": "b0466cadf8eac8ee",
    # replaced by their .2 (.4, .3) in session 12: the messages name every parameter they state
    "vn-commune-2tier@2025.10.1": "486e2cdbe3867f93",
    "vn-commune-2tier@2025.11.1": "150ba7d41830e9a8",
    "vn-commune-2tier@2026.01.1": "a6b5340f32530436",
    "hanoi-de-an-34@2025.07.1": "99e97d59c616de29",
    "hanoi-de-an-34@2023.11.3": "33271023e66ab83e",
    "hanoi-ke-hoach-188@2023.11.2": "dc8bc58a37cd095b",
    # replaced by 2025.07.3 in session 18: rules resting on Đề án 34 after 2025 (Low) are warnings
    "hanoi-de-an-34@2025.07.2": "c07a3afccded0e91",
    # replaced by 2026.01.3 in session 18: no streamlining or resignation under investigation (NĐ 154, NĐ 170)
    "vn-commune-2tier@2026.01.2": "dd60d7151bc01e75",
    # replaced by 2025.07.2, 2025.10.3, 2025.11.3 in session 18: the same exemption for the dates before 2026
    "vn-commune-2tier@2025.07.1": "2f020ec4b91fcaf1",
    "vn-commune-2tier@2025.10.2": "c17c900bcd0f832a",
    "vn-commune-2tier@2025.11.2": "4f9a46bc8354e982",
    # replaced in session 19: hanoi-de-an-34@2025.07.4 (staffing.vacancy counts the posts of vacancy_posts, the
    # Phó Bí thư one post), vn-commune-2tier@2026.01.4 (cadre_discipline_not_completed; quota.excellent_share)
    "hanoi-de-an-34@2025.07.3": "031767b9d9ea3658",
    "vn-commune-2tier@2026.01.3": "6e8fe93aac751d3b",
}


@pytest.fixture(scope="module")
def data() -> tuple[list[Official], list[Unit]]:
    units = list(load_units(SAMPLE / "units.csv"))
    return list(load_officials(SAMPLE / "officials.csv", units={u.code: u for u in units})), units


def decided(report: Report, pack_id: str) -> list[tuple[str, str, str, str]]:
    """What a pack decided: (rule, subject, severity, facts), messages and cites aside."""
    return sorted((f.rule, f.subject_id, f.severity, repr(sorted(dict(f.facts).items())))
                  for f in report.findings if f.pack == pack_id)


def test_every_kept_version_is_the_released_file() -> None:
    kept = kept_versions()
    assert set(kept) == set(RELEASED_SHA256)
    files = {p.name for p in RELEASED.glob("*.toml")}
    assert files == {ref.replace("@", "-") + ".toml" for ref in kept}
    for ref, prefix in RELEASED_SHA256.items():
        engine = Engine([ref], backend="reference", plugins=False)
        [pack] = engine.packs
        assert pack.ref == ref
        assert pack.sha256 == hashlib.sha256((RELEASED / f"{ref.replace('@', '-')}.toml").read_bytes()).hexdigest()
        assert pack.sha256.startswith(prefix), ref
        # the revision that replaced it (registered, or kept in turn) begins the same day
        successor = f"{pack.id}@{kept[ref][0]}"
        registered = {p.ref: p for p in Engine(backend="reference", plugins=False).editions[pack.id]}
        revision = registered.get(successor) or Engine([successor], backend="reference", plugins=False).packs[0]
        assert revision.ref == successor and revision.effective_from == pack.effective_from


def test_kept_json_has_both_languages_for_each_withdrawn_version() -> None:
    raw = json.loads((RELEASED / "kept.json").read_text("utf-8"))
    for ref, entry in raw.items():
        if ref == "_about":
            continue
        assert set(entry) <= {"replaced_by", "withdrawn"}, ref
        if "withdrawn" in entry:
            assert set(entry["withdrawn"]) == {"vi", "en"} and all(entry["withdrawn"].values()), ref


@pytest.mark.parametrize("day", [date(2025, 10, 20), date(2026, 6, 30)])
@pytest.mark.parametrize("version", ["2025.10", "2025.11", "2026.01"])
def test_a_pinned_released_version_decides_as_its_revision(data: tuple[list[Official], list[Unit]], day: date,
                                                           version: str) -> None:
    """The revisions (.1) only named the law's uncertain values as parameters, same defaults (CHANGELOG): the
    version released before gives the same findings, and its report names it and its released sha256."""
    officials, units = data
    old = Engine([f"vn-commune-2tier@{version}"], backend="reference", plugins=False).evaluate(officials, units, day)
    new = Engine([f"vn-commune-2tier@{version}.1"], backend="reference", plugins=False).evaluate(officials, units, day)
    [ref] = old.packs
    assert (ref.id, ref.version) == ("vn-commune-2tier", version)
    assert ref.sha256.startswith(RELEASED_SHA256[f"vn-commune-2tier@{version}"])
    current = Engine([f"vn-commune-2tier@{version}.2"], backend="reference", plugins=False).evaluate(officials, units,
                                                                                                     day)
    assert decided(old, "vn-commune-2tier") == decided(new, "vn-commune-2tier") == decided(current, "vn-commune-2tier")
    assert len(decided(old, "vn-commune-2tier")) > 1000
    assert old.metrics == new.metrics == current.metrics
    assert not any("released version" in n or "phiên bản" in n for n in old.notes)  # not withdrawn: no note


def test_the_default_chooses_the_revision_in_force() -> None:
    engine = Engine(backend="reference", plugins=False)
    for day, version in ((date(2025, 7, 1), "2025.07.2"), (date(2025, 10, 8), "2025.10.3"),
                         (date(2025, 11, 17), "2025.11.3"), (date(2026, 1, 1), "2026.01.4")):
        packs, _ = engine.packs_for(day)
        assert [p.version for p in packs if p.id == "vn-commune-2tier"] == [version]
    # a pack id named without a version: its version of the date, never a kept one
    named = Engine(["vn-commune-2tier"], backend="reference", plugins=False)
    assert [p.version for p in named.packs_for(date(2025, 10, 20))[0]] == ["2025.10.3"]
    assert engine.kept == {} and named.kept == {}


@pytest.mark.parametrize(("lang", "words"), [("vi", "phiên bản 2025.07.1 thay thế vì staffing.council_vice_chairs dẫn "
                                                    "NQ 106/2025/UBTVQH15"),
                                             ("en", "version 2025.07.1 replaced it because staffing.council_vice_chairs "
                                                    "cites NQ 106/2025/UBTVQH15")])
def test_a_withdrawn_version_pinned_says_why_in_a_note(lang: str, words: str) -> None:
    engine = Engine(["vn-commune-2tier@2025.07"], backend="reference", plugins=False, lang=lang)
    report = engine.evaluate([], [Unit("10045", "Xã Xuân Mai", "commune", 1, None, True)], date(2025, 8, 1))
    assert [n for n in report.notes if words in n] != []
    assert report.packs[0].sha256.startswith(RELEASED_SHA256["vn-commune-2tier@2025.07"])


def test_an_unknown_version_lists_the_kept_ones_too() -> None:
    with pytest.raises(PackError) as caught:
        Engine(["vn-commune-2tier@2024.10"], backend="reference", plugins=False)
    text = str(caught.value)
    assert "vn-commune-2tier@2025.10.2" in text and "vn-commune-2tier@2025.10," in text
    assert "vn-commune-2tier@2025.10.1," in text


def test_the_command_line_evaluates_and_shows_a_kept_version(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE), "--pack", "vn-commune-2tier@2025.10", "--as-of",
                                      "2025-10-20", "--format", "json", "-o", str(out), "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    assert '"version":"2025.10"' in out.read_text("utf-8").replace(" ", "")
    shown = CliRunner().invoke(cli, ["packs", "show", "vn-commune-2tier@2025.10", "--lang", "en"])
    assert shown.exit_code == 0 and "SHA-256: " + RELEASED_SHA256["vn-commune-2tier@2025.10"] in shown.output


def pack(version: str, start: date | None, rules: tuple[str, ...] = ("r.one",)) -> object:
    effective = {"from": start} if start is not None else {}
    return parse_pack({"pack": {"id": "p", "version": version, "title": "T", "effective": effective},
                       "rule": [{"id": r, "family": "quota", "when": "age < 35", "message": "m", "cite": "c"}
                                for r in rules]}, file=f"p-{version}.toml")


@pytest.mark.parametrize("start", [date(2025, 10, 8), None])
def test_a_revision_from_the_same_day_takes_the_place_of_the_version(start: date | None) -> None:
    """A plugin keeps its released 2025.10 beside 2025.10.1 and 2025.10.2 (one day): no conflict, the newest
    revision is in force, the others on no day."""
    base, first, second = succeed([pack("2025.10", start), pack("2025.10.1", start), pack("2025.10.2", start)])
    assert conflicts([base, first, second]) == []
    on = start or date(2030, 1, 1)
    assert in_force([base, first, second], on) == [second]
    assert (base.successor, first.successor, second.successor) == ("p@2025.10.1", "p@2025.10.2", None)
    # numbers as numbers: 2025.10.10 is a later revision than 2025.10.9
    nine, ten = succeed([pack("2025.10.10", start), pack("2025.10.9", start)])
    assert in_force([nine, ten], on) == [nine] and ten.successor == "p@2025.10.10"


def test_two_versions_of_one_day_that_are_not_revisions_still_conflict() -> None:
    found = conflicts(succeed([pack("2025.10", date(2025, 10, 8)), pack("2025.11", date(2025, 10, 8))]))
    assert [c.key for c in found] == ["pack.effective.from"]


def test_a_copy_of_a_kept_file_is_not_refused_as_shadowing_the_installed_pack(tmp_path: Path) -> None:
    """An office that saved the released file and evaluates it by path: the same pack, not an impostor; a changed
    copy still is one."""
    copy = tmp_path / "vn-commune-2tier-2025.10.toml"
    copy.write_bytes((RELEASED / "vn-commune-2tier-2025.10.toml").read_bytes())
    [pack] = Engine([str(copy)], backend="reference", plugins=False).packs
    assert pack.sha256.startswith(RELEASED_SHA256["vn-commune-2tier@2025.10"])
    copy.write_bytes(copy.read_bytes().replace(b"# ", b"#  ", 1))
    with pytest.raises(PackError, match=r"or pass replace_packs=True to evaluate it"):  # (the API's argument)
        Engine([str(copy)], backend="reference", plugins=False)


@pytest.mark.parametrize(("lang", "heading", "withdrawn"), [
    ("vi", "Các phiên bản đã phát hành được giữ nguyên", "đã rút lại, sửa đổi bằng"),
    ("en", "Released versions kept as they were", "withdrawn, revised by"),
])
def test_packs_list_names_the_kept_versions(lang: str, heading: str, withdrawn: str) -> None:
    """A user who pins a version finds which exist: ``packs list`` lists the kept ones after the versions in
    force, each with its revision, and why when it was withdrawn (kept.json read independently here)."""
    result = CliRunner().invoke(cli, ["packs", "list", "--lang", lang])
    assert result.exit_code == 0, result.output
    listed = result.output.split(heading, 1)[1].splitlines()[1:]
    kept = json.loads((builtin_pack_dir() / KEPT_DIR / "kept.json").read_text("utf-8"))
    refs = sorted(ref for ref in kept if not ref.startswith("_"))
    assert [line.split()[0] for line in listed if line.strip()] == refs
    for ref, line in zip(refs, [line for line in listed if line.strip()], strict=True):
        assert kept[ref]["replaced_by"] in line
        assert (withdrawn in line) == ("withdrawn" in kept[ref]), ref
        if "withdrawn" in kept[ref]:
            assert kept[ref]["withdrawn"][lang] in line


def test_the_api_lists_the_kept_versions() -> None:
    """``Engine.kept_versions()``: every version kept.json lists, loaded as released (the sha256 it was released
    with), by ref, with the revision that replaced it and why it was withdrawn; listing names none of them."""
    engine = Engine(packs=[], backend="reference")
    kept = engine.kept_versions()
    assert all(isinstance(entry, cadre_rules.Kept) for entry in kept)
    assert [entry.pack.ref for entry in kept] == sorted(kept_versions())
    assert {entry.pack.ref: entry.pack.sha256[:16] for entry in kept} == RELEASED_SHA256
    assert {entry.pack.ref: (entry.replaced_by, entry.withdrawn) for entry in kept} == kept_versions()
    by_ref = {entry.pack.ref: entry for entry in kept}
    assert (by_ref["vn-commune-2tier@2025.10"].replaced_by, by_ref["vn-commune-2tier@2025.10"].withdrawn) == \
        ("2025.10.1", None)
    withdrawn = by_ref["vn-commune-2tier@2025.07"].withdrawn
    assert withdrawn is not None and withdrawn.en.startswith("staffing.council_vice_chairs cites NQ 106/2025")
    assert engine.kept == {}  # (listed, not named: no report of this engine says it pinned one)
    pinned = engine.kept_version("vn-commune-2tier@2025.10")
    assert pinned is not None and pinned.sha256 == by_ref["vn-commune-2tier@2025.10"].pack.sha256
