"""RFC 9457 problem+json for every error, so clients always get a reason and never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from assets.blobs import BlobNotFound
from assets.errors import AssetError
from assets.metadata import MetadataError

log = logging.getLogger("rightsdesk.api")

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install_problem_handlers(app: FastAPI) -> None:
    _document_problems(app)

    @app.exception_handler(AssetError)
    async def _asset_error(_request: Request, exc: AssetError) -> JSONResponse:
        return problem(exc.status, exc.title, str(exc), **exc.problem_fields())

    @app.exception_handler(MetadataError)
    async def _metadata_error(_request: Request, exc: MetadataError) -> JSONResponse:
        return problem(exc.status, _TITLES.get(exc.status, "Bad request"), str(exc))

    @app.exception_handler(BlobNotFound)
    async def _blob_missing(request: Request, exc: BlobNotFound) -> JSONResponse:
        log.error("catalogue row without its blob %s on %s", exc, request.url.path)
        return problem(
            500,
            "Blob missing",
            "the catalogue names a file the blob store does not have;"
            " an operator should run `rightsdesk fsck`",
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return problem(422, "Invalid request", f"{where}: {first['msg']}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # e.g. PostgreSQL refuses NUL characters in text: the input is at fault, not the service
        log.info("refused a value the database cannot hold on %s: %s", request.url.path, exc.orig)
        return problem(
            422,
            "Invalid request",
            "the request holds a value the catalogue cannot store or search (such as a NUL"
            " character); remove it and send the request again",
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(
            500,
            "Internal error",
            "the service failed unexpectedly; the error is logged, please retry or report",
        )


_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid request",
}


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details: what went wrong and what to do next",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


def _document_problems(app: FastAPI) -> None:
    """Declare in the OpenAPI document the problem+json answers every operation may give."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.get("responses") if isinstance(operation, dict) else None
                if responses is None:
                    continue
                if "422" in responses:
                    responses["422"] = {"description": "Invalid request", "content": content}
                responses.setdefault(
                    "4XX", {"description": "Refused; the problem says why", "content": content}
                )
                responses.setdefault(
                    "5XX", {"description": "Unavailable or failed", "content": content}
                )
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
