"""The rights check's short way gives the answers the declared route gives, and keeps failing
closed: the same guards in the same order, the long way for anything it does not take, and a
fresh connection when the database dropped the one a worker holds."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.runtime import Runtime

BODY = {"assets": [], "use": {"purpose": "commercial", "channel": "web", "territory": "GB"}}


@pytest.fixture
def seed_id(client: TestClient, seed_image: bytes) -> str:
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201
    return str(response.json()["id"])


def post(client: TestClient, body: dict | bytes, content_type: str, **headers: str):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/v1/rights/check", content=content, headers={"content-type": content_type, **headers}
    )


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "APPLICATION/JSON", "application/problem+json"],
)
def test_every_json_content_type_gets_the_answer_plain_json_gets(
    client: TestClient, seed_id: str, content_type: str
) -> None:
    body = {**BODY, "assets": [seed_id, "epa09674804", "unknown-ref"]}
    short = post(client, body, "application/json")
    other = post(client, body, content_type)
    assert short.status_code == other.status_code == 200
    assert short.json() == other.json()
    assert [r["decision"] for r in short.json()["results"]] == ["deny", "deny", "deny"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"assets": ["x"], "use": {"purpose": "editorial"}, "record": 1}',
        b'{"assets": ["x"], "use": {"purpose": "editorial", "at": 1700000000}}',
        b'{"assets": ["x"], "use": {"purpose": "editorial"}, "extra": true}',
        b'{"assets": ["x\\u0000"], "use": {"purpose": "editorial"}}',
        b'{"assets": ["\\ud800"], "use": {"purpose": "editorial"}}',
        b'{"assets": ["x"], "use": {"purpose": NaN}}',
        b'{"assets": [18446744073709551616], "use": {"purpose": "editorial"}}',
    ],
)
def test_what_the_declared_route_refuses_the_short_way_refuses(
    client: TestClient, body: bytes
) -> None:
    response = post(client, body, "application/json")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_a_body_that_is_not_json_typed_is_refused_as_before(client: TestClient) -> None:
    response = post(client, {**BODY, "assets": ["x"]}, "text/plain")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_key_is_checked_before_the_body(client: TestClient) -> None:
    """Without a key the answer is 401 whatever the body says, as with the declared route."""
    del client.headers["Authorization"]
    for body in (b"{not json", json.dumps({**BODY, "assets": ["x"]}).encode()):
        response = post(client, body, "application/json")
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


def test_an_unknown_query_parameter_is_refused_on_the_short_way_too(client: TestClient) -> None:
    response = client.post("/v1/rights/check?dry_run=true", json={**BODY, "assets": ["x"]})
    assert response.status_code == 422
    assert "dry_run" in response.json()["detail"]


def test_a_check_answers_after_the_database_dropped_the_held_connection(
    client: TestClient, runtime: Runtime, seed_id: str
) -> None:
    """A worker holds one connection for checks that only read; when the server closes it (a
    restart, a failover, an idle timeout) the next check reads through a fresh one."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("the held connection is PostgreSQL's (SQLite has no round trip to save)")
    body = {**BODY, "assets": [seed_id]}
    first = post(client, body, "application/json")
    assert first.status_code == 200
    held = vars(runtime)["_held_check_connection"].connection
    assert held is not None
    pid = held.connection.driver_connection.info.backend_pid
    admin = sa.create_engine(runtime.engine.url)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    again = post(client, body, "application/json")
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
