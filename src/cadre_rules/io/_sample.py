"""The calibrated Hanoi 2022 sample: synthetic officials and units that reproduce published figures.

The figures are those of the Hanoi Party Committee's conference of 16/11/2023 (Đề án 34), at
31/12/2022: 579 commune-level units (383 xã, 175 phường, 21 thị trấn) in 30 districts; 11,473
officials (5,405 cán bộ, 6,068 công chức); 3,622 key officials, of whom 648 women, 181 under 35,
3,618 with a university degree or higher (the other 4: college) and 652 with advanced political theory.

Everything else (names, dates, ratings…) is invented: no real person's data. The data depends only on
the seed, through one :class:`random.Random`; the same seed gives byte-identical CSV files.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from ..model._codes import CIVIL_SERVANT_POSTS
from ..model._dates import add_months
from ..model._dates import age_on
from ..model._dates import retirement_date
from ..model._model import Official
from ..model._model import Unit
from ._io import OFFICIAL_COLUMNS
from ._io import UNIT_COLUMNS
from ._io import official_to_row
from ._io import unit_to_row
from ._io import write_csv

__all__ = ["AS_OF", "DISTRICTS", "KEY_POSTS", "generate", "write_records", "write_sample"]

#: The date the figures describe.
AS_OF = date(2022, 12, 31)

#: The key posts (SEMANTICS.md 1; the ``key_positions`` of the Hanoi pack).
KEY_POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
             "committee_chair", "committee_vice_chair", "front_chair")

#: The 30 district-level units of Hanoi in 2022: (code, name, phường, xã, thị trấn).
DISTRICTS: tuple[tuple[str, str, int, int, int], ...] = (
    ("BADINH", "Quận Ba Đình", 14, 0, 0), ("HOANKIEM", "Quận Hoàn Kiếm", 18, 0, 0),
    ("TAYHO", "Quận Tây Hồ", 8, 0, 0), ("LONGBIEN", "Quận Long Biên", 14, 0, 0),
    ("CAUGIAY", "Quận Cầu Giấy", 8, 0, 0), ("DONGDA", "Quận Đống Đa", 21, 0, 0),
    ("HAIBATRUNG", "Quận Hai Bà Trưng", 18, 0, 0), ("HOANGMAI", "Quận Hoàng Mai", 14, 0, 0),
    ("THANHXUAN", "Quận Thanh Xuân", 11, 0, 0), ("NAMTULIEM", "Quận Nam Từ Liêm", 10, 0, 0),
    ("BACTULIEM", "Quận Bắc Từ Liêm", 13, 0, 0), ("HADONG", "Quận Hà Đông", 17, 0, 0),
    ("SONTAY", "Thị xã Sơn Tây", 9, 6, 0),
    ("BAVI", "Huyện Ba Vì", 0, 30, 1), ("CHUONGMY", "Huyện Chương Mỹ", 0, 30, 2),
    ("DANPHUONG", "Huyện Đan Phượng", 0, 15, 1), ("DONGANH", "Huyện Đông Anh", 0, 23, 1),
    ("GIALAM", "Huyện Gia Lâm", 0, 20, 2), ("HOAIDUC", "Huyện Hoài Đức", 0, 19, 1),
    ("MELINH", "Huyện Mê Linh", 0, 16, 2), ("MYDUC", "Huyện Mỹ Đức", 0, 21, 1),
    ("PHUXUYEN", "Huyện Phú Xuyên", 0, 25, 2), ("PHUCTHO", "Huyện Phúc Thọ", 0, 21, 1),
    ("QUOCOAI", "Huyện Quốc Oai", 0, 20, 1), ("SOCSON", "Huyện Sóc Sơn", 0, 25, 1),
    ("THACHTHAT", "Huyện Thạch Thất", 0, 22, 1), ("THANHOAI", "Huyện Thanh Oai", 0, 20, 1),
    ("THANHTRI", "Huyện Thanh Trì", 0, 15, 1), ("THUONGTIN", "Huyện Thường Tín", 0, 27, 1),
    ("UNGHOA", "Huyện Ứng Hòa", 0, 28, 1),
)

# The published figures.
_KEY_OFFICIALS, _KEY_WOMEN, _KEY_UNDER_35, _KEY_COLLEGE, _KEY_ADVANCED = 3622, 648, 181, 4, 652
_CADRES, _CIVIL_SERVANTS = 5405, 6068
_NON_KEY_CADRE_POSTS = ("youth_union_secretary", "women_union_chair", "farmers_union_chair", "veterans_chair")
# Not published: chosen to look plausible.
_VACANT_UNITS, _MASTERS, _DOCTORS, _LOW_CONFIDENCE, _INVESTIGATED = 12, 400, 4, 115, 3
_VICE_CHAIR_CAP = {1: 2, 2: 2, 3: 1}


def _vice_chair_cap(unit: Unit) -> int:
    """The cap of committee vice chairs of a unit of the 2022 sample (every one of them has a class)."""
    assert unit.unit_class is not None
    return _VICE_CHAIR_CAP[unit.unit_class]


def _words(text: str) -> list[str]:
    return text.split()


_SYLLABLES = _words(
    "An Bình Châu Cao Đại Đoài Đông Đồng Đức Hà Hạ Hải Hòa Hồng Hợp Hưng Khánh Kim Lạc Lâm Liên Linh Lộc "
    "Long Minh Mỹ Nam Nghĩa Ngọc Phong Phú Phúc Phương Quang Quế Sơn Tân Tây Thái Thanh Thịnh Thọ Thuận "
    "Thượng Tiến Trung Vân Văn Vạn Xuân Yên"
)
_FAMILY = ("Nguyễn:38;Trần:11;Lê:9;Phạm:7;Hoàng:5;Vũ:4;Phan:4;Đặng:2;Bùi:2;Đỗ:2;Ngô:2;Dương:1;Lý:1;Đinh:1;"
           "Đào:1;Trịnh:1;Lương:1;Tạ:1;Mai:1;Cao:1;Chu:1;Kiều:1;Khuất:1;Nghiêm:1;Đoàn:1")
_MIDDLE = {
    "male": _words("Văn Văn Văn Đức Hữu Minh Quang Công Thành Xuân Mạnh Tiến Ngọc Đình Trọng Duy Anh Quốc"),
    "female": _words("Thị Thị Thị Thị Thu Thanh Ngọc Thúy Minh Hồng Kim Bích Hải Phương Lan"),
}
_GIVEN = {
    "male": _words("Hùng Dũng Tuấn Hải Long Nam Sơn Thắng Cường Hưng Trung Quân Huy Hiếu Tùng Phong Bình Đạt Khánh "
             "Toàn Việt Hoàng Kiên Lâm Phúc Quý Tâm Thịnh Tiến Hòa Vinh Thanh Đông Chiến"),
    "female": _words("Hà Hương Lan Linh Mai Hằng Nga Thủy Trang Yến Hạnh Huyền Phương Thảo Oanh Loan Dung Liên "
               "Nhung Vân Hoa Hồng Quyên Giang Tuyết Hiền Thu Ngân Chi Dịu"),
}
_REAL_NAMES = frozenset({"Vũ Đức Bảo", "Nguyễn Văn Phong"})  # named in the source article: never generated

_KEY_FIELDS = {
    "urban": "Luật:18;Kinh tế:18;Quản lý nhà nước:16;Hành chính công:12;Tài chính – Kế toán:8;Xây dựng:6;"
             "Quản lý đô thị:4;Kiến trúc:1;Quy hoạch đô thị:1;Công nghệ thông tin:3;Quản trị kinh doanh:6;"
             "Xây dựng Đảng và chính quyền nhà nước:7",
    "rural": "Luật:15;Kinh tế:18;Quản lý nhà nước:15;Hành chính công:10;Kinh tế nông nghiệp:3;Nông học:3;"
             "Tài chính – Kế toán:8;Xây dựng:3;Du lịch:1;Quản lý đất đai:6;Sư phạm:4;"
             "Xây dựng Đảng và chính quyền nhà nước:7",
}
_CIVIL_FIELDS = {
    "military_commander": "Quân sự cơ sở:8;Luật:1;Quản lý nhà nước:1",
    "office_statistics": "Quản trị văn phòng:4;Hành chính công:4;Quản lý nhà nước:3;Thống kê:2;Kinh tế:2",
    "land_administration": "Quản lý đất đai:10;Xây dựng:3;Trắc địa:2;Môi trường:2;Quy hoạch đô thị:1;"
                           "Kiến trúc:1;Kinh tế nông nghiệp:1",
    "finance_accounting": "Tài chính – Kế toán:7;Kế toán:5;Kinh tế:2",
    "justice_civil_status": "Luật:10;Hành chính công:1",
    "culture_social": "Văn hóa:4;Công tác xã hội:4;Quản lý văn hóa:2;Du lịch:1;Sư phạm:1",
    "other": "Luật:2;Kinh tế:3;Quản lý nhà nước:3;Nông học:1;Sư phạm:2;Công tác thanh niên:2;Xã hội học:1",
}
# Per civil-servant post: weights of 1, 2 and 3 holders in a unit.
_CIVIL_COUNTS = {"military_commander": (85, 15, 0), "office_statistics": (30, 60, 10),
                 "land_administration": (25, 60, 15), "finance_accounting": (45, 50, 5),
                 "justice_civil_status": (40, 55, 5), "culture_social": (30, 60, 10)}
_FEMALE_SHARE = {"youth_union_secretary": 45, "women_union_chair": 97, "farmers_union_chair": 20,
                 "veterans_chair": 3, "military_commander": 3, "office_statistics": 60, "land_administration": 30,
                 "finance_accounting": 75, "justice_civil_status": 55, "culture_social": 55}
# Per role: weights for women, under 35, advanced theory, master, college among key officials.
_KEY_WEIGHTS = {"ps": (0.6, 0.15, 6, 2, 0), "dps": (1.2, 0.6, 3.5, 1.5, 0), "cc": (0.8, 0.2, 4, 1.5, 0),
                "kc": (0.5, 0.4, 4, 2, 0), "cvc": (1.6, 1.5, 1.2, 1, 1), "kvc": (1.3, 1.5, 1.5, 1.5, 1),
                "fc": (2.2, 0.8, 1.2, 0.6, 3)}


_Table = tuple[list[str], list[int]]
_T = TypeVar("_T")


def _table(spec: str) -> _Table:
    """``"a:3;b c:2"`` → the values and their cumulative weights."""
    values, cumulative, total = [], [], 0
    for item in spec.split(";"):
        value, _, weight = item.rpartition(":")
        values.append(value)
        total += int(weight)
        cumulative.append(total)
    return values, cumulative


class _Gen:
    """One generation run: the random stream and the helpers that draw from it."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.family = _table(_FAMILY)
        self.key_fields = {k: _table(v) for k, v in _KEY_FIELDS.items()}
        self.civil_fields = {k: _table(v) for k, v in _CIVIL_FIELDS.items()}

    def pick(self, table: _Table) -> str:
        values, cumulative = table
        return self.rng.choices(values, cum_weights=cumulative)[0]

    def chance(self, percent: float) -> bool:
        return self.rng.random() * 100 < percent

    def day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def name(self, gender: str) -> str:
        while True:
            given = self.rng.choice(_GIVEN[gender])
            middle = self.rng.choice(_MIDDLE[gender])
            name = f"{self.pick(self.family)} {middle} {given}"
            if middle != given and name not in _REAL_NAMES:
                return name

    def birth(self, gender: str, low: int, spread: int) -> date:
        """A birth date for an age of ``low`` plus two draws of ``0..spread``, before retirement on AS_OF."""
        while True:
            age = low + self.rng.randint(0, spread) + self.rng.randint(0, spread)
            year = AS_OF.year - age  # born in that year: exactly ``age`` on 31 December
            born = self.day(date(year, 1, 1), date(year, 12, 31))
            if retirement_date(born, gender) > AS_OF:
                return born

    def pick_people(self, people: Sequence[_Person], count: int, weight: Callable[[_Person], float]) -> list[int]:
        """Indices of exactly ``count`` people, each chosen with a chance roughly proportional to its weight."""
        keys = []
        for i, person in enumerate(people):
            w, u = weight(person), self.rng.random()
            if w > 0:
                keys.append((u / w, i))
        if len(keys) < count:
            raise AssertionError(f"only {len(keys)} candidates for {count}")  # pragma: no cover
        return sorted(i for _, i in sorted(keys)[:count])


