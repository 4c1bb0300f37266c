"""Which feeds to run and how: a TOML file (RIGHTSDESK_FEEDS) or a list of places
(RIGHTSDESK_FEED_SOURCES). docs/feeds.md describes every key.

    [[feed]]
    name = "epa"
    source = "/srv/incoming/epa"          # a folder, or s3://bucket/prefix
    sidecars = "optional"                 # optional | required | ignore
    apply_kills = false                   # true: kill signals kill; false: kill requests

A feed's knowledge (names, timings, trust) is data; the worker has no per-agency code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rights.errors import RightsdeskError

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
SIDECAR_MODES = ("optional", "required", "ignore")


class FeedConfigError(RightsdeskError, ValueError):
    """The feed configuration cannot be used; the message names the key and the fix."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    name: str
    source: str  # a folder path, or s3://bucket/prefix
    sidecars: str = "optional"
    # kill and withhold signals kill outright (a trusted agency feed); otherwise each is a
    # kill request a rights manager decides, the assets denied meanwhile
    apply_kills: bool = False
    # a file is complete once its size and time have not changed for this long
    settle_seconds: float = 1.0
    # how long a lone sidecar waits for its picture, and an optional one for its sidecar
    sidecar_wait_seconds: float = 10.0
    poll_seconds: float = 2.0
    # wake on inotify events (watchfiles) besides the scan; false on file systems that
    # deliver none (NFS, SMB mounts), where the scan alone finds everything
    inotify: bool = True
    lease_seconds: float = 120.0
    max_attempts: int = 5
    # arrivals delivered at once by one worker (threads; claims keep them apart)
    concurrency: int = 2
    retry_base_seconds: float = 1.0
    done: str | None = None  # default: `done/` inside the folder or prefix
    rejected: str | None = None  # default: `rejected/`

    @property
    def is_s3(self) -> bool:
        return self.source.startswith("s3://")

    @property
    def actor(self) -> str:
        """Who the audit names for what this feed changed."""
        return f"feed:{self.name}"


def load_feeds(path: Path | None = None, sources: str | None = None) -> list[FeedConfig]:
    """The feeds of a TOML file and/or a comma-separated list of places (each named after
    its last path segment); refused with a FeedConfigError that says what to change."""
    feeds: list[FeedConfig] = []
    defaults: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FeedConfigError(f"cannot read the feeds file {path}: {exc}") from exc
        defaults = data.get("defaults", {})
        if not isinstance(defaults, dict):
            raise FeedConfigError(f"{path}: [defaults] must be a table")
        entries = data.get("feed", [])
        if not isinstance(entries, list):
            raise FeedConfigError(f"{path}: feeds are [[feed]] tables")
        feeds += [
            _feed({**defaults, **entry}, f"{path} [[feed]] #{i + 1}")
            for i, entry in enumerate(entries)
        ]
    for place in [p.strip() for p in (sources or "").split(",") if p.strip()]:
        name = re.sub(r"[^a-z0-9_-]", "-", place.rstrip("/").rsplit("/", 1)[-1].lower())
        feeds.append(_feed({**defaults, "name": name or "feed", "source": place}, place))
    names = [f.name for f in feeds]
    if len(set(names)) != len(names):
        raise FeedConfigError(f"feed names must differ; got {names}")
    return feeds


def _feed(entry: dict[str, Any], where: str) -> FeedConfig:
    known = {f.name: f for f in fields(FeedConfig)}
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise FeedConfigError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FeedConfigError(
            f"{where}: name must be 1-64 lower-case letters, digits, - or _; got {name!r}"
        )
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise FeedConfigError(f"{where}: source must be a folder path or s3://bucket/prefix")
    if "://" in source and not source.startswith(("s3://", "file://")):
        raise FeedConfigError(
            f"{where}: source {source!r}: use a folder path or s3://bucket/prefix"
        )
    values = dict(entry)
    values["source"] = source.removeprefix("file://")
    if values.get("sidecars", "optional") not in SIDECAR_MODES:
        raise FeedConfigError(f"{where}: sidecars must be one of {SIDECAR_MODES}")
    for key, spec in known.items():
        if key in values and spec.type in ("float", "int"):
            if not isinstance(values[key], int | float) or isinstance(values[key], bool):
                raise FeedConfigError(f"{where}: {key} must be a number")
            if values[key] < 0:
                raise FeedConfigError(f"{where}: {key} must not be negative")
        if spec.type == "bool" and key in values and not isinstance(values[key], bool):
            raise FeedConfigError(f"{where}: {key} must be true or false")
    return FeedConfig(**values)


def configured_feeds(feeds_file: Path | None, feed_sources: str | None) -> list[FeedConfig]:
    """The feeds the settings name (RIGHTSDESK_FEEDS, RIGHTSDESK_FEED_SOURCES); none when
    neither is set."""
    if feeds_file is None and not feed_sources:
        return []
    return load_feeds(feeds_file, feed_sources)
