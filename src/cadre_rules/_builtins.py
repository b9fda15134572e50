"""cadre-rules' own packs, functions, readers and renderers, registered as an ordinary plugin."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from .hookspecs import FunctionRegistrar
from .hookspecs import PackRegistrar
from .hookspecs import ReaderRegistrar
from .hookspecs import RendererRegistrar
from .hookspecs import hookimpl
from .io import _io
from .model._model import Official
from .model._model import Unit
from .model._report_records import Report
from .packs import _registry
from .packs._catalogue import BUILTIN_FUNCTIONS


@hookimpl
def cadre_rules_register_packs(register: PackRegistrar) -> None:
    directory = _registry.builtin_pack_dir()
    if directory.is_dir():
        for path in sorted(directory.glob("*.toml")):
            register(path)


@hookimpl
def cadre_rules_register_functions(register: FunctionRegistrar) -> None:
    for spec in BUILTIN_FUNCTIONS.values():
        register(spec.name, spec.impl, returns=_type_name(spec.returns), params=[_type_name(t) for t in spec.params],
                 subject=spec.subject, variadic=spec.variadic, doc=spec.doc, reads=spec.reads)


def _type_name(t: object) -> str:
    return str(t)


def _officials(path: Path, units: Mapping[str, Unit] | None = None) -> Sequence[Official]:
    return _io.read_officials(path, units=units)


def _units(path: Path) -> Sequence[Unit]:
    return _io.load_units(path)


@hookimpl
def cadre_rules_register_readers(register: ReaderRegistrar) -> None:
    for extension in _io.EXTENSIONS:
        register(extension.lstrip("."), officials=_officials, units=_units)


def _text(report: Report, lang: str) -> str:
    from .render._text import render_text  # noqa: PLC0415 - each format's module loads when it renders

    return render_text(report, lang=lang)


def _json(report: Report, lang: str, *, explain: bool = False) -> Iterator[bytes]:
    from .report._report import report_json_chunks  # noqa: PLC0415

    return report_json_chunks(report, explain=explain)


@attrs.frozen
class _Later:
    """The renderer ``name`` of :mod:`cadre_rules.render`, its module imported when it is first called (the package
    loads each name's module on first use): a command loads the modules of the formats it writes, not those of
    every format (tests/test_import_time.py)."""

    name: str

    @property
    def function(self) -> Callable[..., Any]:
        """The renderer itself (its module imported)."""
        from . import render  # noqa: PLC0415 - not even the package loads before a format is written

        return getattr(render, self.name)  # type: ignore[no-any-return]

    def __call__(self, report: Report, lang: str, **kwargs: Any) -> Any:
        return self.function(report, lang, **kwargs)


@hookimpl
def cadre_rules_register_renderers(register: RendererRegistrar) -> None:
    register("text", _text, extension="txt", doc="readable summary")
    register("json", _json, extension="json", doc="the JSON report contract (cadre-rules/report/v3)")
    register("jsonl", _Later("jsonl_pieces"), extension="jsonl",
             doc="one finding per line (JSON Lines)")
    register("csv", _Later("csv_pieces"), extension="csv",
             doc="one row per finding (UTF-8 with BOM, for Excel)")
    register("xlsx", _Later("render_xlsx"), extension="xlsx",
             doc="workbook: summary, metrics, findings, one sheet per family")
    register("html", _Later("html_pieces"), extension="html",
             doc="one self-contained page: dashboards, charts, findings")
    register("pdf", _Later("render_pdf"), extension="pdf",
             doc="short A4 PDF for a meeting, printed by Chromium (chromium-headless-shell or chromium)")
    register("junit", _Later("render_junit"), extension="xml",
             doc="JUnit XML: a test suite per pack, a test case per rule")
    register("sarif", _Later("sarif_pieces"), extension="sarif",
             doc="SARIF 2.1.0 static-analysis results")
