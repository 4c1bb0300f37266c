"""The migrations and the table declarations agree, so autogenerate proposes nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from assets.migrations import upgrade

DERIVED = {"asset_fts", "asset_search_key", "search_document", "ix_asset_search_document"}


def _mentions_derived(diff: object) -> bool:
    text = repr(diff)
    return any(name in text for name in DERIVED)


def test_migrated_schema_matches_the_declared_tables(runtime):
    upgrade(runtime.engine)
    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d for d in compare_metadata(context, SQLModel.metadata) if not _mentions_derived(d)
        ]
    assert differences == []
