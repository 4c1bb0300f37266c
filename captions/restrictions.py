"""Lexicon hits -> Restriction records: one per restriction, every occurrence kept as evidence.

Also keeps what would otherwise be lost: advisories become OTHER restrictions carrying their
whole sentence, and unknown upper-case instructions after the credit line become OTHER too.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

from captions.lexicon import RESTRICTION_CUE, Hit, Kind
from captions.parties import INSTRUCTION_WORDS
from captions.profiles import profile_for_segment
from captions.sentences import closes_abbreviation, sentence_start
from captions.tolerant import fold, phrase_key
from rights import Code, Evidence, Origin, Restriction

_JUNK = " \t\n.,;:-–/\"'()[]=+*"
_GLUE = {"handout", "pool", "file photo", "file", "attention editors", "editors note"}
# "/" splits two instructions ("NO SALES/NO ARCHIVES", "CLIENTS / THIS PICTURE"), not the words
# of one ("CLUB/LEAGUE/PLAYER PUBLICATIONS").
# "Nur zur redaktionellen Verwendung ... und nur mit ... Credits": one run of phrases.
_CONJUNCTIONS = {"and", "und", "et", "y", "e", "or", "oder", "ou", "o", "και"}
_FRAGMENT_SPLIT = re.compile(
    r"[.;!\n]+(?=\s|$)|\s[-–]\s|\s/\s|/(?=\s*(?:"
    + "|".join(re.escape(word) for word in sorted(INSTRUCTION_WORDS, key=len, reverse=True))
    + r")\b)"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n|\s/\s|\s[-–]{1,3}\s")
_SEPARATOR_TOKENS = {"/", "-", "–", "--", "---", "|"}
_WORD = re.compile(r"\S+")
# Instructions close a caption: only its last characters are searched for unknown ones.
_MAX_TAIL = 800
_NEIGHBOURS = 8
_MAX_SENTENCE = 400
_MAX_LEAD_WORDS = 12
_LEAD_WORDS_WINDOW = 240
_SHORT_REGION = 16


@dataclass(frozen=True, slots=True)
class Reading:
    """What the caption's restriction language amounts to."""

    restrictions: tuple[Restriction, ...]
    unrecognised: tuple[str, ...]
    kill: bool
    restriction_text: str | None
    embargo_until: datetime | None
    territories: tuple[str, ...]


@dataclass(slots=True)
class _Span:
    kind: Kind
    codes: tuple[Code, ...]
    start: int
    end: int
    hit: Hit | None = None


def read_restrictions(caption: str, hits: Sequence[Hit], credit_end: int | None) -> Reading:
    """Turn hits into restrictions; `credit_end` bounds advisories and starts the leftover scan."""
    spans: list[_Span] = []
    kill = False
    for hit in hits:
        if hit.kind is Kind.KILL:
            kill = True
        elif hit.kind is Kind.DESK_TAG:
            spans.append(_Span(hit.kind, (), hit.start, hit.end, hit))
        elif hit.kind in (Kind.ADVISORY, Kind.OTHER):
            spans.append(_Span(Kind.OTHER, (Code.OTHER,), hit.start, hit.end, None))
        else:
            spans.append(_Span(hit.kind, hit.codes, hit.start, hit.end, hit))
    for start, end in _leftovers(caption, hits, credit_end):
        spans.append(_Span(Kind.OTHER, (Code.OTHER,), start, end, None))
    if not spans and not kill:
        # Most captions: no restriction language at all.
        return _NOTHING
    spans.sort(key=lambda span: span.start)
    restrictions, unrecognised = _merge(caption, spans)
    embargo = next((r.embargo_until for r in restrictions if r.embargo_until is not None), None)
    territories: list[str] = []
    for restriction in restrictions:
        for code in (*restriction.countries_excluded, *restriction.countries_included):
            if code not in territories:
                territories.append(code)
    return Reading(
        restrictions=restrictions,
        unrecognised=unrecognised,
        kill=kill,
        restriction_text=_restriction_text(caption, spans),
        embargo_until=embargo,
        territories=tuple(territories),
    )


