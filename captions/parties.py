"""Who a credit segment names: an agency, an organisation, a photographer, or only a tag.

"EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT" has an agency, an organisation and a
handout tag; "REUTERS/Gleb Garanich" an agency and a photographer. Word lists live in
credit.toml; agencies in profiles/.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Final

from captions.profiles import Profile, is_brand, profile_for_key, profile_for_segment
from captions.tolerant import phrase_key

_DATA: Final = tomllib.loads((resources.files("captions") / "credit.toml").read_text("utf-8"))

_SEGMENT_WORDS: Final[dict[str, list[str]]] = _DATA["segment"]


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, words))


_HANDOUT_TAGS: Final = {phrase_key(t) for t in _DATA["tags"]["handout"]}
_POOL_TAGS: Final = {phrase_key(t) for t in _DATA["tags"]["pool"]}
_PLAIN_TAGS: Final = {phrase_key(t) for t in _DATA["tags"]["plain"]}
INSTRUCTION_WORDS: Final = frozenset(_DATA["tags"]["instruction_words"])
AFTER_PHOTOGRAPHER: Final = {phrase_key(t) for t in _DATA["tags"]["after_photographer"]}
SUBJECT_NOTES: Final = {phrase_key(t) for t in _DATA["tags"]["subject_notes"]}
_ORGANISATION_WORDS: Final = {w.casefold() for w in _DATA["organisations"]["words"]}
_ORGANISATION_ENDINGS: Final = tuple(w.casefold() for w in _DATA["organisations"]["endings"])
_PARTICLES: Final = {w.casefold() for w in _DATA["organisations"]["name_particles"]}
_SURNAME_WORDS: Final = {w.casefold() for w in _DATA["organisations"]["surnames"]}
_GIVEN_NAMES: Final = {w.casefold() for w in _DATA["organisations"]["given_names"]}
MARKERS: Final[tuple[str, ...]] = tuple(_DATA["markers"]["strip"])
PROVIDED_PHRASES: Final[tuple[str, ...]] = tuple(_DATA["provided"]["handout"])
SUPPLIER_PHRASES: Final[tuple[str, ...]] = tuple(_DATA["provided"]["supplier"])
_SUPPLIED_BY: Final = re.compile(
    r"^(?:(?P<courtesy>"
    + "|".join(re.escape(p) for p in sorted(_DATA["tags"]["courtesy"], key=len, reverse=True))
    + r")|"
    + "|".join(re.escape(p) for p in sorted(_DATA["tags"]["supplied_by"], key=len, reverse=True))
    + r"):?\s+(?=\S)",
    re.IGNORECASE,
)
_RANK: Final = re.compile(
    r"^(?:(?:"
    + "|".join(re.escape(r) for r in sorted(_DATA["tags"]["ranks"], key=len, reverse=True))
    + r"|\d(?:st|nd|rd|th)\s+Class)\s+)+",
    re.IGNORECASE,
)
_PICTURE_WORD_AFTER: Final = re.compile(
    r"\s+(?:" + _alternation(_SEGMENT_WORDS["picture_after"]) + r")$", re.IGNORECASE
)
_HO_PREFIX: Final = re.compile(r"^HO\s*[-–]\s*(?=\S)")
_PHOTO_WORD: Final = re.compile(
    r"^(?:" + _alternation(_SEGMENT_WORDS["photo_before"]) + r")\s+(?=[A-Z])"
)
_ARTICLE: Final = re.compile(
    r"^(?:" + _alternation(_SEGMENT_WORDS["articles"]) + r")\s+", re.IGNORECASE
)
_FOR: Final = re.compile(r"\s+for\s+(?=\S)")
_OWNERSHIP: Final = re.compile(r"^(?:©|\(c\)|copyright\b|\d{4}\b|\s)+", re.IGNORECASE)

_TAG_WORD: Final = re.compile(
    r"\b(?:handout|pool)(?:\s+(?:photo|picture|image|foto))?\b|\bfile photo\b", re.IGNORECASE
)
_PICTURE_WORDS: Final = re.compile(
    r"^(?:(?:"
    + _alternation(_SEGMENT_WORDS["picture_kinds"])
    + r")\s+)?(?:"
    + _alternation(_SEGMENT_WORDS["picture_nouns"])
    + r")$",
    re.IGNORECASE,
)
_INITIALS: Final = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]{1,2}\.?$")
_NAME_WORD: Final = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?$")


class Role(StrEnum):
    AGENCY = "agency"
    ORGANISATION = "organisation"
    PERSON = "person"
    TAG = "tag"


class Party:
    """One credit segment read: its role, the name it gives, and the flags it raises.

    Shared between captions from a cache (read_segment), so never changed: `Final` attributes.
    """

    __slots__ = ("handout", "name", "pool", "profile", "role")

    def __init__(
        self,
        role: Role,
        name: str,
        profile: Profile | None = None,
        handout: bool = False,
        pool: bool = False,
    ) -> None:
        self.role: Final = role
        self.name: Final = name
        self.profile: Final = profile
        self.handout: Final = handout
        self.pool: Final = pool


@lru_cache(maxsize=4096)
def read_segment(segment: str) -> Party:
    """Classify one credit segment ("Navy handout" -> organisation "Navy", handout).

    Cached: agencies and desks recur in nearly every caption of a feed ("REUTERS", "AP Photo",
    "Getty Images"); a Party is immutable. The readings are tried in order: a prefix that says
    who supplied ("HO-", "Courtesy of"), a tag after a comma, a tag alone, an agency, tag words
    around a name, and last a name (a photographer or an organisation).
    """
    text = _named_part(segment)
    prefixed = _prefixed(text)
    if prefixed is not None:
        return prefixed
    key = phrase_key(text)
    if not key:
        return Party(Role.TAG, "")
    party = _with_comma_tag(text) if ", " in text else None
    if party is None:
        party = _tag(key)
    if party is None:
        party = _agency(text, key)
    if party is None:
        party = _with_tag_words(text, key)
    return party if party is not None else _name(text)


def _named_part(segment: str) -> str:
    """The segment without brackets, punctuation around it, and a copyright notice."""
    text = _unbracket(segment.strip(" ,;:-–"))
    if "©" in text:
        before = text[: text.index("©")].rstrip()
        named = before.strip(" ,;:-–")
        # "UK MOD © Crown copyright 2024": the party is named before the notice; in "Satellite
        # image ©2024 Maxar Technologies" and "Credit Image: © Name/ZUMA" the owner follows it.
        if named[:1].isupper() and not before.endswith(":") and not _PICTURE_WORDS.match(named):
            text = named
        else:
            text = text[text.index("©") :]
    if text[:1] in "©(Cc0123456789":
        text = _OWNERSHIP.sub("", text)
    return text


def _prefixed(text: str) -> Party | None:
    """A handout prefix or a supplied-by lead, then the party it names."""
    handout_prefix = _HO_PREFIX.match(text)
    if handout_prefix is not None and handout_prefix.end() < len(text):
        # "THE CANADIAN PRESS/HO-Department of National Defence": a handout from the department.
        inner = read_segment(text[handout_prefix.end() :])
        role = Role.ORGANISATION if inner.role is Role.PERSON else inner.role
        return Party(role, inner.name, inner.profile, True, inner.pool)
    supplied = _SUPPLIED_BY.match(text)
    if supplied is not None:
        inner = read_segment(_ARTICLE.sub("", text[supplied.end() :]))
        courtesy = supplied.group("courtesy") is not None
        role = Role.ORGANISATION if inner.role is Role.PERSON else inner.role
        return Party(role, inner.name, inner.profile, inner.handout or courtesy, inner.pool)
    return None


def _with_comma_tag(text: str) -> Party | None:
    """AP's "Evan Vucci, Pool" and "Vincent Yu, File": a name, then a tag after a comma."""
    head, _, tail = text.rpartition(", ")
    tail_key = phrase_key(tail)
    if tail_key not in _HANDOUT_TAGS and tail_key not in _POOL_TAGS and tail_key not in _PLAIN_TAGS:
        return None
    inner = read_segment(head)
    return Party(
        inner.role,
        inner.name,
        inner.profile,
        inner.handout or tail_key in _HANDOUT_TAGS,
        inner.pool or tail_key in _POOL_TAGS,
    )


