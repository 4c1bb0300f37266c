"""The ASGI application: routers, problem+json handlers, and the runtime it serves from."""

from __future__ import annotations

from fastapi import FastAPI

from api.observability import install_observability
from api.problems import install_problem_handlers
from api.routes import assets, captions, checks, health
from api.runtime import Runtime
from assets.config import Settings


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """An app serving `runtime` (or one built from `settings` / the environment)."""
    runtime = runtime or Runtime.from_settings(settings or Settings())
    app = FastAPI(
        title="rightsdesk",
        version="0.1.0",
        description="News photos and the rights that travel with them.",
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    install_observability(app)
    for module in (assets, checks, captions, health):
        app.include_router(module.router)
    return app
