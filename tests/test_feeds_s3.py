"""Feeds on an S3 prefix of a real S3-compatible server (moto's, in its own process): objects
are ingested with their sidecars and moved under done/ or rejected/; two `rightsdesk watch`
replicas on one PostgreSQL catalogue and one prefix store each object once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.db import make_engine
from assets.feeds.config import FeedConfig
from assets.feeds.sources import S3Source
from assets.feeds.worker import FeedRunner
from assets.migrations import upgrade
from assets.tables import Asset
from tests.conftest import pg_schema
from tests.feeds_helpers import ninjs
from tests.images import jpeg_bytes
from tests.s3_server import aws_environment, moto_server, new_bucket, s3_client
from tests.served import REPO, cli_env

PG_URL = os.environ.get("RIGHTSDESK_TEST_PG_URL")
OBJECTS = 30


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


def keys(endpoint: str, bucket: str, prefix: str) -> set[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {o["Key"] for o in listing.get("Contents", [])}


def test_an_s3_prefix_is_watched_like_a_folder(runtime: Runtime, endpoint: str):
    bucket = new_bucket(endpoint)
    s3 = s3_client(endpoint)
    put = lambda key, body: s3.put_object(Bucket=bucket, Key=key, Body=body)  # noqa: E731
    put("wire/a.jpg", jpeg_bytes(1))
    put("wire/a.json", ninjs(description_text="Cap", usageterms="NO SALES"))
    put("wire/b.jpg.part", jpeg_bytes(2))  # still uploading under a temporary name
    put("wire/c.jpg", b"not a picture")
    put("wire/sub/d.jpg", jpeg_bytes(3))  # below the prefix's top level: not this feed's
    feed = FeedConfig(name="s3wire", source=f"s3://{bucket}/wire", sidecar_wait_seconds=0)
    work = FeedRunner(runtime.catalogue(), feed, source=S3Source(feed, client=s3), owner="t")
    assert work.run_once() == 2
    with Session(runtime.engine) as session:
        [asset] = session.exec(select(Asset)).all()
    assert asset.caption == "Cap"
    assert any(r["origin"] == "sidecar" for r in asset.rights["restrictions"])
    assert keys(endpoint, bucket, "wire/") == {
        "wire/b.jpg.part",
        "wire/sub/d.jpg",
        "wire/done/a.jpg",
        "wire/done/a.json",
        "wire/rejected/c.jpg",
        "wire/rejected/c.jpg.reason.txt",
    }
    reason = s3.get_object(Bucket=bucket, Key="wire/rejected/c.jpg.reason.txt")["Body"].read()
    assert b"not" in reason
    assert work.run_once() == 0


def watch(env: dict[str, str], feeds: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "watch", "--feeds", str(feeds)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_two_replicas_on_one_prefix_store_each_object_once(tmp_path: Path, endpoint: str):
    if not PG_URL:
        pytest.skip("two replicas need PostgreSQL: set RIGHTSDESK_TEST_PG_URL")
    bucket = new_bucket(endpoint)
    s3 = s3_client(endpoint)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "shared"\nsource = "s3://{bucket}/incoming"\npoll_seconds = 0.05\n'
    )
    with pg_schema("feeds") as url:
        envs = [
            cli_env(
                tmp_path / f"replica-{n}",
                url,
                RIGHTSDESK_BLOBS=f"s3://{bucket}/blobs",
                **aws_environment(endpoint),
            )
            for n in "ab"
        ]
        # migrate once first, as `rightsdesk db upgrade` would before replicas start
        migrating = make_engine(url)
        upgrade(migrating)
        migrating.dispose()
        logs = [tmp_path / f"{n}.log" for n in "ab"]
        replicas = [watch(env, feeds, log) for env, log in zip(envs, logs, strict=True)]
        try:
            deadline = time.monotonic() + 30
            while not all("watching" in log.read_text() for log in logs if log.exists()):
                assert time.monotonic() < deadline, [log.read_text() for log in logs]
                time.sleep(0.1)
            for i in range(OBJECTS):
                s3.put_object(Bucket=bucket, Key=f"incoming/p{i:02}.jpg", Body=jpeg_bytes(900 + i))
            deadline = time.monotonic() + 60
            while keys(endpoint, bucket, "incoming/p") and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            for process in replicas:
                process.send_signal(signal.SIGTERM)
            for process in replicas:
                process.wait(timeout=30)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                assets = connection.execute(sa.text("SELECT count(*) FROM asset")).scalar_one()
                ingests = connection.execute(
                    sa.text("SELECT count(*) FROM audit_event WHERE action = 'asset.ingest'")
                ).scalar_one()
                rows = connection.execute(
                    sa.text("SELECT state, outcome, owner FROM feed_item")
                ).all()
        finally:
            engine.dispose()
    assert assets == OBJECTS and ingests == OBJECTS
    assert len(rows) == OBJECTS
    assert {(state, outcome) for state, outcome, _ in rows} == {("done", "ingested")}
    done = keys(endpoint, bucket, "incoming/done/")
    assert len(done) == OBJECTS, [log.read_text()[-2000:] for log in logs]


def test_an_object_put_again_while_delivered_is_taken_as_new_and_nothing_is_overwritten(
    runtime: Runtime, endpoint: str, monkeypatch: pytest.MonkeyPatch
):
    import hashlib

    import assets.feeds.worker as worker

    bucket = new_bucket(endpoint)
    s3 = s3_client(endpoint)
    first, second, third = jpeg_bytes(21), jpeg_bytes(22), jpeg_bytes(23)
    s3.put_object(Bucket=bucket, Key="wire/a.jpg", Body=first)
    feed = FeedConfig(name="s3wire", source=f"s3://{bucket}/wire", sidecar_wait_seconds=0)
    work = FeedRunner(runtime.catalogue(), feed, source=S3Source(feed, client=s3), owner="t")
    real = worker.deliver

    def then_put_again(*args: object, **kwargs: object) -> object:
        delivered = real(*args, **kwargs)  # type: ignore[arg-type]
        s3.put_object(Bucket=bucket, Key="wire/a.jpg", Body=second)
        return delivered

    with monkeypatch.context() as patch:
        patch.setattr(worker, "deliver", then_put_again)
        work.run_once()
    work.run_once()  # the second version, as itself
    s3.put_object(Bucket=bucket, Key="wire/a.jpg", Body=third)
    work.run_once()  # the same name a third time
    with Session(runtime.engine) as session:
        stored = set(session.exec(select(Asset.sha256)))
    assert stored == {hashlib.sha256(d).hexdigest() for d in (first, second, third)}
    done = sorted(k for k in keys(endpoint, bucket, "wire/done/"))
    bodies = {s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in done}
    assert len(done) == 2 and bodies == {second, third}  # none overwritten
    assert keys(endpoint, bucket, "wire/") == set(done)
