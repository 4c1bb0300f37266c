"""The desk's reading pages: the grid of pictures with their badges, and one picture's detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import RuntimeDep, SessionDep
from api.desk.auth import DeskViewer
from api.desk.render import DeskRoute, page
from api.desk.views import (
    USE_COOKIE,
    Badge,
    Moment,
    UseChoice,
    alt_text,
    badge,
    embargoed_until,
    highlighted_caption,
    metadata_blocks,
    provenance_facts,
)
from api.schemas import RightsPublic
from assets.audit import events
from assets.catalogue import AssetFilter, get_asset, list_assets
from assets.checks import check_assets
from assets.clock import utcnow
from assets.errors import InvalidRequest
from assets.facets import facet_counts
from assets.inspect import embedded_blocks
from assets.kills import usages_of
from assets.leases import leases_applying_to
from assets.tables import Asset
from rights.moment import utc

router = APIRouter(route_class=DeskRoute, include_in_schema=False)

PAGE_SIZE = 50
FACET_LABELS = (
    ("agency", "Agency"),
    ("source", "Source"),
    ("restriction", "Restriction"),
    ("status", "Status"),
    ("handout", "Handout"),
)
FILTERS = ("q", "agency", "source", "restriction", "status", "handout", "since", "until")


@dataclass(frozen=True)
class Card:
    """One picture in the grid."""

    asset: Asset
    alt: str
    badge: Badge
    killed: bool
    embargo: Moment | None
    snippet: str | None


@router.get("/", response_class=HTMLResponse)
def grid(
    request: Request,
    session: SessionDep,
    caller: DeskViewer,
    q: str = "",
    agency: str = "",
    source: str = "",
    restriction: str = "",
    status: Annotated[str, Query(pattern="^(|active|killed)$")] = "",
    handout: Annotated[str, Query(pattern="^(|yes|no)$")] = "",
    since: str = "",
    until: str = "",
    cursor: str = "",
) -> HTMLResponse:
    """Newest first, or best match first with a search; badges for the chosen use, now."""
    filters = AssetFilter(
        q=q.strip() or None,
        agency=agency or None,
        source=source or None,
        restriction=restriction or None,
        status=status or None,
        handout={"yes": True, "no": False}.get(handout),
        since=_day(since, "since"),
        until=_day(until, "until", next_day=True),
    )
    listing = list_assets(session, filters, PAGE_SIZE, cursor or None)
    now = utcnow()
    use = UseChoice.from_cookie(request.cookies.get(USE_COOKIE))
    outcomes = check_assets(session, [a.id for a in listing.items], use.to_use(now), now=now)
    cards = [
        Card(
            asset=asset,
            alt=alt_text(asset),
            badge=badge(outcome.decision),
            killed=asset.status == "killed",
            embargo=embargoed_until(asset, now),
            snippet=listing.matches[asset.id].snippet if asset.id in listing.matches else None,
        )
        for asset, outcome in zip(listing.items, outcomes, strict=True)
    ]
    chosen = {name: value for name, value in _chosen(request).items() if name != "cursor"}
    more = (
        f"/?{urlencode({**chosen, 'cursor': listing.next_cursor})}" if listing.next_cursor else None
    )
    return page(
        request,
        caller,
        "grid.html",
        cards=cards,
        facets=facet_counts(session, filters),
        facet_labels=FACET_LABELS,
        chosen=chosen,
        more=more,
        continued=bool(cursor),
        without=lambda name: "/?" + urlencode({k: v for k, v in chosen.items() if k != name}),
        with_value=lambda name, value: "/?" + urlencode({**chosen, name: value}),
    )


@router.get("/assets/{asset_id}", response_class=HTMLResponse)
def detail(
    request: Request, asset_id: str, session: SessionDep, caller: DeskViewer
) -> HTMLResponse:
    """Everything about one picture, and the actions the caller's role allows."""
    return detail_page(request, session, caller, get_asset(session, asset_id))


@router.get("/assets/{asset_id}/metadata", response_class=HTMLResponse)
def metadata(
    request: Request, asset_id: str, session: SessionDep, runtime: RuntimeDep, caller: DeskViewer
) -> HTMLResponse:
    """Every field of every embedded block, read from the file, with the reader's warnings."""
    asset = get_asset(session, asset_id)
    embedded = embedded_blocks(runtime.blobs, asset.sha256, runtime.spool_dir)
    template = "_metadata.html" if request.headers.get("X-Desk-Partial") else "metadata.html"
    return page(
        request,
        caller,
        template,
        asset=asset,
        blocks=metadata_blocks(embedded.raw),
        warnings=embedded.warnings,
    )


def detail_page(
    request: Request,
    session: SessionDep,
    caller: Any,
    asset: Asset,
    *,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    now = utcnow()
    use = UseChoice.from_cookie(request.cookies.get(USE_COOKIE))
    (outcome,) = check_assets(session, [asset.id], use.to_use(now), now=now)
    rights = RightsPublic.from_stored(asset.rights or {})
    stored = asset.rights or {}
    segments = highlighted_caption(asset.caption, stored.get("restrictions") or [])
    return page(
        request,
        caller,
        "detail.html",
        status=status,
        asset=asset,
        alt=alt_text(asset),
        title=(asset.embedded or {}).get("headline") or _title(asset),
        rights=rights,
        segments=segments,
        has_phrases=any(s.phrases for s in segments),
        unrecognised=stored.get("unrecognised") or [],
        provenance=provenance_facts(asset.embedded or {}),
        badge=badge(outcome.decision),
        decision=outcome.decision,
        killed=asset.status == "killed",
        embargo=embargoed_until(asset, now),
        warnings=asset.warnings or [],
        leases=leases_applying_to(session, asset),
        usages=usages_of(session, asset.id),
        audit=events(session, asset.id, 50, None),
        **extra,
    )


def _title(asset: Asset) -> str:
    """A heading for a picture without a headline: who supplied it, and its reference."""
    source = asset.source if asset.source != asset.agency else None
    who = " · ".join(v for v in (asset.agency, source) if v) or "Picture"
    return f"{who} — {asset.agency_ref or asset.filename or asset.id}"


def _chosen(request: Request) -> dict[str, str]:
    """The filters in the URL, so links and the "more" button keep them."""
    return {k: v for k in (*FILTERS, "cursor") if (v := request.query_params.get(k, "").strip())}


def _day(value: str, name: str, *, next_day: bool = False) -> datetime | None:
    """A date from the filter form (a whole day, UTC); `until` includes its day."""
    if not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise InvalidRequest(f"{name}: {value!r} is not a date like 2026-03-01") from exc
    if next_day and day == date.max:
        return None  # up to the end of time: no bound
    start = utc(datetime.combine(day, time()))
    return start + timedelta(days=1) if next_day else start
