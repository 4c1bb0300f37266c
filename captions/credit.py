"""Find the credit line in a caption and read its chain of parties.

A credit line is a chain: "Name/Supplier/Handout via AGENCY/File Photo", "AFP PHOTO / NAME",
"(Photo by Name/AFP via Getty Images)", "Aris Messinis - AFP", "AFP-Yonhap". The distributor is
the party after "via", else the last agency named; the source is the furthest-back other named
party; the byline is the first person. Agencies are recognised from their profiles.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from captions.lexicon import Hit
from captions.parties import (
    INSTRUCTION_WORDS,
    MARKERS,
    SUBJECT_NOTES,
    Party,
    Role,
    is_name_word,
    is_person,
    read_segment,
)
from captions.profiles import Profile, profile_for_segment, profile_prefix
from captions.sentences import sentence_start
from captions.tolerant import fold, phrase_key

_MARKER = re.compile(
    r"(?:"
    + "|".join(re.escape(m).replace(r"\ ", r"\s?") for m in sorted(MARKERS, key=len, reverse=True))
    + r")\s*",
    re.IGNORECASE,
)
# The same markers over the folded caption, to find one anywhere quickly.
_FOLDED_MARKER = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(fold(m)).replace(r"\ ", r"\s?") for m in sorted(MARKERS, key=len, reverse=True)
    )
    + r")\s*"
)
_MARKER_CLUES = tuple({fold(m).split()[0].rstrip(":") for m in MARKERS})
_VIA = re.compile(r",?\s+via\s+|^via\s+|(?<=/)via\s+", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_REFERENCE_GROUP = re.compile(r"\s*\(\d{5,9}[a-z]{0,3}\)")
_JOINED_DASH = re.compile(r"(?<=[a-z])-(?=[A-Z])")
_COMMA = re.compile(r",\s+")
_DASH = re.compile(r"\s+[-–]\s+")
_GLUED_ENDINGS = ("andout", "ANDOUT", "ool", "OOL")
_GLUED_TAG = re.compile(r"(?<=[a-z])(?:Handout|HANDOUT|Pool|POOL)$")
_SUBJECT_NOTE = re.compile(r"\((?P<note>[^()]{1,20})\)\s*,?$")
_TRAILING_JUNK = " \t\n.,;:-–/"
_GLUE_WORDS = {"handout", "pool", "file photo", "file"}
_MAX_FIRST_WORDS = 10
_CONNECTORS = {"for", "of", "and", "de", "du", "des", "del", "di", "für", "pour", "para", "per"}
# Credit lines are short: bounds that keep hostile input linear.
_MAX_MARKERS = 3
_MAX_GAP = 12
_MAX_NOTES = 4
_MAX_INSTRUCTION = 120
_MAX_CREDIT_CHARS = 300
_MAX_SEGMENT_WORDS = 16


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit line as written (offsets into the caption) and what its chain says."""

    text: str
    start: int
    end: int
    parties: tuple[Party, ...]
    agency: Party | None
    via: bool

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
        return None


def _same_party(one: Party, other: Party) -> bool:
    if one.profile is not None and other.profile is not None:
        return one.profile is other.profile
    return phrase_key(one.name) == phrase_key(other.name)


def tail_start(caption: str, hits: Sequence[Hit]) -> int:
    """Where the trailing block of restriction phrases and desk tags begins (or the end)."""
    position = len(caption)
    index = len(hits) - 1
    consumed = glued = False
    while True:
        probe = position
        floor = max(0, position - _MAX_GAP)
        while probe > floor and (
            caption[probe - 1].isspace() or caption[probe - 1] in ".,;:/-–!\"'"
        ):
            probe -= 1
        while index >= 0 and hits[index].end > probe:
            index -= 1
        if index >= 0 and hits[index].end == probe:
            position = hits[index].start
            index -= 1
            consumed = True
            glued = False
            continue
        instruction = _instruction_before(caption, probe)
        if instruction is not None:
            position = instruction
            consumed = True
            glued = False
            continue
        if consumed and not glued:
            # One loose "HANDOUT" between restrictions is glue ("/HANDOUT HANDOUT EDITORIAL USE
            # ONLY"); a second one belongs to the credit ("SERVICE HANDOUT HANDOUT EDITORIAL").
            glue = _glue_before(caption, probe)
            if glue is not None:
                position = glue
                glued = True
                continue
        return position if consumed else len(caption)


