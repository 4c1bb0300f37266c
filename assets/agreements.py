"""Agreements as the catalogue keeps them: one in force per supplier, every version kept.

The rule is `rights.agreements`; this module stores agreements, hands the ones in force to
checks, and counts uses against their quotas (`assets.quota`). A change is audited, kept as a
new version, and re-checks the usages of the supplier's assets (assets.alerts).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assets.audit import record_event
from assets.clock import utcnow
from assets.errors import AssetNotFound, Conflict, InvalidRequest
from assets.quota import claim_use, month_of, uses_in_month
from assets.rights_changes import note_suppliers_changed
from assets.supplier_keys import name_key
from assets.tables import AgreementRow, AgreementVersion
from rights import (
    Agreement,
    Governing,
    RightsRecord,
    Terms,
    Use,
    WireError,
    agreement_for,
    agreement_from_dict,
    agreement_terms,
    agreement_to_dict,
    supplier_key_of,
)

DEFAULT_KEY = ""
"""The stored key of the default agreement, which governs suppliers without their own."""


class AgreementNotFound(AssetNotFound):
    """No agreement with that id was ever recorded."""


class InvalidAgreement(InvalidRequest):
    """An agreement (posted or in a TOML file) that cannot be stored as written."""


def read_agreement(data: object) -> Agreement:
    """An agreement from its wire form, or InvalidAgreement naming the field and the fix."""
    if not isinstance(data, dict):
        raise InvalidAgreement("an agreement is a JSON object with at least a cost")
    try:
        return agreement_from_dict(data)
    except WireError as error:
        raise InvalidAgreement(str(error)) from None


def supplier_key(supplier: str | None) -> str:
    """The key an agreement is stored and matched under; refuses a name with nothing in it."""
    if supplier is None:
        return DEFAULT_KEY
    key = name_key(supplier)
    if not key:
        raise InvalidRequest(
            f'supplier "{supplier}" has no letter or digit to match; name the supplier as its '
            "captions do (EPA, Reuters), or leave it out for the default agreement"
        )
    return key


def agreement_of(row: AgreementRow) -> Agreement:
    """The stored agreement as the policy reads it."""
    try:
        agreement = agreement_from_dict(
            {k: v for k, v in row.terms.items() if k not in ("id", "version")}
        )
    except WireError:  # terms written by a newer version: nothing covered, fail closed
        agreement = Agreement(row.supplier, purposes=(), note="unreadable terms")
        agreement = replace(agreement, starts=datetime.max.replace(tzinfo=UTC))
    return replace(
        agreement,
        supplier=row.supplier,
        id=row.id,
        version=row.version,
        supplier_key=row.supplier_key or None,
    )


def agreement_json(row: AgreementRow) -> dict[str, object]:
    """The wire form of a stored agreement, with who changed it last and when."""
    return {
        **agreement_to_dict(agreement_of(row)),
        "actor": row.actor,
        "updated_at": row.updated_at.isoformat(),
    }


def put_agreement(session: Session, agreement: Agreement, actor: str) -> AgreementRow:
    """Set the agreement with `agreement.supplier` (None: the default); a new version each
    time, the previous one kept. Audited; the supplier's live usages are re-checked."""
    key = supplier_key(agreement.supplier)
    row = session.exec(
        select(AgreementRow).where(col(AgreementRow.supplier_key) == key).with_for_update()
    ).first()
    before = None if row is None else dict(row.terms)
    terms = agreement_to_dict(replace(agreement, id=None, version=None))
    # The first agreement of all changes every supplier's answer (none now has one: review).
    first = row is None and not session.exec(select(AgreementRow.id).limit(1)).first()
    if row is None:  # new, or after an ended one: versions of a supplier keep counting
        last = session.exec(
            select(sa.func.max(AgreementVersion.version)).where(
                col(AgreementVersion.supplier_key) == key
            )
        ).one()
        version = (last or 0) + 1
        row = AgreementRow(
            supplier=agreement.supplier, supplier_key=key, version=version, terms=terms
        )
    else:
        row.version += 1
        row.supplier = agreement.supplier
        row.terms = terms
    row.actor = actor
    row.updated_at = utcnow()
    session.add(row)
    _keep_version(session, row, terms, actor)
    record_event(
        session,
        actor=actor,
        action="agreement.put",
        before=before,
        after={"agreement": row.id, "version": row.version, **terms},
    )
    note_suppliers_changed(session, [DEFAULT_KEY if first else key])
    return row


