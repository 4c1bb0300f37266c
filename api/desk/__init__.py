"""The picture desk: server-rendered pages over the same catalogue and policy as the API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.desk import actions, browse, signin
from api.desk.render import STATIC


def install_desk(app: FastAPI) -> None:
    """Mount the desk's pages at / and its own CSS and script (nothing from elsewhere)."""
    app.mount("/desk-static", StaticFiles(directory=STATIC), name="desk-static")
    for module in (browse, actions, signin):
        app.include_router(module.router)
