"""The counters of ``cadre-rules serve``, as Prometheus text (exposition format 0.0.4).

Requests by route, method and status; their latency as a histogram; errors by kind; requests in flight;
workers busy and ready; workers replaced. Routes are the route templates (``/v1/packs/{id}``), never the
paths asked for, so that the set of series stays small whatever clients send.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter

__all__ = ["BUCKETS", "Metrics"]

#: The latency histogram's upper bounds, in seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


def _labels(**labels: str) -> str:
    escaped = (f'{k}="{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
               for k, v in labels.items())
    return "{" + ",".join(escaped) + "}"


class Metrics:
    """The service's counters (thread-safe: incremented by the event loop, read by ``/metrics``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.errors: Counter[tuple[str, str]] = Counter()
        self.in_flight = 0
        self._buckets: dict[str, list[int]] = {}
        self._sums: dict[str, float] = {}
        self._counts: Counter[str] = Counter()

    def started(self) -> None:
        with self._lock:
            self.in_flight += 1

    def finished(self, route: str, method: str, status: int, seconds: float, error: str | None) -> None:
        with self._lock:
            self.in_flight -= 1
            self.requests[route, method, status] += 1
            if error is not None:
                self.errors[route, error] += 1
            buckets = self._buckets.setdefault(route, [0] * (len(BUCKETS) + 1))
            buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
            self._sums[route] = self._sums.get(route, 0.0) + seconds
            self._counts[route] += 1

    def text(self, *, workers: int, busy: int, restarts: int) -> str:
        """The exposition text."""
        out: list[str] = []
        with self._lock:
            out += ["# HELP cadre_rules_requests_total HTTP requests answered.",
                    "# TYPE cadre_rules_requests_total counter"]
            for (route, method, status), count in sorted(self.requests.items()):
                out.append(f"cadre_rules_requests_total{_labels(route=route, method=method, status=str(status))} "
                           f"{count}")
            out += ["# HELP cadre_rules_request_duration_seconds Time to answer a request.",
                    "# TYPE cadre_rules_request_duration_seconds histogram"]
            for route in sorted(self._buckets):
                total = 0
                for bound, count in zip((*map(str, BUCKETS), "+Inf"), self._buckets[route], strict=True):
                    total += count
                    out.append(f"cadre_rules_request_duration_seconds_bucket{_labels(route=route, le=bound)} {total}")
                out.append(f"cadre_rules_request_duration_seconds_sum{_labels(route=route)} {self._sums[route]:.6f}")
                out.append(f"cadre_rules_request_duration_seconds_count{_labels(route=route)} {self._counts[route]}")
            out += ["# HELP cadre_rules_errors_total Requests answered with an error, by kind.",
                    "# TYPE cadre_rules_errors_total counter"]
            for (route, kind), count in sorted(self.errors.items()):
                out.append(f"cadre_rules_errors_total{_labels(route=route, kind=kind)} {count}")
            out += ["# HELP cadre_rules_in_flight_requests Requests being answered.",
                    "# TYPE cadre_rules_in_flight_requests gauge", f"cadre_rules_in_flight_requests {self.in_flight}"]
        out += ["# HELP cadre_rules_workers Worker processes ready, by state.", "# TYPE cadre_rules_workers gauge",
                f'cadre_rules_workers{{state="busy"}} {busy}', f'cadre_rules_workers{{state="idle"}} {workers - busy}',
                "# HELP cadre_rules_worker_restarts_total Workers replaced (timed out, crashed or found dead).",
                "# TYPE cadre_rules_worker_restarts_total counter", f"cadre_rules_worker_restarts_total {restarts}"]
        return "\n".join(out) + "\n"
