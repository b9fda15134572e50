"""``POST /v1/evaluate?scope=…&redact=…`` and the uploaded ``waivers`` and ``baseline``: the report of one commune or
one district, the report without names, the findings waived and those of a previous report set aside, as
``cadre-rules evaluate --scope … --redact --waivers … --baseline …`` gives them (the real server on a free local
port, the bundled samples uploaded as the command line reads them); a wrong scope or file is a located problem in
the request's language."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx", reason="the serve extra's tests need httpx (pip install -e '.[test,serve]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")
#: The module's tests on one xdist worker (scripts/test: --dist loadgroup), so that its server starts once.
pytestmark = pytest.mark.xdist_group("test_serve_scope")

from conftest import command  # noqa: E402 - the command run in this process
from subsets import SAMPLES  # noqa: E402 - the bundled samples and their dates
from test_serve import Server  # noqa: E402 - the same real server as tests/test_serve.py
from test_serve import as_the_service_names_them  # noqa: E402
from test_serve import served  # noqa: E402
from test_serve import uploaded  # noqa: E402

#: The formats compared with the command line's through the server.
FORMATS = {"json": "json", "jsonl": "jsonl", "csv": "csv", "xlsx": "xlsx", "html": "html", "text": "txt",
           "sarif": "sarif", "junit": "xml"}
#: (pdf: the page Chromium prints, compared by a stand-in Chromium: a real one's bytes carry their date)
EXTENSIONS = {**FORMATS, "pdf": "pdf"}
COMMUNE = "Phường Tương Mai"  # (00322 in the 2025 sample)
DISTRICT = "Huyện Ba Vì"  # (31 communes in the 2022 sample)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from served(tmp_path_factory.mktemp("serve-scope"))


def _files(sample: str) -> dict[str, tuple[str, bytes, str]]:
    return uploaded(SAMPLES[sample][0])


def _ask(server: Server, sample: str, lang: str = "vi", **query: str) -> Any:
    return httpx.post(f"{server.url}/v1/evaluate", params={"as_of": SAMPLES[sample][1], **query},
                      files=_files(sample), headers={"Accept-Language": lang}, timeout=300)


@functools.cache
def _json(server: Server, sample: str, **query: str) -> Any:
    """The service's report in JSON (``format=json``) to a Vietnamese request, asked once for the module: the tests
    that read the same one (the whole city's, unredacted) read it without a new evaluation."""
    return _ask(server, sample, format="json", **query)


def _cli(sample: str, out: Path, *args: str, formats: tuple[str, ...] = ("json",), cwd: Path | None = None) \
        -> dict[str, bytes]:
    """The command's outputs in ``formats`` (one run, ``-o`` per format), run in the sample's folder (or ``cwd``, a
    copy of it with other files); in Vietnamese, as the service answers a request in Vietnamese, unless ``args``
    say ``--lang``."""
    folder, as_of = SAMPLES[sample]
    folder = cwd or folder
    targets = {fmt: out / f"report-{fmt}.{EXTENSIONS[fmt]}" for fmt in formats}
    lang = () if "--lang" in args else ("--lang", "vi")
    code, _, stderr = command("evaluate", ".", "--as-of", as_of, "--fail-on", "never", "-q", *lang, *args,
                              *(arg for path in targets.values() for arg in ("-o", str(path))), cwd=folder)
    assert code == 0, stderr
    return {fmt: path.read_bytes() for fmt, path in targets.items()}


def _cli_error(sample: str, *args: str, lang: str) -> str:
    folder, as_of = SAMPLES[sample]
    code, _, stderr = command("evaluate", ".", "--as-of", as_of, "-q", "--lang", lang, *args, cwd=folder)
    assert code == 2, stderr
    return stderr


def test_a_communes_report_is_the_commands_in_every_format(server: Server, tmp_path: Path) -> None:
    """The 2025 sample (the whole city) with ``scope=commune:…``: the ward's report, its own shares of the city's
    quotas, byte for byte the command line's ``--scope`` report in each format."""
    expected = _cli("2025", tmp_path, "--scope", f"commune:{COMMUNE}", formats=tuple(FORMATS))
    for fmt in FORMATS:
        answer = _ask(server, "2025", scope=f"commune:{COMMUNE}", format=fmt)
        assert answer.status_code == 200, answer.text
        assert answer.content == expected[fmt], fmt
    report = json.loads(expected["json"])
    assert report["scope"] == {"kind": "unit", "id": "00322", "name": COMMUNE} and report["input"]["units"] == 1
    assert report["unit_shares"] and {share["unit"] for share in report["unit_shares"]} == {"00322"}
    whole = _json(server, "2025", redact="false")  # (the whole city's report, as test_redact_is_the_commands reads it)
    assert whole.status_code == 200 and "unit_shares" not in whole.json() and whole.json()["input"]["units"] > 100


def test_a_districts_report_is_the_commands(server: Server, tmp_path: Path) -> None:
    """The 2022 sample as of 2024 with ``scope=district:…`` (its name in other letter cases, as the command line
    takes it): the district's report, its plugin's pack among the packs, byte for byte the command line's."""
    asked = f"district:{DISTRICT.lower()}"
    expected = _cli("2022", tmp_path, "--scope", asked, formats=("json", "html"))
    for fmt in ("json", "html"):
        answer = _ask(server, "2022", scope=asked, format=fmt)
        assert answer.status_code == 200, answer.text
        assert answer.content == as_the_service_names_them(expected[fmt]), fmt
        assert b"--as-of" in expected[fmt] and b"--as-of" not in answer.content  # (the data of 2022 are stale)
    report = json.loads(expected["json"])
    assert report["scope"] == {"kind": "district", "id": DISTRICT, "name": DISTRICT}
    assert report["input"]["units"] == 31


@pytest.mark.parametrize(("query", "args"), [
    ({"redact": "true"}, ["--redact"]),
    ({"redact": "1", "scope": "commune:00322", "format": "html"}, ["--redact", "--scope", "commune:00322"]),
    ({"redact": "true", "scope": f"commune:{COMMUNE}", "format": "xlsx", "lang": "en"},
     ["--redact", "--scope", f"commune:{COMMUNE}", "--lang", "en"]),
])
def test_redact_is_the_commands(server: Server, tmp_path: Path, query: dict[str, str], args: list[str]) -> None:
    """``redact=true``: ids only, as ``--redact`` (a commune's report titled by its code)."""
    fmt = query.get("format", "json")
    expected = _cli("2025", tmp_path, *args, formats=(fmt,))[fmt]
    answer = _ask(server, "2025", **query)
    assert answer.status_code == 200, answer.text
    assert answer.content == expected
    if fmt in ("json", "html"):
        unredacted = {key: value for key, value in query.items() if key != "format"} | {"redact": "false"}
        named_report = _json(server, "2025", **unredacted)  # (unscoped: the whole city's, as the first test reads it)
        named = named_report if fmt == "json" else _ask(server, "2025", **{**query, "redact": "false"})
        assert named.status_code == 200 and named.content != answer.content
        named_json = named_report.json()
        names = {f["subject"]["name"] for f in named_json["findings"] if f["subject"]["kind"] == "official"}
        assert len(names) > 5 and all(name in named.text for name in names)
        assert not [name for name in names if name in answer.text] and COMMUNE not in answer.text


@pytest.mark.parametrize(("scope", "lang", "reason"), [
    ("Tương Mai", "en", "expected district:NAME or commune:NAME (a unit's code or name)"),
    ("commune:", "en", "expected district:NAME or commune:NAME (a unit's code or name)"),
    ("ward:00322", "vi", "cần có dạng district:TÊN hoặc commune:TÊN (mã hoặc tên của đơn vị)"),
])
def test_a_malformed_scope_is_a_400_located_at_scope(server: Server, scope: str, lang: str, reason: str) -> None:
    """Refused before any worker is busy, as the command line refuses it before reading the data: the same reason,
    located at the query parameter ``scope`` (as the service's other problems name theirs: not the command line's
    ``--scope``) with the value given, in the request's language."""
    answer = _ask(server, "2025", lang, scope=scope)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:cadre-rules:problem:usage"
    assert problem["problems"] == [{"file": "scope", "row": None, "column": None, "value": scope, "reason": reason}]
    assert problem["detail"].endswith(f"\n  scope: {reason} ({'got' if lang == 'en' else 'giá trị đọc được:'} "
                                      f"{scope!r})")
    assert f"--scope: {reason}" in _cli_error("2025", "--scope", scope, lang=lang)


@pytest.mark.parametrize(("sample", "scope", "lang", "reason"), [
    ("2025", "commune:Phường Nowhere", "en", "no unit with this code or name in the report"),
    ("2025", "commune:99999", "vi", "không có đơn vị nào có mã hoặc tên này trong báo cáo"),
    ("2022", "district:Quận Nowhere", "en", "no such district in the report (districts: Huyện Ba Vì, "),
])
def test_a_scope_not_in_the_data_is_a_422_located_at_scope(server: Server, sample: str, scope: str, lang: str,
                                                           reason: str) -> None:
    """A commune or district the data do not have: the command line's reason, located at ``scope``."""
    answer = _ask(server, sample, lang, scope=scope)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    [located] = answer.json()["problems"]
    name = scope.partition(":")[2]
    assert (located["file"], located["value"]) == ("scope", name) and located["reason"].startswith(reason)
    assert "--scope" not in answer.text
    assert f"--scope: {located['reason']}" in _cli_error(sample, "--scope", scope, lang=lang)


@pytest.mark.parametrize(("lang", "reason"), [
    ("en", "the report has no districts (from 2025-07-01 there are none; legacy_districts=true keeps them)"),
    ("vi", "báo cáo không có quận, huyện (từ ngày 01/07/2025 không còn cấp huyện; legacy_districts=true giữ lại cấp "
           "này)")])
def test_a_district_after_july_2025_names_the_services_parameter(server: Server, lang: str, reason: str) -> None:
    """From 2025-07-01 there are no districts: the command line says ``--legacy-districts`` keeps them, the
    service its own parameter, ``legacy_districts=true`` (the client has no ``--legacy-districts``)."""
    answer = _ask(server, "2025", lang, scope="district:Quận Hoàng Mai")
    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"] == [{"file": "scope", "row": None, "column": None, "value": "Quận Hoàng Mai",
                                          "reason": reason}]
    assert "--legacy-districts" not in answer.text
    cli = _cli_error("2025", "--scope", "district:Quận Hoàng Mai", lang=lang)
    assert f"--scope: {reason.replace('legacy_districts=true', '--legacy-districts')}" in cli


