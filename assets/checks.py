"""The rights check for a batch of assets: resolve, load leases, evaluate, record usages.

Everything a decision needs is read from the database per call, so any replica answers the
same; one query resolves the whole batch and one loads its leases.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, or_

from assets.agreements import AGREEMENTS_REVISION, AgreementTerms, terms_for_check
from assets.audit import record_event
from assets.catalogue import is_asset_id
from assets.leases import leases_for, reaching
from assets.quota import month_of, month_uses_columns
from assets.rights_reading import record_from_json
from assets.tables import Asset, Usage
from rights import Decision, Outcome, Override, PreparedRecord, Use, evaluate, prepare


@dataclass
class CheckOutcome:
    key: str
    asset_id: str | None
    decision: Decision
    usage_id: str | None = None


class CheckTarget(NamedTuple):
    """The columns a check needs, and nothing else (no caption, no embedded metadata).

    Each value is as the database driver returns it (moments are text on SQLite, flags 0 or
    1): a row is made one with no conversion. Its first ten values are the key of its cached
    record (`target_record`); `created_at` is converted only when a record is prepared."""

    id: str
    agency_ref: str | None
    agency: str | None
    source: str | None
    status: str
    kill_reason: str | None
    kill_notice_rejected: bool
    created_at: Any
    updated_at: Any
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


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """A resolve query as the DB-API driver takes it, for `ids` ids and `refs` references.

    The statement is SQLAlchemy's own rendering of `_RESOLVE`/`_RESOLVE_IDS` (so the lease
    rule stays `assets.leases.reaching`); running it on the driver's cursor skips the
    per-row result processing that cost more than the query. Each slot says where a
    parameter comes from: (0, constant), (1, index into ids), (2, index into refs),
    (3, the month)."""

    sql: str
    names: tuple[str, ...] | None  # None: positional parameters
    slots: tuple[tuple[int, Any], ...]


def _bucket(n: int) -> int:
    """Sizes are padded up to a power of two: few distinct statements, each soon prepared
    by the driver (psycopg prepares a statement it has run a few times)."""
    return 1 << max(0, n - 1).bit_length()


_MONTH_MARK = "\x00month"


@lru_cache(maxsize=128)
def _driver_statement(
    dialect: sa.Dialect, ids: int, refs: int, held: bool = False
) -> _DriverStatement:
    marks: dict[str, tuple[int, Any]] = {f"\x00ids{k}": (1, k) for k in range(ids)}
    marks.update({f"\x00refs{k}": (2, k) for k in range(refs)})
    marks[_MONTH_MARK] = (3, 0)
    values: dict[str, Any] = {"ids": [m for m in marks if marks[m][0] == 1], "month": _MONTH_MARK}
    if refs:
        values["refs"] = [m for m in marks if marks[m][0] == 2]
    query = _RESOLVE if refs else _RESOLVE_IDS
    compiled = (query.with_for_update(read=True) if held else query).compile(dialect=dialect)
    expanded = compiled.construct_expanded_state(values)
    params = expanded.parameters
    if compiled.positional:
        names: tuple[str, ...] | None = None
        order = list(expanded.positiontup or ())
    else:
        order = list(params)
        names = tuple(order)
    slots = tuple(
        marks.get(params[name], (0, params[name]))
        if isinstance(params[name], str)
        else (0, params[name])
        for name in order
    )
    return _DriverStatement(expanded.statement, names, slots)


@lru_cache(maxsize=8)
def _moment_reader(dialect: sa.Dialect) -> Any:
    """How a stored moment comes back from the driver, as the catalogue reads it (UTC)."""
    column_type = Asset.__table__.c.created_at.type  # type: ignore[attr-defined]
    processor = column_type.dialect_impl(dialect).result_processor(dialect, None)
    return processor or (lambda value: value)


_PREPARED_KEPT = 20_000
_KEY_FIELDS = 10  # id .. rights_text: everything a prepared record is built from
_prepared: dict[str, tuple[tuple[Any, ...], PreparedRecord]] = {}
_prepared_lock = threading.Lock()


def target_record(target: CheckTarget, dialect: sa.Dialect | None = None) -> PreparedRecord:
    """The asset's prepared record, kept per process and keyed by everything it is built from.

    The key is the row's first ten values: an edit changes `updated_at`, and the status, the
    kill fields and the rights text themselves are in it too, so a cached record is never
    stale and any replica may keep its own cache. The key is compared, not hashed: hashing
    the rights text cost more than preparing is worth saving. Any status but `active`,
    `killed` or `purged` (`kill_requested`, or one this version does not know) denies as a
    kill request; the caption's kill notice denies too unless a rights manager rejected it."""
    stamp = target[:_KEY_FIELDS]
    entry = _prepared.get(target.id)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    created_at = target.created_at
    if dialect is not None and not isinstance(created_at, datetime):
        created_at = _moment_reader(dialect)(created_at)
    elif isinstance(created_at, datetime) and created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    stored = record_from_json(json.loads(target.rights_text) if target.rights_text else {})
    status = target.status
    prepared = prepare(
        dataclasses.replace(
            stored,
            killed=status == "killed",
            kill_requested=status not in ("active", "killed", "purged"),
            purged=status == "purged",
            kill_notice=stored.kill_notice and not target.kill_notice_rejected,
            kill_reason=target.kill_reason,
            ingested_at=created_at,
        )
    )
    with _prepared_lock:
        if target.id not in _prepared and len(_prepared) >= _PREPARED_KEPT:
            del _prepared[next(iter(_prepared))]  # the oldest entry goes
        _prepared[target.id] = (stamp, prepared)
    return prepared


