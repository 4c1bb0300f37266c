"""Deliver outbox notices (kills) to the newsroom's webhook, with retries.

Notices are written in the same transaction as the change, so none is lost; a worker posts
each one until the receiver answers 2xx, backing off between attempts. On PostgreSQL rows
are claimed with SKIP LOCKED, so several replicas never deliver the same notice at once.

Every delivery is signed: `X-Rightsdesk-Signature: sha256=<hex>` is the HMAC-SHA256, keyed
with RIGHTSDESK_WEBHOOK_SECRET, of `<timestamp>.<body>`, where the timestamp (Unix seconds)
is sent as `X-Rightsdesk-Timestamp`. A receiver that recomputes it over the exact bytes it
received and refuses old timestamps can trust the notice and is safe from replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assets.clock import utcnow
from assets.tables import OutboxMessage

log = logging.getLogger("rightsdesk.outbox")

MAX_BACKOFF = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... capped at five minutes."""
    return min(timedelta(seconds=2 ** min(attempts - 1, 16)), MAX_BACKOFF)


SIGNATURE_HEADER = "X-Rightsdesk-Signature"
TIMESTAMP_HEADER = "X-Rightsdesk-Timestamp"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_request(
    secret: str, kind: str, payload: dict[str, object]
) -> tuple[bytes, dict[str, str]]:
    """The exact body to post and its headers, signature included."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    return body, {
        "Content-Type": "application/json",
        "X-Rightsdesk-Event": kind,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def deliver_due(
    engine: Engine,
    url: str,
    client: httpx.Client,
    secret: str,
    now: datetime | None = None,
    batch: int = 20,
) -> int:
    """One pass: post every due notice once. Returns how many were delivered."""
    now = now or utcnow()
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
                body, headers = signed_request(
                    secret, message.kind, {"id": message.id, **message.payload}
                )
                response = client.post(url, content=body, headers=headers)
                ok = 200 <= response.status_code < 300
                error = None if ok else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                ok, error = False, f"{type(exc).__name__}: {exc}"
            message.attempts += 1
            if ok:
                message.delivered_at = utcnow()
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

    def __init__(self, engine: Engine, url: str, secret: str, interval: float = 1.0) -> None:
        if not secret:
            raise ValueError("webhook deliveries are signed: set RIGHTSDESK_WEBHOOK_SECRET")
        self.engine = engine
        self.url = url
        self.secret = secret
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
                    deliver_due(self.engine, self.url, client, self.secret)
                except Exception:  # keep the worker alive through database hiccups
                    log.exception("webhook worker pass failed")
                self._stop.wait(self.interval)
