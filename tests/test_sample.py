"""The calibrated Hanoi 2022 sample (``cadre_rules.io._sample``) and its committed CSV files.

Every figure is recomputed here from the records, independently of the generator's own bookkeeping.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules import load_officials
from cadre_rules import load_units
from cadre_rules.io._sample import generate
from cadre_rules.io._sample import write_sample
from cadre_rules.model._dates import age_on
from cadre_rules.model._dates import complete_months
from cadre_rules.model._dates import retirement_date

EXAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2022"
AS_OF = date(2022, 12, 31)
KEY_POSTS = frozenset({"party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
                       "committee_chair", "committee_vice_chair", "front_chair"})
COUNCIL_POSTS = frozenset({"council_chair", "council_vice_chair"})
NON_KEY_CADRE_POSTS = frozenset({"youth_union_secretary", "women_union_chair", "farmers_union_chair",
                                 "veterans_chair"})
CIVIL_SERVANT_POSTS = frozenset({"military_commander", "office_statistics", "land_administration",
                                 "finance_accounting", "justice_civil_status", "culture_social"})
VICE_CHAIR_CAP = {1: 2, 2: 2, 3: 1}
UNIVERSITY_OR_HIGHER = frozenset({"university", "master", "doctor"})

# District -> (phường, xã, thị trấn), Hanoi at 31/12/2022.
DISTRICTS = {
    "Quận Ba Đình": (14, 0, 0), "Quận Hoàn Kiếm": (18, 0, 0), "Quận Tây Hồ": (8, 0, 0),
    "Quận Long Biên": (14, 0, 0), "Quận Cầu Giấy": (8, 0, 0), "Quận Đống Đa": (21, 0, 0),
    "Quận Hai Bà Trưng": (18, 0, 0), "Quận Hoàng Mai": (14, 0, 0), "Quận Thanh Xuân": (11, 0, 0),
    "Quận Nam Từ Liêm": (10, 0, 0), "Quận Bắc Từ Liêm": (13, 0, 0), "Quận Hà Đông": (17, 0, 0),
    "Thị xã Sơn Tây": (9, 6, 0), "Huyện Ba Vì": (0, 30, 1), "Huyện Chương Mỹ": (0, 30, 2),
    "Huyện Đan Phượng": (0, 15, 1), "Huyện Đông Anh": (0, 23, 1), "Huyện Gia Lâm": (0, 20, 2),
    "Huyện Hoài Đức": (0, 19, 1), "Huyện Mê Linh": (0, 16, 2), "Huyện Mỹ Đức": (0, 21, 1),
    "Huyện Phú Xuyên": (0, 25, 2), "Huyện Phúc Thọ": (0, 21, 1), "Huyện Quốc Oai": (0, 20, 1),
    "Huyện Sóc Sơn": (0, 25, 1), "Huyện Thạch Thất": (0, 22, 1), "Huyện Thanh Oai": (0, 20, 1),
    "Huyện Thanh Trì": (0, 15, 1), "Huyện Thường Tín": (0, 27, 1), "Huyện Ứng Hòa": (0, 28, 1),
}
FAMILY_NAMES = frozenset({
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Đào",
    "Trịnh", "Lương", "Tạ", "Mai", "Cao", "Chu", "Kiều", "Khuất", "Nghiêm", "Đoàn", "Hồ", "Huỳnh", "Võ",
})

Sample = tuple[tuple[Official, ...], tuple[Unit, ...]]


def posts(official: Official) -> set[str]:
    return {official.position, *official.concurrent_positions}


def is_key(official: Official) -> bool:
    return bool(posts(official) & KEY_POSTS)


@pytest.fixture(scope="module")
def sample() -> Sample:
    return generate()


@pytest.fixture(scope="module")
def officials(sample: Sample) -> tuple[Official, ...]:
    return sample[0]


@pytest.fixture(scope="module")
def units(sample: Sample) -> dict[str, Unit]:
    return {unit.code: unit for unit in sample[1]}


@pytest.fixture(scope="module")
def key(officials: tuple[Official, ...]) -> list[Official]:
    return [o for o in officials if is_key(o)]


def by_unit(officials: list[Official] | tuple[Official, ...]) -> dict[str, list[Official]]:
    grouped: dict[str, list[Official]] = {}
    for official in officials:
        grouped.setdefault(official.unit, []).append(official)
    return grouped


# --------------------------------------------------------------------------- the published figures


def test_units_by_kind(units: dict[str, Unit]) -> None:
    assert len(units) == 579
    assert Counter(u.kind for u in units.values()) == {"commune": 383, "ward": 175, "town": 21}


def test_units_by_district(units: dict[str, Unit]) -> None:
    counted: dict[str | None, list[int]] = {}
    for unit in units.values():
        counted.setdefault(unit.district, [0, 0, 0])[("ward", "commune", "town").index(unit.kind)] += 1
    assert {district: tuple(counts) for district, counts in counted.items()} == DISTRICTS


def test_key_officials(key: list[Official]) -> None:
    assert len(key) == 3622


def test_key_women(key: list[Official]) -> None:
    assert sum(o.gender == "female" for o in key) == 648  # 17.9 %


def test_key_under_35(key: list[Official]) -> None:
    assert sum(age_on(o.birth_date, AS_OF) < 35 for o in key) == 181  # 5.0 %


def test_key_education(key: list[Official]) -> None:
    education = Counter(o.education for o in key)
    assert sum(education[level] for level in UNIVERSITY_OR_HIGHER) == 3618  # 99.9 %
    assert education["college"] == 4
    assert education["master"] > education["doctor"] > 0
    assert education["university"] > education["master"]


def test_key_political_theory(key: list[Official]) -> None:
    theory = Counter(o.political_theory for o in key)
    assert set(theory) == {"intermediate", "advanced"}
    assert theory["advanced"] == 652  # 18 %


def test_totals_by_category(officials: tuple[Official, ...]) -> None:
    assert len(officials) == 11473
    assert Counter(o.category for o in officials) == {"cadre": 5405, "civil_servant": 6068}


# --------------------------------------------------------------------------- structure


def test_categories_by_post(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    for o in officials:
        held = posts(o)
        if held & KEY_POSTS:
            ward_committee = units[o.unit].kind == "ward" and bool(held & {"committee_chair", "committee_vice_chair"})
            assert o.category == ("civil_servant" if ward_committee else "cadre"), o.id
        elif o.position in NON_KEY_CADRE_POSTS:
            assert o.category == "cadre", o.id
        else:
            assert o.position in CIVIL_SERVANT_POSTS, o.id
            assert o.category == "civil_servant", o.id


def test_unique_ids(officials: tuple[Official, ...]) -> None:
    assert len({o.id for o in officials}) == len(officials)


def test_sorted_by_unit_then_id(sample: Sample) -> None:
    officials, units = sample
    assert [(o.unit, o.id) for o in officials] == sorted((o.unit, o.id) for o in officials)
    assert [u.code for u in units] == sorted(u.code for u in units)


def test_every_official_in_a_known_unit(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    assert {o.unit for o in officials} == set(units)


def test_unit_codes_and_names(units: dict[str, Unit]) -> None:
    prefixes = {"ward": "Phường ", "commune": "Xã ", "town": "Thị trấn "}
    names: Counter[tuple[str | None, str]] = Counter()
    for unit in units.values():
        assert re.fullmatch(r"HN-[A-Z]+-[0-9]{2}", unit.code), unit.code
        assert unit.name.startswith(prefixes[unit.kind])
        assert unit.name == unicodedata.normalize("NFC", unit.name)
        assert unit.unit_class in (1, 2, 3)
        names[unit.district, unit.name.removeprefix(prefixes[unit.kind])] += 1
    assert max(names.values()) == 1  # names unique within a district


def test_class_1_more_common_in_urban_districts(units: dict[str, Unit]) -> None:
    def share(selected: list[Unit]) -> float:
        return sum(u.unit_class == 1 for u in selected) / len(selected)

    urban = [u for u in units.values() if (u.district or "").startswith("Quận")]
    rural = [u for u in units.values() if (u.district or "").startswith("Huyện")]
    assert share(urban) > share(rural)


def test_only_wards_lack_a_council(units: dict[str, Unit]) -> None:
    assert all(u.has_council == (u.kind != "ward") for u in units.values())


def test_no_council_posts_in_wards(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    assert not [o.id for o in officials if units[o.unit].kind == "ward" and posts(o) & COUNCIL_POSTS]


def test_farmers_union_only_outside_wards(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    farmers = {o.unit for o in officials if "farmers_union_chair" in posts(o)}
    assert farmers == {code for code, u in units.items() if u.kind != "ward"}


def test_vice_chairs_within_cap(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    for code, members in by_unit(officials).items():
        vice_chairs = sum("committee_vice_chair" in posts(o) for o in members)
        assert vice_chairs <= VICE_CHAIR_CAP[units[code].unit_class], code


def test_single_holders(officials: tuple[Official, ...]) -> None:
    for code, members in by_unit(officials).items():
        held = Counter(post for o in members for post in posts(o))
        for post in ("party_secretary", "council_chair", "council_vice_chair", "committee_chair", "front_chair",
                     *NON_KEY_CADRE_POSTS):
            assert held[post] <= 1, (code, post)
        assert held["deputy_party_secretary"] <= 2, code


def test_a_few_vacancies(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    vacant: dict[str, list[str]] = {}
    for code, members in by_unit(officials).items():
        required = KEY_POSTS if units[code].has_council else KEY_POSTS - COUNCIL_POSTS
        missing = required - {post for o in members for post in posts(o)}
        if missing:
            vacant[code] = sorted(missing)
    assert 10 <= len(vacant) <= 15
    assert all(len(missing) == 1 for missing in vacant.values())


def test_nobody_past_retirement_age(officials: tuple[Official, ...]) -> None:
    assert not [o.id for o in officials if retirement_date(o.birth_date, o.gender) <= AS_OF]


def test_ages(officials: tuple[Official, ...], key: list[Official]) -> None:
    assert all(25 <= age_on(o.birth_date, AS_OF) <= 59 for o in key)
    assert all(age_on(o.birth_date, AS_OF) >= 22 for o in officials)


def test_appointments(officials: tuple[Official, ...], key: list[Official]) -> None:
    for o in officials:
        assert o.appointed_on is not None
        assert age_on(o.birth_date, o.appointed_on) >= 21, o.id
        assert o.appointed_on <= AS_OF
    recent = sum(o.appointed_on is not None and 2020 <= o.appointed_on.year <= 2021 for o in key)
    assert recent / len(key) > 0.6


def test_standing_committees(officials: tuple[Official, ...]) -> None:
    with_woman = 0
    for code, members in by_unit(officials).items():
        standing = [o for o in members if o.standing_committee]
        assert 3 <= len(standing) <= 5, code
        leaders = {"party_secretary", "deputy_party_secretary", "committee_chair"}
        assert all(o.standing_committee for o in members if posts(o) & leaders), code
        assert all(is_key(o) for o in standing), code
        with_woman += any(o.gender == "female" for o in standing)
    assert 0 < with_woman < len(by_unit(officials))


def test_names(officials: tuple[Official, ...]) -> None:
    for o in officials:
        assert o.full_name == unicodedata.normalize("NFC", o.full_name)
        words = o.full_name.split()
        assert len(words) == 3
        assert words[0] in FAMILY_NAMES
        assert (words[1] == "Thị") <= (o.gender == "female")
    assert {"Vũ Đức Bảo", "Nguyễn Văn Phong"}.isdisjoint(o.full_name for o in officials)


def test_women_union_chairs_mostly_women(officials: tuple[Official, ...]) -> None:
    chairs = [o for o in officials if o.position == "women_union_chair"]
    assert sum(o.gender == "female" for o in chairs) / len(chairs) > 0.9


def test_education_and_fields(officials: tuple[Official, ...], units: dict[str, Unit]) -> None:
    assert sum(o.general_education == "upper_secondary" for o in officials) / len(officials) > 0.99
    assert all(o.field_of_study for o in officials)
    fields = Counter(o.field_of_study for o in officials if is_key(o) and units[o.unit].kind == "ward")
    assert fields["Quy hoạch đô thị"] + fields["Kiến trúc"] < fields["Luật"] / 5


# --------------------------------------------------------------------------- what the rules look for


def test_ratings(officials: tuple[Official, ...]) -> None:
    ratings = Counter(rating for o in officials for _, rating in o.ratings)
    assert ratings["good"] > ratings["excellent"] > ratings["completed"] > ratings["not_completed"] > 0
    two_years = [o for o in officials if dict(o.ratings).get(2021) == dict(o.ratings).get(2022) == "not_completed"]
    assert 3 <= len(two_years) <= 7
    assert all(o.ratings and o.ratings[-1][0] == 2022 for o in two_years)


def test_disciplines(officials: tuple[Official, ...]) -> None:
    entries = [entry for o in officials for entry in o.discipline]
    assert 5 <= len(entries) <= 15
    assert all(2021 <= when.year <= 2022 and form in ("reprimand", "warning") for when, form in entries)


def test_low_confidence(officials: tuple[Official, ...]) -> None:
    shares = [o.low_confidence_share for o in officials if o.low_confidence_share is not None]
    assert 0.005 < len(shares) / len(officials) < 0.02
    assert 1 <= sum(share > Fraction(2, 3) for share in shares) <= 3


def test_secondments(officials: tuple[Official, ...]) -> None:
    seconded = [o for o in officials if o.secondment_since is not None]
    assert 15 <= len(seconded) <= 25
    assert 1 <= sum(o.category == "cadre" for o in seconded) <= 2
    assert sum(o.secondment_since is not None and complete_months(o.secondment_since, AS_OF) > 36
               for o in seconded) >= 2


def test_flags(officials: tuple[Official, ...]) -> None:
    assert 2 <= sum(o.under_investigation for o in officials) <= 3
    assert 0.75 <= sum(o.is_local is True for o in officials) / len(officials) <= 0.85
    assert 0.2 <= sum(o.in_planning for o in officials) / len(officials) <= 0.3


# --------------------------------------------------------------------------- files and seeds


def test_committed_csv_is_up_to_date(tmp_path: Path) -> None:
    officials_path, units_path = write_sample(tmp_path / "fresh")
    assert (officials_path.name, units_path.name) == ("officials.csv", "units.csv")
    assert officials_path.read_bytes() == (EXAMPLE / "officials.csv").read_bytes()
    assert units_path.read_bytes() == (EXAMPLE / "units.csv").read_bytes()


def test_committed_csv_reads_back(sample: Sample) -> None:
    units = load_units(EXAMPLE / "units.csv")
    officials = load_officials(EXAMPLE / "officials.csv", units={u.code: u for u in units})
    assert (officials, units) == sample


def test_other_seeds_reproduce_the_figures(sample: Sample) -> None:
    officials, units = generate(seed=7)
    key = [o for o in officials if is_key(o)]
    assert (len(officials), len(units), len(key)) == (11473, 579, 3622)
    assert Counter(o.category for o in officials) == {"cadre": 5405, "civil_servant": 6068}
    assert sum(o.gender == "female" for o in key) == 648
    assert sum(age_on(o.birth_date, AS_OF) < 35 for o in key) == 181
    assert sum(o.political_theory == "advanced" for o in key) == 652
    assert sum(o.education == "college" for o in key) == 4
    assert officials != sample[0]
