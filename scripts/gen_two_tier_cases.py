"""Write policies/tests/vn-commune-2tier-*.toml: the test cases of the four versions of vn-commune-2tier.

The expected findings below are written by hand from the rules (one official or unit per boundary);
this script only computes the dates that put an official on a boundary on each version's as-of date
(birth dates N months before retirement, appointments N months before), and checks them. Run:
``python scripts/gen_two_tier_cases.py`` after changing the cases.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from pathlib import Path

from cadre_rules import Official
from cadre_rules import Unit
from cadre_rules.model._context import Calendar
from cadre_rules.model._context import OfficialContext
from cadre_rules.model._dates import add_months

OUT = Path(__file__).resolve().parents[1] / "policies" / "tests"
#: The revision of each version's content (.1: the uncertain values became named parameters; .2: head_relief's
#: message names every parameter it applies; 2026.01.3, then 2025.07.2, 2025.10.3 and 2025.11.3: no streamlining
#: or resignation under investigation; 2026.01.4: a cán bộ's discipline in a rating year from 2026 as
#: cadre_discipline_not_completed says).
REVISION = {"2025.07": ".2", "2025.10": ".3", "2025.11": ".3", "2026.01": ".4"}
#: An as-of date of each version on which every boundary below can be reached (the rising retirement age
#: skips some numbers of months to retirement).
VERSIONS = {"2025.07": date(2025, 10, 1), "2025.10": date(2025, 11, 5), "2025.11": date(2025, 11, 30),
            "2026.01": date(2026, 4, 30)}
POSTS = ["party_secretary", "council_chair", "council_vice_chair", "committee_chair", "front_chair"]


def _ctx(as_of: date, birth: date = date(1980, 1, 1), appointed: date | None = None,
         secondment: date | None = None, gender: str = "male") -> OfficialContext:
    o = Official("x", "x", gender, birth, "U1", "other", "university", "advanced", appointed_on=appointed,
                 secondment_since=secondment)
    return OfficialContext(o, Unit("U1", "U1", "commune", 1), as_of, Calendar(as_of, 2))


def born(as_of: date, months_left: int) -> str:
    """A birth date (and the gender, when a man cannot have it) with exactly ``months_left`` months to
    retirement on ``as_of`` (the rising retirement age skips some months)."""
    for gender in ("male", "female"):
        d = as_of.replace(year=as_of.year - 66)
        while d < as_of.replace(year=as_of.year - 50):
            if _ctx(as_of, d, gender=gender).months_to_retirement() == months_left:
                return d.isoformat() + ("" if gender == "male" else ', gender = "female"')
            d += timedelta(days=1)
    raise LookupError(months_left)


def months_ago(as_of: date, months: int) -> str:
    start = add_months(as_of, -months)
    assert _ctx(as_of, appointed=start).months_in_post() == months, (as_of, months)
    return start.isoformat()


def officials(rows: list[str]) -> str:
    return "officials = [\n" + "".join(f"  {r},\n" for r in rows) + "]\n"


def findings(rows: list[tuple[str, str, str]]) -> str:
    return "findings = [\n" + "".join(f'  {{ rule = "{r}", subject = "{s}", severity = "{v}" }},\n'
                                      for r, s, v in rows) + "]\n"


def cases(version: str, as_of: date) -> str:
    later = version != "2025.07"  # QĐ 377 (2025.10 on): cán bộ removal and low confidence are warnings
    average = version in ("2025.11", "2026.01")  # NĐ 300: a city-wide average of committee vice chairs
    y = as_of.year
    a = as_of.isoformat()
    removal = "warning" if later else "error"
    ref = f"vn-commune-2tier@{version}{REVISION[version]}"
    out = [f"# Test cases of {ref} (cadre-rules test {ref}).\n"
           "# Written by scripts/gen_two_tier_cases.py (it computes the boundary dates; the expectations are\n"
           "# hand-written there). Each threshold is met exactly by one official or unit and missed by another.\n",
           f'pack = "{ref}"\n']
    # ---- units: staffing
    units = ['{ code = "FULL" }', '{ code = "CVC-2" }', '{ code = "CMV-3" }', '{ code = "NO-COUNCIL", has_council = false }',
             '{ code = "TOWN", kind = "town" }', '{ code = "WARD", kind = "ward" }',
             *(f'{{ code = "NO-{p}" }}' for p in POSTS)]
    rows = []
    for unit in ("FULL", "CVC-2", "CMV-3", "TOWN", "WARD"):
        rows += [f'{{ id = "{unit}-{p}", unit = "{unit}", position = "{p}" }}' for p in POSTS]
    rows += ['{ id = "CVC-2-second", unit = "CVC-2", position = "council_vice_chair" }',
             '{ id = "FULL-cmv-1", unit = "FULL", position = "committee_vice_chair" }',
             '{ id = "FULL-cmv-2", unit = "FULL", position = "committee_vice_chair" }',
             *(f'{{ id = "CMV-3-cmv-{i}", unit = "CMV-3", position = "committee_vice_chair" }}' for i in (1, 2, 3))]
    rows += [f'{{ id = "NO-COUNCIL-{p}", unit = "NO-COUNCIL", position = "{p}" }}' for p in POSTS
             if not p.startswith("council")]
    for missing in POSTS:
        rows += [f'{{ id = "NO-{missing}-{p}", unit = "NO-{missing}", position = "{p}" }}' for p in POSTS if p != missing]
    expected = [("staffing.council_vice_chairs", "CVC-2", "warning"), ("staffing.no_council", "NO-COUNCIL", "warning"),
                ("staffing.posts", "NO-COUNCIL", "error"), ("staffing.town", "TOWN", "warning"),
                *(("staffing.posts", f"NO-{p}", "error") for p in POSTS)]
    if not average:
        expected.append(("staffing.committee_vice_chair_cap", "CMV-3", "info"))
    out.append(f'\n[[case]]\nname = "staffing: posts missing in turn, vice chairs at and above their caps, no council, a town"\n'
               f"as_of = {a}\nunits = [\n" + "".join(f"  {u},\n" for u in units) + "]\n" + officials(rows)
               + findings(sorted(expected))
               + '\nmetrics = [{ id = "staffing.posts_filled", scope_id = "NO-COUNCIL", numerator = 3, denominator = 5 }]\n')
    if average:
        for n, met in ((5, True), (6, False)):
            rows = [f'{{ id = "cmv-{i}", unit = "{"AB"[i % 2]}", position = "committee_vice_chair" }}' for i in range(n)]
            exp = [] if met else [("staffing.committee_vice_chair_average", "Hà Nội", "warning")]
            exp += [("staffing.posts", u, "error") for u in "AB"]
            out.append(f'\n[[case]]\nname = "{n} committee vice chairs in 2 units: an average of {n / 2:g} against 2.5"\n'
                       f'as_of = {a}\nunits = [{{ code = "A" }}, {{ code = "B" }}]\n' + officials(rows)
                       + findings(sorted(exp))
                       + f'metrics = [{{ id = "staffing.committee_vice_chair_average", scope_id = "Hà Nội", '
                         f'numerator = {n}, denominator = 2, met = {"true" if met else "false"} }}]\n')
    # ---- qualification and a legacy title
    rows = [
        '{ id = "secretary-college", position = "party_secretary", education = "college" }',
        '{ id = "chief-college", position = "office_chief", education = "college" }',
        '{ id = "other-college", position = "other", education = "college" }',
        '{ id = "council-chair-lower-secondary", position = "council_chair", general_education = "lower_secondary" }',
        '{ id = "council-chair-upper-secondary", position = "council_chair", general_education = "upper_secondary" }',
        '{ id = "council-chair-elementary", position = "council_chair", political_theory = "elementary" }',
        '{ id = "council-chair-intermediate", position = "council_chair", political_theory = "intermediate" }',
        '{ id = "chief-elementary", position = "office_chief", political_theory = "elementary" }',
        '{ id = "chair-intermediate", position = "committee_chair", political_theory = "intermediate" }',
        '{ id = "secretary-local", position = "party_secretary", is_local = true }',
        '{ id = "secretary-not-local", position = "party_secretary", is_local = false }',
        '{ id = "front-local", position = "front_chair", is_local = true }',
        '{ id = "clerk", position = "office_statistics" }',
    ]
    exp = [("qualification.degree", "secretary-college", "error"), ("qualification.degree", "chief-college", "error"),
           ("qualification.general_education", "council-chair-lower-secondary", "warning"),
           ("qualification.theory", "council-chair-elementary", "warning"),
           ("qualification.theory", "chief-elementary", "warning"),
           ("qualification.theory_advanced", "chair-intermediate", "warning"),
           ("qualification.secretary_local", "secretary-local", "info"),
           ("staffing.legacy_title", "clerk", "info"), ("staffing.posts", "U1", "error")]
    out.append(f'\n[[case]]\nname = "qualification: each standard just missed and just met; a local secretary; a legacy title"\n'
               f"as_of = {a}\n" + officials(rows) + findings(sorted(exp)))
    # ---- replacement
    r1, r2 = y - 2, y - 1
    rows = [
        f'{{ id = "cadre-twice", position = "front_chair", ratings = {{ {r1} = "not_completed", {r2} = "not_completed" }} }}',
        f'{{ id = "cadre-once", position = "front_chair", ratings = {{ {r1} = "good", {r2} = "not_completed" }} }}',
        f'{{ id = "servant-twice", position = "office_statistics", ratings = {{ {r1} = "not_completed", {r2} = "not_completed" }} }}',
        f'{{ id = "servant-completed", position = "office_statistics", ratings = {{ {r2} = "completed" }} }}',
        '{ id = "confidence-0.6667", low_confidence_share = 0.6667 }',
        '{ id = "confidence-0.6666", low_confidence_share = 0.6666 }',
        '{ id = "confidence-0.5001", low_confidence_share = 0.5001 }',
        '{ id = "confidence-0.5", low_confidence_share = 0.5 }',
        f'{{ id = "disciplined-rated-year", ratings = {{ {r2} = "good" }}, discipline = {{ {r2}-03-01 = "reprimand" }} }}',
        f'{{ id = "disciplined-year-before", ratings = {{ {r2} = "good" }}, discipline = {{ {r1}-03-01 = "reprimand" }} }}',
        '{ id = "demoted-2025-07-01", discipline = { 2025-07-01 = "demotion" } }',
        '{ id = "demoted-2025-06-30", discipline = { 2025-06-30 = "demotion" } }',
    ]
    exp = [("replacement.two_years_not_completed", "cadre-twice", removal),
           ("replacement.streamlining", "cadre-twice", "info"), ("replacement.streamlining", "cadre-once", "info"),
           ("replacement.streamlining", "servant-twice", "info"),
           ("replacement.civil_servant_not_completed", "servant-twice", "warning"),
           ("replacement.low_confidence", "confidence-0.6667", removal),
           ("replacement.resignation_band", "confidence-0.6666", "warning"),
           ("replacement.resignation_band", "confidence-0.5001", "warning"),
           ("replacement.discipline", "disciplined-rated-year", "warning"),
           ("replacement.legacy_discipline_form", "demoted-2025-07-01", "warning"),
           ("staffing.legacy_title", "servant-twice", "info"), ("staffing.legacy_title", "servant-completed", "info"),
           ("staffing.posts", "U1", "error")]
    out.append(f'\n[[case]]\nname = "replacement: ratings, confidence votes and discipline at their thresholds"\n'
               f"as_of = {a}\n" + officials(rows) + findings(sorted(exp)))
    if later:
        rows = [
            f'{{ id = "chair-0.69-12m", position = "committee_chair", appointed_on = {months_ago(as_of, 12)}, extra = {{ target_completion = "0.69" }} }}',
            f'{{ id = "chair-0.70-12m", position = "committee_chair", appointed_on = {months_ago(as_of, 12)}, extra = {{ target_completion = "0.70" }} }}',
            f'{{ id = "chair-0.69-11m", position = "committee_chair", appointed_on = {months_ago(as_of, 11)}, extra = {{ target_completion = "0.69" }} }}',
            f'{{ id = "secretary-0.5-24m", position = "party_secretary", appointed_on = {months_ago(as_of, 24)}, extra = {{ target_completion = "0.5" }} }}',
            f'{{ id = "front-0.5-24m", position = "front_chair", appointed_on = {months_ago(as_of, 24)}, extra = {{ target_completion = "0.5" }} }}',
        ]
        exp = [("replacement.head_relief", "chair-0.69-12m", "warning"),
               ("replacement.head_relief", "secretary-0.5-24m", "warning"), ("staffing.posts", "U1", "error")]
        out.append('\n[[case]]\nname = "head relief: below 70% of targets after a year in post"\n'
                   f"as_of = {a}\n" + officials(rows) + findings(sorted(exp)))
    # NĐ 154/2025 and NĐ 170/2025 Điều 52 (both from 1/7/2025): not while under investigation (every version)
    rows = [
        f'{{ id = "investigated-not-completed", ratings = {{ {r2} = "not_completed" }}, '
        'under_investigation = true }',
        f'{{ id = "not-completed", ratings = {{ {r2} = "not_completed" }} }}',
        '{ id = "investigated-confidence-0.6", low_confidence_share = 0.6, under_investigation = true }',
        '{ id = "confidence-0.6", low_confidence_share = 0.6 }',
        '{ id = "investigated-confidence-0.7", low_confidence_share = 0.7, under_investigation = true }',
    ]
    exp = [("replacement.streamlining", "not-completed", "info"),
           ("replacement.resignation_band", "confidence-0.6", "warning"),
           ("replacement.low_confidence", "investigated-confidence-0.7", removal),
           ("staffing.posts", "U1", "error")]
    out.append('\n[[case]]\nname = "under investigation: no streamlining, no resignation; '
               'removal still considered"\n'
               f"as_of = {a}\n" + officials(rows) + findings(sorted(exp)))  # exactly: nothing else fires
    if version == "2026.01":  # NĐ 335/2025 rates công chức; a cán bộ's 2026 rating: the parameter (Low)
        rows = [f'{{ id = "{who}", position = "{post}", ratings = {{ {year} = "good" }}, '
                f'discipline = {{ {year}-03-01 = "reprimand" }} }}'
                for who, post, year in (("cadre-2026", "front_chair", 2026), ("servant-2026", "office_chief", 2026),
                                        ("cadre-2025", "front_chair", 2025))]
        for setting, fire in (("", ("cadre-2026", "servant-2026", "cadre-2025")),
                              ("false", ("servant-2026", "cadre-2025"))):
            exp = [*(("replacement.discipline", who, "warning") for who in fire), ("staffing.posts", "U1", "error")]
            out.append('\n[[case]]\nname = "discipline in a rated year from 2026: a cán bộ '
                       + ('counts it not completed by default (cadre_discipline_not_completed)"\n' if not setting else
                          'is left to QĐ 366 with cadre_discipline_not_completed = false; '
                          'a công chức still counts"\n')
                       + "as_of = 2027-02-28\n"
                       + (f"params = {{ cadre_discipline_not_completed = {setting} }}\n" if setting else "")
                       + officials(rows) + findings(sorted(exp)))  # exactly: nothing else fires
        # NĐ 335/2025 Điều 20 khoản 5: excellent ≤ 20% of good, per unit (1 of 6 at the cap, 2 of 7 over it);
        # a cán bộ's and a 2025 rating are not counted
        rows = [*(f'{{ id = "{u}-good-{i}", unit = "{u}", position = "other", category = "civil_servant", '
                  f'ratings = {{ 2026 = "good" }} }}' for u in "AB" for i in range(1, 6)),
                *(f'{{ id = "{u}-excellent-{i}", unit = "{u}", position = "other", category = "civil_servant", '
                  f'ratings = {{ 2026 = "excellent" }} }}' for u, n in (("A", 1), ("B", 2)) for i in range(1, n + 1)),
                '{ id = "A-cadre-excellent", unit = "A", position = "front_chair", ratings = { 2026 = "excellent" } }',
                '{ id = "A-excellent-2025", unit = "A", position = "other", category = "civil_servant", '
                'ratings = { 2025 = "excellent" } }']
        exp = [("quota.excellent_share", "B", "warning"), ("staffing.posts", "A", "error"),
               ("staffing.posts", "B", "error")]
        out.append('\n[[case]]\nname = "rated excellent from 2026: at most 20% of those rated good in a unit (1 of 6 '
                   'at the cap, 2 of 7 over it); a cán bộ and a 2025 rating not counted"\n'
                   'as_of = 2027-02-28\nunits = [{ code = "A" }, { code = "B" }]\n' + officials(rows)
                   + findings(sorted(exp))
                   + 'metrics = [\n  { id = "quota.excellent_share", scope_id = "A", numerator = 1, denominator = 6, '
                     'met = true },\n  { id = "quota.excellent_share", scope_id = "B", numerator = 2, denominator = 7, '
                     'met = false },\n]\n')
    # ---- rotation
    rows = [
        f'{{ id = "e-120-months", in_planning = true, birth_date = {born(as_of, 120)} }}',
        f'{{ id = "e-119-months", in_planning = true, birth_date = {born(as_of, 119)} }}',
        f'{{ id = "e-disciplined", in_planning = true, discipline = {{ {months_ago(as_of, 2)} = "warning" }} }}',
        '{ id = "e-investigated", in_planning = true, under_investigation = true }',
        '{ id = "e-not-in-planning", in_planning = false }',
        f'{{ id = "p-24-months", position = "office_chief", appointed_on = {months_ago(as_of, 24)} }}',
        f'{{ id = "p-23-months", position = "office_chief", appointed_on = {months_ago(as_of, 23)} }}',
        f'{{ id = "p-60-months", position = "office_chief", appointed_on = {months_ago(as_of, 60)} }}',
        f'{{ id = "p-61-months", position = "office_chief", appointed_on = {months_ago(as_of, 61)} }}',
        f'{{ id = "p-18-left", position = "office_chief", appointed_on = {months_ago(as_of, 30)}, birth_date = {born(as_of, 18)} }}',
        f'{{ id = "p-disciplined", position = "office_chief", appointed_on = {months_ago(as_of, 30)}, discipline = {{ {months_ago(as_of, 2)} = "warning" }} }}',
        f'{{ id = "p-investigated", position = "office_chief", appointed_on = {months_ago(as_of, 30)}, under_investigation = true }}',
        f'{{ id = "p-seconded", position = "office_chief", appointed_on = {months_ago(as_of, 30)}, secondment_since = {months_ago(as_of, 2)} }}',
        f'{{ id = "s-36-months", position = "front_chair", secondment_since = {months_ago(as_of, 36)} }}',
        f'{{ id = "s-37-months", position = "front_chair", secondment_since = {months_ago(as_of, 37)} }}',
        f'{{ id = "r-12-left", birth_date = {born(as_of, 12)} }}',
        f'{{ id = "r-13-left", birth_date = {born(as_of, 13)} }}',
    ]
    exp = [("rotation.eligible", "e-120-months", "info"),
           ("rotation.position_change_due", "p-24-months", "info"),
           ("rotation.position_change_due", "p-60-months", "info"),
           ("rotation.position_change_due", "p-61-months", "warning"),
           ("rotation.position_change_due", "p-18-left", "info"),
           ("rotation.secondment_overdue", "s-37-months", "warning"),
           ("rotation.retiring_soon", "r-12-left", "info"), ("staffing.posts", "U1", "error")]
    out.append('\n[[case]]\nname = "rotation: eligibility, position change, secondment and retirement at their boundaries"\n'
               f"as_of = {a}\n" + officials(rows) + findings(sorted(exp)))
    return "".join(out)


def main() -> None:
    for version, as_of in VERSIONS.items():
        (OUT / f"vn-commune-2tier-{version}.toml").write_text(cases(version, as_of), encoding="utf-8")


if __name__ == "__main__":
    main()
