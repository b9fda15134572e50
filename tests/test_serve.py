"""Issue #22: ``cadre-rules serve``, the real server on a free local port (no mocks of the HTTP layer).

Two servers: one with a token, two workers, a small body limit and a small row limit (most tests); one
with one worker and a one-second timeout (a long evaluation cut, a worker killed while evaluating).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

httpx = pytest.importorskip("httpx", reason="the serve extra's tests need httpx (pip install -e '.[test,serve]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")
#: The module's tests on one xdist worker (scripts/test: --dist loadgroup), so that its server starts once.
pytestmark = pytest.mark.xdist_group("test_serve")

from cadre_rules import load_officials  # noqa: E402
from cadre_rules import load_units  # noqa: E402
from cadre_rules.io._io import official_to_row  # noqa: E402
from cadre_rules.io._io import unit_to_row  # noqa: E402
from cadre_rules.packs._registry import KEPT_DIR  # noqa: E402
from cadre_rules.packs._registry import builtin_pack_dir  # noqa: E402
from cadre_rules.packs._registry import kept_versions  # noqa: E402
from cadre_rules.service._app import _QUERY  # noqa: E402 - the query parameters each route accepts
from cadre_rules.service._openapi import openapi  # noqa: E402
from cadre_rules.service._worker import TASKS  # noqa: E402
from cadre_rules.service._worker import Job  # noqa: E402
from cadre_rules.service._worker import Refusal  # noqa: E402
from cadre_rules.service._worker import run_job  # noqa: E402
from conftest import command  # noqa: E402 - the command run in this process

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


def served(tmp: Path, *args: str) -> Iterator[Server]:
    """A server of one worker (and ``args``) for a module's tests; after them, its log names no one (the samples'
    ward "Tương Mai" is in their queries and reports) and holds no traceback."""
    running = Server(tmp, "--workers", "1", "--timeout", "300", *args)
    yield running
    running.stop()
    log = running.log.read_text()
    assert "Tương Mai" not in log and "Traceback" not in log  # no query, no name, no traceback in the log


def as_the_service_names_them(output: bytes) -> bytes:
    """The command's output with the arguments its notes name (stale data: "evaluate an earlier --as-of"; the districts
    kept: "(--legacy-districts)"; a match's: "give --within N", a scope's candidates "as without --scope"; a
    commune's officials with the city's units file: "with --scope commune:00322") as the service's request names
    them (session 17: each caller reads its own)."""
    return output.replace(b"--as-of", b"as_of").replace(b"--legacy-districts", b"legacy_districts=true").replace(
        b"--within N", b"within=N").replace(b"without --scope", b"without scope").replace(
        "không có --scope".encode(), "không có scope".encode()).replace(b"--scope ", b"scope=")


def unzipped(output: bytes, named: Callable[[bytes], bytes] = lambda b: b) -> bytes | dict[str, bytes]:
    """An output as it reads: a workbook (a zip) by its members, each ``named`` (:func:`as_the_service_names_them`),
    else ``named(output)``."""
    if not output.startswith(b"PK"):
        return named(output)
    with zipfile.ZipFile(io.BytesIO(output)) as book:
        return {name: named(book.read(name)) for name in book.namelist()}


def uploaded(folder: Path) -> dict[str, tuple[str, bytes, str]]:
    """The officials and units of a sample's folder as a form uploads them."""
    return {name: (f"{name}.csv", (folder / f"{name}.csv").read_bytes(), "text/csv") for name in ("officials", "units")}


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
    code, stdout, stderr = command("evaluate", *args, "--as-of", AS_OF, "--format", "json", "--fail-on", "never", "-q",
                                   stdin=stdin)
    assert code == 0, stderr
    return stdout


def test_json_report_is_the_clis_byte_for_byte(server: Server, small: bytes) -> None:
    answer = _post(server, small)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    expected = _cli("-", stdin=small)  # (a few units' officials with the city's units: the note says --scope)
    assert b"evaluate with --scope commune:" in expected and b"evaluate with scope=commune:" in answer.content
    assert answer.content == as_the_service_names_them(expected)
    assert json.loads(answer.content)["input"]["sha256"] == hashlib.sha256(small).hexdigest()


def test_one_communes_data_get_the_clis_report(server: Server) -> None:
    """A commune's own officials alone: the report says its "city" rows count that commune only and gives the
    commune's own shares of the city's quotas, as the command line's does."""
    units = load_units(EXAMPLE / "units.csv")
    officials = load_officials(EXAMPLE / "officials.csv", units={u.code: u for u in units})
    code = officials[0].unit
    body = json.dumps({"officials": [_clean(official_to_row(o)) for o in officials if o.unit == code],
                       "units": [_clean(unit_to_row(u)) for u in units if u.code == code]}, ensure_ascii=False).encode()
    answer = _post(server, body)
    assert answer.status_code == 200, answer.text
    report = json.loads(answer.content)
    assert report["unit_shares"] and {s["unit"] for s in report["unit_shares"]} == {code}
    name = next(u.name for u in units if u.code == code)
    assert any(name in note and "Hà Nội" in note for note in report["notes"]), report["notes"]
    assert answer.content == _cli("-", stdin=body)


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
    assert answer.content == as_the_service_names_them(_cli(str(tmp_path)))  # (300 officials, the city's units)
    csv_answer = httpx.post(f"{server.url}/v1/evaluate?as_of={AS_OF}&format=csv", files=files, headers=AUTH,
                            timeout=120)
    assert csv_answer.status_code == 200
    assert csv_answer.headers["content-disposition"] == 'attachment; filename="report.csv"'
    code, cli_csv, stderr = command("evaluate", str(tmp_path), "--as-of", AS_OF, "--format", "csv", "--fail-on",
                                    "never", "-q")
    assert code == 0, stderr
    assert csv_answer.content == as_the_service_names_them(cli_csv)


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
    (b'{"officials": [], "units": []}', {}, f"as_of={AS_OF}&pack=/etc/hosts", 400, "not a file"),
    (b'{"officials": [], "units": []}', {}, f"as_of={AS_OF}&pack=../policies/x.toml", 400, "not a file"),
    (b"{}", {}, f"as_of={AS_OF}&format=pdf&pdf_lines=-1", 400, "pdf_lines: expected a whole number of at least 0"),
    (b"{}", {}, f"as_of={AS_OF}&format=pdf&pdf_lines=1.5", 400, "pdf_lines: expected a whole number of at least 0"),
    (b"{}", {}, f"as_of={AS_OF}&format=html&pdf_lines=10", 400, "pdf_lines goes with format=pdf (got format='html')"),
    (b"{}", {}, f"as_of={AS_OF}&pdf_lines=10", 400, "pdf_lines goes with format=pdf (got format='json')"),
    (b"{}", {}, f"as_of={AS_OF}&format=csv&explain=true", 400,
     "explain goes with the formats json, jsonl (got format='csv')"),
    (b"{}", {}, f"as_of={AS_OF}&format=pdf&explain=1", 400, "explain goes with the formats json, jsonl"),
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
    code, _, stderr = command("evaluate", "-", "--as-of", AS_OF, stdin=body)
    assert code == 2
    for item in problem["problems"]:
        assert f"{item['column']}: {item['reason']}" in stderr


