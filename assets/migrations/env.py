"""Alembic environment: the engine is handed over by `assets.migrations.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# registers the tables on SQLModel.metadata
import assets.feeds.tables
import assets.tables  # noqa: F401

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
