"""Operations: liveness and readiness for load balancers, metrics for Prometheus.

None of these need an API key: probes and scrapers do not carry one. Keep /metrics off the
public side of the load balancer (docs/deploy.md).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from api.deps import RuntimeDep
from api.observability import render_metrics

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (it does not look at the database or the blob store)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Ready to serve: the database answers and the blob store (folder or bucket) is reachable."""
    checks: dict[str, str] = {}
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    checks["blobs"] = "ok" if runtime.blobs.reachable() else "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics() -> Response:
    """Request counts and latencies by route and status, check decisions by outcome."""
    body, content_type = await run_in_threadpool(render_metrics)
    return Response(body, media_type=content_type)
