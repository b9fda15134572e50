"""Packs over time (issue #15): versions of one id, ``replaces``, overlapping packs, key sets, averages."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import CadreRulesWarning
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules import report_to_json
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.packs._packs import Pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._registry import builtin_pack_dir
from cadre_rules.packs._succession import conflicts
from cadre_rules.packs._succession import last_day
from cadre_rules.packs._succession import succeed

POLICIES = Path(__file__).parents[1] / "policies"


def pack(ident: str, version: str, start: date | None, end: date | None = None, *, rules: tuple[str, ...] = ("r.one",),
         replaces: tuple[str, ...] = ()) -> Pack:
    effective = {k: v for k, v in (("from", start), ("to", end)) if v is not None}
    data: dict[str, object] = {
        "pack": {"id": ident, "version": version, "title": "T", "effective": effective, "replaces": list(replaces)},
        "rule": [{"id": r, "family": "quota", "when": "age < 35", "message": "m", "cite": "c"} for r in rules],
    }
    return parse_pack(data, file=f"{ident}-{version}.toml")


def test_versions_succeed_each_other() -> None:
    a, b, c = succeed([pack("p", "1", date(2025, 1, 1)), pack("p", "2", date(2025, 7, 1)),
                       pack("p", "3", date(2026, 1, 1), date(2026, 12, 31))])
    assert (a.superseded_on, a.successor, last_day(a)) == (date(2025, 7, 1), "p@2", date(2025, 6, 30))
    assert (b.successor, last_day(b)) == ("p@3", date(2025, 12, 31))
    assert (c.successor, last_day(c)) == (None, date(2026, 12, 31))
    assert [x.in_effect(date(2025, 6, 30)) for x in (a, b, c)] == [True, False, False]
    assert [x.in_effect(date(2025, 7, 1)) for x in (a, b, c)] == [False, True, False]
    assert conflicts([a, b, c]) == []


def test_replaces_ends_the_latest_version_begun_before() -> None:
    old, newer_old, new = succeed([pack("old", "1", date(2020, 1, 1)), pack("old", "2", date(2023, 1, 1)),
                                   pack("new", "1", date(2025, 7, 1), replaces=("old",))])
    assert (old.successor, newer_old.successor, newer_old.superseded_on) == ("old@2", "new@1", date(2025, 7, 1))
    assert not newer_old.in_effect(date(2025, 7, 1)) and newer_old.in_effect(date(2025, 6, 30))
    assert new.in_effect(date(2025, 7, 1))
    assert conflicts([old, newer_old, new]) == []


def test_overlapping_packs_deciding_the_same_rule_are_a_located_conflict() -> None:
    packs = succeed([pack("a", "1", date(2023, 1, 1)), pack("b", "1", date(2025, 7, 1), rules=("r.one", "r.two"))])
    [conflict] = conflicts(packs)
    problem = conflict.problem()
    assert (problem.file, problem.column, problem.value) == ("b-1.toml", "pack.effective", "b@1")
    assert "same units as a@1" in problem.reason and "from 2025-07-01" in problem.reason
    assert "both define rule r.one" in problem.reason and 'replaces = ["a"]' in problem.reason
    # disjoint periods, different rules, or a declared replacement: no conflict
    assert conflicts(succeed([pack("a", "1", date(2023, 1, 1), date(2025, 6, 30)), pack("b", "1", date(2025, 7, 1))])) \
        == []
    assert conflicts(succeed([pack("a", "1", date(2023, 1, 1)), pack("b", "1", date(2025, 7, 1), rules=("r.x",))])) \
        == []
    assert conflicts(succeed([pack("a", "1", date(2023, 1, 1)),
                              pack("b", "1", date(2025, 7, 1), replaces=("a",))])) == []


def test_versions_that_collide_are_located() -> None:
    same_day = conflicts(succeed([pack("p", "1", date(2025, 1, 1)), pack("p", "2", date(2025, 1, 1))]))
    assert [(c.problem().column, "both take effect on 2025-01-01" in c.reason) for c in same_day] == [
        ("pack.effective.from", True)]
    too_long = conflicts(succeed([pack("p", "1", date(2025, 1, 1), date(2025, 12, 31)),
                                  pack("p", "2", date(2025, 7, 1))]))
    assert [c.problem().column for c in too_long] == ["pack.effective.to"]
    assert "end the earlier one the day before" in too_long[0].reason
    twice = conflicts(succeed([pack("p", "1", date(2025, 1, 1)), pack("p", "1", date(2025, 1, 1))]))
    assert "registered twice" in twice[0].reason


def _clash(tmp_path: Path) -> tuple[Path, object]:
    """A pack file that decides the rules of an installed pack over the same period, and a plugin registering it."""
    file = tmp_path / "clash.toml"
    text = (POLICIES / "hanoi-de-an-34-2025.07.toml").read_text(encoding="utf-8")
    file.write_text(text.replace('id = "hanoi-de-an-34"', 'id = "clash"', 1), encoding="utf-8")

    class Clash:
        @hookimpl
        def cadre_rules_register_packs(self, register):  # type: ignore[no-untyped-def]
            register(file)

    return file, Clash()


def test_a_plugin_pack_that_conflicts_is_disabled_by_name(tmp_path: Path) -> None:
    _, plugin = _clash(tmp_path)
    with pytest.warns(Warning, match=r"registered a pack that conflicts with another: .*clash.toml, pack.effective"):
        engine = Engine(backend="reference", plugins=[plugin])
    assert "clash" not in engine.available


def test_pack_replaces_is_validated() -> None:
    with pytest.raises(PackError) as info:
        parse_pack({"pack": {"id": "p", "version": "1", "title": "T", "replaces": ["p", "Bad Id"]}})
    assert [(p.column, p.reason.split(" (")[0]) for p in info.value.problems] == [
        ("pack.replaces[0]", "a pack does not replace itself"), ("pack.replaces[1]", "expected a pack id")]


# -- key-position sets and unknown post codes ----------------------------------------------------

def key_sets(**kp: object) -> dict[str, object]:
    return {"pack": {"id": "k", "version": "1", "title": "T"}, "params": {"key_set": "core3"}, "key_positions": kp}


def test_key_set_chosen_by_a_parameter() -> None:
    loaded = parse_pack(key_sets(set="key_set", sets={"core3": ["party_secretary", "front_chair"],
                                                      "extended": ["party_secretary", "council_chair"]}))
    assert (loaded.key_set, loaded.key_positions) == ("core3", ("party_secretary", "front_chair"))
    other = loaded.with_params({"key_set": "extended"})
    assert (other.key_set, other.key_positions) == ("extended", ("party_secretary", "council_chair"))


@pytest.mark.parametrize(("kp", "column", "reason"), [
    (dict(set="key_set", sets={"extended": ["party_secretary"]}), "params.key_set",
     "expected one of the key position sets: extended"),
    (dict(set="key_set", sets={"core3": ["party_secretary", "vice_mayor"]}), "key_positions.sets.core3[1]",
     "unknown position"),
    (dict(set="key_set", sets={"core3": ["party_secretary"], "extended": ["front_vice_chairman"]}),
     "key_positions.sets.extended[0]", "unknown position"),
    (dict(set="key_set", sets={"core3": []}), "key_positions.sets.core3", "expected a non-empty list"),
    (dict(set="key_set"), "key_positions.set", "names one of key_positions.sets"),
    (dict(codes=["party_secretary"], set="key_set", sets={"core3": ["party_secretary"]}), "key_positions.codes",
     "give either codes or sets"),
])
def test_bad_key_sets_are_located(kp: dict[str, object], column: str, reason: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(key_sets(**kp), file="k.toml")
    assert [(p.file, p.column, p.reason.startswith(reason)) for p in info.value.problems] == [("k.toml", column, True)]


def test_unknown_post_code_of_the_new_structure_is_located() -> None:
    data = {"pack": {"id": "s", "version": "1", "title": "T"},
            "staffing": [{"id": "staffing.x", "require": [{"position": "ppsc_directr"}], "message": "m", "cite": "c"}]}
    with pytest.raises(PackError) as info:
        parse_pack(data, file="s.toml")
    [problem] = info.value.problems
    assert (problem.column, problem.value) == ("staffing[0] (staffing.x).require[0].position", "ppsc_directr")
    assert "did you mean 'ppsc_director'" in problem.reason


def test_new_post_codes_parse_from_labels_and_default_their_category() -> None:
    from cadre_rules.model._codes import POSITION
    from cadre_rules.model._model import default_category

    assert POSITION.parse("Phó Bí thư thường trực") == "standing_deputy_party_secretary"
    assert POSITION.parse("Giám đốc Trung tâm PVHCC") == "ppsc_director"
    assert [default_category(c) for c in ("standing_deputy_party_secretary", "front_vice_chair", "office_chief",
                                          "department_head", "department_deputy", "ppsc_director")] == [
        "cadre", "cadre", "civil_servant", "civil_servant", "civil_servant", "civil_servant"]


# -- quotas per unit ---------------------------------------------------------------------------

def average_pack(**quota: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "q.avg", "numerator": "holds('committee_vice_chair')",
                               "population": "holds('committee_vice_chair')", "message": "m", "cite": "c"}
    base.update(quota)
    return {"pack": {"id": "avg", "version": "1", "title": "T"}, "quota": [base]}


@pytest.mark.parametrize(("quota", "reason"), [
    (dict(per="unit", max_share=0.5), "give exactly one of min_average or max_average (per = 'unit')"),
    (dict(max_average=2.5), "give exactly one of min_share or max_share"),
    (dict(per="unit", max_average=-1), "expected a number ≥ 0 (or a parameter name)"),
    (dict(per="district", max_average=1),
     "expected 'official' (a share of the population) or 'unit' (an average per unit in the scope)"),
])
def test_bad_averages_are_located(quota: dict[str, object], reason: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(average_pack(**quota), file="avg.toml")
    assert reason in [p.reason for p in info.value.problems]


@pytest.mark.parametrize("backend", ["reference", "durable"])
def test_average_per_unit_counts_units_without_holders(backend: str) -> None:
    from cadre_rules.engine import _durable

    if backend == "durable" and not _durable.AVAILABLE:
        pytest.skip("no durable")
    loaded = parse_pack(average_pack(per="unit", max_average=1.5, scopes=["city", "unit"]))
    units = [Unit(c, c, "commune", 1, None, True) for c in ("A", "B")]
    people = [Official(f"O{i}", "Tên", "male", date(1980, 1, 1), "A", "committee_vice_chair", "university",
                       "intermediate") for i in range(3)]
    report = Engine([loaded], backend=backend, plugins=False).evaluate(people, units, date(2026, 1, 1))
    got = {m.scope_id: (m.numerator, m.denominator, m.met, m.per) for m in report.metrics}
    assert got == {"Hà Nội": (3, 2, True, "unit"), "A": (3, 1, False, "unit"), "B": (0, 1, True, "unit")}
    assert '"per":"unit"' in report_to_json(report)


def test_an_average_per_unit_is_no_bar_of_a_share_in_html() -> None:
    from cadre_rules.render import render_html

    loaded = parse_pack(average_pack(per="unit", max_average=1.5, scopes=["city", "unit"]))
    units = [Unit(c, c, "commune", 1, None, True) for c in ("A", "B")]
    people = [Official(f"O{i}", "Tên", "male", date(1980, 1, 1), "A", "committee_vice_chair", "university",
                       "intermediate") for i in range(3)]
    report = Engine([loaded], backend="reference", plugins=False).evaluate(people, units, date(2026, 1, 1))
    html = render_html(report, "en")
    assert "150.0%" not in html and "150%" not in html  # 3 holders in 2 units: 1.5, never a percentage
    assert "1.50" in html


# -- the command line ---------------------------------------------------------------------------

def run(*args: object) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_packs_validate_passes_on_every_builtin_pack() -> None:
    result = run("packs", "validate", builtin_dir := builtin_pack_dir())
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout.count("OK ") == len(list(builtin_dir.glob("*.toml")))  # type: ignore[attr-defined]


def test_packs_validate_reports_an_unannounced_overlap(tmp_path: Path) -> None:
    shutil.copy(POLICIES / "vn-nd33-2023.toml", tmp_path / "a.toml")
    text = (POLICIES / "vn-commune-2tier-2025.07.toml").read_text(encoding="utf-8")
    (tmp_path / "b.toml").write_text(text.replace('replaces = ["vn-nd33-2023", "hanoi-ke-hoach-188"]', "")
                                     .replace("effective = { from = 2025-07-01 }", "effective = { from = 2025-01-01 }"),
                                     encoding="utf-8")
    result = run("packs", "validate", tmp_path)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{tmp_path / 'b.toml'}, pack.effective: in force (2025-01-01 – …) for the same units as " \
           "vn-nd33-2023@2023.08.1" in result.stderr  # type: ignore[attr-defined]
    assert "qualification.degree" in result.stderr  # type: ignore[attr-defined]


def test_packs_list_as_of_shows_what_is_in_force_and_what_replaced_what() -> None:
    result = run("packs", "list", "--as-of", "2025-10-08", "--lang", "en")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    rows = {tuple(line.split()[:2]): line for line in result.stdout.splitlines()[1:]}  # type: ignore[attr-defined]
    assert "2025-07-01 – 2025-10-07  replaced by vn-commune-2tier@2025.10.3 from 2025-10-08" in \
        rows[("vn-commune-2tier", "2025.07.2")]
    assert "2025-10-08 – 2025-11-16  in force" in rows[("vn-commune-2tier", "2025.10.3")]
    assert "from 2025-11-17" in rows[("vn-commune-2tier", "2025.11.3")]
    assert "2023-08-01 – 2025-06-30  replaced by vn-commune-2tier@2025.07.2 from 2025-07-01" in \
        rows[("vn-nd33-2023", "2023.08.1")]
    assert "replaced by hanoi-de-an-34@2025.07.4 from 2025-07-01" in rows[("hanoi-de-an-34", "2023.11.4")]
    assert "in force" in rows[("hanoi-de-an-34", "2025.07.4")]
    assert run("packs", "list", "--as-of", "8/10/2025", "--lang", "en").output == result.output  # (DESIGN §7)
    bad = run("packs", "list", "--as-of", "10/2025")
    assert bad.exit_code == 2 and "DD/MM/YYYY or YYYY-MM-DD" in bad.stderr  # type: ignore[attr-defined]
    slash = run("packs", "list", "--as-of", "8/10/2025")  # as Vietnamese write it
    assert slash.exit_code == 0  # type: ignore[attr-defined]


def test_packs_show_one_version() -> None:
    result = run("packs", "show", "vn-commune-2tier@2025.10.2", "--lang", "en")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.startswith("vn-commune-2tier@2025.10.2 — ")  # type: ignore[attr-defined]
    assert "File: (built-in) " in result.stdout  # type: ignore[attr-defined]


def test_conflicts_are_in_the_reader_language_located_in_the_pack_file() -> None:
    """The plugin author's texts: each conflict in Vietnamese under vi (its dates as dd/mm/yyyy), the pack file,
    key and pack kept; English as before."""
    vi = translation("vi").gettext
    [overlap] = conflicts(succeed([pack("a", "1", date(2023, 1, 1)),
                                   pack("b", "1", date(2025, 7, 1), rules=("r.one", "r.two"))]))
    assert overlap.problem().text(vi) == (
        "b-1.toml, pack.effective: có hiệu lực (01/07/2025 – …) cho cùng các đơn vị với gói a@1 (01/01/2023 – …) "
        "từ ngày 01/07/2025, và cả hai gói đều có quy tắc r.one: hãy ghi rõ gói nào thay thế gói kia ([pack] "
        "replaces = [\"a\"]), ghi đè quy tắc ([[override]]), hoặc kết thúc thời hạn hiệu lực (effective) của một "
        "gói (giá trị đọc được: 'b@1')")
    assert overlap.problem().text() == (
        "b-1.toml, pack.effective: in force (2025-07-01 – …) for the same units as a@1 (2023-01-01 – …) from "
        "2025-07-01, and both define rule r.one: say which replaces the other ([pack] replaces = [\"a\"]), "
        "override the rule ([[override]]), or end one's effective period (got 'b@1')")
    [same_day] = conflicts(succeed([pack("p", "1", date(2025, 1, 1)), pack("p", "2", date(2025, 1, 1))]))
    assert same_day.problem().text(vi) == (
        "p-2.toml, pack.effective.from: các phiên bản 1 và 2 của gói p cùng có hiệu lực từ ngày 01/01/2025: hãy "
        "cho mỗi phiên bản một ngày effective.from riêng (giá trị đọc được: 'p@2')")
    [undated] = conflicts(succeed([pack("p", "1", None), pack("p", "2", None)]))
    assert undated.problem().text(vi) == (
        "p-2.toml, pack.effective.from: các phiên bản 1 và 2 của gói p đều không ghi ngày bắt đầu hiệu lực: hãy "
        "cho mỗi phiên bản một ngày effective.from riêng (giá trị đọc được: 'p@2')")
    assert "both take effect on any date" in undated.reason
    [too_long] = conflicts(succeed([pack("p", "1", date(2025, 1, 1), date(2025, 12, 31)),
                                    pack("p", "2", date(2025, 7, 1))]))
    assert too_long.problem().text(vi) == (
        "p-2.toml, pack.effective.to: phiên bản 1 của gói p ghi có hiệu lực đến ngày 31/12/2025, nhưng phiên bản 2 "
        "có hiệu lực từ ngày 01/07/2025: hãy cho phiên bản trước kết thúc vào ngày hôm trước "
        "(giá trị đọc được: 'p@2')")
    [twice] = conflicts(succeed([pack("p", "1", date(2025, 1, 1)), pack("p", "1", date(2025, 1, 1))]))
    assert twice.problem().text(vi) == ("p-1.toml, pack.version: gói p phiên bản 1 được đăng ký hai lần (cả ở "
                                        "p-1.toml) (giá trị đọc được: 'p@1')")


def test_a_conflicting_plugin_pack_is_reported_in_the_reader_language(tmp_path: Path) -> None:
    """The warning disabling the plugin shows the conflict located in the pack file, in Vietnamese under vi."""
    file, plugin = _clash(tmp_path)
    with pytest.warns(CadreRulesWarning, match="registered a pack that conflicts") as caught:
        Engine(backend="reference", plugins=[plugin], lang="vi")
    texts = [w.message.text(translation("vi").gettext) for w in caught if isinstance(w.message, CadreRulesWarning)]
    assert texts and all(f"{file}, pack.effective: có hiệu lực (" in t and "cả hai gói đều có quy tắc" in t
                         for t in texts), texts