def test_problems_in_the_requests_language(server: Server) -> None:
    body = b'{"officials": [{"id": "A1"}], "units": []}'
    assert _post(server, body, **{"Accept-Language": "vi-VN,vi;q=0.9"}).json()["title"] == "Dữ liệu đầu vào có lỗi"
    assert _post(server, body, **{"Accept-Language": "en-GB"}).json()["title"] == "The input data has problems"


def test_a_record_with_two_wrong_values_gets_both_in_the_answer(server: Server) -> None:
    """Every wrong value of a record, each located at its key, in the request's language."""
    record = {"id": "A1", "full_name": "Nguyễn Văn A", "gender": "nu x", "birth_date": "31/02/1980", "unit": "U1",
              "position": "committee_chair", "education": "university", "political_theory": "advanced"}
    body = json.dumps({"officials": [record], "units": [{"code": "U1", "name": "Xã Một", "kind": "commune",
                                                          "class": 1}]}).encode()
    answer = _post(server, body, **{"Accept-Language": "vi"})
    assert answer.status_code == 422, answer.text
    assert [(p["file"], p["column"], p["value"]) for p in answer.json()["problems"]] == [
        ("<body>", "/officials/0/gender", "nu x"), ("<body>", "/officials/0/birth_date", "31/02/1980")]
    assert [p["reason"] for p in answer.json()["problems"]] == [
        "Giới tính không hợp lệ (cần một trong: nam, nữ)", "ngày không tồn tại: 31/02/1980 (tháng 2 năm 1980 có 29 ngày)"]


@pytest.mark.parametrize(("query", "located"), [
    ("as_of=31/13/2025", ("as_of", "31/13/2025", "impossible date: 31/13/2025 (the month must be between 1 and 12)")),
    (f"as_of={AS_OF}&lang=fr", ("lang", "fr", "lang: expected vi or en (got 'fr')")),
    (f"as_of={AS_OF}&format=docx", ("format", "docx", None)),
    (f"as_of={AS_OF}&explain=maybe", ("explain", "maybe", "explain: expected true or false (got 'maybe')")),
    (f"as_of={AS_OF}&as_of={AS_OF}", ("as_of", None, "as_of: given 2 times; give it once (only pack and param "
                                                    "repeat)")),
    (f"as_of={AS_OF}&top=3", ("top", None, None)),
    (f"as_of={AS_OF}&param=young_min_share", ("param", "young_min_share", "param: expected PACK.KEY=VALUE (got "
                                                                          "'young_min_share')")),
])
def test_a_bad_query_is_a_problem_located_at_its_parameter(server: Server, query: str,
                                                           located: tuple[str, str | None, str | None]) -> None:
    """A 400 of a query parameter has its ``problems`` located at it (``file``: the parameter, ``value``: as given),
    as a worker's 422 at ``scope`` or ``as_of`` has: until session 17 only the ``detail`` text named it, so that a
    client could not tell which field of its form to mark (docs/api.md, "The service, as an integrator meets it")."""
    name, value, reason = located
    for lang in ("en", "vi"):
        answer = _post(server, b"{}", query, **{"Accept-Language": lang})
        assert answer.status_code == 400, answer.text
        [problem] = answer.json()["problems"]
        assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (name, None, None, value)
        assert problem["reason"] and problem["reason"] in answer.json()["detail"]
        if lang == "en" and reason is not None:
            assert problem["reason"] == reason.removeprefix(f"{name}: ")
        if lang == "vi":
            assert "expected" not in problem["reason"]


def test_query_and_access_problems_in_the_requests_language(server: Server) -> None:
    for lang, expected in (("vi", "lang: cần vi hoặc en (nhận được 'fr')"), ("en", "lang: expected vi or en (got 'fr')")):
        answer = _post(server, b"{}", f"as_of={AS_OF}&lang=fr", **{"Accept-Language": lang})
        assert answer.status_code == 400 and answer.json()["detail"] == expected
    dates = {lang: _post(server, b"{}", "as_of=31/13/2025", **{"Accept-Language": lang}).json()["detail"]
             for lang in ("vi", "en")}
    assert dates["en"] == "as_of: impossible date: 31/13/2025 (the month must be between 1 and 12)"
    assert dates["vi"].startswith("as_of: ") and "31/13/2025" in dates["vi"] and dates["vi"] != dates["en"]
    refused = httpx.get(f"{server.url}/v1/packs", headers={"Accept-Language": "vi"}).json()
    assert refused["detail"] == "hãy gửi Authorization: Bearer <token> (token trong --token-file)"


def test_limits(server: Server) -> None:
    too_big = _post(server, b" " * (3 << 20))
    assert too_big.status_code == 413 and "--max-body" in too_big.json()["detail"]
    many = _document(1001)
    assert len(many) < 2 << 20
    refused = _post(server, many)
    assert refused.status_code == 422 and "MAX_ROWS" in refused.text


def test_token_is_enforced_but_not_on_health(server: Server) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        for path in ("/v1/packs", "/metrics", "/docs", "/openapi.json", "/v1/schema/input"):
            answer = httpx.get(f"{server.url}{path}", headers=headers)
            assert answer.status_code == 401, path
            assert answer.headers["www-authenticate"] == "Bearer"
        for task in ("evaluate", "explain", "project", "match"):
            assert httpx.post(f"{server.url}/v1/{task}", headers=headers, content=b"{}").status_code == 401
    assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert httpx.get(f"{server.url}/readyz").status_code == 200


