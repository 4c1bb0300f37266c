"""Claims: of many workers claiming one arrival at once, exactly one wins; a crashed worker's
claim is taken over once its lease runs out, and a settled claim is never taken again."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from api.runtime import Runtime
from assets.feeds import claims


def test_one_of_many_racing_workers_wins_the_claim(runtime: Runtime):
    winners: list[str] = []
    barrier = threading.Barrier(6)

    def race(owner: str) -> None:
        barrier.wait()
        row = claims.claim(
            runtime.engine, "f", "a.jpg|1|1", "a", owner, timedelta(seconds=30), datetime.now(UTC)
        )
        if row is not None:
            winners.append(owner)

    threads = [threading.Thread(target=race, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_a_lapsed_lease_is_taken_over_once_and_a_settled_claim_never(runtime: Runtime):
    now = datetime.now(UTC)
    first = claims.claim(runtime.engine, "f", "k", "n", "dead", timedelta(seconds=0.2), now)
    assert first is not None
    assert claims.claim(runtime.engine, "f", "k", "n", "b", timedelta(seconds=30), now) is None
    time.sleep(0.3)
    taken = claims.claim(runtime.engine, "f", "k", "n", "b", timedelta(seconds=30), now)
    assert taken is not None and taken.owner == "b"
    assert claims.claim(runtime.engine, "f", "k", "n", "c", timedelta(seconds=30), now) is None
    # the dead worker wakes up: it no longer holds the claim and cannot settle it
    assert not claims.settle(runtime.engine, first, "done", outcome="ingested")
    assert claims.settle(runtime.engine, taken, "done", outcome="ingested")
    time.sleep(0.05)
    assert claims.claim(runtime.engine, "f", "k", "n", "d", timedelta(seconds=0), now) is None
    assert claims.finished(runtime.engine, "f", "k") is not None
