"""Attacks on agreements, purges and alerts from outside: each hole found is a test of its class."""

from __future__ import annotations

import tarfile
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st
from sqlmodel import select

from api.deps import Role
from assets.agreements_file import import_agreements, read_file
from assets.backup import backup
from assets.db import session_scope
from assets.kills import move_status
from assets.purge import purge
from assets.tables import Alert, Asset, AuditEvent
from rights import Agreement, Use, evaluate
from rights.moment import representable, utc
from rights.record import RightsRecord
from tests.images import jpeg_bytes

PLAIN = "Quiet day in the city. EPA/JOHN DOE"

# Instants a time zone pushes outside what UTC can write: year 0 and year 10000.
UNWRITABLE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"]


def upload(client: TestClient, seed: int, caption: str = PLAIN) -> dict:
    data = jpeg_bytes(seed, caption=caption)
    response = client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()


def check(client: TestClient, asset_id: str, **use: object) -> dict:
    body = {"assets": [asset_id], "use": {"purpose": "editorial", **use}}
    response = client.post("/v1/rights/check", json=body)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


# --- a moment no UTC date can write -----------------------------------------------------------


@given(
    st.datetimes(
        timezones=st.builds(
            timezone, st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23))
        )
    )
)
def test_utc_is_total_and_only_moves_unwritable_instants(moment):
    """Every aware moment has a UTC reading; the ones UTC can write keep their instant."""
    in_utc = utc(moment)
    assert in_utc.tzinfo is UTC
    if representable(moment):
        assert in_utc == moment
    else:
        assert in_utc in (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


@pytest.mark.parametrize("value", UNWRITABLE)
@pytest.mark.parametrize("field", ["starts", "ends"])
def test_an_agreement_window_in_year_0_or_10000_is_refused_and_never_fails_a_check(
    client, field, value
):
    asset = upload(client, 1)
    response = client.post("/v1/agreements", json={"cost": "free", field: value})
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert check(client, asset["id"])["decision"] == "allow"
    # stored before inputs refused them (or written by hand): the policy still answers
    record = RightsRecord(agency="EPA", credit_line="EPA/JOHN DOE")
    agreement = Agreement(None, **{field: datetime.fromisoformat(value)})
    decision = evaluate(record, Use("editorial"), now=datetime.now(UTC), agreement=agreement)
    past = value.startswith("0001")
    assert decision.decision == ("allow" if past == (field == "starts") else "deny")


@pytest.mark.parametrize("value", UNWRITABLE)
@pytest.mark.parametrize(
    "request_of",
    [
        lambda a, v: ("post", "/v1/rights/check",
                      {"assets": [a], "use": {"purpose": "editorial", "at": v}}),
        lambda a, v: ("post", f"/v1/assets/{a}/overrides",
                      {"effect": "allow", "reason": "r", "starts": v}),
        lambda a, v: ("post", f"/v1/assets/{a}/overrides",
                      {"effect": "deny", "reason": "r", "ends": v}),
        lambda a, v: ("get", f"/v1/alerts?since={v.replace('+', '%2B')}", None),
    ],
    ids=["check-at", "lease-starts", "lease-ends", "alerts-since"],
)  # fmt: skip
def test_every_moment_a_client_sends_is_refused_outside_utc_not_a_500(client, request_of, value):
    asset = upload(client, 2)
    method, path, body = request_of(asset["id"], value)
    response = client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


# --- a purged asset's file ------------------------------------------------------------------

NO_ARCHIVES = "Flood in the city, 7 December 2026. EPA/JOHN DOE NO ARCHIVES"


@pytest.mark.parametrize("finished", [False, True], ids=["files-not-yet-removed", "finished"])
@pytest.mark.parametrize("path", ["file", "file?embed=rights"])
def test_a_purged_asset_is_never_downloaded(client, runtime, path, finished):
    """Gone (410 problem+json), not a 500 for the missing file, and not the file itself while
    a run stopped between its two steps has not deleted it yet."""
    asset = upload(client, 10, NO_ARCHIVES)
    later = datetime.now(UTC) + timedelta(days=400)
    if finished:
        assert purge(runtime.engine, runtime.blobs, now=later).purged == [asset["id"]]
    else:  # step 1 only: the asset is purged, its file still there
        with session_scope(runtime.engine) as session:
            stored = session.get(Asset, asset["id"])
            assert stored is not None and move_status(session, stored, "purged", ("active",))
        assert runtime.blobs.exists(asset["sha256"])
    response = client.get(f"/v1/assets/{asset['id']}/{path}")
    assert response.status_code == 410, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert check(client, asset["id"])["decision"] == "deny"
    # the same bytes uploaded again are the purged asset, still denied and still without a file
    again = client.post(
        "/v1/assets",
        files={"file": ("b.jpg", jpeg_bytes(10, caption=NO_ARCHIVES), "image/jpeg")},
    )
    assert again.status_code == 200 and again.json()["id"] == asset["id"]
    assert again.json()["status"] == "purged"
    assert client.get(f"/v1/assets/{asset['id']}/{path}").status_code == 410


# --- every rights-changing path alerts the live usages it breaks ------------------------------


def _caption_edit(client: TestClient, asset: dict, _runtime: object) -> None:
    body = {"caption": f"{PLAIN} EDITORIAL USE ONLY"}
    assert client.put(f"/v1/assets/{asset['id']}/caption", json=body).status_code == 200


def _kill_request(client: TestClient, asset: dict, _runtime: object, make_key=None) -> None:
    body = {"caption": f"KILL NOTICE: the image was withdrawn. {PLAIN}"}
    headers = {"Authorization": f"Bearer {make_key(Role.EDITOR)}"} if make_key else {}
    response = client.put(f"/v1/assets/{asset['id']}/caption", json=body, headers=headers)
    assert response.status_code == 200, response.text


def _asset_deny_lease(client: TestClient, asset: dict, _runtime: object) -> None:
    body = {"effect": "deny", "reason": "held by the desk"}
    assert client.post(f"/v1/assets/{asset['id']}/overrides", json=body).status_code == 201


def _agency_deny_lease(client: TestClient, asset: dict, _runtime: object) -> None:
    body = {"scope": "agency", "target": "Ｅ Ｐ Ａ", "effect": "deny", "reason": "dispute"}
    response = client.post("/v1/overrides", json=body)
    assert response.status_code == 201, response.text


def _supplier_agreement(client: TestClient, asset: dict, _runtime: object) -> None:
    body = {"supplier": "epa", "cost": "pay", "purposes": ["editorial"]}
    assert client.post("/v1/agreements", json=body).status_code == 200


def _first_agreement_for_another_supplier(client: TestClient, asset: dict, _r: object) -> None:
    """The first agreement of all: every other supplier now has none (NO_AGREEMENT)."""
    assert (
        client.post("/v1/agreements", json={"supplier": "AFP", "cost": "free"}).status_code == 200
    )


def _kill(client: TestClient, asset: dict, _runtime: object) -> None:
    body = {"reason": "withdrawn by the agency"}
    assert client.post(f"/v1/assets/{asset['id']}/kill", json=body).status_code == 200


def _policy(client: TestClient, asset: dict, _runtime: object) -> None:
    policy = client.get(f"/v1/assets/{asset['id']}/policy").json()
    prohibition = {"target": policy.get("uid", asset["id"]), "action": "commercialize"}
    policy["prohibition"] = [prohibition, *policy.get("prohibition", [])]
    response = client.put(f"/v1/assets/{asset['id']}/policy", json=policy)
    assert response.status_code == 200, response.text


def _purge(client: TestClient, asset: dict, runtime) -> None:
    client.post("/v1/agreements", json={"cost": "free", "retention_days": 1})
    later = datetime.now(UTC) + timedelta(days=3)
    assert purge(runtime.engine, runtime.blobs, now=later).purged == [asset["id"]]


CHANGES = [
    _caption_edit,
    _kill_request,
    _asset_deny_lease,
    _agency_deny_lease,
    _supplier_agreement,
    _first_agreement_for_another_supplier,
    _kill,
    _policy,
    _purge,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_every_change_that_breaks_a_live_usage_alerts_it(client, runtime, change):
    asset = upload(client, 20)
    body = {
        "assets": [asset["id"]],
        "use": {"purpose": "commercial", "channel": "web", "territory": "GB",
                "publication": "The Daily", "url": "https://d.example/a"},
        "record": True,
    }  # fmt: skip
    recorded = client.post("/v1/rights/check", json=body).json()["results"][0]
    assert recorded["decision"] == "allow" and recorded["usage_id"], recorded
    change(client, asset, runtime)
    now = check(client, asset["id"], purpose="commercial", channel="web", territory="GB")
    assert now["decision"] != "allow", now
    found = client.get("/v1/alerts", params={"asset": asset["id"]}).json()["items"]
    assert [a["usage"] for a in found] == [recorded["usage_id"]], found
    assert found[0]["decision"] == now["decision"]


@pytest.mark.parametrize("finished", [False, True], ids=["files-not-yet-removed", "finished"])
def test_a_purge_leaves_the_service_backed_up_without_the_purged_file(
    client, runtime, tmp_path, finished
):
    """A purged asset's absent file is no damage to a backup, and its file (still there when a
    run stopped between its two steps) never goes into one: retention ended."""
    kept, gone = upload(client, 30), upload(client, 31, NO_ARCHIVES)
    if finished:
        later = datetime.now(UTC) + timedelta(days=400)
        assert purge(runtime.engine, runtime.blobs, now=later).purged == [gone["id"]]
    else:
        with session_scope(runtime.engine) as session:
            stored = session.get(Asset, gone["id"])
            assert stored is not None and move_status(session, stored, "purged", ("active",))
    backup(runtime.engine, runtime.blobs, tmp_path / "desk.tar")
    with tarfile.open(tmp_path / "desk.tar") as tar:
        names = "\n".join(tar.getnames())
    assert kept["sha256"] in names and gone["sha256"] not in names


def _break_by_agreement(client: TestClient, asset: dict) -> tuple:
    made = client.post("/v1/agreements", json={"supplier": "EPA", "cost": "free"}).json()
    url = f"/v1/agreements/{made['id']}"
    return (
        lambda: client.put(url, json={"cost": "free", "channels": ["print"]}),
        lambda: client.put(url, json={"cost": "free"}),
    )


def _break_by_lease(client: TestClient, asset: dict) -> tuple:
    leases = f"/v1/assets/{asset['id']}/overrides"
    made: list[str] = []

    def hold() -> None:
        made.append(client.post(leases, json={"effect": "deny", "reason": "hold"}).json()["id"])

    return hold, lambda: client.delete(f"{leases}/{made[-1]}")


@pytest.mark.parametrize("breaker", [_break_by_agreement, _break_by_lease])
def test_a_usage_broken_again_after_it_was_allowed_again_alerts_again(client, breaker):
    asset = upload(client, 50)
    body = {
        "assets": [asset["id"]],
        "use": {"purpose": "editorial", "channel": "web", "publication": "P",
                "url": "https://d.example/again"},
        "record": True,
    }  # fmt: skip
    assert client.post("/v1/rights/check", json=body).json()["results"][0]["decision"] == "allow"
    break_it, mend_it = breaker(client, asset)
    for round_ in (1, 2, 3):
        break_it()
        assert check(client, asset["id"], channel="web")["decision"] != "allow"
        found = client.get("/v1/alerts", params={"asset": asset["id"]}).json()["items"]
        assert len(found) == round_, found
        mend_it()
        assert check(client, asset["id"], channel="web")["decision"] == "allow"
    audit = client.get("/v1/audit", params={"asset": asset["id"]}).json()["items"]
    assert sum(e["action"] == "alert.clear" for e in audit) == 3


# --- quota: counted in the month a use is recorded --------------------------------------------


@pytest.mark.parametrize("months", [-120, -1, 1, 900], ids=lambda m: f"at{m:+d}months")
def test_a_moment_of_use_in_another_month_does_not_open_a_fresh_quota(client, months):
    """The quota counts uses in the month they are recorded: naming another month as the
    moment of use neither records a use past the quota nor escapes the count."""
    asset = upload(client, 60)
    client.post("/v1/agreements", json={"cost": "free", "quota": 2})

    def publish(n: int, at: datetime | None = None) -> dict:
        use = {"purpose": "editorial", "publication": "P", "url": f"https://d.example/q{n}"}
        if at is not None:
            use["at"] = at.isoformat()
        body = {"assets": [asset["id"]], "use": use, "record": True}
        return client.post("/v1/rights/check", json=body).json()["results"][0]

    assert [publish(n)["decision"] for n in (1, 2)] == ["allow", "allow"]
    elsewhere = datetime.now(UTC) + timedelta(days=31 * months)
    answer = publish(3, elsewhere)
    assert answer["decision"] == "review" and answer["cost"] == "overquota", answer
    assert answer["usage_id"] is None
    assert len(client.get(f"/v1/assets/{asset['id']}/usages").json()) == 2


# --- a dry run writes nothing -----------------------------------------------------------------


def test_an_import_dry_run_writes_nothing_not_even_alerts(client, runtime):
    """`agreements import --dry-run` rolls its changes back; the re-check they asked for must
    go with them, not run at the session's end against the agreements in force."""
    asset = upload(client, 70)
    # long enough that a busy machine still records the use inside the window
    ends = datetime.now(UTC) + timedelta(seconds=4)
    client.post("/v1/agreements", json={"cost": "free", "ends": ends.isoformat()})
    body = {
        "assets": [asset["id"]],
        "use": {"purpose": "editorial", "publication": "P", "url": "https://d.example/dry"},
        "record": True,
    }
    assert client.post("/v1/rights/check", json=body).json()["results"][0]["decision"] == "allow"
    assert datetime.now(UTC) < ends, "the machine was too slow to record the use in the window"
    while datetime.now(UTC) <= ends:  # the agreement ends: the usage is broken, not yet scanned
        time.sleep(0.05)
    with session_scope(runtime.engine) as session:
        before = session.exec(select(sa.func.count()).select_from(AuditEvent)).one()
    with session_scope(runtime.engine) as session:  # what the CLI's --dry-run does
        import_agreements(session, read_file('[default]\ncost = "pay"\n'), "cli")
        session.rollback()
    with session_scope(runtime.engine) as session:
        assert session.exec(select(Alert)).all() == []
        assert session.exec(select(sa.func.count()).select_from(AuditEvent)).one() == before


# --- a recorded use is judged when it goes live, never back-dated ------------------------------


def _ended_lease(client: TestClient, asset: dict, ended: datetime) -> None:
    body = {"effect": "allow", "reason": "campaign", "ends": ended.isoformat()}
    assert client.post(f"/v1/assets/{asset['id']}/overrides", json=body).status_code == 201


def _ended_agreement(client: TestClient, asset: dict, ended: datetime) -> None:
    body = {"cost": "free", "purposes": ["commercial", "editorial"], "ends": ended.isoformat()}
    assert client.post("/v1/agreements", json=body).status_code == 200


@pytest.mark.parametrize(
    ("grant", "caption"),
    [(_ended_lease, f"{PLAIN} EDITORIAL USE ONLY"), (_ended_agreement, PLAIN)],
    ids=["lease", "agreement"],
)
def test_a_recording_check_back_dated_into_an_ended_window_is_not_allowed(client, grant, caption):
    """A lease or agreement that ended yesterday allows a use the day before only as a
    question; a use recorded now goes live now, so it is judged now."""
    asset = upload(client, 80, caption)
    ended = datetime.now(UTC) - timedelta(days=1)
    grant(client, asset, ended)
    at = (ended - timedelta(hours=1)).isoformat()
    use = {"purpose": "commercial", "at": at, "publication": "P", "url": "https://d.example/b"}
    asked = client.post("/v1/rights/check", json={"assets": [asset["id"]], "use": use})
    recorded = client.post(
        "/v1/rights/check", json={"assets": [asset["id"]], "use": use, "record": True}
    )
    assert asked.json()["results"][0]["decision"] == "allow"  # then, it was allowed
    answer = recorded.json()["results"][0]
    assert answer["decision"] == "deny" and answer["usage_id"] is None, answer
    assert client.get(f"/v1/assets/{asset['id']}/usages").json() == []


@given(st.decimals(allow_nan=True, allow_infinity=True))
@example(Decimal("999999999.999"))
@example(Decimal("-0.001"))
def test_a_price_is_refused_or_stored_within_its_bounds(value):
    """Whatever amount is sent, the stored price is a cent amount from 0 to 1,000,000,000."""
    from rights import WireError, agreement_from_dict

    try:
        agreement = agreement_from_dict({"cost": "pay", "price": str(value)})
    except WireError:
        return
    assert agreement.price is not None
    assert 0 <= agreement.price <= 10**9 and agreement.price == agreement.price.quantize(
        Decimal("0.01")
    )
