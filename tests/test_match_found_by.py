"""``match``'s JSON names, for each vacant post, the finding of the report that found it vacant (``finding``:
``{"pack", "rule"}``, as the report's findings name it), so that an integrator can tell which rule a vacancy came
from and join it with ``evaluate``'s findings; a post to fill for another reason has ``"finding": null``."""

from __future__ import annotations

from datetime import date

from cadre_rules import Engine
from cadre_rules import match_posts
from cadre_rules import match_to_dict
from subsets import SAMPLES


def test_each_vacant_post_names_the_finding_that_found_it() -> None:
    folder, as_of = SAMPLES["2022"]
    engine = Engine(backend="reference")
    officials, units = engine.read(folder / "officials.csv", folder / "units.csv")
    when = date.fromisoformat(as_of)
    report = engine.evaluate(officials, units, when)
    vacant = {(f.pack, f.rule, f.subject_id, position) for f in report.findings
              if f.family == "staffing" and f.subject_kind == "unit" for position in f.facts.get("vacant", ())}
    posts = match_to_dict(match_posts(engine, officials, units, when, within=12, report=report))["posts"]
    reasons = {p["reason"] for p in posts}
    assert {"vacant", "retiring"} <= reasons, reasons
    for post in posts:
        if post["reason"] != "vacant":
            assert post["finding"] is None, post
            continue
        finding = post["finding"]
        assert list(finding) == ["pack", "rule"]
        assert (finding["pack"], finding["rule"], post["unit"], post["position"]) in vacant, post
    assert sum(p["reason"] == "vacant" for p in posts) == len({(u, p) for _, _, u, p in vacant})