@dataclasses.dataclass
class _Plan:
    """Who holds the key posts of one unit."""

    unit: Unit
    cc_mode: str = "none"  # the council chair: the party secretary ("ps"), the standing deputy ("dps"), "separate"
    kc_dps: bool = True  # the committee chair is also a deputy party secretary
    standing_dps: bool = True  # a standing deputy party secretary (phó bí thư thường trực)
    n_kvc: int = 1
    has_cvc: bool = True
    has_fc: bool = True
    vacancy: str | None = None
    civil: list[int] = dataclasses.field(default_factory=list)  # holders per CIVIL_SERVANT_POSTS

    @property
    def council(self) -> bool:
        return self.unit.has_council

    @property
    def key_people(self) -> int:
        return (2 + self.standing_dps + (self.cc_mode == "separate") + (self.council and self.has_cvc)
                + self.n_kvc + self.has_fc)

    def toggle(self, what: str, step: int) -> bool:
        """Add (``step`` 1) or remove (-1) one key person through ``what``; False if not possible."""
        if self.vacancy is not None:
            return False
        adding = step > 0
        if what == "kvc":  # a second committee vice chair where the cap allows (wards: fixed elsewhere)
            cap = _vice_chair_cap(self.unit) if self.council else 1
            possible = cap == 2 and self.n_kvc == (1 if adding else 2)
            if possible:
                self.n_kvc += step
        elif what == "dps":  # a standing deputy, as long as a deputy party secretary remains
            possible = self.standing_dps != adding and (adding or (self.kc_dps and self.cc_mode != "dps"))
            if possible:
                self.standing_dps = adding
        else:  # the council chair: concurrently the party secretary, or a separate person
            possible = self.cc_mode == ("ps" if adding else "separate")
            if possible:
                self.cc_mode = "separate" if adding else "ps"
        return possible


