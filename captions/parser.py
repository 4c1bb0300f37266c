"""parse_caption: caption text -> ParsedCaption, by composing the readers of each part.

Order matters: restriction phrases are found first (they bound the credit line), then the
credit line (it names agency, source, byline), then date and place from the caption body.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from importlib import resources
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
from captions.places import find_place
from captions.profiles import PROFILES, Profile
from captions.restrictions import expand_advisories, read_restrictions
from captions.text import CaptionText, as_written
from captions.tolerant import fold, is_plain, spaced_pattern, trie_pattern, word_start_trie

PARSER_VERSION: Final = "1.15.1"

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
# How a supplier named in prose is read (credit.toml [supplier_name]).
_SUPPLIER_WORDS: Final[dict[str, list[str]]] = tomllib.loads(
    (resources.files("captions") / "credit.toml").read_text("utf-8")
)["supplier_name"]
_LEAD_ARTICLE: Final = re.compile(
    r"^(?:" + "|".join(map(re.escape, _SUPPLIER_WORDS["articles"])) + r")\s+", re.IGNORECASE
)
_SUPPLIER_ALWAYS: Final = frozenset(_SUPPLIER_WORDS["always"])
_NAME_CONNECTORS: Final = frozenset(_SUPPLIER_WORDS["connectors"])
_SUPPLIER_STOP: Final = re.compile(
    r"\s(?:" + "|".join(map(re.escape, _SUPPLIER_WORDS["stop"])) + r")\s.*$"
)
_PROFILE_NAMES: Final = frozenset(profile.name for profile in PROFILES)
_START_REFERENCES: Final[tuple[tuple[Profile, re.Pattern[str]], ...]] = tuple(
    (profile, reference.pattern)
    for profile in PROFILES
    for reference in profile.references
    if not reference.after_credit and reference.pattern.pattern.startswith(("^", "(?i)^"))
)


def parse_caption(text: str) -> ParsedCaption:
    """Read a caption's agency, credit, source, byline, flags, date, place and restrictions."""
    caption = CaptionText(text)
    hits = _phrases(caption)
    names, credit = _credit(caption, hits)
    profile, agency = _agency(text, names, credit)
    reference = agency_reference(text, profile, credit)
    reading = read_restrictions(text, hits, _credit_end(credit, reference))
    rare_wording = caption.spaced is None or _RARE_WORDING.search(caption.spaced) is not None
    handout = (credit is not None and credit.handout) or (
        rare_wording and _says_handout(caption, hits)
    )
    source, byline = _supplier_and_byline(caption, names, credit, agency, handout, rare_wording)
    date, place = _date_and_place(caption, names, credit, hits, rare_wording)
    return ParsedCaption(
        agency=agency,
        agency_ref=reference[0] if reference is not None else None,
        credit_line=text[credit.start : credit.end] if credit is not None else None,
        source=source,
        byline=byline,
        handout=handout,
        pool=(credit.pool if credit is not None else False) or _says_pool(caption),
        date=date,
        place=place,
        restrictions=reading.restrictions,
        embargo_until=reading.embargo_until,
        territories=reading.territories,
        unrecognised=reading.unrecognised,
        restriction_text=reading.restriction_text,
        kill=reading.kill,
        parser_version=PARSER_VERSION,
    )


def _phrases(caption: CaptionText) -> list[Hit]:
    """Every lexicon phrase, also those hidden by invisible characters, look-alike letters or
    spacing (read once more from the caption's normal form, at the caption's own offsets)."""
    text = caption.original
    hits = scan(text, caption.folded, caption.spaced)
    if not is_plain(text, caption.spaced):
        norm = normalise(text, caption.spaced)
        if not norm.plain:
            hits = scan_normalised(text, norm, hits)
    return expand_advisories(text, hits)


def _credit(caption: CaptionText, hits: list[Hit]) -> tuple[str, Credit | None]:
    """The credit line, and the text its names are read from.

    A caption written all in lower case has its names read from a capitalised copy; but
    capitalised prose reads as names, so only a credit naming an agency is trusted there.
    """
    names = caption.capitalised
    credit = find_credit(names, hits, caption.folded)
    if names is not caption.original and credit is not None and not _names_an_agency(credit):
        names = caption.original
        credit = find_credit(names, hits, caption.folded)
    return names, credit


