"""cadre-rules match: no one is proposed for a post ranked below a post they hold (docs/match.md, "Rank of a post").

A sitting Bí thư is no candidate for a Phó Bí thư post elsewhere: rotation (luân chuyển) is to an equivalent or
higher post (QĐ 65-QĐ/TW Điều 4). Equal-rank moves stay proposed. The rank is the position catalogue's
(``POSITION_RANK``), the rule the engine's own (``match.no_lower_post``), decided on pair facts by both backends.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules import match_to_dict
from cadre_rules._cli import cli
from cadre_rules.engine._durable import AVAILABLE
from cadre_rules.jobs._match import MatchResult
from cadre_rules.jobs._match import PostResult
from cadre_rules.jobs._match import _Layout
from cadre_rules.jobs._match import candidate_values
from cadre_rules.jobs._match_formats import render_match_html
from cadre_rules.jobs._match_formats import render_match_json
from cadre_rules.jobs._match_formats import render_match_text
from cadre_rules.jobs._match_formats import render_match_xlsx
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import POSITION_RANK
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import OfficialContext
from cadre_rules.packs._engine_match import engine_rules
from cadre_rules.packs._match_rules import holds
from cadre_rules.packs._packs import parse_pack

PRE = date(2024, 6, 30)
POST = date(2025, 12, 31)
PRE_PACKS = ["vn-nd33-2023", "hanoi-ke-hoach-188"]
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not AVAILABLE, reason="no durable-rules"))]
UNITS = (Unit("A", "Xã A", "commune", 1, "Huyện X"), Unit("B", "Xã B", "commune", 2, "Huyện X"),
         Unit("C", "Xã C", "commune", 2, "Huyện X"))


def _official(ident: str, position: str, unit: str = "B", **kw: object) -> Official:
    fields: dict[str, object] = dict(
        id=ident, full_name=f"Người {ident}", gender="male", birth_date=date(1980, 5, 1), unit=unit,
        position=position, education="university", political_theory="advanced",
        general_education="upper_secondary", in_planning=True,
        ratings=((2022, "good"), (2023, "excellent"), (2024, "good"), (2025, "good")))
    fields.update(kw)
    return Official(**fields)  # type: ignore[arg-type]


PEOPLE = [
    _official("secretary", "party_secretary"),                                     # rank 3
    _official("chair-secretary", "council_chair", "C", concurrent_positions=("party_secretary",)),  # 3, by a post held
    _official("deputy", "deputy_party_secretary", "C"),                            # 2
    _official("vice", "committee_vice_chair"),                                     # 1
    _official("clerk", "office_statistics", "C"),                                  # 0
]


def _match(backend: str, as_of: date, position: str, people: list[Official] = PEOPLE,
           lang: str = "vi") -> MatchResult:
    engine = Engine(PRE_PACKS if as_of == PRE else None, backend=backend, plugins=False,  # type: ignore[arg-type]
                    lang=lang)
    return match_posts(engine, people, UNITS, as_of, posts=[PostToFill("A", position, "listed")], top=50)


def _post(result: MatchResult, position: str) -> PostResult:
    """The post of A asked for (from 2025-07-01 the packs also find the three units' vacancies)."""
    (post,) = (r for r in result.posts if r.post.key == f"A/{position}")
    return post


def _shown(result: MatchResult, position: str) -> tuple[list[str], list[str]]:
    post = _post(result, position)
    return [c.id for c in post.candidates], [m.id for m in post.near_misses]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("as_of", [PRE, POST])
def test_a_sitting_secretary_is_not_proposed_for_a_deputy_post(backend: str, as_of: date) -> None:
    """The Bí thư of another commune (and one who holds Bí thư with Chủ tịch HĐND) is neither a candidate nor a
    near miss for a Phó Bí thư post; the Phó Bí thư of another commune (equal rank), a Phó Chủ tịch UBND (a step
    up) and a civil servant are proposed. The same on both backends, and whatever the order of the input."""
    result = _match(backend, as_of, "deputy_party_secretary")
    candidates, near = _shown(result, "deputy_party_secretary")
    assert sorted(candidates) == ["clerk", "deputy", "vice"]
    assert not {"secretary", "chair-secretary"} & {*candidates, *near}
    assert _post(result, "deputy_party_secretary").eligible == 3
    again = _match(backend, as_of, "deputy_party_secretary", list(reversed(PEOPLE)))
    assert render_match_json(result) == render_match_json(again)
    reference = match_to_dict(_match("reference", as_of, "deputy_party_secretary"))
    doc = match_to_dict(result)
    assert (doc.pop("backend"), reference.pop("backend")) == (backend, "reference")
    assert doc == reference


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("as_of", [PRE, POST])
def test_equal_rank_moves_stay_proposed_and_lower_posts_do_not(backend: str, as_of: date) -> None:
    """For each tier's post, exactly those holding no post above it: Bí thư of B → Bí thư of A is rotation
    (proposed), as is everyone below it (a promotion); a Phó Chủ tịch UBND post takes neither a Bí thư nor a Phó
    Bí thư, only its equal and the unranked."""
    expected = {"party_secretary": ["chair-secretary", "clerk", "deputy", "secretary", "vice"],
                "deputy_party_secretary": ["clerk", "deputy", "vice"],
                "committee_vice_chair": ["clerk", "vice"]}
    got = {}
    for position in expected:
        candidates, near = _shown(_match(backend, as_of, position), position)
        got[position] = sorted([*candidates, *near])
    assert got == expected


def test_every_post_has_a_rank_and_the_ranks_are_the_tiers() -> None:
    assert set(POSITION_RANK) == set(POSITION.codes)
    tiers = {rank: sorted(code for code, r in POSITION_RANK.items() if r == rank) for rank in (4, 3, 2, 1)}
    assert tiers[4] == ["party_secretary"]
    assert tiers[3] == ["standing_deputy_party_secretary"]  # (session 17: a tier of its own, docs/match.md)
    assert tiers[2] == ["committee_chair", "council_chair", "deputy_party_secretary"]
    assert "front_chair" in tiers[1] and "committee_vice_chair" in tiers[1]
    assert POSITION_RANK["office_statistics"] == POSITION_RANK["other"] == 0


def test_the_candidate_rank_is_the_highest_post_held() -> None:
    for official, rank in zip(PEOPLE, (4, 4, 2, 1, 0), strict=True):
        ctx = OfficialContext(official, UNITS[1], POST, Calendar(POST))
        assert candidate_values(ctx, None)["post_rank"] == rank


def test_the_engine_rule_is_a_match_rule_of_the_pack_language() -> None:
    (rule,) = engine_rules().match.rules
    assert (rule.id, rule.text, rule.severity) == ("match.no_lower_post", "candidate.post_rank <= post.rank", "error")
    assert rule.keys == ("c_post_rank", "p_rank")
    assert "QĐ 65-QĐ/TW" in rule.cite


def _pack(require: str) -> dict[str, object]:
    return {"pack": {"id": "t", "version": "1", "title": {"vi": "t", "en": "t"}},
            "post_standard": [{"positions": ["committee_chair"], "education": "university"}],
            "match": [{"id": "m.rank", "require": require, "lack": {"vi": "bậc {candidate.post_rank}", "en": "x"},
                       "cite": "QĐ 65"}]}


def test_a_pack_reads_the_ranks_as_typed_fields() -> None:
    """A district plugin's pack may compare the ranks itself (a step up only, say); they are whole numbers."""
    pack = parse_pack(_pack("candidate.post_rank < post.rank"))
    assert pack.match.rules[0].keys == ("c_post_rank", "p_rank")
    with pytest.raises(PackError) as info:
        parse_pack(_pack("candidate.post_rank >= post.education"))
    assert "match[0] (m.rank).require" in str(info.value)


@pytest.mark.parametrize(("lang", "note"), [
    ("vi", "không đề xuất ai vào chức danh thấp hơn chức danh người đó đang giữ"),
    ("en", "no one is proposed for a post ranked below a post they hold"),
])
def test_every_format_says_who_is_not_proposed(tmp_path: Path, lang: str, note: str) -> None:
    """The officer who misses a sitting Bí thư among the candidates reads why, in text, json, html and xlsx."""
    result = _match("reference", POST, "deputy_party_secretary", lang=lang)
    assert any(n.startswith(note) and "QĐ 65-QĐ/TW" in n for n in result.notes)
    assert note in render_match_text(result, lang)
    assert note in render_match_html(result, lang)
    assert any(n.startswith(note) for n in json.loads(render_match_json(result))["notes"])
    out = tmp_path / "match.xlsx"
    out.write_bytes(render_match_xlsx(result, lang))
    book = openpyxl.load_workbook(out, read_only=True)
    sheet = book.sheetnames[-1]
    assert sheet == ("Ghi chú" if lang == "vi" else "Notes")
    rows = [row[0] for row in book[sheet].iter_rows(values_only=True)]
    assert rows[0] == ("Ghi chú" if lang == "vi" else "Note")
    assert any(str(r).startswith(note) for r in rows[1:])


def test_the_cli_leaves_the_sitting_secretary_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.csv").write_text("code,name,kind,class\nA,Xã A,commune,1\nB,Xã B,commune,2\n", encoding="utf-8")
    (data / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory,general_education,in_planning,"
        "ratings\n"
        "S,Trần Văn Sơn,male,1978-02-03,B,Bí thư Đảng ủy,university,advanced,upper_secondary,true,2024:good;2025:good\n"
        "D,Lê Thị Mai,female,1985-02-03,B,Phó Bí thư Đảng ủy,university,advanced,upper_secondary,true,"
        "2024:good;2025:good\n", encoding="utf-8")
    posts = tmp_path / "posts.csv"
    posts.write_text("unit,position\nA,Phó Bí thư Đảng ủy\nA,Bí thư Đảng ủy\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["match", str(data), "--as-of", "2025-12-31", "--posts", str(posts),
                                   "--format", "json", "--no-plugins", "--backend", "reference"])
    assert out.exit_code == 0, out.output
    by_position = {p["position"]: [c["id"] for c in p["candidates"]] for p in json.loads(out.output)["posts"]
                   if p["unit"] == "A" and p["position"] in ("party_secretary", "deputy_party_secretary")}
    assert by_position == {"party_secretary": ["D", "S"], "deputy_party_secretary": ["D"]}


