"""Kill requests: a kill notice from someone who may not kill waits for a rights manager.

Adds the `kill_request` table, `asset.kill_notice_rejected` and `api_key.can_kill`. Assets
whose stored rights carry a kill notice but that were never killed become `kill_requested`,
each with a pending request, so a rights manager sees them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from assets.ids import new_id

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
LEGACY_REASON = "agency kill notice in the caption, found when kill requests were introduced"


def upgrade() -> None:
    # plain ADD COLUMN (no table copy): SQLite keeps the search triggers on `asset`
    op.add_column(
        "asset",
        sa.Column("kill_notice_rejected", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "api_key", sa.Column("can_kill", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "kill_request",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("asset_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agency_ref", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("caption", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("via", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("assets", JSON, nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kill_request", schema=None) as batch_op:
        batch_op.create_index("ix_kill_request_state_id", ["state", "id"], unique=False)
        batch_op.create_index("ix_kill_request_asset_id", ["asset_id", "id"], unique=False)
    _request_legacy_kill_notices()


def _request_legacy_kill_notices() -> None:
    """Never-killed assets whose caption carried a kill notice: make them pending requests."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        has_notice = "(rights ->> 'kill_notice') = 'true'"
    else:
        has_notice = "json_extract(rights, '$.kill_notice') = 1"
    rows = bind.execute(
        sa.text(
            f"SELECT id, agency_ref, caption FROM asset WHERE status = 'active' AND {has_notice}"
        )
    ).all()
    now = datetime.now(UTC)
    requests = sa.table(
        "kill_request",
        *(sa.column(name) for name in ("id", "asset_id", "agency_ref", "caption", "reason")),
        *(sa.column(name) for name in ("via", "state", "requested_by", "requested_at")),
        sa.column("assets", JSON),
    )
    for asset_id, agency_ref, caption in rows:
        bind.execute(
            sa.text("UPDATE asset SET status = 'kill_requested' WHERE id = :id"), {"id": asset_id}
        )
        bind.execute(
            requests.insert().values(
                id=new_id(),
                asset_id=asset_id,
                agency_ref=agency_ref,
                caption=caption,
                reason=LEGACY_REASON,
                via="migration",
                state="pending",
                requested_by="migration",
                requested_at=now,
                assets=[asset_id],
            )
        )


def downgrade() -> None:
    op.execute("UPDATE asset SET status = 'active' WHERE status = 'kill_requested'")
    with op.batch_alter_table("kill_request", schema=None) as batch_op:
        batch_op.drop_index("ix_kill_request_asset_id")
        batch_op.drop_index("ix_kill_request_state_id")
    op.drop_table("kill_request")
    op.drop_column("api_key", "can_kill")
    op.drop_column("asset", "kill_notice_rejected")
