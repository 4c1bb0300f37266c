"""Agreements with suppliers under /v1/agreements; changing them needs the rights_manager role.

The body of a POST or PUT is the agreement's wire form (rights.agreement_from_dict): `supplier`
(null or left out: the default agreement), `cost`, and optional `price`, `currency`,
`purposes`, `channels`, `territories`, `quota`, `lease_required`, `starts`, `ends`,
`retention_days`, `note`. Every change is audited and kept as a version.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from api.deps import RightsManagerDep, SessionDep, ViewerDep
from assets.agreements import (
    agreement_json,
    get_agreement,
    list_agreements,
    put_agreement,
    read_agreement,
    remove_agreement,
    versions_of,
)
from assets.errors import InvalidRequest

router = APIRouter(tags=["agreements"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such agreement"}}
WRITES: dict[int | str, dict[str, Any]] = {
    409: {"description": "changed by someone else at the same moment; read it and retry"},
    422: {"description": "the agreement is not valid; the detail names the field"},
}

AgreementBody = Body(
    examples=[
        {
            "supplier": "EPA",
            "cost": "pay",
            "price": "12.50",
            "currency": "EUR",
            "purposes": ["editorial"],
            "channels": ["web", "print"],
            "quota": 500,
        }
    ]
)


@router.get("/v1/agreements")
def agreements(session: SessionDep, _caller: ViewerDep) -> list[dict[str, Any]]:
    """Every agreement in force: the default (supplier null) first, then by supplier."""
    return [agreement_json(row) for row in list_agreements(session)]


@router.post("/v1/agreements", responses=WRITES)
def set_agreement(
    session: SessionDep, caller: RightsManagerDep, body: Any = AgreementBody
) -> dict[str, Any]:
    """Set the agreement with a supplier (or the default): a new version if one exists."""
    row = put_agreement(session, read_agreement(body), caller.actor)
    session.commit()
    return agreement_json(row)


@router.get("/v1/agreements/{agreement_id}", responses=NOT_FOUND)
def agreement(agreement_id: str, session: SessionDep, _caller: ViewerDep) -> dict[str, Any]:
    return agreement_json(get_agreement(session, agreement_id))


@router.put("/v1/agreements/{agreement_id}", responses={**NOT_FOUND, **WRITES})
def replace_agreement(
    agreement_id: str, session: SessionDep, caller: RightsManagerDep, body: Any = AgreementBody
) -> dict[str, Any]:
    """A new version of this agreement; its supplier cannot change (set another's instead)."""
    row = get_agreement(session, agreement_id)
    if isinstance(body, dict) and "supplier" not in body:
        body = {**body, "supplier": row.supplier}
    new = read_agreement(body)
    if new.supplier != row.supplier:
        raise InvalidRequest(
            "an agreement's supplier cannot change; POST /v1/agreements for the other supplier"
        )
    row = put_agreement(session, new, caller.actor)
    session.commit()
    return agreement_json(row)


@router.delete(
    "/v1/agreements/{agreement_id}",
    status_code=204,
    response_class=Response,
    responses=NOT_FOUND,
)
def end_agreement(agreement_id: str, session: SessionDep, caller: RightsManagerDep) -> Response:
    """End an agreement; its versions stay (GET .../versions)."""
    remove_agreement(session, agreement_id, caller.actor)
    session.commit()
    return Response(status_code=204)


@router.get("/v1/agreements/{agreement_id}/versions", responses=NOT_FOUND)
def agreement_versions(
    agreement_id: str, session: SessionDep, _caller: ViewerDep
) -> list[dict[str, Any]]:
    """Every version, oldest first; a removal is a version with `terms` null."""
    return [
        {
            "version": v.version,
            "supplier": v.supplier,
            "terms": v.terms,
            "actor": v.actor,
            "created_at": v.created_at.isoformat(),
        }
        for v in versions_of(session, agreement_id)
    ]
