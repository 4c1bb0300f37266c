"""Read a credit chain into parties: who took, supplied and distributes the picture.

A credit line is a chain: "Name/Supplier/Handout via AGENCY/File Photo", "AFP PHOTO / NAME",
"Name/AFP via Getty Images", "Aris Messinis - AFP", "AFP-Yonhap". The distributor is the party
after "via", else the agency that leads or closes the chain (see the profiles); the source is the
furthest-back other named party; the byline is the first person.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Final

from captions.lexicon import RESTRICTION_CUE, Hit, Kind
from captions.libraries import owners_after_library
from captions.normalise import readable_word
from captions.parties import (
    AFTER_PHOTOGRAPHER,
    INSTRUCTION_WORDS,
    MARKERS,
    SUBJECT_NOTES,
    Party,
    Role,
    is_brand_party,
    is_name_word,
    is_particle,
    is_person,
    read_segment,
)
from captions.profiles import profile_for_segment, profile_prefix
from captions.tolerant import fold, phrase_key, trie_pattern

# The chain's own words (credit.toml [chain]): sentence words, joiners, connectors.
_WORDS: Final[dict[str, list[str]]] = tomllib.loads(
    (resources.files("captions") / "credit.toml").read_text("utf-8")
)["chain"]


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, words))


def marker_atoms(marker: str) -> list[str]:
    """Regex atoms of a credit marker: its characters, a space optional ("Photo:"/"Photo :")."""
    return [r"\s?" if ch == " " else re.escape(ch) for ch in marker]


MARKER: Final = re.compile(
    r"(?:" + trie_pattern(marker_atoms(m) for m in MARKERS) + r")\s*", re.IGNORECASE
)
_VIA: Final = re.compile(r",?\s+via\s+|^via\s+|(?<=/)via\s+", re.IGNORECASE)
# "\s*[/|]\s*", written to open with a character class: tried only where a space or slash is.
_SLASH: Final = re.compile(r"[\s/|](?:(?<=[/|])|\s*[/|])\s*")
_REFERENCE_GROUP: Final = re.compile(r"\s*\(\d{5,9}[a-zA-Z]{0,3}\)")
_JOINED_DASH: Final = re.compile(r"(?<=[a-z])-(?=[A-Z])")
_SPACED_SEPARATOR: Final = re.compile(r"\s/\s|\s[-–]\s")
_DASHES: Final = "-–—"
_WORD: Final = re.compile(r"\S+")
_SENTENCE_WORDS: Final = frozenset(_WORDS["sentence_words"])
_MIXED_ID: Final = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
_PICTURE_ID: Final = re.compile(r"(?=[A-Z_]*\d)(?=\d*[A-Z])[A-Z0-9_]+")
_OWNER_PHOTO_BY: Final = re.compile(
    r"(?P<owner>[^\W\d_][^/()\n]{1,40}?)\s+(?:"
    + _alternation(_WORDS["owner_photo"])
    + r")\s+(?:"
    + _alternation(_WORDS["owner_by"])
    + r")\s+",
    re.IGNORECASE,
)
# "(Supplied: NSW Rural Fire Service)": the credit names who supplied the picture.
_SUPPLIED_START: Final = re.compile(r"(?:courtesy|supplied(?: by)?:?|provided by)\s", re.IGNORECASE)
_FOR: Final = re.compile(r"\s+for\s+(?=\S)")
_COMMA: Final = re.compile(r",\s+")
_DASH: Final = re.compile(r"\s+[-–]\s+")
_DESK_MARK: Final = re.compile(r"\s(?:\+{2,}|={2,})")
_GLUED_ENDINGS: Final[tuple[str, ...]] = ("andout", "ANDOUT", "ool", "OOL")
_GLUED_TAG: Final = re.compile(r"(?<=[a-z])(?:Handout|HANDOUT|Pool|POOL)$")
_SUBJECT_NOTE: Final = re.compile(r"\((?P<note>[^()]{1,20})\)\s*,?$")
TRAILING_JUNK: Final = ' \t\n.,;:-–/]"”»*'
GLUE_WORDS: Final = {"handout", "pool", "file photo", "file"}
_MAX_FIRST_WORDS: Final = 10
_MAX_NAME_WORDS: Final = 6
_MAX_BODY_WORDS: Final = 4
_MAX_STACKED_MARKERS: Final = 3  # "Mandatory Credit: Photo by": markers one after another
_MAX_SEGMENT_WORDS: Final = 16
# Credit chains up to this long, with up to this many phrases in them, are cached.
_MAX_CACHED_CHAIN: Final = 512
_MAX_CACHED_HITS: Final = 16
# Segments before a restriction phrase up to this long are cached (see _before_upper_run).
_MAX_CACHED_SEGMENT: Final = 200
# A customer code after the credit ("/ kod 10060") has this many digits at least.
_MIN_CODE_DIGITS: Final = 3
# An issuer's full name may be long ("Press Service of the 24th ... Armed Forces").
_MAX_LONG_NAME_WORDS: Final = 18
_NAME_JOINERS: Final = frozenset(_WORDS["name_joiners"])
# "Federico Rios para The New York Times", "CLAIRE DURAND POUR « LE MONDE »".
_WORKING_FOR: Final = re.compile(r"\s(?i:" + _alternation(_WORDS["working_for"]) + r")\s")
# A web address or a telephone number: contact details, never part of a credit.
_CONTACT: Final = re.compile(r"^(?:www\.|https?://)|\w\.(?:com|net|org|co\.uk|co|tv|news)/?$|^\+\d")
# A restriction cue found inside one word of a name has this many letters at least.
_MIN_CUE_IN_NAME: Final = 6
# Words that open a sentence about the picture after a one-word name ("Netflix Picture may not",
# "Netflix This photo must not").
_PICTURE_OPENERS: Final = frozenset(
    {"picture", "photo", "image", "pictures", "photos", "images", "this", "these", "the", "it"}
)
# Words from a phrase back to the capitalised word that opens its sentence ("This photo must").
_MAX_OPENER_WORDS: Final = 4
# A note in a script without case after a credit has this many letters at least.
_MIN_UNCASED_NOTE: Final = 8
# A sentence after a name has this many lower-case words at least ("Image supplied by ...").
_MIN_SENTENCE_WORDS: Final = 2
# Lower-case words that may follow a name inside a credit segment: no sentence opens there.
_NAME_SENTENCE_SAFE: Final = frozenset({*_NAME_JOINERS, *_WORDS["name_followers"]})
# Words after which upper-case words are a name, not an instruction ("Supplied by NSW SES").
_CONNECTORS: Final = frozenset(_WORDS["connectors"])


class Credit:
    """A credit line as written (offsets into the caption) and what its chain says.

    Shared between captions from a cache (read_chain), so never changed: `Final` attributes.
    """

    __slots__ = ("agency", "end", "parties", "start", "text", "via")

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        parties: tuple[Party, ...],
        agency: Party | None,
        via: bool,
    ) -> None:
        self.text: Final = text
        self.start: Final = start
        self.end: Final = end
        self.parties: Final = parties
        self.agency: Final = agency
        self.via: Final = via

    @property
    def handout(self) -> bool:
        return any(party.handout for party in self.parties)

    @property
    def pool(self) -> bool:
        return any(party.pool for party in self.parties)

    @property
    def byline(self) -> str | None:
        return next((p.name for p in self.parties if p.role is Role.PERSON), None)

    @property
    def supplier(self) -> str | None:
        """The furthest-back named party that is not the distributing agency."""
        for party in self.parties:
            if party.role not in (Role.AGENCY, Role.ORGANISATION):
                continue
            if self.agency is not None and _same_party(party, self.agency):
                continue
            return party.name
        if self.via and not self.pool:
            # "Jose Luis Lopez/via REUTERS": a named person supplied the picture to the agency.
            for party in self.parties:
                if party is self.agency:
                    break
                if party.role is Role.PERSON:
                    return party.name
        return None


def _same_party(one: Party, other: Party) -> bool:
    if one.profile is not None and other.profile is not None:
        # A sub-brand named beside its agency is a supplier of its own ("Bongarts/Getty Images").
        return one.profile is other.profile and (one.name == other.name or not is_brand_party(one))
    return phrase_key(one.name) == phrase_key(other.name)


def holds_mark(caption: str, mark: str) -> bool:
    """Whether a desk mark ("==", "+++") occurs in the caption. Most captions have none of its
    character at all, which a one-character search (memchr) tells far faster than a search for
    the mark itself."""
    return mark[0] in caption and mark in caption


def trim_end(caption: str, end: int) -> int:
    """`end` moved back over spaces and punctuation that never end a credit line."""
    while end > 0 and caption[end - 1] in TRAILING_JUNK:
        end -= 1
    return end


def read_chain(
    caption: str,
    start: int,
    end: int,
    hits: Sequence[Hit],
    *,
    require: bool,
) -> Credit | None:
    """Read caption[start:end] as a credit chain; None when it does not look like one.

    The reading depends only on caption[start:end] and where restriction phrases start in it
    (nothing outside the range is looked at), so it is cached by that text: agencies and
    photographers repeat their credit lines from caption to caption ("REUTERS/Jane Doe").
    """
    if hits:
        start = _past_leading_restriction(caption, start, end, hits)
    if start >= end or end - start > _MAX_CACHED_CHAIN:
        return _read_chain(caption, start, end, tuple(hit.start for hit in hits), require)
    length = end - start
    # Phrases before `start` are never read; any at or after `end` reads as one at `end`.
    starts = (
        tuple(min(hit.start - start, length) for hit in hits if hit.start >= start) if hits else ()
    )
    if len(starts) > _MAX_CACHED_HITS:
        return _read_chain(caption, start, end, tuple(hit.start for hit in hits), require)
    credit = _read_chain_cached(caption[start:end], starts, require)
    if credit is None or start == 0:
        return credit
    return Credit(
        credit.text,
        credit.start + start,
        credit.end + start,
        credit.parties,
        credit.agency,
        credit.via,
    )


def _past_leading_restriction(caption: str, start: int, end: int, hits: Sequence[Hit]) -> int:
    """After a restriction phrase that opens the range ("[EDITORIAL USE ONLY] REUTERS/Jane Roe")."""
    position = start
    while position < end and caption[position] in " \t\n([":
        position += 1
    for hit in hits:
        if hit.start > position:
            break
        if hit.start == position and hit.kind is Kind.RESTRICTION and hit.end < end:
            after = hit.end
            while after < end and caption[after] in " \t\n)]:.;-–/":
                after += 1
            return after if after < end else start
    return start


@lru_cache(maxsize=2048)
def _read_chain_cached(text: str, hit_starts: tuple[int, ...], require: bool) -> Credit | None:
    return _read_chain(text, 0, len(text), hit_starts, require)


def _read_chain(
    caption: str, start: int, end: int, hit_starts: tuple[int, ...], require: bool
) -> Credit | None:
    """The phases of reading a chain: its bracket, its owner, where it stops, its segments (on
    either side of "via"), the parties they name, and who among them distributes."""
    start, end, marked = _opening(caption, start, end)
    owner, name_start = _owner(caption, start, end)
    if owner is not None or _SUPPLIED_START.match(caption, start, end):
        marked = True
    credit_start = start
    end = _stop(caption, name_start, end, hit_starts)
    if name_start >= end:
        return None
    layout = _layout(caption, name_start, end, marked)
    if layout is None:
        return None
    parties = _read_parties(caption, layout.segments, layout.publisher)
    all_parties = tuple(parties + layout.distributor + ([owner] if owner is not None else []))
    agency = layout.agency
    if not layout.via:
        agency = _distributing_agency(caption, layout.segments, all_parties)
    if not marked and _unconvincing(caption, layout, all_parties, require):
        return None
    start = credit_start if owner is not None else layout.start
    credit_end = _before_closing_bracket(caption, start, layout.end)
    return Credit(caption[start:credit_end], start, credit_end, all_parties, agency, layout.via)


class _Layout:
    """Where a chain's segments are: those before "via" (or all of them when there is none), the
    parties named after "via", and where the credit starts and ends once clipped."""

    __slots__ = ("agency", "distributor", "end", "publisher", "segments", "start", "via")

    def __init__(
        self,
        segments: list[tuple[int, int]],
        start: int,
        end: int,
        *,
        via: bool,
        distributor: list[Party],
        agency: Party | None,
        publisher: bool,
    ) -> None:
        self.segments: Final = segments
        self.start: Final = start
        self.end: Final = end
        self.via: Final = via
        self.distributor: Final = distributor
        self.agency: Final = agency
        self.publisher: Final = publisher


def _opening(caption: str, start: int, end: int) -> tuple[int, int, bool]:
    """Past the markers, brackets and a lead dash that open a credit, and whether a marker did.

    "(Photo by Jane Roe / AFP) id7ecdb7": the bracket that opens the credit closes it.
    """
    start, marked = _past_markers(caption, start, end)
    lead = start
    while start < end and caption[start] in ' \t\n(=[/"“«|':
        start += 1
    if "(" in caption[lead:start]:
        bracket_close = caption.find(")", start, end)
        if bracket_close != -1 and "(" not in caption[start:bracket_close]:
            end = bracket_close
            start, marked_inside = _past_markers(caption, start, end)
            marked = marked or marked_inside
    return _past_lead_dash(caption, start, end), end, marked


def _owner(caption: str, start: int, end: int) -> tuple[Party | None, int]:
    """Who owns the picture a photographer took, and where the photographer's name starts:
    "Korea Times photo by Shim Hyun-chul", "(Express Photo by Praveen Khanna)"."""
    owned = _OWNER_PHOTO_BY.match(caption, start, end)
    if owned is None or len(owned.group("owner").split()) > 4 or not owned.group(1)[0].isupper():
        return None, start
    owner = read_segment(owned.group("owner"))
    if owner.role is Role.PERSON:
        owner = Party(Role.ORGANISATION, owner.name)
    return owner, owned.end()


def _stop(caption: str, start: int, end: int, hit_starts: tuple[int, ...]) -> int:
    """Where the credit stops: before a restriction phrase, a switch of script, desk markers or
    the agency's reference in brackets, and never on trailing punctuation."""
    for hit_start in hit_starts:
        if hit_start >= start:
            if hit_start <= end:
                # A credit never runs into a restriction phrase ("dpa - ACHTUNG: Nur zur ..."),
                # nor into the words that open its sentence ("Jane Roe This photo must not").
                end = before_opener(caption, start, hit_start)
            break
    if not caption.isascii():
        switch = _script_switch(caption, start, end)
        if switch is not None:
            end = switch
    if holds_mark(caption, "++") or holds_mark(caption, "=="):
        # "ANSA/NAME +++ ANSA PROVIDES ACCESS ...", "dpa ++ SPERRFRIST ...": desk markers close
        # the credit.
        stop = _DESK_MARK.search(caption, start, end)
        if stop is not None:
            end = stop.start()
    return _before_reference(caption, start, end)


