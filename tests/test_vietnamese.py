"""Vietnamese first, in Vietnamese formats (issue #16, §4): numbers and dates as each language writes them,
errors, warnings and --help in the language of the command (with their location), and no English in the
Vietnamese output of any format (nor Vietnamese in the English output)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

from cadre_rules import Engine
from cadre_rules import hookimpl
from cadre_rules._cli import cli
from cadre_rules._i18n import LOCALE_DIR
from cadre_rules._i18n import cli_lang
from cadre_rules._i18n import translation
from cadre_rules.errors import N_
from cadre_rules.errors import InputError
from cadre_rules.errors import Problem
from cadre_rules.hookspecs import PackRegistrar
from cadre_rules.model._codes import VOCABULARIES
from cadre_rules.model._formats import Shown
from cadre_rules.model._formats import decimal
from cadre_rules.model._formats import integer
from cadre_rules.model._formats import long_date
from cadre_rules.model._formats import percent
from cadre_rules.model._formats import short_date
from cadre_rules.render._labels import FactsTexts
from cadre_rules.render._labels import facts_text
from cadre_rules.render._labels import named_rule
from cadre_rules.render._labels import severity_word
from conftest import install_plugins

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2025"
#: Before the 2025 reform: districts, and the district plugins' packs in force.
DISTRICTS = ROOT / "examples" / "hanoi-2022"
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "cadre_rules.po"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


# --------------------------------------------------------------------------- numbers and dates


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ("17,9%", "11.473", "2,62", "31/12/2024", "ngày 31 tháng 12 năm 2024", "5,0%", "1.234.567")),
    ("en", ("17.9%", "11,473", "2.62", "2024-12-31", "31 December 2024", "5.0%", "1,234,567")),
])
def test_numbers_and_dates_as_each_language_writes_them(lang: str, expected: tuple[str, ...]) -> None:
    got = (percent(Fraction(179, 1000), lang), integer(11473, lang), decimal(Fraction(330, 126), lang),
           short_date(date(2024, 12, 31), lang), long_date(date(2024, 12, 31), lang), percent(0.05, lang),
           integer(1234567, lang))
    assert got == expected
    assert percent(None, lang) == "—"


def test_message_values_in_vietnamese_format() -> None:
    template = "{scope}: {value:.1%} ({numerator}/{denominator}), {target:.0%}; {avg:.2f}; {when}; {year}"
    values = {"scope": "Hà Nội", "value": 0.179, "numerator": 11473, "denominator": 64000, "target": 0.1,
              "avg": 2.625, "when": "2024-12-31", "year": 2024}
    vi = template.format_map({k: Shown(v, "vi") for k, v in values.items()})
    assert vi == "Hà Nội: 17,9% (11473/64000), 10%; 2,62; 31/12/2024; 2024"  # counts and years as they are
    en = template.format_map({k: Shown(v, "en") for k, v in values.items()})
    assert en == template.format_map(values)  # English: exactly what plain formatting gives


def test_facts_as_readable_text() -> None:
    facts = {"vacant": ["front_chair", "committee_vice_chair"], "filled": 6, "required": 8, "value": 0.179,
             "retirement_date": "2026-01-31", "in_planning": False,
             "count(\"standing_committee and gender == 'female'\")": 0}
    assert facts_text(facts, "vi") == (
        "chức danh còn trống: Chủ tịch UBMTTQ, Phó Chủ tịch UBND; đã bố trí: 6; số chức danh cần có: 8; "
        "tỷ lệ: 17,9%; ngày nghỉ hưu: 31/01/2026; trong quy hoạch: không; "
        "số người ủy viên ban thường vụ và giới tính = nữ: 0")
    assert facts_text(facts, "en") == (
        "vacant posts: Front chair, Committee vice chair; posts filled: 6; posts required: 8; share: 17.9%; "
        "retirement date: 2026-01-31; in the planning pool: no; "
        "number of standing committee member and gender = Female: 0")
    assert facts_text({}, "vi") == "—"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_facts_put_in_words_once_each_are_the_same_words(lang: str) -> None:
    """``FactsTexts`` (xlsx, html) keeps each distinct fact's words: the same text as :func:`facts_text`, with
    ``True``, ``1`` and ``1.0`` of one name still told apart, and an average's value not taken for a share's."""
    many: list[dict[str, Any]] = [
        {"in_planning": True, "filled": 1}, {"in_planning": 1, "filled": 1.0}, {"in_planning": False, "filled": 0},
        {"value": 0.5, "target": 0.25}, {"per": "unit", "value": 0.5, "target": 0.25}, {"value": 0.5},
        {"vacant": ["front_chair"], "filled": 1}, {"vacant": ["front_chair"]}, {}]
    texts = FactsTexts(lang)
    assert [texts(dict(facts)) for facts in many] == [facts_text(facts, lang) for facts in many]
    words = [texts(dict(facts)) for facts in many]
    assert len({words[0], words[1]}) == 2 and words[3] != words[4]


def test_severity_words_fit_an_hr_document() -> None:
    assert [severity_word(s, "vi") for s in ("error", "warning", "info")] == ["cần xử lý", "lưu ý", "thông tin"]
    assert [severity_word(s, "en") for s in ("error", "warning", "info")] == ["error", "warning", "info"]


# --------------------------------------------------------------------------- errors, warnings, --help


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    (["evaluate", "d", "--lang", "en"], {}, "en"),
    (["evaluate", "d", "--lang=en"], {"LANG": "vi_VN.UTF-8"}, "en"),
    (["evaluate", "d"], {"LANG": "en_US.UTF-8"}, "en"),
    (["evaluate", "d"], {"LANG": "vi_VN.UTF-8"}, "vi"),
    (["evaluate", "d"], {}, "vi"),
    (["evaluate", "d", "--lang", "en", "--lang", "vi"], {"LANG": "en_US.UTF-8"}, "vi"),  # the last one wins
    (["evaluate", "--", "--lang", "en"], {}, "vi"),  # after --: an argument, not the option
    (["evaluate", "d", "--lang", "fr"], {"LANG": "en_US"}, "en"),  # not a language: click refuses it later
])
def test_the_language_is_known_before_parsing(argv: list[str], environ: dict[str, str], expected: str) -> None:
    assert cli_lang(argv, environ) == expected


def test_a_problem_in_both_languages_keeps_its_location() -> None:
    problem = Problem.of("officials.xlsx", N_("impossible date: {text} ({month} has {days} days in {year})"),
                         7, "birth_date", "31/02/2023", text="31/02/2023", month="February", days=28, year=2023)
    assert str(problem) == ("officials.xlsx, row 7, birth_date: impossible date: 31/02/2023 (February has 28 days "
                            "in 2023) (got '31/02/2023')")
    from cadre_rules._i18n import translation

    vi = problem.text(translation("vi").gettext)
    # the column as the officer's workbook (and `cadre-rules template`) heads it
    assert vi == ("officials.xlsx, dòng 7, Ngày sinh: ngày không tồn tại: 31/02/2023 (tháng 2 năm 2023 có 28 ngày) "
                  "(giá trị đọc được: '31/02/2023')")
    error = InputError([problem, Problem("units.csv", N_("missing required column"), column="code")])
    assert error.text(translation("vi").gettext).splitlines() == [
        "2 vấn đề trong dữ liệu đầu vào:", "  " + vi, "  units.csv, Mã đơn vị: thiếu cột bắt buộc"]
    assert str(error).splitlines()[0] == "2 input problems:"


@pytest.fixture
def bad_data(tmp_path: Path) -> Path:
    (tmp_path / "units.csv").write_text("code,name,kind,class,district\nX1,Xã Một,commune,1,Ba Vì\n",
                                        encoding="utf-8")
    (tmp_path / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory,in_planning\n"
        "A1,Nguyễn Văn A,male,31/02/1975,X1,committee_chair,university,advanced,perhaps\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("args", "env", "lines"), [
    (["--lang", "vi"], {"LANG": "en_US.UTF-8"}, [
        "lỗi: 2 vấn đề trong dữ liệu đầu vào:",
        "  {f}, dòng 2, Ngày sinh: ngày không tồn tại: 31/02/1975 (tháng 2 năm 1975 có 28 ngày) "
        "(giá trị đọc được: '31/02/1975')",
        "  {f}, dòng 2, Quy hoạch: không phải giá trị có/không (nhận: có/không, true/false, 1/0, yes/no, hoặc x "
        "hay ✓ là có) "
        "(giá trị đọc được: 'perhaps')"]),
    ([], {"LANG": "vi_VN.UTF-8"}, None),  # a Vietnamese locale: the same
    (["--lang", "en"], {"LANG": "vi_VN.UTF-8"}, [
        "error: 2 input problems:",
        "  {f}, row 2, birth_date: impossible date: 31/02/1975 (February has 28 days in 1975) (got '31/02/1975')",
        "  {f}, row 2, in_planning: not a boolean (expected true/false, 1/0, yes/no, có/không, or x or ✓ for yes) "
        "(got 'perhaps')"]),
])
def test_input_errors_in_the_language_of_the_command(bad_data: Path, args: list[str], env: dict[str, str],
                                                     lines: list[str] | None) -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, **env})
    result = runner.invoke(cli, ["evaluate", str(bad_data), "--as-of", "2024-12-31", *args])
    assert result.exit_code == 2
    expected = lines or test_input_errors_in_the_language_of_the_command.vi  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [line.format(f=bad_data / "officials.csv") for line in expected]
    assert "Nguyễn Văn A" not in result.stderr  # errors never name people
    assert "Traceback" not in result.output


test_input_errors_in_the_language_of_the_command.vi = [  # type: ignore[attr-defined]
    "lỗi: 2 vấn đề trong dữ liệu đầu vào:",
    "  {f}, dòng 2, Ngày sinh: ngày không tồn tại: 31/02/1975 (tháng 2 năm 1975 có 28 ngày) "
    "(giá trị đọc được: '31/02/1975')",
    "  {f}, dòng 2, Quy hoạch: không phải giá trị có/không (nhận: có/không, true/false, 1/0, yes/no, hoặc x hay "
    "✓ là có) "
    "(giá trị đọc được: 'perhaps')"]


def test_usage_errors_and_help_in_vietnamese(tmp_path: Path) -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"})
    bogus = runner.invoke(cli, ["evaluate", str(tmp_path), "--bogus", "--lang", "vi"])
    assert bogus.exit_code == 2
    assert bogus.stderr.splitlines() == ["Cách dùng: cadre-rules evaluate [OPTIONS] DATA",
                                         "Xem hướng dẫn: 'cadre-rules evaluate --help'.", "",
                                         "Lỗi: Không có tùy chọn '--bogus'."]
    english = runner.invoke(cli, ["evaluate", str(tmp_path), "--bogus"])
    assert english.stderr.splitlines()[-1] == "Error: No such option '--bogus'."
    choice = runner.invoke(cli, ["evaluate", str(tmp_path), "--fail-on", "sometimes", "--lang", "vi"])
    assert "Giá trị không hợp lệ cho '--fail-on': 'sometimes' không thuộc các lựa chọn" in choice.stderr
    as_of = runner.invoke(cli, ["evaluate", str(tmp_path), "--as-of", "12/2024", "--lang", "vi"])
    assert "'12/2024' không phải là ngày dạng DD/MM/YYYY hoặc YYYY-MM-DD" in as_of.stderr
    officials = tmp_path / "officials.csv"
    officials.write_text("id\n", encoding="utf-8")
    alone = runner.invoke(cli, ["evaluate", str(officials), "--lang", "vi"])
    assert alone.stderr.splitlines()[-1] == ("Lỗi: DATA là tệp cán bộ: hãy chỉ ra tệp đơn vị bằng --units TỆP (hoặc đưa "
                                             "một tệp .xlsx có trang 'Cán bộ' và trang 'Đơn vị')")

    vi_help = runner.invoke(cli, ["evaluate", "--help", "--lang", "vi"]).stdout
    assert vi_help.startswith("Cách dùng: cadre-rules evaluate [OPTIONS] DATA\n\n"
                              "  Đánh giá cán bộ và đơn vị trong DATA theo các gói quy định.\n")
    for words in ("Tùy chọn:", "Ví dụ:", "Tệp đơn vị, khi DATA là một tệp cán bộ.", "[mặc định: text]",
                  "Hiện hướng dẫn này rồi thoát.", "Dừng với mã thoát 2"):
        assert words in vi_help, words
    for english_words in ("Options:", "Example:", "Units file", "Show this message", "[default:"):
        assert english_words not in vi_help, english_words
    en_help = runner.invoke(cli, ["evaluate", "--help"]).stdout
    assert en_help.startswith("Usage: cadre-rules evaluate [OPTIONS] DATA\n\n  Evaluate the officials")
    assert "Units file, when DATA is an officials file." in en_help and "Tùy chọn" not in en_help
    group = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"}).invoke(cli, ["--help"]).stdout
    assert "Lệnh:" in group and "Mã thoát: 0 không có phát hiện" in group


def test_as_of_as_vietnamese_write_it(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["evaluate", str(SAMPLE), "--format", "json", "--fail-on", "never", "--quiet"]
    slash = runner.invoke(cli, [*args, "--as-of", "31/12/2025"])
    assert slash.exit_code == 0, slash.output
    assert json.loads(slash.stdout)["as_of"] == "2025-12-31"
    bad = runner.invoke(cli, [*args, "--as-of", "31/02/2025", "--lang", "en"])
    assert bad.exit_code == 2 and "'31/02/2025' is not a valid date" in bad.stderr


# --------------------------------------------------------------------------- no English in Vietnamese output


def _po_entries() -> list[tuple[str, str]]:
    pofile = pytest.importorskip("babel.messages.pofile")
    with PO.open("rb") as handle:
        catalog = pofile.read_po(handle)
    out = []
    for m in catalog:
        if m.id:
            ident = m.id[0] if isinstance(m.id, tuple) else m.id
            text = m.string[0] if isinstance(m.string, tuple) else m.string
            out.append((ident, text))
    return out


def _fragments(texts: list[str], least: int) -> set[str]:
    out = set()
    for text in texts:
        for part in PLACEHOLDER.split(text):
            piece = part.strip(" :;,.()[]—·…-'\"\n\t")
            if len(piece) >= least and not piece.startswith(("--", "cadre-rules", ".")):
                out.add(piece)
    return out


#: The code identifiers that must not show in Vietnamese output: every code of the input contract, the
#: severities, scope and subject kinds and families (whole words; rule ids and pack ids are identifiers
#: a user types, as official ids are, and are taken out before the scan).
CODES = sorted({c for v in VOCABULARIES.values() for c in v.codes if len(c) > 3}
               | {"error", "warning", "info", "city", "district", "unit", "official", "scope", "staffing", "quota",
                  "qualification", "rotation", "replacement", "true", "false", "None"})
ENGLISH_WORDS = ("Findings", "Metrics", "Summary", "Severity", "Rule", "Value", "Target", "Met", "not met",
                 "vacant", "needed", "Facts", "Message", "Errors", "Warnings", "as of", "December",
                 "vacancies", "training", "resolved")  # (the last: English sheet names, #16)


def _three_districts(folder: Path) -> tuple[Path, list[str]]:
    """The Hanoi 2022 sample cut to three districts (a rural one, an urban one, a town: wards, communes,
    a town; about a tenth of the officials, to keep the test quick): its folder, and the unit names (data)."""
    units = list(csv.DictReader(io.StringIO((DISTRICTS / "units.csv").read_text(encoding="utf-8"))))
    kept = [u for u in units if u["district"] in ("Huyện Ba Vì", "Quận Hoàn Kiếm", "Thị xã Sơn Tây")]
    codes = {u["code"] for u in kept}
    with (DISTRICTS / "officials.csv").open(encoding="utf-8") as handle:
        header, *rows = handle.read().splitlines()
    unit_at = header.split(",").index("unit")
    (folder / "units.csv").write_text("\n".join([(DISTRICTS / "units.csv").read_text(encoding="utf-8")
                                                  .splitlines()[0], *(",".join(u.values()) for u in kept)]) + "\n",
                                      encoding="utf-8")
    chosen = [r for r in rows if next(csv.reader([r]))[unit_at] in codes]
    (folder / "officials.csv").write_text("\n".join([header, *chosen]) + "\n", encoding="utf-8")
    return folder, sorted({u["name"] for u in kept} | {u["district"] for u in kept}, key=len, reverse=True)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Three districts of the Hanoi 2022 sample in every format, in Vietnamese and English, as the text a
    person reads (names of units and districts, citations of laws: data, taken out)."""
    data, places = _three_districts(tmp_path_factory.mktemp("data"))
    out: dict[str, dict[str, str]] = {}
    for lang in ("vi", "en"):
        folder = tmp_path_factory.mktemp(lang)
        names = ["r.txt", "r.html", "r.xlsx", "r.csv", "r.jsonl", "r.json"]
        result = CliRunner().invoke(cli, ["evaluate", str(data), "--as-of", "2024-06-30", "--lang", lang,
                                          "--fail-on", "never", "--quiet",
                                          *(a for n in names for a in ("-o", str(folder / n)))])
        assert result.exit_code == 0, result.output
        report = json.loads((folder / "r.json").read_text(encoding="utf-8"))
        page = (folder / "r.html").read_text(encoding="utf-8")
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
        page = html.unescape(re.sub(r"<[^>]+>", "\n", page.replace('aria-label="', '>')))
        book = openpyxl.load_workbook(folder / "r.xlsx", read_only=True)
        cells = [" ".join(book.sheetnames)]
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(c) for c in row if isinstance(c, str))
        rows = list(csv.DictReader(io.StringIO((folder / "r.csv").read_text(encoding="utf-8-sig"))))
        jsonl = [json.loads(line) for line in (folder / "r.jsonl").read_text(encoding="utf-8").splitlines()]
        texts = {
            "text": (folder / "r.txt").read_text(encoding="utf-8"),
            "html": page,
            "xlsx": "\n".join(cells),
            # the machine formats keep codes in their values: only what a person reads is scanned
            "csv": "\n".join(r["message"] for r in rows),
            "jsonl": "\n".join(str(r["message"]) for r in jsonl),
            "json": "\n".join(f["message"] for f in report["findings"]),
        }
        packs = report["packs"]
        identifiers = sorted({f["rule"] for f in report["findings"]} | {m["id"] for m in report["metrics"]}
                             | {u["rule"] for u in report.get("undecided", [])}  # the rules not decided (#16 A)
                             | {str(r["cite"]) for r in jsonl if r.get("cite")}
                             | {f"{p['id']}@{p['version']}" for p in packs} | {p["id"] for p in packs}
                             | {report["schema"], "cadre-rules"} | set(places), key=len, reverse=True)
        out[lang] = {}
        for name, text in texts.items():
            scanned = text
            for ident in identifiers:
                scanned = scanned.replace(ident, " ")
            out[lang][name] = scanned
    return out


