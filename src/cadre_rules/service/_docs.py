"""The HTML page at ``/docs``: the OpenAPI document of the service made readable, one static page.

Nothing is loaded from elsewhere (no script, no CDN, no font): every route with its summary, parameters,
request body and examples, and responses, drawn from :func:`cadre_rules.service._openapi.openapi` on the
server; the document itself is at ``/openapi.json``. Headings are in the request's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from collections.abc import Mapping
from html import escape
from typing import Any

from .._i18n import N_
from .._i18n import translation

__all__ = ["docs_page"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}"
    "h2{margin-top:2em;border-bottom:1px solid #ccc}code,pre{font-family:ui-monospace,monospace}"
    "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:90%}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;"
    "vertical-align:top}.method{font-weight:bold;text-transform:uppercase}"
)


# The headings (marked here: a string inside an f-string is not extracted on Python 3.11).
_NO_TOKEN = N_("No token needed.")
_PARAMETERS = N_("Parameters")
_PARAMETER = N_("Parameter")
_IN = N_("In")
_DESCRIPTION = N_("Description")
_EXAMPLE = N_("Example")
_REQUEST_BODY = N_("Request body")
_FILE_FIELDS = N_("File fields:")
_RESPONSES = N_("Responses")
_DOCUMENT = N_("The OpenAPI document:")
_ACCESS = N_("Access: Authorization: Bearer <token>, when the service runs with --token-file.")
_SCHEMAS = N_("Schemas")

_CODE = re.compile(r"`([^`]+)`")


def _text(text: str) -> str:
    """``text`` as HTML, its `code` spans (Markdown, as OpenAPI descriptions write them) as code."""
    return _CODE.sub(r"<code>\1</code>", escape(text))


def _example(value: object) -> str:
    return f"<pre>{escape(json.dumps(value, ensure_ascii=False, indent=2))}</pre>"


def _schema_name(schema: Mapping[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rpartition("/")[2]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {escape(str(schema.get('items', {}).get('type', '')))}"
    return escape(str(kind))


def _operation(path: str, method: str, op: Mapping[str, Any], _: Callable[[str], str]) -> list[str]:
    anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
    out = [f'<h2 id="{escape(anchor)}"><span class="method">{escape(method)}</span> <code>{escape(path)}</code></h2>',
           f"<p>{_text(op.get('summary', ''))}</p>"]
    if "security" in op and not op["security"]:
        out.append(f"<p>{escape(_(_NO_TOKEN))}</p>")
    parameters = op.get("parameters", [])
    if parameters:
        out.append(f"<h3>{escape(_(_PARAMETERS))}</h3><table><tr><th>{escape(_(_PARAMETER))}</th>"
                   f"<th>{escape(_(_IN))}</th><th>{escape(_(_DESCRIPTION))}</th><th>{escape(_(_EXAMPLE))}</th></tr>")
        for p in parameters:
            required = " *" if p.get("required") else ""
            example = p.get("example")
            shown = "" if example is None else escape(json.dumps(example, ensure_ascii=False))
            out.append(f"<tr><td><code>{escape(p['name'])}</code>{required}</td><td>{escape(p['in'])}</td>"
                       f"<td>{_text(p.get('description', ''))}</td><td><code>{shown}</code></td></tr>")
        out.append("</table>")
    body = op.get("requestBody")
    if body:
        out.append(f"<h3>{escape(_(_REQUEST_BODY))}</h3>")
        for media, content in body.get("content", {}).items():
            out.append(f"<p><code>{escape(media)}</code>: {_schema_name(content.get('schema', {}))}</p>")
            properties = content.get("schema", {}).get("properties", {})
            if media == "multipart/form-data" and properties:
                needed = set(content["schema"].get("required", ()))
                fields = ", ".join(f"<code>{escape(n)}</code>{' *' if n in needed else ''}" for n in properties)
                out.append(f"<p>{escape(_(_FILE_FIELDS))} {fields}</p>")
            if "example" in content:
                out.append(_example(content["example"]))
    out.append(f"<h3>{escape(_(_RESPONSES))}</h3><table>")
    for status, response in op.get("responses", {}).items():
        media = ", ".join(f"<code>{escape(m)}</code>" for m in response.get("content", {}))
        out.append(f"<tr><td>{escape(status)}</td><td>{_text(response.get('description', ''))}</td>"
                   f"<td>{media}</td></tr>")
    out.append("</table>")
    return out


def docs_page(document: Mapping[str, Any], lang: str) -> str:
    """The page of ``document`` (an OpenAPI 3.1 document), headings in ``lang``."""
    _ = translation(lang).gettext
    info = document["info"]
    out = [f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width,initial-scale=1">'
           f"<title>{escape(info['title'])} API</title><style>{_STYLE}</style></head><body>",
           f"<h1>{escape(info['title'])} API <small>v{escape(str(info['version']))}</small></h1>",
           f"<p>{_text(info.get('description', ''))}</p>",
           f'<p>{escape(_(_DOCUMENT))} <a href="/openapi.json"><code>/openapi.json</code></a></p>']
    scheme = document.get("components", {}).get("securitySchemes", {}).get("bearer")
    if scheme:
        out.append(f"<p>{escape(_(_ACCESS))}"
                   "</p>")
    out.append("<ul>")
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
            out.append(f'<li><a href="#{escape(anchor)}"><span class="method">{escape(method)}</span> '
                       f"<code>{escape(path)}</code></a> — {_text(op.get('summary', ''))}</li>")
    out.append("</ul>")
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            out.extend(_operation(path, method, op, _))
    schemas = document.get("components", {}).get("schemas", {})
    if schemas:
        out.append(f"<h2>{escape(_(_SCHEMAS))}</h2>")
        for name, schema in schemas.items():
            out.append(f'<h3 id="schema-{escape(name)}">{escape(name)}</h3>'
                       f"<p>{_text(schema.get('description', ''))}</p>")
            out.append(_example({k: v for k, v in schema.items() if k not in ("description", "example")}))
            if "example" in schema:
                out.append(f"<p>{escape(_(_EXAMPLE))}</p>{_example(schema['example'])}")
    out.append("</body></html>\n")
    return "\n".join(out)

