"""A watched folder: complete files are ingested once with their sidecars, then moved to done/
or rejected/ with a reason; corrections update, kills kill, failures retry with backoff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.feeds.tables import FeedItem
from assets.tables import Asset, AuditEvent, CaptionVersion, OutboxMessage, Usage
from tests.feeds_helpers import drop, folder_feed, newsml, ninjs, runner
from tests.images import jpeg_bytes

EPA = "epa11111111 A protester in Kyiv, Ukraine, 07 December 2026. EPA/JOHN DOE"


def assets(runtime: Runtime) -> list[Asset]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Asset).order_by(Asset.id)))


def codes(asset: Asset) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for r in asset.rights["restrictions"]:
        found.setdefault(r["code"], set()).add(r["origin"])
    return found


def test_a_complete_picture_is_ingested_once_and_moved_to_done(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    feed = folder_feed(inbox)
    work = runner(runtime, feed)
    drop(inbox, "a.jpg", jpeg_bytes(1, caption=EPA))
    assert work.run_once() == 1
    assert work.run_once() == 0
    assert [a.agency_ref for a in assets(runtime)] == ["epa11111111"]
    assert (inbox / "done" / "a.jpg").exists() and not (inbox / "a.jpg").exists()
    drop(inbox, "a.jpg", jpeg_bytes(1, caption=EPA))  # the same bytes sent again
    work.run_once()
    assert len(assets(runtime)) == 1


def test_files_still_being_written_are_left_alone(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    feed = folder_feed(inbox, settle_seconds=30.0)
    work = runner(runtime, feed)
    (inbox / "b.jpg.part").write_bytes(jpeg_bytes(2)[:100])
    (inbox / "c.jpg.tmp").write_bytes(jpeg_bytes(3))
    (inbox / "fresh.jpg").write_bytes(jpeg_bytes(4))  # just written: not settled yet
    assert work.run_once() == 0
    assert assets(runtime) == []
    drop(inbox, "old.jpg", jpeg_bytes(5), age=120)
    assert work.run_once() == 1


def test_a_file_that_is_not_a_picture_is_rejected_with_its_reason(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "notes.pdf", b"%PDF-1.4 not a picture")
    work.run_once()
    assert (inbox / "rejected" / "notes.pdf").exists()
    reason = (inbox / "rejected" / "notes.pdf.reason.txt").read_text()
    assert "PDF" in reason or "not" in reason
    assert assets(runtime) == []


def test_newsml_sidecar_adds_restrictions_and_caption(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "p.jpg", jpeg_bytes(6, caption=EPA + " NO SALES"))
    drop(
        inbox,
        "p.xml",
        newsml(
            caption=EPA + " (corrected)",
            usage_terms="EDITORIAL USE ONLY",
            embargoed="2030-01-01T10:00:00Z",
        ),
    )
    assert work.run_once() == 1
    [asset] = assets(runtime)
    assert asset.caption == EPA + " (corrected)"
    assert asset.caption_origin == "sidecar"
    found = codes(asset)
    assert "sidecar" in found["EDITORIAL_USE_ONLY"]
    assert "sidecar" in found["EMBARGO"]
    assert "NO_SALES" in found  # the file's own restriction is kept
    assert asset.rights["embargo_until"].startswith("2030-01-01T10:00")
    assert (inbox / "done" / "p.xml").exists() and (inbox / "done" / "p.jpg").exists()


def test_sidecar_matched_by_rendition_href(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, sidecars="required"))
    drop(inbox, "photo-77.jpg", jpeg_bytes(7))
    assert work.run_once() == 0  # a required sidecar has not arrived
    drop(
        inbox,
        "item-123.json",
        ninjs(
            usageterms="NO ARCHIVES",
            renditions={"original": {"href": "https://cdn.example.com/photo-77.jpg?x=1"}},
        ),
    )
    assert work.run_once() == 1
    [asset] = assets(runtime)
    assert "sidecar" in codes(asset)["NO_ARCHIVES"]


def test_a_broken_sidecar_rejects_the_picture_and_stores_nothing(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "q.jpg", jpeg_bytes(8))
    drop(inbox, "q.xml", b"<newsItem><unclosed></newsItem>")
    work.run_once()
    assert assets(runtime) == []
    assert (inbox / "rejected" / "q.jpg").exists() and (inbox / "rejected" / "q.xml").exists()
    assert "not well-formed" in (inbox / "rejected" / "q.jpg.reason.txt").read_text()


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<newsItem>&b;</newsItem>",
        b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<newsItem>&x;</newsItem>",
        b"<newsItem>" + b"x" * (3 * 1024 * 1024) + b"</newsItem>",
    ],
    ids=["entity-expansion", "external-entity", "oversized"],
)
def test_hostile_xml_sidecars_are_refused(runtime: Runtime, tmp_path: Path, hostile: bytes):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "h.jpg", jpeg_bytes(9))
    drop(inbox, "h.xml", hostile)
    work.run_once()
    assert assets(runtime) == []
    assert (inbox / "rejected" / "h.jpg.reason.txt").exists()


def test_a_correction_updates_the_asset_and_keeps_every_restriction(
    runtime: Runtime, client: TestClient, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "r.jpg", jpeg_bytes(10, caption=EPA + " EDITORIAL USE ONLY"))
    work.run_once()
    [original] = assets(runtime)
    # the agency re-sends the same reference, another crop, with a corrected caption that
    # no longer says EDITORIAL USE ONLY and a sidecar that adds NO SALES
    corrected = EPA.replace("John", "Jon") + " (CORRECTS spelling)"
    drop(inbox, "r2.jpg", jpeg_bytes(11, caption=corrected))
    drop(
        inbox, "r2.xml", newsml(caption=corrected, usage_terms="NO SALES", signals=("correction",))
    )
    work.run_once()
    [asset] = assets(runtime)
    assert asset.id == original.id
    assert asset.caption == corrected
    assert {"EDITORIAL_USE_ONLY", "NO_SALES"} <= set(codes(asset))
    with Session(runtime.engine) as session:
        versions = session.exec(
            select(CaptionVersion).where(CaptionVersion.asset_id == asset.id)
        ).all()
        actions = [
            e.action
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.asset_id == asset.id).order_by(AuditEvent.id)
            )
        ]
    assert [v.origin for v in versions][-1] == "sidecar" and len(versions) == 2
    assert "feed.update" in actions and "asset.caption" in actions
    check = client.post(
        "/v1/rights/check",
        json={"assets": [asset.id], "use": {"purpose": "sale", "channel": "web"}},
    ).json()["results"][0]
    assert check["decision"] == "deny"


def test_a_later_sidecar_corrects_the_picture_of_the_same_name(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "s.jpg", jpeg_bytes(12))
    work.run_once()
    drop(inbox, "s.json", ninjs(description_text="A later caption", usageterms="NO SALES"))
    work.run_once()
    [asset] = assets(runtime)
    assert asset.caption == "A later caption"
    assert "sidecar" in codes(asset)["NO_SALES"]
    assert (inbox / "done" / "s.json").exists()


def _usage(runtime: Runtime, asset_id: str) -> None:
    with Session(runtime.engine) as session:
        session.add(
            Usage(
                asset_id=asset_id,
                purpose="editorial",
                publication="Daily",
                url="https://example.com/story",
            )
        )
        session.commit()


def test_a_kill_signal_kills_every_asset_with_the_reference_and_notifies(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, apply_kills=True))
    drop(inbox, "k.jpg", jpeg_bytes(13, caption=EPA))
    work.run_once()
    [asset] = assets(runtime)
    _usage(runtime, asset.id)
    drop(
        inbox,
        "kill.xml",
        newsml(caption=EPA, signals=("kill",), pub_status="canceled", ednote="picture withdrawn"),
    )
    work.run_once()
    [asset] = assets(runtime)
    assert asset.status == "killed"
    with Session(runtime.engine) as session:
        [notice] = session.exec(select(OutboxMessage)).all()
    assert notice.payload["agency_ref"] == "epa11111111"
    assert len(notice.payload["usages"]) == 1
    assert "withdrawn" in notice.payload["reason"]


def test_a_withhold_from_a_feed_not_trusted_to_kill_is_a_kill_request(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "w.jpg", jpeg_bytes(14, caption=EPA))
    drop(inbox, "w.json", ninjs(description_text=EPA, pubstatus="withheld"))
    work.run_once()
    [asset] = assets(runtime)
    assert asset.status == "kill_requested"


def test_a_lone_kill_for_an_unknown_reference_is_rejected(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, apply_kills=True))
    drop(inbox, "x.xml", newsml(caption="epa99999999 nothing EPA/X", signals=("kill",)))
    work.run_once()
    assert "names no stored picture" in (inbox / "rejected" / "x.xml.reason.txt").read_text()


def test_transient_failures_are_retried_with_backoff_then_rejected(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, max_attempts=3))
    calls = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise OSError("disk on fire")

    monkeypatch.setattr(work.catalogue.blobs, "put_file", broken)
    drop(inbox, "t.jpg", jpeg_bytes(15))
    for _ in range(5):
        work.run_once()
    assert len(calls) == 3
    assert "gave up after 3 attempts" in (inbox / "rejected" / "t.jpg.reason.txt").read_text()
    with Session(runtime.engine) as session:
        [row] = session.exec(select(FeedItem)).all()
    assert row.state == "rejected" and row.attempts == 2


def test_a_retry_waits_for_its_backoff(runtime: Runtime, tmp_path: Path, monkeypatch):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, retry_base_seconds=60.0))
    failing = [True]
    real = work.catalogue.blobs.put_file

    def flaky(*args: object, **kwargs: object) -> None:
        if failing[0]:
            raise OSError("bucket unreachable")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(work.catalogue.blobs, "put_file", flaky)
    drop(inbox, "u.jpg", jpeg_bytes(16))
    work.run_once()
    failing[0] = False
    work.run_once()  # within the backoff: not tried again
    assert assets(runtime) == [] and (inbox / "u.jpg").exists()


def test_feeds_are_listed_with_their_last_success_and_error(
    runtime: Runtime, client: TestClient, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feed]]\nname = "wire"\nsource = "{inbox}"\n')
    runtime.settings.feeds = feeds_file
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "v.jpg", jpeg_bytes(17))
    drop(inbox, "bad.jpg", b"\xff\xd8\xff garbage")
    work.run_once()
    body = client.get("/v1/feeds").json()
    [feed] = body["feeds"]
    assert feed["name"] == "wire" and feed["kind"] == "folder"
    assert feed["ingested"] == 1 and feed["rejected"] == 1 and feed["seen"] == 2
    assert feed["last_success_at"] and feed["last_error"]
    metrics = client.get("/metrics").text
    assert 'rightsdesk_feed_files_total{event="ingested",feed="wire"}' in metrics
    assert "rightsdesk_feed_lag_seconds_bucket" in metrics
    assert json.dumps(body)  # plain JSON


def test_a_picture_and_its_resend_arriving_together_make_one_asset(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, concurrency=4))
    for number in range(4):  # the same reference four times, four crops, at once
        drop(inbox, f"same{number}.jpg", jpeg_bytes(40 + number, caption=f"{EPA} take {number}"))
    work.run_once()
    [asset] = assets(runtime)
    assert asset.agency_ref == "epa11111111"
    with Session(runtime.engine) as session:
        outcomes = sorted(r.outcome or "" for r in session.exec(select(FeedItem)))
    assert outcomes == ["ingested", "updated", "updated", "updated"]


def test_serve_runs_the_configured_feeds_when_asked(runtime: Runtime, tmp_path: Path):
    import time

    from api.app import create_app

    inbox = tmp_path / "served-inbox"
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(
        f'[[feed]]\nname = "served"\nsource = "{inbox}"\nsettle_seconds = 0\npoll_seconds = 0.05\n'
    )
    runtime.settings.feeds = feeds_file
    runtime.settings.serve_feeds = "on"
    with TestClient(create_app(runtime=runtime)):
        drop(inbox, "served.jpg", jpeg_bytes(60, caption=EPA))
        deadline = time.monotonic() + 20
        while not (inbox / "done" / "served.jpg").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [a.agency_ref for a in assets(runtime)] == ["epa11111111"]


def test_links_hidden_files_and_folders_in_the_inbox_are_not_taken(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(jpeg_bytes(70))
    (inbox / "link.jpg").symlink_to(outside)
    drop(inbox, ".hidden.jpg", jpeg_bytes(71))
    (inbox / "folder.jpg").mkdir()
    assert work.run_once() == 0
    assert assets(runtime) == [] and outside.exists()


def test_corpus_pictures_get_the_same_rights_by_feed_as_by_upload(
    runtime: Runtime, shared: Path, tmp_path: Path
):
    import hashlib

    from assets.metadata import read_embedded
    from assets.rights_reading import read_rights, record_to_json

    pictures = sorted((shared / "corpus" / "agency" / "images").iterdir())[:8]
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    for picture in pictures:
        drop(inbox, picture.name, picture.read_bytes())
    work.run_once()
    by_feed = {a.sha256: a.rights for a in assets(runtime)}
    assert len(by_feed) == len(pictures)
    assert len(list((inbox / "done").iterdir())) == len(pictures)
    for picture in pictures:
        data = picture.read_bytes()
        embedded = read_embedded(data)
        as_uploaded = record_to_json(read_rights(embedded.caption, embedded))
        assert by_feed[hashlib.sha256(data).hexdigest()] == as_uploaded, picture.name


@pytest.mark.parametrize(("inotify", "poll"), [(True, 60.0), (False, 0.1)])
def test_a_running_worker_wakes_on_inotify_or_finds_files_by_polling(
    runtime: Runtime, tmp_path: Path, inotify: bool, poll: float
):
    import time

    from assets.feeds.worker import FeedWorkers

    inbox = tmp_path / "inbox"
    feed = folder_feed(inbox, inotify=inotify, poll_seconds=poll)
    workers = FeedWorkers(runtime.catalogue(), [feed])
    workers.start()
    try:
        time.sleep(0.3)  # the first scan (empty) is over: only a wake-up finds the file now
        drop(inbox, "woken.jpg", jpeg_bytes(80), age=0)
        deadline = time.monotonic() + 15
        while not (inbox / "done" / "woken.jpg").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        workers.stop()
    assert (inbox / "done" / "woken.jpg").exists()