def test_legacy_districts_keeps_a_district_after_july_2025(server: Server, tmp_path: Path) -> None:
    """``legacy_districts=true`` with ``scope=district:…`` as of a date after 1/7/2025 (the 2022 sample, whose units
    name their former district): the command line's ``--legacy-districts --scope district:…`` report, byte for byte;
    without it, the located problem naming ``legacy_districts=true``, the service's way to keep them."""
    query = {"as_of": "2025-12-31", "scope": f"district:{DISTRICT}"}
    expected = _cli("2022", tmp_path, "--as-of", query["as_of"], "--legacy-districts", "--scope", query["scope"])
    answer = _ask(server, "2022", legacy_districts="true", **query)
    assert answer.status_code == 200, answer.text
    assert answer.content == as_the_service_names_them(expected["json"])
    report = answer.json()
    assert (report["as_of"], report["scope"]["kind"], report["scope"]["id"]) == ("2025-12-31", "district", DISTRICT)
    assert report["districts"] == "legacy" and report["input"]["units"] == 31 and report["findings"]
    refused = _ask(server, "2022", "en", **query)
    assert refused.status_code == 422, refused.text
    assert refused.json()["problems"] == [{
        "file": "scope", "row": None, "column": None, "value": DISTRICT,
        "reason": "the report has no districts (from 2025-07-01 there are none; legacy_districts=true keeps them)"}]


