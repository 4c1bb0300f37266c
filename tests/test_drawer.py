"""The rendition drawer: bounded, never blocks an upload, never draws a purged picture."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

import assets.renditions as renditions
from api.runtime import Runtime
from assets.drawer import RenditionDrawer
from assets.purge import purge
from assets.tables import Asset, Rendition
from tests.images import jpeg_bytes
from tests.test_purge import LATER, NO_ARCHIVES

Held = tuple[threading.Event, threading.Event, list[str]]


def upload(client: TestClient, seed: int, caption: str = "A quiet day. EPA/JOHN DOE") -> str:
    data = jpeg_bytes(seed, caption=caption)
    response = client.post("/v1/assets", files={"file": ("p.jpg", data, "image/jpeg")})
    assert response.status_code == 201, response.text
    sha: str = response.json()["sha256"]
    return sha


def drawn_sources(runtime: Runtime) -> set[str]:
    with Session(runtime.engine) as session:
        return set(session.exec(select(Rendition.source_sha256)).all())


@pytest.fixture
def quiet(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads queue nothing: each test runs a drawer of its own."""
    monkeypatch.setattr(runtime, "drawer", None)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Held:
    """Drawing waits for `gate`; `drawing` is set when one starts; `drew` counts them."""
    gate, drawing, drew = threading.Event(), threading.Event(), []
    real_draw = renditions.draw

    def held_draw(*args: object, **kwargs: object) -> object:
        drew.append("one")
        drawing.set()
        assert gate.wait(30), "the test never let the drawing go on"
        return real_draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renditions, "draw", held_draw)
    return gate, drawing, drew


def test_a_full_queue_leaves_the_source_for_its_first_request(
    client: TestClient, runtime: Runtime, quiet: None
) -> None:
    first, second = upload(client, 1), upload(client, 2)
    drawer = RenditionDrawer(runtime.engine, runtime.blobs, size=1)
    assert drawer.submit(first) is True
    assert drawer.submit(second) is False  # never waits for room: an upload calls it
    drawer.start()
    try:
        assert drawer.drain(30)
    finally:
        drawer.stop()
    assert drawn_sources(runtime) == {first}


def test_stopping_finishes_the_drawing_under_way_and_drops_the_rest(
    client: TestClient, runtime: Runtime, quiet: None, held: Held
) -> None:
    gate, drawing, drew = held
    first, second = upload(client, 3), upload(client, 4)
    drawer = RenditionDrawer(runtime.engine, runtime.blobs)
    drawer.start()
    assert drawer.submit(first) and drawing.wait(30)
    assert drawer.submit(second)
    opener = threading.Timer(0.2, gate.set)  # stop() must wait for the drawing under way
    opener.start()
    drawer.stop()
    opener.join()
    assert drawer.drain(1)  # nothing is left pending after a stop
    assert drawer.submit(upload(client, 5)) is False
    assert drew == ["one"] and drawn_sources(runtime) == {first}
    assert second not in drawn_sources(runtime)  # drawn on its first request instead


def test_a_picture_purged_while_queued_is_not_drawn(
    client: TestClient, runtime: Runtime, quiet: None
) -> None:
    doomed, kept = upload(client, 6, NO_ARCHIVES), upload(client, 7)
    assert purge(runtime.engine, runtime.blobs, now=LATER).purged
    drawer = RenditionDrawer(runtime.engine, runtime.blobs)
    drawer.start()
    try:
        assert drawer.submit(doomed) and drawer.submit(kept)
        assert drawer.drain(30)
    finally:
        drawer.stop()
    assert drawn_sources(runtime) == {kept}
    assert not runtime.blobs.exists(doomed)


def _by_the_drawer(runtime: Runtime, sha: str) -> None:
    drawer = RenditionDrawer(runtime.engine, runtime.blobs)
    drawer.start()
    try:
        assert drawer.submit(sha) and drawer.drain(30)
    finally:
        drawer.stop()


def _by_a_request(runtime: Runtime, sha: str) -> None:
    with Session(runtime.engine) as session:
        asset = session.exec(select(Asset).where(Asset.sha256 == sha)).one()
    with pytest.raises(renditions.RenditionBusy):  # asked again, it is the PURGED card
        renditions.find(runtime.engine, runtime.blobs, asset, renditions.Kind.THUMB)


@pytest.mark.parametrize("drawing", [_by_the_drawer, _by_a_request], ids=["drawer", "request"])
def test_a_picture_purged_while_it_is_drawn_keeps_no_rendition(
    client: TestClient,
    runtime: Runtime,
    quiet: None,
    monkeypatch: pytest.MonkeyPatch,
    drawing: Callable[[Runtime, str], None],
) -> None:
    """The purge deletes the renditions it finds; one drawn from the picture before it came
    and stored after it finished would keep the picture the purge removed."""
    drawn: list[str] = []
    real_draw = renditions.draw

    def draw_then_purge(*args: object, **kwargs: object) -> object:
        out = real_draw(*args, **kwargs)  # type: ignore[arg-type]
        drawn.extend(hashlib.sha256(image.data).hexdigest() for image in out)
        assert purge(runtime.engine, runtime.blobs, now=LATER).purged
        return out

    monkeypatch.setattr(renditions, "draw", draw_then_purge)
    doomed = upload(client, 8, NO_ARCHIVES)
    drawing(runtime, doomed)
    assert drawn and drawn_sources(runtime) == set()
    assert not any(runtime.blobs.exists(sha) for sha in [doomed, *drawn])
