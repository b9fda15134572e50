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

import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._catalogue import OFFICIAL_FIELDS
from cadre_rules._catalogue import UNIT_FIELDS
from cadre_rules._codes import CATEGORY
from cadre_rules._codes import DISCIPLINE
from cadre_rules._codes import EDUCATION
from cadre_rules._codes import GENERAL_EDUCATION
from cadre_rules._codes import POLITICAL_THEORY
from cadre_rules._codes import POSITION
from cadre_rules._codes import RATING
from cadre_rules._codes import VOCABULARIES
from cadre_rules._types import ValueType

KEY_POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
             "committee_chair", "committee_vice_chair", "front_chair")
DISTRICTS = ("Ba Vì", "Hoàn Kiếm", "Đông Anh")
FAMILIES = ("staffing", "quota", "qualification", "rotation", "replacement")
SEVERITIES = ("error", "warning", "info")
SCOPES = ("city", "district", "unit")

dates = st.dates(min_value=date(1955, 1, 1), max_value=date(2026, 12, 31))
births = st.dates(min_value=date(1955, 1, 1), max_value=date(2004, 12, 31))
as_of_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))

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


def hostile_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Any text an API caller could put in a record (not normalised, maybe empty)."""
    return st.one_of(st.sampled_from(TRICKY_STRINGS), st.text(_HOSTILE_ALPHABET, max_size=max_size))


def _file_form(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def file_texts(max_size: int = 16) -> st.SearchStrategy[str]:
    """Non-empty text that a CSV, XLSX or JSON file holds exactly (NFC, no surrounding blanks)."""
    tricky = [t for t in TRICKY_STRINGS if _file_form(t) == t and t and all(c in _FILE_ALPHABET for c in t)]
    return st.one_of(st.sampled_from(tricky),
                     st.text(_FILE_ALPHABET, min_size=1, max_size=max_size).map(_file_form)).filter(bool)


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


@st.composite
def units(draw: st.DrawFn, n: int | None = None, *, hostile: bool = True) -> list[Unit]:
    """Units with unique codes ``U000``, ``U001``… (plus, if ``hostile``, tricky suffixes and names)."""
    count = n if n is not None else draw(st.integers(1, 4))
    texts = hostile_texts(8) if hostile else st.just("")
    districts = st.one_of(st.sampled_from([*DISTRICTS, None]), texts) if hostile else st.sampled_from([*DISTRICTS, None])
    out = []
    for i in range(count):
        code = f"U{i:03d}" + (draw(st.one_of(st.just(""), texts)) if hostile else "")
        name = draw(st.one_of(st.just(f"Xã {i}"), texts)) if hostile else f"Xã {i}"
        out.append(Unit(code=code, name=name, kind=draw(st.sampled_from(["commune", "ward", "town"])),
                        unit_class=draw(st.integers(1, 3)), district=draw(districts), has_council=draw(st.booleans())))
    return out


@st.composite
def ratings(draw: st.DrawFn) -> tuple[tuple[int, str], ...]:
    years = draw(st.lists(st.integers(2018, 2027), unique=True, max_size=5))
    return tuple(sorted((y, draw(st.sampled_from(RATING.codes))) for y in years))


@st.composite
def officials(draw: st.DrawFn, unit_codes: Sequence[str], ident: str = "O1", *, hostile: bool = True) -> Official:
    position = draw(st.sampled_from(POSITION.codes))
    concurrent = tuple(draw(st.lists(st.sampled_from(KEY_POSTS), max_size=2, unique=True)))
    discipline = tuple(sorted(draw(st.lists(st.tuples(dates, st.sampled_from(DISCIPLINE.codes)), max_size=2,
                                            unique_by=lambda t: t[0]))))
    studies = st.sampled_from(["Kinh tế nông nghiệp", "Luật", "Kiến trúc"])
    return Official(
        id=ident,
        full_name=draw(st.one_of(st.just("Nguyễn Văn A"), hostile_texts())) if hostile else "Nguyễn Văn A",
        gender=draw(st.sampled_from(["male", "female"])),
        birth_date=draw(births),
        unit=draw(st.sampled_from(list(unit_codes))),
        position=position,
        concurrent_positions=concurrent,
        standing_committee=draw(st.booleans()),
        general_education=draw(st.one_of(st.none(), st.sampled_from(GENERAL_EDUCATION.codes))),
        education=draw(st.sampled_from(EDUCATION.codes)),
        field_of_study=draw(st.one_of(st.none(), studies, hostile_texts()) if hostile else st.one_of(st.none(), studies)),
        political_theory=draw(st.sampled_from(POLITICAL_THEORY.codes)),
        appointed_on=draw(st.one_of(st.none(), dates)),
        in_planning=draw(st.booleans()),
        ratings=draw(ratings()),
        discipline=discipline,
        low_confidence_share=draw(shares),
        under_investigation=draw(st.booleans()),
        secondment_since=draw(st.one_of(st.none(), dates)),
        is_local=draw(st.one_of(st.none(), st.booleans())),
    )


@st.composite
def populations(draw: st.DrawFn, max_officials: int = 25, *, min_officials: int = 0, hostile: bool = True,
                max_units: int = 4) -> tuple[list[Official], list[Unit]]:
    """Officials (unique ids ``O0000``… plus tricky suffixes) and the units (at least one) they belong to."""
    us = draw(units(draw(st.integers(1, max_units)), hostile=hostile))
    codes = [u.code for u in us]
    n = draw(st.integers(min_officials, max_officials))
    suffixes = st.one_of(st.just(""), hostile_texts(6)) if hostile else st.just("")
    return [draw(officials(codes, f"O{i:04d}" + draw(suffixes), hostile=hostile)) for i in range(n)], us


# --------------------------------------------------------------------------- records a file holds exactly

_FILE_DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31))
_EXTRA_KEYS = ("ghi chú", "Note", "tổ dân phố", "x;y", 'quote"d', "back\\slash")


@st.composite
def file_officials(draw: st.DrawFn, unit_codes: Sequence[str] | None = None, ident: str | None = None) -> Official:
    """An official that official_to_row writes and load_officials reads back equal."""
    position = draw(st.sampled_from(POSITION.codes))
    fields: dict[str, Any] = dict(
        id=ident if ident is not None else draw(file_texts(10)),
        full_name=draw(file_texts()),
        gender=draw(st.sampled_from(["male", "female"])),
        birth_date=draw(_FILE_DATES),
        unit=draw(st.sampled_from(list(unit_codes))) if unit_codes else draw(file_texts(8)),
        position=position,
        education=draw(st.sampled_from(EDUCATION.codes)),
        political_theory=draw(st.sampled_from(POLITICAL_THEORY.codes)),
        concurrent_positions=tuple(draw(st.lists(st.sampled_from(POSITION.codes), max_size=3))),
        standing_committee=draw(st.booleans()),
        general_education=draw(st.one_of(st.none(), st.sampled_from(GENERAL_EDUCATION.codes))),
        field_of_study=draw(st.one_of(st.none(), file_texts())),
        appointed_on=draw(st.one_of(st.none(), _FILE_DATES)),
        in_planning=draw(st.booleans()),
        ratings=tuple(sorted(draw(st.dictionaries(st.integers(1900, 2100), st.sampled_from(RATING.codes),
                                                  max_size=4)).items())),
        discipline=tuple(sorted(draw(st.lists(st.tuples(_FILE_DATES, st.sampled_from(DISCIPLINE.codes)), max_size=3)),
                                key=lambda e: (e[0], DISCIPLINE.rank(e[1])))),
        low_confidence_share=draw(file_shares),
        under_investigation=draw(st.booleans()),
        secondment_since=draw(st.one_of(st.none(), _FILE_DATES)),
        is_local=draw(st.one_of(st.none(), st.booleans())),
        extra=draw(st.dictionaries(st.sampled_from(_EXTRA_KEYS), file_texts(), max_size=2)),
    )
    if draw(st.booleans()):  # an explicit category (else the position's default)
        fields["category"] = draw(st.sampled_from(CATEGORY.codes))
    return Official(**fields)


@st.composite
def file_units(draw: st.DrawFn, code: str | None = None) -> Unit:
    """A unit that unit_to_row writes and load_units reads back equal."""
    return Unit(code=code if code is not None else draw(file_texts(8)), name=draw(file_texts()),
                kind=draw(st.sampled_from(["commune", "ward", "town"])), unit_class=draw(st.integers(1, 3)),
                district=draw(st.one_of(st.none(), st.sampled_from(DISTRICTS), file_texts())),
                has_council=draw(st.booleans()),
                extra=draw(st.dictionaries(st.sampled_from(_EXTRA_KEYS), file_texts(), max_size=2)))


@st.composite
def file_populations(draw: st.DrawFn, max_officials: int = 6) -> tuple[list[Official], list[Unit]]:
    codes = draw(st.lists(file_texts(8), min_size=1, max_size=3, unique=True))
    us = [draw(file_units(code)) for code in codes]
    ids = draw(st.lists(file_texts(10), max_size=max_officials, unique=True))
    return [draw(file_officials(codes, i)) for i in ids], us


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

_INT_RANGES = {"age": (15, 75), "months_to_retirement": (-30, 480), "months_in_post": (-1, 200),
               "months_on_secondment": (0, 60), "latest_rating_year": (2015, 2030),
               "consecutive_not_completed": (0, 4), "consecutive": (0, 4), "unit_class": (0, 4),
               "officials": (0, 10), "holders": (0, 3), "count": (0, 6)}
_BIG_INTS = (2**63 - 1, 2**63, -(2**63), 10**20, -(10**20), 2**64 + 1)
_SAFE_NUMBERS = ("0", "1", "0.5", "2/3", "1/3", "1e-06", "0.000001", "0.6667", "0.666667", "1/1000000", "-0.5",
                 "0.999999", "1/2", "5/6")
#: Shortest float reprs of small fractions: equal as floats to p/q, different as exact values.
FLOAT_NEIGHBOURS = ("0.6666666666666666", "0.3333333333333333", "0.8333333333333334", "0.16666666666666666",
                    "0.14285714285714285", "0.1111111111111111", "0.7142857142857143")
_TEXT_VALUES = {"id": ("O0000", "O0001", "O0003"), "unit": ("U000", "U001"), "code": ("U000", "U001"),
                "district": DISTRICTS, "field_of_study": ("Luật", "Kiến trúc", "luật"), "name": ("Xã 0", "Xã 1")}
_STATIC_UNIT_FIELDS = ("code", "name", "kind", "unit_class", "district", "has_council")
_SIMPLE_FIELD_TYPES = {"holds": "bool", "studied": "bool", "is_key": "bool"}


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
        return [n for n in self.params if PARAM_KINDS[n] == kind]


@dataclass(frozen=True)
class Source:
    """An expression's source text and the plain catalogue field names it reads."""

    text: str
    names: frozenset[str] = frozenset()


