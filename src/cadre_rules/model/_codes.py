"""The code vocabularies of the input contract (DESIGN.md §3), with Vietnamese labels and ranks."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping

import attrs

from ..errors import N_
from ..errors import Column
from ..errors import InvalidValue
from ..errors import Message
from ..errors import Words

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
    "POSITION_RANK",
    "POSITION_RANK_2025",
    "RATING",
    "UNIT_KIND",
    "VOCABULARIES",
    "Vocabulary",
    "bare",
    "fold",
    "match_key",
]


def fold(text: str) -> str:
    """Normalise a label for lookup: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


#: The Vietnamese tone marks (as combining characters): grave, acute, tilde, hook above, dot below.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aeiouyăâêôơư")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2011": "-", ".": "", ",": " ",
                         "\u00a0": " ", "\u2019": "'"})


def _syllable(word: str) -> str:
    """One NFD word with its tone mark moved to the end (``hoà`` and ``hòa`` both become ``hoa`` + grave) and
    a final ``y`` after a consonant read as ``i`` (``sỹ`` = ``sĩ``, ``kỹ`` = ``kĩ``)."""
    tones = "".join(c for c in word if c in _TONES)
    base = "".join(c for c in word if c not in _TONES) if tones else word
    letters = unicodedata.normalize("NFC", base)
    if len(letters) >= 2 and letters[-1] == "y" and letters[-2] not in _VOWELS and letters[-2].isalpha():
        letters = letters[:-1] + "i"
    return letters + tones


def match_key(text: str) -> str:
    """The key under which spellings of one Vietnamese label are equal: case-folded, Unicode form, the old and
    new tone placement (``Hoà``/``Hòa``, ``Uỷ``/``Ủy``), ``y``/``i`` after a consonant (``sỹ``/``sĩ``), dots
    dropped (``Th.S``), dashes and spaces unified. Keys are compared, never shown."""
    text = unicodedata.normalize("NFD", text.casefold()).translate(_DASHES).replace("-", " - ")
    return " ".join(_syllable(word) for word in text.split())


