"""Benchmark of ``cadre-rules project`` (issue #19): a monthly projection over five years (61 step dates)
against one ``Engine.evaluate`` of the same officials (a script, not a test).

    python bench/bench_project.py [--sizes 10000,100000] [--backend auto|durable|reference] [--step month]
                                  [--years 5] [--repeat 3]

Officials are bench_engine.py's synthetic ones (as of 2024-06-30, in memory; reading is not measured),
evaluated by every built-in pack (installed plugins off), so that the steps cross the 2025-07-01 reform
(the pack versions in force change, districts are dropped). Per size: the median of ``--repeat`` runs of
one ``Engine.evaluate`` on the as-of date, then of ``project`` to as-of + ``--years``; the ratio is the
issue's target (≤ 10). See bench/README.md for results.
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import AS_OF
from bench_engine import make_data

from cadre_rules import Engine
from cadre_rules.jobs._project import project
from cadre_rules.jobs._project import step_dates
from cadre_rules.model._dates import add_months


def _median(runs: int, work: object) -> tuple[float, float]:
    """The median wall and CPU seconds (the CPU time of this process: the machine may be shared)."""
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        work()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backend", default="auto", choices=["auto", "durable", "reference"])
    parser.add_argument("--step", default="month", choices=["month", "quarter", "year"])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240630)
    args = parser.parse_args(argv)
    engine = Engine(backend=args.backend, plugins=False)
    to: date = add_months(AS_OF, 12 * args.years)
    print(f"backend {engine.backend.name}; {AS_OF} → {to} every {args.step}; median of {args.repeat}")
    print("| officials | evaluate s (CPU) | project s (CPU) | steps | project ÷ evaluate, wall | CPU | "
          "per step ÷ evaluate, CPU |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        officials, units = make_data(size, args.seed)
        one = _median(args.repeat, functools.partial(engine.evaluate, officials, units, AS_OF))
        steps = len(step_dates(AS_OF, to, args.step))
        whole = _median(args.repeat, functools.partial(project, engine, officials, units, to, as_of=AS_OF,
                                                       step=args.step))
        print(f"| {size:,} | {one[0]:.2f} ({one[1]:.2f}) | {whole[0]:.2f} ({whole[1]:.2f}) | {steps} | "
              f"{whole[0] / one[0]:.1f} | {whole[1] / one[1]:.1f} | {whole[1] / one[1] / steps:.2f} |", flush=True)


if __name__ == "__main__":
    main()
