"""`rightsdesk backup` / `restore`: the catalogue and its blobs come back exactly as they were."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import Runtime
from assets.backup import BackupError, backup, restore
from assets.config import Settings
from assets.db import session_scope
from assets.keys import Role, create_key
from assets.migrations import upgrade
from assets.search import is_search_index_table
from tests.conftest import PG_URL, pg_schema
from tests.images import jpeg_bytes, png_bytes
from tests.served import REPO, cli_env

MakeRuntime = Callable[[str], Runtime]


@pytest.fixture
def make_target(tmp_path) -> Iterator[MakeRuntime]:
    """Empty runtimes to restore into: an SQLite folder, or a PostgreSQL schema of their own."""
    made: list[tuple[Runtime, str | None]] = []

    def make(kind: str) -> Runtime:
        name = f"target-{len(made)}"
        schema = None
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / name / 'catalogue.db'}"
        else:
            assert PG_URL is not None
            schema = f"r_{secrets.token_hex(6)}"
            with sa.create_engine(PG_URL).begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            separator = "&" if "?" in PG_URL else "?"
            url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
        (tmp_path / name).mkdir()
        runtime = Runtime.from_settings(Settings(data_dir=tmp_path / name, database_url=url))
        upgrade(runtime.engine)
        made.append((runtime, schema))
        return runtime

    yield make
    for runtime, schema in made:
        runtime.engine.dispose()
        if schema:
            engine = sa.create_engine(str(PG_URL))
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


def fill(client: TestClient, runtime: Runtime) -> list[str]:
    """A catalogue with a bit of everything: assets, caption history, a lease, a kill, keys."""
    ids = []
    for seed, (data, name) in enumerate(
        [
            (jpeg_bytes(1, caption="A cat. EPA/JOHN DOE"), "a.jpg"),
            (jpeg_bytes(2), "b.jpg"),
            (png_bytes(3), "c.png"),
        ]
    ):
        response = client.post(
            "/v1/assets",
            data={"caption": f"Picture {seed}. REUTERS/X"},
            files={"file": (name, data, "application/octet-stream")},
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    # the renditions the server draws after each upload, all of them in what is backed up
    assert runtime.drawer is not None and runtime.drawer.drain(30)
    edited = client.put(
        f"/v1/assets/{ids[0]}/caption", json={"caption": "Edited. EPA/JOHN DOE EDITORIAL USE ONLY"}
    )
    assert edited.status_code == 200
    lease = client.post(
        f"/v1/assets/{ids[1]}/overrides",
        json={
            "effect": "allow",
            "purposes": ["commercial"],
            "reason": "bought the rights",
            "ends": "2030-01-01T00:00:00Z",
        },
    )
    assert lease.status_code == 201, lease.text
    assert client.post(f"/v1/assets/{ids[2]}/kill", json={"reason": "withdrawn"}).status_code == 200
    with session_scope(runtime.engine) as session:
        create_key(session, "hook", Role.HOOK)
    return ids


def table_contents(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, comparable across backends (times in UTC, sorted by key).

    The search index is derived from the rows and differs by backend: left out."""
    metadata = sa.MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection)
        contents = {}
        for table in metadata.sorted_tables:
            if is_search_index_table(table.name):
                continue
            stored = [c for c in table.columns if c.computed is None]
            rows = [
                {k: _normal(v) for k, v in row.items()}
                for row in connection.execute(sa.select(*stored)).mappings()
            ]
            contents[table.name] = sorted(rows, key=lambda r: repr(sorted(r.items())))
    return contents


