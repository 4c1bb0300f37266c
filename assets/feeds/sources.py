"""Where arrivals come from: a local folder or an S3 prefix, seen through one interface.

A source lists what is waiting (`scan`), reads it, and moves it out of the way once the
catalogue has it (`finish`: to `done/`, or to `rejected/` beside a `<name>.reason.txt`).
Moves are the last step of an arrival and idempotent: a worker that crashed before its move
finishes it on restart, and a replica that lost the race to move finds nothing to move.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, BinaryIO, Protocol

from assets.feeds.config import FeedConfig

if TYPE_CHECKING:
    from botocore.response import StreamingBody
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CopySourceTypeDef

CHUNK = 1 << 20
# names a writer uses while a file is incomplete; picked up only once renamed
TEMPORARY_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", ".filepart", ".reason.txt")


@dataclass(frozen=True, slots=True)
class Entry:
    """One file or object waiting: its name, identity (`key`), size and arrival time."""

    name: str
    key: str
    size: int
    arrived_at: datetime
    complete: bool
    # a folder's file as seen: (size, mtime_ns, inode); reads and moves act only on this file
    seen_as: tuple[int, int, int] | None = None
    etag: str | None = None  # an object as seen: reads and moves act only on this version

    @property
    def shown(self) -> str:
        """The name as logs and progress lines show it (`printable`)."""
        return printable(self.name)


def printable(text: str) -> str:
    """`text` as logs, progress lines and reason files show it: bytes of a name that is not
    UTF-8 (kept as lone surrogates) become escapes, so no log handler or terminal chokes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Changed(FileNotFoundError):
    """The name now holds another file than the one seen (renamed over, swapped for a link,
    still being written): this arrival is gone, the new file is an arrival of its own."""


class Source(Protocol):
    def scan(self) -> list[Entry]: ...
    def chunks(self, entry: Entry) -> Iterator[bytes]: ...
    def read(self, entry: Entry, limit: int) -> bytes: ...
    def finish(self, entry: Entry, to: str, reason: str | None = None) -> None: ...
    def wait(self, timeout: float) -> None: ...
    def close(self) -> None: ...


def waiting(name: str) -> bool:
    """Whether a name is one a feed leaves alone: hidden, or still being written."""
    lower = name.lower()
    return name.startswith(".") or lower.endswith(TEMPORARY_SUFFIXES)


def open_source(feed: FeedConfig) -> Source:
    if feed.is_s3:
        return S3Source(feed)
    return FolderSource(feed)


