"""Looking assets up: by id, by agency reference, and filtered keyset pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from assets.errors import AssetNotFound, InvalidRequest
from assets.tables import Asset, AssetRestriction

_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Page:
    items: list[Asset]
    next_cursor: str | None


@dataclass(frozen=True)
class AssetFilter:
    agency: str | None = None
    source: str | None = None
    restriction: str | None = None
    status: str | None = None


def is_asset_id(value: str) -> bool:
    return bool(_ID.match(value))


def get_asset(session: Session, asset_id: str) -> Asset:
    asset = session.get(Asset, asset_id) if is_asset_id(asset_id) else None
    if asset is None:
        raise AssetNotFound(f"no asset with id {asset_id!r}; list assets with GET /v1/assets")
    return asset


def find_by_ref(session: Session, agency_ref: str) -> Asset | None:
    """The newest asset carrying this agency reference (as stored, lower- or upper-case)."""
    query = (
        select(Asset)
        .where(col(Asset.agency_ref).in_({agency_ref, agency_ref.lower(), agency_ref.upper()}))
        .order_by(col(Asset.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def get_by_ref(session: Session, agency_ref: str) -> Asset:
    asset = find_by_ref(session, agency_ref)
    if asset is None:
        raise AssetNotFound(f"no asset with agency reference {agency_ref!r}")
    return asset


def resolve(session: Session, key: str) -> Asset | None:
    """An asset by id or by agency reference; None when neither matches."""
    if is_asset_id(key):
        asset = session.get(Asset, key)
        if asset is not None:
            return asset
    return find_by_ref(session, key)


def list_assets(session: Session, filters: AssetFilter, limit: int, cursor: str | None) -> Page:
    """Newest first. The cursor is the last id of the previous page (stable under inserts)."""
    query = select(Asset)
    if filters.agency:
        query = query.where(Asset.agency == filters.agency)
    if filters.source:
        query = query.where(Asset.source == filters.source)
    if filters.status:
        query = query.where(Asset.status == filters.status)
    if filters.restriction:
        query = query.where(
            col(Asset.id).in_(
                select(AssetRestriction.asset_id).where(
                    AssetRestriction.code == filters.restriction.upper()
                )
            )
        )
    if cursor:
        if not is_asset_id(cursor):
            raise InvalidRequest("cursor is not one this service issued; use next_cursor as given")
        query = query.where(col(Asset.id) < cursor)
    rows = list(session.exec(query.order_by(col(Asset.id).desc()).limit(limit + 1)))
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def replace_restriction_index(session: Session, asset: Asset) -> None:
    """Rebuild the (asset, code) rows the `restriction=` filter uses from the asset's rights."""
    session.exec(delete(AssetRestriction).where(col(AssetRestriction.asset_id) == asset.id))
    codes = {r["code"] for r in (asset.rights or {}).get("restrictions", [])}
    for code in sorted(codes):
        session.add(AssetRestriction(asset_id=asset.id, code=code))
