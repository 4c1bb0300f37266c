"""Consistency check of the catalogue against the blob store, with safe repairs.

Ingest stores the blob first and then writes the catalogue row in one transaction, so a
crash can leave only *orphans*: blobs no row names, and half-received files in the spool
or staging folders. Those are removed. Anything else is *dangling* and only reported,
because it cannot be repaired without losing information:
- an asset whose blob is missing or whose bytes no longer hash to its sha256;
- a row of another table that names an asset that does not exist.

Orphans younger than `min_age` are left alone: on a running service a fresh blob without a
row is an upload whose transaction has not committed yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from assets.blobs import BlobNotFound, BlobStore, LocalBlobStore

DEFAULT_MIN_AGE = 3600.0
"""Seconds an orphan must be old before it is removed (longer than any upload takes)."""


@dataclass
class DanglingRow:
    table: str
    column: str
    value: str
    count: int

    def __str__(self) -> str:
        return f"{self.count} row(s) of {self.table} name missing asset {self.value!r}"


@dataclass
class FsckReport:
    """What the check found, and what it removed (when repairing)."""

    assets: int = 0
    blobs: int = 0
    renditions: int = 0
    orphan_blobs: list[str] = field(default_factory=list)
    removed_blobs: list[str] = field(default_factory=list)
    recent_orphans: list[str] = field(default_factory=list)
    stale_files: list[Path] = field(default_factory=list)
    removed_files: list[Path] = field(default_factory=list)
    missing_blobs: list[str] = field(default_factory=list)
    corrupt_blobs: list[str] = field(default_factory=list)
    dangling_rows: list[DanglingRow] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        """True when the catalogue names data that is gone: restore it from a backup."""
        return bool(self.missing_blobs or self.corrupt_blobs or self.dangling_rows)

    def lines(self) -> Iterator[str]:
        yield (
            f"{self.assets} assets, {self.blobs} blobs checked"
            f" (and {self.renditions} rendition blobs, drawn again if lost)"
        )
        yield (
            f"orphan blobs: {len(self.orphan_blobs)} found, {len(self.removed_blobs)} removed,"
            f" {len(self.recent_orphans)} too recent to remove"
        )
        yield f"stale temp files: {len(self.stale_files)} found, {len(self.removed_files)} removed"
        yield f"assets whose blob is missing: {len(self.missing_blobs)}"
        for sha in self.missing_blobs:
            yield f"  missing {sha}"
        yield f"assets whose blob does not match its sha256: {len(self.corrupt_blobs)}"
        for sha in self.corrupt_blobs:
            yield f"  corrupt {sha}"
        yield f"dangling rows: {sum(d.count for d in self.dangling_rows)}"
        for dangling in self.dangling_rows:
            yield f"  {dangling}"


def fsck(
    engine: Engine,
    blobs: BlobStore,
    temp_dirs: Iterable[Path] = (),
    *,
    repair: bool = True,
    verify: bool = True,
    min_age: float = DEFAULT_MIN_AGE,
) -> FsckReport:
    """Check every asset's blob and every blob's asset; remove orphans when `repair`."""
    report = FsckReport()
    now = time.time()
    with engine.connect() as connection:
        shas = _asset_shas(connection)
        drawn = _rendition_shas(connection)
        report.dangling_rows = _dangling_rows(connection)
    report.assets = len(shas)

    stored = set(blobs.keys())
    report.renditions = len(stored & (drawn - shas))
    report.blobs = len(stored) - report.renditions
    for sha in sorted(shas):
        if sha not in stored and not blobs.exists(sha):
            report.missing_blobs.append(sha)
        elif verify and not _hashes_to(blobs, sha):
            report.corrupt_blobs.append(sha)

    # a rendition whose blob is missing is drawn again when next asked for: no damage
    orphans = stored - shas - drawn
    age = timedelta(seconds=min_age) if min_age > 0 else None
    old_enough = set(blobs.keys(older_than=age)) & orphans if orphans else set()
    for sha in sorted(orphans):
        report.orphan_blobs.append(sha)
        if sha not in old_enough:
            report.recent_orphans.append(sha)
            continue
        if repair and not _named_by_asset(engine, sha) and not _named_by_rendition(engine, sha):
            blobs.delete(sha)
            report.removed_blobs.append(sha)

    for directory in temp_dirs:
        for path in sorted(directory.glob("*")) if directory.is_dir() else ():
            if not path.is_file():
                continue
            with contextlib.suppress(FileNotFoundError):
                if not _old_enough(path.stat().st_mtime, now, min_age):
                    continue
                report.stale_files.append(path)
                if repair:
                    path.unlink()
                    report.removed_files.append(path)
    return report


def temp_dirs_of(data_dir: Path, blobs: BlobStore) -> list[Path]:
    """Where half-received files can be left behind: the upload spool and blob staging."""
    dirs = [data_dir / "tmp"]
    if isinstance(blobs, LocalBlobStore):
        dirs.append(blobs.staging)
    return dirs


def _asset_shas(connection: Connection) -> set[str]:
    """The blobs assets need: a purged asset's files are deleted on purpose (assets.purge)."""
    asset = sa.table("asset", sa.column("sha256"), sa.column("status"))
    query = sa.select(asset.c.sha256).where(asset.c.status != "purged")
    return {row[0] for row in connection.execute(query)}


def _rendition_shas(connection: Connection) -> set[str]:
    if not sa.inspect(connection).has_table("rendition"):
        return set()
    rendition = sa.table("rendition", sa.column("sha256"))
    query = sa.select(rendition.c.sha256).where(rendition.c.sha256.is_not(None))
    return {row[0] for row in connection.execute(query)}


def _dangling_rows(connection: Connection) -> list[DanglingRow]:
    """Rows whose foreign key names a missing asset (tables are reflected: new ones count)."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    if "asset" not in metadata.tables:
        return []
    asset_id = metadata.tables["asset"].c.id
    found: list[DanglingRow] = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is not asset_id:
                continue
            column = fk.parent
            query = (
                sa.select(column, sa.func.count())
                .where(column.is_not(None), column.not_in(sa.select(asset_id)))
                .group_by(column)
            )
            for value, count in connection.execute(query):
                found.append(DanglingRow(table.name, column.name, str(value), int(count)))
    return found


def _hashes_to(blobs: BlobStore, sha: str) -> bool:
    digest = hashlib.sha256()
    try:
        for chunk in blobs.stream(sha):
            digest.update(chunk)
    except (FileNotFoundError, BlobNotFound):
        return False
    return digest.hexdigest() == sha


def _old_enough(mtime: float | None, now: float, min_age: float) -> bool:
    if min_age <= 0:
        return True
    return mtime is not None and now - mtime >= min_age


def _named_by_asset(engine: Engine, sha: str) -> bool:
    """Look again just before deleting: an upload may have committed since the first scan."""
    asset = sa.table("asset", sa.column("sha256"))
    with engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(asset).where(asset.c.sha256 == sha)
        return bool(connection.execute(query).scalar())


def _named_by_rendition(engine: Engine, sha: str) -> bool:
    """Look again: a rendition drawn since the first scan names its blob now."""
    rendition = sa.table("rendition", sa.column("sha256"))
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("rendition"):
            return False
        query = sa.select(sa.func.count()).select_from(rendition).where(rendition.c.sha256 == sha)
        return bool(connection.execute(query).scalar())
