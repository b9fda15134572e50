"""A rule's message template is checked when its pack loads: the fields it names are those the engine formats it
with, and each conversion and format spec suits the value's kind; what still fails at evaluation is the pack's
located error, never a report showing the template's braces (engine/_run._format_map)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import PackError
from cadre_rules import PluginWarning
from cadre_rules import Unit
from cadre_rules import hookimpl
from cadre_rules import hookspecs
from cadre_rules._cli import cli
from cadre_rules._i18n import translation
from cadre_rules.packs._packs import Text
from cadre_rules.packs._packs import load_pack
from cadre_rules.packs._packs import parse_pack
from cadre_rules.packs._registry import builtin_pack_dir

AS_OF = date(2024, 6, 30)
UNITS = [Unit("U1", "Xã A", "commune", 1, None, True)]
PLUGINS = Path(__file__).parents[1] / "plugins"

HEAD = """
[pack]
id = "xa-checks"
version = "1"
title = "T"
[params]
young_age = 35
floor = "intermediate"
share = 0.15
"""


def rule(message: str, *, when: str = "age < young_age", show: str = "") -> str:
    return f"""
[[rule]]
id = "r.one"
family = "qualification"
when = "{when}"
message = {message}
cite = "c"
{show}
"""


def problems(text: str, lang: str = "en") -> list[tuple[str | None, str]]:
    with pytest.raises(PackError) as caught:
        parse_pack(__import__("tomllib").loads(text), file="xa.toml")
    gettext = translation(lang).gettext
    return [(p.column, p.text(gettext)) for p in caught.value.problems]


@pytest.mark.parametrize(("message", "key", "words"), [
    # a typo: the field the author meant is suggested
    ('{ vi = "Còn {ag} tuổi", en = "{age} years" }', "rule[0] (r.one).message.vi",
     "unknown placeholder {ag}; did you mean 'age'?"),
    # a share's spec on a text parameter (the officer would have read the braces)
    ('{ vi = "Tối thiểu {floor:.0%}", en = "at least {floor}" }', "rule[0] (r.one).message.vi",
     "{floor:.0%}: the format spec does not suit the value of floor, text"),
    # a text field (facts) with a number's spec, in the English template only
    ('{ vi = "{field_of_study}", en = "{field_of_study:.1f}" }', "rule[0] (r.one).message.en",
     "{field_of_study:.1f}: the format spec does not suit the value of field_of_study, text"),
    # a date's strftime spec: a finding's facts hold the date as its ISO text
    ('"Sinh {birth_date:%d/%m/%Y}"', "rule[0] (r.one).message.vi",
     "{birth_date:%d/%m/%Y}: the format spec does not suit the value of birth_date, a date, formatted as the text "
     "YYYY-MM-DD"),
    # a whole number formatted as a date
    ('"{age:%Y}"', "rule[0] (r.one).message.vi", "{age:%Y}: the format spec does not suit the value of age, "
     "a whole number"),
    # an unknown conversion
    ('"{age!x}"', "rule[0] (r.one).message.vi", "{age!x}: unknown conversion !x"),
])
def test_a_template_that_cannot_be_formatted_is_a_located_error(message: str, key: str, words: str) -> None:
    found = problems(HEAD + rule(message, show='show = ["field_of_study", "birth_date"]'))
    assert [k for k, _ in found] == [key]
    assert words in found[0][1]


def test_a_number_that_may_not_be_whole_refuses_an_integer_spec() -> None:
    """A number field is an int in the facts when whole and a float otherwise: ``:d`` fails on 0.5."""
    found = problems(HEAD + rule('"{low_confidence_share:d}"', when="low_confidence_share > 0.5"))
    assert found[0][0] == "rule[0] (r.one).message.vi"
    assert "the value of low_confidence_share, a number, whole or not" in found[0][1]
    parse_pack(__import__("tomllib").loads(HEAD + rule('"{low_confidence_share:.0%} {share:.0%} {age:.1f} {id!r}"',
                                                       when="low_confidence_share > 0.5 and age < 30")),
               file="ok.toml")


def test_the_problem_is_told_in_vietnamese() -> None:
    [(key, text)] = problems(HEAD + rule('"Tối thiểu {floor:.0%}"'), lang="vi")
    assert key == "rule[0] (r.one).message.vi"
    assert "{floor:.0%}: định dạng không hợp với giá trị của floor, là văn bản" in text
    [(_, text)] = problems(HEAD + rule('"{age!x}"'), lang="vi")
    assert "phép chuyển đổi !x không xác định" in text


QUOTA = """
[[quota]]
id = "q.one"
numerator = "age < 35"
{bound}
message = "{message}"
cite = "c"
"""


@pytest.mark.parametrize(("bound", "message", "words"), [
    ("max_share = 0.5", "thừa {excess}, thiếu {needed}", "unknown placeholder {needed}"),  # a maximum: no need
    ("min_share = 0.5", "thiếu {needed}, thừa {excess}", "unknown placeholder {excess}"),
    ("min_share = 0.5", "tỷ lệ {value:d}", "{value:d}: the format spec does not suit the value of value, a number "
                                           "with a decimal point"),
])
def test_a_quota_message_names_what_its_finding_has(bound: str, message: str, words: str) -> None:
    found = problems(HEAD + QUOTA.replace("{bound}", bound).replace("{message}", message))
    assert [k for k, _ in found] == ["quota[0] (q.one).message.vi"] and words in found[0][1]


def test_a_staffing_message_is_checked_too() -> None:
    text = HEAD + """