@pytest.mark.parametrize(("query", "said"), [
    ("scope=commune:00322&scope=commune:00004", "scope: given 2 times"),
    ("redact=yes", "redact: expected true or false (got 'yes')"),
])
def test_scope_and_redact_are_checked_as_the_other_parameters(server: Server, query: str, said: str) -> None:
    answer = httpx.post(f"{server.url}/v1/evaluate?as_of=2025-12-31&{query}", files=_files("2025"),
                        headers={"Accept-Language": "en"}, timeout=300)
    assert answer.status_code == 400, answer.text
    assert said in answer.json()["detail"]


# -- the uploaded waivers and baseline (the command's --waivers and --baseline) ---------------------------------------
WAIVERS = """\
[[waiver]]
rule = "hanoi-de-an-34/replacement.not_completed"
subject = "HN00322-047"
reason = "Đã có quyết định cho thôi việc, chờ hiệu lực"
approver = "Phòng Nội vụ"
expiry = 2026-03-31

[[waiver]]
rule = "qualification.theory_advanced"
subject = "HN00322-001"
reason = "Đang học cao cấp lý luận chính trị"
approver = "Thành ủy"
expiry = 2025-06-30

[[waiver]]
rule = "rotation.position_change_due"
subject = "HN00004-001"
reason = "Another ward's official"
approver = "Sở Nội vụ"
expiry = 2026-12-31
"""