def _py(value: object) -> str:
    return repr(value)


@st.composite
def _code_literal(draw: st.DrawFn, vocab: str) -> str:
    v = VOCABULARIES[vocab]
    code = draw(st.sampled_from(v.codes))
    spelling = draw(st.sampled_from(["code", "code", "label", "upper"]))
    if spelling == "label":
        return _py(v.label(code))
    if spelling == "upper":
        return _py(v.label(code).upper())
    return _py(code)


@st.composite
def _literal(draw: st.DrawFn, t: ValueType, hint: str, ctx: _Context) -> str:
    """Python source of a literal (or a parameter name) of type ``t``."""
    if t.kind == "int":
        usable = ctx.params_of("int") + (ctx.params_of("share") if ctx.options.int_fraction_literals else [])
        if usable and draw(st.integers(0, 5)) == 0:
            return draw(st.sampled_from(usable))
        lo, hi = _INT_RANGES.get(hint, (-3, 600))
        choice = draw(st.integers(0, 19))
        if choice == 0:
            return _py(draw(st.sampled_from(_BIG_INTS)))
        if choice == 1 and ctx.options.int_fraction_literals:
            return draw(st.sampled_from(["35.5", "7/2", "35.0", "1/3", "-0.5", "2.0"]))
        if choice == 2:
            return f"{draw(st.integers(1, 99))}/1"  # a Fraction with denominator 1
        value = draw(st.integers(lo, hi))
        return f"-{-value}" if value < 0 and draw(st.booleans()) else _py(value)
    if t.kind == "number":
        usable = ctx.params_of("share") + ctx.params_of("int")
        if usable and draw(st.integers(0, 4)) == 0:
            return draw(st.sampled_from(usable))
        choice = draw(st.integers(0, 9))
        if choice <= 3:
            return draw(st.sampled_from(_SAFE_NUMBERS))
        if choice <= 7 or not ctx.options.float_neighbours:
            return _decimal(draw(st.integers(0, 1_000_000)))
        if choice == 8:
            return draw(st.sampled_from(FLOAT_NEIGHBOURS))
        return repr(draw(st.floats(0, 1)))
    if t.kind == "date":
        if ctx.params_of("date") and draw(st.integers(0, 4)) == 0:
            return "cutoff"
        d = draw(st.dates(date(1950, 1, 1), date(2040, 12, 31)))
        form = draw(st.sampled_from(["iso", "iso", "dmy", "year"]))
        text = d.isoformat() if form == "iso" else (f"{d.day}/{d.month}/{d.year}" if form == "dmy" else str(d.year))
        return _py(text)
    if t.kind == "bool":
        return draw(st.sampled_from(["True", "False"]))
    if t.kind == "text":
        if ctx.params_of("text") and draw(st.integers(0, 5)) == 0:
            return "home"
        return _py(draw(st.one_of(st.sampled_from(_TEXT_VALUES.get(hint, ("Luật",))), hostile_texts(10))))
    assert t.kind == "code" and t.vocab is not None
    own = ctx.params_of(t.vocab)
    if own and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(own))
    return draw(_code_literal(t.vocab))


