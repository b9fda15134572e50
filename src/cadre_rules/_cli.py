"""The command-line interface (DESIGN.md §7): ``cadre-rules evaluate`` and ``cadre-rules packs …``.

Exit codes: 0 — no finding at or above ``--fail-on``; 1 — some; 2 — bad usage, input, pack or plugin.
Every :class:`~cadre_rules.errors.CadreRulesError` is printed on stderr as ``error: <located text>``,
never as a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
import warnings
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO
from typing import Any

import click

from ._engine import Engine
from ._explain_official import explain_official
from ._i18n import default_lang
from ._io import file_sha256
from ._io import find_data_files
from ._model import SEVERITIES
from ._model import Report
from ._packs import Pack
from ._packs import load_pack
from ._plugins import BUILTIN
from ._plugins import Renderer
from ._registry import resolve_pack
from ._training import render_training
from ._waivers import BaselineKey
from ._waivers import Waiver
from ._waivers import apply_baseline
from ._waivers import apply_waivers
from ._waivers import load_baseline
from ._waivers import load_waivers
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
_LANG_DEFAULT = "vi; en when LC_ALL, LC_MESSAGES or LANG starts with en"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Failure(click.ClickException):
    """A reported error: ``error: <message>`` on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    """A group that turns every :class:`CadreRulesError` of its commands into a :class:`Failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CadreRulesError as exc:
            raise Failure(str(exc)) from None


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """The --as-of date: strictly YYYY-MM-DD."""
    if value is None:
        return None
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", ctx, param)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a valid date: {exc}", ctx, param) from None


def _params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """The --param overrides as ``{"pack.key": "value"}``; the last one of a key wins."""
    overrides: dict[str, str] = {}
    for value in values:
        key, eq, text = value.partition("=")
        pack_id, dot, name = key.strip().rpartition(".")
        if not eq or not dot or not pack_id or not name:
            raise click.BadParameter(f"{value!r} is not of the form PACK.KEY=VALUE "
                                     "(e.g. hanoi-de-an-34.young_min_share=0.12)", ctx, param)
        overrides[f"{pack_id}.{name}"] = text
    return overrides


_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group("cadre-rules", cls=_Group, context_settings=_CONTEXT, epilog="""\b
Example:
  cadre-rules evaluate data/ --as-of 2025-12-31
  cadre-rules packs list --lang en
  cadre-rules evaluate --help