@pytest.fixture(scope="module")
def with_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2025 sample with a waivers file and a baseline: the command line's json of the same data as of
    30/9/2025."""
    folder = tmp_path_factory.mktemp("with-files")
    for name in ("officials", "units"):
        (folder / f"{name}.csv").write_bytes((SAMPLES["2025"][0] / f"{name}.csv").read_bytes())
    (folder / "waivers.toml").write_text(WAIVERS, encoding="utf-8")
    code, _, stderr = command("evaluate", ".", "--as-of", "2025-09-30", "--fail-on", "never", "-q", "-o",
                              "baseline.json", cwd=folder)
    assert code == 0, stderr
    return folder


def _upload(folder: Path, *names: str) -> dict[str, tuple[str, bytes, str]]:
    return {name.partition(".")[0]: (name, (folder / name).read_bytes(), "application/octet-stream")
            for name in ("officials.csv", "units.csv", *names)}


@pytest.mark.parametrize(("query", "files", "args"), [
    ({"scope": "commune:00322"}, ("waivers.toml", "baseline.json"),
     ["--scope", "commune:00322", "--waivers", "waivers.toml", "--baseline", "baseline.json"]),
    ({"format": "text", "lang": "en"}, ("waivers.toml",), ["--waivers", "waivers.toml", "--lang", "en"]),
    ({"format": "html"}, ("baseline.json",), ["--baseline", "baseline.json"]),
    ({"scope": f"commune:{COMMUNE}", "redact": "true", "format": "csv"}, ("waivers.toml",),
     ["--scope", f"commune:{COMMUNE}", "--redact", "--waivers", "waivers.toml"]),
])
def test_waivers_and_baseline_are_the_commands(server: Server, with_files: Path, tmp_path: Path,
                                               query: dict[str, str], files: tuple[str, ...], args: list[str]) -> None:
    """Uploaded as ``waivers`` and ``baseline``, the files set aside what ``--waivers`` and ``--baseline`` set aside,
    of the scope only when there is one (the other ward's waiver is not said "unused" there): the same bytes."""
    fmt = query.get("format", "json")
    expected = _cli("2025", tmp_path, *args, formats=(fmt,), cwd=with_files)[fmt]
    answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": "2025-12-31", **query},
                        files=_upload(with_files, *files), headers={"Accept-Language": "vi"}, timeout=300)
    assert answer.status_code == 200, answer.text
    assert answer.content == expected
    if fmt != "json":
        return
    report = answer.json()
    assert [(s["rule"], s["subject"]["id"], s["by"]) for s in report["suppressed"]] == [
        ("replacement.not_completed", "HN00322-047", "waiver:Phòng Nội vụ")]
    assert report["baseline"]["file"] == "baseline.json" and report["baseline"]["unchanged"] > 0
    assert report["baseline"]["resolved"] == 1  # (a finding of the ward's as of 30/9, not now; not the city's)
    assert any("HN00322-001" in note and "30/06/2025" in note for note in report["notes"])  # (expired: said)
    assert not any("HN00004-001" in note for note in report["notes"])  # (another ward's waiver: not this report's)