def _whole_words(words: set[str], text: str, before: str, after: str) -> list[str]:
    """The words found in ``text`` between ``before`` and ``after`` (lookarounds), the longest first where they
    overlap: one alternation of them all, as ``re.finditer`` finds it. A word that is not a substring of the text
    cannot match anywhere, so the alternation is made of the others only: the same matches, without trying hundreds
    of alternatives at every character."""
    present = sorted((w for w in words if w in text), key=len, reverse=True)
    if not present:
        return []
    pattern = re.compile("|".join(f"{before}{re.escape(w)}{after}" for w in present))
    return sorted({m.group(0) for m in pattern.finditer(text)})


def test_vietnamese_output_of_every_format_has_no_english(outputs: dict[str, dict[str, str]]) -> None:
    english = _fragments([ident for ident, _ in _po_entries()], 8) | set(ENGLISH_WORDS)
    assert len(english) > 200  # the check has teeth
    for name, text in outputs["vi"].items():
        assert len(text) > 1000, name
        found = _whole_words(english | set(CODES), text, r"(?<![\w{])", r"(?![\w}])")
        assert found == [], f"{name}: English in the Vietnamese output: {found}"
    # the sheets, chart titles and headers are there, in Vietnamese
    assert "Tổng hợp Theo người Chỉ số Phát hiện" in outputs["vi"]["xlsx"]
    assert "Cán bộ chủ chốt dưới 35 tuổi: theo quận/huyện" in outputs["vi"]["html"]
    assert "ngày 30 tháng 6 năm 2024" in outputs["vi"]["html"]
    assert "\nCấp\nPhạm vi\n" in outputs["vi"]["xlsx"]  # the metrics sheet's headers


