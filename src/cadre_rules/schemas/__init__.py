"""The JSON Schemas shipped with cadre-rules (``NAME.schema.json`` here): ``cadre-rules schema NAME`` prints
one, ``GET /v1/schema/NAME`` of the service answers it (the same bytes)."""

from __future__ import annotations

from importlib import resources

__all__ = ["SCHEMAS", "schema_text"]

#: The names of the schemas: input (officials and units as JSON), pack (TOML packs), pack-test (pack test
#: cases), report (the JSON report, v2).
SCHEMAS = ("input", "pack", "pack-test", "report")


def schema_text(name: str) -> str:
    """The schema ``name`` (one of :data:`SCHEMAS`), as shipped.

    :raises KeyError: not one of :data:`SCHEMAS`.
    """
    if name not in SCHEMAS:
        raise KeyError(name)
    return (resources.files(__name__) / f"{name}.schema.json").read_text(encoding="utf-8")
