"""What operators see: Prometheus metrics, one JSON log line per request, and request ids.

- `/metrics` (api/routes/health.py) serves request counts and latency histograms labelled by
  route *template* (`/v1/assets/{asset_id}`, never the raw path) and status, and check
  decisions by outcome (`observe_decision`).
- Every request gets an id: the caller's `X-Request-ID` when it is sane, else a new one. It is
  echoed in the response header and carried by every log line written while serving it.
- Metrics live in the process. With `rightsdesk serve --workers N` each worker counts its own
  requests, and a scrape reaches one worker at random, unless PROMETHEUS_MULTIPROC_DIR names an
  empty folder shared by the workers (prometheus_client's multiprocess mode); see
  docs/deploy.md. Several replicas are simply several scrape targets.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = b"x-request-id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")
UNMATCHED = "unmatched"  # every path no route knows shares one label: bounded cardinality

REQUESTS = Counter(
    "rightsdesk_http_requests",
    "HTTP requests served, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "rightsdesk_http_request_duration_seconds",
    "Time from request received to last response byte sent, by route template and status.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DECISIONS = Counter(
    "rightsdesk_check_decisions",
    "Rights-check answers given through the API, by outcome (allow, deny, review).",
    ["decision"],
)

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "rightsdesk_request_id", default=None
)
access_log = logging.getLogger("rightsdesk.access")


_DECISION_COUNTS = {o: DECISIONS.labels(decision=o) for o in ("allow", "deny", "review")}


def observe_decision(outcome: str, count: int = 1) -> None:
    """Count `count` rights-check answers (`allow`, `deny` or `review`)."""
    counter = _DECISION_COUNTS.get(outcome) or DECISIONS.labels(decision=outcome)
    counter.inc(count)


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return _request_id.get()


def render_metrics() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and its content type."""
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class JSONLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send rightsdesk's logs to stderr as JSON lines, unless logging is already set up."""
    logger = logging.getLogger("rightsdesk")
    if logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONLogFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def uvicorn_log_config(level: str = "info") -> dict[str, Any]:
    """A `log_config` for uvicorn: its own messages as JSON too, and no second access log."""
    json_handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JSONLogFormatter}},
        "handlers": {"json": json_handler},
        "loggers": {
            "rightsdesk": {"handlers": ["json"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["json"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            # rightsdesk.access writes the request line, with the request id and route
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class RequestObserver:
    """ASGI middleware: request id in and out, one JSON access line, request metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        # not reset afterwards: the error handler outside this middleware logs with it, and
        # each request runs in its own context, so nothing leaks into the next one
        _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER
                ]
                headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
                message["headers"] = headers
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope.get("method", "")
            REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            LATENCY.labels(method=method, route=route, status=str(status)).observe(elapsed)
            client = scope.get("client")
            access_log.info(
                "%s %s %s",
                method,
                scope.get("path", ""),
                status,
                extra={
                    "request_id": request_id,
                    "fields": {
                        "method": method,
                        "path": scope.get("path", ""),
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 3),
                        "bytes": sent,
                        "client": client[0] if client else None,
                    },
                },
            )


def install_observability(app: FastAPI) -> None:
    """Wrap `app` in the request observer and make sure its logs come out as JSON.

    The observer goes outside Starlette's whole middleware stack, error handler included
    (`add_middleware` would put it inside), so the 500 answer to an unexpected error also
    carries the request id and is counted with its real status.
    """
    configure_logging()
    build_stack = app.build_middleware_stack

    def build_observed_stack() -> ASGIApp:
        return RequestObserver(build_stack())

    app.build_middleware_stack = build_observed_stack  # type: ignore[method-assign]


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1").strip()
            return candidate if _SANE_REQUEST_ID.fullmatch(candidate) else None
    return None


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED
