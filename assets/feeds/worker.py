"""The loop that runs a feed: scan, claim what is ready, deliver it, move it, repeat.

Order of one arrival, for crash safety: claim (a row) -> deliver (blob, then one catalogue
transaction) -> settle the claim `done` / `rejected` -> move the files (sidecar first, picture
last). A crash at any point leaves the file where it was and the claim either unsettled (its
lease runs out, the arrival is taken again; the bytes are stored once, by sha256) or settled
(only the move is left, and it is finished on the next scan). So every file ends in the
catalogue or in `rejected/`, and none is ingested twice.

Transient failures (the database or bucket unreachable, a disk error) are retried with
exponential backoff up to `max_attempts`, then the arrival is rejected with the last error.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from assets.clock import utcnow
from assets.feeds import claims, metrics
from assets.feeds.arrivals import Arrival, ready_arrivals
from assets.feeds.config import FeedConfig
from assets.feeds.delivery import PERMANENT, Catalogue, Delivered, Rejected, deliver
from assets.feeds.sidecar import MAX_SIDECAR_BYTES, read_sidecar
from assets.feeds.sources import Entry, Source, open_source, printable
from assets.feeds.tables import FeedItem

log = logging.getLogger("rightsdesk.feeds")


def worker_id() -> str:
    """Who holds a claim: host, process and a random tag (a restarted process is new)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class FeedProgress:
    """What a worker did since it started, for the live line of `rightsdesk watch`."""

    seen: int = 0
    ingested: int = 0
    rejected: int = 0
    retried: int = 0
    waiting: int = 0
    last: str = ""
    lags: list[float] = field(default_factory=list)