def _normal(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def blob_bytes(runtime: Runtime) -> dict[str, bytes]:
    return {sha: runtime.blobs.get(sha) for sha in sorted(runtime.blobs.keys())}


def serve(runtime: Runtime) -> TestClient:
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, f"reader-{secrets.token_hex(3)}", Role.VIEWER)
    client = TestClient(create_app(runtime=runtime))
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def test_backup_then_restore_gives_back_every_row_and_every_blob(
    client, runtime, make_target, database_url, tmp_path
):
    ids = fill(client, runtime)
    before = table_contents(runtime.engine)
    summary = backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    stored = len(set(runtime.blobs.keys()))  # 3 pictures and their renditions
    assert stored > 3 and summary.rows["rendition"] == 6
    assert summary.blobs == stored and summary.rows["asset"] == 3
    assert summary.rows["caption_version"] == 4 and summary.rows["lease"] == 1

    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    target = make_target(kind)
    restored = restore(target.engine, target.blobs, tmp_path / "desk.tar")
    assert restored.blobs == stored
    assert table_contents(target.engine) == before
    assert blob_bytes(target) == blob_bytes(runtime)
    with serve(target) as reader:
        for asset_id in ids:
            original = client.get(f"/v1/assets/{asset_id}").json()
            assert reader.get(f"/v1/assets/{asset_id}").json() == original
            assert (
                reader.get(f"/v1/assets/{asset_id}/file").content
                == client.get(f"/v1/assets/{asset_id}/file").content
            )
        assert reader.get(f"/v1/assets/{ids[2]}").json()["status"] == "killed"


@pytest.mark.skipif(PG_URL is None, reason="set RIGHTSDESK_TEST_PG_URL to test PostgreSQL")
@pytest.mark.parametrize(
    "source, destination", [("sqlite", "postgresql"), ("postgresql", "sqlite")]
)
def test_archive_moves_between_sqlite_and_postgresql(make_target, tmp_path, source, destination):
    origin = make_target(source)
    with serve(origin) as writer:
        with session_scope(origin.engine) as session:
            _row, key = create_key(session, "desk", Role.ADMIN)
        writer.headers["Authorization"] = f"Bearer {key}"
        fill(writer, origin)
    backup(origin.engine, origin.blobs, tmp_path / "move.tar")
    target = make_target(destination)
    restore(target.engine, target.blobs, tmp_path / "move.tar")
    assert table_contents(target.engine) == table_contents(origin.engine)
    assert blob_bytes(target) == blob_bytes(origin)


