"""Benchmark of ``cadre-rules match`` against one ``Engine.evaluate`` (issue #20; a script, not a test).

    python bench/bench_match.py [--officials 100000] [--vacant 0.05] [--backend durable|reference] [--repeat 3]

Data: the calibrated Hanoi 2022 sample (``cadre_rules.io._sample.generate``: 11,473 officials, 579 units in
30 districts) copied with new unit codes and ids until ``--officials`` is reached (100,000: 5,040 units),
then ``--vacant`` of the key posts emptied (their holders moved to ``other``). As of 2024-06-30, with the
packs in effect then (Đề án 34, Kế hoạch 188, NĐ 33: match rules in the last two).

Each measurement runs in a fresh subprocess (``--one evaluate|match``): the data are built, the engine
made, then the peak RSS reset (Linux ``/proc/self/clear_refs``) and the call timed:
``evaluate`` = ``Engine.evaluate``; ``match`` = ``match_posts(..., assign=True)`` (which makes its own
evaluate: the whole job). Reported: median seconds (wall clock, and the process's CPU time: on a machine
shared with other jobs the CPU time is the steadier measure), the ratio match ÷ evaluate (target ≤ 3), and
the peak RSS growth of each call over the process's RSS before it (target: match ≤ 2× evaluate).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import attrs

AS_OF = date(2024, 6, 30)


def make_data(n: int, vacant: float, seed: int = 20) -> tuple[list[object], list[object]]:
    from cadre_rules.io._sample import generate  # noqa: PLC0415 - only in the measuring child

    base_officials, base_units = generate()
    officials: list[object] = []
    units: list[object] = []
    copy = 0
    while len(officials) < n:
        for u in base_units:
            units.append(attrs.evolve(u, code=f"{u.code}-{copy}", name=f"{u.name} {copy}"))
        for o in base_officials:
            if len(officials) >= n:
                break
            officials.append(attrs.evolve(o, id=f"{o.id}-{copy}", unit=f"{o.unit}-{copy}"))
        copy += 1
    used = {o.unit for o in officials}  # type: ignore[attr-defined]
    units = [u for u in units if u.code in used]  # type: ignore[attr-defined]
    rng = random.Random(seed)
    keys = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair", "committee_chair",
            "committee_vice_chair", "front_chair")
    for i, o in enumerate(officials):
        if o.position in keys and rng.random() < vacant:  # type: ignore[attr-defined]
            officials[i] = attrs.evolve(o, position="other", concurrent_positions=(), category=None)
    return officials, units


def _hwm_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _hwm_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def one(what: str, n: int, vacant: float, backend: str) -> dict[str, object]:
    from cadre_rules import Engine  # noqa: PLC0415
    from cadre_rules import match_posts  # noqa: PLC0415

    officials, units = make_data(n, vacant)
    engine = Engine(backend=backend, plugins=False)  # type: ignore[arg-type]
    import gc  # noqa: PLC0415

    gc.collect()
    before = _rss_kib()
    _hwm_reset()
    start = time.perf_counter()
    cpu = time.process_time()
    if what == "evaluate":
        report = engine.evaluate(officials, units, AS_OF)  # type: ignore[arg-type]
        info: dict[str, object] = {"findings": len(report.findings)}
    else:
        result = match_posts(engine, officials, units, AS_OF, assign=True)  # type: ignore[arg-type]
        info = {"posts": len(result.posts), "with_candidates": sum(1 for r in result.posts if r.eligible),
                "assigned": len(result.assignment or {}), "metrics": result.metrics}
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {"what": what, "seconds": seconds, "cpu": cpu, "growth_mib": (_hwm_kib() - before) / 1024,
            "officials": len(officials), "units": len(units), **info}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--vacant", type=float, default=0.05)
    parser.add_argument("--backend", default="durable", choices=["durable", "reference", "auto"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=["evaluate", "match"])
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.officials, args.vacant, args.backend)))
        return
    runs: dict[str, list[dict[str, object]]] = {"evaluate": [], "match": []}
    for _ in range(args.repeat):
        for what in ("evaluate", "match"):  # alternating: the machine's load falls on both alike
            out = subprocess.run([sys.executable, __file__, "--one", what, "--officials", str(args.officials),
                                  "--vacant", str(args.vacant), "--backend", args.backend],
                                 check=True, capture_output=True, text=True).stdout
            runs[what].append(json.loads(out))
    ev = statistics.median(float(r["seconds"]) for r in runs["evaluate"])  # type: ignore[arg-type]
    ma = statistics.median(float(r["seconds"]) for r in runs["match"])  # type: ignore[arg-type]
    ev_cpu = statistics.median(float(r["cpu"]) for r in runs["evaluate"])  # type: ignore[arg-type]
    ma_cpu = statistics.median(float(r["cpu"]) for r in runs["match"])  # type: ignore[arg-type]
    ev_mem = statistics.median(float(r["growth_mib"]) for r in runs["evaluate"])  # type: ignore[arg-type]
    ma_mem = statistics.median(float(r["growth_mib"]) for r in runs["match"])  # type: ignore[arg-type]
    last = runs["match"][-1]
    print(f"officials {last['officials']:,}  units {last['units']:,}  backend {args.backend}  repeat {args.repeat}")
    print(f"posts to fill {last['posts']:,}  with candidates {last['with_candidates']:,}  "
          f"assigned {last['assigned']:,}")
    print(f"metrics {last['metrics']}")
    print(f"evaluate  {ev:7.2f} s  CPU {ev_cpu:7.2f} s  peak growth {ev_mem:7.1f} MiB")
    print(f"match     {ma:7.2f} s  CPU {ma_cpu:7.2f} s  peak growth {ma_mem:7.1f} MiB   (--assign, its own evaluate "
          "included)")
    print(f"ratio     {ma / ev:7.2f} x time (target <= 3)   {ma_cpu / ev_cpu:5.2f} x CPU time   "
          f"{ma_mem / ev_mem if ev_mem else float('nan'):5.2f} x memory (target <= 2)")


if __name__ == "__main__":
    main()
