"""Hypothesis strategies shared by the test suite.

* Records: valid officials, units and whole populations (``units``, ``officials``, ``populations``), with
  text that exercises the engines' string handling (Vietnamese, quotes, backslashes, control characters,
  ``\\u`` look-alikes) and shares down to 1e-6; ``file_officials`` / ``file_units`` give records that a
  file can hold exactly (NFC, stripped, no control characters), for round trips.
* Policy packs: ``pack_dicts()`` draws a random pack as the dict ``tomllib`` would give, built
  type-correctly from the field catalogue, so that ``parse_pack`` always accepts it. ``PackOptions``
  narrows the packs for properties that need it (fields left out, static staffing requirements…) and
  switches off constructs that trip known bugs (see ``tests/properties/_known_bugs.py``).
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.model._codes import CATEGORY
from cadre_rules.model._codes import DISCIPLINE
from cadre_rules.model._codes import EDUCATION
from cadre_rules.model._codes import GENERAL_EDUCATION
from cadre_rules.model._codes import POLITICAL_THEORY
from cadre_rules.model._codes import POSITION
from cadre_rules.model._codes import RATING
from cadre_rules.model._codes import VOCABULARIES
from cadre_rules.model._types import ValueType
from cadre_rules.model._values import VNI_SPELLING
from cadre_rules.packs._catalogue import OFFICIAL_FIELDS
from cadre_rules.packs._catalogue import UNIT_FIELDS

KEY_POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
             "committee_chair", "committee_vice_chair", "front_chair")
DISTRICTS = ("Ba Vì", "Hoàn Kiếm", "Đông Anh")
FAMILIES = ("staffing", "quota", "qualification", "rotation", "replacement")
SEVERITIES = ("error", "warning", "info")
SCOPES = ("city", "district", "unit")

dates = st.dates(min_value=date(1955, 1, 1), max_value=date(2026, 12, 31))
births = st.dates(min_value=date(1955, 1, 1), max_value=date(2004, 12, 31))
as_of_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))

# --------------------------------------------------------------------------- cached building blocks
# Building a strategy inside a composite on every draw costs more than the draw: build each once.


@functools.cache
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.cache
def _pick(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


def _chance(draw: st.DrawFn, one_in: int) -> bool:
    """True once in ``one_in`` draws (on average)."""
    return bool(draw(_ints(0, one_in - 1)) == 0)


_BOOLS = st.booleans()
_MAYBE_BOOLS = st.one_of(st.none(), _BOOLS)

# --------------------------------------------------------------------------- text

#: Precomposed (NFC) Vietnamese letters.
VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
              "ĐĂÂÊÔƠƯÁÀẢÃẠÉÊỆÍÓÔỘÚƯỨÝ")
#: Characters that quoting, escaping and CSV/JSON/TOML/durable encodings must survive.
PUNCTUATION = " '\"\\,;:.-_/()[]#=+*&%$@!?|"
#: Characters a file cannot hold exactly (stripped, rejected by XLSX) but an API record can.
CONTROL = "\x00\x01\x08\t\n\r\x1b\x1f\x7f\x85\u2028"
EXOTIC = "\u0301\u00a0\u200b\U0001f600"
#: Strings that tripped, or could trip, an encoder somewhere.
TRICKY_STRINGS = ("Hà Nội", 'Quận "Ba Đình"', "Xã Tản\\Lĩnh", "O'Brien", "\\u0041", "\\", '"', 'a\\"b',
                  "1e-06", "true", "0", "Nguyễn Văn A", "e\u0301", "Hoàn Kiếm", "x\ny", "\u00e9", "ba vì")

_ASCII = string.ascii_letters + string.digits
_FILE_ALPHABET = _ASCII + VIETNAMESE + PUNCTUATION + "\n\t"
_HOSTILE_ALPHABET = _ASCII + VIETNAMESE + PUNCTUATION + CONTROL + EXOTIC


@functools.cache
def hostile_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Any text an API caller could put in a record (not normalised, maybe empty)."""
    return st.one_of(st.sampled_from(TRICKY_STRINGS), st.text(_HOSTILE_ALPHABET, max_size=max_size))


