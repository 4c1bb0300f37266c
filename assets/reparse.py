"""Re-read the rights of assets parsed by an older caption parser, or stored before each
metadata block's own values were kept (their files are read again from the blob store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assets.blobs import BlobStore
from assets.captioning import store_reading
from assets.tables import Asset


def version_key(version: str | None) -> tuple[int, ...]:
    """ "1.10.0" sorts after "1.9.2"; a missing or odd version sorts first (oldest)."""
    if not version:
        return ()
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def stale_asset_ids(engine: Engine, older_than: str, batch: int = 500) -> Iterator[list[str]]:
    """Ids of assets whose parser_version is older than `older_than`, or whose file values
    (each block's own, licensing and provenance) were never stored, a batch at a time."""
    threshold = version_key(older_than)
    last = ""
    while True:
        with Session(engine) as session:
            rows = session.exec(
                select(
                    Asset.id,
                    Asset.parser_version,
                    col(Asset.embedded_blocks).is_(None),
                    Asset.embedded,
                )
                .where(col(Asset.id) > last)
                .order_by(col(Asset.id))
                .limit(batch)
            ).all()
        if not rows:
            return
        last = rows[-1][0]
        stale = [
            asset_id
            for asset_id, version, no_blocks, embedded in rows
            if no_blocks or "provenance" not in (embedded or {}) or version_key(version) < threshold
        ]
        if stale:
            yield stale


def reparse(
    engine: Engine,
    older_than: str,
    actor: str,
    progress: Callable[[int], None] = lambda _n: None,
    blobs: BlobStore | None = None,
) -> int:
    """Re-read every stale asset's rights, one transaction per batch. Returns the count.

    With `blobs`, rows stored without per-block values have their files read again; a file
    that cannot be read leaves the row as it was (it keeps its restrictions) until next time.
    """
    done = 0
    for ids in stale_asset_ids(engine, older_than):
        with Session(engine) as session:
            for asset in session.exec(select(Asset).where(col(Asset.id).in_(ids))):
                before = {"rights": asset.rights, "parser_version": asset.parser_version}
                store_reading(session, asset, actor, "asset.reparse", before, blobs=blobs)
            session.commit()
        done += len(ids)
        progress(len(ids))
    return done
