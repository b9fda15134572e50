"""The command-line interface (DESIGN.md §7): ``cadre-rules evaluate`` and ``cadre-rules packs …``.

Exit codes, ``--timeout``, ``--debug`` and how errors are shown: :mod:`cadre_rules._exits` (0 — no
finding at or above ``--fail-on``; 1 — some; 2 — bad usage, input, pack or plugin; 3 — internal error;
130/143 — interrupted).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click
from click.core import ParameterSource

from ._click_language import LANG_DEFAULT as _LANG_DEFAULT
from ._click_language import LazyText
from ._click_language import Words
from ._collector import paused
from ._exits import AS_WRITTEN_KEY
from ._exits import TIMEOUT_KEY
from ._exits import Failure
from ._exits import Group
from ._exits import Main
from ._exits import _positive_seconds
from ._exits import option_of
from ._exits import warning_line
from ._exits import write_stdout
from ._i18n import LANGS
from ._i18n import N_
from ._i18n import command_lang
from ._i18n import translation
from ._i18n import ui_gettext
from ._limits import PRINT_LINES
from ._timeouts import TimeLimitExceeded
from .errors import CadreRulesError
from .errors import CadreRulesWarning
from .errors import InputError
from .errors import InputNote
from .errors import InvalidValue
from .errors import Message
from .errors import PackError
from .errors import PluginError
from .errors import Problem
from .errors import _translated
from .errors import os_reason
from .io._csv import SAVE_AS
from .io._io import file_sha256
from .io._io import find_data_files
from .io._io import same_file
from .io._tables import NOT_READ
from .io._tables import OTHER_WORKBOOKS
from .io._workbook import XLS_REFUSAL
from .io._writers import atomic_write
from .model._argument_notes import result_named_by
from .model._dates import parse_date
from .model._formats import short_date
from .model._names import redact as redact_report
from .model._report_records import SEVERITIES
from .model._report_records import Report
from .schemas import SCHEMAS
from .schemas import schema_text

if TYPE_CHECKING:  # the modules of other commands and formats load when used (tests/test_import_time.py); the
    # engine, plugins and packs when a command uses them, so that --help and --version load none of them
    from ._plugins import Renderer
    from .engine._engine import Engine
    from .model._model import Official
    from .model._model import Unit
    from .packs._packs import Pack
    from .report._waivers import Baseline
    from .report._waivers import Waiver

__all__ = ["cli", "exit_code", "main"]

FAIL_ON = ("error", "warning", "info", "never")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}([/.-])\d{1,2}\1\d{4}")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """The --as-of date, as in the data (DESIGN.md §7): DD/MM/YYYY (also with - or .) or YYYY-MM-DD; a day
    is required (a month or a year alone is refused)."""
    if value is None:
        return None
    text = value.strip()
    ctx.meta.setdefault(AS_WRITTEN_KEY, {})[param.opts[0]] = text
    if not _FULL_DATE.fullmatch(text):
        raise click.BadParameter(ui_gettext(N_("{value} is not a date in the form DD/MM/YYYY or YYYY-MM-DD"))
                                 .format(value=repr(value)), ctx, param)
    try:
        return parse_date(text)
    except ValueError as exc:
        # (its fields in the reader's language too: "tháng 2", not "February")
        reason = _translated(exc.template, exc.fields, ui_gettext) if isinstance(exc, InvalidValue) else str(exc)
        raise click.BadParameter(ui_gettext(N_("{value} is not a valid date: {reason}"))
                                 .format(value=repr(value), reason=reason), ctx, param) from None


def _params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """The --param overrides as ``{"pack.key": "value"}``; the last one of a key wins."""
    overrides: dict[str, str] = {}
    for value in values:
        key, eq, text = value.partition("=")
        pack_id, dot, name = key.strip().rpartition(".")
        if not eq or not dot or not pack_id or not name:
            raise click.BadParameter(ui_gettext(N_("{value} is not of the form PACK.KEY=VALUE "
                                                   "(e.g. hanoi-de-an-34.young_min_share=0.12)"))
                                     .format(value=repr(value)), ctx, param)
        overrides[f"{pack_id}.{name}"] = text
    return overrides


def _help(text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command's help (``--help``): English here, marked for the catalogue, shown in the command's language."""
    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        function.__doc__ = text
        return function
    return mark


_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--version: the version, the backend that evaluates (durable-rules, or the reference and why) and the Python."""
    if not value or ctx.resilient_parsing:
        return
    from ._doctor import version_text  # noqa: PLC0415 - only when asked

    click.echo(f"cadre-rules {version_text()}")
    ctx.exit()


@click.group("cadre-rules", cls=Main, context_settings=_CONTEXT, epilog="""\b
Example:
  cadre-rules evaluate data/ --as-of 2025-12-31
  cadre-rules packs list --lang en
  cadre-rules evaluate --help
""")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help=N_("Show the version, the rule backend and the Python, and exit."))
@_help(N_("Evaluate commune-level officials against declarative policy packs.\n\n"
         "Exit codes: 0 no finding at or above --fail-on, 1 some, 2 bad usage, input, pack or plugin "
         "(or past --timeout), 3 internal error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM)."))
def cli() -> None:
    """The ``cadre-rules`` group (its help: the ``_help`` above)."""


def _data_files(data: Path, units: Path | None, extensions: Sequence[str]) -> tuple[Path, Path]:
    """The officials and units files named by DATA (a directory or an officials file) and --units."""
    if data.is_dir():
        if units is not None:
            raise click.UsageError(ui_gettext(N_("--units goes with an officials file; the directory DATA already "
                                                 "holds units.*")))
        return find_data_files(data, extensions)
    if not data.exists():
        raise InputError([Problem(str(data), N_("no such file or directory"))])
    if data.suffix.lower() == ".xls":
        raise InputError([Problem(str(data), XLS_REFUSAL)])
    if data.suffix.lower() in OTHER_WORKBOOKS:  # (a workbook of both sheets: not "name its units file")
        raise InputError([Problem.of(str(data), NOT_READ, suffix=data.suffix.lower(), save_as=SAVE_AS)])
    if units is None:
        if data.suffix.lower() == ".xlsx":  # a workbook with a sheet of officials and one of units
            return data, data
        raise click.UsageError(ui_gettext(N_("DATA is an officials file: name its units file with --units FILE "
                                             "(or give one .xlsx workbook with a sheet 'Cán bộ' and a sheet "
                                             "'Đơn vị')")))
    return data, units


def exit_code(report: Report, fail_on: str) -> int:
    """1 when the report has a finding at or above ``fail_on`` (``never``: never), else 0."""
    if fail_on == "never":
        return 0
    levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    summary = report.summary
    return 1 if any(summary[s] for s in levels) else 0


def _terminal() -> bool:
    return sys.stdout.isatty()


def _write(output: Path | None, text: str) -> None:
    """Write ``text`` to ``output``, or to stdout: UTF-8 bytes unless stdout is a terminal."""
    if output is not None:
        _write_file(output, text)
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or _terminal():
        click.echo(text, nl=False)
        return
    write_stdout(text.encode("utf-8"))


def _write_file(output: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``output`` atomically: on any failure, the previous file is left as it was."""
    try:
        atomic_write(output, data)
    except OSError as exc:
        raise Failure(ui_gettext(N_("{file}: cannot write the output: {reason}"))
                      .format(file=output, reason=os_reason(exc).text(ui_gettext))) from None


