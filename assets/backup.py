"""Backup and restore of the whole service: the catalogue and every blob it names, in one tar.

Archive layout (plain tar: images do not compress):

    manifest.json             format, schema revision, database kind, table and blob counts
    catalogue.sqlite          SQLite catalogues: a page-consistent copy (sqlite3 backup API)
    catalogue/<table>.jsonl   PostgreSQL catalogues: every row of every table, one JSON a line
    blobs/<sha256>            the bytes of every asset (and rendition) in the catalogue copy

PostgreSQL is dumped through SQLAlchemy inside one REPEATABLE READ, READ ONLY transaction
rather than with pg_dump: the copy is consistent, needs no client binaries matching the
server's major version (pg_dump refuses newer servers), and restores into PostgreSQL or
SQLite alike because rows are written through the same table definitions.

Blobs are content-addressed and never rewritten, so copying those named by the catalogue
copy after taking it gives a consistent archive while the service keeps running. The
archive is written beside its destination and renamed into place when complete.

Restore puts the blobs back first (each one is re-hashed against its name) and then the
catalogue in one step, so an interrupted restore leaves at most orphan blobs.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine

from assets.blobs import BlobStore, LocalBlobStore
from assets.clock import utcnow
from assets.db import make_engine
from assets.errors import AssetError
from assets.migrations import upgrade
from assets.search import is_search_index_table
from assets.storable import refused_values, replace_refused_values
from rights.moment import utc

FORMAT = "rightsdesk-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "catalogue.sqlite"
TABLES_DIR = "catalogue"
BLOBS_DIR = "blobs"
SKIPPED_TABLES = {"alembic_version"}
BATCH = 500


class BackupError(AssetError):
    """A backup or restore cannot go ahead; the message says why and what to do."""


@dataclass
class BackupSummary:
    path: Path
    database: str
    revision: str | None
    rows: dict[str, int]
    blobs: int
    bytes: int


def backup(engine: Engine, blobs: BlobStore, archive: Path) -> BackupSummary:
    """Write the catalogue and its blobs to `archive` (replaced atomically when complete)."""
    archive = archive.resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rightsdesk-backup-") as scratch:
        work = Path(scratch)
        if engine.dialect.name == "sqlite":
            snapshot = work / SQLITE_MEMBER
            _sqlite_snapshot(engine, snapshot)
            snapshot_engine = make_engine(f"sqlite:///{snapshot}")
            try:
                with snapshot_engine.connect() as connection:
                    revision = _revision(connection)
                    rows = _row_counts(connection)
                    shas = _asset_shas(connection)
                    drawn = _rendition_shas(connection)
            finally:
                snapshot_engine.dispose()
            catalogue: list[tuple[str, Path]] = [(SQLITE_MEMBER, snapshot)]
        else:
            revision, rows, shas, drawn, catalogue = _dump_tables(engine, work / TABLES_DIR)

        missing = [sha for sha in sorted(shas) if not blobs.exists(sha)]
        if missing:
            raise BackupError(
                f"{len(missing)} asset blob(s) are missing (first {missing[0]}); run"
                " `rightsdesk fsck` to list them and restore them before backing up"
            )
        # renditions go along so a restored desk shows its pictures at once; one that is
        # lost is no damage (it is drawn again when asked for), so it is simply left out
        shas |= {sha for sha in drawn - shas if blobs.exists(sha)}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": utcnow().isoformat(),
            "database": engine.dialect.name,
            "revision": revision,
            "rows": rows,
            "blobs": len(shas),
        }
        partial = archive.with_name(archive.name + ".partial")
        total = 0
        try:
            with tarfile.open(partial, "w") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                for name, path in catalogue:
                    tar.add(path, arcname=name, recursive=False)
                for sha in sorted(shas):
                    total += _add_blob(tar, blobs, sha, work)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, archive)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    return BackupSummary(archive, engine.dialect.name, revision, rows, len(shas), total)


@dataclass
class RestoreSummary:
    database: str
    revision: str | None
    rows: dict[str, int]
    blobs: int


def restore(
    engine: Engine,
    blobs: BlobStore,
    archive: Path,
    *,
    force: bool = False,
    replace_unstorable: bool = False,
) -> RestoreSummary:
    """Put an archive's blobs and catalogue back. The target catalogue must be empty unless
    `force`, which replaces whatever it holds. Text the target database cannot hold (NUL in
    PostgreSQL) is refused, naming each value, unless `replace_unstorable`."""
    try:
        return _restore(engine, blobs, archive, force, replace_unstorable)
    except FileNotFoundError as exc:
        raise BackupError(f"there is no archive at {archive}") from exc
    except (tarfile.TarError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(
            f"{archive} is not a readable tar archive ({exc}); it may be truncated or damaged"
        ) from exc
    except CommandError as exc:
        raise BackupError(
            f"the archive's schema revision is unknown to this release ({exc}); restore it"
            " with the release that made it"
        ) from exc
    except (sa.exc.SQLAlchemyError, sqlite3.DatabaseError) as exc:
        raise BackupError(
            f"the restore failed in the database and was undone: {_first_line(exc)}"
        ) from exc


def _restore(
    engine: Engine, blobs: BlobStore, archive: Path, force: bool, replace_unstorable: bool
) -> RestoreSummary:
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(tar)
        work = Path(scratch)
        if not force:
            _require_empty(engine)
        restored = _restore_blobs(tar, blobs, work)
        members = set(tar.getnames())
        if SQLITE_MEMBER in members:
            snapshot = work / SQLITE_MEMBER
            _extract(tar, SQLITE_MEMBER, snapshot)
            source = make_engine(f"sqlite:///{snapshot}")
            try:
                upgrade(source)  # an archive from an older release is brought up to date first
                if engine.dialect.name == "sqlite":
                    source.dispose()
                    _sqlite_replace(engine, snapshot)
                else:
                    upgrade(engine)
                    with source.connect() as reader:
                        _copy_rows(_rows_from_database(reader), engine, force, replace_unstorable)
            finally:
                source.dispose()
        else:
            made_at = manifest.get("revision")
            with engine.connect() as connection:
                fresh = _revision(connection) is None
            # a new catalogue is built at the archive's revision, filled, then upgraded
            # like any other, so an archive from an older release restores too
            upgrade(engine, made_at if fresh and isinstance(made_at, str) else "head")
            with engine.connect() as connection:
                current = _revision(connection)
            if current != made_at:
                raise BackupError(
                    f"the archive was made at schema revision {made_at} and this catalogue is"
                    f" at {current}; restore it into a new database, or with the release"
                    " that made it"
                )
            _copy_rows(_rows_from_archive(tar), engine, force, replace_unstorable)
        upgrade(engine)
        with engine.connect() as connection:
            rows = _row_counts(connection)
            revision = _revision(connection)
    return RestoreSummary(engine.dialect.name, revision, rows, restored)


# --- catalogue copies -------------------------------------------------------------------


def _sqlite_snapshot(engine: Engine, target: Path) -> None:
    """A consistent copy of a live SQLite catalogue through the sqlite3 backup API."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        raw.close()


