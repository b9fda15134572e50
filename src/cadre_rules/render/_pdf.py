"""``--format pdf``: the HTML report printed to an A4 PDF by Debian's Chromium (``chromium --headless
--print-to-pdf``), for a meeting.

The page is the HTML report (:func:`render_html`) with a print stylesheet (``assets/print.css``: every
collapsed section open, no navigation bar, tables not cut inside a row) and, in the page margins, a header
with the as-of date, the packs and the data's hash and a footer with the page number. Chromium embeds the
subsets of the fonts it used (DejaVu, from Debian's ``fonts-dejavu-core``), so Vietnamese prints everywhere.

Chromium is found as ``$CADRE_RULES_CHROMIUM``, else ``chromium`` (or ``chromium-browser``, ``google-chrome``)
on the PATH; without it, a :class:`~cadre_rules.errors.RenderError` says how to install it. It runs with no
network (the page is self-contained), a private profile in a temporary folder, and a time bound.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._i18n import translation
from ..errors import N_
from ..errors import RenderError
from ..model._model import Report
from ._html import render_html

__all__ = ["PDF_TIMEOUT", "find_chromium", "html_to_pdf", "print_html", "render_pdf"]

#: Seconds Chromium may take to print one report.
PDF_TIMEOUT = 180.0

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer", "--hide-scrollbars")
# Opens every collapsed section before printing (the browser's own printing: report.js on `beforeprint`).
_OPEN_ALL = "<script>document.querySelectorAll('details').forEach(function (d) { d.open = true; });</script>"


def find_chromium() -> str | None:
    """The Chromium to print with: ``$CADRE_RULES_CHROMIUM``, else the first of the usual names on the PATH."""
    chosen = os.environ.get("CADRE_RULES_CHROMIUM")
    if chosen:
        return chosen
    return next((found for name in _CANDIDATES if (found := shutil.which(name))), None)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _margins(report: Report, lang: str) -> str:
    """The ``@page`` rules: A4, the header (as-of date, packs, data hash) and the page numbers."""
    _ = translation(lang).gettext
    packs = ", ".join(f"{p.id}@{p.version}" for p in report.packs) or "—"
    header = _("As of {as_of} · packs {packs} · data sha256 {digest}").format(
        as_of=report.as_of.isoformat(), packs=packs, digest=report.input_sha256[:16])
    page = _("page")
    return ("@page { size: A4; margin: 16mm 12mm 16mm 12mm;\n"
            f"  @top-left {{ content: {_css_string(header)}; font: 8pt 'DejaVu Sans', sans-serif; color: #444; }}\n"
            f"  @bottom-right {{ content: {_css_string(page + ' ')} counter(page) \" / \" counter(pages);"
            " font: 8pt 'DejaVu Sans', sans-serif; color: #444; }\n}\n")


def print_html(report: Report, lang: str = "vi") -> str:
    """The HTML report (with its print stylesheet) as printed to PDF: the page margins, every section open."""
    page = render_html(report, lang)
    style = f"<style>\n{_margins(report, lang)}</style>\n"
    head = page.index("</head>")
    page = page[:head] + style + page[head:]
    body = page.rindex("</body>")
    return page[:body] + _OPEN_ALL + page[body:]


def html_to_pdf(html: str, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """The PDF Chromium prints of a self-contained HTML page."""
    binary = find_chromium()
    if binary is None:
        raise RenderError("pdf", N_("Chromium is needed to print the PDF and was not found (Debian: apt-get "
                                    "install chromium fonts-dejavu-core; or set CADRE_RULES_CHROMIUM); --format html "
                                    "prints from any browser"))
    with tempfile.TemporaryDirectory(prefix="cadre-rules-pdf-") as folder:
        base = Path(folder)
        page, out = base / "report.html", base / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [binary, *_FLAGS, f"--user-data-dir={base / 'profile'}", f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError("pdf", N_("Chromium did not print the PDF within {seconds} s"),
                              seconds=f"{timeout:g}") from None
        except OSError as exc:
            raise RenderError("pdf", N_("cannot run Chromium ({binary}): {error}"), binary=binary,
                              error=exc.strerror or exc) from None
        if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise RenderError("pdf", N_("Chromium ({binary}) failed to print the PDF (exit code {code}): {error}"),
                              binary=binary, code=proc.returncode, error=last[0][:300])
        return out.read_bytes()


def render_pdf(report: Report, lang: str = "vi") -> bytes:
    """The report as an A4 PDF (see the module)."""
    return html_to_pdf(print_html(report, lang))
