"""The command-line interface (DESIGN.md §7): ``cadre-rules evaluate`` and ``cadre-rules packs …``.

Exit codes, ``--timeout``, ``--debug`` and how errors are shown: :mod:`cadre_rules._exits` (0 — no
finding at or above ``--fail-on``; 1 — some; 2 — bad usage, input, pack or plugin; 3 — internal error;
130/143 — interrupted).
"""

from __future__ import annotations

import contextlib
import gc
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
from typing import Any

import click

from ._click_language import LazyText
from ._engine import Engine
from ._exits import TIMEOUT_KEY
from ._exits import Failure
from ._exits import Group
from ._exits import Main
from ._exits import warning_line
from ._exits import write_stdout
from ._explain_official import explain_official
from ._i18n import N_
from ._i18n import default_lang
from ._i18n import ui_gettext
from ._io import file_sha256
from ._io import find_data_files
from ._model import SEVERITIES
from ._model import Report
from ._packs import Pack
from ._packs import load_pack
from ._plugins import BUILTIN
from ._plugins import HookFailed
from ._plugins import Renderer
from ._plugins import call_plugin
from ._registry import resolve_pack
from ._succession import conflicts
from ._succession import succeed
from ._timeouts import TimeLimitExceeded
from ._training import render_training
from ._waivers import BaselineKey
from ._waivers import Waiver
from ._waivers import apply_baseline
from ._waivers import apply_waivers
from ._waivers import load_baseline
from ._waivers import load_waivers
from ._writers import atomic_write
from .errors import CadreRulesError
from .errors import CadreRulesWarning
from .errors import InputError
from .errors import PackError
from .errors import PluginError
from .errors import Problem
from .render._explanation import render_explanation
from .render._text import render_pack
from .render._text import render_pack_list
from .render._text import render_text

__all__ = ["cli", "exit_code", "main"]

FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("vi", "en")
#: How --help shows the default of --lang (it depends on the locale).
_LANG_DEFAULT = LazyText(N_("vi; en when LC_ALL, LC_MESSAGES or LANG starts with en"))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VI_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """The --as-of date: YYYY-MM-DD, or DD/MM/YYYY as Vietnamese write it."""
    if value is None:
        return None
    text = value.strip()
    vi = _VI_DATE.fullmatch(text)
    if not vi and not _ISO_DATE.fullmatch(text):
        raise click.BadParameter(ui_gettext(N_("{value} is not a date in the form YYYY-MM-DD or DD/MM/YYYY"))
                                 .format(value=repr(value)), ctx, param)
    try:
        return date(int(vi[3]), int(vi[2]), int(vi[1])) if vi else date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(ui_gettext(N_("{value} is not a valid date")).format(value=repr(value)),
                                 ctx, param) from None


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
    from ._doctor import version_text  # noqa: PLC0415 - loads durable-rules' engine: only when asked

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
    if units is None:
        raise click.UsageError(ui_gettext(N_("DATA is an officials file: name its units file with --units FILE")))
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
                      .format(file=output, reason=exc.strerror or exc)) from None


@contextlib.contextmanager
def _warnings_on_stderr() -> Iterator[None]:
    """Our warnings (a plugin disabled…) become one ``warning: …`` line each on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CadreRulesWarning)
        try:
            yield
        finally:
            for warning in caught:
                if issubclass(warning.category, CadreRulesWarning):
                    message = warning.message
                    text = message.text(ui_gettext) if isinstance(message, CadreRulesWarning) else str(message)
                    click.echo(warning_line(text), err=True)
                else:  # pragma: no cover - not ours: pass it on
                    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _engine(**kwargs: Any) -> Engine:
    """An engine; plugin warnings become one ``warning: …`` line each on stderr."""
    with _warnings_on_stderr():
        return Engine(**kwargs)


def _pack_engine(plugins: bool = True) -> Engine:
    """An engine serving pack look-ups only: the available packs and the functions packs may call."""
    return _engine(packs=[], backend="reference", plugins=plugins)


def _evaluation_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose what is evaluated: --units, --pack, --as-of, --param."""
    for option in reversed((
        click.option("--units", "units_file", type=click.Path(path_type=Path), metavar="FILE",
                     help=N_("Units file, when DATA is an officials file.")),
        click.option("--pack", "packs", multiple=True, metavar="ID|PATH",
                     help=N_("A built-in pack id or a .toml pack file (repeatable). "
                          "Default: the packs in effect on --as-of.")),
        click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD", help=N_("Evaluation date.  [default: today]")),
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
_STRICT_PLUGINS = click.option("--strict-plugins", is_flag=True,
                               help=N_("A plugin that fails to load is an error (exit 2), not a warning."))


@cli.command(epilog="""\b
Example:
  cadre-rules evaluate data/ --as-of 2025-12-31
  cadre-rules evaluate officials.xlsx --units units.xlsx --pack my-pack.toml --lang en
  cadre-rules evaluate data/ --param hanoi-de-an-34.young_min_share=0.12 \\
      --format json -o report.json --fail-on never
  cadre-rules evaluate data/ -o report.html -o report.xlsx -o junit.xml --quiet
""")
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@_evaluation_options
@click.option("--format", "fmt", default="text", show_default=True, metavar="NAME",
              help=N_("Format of stdout: text, json, jsonl, csv, xlsx, html, junit, sarif, or a format a plugin adds "
                   "(see `cadre-rules plugins`)."))
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path,
              allow_dash=True), metavar="FILE",
              help=N_("Write to FILE instead of stdout, in the format its extension names (.txt .json .jsonl .csv "
                   ".xlsx .html .xml = junit, .sarif; other extensions: --format). Repeatable; '-' is stdout."))
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar on stderr."))
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help=N_("Exit with 1 when a finding of this severity or higher exists."))
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
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
              help=N_("Text view grouped differently: training = who needs which course, by district and unit."))