def _instruction_before(caption: str, end: int) -> int | None:
    """Start of an upper-case instruction sentence ending at `end` ("NO SALES IN SOUTH KOREA")."""
    floor = max(0, end - _MAX_INSTRUCTION)
    stop = max(caption.rfind(". ", floor, end), caption.rfind("\n", floor, end))
    if stop == -1:
        return None
    start = stop + 1
    while start < end and caption[start].isspace():
        start += 1
    sentence = caption[start:end]
    first = sentence.split(" ", 1)[0]
    if not sentence or first not in INSTRUCTION_WORDS or sentence != sentence.upper():
        return None
    return start


def _glue_before(caption: str, end: int) -> int | None:
    """Start of a loose 'HANDOUT' (not '/HANDOUT') just before `end`, between restrictions."""
    start = end
    while start > 0 and caption[start - 1].isalpha():
        start -= 1
    if start == end or phrase_key(caption[start:end]) not in _GLUE_WORDS:
        return None
    if start > 0 and not caption[start - 1].isspace():
        return None
    return start


def find_credit(caption: str, hits: Sequence[Hit], folded: str | None = None) -> Credit | None:
    """The caption's credit line: a bracket at the end, the last sentence, or after a marker."""
    if folded is None:
        folded = fold(caption)
    end = tail_start(caption, hits)
    body_end = _trim_end(caption, end)
    if body_end == 0:
        return None
    credit = _bracketed(caption, folded, body_end, hits)
    if credit is None:
        credit = _last_sentence(caption, folded, body_end, hits)
    if credit is None:
        credit = _after_marker(caption, folded, hits)
    return credit


def _hit_starts(hits: Sequence[Hit]) -> list[int]:
    return [hit.start for hit in hits]


def _trim_end(caption: str, end: int) -> int:
    while end > 0 and caption[end - 1] in _TRAILING_JUNK:
        end -= 1
    return end


def _bracketed(
    caption: str, folded: str, end: int, hits: Sequence[Hit], after_reference: bool = False
) -> Credit | None:
    if caption[end - 1] != ")":
        return None
    opening = _opening_bracket(caption, end - 1)
    if opening is None:
        return None
    inner_start, inner_end = opening + 1, end - 1
    if _is_reference_group(caption[inner_start:inner_end]):
        # "...Photo by Jane Doe/Shutterstock (14498765c)": the credit is before the reference.
        before = _trim_end(caption, opening)
        if before == 0 or after_reference:
            return None
        return _bracketed(caption, folded, before, hits, True) or _last_sentence(
            caption, folded, before, hits
        )
    credit = _read_chain(caption, inner_start, inner_end, hits, require=True)
    if credit is None:
        return None
    # Notes in brackets just before the credit belong to it: "(Pool photo) (Yonhap)".
    first = opening
    notes: list[Party] = []
    while len(notes) < _MAX_NOTES:
        before = first
        while before > 0 and caption[before - 1] == " ":
            before -= 1
        if before == 0 or caption[before - 1] != ")":
            break
        note_open = _opening_bracket(caption, before - 1)
        if note_open is None:
            break
        note = caption[note_open + 1 : before - 1]
        if not _is_note(note, note_open + 1, before - 1, hits):
            break
        flags = read_segment(note)
        notes.insert(0, Party(Role.TAG, "", handout=flags.handout, pool=flags.pool))
        first = note_open
    if first == opening:
        return credit
    parties = tuple(notes) + credit.parties
    return Credit(caption[first:end], first, end, parties, credit.agency, credit.via)


def _is_reference_group(text: str) -> bool:
    return bool(re.fullmatch(r"\d{5,9}[a-z]{0,3}", text.strip()))