def test_classes_keep_every_comparison_of_the_ranks_and_of_one_sided_fields() -> None:
    """The ranks of the posts to fill are the cuts of ``candidate.post_rank``; a field compared only by ``<=`` (or
    only by ``>=``) takes the cut above (below) it: every comparison decides the classes as it does the values,
    and the ranks 0 and 1 are one class when no post to fill is of rank 0 (fewer buckets to decide)."""
    pack = parse_pack({
        "pack": {"id": "t", "version": "1", "title": {"vi": "t", "en": "t"}},
        "post_standard": [{"positions": ["committee_chair", "committee_vice_chair"], "education": "university",
                           "max_age": 50, "term_months": 60}],
        "match": [{"id": "m.age", "require": "post.max_age >= candidate.age and candidate.education >= post.education",
                   "lack": {"vi": "x", "en": "x"}, "cite": "x"},
                  {"id": "m.term", "require": "candidate.months_to_retirement > post.term_months",
                   "lack": {"vi": "x", "en": "x"}, "cite": "x"}]})
    sets = [pack, engine_rules()]
    for ranks in ({1, 2}, {0, 2}, {1}):
        layout = _Layout(sets, ranks)
        posts = [p for p in ("committee_chair", "committee_vice_chair") if POSITION_RANK[p] in ranks]
        for position in posts:
            post = {"p_unit": "A", "p_rank": POSITION_RANK[position],
                    **{f"p_{k}": v for k, v in pack.match.standard(position).items()}}
            pclass = layout.post_class({k[2:]: v for k, v in post.items()})
            for rank in range(4):
                for age in range(45, 56):
                    for months in range(55, 66):
                        cand = {"post_rank": rank, "age": age, "education": 3, "months_to_retirement": months}
                        actual = {f"c_{k}": v for k, v in cand.items()} | post
                        fact = layout.fact(layout.candidate_class(cand), pclass, ())
                        for rule in (r for s in sets for r in s.match.rules):
                            assert all(holds(c, actual) for c in rule.require) == \
                                all(holds(c, fact) for c in rule.require), (ranks, position, cand, rule.id)
    layout = _Layout(sets, {1, 2})
    classes = {rank: layout.candidate_class({"post_rank": rank, "age": 40, "education": 3,
                                             "months_to_retirement": 100}) for rank in range(4)}
    assert classes[0] == classes[1] != classes[2] != classes[3]
    ages = {layout.candidate_class({"post_rank": 0, "age": age, "education": 3, "months_to_retirement": 100})
            for age in range(20, 50)}
    assert len(ages) == 1  # (all at or below the one max_age, 50)
