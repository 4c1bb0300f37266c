"""The rights check for a batch of assets: resolve, load leases, evaluate, record usages.

Everything a decision needs is read from the database per call, so any replica answers the
same; one query resolves the whole batch and one loads its leases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, or_, select

from assets.audit import record_event
from assets.catalogue import is_asset_id
from assets.leases import leases_for
from assets.rights_reading import record_from_json
from assets.tables import Asset, Usage
from rights import Decision, Outcome, RightsRecord, Use, evaluate


@dataclass
class CheckOutcome:
    key: str
    asset_id: str | None
    decision: Decision
    usage_id: str | None = None


def rights_record(asset: Asset) -> RightsRecord:
    """The stored reading plus the catalogue's own facts (kill, ingest time, profile window)."""
    record = record_from_json(asset.rights or {})
    return dataclasses.replace(
        record,
        killed=asset.status == "killed",
        kill_reason=asset.kill_reason,
        ingested_at=_aware(asset.created_at),
    )


def check_assets(
    session: Session,
    keys: Sequence[str],
    use: Use,
    *,
    now: datetime | None = None,
    record_usage: bool = False,
    actor: str = "anonymous",
) -> list[CheckOutcome]:
    """One outcome per key, in order. Unknown keys are denied by the policy (no record)."""
    now = now or datetime.now(UTC)
    found = _resolve_all(session, keys)
    leases = leases_for(session, list({a.id: a for a in found.values()}.values()))
    outcomes: list[CheckOutcome] = []
    for key in keys:
        asset = found.get(key)
        record = rights_record(asset) if asset is not None else None
        decision = evaluate(record, use, leases.get(asset.id, ()) if asset else (), now)
        outcome = CheckOutcome(key, asset.id if asset else None, decision)
        if record_usage and asset is not None and decision.decision is Outcome.ALLOW:
            outcome.usage_id = _record_usage(session, asset, use, actor)
        outcomes.append(outcome)
    if record_usage:
        session.commit()
    return outcomes


def _resolve_all(session: Session, keys: Sequence[str]) -> dict[str, Asset]:
    ids = {k for k in keys if is_asset_id(k)}
    refs = {k for k in keys if not is_asset_id(k)} | {k.lower() for k in keys}
    query = select(Asset).where(or_(col(Asset.id).in_(ids), col(Asset.agency_ref).in_(refs)))
    rows = list(session.exec(query.order_by(col(Asset.id))))
    by_id = {a.id: a for a in rows}
    by_ref: dict[str, Asset] = {}
    for asset in rows:  # ascending ids: the newest asset with a reference wins
        if asset.agency_ref:
            by_ref[asset.agency_ref.lower()] = asset
    found: dict[str, Asset] = {}
    for key in keys:
        match = by_id.get(key) or by_ref.get(key.lower())
        if match is not None:
            found[key] = match
    return found


def _record_usage(session: Session, asset: Asset, use: Use, actor: str) -> str | None:
    if not use.publication or not use.url:
        return None
    usage = Usage(
        asset_id=asset.id,
        purpose=use.purpose.value,
        channel=use.channel.value if use.channel else None,
        territory=use.territory,
        publication=use.publication,
        url=use.url,
        actor=actor,
    )
    session.add(usage)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="usage.record",
        asset_id=asset.id,
        after={
            "usage": usage.id,
            "publication": use.publication,
            "url": use.url,
            "purpose": use.purpose.value,
        },
    )
    return usage.id


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the catalogue always writes UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
