"""``match`` and ``project`` for one district or one commune (``--scope``, the API's ``scope=``): the scoped result is
the whole input's restricted by hand to the scope's posts, series and departures (a ward of the 2025 sample as of
31/12/2025; a district of the 2022 sample as of 30/6/2024), titled for it in every format; a wrong scope is
refused with ``evaluate --scope``'s located problem (exit 2 on the command line)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

import subsets
from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules import project
from cadre_rules._cli import cli
from cadre_rules._exits import option_of
from cadre_rules.engine._asof import last_day_in_post
from cadre_rules.jobs._match import MatchResult
from cadre_rules.jobs._match_formats import match_to_dict
from cadre_rules.jobs._match_formats import render_match_csv
from cadre_rules.jobs._match_formats import render_match_html
from cadre_rules.jobs._match_formats import render_match_text
from cadre_rules.jobs._match_formats import render_match_xlsx
from cadre_rules.jobs._project import Projection
from cadre_rules.jobs._project_formats import render_projection
from cadre_rules.model._argument_notes import result_named_by
from cadre_rules.model._dates import retirement_date
from cadre_rules.report._scope import scope_report

SAMPLES = {year: (path, date.fromisoformat(as_of)) for year, (path, as_of) in subsets.SAMPLES.items()}
WARD, WARD_CODE = "Phường Tương Mai", "00322"
DISTRICT = "Huyện Ba Vì"  # (its plugin's pack: series of its own)
MATCH_DISTRICT = "Huyện Phú Xuyên"  # (posts vacant and leaving)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(backend="reference")


@pytest.fixture(scope="module")
def data(engine: Engine) -> dict[str, tuple[Sequence[Official], Sequence[Unit]]]:
    return {name: engine.read(folder / "officials.csv", folder / "units.csv")
            for name, (folder, _) in SAMPLES.items()}


def _district_units(units: Sequence[Unit], district: str) -> set[str]:
    return {u.code for u in units if u.district == district}


# -- match ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def matches(engine: Engine, data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) \
        -> dict[str, tuple[MatchResult, MatchResult]]:
    """(whole, scoped) of a ward of the 2025 sample and of a district of the 2022 sample, posts leaving within
    two years too."""
    found = {}
    for sample, scope in (("2025", f"commune:{WARD}"), ("2022", f"district:{MATCH_DISTRICT.upper()}")):
        officials, units = data[sample]
        as_of = SAMPLES[sample][1]
        found[sample] = (match_posts(engine, officials, units, as_of, within=24),
                         match_posts(engine, officials, units, as_of, within=24, scope=scope))
    return found


def test_a_wards_posts_are_the_whole_matchs_of_its_unit(matches: dict[str, tuple[MatchResult, MatchResult]]) -> None:
    whole, scoped = matches["2025"]
    assert scoped.scope is not None and (scoped.scope.kind, scoped.scope.id, scoped.scope.name) == \
        ("unit", WARD_CODE, WARD)
    expected = tuple(r for r in whole.posts if r.post.unit == WARD_CODE)
    assert len(expected) >= 2 and {r.post.reason for r in expected} >= {"retiring"}
    assert scoped.posts == expected  # (each post with its candidates and near misses, as the whole match ranks them)
    # the candidates come from the whole data: other units' officials are proposed, and the note says so
    assert any(c.unit != WARD_CODE for r in scoped.posts for c in r.candidates)
    said = "các chức danh cần bố trí là của Phường Tương Mai; ứng viên được xét trong toàn bộ dữ liệu"
    assert any(n.startswith(said) for n in scoped.notes)
    assert whole.scope is None and not any("toàn bộ dữ liệu" in n for n in whole.notes)


def test_a_districts_posts_are_the_whole_matchs_of_its_units(
        matches: dict[str, tuple[MatchResult, MatchResult]],
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    whole, scoped = matches["2022"]
    codes = _district_units(data["2022"][1], MATCH_DISTRICT)
    assert scoped.scope is not None and (scoped.scope.kind, scoped.scope.id) == ("district", MATCH_DISTRICT)
    expected = tuple(r for r in whole.posts if r.post.unit in codes)
    assert len(expected) > 2 and len(expected) < len(whole.posts)
    assert {r.post.reason for r in expected} >= {"vacant", "retiring"}
    assert scoped.posts == expected


def test_assign_proposes_for_the_scopes_posts_only(engine: Engine,
                                                   data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    officials, units = data["2022"]
    codes = _district_units(units, DISTRICT)
    result = match_posts(engine, officials, units, SAMPLES["2022"][1], within=24, assign=True,
                         scope=f"district:{DISTRICT}")
    assert result.assignment
    keys = {r.post.key for r in result.posts}
    assert set(result.assignment) <= keys and all(key.split("/")[0] in codes for key in result.assignment)
    assert len(set(result.assignment.values())) == len(result.assignment)
    assert result.metrics["posts_to_fill"]["before"] == len(result.posts)


def test_listed_posts_of_other_units_are_left_out_with_a_note(
        engine: Engine, data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    officials, units = data["2025"]
    other = next(u.code for u in units if u.code != WARD_CODE)
    listed = [PostToFill(other, "committee_chair", "listed"), PostToFill(other, "council_chair", "listed"),
              PostToFill(WARD_CODE, "front_chair", "listed")]
    result = match_posts(engine, officials, units, SAMPLES["2025"][1], posts=listed, scope=f"commune:{WARD_CODE}")
    assert {(r.post.unit, r.post.position, r.post.reason) for r in result.posts} >= {
        (WARD_CODE, "front_chair", "listed")}
    assert {r.post.unit for r in result.posts} == {WARD_CODE}
    assert "2 chức danh trong danh sách không thuộc Phường Tương Mai: không xét" in result.notes
    en = match_posts(Engine(backend="reference", lang="en"), officials, units, SAMPLES["2025"][1], posts=listed[:1],
                     scope=f"commune:{WARD}")
    assert "1 listed post is not in Phường Tương Mai: left out" in en.notes
    assert "the posts are those of Phường Tương Mai; the candidates come from the whole data (rotation and transfer " \
           "bring officials from other units), as without scope" in en.notes


def test_every_format_shows_the_scope(matches: dict[str, tuple[MatchResult, MatchResult]]) -> None:
    _whole, scoped = matches["2025"]
    assert render_match_text(scoped, "vi").splitlines()[0].startswith(f"Đề xuất bố trí chức danh — {WARD} — 31/12/2025")
    assert f"<title>Đề xuất bố trí chức danh — {WARD} — ngày 31 tháng 12 năm 2025</title>" in \
        render_match_html(scoped, "vi")
    assert match_to_dict(scoped)["scope"] == {"kind": "unit", "id": WARD_CODE, "name": WARD}
    rows = render_match_csv(scoped).decode("utf-8-sig").splitlines()[1:]
    assert rows and all(row.startswith(f"{WARD_CODE},{WARD},") for row in rows)  # (the csv: the scope's rows only)
    book = openpyxl.load_workbook(io.BytesIO(render_match_xlsx(scoped, "vi")))
    assert book.sheetnames[0] == "Phạm vi"
    assert [c.value for c in next(book.worksheets[0].iter_rows())] == ["Báo cáo của", WARD]
    english = openpyxl.load_workbook(io.BytesIO(render_match_xlsx(scoped, "en")))
    assert english.sheetnames[0] == "Scope" and english.worksheets[0]["B1"].value == WARD


def test_the_whole_match_has_no_scope(matches: dict[str, tuple[MatchResult, MatchResult]]) -> None:
    whole, _scoped = matches["2025"]
    assert "scope" not in match_to_dict(whole)
    assert "Phạm vi" not in openpyxl.load_workbook(io.BytesIO(render_match_xlsx(whole, "vi"))).sheetnames


def test_a_redacted_wards_match_is_titled_by_its_code(matches: dict[str, tuple[MatchResult, MatchResult]]) -> None:
    _whole, scoped = matches["2025"]
    redacted = scoped.redacted()
    assert redacted.scope is not None and redacted.scope.name == WARD_CODE
    text = render_match_text(redacted, "vi")
    assert text.splitlines()[0].startswith(f"Đề xuất bố trí chức danh — {WARD_CODE} — ")
    assert WARD not in text and WARD not in render_match_html(redacted, "vi")
    district = matches["2022"][1].redacted()
    assert district.scope is not None and district.scope.name == MATCH_DISTRICT  # (a district is no person nor unit name)


# -- project ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def projections(engine: Engine, data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) \
        -> dict[str, tuple[Projection, Projection]]:
    found = {}
    for sample, scope, to in (("2025", f"commune:{WARD}", date(2028, 12, 31)),
                              ("2022", f"district:{DISTRICT}", date(2025, 12, 31))):
        officials, units = data[sample]
        as_of = SAMPLES[sample][1]
        found[sample] = (project(engine, officials, units, to, as_of=as_of),
                         project(engine, officials, units, to, as_of=as_of, scope=scope))
    return found


def test_a_wards_projection_is_the_whole_projections_of_its_unit(
        projections: dict[str, tuple[Projection, Projection]],
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    whole, scoped = projections["2025"]
    assert scoped.scope is not None and (scoped.scope.kind, scoped.scope.id, scoped.scope.name) == \
        ("unit", WARD_CODE, WARD)
    expected = tuple(s for s in whole.series if s.scope == "unit" and s.scope_id == WARD_CODE)
    assert expected and scoped.series == expected
    departures = tuple(d for d in whole.succession if d.official.unit == WARD_CODE)
    assert departures and scoped.succession == departures
    officials = [o for o in data["2025"][0] if o.unit == WARD_CODE]
    assert (scoped.officials, scoped.units) == (len(officials), 1)
    assert [s.date for s in scoped.steps] == [s.date for s in whole.steps]
    assert scoped.steps[0].serving <= len(officials) < whole.steps[0].serving


def test_a_districts_projection_is_the_whole_projections_of_its_units_and_its_own(
        projections: dict[str, tuple[Projection, Projection]],
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    whole, scoped = projections["2022"]
    codes = _district_units(data["2022"][1], DISTRICT)
    expected = tuple(s for s in whole.series if (s.scope == "unit" and s.scope_id in codes)
                     or (s.scope == "district" and s.scope_id == DISTRICT))
    assert scoped.series == expected
    assert {s.scope for s in expected} == {"district", "unit"}  # (the district's own rows; not the city's)
    departures = tuple(d for d in whole.succession if d.official.unit in codes)
    assert departures and scoped.succession == departures
    assert scoped.units == len(codes)
    # after 1/7/2025 there are no districts: the units' series go on, the district's stop
    last = scoped.steps[-1].date
    assert any(s.scope == "unit" and s.points[-1].date == last for s in scoped.series)
    assert all(s.points[-1].date < last for s in scoped.series if s.scope == "district")


def test_a_wards_own_shares_are_evaluates_at_each_step(
        engine: Engine, projections: dict[str, tuple[Projection, Projection]],
        data: dict[str, tuple[Sequence[Official], Sequence[Unit]]]) -> None:
    """A ward's own shares of the city's quotas, for information, as ``evaluate --scope commune:…`` gives them on each
    step date (the officials past their last day in post removed, as the projection does); a district has none."""
    _whole, scoped = projections["2025"]
    officials, units = data["2025"]
    assert {s.id for s in scoped.unit_shares} >= {"quota.young", "quota.women"}
    for step in (scoped.steps[0], scoped.steps[-1]):
        serving = [o for o in officials if last_day_in_post(o, retirement_date(o.birth_date, o.gender)) >= step.date]
        report = scope_report(engine.evaluate(serving, units, step.date), "unit", WARD)
        expected = {(s.pack, s.id): (s.numerator, s.denominator, s.target, s.op, s.binds) for s in report.unit_shares}
        got = {(s.pack, s.id): next((p.numerator, p.denominator, s.target, s.op, s.binds) for p in s.points
                                    if p.date == step.date) for s in scoped.unit_shares}
        assert expected and got == expected
    assert all(p.met is None for s in scoped.unit_shares for p in s.points)  # (never met or unmet: information)
    assert scoped.unmet() == [s for s in scoped.series if s.first_unmet is not None]
    assert projections["2022"][1].unit_shares == () and projections["2025"][0].unit_shares == ()


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "xlsx", "html"])
def test_every_projection_format_shows_the_scope(projections: dict[str, tuple[Projection, Projection]],
                                                 fmt: str) -> None:
    whole, scoped = projections["2025"]
    out = render_projection(scoped, fmt, "vi")
    if fmt == "text":
        assert isinstance(out, str) and out.startswith(f"{WARD} — Dự báo từ ngày 31/12/2025 đến ngày 31/12/2028")
        assert f"\nTỷ lệ của {WARD} (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)\n" in out
        assert "\n  Cán bộ chủ chốt dưới 35 tuổi (≥ 10,0%, Hà Nội): 25,0% → " in out
    elif fmt == "json":
        document = json.loads(out)
        assert document["scope"] == {"kind": "unit", "id": WARD_CODE, "name": WARD}
        young = next(s for s in document["unit_shares"] if s["id"] == "quota.young")
        assert young["binds"] == [{"scope": "city", "scope_id": "Hà Nội"}] and young["target"] == 0.1
        assert young["name"]["vi"] == "Cán bộ chủ chốt dưới 35 tuổi" and len(young["points"]) == len(scoped.steps)
        unscoped = json.loads(render_projection(whole, "json", "vi"))
        assert "scope" not in unscoped and "unit_shares" not in unscoped
    elif fmt == "csv":
        assert isinstance(out, str)
        rows = out.splitlines()[1:]
        assert rows and all(f",unit,{WARD_CODE},{WARD}," in row for row in rows)
        assert "hanoi-de-an-34,quota.young,share,unit,00322,Phường Tương Mai,2025-12-31,2,8,0.25,0.1,>=,,,,," in rows
    elif fmt == "xlsx":
        assert isinstance(out, bytes)
        book = openpyxl.load_workbook(io.BytesIO(out))
        assert book.sheetnames[0] == "Phạm vi"
        cells = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
        assert cells[0] == ["Báo cáo của", WARD] and cells[2][0] == "Dự báo đến ngày"
        shares = [[c.value for c in row] for row in book["Tỷ lệ của đơn vị (tham khảo)"].iter_rows()]
        young = next(row for row in shares if row[1] == "quota.young")
        assert young[:3] == ["Cán bộ chủ chốt dưới 35 tuổi", "quota.young", 0.25] and young[-1] == "Hà Nội"
    else:
        assert isinstance(out, str)
        assert f"<title>cadre-rules project — {WARD}</title>" in out
        assert f"<h1>{WARD} — Dự báo từ ngày 31/12/2025 đến ngày 31/12/2028</h1>" in out
        assert f"<h2>Tỷ lệ của {WARD} (tham khảo, chỉ tiêu áp dụng cho toàn thành phố)</h2>" in out


# -- wrong scopes -------------------------------------------------------------------------------------
# (the API's own names: the argument ``scope``, the Engine's ``legacy_districts=True``; not the command line's options)
WRONG = [
    ("2025", "ward:00322", "scope: expected district:NAME or commune:NAME (a unit's code or name)"),
    ("2025", "commune:Phường Nowhere", "scope: no unit with this code or name in the report"),
    ("2025", f"district:{DISTRICT}", "scope: the report has no districts (from 2025-07-01 there are none; "
                                     "legacy_districts=True keeps them)"),
    ("2022", "district:Quận Nowhere", "scope: no such district in the report (districts: Huyện Ba Vì, "),
]


@pytest.mark.parametrize(("sample", "scope", "reason"), WRONG)
def test_a_wrong_scope_is_refused_as_evaluate_refuses_it(
        engine: Engine, data: dict[str, tuple[Sequence[Official], Sequence[Unit]]], sample: str, scope: str,
        reason: str) -> None:
    officials, units = data[sample]
    as_of = SAMPLES[sample][1]
    for run in (lambda: match_posts(engine, officials, units, as_of, scope=scope),
                lambda: project(engine, officials, units, date(as_of.year + 1, 1, 1), as_of=as_of, scope=scope)):
        with pytest.raises(InputError) as info:
            run()
        assert len(info.value.problems) == 1 and info.value.problems[0].text().startswith(reason)
        assert info.value.problems[0].file == "scope"


@pytest.mark.parametrize("command", ["match", "project"])
@pytest.mark.parametrize(("sample", "scope", "lang", "reason"), [
    ("2025", "Tương Mai", "en", "--scope: expected district:NAME or commune:NAME (a unit's code or name)"),
    ("2025", "commune:99999", "vi", "--scope: không có đơn vị nào có mã hoặc tên này trong báo cáo "
                                    "(giá trị đọc được: '99999')"),
    ("2022", "district:Quận Nowhere", "en", "--scope: no such district in the report (districts: Huyện Ba Vì, "),
])
def test_the_command_line_refuses_a_wrong_scope_with_exit_2(command: str, sample: str, scope: str, lang: str,
                                                             reason: str) -> None:
    """The same located problem as ``evaluate --scope``, in the user's language, exit 2 and no traceback."""
    folder, as_of = SAMPLES[sample]
    extra = ["--to", f"{as_of.year + 1}-01-01"] if command == "project" else []
    outputs = {}
    for name in (command, "evaluate"):
        result = CliRunner().invoke(cli, [name, str(folder), "--as-of", as_of.isoformat(), "--lang", lang,
                                          "--scope", scope, *(extra if name == command else [])])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        outputs[name] = [line for line in result.output.splitlines() if "--scope" in line]
    assert outputs[command] == outputs["evaluate"]
    assert any(reason in line for line in outputs[command])


