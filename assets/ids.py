"""Identifiers that sort by creation time, so keyset pages follow ingest order."""

from __future__ import annotations

import secrets
import threading
import time

_lock = threading.Lock()
_last_millisecond = 0
_last_count = 0


def new_id() -> str:
    """32 hex chars: a 48-bit millisecond timestamp, then 80 bits.

    The 80 bits are random for the first id of a millisecond and one more for each later id of
    it, so the ids one process makes sort in the order it made them (the audit events of one
    change read in the order they happened) and a clock stepping back never reorders them.
    """
    global _last_millisecond, _last_count
    with _lock:
        now = int(time.time() * 1000)
        if now > _last_millisecond:
            # 79 random bits leave room to count up within the millisecond.
            _last_millisecond, _last_count = now, secrets.randbits(79)
        else:
            _last_count += 1
        return f"{_last_millisecond:012x}{_last_count:020x}"
