"""Time limits a busy machine cannot trip: the CPU seconds this process spends.

The limits in the tests catch work that grows out of bounds (a quadratic reader, a regular
expression that backtracks), and such work burns CPU. A machine shared with other processes
(the suite's other worker, a database, a build) only makes the wall clock run on, so the
limits count this process's CPU time, over all its threads, and not the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cpu_limit(seconds: float, what: str = "the work") -> Iterator[None]:
    """Fail when the block spends `seconds` or more of this process's CPU time."""
    started = time.process_time()
    yield
    spent = time.process_time() - started
    assert spent < seconds, f"{what} took {spent:.2f} s of CPU (limit {seconds:g} s)"


def cpu_seconds_since(started: float) -> float:
    """CPU seconds this process spent since `started`, a reading of `time.process_time()`."""
    return time.process_time() - started
