"""Smaller promises of the HTTP surface: nosniff on every answer, http(s)-only usage URLs,
and webhook deliveries signed so a receiver can refuse forgeries and replays."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from assets.config import Settings
from assets.db import session_scope
from assets.outbox import SIGNATURE_HEADER, TIMESTAMP_HEADER, deliver_due, sign, signed_request
from assets.tables import OutboxMessage
from tests.images import jpeg_bytes
from tests.webhook_receiver import WEBHOOK_SECRET, documented_verify


@pytest.fixture
def asset_id(client) -> str:
    response = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(5), "image/jpeg")})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_downloads_and_every_other_answer_say_nosniff(client, asset_id):
    answers = {
        "file": client.get(f"/v1/assets/{asset_id}/file"),
        "file with rights": client.get(f"/v1/assets/{asset_id}/file?embed=rights"),
        "json": client.get(f"/v1/assets/{asset_id}"),
        "404": client.get(f"/v1/assets/{'0' * 32}/file"),
        "422": client.post("/v1/rights/check", json={}),
        "401": client.get("/v1/assets", headers={"Authorization": "Bearer rd_nobody"}),
        "health": client.get("/healthz"),
    }
    assert answers["file"].status_code == 200 and answers["file"].content[:2] == b"\xff\xd8"
    for name, response in answers.items():
        assert response.headers.get("x-content-type-options") == "nosniff", name
        assert len(response.headers.get_list("x-content-type-options")) == 1, name


REFUSED_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example/a.jpg",
    "//daily.example/story",
    "daily.example/story",
    "https://",
    "https:///path-only",
    "http://daily.example:port/x",
    "https://daily.example/a b",
    "https://daily.example/\x00",
    "",
]


@pytest.mark.parametrize("url", REFUSED_URLS, ids=repr)
def test_usage_urls_must_be_http_or_https(client, asset_id, url):
    response = client.post(
        "/v1/rights/check",
        json={
            "assets": [asset_id],
            "use": {"purpose": "editorial", "publication": "The Daily", "url": url},
            "record": True,
        },
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("use.url:")
    assert client.get(f"/v1/assets/{asset_id}/usages").json() == []


@pytest.mark.parametrize(
    "url", ["https://daily.example/story?id=1#top", "HTTP://DAILY.EXAMPLE/", "http://[::1]:8080/x"]
)
def test_web_addresses_are_accepted(client, asset_id, url):
    response = client.post(
        "/v1/rights/check",
        json={"assets": [asset_id], "use": {"purpose": "editorial", "url": url}},
    )
    assert response.status_code == 200, response.text


# ---- signed webhooks ---------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_and_exact_body():
    body, headers = signed_request(WEBHOOK_SECRET, "asset.killed", {"id": "1", "event": "x"})
    timestamp = headers[TIMESTAMP_HEADER]
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    assert json.loads(body) == {"id": "1", "event": "x"}
    assert abs(int(timestamp) - time.time()) < 5


def test_the_documented_check_refuses_forgeries_and_replays():
    verify = documented_verify()
    secret = WEBHOOK_SECRET.encode()
    body, headers = signed_request(WEBHOOK_SECRET, "asset.killed", {"id": "7", "asset": "a"})
    assert verify(secret, headers, body)
    assert not verify(b"another-secret-entirely-0000", headers, body)
    assert not verify(secret, headers, body.replace(b'"a"', b'"b"'))  # tampered body
    assert not verify(secret, {**headers, TIMESTAMP_HEADER: str(int(time.time()) + 1)}, body)
    old = int(time.time()) - 3600  # a captured delivery, replayed an hour later
    stale = {
        **headers,
        TIMESTAMP_HEADER: str(old),
        SIGNATURE_HEADER: sign(WEBHOOK_SECRET, old, body),
    }
    assert not verify(secret, stale, body)
    assert not verify(secret, {k: v for k, v in headers.items() if k != SIGNATURE_HEADER}, body)


def test_deliveries_post_the_signed_bytes(runtime):
    with session_scope(runtime.engine) as session:
        session.add(OutboxMessage(kind="asset.killed", payload={"event": "asset.killed", "n": 1}))
    seen: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(receiver)) as http:
        assert deliver_due(runtime.engine, "https://hooks.example/k", http, WEBHOOK_SECRET) == 1
    [request] = seen
    assert documented_verify()(WEBHOOK_SECRET.encode(), request.headers, request.content)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-rightsdesk-event"] == "asset.killed"


def test_a_webhook_without_a_secret_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("RIGHTSDESK_WEBHOOK_URL", "https://hooks.example/k")
    monkeypatch.delenv("RIGHTSDESK_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValidationError, match="RIGHTSDESK_WEBHOOK_SECRET"):
        Settings(data_dir=tmp_path)
    monkeypatch.setenv("RIGHTSDESK_WEBHOOK_SECRET", "short")
    with pytest.raises(ValidationError, match="at least 16"):
        Settings(data_dir=tmp_path)
    monkeypatch.setenv("RIGHTSDESK_WEBHOOK_SECRET", WEBHOOK_SECRET)
    settings = Settings(data_dir=tmp_path)
    assert settings.webhook_secret == SecretStr(WEBHOOK_SECRET)
    assert WEBHOOK_SECRET not in repr(settings)  # never printed with the settings