def _before_reference(caption: str, start: int, end: int) -> int:
    """Before a picture reference in brackets ("Jane Doe/Shutterstock (14312345b)"), trimmed."""
    opening = caption.rfind("(", start, end)
    if opening != -1:
        reference = _REFERENCE_GROUP.search(caption, start, end)
        if reference is not None:
            end = reference.start()
        opening = caption.rfind("(", start, end)
        if opening != -1 and caption.find(")", opening, end) == -1:
            # "Jane Doe/Shutterstock (14312345b" without its closing bracket: the reference.
            end = opening
    end = trim_end(caption, end)
    if end > start and caption[end - 1] == ")" and _unopened_bracket(caption, start, end):
        end = trim_end(caption, end - 1)
    return end


def _unopened_bracket(caption: str, start: int, end: int) -> bool:
    return caption.count("(", start, end) < caption.count(")", start, end)


def _before_closing_bracket(caption: str, start: int, end: int) -> int:
    """'(AP Photo/Jane Roe)  THIS CONTENT IS ...': the bracket closes the credit."""
    if caption[end - 1] == ")" and _unopened_bracket(caption, start, end):
        return trim_end(caption, end - 1)
    return end


def _layout(caption: str, start: int, end: int, marked: bool) -> _Layout | None:
    """The chain's segments, split at its last "via" when it has one."""
    text = caption[start:end]
    if "via" in text or "VIA" in text or "Via" in text:
        vias = list(_VIA.finditer(text))
        if vias:
            return _via_layout(caption, start, end, vias[-1])
    return _plain_layout(caption, start, end, marked)