@dataclasses.dataclass
class _Person:
    unit: Unit
    role: str  # ps, dps, cc, kc, cvc, kvc, fc, or the post code of a non-key official
    position: str
    concurrent: tuple[str, ...] = ()
    category: str = "cadre"
    key: bool = True
    core: bool = False  # on the standing committee by post
    gender: str = "male"
    birth: date = AS_OF
    young: bool = False
    education: str = "university"
    theory: str = "intermediate"
    general: str = "upper_secondary"
    appointed: date = AS_OF
    standing: bool = False
    ratings: dict[int, str] = dataclasses.field(default_factory=dict)
    discipline: tuple[tuple[date, str], ...] = ()
    low_confidence: Fraction | None = None
    investigated: bool = False
    secondment: date | None = None


def _units(g: _Gen) -> list[Unit]:
    units = []
    for code, district, wards, communes, towns in DISTRICTS:
        kinds = ["ward"] * wards + ["town"] * towns + ["commune"] * communes
        prefixes = {"ward": "Phường", "town": "Thị trấn", "commune": "Xã"}
        used = {district.split(" ", 2)[-1]}
        for number, kind in enumerate(kinds, start=1):
            while (name := " ".join(g.rng.sample(_SYLLABLES, 2))) in used:
                pass
            used.add(name)
            urban = kind == "ward" and communes == 0  # a ward of a quận
            weights = (70, 25, 5) if urban else (45, 45, 10) if kind != "commune" else (35, 50, 15)
            unit_class = g.rng.choices((1, 2, 3), weights=weights)[0]
            units.append(Unit(f"HN-{code}-{number:02d}", f"{prefixes[kind]} {name}", kind, unit_class, district,
                              has_council=kind != "ward"))
    return units


