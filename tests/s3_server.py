"""A real S3-compatible server for tests: moto's standalone server on 127.0.0.1, a free port.

Not a mock of boto3: the code under test talks HTTP to a separate process, as it would to
AWS S3 or MinIO. Start it with `with moto_server() as endpoint: ...`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import httpx

from tests.served import free_port

__all__ = ["free_port"]  # re-exported for the S3 tests

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "rightsdesk-test",
    "AWS_SECRET_ACCESS_KEY": "rightsdesk-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def aws_environment(endpoint: str) -> dict[str, str]:
    """The variables an operator would set to point rightsdesk (boto3) at this server."""
    return {"AWS_ENDPOINT_URL": endpoint, **CREDENTIALS}


@contextmanager
def moto_server(timeout: float = 20) -> Iterator[str]:
    """Run `python -m moto.server` until the block ends; yields its endpoint URL."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    # its request log goes to a file: a pipe nobody reads would fill up and stall the server
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **CREDENTIALS},
        )
        try:
            _wait_until_answering(process, endpoint, log, timeout)
            yield endpoint
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_answering(
    process: subprocess.Popen[bytes], endpoint: str, log: IO[bytes], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            error = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"moto server exited with {process.returncode}: {error}")
        try:
            if httpx.get(f"{endpoint}/moto-api/", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"moto server did not answer on {endpoint} within {timeout}s")
        time.sleep(0.1)


def s3_client(endpoint: str) -> S3Client:
    """A boto3 client for this server, independent of the process environment."""
    import boto3

    client: S3Client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    return client


def new_bucket(endpoint: str) -> str:
    """Create an empty bucket with a fresh name on the server and return the name."""
    name = f"rightsdesk-{secrets.token_hex(6)}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name
