"""Building blocks for the feed tests: a feed on a folder, sidecars, a runner in-process."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

from api.runtime import Runtime
from assets.feeds.config import FeedConfig
from assets.feeds.worker import FeedRunner

NEWSML_NS = "http://iptc.org/std/nar/2006-10-01/"


def folder_feed(inbox: Path, **options: object) -> FeedConfig:
    base = FeedConfig(
        name="wire",
        source=str(inbox),
        settle_seconds=0.0,
        sidecar_wait_seconds=0.0,
        poll_seconds=0.05,
        retry_base_seconds=0.0,
        lease_seconds=30,
    )
    return replace(base, **options)  # type: ignore[arg-type]


def runner(runtime: Runtime, feed: FeedConfig, owner: str = "test") -> FeedRunner:
    from assets.feeds.sources import FolderSource

    return FeedRunner(
        runtime.catalogue(), feed, source=FolderSource(feed, use_inotify=False), owner=owner
    )


def drop(folder: Path, name: str, data: bytes, *, age: float = 5.0) -> Path:
    """Write a file as an agency would (temp name, then rename), aged `age` seconds."""
    path = folder / name
    temp = folder / f"{name}.part"
    temp.write_bytes(data)
    os.replace(temp, path)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def newsml(
    *,
    guid: str = "urn:newsml:example.com:20261207:pic1",
    caption: str | None = None,
    usage_terms: str | None = None,
    ednote: str | None = None,
    signals: tuple[str, ...] = (),
    pub_status: str = "usable",
    embargoed: str | None = None,
    href: str | None = None,
    credit: str | None = None,
) -> bytes:
    item_meta = [
        '<itemClass qcode="ninat:picture"/>',
        f'<pubStatus qcode="stat:{pub_status}"/>',
        *(f'<signal qcode="sig:{s}"/>' for s in signals),
    ]
    if ednote:
        item_meta.append(f"<edNote>{ednote}</edNote>")
    if embargoed:
        item_meta.append(f"<embargoed>{embargoed}</embargoed>")
    rights = f"<usageTerms>{usage_terms}</usageTerms>" if usage_terms else ""
    content = []
    if caption:
        content.append(f'<description role="drol:caption">{caption}</description>')
    if credit:
        content.append(f"<creditline>{credit}</creditline>")
    content_set = f'<contentSet><remoteContent href="{href}"/></contentSet>' if href else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<newsItem xmlns="{NEWSML_NS}" guid="{guid}"'
        f' version="1" standard="NewsML-G2"><rightsInfo>{rights}</rightsInfo>'
        f"<itemMeta>{''.join(item_meta)}</itemMeta>"
        f"<contentMeta>{''.join(content)}</contentMeta>{content_set}</newsItem>"
    ).encode()


def ninjs(**fields: object) -> bytes:
    return json.dumps({"uri": "urn:example:pic1", "type": "picture", **fields}).encode()
