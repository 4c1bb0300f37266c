"""No edit path drops a restriction: every asset's restriction set only grows or stays.

Edit paths: a caption edit (the same caption, a bare one, a stricter one), `reparse` after a
parser change, a row stored before per-block values were kept (read again from its blob, or
kept as it is when the blob is gone), a re-upload of the same bytes, the schema migration of
old rows, and backup/restore. Only a rights manager's lease changes what a check says about a
restriction; nothing here may remove one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from api.runtime import Runtime
from assets.backup import backup, restore
from assets.config import Settings
from assets.metadata import read_embedded
from assets.migrations import upgrade
from assets.reparse import reparse
from assets.rights_reading import read_rights, record_to_json
from assets.tables import Asset
from captions import PARSER_VERSION
from tests.rights_files import CLEAN_CAPTION, CONTAINERS, TARGETS, FileSpec, build, fits, statement

STRICT = "EDITORIAL USE ONLY/NO SALES"
Meaning = tuple[Any, ...]


def meanings(rights: dict[str, Any]) -> set[Meaning]:
    """What an asset's restrictions with a code forbid, whatever their wording or origin.

    OTHER (text nobody could classify) is read again from the caption and the file's blocks
    on every reading, so that a parser that learns a phrase can clear a false review.
    """
    return {
        (
            r["code"],
            r["text"].casefold() if r["code"] == "OTHER" else "",
            tuple(sorted(r.get("countries_excluded") or ())),
            tuple(sorted(r.get("countries_included") or ())),
            r.get("embargo_until"),
        )
        for r in rights.get("restrictions") or []
        if r["code"] != "OTHER"
    }


def upload(client: TestClient, data: bytes, caption: str | None) -> dict[str, Any]:
    form = {"caption": caption} if caption else {}
    response = client.post("/v1/assets", files={"file": ("x.bin", data, "image/jpeg")}, data=form)
    assert response.status_code in (200, 201), response.text
    return response.json()


def decision(client: TestClient, asset_id: str, purpose: str) -> str:
    body = {"assets": [asset_id], "use": {"purpose": purpose}}
    return client.post("/v1/rights/check", json=body).json()["results"][0]["decision"]


def rights_of(client: TestClient, asset_id: str) -> dict[str, Any]:
    return client.get(f"/v1/assets/{asset_id}").json()["rights"]


def set_row(runtime: Runtime, asset_id: str, **values: Any) -> None:
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        for name, value in values.items():
            setattr(asset, name, value)
        session.add(asset)
        session.commit()


# --- the issue's case, edit path by edit path ---------------------------------------------------

EDITS: dict[str, Callable[[TestClient, Runtime, str], None]] = {}


def edit(name: str) -> Callable[[Callable[[TestClient, Runtime, str], None]], Any]:
    def register(function: Callable[[TestClient, Runtime, str], None]) -> Any:
        EDITS[name] = function
        return function

    return register


@edit("caption: the same caption")
def _same_caption(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    caption = client.get(f"/v1/assets/{asset_id}").json()["caption"] or CLEAN_CAPTION
    response = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": caption})
    assert response.status_code == 200, response.text


@edit("caption: a bare one")
def _bare_caption(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    response = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": "Crowds."})
    assert response.status_code == 200, response.text


@edit("caption: a stricter one")
def _stricter_caption(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    caption = f"{CLEAN_CAPTION} NO ARCHIVES"
    response = client.put(f"/v1/assets/{asset_id}/caption", json={"caption": caption})
    assert response.status_code == 200, response.text


@edit("reparse after a parser change")
def _reparse(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    set_row(runtime, asset_id, parser_version="0.0.1")
    assert reparse(runtime.engine, PARSER_VERSION, "test", blobs=runtime.blobs) >= 1


@edit("old row, read again from its blob")
def _old_row_with_blob(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    set_row(runtime, asset_id, embedded_blocks=None)
    reparse(runtime.engine, PARSER_VERSION, "test", blobs=runtime.blobs)
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.embedded_blocks is not None


@edit("old row, blob out of reach")
def _old_row_without_blob(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    set_row(runtime, asset_id, embedded_blocks=None)
    reparse(runtime.engine, PARSER_VERSION, "test", blobs=None)
    _bare_caption(client, runtime, asset_id)


@edit("re-upload of the same bytes")
def _reupload(client: TestClient, runtime: Runtime, asset_id: str) -> None:
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        sha = asset.sha256
    again = upload(client, runtime.blobs.get(sha), "Crowds. NO NAME")
    assert again["id"] == asset_id and again["duplicate"] is True


def issue_file(seed: int) -> bytes:
    """The issue's file: IPTC 2:40, XMP UsageTerms and photoshop:Instructions restrict it."""
    from tests.images import jpeg_bytes
    from tests.metadata_corpus import app1_xmp, app13, iim, with_segments, xmp_packet

    body = (
        f'<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">{STRICT}</rdf:li>'
        f"</rdf:Alt></xmpRights:UsageTerms><photoshop:Instructions>{STRICT}"
        "</photoshop:Instructions>"
    )
    return with_segments(
        jpeg_bytes(seed),
        app1_xmp(xmp_packet(body).encode()),
        app13(iim((2, 40, STRICT.encode()))),
    )


