"""``POST /v1/match?scope=…`` and ``POST /v1/project?scope=…``: one district's or one commune's posts to fill and
projection, as ``cadre-rules match --scope …`` and ``cadre-rules project --scope …`` give them, byte for byte (the
real server on a free local port, the bundled samples uploaded as the command line reads them); a wrong scope is the
command line's located problem at ``scope`` (400 malformed, 422 not in the data), in the request's language."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx", reason="the serve extra's tests need httpx (pip install -e '.[test,serve]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")
#: The module's tests on one xdist worker (scripts/test: --dist loadgroup), so that its server starts once.
pytestmark = pytest.mark.xdist_group("test_serve_scoped_jobs")

from conftest import command  # noqa: E402 - the command run in this process
from subsets import SAMPLES  # noqa: E402 - the bundled samples and their dates
from test_serve import Server  # noqa: E402 - the same real server as tests/test_serve.py
from test_serve import as_the_service_names_them  # noqa: E402
from test_serve import served  # noqa: E402
from test_serve import unzipped  # noqa: E402
from test_serve import uploaded  # noqa: E402

EXTENSIONS = {"json": "json", "text": "txt", "csv": "csv", "xlsx": "xlsx", "html": "html"}
#: The formats of each task through the service.
FORMATS = {"match": ("json", "text", "csv", "xlsx", "html"), "project": ("json", "text", "csv", "xlsx", "html")}
#: Each task's own options, as the query and as the command line.
OPTIONS = {"match": ({"within": "24", "assign": "true"}, ["--within", "24", "--assign"]),
           "project": ({"to": "2027-12-31"}, ["--to", "2027-12-31"])}
WARD = "Phường Tương Mai"  # (00322 in the 2025 sample)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from served(tmp_path_factory.mktemp("serve-scoped-jobs"))


def _files(sample: str) -> dict[str, tuple[str, bytes, str]]:
    return uploaded(SAMPLES[sample][0])


def _ask(server: Server, task: str, sample: str, lang: str = "vi", **query: str) -> Any:
    return httpx.post(f"{server.url}/v1/{task}", params={"as_of": SAMPLES[sample][1], **OPTIONS[task][0], **query},
                      files=_files(sample), headers={"Accept-Language": lang}, timeout=300)


@functools.cache
def _json(server: Server, task: str, sample: str, **query: str) -> Any:
    """The service's answer in JSON (``format=json``) to a Vietnamese request, asked once for the module: the tests
    that read the same one (the whole city's, a ward's, a redacted one) read it without a new evaluation."""
    return _ask(server, task, sample, format="json", **query)


def _cli(task: str, sample: str, fmt: str, out: Path, *args: str) -> bytes:
    """The command's output in ``fmt`` (``-o``), run in the sample's folder, in Vietnamese as the service answers a
    request in Vietnamese."""
    folder, as_of = SAMPLES[sample]
    target = out / f"{task}-{sample}-{fmt}.{EXTENSIONS[fmt]}"
    code, _, stderr = command(task, ".", "--as-of", as_of, "--lang", "vi", "--format", fmt, "-o", str(target),
                              *OPTIONS[task][1], *args, cwd=folder)
    assert code in (0, 1), stderr  # (project: 1 when a target is not met)
    return target.read_bytes()


def _cli_error(task: str, sample: str, scope: str, lang: str) -> str:
    folder, as_of = SAMPLES[sample]
    code, _, stderr = command(task, ".", "--as-of", as_of, "--lang", lang, *OPTIONS[task][1], "--scope", scope,
                              cwd=folder)
    assert code == 2, stderr
    return stderr


@pytest.mark.parametrize("task", ["match", "project"])
@pytest.mark.parametrize(("sample", "scope"), [("2025", f"commune:{WARD}"), ("2022", "district:huyện phú xuyên")])
def test_a_scoped_answer_is_the_commands(server: Server, tmp_path: Path, task: str, sample: str, scope: str) -> None:
    """A ward of the 2025 sample, a district of the 2022 sample (its name in other letter cases): the service's
    answer in every format of the task is the command line's ``--scope`` output, titled for the scope."""
    for fmt in FORMATS[task]:
        expected = _cli(task, sample, fmt, tmp_path, "--scope", scope)
        answer = _json(server, task, sample, scope=scope) if fmt == "json" else \
            _ask(server, task, sample, scope=scope, format=fmt)
        assert answer.status_code == 200, answer.text
        # (the 2022 sample is stale: its note says --as-of on the command line, as_of in the service: session 17)
        assert unzipped(answer.content) == unzipped(expected, as_the_service_names_them), (task, fmt)
    document = _json(server, task, sample, scope=scope).json()
    name = WARD if sample == "2025" else "Huyện Phú Xuyên"
    assert document["scope"]["name"] == name
    whole = _json(server, task, sample).json()
    assert "scope" not in whole
    if task == "match":
        assert 0 < len(document["posts"]) < len(whole["posts"])
    else:
        assert 0 < len(document["targets"]) < len(whole["targets"])


