"""The restriction lexicon (lexicon_<language>.toml) compiled into one caption scanner.

One regex pass finds every phrase of every language; each match is mapped back to its entry by
its folded key. The result is a list of `Hit`s: restriction phrases, advisories, kill notices,
desk tags, embargo leads and territory phrases, each with exact offsets into the caption.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

from captions import countries
from captions.embargo import embargo_time, undated_embargo_end
from captions.normalise import CONFUSABLES, Normalised
from captions.tolerant import fold, phrase_atoms, phrase_key, spaced, spaced_pattern, trie_pattern
from rights import Code

# Every lexicon_<language>.toml beside this module, English first: a language is added by adding
# its file. Where two languages list one spelling, the first language's meaning is kept.
LANGUAGES: Final = tuple(
    sorted(
        (
            entry.name.removeprefix("lexicon_").removesuffix(".toml")
            for entry in resources.files("captions").iterdir()
            if entry.name.startswith("lexicon_") and entry.name.endswith(".toml")
        ),
        key=lambda language: (language != "en", language),
    )
)


class Kind(StrEnum):
    """What a lexicon phrase is."""

    RESTRICTION = "restriction"  # one or more codes from rights.Code
    ADVISORY = "advisory"  # kept as OTHER with its whole sentence
    OTHER = "other"  # a restriction with no code, kept verbatim
    KILL = "kill"  # the agency withdraws the picture
    DESK_TAG = "desk_tag"  # TPX, TOPSHOT, ATTENTION EDITORS: no meaning for rights
    EMBARGO = "embargo"
    TERRITORY_EXCLUDED = "territory_excluded"
    TERRITORY_INCLUDED = "territory_included"


@dataclass(frozen=True, slots=True)
class Entry:
    """What one lexicon phrase means; `upper_only` phrases are common words in prose."""

    kind: Kind
    codes: tuple[Code, ...] = ()
    upper_only: bool = False
    # Words one of which must follow a territory's country list ("Verwendung in Österreich
    # nicht gestattet"), as tolerant.phrase_key writes them; empty when none must.
    tails: tuple[str, ...] = ()


class Hit:
    """One phrase found in a caption. `start`/`end` index the caption; `text` is exact.

    A plain class rather than a frozen dataclass: compiled (see setup.py), it is built in a
    fraction of the time and its `Final` attributes are read-only all the same.
    """

    __slots__ = (
        "codes",
        "countries_excluded",
        "countries_included",
        "embargo_until",
        "end",
        "kind",
        "start",
        "text",
    )

    def __init__(
        self,
        kind: Kind,
        start: int,
        end: int,
        text: str,
        codes: tuple[Code, ...] = (),
        embargo_until: datetime | None = None,
        countries_excluded: tuple[str, ...] = (),
        countries_included: tuple[str, ...] = (),
    ) -> None:
        self.kind: Final = kind
        self.start: Final = start
        self.end: Final = end
        self.text: Final = text
        self.codes: Final = codes
        self.embargo_until: Final = embargo_until
        self.countries_excluded: Final = countries_excluded
        self.countries_included: Final = countries_included


# Sections whose words are common in prose ("no TV", "correction"): only in upper case.
_UPPER_ONLY_SECTIONS: Final = {"desk_tags": Kind.DESK_TAG}
_PLAIN_SECTIONS: Final = {"advisories": Kind.ADVISORY, "kill": Kind.KILL, "other": Kind.OTHER}
# Territory leads of fewer words than this are only trusted in upper case ("NICHT IN ...").
_TOLERANT_TERRITORY_WORDS: Final = 3
# Bounds that keep hostile input (thousands of "NO"/"OUT"/"EMBARGO") linear and fast.
_CASED_WINDOW: Final = 2000
_QUOTED_CREDIT: Final = re.compile(r"\s*:?\s*[\"“][^\"”\n]{1,80}[\"”]")
# "MANDATORY CREDIT: NFL", "MANDATORY CREDIT: ISRAELI ARMY": the upper-case name to print.
# It ends the sentence, or comes before a dash, a handout or pool tag, or the next phrase.
_NAMED_CREDIT: Final = re.compile(
    r"\s*:\s*(?!(?:HANDOUT|POOL)\b)[A-Z][A-Z0-9&'.-]*"
    r"(?: (?!(?:HANDOUT|POOL)\b)[A-Z][A-Z0-9&'.-]*){0,7}(?=\s|$)"
)
_NAMED_CREDIT_END: Final = re.compile(r"[.,;]?(?:\s*$|\s+[-–]{1,3}\s|\s*\n|\s+(?:HANDOUT|POOL)\b)")
_MAX_PHRASES: Final = 600
_MAX_EMBARGO_TIMES: Final = 20
_ONLY: Final = re.compile(r"\s+(?:only|nur|uniquement|solo|solamente|apenas|μονο)(?!\w)")


def _lexicon(language: str) -> dict[str, Any]:
    path = resources.files("captions") / f"lexicon_{language}.toml"
    return tomllib.loads(path.read_text("utf-8"))


_LEXICONS: Final = {language: _lexicon(language) for language in LANGUAGES}


def _load() -> tuple[dict[str, Entry], list[dict[str, str]], list[str]]:
    """Every phrase's entry by folded key (the first language to list a spelling wins), the
    desk-tag patterns, and the instruction cues."""
    entries: dict[str, Entry] = {}
    patterns: list[dict[str, str]] = []
    cues: list[str] = []
    for language in LANGUAGES:
        data = _LEXICONS[language]
        for phrase, entry in _written_entries(data):
            entries.setdefault(phrase_key(phrase), entry)
        for section in _UPPER_ONLY_SECTIONS:
            patterns.extend(data.get(section, {}).get("patterns", []))
        cues.extend(data.get("cues", {}).get("phrases", []))
    for language in LANGUAGES:
        # After the written phrases (which win): each negation lead with each object it bars.
        for phrase, entry in _compound_entries(_LEXICONS[language].get("compound", {})):
            entries.setdefault(phrase_key(phrase), entry)
    # Instruction words of languages the lexicon has no phrases for: text after the credit
    # with one of them is kept whole for review, never read as part of the credit.
    path = resources.files("captions") / "instruction_cues.toml"
    for words in tomllib.loads(path.read_text("utf-8")).get("cues", {}).values():
        cues.extend(words)
    return entries, patterns, cues


def _written_entries(data: dict[str, Any]) -> list[tuple[str, Entry]]:
    """The phrases one language's lexicon lists, each with its entry, in the file's order."""
    found: list[tuple[str, Entry]] = []
    for codes_text, phrases in data.get("restrictions", {}).items():
        codes = tuple(Code(code) for code in codes_text.split("+"))
        found.extend((phrase, Entry(Kind.RESTRICTION, codes)) for phrase in phrases)
    for section, kind in _PLAIN_SECTIONS.items():
        found.extend((phrase, Entry(kind)) for phrase in data.get(section, {}).get("phrases", []))
        upper = data.get(section, {}).get("upper", [])
        found.extend((phrase, Entry(kind, upper_only=True)) for phrase in upper)
    for section, kind in _UPPER_ONLY_SECTIONS.items():
        phrases = data.get(section, {}).get("phrases", [])
        found.extend((phrase, Entry(kind, upper_only=True)) for phrase in phrases)
        found.extend((phrase, Entry(kind)) for phrase in data.get(section, {}).get("any_case", []))
    prose = {phrase_key(p) for p in data.get("embargo", {}).get("prose", [])}
    for phrase in data.get("embargo", {}).get("leads", []):
        found.append((phrase, Entry(Kind.EMBARGO, upper_only=phrase_key(phrase) in prose)))
    found.extend(_territory_entries(data.get("territory", {})))
    return found


def _territory_entries(territory: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Territory leads: excluded (short ones only in upper case), included, and those whose
    countries sit in the middle ("VERWENDUNG IN * NICHT GESTATTET": the lead, with its tails)."""
    found: list[tuple[str, Entry]] = []
    for phrase in territory.get("excluded_before", []):
        upper = len(phrase.split()) < _TOLERANT_TERRITORY_WORDS
        found.append((phrase, Entry(Kind.TERRITORY_EXCLUDED, upper_only=upper)))
    for phrase in territory.get("included_before", []):
        found.append((phrase, Entry(Kind.TERRITORY_INCLUDED, upper_only=True)))
    tails: dict[str, tuple[str, ...]] = {}
    for phrase in territory.get("excluded_around", []):
        lead, _, tail = phrase.partition("*")
        tails[lead] = (*tails.get(lead, ()), phrase_key(tail))
    for lead, lead_tails in tails.items():
        found.append((lead, Entry(Kind.TERRITORY_EXCLUDED, tails=lead_tails)))
    return found


