"""CPU seconds of building records in code, two checkouts interleaved (a script, not a test).

    python bench/bench_records.py DATA [--rounds 5] [--source /work/main/src] [--source src]

For each round, one process per ``--source`` (a checkout's ``src``, put first on ``PYTHONPATH``; the sources
alternate within a round, so that the machine's load falls on both alike): the process reads the officials and
units of ``DATA`` (a folder as ``cadre-rules evaluate`` takes it), turns each record into its row of values
(``attrs.astuple``: the model's own values, as an integrator holding parsed values passes them), then times
with ``time.process_time`` (on a shared machine the wall time also counts the other processes):

- ``Official(*row)`` for every official and ``Unit(*row)`` for every unit: the constructors' converters, each
  value checked (the integrator's path);
- ``make_records(Official, n, columns)``: the readers' path (the slots set by C loops, no converters);
- ``Official(**row)`` with two wrong values (``gender``, ``education``), for 1,000 rows: the failing case,
  reported per record (every wrong field found: slower by design).

The best of the rounds is printed per source and measure, with the ratio to the first source. Without
``--source``, this checkout's ``src`` alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _checkout import run_child

REPO = Path(__file__).resolve().parents[1]

#: What one process runs: read, make the rows, time each way of building the records (CPU seconds).
CHILD = """
import gc, json, sys, time
from pathlib import Path
import attrs
import cadre_rules
from cadre_rules import Engine, InputError, Official, Unit
from cadre_rules.io._io import find_data_files
from cadre_rules.model._model import make_records
officials, units = Engine(backend="reference").read(*find_data_files(Path(sys.argv[1])))
rows = [attrs.astuple(o, recurse=False) for o in officials]
unit_rows = [attrs.astuple(u, recurse=False) for u in units]
columns = [list(c) for c in zip(*rows)]
names = [f.name for f in attrs.fields(Official)]
wrong = [{**dict(zip(names, row)), "gender": "nu x", "education": "dai hoc x"} for row in rows[:1000]]
gc.disable()
out = {}
start = time.process_time()
made = [Official(*row) for row in rows]
out["Official(*row)"] = time.process_time() - start
assert made == list(officials)
del made
start = time.process_time()
made = [Unit(*row) for row in unit_rows]
out["Unit(*row)"] = time.process_time() - start
del made
start = time.process_time()
made = make_records(Official, len(rows), columns)
out["make_records"] = time.process_time() - start
assert made == list(officials)
del made
start = time.process_time()
problems = 0
for row in wrong:
    try:
        Official(**row)
    except InputError as exc:
        problems += len(exc.problems)
out["wrong, per record (us)"] = (time.process_time() - start) / len(wrong) * 1e6
print(json.dumps({"times": out, "officials": len(rows), "units": len(unit_rows),
                  "problems per wrong record": problems / len(wrong), "module": cadre_rules.__file__}))
"""


def _run(source: Path, data: Path) -> dict[str, object]:
    return run_child(source, CHILD, [str(data)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--source", type=Path, action="append", default=[])
    args = parser.parse_args()
    sources: list[Path] = args.source or [REPO / "src"]
    best: dict[Path, dict[str, float]] = {source: {} for source in sources}
    info: dict[Path, dict[str, object]] = {}
    for round_ in range(args.rounds):
        order = sources if round_ % 2 == 0 else sources[::-1]
        for source in order:
            result = _run(source, args.data)
            info[source] = result
            times = result["times"]
            assert isinstance(times, dict)
            for name, value in times.items():
                best[source][name] = min(best[source].get(name, float("inf")), float(value))
    first = sources[0]
    print(f"{args.data}: {info[first]['officials']:,} officials, {info[first]['units']:,} units; "
          f"best of {args.rounds} rounds, CPU seconds")
    for source in sources:
        cells = [f"{name} {value:.3f}" + (f" ({best[first][name] / value:.2f}×)" if source != first else "")
                 for name, value in best[source].items()]
        print(f"  {source}: " + "; ".join(cells) + f"; problems per wrong record "
              f"{info[source]['problems per wrong record']}")


if __name__ == "__main__":
    main()
