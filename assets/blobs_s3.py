"""Blobs in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, ...) through boto3.

Selected with `RIGHTSDESK_BLOBS=s3://bucket/prefix`. Endpoint, region and credentials come
from the usual AWS sources (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, ~/.aws, instance roles), read by boto3 itself.

Why replicas cannot corrupt each other:
- every write is `PutObject` with `If-None-Match: *`: the store creates the key only if it
  does not exist yet, so the first writer of a digest wins and later writers get
  412 Precondition Failed, which `put_file` reports as "already stored";
- the key is the sha256 of the bytes and the request carries `x-amz-checksum-sha256`, so a
  store that verifies checksums (AWS S3, MinIO) refuses bytes that do not hash to their key;
- even on a store that ignored both headers, two writers of one key send the same bytes
  (content addressing), so the object could only be replaced by an identical copy.
"""

from __future__ import annotations

import base64
import functools
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from assets.blobs import HEX, BlobNotFound, BlobStoreUnavailable, check_digest
from assets.clock import utcnow

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# A single PutObject carries at most 5 GiB; uploads are far smaller (RIGHTSDESK_MAX_UPLOAD_BYTES).
MAX_SINGLE_PUT = 5 * 1024**3
_CONFLICT_RETRIES = 5


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix/"); the prefix may be empty."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(
            f"not an S3 location: {url!r}; write it as s3://bucket or s3://bucket/prefix"
        )
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def make_client(
    *, connect_timeout: float = 5, read_timeout: float = 60, attempts: int = 5
) -> S3Client:
    """A thread-safe S3 client configured from the environment (endpoint, region, keys)."""
    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"max_attempts": attempts, "mode": "standard"},
        max_pool_connections=64,  # FastAPI runs sync routes on a pool of 40 threads
    )
    with _SESSION_LOCK:  # creating clients from one session is not thread-safe
        client: S3Client = _session().client("s3", config=config)
    return client


_SESSION_LOCK = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    """One boto3 session per process: it caches the service models, so clients come quickly."""
    return boto3.session.Session()


class S3BlobStore:
    """Blobs as objects `<prefix><sha256>` in one bucket, written only if absent."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        client: S3Client | None = None,
        probe_client: S3Client | None = None,
        page_size: int = 1000,
    ) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.client = client or make_client()
        # /readyz must answer fast even when the store is down: short timeouts, no retries
        self.probe_client = probe_client or (
            make_client(connect_timeout=2, read_timeout=2, attempts=1) if client is None else client
        )
        self.page_size = page_size

    @classmethod
    def from_url(cls, url: str) -> S3BlobStore:
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix)

    def __repr__(self) -> str:
        return f"S3BlobStore('s3://{self.bucket}/{self.prefix}')"

    def key_of(self, sha256: str) -> str:
        return self.prefix + check_digest(sha256)

    def put_file(self, sha256: str, path: Path) -> bool:
        key = self.key_of(sha256)
        size = path.stat().st_size
        if size > MAX_SINGLE_PUT:
            raise BlobStoreUnavailable(
                f"a {size}-byte file exceeds the 5 GiB single-request limit of S3;"
                " lower RIGHTSDESK_MAX_UPLOAD_BYTES"
            )
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode("ascii")
        for attempt in range(_CONFLICT_RETRIES):
            try:
                with path.open("rb") as body:  # streamed from disk, never read whole
                    self.client.put_object(
                        Bucket=self.bucket,
                        Key=key,
                        Body=body,
                        ContentLength=size,
                        ChecksumSHA256=checksum,
                        IfNoneMatch="*",
                    )
                return True
            except ClientError as exc:
                status = _status(exc)
                if status == 412:  # If-None-Match failed: another writer stored it first
                    return False
                if status == 409:  # a conditional write on this key is in flight elsewhere
                    if self.exists(sha256):
                        return False
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise self._unavailable("store", key, exc) from exc
            except BotoCoreError as exc:
                raise self._unavailable("store", key, exc) from exc
        if self.exists(sha256):
            return False
        raise BlobStoreUnavailable(
            f"s3://{self.bucket}/{key} kept reporting a concurrent write; retry the upload"
        )

    def get(self, sha256: str) -> bytes:
        return b"".join(self.stream(sha256))

    def stream(self, sha256: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        key = self.key_of(sha256)
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as exc:
            if _status(exc) == 404 or _code(exc) == "NoSuchKey":
                raise BlobNotFound(sha256) from exc
            raise self._unavailable("read", key, exc) from exc
        except BotoCoreError as exc:
            raise self._unavailable("read", key, exc) from exc
        return _body_chunks(body, chunk)

    def exists(self, sha256: str) -> bool:
        key = self.key_of(sha256)
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _status(exc) == 404:
                return False
            raise self._unavailable("look up", key, exc) from exc
        except BotoCoreError as exc:
            raise self._unavailable("look up", key, exc) from exc
        return True

    def delete(self, sha256: str) -> None:
        key = self.key_of(sha256)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise self._unavailable("delete", key, exc) from exc

    def keys(self, older_than: timedelta | None = None) -> Iterator[str]:
        cutoff = utcnow() - older_than if older_than is not None else None
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket,
            Prefix=self.prefix,
            PaginationConfig={"PageSize": self.page_size},
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"][len(self.prefix) :]
                    if len(name) != 64 or not HEX.issuperset(name):
                        continue
                    if cutoff is not None and item["LastModified"] > cutoff:
                        continue
                    yield name
        except (ClientError, BotoCoreError) as exc:
            raise self._unavailable("list", self.prefix, exc) from exc

    def reachable(self) -> bool:
        try:
            self.probe_client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError):
            return False
        return True

    def _unavailable(self, action: str, key: str, exc: Exception) -> BlobStoreUnavailable:
        return BlobStoreUnavailable(
            f"cannot {action} s3://{self.bucket}/{key}: {exc}; check AWS_ENDPOINT_URL,"
            " the credentials and that the bucket exists"
        )


def _body_chunks(body: Any, chunk: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk)
    finally:
        body.close()


def _status(exc: ClientError) -> int | None:
    status: Any = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if status is not None else None


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
