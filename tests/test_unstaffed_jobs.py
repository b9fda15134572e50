"""``match``, ``project`` and ``explain`` of a commune's own officials with the city's units file (docs/match.md,
"A commune's officials with the city's units file"; docs/project.md, the same), as ``evaluate`` reports them
(tests/test_unstaffed_units.py): the other units' posts are not the officer's, so match proposes no one for them and
the projection's targets leave them out, and the first note of each job says so, naming the scope to give as its
caller gives it (``--scope commune:00322``; the service's ``scope=commune:00322``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import match_posts
from cadre_rules._cli import cli
from cadre_rules.service._worker import Answer
from cadre_rules.service._worker import Job
from cadre_rules.service._worker import run_job
from subsets import with_city_units

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
AS_OF = date(2025, 12, 31)
#: the first note of each job (English), and its start in Vietnamese
MATCH_NOTE = ("the units file lists 126 units, of which only 1 has officials in the data (00322 Phường Tương Mai): the "
              "posts to fill are its; the 125 units without officials (all their posts would be vacant) are left out, "
              "and no candidate is proposed for their posts. For the posts of your commune (district), match with "
              "{scope} or a units file")
PROJECT_NOTE = ("the units file lists 126 units, of which only 1 has officials in the data (00322 Phường Tương Mai): "
                "the projection is of it; the 125 units without officials (all their posts would be counted vacant) "
                "are left out of its targets at every step")
REPORT_NOTE = "the units file lists 126 units, of which only 1 has officials in the data (00322 Phường Tương Mai): "
VI_NOTE = "tệp đơn vị có 126 đơn vị, nhưng chỉ 1 đơn vị có cán bộ trong dữ liệu (00322 Phường Tương Mai): "


def _officials_of(target: Path, keep: Callable[[str], bool]) -> Path:
    """The 2025 sample's units file whole, and the officials of the units ``keep`` says (by code)."""
    return with_city_units(SAMPLE, target, keep)


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phường Tương Mai's officials (00322) with the city's 126 units."""
    return _officials_of(tmp_path_factory.mktemp("ward") / "data", "00322".__eq__)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--no-plugins", "--as-of", "31/12/2025"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_match_proposes_only_for_the_commune_s_posts_and_says_why_first(ward: Path) -> None:
    # (within 24 months: the ward's key posts whose holder leaves; the other 125 units' 1,000 vacant posts are gone)
    doc = json.loads(_run("match", str(ward), "--within", "24", "--format", "json", "--lang", "en"))
    assert doc["notes"][0].startswith(MATCH_NOTE.format(scope="--scope commune:00322"))
    assert doc["posts"] and {p["unit"] for p in doc["posts"]} == {"00322"}
    assert {p["reason"] for p in doc["posts"]} <= {"vacant", "retiring", "term_ends"}
    # nothing to fill without --within: the units note first, then why the list is empty
    empty = json.loads(_run("match", str(ward), "--format", "json", "--lang", "en"))
    assert empty["posts"] == [] and empty["notes"][0].startswith(MATCH_NOTE.format(scope="--scope commune:00322"))
    assert empty["notes"][1].startswith("no post to fill on 2025-12-31")
    # every format that shows notes, in Vietnamese
    text = _run("match", str(ward), "--within", "24", "--lang", "vi")
    said = [line for line in text.splitlines() if line.startswith("* ")]  # (the notes, after the posts)
    assert said[0].startswith(f"* {VI_NOTE}chỉ bố trí chức danh của đơn vị có cán bộ")
    html = _run("match", str(ward), "--within", "24", "--format", "html", "--lang", "vi")
    assert f"<li>{VI_NOTE}" in html
    # the service names the scope its own way; the API as its argument
    uploads = tuple((f, f"{f}.csv", (ward / f"{f}.csv").read_bytes()) for f in ("officials", "units"))
    answer = run_job(Job(AS_OF, (), (), "en", "json", False, "Hà Nội", False, uploads=uploads, task="match",
                         options=(("within", 24), ("top", 10)), ui_lang="en"))
    assert isinstance(answer, Answer), answer
    assert json.loads(answer.body)["notes"][0].startswith(MATCH_NOTE.format(scope="scope=commune:00322"))
    engine = Engine(backend="reference", lang="en", plugins=False)
    officials, units = engine.read(ward / "officials.csv", ward / "units.csv")
    api = match_posts(engine, officials, units, AS_OF, within=24)
    assert api.notes[0].startswith(MATCH_NOTE.format(scope="scope='commune:00322'"))
    assert {r.post.unit for r in api.posts} == {"00322"}
    # the whole city's data (every unit has officials): no such note
    whole = json.loads(_run("match", str(SAMPLE), "--within", "1", "--format", "json", "--lang", "en"))
    assert not any("units file" in n for n in whole["notes"])


def test_a_projection_leaves_the_other_units_out_and_says_why(ward: Path, tmp_path: Path) -> None:
    doc = json.loads(_run("project", str(ward), "--to", "2027-12-31", "--format", "json", "--lang", "en"))
    notes = doc["notes"]
    said = [n for n in notes if n.startswith(PROJECT_NOTE)]
    assert said == [notes[0]] and "project with --scope commune:00322" in said[0]
    assert {t["scope_id"] for t in doc["targets"] if t["scope"] == "unit"} == {"00322"}
    # the city's rows that count posts are left out (all the other units' posts vacant: 0.6% filled)
    assert not [t for t in doc["targets"] if t["scope"] == "city" and t["id"] == "staffing.fill_rate"]
    assert doc["input"]["units"] == 1
    text = _run("project", str(ward), "--to", "2027-12-31", "--lang", "vi")
    assert f"  {VI_NOTE}dự báo chỉ xét đơn vị có cán bộ" in text
    assert "Phường Ba Đình" not in text
    # the html and the workbook show the notes too (until session 17 only the text and the json did)
    html = _run("project", str(ward), "--to", "2027-12-31", "--format", "html", "--lang", "vi")
    assert f"<h2>Ghi chú</h2><ul><li>{VI_NOTE}dự báo chỉ xét" in html
    book = tmp_path / "p.xlsx"
    _run("project", str(ward), "--to", "2027-12-31", "--format", "xlsx", "--lang", "vi", "-o", str(book))
    sheet = openpyxl.load_workbook(book)["Ghi chú"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)][:2] == ["Ghi chú", text.split("Ghi chú\n  ")[1]
                                                                         .splitlines()[0]]


def test_explain_of_the_commune_says_it_first(ward: Path) -> None:
    for args in (["--unit", "00322"], ["--city"]):
        doc = json.loads(_run("explain", str(ward), *args, "--format", "json", "--lang", "en"))
        assert doc["notes"][0].startswith(REPORT_NOTE), args
    city = json.loads(_run("explain", str(ward), "--city", "--format", "json", "--lang", "en"))
    assert not [m for m in city["metrics"] if m["id"] in ("staffing.fill_rate", "staffing.posts_filled")]
    text = _run("explain", str(ward), "--unit", "00322", "--lang", "vi")
    assert f"  - {VI_NOTE}" in text

