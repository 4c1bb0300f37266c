"""Signing in with an API key, signing out, and choosing the use the badges answer for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import NO_CSRF, RuntimeDep, csrf_token_of
from api.desk.auth import DeskViewer
from api.desk.render import DeskRoute, page
from api.desk.views import USE_COOKIE, UseChoice
from api.sessions import (
    COOKIE,
    LIFETIME_SECONDS,
    DeskSession,
    new_nonce,
    read_session,
    start_session,
    tokens_match,
)
from assets.keys import Role

router = APIRouter(route_class=DeskRoute, include_in_schema=False)

SIGN_IN_NONCE = "rightsdesk_sign_in"
"""A random value set with the form and sent back by it: another site cannot sign a browser
in with a key of its choosing (login CSRF)."""


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    return _form(request, next)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    runtime: RuntimeDep,
    api_key: Annotated[str, Form(max_length=200)] = "",
    nonce: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not tokens_match(request.cookies.get(SIGN_IN_NONCE, ""), nonce):
        return _form(request, next, "The form had expired; enter your key again.", 400)
    if not api_key.strip():
        return _form(request, next, "Enter your API key.", 400)

    def begin() -> tuple[str, DeskSession | None]:
        with Session(runtime.engine) as session:
            cookie = start_session(session, api_key, runtime.settings.session_secret)
            return cookie, read_session(session, cookie, runtime.settings.session_secret)

    cookie, signed_in = await run_in_threadpool(begin)
    if not cookie or signed_in is None:
        return _form(request, next, "That API key is unknown or has been revoked.", 401)
    target = _local(next)
    if target == "/" and not signed_in.role.grants(Role.VIEWER):
        target = "/check"  # a publishing hook's key may check a use, not browse
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=LIFETIME_SECONDS,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        path="/",
    )
    response.delete_cookie(SIGN_IN_NONCE, path="/sign-in")
    return response


@router.post("/sign-out")
async def sign_out(request: Request, runtime: RuntimeDep) -> Response:
    """Any signed-in key may sign out (a hook's too), with the session's CSRF token; a
    session already expired or revoked just loses its cookie."""
    cookie = request.cookies.get(COOKIE)
    if cookie:

        def current() -> DeskSession | None:
            with Session(runtime.engine) as session:
                return read_session(session, cookie, runtime.settings.session_secret)

        desk = await run_in_threadpool(current)
        if desk is not None and not tokens_match(desk.csrf, await csrf_token_of(request)):
            raise HTTPException(403, NO_CSRF)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/use")
def choose_use(
    _caller: DeskViewer,
    purpose: str = "",
    channel: str = "",
    territory: str = "",
    next: str = "/",
) -> Response:
    """Remember the use for this browser (a preference, not a change to the catalogue)."""
    choice = UseChoice.parse(purpose, channel, territory)
    response = RedirectResponse(_local(next), status_code=303)
    if choice is not None:
        response.set_cookie(
            USE_COOKIE, choice.cookie(), max_age=365 * 86400, samesite="lax", path="/"
        )
    return response


def _form(request: Request, next: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    nonce = new_nonce()
    response = page(
        request, None, "sign_in.html", status=status, next=_local(next), nonce=nonce, error=error
    )
    response.set_cookie(
        SIGN_IN_NONCE,
        nonce,
        max_age=3600,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        path="/sign-in",
    )
    return response


def _local(target: str) -> str:
    """Only paths on this site: a sign-in link must not send people elsewhere.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    `/<tab>/evil.example` would become `//evil.example`: any control character, space or
    backslash makes the target the front page."""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or any(ch <= " " or ch == "\x7f" or ch == "\\" for ch in target)
    ):
        return "/"
    return target
