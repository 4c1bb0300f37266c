"""A use is recorded only if it is allowed on what is true when it is recorded.

The publishing hook reads a batch, then records each allowed use. Whatever another replica
commits in between (a lease, an agency-wide hold, a caption that adds a restriction, an
agreement that stops covering the use, a kill) re-checks the usages recorded so far, which
cannot include the one about to be recorded: so the check must judge it on the new state,
and neither answer `allow` nor record a usage that nothing would ever take down.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

import assets.checks as checks
from api.runtime import Runtime
from assets.tables import Usage
from tests.images import jpeg_bytes

PLAIN = "Quiet day in the city. EPA/JOHN DOE"
USE = {"purpose": "commercial", "channel": "web", "publication": "Daily", "url": "https://d/1"}


def upload(client: TestClient, seed: int) -> str:
    data = jpeg_bytes(seed, caption=PLAIN)
    response = client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _asset_lease(client: TestClient, asset_id: str) -> None:
    body = {"effect": "deny", "reason": "withdrawn"}
    assert client.post(f"/v1/assets/{asset_id}/overrides", json=body).status_code == 201


def _agency_hold(client: TestClient, _asset_id: str) -> None:
    body = {"scope": "agency", "target": "EPA", "effect": "deny", "reason": "contract ended"}
    assert client.post("/v1/overrides", json=body).status_code == 201


def _restricting_caption(client: TestClient, asset_id: str) -> None:
    body = {"caption": f"{PLAIN} EDITORIAL USE ONLY"}
    assert client.put(f"/v1/assets/{asset_id}/caption", json=body).status_code == 200


def _narrower_agreement(client: TestClient, _asset_id: str) -> None:
    body = {"supplier": "EPA", "cost": "free", "purposes": ["editorial"]}
    assert client.post("/v1/agreements", json=body).status_code == 200


def _kill(client: TestClient, asset_id: str) -> None:
    assert client.post(f"/v1/assets/{asset_id}/kill", json={"reason": "k"}).status_code == 200


LATE: dict[str, Callable[[TestClient, str], None]] = {
    "a deny lease on the asset": _asset_lease,
    "a hold on its agency": _agency_hold,
    "a caption with a restriction": _restricting_caption,
    "an agreement that no longer covers the use": _narrower_agreement,
    "a kill": _kill,
}


@pytest.mark.parametrize("leased", [False, True], ids=["no lease", "already leased"])
@pytest.mark.parametrize("agreed", [False, True], ids=["no agreement", "agreement"])
@pytest.mark.parametrize("late", LATE)
def test_a_change_between_read_and_record_is_judged_before_the_usage_is_recorded(
    client: TestClient,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    late: str,
    agreed: bool,
    leased: bool,
) -> None:
    changed, other = upload(client, 1), upload(client, 2)
    if agreed:
        assert client.post("/v1/agreements", json={"cost": "free"}).status_code == 200
    if leased:  # a lease the batch read: a new one must be read too
        lease = {"effect": "allow", "reason": "cleared", "purposes": ["editorial"]}
        assert client.post(f"/v1/assets/{changed}/overrides", json=lease).status_code == 201
    read = checks._read_batch

    def read_then_change(*args: object, **kwargs: object) -> object:
        batch = read(*args, **kwargs)  # type: ignore[arg-type]
        LATE[late](client, changed)  # another replica, between the read and the record
        return batch

    monkeypatch.setattr(checks, "_read_batch", read_then_change)
    body = {"assets": [changed, other, changed], "use": USE, "record": True}
    response = client.post("/v1/rights/check", json=body)
    monkeypatch.undo()
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    alone = client.post("/v1/rights/check", json={"assets": [changed], "use": USE})
    now = alone.json()["results"][0]["decision"]
    assert now != "allow"  # the change restricts the use
    assert [(r["decision"], r["usage_id"]) for r in results[::2]] == [(now, None)] * 2
    with Session(runtime.engine) as session:
        recorded = {u.asset_id for u in session.exec(select(Usage))}
    assert changed not in recorded
