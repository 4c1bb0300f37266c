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

from captions.tolerant import phrase_key

DEFAULT_ARCHIVE_RETENTION_DAYS = 30

# Decorations around an agency name in a credit segment: "© 2023 REUTERS", "AFP PHOTO",
# "ZUMA Press Wire". Removed before the alias lookup.
_LEADING_DECORATION = re.compile(r"^(?:©|\(c\)|copyright|photo|foto|\d{4}|\s)+", re.IGNORECASE)
_TRAILING_DECORATION = re.compile(
    r"(?:\s+(?:photo|photos|foto|fotos|pictures|images|image|wire|press|via))+$", re.IGNORECASE
)


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
    source_file: str = ""


def _load() -> tuple[Profile, ...]:
    loaded: list[Profile] = []
    folder = resources.files("captions") / "profiles"
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        references = tuple(
            Reference(re.compile(ref["pattern"]), bool(ref.get("after_credit", False)))
            for ref in data.get("reference", [])
        )
        name = str(data["name"])
        aliases = tuple(dict.fromkeys([name, *data.get("aliases", [])]))
        loaded.append(
            Profile(
                name=name,
                aliases=aliases,
                references=references,
                archive_retention_days=int(
                    data.get("archive_retention_days", DEFAULT_ARCHIVE_RETENTION_DAYS)
                ),
                source_file=entry.name,
            )
        )
    return tuple(loaded)


PROFILES: tuple[Profile, ...] = _load()

_BY_KEY: dict[str, Profile] = {}
for _profile in PROFILES:
    for _alias in _profile.aliases:
        _BY_KEY.setdefault(phrase_key(_alias), _profile)


def agency_profile(name: str) -> Profile | None:
    """The profile for an agency name or any alias ("REUTERS", "picture alliance"), if known."""
    return _BY_KEY.get(phrase_key(name))


def profile_for_segment(segment: str) -> Profile | None:
    """The agency a whole credit segment names, allowing decorations ("© 2023 REUTERS", "AFP PHOTO")."""
    key = phrase_key(segment)
    if not key:
        return None
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    trimmed = _TRAILING_DECORATION.sub("", _LEADING_DECORATION.sub("", segment)).strip()
    if trimmed and trimmed != segment:
        return _BY_KEY.get(phrase_key(trimmed))
    return None


def profile_prefix(text: str) -> tuple[Profile, int] | None:
    """The agency named at the start of `text` and the length of that name ("REUTERS ATTENTION...")."""
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
