"""Rules named for the officer (session 12): every built-in rule has a name in Vietnamese and English
(``render/_labels``, through the catalogue); a pack may name its own rules (``name`` of a ``[[rule]]``; a
``[[quota]]``'s ``name`` names its rule as well as its metric), carried by ``PackRef.rules`` and the JSON report's
``packs[].rules``; every format a person reads shows the name with the id beside it; a rule without any name is
shown by its id alone, as before."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import tomllib
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import PackError
from cadre_rules import PackRef
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules import project
from cadre_rules._cli import cli
from cadre_rules.engine._asof import ENGINE_PACK
from cadre_rules.engine._asof import PAST_RETIREMENT
from cadre_rules.jobs._explain_official import explain_official
from cadre_rules.jobs._explain_scope import explain_scope
from cadre_rules.jobs._project_formats import render_projection
from cadre_rules.jobs._scope_formats import render_scope_explanation
from cadre_rules.render import render_html
from cadre_rules.render import render_text
from cadre_rules.render import render_xlsx
from cadre_rules.render._explanation import render_explanation
from cadre_rules.render._labels import RuleNames
from cadre_rules.render._labels import named_rule
from cadre_rules.render._print import print_page
from cadre_rules.report._report import report_to_dict
from cadre_rules.schemas import schema_text

ROOT = Path(__file__).parent.parent
SAMPLE_2025 = ROOT / "examples" / "hanoi-2025"
AS_OF = date(2025, 12, 31)
needs_ba_vi = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None,
                                 reason="pip install -e ./plugins/cadre-rules-ba-vi")

# -- every built-in rule is named ---------------------------------------------------------------------


def _built_in_rule_ids() -> set[str]:
    """Every rule id of the built-in packs and the example plugins, read from their files (not from the names'
    table), and the rules the engine reports itself."""
    files = [*ROOT.glob("policies/*.toml"), *ROOT.glob("plugins/*/src/*/*.toml")]
    assert len(files) >= 11
    ids = {PAST_RETIREMENT}
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in ("rule", "quota", "staffing"):
            ids.update(t["id"] for t in data.get(table, []))
    return ids


def test_every_built_in_rule_has_a_name_in_both_languages() -> None:
    ids = _built_in_rule_ids()
    assert len(ids) >= 35 and "rotation.position_change_due" in ids and "staffing.ward_council" in ids
    for rule in sorted(ids):
        vi, en = named_rule(rule, "vi"), named_rule(rule, "en")
        assert vi and en, rule
        assert vi != en, rule  # translated, not the English left in the Vietnamese report
        assert rule not in vi and rule not in en, rule


def test_names_in_the_words_of_an_hr_document() -> None:
    assert named_rule("rotation.position_change_due", "vi") == "Đến hạn chuyển đổi vị trí công tác"
    assert named_rule("rotation.position_change_due", "en") == "Position change due"
    assert named_rule("replacement.resignation_band", "vi") == "Tín nhiệm thấp: xem xét cho từ chức"
    assert named_rule(PAST_RETIREMENT, "vi") == "Đã quá tuổi nghỉ hưu"
    # a quota's rule is named as its metric (they share the id)
    assert named_rule("quota.young", "vi") == "Cán bộ chủ chốt dưới 35 tuổi"
    assert named_rule("quota.unknown", "vi") is None


def test_the_names_are_not_in_the_released_pack_files() -> None:
    for path in ROOT.glob("policies/*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert not any("name" in t for t in data.get("rule", [])), path


def test_rule_names_a_pack_s_name_wins_else_built_in_else_none() -> None:
    refs = [PackRef("p", "1", "x", rules={"rotation.eligible": {"vi": "Đủ điều kiện (của gói)", "en": "Eligible (own)"}})]
    assert RuleNames(refs, "vi")("p", "rotation.eligible") == "Đủ điều kiện (của gói)"
    assert RuleNames(refs, "en")("p", "rotation.eligible") == "Eligible (own)"
    # another pack's rule of the same id keeps the built-in name; an unknown id has none: no words made of it
    assert RuleNames(refs, "vi")("q", "rotation.eligible") == "Đủ điều kiện luân chuyển"
    assert RuleNames(refs, "vi")("p", "rule.made_up") is None
    assert RuleNames(refs, "vi").label("p", "rule.made_up") == "rule.made_up"
    assert RuleNames(refs, "en").label("q", "rotation.eligible") == "Eligible for rotation (rotation.eligible)"


# -- a pack names its rules ------------------------------------------------------------------------

PACK = """
[pack]
id = "own"
version = "1"
title = "Own"

