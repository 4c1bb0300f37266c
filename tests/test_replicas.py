"""Two `rightsdesk serve` replicas on one PostgreSQL schema and one S3 bucket act as one service.

Nothing a request needs lives inside a process: what one replica stores, the other reads,
checks, downloads and kills; both uploading the same bytes at once still make one asset.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from assets.blobs_s3 import S3BlobStore
from tests.conftest import pg_schema
from tests.images import jpeg_bytes
from tests.s3_server import aws_environment, moto_server, new_bucket, s3_client
from tests.served import Served, cli, serving_together

pytestmark = pytest.mark.slow

PG_URL = os.environ.get("RIGHTSDESK_TEST_PG_URL")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def schema_url() -> Iterator[str]:
    """A PostgreSQL schema of its own, shared by both replicas."""
    if not PG_URL:
        pytest.skip(
            "replicas need PostgreSQL: set RIGHTSDESK_TEST_PG_URL, e.g."
            " postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    with pg_schema("replicas") as url:
        yield url


@pytest.fixture(scope="module")
def s3_endpoint(schema_url: str) -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def cluster(
    schema_url: str, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Served, Served, dict[str, str]]]:
    """Replicas A and B, each with its own local folder (spool only), and an admin key."""
    bucket = new_bucket(s3_endpoint)
    shared = {
        "DATABASE_URL": schema_url,
        "RIGHTSDESK_BLOBS": f"s3://{bucket}/rightsdesk",
        "RIGHTSDESK_AUTH": "on",
        **aws_environment(s3_endpoint),
    }
    setup = {**shared, "RIGHTSDESK_DATA_DIR": str(tmp_path_factory.mktemp("setup"))}
    # migrates the schema first, once, as `rightsdesk db upgrade` would before the replicas start
    key = cli(setup, "keys", "create", "--role", "admin", "--name", "replicas").splitlines()[-1]
    envs = [
        {**shared, "RIGHTSDESK_DATA_DIR": str(tmp_path_factory.mktemp(f"replica-{name}"))}
        for name in "ab"
    ]
    with serving_together(envs) as (a, b):
        yield a, b, {**shared, "key": key, "bucket": bucket}


def client(served: Served, key: str) -> httpx.Client:
    return httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def check(http: httpx.Client, asset: str, purpose: str) -> str:
    response = http.post(
        "/v1/rights/check",
        json={"assets": [asset], "use": {"purpose": purpose, "channel": "web", "territory": "GB"}},
    )
    assert response.status_code == 200, response.text
    decision: str = response.json()["results"][0]["decision"]
    return decision


def test_both_replicas_are_ready_on_the_shared_database_and_bucket(
    cluster: tuple[Served, Served, dict[str, str]],
) -> None:
    for served in cluster[:2]:
        response = httpx.get(f"{served.url}/readyz", timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["checks"] == {"database": "ok", "blobs": "ok"}


def test_what_one_replica_stores_the_other_reads_checks_overrides_and_kills(
    cluster: tuple[Served, Served, dict[str, str]],
) -> None:
    a, b, env = cluster
    image = (SEEDS / "epa09674804.jpg").read_bytes()
    caption = (SEEDS / "epa09674804.txt").read_text(encoding="utf-8").strip()
    with client(a, env["key"]) as via_a, client(b, env["key"]) as via_b:
        uploaded = via_a.post(
            "/v1/assets", files={"file": ("handout.jpg", image)}, data={"caption": caption}
        )
        assert uploaded.status_code == 201, uploaded.text
        asset = uploaded.json()

        seen = via_b.get(f"/v1/assets/{asset['id']}")
        assert seen.status_code == 200
        assert seen.json()["rights"] == asset["rights"]
        assert (
            via_b.get(f"/v1/assets/by-ref/{asset['rights']['agency_ref']}").json()["id"]
            == (asset["id"])
        )
        download = via_b.get(f"/v1/assets/{asset['id']}/file")
        assert download.status_code == 200
        assert download.content == image

        assert check(via_b, asset["id"], "sale") == "deny"  # NO SALES handout
        editorial_before = check(via_b, asset["id"], "editorial")
        assert editorial_before == check(via_a, asset["id"], "editorial")
        assert editorial_before != "deny"

        lease = via_a.post(
            f"/v1/assets/{asset['id']}/overrides",
            json={"effect": "deny", "purposes": ["editorial"], "reason": "legal hold"},
        )
        assert lease.status_code == 201, lease.text
        assert check(via_b, asset["id"], "editorial") == "deny"
        lifted = via_b.delete(f"/v1/assets/{asset['id']}/overrides/{lease.json()['id']}")
        assert lifted.status_code == 204
        assert check(via_a, asset["id"], "editorial") == editorial_before

        killed = via_b.post(f"/v1/assets/{asset['id']}/kill", json={"reason": "agency kill"})
        assert killed.status_code == 200, killed.text
        assert killed.json()["status"] == "killed"
        assert check(via_a, asset["id"], "editorial") == "deny"
        assert via_a.get(f"/v1/assets/{asset['id']}").json()["status"] == "killed"


def test_same_bytes_uploaded_through_both_replicas_at_once_make_one_asset(
    cluster: tuple[Served, Served, dict[str, str]], schema_url: str
) -> None:
    a, b, env = cluster
    image = jpeg_bytes(seed=random.randrange(1 << 30), size=(320, 240))
    sha = hashlib.sha256(image).hexdigest()
    uploaders = 8
    start = threading.Barrier(uploaders)
    answers: list[httpx.Response] = []

    def upload(served: Served) -> None:
        with client(served, env["key"]) as http:
            start.wait()
            answers.append(http.post("/v1/assets", files={"file": ("same.jpg", image)}))

    threads = [threading.Thread(target=upload, args=((a, b)[n % 2],)) for n in range(uploaders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] * (uploaders - 1) + [201], [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1
    assert all(r.json().get("duplicate") for r in answers if r.status_code == 200)
    # every upload also queued its renditions: once both replicas answer for them, no
    # drawing is left half done
    for served in (a, b):
        with client(served, env["key"]) as http:
            thumb = http.get(f"/v1/assets/{answers[0].json()['id']}/renditions/thumb")
            assert thumb.status_code == 200

    engine = sa.create_engine(schema_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT count(*) FROM asset WHERE sha256 = :sha"), {"sha": sha}
            ).scalar_one()
            catalogued = set(connection.execute(sa.text("SELECT sha256 FROM asset")).scalars())
            drawn = set(
                connection.execute(
                    sa.text("SELECT sha256 FROM rendition WHERE sha256 IS NOT NULL")
                ).scalars()
            )
    finally:
        engine.dispose()
    assert rows == 1
    bucket = S3BlobStore(env["bucket"], "rightsdesk/", client=s3_client(env["AWS_ENDPOINT_URL"]))
    # one object per asset and per rendition, none left over
    assert set(bucket.keys()) == catalogued | drawn


def test_both_replicas_asked_at_once_serve_one_rendition(
    cluster: tuple[Served, Served, dict[str, str]], schema_url: str
) -> None:
    a, b, env = cluster
    image = jpeg_bytes(seed=random.randrange(1 << 30), size=(2400, 1600))
    with client(a, env["key"]) as http:
        # the uploading replica starts drawing at once; the others ask while it does
        asset = http.post("/v1/assets", files={"file": ("big.jpg", image)}).json()
    askers = 6
    start = threading.Barrier(askers)
    answers: list[httpx.Response] = []

    def ask(served: Served) -> None:
        with client(served, env["key"]) as http:
            start.wait()
            answers.append(http.get(f"/v1/assets/{asset['id']}/renditions/preview"))

    threads = [threading.Thread(target=ask, args=((a, b)[n % 2],)) for n in range(askers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in answers] == [200] * askers
    assert len({r.headers["etag"] for r in answers}) == 1
    assert len({r.content for r in answers}) == 1
    engine = sa.create_engine(schema_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT kind, sha256 FROM rendition WHERE source_sha256 = :sha"),
                {"sha": asset["sha256"]},
            ).all()
    finally:
        engine.dispose()
    assert sorted(kind for kind, _sha in rows) == ["preview", "thumb"]
    assert dict(rows)["preview"] == answers[0].headers["etag"].strip('"')


def test_replicas_starting_at_once_on_a_new_database_migrate_it_once(
    schema_url: str, tmp_path: Path
) -> None:
    fresh = schema_url.replace("replicas_", "fresh_")
    schema = fresh.rsplit("%3D", 1)[1]
    admin = sa.create_engine(PG_URL or "")
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    # each process imports first, then all of them migrate at the same instant
    upgrade = (
        "import os, time; from assets.db import make_engine; from assets.migrations import upgrade;"
        " time.sleep(max(0, float(os.environ['START_AT']) - time.time()));"
        " upgrade(make_engine(os.environ['DATABASE_URL']))"
    )
    start_at = str(time.time() + 5)
    try:
        starts = [
            subprocess.Popen(
                [sys.executable, "-c", upgrade],
                env={**os.environ, "DATABASE_URL": fresh, "START_AT": start_at},
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        failures = [p.communicate(timeout=60)[1].decode()[-500:] for p in starts if p.wait()]
        assert failures == []
        with admin.connect() as connection:
            versions = connection.execute(
                sa.text(f'SELECT count(*) FROM "{schema}".alembic_version')
            ).scalar_one()
        assert versions == 1
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