@click.option("--data-as-of", callback=_as_of, metavar="YYYY-MM-DD",
              help=N_("The date the data describe (default: the newest date in them); the report warns when it is "
                   "more than 12 months before --as-of."))
@click.option("--legacy-districts", is_flag=True,
              help=N_("On a date from 2025-07-01 (no districts), still aggregate by the units' former districts "
                   "(default: city and unit scopes only, with a note)."))
@click.option("--explain", is_flag=True,
              help=N_("json and jsonl: each finding with its explanation (every sub-condition and its value)."))
@_NO_PLUGINS
@_STRICT_PLUGINS
@_REPLACE_PACK
@click.pass_context
@_help(N_("Evaluate the officials and units in DATA against policy packs.\n\n"
         "DATA is a directory holding officials.* and units.* (CSV, XLSX, JSON or JSONL), or an "
         "officials file (then --units is required). Exits with 1 when a finding at or above "
         "--fail-on exists."))
def evaluate(ctx: click.Context, *, data: Path, units_file: Path | None, packs: tuple[str, ...],
             as_of: date | None, params: dict[str, str], fmt: str, outputs: tuple[Path, ...], quiet: bool,
             fail_on: str, lang: str,
             city: str, backend: str, no_plugins: bool, strict_plugins: bool, waivers_file: Path | None,
             baseline: Path | None, group_by: str | None, data_as_of: date | None, legacy_districts: bool,
             replace_pack: bool, explain: bool) -> None:
    _refuse_inputs_as_outputs(outputs, data, units_file, packs, waivers_file, baseline)
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend=backend, city=city, lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins, legacy_districts=legacy_districts,
                     timeout=ctx.meta.get(TIMEOUT_KEY), replace_packs=replace_pack)
    renderer = engine.plugins.renderers.get(fmt)
    if renderer is None:
        raise click.BadParameter(ui_gettext(N_("{format} is not a format; choose from {formats}")).format(
                                 format=repr(fmt), formats=", ".join(sorted(engine.plugins.renderers))),
                                 ctx, next(p for p in ctx.command.params if p.name == "fmt"))
    if group_by is not None and fmt != "text":
        raise click.UsageError(ui_gettext(N_("--group-by {view} is a view of --format text")).format(view=group_by))
    targets = _targets(outputs, renderer, engine.plugins.renderers)
    if explain and any(chosen.name not in EXPLAINED for _, chosen in targets):
        raise click.UsageError(ui_gettext(N_("--explain goes with the formats {first} and {last}"))
                               .format(first=", ".join(EXPLAINED[:-1]), last=EXPLAINED[-1]))
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    waivers = load_waivers(waivers_file) if waivers_file is not None else None
    known = load_baseline(baseline) if baseline is not None else None
    applied, _ = engine.packs_for(as_of)
    if not applied:
        if engine.available:
            reason = ui_gettext(N_("no policy pack is in effect on {date} (available: {packs}); name one with --pack"))\
                .format(date=as_of.isoformat(), packs=", ".join(p.ref for p in engine.available.values()))
        else:
            reason = ui_gettext(N_("no built-in policy pack is installed; name a pack file with --pack"))
        raise Failure(reason)
    officials, units = engine.read(officials_path, units_path)
    # an enricher that fails disables its plugin during the evaluation: warnings on stderr
    with _warnings_on_stderr(), _progress(len(officials), quiet) as progress:
        report = engine.evaluate(officials, units, as_of, input_sha256=file_sha256(officials_path, units_path),
                                 progress=progress, data_as_of=data_as_of, source=str(officials_path))
    report = _set_aside(report, waivers, known, baseline, lang)
    # The input and the report live until the end: later collections need not walk their objects again.
    gc.freeze()
    for output, chosen in targets:
        if chosen.name == "text":
            colour = output is None and _terminal() and not os.environ.get("NO_COLOR")
            _write(output, render_training(report, lang=lang) if group_by == "training"
                   else render_text(report, lang=lang, color=colour))
        else:
            _write_any(output, _render(chosen, report, lang, explain=explain))
    ctx.exit(exit_code(report, fail_on))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


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
            in_data = _same_file(real.parent, data) and stem in ("officials", "units")
        else:
            in_data = _same_file(output, data)
        if in_data or any(_same_file(output, p) for p in inputs):
            problems.append(Problem(str(output), N_("this output is one of the inputs; refusing to overwrite it "
                                                    "(write the report elsewhere)"), column="-o"))
        elif any(_same_file(output, other) for other in files[:i]):
            problems.append(Problem(str(output), N_("named twice by -o"), column="-o"))
    if problems:
        raise InputError(problems)


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


