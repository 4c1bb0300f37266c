"""Lexicon hits -> Restriction records: one per restriction, every occurrence kept as evidence.

Also keeps what would otherwise be lost: advisories become OTHER restrictions carrying their
whole sentence, and unknown upper-case instructions after the credit line become OTHER too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from datetime import datetime
from typing import Final

from captions.chain import MARKER
from captions.lexicon import RESTRICTION_CUE, Hit, Kind
from captions.normalise import readable_word
from captions.parties import INSTRUCTION_WORDS
from captions.profiles import profile_for_key, profile_for_segment
from captions.sentences import closes_abbreviation, sentence_start
from captions.tolerant import fold, phrase_key
from rights import Code, Evidence, Origin, Restriction

_JUNK: Final = " \t\n.,;:-–/\"'()[]=+*"
# The rights vocabulary's members, read once: compiled code looks a member of a class it does not
# compile up on the class at every use.
_OTHER: Final = Code.OTHER
_EMBARGO: Final = Code.EMBARGO
_TERRITORY: Final = Code.TERRITORY
_MANDATORY_CREDIT: Final = Code.MANDATORY_CREDIT
_CAPTION: Final = Origin.CAPTION
# Words between phrases that are no instruction of their own ("STRICTLY NO COMMERCIAL USE").
_GLUE: Final = {
    "handout",
    "pool",
    "file photo",
    "file",
    "attention editors",
    "editors note",
    "strictly",
    "please",
    "also",
    "handout photo",
    # "POUR USAGE ÉDITORIAL SEULEMENT": a word for "only" left after a shorter phrase.
    "only",
    "exclusively",
    "seulement",
    "uniquement",
    "exclusivement",
    "strictement",
    "solamente",
    "unicamente",
    "exclusivamente",
    "estrictamente",
    "soltanto",
    "esclusivamente",
    "strettamente",
    "somente",
    "apenas",
    "nur",
    "ausschliesslich",
    "ausschließlich",
}
# "/" splits two instructions ("NO SALES/NO ARCHIVES", "CLIENTS / THIS PICTURE"), not the words
# of one ("CLUB/LEAGUE/PLAYER PUBLICATIONS").
# "Nur zur redaktionellen Verwendung ... und nur mit ... Credits": one run of phrases.
_CONJUNCTIONS: Final = {"and", "und", "et", "y", "e", "or", "oder", "ou", "o", "και"}
# Written as one character class, then which split it opens (told by a look-behind at it):
# "[.;!\n]+(?=\s|$)|\s[-–/]\s|\*{2,}|/(?=\s*(?:WORDS)\b)". A pattern that opens with a
# class is tried only where one of its characters occurs; one that opens with a choice of
# repeats and look-aheads is tried at every position.
_FRAGMENT_SPLIT: Final = re.compile(
    r"[.;!\n\s*/](?:(?<=[.;!\n])[.;!\n]*(?=\s|$)|(?<=\s)[-–/]\s|(?<=\*)\*+|(?<=/)(?=\s*(?:"
    + "|".join(re.escape(word) for word in sorted(INSTRUCTION_WORDS, key=len, reverse=True))
    + r")\b))"
)
# Every split above holds one of these characters, at its start or just after it.
_SPLIT_CLUE: Final = re.compile(r"[.;!\n\-–/*]")
# After "MANDATORY CREDIT:", a credit chain in capitals ("ESA/PROBA-3/ASPIICS").
_CREDIT_TO_PRINT: Final = re.compile(
    r"\s*:\s*[A-Z0-9][A-Z0-9 .&'-]{0,40}"
    r"(?:\s?/\s?[A-Z0-9][A-Z0-9.&'-]*(?: [A-Z0-9][A-Z0-9.&'-]*)*){1,4}"
)
_ABBREVIATION: Final = re.compile(r"(?:[A-Z]\.){2,4}|(?:[A-Z]\.){1,3}[A-Z]")
# "[.!?](?=\s|$)|\n|\s/\s|\s[-–]{1,3}\s", opening with one class as _FRAGMENT_SPLIT does.
_SENTENCE_END: Final = re.compile(
    r"[.!?\s](?:(?<=[.!?])(?=\s|$)|(?<=\n)|(?<=\s)/\s|(?<=\s)[-–]{1,3}\s)"
)
# Phrases that stand for their sentence in mixed case (not territories, embargoes, desk tags).
_SENTENCE_KINDS: Final = (Kind.RESTRICTION, Kind.OTHER)
_SLUG: Final = re.compile(r"[A-Z]{2,}(?:-[A-Z0-9]{2,}){1,8}")
_SEPARATOR_TOKENS: Final = {"/", "-", "–", "--", "---", "|"}
_WORD: Final = re.compile(r"\S+")
# Instructions close a caption: only its last characters are searched for unknown ones.
_MAX_TAIL: Final = 800
_NEIGHBOURS: Final = 8
_MAX_SENTENCE: Final = 400
_MAX_LEAD_WORDS: Final = 12
# "Photo credit should read: Jane Doe/PA Wire": the demand names the credit to print.
_NAMES_CREDIT: Final = re.compile(r"(?:should|must)\s+read\s*$", re.IGNORECASE)
_MAX_NAMED_CREDIT: Final = 150
_CREDIT_AFTER_COLON: Final = re.compile(r"[ \t]*:[ \t]*[^\s.][^\n]{0,120}?(?=\.\s|\.$|\n|$)")
# An agency's name alone after a desk marker or a sentence end, just before a run of phrases.
_SUBJECT: Final = re.compile(
    r"(?:^|[+.;][ \t]*)(?P<name>[A-Z][\w-]{1,20}(?: [A-Z][\w-]{1,20})?)[ \t]+$"
)
_LEAD_WORDS_WINDOW: Final = 240
_SHORT_REGION: Final = 16
# Latin letters end here (Latin Extended-B), apart from Latin Extended Additional (Vietnamese).
_LAST_LATIN: Final = "ɏ"
_LATIN_ADDITIONAL: Final = "Ḁ"


class Reading:
    """What the caption's restriction language amounts to."""

    __slots__ = (
        "embargo_until",
        "kill",
        "restriction_text",
        "restrictions",
        "territories",
        "unrecognised",
    )

    def __init__(
        self,
        restrictions: tuple[Restriction, ...],
        unrecognised: tuple[str, ...],
        kill: bool,
        restriction_text: str | None,
        embargo_until: datetime | None,
        territories: tuple[str, ...],
    ) -> None:
        self.restrictions: Final = restrictions
        self.unrecognised: Final = unrecognised
        self.kill: Final = kill
        self.restriction_text: Final = restriction_text
        self.embargo_until: Final = embargo_until
        self.territories: Final = territories