def _plans(g: _Gen, units: list[Unit]) -> list[_Plan]:
    plans = []
    for unit in units:
        plan = _Plan(unit, has_cvc=unit.has_council)
        if unit.has_council:
            plan.cc_mode = g.rng.choices(("ps", "dps", "separate"), weights=(78, 12, 10))[0]
            plan.n_kvc = 2 if _vice_chair_cap(unit) == 2 and g.chance(85) else 1
        plan.kc_dps = g.chance(85 if unit.has_council else 80)
        plan.standing_dps = plan.cc_mode == "dps" or not plan.kc_dps or g.chance(88)
        plan.civil = [g.rng.choices((1, 2, 3), weights=_CIVIL_COUNTS[post])[0] for post in CIVIL_SERVANT_POSTS]
        plans.append(plan)
    for plan in (plans[i] for i in sorted(g.rng.sample(range(len(plans)), _VACANT_UNITS))):
        kinds = ("council_vice_chair", "front_chair", "committee_vice_chair", "deputy_party_secretary")
        plan.vacancy = g.rng.choice(kinds if plan.council else kinds[1::2])
        if plan.vacancy == "council_vice_chair":
            plan.has_cvc = False
        elif plan.vacancy == "front_chair":
            plan.has_fc = False
        elif plan.vacancy == "committee_vice_chair":
            plan.n_kvc = 0
        else:
            plan.standing_dps = plan.kc_dps = False
            plan.cc_mode = "ps" if plan.cc_mode == "dps" else plan.cc_mode
    # Ward committee chairs and vice chairs are the key officials who are civil servants: their number
    # follows from the totals, every non-key cadre post being filled.
    non_key_cadres = sum(3 + p.council for p in plans)
    wards = [p for p in plans if not p.council]
    extra_vice_chairs = non_key_cadres + _KEY_OFFICIALS - _CADRES - 2 * len(wards)  # beyond chair + one vice chair
    eligible = [i for i, p in enumerate(wards) if _vice_chair_cap(p.unit) == 2 and p.vacancy is None]
    for i in sorted(g.rng.sample(eligible, extra_vice_chairs)):
        wards[i].n_kvc = 2
    # Then the key officials of the other posts, to the published total (a separate council chair last).
    _settle(g, [[(p, what) for p in plans for what in ("kvc", "dps")], [(p, "cc") for p in plans]],
            _KEY_OFFICIALS, lambda: sum(p.key_people for p in plans), lambda p, what, step: p.toggle(what, step))
    # And the civil servants of the non-key posts, to theirs.
    target = _CIVIL_SERVANTS - sum(p.n_kvc + 1 for p in wards)

    def move(plan: _Plan, post: int, step: int) -> bool:
        if 1 <= plan.civil[post] + step <= 3:
            plan.civil[post] += step
            return True
        return False

    _settle(g, [[(p, i) for p in plans for i in range(len(CIVIL_SERVANT_POSTS))]], target,
            lambda: sum(sum(p.civil) for p in plans), move)
    return plans


