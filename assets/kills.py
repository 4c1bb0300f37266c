"""Kills and kill requests.

A kill withdraws a picture: every later check is denied, every recorded usage is listed for
take-down, and the notice goes to the outbox for the webhook. It cannot be undone, so only
someone allowed to kill does it outright: a rights manager (or admin), or a feed or key given
the kill permission. A kill notice in a caption from anyone else (an editor's upload or
caption edit, a re-parse) raises a *kill request*: the asset, and every asset with its agency
reference, is `kill_requested` (denied for every use) until a rights manager confirms the
request (a real kill of every asset it reaches) or rejects it (back to active).

A rejection holds for the caption it was about: reading that caption again (a re-parse, the
same caption posted again, the same upload) does not raise the request again. A different
caption with a kill notice raises a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from assets.audit import record_event
from assets.clock import utcnow
from assets.errors import AssetNotFound, Conflict
from assets.rights_changes import note_assets_changed
from assets.tables import Asset, KillRequest, OutboxMessage, Usage, UsagePublic

KILL_REASON = "agency kill notice in the caption"


@dataclass
class KillNotice:
    asset: Asset
    usages: list[Usage]
    already_killed: bool


def kill_asset(session: Session, asset: Asset, reason: str, actor: str) -> KillNotice:
    """Kill the asset in the caller's transaction; killing twice changes nothing.

    Any pending kill request about the asset is settled as confirmed by this kill."""
    before = {"status": asset.status}
    if not move_status(session, asset, "killed", frm=("active", "kill_requested")):
        return KillNotice(asset, usages_of(session, asset.id), already_killed=True)
    # listed once the asset is ours to kill, so a usage recorded meanwhile is not missed
    usages = usages_of(session, asset.id)
    asset.kill_reason = reason
    asset.killed_at = utcnow()
    asset.updated_at = asset.killed_at
    session.add(asset)
    session.add(OutboxMessage(kind="asset.killed", payload=kill_payload(asset, usages)))
    record_event(
        session,
        actor=actor,
        action="asset.kill",
        asset_id=asset.id,
        before=before,
        after={"status": "killed", "reason": reason, "usages": [u.id for u in usages]},
    )
    for request in pending_requests(session, asset_id=asset.id):
        _settle(request, "confirmed", actor, f"killed: {reason}")
        session.add(request)
    return KillNotice(asset, usages, already_killed=False)


def move_status(session: Session, asset: Asset, to: str, frm: tuple[str, ...]) -> bool:
    """Change an asset's status, only from one of `frm` as the database holds it now.

    Every change of status goes through here. The test is made by the database in the
    update itself, so what a request read a moment ago (another replica may have killed the
    asset since) cannot undo a kill: `killed` is in no `frm`, so nothing leaves it. Returns
    whether the status changed; the asset then shows the status the database holds."""
    now = utcnow()
    result = session.execute(
        sa.update(Asset)
        .where(col(Asset.id) == asset.id, col(Asset.status).in_(frm))
        .values(status=to, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    moved = bool(getattr(result, "rowcount", 0))
    current = (
        to
        if moved
        else session.scalar(sa.select(col(Asset.status)).where(col(Asset.id) == asset.id))
    )
    set_committed_value(asset, "status", current)
    if moved:
        set_committed_value(asset, "updated_at", now)
        note_assets_changed(session, [asset.id], f"asset.{to}")
    return moved


def assets_with_ref(session: Session, agency_ref: str) -> list[Asset]:
    """Every asset carrying the agency reference, oldest first."""
    query = select(Asset).where(col(Asset.agency_ref) == agency_ref).order_by(col(Asset.id))
    return list(session.exec(query))


def kill_by_agency_ref(
    session: Session, agency_ref: str, reason: str, actor: str
) -> list[KillNotice]:
    """An agency's kill names its reference: kill every asset carrying it (each one named)."""
    return [
        kill_asset(session, asset, reason, actor) for asset in assets_with_ref(session, agency_ref)
    ]


def reach_of(session: Session, asset: Asset, also: Iterable[str] = ()) -> list[Asset]:
    """What a kill of `asset` reaches: it, every asset with its agency reference, and `also`."""
    reached = {asset.id: asset}
    if asset.agency_ref:
        reached.update((a.id, a) for a in assets_with_ref(session, asset.agency_ref))
    for asset_id in also:
        if asset_id not in reached and (other := session.get(Asset, asset_id)) is not None:
            reached[asset_id] = other
    return [reached[k] for k in sorted(reached)]


