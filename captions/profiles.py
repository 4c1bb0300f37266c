"""Agency profiles: one TOML file per agency in captions/profiles/, loaded once at import.

A profile names the agency, lists how credit lines write it (aliases), how its own picture
reference looks, and defaults other layers read (archive retention for NO_ARCHIVES). Adding an
agency is adding a file; no Python changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

from captions.errors import CaptionError
from captions.tolerant import phrase_key

DEFAULT_ARCHIVE_RETENTION_DAYS: Final = 30

# Decorations around an agency name in a credit segment: "© 2023 REUTERS", "AFP PHOTO",
# "ZUMA Press Wire". Removed (as folded words) before the alias lookup.
_LEADING_DECORATION: Final = {"c", "copyright", "photo", "foto"}
_TRAILING_DECORATION: Final = {
    "photo",
    "photos",
    "foto",
    "fotos",
    "pictures",
    "images",
    "image",
    "wire",
    "press",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """How an agency's own picture reference appears: at the caption start, or after the credit."""

    pattern: re.Pattern[str]
    after_credit: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    """What rightsdesk knows about one agency."""

    name: str
    aliases: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    archive_retention_days: int = DEFAULT_ARCHIVE_RETENTION_DAYS
    leads_credit: bool = False
    closes_credit: bool = False
    source_file: str = ""


def load_profiles(folder: Traversable | Path) -> tuple[Profile, ...]:
    """Every *.toml profile in a folder, sorted by file name."""
    loaded: list[Profile] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            loaded.append(_read_profile(entry.name, entry.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as error:
            raise CaptionError(
                f"agency profile {entry.name} cannot be read ({error!r}); captions/README.md"
                " describes every key"
            ) from error
    return tuple(loaded)


def _read_profile(file_name: str, text: str) -> Profile:
    data = tomllib.loads(text)
    references = tuple(
        Reference(re.compile(ref["pattern"]), bool(ref.get("after_credit", False)))
        for ref in data.get("reference", [])
    )
    name = str(data["name"])
    aliases = tuple(dict.fromkeys([name, *data.get("aliases", [])]))
    return Profile(
        name=name,
        aliases=aliases,
        references=references,
        archive_retention_days=int(
            data.get("archive_retention_days", DEFAULT_ARCHIVE_RETENTION_DAYS)
        ),
        leads_credit=bool(data.get("leads_credit", False)),
        closes_credit=bool(data.get("closes_credit", False)),
        source_file=file_name,
    )


PROFILES: Final[tuple[Profile, ...]] = load_profiles(resources.files("captions") / "profiles")

_BY_KEY: Final[dict[str, Profile]] = {}
for _profile in PROFILES:
    for _alias in _profile.aliases:
        _BY_KEY.setdefault(phrase_key(_alias), _profile)


def agency_profile(name: str) -> Profile | None:
    """The profile for an agency name or any alias ("REUTERS", "picture alliance"), if known."""
    return _BY_KEY.get(phrase_key(name))


def profile_for_segment(segment: str) -> Profile | None:
    """The agency a credit segment names, decorations allowed ("© 2023 REUTERS", "AFP PHOTO")."""
    return profile_for_key(phrase_key(segment))


def profile_for_key(key: str) -> Profile | None:
    """profile_for_segment for a segment already folded with phrase_key."""
    if not key:
        return None
    found = _BY_KEY.get(key)
    if found is not None or " " not in key:
        return found
    words = key.split()
    first, last = 0, len(words)
    while first < last and (words[first] in _LEADING_DECORATION or words[first].isdigit()):
        first += 1
    while last > first + 1 and words[last - 1] in _TRAILING_DECORATION:
        last -= 1
    if (first, last) == (0, len(words)):
        return None
    return _BY_KEY.get(" ".join(words[first:last]))


def profile_prefix(text: str) -> tuple[Profile, int] | None:
    """The agency named at the start of `text`, and that name's length ("REUTERS ATTENTION...")."""
    words = text.split()
    for count in range(min(4, len(words)), 0, -1):
        candidate = " ".join(words[:count])
        found = _BY_KEY.get(phrase_key(candidate))
        if found is not None:
            length = _prefix_length(text, count)
            return found, length
    return None


def _prefix_length(text: str, word_count: int) -> int:
    """Offset just after the first `word_count` whitespace-separated words of `text`."""
    position = 0
    for _ in range(word_count):
        while position < len(text) and text[position].isspace():
            position += 1
        while position < len(text) and not text[position].isspace():
            position += 1
    return position
