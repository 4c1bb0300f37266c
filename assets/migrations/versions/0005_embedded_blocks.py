"""Each metadata block's own rights fields, stored with the asset.

`asset.embedded_blocks` holds, per block (IPTC, XMP, EXIF, and every repeat of one), the
caption, special instructions, usage terms, credit, source and copyright that block states,
and the blocks that may state rights but could not be read. Re-reading rights (a caption
edit, a newer parser) then weighs every block again, not only the normalised winners.

Rows stored before this revision keep NULL: their files are read again from the blob store
by `rightsdesk reparse` (or when their caption is next edited), and until then every
re-reading keeps the restrictions they already have.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "asset",
        sa.Column("embedded_blocks", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
    )


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+): a batch rebuild would lose the search triggers
    op.execute("ALTER TABLE asset DROP COLUMN embedded_blocks")
