"""Benchmark of the readers: ``load_officials`` on CSV, JSON and JSONL (a script, not a test).

    python bench/bench_read.py [--rows 100000] [--repeat 3] [--xlsx-rows 11473] [--formats csv,json]
    python bench/bench_read.py --data DIR [DIR …] [--repeat 3]

The officials of the Hanoi 2022 sample (11,473) are repeated with fresh ids up to ``--rows`` and written
in each format to a temporary folder (not measured); then each file is read ``--repeat`` times in this
process and the best CPU time (user + sys of the process: the machine is shared, walls lie), the best and
median wall times are printed, with rows per second. With ``--data``, each folder's ``units.*`` and
``officials.*`` are read as ``Engine.read`` reads them (the units, then the officials with their units),
e.g. the folders ``bench_job.py`` and the peer bench generate. Run it twice, once with ``PYTHONPATH``
pointing to another checkout's ``src``, to compare two versions of the readers (alternate the runs).
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cadre_rules
from cadre_rules import load_officials
from cadre_rules import load_units

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hanoi-2022" / "officials.csv"


def _rows(count: int) -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        base = list(reader)
        header = list(reader.fieldnames or [])
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        row["id"] = f"{row['id']}-{i // len(base)}"
        rows.append(row)
    return header, rows


def _write(folder: Path, header: list[str], rows: list[dict[str, str]], xlsx_rows: int) -> dict[str, Path]:
    paths = {fmt: folder / f"officials.{fmt}" for fmt in ("csv", "json", "jsonl", "xlsx")}
    with paths["csv"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    paths["json"].write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    paths["jsonl"].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    import openpyxl  # noqa: PLC0415 - only this format needs it

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in rows[:xlsx_rows]:
        sheet.append([row[c] for c in header])
    book.save(paths["xlsx"])
    return paths


def _read_folder(folder: Path) -> int:
    """Read a data folder as ``Engine.read`` does: the units, then the officials with their units."""
    units = load_units(next(folder.glob("units.*")))
    return len(load_officials(next(folder.glob("officials.*")), units={u.code: u for u in units}))


def _time(name: str, read: Callable[[], int], repeat: int) -> None:
    cpus, walls = [], []
    count = 0
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        count = read()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    best = min(walls)
    print(f"{name:<28} {count:>8} {min(cpus):>10.3f} {best:>8.3f} {statistics.median(walls):>9.3f} "
          f"{count / best:>9,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=11_473)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,json,jsonl,xlsx", help="comma-separated (default: all four)")
    parser.add_argument("--data", nargs="+", type=Path, help="data folders to read instead (units.*, officials.*)")
    args = parser.parse_args()
    print(f"cadre_rules from {Path(cadre_rules.__file__).parent}")
    print(f"{'read':<28} {'rows':>8} {'best cpu s':>10} {'best s':>8} {'median s':>9} {'rows/s':>9}")
    if args.data:
        for folder in args.data:
            _time(folder.name[:28], functools.partial(_read_folder, folder), args.repeat)
        return
    header, rows = _rows(args.rows)
    with tempfile.TemporaryDirectory() as name:
        paths = _write(Path(name), header, rows, args.xlsx_rows)
        for fmt in args.formats.split(","):
            _time(fmt, functools.partial(lambda path: len(load_officials(path)), paths[fmt]), args.repeat)


if __name__ == "__main__":
    main()
