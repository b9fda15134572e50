"""cadre-rules match: a concurrent holding (kiêm nhiệm) is proposed as such, not refused as a lower post
(docs/match.md, "Concurrent holdings").

From 1/7/2025 the Chủ tịch HĐND of a commune is usually its Bí thư or its Phó Bí thư thường trực (regulations-2025.md
§1.1, §11 ``council_chair_concurrent_with``, Medium). A sitting Bí thư was no candidate for their own ward's vacant
Chủ tịch HĐND post (a post ranked below theirs): they are now proposed for it, first, said to be a concurrent
holding — and still not for another ward's (a move to a lower post). The exception is ``match.no_lower_post``'s own
(``unless``), decided by the backend; a pack in effect may set its own concurrent holdings.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import PackError
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules import match_to_dict
from cadre_rules._cli import cli
from cadre_rules.engine._durable import AVAILABLE
from cadre_rules.jobs._match import MatchResult
from cadre_rules.jobs._match import PostResult
from cadre_rules.jobs._match_formats import render_match_csv
from cadre_rules.jobs._match_formats import render_match_html
from cadre_rules.jobs._match_formats import render_match_text
from cadre_rules.jobs._match_formats import render_match_xlsx
from cadre_rules.packs._engine_match import engine_rules
from cadre_rules.packs._packs import parse_pack
from test_match_rank import _official  # (the same official of the match tests, its unit given)

PRE = date(2024, 6, 30)
POST = date(2025, 12, 31)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not AVAILABLE, reason="no durable-rules"))]
UNITS = (Unit("A", "Xã A", "commune", 1, "Huyện X"), Unit("B", "Xã B", "commune", 2, "Huyện X"))
KIEM_NHIEM = {"vi": "kiêm nhiệm", "en": "concurrent holding (kiêm nhiệm)"}


PEOPLE = [
    _official("sec-a", "party_secretary", "A"),
    _official("std-a", "standing_deputy_party_secretary", "A"),
    _official("sec-b", "party_secretary", "B"),
    _official("dep-b", "deputy_party_secretary", "B"),
    _official("vice-b", "council_vice_chair", "B"),
]


def _match(backend: str, position: str, *, unit: str = "A", as_of: date = POST, packs: list[object] | None = None,
           lang: str = "vi") -> MatchResult:
    if packs is None and as_of == PRE:
        packs = ["vn-nd33-2023", "hanoi-ke-hoach-188"]
    engine = Engine(packs, backend=backend, plugins=False, lang=lang)  # type: ignore[arg-type]
    return match_posts(engine, PEOPLE, UNITS, as_of, posts=[PostToFill(unit, position, "listed")], top=50)


def _post(result: MatchResult, key: str) -> PostResult:
    (post,) = (r for r in result.posts if r.post.key == key)
    return post


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_secretary_is_proposed_for_their_own_council_chair_as_a_concurrent_holding(backend: str) -> None:
    """The Bí thư and the Phó Bí thư thường trực of A, first, each said to be a concurrent holding; the Bí thư of B
    is still no candidate for A's post (a lower post elsewhere), nor is A's Bí thư for B's; before 1/7/2025 the
    reference says nothing of it, and no one is proposed for a lower post. The same on both backends."""
    result = _match(backend, "council_chair")
    post = _post(result, "A/council_chair")
    ids = [c.id for c in post.candidates]
    assert sorted(ids[:2]) == ["sec-a", "std-a"]
    assert sorted(ids[2:]) == ["dep-b", "vice-b"]
    assert [c.concurrent for c in post.candidates] == [True, True, False, False]
    assert all("kiêm nhiệm" in c.reasons[0] for c in post.candidates[:2])
    assert not any("kiêm nhiệm" in r for c in post.candidates[2:] for r in c.reasons)
    assert "sec-b" not in [*ids, *(m.id for m in post.near_misses)]
    doc = match_to_dict(result)
    reference = match_to_dict(_match("reference", "council_chair"))
    assert (doc.pop("backend"), reference.pop("backend")) == (backend, "reference")
    assert doc == reference
    (listed,) = (p for p in doc["posts"] if p["unit"] == "A" and p["position"] == "council_chair")
    assert [c.get("concurrent", False) for c in listed["candidates"]] == [True, True, False, False]
    other = _post(_match(backend, "council_chair", unit="B"), "B/council_chair")
    assert not {"sec-a", "std-a"} & {*(c.id for c in other.candidates), *(m.id for m in other.near_misses)}
    before = _post(_match(backend, "council_chair", as_of=PRE), "A/council_chair")
    assert not {"sec-a", "std-a", "sec-b"} & {c.id for c in before.candidates}
    assert not any(c.concurrent for c in before.candidates)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_format_says_it_is_a_concurrent_holding(tmp_path: Path, lang: str) -> None:
    """The officer reads why the Bí thư is proposed for a post below theirs: the candidate's first reason, and a
    note naming the parameter, in text, html, json and xlsx; a near miss (here: not in the planning pool) too."""
    people_result = _match("reference", "council_chair", lang=lang)
    word = KIEM_NHIEM[lang]
    text = render_match_text(people_result, lang)
    assert f"(sec-a, Xã A, {'Bí thư Đảng ủy' if lang == 'vi' else 'party_secretary'}) — " in text
    assert word in text.split("(sec-a,")[1].splitlines()[0]
    assert word in render_match_html(people_result, lang)
    notes = [n for n in people_result.notes if "council_chair_concurrent_with" in n]
    assert len(notes) == 1 and "Chỉ thị 45" in notes[0]
    out = tmp_path / "match.xlsx"
    out.write_bytes(render_match_xlsx(people_result, lang))
    book = openpyxl.load_workbook(out, read_only=True)
    rows = [row for row in book[book.sheetnames[0]].iter_rows(values_only=True) if "sec-a" in row]
    assert rows and word in str(rows[0])
    assert any("council_chair_concurrent_with" in str(r[0])
               for r in book[book.sheetnames[-1]].iter_rows(values_only=True))
    # a concurrent holder who lacks one standard is a near miss that says it too
    engine = Engine(None, backend="reference", plugins=False, lang=lang)
    unplanned = [_official("sec-a", "party_secretary", "A", in_planning=False), *PEOPLE[2:]]
    result = match_posts(engine, unplanned, UNITS, POST, posts=[PostToFill("A", "council_chair", "listed")])
    post = _post(result, "A/council_chair")
    (miss,) = (m for m in post.near_misses if m.id == "sec-a")
    assert miss.concurrent and post.near_misses[0].id == "sec-a"
    assert word in render_match_text(result, lang).split("(sec-a,")[1].splitlines()[0]
    (listed,) = (p for p in match_to_dict(result)["posts"] if p["unit"] == "A" and p["position"] == "council_chair")
    assert [m.get("concurrent") for m in listed["near_misses"] if m["id"] == "sec-a"] == [True]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_concurrent_near_miss_says_so_in_the_csv_too(lang: str) -> None:
    """The csv's near-miss row of a concurrent holding said nothing of it (json ``concurrent``, text, html and xlsx
    did): its ``reasons`` now hold the candidates' reason, in the match's language; another near miss's stay empty."""
    engine = Engine(None, backend="reference", plugins=False, lang=lang)
    unplanned = [_official("sec-a", "party_secretary", "A", in_planning=False),
                 _official("dep-b", "deputy_party_secretary", "B", in_planning=False), PEOPLE[1], PEOPLE[2],
                 PEOPLE[4]]
    result = match_posts(engine, unplanned, UNITS, POST, posts=[PostToFill("A", "council_chair", "listed")])
    rows = list(csv.DictReader(io.StringIO(render_match_csv(result).decode("utf-8-sig"))))
    near = {r["candidate_id"]: r for r in rows if r["kind"] == "near_miss" and r["position"] == "council_chair"}
    assert KIEM_NHIEM[lang] in near["sec-a"]["reasons"]
    (candidate,) = (r for r in rows if r["kind"] == "candidate" and r["candidate_id"] == "std-a"
                    and r["position"] == "council_chair")
    assert near["sec-a"]["reasons"] == candidate["reasons"].split("; ")[0]  # (the very words of a candidate's)
    assert near["dep-b"]["reasons"] == ""


