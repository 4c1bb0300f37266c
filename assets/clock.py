"""The service's one clock.

The pure layers hold no clock (`rights.evaluate` is given `now`); everything above reads the
time here, always in UTC, and a request that needs "now" reads it once and passes it down, so
one answer never mixes two instants.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)
