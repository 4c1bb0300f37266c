"""API key names are unique among live keys, so a name names one key.

Keys already sharing a live name keep working: the oldest keeps the name, the others get
`NAME-2`, `NAME-3`, ... (see `rightsdesk keys list`). A revoked key's name may be reused.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, name, revoked_at FROM api_key ORDER BY created_at, id")
    ).all()
    taken = {name for _id, name, revoked in rows if revoked is None}
    seen: set[str] = set()
    for key_id, name, revoked in rows:
        if revoked is not None:
            continue
        if name not in seen:
            seen.add(name)
            continue
        number = 2
        while f"{name}-{number}" in taken:
            number += 1
        renamed = f"{name}-{number}"
        taken.add(renamed)
        seen.add(renamed)
        connection.execute(
            sa.text("UPDATE api_key SET name = :name WHERE id = :id"),
            {"name": renamed, "id": key_id},
        )
    op.create_index(
        "uq_api_key_live_name",
        "api_key",
        ["name"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_api_key_live_name", table_name="api_key")
