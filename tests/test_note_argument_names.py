"""A report's notes name the caller's arguments as the caller gives them (session 17), as a located problem does
(``errors.named_by``): the note of stale data ("evaluate an earlier …"), of the districts not aggregated after the
reform ("… aggregates by former district"), of districts kept ("aggregated by former district (…)") and of no pack in
effect say ``as_of``, ``legacy_districts=True`` and ``packs`` to an integrator calling ``Engine.evaluate``, the
command line's options (``--as-of``, ``--legacy-districts``, ``--pack``) on the command line and the service's
request fields (``as_of``, ``legacy_districts=true``) to a client of the service: never one's name to another."""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import subsets
from cadre_rules import Engine
from cadre_rules import project
from cadre_rules._cli import cli
from cadre_rules.errors import Argument
from cadre_rules.service._worker import Answer
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import run_job

AFTER_REFORM = date(2025, 12, 31)  # (no districts from 1/7/2025; the data of 2022 are stale by then)
#: the end of each note, by its caller: (the API, the service, the command line)
STALE = {"en": ("evaluate an earlier {}", ("as_of", "as_of", "--as-of")),
         "vi": ("đánh giá với {} sớm hơn", ("as_of", "as_of", "--as-of"))}
DROPPED = {"en": ("; {} aggregates by former district", ("legacy_districts=True", "legacy_districts=true",
                                                         "--legacy-districts")),
           "vi": ("; {} tổng hợp theo quận, huyện cũ", ("legacy_districts=True", "legacy_districts=true",
                                                         "--legacy-districts"))}


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One district of the 2022 sample (units that name their district; data of 2022)."""
    return subsets.sample_subset(subsets.SAMPLES["2022"][0], tmp_path_factory.mktemp("d") / "ba-vi", "Huyện Ba Vì",
                                 "district")


def _said(notes: list[str], lang: str, caller: int) -> None:
    for template, names in (STALE[lang], DROPPED[lang]):
        assert sum(n.endswith(template.format(names[caller])) for n in notes) == 1, (template, notes)
        assert not any(template.format(other) in n for n in notes for other in set(names) - {names[caller]})


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_api_the_service_and_the_command_line_each_read_their_own_names(district: Path, lang: str) -> None:
    engine = Engine(backend="reference", lang=lang)
    officials, units = engine.read(district / "officials.csv", district / "units.csv")
    api = engine.evaluate(officials, units, AFTER_REFORM)
    _said(list(api.notes), lang, 0)
    _said([n.message for n in api.notices], lang, 0)
    assert not any("--" in n for n in api.notes)
    uploads = tuple((f, f"{f}.csv", (district / f"{f}.csv").read_bytes()) for f in ("officials", "units"))
    answer = run_job(Job(AFTER_REFORM, (), (), lang, "json", False, "Hà Nội", False, uploads=uploads,
                         task="evaluate", ui_lang=lang))
    assert isinstance(answer, Answer), answer
    service = json.loads(answer.body)["notes"]
    _said(service, lang, 1)
    assert not any("--" in n for n in service)
    result = CliRunner().invoke(cli, ["evaluate", str(district), "--as-of", AFTER_REFORM.isoformat(), "--format",
                                      "json", "--lang", lang])
    assert result.exit_code in (0, 1), result.output
    _said(json.loads(result.stdout)["notes"], lang, 2)


def test_kept_districts_and_no_pack_in_effect_name_the_api_arguments(district: Path) -> None:
    engine = Engine(backend="reference", lang="en", legacy_districts=True)
    officials, units = engine.read(district / "officials.csv", district / "units.csv")
    notes = engine.evaluate(officials, units, AFTER_REFORM).notes
    assert "aggregated by former district (legacy_districts=True): the districts were abolished on 2025-07-01" in notes
    _, said = engine.packs_for(date(2015, 1, 1))
    assert said == ["no pack is in effect on 2015-01-01; name the packs to apply (packs)"]
    result = CliRunner().invoke(cli, ["evaluate", str(district), "--as-of", AFTER_REFORM.isoformat(), "--format",
                                      "json", "--lang", "en", "--legacy-districts"])
    assert "aggregated by former district (--legacy-districts): the districts were abolished on 2025-07-01" in \
        json.loads(result.stdout)["notes"]


def test_a_note_naming_an_argument_is_text_and_keeps_its_names_across_processes() -> None:
    from cadre_rules.model._argument_notes import ArgumentNote  # (the other tests run without it)

    note = ArgumentNote("evaluate an earlier {option} than {date}", option=Argument("as_of"), date="2025-01-01")
    assert note == "evaluate an earlier as_of than 2025-01-01" and isinstance(note, str)
    again = pickle.loads(pickle.dumps(note))
    assert again == note and again.named(lambda a: "--" + a.name.replace("_", "-")) == \
        "evaluate an earlier --as-of than 2025-01-01"


def test_a_projection_names_them_as_its_caller_too(district: Path) -> None:
    """``project`` (its notes are its first date's report's): the API's ``as_of``, the command line's ``--as-of``, the
    service's ``as_of``."""
    engine = Engine(backend="reference", lang="en")
    officials, units = engine.read(district / "officials.csv", district / "units.csv")
    to = date(2026, 12, 31)
    _said(list(project(engine, officials, units, to, as_of=AFTER_REFORM).notes), "en", 0)
    uploads = tuple((f, f"{f}.csv", (district / f"{f}.csv").read_bytes()) for f in ("officials", "units"))
    answer = run_job(Job(AFTER_REFORM, (), (), "en", "json", False, "Hà Nội", False, uploads=uploads, task="project",
                         options=(("to", to), ("step", "year")), ui_lang="en"))
    assert isinstance(answer, Answer), answer
    _said(json.loads(answer.body)["notes"], "en", 1)
    result = CliRunner().invoke(cli, ["project", str(district), "--as-of", AFTER_REFORM.isoformat(), "--to",
                                      to.isoformat(), "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    _said(json.loads(result.stdout)["notes"], "en", 2)
