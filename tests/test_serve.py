"""Issue #22: ``cadre-rules serve``, the real server on a free local port (no mocks of the HTTP layer).

Two servers: one with a token, two workers, a small body limit and a small row limit (most tests); one
with one worker and a one-second timeout (a long evaluation cut, a worker killed while evaluating).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx", reason="the serve extra's tests need httpx (pip install -e '.[test,serve]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")

from cadre_rules import load_officials  # noqa: E402
from cadre_rules import load_units  # noqa: E402
from cadre_rules._io import official_to_row  # noqa: E402
from cadre_rules._io import unit_to_row  # noqa: E402

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "hanoi-2025"
TOKEN = "s3cret-token-for-tests"
AS_OF = "2025-12-31"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "server.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cadre_rules", "serve", "--port", str(self.port), *args],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.wait_ready()

    def wait_ready(self, previous: set[int] | None = None) -> list[int]:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                answer = httpx.get(f"{self.url}/readyz", timeout=5)
                body = answer.json()
                if answer.status_code == 200 and (previous is None or set(body["workers"]) != previous):
                    return list(body["workers"])
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the server did not get ready: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _clean(row: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in row.items() if value != ""}


def _document(count: int | None) -> bytes:
    units = load_units(EXAMPLE / "units.csv")
    officials = load_officials(EXAMPLE / "officials.csv", units={u.code: u for u in units})
    chosen = officials if count is None else officials[:count]
    return json.dumps({"officials": [_clean(official_to_row(o)) for o in chosen],
                       "units": [_clean(unit_to_row(u)) for u in units]}, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def small() -> bytes:
    return _document(200)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    token_file = tmp / "token"
    token_file.write_text(TOKEN + "\n")
    running = Server(tmp, "--workers", "2", "--token-file", str(token_file), "--max-body", "2",
                     "--timeout", "120", env={"CADRE_RULES_MAX_ROWS": "1000"})
    yield running
    running.stop()
    log = running.log.read_text()
    assert "Nguyễn" not in log and "Traceback" not in log  # no personal data, no traceback in the log


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _post(server: Server, body: bytes, query: str = f"as_of={AS_OF}", **headers: str) -> Any:
    return httpx.post(f"{server.url}/v1/evaluate?{query}", content=body,
                      headers={**AUTH, "Content-Type": "application/json", **headers}, timeout=120)


def _cli(*args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run([sys.executable, "-m", "cadre_rules", "evaluate", *args, "--as-of", AS_OF, "--format",
                             "json", "--fail-on", "never", "-q"], input=stdin, capture_output=True, check=True)
    return result.stdout


def test_json_report_is_the_clis_byte_for_byte(server: Server, small: bytes) -> None:
    answer = _post(server, small)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == _cli("-", stdin=small)
    assert json.loads(answer.content)["input"]["sha256"] == hashlib.sha256(small).hexdigest()


def test_uploaded_csv_files_give_the_clis_report(server: Server, tmp_path: Path) -> None:
    units = load_units(EXAMPLE / "units.csv")
    officials = load_officials(EXAMPLE / "officials.csv", units={u.code: u for u in units})[:300]
    import csv

    for name, rows in (("officials", [official_to_row(o) for o in officials]),
                       ("units", [unit_to_row(u) for u in units])):
        with (tmp_path / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    files = {name: (f"{name}.csv", (tmp_path / f"{name}.csv").read_bytes(), "text/csv")
             for name in ("officials", "units")}
    answer = httpx.post(f"{server.url}/v1/evaluate?as_of={AS_OF}", files=files, headers=AUTH, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.content == _cli(str(tmp_path))
    csv_answer = httpx.post(f"{server.url}/v1/evaluate?as_of={AS_OF}&format=csv", files=files, headers=AUTH,
                            timeout=120)
    assert csv_answer.status_code == 200
    assert csv_answer.headers["content-disposition"] == 'attachment; filename="report.csv"'
    cli_csv = subprocess.run([sys.executable, "-m", "cadre_rules", "evaluate", str(tmp_path), "--as-of", AS_OF,
                              "--format", "csv", "--fail-on", "never", "-q"], capture_output=True, check=True)
    assert csv_answer.content == cli_csv.stdout


@pytest.mark.parametrize(("body", "headers", "query", "status", "located"), [
    (b'{"officials": [', {}, f"as_of={AS_OF}", 422, "invalid JSON"),
    (b'{"officials": [], "units": [], "nope": 1}', {}, f"as_of={AS_OF}", 422, "/nope"),
    (b'{"officials": [{"id": "A1", "gender": "nu x"}], "units": []}', {}, f"as_of={AS_OF}", 422,
     "/officials/0/gender"),
    (b"id,full_name\n", {"Content-Type": "text/csv"}, f"as_of={AS_OF}", 415, "content type"),
    (b"{}", {}, "as_of=31/13/2025", 400, "as_of"),
    (b"{}", {}, f"as_of={AS_OF}&colour=red", 400, "colour"),
    (b"{}", {}, f"as_of={AS_OF}&format=docx", 400, "docx"),
    (b'{"officials": [], "units": []}', {}, f"as_of={AS_OF}&pack=no-such-pack", 422, "no-such-pack"),
])
def test_bad_input_gets_its_status_and_located_message(server: Server, body: bytes, headers: dict[str, str],
                                                       query: str, status: int, located: str) -> None:
    answer = _post(server, body, query, **headers)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status and problem["type"].startswith("urn:cadre-rules:problem:")
    assert located in json.dumps(problem, ensure_ascii=False)


def test_the_located_problems_are_the_clis(server: Server) -> None:
    body = b'{"officials": [{"id": "A1", "gender": "nu x"}], "units": []}'
    problem = _post(server, body).json()
    cli = subprocess.run([sys.executable, "-m", "cadre_rules", "evaluate", "-", "--as-of", AS_OF], input=body, check=False,
                         capture_output=True)
    assert cli.returncode == 2
    for item in problem["problems"]:
        assert f"{item['column']}: {item['reason']}" in cli.stderr.decode()


def test_problems_in_the_requests_language(server: Server) -> None:
    body = b'{"officials": [{"id": "A1"}], "units": []}'
    assert _post(server, body, **{"Accept-Language": "vi-VN,vi;q=0.9"}).json()["title"] == "Dữ liệu đầu vào có lỗi"
    assert _post(server, body, **{"Accept-Language": "en-GB"}).json()["title"] == "The input data has problems"


def test_limits(server: Server) -> None:
    too_big = _post(server, b" " * (3 << 20))
    assert too_big.status_code == 413 and "--max-body" in too_big.json()["detail"]
    many = _document(1001)
    assert len(many) < 2 << 20
    refused = _post(server, many)
    assert refused.status_code == 422 and "MAX_ROWS" in refused.text


def test_token_is_enforced_but_not_on_health(server: Server) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        for path in ("/v1/packs", "/metrics", "/docs"):
            answer = httpx.get(f"{server.url}{path}", headers=headers)
            assert answer.status_code == 401, path
            assert answer.headers["www-authenticate"] == "Bearer"
        assert httpx.post(f"{server.url}/v1/evaluate", headers=headers, content=b"{}").status_code == 401
    assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert httpx.get(f"{server.url}/readyz").status_code == 200


def test_packs_metrics_and_docs(server: Server) -> None:
    listed = httpx.get(f"{server.url}/v1/packs", headers=AUTH, params={"as_of": AS_OF}).json()
    refs = {pack["ref"] for pack in listed}
    assert "hanoi-de-an-34@2025.07" in refs and "hanoi-de-an-34@2023.11.2" not in refs
    every = {pack["ref"] for pack in httpx.get(f"{server.url}/v1/packs", headers=AUTH).json()}
    assert "hanoi-de-an-34@2023.11.2" in every
    pack = httpx.get(f"{server.url}/v1/packs/hanoi-de-an-34", headers=AUTH).json()
    assert [v["version"] for v in pack["versions"]][-1] == "2025.07" and pack["versions"][0]["rules"]
    assert httpx.get(f"{server.url}/v1/packs/nope", headers=AUTH).status_code == 404
    metrics = httpx.get(f"{server.url}/metrics", headers=AUTH).text
    assert 'cadre_rules_requests_total{route="/v1/packs",method="GET",status="200"}' in metrics
    assert 'cadre_rules_request_duration_seconds_bucket{route="/v1/packs",le="+Inf"}' in metrics
    assert "cadre_rules_in_flight_requests 1" in metrics  # (this request)
    docs = httpx.get(f"{server.url}/docs", headers=AUTH).json()
    assert docs["openapi"].startswith("3.1") and "/v1/evaluate" in docs["paths"]


def test_a_killed_idle_worker_is_replaced(server: Server, small: bytes) -> None:
    before = server.wait_ready()
    os.kill(before[0], signal.SIGKILL)
    after = server.wait_ready(set(before))
    assert len(after) == 2 and before[0] not in after
    assert _post(server, small).status_code == 200


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # a request for the city "Chậm" waits 30 s in its worker (a test hook): past --timeout on any machine
    running = Server(tmp_path_factory.mktemp("strict"), "--workers", "1", "--timeout", "1",
                     env={"CADRE_RULES_TEST_WORKER_PAUSE": "Chậm:30"})
    yield running
    running.stop()


def test_a_long_evaluation_is_cut_at_the_timeout_and_the_next_succeeds(strict: Server) -> None:
    whole = _document(None)
    before = strict.wait_ready()
    answer = httpx.post(f"{strict.url}/v1/evaluate?as_of={AS_OF}&city=Chậm", content=whole,
                        headers={"Content-Type": "application/json"}, timeout=120)
    assert answer.status_code == 504, answer.text
    assert "--timeout 1 s" in answer.json()["detail"]
    strict.wait_ready(set(before))
    small = b'{"officials": [], "units": [{"code": "U1", "name": "X", "kind": "commune", "class": 1}]}'
    assert httpx.post(f"{strict.url}/v1/evaluate?as_of={AS_OF}", content=small,
                      headers={"Content-Type": "application/json"}, timeout=60).status_code == 200


def test_a_worker_killed_while_evaluating_fails_its_request_with_500(strict: Server) -> None:
    (pid,) = strict.wait_ready()
    whole = _document(None)
    answers: list[Any] = []
    thread = threading.Thread(target=lambda: answers.append(httpx.post(  # (Chậm: still evaluating when killed)
        f"{strict.url}/v1/evaluate?as_of={AS_OF}&city=Chậm", content=whole, headers={"Content-Type": "application/json"},
        timeout=120)))
    thread.start()
    deadline = time.monotonic() + 30
    while httpx.get(f"{strict.url}/readyz").json()["busy"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    thread.join(60)
    (answer,) = answers
    assert answer.status_code == 500
    assert "killed by SIGKILL" in answer.json()["detail"]
    strict.wait_ready({pid})
    assert httpx.get(f"{strict.url}/healthz").status_code == 200
