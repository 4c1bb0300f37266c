"""The OpenAPI document: every answer an operation can give, with its problem+json shape.

FastAPI describes the success answers and 422; the problems other layers give are added
here, per operation, from what the operation has: any request may be malformed (400) or
fail (500); a key is checked (401, 403) where the operation declares security; a path
parameter may name nothing (404); a body may be too large (413) and an upload or a
download with rights embedded may be of a type the service cannot read (415). Every free
text parameter carries the pattern of text the catalogue can store (`assets.storable`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.problems import PROBLEM, PROBLEM_SCHEMA
from assets.storable import STORABLE_PATTERN

_DESCRIPTIONS = {
    "400": "Bad request: a malformed request, cursor or file; the problem says which",
    "401": "No API key, or an unknown or revoked one",
    "403": "The API key's role does not allow this",
    "404": "Nothing with that id or reference",
    "413": "The request body is larger than the service accepts",
    "415": "The file is not an image type the service reads or writes",
    "422": "A field is missing, of the wrong type, or holds text the catalogue cannot store",
    "500": "The service failed unexpectedly; the error is logged",
}

_MEDIA_TYPES_READ = ("/v1/assets", "/v1/assets/{asset_id}/file")
"""Operations that read or write image files (a type they cannot handle is 415)."""


def document_problems(app: FastAPI) -> None:
    """Make `app.openapi()` declare every problem its operations can answer with."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for path, path_item in schema.get("paths", {}).items():
            for method, operation in path_item.items():
                if isinstance(operation, dict) and "responses" in operation:
                    _declare(path, method, operation)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _declare(path: str, method: str, operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody")
    statuses = {"400", "500"}
    if operation.get("security"):
        statuses |= {"401", "403"}
    if any(p.get("in") == "path" for p in parameters):
        statuses.add("404")
    if parameters or body:
        statuses.add("422")
    if body:
        statuses.add("413")
    if path in _MEDIA_TYPES_READ and (body or (method == "get" and path.endswith("/file"))):
        statuses.add("415")
    if path in ("/healthz", "/readyz", "/metrics"):
        statuses.discard("400")  # they read neither body nor parameters
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    responses: dict[str, Any] = operation["responses"]
    for status in sorted(statuses):
        answer = responses.setdefault(status, {"description": _DESCRIPTIONS[status]})
        if status == "422" or "content" not in answer:
            answer["content"] = content
            answer["description"] = _DESCRIPTIONS[status]
    for parameter in parameters:
        _guard_text(parameter.get("schema", {}))


def _guard_text(schema: dict[str, Any]) -> None:
    """Declare the storable-text pattern on a free text parameter (no enum, format or
    pattern of its own), so clients and fuzzers know what the service refuses."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") != "string":
            continue
        if not any(key in option for key in ("enum", "const", "format", "pattern")):
            option["pattern"] = STORABLE_PATTERN
