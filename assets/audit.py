"""The audit trail: append-only events of who changed what.

Events are written inside the transaction of the change they describe.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from assets.tables import AuditEvent


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    asset_id: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(asset_id=asset_id, actor=actor, action=action, before=before, after=after)
    session.add(event)
    return event


def events(
    session: Session, asset_id: str | None, limit: int, cursor: str | None
) -> list[AuditEvent]:
    """Newest first, keyset-paged by id."""
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
    if asset_id is not None:
        query = query.where(AuditEvent.asset_id == asset_id)
    if cursor:
        query = query.where(col(AuditEvent.id) < cursor)
    return list(session.exec(query))
