"""Uses per supplier and calendar month, the count an agreement's quota is held to.

Each recorded use raises its supplier's count for the month in the transaction that records
the usage, by one conditional update (`uses < quota`): on PostgreSQL a second transaction
waits for the first's row lock and then tests the committed count again; on SQLite writers
take turns. Either way concurrent checks never record more uses than the quota.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from assets.tables import SupplierUse


def month_of(moment: datetime) -> str:
    """The calendar month (UTC) a use counts in: "2026-12"."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{utc.year:04d}-{utc.month:02d}"


_USES = sa.select(col(SupplierUse.supplier_key), col(SupplierUse.uses)).where(
    col(SupplierUse.month) == sa.bindparam("month"),
    col(SupplierUse.supplier_key).in_(sa.bindparam("keys", expanding=True)),
)  # built once: constructing it per check costs more than running it


def uses_in_month(session: Session, keys: Sequence[str], month: str) -> dict[str, int]:
    """The uses recorded this month for each supplier key (missing: none)."""
    result = session.connection().execute(_USES, {"month": month, "keys": list(keys)})
    return {key: uses for key, uses in result}


def claim_use(session: Session, key: str, month: str, quota: int | None) -> bool:
    """Count one use for `key` in `month`, unless `quota` uses are counted already."""
    connection = session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(SupplierUse)
        .values(supplier_key=key, month=month, uses=0)
        .on_conflict_do_nothing(index_elements=["supplier_key", "month"])
    )
    update = (
        sa.update(SupplierUse)
        .where(col(SupplierUse.supplier_key) == key, col(SupplierUse.month) == month)
        .values(uses=col(SupplierUse.uses) + 1)
    )
    if quota is not None:
        update = update.where(col(SupplierUse.uses) < quota)
    result = connection.execute(update)
    return bool(getattr(result, "rowcount", 0))


def month_uses_columns(agency_key: Any, source_key: Any) -> tuple[Any, ...]:
    """This month's counts of an asset's agency and source, as columns a query can carry
    along (the month is the bound parameter `month`): the hook reads them with its assets."""

    def uses(key: Any) -> Any:
        return (
            sa.select(col(SupplierUse.uses))
            .where(
                col(SupplierUse.month) == sa.bindparam("month"),
                col(SupplierUse.supplier_key) == key,
            )
            .scalar_subquery()
        )

    return (uses(agency_key).label("uses_agency"), uses(source_key).label("uses_source"))
