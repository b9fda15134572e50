"""Training needs: who needs which course to meet which standard, per district and unit.

Derived from the ``qualification`` findings of officials (not from scope quotas): each sub-condition
of the rule that made it fire (its explanation) names the field and the level required —
``education < 'university'`` → a university programme, ``political_theory < 'intermediate'`` → the
intermediate political theory course, ``general_education < 'upper_secondary'`` → completing upper
secondary school, a field or rule named ``state_management`` / ``qlnn`` → the state-management (QLNN)
course; any other qualification rule → ``other`` (training to meet that rule), unless only what no course
changes made it fire (``is_local``: a posting, not a training).

:func:`training_needs` is the public entry point (renderers, e.g. an XLSX "training" sheet, call it
with the report alone); :func:`render_training` is the ``evaluate --group-by training`` text view.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence

import attrs

from .._i18n import N_
from .._i18n import translation
from ..model._arguments import NOT_A_REPORT
from ..model._arguments import a_mapping
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._checks import FieldCheck
from ..model._checks import a_choice
from ..model._checks import a_text
from ..model._checks import check_record
from ..model._codes import CADRE_POSTS
from ..model._codes import CADRE_POSTS_2025
from ..model._codes import EDUCATION
from ..model._codes import GENERAL_EDUCATION
from ..model._codes import POLITICAL_THEORY
from ..model._codes import Vocabulary
from ..model._formats import integer
from ..model._formats import short_date
from ..model._names import position_label
from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import JSONValue
from ..model._report_records import Report
from ..model._report_records import Severity
from ._applied import scope_packs

__all__ = ["TrainingNeed", "course_label", "render_training", "training_needs"]

_LEVELS: dict[str, tuple[Vocabulary, str, str]] = {
    # field: (vocabulary, course prefix, level required when the rule does not say)
    "education": (EDUCATION, "degree", "university"),
    "political_theory": (POLITICAL_THEORY, "theory", "intermediate"),
    "general_education": (GENERAL_EDUCATION, "general", "upper_secondary"),
}
_STATE_MANAGEMENT = ("state_management", "qlnn")
#: what no course changes: where an official is from, their gender, their age. A qualification rule that fires on
#: these alone (``qualification.secretary_local``: a Bí thư who is a local person, Chỉ thị 45) asks for a posting,
#: not a training: no need.
_NOT_BY_TRAINING = frozenset({"is_local", "gender", "age", "birth_date"})


@attrs.frozen
class TrainingNeed:
    """One official who needs one course to meet one standard.

    ``course`` is a stable code: ``degree.<level>`` (education), ``theory.<level>`` (political
    theory), ``general.<level>`` (general education), ``state_management`` or ``other``; ``field``,
    ``current`` and ``target`` are the field read, the official's level and the level required
    (codes, ``None`` where the rule does not say).
    """

    district: str | None
    unit: str
    official: str
    course: str
    field: str | None
    current: str | None
    target: str | None
    pack: str
    rule: str
    severity: Severity
    cite: str

    def __attrs_post_init__(self) -> None:
        """Refuse wrong values (:func:`~cadre_rules.model._checks.check_record`) after a quick test of the usual."""
        if not (type(self.unit) is type(self.official) is type(self.course) is type(self.pack) is type(self.rule)
                is type(self.cite) is str and self.severity in SEVERITIES
                and all(v is None or type(v) is str for v in (self.district, self.field, self.current, self.target))):
            check_record(self, _NEED_CHECKS, "official")

    @property
    def standard(self) -> str:
        """The standard to meet, as a condition: ``education >= 'university'`` (or the rule id)."""
        if self.field is not None and self.target is not None:
            return f"{self.field} >= {self.target!r}"
        return self.rule

    def to_dict(self) -> dict[str, JSONValue]:
        return {"district": self.district, "unit": self.unit, "official": self.official, "course": self.course,
                "field": self.field, "current": self.current, "target": self.target, "standard": self.standard,
                "pack": self.pack, "rule": self.rule, "severity": self.severity, "cite": self.cite}


_optional_text = functools.partial(a_text, optional=True)
_NEED_CHECKS: Mapping[str, FieldCheck] = {
    "district": _optional_text, "unit": a_text, "official": a_text, "course": a_text, "field": _optional_text,
    "current": _optional_text, "target": _optional_text, "pack": a_text, "rule": a_text,
    "severity": functools.partial(a_choice, choices=SEVERITIES), "cite": a_text,
}


def _above(vocab: Vocabulary, code: str) -> str | None:
    rank = vocab.rank(code) + 1
    return vocab.codes[rank] if rank < len(vocab.codes) else None


def _required(vocab: Vocabulary, entry: Mapping[str, JSONValue]) -> str | None:
    """The level a true leaf ``field op target`` requires, or ``None`` if it does not say."""
    op, target = entry.get("op"), entry.get("target")
    try:
        if op == "<" and isinstance(target, str):
            vocab.rank(target)
            return target
        if op == "<=" and isinstance(target, str):
            return _above(vocab, target)
        if op == "==" and isinstance(target, str):
            return _above(vocab, target)
        if op == "in" and isinstance(target, list) and target and all(isinstance(t, str) for t in target):
            return _above(vocab, max((str(t) for t in target), key=vocab.rank))
    except ValueError:
        return None
    return None


def _is_state_management(name: str) -> bool:
    folded = name.casefold()
    return any(word in folded for word in _STATE_MANAGEMENT)


def _needs_of(finding: Finding, district: str | None) -> list[TrainingNeed]:
    def need(course: str, field: str | None, current: object, target: str | None) -> TrainingNeed:
        return TrainingNeed(district, finding.scope_id, finding.subject_id, course, field,
                            current if isinstance(current, str) else None, target, finding.pack, finding.rule,
                            finding.severity, finding.cite)

    out: list[TrainingNeed] = []
    gap = False
    for entry in finding.explanation:
        field = entry.get("field")
        if entry.get("part") != "when" or entry.get("result") is not True or not isinstance(field, str):
            continue
        if field in _LEVELS:
            if entry.get("op") in ("is None", "is not None"):
                gap = True  # a missing level is a data gap, not a training need
                continue
            vocab, prefix, default = _LEVELS[field]
            target = _required(vocab, entry) or default
            out.append(need(f"{prefix}.{target}", field, entry.get("value"), target))
        elif _is_state_management(field):
            level = entry.get("target")
            out.append(need("state_management", field, entry.get("value"),
                            level if isinstance(level, str) else None))
    if not out and not finding.explanation:  # a finding built elsewhere: read its facts
        for field, (_vocab, prefix, default) in _LEVELS.items():
            if field in finding.facts:
                out.append(need(f"{prefix}.{default}", field, finding.facts[field], default))
    if not out and not gap and not _beyond_training(finding):
        out.append(need("state_management" if _is_state_management(finding.rule) else "other", None, None, None))
    return out


def _beyond_training(finding: Finding) -> bool:
    """Whether what made ``finding`` fire is only what no course changes (:data:`_NOT_BY_TRAINING`): the fields
    of the true conditions of its ``when`` (its facts, for a finding without an explanation)."""
    read = {str(e["field"]) for e in finding.explanation
            if e.get("part") == "when" and e.get("result") is True and isinstance(e.get("field"), str)}
    if not finding.explanation:
        read = set(finding.facts)
    return bool(read) and read <= _NOT_BY_TRAINING


def training_needs(report: Report, *, districts: Mapping[str, str] | None = None) -> list[TrainingNeed]:
    """Who needs which course, from the report's ``qualification`` findings about officials.

    One entry per official and course (the first finding in report order gives the rule), sorted by
    district (``None`` last), unit, official and course. ``districts`` maps unit codes to district
    names; default: the report's own (:attr:`Report.unit_districts`).
    """
    refuse(an_instance("report", report, Report, NOT_A_REPORT), a_mapping("districts", districts, _NOT_DISTRICTS))
    by_unit = report.unit_districts if districts is None else districts
    seen: set[tuple[str, str]] = set()
    out: list[TrainingNeed] = []
    for finding in report.findings:
        if finding.family != "qualification" or finding.subject_kind != "official":
            continue
        for item in _needs_of(finding, by_unit.get(finding.scope_id)):
            if (item.official, item.course) in seen:
                continue
            seen.add((item.official, item.course))
            out.append(item)
    out.sort(key=lambda n: (n.district is None, n.district or "", n.unit, n.official, n.course))
    return out


def course_label(course: str, lang: str = "vi") -> str:
    """The name of a course code in ``lang`` (``degree.university`` → "đào tạo trình độ đại học")."""
    t = translation(lang)
    _ = t.gettext
    prefix, _dot, level = course.partition(".")
    if prefix == "degree" and level in EDUCATION.codes:
        name = EDUCATION.label(level) if lang != "en" else level.replace("_", " ")
        return _("{level} degree programme").format(level=name)
    if prefix == "theory" and level in POLITICAL_THEORY.codes:
        name = POLITICAL_THEORY.label(level) if lang != "en" else level
        return _("{level} political theory course").format(level=name)
    if prefix == "general" and level in GENERAL_EDUCATION.codes:
        name = GENERAL_EDUCATION.label(level) if lang != "en" else level.replace("_", " ")
        return _("complete {level} school (continuing education)").format(level=name)
    if course == "state_management":
        return _("state management (QLNN) course")
    return _("training to meet the rule's standard")


def _level(field: str | None, code: str | None, lang: str) -> str:
    if code is None:
        return "—"
    if lang == "en" or field not in _LEVELS:
        return code
    vocab = _LEVELS[field][0]
    return vocab.label(code) if code in vocab.codes else code


def _person(report: Report, official: str, lang: str) -> str:
    """An official as the training view shows them: id, then name and position unless redacted."""
    found = report.names.officials.get(official) if report.names is not None else None
    if found is None:
        return official
    return f"{official} {found[0]} — {position_label(found[1], lang)}"


def _cadres_only(report: Report, officials: set[str]) -> bool:
    """Whether every one of ``officials`` holds a cán bộ post (NĐ 33/2023 Điều 5 khoản 1; from 2025-07-01 also
    :data:`~cadre_rules.model._codes.CADRE_POSTS_2025`) by the report's names; not when it names none (redacted)."""
    if report.names is None or not officials:
        return False
    cadre = {*CADRE_POSTS, *CADRE_POSTS_2025}
    named = report.names.officials
    return all(official in named and named[official][1] in cadre for official in officials)