def test_the_command_lines_scoped_match_and_projection(tmp_path: Path) -> None:
    """``--scope`` on the command line gives the API's result (json), and ``--redact`` titles a ward by its code."""
    folder, as_of = SAMPLES["2025"]
    engine = Engine(lang="vi")
    officials, units = engine.read(folder / "officials.csv", folder / "units.csv")
    runner = CliRunner()
    got = runner.invoke(cli, ["match", str(folder), "--as-of", as_of.isoformat(), "--within", "24", "--format",
                              "json", "--scope", f"commune:{WARD}", "--lang", "vi"])
    assert got.exit_code == 0, got.output
    # (the API's result, its notes naming the caller's arguments as the command line does: --scope)
    api = result_named_by(match_posts(engine, officials, units, as_of, within=24, scope=f"commune:{WARD}"), option_of)
    assert json.loads(got.output) == json.loads(json.dumps(match_to_dict(api)))
    redacted = runner.invoke(cli, ["match", str(folder), "--as-of", as_of.isoformat(), "--within", "24",
                                   "--scope", f"commune:{WARD}", "--redact", "--lang", "vi"])
    assert redacted.exit_code == 0, redacted.output
    assert redacted.output.startswith(f"Đề xuất bố trí chức danh — {WARD_CODE} — ") and WARD not in redacted.output
    out = tmp_path / "p.json"
    got = runner.invoke(cli, ["project", str(folder), "--as-of", as_of.isoformat(), "--to", "2027-12-31",
                              "--format", "json", "-o", str(out), "--scope", f"commune:{WARD_CODE}", "--lang", "vi"])
    assert got.exit_code in (0, 1), got.output
    projected = project(engine, officials, units, date(2027, 12, 31), as_of=as_of, scope=f"commune:{WARD_CODE}")
    assert out.read_bytes() == render_projection(projected, "json", "vi")
    assert attrs.asdict(projected.scope) == {"kind": "unit", "id": WARD_CODE, "name": WARD}  # type: ignore[arg-type]
