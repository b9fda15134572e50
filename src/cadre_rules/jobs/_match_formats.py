"""The reports of ``cadre-rules match``: text, JSON (``cadre-rules/match/v1``, docs/match.md), CSV, XLSX and HTML.

The formats for people (text, xlsx, html) write numbers and dates as the reader's language does (``17,9%``,
``1.474``, ``31/12/2024`` in Vietnamese: :mod:`cadre_rules.model._formats`); json and csv stay machine-readable.
"""

from __future__ import annotations

import csv
import gettext
import io
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any

import orjson

from .._i18n import N_
from .._i18n import translation
from ..model._arguments import an_instance
from ..model._arguments import refuse
from ..model._codes import POSITION
from ..model._formats import integer
from ..model._formats import long_date
from ..model._formats import percent
from ..model._formats import short_date
from ..render._csv import _guard
from ..render._html import _CSP
from ..render._html import _asset
from ..render._html import _e
from ..render._html import _table
from ..report._report import scope_entry
from ..report._report import version
from ._match import CONCURRENT_REASON
from ._match import MatchResult
from ._match import NearMiss
from ._match import PostResult

__all__ = ["MATCH_CSV_COLUMNS", "MATCH_SCHEMA", "match_to_dict", "render_match_csv", "render_match_html",
           "render_match_json", "render_match_text", "render_match_xlsx"]

#: The schema id of the JSON report of ``match``.
MATCH_SCHEMA = "cadre-rules/match/v1"
#: The header row of the CSV report: one row per post and candidate (``kind`` ``candidate`` or ``near_miss``).
MATCH_CSV_COLUMNS = ("unit", "unit_name", "position", "reason", "kind", "rank", "candidate_id", "full_name",
                     "candidate_unit", "candidate_position", "targets", "fit", "reasons", "rule", "lack", "cite",
                     "assigned")


def _post_dict(r: PostResult, assigned: str | None) -> dict[str, Any]:
    p = r.post
    return {
        "unit": p.unit, "unit_name": r.unit_name, "district": r.district, "position": p.position,
        "reason": p.reason, "holder": p.holder, "due": p.due.isoformat() if p.due else None,
        "eligible": r.eligible, "assigned": assigned, "finding": _finding(r.found_by),
        "candidates": [{"rank": i, "id": c.id, "full_name": c.full_name, "unit": c.unit, "unit_name": c.unit_name,
                        "position": c.position,
                        "targets": c.targets, "meets": list(c.meets), "fit": c.fit, "reasons": list(c.reasons),
                        **({"concurrent": True} if c.concurrent else {})}  # (added in session 17, within v1)
                       for i, c in enumerate(r.candidates, start=1)],
        "near_misses": [{"id": m.id, "full_name": m.full_name, "unit": m.unit, "unit_name": m.unit_name,
                         "position": m.position,
                         "pack": m.pack, "rule": m.rule, "lack": m.lack, "cite": m.cite,
                         **({"concurrent": True} if m.concurrent else {})}  # (added in session 17, within v1)
                        for m in r.near_misses],
    }


def _finding(found_by: str | None) -> dict[str, str] | None:
    """The finding of the report that found a post vacant, as the report's findings name it (``pack``, ``rule``)."""
    if found_by is None:
        return None
    pack, _, rule = found_by.partition("/")
    return {"pack": pack, "rule": rule}


def match_to_dict(result: MatchResult) -> dict[str, Any]:
    """The JSON document of a match result (docs/match.md)."""
    refuse(an_instance("result", result, MatchResult, _NOT_A_MATCH))
    assignment = result.assignment
    return {
        "schema": MATCH_SCHEMA, "cadre_rules_version": version(), "as_of": result.as_of.isoformat(),
        "backend": result.backend, "packs": list(result.packs),
        **scope_entry(result.scope),
        "summary": {"posts": len(result.posts), "with_candidates": sum(1 for r in result.posts if r.eligible),
                    "assigned": None if assignment is None else len(assignment)},
        "posts": [_post_dict(r, None if assignment is None else assignment.get(r.post.key)) for r in result.posts],
        "metrics": {k: dict(v) for k, v in sorted(result.metrics.items())} if assignment is not None else None,
        "notes": list(result.notes),
    }


def render_match_json(result: MatchResult) -> bytes:
    """:func:`match_to_dict` as UTF-8 JSON, indented, keys in the documented order (deterministic)."""
    return orjson.dumps(match_to_dict(result), option=orjson.OPT_INDENT_2) + b"\n"


def _concurrent(m: NearMiss, lang: str) -> str:
    """Why a near miss is a concurrent holding (kiêm nhiệm), as the candidates' reasons say it; else nothing."""
    return translation(lang).gettext(CONCURRENT_REASON) if m.concurrent else ""


