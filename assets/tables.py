"""The catalogue's tables (SQLModel). Schema changes go through Alembic migrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from assets.clock import utcnow
from assets.ids import new_id
from assets.storable import fit_for_storage
from assets.supplier_keys import name_key, target_key
from rights.moment import as_utc

JSONColumn = sa.JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A moment stored in UTC and always read back timezone-aware, on every backend.

    SQLite keeps no offset: without this, times written with one (a lease ending at
    00:00+02:00) would be stored as wall-clock and read back naive, hours off.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return as_utc(value)


def _json(default: Any = None) -> Any:
    return Field(
        default_factory=lambda: default() if callable(default) else default,
        sa_column=Column(JSONColumn, nullable=True),
    )


class AssetBase(SQLModel):
    """Fields every view of an asset shares."""

    sha256: str = Field(max_length=64)
    filename: str | None = Field(default=None, max_length=255)
    media_type: str = Field(max_length=64)
    width: int | None = None
    height: int | None = None
    bytes: int
    status: str = Field(default="active", max_length=16)
    caption: str | None = None


class Asset(AssetBase, table=True):
    """One stored image. `rights` and `embedded` are the JSON readings; hot fields are columns.

    `embedded_blocks` keeps each metadata block's own rights fields and the blocks that could
    not be read (assets.rights_reading.blocks_to_json), so re-reading rights sees every block
    again; None for rows stored before it existed, until their file is read again.
    """

    __tablename__ = "asset"
    __table_args__ = (
        sa.UniqueConstraint("sha256", name="uq_asset_sha256"),
        sa.Index("ix_asset_agency_id", "agency", "id"),
        sa.Index("ix_asset_agency_ref", "agency_ref"),
        sa.Index("ix_asset_source_id", "source", "id"),
        sa.Index("ix_asset_status_id", "status", "id"),
        sa.Index("ix_asset_handout_id", "handout", "id"),
        sa.Index("ix_asset_created_at", "created_at"),
        sa.Index("ix_asset_agency_key", "agency_key"),
        sa.Index("ix_asset_source_key", "source_key"),
        # The full-text index (FTS5 table / tsvector column) is database-specific and lives
        # only in migration 0002.
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    caption_origin: str | None = Field(default=None, max_length=16)
    agency: str | None = Field(default=None, max_length=128)
    # The agency and source as leases compare them (rights.leases.name_key), kept by
    # `_keep_supplier_keys` on every write.
    agency_key: str | None = Field(default=None, max_length=128)
    agency_ref: str | None = Field(default=None, max_length=128)
    source: str | None = Field(default=None, max_length=512)
    source_key: str | None = Field(default=None, max_length=512)
    handout: bool = False
    parser_version: str | None = Field(default=None, max_length=32)
    killed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    kill_reason: str | None = None
    # A rights manager rejected the kill request raised by the current caption's kill notice;
    # only then is that notice no longer a reason to deny (see assets.kills).
    kill_notice_rejected: bool = False
    rights: dict[str, Any] = _json(dict)
    embedded: dict[str, Any] = _json(dict)
    embedded_blocks: dict[str, Any] | None = Field(
        default=None,
        # None is SQL NULL ("not read per block yet"), never a JSON null that IS NULL misses
        sa_column=Column(
            sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql"),
            nullable=True,
        ),
    )
    warnings: list[str] = _json(list)


class AssetRestriction(SQLModel, table=True):
    """One row per (asset, restriction code): what the `restriction=` filter searches."""

    __tablename__ = "asset_restriction"
    __table_args__ = (sa.Index("ix_asset_restriction_code_asset", "code", "asset_id"),)

    asset_id: str = Field(
        foreign_key="asset.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    code: str = Field(primary_key=True, max_length=32)


class CaptionVersion(SQLModel, table=True):
    """Every caption an asset has had, newest last: captions are replaced, never lost."""

    __tablename__ = "caption_version"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    asset_id: str = Field(foreign_key="asset.id", index=True, max_length=32, ondelete="CASCADE")
    caption: str | None = None
    origin: str | None = Field(default=None, max_length=16)
    actor: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LeaseBase(SQLModel):
    """Fields every view of a lease shares (the table and the API's `OverridePublic`)."""

    scope: str = Field(max_length=16)  # rights.LeaseScope: asset | agency | source
    target: str = Field(max_length=512)  # asset id, agency name or source name
    effect: str = Field(max_length=8)
    purposes: list[str] = _json(list)
    channels: list[str] = _json(list)
    territories: list[str] = _json(list)
    starts: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str


class Lease(LeaseBase, table=True):
    """A rights manager's override for one asset, or for every asset of an agency or source."""

    __tablename__ = "lease"
    __table_args__ = (sa.Index("ix_lease_scope_key", "scope", "target_key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    # What the target is compared as (assets.supplier_keys.target_key), kept on every write.
    target_key: str | None = Field(default=None, max_length=512)
    actor: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@sa.event.listens_for(Asset, "before_insert")
@sa.event.listens_for(Asset, "before_update")
def _keep_supplier_keys(_mapper: Any, _connection: Any, asset: Asset) -> None:
    """Whatever path writes an asset, its agency and source keys follow its names."""
    asset.agency_key = name_key(asset.agency)
    asset.source_key = name_key(asset.source)


@sa.event.listens_for(Lease, "before_insert")
@sa.event.listens_for(Lease, "before_update")
def _keep_target_key(_mapper: Any, _connection: Any, lease: Lease) -> None:
    lease.target_key = target_key(lease.scope, lease.target)


class UsageBase(SQLModel):
    """Fields every view of a usage shares (the table, the API and the kill webhook)."""

    purpose: str = Field(max_length=32)
    channel: str | None = Field(default=None, max_length=32)
    territory: str | None = Field(default=None, max_length=8)
    publication: str = Field(max_length=512)
    url: str = Field(max_length=2048)
    actor: str | None = Field(default=None, max_length=128)


class Usage(UsageBase, table=True):
    """A recorded publication of an asset: what a kill notice must take down."""

    __tablename__ = "usage"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    asset_id: str = Field(foreign_key="asset.id", index=True, max_length=32, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UsagePublic(UsageBase):
    """A usage as the API and the kill webhook show it: `asset` is the asset's id."""

    id: str
    asset: str
    created_at: datetime

    @classmethod
    def from_usage(cls, usage: Usage) -> UsagePublic:
        return cls(
            **usage.model_dump(include=set(UsageBase.model_fields)),
            id=usage.id,
            asset=usage.asset_id,
            created_at=usage.created_at,
        )


class OutboxMessage(SQLModel, table=True):
    """A notice waiting to be delivered to the webhook (kills); written in the same transaction."""

    __tablename__ = "outbox"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    kind: str = Field(max_length=32)
    payload: dict[str, Any] = _json(dict)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """Append-only record of who changed what: rights, captions, leases, kills, usages."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_asset_id", "asset_id", "id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    asset_id: str | None = Field(default=None, max_length=32)
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    before: dict[str, Any] | None = _json(None)
    after: dict[str, Any] | None = _json(None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    """An API key: only its SHA-256 is stored; the key itself is shown once at creation."""

    __tablename__ = "api_key"
    __table_args__ = (
        # a name names one live key; a revoked key's name may be given to its successor
        sa.Index(
            "uq_api_key_live_name",
            "name",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=128)
    role: str = Field(max_length=32)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # May kill outright (an agency feed's kill notices, `/kill`) whatever its role.
    can_kill: bool = False


class KillRequestBase(SQLModel):
    """Fields every view of a kill request shares (the table and `KillRequestPublic`)."""

    agency_ref: str | None = Field(default=None, max_length=128)
    caption: str | None = None  # the text that carried the kill notice
    reason: str
    via: str = Field(max_length=32)  # the change that raised it: asset.ingest, asset.caption...
    state: str = Field(default="pending", max_length=16)  # pending | confirmed | rejected
    requested_by: str = Field(max_length=128)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=128)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = None


class KillRequest(KillRequestBase, table=True):
    """A kill asked for by someone who may not kill (an editor's caption with a kill notice).

    Its assets are denied (status `kill_requested`) until a rights manager confirms (a real
    kill of every asset with the agency reference) or rejects it (the assets go back to
    active). A rejection holds for the caption it was about: reading that caption again does
    not raise the request again."""

    __tablename__ = "kill_request"
    __table_args__ = (
        sa.Index("ix_kill_request_state_id", "state", "id"),
        sa.Index("ix_kill_request_asset_id", "asset_id", "id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    asset_id: str = Field(foreign_key="asset.id", max_length=32, ondelete="CASCADE")
    assets: list[str] = _json(list)  # every asset the request made `kill_requested`


class Rendition(SQLModel, table=True):
    """A thumbnail or preview drawn from one stored file, itself a blob (`sha256`).

    Keyed by the source's bytes, not the asset: two rows for one picture would be waste, and a
    new drawing `version` makes every rendition again. `sha256` is None when the file could
    not be drawn; `problem` then says why and a placeholder is served instead.
    """

    __tablename__ = "rendition"
    __table_args__ = (sa.Index("ix_rendition_sha256", "sha256"),)

    source_sha256: str = Field(primary_key=True, max_length=64)
    kind: str = Field(primary_key=True, max_length=16)
    version: int = Field(primary_key=True)
    sha256: str | None = Field(default=None, max_length=64)
    media_type: str | None = Field(default=None, max_length=32)
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    problem: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgreementRow(SQLModel, table=True):
    """The agreement in force with one supplier (`supplier_key` "" is the default agreement).

    `terms` is the agreement's wire form (rights.agreement_to_dict); every version, removals
    included, is kept in `agreement_version`."""

    __tablename__ = "agreement"
    __table_args__ = (sa.UniqueConstraint("supplier_key", name="uq_agreement_supplier_key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    supplier: str | None = Field(default=None, max_length=512)
    supplier_key: str = Field(max_length=512)
    version: int = 1
    terms: dict[str, Any] = _json(dict)
    actor: str | None = Field(default=None, max_length=128)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgreementVersion(SQLModel, table=True):
    """Every version an agreement has had, append-only; `terms` None records its removal."""

    __tablename__ = "agreement_version"
    __table_args__ = (sa.UniqueConstraint("supplier_key", "version", name="uq_agreement_version"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    agreement_id: str = Field(max_length=32)
    supplier: str | None = Field(default=None, max_length=512)
    supplier_key: str = Field(max_length=512)
    version: int
    terms: dict[str, Any] | None = _json(None)
    actor: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SupplierUse(SQLModel, table=True):
    """Uses recorded per supplier and calendar month (UTC), the count an agreement's quota
    is held to; raised in the transaction that records the usage (assets.quota)."""

    __tablename__ = "supplier_use"

    supplier_key: str = Field(primary_key=True, max_length=512)
    month: str = Field(primary_key=True, max_length=7)  # "2026-12"
    uses: int = 0


class Tombstone(SQLModel, table=True):
    """What stays of a purged asset: who it was, why and when it went (assets.purge).

    `files_removed_at` is set once its blobs and renditions are deleted; a purge that stopped
    between the two finishes them on its next run."""

    __tablename__ = "tombstone"

    asset_id: str = Field(primary_key=True, max_length=32)
    agency_ref: str | None = Field(default=None, max_length=128)
    credit: str | None = Field(default=None, max_length=512)
    sha256: str = Field(max_length=64)
    why: str
    actor: str = Field(max_length=128)
    purged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    files_removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Alert(SQLModel, table=True):
    """A recorded usage that is no longer allowed since the asset's rights changed."""

    __tablename__ = "alert"
    __table_args__ = (
        sa.Index("ix_alert_asset_id", "asset_id", "id"),
        sa.Index("ix_alert_publication_id", "publication", "id"),
        sa.Index("ix_alert_usage_id", "usage_id", "id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    usage_id: str = Field(max_length=32)
    asset_id: str = Field(max_length=32)
    publication: str = Field(max_length=512)
    url: str = Field(max_length=2048)
    use: dict[str, Any] = _json(dict)
    decision: str = Field(max_length=8)
    reasons: list[dict[str, Any]] = _json(list)
    cause: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _fit_every_database(session: sa.orm.Session, _context: Any, _instances: Any) -> None:
    """Text read from files (a NUL in an IPTC caption, a 700-character IPTC source) is
    stored the same way on SQLite and PostgreSQL, so every backup restores into either:
    characters a database refuses become U+FFFD and a value longer than its column is cut.
    Text from requests never gets here unfit: it is refused with 422 first."""
    for row in (*session.new, *session.dirty):
        mapper = sa.inspect(row).mapper
        for column in mapper.columns:
            key = mapper.get_property_by_column(column).key
            value = getattr(row, key, None)
            if value is None or isinstance(value, bool | int | float | datetime):
                continue
            fitted = fit_for_storage(value, getattr(column.type, "length", None))
            if fitted is not value and fitted != value:
                setattr(row, key, fitted)