def _compound_entries(compound: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Each negation lead with each object it bars ("NOT FOR" + "REDISTRIBUTION"), each verb
    lead with each verb ("MAY NOT BE" + "SOLD")."""
    found: list[tuple[str, Entry]] = []
    for leads, things in (("leads", "objects"), ("verb_leads", "verbs")):
        for codes_text, objects in compound.get(things, {}).items():
            codes = tuple(Code(code) for code in codes_text.split("+"))
            for lead in compound.get(leads, []):
                found.extend(
                    (f"{lead} {thing}", Entry(Kind.RESTRICTION, codes)) for thing in objects
                )
    return found


def _objects() -> tuple[dict[str, tuple[Code, ...]], list[str]]:
    """What a negation may bar (objects and verbs), by folded key, and the words joining them."""
    objects: dict[str, tuple[Code, ...]] = {}
    joins: list[str] = []
    for language in LANGUAGES:
        compound = _LEXICONS[language].get("compound", {})
        for section in ("objects", "verbs"):
            for codes_text, things in compound.get(section, {}).items():
                codes = tuple(Code(code) for code in codes_text.split("+"))
                for thing in things:
                    objects.setdefault(phrase_key(thing), codes)
        joins.extend(compound.get("joins", []))
    return objects, joins


def _joined_leads() -> dict[str, Kind]:
    """Territory leads written with words joined by "x" ("PUBLICATIONxNOTxINx"), as written."""
    leads: dict[str, Kind] = {}
    for language in LANGUAGES:
        territory = _LEXICONS[language].get("territory", {})
        for lead in territory.get("joined_excluded", []):
            leads[lead] = Kind.TERRITORY_EXCLUDED
        for lead in territory.get("joined_included", []):
            leads[lead] = Kind.TERRITORY_INCLUDED
    return leads


_ENTRIES, _DESK, _CUES = _load()
_JOINED_LEADS: Final = _joined_leads()
_JOINED_CLUES: Final = tuple(_JOINED_LEADS)
# One string every joined lead contains ("xIN"): most captions are ruled out by one search.
_JOINED_HINT: Final = next(
    (
        lead[i : i + 3]
        for lead in _JOINED_CLUES[:1]
        for i in range(len(lead) - 2)
        if all(lead[i : i + 3] in other for other in _JOINED_CLUES)
    ),
    "",
)
# "PUBLICATIONxNOTxINxGERxSUIxAUT", "PUBLICATIONxINxGERxSUIxAUTxONLY": a lead, then codes.
_JOINED: Final = re.compile(
    "(?P<lead>"
    + "|".join(sorted(map(re.escape, _JOINED_LEADS), key=len, reverse=True))
    + r")(?P<codes>[A-Z]{3}(?:x[A-Z]{3})*)(?:xONLY)?(?![^\W_])"
)
# Over folded text: a word that makes a mixed-case sentence restriction-like ("Reuse of ...").
_CUE_TRIE: Final = trie_pattern([re.escape(ch) for ch in fold(cue)] for cue in _CUES)
RESTRICTION_CUE: Final = re.compile(r"(?<!\w)(?:" + _CUE_TRIE + r")")
# The same cue after a non-word character: where RESTRICTION_CUE.match fails, a search with this
# finds what RESTRICTION_CUE.search would, trying only where a word can start (not everywhere).
RESTRICTION_CUE_INSIDE: Final = re.compile(r"\W(?:" + _CUE_TRIE + r")")
_DESK_PATTERNS: Final = [str(item["pattern"]) for item in _DESK]
_DESK_CLUES: Final = tuple(str(item["clue"]) for item in _DESK)

# Scripts written without spaces between words (Chinese, Japanese) or with particles joined to
# them (Korean): their phrases are found inside longer runs of letters.
_UNSPACED_SCRIPT: Final = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]"
)


@lru_cache(maxsize=1)
def _folded_scanner() -> re.Pattern[str]:
    """Over the folded caption: every phrase of every language, case and accents already gone.

    Built when a caption first needs it (one with letters beyond ASCII: Greek, Cyrillic,
    Chinese), not at import: it is the largest pattern, and most captions never use it.
    """
    spaced_words = trie_pattern(
        phrase_atoms(key) for key in _ENTRIES if _UNSPACED_SCRIPT.search(key) is None
    )
    unspaced = trie_pattern(
        phrase_atoms(key) for key in _ENTRIES if _UNSPACED_SCRIPT.search(key) is not None
    )
    return re.compile(
        r"(?<!\w)(?:" + spaced_words + r")(?!\w)" + ("|" + unspaced if unspaced else "")
    )


# "may not be sold or used for advertising", "NOT FOR SALE OR SYNDICATION": each object joined
# to a negation phrase after it states its own code. Over the folded caption.
_OBJECT_CODES, _JOINS = _objects()
_COORDINATED: Final = re.compile(
    r"(?:[\W_]{1,3}(?:"
    + trie_pattern(phrase_atoms(join) for join in _JOINS)
    + r")[\W_]{1,3}|[ \t]{0,2}[,/&+][ \t]{0,2})(?P<object>"
    + trie_pattern(phrase_atoms(key) for key in _OBJECT_CODES)
    + r")(?!\w)"
)
# Codes that bar a use: a phrase with only these may have more objects joined to it.
_BARRING: Final = frozenset(
    {
        Code.NO_SALES,
        Code.NO_RESALES,
        Code.NO_ARCHIVES,
        Code.NO_MARKETING,
        Code.NO_ADVERTISING,
        Code.NO_COMMERCIAL_USE,
        Code.NO_SYNDICATION,
    }
)
# The same over the spaced form of an ASCII caption (see tolerant.spaced): tried only at spaces.
_SPACED_SCANNER: Final = spaced_pattern(phrase_atoms(key) for key in _ENTRIES)
# Over the caption as written: forms that only count in upper case ("NO FRANCE", "JAPAN OUT"),
# each with a literal every match of it contains. Each form is named by an empty group closing
# it (read as `lastgroup`): a pattern that opens with a group is tried at every position, one
# that opens with a letter only where it occurs.
_CASED_FORMS: Final = (
    ("NO", r"(?:NO|NOT FOR|NOT IN)(?= [A-Z])(?P<short>)"),
    ("OUT", r"OUT(?!\w)(?P<out>)"),
    # dpa writes ANP's and Belga's bans in lower case: "netherlands out - belgium out".
    ("out", r"out(?=[ \t]*(?:\r?\n|$|[-–] ))(?P<lower_out>)"),
    *(
        (clue, f"(?:{pattern})(?P<desk{i}>)")
        for i, (clue, pattern) in enumerate(zip(_DESK_CLUES, _DESK_PATTERNS, strict=True))
    ),
)
# The bit of the lower-case "out" in a caption's clues (see _cased_clues).
_LOWER_OUT_BIT: Final = 1 << 2
# "MAXPPP OUT", "CCTV OUT": the outlet before OUT; a pool or handout tag before it is the
# credit's ("EPA/NAME / POOL MAXPPP OUT").
_NEXT_WORD: Final = re.compile(r"[\W_]{0,3}([^\W_]+)")
_LOWER_OUT_CLUES: Final = (" out\n", " out\r", " out - ", " out – ")
_LOWER_OUT_ENDINGS: Final = (" out", " out ", " out.")
_UPPER_WORDS_BEFORE: Final = re.compile(
    r"(?<![\w])(?!(?:POOL|HANDOUT) )[A-Z][A-Z0-9&.'-]*(?: [A-Z][A-Z0-9&.'-]*)?[ ]+$"
)
_NAME_OF_BEFORE: Final = re.compile(
    r"(?<![\w'])(?:[A-Z][A-Z'.-]+ ){1,3}(?:OF|OF THE|DE|DEL|DU|DES) $"
)
_NON_WORD: Final = re.compile(r"[\W_]+")
_LIST_LEAD: Final = re.compile(r"\s*[:\-–]")


# A phrase found before it is read: (start, whether found over the caption as written for an
# upper-case-only form, end, that match over the caption or None for a lexicon phrase).
_Found = tuple[int, bool, int, re.Match[str] | None]


def scan(caption: str, folded: str | None = None, spaced_text: bytes | None = None) -> list[Hit]:
    """Every lexicon phrase in the caption, in order, without overlaps.

    `spaced_text` is tolerant.spaced(folded), when the caller has it already. The phases: find
    the lexicon phrases and the upper-case-only forms, bound their number, read each into a
    hit, then add joined territories, objects joined to a negation and credits named in a
    credit demand.
    """
    if folded is None:
        folded = fold(caption)
    if spaced_text is None:
        spaced_text = spaced(folded)
    found = _lexicon_phrases(folded, spaced_text)
    cased = _cased_forms(caption)
    if cased is not None:
        # The folded scan alone gives its phrases in order, each at its own offset.
        found.extend(cased)
        found.sort(key=lambda item: (item[0], item[1]))
    joined = _JOINED_HINT in caption and any(map(caption.__contains__, _JOINED_CLUES))
    if not found:
        return _with_joined_territories(caption, []) if joined else []
    overflow: Hit | None = None
    if len(found) > _MAX_PHRASES:
        found, overflow = _both_ends(caption, folded, found)
    hits = _read_found(caption, folded, found)
    if joined:
        hits = _with_joined_territories(caption, hits)
    if overflow is not None:
        _insert_overflow(hits, overflow)
    return _with_credit_names(caption, _with_coordinated_objects(caption, folded, hits))


def _lexicon_phrases(folded: str, spaced_text: bytes | None) -> list[_Found]:
    """Every lexicon phrase, in order: over the spaced caption when it has one."""
    if spaced_text is not None:
        return [
            (match.start(), False, match.end() - 1, None)
            for match in _SPACED_SCANNER.finditer(spaced_text)
        ]
    return [
        (match.start(), False, match.end(), None) for match in _folded_scanner().finditer(folded)
    ]


def _cased_forms(caption: str) -> list[_Found] | None:
    """Forms that count in upper case only ("NO FRANCE", "JAPAN OUT", desk notes); None when the
    caption has no clue of one.

    Upper-case-only forms open or close a caption: in a very long text only its two ends are read
    for them (the folded scan still reads everything).
    """
    clues = _cased_clues(caption)
    if not _may_have_cased_forms(caption, clues):
        return None
    scanner = _cased_scanner(clues)
    windows = [(0, len(caption))]
    if len(caption) > 2 * _CASED_WINDOW:
        windows = [(0, _CASED_WINDOW), (len(caption) - _CASED_WINDOW, len(caption))]
    found: list[_Found] = []
    for window_start, window_end in windows:
        found.extend(
            (match.start(), True, match.end(), match)
            for match in scanner.finditer(caption, window_start, window_end)
            if match.start() == 0 or not caption[match.start() - 1].isalnum()
        )
    return found


def _cased_clues(caption: str) -> int:
    """Which cased forms' literals the caption has, as bits in the order of _CASED_FORMS."""
    clues = 0
    for bit, (clue, _) in enumerate(_CASED_FORMS):
        if clue in caption:
            clues |= 1 << bit
    return clues


def _may_have_cased_forms(caption: str, clues: int) -> bool:
    if clues & ~_LOWER_OUT_BIT:
        return True
    return (
        bool(clues & _LOWER_OUT_BIT)
        and " out" in caption
        and (
            caption.endswith(_LOWER_OUT_ENDINGS) or any(map(caption.__contains__, _LOWER_OUT_CLUES))
        )
    )


@cache
def _cased_scanner(clues: int) -> re.Pattern[str]:
    """The forms whose literal a caption has, in their order: a form without its literal cannot
    match, so this finds what a scan for every form finds, tried at fewer positions."""
    return re.compile(
        "|".join(pattern for bit, (_, pattern) in enumerate(_CASED_FORMS) if clues & 1 << bit)
    )


def _both_ends(caption: str, folded: str, found: list[_Found]) -> tuple[list[_Found], Hit]:
    """Thousands of phrases are garbage, not a caption: its two ends, and the first phrase left
    unread as OTHER so that the rights check says review."""
    unread_start, cased, unread_end, _ = found[_MAX_PHRASES // 2]
    unread = (caption if cased else folded)[unread_start:unread_end]
    overflow = Hit(Kind.OTHER, unread_start, unread_end, unread)
    return found[: _MAX_PHRASES // 2] + found[-_MAX_PHRASES // 2 :], overflow


def _insert_overflow(hits: list[Hit], overflow: Hit) -> None:
    """The unread phrase in its place among the hits, unless one read covers it."""
    index = next((i for i, hit in enumerate(hits) if hit.start >= overflow.end), len(hits))
    if not (index and hits[index - 1].end > overflow.start):
        hits.insert(index, overflow)


def _read_found(caption: str, folded: str, found: list[_Found]) -> list[Hit]:
    """Each phrase found read into a hit, in order, the first of two overlapping ones kept."""
    hits: list[Hit] = []
    position = 0
    embargoes = 0
    for start, cased, end, match in found:
        if start < position:
            if not _longer_desk_note(hits, start, cased, match) or _covers_phrase(
                found, folded, start, end
            ):
                continue
            # "REFILE - CORRECTING DATE": the desk pattern reads on past the desk word.
            hits.pop()
        hit = _found_hit(caption, folded, found, start, end, match, hits, embargoes)
        if hit is None:
            continue
        if match is None and hit.kind is Kind.EMBARGO:
            embargoes += 1
        if hit.start < start:
            # "JAPAN OUT": the country list before OUT replaces hits it overlaps.
            while hits and hits[-1].end > hit.start:
                hits.pop()
        hits.append(hit)
        position = hit.end
    return hits


def _found_hit(
    caption: str,
    folded: str,
    found: list[_Found],
    start: int,
    end: int,
    match: re.Match[str] | None,
    hits: list[Hit],
    embargoes: int,
) -> Hit | None:
    """What one phrase found is: a lexicon entry, an upper-case territory, an outlet "OUT", or a
    desk note (unless it covers a phrase: "+++ NO SALES, EDITORIAL USE ONLY +++")."""
    if match is None:
        return _lexicon_hit(caption, folded, start, end, embargoes < _MAX_EMBARGO_TIMES)
    if match.lastgroup == "short":
        return _territory_hit(caption, folded, start, end, Kind.TERRITORY_EXCLUDED, True)
    if match.lastgroup in ("out", "lower_out"):
        return _out_hit(caption, folded, match, hits)
    if _covers_phrase(found, folded, start, end):
        return None
    return Hit(Kind.DESK_TAG, start, end, match.group())


def _with_coordinated_objects(caption: str, folded: str, hits: list[Hit]) -> list[Hit]:
    """A negation reaches over the objects joined to it: "NOT FOR SALE OR SYNDICATION" bars
    both, "may not be sold, archived or used for advertising" all three.

    Each object after a join word (or a comma or slash) adds its code, up to the next phrase.
    """
    for index, hit in enumerate(hits):
        if hit.kind is not Kind.RESTRICTION or not hit.codes or not _BARRING.issuperset(hit.codes):
            continue
        limit = hits[index + 1].start if index + 1 < len(hits) else len(caption)
        codes = list(hit.codes)
        end = hit.end
        joined = _COORDINATED.match(folded, end, limit)
        while joined is not None:
            key = _NON_WORD.sub(" ", joined.group("object")).strip()
            codes.extend(code for code in _OBJECT_CODES.get(key, ()) if code not in codes)
            end = joined.end()
            joined = _COORDINATED.match(folded, end, limit)
        if end != hit.end:
            hits[index] = Hit(hit.kind, hit.start, end, caption[hit.start : end], tuple(codes))
    return hits


def _with_joined_territories(caption: str, hits: list[Hit]) -> list[Hit]:
    """Add IMAGO's "PUBLICATIONxNOTxINxCHN" territories to the hits, in order.

    A code that names no known country makes the whole phrase OTHER: a ban on a country the
    rights check cannot name is left to a person.
    """
    joined: list[Hit] = []
    for match in _JOINED.finditer(caption):
        start, end = match.span()
        if start and caption[start - 1].isalnum():
            continue
        if any(hit.start < end and start < hit.end for hit in hits):
            continue
        found = [countries.code_for_three_letters(c) for c in match.group("codes").split("x")]
        codes = tuple(dict.fromkeys(code for code in found if code is not None))
        text = match.group()
        if None in found or not codes:
            joined.append(Hit(Kind.OTHER, start, end, text))
        elif _JOINED_LEADS[match.group("lead")] is Kind.TERRITORY_INCLUDED:
            joined.append(
                Hit(Kind.TERRITORY_INCLUDED, start, end, text, (Code.TERRITORY,), None, (), codes)
            )
        else:
            joined.append(
                Hit(Kind.TERRITORY_EXCLUDED, start, end, text, (Code.TERRITORY,), None, codes)
            )
    if not joined:
        return hits
    return sorted([*hits, *joined], key=lambda hit: hit.start)


def _with_credit_names(caption: str, hits: list[Hit]) -> list[Hit]:
    """A mandatory credit keeps the upper-case name after its colon, up to the next phrase.

    "MANDATORY CREDIT: NFL" is one restriction, not a credit and an unknown "NFL"; a credit
    line after it ("MANDATORY CREDIT: AFP PHOTO / US NAVY") is left to the credit reader.
    """
    for index, hit in enumerate(hits):
        if Code.MANDATORY_CREDIT not in hit.codes or caption[hit.end : hit.end + 3].find(":") == -1:
            continue
        limit = hits[index + 1].start if index + 1 < len(hits) else len(caption)
        named = _NAMED_CREDIT.match(caption, hit.end, limit)
        if named is None:
            continue
        end = named.end()
        if _NAMED_CREDIT_END.match(caption, end, limit) is None and end != limit:
            continue
        if "/" in caption[end : end + 3]:
            continue
        hits[index] = Hit(hit.kind, hit.start, end, caption[hit.start : end], hit.codes)
    return hits


def _longer_desk_note(
    hits: list[Hit], start: int, cased: bool, match: re.Match[str] | None
) -> bool:
    """A desk pattern starting where the desk word just read starts, reaching further."""
    if not cased or match is None or not hits:
        return False
    if match.lastgroup is None or not match.lastgroup.startswith("desk"):
        return False
    last = hits[-1]
    return last.kind is Kind.DESK_TAG and last.start == start and match.end() > last.end


def _covers_phrase(found: list[_Found], folded: str, start: int, end: int) -> bool:
    """A phrase other than a desk tag starts inside caption[start:end] (`found` is sorted)."""
    index = bisect_right(found, (start, True), key=lambda item: (item[0], item[1]))
    while index < len(found) and found[index][0] < end:
        phrase_start, cased, phrase_end, _ = found[index]
        if not cased:
            entry = _entry(folded[phrase_start:phrase_end])
            if entry is not None and entry.kind is not Kind.DESK_TAG:
                return True
        index += 1
    return False


def _lexicon_hit(
    caption: str, folded: str, start: int, end: int, read_time: bool = True
) -> Hit | None:
    entry = _entry(folded[start:end])
    if entry is None:
        return None
    text = caption[start:end]
    if entry.kind in (Kind.TERRITORY_EXCLUDED, Kind.TERRITORY_INCLUDED):
        hit = _territory_hit(caption, folded, start, end, entry.kind, entry.upper_only, entry.tails)
        return hit if hit is not None else _shorter_phrase(caption, start, text)
    if entry.upper_only and _has_lower(text):
        return None
    if entry.kind is Kind.EMBARGO:
        if not read_time:
            return Hit(Kind.EMBARGO, start, end, text, (Code.EMBARGO,))
        return _embargo_hit(caption, folded, start, end)
    if Code.MANDATORY_CREDIT in entry.codes:
        quoted = _QUOTED_CREDIT.match(caption, end)
        if quoted is not None:
            # 'MANDATORY CREDIT "AFP PHOTO / ISRAELI ARMY"': the words to print belong to it.
            end = quoted.end()
            text = caption[start:end]
    return Hit(entry.kind, start, end, text, entry.codes)


@lru_cache(maxsize=4096)
def _entry(phrase: str) -> Entry | None:
    """The lexicon entry for a phrase as matched (punctuation between its words varies)."""
    return _ENTRIES.get(_NON_WORD.sub(" ", phrase).strip())


def _shorter_phrase(caption: str, start: int, text: str) -> Hit | None:
    """'NO SALES IN' without a country after it is still 'NO SALES'."""
    words = list(re.finditer(r"\w+", text))
    for count in range(len(words) - 1, 0, -1):
        end = start + words[count - 1].end()
        candidate = caption[start:end]
        entry = _ENTRIES.get(phrase_key(candidate))
        if entry is not None and entry.kind is Kind.RESTRICTION:
            return Hit(entry.kind, start, end, candidate, entry.codes)
    return None


def _territory_hit(
    caption: str,
    folded: str,
    start: int,
    end: int,
    kind: Kind,
    upper_only: bool,
    tails: tuple[str, ...] = (),
) -> Hit | None:
    span = countries.list_after(folded, end)
    if span is None:
        return None
    end = span[1]
    if tails:
        tail_end = next((e for e in (_words_at(folded, end, t) for t in tails) if e), None)
        if tail_end is None:
            return None
        end = tail_end
    # "FOR USE IN UK ONLY"
    tail = _ONLY.match(folded, end)
    if tail is not None:
        end = tail.end()
    text = caption[start:end]
    if upper_only and _has_lower(text):
        return None
    codes = countries.codes_in(caption[span[0] : span[1]])
    if not codes:
        return None
    if kind is Kind.TERRITORY_INCLUDED:
        return Hit(kind, start, end, text, (Code.TERRITORY,), countries_included=codes)
    return Hit(
        Kind.TERRITORY_EXCLUDED, start, end, text, (Code.TERRITORY,), countries_excluded=codes
    )


def _words_at(folded: str, position: int, words: str) -> int | None:
    """Where `words` (a phrase key) end when they come next in `folded`, else None."""
    for word in words.split():
        match = _NEXT_WORD.match(folded, position)
        if match is None or match.group(1) != word:
            return None
        position = match.end()
    return position


def _out_hit(caption: str, folded: str, match: re.Match[str], hits: list[Hit]) -> Hit | None:
    """'JAPAN OUT' and 'OUT: UK, IRELAND' are territories; 'CCTV OUT' is kept as OTHER."""
    start, end = match.span()
    after = countries.list_after(folded, end)
    if after is not None and _LIST_LEAD.match(caption, end):
        text = caption[start : after[1]]
        if not _has_lower(text):
            codes = countries.codes_in(caption[after[0] : after[1]])
            return Hit(
                Kind.TERRITORY_EXCLUDED,
                start,
                after[1],
                text,
                (Code.TERRITORY,),
                countries_excluded=codes,
            )
    before = countries.list_before(folded, start)
    if before is not None:
        named = _NAME_OF_BEFORE.search(caption, max(0, before[0] - 40), before[0])
        if named is not None:
            # "REPUBLIC OF KOREA OUT", "FEDERATED STATES OF MICRONESIA OUT": the country's
            # whole name, even where only its last word is in countries.toml.
            before = (named.start(), before[1])
        text = caption[before[0] : end]
        if not _has_lower(text) or _set_off(caption, before[0]):
            codes = countries.codes_in(caption[before[0] : before[1]])
            return Hit(
                Kind.TERRITORY_EXCLUDED,
                before[0],
                end,
                text,
                (Code.TERRITORY,),
                countries_excluded=codes,
            )
    previous_end = hits[-1].end if hits else 0
    words = _UPPER_WORDS_BEFORE.search(caption, max(previous_end, start - 40), start)
    if words is None:
        return None
    return Hit(Kind.OTHER, words.start(), end, caption[words.start() : end])


def _set_off(caption: str, start: int) -> bool:
    """A phrase set off from the text before it: "(Photo by STR / AFP) / Japan OUT".

    Agencies write "Japan OUT" in mixed case after a slash, a dash or a bracket, or on its own
    line; in running prose ("sold out") a country before "OUT" has a word before it.
    """
    position = start
    while position > 0 and caption[position - 1] in " \t":
        position -= 1
    return position == 0 or caption[position - 1] in "/-–)\n|"


def _embargo_hit(caption: str, folded: str, start: int, end: int) -> Hit | None:
    found = embargo_time(caption, folded, end)
    if found is None:
        # No year to date it ("EMBARGOED UNTIL 0001 GMT 12 MARCH", "Embargoed until further
        # notice"): kept without an end, so the rights check says review. Leads that are also
        # prose ("the arms embargo") only reach here in upper case.
        until_end = undated_embargo_end(caption, folded, end)
        return Hit(Kind.EMBARGO, start, until_end, caption[start:until_end], (Code.EMBARGO,))
    until, until_end = found
    return Hit(
        Kind.EMBARGO,
        start,
        until_end,
        caption[start:until_end],
        (Code.EMBARGO,),
        embargo_until=until,
    )


def _has_lower(text: str) -> bool:
    return text != text.upper()


def scan_normalised(caption: str, norm: Normalised, hits: list[Hit]) -> list[Hit]:
    """`hits` (read from the caption as written) and the phrases only its normal form shows.

    Phrases are read from the normal form (see normalise.py) and reported at the caption's own
    offsets with the caption's own text. An upper-case disguised word that is no phrase (look-
    alike letters, hidden characters or spaced-out letters in something the lexicon does not
    know) becomes OTHER, so that it is reviewed and never read as part of a credit line.
    """
    text = norm.text
    folded = fold(text)
    found = [_moved(hit, caption, norm) for hit in scan(text, folded, spaced(folded))]
    if norm.disguised or norm.runs:
        # Every look-alike mapped, whatever its word: a Greek phrase with Latin letters in it.
        skeleton = fold(text.translate(_SKELETON))
        for start, end in norm.runs:
            found.extend(_squashed_hits(caption, norm, skeleton, start, end))
        found.extend(_skeleton_hits(caption, norm, skeleton))
    merged = _merged(hits, found)
    return _merged(merged, _disguised_hits(caption, norm, merged))


def _moved(hit: Hit, caption: str, norm: Normalised) -> Hit:
    start, end = norm.span(hit.start, hit.end)
    return Hit(
        hit.kind,
        start,
        end,
        caption[start:end],
        hit.codes,
        hit.embargo_until,
        hit.countries_excluded,
        hit.countries_included,
    )


def _merged(hits: list[Hit], extra: list[Hit]) -> list[Hit]:
    """`hits` with every hit of `extra` that overlaps none, or that covers those it overlaps.

    `hits` are in order without overlaps, and so is the result.
    """
    if not extra:
        return hits
    merged = list(hits)
    starts = [hit.start for hit in merged]
    ends = [hit.end for hit in merged]
    for hit in sorted(extra, key=lambda hit: hit.start):
        low, high = _overlapping(starts, ends, hit.start, hit.end)
        if any(
            not (
                hit.start <= merged[index].start
                and merged[index].end <= hit.end
                and hit.end - hit.start > merged[index].end - merged[index].start
            )
            for index in range(low, high)
        ):
            continue
        merged[low:high] = [hit]
        starts[low:high] = [hit.start]
        ends[low:high] = [hit.end]
    return merged


def _overlapping(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """The index range of the spans (in order, without overlaps) that overlap [start, end)."""
    low = bisect_right(starts, start) - 1
    if low < 0 or ends[low] <= start:
        low += 1
    high = low
    while high < len(starts) and starts[high] < end:
        high += 1
    return low, high


def _skeleton_table() -> dict[int, str]:
    """Every look-alike letter as its Latin one, accented ones too ("Ή" as "Η", so "H"), in its
    case; a final sigma as sigma is (fold makes them one)."""
    table = {ord(letter): latin for letter, latin in CONFUSABLES.items()}
    for point in range(0x00C0, 0x2000):
        decomposed = unicodedata.normalize("NFD", chr(point))
        base = decomposed[0]
        if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
            table[point] = CONFUSABLES.get(base, base)
    table[ord("ς")] = CONFUSABLES.get("σ", "σ")
    return table


_SKELETON: Final = _skeleton_table()


def _skeleton_forms(key: str) -> set[str]:
    """A phrase key with every look-alike letter mapped to Latin, written in each case."""
    forms = set()
    for variant in (key, key.upper(), key.title()):
        forms.add(" ".join(_NON_WORD.sub(" ", fold(variant.translate(_SKELETON))).split()))
    return forms


def _plain(entry: Entry) -> Entry:
    if entry.kind in (Kind.EMBARGO, Kind.TERRITORY_EXCLUDED, Kind.TERRITORY_INCLUDED):
        # Without its date or countries read the phrase is left to a person.
        return Entry(Kind.OTHER, (), entry.upper_only)
    return entry


def _skeleton_entries() -> dict[str, Entry]:
    """Phrases spelt with Latin look-alikes for their letters ("ΜΟΝΟ" -> "MONO")."""
    skeletons: dict[str, Entry] = {}
    for key, entry in _ENTRIES.items():
        if entry.kind is Kind.DESK_TAG:
            continue
        for form in _skeleton_forms(key):
            if form != key:
                skeletons.setdefault(form, _plain(entry))
    return skeletons


def _squashed_entries() -> dict[str, Entry]:
    """Phrases with their word breaks left out, for letter-spaced runs that lost them."""
    squashed: dict[str, Entry] = {}
    for key, entry in _ENTRIES.items():
        if entry.kind is Kind.DESK_TAG:
            continue
        for form in {key} | _skeleton_forms(key):
            letters = form.replace(" ", "")
            if len(letters) >= _MIN_SQUASHED:
                squashed.setdefault(letters, _plain(entry))
    return squashed


_SKELETON_ENTRIES: Final = _skeleton_entries()
_SKELETON_SCANNER: Final = re.compile(
    r"(?<!\w)(?:" + trie_pattern(phrase_atoms(key) for key in _SKELETON_ENTRIES) + r")(?!\w)"
)


def _skeleton_hits(caption: str, norm: Normalised, skeleton: str) -> list[Hit]:
    """Phrases read with every look-alike mapped, where they cover a disguised word."""
    found: list[Hit] = []
    starts = [low for low, _ in norm.disguised]
    ends = [high for _, high in norm.disguised]
    for match in _SKELETON_SCANNER.finditer(skeleton):
        start, end = match.span()
        low, high = _overlapping(starts, ends, start, end)
        if low == high:
            continue
        entry = _SKELETON_ENTRIES.get(_NON_WORD.sub(" ", match.group()).strip())
        if entry is None:
            continue
        first, last = norm.span(start, end)
        text = caption[first:last]
        if entry.upper_only and _has_lower(text):
            continue
        found.append(Hit(entry.kind, first, last, text, entry.codes))
    return found


# "N O S A L E S": a run of single letters, read without word breaks; short keys would match
# anywhere in a long run.
_MIN_SQUASHED: Final = 5
_SQUASHED: Final = _squashed_entries()
_SQUASHED_SCANNER: Final = re.compile(
    trie_pattern([re.escape(ch) for ch in key] for key in _SQUASHED)
)


def _squashed_hits(caption: str, norm: Normalised, folded: str, start: int, end: int) -> list[Hit]:
    positions = [index for index in range(start, end) if folded[index].isalnum()]
    letters = "".join(folded[index] for index in positions)
    found: list[Hit] = []
    for match in _SQUASHED_SCANNER.finditer(letters):
        entry = _SQUASHED.get(match.group())
        if entry is None:
            continue
        first, last = norm.span(positions[match.start()], positions[match.end() - 1] + 1)
        text = caption[first:last]
        if entry.upper_only and _has_lower(text):
            continue
        found.append(Hit(entry.kind, first, last, text, entry.codes))
    return found


def _disguised_hits(caption: str, norm: Normalised, hits: list[Hit]) -> list[Hit]:
    """Upper-case disguised words no phrase covers, joined into runs: OTHER."""
    found: list[Hit] = []
    starts = [hit.start for hit in hits]
    ends = [hit.end for hit in hits]
    disguised = norm.disguised
    if len(disguised) > _MAX_PHRASES:
        # Garbage, not a caption: its two ends are enough to send it to review.
        disguised = disguised[: _MAX_PHRASES // 2] + disguised[-_MAX_PHRASES // 2 :]
    for start, end in disguised:
        first, last = norm.span(start, end)
        low, high = _overlapping(starts, ends, first, last)
        if low != high:
            continue
        text = caption[first:last]
        if _has_lower(text) or sum(map(str.isalpha, text)) < 2:
            continue
        between = caption[found[-1].end : first] if found else "\n"
        if "\n" not in between and not any(map(str.isalnum, between)):
            first = found.pop().start
        found.append(Hit(Kind.OTHER, first, last, caption[first:last]))
    return found