class _Span:
    """One stretch of restriction language: a hit, or text kept as OTHER."""

    __slots__ = ("codes", "end", "hit", "kind", "start")

    def __init__(
        self, kind: Kind, codes: tuple[Code, ...], start: int, end: int, hit: Hit | None = None
    ) -> None:
        self.kind = kind
        self.codes = codes
        self.start = start
        self.end = end
        self.hit = hit


def read_restrictions(caption: str, hits: list[Hit], credit_end: int | None) -> Reading:
    """Turn hits into restrictions; `credit_end` bounds advisories and starts the leftover scan."""
    spans: list[_Span] = []
    kill = False
    for hit in hits:
        if hit.kind is Kind.KILL:
            kill = True
        elif hit.kind is Kind.DESK_TAG:
            spans.append(_Span(hit.kind, (), hit.start, hit.end, hit))
        elif hit.kind in (Kind.ADVISORY, Kind.OTHER):
            spans.append(_Span(Kind.OTHER, (_OTHER,), hit.start, hit.end, None))
        else:
            spans.append(_Span(hit.kind, hit.codes, hit.start, hit.end, hit))
    for start, end in _leftovers(caption, hits, credit_end):
        spans.append(_Span(Kind.OTHER, (_OTHER,), start, end, None))
    if not spans and not kill:
        # Most captions: no restriction language at all.
        return _NOTHING
    if not _in_order(spans):
        spans.sort(key=lambda span: span.start)
    groups = _group(caption, spans)
    restrictions, unrecognised = _merge(caption, groups)
    return Reading(
        restrictions=restrictions,
        unrecognised=unrecognised,
        kill=kill,
        restriction_text=_restriction_text(caption, spans, credit_end),
        embargo_until=_embargo(groups),
        territories=_territories(groups),
    )


