"""Alembic migrations, run with `rightsdesk db upgrade` (and automatically by `serve`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(engine: Engine) -> Config:
    """A configuration built in code, so the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (the latest by default).

    On PostgreSQL an advisory lock (per schema) serialises replicas that start at once: one
    migrates, the others wait for it and then find nothing left to do.
    """
    if engine.dialect.name != "postgresql":
        command.upgrade(alembic_config(engine), revision)
        return
    key = text("SELECT hashtext('rightsdesk.migrations.' || current_schema())")
    with engine.connect() as lock:
        lock_id = lock.execute(key).scalar_one()
        lock.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
        try:
            command.upgrade(alembic_config(engine), revision)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
            lock.commit()
