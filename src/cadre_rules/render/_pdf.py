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
self-contained), a private profile in a temporary folder, and a time bound, in its ordinary processes: in one
process (``--single-process``, which started 0.03–0.05 s quicker) the same page was laid out in one of two ways
from run to run under load (a bold face matched twice or once: other line breaks, 1 to 3 runs in 40), and stopped
on a failed check about one run in 15; in its processes, 80 runs of 80 gave the same text. The PDF is not tagged
(``--disable-pdf-tagging``): Chromium's structure tree made the PDF six times larger and its printing a fifth
slower, and the text stays extractable without it.

Started early (:func:`chromium_started`, the CLI's ``evaluate`` while it reads and evaluates the data), the
same Chromium with the same flags is driven over its DevTools pipe (:mod:`._devtools`): its start (0.1–0.2 s)
overlaps the job, and the page is printed by ``Page.printToPDF`` with the parameters Chromium's own
``--print-to-pdf`` uses (A4 from the page's ``@page``, backgrounds, no header or footer, untagged). Whenever
that route fails in any way, the page is printed as above by ``--print-to-pdf``; only a page that takes longer
than the time bound to print is not printed twice.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .._i18n import translation
from ..errors import N_
from ..errors import RenderError
from ..errors import os_reason
from ..model._arguments import report_checked
from ..model._formats import short_date
from ..model._report_records import Report
from ..report._applied import scope_packs
from ._devtools import Chromium
from ._devtools import DevToolsFailed
from ._devtools import DevToolsTimeout
from ._print import PRINT_LINES
from ._print import print_page

__all__ = ["CANDIDATES", "PDF_TIMEOUT", "START_TIMEOUT", "chromium_command", "chromium_started", "find_chromium",
           "html_to_pdf", "print_html", "render_pdf"]

#: Seconds Chromium may take to print one report.
PDF_TIMEOUT = 180.0

#: Seconds a Chromium started early may take to answer its first command before the page is printed the
#: ordinary way instead (it starts in 0.1–0.5 s).
START_TIMEOUT = 20.0

#: The names looked for on the PATH, in order: the headless shell first (quicker to start and stop).
CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer", "--hide-scrollbars",
          "--disable-pdf-tagging")
# Driven over the pipe: these two are "headless commands" that Chromium refuses with remote debugging (it
# exits); their effect is asked of Page.printToPDF instead (_PRINT).
_COMMAND_FLAGS = ("--no-pdf-header-footer", "--disable-pdf-tagging")
# Page.printToPDF's parameters as Chromium's own --print-to-pdf sets them (headless/app's printToPDF: backgrounds
# printed, the page's @page size preferred), with _COMMAND_FLAGS' no header/footer and no tagging.
_PRINT = {"displayHeaderFooter": False, "generateTaggedPDF": False, "printBackground": True,
          "preferCSSPageSize": True}


def find_chromium() -> str | None:
    """The Chromium to print with: ``$CADRE_RULES_CHROMIUM``, else the first of :data:`CANDIDATES` on the PATH."""
    chosen = os.environ.get("CADRE_RULES_CHROMIUM")
    if chosen:
        return chosen
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def chromium_command(binary: str, profile: Path, page: Path, out: Path) -> list[str]:
    """The command that prints ``page`` to ``out`` with ``binary``."""
    return [binary, *_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
            page.as_uri()]


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _margins(report: Report, lang: str) -> str:
    """The ``@page`` rules: A4, the header (as-of date, packs, data hash) and the page numbers."""
    _ = translation(lang).gettext
    packs = ", ".join(f"{p.id}@{p.version}" for p in scope_packs(report)) or "—"
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


class _Started:
    """A Chromium started early, with its temporary folder (its profile, the page)."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self._folder = tempfile.TemporaryDirectory(prefix="cadre-rules-pdf-", dir=_memory_folder(),
                                                   ignore_cleanup_errors=True)
        self.base = Path(self._folder.name)
        flags = [f for f in _FLAGS if f not in _COMMAND_FLAGS]
        try:
            self.chromium = Chromium([binary, *flags, f"--user-data-dir={self.base / 'profile'}", "about:blank"])
        except DevToolsFailed:
            self._folder.cleanup()
            raise

    def print(self, html: str, timeout: float) -> bytes:
        """The PDF of ``html`` printed over the pipe; :class:`DevToolsFailed` when the browser did not answer
        its first command within :data:`START_TIMEOUT` or failed; :class:`DevToolsTimeout` past ``timeout``."""
        page = self.base / "report.html"
        page.write_text(html, encoding="utf-8")
        chromium, now = self.chromium, time.monotonic()
        try:
            target = chromium.call("Target.createTarget", {"url": "about:blank"},
                                   deadline=now + min(START_TIMEOUT, timeout))["targetId"]
        except DevToolsTimeout:
            raise DevToolsFailed("the browser did not start") from None
        deadline = now + timeout
        session = chromium.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                deadline=deadline)["sessionId"]
        chromium.call("Page.enable", session=session, deadline=deadline)
        chromium.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session, deadline=deadline)
        loading = chromium.call("Page.navigate", {"url": page.as_uri()}, session=session, deadline=deadline)
        if loading.get("errorText"):
            raise DevToolsFailed(f"Page.navigate: {loading['errorText']}")
        # the load of this navigation (the blank page's own load has another loader)
        chromium.wait_event("Page.lifecycleEvent", session=session, deadline=deadline,
                            params={"name": "load", "loaderId": loading["loaderId"]})
        data = chromium.call("Page.printToPDF", _PRINT, session=session, deadline=deadline)["data"]
        pdf = base64.b64decode(data, validate=True)
        if not pdf.startswith(b"%PDF-"):
            raise DevToolsFailed("Page.printToPDF: not a PDF")
        return pdf

    def stop(self) -> None:
        """Stop the browser (none of its processes left) and remove the folder."""
        try:
            self.chromium.close()
        finally:
            self._folder.cleanup()


def _memory_folder() -> str | None:
    """``/dev/shm`` (memory) when it can be written, else None (the usual temporary folder): the profile a
    killed Chromium leaves is removed there in 1 ms, on this machine's disk in 50–85 ms (bench/README.md)."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK) else None


_STARTED: ContextVar[_Started | None] = ContextVar("cadre_rules_pdf_started", default=None)


@contextmanager
def chromium_started() -> Iterator[None]:
    """Start Chromium now, for the next PDF printed within (:func:`html_to_pdf`), so that its start overlaps
    the work before; on leaving, stopped whatever happened (no process, no temporary folder left). Without a
    Chromium, or if it cannot start, nothing is started: the PDF is printed the ordinary way (or says why not)."""
    binary = find_chromium()
    started = None
    if binary is not None:
        try:
            started = _Started(binary)
        except (DevToolsFailed, OSError):
            started = None
    token = _STARTED.set(started)
    try:
        yield
    finally:
        _STARTED.reset(token)
        if started is not None:
            started.stop()


def _print_started(binary: str, html: str, timeout: float) -> bytes | None:
    """The PDF printed by the Chromium started early (:func:`chromium_started`), if there is one for ``binary``
    and it prints; None to print the ordinary way. Used once: a second PDF is printed the ordinary way."""
    started = _STARTED.get()
    if started is None or started.binary != binary:
        return None
    _STARTED.set(None)
    try:
        return started.print(html, timeout)
    except DevToolsTimeout:  # (a page that takes longer than the bound: the same again would too)
        raise RenderError("pdf", N_("Chromium did not print the PDF within {seconds} s"),
                          seconds=f"{timeout:g}") from None
    except (DevToolsFailed, OSError, KeyError, TypeError, ValueError):
        started.stop()  # (before printing again: not two Chromiums at once)
        return None


def html_to_pdf(html: str, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """The PDF Chromium prints of a self-contained HTML page (by the Chromium started early, if one is)."""
    binary = find_chromium()
    if binary is None:
        raise RenderError("pdf", N_("Chromium is needed to print the PDF and was not found (Debian: apt-get "
                                    "install chromium-headless-shell fonts-dejavu-core, or chromium; or set "
                                    "CADRE_RULES_CHROMIUM); --format html prints from any browser"))
    printed = _print_started(binary, html, timeout)
    if printed is not None:
        return printed
    with tempfile.TemporaryDirectory(prefix="cadre-rules-pdf-") as folder:
        base = Path(folder)
        page = base / "report.html"
        page.write_text(html, encoding="utf-8")
        out = base / "report.pdf"
        try:
            proc = subprocess.run(chromium_command(binary, base / "profile", page, out), capture_output=True,
                                  timeout=timeout, check=False, stdin=subprocess.DEVNULL)
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