def _settle(g: _Gen, groups: list[list[tuple[_Plan, _T]]], target: int, total: Callable[[], int],
            apply: Callable[[_Plan, _T, int], bool]) -> None:
    """Apply one-person moves towards ``target`` until ``total()`` reaches it: in random order within a
    group, the groups in order."""
    diff = target - total()
    for _ in range(3):
        moves = []
        for group in groups:
            g.rng.shuffle(group)
            moves += group
        for plan, what in moves:
            if diff == 0:
                return
            step = 1 if diff > 0 else -1
            if apply(plan, what, step):
                diff -= step
    if diff:
        raise AssertionError(f"cannot reach {target}: {diff} off")  # pragma: no cover


def _people(plan: _Plan) -> list[_Person]:
    unit, council = plan.unit, plan.council
    chair_category = "cadre" if council else "civil_servant"
    people = [_Person(unit, "ps", "party_secretary", ("council_chair",) if plan.cc_mode == "ps" else (),
                      core=True)]
    if plan.standing_dps:
        people.append(_Person(unit, "dps", "deputy_party_secretary",
                              ("council_chair",) if plan.cc_mode == "dps" else (), core=True))
    if plan.cc_mode == "separate":
        people.append(_Person(unit, "cc", "council_chair"))
    if council:
        kc_post, kc_other = ("deputy_party_secretary", ("committee_chair",)) if plan.kc_dps else ("committee_chair", ())
    else:
        kc_post, kc_other = "committee_chair", ("deputy_party_secretary",) if plan.kc_dps else ()
    people.append(_Person(unit, "kc", kc_post, kc_other, chair_category, core=True))
    if council and plan.has_cvc:
        people.append(_Person(unit, "cvc", "council_vice_chair"))
    people += [_Person(unit, "kvc", "committee_vice_chair", (), chair_category) for _ in range(plan.n_kvc)]
    if plan.has_fc:
        people.append(_Person(unit, "fc", "front_chair"))
    for post in _NON_KEY_CADRE_POSTS:
        if council or post != "farmers_union_chair":
            people.append(_Person(unit, post, post, key=False))
    for post, count in zip(CIVIL_SERVANT_POSTS, plan.civil, strict=True):
        people += [_Person(unit, post, post, (), "civil_servant", key=False) for _ in range(count)]
    return people