class FolderSource:
    """A watched folder (its top level). inotify (watchfiles) wakes the worker as soon as
    something changes; a scan every `poll_seconds` is the fallback where inotify is missing
    (network file systems) or overflows."""

    def __init__(self, feed: FeedConfig, *, use_inotify: bool | None = None) -> None:
        self.root = Path(feed.source)
        self.settle = feed.settle_seconds
        self.done = Path(feed.done) if feed.done else self.root / "done"
        self.rejected = Path(feed.rejected) if feed.rejected else self.root / "rejected"
        for folder in (self.root, self.done, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)
        # done/ and rejected/ as made or configured: one the sender swaps for a link (to
        # another feed's folder, say) is never written to
        self._folders = {f: _identity(f) for f in (self.done, self.rejected)}
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._last: dict[str, tuple[int, int]] = {}
        self._watcher: threading.Thread | None = None
        if feed.inotify if use_inotify is None else use_inotify:
            self._watcher = threading.Thread(target=self._watch, daemon=True, name="feed-watch")
            self._watcher.start()

    def _watch(self) -> None:
        try:
            import watchfiles
        except ImportError:  # polling alone
            return
        try:
            for _changes in watchfiles.watch(
                self.root,
                stop_event=self._stop,
                recursive=False,
                debounce=50,
                step=20,
                raise_interrupt=False,
            ):
                self._changed.set()
        except Exception:  # inotify unavailable or exhausted: the poll still finds everything
            return

    def scan(self) -> list[Entry]:
        now = time.time()
        entries = []
        seen: dict[str, tuple[int, int]] = {}
        with os.scandir(self.root) as listing:
            for item in listing:
                if waiting(item.name):
                    continue
                try:
                    if not item.is_file(follow_symlinks=False):
                        continue
                    stat = item.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                shape = (stat.st_size, stat.st_mtime_ns)
                seen[item.name] = shape
                identity = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
                age = now - stat.st_mtime
                # unchanged since the last look and quiet for `settle`, or long quiet already
                complete = age >= self.settle and (
                    self._last.get(item.name) == shape or age >= 2 * self.settle
                )
                entries.append(
                    Entry(
                        name=item.name,
                        # the inode tells apart two files of one name, size and time
                        key=f"{item.name}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}",
                        size=stat.st_size,
                        arrived_at=datetime.fromtimestamp(stat.st_mtime, UTC),
                        complete=complete,
                        seen_as=identity,
                    )
                )
        self._last = seen
        return entries

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        with self._open(entry) as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
            _check_same(entry, os.fstat(handle.fileno()))  # not written to while read

    def read(self, entry: Entry, limit: int) -> bytes:
        with self._open(entry) as handle:
            data = handle.read(limit + 1)
            _check_same(entry, os.fstat(handle.fileno()))
            return data

    def _open(self, entry: Entry) -> BinaryIO:
        """The file that was seen, never what a link points at, never a pipe that blocks."""
        try:
            fd = os.open(self.root / entry.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO):
                raise Changed(f"{entry.name} is no longer a plain file") from exc
            raise
        handle = os.fdopen(fd, "rb")
        try:
            _check_same(entry, os.fstat(fd))
        except BaseException:
            handle.close()
            raise
        return handle

    def finish(self, entry: Entry, to: str, reason: str | None = None) -> None:
        folder = self.done if to == "done" else self.rejected
        self._check_folder(folder)
        source = self.root / entry.name
        try:
            _check_same(entry, os.lstat(source))
        except (Changed, FileNotFoundError):
            return  # moved already (a replica, a crash), or the name holds a newer arrival
        target = _free_name(folder, entry)
        if reason is not None:
            _write_atomically(
                folder / f"{target.name}.reason.txt", reason.encode("utf-8", "backslashreplace")
            )
        with contextlib.suppress(FileNotFoundError):
            os.replace(source, target)

    def _check_folder(self, folder: Path) -> None:
        """Make `folder` again if it was removed; refuse it if something else took its place."""
        if not os.path.lexists(folder):
            folder.mkdir(parents=True, exist_ok=True)
            self._folders[folder] = _identity(folder)
        if _identity(folder) != self._folders[folder]:
            raise PermissionError(
                f"{folder} is no longer the folder the feed made (replaced, or a link):"
                " files are left where they are until it is put back"
            )

    def wait(self, timeout: float) -> None:
        self._changed.wait(timeout)
        self._changed.clear()

    def close(self) -> None:
        self._stop.set()
        self._changed.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)


def _identity(folder: Path) -> tuple[int, int, bool]:
    stat = os.lstat(folder)
    return (stat.st_dev, stat.st_ino, os.path.islink(folder))


def _check_same(entry: Entry, stat: os.stat_result) -> None:
    if entry.seen_as is None:
        return
    if not S_ISREG(stat.st_mode) or (stat.st_size, stat.st_mtime_ns, stat.st_ino) != entry.seen_as:
        raise Changed(f"{entry.name} changed since it was seen; it is taken again as new")


def _free_name(folder: Path, entry: Entry) -> Path:
    """`folder/name`, or a name told apart when that is taken: a file already in `done/` or
    `rejected/` is never overwritten."""
    return folder / _free_name_in(
        entry, lambda name: (folder / name).exists() or (folder / name).is_symlink()
    )


