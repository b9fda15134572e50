"""The text of ``cadre-rules explain --unit`` / ``--district`` / ``--city``: the scope's findings and metrics,
and for each share quota the people counted, those not counted and those left unknown, each named unless
redacted."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence

from .._i18n import translation
from ..model._formats import OP_SIGNS
from ..model._formats import short_date
from ..model._names import subject_label
from ..model._report_records import JSONValue
from ..model._report_records import Metric
from ..render._common import integer
from ..render._common import message_of
from ..render._common import metric_number
from ..render._condition_words import said_condition
from ..render._explanation import field_shown
from ..render._labels import MetricNames
from ..render._labels import RuleNames
from ..render._text import _words as words_of
from ..report._needed import metric_needed
from ..report._needed import needed_text
from ._explain_scope import QuotaPeople
from ._explain_scope import ScopeExplanation

__all__ = ["render_scope_explanation"]

_MARK = {True: "✓", False: "✗", None: "?"}


def _metric_text(m: Metric, lang: str) -> str:
    mark = "—" if m.met is None else _MARK[m.met]
    return (f"{integer(m.numerator, lang)}/{integer(m.denominator, lang)} = {metric_number(m, m.value, lang)} "
            f"{OP_SIGNS[m.op]} {metric_number(m, m.target, lang)} {mark}")


def _condition_line(entry: Mapping[str, JSONValue], mark: str, lang: str) -> str:
    """A condition of a unit's finding: in English the pack's expression; in Vietnamese in words, indented by its
    depth, the value and the pack's expression after it (:func:`~cadre_rules.render._condition_words.said_condition`),
    ``and``/``or`` as "tất cả các điều kiện:" / "một trong các điều kiện:"."""
    condition = str(entry.get("condition", entry.get("part")))
    if lang == "en":
        return f"      {mark} {condition}"
    indent = "      " + "  " * int(str(entry.get("depth", 0)))
    if "field" in entry:
        return f"{indent}{mark} {said_condition(entry, lang, field_shown(entry, lang))}"
    _ = translation(lang).gettext
    words = {"and": _("all of:"), "or": _("any of:"), "not": _("not:")}.get(str(entry.get("op")), condition)
    return f"{indent}{mark} {words}"


def render_scope_explanation(e: ScopeExplanation, *, lang: str = "vi") -> str:
    """The explanation as readable text in ``lang``."""
    t = translation(lang)
    _ = t.gettext
    w = words_of(lang)
    metric_names = MetricNames(e.pack_refs, lang)  # (as the reports name a metric: by its pack's name, else built-in)
    rule_names = RuleNames(e.pack_refs, lang)
    title = e.name if e.name == e.id else f"{e.id} {e.name}"
    out = [_("Explanation for {scope} — as of {as_of}").format(scope=title, as_of=short_date(e.as_of, lang))]
    applying = [ref for ref in e.packs if ref not in e.not_applying]  # (the others: a note says so, once)
    out.append(_("Packs: {packs}").format(packs=", ".join(applying) or _("(none)")))
    if e.notes:
        out.append(_("Notes:"))
        out.extend(f"  - {note}" for note in e.notes)
    out += ["", _("Findings ({n})").format(n=integer(len(e.findings), lang))]
    if not e.findings:
        out.append("  " + w["no_findings"])
    width = max((len(w[f.severity]) for f in e.findings), default=0)
    for f in e.findings:
        name = rule_names(f.pack, f.rule)  # (as the quotas below: its name, then its id)
        # (an official's finding — past retirement age — names whom it is about, as the reports do)
        whom = f"{_label(e, f.subject_id)}: " if f.subject_kind == "official" else ""
        out.append(f"  {w[f.severity].ljust(width)}  {'' if name is None else f'{name} — '}{f.pack}/{f.rule}: "
                   f"{whom}{message_of(f)}")
        for entry in f.explanation if f.subject_kind == "unit" else ():  # a quota's counts are below
            if "condition" in entry:
                result = entry.get("result")
                mark = _MARK[result if isinstance(result, bool) else None]
                out.append(_condition_line(entry, mark, lang))
    if e.metrics:
        out += ["", _("Metrics ({n})").format(n=integer(len(e.metrics), lang))]
        for m in e.metrics:  # by name, as the reports show a metric
            out.append(f"  {m.pack}: {metric_names(m.pack, m.id)}: {_metric_text(m, lang)}{_needed(m, lang)}")
    for q in e.quotas:
        name = metric_names.named(q.pack, q.quota)
        named = f"{name} — " if name is not None else ""
        out += ["", f"● {named}{q.pack}/{q.quota}  [{w.get(q.family, q.family)}]"
                    + (f" {_metric_text(q.metric, lang)}{_needed(q.metric, lang)}" if q.metric is not None else "")]
        out.extend(_people(e, q, lang))
        cite = _("cite")
        out.append(f"    {cite}: {q.cite}")
    return "\n".join(out) + "\n"


def _needed(m: Metric, lang: str) -> str:
    more = metric_needed(m)
    if more is None or m.met is not False:
        return ""
    return f" ({needed_text(more, lang)})"  # (a target no addition reaches says so in words)


def _people(e: ScopeExplanation, q: QuotaPeople, lang: str) -> list[str]:
    t = translation(lang)
    _ = t.gettext
    out: list[str] = []
    groups: Sequence[tuple[str, tuple[str, ...]]] = (
        (_("Counted ({n}):"), q.counted), (_("In the population, not counted ({n}):"), q.not_counted),
        *(((_("Unknown: data missing ({n}):"), q.unknown),) if q.unknown else ()))
    for heading, ids in groups:
        out.append("    " + heading.format(n=integer(len(ids), lang)))
        out.extend(f"      {_label(e, i)}" for i in ids)
    return out


def _label(e: ScopeExplanation, official: str) -> str:
    label = subject_label(e.names, "official", official)
    return f"{official} {label}" if label else official
