"""parse_caption: caption text -> ParsedCaption, by composing the readers of each part.

Order matters: restriction phrases are found first (they bound the credit line), then the
credit line (it names agency, source, byline), then date and place from the caption body.
"""

from __future__ import annotations

import re
from typing import Final

from captions.credit import Credit, agency_reference, find_credit, tail_start
from captions.dates import (
    UNDATED_WORDS,
    FoundDate,
    find_date,
    find_partial_date,
    find_weekday,
    is_picture_date,
    says_undated,
)
from captions.lexicon import Hit, Kind, scan, scan_normalised
from captions.model import ParsedCaption
from captions.normalise import normalise
from captions.parties import PROVIDED_PHRASES, SUPPLIER_PHRASES
from captions.places import LOWER_CASE_WORDS, find_place
from captions.profiles import PROFILES, Profile
from captions.restrictions import expand_advisories, read_restrictions
from captions.tolerant import fold, spaced, spaced_pattern, trie_pattern, word_start_trie

PARSER_VERSION: Final = "1.15.0"

# Over the folded caption (lower case, no accents): one pass, offsets the caption's own.
_HANDOUT_WORDS: Final = re.compile(
    word_start_trie(list(map(re.escape, fold(p))) for p in PROVIDED_PHRASES) + r"(?!\w)"
)
# Over the spaced caption (see tolerant.spaced): where the two patterns above can match, and more.
_HANDOUT_CLUE: Final = spaced_pattern(list(map(re.escape, fold(p))) for p in PROVIDED_PHRASES)
_SUPPLIER_PHRASE_CLUE: Final = spaced_pattern(
    list(map(re.escape, fold(p))) for p in SUPPLIER_PHRASES
)
# Handout, supplier and undated-picture wording is rare: one pass rules all three out at once.
_RARE_WORDING: Final = spaced_pattern(
    list(map(re.escape, fold(p))) for p in (*PROVIDED_PHRASES, *SUPPLIER_PHRASES, *UNDATED_WORDS)
)
_POOL_WORDS: Final = re.compile(r"(?<!\w)(?:(?i:pool) (?i:photo|picture|image)|POOL|Pool)(?!\w)")
# Over the folded caption; the supplier's name is then read from the caption as written.
_SUPPLIER: Final = re.compile(
    r"(?<!\w)(?:"
    + trie_pattern(list(map(re.escape, fold(p))) for p in SUPPLIER_PHRASES)
    + r")\s+(?P<who>[^.,;()\n]{2,80})"
)
_SUPPLIER_CLUE: Final = re.compile(
    trie_pattern(list(map(re.escape, w)) for w in {fold(p.split()[0]) for p in SUPPLIER_PHRASES})
)
_LEAD_ARTICLE: Final = re.compile(
    r"^(?:the|a|an|la|el|los|las|le|les|l'|il|lo|gli|der|die|das|dem|den|o|os|as|do|da|dos|das)\s+",
    re.IGNORECASE,
)
_SUPPLIER_ALWAYS: Final = {"provided", "courtesy", "released", "handout"}
_NAME_CONNECTORS: Final = {
    "of",
    "de",
    "del",
    "della",
    "di",
    "du",
    "des",
    "do",
    "da",
    "dos",
    "for",
    "and",
}
_SUPPLIER_STOP: Final = re.compile(
    r"\s(?:on|in|at|shows|showing|and|via|to|as|which|that|who|of the event|during|from)\s.*$"
)
_WORD: Final = re.compile(r"(?<![\w'’])[^\W\d_]+")
_PROFILE_NAMES: Final = frozenset(profile.name for profile in PROFILES)
_START_REFERENCES: Final[tuple[tuple[Profile, re.Pattern[str]], ...]] = tuple(
    (profile, reference.pattern)
    for profile in PROFILES
    for reference in profile.references
    if not reference.after_credit and reference.pattern.pattern.startswith(("^", "(?i)^"))
)


