"""The feeds' tables: one claim row per arrival, one status row per feed.

A `FeedItem` is how replicas agree who ingests an arrival (a file in a watched folder, an
object under a watched prefix) and how a restarted worker knows what it had done: the row
is inserted before the work (a unique (feed, key) pair: one replica wins), holds a lease
while the work runs (a crashed worker's lease runs out and another takes the arrival over),
and ends `done` or `rejected` before the file is moved, so a crash after the catalogue
changed and before the move only leaves a move to finish.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from assets.ids import new_id
from assets.tables import UTCDateTime, utcnow

CLAIM_STATES = ("claimed", "retry", "done", "rejected")


def storable(text: str, limit: int | None = None) -> str:
    """A file name (or a reason naming one, a sidecar's item id) as text every database
    stores: a name that is not UTF-8 (read with surrogate escapes) keeps its odd bytes as
    `\\xff` escapes, NUL (which PostgreSQL refuses in text) becomes `\\x00`, and text over
    `limit` characters is cut and told apart by a hash of the whole."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name makes (read from a sidecar's text)
        raw = text.encode("utf-8", "surrogatepass")
    clean = raw.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")
    if limit is not None and len(clean) > limit:
        digest = hashlib.sha256(raw).hexdigest()[:32]
        clean = f"{clean[: limit - len(digest) - 1]}#{digest}"
    return clean


class FeedItem(SQLModel, table=True):
    __tablename__ = "feed_item"
    __table_args__ = (
        sa.UniqueConstraint("feed", "key", name="uq_feed_item_feed_key"),
        sa.Index("ix_feed_item_feed_name", "feed", "name"),
        sa.Index("ix_feed_item_item_ref", "item_ref"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    feed: str = Field(max_length=64)
    # the arrival's identity: its name with size and mtime (folders) or its ETag (objects)
    key: str = Field(max_length=1024)
    name: str = Field(max_length=512)  # the picture's (or lone sidecar's) file name
    state: str = Field(default="claimed", max_length=16)
    owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=16)  # ingested, duplicate, updated...
    asset_id: str | None = Field(default=None, max_length=32)
    item_ref: str | None = Field(default=None, max_length=512)  # the sidecar's guid / uri
    reason: str | None = None
    arrived_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedStatus(SQLModel, table=True):
    """What `GET /v1/feeds` shows of a feed, whichever replica or `watch` process ran it."""

    __tablename__ = "feed_status"

    feed: str = Field(primary_key=True, max_length=64)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    seen: int = 0
    ingested: int = 0
    rejected: int = 0
    retried: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
