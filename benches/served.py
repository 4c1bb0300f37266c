"""The server a bench measures: a free port, and waiting until the started process answers.

Each bench starts the server its own way (uvicorn with several workers, or `rightsdesk serve`
as a newsroom runs it); this is what they all do around that."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(
    process: subprocess.Popen[bytes], base: str, log: Path, path: str = "/healthz"
) -> None:
    """Return once `base + path` answers 200; stop the bench, with the server log's tail, when
    the process exits or 90 s pass (a busy machine can take long over a worker's imports)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{base}{path}", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    if process.poll() is None:
        process.terminate()
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise SystemExit(f"the server at {base} did not become ready (see {log}):\n{tail}")
