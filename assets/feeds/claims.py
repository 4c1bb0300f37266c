"""Claims: each arrival is ingested by one worker, once, and survives that worker's crash.

The claim is a row with a unique (feed, key): inserting it is the claim, and on PostgreSQL or
SQLite alike only one of several replicas inserting at once succeeds. A claim carries a lease;
a row left `claimed` by a crashed worker, or waiting to be `retry`-ed, is taken over by a
conditional UPDATE that the database applies for one worker only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assets.clock import utcnow
from assets.db import session_scope
from assets.feeds.tables import FeedItem, FeedStatus, storable

KEY_LIMIT, NAME_LIMIT = 1024, 512  # the columns' lengths


def finished(engine: Engine, feed: str, key: str) -> FeedItem | None:
    """The row of an arrival already done or rejected (its file may still need moving)."""
    key = storable(key, KEY_LIMIT)
    with Session(engine) as session:
        row = session.exec(
            select(FeedItem).where(FeedItem.feed == feed, FeedItem.key == key)
        ).first()
    return row if row is not None and row.state in ("done", "rejected") else None


def claim(
    engine: Engine,
    feed: str,
    key: str,
    name: str,
    owner: str,
    lease: timedelta,
    arrived_at: datetime,
) -> FeedItem | None:
    """Claim the arrival for `owner`, or None when another worker holds it or it is not due."""
    key, name = storable(key, KEY_LIMIT), storable(name, NAME_LIMIT)
    now = utcnow()
    row = FeedItem(
        feed=feed,
        key=key,
        name=name,
        owner=owner,
        lease_until=now + lease,
        arrived_at=arrived_at,
    )
    try:
        with session_scope(engine) as session:
            session.add(row)
        return row
    except IntegrityError:
        pass
    with session_scope(engine) as session:
        taken = session.execute(
            sa.update(FeedItem)
            .where(
                col(FeedItem.feed) == feed,
                col(FeedItem.key) == key,
                sa.or_(
                    sa.and_(col(FeedItem.state) == "claimed", col(FeedItem.lease_until) < now),
                    sa.and_(col(FeedItem.state) == "retry", col(FeedItem.next_attempt_at) <= now),
                ),
            )
            .values(state="claimed", owner=owner, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        if not getattr(taken, "rowcount", 0):
            return None
        return session.exec(
            select(FeedItem).where(FeedItem.feed == feed, FeedItem.key == key)
        ).one()


def settle(
    engine: Engine,
    row: FeedItem,
    state: str,
    *,
    outcome: str | None = None,
    asset_id: str | None = None,
    item_ref: str | None = None,
    reason: str | None = None,
    count_as: str | None = None,
) -> bool:
    """End a claim `done` or `rejected`, only while `row.owner` still holds it; in the same
    transaction, add one to the feed's `count_as` count (see `count`)."""
    with session_scope(engine) as session:
        result = session.execute(
            sa.update(FeedItem)
            .where(
                col(FeedItem.id) == row.id,
                col(FeedItem.owner) == row.owner,
                col(FeedItem.state) == "claimed",
            )
            .values(
                state=state,
                outcome=outcome,
                asset_id=asset_id,
                item_ref=storable(item_ref, NAME_LIMIT) if item_ref is not None else None,
                reason=storable(reason) if reason is not None else None,
                finished_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        settled = bool(getattr(result, "rowcount", 0))
        if settled and count_as:
            _count(session, engine, row.feed, count_as, 1, reason if state == "rejected" else None)
        return settled


def retry_later(engine: Engine, row: FeedItem, reason: str, delay: timedelta) -> int:
    """Put a claim back for a later attempt; returns the attempts made so far."""
    attempts = row.attempts + 1
    with session_scope(engine) as session:
        session.execute(
            sa.update(FeedItem)
            .where(col(FeedItem.id) == row.id, col(FeedItem.owner) == row.owner)
            .values(
                state="retry",
                attempts=attempts,
                next_attempt_at=utcnow() + delay,
                reason=storable(reason),
            )
            .execution_options(synchronize_session=False)
        )
    row.attempts = attempts
    return attempts


def asset_of_name(session: Session, feed: str, name: str) -> str | None:
    """The asset the feed last stored from the picture a later sidecar names: `x.png` for
    `x.png.xmp` (that file, never `x.jpg`), else a picture of stem `name` (`x` for `x.xml`)."""
    whole = storable(name, NAME_LIMIT).replace("\\", "\\\\").replace("%", "\\%")
    exact = (
        select(FeedItem.asset_id)
        .where(
            FeedItem.feed == feed,
            col(FeedItem.key).like(whole.replace("_", "\\_") + "|%", escape="\\"),
            col(FeedItem.asset_id).is_not(None),
        )
        .order_by(col(FeedItem.id).desc())
    )
    found = session.exec(exact).first()
    if found is not None:
        return found
    query = (
        select(FeedItem.asset_id)
        .where(
            FeedItem.feed == feed,
            FeedItem.name == storable(name, NAME_LIMIT),
            col(FeedItem.asset_id).is_not(None),
        )
        .order_by(col(FeedItem.id).desc())
    )
    return session.exec(query).first()


def assets_of_item_ref(session: Session, feed: str, item_ref: str) -> list[str]:
    """Every asset this feed stored from an arrival whose sidecar named this agency item
    (an item id is the sender's word: another feed's sidecar naming it reaches nothing)."""
    item_ref = storable(item_ref, NAME_LIMIT)
    query = select(FeedItem.asset_id).where(
        FeedItem.feed == feed, FeedItem.item_ref == item_ref, col(FeedItem.asset_id).is_not(None)
    )
    return sorted({a for a in session.exec(query) if a})


def stored_by(session: Session, feed: str, asset_ids: list[str]) -> set[str]:
    """Which of these assets the feed itself stored or updated."""
    if not asset_ids:
        return set()
    query = select(FeedItem.asset_id).where(
        FeedItem.feed == feed, col(FeedItem.asset_id).in_(asset_ids)
    )
    return {a for a in session.exec(query) if a}


def count(engine: Engine, feed: str, field: str, *, by: int = 1, error: str | None = None) -> None:
    """Add `by` to a feed's `field` count (seen, ingested, rejected, retried; "" for none) and
    note a success or an error, as every replica and `watch` process sees it."""
    with session_scope(engine) as session:
        _count(session, engine, feed, field, by, error)


def _count(
    session: Session, engine: Engine, feed: str, field: str, by: int, error: str | None
) -> None:
    now = utcnow()
    values: dict[str, object] = {"updated_at": now}
    if field:
        values[field] = getattr(FeedStatus, field) + by
    if error is not None:
        values.update(last_error=storable(error)[:2000], last_error_at=now)
    elif field == "ingested":
        values["last_success_at"] = now
    updated = session.execute(
        sa.update(FeedStatus)
        .where(col(FeedStatus.feed) == feed)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(updated, "rowcount", 0):
        session.execute(_insert_missing(engine, feed, now))
        session.execute(
            sa.update(FeedStatus)
            .where(col(FeedStatus.feed) == feed)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def statuses(session: Session) -> dict[str, FeedStatus]:
    return {s.feed: s for s in session.exec(select(FeedStatus))}


def _insert_missing(engine: Engine, feed: str, now: datetime) -> sa.Executable:
    """INSERT the feed's status row unless a replica did just now (ON CONFLICT DO NOTHING)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return (
            pg_insert(FeedStatus)
            .values(feed=feed, updated_at=now, **_ZERO)
            .on_conflict_do_nothing()
        )
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return (
        sqlite_insert(FeedStatus)
        .values(feed=feed, updated_at=now, **_ZERO)
        .on_conflict_do_nothing()
    )


_ZERO = {"seen": 0, "ingested": 0, "rejected": 0, "retried": 0}
