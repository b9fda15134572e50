"""The code vocabularies of the input contract (DESIGN.md §3), with Vietnamese labels and ranks."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping

import attrs

__all__ = [
    "CADRE_POSTS",
    "CADRE_POSTS_2025",
    "CATEGORY",
    "CIVIL_SERVANT_POSTS",
    "CIVIL_SERVANT_POSTS_2025",
    "DISCIPLINE",
    "EDUCATION",
    "GENDER",
    "GENERAL_EDUCATION",
    "POLITICAL_THEORY",
    "POSITION",
    "RATING",
    "UNIT_KIND",
    "VOCABULARIES",
    "Vocabulary",
    "fold",
]


def fold(text: str) -> str:
    """Normalise a label for lookup: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@attrs.frozen
class Vocabulary:
    """A closed set of codes, each with a Vietnamese label and optional aliases.

    Codes of an *ordered* vocabulary compare by rank (their position in ``codes``).
    """

    name: str
    codes: tuple[str, ...]
    labels: Mapping[str, str]
    ordered: bool = False
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    _lookup: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for code in self.codes:
            lookup[fold(code)] = code
            lookup[fold(self.labels[code])] = code
        for alias, code in self.aliases.items():
            lookup[fold(alias)] = code
        object.__setattr__(self, "_lookup", lookup)

    def parse(self, text: str) -> str:
        """Return the code for a code, label or alias; raise ``ValueError`` otherwise."""
        code = self._lookup.get(fold(text))
        if code is None:
            close = difflib.get_close_matches(fold(text), list(self._lookup), n=1)
            hint = f"; did you mean {self._lookup[close[0]]!r}?" if close else ""
            raise ValueError(f"unknown {self.name} (expected one of: {', '.join(self.codes)}){hint}")
        return code

    def rank(self, code: str) -> int:
        """The rank of a code (0 = lowest) in an ordered vocabulary."""
        return self.codes.index(code)

    def label(self, code: str) -> str:
        return self.labels[code]


def _vocab(name: str, pairs: Iterable[tuple[str, str]], *, ordered: bool = False,
           aliases: Mapping[str, str] | None = None) -> Vocabulary:
    items = list(pairs)
    return Vocabulary(name, tuple(c for c, _ in items), dict(items), ordered, dict(aliases or {}))


GENDER = _vocab("gender", [("male", "nam"), ("female", "nữ")], aliases={"m": "male", "f": "female"})

#: Cán bộ posts, NĐ 33/2023/NĐ-CP Điều 5 khoản 1.
CADRE_POSTS = (
    "party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
    "committee_chair", "committee_vice_chair", "front_chair", "youth_union_secretary",
    "women_union_chair", "farmers_union_chair", "veterans_chair",
)
#: Công chức posts, NĐ 33/2023/NĐ-CP Điều 5 khoản 2.
CIVIL_SERVANT_POSTS = (
    "military_commander", "office_statistics", "land_administration", "finance_accounting",
    "justice_civil_status", "culture_social",
)

#: Cán bộ posts of the two-tier commune from 1/7/2025 that NĐ 33/2023 did not name
#: (domain/regulations-2025.md §1.1, §1.5, §8.2): Phó Bí thư thường trực; Phó Chủ tịch UBMTTQ, who heads
#: an đoàn thể (QĐ 301-QĐ/TW, HD 31-HD/BTCTW).
CADRE_POSTS_2025 = ("standing_deputy_party_secretary", "front_vice_chair")
#: Leadership civil-servant posts of the commune UBND from 1/7/2025 (NĐ 150/2025/NĐ-CP; §1.4, §8.2).
#: The six NĐ 33 titles of :data:`CIVIL_SERVANT_POSTS` stay valid codes for data before that date.
CIVIL_SERVANT_POSTS_2025 = ("office_chief", "department_head", "department_deputy", "ppsc_director")