def _lack(m: NearMiss, lang: str) -> str:
    """What a near miss lacks, and that it is a concurrent holding (kiêm nhiệm) when it is."""
    return f"{m.lack}; {_concurrent(m, lang)}" if m.concurrent else m.lack


def _position(code: str, lang: str) -> str:
    return code if lang == "en" or not code else POSITION.label(code)  # ("": redacted)


_REASONS = {"vacant": N_("vacant"), "retiring": N_("holder retiring"), "term_ends": N_("holder's term ends"),
            "listed": N_("listed")}
#: The metrics of ``--assign``, in the order shown, with their labels.
_METRICS = {"posts_to_fill": N_("Posts to fill"), "posts_filled": N_("Posts filled by the proposal"),
            "units_without_woman": N_("Units whose standing committee has no woman"),
            "young_key_share": N_("Share of key officials under 35")}


def _metric_value(name: str, value: int | float | None, lang: str) -> str:
    """A metric's value as the reader writes it (a share in percent, a count with grouped digits)."""
    if value is None:
        return "—"
    if name.endswith("_share"):
        return percent(value, lang)
    return integer(int(value), lang)


def _metric_label(name: str, lang: str) -> str:
    label = _METRICS.get(name)
    return translation(lang).gettext(label) if label is not None else name


def _metric_names(result: MatchResult) -> list[str]:
    """The metrics in the order shown: the known ones first, then any other by name."""
    return [*(n for n in _METRICS if n in result.metrics), *sorted(n for n in result.metrics if n not in _METRICS)]


def _post_words(r: PostResult, t: gettext.NullTranslations, lang: str) -> tuple[str, str, str, str]:
    """A post to fill in words: its unit (name and code), its position, why and by when, how many are eligible."""
    p = r.post
    due = f", {short_date(p.due, lang)}" if p.due else ""
    eligible = t.ngettext("{n} eligible", "{n} eligible", r.eligible).format(n=integer(r.eligible, lang))
    named = f"{r.unit_name} ({p.unit})" if r.unit_name else p.unit
    return named, _position(p.position, lang), t.gettext(_REASONS[p.reason]) + due, eligible


def _about(result: MatchResult) -> str:
    """`` — Phường Tương Mai`` after a title: the district or commune of a scoped result (its code if redacted)."""
    return "" if result.scope is None else f" — {result.scope.name}"


