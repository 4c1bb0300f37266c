"""The audit trail: who changed what, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import RightsManagerDep, SessionDep
from api.schemas import AuditEventPublic, AuditPage
from assets.audit import events
from assets.catalogue import is_asset_id
from assets.errors import InvalidRequest

router = APIRouter(tags=["audit"])


@router.get("/v1/audit", response_model=AuditPage)
def audit(
    session: SessionDep,
    _caller: RightsManagerDep,
    asset: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: str | None = None,
) -> AuditPage:
    if cursor and not is_asset_id(cursor):
        raise InvalidRequest("cursor is not one this service issued; use next_cursor as given")
    rows = events(session, asset, limit + 1, cursor)
    items = [
        AuditEventPublic(
            id=e.id,
            asset=e.asset_id,
            actor=e.actor,
            action=e.action,
            before=e.before,
            after=e.after,
            created_at=e.created_at,
        )
        for e in rows[:limit]
    ]
    return AuditPage(items=items, next_cursor=rows[limit - 1].id if len(rows) > limit else None)
