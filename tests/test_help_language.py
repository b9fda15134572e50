"""Every ``--help`` is in the language of the command (issue #16 §4): each command's help, each option's help and
each line of a group's command list, under ``--lang vi`` and under a Vietnamese locale without ``--lang``."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules._click_language import _translated
from cadre_rules._i18n import translation


def _commands(command: click.Command = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                                          click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _commands(command.commands[name], (*path, name))


COMMANDS = list(_commands())


def _help_texts(command: click.Command) -> list[tuple[str, str]]:
    """(what, English text) of every help a user reads in ``command --help``."""
    texts = [("help", command.help or "")]
    texts += [(f"--{p.name}", p.help) for p in command.params if isinstance(p, click.Option) and p.help]
    return [(what, text) for what, text in texts if text]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_walk_sees_every_command() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"evaluate", "explain", "match", "project", "test", "packs diff", "packs list", "plugin new", "schema",
            "serve", "doctor", "template", "sample", "plugins"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "cadre-rules" for p, _ in COMMANDS])
def test_every_help_text_has_a_vietnamese_translation(path: tuple[str, ...], command: click.Command) -> None:
    vi = translation("vi").gettext
    untranslated = [what for what, text in _help_texts(command) if _translated(text, vi) == text]
    assert untranslated == [], f"cadre-rules {' '.join(path)}: no Vietnamese for {untranslated}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "cadre-rules" for p, _ in COMMANDS])
def test_help_output_is_vietnamese(path: tuple[str, ...], command: click.Command) -> None:
    """The printed --help (under a Vietnamese locale, and with --lang vi where the command has it) shows no
    English help text: neither a help of the command or of its options, nor a command line of a group."""
    runs = [(CliRunner(env={"LANG": "vi_VN.UTF-8"}), [*path, "--help"])]
    if any(p.name == "lang" for p in command.params):
        runs.append((CliRunner(), [*path, "--help", "--lang", "vi"]))  # the English locale of the test suite
    english = [text for _what, text in _help_texts(command)]
    if isinstance(command, click.Group):
        english += [sub.help or "" for sub in command.commands.values()]
    for runner, args in runs:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        shown = _words(result.stdout)
        assert shown.startswith("Cách dùng:")
        for text in english:
            start = _words(text)[:30]  # a group's command list shows a help's first words only
            assert start not in shown, f"{' '.join(args)}: English help {start!r}"


def test_english_help_stays_english() -> None:
    result = CliRunner().invoke(cli, ["--help"])  # the English locale of the test suite
    assert "Eligible candidates for every vacant or soon-vacant post" in _words(result.stdout)
    assert "Lệnh" not in result.stdout


def test_every_command_and_group_takes_lang() -> None:
    missing = [" ".join(path) or "cadre-rules" for path, command in COMMANDS
               if not any(p.name == "lang" for p in command.params)]
    assert missing == []


def test_a_group_s_lang_is_the_language_of_its_commands() -> None:
    """`cadre-rules --lang en packs list` under a Vietnamese locale is English (the command's --lang defaults to
    the language of the command line), and `--lang vi` before the command under an English locale Vietnamese."""
    english = CliRunner(env={"LANG": "vi_VN.UTF-8"}).invoke(cli, ["--lang", "en", "packs", "list"])
    assert english.exit_code == 0 and english.stdout.split()[0] == "Id"
    vietnamese = CliRunner().invoke(cli, ["--lang", "vi", "packs", "list"])
    assert vietnamese.exit_code == 0 and vietnamese.stdout.split()[0] == "Mã"
