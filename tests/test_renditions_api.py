"""GET /v1/assets/{id}/renditions/{thumb|preview}: made once, cached, never a killed picture."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

import assets.renditions as renditions
from api.app import create_app
from api.routes.renditions import rendition_url
from api.runtime import Runtime
from assets.blobs import BlobNotFound
from assets.config import Settings
from assets.fsck import fsck
from assets.keys import Role
from assets.migrations import upgrade
from assets.rendering import placeholder
from assets.renditions import KILLED, NO_PREVIEW, VERSION, Kind, cache_token
from assets.tables import Asset, Rendition
from tests.s3_server import aws_environment, moto_server, new_bucket, s3_client

REPO = Path(__file__).resolve().parents[1]


def photo(seed: int = 0, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A distinct JPEG bigger than a preview."""
    image = Image.new("RGB", size, ((seed * 53) % 256, 90, 160))
    image.paste(Image.new("RGB", (size[0] // 4, size[1] // 4), (230, 20, 20)), (0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    whole = io.BytesIO()
    Image.effect_noise((900, 700), 50).convert("RGB").save(whole, "JPEG", quality=90)
    data = whole.getvalue()
    return data[: len(data) // 3]


def upload(client: TestClient, data: bytes, name: str = "photo.jpg") -> dict[str, object]:
    response = client.post("/v1/assets", files={"file": (name, data, "image/jpeg")})
    assert response.status_code in (200, 201), response.text
    body: dict[str, object] = response.json()
    return body


def rows_of(runtime: Runtime, sha: str) -> list[Rendition]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Rendition).where(Rendition.source_sha256 == sha)).all())


def url(asset_id: object, kind: str = "thumb") -> str:
    return f"/v1/assets/{asset_id}/renditions/{kind}"


# --- serving -------------------------------------------------------------------------------


def test_the_upload_answers_before_drawing_and_the_drawer_makes_both_after(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawer = runtime.drawer
    assert drawer is not None  # the served app draws uploads' renditions in the background
    real_draw = renditions.draw
    gate, drawing = threading.Event(), threading.Event()
    held_up: list[str] = []

    def held_draw(*args: object, **kwargs: object) -> object:
        drawing.set()
        if not gate.wait(10):  # the gate opens only once the upload has answered
            held_up.append("the upload waited for its renditions to be drawn")
            raise RuntimeError("held up")
        return real_draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renditions, "draw", held_draw)
    try:
        asset = upload(client, photo())  # answers while its drawing cannot finish
        assert held_up == []
        assert drawing.wait(30), "the upload's renditions were never drawn"
        assert rows_of(runtime, str(asset["sha256"])) == []  # not written before the answer
    finally:
        gate.set()
    assert drawer.drain(30)
    rows = {row.kind: row for row in rows_of(runtime, str(asset["sha256"]))}
    assert set(rows) == {"thumb", "preview"}  # made by the drawer, before any request
    for kind, longest in (("thumb", 256), ("preview", 1200)):
        response = client.get(url(asset["id"], kind))
        assert response.status_code == 200
        assert response.headers["etag"] == f'"{rows[kind].sha256}"'
        assert max(Image.open(io.BytesIO(response.content)).size) == longest


def test_a_rendition_asked_right_after_upload_is_drawn_on_request_and_stored(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "drawer", None)  # as for files from feeds and `ingest`
    asset = upload(client, photo())
    assert rows_of(runtime, str(asset["sha256"])) == []
    for kind, longest in (("thumb", 256), ("preview", 1200)):
        response = client.get(url(asset["id"], kind))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "x-rendition-warning" not in response.headers
        image = Image.open(io.BytesIO(response.content))
        assert max(image.size) == longest
        digest = hashlib.sha256(response.content).hexdigest()
        rows = {row.kind: row for row in rows_of(runtime, str(asset["sha256"]))}
        assert response.headers["etag"] == f'"{digest}"' == f'"{rows[kind].sha256}"'
        assert runtime.blobs.get(digest) == response.content  # stored whole, served as stored


def test_a_rendition_asked_while_the_drawer_holds_it_is_served_from_that_one_drawing(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runtime.drawer is not None
    real_draw = renditions.draw
    calls: list[int] = []
    gate, drawing = threading.Event(), threading.Event()

    def held_draw(*args: object, **kwargs: object) -> object:
        calls.append(1)
        drawing.set()
        assert gate.wait(30), "the test never let the drawing go on"
        return real_draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renditions, "draw", held_draw)
    answers: list[tuple[int, bytes]] = []
    try:
        asset = upload(client, photo(9))
        assert drawing.wait(30)

        def ask() -> None:
            response = client.get(url(asset["id"], "preview"))
            answers.append((response.status_code, response.content))

        asker = threading.Thread(target=ask)
        asker.start()
    finally:
        gate.set()
    asker.join(30)
    assert runtime.drawer.drain(30)
    [(status, content)] = answers
    assert status == 200 and max(Image.open(io.BytesIO(content)).size) == 1200
    assert len(calls) == 1  # one drawing, the drawer's, served the request too
    preview = next(r for r in rows_of(runtime, str(asset["sha256"])) if r.kind == "preview")
    assert preview.sha256 == hashlib.sha256(content).hexdigest()


def test_etag_answers_304_and_the_cache_token_makes_it_immutable(
    client: TestClient, runtime: Runtime
) -> None:
    asset = upload(client, photo(1))
    first = client.get(url(asset["id"]))
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url(asset["id"]), headers={"If-None-Match": validator})
        assert again.status_code == 304, validator
        assert again.content == b""
        assert again.headers["etag"] == etag
    stale = client.get(url(asset["id"]), headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.content == first.content
    with Session(runtime.engine) as session:
        stored = session.get(Asset, asset["id"])
        assert stored is not None
        cached = client.get(rendition_url(stored, Kind.THUMB))
    assert cached.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert cached.content == first.content
    wrong_token = client.get(url(asset["id"]), params={"v": "not-the-token"})
    assert wrong_token.headers["cache-control"] == "private, no-cache"


def test_a_killed_asset_shows_a_killed_card_and_a_new_cache_token(
    client: TestClient, runtime: Runtime
) -> None:
    asset = upload(client, photo(2))
    real = client.get(url(asset["id"], "preview"))
    with Session(runtime.engine) as session:
        before = session.get(Asset, asset["id"])
        assert before is not None
        token_before = cache_token(before)
    killed = client.post(f"/v1/assets/{asset['id']}/kill", json={"reason": "agency kill"})
    assert killed.status_code == 200, killed.text
    for kind, size in (("preview", 1200), ("thumb", 256)):
        response = client.get(
            url(asset["id"], kind), headers={"If-None-Match": real.headers["etag"]}
        )
        assert response.status_code == 200  # the old picture is no longer current
        assert response.content == placeholder(size, KILLED).data
        assert "killed" in response.headers["x-rendition-warning"]
        assert response.content != real.content
    with Session(runtime.engine) as session:
        after = session.get(Asset, asset["id"])
        assert after is not None
        assert cache_token(after) != token_before
    # even with the token of before the kill, the answer is not cacheable for long
    old = client.get(url(asset["id"]), params={"v": token_before})
    assert old.headers["cache-control"] == "private, no-cache"


@pytest.mark.parametrize("drawn_by", ["the drawer", "the request"])
def test_a_corrupt_picture_is_stored_and_gets_a_no_preview_card_with_a_warning(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, drawn_by: str
) -> None:
    if drawn_by == "the request":
        monkeypatch.setattr(runtime, "drawer", None)
    asset = upload(client, truncated_jpeg(), "broken.jpg")  # the upload itself succeeds
    if runtime.drawer is not None:
        assert runtime.drawer.drain(30)
        assert len(rows_of(runtime, str(asset["sha256"]))) == 2  # recorded before any request
    for kind, size in (("thumb", 256), ("preview", 1200)):
        response = client.get(url(asset["id"], kind))
        assert response.status_code == 200
        assert response.content == placeholder(size, NO_PREVIEW).data
        assert "cannot be decoded" in response.headers["x-rendition-warning"]
        again = client.get(
            url(asset["id"], kind), headers={"If-None-Match": response.headers["etag"]}
        )
        assert again.status_code == 304
    rows = rows_of(runtime, str(asset["sha256"]))
    assert len(rows) == 2 and all(row.sha256 is None and row.problem for row in rows)


def test_a_failure_to_draw_after_upload_never_fails_the_upload(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(renditions, "draw", broken)
    asset = upload(client, photo(3))
    assert runtime.drawer is not None and runtime.drawer.drain(30)
    assert rows_of(runtime, str(asset["sha256"])) == []  # nothing recorded: tried again later
    monkeypatch.undo()
    response = client.get(url(asset["id"]))
    assert response.status_code == 200
    assert len(rows_of(runtime, str(asset["sha256"]))) == 2


def test_a_missing_rendition_blob_is_drawn_again(client: TestClient, runtime: Runtime) -> None:
    asset = upload(client, photo(4))
    first = client.get(url(asset["id"]))
    runtime.blobs.delete(first.headers["etag"].strip('"'))
    again = client.get(url(asset["id"]))
    assert again.status_code == 200
    assert Image.open(io.BytesIO(again.content)).size == (256, 192)
    assert runtime.blobs.exists(again.headers["etag"].strip('"'))


def test_unknown_kind_and_unknown_asset_are_problems(client: TestClient) -> None:
    asset = upload(client, photo(5))
    wrong_kind = client.get(url(asset["id"], "huge"))
    assert wrong_kind.status_code == 422
    assert wrong_kind.headers["content-type"] == "application/problem+json"
    assert "thumb" in wrong_kind.json()["detail"]
    missing = client.get(url("0" * 26))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_renditions_need_a_key_like_every_route(
    client: TestClient, make_key: Callable[[Role], str]
) -> None:
    asset = upload(client, photo(6))
    anonymous = client.get(url(asset["id"]), headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    wrong = client.get(url(asset["id"]), headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    # 304 is no way around it either
    etag = client.get(url(asset["id"])).headers["etag"]
    no_key = client.get(url(asset["id"]), headers={"Authorization": "", "If-None-Match": etag})
    assert no_key.status_code == 401
    viewer = client.get(
        url(asset["id"]), headers={"Authorization": f"Bearer {make_key(Role.VIEWER)}"}
    )
    assert viewer.status_code == 200


def test_the_route_is_declared_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][
        "/v1/assets/{asset_id}/renditions/{kind}"
    ]["get"]
    assert set(operation["responses"]["200"]["content"]) >= {"image/jpeg", "image/webp"}
    assert "304" in operation["responses"]
    kind = next(p for p in operation["parameters"] if p["name"] == "kind")
    assert kind["in"] == "path"


# --- made once ------------------------------------------------------------------------------


def test_two_threads_asking_first_draw_once_and_get_one_blob(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_draw = renditions.draw

    def slow_draw(*args: object, **kwargs: object) -> object:
        calls.append(1)
        time.sleep(0.3)
        return real_draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runtime, "drawer", None)
    asset = upload(client, photo(7))
    assert rows_of(runtime, str(asset["sha256"])) == []
    monkeypatch.setattr(renditions, "draw", slow_draw)
    start = threading.Barrier(2)
    answers: list[tuple[int, str, bytes]] = []

    def ask() -> None:
        start.wait()
        response = client.get(url(asset["id"], "preview"))
        answers.append((response.status_code, response.headers["etag"], response.content))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(calls) == 1
    assert len(answers) == 2 and answers[0] == answers[1] and answers[0][0] == 200
    assert len(rows_of(runtime, str(asset["sha256"]))) == 2


def test_pictures_being_drawn_never_hold_up_other_routes(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "drawer", None)
    assets = [upload(client, photo(40 + n, (400, 300))) for n in range(6)]
    real_draw = renditions.draw

    def slow_draw(*args: object, **kwargs: object) -> object:
        time.sleep(1.0)
        return real_draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renditions, "draw", slow_draw)
    # the threads sync routes run on: fewer than the pictures asked for at once
    assert client.portal is not None
    client.portal.call(_set_default_threads, 3)
    answers: list[int] = []

    def ask(asset_id: object) -> None:
        answers.append(client.get(url(asset_id)).status_code)

    threads = [threading.Thread(target=ask, args=(a["id"],)) for a in assets]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    other = client.get(f"/v1/assets/{assets[0]['id']}")
    waited = time.monotonic() - started
    for thread in threads:
        thread.join(60)
    assert other.status_code == 200
    assert waited < 0.8, f"an asset lookup waited {waited:.2f} s behind drawings"
    assert answers == [200] * len(assets)


async def _set_default_threads(count: int) -> None:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = count


def test_a_waiter_gives_up_after_the_wait_with_503(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha = hashlib.sha256(b"nothing").hexdigest()
    gate = threading.Event()
    real = renditions._draw_and_store

    def blocked(*args: object) -> None:
        gate.wait(10)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(renditions, "_draw_and_store", blocked)

    def lead() -> None:
        with pytest.raises(BlobNotFound):  # there is no such source: it was only held up
            renditions.make(runtime.engine, runtime.blobs, sha)

    leader = threading.Thread(target=lead)
    leader.start()
    time.sleep(0.1)
    started = time.monotonic()
    with pytest.raises(renditions.RenditionBusy):
        renditions.make(runtime.engine, runtime.blobs, sha, wait=0.3)
    assert time.monotonic() - started < 2
    gate.set()
    leader.join(10)


_MAKE_IN_ANOTHER_PROCESS = """
import sys, time
from assets.db import make_engine
from assets.blobs import LocalBlobStore
from pathlib import Path
import assets.renditions as renditions
engine = make_engine(sys.argv[1])
store = LocalBlobStore(Path(sys.argv[2]))
while time.time() < float(sys.argv[4]):
    time.sleep(0.005)
rows = renditions.make(engine, store, sys.argv[3])
print(rows[renditions.Kind.THUMB].sha256, rows[renditions.Kind.PREVIEW].sha256)
"""


@pytest.mark.slow
def test_two_processes_drawing_the_same_file_at_once_record_one_consistent_rendition(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'c.db'}")
    runtime = Runtime.from_settings(settings)
    upgrade(runtime.engine)
    source = tmp_path / "source.jpg"
    source.write_bytes(photo(8, (4000, 3000)))
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    runtime.blobs.put_file(sha, source)
    with Session(runtime.engine) as session:  # renditions are kept only of a shown picture
        session.add(Asset(sha256=sha, media_type="image/jpeg", bytes=1))
        session.commit()
    go = time.time() + 4  # both start drawing at the same moment, after their imports
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MAKE_IN_ANOTHER_PROCESS,
                settings.effective_database_url,
                str(settings.blob_dir),
                sha,
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    answers = {out.strip() for out, _err in outputs}
    assert len(answers) == 1  # both serve the same blobs
    rows = rows_of(runtime, sha)
    assert len(rows) == 2 and {row.version for row in rows} == {VERSION}
    for row in rows:
        assert row.sha256 is not None
        assert hashlib.sha256(runtime.blobs.get(row.sha256)).hexdigest() == row.sha256
    runtime.engine.dispose()


# --- fsck, backfill -------------------------------------------------------------------------


def test_fsck_keeps_rendition_blobs(client: TestClient, runtime: Runtime) -> None:
    asset = upload(client, photo(9))
    etag = client.get(url(asset["id"])).headers["etag"].strip('"')
    report = fsck(runtime.engine, runtime.blobs, min_age=0)
    assert report.removed_blobs == [] and not report.damaged
    assert runtime.blobs.exists(etag)


def test_backfill_makes_what_is_missing_skips_what_is_made_and_force_remakes(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "drawer", None)
    shas = [str(upload(client, photo(20 + n))["sha256"]) for n in range(3)]
    shas.append(str(upload(client, truncated_jpeg(), "broken.jpg")["sha256"]))
    ticks: list[int] = []
    first = renditions.backfill(runtime.engine, runtime.blobs, advance=ticks.append, batch=2)
    assert (first.made, first.undrawable, first.skipped, first.failed) == (3, 1, 0, [])
    assert sum(ticks) == 4
    again = renditions.backfill(runtime.engine, runtime.blobs)
    assert (again.made, again.skipped) == (0, 4)
    with Session(runtime.engine) as session:
        created = {r.source_sha256: r.created_at for r in session.exec(select(Rendition)).all()}
    forced = renditions.backfill(runtime.engine, runtime.blobs, force=True)
    assert (forced.made, forced.undrawable, forced.skipped) == (3, 1, 0)
    with Session(runtime.engine) as session:
        remade = {r.source_sha256: r.created_at for r in session.exec(select(Rendition)).all()}
    assert all(remade[sha] > created[sha] for sha in shas)


@pytest.mark.slow
def test_rightsdesk_renditions_backfills_with_a_progress_bar(tmp_path: Path) -> None:
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )

    assert run("seed").returncode == 0
    first = run("renditions")
    assert first.returncode == 0, first.stderr
    assert "1 made, 0 already made" in first.stderr
    assert "drawing renditions" in first.stderr
    assert "0 made, 1 already made" in run("renditions").stderr
    assert "1 made, 0 already made" in run("renditions", "--force").stderr


# --- S3 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.mark.slow
def test_renditions_live_in_s3_when_the_blobs_do(
    s3_endpoint: str,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    bucket = new_bucket(s3_endpoint)
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        blobs=f"s3://{bucket}/photos",
        auth="off",
    )
    runtime = Runtime.from_settings(settings)
    upgrade(runtime.engine)
    try:
        with TestClient(create_app(runtime=runtime)) as client:
            asset = upload(client, photo(30))
            assert runtime.drawer is not None and runtime.drawer.drain(30)
            drawn = {row.kind: row.sha256 for row in rows_of(runtime, str(asset["sha256"]))}
            keys = {
                item["Key"]
                for item in s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)["Contents"]
            }
            # drawn off the request, from the object store into it, before anyone asked
            assert {f"photos/{drawn['thumb']}", f"photos/{drawn['preview']}"} <= keys
            assert f"photos/{asset['sha256']}" in keys
            thumb = client.get(url(asset["id"]))
            assert thumb.status_code == 200
            etag = thumb.headers["etag"].strip('"')
            assert etag == drawn["thumb"]
            assert (
                client.get(url(asset["id"]), headers={"If-None-Match": f'"{etag}"'}).status_code
                == 304
            )
            # drawn again from S3 when its blob goes
            runtime.blobs.delete(etag)
            again = client.get(url(asset["id"], "thumb"))
            assert again.status_code == 200 and again.content == thumb.content
            with runtime.engine.connect() as connection:
                count = connection.execute(sa.text("SELECT count(*) FROM rendition")).scalar()
            assert count == 2
    finally:
        runtime.engine.dispose()