def test_english_output_of_every_format_has_no_vietnamese(outputs: dict[str, dict[str, str]]) -> None:
    labels = {label for v in VOCABULARIES.values() for label in v.labels.values() if len(label) >= 6}
    vietnamese = _fragments([text for _, text in _po_entries()], 8) | labels
    assert len(vietnamese) > 200
    for name, text in outputs["en"].items():
        found = _whole_words(vietnamese, text, r"(?<!\w)", r"(?!\w)")
        assert found == [], f"{name}: Vietnamese in the English output: {found}"
    assert "Key officials under 35: by district" in outputs["en"]["html"]
    assert "summary by_person metrics findings" in outputs["en"]["xlsx"]  # English sheets keep their machine names


# --------------------------------------------------------------------------- the JSON readers and the limits

_UNITS_JSON = '[{"code": "X1", "name": "Xã Một", "kind": "commune", "class": 1, "district": "Ba Vì"}]'
_LONG_NAME = "A" * 100_001


@pytest.mark.parametrize(("document", "vi", "en"), [
    ('{"officials": [', "<stdin>: JSON không hợp lệ: thiếu một giá trị (dòng 1, cột 16)",
     "<stdin>: invalid JSON: Expecting value (line 1, column 16)"),
    ('{"officials": [], "units": [{"code": "X1", "code": "X2"}]}',
     "<stdin>, /units/0/code: trùng khóa: đối tượng có khóa này hai lần (các trình đọc JSON lặng lẽ chỉ giữ một) "
     "(giá trị đọc được: 'code')",
     "<stdin>, /units/0/code: duplicate key: the object has it twice (JSON readers keep one in silence) "
     "(got 'code')"),
    ('{"officials": [], "units": ' + _UNITS_JSON + ', "more": 1}',
     "<stdin>, /more: khóa không xác định (chỉ nhận officials và units)",
     "<stdin>, /more: unknown key (expected officials and units)"),
    ('{"officials": [{"id": "A1", "gender": ["male"]}], "units": ' + _UNITS_JSON + "}",
     "<stdin>, /officials/0/gender: cần văn bản, số, giá trị có/không hoặc ngày, không phải giá trị kiểu list "
     "(giá trị đọc được: '[\"male\"]')",  # (as the JSON wrote it, session 19)
     "<stdin>, /officials/0/gender: expected text, a number, a boolean or a date, not a value of type list "
     "(got '[\"male\"]')"),
    ('{"officials": [{"id": "A1", "full_name": "' + _LONG_NAME + '"}], "units": ' + _UNITS_JSON + "}",
     "<stdin>, /officials/0/full_name: nội dung ô (100.001) vượt giới hạn MAX_CELL_CHARS = 100.000; nếu dữ liệu "
     "là hợp lệ, hãy nâng giới hạn bằng biến môi trường CADRE_RULES_MAX_CELL_CHARS (giá trị đọc được: "
     f"'{'A' * 60}')",
     "<stdin>, /officials/0/full_name: the cell (100,001) exceeds the limit MAX_CELL_CHARS = 100,000; if the data "
     f"is legitimate, raise it with the environment variable CADRE_RULES_MAX_CELL_CHARS (got '{'A' * 60}')"),
    ('["not an official"]', "<stdin>: không có đơn vị: hãy đưa đơn vị vào văn bản "
     '({"officials": [...], "units": [...]}) hoặc trong một tệp riêng',
     '<stdin>: no units: give them in the document ({"officials": [...], "units": [...]}) or apart'),
], ids=["invalid", "duplicate-key", "unknown-key", "not-a-value", "limit", "no-units"])
def test_a_bad_json_document_in_the_language_of_the_command(document: str, vi: str, en: str) -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    for lang, expected in (("vi", vi), ("en", en)):
        result = runner.invoke(cli, ["evaluate", "-", "--lang", lang], input=document.encode())
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert f"  {expected}" in result.stderr.splitlines(), result.stderr


