"""The calibrated Hanoi 2025 sample: the two-tier city of 126 communes and wards, synthetic officials.

The structure is the published one (domain/regulations-2025.md §1, §7): 126 units directly under the
city (51 phường, 75 xã; NQ 1656/NQ-UBTVQH15), no district, an HĐND in every unit, 375 key officials
counted as Hanoi did on 30/6/2025 (Bí thư, Chủ tịch UBND, Chủ tịch UBMTTQ; 3 Bí thư also Chủ tịch UBND),
and 9,536 cadres and civil servants arranged for the new units. The shares of women and young among key
officials were not published: the values here are chosen (see ``examples/hanoi-2025/README.md``).

Everything about people (names, dates, careers, ratings) is invented: no real person's data. The data
depends only on the seed, through one :class:`random.Random`; the same seed gives byte-identical files.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from ..model._dates import add_months
from ..model._dates import age_on
from ..model._dates import retirement_date
from ..model._model import Official
from ..model._model import Unit
from ._sample import _Gen
from ._sample import write_records

__all__ = ["AS_OF_2025", "CORE3", "EXTENDED", "UNITS_2025", "generate_2025", "write_sample_2025"]

#: The date the sample describes.
AS_OF_2025 = date(2025, 12, 31)
#: The day the two-tier units started (NQ 1656/NQ-UBTVQH15; Luật 72/2025/QH15).
_REFORM = date(2025, 7, 1)

#: The key-position sets of the packs (regulations-2025.md §1.6).
EXTENDED = ("party_secretary", "standing_deputy_party_secretary", "deputy_party_secretary", "council_chair",
            "council_vice_chair", "committee_chair", "committee_vice_chair", "front_chair")
CORE3 = ("party_secretary", "committee_chair", "front_chair")

# Hanoi's 126 units from 1/7/2025 (regulations-2025.md §7): registry code and name.
_WARDS = (
    "00004 Ba Đình;00008 Ngọc Hà;00025 Giảng Võ;00070 Hoàn Kiếm;00082 Cửa Nam;00091 Phú Thượng;00097 Hồng Hà;"
    "00103 Tây Hồ;00118 Bồ Đề;00127 Việt Hưng;00136 Phúc Lợi;00145 Long Biên;00160 Nghĩa Đô;00166 Cầu Giấy;"
    "00175 Yên Hòa;00190 Ô Chợ Dừa;00199 Láng;00226 Văn Miếu - Quốc Tử Giám;00229 Kim Liên;00235 Đống Đa;"
    "00256 Hai Bà Trưng;00283 Vĩnh Tuy;00292 Bạch Mai;00301 Vĩnh Hưng;00316 Định Công;00322 Tương Mai;"
    "00328 Lĩnh Nam;00331 Hoàng Mai;00337 Hoàng Liệt;00340 Yên Sở;00352 Phương Liệt;00364 Khương Đình;"
    "00367 Thanh Xuân;00592 Từ Liêm;00598 Thượng Cát;00602 Đông Ngạc;00611 Xuân Đỉnh;00613 Tây Tựu;"
    "00619 Phú Diễn;00622 Xuân Phương;00634 Tây Mỗ;00637 Đại Mỗ;00643 Thanh Liệt;09552 Kiến Hưng;"
    "09556 Hà Đông;09562 Yên Nghĩa;09568 Phú Lương;09574 Sơn Tây;09604 Tùng Thiện;09886 Dương Nội;"
    "10015 Chương Mỹ"
)
_COMMUNES = (
    "00376 Sóc Sơn;00382 Kim Anh;00385 Trung Giã;00430 Đa Phúc;00433 Nội Bài;00454 Đông Anh;00466 Phúc Thịnh;"
    "00475 Thư Lâm;00493 Thiên Lộc;00508 Vĩnh Thanh;00541 Phù Đổng;00562 Thuận An;00565 Gia Lâm;"
    "00577 Bát Tràng;00640 Thanh Trì;00664 Đại Thanh;00679 Ngọc Hồi;00685 Nam Phù;04930 Yên Xuân;"
    "08974 Quang Minh;08980 Yên Lãng;08995 Tiến Thắng;09022 Mê Linh;09616 Đoài Phương;09619 Quảng Oai;"
    "09634 Cổ Đô;09661 Minh Châu;09664 Vật Lại;09676 Bất Bạt;09694 Suối Hai;09700 Ba Vì;09706 Yên Bài;"
    "09715 Phúc Thọ;09739 Phúc Lộc;09772 Hát Môn;09784 Đan Phượng;09787 Liên Minh;09817 Ô Diên;09832 Hoài Đức;"
    "09856 Dương Hòa;09871 Sơn Đồng;09877 An Khánh;09895 Quốc Oai;09910 Kiều Phú;09931 Hưng Đạo;09952 Phú Cát;"
    "09955 Thạch Thất;09982 Hạ Bằng;09988 Hòa Lạc;10003 Tây Phương;10030 Phú Nghĩa;10045 Xuân Mai;"
    "10072 Quảng Bị;10081 Trần Phú;10096 Hòa Phú;10114 Thanh Oai;10126 Bình Minh;10144 Tam Hưng;10180 Dân Hòa;"
    "10183 Thường Tín;10210 Hồng Vân;10231 Thượng Phúc;10237 Chương Dương;10273 Phú Xuyên;10279 Phượng Dực;"
    "10330 Chuyên Mỹ;10342 Đại Xuyên;10354 Vân Đình;10369 Ứng Thiên;10402 Ứng Hòa;10417 Hòa Xá;10441 Mỹ Đức;"
    "10459 Phúc Sơn;10465 Hồng Sơn;10489 Hương Sơn"
)


def _parse_units() -> tuple[tuple[str, str, str], ...]:
    out = []
    for kind, spec in (("ward", _WARDS), ("commune", _COMMUNES)):
        for item in spec.split(";"):
            code, _, name = item.partition(" ")
            out.append((code, name, kind))
    return tuple(out)


#: (registry code, name, kind) of the 126 units.
UNITS_2025 = _parse_units()

# Published (regulations-2025.md §7): 126 units, 375 key officials (core3), 9,536 cadres and civil servants.
_OFFICIALS = 9536
_SECRETARY_CHAIRS = 3  # units whose Bí thư is also Chủ tịch UBND: 3 × 126 − 375
# Not published: chosen to look plausible for merged communes, and written in the README.
_COMMITTEE_VICE_CHAIRS = 330  # 2.62 a unit: above NĐ 300's 2.5 average (315), surplus tolerated (KL 150)
_TWO_COUNCIL_VICE_CHAIRS = 2  # units still with two Phó Chủ tịch HĐND after the merger
_KEY_WOMEN_SHARE, _KEY_YOUNG_SHARE = 0.19, 0.045  # of the extended set
_NO_WOMAN_STANDING = 4  # units whose standing committee has no woman
_COLLEGE, _LOW_THEORY_CHAIRS, _ADVANCED_HEADS = 2, 3, 0.7
_CIVIL_NOT_COMPLETED, _CADRE_TWO_YEARS, _LOW_CONFIDENCE_HIGH, _LOW_CONFIDENCE_BAND = 6, 2, 2, 3
_SECONDMENTS, _LONG_SECONDMENTS = 5, 1
# Front vice chairs head the đoàn thể (QĐ 301-QĐ/TW, HD 31-HD/BTCTW): the organisation is a concurrent post.
_FRONT_HEADS = ("youth_union_secretary", "women_union_chair", "farmers_union_chair", "veterans_chair")
# Roles of the leaders outside the key set: front vice chairs, office, phòng and public-service centre.
_MANAGERS = ("fvc", "office", "dept", "ppsc", "deputy")


@dataclasses.dataclass
class _Person:
    unit: Unit
    role: str
    position: str
    concurrent: tuple[str, ...] = ()
    category: str = "cadre"
    gender: str = "male"
    birth: date = AS_OF_2025
    education: str = "university"
    theory: str = "intermediate"
    general: str = "upper_secondary"
    appointed: date = _REFORM
    standing: bool = False
    ratings: dict[int, str] = dataclasses.field(default_factory=dict)
    low_confidence: Fraction | None = None
    secondment: date | None = None
    local: bool = True

    @property
    def posts(self) -> tuple[str, ...]:
        return (self.position, *self.concurrent)

    def holds(self, codes: tuple[str, ...]) -> bool:
        return any(p in codes for p in self.posts)


def _birth(g: _Gen, gender: str, low: int, spread: int) -> date:
    """A birth date for an age of ``low`` plus two draws of ``0..spread``, before retirement on AS_OF_2025."""
    while True:
        age = low + g.rng.randint(0, spread) + g.rng.randint(0, spread)
        year = AS_OF_2025.year - age
        born = g.day(date(year, 1, 1), date(year, 12, 31))
        if retirement_date(born, gender) > AS_OF_2025 + timedelta(days=92):
            return born


def _units(g: _Gen) -> list[Unit]:
    # The new units have not been reclassified (§7); the input contract asks for a class: 1 for phường,
    # 1 or 2 for xã, read by no post-reform rule.
    return [Unit(code, ("Phường " if kind == "ward" else "Xã ") + name, kind,
                 1 if kind == "ward" else g.rng.choice((1, 1, 2)), None, has_council=True)
            for code, name, kind in UNITS_2025]


def _leaders(g: _Gen, units: list[Unit]) -> list[list[_Person]]:
    """The elected and appointed leaders of each unit: party, council, committee, front."""
    secretary_chairs = set(g.rng.sample(range(len(units)), _SECRETARY_CHAIRS))
    two_cvc = set(g.rng.sample(range(len(units)), _TWO_COUNCIL_VICE_CHAIRS))
    kvc = [2] * len(units)
    for i in g.rng.sample(range(len(units)), _COMMITTEE_VICE_CHAIRS - 2 * len(units)):
        kvc[i] += 1
    out = []
    for i, unit in enumerate(units):
        people = []
        mode = g.rng.choices(("ps", "sdps", "separate"), weights=(70, 25, 5))[0]
        chair = i in secretary_chairs
        ps_posts = (("council_chair",) if mode == "ps" else ()) + (("committee_chair",) if chair else ())
        people.append(_Person(unit, "ps", "party_secretary", ps_posts, standing=True))
        people.append(_Person(unit, "sdps", "standing_deputy_party_secretary",
                              ("council_chair",) if mode == "sdps" else (), standing=True))
        if mode == "separate":
            people.append(_Person(unit, "cc", "council_chair", standing=True))
        if chair:  # the Bí thư chairs the committee: the second Phó Bí thư is a committee vice chair
            people.append(_Person(unit, "kvc", "committee_vice_chair", ("deputy_party_secretary",), standing=True))
        else:
            people.append(_Person(unit, "kc", "committee_chair", ("deputy_party_secretary",), standing=True))
        people += [_Person(unit, "cvc", "council_vice_chair") for _ in range(2 if i in two_cvc else 1)]
        people += [_Person(unit, "kvc", "committee_vice_chair") for _ in range(kvc[i] - chair)]
        people.append(_Person(unit, "fc", "front_chair"))
        for head in _FRONT_HEADS:
            if unit.kind == "commune" or head != "farmers_union_chair":
                people.append(_Person(unit, "fvc", "front_vice_chair", (head,)))
        out.append(people)
    return out


def _staff(g: _Gen, units: list[Unit], leaders: list[list[_Person]]) -> None:
    """Civil servants of the committee: military, office, phòng, public-service centre, professionals."""
    for unit, people in zip(units, leaders, strict=True):
        staff = [_Person(unit, "mil", "military_commander", category="civil_servant"),
                 _Person(unit, "office", "office_chief", category="civil_servant"),
                 _Person(unit, "dept", "department_head", category="civil_servant"),
                 _Person(unit, "dept", "department_head", category="civil_servant"),
                 _Person(unit, "ppsc", "ppsc_director", category="civil_servant")]
        staff += [_Person(unit, "deputy", "department_deputy", category="civil_servant")
                  for _ in range(g.rng.choice((4, 5, 5, 6)))]
        people.extend(staff)
    rest = _OFFICIALS - sum(len(p) for p in leaders)
    weights = [1.4 if u.kind == "ward" else 1.0 for u in units]
    counts = [0] * len(units)
    for i in g.rng.choices(range(len(units)), weights=weights, k=rest):
        counts[i] += 1
    for unit, people, count in zip(units, leaders, counts, strict=True):
        people.extend(_Person(unit, "pro", "other", category="civil_servant") for _ in range(count))


def _attributes(g: _Gen, everyone: list[_Person]) -> None:
    key = [p for p in everyone if p.holds(EXTENDED)]
    for p in g.rng.sample(key, round(_KEY_WOMEN_SHARE * len(key))):
        p.gender = "female"
    young = set(map(id, g.rng.sample([p for p in key if p.role not in ("ps", "kc", "sdps")],
                                     round(_KEY_YOUNG_SHARE * len(key)))))
    for p in everyone:
        if id(p) in young:
            p.birth = _birth(g, p.gender, 28, 3)  # 28..34
        elif p.holds(EXTENDED):
            senior = p.role in ("ps", "kc", "sdps", "cc")
            p.birth = _birth(g, p.gender, 40 if senior else 36, 8 if p.gender == "female" else 10)
        else:
            if p.role != "fvc" or p.concurrent != ("women_union_chair",):
                p.gender = "female" if g.chance(22 if p.role in ("fvc", "mil") else 48) else "male"
            else:
                p.gender = "female"
            low, spread = {"fvc": (30, 10), "mil": (33, 9)}.get(p.role, (25, 13))
            p.birth = _birth(g, p.gender, low, spread)
        if p.holds(EXTENDED) or p.role in _MANAGERS:
            p.theory = "intermediate"
            if p.role in ("ps", "kc", "sdps") and g.chance(_ADVANCED_HEADS * 100):
                p.theory = "advanced"
            p.education = "master" if g.chance(25 if p.holds(EXTENDED) else 15) else "university"
        else:
            roll = g.rng.random() * 100
            p.education = "master" if roll < 8 else "college" if roll < 12 else "university"
            p.theory = "elementary" if g.chance(30) else "intermediate" if g.chance(70) else "none"
        p.local = g.chance(12 if p.role == "ps" else 65)
    # a few who do not meet the standards of their posts
    for p in g.rng.sample([p for p in key if p.role in ("kvc", "cvc")], _COLLEGE):
        p.education = "college"
    for p in g.rng.sample([p for p in key if p.role == "kvc" and p.education != "college"], _LOW_THEORY_CHAIRS):
        p.theory = "elementary"


def _appointed(g: _Gen, p: _Person) -> date:
    if p.holds(EXTENDED) or p.role in _MANAGERS:
        # appointed with the new unit on 1/7/2025; a few later (replacements, Party congresses)
        return _REFORM if g.chance(80) else g.day(date(2025, 7, 2), date(2025, 11, 30))
    # civil servants: assigned a job position of the new commune on 1/7/2025; some kept an older one
    when = g.day(date(2019, 1, 1), date(2025, 6, 30)) if g.chance(12) else _REFORM
    adult = add_months(p.birth, 22 * 12)
    return max(when, adult)


def _histories(g: _Gen, everyone: list[_Person]) -> None:
    for p in everyone:
        p.appointed = _appointed(g, p)
        for year in (2023, 2024, 2025):
            p.ratings[year] = g.rng.choices(("excellent", "good", "completed"), weights=(16, 70, 14))[0]
    civil = [p for p in everyone if p.category == "civil_servant" and p.role == "pro"]
    for p in g.rng.sample(civil, _CIVIL_NOT_COMPLETED):
        p.ratings[2025] = "not_completed"
    cadres = [p for p in everyone if p.category == "cadre" and p.role in ("cvc", "kvc", "fvc")]
    for p in g.rng.sample(cadres, _CADRE_TWO_YEARS):
        p.ratings.update({2024: "not_completed", 2025: "not_completed"})
    voted = [p for p in everyone if p.role in ("kvc", "cvc") and p.ratings[2025] != "not_completed"]
    picked = g.rng.sample(voted, 40)
    for n, p in enumerate(picked):
        if n < _LOW_CONFIDENCE_HIGH:
            p.low_confidence = Fraction(g.rng.randint(680, 760), 1000)
        elif n < _LOW_CONFIDENCE_HIGH + _LOW_CONFIDENCE_BAND:
            p.low_confidence = Fraction(g.rng.randint(520, 640), 1000)
        else:
            p.low_confidence = Fraction(g.rng.randint(10, 380), 1000)
    pros = [p for p in everyone if p.role == "pro" and p.appointed < date(2022, 1, 1)]
    for n, p in enumerate(g.rng.sample(pros, _SECONDMENTS)):
        start = (date(2022, 3, 1), date(2022, 10, 31)) if n < _LONG_SECONDMENTS else (date(2024, 3, 1),
                                                                                    date(2025, 10, 31))
        p.secondment = g.day(*start)


def _standing(g: _Gen, units: list[Unit], leaders: list[list[_Person]]) -> None:
    """Standing committees of 9–11 (§1.1): the heads, then others; a few without a woman."""
    no_woman = set(g.rng.sample(range(len(units)), _NO_WOMAN_STANDING))
    for i, people in enumerate(leaders):
        size = g.rng.choice((9, 10, 11))
        others = [p for p in people if not p.standing and p.role in ("cvc", "kvc", "fc", "mil", "office")]
        g.rng.shuffle(others)
        for p in others:
            if sum(q.standing for q in people) >= size:
                break
            p.standing = True
        members = [p for p in people if p.standing]
        if i in no_woman:
            for p in members:
                p.gender = "male"
        elif not any(p.gender == "female" for p in members):
            g.rng.choice([p for p in members if p.role not in ("ps",)]).gender = "female"


def _official(g: _Gen, p: _Person, ident: str) -> Official:
    field = g.pick(g.key_fields["urban" if p.unit.kind == "ward" else "rural"])
    leader = p.holds(EXTENDED) or p.role in _MANAGERS
    planning = leader and g.chance(40 if age_on(p.birth, AS_OF_2025) < 45 else 12)
    return Official(
        id=ident, full_name=g.name(p.gender), gender=p.gender, birth_date=p.birth, unit=p.unit.code,
        position=p.position, education=p.education, political_theory=p.theory, concurrent_positions=p.concurrent,
        category=p.category, standing_committee=p.standing, general_education=p.general, field_of_study=field,
        appointed_on=p.appointed, in_planning=planning, ratings=tuple(sorted(p.ratings.items())),
        low_confidence_share=p.low_confidence, secondment_since=p.secondment, is_local=p.local,
    )


def generate_2025(seed: int = 2025) -> tuple[tuple[Official, ...], tuple[Unit, ...]]:
    """The calibrated 2025 sample for ``seed``: officials sorted by unit code then id, units by code."""
    g = _Gen(seed)
    units = _units(g)
    leaders = _leaders(g, units)
    _staff(g, units, leaders)
    everyone = [p for people in leaders for p in people]
    _attributes(g, everyone)
    _histories(g, everyone)
    _standing(g, units, leaders)
    officials = [_official(g, p, f"HN{p.unit.code}-{n:03d}")
                 for people in leaders for n, p in enumerate(people, start=1)]
    officials.sort(key=lambda o: (o.unit, o.id))
    units.sort(key=lambda u: u.code)
    return tuple(officials), tuple(units)


def write_sample_2025(directory: Path, seed: int = 2025) -> tuple[Path, Path]:
    """Write ``officials.csv`` and ``units.csv`` of :func:`generate_2025` into ``directory``."""
    return write_records(directory, *generate_2025(seed))