@pytest.mark.parametrize("scoped", [False, True])
def test_a_redacted_match_is_the_commands(server: Server, tmp_path: Path, scoped: bool) -> None:
    """``redact=true`` on match: the command line's ``--redact`` output in every format (ids only), with or without
    a scope; the names the unredacted answer shows are gone."""
    scope = {"scope": f"commune:{WARD}"} if scoped else {}
    for fmt in FORMATS["match"]:
        expected = _cli("match", "2025", fmt, tmp_path, "--redact", *(["--scope", scope["scope"]] if scoped else []))
        answer = _json(server, "match", "2025", redact="true", **scope) if fmt == "json" else \
            _ask(server, "match", "2025", redact="true", format=fmt, **scope)
        assert answer.status_code == 200, answer.text
        # (a scope's note says --scope on the command line, scope in the service: session 17)
        assert unzipped(answer.content) == unzipped(expected, as_the_service_names_them), fmt
    named = _json(server, "match", "2025", **scope).json()
    redacted = _json(server, "match", "2025", redact="true", **scope).json()
    names = {c["full_name"] for post in named["posts"] for c in post["candidates"]}
    assert names and "" not in names
    assert {c["full_name"] for post in redacted["posts"] for c in post["candidates"]} == {""}


@pytest.mark.parametrize("task", ["match", "project"])
@pytest.mark.parametrize(("scope", "lang", "reason"), [
    ("Tương Mai", "en", "expected district:NAME or commune:NAME (a unit's code or name)"),
    ("ward:00322", "vi", "cần có dạng district:TÊN hoặc commune:TÊN (mã hoặc tên của đơn vị)"),
])
def test_a_malformed_scope_is_a_400_located_at_scope(server: Server, task: str, scope: str, lang: str,
                                                     reason: str) -> None:
    answer = _ask(server, task, "2025", lang, scope=scope)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["problems"] == [{"file": "scope", "row": None, "column": None, "value": scope,
                                          "reason": reason}]
    assert f"--scope: {reason}" in _cli_error(task, "2025", scope, lang)


@pytest.mark.parametrize("task", ["match", "project"])
@pytest.mark.parametrize(("sample", "scope", "lang", "reason"), [
    ("2025", "commune:Phường Nowhere", "en", "no unit with this code or name in the report"),
    ("2025", "commune:99999", "vi", "không có đơn vị nào có mã hoặc tên này trong báo cáo"),
    ("2025", "district:Quận Hoàng Mai", "en", "the report has no districts (from 2025-07-01 there are none; "
                                              "legacy_districts=true keeps them)"),
    ("2022", "district:Quận Nowhere", "en", "no such district in the report (districts: Huyện Ba Vì, "),
])
def test_a_scope_not_in_the_data_is_a_422_located_at_scope(server: Server, task: str, sample: str, scope: str,
                                                           lang: str, reason: str) -> None:
    answer = _ask(server, task, sample, lang, scope=scope)
    assert answer.status_code == 422, answer.text
    [located] = answer.json()["problems"]
    assert (located["file"], located["value"]) == ("scope", scope.partition(":")[2])
    assert located["reason"].startswith(reason)
    said = _cli_error(task, sample, scope, lang)
    assert f"--scope: {located['reason'].replace('legacy_districts=true', '--legacy-districts')}" in said
