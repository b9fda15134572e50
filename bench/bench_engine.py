"""Benchmark of ``Engine.evaluate``: speed and memory on synthetic officials (a script, not a test).

    python bench/bench_engine.py [--sizes 10000,100000,1000000] [--backend durable|reference] [--compare]
                                 [--rules 12] [--full] [--once] [--seed 20240630] [--hash-records] [--json]
    python bench/bench_engine.py --profile 100000 [--backend durable]     # cProfile of one evaluate

Every size runs in a fresh subprocess (the script re-invokes itself with ``--one N``), so that the
peak RSS of a row belongs to that size only. Officials are generated in memory as ``Official``
records (file reading is not measured). See bench/README.md for the meaning of every column.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import os
import pstats
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import cadre_rules
from cadre_rules import Engine
from cadre_rules import Official
from cadre_rules import Report
from cadre_rules import Unit

HERE = Path(__file__).resolve().parent
PACK_12 = HERE / "bench-12-rules.toml"
AS_OF = date(2024, 6, 30)
TARGET = 50_000  # officials/s through Engine.evaluate on durable-rules (durable-notes.md)
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

# -- the pack ------------------------------------------------------------------------------------

#: What --full adds to the 12 per-official rules: unit rules, quotas (with their tallies) and staffing.
FULL_EXTRA = """
[[rule]]
id = "staffing.woman_standing_committee"
family = "staffing"
subject = "unit"
severity = "warning"
when = "count('standing_committee') > 0 and count(\\"standing_committee and gender == 'female'\\") == 0"
message = "Không có nữ trong ban thường vụ"
cite = "Đề án 34"

[[rule]]
id = "staffing.vice_chair_cap"
family = "staffing"
subject = "unit"
when = "(unit_class in [1, 2] and holders('committee_vice_chair') > 2) or (unit_class == 3 and \
holders('committee_vice_chair') > 1)"
message = "{holders('committee_vice_chair')} Phó Chủ tịch UBND"
cite = "NĐ 69/2020"

[[quota]]
id = "quota.young"
population = "is_key"
numerator = "age < young_age"
min_share = 0.10
scopes = ["city", "district", "unit"]
message = "{scope}: {value:.1%} dưới 35 tuổi, cần thêm {needed}"
cite = "Đề án 34"

[[quota]]
id = "quota.women"
population = "is_key"
numerator = "gender == 'female'"
min_share = 0.15
scopes = ["city", "district", "unit"]
message = "{scope}: nữ {value:.1%}"
cite = "Đề án 34"

