"""The documentation does what it says (session 19): every shell command and Python block of README.md and
docs/*.md runs, and shows what the doc says it shows.

Each doc's blocks run in order in one temporary folder (its Python blocks share one namespace, as a reader
typing them would), with the bundled data (``examples/``, ``policies/``, ``plugins/``) where the docs name them
from the repository's root: ``cadre-rules …`` through the real command line in this process (click's
CliRunner, ``conftest.command``), Python through the real API. A command written as a synopsis (``[--option
VALUE]``) is not run: every option it names must be one of its command's. What cannot run (an install, a
server, a file only the user has) is listed in ``SKIP`` by doc and first line with the reason, so that a new
block runs by default; what a doc says a command shows is in ``EXPECT``; a file the reader is told to have
made ("fill in the template") is a stand-in made from the bundled data (``STAND_INS``); the names a Python
fragment takes from the prose around it are ``PRELUDE``. A ``text`` block showing what a command prints is
compared with it (``OUTPUT_OF``), as are the lines a ``console`` block shows; a TOML block must be TOML as
cadre-rules reads it, a whole pack in one passes ``packs validate`` and a case file ``test``; every ``cadre-rules
…`` the prose names in a code span has the commands and options it gives. An entry naming no block fails, so the
lists keep up with the docs.

A block showing JSON is compared with what the tool writes in tests/test_doc_json.py (its notation:
tests/doc_shapes.py).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shlex
import textwrap
import tomllib
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import click
import pytest

from cadre_rules._cli import cli
from conftest import command

ROOT = Path(__file__).parents[1]
DOCS = ("README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md"))))
SAMPLE_2025 = ROOT / "examples" / "hanoi-2025"
#: Linked into each doc's folder: the docs name them from the repository's root.
BUNDLED = ("examples", "policies", "plugins")
SHELL = frozenset({"sh", "bash", "shell", "console"})
#: a fenced block, also one indented in a list item (its lines dedented by the fence's indent)
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.S | re.M)


@dataclass(frozen=True)
class Block:
    """A fenced block of a doc: its language tag and text; ``line`` is the line of its opening fence; ``key``
    names it in the tables below: its first line, or as many of its first lines as tell it from the doc's other
    blocks (``@hookimpl`` and the line after it)."""

    doc: str
    line: int
    lang: str
    text: str
    key: str = ""

    @property
    def first(self) -> str:
        return self.text.splitlines()[0].strip() if self.text.strip() else ""

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def shell(self) -> bool:
        return self.lang in SHELL or (self.lang == "" and self.first.startswith(("cadre-rules ", "$ ")))

    @property
    def python(self) -> bool:
        return self.lang in ("python", "pycon") or self.first.startswith(">>> ")


@dataclass(frozen=True)
class Command:
    """One command of a shell block, its continuation lines joined; ``first`` is its first line as written."""

    block: Block
    line: int
    first: str
    argv: tuple[str, ...]
    #: in a ``console`` block, the lines the doc shows it printing
    shown: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.block.doc}:{self.line}"

    @property
    def synopsis(self) -> bool:
        """Written as a usage line (``[--option VALUE]``), not a command to run."""
        return any(word.startswith("[") for word in self.argv)


def blocks(doc: str) -> list[Block]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    found = [Block(doc, text.count("\n", 0, m.start()) + 1, m.group(2),
                   re.sub(rf"^{m.group(1)}", "", m.group(3), flags=re.M)) for m in FENCE.finditer(text)]
    lines = [[line.rstrip() for line in b.text.strip().splitlines()] for b in found]

    def key(n: int) -> str:
        for size in range(1, len(lines[n]) + 1):
            if sum(other[:size] == lines[n][:size] for other in lines) == 1:
                return "\n".join(lines[n][:size])
        return "\n".join(lines[n])

    return [Block(b.doc, b.line, b.lang, b.text, key(n)) for n, b in enumerate(found)]


def commands(block: Block) -> list[Command]:
    """The commands of a shell block: a line ending in ``\\``, or followed by an indented one, goes on; in a
    ``console`` block only the lines after a ``$`` prompt are commands (the others are what it prints)."""
    found: list[Command] = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if block.lang == "console":
            if not line.startswith("$ "):
                i += 1
                continue
            line = line[2:]
        start, parts = i, [line.rstrip().removesuffix("\\")]
        while i + 1 < len(lines) and (line.rstrip().endswith("\\") or lines[i + 1][:1] in (" ", "\t")):
            i += 1
            line = lines[i]
            parts.append(line.rstrip().removesuffix("\\"))
        i += 1
        shown: list[str] = []
        while block.lang == "console" and i < len(lines) and not lines[i].startswith("$ "):
            shown.append(lines[i])
            i += 1
        argv = tuple(shlex.split(" ".join(parts), comments=True))
        if argv:
            found.append(Command(block, block.line + 1 + start, lines[start].strip().removeprefix("$ "), argv,
                                 tuple(shown)))
    return found


def unshown(shown: tuple[str, ...], output: str) -> list[str]:
    """The lines the doc shows (but ``...`` and ``…``, what it leaves out) that the output does not have in that
    order."""
    said, at, missing = output.splitlines(), 0, []
    for line in shown:
        if line.strip() in ("...", "…"):
            continue
        try:
            at = said.index(line, at) + 1
        except ValueError:
            missing.append(line)
    return missing


# --- what cannot run, what a command shows, the stand-ins --------------------------------------------------------

INSTALL = "installs into an environment (CI runs the README's two commands, .ci/run)"
SERVER = "needs a running `cadre-rules serve` (tests/test_serve*.py post the same requests)"
PLUGIN_INSTALLED = "needs the plugin pip-installed (tests/test_plugin_new.py installs one and runs it)"

#: (doc, first line) → why it is not run: a shell command's first line, or a Python block's.
SKIP: dict[tuple[str, str], str] = {
    ("README.md", "python3 -m venv .venv && . .venv/bin/activate && pip install . && cadre-rules evaluate "
                  "examples/hanoi-2025"): INSTALL,
    ("README.md", "scripts/test"): "runs the whole test suite (this test is part of it)",
    ("README.md", "cadre-rules serve --port 8080 --token-file /etc/cadre-rules/token      # workers: the cores"):
        "starts a server that runs until stopped",
    ("README.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&lang=vi' \\"): SERVER,
    ("README.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&format=xlsx' -o report.xlsx \\"):
        SERVER,
    ("README.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&scope=commune:00322&format=html' "
                  "\\"): SERVER,
    ("README.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/project?as_of=2026-01-01&to=2030-06-30&step=quarter&"
                  "format=csv' \\"): SERVER,
    ("README.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/explain?as_of=2025-12-31&official=HN00004-001&"
                  "format=text' \\"): SERVER,
    ("docs/api.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&scope=commune:00322&"
                    "redact=true' \\"): SERVER,
    ("docs/api.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&scope=commune:Ph%C6%B0%E1%BB"
                    "%9Dng%20T%C6%B0%C6%A1ng%20Mai' \\"): SERVER,
    ("docs/api.md", "curl -s -X POST 'http://127.0.0.1:8080/v1/evaluate?as_of=2025-12-31&scope=commune:00322' \\"):
        SERVER,
    ("docs/pack-tests.md", "cadre-rules test ba-vi-local                      # a plugin's pack (or the plugin's name)"):
        "needs the example plugin installed (tests/test_pack_tests.py runs the plugins' cases)",
    ("docs/pack-tests.md", "cadre-rules test policies/tests/ my-cases.toml    # directories and files"):
        "my-cases.toml is the reader's own case file",
    ("docs/pack-tests.md", "cadre-rules packs diff hanoi-de-an-34 my-edited-de-an-34.toml --format html -o diff.html "
                           "--lang en"): "my-edited-de-an-34.toml is the reader's own edit of the pack",
    ("docs/plugins.md", 'pip install -e ".[test]"            # the plugin, editable, and pytest (its test extra)'):
        INSTALL,
    ("docs/plugins.md", 'cadre-rules plugins                 # lists "phu-dong" and its pack phu-dong-local'):
        PLUGIN_INSTALLED,
    ("docs/plugins.md", "cadre-rules test phu-dong-local     # runs the pack's test cases: they pass as generated"):
        PLUGIN_INSTALLED,
    ("docs/plugins.md", "pytest                              # the same, from the package's own test"):
        PLUGIN_INSTALLED,
    ("docs/plugins.md", "cadre-rules evaluate DATA           # the commune's rule among the findings, its code as "
                        "scope_id"): "DATA stands for the commune's data",
    ("docs/plugins.md", "pip install -e ./cadre-rules-ba-vi"): INSTALL,
}


@dataclass(frozen=True)
class Expect:
    """What a doc says a command does: its exit code (by default 0 or 1: no finding, or some) and texts its
    output shows (standard output and error together)."""

    exit: tuple[int, ...] = (0, 1)
    shows: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()


#: (doc, first line of the command) → what the doc says it does.
EXPECT: dict[tuple[str, str], Expect] = {
    # "báo cáo của phường", "ứng viên cho chức danh của phường", "chỉ tiêu của phường": each titled for it
    ("README.md", 'cadre-rules evaluate danh-sach.xlsx --scope "commune:Phường Tương Mai"              # báo cáo của '
                  "phường"): Expect(shows=("Phường Tương Mai",)),
    ("README.md", 'cadre-rules match danh-sach.xlsx --within 12 --scope "commune:Phường Tương Mai"     # ứng viên cho '
                  "chức danh của phường"): Expect(exit=(0,), shows=("Phường Tương Mai",)),
    ("README.md", 'cadre-rules project danh-sach.xlsx --to 31/12/2030 --scope "commune:Phường Tương Mai"  # chỉ tiêu '
                  "của phường đến 2030"): Expect(shows=("Phường Tương Mai",)),
    ("README.md", "cadre-rules template danh-sach.xlsx                       # tệp mẫu để điền (có danh sách thả "
                  "xuống)"): Expect(exit=(0,), writes=("danh-sach.xlsx",)),
    ("docs/huong-dan.md", "cadre-rules template danh-sach.xlsx        # hoặc: cadre-rules template -o danh-sach.xlsx"):
        Expect(exit=(0,), writes=("danh-sach.xlsx",)),
    # "Each case prints PASS or FAIL …"; "Exit 0: every case passed"
    ("docs/pack-tests.md", "cadre-rules test                                  # the cases of every installed pack"):
        Expect(exit=(0,), shows=("PASS vn-commune-2tier@2025.07.2 ", "PASS hanoi-de-an-34@")),
    ("docs/pack-tests.md", "cadre-rules test vn-commune-2tier@2025.07.2         # one version; vn-commune-2tier: all "
                           "its versions"): Expect(exit=(0,), shows=("PASS vn-commune-2tier@2025.07.2 ",)),
    ("docs/pack-tests.md", "cadre-rules test --format junit -o junit.xml      # for CI"):
        Expect(exit=(0,), writes=("junit.xml",)),
    ("docs/pack-tests.md", "cadre-rules packs diff hanoi-de-an-34@2023.11.4 hanoi-de-an-34@2025.07.2"):
        Expect(exit=(0,), shows=("hanoi-de-an-34@2023.11.4 → hanoi-de-an-34@2025.07.2",)),
    ("docs/pack-tests.md", "cadre-rules packs diff vn-commune-2tier@2025.07.2 vn-commune-2tier@2025.10.3 --data "
                           "examples/hanoi-2025 --as-of 2025-10-08"): Expect(exit=(0,)),
    # "The package it writes: pyproject.toml …, the pack phu-dong-local.toml … and its test cases"
    ("docs/plugins.md", "cadre-rules plugin new phu-dong --commune 00541"):
        Expect(exit=(0,), writes=("cadre-rules-phu-dong/pyproject.toml",
                                  "cadre-rules-phu-dong/src/cadre_rules_phu_dong/phu-dong-local.toml",
                                  "cadre-rules-phu-dong/src/cadre_rules_phu_dong/tests/phu-dong-local.toml")),
    ("docs/huong-dan.md", "cadre-rules evaluate danh-sach.xlsx -o bao-cao.html -o bao-cao.xlsx -o bao-cao.pdf "
                          "--pdf-lines 100"): Expect(writes=("bao-cao.html", "bao-cao.xlsx", "bao-cao.pdf")),
}


#: (doc, first line of a ``console`` command) → why some lines the doc shows it printing are not printed here,
#: and those lines.
ELSEWHERE: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("docs/plugins.md", "cadre-rules plugins"): (
        "installed plugins are off in the tests (conftest.py); tests/test_plugins.py lists installed ones",
        ("ba-vi 0.1.0  [ok]", "  hooks: cadre_rules_register_functions, cadre_rules_register_packs",
         "  packs: ba-vi-local", "  functions: ethnic_minority_share",
         "broken 0.1  [DISABLED: failed to import: ModuleNotFoundError: No module named 'numpyy']")),
}

#: (doc, first line of a ``text`` block that shows what a command prints) → that command: it prints every line
#: of the block, in order, but ``...``.
OUTPUT_OF: dict[tuple[str, str], tuple[str, ...]] = {
    ("README.md", "Báo cáo cadre-rules — tính đến ngày 6 tháng 12 năm 2026"):
        ("evaluate", "examples/hanoi-2025", "--as-of", "2026-12-06", "--lang", "vi"),
    ("README.md", "Báo cáo cadre-rules — tính đến ngày 31 tháng 12 năm 2022"):
        ("evaluate", "examples/hanoi-2022", "--as-of", "2022-12-31", "--pack", "hanoi-de-an-34", "--pack",
         "vn-nd33-2023", "--lang", "vi"),
}


def _filled_list(folder: Path, name: str = "danh-sach.xlsx") -> None:
    """The officer's list as filled in: the template's two sheets ("Cán bộ", "Đơn vị") holding the officials of
    a few wards of the 2025 sample and its 126 units (a stand-in for the file the doc tells the reader to fill)."""
    import openpyxl

    wards = {"00004", "00008", "00322"}
    book = openpyxl.Workbook()
    people = book.active
    assert people is not None
    people.title = "Cán bộ"
    with (SAMPLE_2025 / "officials.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    people.append(rows[0])
    for row in rows[1:]:
        if row[rows[0].index("unit")] in wards:
            people.append(row)
    units = book.create_sheet("Đơn vị")
    with (SAMPLE_2025 / "units.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.reader(file):
            units.append(row)
    book.save(folder / name)


def _one_ward_and_the_city(folder: Path) -> None:
    """``ba-dinh/officials.csv`` (the officials of Phường Ba Đình, 00004, in the 2025 sample) and
    ``hanoi/units.csv`` (the city's 126 units): what an HR system holding one ward's records has."""
    (folder / "ba-dinh").mkdir()
    (folder / "hanoi").mkdir()
    with (SAMPLE_2025 / "officials.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    with (folder / "ba-dinh" / "officials.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(
            [rows[0], *(row for row in rows[1:] if row[rows[0].index("unit")] == "00004")])
    (folder / "hanoi" / "units.csv").write_bytes((SAMPLE_2025 / "units.csv").read_bytes())


def _officials_and_units(folder: Path) -> None:
    """``officials.csv`` and ``units.csv`` in the folder: those of Phường Ba Đình and the city's units."""
    _one_ward_and_the_city(folder)
    (folder / "officials.csv").write_bytes((folder / "ba-dinh" / "officials.csv").read_bytes())
    (folder / "units.csv").write_bytes((folder / "hanoi" / "units.csv").read_bytes())


#: (doc, first line) → what to make in the doc's folder before that command or block runs.
STAND_INS: dict[tuple[str, str], Callable[[Path], None]] = {
    ("README.md", "cadre-rules evaluate danh-sach.xlsx --as-of 31/12/2024    # đánh giá tệp đã điền"): _filled_list,
    ("README.md", "from datetime import date"): _officials_and_units,
    ("docs/huong-dan.md", "cadre-rules evaluate danh-sach.xlsx --as-of 31/12/2024"): _filled_list,
    ("docs/api.md", "from datetime import date"): _one_ward_and_the_city,
}

README_ROWS = "from cadre_rules import InputError, Official, load_officials"


def _refused(doc: str, first: str) -> tuple[str, str, str]:
    """The place, column and value of the problem a block's comment shows (``# <records>, /12/gender: … (got
    'x')``)."""
    block = next(b for b in blocks(doc) if b.key == first)
    found = re.search(r"# <records>, /(\d+)/(\w+): .*\(got '(.*)'\)", block.text)
    assert found, block.where
    return found.group(1), found.group(2), found.group(3)


#: (doc, first line of a Python block) → the names it takes from the prose around it.
PRELUDE: dict[tuple[str, str], str] = {
    # the HR system's rows, the one the comment names with the gender it shows; the units read before
    ("README.md", README_ROWS): textwrap.dedent("""
        from cadre_rules import load_units
        units = load_units("units.csv")
        rows_from_the_hr_system = [
            {"id": f"A{n}", "full_name": "Nguyễn Văn An", "gender": %r if n == %s else "nam",
             "birth_date": "12/03/1978", "unit": "00004", "position": "Chủ tịch UBND", "education": "đại học",
             "political_theory": "cao cấp"} for n in range(20)]
    """) % (_refused("README.md", README_ROWS)[2], _refused("README.md", README_ROWS)[0]),
    ("docs/api.md", '>>> Metric("p", "quota.young", "town", "Hà Nội", -1, 3, 0.1, ">=", None)'): textwrap.dedent("""
        from datetime import date
        from cadre_rules import Finding, Metric, Report
        finding = Finding("p", "r", "qualification", "error", "official", "A1", "U1", "m", "c")
    """),
    ("docs/api.md", '>>> engine = Engine(packs=[], backend="reference")'): "from cadre_rules import Engine",
    # "A plugin can also be a class instance": PACK, the path of its pack
    ("docs/plugins.md", "class Plugin:"): textwrap.dedent("""
        from pathlib import Path
        PACK = Path("my-pack.toml").resolve()
        PACK.write_text('''
        [pack]
        id = "my-pack"
        version = "2025.1"
        title = "My pack"
        effective = { from = 2025-07-01 }
        sources = [{ id = "kh-1", title = "Kế hoạch 1" }]

        [[rule]]
        id = "qualification.my_degree"
        family = "qualification"
        severity = "warning"
        where = "holds_cadre_post"
        when = "education < 'university'"
        message = "Trình độ {education} chưa đạt đại học"
        cite = "Kế hoạch 1"
        ''', encoding="utf-8")
    """),
    # "your own data"
    ("docs/plugins.md", "@hookimpl\ndef cadre_rules_enrich_official(official, as_of):"): "TRAINING = {}",
}

#: (doc, first line of a Python block) → checks of what it made (its namespace) and printed.
CHECKS: dict[tuple[str, str], Callable[[dict[str, Any], str], None]] = {}


def _check(doc: str, first: str) -> Callable[[Callable[[dict[str, Any], str], None]], None]:
    def register(check: Callable[[dict[str, Any], str], None]) -> None:
        CHECKS[doc, first] = check
    return register


@_check("README.md", "from datetime import date")
def _readme_evaluates(ns: dict[str, Any], printed: str) -> None:
    report = ns["report"]
    assert {p.id for p in report.packs} == {"hanoi-de-an-34", "vn-nd33-2023"} and report.findings
    assert ns["report_to_json"](report).startswith("{")


@_check("README.md", README_ROWS)
def _readme_locates_the_bad_gender(ns: dict[str, Any], printed: str) -> None:
    # the problem the comment shows ("<records>, /12/gender: unknown gender … (got 'nũ')"), printed as column,
    # reason, value
    row, column, value = _refused("README.md", README_ROWS)
    read = "officials" in ns
    assert not read, f"{value!r} is read as a {column}"
    assert printed == f"/{row}/{column} unknown {column} (expected one of: male, female) {value}\n", printed


@_check("docs/api.md", "from datetime import date")
def _api_reports_as_asked(ns: dict[str, Any], printed: str) -> None:
    from cadre_rules import Engine
    from cadre_rules import evaluate_as_asked

    first = ns["evaluate_as_asked"](ns["engine"], ns["officials"], ns["units"], ns["date"](2025, 12, 31))
    assert first.notices[0].kind == "units"
    english = Engine(lang="en")
    said = str(evaluate_as_asked(english, ns["officials"], ns["units"], ns["date"](2025, 12, 31)).notices[0].message)
    assert ("the units file lists 126 units, of which only 1 has officials in the data (00004 Phường Ba Đình): "
            "the report is of it; ") in said, said
    assert repr(ns["report"].scope) == "ReportScope(kind='unit', id='00004', name='Phường Ba Đình')"


def _engine_with(ns: dict[str, Any], hook: str) -> Any:
    """An engine with the block's hook implementation as its one plugin (strict: a problem raises)."""
    from cadre_rules import Engine

    plugin = type("DocPlugin", (), {})()
    setattr(plugin, hook, ns[hook])
    return Engine([], plugins=[plugin], strict_plugins=True, backend="reference")


@_check("docs/plugins.md", "from fractions import Fraction")
def _plugins_function(ns: dict[str, Any], printed: str) -> None:
    assert "ethnic_minority_share" in _engine_with(ns, "cadre_rules_register_functions").plugins.functions


@_check("docs/plugins.md", '@hookimpl\ndef cadre_rules_register_renderers(register):\n    register("markdown", '
                           'render_markdown, extension="md", doc="findings as a Markdown table")')
def _plugins_renderer(ns: dict[str, Any], printed: str) -> None:
    assert "markdown" in _engine_with(ns, "cadre_rules_register_renderers").plugins.renderers


@_check("docs/plugins.md", "class Plugin:")
def _plugins_class_instance(ns: dict[str, Any], printed: str) -> None:
    engine = ns["engine"]
    assert engine.plugins.packs["my-pack"].plugin == "Plugin" and not engine.plugins.problems


# --- running ----------------------------------------------------------------------------------------------------

@dataclass
class Reader:
    """A reader going through one doc: its folder, where it stands in it (``cd``), its Python namespace."""

    folder: Path
    cwd: Path
    namespace: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    import os

    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_command(reader: Reader, cmd: Command) -> None:
    key = (cmd.block.doc, cmd.first)
    if cmd.argv[0] == "cd" and len(cmd.argv) == 2:
        reader.cwd = reader.cwd / cmd.argv[1]
        return
    if cmd.argv[0] != "cadre-rules":
        reader.failures.append(f"{cmd.where}: not a cadre-rules command, and not in SKIP: {cmd.first}")
        return
    if cmd.synopsis:
        reader.failures.extend(f"{cmd.where}: {problem}" for problem in synopsis_problems(cmd.argv[1:]))
        return
    expect = EXPECT.get(key, Expect())
    code, out, err = command(*cmd.argv[1:], cwd=reader.cwd)
    said = out.decode("utf-8", "replace") + err
    if code not in expect.exit:
        reader.failures.append(f"{cmd.where}: {cmd.first}\n  exit code {code}, not {expect.exit}:\n"
                               + textwrap.indent(said[-2000:], "    "))
        return
    elsewhere = ELSEWHERE.get(key, ("", ()))[1]
    for line in unshown(tuple(line for line in cmd.shown if line not in elsewhere), said):
        reader.failures.append(f"{cmd.where}: {cmd.first}\n  does not print {line!r}")
    for text in expect.shows:
        if text not in said:
            reader.failures.append(f"{cmd.where}: {cmd.first}\n  does not show {text!r}")
    for name in expect.writes:
        if not (reader.cwd / name).is_file():
            reader.failures.append(f"{cmd.where}: {cmd.first}\n  did not write {name}")


def synopsis_problems(words: tuple[str, ...]) -> list[str]:
    """The options a synopsis names that its command does not have (alternatives ``a … | b …`` are sibling
    subcommands)."""
    problems: list[str] = []
    segments: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            segments.append([])
        else:
            segments[-1].append(word)
    names: list[str] = []
    for n, segment in enumerate(segments):
        if n == 0 or not segment[:1] or not segment[0].startswith("-"):  # "--unit X | --city": the same command
            node: click.Command = cli
            names = [] if n == 0 else names[:-1]
            for name in names:
                node = node.commands[name] if isinstance(node, click.Group) else node
            for word in segment:
                if not (isinstance(node, click.Group) and word in node.commands):
                    if isinstance(node, click.Group) and re.fullmatch(r"[a-z]+", word):
                        problems.append(f"cadre-rules {' '.join(names)}: no command {word}")
                    break
                node = node.commands[word]
                names.append(word)
        options = {opt for param in node.params for opt in (*param.opts, *param.secondary_opts)}
        options |= set(node.get_help_option_names(click.Context(node)))
        for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", " ".join(segment)):
            if option not in options:
                problems.append(f"cadre-rules {' '.join(names)}: no option {option}")
    return problems


def session(text: str) -> list[tuple[str, list[str]]]:
    """The statements of a ``>>>`` session, each with the lines shown after it."""
    steps: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith(">>> "):
            steps.append((line[4:], []))
        elif line.startswith("... ") and steps:
            steps[-1] = (steps[-1][0] + "\n" + line[4:], steps[-1][1])
        elif steps and line.strip():
            steps[-1][1].append(line)
    return steps


def run_session(reader: Reader, block: Block, names: dict[str, Any]) -> None:
    """Each statement as the interpreter runs it: a value is shown as its ``repr``, exactly; an error as
    ``module.Class: message``, of which the doc shows some lines."""
    for source, shown in session(block.text):
        try:
            value = eval(compile(source, block.where, "eval"), names)  # the doc's own code
            said = [] if value is None else repr(value).splitlines()
            if said != shown:
                reader.failures.append(f"{block.where}: >>> {source}\n  shows {said}, the doc {shown}")
        except Exception as error:  # what the doc shows of the error is compared
            said = [line.strip() for line in
                    f"{type(error).__module__}.{type(error).__qualname__}: {error}".splitlines()]
            missing = [line for line in shown if line.strip() not in said]
            if missing:
                reader.failures.append(f"{block.where}: >>> {source}\n  raised {said}\n  not {missing}")


def run_python(reader: Reader, block: Block) -> None:
    """Run a Python block in the names the doc's blocks before it made, with its prelude's; what it makes
    (and not its prelude) is there for the blocks after it."""
    key = (block.doc, block.key)
    printed = io.StringIO()
    names = dict(reader.namespace)
    prelude = dict(names)
    try:
        with _inside(reader.cwd), contextlib.redirect_stdout(printed):
            if key in PRELUDE:
                exec(compile(PRELUDE[key], f"PRELUDE of {block.where}", "exec"), names)
            prelude = dict(names)
            if block.first.startswith(">>> "):
                run_session(reader, block, names)
            else:
                exec(compile(block.text, block.where, "exec"), names)  # the doc's own code
            if key in CHECKS:
                CHECKS[key](names, printed.getvalue())
    except Exception as error:  # every block's failure is reported together
        reader.failures.append(f"{block.where}: {block.first}\n  {type(error).__name__}: {error}")
    reader.namespace.update((name, value) for name, value in names.items()
                            if name not in prelude or prelude[name] is not value)


def run_toml(reader: Reader, block: Block) -> None:
    """A TOML block is TOML as cadre-rules reads it (1.0: an inline table on one line); a whole pack passes
    ``cadre-rules packs validate``, a whole case file ``cadre-rules test``."""
    try:
        data = tomllib.loads(block.text)
    except tomllib.TOMLDecodeError as error:
        reader.failures.append(f"{block.where}: not TOML as cadre-rules reads it: {error}")
        return
    name = f"{Path(block.doc).stem}-{block.line}.toml"
    if isinstance(data.get("pack"), dict):
        argv: tuple[str, ...] = ("packs", "validate", name)
    elif isinstance(data.get("pack"), str) and "case" in data:
        argv = ("test", name)
    else:
        return
    (reader.cwd / name).write_text(block.text, encoding="utf-8")
    code, out, err = command(*argv, cwd=reader.cwd)
    if code != 0:
        reader.failures.append(f"{block.where}: cadre-rules {' '.join(argv)}: exit code {code}\n"
                               + textwrap.indent(out.decode("utf-8", "replace") + err, "    "))


def read_doc(doc: str, folder: Path) -> list[str]:
    """Run the doc's blocks in order in ``folder``: what failed, located."""
    for name in BUNDLED:
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    reader = Reader(folder, folder)
    for block in blocks(doc):
        if block.shell:
            for cmd in commands(block):
                key = (doc, cmd.first)
                if key in STAND_INS:
                    STAND_INS[key](reader.cwd)
                if key not in SKIP:
                    run_command(reader, cmd)
        elif block.python:
            key = (doc, block.key)
            if key in STAND_INS:
                STAND_INS[key](reader.cwd)
            if key not in SKIP:
                run_python(reader, block)
        elif block.lang == "toml":
            run_toml(reader, block)
    return reader.failures


# --- the tests --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", DOCS)
def test_the_doc_s_commands_and_code_do_what_it_says(doc: str, tmp_path: Path) -> None:
    failures = read_doc(doc, tmp_path)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", list(OUTPUT_OF), ids=lambda key: f"{key[0]}:{key[1][:40]}")
def test_the_output_a_doc_shows_is_the_command_s(key: tuple[str, str]) -> None:
    block = next(b for b in blocks(key[0]) if b.key == key[1])
    code, out, err = command(*OUTPUT_OF[key], cwd=ROOT)
    assert code in (0, 1), err
    missing = unshown(tuple(block.text.splitlines()), out.decode("utf-8"))
    assert not missing, f"{block.where}: cadre-rules {' '.join(OUTPUT_OF[key])} does not print, in this order:\n" + \
        "\n".join(missing)


#: (doc, code span) → what the span names, when it is not a command.
NOT_A_COMMAND: dict[tuple[str, str], str] = {
    ("docs/report.md", "cadre-rules records v1"): "the name of the canonical text of records the digest hashes",
}


def inline_commands(doc: str) -> Iterator[tuple[int, str]]:
    """The ``cadre-rules …`` the prose of a doc names in code spans (outside the blocks), by line."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for m in re.finditer(r"`(cadre-rules [^`]+)`", prose):
        yield prose.count("\n", 0, m.start()) + 1, m.group(1)


@pytest.mark.parametrize("doc", DOCS)
def test_the_commands_the_prose_names_have_the_options_it_gives_them(doc: str) -> None:
    problems = [f"{doc}:{line}: {span}: {problem}" for line, span in inline_commands(doc)
                if (doc, span) not in NOT_A_COMMAND for problem in synopsis_problems(tuple(shlex.split(span))[1:])]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS)
def test_the_files_a_doc_links_to_are_there(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    targets = [m.group(1) for m in re.finditer(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text) if "://" not in m.group(1)]
    missing = [target for target in targets if not ((ROOT / doc).parent / target).exists()]
    assert not missing, f"{doc} links to files that are not there: {missing}"


def _keys() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The (doc, first line) of every shell command and of every Python block."""
    shell: set[tuple[str, str]] = set()
    python: set[tuple[str, str]] = set()
    for doc in DOCS:
        for block in blocks(doc):
            if block.shell:
                shell.update((doc, cmd.first) for cmd in commands(block))
            elif block.python:
                python.add((doc, block.key))
    return shell, python


def test_every_entry_names_a_block_of_its_doc() -> None:
    shell, python = _keys()
    shown = {(doc, b.key) for doc in DOCS for b in blocks(doc) if b.lang == "text"}
    for table, keys in ((SKIP, shell | python), (EXPECT, shell), (STAND_INS, shell | python),
                        (PRELUDE, python), (CHECKS, python), (ELSEWHERE, shell), (OUTPUT_OF, shown)):
        stale = sorted(set(table) - keys)
        assert not stale, f"no such block any more: {stale}"
    assert not set(EXPECT) & set(SKIP)
    spans = {(doc, span) for doc in DOCS for _, span in inline_commands(doc)}
    assert not set(NOT_A_COMMAND) - spans, f"no such span any more: {sorted(set(NOT_A_COMMAND) - spans)}"


def test_the_blocks_are_found() -> None:
    """The parsing itself: the README's blocks, a console block's prompt, a synopsis over lines."""
    readme = blocks("README.md")
    assert [b.lang for b in readme][:3] == ["sh", "sh", "sh"]
    assert [c.argv[:2] for c in commands(readme[1])] == [("cadre-rules", "template"), ("cadre-rules", "evaluate")]
    console = next(b for b in blocks("docs/plugins.md") if b.lang == "console")
    assert [c.first for c in commands(console)] == ["pip install -e ./cadre-rules-ba-vi", "cadre-rules plugins"]
    keys = [b.key for b in blocks("docs/plugins.md") if b.first == "@hookimpl"]
    assert len(keys) == len(set(keys)) > 5 and "@hookimpl\ndef cadre_rules_enrich_official(official, as_of):" in keys
    synopsis = commands(blocks("docs/match.md")[0])
    assert len(synopsis) == 1 and synopsis[0].synopsis and "--scope" in synopsis[0].argv[-2]
    assert synopsis_problems(("match", "DATA", "[--whithin", "MONTHS]")) == ["cadre-rules match: no option --whithin"]
    assert synopsis_problems(("packs", "list", "[--as-of", "DATE]", "|", "show", "ID", "|", "validate", "PATH")) == []
    assert synopsis_problems(("explain", "DATA", "--unit", "CODE", "|", "--city", "--format", "json", "--help")) == []
    assert synopsis_problems(("packs", "list", "|", "show", "--as-of", "D")) == ["cadre-rules packs show: no option --as-of"]
    assert synopsis_problems(("packs", "lst")) == ["cadre-rules packs: no command lst"]
