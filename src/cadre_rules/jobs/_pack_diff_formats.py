"""What ``cadre-rules packs diff`` prints: text and HTML in the reader's language, and JSON (ids and codes).

The words follow the report's (docs/ngon-ngu.md): severities "cần xử lý / lưu ý / thông tin", scope kinds,
Vietnamese dates; rule, pack and subject ids stay as they are, and a changed message is shown in the
reader's language.
"""

from __future__ import annotations

import html
import json
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from .._i18n import translation
from ..model._formats import integer
from ..model._formats import percent
from ..model._formats import short_date
from ..model._names import position_label
from ..render._labels import scope_word
from ..render._labels import severity_word
from ._pack_diff import POSTS
from ._pack_diff import Change
from ._pack_diff import Impact
from ._pack_diff import PackDiff

__all__ = ["render_diff_html", "render_diff_json", "render_diff_text"]

_MARK = {True: "✓", False: "✗", None: "?"}


def _dict(d: PackDiff) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": "cadre-rules/pack-diff/v1", "old": d.old, "new": d.new,
                           "added": list(d.added), "removed": list(d.removed),
                           "changed": [attrs.asdict(c) for c in d.changes]}
    if d.impact is not None:
        out["as_of"] = d.as_of.isoformat() if d.as_of else None
        out["impact"] = [attrs.asdict(i) for i in d.impact]
    return out


