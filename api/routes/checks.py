"""/v1/rights/check: the publishing hook. One answer per asset, in request order; fails closed.

The hook is the service's hot path, so a well-formed request takes a short way through:
`LeanCheckRoute` guards the parameters and the caller exactly as the route's dependencies do,
reads the body with orjson into the same `CheckRequest` model, and answers. Anything it does
not take at once (another content type, a body that does not validate) goes the framework's
whole way, which gives the usual problem+json answers: the short way never accepts what the
declared route would refuse. A check that only reads runs on the event loop (two short
indexed reads cost less than the hop to a worker thread and back); a check that records
usages takes row locks and may wait for a kill on another replica, so it runs in a worker
thread and never holds up the loop. Answers are serialised with orjson.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, get_args

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from sqlmodel import Session

from api.deps import Caller, HookDep, Require, RuntimeDep
from api.fields import storable_parameters
from api.observability import observe_decision
from api.runtime import Runtime
from api.schemas import CheckRequest, CheckResponse, CheckResult
from assets.checks import CheckOutcome, check_assets, check_assets_read
from assets.clock import utcnow
from rights import Decision, Use
from rights.moment import utc

_HOOK_GUARD: Require = get_args(HookDep)[1].dependency
_BEARER = HTTPBearer(auto_error=False)
_JSON = "application/json"


class LeanCheckRoute(APIRoute):
    """The check route with a short way for well-formed requests (see the module)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        declared = super().get_route_handler()

        async def handler(request: Request) -> Response:
            content_type = request.headers.get("content-type", "")
            if content_type.partition(";")[0].strip().lower() != _JSON:
                return await declared(request)
            await storable_parameters(request)  # the app-wide dependency, first as there
            runtime: Runtime = request.app.state.runtime
            caller = await _HOOK_GUARD(request, runtime, await _BEARER(request))
            try:
                body = CheckRequest.model_validate(orjson.loads(await request.body()))
            except ValueError:  # not JSON orjson reads, or not a valid request: the long way
                return await declared(request)
            return await _answer(runtime, body, caller)

        return handler


router = APIRouter(prefix="/v1/rights", tags=["rights"], route_class=LeanCheckRoute)


@router.post("/check", response_model=CheckResponse)
async def check_rights(body: CheckRequest, runtime: RuntimeDep, caller: HookDep) -> Response:
    """May these images be used this way, here, now? allow, deny or review, with reasons."""
    return await _answer(runtime, body, caller)


async def _answer(runtime: Runtime, body: CheckRequest, caller: Caller) -> Response:
    use = Use(
        purpose=body.use.purpose,
        channel=body.use.channel,
        territory=body.use.territory,  # already an ISO code (api.territories)
        at=body.use.at,
        publication=body.use.publication,
        url=body.use.url,
    )
    clock = utcnow()  # the one reading of the clock of this request; quotas count in its month
    now = utc(body.use.at or clock)  # the moment of use
    if body.record and now < clock:  # a use recorded now is live now: never judged back-dated
        now = clock
    if body.record:
        outcomes = await run_in_threadpool(
            _check_and_record, runtime, body.assets, use, now, clock, caller.actor
        )
    else:
        outcomes = _read_check(runtime, body.assets, use, now, clock)
    for decision, count in Counter(o.decision.decision.value for o in outcomes).items():
        observe_decision(decision, count)
    results = [_result(o) for o in outcomes]
    return Response(orjson.dumps({"results": results}), media_type=_JSON)


_WIRE_KEPT = 20_000  # as many as assets.checks keeps prepared records: one per asset and use
_wire: dict[int, tuple[Decision, dict[str, Any]]] = {}


def _result(outcome: CheckOutcome) -> dict[str, Any]:
    """`CheckResult.wire` of the outcome. The policy hands the same `Decision` object to every
    asset it judges alike, so its wire form is built once and the per-asset fields are set on a
    copy (a copy keeps the keys in their order). Keyed by identity with the decision held, so
    an id is never reused while its entry lives."""
    entry = _wire.get(id(outcome.decision))
    if entry is None or entry[0] is not outcome.decision:
        if len(_wire) >= _WIRE_KEPT:
            _wire.pop(next(iter(_wire)), None)  # the oldest entry goes
        wire = CheckResult.wire("", None, outcome.decision, None)
        # nested values kept serialised: thousands of kept lists and dicts would be walked by
        # every full garbage collection, a pause in the answer that runs into it
        for name, value in wire.items():
            if isinstance(value, list | dict):
                wire[name] = orjson.Fragment(orjson.dumps(value))
        entry = (outcome.decision, wire)
        _wire[id(outcome.decision)] = entry
    return {
        **entry[1],
        "asset": outcome.key,
        "asset_id": outcome.asset_id,
        "usage_id": outcome.usage_id,
    }


class _HeldConnection:
    """One connection a worker process keeps for checks that only read (PostgreSQL).

    Each check then costs one round trip to the database: taking a connection from the pool
    costs a ping and, in a transaction, a BEGIN and a ROLLBACK, each a round trip that cost
    more than the check. The connection is in autocommit: each statement reads the latest
    committed rows, as each statement of a READ COMMITTED transaction does, so a lease or a
    kill committed by any replica applies to the next check at once. Used by one thread at
    a time (the event loop); a caller that finds it busy takes one from the pool."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: sa.Connection | None = None

    def take(self, engine: sa.Engine) -> sa.Connection:
        if self.connection is None:
            self.connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self.connection

    def drop(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.invalidate()
                self.connection.close()
        self.connection = None


_HELD = "_held_check_connection"  # kept on the runtime, and gone with it


def _read_check(
    runtime: Runtime, keys: list[str], use: Use, now: datetime, clock: datetime
) -> list[CheckOutcome]:
    engine = runtime.engine
    if engine.dialect.name == "sqlite":  # in-process: no round trip to save
        with engine.connect() as connection:
            return check_assets_read(connection, keys, use, now=now, counted_at=clock)
    held: _HeldConnection = vars(runtime).setdefault(_HELD, _HeldConnection())
    if not held.lock.acquire(blocking=False):
        with engine.connect() as connection:
            return check_assets_read(connection, keys, use, now=now, counted_at=clock)
    try:
        try:
            connection = held.take(engine)
            try:
                return check_assets_read(connection, keys, use, now=now, counted_at=clock)
            finally:
                if connection.in_transaction():
                    connection.rollback()
        except (sa.exc.DBAPIError, engine.dialect.loaded_dbapi.Error):
            # the server closed the connection, or the read failed (the driver's own error
            # when its cursor is used directly): read once more, through a fresh connection
            held.drop()
        with engine.connect() as connection:  # from the pool, pinged first
            return check_assets_read(connection, keys, use, now=now, counted_at=clock)
    finally:
        held.lock.release()


def _check_and_record(
    runtime: Runtime, keys: list[str], use: Use, now: datetime, clock: datetime, actor: str
) -> list[CheckOutcome]:
    with Session(runtime.engine, expire_on_commit=False) as session:
        return check_assets(
            session, keys, use, now=now, record_usage=True, actor=actor, counted_at=clock
        )
