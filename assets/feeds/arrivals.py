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
from dataclasses import dataclass, field
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
    pairing = _pair_sidecars(entries, pictures, renditions_of)
    ready = _ready_pictures(pictures, pairing, feed)
    ready += _ready_lone_sidecars(pairing, feed, now)
    ready += _refused_group(entries, pictures, pairing.unclear)
    return sorted(ready, key=lambda a: (a.arrived_at, a.primary.name))


@dataclass(slots=True)
class _Pairing:
    """What the waiting sidecars were found to belong to."""

    pairs: dict[str, Entry] = field(default_factory=dict)  # picture name -> its sidecar
    lone: list[Entry] = field(default_factory=list)
    unclear: dict[str, str] = field(default_factory=dict)  # name -> why it cannot be paired


def _pair_sidecars(
    entries: list[Entry],
    pictures: dict[str, Entry],
    renditions_of: Callable[[Entry], list[str]],
) -> _Pairing:
    """Each sidecar to its one picture, alone, or into an unclear group; taken in name order
    so the same files always pair the same way."""
    by_stem = _pictures_by_stem(pictures)
    pairing = _Pairing()
    for sidecar in sorted((e for e in entries if is_sidecar_name(e.name)), key=_by_name):
        candidates = _candidates(sidecar, pictures, by_stem, renditions_of)
        if len(candidates) > 1:
            _refuse_ambiguous(sidecar, candidates, pairing.unclear)
        elif candidates:
            _claim(sidecar, candidates[0], pairing)
        else:
            pairing.lone.append(sidecar)
    _drop_refused_pairs(pairing)
    return pairing


def _pictures_by_stem(pictures: dict[str, Entry]) -> dict[str, list[Entry]]:
    """Pictures grouped by stem, since `x.xml` may describe `x.jpg` as well as `x.png`."""
    by_stem: dict[str, list[Entry]] = {}
    for picture in pictures.values():
        by_stem.setdefault(stem_of(picture.name), []).append(picture)
    return by_stem


def _candidates(
    sidecar: Entry,
    pictures: dict[str, Entry],
    by_stem: dict[str, list[Entry]],
    renditions_of: Callable[[Entry], list[str]],
) -> list[Entry]:
    """The pictures a sidecar may belong to: by its name, then by the rendition hrefs it
    holds. Its hrefs are read only once it is complete, since a partial file reads wrong."""
    candidates = _named_by(sidecar, pictures, by_stem)
    if not sidecar.complete:
        return candidates
    if len(candidates) > 1:
        return _narrowed_by_href(sidecar, candidates, renditions_of)
    if not candidates:
        return _found_by_href(sidecar, pictures, renditions_of)
    return candidates


def _narrowed_by_href(
    sidecar: Entry, candidates: list[Entry], renditions_of: Callable[[Entry], list[str]]
) -> list[Entry]:
    """Of several pictures sharing a stem, those the sidecar names as renditions; all of
    them still when it names none, which leaves the group ambiguous."""
    hrefs = _href_names(renditions_of(sidecar))
    return [p for p in candidates if p.name in hrefs] or candidates


def _found_by_href(
    sidecar: Entry, pictures: dict[str, Entry], renditions_of: Callable[[Entry], list[str]]
) -> list[Entry]:
    """The picture a sidecar of an unrelated name points at by rendition href (the first
    by name, so one sidecar never claims two pictures)."""
    hrefs = _href_names(renditions_of(sidecar))
    return [pictures[h] for h in sorted(hrefs) if h in pictures][:1]


def _refuse_ambiguous(sidecar: Entry, candidates: list[Entry], unclear: dict[str, str]) -> None:
    """A sidecar that may describe several pictures: guessing could attach the wrong rights,
    so the sidecar and all of them are refused together."""
    names = ", ".join(sorted(p.name for p in candidates))
    why = f"sidecar {sidecar.name} may belong to any of {names}: none is taken alone"
    for entry in (sidecar, *candidates):
        unclear.setdefault(entry.name, why)


def _claim(sidecar: Entry, picture: Entry, pairing: _Pairing) -> None:
    """Pair the sidecar with its picture, unless another sidecar already did: two sidecars
    for one picture cannot both hold, so all three are refused."""
    if picture.name not in pairing.pairs:
        pairing.pairs[picture.name] = sidecar
        return
    why = f"sidecars {pairing.pairs[picture.name].name} and {sidecar.name} both name {picture.name}"
    for entry in (sidecar, pairing.pairs.pop(picture.name), picture):
        pairing.unclear.setdefault(entry.name, why)


def _drop_refused_pairs(pairing: _Pairing) -> None:
    """A refused picture takes its sidecar with it, so the sidecar is not delivered alone."""
    for name in [n for n in pairing.pairs if n in pairing.unclear]:
        pairing.unclear.setdefault(pairing.pairs.pop(name).name, pairing.unclear[name])


def _ready_pictures(
    pictures: dict[str, Entry], pairing: _Pairing, feed: FeedConfig
) -> list[Arrival]:
    """The pictures whose arrival may go now, each with its sidecar when it has one."""
    return [
        Arrival(picture, pairing.pairs.get(picture.name))
        for picture in pictures.values()
        if _picture_ready(picture, pairing.pairs.get(picture.name), pairing.unclear, feed)
    ]


def _picture_ready(
    picture: Entry, paired: Entry | None, unclear: dict[str, str], feed: FeedConfig
) -> bool:
    """Whether a picture goes now: both files complete, not in a refused group, and its
    sidecar present when the feed requires one."""
    if picture.name in unclear or not picture.complete:
        return False
    if paired is None:
        return feed.sidecars != "required"
    return paired.complete


def _ready_lone_sidecars(pairing: _Pairing, feed: FeedConfig, now: datetime) -> list[Arrival]:
    """Sidecars without a picture, once complete and given `sidecar_wait_seconds` for their
    picture to turn up (a kill or correction of a picture already stored needs none)."""
    wait = timedelta(seconds=feed.sidecar_wait_seconds)
    return [
        Arrival(None, sidecar)
        for sidecar in pairing.lone
        if sidecar.name not in pairing.unclear
        and sidecar.complete
        and now - sidecar.arrived_at >= wait
    ]


def _refused_group(
    entries: list[Entry], pictures: dict[str, Entry], unclear: dict[str, str]
) -> list[Arrival]:
    """The unclear files, each refused with its reason, once every one of them is complete:
    a file still being written could change how the group pairs."""
    group = [e for e in entries if e.name in unclear]
    if not all(e.complete for e in group):
        return []
    return [_refused(entry, entry.name in pictures, unclear[entry.name]) for entry in group]


def _refused(entry: Entry, is_picture: bool, why: str) -> Arrival:
    """One file of an unclear group, as an arrival carrying the reason it is refused."""
    return Arrival(entry if is_picture else None, None if is_picture else entry, problem=why)


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
