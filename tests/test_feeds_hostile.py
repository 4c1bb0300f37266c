"""An agency feed is untrusted input: whatever a sidecar holds, it is read or refused with a
reason (never retried, never a stalled feed), and one file the feed cannot finish never holds
up the others."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.feeds.sidecar import SidecarError, read_sidecar
from assets.feeds.tables import FeedItem, FeedStatus
from assets.tables import Asset
from tests.feeds_helpers import drop, folder_feed, runner
from tests.images import jpeg_bytes

EPA = "epa22222222 A market in Rome, Italy, 07 December 2026. EPA/ANNA ROSSI"

# Sidecars a sender can write that no reader may take as they are: each has to be refused.
HOSTILE_SIDECARS = {
    "json-number-too-long": ("json", b'{"uri": "u", "version": 1' + b"0" * 5000 + b"}"),
    "json-duplicate-usageterms": ("json", b'{"usageterms": "NO SALES", "usageterms": ""}'),
    "json-nested-duplicate": ("json", b'{"descriptions": [{"value": "a", "value": "b"}]}'),
    "json-usageterms-object": ("json", b'{"usageterms": {"en": "NO SALES"}}'),
    "json-usageterms-number": ("json", b'{"usageterms": [1, "x"]}'),
    "json-pubstatus-list": ("json", b'{"pubstatus": ["withheld"]}'),
    "json-caption-list": ("json", b'{"description_text": ["NO SALES"]}'),
    "json-ednote-object": ("json", b'{"ednote": {"text": "NO SALES"}}'),
    "json-signal-number": ("json", b'{"signals": [{"code": 7}]}'),
    "json-holder-name-list": ("json", b'{"copyrightholder": {"name": ["EPA"]}}'),
    "json-embargo-past-calendar": ("json", b'{"embargoed": "9999-12-31T23:59:59-05:00"}'),
    "json-embargo-before-calendar": ("json", b'{"embargoed": "0001-01-01T00:00:00+05:00"}'),
    "json-deep": ("json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    "json-not-utf8": ("json", b'{"usageterms": "\xff\xfe NO SALES"}'),
    "xml-unknown-encoding": ("xml", b'<?xml version="1.0" encoding="x-evil"?><newsItem/>'),
    "xml-wrong-encoding": ("xml", b'<?xml version="1.0" encoding="UTF-16"?><newsItem/>'),
    "xml-embargo-past-calendar": (
        "xml",
        b"<newsItem><itemMeta><embargoed>9999-12-31T23:59:59-05:00</embargoed></itemMeta>"
        b"</newsItem>",
    ),
    "xml-billion-laughs": (
        "xml",
        b'<!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><newsItem>&c;</newsItem>',
    ),
    "xml-external-entity": (
        "xml",
        b'<!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/hostname">]><newsItem>&x;</newsItem>',
    ),
    "xml-parameter-entity": (
        "xml",
        b'<!DOCTYPE n [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><newsItem/>',
    ),
    "xmp-entity": ("xmp", b'<!DOCTYPE x [<!ENTITY a "b">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'),
    "too-large": ("xml", b"<newsItem>" + b"x" * (3 * 1024 * 1024) + b"</newsItem>"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SIDECARS))
def test_a_hostile_sidecar_is_a_sidecar_error(case: str):
    suffix, data = HOSTILE_SIDECARS[case]
    with pytest.raises(SidecarError):
        sidecar = read_sidecar(f"a.{suffix}", data)
        sidecar.block()  # nothing is left to fail later, when the block is built


def assets(runtime: Runtime) -> list[Asset]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Asset)))


@pytest.mark.parametrize("paired", [True, False], ids=["with-picture", "alone"])
@pytest.mark.parametrize(
    "case",
    [
        "json-number-too-long",
        "json-duplicate-usageterms",
        "xml-unknown-encoding",
        "json-embargo-past-calendar",
        "xml-embargo-past-calendar",
    ],
)
def test_a_hostile_sidecar_is_rejected_at_once_and_the_feed_goes_on(
    runtime: Runtime, tmp_path: Path, case: str, paired: bool
):
    suffix, data = HOSTILE_SIDECARS[case]
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, max_attempts=5))
    if paired:
        drop(inbox, "h.jpg", jpeg_bytes(1))
    drop(inbox, f"h.{suffix}", data)
    drop(inbox, "fine.jpg", jpeg_bytes(2, caption=EPA), age=10)
    work.run_once()
    assert [a.agency_ref for a in assets(runtime)] == ["epa22222222"]
    rejected = inbox / "rejected"
    first = "h.jpg" if paired else f"h.{suffix}"
    assert (rejected / first).exists() and (rejected / f"h.{suffix}").exists()
    assert "sidecar" in (rejected / f"{first}.reason.txt").read_text()
    with Session(runtime.engine) as session:
        rows = {r.name: r for r in session.exec(select(FeedItem))}
    assert rows["h"].state == "rejected" and rows["h"].attempts == 0  # refused, not retried
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "rejected"]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6000), max_value=10**6000)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "NO SALES"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "uri",
                    "version",
                    "usageterms",
                    "descriptions",
                    "description_text",
                    "value",
                    "pubstatus",
                    "signals",
                    "code",
                    "embargoed",
                    "renditions",
                    "href",
                    "name",
                    "copyrightholder",
                    "ednote",
                    "headlines",
                    "bylines",
                    "places",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=15,
)


def _json_text(value: object) -> bytes:
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # the sender is not bound by this process's limit
    try:
        return json.dumps(value).encode()
    finally:
        sys.set_int_max_str_digits(limit)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_any_json_sidecar_reads_or_fails_as_a_sidecar_error(value: object):
    with contextlib.suppress(SidecarError):
        read_sidecar("a.json", _json_text(value)).block()


XML_DECLARATIONS = st.sampled_from(
    [
        b"",
        b'<?xml version="1.0"?>',
        b'<?xml version="1.0" encoding="UTF-16"?>',
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        b'<?xml version="1.0" encoding="x-no"?>',
        b'<?xml version="1.1" encoding="ascii"?>',
        b"<!DOCTYPE newsItem>",
    ]
)
XML_TEXTS = st.sampled_from(
    [b"9999-12-31T23:59:59-05:00", b"NO SALES", b"\xff\xfe", b"&amp;", b"&x;", b"]]>", b""]
)


@settings(max_examples=150, deadline=None)
@given(XML_DECLARATIONS, XML_TEXTS, XML_TEXTS, st.sampled_from([b"embargoed", b"edNote"]))
def test_any_newsml_sidecar_reads_or_fails_as_a_sidecar_error(
    declaration: bytes, text: bytes, caption: bytes, meta: bytes
):
    data = (
        declaration
        + b"<newsItem guid='g'><itemMeta><"
        + meta
        + b">"
        + text
        + b"</"
        + meta
        + b"></itemMeta><contentMeta><description>"
        + caption
        + b"</description></contentMeta></newsItem>"
    )
    with contextlib.suppress(SidecarError):
        read_sidecar("a.xml", data).block()


def _failing_moves(monkeypatch: pytest.MonkeyPatch, folder: Path, error: type[OSError]) -> None:
    real = os.replace

    def replace(src: object, dst: object) -> None:
        if Path(str(dst)).parent == folder and not Path(str(dst)).name.startswith("."):
            raise error(13, "Permission denied", str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)


def test_done_not_writable_holds_up_only_its_files_and_says_why(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "a.jpg", jpeg_bytes(3, caption=EPA), age=20)
    drop(inbox, "notes.pdf", b"%PDF-1.4 not a picture", age=10)
    with monkeypatch.context() as patch:
        _failing_moves(patch, inbox / "done", PermissionError)
        for _ in range(3):
            work.run_once()  # never raises: the move is noted and tried again
        assert (inbox / "a.jpg").exists()  # not lost
        assert (inbox / "rejected" / "notes.pdf").exists()  # the others went on
    with Session(runtime.engine) as session:
        status = session.get(FeedStatus, "wire")
    assert status is not None and "PermissionError" in (status.last_error or "")
    assert "a.jpg" in (status.last_error or "")
    work.run_once()  # writable again: the move is finished, nothing is ingested twice
    assert (inbox / "done" / "a.jpg").exists() and not (inbox / "a.jpg").exists()
    assert len(assets(runtime)) == 1


@pytest.mark.parametrize("gone", ["done", "rejected"])
def test_a_done_or_rejected_folder_removed_while_running_is_made_again(
    runtime: Runtime, tmp_path: Path, gone: str
):
    import shutil

    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    shutil.rmtree(inbox / gone)
    drop(inbox, "a.jpg", jpeg_bytes(4, caption=EPA))
    drop(inbox, "b.pdf", b"%PDF-1.4 not a picture")
    work.run_once()
    assert (inbox / "done" / "a.jpg").exists() and (inbox / "rejected" / "b.pdf").exists()
    assert (inbox / "rejected" / "b.pdf.reason.txt").exists()


def test_a_vanished_inbox_is_noted_and_scanned_again_not_a_crash(runtime: Runtime, tmp_path: Path):
    import shutil
    import threading
    import time

    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    shutil.rmtree(inbox)
    thread = threading.Thread(target=work.run, daemon=True)
    thread.start()
    time.sleep(0.3)
    inbox.mkdir()
    drop(inbox, "back.jpg", jpeg_bytes(5, caption=EPA))
    deadline = time.monotonic() + 10
    while not assets(runtime) and time.monotonic() < deadline:
        time.sleep(0.05)
    work.stop()
    thread.join(timeout=10)
    assert not thread.is_alive() and len(assets(runtime)) == 1
    with Session(runtime.engine) as session:
        status = session.get(FeedStatus, "wire")
    assert status is not None and "scan failed" in (status.last_error or "")
