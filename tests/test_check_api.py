"""The publishing hook over HTTP: the seed handout's answers, and failing closed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.images import jpeg_bytes

SEED_CREDIT = "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"


def check(client: TestClient, assets: list[str], **use: str) -> list[dict]:
    response = client.post("/v1/rights/check", json={"assets": assets, "use": use})
    assert response.status_code == 200, response.text
    return response.json()["results"]


@pytest.fixture
def seed_id(client, seed_image) -> str:
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201
    return response.json()["id"]


@pytest.mark.parametrize("channel", ["print", "web", "app", "social", "broadcast", "newsletter"])
def test_editorial_use_of_the_seed_is_allowed_with_its_credit_line(client, seed_id, channel):
    [result] = check(client, [seed_id], purpose="editorial", channel=channel)
    assert result["decision"] == "allow"
    assert result["credit_line"] == SEED_CREDIT
    assert any(SEED_CREDIT in obligation for obligation in result["obligations"])


@pytest.mark.parametrize("purpose", ["commercial", "advertising", "marketing"])
def test_non_editorial_use_of_the_seed_is_denied_citing_editorial_use_only(
    client, seed_id, purpose
):
    [result] = check(client, [seed_id], purpose=purpose, channel="web")
    assert result["decision"] == "deny"
    [reason] = [r for r in result["reasons"] if r["code"] == "EDITORIAL_USE_ONLY"]
    assert reason["outcome"] == "deny"
    assert any(e["text"].upper() == "EDITORIAL USE ONLY" for e in reason["evidence"])


def test_sale_of_the_seed_is_denied_citing_no_sales(client, seed_id):
    [result] = check(client, ["epa09674804"], purpose="sale")
    assert result["decision"] == "deny"
    assert result["asset_id"] == seed_id
    [reason] = [r for r in result["reasons"] if r["code"] == "NO_SALES"]
    assert any(e["text"].upper() == "NO SALES" for e in reason["evidence"])


def test_unknown_asset_is_denied_and_answers_keep_request_order(client, seed_id):
    results = check(
        client, ["nope-123", seed_id, "0123456789abcdef0123456789abcdef"], purpose="editorial"
    )
    assert [r["asset"] for r in results] == [
        "nope-123",
        seed_id,
        "0123456789abcdef0123456789abcdef",
    ]
    assert [r["decision"] for r in results] == ["deny", "allow", "deny"]
    assert results[0]["reasons"][0]["code"] == "UNKNOWN_ASSET"


def test_caption_without_agency_or_restriction_goes_to_review(client):
    response = client.post(
        "/v1/assets",
        data={"caption": "A cat sleeps on a sofa."},
        files={"file": ("cat.jpg", jpeg_bytes(42), "image/jpeg")},
    )
    [result] = check(client, [response.json()["id"]], purpose="editorial", channel="web")
    assert result["decision"] == "review"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"assets": "epa09674804", "use": {"purpose": "editorial"}},
        {"assets": [], "use": {"purpose": "editorial"}},
        {"assets": ["x"], "use": {"purpose": "lunch"}},
        {"assets": ["x"], "use": {"purpose": "editorial", "channel": "carrier pigeon"}},
        {"assets": ["x"], "use": {"purpose": "editorial", "territory": "Germany"}},
        {"assets": ["x"] * 1001, "use": {"purpose": "editorial"}},
    ],
)
def test_malformed_check_body_is_422_problem(client, body):
    response = client.post("/v1/rights/check", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_check_body_that_is_not_json_is_422_problem(client):
    response = client.post(
        "/v1/rights/check", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
