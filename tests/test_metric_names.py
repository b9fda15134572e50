"""A pack names its own metrics (``name`` of a ``[[quota]]`` or ``[[staffing]]``): the name is carried by the
report (``PackRef.metrics``, the JSON report's ``packs[].metrics``) to every renderer, in the report's language;
a bad name is a located pack error; a metric without one is named as before (session 11)."""

from __future__ import annotations

import importlib.util
import io
import json
import re
from datetime import date
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
from cadre_rules.jobs._explain_scope import explain_scope
from cadre_rules.jobs._plugin_new import write_plugin
from cadre_rules.jobs._project_formats import render_projection
from cadre_rules.jobs._scope_formats import render_scope_explanation
from cadre_rules.render import render_html
from cadre_rules.render import render_text
from cadre_rules.render import render_xlsx
from cadre_rules.render._labels import MetricNames
from cadre_rules.report._report import report_to_dict
from cadre_rules.schemas import schema_text

SAMPLE_2025 = Path(__file__).parent.parent / "examples" / "hanoi-2025"
DISABLE = "CADRE_RULES_DISABLE_PLUGINS"
needs_ba_vi = pytest.mark.skipif(importlib.util.find_spec("cadre_rules_ba_vi") is None,
                                 reason="pip install -e ./plugins/cadre-rules-ba-vi")

YOUNG_VI = "Cán bộ chủ chốt dưới 35 tuổi của xã"
YOUNG_EN = "Key officials under 35 in the commune"
WORDS = "Young commune"  # what the reports showed before: words of the id quota.young_commune

PACK = """
[pack]
id = "named"
version = "1"
title = "Named"

[[quota]]
id = "quota.deputies"
{quota_name}
numerator = "holds('committee_vice_chair')"
min_share = 0.1
scopes = ["city"]
message = "{{scope}}: {{value}}"
cite = "x"

[[staffing]]
id = "staffing.chairs"
metric = "staffing.chairs_filled"
{staffing_name}
require = [{{ position = "committee_chair" }}]
scopes = ["city"]
message = "{{unit}}: {{vacant}}"
cite = "y"
"""


def pack_text(quota_name: str = "", staffing_name: str = "") -> str:
    return PACK.format(quota_name=quota_name, staffing_name=staffing_name)


def load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "named.toml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def problems(tmp_path: Path, text: str) -> list[tuple[str | None, str, str | None]]:
    with pytest.raises(PackError) as info:
        load(tmp_path, text)
    return [(p.column, p.reason, p.value) for p in info.value.problems]


# -- the pack --------------------------------------------------------------------------------------


def test_a_name_in_both_languages_or_one_text(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text('name = { vi = "Phó Chủ tịch", en = "Vice-chairs" }', 'name = "Chủ tịch"'))
    assert pack.quotas[0].name.vi == "Phó Chủ tịch" and pack.quotas[0].name.en == "Vice-chairs"
    # the staffing table names the metric it makes (its `metric`), not its rule id
    assert pack.metric_names == {"quota.deputies": {"vi": "Phó Chủ tịch", "en": "Vice-chairs"},
                                 "staffing.chairs_filled": {"vi": "Chủ tịch", "en": "Chủ tịch"}}


def test_without_a_name_nothing_is_listed(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text())
    assert pack.quotas[0].name is None and pack.staffing[0].name is None
    assert pack.metric_names == {}


@pytest.mark.parametrize(("name", "reason"), [
    ("name = 3", 'expected a string or a table { vi = "…", en = "…" }'),
    ('name = { fr = "Nom" }', 'expected a string or a table { vi = "…", en = "…" }'),
    ('name = { vi = "Tên", en = 3 }', 'expected a string or a table { vi = "…", en = "…" }'),
    ("name = {}", 'expected a string or a table { vi = "…", en = "…" }'),
    ('name = "  "', "the metric's name is empty"),
    ('name = { vi = "", en = "Name" }', "the metric's name is empty"),
])
def test_a_bad_name_is_a_located_pack_error(tmp_path: Path, name: str, reason: str) -> None:
    found = problems(tmp_path, pack_text(quota_name=name))
    assert [(column, why) for column, why, _ in found] == [("quota[0] (quota.deputies).name", reason)]
    found = problems(tmp_path, pack_text(staffing_name=name))
    assert [(column, why) for column, why, _ in found] == [("staffing[0] (staffing.chairs).name", reason)]


