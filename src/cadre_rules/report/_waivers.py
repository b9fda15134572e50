"""Waivers and baselines: findings set aside with a written reason, or hidden because already known.

A *waivers file* is TOML::

    [[waiver]]
    rule = "vn-nd33-2023/qualification.degree"   # "PACK/RULE", or "RULE" for that rule in any pack
    subject = "HN-BAVI-06-16"                     # the official id, unit code or scope name
    reason = "Đang học đại học, tốt nghiệp 6/2025"
    approver = "Sở Nội vụ"
    expiry = 2025-06-30                           # a TOML date (or "YYYY-MM-DD")

A finding matching a waiver that has not expired (``expiry >= as-of``) moves to
:attr:`Report.suppressed` as ``Suppressed(finding, by="waiver:<approver>", reason)``: it is counted
and listed separately and no longer counts for the exit code. An expired waiver suppresses nothing
and is reported (a note in the report, a warning on stderr).

A *baseline* is a previous JSON report (``cadre-rules/report/v3``, or ``v2``, ``v1``): findings already in it, matched
by pack, rule and subject kind and id, are hidden, so only new findings show (and count).
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from .._i18n import translation
from ..errors import KEY_LINE
from ..errors import N_
from ..errors import InputError
from ..errors import Message
from ..errors import Problem
from ..errors import os_reason
from ..errors import toml_reason
from ..io._json import JSONProblem
from ..io._json import loads as strict_json
from ..model._formats import integer
from ..model._formats import short_date
from ..model._report_records import BaselineDiff
from ..model._report_records import Finding
from ..model._report_records import Report
from ..model._report_records import Suppressed
from ._known import WAIVER
from ._report import READABLE_SCHEMAS

__all__ = ["Baseline", "BaselineKey", "Waiver", "apply_baseline", "apply_waivers", "load_baseline", "load_waivers",
           "parse_waivers", "read_baseline"]

#: ``(pack, rule, subject kind, subject id)``: how a baseline recognises a finding.
BaselineKey = tuple[str, str, str, str]

_KEYS = ("rule", "subject", "reason", "approver", "expiry")
_RULE = re.compile(r"(?:[^\s/]+/)?[^\s/]+")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*waiver[ \t]*\]\]", re.MULTILINE)
_KINDS = ("official", "unit", "scope")


@attrs.frozen
class Waiver:
    """One waiver: a rule (optionally of one pack) for one subject, until ``expiry``."""

    pack: str | None
    rule: str
    subject: str
    reason: str
    approver: str
    expiry: date

    @property
    def target(self) -> str:
        """``PACK/RULE`` or ``RULE``, as written."""
        return self.rule if self.pack is None else f"{self.pack}/{self.rule}"

    def matches(self, finding: Finding) -> bool:
        return (finding.rule == self.rule and finding.subject_id == self.subject
                and (self.pack is None or finding.pack == self.pack))

    def expired(self, as_of: date) -> bool:
        """Whether the waiver no longer applies on ``as_of`` (the expiry day itself is still covered)."""
        return self.expiry < as_of


def _text(table: Mapping[str, Any], key: str, where: str, file: str, problems: list[Problem]) -> str | None:
    if key not in table:
        problems.append(Problem(file, N_("missing required key"), column=f"{where}.{key}"))
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, N_("expected a non-empty string"), column=f"{where}.{key}",
                                value=None if isinstance(value, str) else repr(value)))
        return None
    return value.strip()


def parse_waivers(data: Mapping[str, Any], *, file: str = "<waivers>", text: str = "") -> tuple[Waiver, ...]:
    """Validate parsed TOML ``data`` (``text``, if given, locates each ``[[waiver]]`` by line).

    Raises :class:`InputError` with every problem found (file, ``waiver[i] (line n).key``, value).
    """
    problems: list[Problem] = []
    for key in data:
        if key != "waiver":
            problems.append(Problem(file, N_("unknown key; a waivers file holds [[waiver]] tables"), column=key))
    tables = data.get("waiver", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(file, N_("expected [[waiver]] tables"), column="waiver"))
        raise InputError(problems)
    lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    waivers: list[Waiver] = []
    for i, table in enumerate(tables):
        where = f"waiver[{i}]" + (KEY_LINE.format(line=lines[i]) if len(lines) == len(tables) else "")
        before = len(problems)
        for key in table:
            if key not in _KEYS:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint: Message | str = Message(N_("; did you mean {code}?"), code=repr(close[0])) if close else ""
                problems.append(Problem.of(file, N_("unknown key{hint}"), column=f"{where}.{key}", hint=hint))
        rule = _text(table, "rule", where, file, problems)
        if rule is not None and not _RULE.fullmatch(rule):
            problems.append(Problem(file, N_("expected \"PACK/RULE\" or \"RULE\""), column=f"{where}.rule", value=rule))
            rule = None
        subject = _text(table, "subject", where, file, problems)
        reason = _text(table, "reason", where, file, problems)
        approver = _text(table, "approver", where, file, problems)
        expiry = table.get("expiry")
        if "expiry" not in table:
            problems.append(Problem(file, N_("missing required key (a date, YYYY-MM-DD)"), column=f"{where}.expiry"))
        elif isinstance(expiry, str):
            try:
                expiry = date.fromisoformat(expiry.strip())
            except ValueError:
                problems.append(Problem(file, N_("expected a date (YYYY-MM-DD)"), column=f"{where}.expiry",
                                        value=expiry))
        elif isinstance(expiry, datetime) or not isinstance(expiry, date):
            problems.append(Problem(file, N_("expected a date (YYYY-MM-DD)"), column=f"{where}.expiry",
                                    value=str(expiry)))
        if len(problems) > before or rule is None or subject is None or reason is None or approver is None \
                or not isinstance(expiry, date):
            continue
        pack, _, rule_id = rule.rpartition("/")
        waivers.append(Waiver(pack or None, rule_id, subject, reason, approver, expiry))
    if problems:
        raise InputError(problems)
    return tuple(waivers)


def _read_text(path: str | Path, what: str) -> str:
    """A UTF-8 text file (BOM tolerated), or an :class:`InputError` naming it."""
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError([Problem.of(str(path), N_("cannot read {what}: {reason}"), what=what,
                                     reason=os_reason(exc))]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem.of(str(path), N_("not UTF-8 text (byte {start})"), start=exc.start)]) from None


def load_waivers(path: str | Path) -> tuple[Waiver, ...]:
    """Read and validate a waivers TOML file; raise :class:`InputError` with located problems."""
    file = str(path)
    text = _read_text(path, N_("the waivers file"))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem.of(file, N_("invalid TOML: {reason}"), reason=toml_reason(exc))]) from None
    return parse_waivers(data, file=file, text=text)


def _waiver_words(lang: str) -> tuple[str, str]:
    _ = translation(lang).gettext
    return (_("waiver {rule} for {subject} (approved by {approver}) expired on {expiry}: not applied"),
            _("waiver {rule} for {subject} (approved by {approver}, until {expiry}) matched no finding"))


def apply_waivers(report: Report, waivers: Iterable[Waiver], *, lang: str = "vi") -> tuple[Report, list[Waiver]]:
    """Set aside the findings that an unexpired waiver matches; return the report and the expired waivers.

    The first matching waiver (in file order) gives ``by`` and ``reason``. Each expired waiver, and
    each waiver that matched no finding, adds a note (in ``lang``) to the report.
    """
    waivers = tuple(waivers)
    as_of = report.as_of
    live = [w for w in waivers if not w.expired(as_of)]
    expired = [w for w in waivers if w.expired(as_of)]
    used: set[int] = set()
    kept: list[Finding] = []
    aside: list[Suppressed] = []
    for finding in report.findings:
        index = next((i for i, w in enumerate(live) if w.matches(finding)), None)
        if index is None:
            kept.append(finding)
            continue
        used.add(index)
        waiver = live[index]
        aside.append(Suppressed(finding, f"{WAIVER}{waiver.approver}", waiver.reason))
    expired_note, unused_note = _waiver_words(lang)
    notes = [expired_note.format(rule=w.target, subject=w.subject, approver=w.approver,
                                 expiry=short_date(w.expiry, lang)) for w in expired]
    notes.extend(unused_note.format(rule=w.target, subject=w.subject, approver=w.approver,
                                    expiry=short_date(w.expiry, lang))
                 for i, w in enumerate(live) if i not in used)
    return attrs.evolve(report, findings=tuple(kept), suppressed=(*report.suppressed, *aside),
                        notes=(*report.notes, *notes)), expired


# --------------------------------------------------------------------------- baseline


def _pointer_problem(file: str, pointer: str, reason: str, value: object = None) -> Problem:
    shown = None if value is None else (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return Problem(file, reason, column=pointer, value=shown)


@attrs.frozen
class Baseline:
    """A baseline report's findings (``--baseline``), as keys, with where each was found."""

    keys: frozenset[BaselineKey]
    #: each finding's ``scope_id``: the unit code of an official's or a unit's finding, the district's or the
    #: city's name of a scope's
    places: Mapping[BaselineKey, str] = attrs.field(factory=dict)

    def within(self, subjects: frozenset[str]) -> Baseline:
        """The findings of ``subjects`` (the ids of a scoped report's officials, units and district:
        :func:`~cadre_rules.report._scope.scope_subjects`) or found in one of them: an official no longer in the
        data is placed by the unit the baseline found them in."""
        keys = frozenset(k for k in self.keys if k[3] in subjects or self.places.get(k) in subjects)
        return Baseline(keys, {k: place for k, place in self.places.items() if k in keys})


