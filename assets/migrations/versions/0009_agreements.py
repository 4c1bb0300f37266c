"""Agreements with suppliers (every version kept), monthly use counts for their quotas,
tombstones of purged assets, and alerts about usages whose rights changed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "agreement",
        sa.Column("id", _text(32), nullable=False),
        sa.Column("supplier", _text(512), nullable=True),
        sa.Column("supplier_key", _text(512), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("terms", JSON, nullable=True),
        sa.Column("actor", _text(128), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier_key", name="uq_agreement_supplier_key"),
    )
    op.create_table(
        "agreement_version",
        sa.Column("id", _text(32), nullable=False),
        sa.Column("agreement_id", _text(32), nullable=False),
        sa.Column("supplier", _text(512), nullable=True),
        sa.Column("supplier_key", _text(512), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("terms", JSON, nullable=True),
        sa.Column("actor", _text(128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier_key", "version", name="uq_agreement_version"),
    )
    op.create_table(
        "supplier_use",
        sa.Column("supplier_key", _text(512), nullable=False),
        sa.Column("month", _text(7), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("supplier_key", "month"),
    )
    op.create_table(
        "tombstone",
        sa.Column("asset_id", _text(32), nullable=False),
        sa.Column("agency_ref", _text(128), nullable=True),
        sa.Column("credit", _text(512), nullable=True),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("why", _text(), nullable=False),
        sa.Column("actor", _text(128), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    op.create_table(
        "alert",
        sa.Column("id", _text(32), nullable=False),
        sa.Column("usage_id", _text(32), nullable=False),
        sa.Column("asset_id", _text(32), nullable=False),
        sa.Column("publication", _text(512), nullable=False),
        sa.Column("url", _text(2048), nullable=False),
        sa.Column("use", JSON, nullable=True),
        sa.Column("decision", _text(8), nullable=False),
        sa.Column("reasons", JSON, nullable=True),
        sa.Column("cause", _text(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_asset_id", "alert", ["asset_id", "id"])
    op.create_index("ix_alert_publication_id", "alert", ["publication", "id"])
    op.create_index("ix_alert_usage_id", "alert", ["usage_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_alert_usage_id", table_name="alert")
    op.drop_index("ix_alert_publication_id", table_name="alert")
    op.drop_index("ix_alert_asset_id", table_name="alert")
    op.drop_table("alert")
    op.drop_table("tombstone")
    op.drop_table("supplier_use")
    op.drop_table("agreement_version")
    op.drop_table("agreement")
