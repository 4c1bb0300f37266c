"""Rights changes reach live usages: every path that changes rights re-checks recorded usages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from api.app import create_app
from api.deps import Role
from assets.alerts import scan
from assets.db import session_scope
from assets.tables import OutboxMessage
from tests.images import jpeg_bytes
from tests.webhook_receiver import WEBHOOK_SECRET, Deliveries, webhook_receiver

PLAIN = "Quiet day in the city. EPA/JOHN DOE"


def upload(client: TestClient, seed: int, caption: str = PLAIN) -> str:
    data = jpeg_bytes(seed, caption=caption)
    response = client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def publish(client: TestClient, asset_id: str, url: str, **use: str) -> str:
    body = {
        "assets": [asset_id],
        "use": {"publication": "The Daily", "url": url, **use},
        "record": True,
    }
    result = client.post("/v1/rights/check", json=body).json()["results"][0]
    assert result["decision"] == "allow" and result["usage_id"], result
    return result["usage_id"]


def alerts(client: TestClient, **params: str) -> list[dict]:
    response = client.get("/v1/alerts", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_a_caption_edit_that_adds_a_restriction_alerts_the_usages_it_breaks(client):
    asset = upload(client, 1)
    commercial = publish(client, asset, "https://d.example/ad", purpose="commercial")
    publish(client, asset, "https://d.example/news", purpose="editorial")
    edited = client.put(
        f"/v1/assets/{asset}/caption", json={"caption": f"{PLAIN} EDITORIAL USE ONLY"}
    )
    assert edited.status_code == 200
    [alert] = alerts(client, asset=asset)
    assert alert["usage"] == commercial and alert["decision"] == "deny"
    assert alert["cause"] == "asset.caption" and alert["use"]["purpose"] == "commercial"
    assert [r["code"] for r in alert["reasons"]] == ["EDITORIAL_USE_ONLY"]
    audit = client.get("/v1/audit", params={"asset": asset}).json()["items"]
    assert any(e["action"] == "alert.raise" for e in audit)
    # the same answer for the same usage is not alerted twice
    client.put(f"/v1/assets/{asset}/caption", json={"caption": f"{PLAIN} EDITORIAL USE ONLY."})
    assert len(alerts(client, asset=asset)) == 1


def test_revoking_the_lease_a_usage_relied_on_alerts_it(client):
    asset = upload(client, 2, f"{PLAIN} EDITORIAL USE ONLY")
    lease = client.post(
        f"/v1/assets/{asset}/overrides",
        json={"effect": "allow", "purposes": ["advertising"], "reason": "campaign"},
    ).json()
    usage = publish(client, asset, "https://d.example/campaign", purpose="advertising")
    assert alerts(client) == []
    client.delete(f"/v1/assets/{asset}/overrides/{lease['id']}")
    [alert] = alerts(client)
    assert alert["usage"] == usage and alert["cause"] == "lease.revoke"


def test_an_agreement_change_alerts_every_usage_of_the_supplier(client):
    first, second = upload(client, 3), upload(client, 4)
    publish(client, first, "https://d.example/1", purpose="editorial", channel="web")
    publish(client, second, "https://d.example/2", purpose="editorial", channel="print")
    client.post("/v1/agreements", json={"supplier": "EPA", "cost": "free", "channels": ["print"]})
    [alert] = alerts(client)
    assert alert["asset"] == first and alert["cause"] == "agreement"
    assert alert["reasons"][0]["code"] == "NOT_COVERED_BY_AGREEMENT"


def test_a_kill_is_listed_and_the_kill_notice_is_its_only_delivery(client, runtime):
    asset = upload(client, 5)
    publish(client, asset, "https://d.example/k", purpose="editorial")
    client.post(f"/v1/assets/{asset}/kill", json={"reason": "withdrawn by the agency"})
    [alert] = alerts(client, asset=asset)
    assert alert["reasons"][0]["code"] == "KILLED"
    with Session(runtime.engine) as session:
        kinds = [m.kind for m in session.exec(select(OutboxMessage))]
    assert kinds == ["asset.killed"]


def test_time_alone_is_caught_by_a_scan(client, runtime):
    asset = upload(client, 6)
    ends = datetime.now(UTC) + timedelta(days=1)
    client.post("/v1/agreements", json={"cost": "free", "ends": ends.isoformat()})
    publish(client, asset, "https://d.example/t", purpose="editorial")
    with session_scope(runtime.engine) as session:
        assert scan(session) == []
    with session_scope(runtime.engine) as session:
        [alert] = scan(session, now=ends + timedelta(hours=1))
        assert alert.cause == "scan"
    with session_scope(runtime.engine) as session:
        assert scan(session, now=ends + timedelta(hours=2)) == []


def test_alerts_filter_by_asset_publication_and_time_and_need_a_key(client, make_key):
    first, second = upload(client, 7), upload(client, 8)
    publish(client, first, "https://d.example/a", purpose="commercial")
    publish(client, second, "https://d.example/b", purpose="commercial")
    before = datetime.now(UTC) - timedelta(seconds=1)
    for asset in (first, second):
        client.put(f"/v1/assets/{asset}/caption", json={"caption": f"{PLAIN} NO COMMERCIAL USE"})
    assert len(alerts(client)) == 2
    assert [a["asset"] for a in alerts(client, asset=first)] == [first]
    assert alerts(client, publication="Elsewhere") == []
    assert len(alerts(client, since=before.isoformat())) == 2
    assert alerts(client, since=(datetime.now(UTC) + timedelta(hours=1)).isoformat()) == []
    page = client.get("/v1/alerts", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = client.get("/v1/alerts", params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert rest["items"][0]["alert"] != page["items"][0]["alert"]
    assert client.get("/v1/alerts", params={"since": "yesterday"}).status_code in (400, 422)
    assert client.get("/v1/alerts", headers={"Authorization": "Bearer nope"}).status_code == 401
    hook = {"Authorization": f"Bearer {make_key(Role.HOOK)}"}
    assert client.get("/v1/alerts", headers=hook).status_code == 403


@pytest.fixture
def receiver() -> Iterator[tuple[str, Deliveries]]:
    with webhook_receiver("/alerts") as served:
        yield served


def test_alert_reaches_the_webhook_after_a_failed_attempt(runtime, make_key, receiver):
    runtime.settings.webhook_url, seen = receiver
    runtime.settings.webhook_secret = SecretStr(WEBHOOK_SECRET)
    runtime.settings.webhook_interval = 0.05
    with TestClient(create_app(runtime=runtime)) as client:
        client.headers["Authorization"] = f"Bearer {make_key(Role.ADMIN)}"
        asset = upload(client, 9)
        usage = publish(client, asset, "https://d.example/w", purpose="commercial")
        client.put(f"/v1/assets/{asset}/caption", json={"caption": f"{PLAIN} EDITORIAL USE ONLY"})
        deadline = time.monotonic() + 10
        while not seen.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen.failures_left == 0, "the first delivery should have been refused"
    assert seen.refused == [], "every delivery carries a signature that verifies"
    [notice] = seen.received
    assert notice["event"] == "usage.alert" and notice["usage"] == usage
    assert notice["url"] == "https://d.example/w" and notice["decision"] == "deny"