[[staffing]]
id = "staffing.vacancy"
require = [
  { position = "party_secretary" },
  { position = "deputy_party_secretary" },
  { position = "council_chair", where = "has_council" },
  { position = "council_vice_chair", where = "has_council" },
  { position = "committee_chair" },
  { position = "committee_vice_chair" },
  { position = "front_chair" },
]
message = "Thiếu {vacant}"
cite = "Đề án 34"
"""


def pack_text(rules: int, full: bool) -> str:
    """The benchmark pack with ``rules`` per-official rules (the 12 of bench-12-rules.toml, cycled)."""
    text = PACK_12.read_text(encoding="utf-8")
    head, *blocks = text.split("\n[[rule]]\n")
    chosen = []
    for k in range(rules):
        block = blocks[k % len(blocks)].rstrip("\n") + "\n"
        if k >= len(blocks):  # a copy: same condition, its own id (findings grow with the rules)
            block = re.sub(r'^id = "([^"]+)"', rf'id = "\1.copy{k // len(blocks)}"', block, count=1,
                           flags=re.MULTILINE)
        chosen.append(block)
    out = head.rstrip("\n") + "\n" + "".join("\n[[rule]]\n" + b for b in chosen)
    return out + FULL_EXTRA if full else out


# -- synthetic data ------------------------------------------------------------------------------

KEY = ("party_secretary", "deputy_party_secretary", "council_chair", "council_vice_chair",
       "committee_chair", "committee_vice_chair", "front_chair")
#: The 20 posts of a synthetic unit: 7 key posts, 4 other cán bộ posts, 8 công chức posts, 1 other.
SLOTS = (*KEY, "youth_union_secretary", "women_union_chair", "farmers_union_chair", "veterans_chair",
         "military_commander", "office_statistics", "land_administration", "finance_accounting",
         "justice_civil_status", "culture_social", "committee_vice_chair", "office_statistics", "other")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy", "Thị Lan")
EDUCATION = (("none", 2), ("intermediate", 35), ("college", 25), ("university", 33), ("master", 4), ("doctor", 1))
THEORY_KEY = (("none", 5), ("elementary", 50), ("intermediate", 35), ("advanced", 10))
THEORY_OTHER = (("none", 22), ("elementary", 38), ("intermediate", 35), ("advanced", 5))
RATINGS = (("not_completed", 4), ("completed", 26), ("good", 55), ("excellent", 15))
DISCIPLINE_FORMS = ("reprimand", "warning", "demotion", "dismissal")


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in table], [w for _, w in table])[0]


def _ago(rng: random.Random, months_lo: int, months_hi: int) -> date:
    return AS_OF - timedelta(days=int(rng.uniform(months_lo, months_hi) * 30.44))


def make_units(n_units: int, rng: random.Random) -> list[Unit]:
    units = []
    for u in range(n_units):
        kind = rng.choices(("commune", "ward", "town"), (60, 35, 5))[0]
        units.append(Unit(code=f"U{u:06d}", name=f"Xã {u}", kind=kind, unit_class=rng.choice((1, 2, 2, 3)),
                          district=f"D{u % 30:02d}", has_council=kind != "ward" or rng.random() < 0.3))
    return units


def make_official(i: int, unit: str, rng: random.Random) -> Official:
    position = SLOTS[i % len(SLOTS)]
    if position in KEY and rng.random() < 0.03:
        position = "other"  # a vacancy for the --full staffing rule
    key = position in KEY
    female = position == "women_union_chair" or rng.random() < 0.4
    oldest = 58 if female else 62
    age = rng.randint(oldest - 4, oldest) if rng.random() < 0.15 else rng.randint(24, oldest)
    birth = AS_OF - timedelta(days=int(age * 365.25) + rng.randrange(365))
    concurrent: tuple[str, ...] = ()
    if position == "party_secretary" and rng.random() < 0.3:
        concurrent = ("council_chair",)
    ratings = []
    rating_years = range(2019, 2024)
    if rng.random() < 0.07:  # a run of not_completed ending at the latest year
        run = rng.choice((2, 2, 3))
        ratings = [(y, _pick(rng, RATINGS[1:]) if y < 2024 - run else "not_completed") for y in rating_years]
    else:
        ratings = [(y, _pick(rng, RATINGS)) for y in rating_years if y >= AS_OF.year - age + 22]
    discipline: tuple[tuple[date, str], ...] = ()
    if rng.random() < 0.15:
        discipline = ((_ago(rng, 1, 48), rng.choice(DISCIPLINE_FORMS)),)
    share = None
    if key or rng.random() < 0.3:
        share = Fraction(rng.randrange(67, 101) if rng.random() < 0.15 else rng.randrange(0, 40), 100)
    general = None
    if rng.random() < 0.75:
        general = "lower_secondary" if rng.random() < 0.33 else "upper_secondary"
    return Official(
        id=f"O{i:07d}",
        full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        gender="female" if female else "male",
        birth_date=birth,
        unit=unit,
        position=position,
        education=_pick(rng, EDUCATION),
        political_theory=_pick(rng, THEORY_KEY if key else THEORY_OTHER),
        concurrent_positions=concurrent,
        standing_committee=key and rng.random() < 0.8,
        general_education=general,
        appointed_on=_ago(rng, 0, min(240, (age - 22) * 12)),
        in_planning=rng.random() < (0.55 if age < 50 else 0.1),
        ratings=tuple(ratings),
        discipline=discipline,
        low_confidence_share=share,
        under_investigation=rng.random() < 0.02,
        secondment_since=_ago(rng, 1, 72) if rng.random() < 0.15 else None,
        is_local=rng.random() < 0.7,
    )


def make_data(n: int, seed: int) -> tuple[list[Official], list[Unit]]:
    """``n`` officials over ``ceil(n / 20)`` units, deterministic for a seed."""
    rng = random.Random(seed)
    units = make_units(max(1, -(-n // len(SLOTS))), rng)
    officials = [make_official(i, units[i // len(SLOTS)].code, rng) for i in range(n)]
    return officials, units


# -- memory --------------------------------------------------------------------------------------

def rss_kib() -> int:
    """Current resident set size in KiB (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except OSError:
        return peak_kib()


def peak_kib() -> int:
    """Peak resident set size in KiB (``ru_maxrss``: KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> bool:
    """Reset the kernel's RSS high-water mark (Linux >= 4.0), so the next peak is the evaluate's."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def hwm_kib() -> int:
    """The RSS high-water mark (VmHWM) since the last reset, in KiB, or the process peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return peak_kib()


class GcTimer:
    """Time spent in the cyclic garbage collector (``gc.callbacks``) while active."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections[info["generation"]] += 1

    def __enter__(self) -> GcTimer:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def settle() -> int:
    gc.collect()
    return rss_kib()


# -- one size in this process --------------------------------------------------------------------

def findings_digest(report: Report) -> str:
    digest = hashlib.sha256()
    for f in report.findings:
        digest.update(f"{f.rule}|{f.subject_id}|{f.severity}|{f.message}\n".encode())
    for m in report.metrics:
        digest.update(f"{m.id}|{m.scope_id}|{m.numerator}/{m.denominator}|{m.met}\n".encode())
    return digest.hexdigest()[:12]


def write_pack(args: argparse.Namespace, tmp: str) -> Path:
    path = Path(tmp) / f"bench-{args.rules}-rules{'-full' if args.full else ''}.toml"
    path.write_text(pack_text(args.rules, args.full), encoding="utf-8")
    return path


#: ``--backend`` choices: durable-rules (with its memo of matches per combination of classes of
#: values), durable-rules asserting every fact (``memo=False``), the reference evaluator.
BACKENDS = ("durable", "durable-every-fact", "reference")


def make_engine(args: argparse.Namespace, tmp: str) -> Engine:
    name = "durable" if args.backend.startswith("durable") else "reference"
    engine = Engine(packs=[write_pack(args, tmp)], backend=name, timeout=None)
    if args.backend == "durable-every-fact":
        from cadre_rules.engine._durable import DurableBackend  # noqa: PLC0415 - a private switch, for measuring

        engine.backend = DurableBackend(memo=False)
    return engine


def run_one(args: argparse.Namespace, n: int) -> dict[str, Any]:
    rss_start = rss_kib()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args, tmp)
    officials, units = make_data(n, args.seed)
    sha = None if args.hash_records else "0" * 64
    # Warm-up on one unit: registers the ruleset, imports and caches once, outside the measure.
    engine.evaluate(officials[: len(SLOTS)], units[:1], AS_OF, input_sha256=sha)

    rss_before = settle()
    reset_ok = reset_peak()
    with GcTimer() as gc_timer:
        c0, t0 = time.process_time(), time.perf_counter()
        report = engine.evaluate(officials, units, AS_OF, input_sha256=sha)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_kib()
    peak_eval = hwm_kib() if reset_ok else peak
    rss_after = rss_kib()
    findings = len(report.findings)
    digest = findings_digest(report)
    del report
    rss_dropped1 = settle()

    # More timed evaluations (--repeat): the machine's speed varies from minute to minute, the median
    # of several is the figure that holds.
    times = [seconds]
    for _ in range(args.repeat - 1):
        t0 = time.perf_counter()
        report = engine.evaluate(officials, units, AS_OF, input_sha256=sha)
        times.append(time.perf_counter() - t0)
        del report
        settle()

    # The same officials a second time: a backend holding memory per official would grow here.
    seconds2 = cpu2 = peak_eval2 = rss_dropped2 = same = None
    if not args.once:
        reset_ok2 = reset_peak()
        c0, t0 = time.process_time(), time.perf_counter()
        report = engine.evaluate(officials, units, AS_OF, input_sha256=sha)
        seconds2, cpu2 = time.perf_counter() - t0, time.process_time() - c0
        peak_eval2 = hwm_kib() if reset_ok2 else peak_kib()
        same = findings_digest(report) == digest
        del report
        rss_dropped2 = settle()

    held = max(peak_eval - rss_before, 0) * 1024
    return {
        "n": n, "units": len(units), "backend": args.backend, "rules": args.rules, "full": args.full,
        "seconds": seconds, "cpu": cpu, "times": times, "median": statistics.median(times), "best": min(times),
        "gc": gc_timer.seconds, "gc_collections": gc_timer.collections,
        "seconds2": seconds2, "cpu2": cpu2, "findings": findings, "digest": digest, "repeatable": same,
        "rss_start_kib": rss_start, "rss_before_kib": rss_before, "rss_after_kib": rss_after,
        "peak_kib": peak, "peak_eval_kib": peak_eval, "peak_eval2_kib": peak_eval2,
        "rss_dropped1_kib": rss_dropped1, "rss_dropped2_kib": rss_dropped2,
        "bytes_per_official": held / n, "bytes_per_finding": held / findings if findings else None,
    }


