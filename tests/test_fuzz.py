"""Issue 18, fuzzing: valid CSV, XLSX, JSON and TOML inputs mutated (truncated, bytes flipped, nested,
huge values, lines doubled or dropped) never crash, never hang and never touch the inputs: the exit code is
0, 1 or 2, stderr has no traceback, and the run ends well within --timeout.

Most cases run in-process through click's CliRunner (fast); a few run the real command as a subprocess.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import reject
from hypothesis import settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from cadre_rules._cli import cli
from test_cli import PACK
from test_cli import _data

TIMEOUT = 20  # seconds: --timeout of every fuzzed run (the runs take well under a second)
#: Examples per fuzz test: modest for CI; CADRE_RULES_FUZZ_EXAMPLES=1000 for a long run.
FUZZ = settings(max_examples=int(os.environ.get("CADRE_RULES_FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


class _Files(dict[str, bytes]):
    def __repr__(self) -> str:  # a failing example shows the mutation, not every valid file
        return f"<valid inputs: {', '.join(self)}>"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The valid inputs, as bytes: officials and units in CSV, JSON and XLSX, and a pack."""
    folder = _data(tmp_path_factory.mktemp("base"))
    officials = (folder / "officials.csv").read_text(encoding="utf-8")
    units = (folder / "units.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in officials.splitlines()]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    return _Files({"officials.csv": officials.encode(), "units.csv": units.encode(),
                   "officials.json": json.dumps(records, ensure_ascii=False, indent=1).encode(),
                   "officials.xlsx": xlsx.getvalue(), "pack.toml": PACK.read_bytes()})


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` changed in one to three ways a damaged or hostile file would be."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "nest", "huge", "double", "drop"]))
        if kind == "truncate":
            data = data[:at]
        elif kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "nest":
            depth = draw(st.sampled_from([3, 100, 5000]))
            data = data[:at] + b"[" * depth + b"]" * depth + data[at:]
        elif kind == "huge":
            data = data[:at] + draw(st.sampled_from([b"9", b"x", b"\xe1\xba\xa1", b'"', b"{", b"\x00"])) \
                * draw(st.sampled_from([1_000, 150_000])) + data[at:]
        elif kind == "double":
            line = data.find(b"\n", at)
            start = data.rfind(b"\n", 0, at) + 1
            data = data[:line + 1] + data[start:line + 1] + data[line + 1:] if line >= 0 else data + data[start:]
        elif kind == "drop":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
    return data


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _folder(files: dict[str, bytes]) -> tempfile.TemporaryDirectory[str]:
    holder = tempfile.TemporaryDirectory()
    for name, data in files.items():
        (Path(holder.name) / name).write_bytes(data)
    return holder


def _digests(folder: Path) -> dict[str, str]:
    """The inputs' digests (not the report the run writes, nor its temporary file)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if not p.name.startswith(("report.json", ".report.json"))}


def _check_run(folder: Path, *args: str) -> None:
    before = _digests(folder)
    started = time.monotonic()
    result = CliRunner().invoke(cli, [*args, "--timeout", str(TIMEOUT)])
    elapsed = time.monotonic() - started
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert elapsed < TIMEOUT + 5
    assert _digests(folder) == before  # the inputs are untouched


def _evaluate(folder: Path, officials: str, pack: str | Path = PACK) -> None:
    _check_run(folder, "evaluate", str(folder / officials), "--units", str(folder / "units.csv"), "--pack",
               str(pack), "--as-of", "2025-06-30", "--backend", "reference", "--format", "json",
               "-o", str(folder / "report.json"))


@pytest.mark.parametrize("name", ["officials.csv", "officials.json", "units.csv"])
@FUZZ
@given(data=st.data())
def test_mutated_csv_and_json_never_crash(base: dict[str, bytes], name: str, data: st.DataObject) -> None:
    files = dict(base)
    files[name] = data.draw(mutations(base[name]), label=name)
    with _folder(files) as folder:
        _evaluate(Path(folder), "officials.json" if name == "officials.json" else "officials.csv")


@FUZZ
@given(data=st.data())
def test_mutated_xlsx_never_crashes(base: dict[str, bytes], data: st.DataObject) -> None:
    files = dict(base)
    files["officials.xlsx"] = data.draw(mutations(base["officials.xlsx"]), label="xlsx")
    with _folder(files) as folder:
        _evaluate(Path(folder), "officials.xlsx")


_CELLS = st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.booleans(),
                   st.just("=TRUE()"), st.just("x" * 150_000))


@FUZZ
@given(data=st.data())
def test_xlsx_with_hostile_cells_never_crashes(base: dict[str, bytes], data: st.DataObject) -> None:
    book = openpyxl.load_workbook(io.BytesIO(base["officials.xlsx"]))
    sheet = book.active
    for _ in range(data.draw(st.integers(1, 4))):
        row, column = data.draw(st.integers(1, sheet.max_row + 1)), data.draw(st.integers(1, sheet.max_column + 1))
        value = data.draw(_CELLS)
        try:
            sheet.cell(row, column).value = value
        except (ValueError, IllegalCharacterError):  # characters a workbook cannot hold
            continue
    out = io.BytesIO()
    try:
        book.save(out)
    except AttributeError:  # (openpyxl fails to write some of them, in its own XML writer: no workbook to read)
        reject()
    with _folder({**base, "officials.xlsx": out.getvalue()}) as folder:
        _evaluate(Path(folder), "officials.xlsx")


@FUZZ
@given(data=st.data())
def test_mutated_packs_never_crash(base: dict[str, bytes], data: st.DataObject) -> None:
    pack = data.draw(mutations(base["pack.toml"]), label="pack")
    with _folder({**base, "pack.toml": pack}) as folder:
        _check_run(Path(folder), "packs", "validate", str(Path(folder) / "pack.toml"))
        _evaluate(Path(folder), "officials.csv", Path(folder) / "pack.toml")


@pytest.mark.parametrize(("name", "change"), [
    ("officials.json", lambda b: b[: len(b) // 2]),
    ("officials.json", lambda b: b"[" * 200_000 + b"]" * 200_000),
    ("officials.csv", lambda b: b + b"A9," + b"x" * (3 << 20) + b"\n"),
    ("officials.xlsx", lambda b: b[: len(b) // 3]),
    ("pack.toml", lambda b: b.replace(b"message", b"message = 1\nmessage", 1)),
])
def test_mutated_inputs_in_a_real_process(base: dict[str, bytes], name: str, change: object) -> None:
    files = dict(base)
    files[name] = change(files[name])  # type: ignore[operator]
    officials = name if name.startswith("officials") else "officials.csv"
    with _folder(files) as holder:
        folder = Path(holder)
        before = _digests(folder)
        process = subprocess.run(
            [sys.executable, "-m", "cadre_rules", "evaluate", str(folder / officials), "--units",
             str(folder / "units.csv"), "--pack", str(folder / "pack.toml"), "--as-of", "2025-06-30",
             "--backend", "reference", "--timeout", str(TIMEOUT)],
            capture_output=True, timeout=TIMEOUT + 30, check=False)
        stderr = process.stderr.decode()
        assert process.returncode == 2, stderr
        assert "Traceback" not in stderr
        assert stderr.startswith("error: ")
        assert _digests(folder) == before