[[rule]]
id = "rotation.long_in_post"
family = "rotation"
{rule_name}
when = "months_in_post > 1"
message = "{{months_in_post}}"
cite = "x"

[[rule]]
id = "rotation.eligible"
family = "rotation"
{eligible_name}
when = "age > 55"
message = "{{age}}"
cite = "y"

[[rule]]
id = "qualification.made_up"
family = "qualification"
when = "age > 58"
message = "{{age}}"
cite = "z"

[[quota]]
id = "quota.deputies"
{quota_name}
numerator = "holds('committee_vice_chair')"
min_share = 0.9
scopes = ["city"]
message = "{{scope}}: {{value}}"
cite = "q"
"""
LONG_VI, LONG_EN = "Giữ một vị trí quá lâu", "Too long in one post"
OWN = f'name = {{ vi = "{LONG_VI}", en = "{LONG_EN}" }}'
ELIGIBLE_VI = "Đủ điều kiện luân chuyển theo quy định riêng"
DEPUTIES_VI, DEPUTIES_EN = "Phó Chủ tịch UBND trong cán bộ chủ chốt", "Committee vice-chairs among key officials"
QUOTA = f'name = {{ vi = "{DEPUTIES_VI}", en = "{DEPUTIES_EN}" }}'


def pack_text(rule_name: str = "", eligible_name: str = "", quota_name: str = "") -> str:
    return PACK.format(rule_name=rule_name, eligible_name=eligible_name, quota_name=quota_name)


def load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "own.toml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def test_a_rule_s_name_in_both_languages_or_one_text(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(OWN, f'name = "{ELIGIBLE_VI}"', QUOTA))
    assert pack.rule_names == {"quota.deputies": {"vi": DEPUTIES_VI, "en": DEPUTIES_EN},
                               "rotation.eligible": {"vi": ELIGIBLE_VI, "en": ELIGIBLE_VI},
                               "rotation.long_in_post": {"vi": LONG_VI, "en": LONG_EN}}
    assert load(tmp_path, pack_text()).rule_names == {}


@pytest.mark.parametrize(("name", "reason"), [
    ("name = 3", 'expected a string or a table { vi = "…", en = "…" }'),
    ('name = { fr = "Nom" }', 'expected a string or a table { vi = "…", en = "…" }'),
    ("name = {}", 'expected a string or a table { vi = "…", en = "…" }'),
    ('name = "  "', "the rule's name is empty"),
    ('name = { vi = "Tên", en = "" }', "the rule's name is empty"),
])
def test_a_bad_rule_name_is_a_located_pack_error(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(PackError) as info:
        load(tmp_path, pack_text(rule_name=name))
    assert [(p.column, p.reason) for p in info.value.problems] == [("rule[0] (rotation.long_in_post).name", reason)]


def test_a_bad_rule_name_exits_2_in_the_reader_s_language(tmp_path: Path) -> None:
    path = tmp_path / "own.toml"
    path.write_text(pack_text(rule_name='name = ""'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["packs", "validate", str(path), "--lang", "vi"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "rule[0] (rotation.long_in_post).name" in result.output
    assert "tên của quy tắc đang để trống" in result.output


def test_the_pack_schema_knows_a_rule_s_name() -> None:
    schema = json.loads(schema_text("pack"))
    assert schema["$defs"]["rule"]["properties"]["name"]["$ref"] == "#/$defs/text"
    jsonschema.validate(tomllib.loads(pack_text(OWN, quota_name=QUOTA)), schema)


def test_packs_show_names_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "own.toml"
    path.write_text(pack_text(OWN), encoding="utf-8")
    for lang, label, own, built_in in (("vi", "tên quy tắc", LONG_VI, "Đủ điều kiện luân chuyển"),
                                       ("en", "rule name", LONG_EN, "Eligible for rotation")):
        result = CliRunner().invoke(cli, ["packs", "show", str(path), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert f"rotation.long_in_post  [rotation, error]\n    {label}: {own}\n" in result.output, lang
        assert f"rotation.eligible  [rotation, error]\n    {label}: {built_in}\n" in result.output, lang
        assert f"qualification.made_up  [qualification, error]\n    {label}" not in result.output, lang


# -- the report and its formats --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[list[Any], list[Any]]:
    return load_officials(SAMPLE_2025 / "officials.csv"), load_units(SAMPLE_2025 / "units.csv")


@pytest.fixture(scope="module")
def own_report(sample: tuple[list[Any], list[Any]], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The 2025 sample against the pack above, its first rule and its quota named, ``rotation.eligible`` named by
    the built-in name, ``qualification.made_up`` by none."""
    pack = load(tmp_path_factory.mktemp("own"), pack_text(OWN, quota_name=QUOTA))
    report = Engine(packs=[pack], plugins=False).evaluate(*sample, as_of=AS_OF)
    assert {f.rule for f in report.findings} >= {"rotation.long_in_post", "rotation.eligible",
                                                 "qualification.made_up", "quota.deputies"}
    return report


