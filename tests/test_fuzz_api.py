"""Property-based fuzzing of the HTTP API from its own OpenAPI document (schemathesis).

Every operation gets valid and invalid requests (bounded: MAX_EXAMPLES each) with an admin
key, in process over ASGI. No request may produce a 5xx, and every documented response must
match its schema. The catalogue holds a real asset so that ids and references can resolve.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.runtime import Runtime
from assets.config import Settings
from assets.db import session_scope
from assets.keys import Role, create_key
from tests.conftest import SEEDS
from tests.images import jpeg_bytes

MAX_EXAMPLES = int(os.environ.get("RIGHTSDESK_FUZZ_EXAMPLES", "25"))  # raise it for a deep run

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL")


@pytest.fixture
def admin_key(runtime: Runtime) -> str:
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, "fuzzer", Role.ADMIN)
    return key


@pytest.fixture
def app(runtime: Runtime, admin_key: str) -> Iterator[Any]:
    """The app under test, started, holding one real image so ids and references resolve."""
    served = create_app(runtime=runtime)
    with TestClient(served) as client:
        seeded = client.post(
            "/v1/assets", headers={"Authorization": f"Bearer {admin_key}"},
            files={"file": ("seed.jpg", (SEEDS / "epa09674804.jpg").read_bytes(), "image/jpeg")})
        assert seeded.status_code == 201, seeded.text
        yield served


def _schema() -> Any:
    """The OpenAPI document of the app as built (no database needed to describe it)."""
    described = create_app(runtime=Runtime(settings=Settings(), engine=None, blobs=None))  # type: ignore[arg-type]
    return schemathesis.openapi.from_dict(described.openapi())


schema = _schema()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_or_an_off_schema_answer(case, app, admin_key):
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Bearer {admin_key}"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                content_type_conformance],
    )


# What the fuzzer found, pinned down so it stays fixed.


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/v1/assets/by-ref/epa%00", None),
    ("GET", "/v1/assets?agency=EPA%00", None),
    ("GET", "/v1/assets?restriction=NO_SALES%00", None),
    ("POST", "/v1/rights/check", {"assets": ["\u0000"], "use": {"purpose": "sale"}}),
    ("POST", "/v1/overrides", {"effect": "allow", "scope": "agency", "target": "EPA\u0000",
                               "reason": "x"}),
])
def test_nul_characters_are_refused_or_ignored_never_a_server_error(client, method, path, body):
    response = client.request(method, path, json=body)
    assert response.status_code in (200, 201, 404, 422), response.text
    if response.status_code == 422:
        assert "NUL" in response.json()["detail"]


def test_nul_in_a_caption_is_refused_or_stored_never_a_server_error(client):
    upload = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(5), "image/jpeg")})
    asset_id = upload.json()["id"]
    edit = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": "A\u0000cat"})
    assert edit.status_code in (200, 422), edit.text
    assert client.get(f"/v1/assets/{asset_id}").status_code == 200


def test_times_read_back_from_the_catalogue_carry_their_utc_offset(client):
    upload = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(6), "image/jpeg")})
    asset_id = upload.json()["id"]
    created = dt.datetime.fromisoformat(client.get(f"/v1/assets/{asset_id}").json()["created_at"])
    assert created.utcoffset() == dt.timedelta(0)
    lease = client.post(f"/v1/assets/{asset_id}/overrides", json={
        "effect": "allow", "reason": "licensed", "ends": "2030-01-01T00:00:00+02:00"})
    assert lease.status_code == 201, lease.text
    [stored] = client.get(f"/v1/assets/{asset_id}/overrides").json()
    ends = dt.datetime.fromisoformat(stored["ends"])
    assert ends == dt.datetime(2029, 12, 31, 22, 0, tzinfo=dt.UTC)  # the same moment, not 00:00
