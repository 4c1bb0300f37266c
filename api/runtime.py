"""What one running service holds: its settings, database engine and blob store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from assets.blobs import BlobStore, LocalBlobStore
from assets.config import Settings
from assets.db import make_engine


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    blobs: BlobStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        return cls(settings, engine, open_blob_store(settings))

    @property
    def spool_dir(self):  # type: ignore[no-untyped-def]
        return self.settings.data_dir / "tmp"


def open_blob_store(settings: Settings) -> BlobStore:
    """The blob store named by RIGHTSDESK_BLOBS (a local folder by default)."""
    return LocalBlobStore(settings.blob_dir)
