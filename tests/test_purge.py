"""Purges: images past retention lose their files, keep a tombstone, and are denied (PURGED)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from assets.fsck import fsck, temp_dirs_of
from assets.purge import purge
from assets.tables import Alert, AuditEvent, Rendition, Tombstone
from tests.images import jpeg_bytes

REPO = Path(__file__).resolve().parents[1]
NO_ARCHIVES = "Flood in the city, 7 December 2026. EPA/JOHN DOE NO ARCHIVES"
LATER = datetime.now(UTC) + timedelta(days=400)


def upload(client, seed: int, caption: str) -> dict:
    data = jpeg_bytes(seed, caption=caption)
    response = client.post("/v1/assets", files={"file": ("p.jpg", data, "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()


def check(client, asset_id: str, **use: object) -> dict:
    body = {"assets": [asset_id], "use": {"purpose": "editorial", **use}}
    return client.post("/v1/rights/check", json=body).json()["results"][0]


def test_dry_run_lists_and_changes_nothing(client, runtime):
    old = upload(client, 1, NO_ARCHIVES)
    upload(client, 2, "Quiet day. EPA/JOHN DOE")
    report = purge(runtime.engine, runtime.blobs, now=LATER, dry_run=True)
    assert [d.asset_id for d in report.due] == [old["id"]]
    assert "NO ARCHIVES" in report.due[0].why
    assert any(old["id"] in line for line in report.lines(dry_run=True))
    assert runtime.blobs.exists(old["sha256"])
    assert check(client, old["id"], at=datetime.now(UTC).isoformat())["decision"] == "allow"


def test_purged_asset_is_denied_its_files_go_and_a_tombstone_stays(client, runtime):
    asset = upload(client, 3, NO_ARCHIVES)
    client.get(f"/v1/assets/{asset['id']}/renditions/thumb")  # a rendition to remove too
    assert runtime.drawer is not None and runtime.drawer.drain(30)  # no drawing under way
    with Session(runtime.engine) as session:
        drawn = [r.sha256 for r in session.exec(select(Rendition)) if r.sha256]
    client.post(
        "/v1/rights/check",
        json={
            "assets": [asset["id"]],
            "use": {"purpose": "editorial", "publication": "Daily", "url": "https://d.example/1"},
            "record": True,
        },
    )
    report = purge(runtime.engine, runtime.blobs, now=LATER)
    assert report.purged == [asset["id"]]
    result = check(client, asset["id"])
    assert result["decision"] == "deny" and result["reasons"][0]["code"] == "PURGED"
    assert not runtime.blobs.exists(asset["sha256"])
    assert all(not runtime.blobs.exists(sha) for sha in drawn)
    with Session(runtime.engine) as session:
        tombstone = session.get(Tombstone, asset["id"])
        assert tombstone is not None and tombstone.files_removed_at is not None
        assert tombstone.credit == "EPA/JOHN DOE" and "NO ARCHIVES" in tombstone.why
        actions = [e.action for e in session.exec(select(AuditEvent))]
        assert "asset.purge" in actions
        [alert] = session.exec(select(Alert)).all()
        assert alert.decision == "deny" and alert.reasons[0]["code"] == "PURGED"
    # idempotent: nothing more to do, and fsck sees no damage in a purged asset's absent file
    again = purge(runtime.engine, runtime.blobs, now=LATER)
    assert again.purged == [] and again.files_removed == []
    report = fsck(runtime.engine, runtime.blobs, temp_dirs_of(runtime.settings.data_dir,
                                                              runtime.blobs))  # fmt: skip
    assert not report.damaged
    thumb = client.get(f"/v1/assets/{asset['id']}/renditions/thumb")
    assert thumb.status_code == 200 and "purged" in thumb.headers["X-Rendition-Warning"]


def test_agreement_retention_purges_its_suppliers_images(client, runtime):
    asset = upload(client, 4, "Quiet day. EPA/JOHN DOE")
    client.post("/v1/agreements", json={"supplier": "EPA", "cost": "free", "retention_days": 7})
    soon = datetime.now(UTC) + timedelta(days=3)
    assert purge(runtime.engine, runtime.blobs, now=soon).purged == []
    report = purge(runtime.engine, runtime.blobs, now=soon + timedelta(days=5))
    assert report.purged == [asset["id"]] and "7 days" in report.due[0].why


def test_a_purge_killed_mid_way_is_finished_by_the_next_run(client, runtime, settings):
    """SIGKILL after the tombstone is committed and before the files go: the rerun removes them;
    nothing is left half-done (no purged asset with files, no file without its asset)."""
    first = upload(client, 5, NO_ARCHIVES)
    second = upload(client, 6, NO_ARCHIVES)
    script = textwrap.dedent(
        f"""
        import os, signal
        from datetime import datetime
        from api.runtime import Runtime
        from assets.config import Settings
        from assets.purge import purge
        runtime = Runtime.from_settings(Settings())
        purge(runtime.engine, runtime.blobs, now=datetime.fromisoformat({LATER.isoformat()!r}),
              after_commit=lambda _id: os.kill(os.getpid(), signal.SIGKILL))
        """
    )
    env = {
        **os.environ,
        "RIGHTSDESK_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.effective_database_url,
    }
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, timeout=120)
    assert done.returncode == -9
    with Session(runtime.engine) as session:
        [tombstone] = session.exec(select(Tombstone)).all()
        assert tombstone.files_removed_at is None
    killed_in = tombstone.asset_id
    assert runtime.blobs.exists(first["sha256"]) and runtime.blobs.exists(second["sha256"])
    assert check(client, killed_in)["reasons"][0]["code"] == "PURGED"

    report = purge(runtime.engine, runtime.blobs, now=LATER)
    assert killed_in in report.files_removed
    assert not runtime.blobs.exists(first["sha256"]) and not runtime.blobs.exists(second["sha256"])
    with Session(runtime.engine) as session:
        stones = session.exec(select(Tombstone)).all()
        assert sorted(t.asset_id for t in stones) == sorted([first["id"], second["id"]])
        assert all(t.files_removed_at is not None for t in stones)


def test_cli_purge_dry_run_lists_the_assets(client, runtime, settings):
    asset = upload(client, 7, NO_ARCHIVES)
    env = {
        **os.environ,
        "RIGHTSDESK_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.effective_database_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "purge", "--dry-run"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # not yet past retention today: listed only once due
    assert asset["id"] not in done.stdout and "0 asset(s) would purge" in done.stdout


@pytest.mark.parametrize("replicas", [3])
def test_concurrent_purges_purge_each_asset_once(client, runtime, replicas):
    import threading

    assets = [upload(client, 10 + n, NO_ARCHIVES) for n in range(4)]
    reports = []

    def run() -> None:
        reports.append(purge(runtime.engine, runtime.blobs, now=LATER))

    threads = [threading.Thread(target=run) for _ in range(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    purged = [a for r in reports for a in r.purged]
    assert sorted(purged) == sorted(a["id"] for a in assets)
    with Session(runtime.engine) as session:
        events = [e for e in session.exec(select(AuditEvent)) if e.action == "asset.purge"]
    assert len(events) == len(assets)