@st.composite
def _field(draw: st.DrawFn, ctx: _Context) -> tuple[str, ValueType, str, frozenset[str]]:
    """A field or derived-field call: (source, type, hint for literals, plain names read)."""
    catalogue = OFFICIAL_FIELDS if ctx.subject == "official" else UNIT_FIELDS
    exclude = ctx.options.exclude
    if ctx.subject == "official":
        calls = [c for c in ("rating", "consecutive", "holds", "studied", "months_to_retirement()", "is_key")
                 if c.rstrip("()") not in exclude]
    else:
        calls = [c for c in ("holders", "count") if c not in exclude]
    names = [n for n in catalogue if n not in exclude]
    if ctx.requirement and ctx.options.static_staffing:
        calls = []
        names = [n for n in _STATIC_UNIT_FIELDS if n not in exclude]
    pick = draw(st.integers(0, 3))
    if pick == 0 and calls:
        call = draw(st.sampled_from(calls))
        rating_t = ValueType("code", "rating")
        if call == "rating":
            return f"rating({draw(st.integers(2016, 2028))})", rating_t, "rating", frozenset()
        if call == "consecutive":
            return f"consecutive({draw(_code_literal('rating'))})", ValueType("int"), "consecutive", frozenset()
        if call == "holds":
            args = draw(st.lists(_code_literal("position"), min_size=1, max_size=3))
            return f"holds({', '.join(args)})", ValueType("bool"), "holds", frozenset()
        if call == "studied":
            words = draw(st.lists(st.one_of(st.sampled_from(["luật", "Kinh tế", "TRÚC"]), hostile_texts(5)),
                                  min_size=1, max_size=2))
            return f"studied({', '.join(_py(w) for w in words)})", ValueType("bool"), "studied", frozenset()
        if call == "months_to_retirement()":
            return "months_to_retirement()", ValueType("int"), "months_to_retirement", frozenset()
        if call == "is_key":
            return "is_key", ValueType("bool"), "is_key", frozenset({"is_key"})
        if call == "holders":
            return f"holders({draw(_code_literal('position'))})", ValueType("int"), "holders", frozenset()
        inner_ctx = _Context("official", ctx.params, ctx.options, depth=0)
        inner = draw(expressions(inner_ctx))
        return f"count({_py(inner.text)})", ValueType("int"), "count", frozenset()
    name = draw(st.sampled_from(names))
    return name, catalogue[name].type, name, frozenset({name})


