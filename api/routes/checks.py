"""/v1/rights/check: the publishing hook. One answer per asset, in request order; fails closed."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import HookDep, SessionDep
from api.observability import observe_decision
from api.schemas import CheckRequest, CheckResponse, CheckResult
from assets.checks import check_assets
from assets.clock import utcnow
from rights import Use
from rights.moment import utc

router = APIRouter(prefix="/v1/rights", tags=["rights"])


@router.post("/check", response_model=CheckResponse)
def check_rights(body: CheckRequest, session: SessionDep, caller: HookDep) -> JSONResponse:
    """May these images be used this way, here, now? allow, deny or review, with reasons."""
    use = Use(
        purpose=body.use.purpose,
        channel=body.use.channel,
        territory=body.use.territory,  # already an ISO code (api.territories)
        at=body.use.at,
        publication=body.use.publication,
        url=body.use.url,
    )
    now = utc(body.use.at or utcnow())  # the one "now" of this request
    outcomes = check_assets(
        session, body.assets, use, now=now, record_usage=body.record, actor=caller.actor
    )
    for outcome in outcomes:
        observe_decision(outcome.decision.decision.value)
    results = [CheckResult.wire(o.key, o.asset_id, o.decision, o.usage_id) for o in outcomes]
    return JSONResponse({"results": results})
