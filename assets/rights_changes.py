"""Where every change of rights is noticed, so the usages it touches are re-checked.

Whatever path changes an asset's rights — a caption edit, a reparse, a re-upload, a feed, a
lease, an agreement, a kill, a purge — writes through a session. The session's flushes are
watched here: an asset row whose rights, status or `updated_at` changed, and a lease granted,
changed or revoked, are noted; a status moved by a conditional update (assets.kills) and an
agreement are noted by name with `note_assets_changed` / `note_suppliers_changed`. Before the
transaction commits, `assets.alerts` re-checks every recorded usage the notes reach, in the
same transaction, so the alerts are committed with the change or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm

from assets.tables import Asset, AuditEvent, Lease

_KEY = "rightsdesk.rights_changed"
_QUIET_ACTIONS = frozenset({"usage.record", "alert.raise", "alert.clear"})
_UNNAMED = "asset.update"  # until the change's audit event, often flushed later, names it
_WATCHED = ("rights", "status", "updated_at", "kill_reason", "agency", "source")


@dataclass
class RightsChanges:
    """What changed in one transaction: assets by id, suppliers by key, or everything."""

    assets: dict[str, str] = field(default_factory=dict)  # asset id -> cause
    suppliers: set[str] = field(default_factory=set)  # supplier keys ("" = the default)
    cause: str = "rights.change"

    def __bool__(self) -> bool:
        return bool(self.assets or self.suppliers)


def _changes(session: sa.orm.Session) -> RightsChanges:
    changes = session.info.get(_KEY)
    if changes is None:
        changes = session.info[_KEY] = RightsChanges()
    return changes


def note_assets_changed(session: Any, asset_ids: Iterable[str], cause: str) -> None:
    """The rights of these assets changed in this transaction (`cause`: the audit action)."""
    changes = _changes(session)
    for asset_id in asset_ids:
        changes.assets.setdefault(asset_id, cause)


def note_suppliers_changed(session: Any, keys: Iterable[str], cause: str = "agreement") -> None:
    """Every asset of these suppliers may have changed ("" is the default agreement: all)."""
    changes = _changes(session)
    changes.suppliers.update(keys)
    changes.cause = cause


def take_changes(session: sa.orm.Session) -> RightsChanges | None:
    """The changes noted so far, forgotten by the session (the alerts now own them)."""
    changes = session.info.pop(_KEY, None)
    return changes if changes else None


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _notice(session: sa.orm.Session, _context: Any) -> None:
    causes = {
        event.asset_id: event.action
        for event in session.new
        if isinstance(event, AuditEvent) and event.asset_id and event.action not in _QUIET_ACTIONS
    }
    noted = session.info.get(_KEY)
    if noted is not None:
        for asset_id, action in causes.items():
            if noted.assets.get(asset_id) == _UNNAMED:
                noted.assets[asset_id] = action
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, Asset):
            if row in session.new:
                continue  # a new asset has no usage yet
            state = sa.inspect(row)
            if any(state.attrs[name].history.has_changes() for name in _WATCHED):
                note_assets_changed(session, [row.id], causes.get(row.id, _UNNAMED))
        elif isinstance(row, Lease):
            cause = "lease.revoke" if row in session.deleted else "lease.grant"
            if row.scope == "asset":
                note_assets_changed(session, [row.target], cause)
            elif row.target_key:
                note_suppliers_changed(session, [row.target_key], cause)


@sa.event.listens_for(sa.orm.Session, "before_commit")
def _recheck(session: sa.orm.Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: notice its changes now
    if not session.info.get(_KEY):
        return
    from assets.alerts import raise_alerts  # the alerts use the checks, which use this module

    raise_alerts(session)


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _forget(session: sa.orm.Session) -> None:
    """Changes rolled back (a dry run, a conflict) re-check nothing: their notes go too."""
    session.info.pop(_KEY, None)
