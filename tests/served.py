"""`rightsdesk serve` as a real subprocess on 127.0.0.1, for tests that talk HTTP to it."""

from __future__ import annotations

import os
import signal
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

from tests.s3_server import free_port

REPO = Path(__file__).resolve().parents[1]


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
                [
                    sys.executable,
                    "-m",
                    "api.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    *extra,
                ],
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