def render_match_text(result: MatchResult, lang: str = "vi") -> str:
    """A readable report: per post, its candidates (ranked, with reasons) and near misses (what they lack)."""
    t = translation(lang)
    _ = t.gettext
    lines = [_("Candidates for posts to fill") + _about(result)
             + f" — {short_date(result.as_of, lang)} ({', '.join(result.packs) or '-'}; {result.backend})", ""]
    assignment = result.assignment
    for r in result.posts:
        p = r.post
        named, position, why, eligible = _post_words(r, t, lang)
        lines.append(f"{named} — {position}: {why}; {eligible}")
        for i, c in enumerate(r.candidates, start=1):
            mark = " ★" if assignment is not None and assignment.get(p.key) == c.id else ""
            why = f" — {'; '.join(c.reasons)}" if c.reasons else ""
            who = ", ".join(x for x in (c.id, c.unit_name or c.unit, _position(c.position, lang)) if x)
            lines.append(f"  {i}. {c.full_name + ' ' if c.full_name else ''}({who}){mark}{why}")
        if r.near_misses:
            lines.append("  " + _("Near misses:"))
            lines.extend(f"    - {m.full_name + ' ' if m.full_name else ''}({m.id}, {m.unit_name or m.unit}): "
                         f"{_lack(m, lang)} [{m.cite}]" for m in r.near_misses)
        lines.append("")
    if assignment is not None:
        lines.append(_("Proposal") + f": {integer(len(assignment), lang)}/{integer(len(result.posts), lang)}")
        for name in _metric_names(result):
            values = result.metrics[name]
            lines.append(f"  {_metric_label(name, lang)}: {_metric_value(name, values.get('before'), lang)} → "
                         f"{_metric_value(name, values.get('after'), lang)}")
        lines.append("")
    lines.extend(f"* {n}" for n in result.notes)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_match_csv(result: MatchResult) -> bytes:
    """One row per post and candidate or near miss (a post with neither: one row), UTF-8 with a BOM; a near miss
    that is a concurrent holding says so in its ``reasons``, as a candidate's first reason does (in the result's
    language, that of its other words)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(MATCH_CSV_COLUMNS)
    assignment = result.assignment or {}
    for r in result.posts:
        p = r.post
        head = (p.unit, r.unit_name, p.position, p.reason)
        for i, c in enumerate(r.candidates, start=1):
            writer.writerow([_guard(str(x)) for x in (*head, "candidate", i, c.id, c.full_name, c.unit, c.position,
                                                      c.targets, c.fit, "; ".join(c.reasons), "", "", "",
                                                      "yes" if assignment.get(p.key) == c.id else "")])
        for m in r.near_misses:
            writer.writerow([_guard(str(x)) for x in (*head, "near_miss", "", m.id, m.full_name, m.unit, m.position,
                                                      "", "", _concurrent(m, result.lang), f"{m.pack}/{m.rule}",
                                                      m.lack, m.cite, "")])
        if not r.candidates and not r.near_misses:
            writer.writerow([_guard(str(x)) for x in (*head, "none", *[""] * 12)])
    return out.getvalue().encode("utf-8")


_POST_SHEET = (N_("Unit"), N_("Unit name"), N_("Post"), N_("Why"), N_("Due"), N_("Eligible"), N_("Rank"),
               N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Current position"), N_("Reasons"),
               N_("Proposed"))
_PEOPLE_SHEET = (N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Current position"), N_("Unit"),
                 N_("Post"), N_("Rank"), N_("Proposed"))
_METRIC_SHEET = (N_("Metric"), N_("Before"), N_("After"))
_NEAR_SHEET = (N_("Unit"), N_("Post"), N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Lacks"),
               N_("Source"))


def render_match_xlsx(result: MatchResult, lang: str = "vi") -> bytes:
    """A workbook: the posts with their candidates, the candidates with their posts, the near misses, and the
    result's notes (headings in ``lang``, Vietnamese by default; the same result gives the same bytes)."""
    import xlsxwriter  # noqa: PLC0415 - lazy: only this format needs it

    _ = translation(lang).gettext
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"author": "cadre-rules",
                       "created": datetime.combine(result.as_of, datetime.min.time())})
    bold = wb.add_format({"bold": True})
    assignment = result.assignment or {}
    posts: list[list[object]] = []
    people: list[list[object]] = []
    near: list[list[object]] = []
    for r in result.posts:
        p = r.post
        head = [p.unit, r.unit_name, _position(p.position, lang), _(_REASONS[p.reason]),
                p.due if p.due else "", r.eligible]
        for i, c in enumerate(r.candidates, start=1):
            chosen = "★" if assignment.get(p.key) == c.id else ""
            posts.append([*head, i, c.id, c.full_name, c.unit_name or c.unit, _position(c.position, lang),
                          "; ".join(c.reasons), chosen])
            people.append([c.id, c.full_name, c.unit_name or c.unit, _position(c.position, lang), p.unit,
                           _position(p.position, lang), i, chosen])
        if not r.candidates:
            posts.append([*head, "", "", "", "", "", "", ""])
        near.extend([p.unit, _position(p.position, lang), m.id, m.full_name, m.unit_name or m.unit, _lack(m, lang),
                     m.cite] for m in r.near_misses)
    people.sort(key=lambda row: (str(row[0]), str(row[4]), str(row[5])))
    sheets: list[tuple[str, Sequence[str], list[list[object]]]] = [
        (_("Posts to fill"), [_(h) for h in _POST_SHEET], posts),
        (_("Candidates"), [_(h) for h in _PEOPLE_SHEET], people), (_("Near misses"), [_(h) for h in _NEAR_SHEET], near)]
    if result.scope is not None:  # (first: what the workbook is of; its heading and the date)
        sheets.insert(0, (_("Scope"), (translation(lang).pgettext("xlsx summary", "Report for"), result.scope.name),
                          [[_("As of"), result.as_of]]))
    if result.assignment is not None:
        sheets.append((_("Proposal"), [_(h) for h in _METRIC_SHEET], [[_metric_label(name, lang), *(
            result.metrics[name].get(when) for when in ("before", "after"))] for name in _metric_names(result)]))
    if result.notes:  # (last, as text and html end with them: who is not proposed and why, the data's gaps)
        sheets.append((_("Notes"), [_("Note")], [[note] for note in result.notes]))
    day = wb.add_format({"num_format": "yyyy-mm-dd" if lang == "en" else "dd/mm/yyyy"})
    share = wb.add_format({"num_format": "0.0%"})
    for title, header, rows in sheets:
        ws = wb.add_worksheet(title[:31])
        ws.write_row(0, 0, header, bold)
        for n, row in enumerate(rows, start=1):
            for col, x in enumerate(row):
                if isinstance(x, date):
                    ws.write_datetime(n, col, datetime.combine(x, datetime.min.time()), day)
                elif isinstance(x, float):
                    ws.write_number(n, col, x, share)
                elif x is not None:
                    ws.write(n, col, _guard(x) if isinstance(x, str) else x)
        ws.freeze_panes(1, 0)
    wb.close()
    return out.getvalue()