_ORDER_OPS = ("<", "<=", ">", ">=", "==", "!=")
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@st.composite
def _atom(draw: st.DrawFn, ctx: _Context) -> Source:
    if ctx.subject == "official" and ctx.params_of("bool") and draw(st.integers(0, 15)) == 0:
        return Source(draw(st.sampled_from(["flag", "True", "False"])))
    src, t, hint, names = draw(_field(ctx))

    def lit() -> str:
        return draw(_literal(t, hint, ctx))

    form = draw(st.integers(0, 9))
    if form == 0:
        return Source(f"{src} is {draw(st.sampled_from(['None', 'not None']))}", names)
    if t.kind == "bool":
        if form <= 4:
            return Source(src, names)
        if form <= 6:
            return Source(f"not {src}", names)
        if form == 7:
            return Source(f"{src} in [{lit()}]", names)
        return Source(f"{src} {draw(st.sampled_from(['==', '!=']))} {lit()}", names)
    if form in (1, 2):
        values = [lit() for _ in range(draw(st.integers(1, 3)))]
        negated = draw(st.booleans())
        return Source(f"{src} {'not in' if negated else 'in'} [{', '.join(values)}]", names)
    ops = _ORDER_OPS if t.ordered else ("==", "!=")
    op = draw(st.sampled_from(ops))
    if form == 3:
        return Source(f"{lit()} {_FLIP[op]} {src}", names)
    if form == 4 and t.ordered:
        low = draw(st.sampled_from(["<", "<="]))
        high = draw(st.sampled_from(["<", "<="]))
        return Source(f"{lit()} {low} {src} {high} {lit()}", names)
    return Source(f"{src} {op} {lit()}", names)


