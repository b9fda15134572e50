"""JUnit XML for CI pipelines: a ``testsuite`` per pack, a ``testcase`` per rule.

A rule's test case fails when the rule has an ``error`` or ``warning`` finding; its ``failure`` lists
them, one per line. ``info`` findings and findings set aside (``suppressed``) go to ``system-out``.
The report's notices are the cases of a suite ``cadre-rules``: a family not checked is skipped.
The report names only the rules that produced a finding or a metric, so a rule that fired nowhere and
has no metric does not appear. Times are 0 and the timestamp is the as-of date: deterministic bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model._arguments import report_checked
from ..model._report_records import SEVERITIES
from ..model._report_records import Finding
from ..model._report_records import Report
from ..report._report import version
from ._common import NOTICE_PACK
from ._common import xml_text

__all__ = ["render_junit"]

_FAILING = ("error", "warning")


def _line(f: Finding) -> str:
    where = f"{f.subject_kind} {f.subject_id}"
    if f.scope_id != f.subject_id:
        where += f" ({f.scope_id})"
    return xml_text(f"[{f.severity}] {where}: {f.message}")


def _counts(findings: list[Finding]) -> str:
    return ", ".join(f"{n} {s}" for s in SEVERITIES if (n := sum(1 for f in findings if f.severity == s)))


@report_checked
def render_junit(report: Report, lang: str = "vi") -> str:
    """The report as JUnit XML text (``lang`` is unused: messages come in the engine's language)."""
    by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_rule[(f.pack, f.rule)].append(f)
    set_aside: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in report.suppressed:
        set_aside[(s.finding.pack, s.finding.rule)].append(xml_text(f"[set aside by {s.by}: {s.reason}] "
                                                                     f"{_line(s.finding)}"))
    rules: dict[str, set[str]] = {p.id: set() for p in report.packs}
    for pack, rule in (*by_rule, *set_aside, *((m.pack, m.id) for m in report.metrics)):
        rules.setdefault(pack, set()).add(rule)
    timestamp = f"{report.as_of.isoformat()}T00:00:00"
    versions = {p.id: p for p in report.packs}

    root = ET.Element("testsuites", name="cadre-rules")
    total = failed = 0
    for pack, pack_rules in rules.items():
        suite = ET.SubElement(root, "testsuite", name=pack)
        props = ET.SubElement(suite, "properties")
        prop = [("as_of", report.as_of.isoformat()), ("city", report.city), ("cadre_rules_version", version())]
        if pack in versions:
            prop += [("pack_version", versions[pack].version), ("pack_sha256", versions[pack].sha256)]
        prop.append(("input_sha256", report.input_sha256))
        for name, value in prop:
            ET.SubElement(props, "property", name=name, value=xml_text(value))
        suite_failed = 0
        for rule in sorted(pack_rules):
            findings = by_rule.get((pack, rule), [])
            case = ET.SubElement(suite, "testcase", classname=pack, name=rule, time="0")
            failing = [f for f in findings if f.severity in _FAILING]
            if failing:
                suite_failed += 1
                worst = next(s for s in _FAILING if any(f.severity == s for f in failing))
                family = failing[0].family
                failure = ET.SubElement(case, "failure", type=worst,
                                        message=f"{rule} ({family}): {len(failing)} findings: {_counts(failing)}")
                failure.text = "\n".join([xml_text(f"cite: {failing[0].cite}"), *map(_line, failing)]) + "\n"
            out = [_line(f) for f in findings if f.severity not in _FAILING] + set_aside.get((pack, rule), [])
            if out:
                ET.SubElement(case, "system-out").text = "\n".join(out) + "\n"
        count = len(pack_rules)
        suite.attrib.update(tests=str(count), failures=str(suite_failed), errors="0", skipped="0", time="0",
                            timestamp=timestamp)
        total += count
        failed += suite_failed
    if report.notices:  # a family not checked, a rule not decided: skipped cases; the rest output
        found = [x for x in root if x.get("name") == NOTICE_PACK]  # (with the engine's findings, if any)
        suite = found[0] if found else ET.SubElement(root, "testsuite", name=NOTICE_PACK, tests="0", failures="0",
                                                     errors="0", skipped="0", time="0", timestamp=timestamp)
        skipped = 0
        for n in report.notices:
            case = ET.SubElement(suite, "testcase", classname=NOTICE_PACK,
                                 name=f"notice.{n.kind}" + (f".{n.family}" if n.family else ""), time="0")
            if n.kind in ("coverage", "undecided") and n.severity == "warning":  # not (fully) evaluated
                ET.SubElement(case, "skipped", message=xml_text(n.message))
                skipped += 1
            else:
                ET.SubElement(case, "system-out").text = xml_text(f"[{n.severity}] {n.message}") + "\n"
        suite.attrib.update(tests=str(int(suite.get("tests", "0")) + len(report.notices)), skipped=str(skipped))
        total += len(report.notices)
    root.attrib.update(tests=str(total), failures=str(failed), errors="0", time="0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
