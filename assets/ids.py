"""Identifiers that sort by creation time, so keyset pages follow ingest order."""

from __future__ import annotations

import secrets
import time


def new_id() -> str:
    """32 hex chars: 48-bit millisecond timestamp then 80 random bits."""
    return f"{int(time.time() * 1000):012x}{secrets.token_hex(10)}"