def _tag(key: str) -> Party | None:
    """A segment that is only a tag: "HANDOUT", "POOL", "File"."""
    if key in _HANDOUT_TAGS:
        return Party(Role.TAG, "", handout=True)
    if key in _POOL_TAGS:
        return Party(Role.TAG, "", pool=True)
    if key in _PLAIN_TAGS:
        return Party(Role.TAG, "")
    return None


def _agency(text: str, key: str) -> Party | None:
    """An agency by its name, with a word for the picture after it, or working for a client."""
    profile = profile_for_key(key)
    if profile is None and " " in key:
        # "AFP pic", "Reuters file photo": an agency, then a word for the picture.
        bare = _PICTURE_WORD_AFTER.sub("", text)
        if bare != text:
            profile = profile_for_key(phrase_key(bare))
    if profile is not None:
        # A sub-brand keeps its name: beside its agency it is the source ("Hulton Archive").
        return Party(Role.AGENCY, text if is_brand(key) else profile.name, profile)
    commissioned = _FOR.search(text) if " for " in text else None
    if commissioned is not None:
        # "Getty Images for Mercedes-Benz Fashion Week": the agency, working for a client.
        profile = profile_for_segment(text[: commissioned.start()])
        if profile is not None:
            return Party(Role.AGENCY, text, profile)
    return None


