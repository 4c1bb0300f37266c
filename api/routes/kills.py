"""Kill notices and the usages they must take down."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RightsManagerDep, SessionDep, ViewerDep
from api.schemas import KillIn, KillPublic, UsagePublic
from assets.catalogue import get_asset
from assets.kills import kill_asset, usage_json, usages_of

router = APIRouter(prefix="/v1/assets", tags=["kills"])


@router.post("/{asset_id}/kill", response_model=KillPublic)
def kill(asset_id: str, body: KillIn, session: SessionDep, caller: RightsManagerDep) -> KillPublic:
    """Kill the asset: every later check is denied; the answer lists the usages to take down."""
    notice = kill_asset(session, get_asset(session, asset_id), body.reason, caller.actor)
    session.commit()
    return KillPublic(
        asset=notice.asset.id,
        status=notice.asset.status,
        reason=notice.asset.kill_reason,
        killed_at=notice.asset.killed_at,
        usages=[UsagePublic.model_validate(usage_json(u)) for u in notice.usages],
    )


@router.get("/{asset_id}/usages", response_model=list[UsagePublic])
def usages(asset_id: str, session: SessionDep, _caller: ViewerDep) -> list[UsagePublic]:
    """Where the asset has been published (recorded by checks with `"record": true`)."""
    asset = get_asset(session, asset_id)
    return [UsagePublic.model_validate(usage_json(u)) for u in usages_of(session, asset.id)]
