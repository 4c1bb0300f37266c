"""Crash consistency: a server killed mid-upload loses nothing it acknowledged and leaves only
orphans that `rightsdesk fsck` removes; racing uploads of the same bytes make one asset."""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image

from api.runtime import Runtime
from assets.keys import Role
from tests.served import REPO, Server, cli_env

ROUNDS = 4
UPLOADERS = 3


def noise_jpeg(rng: random.Random, side: int = 192) -> bytes:
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def catalogue(database_url: str) -> dict[str, str]:
    """asset id -> sha256 for every row, read straight from the database."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(sa.text("SELECT id, sha256 FROM asset")).all())
    finally:
        engine.dispose()


def rendition_blobs(database_url: str) -> set[str]:
    """The blobs the renditions of those assets name (drawn after each upload)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT sha256 FROM rendition WHERE sha256 IS NOT NULL")
            return set(connection.execute(query).scalars())
    finally:
        engine.dispose()


def blob_path(data_dir: Path, sha: str) -> Path:
    return data_dir / "blobs" / sha[:2] / sha[2:4] / sha


def stored_blobs(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "blobs").glob("??/??/*") if len(p.name) == 64}


def upload_until_stopped(
    url: str,
    key: str,
    seed: int,
    stop: threading.Event,
    acknowledged: dict[str, str],
    refused: list[str],
    lock: threading.Lock,
) -> None:
    """Upload new images one after another until the server dies or `stop` is set."""
    rng = random.Random(seed)
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as http:
        while not stop.is_set():
            data = noise_jpeg(rng)
            try:
                response = http.post("/v1/assets", files={"file": ("x.jpg", data, "image/jpeg")})
            except httpx.HTTPError:
                return  # the server is gone: this upload was never acknowledged
            with lock:
                if response.status_code in (200, 201):
                    acknowledged[response.json()["id"]] = hashlib.sha256(data).hexdigest()
                else:
                    refused.append(f"{response.status_code} {response.text}")