""")
@click.version_option(package_name="cadre-rules", prog_name="cadre-rules", message="%(prog)s %(version)s")
def cli() -> None:
    """Evaluate commune-level officials against declarative policy packs.

    Exit codes: 0 no finding at or above --fail-on, 1 some, 2 bad usage, input, pack or plugin.
    """


def _data_files(data: Path, units: Path | None, extensions: Sequence[str]) -> tuple[Path, Path]:
    """The officials and units files named by DATA (a directory or an officials file) and --units."""
    if data.is_dir():
        if units is not None:
            raise click.UsageError("--units goes with an officials file; the directory DATA already holds units.*")
        return find_data_files(data, extensions)
    if not data.exists():
        raise InputError([Problem(str(data), "no such file or directory")])
    if units is None:
        raise click.UsageError("DATA is an officials file: name its units file with --units FILE")
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
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            raise Failure(f"{output}: cannot write the output: {exc.strerror or exc}") from None
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or _terminal():
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


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
                    click.echo(f"warning: {warning.message}", err=True)
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
                     help="Units file, when DATA is an officials file."),
        click.option("--pack", "packs", multiple=True, metavar="ID|PATH",
                     help="A built-in pack id or a .toml pack file (repeatable). "
                          "Default: the packs in effect on --as-of."),
        click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD", help="Evaluation date.  [default: today]"),
        click.option("--param", "params", callback=_params, multiple=True, metavar="PACK.KEY=VALUE",
                     help="Override a pack parameter (repeatable; the last one of a key wins)."),
    )):
        command = option(command)
    return command


_NO_PLUGINS = click.option("--no-plugins", is_flag=True,
                           help="Load no plugin (also: environment variable CADRE_RULES_DISABLE_PLUGINS=1).")
_STRICT_PLUGINS = click.option("--strict-plugins", is_flag=True,
                               help="A plugin that fails to load is an error (exit 2), not a warning.")


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
              help="Format of stdout: text, json, jsonl, csv, xlsx, html, junit, sarif, or a format a plugin adds "
                   "(see `cadre-rules plugins`).")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path,
              allow_dash=True), metavar="FILE",
              help="Write to FILE instead of stdout, in the format its extension names (.txt .json .jsonl .csv "
                   ".xlsx .html .xml = junit, .sarif; other extensions: --format). Repeatable; '-' is stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit with 1 when a finding of this severity or higher exists.")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help="Language of messages and headings.")
@click.option("--city", default="Hà Nội", show_default=True, help="Name of the city scope.")
@click.option("--backend", type=click.Choice(["auto", "durable", "reference"]), default="auto", show_default=True,
              help="Rule engine: durable-rules, the pure-Python reference, or durable where installed.")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="TOML file of [[waiver]] tables (rule, subject, reason, approver, expiry): matching findings "
                   "are set aside with their reason, counted and listed separately.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A previous JSON report: show (and count for --fail-on) only the findings not in it.")
@click.option("--group-by", type=click.Choice(["training"]),
              help="Text view grouped differently: training = who needs which course, by district and unit.")
@click.option("--explain", is_flag=True,
              help="json and jsonl: each finding with its explanation (every sub-condition and its value).")
@_NO_PLUGINS
@_STRICT_PLUGINS
@click.pass_context
def evaluate(ctx: click.Context, *, data: Path, units_file: Path | None, packs: tuple[str, ...],
             as_of: date | None, params: dict[str, str], fmt: str, outputs: tuple[Path, ...], quiet: bool,
             fail_on: str, lang: str,
             city: str, backend: str, no_plugins: bool, strict_plugins: bool, waivers_file: Path | None,
             baseline: Path | None, group_by: str | None, explain: bool) -> None:
    """Evaluate the officials and units in DATA against policy packs.

    DATA is a directory holding officials.* and units.* (CSV, XLSX, JSON or JSONL), or an officials
    file (then --units is required). Exits with 1 when a finding at or above --fail-on exists.
    """
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend=backend, city=city, lang=lang,
                     plugins=not no_plugins, strict_plugins=strict_plugins)
    renderer = engine.plugins.renderers.get(fmt)
    if renderer is None:
        raise click.BadParameter(f"{fmt!r} is not a format; choose from {', '.join(sorted(engine.plugins.renderers))}",
                                 ctx, next(p for p in ctx.command.params if p.name == "fmt"))
    if group_by is not None and fmt != "text":
        raise click.UsageError(f"--group-by {group_by} is a view of --format text")
    targets = _targets(outputs, renderer, engine.plugins.renderers)
    if explain and any(chosen.name not in EXPLAINED for _, chosen in targets):
        raise click.UsageError(f"--explain goes with the formats {' and '.join(EXPLAINED)}")
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    waivers = load_waivers(waivers_file) if waivers_file is not None else None
    known = load_baseline(baseline) if baseline is not None else None
    applied, _ = engine.packs_for(as_of)
    if not applied:
        if engine.available:
            reason = (f"no policy pack is in effect on {as_of.isoformat()} (available: "
                      f"{', '.join(p.ref for p in engine.available.values())}); name one with --pack")
        else:
            reason = "no built-in policy pack is installed; name a pack file with --pack"
        raise Failure(reason)
    officials, units = engine.read(officials_path, units_path)
    # an enricher that fails disables its plugin during the evaluation: warnings on stderr
    with _warnings_on_stderr(), _progress(len(officials), quiet) as progress:
        report = engine.evaluate(officials, units, as_of, input_sha256=file_sha256(officials_path, units_path),
                                 progress=progress)
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
            click.echo(f"warning: waiver {w.target} for {w.subject} (approved by {w.approver}) expired on "
                       f"{w.expiry.isoformat()}: not applied", err=True)
    if known is not None:
        report = apply_baseline(report, known, lang=lang, source=str(baseline))
    return report


def _render(renderer: Renderer, report: Report, lang: str, *,
            explain: bool = False) -> str | bytes | Iterator[str | bytes]:
    """The renderer's output: text, bytes, or the pieces of a streamed output (each checked as it comes)."""
    try:
        out = renderer.render(report, lang, explain=True) if explain else renderer.render(report, lang)
    except CadreRulesError:
        raise
    except Exception as exc:
        if renderer.plugin == BUILTIN:
            raise
        raise _plugin_error(renderer, exc) from None
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
        try:
            with open(output, "wb") as handle:
                for piece in pieces:
                    handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        except OSError as exc:
            raise Failure(f"{output}: cannot write the output: {exc.strerror or exc}") from None
        return
    sys.stdout.flush()
    for piece in pieces:
        sys.stdout.buffer.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
    sys.stdout.buffer.flush()


@cli.group(cls=_Group, epilog="""\b
Example:
  cadre-rules packs list
  cadre-rules packs show hanoi-de-an-34 --lang en
  cadre-rules packs validate my-pack.toml policies/
""")
def packs() -> None:
    """List, describe and validate policy packs."""


@packs.command("list", epilog="""\b
Example:
  cadre-rules packs list
  cadre-rules packs list --lang en
""")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help="Language of the titles.")
def list_packs(lang: str) -> None:
    """List the built-in packs: id, version, effective period and title."""
    _write(None, render_pack_list(list(_pack_engine().available.values()), lang=lang))