@st.composite
def expressions(draw: st.DrawFn, ctx: _Context) -> Source:
    """A boolean expression over the catalogue for ``ctx.subject`` that type-checks."""
    if ctx.depth <= 0 or draw(st.integers(0, 2)) == 0:
        result = draw(_atom(ctx))
    else:
        inner = _Context(ctx.subject, ctx.params, ctx.options, ctx.depth - 1, ctx.requirement)
        shape = draw(st.sampled_from(["and", "or", "not", "atom"]))
        if shape == "atom":
            result = draw(_atom(ctx))
        elif shape == "not":
            item = draw(expressions(inner))
            result = Source(f"not ({item.text})", item.names)
        else:
            items = [draw(expressions(inner)) for _ in range(draw(st.integers(2, 3)))]
            result = Source(f" {shape} ".join(f"({i.text})" for i in items), frozenset().union(*(i.names for i in items)))
    if len(result.text) > 1500:  # the language's limit is 2000 characters
        return draw(_atom(ctx))
    return result


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@st.composite
def _message(draw: st.DrawFn, placeholders: Sequence[str]) -> str | dict[str, str]:
    def one() -> str:
        parts = [_escape_braces(draw(hostile_texts(10)))]
        if placeholders:
            for _ in range(draw(st.integers(0, 2))):
                parts.append("{" + draw(st.sampled_from(list(placeholders))) + "}")
                parts.append(_escape_braces(draw(hostile_texts(4))))
        return "".join(parts)

    kind = draw(st.integers(0, 3))
    if kind == 0:
        return {"vi": one(), "en": one()}
    if kind == 1:
        return {draw(st.sampled_from(["vi", "en"])): one()}
    return one()


@st.composite
def _params(draw: st.DrawFn, options: PackOptions) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(list(PARAM_KINDS)), unique=True, max_size=len(PARAM_KINDS)))
    params: dict[str, Any] = {}
    for name in names:
        kind = PARAM_KINDS[name]
        if kind == "int":
            params[name] = draw(st.integers(18, 60))
        elif kind == "share":
            choices = [0.1, 0.15, 0.5, 1e-06, 0.3, 0.0, 1.0, 0.000123]
            if options.float_neighbours:
                choices += [float(x) for x in FLOAT_NEIGHBOURS]
            params[name] = draw(st.one_of(st.sampled_from(choices), st.integers(0, 1)))
        elif kind in ("political_theory", "education"):
            params[name] = draw(st.sampled_from(VOCABULARIES[kind].codes))
        elif kind == "text":
            params[name] = draw(hostile_texts(8))
        elif kind == "date":
            params[name] = draw(st.dates(date(1950, 1, 1), date(2040, 12, 31)))
        elif kind == "bool":
            params[name] = draw(st.booleans())
        else:
            params[name] = draw(st.lists(st.sampled_from(POSITION.codes), max_size=3))
    return params


