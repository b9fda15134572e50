"""cadre-rules match: the ranks of the posts are parameters (``post_rank_N``), the standing deputy a tier of its own
(docs/match.md, "Rank of a post").

The tiers of Kết luận 35-KL/TW are the default (Medium: a summary; QĐ 368-QĐ/TW replaced it without commune tiers
found); a city sets its own in the ``[params]`` of a pack in effect, checked when the pack loads (``packs validate``,
``--param``): an unknown position code is located, with a did-you-mean, exit 2. The Phó Bí thư thường trực, second
of the committee's Thường trực and from 1/7/2025 usually the Chủ tịch HĐND too, ranks between the Bí thư and the
other Phó Bí thư (Low: an inference, a parameter).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import PostToFill
from cadre_rules import Unit
from cadre_rules import match_posts
from cadre_rules._cli import cli
from cadre_rules.engine._durable import AVAILABLE
from cadre_rules.jobs._match import MatchResult
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import POSITION_RANK
from cadre_rules.packs import _engine_match
from cadre_rules.packs._packs import parse_pack

POST = date(2025, 12, 31)
BACKENDS = ["reference", pytest.param("durable", marks=pytest.mark.skipif(not AVAILABLE, reason="no durable-rules"))]
UNITS = (Unit("A", "Xã A", "commune", 1), Unit("B", "Xã B", "commune", 2), Unit("C", "Xã C", "commune", 2))


def _official(ident: str, position: str, unit: str) -> Official:
    return Official(id=ident, full_name=f"Người {ident}", gender="male", birth_date=date(1980, 5, 1), unit=unit,
                    position=position, education="university", political_theory="advanced",
                    general_education="upper_secondary", in_planning=True,
                    ratings=((2023, "excellent"), (2024, "good"), (2025, "good")))


PEOPLE = [_official("std-b", "standing_deputy_party_secretary", "B"), _official("dep-c", "deputy_party_secretary", "C"),
          _official("chair-c", "committee_chair", "C")]


def _shown(backend: str, position: str, packs: list[object] | None = None) -> tuple[list[str], MatchResult]:
    engine = Engine(packs, backend=backend, plugins=False)  # type: ignore[arg-type]
    result = match_posts(engine, PEOPLE, UNITS, POST, posts=[PostToFill("A", position, "listed")], top=50)
    (post,) = (r for r in result.posts if r.post.key == f"A/{position}")
    return sorted([*(c.id for c in post.candidates), *(m.id for m in post.near_misses)]), result


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_standing_deputy_ranks_between_the_secretary_and_the_deputies(backend: str) -> None:
    """The Phó Bí thư thường trực of B is no candidate for A's Phó Bí thư or Chủ tịch UBND post (lower), is one for
    A's Bí thư and Phó Bí thư thường trực posts; an ordinary Phó Bí thư or Chủ tịch UBND steps up to the standing
    deputy's post."""
    assert _shown(backend, "deputy_party_secretary")[0] == ["chair-c", "dep-c"]
    assert _shown(backend, "committee_chair")[0] == ["chair-c", "dep-c"]
    assert _shown(backend, "standing_deputy_party_secretary")[0] == ["chair-c", "dep-c", "std-b"]
    assert _shown(backend, "party_secretary")[0] == ["chair-c", "dep-c", "std-b"]


def test_the_ranks_are_parameters_of_the_match_rules_with_the_tiers_as_default() -> None:
    DEFAULT_PARAMS = _engine_match.DEFAULT_PARAMS  # (looked up here: a test of its own)
    assert DEFAULT_PARAMS["post_rank_4"] == ("party_secretary",)
    assert DEFAULT_PARAMS["post_rank_3"] == ("standing_deputy_party_secretary",)
    assert set(DEFAULT_PARAMS["post_rank_2"]) == {  # type: ignore[arg-type]
        "deputy_party_secretary", "council_chair", "committee_chair"}
    ranked = {code: int(name.rsplit("_", 1)[1]) for name, codes in DEFAULT_PARAMS.items()
              if name.startswith("post_rank_") for code in codes}  # type: ignore[attr-defined]
    assert {code: ranked.get(code, 0) for code in POSITION.codes} == POSITION_RANK
    assert _engine_match.engine_rules().match.ranks == POSITION_RANK  # (the match pack's own parameters, parsed and checked)


