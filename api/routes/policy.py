"""/v1/assets/{id}/policy: the asset's rights as an ODRL 2.2 / RightsML policy, and policies
delivered for it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse

from api.deps import EditorDep, SessionDep, ViewerDep
from api.schemas import AssetPublic
from assets.catalogue import get_asset
from assets.policies import apply_policy, policy_of
from rights import restriction_to_dict

router = APIRouter(prefix="/v1/assets", tags=["policy"])

JSON_LD = "application/ld+json"


async def _body_text(request: Request) -> bytes:
    """The body as sent: the policy is read from its text, strictly (a repeated key is refused
    rather than read as one of its values)."""
    return await request.body()


@router.get(
    "/{asset_id}/policy",
    response_class=JSONResponse,
    responses={200: {"content": {JSON_LD: {}}, "description": "the ODRL 2.2 policy (JSON-LD)"}},
)
def get_policy(asset_id: str, session: SessionDep, _caller: ViewerDep) -> JSONResponse:
    """The rights a check enforces now, as an ODRL 2.2 `Set` under IPTC's RightsML profile:
    the supplier as assigner, a permission with its constraints and duties (the exact credit
    line), one prohibition per restriction, and each lease that reaches the asset as its own
    rule with its window. Every rule cites its phrase in `dct:description`."""
    policy = policy_of(session, get_asset(session, asset_id))
    return JSONResponse(policy, media_type=JSON_LD)


@router.put("/{asset_id}/policy")
def put_policy(
    asset_id: str,
    policy: Annotated[dict[str, Any], Body(description="an ODRL 2.2 policy in JSON-LD")],
    session: SessionDep,
    caller: EditorDep,
    text: Annotated[bytes, Depends(_body_text)],
) -> dict[str, Any]:
    """Add the restrictions an ODRL policy states (origin `policy`).

    A policy only ever adds: its permissions never lift a restriction of the caption or the
    file, and whatever it states that cannot be mapped exactly (an unknown action, constraint
    or value) becomes OTHER, which sends every check to review. 422 when the document is no
    policy at all, or JSON that readers could read differently (a key repeated in an object,
    NaN).
    """
    del policy  # parsed for the schema and a first refusal; read again from its exact text
    asset = get_asset(session, asset_id)
    reading = apply_policy(session, asset, text, caller.actor)
    return {
        "asset": AssetPublic.from_asset(asset).model_dump(mode="json"),
        "read": [restriction_to_dict(r) for r in reading.restrictions],
        "notes": list(reading.notes),
    }