def test_packs_metrics_and_docs(server: Server) -> None:
    listed = httpx.get(f"{server.url}/v1/packs", headers=AUTH, params={"as_of": AS_OF}).json()
    refs = {pack["ref"] for pack in listed}
    assert "hanoi-de-an-34@2025.07.4" in refs and "hanoi-de-an-34@2023.11.4" not in refs
    every = {pack["ref"] for pack in httpx.get(f"{server.url}/v1/packs", headers=AUTH).json()}
    assert "hanoi-de-an-34@2023.11.4" in every
    pack = httpx.get(f"{server.url}/v1/packs/hanoi-de-an-34", headers=AUTH).json()
    assert [v["version"] for v in pack["versions"]][-1] == "2025.07.4" and pack["versions"][0]["rules"]
    assert httpx.get(f"{server.url}/v1/packs/nope", headers=AUTH).status_code == 404
    for lang, hint in (("en", "; did you mean 'vn-commune-2tier'?"), ("vi", "; có phải là 'vn-commune-2tier'?")):
        missed = httpx.get(f"{server.url}/v1/packs/vn-commune-2teir", headers={**AUTH, "Accept-Language": lang})
        assert missed.status_code == 404
        assert [(p["file"], p["value"]) for p in missed.json()["problems"]] == [("pack_id", "vn-commune-2teir")]
        assert missed.json()["problems"][0]["reason"].endswith(hint), missed.json()
    metrics = httpx.get(f"{server.url}/metrics", headers=AUTH).text
    assert 'cadre_rules_requests_total{route="/v1/packs",method="GET",status="200"}' in metrics
    assert 'cadre_rules_request_duration_seconds_bucket{route="/v1/packs",le="+Inf"}' in metrics
    assert "cadre_rules_in_flight_requests 1" in metrics  # (this request)
    docs = httpx.get(f"{server.url}/openapi.json", headers=AUTH).json()
    assert docs["openapi"].startswith("3.1") and "/v1/evaluate" in docs["paths"]


def test_the_kept_versions_are_listed_and_can_be_pinned(server: Server, small: bytes) -> None:
    """An integrator who pins versions finds the released versions kept as they were in GET /v1/packs (each under
    the version that took its place at the end of its revisions) and evaluates with one named: the report names
    the sha256 listed, the one its file was released with, and is the CLI's byte for byte."""
    listed = httpx.get(f"{server.url}/v1/packs", headers=AUTH).json()
    components = openapi()["components"]
    jsonschema.validate(listed, {"type": "array", "items": {"$ref": "#/components/schemas/PackVersion"},
                                 "components": components})  # (the response as /openapi.json describes it)
    kept = {entry["ref"]: (pack["ref"], entry) for pack in listed for entry in pack["kept"]}
    assert sorted(kept) == sorted(kept_versions()) and len(kept) == sum(len(p["kept"]) for p in listed)
    for ref, (_, entry) in kept.items():
        pack_id, _, version = ref.partition("@")
        released = (builtin_pack_dir() / KEPT_DIR / f"{pack_id}-{version}.toml").read_bytes()
        assert entry["sha256"] == hashlib.sha256(released).hexdigest() and entry["version"] == version
        assert entry["replaced_by"] == kept_versions()[ref][0]
    under, entry = kept["vn-commune-2tier@2025.10"]
    assert under == kept["vn-commune-2tier@2025.10.1"][0] == "vn-commune-2tier@2025.10.3"
    assert (entry["replaced_by"], entry["withdrawn"]) == ("2025.10.1", None)
    withdrawn = kept_versions()["vn-commune-2tier@2025.07"][1]
    assert withdrawn is not None
    assert kept["vn-commune-2tier@2025.07"][1]["withdrawn"] == {"vi": withdrawn.vi, "en": withdrawn.en}
    assert kept["hanoi-de-an-34@2023.11.1"][0] == "hanoi-de-an-34@2023.11.4"
    in_force = httpx.get(f"{server.url}/v1/packs", headers=AUTH, params={"as_of": AS_OF}).json()
    assert {k["ref"] for p in in_force for k in p["kept"]} == {r for r, (u, _) in kept.items()
                                                              if u in {p["ref"] for p in in_force}}
    assert "vn-commune-2tier@2025.10" not in {p["ref"] for p in in_force}  # (never chosen by date)
    detail = httpx.get(f"{server.url}/v1/packs/vn-commune-2tier", headers=AUTH).json()
    assert {k["ref"] for v in detail["versions"] for k in v["kept"]} == {r for r in kept
                                                                        if r.startswith("vn-commune-2tier@")}
    answer = _post(server, small, f"as_of={AS_OF}&lang=en&pack=vn-commune-2tier@2025.07")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(p["id"], p["version"], p["sha256"]) for p in report["packs"]] == \
        [("vn-commune-2tier", "2025.07", kept["vn-commune-2tier@2025.07"][1]["sha256"])]
    assert [note for note in report["notes"] if withdrawn.en in note]
    assert answer.content == as_the_service_names_them(
        _cli("-", "--pack", "vn-commune-2tier@2025.07", "--lang", "en", stdin=small))


def test_a_killed_idle_worker_is_replaced(server: Server, small: bytes) -> None:
    before = server.wait_ready()
    os.kill(before[0], signal.SIGKILL)
    after = server.wait_ready(set(before))
    assert len(after) == 2 and before[0] not in after
    assert _post(server, small).status_code == 200


