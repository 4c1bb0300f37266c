"""Rights managers at work over HTTP: leases, kill notices, usages, the audit trail."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from tests.images import jpeg_bytes
from tests.webhook_receiver import WEBHOOK_SECRET, Deliveries, webhook_receiver

SEED_CREDIT = "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"


def check(client: TestClient, key: str, record: bool = False, **use: str) -> dict:
    response = client.post("/v1/rights/check", json={"assets": [key], "use": use, "record": record})
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


@pytest.fixture
def seed_id(client, seed_image) -> str:
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_allow_lease_lifts_editorial_only_for_its_purpose_and_window(client, seed_id):
    now = datetime.now(UTC)
    lease = client.post(
        f"/v1/assets/{seed_id}/overrides",
        json={
            "effect": "allow",
            "purposes": ["advertising"],
            "reason": "campaign licensed by EPA",
            "starts": (now - timedelta(days=1)).isoformat(),
            "ends": (now + timedelta(days=1)).isoformat(),
        },
    )
    assert lease.status_code == 201, lease.text
    allowed = check(client, seed_id, purpose="advertising", channel="web")
    assert allowed["decision"] == "allow"
    lifted = [r for r in allowed["reasons"] if r["lifted_by"] is not None]
    assert lifted, allowed["reasons"]
    assert {r["lifted_by"] for r in lifted} == {lease.json()["id"]}
    assert all(r["outcome"] == "allow" for r in lifted)
    assert check(client, seed_id, purpose="marketing")["decision"] == "deny"
    later = (now + timedelta(days=3)).isoformat()
    assert check(client, seed_id, purpose="advertising", at=later)["decision"] == "deny"


def test_deny_lease_beats_allow_and_editorial(client, seed_id):
    client.post(
        f"/v1/assets/{seed_id}/overrides", json={"effect": "allow", "reason": "everything licensed"}
    )
    deny = client.post(
        f"/v1/assets/{seed_id}/overrides",
        json={"effect": "deny", "channels": ["social"], "reason": "legal hold"},
    )
    assert deny.status_code == 201
    assert check(client, seed_id, purpose="editorial", channel="social")["decision"] == "deny"
    assert check(client, seed_id, purpose="editorial", channel="web")["decision"] == "allow"


def test_agency_wide_lease_reaches_every_asset_of_the_agency(client, seed_id):
    other = client.post(
        "/v1/assets",
        data={"caption": "Rally. REUTERS/Jane Doe"},
        files={"file": ("r.jpg", jpeg_bytes(77), "image/jpeg")},
    ).json()
    lease = client.post(
        "/v1/overrides",
        json={"scope": "agency", "target": "EPA", "effect": "deny", "reason": "contract ended"},
    )
    assert lease.status_code == 201, lease.text
    assert check(client, seed_id, purpose="editorial")["decision"] == "deny"
    assert check(client, other["id"], purpose="editorial")["decision"] != "deny"
    listed = client.get(f"/v1/assets/{seed_id}/overrides").json()
    assert [item["id"] for item in listed] == [lease.json()["id"]]
    assert client.delete(f"/v1/overrides/{lease.json()['id']}").status_code == 204
    assert check(client, seed_id, purpose="editorial")["decision"] == "allow"


def test_revoked_asset_lease_stops_applying(client, seed_id):
    lease = client.post(
        f"/v1/assets/{seed_id}/overrides", json={"effect": "deny", "reason": "hold"}
    ).json()
    assert check(client, seed_id, purpose="editorial")["decision"] == "deny"
    response = client.delete(f"/v1/assets/{seed_id}/overrides/{lease['id']}")
    assert response.status_code == 204
    assert check(client, seed_id, purpose="editorial")["decision"] == "allow"
    again = client.delete(f"/v1/assets/{seed_id}/overrides/{lease['id']}")
    assert again.status_code == 404


def test_override_with_window_backwards_is_422(client, seed_id):
    response = client.post(
        f"/v1/assets/{seed_id}/overrides",
        json={
            "effect": "allow",
            "reason": "x",
            "starts": "2026-02-01T00:00:00Z",
            "ends": "2026-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 422


def test_recorded_usage_is_listed_and_kill_returns_it(client, seed_id):
    result = check(
        client,
        seed_id,
        record=True,
        purpose="editorial",
        channel="web",
        publication="The Daily",
        url="https://daily.example/story",
    )
    assert result["decision"] == "allow" and result["usage_id"]
    denied = check(
        client,
        seed_id,
        record=True,
        purpose="sale",
        publication="Shop",
        url="https://shop.example/print",
    )
    assert denied["usage_id"] is None
    usages = client.get(f"/v1/assets/{seed_id}/usages").json()
    assert [u["url"] for u in usages] == ["https://daily.example/story"]
    kill = client.post(f"/v1/assets/{seed_id}/kill", json={"reason": "EPA kill notice"})
    assert kill.status_code == 200
    body = kill.json()
    assert body["status"] == "killed"
    assert [u["url"] for u in body["usages"]] == ["https://daily.example/story"]
    after = check(client, seed_id, purpose="editorial", channel="web")
    assert after["decision"] == "deny"
    assert after["reasons"][0]["code"] == "KILLED"


def test_allow_lease_cannot_lift_a_kill(client, seed_id):
    client.post(f"/v1/assets/{seed_id}/kill", json={"reason": "withdrawn"})
    client.post(f"/v1/assets/{seed_id}/overrides", json={"effect": "allow", "reason": "try"})
    assert check(client, seed_id, purpose="editorial")["decision"] == "deny"


def test_kill_caption_resent_for_the_same_reference_kills_the_asset(client, seed_id):
    notice = (
        "epa09674804 MANDATORY KILL - PLEASE DELETE. This image has been withdrawn"
        " by the source. EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    )
    response = client.post(
        "/v1/assets",
        data={"caption": notice},
        files={"file": ("kill.jpg", jpeg_bytes(99), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    seed = client.get(f"/v1/assets/{seed_id}").json()
    assert seed["status"] == "killed"
    assert check(client, "epa09674804", purpose="editorial")["decision"] == "deny"


def test_every_change_is_in_the_audit_trail_with_the_key_as_actor(client, seed_id):
    client.put(f"/v1/assets/{seed_id}/caption", json={"caption": "New caption. EPA/X NO SALES"})
    lease = client.post(
        f"/v1/assets/{seed_id}/overrides", json={"effect": "deny", "reason": "hold"}
    ).json()
    check(client, seed_id, record=True, purpose="editorial", publication="P", url="https://p/1")
    client.delete(f"/v1/assets/{seed_id}/overrides/{lease['id']}")
    client.post(f"/v1/assets/{seed_id}/kill", json={"reason": "withdrawn"})
    page = client.get("/v1/audit", params={"asset": seed_id}).json()
    actions = [e["action"] for e in reversed(page["items"])]
    # the check ran while the deny lease held, so no usage was recorded
    assert actions == ["asset.ingest", "asset.caption", "lease.grant", "lease.revoke", "asset.kill"]
    caption_event = next(e for e in page["items"] if e["action"] == "asset.caption")
    assert caption_event["before"]["caption"].startswith("epa09674804")
    assert caption_event["after"]["caption"] == "New caption. EPA/X NO SALES"
    assert all(e["actor"].startswith("key:test-admin") for e in page["items"])


@pytest.fixture
def receiver() -> Iterator[tuple[str, Deliveries]]:
    with webhook_receiver("/kills") as served:
        yield served


def test_kill_notice_reaches_the_webhook_after_a_failed_attempt(
    runtime, make_key, receiver, seed_image
):
    runtime.settings.webhook_url, seen = receiver
    runtime.settings.webhook_secret = SecretStr(WEBHOOK_SECRET)
    runtime.settings.webhook_interval = 0.05
    from api.deps import Role

    with TestClient(create_app(runtime=runtime)) as client:
        client.headers["Authorization"] = f"Bearer {make_key(Role.ADMIN)}"
        asset = client.post("/v1/assets", files={"file": ("s.jpg", seed_image, "image/jpeg")})
        asset_id = asset.json()["id"]
        check(
            client,
            asset_id,
            record=True,
            purpose="editorial",
            publication="The Daily",
            url="https://daily.example/a",
        )
        client.post(f"/v1/assets/{asset_id}/kill", json={"reason": "agency kill"})
        deadline = time.monotonic() + 10
        while not seen.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen.failures_left == 0, "the first delivery should have been refused"
    assert seen.refused == [], "every delivery carries a signature that verifies"
    [notice] = seen.received
    assert notice["event"] == "asset.killed" and notice["asset"] == asset_id
    assert [u["url"] for u in notice["usages"]] == ["https://daily.example/a"]


def test_batch_check_answers_every_asset_in_order(client, seed_id):
    keys = [seed_id, "epa09674804", "unknown"] * 300
    response = client.post("/v1/rights/check", json={"assets": keys, "use": {"purpose": "sale"}})
    results = response.json()["results"]
    assert [r["asset"] for r in results] == keys
    assert [r["decision"] for r in results] == ["deny"] * len(keys)
    assert {r["reasons"][0]["code"] for r in results[2::3]} == {"UNKNOWN_ASSET"}
