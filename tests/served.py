"""`rightsdesk serve` as a real subprocess on 127.0.0.1, for tests that talk HTTP to it.

`serving` runs servers for the length of a block; `Server` is one process a test starts, kills
(SIGKILL, as a power cut would) and starts again. Both take their port from `free_port`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve_command(port: int, *extra: str) -> list[str]:
    """`rightsdesk serve` on 127.0.0.1:`port`, run by this interpreter."""
    return [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]


@dataclass
class Served:
    url: str
    log: IO[bytes]

    def log_lines(self) -> list[str]:
        """What the server has written to stdout and stderr so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace").splitlines()


def cli(env: Mapping[str, str], *args: str) -> str:
    """Run `rightsdesk ARGS...` with `env`; its stdout (rich's messages go to stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"rightsdesk {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def serving(env: Mapping[str, str], *extra: str, timeout: float = 60) -> Iterator[Served]:
    """`rightsdesk serve` with `env` on a free port, until the block ends."""
    with serving_together([env], *extra, timeout=timeout) as (served,):
        yield served


@contextmanager
def serving_together(
    envs: Sequence[Mapping[str, str]], *extra: str, timeout: float = 60
) -> Iterator[list[Served]]:
    """One `rightsdesk serve` per environment, started at once (startup is slow-ish)."""
    with ExitStack() as stack:
        started: list[tuple[subprocess.Popen[bytes], Served]] = []
        for env in envs:
            port = free_port()
            log = stack.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                serve_command(port, *extra),
                cwd=REPO,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: workers go down with it
            )
            stack.callback(_stop, process)
            started.append((process, Served(f"http://127.0.0.1:{port}", log)))
        for process, served in started:
            _wait_until_healthy(process, served, timeout)
        yield [served for _, served in started]


def _wait_until_healthy(process: subprocess.Popen[bytes], served: Served, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tail = "\n".join(served.log_lines()[-30:])
            raise RuntimeError(f"rightsdesk serve exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"rightsdesk serve did not answer on {served.url} in {timeout}s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cli_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(data_dir), **extra}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Server:
    """One server process; `start()` waits until /healthz answers, `kill()` is SIGKILL."""

    def __init__(self, data_dir: Path, database_url: str | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.env = cli_env(data_dir, database_url, **env)
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"server-{self.data_dir.name}-{self.starts}.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def admin_key(self) -> str:
        return (self.data_dir / "admin-key.txt").read_text().strip()

    def start(self, timeout: float = 30.0) -> Server:
        self.starts += 1
        self.port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                serve_command(self.port),
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what a power cut does to the process."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
