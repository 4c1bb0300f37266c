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
    """Who is calling: the audit actor always comes from here, never from a request body."""

    actor: str
    role: Role
    can_kill: bool = False

    @property
    def may_kill(self) -> bool:
        """Whether a kill notice from this caller kills outright (else it is a kill request)."""
        if self.role is Role.HOOK:
            return False
        return self.can_kill or self.role.grants(Role.RIGHTS_MANAGER)


class Require:
    """A dependency that admits keys whose role grants `role`; every route declares one.

    `or_kill_permission`: also admit a key of any other role but `hook` that was given the
    kill permission (`keys create --can-kill`): an agency feed trusted to withdraw pictures."""

    def __init__(self, role: Role, or_kill_permission: bool = False) -> None:
        self.role = role
        self.or_kill_permission = or_kill_permission

    async def __call__(
        self,
        runtime: RuntimeDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        if not runtime.settings.auth_enabled:
            return Caller(actor="anonymous", role=Role.ADMIN)
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(
                401,
                "send an API key as `Authorization: Bearer <key>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        caller = await run_in_threadpool(_caller_with_key, runtime, credentials.credentials)
        if caller is None:
            raise HTTPException(
                401, "the API key is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
            )
        if caller.role.grants(self.role):
            return caller
        if self.or_kill_permission and caller.can_kill and caller.role is not Role.HOOK:
            return caller
        also = " or a key with the kill permission" if self.or_kill_permission else ""
        raise HTTPException(
            403, f"this needs the {self.role.value} role{also}; your key has {caller.role.value}"
        )


ViewerDep = Annotated[Caller, Depends(Require(Role.VIEWER))]
EditorDep = Annotated[Caller, Depends(Require(Role.EDITOR))]
RightsManagerDep = Annotated[Caller, Depends(Require(Role.RIGHTS_MANAGER))]
AdminDep = Annotated[Caller, Depends(Require(Role.ADMIN))]
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
