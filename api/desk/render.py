"""Rendering desk pages: the Jinja2 environment (autoescaped), the context every page shares,
and the route class that turns any error into a page in words (or the sign-in form)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import DataError

from api.deps import Caller
from api.desk.views import USE_COOKIE, UseChoice, moment
from api.problems import problem_status
from api.routes.renditions import rendition_url
from api.runtime import Runtime
from api.sessions import BROWSER_COOKIE, anonymous_csrf, new_nonce
from assets.keys import Role
from assets.renditions import Kind
from rights import Channel, Purpose, RightsdeskError

log = logging.getLogger("rightsdesk.desk")

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'"
)
"""Every desk page: only the desk's own script, styles and pictures, so markup that ever got
through escaping could run nothing; and no other site may frame a page to trick a click on
Kill (with authentication off, a framed desk would be fully signed in)."""

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals["moment"] = moment
environment.globals["rendition"] = lambda asset, kind: rendition_url(asset, Kind(kind))
environment.globals["purposes"] = [p.value for p in Purpose]
environment.globals["channels"] = [c.value for c in Channel]


def page(
    request: Request, caller: Caller | None, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A full page (or, for the desk's own script, the partial it asks for)."""
    runtime: Runtime = request.app.state.runtime
    browser = request.cookies.get(BROWSER_COOKIE) or new_nonce()
    body = environment.get_template(template).render(
        request=request,
        path=request.url.path,
        caller=caller,
        can=abilities(caller),
        auth=runtime.settings.auth_enabled,
        csrf=csrf_of(caller, runtime, browser),
        use=UseChoice.from_cookie(request.cookies.get(USE_COOKIE)),
        **context,
    )
    response = HTMLResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    if not runtime.settings.auth_enabled and BROWSER_COOKIE not in request.cookies:
        response.set_cookie(
            BROWSER_COOKIE,
            browser,
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="strict",
            path="/",
        )
    return response


def csrf_of(caller: Caller | None, runtime: Runtime, browser: str) -> str:
    if caller is not None and caller.desk is not None:
        return caller.desk.csrf
    return anonymous_csrf(runtime.settings.session_secret, browser)


def abilities(caller: Caller | None) -> dict[str, bool]:
    """What the page offers: the same role rules the server enforces on every action."""
    role = caller.role if caller is not None else None

    def may(needed: Role) -> bool:
        return role is not None and role.grants(needed)

    return {
        "browse": may(Role.VIEWER),
        "upload": may(Role.EDITOR),
        "edit_caption": may(Role.EDITOR),
        "lease": may(Role.RIGHTS_MANAGER),
        "kill": caller is not None and caller.may_kill,
        "check": may(Role.HOOK),
    }


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    if status == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)
    return page(request, None, "error.html", status=status, title=title, detail=detail)


_TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 413: "Too large"}


class DeskRoute(APIRoute):
    """Errors on a desk page are pages in words (the problem's detail), never JSON or a trace;
    an unauthenticated visit goes to the sign-in form and comes back after."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                title = _TITLES.get(exc.status_code, "Error")
                return error_page(request, exc.status_code, title, str(exc.detail))
            except RightsdeskError as exc:
                known = problem_status(exc)
                if known is None:
                    raise
                return error_page(request, known.status, known.title, str(exc))
            except DataError as exc:
                # e.g. PostgreSQL refuses NUL characters: the input is at fault, as in the API
                log.info(
                    "refused a value the database cannot hold on %s: %s", request.url.path, exc.orig
                )
                return error_page(
                    request,
                    422,
                    "Check the form",
                    "The form or address holds a character the catalogue cannot store or"
                    " search (such as a NUL character); remove it and try again.",
                )
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
                detail = f"{where}: {first.get('msg', 'invalid value')}" if where else "invalid"
                return error_page(request, 422, "Check the form", detail)
            except Exception:
                log.exception("unhandled error on %s %s", request.method, request.url.path)
                return error_page(
                    request,
                    500,
                    "Something went wrong",
                    "The desk could not show this page. The error has been logged; try again,"
                    " and tell an administrator if it keeps happening.",
                )

        return handle
