"""Which waiting files make one arrival, and which arrivals are ready to ingest.

A picture and its sidecar travel as one arrival: the sidecar is matched by name
(`epa123.jpg` with `epa123.xml`, `epa123.json`, `epa123.xmp` or `epa123.jpg.xmp`) or by the
rendition href it names (a NewsML-G2 remoteContent, a ninjs rendition). An arrival is ready
when its files are complete and the feed's sidecar rule is met: `required` waits for the
sidecar; `optional` takes a picture alone (a sidecar arriving later then updates the asset).
A sidecar alone waits `sidecar_wait_seconds` for its picture, then goes alone (a kill, a
correction of a picture already stored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from assets.clock import utcnow
from assets.feeds.config import FeedConfig
from assets.feeds.sidecar import is_sidecar_name
from assets.feeds.sources import Entry


@dataclass(frozen=True, slots=True)
class Arrival:
    picture: Entry | None
    sidecar: Entry | None

    @property
    def primary(self) -> Entry:
        entry = self.picture or self.sidecar
        assert entry is not None
        return entry

    @property
    def key(self) -> str:
        """The claim's key: the picture's identity when there is one (its sidecar moves with
        it), else the lone sidecar's."""
        return self.primary.key

    @property
    def stem(self) -> str:
        return stem_of(self.primary.name)

    @property
    def arrived_at(self) -> datetime:
        return min(e.arrived_at for e in (self.picture, self.sidecar) if e is not None)


def stem_of(name: str) -> str:
    """`epa123.jpg` -> `epa123`; `epa123.jpg.xmp` -> `epa123`."""
    stem = name
    if is_sidecar_name(stem):
        stem = stem.rsplit(".", 1)[0]
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def ready_arrivals(
    entries: list[Entry],
    feed: FeedConfig,
    renditions_of: Callable[[Entry], list[str]],
    now: datetime | None = None,
) -> list[Arrival]:
    """The arrivals ready now, oldest first. `renditions_of` reads a sidecar's hrefs; it is
    asked only about sidecars no picture name matches."""
    now = now or utcnow()
    pictures = {e.name: e for e in entries if not is_sidecar_name(e.name)}
    by_stem: dict[str, Entry] = {}
    for picture in pictures.values():
        by_stem.setdefault(stem_of(picture.name), picture)
    pairs: dict[str, Entry] = {}  # picture name -> its sidecar
    lone: list[Entry] = []
    for sidecar in (e for e in entries if is_sidecar_name(e.name)):
        match = by_stem.get(stem_of(sidecar.name))
        if match is None and sidecar.complete:
            hrefs = {PurePosixPath(h.split("?", 1)[0]).name for h in renditions_of(sidecar)}
            match = next((pictures[h] for h in sorted(hrefs) if h in pictures), None)
        if match is not None and match.name not in pairs:
            pairs[match.name] = sidecar
        else:
            lone.append(sidecar)
    wait = timedelta(seconds=feed.sidecar_wait_seconds)
    ready = []
    for picture in pictures.values():
        paired = pairs.get(picture.name)
        if not picture.complete or (paired is not None and not paired.complete):
            continue
        if paired is None and feed.sidecars == "required":
            continue
        ready.append(Arrival(picture, paired))
    for sidecar in lone:
        if sidecar.complete and now - sidecar.arrived_at >= wait:
            ready.append(Arrival(None, sidecar))
    return sorted(ready, key=lambda a: (a.arrived_at, a.primary.name))
