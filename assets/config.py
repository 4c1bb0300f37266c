"""Settings: one pydantic-settings class, read from the environment (RIGHTSDESK_*, DATABASE_URL)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where data lives and how the service behaves. Every field has a working default."""

    model_config = SettingsConfigDict(env_prefix="RIGHTSDESK_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "RIGHTSDESK_DATABASE_URL"),
    )
    blobs: str | None = None
    auth: str = "on"
    max_upload_bytes: int = 200 * 1024 * 1024
    max_page: int = 500
    webhook_url: str | None = None
    webhook_interval: float = 1.0

    @cached_property
    def effective_database_url(self) -> str:
        """DATABASE_URL when given, else an SQLite file inside the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'rightsdesk.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def auth_enabled(self) -> bool:
        return self.auth.strip().lower() not in {"off", "0", "false", "no"}
