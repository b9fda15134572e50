"""Start-up of the command line: ``import cadre_rules._cli``, ``cadre-rules --version`` and ``--help``, as processes.

Usage::

    python bench/bench_startup.py                                   # this tree, 5 runs each
    python bench/bench_startup.py --baseline /path/to/old/src --repeat 9

Each repetition runs, alternating (the first rotates), ``python -c "import cadre_rules._cli"``,
``cadre-rules --version`` and ``cadre-rules --help`` (the console script's call: ``main()``) for this tree
and, with ``--baseline SRC``, for another version's sources (``PYTHONPATH=SRC``; the same interpreter and
installed dependencies). Reported: the median CPU seconds (user + system of the child, ``os.wait4``: on a
shared machine the steadier figure) and the median wall seconds, for two states of the byte-code cache:

- ``cached``: the package's ``.pyc`` files written beforehand (what an installed wheel has), kept under a
  private ``PYTHONPYCACHEPREFIX`` so that no source tree is written to;
- ``compiled``: ``PYTHONDONTWRITEBYTECODE=1`` and a copy of the sources without any ``.pyc`` (a fresh editable
  checkout, as in the developers' shells): each module's source compiled at every start (the dependencies
  keep their installed ``.pyc``).

Then the number of the package's modules each command loads and the ten that cost most (``-X importtime``,
cumulative, microseconds; one run). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
IMPORT = "import cadre_rules._cli"
VERSION = "import sys; from cadre_rules._cli import main; sys.argv[0] = 'cadre-rules'; main()"
COMMANDS = {"import": [IMPORT], "--version": [VERSION, "--version"], "--help": [VERSION, "--help"]}


def _env(src: Path, state: str, prefix: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env["PYTHONPATH"] = str(src)
    env["CADRE_RULES_DISABLE_PLUGINS"] = "1"
    if state == "cached":
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_startup: {' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def importtime(python: str, args: list[str], env: dict[str, str]) -> tuple[int, list[tuple[int, str]]]:
    """The package's modules a command loads, and the ten largest cumulative import times (µs)."""
    proc = subprocess.run([python, "-X", "importtime", "-c", *args], env=env, capture_output=True, text=True,
                          check=True)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), name.rstrip()))
    ours = [r for r in rows if r[1].strip().startswith("cadre_rules")]
    return len(ours), sorted(ours, reverse=True)[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="the src folder of another version (PYTHONPATH)")
    args = parser.parse_args()
    python = sys.executable
    trees = {"this": SRC, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    with tempfile.TemporaryDirectory(prefix="cadre-rules-startup-") as tmp:
        prefixes = {name: Path(tmp) / name for name in trees}
        copies = {name: Path(tmp) / f"{name}-src" for name in trees}
        for name, src in trees.items():  # the compiled state: a copy of the sources without any .pyc
            shutil.copytree(src, copies[name], ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name, src in trees.items():  # write the cached state's .pyc files
            run([python, "-c", IMPORT], _env(src, "cached", prefixes[name]))
            run([python, "-c", VERSION, "--version"], _env(src, "cached", prefixes[name]))
        cases = [(tree, state, command) for tree in trees for state in ("cached", "compiled") for command in COMMANDS]
        times: dict[tuple[str, str, str], list[tuple[float, float]]] = {c: [] for c in cases}
        for r in range(args.repeat):
            for i in range(len(cases)):
                tree, state, command = case = cases[(i + r) % len(cases)]
                src = trees[tree] if state == "cached" else copies[tree]
                times[case].append(run([python, "-c", *COMMANDS[command]], _env(src, state, prefixes[tree])))
        print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}, "
              f"median of {args.repeat} (CPU s / wall s)")
        print(f"{'tree':<9} {'bytecode':<9} {'command':<10} {'CPU s':>6} {'wall s':>7}")
        for tree, state, command in cases:
            got = times[(tree, state, command)]
            print(f"{tree:<9} {state:<9} {command:<10} {statistics.median(c for _, c in got):6.3f} "
                  f"{statistics.median(w for w, _ in got):7.3f}")
        for tree, src in trees.items():
            for command, cmd in COMMANDS.items():
                count, top = importtime(python, cmd, _env(src, "cached", prefixes[tree]))
                print(f"\n{tree}, {command}: {count} modules of cadre_rules; largest cumulative import times (µs):")
                for micros, name in top:
                    print(f"  {micros:>8} {name}")


if __name__ == "__main__":
    main()