def _with_tag_words(text: str, key: str) -> Party | None:
    """'Navy handout', 'Kremlin Pool Photo': the party named around handout or pool words."""
    if not ("andout" in key or "pool" in key or "file photo" in key) or not _TAG_WORD.search(text):
        return None
    lowered = text.lower()
    handout = "handout" in lowered
    pool = "pool" in lowered
    stripped = _TAG_WORD.sub(" ", text)
    stripped = " ".join(stripped.split()).strip(" ,;:-–")
    if not stripped:
        return Party(Role.TAG, "", handout=handout, pool=pool)
    if stripped == text:
        return None
    inner = read_segment(stripped)
    return Party(
        inner.role, inner.name, inner.profile, handout or inner.handout, pool or inner.pool
    )


def _name(text: str) -> Party:
    """A photographer (after a rank or a word for photo), else an organisation."""
    rank = _RANK.match(text) if text.count(" ") >= 2 else None
    if rank is not None and is_person(text[rank.end() :]):
        # "Spc. Kevin Garcia", "LPhot Chris Sellars": the rank is no part of the name.
        return Party(Role.PERSON, text[rank.end() :])
    if is_person(text):
        return Party(Role.PERSON, text)
    photo_word = _PHOTO_WORD.match(text)
    if photo_word is not None and is_person(text[photo_word.end() :]):
        # LaPresse's "Foto Roberto Monaldo / LaPresse": the word for photo, then the name.
        return Party(Role.PERSON, text[photo_word.end() :])
    return Party(Role.ORGANISATION, text)


def is_brand_party(party: Party) -> bool:
    """Whether a party is an agency's sub-brand or collection, named as the credit writes it."""
    return party.profile is not None and is_brand(phrase_key(party.name))


def _unbracket(text: str) -> str:
    """'(Yonhap)' -> 'Yonhap'; 'WANA (West Asia News Agency)' keeps its own brackets."""
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text[1:-1].strip()
    if text.endswith(")") and text.count(")") > text.count("("):
        return text[:-1].strip()
    if text.startswith("(") and text.count("(") > text.count(")"):
        return text[1:].strip()
    return text


def is_person(text: str) -> bool:
    """A photographer's name: two to four name words, no organisation word ("Erik S. Lesser")."""
    words = text.split()
    named = 0
    if not 2 <= len(words) <= 5 or words[0].casefold() == "the":
        return False
    for index, word in enumerate(words):
        bare = word.strip(",")
        key = bare.casefold()
        organisation = key in _ORGANISATION_WORDS or key.endswith(_ORGANISATION_ENDINGS)
        if organisation and not _surname_after_given_name(words, index, key):
            return False
        if key in _PARTICLES and bare.islower():
            continue
        if _INITIALS.match(bare):
            named += 1
            continue
        if not _NAME_WORD.match(bare) or not bare[0].isupper():
            return False
        named += 1
    return named >= 2


def _surname_after_given_name(words: list[str], index: int, key: str) -> bool:
    """'Carl Court': an organisation word that is also a surname, last, after a given name."""
    return (
        index == len(words) - 1
        and index > 0
        and key in _SURNAME_WORDS
        and words[0].strip(",").casefold() in _GIVEN_NAMES
    )


def is_name_word(word: str) -> bool:
    """A word that can be part of a photographer's name (capitalised, an initial, a particle)."""
    bare = word.strip(",")
    if not bare:
        return False
    if bare.casefold() in _PARTICLES or _INITIALS.match(bare):
        return True
    return (
        bool(_NAME_WORD.match(bare))
        and bare[0].isupper()
        and bare.casefold() not in _ORGANISATION_WORDS
    )


def is_particle(word: str) -> bool:
    return word.casefold() in _PARTICLES
