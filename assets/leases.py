"""Leases (overrides) stored in the catalogue, turned into the policy's `Override` values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session, and_, col, or_, select

from assets.audit import record_event
from assets.errors import AssetNotFound
from assets.supplier_keys import name_key, target_key
from assets.tables import Asset, Lease, LeaseBase
from rights import Channel, LeaseScope, Outcome, Override, Purpose
from rights.leases import reaches


def to_override(lease: Any) -> Override:
    """A stored lease (an ORM object or a plain row) as the policy sees it.

    No target: the catalogue has already picked the leases that reach the asset (`reaching`),
    and the policy takes its word rather than compare names again.
    """
    return Override(
        effect=Outcome(lease.effect),
        reason=lease.reason,
        purposes=tuple(Purpose(p) for p in lease.purposes or ()),
        channels=tuple(Channel(c) for c in lease.channels or ()),
        territories=tuple(lease.territories or ()),
        starts=lease.starts,
        ends=lease.ends,
        id=lease.id,
        scope=LeaseScope(lease.scope),
    )


def reaching(ids: Any, agency_keys: Any, source_keys: Any) -> sa.ColumnElement[bool]:
    """The one lease-reach rule in SQL: leases on these asset ids, agency keys or source keys.

    Each argument is what `IN` takes: an expanding bind parameter for a batch of assets, or a
    one-element list holding a column for a correlated subquery. `rights.leases.reaches` is the
    same rule in Python; the stored keys are built by the functions it uses, so both agree.
    """
    key = col(Lease.target_key)
    return or_(
        and_(Lease.scope == LeaseScope.ASSET.value, key.in_(ids)),
        and_(Lease.scope == LeaseScope.AGENCY.value, key.in_(agency_keys)),
        and_(Lease.scope == LeaseScope.SOURCE.value, key.in_(source_keys)),
    )


# Built once: constructing the expression per check costs more than running it.
_REACHING = reaching(
    sa.bindparam("ids", expanding=True),
    sa.bindparam("agencies", expanding=True),
    sa.bindparam("sources", expanding=True),
)
_APPLYING = sa.select(*Lease.__table__.columns).where(_REACHING)  # type: ignore[attr-defined]
_APPLYING_LEASES = sa.select(Lease).where(_REACHING).order_by(col(Lease.id))


class LeaseHolder(Protocol):
    """What decides which leases reach an asset."""

    @property
    def id(self) -> str: ...

    @property
    def agency(self) -> str | None: ...

    @property
    def source(self) -> str | None: ...


def leases_for(session: Session, assets: Sequence[LeaseHolder]) -> dict[str, tuple[Override, ...]]:
    """Every lease that applies to each asset: its own, its agency's and its source's."""
    if not assets:
        return {}
    params = _reaching_params(assets)
    rows = list(session.connection().execute(_APPLYING, params))
    result: dict[str, tuple[Override, ...]] = {}
    for asset in assets:
        matching = [to_override(lease) for lease in rows if lease_reaches(lease, asset)]
        if matching:
            result[asset.id] = tuple(matching)
    return result


def grant_lease(session: Session, lease: Lease, actor: str) -> Lease:
    """Store a lease and audit it, in the caller's transaction."""
    lease.actor = actor
    session.add(lease)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="lease.grant",
        asset_id=lease.target if lease.scope == LeaseScope.ASSET else None,
        after=lease_json(lease),
    )
    return lease


def list_leases(
    session: Session, scope: str | None = None, target: str | None = None
) -> list[Lease]:
    """Leases, oldest first; `target` is compared as a lease of `scope` would compare it."""
    query = select(Lease).order_by(col(Lease.id))
    if scope:
        query = query.where(Lease.scope == str(scope))
    if target:
        by_id = and_(Lease.scope == LeaseScope.ASSET.value, Lease.target == target)
        by_name = and_(
            col(Lease.scope).in_([LeaseScope.AGENCY.value, LeaseScope.SOURCE.value]),
            Lease.target_key == name_key(target),
        )
        query = query.where(or_(by_id, by_name))
    return list(session.exec(query))


def leases_applying_to(session: Session, asset: Asset) -> list[Lease]:
    """The asset's own leases and the agency- and source-wide ones that reach it."""
    result = session.execute(_APPLYING_LEASES, _reaching_params([asset]))
    return list(result.scalars())


def lease_reaches(lease: Any, asset: LeaseHolder) -> bool:
    """Whether a lease (an ORM object or a row) applies to the asset: `rights.leases.reaches`."""
    return reaches(
        lease.scope,
        target_key(lease.scope, lease.target),
        asset_id=asset.id,
        agency_key=name_key(asset.agency),
        source_key=name_key(asset.source),
    )


def _reaching_params(assets: Sequence[LeaseHolder]) -> dict[str, list[str]]:
    agencies = {name_key(a.agency) for a in assets}
    sources = {name_key(a.source) for a in assets}
    return {
        "ids": [a.id for a in assets],
        "agencies": [k for k in agencies if k is not None],
        "sources": [k for k in sources if k is not None],
    }


def revoke_lease(session: Session, lease_id: str, actor: str, asset_id: str | None = None) -> Lease:
    lease = session.get(Lease, lease_id)
    if lease is None or (
        asset_id is not None and (lease.scope, lease.target) != (LeaseScope.ASSET, asset_id)
    ):
        where = f" on asset {asset_id}" if asset_id else ""
        raise AssetNotFound(f"no override {lease_id!r}{where}")
    record_event(
        session,
        actor=actor,
        action="lease.revoke",
        asset_id=lease.target if lease.scope == LeaseScope.ASSET else None,
        before=lease_json(lease),
    )
    session.delete(lease)
    return lease


def lease_json(lease: Lease) -> dict[str, object]:
    """The lease as the audit trail keeps it: its `LeaseBase` fields, id and target key."""
    data = lease.model_dump(include={*LeaseBase.model_fields, "id", "target_key"})
    for key in ("starts", "ends"):
        data[key] = data[key].isoformat() if data[key] else None
    return data
