"""The API document declares every answer the API gives, and `Allow` agrees with it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.images import jpeg_bytes


@pytest.fixture
def document(client) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def _declared(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return dict(document["paths"][path][method]["responses"])


def _problem(answer: dict[str, Any]) -> bool:
    schema = answer.get("content", {}).get("application/problem+json", {}).get("schema")
    return schema == {"$ref": "#/components/schemas/Problem"}


def test_the_answers_named_in_the_issue_are_declared_with_their_shape(document):
    expectations = {
        ("get", "/v1/assets"): {"400", "401", "403", "422", "500"},  # 400: a bad cursor
        ("post", "/v1/assets"): {"400", "401", "403", "413", "415", "422"},  # 400: empty file
        ("get", "/v1/assets/{asset_id}/file"): {"401", "403", "404", "415", "422"},
        ("post", "/v1/assets/{asset_id}/overrides"): {"404", "413", "422"},  # 422: bad window
        ("post", "/v1/rights/check"): {"401", "403", "413", "422"},
        ("get", "/v1/audit"): {"400", "401", "403", "422"},
    }
    for (method, path), statuses in expectations.items():
        declared = _declared(document, method, path)
        assert statuses <= set(declared), (method, path, sorted(declared))
        assert all(_problem(declared[s]) for s in statuses if s != "200"), (method, path)
    assert document["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_every_answer_given_is_declared(client, document):
    """Answers actually given, one of each kind, against the document."""
    upload = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(7), "image/jpeg")})
    asset_id = upload.json()["id"]
    given = [
        ("get", "/v1/assets", client.get("/v1/assets?cursor=nonsense")),
        ("post", "/v1/assets", client.post("/v1/assets", files={"file": ("e.jpg", b"")})),
        ("post", "/v1/assets", client.post("/v1/assets", files={"file": ("t.txt", b"text")})),
        (
            "post",
            "/v1/assets/{asset_id}/overrides",
            client.post(
                f"/v1/assets/{asset_id}/overrides",
                json={
                    "effect": "deny",
                    "reason": "r",
                    "starts": "2030-01-02T00:00:00Z",
                    "ends": "2030-01-01T00:00:00Z",
                },
            ),
        ),
        ("get", "/v1/assets/{asset_id}", client.get("/v1/assets/nothing-here")),
        ("get", "/v1/audit", client.get("/v1/audit?cursor=!")),
        ("get", "/v1/assets", client.get("/v1/assets", headers={"Authorization": "Bearer x"})),
    ]
    for method, path, response in given:
        assert response.status_code >= 400, response.text
        declared = _declared(document, method, path)
        assert str(response.status_code) in declared, (method, path, response.status_code)
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path, methods",
    [
        ("/v1/assets", "GET, HEAD, OPTIONS, POST"),
        ("/v1/assets/abc", "GET, HEAD, OPTIONS"),
        ("/v1/assets/abc/overrides", "GET, HEAD, OPTIONS, POST"),
        ("/v1/overrides/abc", "DELETE, OPTIONS"),
        ("/v1/rights/check", "OPTIONS, POST"),
    ],
)
def test_options_and_wrong_methods_name_every_method_the_path_allows(client, path, methods):
    options = client.options(path)
    assert options.status_code == 204
    assert options.headers["allow"] == methods
    wrong = client.request("PATCH", path)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == methods
    assert wrong.json()["detail"] == f"PATCH is not allowed here; use {methods}"