@pytest.mark.parametrize(("name", "content", "located"), [
    ("waivers.toml", 'rule = "x"\n[[waiver]]\nrule = "a b"\n',
     {"file": "waivers.toml", "column": "waiver[0] (line 2).subject"}),
    ("waivers.toml", "[[waiver]\n", {"file": "waivers.toml", "column": None}),
    ("baseline.json", '{"schema": "something/else", "findings": []}', {"file": "baseline.json", "column": "/schema"}),
    ("baseline.json", "{", {"file": "baseline.json", "column": None}),
])
def test_a_wrong_waivers_or_baseline_file_is_a_422_located_in_it(server: Server, with_files: Path, tmp_path: Path,
                                                                 name: str, content: str,
                                                                 located: dict[str, Any]) -> None:
    """Located in the file as uploaded (never the server's temporary folder), with the command line's reasons."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    files = {**_upload(with_files), name.partition(".")[0]: (name, content.encode(), "application/octet-stream")}
    answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": "2025-12-31"}, files=files,
                        headers={"Accept-Language": "en"}, timeout=300)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert problems and all(p["file"] == name for p in problems), problems
    assert any(located.items() <= p.items() for p in problems), problems
    assert "/tmp" not in answer.text and "cadre-rules-serve-" not in answer.text
    option = {"waivers": "--waivers", "baseline": "--baseline"}[name.partition(".")[0]]
    code, _, stderr = command("evaluate", str(with_files), "--as-of", "2025-12-31", "-q", "--lang", "en", option,
                              name, cwd=tmp_path)
    assert code == 2
    for p in problems:
        assert p["reason"] in stderr


def test_a_waivers_file_of_another_kind_is_a_400(server: Server, with_files: Path) -> None:
    files = {**_upload(with_files), "waivers": ("waivers.json", b"{}", "application/json")}
    answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": "2025-12-31"}, files=files,
                        headers={"Accept-Language": "en"}, timeout=300)
    assert answer.status_code == 400, answer.text
    assert "waivers: the file name 'waivers.json' must end in .toml" in answer.json()["detail"]


def test_a_communes_pdf_prints_the_commands_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """format=pdf with scope and redact: the page Chromium is given is the command line's (a stand-in Chromium
    writes the page it is given as the "PDF", so that the two can be compared: a real one's bytes carry dates)."""
    from datetime import date

    from cadre_rules.service._worker import Job
    from cadre_rules.service._worker import Refusal
    from cadre_rules.service._worker import run_job

    chromium = tmp_path / "chromium"
    chromium.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#*=}";; '
                        'file://*) page="${a#file://}";; esac; done\ncp "$page" "$out"\n', encoding="utf-8")
    chromium.chmod(0o755)
    monkeypatch.setenv("CADRE_RULES_CHROMIUM", str(chromium))
    folder = SAMPLES["2025"][0]
    uploads = tuple((name, f"{name}.csv", (folder / f"{name}.csv").read_bytes()) for name in ("officials", "units"))
    job = Job(date(2025, 12, 31), (), (), "vi", "pdf", False, "Hà Nội", False, uploads=uploads,
              options=(("scope", ("commune", "00322")), ("redact", True)))
    answer = run_job(job)
    assert not isinstance(answer, Refusal), answer
    expected = _cli("2025", tmp_path, "--scope", "commune:00322", "--redact", formats=("pdf",))["pdf"]
    assert answer.body == expected
    page = answer.body.decode()
    assert "00322" in page and COMMUNE not in page
