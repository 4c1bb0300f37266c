"""The ASGI application: routers, problem+json handlers, and the runtime it serves from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.desk import install_desk
from api.fields import storable_parameters
from api.headers import install_security_headers
from api.limits import install_limits
from api.observability import install_observability
from api.openapi import document_problems
from api.problems import install_problem_handlers
from api.routes import (
    agreements,
    alerts,
    assets,
    audit,
    captions,
    checks,
    feeds,
    health,
    kills,
    overrides,
    policy,
    renditions,
)
from api.runtime import Runtime
from assets.config import Settings
from assets.drawer import RenditionDrawer
from assets.feeds.config import configured_feeds
from assets.feeds.worker import FeedWorkers
from assets.outbox import WebhookWorker
from assets.purge import PurgeWorker


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """An app serving `runtime` (or one built from `settings` / the environment)."""
    runtime = runtime or Runtime.from_settings(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker = None
        settings = runtime.settings
        if settings.webhook_url:
            if settings.webhook_secret is None:
                raise RuntimeError(
                    "RIGHTSDESK_WEBHOOK_URL is set but RIGHTSDESK_WEBHOOK_SECRET is not:"
                    " webhook deliveries are signed, set a secret of 16 characters or more"
                )
            worker = WebhookWorker(
                runtime.engine,
                settings.webhook_url,
                settings.webhook_secret.get_secret_value(),
                settings.webhook_interval,
            )
            worker.start()
        purger = None
        if settings.purge_interval > 0:
            purger = PurgeWorker(runtime.engine, runtime.blobs, settings.purge_interval)
            purger.start()
        feed_workers = start_feeds(runtime) if settings.serve_feeds == "on" else None
        drawer = start_drawer(runtime)
        try:
            yield
        finally:
            if drawer is not None:
                runtime.drawer = None
                drawer.stop()
            if worker is not None:
                worker.stop()
            if purger is not None:
                purger.stop()
            if feed_workers is not None:
                feed_workers.stop()

    app = FastAPI(
        title="rightsdesk",
        version="0.1.0",
        description="News photos and the rights that travel with them.",
        lifespan=lifespan,
        dependencies=[Depends(storable_parameters)],
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    document_problems(app)
    install_limits(app, runtime.settings.max_upload_bytes)
    install_observability(app)
    install_security_headers(app)
    for module in (
        assets,
        renditions,
        policy,
        checks,
        captions,
        overrides,
        kills,
        audit,
        feeds,
        health,
        agreements,
        alerts,
    ):
        app.include_router(module.router)
    install_desk(app)
    return app


def start_drawer(runtime: Runtime) -> RenditionDrawer | None:
    """The thread drawing the renditions of uploads; None when another app serving the same
    runtime runs one already (one per process is enough, and it bounds the drawing)."""
    if runtime.drawer is not None:
        return None
    drawer = runtime.drawer = RenditionDrawer(runtime.engine, runtime.blobs)
    drawer.start()
    return drawer


def start_feeds(runtime: Runtime) -> FeedWorkers:
    """Run the configured agency feeds on threads of this process (RIGHTSDESK_SERVE_FEEDS)."""
    settings = runtime.settings
    workers = FeedWorkers(
        runtime.catalogue(), configured_feeds(settings.feeds, settings.feed_sources)
    )
    workers.start()
    return workers
