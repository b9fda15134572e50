"""cadre-rules' own packs, functions, readers and renderers, registered as an ordinary plugin."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

from .hookspecs import FunctionRegistrar
from .hookspecs import PackRegistrar
from .hookspecs import ReaderRegistrar
from .hookspecs import RendererRegistrar
from .hookspecs import hookimpl
from .io import _io
from .model._model import Official
from .model._model import Report
from .model._model import Unit
from .packs import _registry
from .packs._catalogue import BUILTIN_FUNCTIONS
from .render import csv_pieces
from .render import jsonl_pieces
from .render import render_html
from .render import render_junit
from .render import render_pdf
from .render import render_xlsx
from .render import sarif_pieces
from .render._text import render_text
from .report._report import report_json_chunks


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
    return _io.load_officials(path, units=units)


def _units(path: Path) -> Sequence[Unit]:
    return _io.load_units(path)


@hookimpl
def cadre_rules_register_readers(register: ReaderRegistrar) -> None:
    for extension in _io.EXTENSIONS:
        register(extension.lstrip("."), officials=_officials, units=_units)


def _text(report: Report, lang: str) -> str:
    return render_text(report, lang=lang)


def _json(report: Report, lang: str, *, explain: bool = False) -> Iterator[bytes]:
    return report_json_chunks(report, explain=explain)


@hookimpl
def cadre_rules_register_renderers(register: RendererRegistrar) -> None:
    register("text", _text, extension="txt", doc="readable summary")
    register("json", _json, extension="json", doc="the JSON report contract (cadre-rules/report/v2)")
    register("jsonl", jsonl_pieces, extension="jsonl", doc="one finding per line (JSON Lines)")
    register("csv", csv_pieces, extension="csv", doc="one row per finding (UTF-8 with BOM, for Excel)")
    register("xlsx", render_xlsx, extension="xlsx", doc="workbook: summary, metrics, findings, one sheet per family")
    register("html", render_html, extension="html", doc="one self-contained page: dashboards, charts, findings")
    register("pdf", render_pdf, extension="pdf", doc="A4 PDF for a meeting, printed by Chromium (chromium on the PATH)")
    register("junit", render_junit, extension="xml", doc="JUnit XML: a test suite per pack, a test case per rule")
    register("sarif", sarif_pieces, extension="sarif", doc="SARIF 2.1.0 static-analysis results")
