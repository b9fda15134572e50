"""How a command ends: one exit code per way (:data:`EXIT_CODES`), the options every command takes
(``--timeout``, ``--debug``), signals, internal errors, and writing to stdout.

Exit codes: 0 — no finding at or above ``--fail-on``; 1 — some; 2 — bad usage, input, pack or plugin
(also a command past its ``--timeout``, an output that cannot be written, running out of memory);
3 — an internal error (a bug: one line, the traceback only under ``--debug``); 130 — interrupted by
Ctrl-C; 143 — terminated (SIGTERM). Every :class:`~cadre_rules.errors.CadreRulesError` is printed on
stderr as ``error: <located text>``, never as a traceback. :class:`Group` gives each of its commands
``--timeout`` and ``--debug``, so that commands added later get them too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterable
from collections.abc import Mapping
from typing import IO
from typing import Any

import attrs
import click

from ._click_language import LANG_DEFAULT
from ._click_language import click_in_language
from ._click_language import short_help
from ._i18n import LANGS
from ._i18n import N_
from ._i18n import cli_lang
from ._i18n import command_lang
from ._i18n import ui_gettext
from ._i18n import ui_lang
from ._limits import DEFAULT_TIMEOUT
from ._timeouts import TimeLimitExceeded
from ._timeouts import time_limit
from .errors import Argument
from .errors import CadreRulesError
from .errors import InputError
from .errors import named_by
from .errors import os_reason

__all__ = ["AS_WRITTEN_KEY", "EXIT_CODES", "TIMEOUT_KEY", "Failure", "Group", "Main", "option_of", "warning_line",
           "write_stdout"]

#: What each exit code means (the contract; README lists them in Vietnamese and English).
EXIT_CODES = {
    0: "no finding at or above --fail-on",
    1: "a finding at or above --fail-on",
    2: "bad usage, input, pack or plugin; past --timeout; an output that cannot be written",
    3: "internal error (a bug in cadre-rules): one line, the traceback with --debug",
    130: "interrupted (Ctrl-C)",
    143: "terminated (SIGTERM)",
}
EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED = 3, 130, 143
TIMEOUT_KEY = "cadre_rules.timeout"
#: The command line's dates as written (``{"--as-of": "31/12/2024"}``), so that a problem shows the value as
#: the user wrote it.
AS_WRITTEN_KEY = "cadre_rules.as_written"
_DEBUG_KEY = "cadre_rules.debug"


class Failure(click.ClickException):
    """A reported error: ``error: <message>`` on stderr (``lỗi: …`` in Vietnamese), exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(_t(N_("error: {message}")).format(message=self.format_message()), err=True, file=file)


def _t(message: str) -> str:
    """``message`` in the language of the command (``--lang``, found before click parses; else the locale)."""
    return ui_gettext(message)


def warning_line(message: str) -> str:
    """``warning: <message>`` in the language of the command."""
    return _t(N_("warning: {message}")).format(message=message)


def _positive_seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not value > 0 or value == float("inf"):
        raise click.BadParameter(_t(N_("{value} is not a positive number of seconds")).format(value=repr(value)),
                                 ctx, param)
    return value


def _start_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """--timeout: bound the rest of the command (its context closes the bound)."""
    value = _positive_seconds(ctx, param, value)
    ctx.meta[TIMEOUT_KEY] = value
    ctx.with_resource(time_limit(value, "the command (--timeout)"))
    return value


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_DEBUG_KEY] = True
    return value


def _run_options() -> list[click.Parameter]:
    """The options every command takes: --timeout and --debug."""
    return [
        click.Option(["--timeout"], type=float, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                     expose_value=False, callback=_start_timeout,
                     help=N_("Stop with exit code 2 when the command (reading, plugins, evaluation, writing) "
                          "takes longer.")),
        click.Option(["--debug"], is_flag=True, expose_value=False, callback=_set_debug, is_eager=True,
                     help=N_("On an internal error (exit code 3), print the traceback.")),
    ]


def _lang_option() -> click.Parameter:
    """--lang of a command that writes no report: the language of its messages and --help (read before click
    parses, by :func:`cli_lang`), so that every command takes --lang."""
    return click.Option(["--lang"], type=click.Choice(LANGS), expose_value=False, show_default=LANG_DEFAULT,
                        default=command_lang, help=N_("Language of messages and --help."))