# -- explain, project, match, schema: the routes of the commands of those names ------------------------------
PLAN = b"date,event,official\n2026-02-01,departure,HN00004-001\n"
POSTS = b"unit,position\n00004,committee_chair\n00008,party_secretary\n"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's first 200 officials (those of the ``small`` document) and its units, as CSV files, and a
    plan and a list of posts."""
    folder = tmp_path_factory.mktemp("data")
    lines = (EXAMPLE / "officials.csv").read_bytes().splitlines(keepends=True)
    (folder / "officials.csv").write_bytes(b"".join(lines[:201]))
    (folder / "units.csv").write_bytes((EXAMPLE / "units.csv").read_bytes())
    (folder / "plan.csv").write_bytes(PLAN)
    (folder / "posts.csv").write_bytes(POSTS)
    return folder


def _command(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> bytes:
    code, stdout, stderr = command(*args, stdin=stdin, cwd=cwd)
    assert code in (0, 1), stderr
    return stdout


def _uploads(folder: Path, *extra: str) -> dict[str, tuple[str, bytes, str]]:
    return {name: (f"{name}.csv", (folder / f"{name}.csv").read_bytes(), "text/csv")
            for name in ("officials", "units", *extra)}


# (route, query, the uploaded file besides officials and units or None: the JSON body, the command's arguments)
SAME_AS_THE_CLI = [
    ("explain", {"official": "HN00004-001"}, None, ["explain", "-", "--official", "HN00004-001", "--format", "json"]),
    ("explain", {"unit": "00008", "format": "text", "lang": "en"}, None,
     ["explain", "-", "--unit", "00008", "--lang", "en"]),
    ("explain", {"city": "true", "redact": "true"}, None, ["explain", "-", "--city", "--redact", "--format", "json"]),
    ("project", {"to": "2028-12-31"}, None, ["project", ".", "--to", "2028-12-31", "--format", "json"]),
    ("project", {"to": "2027-06-30", "step": "quarter", "format": "csv"}, "plan",
     ["project", ".", "--to", "2027-06-30", "--step", "quarter", "--plan", "plan.csv", "--format", "csv"]),
    ("project", {"to": "2027-12-31", "format": "xlsx", "lang": "en"}, None,
     ["project", ".", "--to", "2027-12-31", "--format", "xlsx", "--lang", "en"]),
    ("match", {"within": "12"}, None, ["match", ".", "--within", "12", "--format", "json"]),
    ("match", {"top": "3", "assign": "true", "format": "text"}, "posts",
     ["match", ".", "--top", "3", "--assign", "--posts", "posts.csv"]),
]


@pytest.mark.parametrize(("task", "query", "extra", "command"), SAME_AS_THE_CLI)
def test_each_route_answers_what_its_command_prints(server: Server, small: bytes, data: Path, task: str,
                                                   query: dict[str, str], extra: str | None,
                                                   command: list[str]) -> None:
    url = f"{server.url}/v1/{task}"
    params = {"as_of": AS_OF, **query}
    if extra is None and task == "explain":  # the JSON document, as the command reads it on stdin
        answer = httpx.post(url, params=params, content=small, headers={**AUTH, "Content-Type": "application/json"},
                            timeout=120)
        expected = _command(*command, "--as-of", AS_OF, stdin=small)
    elif extra is None:  # the JSON document; the command reads the same records from the CSV files
        answer = httpx.post(url, params=params, content=small, headers={**AUTH, "Content-Type": "application/json"},
                            timeout=120)
        expected = _command(*command, "--as-of", AS_OF, cwd=data)
    else:
        answer = httpx.post(url, params=params, files=_uploads(data, extra), headers=AUTH, timeout=120)
        expected = _command(*command, "--as-of", AS_OF, cwd=data)
    assert answer.status_code == 200, answer.text
    assert len(expected) > 200  # (something was produced)
    # (the sample's first 200 officials with its units file: the note on the units without officials names the scope
    # to give, --scope on the command line, scope= in the service: session 17)
    assert unzipped(answer.content) == unzipped(expected, as_the_service_names_them)
    fmt = query.get("format", "json")
    media = {"json": "application/json", "text": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    assert answer.headers["content-type"] == media
    if fmt in ("csv", "xlsx"):
        stem = {"project": "projection", "match": "match"}[task]
        assert answer.headers["content-disposition"] == f'attachment; filename="{stem}.{fmt}"'
    if task == "project":  # the command's exit code 1 (a target unmet on some step), as a header
        assert int(answer.headers["x-cadre-rules-unmet"]) > 0


BAD_PLAN = b"date,event,official\n2026-02-01,departure,ZZ\n2024-01-01,departure,HN00004-001\n"
BAD_POSTS = b"unit,position\nZZZ,committee_chair\n00004,nope\n"


@pytest.mark.parametrize(("task", "query", "upload", "status", "located"), [
    ("explain", {}, None, 400, "name one of official=ID"),
    ("explain", {"official": "A", "unit": "B"}, None, 400, "(got official, unit)"),
    ("explain", {"official": "NOPE"}, None, 422, {"file": "<body>", "column": "id", "value": "NOPE"}),
    ("explain", {"official": "HN00004-001", "rule": "no/such"}, None, 422, {"file": "rule", "value": "no/such"}),
    ("explain", {"district": "Nowhere"}, None, 422, {"file": "district", "value": "Nowhere"}),
    ("explain", {"unit": "ZZZ"}, None, 422, {"file": "unit", "value": "ZZZ"}),
    ("explain", {"official": "HN00004-001", "format": "csv"}, None, 400, "'csv' is not a format of explain"),
    ("project", {}, None, 400, "to: the last step date is required"),
    ("project", {"to": "2024-01-01"}, None, 400,
     {"file": "to", "value": "2024-01-01", "reason": f"the end date is before the as-of date {AS_OF}"}),
    ("project", {"to": "2030-01-01", "step": "week"}, None, 400, "step: expected month, quarter, year"),
    ("project", {"to": "31/13/2027"}, None, 400, "to: "),
    ("project", {"as_of": "1950-01-01", "to": "2100-12-31", "step": "month"}, None, 400,  # (at step, not --step)
     {"file": "step", "value": "month", "reason": "more than 1,200 steps from 1950-01-01 to 2100-12-31: choose a "
                                                  "longer step"}),
    ("project", {"to": "2026-06-30"}, ("plan", "plan.csv", PLAN.replace(b"2026-02-01", b"2026-09-01")), 422,
     {"file": "plan.csv", "row": 2, "column": "date", "reason": "after to 2026-06-30: it would never apply"}),
    ("project", {"to": "2027-12-31"}, ("plan", "plan.csv", BAD_PLAN), 422,
     {"file": "plan.csv", "row": 2, "column": "official", "value": "ZZ"}),
    ("project", {"to": "2027-12-31"}, ("plan", "plan.txt", PLAN), 400, "plan: the file name 'plan.txt' must end in"),
    ("project", {"to": "2027-12-31"}, ("posts", "posts.csv", POSTS), 400, "unknown field 'posts'"),
    ("match", {"top": "0"}, None, 400, "top: expected a whole number of at least 1"),
    ("match", {"within": "soon"}, None, 400, "within: expected a whole number"),
    ("match", {"format": "pdf"}, None, 400, "'pdf' is not a format of match"),
    ("match", {"to": "2030-01-01"}, None, 400, "unknown query parameter 'to'"),
    ("evaluate", {}, ("plan", "plan.csv", PLAN), 400,
     "multipart: unknown field 'plan' (expected officials, units, waivers, baseline)"),
    ("match", {}, ("posts", "posts.csv", BAD_POSTS), 422,
     {"file": "posts.csv", "row": 2, "column": "unit", "value": "ZZZ"}),
])
def test_bad_input_to_each_route_is_a_located_problem(server: Server, small: bytes, data: Path, task: str,
                                                     query: dict[str, str], upload: tuple[str, str, bytes] | None,
                                                     status: int, located: str | dict[str, Any]) -> None:
    params = {"as_of": AS_OF, **query}
    if upload is None:
        answer = httpx.post(f"{server.url}/v1/{task}", params=params, content=small,
                            headers={**AUTH, "Content-Type": "application/json", "Accept-Language": "en"}, timeout=120)
    else:
        field, filename, content = upload
        files = {**_uploads(data), field: (filename, content, "text/csv")}
        answer = httpx.post(f"{server.url}/v1/{task}", params=params, files=files,
                            headers={**AUTH, "Accept-Language": "en"}, timeout=120)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status
    if isinstance(located, str):
        assert located in problem["detail"]
    else:  # a located problem: in the file as sent, with its row, column and value
        assert any(located.items() <= item.items() for item in problem["problems"]), problem


def test_dates_in_refusals_as_the_reader_writes_them(server: Server, small: bytes) -> None:
    """The date given is shown as written, the date it is compared with in the request's language."""
    answers = {lang: httpx.post(f"{server.url}/v1/project", params={"as_of": AS_OF, "to": "31/12/2024"},
                                content=small, headers={**AUTH, "Content-Type": "application/json",
                                                        "Accept-Language": lang}, timeout=120).json()["detail"]
               for lang in ("vi", "en")}
    assert answers == {  # (to, not --to)
        "vi": "1 vấn đề trong dữ liệu đầu vào:\n  to: ngày kết thúc trước ngày đánh giá 31/12/2025 "
              "(giá trị đọc được: '31/12/2024')",
        "en": "1 input problem:\n  to: the end date is before the as-of date 2025-12-31 (got '31/12/2024')"}
    steps = httpx.post(f"{server.url}/v1/project", params={"as_of": "01/01/1950", "to": "31/12/2100", "step": "month"},
                       content=small, headers={**AUTH, "Content-Type": "application/json", "Accept-Language": "vi"},
                       timeout=120)
    assert steps.status_code == 400 and steps.json()["detail"].endswith(  # (the service's step, not --step)
        "\n  step: hơn 1.200 bước từ ngày 01/01/1950 đến ngày 31/12/2100: hãy chọn bước dài hơn (giá trị đọc "
        "được: 'month')")
    none = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": "01/01/2020"},
                      content=small, headers={**AUTH, "Content-Type": "application/json", "Accept-Language": "vi"},
                      timeout=120)
    assert none.status_code == 422 and none.json()["detail"] == (  # (well-formed, no pack in effect: a 422)
        "không có gói quy định nào có hiệu lực vào ngày 01/01/2020; hãy chỉ định một gói bằng pack=")


