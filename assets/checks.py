"""The rights check for a batch of assets: resolve, load leases, evaluate, record usages.

Everything a decision needs is read from the database per call, so any replica answers the
same; one query resolves the whole batch and one loads its leases.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, or_

from assets.agreements import AGREEMENTS_REVISION, terms_for_check
from assets.audit import record_event
from assets.catalogue import is_asset_id
from assets.leases import leases_for, reaching
from assets.quota import month_of, month_uses_columns
from assets.rights_reading import record_from_json
from assets.tables import Asset, Usage
from rights import Decision, Outcome, PreparedRecord, Use, evaluate, prepare


@dataclass
class CheckOutcome:
    key: str
    asset_id: str | None
    decision: Decision
    usage_id: str | None = None


@dataclass(frozen=True, slots=True)
class CheckTarget:
    """The columns a check needs, and nothing else (no caption, no embedded metadata)."""

    id: str
    agency_ref: str | None
    agency: str | None
    source: str | None
    status: str
    kill_reason: str | None
    kill_notice_rejected: bool
    created_at: datetime
    updated_at: datetime
    rights_text: str | None
    has_leases: bool
    agreements_count: int = 0  # with agreements_last: which agreements are in force
    agreements_last: str | None = None
    uses_agency: int | None = None  # this month's uses of the agency and of the source
    uses_source: int | None = None

    @property
    def agreements_revision(self) -> tuple[int, str | None]:
        return (self.agreements_count or 0, self.agreements_last)


_TARGET_COLUMNS: tuple[Any, ...] = (
    Asset.id,
    Asset.agency_ref,
    Asset.agency,
    Asset.source,
    Asset.status,
    Asset.kill_reason,
    Asset.kill_notice_rejected,
    Asset.created_at,
    Asset.updated_at,
    sa.cast(Asset.rights, sa.Text).label("rights_text"),
    # Whether any lease reaches the asset: most assets have none, and then the lease query,
    # a second round trip, is skipped.
    sa.exists()
    .where(reaching([Asset.id], [Asset.agency_key], [Asset.source_key]))
    .label("has_leases"),
    # Which agreements are in force (assets.agreements.in_force), read in the same round trip.
    *AGREEMENTS_REVISION,
    *month_uses_columns(Asset.agency_key, Asset.source_key),
)


# Built once: constructing the expression per call costs more than running it.
_RESOLVE = (
    sa.select(*_TARGET_COLUMNS)
    .where(
        or_(
            col(Asset.id).in_(sa.bindparam("ids", expanding=True)),
            col(Asset.agency_ref).in_(sa.bindparam("refs", expanding=True)),
        )
    )
    .order_by(col(Asset.id))
)


_RESOLVE_IDS = (
    sa.select(*_TARGET_COLUMNS)
    .where(col(Asset.id).in_(sa.bindparam("ids", expanding=True)))
    .order_by(col(Asset.id))
)


@lru_cache(maxsize=20_000)
def _cached_record(
    asset_id: str,
    updated_at: datetime,
    status: str,
    kill_reason: str | None,
    kill_notice_rejected: bool,
    created_at: datetime,
    rights_text: str | None,
) -> PreparedRecord:
    """Decoded and prepared records, keyed by everything they are built from.

    An edit changes `updated_at`, so a cached record is never stale, and any replica may keep
    its own cache. Any status but `active` or `killed` (`kill_requested`, or one this version
    does not know) denies as a kill request; the caption's kill notice denies too unless a
    rights manager rejected it."""
    stored = record_from_json(json.loads(rights_text) if rights_text else {})
    return prepare(
        dataclasses.replace(
            stored,
            killed=status == "killed",
            kill_requested=status not in ("active", "killed", "purged"),
            purged=status == "purged",
            kill_notice=stored.kill_notice and not kill_notice_rejected,
            kill_reason=kill_reason,
            ingested_at=created_at,
        )
    )


def target_record(target: CheckTarget) -> PreparedRecord:
    return _cached_record(
        target.id,
        target.updated_at,
        target.status,
        target.kill_reason,
        target.kill_notice_rejected,
        target.created_at,
        target.rights_text,
    )


def check_assets(
    session: Session,
    keys: Sequence[str],
    use: Use,
    *,
    now: datetime,
    record_usage: bool = False,
    actor: str = "anonymous",
    recorded: bool = False,
) -> list[CheckOutcome]:
    """One outcome per key, in order. Unknown keys are denied by the policy (no record).

    `now` is the caller's one reading of the clock for the whole batch; `recorded` re-checks uses
    already recorded (assets.alerts): their quota is counted."""
    found = _resolve_all(session, keys, month_of(now))
    leased = {t.id: t for t in found.values() if t.has_leases}
    leases = leases_for(session, list(leased.values())) if leased else {}
    records = {t.id: target_record(t) for t in found.values()}
    revision = next(iter(found.values())).agreements_revision if found else None
    counted = {
        key: uses
        for t in found.values()
        for key, uses in (
            (records[t.id].record.agency_key, t.uses_agency),
            (records[t.id].record.source_key, t.uses_source),
        )
        if key
    }
    terms = terms_for_check(
        session,
        [r.record for r in records.values()],
        now,
        revision,
        {k: u or 0 for k, u in counted.items()},
    )
    outcomes: list[CheckOutcome] = []
    for key in keys:
        target = found.get(key)
        if target is None:
            outcomes.append(CheckOutcome(key, None, evaluate(None, use, (), now)))
            continue
        record = records[target.id]
        agreement, used = terms.governing(record.record, recorded) if terms else (None, 0)
        lease = leases.get(target.id, ())
        decision = evaluate(record, use, lease, now, agreement=agreement, uses_this_month=used)
        if record_usage and decision.decision is Outcome.ALLOW:
            status = _status_held(session, target.id)
            if status != target.status:  # killed or held since it was read: decide again
                target = dataclasses.replace(target, status=status or "killed")
                record = target_record(target)
                decision = evaluate(
                    record, use, lease, now, agreement=agreement, uses_this_month=used
                )
        if (
            terms is not None
            and record_usage
            and use.publication
            and use.url
            and decision.decision is Outcome.ALLOW
            and not terms.claim(session, record.record, agreement)
        ):  # the quota was reached meanwhile by another check: over quota, reviewed
            used = terms.governing(record.record)[1]
            decision = evaluate(record, use, lease, now, agreement=agreement, uses_this_month=used)
        outcome = CheckOutcome(key, target.id, decision)
        if record_usage and decision.decision is Outcome.ALLOW:
            outcome.usage_id = _record_usage(session, target.id, use, actor)
        outcomes.append(outcome)
    if record_usage:
        session.commit()
    return outcomes


def _resolve_all(session: Session, keys: Sequence[str], month: str) -> dict[str, CheckTarget]:
    """Every key's asset in one query: ids directly, agency references case-insensitively."""
    ids = [k for k in keys if is_asset_id(k)]
    refs = list({r for k in keys if not is_asset_id(k) for r in (k, k.lower())})
    if refs:
        result = session.connection().execute(_RESOLVE, {"ids": ids, "refs": refs, "month": month})
    else:  # the usual case: the CMS sends our ids
        result = session.connection().execute(_RESOLVE_IDS, {"ids": ids, "month": month})
    rows = [CheckTarget(*row) for row in result]
    by_id = {t.id: t for t in rows}
    by_ref: dict[str, CheckTarget] = {}
    for target in rows:  # ascending ids: the newest asset with a reference wins
        if target.agency_ref:
            by_ref[target.agency_ref.lower()] = target
    found: dict[str, CheckTarget] = {}
    for key in keys:
        match = by_id.get(key) or by_ref.get(key.lower())
        if match is not None:
            found[key] = match
    return found


def _status_held(session: Session, asset_id: str) -> str | None:
    """The asset's status now, its row share-locked until the usage is committed.

    A kill updates the row before it lists the usages to take down: it waits for this lock,
    so it lists the usage recorded here, or this read waits for the kill and sees it."""
    query = sa.select(col(Asset.status)).where(col(Asset.id) == asset_id).with_for_update(read=True)
    return session.execute(query).scalar()


def _record_usage(session: Session, asset_id: str, use: Use, actor: str) -> str | None:
    if not use.publication or not use.url:
        return None
    usage = Usage(
        asset_id=asset_id,
        purpose=use.purpose.value,
        channel=use.channel.value if use.channel else None,
        territory=use.territory,
        publication=use.publication,
        url=use.url,
        actor=actor,
    )
    session.add(usage)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="usage.record",
        asset_id=asset_id,
        after={
            "usage": usage.id,
            "publication": use.publication,
            "url": use.url,
            "purpose": use.purpose.value,
        },
    )
    return usage.id
