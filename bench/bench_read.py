"""Benchmark of the readers: ``load_officials`` on CSV, JSON and JSONL (a script, not a test).

    python bench/bench_read.py [--rows 100000] [--repeat 3] [--xlsx-rows 11473] [--formats csv,json]

The officials of the Hanoi 2022 sample (11,473) are repeated with fresh ids up to ``--rows`` and written
in each format to a temporary folder (not measured); then each file is read ``--repeat`` times in this
process and the best and median wall times are printed, with rows per second. Run it twice, once with
``PYTHONPATH`` pointing to another checkout's ``src``, to compare two versions of the readers.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import tempfile
import time
from pathlib import Path

import cadre_rules
from cadre_rules import load_officials

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=11_473)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,json,jsonl,xlsx", help="comma-separated (default: all four)")
    args = parser.parse_args()
    header, rows = _rows(args.rows)
    print(f"cadre_rules from {Path(cadre_rules.__file__).parent}")
    with tempfile.TemporaryDirectory() as name:
        paths = _write(Path(name), header, rows, args.xlsx_rows)
        print(f"{'format':<6} {'rows':>8} {'best s':>8} {'median s':>9} {'rows/s':>9}")
        for fmt in args.formats.split(","):
            path = paths[fmt]
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                count = len(load_officials(path))
                times.append(time.perf_counter() - started)
            best = min(times)
            print(f"{fmt:<6} {count:>8} {best:>8.3f} {statistics.median(times):>9.3f} {count / best:>9,.0f}")


if __name__ == "__main__":
    main()
