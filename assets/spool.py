"""Receive an upload into a temp file while hashing it, so memory stays flat for large files."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assets.errors import EmptyUpload, UploadTooLarge

CHUNK = 1 << 20


@dataclass
class Spooled:
    """A received file: where it is, its sha256 and size. Remove it with `discard()`."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class _Writer:
    def __init__(self, directory: Path, limit: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="spool-")
        self.handle = os.fdopen(fd, "wb")
        self.path = Path(name)
        self.digest = hashlib.sha256()
        self.size = 0
        self.limit = limit

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.abort()
            raise UploadTooLarge(
                f"the file is larger than the {self.limit // (1024 * 1024)} MB upload limit;"
                " send a smaller file or raise RIGHTSDESK_MAX_UPLOAD_BYTES"
            )
        self.digest.update(chunk)
        self.handle.write(chunk)

    def abort(self) -> None:
        self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def finish(self) -> Spooled:
        self.handle.flush()
        self.handle.close()
        if self.size == 0:
            self.path.unlink()
            raise EmptyUpload("the file is empty; send the image bytes in the `file` field")
        return Spooled(self.path, self.digest.hexdigest(), self.size)


def spool(chunks: Iterable[bytes], directory: Path, limit: int) -> Spooled:
    writer = _Writer(directory, limit)
    try:
        for chunk in chunks:
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return writer.finish()
