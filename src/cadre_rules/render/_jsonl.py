"""JSON Lines: one finding per line, each line an entry of the report's ``findings`` (DESIGN.md §6)."""

from __future__ import annotations

from .._model import Report
from ._common import compact_json
from ._common import finding_dicts
from ._common import notice_dicts

__all__ = ["render_jsonl"]


def render_jsonl(report: Report, lang: str = "vi") -> str:
    """One compact JSON object per finding, newline-terminated, in report order (empty: no findings),
    then one per notice of the report (a family not checked, stale data, districts: subject kind
    ``report``, rule ``notice.<kind>``, the same keys).

    The lines are streamable: each one parses alone. ``lang`` is unused (messages are already in the
    language the engine was asked for).
    """
    return "".join(compact_json(item) + "\n" for item in (*finding_dicts(report), *notice_dicts(report)))
