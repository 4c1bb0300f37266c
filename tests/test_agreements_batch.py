"""A batch check judges each supplier's agreement once: its answers must be, asset for asset,
the answers of checking each asset alone, for every use and with quotas being claimed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.images import jpeg_bytes

CAPTIONS = (
    "Quiet day in the city. EPA/JOHN DOE",
    "Storm over the coast. EPA/MARIA LOPEZ",
    "Fans at the match. EPA-EFE/ANA ROSA EDITORIAL USE ONLY",
    "Protesters march in Paris, France, 3 March 2024. REUTERS/Jane Doe",
    "A bus in Karachi, September 2013 (AFP Photo / Asif Hassan)",
    "Minister visits a plant. HANDOUT/EDITORIAL USE ONLY/NO SALES",
    "A picture from nobody we know. ACME PICTURES/Jo Bloggs",
)
AGREEMENTS = (
    {"cost": "conditional", "channels": ["web", "print"]},
    {"supplier": "EPA", "cost": "pay", "price": "12.50", "currency": "EUR", "quota": 3},
    {"supplier": "Reuters", "cost": "free", "purposes": ["editorial"], "territories": ["GB"]},
    {"supplier": "AFP", "cost": "free", "lease_required": ["commercial"]},
)
USES = (
    {"purpose": "editorial"},
    {"purpose": "editorial", "channel": "web", "territory": "GB"},
    {"purpose": "editorial", "channel": "social", "territory": "FR"},
    {"purpose": "commercial", "channel": "print", "territory": "GB"},
    {"purpose": "marketing", "channel": "web"},
    {"purpose": "editorial", "channel": "web", "at": "2020-01-01T00:00:00Z"},
)


@pytest.fixture
def asset_ids(client: TestClient) -> list[str]:
    ids = []
    for seed, caption in enumerate(CAPTIONS * 2):
        data = jpeg_bytes(seed, caption=caption)
        response = client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    for body in AGREEMENTS:
        assert client.post("/v1/agreements", json=body).status_code == 200
    return ids


def checked(client: TestClient, keys: list[str], use: dict, record: bool = False) -> list[dict]:
    response = client.post("/v1/rights/check", json={"assets": keys, "use": use, "record": record})
    assert response.status_code == 200, response.text
    return [{k: v for k, v in r.items() if k != "usage_id"} for r in response.json()["results"]]


@pytest.mark.parametrize("use", USES, ids=lambda u: "-".join(map(str, u.values())))
def test_a_batch_answers_each_asset_as_a_check_of_it_alone(
    client: TestClient, asset_ids: list[str], use: dict
) -> None:
    keys = [*asset_ids, "unknown-ref", asset_ids[0]]
    alone = [checked(client, [key], use)[0] for key in keys]
    assert checked(client, keys, use) == alone
    assert {r["cost"] for r in alone} > {None}  # the agreements were in play


def test_a_batch_that_records_uses_meets_the_quota_mid_batch(
    client: TestClient, asset_ids: list[str]
) -> None:
    """EPA allows 3 uses a month: in one batch recording uses of its 4 pictures, the fourth is
    reviewed over quota although the first three, judged by the same batch, were allowed."""
    use = {"purpose": "editorial", "channel": "web", "publication": "Daily", "url": "https://d/1"}
    epa = [asset_ids[i] for i in (0, 1, 7, 8)]
    results = checked(client, epa, use, record=True)
    assert [r["decision"] for r in results] == ["allow", "allow", "allow", "review"]
    assert [r["cost"] for r in results] == ["pay", "pay", "pay", "overquota"]
    assert checked(client, epa[:1], use)[0]["cost"] == "overquota"