def _is_note(text: str, start: int, end: int, hits: Sequence[Hit]) -> bool:
    """A short bracketed note that is no credit itself: "Pool photo", "PHOTO NOT FOR SALE"."""
    if "/" in text or len(text.split()) > 6:
        return False
    party = read_segment(text)
    if party.handout or party.pool:
        return True
    return any(start <= hit.start and hit.end <= end for hit in hits)


def _opening_bracket(caption: str, closing: int) -> int | None:
    depth = 0
    floor = max(0, closing - 300)
    for index in range(closing, floor - 1, -1):
        ch = caption[index]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return index
    return None


def _last_sentence(caption: str, folded: str, end: int, hits: Sequence[Hit]) -> Credit | None:
    start = sentence_start(caption, end, max(0, end - 400))
    marker = _last_marker(folded, start, end)
    if marker is None or marker == start:
        return _read_chain(caption, start, end, hits, require=marker is None, sentence=True)
    # "EPA-EFE/ISRAELI ARMY HANDOUT -- MANDATORY CREDIT: ISRAELI ARMY": a marker in the middle
    # of a sentence starts the credit only when what follows names an agency.
    after = _read_chain(caption, marker, end, hits, require=False, sentence=True)
    if after is not None and after.agency is not None and after.agency.profile is not None:
        return after
    whole = _read_chain(caption, start, end, hits, require=True, sentence=True)
    if whole is not None and whole.agency is not None and whole.agency.profile is not None:
        return whole
    return after or whole


def _last_marker(folded: str, start: int, end: int) -> int | None:
    found = None
    for match in _FOLDED_MARKER.finditer(folded, start, end):
        found = match.start()
    return found


def _after_marker(caption: str, folded: str, hits: Sequence[Hit]) -> Credit | None:
    if not any(clue in folded for clue in _MARKER_CLUES):
        return None
    markers = list(_FOLDED_MARKER.finditer(folded))
    for match in reversed(markers[-_MAX_MARKERS:]):
        stop = min(len(caption), match.end() + _MAX_CREDIT_CHARS)
        for candidate in (caption.find("\n", match.end()), caption.find(")", match.end())):
            if candidate != -1:
                stop = min(stop, candidate)
        next_hit = bisect_left(_hit_starts(hits), match.end())
        if next_hit < len(hits):
            stop = min(stop, hits[next_hit].start)
        stop = _trim_end(caption, stop)
        if stop <= match.end():
            continue
        credit = _read_chain(caption, match.start(), stop, hits, require=False, sentence=True)
        if credit is not None:
            return credit
    return None