@pytest.mark.parametrize("path", sorted(EDITS))
def test_the_files_restrictions_survive_every_edit_path(client, runtime, path):
    asset = upload(client, issue_file(len(path)), CLEAN_CAPTION)
    before = meanings(asset["rights"])
    assert {m[0] for m in before} >= {"EDITORIAL_USE_ONLY", "NO_SALES"}
    assert decision(client, asset["id"], "sale") == "deny"

    EDITS[path](client, runtime, asset["id"])
    EDITS[path](client, runtime, asset["id"])  # twice: nothing wears off

    assert meanings(rights_of(client, asset["id"])) >= before
    assert decision(client, asset["id"], "sale") == "deny"
    assert decision(client, asset["id"], "advertising") == "deny"


def test_a_restriction_edited_out_of_the_caption_stays_until_a_rights_manager_lifts_it(
    client, runtime
):
    asset = upload(
        client, build(FileSpec("png", "iptc:credit", "x", seed=11)), f"{CLEAN_CAPTION} NO SALES"
    )
    assert decision(client, asset["id"], "sale") == "deny"
    _bare_caption(client, runtime, asset["id"])
    assert decision(client, asset["id"], "sale") == "deny"
    kept = [r for r in rights_of(client, asset["id"])["restrictions"] if r["code"] == "NO_SALES"]
    assert kept and kept[0]["start"] is None  # its offsets pointed into the old caption
    lease = {"effect": "allow", "purposes": ["sale"], "reason": "sale cleared with Reuters"}
    assert client.post(f"/v1/assets/{asset['id']}/overrides", json=lease).status_code == 201
    assert decision(client, asset["id"], "sale") == "allow"


# --- every kind of asset, every sequence of edits (property) ----------------------------------

PHRASES = ("EDITORIAL USE ONLY", "NO SALES", "NO ARCHIVES", "NO ADVERTISING", "NOT FOR RESALE")
KINDS = st.builds(
    lambda container, target, phrase, damage, caption: (container, target, phrase, damage, caption),
    st.sampled_from(CONTAINERS),
    st.sampled_from(TARGETS),
    st.sampled_from(PHRASES),
    st.sampled_from(("none", "clean_block_first", "xmp_with_dtd", "iptc_damaged")),
    st.sampled_from((None, CLEAN_CAPTION, f"{CLEAN_CAPTION} NO MARKETING")),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=KINDS, edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=4))
def test_every_asset_keeps_its_restrictions_through_any_sequence_of_edits(
    client, runtime, kind, edits
):
    container, target, phrase, damage, caption = kind
    if not fits(container, target, damage):
        damage = "none"
    seed = abs(hash((container, target, phrase, damage, caption))) % 60_000 + 1
    data = build(FileSpec(container, target, statement(target, phrase), damage, seed=seed))
    asset = upload(client, data, caption)
    seen = meanings(asset["rights"])
    for name in edits:
        EDITS[name](client, runtime, asset["id"])
        now = meanings(rights_of(client, asset["id"]))
        assert now >= seen, (name, seen - now)
        seen = now


# --- migration of old rows and backup/restore ---------------------------------------------------


@pytest.fixture
def old_runtime(settings: Settings):
    """A catalogue at the revision before per-block values were stored."""
    runtime = Runtime.from_settings(settings)
    upgrade(runtime.engine, "0002")
    yield runtime
    runtime.engine.dispose()


def _insert_old_row(runtime: Runtime, data: bytes, caption: str) -> str:
    """A row as the previous release stored it: normalised fields only, no per-block values."""
    import hashlib
    import tempfile

    sha = hashlib.sha256(data).hexdigest()
    staged = Path(tempfile.mkdtemp()) / "upload"
    staged.write_bytes(data)
    runtime.blobs.put_file(sha, staged)  # moves the file into the store
    embedded = read_embedded(data)
    record = read_rights(caption, embedded)
    row = Asset(
        sha256=sha,
        media_type=embedded.media_type or "image/jpeg",
        bytes=len(data),
        caption=caption,
        caption_origin="posted",
        agency=record.agency,
        parser_version="0.0.1",
        rights=record_to_json(record),
        embedded={"special_instructions": embedded.special_instructions},
        warnings=[],
    )
    values = {
        c: getattr(row, c)
        for c in ("id", "sha256", "media_type", "bytes", "caption", "caption_origin", "agency")
    }
    values |= {
        "status": "active",
        "handout": False,
        "parser_version": row.parser_version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "rights": row.rights,
        "embedded": row.embedded,
        "warnings": [],
    }
    with runtime.engine.begin() as connection:
        table = sa.Table("asset", sa.MetaData(), autoload_with=connection)
        assert "embedded_blocks" not in table.c
        connection.execute(table.insert(), [values])
    return row.id


