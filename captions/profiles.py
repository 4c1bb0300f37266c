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
from captions.supplier_match import CloseNames
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
    # Sub-brands and collections ("Hulton Archive", "EMPICS Sport"): the agency supplies them,
    # and a credit naming one beside the agency names it as the source.
    brands: tuple[str, ...] = ()
    # Names the supplier traded under that another profile still reads in old captions
    # ("EPA" for EPA-EFE): an IPTC Source naming one names this supplier too.
    former_names: tuple[str, ...] = ()
    # A picture library that writes its name first: the names after it are the studio or
    # rights owner it holds the picture for, not a photographer ("Album / Paramount Pictures").
    owner_after: bool = False


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
        brands=tuple(str(b) for b in data.get("brands", [])),
        former_names=tuple(str(n) for n in data.get("former_names", [])),
        owner_after=bool(data.get("owner_after", False)),
    )


PROFILES: Final[tuple[Profile, ...]] = load_profiles(resources.files("captions") / "profiles")

_BY_KEY: Final[dict[str, Profile]] = {}
_BRAND_KEYS: Final[set[str]] = set()
for _profile in PROFILES:
    for _alias in _profile.aliases:
        _BY_KEY.setdefault(phrase_key(_alias), _profile)
for _profile in PROFILES:
    for _brand in _profile.brands:
        if phrase_key(_brand) not in _BY_KEY:
            _BY_KEY[phrase_key(_brand)] = _profile
            _BRAND_KEYS.add(phrase_key(_brand))
_BY_NAME: Final[dict[str, Profile]] = {profile.name: profile for profile in PROFILES}
_CLOSE: Final = CloseNames([(key, profile.name) for key, profile in _BY_KEY.items()])
# Close spellings already looked up (a bounded number of short segment keys).
_CLOSE_SEEN: Final[dict[str, Profile | None]] = {}
_MAX_CLOSE_SEEN: Final = 8192
_MAX_CLOSE_KEY: Final = 60


def agency_profile(name: str) -> Profile | None:
    """The profile for an agency name or any alias ("REUTERS", "picture alliance"), if known."""
    return _BY_KEY.get(phrase_key(name))


def profile_for_segment(segment: str) -> Profile | None:
    """The agency a credit segment names, decorations allowed ("© 2023 REUTERS", "AFP PHOTO")."""
    return profile_for_key(phrase_key(segment))


def is_brand(key: str) -> bool:
    """Whether a folded name is one of an agency's sub-brands or collections."""
    return key in _BRAND_KEYS


def profile_for_key(key: str) -> Profile | None:
    """profile_for_segment for a segment already folded with phrase_key.

    A name no profile lists exactly may be a known one joined, glued to a suffix or a letter
    off ("Gettyimages", "dpaBildfunk", "Rueters"): see supplier_match.
    """
    if not key:
        return None
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    if " " in key:
        words = key.split()
        first, last = 0, len(words)
        while first < last and (words[first] in _LEADING_DECORATION or words[first].isdigit()):
            first += 1
        while last > first + 1 and words[last - 1] in _TRAILING_DECORATION:
            last -= 1
        if (first, last) != (0, len(words)):
            found = _BY_KEY.get(" ".join(words[first:last]))
            if found is not None:
                return found
    return _close_profile(key)


def _close_profile(key: str) -> Profile | None:
    if len(key) > _MAX_CLOSE_KEY:
        return None
    if key in _CLOSE_SEEN:
        return _CLOSE_SEEN[key]
    name = _CLOSE.match(key)
    found = _BY_NAME[name] if name is not None else None
    if len(_CLOSE_SEEN) >= _MAX_CLOSE_SEEN:
        _CLOSE_SEEN.clear()
    _CLOSE_SEEN[key] = found
    return found


def same_supplier(profile: Profile, name: str) -> bool:
    """Whether `name` (an IPTC Source, say) names this supplier: an alias, a brand, a close
    spelling of one, or a name it traded under ("EPA" for EPA-EFE)."""
    key = phrase_key(name)
    if any(phrase_key(former) == key for former in profile.former_names):
        return True
    return profile_for_key(key) is profile


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