def _read_chain(
    caption: str,
    start: int,
    end: int,
    hits: Sequence[Hit],
    *,
    require: bool,
    sentence: bool = False,
) -> Credit | None:
    """Read caption[start:end] as a credit chain; None when it does not look like one."""
    marked = False
    for _ in range(_MAX_MARKERS):
        marker = _MARKER.match(caption, start, end)
        if marker is None or marker.end() == start:
            break
        start = marker.end()
        marked = True
    while start < end and caption[start] in " \t\n(=":
        start += 1
    for hit in hits:
        if hit.start >= start:
            if hit.start < end:
                # A credit never runs into a restriction phrase ("dpa - ACHTUNG: Nur zur ...").
                end = hit.start
            break
    opening = caption.rfind("(", start, end)
    if opening != -1:
        reference = _REFERENCE_GROUP.search(caption, start, end)
        if reference is not None:
            end = reference.start()
        opening = caption.rfind("(", start, end)
        if opening != -1 and caption.find(")", opening, end) == -1:
            # "Jane Doe/Shutterstock (14312345b" without its closing bracket: the reference.
            end = opening
    end = _trim_end(caption, end)
    if (
        end > start
        and caption[end - 1] == ")"
        and caption.count("(", start, end) < caption.count(")", start, end)
    ):
        end = _trim_end(caption, end - 1)
    if start >= end:
        return None
    text = caption[start:end]
    via = None
    if "via" in text or "VIA" in text or "Via" in text:
        vias = list(_VIA.finditer(text))
        via = vias[-1] if vias else None
    segments: list[tuple[int, int]] = []
    agency: Party | None = None
    credit_end = end
    if via is not None:
        before = _split_segments(caption, start, start + via.start())
        after_start = start + via.end()
        after, credit_end = _distributor(caption, after_start, end)
        if not after:
            return None
        segments = before
        distributor = [read_segment(caption[s:e]) for s, e in after]
        agency = next((p for p in distributor if p.role is Role.AGENCY), None)
        if agency is None:
            agency = next((p for p in distributor if p.role is Role.ORGANISATION), None)
        after_parties = distributor
    else:
        segments = _split_segments(caption, start, end)
        after_parties = []
    if not segments and via is None:
        return None
    if segments:
        segments, start = _clip_first(caption, segments, start, sentence)
        if via is None:
            if not segments:
                return None
            segments, credit_end = _clip_last(caption, segments)
    elif via is not None:
        start = start + via.start() + (len(via.group()) - len(via.group().lstrip(", ")))
    parties = [read_segment(caption[s:e]) for s, e in segments]
    for index in range(len(parties) - 1):
        following = parties[index + 1]
        if parties[index].role is Role.PERSON and following.handout and not following.name:
            # "SOS Mediterranee/Handout": whoever issues a handout is an organisation.
            parties[index] = Party(Role.ORGANISATION, parties[index].name)
    all_parties = tuple(parties + after_parties)
    if via is None:
        agency = next((p for p in reversed(all_parties) if p.role is Role.AGENCY), None)
        first = all_parties[0]
        closing = agency is not None and agency.profile is not None and agency.profile.closes_credit
        if (
            len(segments) > 1
            and not closing
            and first.profile is not None
            and first.profile.leads_credit
            and caption[segments[0][1] : segments[1][0]].strip() == "/"
        ):
            # "EPA-EFE/KREMLIN POOL/SPUTNIK": an agency first, before a slash, is the distributor.
            agency = first
        if agency is None:
            agency = next((p for p in reversed(all_parties) if p.role is Role.ORGANISATION), None)
    if (
        require
        and not marked
        and not _looks_like_credit(caption, segments, all_parties, via is not None)
    ):
        return None
    if not any(p.name for p in all_parties) and via is None and not marked:
        return None
    credit_text = caption[start:credit_end]
    return Credit(credit_text, start, credit_end, all_parties, agency, via is not None)


def _distributor(caption: str, start: int, end: int) -> tuple[list[tuple[int, int]], int]:
    """Segments after "via": the agency name (and "/File Photo"), stopping before other text."""
    text = caption[start:end]
    prefix = profile_prefix(text)
    if prefix is not None:
        _, length = prefix
        name_end = start + length
        while name_end > start and caption[name_end - 1] in ".,;:":
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