def test_sqlite_archive_holds_a_consistent_database_copy(client, runtime, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite backup API applies to SQLite catalogues")
    fill(client, runtime)
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    with tarfile.open(tmp_path / "desk.tar") as tar:
        names = tar.getnames()
        tar.extract("catalogue.sqlite", tmp_path / "x", filter="data")
    assert names[0] == "manifest.json"
    assert sum(n.startswith("blobs/") for n in names) == len(set(runtime.blobs.keys()))
    copy = sqlite3.connect(tmp_path / "x" / "catalogue.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT COUNT(*) FROM asset").fetchone() == (3,)


def test_restore_refuses_a_catalogue_that_is_not_empty_unless_forced(
    client, runtime, make_target, database_url, tmp_path
):
    fill(client, runtime)
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    target = make_target(kind)
    with session_scope(target.engine) as session:
        create_key(session, "someone", Role.ADMIN)
    with pytest.raises(BackupError, match=r"not empty.*--force"):
        restore(target.engine, target.blobs, tmp_path / "desk.tar")
    assert table_contents(target.engine)["asset"] == []
    restore(target.engine, target.blobs, tmp_path / "desk.tar", force=True)
    assert table_contents(target.engine) == table_contents(runtime.engine)


def test_damaged_archive_is_refused_and_the_catalogue_left_alone(
    client, runtime, make_target, tmp_path
):
    fill(client, runtime)
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(tmp_path / "desk.tar") as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("blobs/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    target = make_target("sqlite")
    with pytest.raises(BackupError, match="damaged"):
        restore(target.engine, target.blobs, damaged)
    assert table_contents(target.engine)["asset"] == []


def test_backup_refuses_when_a_blob_is_missing(client, runtime, tmp_path):
    ids = fill(client, runtime)
    sha = client.get(f"/v1/assets/{ids[0]}").json()["sha256"]
    runtime.blobs.delete(sha)
    with pytest.raises(BackupError, match="fsck"):
        backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    assert not (tmp_path / "desk.tar").exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_a_file_that_is_not_a_backup_is_refused(runtime, tmp_path):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="notes.py")
    with pytest.raises(BackupError, match="not a rightsdesk backup"):
        restore(runtime.engine, runtime.blobs, other)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # same code path on both
def test_backup_and_restore_commands_round_trip(client, runtime, database_url, tmp_path):
    fill(client, runtime)

    def rightsdesk(data_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=REPO,
            env=cli_env(data_dir, url),
            capture_output=True,
            text=True,
            timeout=120,
        )

    made = rightsdesk(runtime.settings.data_dir, database_url, "backup", str(tmp_path / "a.tar"))
    assert made.returncode == 0, made.stderr
    assert f"{len(set(runtime.blobs.keys()))} blobs" in made.stderr  # pictures and renditions
    fresh = tmp_path / "fresh"
    fresh_url = f"sqlite:///{fresh / 'rightsdesk.db'}"
    back = rightsdesk(fresh, fresh_url, "restore", str(tmp_path / "a.tar"))
    assert back.returncode == 0, back.stderr
    engine = sa.create_engine(fresh_url)
    try:
        before, after = table_contents(runtime.engine), table_contents(engine)
        assert after == before
    finally:
        engine.dispose()
    refused = rightsdesk(fresh, fresh_url, "restore", str(tmp_path / "a.tar"))
    assert refused.returncode == 1 and "--force" in refused.stderr


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from tests.s3_server import moto_server

    with moto_server() as endpoint:
        yield endpoint


def s3_runtime(folder: Path, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """A runtime keeping its blobs in a fresh bucket of the S3-compatible test server."""
    from tests.s3_server import aws_environment, new_bucket

    for name, value in aws_environment(endpoint).items():
        monkeypatch.setenv(name, value)
    runtime = Runtime.from_settings(
        Settings(
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'catalogue.db'}",
            blobs=f"s3://{new_bucket(endpoint)}/photos",
        )
    )
    upgrade(runtime.engine)
    return runtime


def test_blobs_in_object_storage_go_into_the_archive_and_back(
    tmp_path, s3_endpoint, monkeypatch, make_target
):
    origin = s3_runtime(tmp_path / "origin", s3_endpoint, monkeypatch)
    with serve(origin) as writer:
        with session_scope(origin.engine) as session:
            _row, key = create_key(session, "desk", Role.ADMIN)
        writer.headers["Authorization"] = f"Bearer {key}"
        fill(writer, origin)
    summary = backup(origin.engine, origin.blobs, tmp_path / "s3.tar")
    assert summary.blobs == len(set(origin.blobs.keys())) > 3  # with the renditions
    local = make_target("sqlite")
    restore(local.engine, local.blobs, tmp_path / "s3.tar")
    assert table_contents(local.engine) == table_contents(origin.engine)
    assert blob_bytes(local) == blob_bytes(origin)
    other_bucket = s3_runtime(tmp_path / "again", s3_endpoint, monkeypatch)
    restore(other_bucket.engine, other_bucket.blobs, tmp_path / "s3.tar")
    assert blob_bytes(other_bucket) == blob_bytes(origin)
    for runtime in (origin, other_bucket):
        runtime.engine.dispose()


def _catalogue_from_an_older_release(client: TestClient, runtime: Runtime) -> list[str]:
    """A filled catalogue holding what releases before the text rule accepted: NUL in a
    caption, its history and its rights."""
    ids = fill(client, runtime)
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE asset SET caption = :caption WHERE id = :id"),
            {"caption": "A cat.\x00 EPA/JOHN DOE", "id": ids[1]},
        )
        connection.execute(
            sa.text("UPDATE caption_version SET caption = :caption WHERE asset_id = :id"),
            {"caption": "A cat.\x00 EPA/JOHN DOE", "id": ids[1]},
        )
    return ids