class Group(click.Group):
    """A group that turns every :class:`CadreRulesError` of its commands into a :class:`Failure`,
    and gives each of its commands --timeout and --debug."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # `cadre-rules --lang vi --help`, `cadre-rules packs --help --lang vi`: the language of the command line
        self.params.append(_lang_option())

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group) and not any(p.name == "timeout" for p in cmd.params):
            cmd.params.extend(_run_options())
        if not isinstance(cmd, click.Group) and not any(p.name == "lang" for p in cmd.params):
            cmd.params.append(_lang_option())
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their short help (in the command's language), as click lists them."""
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(_t(N_("Commands"))):
                formatter.write_dl([(name, short_help(command, limit)) for name, command in commands])

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        """Parsing a command line: Ctrl-C or SIGTERM here ends the run as everywhere else (not click's exit 1)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            Failure(_t(N_("interrupted (Ctrl-C)"))).show()
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except _Terminated:
            Failure(_t(N_("terminated (SIGTERM)"))).show()
            raise click.exceptions.Exit(EXIT_TERMINATED) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CadreRulesError as exc:
            raise Failure(_as_written(_as_options(exc), ctx.meta.get(AS_WRITTEN_KEY, {})).text(_t)) from None


#: The API's arguments whose option is named otherwise than ``--`` and the argument's name with hyphens.
_OPTIONS = {"params": "--param", "packs": "--pack", "replace_packs": "--replace-pack"}


def option_of(argument: Argument) -> str:
    """The command line's option for an argument of the API (``scope`` → ``--scope``; ``legacy_districts=True``,
    an argument with the value to give it, → the flag ``--legacy-districts``; ``backend='reference'``, a text to
    give it, → ``--backend reference``)."""
    option = _OPTIONS.get(argument.name, "--" + argument.name.replace("_", "-"))
    return f"{option} {argument.setting}" if isinstance(argument.setting, str) else option


def _as_options(exc: CadreRulesError) -> CadreRulesError:
    """``exc`` with the caller's arguments it names said as the command line's options (``--scope``)."""
    return named_by(exc, option_of)


def _as_written(exc: CadreRulesError, written: Mapping[str, str]) -> CadreRulesError:
    """``exc`` with the value of each problem of a command-line option (``--as-of``) as the user wrote it
    (``31/12/2024``, where the engine knows only the date)."""
    if not written or not isinstance(exc, InputError) or all(p.file not in written for p in exc.problems):
        return exc
    return InputError([attrs.evolve(p, value=written[p.file]) if p.file in written and p.value is not None else p
                       for p in exc.problems])


class _Terminated(BaseException):
    """SIGTERM was received."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


class Main(Group):
    """The ``cadre-rules`` group: every way a command can end becomes one exit code (:data:`EXIT_CODES`)."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        handled = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if handled else None
        # the language of messages and --help is known before click parses (its errors need it)
        lang = cli_lang(sys.argv[1:] if args is None else list(args))
        token = ui_lang.set(lang)
        try:
            with click_in_language(lang):
                return super().main(args, *rest, **kwargs)
        finally:
            ui_lang.reset(token)
            if handled:
                signal.signal(signal.SIGTERM, previous)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            message = _t(N_("interrupted (Ctrl-C); files being written were left as they were"))
            Failure(message).show()
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except _Terminated:
            message = _t(N_("terminated (SIGTERM); files being written were left as they were"))
            Failure(message).show()
            raise click.exceptions.Exit(EXIT_TERMINATED) from None
        except TimeLimitExceeded as exc:
            seconds = exc.bound.seconds or 0
            message = _t(N_("the command did not finish within --timeout {seconds:g} s; "
                            "raise it with --timeout SECONDS")).format(seconds=seconds)
            if exc.where:
                message += " " + _t(N_("(running: {where})")).format(where=exc.where)
            raise Failure(message) from None
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
                raise Failure(_t(N_("cannot write the output: {reason}")).format(reason=os_reason(exc).text(_t))) \
                    from None
            _internal(ctx, exc)
        except MemoryError:
            raise Failure(_t(N_("out of memory; the input is too large for this machine"))) from None
        except BaseException as exc:  # SystemExit from code that is not ours, any other bug
            _internal(ctx, exc)


def _internal(ctx: click.Context, exc: BaseException) -> None:
    """An internal error: one line, the traceback under --debug; exit code 3."""
    if ctx.meta.get(_DEBUG_KEY):
        traceback.print_exception(exc, file=sys.stderr)
    text = " ".join(str(exc).split())
    shown = text if len(text) <= 200 else text[:197] + "..."
    line = _t(N_("internal error (a bug in cadre-rules, please report it): {error}; "
                 "run with --debug for the traceback")).format(error=f"{type(exc).__name__}: {shown}".rstrip(": "))
    Failure(line).show()
    raise click.exceptions.Exit(EXIT_INTERNAL) from None



def write_stdout(data: bytes | Iterable[str | bytes]) -> None:
    """Bytes (or the pieces of a streamed output) to stdout; a full disk or a closed pipe is a one-line
    error (exit code 2)."""
    pieces = (data,) if isinstance(data, bytes) else data
    try:
        sys.stdout.flush()
        for piece in pieces:
            sys.stdout.buffer.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        sys.stdout.buffer.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # nobody reads any more: say so once, not at exit again
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise Failure(_t(N_("stdout: cannot write the output: {reason}")).format(reason=os_reason(exc).text(_t))) \
            from None