def test_one_metric_named_two_ways_is_refused(tmp_path: Path) -> None:
    text = pack_text(staffing_name='name = "Chủ tịch"') + """
[[staffing]]
id = "staffing.secretaries"
metric = "staffing.chairs_filled"
name = "Bí thư"
require = [{ position = "party_secretary" }]
message = "{unit}"
cite = "z"
"""
    found = problems(tmp_path, text)
    assert [(c, r) for c, r, _ in found] == [
        ("staffing[1] (staffing.secretaries).name",
         "metric 'staffing.chairs_filled' is named otherwise in staffing[0] (staffing.chairs).name")]
    # named alike twice: accepted
    assert load(tmp_path, text.replace('name = "Bí thư"', 'name = "Chủ tịch"')).metric_names == {
        "staffing.chairs_filled": {"vi": "Chủ tịch", "en": "Chủ tịch"}}


def test_a_bad_name_exits_2_located_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "named.toml"
    path.write_text(pack_text(quota_name="name = 3"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["packs", "validate", str(path), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert re.search(r"named\.toml.*quota\[0\] \(quota\.deputies\)\.name.*expected a string or a table",
                     result.output), result.output
    path.write_text(pack_text(staffing_name='name = ""'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["packs", "validate", str(path), "--lang", "vi"])
    assert result.exit_code == 2, result.output
    assert "staffing[0] (staffing.chairs).name" in result.output and "tên của chỉ số đang để trống" in result.output


def test_packs_show_says_the_names(tmp_path: Path) -> None:
    path = tmp_path / "named.toml"
    path.write_text(pack_text('name = { vi = "Phó Chủ tịch", en = "Vice-chairs" }', 'name = "Chủ tịch"'),
                    encoding="utf-8")
    for lang, quota, label in (("vi", "Phó Chủ tịch", "tên chỉ số"), ("en", "Vice-chairs", "metric name")):
        result = CliRunner().invoke(cli, ["packs", "show", str(path), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert f"    {label}: {quota}\n" in result.output and f"    {label}: Chủ tịch\n" in result.output, lang


def test_the_pack_schema_knows_the_name() -> None:
    schema = json.loads(schema_text("pack"))
    for table in ("quota", "staffing"):
        assert schema["$defs"][table]["properties"]["name"] == {
            "$ref": "#/$defs/text", "description": schema["$defs"][table]["properties"]["name"]["description"]}


# -- the report and its renderers ------------------------------------------------------------------


def test_the_report_carries_the_names_and_every_format_shows_them(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text('name = { vi = "Phó Chủ tịch UBND trong cán bộ chủ chốt", '
                                    'en = "Committee vice-chairs among key officials" }'))
    officials = load_officials(SAMPLE_2025 / "officials.csv")
    units = load_units(SAMPLE_2025 / "units.csv")
    report = Engine(packs=[pack], plugins=False).evaluate(officials, units, as_of=date(2025, 12, 31))
    assert report.packs[0].metrics == {"quota.deputies": {"vi": "Phó Chủ tịch UBND trong cán bộ chủ chốt",
                                                          "en": "Committee vice-chairs among key officials"}}
    doc = report_to_dict(report)
    assert doc["packs"][0]["metrics"] == report.packs[0].metrics
    jsonschema.validate(doc, json.loads(schema_text("report")))
    for lang, name, other in (("vi", "Phó Chủ tịch UBND trong cán bộ chủ chốt", "Deputies"),
                              ("en", "Committee vice-chairs among key officials", "Deputies")):
        text = render_text(report, lang=lang)
        html = render_html(report, lang)
        assert name in text and name in html, lang
        assert other not in text and other not in html, lang
        # the metric the pack does not name: words of its id, as before
        assert "Chairs filled" in text
    assert "Phó Chủ tịch UBND trong cán bộ chủ chốt" in _xlsx_texts(render_xlsx(report, "vi"))


def test_a_report_without_names_has_no_metrics_key(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text())
    report = Engine(packs=[pack], plugins=False).evaluate(load_officials(SAMPLE_2025 / "officials.csv"),
                                           load_units(SAMPLE_2025 / "units.csv"), as_of=date(2025, 12, 31))
    assert report.packs[0].metrics == {}
    assert "metrics" not in report_to_dict(report)["packs"][0]
    assert "Deputies" in render_text(report, lang="vi")  # the fallback: words of the id


def test_pack_ref_checks_its_names() -> None:
    assert PackRef("p", "1", "x", {"m": {"vi": "Tên", "en": "Name"}}).metrics == {"m": {"vi": "Tên", "en": "Name"}}
    for bad in ({"m": {"vi": "Tên"}}, {"m": "Tên"}, ["m"], {"m": {"vi": "Tên", "en": 3}}):
        with pytest.raises(InputError) as info:
            PackRef("p", "1", "x", bad)  # type: ignore[arg-type]
        assert [p.column for p in info.value.problems] == ["metrics"], bad


def _xlsx_texts(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            if cell is not None}


# -- the example plugin ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ba_vi_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The 2025 sample with the installed plugins, as of 2025-12-31: vi text, html, xlsx; en text; json."""
    out = tmp_path_factory.mktemp("ba-vi")
    found: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DISABLE, raising=False)
        for name, lang, fmt in (("text", "vi", "text"), ("html", "vi", "html"), ("xlsx", "vi", "xlsx"),
                                ("text-en", "en", "text"), ("json", "vi", "json")):
            path = out / f"report.{name}"
            result = CliRunner().invoke(cli, ["evaluate", str(SAMPLE_2025), "--as-of", "2025-12-31", "--lang", lang,
                                              "--format", fmt, "-o", str(path)])
            assert result.exit_code == 1, result.output
            found[name] = path.read_bytes()
    return found


@needs_ba_vi
def test_the_ba_vi_metric_is_named_in_vietnamese(ba_vi_outputs: dict[str, Any]) -> None:
    text = ba_vi_outputs["text"].decode()
    html = ba_vi_outputs["html"].decode()
    xlsx = _xlsx_texts(ba_vi_outputs["xlsx"])
    assert f"ba-vi-local: {YOUNG_VI}" in text
    assert YOUNG_VI in html
    assert YOUNG_VI in xlsx
    for shown in (text, html, "\n".join(xlsx)):
        assert WORDS not in shown
    assert f"ba-vi-local: {YOUNG_EN}" in ba_vi_outputs["text-en"].decode()


@needs_ba_vi
def test_the_json_report_lists_the_ba_vi_names(ba_vi_outputs: dict[str, Any]) -> None:
    doc = json.loads(ba_vi_outputs["json"])
    jsonschema.validate(doc, json.loads(schema_text("report")))
    named = {p["id"]: p.get("metrics") for p in doc["packs"]}
    assert named["ba-vi-local"] == {
        "quota.ethnic_minority": {"vi": "Cán bộ chủ chốt là người dân tộc thiểu số",
                                  "en": "Ethnic-minority key officials"},
        "quota.young_commune": {"vi": YOUNG_VI, "en": YOUNG_EN}}
    assert named["hanoi-de-an-34"] is None  # the built-in packs name no metric: their reports are unchanged


# -- the plugin scaffold ---------------------------------------------------------------------------


def test_the_scaffold_has_a_name_to_fill(tmp_path: Path) -> None:
    root = write_plugin("dong-anh", tmp_path, communes=["00454"])
    path = next(root.glob("src/*/dong-anh-local.toml"))
    text = path.read_text(encoding="utf-8")
    commented = text[text.index("# [[quota]]"):]
    assert "# name = " in commented
    # uncommented, the example is a valid quota whose metric is named
    path.write_text(text[:text.index("# [[quota]]")] + re.sub(r"(?m)^# ", "", commented), encoding="utf-8")
    pack = load_pack(path)
    assert list(pack.metric_names) == ["quota.young_dong_anh"]
    assert pack.metric_names["quota.young_dong_anh"]["vi"].startswith("Cán bộ chủ chốt dưới 35 tuổi")


# -- explain --unit/--district/--city and project: the same names ------------------------------------


NAMED = 'name = { vi = "Phó Chủ tịch UBND trong cán bộ chủ chốt", en = "Committee vice-chairs among key officials" }'
NAMED_VI = "Phó Chủ tịch UBND trong cán bộ chủ chốt"
NAMED_EN = "Committee vice-chairs among key officials"


def test_metric_names_named_is_the_pack_s_name_else_the_built_in_else_none() -> None:
    refs = [PackRef("p", "1", "x", {"quota.young": {"vi": "Trẻ của xã", "en": "Young of the commune"}})]
    assert MetricNames(refs, "vi").named("p", "quota.young") == "Trẻ của xã"
    assert MetricNames(refs, "en").named("p", "quota.young") == "Young of the commune"
    # another pack's metric of the same id keeps the built-in name; an unknown id has none (no words of its id)
    assert MetricNames(refs, "en").named("q", "quota.young") == "Key officials under 35"
    assert MetricNames(refs, "en").named("p", "quota.other") is None
    assert MetricNames(refs, "en")("p", "quota.other") == "Other"


def _sample() -> tuple[list[Any], list[Any]]:
    return load_officials(SAMPLE_2025 / "officials.csv"), load_units(SAMPLE_2025 / "units.csv")


def test_explain_city_names_the_pack_s_metrics(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(NAMED))
    officials, units = _sample()
    scoped = explain_scope(Engine(packs=[pack], plugins=False), officials, units, "city", None, date(2025, 12, 31))
    for lang, name in (("vi", NAMED_VI), ("en", NAMED_EN)):
        text = render_scope_explanation(scoped, lang=lang)
        assert f"named: {name}: " in text, lang  # the metrics' list
        assert f"● {name} — named/quota.deputies" in text, lang  # the quota's people
        assert "Deputies" not in text, lang
        assert "Chairs filled" in text  # the metric the pack does not name: words of its id, as before
    # redacted: the people go, the metric's name stays
    assert f"● {NAMED_VI} — named/quota.deputies" in render_scope_explanation(scoped.redacted(), lang="vi")


def test_explain_city_without_names_is_as_before(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text())
    officials, units = _sample()
    scoped = explain_scope(Engine(packs=[pack], plugins=False), officials, units, "city", None, date(2025, 12, 31))
    text = render_scope_explanation(scoped, lang="en")
    assert "named: Deputies: " in text
    assert "● named/quota.deputies" in text  # no name before the id


def test_project_names_the_pack_s_metrics(tmp_path: Path) -> None:
    pack = load(tmp_path, pack_text(NAMED))
    officials, units = _sample()
    projection = project(Engine(packs=[pack], plugins=False), officials, units, date(2027, 12, 31),
                         as_of=date(2025, 12, 31))
    for lang, name in (("vi", NAMED_VI), ("en", NAMED_EN)):
        text = render_projection(projection, "text", lang)
        html = render_projection(projection, "html", lang)
        assert isinstance(text, str) and isinstance(html, str)
        assert re.search(rf"(?m)^{re.escape(name)} \(≥ [^)]*\): named quota\.deputies$", text), lang
        assert f"<h2>{name}: named quota.deputies</h2>" in html, lang
    unnamed = project(Engine(packs=[load(tmp_path, pack_text())], plugins=False), officials, units,
                      date(2027, 12, 31), as_of=date(2025, 12, 31))
    assert re.search(r"(?m)^Metric \(≥ [^)]*\): named quota\.deputies$", str(render_projection(unnamed, "text", "en")))


def _run(*args: str) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DISABLE, raising=False)
        result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


@needs_ba_vi
def test_explain_unit_names_the_ba_vi_metric() -> None:
    for lang, name in (("vi", YOUNG_VI), ("en", YOUNG_EN)):
        text = _run("explain", str(SAMPLE_2025), "--unit", "09619", "--as-of", "2025-12-31", "--lang", lang)
        assert f"ba-vi-local: {name}: 0/8" in text, lang  # (Đề án 34's eight key posts from 2025-07-01)
        assert f"● {name} — ba-vi-local/quota.young_commune" in text, lang
        assert WORDS not in text, lang


@needs_ba_vi
def test_project_names_the_ba_vi_metric(tmp_path: Path) -> None:
    for lang, name in (("vi", YOUNG_VI), ("en", YOUNG_EN)):
        text = _run("project", str(SAMPLE_2025), "--as-of", "2025-12-31", "--to", "2027-06-30", "--lang", lang)
        assert re.search(rf"(?m)^{re.escape(name)} \(≥ [^)]*\): ba-vi-local quota\.young_commune$", text), lang
        assert f"Xã Quảng Oai: {name}: " in text, lang  # what it takes
        path = tmp_path / f"projection-{lang}.html"
        _run("project", str(SAMPLE_2025), "--as-of", "2025-12-31", "--to", "2027-06-30", "--lang", lang,
             "--format", "html", "-o", str(path))
        assert f"<h2>{name}: ba-vi-local quota.young_commune</h2>" in path.read_text(encoding="utf-8"), lang
