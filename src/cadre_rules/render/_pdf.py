"""``--format pdf``: the report printed to an A4 PDF by Debian's Chromium (``--headless --print-to-pdf``), for
a meeting.

The page is the report laid out short (:mod:`._print`: every rule counted, the findings of the rules that fit in
``lines`` rows (``--pdf-lines``, by default :data:`~._print.PRINT_LINES`) listed one line each, the rest left to
the xlsx and html reports and said so) with the report's stylesheets and its own (``assets/print.css``,
``assets/pdf.css``) and, in the page margins, a header with the as-of date, the packs and the data's hash and a
footer with the page number. Chromium embeds the subsets of the fonts it used (DejaVu, from Debian's
``fonts-dejavu-core``), so Vietnamese prints everywhere.

Chromium is found as ``$CADRE_RULES_CHROMIUM``, else Debian's ``chromium-headless-shell`` on the PATH (the
headless shell: the same engine without the browser around it, 0.2 s for a blank page where ``chromium`` takes
0.7 s), else ``chromium`` (or ``chromium-browser``, ``google-chrome``); without any, a
:class:`~cadre_rules.errors.RenderError` says how to install it. It runs with no network (the page is
self-contained), a private profile in a temporary folder, and a time bound; the headless shell runs in one
process (``--single-process``: a quicker start, measured in bench/README.md), and again in its ordinary processes
if that run fails (a failed check at exit, about one run in 15). The PDF is not tagged
(``--disable-pdf-tagging``): Chromium's structure tree made the PDF six times larger and its printing a fifth
slower, and the text stays extractable without it.
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
from ..errors import os_reason
from ..model._arguments import report_checked
from ..model._formats import short_date
from ..model._report_records import Report
from ._print import PRINT_LINES
from ._print import print_page

__all__ = ["CANDIDATES", "PDF_TIMEOUT", "chromium_command", "find_chromium", "html_to_pdf", "print_html", "render_pdf"]

#: Seconds Chromium may take to print one report.
PDF_TIMEOUT = 180.0

#: The names looked for on the PATH, in order: the headless shell first (quicker to start and stop).
CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer", "--hide-scrollbars",
          "--disable-pdf-tagging")
# The headless shell's first try: in one process it starts and prints quicker (the browser is slower so).
_SHELL_FLAGS = ("--single-process",)


def find_chromium() -> str | None:
    """The Chromium to print with: ``$CADRE_RULES_CHROMIUM``, else the first of :data:`CANDIDATES` on the PATH."""
    chosen = os.environ.get("CADRE_RULES_CHROMIUM")
    if chosen:
        return chosen
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def chromium_command(binary: str, profile: Path, page: Path, out: Path, *, single: bool = False) -> list[str]:
    """The command that prints ``page`` to ``out`` with ``binary``; ``single``: in one process."""
    return [binary, *_FLAGS, *(_SHELL_FLAGS if single else ()), f"--user-data-dir={profile}", f"--print-to-pdf={out}",
            page.as_uri()]


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _margins(report: Report, lang: str) -> str:
    """The ``@page`` rules: A4, the header (as-of date, packs, data hash) and the page numbers."""
    _ = translation(lang).gettext
    packs = ", ".join(f"{p.id}@{p.version}" for p in report.packs) or "—"
    header = _("As of {as_of} · packs {packs} · data sha256 {digest}").format(
        as_of=short_date(report.as_of, lang), packs=packs, digest=report.input_sha256[:16])
    page = _("page")
    return ("@page { size: A4; margin: 16mm 12mm 16mm 12mm;\n"
            f"  @top-left {{ content: {_css_string(header)}; font: 8pt 'DejaVu Sans', sans-serif; color: #444; }}\n"
            f"  @bottom-right {{ content: {_css_string(page + ' ')} counter(page) \" / \" counter(pages);"
            " font: 8pt 'DejaVu Sans', sans-serif; color: #444; }\n}\n")


def print_html(report: Report, lang: str = "vi", *, lines: int = PRINT_LINES) -> str:
    """The page printed to PDF: the report laid out for a meeting (:func:`~._print.print_page`, at most
    ``lines`` rows of findings, the rest counted) with the page margins' header and page numbers."""
    return print_page(report, lang, lines=lines, margins=_margins(report, lang))


def html_to_pdf(html: str, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """The PDF Chromium prints of a self-contained HTML page."""
    binary = find_chromium()
    if binary is None:
        raise RenderError("pdf", N_("Chromium is needed to print the PDF and was not found (Debian: apt-get "
                                    "install chromium-headless-shell fonts-dejavu-core, or chromium; or set "
                                    "CADRE_RULES_CHROMIUM); --format html prints from any browser"))
    # The headless shell first in one process; if that run fails (in one process Chromium 156 stops on a
    # failed check about one run in 15: exit code 133, SIGTRAP), once more in its ordinary processes.
    attempts = (True, False) if "headless-shell" in Path(binary).name else (False,)
    with tempfile.TemporaryDirectory(prefix="cadre-rules-pdf-") as folder:
        base = Path(folder)
        page = base / "report.html"
        page.write_text(html, encoding="utf-8")
        for attempt, single in enumerate(attempts):
            out = base / f"report-{attempt}.pdf"
            command = chromium_command(binary, base / f"profile-{attempt}", page, out, single=single)
            try:
                proc = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                                      stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                raise RenderError("pdf", N_("Chromium did not print the PDF within {seconds} s"),
                                  seconds=f"{timeout:g}") from None
            except OSError as exc:
                raise RenderError("pdf", N_("cannot run Chromium ({binary}): {error}"), binary=binary,
                                  error=os_reason(exc)) from None
            if proc.returncode == 0 and out.exists() and out.stat().st_size > 0:
                return out.read_bytes()
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise RenderError("pdf", N_("Chromium ({binary}) failed to print the PDF (exit code {code}): {error}"),
                          binary=binary, code=proc.returncode, error=last[0][:300])


@report_checked
def render_pdf(report: Report, lang: str = "vi", *, lines: int = PRINT_LINES) -> bytes:
    """The report as an A4 PDF (see the module) listing at most ``lines`` lines (0: the header, the metrics and
    each rule's count only); ``lines`` not a whole number of 0 or more: an ``InputError`` located at ``lines``,
    before Chromium is looked for."""
    return html_to_pdf(print_html(report, lang, lines=lines))
