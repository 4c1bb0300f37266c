"""Kill notices: an agency withdraws a picture. Every later check is denied, every recorded
usage is listed for take-down, and the notice goes to the outbox for the webhook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from assets.audit import record_event
from assets.tables import Asset, OutboxMessage, Usage

KILL_REASON = "agency kill notice in the caption"


@dataclass
class KillNotice:
    asset: Asset
    usages: list[Usage]
    already_killed: bool


def kill_asset(session: Session, asset: Asset, reason: str, actor: str) -> KillNotice:
    """Kill the asset in the caller's transaction; killing twice changes nothing."""
    usages = usages_of(session, asset.id)
    if asset.status == "killed":
        return KillNotice(asset, usages, already_killed=True)
    before = {"status": asset.status}
    asset.status = "killed"
    asset.kill_reason = reason
    asset.killed_at = datetime.now(UTC)
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
    return KillNotice(asset, usages, already_killed=False)


def kill_by_agency_ref(session: Session, agency_ref: str, reason: str, actor: str) -> list[Asset]:
    """An agency's kill caption names its reference: kill every asset carrying it."""
    assets = session.exec(select(Asset).where(col(Asset.agency_ref) == agency_ref)).all()
    return [kill_asset(session, asset, reason, actor).asset for asset in assets]


def apply_kill_notice(session: Session, asset: Asset, actor: str) -> None:
    """A caption saying the agency killed the picture kills every asset with its reference."""
    if not (asset.rights or {}).get("kill_notice"):
        return
    if asset.agency_ref:
        kill_by_agency_ref(session, asset.agency_ref, KILL_REASON, actor)
    else:
        kill_asset(session, asset, KILL_REASON, actor)


def usages_of(session: Session, asset_id: str) -> list[Usage]:
    query = select(Usage).where(Usage.asset_id == asset_id).order_by(col(Usage.id))
    return list(session.exec(query))


def usage_json(usage: Usage) -> dict[str, object]:
    return {
        "id": usage.id,
        "asset": usage.asset_id,
        "purpose": usage.purpose,
        "channel": usage.channel,
        "territory": usage.territory,
        "publication": usage.publication,
        "url": usage.url,
        "actor": usage.actor,
        "created_at": usage.created_at.isoformat(),
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
