"""Looking assets up: by id, by agency reference, and filtered keyset pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, delete, select

from assets.errors import AssetNotFound, InvalidRequest
from assets.search import Match, find_matches, parse_query, ranked_ids
from assets.tables import Asset, AssetRestriction
from rights.moment import utc

if TYPE_CHECKING:
    from assets.cost_filter import CostFilter

_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Page:
    """One page of a listing; with a text query, each item's rank and highlighted match."""

    items: list[Asset]
    next_cursor: str | None
    ranks: dict[str, int] = field(default_factory=dict)
    matches: dict[str, Match] = field(default_factory=dict)


@dataclass(frozen=True)
class AssetFilter:
    """What a listing is narrowed to. `since` is inclusive and `until` exclusive (created_at)."""

    q: str | None = None
    agency: str | None = None
    source: str | None = None
    restriction: str | None = None
    status: str | None = None
    handout: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    costs: CostFilter | None = None  # the cost of one use (assets.cost_filter)


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


def list_assets(session: Session, filters: AssetFilter, limit: int, cursor: str | None) -> Page:
    """Newest first, or best match first when `q` is given; keyset pages stable under inserts.

    Without `q` the cursor is the last id of the previous page; with `q` it is the walk's start,
    recency band, rank and id of the last item, and ranks depend on each asset alone
    (assets.search), so concurrent ingest never makes a walk skip or repeat an asset.
    """
    conditions = filter_conditions(filters)
    if filters.q is not None and filters.q.strip():
        return _search(session, filters, limit, cursor)
    query = select(Asset).where(*conditions)
    if cursor:
        if not is_asset_id(cursor):
            raise InvalidRequest("cursor is not one this service issued; use next_cursor as given")
        query = query.where(col(Asset.id) < cursor)
    rows = list(session.exec(query.order_by(col(Asset.id).desc()).limit(limit + 1)))
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def filter_conditions(filters: AssetFilter, columns: Any = None) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a listing, on the asset table or on `columns` of a subquery."""
    c = columns if columns is not None else Asset.__table__.c  # type: ignore[attr-defined]
    conditions: list[ColumnElement[bool]] = []
    if filters.agency:
        conditions.append(c.agency == filters.agency)
    if filters.source:
        conditions.append(c.source == filters.source)
    if filters.status:
        conditions.append(c.status == filters.status)
    if filters.handout is not None:
        conditions.append(c.handout == filters.handout)
    if filters.since is not None:
        conditions.append(c.created_at >= utc(filters.since))
    if filters.until is not None:
        conditions.append(c.created_at < utc(filters.until))
    if filters.costs is not None:
        conditions.append(filters.costs.condition(c))
    if filters.restriction:
        conditions.append(
            c.id.in_(
                select(AssetRestriction.asset_id).where(
                    AssetRestriction.code == filters.restriction.upper()
                )
            )
        )
    return conditions


def _search(session: Session, filters: AssetFilter, limit: int, cursor: str | None) -> Page:
    query = parse_query(filters.q or "")
    ranked = ranked_ids(
        session, query, lambda columns: filter_conditions(filters, columns), limit, cursor
    )
    found = {a.id: a for a in session.exec(select(Asset).where(col(Asset.id).in_(ranked.ids)))}
    items = [found[i] for i in ranked.ids if i in found]
    return Page(items, ranked.next_cursor, ranked.ranks, find_matches(session, query, items))


def replace_restriction_index(session: Session, asset: Asset) -> None:
    """Rebuild the (asset, code) rows the `restriction=` filter uses from the asset's rights."""
    session.exec(delete(AssetRestriction).where(col(AssetRestriction.asset_id) == asset.id))
    codes = {r["code"] for r in (asset.rights or {}).get("restrictions", [])}
    for code in sorted(codes):
        session.add(AssetRestriction(asset_id=asset.id, code=code))
