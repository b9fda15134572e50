"""The whole job, as a user runs it: ``cadre-rules evaluate DIR --format F -o FILE`` as whole processes.

Usage::

    python bench/bench_job.py                                   # the 11k sample and 100k, every format
    python bench/bench_job.py --sizes sample,100000,1000000 --formats json,jsonl,csv --repeat 3

For each size (``sample`` is the bundled 11,473-person ``examples/hanoi-2022``; a number N is data generated
by ``../shared/peer-bench/gen.py N --style plain``, cached in ``--cache``):

1. **whole processes**, alternating (the first tool rotates each repetition): ``oracle.py`` (the plain
   single-pass script of the peer bench) and ``cadre-rules evaluate DIR --as-of D --format F -o FILE`` for
   each format: median wall seconds, officials/s, peak RSS (``os.wait4``'s ``ru_maxrss`` of the child) and
   the output's size;
2. **stages** in one child process (the calls the CLI makes, timed with ``time.perf_counter``): import,
   engine (packs compiled), read, hash (the input digest), evaluate (``Engine.evaluate``), then for each
   format render (to memory) and write (to a file);
3. the **ratios** the issue states its targets in: cadre-rules json officials/s ÷ the script's
   (target ≥ 2.5), json whole-process time ÷ ``Engine.evaluate`` alone (target ≤ 1.5), each format's time
   ÷ json's (target ≤ 2), and the read share of the json job.

Installed plugins are disabled (``CADRE_RULES_DISABLE_PLUGINS=1``; ``--plugins`` keeps them), so that cadre-rules
evaluates the oracle's packs. ``--baseline COMMAND`` times another cadre-rules (an older version) in the same
alternation, with ``--format json`` or each of ``--baseline-formats``. A script, not a test: nothing here runs
under pytest. On a shared machine, compare ratios from one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEER = REPO.parent / "shared" / "peer-bench"
SAMPLE = REPO / "examples" / "hanoi-2022"
FORMATS = ("json", "jsonl", "csv", "text", "xlsx", "html", "sarif", "junit")
EXTENSION = {"text": "txt", "junit": "xml"}
AS_OF = "2024-06-30"


def data_dir(size: str, cache: Path, python: str) -> Path:
    """The input of a size: the bundled sample, or generated data (cached)."""
    if size == "sample":
        return SAMPLE
    out = cache / f"n{size}-plain-{AS_OF}"
    if not (out / "units.csv").exists():
        print(f"bench_job: generating {size} officials into {out}", file=sys.stderr)
        subprocess.run([python, str(PEER / "gen.py"), size, "--style", "plain", "--as-of", AS_OF, "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def officials_in(data: Path) -> int:
    with (data / "officials.csv").open("rb") as f:
        return sum(1 for _ in f) - 1


def run(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code > 1:
        sys.exit(f"bench_job: {' '.join(cmd)} exited {code}:\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, code


def whole(size: str, data: Path, formats: list[str], repeat: int, out: Path, cadre: list[str],
          python: str, baseline: list[str] | None, baseline_formats: list[str]) -> dict[str, dict[str, float]]:
    """Median wall, peak RSS and output size of each tool, runs alternating."""
    tools = ["oracle", *formats, *([f"baseline {f}" for f in baseline_formats] if baseline else [])]
    times: dict[str, list[tuple[float, float]]] = {t: [] for t in tools}
    sizes: dict[str, int] = {}
    for r in range(repeat):
        for i in range(len(tools)):
            tool = tools[(i + r) % len(tools)]
            fmt = tool.removeprefix("baseline ")
            target = out / f"{size}.{tool.replace(' ', '-')}.{EXTENSION.get(fmt, fmt)}"
            if tool == "oracle":
                cmd = [python, str(PEER / "oracle.py"), str(data), "--as-of", AS_OF, "-o", str(target)]
            elif tool.startswith("baseline "):
                assert baseline is not None
                cmd = [*baseline, "evaluate", str(data), "--as-of", AS_OF, "--format", fmt, "-o", str(target), "-q"]
            else:
                cmd = [*cadre, "evaluate", str(data), "--as-of", AS_OF, "--format", tool, "-o", str(target), "-q"]
            wall, rss, _ = run(cmd)
            times[tool].append((wall, rss))
            sizes[tool] = target.stat().st_size
            target.unlink()
            print(f"  run {r + 1} {tool:<6} {wall:7.2f} s {rss:7.0f} MB", file=sys.stderr)
    return {t: {"wall": statistics.median(w for w, _ in v), "rss": max(m for _, m in v), "bytes": sizes[t]}
            for t, v in times.items()}


def stages(data: Path, formats: list[str], out: Path) -> dict[str, float]:
    """Run in a child process: the CLI's calls one by one, each timed."""
    clock = time.perf_counter
    t = clock()
    from cadre_rules import _cli  # noqa: PLC0415 - timing the import is the point
    from cadre_rules._io import file_sha256  # noqa: PLC0415
    from cadre_rules._io import find_data_files  # noqa: PLC0415

    timed = {"import": clock() - t}
    from datetime import date  # noqa: PLC0415

    as_of = date.fromisoformat(AS_OF)
    t = clock()
    engine = _cli._engine(packs=None, params={}, backend="auto", city="Hà Nội", lang="vi", plugins=True,
                          strict_plugins=False)
    engine.packs_for(as_of)
    timed["engine"] = clock() - t
    officials_path, units_path = find_data_files(data)
    t = clock()
    officials, units = engine.read(officials_path, units_path)
    timed["read"] = clock() - t
    t = clock()
    digest = file_sha256(officials_path, units_path)
    timed["hash"] = clock() - t
    t = clock()
    report = engine.evaluate(officials, units, as_of, input_sha256=digest)
    timed["evaluate"] = clock() - t
    gc.freeze()  # as the CLI does before rendering
    for fmt in formats:
        renderer = engine.plugins.renderers[fmt]
        t = clock()
        rendered = renderer.render(report, "vi")
        pieces = [rendered] if isinstance(rendered, (str, bytes)) else list(rendered)  # a streamed output drained
        timed[f"render {fmt}"] = clock() - t
        t = clock()
        target = out / f"stage.{EXTENSION.get(fmt, fmt)}"
        with target.open("wb") as handle:
            for piece in pieces:
                handle.write(piece.encode() if isinstance(piece, str) else piece)
        timed[f"write {fmt}"] = clock() - t
        del rendered, pieces
        target.unlink()
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="sample,100000", help="comma-separated: sample and/or numbers")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cadre-rules-bench-job")
    parser.add_argument("--cadre", default=str(Path(sys.executable).with_name("cadre-rules")),
                        help="the cadre-rules command (default: the one beside this Python)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs gen.py and oracle.py")
    parser.add_argument("--baseline", metavar="COMMAND",
                        help="another cadre-rules command (e.g. an older version) timed with --format json too")
    parser.add_argument("--baseline-formats", default="json", help="comma-separated formats run by --baseline")
    parser.add_argument("--plugins", action="store_true",
                        help="let installed plugins add their packs (default: off, the oracle's packs only)")
    parser.add_argument("--json", action="store_true", help="also print the raw measurements")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)  # the child of step 2
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if args.stages_of is not None:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(stages(args.stages_of, formats, Path(tmp))))
        return
    if not args.plugins:  # the children inherit it: the same packs as the oracle
        os.environ["CADRE_RULES_DISABLE_PLUGINS"] = "1"
    args.cache.mkdir(parents=True, exist_ok=True)
    results = {}
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.2f}; cadre-rules: {args.cadre}")
    for size in args.sizes.split(","):
        data = data_dir(size, args.cache, args.python)
        n = officials_in(data)
        with tempfile.TemporaryDirectory() as tmp:
            measured = whole(size, data, formats, args.repeat, Path(tmp), args.cadre.split(), args.python,
                             args.baseline.split() if args.baseline else None,
                             [f for f in args.baseline_formats.split(",") if f])
        child = subprocess.run([sys.executable, __file__, "--stages-of", str(data), "--formats", ",".join(formats)],
                               check=True, capture_output=True, text=True)
        staged = json.loads(child.stdout.strip().splitlines()[-1])
        results[size] = {"officials": n, "whole": measured, "stages": staged}
        report(size, n, measured, staged, formats)
    if args.json:
        print(json.dumps(results, indent=2))