# -- html ---------------------------------------------------------------------------------------------
_HTML_STYLE = """
section.post { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
section.post h3 .why { font-weight: 400; color: var(--muted); }
tr.proposed td { background: #e8f5e9; font-weight: 600; }
td.lack { color: var(--warning); }
"""


def render_match_html(result: MatchResult, lang: str = "vi") -> str:
    """One self-contained page (no script, nothing fetched): the summary and, with ``--assign``, the metrics
    before and after the proposal; per post its candidates (★ the proposed one) and near misses with what they
    lack. Headings in ``lang``, numbers and dates as its readers write them; the same result gives the same text."""
    t = translation(lang)
    _ = t.gettext
    title = _("Candidates for posts to fill") + _about(result) + " — " + long_date(result.as_of, lang)
    assignment = result.assignment
    with_candidates = sum(1 for r in result.posts if r.eligible)
    summary = _("{posts} posts to fill, {with_candidates} with candidates").format(
        posts=integer(len(result.posts), lang), with_candidates=integer(with_candidates, lang))
    if assignment is not None:
        summary += "; " + _("{assigned} proposed").format(assigned=integer(len(assignment), lang))
    out = [f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "vi"}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f'<meta name="generator" content="cadre-rules {_e(version())}">\n<link rel="icon" href="data:,">\n'
           f"<title>{_e(title)}</title>\n<style>\n{_asset('report.css')}{_asset('print.css')}{_HTML_STYLE}</style>\n"
           f'</head>\n<body>\n<header class="top"><h1>{_e(title)}</h1><div class="meta">{_e(summary)}</div>'
           f'<div class="packs">{_e(_("Packs"))}: {_e(", ".join(result.packs) or "-")} · {_e(result.backend)}'
           "</div></header>\n<main>\n"]
    if result.notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in result.notes)
        out.append(f"<details><summary>{_e(_('Notes'))}</summary><ul>{items}</ul></details>\n")
    if assignment is not None:
        rows = [f"<tr><td>{_e(_metric_label(name, lang))}</td>"
                + "".join(f'<td class="num" data-sort="{_e(result.metrics[name].get(when))}">'
                          f"{_e(_metric_value(name, result.metrics[name].get(when), lang))}</td>"
                          for when in ("before", "after")) + "</tr>" for name in _metric_names(result)]
        out.append(f'<section id="proposal"><h2>{_e(_("Proposal"))}</h2>'
                   + _table([(_("Metric"), False), (_("Before"), True), (_("After"), True)], rows, scroll=False)
                   + "</section>\n")
    out.append(f'<section id="posts"><h2>{_e(_("Posts to fill"))}</h2>\n')
    for r in result.posts:
        p = r.post
        named, position, why, eligible = _post_words(r, t, lang)
        out.append(f'<section class="post" id="post-{_e(p.key)}"><h3>{_e(named)} — '
                   f'{_e(position)} <span class="why">{_e(why)}; {_e(eligible)}</span></h3>')
        chosen = assignment.get(p.key) if assignment is not None else None
        if r.candidates:
            rows = [('<tr class="proposed">' if c.id == chosen else "<tr>")
                    + f'<td class="num" data-sort="{i}">{integer(i, lang)}</td><td>{_e(c.full_name)}'
                    + (" ★" if c.id == chosen else "") + f"</td><td>{_e(c.id)}</td><td>{_e(c.unit_name or c.unit)}</td>"
                    f"<td>{_e(_position(c.position, lang))}</td><td>{_e('; '.join(c.reasons))}</td></tr>"
                    for i, c in enumerate(r.candidates, start=1)]
            out.append(_table([(_("Rank"), True), (_("Full name"), False), (_("Candidate id"), False),
                               (_("Candidate's unit"), False), (_("Current position"), False),
                               (_("Reasons"), False)], rows))
        if r.near_misses:
            rows = [f"<tr><td>{_e(m.full_name)}</td><td>{_e(m.id)}</td><td>{_e(m.unit_name or m.unit)}</td>"
                    f'<td class="lack">{_e(_lack(m, lang))}</td><td>{_e(m.cite)}</td></tr>' for m in r.near_misses]
            out.append(f"<h4>{_e(_('Near misses:'))}</h4>"
                       + _table([(_("Full name"), False), (_("Candidate id"), False), (_("Candidate's unit"), False),
                                 (_("Lacks"), False), (_("Source"), False)], rows))
        out.append("</section>\n")
    out.append(f"</section>\n</main>\n<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n")
    return "".join(out)


# TRANSLATORS: MatchResult and match_posts are names of the Python API; {type} a Python type (Report)
_NOT_A_MATCH = N_("expected a MatchResult (made by match_posts), not a value of type {type}")
