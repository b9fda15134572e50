"""How the console script's process ends: exit handlers run, every output is complete and flushed, temporary
files are removed, the exit code is the command's. Run in-process (``main(argv)``), a command raises
``SystemExit``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cadre_rules._cli import main
from cadre_rules.render._pdf import find_chromium

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "hanoi-2022"

#: A script run as the console script is: ``main()`` reading ``sys.argv``. An exit handler (as a plugin's) says
#: that it ran.
SCRIPT = """\
import atexit, sys
atexit.register(lambda: print("exit handler ran", file=sys.stderr))
sys.argv = ["cadre-rules", *sys.argv[1:]]
from cadre_rules._cli import main
main()
"""


def _script(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, timeout=300,
                          check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.mark.parametrize(("args", "code"), [
    (["evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--format", "text", "-q"], 1),
    (["evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--format", "text", "-q", "--fail-on", "never"], 0),
    (["evaluate", str(SAMPLE / "no-such-folder")], 2),
])
def test_the_exit_code_is_the_commands(args: list[str], code: int) -> None:
    ran = _script(*args)
    assert ran.returncode == code, ran.stderr
    assert b"exit handler ran" in ran.stderr


def test_output_piped_to_another_process_is_complete(tmp_path: Path) -> None:
    """The json report of the sample (megabytes, many times a pipe's buffer) through a pipe read by another
    process is byte for byte the report written to a file."""
    args = ["-m", "cadre_rules", "evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--no-plugins", "--format",
            "json", "-q"]
    subprocess.run([sys.executable, *args, "-o", str(tmp_path / "file.json")], check=False, timeout=300)
    writer = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE)
    copy = tmp_path / "piped.json"
    reader = subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, "
                             f"open({str(copy)!r}, 'wb'))"], stdin=writer.stdout, check=True, timeout=300)
    assert writer.stdout is not None
    writer.stdout.close()
    assert writer.wait(timeout=300) == 1  # (findings at the default --fail-on)
    assert reader.returncode == 0
    written = (tmp_path / "file.json").read_bytes()
    assert len(written) > 1_000_000
    assert copy.read_bytes() == written


def test_the_pdfs_temporary_files_are_removed(tmp_path: Path) -> None:
    if os.environ.get("CADRE_RULES_NO_BROWSER") == "1":
        pytest.skip("CADRE_RULES_NO_BROWSER=1: the PDF test is switched off explicitly")
    if find_chromium() is None:
        pytest.fail("no Chromium is installed (apt-get install chromium-headless-shell); this test must run")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    ran = _script("evaluate", str(SAMPLE), "--as-of", "2024-06-30", "--no-plugins", "-q", "--pdf-lines", "20",
                  "-o", str(tmp_path / "report.pdf"), env={**os.environ, "TMPDIR": str(temporary)})
    assert ran.returncode == 1, ran.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert b"exit handler ran" in ran.stderr
    assert list(temporary.iterdir()) == []


def test_in_process_a_command_raises_system_exit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["packs", "list", "--as-of", "2024-06-30"])
    assert ended.value.code == 0
    assert "hanoi-de-an-34" in capsys.readouterr().out
