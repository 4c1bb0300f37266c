"""Shared route dependencies as Annotated aliases: the runtime, a DB session, the caller's key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.runtime import Runtime
from api.sessions import (
    BROWSER_COOKIE,
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    DeskSession,
    anonymous_csrf,
    read_session,
    tokens_match,
)
from assets.keys import Role, verify_key

_bearer = HTTPBearer(auto_error=False, description="An API key: `rightsdesk keys create`")


# The cheap dependencies are coroutines: a sync dependency costs a thread hop per request,
# which is most of the latency of a one-asset rights check.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[Session]:
    """One session per request; routes commit explicitly what they change.

    Opening a session does no I/O (it connects on first use, in the route's thread)."""
    with Session(runtime.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class Caller:
    """Who is calling: the audit actor always comes from here, never from a request body.

    `desk` is the signed-in session when the caller came with the desk's cookie (its CSRF
    token goes into every form the desk renders); None for API keys and with auth off."""

    actor: str
    role: Role
    can_kill: bool = False
    desk: DeskSession | None = None

    @property
    def may_kill(self) -> bool:
        """Whether a kill notice from this caller kills outright (else it is a kill request)."""
        if self.role is Role.HOOK:
            return False
        return self.can_kill or self.role.grants(Role.RIGHTS_MANAGER)


ANONYMOUS = Caller(actor="anonymous", role=Role.ADMIN)
NO_CSRF = "this change came without the desk's CSRF token; reload the page and try again"


class Require:
    """A dependency that admits callers whose role grants `role`; every route declares one.

    A caller is an API key (`Authorization: Bearer`) or the desk's session cookie. The cookie
    alone is enough for safe methods; a request that changes something must also carry the
    session's CSRF token (header `X-CSRF-Token` or form field `csrf_token`), because a
    browser sends the cookie with requests other sites start.

    `or_kill_permission`: also admit a key of any other role but `hook` that was given the
    kill permission (`keys create --can-kill`): an agency feed trusted to withdraw pictures.
    `csrf_without_auth`: ask for the CSRF token even with authentication off (the desk)."""

    def __init__(
        self, role: Role, or_kill_permission: bool = False, *, csrf_without_auth: bool = False
    ) -> None:
        self.role = role
        self.or_kill_permission = or_kill_permission
        self.csrf_without_auth = csrf_without_auth

    async def __call__(
        self,
        request: Request,
        runtime: RuntimeDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        if not runtime.settings.auth_enabled:
            if (
                self.csrf_without_auth
                and request.method not in SAFE_METHODS
                and credentials is None
                and not tokens_match(
                    anonymous_csrf(
                        runtime.settings.session_secret, request.cookies.get(BROWSER_COOKIE, "")
                    ),
                    await csrf_token_of(request),
                )
            ):
                raise HTTPException(403, NO_CSRF)
            return ANONYMOUS
        if credentials is not None and credentials.scheme.lower() == "bearer":
            caller = await run_in_threadpool(_caller_with_key, runtime, credentials.credentials)
            if caller is None:
                raise HTTPException(
                    401,
                    "the API key is unknown or revoked",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        elif cookie := request.cookies.get(COOKIE):
            caller = await run_in_threadpool(_caller_with_cookie, runtime, cookie)
            if caller is None:
                raise HTTPException(
                    401,
                    "your desk session has expired or its key was revoked; sign in again",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            assert caller.desk is not None
            if request.method not in SAFE_METHODS and not tokens_match(
                caller.desk.csrf, await csrf_token_of(request)
            ):
                raise HTTPException(403, NO_CSRF)
        else:
            raise HTTPException(
                401,
                "send an API key as `Authorization: Bearer <key>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if caller.role.grants(self.role):
            return caller
        if self.or_kill_permission and caller.can_kill and caller.role is not Role.HOOK:
            return caller
        also = " or a key with the kill permission" if self.or_kill_permission else ""
        raise HTTPException(
            403, f"this needs the {self.role.value} role{also}; your key has {caller.role.value}"
        )


async def csrf_token_of(request: Request) -> str | None:
    """The CSRF token a request carries: its header, or its form's field (the form is parsed
    once per request and cached, so the route reads the same one)."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


ViewerDep = Annotated[Caller, Depends(Require(Role.VIEWER))]
EditorDep = Annotated[Caller, Depends(Require(Role.EDITOR))]
RightsManagerDep = Annotated[Caller, Depends(Require(Role.RIGHTS_MANAGER))]
HookDep = Annotated[Caller, Depends(Require(Role.HOOK))]
# whoever may kill outright: a rights manager or admin, or a key with the kill permission
KillerDep = Annotated[Caller, Depends(Require(Role.RIGHTS_MANAGER, or_kill_permission=True))]


def _caller_with_key(runtime: Runtime, plain: str) -> Caller | None:
    """Looked up on every request, so a revoked key stops working at once on every replica."""
    with Session(runtime.engine) as session:
        key = verify_key(session, plain)
        if key is None:
            return None
        return Caller(actor=f"key:{key.name}", role=Role(key.role), can_kill=key.can_kill)


def _caller_with_cookie(runtime: Runtime, cookie: str) -> Caller | None:
    """The session's key is read on every request too: revoking the key ends its sessions."""
    with Session(runtime.engine) as session:
        desk = read_session(session, cookie, runtime.settings.session_secret)
    if desk is None:
        return None
    return Caller(actor=f"key:{desk.key_name}", role=desk.role, can_kill=desk.can_kill, desk=desk)
