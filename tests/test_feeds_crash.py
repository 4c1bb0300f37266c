"""Crash recovery: `rightsdesk watch` killed with SIGKILL mid-feed, again and again, then
restarted: every file ends in the catalogue (and done/) or in rejected/, none vanished, none
was stored twice."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.feeds_helpers import drop
from tests.images import jpeg_bytes
from tests.served import REPO, cli_env

FILES = 24
BAD = 4


def start_watch(
    data_dir: Path, database_url: str, feeds: Path, log: Path
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "watch", "--feeds", str(feeds)],
            cwd=REPO,
            env=cli_env(data_dir, database_url, COLUMNS="120"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stored(database_url: str) -> dict[str, int]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT sha256 FROM asset")).all()
    finally:
        engine.dispose()
    counts: dict[str, int] = {}
    for (sha,) in rows:
        counts[sha] = counts.get(sha, 0) + 1
    return counts


def test_kill_9_mid_feed_loses_nothing_and_stores_nothing_twice(tmp_path: Path):
    # one backend is enough here: claims on both are proven by tests/test_feeds_claims.py
    database_url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "crash"\nsource = "{inbox}"\nsettle_seconds = 0.1\n'
        "lease_seconds = 1\npoll_seconds = 0.2\nretry_base_seconds = 0.1\n"
    )
    data_dir = tmp_path / "data"
    log = tmp_path / "watch.log"
    good = {f"g{i:03}.jpg": jpeg_bytes(500 + i, size=(320, 240)) for i in range(FILES)}
    bad = {f"b{i}.jpg": b"\xff\xd8\xff\xe0 broken " + bytes([i]) for i in range(BAD)}
    for name, data in {**good, **bad}.items():
        drop(inbox, name, data)

    def handled() -> int:
        return sum(1 for folder in ("done", "rejected") for p in (inbox / folder).glob("*.jpg"))

    for round_ in range(2):
        process = start_watch(data_dir, database_url, feeds, log)
        target = (round_ + 1) * (FILES + BAD) // 3
        deadline = time.monotonic() + 60
        while handled() < target and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
    process = start_watch(data_dir, database_url, feeds, log)
    deadline = time.monotonic() + 90
    while any(inbox.glob("*.jpg")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0, log.read_text()[-3000:]

    assert not list(inbox.glob("*.jpg")), log.read_text()[-3000:]
    done = {p.name for p in (inbox / "done").glob("*.jpg")}
    rejected = {p.name for p in (inbox / "rejected").glob("*.jpg")}
    assert done == set(good) and rejected == set(bad)
    assert all((inbox / "rejected" / f"{n}.reason.txt").exists() for n in bad)
    counts = stored(database_url)
    assert set(counts) == {hashlib.sha256(d).hexdigest() for d in good.values()}
    assert set(counts.values()) == {1}