def report(size: str, n: int, measured: dict[str, dict[str, float]], staged: dict[str, float],
           formats: list[str]) -> None:
    print(f"\n## {size}: {n:,} officials (medians of whole processes; peak RSS the largest run)")
    print("| tool | wall s | officials/s | peak RSS MB | output MB | × json time |")
    print("|---|---:|---:|---:|---:|---:|")
    json_wall = measured["json"]["wall"] if "json" in measured else float("nan")
    for tool, m in measured.items():
        name = ("oracle.py (plain script)" if tool == "oracle" else
                f"baseline: evaluate --format {tool[9:]}" if tool.startswith("baseline ") else
                f"evaluate --format {tool}")
        ratio = "" if tool == "oracle" else f"{m['wall'] / json_wall:.2f}"
        print(f"| {name} | {m['wall']:.2f} | {n / m['wall']:,.0f} | {m['rss']:.0f} | {m['bytes'] / 1e6:.1f} "
              f"| {ratio} |")
    print("\nstages (one process, s): " + ", ".join(f"{k} {v:.2f}" for k, v in staged.items()))
    if "json" in measured:
        job = measured["json"]["wall"]
        print(f"ratio cadre-rules json / oracle speed: {measured['oracle']['wall'] / job:.2f}  (target >= 2.5)")
        print(f"ratio json job / Engine.evaluate alone: {job / staged['evaluate']:.2f}  (target <= 1.5)")
        print(f"read share of the json job: {staged['read'] / job:.0%} (read {staged['read']:.2f} s of {job:.2f} s)")
    for tool, before in measured.items():
        if tool.startswith("baseline ") and tool[9:] in measured:
            after = measured[tool[9:]]
            print(f"baseline / this, --format {tool[9:]}: time {before['wall'] / after['wall']:.2f}x, "
                  f"peak RSS {before['rss'] / after['rss']:.2f}x, output {before['bytes'] / after['bytes']:.2f}x")
    slowest = max((t for t in formats if t != "json"), key=lambda t: measured[t]["wall"], default=None)
    if slowest is not None and "json" in measured:
        print(f"slowest other format: {slowest}, {measured[slowest]['wall'] / json_wall:.2f}x json (target <= 2)")


if __name__ == "__main__":
    main()
