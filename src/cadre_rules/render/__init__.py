"""The output formats: each ``render_*(report, lang) -> str | bytes``, deterministic (JSON is
:func:`cadre_rules.report_to_json`).

``text`` (the terminal report, :func:`render_text`, also ``color=``), ``jsonl`` (one finding per line),
``csv`` (one row per finding, UTF-8 with BOM), ``xlsx`` (workbook), ``html`` (one self-contained page with
dashboards), ``pdf`` (the report laid out short for a meeting, printed to A4 by Chromium; its bytes carry
Chromium's creation date, the only output that is not byte-identical run to run), ``junit`` (JUnit XML for
CI) and ``sarif`` (SARIF 2.1.0). The built-in plugin registers them as ``--format`` names with their file extensions.

Each name loads its module when first used, so that a command loads the formats it writes only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from ._csv import csv_pieces
    from ._csv import render_csv
    from ._html import html_pieces
    from ._html import render_html
    from ._jsonl import jsonl_pieces
    from ._jsonl import render_jsonl
    from ._junit import render_junit
    from ._pdf import render_pdf
    from ._sarif import render_sarif
    from ._sarif import sarif_pieces
    from ._text import render_text
    from ._xlsx import render_xlsx

__all__ = ["csv_pieces", "html_pieces", "jsonl_pieces", "render_csv", "render_html", "render_jsonl", "render_junit",
           "render_pdf", "render_sarif", "render_text", "render_xlsx", "sarif_pieces"]

#: Each name → its module (the same as the ``TYPE_CHECKING`` imports above).
_MODULES = {
    "csv_pieces": "._csv",
    "html_pieces": "._html",
    "jsonl_pieces": "._jsonl",
    "render_csv": "._csv",
    "render_html": "._html",
    "render_jsonl": "._jsonl",
    "render_junit": "._junit",
    "render_pdf": "._pdf",
    "render_sarif": "._sarif",
    "render_text": "._text",
    "render_xlsx": "._xlsx",
    "sarif_pieces": "._sarif",
}


if not TYPE_CHECKING:  # (a type checker sees the names above, not this: a misspelt name is its error, not an Any)

    def __getattr__(name: str) -> Any:
        try:
            module = _MODULES[name]
        except KeyError:
            raise AttributeError(f"module 'cadre_rules.render' has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
