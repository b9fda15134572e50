"""The service's contract, as an integrator holds it: every route, asked as a client asks (each format of each job,
the packs, the schemas, the health checks, and the errors 400/401/404/405/413/415/422 as they occur), answers what
its OpenAPI document says for that route and status: a documented status, a documented media type, and a json body
that validates against the document's schema and holds no key the schema does not name (the real server on a free
local port; :func:`undescribed` is the strict walk). Every 4xx of one field or record locates it in ``problems``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

httpx = pytest.importorskip("httpx", reason="the serve extra's tests need httpx (pip install -e '.[test,serve]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install -e '.[test,serve]')")
#: The module's tests on one xdist worker (scripts/test: --dist loadgroup), so that its server starts once.
pytestmark = pytest.mark.xdist_group("test_serve_contract")

from cadre_rules.io._io import official_to_row  # noqa: E402
from cadre_rules.io._io import unit_to_row  # noqa: E402
from cadre_rules.schemas import SCHEMAS  # noqa: E402
from cadre_rules.schemas import schema_text  # noqa: E402
from test_match_concurrent import PEOPLE  # noqa: E402 - a Bí thư proposed for a post as a concurrent holding
from test_match_concurrent import UNITS  # noqa: E402
from test_serve import EXAMPLE  # noqa: E402 - the 2025 sample, as tests/test_serve.py posts it
from test_serve import Server  # noqa: E402
from test_serve import _document  # noqa: E402
from test_serve import served  # noqa: E402

TOKEN = "contract-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AS_OF = "2025-12-31"
JSON = {**AUTH, "Content-Type": "application/json"}
#: The media types whose bodies are JSON documents (validated against their schema).
_JSON_MEDIA = ("application/json", "application/problem+json", "application/schema+json", "application/sarif+json")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve-contract")
    (tmp / "token").write_text(TOKEN + "\n")
    yield from served(tmp, "--token-file", str(tmp / "token"), "--max-body", "1")


@pytest.fixture(scope="module")
def document(server: Server) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/openapi.json", headers=AUTH)
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


@pytest.fixture(scope="module")
def body() -> bytes:
    """200 officials of the 2025 sample and its units, as the JSON input document."""
    return _document(200)


@pytest.fixture(scope="module")
def commune(body: bytes) -> str:
    """The code of the unit of the first official of :func:`body`."""
    code: str = json.loads(body)["officials"][0]["unit"]
    return code


# --------------------------------------------------------------------------- the strict check


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _accepts(schema: dict[str, Any], value: object) -> bool:
    """Whether ``schema``'s ``type`` (if any) admits ``value``'s JSON type (to pick a ``oneOf`` branch)."""
    kinds = schema.get("type")
    if kinds is None:
        return True
    kinds = [kinds] if isinstance(kinds, str) else kinds
    kind = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value))
    if kind is None:  # a number
        return "number" in kinds or ("integer" in kinds and float(value).is_integer())  # type: ignore[arg-type]
    return kind in kinds


def _valid(value: object, schema: dict[str, Any], document: dict[str, Any]) -> bool:
    return jsonschema.Draft202012Validator({**schema, "components": document["components"]}).is_valid(value)


def undescribed(value: object, schema: dict[str, Any], document: dict[str, Any], at: str = "") -> list[str]:
    """The places in ``value`` that ``schema`` does not name: a key of an object not among its schema's
    ``properties`` (where the schema does not declare other keys with ``additionalProperties``), an array's items
    without an ``items`` schema. ``jsonschema`` lets an undeclared key pass; an answer must name each of its own."""
    schema = _resolve(schema, document)
    for combined in ("oneOf", "anyOf"):
        if combined in schema:
            branches = [_resolve(branch, document) for branch in schema[combined]]
            chosen = next((b for b in branches if _accepts(b, value) and _valid(value, b, document)), None)
            return [f"{at or '/'}: no branch of {combined}"] if chosen is None else undescribed(
                value, chosen, document, at)
    if "allOf" in schema:
        merged = dict(schema)
        merged["properties"] = dict(schema.get("properties", {}))
        for part in schema["allOf"]:
            merged["properties"].update(_resolve(part, document).get("properties", {}))
        del merged["allOf"]
        schema = merged
    found: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        others = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                found += undescribed(item, properties[key], document, f"{at}/{key}")
            elif isinstance(others, dict):
                found += undescribed(item, others, document, f"{at}/{key}")
            elif others is not True:
                found.append(f"{at}/{key}")
    elif isinstance(value, list) and value:
        items = schema.get("items")
        if items is None:
            return [f"{at}/0"]
        for i, item in enumerate(value):
            found += undescribed(item, items, document, f"{at}/{i}")
    return found


def _kinds(places: list[str]) -> list[str]:
    """``places`` without repeats of the same key in another item (``/findings/*/facts``)."""
    return sorted({re.sub(r"/\d+(?=/|$)", "/*", place) for place in places})


def conforms(document: dict[str, Any], method: str, route: str, answer: Any) -> None:
    """``answer`` (to ``method`` ``route``) is as ``document`` describes it: its status documented for that route,
    its media type among that response's, its json valid and every key named."""
    operation = document["paths"][route][method]
    status = str(answer.status_code)
    assert status in operation["responses"], f"{method.upper()} {route}: {status} is not documented: {answer.text}"
    content = operation["responses"][status].get("content")
    assert content, f"{method.upper()} {route} {status}: no content documented"
    media = answer.headers["content-type"]
    assert media in content or media.split(";")[0] in content, f"{method.upper()} {route} {status}: {media}"
    schema = content.get(media) or content[media.split(";")[0]]
    schema = schema["schema"]
    if media.split(";")[0] not in _JSON_MEDIA:
        assert _resolve(schema, document).get("type") == "string", (route, status, media)
        return
    data = answer.json()
    jsonschema.validate(data, {**schema, "components": document["components"]})
    if 400 <= answer.status_code < 500:  # (a client's mistake: located at what it sent, as every 4xx)
        assert data.get("problems"), f"{method.upper()} {route} {status}: no problems: {answer.text}"
    assert _kinds(undescribed(data, schema, document)) == [], f"{method.upper()} {route} {status}"


def _post(server: Server, task: str, body: bytes, **query: str) -> Any:
    return httpx.post(f"{server.url}/v1/{task}", params={"as_of": AS_OF, **query}, content=body, headers=JSON,
                      timeout=300)


# --------------------------------------------------------------------------- every route, each format and job

_FORMATS = {"evaluate": ("json", "jsonl", "csv", "xlsx", "html", "junit", "sarif", "text"),
            "project": ("json", "text", "csv", "xlsx", "html"), "match": ("json", "text", "csv", "xlsx", "html")}


@pytest.mark.parametrize(("task", "fmt"), [(task, fmt) for task, formats in _FORMATS.items() for fmt in formats])
def test_each_format_of_each_job_is_as_documented(server: Server, document: dict[str, Any], body: bytes, task: str,
                                                  fmt: str) -> None:
    query = {"format": fmt, **{"project": {"to": "2027-12-31"}, "match": {"assign": "true"}}.get(task, {})}
    if (task, fmt) == ("evaluate", "json"):
        query["explain"] = "true"
    answer = _post(server, task, body, **query)
    assert answer.status_code == 200, answer.text
    conforms(document, "post", f"/v1/{task}", answer)


@pytest.mark.parametrize(("task", "query"), [
    (task, query) for task in ("evaluate", "project", "match")
    for query in ({"scope": "commune:{commune}"}, {"scope": "commune:{commune}", "redact": "true"})
    if task != "project" or "redact" not in query])  # (project has no redact)
def test_a_scoped_and_a_redacted_json_are_as_documented(server: Server, document: dict[str, Any], body: bytes,
                                                        commune: str, task: str, query: dict[str, str]) -> None:
    extra = {"project": {"to": "2027-12-31"}, "match": {"assign": "true"}}.get(task, {})
    answer = _post(server, task, body, **extra, **{k: v.format(commune=commune) for k, v in query.items()})
    assert answer.status_code == 200, answer.text
    conforms(document, "post", f"/v1/{task}", answer)
    assert json.loads(answer.content)["scope"]["id"] == commune


@pytest.mark.parametrize("query", [
    {"official": "{official}"}, {"official": "{official}", "redact": "true"}, {"unit": "{commune}"},
    {"city": "true"}, {"official": "{official}", "format": "text"}, {"unit": "{commune}", "format": "text"}],
    ids=["official", "official-redacted", "unit", "city", "official-text", "unit-text"])
def test_each_explanation_is_as_documented(server: Server, document: dict[str, Any], body: bytes, commune: str,
                                           query: dict[str, str]) -> None:
    official = json.loads(body)["officials"][0]["id"]
    answer = _post(server, "explain", body, **{k: v.format(official=official, commune=commune)
                                               for k, v in query.items()})
    assert answer.status_code == 200, answer.text
    conforms(document, "post", "/v1/explain", answer)


def test_the_evaluate_json_is_valid_against_the_shipped_report_schema(server: Server, body: bytes, commune: str) \
        -> None:
    """``schemas/report.schema.json`` (``cadre-rules schema report``) agrees with the answer too: valid, and every key
    named, explained, scoped and redacted."""
    schema = json.loads(schema_text("report"))
    for query in ({"explain": "true"}, {"scope": f"commune:{commune}", "redact": "true"}):
        report = _post(server, "evaluate", body, **query).json()
        jsonschema.validate(report, schema)
        assert _kinds(undescribed(report, schema, schema)) == [], query


@pytest.mark.parametrize(("path", "route"), [
    ("/v1/packs", "/v1/packs"), ("/v1/packs?as_of=2025-12-31", "/v1/packs"),
    ("/v1/packs/vn-commune-2tier", "/v1/packs/{pack_id}"), ("/v1/packs/hanoi-de-an-34", "/v1/packs/{pack_id}"),
    ("/v1/packs/no-such-pack", "/v1/packs/{pack_id}"), ("/v1/packs?as_of=31/13/2025", "/v1/packs"),
    ("/v1/packs?when=2025", "/v1/packs"),
    *((f"/v1/schema/{name}", "/v1/schema/{name}") for name in SCHEMAS), ("/v1/schema/nope", "/v1/schema/{name}"),
    ("/healthz", "/healthz"), ("/readyz", "/readyz"), ("/metrics", "/metrics"), ("/openapi.json", "/openapi.json"),
    ("/docs", "/docs")])
def test_each_get_route_is_as_documented(server: Server, document: dict[str, Any], path: str, route: str) -> None:
    conforms(document, "get", route, httpx.get(f"{server.url}{path}", headers=AUTH, timeout=60))


@pytest.mark.parametrize(("path", "route"), [
    ("/v1/packs", "/v1/packs"), ("/v1/packs/vn-commune-2tier", "/v1/packs/{pack_id}"), ("/metrics", "/metrics"),
    ("/openapi.json", "/openapi.json"), ("/docs", "/docs"), ("/v1/schema/input", "/v1/schema/{name}")])
def test_without_the_token_each_route_answers_the_documented_401(server: Server, document: dict[str, Any],
                                                                 path: str, route: str) -> None:
    answer = httpx.get(f"{server.url}{path}")
    assert answer.status_code == 401
    conforms(document, "get", route, answer)
    for task in ("evaluate", "explain", "project", "match"):
        answer = httpx.post(f"{server.url}/v1/{task}", content=b"{}", headers={"Content-Type": "application/json"})
        assert answer.status_code == 401
        conforms(document, "post", f"/v1/{task}", answer)


def test_an_unknown_route_and_method_are_problems(server: Server, document: dict[str, Any]) -> None:
    for answer, status in ((httpx.get(f"{server.url}/v1/nope", headers=AUTH), 404),
                           (httpx.get(f"{server.url}/v1/evaluate", headers=AUTH), 405)):
        assert answer.status_code == status and answer.headers["content-type"] == "application/problem+json"
        problem = {"$ref": "#/components/schemas/Problem"}
        jsonschema.validate(answer.json(), {**problem, "components": document["components"]})
        assert _kinds(undescribed(answer.json(), problem, document)) == []
    assert _problems(httpx.get(f"{server.url}/v1/nope", headers=AUTH)) == [("path", None, None, "/v1/nope")]
    method = httpx.get(f"{server.url}/v1/evaluate", headers={**AUTH, "Accept-Language": "vi"}).json()
    assert method["problems"] == [{"file": "method", "row": None, "column": None, "value": "GET", "reason":
                                   "/v1/evaluate không nhận phương thức GET (phương thức được nhận: POST)"}]


# --------------------------------------------------------------------------- errors, each located

def _problems(answer: Any) -> list[tuple[Any, ...]]:
    return [(p["file"], p["row"], p["column"], p["value"]) for p in answer.json().get("problems", [])]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_pack_in_effect_is_located_at_as_of_as_sent(server: Server, document: dict[str, Any], body: bytes,
                                                       lang: str) -> None:
    """Known gap (session 18): ``as_of`` no pack is in effect on answered a 422 without ``problems``."""
    answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": "01/01/2020"}, content=body,
                        headers={**JSON, "Accept-Language": lang}, timeout=300)
    assert answer.status_code == 422, answer.text
    conforms(document, "post", "/v1/evaluate", answer)
    (problem,) = answer.json()["problems"]
    reason = {"en": "no policy pack is in effect on 2020-01-01; name one with pack=",
              "vi": "không có gói quy định nào có hiệu lực vào ngày 01/01/2020; hãy chỉ định một gói bằng pack="}
    assert problem == {"file": "as_of", "row": None, "column": None, "value": "01/01/2020", "reason": reason[lang]}


def test_an_as_of_before_every_birth_shows_the_date_as_sent(server: Server, document: dict[str, Any], body: bytes) \
        -> None:
    """The other 422 at ``as_of`` (a worker's, that knows only the date) shows it as the query wrote it too."""
    answer = httpx.post(f"{server.url}/v1/explain", params={"as_of": "01/01/1900", "city": "true"}, content=body,
                        headers=JSON, timeout=300)
    assert answer.status_code == 422, answer.text
    conforms(document, "post", "/v1/explain", answer)
    assert _problems(answer) == [("as_of", None, None, "01/01/1900")]


#: Malformed bodies: (content, Content-Type, status, the problems' (file, row, column, value)).
_BAD_BODIES = {
    "not json": (b'{"officials": [', "application/json", 422, None),
    "a list": (b'[{"id": "A1"}]', "application/json", 422, None),
    "an unknown field": (b'{"officials": [], "units": [], "staff": []}', "application/json", 422, None),
    "a wrong type": (b'{"officials": {"id": "A1"}, "units": []}', "application/json", 422, None),
    "a number": (b"42", "application/json", 422, None),
    "empty": (b"", "application/json", 422, None),
    "not utf-8": ('{"officials": [{"id": "Đ"}], "units": []}'.encode("utf-16"), "application/json", 422, None),
    "csv": (b"id\nA1\n", "text/csv", 415, None),
    "no type": (b"{}", "", 415, None),
    "multipart without a boundary": (b"--x\r\n", "multipart/form-data", 400, None),
}


@pytest.mark.parametrize("task", ["evaluate", "explain", "project", "match"])
@pytest.mark.parametrize("case", list(_BAD_BODIES))
def test_a_malformed_body_is_a_located_problem_of_the_documented_status(server: Server, document: dict[str, Any],
                                                                        task: str, case: str) -> None:
    content, media, status, _ = _BAD_BODIES[case]
    query = {"as_of": AS_OF, **{"explain": {"city": "true"}, "project": {"to": "2027-12-31"}}.get(task, {})}
    headers = {**AUTH, **({"Content-Type": media} if media else {})}
    answer = httpx.post(f"{server.url}/v1/{task}", params=query, content=content, headers=headers, timeout=300)
    assert answer.status_code == status, answer.text
    conforms(document, "post", f"/v1/{task}", answer)
    if status == 422:  # (a body's problem: located in it)
        assert answer.json()["problems"] and all(p["file"] == "<body>" for p in answer.json()["problems"]), answer.text


def test_a_body_over_the_limit_is_the_documented_413(server: Server, document: dict[str, Any]) -> None:
    for chunked in (False, True):
        content: Any = b" " * (2 << 20)
        if chunked:
            content = iter([b" " * (1 << 20)] * 2)
        answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": AS_OF}, content=content, headers=JSON,
                            timeout=300)
        assert answer.status_code == 413
        conforms(document, "post", "/v1/evaluate", answer)


@pytest.mark.parametrize(("query", "at"), [
    ({"as_of": "31/13/2025"}, "as_of"), ({"format": "docx"}, None), ({"when": "now"}, "when"),
    ({"lang": ""}, "lang"), ({"scope": "Tương Mai"}, "scope"), ({"scope": "commune:99999"}, "scope"),
    ({"pack": "no-such-pack"}, "pack"), ({"param": "x"}, "param"), ({"explain": "true", "format": "csv"}, "explain"),
    ({"redact": "perhaps"}, "redact")])
def test_a_wrong_query_is_located_at_its_parameter(server: Server, document: dict[str, Any], body: bytes,
                                                   query: dict[str, str], at: str | None) -> None:
    answer = httpx.post(f"{server.url}/v1/evaluate", params={"as_of": AS_OF, **query}, content=body, headers=JSON,
                        timeout=300)
    assert answer.status_code in (400, 422), answer.text
    conforms(document, "post", "/v1/evaluate", answer)
    assert [p[0] for p in _problems(answer)] == [at or "format"], answer.text


def test_the_openapi_documents_schemas_are_valid_json_schemas(document: dict[str, Any]) -> None:
    for name, schema in document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert name.isidentifier()
    assert Path(EXAMPLE).is_dir()


def test_a_concurrent_holding_in_the_match_json_is_as_documented(server: Server, document: dict[str, Any]) -> None:
    """Known gap (session 18): the document had no schema for match's ``concurrent`` (a candidate's or a near
    miss's, session 17). A sitting Bí thư proposed for their ward's Chủ tịch HĐND post: ``"concurrent": true``."""
    files = {"officials": ("officials.json", json.dumps([official_to_row(o) for o in PEOPLE]).encode(), "text/json"),
             "units": ("units.json", json.dumps([unit_to_row(u) for u in UNITS]).encode(), "text/json"),
             "posts": ("posts.csv", b"unit,position\nA,council_chair\n", "text/csv")}
    answer = httpx.post(f"{server.url}/v1/match", params={"as_of": AS_OF, "top": "50"}, files=files, headers=AUTH,
                        timeout=300)
    assert answer.status_code == 200, answer.text
    conforms(document, "post", "/v1/match", answer)
    (post,) = [p for p in answer.json()["posts"] if (p["unit"], p["position"]) == ("A", "council_chair")]
    assert sorted(c["id"] for c in post["candidates"] if c.get("concurrent")) == ["sec-a", "std-a"]


@pytest.mark.parametrize("task", ["evaluate", "explain", "project", "match"])
def test_the_documented_request_is_valid_and_answered(server: Server, document: dict[str, Any], body: bytes,
                                                      task: str) -> None:
    """The request body as the document describes it (``Input``: each record of ``schemas/input.schema.json``, an
    official's list columns also JSON lists or objects): its own example and the sample's records are valid, and the
    example is answered (200), as documented."""
    content = document["paths"][f"/v1/{task}"]["post"]["requestBody"]["content"]["application/json"]
    for sent in (content["example"], json.loads(body)):
        jsonschema.validate(sent, {**content["schema"], "components": document["components"]})
        assert _kinds(undescribed(sent, content["schema"], document)) == []
    query = {"explain": {"official": "HK-001"}, "project": {"to": "2027-12-31"}}.get(task, {})
    answer = _post(server, task, json.dumps(content["example"]).encode(), **query)
    assert answer.status_code == 200, answer.text
    conforms(document, "post", f"/v1/{task}", answer)


def test_each_required_parameter_left_out_is_a_400_located_at_it(server: Server, document: dict[str, Any],
                                                                  body: bytes) -> None:
    required = [(route, parameter["name"]) for route, methods in document["paths"].items()
                for parameter in methods.get("post", {}).get("parameters", ()) if parameter["required"]]
    assert required == [("/v1/project", "to")]
    for route, name in required:
        answer = httpx.post(f"{server.url}{route}", params={"as_of": AS_OF}, content=body, headers=JSON, timeout=300)
        assert answer.status_code == 400
        conforms(document, "post", route, answer)
        assert [p[0] for p in _problems(answer)] == [name]