_NOTHING = Reading(
    restrictions=(),
    unrecognised=(),
    kill=False,
    restriction_text=None,
    embargo_until=None,
    territories=(),
)


def _merge(caption: str, spans: Sequence[_Span]) -> tuple[tuple[Restriction, ...], tuple[str, ...]]:
    grouped: dict[Hashable, list[_Span]] = {}
    order: list[tuple[Hashable, Code]] = []
    for span in spans:
        if span.kind is Kind.DESK_TAG:
            continue
        for code in span.codes:
            key = _identity(caption, span, code)
            if key not in grouped:
                grouped[key] = []
                order.append((key, code))
            grouped[key].append(span)
    restrictions: list[Restriction] = []
    unrecognised: list[str] = []
    for key, code in order:
        found = grouped[key]
        first = found[0]
        hit = first.hit
        evidence = tuple(
            Evidence(caption[s.start : s.end], Origin.CAPTION, s.start, s.end) for s in found
        )
        text = caption[first.start : first.end]
        restrictions.append(
            Restriction(
                code=code,
                text=text,
                origin=Origin.CAPTION,
                start=first.start,
                end=first.end,
                evidence=evidence,
                embargo_until=hit.embargo_until if hit else None,
                countries_excluded=hit.countries_excluded if hit else (),
                countries_included=hit.countries_included if hit else (),
            )
        )
        if code is Code.OTHER:
            unrecognised.append(text)
    return tuple(restrictions), tuple(unrecognised)


def _identity(caption: str, span: _Span, code: Code) -> Hashable:
    """Two spans are the same restriction when they say the same thing."""
    hit = span.hit
    if code is Code.OTHER:
        return (code, phrase_key(caption[span.start : span.end]))
    if code is Code.EMBARGO:
        return (code, hit.embargo_until if hit else None)
    if code is Code.TERRITORY and hit is not None:
        return (code, hit.countries_excluded, hit.countries_included)
    return code


def expand_advisories(caption: str, hits: Sequence[Hit]) -> list[Hit]:
    """An advisory stands for its sentence ("THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY")."""
    if not any(hit.kind is Kind.ADVISORY for hit in hits):
        return list(hits)
    expanded: list[Hit] = []
    for index, hit in enumerate(hits):
        if hit.kind is not Kind.ADVISORY:
            expanded.append(hit)
            continue
        start, end = _advisory_sentence(caption, hits, index)
        if expanded and expanded[-1].kind is Kind.ADVISORY and expanded[-1].end > start:
            if end > expanded[-1].end:
                merged = expanded.pop()
                start = merged.start
                expanded.append(Hit(Kind.ADVISORY, start, end, caption[start:end], (Code.OTHER,)))
            continue
        expanded.append(Hit(Kind.ADVISORY, start, end, caption[start:end], (Code.OTHER,)))
    return expanded


def _advisory_sentence(caption: str, hits: Sequence[Hit], index: int) -> tuple[int, int]:
    """The sentence around an advisory, bounded by neighbouring phrases and the credit line."""
    hit = hits[index]
    # Other advisories do not bound the sentence: two in one sentence make one restriction.
    previous = [h for h in hits[max(0, index - _NEIGHBOURS) : index] if h.kind is not Kind.ADVISORY]
    following = [
        h for h in hits[index + 1 : index + 1 + _NEIGHBOURS] if h.kind is not Kind.ADVISORY
    ]
    floor = max(previous[-1].end if previous else 0, hit.start - _MAX_SENTENCE)
    ceiling = min(following[0].start if following else len(caption), hit.end + _MAX_SENTENCE)
    start = sentence_start(caption, hit.start, floor) if hit.start > floor else floor
    if hit.text == hit.text.upper():
        # Upper-case advisories reach back over upper-case words only, and never over the
        # agency that ends the credit line ("...via REUTERS THIS IMAGE HAS BEEN SUPPLIED...").
        probe = hit.start
        words = _last_words(caption, start, hit.start, _MAX_LEAD_WORDS)
        for index in range(len(words) - 1, -1, -1):
            token = words[index].group()
            if token != token.upper() or any(ch.isdigit() for ch in token):
                break
            if token in _SEPARATOR_TOKENS:
                break
            if index and profile_for_segment(token.strip(_JUNK)) is not None:
                # The agency ending a credit line, unless it opens the sentence
                # ("REUTERS IS UNABLE TO INDEPENDENTLY VERIFY THIS IMAGE").
                break
            probe = words[index].start()
        start = probe
    end = _sentence_end(caption, hit.end, ceiling)
    while start < end and caption[start] in _JUNK:
        start += 1
    while end > start and caption[end - 1] in _JUNK:
        end -= 1
    return start, max(end, hit.end)


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


