"""GET/PUT /v1/assets/{id}/policy, `rightsdesk policy`, and the policy a download carries."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.images import jpeg_bytes
from tests.test_cli import rightsdesk
from tests.test_desk import sign_in

SCHEMA = json.loads((Path(__file__).parent / "data" / "odrl_policy.schema.json").read_text())
CAPTION = (
    "Rally in Moscow. EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT "
    "HANDOUT EDITORIAL USE ONLY/NO SALES"
)
USES = [
    {"purpose": purpose, "territory": territory, "at": "2026-12-07T12:00:00Z"}
    for purpose in (
        "editorial",
        "commercial",
        "advertising",
        "marketing",
        "sale",
        "syndication",
        "archive",
    )
    for territory in ("GB", "DE", "US")
]


def upload(client: Any, data: bytes, caption: str | None = CAPTION) -> dict[str, Any]:
    form = {"caption": caption} if caption else {}
    response = client.post("/v1/assets", files={"file": ("x.jpg", data, "image/jpeg")}, data=form)
    assert response.status_code == 201, response.text
    return response.json()


def decisions(client: Any, asset_id: str) -> list[str]:
    out = []
    for use in USES:
        response = client.post("/v1/rights/check", json={"assets": [asset_id], "use": use})
        assert response.status_code == 200, response.text
        out.append(response.json()["results"][0]["decision"])
    return out


def test_the_policy_of_an_asset_is_valid_odrl_json_ld(client: Any) -> None:
    asset = upload(client, jpeg_bytes(11))
    response = client.get(f"/v1/assets/{asset['id']}/policy")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    policy = response.json()
    jsonschema.validate(policy, SCHEMA)
    assert policy["assigner"]["vcard:fn"] == "EPA"
    phrases = {rule["dct:description"] for rule in policy["prohibition"]}
    assert {"EDITORIAL USE ONLY", "NO SALES"} <= phrases


def test_the_policy_of_an_unknown_asset_is_404(client: Any) -> None:
    response = client.get("/v1/assets/01ARZ3NDEKTSV4RRFFQ69G5FAV/policy")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_lease_appears_in_the_policy_as_its_own_rule(client: Any) -> None:
    asset = upload(client, jpeg_bytes(12))
    lease = {
        "effect": "allow",
        "purposes": ["sale"],
        "reason": "bought for the book",
        "starts": "2026-12-01T00:00:00Z",
        "ends": "2027-01-01T00:00:00Z",
    }
    response = client.post(f"/v1/assets/{asset['id']}/overrides", json=lease)
    assert response.status_code in (200, 201), response.text
    policy = client.get(f"/v1/assets/{asset['id']}/policy").json()
    leased = [rule for rule in policy["permission"] if "rdsk:lease" in rule]
    assert [rule["dct:description"] for rule in leased] == ["bought for the book"]


def test_a_put_policy_adds_restrictions_with_origin_policy(client: Any) -> None:
    asset = upload(client, jpeg_bytes(13))
    policy = {
        "@context": "http://www.w3.org/ns/odrl.jsonld",
        "@type": "Set",
        "uid": "http://example.com/policy/1",
        "prohibition": [
            {
                "target": "urn:x",
                "action": "use",
                "dct:description": "not in Germany",
                "constraint": [
                    {
                        "leftOperand": "spatial",
                        "operator": "isAnyOf",
                        "rightOperand": [{"@id": "http://cvx.iptc.org/iso3166-1a2/DE"}],
                    }
                ],
            }
        ],
    }
    response = client.put(f"/v1/assets/{asset['id']}/policy", json=policy)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(r["code"], r["origin"]) for r in body["read"]] == [("TERRITORY", "policy")]
    codes = {(r["code"], r["origin"]) for r in body["asset"]["rights"]["restrictions"]}
    assert ("TERRITORY", "policy") in codes and ("NO_SALES", "caption") in codes
    check = {"assets": [asset["id"]], "use": {"purpose": "editorial", "territory": "DE"}}
    assert client.post("/v1/rights/check", json=check).json()["results"][0]["decision"] == "deny"
    events = client.get(f"/v1/audit?asset={asset['id']}").json()
    assert "asset.policy" in json.dumps(events)


def test_a_permissive_policy_lifts_nothing_and_the_caption_edit_keeps_the_policy(
    client: Any,
) -> None:
    asset = upload(client, jpeg_bytes(14))
    permissive = {
        "@type": "Set",
        "uid": "http://example.com/p",
        "permission": [
            {"target": "urn:x", "action": "sell"},
            {
                "target": "urn:x",
                "action": "use",
                "constraint": [
                    {"leftOperand": "industry", "operator": "eq", "rightOperand": "print"}
                ],
            },
        ],
    }
    response = client.put(f"/v1/assets/{asset['id']}/policy", json=permissive)
    assert response.status_code == 200, response.text
    check = {"assets": [asset["id"]], "use": {"purpose": "sale"}}
    assert client.post("/v1/rights/check", json=check).json()["results"][0]["decision"] == "deny"
    client.put(f"/v1/assets/{asset['id']}/caption", json={"caption": "Rally. EPA/JOHN DOE"})
    after = client.get(f"/v1/assets/{asset['id']}").json()
    assert ("OTHER", "policy") in {
        (r["code"], r["origin"]) for r in after["rights"]["restrictions"]
    }


@pytest.mark.parametrize("body", [{}, {"permission": []}, {"@type": "Set"}, [1, 2], "policy", None])
def test_a_put_of_what_is_no_policy_is_a_problem_not_a_500(client: Any, body: Any) -> None:
    asset = upload(client, jpeg_bytes(15))
    response = client.put(f"/v1/assets/{asset['id']}/policy", json=body)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_a_viewer_may_read_the_policy_but_not_put_one(client: Any, make_key: Any) -> None:
    from assets.keys import Role

    asset = upload(client, jpeg_bytes(16))
    viewer = {"Authorization": f"Bearer {make_key(Role.VIEWER)}"}
    assert client.get(f"/v1/assets/{asset['id']}/policy", headers=viewer).status_code == 200
    put = client.put(f"/v1/assets/{asset['id']}/policy", json={"permission": [{}]}, headers=viewer)
    assert put.status_code == 403


def test_export_then_import_gives_the_same_decisions_through_the_api(client: Any) -> None:
    original = upload(client, jpeg_bytes(17))
    policy = client.get(f"/v1/assets/{original['id']}/policy").json()
    bare = upload(client, jpeg_bytes(18), caption=None)
    assert client.put(f"/v1/assets/{bare['id']}/policy", json=policy).status_code == 200
    assert decisions(client, bare["id"]) == decisions(client, original["id"])


def test_a_download_with_rights_carries_plus_xmprights_and_the_policy(
    client: Any, tmp_path: Path
) -> None:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool not installed (apt-get install libimage-exiftool-perl)")
    asset = upload(client, jpeg_bytes(19))
    response = client.get(f"/v1/assets/{asset['id']}/file?embed=rights")
    assert response.status_code == 200
    path = tmp_path / "download.jpg"
    path.write_bytes(response.content)
    found = json.loads(
        subprocess.run(
            [exiftool, "-j", "-G1", "-XMP:all", str(path)], capture_output=True, check=True
        ).stdout
    )[0]
    assert found["XMP-plus:ImageSupplierName"] == "EPA"
    assert found["XMP-xmpRights:Marked"] in (True, "True")
    embedded_policy = json.loads(found["XMP-rightsdesk:OdrlPolicy"])
    jsonschema.validate(embedded_policy, SCHEMA)
    # our reader reads the same policy back; the file alone decides as the asset does
    again = upload(client, response.content, caption=None)
    assert ("EDITORIAL_USE_ONLY", "policy") in {
        (r["code"], origin)
        for r in again["rights"]["restrictions"]
        for origin in [r["origin"], *(e["origin"] for e in r["evidence"])]
    }
    assert decisions(client, again["id"]) == decisions(client, asset["id"])


@pytest.mark.slow
def test_the_policy_command_prints_the_policy(tmp_path: Path, database_url: str) -> None:
    assert rightsdesk(tmp_path, "seed", database_url=database_url).returncode == 0
    result = rightsdesk(tmp_path, "policy", "epa09674804", database_url=database_url)
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    jsonschema.validate(policy, SCHEMA)
    missing = rightsdesk(tmp_path, "policy", "epa00000000", database_url=database_url)
    assert missing.returncode == 1 and "no asset" in missing.stderr


def test_the_desk_shows_what_the_file_declares_about_its_making(
    client: Any, runtime: Any, make_key: Any
) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from assets.keys import Role

    sample = (Path(__file__).parent / "data" / "c2pa" / "C.jpg").read_bytes()
    asset = upload(client, sample, caption="Test gradient. EPA/JOHN DOE")
    assert asset["embedded"]["provenance"]["c2pa"]["claim_generator"].startswith("make_test_images")
    with TestClient(create_app(runtime=runtime)) as desk:
        page = sign_in(desk, make_key(Role.VIEWER)).get(f"/assets/{asset['id']}").text
    assert "algorithmicMedia (AI-generated, synthetic or composite)" in page
    assert "manifest present (JPEG APP11 JUMBF), made by make_test_images" in page
    assert "SYNTHETIC_MEDIA" in page


@pytest.mark.slow
def test_a_policy_sidecar_is_read_on_ingest_and_a_broken_one_reviews(
    tmp_path: Path, database_url: str
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.jpg").write_bytes(
        jpeg_bytes(31, caption="epa11111111 Rally in Paris, France, 07 December 2026. EPA/JOHN DOE")
    )
    (feed / "a.jpg.odrl.jsonld").write_text(
        json.dumps(
            {
                "@type": "Set",
                "uid": "http://example.com/p/a",
                "prohibition": [
                    {"target": "urn:a", "action": "sell", "dct:description": "NO SALES"}
                ],
            }
        )
    )
    (feed / "b.jpg").write_bytes(
        jpeg_bytes(32, caption="epa22222222 Rally in Paris, France, 07 December 2026. EPA/JOHN DOE")
    )
    (feed / "b.odrl.json").write_text("{not json")
    result = rightsdesk(tmp_path, "ingest", str(feed), database_url=database_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 added" in result.stderr
    sale = rightsdesk(
        tmp_path, "check", "epa11111111", "--purpose", "sale", database_url=database_url
    )
    assert sale.returncode == 1, sale.stdout
    editorial = rightsdesk(
        tmp_path, "check", "epa22222222", "--purpose", "editorial", database_url=database_url
    )
    assert json.loads(editorial.stdout)["results"][0]["decision"] == "review"


def test_reparse_reads_the_licensing_of_a_row_stored_before_it_was_read(
    client: Any, runtime: Any
) -> None:
    from sqlmodel import Session

    from assets.reparse import reparse
    from assets.tables import Asset
    from captions import PARSER_VERSION
    from tests.licensing_files import C2PA_SAMPLE

    asset = upload(client, C2PA_SAMPLE.read_bytes(), caption="Gradient. EPA/JOHN DOE")
    with Session(runtime.engine) as session:
        row = session.get(Asset, asset["id"])
        assert row is not None
        row.embedded = {
            k: v for k, v in row.embedded.items() if k not in ("licensing", "provenance")
        }
        row.rights = {**row.rights, "restrictions": []}
        session.add(row)
        session.commit()
    assert reparse(runtime.engine, PARSER_VERSION, "test", blobs=runtime.blobs) == 1
    again = client.get(f"/v1/assets/{asset['id']}").json()
    assert again["embedded"]["provenance"]["c2pa"]["where"] == "JPEG APP11 JUMBF"
    assert "SYNTHETIC_MEDIA" in {r["code"] for r in again["rights"]["restrictions"]}
    assert reparse(runtime.engine, PARSER_VERSION, "test", blobs=runtime.blobs) == 0