@pytest.mark.parametrize("task", ["explain", "project", "match"])
def test_bad_bodies_to_each_route(server: Server, task: str) -> None:
    query = {"as_of": AS_OF, **{"explain": {"city": "true"}, "project": {"to": "2027-12-31"}, "match": {}}[task]}
    url = f"{server.url}/v1/{task}"
    malformed = httpx.post(url, params=query, content=b'{"officials": [', headers={**AUTH,
                                                                                   "Content-Type": "application/json"})
    assert malformed.status_code == 422 and "invalid JSON" in malformed.json()["detail"]
    unknown = httpx.post(url, params=query, content=b'{"officials": [{"id": "A1", "gender": "nu x"}], "units": []}',
                         headers={**AUTH, "Content-Type": "application/json", "Accept-Language": "vi"})
    assert unknown.status_code == 422 and unknown.json()["title"] == "Dữ liệu đầu vào có lỗi"
    assert any(p["column"] == "/officials/0/gender" for p in unknown.json()["problems"])
    wrong_type = httpx.post(url, params=query, content=b"id\n", headers={**AUTH, "Content-Type": "text/csv"})
    assert wrong_type.status_code == 415
    too_big = httpx.post(url, params=query, content=b" " * (3 << 20), headers={**AUTH, "Content-Type": "application/json"})
    assert too_big.status_code == 413
    alone = httpx.post(url, params=query, files={"officials": ("o.csv", b"id\n", "text/csv")}, headers=AUTH)
    assert alone.status_code == 400 and "officials and units" in alone.json()["detail"]


def test_located_problems_are_in_the_requests_language(server: Server) -> None:
    body = b'{"officials": [{"id": "A1"}], "units": []}'
    answers = {lang: httpx.post(f"{server.url}/v1/explain", params={"as_of": AS_OF, "official": "A1"}, content=body,
                                headers={**AUTH, "Content-Type": "application/json", "Accept-Language": lang},
                                timeout=120).json() for lang in ("vi", "en")}
    reasons = {lang: {p["column"]: p["reason"] for p in answer["problems"]} for lang, answer in answers.items()}
    assert reasons["en"]["/officials/0/full_name"] == "required value is missing"
    assert reasons["vi"]["/officials/0/full_name"] == "thiếu giá trị bắt buộc"
    assert "thiếu giá trị bắt buộc" in answers["vi"]["detail"]
    code, _, stderr = command("explain", "-", "--official", "A1", "--as-of", AS_OF, "--lang", "vi", stdin=body)
    assert code == 2
    for column, reason in reasons["vi"].items():
        assert f"{column}: {reason}" in stderr