def _file_form(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@functools.cache
def file_texts(max_size: int = 16) -> st.SearchStrategy[str]:
    """Non-empty text that a CSV, XLSX or JSON file holds exactly (NFC, no surrounding blanks)."""
    tricky = [t for t in TRICKY_STRINGS if _file_form(t) == t and t and all(c in _FILE_ALPHABET for c in t)]
    return st.one_of(st.sampled_from(tricky),
                     st.text(_FILE_ALPHABET, min_size=1, max_size=max_size).map(_file_form)).filter(bool)


@functools.cache
def file_ids(max_size: int = 16) -> st.SearchStrategy[str]:
    """:func:`file_texts` that an id or a code may be: nothing invisible (no tab or line break either)."""
    return file_texts(max_size).filter(str.isprintable)


# --------------------------------------------------------------------------- records

#: Shares of "low confidence" votes: exact 6-place decimals (as files hold them), tiny ones, and 2/3.
shares = st.one_of(
    st.none(),
    st.integers(0, 1_000_000).map(lambda k: Fraction(k, 1_000_000)),
    st.sampled_from([Fraction(0), Fraction(1), Fraction(1, 1_000_000), Fraction(2, 1_000_000), Fraction(2, 3),
                     Fraction(6667, 10000), Fraction(666667, 1_000_000), Fraction(1, 2), Fraction(999_999, 1_000_000)]),
)
file_shares = st.one_of(st.none(), st.integers(0, 1_000_000).map(lambda k: Fraction(k, 1_000_000)),
                        st.sampled_from([Fraction(1, 1_000_000), Fraction(1), Fraction(0)]))

_KINDS = st.sampled_from(["commune", "ward", "town"])
_CLASSES = st.integers(1, 3) | st.none()  # None: not classified (the units of 2025-07-01)
_PLAIN_DISTRICTS = st.sampled_from([*DISTRICTS, None])
_HOSTILE_DISTRICTS = st.one_of(_PLAIN_DISTRICTS, hostile_texts(8))
_SUFFIXES = st.one_of(st.just(""), hostile_texts(6))
_GENDERS = st.sampled_from(["male", "female"])
_POSITIONS = st.sampled_from(POSITION.codes)
_CONCURRENT = st.lists(st.sampled_from(KEY_POSTS), max_size=2, unique=True).map(tuple)
_DISCIPLINE = st.lists(st.tuples(dates, st.sampled_from(DISCIPLINE.codes)), max_size=2,
                       unique_by=lambda t: t[0]).map(lambda ds: tuple(sorted(ds)))
_GENERAL_EDUCATION = st.one_of(st.none(), st.sampled_from(GENERAL_EDUCATION.codes))
_EDUCATION = st.sampled_from(EDUCATION.codes)
_THEORY = st.sampled_from(POLITICAL_THEORY.codes)
_STUDIES = st.sampled_from(["Kinh tế nông nghiệp", "Luật", "Kiến trúc"])
_PLAIN_FIELDS_OF_STUDY = st.one_of(st.none(), _STUDIES)
_HOSTILE_FIELDS_OF_STUDY = st.one_of(st.none(), _STUDIES, hostile_texts())
_NAMES = st.one_of(st.just("Nguyễn Văn A"), hostile_texts())
_MAYBE_DATES = st.one_of(st.none(), dates)
#: Ends of terms and secondments: around the as-of dates (2020-2030) and the projections' steps, so that an end
#: falls before, on and after them.
_END_DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
_RATING_YEARS = st.lists(st.integers(2018, 2027), unique=True, max_size=5)
_RATINGS = st.sampled_from(RATING.codes)


@st.composite
def units(draw: st.DrawFn, n: int | None = None, *, hostile: bool = True) -> list[Unit]:
    """Units with unique codes ``U000``, ``U001``… (plus, if ``hostile``, tricky suffixes and names)."""
    count = n if n is not None else draw(_ints(1, 4))
    out = []
    for i in range(count):
        code = f"U{i:03d}" + (draw(_SUFFIXES) if hostile else "")
        name = draw(hostile_texts(8)) if hostile and _chance(draw, 2) else f"Xã {i}"
        out.append(Unit(code=code, name=name, kind=draw(_KINDS), unit_class=draw(_CLASSES),
                        district=draw(_HOSTILE_DISTRICTS if hostile else _PLAIN_DISTRICTS),
                        has_council=draw(_BOOLS)))
    return out


@st.composite
def ratings(draw: st.DrawFn) -> tuple[tuple[int, str], ...]:
    years = draw(_RATING_YEARS)
    return tuple(sorted((y, draw(_RATINGS)) for y in years))


_RATINGS_OF = ratings()


def _end(draw: st.DrawFn, began: date | None, ends: st.SearchStrategy[date]) -> date | None:
    """The end of a term or a secondment (``None``, unknown, half the time), not before the date it
    ``began`` (the readers refuse an end before its start; it may end the day it began)."""
    if _chance(draw, 2):
        return None
    end = draw(ends)
    return began if began is not None and end < began else end


@st.composite
def officials(draw: st.DrawFn, unit_codes: Sequence[str], ident: str = "O1", *, hostile: bool = True) -> Official:
    appointed_on, secondment_since = draw(_MAYBE_DATES), draw(_MAYBE_DATES)
    return Official(
        id=ident,
        full_name=draw(_NAMES) if hostile else "Nguyễn Văn A",
        gender=draw(_GENDERS),
        birth_date=draw(births),
        unit=draw(_pick(tuple(unit_codes))),
        position=draw(_POSITIONS),
        concurrent_positions=draw(_CONCURRENT),
        standing_committee=draw(_MAYBE_BOOLS),
        general_education=draw(_GENERAL_EDUCATION),
        education=draw(_EDUCATION),
        field_of_study=draw(_HOSTILE_FIELDS_OF_STUDY if hostile else _PLAIN_FIELDS_OF_STUDY),
        political_theory=draw(_THEORY),
        appointed_on=appointed_on,
        in_planning=draw(_MAYBE_BOOLS),
        ratings=draw(_RATINGS_OF),
        discipline=draw(_DISCIPLINE),
        low_confidence_share=draw(shares),
        under_investigation=draw(_BOOLS),
        secondment_since=secondment_since,
        is_local=draw(_MAYBE_BOOLS),
        secondment_until=_end(draw, secondment_since, _END_DATES),
        term_ends=_end(draw, appointed_on, _END_DATES),
    )


@st.composite
def populations(draw: st.DrawFn, max_officials: int = 25, *, min_officials: int = 0, hostile: bool = True,
                max_units: int = 4) -> tuple[list[Official], list[Unit]]:
    """Officials (unique ids ``O0000``… plus tricky suffixes) and the units (at least one) they belong to."""
    us = draw(units(draw(_ints(1, max_units)), hostile=hostile))
    codes = tuple(u.code for u in us)
    n = draw(_ints(min_officials, max_officials))
    return [draw(officials(codes, f"O{i:04d}" + (draw(_SUFFIXES) if hostile else ""), hostile=hostile))
            for i in range(n)], us


# --------------------------------------------------------------------------- records a file holds exactly

_FILE_DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31))
_MAYBE_FILE_DATES = st.one_of(st.none(), _FILE_DATES)
_EXTRA_KEYS = ("ghi chú", "Note", "tổ dân phố", "x;y", 'quote"d', "back\\slash")
_EXTRAS = st.dictionaries(st.sampled_from(_EXTRA_KEYS), file_texts(), max_size=2)
_FILE_CONCURRENT = st.lists(_POSITIONS, max_size=3).map(tuple)
_FILE_RATINGS = st.dictionaries(st.integers(1900, 2100), _RATINGS, max_size=4).map(
    lambda rs: tuple(sorted(rs.items())))
