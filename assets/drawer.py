"""Drawing the renditions of new uploads off the request path, on one thread of the server.

An upload answers as soon as its file, metadata and rights are stored; drawing its thumbnail
and preview costs several times that (decoding, resizing, encoding), so it happens here,
after the answer, where it neither delays the uploader nor holds a request thread. A rendition
asked for before it is drawn is drawn on that request (`assets.renditions.find`), and one
drawing per source per process is all that ever happens, whoever asks first.

Bounded on purpose: one thread, at a lower CPU priority than the requests where the system
allows it, so a burst of uploads keeps the other cores; and a queue of `QUEUE_SIZE` sources.
A source that finds the queue full, or is still queued when the server stops, is drawn on
its first request instead, as every file a feed or `rightsdesk ingest` stores is.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assets.blobs import BlobStore
from assets.renditions import make_quietly
from assets.tables import Asset

log = logging.getLogger("rightsdesk.renditions")

QUEUE_SIZE = 10_000
"""Sources waiting to be drawn (64-character digests: well under a megabyte when full)."""

NICENESS = 10
"""How much lower than the requests the drawing thread runs (Linux schedules threads alone)."""


class RenditionDrawer:
    """A daemon thread drawing, in arrival order, the renditions of the sources `submit`ted."""

    def __init__(self, engine: Engine, blobs: BlobStore, size: int = QUEUE_SIZE) -> None:
        self.engine, self.blobs = engine, blobs
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=size)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rendition-drawer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, source_sha256: str) -> bool:
        """Queue a source to draw; False (left for its first request) when the queue is full
        or the drawer is stopping. Never blocks: it is called on the upload's request."""
        if self._stopping.is_set():
            return False
        try:
            self._queue.put_nowait(source_sha256)
        except queue.Full:
            log.info("drawing queue full: %s is drawn on its first request", source_sha256)
            return False
        return True

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every submitted source is drawn (or skipped); False on timeout."""
        with self._queue.all_tasks_done:
            return self._queue.all_tasks_done.wait_for(
                lambda: self._queue.unfinished_tasks == 0, timeout
            )

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the drawing under way and drop the rest: it is drawn when first asked for."""
        self._stopping.set()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)  # wakes the thread if it is waiting for work
        self._thread.join(timeout)

    def _run(self) -> None:
        _lower_priority()
        while not self._stopping.is_set():
            source = self._queue.get()
            try:
                if source is not None and not self._stopping.is_set() and _wanted(self, source):
                    make_quietly(self.engine, self.blobs, source)
            except Exception:  # keep drawing the next ones through database hiccups
                log.exception("could not draw the renditions of %s", source)
            finally:
                self._queue.task_done()
        _discard(self._queue)


def _wanted(drawer: RenditionDrawer, source_sha256: str) -> bool:
    """Whether an asset still shows this source: a purge may have come while it waited."""
    with Session(drawer.engine) as session:
        shown = session.exec(
            select(Asset.id).where(Asset.sha256 == source_sha256, Asset.status != "purged")
        ).first()
    return shown is not None


def _lower_priority() -> None:
    """Run this thread at a lower priority than the request threads, where the system can."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


def _discard(pending: queue.Queue[str | None]) -> None:
    """Empty the queue on stop, so `drain` returns: these are drawn on their first request."""
    while True:
        try:
            pending.get_nowait()
        except queue.Empty:
            return
        pending.task_done()
