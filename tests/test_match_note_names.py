"""``match``'s notes name the caller's arguments as the caller gives them (session 17, tests/test_note_argument_names.py
for the report's): how to list the posts whose holder leaves soon (``--within N`` on the command line, ``within=N`` in
the service and the Python API) and where a scope's candidates come from ("as without ``--scope``"; ``scope``);
never one caller's name to another, nor both at once ("--within N (within=N)" until session 17)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import pytest
from click.testing import CliRunner

import subsets
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules._cli import cli
from cadre_rules.service._worker import Answer
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import run_job

SAMPLE, AS_OF_TEXT = subsets.SAMPLES["2025"]
AS_OF = date.fromisoformat(AS_OF_TEXT)
#: the end of the note of a match with nothing to fill, and of a scope's, by caller: (API, service, command line)
TRY_WITHIN = {"en": ("give {}", ("within=N", "within=N", "--within N")),
              "vi": ("dùng {}", ("within=N", "within=N", "--within N"))}
FROM_ALL = {"en": ("as without {}", ("scope", "scope", "--scope")),
            "vi": ("như khi không có {}", ("scope", "scope", "--scope"))}


def _said(notes: list[str], lang: str, caller: int, ending: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    template, names = ending[lang]
    assert sum(n.endswith(template.format(names[caller])) for n in notes) == 1, notes
    assert not any("(within=N)" in n for n in notes)
    if caller < 2:
        assert not any("--" in n for n in notes), notes


def _service(lang: str, **options: object) -> list[str]:
    uploads = tuple((f, f"{f}.csv", (SAMPLE / f"{f}.csv").read_bytes()) for f in ("officials", "units"))
    answer = run_job(Job(AS_OF, (), (), lang, "json", False, "Hà Nội", False, uploads=uploads, task="match",
                         options=(("top", 10), *options.items()), ui_lang=lang))
    assert isinstance(answer, Answer), answer
    notes: list[str] = json.loads(answer.body)["notes"]
    return notes


def _command_line(lang: str, *args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["match", str(SAMPLE), "--as-of", AS_OF_TEXT, "--format", "json", "--lang", lang,
                                      *args])
    assert result.exit_code == 0, result.output
    notes: list[str] = json.loads(result.stdout)["notes"]
    return notes


Records = tuple[Sequence[Official], Sequence[Unit]]


@pytest.fixture(scope="module")
def records() -> Records:
    return Engine(backend="reference").read(SAMPLE / "officials.csv", SAMPLE / "units.csv")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_nothing_to_fill_says_within_as_its_caller_gives_it(records: Records, lang: str) -> None:
    api = match_posts(Engine(backend="reference", lang=lang), *records, AS_OF)
    assert api.posts == ()  # (every required post of the 2025 sample is held on 31/12/2025)
    _said(list(api.notes), lang, 0, TRY_WITHIN)
    _said(_service(lang), lang, 1, TRY_WITHIN)
    _said(_command_line(lang), lang, 2, TRY_WITHIN)


def test_a_scope_s_note_says_scope_as_its_caller_gives_it(records: Records) -> None:
    api = match_posts(Engine(backend="reference", lang="en"), *records, AS_OF, within=24, scope="commune:00322")
    _said(list(api.notes), "en", 0, FROM_ALL)
    _said(_service("en", within=24, scope="commune:00322"), "en", 1, FROM_ALL)
    _said(_command_line("en", "--within", "24", "--scope", "commune:00322"), "en", 2, FROM_ALL)
