"""Limits on what clients may send: sizes, formats, pixels, lengths, counts and names."""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.app import create_app
from api.limits import FORM_ROOM, JSON_LIMIT, BodyLimit
from api.runtime import Runtime
from assets.config import Settings
from assets.db import session_scope
from assets.keys import Role, create_key
from assets.migrations import upgrade
from tests.images import jpeg_bytes

SMALL_LIMIT = 64 * 1024
PROBLEM = "application/problem+json"


def noise_jpeg(width: int, height: int) -> bytes:
    """A JPEG that does not compress: its size grows with its pixel count."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def small_runtime(tmp_path, database_url) -> Iterator[Runtime]:
    settings = Settings(
        data_dir=tmp_path / "small",
        database_url=database_url,
        auth="on",
        max_upload_bytes=SMALL_LIMIT,
    )
    runtime = Runtime.from_settings(settings)
    upgrade(runtime.engine)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def small_client(small_runtime) -> Iterator[TestClient]:
    with session_scope(small_runtime.engine) as session:
        _row, key = create_key(session, "desk", Role.ADMIN)
    with TestClient(create_app(runtime=small_runtime)) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


def stored_files(runtime: Runtime) -> list[str]:
    data = runtime.settings.data_dir
    return sorted(
        str(p.relative_to(data))
        for p in data.rglob("*")
        if p.is_file() and not p.name.startswith("rightsdesk.db")
    )


def asset_count(runtime: Runtime) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT COUNT(*) FROM asset")).scalar_one())


# --- upload size ------------------------------------------------------------------------


def test_default_upload_limit_is_200_megabytes(monkeypatch, tmp_path):
    monkeypatch.delenv("RIGHTSDESK_MAX_UPLOAD_BYTES", raising=False)
    assert Settings(data_dir=tmp_path).max_upload_bytes == 200 * 1024 * 1024


def test_file_over_the_configured_limit_is_refused_with_413(small_client, small_runtime):
    data = noise_jpeg(300, 300)
    assert SMALL_LIMIT < len(data) < SMALL_LIMIT + FORM_ROOM  # gets past the body check
    response = small_client.post("/v1/assets", files={"file": ("big.jpg", data, "image/jpeg")})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "upload limit" in response.json()["detail"]
    assert asset_count(small_runtime) == 0
    assert stored_files(small_runtime) == []  # the partial spool file is gone too


def test_file_under_the_configured_limit_is_stored(small_client):
    response = small_client.post(
        "/v1/assets", files={"file": ("ok.jpg", jpeg_bytes(1), "image/jpeg")}
    )
    assert response.status_code == 201, response.text


def test_declared_body_over_the_limit_is_refused_before_it_is_read(small_client, small_runtime):
    body = b"x" * (SMALL_LIMIT + FORM_ROOM + 1)
    response = small_client.post(
        "/v1/assets", content=body, headers={"Content-Type": "multipart/form-data; boundary=zzz"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert "RIGHTSDESK_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert stored_files(small_runtime) == []


def test_json_body_over_its_limit_is_refused(client):
    body = json.dumps({"caption": "a" * (JSON_LIMIT + 10)})
    response = client.post(
        "/v1/captions/parse", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_oversized_body_is_refused_before_authentication(small_runtime):
    with TestClient(create_app(runtime=small_runtime)) as anonymous:
        response = anonymous.post(
            "/v1/captions/parse",
            content=b"{" * (JSON_LIMIT + 1),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413


def _asgi_post(
    app: Any, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, dict[str, Any]]:
    """Send a body in chunks without a Content-Length, as a streaming client does."""

    async def exchange() -> tuple[int, dict[str, Any]]:
        messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
        messages.append({"type": "http.request", "body": b"", "more_body": False})
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "scheme": "http",
            "http_version": "1.1",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 1234),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], json.loads(body)

    return anyio.run(exchange)


def test_streamed_body_is_cut_off_at_the_limit():
    read_by_app: list[int] = []

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        body = await Request(scope, receive).body()
        read_by_app.append(len(body))
        await JSONResponse({"length": len(body)})(scope, receive, send)

    limited = BodyLimit(echo, upload_limit=1000, json_limit=1000)
    status, body = _asgi_post(limited, "/", {"content-type": "application/json"}, [b"x" * 400] * 3)
    assert status == 413 and body["status"] == 413
    assert read_by_app == []  # the app never saw a complete body
    status, body = _asgi_post(limited, "/", {"content-type": "application/json"}, [b"x" * 400] * 2)
    assert (status, body) == (200, {"length": 800})


def test_streamed_upload_over_the_limit_is_refused_by_the_app(small_runtime):
    with session_scope(small_runtime.engine) as session:
        _row, key = create_key(session, "streamer", Role.EDITOR)
    app = create_app(runtime=small_runtime)
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="s.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()
    chunks = [head] + [b"\xff" * 65536] * ((SMALL_LIMIT + FORM_ROOM) // 65536 + 2)
    status, body = _asgi_post(
        app,
        "/v1/assets",
        {
            "content-type": f"multipart/form-data; boundary={boundary}",
            "authorization": f"Bearer {key}",
        },
        chunks,
    )
    assert status == 413, body
    assert asset_count(small_runtime) == 0
    assert stored_files(small_runtime) == []


# --- formats, pixels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, what",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,", "GIF"),
        (b"<html><body>not a photo</body></html>", "HTML"),
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
    ],
)
def test_format_is_judged_by_magic_bytes_not_by_name_or_header(client, data, what):
    response = client.post("/v1/assets", files={"file": ("photo.jpg", data, "image/jpeg")})
    assert response.status_code == 415, (what, response.text)
    assert response.headers["content-type"] == PROBLEM
    assert "JPEG" in response.json()["detail"]  # says what to upload instead


def test_real_jpeg_with_a_misleading_name_and_header_is_stored_as_jpeg(client):
    response = client.post(
        "/v1/assets", files={"file": ("scan.pdf", jpeg_bytes(3), "application/pdf")}
    )
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == "image/jpeg"


def test_decompression_bomb_is_refused_and_not_stored(client, runtime):
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) < 200
    response = client.post("/v1/assets", files={"file": ("bomb.png", bomb, "image/png")})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "too large to process safely" in response.json()["detail"]
    assert asset_count(runtime) == 0


# --- lengths and counts -----------------------------------------------------------------


def test_caption_longer_than_100000_characters_is_refused_everywhere(client):
    long = "x" * 100_001
    upload = client.post(
        "/v1/assets", data={"caption": long}, files={"file": ("a.jpg", jpeg_bytes(4), "image/jpeg")}
    )
    assert upload.status_code == 422, upload.text
    assert client.post("/v1/captions/parse", json={"caption": long}).status_code == 422
    stored = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(4), "image/jpeg")})
    edit = client.put(f"/v1/assets/{stored.json()['id']}/caption", json={"caption": long})
    assert edit.status_code == 422
    assert client.post("/v1/captions/parse", json={"caption": "x" * 100_000}).status_code == 200


def test_check_batch_is_limited_to_1000_assets(client):
    use = {"purpose": "editorial"}
    too_many = client.post(
        "/v1/rights/check", json={"assets": [f"ref{i}" for i in range(1001)], "use": use}
    )
    assert too_many.status_code == 422
    assert too_many.headers["content-type"] == PROBLEM
    most = client.post(
        "/v1/rights/check", json={"assets": [f"ref{i}" for i in range(1000)], "use": use}
    )
    assert most.status_code == 200
    assert len(most.json()["results"]) == 1000


@pytest.mark.parametrize("path", ["/v1/assets", "/v1/audit"])
def test_page_size_is_between_1_and_500(client, path):
    assert client.get(path, params={"limit": 500}).status_code == 200
    for bad in (0, 501, -1):
        response = client.get(path, params={"limit": bad})
        assert response.status_code == 422, (path, bad)
        assert response.headers["content-type"] == PROBLEM


# --- names and actors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, shown, header_name",
    [
        ("../../../../tmp/evil.jpg", "evil.jpg", "evil.jpg"),
        ("..\\..\\windows\\system32\\evil.jpg", "evil.jpg", "evil.jpg"),
        ("/etc/passwd", "passwd", "passwd.jpg"),
        ('say "cheese"; x=../y.jpg', "y.jpg", "y.jpg"),
    ],
)
def test_filenames_are_kept_for_display_and_never_become_paths(
    client, runtime, tmp_path, filename, shown, header_name
):
    data = jpeg_bytes(abs(hash(filename)) % 5000)
    response = client.post("/v1/assets", files={"file": (filename, data, "image/jpeg")})
    assert response.status_code == 201, response.text
    asset = response.json()
    assert asset["filename"] == shown
    every_file = [p.name for p in tmp_path.rglob("*")]
    assert "evil.jpg" not in every_file and "passwd" not in every_file
    assert (
        runtime.settings.blob_dir / asset["sha256"][:2] / asset["sha256"][2:4] / asset["sha256"]
    ).read_bytes() == data
    download = client.get(f"/v1/assets/{asset['id']}/file")
    disposition = download.headers["content-disposition"]
    assert disposition == f'inline; filename="{header_name}"'


def test_audit_actor_comes_from_the_key_never_from_the_body(client, runtime):
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, "picture-desk", Role.RIGHTS_MANAGER)
    auth = {"Authorization": f"Bearer {key}"}
    upload = client.post(
        "/v1/assets",
        headers=auth,
        data={"caption": "A cat. EPA/JOHN DOE", "actor": "mallory"},
        files={"file": ("cat.jpg", jpeg_bytes(11), "image/jpeg")},
    )
    assert upload.status_code == 201, upload.text
    asset_id = upload.json()["id"]
    forged = [
        client.put(
            f"/v1/assets/{asset_id}/caption",
            headers=auth,
            json={"caption": "Another cat.", "actor": "mallory"},
        ),
        client.post(
            f"/v1/assets/{asset_id}/kill",
            headers=auth,
            json={"reason": "withdrawn", "actor": "mallory"},
        ),
        client.post(
            "/v1/rights/check",
            headers=auth,
            json={"assets": [asset_id], "use": {"purpose": "editorial"}, "actor": "mallory"},
        ),
    ]
    assert [r.status_code for r in forged] == [422, 422, 422]
    edit = client.put(
        f"/v1/assets/{asset_id}/caption", headers=auth, json={"caption": "Another cat."}
    )
    assert edit.status_code == 200
    with runtime.engine.connect() as connection:
        actors = connection.execute(
            sa.text("SELECT action, actor FROM audit_event WHERE asset_id = :a ORDER BY id"),
            {"a": asset_id},
        ).all()
    assert [tuple(row) for row in actors] == [
        ("asset.ingest", "key:picture-desk"),
        ("asset.caption", "key:picture-desk"),
    ]