def remove_agreement(session: Session, agreement_id: str, actor: str) -> AgreementRow:
    """End an agreement: its versions stay, a last one records the removal."""
    row = get_agreement(session, agreement_id)
    before = dict(row.terms)
    row.version += 1
    _keep_version(session, row, None, actor)
    record_event(
        session,
        actor=actor,
        action="agreement.remove",
        before=before,
        after={"agreement": row.id, "version": row.version, "removed": True},
    )
    note_suppliers_changed(session, [row.supplier_key])
    session.delete(row)
    return row


def _keep_version(
    session: Session, row: AgreementRow, terms: dict[str, object] | None, actor: str
) -> None:
    session.add(
        AgreementVersion(
            agreement_id=row.id,
            supplier=row.supplier,
            supplier_key=row.supplier_key,
            version=row.version,
            terms=terms,
            actor=actor,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "the agreement was changed by someone else at the same moment; read it and retry"
        ) from None


def get_agreement(session: Session, agreement_id: str) -> AgreementRow:
    row = session.get(AgreementRow, agreement_id)
    if row is None:
        raise AgreementNotFound(
            f"no agreement {agreement_id}; GET /v1/agreements lists the agreements in force"
        )
    return row


def list_agreements(session: Session) -> list[AgreementRow]:
    """Every agreement in force, the default first, then by supplier key."""
    return list(session.exec(select(AgreementRow).order_by(col(AgreementRow.supplier_key))))


def versions_of(session: Session, agreement_id: str) -> list[AgreementVersion]:
    """Every version of an agreement, oldest first (a removed one's too)."""
    rows = session.exec(
        select(AgreementVersion)
        .where(col(AgreementVersion.agreement_id) == agreement_id)
        .order_by(col(AgreementVersion.version))
    ).all()
    if not rows:
        raise AgreementNotFound(f"no agreement {agreement_id} has ever been recorded")
    return list(rows)


# --- the agreements a check reads -----------------------------------------------------------

AGREEMENTS_REVISION = (
    sa.select(sa.func.count()).select_from(AgreementVersion).scalar_subquery().label("a_count"),
    sa.select(sa.func.max(col(AgreementVersion.id))).scalar_subquery().label("a_last"),
)
"""The revision of the agreements in force, as columns another query can carry along."""
_REVISION = sa.select(*AGREEMENTS_REVISION)
_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, str | None], tuple[Agreement, ...]]] = {}


def in_force(
    session: Session, revision: tuple[int, str | None] | None = None
) -> tuple[Agreement, ...]:
    """The agreements in force, read again only when one changed (any replica's change: the
    version table only grows, so its row count and newest id are a revision; the id tells a
    rolled-back change from a later committed one)."""
    bind = session.get_bind()
    if revision is None:  # not read along with the caller's own query
        count, last = session.connection().execute(_REVISION).one()
        revision = (int(count or 0), last)
    if revision[0] == 0:
        return ()
    url = str(bind.engine.url) if hasattr(bind, "engine") else str(id(bind))
    cached = _cache.get(url)
    if cached is not None and cached[0] == revision:
        return cached[1]
    agreements = tuple(agreement_of(row) for row in list_agreements(session))
    with _cache_lock:
        _cache[url] = (revision, agreements)
    return agreements


NO_CHOICE = object()
"""Marks a supplier pair whose agreement is not chosen yet (None is a choice: no agreements)."""


@dataclass(frozen=True, slots=True)
class _Judged:
    """One supplier pair's agreement, count and terms for one use at one moment."""

    use: Use
    now: datetime
    agreement: Governing
    used: int
    terms: Terms


