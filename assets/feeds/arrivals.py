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
    # why the arrival cannot be delivered as it stands (it goes to `rejected/` with this)
    problem: str | None = None

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
    by_stem: dict[str, list[Entry]] = {}
    for picture in pictures.values():
        by_stem.setdefault(stem_of(picture.name), []).append(picture)
    pairs: dict[str, Entry] = {}  # picture name -> its sidecar
    lone: list[Entry] = []
    unclear: dict[str, str] = {}  # picture or sidecar name -> why it cannot be paired
    for sidecar in sorted((e for e in entries if is_sidecar_name(e.name)), key=_by_name):
        candidates = _named_by(sidecar, pictures, by_stem)
        if len(candidates) > 1 and sidecar.complete:
            hrefs = _href_names(renditions_of(sidecar))
            candidates = [p for p in candidates if p.name in hrefs] or candidates
        if not candidates and sidecar.complete:
            hrefs = _href_names(renditions_of(sidecar))
            candidates = [pictures[h] for h in sorted(hrefs) if h in pictures][:1]
        if len(candidates) > 1:
            names = ", ".join(sorted(p.name for p in candidates))
            why = f"sidecar {sidecar.name} may belong to any of {names}: none is taken alone"
            for entry in (sidecar, *candidates):
                unclear.setdefault(entry.name, why)
            continue
        match = candidates[0] if candidates else None
        if match is not None and match.name not in pairs:
            pairs[match.name] = sidecar
        elif match is not None:
            why = f"sidecars {pairs[match.name].name} and {sidecar.name} both name {match.name}"
            for entry in (sidecar, pairs.pop(match.name), match):
                unclear.setdefault(entry.name, why)
        else:
            lone.append(sidecar)
    for name in [n for n in pairs if n in unclear]:  # a refused picture takes its sidecar
        unclear.setdefault(pairs.pop(name).name, unclear[name])
    wait = timedelta(seconds=feed.sidecar_wait_seconds)
    ready = []
    for picture in pictures.values():
        paired = pairs.get(picture.name)
        if picture.name in unclear or not picture.complete:
            continue
        if paired is not None and not paired.complete:
            continue
        if paired is None and feed.sidecars == "required":
            continue
        ready.append(Arrival(picture, paired))
    for sidecar in lone:
        if sidecar.name not in unclear and sidecar.complete and now - sidecar.arrived_at >= wait:
            ready.append(Arrival(None, sidecar))
    # an unclear group is refused once every file of it is complete, each with the reason
    group = [e for e in entries if e.name in unclear]
    if all(e.complete for e in group):
        for entry in group:
            is_picture = entry.name in pictures
            ready.append(
                Arrival(
                    entry if is_picture else None,
                    None if is_picture else entry,
                    problem=unclear[entry.name],
                )
            )
    return sorted(ready, key=lambda a: (a.arrived_at, a.primary.name))


def _by_name(entry: Entry) -> str:
    return entry.name


def _named_by(
    sidecar: Entry, pictures: dict[str, Entry], by_stem: dict[str, list[Entry]]
) -> list[Entry]:
    """The pictures a sidecar's name points at: the picture it names whole (`x.jpg.xmp`),
    else every picture of its name's stem (`x.xml` -> `x.jpg`, `x.png`; `a.b.xml` -> `a.b.jpg`).
    """
    inner = sidecar.name.rsplit(".", 1)[0]
    if inner in pictures:
        return [pictures[inner]]
    return sorted(by_stem.get(inner, []), key=_by_name)


def _href_names(hrefs: list[str]) -> set[str]:
    return {PurePosixPath(h.split("?", 1)[0]).name for h in hrefs}
