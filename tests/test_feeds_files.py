"""A file is read and moved only as it was seen: one renamed over it, swapped for a link or a
pipe, or still being written is never ingested in its place nor moved away unread; the same
name delivered again with other bytes is ingested again, and nothing in done/ is overwritten."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.feeds.worker import FeedRunner
from assets.tables import Asset
from tests.feeds_helpers import drop, folder_feed, runner
from tests.images import jpeg_bytes


def shas(runtime: Runtime) -> set[str]:
    with Session(runtime.engine) as session:
        return set(session.exec(select(Asset.sha256)))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def after_scan(work: FeedRunner, action: Callable[[], None]) -> None:
    """Run `action` once, right after the next scan (between seeing a file and reading it)."""
    scan = work.source.scan

    def scanned() -> list:  # type: ignore[type-arg]
        entries = scan()
        work.source.scan = scan  # type: ignore[method-assign]
        action()
        return entries

    work.source.scan = scanned  # type: ignore[method-assign]


def same_size_other_bytes(data: bytes) -> bytes:
    """The picture with one byte of its image data changed: same size, other content."""
    at = len(data) - 10
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def test_a_file_renamed_over_one_being_delivered_is_taken_as_new_not_moved_unread(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import assets.feeds.worker as worker

    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    first, second = jpeg_bytes(1), jpeg_bytes(2)
    drop(inbox, "x.jpg", first)
    real = worker.deliver

    def then_resent(*args: object, **kwargs: object) -> object:
        delivered = real(*args, **kwargs)  # type: ignore[arg-type]
        drop(inbox, "x.jpg", second, age=30)  # `x.jpg.part` renamed over it meanwhile
        return delivered

    with monkeypatch.context() as patch:
        patch.setattr(worker, "deliver", then_resent)
        work.run_once()
    assert (inbox / "x.jpg").read_bytes() == second  # left for the next scan, not moved
    work.run_once()
    assert shas(runtime) == {sha(first), sha(second)}
    moved = sorted((inbox / "done").iterdir())
    assert [p.read_bytes() for p in moved] == [second]


@pytest.mark.parametrize("swap", ["symlink", "fifo", "other-file"])
def test_a_file_swapped_after_it_was_seen_is_not_read_in_its_place(
    runtime: Runtime, tmp_path: Path, swap: str
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg_bytes(3))
    drop(inbox, "y.jpg", jpeg_bytes(4))

    def swapped() -> None:
        (inbox / "y.jpg").unlink()
        if swap == "symlink":
            (inbox / "y.jpg").symlink_to(secret)
        elif swap == "fifo":
            os.mkfifo(inbox / "y.jpg")
        else:
            drop(inbox, "y.jpg", jpeg_bytes(5), age=30)

    after_scan(work, swapped)
    work.run_once()  # returns: no hang on a pipe, nothing read through a link
    assert sha(secret.read_bytes()) not in shas(runtime) and secret.exists()
    assert sha(jpeg_bytes(4)) not in shas(runtime)
    if swap == "other-file":
        work.run_once()
        assert shas(runtime) == {sha(jpeg_bytes(5))}  # the new file, as itself
    else:
        assert shas(runtime) == set()


def test_a_file_still_being_written_when_read_is_taken_once_whole(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    whole = jpeg_bytes(6)
    drop(inbox, "z.jpg", whole[:200])

    def more() -> None:
        path = inbox / "z.jpg"
        with path.open("ab") as handle:
            handle.write(whole[200:])
        os.utime(path, (os.path.getmtime(path) - 30,) * 2)

    after_scan(work, more)
    work.run_once()
    work.run_once()
    assert shas(runtime) == {sha(whole)}
    assert [p.read_bytes() for p in (inbox / "done").iterdir()] == [whole]


def test_the_same_name_size_and_time_with_other_bytes_is_ingested_again_nothing_overwritten(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    first = jpeg_bytes(7)
    versions = [
        first,
        same_size_other_bytes(first),
        same_size_other_bytes(first)[:-20] + b"\0" * 20,
    ]
    stamp = os.path.getmtime(drop(tmp_path, "stamp", b"")) - 60
    for data in versions:
        path = drop(inbox, "w.jpg", data)
        os.utime(path, (stamp, stamp))  # the sender keeps the original's time (rsync -t)
        work.run_once()
        assert not path.exists()
    assert {sha(v) for v in versions if v[-2:] == b"\xff\xd9"} <= shas(runtime)
    kept = sorted(p.read_bytes() for p in (inbox / "done").iterdir())
    rejected = sorted(p.read_bytes() for p in (inbox / "rejected").glob("w*.jpg"))
    assert sorted(kept + rejected) == sorted(versions)  # every delivery kept, none overwritten


LONG = b"\xff" * 200 + b".jpg"  # a name the file system takes, four times longer escaped


@pytest.mark.parametrize(
    ("raw", "sidecar"),
    [
        (b"bad\xffname.jpg", None),
        (b"new\nline.jpg", None),
        (b"del\x7f.jpg", None),
        (LONG, None),
        (b"u.jpg", b'{"uri": "' + b"u" * 3000 + b'", "usageterms": "NO SALES"}'),
        (b"v.jpg", b'{"uri": "urn:\\ud800:x", "description_text": "A \\udfff caption"}'),
        (b"\xfe.jpg", b"{broken"),  # refused: the reason names the file
    ],
    ids=["not-utf8", "newline", "control", "long-not-utf8", "long-uri", "lone-surrogate", "bad"],
)
def test_any_file_name_or_item_id_ends_in_done_or_rejected(
    runtime: Runtime, tmp_path: Path, raw: bytes, sidecar: bytes | None
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    folder = os.fsencode(inbox)
    picture = os.path.join(folder, raw)
    Path(os.fsdecode(picture)).write_bytes(jpeg_bytes(len(raw)))
    os.utime(picture, (1, 1))
    if sidecar is not None:
        side = os.path.join(folder, raw.rsplit(b".", 1)[0] + b".json")
        Path(os.fsdecode(side)).write_bytes(sidecar)
        os.utime(side, (1, 1))
    work.run_once()
    work.run_once()
    assert sorted(os.listdir(folder)) == [b"done", b"rejected"]  # none left behind
    done = os.listdir(os.path.join(folder, b"done"))
    if sidecar is None or b"NO SALES" in sidecar:
        assert raw in done and len(shas(runtime)) == 1
    else:
        assert raw + b".reason.txt" in os.listdir(os.path.join(folder, b"rejected"))


def test_an_empty_file_is_rejected_saying_so(runtime: Runtime, tmp_path: Path):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "empty.jpg", b"")
    work.run_once()
    assert "empty (0 bytes)" in (inbox / "rejected" / "empty.jpg.reason.txt").read_text()
    assert shas(runtime) == set()


@pytest.mark.parametrize("folder", ["done", "rejected"])
def test_a_done_folder_swapped_for_a_link_to_another_feed_is_never_written_to(
    runtime: Runtime, tmp_path: Path, folder: str
):
    from assets.feeds.tables import FeedStatus

    inbox, other = tmp_path / "inbox", tmp_path / "other-feed"
    other.mkdir()
    work = runner(runtime, folder_feed(inbox))
    (inbox / folder).rename(tmp_path / "moved-away")
    (inbox / folder).symlink_to(other, target_is_directory=True)
    drop(inbox, "a.jpg", jpeg_bytes(30))
    drop(inbox, "b.pdf", b"%PDF-1.4 not a picture")
    work.run_once()
    assert list(other.iterdir()) == []  # nothing planted in another feed's inbox
    stuck = "a.jpg" if folder == "done" else "b.pdf"
    assert (inbox / stuck).exists()
    with Session(runtime.engine) as session:
        status = session.get(FeedStatus, "wire")
    assert status is not None and "no longer the folder" in (status.last_error or "")


def test_a_name_that_is_not_utf8_is_logged_and_explained_in_utf8(
    runtime: Runtime, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    folder = os.fsencode(inbox)
    for raw, body in ((b"\xfe.jpg", jpeg_bytes(3)), (b"\xfe.json", b"{broken")):
        Path(os.fsdecode(os.path.join(folder, raw))).write_bytes(body)
        os.utime(os.path.join(folder, raw), (1, 1))
    with caplog.at_level(logging.INFO, logger="rightsdesk.feeds"):
        work.run_once()
        work.run_once()
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("rightsdesk.feeds")]
    assert any("\\udcfe.jpg rejected" in m for m in messages)
    for message in messages:
        message.encode("utf-8")  # a lone surrogate would raise here
    reason = os.path.join(folder, b"rejected", b"\xfe.jpg.reason.txt")
    assert "\\udcfe.json" in Path(os.fsdecode(reason)).read_text(encoding="utf-8")