def _sqlite_replace(engine: Engine, snapshot: Path) -> None:
    """Overwrite the target SQLite catalogue with `snapshot` in one backup step."""
    engine.dispose()
    source = sqlite3.connect(snapshot)
    raw = engine.raw_connection()
    try:
        destination = raw.driver_connection
        assert isinstance(destination, sqlite3.Connection)
        source.backup(destination)
    finally:
        raw.close()
        source.close()
    engine.dispose()


def _dump_tables(
    engine: Engine, folder: Path
) -> tuple[str | None, dict[str, int], set[str], set[str], list[tuple[str, Path]]]:
    """Every table as JSON lines, read in one snapshot transaction; with the blobs named
    by assets and by renditions."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, Path]] = []
    rows: dict[str, int] = {}
    snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with snapshot as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        revision = _revision(connection)
        metadata = _reflect(connection)
        for table in metadata.sorted_tables:
            path = folder / f"{table.name}.jsonl"
            count = 0
            with path.open("w", encoding="utf-8") as out:
                result = connection.execution_options(yield_per=BATCH).execute(sa.select(table))
                for row in result.mappings():
                    out.write(json.dumps({k: _encode(v) for k, v in row.items()}))
                    out.write("\n")
                    count += 1
            rows[table.name] = count
            files.append((f"{TABLES_DIR}/{table.name}.jsonl", path))
        shas = _asset_shas(connection)
        drawn = _rendition_shas(connection)
    return revision, rows, shas, drawn, files


def _rows_from_archive(tar: tarfile.TarFile) -> Iterator[tuple[str, dict[str, Any]]]:
    for member in tar.getmembers():
        if not (member.name.startswith(f"{TABLES_DIR}/") and member.name.endswith(".jsonl")):
            continue
        table = member.name[len(TABLES_DIR) + 1 : -len(".jsonl")]
        handle = tar.extractfile(member)
        if handle is None:
            continue
        for number, line in enumerate(io.TextIOWrapper(handle, encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BackupError(
                    f"line {number} of {member.name} in the archive is not a JSON row ({exc});"
                    " the archive is damaged, nothing was restored"
                ) from exc
            if not isinstance(row, dict):
                raise BackupError(
                    f"line {number} of {member.name} in the archive is not a row;"
                    " the archive is damaged, nothing was restored"
                )
            yield table, row


def _rows_from_database(connection: Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    metadata = _reflect(connection)
    for table in metadata.sorted_tables:
        for row in connection.execute(sa.select(table)).mappings():
            yield table.name, dict(row)


def _copy_rows(
    rows: Iterator[tuple[str, dict[str, Any]]],
    engine: Engine,
    replace: bool,
    replace_refused: bool = False,
) -> None:
    """Insert rows into the target's tables in one transaction, parents before children.

    Every row is checked against what the target database can hold before anything is
    written; a row the database still refuses is named. Either way nothing is changed: the
    target keeps what it held."""
    with engine.begin() as connection:
        metadata = _reflect(connection)
        pending: dict[str, list[dict[str, Any]]] = {}
        problems: list[str] = []
        for name, row in rows:
            if name not in metadata.tables:
                raise BackupError(
                    f"the archive has a table {name!r} this release does not know;"
                    " restore it with the release that made it"
                )
            table = metadata.tables[name]
            try:
                decoded = _decode_row(table, row)
            except (TypeError, ValueError) as exc:
                problems.append(f"{_row_name(table, row)}: a value cannot be read ({exc})")
                continue
            if replace_refused:
                decoded = {k: replace_refused_values(v) for k, v in decoded.items()}
            problems.extend(_unfit(table, decoded, engine.dialect.name))
            pending.setdefault(name, []).append(decoded)
        if problems:
            raise BackupError(_describe_unfit(problems, engine.dialect.name))
        if replace:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())
        for table in metadata.sorted_tables:
            batch = pending.get(table.name, [])
            for start in range(0, len(batch), BATCH):
                _insert(connection, table, batch[start : start + BATCH])
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection, metadata)


def _unfit(table: sa.Table, row: dict[str, Any], dialect: str) -> Iterator[str]:
    """Why the target database would refuse `row`, one sentence per value."""
    for name, value in row.items():
        where = f"{_row_name(table, row)}, column {name}"
        for inner, reason in refused_values(value):
            yield f"{where}{' at ' + inner if inner else ''}: the text {reason}"
        length = getattr(table.c[name].type, "length", None)
        if dialect == "postgresql" and isinstance(value, str) and length and len(value) > length:
            yield f"{where}: {len(value)} characters, more than the column's {length}"


def _describe_unfit(problems: list[str], dialect: str) -> str:
    shown = "\n  ".join(problems[:10])
    more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
    return (
        f"{len(problems)} value(s) in the archive cannot be stored in this {dialect}"
        f" catalogue; nothing was restored:\n  {shown}{more}\nRestore into SQLite, or run"
        " `rightsdesk restore --replace-unstorable` to write U+FFFD in place of each refused"
        " character (values too long must be shortened in the source catalogue)"
    )


def _insert(connection: Connection, table: sa.Table, batch: list[dict[str, Any]]) -> None:
    """Insert `batch`; if the database refuses it, find the row it refuses and name it."""
    try:
        with connection.begin_nested():
            connection.execute(table.insert(), batch)
        return
    except sa.exc.SQLAlchemyError as batch_error:
        for row in batch:
            try:
                with connection.begin_nested():
                    connection.execute(table.insert(), [row])
            except sa.exc.SQLAlchemyError as exc:
                raise BackupError(
                    f"the catalogue refused {_row_name(table, row)}: {_first_line(exc)};"
                    " nothing was restored. Repair that row in the source catalogue (or"
                    " restore into the kind of database that made the archive)"
                ) from exc
        raise BackupError(
            f"the catalogue refused rows of table {table.name}: {_first_line(batch_error)};"
            " nothing was restored"
        ) from batch_error


def _row_name(table: sa.Table, row: dict[str, Any]) -> str:
    key = ", ".join(f"{c.name} {row.get(c.name)!r}" for c in table.primary_key.columns)
    return f"table {table.name}, row {key}" if key else f"table {table.name}"


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def _reset_sequences(connection: Connection, metadata: sa.MetaData) -> None:
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = connection.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": table.name, "c": column.name},
            ).scalar()
            if sequence:
                connection.execute(
                    sa.text(
                        f"SELECT setval(:s, COALESCE((SELECT MAX({column.name}) FROM"
                        f" {table.name}), 0) + 1, false)"
                    ),
                    {"s": sequence},
                )


def _require_empty(engine: Engine) -> None:
    with engine.connect() as connection:
        counts = _row_counts(connection)
    filled = {name: n for name, n in counts.items() if n}
    if filled:
        described = ", ".join(f"{name} ({n})" for name, n in sorted(filled.items()))
        raise BackupError(
            f"the target catalogue is not empty: {described}; restore into a new data folder"
            " or database, or pass --force to replace everything it holds"
        )


def _reflect(connection: Connection) -> sa.MetaData:
    """The catalogue's own tables and columns; the search index is derived, never copied
    (SQLite FTS tables are refilled by triggers, PostgreSQL's generated column recomputed)."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    for name in set(metadata.tables):
        if name in SKIPPED_TABLES or is_search_index_table(name):
            metadata.remove(metadata.tables[name])
    for table in list(metadata.tables.values()):
        stored = [c.name for c in table.columns if c.computed is None]
        if len(stored) < len(table.columns):
            metadata.remove(table)
            sa.Table(table.name, metadata, autoload_with=connection, include_columns=stored)
    return metadata


def _row_counts(connection: Connection) -> dict[str, int]:
    metadata = _reflect(connection)
    return {
        table.name: int(
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
        )
        for table in metadata.sorted_tables
    }


def _revision(connection: Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    value = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def _rendition_shas(connection: Connection) -> set[str]:
    if not sa.inspect(connection).has_table("rendition"):
        return set()
    query = sa.text(
        "SELECT sha256 FROM rendition WHERE sha256 IS NOT NULL AND source_sha256 NOT IN"
        f" (SELECT sha256 FROM asset WHERE {_PURGED})"
    )
    return {str(sha) for sha in connection.execute(query).scalars()}


_PURGED = "status = 'purged'"
"""A purged asset's retention ended: its file and renditions go into no archive (and their
absence, once the purge removed them, is no damage)."""


def _asset_shas(connection: Connection) -> set[str]:
    if not sa.inspect(connection).has_table("asset"):
        return set()
    query = sa.text(f"SELECT sha256 FROM asset WHERE NOT ({_PURGED})")
    return {str(sha) for sha in connection.execute(query).scalars()}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, value in row.items():
        if name not in table.c:
            raise BackupError(
                f"the archive's {table.name}.{name} is unknown to this release;"
                " restore it with the release that made it"
            )
        decoded[name] = _decode(table.c[name].type, value)
    return decoded


def _decode(column_type: sa.types.TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, sa.DateTime):
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        if getattr(column_type, "timezone", False):
            moment = utc(moment)  # the catalogue stores UTC throughout
        return moment
    if isinstance(column_type, sa.Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, sa.LargeBinary) and isinstance(value, str):
        return base64.b64decode(value)
    if isinstance(column_type, sa.Numeric) and isinstance(value, str):
        return decimal.Decimal(value)
    return value


# --- blobs and the tar file ---------------------------------------------------------------


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _add_blob(tar: tarfile.TarFile, blobs: BlobStore, sha: str, work: Path) -> int:
    """Add one blob to the archive without holding it in memory; returns its size."""
    name = f"{BLOBS_DIR}/{sha}"
    if isinstance(blobs, LocalBlobStore):
        path = blobs.path_of(sha)
        tar.add(path, arcname=name, recursive=False)
        return path.stat().st_size
    staged = work / f"blob-{sha}"
    try:
        with staged.open("wb") as out:
            for chunk in blobs.stream(sha):
                out.write(chunk)
        tar.add(staged, arcname=name, recursive=False)
        return staged.stat().st_size
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError("this file is not a rightsdesk backup (it has no manifest.json)")
    manifest: dict[str, Any] = json.loads(handle.read())
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            f"unsupported backup format {manifest.get('format')!r} version"
            f" {manifest.get('version')!r}; this release reads {FORMAT} version {VERSION}"
        )
    return manifest


def _restore_blobs(tar: tarfile.TarFile, blobs: BlobStore, work: Path) -> int:
    count = 0
    for member in tar.getmembers():
        if not member.name.startswith(f"{BLOBS_DIR}/"):
            continue
        sha = member.name[len(BLOBS_DIR) + 1 :]
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha) or not member.isfile():
            raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
        staged = work / f"blob-{sha}"
        digest = _extract(tar, member.name, staged)
        if digest != sha:
            raise BackupError(
                f"blob {sha} in the archive is damaged (its bytes hash to {digest});"
                " the archive cannot be trusted"
            )
        blobs.put_file(sha, staged)
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
        count += 1
    return count


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> str:
    """Copy one member to `target` (never to a path the archive chooses); returns its sha256."""
    handle: IO[bytes] | None = tar.extractfile(name)
    if handle is None:
        raise BackupError(f"the archive entry {name!r} is not a file")
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


__all__ = ["BackupError", "BackupSummary", "RestoreSummary", "backup", "restore"]