@pytest.mark.skipif(PG_URL is None, reason="set RIGHTSDESK_TEST_PG_URL to test PostgreSQL")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_restore_into_postgresql_names_each_value_it_cannot_store_and_changes_nothing(
    client, runtime, make_target, tmp_path
):
    ids = _catalogue_from_an_older_release(client, runtime)
    backup(runtime.engine, runtime.blobs, tmp_path / "old.tar")
    target = make_target("postgresql")
    with serve(target) as writer:  # a catalogue that --force would replace
        with session_scope(target.engine) as session:
            _row, key = create_key(session, "desk", Role.ADMIN)
        writer.headers["Authorization"] = f"Bearer {key}"
        writer.post("/v1/assets", files={"file": ("k.jpg", jpeg_bytes(99), "image/jpeg")})
    before = table_contents(target.engine)
    assert len(before["asset"]) == 1

    with pytest.raises(BackupError) as refused:
        restore(target.engine, target.blobs, tmp_path / "old.tar", force=True)
    message = str(refused.value)
    assert f"table asset, row id '{ids[1]}', column caption: the text holds a NUL" in message
    assert "table caption_version, row id" in message
    assert "nothing was restored" in message and "--replace-unstorable" in message
    assert table_contents(target.engine) == before  # the catalogue is as it was

    restore(target.engine, target.blobs, tmp_path / "old.tar", force=True, replace_unstorable=True)
    after = {row["id"]: row for row in table_contents(target.engine)["asset"]}
    assert set(after) == set(ids)
    assert after[ids[1]]["caption"] == "A cat.\ufffd EPA/JOHN DOE"


@pytest.mark.skipif(PG_URL is None, reason="set RIGHTSDESK_TEST_PG_URL to test PostgreSQL")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_everything_the_api_accepts_on_sqlite_restores_into_postgresql(
    client, runtime, make_target, tmp_path
):
    fill(client, runtime)
    hostile = "Tab\there, line\nfeed, \u200bzero width, \u00adsoft, \ufeffbom, \U0001f4f7, \x7f"
    upload = client.post(
        "/v1/assets",
        data={"caption": hostile},
        files={"file": ("\u00e9t\u00e9 " + "x" * 300 + ".jpg", jpeg_bytes(77), "image/jpeg")},
    )
    assert upload.status_code == 201, upload.text
    refused = client.put(f"/v1/assets/{upload.json()['id']}/caption", json={"caption": "a\x00"})
    assert refused.status_code == 422
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    target = make_target("postgresql")
    restore(target.engine, target.blobs, tmp_path / "desk.tar")

    def by_id(engine: sa.Engine) -> dict[str, Any]:  # JSONB keeps its own key order
        return {
            name: {
                r.get("id", (r.get("asset_id"), r.get("code"), r.get("version_num"))): r
                for r in rows
            }
            for name, rows in table_contents(engine).items()
        }

    assert by_id(target.engine) == by_id(runtime.engine)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_restore_command_explains_a_failure_in_words(client, runtime, tmp_path):
    def restore_command(archive: Path, url: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", "restore", str(archive)],
            cwd=REPO,
            env=cli_env(tmp_path / "fresh", url),
            capture_output=True,
            text=True,
            timeout=120,
        )

    _catalogue_from_an_older_release(client, runtime)
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes((tmp_path / "desk.tar").read_bytes()[:700])
    sqlite_url = f"sqlite:///{tmp_path / 'fresh' / 'rightsdesk.db'}"
    for archive, words in [
        (truncated, "truncated or damaged"),
        (tmp_path / "missing.tar", "there is no archive at"),
    ]:
        result = restore_command(archive, sqlite_url)
        assert result.returncode == 1
        assert words in " ".join(result.stderr.split())  # the terminal wraps lines
        assert "Traceback" not in result.stderr
    if PG_URL is not None:
        with pg_schema("cli") as pg_url:
            result = restore_command(tmp_path / "desk.tar", pg_url)
        assert result.returncode == 1
        assert "column caption: the text holds a NUL" in " ".join(result.stderr.split())
        assert "Traceback" not in result.stderr
