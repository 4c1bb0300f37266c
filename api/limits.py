"""Request body limits: refuse oversized bodies with 413 before anything parses them.

Two checks, because clients may announce a size or simply stream:
- a declared `Content-Length` above the limit is refused before the app runs;
- bytes actually received are counted, so a chunked body is cut off at the limit.

Uploads (multipart) may be as large as the configured upload limit plus a little room for
the caption and the form's framing; every other body (JSON) has a small fixed limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException

from api.problems import problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORM_ROOM = 1 << 20
"""Room in a multipart body beyond the file: the caption (100k characters) and boundaries."""

JSON_LIMIT = 4 << 20
"""Any non-multipart body: a 100k-character caption escaped as JSON fits with room to spare."""


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit; rendered as 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class BodyLimit:
    """ASGI middleware enforcing `upload_limit` on multipart bodies and `JSON_LIMIT` on others."""

    def __init__(self, app: ASGIApp, upload_limit: int, json_limit: int = JSON_LIMIT) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.json_limit = json_limit

    def limit_for(self, scope: Scope) -> int:
        content_type = _header(scope, b"content-type") or ""
        if content_type.lower().startswith("multipart/"):
            return self.upload_limit + FORM_ROOM
        return self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _reply(
                    scope, receive, send, 400, "Bad request", "Content-Length is not a number"
                )
                return
            if int(declared) > limit:
                await _reply(scope, receive, send, 413, "Content too large", _too_large(limit))
                return

        received = 0
        exceeded = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                return  # whatever the app makes of the cut-off body, the answer is 413
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded or response_started:
                raise
        if exceeded and not response_started:
            await _reply(scope, receive, send, 413, "Content too large", _too_large(limit))


def install_limits(app: FastAPI, upload_limit: int) -> None:
    """Add the body limit to `app` (outermost after Starlette's error middleware)."""
    app.add_middleware(BodyLimit, upload_limit=upload_limit)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _too_large(limit: int) -> str:
    return (
        f"the request body is larger than {_human(limit)}; send a smaller file"
        " (the upload limit is set by RIGHTSDESK_MAX_UPLOAD_BYTES)"
    )


def _human(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.1f} KB"
    return f"{size} bytes"


async def _reply(
    scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str
) -> None:
    response = problem(status, title, detail)
    response.headers["Connection"] = "close"
    await response(scope, receive, send)
