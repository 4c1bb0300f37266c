"""`rightsdesk fsck`: orphans left by a crash are removed, lost data is reported, never hidden."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from assets.fsck import fsck, temp_dirs_of
from tests.images import jpeg_bytes
from tests.served import REPO, cli_env


def upload(client, seed: int) -> dict:
    response = client.post(
        "/v1/assets", files={"file": (f"{seed}.jpg", jpeg_bytes(seed), "image/jpeg")}
    )
    assert response.status_code == 201, response.text
    # its renditions drawn: a drawing under way has blobs and temp files not yet named
    drawer = client.app.state.runtime.drawer
    assert drawer is not None and drawer.drain(30)
    return response.json()


def orphan_blob(runtime, seed: int) -> str:
    """What a crash between storing the blob and committing the row leaves behind."""
    data = jpeg_bytes(seed)
    sha = hashlib.sha256(data).hexdigest()
    staged = runtime.settings.data_dir / f"staged-{seed}"
    staged.write_bytes(data)
    runtime.blobs.put_file(sha, staged)
    return sha


def stale_temp_files(runtime) -> list:
    spool = runtime.settings.data_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    files = [spool / "spool-abandoned", runtime.blobs.staging / "upload-abandoned"]
    for path in files:
        path.write_bytes(b"half an upload")
    return files


def age(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def run(runtime, **options):
    return fsck(
        runtime.engine,
        runtime.blobs,
        temp_dirs_of(runtime.settings.data_dir, runtime.blobs),
        **options,
    )


def test_clean_catalogue_has_nothing_to_report(client, runtime):
    upload(client, 1)
    report = run(runtime, min_age=0)
    assert (report.assets, report.blobs) == (1, 1)
    assert report.orphan_blobs == [] and report.stale_files == []
    assert not report.damaged


def test_orphan_blobs_and_stale_temp_files_are_removed(client, runtime):
    kept = upload(client, 1)
    orphan = orphan_blob(runtime, 2)
    temp_files = stale_temp_files(runtime)
    report = run(runtime, min_age=0)
    assert report.orphan_blobs == [orphan] and report.removed_blobs == [orphan]
    assert sorted(report.removed_files) == sorted(temp_files)
    assert not runtime.blobs.exists(orphan)
    assert runtime.blobs.exists(kept["sha256"])
    assert not any(path.exists() for path in temp_files)
    assert not report.damaged
    again = run(runtime, min_age=0)
    assert again.orphan_blobs == [] and again.stale_files == []


def test_recent_orphans_are_left_for_the_upload_that_is_still_committing(runtime):
    fresh = orphan_blob(runtime, 3)
    old = orphan_blob(runtime, 4)
    age(runtime.blobs.path_of(old), 7200)
    report = run(runtime)  # default minimum age: an hour
    assert report.recent_orphans == [fresh]
    assert report.removed_blobs == [old]
    assert runtime.blobs.exists(fresh) and not runtime.blobs.exists(old)


def test_storing_the_same_bytes_again_refreshes_an_orphans_age(runtime):
    sha = orphan_blob(runtime, 5)
    age(runtime.blobs.path_of(sha), 7200)
    orphan_blob(runtime, 5)  # a new upload of those bytes, its row not yet committed
    assert run(runtime).recent_orphans == [sha]
    assert runtime.blobs.exists(sha)


def test_dry_run_reports_but_removes_nothing(runtime):
    orphan = orphan_blob(runtime, 6)
    temp_files = stale_temp_files(runtime)
    report = run(runtime, min_age=0, repair=False)
    assert report.orphan_blobs == [orphan] and report.removed_blobs == []
    assert len(report.stale_files) == 2 and report.removed_files == []
    assert runtime.blobs.exists(orphan) and all(p.exists() for p in temp_files)


def test_asset_whose_blob_is_missing_is_reported_not_deleted(client, runtime):
    asset = upload(client, 7)
    runtime.blobs.delete(asset["sha256"])
    report = run(runtime, min_age=0)
    assert report.missing_blobs == [asset["sha256"]]
    assert report.damaged
    assert client.get(f"/v1/assets/{asset['id']}").status_code == 200  # the row stays


def test_blob_whose_bytes_changed_is_reported_as_corrupt(client, runtime):
    asset = upload(client, 8)
    path = runtime.blobs.path_of(asset["sha256"])
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    assert run(runtime, min_age=0).corrupt_blobs == [asset["sha256"]]
    assert run(runtime, min_age=0, verify=False).corrupt_blobs == []


def test_rows_naming_a_missing_asset_are_reported_as_dangling(client, runtime):
    asset = upload(client, 9)
    ghost = "f" * 32
    with runtime.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            connection.exec_driver_sql("SET session_replication_role = replica")
        connection.execute(
            sa.text(
                "INSERT INTO caption_version (id, asset_id, caption, created_at)"
                " VALUES (:id, :asset, 'lost', CURRENT_TIMESTAMP)"
            ),
            {"id": "a" * 32, "asset": ghost},
        )
        connection.commit()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        else:
            connection.exec_driver_sql("SET session_replication_role = DEFAULT")
    report = run(runtime, min_age=0)
    assert [(d.table, d.column, d.value, d.count) for d in report.dangling_rows] == [
        ("caption_version", "asset_id", ghost, 1)
    ]
    assert report.damaged
    assert report.missing_blobs == [] and asset["sha256"] not in report.orphan_blobs


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # same code path on both
def test_fsck_command_removes_orphans_and_exits_1_on_lost_data(client, runtime, database_url):
    def rightsdesk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=REPO,
            env=cli_env(runtime.settings.data_dir, database_url),
            capture_output=True,
            text=True,
            timeout=60,
        )

    asset = upload(client, 10)
    orphan = orphan_blob(runtime, 11)
    stale_temp_files(runtime)
    cleaned = rightsdesk("fsck", "--min-age", "0")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "orphan blobs: 1 found, 1 removed" in cleaned.stdout
    assert "stale temp files: 2 found, 2 removed" in cleaned.stdout
    assert "dangling rows: 0" in cleaned.stdout
    assert not runtime.blobs.exists(orphan)
    runtime.blobs.delete(asset["sha256"])
    broken = rightsdesk("fsck")
    assert broken.returncode == 1
    assert f"missing {asset['sha256']}" in broken.stdout
    assert "restore from a backup" in broken.stderr


def test_orphans_in_object_storage_are_removed_and_lost_blobs_reported(tmp_path, monkeypatch):
    from api.app import create_app
    from api.runtime import Runtime
    from assets.config import Settings
    from assets.db import session_scope
    from assets.keys import Role, create_key
    from assets.migrations import upgrade
    from tests.s3_server import aws_environment, moto_server, new_bucket

    with moto_server() as endpoint:
        for name, value in aws_environment(endpoint).items():
            monkeypatch.setenv(name, value)
        runtime = Runtime.from_settings(
            Settings(
                data_dir=tmp_path / "s3",
                database_url=f"sqlite:///{tmp_path / 's3.db'}",
                blobs=f"s3://{new_bucket(endpoint)}/photos",
            )
        )
        upgrade(runtime.engine)
        with session_scope(runtime.engine) as session:
            _row, key = create_key(session, "desk", Role.EDITOR)
        from fastapi.testclient import TestClient

        with TestClient(create_app(runtime=runtime)) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            kept, lost = upload(client, 31), upload(client, 32)
        orphan = orphan_blob(runtime, 33)
        assert run(runtime).recent_orphans == [orphan]  # just stored: spared by default
        runtime.blobs.delete(lost["sha256"])
        report = run(runtime, min_age=0)
        assert report.removed_blobs == [orphan]
        assert report.missing_blobs == [lost["sha256"]]
        assert report.corrupt_blobs == []  # the kept blob was re-hashed from the store
        assert runtime.blobs.exists(kept["sha256"]) and not runtime.blobs.exists(orphan)
        runtime.engine.dispose()
