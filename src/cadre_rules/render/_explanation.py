"""The text of ``cadre-rules explain``: each rule, its status, each condition ✓ / ✗ / ?."""

from __future__ import annotations

from collections.abc import Mapping

from .._i18n import label
from .._i18n import translation
from ..model._codes import POSITION
from ..model._formats import short_date
from ..model._names import OTHER
from ..model._report_records import JSONValue
from ..packs._catalogue import OFFICIAL_FIELDS
from ..report._explain import OfficialExplanation
from ._condition_words import said_condition
from ._labels import RuleNames
from ._labels import field_text
from ._text import _words as words_of

__all__ = ["field_shown", "render_explanation"]


_MARK = {True: "✓", False: "✗", None: "?"}


def _value_text(entry: Mapping[str, JSONValue], lang: str) -> str:
    t = translation(lang)
    value = entry.get("value")
    if value is None:
        return t.gettext("missing")
    if isinstance(value, bool):
        return t.gettext("yes") if value else t.gettext("no")
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if lang != "en" and isinstance(value, str):
        vi = _code_label(str(entry.get("field", "")), value)
        if vi is not None and vi != value:
            text += f" ({vi})"
    return text


def field_shown(entry: Mapping[str, JSONValue], lang: str, *, alone: bool = False) -> str:
    """A condition's field and its value, between the brackets after the condition: in English as the pack writes
    it (``months_in_post = 4``; the value alone where the condition is the field, ``alone``); in another language
    by the field's name, the one a finding's facts give it (``số tháng giữ chức vụ: 4``), the expression before
    it keeping the pack's names for the integrator."""
    field = str(entry["field"])
    if lang == "en":
        shown = _value_text(entry, lang)
        return shown if alone else f"{field} = {shown}"
    name, value = field_text(field, entry.get("value"), lang)
    return f"{name}: {value or translation(lang).gettext('missing')}"


def _code_label(field: str, value: str) -> str | None:
    spec = OFFICIAL_FIELDS.get(field)
    if spec is None:
        return None
    shown = label(spec.type, value, "vi")
    return shown if isinstance(shown, str) else None


def render_explanation(explanation: OfficialExplanation, *, lang: str = "vi") -> str:
    """The explanation as readable text in ``lang``: each rule, its status, each condition ✓ / ✗ / ?."""
    t = translation(lang)
    _ = t.gettext
    pgettext = t.pgettext
    e = explanation
    out = [_("Explanation for official {official} — as of {as_of}").format(official=e.official,
                                                                          as_of=short_date(e.as_of, lang))]
    # a post outside the list ("other", Khác) as the official's line names it: the title the input writes, else the
    # category (not with --redact: the explanation has no position then)
    other = e.position if lang != "en" and e.position is not None else None
    posts = ", ".join(other if p == OTHER and other is not None else POSITION.label(p) if lang != "en" else p
                      for p in e.posts)
    if e.name is not None:
        out.append(_("Official: {name}").format(name=" — ".join(p for p in (e.name, e.position, e.unit_name) if p)))
    unit = e.unit if e.unit_name is None else f"{e.unit} {e.unit_name}"
    unit = unit if e.district is None else f"{unit} ({e.district})"
    out.append(_("Unit: {unit} · posts: {posts}").format(unit=unit, posts=posts))
    out.append(_("Packs: {packs}").format(packs=", ".join(e.packs) or _("(none)")))
    out.append(_("Legend: ✓ true · ✗ false · ? unknown (missing data)"))
    if e.notes:
        out.append(_("Notes:"))
        out.extend(f"  - {note}" for note in e.notes)
    parts = {"where": _("where"), "when": _("when"), "population": _("population"), "numerator": _("numerator")}
    status_text = {
        "fired": _("FINDING ({severity})"),
        "suppressed": _("finding set aside by {by}: {reason}"),
        "unless": _("conditions hold, but not reported: a finding of family {by} exists"),
        "gap": _("data gap: not evaluated"),
        "unknown": _("unknown: data missing, no finding"),
        "not_applicable": _("does not apply to this official"),
        "not_fired": _("no finding"),
        "numerator": _("counted in the population and in the numerator"),
        "population": _("counted in the population, not in the numerator"),
        "outside": _("not in the population of this quota"),
    }
    words = {"and": _("all of:"), "or": _("any of:"), "not": _("not:")}
    message_word, cite_word = _("message"), _("cite")
    current_pack = None
    rule_names = RuleNames(e.rule_names, lang)
    if not e.rules:
        out += ["", _("No rule of these packs applies to officials.")]
    for r in e.rules:
        if r.pack != current_pack:
            current_pack = r.pack
            ref = next((p for p in e.packs if p.split("@", 1)[0] == r.pack), r.pack)
            out += ["", ref]
        severity = pgettext("severity", r.finding_severity or r.severity)
        status = status_text[r.status].format(severity=severity, by=r.by or "", reason=r.reason or "")
        mark = "●" if r.status == "fired" else "○"
        family = words_of(lang).get(r.family, r.family)
        name = rule_names(r.pack, r.rule)  # by its name, its id beside it (its id alone if it has no name)
        rule = r.rule if name is None else f"{name} — {r.rule}"
        out.append(f"  {mark} {rule}  [{family}, {pgettext('severity', r.severity)}] — {status}")
        last_part = None
        skip = -1
        for k, entry in enumerate(r.entries):
            if k == skip:
                continue
            if other is not None and entry.get("field") == "position" and entry.get("value") == OTHER:
                entry = {**entry, "value": other}  # noqa: PLW2901 - the official's post, as named above
            part = str(entry["part"])
            if part != last_part:
                last_part = part
                if part.startswith("escalate["):
                    name = _("escalate to {severity}").format(
                        severity=pgettext("severity", str(entry.get("severity", ""))))
                else:
                    name = parts.get(part, part)
                out.append(f"      {name}:")
            depth = int(str(entry["depth"]))
            indent = "        " + "  " * depth
            result = entry["result"]
            mark_r = _MARK[result if isinstance(result, bool) else None]
            op = entry.get("op")
            child = r.entries[k + 1] if k + 1 < len(r.entries) else None
            if op == "not" and child is not None and "field" in child and child["depth"] == depth + 1:
                skip = k + 1  # not <leaf>: one line
                said = said_condition(child, lang, field_shown(child, lang), negated=True,
                                      expression=str(entry["condition"]))
                out.append(f"{indent}{mark_r} {said}")
            elif op in words and "field" not in entry:
                out.append(f"{indent}{mark_r} {words[str(op)]}")
            elif "field" in entry:
                field = str(entry["field"])
                shown = field_shown(entry, lang, alone=entry["condition"] in (field, f"not {field}"))
                out.append(f"{indent}{mark_r} {said_condition(entry, lang, shown)}")
            else:
                out.append(f"{indent}{mark_r} {entry['condition']}")
        if r.message is not None:
            out.append(f"      {message_word}: {' '.join(r.message.split())}")
        out.append(f"      {cite_word}: {r.cite}")
    return "\n".join(out) + "\n"