def _via_layout(caption: str, start: int, end: int, via: re.Match[str]) -> _Layout | None:
    """'Name/Supplier/Handout via AGENCY/File Photo': the distributor is named after "via"."""
    after, credit_end = _distributor(caption, start + via.end(), end)
    if not after:
        return None
    distributor = [read_segment(caption[s:e]) for s, e in after]
    agency = next((p for p in distributor if p.role is Role.AGENCY), None)
    if agency is None:
        agency = next((p for p in distributor if p.role is Role.ORGANISATION), None)
    via_word = start + via.start() + (len(via.group()) - len(via.group().lstrip(", ")))
    segments = _split_segments(caption, start, start + via.start())
    if segments:
        segments, start = _clip_first(caption, segments, start)
    if not segments:
        # Nothing named before "via": the credit starts there ("via dts Nachrichtenagentur").
        start = via_word
    return _Layout(
        segments,
        start,
        credit_end,
        via=True,
        distributor=distributor,
        agency=agency,
        publisher=False,
    )


def _plain_layout(caption: str, start: int, end: int, marked: bool) -> _Layout | None:
    """A chain without "via", cut where its names end at both sides."""
    segments = _split_segments(caption, start, end)
    publisher = False
    if len(segments) == 1:
        segments = _agency_then_name(caption, segments[0])
        publisher = len(segments) == 2
    if not segments:
        return None
    if marked:
        # After a marker the name comes first: what follows it ("APA-FOTO: JANE ROE REUSE OF
        # THIS PICTURE ...") is cut before the first segment is read back from its end.
        segments, _ = _clip_last(caption, segments)
    segments, start = _clip_first(caption, segments, start)
    if not segments:
        return None
    segments, credit_end = _clip_last(caption, segments)
    return _Layout(
        segments,
        start,
        credit_end,
        via=False,
        distributor=[],
        agency=None,
        publisher=publisher,
    )


def _read_parties(caption: str, segments: list[tuple[int, int]], publisher: bool) -> list[Party]:
    """The party each segment names, with the roles the chain around it settles."""
    parties = [read_segment(caption[s:e]) for s, e in segments]
    if publisher and parties[0].role is Role.PERSON and parties[-1].role is Role.PERSON:
        # "CLAIRE DURAND POUR « LE MONDE »": who the photographer works for is no person.
        parties[-1] = Party(Role.ORGANISATION, parties[-1].name)
    _handout_issuers(caption, segments, parties)
    _read_clients_and_single_names(caption, segments, parties)
    owners_after_library(parties)
    return parties


def _handout_issuers(
    caption: str, segments: Sequence[tuple[int, int]], parties: list[Party]
) -> None:
    """'SOS Mediterranee/Handout': whoever issues a handout is an organisation, in place."""
    if any(p.role in (Role.AGENCY, Role.ORGANISATION) for p in parties):
        return
    for index in range(len(parties) - 1):
        following = parties[index + 1]
        if parties[index].role is Role.PERSON and following.handout and not following.name:
            tag_start, tag_end = segments[index + 1]
            if phrase_key(caption[tag_start:tag_end]) in AFTER_PHOTOGRAPHER:
                continue
            parties[index] = Party(Role.ORGANISATION, parties[index].name)


def _distributing_agency(
    caption: str, segments: Sequence[tuple[int, int]], parties: tuple[Party, ...]
) -> Party | None:
    """Without "via": the last agency, or one that leads its credits before a slash, else the
    last organisation."""
    agency = next((p for p in reversed(parties) if p.role is Role.AGENCY), None)
    first = parties[0]
    closing = agency is not None and agency.profile is not None and agency.profile.closes_credit
    if (
        len(segments) > 1
        and not closing
        and first.profile is not None
        and first.profile.leads_credit
        and caption[segments[0][1] : segments[1][0]].strip() == "/"
    ):
        # "EPA-EFE/KREMLIN POOL/SPUTNIK": an agency first, before a slash, is the distributor.
        return first
    if agency is None:
        agency = next((p for p in reversed(parties) if p.role is Role.ORGANISATION), None)
    return agency


