"""Alerts: recorded usages that a change of rights no longer allows.

The one computation every rights-changing path ends in (assets.rights_changes notices the
change; this re-checks). Each usage the change reaches is checked again with its original use
(purpose, channel, territory) at the moment of the change, through the same code as the
publishing hook. A usage that is no longer `allow` gets an alert, delivered through the
outbox (webhook, with retries) and audited; the same answer for the same usage is not
alerted twice while it lasts (a usage allowed again is audited `alert.clear`, and the next
change that breaks it alerts again). A kill's alerts are listed and audited like any, and
delivered by the kill's own notice (`asset.killed`, which lists the usages), not twice.
`rightsdesk alerts scan` re-checks every usage, for changes that come with time alone (an
agreement or lease that ends, a retention window that passes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlmodel import Session, col, or_, select

from assets.audit import record_event
from assets.checks import check_assets
from assets.clock import utcnow
from assets.rights_changes import RightsChanges, take_changes
from assets.tables import Alert, Asset, AuditEvent, OutboxMessage, Usage
from rights import Decision, Outcome, ReasonCode, Use
from rights.wire import reason_to_dict

ALERT_KIND = "usage.alert"
CLEAR_ACTION = "alert.clear"


def raise_alerts(
    session: sa.orm.Session, changes: RightsChanges | None = None, now: datetime | None = None
) -> list[Alert]:
    """Re-check the usages `changes` reach (default: those noted in this transaction)."""
    changes = changes or take_changes(session)
    if not changes:
        return []
    assert isinstance(session, Session)
    usages = _usages_reached(session, changes)
    return _recheck(session, usages, changes, now or utcnow())


def scan(session: Session, now: datetime | None = None, cause: str = "scan") -> list[Alert]:
    """Re-check every recorded usage (changes that come with time alone)."""
    usages = list(session.exec(select(Usage).order_by(col(Usage.id))))
    return _recheck(session, usages, RightsChanges(cause=cause), now or utcnow())


def _usages_reached(session: Session, changes: RightsChanges) -> list[Usage]:
    conditions: list[Any] = []
    if changes.assets:
        conditions.append(col(Usage.asset_id).in_(sorted(changes.assets)))
    if "" in changes.suppliers:
        conditions = [sa.true()]  # the default agreement reaches every supplier
    elif changes.suppliers:
        keys = sorted(changes.suppliers)
        conditions.append(
            col(Usage.asset_id).in_(
                sa.select(col(Asset.id)).where(
                    or_(col(Asset.agency_key).in_(keys), col(Asset.source_key).in_(keys))
                )
            )
        )
    query = select(Usage).where(or_(*conditions)).order_by(col(Usage.id))
    return list(session.exec(query))


def _recheck(
    session: Session, usages: Sequence[Usage], changes: RightsChanges, now: datetime
) -> list[Alert]:
    by_use: dict[tuple[str, str | None, str | None], list[Usage]] = defaultdict(list)
    for usage in usages:
        by_use[(usage.purpose, usage.channel, usage.territory)].append(usage)
    alerts: list[Alert] = []
    for (purpose, channel, territory), group in by_use.items():
        use = Use(purpose, channel, territory, now)  # type: ignore[arg-type]
        ids = sorted({u.asset_id for u in group})
        outcomes = check_assets(session, ids, use, now=now, recorded=True)
        decided = {o.key: o.decision for o in outcomes}
        for usage in group:
            decision = decided[usage.asset_id]
            if decision.decision is Outcome.ALLOW:
                _clear(session, usage)
                continue
            if _alerted_already(session, usage, decision):
                continue
            cause = changes.assets.get(usage.asset_id, changes.cause)
            alerts.append(_alert(session, usage, decision, cause))
    if alerts:
        session.flush()
    return alerts


def _codes(reasons: Sequence[dict[str, Any]] | Sequence[Any]) -> list[str]:
    return sorted({str(r["code"] if isinstance(r, dict) else r.code) for r in reasons})


def _last_alert(session: Session, usage: Usage) -> Alert | None:
    return session.exec(
        select(Alert).where(col(Alert.usage_id) == usage.id).order_by(col(Alert.id).desc())
    ).first()


def _cleared_since(session: Session, usage: Usage, alert: Alert) -> bool:
    """Whether the usage was found allowed again after `alert` (an `alert.clear` event)."""
    events = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.asset_id) == usage.asset_id,
            col(AuditEvent.action) == CLEAR_ACTION,
            col(AuditEvent.id) > alert.id,
        )
    )
    return any((event.after or {}).get("usage") == usage.id for event in events)


def _clear(session: Session, usage: Usage) -> None:
    """An alerted usage allowed again is audited as cleared, so that the next change that
    breaks it alerts again instead of being taken for the answer already alerted."""
    last = _last_alert(session, usage)
    if last is None or _cleared_since(session, usage, last):
        return
    record_event(
        session,
        actor="rightsdesk",
        action=CLEAR_ACTION,
        asset_id=usage.asset_id,
        after={"alert": last.id, "usage": usage.id},
    )
    session.flush()


def _alerted_already(session: Session, usage: Usage, decision: Decision) -> bool:
    """The same answer was alerted for this usage, and it has not been allowed since."""
    last = _last_alert(session, usage)
    if last is None or _cleared_since(session, usage, last):
        return False
    return last.decision == decision.decision.value and _codes(last.reasons) == _codes(
        [r for r in decision.reasons if r.outcome is not Outcome.ALLOW]
    )


def _alert(session: Session, usage: Usage, decision: Decision, cause: str) -> Alert:
    reasons = [reason_to_dict(r) for r in decision.reasons if r.outcome is not Outcome.ALLOW]
    alert = Alert(
        usage_id=usage.id,
        asset_id=usage.asset_id,
        publication=usage.publication,
        url=usage.url,
        use={"purpose": usage.purpose, "channel": usage.channel, "territory": usage.territory},
        decision=decision.decision.value,
        reasons=reasons,
        cause=cause,
    )
    session.add(alert)
    session.flush()
    if any(r["code"] != ReasonCode.KILLED for r in reasons):
        # A kill's own notice (asset.killed) already lists every usage to take down.
        payload = {"event": ALERT_KIND, **alert_json(alert)}
        session.add(OutboxMessage(kind=ALERT_KIND, payload=payload))
    record_event(
        session,
        actor="rightsdesk",
        action="alert.raise",
        asset_id=usage.asset_id,
        after={"alert": alert.id, "usage": usage.id, "decision": alert.decision, "cause": cause},
    )
    return alert


def alert_json(alert: Alert) -> dict[str, Any]:
    """The wire form of an alert (GET /v1/alerts and the webhook's `usage.alert` notice)."""
    return {
        "alert": alert.id,
        "usage": alert.usage_id,
        "asset": alert.asset_id,
        "publication": alert.publication,
        "url": alert.url,
        "use": alert.use,
        "decision": alert.decision,
        "reasons": alert.reasons,
        "cause": alert.cause,
        "created_at": alert.created_at.isoformat(),
    }


def list_alerts(
    session: Session,
    *,
    asset: str | None = None,
    publication: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> list[Alert]:
    """Alerts, newest first, filtered; `cursor` is the last id of the previous page."""
    query = select(Alert)
    if asset:
        query = query.where(col(Alert.asset_id) == asset)
    if publication:
        query = query.where(col(Alert.publication) == publication)
    if since is not None:
        query = query.where(col(Alert.created_at) >= since)
    if cursor:
        query = query.where(col(Alert.id) < cursor)
    return list(session.exec(query.order_by(col(Alert.id).desc()).limit(limit)))
