"""Kills, kill requests, and the usages a kill must take down."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlmodel import Session

from api.deps import KillerDep, RightsManagerDep, SessionDep, ViewerDep
from api.kill_schemas import (
    ConfirmedPublic,
    ConfirmIn,
    KillByRefIn,
    KillByRefPublic,
    KillRequestPage,
    KillRequestPublic,
    ReachedAsset,
    RejectedPublic,
    RejectIn,
)
from api.schemas import KillIn, KillPublic, UsagePublic
from assets.catalogue import get_asset
from assets.errors import AssetNotFound
from assets.kills import (
    assets_with_ref,
    confirm_request,
    get_request,
    kill_asset,
    kill_by_agency_ref,
    list_requests,
    reject_request,
    request_reach,
    usages_of,
)
from assets.tables import KillRequest

router = APIRouter(tags=["kills"])

DECIDED: dict[int | str, dict[str, object]] = {
    404: {"description": "no such kill request"},
    409: {"description": "the request was already confirmed or rejected"},
}


@router.post("/v1/assets/{asset_id}/kill", response_model=KillPublic)
def kill(asset_id: str, body: KillIn, session: SessionDep, caller: KillerDep) -> KillPublic:
    """Kill the asset: every later check is denied; the answer lists the usages to take down."""
    notice = kill_asset(session, get_asset(session, asset_id), body.reason, caller.actor)
    session.commit()
    return KillPublic(
        asset=notice.asset.id,
        status=notice.asset.status,
        reason=notice.asset.kill_reason,
        killed_at=notice.asset.killed_at,
        usages=[UsagePublic.from_usage(u) for u in notice.usages],
    )


@router.post(
    "/v1/kills/by-ref",
    response_model=KillByRefPublic,
    responses={404: {"description": "no asset carries the agency reference"}},
)
def kill_by_ref(body: KillByRefIn, session: SessionDep, caller: KillerDep) -> KillByRefPublic:
    """Kill every asset carrying an agency reference; the answer names each one.

    With `"dry_run": true` nothing changes: the answer lists the assets a kill would reach."""
    if body.dry_run:
        reached = [
            ReachedAsset.of(a, usages_of(session, a.id), a.status == "killed")
            for a in assets_with_ref(session, body.agency_ref)
        ]
    else:
        reached = [
            ReachedAsset.killed(n)
            for n in kill_by_agency_ref(session, body.agency_ref, body.reason, caller.actor)
        ]
        session.commit()
    if not reached:
        raise AssetNotFound(f"no asset carries the agency reference {body.agency_ref!r}")
    return KillByRefPublic(agency_ref=body.agency_ref, dry_run=body.dry_run, assets=reached)


@router.get("/v1/kills/requests", response_model=KillRequestPage)
def kill_requests(
    session: SessionDep,
    _caller: RightsManagerDep,
    state: Literal["pending", "confirmed", "rejected", "all"] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> KillRequestPage:
    """Kill requests waiting for a decision (or, with `state`, those decided), oldest first."""
    return KillRequestPage(
        items=[
            _public(session, r)
            for r in list_requests(session, None if state == "all" else state, limit)
        ]
    )


@router.get(
    "/v1/kills/requests/{request_id}",
    response_model=KillRequestPublic,
    responses={404: {"description": "no such kill request"}},
)
def kill_request(
    request_id: str, session: SessionDep, _caller: RightsManagerDep
) -> KillRequestPublic:
    return _public(session, get_request(session, request_id))


@router.post(
    "/v1/kills/requests/{request_id}/confirm", response_model=ConfirmedPublic, responses=DECIDED
)
def confirm(
    request_id: str, body: ConfirmIn, session: SessionDep, caller: RightsManagerDep
) -> ConfirmedPublic:
    """Kill every asset the request reaches (take-down webhooks follow); 409 if decided."""
    notices = confirm_request(session, request_id, caller.actor, body.note)
    session.commit()
    request = get_request(session, request_id)
    return ConfirmedPublic(
        request=_public(session, request), killed=[ReachedAsset.killed(n) for n in notices]
    )


@router.post(
    "/v1/kills/requests/{request_id}/reject", response_model=RejectedPublic, responses=DECIDED
)
def reject(
    request_id: str, body: RejectIn, session: SessionDep, caller: RightsManagerDep
) -> RejectedPublic:
    """Refuse the kill: the assets it held are active again; 409 if already decided."""
    restored = reject_request(session, request_id, caller.actor, body.note)
    session.commit()
    request = get_request(session, request_id)
    return RejectedPublic(request=_public(session, request), restored=[a.id for a in restored])


@router.get("/v1/assets/{asset_id}/usages", response_model=list[UsagePublic])
def usages(asset_id: str, session: SessionDep, _caller: ViewerDep) -> list[UsagePublic]:
    """Where the asset has been published (recorded by checks with `"record": true`)."""
    asset = get_asset(session, asset_id)
    return [UsagePublic.from_usage(u) for u in usages_of(session, asset.id)]


def _public(session: Session, request: KillRequest) -> KillRequestPublic:
    reaches = [
        ReachedAsset.of(a, usages_of(session, a.id), a.status == "killed")
        for a in request_reach(session, request)
    ]
    return KillRequestPublic.of(request, reaches)
