"""Settings: one pydantic-settings class, read from the environment (RIGHTSDESK_*, DATABASE_URL)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_WEBHOOK_SECRET = 16


class Settings(BaseSettings):
    """Where data lives and how the service behaves. Every field has a working default."""

    model_config = SettingsConfigDict(env_prefix="RIGHTSDESK_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "RIGHTSDESK_DATABASE_URL"),
    )
    blobs: str | None = None
    # Exactly "on" or "off": a near miss ("OFF", "0", "false", " off") is refused at start
    # rather than guessed, so authentication is never switched off by accident.
    auth: Literal["on", "off"] = "on"
    max_upload_bytes: int = 200 * 1024 * 1024
    max_page: int = 500
    webhook_url: str | None = None
    webhook_interval: float = 1.0
    # Seconds between background purges and alert scans inside `serve` (0: off; run
    # `rightsdesk purge` and `rightsdesk alerts scan` from a scheduler instead).
    purge_interval: float = Field(default=0.0, ge=0.0)
    session_secret: str = ""
    """Mixed into the desk's session signatures; give every replica the same value."""
    # Signs every webhook delivery (HMAC-SHA256); required whenever webhook_url is set.
    webhook_secret: SecretStr | None = None
    # Agency feeds (docs/feeds.md): a TOML file of [[feed]] tables, and/or a comma-separated
    # list of folders and s3://bucket/prefix places; run by `rightsdesk watch`, or inside
    # `serve` when serve_feeds is "on".
    feeds: Path | None = None
    feed_sources: str | None = None
    serve_feeds: Literal["on", "off"] = "off"

    @field_validator("webhook_secret")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_WEBHOOK_SECRET:
            raise ValueError(
                f"RIGHTSDESK_WEBHOOK_SECRET must be at least {MIN_WEBHOOK_SECRET} characters"
                " (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return value

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "RIGHTSDESK_WEBHOOK_URL is set but RIGHTSDESK_WEBHOOK_SECRET is not: webhook"
                f" deliveries are signed, set a secret of {MIN_WEBHOOK_SECRET} characters or more"
            )
        return self

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
        return self.auth != "off"
