"""parse_caption: caption text -> ParsedCaption, by composing the readers of each part.

Order matters: restriction phrases are found first (they bound the credit line), then the
credit line (it names agency, source, byline), then date and place from the caption body.
"""

from __future__ import annotations

import re

from captions.credit import Credit, agency_reference, find_credit, tail_start
from captions.dates import FoundDate, find_date, find_partial_date, says_undated
from captions.lexicon import Hit, scan
from captions.model import ParsedCaption
from captions.parties import PROVIDED_PHRASES
from captions.places import find_place
from captions.profiles import PROFILES, Profile
from captions.restrictions import expand_advisories, read_restrictions

PARSER_VERSION = "1.0.0"

_HANDOUT_WORDS = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(PROVIDED_PHRASES, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_POOL_WORDS = re.compile(r"(?<!\w)(?:(?i:pool) (?i:photo|picture|image)|POOL|Pool)(?!\w)")
_SUPPLIER = re.compile(
    r"(?<!\w)(?:provided by|courtesy of|released by|handout (?:photo|picture|image) (?:from|by))\s+"
    r"(?P<who>[^.,;()\n]{2,80})",
    re.IGNORECASE,
)
_SUPPLIER_STOP = re.compile(
    r"\s(?:on|in|at|shows|showing|and|via|to|as|which|that|who|of the event|during|from)\s.*$"
)
_START_REFERENCES: tuple[tuple[Profile, re.Pattern[str]], ...] = tuple(
    (profile, reference.pattern)
    for profile in PROFILES
    for reference in profile.references
    if not reference.after_credit and reference.pattern.pattern.startswith(("^", "(?i)^"))
)


def parse_caption(text: str) -> ParsedCaption:
    """Read a caption's agency, credit, source, byline, flags, date, place and restrictions."""
    hits = expand_advisories(text, scan(text))
    credit = find_credit(text, hits)
    agency_party = credit.agency if credit is not None else None
    profile = agency_party.profile if agency_party is not None else None
    agency = agency_party.name if agency_party is not None else None
    if agency is None:
        profile = _profile_from_reference(text)
        agency = profile.name if profile is not None else None
    reading = read_restrictions(text, hits, credit.end if credit is not None else None)
    body_end = credit.start if credit is not None else tail_start(text, hits)
    handout_in_chain = credit.handout if credit is not None else False
    handout = handout_in_chain or _says_handout(text, hits)
    pool = (credit.pool if credit is not None else False) or _says_pool(text)
    source = _source(text, credit, agency, handout_in_chain)
    found = _caption_date(text, hits, body_end)
    anchor = found or find_partial_date(text, 0, body_end)
    return ParsedCaption(
        agency=agency,
        agency_ref=agency_reference(text, profile, credit),
        credit_line=credit.text if credit is not None else None,
        source=source,
        byline=credit.byline if credit is not None else None,
        handout=handout,
        pool=pool,
        date=None if found is None or says_undated(text) else found.value,
        place=find_place(text, body_end, anchor),
        restrictions=reading.restrictions,
        embargo_until=reading.embargo_until,
        territories=reading.territories,
        unrecognised=reading.unrecognised,
        restriction_text=reading.restriction_text,
        kill=reading.kill,
        parser_version=PARSER_VERSION,
    )


def _profile_from_reference(text: str) -> Profile | None:
    """A caption that opens with an agency reference ("epa09674804 ...") names its agency."""
    for profile, pattern in _START_REFERENCES:
        if pattern.search(text):
            return profile
    return None


def _says_handout(text: str, hits: list[Hit]) -> bool:
    """'handout', 'provided by', 'courtesy' outside advisories ('PROVIDED BY A THIRD PARTY')."""
    for match in _HANDOUT_WORDS.finditer(text):
        if not any(hit.start <= match.start() < _sentence_reach(text, hit) for hit in hits):
            return True
    return False


def _sentence_reach(text: str, hit: Hit) -> int:
    stop = text.find(".", hit.end)
    return len(text) if stop == -1 else stop


def _says_pool(text: str) -> bool:
    return _POOL_WORDS.search(text) is not None


def _source(text: str, credit: Credit | None, agency: str | None, handout_in_chain: bool) -> str | None:
    """The furthest-back named supplier; the agency itself when nobody else is named."""
    if credit is not None:
        supplier = credit.supplier
        if supplier is not None:
            return supplier
    named = _named_supplier(text, credit)
    if named is not None:
        return named
    if handout_in_chain:
        return None
    return agency


def _named_supplier(text: str, credit: Credit | None) -> str | None:
    """'in this photo provided by the ministry' -> the ministry (named in full earlier if possible)."""
    limit = credit.start if credit is not None else len(text)
    match = _SUPPLIER.search(text, 0, limit)
    if match is None:
        return None
    who = _SUPPLIER_STOP.sub("", match.group("who")).strip()
    who = re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.IGNORECASE)
    if not who or len(who.split()) > 8 or who.lower().startswith(("a third", "third", "source")):
        return None
    if who.islower() and len(who.split()) == 1:
        earlier = re.findall(r"\bthe\s+([\w-]+\s+" + re.escape(who) + r")\b", text[: match.start()], re.I)
        if earlier:
            return earlier[-1]
    return who


def _caption_date(text: str, hits: list[Hit], limit: int) -> FoundDate | None:
    """The first date in the caption that is not part of a restriction (an embargo's date)."""
    position = 0
    while True:
        found = find_date(text, position, len(text))
        if found is None:
            return None
        if not any(hit.start <= found.start < hit.end for hit in hits):
            return found
        position = found.end
