"""The parsing of one value of the input contract (DESIGN.md §3), one function per kind of value.

Every source (CSV, workbooks as offices keep them, JSON, records given through the API) goes through
these functions, so that a value means the same wherever it comes from: labels and common spellings of
codes, Vietnamese booleans (``x``, ``✓``, ``có``), decimal commas (``0,711``, ``71,1%``), dates as written
in Vietnam (``05-03-1975``, ``05.03.1985``, ``03/1982``). Each takes the text of a non-empty cell (stripped)
and returns the model's value, or raises ``ValueError`` with a plain reason (the caller locates it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from fractions import Fraction

from ..errors import N_
from ..errors import InvalidValue
from ._codes import CATEGORY
from ._codes import DISCIPLINE
from ._codes import EDUCATION
from ._codes import GENDER
from ._codes import GENERAL_EDUCATION
from ._codes import POLITICAL_THEORY
from ._codes import POSITION
from ._codes import RATING
from ._codes import UNIT_KIND
from ._codes import Vocabulary
from ._codes import fold
from ._codes import match_key
from ._dates import is_month_year
from ._dates import month_years
from ._dates import parse_date
from ._dates import parse_dates
from ._dates import years_only

__all__ = [
    "LEGACY_ENCODING",
    "SHARE_DECIMALS",
    "VNI_SPELLING",
    "is_month_year",
    "month_years",
    "parse_bool",
    "parse_category",
    "parse_codes",
    "parse_date",
    "parse_dates",
    "parse_discipline",
    "parse_education",
    "parse_gender",
    "parse_general_education",
    "parse_identifier",
    "parse_identifiers",
    "parse_planning",
    "parse_political_theory",
    "parse_position",
    "parse_positions",
    "parse_rating",
    "parse_ratings",
    "parse_share",
    "parse_standing",
    "parse_text",
    "parse_texts",
    "parse_unit_class",
    "parse_unit_kind",
    "vni_letter",
    "vni_spelling",
    "years_only",
]

#: Decimal places a share (``low_confidence_share``) may have.
SHARE_DECIMALS = 6

_BOOLS = {
    "true": True, "1": True, "yes": True, "có": True, "x": True, "✓": True, "✔": True, "đúng": True,
    "false": False, "0": False, "no": False, "không": False, "sai": False,
}
_UNIT_CLASSES = {"1": 1, "2": 2, "3": 3, "i": 1, "ii": 2, "iii": 3}
_DECIMAL = re.compile(r"[0-9]+(?:[.,]([0-9]+))?", re.ASCII)
_PERCENT = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*%", re.ASCII)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
#: How a cell lists several posts: ``Bí thư Đảng ủy, Chủ tịch HĐND``, ``Bí thư kiêm Chủ tịch HĐND``.
_POST_SEPARATORS = re.compile(r"\s*(?:;|,|\bkiêm\b|\+)\s*", re.IGNORECASE)
#: A spaced dash between posts ("Bí thư Đảng ủy - Chủ tịch HĐND"), tried last: it is also inside one post's
#: name ("Văn phòng - thống kê").
_DASH = re.compile(r"\s+[-–]\s+")


#: Characters Vietnamese written in Unicode never holds, but a text typed in an old 8-bit Vietnamese encoding
#: (TCVN3/ABC with the .VnTime fonts, VNI with the VNI-Times fonts) shows once read as Unicode: "NguyÔn V¨n
#: An" (TCVN3), "Phöôøng" (VNI). Such a name would be printed in the report, wrong, with no word said. Its signs
#: are refused in any text; its letters, which European names hold too ("Zoë", "Müller"), in a word that
#: :func:`_old_encoding` finds in an old encoding.
_LEGACY_LETTERS = "¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ"
LEGACY_ENCODING = re.compile(f"[{_LEGACY_LETTERS}]")
#: A space other than the plain one (what ``str.split`` splits at, as ``\\s`` matches).
_OTHER_SPACE = re.compile(r"[^\S ]")
_LEGACY = N_("looks like text in an old Vietnamese encoding (TCVN3/ABC or VNI), not Unicode: {letter} is no "
             "Vietnamese letter; convert the file to Unicode (e.g. Unikey's converter), then save it as .xlsx or "
             "CSV UTF-8")

#: VNI (the VNI-Windows table of the VNI-Times fonts) writes a letter with marks as its vowel then one byte for the
#: marks, each byte a Latin-1 letter once the text is read as Unicode (a cell typed in a VNI font, a CSV's bytes as
#: Windows-1252): "Nguyeãn Vaên Ñöùc" is "Nguyễn Văn Đức". The marks' bytes: a tone after a, e, o, u, y, ơ (VNI's
#: "ô") and ư ("ö"); a circumflex, with a tone or none, after a, e, o; a breve, with a tone or none, after a.
_VNI_MARKS = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
              "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303",
              "ä": "\u0302\u0323",
              "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303",
              "ë": "\u0306\u0323"}
#: The vowels each of VNI's marks follows: a tone any vowel but i (VNI's "ô" is ơ, "ö" ư), a circumflex a, e, o, a
#: breve a.
_VNI_BASES = {**dict.fromkeys("ùøûõï", "aeouyôö"), **dict.fromkeys("âáàåãä", "aeo"), **dict.fromkeys("êéèúüë", "a")}
#: A vowel followed by a mark's byte where Vietnamese in Unicode never writes the two side by side ("aâ", "oâ", "eã",
#: "aê", "öù"; not "oà", "oá", "oã", "uâ", "iã": hoà, hoá, hoãn, xuân, giã), in a syllable as VNI writes one: from the
#: word's start, a Vietnamese onset (VNI's "ñ" for đ) and the vowels before (uy, ư, i…), and after it a glide and a
#: final consonant or none, then no letter ("Esaù", "Gaétan", "Leão", "Raúl", "Anaïs" are no VNI; "ă" always has a
#: final consonant: "Maé", "Raphaël" are none). The pair is the group ``pair``.
_VNI_PAIR = (r"(?P<pair>(?:[aeo][âåä]|[ae][áà]|[ae]ã(?![oe])|[aeouyôö][ùøûõï])(?=[iouy]?(?:ch|nh|ng|[cmnpt])?"
             r"(?![^\W\d_]))|a[êéèúüë](?=(?:ch|ng|[cmnpt])(?![^\W\d_])))")  # (ă: a final always)
VNI_SPELLING = re.compile(r"(?<![^\W\d_])(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvxñ])?[iouyö]{0,2}"
                          + _VNI_PAIR, re.IGNORECASE)
#: The vowel-and-mark pairs of :data:`VNI_SPELLING` made of Vietnamese letters, in lower case: none is in
#: Vietnamese, so that a column of names is cleared by a search for them (a tenth of the time of
#: :data:`VNI_SPELLING`'s, which ignores case; a pattern of classes took twice the time of these words) and by
#: one for :data:`_VNI_OTHER_MARKS`.
_VNI_PAIRS = re.compile("|".join(base + mark for bases, marks in (("aeo", "â"), ("aeouyô", "ùõ"), ("ae", "áàã"),
                                                                  ("a", "êéèú")) for base in bases for mark in marks))
#: The other pairs' letters that are none of Vietnamese: VNI's marks ø û ï å ä ü ë and its ư (ö), each one of
#: :data:`LEGACY_ENCODING`'s letters.
_VNI_OTHER_MARKS = re.compile("[øûïåäüëöØÛÏÅÄÜËÖ]")
_VNI = N_("looks like text in the old VNI encoding, not Unicode: {letters} is VNI's way of writing {letter}; convert "
          "the file to Unicode (e.g. Unikey's converter), then save it as .xlsx or CSV UTF-8")


def vni_spelling(text: str) -> re.Match[str] | None:
    """The first of ``text``'s syllables spelled as VNI spells (:data:`VNI_SPELLING`; its vowel and mark are the
    group ``pair``), or ``None``."""
    if _VNI_PAIRS.search(text.lower()) is None and _VNI_OTHER_MARKS.search(text) is None:
        return None
    return VNI_SPELLING.search(text)


def vni_letter(spelling: str) -> str:
    """The letter a :data:`VNI_SPELLING` pair stands for (``eã`` → ``ễ``; VNI's ``ô`` is ``ơ``, its ``ö`` ``ư``)."""
    base = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư"}.get(spelling[0], spelling[0])
    return unicodedata.normalize("NFC", base + _VNI_MARKS[spelling[1].lower()])


#: Of :data:`LEGACY_ENCODING`'s characters, the signs no name holds: TCVN3's "ă", "ê", "ư", "đ", "à"… ("V¨n", "Lª").
#: The others are letters of European names too ("Zoë", "Müller", "Françoise", "Peña"): refused in a word only as
#: :func:`_old_encoding` says.
_LEGACY_SIGNS = re.compile("[¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷]")
#: TCVN3 (ABC, the .VnTime fonts): a letter with marks in one byte, as the Latin-1 character it shows as.
_TCVN3 = str.maketrans(dict(zip(
    "¨©ª«¬\u00ad®µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ",
    "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ", strict=True)))
#: VNI's letters of one byte (besides its vowels and marks, :data:`_VNI_MARKS`).
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_READ = re.compile("([aeouyôö])([ùøûõïâáàåãäêéèúüë])|[ôöñæóòî]", re.IGNORECASE)
#: A Vietnamese syllable without its tone: onset, nucleus (the longest first), final.
_NUCLEI = ("uyê", "iêu", "yêu", "uôi", "ươi", "ươu", "oai", "oay", "oeo", "uây", "uyu", "uya", "iê", "yê", "uô", "ươ",
           "oa", "oă", "oe", "uâ", "uê", "uy", "uơ", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "iu", "oi", "ôi",
           "ơi", "ui", "ưi", "ưu", "ia", "ua", "ưa", "oo", "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
_SYLLABLE = re.compile(f"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:{'|'.join(_NUCLEI)})"
                       "(?:ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")
_TONE_MARKS = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
#: An upper-case letter of :data:`LEGACY_ENCODING` after a lower-case one: TCVN3's ("TrÇn", "ThÞ"), no name's.
_LEGACY_INSIDE = re.compile("(?<=[a-zß-ÿ])[ÄÅÆÇËÎÏÑÖØÛÜÞ]")


def _syllable(word: str) -> bool:
    """Whether ``word`` (lower case) is a Vietnamese syllable, whatever its tone."""
    bare = unicodedata.normalize("NFC", _TONE_MARKS.sub("", unicodedata.normalize("NFD", word)))
    return _SYLLABLE.fullmatch(bare) is not None


def _vni_letter(match: re.Match[str]) -> str:
    """The letter a :data:`_VNI_READ` match stands for (itself if its mark does not follow its vowel in VNI)."""
    if match[1] is None:
        single = _VNI_LETTERS[match[0].lower()]
        return single.upper() if match[0].isupper() else single
    return vni_letter(match[0]) if match[1].lower() in _VNI_BASES[match[2].lower()] else match[0]


def _readings(word: str) -> tuple[str, ...]:
    """A word in lower case as it is written, and as TCVN3 and VNI would mean it (a capital as .VnTimeH shows
    TCVN3's small letter: "Ång" is "ồng")."""
    return word.lower(), word.translate(_TCVN3).lower(), word.lower().translate(_TCVN3), \
        _VNI_READ.sub(_vni_letter, word).lower()


#: A letter of Vietnamese that no 8-bit reading shows (ă, ơ, ư, đ, ễ…: beyond Latin-1).
_VIETNAMESE_BEYOND_LATIN1 = frozenset(
    c for c in map(chr, range(0x100, 0x2000)) if c in "đĐ" or (
        len(d := unicodedata.normalize("NFD", c)) > 1 and d[0] in "aeiouyAEIOUY"
        and set(d[1:]) <= {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}))
_VOWEL = re.compile("[aeiouy]", re.IGNORECASE)
#: A word read as a word, not as letters: a vowel between two consonants, or a consonant between two vowels
#: ("HANS", "ANNA"; not "UBND", "UBMTTQ", "ANTT"), of its letters without their marks in capitals.
_READ_AS_A_WORD = re.compile("[^AEIOUY][AEIOUY]+[^AEIOUY]|[AEIOUY][^AEIOUY]+[AEIOUY]")


def _abbreviation(word: str) -> bool:
    """Whether ``word`` is written in capitals and read as its letters ("UBND", "UBMTTQ", "ANTT"): an abbreviation,
    as Vietnamese typed in any encoding holds ("Bïi UBND" is TCVN3's "Bùi UBND")."""
    if not word.isupper():
        return False
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return _READ_AS_A_WORD.search(bare) is None


def _unicode_text(text: str) -> bool:
    """Whether ``text`` is evidently no Vietnamese typed in an old 8-bit encoding, whose every word is a Vietnamese
    syllable in its reading or an abbreviation (:func:`_abbreviation`: "UBND") and whose letters are all Latin-1's:
    it holds a Vietnamese letter beyond Latin-1 ("Nguyễn Loïc": typed in Unicode), or a word with a vowel that is
    no Vietnamese syllable however it is read, nor an abbreviation ("Loïc Martin", "Hans Küng", "HANS KÜNG": a
    foreign name; not "Bïi UBND"). Then a word that reads as TCVN3 or VNI only through letters European names hold
    too ("Loïc" as VNI's "Lọc", "Küng" as TCVN3's "Kỹng") is the name it shows."""
    return not _VIETNAMESE_BEYOND_LATIN1.isdisjoint(text) or any(
        _VOWEL.search(word) is not None and not any(map(_syllable, _readings(word))) and not _abbreviation(word)
        for word in _WORD.findall(text))


def _old_encoding(word: str, unicode_text: Callable[[], bool]) -> InvalidValue | None:
    """Why a word holding a letter of :data:`LEGACY_ENCODING` (no sign) is in an old encoding, or ``None`` if it is
    a name's ("Zoë", "Noël", "Françoise", "Müller", "Peña"): an upper-case one after a lower-case letter, or the word
    read as TCVN3 is a Vietnamese syllable ("Bïi" is TCVN3's "Bùi", "Ång" its "Ồng"); or read as VNI ("Ñoàng" is
    VNI's "Đồng") — unless its text is evidently Unicode (``unicode_text``, :func:`_unicode_text`: "Hans Küng" is no
    TCVN3 "Kỹng", "Loïc Martin" no VNI "Lọc"; "Küng" or "Loïc" alone is still refused)."""
    legacy = LEGACY_ENCODING.search(word)
    if legacy is None:
        return None
    if _LEGACY_INSIDE.search(word) is not None:
        return InvalidValue(_LEGACY, letter=repr(legacy[0]))
    _, *tcvn3, vni = _readings(word)
    if any(map(_syllable, tcvn3)) and not unicode_text():
        return InvalidValue(_LEGACY, letter=repr(legacy[0]))
    if _syllable(vni) and not unicode_text():
        first = next(match for match in _VNI_READ.finditer(word) if _vni_letter(match) != match[0])
        return InvalidValue(_VNI, letters=repr(first[0]), letter=repr(_vni_letter(first)))
    return None


def _vni_refused(text: str) -> re.Match[str] | None:
    """The first of ``text``'s syllables spelled as VNI spells (:func:`vni_spelling`) that is refused: every one whose
    vowel and mark are Vietnamese letters ("eã", "aâ": none of a name), one whose pair holds a letter European names
    hold too ("oï", "ôø") unless the text is evidently Unicode (:func:`_unicode_text`: "Loïc Martin")."""
    if vni_spelling(text) is None:
        return None
    unicode_text: bool | None = None
    for found in VNI_SPELLING.finditer(text):
        if LEGACY_ENCODING.search(found["pair"]) is not None:
            if unicode_text is None:
                unicode_text = _unicode_text(text)
            if unicode_text:
                continue
        return found
    return None


def parse_text(text: str) -> str:
    """A free text (a name, a field of study): NFC, spaces tidied (a run of spaces, a non-breaking space or a
    line break typed in a cell is one space: "Nguyễn  Văn An" is "Nguyễn Văn An"); a text in an old 8-bit
    encoding refused: a sign of TCVN3's (:data:`_LEGACY_SIGNS`), a syllable VNI spells (:data:`VNI_SPELLING`,
    naming the letter meant), a word TCVN3 or VNI spells with a letter of :data:`LEGACY_ENCODING`
    (:func:`_old_encoding`); a syllable spelled so only through letters of European names is a foreign name's in a
    text evidently Unicode (:func:`_unicode_text`: "Loïc Martin", "Hans Küng")."""
    legacy = LEGACY_ENCODING.search(text)
    sign = _LEGACY_SIGNS.search(text) if legacy is not None else None
    if sign is not None:  # (TCVN3's: "Lª Thuû" is no VNI "uû")
        raise InvalidValue(_LEGACY, letter=repr(sign[0]))
    text = unicodedata.normalize("NFC", text)
    vni = _vni_refused(text)
    if vni is not None:
        raise InvalidValue(_VNI, letters=repr(vni["pair"]), letter=repr(vni_letter(vni["pair"])))
    if legacy is not None:
        unicode_text = functools.cache(functools.partial(_unicode_text, text))
        for word in _WORD.findall(text):
            problem = _old_encoding(word, unicode_text)
            if problem is not None:
                raise problem
    return " ".join(text.split())


def parse_identifier(text: str) -> str:
    """An id or a code (officials' ``id`` and ``unit``, units' ``code`` and ``district``), compared exactly:
    NFC, and refused if it holds a character that does not show (NUL, a BOM, a zero-width space or joiner,
    a direction mark, a non-breaking space…), which would make two equal-looking ids differ."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text
    char = next(c for c in text if not c.isprintable() and c != " ")
    name = unicodedata.name(char, "a control character")
    raise InvalidValue(N_("contains an invisible character {char} ({name}); ids and codes are compared exactly: "
                          "remove it"), char=f"U+{ord(char):04X}", name=name)


def parse_texts(texts: list[str]) -> list[str] | None:
    """:func:`parse_text` of every text of a column (each stripped and not empty), known at once: ``texts``
    themselves when every one is NFC already and tidy (checks in C of the texts joined), else ``None`` (then
    parse them one by one)."""
    joined = " ".join(texts)
    # tidy: no run of spaces, no space but the plain one (a non-breaking space, a line break), no letter of an old
    # encoding: checks in C (a regex of the three alternatives took six times as long); the spaces' regex only
    # when a character does not print (a zero-width space does not, and parse_text leaves it)
    tidy = "  " not in joined and (joined.isprintable() or _OTHER_SPACE.search(joined) is None) and \
        LEGACY_ENCODING.search(joined) is None and (_VNI_PAIRS.search(joined.lower()) is None or
                                                    VNI_SPELLING.search(joined) is None)  # (vni_spelling's, whose
    # _VNI_OTHER_MARKS are letters of LEGACY_ENCODING)
    return texts if tidy and _all_nfc(texts) else None


def parse_identifiers(texts: list[str]) -> list[str] | None:
    """:func:`parse_identifier` of every text of a column (each stripped and not empty), known at once:
    ``texts`` themselves when every one is NFC and printable (a check in C of the texts joined), else ``None``
    (then parse them one by one: a refused one is located)."""
    return texts if "".join(texts).isprintable() and _all_nfc(texts) else None


def _all_nfc(texts: list[str]) -> bool:
    """Whether every text is NFC: the texts joined by a line end are, when no text holds one (a line end
    neither composes nor reorders with what is around it, so NFC keeps each text apart)."""
    joined = "\n".join(texts)
    return joined.isascii() or (joined.count("\n") == len(texts) - 1 and unicodedata.is_normalized("NFC", joined))


def parse_bool(text: str) -> bool:
    """``true/false``, ``1/0``, ``yes/no``, ``có/không``, and a mark: ``x``, ``X``, ``✓`` (an empty cell is the
    column's default, decided by the caller)."""
    value = _BOOLS.get(fold(text))
    if value is None:
        raise InvalidValue(N_("not a boolean (expected true/false, 1/0, yes/no, có/không, or x or ✓ for yes)"))
    return value


def parse_planning(text: str) -> bool:
    """``in_planning``: a boolean, or the post(s) the official is planned for, as a column "Quy hoạch chức danh"
    holds them ("Chủ tịch UBND"): in the planning."""
    try:
        return parse_bool(text)
    except InvalidValue as exc:
        try:
            posts = parse_positions(text)
        except ValueError:
            raise exc from None
        if not posts or "other" in posts:
            raise exc from None
        return True


#: How the standing committee's members are marked besides a boolean ("UVBTV", "Ủy viên BTV").
_STANDING = frozenset(map(match_key, ("uvbtv", "uv btv", "ủy viên btv", "ủy viên ban thường vụ", "btv",
                                      "thường vụ", "ủy viên thường vụ")))


def parse_standing(text: str) -> bool:
    """``standing_committee``: a boolean, or the membership written out ("UVBTV", "Ủy viên BTV")."""
    return True if match_key(text) in _STANDING else parse_bool(text)


#: The reason an item of a list cell (``2023:khá;…``) is not read.
_IN_ITEM = N_("{item}: {reason}")


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_codes(vocab: Vocabulary) -> Callable[[str], tuple[str, ...]]:
    """A parser of ``;``-separated codes (or labels) of ``vocab``."""

    def parse(text: str) -> tuple[str, ...]:
        codes = []
        for item in _items(text):
            try:
                codes.append(vocab.parse(item))
            except ValueError as exc:
                raise InvalidValue(_IN_ITEM, item=repr(item), reason=exc) from None
        return tuple(codes)

    return parse


def parse_positions(text: str) -> tuple[str, ...]:
    """Posts (codes or labels) separated by ``;``, ``,``, ``+`` or ``kiêm``: ``Bí thư Đảng ủy kiêm Chủ tịch
    HĐND`` is ``("party_secretary", "council_chair")``. A text that is one label as a whole is one post."""
    whole = POSITION.find(text)
    if whole is not None:
        return (whole,)
    items = [item for item in _POST_SEPARATORS.split(text) if item.strip()]
    if len(items) <= 1:
        dashed = _DASH.split(text)
        found = [code for code in map(POSITION.find, dashed) if code is not None] if len(dashed) > 1 else []
        if len(found) == len(dashed):  # every part between dashes a post: concurrent posts
            return tuple(found)
        return (POSITION.parse(text),)
    posts: list[str] = []
    for item in items:
        try:
            posts.append(POSITION.parse(item))
        except ValueError as exc:
            raise InvalidValue(_IN_ITEM, item=repr(item.strip()), reason=exc) from None
    return tuple(posts)


def parse_position(text: str) -> tuple[str, ...]:
    """The ``position`` cell: the primary post first, then any concurrent posts written in the same cell
    (``Bí thư Đảng ủy, Chủ tịch HĐND``)."""
    return parse_positions(text)


def parse_rating(text: str) -> str:
    """One year's rating: a code, a label, or an abbreviation (``HTTNV``, ``HTXSNV``)."""
    return RATING.parse(text)


def parse_ratings(text: str) -> tuple[tuple[int, str], ...]:
    """``YEAR:rating;…``, sorted by year."""
    ratings: dict[int, str] = {}
    for item in _items(text):
        year_text, colon, rating_text = item.partition(":")
        year_text = year_text.strip()
        if not colon:
            raise InvalidValue(N_("{item} is not YEAR:rating"), item=repr(item))
        if not (year_text.isascii() and year_text.isdigit() and _MIN_YEAR <= int(year_text) <= _MAX_YEAR):
            raise InvalidValue(N_("{item}: the year must be between {low} and {high}"), item=repr(item),
                               low=_MIN_YEAR, high=_MAX_YEAR)
        year = int(year_text)
        try:
            rating = RATING.parse(rating_text)
        except ValueError as exc:
            raise InvalidValue(_IN_ITEM, item=repr(item), reason=exc) from None
        if year in ratings:
            raise InvalidValue(N_("year {year} is rated twice"), year=year)
        ratings[year] = rating
    return tuple(sorted(ratings.items()))


def parse_discipline(text: str) -> tuple[tuple[date, str], ...]:
    """``DATE:form;…``, sorted by date."""
    entries: list[tuple[date, str]] = []
    for item in _items(text):
        date_text, colon, form_text = item.partition(":")
        if not colon:
            raise InvalidValue(N_("{item} is not DATE:form"), item=repr(item))
        try:
            entries.append((parse_date(date_text), DISCIPLINE.parse(form_text)))
        except ValueError as exc:
            raise InvalidValue(_IN_ITEM, item=repr(item), reason=exc) from None
    entries.sort(key=lambda entry: (entry[0], DISCIPLINE.rank(entry[1])))
    return tuple(entries)


def parse_share(text: str) -> Fraction:
    """A share between 0 and 1 (``0.711``, ``0,711``) or a percentage (``71,1%``, ``71.1%``), exactly."""
    percent = _PERCENT.fullmatch(text)
    number = percent[1] if percent else text
    match = _DECIMAL.fullmatch(number)
    if match is None:
        raise InvalidValue(N_("not a decimal number between 0 and 1 (or a percentage such as 71,1%)"))
    decimals = len(match[1] or "") + (2 if percent else 0)
    if decimals > SHARE_DECIMALS:
        raise InvalidValue(N_("more than {count} decimal places"), count=SHARE_DECIMALS)
    share = Fraction(number.replace(",", "."))
    if percent:
        share /= 100
    if share > 1:
        raise InvalidValue(N_("must be between 0 and 1 (or 0% and 100%)"))
    return share


def parse_gender(text: str) -> str:
    """``male``/``female``: also ``Nam``, ``Nữ``, ``Nu``."""
    return GENDER.parse(text)


def parse_category(text: str) -> str:
    """``cadre``/``civil_servant``: also ``cán bộ``, ``công chức``."""
    return CATEGORY.parse(text)


def parse_general_education(text: str) -> str:
    """General education: also ``THCS``, ``THPT``, ``9/12``, ``12/12``."""
    return GENERAL_EDUCATION.parse(text)


def parse_education(text: str) -> str:
    """Education: also ``Thạc sỹ``, ``Th.S``, ``ĐH``, ``Đại học chính quy``, ``Cử nhân Luật``…"""
    return EDUCATION.parse(text)


def parse_political_theory(text: str) -> str:
    """Political theory: also ``Cao cấp LLCT``, ``CC``, ``TC``, ``Cử nhân chính trị``…"""
    return POLITICAL_THEORY.parse(text)


def parse_unit_kind(text: str) -> str:
    """``commune``/``ward``/``town``: also ``Xã``, ``Phường``, ``Thị trấn``."""
    return UNIT_KIND.parse(text)


def parse_unit_class(text: str) -> int:
    """A unit class: ``1``, ``2``, ``3`` (also ``I``, ``II``, ``III``, ``Loại 1``, ``Hạng I``)."""
    key = fold(text)
    for prefix in ("loại ", "hạng "):
        key = key.removeprefix(prefix)
    value = _UNIT_CLASSES.get(key.strip())
    if value is None:
        raise InvalidValue(N_("not a unit class (expected 1, 2 or 3; also I, II, III)"))
    return value
