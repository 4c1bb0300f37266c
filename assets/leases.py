"""Leases (overrides) stored in the catalogue, turned into the policy's `Override` values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, and_, col, or_, select

from assets.tables import Asset, Lease
from rights import Channel, Outcome, Override, Purpose


def to_override(lease: Lease) -> Override:
    return Override(
        effect=Outcome(lease.effect),
        reason=lease.reason,
        purposes=tuple(Purpose(p) for p in lease.purposes or ()),
        channels=tuple(Channel(c) for c in lease.channels or ()),
        territories=tuple(lease.territories or ()),
        starts=_aware(lease.starts),
        ends=_aware(lease.ends),
        id=lease.id,
        scope=lease.scope,
    )


def leases_for(session: Session, assets: Sequence[Asset]) -> dict[str, tuple[Override, ...]]:
    """Every lease that applies to each asset: its own, its agency's and its source's."""
    if not assets:
        return {}
    ids = {a.id for a in assets}
    agencies = {a.agency for a in assets if a.agency}
    sources = {a.source for a in assets if a.source}
    query = select(Lease).where(
        or_(
            and_(Lease.scope == "asset", col(Lease.target).in_(ids)),
            and_(Lease.scope == "agency", col(Lease.target).in_(agencies)),
            and_(Lease.scope == "source", col(Lease.target).in_(sources)),
        )
    )
    rows = list(session.exec(query))
    result: dict[str, tuple[Override, ...]] = {}
    for asset in assets:
        matching = [
            to_override(lease)
            for lease in rows
            if (lease.scope == "asset" and lease.target == asset.id)
            or (lease.scope == "agency" and lease.target == asset.agency)
            or (lease.scope == "source" and lease.target == asset.source)
        ]
        if matching:
            result[asset.id] = tuple(matching)
    return result


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=UTC)