def _placeholder_names(names: frozenset[str], params: dict[str, Any], exclude: frozenset[str]) -> list[str]:
    allowed = {n for n in names if n.isidentifier()} | set(params) | ({"id"} - exclude)
    return sorted(allowed)


@st.composite
def _rule(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    subject = draw(st.sampled_from(["official", "official", "unit"]))
    ctx = _Context(subject, params, options)
    family = draw(st.sampled_from(FAMILIES))
    table: dict[str, Any] = {"id": f"{family}.r{i}", "family": family}
    if subject == "unit" or draw(st.booleans()):
        table["subject"] = subject
    names: frozenset[str] = frozenset()
    if draw(st.booleans()):
        where = draw(expressions(ctx))
        table["where"] = where.text
        names |= where.names
    when = draw(expressions(ctx))
    table["when"] = when.text
    names |= when.names
    if draw(st.integers(0, 2)) == 0:
        table["severity"] = draw(st.sampled_from(SEVERITIES))
    if draw(st.integers(0, 3)) == 0:
        escalations = []
        for _ in range(draw(st.integers(1, 2))):
            esc = draw(expressions(_Context(subject, params, options, depth=1)))
            names |= esc.names
            escalations.append({"when": esc.text, "severity": draw(st.sampled_from(SEVERITIES))})
        table["escalate"] = escalations
    if draw(st.integers(0, 3)) == 0:
        table["unless_family"] = draw(st.lists(st.sampled_from(FAMILIES), unique=True, max_size=2))
    if draw(st.integers(0, 4)) == 0:
        table["gap"] = draw(expressions(_Context(subject, params, options, depth=1))).text
    if draw(st.integers(0, 3)) == 0:
        catalogue = OFFICIAL_FIELDS if subject == "official" else UNIT_FIELDS
        plain = [n for n in catalogue if n not in options.exclude]
        calls = ["rating(2022)", "holds('party_secretary', 'front_chair')", "consecutive('good')"] \
            if subject == "official" else ["holders('committee_vice_chair')"]
        shown = draw(st.lists(st.sampled_from(plain + calls), unique=True, max_size=3))
        table["show"] = shown
        names |= {s for s in shown if s.isidentifier()}
    table["message"] = draw(_message(_placeholder_names(names, params, options.exclude)))
    table["cite"] = draw(hostile_texts(8))
    return table


def _share_target(draw: st.DrawFn, params: dict[str, Any], options: PackOptions) -> object:
    choice = draw(st.integers(0, 9))
    if choice == 0 and "share_min" in params:
        return "share_min"
    if choice == 1:
        return draw(st.integers(0, 1))
    if choice == 2 and options.float_neighbours:
        return float(draw(st.sampled_from(FLOAT_NEIGHBOURS)))
    if choice == 3 and options.float_neighbours:
        return draw(st.floats(0, 1))
    if choice <= 5:
        return draw(st.sampled_from([0.1, 0.15, 0.5, 0.25, 0.75, 1e-06, 0.999999, 0.3, 0.0, 1.0]))
    k = draw(st.integers(0, 1_000_000))
    return float(_decimal(k))


@st.composite
def _quota(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    ctx = _Context("official", params, options)
    table: dict[str, Any] = {"id": f"quota.q{i}"}
    if draw(st.booleans()):
        table["family"] = draw(st.sampled_from(FAMILIES))
    if draw(st.booleans()):
        table["population"] = draw(expressions(ctx)).text
    table["numerator"] = draw(expressions(ctx)).text
    table[draw(st.sampled_from(["min_share", "max_share"]))] = _share_target(draw, params, options)
    if draw(st.booleans()):
        table["scopes"] = draw(st.lists(st.sampled_from(SCOPES), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        table["severity"] = draw(st.sampled_from(SEVERITIES))
    if draw(st.integers(0, 3)) == 0:
        table["deadline"] = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    placeholders = ["scope", "numerator", "denominator", "value", "target", "needed", "excess", "value:.1%",
                    "target:.0%", "numerator:d", *(p for p in params if p not in ("posts",))]
    table["message"] = draw(_message(placeholders))
    table["cite"] = draw(hostile_texts(8))
    return table


@st.composite
def _staffing(draw: st.DrawFn, i: int, params: dict[str, Any], options: PackOptions) -> dict[str, Any]:
    ctx = _Context("unit", params, options, depth=1, requirement=True)
    requires = []
    for _ in range(draw(st.integers(1, 7))):
        req: dict[str, Any] = {"position": draw(st.one_of(st.sampled_from(KEY_POSTS), st.sampled_from(POSITION.codes),
                                                          st.sampled_from(POSITION.codes).map(POSITION.label)))}
        if draw(st.booleans()):
            req["where"] = draw(expressions(ctx)).text
        requires.append(req)
    table: dict[str, Any] = {"id": f"staffing.s{i}", "require": requires}
    if draw(st.booleans()):
        table["metric"] = f"staffing.fill.s{i}"
    if draw(st.booleans()):
        table["scopes"] = draw(st.lists(st.sampled_from(SCOPES), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        table["severity"] = draw(st.sampled_from(SEVERITIES))
    if draw(st.integers(0, 4)) == 0:
        table["family"] = draw(st.sampled_from(FAMILIES))
    table["message"] = draw(_message(["vacant", "filled", "required", *(["unit"] if "code" not in options.exclude
                                                                         else []), *params]))
    table["cite"] = draw(hostile_texts(8))
    return table


CANARY_RULE = {"id": "zz.canary", "family": "rotation", "subject": "unit", "severity": "info",
               "when": "officials >= 0", "message": "canary", "cite": "test"}


@st.composite
def pack_dicts(draw: st.DrawFn, options: PackOptions = EVERYTHING, pack_id: str | None = None) -> dict[str, Any]:
    """A random policy pack as a TOML-like dict that parse_pack accepts."""
    meta: dict[str, Any] = {
        "id": pack_id if pack_id is not None else draw(st.sampled_from(["rand-a", "rand-b", "rand.c_1"])),
        "version": draw(st.sampled_from(["1", "2023.11", "0.1-beta"])),
        "title": draw(st.one_of(hostile_texts(12), st.fixed_dictionaries({"vi": hostile_texts(8),
                                                                          "en": hostile_texts(8)}))),
    }
    if draw(st.integers(0, 3)) == 0:
        start = draw(st.dates(date(2015, 1, 1), date(2030, 1, 1)))
        effective: dict[str, Any] = {"from": start}
        if draw(st.booleans()):
            effective["to"] = draw(st.dates(start, date(2035, 1, 1)))
        meta["effective"] = effective
    if draw(st.integers(0, 3)) == 0:
        meta["sources"] = [{"id": "s1", "title": draw(hostile_texts(12))}]
    if draw(st.integers(0, 4)) == 0:
        meta["description"] = draw(hostile_texts(12))
    data: dict[str, Any] = {"pack": meta}
    params = draw(_params(options))
    if params or draw(st.booleans()):
        data["params"] = params
    if draw(st.integers(0, 2)) == 0:
        data["key_positions"] = {"codes": draw(st.lists(st.one_of(st.sampled_from(POSITION.codes),
                                                                   st.sampled_from(KEY_POSTS).map(POSITION.label)),
                                                         max_size=4))}
    rules = [draw(_rule(i, params, options)) for i in range(draw(st.integers(0, options.max_rules)))]
    if options.canary:
        rules.append(dict(CANARY_RULE))
    n_quotas = draw(st.integers(options.min_quotas, options.max_quotas))
    quotas = [draw(_quota(i, params, options)) for i in range(n_quotas)]
    n_staffing = draw(st.integers(options.min_staffing, options.max_staffing))
    staffing = [draw(_staffing(i, params, options)) for i in range(n_staffing)]
    for key, tables in (("rule", rules), ("quota", quotas), ("staffing", staffing)):
        if tables:
            data[key] = tables
    return data


@st.composite
def official_expressions(draw: st.DrawFn, options: PackOptions = EVERYTHING, depth: int = 2) -> str:
    """A type-correct official expression (no pack parameters)."""
    return draw(expressions(_Context("official", {}, options, depth))).text


@st.composite
def unit_expressions(draw: st.DrawFn, options: PackOptions = EVERYTHING, depth: int = 2) -> str:
    """A type-correct unit expression (no pack parameters)."""
    return draw(expressions(_Context("unit", {}, options, depth))).text
