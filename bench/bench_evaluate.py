"""CPU seconds of ``Engine.evaluate`` alone, two checkouts interleaved (a script, not a test).

    python bench/bench_evaluate.py DATA [DATA…] [--as-of 2024-06-30] [--pack ID]… [--rounds 3]
                                   [--source /work/main/src] [--source src] [--plugins] [--records-digest]

For each data folder, each round runs one process per ``--source`` (a checkout's ``src``, put first on
``PYTHONPATH``; the sources alternate within a round, so that the machine's load falls on both alike): the
process reads the data, evaluates once to warm up (rulesets compiled, modules imported), then evaluates again
and reports the CPU seconds of that evaluation (``time.process_time``: on a shared machine the wall time also
counts the other processes). Both evaluations are given the input's digest, as the command line gives it;
with ``--records-digest`` neither is, as an integrator calling the API with records it built, and
``Engine.evaluate`` also hashes the records (``engine/_digest.py``: about 0.09 s at 100,000, 0.55 s before
it). The best of the rounds is printed per source, with the ratio to the first source. Plugins are off
(``CADRE_RULES_DISABLE_PLUGINS=1``) unless ``--plugins``. Without ``--source``, this checkout's ``src`` alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _checkout import run_child

REPO = Path(__file__).resolve().parents[1]

#: What one process runs: read, evaluate once to warm up, evaluate again timed (CPU seconds).
CHILD = """
import json, sys, time
from datetime import date
from pathlib import Path
import cadre_rules
from cadre_rules import Engine
from cadre_rules.io._io import find_data_files
data, as_of, packs = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[4:] or None
engine = Engine(packs, lang="vi")
officials, units = engine.read(*find_data_files(data))
# as the command line does (the files' digest, computed while reading), or none: the records are hashed
digest = None if sys.argv[3] == "records" else "0" * 64
engine.evaluate(officials, units, as_of, input_sha256=digest)
start = time.process_time()
report = engine.evaluate(officials, units, as_of, input_sha256=digest)
cpu = time.process_time() - start
print(json.dumps({"cpu": cpu, "officials": len(officials), "findings": len(report.findings),
                  "module": cadre_rules.__file__}))
"""


def _run(source: Path, data: Path, as_of: str, packs: list[str], plugins: bool, digest: str) -> dict[str, object]:
    return run_child(source, CHILD, [str(data), as_of, digest, *packs], plugins=plugins)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path)
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--pack", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", action="append", type=Path, default=[])
    parser.add_argument("--plugins", action="store_true")
    parser.add_argument("--records-digest", action="store_true", help="give no input digest: the records are hashed")
    args = parser.parse_args()
    sources = [s.resolve() for s in args.source] or [REPO / "src"]
    for data in args.data:
        best: dict[Path, float] = {}
        runs: dict[Path, list[float]] = {s: [] for s in sources}
        facts: dict[str, object] = {}
        for _ in range(args.rounds):
            for source in sources:
                result = _run(source, data, args.as_of, args.pack, args.plugins,
                              "records" if args.records_digest else "given")
                runs[source].append(float(result["cpu"]))  # type: ignore[arg-type]
                facts = result
        for source in sources:
            best[source] = min(runs[source])
        first = best[sources[0]]
        print(f"{data} (as of {args.as_of}; {facts['officials']:,} officials, {facts['findings']:,} findings)")
        for source in sources:
            print(f"  {source!s:40s} best {best[source]:.3f} s CPU  ({' '.join(f'{r:.3f}' for r in runs[source])})"
                  f"  {first / best[source]:.2f}x the first")


if __name__ == "__main__":
    main()