def _city(tmp_path: Path, params: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text('[pack]\nid = "city"\nversion = "1"\ntitle = { vi = "Thành phố", en = "City" }\n\n[params]\n'
                    + params, encoding="utf-8")
    return path


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pack_in_effect_sets_its_own_concurrent_holdings(tmp_path: Path, backend: str) -> None:
    """``council_chair_concurrent_with = []`` in a city's pack: none expected; ``committee_chair_concurrent_with``:
    the standing deputy of A is proposed for A's Chủ tịch UBND post as a concurrent holding."""
    none = _city(tmp_path, "council_chair_concurrent_with = []\n")
    post = _post(_match(backend, "council_chair", packs=["vn-commune-2tier", none]), "A/council_chair")
    assert {c.id for c in post.candidates} == {"dep-b", "vice-b"}
    chair = _city(tmp_path, 'committee_chair_concurrent_with = ["Phó Bí thư thường trực"]\n')
    post = _post(_match(backend, "committee_chair", packs=["vn-commune-2tier", chair]), "A/committee_chair")
    concurrent = [c.id for c in post.candidates if c.concurrent]
    assert concurrent == ["std-a"] and post.candidates[0].id == "std-a"
    result = _match(backend, "committee_chair", packs=["vn-commune-2tier", chair], lang="en")
    (note,) = (n for n in result.notes if "committee_chair_concurrent_with" in n)
    assert "of pack city@1" in note and "Chỉ thị 45" not in note  # (the city's, not the default's source)


@pytest.mark.parametrize(("lang", "words"), [("vi", "có phải là"), ("en", "did you mean")])
def test_packs_validate_locates_a_misspelt_concurrent_holding(tmp_path: Path, lang: str, words: str) -> None:
    pack = _city(tmp_path, 'council_chiar_concurrent_with = ["party_secretary"]\n'
                           'committee_chair_concurrent_with = ["party_secretry"]\n')
    out = CliRunner().invoke(cli, ["--lang", lang, "packs", "validate", str(pack)])
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output
    assert "city.toml, params.council_chiar_concurrent_with: " in out.output
    assert f"{words} 'council_chair_concurrent_with'?" in out.output
    assert "city.toml, params.committee_chair_concurrent_with[0]: " in out.output
    assert f"{words} 'party_secretary'?" in out.output


def test_a_pack_rule_may_have_exceptions_decided_as_rules() -> None:
    """``unless`` in a pack's ``[[match]]``: each exception a condition of the same language, checked as the rule's
    ``require`` (located when wrong), decided by the backend as a rule of its own."""
    data: dict[str, object] = {
        "pack": {"id": "t", "version": "1", "title": {"vi": "t", "en": "t"}},
        "post_standard": [{"positions": ["committee_chair"], "education": "university"}],
        "match": [{"id": "m.local", "require": "candidate.unit != post.unit",
                   "unless": "candidate.unit == post.unit and candidate.senior_post == 'deputy_party_secretary'",
                   "lack": {"vi": "x", "en": "x"}, "cite": "x"}]}
    (rule,) = parse_pack(data).match.rules
    assert [e.id for e in rule.exceptions] == ["m.local~unless.0"]
    assert rule.fails({"m.other"}) and not rule.fails({"m.local~unless.0"}) and not rule.fails({"m.local"})
    assert [r.id for r in parse_pack(data).match.decided] == ["m.local", "m.local~unless.0"]
    data["match"][0]["unless"] = ["candidate.senior_post == 'deputy_party_secretary'"]  # type: ignore[index]
    with pytest.raises(PackError) as info:
        parse_pack(data)
    assert "match[0] (m.local).unless[0]" in str(info.value)
    rules = engine_rules({"council_chair": ("party_secretary",)}).match.rules
    assert [len(r.unless) for r in rules] == [1]
    assert engine_rules().match.rules[0].unless == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_chair_of_the_committee_and_a_deputy_secretary_are_each_others_concurrent_holding(backend: str) -> None:
    """In practice the Chủ tịch UBND is a Phó Bí thư (regulations-2025.md §1.3, High): A's Phó Bí thư is proposed
    first for A's Chủ tịch UBND post, A's Chủ tịch UBND first for its Phó Bí thư post, each a concurrent holding
    (equal ranks: only the order and the words change); B's are not, and the note gives the confidence."""
    people = [_official("dep-a", "deputy_party_secretary", "A"), _official("chair-a", "committee_chair", "A"),
              _official("dep-b", "deputy_party_secretary", "B"), _official("chair-b", "committee_chair", "B")]
    engine = Engine(None, backend=backend, plugins=False, lang="en")  # type: ignore[arg-type]
    for position, first in (("committee_chair", "dep-a"), ("deputy_party_secretary", "chair-a")):
        result = match_posts(engine, people, UNITS, POST, posts=[PostToFill("A", position, "listed")])
        post = _post(result, f"A/{position}")
        assert [c.id for c in post.candidates if c.concurrent] == [first]
        assert post.candidates[0].id == first
        (note,) = (n for n in result.notes if f"{position}_concurrent_with" in n)
        assert "confidence High" in note
