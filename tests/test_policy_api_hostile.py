"""PUT /v1/assets/{id}/policy with documents written to loosen or to crash: never a 500, never
a restriction missed, and a policy's review survives a caption edit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.images import jpeg_bytes
from tests.test_policy_api import upload

WINDOW = '{"leftOperand": "elapsedTime", "operator": "eq", "rightOperand": "P%sD"}'


def put(client: Any, asset_id: str, body: bytes) -> Any:
    return client.put(
        f"/v1/assets/{asset_id}/policy",
        content=body,
        headers={"content-type": "application/json"},
    )


def decision(client: Any, asset_id: str, purpose: str) -> str:
    check = {"assets": [asset_id], "use": {"purpose": purpose, "at": "2026-12-07T12:00:00Z"}}
    response = client.post("/v1/rights/check", json=check)
    assert response.status_code == 200, response.text
    return str(response.json()["results"][0]["decision"])


@pytest.mark.parametrize(
    "body",
    [
        b'{"permission": [{"action": "use"}], "prohibition": [{"action": "sell"}],'
        b' "prohibition": []}',
        b'{"prohibition": [{"action": "sell"}], "x": NaN}',
        b'{"permission": [{"action": ' + b"[" * 980 + b"]" * 980 + b"}]}",
        '{"prohibition": [{"action": "sell", "dct:description": "caf\xe9"}]}'.encode("latin-1"),
    ],
    ids=["repeated-key", "nan", "deep", "latin-1"],
)
def test_json_readers_would_read_differently_is_a_422_problem(client: Any, body: bytes) -> None:
    asset = upload(client, jpeg_bytes(41))
    response = put(client, asset["id"], body)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


@pytest.mark.parametrize("digits", ["\u00b2", "\u0661\u0660", "9" * 5000, "", "-1", "1.5"])
def test_any_delete_window_is_read_or_reviewed_never_a_500(client: Any, digits: str) -> None:
    asset = upload(client, jpeg_bytes(42), caption="Rally. EPA/JOHN DOE")
    body = '{"obligation": [{"action": "delete", "constraint": [%s]}]}' % (WINDOW % digits)
    response = put(client, asset["id"], body.encode())
    assert response.status_code == 200, response.text
    assert decision(client, asset["id"], "archive") != "allow"


def test_a_policy_review_survives_a_caption_edit_that_contains_its_words(client: Any) -> None:
    asset = upload(client, jpeg_bytes(43), caption="Rally. EPA/JOHN DOE")
    policy = {"prohibition": [{"action": "modify", "dct:description": "EPA"}]}
    assert put(client, asset["id"], json.dumps(policy).encode()).status_code == 200
    assert decision(client, asset["id"], "editorial") == "review"
    edit = {"caption": "Rally in Paris. EPA/JOHN DOE"}
    assert client.put(f"/v1/assets/{asset['id']}/caption", json=edit).status_code == 200
    assert decision(client, asset["id"], "editorial") == "review"


@pytest.mark.parametrize(
    "text",
    [
        b'{"permission": [{"action": "use"}], "prohibition": [{"action": "sell"}],'
        b' "prohibition": []}',
        b'{"prohibition": [{"action": "sell"}], "x": Infinity}',
        '{"prohibition": [{"action": "sell", "dct:description": "caf\xe9"}]}'.encode("latin-1"),
        b"[" * 100_000,
        b'{"prohibition": [{"action": "sell"}], "pad": "' + b" " * (5 << 20) + b'"}',
    ],
    ids=["repeated-key", "infinity", "latin-1", "deep", "too-large"],
)
def test_a_sidecar_readers_would_read_differently_reviews_every_use(
    client: Any, runtime: Any, tmp_path: Any, text: bytes
) -> None:
    from sqlmodel import Session

    from assets.policies import apply_sidecar
    from assets.tables import Asset

    asset = upload(client, jpeg_bytes(44), caption="Rally. EPA/JOHN DOE")
    sidecar = tmp_path / "a.jpg.odrl.jsonld"
    sidecar.write_bytes(text)
    with Session(runtime.engine) as session:
        row = session.get(Asset, asset["id"])
        assert row is not None
        reading = apply_sidecar(session, row, sidecar, "test")
    assert [(r.code, r.origin) for r in reading.restrictions] == [("OTHER", "policy")]
    assert sidecar.name in reading.restrictions[0].text
    assert decision(client, asset["id"], "editorial") == "review"