def test_a_json_officials_file_in_the_language_of_the_command(tmp_path: Path) -> None:
    (tmp_path / "units.json").write_text(_UNITS_JSON, encoding="utf-8")
    (tmp_path / "officials.jsonl").write_text('{"id": "A1", "id": "A2"}\n{"id": \n', encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    vi = runner.invoke(cli, ["evaluate", str(tmp_path), "--lang", "vi"]).stderr.splitlines()
    en = runner.invoke(cli, ["evaluate", str(tmp_path), "--lang", "en"]).stderr.splitlines()
    file = tmp_path / "officials.jsonl"
    assert vi[1:] == [f"  {file}, dòng 1, /id: trùng khóa: đối tượng có khóa này hai lần (các trình đọc JSON lặng lẽ "
                      "chỉ giữ một) (giá trị đọc được: 'id')",
                      f"  {file}, dòng 2: JSON không hợp lệ: thiếu một giá trị (cột 8)"]
    assert en[1:] == [f"  {file}, row 1, /id: duplicate key: the object has it twice (JSON readers keep one in "
                      "silence) (got 'id')",
                      f"  {file}, row 2: invalid JSON: Expecting value (column 8)"]


# --------------------------------------------------------------------------- project --plan and match --posts


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    (tmp_path / "units.csv").write_text("code,name,kind,class,district\nX1,Xã Một,commune,1,Ba Vì\n", encoding="utf-8")
    (tmp_path / "officials.csv").write_text(
        "id,full_name,gender,birth_date,unit,position,education,political_theory\n"
        "A1,Nguyễn Văn A,male,1975-03-05,X1,committee_chair,university,intermediate\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("plan", "vi", "en"), [
    ("Ngày,Sự kiện,Cán bộ,Ban thường vụ\n01/03/2025,thăng chức,A1,\n01/03/2025,luân chuyển,A1,có lẽ\n", [
        "dòng 2, Sự kiện: sự kiện không xác định; cần bổ nhiệm (tuyển dụng), luân chuyển (điều động, biệt phái, "
        "tái cử), nghỉ hưu (thôi việc, cách chức, miễn nhiệm) hoặc hoàn thành khóa học "
        "(giá trị đọc được: 'thăng chức')",
        "dòng 3, Ủy viên BTV: cần một trong các giá trị true, 1, yes, có, false, 0, no, không "
        "(giá trị đọc được: 'có lẽ')"], [
        "row 2, event: unknown event; expected appointment, move (rotation, transfer, secondment), departure "
        "(retirement, resignation, dismissal) or qualification (got 'thăng chức')",
        "row 3, standing_committee: expected one of true, 1, yes, có, false, 0, no, không (got 'có lẽ')"]),
    ("Ngày,Sự kiện,Cán bộ,Trình độ chuyên môn\n01/01/2020,nghỉ hưu,A1,\n01/03/2025,hoàn thành khóa học,A1,"
     "Cử nhân\n01/03/2025,nghỉ hưu,B9,\n01/03/2027,nghỉ hưu,A1,\n", [
        "dòng 2, Ngày: trước ngày đánh giá 31/12/2024 (giá trị đọc được: '01/01/2020')",
        "dòng 3, Trình độ chuyên môn: không cao hơn trình độ hiện có của cán bộ (đại học) "
        "(giá trị đọc được: 'Cử nhân')",
        "dòng 4, Mã cán bộ: cán bộ không xác định (không có trong dữ liệu, cũng không được bổ nhiệm trước đó trong "
        "kế hoạch) (giá trị đọc được: 'B9')",
        "dòng 5, Ngày: sau --to 31/12/2026: sự kiện sẽ không bao giờ được áp dụng (giá trị đọc được: '01/03/2027')"], [
        "row 2, date: before the as-of date 2024-12-31 (got '01/01/2020')",
        "row 3, education: not higher than the official's University (got 'Cử nhân')",
        "row 4, official: unknown official (not in the data nor appointed earlier by the plan) (got 'B9')",
        "row 5, date: after --to 2026-12-31: it would never apply (got '01/03/2027')"]),
], ids=["unreadable", "inconsistent"])
def test_a_bad_plan_in_the_language_of_the_command(small_data: Path, plan: str, vi: list[str], en: list[str]) -> None:
    path = small_data / "plan.csv"
    path.write_text(plan, encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    for lang, expected in (("vi", vi), ("en", en)):
        result = runner.invoke(cli, ["project", str(small_data), "--as-of", "31/12/2024", "--to", "31/12/2026",
                                     "--plan", str(path), "--lang", lang])
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[1:] == [f"  {path}, {line}" for line in expected]


def test_a_bad_posts_file_in_the_language_of_the_command(small_data: Path) -> None:
    path = small_data / "posts.csv"
    path.write_text("unit,position\nX1,Chủ tịch UBNDD\n", encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    vi = runner.invoke(cli, ["match", str(small_data), "--posts", str(path), "--lang", "vi"])
    en = runner.invoke(cli, ["match", str(small_data), "--posts", str(path), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 2
    assert vi.stderr.splitlines()[1].startswith(f"  {path}, dòng 2, Chức vụ: Chức vụ không hợp lệ")
    assert en.stderr.splitlines()[1].startswith(f"  {path}, row 2, position: unknown position")


# --------------------------------------------------------------------------- pack expressions


def test_a_bad_pack_expression_in_the_language_of_the_command(tmp_path: Path) -> None:
    text = (ROOT / "policies" / "vn-nd33-2023.toml").read_text(encoding="utf-8")
    for good, bad in (("education < 'university'", "educaton < 'university'"),
                      ("general_education < 'upper_secondary'", "general_education < "),
                      ("political_theory < 'intermediate'", "political_theory < 3")):
        assert f'when = "{good}"' in text
        text = text.replace(f'when = "{good}"', f'when = "{bad}"', 1)
    assert 'id = "vn-nd33-2023"' in text
    text = text.replace('id = "vn-nd33-2023"', 'id = "VN nd33"', 1)  # and a pack loader's reason
    pack = tmp_path / "pack.toml"
    pack.write_text(text, encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    vi = runner.invoke(cli, ["packs", "validate", str(pack), "--lang", "vi"])
    en = runner.invoke(cli, ["packs", "validate", str(pack), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 2
    assert vi.stderr.splitlines()[1:] == [f"  {pack}, {line}" for line in (
        "pack.id: chỉ dùng chữ thường, chữ số, '.', '_' và '-' (giá trị đọc được: 'VN nd33')",
        "rule[0] (qualification.degree).when: trường dữ liệu không xác định 'educaton' trong quy tắc về cán bộ "
        "(biểu thức \"educaton < 'university'\"); có phải là 'education'?",
        "rule[1] (qualification.general_education).when: lỗi cú pháp ở cột 0 (biểu thức 'general_education < ')",
        "rule[2] (qualification.theory).when: 'political_theory': cần giá trị kiểu code:political_theory, nhận được 3 "
        "(biểu thức 'political_theory < 3')")]
    assert en.stderr.splitlines()[1:] == [f"  {pack}, {line}" for line in (
        "pack.id: use lowercase letters, digits, '.', '_' and '-' (got 'VN nd33')",
        "rule[0] (qualification.degree).when: unknown field 'educaton' for official rules in \"educaton < "
        "'university'\"; did you mean 'education'?",
        "rule[1] (qualification.general_education).when: syntax error at column 0 in 'general_education < '",
        "rule[2] (qualification.theory).when: 'political_theory': expected a code:political_theory value, got 3 in "
        "'political_theory < 3'")]


def test_a_bad_case_file_in_the_language_of_the_command(tmp_path: Path) -> None:
    cases = tmp_path / "cases.toml"
    cases.write_text('pack = "vn-nd33-2023@2023.08.1"\n\n[[case]]\nname = "bad"\nas_of = 2024-06-30\n'
                     'expect = "sometimes"\nofficials = [{ id = "chair", position = "committee_chair", gender = "x" }]\n'
                     'findings = [{ rule = "qualification.degre", subject = "chair", severity = "error" }]\n',
                     encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    vi = runner.invoke(cli, ["test", str(cases), "--lang", "vi"])
    en = runner.invoke(cli, ["test", str(cases), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 2
    assert vi.stderr.splitlines()[1:] == [f"  {cases}, {line}" for line in (
        "case[0].expect: cần 'exactly' hoặc 'at_least' (giá trị đọc được: 'sometimes')",
        "case[0].officials[0].gender: Giới tính không hợp lệ (cần một trong: nam, nữ) (giá trị đọc được: 'x')",
        "case[0].findings[0].rule: gói không có quy tắc này (có phải là 'qualification.degree'?) "
        "(giá trị đọc được: 'qualification.degre')")]
    assert en.stderr.splitlines()[1:] == [f"  {cases}, {line}" for line in (
        "case[0].expect: expected 'exactly' or 'at_least' (got 'sometimes')",
        "case[0].officials[0].gender: unknown gender (expected one of: male, female) (got 'x')",
        "case[0].findings[0].rule: unknown rule of the pack (did you mean 'qualification.degree'?) "
        "(got 'qualification.degre')")]


# --------------------------------------------------------------------------- project output


def test_project_text_has_no_english_under_vietnamese() -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    args = ["project", str(SAMPLE), "--as-of", "31/12/2025", "--to", "31/12/2027"]
    vi = runner.invoke(cli, [*args, "--lang", "vi"]).stdout.splitlines()
    en = runner.invoke(cli, [*args, "--lang", "en"]).stdout.splitlines()
    # a rule is named by its name in the reader's language (the built-in rules' names), never by its id as English
    # words ("Council vice chairs")
    assert "Số Phó Chủ tịch HĐND vượt số lượng quy định: vn-commune-2tier staffing.council_vice_chairs" in vi
    assert f"{named_rule('staffing.council_vice_chairs', 'en')}: vn-commune-2tier staffing.council_vice_chairs" in en
    assert not any(line.startswith("Council vice chairs") for line in vi + en)


@pytest.mark.parametrize(("added", "replacing", "vi", "en"), [
    (None, None, "Hà Nội: quota.university: bổ nhiệm bao nhiêu cũng không đạt vào ngày 31/12/2027",
     "Hà Nội: quota.university: no number of appointments meets it on 31/12/2027"),
    (None, 65, "Hà Nội: quota.university: cần bổ nhiệm 65 người nếu thay thế 61 người nghỉ và người không thuộc diện "
     "được tính (bổ sung thêm bao nhiêu cũng không đạt)", "Hà Nội: quota.university: appointments needed: 65 if "
     "they replace the 61 who leave and officials not counted in the target (no number of added ones meets it)"),
    (70, 65, "Hà Nội: quota.university: cần bổ nhiệm 70 người nếu bổ sung thêm, 65 người nếu thay thế 61 người nghỉ và "
     "người không thuộc diện được tính", "Hà Nội: quota.university: appointments needed: 70 if added, 65 if they "
     "replace the 61 who leave and officials not counted in the target"),
    (None, 5, "Hà Nội: quota.university: cần bổ nhiệm 5 người nếu thay thế 61 người nghỉ (bổ sung thêm bao nhiêu "
     "cũng không đạt)", "Hà Nội: quota.university: appointments needed: 5 if they replace the 61 who leave (no "
     "number of added ones meets it)"),
    (4, 5, "Hà Nội: quota.university: cần bổ nhiệm 4 người nếu bổ sung thêm, 5 người nếu thay thế 61 người nghỉ",
     "Hà Nội: quota.university: appointments needed: 4 if added, 5 if they replace the 61 who leave"),
])
def test_what_a_projection_target_takes_in_words(added: int | None, replacing: int | None, vi: str, en: str) -> None:
    from cadre_rules.jobs._project_formats import _needed_template
    from cadre_rules.jobs._project_formats import _said

    fields = {"scope": "Hà Nội", "target": "quota.university", "added": added, "replacing": replacing,
              "leavers": 61, "date": "31/12/2027"}
    template = _needed_template(added, replacing, 61)
    assert _said(template, 61, "vi").format(**fields) == vi
    assert _said(template, 61, "en").format(**fields) == en


@pytest.mark.parametrize(("added", "vi", "en"), [
    (None, "Hà Nội: quota.university: cần bổ nhiệm 2 người nếu thay thế người không thuộc diện được tính (bổ sung "
     "thêm bao nhiêu cũng không đạt)", "Hà Nội: quota.university: appointments needed: 2 if they replace officials "
     "not counted in the target (no number of added ones meets it)"),
    (3, "Hà Nội: quota.university: cần bổ nhiệm 3 người nếu bổ sung thêm, 2 người nếu thay thế người không thuộc diện "
     "được tính", "Hà Nội: quota.university: appointments needed: 3 if added, 2 if they replace officials not "
     "counted in the target"),
])
def test_what_a_projection_target_takes_when_no_one_leaves(added: int | None, vi: str, en: str) -> None:
    from cadre_rules.jobs._project_formats import _needed_template
    from cadre_rules.jobs._project_formats import _said

    fields = {"scope": "Hà Nội", "target": "quota.university", "added": added, "replacing": 2, "leavers": 0,
              "date": "31/12/2027"}
    template = _needed_template(added, 2, 0)
    assert _said(template, 0, "vi").format(**fields) == vi
    assert _said(template, 0, "en").format(**fields) == en


def test_a_record_built_in_code_in_both_languages() -> None:
    from cadre_rules import Official
    from cadre_rules._i18n import translation

    record = {"id": "A1", "full_name": "Nguyễn Văn A", "gender": "mle", "birth_date": "1970-01-01", "unit": "X1",
              "position": "committee_chair", "education": "university", "political_theory": "advanced"}
    with pytest.raises(InputError) as caught:
        Official.from_record(record)
    (problem,) = caught.value.problems
    # what each reader can type (the codes in English, the labels in Vietnamese); the spelling nearest to 'mle'
    assert problem.text(translation("vi").gettext) == ("<record>, /gender: Giới tính không hợp lệ (cần một trong: nam, "
                                                       "nữ); có phải là 'male'? (giá trị đọc được: 'mle')")
    assert problem.text() == ("<record>, /gender: unknown gender (expected one of: male, female); did you mean "
                              "'male'? (got 'mle')")


# --------------------------------------------------------------------------- unknown codes: what each reader can type

_HEADER = ["id", "full_name", "gender", "birth_date", "unit", "position", "education", "political_theory"]
_ROWS = [["A1", "Nguyễn Văn A", "x", "1970-01-01", "X1", "committee_chair", "bachelor", "advanced"],
         ["A2", "Trần Thị B", "female", "1980-01-01", "X1", "committe chair", "đại học", "advanced"]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_unknown_code_lists_the_codes_in_english_and_the_labels_in_vietnamese(tmp_path: Path, kind: str) -> None:
    """Issue #17 (s10-d): under --lang en the list is what an English reader types (the codes, which the readers
    accept), not the Vietnamese labels; under vi the labels, as before."""
    folder = tmp_path / kind
    folder.mkdir()
    (folder / "units.csv").write_text("code,name,kind,class\nX1,Xã Một,commune,1\n", encoding="utf-8")
    if kind == "csv":
        with (folder / "officials.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([_HEADER, *_ROWS])
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in (_HEADER, *_ROWS):
            sheet.append(row)
        book.save(folder / "officials.xlsx")
    runner = CliRunner()
    args = ["evaluate", str(folder), "--as-of", "2024-06-30"]
    en = runner.invoke(cli, [*args, "--lang", "en"])
    vi = runner.invoke(cli, [*args, "--lang", "vi"])
    assert en.exit_code == vi.exit_code == 2, en.output
    assert ", row 2, gender: unknown gender (expected one of: male, female) (got 'x')" in en.stderr
    assert ("education: unknown education (expected one of: none, intermediate, college, university, master, "
            "doctor) (got 'bachelor')") in en.stderr
    assert ("position: unknown position (expected one of: party_secretary, deputy_party_secretary, council_chair, "
            in en.stderr)
    assert "did you mean 'committee_chair'? (got 'committe chair')" in en.stderr  # the nearest spelling: a code
    assert "nữ" not in en.stderr and "đại học" not in en.stderr and "Chủ tịch UBND" not in en.stderr
    assert "Giới tính không hợp lệ (cần một trong: nam, nữ) (giá trị đọc được: 'x')" in vi.stderr
    assert ("(cần một trong: không, trung cấp, cao đẳng, đại học, thạc sĩ, tiến sĩ) (giá trị đọc được: 'bachelor')"
            in vi.stderr)
    assert "male" not in vi.stderr and "university" not in vi.stderr
    # what the English list names is read: the codes in place of the wrong values give a report
    fixed = [[*r[:2], "male" if r[2] == "x" else r[2], *r[3:5], "committee_chair", "university", r[7]] for r in _ROWS]
    with (folder / "officials.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([_HEADER, fixed[0], [*fixed[1][:5], "committee_vice_chair", *fixed[1][6:]]])
    (folder / "officials.xlsx").unlink(missing_ok=True)
    assert runner.invoke(cli, [*args, "--lang", "en", "--fail-on", "never"]).exit_code == 0


def test_an_unknown_code_in_official_lists_the_codes_in_english() -> None:
    from cadre_rules import Official

    with pytest.raises(InputError) as caught:
        Official("A1", "Nguyễn Văn A", "nu x", date(1970, 1, 1), "X1", "committee_chair", "bachelor", "advanced")
    english = str(caught.value)
    vietnamese = caught.value.text(translation("vi").gettext)
    assert "gender: unknown gender (expected one of: male, female) (got 'nu x')" in english
    assert "unknown education (expected one of: none, intermediate, college, university, master, doctor)" in english
    assert "Giới tính không hợp lệ (cần một trong: nam, nữ)" in vietnamese
    assert "(cần một trong: không, trung cấp, cao đẳng, đại học, thạc sĩ, tiến sĩ)" in vietnamese


@pytest.mark.parametrize("vocabulary", VOCABULARIES.values(), ids=lambda v: v.name)
def test_every_code_an_unknown_value_lists_in_english_is_read(vocabulary: Any) -> None:
    problem = Problem.of("f", vocabulary._unknown("?!"))
    listed = problem.text().partition("(expected one of: ")[2].partition(")")[0].split(", ")
    assert listed == list(vocabulary.codes)
    assert all(vocabulary.parse(code) == code for code in listed)
    labels = problem.text(translation("vi").gettext).partition("(cần một trong: ")[2].rpartition(")")[0]
    assert all(vocabulary.parse(label) == code for label, code in zip(labels.split(", "), vocabulary.codes,
                                                                       strict=True))


# --------------------------------------------------------------------------- pack loader's reasons with values


def test_a_pack_loader_reason_with_values_in_the_language_of_the_command(tmp_path: Path) -> None:
    text = (ROOT / "policies" / "vn-nd33-2023.toml").read_text(encoding="utf-8")
    for good, bad in (('id = "qualification.general_education"', 'id = "qualification.degree"'),
                      ('severity = "error"', 'severty = "error"')):
        assert good in text
        text = text.replace(good, bad, 1)
    pack = tmp_path / "pack.toml"
    pack.write_text(text, encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "vi_VN.UTF-8"})
    vi = runner.invoke(cli, ["packs", "validate", str(pack), "--lang", "vi"])
    en = runner.invoke(cli, ["packs", "validate", str(pack), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 2
    assert vi.stderr.splitlines()[1:] == [f"  {pack}, {line}" for line in (
        "rule[0] (qualification.degree).severty: khóa không hợp lệ; có phải là 'severity'?",
        "rule[1].id: trùng mã quy tắc (cũng có ở rule[0]) (giá trị đọc được: 'qualification.degree')")]
    assert en.stderr.splitlines()[1:] == [f"  {pack}, {line}" for line in (
        "rule[0] (qualification.degree).severty: unknown key; did you mean 'severity'?",
        "rule[1].id: duplicate rule id (also rule[0]) (got 'qualification.degree')")]


@pytest.mark.parametrize(("param", "vi", "en"), [
    ("vice_chair_cap=2", "params.vice_chair_cap: --param không ứng với tham số nào của gói 'vn-nd33-2023'; có phải "
                         "là 'vice_chair_cap_class_3'?",
     "params.vice_chair_cap: --param names no parameter of pack 'vn-nd33-2023'; did you mean "
     "'vice_chair_cap_class_3'?"),
    # what to write, not Python's words ("invalid literal for int() with base 10")
    ("vice_chair_cap_class_1=abc", "params.vice_chair_cap_class_1: giá trị --param không hợp lệ: cần một số nguyên "
                                   "(giá trị đọc được: 'abc')",
     "params.vice_chair_cap_class_1: bad --param value: expected a whole number (got 'abc')"),
    ("vice_chair_cap_class_1=2.5", "params.vice_chair_cap_class_1: giá trị --param không hợp lệ: cần một số nguyên "
                                   "(giá trị đọc được: '2.5')",
     "params.vice_chair_cap_class_1: bad --param value: expected a whole number (got '2.5')"),
])
def test_a_bad_param_in_the_language_of_the_command(param: str, vi: str, en: str) -> None:
    data = ROOT / "examples" / "hanoi-2025"
    pack = ROOT / "policies" / "vn-nd33-2023.toml"
    shown = {}
    for lang in ("vi", "en"):
        result = CliRunner().invoke(cli, ["evaluate", str(data), "--param", f"vn-nd33-2023.{param}", "--lang", lang,
                                          "--quiet"])
        assert result.exit_code == 2
        shown[lang] = result.stderr.splitlines()[1:]
    assert shown == {"vi": [f"  {pack}, {vi}"], "en": [f"  {pack}, {en}"]}


@pytest.mark.parametrize("value", ["0,12", "abc", "1/0"])
def test_a_bad_share_param_says_how_to_write_it(value: str) -> None:
    data = ROOT / "examples" / "hanoi-2025"
    shown = {}
    for lang in ("vi", "en"):
        result = CliRunner().invoke(cli, ["evaluate", str(data), "--param", f"hanoi-de-an-34.young_min_share={value}",
                                          "--lang", lang, "--quiet"])
        assert result.exit_code == 2
        shown[lang] = result.stderr.splitlines()[1:]
    pack = ROOT / "policies" / "hanoi-de-an-34.toml"
    assert shown == {
        "vi": [f"  {pack}, params.young_min_share: giá trị --param không hợp lệ: cần một số viết bằng dấu chấm thập "
               f"phân hoặc phân số (0.12, 3/25) (giá trị đọc được: {value!r})"],
        "en": [f"  {pack}, params.young_min_share: bad --param value: expected a number written with a point or as a "
               f"fraction (0.12, 3/25) (got {value!r})"]}


# --------------------------------------------------------------------------- a plugin's failure


class _ExitsInRegistration:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        sys.exit(0)


def test_a_plugin_hook_that_calls_sys_exit_in_the_language_of_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugins(monkeypatch, rogue=_ExitsInRegistration())
    shown = {}
    for lang in ("vi", "en"):
        warned = CliRunner().invoke(cli, ["packs", "list", "--lang", lang])
        strict = CliRunner().invoke(cli, ["plugins", "--strict-plugins", "--lang", lang])
        assert warned.exit_code == 0 and strict.exit_code == 2
        shown[lang] = [line for line in warned.stderr.splitlines() if "rogue" in line] + strict.stderr.splitlines()
    assert shown == {
        "vi": ["lưu ý: đã tắt plugin 'rogue': đã gọi sys.exit(0) trong cadre_rules_register_packs; một plugin "
               "không được kết thúc lượt chạy",
               "lỗi: plugin 'rogue': đã gọi sys.exit(0) trong cadre_rules_register_packs; một plugin không được "
               "kết thúc lượt chạy"],
        "en": ["warning: plugin 'rogue' disabled: called sys.exit(0) in cadre_rules_register_packs; a plugin cannot "
               "end the run",
               "error: plugin 'rogue': called sys.exit(0) in cadre_rules_register_packs; a plugin cannot end the run"]}


class _RaisesInRegistration:
    @hookimpl
    def cadre_rules_register_packs(self, register: PackRegistrar) -> None:
        raise RuntimeError("the plugin's own words")


class _MisspelledHook:
    @hookimpl
    def cadre_rules_register_pack(self, register: PackRegistrar) -> None:  # …_packs
        pass


def test_a_plugin_that_raises_or_misspells_a_hook_in_the_language_of_the_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the plugin's own words stay as it wrote them; ours are in the reader's language
    install_plugins(monkeypatch, raising=_RaisesInRegistration(), misspelt=_MisspelledHook())
    shown = {}
    for lang in ("vi", "en"):
        warned = CliRunner().invoke(cli, ["packs", "list", "--lang", lang])
        assert warned.exit_code == 0
        shown[lang] = sorted(line for line in warned.stderr.splitlines() if "raising" in line or "misspelt" in line)
    # where it raised: the plugin's file and line, "dòng" in Vietnamese
    line = next(n for n, text in enumerate(Path(__file__).read_text(encoding="utf-8").splitlines(), 1)
                if 'raise RuntimeError("the plugin' in text)
    hook = _MisspelledHook.cadre_rules_register_pack.__code__.co_firstlineno  # (its decorator's line)
    assert shown == {
        "vi": ["lưu ý: đã tắt plugin 'misspelt': hook không xác định 'cadre_rules_register_pack'; có phải là "
               f"'cadre_rules_register_packs'? ({__file__}, dòng {hook})",
               "lưu ý: đã tắt plugin 'raising': gặp lỗi trong cadre_rules_register_packs: RuntimeError: the "
               f"plugin's own words ({__file__}, dòng {line})"],
        "en": ["warning: plugin 'misspelt' disabled: unknown hook 'cadre_rules_register_pack'; did you mean "
               f"'cadre_rules_register_packs'? ({__file__}, line {hook})",
               "warning: plugin 'raising' disabled: raised in cadre_rules_register_packs: RuntimeError: the "
               f"plugin's own words ({__file__}, line {line})"]}


def test_the_engine_own_record_checks_are_in_the_reader_language(tmp_path: Path) -> None:
    """The engine's checks of the records it is given (an as-of date before every birth, an official born after
    it, duplicate ids and unit codes, an unknown unit) say so in the reader's language, located as before."""
    runner = CliRunner()
    args = ["evaluate", "examples/hanoi-2025", "--as-of", "1960-01-01", "--pack", "hanoi-de-an-34@2025.07.1"]
    vi = runner.invoke(cli, [*args, "--lang", "vi"])
    en = runner.invoke(cli, [*args, "--lang", "en"])
    assert vi.exit_code == en.exit_code == 2
    assert ("  --as-of: ngày đánh giá sớm hơn ngày sinh của mọi cán bộ (người sinh sớm nhất: 23/02/1965): ngày này "
            "có đúng không? (giá trị đọc được: '1960-01-01')") in vi.output.splitlines()
    assert ("  --as-of: the as-of date is before the birth of every official (the first was born on 1965-02-23): is "
            "the date right? (got '1960-01-01')") in en.output.splitlines()
    engine = Engine(lang="vi")
    officials, units = engine.read(Path("examples/hanoi-2025/officials.csv"), Path("examples/hanoi-2025/units.csv"))
    young = attrs.evolve(officials[0], birth_date=date(2030, 1, 1))
    with pytest.raises(InputError) as born:
        engine.evaluate([young, *officials[1:]], units, date(2025, 12, 31))
    assert [p.text(translation("vi").gettext) for p in born.value.problems] == [
        f"officials, Ngày sinh: cán bộ {officials[0].id!r} sinh sau ngày đánh giá 31/12/2025 "
        "(giá trị đọc được: '2030-01-01')"]
    with pytest.raises(InputError) as twice:
        engine.evaluate([officials[0], officials[0]], [units[0], units[0]], date(2025, 12, 31))
    assert [p.reason for p in twice.value.problems] == ["duplicate unit code"]
    assert "mã đơn vị bị trùng" in twice.value.problems[0].text(translation("vi").gettext)


@pytest.mark.parametrize(("args", "line"), [
    (["evaluate", "examples/hanoi-2025", "--pack", "hanoi-de-an-34@9999"],
     # (located at the option that named it, as --unit and --scope below: session 17)
     "  --pack: không có phiên bản gói 'hanoi-de-an-34@9999'; hiện có: hanoi-de-an-34@2023.11.4, "
     "hanoi-de-an-34@2025.07.4, hanoi-de-an-34@2023.11.1, hanoi-de-an-34@2023.11.2, hanoi-de-an-34@2023.11.3, "
     "hanoi-de-an-34@2025.07, hanoi-de-an-34@2025.07.1, hanoi-de-an-34@2025.07.2, hanoi-de-an-34@2025.07.3 "
     "(giá trị đọc được: 'hanoi-de-an-34@9999')"),
    (["evaluate", "examples/hanoi-2025", "--pack", "hanoi-de-an-34", "--param", "foo.bar=1"],
     "  --param, foo: không có gói 'foo' trong các gói được đánh giá (hanoi-de-an-34)"),
    (["explain", "examples/hanoi-2025", "--unit", "XYZ"],
     "  --unit: không có đơn vị nào có mã hoặc tên này (giá trị đọc được: 'XYZ')"),
    (["explain", "examples/hanoi-2022", "--as-of", "2024-06-30", "--district", "Nào"],
     "  --district: không có quận, huyện này trong dữ liệu (các quận, huyện: Huyện Ba Vì, Huyện Chương Mỹ, "),
    (["evaluate", "examples/hanoi-2025", "--scope", "foo"],
     "  --scope: cần có dạng district:TÊN hoặc commune:TÊN (mã hoặc tên của đơn vị) (giá trị đọc được: 'foo')"),
    (["evaluate", "examples/hanoi-2025", "--scope", "district:Nào"],
     "  --scope: báo cáo không có quận, huyện (từ ngày 01/07/2025 không còn cấp huyện; --legacy-districts giữ lại "
     "cấp này) (giá trị đọc được: 'Nào')"),
])
def test_the_options_problems_are_in_the_reader_language(args: list[str], line: str) -> None:
    """A pack version, a --param, a unit, a district or a --scope that does not fit: said in Vietnamese (exit 2)."""
    result = CliRunner().invoke(cli, [*args, "--lang", "vi"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert any(shown == line or (line.endswith(", ") and shown.startswith(line)) for shown in lines), lines


def test_the_officers_error_paths_of_project_match_and_packs_are_vietnamese(tmp_path: Path) -> None:
    """Tried as an officer would under --lang vi: a --to before the as-of date (the dates as she writes them),
    a word that is not a number, a pack file that is not there; English under en."""
    runner = CliRunner()
    data = "examples/hanoi-2025"

    def last(*args: str) -> tuple[str, str]:
        vi = runner.invoke(cli, [*args, "--lang", "vi"])
        en = runner.invoke(cli, [*args, "--lang", "en"])
        assert vi.exit_code == en.exit_code == 2, (vi.output, en.output)
        return vi.output.splitlines()[-1], en.output.splitlines()[-1]

    assert last("project", data, "--as-of", "31/12/2025", "--to", "31/12/2024") == (
        "  --to: ngày kết thúc trước ngày đánh giá 31/12/2025 (giá trị đọc được: '31/12/2024')",
        "  --to: the end date is before the as-of date 2025-12-31 (got '31/12/2024')")
    assert last("project", data, "--as-of", "01/01/1950", "--to", "31/12/2100", "--step", "month") == (
        "  --step: hơn 1.200 bước từ ngày 01/01/1950 đến ngày 31/12/2100: hãy chọn bước dài hơn "
        "(giá trị đọc được: 'month')",
        "  --step: more than 1,200 steps from 1950-01-01 to 2100-12-31: choose a longer step (got 'month')")
    assert last("match", data, "--within", "abc") == (
        "Lỗi: Giá trị không hợp lệ cho '--within': 'abc' không phải là số nguyên hợp lệ.",
        "Error: Invalid value for '--within': 'abc' is not a valid integer range.")
    missing = tmp_path / "missing.toml"
    assert last("packs", "validate", str(missing)) == (
        f"  {missing}: không đọc được gói: không có tệp hoặc thư mục này",
        f"  {missing}: cannot read the pack: No such file or directory")
    assert last("match", data, "--as-of", "01/01/1900") == (  # the date as she wrote it
        "  --as-of: ngày đánh giá sớm hơn ngày sinh của mọi cán bộ (người sinh sớm nhất: 23/02/1965): ngày này có "
        "đúng không? (giá trị đọc được: '01/01/1900')",
        "  --as-of: the as-of date is before the birth of every official (the first was born on 1965-02-23): is the "
        "date right? (got '01/01/1900')")
    posts = tmp_path / "posts.csv"
    assert last("match", data, "--posts", str(posts)) == (
        f"  {posts}: không đọc được tệp danh sách chức danh: không có tệp hoặc thư mục này",
        f"  {posts}: cannot read the posts file: No such file or directory")
