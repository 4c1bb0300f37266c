"""Blob storage, content-addressed by sha256: a stored blob is never rewritten or corrupted.

Two implementations share one protocol: `LocalBlobStore` (a folder, the embedded default) and
`assets.blobs_s3.S3BlobStore` (S3-compatible object storage, for several API replicas).
Both write conditionally: the first writer of a digest wins and every later writer is told
"already stored", so replicas racing on the same bytes cannot clobber each other.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from rights.errors import RightsdeskError

HEX = frozenset("0123456789abcdef")


class BlobError(RightsdeskError):
    """Base of the blob store's errors."""


class BlobNotFound(BlobError, LookupError):
    """The catalogue names a blob the store does not have (run `rightsdesk fsck`)."""


class BlobStoreUnavailable(BlobError):
    """The blob store cannot be reached or refused the request; retry, then check its settings."""


def check_digest(sha256: str) -> str:
    """`sha256` if it is a lowercase hex sha256 digest, else ValueError (keys are never paths)."""
    if len(sha256) != 64 or not HEX.issuperset(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return sha256


class BlobStore(Protocol):
    """Where image bytes live. Keys are lowercase hex sha256 digests."""

    def put_file(self, sha256: str, path: Path) -> bool:
        """Store the file at `path` (which may be moved away) under `sha256`.

        Returns False when the blob was already stored; an existing blob is never replaced.
        """
        ...

    def get(self, sha256: str) -> bytes:
        """The stored bytes; BlobNotFound when there are none."""
        ...

    def stream(self, sha256: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        """The blob in chunks, for downloads that must not hold a large file in memory.

        Raises BlobNotFound before the first chunk, so a response can still become a 404.
        """
        ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove the blob; removing a blob that is not there is not an error."""
        ...

    def keys(self, older_than: timedelta | None = None) -> Iterator[str]:
        """Every stored digest, lazily (the store may hold millions).

        With `older_than`, only blobs stored at least that long ago: a blob another replica
        has just stored may not have its catalogue row yet, and an orphan sweep must spare it.
        """
        ...

    def reachable(self) -> bool:
        """Whether the store answers now (for /readyz); never raises, never hangs for long."""
        ...


class LocalBlobStore:
    """Blobs as files under `root/ab/cd/<sha256>`, published with a hard link (no overwrite)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / "tmp"
        self.staging.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def staging_file(self) -> tuple[int, Path]:
        """A temp file on the same filesystem, so the final link is atomic."""
        fd, name = tempfile.mkstemp(dir=self.staging, prefix="upload-")
        return fd, Path(name)

    def put_file(self, sha256: str, path: Path) -> bool:
        target = self.path_of(sha256)
        if target.exists():
            # refresh its age: `fsck` must not take it for an old orphan before our row commits
            with contextlib.suppress(FileNotFoundError):
                os.utime(target)
            if target.exists():
                return False
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            stored = _publish(path, target)
        except OSError:  # not the same filesystem: copy beside the blobs first
            fd, staged = self.staging_file()
            try:
                with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                try:
                    stored = _publish(staged, target)
                except OSError:  # a filesystem without hard links: rename (same bytes anyway)
                    stored = not target.exists()
                    if stored:
                        os.replace(staged, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    staged.unlink()
        if stored:
            _fsync_dir(target.parent)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # the spool file is consumed
        return stored

    def get(self, sha256: str) -> bytes:
        try:
            return self.path_of(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(sha256) from exc

    def stream(self, sha256: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        try:
            handle = self.path_of(sha256).open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(sha256) from exc
        return _chunks_of(handle, chunk)

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_of(sha256).unlink()

    def keys(self, older_than: timedelta | None = None) -> Iterator[str]:
        cutoff = time.time() - older_than.total_seconds() if older_than is not None else None
        for path in self.root.glob("??/??/*"):
            if len(path.name) != 64 or not HEX.issuperset(path.name):
                continue
            if cutoff is not None:
                try:
                    if path.stat().st_mtime > cutoff:
                        continue
                except FileNotFoundError:  # deleted while we listed
                    continue
            yield path.name

    def reachable(self) -> bool:
        return self.root.is_dir() and os.access(self.root, os.W_OK)


def _chunks_of(handle: BinaryIO, chunk: int) -> Iterator[bytes]:
    with handle:
        while data := handle.read(chunk):
            yield data


def _publish(source: Path, target: Path) -> bool:
    """Link `source` as `target` unless `target` exists: atomic, and never replaces a blob."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    return True


def _fsync_dir(directory: Path) -> None:
    """Make the link itself durable, so a crash never leaves a row without its blob."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