_TERMS = {  # role -> (share in the usual window, usual window, earliest date)
    "ps": (75, date(2020, 5, 10), date(2020, 8, 31), date(2015, 5, 1)),
    "dps": (75, date(2020, 5, 10), date(2020, 8, 31), date(2015, 5, 1)),
    "council": (75, date(2021, 6, 20), date(2021, 7, 10), date(2016, 6, 25)),
    "ward": (70, date(2021, 7, 1), date(2021, 8, 15), date(2021, 7, 1)),
    "fc": (70, date(2019, 8, 1), date(2019, 12, 31), date(2014, 8, 1)),
    "youth_union_secretary": (60, date(2022, 3, 1), date(2022, 6, 30), date(2017, 5, 1)),
    "women_union_chair": (60, date(2021, 3, 1), date(2021, 6, 30), date(2016, 3, 1)),
    "farmers_union_chair": (60, date(2018, 4, 1), date(2018, 7, 31), date(2013, 4, 1)),
    "veterans_chair": (60, date(2022, 4, 1), date(2022, 7, 31), date(2017, 4, 1)),
}


def _appointed(g: _Gen, p: _Person) -> date:
    term = "council" if p.role in ("cc", "cvc", "kc", "kvc") else p.role
    if term == "council" and not p.unit.has_council:
        term = "ward"
    if term in _TERMS:
        share, first, last, earliest = _TERMS[term]
        roll = g.rng.random() * 100
        if roll < share:
            when = g.day(first, last)
        elif roll < share + (100 - share) / 2 and earliest < first:
            when = g.day(earliest, first - timedelta(days=1))
        else:
            when = g.day(last + timedelta(days=1), date(2022, 11, 30))
    else:
        when = g.day(date(2008, 1, 1), date(2022, 11, 30))
    adult = add_months(p.birth, 22 * 12)
    return when if when >= adult else min(g.day(adult, adult + timedelta(days=700)), date(2022, 12, 20))


def _key_attributes(g: _Gen, key: list[_Person]) -> None:
    def chosen(count: int, column: int, extra: Callable[[_Person], float] = lambda p: 1.0) -> list[_Person]:
        return [key[i] for i in g.pick_people(key, count, lambda p: _KEY_WEIGHTS[p.role][column] * extra(p))]

    for p in chosen(_KEY_WOMEN, 0):
        p.gender = "female"
    for p in chosen(_KEY_UNDER_35, 1):
        p.young = True
    for p in chosen(_KEY_ADVANCED, 2, lambda p: 0.1 if p.young else 1.0):
        p.theory = "advanced"
    for p in chosen(_KEY_COLLEGE, 4, lambda p: 0.0 if p.young or p.theory == "advanced" else 1.0):
        p.education = "college"
    masters = chosen(_MASTERS, 3, lambda p: 0.0 if p.education == "college" else 1.0)
    for p in masters:
        p.education = "master"
    for i in g.pick_people(masters, _DOCTORS, lambda p: 0.0 if p.young else 1.0):
        masters[i].education = "doctor"
    for p in key:
        senior = p.role in ("ps", "kc", "cc")
        if p.young:  # 26..34
            p.birth = g.birth(p.gender, 26, 4)
        elif p.gender == "female":  # 35..53, senior posts 37..55
            p.birth = g.birth(p.gender, 37 if senior else 35, 9)
        else:  # 35..59, senior posts 38..58
            p.birth = g.birth(p.gender, 38 if senior else 35, 10 if senior else 12)