def test_the_report_carries_the_names_in_its_json(own_report: Any) -> None:
    assert own_report.packs[0].rules == {"quota.deputies": {"vi": DEPUTIES_VI, "en": DEPUTIES_EN},
                                         "rotation.long_in_post": {"vi": LONG_VI, "en": LONG_EN}}
    doc = report_to_dict(own_report)
    assert doc["packs"][0]["rules"] == own_report.packs[0].rules
    jsonschema.validate(doc, json.loads(schema_text("report")))
    # the findings keep their fields: the names are the pack's, not each finding's
    assert all(set(f) == set(doc["findings"][0]) for f in doc["findings"])
    assert not any(LONG_VI in json.dumps(f, ensure_ascii=False) for f in doc["findings"])


def test_a_report_of_packs_naming_no_rule_has_no_rules_key(sample: tuple[list[Any], list[Any]]) -> None:
    report = Engine(packs=["hanoi-ke-hoach-188"], plugins=False).evaluate(*sample, as_of=AS_OF)
    assert report.packs[0].rules == {}
    assert "rules" not in report_to_dict(report)["packs"][0]


def test_pack_ref_checks_its_rule_names() -> None:
    for bad in ({"r": {"vi": "Tên"}}, {"r": "Tên"}, ["r"], {"r": {"vi": "Tên", "en": 3}}):
        with pytest.raises(InputError) as info:
            PackRef("p", "1", "x", rules=bad)  # type: ignore[arg-type]
        assert [p.column for p in info.value.problems] == ["rules"], bad