_FILE_DISCIPLINE = st.lists(st.tuples(_FILE_DATES, st.sampled_from(DISCIPLINE.codes)), max_size=3).map(
    lambda ds: tuple(sorted(ds, key=lambda e: (e[0], DISCIPLINE.rank(e[1])))))
#: Names and fields of study as a file holds them: the readers tidy their spaces ("Nguyễn  Văn\nAn" is
#: "Nguyễn Văn An"), so that such a text is read back equal only in its tidy form; and a text spelled as VNI
#: spells ("Vaên": random letters may be) is refused, as a letter of TCVN3 is (the alphabet holds none).
_FILE_NAMES = file_texts().map(lambda text: " ".join(text.split())).filter(
    lambda text: bool(text) and VNI_SPELLING.search(text) is None)
_MAYBE_FILE_TEXTS = st.one_of(st.none(), _FILE_NAMES)
_CATEGORIES = st.sampled_from(CATEGORY.codes)
_FILE_DISTRICTS = st.one_of(st.none(), st.sampled_from(DISTRICTS), file_ids())


@st.composite
def file_officials(draw: st.DrawFn, unit_codes: Sequence[str] | None = None, ident: str | None = None) -> Official:
    """An official that official_to_row writes and load_officials reads back equal."""
    fields: dict[str, Any] = dict(
        id=ident if ident is not None else draw(file_ids(10)),
        full_name=draw(_FILE_NAMES),
        gender=draw(_GENDERS),
        birth_date=draw(_FILE_DATES),
        unit=draw(_pick(tuple(unit_codes))) if unit_codes else draw(file_ids(8)),
        position=draw(_POSITIONS),
        education=draw(_EDUCATION),
        political_theory=draw(_THEORY),
        concurrent_positions=draw(_FILE_CONCURRENT),
        standing_committee=draw(_MAYBE_BOOLS),
        general_education=draw(_GENERAL_EDUCATION),
        field_of_study=draw(_MAYBE_FILE_TEXTS),
        appointed_on=draw(_MAYBE_FILE_DATES),
        in_planning=draw(_MAYBE_BOOLS),
        ratings=draw(_FILE_RATINGS),
        discipline=draw(_FILE_DISCIPLINE),
        low_confidence_share=draw(file_shares),
        under_investigation=draw(_BOOLS),
        secondment_since=draw(_MAYBE_FILE_DATES),
        is_local=draw(_MAYBE_BOOLS),
        extra=draw(_EXTRAS),
    )
    if draw(_BOOLS):  # an explicit category (else the position's default)
        fields["category"] = draw(_CATEGORIES)
    for later in ("appointed_on", "secondment_since"):  # not before birth: the readers refuse that
        if fields[later] is not None and fields[later] < fields["birth_date"]:
            fields[later] = fields["birth_date"]
    fields["secondment_until"] = _end(draw, fields["secondment_since"], _FILE_DATES)  # (not before its start)
    fields["term_ends"] = _end(draw, fields["appointed_on"], _FILE_DATES)
    return Official(**fields)


@st.composite
def file_units(draw: st.DrawFn, code: str | None = None) -> Unit:
    """A unit that unit_to_row writes and load_units reads back equal."""
    return Unit(code=code if code is not None else draw(file_ids(8)), name=draw(_FILE_NAMES),
                kind=draw(_KINDS), unit_class=draw(_CLASSES), district=draw(_FILE_DISTRICTS),
                has_council=draw(_BOOLS), extra=draw(_EXTRAS))


_FILE_CODES = st.lists(file_ids(8), min_size=1, max_size=3, unique=True)


@st.composite
def file_populations(draw: st.DrawFn, max_officials: int = 6) -> tuple[list[Official], list[Unit]]:
    codes = draw(_FILE_CODES)
    us = [draw(file_units(code)) for code in codes]
    ids = draw(st.lists(file_ids(10), max_size=max_officials, unique=True))
    no_council = {u.code for u in us if not u.has_council}
    return [_council_free(draw(file_officials(codes, i)), no_council) for i in ids], us


