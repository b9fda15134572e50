"""Issue 18, data loss: every write is atomic, an output that is an input is refused before anything is read,
and a failed or interrupted run leaves the previous file as it was (no 0-byte or half-written file)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules._cli import cli
from cadre_rules.io import _writers
from cadre_rules.io._writers import atomic_write
from cadre_rules.io._writers import write_csv
from test_cli import PACK
from test_cli import _data
from test_cli import evaluate

PREVIOUS = b"the previous report\n"


@pytest.fixture
def sigint_deliverable() -> Iterator[None]:
    """Ctrl-C can reach the processes the test starts. A shell without job control starts a background job (a CI
    run started with ``&``) with SIGINT ignored; its children inherit that, and Python then never raises
    KeyboardInterrupt, as a user's background job should not. A Python handler here is reset to the default in a
    child (at exec), where Python installs its own."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _data(tmp_path / "good")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------- the helper


def test_atomic_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(PREVIOUS)
    target.chmod(0o640)
    atomic_write(target, "nội dung\n")
    assert target.read_bytes() == "nội dung\n".encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.csv", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(PREVIOUS)

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_writers.os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"new" * 1000)
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_an_interrupted_write_leaves_no_file_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_writers.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_csv(tmp_path / "officials.csv", [{"id": "1"}], ["id"])
    assert list(tmp_path.iterdir()) == []  # not even an empty file


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("target", ["officials.csv", "units.csv", "UNITS.json", "officials.xlsx"])
def test_output_into_the_data_directory_as_an_input_is_refused(good: Path, target: str) -> None:
    before = _snapshot(good)
    result = evaluate(good, "-o", good / target)
    assert result.exit_code == 2, result.output
    assert "this output is one of the inputs" in result.stderr
    assert str(good / target) in result.stderr
    assert _snapshot(good) == before