def bare(text: str) -> str:
    """A key without any diacritic (``phó`` → ``pho``, ``đ`` → ``d``): for comparing meanings, not spellings."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_CODE_LIKE = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
#: The reason a text is no code of a vocabulary (``hint``: a :func:`_hint` or nothing).
_UNKNOWN = N_("unknown {name} (expected one of: {expected}){hint}")


def _hint(close: list[str]) -> Message | str:
    """``; did you mean 'Phó Chủ tịch UBND'?`` for the closest code or label, or nothing."""
    return Message(N_("; did you mean {code}?"), code=repr(close[0])) if close else ""


@attrs.frozen
class Vocabulary:
    """A closed set of codes, each with a Vietnamese label and optional aliases.

    Codes of an *ordered* vocabulary compare by rank (their position in ``codes``). Codes, labels and aliases
    are matched by :func:`match_key`, after the vocabulary's ``rewrites`` (abbreviations spelt out, words
    that add nothing dropped); a text that begins with one of ``prefixes`` followed by more words has its
    code (``Cử nhân Luật`` is a university degree). A "did you mean" never proposes a code whose label
    differs from the text in one of the ``markers`` (``phó``, ``không``): never the opposite meaning.
    """

    name: str
    codes: tuple[str, ...]
    labels: Mapping[str, str]
    ordered: bool = False
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    rewrites: tuple[tuple[str, str], ...] = ()
    prefixes: Mapping[str, str] = attrs.field(factory=dict)
    markers: frozenset[str] = frozenset()
    #: what to do with a text close to no code (a message id, or nothing): a post outside the list is "Khác"
    unlisted: str = ""
    _lookup: dict[str, str] = attrs.field(init=False, repr=False, eq=False)
    _patterns: tuple[tuple[re.Pattern[str], str], ...] = attrs.field(init=False, repr=False, eq=False)
    _prefix_keys: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False, eq=False)
    #: The codes that :meth:`find` gives back as they are (every one, unless an alias says otherwise).
    _as_is: frozenset[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        patterns = tuple((re.compile(r"(?<!\S)" + re.escape(match_key(phrase)) + r"(?!\S)"), match_key(repl))
                         for phrase, repl in self.rewrites)
        object.__setattr__(self, "_patterns", patterns)
        lookup: dict[str, str] = {}
        for code in self.codes:
            lookup[self._key(code)] = code
            lookup[self._key(self.labels[code])] = code
        for alias, code in self.aliases.items():
            lookup[self._key(alias)] = code
        object.__setattr__(self, "_lookup", lookup)
        prefixes = sorted(((self._key(p), c) for p, c in self.prefixes.items()), key=lambda pc: -len(pc[0]))
        object.__setattr__(self, "_prefix_keys", tuple(prefixes))
        object.__setattr__(self, "_as_is", frozenset(c for c in self.codes if lookup[self._key(c)] == c))

    def _key(self, text: str) -> str:
        key = match_key(text)
        for pattern, repl in self._patterns:
            key = pattern.sub(repl, key)
        return " ".join(key.split())

    def find(self, text: str) -> str | None:
        """The code for a code, label, alias or prefixed text, or ``None``."""
        if text in self._as_is:  # a code, as packs and most files write it
            return text
        key = self._key(text)
        code = self._lookup.get(key)
        if code is None:
            code = next((c for prefix, c in self._prefix_keys if key.startswith(prefix + " ")), None)
        return code

    def parse(self, text: str) -> str:
        """Return the code for a code, label or alias; raise ``ValueError`` otherwise."""
        code = self.find(text)
        if code is None:
            raise self._unknown(text)
        return code

    def _unknown(self, text: str) -> InvalidValue:
        stripped = text.strip()
        if (_CODE_LIKE.fullmatch(stripped) and "_" in stripped) or stripped in self.codes:
            close = difflib.get_close_matches(stripped, self.codes, n=1)
            return InvalidValue(_UNKNOWN, name=Column(self.name), expected=", ".join(self.codes),
                                hint=_hint(close))
        key = self._key(text)
        marks = self._marks(key)
        # never the opposite meaning: the same markers (phó, không), and not a label the text only adds to the
        # front of ("X.Chủ tịch UBND": the X may be a "phó" or a "không" of a spelling we do not know)
        candidates = [k for k in self._lookup if self._marks(k) == marks and not (key.endswith(k) and key != k)]
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.85)
        # what the reader can type: the codes in English, the Vietnamese labels in Vietnamese (both are read)
        expected = Words(", ".join(c for c in self.codes if c in self._as_is),
                         ", ".join(self.labels[c] for c in self.codes))
        # the suggestion: the spelling nearest to the text, a code ("committe chair") or a label ("Chủ tịc UBND")
        near = [self._lookup[close[0]]] if close else []
        if near and close[0] != self._key(near[0]):
            near = [self.labels[near[0]]]
        hint = _hint(near) if near or not self.unlisted else Message(self.unlisted)
        return InvalidValue(_UNKNOWN, name=Column(self.name), expected=expected, hint=hint)

    def _marks(self, key: str) -> frozenset[str]:
        return frozenset(word for word in bare(key).split() if word in self.markers)

    def rank(self, code: str) -> int:
        """The rank of a code (0 = lowest) in an ordered vocabulary."""
        return self.codes.index(code)

    def label(self, code: str) -> str:
        return self.labels[code]


def _vocab(name: str, pairs: Iterable[tuple[str, str]], *, ordered: bool = False,
           aliases: Mapping[str, str] | None = None, rewrites: tuple[tuple[str, str], ...] = (),
           prefixes: Mapping[str, str] | None = None, markers: Iterable[str] = (), unlisted: str = "") -> Vocabulary:
    items = list(pairs)
    return Vocabulary(name, tuple(c for c, _ in items), dict(items), ordered, dict(aliases or {}), rewrites,
                      dict(prefixes or {}), frozenset(markers), unlisted)


GENDER = _vocab("gender", [("male", "nam"), ("female", "nữ")], aliases={"m": "male", "f": "female", "nu": "female"})

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
    ("trade_union_chair", "Chủ tịch Công đoàn"),
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
    "Chủ tịch Công đoàn cơ sở": "trade_union_chair", "Chủ tịch CĐCS": "trade_union_chair",
    "Chủ tịch Công đoàn cơ quan": "trade_union_chair",
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
    "Giám đốc Trung tâm PVHCC": "ppsc_director", "Giám đốc TT Phục vụ hành chính công": "ppsc_director",
    "Giám đốc TT PVHCC": "ppsc_director",
    "Trưởng phòng chuyên môn": "department_head", "Phó Trưởng phòng chuyên môn": "department_deputy",
    "Chỉ huy trưởng BCHQS": "military_commander", "Chỉ huy trưởng Quân sự xã": "military_commander",
}, rewrites=(
    # how offices abbreviate and lengthen post titles (a post is the same whatever the commune is called)
    ("ủy ban nhân dân", "ubnd"), ("hội đồng nhân dân", "hđnd"),
    ("ủy ban mặt trận tổ quốc việt nam", "ubmttq"), ("ủy ban mặt trận tổ quốc", "ubmttq"),
    ("mặt trận tổ quốc việt nam", "ubmttq"), ("mặt trận tổ quốc", "ubmttq"), ("ủy ban mttq việt nam", "ubmttq"),
    ("ủy ban mttq", "ubmttq"), ("ub mttq", "ubmttq"), ("ubmttq việt nam", "ubmttq"), ("mttq việt nam", "ubmttq"),
    ("mttq", "ubmttq"), ("pchủ tịch", "phó chủ tịch"), ("p chủ tịch", "phó chủ tịch"), ("pbí thư", "phó bí thư"),
    ("p bí thư", "phó bí thư"), ("pct", "phó chủ tịch"), ("ct", "chủ tịch"), ("pbt", "phó bí thư"), ("bt", "bí thư"),
    ("đảng bộ", "đảng ủy"), ("đu", "đảng ủy"), ("xã", ""), ("phường", ""), ("thị trấn", ""),
    # "Phó Bí thư TT Đảng ủy" (thường trực: only after "phó bí thư", "TT" is also "Trung tâm"); "Công chức Văn
    # phòng - thống kê" (a civil servant's post named with its category)
    ("phó bí thư tt", "phó bí thư thường trực"), ("công chức", ""),
), prefixes={
    # the ward's departments from 2025-07-01: "Trưởng phòng Kinh tế", "Phó Trưởng phòng Văn hóa - Xã hội"
    "trưởng phòng": "department_head", "phó trưởng phòng": "department_deputy",
}, markers=("pho",), unlisted=N_("; a post not in the list: write 'Khác' (other) and the post's title in a column "
                                 "'Chức danh cụ thể'"))

#: The rank of each post among a commune's posts, higher above lower (docs/match.md, "Rank of a post"), before
#: 1/7/2025 (from then :data:`POSITION_RANK_2025`): by default the tiers of the commune titles in Kết luận 35-KL/TW
#: (2022), group III — 4 Bí thư Đảng ủy; 2 Phó Bí thư, Chủ tịch HĐND, Chủ tịch UBND; 1 Phó Chủ tịch HĐND and UBND,
#: Chủ tịch UBMTTQ, the heads of the socio-political organisations (and a Phó Chủ tịch UBMTTQ recorded before the
#: reform) — and 0 for every other post (công chức posts, the Chủ tịch Công đoàn and ``other``: no tier, never
#: compared among themselves). Confidence **Medium** (domain/regulations.md §1.2: a summary of KL 35;
#: QĐ 368-QĐ/TW replaced it in 2025 and its commune tiers were not found). Between them, 3: the Phó Bí thư thường trực,
#: the second of the committee's Thường trực after the Bí thư, who from 1/7/2025 usually also chairs the HĐND
#: (regulations-2025.md §1.1, Medium); KL 35's summary names one "Phó Bí thư" tier, so this tier of its own is an
#: inference (**Low**): a city that ranks the standing deputy as any Phó Bí thư moves it to ``post_rank_2``. These
#: are the defaults of the match rules' parameters ``post_rank_N`` (:mod:`cadre_rules.packs._engine_match`; a pack
#: in effect may set its own). ``cadre-rules match`` reads them: rotation (luân chuyển) is to an equivalent post, a
#: higher one for an outstanding cadre (QĐ 65-QĐ/TW Điều 4, High), so no one is proposed for a post ranked below one
#: they hold.
POSITION_RANK: Mapping[str, int] = {
    **dict.fromkeys(POSITION.codes, 0),
    "party_secretary": 4,
    "standing_deputy_party_secretary": 3,
    **dict.fromkeys(("deputy_party_secretary", "council_chair", "committee_chair"), 2),
    **dict.fromkeys(("council_vice_chair", "committee_vice_chair", "front_chair", "front_vice_chair",
                     "youth_union_secretary", "women_union_chair", "farmers_union_chair", "veterans_chair"), 1),
}

#: The ranks from 1/7/2025 (docs/match.md, "Rank of a post"): those of :data:`POSITION_RANK`, but the Phó Chủ tịch
#: UBMTTQ and the heads of the socio-political organisations (whom they are from that date: the organisations work
#: under the MTTQ, QĐ 301-QĐ/TW; "the Phó Chủ tịch of the Ủy ban MTTQ are the heads of the socio-political
#: organisations", HD 31-HD/BTCTW; regulations-2025.md §1.5, confidence **Medium-High**) a tier below the Chủ tịch
#: UBMTTQ, whose deputies they are. The Chủ tịch UBMTTQ keeps KL 35's tier, with the Phó Chủ tịch HĐND and UBND, so
#: that its deputies rank below these too: an inference (**Low**; a head of an organisation had a lower leadership
#: allowance than a Phó Chủ tịch UBND under NĐ 33/2023, a fact not in the reference), so a parameter, as every rank
#: is: a city that ranks them with the Phó Chủ tịch HĐND and UBND sets its own ``post_rank_N``. Every other order of
#: two posts is :data:`POSITION_RANK`'s (the numbers are one higher). Confidence of the table **Medium**.
POSITION_RANK_2025: Mapping[str, int] = {
    **dict.fromkeys(POSITION.codes, 0),
    "party_secretary": 5,
    "standing_deputy_party_secretary": 4,
    **dict.fromkeys(("deputy_party_secretary", "council_chair", "committee_chair"), 3),
    **dict.fromkeys(("council_vice_chair", "committee_vice_chair", "front_chair"), 2),
    **dict.fromkeys(("front_vice_chair", "youth_union_secretary", "women_union_chair", "farmers_union_chair",
                     "veterans_chair"), 1),
}

CATEGORY = _vocab("category", [("cadre", "cán bộ"), ("civil_servant", "công chức")])

GENERAL_EDUCATION = _vocab("general_education", [
    ("none", "không"), ("lower_secondary", "THCS"), ("upper_secondary", "THPT"),
], ordered=True, aliases={"trung học cơ sở": "lower_secondary", "trung học phổ thông": "upper_secondary",
                          "9/12": "lower_secondary", "12/12": "upper_secondary", "10/10": "upper_secondary"})

EDUCATION = _vocab("education", [
    ("none", "không"), ("intermediate", "trung cấp"), ("college", "cao đẳng"),
    ("university", "đại học"), ("master", "thạc sĩ"), ("doctor", "tiến sĩ"),
], ordered=True, aliases={
    "cử nhân": "university", "kỹ sư": "university", "ĐH": "university", "bác sĩ": "university",
    "ThS": "master", "TS": "doctor", "CĐ": "college", "TC": "intermediate",
}, prefixes={
    # "Đại học chính quy", "Cử nhân Luật", "Thạc sỹ Quản lý công": the level is the first words
    "đại học": "university", "ĐH": "university", "cử nhân": "university", "kỹ sư": "university",
    "bác sĩ": "university", "thạc sĩ": "master", "ThS": "master", "tiến sĩ": "doctor", "TS": "doctor",
    "cao đẳng": "college", "CĐ": "college", "trung cấp": "intermediate", "TC": "intermediate",
}, markers=("khong",))

POLITICAL_THEORY = _vocab("political_theory", [
    ("none", "không"), ("elementary", "sơ cấp"), ("intermediate", "trung cấp"), ("advanced", "cao cấp"),
], ordered=True, aliases={
    "cử nhân": "advanced", "cử nhân chính trị": "advanced", "CC": "advanced", "TC": "intermediate",
    "SC": "elementary", "chưa qua đào tạo": "none", "chưa có": "none",
}, prefixes={
    # "Cao cấp LLCT", "Cao cấp lý luận chính trị", "Trung cấp chính trị - hành chính"
    "cao cấp": "advanced", "cử nhân": "advanced", "trung cấp": "intermediate", "sơ cấp": "elementary",
}, markers=("khong",))

RATING = _vocab("rating", [
    ("not_completed", "không hoàn thành nhiệm vụ"),
    ("completed", "hoàn thành nhiệm vụ"),
    ("good", "hoàn thành tốt nhiệm vụ"),
    ("excellent", "hoàn thành xuất sắc nhiệm vụ"),
], ordered=True, aliases={
    "KHTNV": "not_completed", "HTNV": "completed", "HTTNV": "good", "HTXSNV": "excellent",
    "không hoàn thành": "not_completed", "KHT": "not_completed", "hoàn thành": "completed", "HT": "completed",
    "hoàn thành tốt": "good", "HTT": "good", "hoàn thành xuất sắc": "excellent", "HTXS": "excellent",
    "không HTNV": "not_completed",
}, rewrites=(("nv", "nhiệm vụ"), ("khoàn thành", "không hoàn thành"), ("k hoàn thành", "không hoàn thành")),
    markers=("khong",))

DISCIPLINE = _vocab("discipline", [
    ("reprimand", "khiển trách"), ("warning", "cảnh cáo"), ("demotion", "giáng chức"), ("dismissal", "cách chức"),
], ordered=True)

UNIT_KIND = _vocab("unit kind", [("commune", "xã"), ("ward", "phường"), ("town", "thị trấn")], aliases={"TT": "town"})

#: Every vocabulary by the name the field catalogue uses.
VOCABULARIES: dict[str, Vocabulary] = {
    "gender": GENDER, "position": POSITION, "category": CATEGORY,
    "general_education": GENERAL_EDUCATION, "education": EDUCATION,
    "political_theory": POLITICAL_THEORY, "rating": RATING, "discipline": DISCIPLINE,
    "unit_kind": UNIT_KIND,
}
