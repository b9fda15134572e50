"""The CSV reader's table against a columnar library's, import included (a script, not a test; issue #17).

    python bench/bench_columnar.py DATA [DATA…] [--rounds 3] [--readers cadre-rules,pyarrow,polars]

What is compared is the first step of reading ``DATA/officials.csv``: the file's text per row and column, each
column's distinct texts one object each (what ``io/_tables.py`` hands to the parsing of columns: a CSV is
decoded, split and pooled). Each reader runs in a fresh process, the readers alternating within a round; the
CPU seconds (``time.process_time``: the machine is shared, walls lie) of importing the library **and** making
the table are reported, best of the rounds, with the peak RSS of the process:

- ``cadre-rules``: ``io._tables._read_table`` (its own modules are imported by every job anyway: not counted);
- ``pyarrow``: ``pyarrow.csv.read_csv`` (every column as text, no quoting, one thread), each column
  ``dictionary_encode()``-d (its distinct texts and a code per row, made in C), the texts per row looked up by
  code;
- ``polars``: ``polars.read_csv`` (every column as text, no quoting; ``POLARS_MAX_THREADS=1``), each column's
  ``to_list()`` pooled as ``cadre-rules`` pools its cells.

A library that is not installed is skipped (neither is a dependency of cadre-rules: this measures whether one
should be). Every reader's table is checked to hold the same texts as ``cadre-rules``'s (outside the time).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

#: What one process runs: import, read the table timed (CPU), then a digest of its texts (not timed).
CHILD = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
reader, path = sys.argv[1], sys.argv[2]
if reader == "cadre-rules":
    from cadre_rules.io._tables import _OFFICIALS, _Problems, _read_table
start = time.process_time()
if reader == "cadre-rules":
    table = _read_table(path, _OFFICIALS, _Problems(path))
    columns = [list(texts) for texts in table.columns.values()]
elif reader == "pyarrow":
    import pyarrow as pa
    import pyarrow.csv as pcsv
    with open(path, encoding="utf-8-sig") as handle:
        width = handle.readline().count(",") + 1
    names = [f"c{i}" for i in range(width)]
    read = pcsv.read_csv(path, read_options=pcsv.ReadOptions(use_threads=False, skip_rows=1, column_names=names),
                         parse_options=pcsv.ParseOptions(quote_char=False),
                         convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                             strings_can_be_null=False))
    columns = []
    for column in read.columns:
        coded = column.combine_chunks().dictionary_encode()
        distinct = coded.dictionary.to_pylist()
        columns.append(list(map(distinct.__getitem__, coded.indices.to_pylist())))
else:
    import polars as pl
    frame = pl.read_csv(path, has_header=False, skip_rows=1, infer_schema=False, quote_char=None)
    columns = []
    for name in frame.columns:
        cells = frame[name].fill_null("").to_list()
        pool = {}
        columns.append(list(map(pool.setdefault, cells, cells)))
cpu = time.process_time() - start
digest = hashlib.sha256("\x1e".join("\x1f".join(texts) for texts in columns).encode()).hexdigest()
print(json.dumps({"cpu": cpu, "rows": len(columns[0]) if columns else 0, "digest": digest,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""

READERS = ("cadre-rules", "pyarrow", "polars")


def _installed(reader: str) -> bool:
    if reader == "cadre-rules":
        return True
    found = subprocess.run([sys.executable, "-c", f"import {reader}"], capture_output=True, check=False)
    return found.returncode == 0


def _run(reader: str, path: Path) -> dict[str, object]:
    env = dict(os.environ, POLARS_MAX_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, reader, str(path)], env=env, check=True, capture_output=True,
                         text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", default=",".join(READERS))
    args = parser.parse_args()
    readers = [r for r in args.readers.split(",") if r]
    unknown = sorted(set(readers) - set(READERS))
    if unknown:
        raise SystemExit(f"unknown readers: {', '.join(unknown)} (known: {', '.join(READERS)})")
    for reader in readers:
        if not _installed(reader):
            print(f"{reader}: not installed, skipped")
    readers = [r for r in readers if _installed(r)]
    for data in args.data:
        path = data / "officials.csv"
        runs: dict[str, list[dict[str, object]]] = {r: [] for r in readers}
        for _ in range(args.rounds):
            for reader in readers:
                runs[reader].append(_run(reader, path))
        digests = {str(run["digest"]) for results in runs.values() for run in results}
        rows = runs[readers[0]][0]["rows"] if readers else 0
        print(f"{path} ({rows:,} rows; {'the same texts' if len(digests) == 1 else 'TEXTS DIFFER'}"
              f" from every reader)")
        first = min(float(run["cpu"]) for run in runs[readers[0]]) if readers else 0.0  # type: ignore[arg-type]
        for reader in readers:
            cpus = [float(run["cpu"]) for run in runs[reader]]  # type: ignore[arg-type]
            peak = max(int(run["rss_mb"]) for run in runs[reader])  # type: ignore[call-overload]
            print(f"  {reader:12s} best {min(cpus):.3f} s CPU, import included ({' '.join(f'{c:.3f}' for c in cpus)})"
                  f"  peak {peak} MB  {first / min(cpus):.2f}x the first")


if __name__ == "__main__":
    main()