def parse_caption(text: str) -> ParsedCaption:
    """Read a caption's agency, credit, source, byline, flags, date, place and restrictions."""
    folded = fold(text)
    spaced_text = spaced(folded)
    hits = scan(text, folded, spaced_text)
    # Phrases hidden by invisible characters, look-alike letters or spacing: read once more from
    # the caption's normal form, at the caption's own offsets.
    norm = normalise(text, spaced_text)
    if not norm.plain:
        hits = scan_normalised(text, norm, hits)
    hits = expand_advisories(text, hits)
    # A caption written all in lower case has its names read from a capitalised copy: the same
    # length, so every offset holds, and every name is returned as the caption spells it.
    names = _capitalised(text)
    credit = find_credit(names, hits, folded)
    if names is not text and credit is not None and not _names_an_agency(credit):
        # Capitalised prose reads as names: only a credit naming an agency is trusted.
        names, credit = text, find_credit(text, hits, folded)
    agency_party = credit.agency if credit is not None else None
    profile = agency_party.profile if agency_party is not None else None
    agency = None
    if agency_party is not None:
        agency = (
            profile.name if profile is not None else _as_written(agency_party.name, names, text)
        )
    if agency is None:
        profile = _profile_from_reference(text)
        agency = profile.name if profile is not None else None
    reference = agency_reference(text, profile, credit)
    credit_end = credit.end if credit is not None else None
    if credit_end is not None and reference is not None and reference[1] > credit_end:
        credit_end = reference[1]
    reading = read_restrictions(text, hits, credit_end)
    body_end = credit.start if credit is not None else tail_start(text, hits)
    handout_in_chain = credit.handout if credit is not None else False
    rare_wording = spaced_text is None or _RARE_WORDING.search(spaced_text) is not None
    handout = handout_in_chain or (rare_wording and _says_handout(folded, spaced_text, hits))
    pool = (credit.pool if credit is not None else False) or _says_pool(text, folded)
    source = _as_written(
        _source(text, folded, spaced_text, rare_wording, credit, agency, handout_in_chain, handout),
        names,
        text,
    )
    byline = _as_written(_byline(names, folded, credit), names, text)
    if byline is not None and handout and source is not None and fold(byline) == fold(source):
        # "Fotografía cedida por la Casa Real ... EFE/ Casa Real": the issuer, not a photographer.
        byline = None
    found = _caption_date(folded, hits)
    anchor = (
        found
        or find_partial_date(folded, 0, body_end, spaced_text)
        or find_weekday(folded, 0, body_end)
    )
    # A capitalised copy is trusted for places only next to a full date ("in kyiv, ukraine, 3 may").
    dateline = names if found is not None else text
    return ParsedCaption(
        agency=agency,
        agency_ref=reference[0] if reference is not None else None,
        credit_line=text[credit.start : credit.end] if credit is not None else None,
        source=source,
        byline=byline,
        handout=handout,
        pool=pool,
        date=None
        if found is None or (rare_wording and says_undated(folded, spaced_text))
        else found.value,
        place=_as_written(
            find_place(dateline, _place_limit(dateline, credit, body_end, anchor, hits), anchor),
            dateline,
            text,
        ),
        restrictions=reading.restrictions,
        embargo_until=reading.embargo_until,
        territories=reading.territories,
        unrecognised=reading.unrecognised,
        restriction_text=reading.restriction_text,
        kill=reading.kill,
        parser_version=PARSER_VERSION,
    )


def _capitalised(text: str) -> str:
    """`text` with each word capitalised when it has no capital letter at all, else `text`."""
    if not text.islower():
        return text
    capitalised = _WORD.sub(_capitalise, text)
    return capitalised if len(capitalised) == len(text) else text


def _names_an_agency(credit: Credit) -> bool:
    return credit.via or (credit.agency is not None and credit.agency.profile is not None)


def _capitalise(match: re.Match[str]) -> str:
    word = match.group()
    return word if word in LOWER_CASE_WORDS else word[0].upper() + word[1:]


def _as_written(value: str | None, names: str, text: str) -> str | None:
    """A name read from the capitalised copy, spelt as in the caption; agencies keep their name."""
    if value is None or names is text or value in _PROFILE_NAMES:
        return value
    position = names.find(value)
    return value if position == -1 else text[position : position + len(value)]


def _byline(text: str, folded: str, credit: Credit | None) -> str | None:
    """The photographer, spelt as the caption spells the name elsewhere in mixed case, if it does.

    "(Photo by Johan ORDONEZ / AFP) (Photo by JOHAN ORDONEZ/AFP via Getty Images)" -> the agency
    upper-cases names in its own credit; the first spelling is the photographer's.
    """
    name = credit.byline if credit is not None else None
    if name is None or name != name.upper():
        return name
    key = fold(name)
    position = folded.find(key)
    while position != -1:
        spelling = text[position : position + len(name)]
        if spelling != spelling.upper():
            return spelling
        position = folded.find(key, position + 1)
    return name


def _profile_from_reference(text: str) -> Profile | None:
    """A caption that opens with an agency reference ("epa09674804 ...") names its agency."""
    for profile, pattern in _START_REFERENCES:
        if pattern.search(text):
            return profile
    return None