def _free_name_in(entry: Entry, taken: Callable[[str], bool]) -> str:
    """The entry's name, or one told apart by its identity (and a number) while `taken`."""
    name = entry.name
    tag = hashlib.sha256(entry.key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    stem, dot, suffix = entry.name.rpartition(".")
    number = 0
    while taken(name):
        number += 1
        marked = f"{tag}-{number}" if number > 1 else tag
        name = f"{stem}.{marked}.{suffix}" if dot else f"{entry.name}.{marked}"
    return name


def _write_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


class S3Source:
    """A watched S3 prefix (its top level). An object is whole the moment it is listed, so
    it is complete at once unless its name says it is still being written (`.part`)."""

    def __init__(self, feed: FeedConfig, client: S3Client | None = None) -> None:
        from assets.blobs_s3 import make_client, parse_s3_url

        self.bucket, self.prefix = parse_s3_url(feed.source)
        self.client = client or make_client()
        self.done = self._folder(feed.done, "done/")
        self.rejected = self._folder(feed.rejected, "rejected/")
        self.poll = feed.poll_seconds
        self._stop = threading.Event()

    def _folder(self, configured: str | None, default: str) -> str:
        if configured:
            return configured.strip("/") + "/"
        return f"{self.prefix}{default}"

    def scan(self) -> list[Entry]:
        entries = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"
        )
        for page in pages:
            for obj in page.get("Contents", []):
                name = obj["Key"][len(self.prefix) :]
                if not name or waiting(name):
                    continue
                etag = obj.get("ETag", "").strip('"')
                entries.append(
                    Entry(
                        name=name,
                        key=f"{name}|{etag}",
                        size=obj.get("Size", 0),
                        arrived_at=obj["LastModified"].astimezone(UTC),
                        complete=True,
                        etag=obj.get("ETag") or None,
                    )
                )
        return entries

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        body = self._get(entry)
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def _get(self, entry: Entry) -> StreamingBody:
        """The object as it was listed: one put over it since is an arrival of its own."""
        from botocore.exceptions import ClientError

        key = self.prefix + entry.name
        try:
            if entry.etag:
                return self.client.get_object(Bucket=self.bucket, Key=key, IfMatch=entry.etag)[
                    "Body"
                ]
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("PreconditionFailed", "412"):
                raise Changed(f"{entry.name} changed since it was listed") from exc
            if code in ("NoSuchKey", "404"):
                raise FileNotFoundError(entry.name) from exc
            raise

    def read(self, entry: Entry, limit: int) -> bytes:
        body = self._get(entry)
        try:
            data: bytes = body.read(limit + 1)
            return data
        finally:
            body.close()

    def finish(self, entry: Entry, to: str, reason: str | None = None) -> None:
        from botocore.exceptions import ClientError

        folder = self.done if to == "done" else self.rejected
        source_key = self.prefix + entry.name
        target = self._free_key(folder, entry)
        if reason is not None:
            self.client.put_object(
                Bucket=self.bucket,
                Key=f"{target}.reason.txt",
                Body=reason.encode("utf-8", "backslashreplace"),
            )
        copied: CopySourceTypeDef = {"Bucket": self.bucket, "Key": source_key}
        try:
            if entry.etag and self._etag(source_key) != entry.etag:
                return  # a newer object under the name (CopySourceIfMatch closes the gap)
            if entry.etag:
                self.client.copy_object(
                    Bucket=self.bucket, Key=target, CopySource=copied, CopySourceIfMatch=entry.etag
                )
            else:
                self.client.copy_object(Bucket=self.bucket, Key=target, CopySource=copied)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("NoSuchKey", "404", "PreconditionFailed", "412"):
                return  # moved already, or a newer object under the name: an arrival of its own
            raise
        self.client.delete_object(Bucket=self.bucket, Key=source_key)

    def _etag(self, key: str) -> str | None:
        """The object's ETag now (None when it is gone)."""
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=key).get("ETag")
        except ClientError:
            return None

    def _free_key(self, folder: str, entry: Entry) -> str:
        """`folder + name`, or a name told apart when that is taken: nothing is overwritten."""

        return folder + _free_name_in(entry, lambda name: self._etag(folder + name) is not None)

    def wait(self, timeout: float) -> None:
        self._stop.wait(min(timeout, self.poll))

    def close(self) -> None:
        self._stop.set()
