"""What ``cadre-rules test`` prints: text (pass/fail per case with its diff, coverage), JSON, JUnit XML."""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from .._i18n import translation
from ..model._formats import percent
from ._pack_tests import TestRun

__all__ = ["render_test_json", "render_test_junit", "render_test_text"]


def _kind_word(kind: str, lang: str) -> str:
    """A rule's kind: ``official`` → "cán bộ", ``unit`` → "đơn vị", ``quota`` → "chỉ tiêu", ``staffing`` → "bố trí"."""
    t = translation(lang)
    words = {"official": t.pgettext("rule kind", "official"), "unit": t.pgettext("rule kind", "unit"),
             "quota": t.pgettext("rule kind", "quota"), "staffing": t.pgettext("rule kind", "staffing rule")}
    return words.get(kind, kind)


def _coverage_lines(run: TestRun, lang: str) -> list[str]:
    _ = translation(lang).gettext
    lines = [_("coverage: {percent} of outcomes (each rule, quota and staffing rule fired and not fired, each "
               "sub-condition seen true and false)").format(percent=percent(run.coverage.percent / 100, lang))]
    for (pack, rule), cov in sorted(run.coverage.rules.items()):
        covered, total = cov.outcomes
        mark = "✓" if covered == total else "✗"
        fired = (_("fired") if cov.fired else _("NEVER FIRED")) + ", " + \
            (_("not fired") if cov.not_fired else _("ALWAYS FIRED"))
        lines.append(f"  {mark} {pack} {rule} ({_kind_word(cov.kind, lang)}): {fired}")
        for (part, index), (text, true, false) in sorted(cov.conditions.items()):
            if not (true and false):
                seen = _("never true") if not true else _("never false")
                lines.append(f"      {part}[{index}] {text}: {seen}")
    return lines


def render_test_text(run: TestRun, *, coverage: bool = False, lang: str = "en") -> str:
    _ = translation(lang).gettext
    lines = []
    passed_word, failed_word = _("PASS"), _("FAIL")
    for r in run.results:
        lines.append(f"{passed_word if r.passed else failed_word} {r.pack} {r.name}  ({r.file} {r.key})")
        lines.extend(f"    {d}" for d in r.diff)
    passed = len(run.results) - run.failed
    lines.append(_("{passed} passed, {failed} failed ({cases} cases; backends: {backends})").format(
        passed=passed, failed=run.failed, cases=len(run.results), backends=", ".join(run.backends)))
    if coverage:
        lines.extend(_coverage_lines(run, lang))
    return "\n".join(lines) + "\n"


def render_test_json(run: TestRun, *, coverage: bool = False, lang: str = "en") -> str:
    data: dict[str, object] = {
        "schema": "cadre-rules/pack-test-results/v1",
        "backends": list(run.backends),
        "passed": len(run.results) - run.failed, "failed": run.failed,
        "cases": [{"file": r.file, "pack": r.pack, "name": r.name, "key": r.key, "passed": r.passed,
                   "diff": list(r.diff)} for r in run.results],
    }
    if coverage:
        data["coverage"] = {
            "percent": round(run.coverage.percent, 2),
            "rules": [{"pack": c.pack, "rule": c.rule, "kind": c.kind, "fired": c.fired, "not_fired": c.not_fired,
                       "conditions": [{"part": part, "index": index, "condition": text, "true": true,
                                       "false": false} for (part, index), (text, true, false)
                                      in sorted(c.conditions.items())]}
                      for _, c in sorted(run.coverage.rules.items())],
        }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_test_junit(run: TestRun, *, coverage: bool = False, lang: str = "en") -> str:
    """JUnit XML: one test suite per pack version, one test case per case."""
    by_pack: dict[str, list[int]] = {}
    for i, r in enumerate(run.results):
        by_pack.setdefault(r.pack, []).append(i)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="cadre-rules test" tests="{len(run.results)}" failures="{run.failed}">']
    for pack, indexes in sorted(by_pack.items()):
        failures = sum(1 for i in indexes if not run.results[i].passed)
        out.append(f"  <testsuite name={quoteattr(pack)} tests=\"{len(indexes)}\" failures=\"{failures}\">")
        for i in indexes:
            r = run.results[i]
            head = f"    <testcase classname={quoteattr(pack)} name={quoteattr(r.name)} file={quoteattr(r.file)}"
            if r.passed:
                out.append(head + "/>")
                continue
            body = "\n".join(r.diff)
            out.append(head + ">")
            out.append(f"      <failure message={quoteattr(r.diff[0])}>{_text(body)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    if coverage:
        out.append(f"  <!-- coverage {run.coverage.percent:.1f}% -->")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
