"""Bugs the properties found, each pinned by its minimal counterexample.

Open bugs are strict xfails: when a fix makes one pass, remove its xfail marker and switch off the
matching workaround in ``_known_bugs.py`` (if any), so that the properties cover the construct again.
Fixed bugs stay here as plain regression tests ("Bug (fixed): …"). Cases that crash or hang the process
(durable-rules' C engine) run in a child interpreter.
"""

from __future__ import annotations

import contextlib
import gc
import io
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_pack
from cadre_rules.engine import _durable
from cadre_rules.packs._packs import parse_pack
from strategies import CANARY_RULE

from ._support import outcome

durable_only = pytest.mark.skipif(not _durable.AVAILABLE, reason="durable-rules does not build on this Python")

UNIT = Unit("U1", "Xã Tản Lĩnh", "commune", 1, "Ba Vì")
AS_OF = date(2024, 1, 1)


def official(**fields: Any) -> Official:
    base: dict[str, Any] = dict(id="O1", full_name="Nguyễn Văn A", gender="male", birth_date=date(1990, 5, 5),
                                unit="U1", position="other", education="college", political_theory="none")
    base.update(fields)
    return Official(**base)


def pack(*rules: dict[str, Any], quotas: tuple[dict[str, Any], ...] = (), canary: bool = False,
         params: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"pack": {"id": "regression", "version": "1", "title": "t"}}
    if params:
        data["params"] = params
    all_rules = [*rules, *([CANARY_RULE] if canary else [])]
    if all_rules:
        data["rule"] = all_rules
    if quotas:
        data["quota"] = list(quotas)
    return data


def rule(when: str, **extra: Any) -> dict[str, Any]:
    return {"id": "rotation.x", "family": "rotation", "when": when, "message": "m", "cite": "c", **extra}


def both(data: dict[str, Any], people: list[Official], units: list[Unit] | None = None) -> tuple[Any, Any]:
    """The durable and the reference outcome of one evaluation."""
    p = parse_pack(data)
    places = units or [UNIT]
    return (outcome(Engine([p], backend="durable"), people, places, AS_OF),
            outcome(Engine([p], backend="reference"), people, places, AS_OF))