_COUNCIL_POSTS = frozenset({"council_chair", "council_vice_chair"})


def _council_free(official: Official, no_council: set[str]) -> Official:
    """The official without council posts if the unit has no council (the readers refuse them there)."""
    if official.unit not in no_council:
        return official
    position = "other" if official.position in _COUNCIL_POSTS else official.position
    concurrent = tuple(p for p in official.concurrent_positions if p not in _COUNCIL_POSTS)
    return attrs.evolve(official, position=position, concurrent_positions=concurrent)


# --------------------------------------------------------------------------- policy packs


@dataclass(frozen=True)
class PackOptions:
    """What random packs may contain.

    The defaults allow every valid construct; properties narrow them, and switch off the constructs of
    known, reported bugs (tests/properties/_known_bugs.py) until those are fixed.
    """

    #: Catalogue fields and functions never used in expressions, ``show`` or message placeholders.
    exclude: frozenset[str] = frozenset()
    #: Staffing requirements' ``where`` read only the unit's own static fields (never officials).
    static_staffing: bool = False
    #: Non-integral number literals (``35.5``, ``7/2``, ``35.0``) compared with integer fields.
    int_fraction_literals: bool = True
    #: Number literals and share targets that round to the same float as a different exact value
    #: (``0.6666666666666666`` against 2/3, ``0.3333333333333333`` against 1 of 3).
    float_neighbours: bool = True
    #: Number literals beyond the range of a double (``10**400``).
    huge_literals: bool = True
    #: Add a unit rule that fires for every unit, so that every backend session matches something.
    canary: bool = False
    max_rules: int = 4
    min_quotas: int = 0
    max_quotas: int = 2
    min_staffing: int = 0
    max_staffing: int = 2


#: Random packs with every construct.
EVERYTHING = PackOptions()

#: Parameters a random pack may declare: name -> kind (names never collide with catalogue fields).
PARAM_KINDS = {"young_age": "int", "share_min": "share", "min_theory": "political_theory",
               "min_edu": "education", "home": "text", "cutoff": "date", "flag": "bool", "posts": "list"}

#: The pack's readings of the as-of date a random pack may declare (docs/as-of.md §1-2): never in expressions.
READING_KINDS = {"retirement_ends_service": "bool", "rating_lookback_years": "lookback"}

_INT_RANGES = {"age": (15, 75), "months_to_retirement": (-30, 480), "months_in_post": (-1, 200),
               "months_on_secondment": (0, 60), "latest_rating_year": (2015, 2030),
               "consecutive_not_completed": (0, 4), "consecutive": (0, 4), "unit_class": (0, 4),
               "officials": (0, 10), "holders": (0, 3), "count": (0, 6)}
#: Integers at the edges of int64, uint64 and double (10**400 has no float).
_BIG_INTS = (2**63 - 1, 2**63, -(2**63), 10**20, -(10**20), 2**64 + 1, 2**53 + 1, 10**400, -(10**400))
_SAFE_NUMBERS = ("0", "1", "0.5", "2/3", "1/3", "1e-06", "0.000001", "0.6667", "0.666667", "1/1000000", "-0.5",
                 "0.999999", "1/2", "5/6")
#: Shortest float reprs of small fractions: equal as floats to p/q, different as exact values.
FLOAT_NEIGHBOURS = ("0.6666666666666666", "0.3333333333333333", "0.8333333333333334", "0.16666666666666666",
                    "0.14285714285714285", "0.1111111111111111", "0.7142857142857143")
_TEXT_VALUES = {"id": ("O0000", "O0001", "O0003"), "unit": ("U000", "U001"), "code": ("U000", "U001"),
                "district": DISTRICTS, "field_of_study": ("Luật", "Kiến trúc", "luật"), "name": ("Xã 0", "Xã 1")}
#: Fields whose numbers stress the engines' number encodings (picked more often).
_NUMERIC_FOCUS = ("low_confidence_share", "age", "months_to_retirement", "unit_class", "officials")
_STATIC_UNIT_FIELDS = ("code", "name", "kind", "unit_class", "district", "has_council")


def _decimal(k: int) -> str:
    """The exact decimal text of k / 10**6."""
    whole, part = divmod(k, 1_000_000)
    return f"{whole}.{part:06d}".rstrip("0").rstrip(".") if part else f"{whole}"


@dataclass
class _Context:
    """What an expression may read: the subject, the pack's parameters and the options."""

    subject: str
    params: dict[str, Any]
    options: PackOptions
    depth: int = 2
    #: A staffing requirement's ``where``: only the unit's static fields if ``options.static_staffing``.
    requirement: bool = False

    def params_of(self, kind: str) -> list[str]:
        return [n for n in self.params if PARAM_KINDS.get(n) == kind]


@dataclass(frozen=True)
class Source:
    """An expression's source text and the plain catalogue field names it reads."""

    text: str
    names: frozenset[str] = frozenset()


def _py(value: object) -> str:
    return repr(value)


_SPELLINGS = st.sampled_from(["code", "code", "label", "upper"])


def _code_literal(draw: st.DrawFn, vocab: str) -> str:
    v = VOCABULARIES[vocab]
    code = draw(_pick(v.codes))
    spelling = draw(_SPELLINGS)
    if spelling == "label":
        return _py(v.label(code))
    if spelling == "upper":
        return _py(v.label(code).upper())
    return _py(code)