@contextlib.contextmanager
def _warnings_on_stderr(said: set[str] | None = None) -> Iterator[None]:
    """Our warnings (a plugin disabled…) become one ``warning: …`` line each on stderr; with ``said`` (the lines
    said so far by a command that builds several engines: ``test``, ``packs diff``), each line once."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CadreRulesWarning)
        try:
            yield
        finally:
            for warning in caught:
                if issubclass(warning.category, CadreRulesWarning):
                    message = warning.message
                    text = message.text(ui_gettext) if isinstance(message, CadreRulesWarning) else str(message)
                    if issubclass(warning.category, InputNote):
                        line = ui_gettext(N_("note: {message}")).format(message=text)
                    else:
                        line = warning_line(text)
                    if said is not None:
                        if line in said:
                            continue
                        said.add(line)
                    click.echo(line, err=True)
                else:  # pragma: no cover - not ours: pass it on
                    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _read(engine: Engine, officials_path: Path, units_path: Path) -> tuple[Sequence[Official], tuple[Unit, ...]]:
    """The data files as ``engine`` reads them; how they were read (:class:`InputNote`: ids made, month-only dates,
    the template's example row…) said on stderr, a ``note: …`` line each in the user's language."""
    with _warnings_on_stderr():
        return engine.read(officials_path, units_path)


def _engine(said: set[str] | None = None, **kwargs: Any) -> Engine:
    """An engine; plugin warnings become one ``warning: …`` line each on stderr (``said``: see
    :func:`_warnings_on_stderr`)."""
    from .engine._engine import Engine  # noqa: PLC0415 - loaded by the commands that evaluate, not by --help

    with _warnings_on_stderr(said):
        return Engine(**kwargs)


def _pack_engine(plugins: bool = True, said: set[str] | None = None, *, strict: bool = False) -> Engine:
    """An engine serving pack look-ups only: the available packs and the functions packs may call (``strict``: a
    plugin that fails to load is an error, ``--strict-plugins``)."""
    return _engine(said, packs=[], backend="reference", plugins=plugins, strict_plugins=strict)


def _evaluation_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose what is evaluated: --units, --pack, --as-of, --param."""
    for option in reversed((
        click.option("--units", "units_file", type=click.Path(path_type=Path), metavar="FILE",
                     help=N_("Units file, when DATA is an officials file.")),
        click.option("--pack", "packs", multiple=True, metavar="ID|PATH",
                     help=N_("A built-in pack id or a .toml pack file (repeatable). "
                             "Default: the packs in effect on --as-of.")),
        click.option("--as-of", callback=_as_of, metavar="DATE",
                     help=N_("Evaluation date: DD/MM/YYYY or YYYY-MM-DD.  [default: today]")),
        click.option("--param", "params", callback=_params, multiple=True, metavar="PACK.KEY=VALUE",
                     help=N_("Override a pack parameter (repeatable; the last one of a key wins).")),
    )):
        command = option(command)
    return command


_NO_PLUGINS = click.option("--no-plugins", is_flag=True,
                           help=N_("Load no plugin (also: environment variable CADRE_RULES_DISABLE_PLUGINS=1)."))
_REPLACE_PACK = click.option("--replace-pack", is_flag=True,
                              help=N_("Let a --pack file whose id is an installed pack's id replace that pack "
                                      "(refused otherwise)."))
# -- issue #16 B: names in reports, --redact
_SCOPE = click.option("--scope", "scope", metavar="district:NAME|commune:NAME",
                      help=N_("A report for one district or one commune (a unit's code or name), titled for it."))
#: ``--scope`` of match and project: the posts (the targets) of one district or commune
_JOB_SCOPE = click.option("--scope", "scope", metavar="district:NAME|commune:NAME",
                          help=N_("Only one district or one commune (a unit's code or name), as evaluate --scope: its "
                                  "posts, targets and officials, titled for it."))


def _parsed_scope(scope: str | None) -> tuple[str, str] | None:
    """``--scope`` read before the data are (a malformed one refused at once); the district or commune it names is
    found in the data later, by the job."""
    if scope is None:
        return None
    from .report._scope import parse_scope  # noqa: PLC0415 - the modules of options load with them

    return parse_scope(scope)


_REDACT = click.option("--redact", is_flag=True,
                       help=N_("Ids only: no names, positions or unit names in the report (for sharing outside "
                               "the office)."))
_STRICT_PLUGINS = click.option("--strict-plugins", is_flag=True,
                               help=N_("A plugin that fails (to load, or in a hook while the command runs) is "
                                       "an error (exit 2), not a warning."))


@cli.command(epilog="""\b
Example:
  cadre-rules evaluate data/ --as-of 2025-12-31
  cadre-rules evaluate officials.xlsx --units units.xlsx --pack my-pack.toml --lang en
  cadre-rules evaluate data/ --param hanoi-de-an-34.young_min_share=0.12 \\
      --format json -o report.json --fail-on never
  cadre-rules evaluate data/ -o report.html -o report.xlsx -o junit.xml --quiet
""")
@click.argument("data", type=click.Path(path_type=Path, allow_dash=True), metavar="DATA")
@_evaluation_options
@click.option("--format", "fmt", default="text", show_default=True, metavar="NAME",
              help=N_("Format of stdout: text, json, jsonl, csv, xlsx, html, pdf, junit, sarif, or a format a "
                      "plugin adds (see `cadre-rules plugins`); xlsx and pdf only with -o."))
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path,
              allow_dash=True), metavar="FILE",
              help=N_("Write to FILE instead of stdout, in the format its extension names (.txt .json .jsonl .csv "
                      ".xlsx .html .pdf .xml = junit, .sarif; other extensions: --format; an extension naming "
                      "another format than --format is an error). Repeatable; '-' is stdout."))
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar on stderr."))
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help=N_("Exit with 1 when a finding of this severity or higher exists."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of messages and headings."))
@click.option("--city", default="Hà Nội", show_default=True, help=N_("Name of the city scope."))
@click.option("--backend", type=click.Choice(["auto", "durable", "reference"]), default="auto", show_default=True,
              help=N_("Rule engine: durable-rules, the pure-Python reference, or durable where installed."))
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("TOML file of [[waiver]] tables (rule, subject, reason, approver, expiry): matching findings "
                   "are set aside with their reason, counted and listed separately."))
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("A previous JSON report: show (and count for --fail-on) only the findings not in it."))
@click.option("--group-by", type=click.Choice(["training"]),
              help=N_("training = who needs which course for which standard, by district and unit (text, json, "
                      "csv; xlsx and html: the report with a training sheet or section)."))
@click.option("--data-as-of", callback=_as_of, metavar="DATE",
              help=N_("The date the data describe (default: the newest date in them); the report warns when it is "
                      "more than 12 months before --as-of."))
@click.option("--legacy-districts", is_flag=True,
              help=N_("On a date from 2025-07-01 (no districts), still aggregate by the units' former districts "
                   "(default: city and unit scopes only, with a note)."))
@click.option("--explain", is_flag=True,
              help=N_("json and jsonl: each finding with its explanation (every sub-condition and its value)."))
@click.option("--pdf-lines", type=click.IntRange(min=0), default=PRINT_LINES, show_default=True, metavar="N",
              help=N_("pdf: list at most N lines (the findings rule by rule, most severe first, each rule whole; "
                      "then the units with vacant posts, the unit rates, the findings set aside); the rest is "
                      "counted and left to the xlsx and html reports. 0: the header, the metrics and each rule's "
                      "count only."))
@_SCOPE
@_REDACT
@_NO_PLUGINS
@_STRICT_PLUGINS
@_REPLACE_PACK
@click.pass_context
@_help(N_("Evaluate the officials and units in DATA against policy packs.\n\n"
         "DATA is a directory holding officials.* and units.* (CSV, XLSX, JSON or JSONL), an officials "
         "file (then --units is required), or - : a JSON document on stdin ({\"officials\": [...], "
         "\"units\": [...]}, or officials as a JSON list or JSON Lines with --units). Exits with 1 when a "
         "finding at or above --fail-on exists."))
def evaluate(ctx: click.Context, **options: Any) -> None:
    # The collector paused from the read to the last byte written (_collector); the exit code raised once the
    # job's objects are gone, so that the collector resumes without scanning them.
    with paused():
        code = _evaluate(ctx, **options)
    ctx.exit(code)