def run_profile(args: argparse.Namespace, n: int, top: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args, tmp)
    officials, units = make_data(n, args.seed)
    sha = None if args.hash_records else "0" * 64
    engine.evaluate(officials[: len(SLOTS)], units[:1], AS_OF, input_sha256=sha)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    report = engine.evaluate(officials, units, AS_OF, input_sha256=sha)
    profiler.disable()
    wall = time.perf_counter() - t0
    print(f"# cProfile of Engine.evaluate, {n:,} officials, backend {args.backend}, {args.rules} rules"
          f"{' (full)' if args.full else ''}: {wall:.2f} s under the profiler, {len(report.findings):,} findings")
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, calls, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((tt, ct, calls, f"{Path(file).name}:{line}({func})"))
    for title, col in (("own time (tottime)", 0), ("cumulative time (cumtime)", 1)):
        print(f"\n## top {top} by {title}; total {total:.2f} s")
        print("| function | calls | tottime s | own % | cumtime s | cum % |")
        print("|---|---:|---:|---:|---:|---:|")
        for tt, ct, calls, name in sorted(rows, key=lambda r: r[col], reverse=True)[:top]:
            print(f"| `{name}` | {calls:,} | {tt:.3f} | {100 * tt / total:.1f} | {ct:.3f} | {100 * ct / total:.1f} |")
    if args.profile_out:
        stats.dump_stats(args.profile_out)
        print(f"\nraw profile: {args.profile_out} (python -m pstats {args.profile_out})")


