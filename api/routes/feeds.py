"""Agency feeds as operators see them: each configured feed with its last success and error."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import RuntimeDep, SessionDep, ViewerDep
from assets.feeds.claims import statuses
from assets.feeds.config import FeedConfigError, configured_feeds

router = APIRouter(tags=["feeds"])


class FeedPublic(BaseModel):
    name: str
    source: str
    kind: str  # folder | s3
    sidecars: str
    apply_kills: bool
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    seen: int
    ingested: int
    rejected: int
    retried: int


class FeedPage(BaseModel):
    feeds: list[FeedPublic]
    problem: str | None = None  # the feeds configuration cannot be read: why


@router.get("/v1/feeds", response_model=FeedPage)
def list_feeds(runtime: RuntimeDep, session: SessionDep, _caller: ViewerDep) -> FeedPage:
    """Configured feeds (RIGHTSDESK_FEEDS / RIGHTSDESK_FEED_SOURCES), with what the workers
    that run them (any replica, any `rightsdesk watch`) last reported."""
    settings = runtime.settings
    try:
        feeds = configured_feeds(settings.feeds, settings.feed_sources)
    except FeedConfigError as exc:
        return FeedPage(feeds=[], problem=str(exc))
    known = statuses(session)
    page = []
    for feed in feeds:
        status = known.get(feed.name)
        page.append(
            FeedPublic(
                name=feed.name,
                source=feed.source,
                kind="s3" if feed.is_s3 else "folder",
                sidecars=feed.sidecars,
                apply_kills=feed.apply_kills,
                last_success_at=status.last_success_at if status else None,
                last_error=status.last_error if status else None,
                last_error_at=status.last_error_at if status else None,
                seen=status.seen if status else 0,
                ingested=status.ingested if status else 0,
                rejected=status.rejected if status else 0,
                retried=status.retried if status else 0,
            )
        )
    return FeedPage(feeds=page)