@dataclass
class AgreementTerms:
    """The agreements in force for one check, and this month's use counts they need."""

    agreements: tuple[Agreement, ...]
    month: str
    counts: dict[str, int] = field(default_factory=dict)
    _chosen: dict[tuple[str | None, str | None], Governing] = field(
        default_factory=dict, repr=False
    )
    _judged: dict[tuple[str | None, str | None, bool], _Judged] = field(
        default_factory=dict, repr=False
    )

    def chosen(self, record: RightsRecord) -> Governing:
        """The agreement for `record`: it depends on the supplier keys only, so it is chosen
        once per pair."""
        suppliers = (record.agency_key, record.source_key)
        agreement = self._chosen.get(suppliers, NO_CHOICE)
        if agreement is NO_CHOICE:
            agreement = self._chosen[suppliers] = agreement_for(self.agreements, record)
        return agreement  # type: ignore[return-value]

    def governing(self, record: RightsRecord, recorded: bool = False) -> tuple[Governing, int]:
        """The agreement for `record` and the uses its supplier has this month.

        `recorded`: the use is one already recorded, so its quota has counted it already."""
        agreement = self.chosen(record)
        if not isinstance(agreement, Agreement) or agreement.quota is None:
            return agreement, 0
        if recorded:
            return replace(agreement, quota=None), 0
        return agreement, self.counts.get(supplier_key_of(agreement, record), 0)

    def judged(
        self, record: RightsRecord, use: Use, now: datetime, recorded: bool = False
    ) -> tuple[Governing, int, Terms]:
        """`governing`, and the agreement's terms for `use` at `now` (`rights.agreement_terms`).

        A batch asks this for every image with one use and one moment, and its images come
        from a few suppliers: the terms are worked out once per supplier pair. An entry is
        taken only for the very same use and moment, and a claim (which changes a count)
        forgets them all."""
        key = (record.agency_key, record.source_key, recorded)
        entry = self._judged.get(key)
        if entry is not None and entry.use is use and entry.now == now:
            return entry.agreement, entry.used, entry.terms
        agreement, used = self.governing(record, recorded)
        terms = agreement_terms(agreement, use, now, used)
        self._judged[key] = _Judged(use, now, agreement, used, terms)
        return agreement, used, terms

    def claim(self, session: Session, record: RightsRecord, governing: Governing) -> bool:
        """Count one recorded use against the supplier's month; False when over the quota.

        The count is raised in the caller's transaction by one conditional update, so
        concurrent checks never record more uses than the quota (assets.quota)."""
        if not isinstance(governing, Agreement):
            return True
        key = supplier_key_of(governing, record)
        self._judged.clear()
        if claim_use(session, key, self.month, governing.quota):
            self.counts[key] = self.counts.get(key, 0) + 1
            return True
        self.counts[key] = max(self.counts.get(key, 0), governing.quota or 0)
        return False


def terms_for_check(
    session: Session,
    records: Iterable[RightsRecord],
    now: datetime,
    revision: tuple[int, str | None] | None = None,
    counted: Callable[[], dict[str, int]] | None = None,
) -> AgreementTerms | None:
    """What checks of `records` need to know of agreements; None when no agreement is
    configured (the policy then works as it did before agreements). Quotas count in the
    calendar month of `now`, the clock's reading (not a client's moment of use). `revision` and
    `counted` (gives this month's uses per supplier key) are what the caller read along with
    its assets; what they do not hold is read here. `counted` is called only when an agreement
    has a quota, so a check without one spends nothing on counts."""
    agreements = in_force(session, revision)
    if not agreements:
        return None
    month = month_of(now)
    terms = AgreementTerms(agreements, month)
    if all(a.quota is None for a in agreements):
        return terms  # no use is counted
    keys: set[str] = set()
    by_suppliers = {(r.agency_key, r.source_key): r for r in records}
    for record in by_suppliers.values():  # the choice and the key depend on these two only
        agreement = terms.chosen(record)
        if isinstance(agreement, Agreement) and agreement.quota is not None:
            keys.add(supplier_key_of(agreement, record))
    known = counted() if counted is not None else {}
    missing = sorted(k for k in keys if k not in known)
    terms.counts.update({k: known[k] for k in keys if k in known})
    if missing:
        terms.counts.update(uses_in_month(session, missing, month))
    return terms
