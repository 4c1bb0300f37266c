"""RFC 9457 problem+json for every error, so clients always get a reason and never a bare 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from assets import errors as asset_errors
from assets.agreements import AgreementNotFound, InvalidAgreement
from assets.backup import BackupError
from assets.blobs import BlobNotFound, BlobStoreUnavailable
from assets.metadata import (
    CannotEmbed,
    ImageTooLarge,
    MetadataError,
    UnreadableImage,
    UnsupportedMedia,
)
from assets.suppliers import UnknownSupplier
from rights import RightsdeskError

log = logging.getLogger("rightsdesk.api")

PROBLEM = "application/problem+json"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class Status:
    status: int
    title: str


# What each domain error means over HTTP: the one place it is decided. An error is answered
# with the entry of its nearest class; a domain error with none here (corrupt stored data, a
# broken agency profile) is the service's fault: a logged 500.
_STATUS_OF: dict[type[RightsdeskError], Status] = {
    asset_errors.EmptyUpload: Status(400, "Empty file"),
    AgreementNotFound: Status(404, "Agreement not found"),
    InvalidAgreement: Status(422, "Invalid agreement"),
    asset_errors.UploadTooLarge: Status(413, "File too large"),
    asset_errors.NotAnImage: Status(415, "Unsupported media type"),
    asset_errors.AssetNotFound: Status(404, "Asset not found"),
    asset_errors.AssetPurged: Status(410, "Asset purged"),
    asset_errors.InvalidRequest: Status(400, "Invalid request"),
    asset_errors.Conflict: Status(409, "Conflict"),
    asset_errors.InvalidPolicy: Status(422, "Not an ODRL policy"),
    UnknownSupplier: Status(422, "Unknown supplier"),
    BackupError: Status(400, "Backup failed"),
    BlobStoreUnavailable: Status(503, "Blob store unavailable"),
    MetadataError: Status(400, "Bad request"),
    UnsupportedMedia: Status(415, "Unsupported media type"),
    UnreadableImage: Status(400, "Bad request"),
    ImageTooLarge: Status(413, "Content too large"),
    CannotEmbed: Status(415, "Unsupported media type"),
}


def problem_status(exc: RightsdeskError) -> Status | None:
    """The HTTP status and title of a domain error (its nearest mapped class), None if the
    error is not the client's to fix."""
    for cls in type(exc).__mro__:
        if cls in _STATUS_OF:
            return _STATUS_OF[cls]
    return None


def _problem_members(exc: RightsdeskError) -> dict[str, Any]:
    """Members beside `detail` that tell the client how to fix the request."""
    if isinstance(exc, UnknownSupplier):
        return {
            "errors": [{"loc": ["body", exc.field], "msg": str(exc), "type": "unknown_supplier"}],
            "known": exc.known,
        }
    return {}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install_problem_handlers(app: FastAPI) -> None:
    build_stack = app.build_middleware_stack

    def build_kept_stack() -> ASGIApp:
        return KeepConnection(build_stack())

    app.build_middleware_stack = build_kept_stack  # type: ignore[method-assign]

    @app.exception_handler(RightsdeskError)
    async def _domain_error(request: Request, exc: RightsdeskError) -> JSONResponse:
        known = problem_status(exc)
        if known is None:
            return await _unexpected(request, exc)
        return problem(known.status, known.title, str(exc), **_problem_members(exc))

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
            {
                "loc": [p if isinstance(p, int) else _printable(str(p)) for p in e.get("loc", ())],
                "msg": _MESSAGES.get(str(e.get("type")), _printable(str(e.get("msg", "")))),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return problem(422, "Invalid request", f"{where}: {first['msg']}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and _wants_a_page(request):
            from api.desk.render import error_page as desk_error_page  # the desk renders via us

            # a person who mistyped a desk address reads words
            return desk_error_page(request, 404, "Not found", _PAGE_NOT_FOUND)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allowed = _methods_allowed(app, request)
            headers["Allow"] = ", ".join(allowed)
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
            detail = f"{request.method} is not allowed here; use {', '.join(allowed)}"
        else:
            detail = str(exc.detail)
        response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), detail)
        for name, value in headers.items():
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


class KeepConnection:
    """ASGI wrapper outside Starlette's error middleware: an unexpected error is answered
    with a 500 problem and the connection stays open for the client's next request.

    Starlette logs the error, sends the 500 answer and then raises the error again for the
    server's sake; uvicorn would then close the keep-alive connection, failing the client's
    other requests in flight. Once the answer is complete the error has been dealt with, so
    it stops here. An error in the middle of an answer is still raised: the connection
    cannot carry a half-sent answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answered = False

        async def tracking_send(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered = True

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if not answered:
                raise


def _methods_allowed(app: FastAPI, request: Request) -> list[str]:
    """Every method the API document lists for this path (Starlette names only the methods
    of the first route whose path matches), so `Allow` and the document always agree."""
    methods = {"OPTIONS"}
    for template, operations in app.openapi().get("paths", {}).items():
        if compile_path(template)[0].fullmatch(request.url.path):
            methods |= {method.upper() for method in operations if method.isalpha()}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


_MESSAGES = {
    # the JSON parser's words for a lone surrogate (a \\ud800 escape), in the service's words
    "string_unicode": "the text holds a lone surrogate, which is not valid Unicode text",
}


def _printable(text: str) -> str:
    """`text` safe to put in a JSON answer: a lone surrogate (in a field name the client
    sent, say) is written as an escape instead of failing the answer."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _wants_a_page(request: Request) -> bool:
    """A browser asking for a page outside the API (`/v1`): the desk answers with one."""
    path = request.url.path
    return not path.startswith(("/v1/", "/desk-static/")) and "text/html" in request.headers.get(
        "accept", ""
    )


_PAGE_NOT_FOUND = (
    "The desk has no page at this address. Check the address, or start from the pictures."
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
