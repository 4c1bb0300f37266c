"""Supplier keys refreshed: names are keyed by the caption normaliser's one key function.

`asset.agency_key`, `asset.source_key` and `lease.target_key` are now built by
`captions.normalise.fold_for_match`, which also reads look-alike letters of other scripts as the
Latin letters they look like ("ЕРА" with Cyrillic letters is "epa") and letter-spaced names.
Keys stored before this revision are rebuilt from the names beside them, so a lease typed with
look-alike letters starts to reach the assets it names.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:30:00
"""

from collections.abc import Sequence

from alembic import op

from assets.suppliers import refresh_supplier_keys

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    refresh_supplier_keys(op.get_bind())


def downgrade() -> None:
    # The older keys were a coarser reading of the same names: the newer ones stay, and a
    # lease that reached an asset by them keeps reaching it.
    pass