_BIG = st.sampled_from(_BIG_INTS)
_FINITE_BIG = st.sampled_from([n for n in _BIG_INTS if abs(n) < 2**1000])
_INT_FRACTIONS = st.sampled_from(["35.5", "7/2", "35.0", "1/3", "-0.5", "2.0"])
_SAFE = st.sampled_from(_SAFE_NUMBERS)
_NEIGHBOURS = st.sampled_from(FLOAT_NEIGHBOURS)
_UNIT_FLOATS = st.floats(0, 1)
_MILLIONTHS = st.integers(0, 1_000_000)
_LITERAL_DATES = st.dates(date(1950, 1, 1), date(2040, 12, 31))
_DATE_FORMS = st.sampled_from(["iso", "iso", "dmy", "year"])
_TRUTHS = st.sampled_from(["True", "False"])
_TEXT_LITERALS = {hint: st.one_of(st.sampled_from(values), hostile_texts(10)) for hint, values in _TEXT_VALUES.items()}
_OTHER_TEXT_LITERALS = st.one_of(st.just("Luật"), hostile_texts(10))


def _literal(draw: st.DrawFn, t: ValueType, hint: str, ctx: _Context) -> str:
    """Python source of a literal (or a parameter name) of type ``t``."""
    if t.kind == "int":
        usable = ctx.params_of("int") + (ctx.params_of("share") if ctx.options.int_fraction_literals else [])
        if usable and _chance(draw, 6):
            return str(draw(_pick(tuple(usable))))
        lo, hi = _INT_RANGES.get(hint, (-3, 600))
        choice = draw(_ints(0, 19))
        if choice == 0:
            return _py(draw(_BIG if ctx.options.huge_literals else _FINITE_BIG))
        if choice == 1 and ctx.options.int_fraction_literals:
            return str(draw(_INT_FRACTIONS))
        if choice == 2:
            return f"{draw(_ints(1, 99))}/1"  # a Fraction with denominator 1
        value = draw(_ints(lo, hi))
        return f"-{-value}" if value < 0 and draw(_BOOLS) else _py(value)
    if t.kind == "number":
        usable = ctx.params_of("share") + ctx.params_of("int")
        if usable and _chance(draw, 5):
            return str(draw(_pick(tuple(usable))))
        choice = draw(_ints(0, 19))
        if choice == 0:
            return _py(draw(_BIG if ctx.options.huge_literals else _FINITE_BIG))
        if choice <= 7:
            return str(draw(_SAFE))
        if choice <= 15 or not ctx.options.float_neighbours:
            return _decimal(draw(_MILLIONTHS))
        if choice <= 17:
            return str(draw(_NEIGHBOURS))
        return repr(draw(_UNIT_FLOATS))
    if t.kind == "date":
        if ctx.params_of("date") and _chance(draw, 5):
            return "cutoff"
        d = draw(_LITERAL_DATES)
        form = draw(_DATE_FORMS)
        text = d.isoformat() if form == "iso" else (f"{d.day}/{d.month}/{d.year}" if form == "dmy" else str(d.year))
        return _py(text)
    if t.kind == "bool":
        return str(draw(_TRUTHS))
    if t.kind == "text":
        if ctx.params_of("text") and _chance(draw, 6):
            return "home"
        return _py(draw(_TEXT_LITERALS.get(hint, _OTHER_TEXT_LITERALS)))
    assert t.kind == "code" and t.vocab is not None
    own = ctx.params_of(t.vocab)
    if own and _chance(draw, 4):
        return str(draw(_pick(tuple(own))))
    return _code_literal(draw, t.vocab)


_RATING_TYPE = ValueType("code", "rating")
_INT_TYPE = ValueType("int")
_BOOL_TYPE = ValueType("bool")
_STUDY_WORDS = st.one_of(st.sampled_from(["luật", "Kinh tế", "TRÚC"]), hostile_texts(5))


def _field(draw: st.DrawFn, ctx: _Context) -> tuple[str, ValueType, str, frozenset[str]]:
    """A field or derived-field call: (source, type, hint for literals, plain names read)."""
    catalogue = OFFICIAL_FIELDS if ctx.subject == "official" else UNIT_FIELDS
    exclude = ctx.options.exclude
    if ctx.subject == "official":
        calls = tuple(c for c in ("rating", "consecutive", "holds", "studied", "months_to_retirement()", "is_key")
                      if c.rstrip("()") not in exclude)
    else:
        calls = tuple(c for c in ("holders", "count") if c not in exclude)
    names = tuple(n for n in catalogue if n not in exclude)
    if ctx.requirement and ctx.options.static_staffing:
        calls = ()
        names = tuple(n for n in _STATIC_UNIT_FIELDS if n not in exclude)
    if calls and _chance(draw, 4):
        call = draw(_pick(calls))
        if call == "rating":
            return f"rating({draw(_ints(2016, 2028))})", _RATING_TYPE, "rating", frozenset()
        if call == "consecutive":
            return f"consecutive({_code_literal(draw, 'rating')})", _INT_TYPE, "consecutive", frozenset()
        if call == "holds":
            args = [_code_literal(draw, "position") for _ in range(draw(_ints(1, 3)))]
            return f"holds({', '.join(args)})", _BOOL_TYPE, "holds", frozenset()
        if call == "studied":
            words = [draw(_STUDY_WORDS) for _ in range(draw(_ints(1, 2)))]
            return f"studied({', '.join(_py(w) for w in words)})", _BOOL_TYPE, "studied", frozenset()
        if call == "months_to_retirement()":
            return "months_to_retirement()", _INT_TYPE, "months_to_retirement", frozenset()
        if call == "is_key":
            return "is_key", _BOOL_TYPE, "is_key", frozenset({"is_key"})
        if call == "holders":
            return f"holders({_code_literal(draw, 'position')})", _INT_TYPE, "holders", frozenset()
        inner = _expression(draw, _Context("official", ctx.params, ctx.options, depth=0))
        return f"count({_py(inner.text)})", _INT_TYPE, "count", frozenset()
    focus = tuple(n for n in _NUMERIC_FOCUS if n in names)
    name = draw(_pick(focus if focus and _chance(draw, 4) else names))
    return name, catalogue[name].type, name, frozenset({name})


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_ORDERED_OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
_EQUALITY_OPS = st.sampled_from(["==", "!="])
_LOW_OPS = st.sampled_from(["<", "<="])
_NONES = st.sampled_from(["None", "not None"])
_BOOL_ATOMS = st.sampled_from(["flag", "True", "False"])


