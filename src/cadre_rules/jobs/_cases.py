"""Pack test cases as data: reading and checking a case file (docs/pack-tests.md).

A case file is TOML beside its pack (``policies/tests/*.toml`` for the built-in packs)::

    pack = "vn-commune-2tier@2025.07.1"      # ID, ID@VERSION or a pack file relative to this file

    [[case]]
    name = "a committee chair without a degree"
    as_of = 2025-08-01
    params = { theory_floor = "advanced" }  # optional, the pack's parameters
    expect = "exactly"                      # or "at_least": other findings of the pack allowed
    units = [{ code = "U1", kind = "ward" }]            # default: one commune U1
    officials = [{ id = "a", position = "committee_chair", education = "college" }]
    findings = [{ rule = "qualification.degree", subject = "a", severity = "error" }]
    absent = [{ rule = "qualification.theory", subject = "a" }]   # must not fire
    metrics = [{ id = "staffing.posts_filled", scope_id = "U1", numerator = 1, denominator = 5 }]

Officials and units give only the fields that matter: the others take the defaults below. Every value
goes through the same reading and validation as an input file.
"""

from __future__ import annotations

import difflib
import json
import tempfile
import tomllib
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any
from typing import Literal

import attrs

from ..errors import N_
from ..errors import InputError
from ..errors import Problem
from ..errors import os_reason
from ..errors import toml_reason
from ..io._io import load_officials
from ..io._io import load_units
from ..model._model import Official
from ..model._model import Unit
from ..model._report_records import SEVERITIES

__all__ = ["OFFICIAL_DEFAULTS", "UNIT_DEFAULTS", "Case", "CaseFile", "Expected", "ExpectedMetric", "load_cases",
           "read_case_file"]

#: The value of each required field an official of a case does not give.
OFFICIAL_DEFAULTS: Mapping[str, object] = {"gender": "male", "birth_date": "1980-01-01", "position": "other",
                                           "education": "university", "political_theory": "advanced"}
#: The value of each field a unit of a case does not give (``code``: ``U1``).
UNIT_DEFAULTS: Mapping[str, object] = {"code": "U1", "kind": "commune", "class": 1}

OFFICIAL_FIELDS = ("id", "full_name", "gender", "birth_date", "unit", "position", "concurrent_positions",
                   "category", "standing_committee", "general_education", "education", "field_of_study",
                   "political_theory", "appointed_on", "in_planning", "ratings", "discipline",
                   "low_confidence_share", "under_investigation", "secondment_since", "is_local",
                   "secondment_until", "term_ends", "extra")
UNIT_FIELDS = ("code", "name", "kind", "class", "district", "has_council", "extra")
_CASE_KEYS = ("name", "as_of", "params", "expect", "units", "officials", "findings", "absent", "metrics")
_FINDING_KEYS = ("rule", "subject", "severity")
_METRIC_KEYS = ("id", "scope_id", "numerator", "denominator", "value", "met")
_FILE_KEYS = ("pack", "case")


@attrs.frozen
class Expected:
    """A finding a case expects (``severity`` ``None``: any)."""

    rule: str
    subject: str
    severity: str | None = None


@attrs.frozen
class ExpectedMetric:
    """A metric a case expects: only the keys given are compared."""

    id: str
    scope_id: str
    numerator: int | None = None
    denominator: int | None = None
    value: Fraction | None = None
    met: bool | None = None


@attrs.frozen
class Case:
    name: str
    key: str  # where it is, ``case[3]``
    as_of: date
    params: Mapping[str, object]
    exactly: bool
    officials: tuple[Official, ...]
    units: tuple[Unit, ...]
    findings: tuple[Expected, ...]
    absent: tuple[Expected, ...]
    metrics: tuple[ExpectedMetric, ...]


@attrs.frozen
class CaseFile:
    path: Path
    pack: str  # as written: ID, ID@VERSION, or a path (made absolute)
    cases: tuple[Case, ...]


