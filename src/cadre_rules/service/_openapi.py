"""The OpenAPI 3.1 document of ``cadre-rules serve`` (at ``/openapi.json``; readable at ``/docs``), with examples."""

from __future__ import annotations

from typing import Any

from .._limits import PRINT_LINES
from ..schemas import SCHEMAS
from ._answers import answer_schemas

__all__ = ["MEDIA_TYPES", "TASK_FORMATS", "openapi"]

#: The media type of each output format (the ``Content-Type`` of a 200 answer).
MEDIA_TYPES = {
    "json": "application/json", "jsonl": "application/jsonl", "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "html": "text/html; charset=utf-8",
    "pdf": "application/pdf", "junit": "application/xml", "sarif": "application/sarif+json",
    "text": "text/plain; charset=utf-8",
}
#: The formats of each task (``format=``); json is the default. Evaluate's are its renderers' (the worker knows
#: them, a plugin's too): the built-in ones are documented.
TASK_FORMATS: dict[str, tuple[str, ...]] = {
    "evaluate": ("json", "jsonl", "csv", "xlsx", "html", "pdf", "junit", "sarif", "text"),
    "explain": ("json", "text"), "project": ("json", "text", "csv", "xlsx", "html"),
    "match": ("json", "text", "csv", "xlsx", "html"),
}

_OFFICIAL_EXAMPLE = {
    "id": "HK-001", "full_name": "Nguyễn Thị An", "gender": "nữ", "birth_date": "12/03/1978", "unit": "HK-01",
    "position": "Chủ tịch UBND", "education": "đại học", "political_theory": "cao cấp",
    "ratings": {"2023": "HTTNV", "2024": "HTXSNV"}, "in_planning": True,
}
_UNIT_EXAMPLE = {"code": "HK-01", "name": "Phường Hàng Bạc", "kind": "phường", "class": 1}
_PROBLEM_EXAMPLE = {
    "type": "urn:cadre-rules:problem:input", "title": "The input data has problems", "status": 422,
    "detail": "1 input problem:", "instance": "urn:uuid:…",
    "problems": [{"file": "<body>", "row": None, "column": "/officials/0/gender", "value": "nu x",
                  "reason": "unknown gender (expected one of: male, female)"}],
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _query(name: str, description: str, example: object, *, many: bool = False, required: bool = False) \
        -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if many:
        schema = {"type": "array", "items": schema}
    parameter = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    return parameter if example is None else {**parameter, "example": example}


_AS_OF = _query("as_of", "Evaluation date (YYYY-MM-DD or DD/MM/YYYY); default today.", "2025-12-31")
_PACK = _query("pack", "A pack id or ID@VERSION (repeatable); default the packs in effect.", ["hanoi-de-an-34"],
               many=True)
_PARAM = _query("param", "PACK.KEY=VALUE (repeatable).", ["hanoi-de-an-34.young_min_share=0.12"], many=True)
_LANG = _query("lang", "vi or en; default from Accept-Language, else vi.", "vi")
_CITY = _query("city", "The name of the city scope.", "Hà Nội")
_LEGACY = _query("legacy_districts", "Aggregate by former districts after 2025-07-01.", "false")
_INPUT_EXAMPLE = {"officials": [_OFFICIAL_EXAMPLE], "units": [_UNIT_EXAMPLE]}


def _body(*extras: tuple[str, str]) -> dict[str, Any]:
    """The request body: the JSON input document, or uploaded files (officials and units, or one workbook
    holding both; ``extras``: the task's own files, each with its description)."""
    files: dict[str, Any] = {"officials": {"type": "string", "format": "binary",
                                           "description": "CSV, XLSX, JSON or JSONL; an .xlsx workbook alone may "
                                                          "hold both sheets."},
                             "units": {"type": "string", "format": "binary"}}
    for extra, extra_description in extras:
        files[extra] = {"type": "string", "format": "binary", "description": extra_description}
    return {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Input"}, "example": _INPUT_EXAMPLE},
        "multipart/form-data": {"schema": {"type": "object", "required": ["officials"], "properties": files}},
    }}