def _atom(draw: st.DrawFn, ctx: _Context) -> Source:
    if ctx.subject == "official" and ctx.params_of("bool") and _chance(draw, 16):
        return Source(str(draw(_BOOL_ATOMS)))
    src, t, hint, names = _field(draw, ctx)

    def lit() -> str:
        return _literal(draw, t, hint, ctx)

    form = draw(_ints(0, 9))
    if form == 0:
        return Source(f"{src} is {draw(_NONES)}", names)
    if t.kind == "bool":
        if form <= 4:
            return Source(src, names)
        if form <= 6:
            return Source(f"not {src}", names)
        if form == 7:
            return Source(f"{src} in [{lit()}]", names)
        return Source(f"{src} {draw(_EQUALITY_OPS)} {lit()}", names)
    if form in (1, 2):
        values = [lit() for _ in range(draw(_ints(1, 3)))]
        return Source(f"{src} {'not in' if draw(_BOOLS) else 'in'} [{', '.join(values)}]", names)
    op = str(draw(_ORDERED_OPS if t.ordered else _EQUALITY_OPS))
    if form == 3:
        return Source(f"{lit()} {_FLIP[op]} {src}", names)
    if form == 4 and t.ordered:
        return Source(f"{lit()} {draw(_LOW_OPS)} {src} {draw(_LOW_OPS)} {lit()}", names)
    return Source(f"{src} {op} {lit()}", names)


_SHAPES = st.sampled_from(["and", "or", "not", "atom"])


def _expression(draw: st.DrawFn, ctx: _Context) -> Source:
    """A boolean expression over the catalogue for ``ctx.subject`` that type-checks."""
    if ctx.depth <= 0 or _chance(draw, 3):
        result = _atom(draw, ctx)
    else:
        inner = _Context(ctx.subject, ctx.params, ctx.options, ctx.depth - 1, ctx.requirement)
        shape = draw(_SHAPES)
        if shape == "atom":
            result = _atom(draw, ctx)
        elif shape == "not":
            item = _expression(draw, inner)
            result = Source(f"not ({item.text})", item.names)
        else:
            items = [_expression(draw, inner) for _ in range(draw(_ints(2, 3)))]
            result = Source(f" {shape} ".join(f"({i.text})" for i in items),
                            frozenset().union(*(i.names for i in items)))
    if len(result.text) > 1500:  # the language's limit is 2000 characters
        return _atom(draw, ctx)
    return result


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


_LANGS = st.sampled_from(["vi", "en"])


def _message(draw: st.DrawFn, placeholders: Sequence[str]) -> str | dict[str, str]:
    names = tuple(placeholders)

    def one() -> str:
        parts = [_escape_braces(draw(hostile_texts(10)))]
        if names:
            for _ in range(draw(_ints(0, 2))):
                parts.append("{" + draw(_pick(names)) + "}")
                parts.append(_escape_braces(draw(hostile_texts(4))))
        return "".join(parts)

    kind = draw(_ints(0, 3))
    if kind == 0:
        return {"vi": one(), "en": one()}
    if kind == 1:
        return {draw(_LANGS): one()}
    return one()


_PARAM_NAMES = st.lists(st.sampled_from(list(PARAM_KINDS)), unique=True, max_size=len(PARAM_KINDS))
_SHARE_PARAMS = (0.1, 0.15, 0.5, 1e-06, 0.3, 0.0, 1.0, 0.000123, 0, 1)
_NEIGHBOUR_PARAMS = tuple(float(x) for x in FLOAT_NEIGHBOURS)
_POSITION_LISTS = st.lists(_POSITIONS, max_size=3)