@pytest.mark.parametrize("name", ["input", "pack", "pack-test", "report"])
def test_schema_route_is_the_schema_command(server: Server, name: str) -> None:
    answer = httpx.get(f"{server.url}/v1/schema/{name}", headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/schema+json"
    assert answer.content == _command("schema", name)


def test_an_unknown_schema_is_404(server: Server) -> None:
    answer = httpx.get(f"{server.url}/v1/schema/nope", headers=AUTH)
    assert answer.status_code == 404 and "input, pack, pack-test, report" in answer.json()["detail"]
    metrics = httpx.get(f"{server.url}/metrics", headers=AUTH).text
    assert 'cadre_rules_requests_total{route="/v1/schema/{name}",method="GET",status="404"}' in metrics


def test_the_openapi_document_names_every_route_and_query_parameter(server: Server) -> None:
    document = httpx.get(f"{server.url}/openapi.json", headers=AUTH).json()
    for task, accepted in _QUERY.items():
        operation = document["paths"][f"/v1/{task}"]["post"]
        assert {p["name"] for p in operation["parameters"]} == accepted, task
        assert {"200", "400", "413", "415", "422", "500", "504"} <= set(operation["responses"])
        assert "example" in operation["requestBody"]["content"]["application/json"]
    assert "/v1/schema/{name}" in document["paths"]


def test_docs_is_a_page_of_the_openapi_document_with_nothing_from_elsewhere(server: Server) -> None:
    document = httpx.get(f"{server.url}/openapi.json", headers=AUTH).json()
    page = httpx.get(f"{server.url}/docs", headers={**AUTH, "Accept-Language": "en"})
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    html = page.text
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert f'<span class="method">{method}</span> <code>{path}</code>' in html
            for parameter in operation.get("parameters", ()):
                assert f"<code>{parameter['name']}</code>" in html
    assert "<script" not in html and "src=" not in html and "http://" not in html and "https://" not in html
    assert "Nguyễn Thị An" in html  # the request example
    vi = httpx.get(f"{server.url}/docs", headers={**AUTH, "Accept-Language": "vi"}).text
    assert "<h3>Nội dung yêu cầu</h3>" in vi and "<h3>Request body</h3>" in html


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # a request for the city "Chậm", an explain and a match wait 30 s in their worker (a test hook): past
    # --timeout on any machine
    running = Server(tmp_path_factory.mktemp("strict"), "--workers", "1", "--timeout", "1",
                     env={"CADRE_RULES_TEST_WORKER_PAUSE": "Chậm:30,explain:30,match:30"})
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


@pytest.mark.parametrize(("task", "query"), [
    ("explain", {"official": "HN00004-001"}), ("project", {"to": "2027-12-31", "city": "Chậm"}), ("match", {}),
])
def test_each_route_is_cut_at_the_timeout_and_the_next_request_succeeds(strict: Server, small: bytes, task: str,
                                                                       query: dict[str, str]) -> None:
    before = strict.wait_ready()
    answer = httpx.post(f"{strict.url}/v1/{task}", params={"as_of": AS_OF, **query}, content=small,
                        headers={"Content-Type": "application/json"}, timeout=120)
    assert answer.status_code == 504, answer.text
    assert f"the {task} request ran past --timeout 1 s" in answer.json()["detail"]
    strict.wait_ready(set(before))
    empty = b'{"officials": [], "units": [{"code": "U1", "name": "X", "kind": "commune", "class": 1}]}'
    assert httpx.post(f"{strict.url}/v1/project", params={"as_of": AS_OF, "to": "2026-12-31"}, content=empty,
                      headers={"Content-Type": "application/json"}, timeout=60).status_code == 200


def test_one_workbook_holds_both_tables_and_its_problems_name_the_sheet(server: Server, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = tmp_path / "ds.xlsx"
    _command("template", str(workbook))
    answer = httpx.post(f"{server.url}/v1/explain", params={"as_of": AS_OF, "city": "true", "format": "text"},
                        files={"officials": ("ds.xlsx", workbook.read_bytes())}, headers=AUTH, timeout=120)
    assert answer.status_code == 200, answer.text
    # (the command run in the workbook's folder: the report's notes name the file as given, the service's as uploaded)
    assert answer.content == _command("explain", "ds.xlsx", "--city", "--as-of", AS_OF, cwd=tmp_path)
    book = openpyxl.load_workbook(workbook)
    book["Cán bộ"]["D4"] = "Không rõ"  # the example row's gender
    book.save(workbook)
    refused = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": AS_OF},
                         files={"officials": ("ds.xlsx", workbook.read_bytes())}, headers=AUTH, timeout=120)
    assert refused.status_code == 422
    assert {"file": "ds.xlsx", "sheet": "Cán bộ", "row": 4, "column": "gender", "value": "Không rõ"}.items() \
        <= refused.json()["problems"][0].items()


def test_a_workers_refusals_in_the_requests_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a worker refuses (a format the service does not write, a date no pack is in effect on, a bug) is
    said in the request's language, as the CLI says it."""
    def refused(**changes: Any) -> Refusal:
        job = Job(date(2025, 12, 31), (), (), "vi", "json", False, "Hà Nội", False, ui_lang="vi")._replace(**changes)
        answer = run_job(job)
        assert isinstance(answer, Refusal), answer
        return answer

    assert refused(fmt="docx").message.startswith("'docx' không phải là định dạng của dịch vụ; chọn một trong: ")
    assert refused(fmt="docx", ui_lang="en").message.startswith("'docx' is not a format of the service; choose from ")
    assert refused(as_of=date(2020, 1, 1)).message == (
        "không có gói quy định nào có hiệu lực vào ngày 01/01/2020; hãy chỉ định một gói bằng pack=")

    def bug(job: Job) -> Refusal:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(TASKS, "evaluate", bug)
    assert refused() == ("internal", "lỗi nội bộ (lỗi của cadre-rules, xin hãy báo lại): ZeroDivisionError: "
                                     "division by zero", ())


def test_pdf_lines_reaches_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``pdf_lines`` sets how many lines the PDF lists, as ``--pdf-lines`` does (the page Chromium is given is
    written as the "PDF" here, so that its lines can be counted)."""
    chromium = tmp_path / "chromium"
    chromium.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#*=}";; '
                        'file://*) page="${a#file://}";; esac; done\ncp "$page" "$out"\n', encoding="utf-8")
    chromium.chmod(0o755)
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(chromium))
    job = Job(date(2025, 12, 31), (), (), "en", "pdf", False, "Hà Nội", False, document=_document(300))
    pages = {}
    for lines in (None, 5, 0):
        answer = run_job(job._replace(options=() if lines is None else (("pdf_lines", lines),)))
        assert not isinstance(answer, Refusal), answer
        pages[lines] = answer.body.decode()
    listed = {lines: page.count('<p class="line">') for lines, page in pages.items()}
    assert listed[None] > 5 and 0 < listed[5] <= 5 and listed[0] == 0, listed
    assert "counted above but not listed" in pages[0] and '<section id="rules">' in pages[0]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "format=pdf: cannot run Chromium ("), ("vi", "format=pdf: không chạy được Chromium (")])
def test_a_pdf_the_server_cannot_print_is_the_servers_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              lang: str, said: str) -> None:
    """No Chromium on the server: a 500 whose title says the server cannot write the format (it was a 400 "the
    request is not valid" saying ``--format pdf``, an option the client has not got)."""
    from cadre_rules.service._app import _PROBLEMS

    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(tmp_path / "no-chromium"))
    job = Job(date(2025, 12, 31), (), (), "vi", "pdf", False, "Hà Nội", False, document=_document(20), ui_lang=lang)
    answer = run_job(job)
    assert isinstance(answer, Refusal) and answer.kind == "render", answer
    assert answer.message.startswith(said) and "--format" not in answer.message
    assert _PROBLEMS[answer.kind] == (500, "The report cannot be written in this format on this server")


def test_a_pack_problem_names_the_pack_file_not_where_the_server_keeps_it() -> None:
    job = Job(date(2025, 12, 31), ("hanoi-de-an-34",), (("hanoi-de-an-34.young_min_share", "0,12"),), "vi", "json",
              False, "Hà Nội", False, document=_document(5), ui_lang="en")
    answer = run_job(job)
    assert isinstance(answer, Refusal) and answer.kind == "pack", answer
    [(file, reason, _row, column, value, _sheet)] = answer.problems
    assert (file, column, value) == ("hanoi-de-an-34.toml", "params.young_min_share", "0,12")
    assert "expected a number written with a point or as a fraction" in reason
    assert str(ROOT) not in answer.message and "hanoi-de-an-34.toml, params.young_min_share: " in answer.message


@pytest.mark.parametrize(("lang", "bad", "unknown", "no_pack"), [
    ("en", "bad param value: expected a number written with a point or as a fraction",
     "param names no parameter of pack 'hanoi-de-an-34'; did you mean 'young_min_share'?",
     "no pack 'no-such-pack' among the packs evaluated (hanoi-de-an-34)"),
    ("vi", "giá trị param không hợp lệ: ",
     "param không ứng với tham số nào của gói 'hanoi-de-an-34'; có phải là 'young_min_share'?",
     "không có gói 'no-such-pack' trong các gói được đánh giá (hanoi-de-an-34)")])
def test_a_pack_problem_names_the_services_param_not_the_command_lines(lang: str, bad: str, unknown: str,
                                                                       no_pack: str) -> None:
    """The service's parameter is ``param``: its problems do not say ``--param``, an option the client has not
    got (the command line's problems still do: tests/test_cli.py), as its other problems name their parameter."""
    job = Job(date(2025, 12, 31), ("hanoi-de-an-34",), (("hanoi-de-an-34.young_min_share", "0,12"),), "vi", "json",
              False, "Hà Nội", False, document=_document(5), ui_lang=lang)
    answers = [run_job(job), run_job(job._replace(params=(("hanoi-de-an-34.young_min_shar", "0.1"),)))]
    for answer in answers:
        assert isinstance(answer, Refusal) and answer.kind == "pack", answer
        assert "--param" not in answer.message and "--param" not in json.dumps(answer.problems, ensure_ascii=False)
    [first], [second] = (a.problems for a in answers if isinstance(a, Refusal))
    assert (first[0], first[3]) == ("hanoi-de-an-34.toml", "params.young_min_share") and first[1].startswith(bad)
    assert (second[3], second[1]) == ("params.young_min_shar", unknown)
    elsewhere = run_job(job._replace(params=(("no-such-pack.x", "1"),)))
    assert isinstance(elsewhere, Refusal) and elsewhere.kind == "pack", elsewhere
    assert [(p[0], p[3], p[1]) for p in elsewhere.problems] == [("param", "no-such-pack", no_pack)]
    assert elsewhere.message.splitlines()[1] == f"  param, no-such-pack: {no_pack}"


@pytest.mark.parametrize("ref", ["no-such-pack", "vn-commune-2tier@1.0"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_pack_the_query_names_that_is_not_installed_is_located_at_pack(ref: str, lang: str) -> None:
    """``pack=no-such-pack`` (an unknown id, or a version never released) is a 422 located at the query parameter
    ``pack``, with the value given, as ``param`` problems are at ``param``: it was located at ``no-such-pack``,
    a "file" no field of the request is named (session 17)."""
    job = Job(date(2025, 12, 31), ("hanoi-de-an-34", ref), (), "vi", "json", False, "Hà Nội", False,
              document=_document(5), ui_lang=lang)
    answer = run_job(job)
    assert isinstance(answer, Refusal) and answer.kind == "pack", answer
    [(file, reason, row, column, value, _sheet)] = answer.problems
    assert (file, row, column, value) == ("pack", None, None, ref)
    assert ref in reason and answer.message.splitlines()[1].startswith(f"  pack: {reason}")


# --------------------------------------------------------------------------- tried as an integrator (session 11)


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (b"--x\r\n", "multipart/form-data", "Missing boundary in multipart."),
    (b"--b\r\nContent-Disposition: form-data; name=\"officials\"; filename=\"o.csv\"\r\n\r\nid\n", "multipart/form-data;"
     " boundary=b", None),
    (b"".join(b"--b\r\nContent-Disposition: form-data; name=\"officials\"; filename=\"o%d.csv\"\r\n\r\nid\r\n" % i
              for i in range(6)) + b"--b--\r\n", "multipart/form-data; boundary=b",
     "Too many files. Maximum number of files is 5."),  # (evaluate's four fields, and one more to name if unknown)
])
def test_a_multipart_body_that_cannot_be_parsed_is_a_400_not_a_500(server: Server, body: bytes, content_type: str,
                                                                 reason: str | None) -> None:
    """(Was a 500 "internal error … HTTPException": starlette's refusal of the body was not answered.)"""
    for lang, said in (("en", "multipart: the body cannot be read as multipart/form-data"),
                       ("vi", "multipart: không đọc được nội dung yêu cầu dạng multipart/form-data")):
        answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": AS_OF}, content=body,
                            headers={**AUTH, "Content-Type": content_type, "Accept-Language": lang})
        assert answer.status_code == 400, answer.text
        assert answer.json()["type"] == "urn:cadre-rules:problem:usage"
        if reason is not None:
            assert answer.json()["detail"].startswith(f"{said} ({reason}); ")
        else:  # (a body cut short: read as far as it goes, the fields missing)
            assert "officials" in answer.json()["detail"]