def render_diff_json(d: PackDiff, lang: str = "en") -> str:
    """The diff as JSON (``cadre-rules/pack-diff/v1``): ids, codes and ISO dates, whatever ``lang``."""
    return json.dumps(_dict(d), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _part_word(part: str, lang: str) -> str:
    """The part of a rule or of the pack that changed, in words (a key without a name stays as it is)."""
    t = translation(lang)
    words = {"condition": t.pgettext("pack part", "condition"), "threshold": t.pgettext("pack part", "threshold"),
             "severity": t.pgettext("pack part", "severity"), "message": t.pgettext("pack part", "message"),
             "citation": t.pgettext("pack part", "citation"), "scopes": t.pgettext("pack part", "scopes"),
             "deadline": t.pgettext("pack part", "deadline"), "family": t.pgettext("pack part", "family"),
             "metric": t.pgettext("pack part", "metric"), "params": t.pgettext("pack part", "parameters"),
             "effective": t.pgettext("pack part", "effective dates"),
             "key_positions": t.pgettext("pack part", "key positions"),
             "scope": t.pgettext("pack part", "area"), "replaces": t.pgettext("pack part", "replaces"),
             POSTS: t.pgettext("pack part", "posts required")}
    return words.get(part, part)


def _kind_word(kind: str, lang: str) -> str:
    t = translation(lang)
    words = {"added": t.pgettext("pack change", "added"), "removed": t.pgettext("pack change", "removed"),
             "appears": t.pgettext("pack change", "appears"), "disappears": t.pgettext("pack change", "disappears"),
             "severity": t.pgettext("pack change", "severity changes"),
             "metric": t.pgettext("pack change", "metric changes")}
    return words.get(kind, kind)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 100 else text[:97] + "..."


def _value(change: Change, value: Any, lang: str) -> str:
    """A changed value as the reader reads it: a severity in words, a date as dates are written, a message
    in the reader's language; anything else as the pack writes it."""
    if value is None:
        return "—"
    if change.part == "severity" and isinstance(value, str):
        return severity_word(value, lang)
    if isinstance(value, str) and change.part in ("effective", "deadline"):
        try:
            return short_date(date.fromisoformat(value), lang)
        except ValueError:
            return value
    if change.part == "message" and isinstance(value, dict) and isinstance(value.get(lang), str):
        return _short(value[lang])
    if change.part == POSTS and isinstance(value, list):
        return _posts(value, lang)
    return _short(value)


def _posts(posts: list[Any], lang: str) -> str:
    """The posts a staffing rule requires (:func:`~._pack_diff.required_posts`), all of them, counted and in words:
    "7 posts: Bí thư Đảng ủy, Phó Bí thư Đảng ủy or Phó Bí thư Thường trực Đảng ủy, …"."""
    t = translation(lang)
    either = t.gettext("{first} or {second}")

    def post(entry: str) -> str:
        code, _, condition = entry.partition(" (")
        words = [position_label(c, lang) for c in code.split("|")]
        while len(words) > 1:
            words[-2:] = [either.format(first=words[-2], second=words[-1])]
        return words[0] + (f" ({condition}" if condition else "")

    return t.ngettext("{n} post: {posts}", "{n} posts: {posts}", len(posts)).format(
        n=integer(len(posts), lang), posts=", ".join(post(str(p)) for p in posts))


def _subject(impact: Impact, lang: str) -> str:
    """A finding's subject id; a metric's scope kind in words and its id (``city:Hà Nội`` → "thành phố Hà Nội")."""
    if impact.kind != "metric":
        return impact.subject
    scope, _, ident = impact.subject.partition(":")
    return f"{scope_word(scope, lang)} {ident}"


def _metric(view: Any, lang: str, *, target: bool = False) -> str:
    """A metric as ``numerator/denominator ✓`` (met ✓, not met ✗, undecided ?), with ``target``, its target
    (``(target 15.0%)``: the change of a metric whose count is the same); ``—``: not reported."""
    if not isinstance(view, dict):
        return "—"
    shown = f"{view.get('numerator')}/{view.get('denominator')} {_MARK.get(view.get('met'), '?')}"
    if not target:
        return shown
    try:
        goal = percent(Fraction(str(view.get("target"))), lang)
    except (ValueError, ZeroDivisionError):
        goal = str(view.get("target"))
    return shown + " " + translation(lang).gettext("(target {target})").format(target=goal)


def _impact_line(i: Impact, lang: str) -> tuple[str, str, str]:
    """The mark, and the values before and after, of one impact."""
    if i.kind == "metric":
        moved = isinstance(i.old, dict) and isinstance(i.new, dict) and i.old.get("target") != i.new.get("target")
        return "~", _metric(i.old, lang, target=moved), _metric(i.new, lang, target=moved)
    old = "—" if i.old is None else severity_word(str(i.old), lang)
    new = "—" if i.new is None else severity_word(str(i.new), lang)
    return {"appears": "+", "disappears": "-"}.get(i.kind, "~"), old, new


def _impact_title(d: PackDiff, lang: str) -> str:
    t = translation(lang)
    count = len(d.impact or ())
    when = short_date(d.as_of, lang) if d.as_of else "—"
    title = t.ngettext("impact on the data as of {date}: {count} change",
                       "impact on the data as of {date}: {count} changes", count)
    return title.format(date=when, count=integer(count, lang))


def render_diff_text(d: PackDiff, lang: str = "en") -> str:
    """The diff as text in ``lang``: rules added, removed, changed (which part), then the impact on data."""
    _ = translation(lang).gettext
    pack_word = _("[pack]")
    added, removed = _kind_word("added", lang), _kind_word("removed", lang)
    lines = [f"{d.old} → {d.new}"]
    lines += [f"  + {r}  ({added})" for r in d.added]
    lines += [f"  - {r}  ({removed})" for r in d.removed]
    for c in d.changes:
        lines.append(f"  ~ {c.rule or pack_word} {_part_word(c.part, lang)} ({c.key}): "
                     f"{_value(c, c.old, lang)} → {_value(c, c.new, lang)}")
    if not (d.added or d.removed or d.changes):
        lines.append("  " + _("no rule, parameter or date differs"))
    if d.impact is not None:
        lines.append(_impact_title(d, lang))
        metric_word = _part_word("metric", lang)
        for i in d.impact:
            mark, old, new = _impact_line(i, lang)
            what = f"{metric_word} {i.rule} {_subject(i, lang)}:" if i.kind == "metric" else f"{i.rule} {i.subject}"
            values = new if i.kind == "appears" else old if i.kind == "disappears" else f"{old} → {new}"
            lines.append(f"  {mark} {what} {values}")
    return "\n".join(lines) + "\n"


def render_diff_html(d: PackDiff, lang: str = "en") -> str:
    """The diff as an HTML page in ``lang``: a table of the rules' changes, and one of the impact on data."""
    t = translation(lang)
    _ = t.gettext
    e = html.escape
    pack_word, no_difference = _("[pack]"), _("no rule, parameter or date differs")
    rows = [f"<tr><td>{e(_kind_word('added', lang))}</td><td>{e(r)}</td><td></td><td></td><td></td></tr>"
            for r in d.added]
    rows += [f"<tr><td>{e(_kind_word('removed', lang))}</td><td>{e(r)}</td><td></td><td></td><td></td></tr>"
             for r in d.removed]
    rows += [f"<tr><td>{e(_part_word(c.part, lang))}</td><td>{e(c.rule or pack_word)}</td><td>{e(c.key)}</td>"
             f"<td>{e(_value(c, c.old, lang))}</td><td>{e(_value(c, c.new, lang))}</td></tr>" for c in d.changes]
    change, rule, key = t.pgettext("diff column", "change"), t.pgettext("diff column", "rule"), \
        t.pgettext("diff column", "key")
    old, new, subject = t.pgettext("diff column", "old"), t.pgettext("diff column", "new"), \
        t.pgettext("diff column", "subject")
    head = f"<tr><th>{e(change)}</th><th>{e(rule)}</th><th>{e(key)}</th><th>{e(old)}</th><th>{e(new)}</th></tr>"
    parts = [f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "vi"}"><head><meta charset="utf-8">',
             f"<title>{e(d.old)} → {e(d.new)}</title></head><body>",
             f"<h1>{e(d.old)} → {e(d.new)}</h1>",
             f"<table><thead>{head}</thead>",
             "<tbody>" + "".join(rows) + "</tbody></table>"]
    if not (d.added or d.removed or d.changes):
        parts.append(f"<p>{e(no_difference)}</p>")
    if d.impact is not None:
        irows = []
        for i in d.impact:
            _mark, before, after = _impact_line(i, lang)
            irows.append(f"<tr><td>{e(_kind_word(i.kind, lang))}</td><td>{e(i.rule)}</td>"
                         f"<td>{e(_subject(i, lang))}</td><td>{e(before)}</td><td>{e(after)}</td></tr>")
        ihead = (f"<tr><th>{e(change)}</th><th>{e(rule)}</th><th>{e(subject)}</th><th>{e(old)}</th>"
                 f"<th>{e(new)}</th></tr>")
        parts += [f"<h2>{e(_impact_title(d, lang))}</h2>",
                  f"<table><thead>{ihead}</thead><tbody>" + "".join(irows) + "</tbody></table>"]
    parts.append("</body></html>\n")
    return "\n".join(parts)
