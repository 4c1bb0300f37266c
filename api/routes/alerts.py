"""/v1/alerts: recorded usages a change of rights no longer allows, newest first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import SessionDep, ViewerDep
from api.fields import Moment
from assets.alerts import alert_json, list_alerts
from assets.catalogue import is_asset_id
from assets.errors import InvalidRequest

router = APIRouter(tags=["alerts"])


@router.get("/v1/alerts")
def alerts(
    session: SessionDep,
    _caller: ViewerDep,
    asset: str | None = None,
    publication: str | None = None,
    since: Annotated[Moment | None, Query(description="raised at or after (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Alerts filtered by asset, publication and time; `next_cursor` pages on."""
    if cursor and not is_asset_id(cursor):
        raise InvalidRequest("cursor is not one this service issued; use next_cursor as given")
    rows = list_alerts(
        session, asset=asset, publication=publication, since=since, limit=limit + 1, cursor=cursor
    )
    return {
        "items": [alert_json(a) for a in rows[:limit]],
        "next_cursor": rows[limit - 1].id if len(rows) > limit else None,
    }
