"""Hypothesis strategies for valid officials, units and populations (shared by the test suite)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules._codes import DISCIPLINE
from cadre_rules._codes import EDUCATION
from cadre_rules._codes import GENERAL_EDUCATION
from cadre_rules._codes import POLITICAL_THEORY
from cadre_rules._codes import POSITION
from cadre_rules._codes import RATING

KEY_POSTS = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
             "committee_chair", "committee_vice_chair", "front_chair")
DISTRICTS = ("Ba Vì", "Hoàn Kiếm", "Đông Anh")

dates = st.dates(min_value=date(1955, 1, 1), max_value=date(2026, 12, 31))
births = st.dates(min_value=date(1955, 1, 1), max_value=date(2004, 12, 31))


@st.composite
def units(draw: st.DrawFn, n: int | None = None) -> list[Unit]:
    count = n if n is not None else draw(st.integers(1, 4))
    out = []
    for i in range(count):
        kind = draw(st.sampled_from(["commune", "ward", "town"]))
        out.append(Unit(code=f"U{i:03d}", name=f"Xã {i}", kind=kind, unit_class=draw(st.integers(1, 3)),
                        district=draw(st.sampled_from([*DISTRICTS, None])),
                        has_council=draw(st.booleans())))
    return out


@st.composite
def ratings(draw: st.DrawFn) -> tuple[tuple[int, str], ...]:
    years = draw(st.lists(st.integers(2018, 2027), unique=True, max_size=5))
    return tuple(sorted((y, draw(st.sampled_from(RATING.codes))) for y in years))


@st.composite
def officials(draw: st.DrawFn, unit_codes: list[str], ident: str = "O1") -> Official:
    position = draw(st.sampled_from(POSITION.codes))
    concurrent = tuple(draw(st.lists(st.sampled_from(KEY_POSTS), max_size=2, unique=True)))
    discipline = tuple(sorted(draw(st.lists(st.tuples(dates, st.sampled_from(DISCIPLINE.codes)), max_size=2,
                                            unique_by=lambda t: t[0]))))
    share = draw(st.one_of(st.none(), st.integers(0, 1_000_000).map(lambda k: Fraction(k, 1_000_000)),
                           st.sampled_from([Fraction(2, 3), Fraction(6667, 10000), Fraction(1, 2)])))
    return Official(
        id=ident,
        full_name="Nguyễn Văn A",
        gender=draw(st.sampled_from(["male", "female"])),
        birth_date=draw(births),
        unit=draw(st.sampled_from(unit_codes)),
        position=position,
        concurrent_positions=concurrent,
        standing_committee=draw(st.booleans()),
        general_education=draw(st.one_of(st.none(), st.sampled_from(GENERAL_EDUCATION.codes))),
        education=draw(st.sampled_from(EDUCATION.codes)),
        field_of_study=draw(st.one_of(st.none(), st.sampled_from(["Kinh tế nông nghiệp", "Luật", "Kiến trúc"]))),
        political_theory=draw(st.sampled_from(POLITICAL_THEORY.codes)),
        appointed_on=draw(st.one_of(st.none(), dates)),
        in_planning=draw(st.booleans()),
        ratings=draw(ratings()),
        discipline=discipline,
        low_confidence_share=share,
        under_investigation=draw(st.booleans()),
        secondment_since=draw(st.one_of(st.none(), dates)),
        is_local=draw(st.one_of(st.none(), st.booleans())),
    )


@st.composite
def populations(draw: st.DrawFn, max_officials: int = 25) -> tuple[list[Official], list[Unit]]:
    us = draw(units())
    codes = [u.code for u in us]
    n = draw(st.integers(0, max_officials))
    return [draw(officials(codes, f"O{i:04d}")) for i in range(n)], us


as_of_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