def _unconvincing(caption: str, layout: _Layout, parties: tuple[Party, ...], require: bool) -> bool:
    """An unmarked chain that names nobody, or that must look like a credit and does not."""
    if require and not _looks_like_credit(caption, layout.segments, parties, layout.via):
        return True
    return not layout.via and not any(p.name for p in parties)


def before_opener(caption: str, start: int, phrase: int) -> int:
    """`phrase`, or the start of the sentence it is in when that opens after a name:
    "Jane Roe Picture may not be sold", "Jane Roe This photo must not be ..." -> "Jane Roe"."""
    if caption[phrase : phrase + 1].isupper():
        return _before_upper_run(caption, start, phrase)
    if not caption[phrase : phrase + 1].islower():
        return phrase
    word_end = trim_end(caption, phrase)
    for _ in range(_MAX_OPENER_WORDS):
        word_start = max(caption.rfind(" ", start, word_end), caption.rfind("/", start, word_end))
        word_start += 1
        if word_start <= start:
            return phrase
        word = caption[word_start:word_end]
        if not word.isalpha():
            return phrase
        if word[:1].isupper() and word[1:].islower():
            named = _name_before(caption, start, word_start, opener_word=word)
            return word_start if named else phrase
        if not word.islower() or is_particle(word):
            return phrase
        word_end = trim_end(caption, word_start)
    return phrase


def _name_before(caption: str, start: int, opener: int, *, opener_word: str) -> bool:
    """A name stands before the capitalised word that opens a sentence at `opener`.

    Inside a chain, a name of two words or more ("IMAGO/Team 2 Picture may not") or one word
    before a word about the picture ("Netflix Picture may not"); one word alone may be a given
    name ("Jane Roe may not").
    """
    segment_start = start
    for separator in ("/", ":", ". ", "\n"):
        segment_start = max(segment_start, caption.rfind(separator, start, opener) + 1)
    name = caption[segment_start:opener].strip(TRAILING_JUNK)
    if not name:
        return False
    chained = caption[segment_start - 1 : segment_start] == "/" and (
        len(name.split()) >= 2 or opener_word.casefold() in _PICTURE_OPENERS
    )
    return name.isupper() or chained or _recognised(name)


def _before_upper_run(caption: str, start: int, phrase: int) -> int:
    """`phrase`, or where the upper-case words before it begin after a name ("Jane Roe PICTURE
    MAY NOT BE SOLD", "JOHN DOE RESALE NOT PERMITTED")."""
    segment_start = start
    for separator in ("/", ":", ". ", "\n"):
        segment_start = max(segment_start, caption.rfind(separator, start, phrase) + 1)
    segment = caption[segment_start:phrase]
    cached = len(segment) <= _MAX_CACHED_SEGMENT
    run = _upper_run_cached(segment) if cached else _upper_run(segment)
    return phrase if run is None else segment_start + run


def _upper_run(segment: str) -> int | None:
    """Where the upper-case instruction words at the end of a segment begin, if they do."""
    spans = list(_WORD.finditer(segment))
    if len(spans) < 2 or len(spans) > _MAX_SEGMENT_WORDS:
        return None
    words = [span.group() for span in spans]
    if _recognised(" ".join(words)) or read_segment(" ".join(words)).role is Role.TAG:
        # "EPA/CLEMENS BILAN DO NOT OBSCURE LOGO": the name runs up to the phrase.
        return None
    first = _name_end([*words, "X"], len(words))
    return spans[first].start() if 0 < first < len(words) else None


# The segment before a phrase is a credit's last segment ("Handout via REUTERS "): these recur.
_upper_run_cached = lru_cache(maxsize=2048)(_upper_run)


def _past_markers(caption: str, start: int, end: int) -> tuple[int, bool]:
    """After the markers that open a credit ("Photo by", "Mandatory Credit:"), and whether any."""
    marked = False
    for _ in range(_MAX_STACKED_MARKERS):
        marker = MARKER.match(caption, start, end)
        if marker is None or marker.end() == start:
            break
        start = marker.end()
        marked = True
    return start, marked


def _past_lead_dash(caption: str, start: int, end: int) -> int:
    """After a dash that sets the credit off ("2022.  - AFP PHOTO / NAME", "-- REUTERS").

    A dash glued to a slash is dpa's unnamed photographer ("-/Bundeswehr/dpa") and stays.
    """
    position = start
    while position < end and caption[position] in "-–—":
        position += 1
    if position in (start, end) or not caption[position].isspace():
        return start
    while position < end and caption[position].isspace():
        position += 1
    if position < end and caption[position] == "/":
        # "(Photo by - / RUSSIAN DEFENCE MINISTRY / AFP)": AFP's unnamed photographer.
        return start
    return position


def _read_clients_and_single_names(
    caption: str, segments: Sequence[tuple[int, int]], parties: list[Party]
) -> None:
    """Fix roles the segments alone cannot tell, in place.

    "Jamie McCarthy/Getty Images for The Met Museum/Vogue": what follows "Agency for Client" is
    more clients, not a supplier. "AP Photo/Libkos": a single capitalised name after an agency
    that leads its credits is the photographer.
    """
    if len(parties) < 2:
        return
    if " for " in caption[segments[0][0] : segments[-1][1]]:
        _clients_after_commission(parties)
    _repeated_names_are_bodies(parties)
    if _issuer_then_photographer(parties):
        # "EFE/Casa de S.M. el Rey/Irene González": who issued the picture, then who took it.
        parties[1] = Party(Role.ORGANISATION, parties[1].name)
        return
    name = _single_name_after_agency(parties)
    if name is not None:
        parties[-1] = Party(Role.PERSON, name)


def _clients_after_commission(parties: list[Party]) -> None:
    """After "Getty Images for The Met Museum", organisations are more clients: tags, in place."""
    commissioned = False
    for index, party in enumerate(parties):
        if commissioned and party.role is Role.ORGANISATION and not party.handout:
            parties[index] = Party(Role.TAG, "", pool=party.pool)
            continue
        if party.role is Role.AGENCY and party.profile is not None and " for " in party.name:
            commissioned = True


def _single_name_after_agency(parties: Sequence[Party]) -> str | None:
    """'AP Photo/Libkos': the one capitalised word after an agency that leads its credits, when
    no photographer is named otherwise."""
    first, last = parties[0], parties[-1]
    if (
        first.profile is None
        or not first.profile.leads_credit
        or last.role is not Role.ORGANISATION
    ):
        return None
    if any(p.role is Role.PERSON for p in parties):
        return None
    word = last.name.strip()
    if " " in word or not word[1:].islower() or not is_name_word(word):
        return None
    return word if profile_for_segment(word) is None else None


def _repeated_names_are_bodies(parties: list[Party]) -> None:
    """'Jane Roe - Manchester United/Manchester United via Getty Images': a name given twice in
    a row is the body the photographer works for, not a second photographer."""
    for index in range(len(parties) - 1):
        one, other = parties[index], parties[index + 1]
        if one.role is Role.PERSON and other.role is Role.PERSON and one.name == other.name:
            parties[index] = Party(Role.ORGANISATION, one.name, None, one.handout, one.pool)
            parties[index + 1] = Party(
                Role.ORGANISATION, other.name, None, other.handout, other.pool
            )