def _leftovers(caption: str, hits: Sequence[Hit], credit_end: int | None) -> list[tuple[int, int]]:
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
    covered = [(h.start, h.end) for h in hits if h.end > region_start]
    found: list[tuple[int, int]] = []
    cursor = region_start
    # Mixed-case sentences count in the block that follows the credit on its own line, not in
    # a caption that starts on the next line (Shutterstock puts the credit first).
    newline = caption.find("\n", region_start) if credit_end is not None else region_start
    mixed_until = len(caption) if newline == -1 else newline
    for start, end in [*covered, (len(caption), len(caption))]:
        if start > cursor:
            found.extend(_fragments(caption, cursor, start, mixed_until))
        cursor = max(cursor, end)
    return found


def _fragments(caption: str, start: int, end: int, mixed_until: int = 0) -> list[tuple[int, int]]:
    """Upper-case instructions, and restriction-like mixed-case sentences before `mixed_until`."""
    if end - start <= _SHORT_REGION and sum(map(str.isalpha, caption[start:end])) < 2:
        # ")" or ". " after the credit: no piece of it can hold two letters.
        return []
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _FRAGMENT_SPLIT.finditer(caption, start, end):
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
        letters = sum(map(str.isalpha, text))
        if letters < 2 or phrase_key(text) in _GLUE:
            continue
        if text != text.upper():
            if (
                piece_end <= mixed_until
                and _whole_sentence(caption, piece_start, piece_end)
                and RESTRICTION_CUE.search(fold(text)) is not None
            ):
                # "Reuse of the picture may require further permission ...", in any case.
                kept.append((piece_start, piece_end))
            continue
        if " " not in text and any(map(str.isdigit, text)):
            # A picture id such as RC2X1A9DKTQ3 is no instruction.
            continue
        if all(phrase_key(word) in _GLUE for word in text.split()):
            continue
        if profile_for_segment(text) is not None:
            # An agency's name alone ("ANSA" before its access note) is no instruction.
            continue
        kept.append((piece_start, piece_end))
    return kept


def _whole_sentence(caption: str, start: int, end: int) -> bool:
    """caption[start:end] is a sentence of its own, not the rest of one a phrase was found in."""
    while start > 0 and caption[start - 1] in " \t\"'":
        start -= 1
    while end < len(caption) and caption[end] in " \t\"'":
        end += 1
    return (start == 0 or caption[start - 1] in ".!?;:\n") and (
        end == len(caption) or caption[end] in ".!?;\n"
    )


def _restriction_text(caption: str, spans: Sequence[_Span]) -> str | None:
    """The restriction phrases as written: runs of adjacent phrases, lead-ins included."""
    clusters: list[list[_Span]] = []
    for span in spans:
        if clusters and _only_glue(caption[clusters[-1][-1].end : span.start]):
            clusters[-1].append(span)
        else:
            clusters.append([span])
    parts: list[str] = []
    for cluster in clusters:
        # Trailing desk tags ("TPX IMAGES OF THE DAY") are not restriction text.
        while cluster and cluster[-1].kind is Kind.DESK_TAG:
            cluster.pop()
        if not cluster:
            continue
        start = cluster[0].start
        end = max(span.end for span in cluster)
        if end < len(caption) and caption[end] == ".":
            end += 1
        parts.append(caption[start:end].strip())
    return " ".join(parts) if parts else None


def _only_glue(gap: str) -> bool:
    stripped = gap.strip(_JUNK)
    return not stripped or phrase_key(stripped) in _GLUE or phrase_key(stripped) in _CONJUNCTIONS