POSITION = _vocab("position", [
    ("party_secretary", "Bí thư Đảng ủy"),
    ("deputy_party_secretary", "Phó Bí thư Đảng ủy"),
    ("council_chair", "Chủ tịch HĐND"),
    ("council_vice_chair", "Phó Chủ tịch HĐND"),
    ("committee_chair", "Chủ tịch UBND"),
    ("committee_vice_chair", "Phó Chủ tịch UBND"),
    ("front_chair", "Chủ tịch UBMTTQ"),
    ("youth_union_secretary", "Bí thư Đoàn TNCS Hồ Chí Minh"),
    ("women_union_chair", "Chủ tịch Hội LHPN"),
    ("farmers_union_chair", "Chủ tịch Hội Nông dân"),
    ("veterans_chair", "Chủ tịch Hội Cựu chiến binh"),
    ("military_commander", "Chỉ huy trưởng Ban CHQS"),
    ("office_statistics", "Văn phòng - thống kê"),
    ("land_administration", "Địa chính - xây dựng"),
    ("finance_accounting", "Tài chính - kế toán"),
    ("justice_civil_status", "Tư pháp - hộ tịch"),
    ("culture_social", "Văn hóa - xã hội"),
    ("standing_deputy_party_secretary", "Phó Bí thư Thường trực Đảng ủy"),
    ("front_vice_chair", "Phó Chủ tịch UBMTTQ"),
    ("office_chief", "Chánh Văn phòng HĐND và UBND"),
    ("department_head", "Trưởng phòng"),
    ("department_deputy", "Phó Trưởng phòng"),
    ("ppsc_director", "Giám đốc Trung tâm Phục vụ hành chính công"),
    ("other", "Khác"),
], aliases={
    "Bí thư": "party_secretary", "Bí thư Đảng ủy xã": "party_secretary",
    "Phó Bí thư": "deputy_party_secretary",
    "Chủ tịch Hội đồng nhân dân": "council_chair",
    "Phó Chủ tịch Hội đồng nhân dân": "council_vice_chair",
    "Chủ tịch Ủy ban nhân dân": "committee_chair",
    "Phó Chủ tịch Ủy ban nhân dân": "committee_vice_chair",
    "Chủ tịch Ủy ban MTTQ Việt Nam": "front_chair", "Chủ tịch MTTQ": "front_chair",
    "Bí thư Đoàn": "youth_union_secretary",
    "Chủ tịch Hội Liên hiệp Phụ nữ": "women_union_chair",
    "Chỉ huy trưởng Quân sự": "military_commander",
    "Văn phòng – thống kê": "office_statistics",
    "Địa chính – xây dựng": "land_administration",
    "Địa chính - xây dựng - đô thị và môi trường": "land_administration",
    "Địa chính - nông nghiệp - xây dựng và môi trường": "land_administration",
    "Tài chính – kế toán": "finance_accounting",
    "Tư pháp – hộ tịch": "justice_civil_status",
    "Văn hóa – xã hội": "culture_social",
    "Phó Bí thư thường trực": "standing_deputy_party_secretary",
    "Phó Chủ tịch Ủy ban MTTQ Việt Nam": "front_vice_chair", "Phó Chủ tịch MTTQ": "front_vice_chair",
    "Chánh Văn phòng": "office_chief", "Chánh Văn phòng HĐND - UBND": "office_chief",
    "Giám đốc Trung tâm PVHCC": "ppsc_director",
    "Trưởng phòng chuyên môn": "department_head", "Phó Trưởng phòng chuyên môn": "department_deputy",
})

CATEGORY = _vocab("category", [("cadre", "cán bộ"), ("civil_servant", "công chức")])

GENERAL_EDUCATION = _vocab("general_education", [
    ("none", "không"), ("lower_secondary", "THCS"), ("upper_secondary", "THPT"),
], ordered=True, aliases={"trung học cơ sở": "lower_secondary", "trung học phổ thông": "upper_secondary",
                          "9/12": "lower_secondary", "12/12": "upper_secondary"})

EDUCATION = _vocab("education", [
    ("none", "không"), ("intermediate", "trung cấp"), ("college", "cao đẳng"),
    ("university", "đại học"), ("master", "thạc sĩ"), ("doctor", "tiến sĩ"),
], ordered=True, aliases={"cử nhân": "university", "kỹ sư": "university"})

POLITICAL_THEORY = _vocab("political_theory", [
    ("none", "không"), ("elementary", "sơ cấp"), ("intermediate", "trung cấp"), ("advanced", "cao cấp"),
], ordered=True, aliases={"cử nhân": "advanced", "cử nhân chính trị": "advanced"})

RATING = _vocab("rating", [
    ("not_completed", "không hoàn thành nhiệm vụ"),
    ("completed", "hoàn thành nhiệm vụ"),
    ("good", "hoàn thành tốt nhiệm vụ"),
    ("excellent", "hoàn thành xuất sắc nhiệm vụ"),
], ordered=True, aliases={"KHTNV": "not_completed", "HTNV": "completed", "HTTNV": "good", "HTXSNV": "excellent"})

DISCIPLINE = _vocab("discipline", [
    ("reprimand", "khiển trách"), ("warning", "cảnh cáo"), ("demotion", "giáng chức"), ("dismissal", "cách chức"),
], ordered=True)

UNIT_KIND = _vocab("unit kind", [("commune", "xã"), ("ward", "phường"), ("town", "thị trấn")])

#: Every vocabulary by the name the field catalogue uses.
VOCABULARIES: dict[str, Vocabulary] = {
    "gender": GENDER, "position": POSITION, "category": CATEGORY,
    "general_education": GENERAL_EDUCATION, "education": EDUCATION,
    "political_theory": POLITICAL_THEORY, "rating": RATING, "discipline": DISCIPLINE,
    "unit_kind": UNIT_KIND,
}