def render_training(report: Report, needs: Sequence[TrainingNeed] | None = None, *, lang: str = "vi") -> str:
    """The training view of ``evaluate --group-by training``: totals per course, then per district and unit."""
    t = translation(lang)
    _ = t.gettext
    needs = training_needs(report) if needs is None else needs
    out = [_("Training needs — as of {as_of}").format(as_of=short_date(report.as_of, lang))]
    # (the packs that apply to its units, as every format of the report names them: :mod:`._applied`)
    out.append(_("Packs: {packs}").format(packs=", ".join(f"{p.id}@{p.version}" for p in scope_packs(report))
                                           or _("(none)")))
    counted = {n.official for n in needs}
    people = len(counted)
    if _cadres_only(report, counted):  # ("cán bộ": công chức counted too, "cán bộ, công chức")
        line = t.npgettext("training, cadres only", "{needs} course place for {people} official",
                           "{needs} course places for {people} officials", people)
    else:
        line = t.ngettext("{needs} course place for {people} official", "{needs} course places for {people} officials",
                          people)
    out.append(line.format(needs=integer(len(needs), lang), people=integer(people, lang)))
    if report.notes:
        out.append(_("Notes:"))
        out.extend(f"  - {note}" for note in report.notes)
    if not needs:
        out += ["", "  " + _("No training need: no qualification finding about an official.")]
        return "\n".join(out) + "\n"
    out += ["", _("By course")]
    totals = Counter(n.course for n in needs)
    labels = {c: course_label(c, lang) for c in totals}
    width = max(len(v) for v in labels.values())
    out.extend(f"  {labels[c].ljust(width)}  {integer(totals[c], lang):>6}"
               for c in sorted(totals, key=lambda c: (-totals[c], c)))
    grouped: dict[str | None, dict[str, list[TrainingNeed]]] = defaultdict(lambda: defaultdict(list))
    for n in needs:
        grouped[n.district][n.unit].append(n)
    # units without districts (communes directly under the city): no district level, one group
    no_district = _("(no district)") if any(d is not None for d in grouped) else _("All units")
    for district, units in grouped.items():
        count = sum(len(v) for v in units.values())
        out += ["", f"{district if district is not None else no_district} ({integer(count, lang)})"]
        for unit, items in units.items():
            unit_name = report.names.units.get(unit) if report.names is not None else None
            out.append(f"  {unit} {unit_name}" if unit_name else f"  {unit}")
            for n in items:
                detail = _("now: {current}; required: {target}").format(
                    current=_level(n.field, n.current, lang), target=_level(n.field, n.target, lang))
                out.append(f"    {_person(report, n.official, lang)}  {course_label(n.course, lang)} — {detail} "
                           f"({n.pack}/{n.rule})")
    return "\n".join(out) + "\n"


_NOT_DISTRICTS = N_("expected a mapping of unit code to district name, or None, not a value of type {type}")