@packs.command(epilog="""\b
Example:
  cadre-rules packs show hanoi-de-an-34
  cadre-rules packs show my-pack.toml --lang en
""")
@click.argument("pack", metavar="ID|PATH")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help="Language of headings, titles and messages.")
def show(pack: str, lang: str) -> None:
    """Describe a pack: metadata, sources, parameters, key positions and every rule."""
    engine = _pack_engine()
    resolved: Pack = resolve_pack(pack, engine.available, engine.functions)
    builtin = engine.available.get(resolved.id) is resolved
    colour = _terminal() and not os.environ.get("NO_COLOR")
    _write(None, render_pack(resolved, lang=lang, builtin=builtin, color=colour))


@packs.command(epilog="""\b
Example:
  cadre-rules packs validate my-pack.toml
  cadre-rules packs validate policies/
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Validate pack files (a directory: every *.toml in it). Exits with 2 if any is invalid."""
    functions = _pack_engine().functions
    failed = 0
    seen: dict[str, Path] = {}
    for path in paths:
        files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        if not files:
            click.echo(f"error: {Problem(str(path), 'no .toml pack in this directory')}", err=True)
            failed += 1
        for file in files:
            try:
                loaded = load_pack(file, functions=functions)
                if loaded.id in seen:
                    raise PackError([Problem(str(file), f"duplicate pack id (also {seen[loaded.id]})",
                                             column="pack.id", value=loaded.id)])
            except PackError as exc:
                Failure(str(exc)).show()
                failed += 1
                continue
            seen[loaded.id] = file
            click.echo(f"OK {file}: {loaded.ref} ({len(loaded.rules)} rules, {len(loaded.quotas)} quotas, "
                       f"{len(loaded.staffing)} staffing)")
    ctx.exit(2 if failed else 0)


@cli.command("plugins", epilog="""\b
Example:
  cadre-rules plugins
  CADRE_RULES_DISABLE_PLUGINS=1 cadre-rules plugins
""")
@_STRICT_PLUGINS
def plugins_command(strict_plugins: bool) -> None:
    """List the plugins: name, version, hooks, and the packs, functions, readers and renderers each registered."""
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
  cadre-rules sample examples/hanoi-2022
  cadre-rules sample /tmp/other-sample --seed 7
""")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIRECTORY")
@click.option("--seed", type=int, default=2022, show_default=True, help="Seed of the generator.")
def sample(directory: Path, seed: int) -> None:
    """Write the calibrated Hanoi 2022 sample (synthetic: no real person's data) to DIRECTORY.

    579 units and 11,473 officials reproducing the figures of 31/12/2022: 3,622 key officials,
    17.9% women, 5.0% under 35, 99.9% with a university degree. The same seed writes the same bytes.
    """
    from ._sample import write_sample  # noqa: PLC0415 - only this command needs the generator

    try:
        directory.mkdir(parents=True, exist_ok=True)
        officials, units = write_sample(directory, seed=seed)
    except OSError as exc:
        raise Failure(f"{directory}: cannot write the sample: {exc.strerror or exc}") from None
    click.echo(f"wrote {officials} and {units}")


@cli.command(epilog="""\b
Example:
  cadre-rules explain examples/hanoi-2022 --official HN-BAVI-06-16 --as-of 2022-12-31
  cadre-rules explain data/ --official X01-03 --rule vn-nd33-2023/qualification.degree --lang en
""")
@click.argument("data", type=click.Path(path_type=Path), metavar="DATA")
@click.option("--official", "official_id", required=True, metavar="ID", help="The id of the official to explain.")
@click.option("--rule", metavar="[PACK/]RULE", help="Only this rule (default: every official rule and quota).")
@_evaluation_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Readable text, or the same as JSON.")
@click.option("--lang", type=click.Choice(LANGS), default=default_lang, show_default=_LANG_DEFAULT,
              help="Language of headings, labels and messages.")
@_NO_PLUGINS
def explain(*, data: Path, official_id: str, rule: str | None, units_file: Path | None, packs: tuple[str, ...],
            as_of: date | None, params: dict[str, str], fmt: str, lang: str, no_plugins: bool) -> None:
    """Show why each rule fires or not for one official: every condition with its value and ✓ ✗ ?.

    Every official rule and quota of the packs is shown (fired or not), each sub-condition with
    the official's value and its result (? = unknown, a value is missing), and the citation. Only
    the official's id is printed, never the name.
    """
    as_of = as_of or date.today()
    engine = _engine(packs=list(packs) or None, params=params, backend="reference", lang=lang,
                     plugins=not no_plugins)
    officials_path, units_path = _data_files(data, units_file, [f".{e}" for e in engine.plugins.readers])
    officials, units = engine.read(officials_path, units_path)
    result = explain_official(engine, officials, units, official_id, as_of, rule=rule, source=str(officials_path))
    _write(None, result.to_json() if fmt == "json" else render_explanation(result, lang=lang))


def main(argv: Sequence[str] | None = None) -> None:
    """The ``cadre-rules`` console script."""
    cli.main(args=None if argv is None else list(argv), prog_name="cadre-rules")
