"""What one running service holds: its settings, database engine and blob store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from assets.blobs import BlobStore, LocalBlobStore
from assets.config import Settings
from assets.db import make_engine
from assets.drawer import RenditionDrawer
from assets.feeds.delivery import Catalogue


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    drawer: RenditionDrawer | None = field(default=None, compare=False)
    """Draws the renditions of uploads after their answers, while the server runs; without
    one (a runtime outside `serve`), renditions are drawn on their first request."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        return cls(settings, engine, open_blob_store(settings))

    @property
    def spool_dir(self) -> Path:
        return self.settings.data_dir / "tmp"

    def catalogue(self) -> Catalogue:
        """What an agency feed writes to."""
        return Catalogue(self.engine, self.blobs, self.spool_dir, self.settings.max_upload_bytes)


def open_blob_store(settings: Settings) -> BlobStore:
    """The blob store named by RIGHTSDESK_BLOBS (a local folder by default).

    - unset: the folder `blobs/` inside RIGHTSDESK_DATA_DIR;
    - `s3://bucket` or `s3://bucket/prefix`: S3-compatible object storage, configured by the
      usual AWS variables (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, ...);
    - `file:///path` or a plain path: that folder.
    """
    location = (settings.blobs or "").strip()
    if not location:
        return LocalBlobStore(settings.blob_dir)
    if location.startswith("s3://"):
        from assets.blobs_s3 import S3BlobStore  # boto3 loads only when S3 is in use

        return S3BlobStore.from_url(location)
    if location.startswith("file://"):
        return LocalBlobStore(Path(location.removeprefix("file://")))
    if "://" in location:
        raise ValueError(
            f"RIGHTSDESK_BLOBS={location!r} is not a blob store rightsdesk knows;"
            " use s3://bucket/prefix, file:///path or a folder path"
        )
    return LocalBlobStore(Path(location))