_NOTHING: Final = Reading(
    restrictions=(),
    unrecognised=(),
    kill=False,
    restriction_text=None,
    embargo_until=None,
    territories=(),
)


def _in_order(spans: list[_Span]) -> bool:
    """Spans already run by start (hits come sorted): no sort needed."""
    return all(spans[index - 1].start <= spans[index].start for index in range(1, len(spans)))


def _group(caption: str, spans: list[_Span]) -> list[tuple[Code, list[_Span]]]:
    """The spans of each restriction, in the order restrictions first occur."""
    # Text kept as OTHER is told apart by its phrase key, worth working out only when two
    # spans could say the same thing.
    others = 0
    for span in spans:
        for code in span.codes:
            if code is _OTHER:
                others += 1
    grouped: dict[Hashable, list[_Span]] = {}
    groups: list[tuple[Code, list[_Span]]] = []
    for span in spans:
        if span.kind is Kind.DESK_TAG:
            continue
        for code in span.codes:
            key = _identity(caption, span, code, others > 1)
            found = grouped.get(key)
            if found is None:
                found = []
                grouped[key] = found
                groups.append((code, found))
            found.append(span)
    return groups


def _merge(
    caption: str, groups: list[tuple[Code, list[_Span]]]
) -> tuple[tuple[Restriction, ...], tuple[str, ...]]:
    """One restriction per group, every span its evidence; the OTHER ones' texts."""
    restrictions: list[Restriction] = []
    unrecognised: list[str] = []
    for code, found in groups:
        first = found[0]
        hit = first.hit
        evidence = tuple(
            Evidence(caption[s.start : s.end], _CAPTION, s.start, s.end) for s in found
        )
        text = caption[first.start : first.end]
        restrictions.append(
            Restriction(
                code=code,
                text=text,
                origin=_CAPTION,
                start=first.start,
                end=first.end,
                evidence=evidence,
                embargo_until=hit.embargo_until if hit else None,
                countries_excluded=hit.countries_excluded if hit else (),
                countries_included=hit.countries_included if hit else (),
            )
        )
        if code is _OTHER:
            unrecognised.append(text)
    return tuple(restrictions), tuple(unrecognised)


def _embargo(groups: list[tuple[Code, list[_Span]]]) -> datetime | None:
    """The first restriction's embargo (read from its hit, as the restriction was built)."""
    for _, found in groups:
        hit = found[0].hit
        if hit is not None and hit.embargo_until is not None:
            return hit.embargo_until
    return None


def _territories(groups: list[tuple[Code, list[_Span]]]) -> tuple[str, ...]:
    """Every territory the restrictions name, each once, in order."""
    territories: list[str] = []
    for _, found in groups:
        hit = found[0].hit
        if hit is None or not (hit.countries_excluded or hit.countries_included):
            continue
        for code in (*hit.countries_excluded, *hit.countries_included):
            if code not in territories:
                territories.append(code)
    return tuple(territories)


def _identity(caption: str, span: _Span, code: Code, keyed: bool) -> Hashable:
    """Two spans are the same restriction when they say the same thing (OTHER texts are told
    apart only when `keyed`: else there is one)."""
    hit = span.hit
    if code is _OTHER:
        return (code, phrase_key(caption[span.start : span.end])) if keyed else code
    if code is _EMBARGO:
        return (code, hit.embargo_until if hit else None)
    if code is _TERRITORY and hit is not None:
        return (code, hit.countries_excluded, hit.countries_included)
    return code