@pytest.mark.slow
def test_sigkill_mid_upload_loses_no_acknowledged_asset_and_fsck_clears_the_debris(
    tmp_path, database_url
):
    rng = random.Random(20261125)
    data_dir = tmp_path / "data"
    server = Server(data_dir, database_url)
    acknowledged: dict[str, str] = {}
    refused: list[str] = []
    lock = threading.Lock()
    for round_number in range(ROUNDS):
        server.start()
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=upload_until_stopped,
                args=(
                    server.url,
                    server.admin_key(),
                    round_number * UPLOADERS + n,
                    stop,
                    acknowledged,
                    refused,
                    lock,
                ),
            )
            for n in range(UPLOADERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, 1.2))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert refused == [], "the server answered an upload with an error"
    assert len(acknowledged) >= ROUNDS, "too few uploads got through to test anything"
    print(f"{len(acknowledged)} uploads acknowledged over {ROUNDS} kills")

    server.start()  # recovers from the last kill by itself
    try:
        rows = catalogue(database_url)
        assert set(acknowledged) <= set(rows), "an acknowledged upload was lost"
        for asset_id, sha in rows.items():
            path = blob_path(data_dir, sha)
            assert path.is_file(), f"asset {asset_id} has no blob"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
        with httpx.Client(
            base_url=server.url,
            timeout=10,
            headers={"Authorization": f"Bearer {server.admin_key()}"},
        ) as http:
            for asset_id, sha in acknowledged.items():
                served = http.get(f"/v1/assets/{asset_id}/file")
                assert hashlib.sha256(served.content).hexdigest() == sha
    finally:
        server.stop()

    # what a crash between blob and row leaves, planted so there is always something to clear
    orphan = rng.randbytes(64)
    orphan_sha = hashlib.sha256(orphan).hexdigest()
    blob_path(data_dir, orphan_sha).parent.mkdir(parents=True, exist_ok=True)
    blob_path(data_dir, orphan_sha).write_bytes(orphan)
    (data_dir / "tmp").mkdir(exist_ok=True)
    (data_dir / "tmp" / "spool-left-by-a-kill").write_bytes(b"half")
    drawn = rendition_blobs(database_url)  # the server is stopped: no drawing is under way
    orphans_before = stored_blobs(data_dir) - set(rows.values()) - drawn
    print(f"{len(orphans_before) - 1} orphan blobs left by the kills, {len(rows)} assets")
    assert orphan_sha in orphans_before

    fsck = subprocess.run(
        [sys.executable, "-m", "api.cli", "fsck", "--min-age", "0"],
        cwd=REPO,
        env=cli_env(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert (
        f"orphan blobs: {len(orphans_before)} found, {len(orphans_before)} removed" in fsck.stdout
    )
    assert "assets whose blob is missing: 0" in fsck.stdout
    assert "dangling rows: 0" in fsck.stdout
    assert stored_blobs(data_dir) == set(catalogue(database_url).values()) | drawn
    assert list((data_dir / "tmp").glob("*")) == []


def race_upload(
    client,
    data: bytes,
    barrier: threading.Barrier,
    answers: list[httpx.Response],
    lock: threading.Lock,
) -> None:
    barrier.wait()  # every thread sends at the same moment
    response = client.post("/v1/assets", files={"file": ("same.jpg", data, "image/jpeg")})
    with lock:
        answers.append(response)


def test_racing_uploads_of_the_same_bytes_make_exactly_one_asset(client, runtime: Runtime):
    rng = random.Random(7)
    for _image in range(4):
        data = noise_jpeg(rng, side=48)
        barrier = threading.Barrier(8)
        answers: list[httpx.Response] = []
        lock = threading.Lock()
        threads = [
            threading.Thread(target=race_upload, args=(client, data, barrier, answers, lock))
            for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [200] * 7 + [201], [r.text for r in answers]
        assert len({r.json()["id"] for r in answers}) == 1
        assert sum(r.json()["duplicate"] for r in answers) == 7
        sha = hashlib.sha256(data).hexdigest()
        with runtime.engine.connect() as connection:
            count = connection.execute(
                sa.text("SELECT COUNT(*) FROM asset WHERE sha256 = :s"), {"s": sha}
            ).scalar_one()
        assert count == 1
        assert runtime.blobs.exists(sha)


# --- data safety: the database settings and transaction boundaries crash safety rests on ---


def test_sqlite_catalogue_runs_in_wal_mode_with_foreign_keys_enforced(runtime: Runtime):
    with runtime.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("PostgreSQL always enforces foreign keys and has no journal mode")
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    wal = Path(str(runtime.engine.url.database) + "-wal")
    assert wal.exists()  # the write-ahead log sits beside the catalogue file


def test_rows_naming_a_missing_asset_are_refused_by_the_database(runtime: Runtime):
    with runtime.engine.connect() as connection, pytest.raises(sa.exc.IntegrityError):
        connection.execute(
            sa.text(
                "INSERT INTO caption_version (id, asset_id, caption, created_at)"
                " VALUES (:id, :asset, 'orphan', CURRENT_TIMESTAMP)"
            ),
            {"id": "b" * 32, "asset": "c" * 32},
        )
        connection.commit()


def row_counts(runtime: Runtime) -> dict[str, int]:
    with runtime.engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("asset", "asset_restriction", "caption_version", "audit_event", "outbox")
        }


def fail_after_flush(session, **_event) -> None:
    session.flush()  # the rows before this one have reached the database...
    raise RuntimeError("disk full")  # ...and then the change fails half-way


def test_upload_failing_half_way_leaves_no_rows_only_an_orphan_blob(
    runtime: Runtime, make_key, monkeypatch
):
    import assets.ingest
    from api.app import create_app
    from tests.images import jpeg_bytes

    monkeypatch.setattr(assets.ingest, "record_event", fail_after_flush)
    data = jpeg_bytes(21, caption="A cat. EPA/JOHN DOE EDITORIAL USE ONLY")
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/assets",
            files={"file": ("a.jpg", data, "image/jpeg")},
            headers={"Authorization": f"Bearer {make_key(Role.EDITOR)}"},
        )
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert row_counts(runtime) == {
        "asset": 0,
        "asset_restriction": 0,
        "caption_version": 0,
        "audit_event": 0,
        "outbox": 0,
    }
    assert list(runtime.blobs.keys()) == [hashlib.sha256(data).hexdigest()]  # for fsck


def test_kill_failing_half_way_changes_nothing(runtime: Runtime, client, monkeypatch):
    import assets.kills
    from api.app import create_app
    from tests.images import jpeg_bytes

    stored = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(22), "image/jpeg")})
    asset_id = stored.json()["id"]
    before = row_counts(runtime)
    monkeypatch.setattr(assets.kills, "record_event", fail_after_flush)
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as failing:
        response = failing.post(
            f"/v1/assets/{asset_id}/kill",
            json={"reason": "withdrawn"},
            headers={"Authorization": client.headers["Authorization"]},
        )
    assert response.status_code == 500
    assert row_counts(runtime) == before
    assert client.get(f"/v1/assets/{asset_id}").json()["status"] == "active"