def _ok(description: str, formats: dict[str, str], json: dict[str, Any]) -> dict[str, Any]:
    """A 200 answer in each of ``formats`` (by media type), its json by the schema ``json``."""
    schemas = {**_SCHEMAS, "json": json}
    return {"description": description, "content": {media: {"schema": schemas.get(fmt, {"type": "string"})}
                                                     for fmt, media in formats.items()}}


#: The schema of an answer in each format that is not text: JSON documents, binary files.
_SCHEMAS: dict[str, dict[str, Any]] = {"sarif": {"type": "object", "required": ["version", "runs"],
                                                 "additionalProperties": True,
                                                 "description": "SARIF 2.1.0 (its own schema: $schema)."},
                                       "xlsx": {"type": "string", "format": "binary"},
                                       "pdf": {"type": "string", "format": "binary"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, media: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema}}}


#: What every route but the health checks answers without the token (with --token-file).
_UNAUTHORIZED = {"401": _problem("No or a wrong bearer token (with --token-file).")}


def openapi() -> dict[str, Any]:
    """The document."""
    errors = {
        "400": _problem("The request is wrong whatever the data: a malformed query value (a date, a format, a "
                        "scope not of the form district:NAME or commune:NAME), an unknown or repeated parameter, "
                        "or a multipart body that cannot be read."),
        "401": _problem("No or a wrong bearer token."),
        "413": _problem("The body is over --max-body."), "415": _problem("Not JSON or a multipart upload."),
        "422": _problem("A well-formed request that does not fit the data or the packs: the input has problems "
                        "(each located: malformed JSON, unknown keys or codes, too many officials…), a scope, unit, "
                        "district, official or rule the data or packs do not have (located at the query parameter: "
                        "scope, rule…), or a pack that cannot be used (none in effect on as_of, not installed)."),
        "500": _problem("The worker running the request failed (it was replaced), or the server cannot write the "
                        "format asked for (format=pdf without Chromium on the server)."),
        "504": _problem("The request ran past --timeout (it was cancelled, its worker replaced)."),
    }
    media = {task: {f: MEDIA_TYPES[f] for f in formats} for task, formats in TASK_FORMATS.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "cadre-rules", "version": "1",
                 "description": "Evaluates commune-level officials against policy packs. Each POST route answers "
                                "what the command of the same name (`cadre-rules evaluate`, `explain`, `project`, "
                                "`match`) prints for the same input and options, byte for byte; its query "
                                "parameters are the command's options."},
        "security": [{"bearer": []}],
        "paths": {
            "/v1/evaluate": {"post": {
                "summary": "Evaluate officials and units (the report of `cadre-rules evaluate`)",
                "parameters": [
                    _AS_OF, _PACK, _PARAM, _LANG,
                    _query("format", "json (default), jsonl, csv, xlsx, html, pdf, junit, sarif, text.", "json"),
                    _query("explain", "json and jsonl: each finding with its explanation.", "false"),
                    _query("pdf_lines", f"pdf: list at most this many lines (default {PRINT_LINES}; 0: the header, the "
                                        "metrics and each rule's count only); the rest is counted and left to the "
                                        "xlsx and html reports.", "100"),
                    _CITY, _LEGACY,
                    _query("scope", "district:NAME or commune:NAME (a unit's code or name): the report of that "
                                    "district or commune, titled for it (`--scope`), with a commune's own shares of "
                                    "the city's quotas. Malformed: 400; a district or unit not in the data (or a "
                                    "district from 2025-07-01 without legacy_districts=true): 422, located at "
                                    "`scope`.", "commune:Phường Tương Mai"),
                    _query("redact", "true: ids only, no names, positions or unit names, in every format "
                                     "(`--redact`).", "false"),
                ],
                "requestBody": _body(
                    ("waivers", "Findings set aside (TOML [[waiver]] tables: rule, subject, reason, approver, expiry), "
                                "as `--waivers`; with scope=, those of the scope only."),
                    ("baseline", "A previous JSON report: only the findings not in it are shown, and those resolved "
                                 "since are counted, as `--baseline`.")),
                "responses": {"200": _ok("The report, in the format asked for (header X-Cadre-Rules-Findings: how "
                                         "many findings).", media["evaluate"], _ref("Report")), **errors},
            }},
            "/v1/explain": {"post": {
                "summary": "Why each rule fires or not for one official, or a unit's, a district's or the city's "
                           "findings and who each quota counted (`cadre-rules explain`)",
                "parameters": [
                    _query("official", "The id of the official to explain.", "HK-001"),
                    _query("unit", "Explain a unit instead (its code or name).", None),
                    _query("district", "Explain a district instead.", None),
                    _query("city", "true: explain the city-wide findings.", None),
                    _query("rule", "[PACK/]RULE: only this rule (with official).", None),
                    _query("redact", "true: ids only, no names.", "false"),
                    _AS_OF, _PACK, _PARAM, _LANG, _query("format", "json (default) or text.", "json"),
                ],
                "requestBody": _body(),
                "responses": {"200": _ok("The explanation: of an official, or of a unit, a district or the city.",
                                         media["explain"], {"oneOf": [_ref("Explanation"),
                                                                      _ref("ScopeExplanation")]}), **errors},
            }},
            "/v1/project": {"post": {
                "summary": "Each target per scope at each step date to `to`, what it takes, who retires when "
                           "(`cadre-rules project`)",
                "parameters": [
                    _query("to", "The last step date (without it: 400).", "2030-06-30", required=True),
                    _query("step", "month, quarter or year (default).", "year"),
                    _AS_OF, _PACK, _PARAM, _LANG,
                    _query("format", "json (default), text, csv, xlsx, html.", "json"), _CITY, _LEGACY,
                    _query("scope", "district:NAME or commune:NAME (a unit's code or name): the series of that "
                                    "district's or commune's units (and the district's own) and who leaves its posts "
                                    "when, titled for it (`--scope`); the whole input is projected. Malformed: 400; "
                                    "naming no district or unit of the data on as_of: 422, located at `scope`.",
                           "commune:Phường Tương Mai"),
                ],
                "requestBody": _body(("plan", "Dated events (CSV, XLSX, JSON): appointment, move, departure, "
                                              "qualification (docs/project.md).")),
                "responses": {"200": _ok("The projection (header X-Cadre-Rules-Unmet: how many targets are not met "
                                         "on some step).", media["project"], _ref("Projection")), **errors},
            }},
            "/v1/match": {"post": {
                "summary": "Eligible candidates for every vacant or soon-vacant post, across units "
                           "(`cadre-rules match`)",
                "parameters": [
                    _query("within", "Also the key posts whose holder retires within this many months.", "12"),
                    _query("top", "Candidates and near misses per post (default 10).", "10"),
                    _query("assign", "true: propose one candidate per post, each person and post at most once.",
                           "false"),
                    _AS_OF, _PACK, _PARAM, _LANG,
                    _query("format", "json (default), text, csv, xlsx, html.", "json"), _LEGACY,
                    _query("redact", "true: ids only, no names of people or units (`--redact`).", "false"),
                    _query("scope", "district:NAME or commune:NAME (a unit's code or name): the posts to fill of "
                                    "that district's or commune's units only, titled for it (`--scope`); the "
                                    "candidates still come from the whole input. Malformed: 400; naming no "
                                    "district or unit of the data: 422, located at `scope`.",
                           "commune:Phường Tương Mai"),
                ],
                "requestBody": _body(("posts", "Also the posts listed in this CSV file (columns unit, position).")),
                "responses": {"200": _ok("The posts and their candidates.", media["match"], _ref("Match")),
                              **errors},
            }},
            "/v1/schema/{name}": {"get": {
                "summary": "A JSON Schema (`cadre-rules schema NAME`): input, pack, pack-test or report",
                "parameters": [{"name": "name", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(SCHEMAS)}, "example": "input"}],
                "responses": {"200": {"description": "The schema.",
                                      "content": {"application/schema+json": {"schema": {
                                          "type": "object", "additionalProperties": True,
                                          "description": "A JSON Schema (draft 2020-12)."}}}},
                              "404": _problem("No such schema."), **_UNAUTHORIZED}}},
            "/v1/packs": {"get": {"summary": "The policy packs (every version), or those in effect on as_of",
                                  "parameters": [_query("as_of", "Only the versions in effect on this date.",
                                                        "2025-12-31")],
                                  "responses": {"200": {"description": "The packs: one entry per version.",
                                                        "content": {"application/json": {"schema": {
                                                            "type": "array",
                                                            "items": {"$ref": "#/components/schemas/PackVersion"},
                                                        }}}},
                                                "400": errors["400"], **_UNAUTHORIZED}}},
            "/v1/packs/{pack_id}": {"get": {"summary": "A pack's versions, parameters and rules",
                                            "parameters": [{"name": "pack_id", "in": "path", "required": True,
                                                            "schema": {"type": "string"},
                                                            "example": "hanoi-de-an-34"}],
                                            "responses": {
                                                "200": _answer("The pack: its versions (as GET /v1/packs lists "
                                                               "them, with params, key_positions, rules, sources).",
                                                               "application/json", _ref("PackDetail")),
                                                "404": _problem("No such pack."), **_UNAUTHORIZED}}},
            "/healthz": {"get": {"summary": "The server answers (no token needed)", "security": [],
                                 "responses": {"200": _answer("ok", "application/json", _ref("Health"))}}},
            "/readyz": {"get": {"summary": "Every worker is ready (no token needed)", "security": [],
                                "responses": {"200": _answer("ready", "application/json", _ref("Ready")),
                                              "503": _answer("starting", "application/json", _ref("Ready"))}}},
            "/metrics": {"get": {"summary": "Prometheus text: requests, latency, errors, in flight, workers",
                                 "responses": {"200": _answer("Prometheus text format 0.0.4.",
                                                              "text/plain; version=0.0.4; charset=utf-8",
                                                              {"type": "string"}), **_UNAUTHORIZED}}},
            "/openapi.json": {"get": {"summary": "This document",
                                      "responses": {"200": _answer("OpenAPI 3.1, JSON", "application/json",
                                                                   {"type": "object", "required": ["openapi", "paths"],
                                                                    "additionalProperties": True}),
                                                    **_UNAUTHORIZED}}},
            "/docs": {"get": {"summary": "This document as a readable page",
                              "responses": {"200": _answer("HTML", "text/html; charset=utf-8", {"type": "string"}),
                                            **_UNAUTHORIZED}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "With --token-file only."}},
            "schemas": {
                "PackVersion": {
                    "type": "object", "description": "A version of a policy pack.",
                    "required": ["id", "version", "ref", "title", "effective_from", "effective_to",
                                 "superseded_on", "successor", "sha256", "kept"],
                    "properties": {
                        "id": {"type": "string"}, "version": {"type": "string"},
                        "ref": {"type": "string", "description": "ID@VERSION, as pack= takes it."},
                        "title": {"$ref": "#/components/schemas/Text"},
                        "effective_from": {"type": ["string", "null"], "format": "date"},
                        "effective_to": {"type": ["string", "null"], "format": "date"},
                        "superseded_on": {"type": ["string", "null"], "format": "date"},
                        "successor": {"type": ["string", "null"]},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "kept": {"type": "array", "items": {"$ref": "#/components/schemas/KeptVersion"},
                                 "description": "The released versions this version took the place of (its "
                                                "earlier releases, revised), kept as they were released."},
                    },
                },
                "KeptVersion": {
                    "type": "object",
                    "description": "A released version kept as it was released: never chosen by date, applied "
                                   "only when named (pack=ID@VERSION); a report made with it names this sha256.",
                    "required": ["ref", "version", "sha256", "replaced_by", "withdrawn"],
                    "properties": {
                        "ref": {"type": "string", "example": "vn-commune-2tier@2025.10"},
                        "version": {"type": "string"},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "replaced_by": {"type": "string", "description": "The version that replaced it.",
                                        "example": "2025.10.1"},
                        "withdrawn": {"oneOf": [{"$ref": "#/components/schemas/Text"}, {"type": "null"}],
                                      "description": "Why it was withdrawn as wrong (a report made with it "
                                                     "pinned says so in a note), or null."},
                    },
                },
                "Text": {"type": "object", "required": ["vi", "en"],
                         "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}},
                **{name: {**schema, "example": _PROBLEM_EXAMPLE} if name == "Problem" else schema
                   for name, schema in answer_schemas().items()},
            },
        },
    }
