"""Feeds: claim rows for watched folders and prefixes, and each feed's last success and error.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "feed_item",
        sa.Column("id", _text(length=32), nullable=False),
        sa.Column("feed", _text(length=64), nullable=False),
        sa.Column("key", _text(length=1024), nullable=False),
        sa.Column("name", _text(length=512), nullable=False),
        sa.Column("state", _text(length=16), nullable=False),
        sa.Column("owner", _text(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", _text(length=16), nullable=True),
        sa.Column("asset_id", _text(length=32), nullable=True),
        sa.Column("item_ref", _text(length=512), nullable=True),
        sa.Column("reason", _text(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed", "key", name="uq_feed_item_feed_key"),
    )
    op.create_index("ix_feed_item_feed_name", "feed_item", ["feed", "name"])
    op.create_index("ix_feed_item_item_ref", "feed_item", ["item_ref"])
    op.create_table(
        "feed_status",
        sa.Column("feed", _text(length=64), nullable=False),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", _text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("ingested", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("retried", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed"),
    )


def downgrade() -> None:
    op.drop_table("feed_status")
    op.drop_index("ix_feed_item_item_ref", table_name="feed_item")
    op.drop_index("ix_feed_item_feed_name", table_name="feed_item")
    op.drop_table("feed_item")
