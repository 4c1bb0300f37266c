"""Renditions: make each stored file's thumbnail and preview once, keep them, find them.

A rendition is a blob like any other (content-addressed, so its sha256 is its ETag) and a
`rendition` row says which blob was drawn from which source, by which drawing `VERSION`.
They are made by the server's drawer after an upload (assets.drawer) or on the first
request, whichever comes first, and never again for the same bytes (`rightsdesk renditions
--force` makes them anew).

Several requests, threads or replicas asking at once cannot corrupt anything and nobody
waits forever:
- within a process one thread draws a source and the others wait for it, at most `wait`
  seconds; at most `DRAWING_SLOTS` pictures are decoded at once, which bounds memory;
- across replicas two may draw the same source; each stores its blob with the store's
  conditional write (identical bytes are one blob) and inserts the row, and the loser of
  that insert serves the winner's row; a blob left unnamed is an orphan `fsck` removes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from assets.blobs import BlobNotFound, BlobStore, LocalBlobStore
from assets.db import session_scope
from assets.rendering import Drawn, Undrawable, draw, placeholder
from assets.tables import Asset, Rendition

log = logging.getLogger("rightsdesk.renditions")

VERSION = 1
"""The drawing recipe. Raise it when `assets.rendering` changes what it draws: every
rendition is then made again on its next request (or by `rightsdesk renditions`)."""

DRAWING_SLOTS = max(1, min(4, os.cpu_count() or 1))
DEFAULT_WAIT = 30.0


class Kind(StrEnum):
    """The sizes the desk shows: a grid thumbnail and a detail-page preview."""

    THUMB = "thumb"
    PREVIEW = "preview"

    @property
    def size(self) -> int:
        """Longest side in pixels."""
        return 256 if self is Kind.THUMB else 1200


NO_PREVIEW = "NO PREVIEW"
KILLED = "KILLED"
PURGED = "PURGED"


class RenditionBusy(Exception):
    """Drawing did not finish within the wait; the client should ask again shortly."""


@dataclass(frozen=True)
class Found:
    """What to serve for one asset and kind: a stored blob, or a placeholder card."""

    etag: str
    media_type: str
    blob: str | None = None
    placeholder: bytes | None = None
    warning: str | None = None

    def body(self, blobs: BlobStore) -> bytes:
        """The image bytes (BlobNotFound if the blob vanished since it was found)."""
        if self.placeholder is not None:
            return self.placeholder
        assert self.blob is not None
        return blobs.get(self.blob)


def lookup(engine: Engine, asset: Asset, kind: Kind) -> Found | None:
    """What to serve for `asset` if it is known without drawing; None when it must be drawn.

    Killed assets get the KILLED card whatever exists; a file that cannot be drawn gets
    the NO PREVIEW card and a warning."""
    if asset.status == "killed":
        return _card(kind, KILLED, "the asset is killed: its picture is not shown")
    if asset.status == "purged":
        return _card(kind, PURGED, "the asset is purged: its files are deleted")
    row = _row(engine, asset.sha256, kind)
    return None if row is None else _found(row, kind)


def find(
    engine: Engine, blobs: BlobStore, asset: Asset, kind: Kind, wait: float = DEFAULT_WAIT
) -> Found:
    """`lookup`, or the rendition made now if it was never made.

    Raises RenditionBusy when drawing takes longer than `wait`."""
    known = lookup(engine, asset, kind)
    if known is not None:
        return known
    return _found(make(engine, blobs, asset.sha256, wait=wait)[kind], kind)


def read(
    engine: Engine,
    blobs: BlobStore,
    asset: Asset,
    kind: Kind,
    found: Found | None = None,
    wait: float = DEFAULT_WAIT,
) -> tuple[Found, bytes]:
    """`found` (or `find`) and its bytes; a rendition whose blob has gone is made again once."""
    found = found or find(engine, blobs, asset, kind, wait)
    try:
        return found, found.body(blobs)
    except BlobNotFound:
        log.warning("rendition blob %s of %s is missing; drawing it again", found.blob, asset.id)
        forget(engine, asset.sha256)
        found = find(engine, blobs, asset, kind, wait)
        return found, found.body(blobs)


def make(
    engine: Engine,
    blobs: BlobStore,
    source_sha256: str,
    *,
    force: bool = False,
    wait: float = DEFAULT_WAIT,
) -> dict[Kind, Rendition]:
    """Make (or with `force`, remake) every kind for one source; returns the rows.

    Exceptions other than RenditionBusy are the store or database failing (the source
    blob missing included): nothing is recorded then, and the next request tries again.
    """
    with _drawing(source_sha256, wait) as leader:
        if leader:
            if force:
                forget(engine, source_sha256)
            else:
                rows = _rows(engine, source_sha256)
                if len(rows) == len(Kind):
                    return rows
            _draw_and_store(engine, blobs, source_sha256, wait)
    rows = _rows(engine, source_sha256)
    if len(rows) < len(Kind):
        raise RenditionBusy(f"the renditions of {source_sha256} could not be made in time")
    return rows


def make_quietly(engine: Engine, blobs: BlobStore, source_sha256: str) -> None:
    """Off the request path, after an upload: make the renditions, logging (never raising)
    what went wrong; the first request for them tries again."""
    try:
        make(engine, blobs, source_sha256)
    except RenditionBusy as exc:
        log.info("renditions of %s left for the first request: %s", source_sha256, exc)
    except Exception:
        log.exception("could not make the renditions of %s; the first request will", source_sha256)


def is_made(session: Session, source_sha256s: list[str]) -> set[str]:
    """Which of these sources have every kind at the current version."""
    if not source_sha256s:
        return set()
    rows = session.exec(
        select(Rendition.source_sha256, Rendition.kind).where(
            col(Rendition.source_sha256).in_(source_sha256s), Rendition.version == VERSION
        )
    ).all()
    kinds: dict[str, set[str]] = {}
    for sha, kind in rows:
        kinds.setdefault(sha, set()).add(kind)
    return {sha for sha, made in kinds.items() if len(made) == len(Kind)}


@dataclass
class Backfill:
    """What `backfill` did: counts of sources by outcome, and why the failures failed."""

    made: int = 0
    skipped: int = 0
    undrawable: int = 0
    failed: list[str] = field(default_factory=list)


def count_sources(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count(func.distinct(Asset.sha256)))).one())


def backfill(
    engine: Engine,
    blobs: BlobStore,
    *,
    force: bool = False,
    advance: Callable[[int], None] = lambda _n: None,
    batch: int = 200,
) -> Backfill:
    """Make the renditions of every stored file that lacks them (all of them with `force`).

    Walks the catalogue in pages by id, so it starts at once on millions of assets; calls
    `advance(1)` after each asset. A file that fails is reported and the walk goes on."""
    report = Backfill()
    after = ""
    while True:
        with Session(engine) as session:
            page = session.exec(
                select(Asset.id, Asset.sha256)
                .where(col(Asset.id) > after)
                .order_by(col(Asset.id))
                .limit(batch)
            ).all()
            done = set() if force else is_made(session, [sha for _id, sha in page])
        if not page:
            return report
        after = page[-1][0]
        for _asset_id, sha in page:
            _backfill_one(engine, blobs, sha, force=force, done=sha in done, report=report)
            advance(1)


def _backfill_one(
    engine: Engine, blobs: BlobStore, sha: str, *, force: bool, done: bool, report: Backfill
) -> None:
    if done:
        report.skipped += 1
        return
    try:
        rows = make(engine, blobs, sha, force=force, wait=DEFAULT_WAIT * 10)
    except Exception as exc:  # one broken source must not stop the walk
        report.failed.append(f"{sha}: {exc}")
        return
    if any(row.sha256 is None for row in rows.values()):
        report.undrawable += 1
    else:
        report.made += 1


def forget(engine: Engine, source_sha256: str) -> None:
    """Drop the rows of one source (its blobs become orphans for `fsck`)."""
    with session_scope(engine) as session:
        for row in session.exec(
            select(Rendition).where(Rendition.source_sha256 == source_sha256)
        ).all():
            session.delete(row)


def cache_token(asset: Asset) -> str:
    """Changes whenever what `find` serves for this asset may change: the drawing version,
    the bytes, and whether the asset is killed. A URL carrying it can be cached forever."""
    state = f"{VERSION}:{asset.sha256}:{asset.status}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


# --- drawing and storing -------------------------------------------------------------------


def _draw_and_store(engine: Engine, blobs: BlobStore, source_sha256: str, wait: float) -> None:
    kinds = list(Kind)
    if not _SLOTS.acquire(timeout=wait):
        raise RenditionBusy(f"{DRAWING_SLOTS} pictures are being drawn; ask again shortly")
    try:
        with _source_file(blobs, source_sha256) as path:
            drawn: list[Drawn] | None = draw(path, [kind.size for kind in kinds])
            problem = None
    except Undrawable as exc:
        log.info("source %s cannot be drawn: %s", source_sha256, exc)
        drawn, problem = None, str(exc)
    finally:
        _SLOTS.release()
    rows = []
    for index, kind in enumerate(kinds):
        row = Rendition(source_sha256=source_sha256, kind=kind.value, version=VERSION)
        if drawn is None:
            row.problem = problem
        else:
            image = drawn[index]
            row.sha256 = _store(blobs, image.data)
            row.media_type = image.media_type
            row.width, row.height, row.bytes = image.width, image.height, len(image.data)
        rows.append(row)
    if not _record(engine, source_sha256, rows):
        _drop_unnamed(engine, blobs, {row.sha256 for row in rows if row.sha256})


def _record(engine: Engine, source_sha256: str, rows: list[Rendition]) -> bool:
    """Record the drawn rows, unless the source was purged while it was drawn: the purge
    deleted the renditions it found, so these must not outlive it. Checked after the rows
    are written, with the assets share-locked: a purge either came first and is seen, or
    waits for this commit and then deletes them. False when nothing was recorded."""
    with Session(engine) as session:
        session.add_all(rows)
        try:
            session.flush()
        except IntegrityError:
            # another replica recorded its drawing first: its rows stand, ours are orphans
            log.info("renditions of %s were recorded by another process first", source_sha256)
            return True
        shown = session.exec(
            select(Asset.id)
            .where(Asset.sha256 == source_sha256, Asset.status != "purged")
            .limit(1)
            .with_for_update(read=True)
        ).first()
        if shown is None:
            session.rollback()
            log.info("source %s was purged while it was drawn: its renditions go", source_sha256)
            return False
        session.commit()
    return True


def _drop_unnamed(engine: Engine, blobs: BlobStore, drawn: set[str]) -> None:
    """Delete the blobs drawn of a purged source that no rendition row names (another source
    may have identical renditions)."""
    if not drawn:
        return
    with Session(engine) as session:
        named = set(session.exec(select(Rendition.sha256).where(col(Rendition.sha256).in_(drawn))))
    for sha in drawn - named:
        blobs.delete(sha)


def _store(blobs: BlobStore, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    staging = blobs.staging if isinstance(blobs, LocalBlobStore) else None
    fd, name = tempfile.mkstemp(prefix="rendition-", dir=staging)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        blobs.put_file(sha, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return sha


@contextlib.contextmanager
def _source_file(blobs: BlobStore, sha256: str) -> Iterator[Path]:
    """The source as a seekable file, never read whole into memory."""
    if isinstance(blobs, LocalBlobStore):
        path = blobs.path_of(sha256)
        if not path.is_file():
            raise BlobNotFound(sha256)
        yield path
        return
    fd, name = tempfile.mkstemp(prefix="rendition-source-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in blobs.stream(sha256):
                out.write(chunk)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --- lookups ------------------------------------------------------------------------------


def _row(engine: Engine, source_sha256: str, kind: Kind) -> Rendition | None:
    with Session(engine) as session:
        return session.get(Rendition, (source_sha256, kind.value, VERSION))


def _rows(engine: Engine, source_sha256: str) -> dict[Kind, Rendition]:
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(
            select(Rendition).where(
                Rendition.source_sha256 == source_sha256, Rendition.version == VERSION
            )
        ).all()
        session.expunge_all()
    return {Kind(row.kind): row for row in rows if row.kind in Kind.__members__.values()}


def _found(row: Rendition, kind: Kind) -> Found:
    if row.sha256 is None:
        return _card(kind, NO_PREVIEW, row.problem or "the picture cannot be drawn")
    return Found(etag=row.sha256, media_type=row.media_type or "image/jpeg", blob=row.sha256)


def _card(kind: Kind, label: str, warning: str) -> Found:
    card = placeholder(kind.size, label)
    etag = hashlib.sha256(card.data).hexdigest()
    return Found(etag=etag, media_type=card.media_type, placeholder=card.data, warning=warning)


# --- one drawing per source per process ------------------------------------------------------

_SLOTS = threading.BoundedSemaphore(DRAWING_SLOTS)
_INFLIGHT: dict[str, threading.Event] = {}
_INFLIGHT_LOCK = threading.Lock()


@contextlib.contextmanager
def _drawing(source_sha256: str, wait: float) -> Iterator[bool]:
    """Yields True to the one thread that should draw `source_sha256`; the others wait
    (at most `wait` seconds, else RenditionBusy) and get False once it is done."""
    with _INFLIGHT_LOCK:
        done = _INFLIGHT.get(source_sha256)
        leader = done is None
        if done is None:
            done = _INFLIGHT[source_sha256] = threading.Event()
    if not leader:
        if not done.wait(wait):
            raise RenditionBusy(f"the renditions of {source_sha256} are still being drawn")
        yield False
        return
    try:
        yield True
    finally:
        with _INFLIGHT_LOCK:
            del _INFLIGHT[source_sha256]
        done.set()