def _set_aside(report: Report, waivers: Sequence[Waiver] | None, known: frozenset[BaselineKey] | None,
               baseline: Path | None, lang: str) -> Report:
    """Apply --waivers (an expired waiver: a note and a warning line on stderr), then --baseline."""
    if waivers is not None:
        report, expired = apply_waivers(report, waivers, lang=lang)
        for w in expired:
            click.echo(warning_line(ui_gettext(N_("waiver {rule} for {subject} (approved by {approver}) expired on "
                                                  "{expiry}: not applied")).format(
                rule=w.target, subject=w.subject, approver=w.approver, expiry=w.expiry.isoformat())), err=True)
    if known is not None:
        report = apply_baseline(report, known, lang=lang, source=str(baseline))
    return report


def _render(renderer: Renderer, report: Report, lang: str, *,
            explain: bool = False) -> str | bytes | Iterator[str | bytes]:
    """The renderer's output: text, bytes, or the pieces of a streamed output (each checked as it comes).

    A plugin's renderer is called bounded by HOOK_TIMEOUT (its streamed pieces by ``--timeout``)."""
    kwargs = {"explain": True} if explain else {}
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
        raise PluginError(renderer.plugin, f"renderer {renderer.name!r} returned {type(out).__name__}, "
                                           "not str, bytes or an iterator of them")
    return out


def _plugin_error(renderer: Renderer, exc: Exception) -> PluginError:
    return PluginError(renderer.plugin, f"renderer {renderer.name!r} raised {type(exc).__name__}: {exc}")


def _pieces(renderer: Renderer, out: Iterator[object]) -> Iterator[str | bytes]:
    """The pieces of a streamed output, each checked (a renderer's error reported as at its call)."""
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
            raise _plugin_error(renderer, exc) from None
        if not isinstance(piece, (str, bytes)):
            raise PluginError(renderer.plugin, f"renderer {renderer.name!r} gave a piece of type "
                                               f"{type(piece).__name__}, not str or bytes")
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
@click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
              help=N_("Say what each pack version is on this date: in force, not yet, ended, or replaced by "
                   "which version.  [default: today]"))
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the titles."))
@_help(N_("List the packs, every version: id, version, effective period, status on --as-of, title."))
def list_packs(as_of: date | None, lang: str) -> None:
    engine = _pack_engine()
    versions = [p for editions in engine.editions.values() for p in editions]
    _write(None, render_pack_list(versions, lang=lang, as_of=as_of or date.today()))


@packs.command(epilog="""\b
Example:
  cadre-rules packs show hanoi-de-an-34
  cadre-rules packs show vn-commune-2tier@2025.07
  cadre-rules packs show my-pack.toml --lang en
""")
@click.argument("pack", metavar="ID[@VERSION]|PATH")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings, titles and messages."))
@_help(N_("Describe a pack: metadata, sources, parameters, key positions and every rule."))
def show(pack: str, lang: str) -> None:
    engine = _pack_engine()
    # ID@VERSION names one version of a registered pack (ID alone: its latest)
    versions = {p.ref: p for editions in engine.editions.values() for p in editions}
    resolved: Pack = versions.get(pack) or resolve_pack(pack, engine.available, engine.functions)
    builtin = versions.get(resolved.ref) is resolved
    colour = _terminal() and not os.environ.get("NO_COLOR")
    _write(None, render_pack(resolved, lang=lang, builtin=builtin, color=colour))