def parse_baseline(doc: object, *, file: str = "<baseline>") -> frozenset[BaselineKey]:
    """The findings of a parsed JSON report as baseline keys; raise :class:`InputError` with JSON pointers."""
    return _parse_baseline(doc, file).keys


def _parse_baseline(doc: object, file: str) -> Baseline:
    """The findings of a parsed JSON report, with where each was found (its ``scope_id``)."""
    if not isinstance(doc, dict):
        raise InputError([_pointer_problem(file, "/", N_("expected a cadre-rules JSON report (an object)"))])
    if doc.get("schema") not in READABLE_SCHEMAS:
        expected = " or ".join(repr(s) for s in reversed(READABLE_SCHEMAS))
        raise InputError([_pointer_problem(file, "/schema", f"not a cadre-rules report (expected {expected})",
                                           doc.get("schema"))])
    findings = doc.get("findings")
    if not isinstance(findings, list):
        raise InputError([_pointer_problem(file, "/findings", N_("expected a list of findings"))])
    problems: list[Problem] = []
    keys: set[BaselineKey] = set()
    places: dict[BaselineKey, str] = {}
    for i, f in enumerate(findings):
        at = f"/findings/{i}"
        if not isinstance(f, dict):
            problems.append(_pointer_problem(file, at, N_("expected an object")))
            continue
        subject = f.get("subject")
        if not isinstance(subject, dict):
            problems.append(_pointer_problem(file, f"{at}/subject", N_("expected an object {\"kind\", \"id\"}")))
            continue
        values = {"pack": f.get("pack"), "rule": f.get("rule"), "subject/id": subject.get("id")}
        bad = [k for k, v in values.items() if not isinstance(v, str) or not v]
        for k in bad:
            problems.append(_pointer_problem(file, f"{at}/{k}", N_("expected a non-empty string"), values[k]))
        kind = subject.get("kind")
        if kind not in _KINDS:
            problems.append(_pointer_problem(file, f"{at}/subject/kind", f"expected one of {', '.join(_KINDS)}",
                                             kind))
            continue
        if not bad:
            key = (str(values["pack"]), str(values["rule"]), str(kind), str(values["subject/id"]))
            keys.add(key)
            if isinstance(f.get("scope_id"), str):
                places[key] = f["scope_id"]
    if problems:
        raise InputError(problems)
    return Baseline(frozenset(keys), places)


