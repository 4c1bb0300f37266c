"""A kill reaches the agency reference, including pictures that come to carry it later.

Every way an asset can come to carry a reference (an upload of other bytes with a caption
naming it, a file whose metadata names it, a caption edit) after that reference was killed or
while a kill request holds it: the asset is held (`kill_requested`, denied for every use, by id
and by reference) until a rights manager decides; confirming kills it, rejecting frees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import Runtime
from assets.db import session_scope
from assets.keys import Role, create_key
from tests.images import jpeg_bytes

REF = "epa10101010"
CAPTION = f"{REF} Street scene in Ivanovo. EPA/JOHN DOE"


@pytest.fixture
def app(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as client:
        yield client


@pytest.fixture
def as_role(runtime: Runtime) -> Callable[[Role], dict[str, str]]:
    made: dict[Role, dict[str, str]] = {}

    def of(role: Role) -> dict[str, str]:
        if role not in made:
            with session_scope(runtime.engine) as session:
                _row, plain = create_key(session, f"k-{role.value}", role)
            made[role] = {"Authorization": f"Bearer {plain}"}
        return made[role]

    return of


def upload(app: TestClient, headers: dict[str, str], data: bytes, caption: str | None) -> str:
    form = {"caption": caption} if caption else {}
    response = app.post(
        "/v1/assets", files={"file": ("x.jpg", data, "image/jpeg")}, data=form, headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def decision(app: TestClient, headers: dict[str, str], key: str) -> str:
    body = {"assets": [key], "use": {"purpose": "editorial"}}
    response = app.post("/v1/rights/check", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["results"][0]["decision"])


def status(app: TestClient, headers: dict[str, str], asset: str) -> str:
    return str(app.get(f"/v1/assets/{asset}", headers=headers).json()["status"])


# Ways a second asset comes to carry the reference.
def _by_caption(app: TestClient, editor: dict[str, str], seed: int) -> str:
    return upload(app, editor, jpeg_bytes(seed), f"{REF} Another crop. EPA/JOHN DOE")


def _by_file(app: TestClient, editor: dict[str, str], seed: int) -> str:
    return upload(app, editor, jpeg_bytes(seed, caption=f"{REF} Again. EPA/JOHN DOE"), None)


def _by_caption_edit(app: TestClient, editor: dict[str, str], seed: int) -> str:
    asset = upload(app, editor, jpeg_bytes(seed), "epa55555555 Unrelated. EPA/JOHN DOE")
    response = app.put(
        f"/v1/assets/{asset}/caption",
        json={"caption": f"{REF} Renamed. EPA/JOHN DOE"},
        headers=editor,
    )
    assert response.status_code == 200, response.text
    return asset


ARRIVALS = {"caption": _by_caption, "file": _by_file, "caption edit": _by_caption_edit}


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_picture_arriving_with_a_killed_reference_is_held(
    app: TestClient, as_role: Callable[[Role], dict[str, str]], arrival: str
) -> None:
    editor, manager = as_role(Role.EDITOR), as_role(Role.RIGHTS_MANAGER)
    first = upload(app, editor, jpeg_bytes(1), CAPTION)
    killed = app.post("/v1/kills/by-ref", json={"agency_ref": REF, "reason": "x"}, headers=manager)
    assert killed.status_code == 200, killed.text
    late = ARRIVALS[arrival](app, editor, 2)
    assert status(app, editor, late) == "kill_requested"
    assert decision(app, editor, late) == "deny"
    assert decision(app, editor, REF) == "deny"
    requests = app.get("/v1/kills/requests", headers=manager).json()["items"]
    (request,) = [r for r in requests if r["asset"] == late]
    confirmed = app.post(f"/v1/kills/requests/{request['id']}/confirm", json={}, headers=manager)
    assert confirmed.status_code == 200, confirmed.text
    assert status(app, editor, late) == "killed"
    assert status(app, editor, first) == "killed"


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_picture_arriving_while_a_request_holds_its_reference_is_held_by_it(
    app: TestClient, as_role: Callable[[Role], dict[str, str]], arrival: str
) -> None:
    editor, manager = as_role(Role.EDITOR), as_role(Role.RIGHTS_MANAGER)
    first = upload(app, editor, jpeg_bytes(1), CAPTION)
    held = app.put(
        f"/v1/assets/{first}/caption",
        json={"caption": f"{REF} MANDATORY KILL. EPA/JOHN DOE"},
        headers=editor,
    )
    assert held.json()["status"] == "kill_requested"
    late = ARRIVALS[arrival](app, editor, 2)
    assert status(app, editor, late) == "kill_requested"
    assert decision(app, editor, late) == "deny"
    assert decision(app, editor, REF) == "deny"
    (request,) = app.get("/v1/kills/requests", headers=manager).json()["items"]
    assert late in request["marked"]
    rejected = app.post(
        f"/v1/kills/requests/{request['id']}/reject", json={"note": "not ours"}, headers=manager
    )
    assert rejected.status_code == 200, rejected.text
    assert status(app, editor, late) == "active"
    assert status(app, editor, first) == "active"


def test_a_reference_never_withdrawn_holds_nothing(
    app: TestClient, as_role: Callable[[Role], dict[str, str]]
) -> None:
    editor = as_role(Role.EDITOR)
    upload(app, editor, jpeg_bytes(1), CAPTION)
    for arrival in ARRIVALS.values():
        late = arrival(app, editor, 10 + len(arrival.__name__))
        assert status(app, editor, late) == "active"
