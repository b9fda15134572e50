"""The reports of ``cadre-rules match``: text, JSON (``cadre-rules/match/v1``, docs/match.md), CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import orjson

from .._codes import POSITION
from .._i18n import N_
from .._i18n import translation
from .._report import version
from ..jobs._match import MatchResult
from ..jobs._match import PostResult
from ._csv import _guard

__all__ = ["MATCH_CSV_COLUMNS", "MATCH_SCHEMA", "match_to_dict", "render_match_csv", "render_match_json",
           "render_match_text", "render_match_xlsx"]

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
        "eligible": r.eligible, "assigned": assigned,
        "candidates": [{"rank": i, "id": c.id, "full_name": c.full_name, "unit": c.unit, "position": c.position,
                        "targets": c.targets, "meets": list(c.meets), "fit": c.fit, "reasons": list(c.reasons)}
                       for i, c in enumerate(r.candidates, start=1)],
        "near_misses": [{"id": m.id, "full_name": m.full_name, "unit": m.unit, "position": m.position,
                         "pack": m.pack, "rule": m.rule, "lack": m.lack, "cite": m.cite}
                        for m in r.near_misses],
    }


def match_to_dict(result: MatchResult) -> dict[str, Any]:
    """The JSON document of a match result (docs/match.md)."""
    assignment = result.assignment
    return {
        "schema": MATCH_SCHEMA, "cadre_rules_version": version(), "as_of": result.as_of.isoformat(),
        "backend": result.backend, "packs": list(result.packs),
        "summary": {"posts": len(result.posts), "with_candidates": sum(1 for r in result.posts if r.eligible),
                    "assigned": None if assignment is None else len(assignment)},
        "posts": [_post_dict(r, None if assignment is None else assignment.get(r.post.key)) for r in result.posts],
        "metrics": {k: dict(v) for k, v in sorted(result.metrics.items())} if assignment is not None else None,
        "notes": list(result.notes),
    }


def render_match_json(result: MatchResult) -> bytes:
    """:func:`match_to_dict` as UTF-8 JSON, indented, keys in the documented order (deterministic)."""
    return orjson.dumps(match_to_dict(result), option=orjson.OPT_INDENT_2) + b"\n"


def _position(code: str, lang: str) -> str:
    return code if lang == "en" else POSITION.label(code)


_REASONS = {"vacant": N_("vacant"), "retiring": N_("holder retiring"), "listed": N_("listed")}


def render_match_text(result: MatchResult, lang: str = "vi") -> str:
    """A readable report: per post, its candidates (ranked, with reasons) and near misses (what they lack)."""
    _ = translation(lang).gettext
    lines = [_("Candidates for posts to fill")
             + f" — {result.as_of.isoformat()} ({', '.join(result.packs) or '-'}; {result.backend})", ""]
    assignment = result.assignment
    for r in result.posts:
        p = r.post
        due = f", {p.due.isoformat()}" if p.due else ""
        eligible = translation(lang).ngettext("{n} eligible", "{n} eligible", r.eligible).format(n=r.eligible)
        lines.append(f"{r.unit_name} ({p.unit}) — {_position(p.position, lang)}: {_(_REASONS[p.reason])}{due}; "
                     + eligible)
        for i, c in enumerate(r.candidates, start=1):
            mark = " ★" if assignment is not None and assignment.get(p.key) == c.id else ""
            why = f" — {'; '.join(c.reasons)}" if c.reasons else ""
            lines.append(f"  {i}. {c.full_name} ({c.id}, {c.unit}, {_position(c.position, lang)}){mark}{why}")
        if r.near_misses:
            lines.append("  " + _("Near misses:"))
            lines.extend(f"    - {m.full_name} ({m.id}, {m.unit}): {m.lack} [{m.cite}]" for m in r.near_misses)
        lines.append("")
    if assignment is not None:
        lines.append(_("Proposal") + f": {len(assignment)}/{len(result.posts)}")
        for name, values in sorted(result.metrics.items()):
            lines.append(f"  {name}: {values.get('before')} → {values.get('after')}")
        lines.append("")
    lines.extend(f"* {n}" for n in result.notes)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_match_csv(result: MatchResult) -> bytes:
    """One row per post and candidate or near miss (a post with neither: one row), UTF-8 with a BOM."""
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
                                                      "", "", "", f"{m.pack}/{m.rule}", m.lack, m.cite, "")])
        if not r.candidates and not r.near_misses:
            writer.writerow([_guard(str(x)) for x in (*head, "none", *[""] * 12)])
    return out.getvalue().encode("utf-8")


_POST_SHEET = (N_("Unit"), N_("Unit name"), N_("Post"), N_("Why"), N_("Due"), N_("Eligible"), N_("Rank"),
               N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Current position"), N_("Reasons"),
               N_("Proposed"))
_PEOPLE_SHEET = (N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Current position"), N_("Unit"),
                 N_("Post"), N_("Rank"), N_("Proposed"))
_NEAR_SHEET = (N_("Unit"), N_("Post"), N_("Candidate id"), N_("Full name"), N_("Candidate's unit"), N_("Lacks"),
               N_("Source"))


def render_match_xlsx(result: MatchResult, lang: str = "vi") -> bytes:
    """A workbook: the posts with their candidates, the candidates with their posts, the near misses
    (headings in ``lang``, Vietnamese by default; the same result gives the same bytes)."""
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
                p.due.isoformat() if p.due else "", r.eligible]
        for i, c in enumerate(r.candidates, start=1):
            chosen = "★" if assignment.get(p.key) == c.id else ""
            posts.append([*head, i, c.id, c.full_name, c.unit, _position(c.position, lang), "; ".join(c.reasons),
                          chosen])
            people.append([c.id, c.full_name, c.unit, _position(c.position, lang), p.unit,
                           _position(p.position, lang), i, chosen])
        if not r.candidates:
            posts.append([*head, "", "", "", "", "", "", ""])
        near.extend([p.unit, _position(p.position, lang), m.id, m.full_name, m.unit, m.lack, m.cite]
                    for m in r.near_misses)
    people.sort(key=lambda row: (str(row[0]), str(row[4]), str(row[5])))
    for title, header, rows in ((_("Posts to fill"), _POST_SHEET, posts), (_("Candidates"), _PEOPLE_SHEET, people),
                                (_("Near misses"), _NEAR_SHEET, near)):
        ws = wb.add_worksheet(title[:31])
        ws.write_row(0, 0, [_(h) for h in header], bold)
        for n, row in enumerate(rows, start=1):
            ws.write_row(n, 0, [_guard(x) if isinstance(x, str) else x for x in row])
        ws.freeze_panes(1, 0)
    wb.close()
    return out.getvalue()
