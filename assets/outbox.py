"""Deliver outbox notices (kills) to the newsroom's webhook, with retries.

Notices are written in the same transaction as the change, so none is lost; a worker posts
each one until the receiver answers 2xx, backing off between attempts. On PostgreSQL rows
are claimed with SKIP LOCKED, so several replicas never deliver the same notice at once.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assets.tables import OutboxMessage

log = logging.getLogger("rightsdesk.outbox")

MAX_BACKOFF = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... capped at five minutes."""
    return min(timedelta(seconds=2 ** min(attempts - 1, 16)), MAX_BACKOFF)


def deliver_due(
    engine: Engine, url: str, client: httpx.Client, now: datetime | None = None, batch: int = 20
) -> int:
    """One pass: post every due notice once. Returns how many were delivered."""
    now = now or datetime.now(UTC)
    delivered = 0
    with Session(engine) as session:
        query = (
            select(OutboxMessage)
            .where(
                col(OutboxMessage.delivered_at).is_(None), col(OutboxMessage.next_attempt_at) <= now
            )
            .order_by(col(OutboxMessage.id))
            .limit(batch)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for message in session.exec(query).all():
            try:
                response = client.post(
                    url,
                    json={"id": message.id, **message.payload},
                    headers={"X-Rightsdesk-Event": message.kind},
                )
                ok = 200 <= response.status_code < 300
                error = None if ok else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                ok, error = False, f"{type(exc).__name__}: {exc}"
            message.attempts += 1
            if ok:
                message.delivered_at = datetime.now(UTC)
                delivered += 1
            else:
                message.last_error = error
                message.next_attempt_at = now + backoff(message.attempts)
                log.warning("webhook delivery of %s failed (%s); retrying", message.id, error)
            session.add(message)
        session.commit()
    return delivered


class WebhookWorker:
    """A daemon thread that keeps delivering while the service runs."""

    def __init__(self, engine: Engine, url: str, interval: float = 1.0) -> None:
        self.engine = engine
        self.url = url
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                try:
                    deliver_due(self.engine, self.url, client)
                except Exception:  # keep the worker alive through database hiccups
                    log.exception("webhook worker pass failed")
                self._stop.wait(self.interval)
