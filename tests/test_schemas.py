"""The JSON Schemas shipped in the package, printed by ``cadre-rules schema NAME``, against real files (#21)."""

from __future__ import annotations

import csv
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from cadre_rules._cli import SCHEMAS
from cadre_rules._cli import cli
from cadre_rules.report._report import SCHEMA as REPORT_SCHEMA

ROOT = Path(__file__).parents[1]
PACKS = sorted((ROOT / "policies").glob("*.toml")) + sorted(ROOT.glob("plugins/*/src/*/*.toml"))
CASES = sorted((ROOT / "policies" / "tests").glob("*.toml")) + sorted((ROOT / "policies" / "released" / "tests").glob(
    "*.toml")) + sorted(ROOT.glob("plugins/*/src/*/tests/*.toml"))


def schema(name: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


def as_json(value: Any) -> Any:
    """TOML as JSON sees it: dates as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def toml(path: Path) -> Any:
    return as_json(tomllib.loads(path.read_text(encoding="utf-8")))


def test_every_schema_is_printed_and_versioned() -> None:
    for name in SCHEMAS:
        assert schema(name)["$id"].endswith(REPORT_SCHEMA.removeprefix("cadre-rules/report")
                                            if name == "report" else "/v1")


def test_the_report_schema_and_its_help_name_the_reports_version() -> None:
    """The report's schema is the version the report writes (its ``$id``, title, ``schema`` and description), and
    ``cadre-rules schema --help`` names that version."""
    document = schema("report")
    version = REPORT_SCHEMA.removeprefix("cadre-rules/report/")
    assert document["properties"]["schema"] == {"const": REPORT_SCHEMA}
    assert REPORT_SCHEMA in document["title"]
    assert f"within {version}." in document["description"]
    for lang in ("en", "vi"):
        result = CliRunner().invoke(cli, ["--lang", lang, "schema", "--help"])
        assert result.exit_code == 0, result.output
        assert f"JSON, {version})" in " ".join(result.output.split()) if lang == "vi" else \
            f"JSON report, {version})" in " ".join(result.output.split())


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.stem)
def test_packs_are_valid(path: Path) -> None:
    validator("pack").validate(toml(path))


def test_pack_schema_rejects_an_unknown_key_and_severity() -> None:
    data = toml(PACKS[0])
    assert validator("pack").is_valid(data)
    assert not validator("pack").is_valid({**data, "rules": []})
    bad = json.loads(json.dumps(data))
    bad["rule"][0]["severity"] = "fatal"
    assert not validator("pack").is_valid(bad)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_pack_test_files_are_valid(path: Path) -> None:
    validator("pack-test").validate(toml(path))


def test_pack_test_schema_rejects_a_misspelled_field() -> None:
    data = toml(CASES[0])
    data["case"][0]["officials"][0]["educaton"] = "college"
    assert not validator("pack-test").is_valid(data)


@pytest.mark.parametrize("example", ["hanoi-2022", "hanoi-2025"])
def test_input_examples_as_json_are_valid(example: str) -> None:
    check = validator("input")
    for name in ("officials", "units"):
        with open(ROOT / "examples" / example / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            rows = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(f)]
        check.validate(rows[:300])  # (the first 300 records: jsonschema checks ~250 records a second)
    assert not check.is_valid([{"id": "x", "full_name": "X"}])  # required columns missing


def test_report_is_valid() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(ROOT / "examples" / "hanoi-2025"), "--as-of", "2025-12-31",
                                      "--format", "json", "-q", "--fail-on", "never", "--explain"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"]
    validator("report").validate(report)
    report["findings"][0]["severity"] = "fatal"
    assert not validator("report").is_valid(report)
    report["findings"][0]["severity"] = "error"
    # (input.sha256: hashlib's hexdigest, what Engine.evaluate accepts as input_sha256=)
    for digest in ("AB" * 32, "ab" * 31, "g" * 64):
        report["input"]["sha256"] = digest
        assert not validator("report").is_valid(report)


# --------------------------------------------------------------------------- the schemas and the readers agree
#
# On generated documents whose values are each valid (the schemas check structure, the readers values too),
# a document validates against the shipped schema exactly when the reader accepts it: the same keys
# required, the same keys unknown, the same places where null, a list or a table is refused.

import warnings  # noqa: E402
from datetime import date as _date  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cadre_rules.errors import InputError  # noqa: E402
from cadre_rules.errors import InputNote  # noqa: E402
from cadre_rules.io._io import load_officials  # noqa: E402
from cadre_rules.io._io import load_units  # noqa: E402
from cadre_rules.jobs import _cases  # noqa: E402
from cadre_rules.model._report_records import SEVERITIES  # noqa: E402
from cadre_rules.packs._packs import FAMILIES  # noqa: E402

#: Valid values of each input column, as a JSON file may write them.
OFFICIAL_VALUES: dict[str, list[Any]] = {
    "id": ["a1", 17], "full_name": ["Nguyễn Văn A"], "gender": ["male", "nữ"],
    "birth_date": ["1980-01-01", "03/02/1975"], "unit": ["U1"], "position": ["committee_chair", "PCT UBND"],
    "concurrent_positions": ["council_chair", None], "category": ["cadre", None], "standing_committee": [True, "có", None],
    "general_education": ["12/12", None], "education": ["university", "ĐH"], "field_of_study": ["Luật", None],
    "political_theory": ["advanced", "cao cấp"], "appointed_on": ["2021-06-01", 2021, None], "in_planning": [False, None],
    "ratings": ["2023:good;2024:excellent", None], "discipline": ["2024-01-10:reprimand", None],
    "low_confidence_share": [0.3, "0,25", None], "under_investigation": [False, None],
    "secondment_since": ["2024-01-01", 2024, None], "is_local": [True, None],
    "secondment_until": ["2025-12-31", "31/12/2025", 2025, None], "term_ends": ["2026-05-31", 2026, None],
}
UNIT_VALUES: dict[str, list[Any]] = {
    "code": ["U1", 7], "name": ["Xã A"], "kind": ["commune", "phường"], "class": [1, "2", None],
    "district": ["Huyện Ba Vì", None], "has_council": [True, "không", None],
}
#: Extra (plugin) columns: one value is accepted, a list or a table is not.
EXTRA_VALUES: list[Any] = ["Tày", 3, 0.5, True, None, [1], {"a": 1}]


def _record(values: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A record with each column mostly one of its valid values, sometimes left out or null; maybe an extra
    column (mostly one value, sometimes a list or a table)."""
    columns = {name: st.sampled_from(options * 8 + [..., None]) for name, options in values.items()}
    extra = st.sampled_from([..., ..., *EXTRA_VALUES])
    return st.fixed_dictionaries({**columns, "ethnicity": extra}).map(
        lambda r: {k: v for k, v in r.items() if v is not ...})


def _reads(load: Any, rows: Any, tmp: Path) -> bool:
    path = tmp / "records.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    try:
        with warnings.catch_warnings():  # (the notes of a file without ids)
            warnings.simplefilter("ignore")
            load(path)
    except InputError:
        return False
    return True


@settings(max_examples=60)
@given(rows=st.lists(_record(OFFICIAL_VALUES).map(lambda r: {"id": None, **r}), max_size=3,
                     unique_by=lambda r: str(r["id"]) if r["id"] is not None else object()))
def test_the_input_schema_accepts_the_officials_the_reader_accepts(rows: list[dict[str, Any]]) -> None:
    """(A file with an id column: a file without one gets made ids, unless two officials of a unit have one
    name — which no schema can say.)"""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        accepted = _reads(load_officials, rows, Path(tmp))
    valid = not list(_VALIDATORS["input-officials"].iter_errors(rows))
    assert accepted == valid, rows


@settings(max_examples=60)
@given(rows=st.lists(_record(UNIT_VALUES), max_size=3, unique_by=lambda r: str(r.get("code"))))
def test_the_input_schema_accepts_the_units_the_reader_accepts(rows: list[dict[str, Any]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        accepted = _reads(load_units, rows, Path(tmp))
    valid = not list(_VALIDATORS["input-units"].iter_errors(rows))
    assert accepted == valid, rows


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(...), value)


def _mostly(good: list[Any], *bad: Any) -> st.SearchStrategy[Any]:
    """One of ``good`` nine times in ten (``...``: the key left out), else one of ``bad``."""
    return st.sampled_from(good * (9 * max(len(bad), 1)) + list(bad))


#: A few valid values of a case's official (TOML values: dates are dates, lists lists, tables tables).
CASE_OFFICIAL = {"full_name": st.just("Trần Thị B"), "gender": st.sampled_from(["female", "nam"]),
                 "birth_date": st.just(_date(1990, 6, 1)), "position": st.sampled_from(["committee_chair", "other"]),
                 "concurrent_positions": st.sampled_from([["council_chair"], "front_chair"]),
                 "education": st.just("college"), "ratings": st.sampled_from([{2023: "good"}, "2023:good"]),
                 "discipline": st.just({_date(2024, 1, 10): "reprimand"}), "standing_committee": st.just(True),
                 "secondment_until": st.sampled_from([_date(2025, 12, 31), 2025]),
                 "term_ends": st.sampled_from([_date(2026, 5, 31), 2026]),
                 "extra": st.sampled_from([{"ethnicity": "Tày"}, "Tày"]), "educaton": st.just("college")}
CASE_UNIT = {"name": st.just("Xã B"), "kind": st.sampled_from(["ward", "xã"]), "class": st.sampled_from([2, "3"]),
             "district": st.just("Huyện Ba Vì"), "has_council": st.just(True), "extra": st.just({"x": "1"}),
             "colour": st.just("red")}


@st.composite
def case_files(draw: st.DrawFn) -> dict[str, Any]:
    """A case file of vn-commune-2tier@2025.07.1: keys left out, misspelled or of the wrong kind; values valid."""
    units = []
    for i in range(draw(st.integers(0, 2))):
        unit = {k: v for k, v in draw(st.fixed_dictionaries({k: _maybe(s) for k, s in CASE_UNIT.items()
                                                            if k != "colour"})).items() if v is not ...}
        unit.update({"colour": "red"} if draw(_mostly([False], True)) else {})
        if i or draw(st.booleans()):
            unit["code"] = f"U{i + 1}"
        units.append(unit)
    officials = []
    for i in range(draw(st.integers(0, 2))):
        official = {k: v for k, v in draw(st.fixed_dictionaries({k: _maybe(s) for k, s in CASE_OFFICIAL.items()
                                                                 if k not in ("extra", "educaton")})
                                          ).items() if v is not ...}
        official.update(draw(_mostly([{}, {"extra": {"ethnicity": "Tày"}}], {"extra": "Tày"}, {"educaton": "college"})))
        if draw(_mostly([True], False)):
            official["id"] = f"o{i}"
        officials.append(official)
    expect = draw(_mostly([..., "exactly", "at_least"], "some"))
    case = {
        "name": draw(_mostly([..., "a case"], 5)),
        "as_of": draw(_mostly([_date(2025, 8, 1)], "soon", ...)),
        "expect": expect,
        "params": draw(_mostly([..., {}, {"council_vice_chairs": 2}], "x")),
        "units": draw(_mostly([..., units], "U1")),
        "officials": draw(_mostly([..., officials], "a")),
        "findings": draw(_mostly([..., [{"rule": "staffing.posts", "subject": "U1"}]],
                                 [{"rule": "staffing.posts", "subject": "U1", "severity": "fatal"}],
                                 [{"rule": "staffing.posts"}], "all")),
        "absent": draw(_mostly([..., [], [{"rule": "staffing.town", "subject": "U1"}]])),
        "metrics": draw(_mostly([..., [{"id": "staffing.posts_filled", "scope_id": "U1", "numerator": 1}]],
                                [{"id": "staffing.posts_filled", "scope_id": "U1", "met": "yes"}],
                                [{"id": "staffing.posts_filled"}])),
        "colour": draw(_mostly([...], "red")),
    }
    return {"pack": "vn-commune-2tier@2025.07.1", "case": [{k: v for k, v in case.items() if v is not ...}]}


@settings(max_examples=80)
@given(data=case_files())
def test_the_pack_test_schema_accepts_the_case_files_the_reader_accepts(data: dict[str, Any]) -> None:
    try:
        with warnings.catch_warnings():  # (the notes of a case's dates given as a year only)
            warnings.simplefilter("ignore", InputNote)
            _cases.load_cases(Path("cases.toml"), data, data["pack"], ("staffing.posts", "staffing.town"),
                              ("staffing.posts_filled",))
        accepted = True
    except InputError:
        accepted = False
    valid = not list(_VALIDATORS["pack-test"].iter_errors(as_json(data)))
    assert accepted == valid, data


GOOD_OFFICIAL = {k: v[0] for k, v in OFFICIAL_VALUES.items()}
GOOD_UNIT = {k: v[0] for k, v in UNIT_VALUES.items()}
#: One change each to a good record: (what, the record).
RECORD_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    *[("officials", f"without {k}", {c: v for c, v in GOOD_OFFICIAL.items() if c != k}) for k in GOOD_OFFICIAL],
    *[("officials", f"{k} null", {**GOOD_OFFICIAL, k: None}) for k in GOOD_OFFICIAL],
    *[("officials", f"extra {v!r}", {**GOOD_OFFICIAL, "ethnicity": v}) for v in EXTRA_VALUES],
    ("officials", "blank", {"id": None, "ethnicity": ""}),
    *[("units", f"without {k}", {c: v for c, v in GOOD_UNIT.items() if c != k}) for k in GOOD_UNIT],
    *[("units", f"{k} null", {**GOOD_UNIT, k: None}) for k in GOOD_UNIT],
    *[("units", f"extra {v!r}", {**GOOD_UNIT, "population": v}) for v in EXTRA_VALUES],
    ("units", "blank", {}),
]


@pytest.mark.parametrize(("kind", "what", "record"), RECORD_CHANGES, ids=[f"{k}: {w}" for k, w, _ in RECORD_CHANGES])
def test_the_input_schema_and_reader_agree_on_each_change(kind: str, what: str, record: dict[str, Any],
                                                          tmp_path: Path) -> None:
    accepted = _reads(load_officials if kind == "officials" else load_units, [record], tmp_path)
    valid = _VALIDATORS[f"input-{kind}"].is_valid([record])
    assert accepted == valid
    required = {"officials": ("full_name", "gender", "birth_date", "unit", "position", "education",
                              "political_theory"), "units": ("code", "name", "kind")}[kind]
    column = what.rsplit(maxsplit=1)[-1] if what.startswith("without") else what.split(maxsplit=1)[0]
    if what.startswith("without"):  # (a file without ids gets made ones; a unit's class is optional)
        assert accepted == (column not in required)
    elif what.endswith(" null"):
        assert accepted == (column not in (*required, "id"))
    elif what.startswith("extra"):
        assert accepted == (what not in ("extra [1]", "extra {'a': 1}"))
    else:
        assert accepted


@pytest.mark.parametrize("column", ["appointed_on", "secondment_since", "secondment_until", "term_ends"])
def test_a_year_as_a_number_is_a_date_for_the_reader_and_both_schemas(column: str, tmp_path: Path) -> None:
    """``"term_ends": 2026`` is read as 2026-01-01, as a birth year is: the schemas said a date column of an
    official other than ``birth_date`` must be text (found when the properties above got the end dates)."""
    years = {"appointed_on": 2021, "secondment_since": 2024, "secondment_until": 2025, "term_ends": 2026}
    record = {**GOOD_OFFICIAL, column: years[column]}
    path = tmp_path / "officials.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    year_only = rf"{column}: 1 date\(s\) given as a year only \(first: '{years[column]}'"
    with pytest.warns(InputNote, match=year_only):
        assert getattr(load_officials(path)[0], column) == _date(years[column], 1, 1)
    assert _VALIDATORS["input-officials"].is_valid([record])
    case = _changed(f"officials.0.{column}", years[column])
    with pytest.warns(InputNote, match=year_only):
        cases = _cases.load_cases(Path("cases.toml"), {"pack": "vn-commune-2tier@2025.07.1", "case": [case]},
                                  "vn-commune-2tier@2025.07.1", ("staffing.posts", "staffing.town"),
                                  ("staffing.posts_filled",))
    assert getattr(cases.cases[0].officials[0], column) == _date(years[column], 1, 1)
    assert _VALIDATORS["pack-test"].is_valid(as_json({"pack": "vn-commune-2tier@2025.07.1", "case": [case]}))


CASE = {"name": "a case", "as_of": _date(2025, 8, 1), "expect": "at_least", "params": {"council_vice_chairs": 1},
        "units": [{"code": "U1", "kind": "ward", "extra": {"x": "1"}}],
        "officials": [{"id": "a", "position": "party_secretary", "extra": {"ethnicity": "Tày"}}],
        "findings": [{"rule": "staffing.posts", "subject": "U1", "severity": "error"}],
        "absent": [{"rule": "staffing.town", "subject": "U1"}],
        "metrics": [{"id": "staffing.posts_filled", "scope_id": "U1", "numerator": 1, "value": "1/5", "met": False}]}


def _changed(key: str, value: Any) -> dict[str, Any]:
    """The good case with ``key`` (``officials.0.id``: a key of its first official) set to ``value``
    (``...``: left out)."""
    case = json.loads(json.dumps(CASE, default=str))
    case["as_of"] = CASE["as_of"]
    *path, last = key.split(".")
    table: Any = case
    for part in path:
        table = table[int(part)] if part.isdigit() else table[part]
    if value is ...:
        del table[last]
    else:
        table[last] = value
    return case


#: One change each to a good case: (key, value, accepted by both).
CASE_CHANGES: list[tuple[str, Any, bool]] = [
    ("name", ..., True), ("name", 5, False), ("as_of", ..., False), ("as_of", "soon", False),
    ("expect", ..., False), ("expect", "exactly", False), ("expect", "some", False),  # (exactly: no absent)
    ("absent", ..., True), ("params", "x", False), ("colour", "red", False), ("units", "U1", False),
    ("units", [], False), ("units.0.colour", "red", False), ("units.0.code", ..., True), ("units.0.code", 7, True),
    ("units.0.extra", "x", False), ("officials", "a", False), ("officials.0.id", ..., False),
    ("officials.0.id", 5, True), ("officials.0.educaton", "college", False), ("officials.0.extra", "Tày", False),
    ("officials.0.birth_date", _date(1980, 1, 2), True), ("officials.0.ratings", {2023: "good"}, True),
    ("findings", "all", False), ("findings.0.subject", ..., False), ("findings.0.severity", "fatal", False),
    ("findings.0.note", "x", False), ("metrics.0.scope_id", ..., False), ("metrics.0.met", "yes", False),
    ("metrics.0.numerator", True, False), ("metrics.0.value", [1], False),
]


@pytest.mark.parametrize(("key", "value", "accepted"), CASE_CHANGES, ids=[f"{k}={v!r}" for k, v, _ in CASE_CHANGES])
def test_the_pack_test_schema_and_reader_agree_on_each_change(key: str, value: Any, accepted: bool) -> None:
    data = {"pack": "vn-commune-2tier@2025.07.1", "case": [_changed(key, value)]}
    try:
        _cases.load_cases(Path("cases.toml"), data, data["pack"], ("staffing.posts", "staffing.town"),
                          ("staffing.posts_filled",))
        read = True
    except InputError:
        read = False
    assert (read, _VALIDATORS["pack-test"].is_valid(as_json(data))) == (accepted, accepted)


def test_the_schemas_name_the_readers_columns_keys_and_codes() -> None:
    """One list of columns, keys and codes: the schemas say what the readers read (and require)."""
    from cadre_rules.io._io import _OFFICIAL_FIELDS
    from cadre_rules.io._io import _UNIT_FIELDS

    defs = schema("input")["$defs"]
    for kind, fields in (("official", _OFFICIAL_FIELDS), ("unit", _UNIT_FIELDS)):
        assert list(defs[kind]["properties"]) == [f.column for f in fields]
        made = {"id"} if kind == "official" else set()  # (a file without ids gets made ones)
        assert defs[kind]["required"] == [f.column for f in fields if f.required and f.column not in made]
    case_defs = schema("pack-test")["$defs"]
    case = case_defs["case"]["properties"]
    assert tuple(case) == _cases._CASE_KEYS
    assert tuple(case["officials"]["items"]["properties"]) == _cases.OFFICIAL_FIELDS
    assert tuple(case["units"]["items"]["properties"]) == _cases.UNIT_FIELDS
    assert tuple(case_defs["expected"]["properties"]) == _cases._FINDING_KEYS
    assert tuple(case["metrics"]["items"]["properties"]) == _cases._METRIC_KEYS
    assert tuple(case_defs["expected"]["properties"]["severity"]["enum"]) == SEVERITIES
    pack_defs = schema("pack")["$defs"]
    assert tuple(pack_defs["severity"]["enum"]) == SEVERITIES
    assert tuple(pack_defs["family"]["enum"]) == FAMILIES
    report = schema("report")
    assert tuple(report["$defs"]["finding"]["properties"]["severity"]["enum"]) == SEVERITIES


def _branch(index: int) -> jsonschema.Draft202012Validator:
    """The input schema for one kind of file (its ``anyOf`` branch: officials 0, units 1)."""
    document = schema("input")
    return jsonschema.Draft202012Validator({**document, "anyOf": [document["anyOf"][index]]})


_VALIDATORS = {"input-officials": _branch(0), "input-units": _branch(1), "pack-test": validator("pack-test")}


def test_the_pack_schema_names_the_keys_the_pack_loader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table of a pack: the schema's keys and required keys are those the loader reads and requires,
    and both refuse any other key (the loader's lists recorded while it loads every shipped pack)."""
    import contextlib
    import re

    from cadre_rules.packs import _packs

    read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    keys = _packs._Loader.keys

    def record(self: Any, table: Any, key: str, required: Any, optional: Any) -> bool:
        read.setdefault(re.sub(r"\[\d+\]( \([^)]*\))?", "[]", key), (tuple(required), tuple(optional)))
        return keys(self, table, key, required, optional)

    monkeypatch.setattr(_packs._Loader, "keys", record)
    monkeypatch.setattr(_packs, "_PARSED", {})  # (each pack parsed here, not taken from the process's packs)
    for path in PACKS:
        with contextlib.suppress(_packs.PackError):  # (a plugin's pack calls its plugin's functions)
            _packs.load_pack(path)
    document = schema("pack")
    top, defs = document["properties"], document["$defs"]
    nodes = {"": document, "pack": top["pack"], "pack.effective": top["pack"]["properties"]["effective"],
             "pack.sources[]": top["pack"]["properties"]["sources"]["items"], "key_positions": top["key_positions"],
             "scope": top["scope"], "override[]": top["override"]["items"], "rule[]": defs["rule"],
             "rule[].escalate[]": defs["rule"]["properties"]["escalate"]["items"], "quota[]": defs["quota"],
             "staffing[]": defs["staffing"],
             "staffing[].require[]": defs["staffing"]["properties"]["require"]["oneOf"][1]["items"]}
    assert set(read) == set(nodes)
    for key, (required, optional) in read.items():
        node = nodes[key]
        assert (key, set(node["properties"])) == (key, {*required, *optional})
        assert (key, set(node.get("required", ()))) == (key, set(required))
        assert (key, node.get("additionalProperties")) == (key, False)
