"""Agreements over HTTP and the CLI: what they answer at the hook, their versions, quotas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.deps import Role
from assets.agreements_file import read_file
from tests.served import Server, cli

EPA_PAY = {
    "supplier": "EPA",
    "cost": "pay",
    "price": "12.50",
    "currency": "EUR",
    "purposes": ["editorial"],
    "channels": ["web", "print"],
}


def check(client: TestClient, key: str, record: bool = False, **use: str) -> dict:
    response = client.post("/v1/rights/check", json={"assets": [key], "use": use, "record": record})
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def codes(result: dict) -> set[str]:
    return {r["code"] for r in result["reasons"] if r["outcome"] != "allow"}


@pytest.fixture
def seed_id(client, seed_image) -> str:
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def put(client: TestClient, body: dict) -> dict:
    response = client.post("/v1/agreements", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_without_agreements_the_check_is_unchanged_and_has_no_cost(client, seed_id):
    result = check(client, seed_id, purpose="editorial", channel="web", territory="GB")
    assert result["decision"] == "allow"
    assert result["cost"] is None and result["price"] is None


def test_supplier_agreement_prices_covered_uses_and_denies_the_rest(client, seed_id):
    put(client, EPA_PAY)
    covered = check(client, seed_id, purpose="editorial", channel="web")
    assert covered["decision"] == "allow"
    assert (covered["cost"], covered["price"]) == ("pay", "12.50 EUR")
    outside = check(client, seed_id, purpose="editorial", channel="social")
    assert outside["decision"] == "deny"
    assert codes(outside) == {"NOT_COVERED_BY_AGREEMENT"}
    assert "EPA" in json.dumps(outside["reasons"])
    # the caption's own restriction still denies a sale; deny beats everything
    assert check(client, seed_id, purpose="sale", channel="web")["decision"] == "deny"


def test_once_agreements_exist_a_supplier_without_one_is_reviewed_until_a_default(client, seed_id):
    put(client, {"supplier": "AFP", "cost": "free"})
    result = check(client, seed_id, purpose="editorial", channel="web")
    assert result["decision"] == "review" and codes(result) == {"NO_AGREEMENT"}
    put(client, {"cost": "conditional"})
    result = check(client, seed_id, purpose="editorial", channel="web")
    assert result["decision"] == "allow" and result["cost"] == "conditional"


def test_supplier_names_match_as_leases_do(client, seed_id):
    put(client, {**EPA_PAY, "supplier": "ｅｐａ "})
    assert check(client, seed_id, purpose="editorial", channel="web")["cost"] == "pay"


def test_changes_are_versioned_audited_and_need_a_rights_manager(client, runtime, make_key):
    first = put(client, EPA_PAY)
    second = put(client, {**EPA_PAY, "cost": "free", "price": None})
    assert (first["version"], second["version"]) == (1, 2) and first["id"] == second["id"]
    replaced = client.put(f"/v1/agreements/{first['id']}", json={"cost": "conditional"})
    assert replaced.status_code == 200 and replaced.json()["supplier"] == "EPA"
    assert client.delete(f"/v1/agreements/{first['id']}").status_code == 204
    assert client.get("/v1/agreements").json() == []
    versions = client.get(f"/v1/agreements/{first['id']}/versions").json()
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    assert versions[0]["terms"]["cost"] == "pay" and versions[-1]["terms"] is None
    actions = [e["action"] for e in client.get("/v1/audit").json()["items"]]
    assert actions.count("agreement.put") == 3 and "agreement.remove" in actions

    editor = {"Authorization": f"Bearer {make_key(Role.EDITOR)}"}
    assert client.post("/v1/agreements", json=EPA_PAY, headers=editor).status_code == 403
    assert client.get("/v1/agreements", headers=editor).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"supplier": "EPA"},
        {"supplier": "EPA", "cost": "overquota"},
        {"supplier": "EPA", "cost": "free", "purposes": ["everything"]},
        {"supplier": "EPA", "cost": "free", "quota": -5},
        {"supplier": "EPA", "cost": "free", "territories": ["Narnia"]},
        {"supplier": "!!!", "cost": "free"},
        ["not", "an", "object"],
        {"supplier": "EPA", "cost": "free", "price": {"amount": 3}},
    ],
)
def test_invalid_agreements_are_refused_with_a_useful_detail(client, body):
    response = client.post("/v1/agreements", json=body)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_unknown_agreement_is_404(client):
    assert client.get("/v1/agreements/nope").status_code == 404
    assert client.delete("/v1/agreements/nope").status_code == 404


def test_a_lease_lifts_the_agreement_limit_and_the_answer_names_it(client, seed_id):
    put(client, {**EPA_PAY, "lease_required": ["editorial"], "channels": []})
    assert codes(check(client, seed_id, purpose="editorial")) == {"LEASE_REQUIRED"}
    lease = client.post(
        f"/v1/assets/{seed_id}/overrides",
        json={"effect": "allow", "purposes": ["editorial"], "reason": "front page deal"},
    ).json()
    result = check(client, seed_id, purpose="editorial")
    assert result["decision"] == "allow"
    assert lease["id"] in json.dumps(result["reasons"])


def test_quota_sends_the_use_after_it_to_review_as_overquota(client, seed_id):
    put(client, {"supplier": "EPA", "cost": "free", "quota": 2})
    use = {"purpose": "editorial", "publication": "The Daily"}
    for n in range(2):
        result = check(client, seed_id, record=True, url=f"https://d.example/{n}", **use)
        assert result["decision"] == "allow" and result["usage_id"]
    over = check(client, seed_id, record=True, url="https://d.example/3", **use)
    assert over["decision"] == "review" and over["cost"] == "overquota"
    assert over["usage_id"] is None
    assert check(client, seed_id, purpose="editorial")["cost"] == "overquota"


def test_quota_holds_under_parallel_recording_checks(tmp_path, database_url, seed_image):
    """Many checks recording usages at once, through a real server: never more than the quota."""
    server = Server(tmp_path / "data", database_url).start()
    try:
        headers = {"Authorization": f"Bearer {server.admin_key()}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
            asset = http.post("/v1/assets", files={"file": ("s.jpg", seed_image, "image/jpeg")})
            asset_id = asset.json()["id"]
            assert http.post("/v1/agreements", json={"cost": "free", "quota": 5}).is_success
        answers: list[str] = []

        def publish(n: int) -> None:
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
                body = {
                    "assets": [asset_id],
                    "use": {
                        "purpose": "editorial",
                        "publication": "The Daily",
                        "url": f"https://d.example/{n}",
                    },
                    "record": True,
                }
                response = http.post("/v1/rights/check", json=body)
                answers.append(response.json()["results"][0]["decision"])

        threads = [threading.Thread(target=publish, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
            usages = http.get(f"/v1/assets/{asset_id}/usages").json()
    finally:
        server.stop()
    assert sorted(answers) == ["allow"] * 5 + ["review"] * 11
    assert len(usages) == 5


def test_cli_import_export_round_trip(tmp_path, database_url, seed_image):
    env = {"RIGHTSDESK_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": database_url}
    source = tmp_path / "agreements.toml"
    source.write_text(
        """
