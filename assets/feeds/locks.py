"""One arrival at a time per agency reference, so a picture and its correction arriving
together (two threads, two replicas) cannot both be taken for new and stored twice.

On PostgreSQL a session advisory lock keyed by the reference serialises every replica; on
SQLite (one machine) a lock per reference in the process does, for the threads of one
`watch` or `serve`.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_LOCAL: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


@contextmanager
def reference_lock(engine: Engine, reference: str | None) -> Iterator[None]:
    """Hold the lock of `reference` (nothing to hold when there is none)."""
    if not reference:
        yield
        return
    with _GUARD:
        local = _LOCAL.setdefault(reference, threading.Lock())
    with local:
        if engine.dialect.name != "postgresql":
            yield
            return
        key = zlib.crc32(f"rightsdesk.feed-ref.{reference}".encode()) - 2**31
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