def expand_advisories(caption: str, hits: list[Hit]) -> list[Hit]:
    """An advisory stands for its sentence ("THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY")."""
    if not any(hit.kind is Kind.ADVISORY for hit in hits):
        return list(hits)
    expanded: list[Hit] = []
    for index, hit in enumerate(hits):
        if hit.kind is not Kind.ADVISORY:
            expanded.append(hit)
            continue
        start, end = _advisory_sentence(caption, hits, index)
        if (
            expanded
            and expanded[-1].kind is Kind.OTHER
            and not caption[expanded[-1].end : start].strip()
        ):
            # "NO USE IN BOOKS WITHOUT PRIOR WRITTEN CONSENT FROM AAP": one condition, not two.
            start = expanded.pop().start
        if expanded and expanded[-1].kind is Kind.ADVISORY and expanded[-1].end > start:
            if end > expanded[-1].end:
                merged = expanded.pop()
                start = merged.start
                expanded.append(Hit(Kind.ADVISORY, start, end, caption[start:end], (Code.OTHER,)))
            continue
        expanded.append(Hit(Kind.ADVISORY, start, end, caption[start:end], (Code.OTHER,)))
    return expanded


def _advisory_sentence(caption: str, hits: list[Hit], index: int) -> tuple[int, int]:
    """The sentence around an advisory, bounded by neighbouring phrases and the credit line."""
    hit = hits[index]
    # Other advisories do not bound the sentence: two in one sentence make one restriction.
    previous = [h for h in hits[max(0, index - _NEIGHBOURS) : index] if h.kind is not Kind.ADVISORY]
    following = [
        h for h in hits[index + 1 : index + 1 + _NEIGHBOURS] if h.kind is not Kind.ADVISORY
    ]
    floor = max(previous[-1].end if previous else 0, hit.start - _MAX_SENTENCE)
    ceiling = min(following[0].start if following else len(caption), hit.end + _MAX_SENTENCE)
    ceiling = _bracketed_credit(caption, hit.end, ceiling)
    start = sentence_start(caption, hit.start, floor) if hit.start > floor else floor
    if hit.text == hit.text.upper():
        # Upper-case advisories reach back over upper-case words only, and never over the
        # agency that ends the credit line ("...via REUTERS THIS IMAGE HAS BEEN SUPPLIED...").
        probe = hit.start
        words = _last_words(caption, start, hit.start, _MAX_LEAD_WORDS)
        # Where a run of instruction words just before the advisory begins ("DO NOT OBSCURE").
        opening: int | None = None
        run = True
        for index in range(len(words) - 1, -1, -1):
            token = words[index].group()
            if token != token.upper() or any(ch.isdigit() for ch in token):
                break
            if run and readable_word(token.strip(_JUNK)) in INSTRUCTION_WORDS:
                opening = words[index].start()
            else:
                run = False
            if opening is not None and ("/" in token or token in _SEPARATOR_TOKENS):
                # "EPA/CLEMENS BILAN DO NOT OBSCURE LOGO": a credit chain before the imperative;
                # the name after its slash is the credit's, the imperative opens the sentence.
                probe = opening
                break
            if token in _SEPARATOR_TOKENS or phrase_key(token) in _GLUE:
                # "SERVICE / HANDOUT BEST QUALITY AVAILABLE": the credit's tag stays with it.
                break
            if index and profile_for_segment(token.strip(_JUNK)) is not None:
                # The agency ending a credit line, unless it opens the sentence
                # ("REUTERS IS UNABLE TO INDEPENDENTLY VERIFY THIS IMAGE").
                break
            probe = words[index].start()
        start = probe
    end = _sentence_end(caption, hit.end, ceiling)
    open_ended = end == ceiling
    while start < end and caption[start] in _JUNK:
        start += 1
    while end > start and caption[end - 1] in _JUNK:
        end -= 1
    if end > hit.end and open_ended:
        # "BEST QUALITY AVAILABLE HANDOUT EDITORIAL USE ONLY": EPA's block tag is glue.
        last = caption.rfind(" ", hit.end, end)
        if last != -1 and phrase_key(caption[last:end]) in _GLUE:
            end = last
            while end > start and caption[end - 1] in _JUNK:
                end -= 1
    return start, max(end, hit.end)


def _bracketed_credit(caption: str, start: int, ceiling: int) -> int:
    """Where a bracketed credit ("(Photo by ...") opens after `start`, else `ceiling`.

    "... DISTRIBUTED AS A SERVICE TO CLIENTS (Photo by HANDOUT/ISRAELI ARMY/AFP via Getty
    Images)": the advisory ends where the credit begins.
    """
    bracket = caption.find("(", start, ceiling)
    while bracket != -1:
        if MARKER.match(caption, bracket + 1, ceiling) is not None:
            return bracket
        bracket = caption.find("(", bracket + 1, ceiling)
    return ceiling


