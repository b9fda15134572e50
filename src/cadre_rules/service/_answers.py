"""The JSON schemas of what ``cadre-rules serve`` answers and reads (the ``components/schemas`` of its OpenAPI
document): the report (``schemas/report.schema.json`` itself, its ``$defs`` as components), the json of explain,
project and match, the packs, the problems, the health checks; the input document (the records of
``schemas/input.schema.json``). Each names every key an answer can hold (a test walks real answers of
every route and finds none unnamed, tests/test_serve_contract.py); a map whose keys are data (a finding's facts, a
pack's params) says so with ``additionalProperties``.
"""

from __future__ import annotations

import json
from typing import Any

from ..schemas import schema_text

__all__ = ["ANSWER_SCHEMAS", "answer_schemas", "shipped"]

_STRING = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_INT = {"type": "integer", "minimum": 0}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_DATE = {"type": "string", "format": "date"}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_STRINGS = {"type": "array", "items": _STRING}
_OP = {"enum": [">=", "<="]}
_SEVERITY = {"enum": ["error", "warning", "info"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None, **more: Any) -> dict[str, Any]:
    """An object of ``properties`` (all of them required unless ``required`` says which), no other key."""
    return {"type": "object", "required": list(properties) if required is None else required,
            "properties": properties, "additionalProperties": False, **more}


def _or_null(name: str) -> dict[str, Any]:
    return {"oneOf": [_ref(name), {"type": "null"}]}


#: The document a scope restricts an answer to (``scope=``): ``{"kind", "id", "name"}``.
_SCOPE = _object({"kind": {"enum": ["district", "unit"]}, "id": _STRING, "name": _STRING})
#: A person of a scope's quota (``counted``…), named unless redacted.
_SUBJECT = _ref("ReportSubject")
#: A step of a series: a target's value on a step date.
_POINT = _object({"date": _DATE, "numerator": _INT, "denominator": _INT, "value": _NUMBER_OR_NULL,
                  "met": {"type": ["boolean", "null"]}})
_BINDS = {"type": "array", "minItems": 1,
          "items": _object({"scope": {"enum": ["city", "district"]}, "scope_id": _STRING})}
_NEEDED = _object({"replacing": _INT, "adding": {"type": ["integer", "null"], "minimum": 0}})
_SCOPE_METRIC = _object({"numerator": _INT, "denominator": _INT, "value": _NUMBER_OR_NULL, "target": {"type": "number"},
                         "op": _OP, "met": {"type": ["boolean", "null"]},
                         "needed": {"oneOf": [_NEEDED, {"type": "null"}]}})
#: The packs of a commune's or a district's projection or explanation that apply to none of its units (another
#: commune's or district's plugin), as the report marks them ``"applies": false``; absent when every pack applies.
_NOT_APPLYING = {**_STRINGS, "minItems": 1,
                 "description": "The packs listed (ID@VERSION) that apply to none of the commune's or district's units "
                                "(another commune's or district's), not named in the header; absent when every pack "
                                "applies (added in session 19, within v1)."}
_OFFICIAL_BRIEF = _object({"id": _STRING, "full_name": _STRING, "position": _STRING, "unit": _STRING})
#: One condition of a rule as the reference evaluator explains it (its keys depend on the kind of condition: a
#: field compared, a count, a quota's share…).
_ENTRY = {"type": "object", "description": "A sub-condition and its value (docs/report.md, --explain).",
          "properties": {"part": _STRING, "depth": _INT, "condition": _STRING, "field": _STRING, "label": _STRING,
                         "op": _STRING, "value": {}, "target": {}, "result": {"type": ["boolean", "null"]},
                         "severity": _STRING},
          "additionalProperties": True}

_MATCH = _object({
    "schema": {"const": "cadre-rules/match/v1"}, "cadre_rules_version": _STRING, "as_of": _DATE,
    "backend": _STRING, "packs": _STRINGS, "scope": _SCOPE,
    "summary": _object({"posts": _INT, "with_candidates": _INT, "assigned": {"type": ["integer", "null"]}}),
    "posts": {"type": "array", "items": _ref("MatchPost")},
    "metrics": {"oneOf": [{"type": "object", "description": "With assign=true: each metric before and after the "
                                                            "proposal.",
                           "additionalProperties": _object({"before": _NUMBER_OR_NULL, "after": _NUMBER_OR_NULL})},
                          {"type": "null"}]},
    "notes": _STRINGS,
}, required=["schema", "cadre_rules_version", "as_of", "backend", "packs", "summary", "posts", "metrics", "notes"],
    description="The json of match (docs/match.md): the posts to fill, each with its candidates and near misses.")

_CONCURRENT = {"const": True, "description": "Present (true) only when the post would be a concurrent holding "
                                             "(kiêm nhiệm) of this person's (added in session 17, within v1)."}
_MATCH_POST = _object({
    "unit": _STRING, "unit_name": _TEXT_OR_NULL, "district": _TEXT_OR_NULL, "position": _STRING,
    "reason": {"enum": ["vacant", "retiring", "term_ends", "listed"]}, "holder": _TEXT_OR_NULL,
    "due": _DATE_OR_NULL, "eligible": _INT, "assigned": _TEXT_OR_NULL,
    "finding": {"oneOf": [_object({"pack": _STRING, "rule": _STRING}), {"type": "null"}]},
    "candidates": {"type": "array", "items": _object({
        "rank": {"type": "integer", "minimum": 1}, "id": _STRING, "full_name": _TEXT_OR_NULL, "unit": _STRING,
        "unit_name": _TEXT_OR_NULL, "position": _STRING, "targets": _INT, "meets": _STRINGS, "fit": _INT,
        "reasons": _STRINGS, "concurrent": _CONCURRENT},
        required=["rank", "id", "full_name", "unit", "unit_name", "position", "targets", "meets", "fit", "reasons"])},
    "near_misses": {"type": "array", "items": _object({
        "id": _STRING, "full_name": _TEXT_OR_NULL, "unit": _STRING, "unit_name": _TEXT_OR_NULL, "position": _STRING,
        "pack": _STRING, "rule": _STRING, "lack": _STRING, "cite": _STRING, "concurrent": _CONCURRENT},
        required=["id", "full_name", "unit", "unit_name", "position", "pack", "rule", "lack", "cite"])},
})

_PROJECTION = _object({
    "schema": {"const": "cadre-rules/projection/v1"}, "cadre_rules_version": _STRING, "as_of": _DATE, "to": _DATE,
    "step": {"enum": ["month", "quarter", "year"]}, "city": _STRING, "scope": _SCOPE, "backend": _STRING,
    "input": _object({"officials": _INT, "units": _INT, "plan_events": _INT}),
    "steps": {"type": "array", "items": _object({"date": _DATE, "serving": _INT, "packs": _STRINGS})},
    "not_applying": _NOT_APPLYING,
    "targets": {"type": "array", "items": _object({
        "pack": _STRING, "id": _STRING, "kind": {"enum": ["metric", "rule"]}, "family": _STRING,
        "scope": {"enum": ["city", "district", "unit"]}, "scope_id": _STRING, "scope_name": _STRING,
        "target": _NUMBER_OR_NULL, "op": {"enum": [">=", "<=", None]},
        "per": {"enum": ["official", "unit", "post", None]},
        "points": {"type": "array", "items": _POINT}, "first_unmet": _DATE_OR_NULL, "leavers": _INT,
        "needed": _object({"added": {"type": ["integer", "null"]}, "replacing": {"type": ["integer", "null"]}}),
        "name": _or_null("Text")})},
    "succession": {"type": "array", "items": _object({
        "retirement_date": _DATE, "official": _OFFICIAL_BRIEF, "unit_name": _TEXT_OR_NULL,
        "in_planning": {"type": "array", "items": _OFFICIAL_BRIEF}, "reason": {"enum": ["retirement", "term_ends"]},
        "last_day": _DATE})},
    "unit_shares": {"type": "array", "items": _object({
        "pack": _STRING, "id": _STRING, "unit": _STRING, "target": {"type": "number"}, "op": _OP,
        "per": {"enum": ["official", "unit"]}, "binds": _BINDS,
        "points": {"type": "array", "items": _object({"date": _DATE, "numerator": _INT, "denominator": _INT,
                                                      "value": _NUMBER_OR_NULL})},
        "name": _or_null("Text")})},
    "notes": _STRINGS,
}, required=["schema", "cadre_rules_version", "as_of", "to", "step", "city", "backend", "input", "steps", "targets",
             "succession", "notes"],
    description="The json of project (docs/project.md): each target at each step date, who leaves when.")

_EXPLANATION = _object({
    "official": _STRING, "name": _STRING, "position": _STRING, "unit_name": _STRING, "unit": _STRING,
    "district": _TEXT_OR_NULL, "posts": _STRINGS, "as_of": _DATE, "packs": _STRINGS, "notes": _STRINGS,
    "rules": {"type": "array", "items": _object({
        "pack": _STRING, "rule": _STRING, "family": _STRING, "kind": {"enum": ["rule", "quota"]},
        "severity": _SEVERITY, "status": _STRING, "finding_severity": {"enum": ["error", "warning", "info", None]},
        "message": _TEXT_OR_NULL, "by": _TEXT_OR_NULL, "reason": _TEXT_OR_NULL, "cite": _STRING,
        "explanation": {"type": "array", "items": _ENTRY}})},
}, required=["official", "unit", "district", "posts", "as_of", "packs", "notes", "rules"],
    description="The json of explain official=ID: every rule of the packs for one official, each with its "
                "explanation (name, position, unit_name: not with redact=true).")

_SCOPE_EXPLANATION = _object({
    "kind": {"enum": ["unit", "district", "city"]}, "id": _STRING, "name": _STRING, "as_of": _DATE,
    "packs": _STRINGS, "not_applying": _NOT_APPLYING, "notes": _STRINGS,
    "findings": {"type": "array", "items": _ref("ReportFinding")},
    "metrics": {"type": "array", "items": _object({"pack": _STRING, "id": _STRING,
                                                   "metric": {"oneOf": [_SCOPE_METRIC, {"type": "null"}]},
                                                   "name": _or_null("Text")})},
    "quotas": {"type": "array", "items": _object({
        "pack": _STRING, "quota": _STRING, "family": _STRING, "severity": _SEVERITY, "cite": _STRING,
        "metric": {"oneOf": [_SCOPE_METRIC, {"type": "null"}]}, "counted": {"type": "array", "items": _SUBJECT},
        "not_counted": {"type": "array", "items": _SUBJECT}, "unknown": {"type": "array", "items": _SUBJECT},
        "name": _or_null("Text")})},
}, required=["kind", "id", "name", "as_of", "packs", "notes", "findings", "metrics", "quotas"],
    description="The json of explain unit=, district= or city=true (docs/api.md).")

_PACK_DETAIL = _object({
    "id": _STRING, "versions": {"type": "array", "items": {
        "allOf": [_ref("PackVersion")],
        "type": "object", "description": "A version as GET /v1/packs lists it, with its parameters, key positions, "
                                         "rules and sources.",
        "required": ["params", "key_positions", "rules", "sources"],
        "properties": {
            "params": {"type": "object", "description": "The parameters (pack= param overrides them) by name.",
                       "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
            "key_positions": _STRINGS,
            "rules": {"type": "array", "items": _object({"id": _STRING, "family": _STRING, "severity": _SEVERITY,
                                                         "cite": _STRING})},
            "sources": {"type": "array", "items": _object({"id": _STRING, "title": _STRING, "url": _TEXT_OR_NULL})}}}},
})

_PROBLEM = _object({
    "type": {"type": "string", "pattern": "^urn:cadre-rules:problem:[a-z_]+$"}, "title": _STRING,
    "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": _STRING, "instance": _STRING,
    "problems": {"type": "array", "minItems": 1, "items": _object({
        "file": _STRING, "sheet": _STRING, "row": {"type": ["integer", "null"]}, "column": _TEXT_OR_NULL,
        "value": _TEXT_OR_NULL, "reason": _STRING}, required=["file", "row", "column", "value", "reason"]),
        "description": "Each problem located: file (the request's field: a query parameter such as as_of or scope, "
                       "a file field, <body>, or the file as uploaded), sheet (a workbook's), row, column, value (as "
                       "given), reason (in the request's language). Every 4xx of one field or record has them."},
}, required=["type", "title", "status", "detail", "instance"], description="RFC 9457 problem details")

#: The input document of a POST route (``application/json``): the officials and the units, each a record of
#: ``schemas/input.schema.json`` (or a blank record, skipped); an official's list columns may be JSON lists or objects.
_INPUT = _object({
    "officials": {"type": "array", "items": {"anyOf": [_ref("DocumentOfficial"), _ref("InputBlank")]},
                  "description": "Records with the columns of the input contract (codes or Vietnamese labels)."},
    "units": {"type": "array", "items": {"anyOf": [_ref("InputUnit"), _ref("InputBlank")]}}},
    description="The officials and the units (cadre-rules schema input: each record).")

#: The schemas of the answers, by component name (the report's: :func:`answer_schemas`).
ANSWER_SCHEMAS: dict[str, dict[str, Any]] = {
    "Match": _MATCH, "MatchPost": _MATCH_POST, "Projection": _PROJECTION, "Explanation": _EXPLANATION,
    "ScopeExplanation": _SCOPE_EXPLANATION, "PackDetail": _PACK_DETAIL, "Problem": _PROBLEM,
    "Health": _object({"status": {"const": "ok"}}),
    "Ready": _object({"ready": {"type": "boolean"}, "workers": {"type": "array", "items": {"type": "integer"}},
                      "busy": _INT}),
}


def _component(prefix: str, name: str) -> str:
    """The component name of the ``$defs`` entry ``name`` of a shipped schema (``Report`` + ``finding``:
    ``ReportFinding``; ``Input`` + ``optional_text``: ``InputOptionalText``)."""
    return prefix + "".join(part.capitalize() for part in name.split("_"))


def _defs_as_components(value: Any, prefix: str) -> Any:
    """``value`` (a part of a shipped schema) with its references to ``#/$defs/NAME`` made references to the
    component :func:`_component` of ``NAME`` (the schema's ``$defs`` are components of the OpenAPI document)."""
    if isinstance(value, dict):
        return {key: f"#/components/schemas/{_component(prefix, item.removeprefix('#/$defs/'))}"
                if key == "$ref" and isinstance(item, str) and item.startswith("#/$defs/")
                else _defs_as_components(item, prefix) for key, item in value.items()}
    if isinstance(value, list):
        return [_defs_as_components(item, prefix) for item in value]
    return value


def shipped(name: str, prefix: str) -> dict[str, dict[str, Any]]:
    """The shipped schema ``name`` (``schemas/NAME.schema.json``, read as shipped: one schema, in one place) as
    components: itself as ``prefix`` (without ``$schema`` and ``$id``), each of its ``$defs`` as :func:`_component`."""
    schema = json.loads(schema_text(name))
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return {prefix: _defs_as_components(schema, prefix),
            **{_component(prefix, key): _defs_as_components(value, prefix) for key, value in defs.items()}}


#: A list column of an official in the service's document (``concurrent_positions``, ``ratings``, ``discipline``):
#: ``;``-separated text as in a file, or a JSON list of items or pairs, or an object (``{"2023": "HTTNV"}``), as
#: ``io/_document`` reads it.
_LIST_CELL = {"anyOf": [{"type": ["string", "null"]},
                        {"type": "array", "items": {"anyOf": [{"type": ["string", "number"]},
                                                              {"type": "array", "minItems": 2, "maxItems": 2}]}},
                        {"type": "object", "additionalProperties": {"type": ["string", "number"]}}],
              "description": "';'-separated text, a list, or an object of YEAR (or date) to value."}


def _document_official(official: dict[str, Any]) -> dict[str, Any]:
    """An official of the file schema (``InputOfficial``) as the service's document may give it: its list columns
    also JSON lists and objects (:data:`_LIST_CELL`)."""
    properties = dict(official["properties"])
    for column in ("concurrent_positions", "ratings", "discipline"):
        properties[column] = {**_LIST_CELL, "description": properties[column].get("description", "")}
    return {**official, "properties": properties}


def answer_schemas() -> dict[str, dict[str, Any]]:
    """Every schema of the answers and of the input document: the report's (``Report``, its ``$defs``
    ``ReportFinding`` and ``ReportSubject``) and the records' of the input (``InputOfficial``, ``InputUnit``…), as
    shipped (:func:`shipped`)."""
    inputs = shipped("input", "Input")
    del inputs["Input"]  # (a file of officials or of units: the service's document holds both, ``INPUT``)
    inputs["DocumentOfficial"] = _document_official(inputs["InputOfficial"])
    return {**ANSWER_SCHEMAS, **shipped("report", "Report"), **inputs, "Input": _INPUT}
