"""Revision 0008 rebuilds stored supplier keys with the normaliser's key, on either database.

Rows written before it hold keys that read look-alike letters as themselves ("ера" for a
Cyrillic "ЕРА"): after the upgrade, a lease typed with look-alikes reaches the agency it spells,
in SQL as in Python. Runs on SQLite and (with RIGHTSDESK_TEST_PG_URL) on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlmodel import col, select

from assets.db import session_scope
from assets.leases import leases_for
from assets.migrations import alembic_config, upgrade
from assets.tables import Asset

CYRILLIC_EPA = "\u0415\u0420\u0410"  # "ЕРА", each letter Cyrillic
GREEK_EPA = "\u0395\u03a1\u0391"  # "ΕΡΑ", each letter Greek

ASSET = sa.table(
    "asset",
    *(
        sa.column(name)
        for name in (
            "id",
            "sha256",
            "media_type",
            "bytes",
            "status",
            "created_at",
            "updated_at",
            "handout",
            "agency",
            "agency_key",
            "source",
            "source_key",
        )
    ),
)
LEASE = sa.table(
    "lease",
    *(
        sa.column(name)
        for name in ("id", "scope", "target", "target_key", "effect", "reason", "created_at")
    ),
)


def _old_rows(engine) -> None:
    """Rows as the catalogue kept them before 0008: keys without the look-alike reading."""
    now = datetime.now(UTC)
    assets = [
        ("a" * 32, "EPA", "epa", None, None),
        ("b" * 32, GREEK_EPA, "ερα", "R E U T E R S", "reuters"),
        ("c" * 32, "AFP", "afp", "\u0422\u0410\u0421\u0421", "тасс"),
    ]
    leases = [
        ("l1", "agency", CYRILLIC_EPA, "ера"),
        ("l2", "source", "TASS", "tass"),
        ("l3", "asset", "c" * 32, "c" * 32),
        ("l4", "agency", "AFP", "afp"),
    ]
    with engine.begin() as connection:
        for asset_id, agency, agency_key, source, source_key in assets:
            connection.execute(
                sa.insert(ASSET).values(
                    id=asset_id,
                    sha256=asset_id * 2,
                    media_type="image/jpeg",
                    bytes=1,
                    status="active",
                    created_at=now,
                    updated_at=now,
                    handout=False,
                    agency=agency,
                    agency_key=agency_key,
                    source=source,
                    source_key=source_key,
                )
            )
        for lease_id, scope, target, key in leases:
            connection.execute(
                sa.insert(LEASE).values(
                    id=lease_id,
                    scope=scope,
                    target=target,
                    target_key=key,
                    effect="deny",
                    reason="contract ended",
                    created_at=now,
                )
            )


def _keys(engine) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, str | None]]:
    with engine.connect() as connection:
        assets = {
            row.id: (row.agency_key, row.source_key)
            for row in connection.execute(
                sa.select(ASSET.c.id, ASSET.c.agency_key, ASSET.c.source_key)
            )
        }
        leases = dict(connection.execute(sa.select(LEASE.c.id, LEASE.c.target_key)).all())
    return assets, leases


def test_upgrade_rebuilds_every_stored_key_so_look_alike_leases_reach(runtime) -> None:
    engine = runtime.engine
    command.downgrade(alembic_config(engine), "0007")
    _old_rows(engine)
    upgrade(engine)
    assets, leases = _keys(engine)
    assert assets == {
        "a" * 32: ("epa", None),
        "b" * 32: ("epa", "reuters"),
        "c" * 32: ("afp", "tacc"),
    }
    assert leases == {"l1": "epa", "l2": "tass", "l3": "c" * 32, "l4": "afp"}
    with session_scope(runtime.engine) as session:
        stored = list(session.exec(select(Asset).order_by(col(Asset.id))))
        reached = leases_for(session, stored)
    # The Cyrillic lease reaches the Latin and the Greek EPA; a TASS source lease does not
    # reach a source spelt in Cyrillic letters, which is a different word ("ТАСС" reads "TACC").
    assert {asset_id: sorted(o.id for o in found) for asset_id, found in reached.items()} == {
        "a" * 32: ["l1"],
        "b" * 32: ["l1"],
        "c" * 32: ["l3", "l4"],
    }


def test_downgrade_keeps_the_rebuilt_keys_and_upgrades_again(runtime) -> None:
    engine = runtime.engine
    command.downgrade(alembic_config(engine), "0007")
    _old_rows(engine)
    upgrade(engine)
    rebuilt = _keys(engine)
    command.downgrade(alembic_config(engine), "0007")
    assert _keys(engine) == rebuilt
    upgrade(engine)
    assert _keys(engine) == rebuilt
