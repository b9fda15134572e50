"""One term for one concept, in every command and format (session 19): the commune's officer reads "gói quy định"
for a pack in `evaluate`, `explain` and `project` alike (project said "Bộ quy tắc"), "quy tắc" for a rule (some
messages said "quy định", the word of a pack), "phát hiện" for a finding, "miễn trừ" for a finding set aside (the
html said "bỏ qua"), "bộ máy quy tắc" for the backend (the report said "bộ máy luật", its option "bộ máy quy tắc")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from test_i18n import _po_messages

SAMPLE = Path(__file__).parent.parent / "examples" / "hanoi-2025"
#: the packs in force on 31/12/2025, as a header lists them (their versions move with each revision)
PACKS = ", ".join(p.ref for p in Engine(plugins=False).packs_for(date(2025, 12, 31))[0])


def _run(*args: str) -> list[str]:
    result = CliRunner().invoke(cli, [*args, "--as-of", "31/12/2025", "--lang", "vi"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()


def test_evaluate_explain_and_project_call_the_packs_alike() -> None:
    """A ward's report, its explanation and its projection name its packs with the same words."""
    scope = ("--scope", "commune:00322")
    assert f"Gói quy định: {PACKS}" in _run("evaluate", str(SAMPLE), *scope)
    assert f"Gói quy định: {PACKS}" in _run("explain", str(SAMPLE), "--unit", "00322")
    assert f"Gói quy định từ ngày 31/12/2025: {PACKS}" in _run("project", str(SAMPLE), *scope, "--to", "2026-12-31")


def test_the_backend_is_the_rule_engine_in_the_report_and_its_option() -> None:
    t = translation("vi")
    assert t.gettext("Rule engine") == "Bộ máy quy tắc"
    assert t.gettext("Rule engine: durable-rules, the pure-Python reference, or durable where installed.").startswith(
        "Bộ máy quy tắc: ")


def test_a_set_aside_finding_is_waived_in_every_format() -> None:
    t = translation("vi")
    assert t.gettext("Findings set aside ({count})") == "Phát hiện được miễn trừ ({count})"
    assert t.pgettext("html", "Findings set aside ({n})") == "Phát hiện được miễn trừ ({n})"
    assert t.pgettext("html", "Set aside by") == t.pgettext("xlsx column", "Set aside by") == "Miễn trừ theo"


@pytest.mark.parametrize(("english", "vietnamese", "not_said"), [
    (r"\bpacks?\b", None, r"\bbộ quy (?:tắc|định)\b|\bBỘ\."),  # (a pack: "gói quy định", "gói")
    (r"\brules?\b", None, r"(?<!gói )\bquy định\b"),  # (a rule: "quy tắc"; "quy định" is a pack's word)
    (r"\bfindings?\b", "phát hiện", None),
], ids=["pack", "rule", "finding"])
def test_the_catalogue_says_one_word_for_each_concept(english: str, vietnamese: str | None,
                                                      not_said: str | None) -> None:
    """Every message of the catalogue that names the concept says it with its word."""
    wrong = []
    for context, msgid, _plural, strings, _flags in _po_messages():
        if not re.search(english, msgid, re.IGNORECASE):
            continue
        said = " ".join(strings)
        if (vietnamese is not None and vietnamese not in said.casefold()) or (
                not_said is not None and re.search(not_said, said, re.IGNORECASE)):
            wrong.append((context, msgid, said))
    assert wrong == []