def apply_kill_notice(
    session: Session, asset: Asset, actor: str, via: str, may_kill: bool
) -> KillRequest | None:
    """Act on a kill notice in the asset's own (just read) caption, if it has one.

    Returns the kill request raised, if any."""
    if not (asset.rights or {}).get("kill_notice"):
        asset.kill_notice_rejected = False
        session.add(asset)
        return None
    return read_kill_notice(session, asset, asset.caption, actor, via, may_kill)


def hold_if_reference_withdrawn(
    session: Session, asset: Asset, actor: str, via: str
) -> KillRequest | None:
    """Hold an active asset that has come to carry an agency reference already withdrawn.

    A kill reaches a reference, not only the rows that carried it at the time: the agency's
    picture arriving again (a re-transmission, another crop, a caption naming the reference)
    must not be usable. The asset is not killed outright, since references of different
    agencies can coincide: it joins the pending kill request that holds the reference, or,
    when the reference was killed, a kill request of its own is raised. Either way it is
    denied until a rights manager decides. Returns the request that holds it, if any."""
    if asset.status != "active" or not asset.agency_ref:
        return None
    others = [a for a in assets_with_ref(session, asset.agency_ref) if a.id != asset.id]
    if any(a.status == "killed" for a in others):
        reason = f"the agency reference {asset.agency_ref} was killed"
        return request_kill(session, asset, asset.caption, reason, actor, via)
    other_ids = {a.id for a in others}
    for request in pending_requests(session):
        if request.agency_ref == asset.agency_ref or other_ids & set(request.assets):
            request.assets = [*request.assets, asset.id]
            session.add(request)
            _hold(session, asset, request, asset.id, request.reason, actor, via)
            return request
    return None


def read_kill_notice(
    session: Session, asset: Asset, caption: str | None, actor: str, via: str, may_kill: bool
) -> KillRequest | None:
    """`caption`, carrying a kill notice about `asset`, arrived from `actor`.

    Someone allowed to kill kills every asset with the reference; anyone else raises a kill
    request, unless one for this caption is pending already or a rights manager rejected it."""
    if asset.status == "killed":
        return None
    if may_kill:
        for target in reach_of(session, asset):
            kill_asset(session, target, KILL_REASON, actor)
        return None
    rejected = _rejected_for(session, asset.id, caption)
    if caption == asset.caption:
        asset.kill_notice_rejected = rejected
        session.add(asset)
    if rejected or any(r.caption == caption for r in pending_requests(session, asset.id)):
        return None
    return request_kill(session, asset, caption, KILL_REASON, actor, via)


def request_kill(
    session: Session, asset: Asset, caption: str | None, reason: str, actor: str, via: str
) -> KillRequest:
    """Hold the asset and every asset with its reference that is not killed: each becomes
    `kill_requested` until this request, and any other holding it, is decided."""
    request = KillRequest(
        asset_id=asset.id,
        agency_ref=asset.agency_ref,
        caption=caption,
        reason=reason,
        via=via,
        requested_by=actor,
    )
    held = [a for a in reach_of(session, asset) if a.status != "killed"]
    request.assets = [a.id for a in held]
    session.add(request)
    for target in held:  # one already held by another request is held by this one too
        _hold(session, target, request, asset.id, reason, actor, via)
    return request


def _hold(
    session: Session,
    target: Asset,
    request: KillRequest,
    requested_for: str,
    reason: str,
    actor: str,
    via: str,
) -> None:
    before = target.status
    if not move_status(session, target, "kill_requested", frm=("active", "kill_requested")):
        return  # killed meanwhile: nothing left to hold
    record_event(
        session,
        actor=actor,
        action="kill.request",
        asset_id=target.id,
        before={"status": before},
        after={
            "status": "kill_requested",
            "request": request.id,
            "requested_for": requested_for,
            "reason": reason,
            "via": via,
        },
    )


def confirm_request(
    session: Session, request_id: str, actor: str, note: str | None
) -> list[KillNotice]:
    """A rights manager confirms: every asset the request reaches is killed (take-downs sent)."""
    request = _pending(session, request_id)
    asset = session.get(Asset, request.asset_id)
    targets = reach_of(session, asset, request.assets) if asset is not None else []
    reason = note or request.reason
    notices = [kill_asset(session, target, reason, actor) for target in targets]
    _settle(request, "confirmed", actor, note)
    session.add(request)
    record_event(
        session,
        actor=actor,
        action="kill.confirm",
        asset_id=request.asset_id,
        after={"request": request.id, "killed": [n.asset.id for n in notices], "note": note},
    )
    return notices


