"""What ``cadre-rules doctor`` and ``cadre-rules --version`` say about the installation.

The Python, durable-rules and whether its engine loads (and why not), the backend that ``auto``
chooses, the Chromium that prints PDFs, and the plugins found: what a user or an integrator pastes into a
bug report. Only names and versions, never data.
"""

from __future__ import annotations

import platform
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._i18n import translation
from .engine._durable_found import durable_unavailable
from .engine._durable_found import installed_version
from .report._report import version

if TYPE_CHECKING:
    from ._plugins import PluginInfo

__all__ = ["Diagnosis", "diagnose", "render_diagnosis", "version_text"]


@attrs.frozen
class Diagnosis:
    """The installation as ``cadre-rules doctor`` reports it."""

    cadre_rules: str
    python: str
    #: The installed durable-rules version (``None``: not installed).
    durable: str | None
    #: Why durable-rules' engine cannot be loaded (``None``: it loads).
    durable_problem: str | None
    #: The backend of ``--backend auto``: ``durable`` or ``reference``.
    auto_backend: str
    plugins: tuple[PluginInfo, ...]
    #: Whether entry-point plugins are turned off (``CADRE_RULES_DISABLE_PLUGINS``).
    plugins_disabled: bool
    #: The name of the Chromium that prints ``--format pdf`` (no folder: a home folder names its owner);
    #: ``None``: none found, the PDF cannot be printed.
    pdf: str | None = None


def _python() -> str:
    """``CPython 3.13.0 (Linux x86_64)``: no path (a home folder names its owner)."""
    return f"{platform.python_implementation()} {platform.python_version()} ({platform.system()} {platform.machine()})"


def diagnose() -> Diagnosis:
    """Look at the installation (loads the plugins as an evaluation would; a broken one is listed
    with its problem rather than warned about)."""
    from ._plugins import PluginWarning  # noqa: PLC0415 - loaded by doctor, not by --version
    from ._plugins import disabled_by_env  # noqa: PLC0415
    from ._plugins import load_plugins  # noqa: PLC0415
    from .engine import _durable  # noqa: PLC0415 - doctor loads durable-rules' engine to say whether it loads

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        plugins = load_plugins()
    from .render._pdf import find_chromium  # noqa: PLC0415

    chromium = find_chromium()
    return Diagnosis(version(), _python(), _durable.version(), _durable.UNAVAILABLE_REASON,
                     "durable" if _durable.AVAILABLE else "reference", tuple(plugins.info()), disabled_by_env(),
                     None if chromium is None else Path(chromium).name)


def render_diagnosis(diagnosis: Diagnosis, *, lang: str = "vi") -> str:
    """The diagnosis as lines of ``label: value`` (Vietnamese or English labels)."""
    _ = translation(lang).gettext
    d = diagnosis
    engine = _("loads") if d.durable_problem is None else _("does not load: {reason}").format(reason=d.durable_problem)
    durable = d.durable or _("not installed")
    lines = [
        f"cadre-rules: {d.cadre_rules}",
        f"Python: {d.python}",
        f"durable-rules: {durable}",
        _("durable-rules engine: {state}").format(state=engine),
        _("backend chosen by --backend auto: {name}").format(name=d.auto_backend),
        _("PDF (--format pdf): printed by {name}").format(name=d.pdf) if d.pdf is not None else
        _("PDF (--format pdf): no Chromium found (Debian: apt-get install chromium-headless-shell "
          "fonts-dejavu-core; or set CADRE_RULES_CHROMIUM); --format html prints from any browser"),
        _("plugins:") + (" " + _("entry-point plugins turned off by CADRE_RULES_DISABLE_PLUGINS")
                         if d.plugins_disabled else ""),
    ]
    for info in d.plugins:
        state = _("disabled: {reason}").format(reason=info.error) if info.error else _("ok")
        lines.append(f"  {info.name} {info.version}".rstrip() + f"  [{state}]")
    return "\n".join(lines) + "\n"


def version_text() -> str:
    """The version and the backend: ``0.1.0 (durable-rules 2.0.28, Python 3.13.0)``, or the
    reference backend and why durable-rules' engine cannot be used (:mod:`.engine._durable_found`)."""
    reason = durable_unavailable()  # (the engine found, not loaded: the first evaluation loads it)
    if reason is None:
        backend = f"durable-rules {installed_version()}"
    else:
        backend = f"reference backend, durable-rules could not be used: {reason}"
    return f"{version()} ({backend}, Python {platform.python_version()})"