def _evaluate(ctx: click.Context, *, data: Path, units_file: Path | None, packs: tuple[str, ...],
              as_of: date | None, params: dict[str, str], fmt: str, outputs: tuple[Path, ...], quiet: bool,
              fail_on: str, lang: str,
              city: str, backend: str, no_plugins: bool, strict_plugins: bool, waivers_file: Path | None,
              baseline: Path | None, group_by: str | None, data_as_of: date | None, legacy_districts: bool,
              replace_pack: bool, explain: bool, pdf_lines: int, redact: bool, scope: str | None) -> int:
    _refuse_inputs_as_outputs(outputs, data, units_file, packs, waivers_file, baseline)
    chosen_scope = _parsed_scope(scope)
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend=backend, city=city, lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins, legacy_districts=legacy_districts,
                     timeout=ctx.meta.get(TIMEOUT_KEY), replace_packs=replace_pack)
    renderer = engine.plugins.renderers.get(fmt)
    if renderer is None:
        raise click.BadParameter(ui_gettext(N_("{format} is not a format; choose from {formats}")).format(
                                 format=repr(fmt), formats=", ".join(sorted(engine.plugins.renderers))),
                                 ctx, next(p for p in ctx.command.params if p.name == "fmt"))
    targets = _targets(outputs, renderer, engine.plugins.renderers)
    _check_targets(ctx, targets, renderer, engine.plugins.renderers)
    if group_by is not None and any(chosen.name not in TRAINING_FORMATS for _, chosen in targets):
        raise click.UsageError(ui_gettext(N_("--group-by {view} is a view of the formats {formats}"))
                               .format(view=group_by, formats=", ".join(TRAINING_FORMATS)))
    if explain and any(chosen.name not in EXPLAINED for _, chosen in targets):
        raise click.UsageError(ui_gettext(N_("--explain goes with the formats {first} and {last}"))
                               .format(first=", ".join(EXPLAINED[:-1]), last=EXPLAINED[-1]))
    if ctx.get_parameter_source("pdf_lines") != ParameterSource.DEFAULT and \
            all(chosen.name != "pdf" for _, chosen in targets):
        raise click.UsageError(ui_gettext(N_("--pdf-lines goes with the format pdf (-o report.pdf)")))
    stdin = str(data) == "-"
    if not stdin:
        officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    waivers, known = None, None
    if waivers_file is not None:
        from .report._waivers import load_waivers  # noqa: PLC0415

        waivers = load_waivers(waivers_file)
    if baseline is not None:
        from .report._waivers import read_baseline  # noqa: PLC0415

        known = read_baseline(baseline)
    applied, _ = engine.packs_for(as_of)
    if not applied:
        if engine.available:
            reason = ui_gettext(N_("no policy pack is in effect on {date} (available: {packs}); name one with --pack"))\
                .format(date=short_date(as_of, command_lang()),
                        packs=", ".join(p.ref for p in engine.available.values()))
        else:
            reason = ui_gettext(N_("no built-in policy pack is installed; name a pack file with --pack"))
        raise Failure(reason)
    from ._plugins import BUILTIN  # noqa: PLC0415 - loaded with the engine, not by --help

    if any(chosen.name == "pdf" and chosen.plugin == BUILTIN for _, chosen in targets):
        from .render._pdf import chromium_started  # noqa: PLC0415 - loaded with the format

        ctx.with_resource(chromium_started())  # its start overlaps the read and the evaluation; stopped at the end
    if stdin:
        from .io._document import STDIN  # noqa: PLC0415 - the reader of stdin loads when it reads
        from .io._document import read_stdin  # noqa: PLC0415

        officials, units, sha256 = read_stdin(units_file)
        source = STDIN
    else:
        officials, units = _read(engine, officials_path, units_path)
        sha256, source = file_sha256(officials_path, units_path), str(officials_path)
    # an enricher that fails disables its plugin during the evaluation: warnings on stderr
    with _warnings_on_stderr(), _progress(len(officials), quiet) as progress:
        report = engine.evaluate(officials, units, as_of, input_sha256=sha256, progress=progress,
                                 data_as_of=data_as_of, source=source)
    from .report._asked import as_asked  # noqa: PLC0415

    # (one commune's file: its "city" rows are that commune's, said, not hidden; --scope: restricted first, so that
    # the waivers and the baseline's findings are the scope's only)
    report = as_asked(report, lang, chosen_scope, officials=officials, units=units, packs=applied,
                      known=engine.packs, named=engine.named, naming=option_of)
    report = _set_aside(report, officials, waivers, known, baseline, lang)
    if redact:
        report = redact_report(report)
    for output, chosen in targets:
        if group_by == "training":
            _write_any(output, training_view(chosen.name, report, lang))
        elif chosen.name == "text":
            from .render._text import render_text  # noqa: PLC0415 - each format's module loads when it renders

            colour = output is None and _terminal() and not os.environ.get("NO_COLOR")
            _write(output, render_text(report, lang=lang, color=colour))
        else:
            _write_any(output, _render(chosen, report, lang, explain=explain, pdf_lines=pdf_lines))
    return exit_code(report, fail_on)


def _refuse_inputs_as_outputs(outputs: Sequence[Path], data: Path, units: Path | None, packs: Sequence[str],
                              waivers: Path | None, baseline: Path | None) -> None:
    """Refuse, before anything is read, an ``-o`` that is an input: the officials or units file (any
    ``officials.*`` or ``units.*`` of a DATA directory, which would be read next time), a pack file, the
    waivers or the baseline; or the same file named twice by ``-o``."""
    inputs = [p for p in (units, waivers, baseline) if p is not None]
    inputs.extend(Path(p) for p in packs if Path(p).suffix.lower() == ".toml" or os.sep in p)
    files = [o for o in outputs if str(o) != "-"]
    problems = []
    for i, output in enumerate(files):
        if data.is_dir():
            real = output.resolve()
            stem = real.name.lower().rpartition(".")[0]  # as find_data_files() sees it
            in_data = same_file(real.parent, data) and stem in ("officials", "units")
        else:
            in_data = same_file(output, data)
        if in_data or any(same_file(output, p) for p in inputs):
            problems.append(Problem(str(output), N_("this output is one of the inputs; refusing to overwrite it "
                                                    "(write the report elsewhere)"), column="-o"))
        elif any(same_file(output, other) for other in files[:i]):
            problems.append(Problem(str(output), N_("named twice by -o"), column="-o"))
    if problems:
        raise InputError(problems)


# -- issue #16 B: the training view in every format that can show it
#: The formats of ``--group-by training``.
TRAINING_FORMATS = ("text", "json", "csv", "xlsx", "html")


def training_view(fmt: str, report: Report, lang: str) -> str | bytes:
    """The training view (``--group-by training``) of ``report`` in ``fmt`` (one of :data:`TRAINING_FORMATS`)."""
    from .render._html import render_html  # noqa: PLC0415 - the view's modules load with it
    from .render._training import training_csv  # noqa: PLC0415
    from .render._training import training_to_json  # noqa: PLC0415
    from .render._xlsx import render_xlsx  # noqa: PLC0415
    from .report._training import render_training  # noqa: PLC0415

    if fmt == "text":
        return render_training(report, lang=lang)
    if fmt == "json":
        return training_to_json(report, lang)
    if fmt == "csv":
        return training_csv(report, lang)
    if fmt == "xlsx":
        return render_xlsx(report, lang, training=True)
    return render_html(report, lang, training=True)


#: The formats whose findings can carry their explanation (``--explain``).
EXPLAINED = ("json", "jsonl")


#: Fewer officials than this evaluate too fast to deserve a progress bar.
PROGRESS_MIN = 2000


@contextlib.contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for large inputs, when stderr is a terminal and not ``--quiet``."""
    if quiet or total < PROGRESS_MIN or not _stderr_terminal():
        yield None
        return
    with click.progressbar(length=total, label="Evaluating", file=sys.stderr,
                           show_pos=True) as bar:

        def tick(done: int) -> None:
            bar.update(done - bar.pos)

        yield tick


def _stderr_terminal() -> bool:
    return sys.stderr.isatty()


def _targets(outputs: Sequence[Path], default: Renderer,
             renderers: Mapping[str, Renderer]) -> list[tuple[Path | None, Renderer]]:
    """Where each output goes (``None``: stdout) and its renderer: stdout in --format, a file by its extension."""
    if not outputs:
        return [(None, default)]
    targets: list[tuple[Path | None, Renderer]] = []
    for output in outputs:
        if str(output) == "-":
            targets.append((None, default))
            continue
        name = output.name.lower()
        matches = [r for r in renderers.values() if r.extension and name.endswith("." + r.extension.lower())]
        # the longest extension wins (.sarif.json would be json); then --format, then the first name
        matches.sort(key=lambda r: (-len(r.extension), r is not default, r.name))
        targets.append((output, matches[0] if matches else default))
    return targets


#: Formats whose output is a binary file, never written to a terminal.
BINARY_FORMATS = ("xlsx", "pdf")


#: A file's extension that names another format than the --format given (evaluate's files, a job's -o).
_EXTENSION_CONTRADICTS = N_("-o {output}: the extension names the {named} format but --format says {given}; drop "
                            "--format (the extension decides) or change the extension")


def _check_targets(ctx: click.Context, targets: Sequence[tuple[Path | None, Renderer]], default: Renderer,
                   renderers: Mapping[str, Renderer]) -> None:
    """Refuse (issue #16 §6) a file whose extension names another format than a --format given for the files
    (no ``-o -``: --format can only be meant for them), and a binary format written to a terminal."""
    given = ctx.get_parameter_source("fmt") not in (None, click.core.ParameterSource.DEFAULT)
    stdout = any(output is None for output, _ in targets)
    extensions = {r.extension.lower(): r for r in renderers.values() if r.extension}
    for output, chosen in targets:
        if output is None:
            if chosen.name in BINARY_FORMATS and _terminal():
                raise click.UsageError(ui_gettext(N_("--format {format} writes a binary file, not text for the "
                                                     "terminal: name the file with -o (e.g. -o report.{extension})"))
                                       .format(format=chosen.name, extension=chosen.extension or chosen.name))
            continue
        named = extensions.get(output.suffix.lower().lstrip("."))
        if given and not stdout and named is not None and chosen is not default:
            raise click.UsageError(ui_gettext(_EXTENSION_CONTRADICTS).format(
                output=output, named=chosen.name, given=default.name))


#: The format a file's extension names, for the jobs whose --format is a choice of these (project, match).
_EXTENSION_FORMATS = {"json": "json", "csv": "csv", "xlsx": "xlsx", "html": "html", "htm": "html", "txt": "text"}


def _job_format(ctx: click.Context, fmt: str, output: Path | None) -> str:
    """The format of a job's -o file: the one its extension names when --format is not given (``-o du-bao.xlsx``
    writes a workbook, not text under a name Excel then refuses to open); a --format the extension contradicts
    is refused, as evaluate's (:func:`_check_targets`)."""
    named = None if output is None else _EXTENSION_FORMATS.get(output.suffix.lower().lstrip("."))
    if named is None or named == fmt:
        return fmt
    if ctx.get_parameter_source("fmt") in (None, click.core.ParameterSource.DEFAULT):
        return named
    raise click.UsageError(ui_gettext(_EXTENSION_CONTRADICTS).format(output=output, named=named, given=fmt))