@pytest.mark.parametrize(("query", "name", "count"), [
    ("as_of=2025-01-01&as_of=2025-12-31", "as_of", 2),
    (f"as_of={AS_OF}&format=json&format=csv&format=text", "format", 3),
    (f"as_of={AS_OF}&lang=vi&lang=en", "lang", 2),
])
def test_a_parameter_given_twice_is_refused_not_chosen(server: Server, small: bytes, query: str, name: str,
                                                      count: int) -> None:
    """(Was answered with one of the values, silently: which as_of did the report use?) pack and param repeat."""
    answer = _post(server, small, query, **{"Accept-Language": "en"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"] == f"{name}: given {count} times; give it once (only pack and param repeat)"
    assert _post(server, small, f"as_of={AS_OF}&pack=hanoi-de-an-34&pack=hanoi-ke-hoach-188").status_code == 200


def test_the_openapi_document_gives_the_media_type_of_every_format_the_service_answers(server: Server, small: bytes,
                                                                                       data: Path) -> None:
    """Each route's 200 answer is documented with the Content-Type of each of its formats (evaluate's were missing
    but json), and the service answers each format with that type (pdf needs Chromium: tests/test_pdf.py)."""
    document = httpx.get(f"{server.url}/openapi.json", headers=AUTH).json()
    query = {"evaluate": {}, "explain": {"city": "true"}, "project": {"to": "2026-12-31"}, "match": {}}
    for task in TASKS:
        documented = document["paths"][f"/v1/{task}"]["post"]["responses"]["200"]["content"]
        formats = {"evaluate": ("json", "jsonl", "csv", "xlsx", "html", "pdf", "junit", "sarif", "text"),
                   "explain": ("json", "text"), "project": ("json", "text", "csv", "xlsx", "html"),
                   "match": ("json", "text", "csv", "xlsx", "html")}[task]
        answered = set()
        for fmt in formats:
            if fmt == "pdf":
                answered.add("application/pdf")
                continue
            answer = httpx.post(f"{server.url}/v1/{task}", params={"as_of": AS_OF, "format": fmt, **query[task]},
                                files=_uploads(data), headers=AUTH, timeout=120)
            assert answer.status_code == 200, (task, fmt, answer.text)
            assert answer.headers["content-type"] in documented, (task, fmt)
            answered.add(answer.headers["content-type"])
        assert answered == set(documented), task


def test_a_top_larger_than_any_list_is_answered(server: Server, small: bytes) -> None:
    """(Was a 500: ``top=99999999999999999999`` reached islice.)"""
    answer = httpx.post(f"{server.url}/v1/match", params={"as_of": AS_OF, "top": "9" * 20}, content=small,
                        headers={**AUTH, "Content-Type": "application/json"}, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.json()["schema"] == "cadre-rules/match/v1"


def test_concurrent_requests_each_get_the_bytes_of_one_alone(server: Server, small: bytes) -> None:
    """Two workers, eight requests at once in two formats and languages: each answered whole by one worker (one
    engine per process), the same bytes as the same request alone."""
    queries = [f"as_of={AS_OF}&format={fmt}&lang={lang}" for fmt in ("json", "csv") for lang in ("vi", "en")]
    alone = {query: _post(server, small, query).content for query in queries}
    answers: dict[int, Any] = {}

    def ask(i: int) -> None:
        answers[i] = _post(server, small, queries[i % len(queries)])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == list(range(8))
    for i, answer in answers.items():
        assert answer.status_code == 200, answer.text
        assert answer.content == alone[queries[i % len(queries)]]
    assert len(set(alone.values())) == len(queries)


def test_a_json_value_that_is_no_record_is_named_by_its_json_type(server: Server) -> None:
    """(A number was "a value of type _JSONNumber": the reader's own class.)"""
    answer = _post(server, b'{"officials": [1.5, "x", null], "units": []}', **{"Accept-Language": "en"})
    assert answer.status_code == 422
    assert [p["reason"] for p in answer.json()["problems"]] == [
        f"expected a record (a mapping), not a value of type {kind}" for kind in ("number", "str", "NoneType")]


def test_a_port_in_use_is_said_with_exit_code_2_not_as_a_bug() -> None:
    """(Was uvicorn's "[Errno 98] … address already in use" then "internal error (a bug in cadre-rules, please
    report it): SystemExit: 3", exit code 3.)"""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for lang, said in (("en", f"--host/--port: cannot listen on 127.0.0.1:{port}: Address already in use"),
                           ("vi", f"--host/--port: không lắng nghe được trên 127.0.0.1:{port}: Địa chỉ đang được dùng")):
            result = subprocess.run([sys.executable, "-m", "cadre_rules", "serve", "--port", str(port), "--workers",
                                     "1", "--lang", lang], capture_output=True, text=True, timeout=60, check=False)
            assert result.returncode == 2, result.stderr
            assert said in result.stderr
            assert "internal error" not in result.stderr and "lỗi nội bộ" not in result.stderr
