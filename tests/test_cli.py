"""Tests of the command-line interface (DESIGN.md §7): click's CliRunner and real subprocesses."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from click.testing import Result

from cadre_rules._cli import cli
from cadre_rules.engine import _durable
from cadre_rules.model._report_records import Finding
from cadre_rules.model._report_records import Metric
from cadre_rules.model._report_records import PackRef
from cadre_rules.model._report_records import Report
from cadre_rules.render._text import render_text

PACK = Path(__file__).parent / "packs" / "every-construct.toml"
PACK_ID = "test-every-construct"
AS_OF = "2025-06-30"

KEY_POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
             "committee_chair", "committee_vice_chair", "front_chair")
OFFICIAL_COLUMNS = ("id", "full_name", "gender", "birth_date", "unit", "position", "concurrent_positions",
                    "standing_committee", "general_education", "education", "political_theory", "in_planning",
                    "ratings", "low_confidence_share")
UNIT_COLUMNS = ("code", "name", "kind", "class", "district", "has_council")

REPORT_KEYS = ["schema", "cadre_rules_version", "as_of", "packs", "input", "summary", "metrics", "findings"]
METRIC_KEYS = {"pack", "id", "scope", "scope_id", "numerator", "denominator", "value", "target", "op", "met"}
FINDING_KEYS = {"pack", "rule", "family", "severity", "subject", "scope_id", "message", "facts"}


def _name(i: int) -> str:
    return f"Nguyễn Thị Bí Mật {i}"


def _officials(posts: Sequence[str] = KEY_POSTS) -> list[dict[str, str]]:
    """One official per post in unit X01: all qualified, none under 35, two women, O01 in planning."""
    return [
        {"id": f"O{i:02d}", "full_name": _name(i), "gender": "female" if i in (2, 5) else "male",
         "birth_date": f"1975-03-{i:02d}", "unit": "X01", "position": post, "concurrent_positions": "",
         "standing_committee": "true" if i <= 2 else "false", "general_education": "upper_secondary",
         "education": "university", "political_theory": "advanced", "in_planning": "true" if i == 1 else "false",
         # (every column the packs read has a value: no rule is left undecided, issue #16 §3)
         "ratings": "2023:good;2024:good", "low_confidence_share": "0"}
        for i, post in enumerate(posts, start=1)
    ]


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _data(directory: Path, officials: Sequence[dict[str, str]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    _write_csv(directory / "officials.csv", OFFICIAL_COLUMNS, _officials() if officials is None else officials)
    _write_csv(directory / "units.csv", UNIT_COLUMNS, [
        {"code": "X01", "name": "Xã An Khánh", "kind": "commune", "class": "1", "district": "Hoài Đức",
         "has_council": "true"},
    ])
    return directory


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """Fully staffed: findings are quota.young (warning, city and district) and rotation.eligible (info)."""
    return _data(tmp_path / "good")


@pytest.fixture
def vacant(tmp_path: Path) -> Path:
    """The front chair is missing: a staffing.vacancy error as well."""
    return _data(tmp_path / "vacant", _officials(KEY_POSTS[:-1]))


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def evaluate(data: Path, *args: str | Path) -> Result:
    return run("evaluate", data, "--pack", PACK, "--as-of", AS_OF, "--backend", "reference", *args)


def _pack_with(tmp_path: Path, old: str, new: str) -> Path:
    text = PACK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pack.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- evaluate: reports


def test_json_report_has_the_contract_keys(good: Path) -> None:
    result = evaluate(good, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [k for k in doc if k in REPORT_KEYS] == REPORT_KEYS
    assert doc["schema"] == "cadre-rules/report/v3"
    assert doc["cadre_rules_version"] == metadata.version("cadre-rules")
    assert doc["as_of"] == AS_OF
    assert [set(p) for p in doc["packs"]] == [{"id", "version", "sha256", "cites"}]
    assert doc["packs"][0]["cites"] == {"quota.young": "Đề án 34", "rotation.eligible": "QĐ 65-QĐ/TW Điều 5"}
    assert doc["packs"][0]["id"] == PACK_ID
    expected_sha = hashlib.sha256((good / "officials.csv").read_bytes() + (good / "units.csv").read_bytes())
    assert doc["input"] == {"officials": 7, "units": 1, "sha256": expected_sha.hexdigest()}
    assert doc["summary"] == {"error": 0, "warning": 2, "info": 1}
    assert doc["metrics"]
    assert all(set(m) == METRIC_KEYS for m in doc["metrics"])
    assert all(set(f) == FINDING_KEYS for f in doc["findings"])
    # subjects named (#16 §1): an official by name, position and unit name; a district or the city by its id
    assert [set(f["subject"]) for f in doc["findings"]] == [
        {"kind", "id"}, {"kind", "id"}, {"kind", "id", "name", "position", "unit_name"}]
    assert [(f["rule"], f["subject"]["kind"], f["subject"]["id"]) for f in doc["findings"]] == [
        ("quota.young", "scope", "Hoài Đức"), ("quota.young", "scope", "Hà Nội"),
        ("rotation.eligible", "official", "O01"),
    ]
    young_city = next(m for m in doc["metrics"] if m["id"] == "quota.young" and m["scope"] == "city")
    assert young_city == {"pack": PACK_ID, "id": "quota.young", "scope": "city", "scope_id": "Hà Nội",
                          "numerator": 0, "denominator": 7, "value": 0.0, "target": 0.1, "op": ">=", "met": False}


def test_explain_adds_each_findings_explanation_to_json_and_jsonl(good: Path) -> None:
    plain = json.loads(evaluate(good, "--format", "json").stdout)
    result = evaluate(good, "--format", "json", "--explain")
    assert result.exit_code == 0, result.stderr
    explained = json.loads(result.stdout)
    assert all(set(f) == FINDING_KEYS | {"explanation"} and f["explanation"] for f in explained["findings"])
    assert [{k: v for k, v in f.items() if k != "explanation"} for f in explained["findings"]] == plain["findings"]
    cites = explained["packs"][0]["cites"]
    lines = evaluate(good, "--format", "jsonl", "--explain").stdout.splitlines()
    assert json.loads(lines.pop())["rule"] == "report.basis"  # last, what the report rests on
    assert [json.loads(line) for line in lines] == [{**f, "cite": cites[f["rule"]]} for f in explained["findings"]]
    assert [json.loads(line) for line in evaluate(good, "--format", "jsonl").stdout.splitlines()[:-1]] == [
        {**f, "cite": cites[f["rule"]]} for f in plain["findings"]]


@pytest.mark.parametrize("fmt", ["text", "csv", "html"])
def test_explain_is_refused_for_other_formats(good: Path, fmt: str) -> None:
    result = evaluate(good, "--format", fmt, "--explain")
    assert result.exit_code == 2
    assert "--explain goes with the formats json and jsonl" in result.stderr


def test_json_is_byte_identical_across_runs(vacant: Path, tmp_path: Path) -> None:
    first = evaluate(vacant, "--format", "json")
    second = evaluate(vacant, "--format", "json")
    assert first.exit_code == second.exit_code == 1
    assert first.stdout_bytes == second.stdout_bytes
    out = tmp_path / "report.json"
    written = evaluate(vacant, "--format", "json", "-o", out)
    assert written.exit_code == 1
    assert out.read_bytes() == first.stdout_bytes


def test_output_file_is_written_instead_of_stdout(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    result = evaluate(good, "-o", out, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"cadre-rules report — Xã An Khánh — as of {AS_OF}\n")  # one commune (#16 §5)
    assert "\x1b[" not in text


def test_output_file_that_cannot_be_written_is_exit_2(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "report.json"
    result = evaluate(good, "--format", "json", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out}: cannot write the output: ")
    assert not out.exists()


@pytest.mark.parametrize(("fail_on", "good_code", "vacant_code"), [
    ("error", 0, 1), ("warning", 1, 1), ("info", 1, 1), ("never", 0, 0),
])
def test_fail_on_threshold(good: Path, vacant: Path, fail_on: str, good_code: int, vacant_code: int) -> None:
    assert evaluate(good, "--fail-on", fail_on).exit_code == good_code
    assert evaluate(vacant, "--fail-on", fail_on).exit_code == vacant_code


def test_default_fail_on_is_error(vacant: Path) -> None:
    result = evaluate(vacant, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["error"] == 1


def test_text_report_in_vietnamese(vacant: Path) -> None:
    result = evaluate(vacant, "--lang", "vi")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith(f"Báo cáo cadre-rules — Xã An Khánh — tính đến ngày 30 tháng 6 năm 2025\nGói quy định: {PACK_ID}@1\n")
    assert "Dữ liệu: 6 cán bộ, công chức · 1 đơn vị cấp xã\n" in out
    assert "Tổng số phát hiện: cần xử lý 1 · lưu ý 2 · thông tin 1\n" in out
    for heading in ("Phát hiện theo nhóm", "Bố trí chức danh", "Cơ cấu, chỉ tiêu", "Chỉ số (", "Phát hiện chính"):
        assert heading in out
    lines = out.splitlines()
    top = lines[lines.index(next(line for line in lines if line.startswith("Phát hiện chính"))) + 1:]
    assert top[0].split() == ["cần", "xử", "lý", "staffing.vacancy", "X01", "Xã", "An", "Khánh:", "Thiếu", "Chủ", "tịch",
                              "UBMTTQ"]
    assert "✗" in out
    assert "\x1b[" not in out


def test_text_report_in_english(good: Path) -> None:
    result = evaluate(good, "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    assert "Findings: error 0 · warning 2 · info 1\n" in out
    assert "Findings by family" in out
    # the scope named once; listed with the city's and districts' quotas, not again among the main findings
    assert "warning  quota.young  Hà Nội: 0.0% under 35, 1 more needed" in out
    assert out.count("quota.young  Hà Nội:") == 1
    assert "info  rotation.eligible  O01 Nguyễn Thị Bí Mật 1 — Party secretary — Xã An Khánh: " in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_reports_name_people_and_redact_prints_ids_only(vacant: Path, fmt: str) -> None:
    """A report for HR people names them (#16 §1); with --redact it does not, and stderr never does."""
    result = evaluate(vacant, "--format", fmt, "--fail-on", "never")
    assert result.exit_code == 0
    assert "O01" in result.stdout and "Nguyễn Thị Bí Mật 1" in result.stdout
    assert "Bí Mật" not in result.stderr
    result = evaluate(vacant, "--format", fmt, "--fail-on", "never", "--redact")
    assert result.exit_code == 0
    assert "O01" in result.stdout
    assert "Bí Mật" not in result.stdout + result.stderr


def test_param_override_changes_the_outcome(good: Path) -> None:
    assert evaluate(good, "--fail-on", "warning").exit_code == 1
    result = evaluate(good, "--fail-on", "warning", "--format", "json",
                      "--param", f"{PACK_ID}.young_min_share=0.5", "--param", f"{PACK_ID}.young_min_share=0")
    assert result.exit_code == 0  # the last --param of a key wins: a 0 % target is met
    assert json.loads(result.stdout)["summary"] == {"error": 0, "warning": 0, "info": 1}


def test_officials_file_with_units_option(good: Path) -> None:
    by_dir = evaluate(good, "--format", "json")
    by_file = run("evaluate", good / "officials.csv", "--units", good / "units.csv", "--pack", PACK,
                  "--as-of", AS_OF, "--format", "json")  # default backend
    assert by_file.exit_code == by_dir.exit_code == 0
    # the same bytes but for the backend named: the default (durable-rules where it loads) and the reference
    auto = "durable" if _durable.AVAILABLE else "reference"
    assert b'\n  "backend": "reference",\n' in by_dir.stdout_bytes
    assert by_file.stdout_bytes == by_dir.stdout_bytes.replace(b'"backend": "reference"', f'"backend": "{auto}"'.encode())


def test_city_option_names_the_city_scope(good: Path) -> None:
    result = evaluate(good, "--format", "json", "--city", "Hải Phòng")
    scopes = {(m["scope"], m["scope_id"]) for m in json.loads(result.stdout)["metrics"]}
    assert ("city", "Hải Phòng") in scopes
    assert ("city", "Hà Nội") not in scopes


# --------------------------------------------------------------------------- evaluate: errors (exit 2)


def test_bad_birth_date_is_located(tmp_path: Path) -> None:
    rows = _officials()
    rows[1]["birth_date"] = "1975-13-02"
    data = _data(tmp_path / "d", rows)
    result = evaluate(data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: 1 input problem:",
        f"  {data / 'officials.csv'}, row 3, birth_date: impossible date: 1975-13-02 "
        "(the month must be between 1 and 12) (got '1975-13-02')",
    ]


def test_unknown_unit_is_located(tmp_path: Path) -> None:
    rows = _officials()
    rows[3]["unit"] = "Z99"
    result = evaluate(_data(tmp_path / "d", rows))
    assert result.exit_code == 2
    assert "officials.csv, row 5, unit: " in result.stderr
    assert "'Z99'" in result.stderr


def test_pack_with_typo_field_is_located(good: Path, tmp_path: Path) -> None:
    pack = _pack_with(tmp_path, "when = \"education < 'university'\"", "when = \"educaton < 'university'\"")
    result = run("evaluate", good, "--pack", pack, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: 1 policy pack problem:",
        f"  {pack}, rule[0] (qualification.degree).when: unknown field 'educaton' for official rules in "
        "\"educaton < 'university'\"; did you mean 'education'?",
    ]


def test_unknown_param_is_exit_2_with_did_you_mean(good: Path) -> None:
    result = evaluate(good, "--param", f"{PACK_ID}.young_min_shar=0.2")
    assert result.exit_code == 2
    assert (f"params.young_min_shar: --param names no parameter of pack '{PACK_ID}'; "
            "did you mean 'young_min_share'?") in result.stderr


def test_bad_param_value_is_exit_2(good: Path) -> None:
    result = evaluate(good, "--param", f"{PACK_ID}.young_age=old")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "params.young_age: bad --param value" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "12/2025"],
     "Invalid value for '--as-of': '12/2025' is not a date in the form DD/MM/YYYY or YYYY-MM-DD"),
    (["--as-of", "31/02/2025"], "Invalid value for '--as-of': '31/02/2025' is not a valid date"),
    (["--as-of", "2025-02-30"], "Invalid value for '--as-of': '2025-02-30' is not a valid date"),
    (["--param", "young_age=30"], "Invalid value for '--param': 'young_age=30' is not of the form PACK.KEY=VALUE"),
    (["--param", f"{PACK_ID}.young_age"], "is not of the form PACK.KEY=VALUE"),
    (["--fail-on", "fatal"], "Invalid value for '--fail-on'"),
    (["--format", "docx"], "Invalid value for '--format'"),
])
def test_bad_usage_is_exit_2(good: Path, args: list[str], message: str) -> None:
    result = evaluate(good, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_officials_file_needs_units(good: Path) -> None:
    result = run("evaluate", good / "officials.csv", "--pack", PACK)
    assert result.exit_code == 2
    assert "DATA is an officials file: name its units file with --units FILE" in result.stderr


def test_directory_with_units_option_is_bad_usage(good: Path) -> None:
    result = evaluate(good, "--units", good / "units.csv")
    assert result.exit_code == 2
    assert "--units goes with an officials file; the directory DATA already holds units.*" in result.stderr


def test_directory_without_units_file(good: Path) -> None:
    (good / "units.csv").unlink()
    result = evaluate(good)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == f"  {good}: no units file (units.csv, .xlsx, .json or .jsonl)"


def test_missing_data_path(tmp_path: Path) -> None:
    result = evaluate(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nowhere'}: no such file or directory" in result.stderr


def test_unknown_pack_id(good: Path) -> None:
    result = run("evaluate", good, "--pack", "no-such-pack")
    assert result.exit_code == 2
    assert "unknown pack id 'no-such-pack'" in result.stderr


# --------------------------------------------------------------------------- built-in packs (patched directory)


@pytest.fixture
def builtin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "policies"
    directory.mkdir()
    monkeypatch.setattr("cadre_rules.packs._registry.builtin_pack_dir", lambda: directory)
    return directory


def test_without_pack_the_packs_in_effect_apply(good: Path, builtin_dir: Path) -> None:
    shutil.copy(PACK, builtin_dir / "every-construct.toml")
    result = run("evaluate", good, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [p["id"] for p in doc["packs"]] == [PACK_ID]
    # no note on the packs; the data (one commune) say that their city rows are the commune's
    assert [n.partition(":")[0] for n in doc["notes"]] == ["the data cover Xã An Khánh only"]


def test_no_pack_in_effect_is_exit_2(good: Path, builtin_dir: Path) -> None:
    shutil.copy(PACK, builtin_dir / "every-construct.toml")
    result = run("evaluate", good, "--as-of", "2031-01-01")
    assert result.exit_code == 2
    assert result.stderr == (f"error: no policy pack is in effect on 2031-01-01 (available: {PACK_ID}@1); "
                             "name one with --pack\n")


def test_named_pack_applies_out_of_its_period_with_a_note(good: Path, builtin_dir: Path) -> None:
    shutil.copy(PACK, builtin_dir / "every-construct.toml")
    # (the data declared current: their ratings, of 2024, would make them stale in 2031)
    result = run("evaluate", good, "--pack", PACK_ID, "--as-of", "2031-01-01", "--format", "json", "--lang", "en",
                 "--data-as-of", "2030-12-31")
    assert result.exit_code == 0
    notes = json.loads(result.stdout)["notes"]
    assert len(notes) == 3  # and the districts of the data are not aggregated after 2025-07-01
    assert notes[0].startswith("the data cover Xã An Khánh only: ")  # (one commune: its city rows are its)
    assert f"pack {PACK_ID}@1 is not in effect on 2031-01-01" in notes[1]
    assert notes[2].startswith("the districts were abolished on 2025-07-01")


def test_no_builtin_packs_is_exit_2(good: Path, builtin_dir: Path) -> None:
    result = run("evaluate", good, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == "error: no built-in policy pack is installed; name a pack file with --pack\n"


def test_packs_list(builtin_dir: Path) -> None:
    assert run("packs", "list", "--lang", "vi").stdout == "Chưa cài gói quy định nào.\n"
    shutil.copy(PACK, builtin_dir / "every-construct.toml")
    vi = run("packs", "list", "--as-of", "2026-01-01", "--lang", "vi")
    en = run("packs", "list", "--lang", "en", "--as-of", "2031-01-01")
    assert vi.exit_code == en.exit_code == 0
    assert [line.split("  ")[0] for line in vi.stdout.splitlines()] == ["Mã", PACK_ID]
    # dates as the reader writes them: 01/01/2026 in Vietnamese, 2026-01-01 in English
    assert vi.stdout.splitlines()[0].split() == ["Mã", "Phiên", "bản", "Hiệu", "lực", "Ngày", "01/01/2026", "Tên"]
    assert vi.stdout.splitlines()[1].split() == [PACK_ID, "1", "01/01/2020", "–", "31/12/2030", "đang", "có", "hiệu",
                                                 "lực", "Gói", "kiểm", "thử"]
    assert en.stdout.splitlines()[1].split() == [PACK_ID, "1", "2020-01-01", "–", "2030-12-31", "ended", "2030-12-31",
                                                 "Test", "pack"]
    assert "On " + date.today().isoformat() in run("packs", "list", "--lang", "en").stdout  # default: today


def test_packs_show_builtin_by_id(builtin_dir: Path) -> None:
    shutil.copy(PACK, builtin_dir / "every-construct.toml")
    result = run("packs", "show", PACK_ID, "--lang", "en")
    assert result.exit_code == 0
    assert f"File: (built-in) {builtin_dir / 'every-construct.toml'}\n" in result.stdout


# --------------------------------------------------------------------------- packs show / validate


def test_packs_show_in_vietnamese() -> None:
    result = run("packs", "show", PACK, "--lang", "vi")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"{PACK_ID}@1 — Gói kiểm thử\nHiệu lực: 01/01/2020 – 31/12/2030\n")  # Vietnamese dates
    for line in ("Nguồn", "  test: Test source", "Tham số", "  young_min_share = 0.1", "  low_confidence  = 0.6667",
                 "  min_theory      = 'intermediate'", "Chức danh chủ chốt", "  party_secretary (Bí thư Đảng ủy)",
                 "Quy tắc (9)", "  qualification.degree  [qualification, error]",
                 "    áp dụng cho: holds_cadre_post", "    phát hiện khi: education < 'university'",
                 "    thông điệp: Trình độ {education} chưa đạt đại học", "    căn cứ: NĐ 33/2023/NĐ-CP, Điều 8",
                 "    nâng mức: months_in_post > 60 → warning", "    bỏ qua khi đã có phát hiện nhóm: qualification",
                 "Chỉ tiêu cơ cấu (3)", "  quota.young  [quota, warning]", "    tỷ lệ: ≥ 0.1 (10,0%)",
                 "    phạm vi: thành phố, quận/huyện", "Bố trí chức danh (1)",
                 "      council_chair (khi has_council)", "    thông điệp: Thiếu {vacant}"):
        assert line in out.splitlines(), line


def test_packs_show_in_english() -> None:
    result = run("packs", "show", PACK, "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{PACK_ID}@1 — Test pack"
    for line in ("Effective: 2020-01-01 – 2030-12-31", "Parameters", "Key positions", "  party_secretary",
                 "Rules (9)", "    where: holds_cadre_post", "    message: Education {education} below university",
                 "Quotas (3)", "    share: ≤ 0.5 (50.0%)", "    scopes: city", "Staffing (1)",
                 "      council_chair (if has_council)", "    message: Vacant: {vacant}"):
        assert line in lines, line


def test_packs_show_unknown_id() -> None:
    result = run("packs", "show", "no-such-pack")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 1 policy pack problem:\n  no-such-pack: unknown pack id 'no-such-pack'")


def test_packs_validate(tmp_path: Path) -> None:
    ok = run("packs", "validate", PACK)
    assert ok.exit_code == 0
    assert ok.stdout == f"OK {PACK}: {PACK_ID}@1 (9 rules, 3 quotas, 1 staffing rules)\n"
    bad = _pack_with(tmp_path, "when = \"education < 'university'\"", "when = \"educaton < 'university'\"")
    mixed = run("packs", "validate", PACK, bad)
    assert mixed.exit_code == 2
    assert mixed.stdout == ok.stdout
    assert f"  {bad}, rule[0] (qualification.degree).when: unknown field 'educaton'" in mixed.stderr


def test_packs_validate_a_directory_reports_duplicate_ids(tmp_path: Path) -> None:
    shutil.copy(PACK, tmp_path / "a.toml")
    shutil.copy(PACK, tmp_path / "b.toml")
    result = run("packs", "validate", tmp_path)
    assert result.exit_code == 2
    assert result.stdout == f"OK {tmp_path / 'a.toml'}: {PACK_ID}@1 (9 rules, 3 quotas, 1 staffing rules)\n"
    assert (f"  {tmp_path / 'b.toml'}, pack.id: duplicate pack id and version (also {tmp_path / 'a.toml'}) "
            f"(got '{PACK_ID}@1')") in result.stderr


def test_packs_validate_bad_toml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack\nid = 1\n", encoding="utf-8")
    result = run("packs", "validate", bad)
    assert result.exit_code == 2
    assert f"  {bad}: invalid TOML: " in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- help and version


@pytest.mark.parametrize("command", [[], ["evaluate"], ["packs"], ["packs", "list"], ["packs", "show"],
                                     ["packs", "validate"], ["doctor"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "\nExample:\n" in result.stdout.replace("  Example:", "Example:")
    assert f"Usage: cadre-rules {' '.join(command)}".rstrip() in result.stdout


def test_version_names_the_backend_and_the_python() -> None:
    result = run("--version")
    assert result.exit_code == 0
    python = platform.python_version()
    if _durable.AVAILABLE:
        expected = f"durable-rules {metadata.version('durable-rules')}, Python {python}"
    else:
        expected = f"reference backend, durable-rules could not be used: {_durable.UNAVAILABLE_REASON}, Python {python}"
    assert result.stdout == f"cadre-rules {metadata.version('cadre-rules')} ({expected})\n"


def test_version_names_the_reference_backend_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_durable, "AVAILABLE", False)
    monkeypatch.setattr(_durable, "UNAVAILABLE_REASON", "durable-rules' engine did not load: no module")
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == (f"cadre-rules {metadata.version('cadre-rules')} (reference backend, durable-rules could "
                             f"not be used: durable-rules' engine did not load: no module, "
                             f"Python {platform.python_version()})\n")


# --------------------------------------------------------------------------- the text renderer


def _report(metrics: int, findings: int) -> Report:
    ms = tuple(Metric("p", "staffing.fill_rate", "unit", f"U{i:03d}", i % 3, 2, Fraction(1), ">=",
                      None if i % 3 == 2 else i % 3 == 0) for i in range(metrics))
    severities: Sequence[Any] = ("info", "warning", "error")
    fs = tuple(Finding("p", f"rule.{i:02d}", "rotation", severities[i % 3], "official", f"O{i:03d}", "U000",
                       f"message {i}", "cite") for i in range(findings))
    city = Metric("p", "quota.young", "city", "Hà Nội", 1, 8, Fraction(1, 10), ">=", True)
    return Report(date(2025, 1, 1), (PackRef("p", "1", "0" * 64),), 99, metrics, "0" * 64, (city, *ms), fs,
                  ("a note",))


def test_render_text_caps_metrics_city_and_unmet_first() -> None:
    text = render_text(_report(metrics=50, findings=0), lang="en")
    lines = text.splitlines()
    head = lines.index(next(line for line in lines if line.startswith("Metrics (51; ")))
    assert lines[head] == "Metrics (51; 17 not met)"
    rows = lines[head + 2: head + 2 + 30]
    # the last column: how many more are needed (replacing / adding); none for a fill rate (its vacancies)
    assert rows[0].split() == ["Key", "officials", "under", "35", "city", "Hà", "Nội", "12.5%", "1/8", "≥", "10.0%", "✓",
                               "0", "/", "0"]
    assert all(row.split()[-2:] == ["✗", "—"] for row in rows[1:18])
    assert lines[head + 32] == "  … 21 more rows: in the xlsx and html reports"  # where the rest is
    assert "No findings." in text
    assert "Notes:\n  - a note\n" in text


def test_render_text_caps_findings_errors_first() -> None:
    text = render_text(_report(metrics=0, findings=30), lang="vi")
    lines = text.splitlines()
    head = lines.index("Phát hiện chính (30; cần xử lý trước)")
    shown = lines[head + 1: head + 21]
    assert [line.split()[0] for line in shown] == ["cần"] * 10 + ["lưu"] * 10
    assert shown[0].split()[3:] == ["rule.02", "O002:", "message", "2"]
    # the officer is pointed to the reports that hold every finding, not to a machine format
    assert lines[head + 21] == ("  … còn 10 phát hiện nữa: xem đầy đủ trong báo cáo Excel hoặc HTML (-o bao-cao.xlsx, "
                                "-o bao-cao.html)")


def test_render_text_colour_only_when_asked() -> None:
    report = _report(metrics=3, findings=3)
    assert "\x1b[" not in render_text(report)
    assert "\x1b[31m" in render_text(report, color=True)


# --------------------------------------------------------------------------- real subprocesses


def _subprocess(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "cadre_rules", *map(str, args)], capture_output=True, cwd=cwd,
                          env=env, timeout=60, check=False)


def test_subprocess_json_is_byte_identical(vacant: Path, tmp_path: Path) -> None:
    args = ("evaluate", vacant, "--pack", PACK, "--as-of", AS_OF, "--format", "json")
    first = _subprocess(*args, cwd=tmp_path)
    second = _subprocess(*args, cwd=tmp_path)
    assert first.returncode == second.returncode == 1, first.stderr.decode()
    assert first.stderr == b""
    assert first.stdout == second.stdout
    # durable and reference agree (the default backend is durable where its engine loads)
    auto = "durable" if _durable.AVAILABLE else "reference"
    reference = evaluate(vacant, "--format", "json").stdout_bytes
    assert first.stdout == reference.replace(b'"backend": "reference"', f'"backend": "{auto}"'.encode())
    assert json.loads(first.stdout.decode("utf-8"))["summary"] == {"error": 1, "warning": 2, "info": 1}


@pytest.mark.parametrize("case", ["import-in-expression", "bad-birth-date"])
def test_subprocess_errors_are_located_without_traceback(good: Path, tmp_path: Path, case: str) -> None:
    if case == "import-in-expression":
        pack = _pack_with(tmp_path, "when = \"education < 'university'\"",
                          "when = \"__import__('os').system('echo pwned') == 0\"")
        expected = (f"  {pack.name}, rule[0] (qualification.degree).when: only calls of registered functions "
                    "with positional literal arguments are allowed in \"__import__('os').system('echo pwned') == 0\"")
        args: tuple[str | Path, ...] = ("evaluate", good, "--pack", pack.name, "--as-of", AS_OF)
    else:
        rows = _officials()
        rows[1]["birth_date"] = "soon"
        _data(good, rows)
        expected = "  good/officials.csv, row 3, birth_date: "
        args = ("evaluate", "good", "--pack", PACK, "--as-of", AS_OF)
    result = _subprocess(*args, cwd=tmp_path)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert result.stdout == b""  # nothing evaluated: `echo pwned` never ran
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines[0] in ("error: 1 policy pack problem:", "error: 1 input problem:")
    assert lines[1].startswith(expected)
    assert len(lines) == 2


def test_an_unknown_pack_id_is_located_at_the_option(good: Path) -> None:
    result = run("evaluate", good, "--pack", "no-such-pack")
    assert result.exit_code == 2
    assert "\n  --pack: unknown pack id 'no-such-pack'" in result.stderr
