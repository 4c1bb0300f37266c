"""The feeds' Prometheus metrics, per feed: files seen, ingested, rejected, retried, and the
lag from a file's arrival (its time in the folder or bucket) to its place in the catalogue.

They live in the process that runs the feed (`serve` with feeds, or `rightsdesk watch
--metrics-port`); GET /v1/feeds shows the same counts from the database for every process.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

FILES = Counter(
    "rightsdesk_feed_files",
    "Files of an agency feed, by what became of them (seen, ingested, rejected, retried).",
    ["feed", "event"],
)
LAG = Histogram(
    "rightsdesk_feed_lag_seconds",
    "Time from a file's arrival in the watched folder or prefix to its asset in the catalogue.",
    ["feed"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)


def count(feed: str, event: str) -> None:
    FILES.labels(feed=feed, event=event).inc()


def observe_lag(feed: str, seconds: float) -> None:
    LAG.labels(feed=feed).observe(max(seconds, 0.0))
