"""Who may kill: every path a kill notice can arrive by, for every kind of caller.

Only a rights manager, an admin or a key with the kill permission kills outright; from anyone
else a kill notice is a kill request, denied for every use until a rights manager confirms
(a real kill, with take-down webhooks) or rejects it (back to active, and that caption does
not raise it again).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.runtime import Runtime
from assets.db import session_scope
from assets.keys import Role, create_key
from assets.migrations import alembic_config, upgrade
from assets.reparse import reparse
from assets.tables import Asset, KillRequest, OutboxMessage
from captions import PARSER_VERSION, parse_caption
from rights import Purpose
from tests.images import jpeg_bytes
from tests.served import REPO, cli_env

REF = "epa09674804"
KILL_CAPTIONS = [
    f"{REF} MANDATORY KILL - PLEASE DELETE. This image has been withdrawn by the source."
    " EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT",
    f"{REF} PLEASE DELETE THIS IMAGE. EPA/JOHN DOE",
    f"{REF} KILL NOTICE: the image was withdrawn. EPA/JOHN DOE",
]
KILL_CAPTION = KILL_CAPTIONS[0]
PLAIN_CAPTION = f"{REF} Street scene in Ivanovo. EPA/JOHN DOE"


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
    can_kill: bool
    kills: bool  # what the product promises: a kill notice from this caller kills outright


ACTORS = [
    Actor("editor", Role.EDITOR, can_kill=False, kills=False),
    Actor("editor-feed", Role.EDITOR, can_kill=True, kills=True),
    Actor("rights-manager", Role.RIGHTS_MANAGER, can_kill=False, kills=True),
    Actor("admin", Role.ADMIN, can_kill=False, kills=True),
]
NOT_ALLOWED_TO_WRITE = [
    Actor("viewer", Role.VIEWER, can_kill=False, kills=False),
    Actor("hook", Role.HOOK, can_kill=False, kills=False),
]


@pytest.fixture
def keys(runtime: Runtime) -> Callable[[Actor], dict[str, str]]:
    made: dict[str, dict[str, str]] = {}

    def headers(actor: Actor) -> dict[str, str]:
        if actor.name not in made:
            with session_scope(runtime.engine) as session:
                _row, plain = create_key(session, actor.name, actor.role, can_kill=actor.can_kill)
            made[actor.name] = {"Authorization": f"Bearer {plain}"}
        return made[actor.name]

    return headers


@pytest.fixture
def app_client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as client:
        yield client


MANAGER = Actor("manager", Role.RIGHTS_MANAGER, can_kill=False, kills=True)
EDITOR = ACTORS[0]


@pytest.fixture
def seed_id(app_client, keys, seed_image) -> str:
    """The EPA seed image (reference epa09674804), uploaded by a rights manager."""
    response = app_client.post(
        "/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")}, headers=keys(MANAGER)
    )
    assert response.status_code == 201, response.text
    assert response.json()["rights"]["agency_ref"] == REF
    return str(response.json()["id"])


def status_of(client: TestClient, keys, asset_id: str) -> str:
    response = client.get(f"/v1/assets/{asset_id}", headers=keys(MANAGER))
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def check(client: TestClient, keys, asset: str, **use: object) -> dict:
    response = client.post(
        "/v1/rights/check", json={"assets": [asset], "use": use}, headers=keys(MANAGER)
    )
    assert response.status_code == 200, response.text
    return dict(response.json()["results"][0])


def pending(client: TestClient, keys) -> list[dict]:
    response = client.get("/v1/kills/requests", headers=keys(MANAGER))
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def killed_notices(runtime: Runtime) -> list[str]:
    with Session(runtime.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "asset.killed"))
        return sorted(str(m.payload["asset"]) for m in rows)


def upload(client: TestClient, headers: dict[str, str], data: bytes, caption: str) -> dict:
    response = client.post(
        "/v1/assets",
        data={"caption": caption},
        files={"file": ("k.jpg", data, "image/jpeg")},
        headers=headers,
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


@pytest.mark.parametrize("caption", KILL_CAPTIONS)
def test_the_kill_phrases_are_read_as_kill_notices(caption):
    assert parse_caption(caption).kill


# ---- every path a kill notice can arrive by, for every caller --------------------------------


def _expect(client, keys, runtime, actor: Actor, reached: list[str], asker: str) -> None:
    statuses = {a: status_of(client, keys, a) for a in reached}
    requests = pending(client, keys)
    if actor.kills:
        assert statuses == dict.fromkeys(reached, "killed")
        assert killed_notices(runtime) == sorted(reached)  # one take-down notice per asset
        assert requests == []
        return
    assert statuses == dict.fromkeys(reached, "kill_requested")
    assert killed_notices(runtime) == []
    [request] = requests
    assert request["asset"] == asker and request["state"] == "pending"
    assert request["requested_by"] == f"key:{actor.name}"
    assert sorted(r["asset"] for r in request["reaches"]) == sorted(reached)
    for asset in reached:
        result = check(client, keys, asset, purpose="editorial", channel="web")
        assert result["decision"] == "deny"
        assert result["reasons"][0]["code"] == "KILL_REQUESTED"


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_upload_with_a_kill_notice(app_client, keys, runtime, seed_id, actor):
    new = upload(app_client, keys(actor), jpeg_bytes(41), KILL_CAPTION)
    _expect(app_client, keys, runtime, actor, [seed_id, new["id"]], new["id"])


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_same_file_uploaded_again_with_a_kill_notice(
    app_client, keys, runtime, seed_id, seed_image, actor
):
    again = upload(app_client, keys(actor), seed_image, KILL_CAPTION)
    assert again["id"] == seed_id and again["duplicate"] is True
    _expect(app_client, keys, runtime, actor, [seed_id], seed_id)


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_caption_edit_with_a_kill_notice(app_client, keys, runtime, seed_id, actor):
    sibling = upload(app_client, keys(MANAGER), jpeg_bytes(42), PLAIN_CAPTION)
    edited = app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(actor)
    )
    assert edited.status_code == 200, edited.text
    _expect(app_client, keys, runtime, actor, [seed_id, sibling["id"]], seed_id)


@pytest.mark.parametrize("caption", KILL_CAPTIONS)
def test_every_kill_phrase_from_an_editor_is_only_a_request(
    app_client, keys, runtime, seed_id, caption
):
    edited = app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": caption}, headers=keys(EDITOR)
    )
    assert edited.status_code == 200 and edited.json()["status"] == "kill_requested"
    _expect(app_client, keys, runtime, EDITOR, [seed_id], seed_id)


@pytest.mark.parametrize("actor", NOT_ALLOWED_TO_WRITE, ids=lambda a: a.name)
def test_callers_who_may_not_write_change_nothing(app_client, keys, seed_id, seed_image, actor):
    put = app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(actor)
    )
    post = app_client.post(
        "/v1/assets",
        data={"caption": KILL_CAPTION},
        files={"file": ("k.jpg", seed_image, "image/jpeg")},
        headers=keys(actor),
    )
    assert (put.status_code, post.status_code) == (403, 403)
    assert status_of(app_client, keys, seed_id) == "active"
    assert pending(app_client, keys) == []


def _make_stale(runtime: Runtime, asset_id: str, caption: str) -> None:
    """As if an older parser had read `caption` and missed its kill notice."""
    with session_scope(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        asset.caption = caption
        asset.parser_version = "0.0.1"
        asset.rights = {**(asset.rights or {}), "kill_notice": False}
        session.add(asset)


def test_reparse_raises_a_request_and_respects_a_rejection(app_client, keys, runtime, seed_id):
    _make_stale(runtime, seed_id, KILL_CAPTION)
    assert reparse(runtime.engine, PARSER_VERSION, "cli") >= 1
    assert status_of(app_client, keys, seed_id) == "kill_requested"
    [request] = pending(app_client, keys)
    assert (request["via"], request["requested_by"]) == ("asset.reparse", "cli")
    assert killed_notices(runtime) == []

    rejected = app_client.post(
        f"/v1/kills/requests/{request['id']}/reject",
        json={"note": "a test caption, not an agency kill"},
        headers=keys(MANAGER),
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["restored"] == [seed_id]
    _make_stale(runtime, seed_id, KILL_CAPTION)  # the same caption read once more
    reparse(runtime.engine, PARSER_VERSION, "cli")
    assert status_of(app_client, keys, seed_id) == "active"
    assert pending(app_client, keys) == []
    assert check(app_client, keys, seed_id, purpose="editorial")["decision"] != "deny"


@pytest.mark.parametrize("apply_kills", [False, True], ids=["plain", "apply-kills"])
def test_ingest_cli(tmp_path, runtime, app_client, keys, seed_id, apply_kills):
    image = tmp_path / "kill.jpg"
    image.write_bytes(jpeg_bytes(43, caption=KILL_CAPTION))
    args = [sys.executable, "-m", "api.cli", "ingest", str(image)]
    result = subprocess.run(
        [*args, "--apply-kills"] if apply_kills else args,
        env=cli_env(runtime.settings.data_dir, runtime.settings.effective_database_url),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Session(runtime.engine) as session:
        new = session.exec(select(Asset).where(Asset.filename == "kill.jpg")).one()
    feed = Actor("cli:feed" if apply_kills else "cli", Role.ADMIN, apply_kills, apply_kills)
    if apply_kills:
        _expect(app_client, keys, runtime, feed, [seed_id, new.id], new.id)
    else:
        [request] = pending(app_client, keys)
        assert request["requested_by"] == "cli" and request["via"] == "asset.ingest"
        assert {status_of(app_client, keys, a) for a in (seed_id, new.id)} == {"kill_requested"}


# ---- the kill routes --------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS + NOT_ALLOWED_TO_WRITE, ids=lambda a: a.name)
def test_kill_route_by_id(app_client, keys, runtime, seed_id, actor):
    response = app_client.post(
        f"/v1/assets/{seed_id}/kill", json={"reason": "withdrawn"}, headers=keys(actor)
    )
    if actor.kills:
        assert response.status_code == 200, response.text
        assert status_of(app_client, keys, seed_id) == "killed"
        assert killed_notices(runtime) == [seed_id]
    else:
        assert response.status_code == 403, response.text
        assert status_of(app_client, keys, seed_id) == "active"
        assert killed_notices(runtime) == []


@pytest.mark.parametrize("actor", ACTORS + NOT_ALLOWED_TO_WRITE, ids=lambda a: a.name)
def test_kill_route_by_reference_previews_then_names_every_asset(
    app_client, keys, runtime, seed_id, actor
):
    sibling = upload(app_client, keys(MANAGER), jpeg_bytes(44), PLAIN_CAPTION)["id"]
    other = upload(app_client, keys(MANAGER), jpeg_bytes(45), "epa00000001 Other. EPA/X")["id"]
    body = {"agency_ref": REF, "reason": "EPA kill notice", "dry_run": True}
    preview = app_client.post("/v1/kills/by-ref", json=body, headers=keys(actor))
    if not actor.kills:
        assert preview.status_code == 403
        assert (
            app_client.post(
                "/v1/kills/by-ref", json={**body, "dry_run": False}, headers=keys(actor)
            ).status_code
            == 403
        )
        assert {status_of(app_client, keys, a) for a in (seed_id, sibling)} == {"active"}
        return
    assert preview.status_code == 200, preview.text
    assert preview.json()["dry_run"] is True
    assert sorted(a["asset"] for a in preview.json()["assets"]) == sorted([seed_id, sibling])
    assert {a["status"] for a in preview.json()["assets"]} == {"active"}
    assert killed_notices(runtime) == []  # a dry run changes nothing

    killed = app_client.post(
        "/v1/kills/by-ref", json={**body, "dry_run": False}, headers=keys(actor)
    )
    assert killed.status_code == 200, killed.text
    assert sorted(a["asset"] for a in killed.json()["assets"]) == sorted([seed_id, sibling])
    assert {a["status"] for a in killed.json()["assets"]} == {"killed"}
    assert killed_notices(runtime) == sorted([seed_id, sibling])
    assert status_of(app_client, keys, other) == "active"


def test_kill_by_an_unknown_reference_is_404(app_client, keys):
    response = app_client.post(
        "/v1/kills/by-ref",
        json={"agency_ref": "epa99999999", "reason": "x", "dry_run": True},
        headers=keys(MANAGER),
    )
    assert response.status_code == 404
    assert "epa99999999" in response.json()["detail"]


# ---- a kill request is denied for every use, and decided by a rights manager ----------------


def test_a_kill_request_is_denied_for_every_purpose_whatever_the_leases(app_client, keys, seed_id):
    lease = app_client.post(
        f"/v1/assets/{seed_id}/overrides",
        json={"effect": "allow", "reason": "all licensed"},
        headers=keys(MANAGER),
    )
    assert lease.status_code == 201, lease.text
    assert check(app_client, keys, seed_id, purpose="sale")["decision"] == "allow"
    app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    for purpose in Purpose:
        for key in (seed_id, REF):
            result = check(app_client, keys, key, purpose=purpose.value, channel="web")
            assert result["decision"] == "deny", (purpose, result)
            assert [r["code"] for r in result["reasons"]] == ["KILL_REQUESTED"]
    recorded = app_client.post(
        "/v1/rights/check",
        json={
            "assets": [seed_id],
            "use": {"purpose": "editorial", "publication": "P", "url": "https://p.example/1"},
            "record": True,
        },
        headers=keys(MANAGER),
    )
    assert recorded.json()["results"][0]["usage_id"] is None
    listed = app_client.get("/v1/assets", params={"status": "kill_requested"}, headers=keys(EDITOR))
    assert [a["id"] for a in listed.json()["items"]] == [seed_id]


def test_only_a_rights_manager_sees_and_decides_kill_requests(app_client, keys, seed_id):
    app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    [request] = pending(app_client, keys)
    feed = ACTORS[1]
    for actor in (EDITOR, feed, *NOT_ALLOWED_TO_WRITE):
        assert app_client.get("/v1/kills/requests", headers=keys(actor)).status_code == 403
        for verdict, body in (("confirm", {}), ("reject", {"note": "no"})):
            answer = app_client.post(
                f"/v1/kills/requests/{request['id']}/{verdict}", json=body, headers=keys(actor)
            )
            assert answer.status_code == 403, (actor.name, verdict)
    assert status_of(app_client, keys, seed_id) == "kill_requested"


def test_confirming_kills_every_asset_reached_and_the_audit_says_who(
    app_client, keys, runtime, seed_id
):
    sibling = upload(app_client, keys(MANAGER), jpeg_bytes(46), PLAIN_CAPTION)["id"]
    asker = upload(app_client, keys(EDITOR), jpeg_bytes(47), KILL_CAPTION)["id"]
    [request] = pending(app_client, keys)
    assert sorted(r["asset"] for r in request["reaches"]) == sorted([seed_id, sibling, asker])
    confirmed = app_client.post(
        f"/v1/kills/requests/{request['id']}/confirm",
        json={"note": "EPA confirmed the kill by phone"},
        headers=keys(MANAGER),
    )
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["request"]["state"] == "confirmed"
    assert body["request"]["decided_by"] == "key:manager"
    assert sorted(a["asset"] for a in body["killed"]) == sorted([seed_id, sibling, asker])
    assert killed_notices(runtime) == sorted([seed_id, sibling, asker])
    result = check(app_client, keys, seed_id, purpose="editorial")
    assert [r["code"] for r in result["reasons"]] == ["KILLED"]
    again = app_client.post(
        f"/v1/kills/requests/{request['id']}/reject", json={"note": "x"}, headers=keys(MANAGER)
    )
    assert again.status_code == 409

    trail = app_client.get("/v1/audit", params={"asset": seed_id}, headers=keys(MANAGER)).json()
    done = [(e["action"], e["actor"]) for e in reversed(trail["items"])]
    assert ("kill.request", "key:editor") in done
    assert ("asset.kill", "key:manager") in done
    asker_trail = app_client.get("/v1/audit", params={"asset": asker}, headers=keys(MANAGER))
    actions = [(e["action"], e["actor"]) for e in reversed(asker_trail.json()["items"])]
    assert actions == [
        ("asset.ingest", "key:editor"),
        ("kill.request", "key:editor"),
        ("asset.kill", "key:manager"),
        ("kill.confirm", "key:manager"),
    ]


def test_rejecting_restores_the_assets_and_the_same_caption_does_not_raise_it_again(
    app_client, keys, runtime, seed_id, seed_image
):
    sibling = upload(app_client, keys(MANAGER), jpeg_bytes(48), PLAIN_CAPTION)["id"]
    before = check(app_client, keys, seed_id, purpose="editorial", channel="web")
    put = app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    assert put.json()["status"] == "kill_requested"
    [request] = pending(app_client, keys)
    rejected = app_client.post(
        f"/v1/kills/requests/{request['id']}/reject",
        json={"note": "not an agency kill: a training caption"},
        headers=keys(MANAGER),
    )
    assert rejected.status_code == 200, rejected.text
    assert sorted(rejected.json()["restored"]) == sorted([seed_id, sibling])
    assert rejected.json()["request"]["state"] == "rejected"
    assert {status_of(app_client, keys, a) for a in (seed_id, sibling)} == {"active"}
    after = check(app_client, keys, seed_id, purpose="editorial", channel="web")
    assert after["decision"] == before["decision"] != "deny"
    assert killed_notices(runtime) == []

    # the same caption again, by every path: no new request
    app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    upload(app_client, keys(EDITOR), seed_image, KILL_CAPTION)  # same bytes, same caption
    _make_stale(runtime, seed_id, KILL_CAPTION)
    reparse(runtime.engine, PARSER_VERSION, "cli")
    assert status_of(app_client, keys, seed_id) == "active"
    assert pending(app_client, keys) == []
    assert check(app_client, keys, seed_id, purpose="editorial")["decision"] != "deny"

    # a different caption with a kill notice is a new request
    other = KILL_CAPTIONS[1]
    app_client.put(f"/v1/assets/{seed_id}/caption", json={"caption": other}, headers=keys(EDITOR))
    [fresh] = pending(app_client, keys)
    assert fresh["id"] != request["id"] and fresh["caption"] == other
    assert status_of(app_client, keys, seed_id) == "kill_requested"

    trail = app_client.get("/v1/audit", params={"asset": sibling}, headers=keys(MANAGER)).json()
    actions = [(e["action"], e["actor"]) for e in reversed(trail["items"])]
    assert ("kill.reject", "key:manager") in actions


def test_a_rights_managers_kill_by_id_settles_the_pending_request(app_client, keys, seed_id):
    app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    [request] = pending(app_client, keys)
    killed = app_client.post(
        f"/v1/assets/{seed_id}/kill", json={"reason": "confirmed"}, headers=keys(MANAGER)
    )
    assert killed.status_code == 200
    assert pending(app_client, keys) == []
    settled = app_client.get(f"/v1/kills/requests/{request['id']}", headers=keys(MANAGER))
    assert settled.json()["state"] == "confirmed"


# ---- the migration ----------------------------------------------------------------------------


def test_migration_turns_never_killed_kill_notices_into_pending_requests(runtime):
    engine = runtime.engine
    command.downgrade(alembic_config(engine), "0003")  # just before kill requests
    now = datetime.now(UTC)
    rows = [
        ("a" * 32, "active", True),  # a kill notice never acted on
        ("b" * 32, "active", False),
        ("c" * 32, "killed", True),
    ]
    insert = sa.text(
        "INSERT INTO asset (id, sha256, media_type, bytes, status, caption, created_at,"
        " updated_at, handout, agency_ref, rights)"
        " VALUES (:id, :sha, 'image/jpeg', 1, :status, :caption, :now, :now, false, :ref,"
        " :rights)"
    )
    rights_type = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    with engine.begin() as connection:
        for asset_id, status, notice in rows:
            connection.execute(
                insert.bindparams(sa.bindparam("rights", type_=rights_type)),
                {
                    "id": asset_id,
                    "sha": asset_id * 2,
                    "status": status,
                    "caption": KILL_CAPTION if notice else PLAIN_CAPTION,
                    "now": now,
                    "ref": REF,
                    "rights": {"kill_notice": notice},
                },
            )
    upgrade(engine)
    with Session(engine) as session:
        statuses = {a.id: a.status for a in session.exec(select(Asset))}
        [request] = session.exec(select(KillRequest)).all()
    assert statuses == {"a" * 32: "kill_requested", "b" * 32: "active", "c" * 32: "killed"}
    assert (request.asset_id, request.state, request.assets) == ("a" * 32, "pending", ["a" * 32])


def test_two_requests_on_one_asset_each_hold_it_until_both_are_decided(app_client, keys, seed_id):
    first, second = KILL_CAPTIONS[0], KILL_CAPTIONS[2]
    for caption in (first, second, second):  # the same caption twice raises one request
        put = app_client.put(
            f"/v1/assets/{seed_id}/caption", json={"caption": caption}, headers=keys(EDITOR)
        )
        assert put.status_code == 200
    requests = pending(app_client, keys)
    assert [r["caption"] for r in requests] == [first, second]
    assert all(r["marked"] == [seed_id] for r in requests)

    def reject(request: dict) -> list[str]:
        answer = app_client.post(
            f"/v1/kills/requests/{request['id']}/reject", json={"note": "no"}, headers=keys(MANAGER)
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["restored"])

    assert reject(requests[0]) == []  # the second request still holds it
    assert status_of(app_client, keys, seed_id) == "kill_requested"
    assert check(app_client, keys, seed_id, purpose="editorial")["decision"] == "deny"
    assert reject(requests[1]) == [seed_id]
    assert status_of(app_client, keys, seed_id) == "active"
    assert check(app_client, keys, seed_id, purpose="editorial")["decision"] != "deny"


def test_editing_the_notice_out_does_not_lift_the_request(app_client, keys, seed_id):
    app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": KILL_CAPTION}, headers=keys(EDITOR)
    )
    put = app_client.put(
        f"/v1/assets/{seed_id}/caption", json={"caption": PLAIN_CAPTION}, headers=keys(EDITOR)
    )
    assert put.json()["status"] == "kill_requested"
    assert len(pending(app_client, keys)) == 1
    result = check(app_client, keys, seed_id, purpose="editorial")
    assert [r["code"] for r in result["reasons"]] == ["KILL_REQUESTED"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # same code on both
def test_a_key_created_with_can_kill_kills_and_is_listed_so(runtime, app_client, seed_id):
    def rightsdesk(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=cli_env(runtime.settings.data_dir, runtime.settings.effective_database_url),
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    key = rightsdesk("keys", "create", "--role", "editor", "--name", "epa-feed", "--can-kill")
    plain = key.strip().splitlines()[-1]  # printed alone on the last line
    listing = rightsdesk("keys", "list")
    assert any("epa-feed" in line and "yes" in line for line in listing.splitlines())
    killed = app_client.post(
        f"/v1/assets/{seed_id}/kill",
        json={"reason": "EPA withdrew it"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert killed.status_code == 200, killed.text
    assert killed.json()["status"] == "killed"