def _sentence_end(caption: str, start: int, ceiling: int) -> int:
    """Where the sentence from `start` ends: not at an abbreviation ("DFL bzw. des DFB")."""
    for match in _SENTENCE_END.finditer(caption, start, ceiling):
        if not closes_abbreviation(caption, match.start()):
            return match.start()
    return ceiling


def _last_words(caption: str, start: int, end: int, count: int) -> list[re.Match[str]]:
    """The last `count` words of caption[start:end], read from a window before `end` first."""
    window_start = max(start, end - _LEAD_WORDS_WINDOW)
    words = list(_WORD.finditer(caption, window_start, end))
    if window_start > start and len(words) <= count:
        # The window's first word may be cut short: read the whole range.
        words = list(_WORD.finditer(caption, start, end))
    return words[-count:]


def _leftovers(caption: str, hits: list[Hit], credit_end: int | None) -> list[tuple[int, int]]:
    """Upper-case instructions after the credit (or ending the caption) that no phrase covers."""
    floor = max(0, len(caption) - _MAX_TAIL)
    if credit_end is not None:
        region_start = max(credit_end, floor)
    else:
        region_start = len(caption)
        while region_start > floor and not caption[region_start - 1].islower():
            region_start -= 1
        inside = [h for h in hits if h.start >= region_start]
        before = caption[:region_start].rstrip()
        if not inside and not (before.endswith(".") or not before):
            return []
    covered: list[tuple[int, int]] = []
    credit_ends: list[int] = []
    for hit in hits:
        if hit.end > region_start:
            covered.append((hit.start, hit.end))
            if _MANDATORY_CREDIT in hit.codes:
                credit_ends.append(hit.end)
    found: list[tuple[int, int]] = []
    cursor = region_start
    # Mixed-case sentences count in the block that follows the credit on its own line, not in
    # a caption that starts on the next line (Shutterstock puts the credit first).
    newline = caption.find("\n", region_start) if credit_end is not None else region_start
    mixed_until = len(caption) if newline == -1 else newline
    for start, end in [*covered, (len(caption), len(caption))]:
        if cursor in credit_ends:
            # "MANDATORY CREDIT: ESA/PROBA-3/ASPIICS": the credit to print, no instruction.
            named = _CREDIT_TO_PRINT.match(caption, cursor, start)
            if named is not None:
                cursor = named.end()
        if start > cursor:
            # Right after the credit, as after a phrase, a capitalised sentence may follow
            # without a stop: "(Photo by Jane Doe/AFP) Фото предоставлено пресс-службой."
            after_credit = credit_end is not None and cursor == region_start
            opened = after_credit or any(end == cursor for _, end in covered)
            found.extend(_fragments(caption, cursor, start, mixed_until, opened, after_credit))
        cursor = max(cursor, end)
    return found