def _split_segments(caption: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a chain on "/", or on ", " when it has no slash, or on " - " next to an agency."""
    text = caption[start:end]
    pieces: list[tuple[int, int]] = []
    cursor = 0
    separator = _SLASH if "/" in text else None
    if (
        separator is None
        and ", " in text
        and not re.search(r"\s/\s|\s[-–]\s", text)
        and all(len(piece.split()) <= 6 for piece in text.split(", "))
    ):
        separator = _COMMA
    if separator is not None:
        for match in separator.finditer(text):
            pieces.append((start + cursor, start + match.start()))
            cursor = match.end()
    pieces.append((start + cursor, end))
    result: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        result.extend(_split_dash(caption, piece_start, piece_end))
    return [(s, e) for s, e in result if caption[s:e].strip()]


def _split_dash(caption: str, start: int, end: int) -> list[tuple[int, int]]:
    text = caption[start:end]
    if "-" not in text and "–" not in text:
        return [(start, end)]
    if profile_for_segment(text) is not None:
        return [(start, end)]
    match = _DASH.search(text)
    if match is not None:
        left, right = text[: match.start()], text[match.end() :]
        if profile_for_segment(left) or profile_for_segment(right):
            return [(start, start + match.start()), (start + match.end(), end)]
    if "-" in text and " " not in text.strip():
        left, _, right = text.strip().partition("-")
        if profile_for_segment(left) and profile_for_segment(right):
            offset = start + text.index("-")
            return [(start, offset), (offset + 1, end)]
    for dash in _JOINED_DASH.finditer(text):
        # "Mark J. Rebilas-USA TODAY Sports": a photographer joined to an organisation.
        left, right = text[: dash.start()], text[dash.end() :]
        named = len(right.split()) >= 2 or profile_for_segment(right) is not None
        if named and is_person(left.strip()) and read_segment(right).role is not Role.PERSON:
            return [(start, start + dash.start()), (start + dash.end(), end)]
    return [(start, end)]


def _clip_first(
    caption: str, segments: list[tuple[int, int]], start: int, sentence: bool
) -> tuple[list[tuple[int, int]], int]:
    """The first segment runs back to the sentence start; keep only the name at its end."""
    first_start, first_end = segments[0]
    text = caption[first_start:first_end]
    glued = _GLUED_TAG.search(text) if text.endswith(_GLUED_ENDINGS) else None
    if glued is not None:
        new_start = first_start + glued.start()
        return [(new_start, first_end), *segments[1:]], new_start
    note = _SUBJECT_NOTE.search(text) if ")" in text else None
    if note is not None and phrase_key(note.group("note")) in SUBJECT_NOTES:
        rest = segments[1:]
        return rest, rest[0][0] if rest else first_end
    words = text.split()
    if len(words) <= _MAX_FIRST_WORDS and ", " not in text:
        return segments, start
    kept: list[str] = []
    for word in reversed(words):
        if not is_name_word(word) or len(kept) == 4:
            break
        kept.insert(0, word)
    if len(kept) >= 3 and not any(len(w.strip(".")) <= 2 for w in kept):
        kept = kept[-2:]
    if not kept:
        rest = segments[1:]
        return rest, rest[0][0] if rest else first_end
    new_start = first_end - len(" ".join(kept))
    while new_start < first_end and caption[new_start].isspace():
        new_start += 1
    return [(new_start, first_end), *segments[1:]], new_start


def _clip_last(caption: str, segments: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """The last segment stops before trailing upper-case instructions ("Gleb Garanich TPX ...")."""
    last_start, last_end = segments[-1]
    text = caption[last_start:last_end]
    words = list(re.finditer(r"\S+", text))
    if words:
        first_key = phrase_key(words[0].group())
        if first_key in _GLUE_WORDS and len(words) > 1:
            if phrase_key(" ".join(w.group() for w in words[:2])) == "file photo":
                cut = last_start + words[1].end()
            else:
                cut = last_start + words[0].end()
            return [*segments[:-1], (last_start, cut)], cut
        for index, word in enumerate(words[1:], start=1):
            if word.group() in INSTRUCTION_WORDS:
                cut = last_start + words[index - 1].end()
                return [*segments[:-1], (last_start, cut)], cut
        seen_lower = False
        for index, word in enumerate(words):
            token = word.group()
            if any(c.islower() for c in token):
                seen_lower = True
                continue
            upper_run = index + 1 < len(words) and not any(
                c.islower() for c in words[index + 1].group()
            )
            previous = words[index - 1].group() if index else ""
            if seen_lower and upper_run and previous not in _CONNECTORS:
                # "Jane Doe NO USE ON COVERS": upper-case words after a name are instructions.
                cut = last_start + words[index - 1].end()
                return [*segments[:-1], (last_start, cut)], cut
    return segments, last_end


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


def agency_reference(caption: str, profile: Profile | None, credit: Credit | None) -> str | None:
    """The agency's own picture id: EPA's leading 'epa09674804', Shutterstock's '(12345678a)'."""
    if profile is None:
        return None
    for reference in profile.references:
        if reference.after_credit:
            if credit is None:
                continue
            match = reference.pattern.search(caption[credit.end : credit.end + 40])
        else:
            match = reference.pattern.search(caption)
        if match is not None:
            return match.group(1)
    return None
