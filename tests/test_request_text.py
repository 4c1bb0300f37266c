"""Every string a request carries follows one rule, on SQLite and PostgreSQL alike: text no
database or XMP packet could hold (NUL, lone surrogates, other C0 controls, U+FFFE/U+FFFF)
is refused with 422 naming the field, and types are strict where a type is meant."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assets.storable import STORABLE_PATTERN, unstorable
from tests.images import jpeg_bytes

REFUSED = ["\x00", "\ud800", "\udfff", "\x1b", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff"]
KEPT = ["\t", "\n", "\r", "\x7f", "\x85", "\u00a0", "\u200b", "\ufeff", "\U0001f4f7", "é"]


@pytest.fixture
def asset_id(client: TestClient) -> str:
    upload = client.post("/v1/assets", files={"file": ("a.jpg", jpeg_bytes(41), "image/jpeg")})
    assert upload.status_code == 201, upload.text
    return str(upload.json()["id"])


def _check(text: str) -> dict[str, Any]:
    return {"assets": ["x", text], "use": {"purpose": "editorial"}}


# (method, path, json body, form fields, where the text goes: loc of the error)
Request = tuple[str, str, dict[str, Any] | None, dict[str, str] | None, list[Any]]
CASES: list[Callable[[str, str], Request]] = [
    lambda t, a: ("POST", "/v1/rights/check", _check(t), None, ["body", "assets", 1]),
    lambda t, a: (
        "POST",
        "/v1/rights/check",
        {"assets": [a], "use": {"purpose": "sale", "publication": t}},
        None,
        ["body", "use", "publication"],
    ),
    lambda t, a: (
        "POST",
        "/v1/rights/check",
        {"assets": [a], "use": {"purpose": "sale", "url": "https://x.test/" + t}},
        None,
        ["body", "use", "url"],
    ),
    lambda t, a: ("PUT", f"/v1/assets/{a}/caption", {"caption": t}, None, ["body", "caption"]),
    lambda t, a: ("POST", "/v1/captions/parse", {"caption": t}, None, ["body", "caption"]),
    lambda t, a: (
        "POST",
        f"/v1/assets/{a}/overrides",
        {"effect": "deny", "reason": t},
        None,
        ["body", "reason"],
    ),
    lambda t, a: (
        "POST",
        "/v1/overrides",
        {"effect": "deny", "scope": "agency", "target": "EPA" + t, "reason": "r"},
        None,
        ["body", "target"],
    ),
    lambda t, a: ("POST", f"/v1/assets/{a}/kill", {"reason": t}, None, ["body", "reason"]),
    lambda t, a: ("POST", "/v1/assets", None, {"caption": t}, ["body", "caption"]),
    lambda t, a: ("GET", "/v1/assets?agency=" + _q(t), None, None, ["query", "agency"]),
    lambda t, a: ("GET", "/v1/assets?q=" + _q(t), None, None, ["query", "q"]),
    lambda t, a: ("GET", "/v1/assets?cursor=" + _q(t), None, None, ["query", "cursor"]),
    lambda t, a: ("GET", "/v1/assets/by-ref/" + _q(t), None, None, ["path", "agency_ref"]),
    lambda t, a: ("GET", f"/v1/assets/{_q(t)}", None, None, ["path", "asset_id"]),
    lambda t, a: ("GET", "/v1/audit?asset=" + _q(t), None, None, ["query", "asset"]),
    lambda t, a: ("GET", "/v1/overrides?target=" + _q(t), None, None, ["query", "target"]),
]


def _q(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _send(client: TestClient, request: Request) -> Any:
    method, path, body, form, _loc = request
    if form is not None:
        files = {"file": ("a.jpg", jpeg_bytes(42), "image/jpeg")}
        return client.post(path, data=form, files=files)
    if body is None:
        return client.request(method, path)
    # JSON escapes (\ud800) carry a lone surrogate, as any client's JSON encoder may send it
    content = json.dumps(body, ensure_ascii=True)
    return client.request(
        method, path, content=content, headers={"Content-Type": "application/json"}
    )


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    case=st.sampled_from(range(len(CASES))),
    bad=st.sampled_from(REFUSED),
    before=st.text(st.sampled_from("EPA NO SALES.é1"), max_size=8),
    after=st.text(st.sampled_from("EPA NO SALES.é1"), max_size=8),
)
def test_refused_text_anywhere_is_a_422_naming_the_field(
    client, asset_id, case, bad, before, after
):
    text = before + bad + after
    request = CASES[case](text, asset_id)
    # URLs and form fields are bytes: invalid UTF-8 there is read as U+FFFD or Latin-1, so
    # only JSON (with its \u escapes) can carry a lone surrogate
    assume(request[2] is not None or not _is_surrogate(bad))
    response = _send(client, request)
    assert response.status_code == 422, (request, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["loc"] == request[4], problem
    field = ".".join(str(p) for p in request[4] if p != "body")
    assert problem["detail"].startswith(f"{field}: "), problem
    if field != "use.url":  # a URL has a stricter rule of its own (no spaces or controls)
        assert problem["detail"].startswith(f"{field}: the text holds"), problem
    if not _is_surrogate(bad) and field != "use.url":  # JSON refuses those before any field
        assert "U+" in problem["detail"]  # which character, so the sender can find it


@pytest.mark.parametrize("kept", KEPT)
def test_text_the_databases_and_xmp_hold_is_accepted(client, asset_id, kept):
    caption = f"A cat{kept}on a mat. EPA/JOHN DOE"
    edit = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": caption})
    assert edit.status_code == 200, edit.text
    assert client.get(f"/v1/assets/{asset_id}").json()["caption"] == caption
    assert unstorable(caption) is None


def test_a_refused_caption_leaves_the_asset_as_it_was(client, asset_id):
    before = client.get(f"/v1/assets/{asset_id}").json()
    edit = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": "A\x00 EPA/X NO SALES"})
    assert edit.status_code == 422
    assert client.get(f"/v1/assets/{asset_id}").json() == before


def test_a_lone_surrogate_in_a_batch_names_its_place_and_fails_nothing_else(client, asset_id):
    assets = [asset_id] * 998 + ["\ud83d", asset_id]
    body = {"assets": assets, "use": {"purpose": "sale"}}
    response = _send(client, ("POST", "/v1/rights/check", body, None, []))
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("assets.998: the text holds a lone surrogate")
    fine = client.post("/v1/rights/check", json={"assets": [asset_id], "use": {"purpose": "sale"}})
    assert fine.status_code == 200


def test_a_field_name_with_a_lone_surrogate_is_refused_not_a_server_error(client):
    body = {"assets": ["x"], "use": {"purpose": "sale", "\udc80bad": 1}}
    response = _send(client, ("POST", "/v1/rights/check", body, None, []))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][:2] == ["body", "use"]
    assert "lone surrogate" in response.json()["detail"]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"assets": ["x"], "use": {"purpose": "sale"}, "record": 0}, ["body", "record"]),
        ({"assets": ["x"], "use": {"purpose": "sale"}, "record": 1}, ["body", "record"]),
        ({"assets": ["x"], "use": {"purpose": "sale"}, "record": "true"}, ["body", "record"]),
        ({"assets": ["x"], "use": {"purpose": "sale", "at": 0}}, ["body", "use", "at"]),
        ({"assets": ["x"], "use": {"purpose": "sale", "at": 0.5}}, ["body", "use", "at"]),
        ({"assets": ["x"], "use": {"purpose": "sale", "at": "1700000000"}}, ["body", "use", "at"]),
        ({"assets": [5], "use": {"purpose": "sale"}}, ["body", "assets", 0]),
        ({"assets": ["x"], "use": {"purpose": "sale", "publication": 5}}, ["body", "use"]),
    ],
)
def test_loose_types_in_a_check_are_refused(client, body, loc):
    response = client.post("/v1/rights/check", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][: len(loc)] == loc


@pytest.mark.parametrize("window", [{"ends": 1893456000}, {"starts": 0.5}, {"ends": "0.5"}])
def test_lease_windows_are_iso_moments_not_numbers(client, asset_id, window):
    body = {"effect": "deny", "reason": "r", **window}
    response = client.post(f"/v1/assets/{asset_id}/overrides", json=body)
    assert response.status_code == 422, response.text
    assert "ISO 8601" in response.json()["detail"]


@pytest.mark.parametrize(
    "query, name",
    [
        ("until=0.5", "until"),
        ("since=1700000000", "since"),
        ("handout=1", "handout"),
        ("handout=yes", "handout"),
        ("restrction=NO_SALES", "restrction"),  # a misspelt filter would match everything
    ],
)
def test_loose_or_unknown_query_parameters_are_refused(client, query, name):
    response = client.get(f"/v1/assets?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["query", name]


@pytest.mark.parametrize(
    "query", ["until=2030-01-01T00:00:00Z", "since=2020-01-01", "handout=true", "handout=False"]
)
def test_well_typed_query_parameters_are_accepted(client, query):
    assert client.get(f"/v1/assets?{query}").status_code == 200


def test_the_document_declares_the_rule_on_every_free_text_field(client):
    """Every string a request may carry either has the storable pattern or a stricter one,
    an enum or a format: nothing free is left unguarded in the document."""
    document = client.get("/openapi.json").json()
    unguarded = []
    patterns = set()

    def visit(schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            visit(document["components"]["schemas"][name], name)
            return
        for option in schema.get("anyOf", []):
            visit(option, where)
        patterns.add(schema.get("pattern"))
        if schema.get("type") == "string" and not (
            {"enum", "const", "format", "pattern", "contentMediaType"} & set(schema)
        ):
            unguarded.append(where)
        for name, inner in schema.get("properties", {}).items():
            visit(inner, f"{where}.{name}")
        if isinstance(schema.get("items"), dict):
            visit(schema["items"], f"{where}[]")

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                visit(parameter["schema"], f"{method} {path} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                visit(media["schema"], f"{method} {path} body")
    assert unguarded == []
    assert STORABLE_PATTERN in patterns


@pytest.mark.parametrize(
    "fields, field, stored",
    [
        ({"caption": "A cat.\x00 EPA/JOHN DOE"}, "caption", "A cat.\ufffd EPA/JOHN DOE"),
        ({"source": "S" * 700}, "source", "S" * 511 + "\u2026"),  # the column holds 512
    ],
)
def test_text_read_from_a_file_is_stored_alike_on_every_database(
    client, runtime, fields, field, stored
):
    """A file is not refused for its metadata: what no database could hold is replaced
    (U+FFFD) or cut to its column, the same on SQLite and PostgreSQL."""
    upload = client.post(
        "/v1/assets", files={"file": ("a.jpg", jpeg_bytes(43, **fields), "image/jpeg")}
    )
    assert upload.status_code == 201, upload.text
    with runtime.engine.connect() as db:
        column = db.execute(
            sa.text(f"SELECT {field} FROM asset WHERE id = :id"), {"id": upload.json()["id"]}
        ).scalar()
    assert column == stored


def test_a_parameter_given_twice_is_refused_not_read_as_its_last_value(client):
    response = client.get("/v1/overrides?target=EPA&target=AFP")
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "query.target: 'target' is given 2 times; give it once"
