"""Agency- and source-wide leases over HTTP: typed as a desk types them, they reach the assets
they name, unknown suppliers are refused, and territories are countries at every entry point."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.runtime import Runtime
from assets.checks import check_assets
from assets.clock import utcnow
from assets.db import session_scope
from assets.migrations import upgrade
from rights import Purpose, Use
from tests.images import jpeg_bytes


def check(client: TestClient, key: str, **use: str) -> dict:
    response = client.post("/v1/rights/check", json={"assets": [key], "use": use})
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def wide(client: TestClient, target: str, scope: str = "agency", **fields: object):
    body = {"scope": scope, "target": target, "effect": "deny", "reason": "contract ended"}
    return client.post("/v1/overrides", json={**body, **fields})


@pytest.fixture
def seed_id(client, seed_image) -> str:
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201, response.text
    assert response.json()["rights"]["agency"] == "EPA"
    return response.json()["id"]


@pytest.mark.parametrize(
    "typed",
    [
        "epa",
        "EPA ",
        " Epa",
        "EPA\u00a0",
        "E\u200bPA",
        "ＥＰＡ",
        "European Pressphoto Agency",
        "\u0415PA",  # Cyrillic Е
        "\u0415\u0420\u0410",  # Cyrillic ЕРА
        "\u0395\u03a1\u0391",  # Greek ΕΡΑ
        "E P A",
        "E. P. A.",
    ],
)
def test_a_lease_typed_any_way_reaches_the_agencys_assets(client, seed_id, typed) -> None:
    assert check(client, seed_id, purpose="editorial")["decision"] == "allow"
    granted = wide(client, typed)
    assert granted.status_code == 201, granted.text
    assert (granted.json()["target"], granted.json()["target_key"]) == ("EPA", "epa")
    assert check(client, seed_id, purpose="editorial")["decision"] == "deny"
    listed = client.get("/v1/overrides", params={"scope": "agency", "target": "epa"}).json()
    assert [(x["id"], x["target"], x["target_key"]) for x in listed] == [
        (granted.json()["id"], "EPA", "epa")
    ]
    reaching = client.get(f"/v1/assets/{seed_id}/overrides").json()
    assert [x["id"] for x in reaching] == [granted.json()["id"]]


def test_a_lease_on_one_agency_leaves_another_alone(client, seed_id) -> None:
    other = client.post(
        "/v1/assets",
        data={"caption": "Rally. REUTERS/Jane Doe"},
        files={"file": ("r.jpg", jpeg_bytes(78), "image/jpeg")},
    ).json()
    assert wide(client, "reuters ").status_code == 201
    assert check(client, other["id"], purpose="editorial")["decision"] == "deny"
    assert check(client, seed_id, purpose="editorial")["decision"] == "allow"


def test_a_source_lease_reaches_by_the_source_as_the_parser_spelt_it(client, seed_id) -> None:
    granted = wide(client, "russian defence ministry  press service", scope="source")
    assert granted.status_code == 201, granted.text
    assert granted.json()["target_key"] == "russian defence ministry press service"
    assert check(client, seed_id, purpose="editorial")["decision"] == "deny"


def test_an_unknown_supplier_is_refused_with_the_closest_known_names(client, seed_id) -> None:
    response = wide(client, "EPAA")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "EPA" in problem["known"]
    assert problem["errors"][0]["loc"] == ["body", "target"]
    assert "EPAA" in problem["detail"] and "force" in problem["detail"]
    assert client.get("/v1/overrides").json() == []


def test_a_supplier_nothing_resembles_is_refused_with_the_agency_names(client) -> None:
    problem = wide(client, "Qwxz Zyxw Bureau").json()
    assert problem["status"] == 422
    assert {"EPA", "Reuters", "AFP"} <= set(problem["known"])


def test_force_grants_a_lease_for_a_supplier_not_yet_seen(client, seed_id) -> None:
    response = wide(client, "  Future\u00a0Wire  ", force=True)
    assert response.status_code == 201, response.text
    assert (response.json()["target"], response.json()["target_key"]) == (
        "Future Wire",
        "future wire",
    )
    assert check(client, seed_id, purpose="editorial")["decision"] == "allow"


@pytest.mark.parametrize("target", ["", "   ", "---", "\u200b"])
def test_a_target_with_no_letter_is_refused_even_with_force(client, target) -> None:
    response = wide(client, target, force=True)
    assert response.status_code == 422


def test_force_must_be_a_boolean(client) -> None:
    assert wide(client, "EPA", force="yes").status_code == 422


# --- territories at every entry point ------------------------------------------------------------

BAD_TERRITORIES = ["ZZ", "XX", "EU", "EN", "AA", "QM", "QZ", "XA", "XZ", "U1", "GBR", "", 12]


@pytest.mark.parametrize("bad", BAD_TERRITORIES)
def test_a_check_in_no_country_is_422_naming_the_field(client, seed_id, bad) -> None:
    response = client.post(
        "/v1/rights/check",
        json={"assets": [seed_id], "use": {"purpose": "editorial", "territory": bad}},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("use.territory")


@pytest.mark.parametrize("bad", BAD_TERRITORIES)
def test_a_lease_in_no_country_is_422_naming_the_field(client, seed_id, bad) -> None:
    body = {"effect": "deny", "reason": "hold", "territories": ["FR", bad]}
    on_asset = client.post(f"/v1/assets/{seed_id}/overrides", json=body)
    assert on_asset.status_code == 422, on_asset.text
    assert on_asset.json()["detail"].startswith("territories.1")
    on_agency = client.post("/v1/overrides", json={**body, "scope": "agency", "target": "EPA"})
    assert on_agency.status_code == 422, on_agency.text
    assert on_agency.json()["detail"].startswith("territories.1")
    assert client.get("/v1/overrides").json() == []


def test_aliases_are_stored_as_iso_codes_and_a_hold_on_france_holds_reunion(
    client, seed_id
) -> None:
    body = {"effect": "deny", "reason": "hold", "territories": ["fr", "uk", "EL"]}
    lease = client.post(f"/v1/assets/{seed_id}/overrides", json=body)
    assert lease.status_code == 201, lease.text
    assert lease.json()["territories"] == ["FR", "GB", "GR"]
    for territory in ("RE", "GP", "MC", "JE", "UK", "gb"):
        assert check(client, seed_id, purpose="editorial", territory=territory)["decision"] == (
            "deny"
        ), territory
    assert check(client, seed_id, purpose="editorial", territory="DE")["decision"] == "allow"


def test_a_caption_excluding_france_denies_its_overseas_departments_and_monaco(client) -> None:
    asset = client.post(
        "/v1/assets",
        data={"caption": "Paris, 3 May 2026. NO USE IN FRANCE. EPA/JOHN DOE"},
        files={"file": ("f.jpg", jpeg_bytes(79), "image/jpeg")},
    ).json()
    assert asset["rights"]["territories"]["excluded"] == ["FR"]
    for territory in ("FR", "GP", "RE", "MC", "NC"):
        result = check(client, asset["id"], purpose="editorial", territory=territory)
        assert result["decision"] == "deny", (territory, result)
    assert check(client, asset["id"], purpose="editorial", territory="BE")["decision"] == "allow"


# --- leases stored before targets were normalised ------------------------------------------------


def test_leases_stored_before_the_keys_existed_apply_after_the_upgrade(settings) -> None:
    runtime = Runtime.from_settings(settings)
    try:
        upgrade(runtime.engine, "0002")
        now = datetime.now(UTC)
        meta = sa.MetaData()
        asset = sa.Table("asset", meta, autoload_with=runtime.engine)
        lease = sa.Table("lease", meta, autoload_with=runtime.engine)
        common = {"created_at": now, "updated_at": now, "handout": False, "status": "active"}
        image = {"media_type": "image/jpeg", "bytes": 1, **common}
        with runtime.engine.begin() as connection:
            connection.execute(
                asset.insert(),
                [
                    {"id": "a" * 32, "sha256": "1" * 64, "agency": "EPA", "source": None, **image},
                    {
                        "id": "b" * 32,
                        "sha256": "2" * 64,
                        "agency": None,
                        "source": "REUTERS",
                        **image,
                    },
                    {"id": "c" * 32, "sha256": "3" * 64, "agency": "AFP", "source": None, **image},
                ],
            )
            old = {"effect": "deny", "reason": "old", "created_at": now}
            connection.execute(
                lease.insert(),
                [
                    {"id": "l1", "scope": "agency", "target": "epa ", **old},
                    {"id": "l2", "scope": "source", "target": "Reuters", **old},
                ],
            )
        upgrade(runtime.engine)
        with session_scope(runtime.engine) as session:
            outcomes = check_assets(
                session, ["a" * 32, "b" * 32, "c" * 32], Use(Purpose.EDITORIAL), now=utcnow()
            )
        leased = [{r.code for r in o.decision.reasons} & {"LEASE_DENY"} for o in outcomes]
        assert leased == [{"LEASE_DENY"}, {"LEASE_DENY"}, set()]
    finally:
        runtime.engine.dispose()
