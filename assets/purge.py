"""Purges: images past their retention lose their files; a tombstone and the audit remain.

Retention ends with NO ARCHIVES (the agency profile's window, `rights.retention_ends`), with
the supplier's agreement (`retention_days` after ingest), or with the file's own expiry date
(IIM/XMP expiration date, when the metadata reader supplies `expiration_date`).

Each asset is purged in two steps that a crash can stop between, and a rerun finishes:
1. one transaction moves the asset to `purged` (a conditional update: of several replicas
   purging at once exactly one wins), writes its tombstone and audit event, and re-checks its
   usages (assets.alerts); from then on every check of it is `deny` PURGED;
2. its renditions and its file are deleted, then the tombstone says so.
A rerun picks up every tombstone whose files are not yet removed, so nothing stays half-done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assets.agreements import in_force
from assets.audit import record_event
from assets.blobs import BlobStore
from assets.clock import utcnow
from assets.db import session_scope
from assets.errors import AssetPurged
from assets.kills import move_status
from assets.rights_reading import record_from_json
from assets.tables import Asset, Rendition, Tombstone
from rights import Agreement, RightsRecord, agreement_for, credit_for, retention_ends

PURGEABLE = ("active", "kill_requested", "killed")


def refuse_purged(asset: Asset) -> None:
    """AssetPurged for a purged asset: its file is not served even while a run that stopped
    between its two steps has not deleted it yet."""
    if asset.status == "purged":
        raise AssetPurged(
            f"asset {asset.id} was purged: its retention ended and its file is deleted; "
            "GET /v1/assets/{id} still shows its record"
        )


log = logging.getLogger("rightsdesk.purge")


@dataclass(frozen=True, slots=True)
class Due:
    """An asset whose retention has ended, and why."""

    asset_id: str
    agency_ref: str | None
    credit: str | None
    sha256: str
    why: str
    ended_at: datetime


@dataclass
class PurgeReport:
    due: list[Due] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> Iterator[str]:
        verb = "would purge" if dry_run else "purged"
        for item in self.due:
            done = dry_run or item.asset_id in self.purged
            if done:
                yield f"{verb} {item.asset_id} {item.agency_ref or '-'}: {item.why}"
        finished = [a for a in self.files_removed if a not in self.purged]
        for asset_id in finished:
            yield f"finished purging {asset_id}: its files are removed"
        count = len(self.due) if dry_run else len(self.purged)
        yield f"{count} asset(s) {verb}"


def retention_of(
    asset: Asset, record: RightsRecord, agreements: tuple[Agreement, ...]
) -> tuple[datetime, str] | None:
    """When this asset's retention ends and why (the earliest end), or None if it does not."""
    ends: list[tuple[datetime, str]] = []
    aged = replace(record, ingested_at=asset.created_at)
    archive = retention_ends(aged)
    if archive is not None:
        ends.append((archive, f"NO ARCHIVES: may be kept until {archive.isoformat()}"))
    agreement = agreement_for(agreements, record)
    if isinstance(agreement, Agreement) and agreement.retention_days is not None:
        end = asset.created_at + timedelta(days=agreement.retention_days)
        ends.append((end, f"{agreement.label} keeps images {agreement.retention_days} days"))
    expiry = _expiry(asset)
    if expiry is not None:
        ends.append((expiry, f"the file's expiration date {expiry.date().isoformat()}"))
    return min(ends, default=None)


def _expiry(asset: Asset) -> datetime | None:
    value = (asset.embedded or {}).get("expiration_date")
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due(session: Session, now: datetime) -> list[Due]:
    """Every asset not yet purged whose retention has ended at `now`, oldest first."""
    agreements = in_force(session)
    query = select(Asset).where(col(Asset.status).in_(PURGEABLE)).order_by(col(Asset.id))
    out: list[Due] = []
    for asset in session.exec(query):
        record = record_from_json(asset.rights or {})
        ended = retention_of(asset, record, agreements)
        if ended is not None and ended[0] <= now:
            out.append(
                Due(
                    asset.id, asset.agency_ref, credit_for(record), asset.sha256, ended[1], ended[0]
                )
            )
    return out