class _Located:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, key: str, reason: str, value: object = None, options: Sequence[str] = ()) -> None:
        """A problem at ``key``; ``reason`` is an English message id (``N_``), with a did-you-mean from ``options``."""
        shown = None if value is None else str(value)
        if options and value is not None:
            close = difflib.get_close_matches(str(value), list(options), n=1)
            if close:
                self.problems.append(Problem.of(self.file, N_("{reason} (did you mean {suggestion}?)"), column=key,
                                                value=shown, reason=reason, suggestion=repr(close[0])))
            else:
                self.problems.append(Problem.of(self.file, N_("{reason} (known: {known})"), column=key, value=shown,
                                                reason=reason, known=", ".join(options)))
            return
        self.problems.append(Problem.of(self.file, reason, column=key, value=shown))

    def unknown_keys(self, table: Mapping[str, Any], known: Sequence[str], key: str, what: str) -> None:
        reason = N_("unknown field") if what == "field" else N_("unknown key")
        for name in table:
            if name not in known:
                self.add(f"{key}.{name}", reason, name, known)


def _cell(value: object) -> object:
    """A TOML value as the JSON reader takes it (dates as ISO text, lists ``;``-joined, tables of
    ratings and discipline as ``KEY:VALUE;…``)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{_cell(k)}:{_cell(v)}" for k, v in value.items())
    return value


def _tables(loc: _Located, key: str, rows: object) -> list[dict[str, Any]]:
    """``rows`` as a list of tables (``None``: none), or a located problem and none."""
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        loc.add(key, N_("expected a list of tables"))
        return []
    return rows


def _records(loc: _Located, key: str, rows: object, known: Sequence[str], defaults: Mapping[str, object],
             ) -> list[dict[str, object]]:
    if rows is None:  # (records are required: None is not a list of tables)
        loc.add(key, N_("expected a list of tables"))
        return []
    out = []
    for i, row in enumerate(_tables(loc, key, rows)):
        loc.unknown_keys(row, known, f"{key}[{i}]", "field")
        extra = row.get("extra", {})
        record = {**defaults, **{k: _cell(v) for k, v in row.items() if k in known and k != "extra"}}
        if isinstance(extra, dict):
            record.update({str(k): _cell(v) for k, v in extra.items()})
        else:
            loc.add(f"{key}[{i}].extra", N_("expected a table of extra fields (plugin columns)"))
        out.append(record)
    return out


def _read(loc: _Located, key: str, rows: list[dict[str, object]], kind: Literal["officials", "units"],
          units: Sequence[Unit] = ()) -> tuple[Any, ...]:
    """Records read by the input readers (one validation path); their problems located in the case."""
    if not rows:
        return ()
    with tempfile.TemporaryDirectory(prefix="cadre-rules-case-") as tmp:
        path = Path(tmp, f"{kind}.json")
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        try:
            if kind == "units":
                return load_units(path)
            return load_officials(path, units={u.code: u for u in units})
        except InputError as exc:
            for p in exc.problems:
                where = f"{key}[{p.row - 1}]" if p.row is not None else key
                if p.column and p.column.startswith("/"):  # a JSON pointer /3/field
                    index, _, column = p.column[1:].partition("/")
                    where = f"{key}[{index}]" + (f".{column}" if column else "")
                elif p.column:
                    where += f".{p.column}"
                loc.problems.append(attrs.evolve(p, file=loc.file, row=None, column=where, sheet=None))
            return ()


def _expected(loc: _Located, key: str, rows: object, rules: Sequence[str]) -> list[Expected]:
    out = []
    for i, row in enumerate(_tables(loc, key, rows)):
        where = f"{key}[{i}]"
        loc.unknown_keys(row, _FINDING_KEYS, where, "key")
        rule, subject, severity = row.get("rule"), row.get("subject"), row.get("severity")
        if not isinstance(rule, str) or not isinstance(subject, str):
            loc.add(where, N_("a finding needs a rule and a subject (text)"))
            continue
        if rule not in rules:
            loc.add(f"{where}.rule", N_("unknown rule of the pack"), rule, rules)
            continue
        if severity is not None and severity not in SEVERITIES:
            loc.add(f"{where}.severity", N_("unknown severity"), severity, SEVERITIES)
            continue
        out.append(Expected(rule, subject, severity))
    return out


def _metric(loc: _Located, key: str, rows: object, metrics: Sequence[str]) -> list[ExpectedMetric]:
    out = []
    for i, row in enumerate(_tables(loc, key, rows)):
        where = f"{key}[{i}]"
        loc.unknown_keys(row, _METRIC_KEYS, where, "key")
        mid, scope = row.get("id"), row.get("scope_id")
        if not isinstance(mid, str) or not isinstance(scope, str):
            loc.add(where, N_("a metric needs an id and a scope_id (text)"))
            continue
        if mid not in metrics:
            loc.add(f"{where}.id", N_("unknown metric of the pack"), mid, metrics)
            continue
        value = row.get("value")
        if value is not None and not isinstance(value, (int, float, str)):
            loc.add(f"{where}.value", N_("expected a number or a fraction 'a/b'"), value)
            continue
        try:
            fraction = None if value is None else Fraction(str(value))
        except ValueError:
            loc.add(f"{where}.value", N_("expected a number or a fraction 'a/b'"), value)
            continue
        num, den, met = row.get("numerator"), row.get("denominator"), row.get("met")
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in (num, den)):
            loc.add(where, N_("numerator and denominator are whole numbers"))
            continue
        if met is not None and not isinstance(met, bool):
            loc.add(f"{where}.met", N_("expected true or false"), met)
            continue
        if fraction is not None and num is not None and den and Fraction(num, den) != fraction:
            loc.add(where, N_("contradictory expectations: value is not numerator / denominator"), value)
            continue
        out.append(ExpectedMetric(mid, scope, num, den, fraction, met))
    return out


def _contradictions(loc: _Located, key: str, findings: Sequence[Expected], absent: Sequence[Expected],
                    metrics: Sequence[ExpectedMetric]) -> None:
    seen: dict[tuple[str, str], Expected] = {}
    for f in findings:
        other = seen.get((f.rule, f.subject))
        if other is not None:
            reason = (N_("contradictory expectations: two severities") if other.severity != f.severity
                      else N_("the same finding expected twice"))
            loc.add(f"{key}.findings", reason, f"{f.rule} {f.subject}")
        seen[(f.rule, f.subject)] = f
    for a in absent:
        if (a.rule, a.subject) in seen:
            loc.add(f"{key}.absent", N_("contradictory expectations: expected present and absent"),
                    f"{a.rule} {a.subject}")
    by_scope: dict[tuple[str, str], ExpectedMetric] = {}
    for m in metrics:
        if (m.id, m.scope_id) in by_scope:
            loc.add(f"{key}.metrics", N_("contradictory expectations: the same metric twice"), f"{m.id} {m.scope_id}")
        by_scope[(m.id, m.scope_id)] = m


def _case(loc: _Located, index: int, raw: object, rules: Sequence[str], metrics: Sequence[str]) -> Case | None:
    key = f"case[{index}]"
    if not isinstance(raw, dict):
        loc.add(key, N_("expected a table"))
        return None
    before = len(loc.problems)
    loc.unknown_keys(raw, _CASE_KEYS, key, "key")
    name = raw.get("name", key)
    if not isinstance(name, str):
        loc.add(f"{key}.name", N_("expected text"), name)
    as_of = raw.get("as_of")
    if not isinstance(as_of, date):
        loc.add(f"{key}.as_of", N_("every case needs an as_of date (YYYY-MM-DD, unquoted)"), as_of)
    params = raw.get("params", {})
    if not isinstance(params, dict):
        loc.add(f"{key}.params", N_("expected a table of the pack's parameters"))
        params = {}
    expect = raw.get("expect", "exactly")
    if expect not in ("exactly", "at_least"):
        loc.add(f"{key}.expect", N_("expected 'exactly' or 'at_least'"), expect)
    if raw.get("units") == []:
        loc.add(f"{key}.units", N_("a case has at least one unit (leave units out: one commune U1)"))
    unit_rows = _records(loc, f"{key}.units", raw.get("units", [{}]), UNIT_FIELDS, UNIT_DEFAULTS)
    for row in unit_rows:
        row.setdefault("name", row["code"])
    default_unit = unit_rows[0]["code"] if unit_rows else UNIT_DEFAULTS["code"]
    official_rows = _records(loc, f"{key}.officials", raw.get("officials", []), OFFICIAL_FIELDS,
                             {**OFFICIAL_DEFAULTS, "unit": default_unit})
    for i, row in enumerate(official_rows):
        if row.get("id") in (None, ""):  # (the input readers would make one: a case names its officials)
            loc.add(f"{key}.officials[{i}].id", N_("every official of a case needs an id"))
        row.setdefault("full_name", row.get("id"))
    official_rows = [row for row in official_rows if row.get("id") not in (None, "")]
    units: tuple[Unit, ...] = _read(loc, f"{key}.units", unit_rows, "units")
    officials: tuple[Official, ...] = _read(loc, f"{key}.officials", official_rows, "officials", units) \
        if units or not unit_rows else ()
    findings = _expected(loc, f"{key}.findings", raw.get("findings"), rules)
    absent = _expected(loc, f"{key}.absent", raw.get("absent"), rules)
    expected_metrics = _metric(loc, f"{key}.metrics", raw.get("metrics"), metrics)
    _contradictions(loc, key, findings, absent, expected_metrics)
    if expect == "exactly" and absent:
        loc.add(f"{key}.absent", N_("'absent' goes with expect = 'at_least' (exactly: every other finding is absent)"))
    if len(loc.problems) > before or not isinstance(as_of, date):
        return None
    return Case(str(name), key, as_of, dict(params), expect == "exactly", officials, units, tuple(findings),
                tuple(absent), tuple(expected_metrics))


def read_case_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The pack reference and the raw TOML of a case file (:class:`InputError` if it is not one)."""
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem.of(file, N_("cannot read the case file: {reason}"), reason=os_reason(exc))]) \
            from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem.of(file, N_("not UTF-8 text (byte {start})"), start=exc.start)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem.of(file, N_("not valid TOML: {reason}"), reason=toml_reason(exc))]) from None
    pack = data.get("pack")
    if not isinstance(pack, str) or not pack:
        raise InputError([Problem(file, N_("a case file names its pack (pack = \"ID\", \"ID@VERSION\" or a file)"),
                                  column="pack")])
    if pack.endswith(".toml"):
        pack = str((path.parent / pack).resolve())
    return pack, data


def load_cases(path: Path, data: Mapping[str, Any], pack: str, rules: Sequence[str],
               metrics: Sequence[str]) -> CaseFile:
    """The cases of a case file, checked against the pack's ``rules`` and ``metrics`` ids.

    :raises InputError: every problem of the file, each located by its key (``case[2].officials[0].educaton``).
    """
    loc = _Located(str(path))
    loc.unknown_keys(data, _FILE_KEYS, "", "key")
    raw_cases = data.get("case")
    if not isinstance(raw_cases, list) or not raw_cases:
        loc.add("case", N_("no [[case]] in the file"))
        raw_cases = []
    cases = [_case(loc, i, raw, rules, metrics) for i, raw in enumerate(raw_cases)]
    if loc.problems:
        raise InputError([attrs.evolve(p, column=p.column.lstrip(".")) if p.column else p for p in loc.problems])
    return CaseFile(path, pack, tuple(c for c in cases if c is not None))