def _params(draw: st.DrawFn, options: PackOptions) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in draw(_PARAM_NAMES):
        kind = PARAM_KINDS[name]
        if kind == "int":
            params[name] = draw(_ints(18, 60))
        elif kind == "share":
            params[name] = draw(_pick(_SHARE_PARAMS + (_NEIGHBOUR_PARAMS if options.float_neighbours else ())))
        elif kind in ("political_theory", "education"):
            params[name] = draw(_pick(VOCABULARIES[kind].codes))
        elif kind == "text":
            params[name] = draw(hostile_texts(8))
        elif kind == "date":
            params[name] = draw(_LITERAL_DATES)
        elif kind == "bool":
            params[name] = draw(_BOOLS)
        else:
            params[name] = draw(_POSITION_LISTS)
    # the pack's own readings of the as-of date (docs/as-of.md §1-2; never read by its expressions)
    if _chance(draw, 3):
        params["retirement_ends_service"] = draw(_BOOLS)
    if _chance(draw, 3):
        params["rating_lookback_years"] = draw(_ints(0, 3))
    return params


def _placeholder_names(names: frozenset[str], params: dict[str, Any], exclude: frozenset[str]) -> list[str]:
    allowed = {n for n in names if n.isidentifier()} | set(params) | ({"id"} - exclude)
    return sorted(allowed)


_SUBJECTS = st.sampled_from(["official", "official", "unit"])
_FAMILIES = st.sampled_from(FAMILIES)
_SEVERITIES = st.sampled_from(SEVERITIES)
_UNLESS = st.lists(_FAMILIES, unique=True, max_size=2)
_OFFICIAL_SHOWABLE = ("rating(2022)", "holds('party_secretary', 'front_chair')", "consecutive('good')")
_UNIT_SHOWABLE = ("holders('committee_vice_chair')",)