def _says_handout(folded: str, spaced_text: bytes | None, hits: list[Hit]) -> bool:
    """'handout', 'provided by', 'courtesy' outside advisories ('PROVIDED BY A THIRD PARTY')."""
    if spaced_text is not None and _HANDOUT_CLUE.search(spaced_text) is None:
        return False
    first = _HANDOUT_WORDS.search(folded)
    if first is None:
        return False
    advisories = [(hit.start, hit.end) for hit in hits if hit.kind is Kind.ADVISORY]
    if not advisories:
        return True
    index = 0
    for match in _HANDOUT_WORDS.finditer(folded, first.start()):
        while index < len(advisories) and advisories[index][1] <= match.start():
            index += 1
        if index == len(advisories) or match.start() < advisories[index][0]:
            return True
    return False


def _says_pool(text: str, folded: str) -> bool:
    return "pool" in folded and _POOL_WORDS.search(text) is not None


def _source(
    text: str,
    folded: str,
    spaced_text: bytes | None,
    rare_wording: bool,
    credit: Credit | None,
    agency: str | None,
    handout_in_chain: bool,
    handout: bool,
) -> str | None:
    """The furthest-back named supplier; the agency itself when nobody else is named."""
    if credit is not None:
        supplier = credit.supplier
        if supplier is not None:
            return supplier
    named = None
    if rare_wording and _may_name_supplier(folded, spaced_text):
        named = _named_supplier(text, folded, credit, handout)
    if named is not None:
        return named
    distributor = credit.agency if credit is not None else None
    if handout_in_chain and distributor is not None and distributor.profile is not None:
        # "Handout via REUTERS": the issuer is not named; Reuters only distributes.
        return None
    return agency


def _may_name_supplier(folded: str, spaced_text: bytes | None) -> bool:
    """False when no supplier phrase occurs, read cheaply; True when one might."""
    if spaced_text is not None:
        return _SUPPLIER_PHRASE_CLUE.search(spaced_text) is not None
    return _SUPPLIER_CLUE.search(folded) is not None


def _named_supplier(text: str, folded: str, credit: Credit | None, handout: bool) -> str | None:
    """'in this photo provided by the ministry' -> the ministry, named in full if said earlier.

    Words such as "issued by" name a supplier only in a handout ("a warning issued by police").
    """
    limit = credit.start if credit is not None else len(text)
    match = _SUPPLIER.search(folded, 0, limit)
    if match is None:
        return None
    if not handout and match.group().split()[0] not in _SUPPLIER_ALWAYS:
        return None
    who = _SUPPLIER_STOP.sub("", text[match.start("who") : match.end("who")]).strip()
    who = _LEAD_ARTICLE.sub("", who)
    if who[:1].isupper():
        who = _capitalised_run(who)
    if not who or len(who.split()) > 8 or who.lower().startswith(("a third", "third", "source")):
        return None
    if who.islower() and len(who.split()) == 1:
        earlier = re.findall(
            r"\bthe\s+([\w-]+\s+" + re.escape(who) + r")\b", text[: match.start()], re.I
        )
        if earlier:
            return earlier[-1]
        # "released by the family": a common noun names nobody.
        return None
    return who


def _capitalised_run(text: str) -> str:
    """'Casa Real del rey Felipe VI' -> 'Casa Real'; 'Ministry of Defence said' -> 'Ministry of
    Defence': capitalised words, and connectors between them."""
    words = text.split()
    kept: list[str] = []
    index = 0
    connected = False
    while index < len(words):
        word = words[index]
        if word[:1].isupper():
            kept.append(word)
            index += 1
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if kept and not connected and word.lower() in _NAME_CONNECTORS and following[:1].isupper():
            # One connector: "Ministry of Defence", not "Ministry of Defence of British troops".
            kept.append(word)
            connected = True
            index += 1
            continue
        break
    return " ".join(kept) if kept else text


def _place_limit(
    text: str, credit: Credit | None, body_end: int, anchor: FoundDate | None, hits: list[Hit]
) -> int:
    """Where the dateline may be read up to: the credit, unless the caption follows it.

    "Mandatory Credit: Photo by Jane Doe/Shutterstock (1234a)\nQueen Elizabeth II at Royal
    Ascot, Ascot, UK - 20 Jun 2018": the dated caption comes after the credit line.
    """
    if credit is not None and anchor is not None and anchor.start >= credit.end:
        return tail_start(text, hits)
    return body_end


def _caption_date(folded: str, hits: list[Hit]) -> FoundDate | None:
    """The first date in the caption that is not part of a restriction (an embargo's date)."""
    position = 0
    while True:
        found = find_date(folded, position, len(folded))
        if found is None:
            return None
        inside = bool(hits) and any(hit.start <= found.start < hit.end for hit in hits)
        if not inside and is_picture_date(folded, found):
            return found
        position = found.end