def _issuer_then_photographer(parties: Sequence[Party]) -> bool:
    """An agency that leads its credits, then two names: the first cannot be its photographer."""
    if len(parties) != 3:
        return False
    first, issuer, photographer = parties
    return (
        first.profile is not None
        and first.profile.leads_credit
        and issuer.role is Role.PERSON
        and photographer.role is Role.PERSON
    )


def _distributor(caption: str, start: int, end: int) -> tuple[list[tuple[int, int]], int]:
    """Segments after "via": the agency name (and "/File Photo"), stopping before other text."""
    text = caption[start:end]
    prefix = profile_prefix(text)
    if prefix is not None:
        _, length = prefix
        name_end = start + length
        while name_end > start and caption[name_end - 1] in ".,;: -–":
            name_end -= 1
        segments = [(start, name_end)]
        rest = caption[name_end:end]
        if rest.lstrip().startswith("/"):
            more = _split_segments(caption, name_end + rest.index("/") + 1, end)
            segments.extend(more)
            _, last_end = _clip_last(caption, segments)
            return segments, last_end
        return segments, name_end
    words = text.split()
    if not words or len(words) > 5:
        return [], start
    return _split_segments(caption, start, end), end


def _agency_then_name(caption: str, segment: tuple[int, int]) -> list[tuple[int, int]]:
    """'BELGA PHOTO BENOIT DOPPAGNE', 'ANP KOEN VAN WEEL', 'APA-FOTO: ROLAND SCHLAGER': an agency
    and its photographer with no slash between them are two segments. So are a photographer
    and the paper they work for ('Federico Rios for The New York Times')."""
    start, end = segment
    prefix = profile_prefix(caption[start:end])
    if prefix is None:
        return _name_for_publisher(caption, segment)
    name_start = start + prefix[1]
    while name_start < end and caption[name_start] in " :-–":
        name_start += 1
    if name_start >= end or not is_person(caption[name_start:end]):
        return [segment]
    return [(start, trim_end(caption, start + prefix[1])), (name_start, end)]


def _name_for_publisher(caption: str, segment: tuple[int, int]) -> list[tuple[int, int]]:
    """A photographer and who they work for, as two segments: 'Jane Roe for The Guardian',
    'CLAIRE DURAND POUR « LE MONDE »', and ABC's 'ABC News: Bridget Murphy'."""
    start, end = segment
    colon = caption.find(": ", start, end)
    if colon != -1 and is_person(caption[colon + 2 : end]):
        # ABC: "(ABC News: Bridget Murphy)": the organisation, then its photographer.
        organisation = caption[start:colon]
        if organisation[:1].isupper() and not is_person(organisation):
            return [(start, colon), (colon + 2, end)]
    working = _WORKING_FOR.search(caption, start, end)
    if working is None or not is_person(caption[start : working.start()]):
        return [segment]
    publisher_start, publisher_end = working.end(), end
    while publisher_start < end and caption[publisher_start] in '«“" ':
        publisher_start += 1
    while publisher_end > publisher_start and caption[publisher_end - 1] in '»”" ':
        publisher_end -= 1
    if publisher_start >= publisher_end or not caption[publisher_start].isupper():
        return [segment]
    return [(start, working.start()), (publisher_start, publisher_end)]


def _is_long_name(words: list[str]) -> bool:
    """Capitalised words, ordinals and joiners only, as an organisation's full name is written."""
    return (
        len(words) <= _MAX_LONG_NAME_WORDS
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w[:1].isdigit() or w in _NAME_JOINERS for w in words)
    )