def _agency(text: str, names: str, credit: Credit | None) -> tuple[Profile | None, str | None]:
    """The distributing agency's profile and name: from the credit, else from a reference that
    opens the caption ("epa09674804 ...")."""
    party = credit.agency if credit is not None else None
    if party is not None:
        if party.profile is not None:
            return party.profile, party.profile.name
        agency = _as_written(party.name, names, text)
        if agency is not None:
            return None, agency
    profile = _profile_from_reference(text)
    return profile, profile.name if profile is not None else None


def _credit_end(credit: Credit | None, reference: tuple[str, int] | None) -> int | None:
    """Where the credit line ends, with the agency's reference after it ("(12345678a)")."""
    if credit is None:
        return None
    if reference is not None and reference[1] > credit.end:
        return reference[1]
    return credit.end


def _supplier_and_byline(
    caption: CaptionText,
    names: str,
    credit: Credit | None,
    agency: str | None,
    handout: bool,
    rare_wording: bool,
) -> tuple[str | None, str | None]:
    """Who supplied the picture and who took it, each spelt as the caption spells it."""
    text = caption.original
    source = _as_written(_source(caption, rare_wording, credit, agency, handout), names, text)
    byline = _as_written(_byline(names, caption.folded, credit), names, text)
    if byline is not None and handout and source is not None and fold(byline) == fold(source):
        # "Fotografía cedida por la Casa Real ... EFE/ Casa Real": the issuer, not a photographer.
        byline = None
    return source, byline


def _date_and_place(
    caption: CaptionText,
    names: str,
    credit: Credit | None,
    hits: list[Hit],
    rare_wording: bool,
) -> tuple[dt.date | str | None, str | None]:
    """The picture's date and its dateline place, both read from the caption body."""
    text, folded = caption.original, caption.folded
    body_end = credit.start if credit is not None else tail_start(text, hits)
    found = _caption_date(folded, hits)
    anchor = (
        found
        or find_partial_date(folded, 0, body_end, caption.spaced)
        or find_weekday(folded, 0, body_end)
    )
    undated = found is None or (rare_wording and says_undated(folded, caption.spaced))
    # A capitalised copy is trusted for places only next to a full date ("in kyiv, ukraine, 3 may").
    dateline = names if found is not None else text
    limit = _place_limit(dateline, credit, body_end, anchor, hits)
    place = _as_written(find_place(dateline, limit, anchor), dateline, text)
    return None if undated or found is None else found.value, place


def _names_an_agency(credit: Credit) -> bool:
    return credit.via or (credit.agency is not None and credit.agency.profile is not None)


def _as_written(value: str | None, names: str, text: str) -> str | None:
    """A name read from the capitalised copy, spelt as in the caption; agencies keep their name."""
    if value in _PROFILE_NAMES:
        return value
    return as_written(value, names, text)


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


def _says_handout(caption: CaptionText, hits: list[Hit]) -> bool:
    """'handout', 'provided by', 'courtesy' outside advisories ('PROVIDED BY A THIRD PARTY')."""
    if caption.spaced is not None and _HANDOUT_CLUE.search(caption.spaced) is None:
        return False
    folded = caption.folded
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


def _says_pool(caption: CaptionText) -> bool:
    return "pool" in caption.folded and _POOL_WORDS.search(caption.original) is not None


def _source(
    caption: CaptionText,
    rare_wording: bool,
    credit: Credit | None,
    agency: str | None,
    handout: bool,
) -> str | None:
    """The furthest-back named supplier; the agency itself when nobody else is named."""
    if credit is not None:
        supplier = credit.supplier
        if supplier is not None:
            return supplier
    named = None
    if rare_wording and _may_name_supplier(caption.folded, caption.spaced):
        named = _named_supplier(caption.original, caption.folded, credit, handout)
    if named is not None:
        return named
    if credit is not None and credit.handout and _agency_distributes(credit):
        # "Handout via REUTERS": the issuer is not named; Reuters only distributes.
        return None
    return agency


def _agency_distributes(credit: Credit) -> bool:
    return credit.agency is not None and credit.agency.profile is not None


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