def _set_aside(report: Report, officials: Sequence[Official], waivers: Sequence[Waiver] | None,
               known: Baseline | None, baseline: Path | None, lang: str) -> Report:
    """Apply --waivers (an expired waiver: a note and a warning line on stderr), then --baseline
    (:func:`~cadre_rules.report._asked.set_aside`: of a scoped report, those of its subjects only)."""
    from .report._asked import set_aside  # noqa: PLC0415

    report, expired = set_aside(report, officials, lang, waivers=waivers, baseline=known, source=str(baseline))
    for w in expired:
        click.echo(warning_line(ui_gettext(N_("waiver {rule} for {subject} (approved by {approver}) expired on "
                                              "{expiry}: not applied")).format(
            rule=w.target, subject=w.subject, approver=w.approver, expiry=short_date(w.expiry, command_lang()))),
            err=True)
    return report


def _render(renderer: Renderer, report: Report, lang: str, *, explain: bool = False,
            pdf_lines: int = PRINT_LINES) -> str | bytes | Iterator[str | bytes]:
    """The renderer's output: text, bytes, or the pieces of a streamed output (each checked as it comes);
    ``explain`` passed when true, ``pdf_lines`` (as ``lines``) to the pdf when not the default.

    A plugin's renderer is called bounded by HOOK_TIMEOUT (its streamed pieces by ``--timeout``)."""
    from ._plugins import BUILTIN  # noqa: PLC0415 - loaded with the engine, not by --help
    from ._plugins import HookFailed  # noqa: PLC0415
    from ._plugins import call_plugin  # noqa: PLC0415

    kwargs: dict[str, Any] = {"explain": True} if explain else {}
    if pdf_lines != PRINT_LINES and renderer.name == "pdf":
        kwargs["lines"] = pdf_lines
    if renderer.plugin == BUILTIN:
        out = renderer.render(report, lang, **kwargs)
    else:
        try:
            out = call_plugin(renderer.render, f"renderer {renderer.name!r}", report, lang, **kwargs)
        except HookFailed as exc:
            raise PluginError(renderer.plugin, exc.reason) from None
        except TimeLimitExceeded as exc:
            exc.blame(f"plugin {renderer.plugin!r}, renderer {renderer.name!r}")
            raise
    if isinstance(out, Iterator):
        return _pieces(renderer, out)
    if not isinstance(out, (str, bytes)):
        from ._plugins import renderer_gave  # noqa: PLC0415

        raise renderer_gave(renderer, out, piece=False)
    return out


def _pieces(renderer: Renderer, out: Iterator[object]) -> Iterator[str | bytes]:
    """The pieces of a streamed output, each checked (a renderer's error reported as at its call)."""
    from ._plugins import BUILTIN  # noqa: PLC0415
    from ._plugins import renderer_gave  # noqa: PLC0415
    from ._plugins import renderer_raised  # noqa: PLC0415

    while True:
        try:
            piece = next(out)
        except StopIteration:
            return
        except CadreRulesError:
            raise
        except Exception as exc:
            if renderer.plugin == BUILTIN:
                raise
            raise renderer_raised(renderer, exc) from None
        if not isinstance(piece, (str, bytes)):
            raise renderer_gave(renderer, piece, piece=True)
        yield piece


def _write_any(output: Path | None, data: str | bytes | Iterator[str | bytes]) -> None:
    if isinstance(data, str):
        _write(output, data)
        return
    pieces = (data,) if isinstance(data, bytes) else data
    if output is not None:
        _write_file(output, pieces)
        return
    write_stdout(pieces)


@cli.group(cls=Group, epilog="""\b
Example:
  cadre-rules packs list
  cadre-rules packs show hanoi-de-an-34 --lang en
  cadre-rules packs validate my-pack.toml policies/
""")
@_help(N_("List, describe and validate policy packs."))
def packs() -> None:
    """The ``packs`` group (its help: the ``_help`` above)."""


@packs.command("list", epilog="""\b
Example:
  cadre-rules packs list
  cadre-rules packs list --as-of 2025-10-08 --lang en
""")
@click.option("--as-of", callback=_as_of, metavar="DATE",
              help=N_("Say what each pack version is on this date: in force, not yet, ended, or replaced by "
                      "which version.  [default: today]"))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the titles."))
@_help(N_("List the packs, every version: id, version, effective period, status on --as-of, title."))
def list_packs(as_of: date | None, lang: str) -> None:
    from .render._text import render_pack_list  # noqa: PLC0415 - the command's modules load with it

    engine = _pack_engine()
    versions = [p for editions in engine.editions.values() for p in editions]
    _write(None, render_pack_list(versions, lang=lang, as_of=as_of or date.today(), kept=engine.kept_versions()))


@packs.command(epilog="""\b
Example:
  cadre-rules packs show hanoi-de-an-34
  cadre-rules packs show vn-commune-2tier@2025.07.1
  cadre-rules packs show my-pack.toml --lang en
""")
@click.argument("pack", metavar="ID[@VERSION]|PATH")
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings, titles and messages."))
@_help(N_("Describe a pack: metadata, sources, parameters, key positions and every rule."))
def show(pack: str, lang: str) -> None:
    from .packs._registry import resolve_pack  # noqa: PLC0415 - the command's modules load with it
    from .render._text import render_pack  # noqa: PLC0415

    engine = _pack_engine()
    # ID@VERSION names one version of a registered pack (ID alone: its latest), or a kept released version
    versions = {p.ref: p for editions in engine.editions.values() for p in editions}
    kept = engine.kept_version(pack) if pack not in versions else None
    resolved: Pack = versions.get(pack) or kept or resolve_pack(pack, engine.available, engine.functions)
    builtin = versions.get(resolved.ref) is resolved or kept is not None
    colour = _terminal() and not os.environ.get("NO_COLOR")
    _write(None, render_pack(resolved, lang=lang, builtin=builtin, color=colour))