[[staffing]]
id = "s.one"
require = [{ position = "committee_chair" }]
message = "Thiếu {vacant:d} ({filled}/{required})"
cite = "c"
"""
    [(key, reason)] = problems(text)
    assert key == "staffing[0] (s.one).message.vi" and "{vacant:d}: the format spec does not suit" in reason


def test_every_shipped_pack_passes_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built-in packs (kept released versions too) and the example plugins' packs (loaded by their plugins, with
    the functions they register)."""
    files = [*sorted(builtin_pack_dir().glob("*.toml")), *sorted((builtin_pack_dir() / "released").glob("*.toml"))]
    assert len(files) >= 15
    for path in files:
        load_pack(path)
    monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")
    engine = Engine(backend="reference")
    assert engine.plugins.problems == {}
    plugin_packs = {p.path for pid in ("ba-vi-local", "hoan-kiem-local") for p in engine.editions[pid]}
    assert plugin_packs == {str(p) for p in PLUGINS.glob("*/src/*/*.toml")} and len(plugin_packs) == 4


def test_a_plugin_pack_with_a_bad_template_disables_the_plugin_with_the_located_problem(tmp_path: Path) -> None:
    pack = tmp_path / "xa-checks.toml"
    pack.write_text(HEAD + rule('{ vi = "{age}", en = "under {share:d}" }'), encoding="utf-8")

    class Commune:
        name = "xa"

        @hookimpl
        def cadre_rules_register_packs(self, register: hookspecs.PackRegistrar) -> None:
            register(pack)

    for lang, words in (("en", "the format spec does not suit the value of share, a number"),
                        ("vi", "định dạng không hợp với giá trị của share, là một số")):
        with pytest.warns(PluginWarning) as caught:
            Engine([], plugins=[Commune()], backend="reference", lang=lang)
        warning = caught[0].message
        assert isinstance(warning, PluginWarning)
        text = warning.text(translation(lang).gettext)
        assert f"{pack}, rule[0] (r.one).message.en: {{share:d}}: " in text and words in text, text


def test_the_command_line_refuses_such_a_pack_with_exit_2(tmp_path: Path) -> None:
    pack = tmp_path / "xa-checks.toml"
    pack.write_text(HEAD + rule('"Tối thiểu {floor:.0%}"'), encoding="utf-8")
    for command in (["packs", "validate", str(pack)],
                    ["evaluate", str(Path(__file__).parents[1] / "examples" / "hanoi-2025"), "--pack", str(pack)]):
        result = CliRunner().invoke(cli, [*command, "--lang", "vi"] if command[0] == "evaluate"
                                    else ["--lang", "vi", *command])
        assert result.exit_code == 2, result.output
        assert f"{pack}, rule[0] (r.one).message.vi: {{floor:.0%}}: định dạng không hợp" in result.output


def official(ident: str) -> Official:
    return Official(ident, "Tên", "male", date(1995, 1, 1), "U1", "committee_chair", education="university",
                    political_theory="intermediate")


def test_an_unknown_value_is_shown_as_a_question_mark_with_or_without_a_spec() -> None:
    """A field the rule shows may be unknown for the official it fires for: ``?``, not ``None`` or the braces."""
    pack = parse_pack(__import__("tomllib").loads(HEAD + rule(
        '{ vi = "{low_confidence_share:.0%} / {low_confidence_share} / {age}", en = "{low_confidence_share:.0%}" }',
        show='show = ["low_confidence_share"]')), file="xa.toml")
    for lang, expected in (("vi", "? / ? / 29"), ("en", "?")):
        report = Engine([pack], plugins=False, backend="reference", lang=lang).evaluate([official("a")], UNITS, AS_OF)
        assert [f.message for f in report.findings] == [expected]


def test_a_message_that_still_fails_at_evaluation_is_the_packs_located_error() -> None:
    """A pack made in code, its message changed after the load's check: the evaluation stops with the pack's error
    located at the message (exit 2 on the command line), instead of a finding showing the template."""
    pack = parse_pack(__import__("tomllib").loads(HEAD + rule('"{age}"')), file="xa.toml")
    broken = attrs.evolve(pack, rules=(attrs.evolve(pack.rules[0], message=Text("{age:%Y}", "{age:%Y}")),))
    with pytest.raises(PackError) as caught:
        Engine([broken], plugins=False, backend="reference").evaluate([official("a")], UNITS, AS_OF)
    [problem] = caught.value.problems
    assert (problem.file, problem.column, problem.value) == ("xa.toml", "rule[0] (r.one).message.vi", "{age:%Y}")
    assert "the message cannot be formatted with the values of a finding" in problem.text()