_NON_KEY_AGES = {"youth_union_secretary": (25, 4), "women_union_chair": (32, 11), "farmers_union_chair": (38, 10),
                 "veterans_chair": (46, 6)}


def _other_attributes(g: _Gen, people: list[_Person]) -> None:
    for p in people:
        if p.key:
            continue
        p.gender = "female" if g.chance(_FEMALE_SHARE[p.role]) else "male"
        low, spread = _NON_KEY_AGES.get(p.role, (24, 17))
        p.birth = g.birth(p.gender, low, spread)
        roll = g.rng.random() * 100
        p.education = ("master" if roll < 4 else "college" if roll < 10 else "intermediate" if roll < 16
                       else "university")
        shares = (0, 15, 75) if p.category == "cadre" else (15, 35, 45)  # none, elementary, intermediate
        roll = g.rng.random() * 100
        p.theory = ("none" if roll < shares[0] else "elementary" if roll < sum(shares[:2])
                    else "intermediate" if roll < sum(shares) else "advanced")
    older = [p for p in people if p.role in ("veterans_chair", "farmers_union_chair")]
    for i in g.pick_people(older, 8, lambda p: 1.0):
        older[i].general = "lower_secondary"


def _histories(g: _Gen, people: list[_Person]) -> None:
    for p in people:
        p.appointed = _appointed(g, p)
        first_year = 2020 if p.key else max(2020, p.appointed.year)
        for year in range(first_year, 2023):
            p.ratings[year] = g.rng.choices(("excellent", "good", "completed"), weights=(18, 68, 14))[0]
    # Two consecutive years not completed up to 2022 (5 people), and single bad years (8 people).
    veterans = [p for p in people if p.appointed.year < 2020]
    picked = g.pick_people(veterans, 13, lambda p: 2.0 if p.key else 1.0)
    for n, i in enumerate(picked):
        p = veterans[i]
        if n < 5:
            p.ratings.update({2020: "completed", 2021: "not_completed", 2022: "not_completed"})
        else:
            bad = (2020, 2021, 2022)[n % 3]
            p.ratings.update({year: "not_completed" if year == bad else "completed" for year in (2020, 2021, 2022)})
    for i in g.pick_people(people, 10, lambda p: 1.0):
        when = g.day(date(2021, 1, 15), date(2022, 12, 15))
        p = people[i]
        p.discipline = ((when, "warning" if g.chance(30) else "reprimand"),)
        if p.ratings.get(when.year) in ("excellent", "good"):
            p.ratings[when.year] = "completed"
    # Confidence votes: holders of council and committee posts elected by a council.
    voted = [p for p in people if p.unit.has_council and p.role in ("cc", "cvc", "kc", "kvc")]
    for n, i in enumerate(g.pick_people(voted, _LOW_CONFIDENCE, lambda p: 1.0)):
        high = n in (17, 71)
        voted[i].low_confidence = Fraction(g.rng.randint(680, 760) if high else g.rng.randint(10, 420), 1000)
    for i in g.pick_people(people, _INVESTIGATED, lambda p: 1.0):
        people[i].investigated = True
    _secondments(g, people)


def _secondments(g: _Gen, people: list[_Person]) -> None:
    """18 civil servants and 2 cadres on secondment, 6 of them for more than 36 months."""
    for category, long_count, short_count in (("civil_servant", 5, 13), ("cadre", 1, 1)):
        for count, start, end in ((long_count, date(2018, 3, 1), date(2019, 10, 31)),
                                  (short_count, date(2020, 3, 1), date(2022, 10, 31))):

            def weight(p: _Person, category: str = category, start: date = start) -> float:
                fits = p.category == category and p.appointed < start - timedelta(days=60)
                return float(fits and not p.key and p.secondment is None)

            for i in g.pick_people(people, count, weight):
                p = people[i]
                p.secondment = g.day(max(start, p.appointed + timedelta(days=30)), end)