@pytest.mark.parametrize("blob_kept", [True, False])
def test_old_rows_keep_their_restrictions_through_the_migration_and_after(old_runtime, blob_kept):
    asset_id = _insert_old_row(old_runtime, issue_file(21), CLEAN_CAPTION)
    with Session(old_runtime.engine) as session:
        before = (
            session.connection()
            .execute(sa.text("SELECT rights FROM asset WHERE id = :id"), {"id": asset_id})
            .scalar_one()
        )
    before_rights = before if isinstance(before, dict) else json.loads(before)
    if not blob_kept:
        sha = hashlib_of(old_runtime, asset_id)
        old_runtime.blobs.delete(sha)

    upgrade(old_runtime.engine)
    assert reparse(old_runtime.engine, PARSER_VERSION, "test", blobs=old_runtime.blobs) == 1
    with Session(old_runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        after = dict(asset.rights)
        assert (asset.embedded_blocks is not None) is blob_kept
        from assets.captioning import replace_caption

        replace_caption(session, asset, "Crowds.", "test", blobs=old_runtime.blobs)
        edited = dict(asset.rights)
    assert meanings(after) >= meanings(before_rights)
    assert meanings(edited) >= meanings(before_rights)
    assert {m[0] for m in meanings(edited)} >= {"EDITORIAL_USE_ONLY", "NO_SALES"}


def hashlib_of(runtime: Runtime, asset_id: str) -> str:
    with runtime.engine.connect() as connection:
        return str(
            connection.execute(
                sa.text("SELECT sha256 FROM asset WHERE id = :id"), {"id": asset_id}
            ).scalar_one()
        )


def stored_blocks(runtime: Runtime, asset_id: str) -> Any:
    with Session(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.embedded_blocks
        return asset.embedded_blocks


def test_restore_brings_back_each_blocks_values_so_later_edits_keep_them(client, runtime, tmp_path):
    asset = upload(client, issue_file(31), CLEAN_CAPTION)
    before = meanings(asset["rights"])
    archive = tmp_path / "backup.tar"
    backup(runtime.engine, runtime.blobs, archive)
    target = Runtime.from_settings(
        Settings(
            data_dir=tmp_path / "restored",
            database_url=f"sqlite:///{tmp_path / 'restored.db'}",
        )
    )
    try:
        upgrade(target.engine)
        restore(target.engine, target.blobs, archive)
        with Session(target.engine) as session:
            restored = session.get(Asset, asset["id"])
            assert restored is not None
            assert restored.embedded_blocks == stored_blocks(runtime, asset["id"])
            assert meanings(restored.rights) == before
            from assets.captioning import replace_caption

            replace_caption(session, restored, "Crowds.", "test")  # no blob store at hand
            assert meanings(restored.rights) >= before
            assert restored.embedded_blocks is not None
    finally:
        target.engine.dispose()


def test_db_upgrade_reads_old_rows_again_from_their_files(old_runtime, tmp_path, database_url):
    from tests.test_cli import rightsdesk

    asset_id = _insert_old_row(old_runtime, issue_file(41), CLEAN_CAPTION)
    with old_runtime.engine.connect() as connection:
        before = connection.execute(
            sa.text("SELECT rights FROM asset WHERE id = :id"), {"id": asset_id}
        ).scalar_one()
    old_runtime.engine.dispose()
    result = rightsdesk(tmp_path, "db", "upgrade", database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "1 older asset(s) read again from their files" in result.stderr
    with Session(old_runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.embedded_blocks is not None
        origins = {b["origin"] for b in asset.embedded_blocks["blocks"]}
        assert origins >= {"iptc", "xmp"}
        before_rights = before if isinstance(before, dict) else json.loads(before)
        assert meanings(asset.rights) >= meanings(before_rights)
    again = rightsdesk(tmp_path, "db", "upgrade", database_url=database_url)
    assert "read again" not in again.stderr  # done once


@pytest.mark.parametrize(
    "path", ["caption: a bare one", "reparse after a parser change", "old row, blob out of reach"]
)
def test_unclassified_text_in_the_file_keeps_every_check_in_review(client, runtime, path):
    data = build(
        FileSpec("jpeg", "iptc:special_instructions", "PLEASE CALL THE DESK BEFORE USE", seed=51)
    )
    asset = upload(client, data, CLEAN_CAPTION)
    assert decision(client, asset["id"], "editorial") == "review"
    EDITS[path](client, runtime, asset["id"])
    assert decision(client, asset["id"], "editorial") == "review"
    assert decision(client, asset["id"], "sale") == "review"
