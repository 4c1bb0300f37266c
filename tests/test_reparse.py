"""Records parsed by an older caption parser can be found and re-parsed."""

from __future__ import annotations

from sqlmodel import Session, select

from assets.reparse import reparse, version_key
from assets.tables import Asset, AssetRestriction, AuditEvent
from captions import PARSER_VERSION
from tests.images import jpeg_bytes


def test_versions_compare_numerically():
    assert version_key("1.10.0") > version_key("1.9.2")
    assert version_key(None) < version_key("0.0.1")


def test_reparse_rereads_only_records_older_than_the_version(client, runtime):
    old = client.post(
        "/v1/assets",
        data={"caption": "Rally. REUTERS/Jane Doe NO SALES"},
        files={"file": ("a.jpg", jpeg_bytes(1), "image/jpeg")},
    ).json()
    current = client.post(
        "/v1/assets",
        data={"caption": "Rally. EPA/JOHN DOE"},
        files={"file": ("b.jpg", jpeg_bytes(2), "image/jpeg")},
    ).json()
    with Session(runtime.engine) as session:
        stale = session.get(Asset, old["id"])
        assert stale is not None
        stale.parser_version = "0.0.1"
        stale.rights = {**stale.rights, "restrictions": []}
        session.add(stale)
        for row in session.exec(
            select(AssetRestriction).where(AssetRestriction.asset_id == old["id"])
        ):
            session.delete(row)
        session.commit()
    assert client.get("/v1/assets", params={"restriction": "NO_SALES"}).json()["items"] == []

    assert reparse(runtime.engine, PARSER_VERSION, "test") == 1

    refreshed = client.get(f"/v1/assets/{old['id']}").json()
    assert refreshed["rights"]["parser_version"] == PARSER_VERSION
    assert [r["code"] for r in refreshed["rights"]["restrictions"]] == ["NO_SALES"]
    listed = client.get("/v1/assets", params={"restriction": "NO_SALES"}).json()["items"]
    assert [a["id"] for a in listed] == [old["id"]]
    with Session(runtime.engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "asset.reparse")).all()
    assert [e.asset_id for e in events] == [old["id"]]
    assert current["id"] not in {e.asset_id for e in events}