def _fragments(
    caption: str,
    start: int,
    end: int,
    mixed_until: int = 0,
    after_phrase: bool = False,
    after_credit: bool = False,
) -> list[tuple[int, int]]:
    """Upper-case instructions, and restriction-like mixed-case sentences before `mixed_until`.

    A capitalised sentence may follow a phrase without a stop: "EDITORIAL USE ONLY No use with
    unauthorised audio, video, data, fixture lists, club/league logos or "live" services."
    """
    if end - start <= _SHORT_REGION and not _has_letters(caption[start:end].lstrip(_JUNK), 2):
        # ")" or ". " after the credit: no piece of it can hold two letters.
        return []
    if _nothing_to_keep(caption[start:end]):
        # " id154256338": no capital to write an instruction in, no cue to make a sentence one.
        return []
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _splits(caption, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    kept: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        while piece_start < piece_end and caption[piece_start] in _JUNK:
            piece_start += 1
        while piece_end > piece_start and caption[piece_end - 1] in _JUNK:
            piece_end -= 1
        text = caption[piece_start:piece_end]
        if text != text.upper():
            # Rarely kept: its few tests first, the glue test last.
            if (
                piece_end <= mixed_until
                and _closes_sentence(caption, piece_end)
                and (
                    _opens_sentence(caption, piece_start)
                    or _opens_after_phrase(caption, start, piece_start, after_phrase, after_credit)
                    or (after_credit and _set_off_by_dash(caption, start, piece_start))
                )
                and _restriction_like(text, after_credit)
                and _has_letters(text, 2)
                and phrase_key(text) not in _GLUE
            ):
                kept.append((piece_start, piece_end))
            continue
        if _is_instruction(caption, piece_start, piece_end, text):
            kept.append((piece_start, piece_end))
    return kept


def _nothing_to_keep(region: str) -> bool:
    """ASCII text without capitals or a restriction cue: no piece of it can be kept.

    An upper-case piece with two letters holds two capitals (which lower case changes); a cue
    found in a piece is found in the region (pieces are cut at non-word characters). In other
    text a piece in another script is kept without a cue. The cue is searched for last: over a
    long region it costs more than reading the pieces.
    """
    if not region.isascii():
        return False
    # Pieces are stripped of junk too: a cue found in one lies within the stripped region.
    text = region.strip(_JUNK)
    folded = text.lower()
    return folded == text and RESTRICTION_CUE.search(folded) is None


def _opens_after_phrase(
    caption: str, start: int, piece_start: int, after_phrase: bool, after_credit: bool
) -> bool:
    """A mixed-case piece opens a sentence right after a phrase, with no stop between.

    Right after the credit, a sentence may open in lower case ("Jane Roe resale prohibited"):
    the credit's name ended, so the cue starts a sentence of its own.
    """
    return (
        after_phrase
        and not caption[start:piece_start].strip(_JUNK)
        and (caption[piece_start].isupper() or after_credit)
    )


def _set_off_by_dash(caption: str, start: int, piece_start: int) -> bool:
    """A dash after the credit opens a sentence, whatever words stand between them: when the
    credit was read short ("Mary Evans/Rue des | Archives - resale strictly prohibited"), the
    instruction after the dash is kept all the same, never dropped."""
    return caption[start:piece_start].rstrip().endswith(("-", "–", "—"))


def _restriction_like(text: str, after_credit: bool) -> bool:
    """A mixed-case sentence that reads as a restriction.

    "Reuse of the picture may require further permission ...", in any case; a sentence in
    another script after the credit ("Фото предоставлено ...") too.
    """
    return (
        RESTRICTION_CUE.search(fold(text)) is not None
        or _foreign_script(text)
        or (after_credit and _mixed_script(text))
    )


def _is_instruction(caption: str, start: int, end: int, text: str) -> bool:
    """An upper-case piece caption[start:end] (`text`) that is an instruction no phrase knows."""
    if not _has_letters(text, 2):
        return False
    if " " not in text and (any(ch.isdigit() for ch in text) or _SLUG.fullmatch(text) is not None):
        # A picture id such as RC2X1A9DKTQ3 is no instruction, nor is AFP's keyword slug
        # ("FRANCE-POLITICS-GOVERNMENT").
        return False
    key = phrase_key(text)
    if key in _GLUE:
        return False
    if _ABBREVIATION.fullmatch(caption, start, min(len(caption), end + 1)):
        # "U.S." or "U.N." opening a sentence of text after the credit is no instruction.
        return False
    if all(phrase_key(word) in _GLUE for word in text.split()):
        return False
    # An agency's name alone ("ANSA" before its access note) is no instruction.
    return profile_for_key(key) is None


def _splits(caption: str, start: int, end: int) -> list[re.Match[str]]:
    """Where caption[start:end] splits into instructions (_FRAGMENT_SPLIT), read fast.

    The split pattern opens with a class that holds every blank, so it would be tried at every
    blank: it is run from one character before the first that any split holds (a space before
    a dash or a slash opens one), and not at all in text without them.
    """
    first = _SPLIT_CLUE.search(caption, start, end)
    if first is None:
        return []
    return list(_FRAGMENT_SPLIT.finditer(caption, max(start, first.start() - 1), end))


def _has_letters(text: str, count: int) -> bool:
    """`text` holds at least `count` letters (read only as far as they are found)."""
    if len(text) >= count and text[:count].isalpha():
        # Most texts open with their letters: one call reads them.
        return True
    found = 0
    for ch in text:
        # (isalnum is cheaper to call, and false for every non-letter it rules out.)
        if ch.isalnum() and ch.isalpha():
            found += 1
            if found >= count:
                return True
    return found >= count


def _mixed_script(text: str) -> bool:
    """A word written in letters of two scripts ("Кullαnιmi"): look-alikes, a disguise."""
    if text.isascii():
        # ASCII letters are all Latin.
        return False
    for word in text.split():
        scripts = {unicodedata.name(ch, "?").split(" ", 1)[0] for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            return True
    return False


def _foreign_script(text: str) -> bool:
    """Most of the letters are not Latin: after the credit, a note the lexicon cannot read."""
    if text.isascii():
        return False
    letters = [ch for ch in text if ch.isalpha()]
    foreign = sum(1 for ch in letters if ch > _LAST_LATIN and not _LATIN_ADDITIONAL <= ch <= "ỿ")
    return foreign * 2 > len(letters)


def _opens_sentence(caption: str, start: int) -> bool:
    """A sentence may open at `start`: at the caption's start or after a stop (quotes and
    blanks between)."""
    while start > 0 and caption[start - 1] in " \t\"'":
        start -= 1
    return start == 0 or caption[start - 1] in ".!?;:\n"


def _closes_sentence(caption: str, end: int) -> bool:
    """A sentence may close at `end`: at the caption's end or before a stop."""
    while end < len(caption) and caption[end] in " \t\"'":
        end += 1
    return end == len(caption) or caption[end] in ".!?;\n"


def _restriction_text(
    caption: str, spans: list[_Span], credit_end: int | None = None
) -> str | None:
    """The restriction phrases as written: runs of adjacent phrases, lead-ins included.

    After the credit line, a phrase in mixed case stands for its whole sentence ("This handout
    photo may only be used for editorial reporting purposes for ..."); an agency that opens the
    run is its subject ("+++ ANSA PROVIDES ACCESS TO THIS HANDOUT PHOTO ..."); a desk note between
    markers before it ("+++ HANDOUT PHOTO +++") is not part of it.
    """
    if not spans:
        return None
    ranges = _text_ranges(caption, spans, credit_end)
    clusters: list[list[tuple[int, int, Kind]]] = []
    for item in ranges:
        if clusters and (
            item[0] <= clusters[-1][-1][1] or _only_glue(caption[clusters[-1][-1][1] : item[0]])
        ):
            clusters[-1].append(item)
        else:
            clusters.append([item])
    parts: list[str] = []
    for cluster in clusters:
        # Trailing desk tags ("TPX IMAGES OF THE DAY") are not restriction text.
        while cluster and cluster[-1][2] is Kind.DESK_TAG:
            cluster.pop()
        while cluster and cluster[0][2] is Kind.DESK_TAG and _is_desk_marker(caption, cluster[0]):
            cluster.pop(0)
        if not cluster:
            continue
        start = cluster[0][0]
        end = cluster[0][1]
        for item in cluster:
            end = max(end, item[1])
        if end < len(caption) and caption[end] == ".":
            end += 1
        if credit_end is not None and start > credit_end:
            start = _subject_start(caption, start, credit_end)
        parts.append(caption[start:end].strip())
    return " ".join(parts) if parts else None


def _text_ranges(
    caption: str, spans: list[_Span], credit_end: int | None
) -> list[tuple[int, int, Kind]]:
    """Each span's stretch of restriction text: a mixed-case phrase after the credit, on the
    credit's own line, reaches over its sentence; a credit demand that says what to print
    ("Photo credit should read: Jane Doe/PA Wire") over the credit it names."""
    newline = caption.find("\n", credit_end) if credit_end is not None else -1
    mixed_until = len(caption) if newline == -1 else newline
    if newline != -1:
        line_start = newline + 1
        while line_start < len(caption) and caption[line_start] in " \t\n":
            line_start += 1
        if any(span.kind is Kind.DESK_TAG and span.start == line_start for span in spans):
            # "...PA Wire\nNOTE TO EDITORS: This handout photo may only be used ...": a note
            # to the desk on the line after the credit is restriction language too.
            mixed_until = _line_end(caption, line_start)
    ranges: list[tuple[int, int, Kind]] = []
    previous_end = credit_end if credit_end is not None else 0
    for span in spans:
        start, end = span.start, span.end
        if _MANDATORY_CREDIT in span.codes and _names_credit(caption[start:end]):
            if (
                credit_end is not None
                and end < credit_end <= end + _MAX_NAMED_CREDIT
                and "\n" not in caption[end:credit_end]
            ):
                end = credit_end
            else:
                named = _CREDIT_AFTER_COLON.match(caption, end)
                if named is not None:
                    end = named.end()
        elif (
            credit_end is not None
            and credit_end <= start
            and end <= mixed_until
            and span.kind in _SENTENCE_KINDS
            and _mixed_case(caption[start:end])
        ):
            start, end = _sentence_around(caption, start, end, credit_end, previous_end)
        ranges.append((start, end, span.kind))
        previous_end = max(previous_end, end)
    return ranges


def _names_credit(text: str) -> bool:
    """A credit demand that goes on to name the credit ("Photo credit should read")."""
    # Only a text ending in "read" can: a cheaper test than the search, which reads it all.
    return text.rstrip()[-4:].lower() == "read" and _NAMES_CREDIT.search(text) is not None


def _mixed_case(text: str) -> bool:
    return text != text.upper()


def _sentence_around(
    caption: str, start: int, end: int, credit_end: int, previous_end: int
) -> tuple[int, int]:
    """The sentence a mixed-case phrase stands in, when it is a sentence of its own.

    It reaches back to a sentence start, or to the phrase before it ("NOTE TO EDITORS: This
    handout photo may only be used ..."), and on to a full stop or the end of the line.
    """
    stop = _SENTENCE_END.search(caption, end, min(len(caption), end + _MAX_SENTENCE))
    if stop is not None:
        stop_at = stop.start()
    elif len(caption) - end <= _MAX_SENTENCE:
        # "... im Zusammenhang mit der aktuellen Berichterstattung über den Besuch und nur mit
        # vollständiger Nennung des vorstehenden Credits": the caption ends the sentence.
        stop_at = _line_end(caption, end)
    else:
        return start, end
    floor = max(previous_end, credit_end)
    if start > floor:
        begin = sentence_start(caption, start, floor)
        opened = floor
        while opened < start and caption[opened].isspace():
            opened += 1
        if begin > opened or previous_end > credit_end:
            start = begin
    while start < end and caption[start] in _JUNK:
        start += 1
    return start, max(end, stop_at)


def _line_end(caption: str, position: int) -> int:
    newline = caption.find("\n", position)
    end = len(caption) if newline == -1 else newline
    while end > position and caption[end - 1] in _JUNK:
        end -= 1
    return end


def _is_desk_marker(caption: str, item: tuple[int, int, Kind]) -> bool:
    """A desk note between markers ("+++ HANDOUT PHOTO +++") opening a run: not its text."""
    return caption[item[0] : item[0] + 1] in ("+", "=")


def _subject_start(caption: str, start: int, floor: int) -> int:
    """Where an agency that opens the run as its subject starts ("ANSA PROVIDES ACCESS ..."),
    after a desk marker or a sentence end; else `start`."""
    before = caption[floor:start]
    if not _ends_in_word_and_blank(before):
        # A cheaper test than the search, which is tried at every position.
        return start
    match = _SUBJECT.search(before)
    if match is None or profile_for_segment(match.group("name")) is None:
        return start
    return floor + match.start("name")


def _ends_in_word_and_blank(text: str) -> bool:
    r"""`text` ends in a word character and blanks, as _SUBJECT's "[\w-][ \t]+$" finds
    (before a final newline too)."""
    if text.endswith("\n"):
        text = text[:-1]
    if not (text.endswith(" ") or text.endswith("\t")):
        return False
    text = text.rstrip(" \t")
    return text != "" and (text[-1].isalnum() or text[-1] in "_-")


def _only_glue(gap: str) -> bool:
    stripped = gap.strip(_JUNK)
    if not stripped:
        return True
    key = phrase_key(stripped)
    return key in _GLUE or key in _CONJUNCTIONS
