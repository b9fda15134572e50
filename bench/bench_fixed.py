"""What every job pays besides its work (issue #17): the fixed costs of ``cadre-rules evaluate``, stage by stage.

Usage::

    python bench/bench_fixed.py DATA [DATA…] --as-of 2024-06-30                  # this tree, 5 runs
    python bench/bench_fixed.py /tmp/n100 examples/hanoi-2022 --baseline /path/to/main/src --repeat 7

Each repetition runs, for every DATA and tree in a rotating order, one child process (``PYTHONPATH=SRC``, the
same interpreter and dependencies, byte code cached under a private ``PYTHONPYCACHEPREFIX`` per tree as an
installed wheel has it, plugins off unless ``--plugins``) that makes the json job's calls one by one and prints
each one's CPU seconds (``time.process_time``):

- ``import``: ``import cadre_rules._cli``; ``engine-import``: ``cadre_rules.engine._engine``;
- ``engine``: ``Engine(...)`` as the command line makes it, then ``packs_for(as_of)``; within it, ``load_pack``
  (TOML and validation of every registered pack) and, of the whole import and engine, the time ``attrs`` takes
  to build its classes (``_ClassBuilder.build_class``);
- ``read``; ``evaluate 1`` and ``evaluate 2`` (the same call again: the difference is what the first pays once);
  ``json 1`` and ``json 2`` likewise;

and the whole process's CPU (user + system, ``getrusage``): its rest is the interpreter's start and end. Printed:
the minimum and the median of each. A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
STAGES = ("import", "engine-import", "engine", "load_pack", "attrs", "read", "evaluate 1", "evaluate 2", "json 1",
          "json 2", "in process", "process")

#: The child: the json job's calls one by one (argv: DATA AS_OF), one JSON line of CPU seconds per stage.
CHILD = r"""
import json, sys, time
from datetime import date
from pathlib import Path
clock = time.process_time
spent = {"attrs": 0.0, "load_pack": 0.0}
start = clock()
import attr._make
_build = attr._make._ClassBuilder.build_class
def _counted(self):
    t = clock(); cls = _build(self); spent["attrs"] += clock() - t; return cls
attr._make._ClassBuilder.build_class = _counted
t = clock(); from cadre_rules import _cli; spent["import"] = clock() - t
t = clock(); from cadre_rules.engine import _engine; spent["engine-import"] = clock() - t
from cadre_rules.io._io import find_data_files
from cadre_rules.packs import _packs
_load = _packs.load_pack
def _timed(*args, **kwargs):
    t = clock(); pack = _load(*args, **kwargs); spent["load_pack"] += clock() - t; return pack
_packs.load_pack = _timed
import cadre_rules._plugins as _plugins
_plugins.load_pack = _timed
as_of = date.fromisoformat(sys.argv[2])
t = clock()
engine = _cli._engine(packs=None, params={}, backend="auto", city="Hà Nội", lang="vi", plugins=True,
                      strict_plugins=False)
engine.packs_for(as_of)
spent["engine"] = clock() - t
t = clock(); officials, units = engine.read(*find_data_files(Path(sys.argv[1]))); spent["read"] = clock() - t
for n in (1, 2):
    t = clock(); report = engine.evaluate(officials, units, as_of, input_sha256="0" * 64)
    spent[f"evaluate {n}"] = clock() - t
for n in (1, 2):
    t = clock()
    out = engine.plugins.renderers["json"].render(report, "vi")
    if not isinstance(out, (str, bytes)):
        out = b"".join(x if isinstance(x, bytes) else x.encode() for x in out)
    spent[f"json {n}"] = clock() - t
spent["in process"] = clock() - start
import cadre_rules
spent["module"] = cadre_rules.__file__
print(json.dumps(spent))
"""


def _env(src: Path, prefix: Path, plugins: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env["PYTHONPATH"] = str(src)
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    if not plugins:
        env["CADRE_RULES_DISABLE_PLUGINS"] = "1"
    return env


def run(src: Path, data: Path, as_of: str, prefix: Path, plugins: bool) -> dict[str, float]:
    """The CPU seconds of each stage in one child process, and of the whole process (user + system, from the
    children's resource usage before and after it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(data), as_of], env=_env(src, prefix, plugins),
                          capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"bench_fixed: the child failed on {data}:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if not str(result.pop("module")).startswith(str(src)):
        sys.exit(f"bench_fixed: {src}: another cadre_rules was imported (installed editable elsewhere?)")
    result["process"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="+", type=Path, help="data directories (officials.* and units.*)")
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="the src folder of another version (PYTHONPATH)")
    parser.add_argument("--plugins", action="store_true", help="load the installed plugins (default: off)")
    args = parser.parse_args()
    trees = {"this": SRC, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    cases = [(tree, data) for data in args.data for tree in trees]
    times: dict[tuple[str, Path], list[dict[str, float]]] = {c: [] for c in cases}
    with tempfile.TemporaryDirectory(prefix="cadre-rules-fixed-") as tmp:
        prefixes = {name: Path(tmp) / name for name in trees}
        for tree, data in cases:  # the byte code written first (a run not counted)
            run(trees[tree], data, args.as_of, prefixes[tree], args.plugins)
        for r in range(args.repeat):
            for i in range(len(cases)):
                case = cases[(i + r) % len(cases)]
                times[case].append(run(trees[case[0]], case[1], args.as_of, prefixes[case[0]],
                                                args.plugins))
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}, plugins "
          f"{'on' if args.plugins else 'off'}, as of {args.as_of}; CPU s, min / median of {args.repeat}")
    for data in args.data:
        print(f"\n{data}")
        print(f"{'stage':<14}" + "".join(f"{tree:>18}" for tree in trees))
        for stage in STAGES:
            row = [sorted(run_[stage] for run_ in times[(tree, data)]) for tree in trees]
            print(f"{stage:<14}" + "".join(f"{got[0]:>9.3f} {statistics.median(got):>7.3f}" for got in row))


if __name__ == "__main__":
    main()
