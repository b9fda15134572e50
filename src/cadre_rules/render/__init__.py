"""The output formats: each ``render_*(report, lang) -> str | bytes``, deterministic (JSON is
:func:`cadre_rules.report_to_json`).

``text`` (the terminal report, :func:`render_text`, also ``color=``), ``jsonl`` (one finding per line),
``csv`` (one row per finding, UTF-8 with BOM), ``xlsx`` (workbook), ``html`` (one self-contained page with
dashboards), ``pdf`` (the html page printed to A4 by Chromium; its bytes carry Chromium's creation date, the
only output that is not byte-identical run to run), ``junit`` (JUnit XML for CI) and ``sarif`` (SARIF
2.1.0). The built-in plugin registers them as ``--format`` names with their file extensions.
"""

from __future__ import annotations

from ._csv import csv_pieces
from ._csv import render_csv
from ._html import render_html
from ._jsonl import jsonl_pieces
from ._jsonl import render_jsonl
from ._junit import render_junit
from ._pdf import render_pdf
from ._sarif import render_sarif
from ._sarif import sarif_pieces
from ._text import render_text
from ._xlsx import render_xlsx

__all__ = ["csv_pieces", "jsonl_pieces", "render_csv", "render_html", "render_jsonl", "render_junit", "render_pdf",
           "render_sarif", "render_text", "render_xlsx", "sarif_pieces"]