def _rule(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    subject = str(draw(_SUBJECTS))
    ctx = _Context(subject, params, options)
    family = str(draw(_FAMILIES))
    table: dict[str, Any] = {"id": f"{family}.r{i}", "family": family}
    if subject == "unit" or draw(_BOOLS):
        table["subject"] = subject
    names: frozenset[str] = frozenset()
    if draw(_BOOLS):
        where = _expression(draw, ctx)
        table["where"] = where.text
        names |= where.names
    when = _expression(draw, ctx)
    table["when"] = when.text
    names |= when.names
    if _chance(draw, 3):
        table["severity"] = draw(_SEVERITIES)
    if _chance(draw, 4):
        escalations = []
        for _ in range(draw(_ints(1, 2))):
            esc = _expression(draw, _Context(subject, params, options, depth=1))
            names |= esc.names
            escalations.append({"when": esc.text, "severity": draw(_SEVERITIES)})
        table["escalate"] = escalations
    if _chance(draw, 4):
        table["unless_family"] = draw(_UNLESS)
    if _chance(draw, 3):
        table["gap"] = _expression(draw, _Context(subject, params, options, depth=1)).text
    if _chance(draw, 4):
        catalogue = OFFICIAL_FIELDS if subject == "official" else UNIT_FIELDS
        plain = tuple(n for n in catalogue if n not in options.exclude)
        showable = plain + (_OFFICIAL_SHOWABLE if subject == "official" else _UNIT_SHOWABLE)
        shown = sorted({draw(_pick(showable)) for _ in range(draw(_ints(0, 3)))})
        table["show"] = shown
        names |= {s for s in shown if s.isidentifier()}
    table["message"] = _message(draw, _placeholder_names(names, params, options.exclude))
    table["cite"] = draw(hostile_texts(8))
    return table


_TARGETS = st.sampled_from([0.1, 0.15, 0.5, 0.25, 0.75, 1e-06, 0.999999, 0.3, 0.0, 1.0])
_BOUNDS = st.sampled_from(["min_share", "max_share"])
_SCOPE_LISTS = st.lists(st.sampled_from(SCOPES), max_size=3)
_DEADLINES = st.dates(date(2020, 1, 1), date(2030, 12, 31))
#: (and ``needed`` for a minimum, ``excess`` for a maximum: what the finding has, as the pack's load checks)
_QUOTA_PLACEHOLDERS = ("scope", "numerator", "denominator", "value", "target", "value:.1%", "target:.0%",
                       "numerator:d")


def _share_target(draw: st.DrawFn, params: dict[str, Any], options: PackOptions) -> object:
    choice = draw(_ints(0, 9))
    if choice == 0 and "share_min" in params:
        return "share_min"
    if choice == 1:
        return draw(_ints(0, 1))
    if choice == 2 and options.float_neighbours:
        return float(draw(_NEIGHBOURS))
    if choice == 3 and options.float_neighbours:
        return draw(_UNIT_FLOATS)
    if choice <= 5:
        return draw(_TARGETS)
    return float(_decimal(draw(_MILLIONTHS)))


def _quota(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    ctx = _Context("official", params, options)
    table: dict[str, Any] = {"id": f"quota.q{i}"}
    if draw(_BOOLS):
        table["family"] = draw(_FAMILIES)
    if draw(_BOOLS):
        table["population"] = _expression(draw, ctx).text
    table["numerator"] = _expression(draw, ctx).text
    bound = str(draw(_BOUNDS))
    table[bound] = _share_target(draw, params, options)
    if draw(_BOOLS):
        table["scopes"] = draw(_SCOPE_LISTS)
    if _chance(draw, 4):
        table["severity"] = draw(_SEVERITIES)
    if _chance(draw, 4):
        table["deadline"] = draw(_DEADLINES)
    table["message"] = _message(draw, [*_QUOTA_PLACEHOLDERS, "needed" if bound == "min_share" else "excess", *params])
    table["cite"] = draw(hostile_texts(8))
    return table


_REQUIRED_POSITIONS = st.one_of(st.sampled_from(KEY_POSTS), _POSITIONS, _POSITIONS.map(POSITION.label))


def _staffing(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    ctx = _Context("unit", params, options, depth=1, requirement=True)
    requires = []
    for _ in range(draw(_ints(1, 7))):
        req: dict[str, Any] = {"position": draw(_REQUIRED_POSITIONS)}
        if draw(_BOOLS):
            req["where"] = _expression(draw, ctx).text
        requires.append(req)
    table: dict[str, Any] = {"id": f"staffing.s{i}", "require": requires}
    if draw(_BOOLS):
        table["metric"] = f"staffing.fill.s{i}"
    if draw(_BOOLS):
        table["scopes"] = draw(_SCOPE_LISTS)
    if _chance(draw, 4):
        table["severity"] = draw(_SEVERITIES)
    if _chance(draw, 5):
        table["family"] = draw(_FAMILIES)
    own = ["unit"] if "code" not in options.exclude else []
    table["message"] = _message(draw, ["vacant", "filled", "required", *own, *params])
    table["cite"] = draw(hostile_texts(8))
    return table


CANARY_RULE = {"id": "zz.canary", "family": "rotation", "subject": "unit", "severity": "info",
               "when": "officials >= 0", "message": "canary", "cite": "test"}

_PACK_IDS = st.sampled_from(["rand-a", "rand-b", "rand.c_1"])
_VERSIONS = st.sampled_from(["1", "2023.11", "0.1-beta"])
_TITLES = st.one_of(hostile_texts(12), st.fixed_dictionaries({"vi": hostile_texts(8), "en": hostile_texts(8)}))
_STARTS = st.dates(date(2015, 1, 1), date(2030, 1, 1))
_KEY_CODES = st.lists(st.one_of(_POSITIONS, st.sampled_from(KEY_POSTS).map(POSITION.label)), max_size=4)


@st.composite
def pack_dicts(draw: st.DrawFn, options: PackOptions = EVERYTHING, pack_id: str | None = None) -> dict[str, Any]:
    """A random policy pack as a TOML-like dict that parse_pack accepts."""
    meta: dict[str, Any] = {"id": pack_id if pack_id is not None else draw(_PACK_IDS), "version": draw(_VERSIONS),
                            "title": draw(_TITLES)}
    if _chance(draw, 4):
        start = draw(_STARTS)
        effective: dict[str, Any] = {"from": start}
        if draw(_BOOLS):
            effective["to"] = draw(st.dates(start, date(2035, 1, 1)))
        meta["effective"] = effective
    if _chance(draw, 4):
        meta["sources"] = [{"id": "s1", "title": draw(hostile_texts(12))}]
    if _chance(draw, 5):
        meta["description"] = draw(hostile_texts(12))
    data: dict[str, Any] = {"pack": meta}
    params = _params(draw, options)
    empty_table: bool = draw(_BOOLS)
    if params or empty_table:
        data["params"] = params
    if _chance(draw, 3):
        data["key_positions"] = {"codes": draw(_KEY_CODES)}
    rules = [_rule(draw, i, params, options) for i in range(draw(_ints(0, options.max_rules)))]
    if options.canary:
        rules.append(dict(CANARY_RULE))
    quotas = [_quota(draw, i, params, options) for i in range(draw(_ints(options.min_quotas, options.max_quotas)))]
    staffing = [_staffing(draw, i, params, options)
                for i in range(draw(_ints(options.min_staffing, options.max_staffing)))]
    for key, tables in (("rule", rules), ("quota", quotas), ("staffing", staffing)):
        if tables:
            data[key] = tables
    return data


@st.composite
def override_texts(draw: st.DrawFn, name: str, *, zero_division: bool = True) -> str:
    """A ``--param`` value (text) of the right kind for a parameter of the random packs (maybe ``1/0``)."""
    kind = PARAM_KINDS.get(name) or READING_KINDS[name]
    if kind == "lookback":
        return str(draw(st.integers(0, 5)))
    if kind == "int":
        return str(draw(st.integers(0, 80)))
    if kind == "share":
        return draw(st.sampled_from(["0", "0.3", "1", "1/3", "0.000001", " 0.5 ", "2/3",
                                     *(["1/0"] if zero_division else [])]))
    if kind in ("political_theory", "education"):
        return draw(st.sampled_from(VOCABULARIES[kind].codes))
    if kind == "text":
        return draw(hostile_texts(8))
    if kind == "date":
        return draw(st.dates(date(1950, 1, 1), date(2040, 12, 31))).isoformat()
    if kind == "bool":
        return draw(st.sampled_from(["true", "false", "yes", "0", " TRUE "]))
    return ",".join(draw(st.lists(st.sampled_from(["party_secretary", "other", " front_chair "]), max_size=3)))


@st.composite
def official_expressions(draw: st.DrawFn, options: PackOptions = EVERYTHING, depth: int = 2) -> str:
    """A type-correct official expression (no pack parameters)."""
    return _expression(draw, _Context("official", {}, options, depth)).text


@st.composite
def unit_expressions(draw: st.DrawFn, options: PackOptions = EVERYTHING, depth: int = 2) -> str:
    """A type-correct unit expression (no pack parameters)."""
    return _expression(draw, _Context("unit", {}, options, depth)).text