class FeedRunner:
    """Runs one feed until stopped; `run_once` is one scan and what it finds ready."""

    def __init__(
        self,
        catalogue: Catalogue,
        feed: FeedConfig,
        *,
        source: Source | None = None,
        owner: str | None = None,
        on_change: Callable[[FeedConfig, FeedProgress], None] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.feed = feed
        self.source = source or open_source(feed)
        self.owner = owner or worker_id()
        self.progress = FeedProgress()
        self.on_change = on_change
        self._seen_keys: set[str] = set()
        self._stop = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # the source itself failed (bucket or folder gone)
                log.warning("feed %s: scan failed: %s", self.feed.name, exc)
                self._note_error(f"scan failed: {exc}")
                self._stop.wait(self.feed.poll_seconds)
                continue
            self.source.wait(self.feed.poll_seconds)

    def stop(self) -> None:
        self._stop.set()
        self.source.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    def run_once(self) -> int:
        """Scan once and handle every ready arrival; returns how many were handled."""
        entries = self.source.scan()
        new = [e for e in entries if e.key not in self._seen_keys]
        if new:
            self._seen_keys.update(e.key for e in new)
            self.progress.seen += len(new)
            metrics.FILES.labels(feed=self.feed.name, event="seen").inc(len(new))
            claims.count(self.catalogue.engine, self.feed.name, "seen", by=len(new))
        present = {e.key for e in entries}
        self._seen_keys &= present
        ready = ready_arrivals(entries, self.feed, self._renditions)
        self.progress.waiting = len(entries) - sum(
            1 + (a.picture is not None and a.sidecar is not None) for a in ready
        )
        if self.feed.concurrency <= 1 or len(ready) <= 1:
            handled = sum(self.handle(a) for a in ready if not self._stop.is_set())
        else:
            handled = sum(self._pool().map(self._handle_unless_stopped, ready))
        if self.on_change is not None:
            self.on_change(self.feed, self.progress)
        return handled

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                self.feed.concurrency, thread_name_prefix=f"feed-{self.feed.name}"
            )
        return self._executor

    def _handle_unless_stopped(self, arrival: Arrival) -> bool:
        return False if self._stop.is_set() else self.handle(arrival)

    def handle(self, arrival: Arrival) -> bool:
        """Take one ready arrival through claim, delivery, settlement and move.

        A failure outside the delivery (the claim's row, the move: a name the database will
        not store, `done/` not writable) is this arrival's alone: it is noted and logged, the
        file stays where it is, and the feed goes on with the others."""
        try:
            return self._handle(arrival)
        except Exception as exc:
            reason = f"{arrival.primary.name!r}: {type(exc).__name__}: {exc}"
            log.warning("feed %s: %s", self.feed.name, reason)
            self._note_error(reason)
            with self._lock:
                self.progress.last = f"{arrival.primary.name!r}: failed ({exc})"
            return False

    def _handle(self, arrival: Arrival) -> bool:
        engine = self.catalogue.engine
        row = claims.claim(
            engine,
            self.feed.name,
            arrival.key,
            arrival.stem,
            self.owner,
            timedelta(seconds=self.feed.lease_seconds),
            arrival.arrived_at,
        )
        if row is None:
            done = claims.finished(engine, self.feed.name, arrival.key)
            if done is not None:  # settled before a crash or by a replica: only the move is left
                self._move(arrival, done.state, done.reason)
            return False
        if arrival.problem is not None:
            self._reject(arrival, row, arrival.problem)
            return True
        try:
            delivered = deliver(self.catalogue, self.feed, self.source, arrival)
        except FileNotFoundError:
            return False  # gone before we read it (a replica moved it): its claim lapses
        except (Rejected, *PERMANENT) as exc:
            self._reject(arrival, row, str(exc))
            return True
        except Exception as exc:
            self._retry(arrival, row, exc)
            return True
        self._succeed(arrival, row, delivered)
        return True

    def _succeed(self, arrival: Arrival, row: FeedItem, delivered: Delivered) -> None:
        settled = claims.settle(
            self.catalogue.engine,
            row,
            "done",
            outcome=delivered.outcome,
            asset_id=delivered.asset_id,
            item_ref=delivered.item_ref,
            count_as="ingested",
        )
        if not settled:
            return  # our lease ran out and another worker took over: it settles and moves
        self._move(arrival, "done", None)
        lag = (utcnow() - arrival.arrived_at).total_seconds()
        metrics.count(self.feed.name, "ingested")
        metrics.observe_lag(self.feed.name, lag)
        with self._lock:
            self.progress.ingested += 1
            self.progress.lags.append(lag)
            self.progress.last = f"{arrival.primary.shown}: {delivered.outcome}"
        log.info(
            "feed %s: %s %s",
            self.feed.name,
            arrival.primary.shown,
            delivered.outcome,
            extra={"fields": {"asset": delivered.asset_id, "lag_s": round(lag, 3)}},
        )

    def _reject(self, arrival: Arrival, row: FeedItem, reason: str) -> None:
        reason = printable(reason)
        if not claims.settle(
            self.catalogue.engine, row, "rejected", reason=reason, count_as="rejected"
        ):
            return
        self._move(arrival, "rejected", reason)
        metrics.count(self.feed.name, "rejected")
        with self._lock:
            self.progress.rejected += 1
            self.progress.last = f"{arrival.primary.shown}: rejected ({reason})"
        log.warning("feed %s: %s rejected: %s", self.feed.name, arrival.primary.shown, reason)

    def _retry(self, arrival: Arrival, row: FeedItem, exc: Exception) -> None:
        reason = printable(f"{type(exc).__name__}: {exc}")
        if row.attempts + 1 >= self.feed.max_attempts:
            self._reject(arrival, row, f"gave up after {row.attempts + 1} attempts: {reason}")
            return
        delay = timedelta(seconds=self.feed.retry_base_seconds * 2**row.attempts)
        claims.retry_later(self.catalogue.engine, row, reason, min(delay, timedelta(minutes=5)))
        metrics.count(self.feed.name, "retried")
        self._note_error(reason, field="retried")
        with self._lock:
            self.progress.retried += 1
            self.progress.last = f"{arrival.primary.shown}: will retry ({reason})"
        log.warning(
            "feed %s: %s will be retried: %s", self.feed.name, arrival.primary.shown, reason
        )

    def _note_error(self, reason: str, field: str = "") -> None:
        try:
            claims.count(self.catalogue.engine, self.feed.name, field, error=reason)
        except Exception:  # the database is what failed: the log line is all we can do
            log.exception("feed %s: cannot record the error", self.feed.name)

    def _move(self, arrival: Arrival, state: str, reason: str | None) -> None:
        to = "done" if state == "done" else "rejected"
        if arrival.sidecar is not None:
            self.source.finish(arrival.sidecar, to, reason if arrival.picture is None else None)
        if arrival.picture is not None:
            self.source.finish(arrival.picture, to, reason)

    def _renditions(self, entry: Entry) -> list[str]:
        try:
            return read_sidecar(entry.name, self.source.read(entry, MAX_SIDECAR_BYTES)).renditions
        except Exception:  # unreadable: it goes alone, and its delivery says why
            return []


class FeedWorkers:
    """Every configured feed, each on its own thread (inside `serve`, or `rightsdesk watch`)."""

    def __init__(self, catalogue: Catalogue, feeds: list[FeedConfig], **options: object) -> None:
        self.runners = [FeedRunner(catalogue, feed, **options) for feed in feeds]  # type: ignore[arg-type]
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for runner in self.runners:
            thread = threading.Thread(
                target=runner.run, daemon=True, name=f"feed-{runner.feed.name}"
            )
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        for runner in self.runners:
            runner.stop()
        for thread in self.threads:
            thread.join(timeout=10)
