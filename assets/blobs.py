"""Blob storage, content-addressed by sha256: a stored blob is never rewritten or corrupted."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class BlobNotFound(LookupError):
    """The catalogue names a blob the store does not have (run `rightsdesk fsck`)."""


class BlobStore(Protocol):
    """Where image bytes live. Keys are lowercase hex sha256 digests."""

    def put_file(self, sha256: str, path: Path) -> bool:
        """Store the file at `path` (which may be moved away) under `sha256`.

        Returns False when the blob was already stored.
        """
        ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...

    def keys(self) -> Iterator[str]: ...

    def reachable(self) -> bool: ...


class LocalBlobStore:
    """Blobs as files under `root/ab/cd/<sha256>`, written to a temp file then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / "tmp"
        self.staging.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def staging_file(self) -> tuple[int, Path]:
        """A temp file on the same filesystem, so the final rename is atomic."""
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
            os.replace(path, target)  # same filesystem: atomic, and the spool file is consumed
        except OSError:
            fd, staged = self.staging_file()
            with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(staged, target)
        _fsync_dir(target.parent)
        return True

    def get(self, sha256: str) -> bytes:
        try:
            return self.path_of(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(sha256) from exc

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_of(sha256).unlink()

    def keys(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if len(path.name) == 64:
                yield path.name

    def reachable(self) -> bool:
        return self.root.is_dir() and os.access(self.root, os.W_OK)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable, so a crash never leaves a row without its blob."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