def reject_request(session: Session, request_id: str, actor: str, note: str) -> list[Asset]:
    """A rights manager rejects: the assets the request marked are active again (unless
    another pending request still holds them). Returns the assets restored."""
    request = _pending(session, request_id)
    _settle(request, "rejected", actor, note)
    session.add(request)
    session.flush()
    still_held = {a for r in pending_requests(session) for a in r.assets}
    restored = []
    now = utcnow()
    for asset_id in request.assets:
        asset = session.get(Asset, asset_id)
        if asset is None or asset_id in still_held:
            continue
        if not move_status(session, asset, "active", frm=("kill_requested",)):
            continue  # killed meanwhile (or never held): a rejection frees nothing killed
        restored.append(asset)
        record_event(
            session,
            actor=actor,
            action="kill.reject",
            asset_id=asset.id,
            before={"status": "kill_requested"},
            after={"status": "active", "request": request.id, "note": note},
        )
    asker = session.get(Asset, request.asset_id)
    if asker is not None and asker.caption == request.caption:
        # the notice stays in the caption; it is no longer a reason to deny
        asker.kill_notice_rejected = True
        asker.updated_at = now
        session.add(asker)
    return restored


def pending_requests(session: Session, asset_id: str | None = None) -> list[KillRequest]:
    query = select(KillRequest).where(KillRequest.state == "pending")
    if asset_id is not None:
        query = query.where(KillRequest.asset_id == asset_id)
    return list(session.exec(query.order_by(col(KillRequest.id))))


def list_requests(session: Session, state: str | None, limit: int) -> list[KillRequest]:
    """Kill requests, oldest first (the queue a rights manager works through)."""
    query = select(KillRequest)
    if state:
        query = query.where(KillRequest.state == state)
    return list(session.exec(query.order_by(col(KillRequest.id)).limit(limit)))


def get_request(session: Session, request_id: str) -> KillRequest:
    request = session.get(KillRequest, request_id)
    if request is None:
        raise AssetNotFound(f"no kill request {request_id!r}; see GET /v1/kills/requests")
    return request


def request_reach(session: Session, request: KillRequest) -> list[Asset]:
    """The assets confirming `request` would kill (or did)."""
    asset = session.get(Asset, request.asset_id)
    return reach_of(session, asset, request.assets) if asset is not None else []


def _pending(session: Session, request_id: str) -> KillRequest:
    request = get_request(session, request_id)
    if request.state != "pending":
        raise Conflict(
            f"kill request {request_id} was already {request.state} by {request.decided_by}"
        )
    return request


def _settle(request: KillRequest, state: str, actor: str, note: str | None) -> None:
    request.state = state
    request.decided_by = actor
    request.decided_at = utcnow()
    request.decision_note = note


def _rejected_for(session: Session, asset_id: str, caption: str | None) -> bool:
    """Whether a rights manager rejected a kill request raised by this very caption."""
    same_caption = (
        col(KillRequest.caption).is_(None) if caption is None else KillRequest.caption == caption
    )
    query = select(KillRequest.id).where(
        KillRequest.asset_id == asset_id, KillRequest.state == "rejected", same_caption
    )
    return session.exec(query).first() is not None


def usages_of(session: Session, asset_id: str) -> list[Usage]:
    query = select(Usage).where(Usage.asset_id == asset_id).order_by(col(Usage.id))
    return list(session.exec(query))


def usage_json(usage: Usage) -> dict[str, object]:
    """The usage's one wire shape (`UsagePublic`), datetimes as ISO 8601 text."""
    return UsagePublic.from_usage(usage).model_dump(mode="json") | {
        "created_at": usage.created_at.isoformat()
    }


def kill_payload(asset: Asset, usages: list[Usage]) -> dict[str, object]:
    """What the webhook receives: enough to take every publication down."""
    return {
        "event": "asset.killed",
        "asset": asset.id,
        "agency_ref": asset.agency_ref,
        "reason": asset.kill_reason,
        "killed_at": asset.killed_at.isoformat() if asset.killed_at else None,
        "usages": [usage_json(u) for u in usages],
    }