def run_python(code: str, timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run ``code`` in a fresh interpreter; ``None`` if it did not finish within ``timeout`` seconds."""
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None


def crash_report(child: subprocess.CompletedProcess[str] | None) -> object:
    return "hung" if child is None else (child.returncode, child.stdout[-300:], child.stderr[-700:])


# --------------------------------------------------------------------------- durable backend


@durable_only
def test_durable_session_without_any_match_does_not_crash() -> None:
    """Bug (fixed): durable-rules aborted or segfaulted in delete_state after a session in which no fact
    matched any rule. Counterexample: one rule ``age > 100``, one official aged 33, one unit."""
    child = run_python("""
        from datetime import date
        from cadre_rules import Engine, Official, Unit
        from cadre_rules.packs._packs import parse_pack
        data = {"pack": {"id": "regression", "version": "1", "title": "t"},
                "rule": [{"id": "rotation.x", "family": "rotation", "when": "age > 100", "message": "m", "cite": "c"}]}
        people = [Official("O1", "A", "male", date(1990, 5, 5), "U1", "other", "college", "none")]
        units = [Unit("U1", "X", "commune", 1)]
        engine = Engine([parse_pack(data)], backend="durable")
        for _ in range(100):
            report = engine.evaluate(people, units, date(2024, 1, 1))
        print(len(report.findings))
    """, timeout=120)
    assert child is not None and child.returncode == 0, crash_report(child)
    assert child.stdout.strip() == "0"


@durable_only
@pytest.mark.parametrize("when", ["age < 35.5", "age == 33.0", "age > 1/2", "unit_class < 3/2"])
def test_durable_non_integral_literal_against_int_field(when: str) -> None:
    """Bug (fixed): the durable backend failed (AssertionError in ValueType.to_engine) on a non-integral number
    literal compared with an int field, which the type checker accepts. Counterexample: ``age < 35.5``."""
    durable, reference = both(pack(rule(when)), [official()])
    assert durable == reference


@durable_only
@pytest.mark.parametrize(("share", "when"), [
    (Fraction(2, 3), "low_confidence_share > 0.6666666666666666"),
    (Fraction(2, 3), "low_confidence_share <= 0.6666666666666666"),
    (Fraction(1, 3), "low_confidence_share in [0.3333333333333333]"),
])
def test_durable_number_field_is_compared_exactly(share: Fraction, when: str) -> None:
    """Bug (fixed): the durable backend compared numbers as floats. Counterexample: a share of exactly 2/3 was
    not ``> 0.6666666666666666`` for durable, but is for the reference (exact)."""
    durable, reference = both(pack(rule(when), canary=True), [official(low_confidence_share=share)])
    assert durable == reference


@durable_only
@pytest.mark.parametrize(("women", "people", "bound"), [(1, 3, {"max_share": 0.3333333333333333}),
                                                        (5, 6, {"min_share": 0.8333333333333334})])
def test_durable_quota_target_is_compared_exactly(women: int, people: int, bound: dict[str, float]) -> None:
    """Bug (fixed): the durable backend decided quota thresholds on floats, not exact fractions (SEMANTICS 15).
    Counterexample: 1 woman of 3 against ``max_share = 0.3333333333333333`` was met for durable only."""
    quota = {"id": "quota.women", "population": "True", "numerator": "gender == 'female'", "scopes": ["city"],
             "message": "m", "cite": "c", **bound}
    group = [official(id=f"O{i}", gender="female" if i < women else "male") for i in range(people)]
    durable, reference = both(pack(quotas=(quota,)), group)
    assert durable == reference


@durable_only
def test_durable_counts_a_condition_once_whatever_its_or_branches() -> None:
    """Bug (fixed, found by test_same_report_on_random_packs): durable fires a rule once per satisfied branch
    of an ``or`` (it expands conditions to disjunctive normal form), so tallies and quota numerators
    counted an official twice. Counterexample: numerator ``age > 0 or age > 1`` for one official."""
    quota = {"id": "quota.q", "population": "True", "numerator": "age > 0 or age > 1", "scopes": ["city"],
             "min_share": 1, "message": "m", "cite": "c"}
    unit_rule = rule("count('age > 0 or age > 1') == 1", subject="unit", id="rotation.u")
    durable, reference = both(pack(unit_rule, quotas=(quota,)), [official()])
    assert durable == reference
    assert '"numerator":1' in reference[1] and '"rule":"rotation.u"' in reference[1]


@durable_only
@pytest.mark.parametrize("when", ["low_confidence_share < 1" + "0" * 400, "low_confidence_share > -1" + "0" * 400,
                                  "age < 35.5 or age < 1" + "0" * 400])
def test_durable_number_literal_beyond_float_range(when: str) -> None:
    """Bug (fixed): the durable backend raised OverflowError (float() of the literal in its exact number
    encoding) for a number literal beyond the range of a double; the reference evaluates it.
    Counterexample: ``low_confidence_share < 10**400`` (written out), one official with a share of 1/2."""
    durable, reference = both(pack(rule(when)), [official(low_confidence_share=Fraction(1, 2))])
    assert durable == reference


@durable_only
def test_durable_fact_with_65_fields_is_refused_not_a_crash() -> None:
    """Bug (fixed): durable-rules corrupted memory (abort, segfault) on a fact of more than 64 properties; a
    pack reading 65 official fields crashed the process. Now the durable backend refuses such a pack with
    EvaluationError and ``auto`` evaluates it on the reference (with a note). Counterexample: one rule
    ``rating(1000) == 'good' or … or rating(1064) == 'good'``, one official rated in those 65 years."""
    child = run_python("""
        from datetime import date
        import attrs
        from cadre_rules import Engine, EvaluationError, Official, Unit, report_to_json
        from cadre_rules.packs._packs import parse_pack
        years = range(1000, 1065)
        data = {"pack": {"id": "regression", "version": "1", "title": "t"},
                "rule": [{"id": "rotation.x", "family": "rotation", "message": "m", "cite": "c",
                          "when": " or ".join(f"rating({y}) == 'good'" for y in years)}]}
        people = [Official("O1", "A", "male", date(1990, 5, 5), "U1", "other", "college", "none",
                           ratings=tuple((y, "good") for y in years))]
        units = [Unit("U1", "X", "commune", 1)]
        pack = parse_pack(data)
        reference = Engine([pack], backend="reference").evaluate(people, units, date(2024, 1, 1))
        try:
            durable = Engine([pack], backend="durable").evaluate(people, units, date(2024, 1, 1))
            same = report_to_json(attrs.evolve(durable, backend=None)) == report_to_json(attrs.evolve(reference, backend=None))
            print("same" if same else "different")
        except EvaluationError:
            print("refused")
        auto = Engine([pack], backend="auto").evaluate(people, units, date(2024, 1, 1))
        print(len(auto.findings), (auto.findings, auto.metrics) == (reference.findings, reference.metrics))
    """, timeout=120)
    assert child is not None and child.returncode == 0, crash_report(child)
    assert child.stdout.split("\n")[:2] in (["same", "1 True"], ["refused", "1 True"])


@durable_only
def test_durable_ruleset_with_many_fields_does_not_hang() -> None:
    """Bug (fixed): durable-rules' create_ruleset never returned for a ruleset reading more than 512 distinct
    fields: the engine hung (holding its lock), out of reach of its time bound.
    Counterexample: 9 rules reading 513 distinct ``rating(year)`` fields between them, no official."""
    child = run_python("""
        from datetime import date
        from cadre_rules import EvaluationError, Engine, Unit
        from cadre_rules.packs._packs import parse_pack
        years = list(range(1000, 1513))
        rules = [{"id": f"rotation.r{k}", "family": "rotation", "message": "m", "cite": "c",
                  "when": " or ".join(f"rating({y}) == 'good'" for y in years[k:k + 60])} for k in range(0, 513, 60)]
        data = {"pack": {"id": "regression", "version": "1", "title": "t"}, "rule": rules}
        try:
            Engine([parse_pack(data)], backend="durable", timeout=5).evaluate([], [Unit("U1", "X", "commune", 1)],
                                                                            date(2024, 1, 1))
        except EvaluationError:
            pass
        print("done")
    """, timeout=15)
    assert child is not None and child.returncode == 0, crash_report(child)


# --------------------------------------------------------------------------- engine (both backends)


def test_vacancy_found_in_a_pack_without_count() -> None:
    """Bug (fixed): a staffing table's vacancy finding (SEMANTICS 13) fired only when the pack also used
    count('…') (UnitContext copied the empty tallies dict). Counterexample: one staffing table requiring
    party_secretary, one unit, nobody in it: no finding."""
    data = {"pack": {"id": "regression", "version": "1", "title": "t"},
            "staffing": [{"id": "staffing.vacancy", "require": [{"position": "party_secretary"}],
                          "message": "Thiếu {vacant}", "cite": "c"}]}
    report = Engine([parse_pack(data)], backend="reference").evaluate([], [UNIT], AS_OF)
    assert [(f.rule, f.subject_id, f.facts["vacant"]) for f in report.findings] == [
        ("staffing.vacancy", "U1", ["party_secretary"])]


def test_gap_notes_do_not_depend_on_input_order() -> None:
    """Bug (fixed): data-gap notes came in the order of the officials given. Counterexample: two rules whose
    gaps hold for a woman (r0) and a man (r1), the two officials given in both orders."""
    rules = [rule("age > 200", id="rotation.r0", gap="gender == 'female'"),
             rule("age > 200", id="rotation.r1", gap="gender == 'male'")]
    engine = Engine([parse_pack(pack(*rules))], backend="reference")
    man, woman = official(id="O1", gender="male"), official(id="O2", gender="female")
    assert engine.evaluate([man, woman], [UNIT], AS_OF).notes == engine.evaluate([woman, man], [UNIT], AS_OF).notes


def test_param_override_division_by_zero_is_a_pack_error() -> None:
    """Bug (fixed): ``--param PACK.KEY=1/0`` for a share parameter raised ZeroDivisionError, not PackError."""
    with pytest.raises(PackError):
        Engine([parse_pack(pack(rule("age > 30"), params={"share": 0.5}))], params={"regression.share": "1/0"})


# --------------------------------------------------------------------------- loading packs


def load_toml(tmp_path: Path, text: str) -> object:
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


MINIMAL = '[pack]\nid = "p"\nversion = "1"\ntitle = "t"\n'
RULE = '\n[[rule]]\nid = "r"\nfamily = "rotation"\nwhen = "{when}"\nmessage = "m"\ncite = "c"\n'


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_param_is_a_pack_error(tmp_path: Path, value: str) -> None:
    """Bug (fixed): a nan or inf parameter raised ValueError (Fraction('nan')) instead of PackError."""
    with pytest.raises(PackError):
        load_toml(tmp_path, MINIMAL + f"\n[params]\nx = {value}\n")


def test_datetime_effective_date_is_a_pack_error(tmp_path: Path) -> None:
    """Bug (fixed): a TOML date-time in pack.effective was taken for a date, then compared with a date:
    TypeError instead of PackError."""
    text = MINIMAL.replace('title = "t"\n', 'title = "t"\neffective = { from = 2020-01-01T00:00:00, to = 2030-01-01 }\n')
    with pytest.raises(PackError):
        load_toml(tmp_path, text)


def test_datetime_param_is_rejected_or_evaluated(tmp_path: Path) -> None:
    """Bug (fixed): a TOML date-time parameter was taken for a date; used in an expression it broke the
    reference evaluation (TypeError: datetime against date)."""
    text = MINIMAL + "\n[params]\ncutoff = 1990-01-01T10:00:00\n" + RULE.format(when="birth_date < cutoff")
    try:
        loaded = load_toml(tmp_path, text)
    except PackError:
        return  # rejected at load: fine
    report = Engine([loaded], backend="reference").evaluate([official()], [UNIT], AS_OF)  # type: ignore[list-item]
    assert report.findings == ()


def test_deeply_nested_toml_is_a_pack_error(tmp_path: Path) -> None:
    """Bug (fixed): deeply nested TOML raised RecursionError (tomllib), not PackError."""
    with pytest.raises(PackError):
        load_toml(tmp_path, "a = " + "[" * 100_000)


# --------------------------------------------------------------------------- reading data files


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json_is_an_input_error(tmp_path: Path, suffix: str) -> None:
    """Bug (fixed): deeply nested JSON raised RecursionError (json.loads), not InputError."""
    path = tmp_path / f"officials{suffix}"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(InputError):
        load_officials(path)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"])
    sheet.append(["O1", "A", "male", "1990-01-01", "U1", "other", "college", "none"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_part(workbook: bytes, part: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, content if name == part else source.read(name))
    return out.getvalue()


def _corrupt_deflate(workbook: bytes, part: str) -> bytes:
    """The first byte of the part's deflate stream set to 0xFF (block type 3: invalid)."""
    info = zipfile.ZipFile(io.BytesIO(workbook)).getinfo(part)
    data = bytearray(workbook)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF
    return bytes(data)


def _needs_version(workbook: bytes, part: str, version: int) -> bytes:
    """The part's "version needed to extract" (central directory) set to ``version``."""
    data = bytearray(workbook)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + name_len] == part.encode():
            data[at + 6:at + 8] = struct.pack("<H", version)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(part)