def _standing(g: _Gen, unit_people: list[_Person]) -> None:
    """The standing committee: secretary, deputies and committee chair, then others up to 3–5 members."""
    core = [p for p in unit_people if p.core]
    council_chair = [p for p in unit_people if p.role == "cc"]
    others = [p for p in unit_people if p.role in ("cvc", "kvc", "fc")]
    g.rng.shuffle(others)
    size = max(len(core), g.rng.choice((3, 3, 4, 4, 5)))
    for p in (core + council_chair + others)[:size]:
        p.standing = True


def _official(g: _Gen, p: _Person, ident: str) -> Official:
    if p.key:
        urban = "urban" if p.unit.kind == "ward" else "rural"
        field = g.pick(g.key_fields[urban])
    else:
        field = g.pick(g.civil_fields.get(p.role, g.civil_fields["other"]))
    planning = g.chance((50 if p.key else 30) if age_on(p.birth, AS_OF) < 45 else (18 if p.key else 14))
    return Official(
        id=ident, full_name=g.name(p.gender), gender=p.gender, birth_date=p.birth, unit=p.unit.code,
        position=p.position, education=p.education, political_theory=p.theory, concurrent_positions=p.concurrent,
        category=p.category, standing_committee=p.standing, general_education=p.general, field_of_study=field,
        appointed_on=p.appointed, in_planning=planning, ratings=tuple(sorted(p.ratings.items())),
        discipline=p.discipline, low_confidence_share=p.low_confidence, under_investigation=p.investigated,
        secondment_since=p.secondment, is_local=g.chance(72 if p.key else 82),
    )


def generate(seed: int = 2022) -> tuple[tuple[Official, ...], tuple[Unit, ...]]:
    """The calibrated sample for ``seed``: officials sorted by unit code then id, units by code.

    Every seed reproduces the published figures exactly; only the individual records differ.
    """
    g = _Gen(seed)
    units = _units(g)
    plans = _plans(g, units)
    by_unit = [_people(plan) for plan in plans]
    everyone = [p for people in by_unit for p in people]
    _key_attributes(g, [p for p in everyone if p.key])
    _other_attributes(g, everyone)
    _histories(g, everyone)
    for people in by_unit:
        _standing(g, people)
    officials = [_official(g, p, f"{p.unit.code}-{n:02d}")
                 for people in by_unit for n, p in enumerate(people, start=1)]
    officials.sort(key=lambda o: (o.unit, o.id))
    units.sort(key=lambda u: u.code)
    return tuple(officials), tuple(units)


def write_sample(directory: Path, seed: int = 2022) -> tuple[Path, Path]:
    """Write ``officials.csv`` and ``units.csv`` of :func:`generate` into ``directory`` (created if missing).

    :returns: the paths of the officials and units files.
    """
    return write_records(directory, *generate(seed))


#: Columns of the officials written only when some official has a value (see :func:`write_records`).
_END_DATES = ("secondment_until", "term_ends")


def write_records(directory: Path, officials: Sequence[Official], units: Sequence[Unit]) -> tuple[Path, Path]:
    """Write ``officials.csv`` and ``units.csv`` of these records into ``directory`` (created if missing).

    The end dates (``secondment_until``, ``term_ends``) are columns only when some official has one: the
    samples, which have none, keep the bytes they had before those columns existed."""
    directory.mkdir(parents=True, exist_ok=True)
    officials_path, units_path = directory / "officials.csv", directory / "units.csv"
    rows = [official_to_row(o) for o in officials]
    unused = [c for c in _END_DATES if not any(row[c] for row in rows)]
    for row in rows:
        for column in unused:
            del row[column]
    write_csv(officials_path, rows, [c for c in OFFICIAL_COLUMNS if c not in unused])
    write_csv(units_path, [unit_to_row(u) for u in units], UNIT_COLUMNS)
    return officials_path, units_path