def _by_rule_rows(text: str) -> dict[str, str]:
    """The text's "findings by rule" table: its first cell (the rule) → the whole line."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line in ("Phát hiện theo quy tắc", "Findings by rule"))
    rows = []
    for line in lines[start + 2:]:
        if not line.strip():
            break
        rows.append(line)
    return {re.split(r"\s{2,}", row.strip())[0]: row for row in rows}


@pytest.mark.parametrize(("lang", "long", "eligible", "deputies"), [
    ("vi", LONG_VI, "Đủ điều kiện luân chuyển", DEPUTIES_VI),
    ("en", LONG_EN, "Eligible for rotation", DEPUTIES_EN),
])
def test_text_counts_the_findings_by_rule_by_name(own_report: Any, lang: str, long: str, eligible: str,
                                                  deputies: str) -> None:
    rows = _by_rule_rows(render_text(own_report, lang=lang))
    counted = {f.rule: 0 for f in own_report.findings}
    for f in own_report.findings:
        counted[f.rule] += 1
    assert set(rows) == {f"{long} (rotation.long_in_post)", f"{eligible} (rotation.eligible)",
                         f"{deputies} (quota.deputies)", "qualification.made_up"}
    # each rule's count (its one severity's column), in the reader's number format
    for rule, line in rows.items():
        ident = rule.rsplit("(", 1)[-1].rstrip(")")
        n = counted[ident]
        assert line.split()[-3:].count(f"{n:,}".replace(",", "." if lang == "vi" else ",")) >= 1, line


def test_text_by_rule_is_as_today_for_a_rule_without_a_name(own_report: Any) -> None:
    text = render_text(own_report, lang="vi")
    assert "Made up" not in text and "made up" not in text  # no words made up from the id


@pytest.mark.parametrize(("lang", "long", "eligible"), [("vi", LONG_VI, "Đủ điều kiện luân chuyển"),
                                                        ("en", LONG_EN, "Eligible for rotation")])
def test_html_shows_the_name_with_the_id_below(own_report: Any, lang: str, long: str, eligible: str) -> None:
    page = render_html(own_report, lang)
    assert f'<td>{long}<br><small class="muted">rotation.long_in_post</small></td>' in page
    assert f'<td>{eligible}<br><small class="muted">rotation.eligible</small></td>' in page
    assert "<td>qualification.made_up</td>" in page  # its id alone, as before
    other = LONG_EN if lang == "vi" else LONG_VI
    assert other not in page


@pytest.mark.parametrize(("lang", "long", "heading"), [("vi", LONG_VI, "Phát hiện theo quy tắc"),
                                                       ("en", LONG_EN, "Findings by rule")])
def test_pdf_rules_table_and_headings_by_name(own_report: Any, lang: str, long: str, heading: str) -> None:
    page = print_page(own_report, lang)
    section = page[page.index('<section id="rules">'):]
    section = section[:section.index("</section>")]
    assert f"<h2>{heading} (" in section
    assert f'<td>{long}<br><small class="muted">rotation.long_in_post</small></td>' in section
    assert "<td>qualification.made_up</td>" in section


def test_pdf_lists_a_named_group_headed_by_its_name(sample: tuple[list[Any], list[Any]], tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(OWN))
    few = sample[0][:30]
    report = Engine(packs=[pack], plugins=False).evaluate(few, sample[1], as_of=AS_OF)
    page = print_page(report, "vi", lines=10_000)
    listed = page[page.index('<section id="findings">'):]
    assert re.search(rf'<h4><span class="sev-error">[^<]*</span> · {LONG_VI} <small class="muted">'
                     r"\(rotation\.long_in_post\)</small> \(\d+\)", listed)


def _sheet_rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(book[sheet].iter_rows(values_only=True))


@pytest.mark.parametrize(("lang", "sheets", "header", "long", "eligible"), [
    ("vi", ("Phát hiện", "Luân chuyển"), ("Quy tắc", "Tên quy tắc"), LONG_VI, "Đủ điều kiện luân chuyển"),
    ("en", ("findings", "rotation"), ("Rule", "Rule name"), LONG_EN, "Eligible for rotation"),
])
def test_xlsx_findings_sheets_have_a_rule_name_column(own_report: Any, lang: str, sheets: tuple[str, ...],
                                                      header: tuple[str, str], long: str, eligible: str) -> None:
    data = render_xlsx(own_report, lang)
    for sheet in sheets:
        rows = _sheet_rows(data, sheet)
        assert rows[0][1:3] == header, sheet
        named = {row[1]: row[2] for row in rows[1:]}
        assert named["rotation.long_in_post"] == long, sheet
        assert named["rotation.eligible"] == eligible, sheet
        if "qualification.made_up" in named:
            assert named["qualification.made_up"] is None  # no name: the cell is empty, the id beside it


def test_explain_official_headings_by_name_with_the_id(own_report: Any, sample: tuple[list[Any], list[Any]],
                                                       tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(OWN))
    official = next(f.subject_id for f in own_report.findings if f.rule == "rotation.long_in_post")
    explained = explain_official(Engine(packs=[pack], plugins=False), *sample, official, AS_OF)
    for lang, long, eligible in (("vi", LONG_VI, "Đủ điều kiện luân chuyển"), ("en", LONG_EN, "Eligible for rotation")):
        text = render_explanation(explained, lang=lang)
        assert re.search(rf"(?m)^  ● {re.escape(long)} — rotation\.long_in_post  \[", text), lang
        assert re.search(rf"(?m)^  [●○] {re.escape(eligible)} — rotation\.eligible  \[", text), lang
        assert re.search(r"(?m)^  [●○] qualification\.made_up  \[", text), lang  # as today
    # the explanation's JSON keeps its contract
    assert "rule_names" not in explained.to_dict() and LONG_VI not in explained.to_json()


def test_explain_scope_findings_by_name(own_report: Any, sample: tuple[list[Any], list[Any]], tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(OWN, quota_name=QUOTA))
    scoped = explain_scope(Engine(packs=[pack], plugins=False), *sample, "city", None, AS_OF)
    text = render_scope_explanation(scoped, lang="vi")
    assert f"{DEPUTIES_VI} — own/quota.deputies: " in text


# -- the engine's own rule and the bundled sample ----------------------------------------------------


def test_the_engine_s_own_rule_is_named(sample: tuple[list[Any], list[Any]]) -> None:
    report = Engine(packs=["vn-commune-2tier"], plugins=False).evaluate(*sample, as_of=date(2030, 12, 31))
    assert any(f.pack == ENGINE_PACK and f.rule == PAST_RETIREMENT for f in report.findings)
    assert "Đã quá tuổi nghỉ hưu (staffing.past_retirement)" in render_text(report, lang="vi")


@needs_ba_vi
def test_the_sample_s_text_by_rule_in_vietnamese_has_no_bare_ids_of_built_in_rules() -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CADRE_RULES_DISABLE_PLUGINS", raising=False)
        result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE_2025), "--as-of", "2025-12-31", "--lang", "vi"])
    assert result.exit_code == 1, result.output
    rows = _by_rule_rows(result.output)
    assert "Đến hạn chuyển đổi vị trí công tác (rotation.position_change_due)" in rows
    assert "Cán bộ chủ chốt dưới 35 tuổi của xã (quota.young_commune)" in rows  # the plugin's own quota name
    assert all(re.search(r" \([a-z_]+\.[a-z_.]+\)$", rule) for rule in rows), rows  # each named, its id beside it


def test_project_titles_a_rule_by_its_name() -> None:
    """``project``'s table of a rule (no metric: a unit's finding per step) is titled by the rule's name, with its
    id after; a rule of a target keeps its target's name ("Nữ trong ban thường vụ")."""
    officials = load_officials(SAMPLE_2025 / "officials.csv")
    units = load_units(SAMPLE_2025 / "units.csv")
    projection = project(Engine(plugins=False), officials, units, date(2027, 12, 31), as_of=date(2026, 6, 30))
    rules = {(s.pack, s.id) for s in projection.series if s.kind == "rule"}
    assert ("vn-commune-2tier", "staffing.council_vice_chairs") in rules
    for lang in ("vi", "en"):
        text = render_projection(projection, "text", lang)
        html = render_projection(projection, "html", lang)
        assert isinstance(text, str) and isinstance(html, str)
        name = named_rule("staffing.council_vice_chairs", lang)
        assert name and f"\n{name}: vn-commune-2tier staffing.council_vice_chairs\n" in text, lang
        assert f"<h2>{escape(name)}: vn-commune-2tier staffing.council_vice_chairs</h2>" in html, lang
        assert "\nRule: " not in text and "\nQuy định: " not in text
    vi = str(render_projection(projection, "text", "vi"))
    assert "\nNữ trong ban thường vụ: hanoi-de-an-34 quota.woman_standing_committee\n" in vi