@packs.command(epilog="""\b
Example:
  cadre-rules packs validate my-pack.toml
  cadre-rules packs validate policies/
  cadre-rules packs validate my-commune.toml --units units.csv
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--units", "units_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("The units file: each code of a pack's [scope] units must be one of its codes."))
@click.pass_context
@_help(N_("Validate pack files (a directory: every *.toml in it). Exits with 2 if any is invalid."))
def validate(ctx: click.Context, paths: tuple[Path, ...], units_file: Path | None) -> None:
    from .io._io import load_units  # noqa: PLC0415 - the command's modules load with it
    from .packs._packs import load_pack  # noqa: PLC0415
    from .packs._packs import unknown_override_packs  # noqa: PLC0415
    from .packs._scope_codes import unknown_scope_units  # noqa: PLC0415
    from .packs._succession import conflicts  # noqa: PLC0415
    from .packs._succession import succeed  # noqa: PLC0415

    engine = _pack_engine()
    functions = engine.functions
    codes = None if units_file is None else {u.code for u in load_units(units_file)}
    failed = 0
    valid: list[Pack] = []
    seen: dict[str, Path] = {}
    for path in paths:
        files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        if not files:
            Failure(Problem(str(path), N_("no .toml pack in this directory")).text(ui_gettext)).show()
            failed += 1
        for file in files:
            try:
                loaded = load_pack(file, functions=functions)
                if loaded.ref in seen:  # versions of one id are fine; the same version twice is not
                    raise PackError([Problem.of(str(file), N_("duplicate pack id and version (also {other})"),
                                                column="pack.id", value=loaded.ref, other=str(seen[loaded.ref]))])
                unknown = [] if codes is None else unknown_scope_units(loaded, codes, str(units_file))
                if unknown:  # (a misspelt code in [scope] units: the pack would cover no unit, or fewer)
                    raise PackError(unknown)
            except PackError as exc:
                Failure(exc.text(ui_gettext)).show()
                failed += 1
                continue
            valid.append(loaded)
            seen[loaded.ref] = file
            click.echo(ui_gettext(N_("OK {file}: {pack} ({rules} rules, {quotas} quotas, {staffing} staffing rules)"))
                       .format(file=file, pack=loaded.ref, rules=len(loaded.rules), quotas=len(loaded.quotas),
                               staffing=len(loaded.staffing)))
    # the packs together: versions of one id, packs in force together deciding the same rule, overrides of packs
    # no one has
    given = {p.id for p in valid}
    known = sorted({*given, *engine.plugins.editions})
    for pack in valid:
        unknown = unknown_override_packs(pack, known)
        if unknown:
            Failure(PackError(unknown).text(ui_gettext)).show()
            failed += 1
    for conflict in conflicts(succeed(valid)):
        Failure(PackError([conflict.problem()]).text(ui_gettext)).show()
        failed += 1
    # a pack with a [scope] (a ward's, a district's: a plugin installs it beside the city's packs) with the installed
    # packs of other ids, as the load puts them (installed first: the file given is the one blamed); a pack without
    # one may be meant to be named instead of them (--pack FILE)
    installed = [p for versions in engine.plugins.editions.values() for p in versions if p.id not in given]
    for conflict in conflicts(succeed([*installed, *(p for p in valid if p.scoped)])):
        if conflict.second.id in given and conflict.first.id not in given:  # (the files' own: said above)
            Failure(PackError([conflict.problem()]).text(ui_gettext)).show()
            failed += 1
    ctx.exit(2 if failed else 0)


@packs.command("test", hidden=True, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
@_help(N_("Not a command: the test cases of packs are run by `cadre-rules test`."))
def packs_test(ctx: click.Context) -> None:
    raise click.UsageError(ui_gettext(N_("the test cases of packs are run by {command}")).format(
        command=" ".join(["cadre-rules test", *ctx.args])))


@packs.command("diff", epilog="""\b
Example:
  cadre-rules packs diff hanoi-de-an-34@2023.11.4 hanoi-de-an-34@2025.07.2
  cadre-rules packs diff vn-commune-2tier@2025.07.1 vn-commune-2tier@2025.10.2 \\
      --data examples/hanoi-2025 --as-of 2025-10-08
  cadre-rules packs diff hanoi-de-an-34 my-edited-de-an-34.toml --format html -o diff.html
""")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--data", type=click.Path(path_type=Path), metavar="DATA",
              help=N_("Also evaluate DATA (read as evaluate reads it) with both versions: the findings and metrics "
                   "that change."))
@click.option("--units", "units_file", type=click.Path(path_type=Path), metavar="FILE",
              help=N_("Units file, when DATA is an officials file."))
@click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD", help=N_("Evaluation date of --data.  [default: today]"))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help=N_("Output format."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Write to FILE (default: stdout)."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the text and HTML (the JSON keeps ids and codes)."))
@_NO_PLUGINS
@_help(N_("Compare two versions of a pack (ID@VERSION, ID or PATH): rules added, removed and changed (which part: "
          "condition, severity, message, citation, threshold, parameters, effective dates), and with --data the "
          "findings that appear, disappear or change severity and the metrics that change."))
def diff_command(*, old: str, new: str, data: Path | None, units_file: Path | None, as_of: date | None, fmt: str,
                 output: Path | None, lang: str, no_plugins: bool) -> None:
    from .jobs._pack_diff import diff_packs  # noqa: PLC0415 - the job is loaded when asked for
    from .jobs._pack_diff_formats import render_diff_html  # noqa: PLC0415
    from .jobs._pack_diff_formats import render_diff_json  # noqa: PLC0415
    from .jobs._pack_diff_formats import render_diff_text  # noqa: PLC0415

    records = None
    said: set[str] = set()  # (each engine of the diff warns of a disabled plugin: said once)
    if data is not None:
        engine = _pack_engine(plugins=not no_plugins, said=said)
        officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
        records = _read(engine, officials_path, units_path)
    with _warnings_on_stderr(said):
        result = diff_packs(old, new, data=records, as_of=as_of, plugins=not no_plugins)
    render = {"text": render_diff_text, "json": render_diff_json, "html": render_diff_html}[fmt]
    _write(output, render(result, lang))


# --------------------------------------------------------------------------- cadre-rules plugin new


@cli.group("plugin", cls=Group)
@_help(N_("Write plugins of a commune, a group of communes or the city (see also: cadre-rules plugins)."))
def plugin_group() -> None:
    """The ``plugin`` group (its help: the ``_help`` above)."""


@plugin_group.command("new", epilog="""\b
Example:
  cadre-rules plugin new phu-dong --commune 00541
  cadre-rules plugin new dong-anh-cluster --commune 00454 --commune 00541 --units units.csv
  cadre-rules plugin new ha-noi --city "Hà Nội"
  cd cadre-rules-phu-dong && pip install -e . && cadre-rules test phu-dong-local
""")
@click.argument("name", metavar="NAME")
@click.option("--commune", "communes", multiple=True, metavar="CODE",
              help=N_("A commune or ward the plugin's pack applies to, by its code in the units file; repeat it for "
                   "a group of communes. In force from 01/07/2025."))
@click.option("--city", metavar="NAME",
              help=N_("The plugin belongs to the city (its name): the pack applies to every unit. In force from "
                   "01/07/2025."))
@click.option("--district", metavar="NAME",
              help=N_("A district, for dates up to 30/06/2025 (the district level was abolished on 01/07/2025)."))
@click.option("--units", "units_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("The units file: each --commune must be one of its codes, and the plugin's files name the "
                   "communes by their names."))
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path), default=Path(),
              show_default=True, help=N_("Where to write the package folder cadre-rules-NAME."))
@_help(N_("Write a ready plugin package for a commune, a group of communes or the city: pyproject with the entry "
          "point, one pack with one rule and its test cases, a README in Vietnamese and English, and a pytest that "
          "runs cadre-rules test."))
def plugin_new(name: str, communes: tuple[str, ...], city: str | None, district: str | None,
               units_file: Path | None, directory: Path) -> None:
    from .io._io import load_units  # noqa: PLC0415 - loaded when asked for
    from .jobs._plugin_new import write_plugin  # noqa: PLC0415 - the job is loaded when asked for

    units = None if units_file is None else load_units(units_file)
    root = write_plugin(name, directory, communes=communes, city=city, district=district, units=units,
                        units_file=str(units_file))
    _write(None, f"{root}\n")


# --------------------------------------------------------------------------- cadre-rules schema

@cli.command("schema", epilog="""\b
Example:
  cadre-rules schema report > report.schema.json
  cadre-rules schema pack-test
""")
@click.argument("name", type=click.Choice(SCHEMAS), metavar="NAME")
@_help(N_("Print a JSON Schema: input (officials and units as JSON), pack (TOML packs), pack-test (pack test "
          "cases) or report (the JSON report, v3), for editors and integrators."))
def schema_command(name: str) -> None:
    _write(None, schema_text(name))


@cli.command("plugins", epilog="""\b
Example:
  cadre-rules plugins
  CADRE_RULES_DISABLE_PLUGINS=1 cadre-rules plugins
""")
@_STRICT_PLUGINS
@_help(N_("List the plugins: name, version, hooks, and the packs, functions, readers and renderers "
         "each registered."))
def plugins_command(strict_plugins: bool) -> None:
    engine = _engine(packs=[], backend="reference", strict_plugins=strict_plugins)
    lines: list[str] = []
    _ = ui_gettext
    for info in engine.plugins.info():
        reason = engine.plugins.problems.get(info.name)  # (in the reader's language when it is a message)
        error = reason.text(_) if isinstance(reason, Message) else info.error
        status = _(N_("DISABLED: {error}")).format(error=error) if error else "ok"
        lines.append(f"{info.name} {info.version}".rstrip() + f"  [{status}]")
        for label, items in ((N_("hooks"), info.hooks), (N_("packs"), info.packs), (N_("functions"), info.functions),
                             (N_("readers"), info.readers), (N_("renderers"), info.renderers)):
            if items:
                lines.append(f"  {_(label)}: {', '.join(items)}")
    _write(None, "\n".join(lines) + "\n")


@cli.command(epilog="""\b
Example:
  cadre-rules doctor
  cadre-rules doctor --lang en
""")
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the labels."))
@_help(N_("Show what to paste into a bug report: the Python, durable-rules and whether its engine "
         "loads (and why not), the backend that --backend auto chooses, and the plugins found."))
def doctor(lang: str) -> None:
    from ._doctor import diagnose  # noqa: PLC0415 - loads durable-rules' engine: only when asked
    from ._doctor import render_diagnosis  # noqa: PLC0415

    _write(None, render_diagnosis(diagnose(), lang=lang))


@cli.command(epilog="""\b
Example:
  cadre-rules template danh-sach.xlsx
  cadre-rules template -o danh-sach.xlsx
  cadre-rules evaluate danh-sach.xlsx --as-of 31/12/2024
""")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Write the template to FILE (as the argument FILE does: give one of them)."))
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help=N_("The last year of the rating columns (Xếp loại năm …).  [default: last year]"))
@click.option("--force", is_flag=True, help=N_("Overwrite FILE if it exists."))
@_help(N_('Write an Excel template to fill in (Vietnamese): the sheets "Cán bộ" and "Đơn vị", their columns, '
          "drop-down lists of the codes and an example row; filled in, it is read as it is "
          "(see docs/huong-dan.md)."))
def template(file: Path | None, output: Path | None, year: int | None, force: bool) -> None:
    from .io._template import write_template  # noqa: PLC0415 - openpyxl is slow to import: only when asked

    if file is not None and output is not None and file != output:
        raise click.UsageError(ui_gettext(N_("FILE {file} and -o {output} name two files; give one of them"))
                               .format(file=repr(str(file)), output=repr(str(output))))
    if file is None and output is None:
        raise click.UsageError(ui_gettext(N_("name the workbook to write: FILE, or -o FILE")))
    hint = "FILE" if file is not None else "-o"
    file = file if file is not None else output
    assert file is not None  # (one of them is given, checked above)
    if file.suffix.lower() != ".xlsx":
        raise click.BadParameter(ui_gettext(N_("{file}: the template is an .xlsx workbook"))
                                 .format(file=repr(str(file))), param_hint=hint)
    if file.exists() and not force:
        raise Failure(ui_gettext(N_("{file}: the file exists; choose another name, or add --force to overwrite it"))
                      .format(file=file))
    try:
        write_template(file, year)
    except OSError as exc:
        raise Failure(ui_gettext(N_("{file}: cannot write the template: {reason}"))
                      .format(file=file, reason=os_reason(exc).text(ui_gettext))) from None
    click.echo(ui_gettext(N_("wrote {file}")).format(file=file))


@cli.command(epilog="""\b
Example:
  cadre-rules sample examples/hanoi-2022
  cadre-rules sample examples/hanoi-2025 --regime 2025
  cadre-rules sample /tmp/other-sample --seed 7
""")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIRECTORY")
@click.option("--regime", type=click.Choice(["2022", "2025"]), default="2022", show_default=True,
              help=N_("2022: 579 units in 30 districts (before the reform); 2025: the 126 communes and wards of "
                      "the two-tier city from 1/7/2025."))
@click.option("--seed", type=int, help=N_("Seed of the generator.  [default: the regime's year]"))
@click.option("--force", is_flag=True, help=N_("Overwrite officials.csv and units.csv if DIRECTORY has them."))
@_help(N_("Write a calibrated Hanoi sample (synthetic: no real person's data) to DIRECTORY.\n\n"
         "2022: 579 units and 11,473 officials reproducing the figures of 31/12/2022: 3,622 key "
         "officials, 17.9% women, 5.0% under 35, 99.9% with a university degree. 2025: 126 units "
         "directly under the city, no district, 9,536 officials and the 375 key officials counted on "
         "30/6/2025, at 31/12/2025. The same seed writes the same bytes. Existing files are left alone "
         "unless --force is given."))
def sample(directory: Path, regime: str, seed: int | None, force: bool) -> None:
    existing = [name for name in ("officials.csv", "units.csv") if (directory / name).exists()]
    if existing and not force:
        raise Failure(ui_gettext(N_("{directory}: {files} already there; nothing written (--force overwrites)"))
                      .format(directory=directory, files=", ".join(existing)))
    # only this command needs the generators
    from .io._sample import write_sample  # noqa: PLC0415
    from .io._sample_2025 import write_sample_2025  # noqa: PLC0415

    try:
        directory.mkdir(parents=True, exist_ok=True)
        if regime == "2025":
            officials, units = write_sample_2025(directory, seed=2025 if seed is None else seed)
        else:
            officials, units = write_sample(directory, seed=2022 if seed is None else seed)
    except OSError as exc:
        raise Failure(ui_gettext(N_("{directory}: cannot write the sample: {reason}")).format(
            directory=directory, reason=os_reason(exc).text(ui_gettext))) from None
    click.echo(ui_gettext(N_("wrote {officials} and {units}")).format(officials=officials, units=units))


@cli.command(epilog="""\b
Example:
  cadre-rules explain examples/hanoi-2022 --official HN-BAVI-06-16 --as-of 2022-12-31
  cadre-rules explain data/ --official X01-03 --rule vn-nd33-2023/qualification.degree --lang en
""")
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@click.option("--official", "official_id", metavar="ID", help=N_("The id of the official to explain."))
@click.option("--unit", "unit_id", metavar="CODE|NAME",
              help=N_("Explain a unit instead: its findings, metrics and who each quota counted."))
@click.option("--district", metavar="NAME", help=N_("Explain a district instead (who each quota counted)."))
@click.option("--city", "city_scope", is_flag=True,
              help=N_("Explain the city-wide findings (who each quota counted)."))
@click.option("--rule", metavar="[PACK/]RULE", help=N_("Only this rule (default: every official rule and quota)."))
@_evaluation_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=N_("Readable text, or the same as JSON."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings, labels and messages."))
@_REDACT
@_NO_PLUGINS
@_STRICT_PLUGINS
@_REPLACE_PACK
@_help(N_("Show why each rule fires or not for one official: every condition with its value and ✓ ✗ "
         "?.\n\n"
         "Every official rule and quota of the packs is shown (fired or not), each sub-condition "
         "with the official's value and its result (? = unknown, a value is missing), and the "
         "citation. The official is named (full name, position, unit) unless --redact."))
def explain(*, data: Path, official_id: str | None, rule: str | None, units_file: Path | None,
            packs: tuple[str, ...], as_of: date | None, params: dict[str, str], fmt: str, lang: str, no_plugins: bool,
            replace_pack: bool, redact: bool, unit_id: str | None, district: str | None, city_scope: bool,
            strict_plugins: bool) -> None:
    from .jobs._explain_official import explain_official  # noqa: PLC0415 - the job's modules load with the command
    from .jobs._explain_scope import ScopeKind  # noqa: PLC0415
    from .jobs._explain_scope import explain_scope  # noqa: PLC0415
    from .jobs._scope_formats import render_scope_explanation  # noqa: PLC0415
    from .render._explanation import render_explanation  # noqa: PLC0415
    from .report._report import canonical_json  # noqa: PLC0415

    chosen = [name for name, value in (("--official", official_id), ("--unit", unit_id), ("--district", district),
                                       ("--city", city_scope)) if value]
    if len(chosen) != 1:
        raise click.UsageError(ui_gettext(N_("name one of --official ID, --unit CODE, --district NAME or --city")))
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend="reference", lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins, replace_packs=replace_pack)
    if str(data) == "-":  # a JSON document on stdin, as for evaluate
        from .io._document import STDIN  # noqa: PLC0415
        from .io._document import read_stdin  # noqa: PLC0415

        officials, units, _ = read_stdin(units_file)
        source = STDIN
    else:
        officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
        officials, units = _read(engine, officials_path, units_path)
        source = str(officials_path)
    if official_id is None:
        kind: ScopeKind = "unit" if unit_id else "district" if district else "city"
        scoped = result_named_by(explain_scope(engine, officials, units, kind, unit_id or district, as_of), option_of)
        scoped = scoped.redacted() if redact else scoped
        _write(None, canonical_json(scoped.to_dict()) if fmt == "json"
               else render_scope_explanation(scoped, lang=lang))
        return
    result = result_named_by(explain_official(engine, officials, units, official_id, as_of, rule=rule, source=source),
                             option_of)
    if redact:
        result = result.redacted()
    _write(None, result.to_json() if fmt == "json" else render_explanation(result, lang=lang))


@cli.command(epilog="""\b
Example:
  cadre-rules serve --port 8080 --workers 2 --token-file /etc/cadre-rules/token
  curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31' \\
       -H 'Content-Type: application/json' --data-binary @data.json
""")
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on (the default serves this machine only; put a reverse proxy with "
                      "TLS in front to serve others)."))
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help=N_("Port to listen on."))
@click.option("--workers", type=click.IntRange(1, 256), metavar="N",
              help=N_("Worker processes evaluating requests, each with its own engine.  [default: the cores]"))
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Require 'Authorization: Bearer <token>' (the file's content) on every route but /healthz "
                      "and /readyz."))
@click.option("--max-body", type=click.FloatRange(min=0, min_open=True), default=64.0, show_default=True,
              metavar="MB", help=N_("Largest request body, in megabytes (bigger: 413)."))
@click.option("--timeout", type=float, default=300.0, show_default=True, metavar="SECONDS",
              callback=_positive_seconds,
              help=N_("Cancel an evaluation that takes longer (504), replacing its worker."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of reports and problems when the request does not say (lang=, Accept-Language)."))
@_help(N_("Serve the commands over HTTP: POST /v1/evaluate, /v1/explain, /v1/project, /v1/match (what those "
          "commands print, byte for byte), GET /v1/packs, /v1/schema/NAME, /healthz, /readyz, /metrics, the "
          "OpenAPI document at /openapi.json and as a page at /docs. Needs the serve extra: pip install "
          "'cadre-rules[serve]'."))
def serve(*, host: str, port: int, workers: int | None, token_file: Path | None, max_body: float, timeout: float,
          lang: str) -> None:
    try:
        from .service import Settings  # noqa: PLC0415 - the serve extra is optional
        from .service._serve import run  # noqa: PLC0415
    except ImportError as exc:
        raise Failure(ui_gettext(N_("the service needs the serve extra ({module} is missing): "
                                    "pip install 'cadre-rules[serve]'")).format(module=exc.name)) from None
    token = None
    if token_file is not None:
        try:
            token = token_file.read_bytes().strip()
        except OSError as exc:
            raise Failure(ui_gettext(N_("{file}: cannot read the token file: {reason}"))
                          .format(file=token_file, reason=os_reason(exc).text(ui_gettext))) from None
        if not token:
            raise Failure(ui_gettext(N_("{file}: the token file is empty")).format(file=token_file))
    settings = Settings(workers=workers or os.cpu_count() or 1, timeout=timeout, max_body=int(max_body * (1 << 20)),
                        token=token, lang=lang)
    run(settings, host, port)


# -- project (issue #19): will the targets hold on a future date? ---------------------------------------
@cli.command(epilog="""\b
Example:
  cadre-rules project examples/hanoi-2025 --as-of 2026-01-01 --to 2030-06-30 --step quarter
  cadre-rules project data/ --to 2030-06-30 --plan plan.csv --format json -o projection.json
""")
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@_evaluation_options
@click.option("--to", "to", callback=_as_of, required=True, metavar="YYYY-MM-DD", help=N_("The last step date."))
@click.option("--step", type=Words({"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}),
              default=LazyText(N_("year")), show_default=True,
              help=N_("The time between step dates (the last step is --to)."))
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Dated events (CSV, XLSX, JSON): appointment, move, departure, qualification "
                      "(docs/project.md)."))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx", "html"]), default="text",
              show_default=True, help=N_("Format of the output."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Write to FILE instead of stdout."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings."))
@click.option("--city", default="Hà Nội", show_default=True, help=N_("Name of the city scope."))
@click.option("--backend", type=click.Choice(["auto", "durable", "reference"]), default="auto", show_default=True,
              help=N_("Rule engine: durable-rules, the pure-Python reference, or durable where installed."))
@click.option("--legacy-districts", is_flag=True,
              help=N_("On dates from 2025-07-01, still aggregate by former district."))
@_JOB_SCOPE
@_NO_PLUGINS
@_STRICT_PLUGINS
@_REPLACE_PACK
@click.pass_context
@_help(N_("Project DATA from --as-of to --to: each target per scope at each step date, what it takes to meet it "
          "on --to, and who leaves which post when.\n\n"
          "Each step date is evaluated by the same engine and packs as `evaluate --as-of` that date, with the "
          "officials retired by then, or whose term (term_ends) has ended, removed and the --plan's events "
          "applied. Exits with 1 when a target is not met on some step, 2 on bad input."))
def project(ctx: click.Context, **options: Any) -> None:
    with paused():  # (as evaluate's)
        code = _project(ctx, **options)
    ctx.exit(code)


def _project(ctx: click.Context, *, data: Path, units_file: Path | None, packs: tuple[str, ...], as_of: date | None,
             params: dict[str, str], to: date, step: str, plan_file: Path | None, fmt: str, output: Path | None,
             lang: str, city: str, backend: str, legacy_districts: bool, no_plugins: bool, replace_pack: bool,
             scope: str | None, strict_plugins: bool) -> int:
    from .jobs._plan import load_plan  # noqa: PLC0415 - the job's modules load with the command
    from .jobs._project import project as run_projection  # noqa: PLC0415
    from .jobs._project import step_dates  # noqa: PLC0415
    from .jobs._project_formats import render_projection  # noqa: PLC0415

    _refuse_inputs_as_outputs([output] if output is not None else [], data, units_file, packs, plan_file, None)
    _parsed_scope(scope)  # (refused before the data are read)
    fmt = _job_format(ctx, fmt, output)
    as_of = as_of or date.today()
    step_dates(as_of, to, step)  # type: ignore[arg-type]  # (--to before --as-of, too many steps: before reading)
    engine = _engine(packs=list(packs) or None, params=params, backend=backend, city=city, lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins, legacy_districts=legacy_districts,
                     timeout=ctx.meta.get(TIMEOUT_KEY), replace_packs=replace_pack)
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    plan = load_plan(plan_file) if plan_file is not None else ()
    officials, units = _read(engine, officials_path, units_path)
    with _warnings_on_stderr():
        result = run_projection(engine, officials, units, to, as_of=as_of, step=step, plan=plan,  # type: ignore[arg-type]
                                scope=scope)
    rendered = render_projection(result_named_by(result, option_of), fmt, lang)
    if output is not None:
        _write_file(output, rendered)
    elif isinstance(rendered, bytes):
        write_stdout(rendered)
    else:
        _write(None, rendered)
    return 1 if result.unmet() else 0


@cli.command("match", epilog="""\b
Example:
  cadre-rules match examples/hanoi-2025 --as-of 2025-12-31 --within 12
  cadre-rules match data/ --posts posts.csv --assign --format json -o match.json
""")
@_help(N_("Eligible candidates for every vacant or soon-vacant post, across units (docs/match.md).\n\n"
            "The posts to fill are the vacancies the staffing rules find, the key posts whose holder retires "
            "within --within months, and the posts of --posts. Who fits a post is decided by the packs' match "
            "rules; each post lists its candidates ranked by the targets they help meet, then by fit, and its "
            "near misses with what they lack. No one is proposed for a post ranked below one they hold; the ranks "
            "are pack parameters (post_rank_N). A commune's Bí thư is proposed first for its Chủ tịch HĐND post, "
            "as a concurrent holding (kiêm nhiệm), as the pack parameters POST_concurrent_with say. Exits with 0 "
            "(a proposal is no finding), 2 on bad input."))
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@_evaluation_options
@click.option("--within", type=click.IntRange(min=0), metavar="MONTHS",
              help=N_("Also the key posts whose holder reaches retirement within MONTHS months."))
@click.option("--posts", "posts_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Also the posts listed in a CSV file with the columns unit, position."))
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help=N_("Candidates and near misses shown per post."))
@click.option("--assign", is_flag=True, help=N_("Propose one candidate per post, each person and post at most once."))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx", "html"]), default="text",
              show_default=True, help=N_("Format of the report (xlsx: to -o FILE)."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Write the report to FILE (default: stdout)."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings, reasons and what near misses lack."))
@click.option("--backend", type=click.Choice(["auto", "durable", "reference"]), default="auto", show_default=True,
              help=N_("Who decides the match rules: durable-rules, or the pure-Python reference."))
@click.option("--legacy-districts", is_flag=True,
              help=N_("From 2025-07-01, still pre-filter candidates by the former district of their unit."))
@_JOB_SCOPE
@_REDACT
@_NO_PLUGINS
@_STRICT_PLUGINS
@_REPLACE_PACK
@click.pass_context
@_help(N_("Eligible candidates for every vacant or soon-vacant post, across units (docs/match.md).\n\n"
          "The posts to fill are the vacancies the staffing rules find, the key posts whose holder retires "
          "within --within months, and the posts of --posts. Who fits a post is decided by the packs' match "
          "rules; each post lists its candidates ranked by the targets they help meet, then by fit, and its "
          "near misses with what they lack. No one is proposed for a post ranked below one they hold; the ranks "
          "are pack parameters (post_rank_N). A commune's Bí thư is proposed first for its Chủ tịch HĐND post, "
          "as a concurrent holding (kiêm nhiệm), as the pack parameters POST_concurrent_with say. Exits with 0 (a "
          "proposal is no finding), 2 on bad input."))
def match_command(ctx: click.Context, *, data: Path, units_file: Path | None, packs: tuple[str, ...],
                  as_of: date | None, params: dict[str, str], within: int | None, posts_file: Path | None,
                  top: int, assign: bool, fmt: str, output: Path | None, lang: str, backend: str,
                  legacy_districts: bool, redact: bool, no_plugins: bool, replace_pack: bool,
                  scope: str | None, strict_plugins: bool) -> None:
    from .jobs._match import match as match_posts  # noqa: PLC0415 - the job's modules load with the command
    from .jobs._match import read_posts  # noqa: PLC0415
    from .jobs._match_formats import render_match_csv  # noqa: PLC0415
    from .jobs._match_formats import render_match_html  # noqa: PLC0415
    from .jobs._match_formats import render_match_json  # noqa: PLC0415
    from .jobs._match_formats import render_match_text  # noqa: PLC0415
    from .jobs._match_formats import render_match_xlsx  # noqa: PLC0415

    ctx.with_resource(paused())  # (the collector paused for the whole job: _collector)
    if output is not None:
        _refuse_inputs_as_outputs([output], data, units_file, packs, posts_file, None)
    _parsed_scope(scope)  # (refused before the data are read)
    fmt = _job_format(ctx, fmt, output)
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend=backend, lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins, legacy_districts=legacy_districts,
                     timeout=ctx.meta.get(TIMEOUT_KEY), replace_packs=replace_pack)
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    officials, units = _read(engine, officials_path, units_path)
    listed = read_posts(posts_file, {u.code: u for u in units}) if posts_file is not None else []
    with _warnings_on_stderr():
        result = match_posts(engine, officials, units, as_of, within=within, posts=listed, top=top, assign=assign,
                             scope=scope)
    result = result_named_by(result, option_of)
    if redact:
        result = result.redacted()
    if fmt == "json":
        _write_any(output, render_match_json(result))
    elif fmt == "csv":
        _write_any(output, render_match_csv(result))
    elif fmt == "xlsx":
        if output is None and _terminal():
            raise click.UsageError(ui_gettext(N_("--format xlsx writes a workbook: name it with -o FILE")))
        _write_any(output, render_match_xlsx(result, lang))
    elif fmt == "html":
        _write(output, render_match_html(result, lang))
    else:
        _write(output, render_match_text(result, lang))


# --------------------------------------------------------------------------- cadre-rules test (pack tests)


@cli.command("test", epilog="""\b
Example:
  cadre-rules test                                   (the cases of every installed pack)
  cadre-rules test vn-commune-2tier@2025.07.1 --coverage
  cadre-rules test ba-vi-local --format junit -o junit.xml
  cadre-rules test policies/tests/ --min-coverage 100
""")
@click.argument("targets", nargs=-1, metavar="[PACK|DIR|FILE|PLUGIN]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True,
              help=N_("Pass/fail per case with a diff; JSON; or JUnit XML for CI."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Write to FILE (default: stdout)."))
@click.option("--coverage", is_flag=True,
              help=N_("Report per rule, quota and staffing rule whether it fired and did not fire, and each "
                      "sub-condition seen true and false."))
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="PERCENT",
              help=N_("Fail (exit 1) when coverage is below PERCENT (implies --coverage)."))
@click.option("--backend", type=click.Choice(["both", "durable", "reference"]), default="both", show_default=True,
              help=N_("The backends that run each case (both: durable-rules where it loads, and the reference)."))
@click.option("--lang", type=click.Choice(LANGS), default=command_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the results, their differences, the summary and the coverage lines."))
@click.option("--mutants", is_flag=True,
              help=N_("Also change each threshold, comparison and code of the packs in turn and run the cases "
                   "(reference backend): every mutant should make a case fail (exit 1 if one survives)."))
@_NO_PLUGINS
@_STRICT_PLUGINS
@click.pass_context
@_help(N_("Run the test cases of packs (TOML beside each pack: tests/*.toml) and compare the findings.\n\n"
          "Exit 0 when every case passes (and coverage reaches --min-coverage), 1 otherwise, 2 for a bad case "
          "file (an unknown field, rule or code, or contradictory expectations: located by key)."))
def test_command(ctx: click.Context, *, targets: tuple[str, ...], fmt: str, output: Path | None, coverage: bool,
                 min_coverage: float | None, backend: str, lang: str, mutants: bool, no_plugins: bool,
                 strict_plugins: bool) -> None:
    from .jobs._pack_tests import case_files_for  # noqa: PLC0415 - the job is loaded when asked for
    from .jobs._pack_tests import run_case_files  # noqa: PLC0415
    from .jobs._test_output import render_test_json  # noqa: PLC0415
    from .jobs._test_output import render_test_junit  # noqa: PLC0415
    from .jobs._test_output import render_test_text  # noqa: PLC0415
    from .model._formats import percent as _percent  # noqa: PLC0415

    coverage = coverage or min_coverage is not None
    said: set[str] = set()  # (each engine of the cases and mutants warns of a disabled plugin: said once)
    files = case_files_for(targets, _pack_engine(plugins=not no_plugins, said=said, strict=strict_plugins))
    if not files:
        raise InputError([Problem(" ".join(targets) or "<installed packs>", N_("no test case found"))])
    backends = None if backend == "both" else [backend]
    with _warnings_on_stderr(said):
        run = run_case_files(files, backends=backends, plugins=not no_plugins, lang=lang,  # type: ignore[arg-type]
                             strict_plugins=strict_plugins)
    render = {"text": render_test_text, "json": render_test_json, "junit": render_test_junit}[fmt]
    _write(output, render(run, coverage=coverage, lang=lang))
    _ = translation(lang).gettext
    low = min_coverage is not None and run.coverage.percent < min_coverage
    if low:
        click.echo(_("coverage {percent} is below --min-coverage {minimum}").format(
            percent=_percent(run.coverage.percent / 100, lang), minimum=f"{min_coverage:g}"), err=True)
    survived = 0
    if mutants and not run.failed:
        from .jobs._mutants import check_mutants  # noqa: PLC0415

        with _warnings_on_stderr(said):
            result = check_mutants(files, plugins=not no_plugins)
        survived = len(result.survivors)
        click.echo(_("mutants: {caught} caught / {total}").format(caught=result.caught, total=result.total),
                   err=True)
        for m in result.survivors:
            click.echo("  " + _("survived: {mutant}").format(mutant=f"{m.pack} {m.where}: {m.change}"), err=True)
    ctx.exit(1 if run.failed or low or survived else 0)


def main(argv: Sequence[str] | None = None) -> None:
    """The ``cadre-rules`` console script."""
    cli.main(args=None if argv is None else list(argv), prog_name="cadre-rules")
