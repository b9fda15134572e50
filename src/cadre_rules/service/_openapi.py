"""The OpenAPI 3.1 document of ``cadre-rules serve`` (served at ``/docs`` and ``/openapi.json``), with examples."""

from __future__ import annotations

from typing import Any

__all__ = ["openapi"]

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


def _query(name: str, description: str, example: object, *, many: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if many:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema,
            "example": example}


def openapi() -> dict[str, Any]:
    """The document."""
    errors = {
        "400": _problem("A bad query (a date, a format, an unknown parameter)."),
        "401": _problem("No or a wrong bearer token."),
        "413": _problem("The body is over --max-body."), "415": _problem("Not JSON, JSON Lines or a multipart upload."),
        "422": _problem("The input has problems (each located: malformed JSON, unknown keys or codes, too many "
                        "officials…) or a pack cannot be used."),
        "500": _problem("The worker evaluating the request failed (it was replaced)."),
        "504": _problem("The evaluation ran past --timeout (it was cancelled, its worker replaced)."),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "cadre-rules", "version": "1",
                 "description": "Evaluates commune-level officials against policy packs: the report of "
                                "`cadre-rules evaluate`, byte for byte."},
        "security": [{"bearer": []}],
        "paths": {
            "/v1/evaluate": {"post": {
                "summary": "Evaluate officials and units (the report of `cadre-rules evaluate`)",
                "parameters": [
                    _query("as_of", "Evaluation date (YYYY-MM-DD or DD/MM/YYYY); default today.", "2025-12-31"),
                    _query("pack", "A pack id or ID@VERSION (repeatable); default the packs in effect.",
                           ["hanoi-de-an-34"], many=True),
                    _query("param", "PACK.KEY=VALUE (repeatable).", ["hanoi-de-an-34.young_min_share=0.12"],
                           many=True),
                    _query("lang", "vi or en; default from Accept-Language, else vi.", "vi"),
                    _query("format", "json (default), jsonl, csv, xlsx, html, junit, sarif, text.", "json"),
                    _query("explain", "json and jsonl: each finding with its explanation.", "false"),
                    _query("city", "The name of the city scope.", "Hà Nội"),
                    _query("legacy_districts", "Aggregate by former districts after 2025-07-01.", "false"),
                ],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Input"},
                                         "example": {"officials": [_OFFICIAL_EXAMPLE], "units": [_UNIT_EXAMPLE]}},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["officials", "units"],
                                                       "properties": {
                                                           "officials": {"type": "string", "format": "binary"},
                                                           "units": {"type": "string", "format": "binary"}}}},
                }},
                "responses": {"200": {"description": "The report, in the format asked for.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}, **errors},
            }},
            "/v1/packs": {"get": {"summary": "The policy packs (every version), or those in effect on as_of",
                                  "parameters": [_query("as_of", "Only the versions in effect on this date.",
                                                        "2025-12-31")],
                                  "responses": {"200": {"description": "The packs."}, "400": errors["400"]}}},
            "/v1/packs/{pack_id}": {"get": {"summary": "A pack's versions, parameters and rules",
                                            "parameters": [{"name": "pack_id", "in": "path", "required": True,
                                                            "schema": {"type": "string"},
                                                            "example": "hanoi-de-an-34"}],
                                            "responses": {"200": {"description": "The pack."},
                                                          "404": _problem("No such pack.")}}},
            "/healthz": {"get": {"summary": "The server answers (no token needed)", "security": [],
                                 "responses": {"200": {"description": "ok"}}}},
            "/readyz": {"get": {"summary": "Every worker is ready (no token needed)", "security": [],
                                "responses": {"200": {"description": "ready"}, "503": {"description": "starting"}}}},
            "/metrics": {"get": {"summary": "Prometheus text: requests, latency, errors, in flight, workers",
                                 "responses": {"200": {"description": "text/plain; version=0.0.4"}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "With --token-file only."}},
            "schemas": {
                "Input": {"type": "object", "required": ["officials", "units"], "additionalProperties": False,
                          "properties": {"officials": {"type": "array", "items": {"type": "object"},
                                                       "description": "Records with the columns of the input "
                                                                      "contract (codes or Vietnamese labels)."},
                                         "units": {"type": "array", "items": {"type": "object"}}}},
                "Problem": {"type": "object", "description": "RFC 9457 problem details",
                            "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                                           "status": {"type": "integer"}, "detail": {"type": "string"},
                                           "instance": {"type": "string"},
                                           "problems": {"type": "array", "items": {"type": "object"}}},
                            "example": _PROBLEM_EXAMPLE},
            },
        },
    }