DAMAGED: dict[str, Callable[[bytes], bytes]] = {
    "sheet XML cut short (xml ParseError)": lambda wb: _replace_part(wb, "xl/worksheets/sheet1.xml", b"<x"),
    "workbook XML empty (xml ParseError)": lambda wb: _replace_part(wb, "xl/workbook.xml", b""),
    "bad deflate stream (zlib.error)": lambda wb: _corrupt_deflate(wb, "xl/worksheets/sheet1.xml"),
    "unsupported zip version (NotImplementedError)": lambda wb: _needs_version(wb, "xl/workbook.xml", 181),
}


@pytest.mark.parametrize("damage", DAMAGED)
def test_damaged_xlsx_is_an_input_error(tmp_path: Path, damage: str) -> None:
    """Bug (fixed): a damaged .xlsx raised the libraries' errors (xml.etree ParseError, zlib.error,
    NotImplementedError) instead of InputError, and left the workbook file open (ResourceWarning)."""
    path = tmp_path / "officials.xlsx"
    path.write_bytes(DAMAGED[damage](_workbook()))
    with pytest.raises(InputError):
        load_officials(path)
    gc.collect()  # an unclosed workbook warns here (ResourceWarning is an error under filterwarnings)


def files_left_open(load: Callable[[], object]) -> list[str]:
    """The ResourceWarnings of files that ``load`` (which may raise InputError) left for the collector."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always", ResourceWarning)
        with contextlib.suppress(InputError):
            load()
        gc.collect()
    return [str(w.message) for w in log if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("sheet", [b",", b"&", b"<a></b>"])
def test_damaged_xlsx_leaves_no_file_open(tmp_path: Path, sheet: bytes) -> None:
    """Bug (fixed): for some damaged sheets load_officials raised InputError but left the workbook file open
    (ResourceWarning). Counterexample: a workbook whose xl/worksheets/sheet1.xml is the single byte ``,``."""
    path = tmp_path / "officials.xlsx"
    path.write_bytes(_replace_part(_workbook(), "xl/worksheets/sheet1.xml", sheet))
    assert files_left_open(lambda: load_officials(path)) == []