# -- the driver ----------------------------------------------------------------------------------

def source_stamp() -> str:
    """When the package's newest source file was last changed (ties the numbers to a code snapshot)."""
    newest = max((p.stat().st_mtime for p in Path(cadre_rules.__file__).parent.rglob("*.py")), default=0.0)
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(newest))


def child(args: argparse.Namespace, n: int, backend: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--backend", backend,
           "--rules", str(args.rules), "--seed", str(args.seed)]
    if args.full:
        cmd.append("--full")
    if args.hash_records:
        cmd.append("--hash-records")
    if args.once:
        cmd.append("--once")
    cmd += ["--repeat", str(args.repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"size {n} ({backend}) failed:\n{done.stderr}")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def mb(kib: float) -> str:
    return f"{kib / 1024:.1f}"


COLUMNS = ("size", "backend", "seconds", "CPU s", "GC s", "officials/s", "officials/CPU-s", "median officials/s",
           "best officials/s", "findings",
           "findings/official", "RSS before MB", "peak RSS MB", "RSS growth MB", "2nd-run s", "2nd-run growth MB",
           "bytes/official", "bytes/finding")


def table(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("| " + " | ".join(COLUMNS) + " |\n")
    out.write("|" + "|".join("---" if c == "backend" else "---:" for c in COLUMNS) + "|\n")
    for r in rows:
        n, seconds, findings = r["n"], r["seconds"], r["findings"]
        per_finding = "–" if r["bytes_per_finding"] is None else f"{r['bytes_per_finding']:,.0f}"
        cells = (
            f"{n:,}", r["backend"], f"{seconds:.3f}", f"{r['cpu']:.3f}", f"{r['gc']:.3f}", f"{n / seconds:,.0f}",
            f"{n / r['cpu']:,.0f}", f"{n / r['median']:,.0f} ({len(r['times'])})", f"{n / r['best']:,.0f}",
            f"{findings:,}", f"{findings / n:.2f}", mb(r["rss_before_kib"]),
            mb(r["peak_eval_kib"]), mb(r["rss_after_kib"] - r["rss_before_kib"]),
            "–" if r["seconds2"] is None else f"{r['seconds2']:.3f}",
            "–" if r["rss_dropped2_kib"] is None else mb(r["rss_dropped2_kib"] - r["rss_dropped1_kib"]),
            f"{r['bytes_per_official']:,.0f}", per_finding,
        )
        out.write("| " + " | ".join(cells) + " |\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of officials")
    parser.add_argument("--backend", choices=BACKENDS, default="durable",
                        help="durable-every-fact: durable-rules without its memo, every fact asserted")
    parser.add_argument("--compare", action="store_true", help="run every backend, in the order of --backend")
    parser.add_argument("--rules", type=int, default=12, help="per-official rules (the 12 of the pack, cycled)")
    parser.add_argument("--full", action="store_true", help="add unit rules, quotas and staffing to the pack")
    parser.add_argument("--seed", type=int, default=20240630)
    parser.add_argument("--hash-records", action="store_true",
                        help="let Engine.evaluate hash the records (default: pass input_sha256, as the CLI "
                             "does with the input files' digest)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="time K evaluations per size; the target is checked on their median")
    parser.add_argument("--once", action="store_true",
                        help="evaluate once per size (skip the second, memory-growth run: halves the time)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile one evaluate of N officials")
    parser.add_argument("--profile-top", type=int, default=25)
    parser.add_argument("--profile-out", help="also write the raw cProfile stats here")
    parser.add_argument("--json", action="store_true", help="also print the raw measurements as JSON lines")
    args = parser.parse_args(argv)
    if args.rules < 1:
        parser.error("--rules must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if args.one is not None:
        print(json.dumps(run_one(args, args.one)))
        return
    if args.profile is not None:
        run_profile(args, args.profile, args.profile_top)
        return

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    backends = list(BACKENDS) if args.compare else [args.backend]
    rows: list[dict[str, Any]] = []
    for n in sizes:
        for backend in backends:
            row = child(args, n, backend)
            rows.append(row)
            print(f"  {n:>9,} {backend:<9} {row['seconds']:7.2f} s  "
                  f"{n / row['seconds']:>10,.0f} officials/s  {row['findings']:,} findings",
                  file=sys.stderr, flush=True)
    pack = f"{args.rules} per-official rules" + (" + unit rules, 2 quotas, 1 staffing (--full)" if args.full else "")
    print(f"Engine.evaluate, {pack}, as of {AS_OF}, seed {args.seed}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, cadre_rules sources as of {source_stamp()}\n")
    print(table(rows))
    if args.compare:
        for n in sizes:
            digests = {str(r["digest"]) for r in rows if r["n"] == n}
            same = "identical" if len(digests) == 1 else "DIFFER"
            print(f"- {n:,}: the backends' findings (rule, subject, severity, message) and metrics: {same}")
    if any(r["repeatable"] is False for r in rows):
        print("- WARNING: a second evaluate of the same officials gave different findings")
    durable = [r for r in rows if r["backend"] == "durable"]
    if durable:
        rates = ", ".join(f"{r['n']:,}: {r['n'] / r['median']:,.0f}/s wall (median of {len(r['times'])}), "
                          f"{r['n'] / r['cpu']:,.0f}/s CPU (first)" for r in durable)
        ok = all(r["n"] / r["median"] >= TARGET for r in durable)
        print(f"\nTarget: ≥ {TARGET:,} officials/s through Engine.evaluate on durable-rules — "
              f"{'met' if ok else 'NOT met'} ({rates})")
    if args.json:
        for r in rows:
            print(json.dumps(r))


if __name__ == "__main__":
    main()
