"""The json of ``explain --unit/--district/--city`` and of ``project`` name each metric as every other output does
(its pack's ``name``, else the built-in packs' name: ``MetricNames``), in both languages, ``"name": {"vi", "en"}``
(``null`` when neither names it; the same whatever ``--lang``), added after the fields they had: nothing moved or
removed (session 12)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules import load_units
from cadre_rules import project
from cadre_rules import projection_to_dict
from cadre_rules._cli import cli
from cadre_rules.jobs._explain_scope import explain_scope

SAMPLE_2025 = Path(__file__).parent.parent / "examples" / "hanoi-2025"
AS_OF = "2025-12-31"
DEPUTIES = {"vi": "Phó Chủ tịch trong cán bộ chủ chốt", "en": "Vice-chairs among key officials"}

PACK = """
[pack]
id = "named"
version = "1"
title = "Named"

[[quota]]
id = "quota.deputies"
name = { vi = "Phó Chủ tịch trong cán bộ chủ chốt", en = "Vice-chairs among key officials" }
numerator = "holds('committee_vice_chair')"
min_share = 0.1
scopes = ["city", "unit"]
message = "{scope}: {value}"
cite = "x"

[[staffing]]
id = "staffing.chairs"
metric = "staffing.chairs_filled"
require = [{ position = "committee_chair" }]
scopes = ["city"]
message = "{unit}: {vacant}"
cite = "y"
"""

#: The built-in packs' names of their metrics (the catalogue's, written out here).
BUILT_IN = {"quota.young": {"vi": "Cán bộ chủ chốt dưới 35 tuổi", "en": "Key officials under 35"},
            "quota.women": {"vi": "Cán bộ chủ chốt nữ", "en": "Women among key officials"},
            "staffing.fill_rate": {"vi": "Tỷ lệ bố trí đủ chức danh chủ chốt", "en": "Key posts filled"},
            "quota.woman_standing_committee": {"vi": "Nữ trong ban thường vụ",
                                               "en": "A woman on the standing committee"}}
#: The keys of a metric of explain's json, and of a target of project's, before the names (in their order).
EXPLAIN_METRIC = ["pack", "id", "metric"]
EXPLAIN_QUOTA = ["pack", "quota", "family", "severity", "cite", "metric", "counted", "not_counted", "unknown"]
TARGET = ["pack", "id", "kind", "family", "scope", "scope_id", "scope_name", "target", "op", "per", "points",
          "first_unmet", "leavers", "needed"]


@pytest.fixture(scope="module")
def pack_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "named.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def _json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_explain_json_names_the_pack_s_metrics_after_their_fields(pack_path: Path) -> None:
    doc = _json("explain", str(SAMPLE_2025), "--city", "--as-of", AS_OF, "--pack", str(pack_path))
    by_id = {m["id"]: m for m in doc["metrics"]}
    assert by_id["quota.deputies"]["name"] == DEPUTIES
    assert by_id["staffing.chairs_filled"]["name"] is None  # (named by neither: the text shows words of its id)
    assert [list(m) for m in doc["metrics"]] == [[*EXPLAIN_METRIC, "name"]] * len(doc["metrics"])
    [quota] = doc["quotas"]
    assert list(quota) == [*EXPLAIN_QUOTA, "name"]
    assert (quota["quota"], quota["name"]) == ("quota.deputies", DEPUTIES)


def test_explain_json_names_the_built_in_metrics_alike_in_either_language() -> None:
    texts = {lang: CliRunner().invoke(cli, ["explain", str(SAMPLE_2025), "--city", "--as-of", AS_OF, "--lang", lang,
                                            "--format", "json"]).output for lang in ("vi", "en")}
    docs = {lang: json.loads(text) for lang, text in texts.items()}
    assert [m["name"] for m in docs["vi"]["metrics"]] == [m["name"] for m in docs["en"]["metrics"]]
    assert [q["name"] for q in docs["vi"]["quotas"]] == [q["name"] for q in docs["en"]["quotas"]]
    doc = docs["vi"]
    names = {m["id"]: m["name"] for m in doc["metrics"]}
    assert {k: names[k] for k in ("quota.young", "quota.women", "staffing.fill_rate")} == \
        {k: BUILT_IN[k] for k in ("quota.young", "quota.women", "staffing.fill_rate")}
    assert all(q["name"] == BUILT_IN.get(q["quota"], q["name"]) and q["name"] is not None for q in doc["quotas"])


def test_explain_unit_json_as_the_api_gives_it(pack_path: Path) -> None:
    officials, units = load_officials(SAMPLE_2025 / "officials.csv"), load_units(SAMPLE_2025 / "units.csv")
    scoped = explain_scope(Engine(packs=[load_pack(pack_path)], plugins=False), officials, units, "unit",
                           units[0].code, date(2025, 12, 31))
    doc = scoped.to_dict()
    assert [(m["id"], m["name"]) for m in doc["metrics"]] == [("quota.deputies", DEPUTIES)]  # type: ignore[index]
    assert scoped.redacted().to_dict()["metrics"] == doc["metrics"]  # (a name is no person's)


def test_project_json_names_each_target_after_its_fields(pack_path: Path) -> None:
    doc = _json("project", str(SAMPLE_2025), "--as-of", AS_OF, "--to", "2027-06-30", "--pack", str(pack_path),
                "--pack", "hanoi-de-an-34")
    targets = doc["targets"]
    assert {list(t)[-1] for t in targets} == {"name"}
    assert {tuple(list(t)[:-1]) for t in targets} == {tuple(TARGET)}
    names = {(t["pack"], t["id"]): t["name"] for t in targets}
    assert names[("named", "quota.deputies")] == DEPUTIES
    assert names[("named", "staffing.chairs_filled")] is None
    assert names[("hanoi-de-an-34", "quota.young")] == BUILT_IN["quota.young"]
    # a rule of a unit is named as the text names it: by the built-in metric of its id, else not
    assert names[("hanoi-de-an-34", "quota.woman_standing_committee")] == BUILT_IN["quota.woman_standing_committee"]
    assert {t["kind"] for t in targets} == {"metric", "rule"}


def test_project_json_names_alike_in_either_language_and_in_the_api_s_document() -> None:
    texts = {lang: CliRunner().invoke(cli, ["project", str(SAMPLE_2025), "--as-of", AS_OF, "--to", "2026-12-31",
                                            "--lang", lang, "--format", "json"]).output for lang in ("vi", "en")}
    assert [t["name"] for t in json.loads(texts["vi"])["targets"]] == \
        [t["name"] for t in json.loads(texts["en"])["targets"]]
    officials, units = load_officials(SAMPLE_2025 / "officials.csv"), load_units(SAMPLE_2025 / "units.csv")
    projection = project(Engine(plugins=False), officials, units, date(2026, 12, 31), as_of=date(2025, 12, 31))
    document = projection_to_dict(projection)
    assert [t["name"] for t in document["targets"]] == [t["name"] for t in json.loads(texts["vi"])["targets"]]
    assert any(t["name"] == BUILT_IN["quota.young"] for t in document["targets"])
