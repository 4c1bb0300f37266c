"""A newsroom's webhook receiver, as the tests play it: it verifies every delivery with the
snippet our publishing-hook guide gives, and refuses the first one that verifies, so the
outbox's retry is exercised each time."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

WEBHOOK_SECRET = "a-secret-the-newsroom-shares-with-rightsdesk"


def documented_verify() -> Callable[..., bool]:
    """The verification snippet of docs/publishing-hook.md, run as a receiver would."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "publishing-hook.md").read_text()
    [snippet] = [b for b in re.findall(r"```python\n(.*?)```", guide, re.S) if "def verify" in b]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)  # our own documentation, run as a receiver would
    verify: Callable[..., bool] = namespace["verify"]
    return verify


@dataclass
class Deliveries:
    """What the receiver saw: bodies accepted, bodies refused for their signature, and how
    many verified deliveries it still means to refuse with a 503."""

    received: list[dict] = field(default_factory=list)
    refused: list[bytes] = field(default_factory=list)
    failures_left: int = 1


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        seen: Deliveries = self.server.deliveries  # type: ignore[attr-defined]
        verify: Callable[..., bool] = self.server.verify  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        if not verify(WEBHOOK_SECRET.encode(), self.headers, raw):
            seen.refused.append(raw)
            self.send_response(401)
        elif seen.failures_left > 0:
            seen.failures_left -= 1
            self.send_response(503)
        else:
            seen.received.append(json.loads(raw))
            self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return


@contextmanager
def webhook_receiver(path: str) -> Iterator[tuple[str, Deliveries]]:
    """A receiver on a free port: its URL (ending in `path`) and what it saw."""
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    server.deliveries = seen = Deliveries()  # type: ignore[attr-defined]
    server.verify = documented_verify()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}", seen
    finally:
        server.shutdown()
