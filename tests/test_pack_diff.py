"""``cadre-rules packs diff``: two versions of a pack, rule by rule and on data (issue #21)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from click.testing import Result

from cadre_rules._cli import cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "hanoi-2022"
OLD, NEW = "hanoi-de-an-34@2023.11.4", "hanoi-de-an-34@2025.07.2"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_rule_by_rule() -> None:
    result = run("packs", "diff", OLD, NEW, "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert (diff["old"], diff["new"]) == (OLD, NEW)
    assert diff["added"] == []
    assert diff["removed"] == ["replacement.discipline", "replacement.low_confidence",
                               "replacement.two_years_not_completed"]
    changed = {(c["rule"], c["part"], c["key"]): (c["old"], c["new"]) for c in diff["changed"]}
    assert changed[("", "effective", "effective.from")] == ("2023-11-06", "2025-07-01")
    assert changed[("quota.young", "deadline", "deadline")] == ("2025-12-31", None)
    assert changed[("staffing.vacancy", "condition", "require")][1] == "key_positions"
    assert ("", "params", "key_set") in changed
    assert not any(rule == "replacement.not_completed" for rule, _, _ in changed)  # unchanged


def test_the_same_version_has_no_difference() -> None:
    result = run("packs", "diff", OLD, OLD)
    assert result.exit_code == 0
    assert "no rule, parameter or date differs" in result.output


def _evaluate(pack: str) -> dict[str, object]:
    result = run("evaluate", EXAMPLE, "--pack", pack, "--as-of", "2022-12-31", "--format", "json", "-q",
                 "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_impact_on_data_matches_two_full_evaluations() -> None:
    result = run("packs", "diff", OLD, NEW, "--data", EXAMPLE, "--as-of", "2022-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    impact = json.loads(result.output)["impact"]
    old, new = _evaluate(OLD), _evaluate(NEW)

    def findings(report: dict[str, object]) -> dict[tuple[str, str], str]:
        return {(f["rule"], f["subject"]["id"]): f["severity"] for f in report["findings"]}  # type: ignore[attr-defined,index]

    a, b = findings(old), findings(new)
    assert {(i["rule"], i["subject"]) for i in impact if i["kind"] == "appears"} == set(b) - set(a)
    assert {(i["rule"], i["subject"]) for i in impact if i["kind"] == "disappears"} == set(a) - set(b)
    assert {(i["rule"], i["subject"]) for i in impact if i["kind"] == "severity"} == \
        {k for k in set(a) & set(b) if a[k] != b[k]}
    assert any(i["kind"] == "disappears" for i in impact)

    def metrics(report: dict[str, object]) -> dict[tuple[str, str], tuple[object, object, object]]:
        return {(m["id"], f"{m['scope']}:{m['scope_id']}"): (m["numerator"], m["denominator"], m["met"])
                for m in report["metrics"]}  # type: ignore[attr-defined]

    ma, mb = metrics(old), metrics(new)
    changed = {k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k)}
    assert changed
    assert {(i["rule"], i["subject"]) for i in impact if i["kind"] == "metric"} == changed


def test_text_and_html() -> None:
    text = run("packs", "diff", OLD, NEW, "--data", EXAMPLE, "--as-of", "2022-12-31")
    assert text.exit_code == 0
    assert "  - replacement.low_confidence  (removed)" in text.output
    assert "impact on the data as of 2022-12-31:" in text.output
    page = run("packs", "diff", OLD, NEW, "--format", "html")
    assert page.exit_code == 0
    assert page.output.startswith("<!DOCTYPE html>")
    assert "<td>removed</td><td>replacement.low_confidence</td>" in page.output


def test_two_different_packs_exit_2() -> None:
    result = run("packs", "diff", OLD, "vn-nd33-2023")
    assert result.exit_code == 2
    assert "vn-nd33-2023, pack.id: packs diff compares two versions of one pack" in result.output
    assert "Traceback" not in result.output
    unknown = run("packs", "diff", OLD, "hanoi-de-an-34@1999.1")
    assert unknown.exit_code == 2
    assert "unknown pack version" in unknown.output


def test_text_and_html_in_vietnamese() -> None:
    text = run("packs", "diff", OLD, NEW, "--data", EXAMPLE, "--as-of", "2022-12-31", "--lang", "vi")
    assert text.exit_code == 0, text.output
    out = text.output
    assert "  - replacement.low_confidence  (bỏ đi)" in out
    assert "  ~ [gói] ngày hiệu lực (effective.from): 06/11/2023 → 01/07/2025" in out
    assert "  ~ quota.young thời hạn (deadline): 31/12/2025 → —" in out
    assert "ảnh hưởng trên dữ liệu ngày 31/12/2022: 1.191 thay đổi" in out
    assert "  - replacement.discipline HN-BAVI-16-10 lưu ý" in out
    assert "  ~ chỉ số staffing.fill_rate thành phố Hà Nội: 3691/3703 ✗ → 3691/4632 ✗" in out
    for english in ("removed", "added", "impact", "effective dates", "warning", "error", "metric", "city"):
        assert english not in out, english
    page = run("packs", "diff", OLD, NEW, "--data", EXAMPLE, "--as-of", "2022-12-31", "--format", "html",
               "--lang", "vi")
    assert page.exit_code == 0
    assert '<html lang="vi">' in page.output
    assert "<th>thay đổi</th><th>quy tắc</th><th>khóa</th><th>cũ</th><th>mới</th>" in page.output
    assert "<td>bỏ đi</td><td>replacement.low_confidence</td>" in page.output
    assert "<td>không còn</td><td>replacement.discipline</td><td>HN-BADINH-12-15</td><td>lưu ý</td><td>—</td>" \
        in page.output
    english = run("packs", "diff", OLD, OLD, "--lang", "en", "--format", "html")
    assert '<html lang="en">' in english.output and "no rule, parameter or date differs" in english.output
    assert run("packs", "diff", OLD, OLD, "--lang", "vi").output.endswith(
        "không có quy tắc, tham số hay ngày nào khác nhau\n")


def test_two_different_packs_in_vietnamese() -> None:
    result = run("packs", "diff", OLD, "vn-nd33-2023", "--lang", "vi")
    assert result.exit_code == 2
    assert ("vn-nd33-2023, pack.id: packs diff so sánh hai phiên bản của cùng một gói: 'hanoi-de-an-34' và "
            "'vn-nd33-2023' là hai gói khác nhau") in result.output


def test_the_posts_a_staffing_rule_requires_before_and_after() -> None:
    """``require = key_positions`` → ``require = "vacancy_posts"`` names where the posts come from: the diff shows
    the posts themselves, eight before (the standing deputy a post of its own), seven after (the Phó Bí thư either)."""
    old, new = "hanoi-de-an-34@2025.07.3", "hanoi-de-an-34@2025.07.4"
    result = run("packs", "diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    changed = {(c["rule"], c["part"], c["key"]): (c["old"], c["new"]) for c in json.loads(result.output)["changed"]}
    before, after = changed[("staffing.vacancy", "posts", "posts")]
    assert before == ["party_secretary", "standing_deputy_party_secretary", "deputy_party_secretary", "council_chair",
                      "council_vice_chair", "committee_chair", "committee_vice_chair", "front_chair"]
    assert after == ["party_secretary", "deputy_party_secretary|standing_deputy_party_secretary", "council_chair",
                     "council_vice_chair", "committee_chair", "committee_vice_chair", "front_chair"]
    text = run("packs", "diff", old, new, "--lang", "vi").output
    assert ("8 chức danh: Bí thư Đảng ủy, Phó Bí thư Thường trực Đảng ủy, Phó Bí thư Đảng ủy, Chủ tịch HĐND, "
            "Phó Chủ tịch HĐND, Chủ tịch UBND, Phó Chủ tịch UBND, Chủ tịch UBMTTQ → 7 chức danh: Bí thư Đảng ủy, "
            "Phó Bí thư Đảng ủy hoặc Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND") in text
    page = run("packs", "diff", old, new, "--format", "html", "--lang", "en").output
    assert "7 posts: Party secretary, Deputy party secretary or Standing deputy party secretary, Council chair" in page
    same = run("packs", "diff", new, new, "--format", "json").output
    assert json.loads(same)["changed"] == []  # (the same posts: no change)
