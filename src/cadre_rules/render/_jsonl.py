"""JSON Lines: one finding per line, each line an entry of the report's ``findings`` (DESIGN.md §6)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model._arguments import report_checked
from ..model._report_records import Report
from ..report._report import compact_json
from ..report._report import finding_lines
from ._baseline import baseline_record
from ._basis import basis_record
from ._common import notice_dicts

__all__ = ["jsonl_pieces", "render_jsonl"]


@report_checked
def render_jsonl(report: Report, lang: str = "vi", *, explain: bool = False) -> str:
    """One compact JSON object per finding, newline-terminated, in report order, with its explanation if
    ``explain``; then one per notice of the report (a family not checked, stale data, districts: subject kind
    ``report``, rule ``notice.<kind>``, the same keys), and last the line of what the report rests on (rule
    ``report.basis``, its facts the as-of date, packs, parameters, backend and input; its message in ``lang``).

    The lines are streamable: each one parses alone.
    """
    return b"".join(jsonl_pieces(report, lang, explain=explain)).decode()


@report_checked
def jsonl_pieces(report: Report, lang: str = "vi", *, explain: bool = False) -> Iterator[bytes]:
    """:func:`render_jsonl` in pieces of a few thousand lines (streamed to the output)."""
    yield from finding_lines(report.findings, explain=explain, names=report.names)
    changed = baseline_record(report, lang, explain=explain)
    notices = [*notice_dicts(report, explain=explain), *([changed] if changed else []),
               basis_record(report, lang, explain=explain)]
    yield "".join(compact_json(n) + "\n" for n in notices).encode()