def _split_segments(caption: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a chain on "/", or on ", " when it has no slash, or on " - " next to an agency."""
    text = caption[start:end]
    pieces: list[tuple[int, int]] = []
    cursor = 0
    separator = _SLASH if "/" in text or " | " in text else None
    if (
        separator is None
        and ", " in text
        and not _SPACED_SEPARATOR.search(text)
        and all(_could_be_party(piece) for piece in text.split(", "))
    ):
        separator = _COMMA
    if separator is not None:
        for match in separator.finditer(text):
            pieces.append((start + cursor, start + match.start()))
            cursor = match.end()
    pieces.append((start + cursor, end))
    result: list[tuple[int, int]] = []
    for index, (piece_start, piece_end) in enumerate(pieces):
        following = ""
        if index + 1 < len(pieces):
            following = caption[pieces[index + 1][0] : pieces[index + 1][1]]
        result.extend(_split_dash(caption, piece_start, piece_end, following))
    return [(s, e) for s, e in result if caption[s:e].strip()]


def _could_be_party(piece: str) -> bool:
    """A comma-separated piece that can name a party: short, and no sentence words in it."""
    words = piece.split()
    return len(words) <= 6 and not any(word.casefold() in _SENTENCE_WORDS for word in words)


def _split_dash(caption: str, start: int, end: int, following: str = "") -> list[tuple[int, int]]:
    """A segment split where a dash (or "for") sets two parties apart; else the segment whole.

    `following` is the text of the next segment (Getty repeats a body there).
    """
    text = caption[start:end]
    commissioned = _FOR.search(text) if " for " in text else None
    if commissioned is not None and is_person(text[: commissioned.start()].strip()):
        # "Jane Doe for The Washington Post": the photographer, then who commissioned her.
        return [(start, start + commissioned.start()), (start + commissioned.end(), end)]
    if ("-" not in text and "–" not in text) or profile_for_segment(text) is not None:
        return [(start, end)]
    split = _spaced_dash(text, following)
    if split is None:
        split = _agencies_joined(text)
    if split is None:
        split = _person_joined_to_body(text)
    if split is None:
        return [(start, end)]
    left_end, right_start = split
    return [(start, start + left_end), (start + right_start, end)]


def _spaced_dash(text: str, following: str) -> tuple[int, int] | None:
    """Around " - ": next to an agency, a photographer and her body or pool ("Jane Roe - WPA
    Pool"); where the left part ends and the right one starts."""
    match = _DASH.search(text)
    if match is None:
        return None
    left, right = text[: match.start()], text[match.end() :]
    agency_named = profile_for_segment(left) is not None or profile_for_segment(right) is not None
    if agency_named or _person_then_body(left, right, following):
        return match.start(), match.end()
    flags = read_segment(right)
    if (flags.pool or flags.handout) and is_person(left.strip()):
        return match.start(), match.end()
    return None


def _agencies_joined(text: str) -> tuple[int, int] | None:
    """'AFP-Yonhap': two agencies joined by a dash in one word."""
    if "-" not in text or " " in text.strip():
        return None
    left, _, right = text.strip().partition("-")
    if profile_for_segment(left) and profile_for_segment(right):
        offset = text.index("-")
        return offset, offset + 1
    return None


def _person_joined_to_body(text: str) -> tuple[int, int] | None:
    """'Mark J. Rebilas-USA TODAY Sports': a photographer joined to an organisation."""
    dashes = list(_JOINED_DASH.finditer(text))
    # "Jayne Kamin-Oncea-USA TODAY Sports": the dash before a known supplier comes first.
    dashes.sort(key=lambda dash: profile_for_segment(text[dash.end() :]) is None)
    for dash in dashes:
        left, right = text[: dash.start()], text[dash.end() :]
        named = len(right.split()) >= 2 or profile_for_segment(right) is not None
        if named and is_person(left.strip()) and read_segment(right).role is not Role.PERSON:
            return dash.start(), dash.end()
    return None


def _person_then_body(left: str, right: str, following: str) -> bool:
    """'Alex Pantling - UEFA/UEFA via', 'Jane Roe - The FA/The FA via': a photographer, then
    the body she works for (Getty repeats it as the next segment).

    Only one short body after one dash: "Soccer Football - Premier League - ..." is a title.
    """
    if _DASH.search(right) is not None or len(right.split()) > _MAX_BODY_WORDS:
        return False
    if not is_person(left.strip()):
        return False
    if following and phrase_key(right) == phrase_key(following):
        return True
    if "(" in right or any(_MIXED_ID.search(word) for word in right.split()):
        return False
    return read_segment(right).role is Role.ORGANISATION


_Clipped = tuple[list[tuple[int, int]], int]


def _clip_first(caption: str, segments: list[tuple[int, int]], start: int) -> _Clipped:
    """The first segment runs back to the sentence start; keep only the name at its end."""
    first_start, first_end = segments[0]
    text = caption[first_start:first_end]
    glued = _GLUED_TAG.search(text) if text.endswith(_GLUED_ENDINGS) else None
    if glued is not None:
        return _starting_at(segments, first_start + glued.start())
    note = _SUBJECT_NOTE.search(text) if ")" in text else None
    if note is not None and phrase_key(note.group("note")) in SUBJECT_NOTES:
        return _without_first(segments)
    words = text.split()
    if _first_is_whole(caption, start, first_start, text, words):
        return segments, start
    if len(segments) > 1:
        agency = _leading_agency(text)
        if agency is not None:
            return _starting_at(segments, first_start + agency)
    return _name_at_end(caption, segments, words)


def _starting_at(segments: list[tuple[int, int]], new_start: int) -> _Clipped:
    return [(new_start, segments[0][1]), *segments[1:]], new_start


def _without_first(segments: list[tuple[int, int]]) -> _Clipped:
    rest = segments[1:]
    return rest, rest[0][0] if rest else segments[0][1]


def _first_is_whole(
    caption: str, start: int, first_start: int, text: str, words: list[str]
) -> bool:
    """A short first segment, or a name that opens its sentence with a comma in it ("Royal
    Botanic Gardens, Kew/Handout via REUTERS") or long ("Press Service of the 24th King Danylo
    Separate Mechanized Brigade of the Ukrainian Armed Forces/Handout via REUTERS")."""
    if len(words) <= _MAX_FIRST_WORDS and ", " not in text:
        return True
    if first_start != start or not _opens_sentence(caption, start):
        return False
    if _is_comma_name(text):
        return True
    return text != text.upper() and ", " not in text and _is_long_name(words)


def _leading_agency(text: str) -> int | None:
    """Where the agency that leads the chain starts among the last words of the first segment:
    "... Real Madrid's Vinicius Junior REUTERS/Susana Vera" (the words before it are caption)."""
    for span in list(_WORD.finditer(text))[-3:]:
        if profile_for_segment(text[span.start() :]) is not None:
            return span.start()
    return None


def _name_at_end(caption: str, segments: list[tuple[int, int]], words: list[str]) -> _Clipped:
    """The first segment cut to the name words at its end (two of three long ones)."""
    first_end = segments[0][1]
    kept: list[str] = []
    for word in reversed(words):
        if len(kept) == 4 or not (is_name_word(word) or _is_capitalised_word(word)):
            break
        kept.insert(0, word)
    if len(kept) >= 3 and not any(len(w.strip(".")) <= 2 for w in kept):
        kept = kept[-2:]
    if not kept:
        return _without_first(segments)
    new_start = first_end - len(" ".join(kept))
    while new_start < first_end and caption[new_start].isspace():
        new_start += 1
    return _starting_at(segments, new_start)


def _opens_sentence(caption: str, start: int) -> bool:
    before = caption[:start].rstrip()
    return not before or before[-1] in ".!?:\n"


def _is_comma_name(text: str) -> bool:
    """'Royal Botanic Gardens, Kew': a name of capitalised words, then one comma and a place."""
    name, _, place = text.partition(", ")
    words = text.split()
    if ", " in place or len(name.split()) < 2 or len(words) > _MAX_NAME_WORDS:
        return False
    return all(
        _is_capitalised_word(word) or word.isupper() or word in _CONNECTORS for word in words
    )


def _is_capitalised_word(word: str) -> bool:
    """'Images', 'Action': a capitalised word of an organisation's name."""
    bare = word.strip(",")
    return bare[:1].isupper() and bare.isalpha() and bare[1:].islower()


def _clip_last(caption: str, segments: list[tuple[int, int]]) -> _Clipped:
    """The last segment stops before trailing upper-case instructions ("Gleb Garanich TPX ...").

    What may trail a name is tried in order: a tag, a customer code, a picture id, contact
    details or an instruction word, a residue (a cue, another script, a sentence), and last
    upper-case words after a mixed-case name.
    """
    last_start, last_end = segments[-1]
    words = list(_WORD.finditer(caption[last_start:last_end]))
    if not words:
        return segments, last_end
    if len(segments) > 1 and _foreign_sentence(caption, segments[-2], segments[-1]):
        # "Darren England - Фото предоставлено пресс-службой": a note, no party.
        return segments[:-1], segments[-2][1]
    clipped = _after_tag(caption, segments, words)
    if clipped is None and _customer_code(caption, segments, words):
        # "Henrik Montgomery/TT / kod 10060": a customer code, not a party.
        clipped = segments[:-1], segments[-2][1]
    if clipped is None:
        clipped = _before_trailer(caption, segments, words)
    if clipped is None:
        clipped = _before_residue(caption, segments, words)
    if clipped is None:
        clipped = _before_upper_instructions(segments, words)
    return clipped if clipped is not None else (segments, last_end)


def _ending_at(segments: list[tuple[int, int]], cut: int) -> _Clipped:
    return [*segments[:-1], (segments[-1][0], cut)], cut


def _after_tag(
    caption: str, segments: list[tuple[int, int]], words: list[re.Match[str]]
) -> _Clipped | None:
    """'HANDOUT PHOTO - NO SALES', 'File Photo': a last segment that opens with a tag ends
    after it (two words when they are one tag)."""
    if len(words) < 2 or phrase_key(words[0].group()) not in GLUE_WORDS:
        return None
    last_start = segments[-1][0]
    pair = read_segment(" ".join(w.group() for w in words[:2]))
    second_key = phrase_key(words[1].group())
    if pair.role is Role.TAG and not pair.name and second_key not in GLUE_WORDS:
        return _ending_at(segments, last_start + words[1].end())
    return _ending_at(segments, last_start + words[0].end())


def _customer_code(
    caption: str, segments: list[tuple[int, int]], words: list[re.Match[str]]
) -> bool:
    """A last segment after a slash that is a lower-case word and a number ("/ kod 10060")."""
    return (
        len(segments) > 1
        and len(words) > 1
        and (len(words) == 2 or not words[2].group()[0].isalnum())
        and words[0].group().islower()
        and words[1].group().isdigit()
        and len(words[1].group()) >= _MIN_CODE_DIGITS
        and "/" in caption[segments[-2][1] : segments[-1][0]]
    )


def _before_trailer(
    caption: str, segments: list[tuple[int, int]], words: list[re.Match[str]]
) -> _Clipped | None:
    """Before the agency's picture id, contact details or an instruction word after a name."""
    last_start, last_end = segments[-1]
    last = words[-1].group()
    if len(words) > 1 and len(last) >= 6 and _PICTURE_ID.fullmatch(last):
        # "REUTERS/Remo Casilli RC2X1A9DKTQ3": the agency's picture id follows the name.
        return _ending_at(segments, last_start + words[-2].end())
    for index, word in enumerate(words[1:], start=1):
        if _CONTACT.search(word.group()) is not None:
            # "Rachel Lang / MEGA TheMegaAgency.com +1 888 505 6342": contact details.
            return _ending_at(segments, last_start + words[index - 1].end())
        if readable_word(word.group()) in INSTRUCTION_WORDS:
            # "JOHN DOE RESALE STRICTLY PROHIBITED": the name ends before the residue.
            name_end = _name_end([w.group() for w in words], index)
            if name_end == 0:
                return _without_last(segments, last_start, last_end)
            return _ending_at(segments, _cut_after(caption, last_start, words[name_end - 1].end()))
    return None


def _before_residue(
    caption: str, segments: list[tuple[int, int]], words: list[re.Match[str]]
) -> _Clipped | None:
    """Before an instruction-like residue after the name (see _residue_start)."""
    last_start, last_end = segments[-1]
    residue = _residue_start([w.group() for w in words], len(segments) > 1)
    if residue == 0:
        return _without_last(segments, last_start, last_end)
    if residue is None:
        return None
    return _ending_at(segments, _cut_after(caption, last_start, words[residue - 1].end()))


def _before_upper_instructions(
    segments: list[tuple[int, int]], words: list[re.Match[str]]
) -> _Clipped | None:
    """'Jane Doe NO USE ON COVERS': upper-case words after a name are instructions, unless a
    connector names them ("Supplied by QLD FIRE AND EMERGENCY" is one name)."""
    seen_lower = named = False
    for index, word in enumerate(words):
        token = word.group()
        if any(map(str.islower, token)):
            seen_lower, named = True, False
            continue
        previous = words[index - 1].group() if index else ""
        named = named or previous in _CONNECTORS
        upper_run = index + 1 < len(words) and not any(map(str.islower, words[index + 1].group()))
        if seen_lower and upper_run and not named:
            return _ending_at(segments, segments[-1][0] + words[index - 1].end())
    return None


def _foreign_sentence(caption: str, previous: tuple[int, int], last: tuple[int, int]) -> bool:
    """The last segment is a sentence in another script than the party before it, set off by
    a dash or a space, not a slash ("Jane Roe - Фото предоставлено пресс-службой")."""
    if "/" in caption[previous[1] : last[0]]:
        return False
    before = caption[previous[0] : previous[1]].split()
    after = caption[last[0] : last[1]].split()
    if not before or not after:
        return False
    if _script(before[-1]) == _script(after[0]):
        # "Jane Roe - Image supplied by the press service", "AGENCY - REUSE OF THIS PICTURE
        # REQUIRES PERMISSION": a sentence or an instruction after a name.
        sentence = sum(map(_sentence_word, after)) >= _MIN_SENTENCE_WORDS
        cued = RESTRICTION_CUE.search(fold(" ".join(after))) is not None or any(
            readable_word(word) in INSTRUCTION_WORDS for word in after
        )
        return (sentence or cued) and _recognised(" ".join(before))
    text = caption[last[0] : last[1]]
    uncased = not any(ch.isupper() or ch.islower() for ch in text)
    # Arabic, Hebrew, Chinese: no case tells a sentence from a name; a note is long.
    return any(word[:1].islower() for word in after) or (
        uncased and sum(map(str.isalpha, text)) >= _MIN_UNCASED_NOTE
    )


def _script_switch(caption: str, start: int, end: int) -> int | None:
    """Where a note in another script follows the credit after a space ("APA-FOTO: JANE ROE
    Фото надане пресслужбою, тільки для ..."): a word in a new script with a sentence after it."""
    spans = list(_WORD.finditer(caption, start, end))
    previous = ""
    for index in range(len(spans)):
        word = _script(spans[index].group())
        if not word or not previous or previous == word:
            previous = word or previous
            continue
        rest = [span.group() for span in spans[index:]]
        text = " ".join(rest)
        uncased = not any(ch.isupper() or ch.islower() for ch in text)
        lower = any(w[:1].islower() for w in rest)
        if lower or (uncased and sum(map(str.isalpha, text)) >= _MIN_UNCASED_NOTE):
            return spans[index].start()
    return None


def _script(word: str) -> str:
    """The script a word is written in ("LATIN", "CYRILLIC", "CJK"), by its first letter."""
    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split(" ", 1)[0]
    return ""


def _residue_start(words: Sequence[str], chained: bool = False) -> int | None:
    """Index of the first word of an instruction-like residue after a credit's name, if any.

    "EPA/JOHN DOE RESALE PROHIBITED", "REUTERS/Gleb Garanich Фото надане пресслужбою",
    "REUTERS/Gleb Garanich Image supplied by the press service": the name ends where a
    restriction cue begins, where the script changes, or where a mixed-case sentence opens
    after a name. What follows is no party: it is left for the restriction reader.
    """
    if len(words) < 2:
        return None
    found: list[int] = []
    sentence = _sentence_after_name(words, chained)
    if sentence is not None:
        found.append(sentence)
    first_script = _script(words[0])
    for index in range(1, len(words)):
        word = words[index]
        script = _script(word)
        if script and first_script and script != first_script:
            found.append(index)
            break
        folded = fold(" ".join(words[index:]))
        cue = RESTRICTION_CUE.match(folded)
        whole = cue is not None and cue.end() == len(word) and index + 1 < len(words)
        if cue is not None and (cue.end() > len(word) or cue.end() >= _MIN_CUE_IN_NAME or whole):
            # A short stem inside one word may be a surname ("Vainio", "Lupa"): not a cue here.
            found.append(_name_end(words, index))
            break
    return min(found) if found else None


def _name_end(words: Sequence[str], cue: int) -> int:
    """Where the name before a cue ends: upper-case words just before an upper-case cue that
    are no part of a two-word name ("JOHN DOE RESALE PROHIBITED") belong to the residue."""
    if not words[cue].isupper():
        # "Jane Roe resale prohibited": the lower-case words before the cue are its sentence.
        while cue > 1 and words[cue].islower() and _sentence_word(words[cue - 1]):
            cue -= 1
        return _after_dash(words, cue)
    run = cue
    while run > 0 and words[run - 1].isupper():
        run -= 1
    if _named_upper_run(words, run, cue):
        return cue
    agency = profile_prefix(" ".join(words[run:cue])) if run < cue else None
    if agency is not None:
        # "Handout via REUTERS ATTENTION EDITORS": an agency's name is no residue.
        run += len(" ".join(words[run:cue])[: agency[1]].split())
        if run >= cue:
            return cue
    end = _recognised_name_end(words, run, cue)
    if end is not None:
        return end
    # "IMAGO/Team 2 RESALE PROHIBITED": upper-case words after a mixed-case name; 0 when the
    # whole segment is the residue ("JANE ROE, RESALE PROHIBITED").
    return run if run == 0 or any(not word.isupper() for word in words[:run]) else cue


def _after_dash(words: Sequence[str], cue: int) -> int:
    """`cue`, or the word after a dash before it: "Rue des Archives - Resale Strictly
    Prohibited" names no "Resale"; the sentence the dash sets off is all residue."""
    for index in range(cue - 1, 0, -1):
        if _is_separator(words[index]):
            return index + 1
    return cue


def _is_separator(word: str) -> bool:
    """A word of dashes only ("-", "–"): it sets a name and what follows it apart."""
    return not word.strip(_DASHES)


def _named_upper_run(words: Sequence[str], run: int, cue: int) -> bool:
    """The upper-case words before the cue name a party: "HANDOUT VIA REUTERS ATTENTION
    EDITORS" (the distributor), "Supplied by NSW SES" (after a connector)."""
    if any(word.casefold() == "via" for word in words[run:cue]):
        return True
    return 0 < run < cue and words[run - 1].casefold() in _CONNECTORS


def _recognised_name_end(words: Sequence[str], run: int, cue: int) -> int | None:
    """The end of the shortest recognised name reaching into the upper-case run, with the
    handout or pool tags after it ("DIMITRIS PAPAMITSOS HANDOUT"), or after a tag that closes
    it ("PRESS SERVICE HANDOUT REUSE OF ...")."""
    for end in range(max(1, run), cue + 1):
        if phrase_key(words[end - 1]) in GLUE_WORDS:
            return end
        if _recognised(" ".join(words[:end])) and not any(
            word.casefold() in _SENTENCE_WORDS or word.casefold() in _NAME_JOINERS
            for word in words[run:end]
        ):
            while end < cue and phrase_key(words[end]) in GLUE_WORDS:
                end += 1
            return end
    return None


def _recognised(name: str) -> bool:
    """A name that stays in the credit: a photographer's, or an agency's from its profile."""
    name = name.strip(TRAILING_JUNK)
    if not name:
        return False
    if is_person(name) or profile_for_segment(name) is not None:
        return True
    if name.endswith(")") and "(" in name:
        # "Eduardo Roe (Europa Press)": the agency in brackets after the photographer.
        return profile_for_segment(name[name.rindex("(") + 1 : -1]) is not None
    # "Jane Roe-Imagn Images": a photographer joined to the agency by a dash.
    joined = _JOINED_DASH.split(name)
    return len(joined) > 1 and profile_for_segment(joined[-1]) is not None


def _sentence_word(word: str) -> bool:
    """A lower-case word no name holds ("supplied", "this"), unlike "van", "al-Masri", "for"."""
    bare = word.strip(",;:()")
    return (
        bare[:1].islower()
        and bare.casefold() not in _NAME_SENTENCE_SAFE
        and not is_particle(bare)
        and not any(ch in bare for ch in "-'’.")
    )


def _sentence_after_name(words: Sequence[str], chained: bool = False) -> int | None:
    """A mixed-case sentence after a name: "Gleb Garanich Image supplied by the press ..."."""
    lower = [index for index, word in enumerate(words) if index and _sentence_word(word)]
    if len(lower) < _MIN_SENTENCE_WORDS:
        return None
    opener = _sentence_opener(words, lower[0])
    if opener is None:
        return None
    name = words[:opener]
    # "PRESS SERVICE HANDOUT Image supplied by ...": a mixed-case sentence after upper-case words.
    shouted = all(word.isupper() or not any(map(str.isalpha, word)) for word in name)
    # After a slash in a chain, three words or more in lower case are a sentence whatever the
    # name before them ("IMAGO/Team 2 Image supplied by the press service").
    long_sentence = chained and len(lower) >= _MIN_SENTENCE_WORDS + 1
    return opener if shouted or long_sentence or _recognised(" ".join(name)) else None


def _sentence_opener(words: Sequence[str], first_lower: int) -> int | None:
    """The mixed-case word before `first_lower` that opens its sentence, after a name.

    A dash between them sets the sentence off: "Rue des Archives - resale strictly prohibited"
    opens at "resale", and "Archives" stays the last word of the name.
    """
    opener = first_lower - 1
    while opener > 0 and not words[opener][:1].isupper():
        if _is_separator(words[opener]):
            return None
        opener -= 1
    if opener < 1 or not words[opener][:1].isupper() or words[opener].isupper():
        return None
    return opener


def _without_last(
    segments: list[tuple[int, int]], last_start: int, last_end: int
) -> tuple[list[tuple[int, int]], int]:
    """The chain without its last segment, which is all residue; a lone segment stays."""
    if len(segments) < 2:
        return segments, last_end
    return segments[:-1], segments[-2][1]


def _cut_after(caption: str, segment_start: int, word_end: int) -> int:
    """Where a credit ends after the word ending at `word_end` of its last segment."""
    cut = trim_end(caption, segment_start + word_end)
    return cut if cut > segment_start else segment_start + word_end


def _looks_like_credit(
    caption: str, segments: list[tuple[int, int]], parties: tuple[Party, ...], via: bool
) -> bool:
    if any(p.role is Role.AGENCY for p in parties):
        return True
    if via:
        return True
    if len(segments) < 2:
        return False
    for start, end in segments:
        words = caption[start:end].split()
        if len(words) > _MAX_SEGMENT_WORDS or any(ch.isdigit() for ch in caption[start:end][:2]):
            return False
    last = caption[segments[-1][0] : segments[-1][1]].split()
    return len(last) <= 6 and sum(w[0].isupper() for w in last) >= max(1, len(last) - 2)