def load_baseline(path: str | Path) -> frozenset[BaselineKey]:
    """Read a previous JSON report's findings as keys; raise :class:`InputError` with located problems."""
    return read_baseline(path).keys


def read_baseline(path: str | Path) -> Baseline:
    """Read a previous JSON report; raise :class:`InputError` with located problems."""
    file = str(path)
    text = _read_text(path, N_("the baseline report"))
    try:
        doc = strict_json(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem.of(file, N_("invalid JSON at line {line}, column {col}: {reason}"),
                                     line=exc.lineno, col=exc.colno, reason=exc.msg)]) from None
    except JSONProblem as exc:
        raise InputError([exc.problem(file)]) from None
    return _parse_baseline(doc, file)


def apply_baseline(report: Report, baseline: Iterable[BaselineKey], *, lang: str = "vi",
                   source: str = "baseline") -> Report:
    """The report with only the findings that are not in ``baseline``, a note saying how many were hidden and
    how many resolved, and :attr:`Report.baseline` (the counts and the resolved findings: in the baseline, not
    found now, nor set aside; the hidden findings, still known to what the report counts of people:
    :func:`~._known.known_findings`)."""
    known = frozenset(baseline)
    new: list[Finding] = []
    kept: list[Finding] = []
    for f in report.findings:
        (kept if (f.pack, f.rule, f.subject_kind, f.subject_id) in known else new).append(f)
    hidden = len(kept)
    now = {(f.pack, f.rule, f.subject_kind, f.subject_id)
           for f in (*report.findings, *(s.finding for s in report.suppressed))}
    resolved = tuple(sorted(known - now))
    t = translation(lang)
    note = t.ngettext(
        "baseline {file}: {hidden} finding already in it is not shown; {new} new",
        "baseline {file}: {hidden} findings already in it are not shown; {new} new", hidden,
    ).format(file=source, hidden=integer(hidden, lang), new=integer(len(new), lang))
    note += t.ngettext("; {resolved} resolved since", "; {resolved} resolved since",
                       len(resolved)).format(resolved=integer(len(resolved), lang))
    diff = BaselineDiff(source, len(new), hidden, resolved, hidden=tuple(kept))
    return attrs.evolve(report, findings=tuple(new), notes=(*report.notes, note), baseline=diff)
