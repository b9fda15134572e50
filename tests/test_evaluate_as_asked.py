"""``cadre_rules.evaluate_as_asked`` (session 17): the report the command line and the service give, through the
typed API. An integrator with one ward's officials and the city's units file got, from ``Engine.evaluate``, every
other ward's posts reported vacant without a word; the command line's report (its note of kind ``units``, a
commune's own data counted as its own) and its ``--scope`` were not reachable from the public API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import cadre_rules
from cadre_rules import Engine
from cadre_rules import InputError
from cadre_rules._cli import cli
from cadre_rules._exits import option_of
from cadre_rules._i18n import translation
from cadre_rules.io._io import file_sha256
from cadre_rules.model._argument_notes import report_named_by
from subsets import with_city_units

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(backend="reference")


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Ba Đình's officials (00004) with the city's units file."""
    return with_city_units(SAMPLE, tmp_path_factory.mktemp("ward") / "data", lambda code: code == "00004")


def _cli_json(data: Path, out: Path, *options: str) -> bytes:
    result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", "2025-12-31", "--format", "json",
                                      "-o", str(out), *options])
    assert result.exit_code in (0, 1), result.output
    return out.read_bytes()


@pytest.mark.parametrize("scope", [None, "commune:00004", "commune:phường ba đình"])
def test_the_report_is_the_command_lines_byte_for_byte(engine: Engine, ward: Path, tmp_path: Path,
                                                       scope: str | None) -> None:
    officials, units = engine.read(ward / "officials.csv", ward / "units.csv")
    report = cadre_rules.evaluate_as_asked(
        engine, officials, units, AS_OF, scope=scope, source=str(ward / "officials.csv"),
        input_sha256=file_sha256(ward / "officials.csv", ward / "units.csv"))
    expected = _cli_json(ward, tmp_path / "r.json", "--backend", "reference", "--lang", "vi",
                         *(() if scope is None else ("--scope", scope)))
    # (the notes name the arguments as each caller gives them: the command line's --scope, the API's scope=)
    got = cadre_rules.report_to_json(report_named_by(report, option_of)).encode()
    assert got == expected


def test_one_wards_officials_with_the_citys_units_are_that_wards_report_with_a_note(engine: Engine,
                                                                                   ward: Path) -> None:
    officials, units = engine.read(ward / "officials.csv", ward / "units.csv")
    whole = engine.evaluate(officials, units, AS_OF)
    report = cadre_rules.evaluate_as_asked(engine, officials, units, AS_OF)
    notice = report.notices[0]
    assert notice.kind == "units"
    assert "scope='commune:00004'" in notice.message  # (the API's own name of the argument)
    assert "--scope" not in " ".join(report.notes)
    staffed = {f.scope_id for f in report.findings if f.subject_kind != "scope"}
    assert staffed == {"00004"}
    assert len(report.findings) < len(whole.findings)
    assert {f.scope_id for f in whole.findings} > {"00004", "00008"}  # (Engine.evaluate: the city's, as given)


def test_a_scope_gives_that_communes_report(engine: Engine, ward: Path) -> None:
    officials, units = engine.read(SAMPLE / "officials.csv", SAMPLE / "units.csv")
    report = cadre_rules.evaluate_as_asked(engine, officials, units, AS_OF, scope="commune:Phường Ba Đình")
    assert report.scope is not None
    assert (report.scope.kind, report.scope.id) == ("unit", "00004")
    assert {f.scope_id for f in report.findings} <= {"00004"}


@pytest.mark.parametrize(("scope", "shown", "reason"), [
    ("Ba Đình", "Ba Đình", "expected district:NAME or commune:NAME (a unit's code or name)"),
    ("commune:99999", "99999", "no unit with this code or name in the report"),
    ("district:Quận Ba Đình", "Quận Ba Đình", "the report has no districts (from 2025-07-01 there are none; legacy_districts=True "
                              "keeps them)"),
])
def test_a_wrong_scope_is_located_at_the_argument(engine: Engine, scope: str, shown: str, reason: str) -> None:
    officials, units = engine.read(SAMPLE / "officials.csv", SAMPLE / "units.csv")
    with pytest.raises(InputError) as error:
        cadre_rules.evaluate_as_asked(engine, officials, units, AS_OF, scope=scope)
    assert [(p.file, p.value) for p in error.value.problems] == [("scope", shown)]
    assert str(error.value).splitlines()[1] == f"  scope: {reason} (got {shown!r})"
    assert "cần" in error.value.text(translation("vi").gettext) or "không" in \
        error.value.text(translation("vi").gettext)