def purge(
    engine: Engine,
    blobs: BlobStore,
    *,
    now: datetime | None = None,
    actor: str = "purge",
    dry_run: bool = False,
    after_commit: Callable[[str], None] | None = None,
) -> PurgeReport:
    """Purge every asset past retention; finish any purge a crash left half-done.

    Idempotent and safe to run on several replicas at once. `after_commit` is called with each
    asset id once its tombstone is committed and before its files go (crash tests use it)."""
    now = now or utcnow()
    report = PurgeReport()
    with Session(engine) as session:
        report.due = due(session, now)
    if dry_run:
        return report
    for item in report.due:
        if _mark_purged(engine, item, actor, now):
            report.purged.append(item.asset_id)
            if after_commit is not None:
                after_commit(item.asset_id)
    report.files_removed = finish_purges(engine, blobs)
    return report


def _mark_purged(engine: Engine, item: Due, actor: str, now: datetime) -> bool:
    with session_scope(engine) as session:
        asset = session.get(Asset, item.asset_id)
        before = None if asset is None else asset.status
        if asset is None or not move_status(session, asset, "purged", frm=PURGEABLE):
            return False  # gone, or purged by another run meanwhile
        session.add(
            Tombstone(
                asset_id=item.asset_id,
                agency_ref=item.agency_ref,
                credit=item.credit,
                sha256=item.sha256,
                why=item.why,
                actor=actor,
                purged_at=now,
            )
        )
        record_event(
            session,
            actor=actor,
            action="asset.purge",
            asset_id=item.asset_id,
            before={"status": before},
            after={"status": "purged", "why": item.why, "ended_at": item.ended_at.isoformat()},
        )
    return True


def finish_purges(engine: Engine, blobs: BlobStore) -> list[str]:
    """Delete the files of every purged asset whose files are still there; their ids."""
    with Session(engine) as session:
        pending = list(
            session.exec(select(Tombstone).where(col(Tombstone.files_removed_at).is_(None)))
        )
    done: list[str] = []
    for tombstone in pending:
        with session_scope(engine) as session:
            drawn = session.exec(
                select(Rendition.sha256).where(col(Rendition.source_sha256) == tombstone.sha256)
            ).all()
            for sha256 in drawn:
                if sha256:
                    blobs.delete(sha256)
            session.execute(
                sa.delete(Rendition).where(col(Rendition.source_sha256) == tombstone.sha256)
            )
            blobs.delete(tombstone.sha256)
            session.execute(
                sa.update(Tombstone)
                .where(col(Tombstone.asset_id) == tombstone.asset_id)
                .values(files_removed_at=utcnow())
            )
        done.append(tombstone.asset_id)
    return done


def tombstone_json(tombstone: Tombstone) -> dict[str, object]:
    """What stays of a purged asset, as the CLI and the API show it."""
    removed = tombstone.files_removed_at
    return {
        "asset": tombstone.asset_id,
        "agency_ref": tombstone.agency_ref,
        "credit": tombstone.credit,
        "why": tombstone.why,
        "purged_at": tombstone.purged_at.isoformat(),
        "files_removed_at": None if removed is None else removed.isoformat(),
    }


class PurgeWorker:
    """A daemon thread that purges (and scans usages for alerts) every `interval` seconds.

    Safe on every replica at once: each purge is claimed by a conditional update."""

    def __init__(self, engine: Engine, blobs: BlobStore, interval: float) -> None:
        self.engine, self.blobs, self.interval = engine, blobs, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="purge-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        from assets.alerts import scan

        while not self._stop.wait(self.interval):
            try:
                purge(self.engine, self.blobs, actor="purge-schedule")
                with session_scope(self.engine) as session:
                    scan(session, cause="schedule")
            except Exception:  # keep the worker alive through database hiccups
                log.exception("scheduled purge failed")
