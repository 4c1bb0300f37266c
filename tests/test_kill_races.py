"""A kill is final, whatever a request that read the asset a moment earlier does next.

Two replicas (here: two sessions) work on one asset at once. Whatever one of them read before
the other killed the asset, nothing it writes afterwards (a kill request raised by an editor's
caption, a rejection of a request, a second kill) turns the killed asset back into one that
is held or active, and a kill is announced once.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.clock import utcnow
from assets.kills import kill_asset, read_kill_notice, request_kill
from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights, record_to_json
from assets.tables import Asset, OutboxMessage, Usage

REF = "epa20202020"
CAPTION = f"{REF} Street scene. EPA/JOHN DOE"
KILL_CAPTION = f"{REF} MANDATORY KILL. EPA/JOHN DOE"


def add_asset(runtime: Runtime, sha: str, status: str = "active") -> str:
    record = read_rights(CAPTION, EmbeddedMetadata())
    asset = Asset(
        sha256=sha,
        media_type="image/jpeg",
        bytes=1,
        caption=CAPTION,
        agency_ref=REF,
        rights=record_to_json(record),
        status=status,
    )
    with Session(runtime.engine, expire_on_commit=False) as session:
        session.add(asset)
        session.commit()
    return asset.id


def status(runtime: Runtime, asset_id: str) -> str:
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        return asset.status


def kill_now(runtime: Runtime, asset_id: str) -> None:
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        kill_asset(session, asset, "withdrawn by the agency", "key:manager")
        session.commit()


def _raise_request(session: Session, asset: Asset) -> None:
    read_kill_notice(session, asset, KILL_CAPTION, "key:editor", "asset.caption", False)


def _raise_request_directly(session: Session, asset: Asset) -> None:
    request_kill(session, asset, KILL_CAPTION, "kill notice", "key:editor", "asset.caption")


def _kill_again(session: Session, asset: Asset) -> None:
    kill_asset(session, asset, "second kill", "key:feed")


LATE_WRITES: dict[str, Callable[[Session, Asset], None]] = {
    "kill request from a caption": _raise_request,
    "kill request": _raise_request_directly,
    "second kill": _kill_again,
}


@pytest.mark.parametrize("late", LATE_WRITES)
def test_what_was_read_before_a_kill_never_undoes_it(runtime: Runtime, late: str) -> None:
    asset_id = add_asset(runtime, "a" * 64)
    with Session(runtime.engine) as stale:
        asset = stale.get(Asset, asset_id)
        assert asset is not None and asset.status == "active"  # read before the kill
        kill_now(runtime, asset_id)
        LATE_WRITES[late](stale, asset)
        stale.commit()
    assert status(runtime, asset_id) == "killed"
    with Session(runtime.engine) as session:
        notices = session.exec(select(OutboxMessage)).all()
    assert len(notices) == 1


def test_a_check_that_read_the_asset_before_a_kill_neither_allows_nor_records(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publishing hook resolves the asset, another replica kills it, the hook records
    the usage: the answer is `deny` and no usage escapes the kill's take-down list."""
    import assets.checks as checks
    from rights import Purpose, Use

    asset_id = add_asset(runtime, "c" * 64)
    resolve = checks._resolve_all

    def resolve_then_kill(session: Session, keys: list[str], *more: object) -> dict:
        found = resolve(session, keys, *more)
        kill_now(runtime, asset_id)  # another replica, between the read and the record
        return found

    monkeypatch.setattr(checks, "_resolve_all", resolve_then_kill)
    use = Use(Purpose.EDITORIAL, publication="Daily", url="https://example.com/a")
    with Session(runtime.engine) as session:
        (outcome,) = checks.check_assets(session, [asset_id], use, now=utcnow(), record_usage=True)
    assert outcome.decision.decision.value == "deny"
    assert outcome.usage_id is None
    with Session(runtime.engine) as session:
        assert session.exec(select(Usage)).all() == []
