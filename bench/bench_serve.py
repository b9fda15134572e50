"""``cadre-rules serve`` under load: concurrent clients posting the sample and small requests (issue #22).

Usage::

    python bench/bench_serve.py                          # 8 clients, 60 s, workers = the cores
    python bench/bench_serve.py --clients 8 --seconds 60 --workers 2 --small-every 4
    python bench/bench_serve.py --routes evaluate,explain,project,match   # the small requests on every route

Starts the real server on a free port of 127.0.0.1 (nothing else is contacted), waits until every worker is
ready, then runs ``--clients`` threads for ``--seconds`` (bounded: no request starts after the time is up,
and every request has a timeout). Each client posts, in turn, one request of the whole 11,473-person sample
(``examples/hanoi-2022`` as the JSON input document) and ``--small-every - 1`` requests of 50 officials (the
first 50 of the sample, with their units); all ``as_of=2022-12-31``, ``format=json``. With ``--routes``, the
small requests take the routes named in turn: ``explain`` (the first official), ``project`` (to 2025-12-31,
a step a year), ``match`` (``within=12``), each compared with what its command prints for the same records.

Reports: requests and officials per second, latency p50/p95/p99 per kind, errors (any status but 200, any
transport error; must be 0), the server's peak RSS (the server process and its workers, summed, sampled
every 0.2 s from ``/proc``) and whether every response is byte for byte the report ``cadre-rules evaluate -``
gives for the same input (computed once per input, before the load). A script, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "hanoi-2022"
AS_OF = "2022-12-31"
QUERY = f"as_of={AS_OF}&format=json"
#: The small requests of each route: the query (beyond as_of and format) and the command's arguments (``-``:
#: the JSON document on stdin; ``DIR``: the same records as CSV files in a folder).
ROUTES = {
    "evaluate": ("", ("evaluate", "-", "--fail-on", "never", "-q")),
    "explain": ("&official={first}", ("explain", "-", "--official", "{first}")),
    "project": ("&to=2025-12-31", ("project", "DIR", "--to", "2025-12-31")),
    "match": ("&within=12", ("match", "DIR", "--within", "12")),
}


def _documents(folder: Path) -> tuple[dict[str, tuple[bytes, int]], str]:
    """The two inputs as JSON documents, with their number of officials (the small one also as CSV files in
    ``folder``), and the id of the first official."""
    sys.path.insert(0, str(ROOT / "src"))
    from cadre_rules import load_officials  # noqa: PLC0415
    from cadre_rules import load_units  # noqa: PLC0415
    from cadre_rules.io._io import official_to_row  # noqa: PLC0415
    from cadre_rules.io._io import unit_to_row  # noqa: PLC0415

    units = load_units(SAMPLE / "units.csv")
    officials = load_officials(SAMPLE / "officials.csv", units={u.code: u for u in units})

    def clean(row: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in row.items() if v != ""}

    def document(chosen: tuple[object, ...], unit_codes: set[str] | None) -> bytes:
        return json.dumps({"officials": [clean(official_to_row(o)) for o in chosen],  # type: ignore[arg-type]
                           "units": [clean(unit_to_row(u)) for u in units
                                     if unit_codes is None or u.code in unit_codes]}, ensure_ascii=False).encode()

    small = officials[:50]
    codes = {o.unit for o in small}
    for name, rows in (("officials", [official_to_row(o) for o in small]),
                       ("units", [unit_to_row(u) for u in units if u.code in codes])):
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return ({"sample": (document(officials, None), len(officials)),
             "small": (document(small, codes), len(small))}, small[0].id)


def _cli(route: str, document: bytes, folder: Path, first: str) -> bytes:
    """What the command of ``route`` prints for ``document`` (or the same records in ``folder``)."""
    arguments = [str(folder) if a == "DIR" else a.format(first=first) for a in ROUTES[route][1]]
    result = subprocess.run([sys.executable, "-m", "cadre_rules", *arguments, "--as-of", AS_OF, "--format", "json"],
                            input=document, capture_output=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr.decode())
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tree_rss(pid: int) -> int:
    """RSS in bytes of a process and its children (from /proc)."""
    total = 0
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):  # the workers are started from the server's threads
        with contextlib.suppress(OSError):
            pids += [int(c) for c in (task / "children").read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--small-every", type=int, default=4,
                        help="of each N requests of a client, one is the sample and N-1 are 50 officials")
    parser.add_argument("--timeout", type=float, default=300.0, help="the server's --timeout")
    parser.add_argument("--routes", default="evaluate",
                        help=f"the routes the small requests take in turn, of {', '.join(ROUTES)}")
    args = parser.parse_args()
    routes = args.routes.split(",")
    if not routes or set(routes) - set(ROUTES):
        parser.error(f"--routes: choose from {', '.join(ROUTES)}")

    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    documents, first = _documents(folder)
    small = documents["small"][0]
    # each kind of request: its route and query, its body, its number of officials, what the CLI prints
    kinds = {"sample": ("evaluate", QUERY, *documents["sample"], _cli("evaluate", documents["sample"][0], folder,
                                                                     first))}
    for route in routes:
        kind = "small" if route == "evaluate" else route
        kinds[kind] = (route, QUERY + ROUTES[route][0].format(first=first), small, documents["small"][1],
                       _cli(route, small, folder, first))
    shutil.rmtree(folder, ignore_errors=True)
    small_kinds = [kind for kind in kinds if kind != "sample"]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([sys.executable, "-m", "cadre_rules", "serve", "--port", str(port), "--workers",
                                   str(args.workers), "--timeout", str(args.timeout), "--max-body", "64"],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"the server did not get ready:\n{log.read().decode()}")
                time.sleep(0.2)
            peak = [_tree_rss(server.pid)]
            stop = threading.Event()

            def sample_rss() -> None:
                while not stop.wait(0.2):
                    peak[0] = max(peak[0], _tree_rss(server.pid))

            results: list[tuple[str, float, int, bool]] = []
            lock = threading.Lock()
            end = time.monotonic() + args.seconds

            def client(index: int) -> None:
                with httpx.Client(timeout=args.timeout + 30) as http:
                    turn = small_turn = index  # the clients start at different places of the cycles
                    while time.monotonic() < end:
                        if turn % args.small_every == 0:
                            kind = "sample"
                        else:
                            kind = small_kinds[small_turn % len(small_kinds)]
                            small_turn += 1
                        turn += 1
                        route, query, body, _, expected = kinds[kind]
                        started = time.perf_counter()
                        try:
                            answer = http.post(f"{url}/v1/{route}?{query}", content=body,
                                               headers={"Content-Type": "application/json"})
                            status, same = answer.status_code, answer.content == expected
                        except httpx.HTTPError:
                            status, same = 0, False
                        with lock:
                            results.append((kind, time.perf_counter() - started, status, same))

            watcher = threading.Thread(target=sample_rss, daemon=True)
            watcher.start()
            started = time.monotonic()
            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            stop.set()
            metrics = httpx.get(f"{url}/metrics", timeout=10).text
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)

    errors = sum(1 for _, _, status, _ in results if status != 200)
    different = sum(1 for _, _, status, same in results if status == 200 and not same)
    officials = sum(kinds[kind][3] for kind, _, status, _ in results if status == 200)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.clients} clients, {elapsed:.1f} s, {args.workers} workers, 1 sample request in {args.small_every}")
    print(f"requests: {len(results)} ({len(results) / elapsed:.2f}/s), officials evaluated: {officials} "
          f"({officials / elapsed:,.0f}/s)")
    for kind in kinds:
        times = [t for k, t, status, _ in results if k == kind and status == 200]
        if times:
            print(f"  {kind:7} ({kinds[kind][3]:>6} officials): {len(times):4} requests, p50 "
                  f"{_percentile(times, 0.5):.3f} s, p95 {_percentile(times, 0.95):.3f} s, p99 "
                  f"{_percentile(times, 0.99):.3f} s, mean {statistics.fmean(times):.3f} s")
    print(f"errors: {errors}; responses differing from the CLI's output: {different}")
    print(f"server peak RSS (server + workers): {peak[0] / (1 << 20):,.0f} MB")
    restarts = [line for line in metrics.splitlines() if line.startswith("cadre_rules_worker_restarts_total")]
    print(f"{restarts[0] if restarts else 'no restart counter'}")
    if errors or different:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