@dataclass(slots=True)
class _Batch:
    """What a check reads once for all its keys: the assets, the leases that reach them,
    their prepared records and the agreements that govern them (None: none configured).
    A use about to be recorded reads its asset's part again (`_read_again`)."""

    found: dict[str, CheckTarget]
    leases: dict[str, tuple[Override, ...]]
    records: dict[str, PreparedRecord]
    terms: AgreementTerms | None
    dialect: sa.Dialect
    counted_at: datetime


def _read_batch(session: Session, keys: Sequence[str], counted_at: datetime) -> _Batch:
    """The batch's assets, leases and agreements; quotas counted in `counted_at`'s month."""
    found = _resolve_all(session, keys, month_of(counted_at))
    dialect = session.connection().dialect
    leased = [t for t in found.values() if t.has_leases]
    leases = leases_for(session, leased) if leased else {}
    records = {t.id: target_record(t, dialect) for t in found.values()}
    revision = next(iter(found.values())).agreements_revision if found else None
    terms = terms_for_check(
        session,
        (r.record for r in records.values()),
        counted_at,
        revision,
        lambda: _uses_read(found, records),
    )
    return _Batch(found, leases, records, terms, dialect, counted_at)


def _uses_read(found: dict[str, CheckTarget], records: dict[str, PreparedRecord]) -> dict[str, int]:
    """This month's uses per supplier key, as the resolve query read them with the assets."""
    return {
        key: uses or 0
        for t in found.values()
        for key, uses in (
            (records[t.id].record.agency_key, t.uses_agency),
            (records[t.id].record.source_key, t.uses_source),
        )
        if key
    }


def _judge(batch: _Batch, target: CheckTarget, use: Use, now: datetime, recorded: bool) -> Decision:
    """The policy's answer for one resolved asset of the batch."""
    record = batch.records[target.id]
    lease = batch.leases.get(target.id, ())
    if batch.terms is None:
        return evaluate(record, use, lease, now)
    agreement, used, terms = batch.terms.judged(record.record, use, now, recorded)
    return evaluate(record, use, lease, now, agreement=agreement, uses_this_month=used, terms=terms)


def check_assets(
    session: Session,
    keys: Sequence[str],
    use: Use,
    *,
    now: datetime,
    record_usage: bool = False,
    actor: str = "anonymous",
    recorded: bool = False,
    counted_at: datetime | None = None,
) -> list[CheckOutcome]:
    """One outcome per key, in order. Unknown keys are denied by the policy (no record).

    `now` is the moment of use for the whole batch; `counted_at` the caller's one reading of
    the clock (default `now`): a use counts against its supplier's quota in the month it is
    recorded, whatever moment of use the client names. `recorded` re-checks uses already
    recorded (assets.alerts): their quota is counted."""
    batch = _read_batch(session, keys, counted_at or now)
    outcomes: list[CheckOutcome] = []
    for key in keys:
        outcome = _outcome(batch, key, use, now, recorded)
        if record_usage and outcome.asset_id and outcome.decision.decision is Outcome.ALLOW:
            outcome.decision, outcome.usage_id = _record_if_still_allowed(
                session, batch, batch.found[key], use, now, actor
            )
        outcomes.append(outcome)
    if record_usage:
        session.commit()
    return outcomes


