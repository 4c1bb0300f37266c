"""Leases (overrides): per asset under /v1/assets/{id}/overrides, agency/source-wide under
/v1/overrides. Granting and revoking need the rights_manager role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import RightsManagerDep, SessionDep, ViewerDep
from api.schemas import OverrideIn, OverridePublic, WideOverrideIn
from assets.catalogue import get_asset
from assets.leases import grant_lease, leases_applying_to, list_leases, revoke_lease
from assets.suppliers import resolve_target
from rights import LeaseScope

router = APIRouter(tags=["overrides"])


@router.post("/v1/assets/{asset_id}/overrides", response_model=OverridePublic, status_code=201)
def grant_asset_override(
    asset_id: str, body: OverrideIn, session: SessionDep, caller: RightsManagerDep
) -> OverridePublic:
    """Allow or deny uses of one asset within a scope and a time window."""
    asset = get_asset(session, asset_id)
    lease = grant_lease(session, body.to_lease(LeaseScope.ASSET, asset.id), caller.actor)
    session.commit()
    return OverridePublic.from_lease(lease)


@router.get("/v1/assets/{asset_id}/overrides", response_model=list[OverridePublic])
def asset_overrides(asset_id: str, session: SessionDep, _caller: ViewerDep) -> list[OverridePublic]:
    """Every lease that reaches this asset: its own, its agency's and its source's."""
    asset = get_asset(session, asset_id)
    return [OverridePublic.from_lease(lease) for lease in leases_applying_to(session, asset)]


@router.delete(
    "/v1/assets/{asset_id}/overrides/{override_id}", status_code=204, response_class=Response
)
def revoke_asset_override(
    asset_id: str, override_id: str, session: SessionDep, caller: RightsManagerDep
) -> Response:
    revoke_lease(session, override_id, caller.actor, asset_id=asset_id)
    session.commit()
    return Response(status_code=204)


@router.post("/v1/overrides", response_model=OverridePublic, status_code=201)
def grant_wide_override(
    body: WideOverrideIn, session: SessionDep, caller: RightsManagerDep
) -> OverridePublic:
    """A lease for every asset of an agency (e.g. "EPA") or of a source.

    The target is read as supplier names are compared ("epa", "EPA " and "Epa" are one
    agency) and must name a supplier the catalogue or an agency profile knows: otherwise 422
    with the closest known names, unless `force`. The answer shows the spelling stored and the
    key it matches."""
    scope = LeaseScope(body.scope)
    supplier = resolve_target(session, scope, body.target, force=body.force)
    lease = grant_lease(session, body.to_lease(scope, supplier.name), caller.actor)
    session.commit()
    return OverridePublic.from_lease(lease)


@router.get("/v1/overrides", response_model=list[OverridePublic])
def wide_overrides(
    session: SessionDep,
    _caller: ViewerDep,
    scope: Annotated[LeaseScope | None, Query()] = None,
    target: str | None = None,
) -> list[OverridePublic]:
    """Leases, oldest first; `target` finds the leases on an asset id or on a supplier (compared
    as leases compare names)."""
    return [OverridePublic.from_lease(lease) for lease in list_leases(session, scope, target)]


@router.delete("/v1/overrides/{override_id}", status_code=204, response_class=Response)
def revoke_wide_override(
    override_id: str, session: SessionDep, caller: RightsManagerDep
) -> Response:
    revoke_lease(session, override_id, caller.actor)
    session.commit()
    return Response(status_code=204)