def test_output_onto_the_units_file_pack_waivers_or_baseline_is_refused(good: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_bytes(PACK.read_bytes())
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(b"{}")
    for args, output in [
        ((good / "officials.csv", "--units", good / "units.csv"), good / "units.csv"),
        ((good / "officials.csv", "--units", good / "units.csv"), good / "officials.csv"),
        ((good, "--pack", pack), pack),
        ((good, "--pack", pack, "--baseline", baseline), baseline),
        ((good, "--pack", pack), good / ".." / "good" / "units.csv"),  # spelled differently
    ]:
        before = output.read_bytes()
        result = CliRunner().invoke(cli, ["evaluate", *map(str, args), "--as-of", "2025-06-30",
                                          "--backend", "reference", "-o", str(output)])
        assert result.exit_code == 2, result.output
        assert "this output is one of the inputs" in result.stderr
        assert output.read_bytes() == before


def test_output_through_a_symlink_to_an_input_is_refused(good: Path, tmp_path: Path) -> None:
    link = tmp_path / "report.csv"
    link.symlink_to(good / "units.csv")
    before = _snapshot(good)
    result = evaluate(good, "-o", link)
    assert result.exit_code == 2
    assert _snapshot(good) == before


@pytest.mark.parametrize("name", ["report.json", "officials.report.json", "units-findings.csv"])
def test_a_report_beside_the_data_is_allowed(good: Path, name: str) -> None:
    result = evaluate(good, "-o", good / name)
    assert result.exit_code == 0, result.output
    assert (good / name).stat().st_size > 0


def test_the_same_output_twice_is_refused(good: Path, tmp_path: Path) -> None:
    result = evaluate(good, "-o", tmp_path / "r.json", "-o", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "named twice by -o" in result.stderr


def test_a_failed_run_leaves_the_previous_report(good: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(PREVIOUS)
    (good / "officials.csv").write_text("id,full_name\nbroken", encoding="utf-8")
    result = evaluate(good, "-o", report)
    assert result.exit_code == 2
    assert report.read_bytes() == PREVIOUS


def test_a_renderer_failing_leaves_the_previous_file_and_no_empty_file(good: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(PREVIOUS)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_writers.os, "fsync", full)
    result = evaluate(good, "-o", report, "-o", tmp_path / "new.csv")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["report.json"]
    assert report.read_bytes() == PREVIOUS


def test_sample_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "officials.csv").write_bytes(PREVIOUS)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_writers.os, "fsync", full)
    result = CliRunner().invoke(cli, ["sample", str(folder), "--force"])  # (without: refused before writing)
    assert result.exit_code == 2
    assert _snapshot(folder) == {"officials.csv": PREVIOUS}


# --------------------------------------------------------------------------- signals, in a real process


def _start(good: Path, report: Path, pause: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, _writers.PAUSE_ENV: pause}
    return subprocess.Popen([sys.executable, "-m", "cadre_rules", "evaluate", str(good), "--pack", str(PACK),
                             "--as-of", "2025-06-30", "--backend", "reference", "-o", str(report)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_temp(folder: Path, process: subprocess.Popen[bytes]) -> Path:
    for _ in range(600):  # the write has begun when its temporary file (with the data) exists
        temps = [p for p in folder.iterdir() if p.name.endswith(_writers.TEMP_SUFFIX)]
        if temps and temps[0].stat().st_size > 0:
            return temps[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the write did not start")


@pytest.mark.usefixtures("sigint_deliverable")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_write_keeps_the_previous_report(good: Path, tmp_path: Path, signum: int, code: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    report = out / "report.json"
    report.write_bytes(PREVIOUS)
    process = _start(good, report, "60")
    try:
        _wait_for_temp(out, process)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code, stderr
    assert b"Traceback" not in stderr
    assert report.read_bytes() == PREVIOUS
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # the temporary file is gone


def test_without_a_signal_the_paused_write_completes(good: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(PREVIOUS)
    process = _start(good, report, "0.01")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert report.read_bytes().startswith(b"{")


def test_a_symlinked_output_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(PREVIOUS)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_a_device_is_written_to_never_replaced(good: Path) -> None:
    before = os.stat("/dev/null")
    result = evaluate(good, "-o", "/dev/null", "--format", "json")
    assert result.exit_code == 0, result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_named_pipe_is_written_to(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    atomic_write(fifo, b"through the pipe")
    out, _ = reader.communicate(timeout=30)
    assert out == b"through the pipe"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_second_ctrl_c_during_the_cleanup_cannot_leave_the_temporary_file(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(PREVIOUS)
    real_unlink = os.unlink

    def fail(fd: int) -> None:
        raise KeyboardInterrupt  # the first Ctrl-C

    def interrupted_unlink(name: str) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the second one, as the cleanup begins
        real_unlink(name)

    monkeypatch.setattr(_writers.os, "fsync", fail)
    monkeypatch.setattr(_writers.os, "unlink", interrupted_unlink)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert target.read_bytes() == PREVIOUS


HELD_WITH_ANOTHER_THREAD = """
import os, signal, threading, time
from cadre_rules.io import _writers
stop = threading.Event()
t = threading.Thread(target=stop.wait); t.start()
try:
    with _writers._signals_held():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            s=time.monotonic()+0.2
            while time.monotonic()<s: pass
            print("after kill, still in block")
        except KeyboardInterrupt:
            print("KI inside block")
except KeyboardInterrupt:
    print("KI at unblock")
stop.set(); t.join()
"""


@pytest.mark.usefixtures("sigint_deliverable")
def test_ctrl_c_is_held_during_the_cleanup_in_a_process_with_other_threads() -> None:
    # With another thread alive, the kernel hands a signal that the main thread holds to that thread, and Python
    # runs the handler in the main thread all the same: holding the signal in one thread is not enough.
    done = subprocess.run([sys.executable, "-c", HELD_WITH_ANOTHER_THREAD], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.splitlines() == ["after kill, still in block", "KI at unblock"]