def _outcome(batch: _Batch, key: str, use: Use, now: datetime, recorded: bool) -> CheckOutcome:
    """The answer for one key of the batch: an unknown key is denied by the policy."""
    target = batch.found.get(key)
    if target is None:
        return CheckOutcome(key, None, evaluate(None, use, (), now))
    return CheckOutcome(key, target.id, _judge(batch, target, use, now, recorded))


def _record_if_still_allowed(
    session: Session, batch: _Batch, target: CheckTarget, use: Use, now: datetime, actor: str
) -> tuple[Decision, str | None]:
    """Record an allowed use, deciding again on what is true now (`_read_again`), and when
    another check reached the supplier's quota meanwhile (then: over quota, reviewed). Only a
    use still allowed is recorded."""
    target = _read_again(session, batch, target)
    decision = _judge(batch, target, use, now, False)
    record = batch.records[target.id].record
    terms = batch.terms
    if (
        terms is not None
        and use.publication
        and use.url
        and decision.decision is Outcome.ALLOW
        and not terms.claim(session, record, terms.governing(record)[0])
    ):
        decision = _judge(batch, target, use, now, False)  # the claim counted the new uses
    if decision.decision is not Outcome.ALLOW:
        return decision, None
    return decision, _record_usage(session, target.id, use, actor)


def check_assets_read(
    connection: sa.Connection,
    keys: Sequence[str],
    use: Use,
    *,
    now: datetime,
    counted_at: datetime | None = None,
) -> list[CheckOutcome]:
    """`check_assets` without recording usages, on a bare connection (the same reads and
    decisions, without the cost of taking a pooled connection)."""
    with Session(bind=connection) as session:
        batch = _read_batch(session, keys, counted_at or now)
    return [_outcome(batch, key, use, now, False) for key in keys]


def _resolve_all(session: Session, keys: Sequence[str], month: str) -> dict[str, CheckTarget]:
    """Every key's asset in one query, in the session's transaction."""
    return _resolve_keys(session.connection(), keys, month)


def _resolve_keys(
    connection: sa.Connection, keys: Sequence[str], month: str
) -> dict[str, CheckTarget]:
    """Every key's asset in one query: ids directly, agency references case-insensitively.

    A key with a NUL names no asset (none can be stored with one, and PostgreSQL refuses to
    compare it): it is left out of the query and so answered as unknown, deny."""
    ids: list[str] = []
    others: set[str] = set()
    for key in keys:
        if is_asset_id(key):
            ids.append(key)
        elif "\x00" not in key:
            others.update((key, key.lower()))
    rows = _fetch_targets(connection, ids, list(others), month)
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


def _fetch_targets(
    connection: sa.Connection, ids: list[str], refs: list[str], month: str, held: bool = False
) -> list[CheckTarget]:
    """The resolve query on the driver's cursor, inside the connection's transaction; `held`
    share-locks the rows until it ends."""
    if not ids and not refs:
        return []
    padded_ids = ids + [ids[-1]] * (_bucket(len(ids)) - len(ids)) if ids else [""]
    padded_refs = refs + [refs[-1]] * (_bucket(len(refs)) - len(refs)) if refs else []
    statement = _driver_statement(connection.dialect, len(padded_ids), len(padded_refs), held)
    sources: tuple[Any, ...] = (None, padded_ids, padded_refs, [month])
    values = [v if where == 0 else sources[where][v] for where, v in statement.slots]
    params: Any = dict(zip(statement.names, values, strict=True)) if statement.names else values
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [CheckTarget._make(row) for row in rows]


def _read_again(session: Session, batch: _Batch, target: CheckTarget) -> CheckTarget:
    """The asset as it is now, with everything its answer hangs on read again into `batch`:
    its row (status, kill, rights), the leases that reach it and the agreements in force.

    A kill, an edit, a lease or an agreement committed since the batch read them re-checks
    the usages recorded so far, which cannot include the one about to be recorded here: the
    use is judged on what they say. The row stays share-locked until the usage is committed:
    a write to it waits, then its re-check sees the usage (a gone row reads as killed)."""
    month = month_of(batch.counted_at)
    rows = _fetch_targets(session.connection(), [target.id], [], month, held=True)
    current = rows[0] if rows else target._replace(status="killed", has_leases=False)
    batch.records[target.id] = target_record(current, batch.dialect)
    leases = leases_for(session, [current]) if current.has_leases else {}
    batch.leases[target.id] = leases.get(target.id, ())
    if current.agreements_revision != target.agreements_revision:
        records = [r.record for r in batch.records.values()]
        batch.terms = terms_for_check(
            session, records, batch.counted_at, current.agreements_revision
        )
    return current


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
