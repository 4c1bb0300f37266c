"""Supplier keys: leases reach assets by the matching form of an agency or source name.

`asset.agency_key`, `asset.source_key` and `lease.target_key` hold `rights.leases.name_key` /
`target_key` of the names beside them, so "epa" reaches "EPA" in SQL as in Python. Leases and
assets stored before this revision get their keys here: old leases typed in another case or
with stray spaces start to apply.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from assets.suppliers import refresh_supplier_keys

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("asset", sa.Column("agency_key", sqlmodel.sql.sqltypes.AutoString(length=128)))
    op.add_column("asset", sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=512)))
    op.add_column("lease", sa.Column("target_key", sqlmodel.sql.sqltypes.AutoString(length=512)))
    refresh_supplier_keys(op.get_bind())
    op.create_index("ix_asset_agency_key", "asset", ["agency_key"])
    op.create_index("ix_asset_source_key", "asset", ["source_key"])
    op.drop_index("ix_lease_scope", table_name="lease")
    op.create_index("ix_lease_scope_key", "lease", ["scope", "target_key"])


def downgrade() -> None:
    op.drop_index("ix_lease_scope_key", table_name="lease")
    op.create_index("ix_lease_scope", "lease", ["scope", "target"])
    op.drop_index("ix_asset_source_key", table_name="asset")
    op.drop_index("ix_asset_agency_key", table_name="asset")
    op.drop_column("lease", "target_key")
    op.drop_column("asset", "source_key")
    op.drop_column("asset", "agency_key")