[default]
cost = "conditional"
purposes = ["editorial"]

[[agreement]]
supplier = "EPA"
cost = "pay"
price = 12.5
currency = "EUR"
channels = ["web"]
quota = 100
starts = 2026-01-01T00:00:00Z
note = "subscription \\"gold\\""
""",
        encoding="utf-8",
    )
    out = cli(env, "agreements", "import", str(source))
    assert "set EPA" in out and "set default" in out
    assert "2 unchanged" in cli(env, "agreements", "import", str(source))
    exported = tmp_path / "out.toml"
    cli(env, "agreements", "export", str(exported))
    assert read_file(exported.read_text()) == read_file(source.read_text())
    assert "2 unchanged" in cli(env, "agreements", "import", str(exported))
    source.write_text('[default]\ncost = "free"\n', encoding="utf-8")
    assert "ended EPA" in cli(env, "agreements", "import", str(source))


def test_cli_import_refuses_a_broken_file_and_names_the_table(tmp_path, database_url):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[agreement]]\nsupplier = "EPA"\ncost = "cheap"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "agreements", "import", str(bad)],
        cwd=Path(__file__).resolve().parents[1],
        env={
            **os.environ,
            "RIGHTSDESK_DATA_DIR": str(tmp_path / "d"),
            "DATABASE_URL": database_url,
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "EPA" in done.stderr and "cost" in done.stderr


def test_asset_search_by_the_cost_of_a_use(client, seed_id):
    from tests.images import jpeg_bytes

    def upload(seed: int, caption: str) -> str:
        data = jpeg_bytes(seed, caption=caption)
        return client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")}).json()["id"]

    reuters = upload(1, "Protesters march in Paris, France, 3 March 2024. REUTERS/Jane Doe")
    put(client, {"cost": "free"})
    put(client, {"supplier": "EPA", "cost": "pay", "quota": 1})
    put(client, {"supplier": "Reuters", "cost": "conditional", "purposes": ["editorial"]})

    def found(cost: str, purpose: str = "editorial") -> set[str]:
        params = {"cost": cost, "purpose": purpose, "channel": "web"}
        response = client.get("/v1/assets", params=params)
        assert response.status_code == 200, response.text
        return {a["id"] for a in response.json()["items"]}

    assert found("pay") == {seed_id}
    assert found("conditional") == {reuters}
    assert found("conditional", purpose="commercial") == set()  # not covered: no cost
    assert found("overquota") == set()
    check(client, seed_id, record=True, purpose="editorial", publication="D", url="https://d/1")
    assert found("overquota") == {seed_id} and found("pay") == set()
    assert client.get("/v1/assets", params={"cost": "pay"}).status_code == 400
    assert (
        client.get("/v1/assets", params={"cost": "cheap", "purpose": "editorial"}).status_code
        == 422
    )


def test_an_ended_agreement_can_be_set_again_and_its_versions_keep_counting(client):
    first = put(client, EPA_PAY)
    assert client.delete(f"/v1/agreements/{first['id']}").status_code == 204
    again = put(client, EPA_PAY)
    assert again["version"] == 3