def _city(tmp_path: Path, params: str, pack_id: str = "city") -> Path:
    path = tmp_path / f"{pack_id}.toml"
    path.write_text(f'[pack]\nid = "{pack_id}"\nversion = "1"\ntitle = {{ vi = "Thành phố", en = "City" }}\n\n'
                    f"[params]\n{params}", encoding="utf-8")
    return path


KL35 = ('post_rank_3 = ["party_secretary"]\n'
        'post_rank_2 = ["Phó Bí thư thường trực", "deputy_party_secretary", "council_chair", "committee_chair"]\n'
        'post_rank_1 = ["council_vice_chair", "committee_vice_chair", "front_chair"]\n')


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_city_sets_its_own_ranks_in_a_pack_in_effect(tmp_path: Path, backend: str) -> None:
    """A city that ranks the standing deputy as any Phó Bí thư (KL 35's three tiers, labels accepted): the standing
    deputy of B is a candidate for A's Phó Bí thư post again, and a note says whose ranks apply."""
    city = _city(tmp_path, KL35)
    shown, result = _shown(backend, "deputy_party_secretary", ["vn-commune-2tier", city])
    assert shown == ["chair-c", "dep-c", "std-b"]
    assert any("city@1" in n and "post_rank_N" in n for n in result.notes)
    assert _shown(backend, "party_secretary", ["vn-commune-2tier", city])[0] == ["chair-c", "dep-c", "std-b"]
    # --param PACK.post_rank_2=… for one run: the standing deputy out of tier 2 (unranked, 0): a candidate anywhere
    engine = Engine(["vn-commune-2tier", city], backend=backend, plugins=False,  # type: ignore[arg-type]
                    params={"city.post_rank_2": "deputy_party_secretary,council_chair,committee_chair"})
    result = match_posts(engine, PEOPLE, UNITS, POST, posts=[PostToFill("A", "council_vice_chair", "listed")])
    (post,) = (r for r in result.posts if r.post.key == "A/council_vice_chair")
    assert [c.id for c in post.candidates] == ["std-b"]


@pytest.mark.parametrize(("lang", "words"), [("vi", "có phải là"), ("en", "did you mean")])
def test_packs_validate_locates_an_unknown_code_in_the_ranks(tmp_path: Path, lang: str, words: str) -> None:
    city = _city(tmp_path, KL35.replace('"council_chair"', '"council_chiar"')
                 + 'post_rank_5 = "party_secretary"\n')
    out = CliRunner().invoke(cli, ["--lang", lang, "packs", "validate", str(city)])
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output
    assert "city.toml, params.post_rank_2[2]: " in out.output and f"{words} 'council_chair'?" in out.output
    assert "city.toml, params.post_rank_5: " in out.output  # (a list of codes, not one text)


def test_a_code_under_two_ranks_and_a_bad_param_override_are_located(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        parse_pack({"pack": {"id": "t", "version": "1", "title": {"vi": "t", "en": "t"}},
                    "params": {"post_rank_2": ["council_chair"], "post_rank_1": ["Chủ tịch HĐND"]}})
    assert "params.post_rank_1: council_chair already has a rank (params.post_rank_2)" in str(info.value)
    with pytest.raises(PackError) as info:
        Engine([_city(tmp_path, KL35)], plugins=False, params={"city.post_rank_2": "deputy_party_secretary,chair"})
    assert "params.post_rank_2[1]" in str(info.value)


def test_two_packs_in_effect_setting_different_ranks_are_refused(tmp_path: Path) -> None:
    """Which ranks apply is the city's choice, not the order of the packs: exit 2, naming both packs."""
    one = _city(tmp_path, KL35)
    two = _city(tmp_path, KL35.replace('"Phó Bí thư thường trực", ', ""), "other")  # (the standing deputy: 0)
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.csv").write_text("code,name,kind\nA,Xã A,commune\n", encoding="utf-8")
    (data / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory\n"
        "S,Trần Văn Sơn,male,1978-02-03,A,Bí thư Đảng ủy,university,advanced\n", encoding="utf-8")
    posts = tmp_path / "posts.csv"
    posts.write_text("unit,position\nA,Phó Bí thư Đảng ủy\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["--lang", "en", "match", str(data), "--as-of", "2025-12-31", "--posts", str(posts),
                                   "--pack", "vn-commune-2tier", "--pack", str(one), "--pack", str(two),
                                   "--no-plugins", "--backend", "reference"])
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output
    assert "params.post_rank_N" in out.output and "city@1" in out.output and "other@1" in out.output