@packs.command(epilog="""\b
Example:
  cadre-rules packs validate my-pack.toml
  cadre-rules packs validate policies/
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.pass_context
@_help(N_("Validate pack files (a directory: every *.toml in it). Exits with 2 if any is invalid."))
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    functions = _pack_engine().functions
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
            except PackError as exc:
                Failure(exc.text(ui_gettext)).show()
                failed += 1
                continue
            valid.append(loaded)
            seen[loaded.ref] = file
            click.echo(f"OK {file}: {loaded.ref} ({len(loaded.rules)} rules, {len(loaded.quotas)} quotas, "
                       f"{len(loaded.staffing)} staffing)")
    # the packs together: versions of one id, and packs in force together deciding the same rule
    for conflict in conflicts(succeed(valid)):
        Failure(PackError([conflict.problem()]).text(ui_gettext)).show()
        failed += 1
    ctx.exit(2 if failed else 0)


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
    for info in engine.plugins.info():
        status = f"DISABLED: {info.error}" if info.error else "ok"
        lines.append(f"{info.name} {info.version}".rstrip() + f"  [{status}]")
        for label, items in (("hooks", info.hooks), ("packs", info.packs), ("functions", info.functions),
                             ("readers", info.readers), ("renderers", info.renderers)):
            if items:
                lines.append(f"  {label}: {', '.join(items)}")
    _write(None, "\n".join(lines) + "\n")


@cli.command(epilog="""\b
Example:
  cadre-rules doctor
  cadre-rules doctor --lang en
""")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of the labels."))
@_help(N_("Show what to paste into a bug report: the Python, durable-rules and whether its engine "
         "loads (and why not), the backend that --backend auto chooses, and the plugins found."))
def doctor(lang: str) -> None:
    from ._doctor import diagnose  # noqa: PLC0415 - loads durable-rules' engine: only when asked
    from ._doctor import render_diagnosis  # noqa: PLC0415

    _write(None, render_diagnosis(diagnose(), lang=lang))


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
@_help(N_("Write a calibrated Hanoi sample (synthetic: no real person's data) to DIRECTORY.\n\n"
         "2022: 579 units and 11,473 officials reproducing the figures of 31/12/2022: 3,622 key "
         "officials, 17.9% women, 5.0% under 35, 99.9% with a university degree. 2025: 126 units "
         "directly under the city, no district, 9,536 officials and the 375 key officials counted on "
         "30/6/2025, at 31/12/2025. The same seed writes the same bytes."))
def sample(directory: Path, regime: str, seed: int | None) -> None:
    # only this command needs the generators
    from ._sample import write_sample  # noqa: PLC0415
    from ._sample_2025 import write_sample_2025  # noqa: PLC0415

    try:
        directory.mkdir(parents=True, exist_ok=True)
        if regime == "2025":
            officials, units = write_sample_2025(directory, seed=2025 if seed is None else seed)
        else:
            officials, units = write_sample(directory, seed=2022 if seed is None else seed)
    except OSError as exc:
        raise Failure(ui_gettext(N_("{directory}: cannot write the sample: {reason}")).format(
            directory=directory, reason=exc.strerror or exc)) from None
    click.echo(f"wrote {officials} and {units}")


@cli.command(epilog="""\b
Example:
  cadre-rules explain examples/hanoi-2022 --official HN-BAVI-06-16 --as-of 2022-12-31
  cadre-rules explain data/ --official X01-03 --rule vn-nd33-2023/qualification.degree --lang en
""")
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@click.option("--official", "official_id", required=True, metavar="ID", help=N_("The id of the official to explain."))
@click.option("--rule", metavar="[PACK/]RULE", help=N_("Only this rule (default: every official rule and quota)."))
@_evaluation_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=N_("Readable text, or the same as JSON."))
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help=N_("Language of headings, labels and messages."))
@_NO_PLUGINS
@_REPLACE_PACK
@_help(N_("Show why each rule fires or not for one official: every condition with its value and ✓ ✗ "
         "?.\n\n"
         "Every official rule and quota of the packs is shown (fired or not), each sub-condition "
         "with the official's value and its result (? = unknown, a value is missing), and the "
         "citation. Only the official's id is printed, never the name."))
def explain(*, data: Path, official_id: str, rule: str | None, units_file: Path | None, packs: tuple[str, ...],
            as_of: date | None, params: dict[str, str], fmt: str, lang: str, no_plugins: bool,
            replace_pack: bool) -> None:
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend="reference", lang=lang,
                     plugins=not no_plugins, replace_packs=replace_pack)
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    officials, units = engine.read(officials_path, units_path)
    result = explain_official(engine, officials, units, official_id, as_of, rule=rule, source=str(officials_path))
    _write(None, result.to_json() if fmt == "json" else render_explanation(result, lang=lang))


def main(argv: Sequence[str] | None = None) -> None:
    """The ``cadre-rules`` console script."""
    cli.main(args=None if argv is None else list(argv), prog_name="cadre-rules")
