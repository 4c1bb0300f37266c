"""Find the credit line in a caption: a bracket at the end, the last sentence, or a marker.

Restriction phrases at the end of a caption come after the credit line, so the search starts
where that trailing block begins. What the credit line says is read by `captions.chain`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from captions.chain import (
    GLUE_WORDS,
    Credit,
    before_opener,
    holds_mark,
    marker_atoms,
    read_chain,
    trim_end,
)
from captions.lexicon import RESTRICTION_CUE, RESTRICTION_CUE_INSIDE, Hit
from captions.normalise import readable_word
from captions.parties import INSTRUCTION_WORDS, MARKERS, Party, Role, is_person, read_segment
from captions.profiles import Profile
from captions.sentences import boundaries, first_boundary, sentence_start
from captions.tolerant import fold, is_decimal_at, phrase_key, word_start_trie

__all__ = ["Credit", "agency_reference", "find_credit", "tail_start"]

# Markers over the folded caption, to find one anywhere quickly.
_FOLDED_MARKER: Final = re.compile(word_start_trie(marker_atoms(fold(m)) for m in MARKERS) + r"\s*")
# Every marker holds one of these words (folded): no clue in a range, no marker there. A word
# that holds another clue ("photos", "photo") is left out: the shorter one finds it too.
_MARKER_WORDS: Final = {fold(m).split()[0].rstrip(":") for m in MARKERS}
_MARKER_CLUES: Final = tuple(
    sorted(w for w in _MARKER_WORDS if not any(o != w and o in w for o in _MARKER_WORDS))
)
_REFERENCE: Final = re.compile(r"\d{5,9}[a-zA-Z]{0,3}")
_UPPER_WORD: Final = re.compile(r"[^\W\d_]+")
# "(Kyodo) ==Kyodo": an agency's signature after the caption; "(AP Photo/Name)xx": junk glued
# to the closing bracket.
_SIGNATURE: Final = re.compile(r"(?:^|(?<=[\s)]))={2,}\s*(?P<name>[^\W\d_][\w .-]{0,30})$")
_GLUED_JUNK: Final = re.compile(r"\)[^\W\d_]{1,3}$")
# "... +++ dpa-Bildfunk +++": the supplier's name between desk markers after the caption.
_DESK_NAME: Final = re.compile(r"\+{3}\s*(?P<name>[^\W\d_][\w .-]{0,30}?)\s*\+{3}")
_MAX_DESK_GAP: Final = 4
# Credit lines are short: bounds that keep hostile input linear.
_HANDOUT: Final = "HANDOUT"
_MARKERS_TRIED: Final = 3  # the last few credit markers of a caption are tried
# One-word capitalised markers before a colon ("Image", "Photo"): alt texts glue them to the
# word before ("... in BerlinImage: Kay Nietfeld/dpa").
_GLUED_WORDS: Final = frozenset(
    m[:-1] for m in MARKERS if m[:1].isupper() and m.endswith(":") and " " not in m
)
_MAX_GLUED_WORD: Final = 40
_MAX_GAP: Final = 12
_MAX_NOTES: Final = 4
_MAX_INSTRUCTION: Final = 120
# A mixed-case restriction sentence may be longer ("No use with unauthorised audio, video, ...").
_MAX_MIXED_INSTRUCTION: Final = 240
# A picture id some systems append: a few letters, then six or more digits ("id123456789"),
# or lower-case letters and digits with three digits at least ("id6a94b6"); see _is_picture_id.
_UPPER_A: Final = ord("A")
_UPPER_Z: Final = ord("Z")
_LOWER_A: Final = ord("a")
_LOWER_Z: Final = ord("z")
_ZERO: Final = ord("0")
_NINE: Final = ord("9")
_MAX_ID_LETTERS: Final = 4
_MIN_ID_NUMBER: Final = 6
_MIN_MIXED_ID: Final = 6
_MAX_MIXED_ID: Final = 16
_MIN_MIXED_ID_DIGITS: Final = 3
_MAX_ID_CHARS: Final = 24
# Printable ASCII characters other than the space: never whitespace.
_FIRST_PRINTABLE: Final = 0x21
_LAST_PRINTABLE: Final = 0x7E
_MAX_CREDIT_CHARS: Final = 300
_MAX_NAME_CHARS: Final = 40
_MAX_PARAGRAPHS: Final = 8
_MAX_LEADING_CREDIT: Final = 80


def tail_start(caption: str, hits: list[Hit]) -> int:
    """Where the trailing block of restriction phrases and desk tags begins (or the end)."""
    return _tail_start(caption, hits, _before_trailing_id(caption, len(caption)))


def _tail_start(caption: str, hits: list[Hit], id_start: int) -> int:
    """tail_start, given where a trailing picture id starts (`_before_trailing_id`)."""
    position = id_start
    if hits and hits[-1].end > position:
        # The last phrase's sentence ran on over the id ("... BY A THIRD PARTY id6a94b6").
        position = len(caption)
    index = len(hits) - 1
    consumed = glued = glue_seen = False
    # A phrase may end in punctuation ('MANDATORY CREDIT "AFP PHOTO / US NAVY"'): stop there.
    ends: set[int] = {hit.end for hit in hits} if hits else set()
    # A sentence that opens with a phrase ("RESTRICTIONS: EDITORIAL USE ONLY No use with ...").
    starts: set[int] = {hit.start for hit in hits} if hits else set()
    while True:
        probe = position
        floor = max(0, position - _MAX_GAP)
        while (
            probe > floor
            and (caption[probe - 1].isspace() or caption[probe - 1] in ".,;:/-–!\"'")
            and probe not in ends
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
        previous_end = hits[index].end if index >= 0 else 0
        instruction = _instruction_before(caption, probe, consumed and previous_end <= probe)
        if (
            instruction is not None
            and instruction < previous_end
            and not _leads(caption, instruction)
            and instruction not in starts
        ):
            instruction = None
        if instruction is not None:
            position = instruction
            consumed = True
            glued = False
            continue
        if consumed and not glued:
            # One loose "HANDOUT" between restrictions is glue ("/HANDOUT HANDOUT EDITORIAL USE
            # ONLY"); a second one belongs to the credit ("SERVICE HANDOUT HANDOUT EDITORIAL"), and
            # so does one before EPA's " -- " ("ARMY HANDOUT -- MANDATORY CREDIT: ARMY").
            glue = _glue_before(caption, probe)
            if glue is not None and "--" in caption[probe:position]:
                glue = None
            if glue is not None and (glue_seen or not caption.startswith(_HANDOUT, glue)):
                # "ROYAL THAI POLICE HANDOUT MANDATORY CREDIT HANDOUT EDITORIAL USE ONLY": the
                # block has its "HANDOUT" already; another one after a name closes the credit.
                # EPA opens its block with "HANDOUT", never with "POOL" ("KREMLIN POOL
                # MANDATORY CREDIT").
                previous = hits[index].end if index >= 0 else -1
                if not _glue_follows(caption, glue, previous):
                    glue = None
            if glue is not None:
                position = glue
                glued = glue_seen = True
                continue
        return position if consumed else len(caption)


def _glue_follows(caption: str, glue: int, phrase_end: int) -> bool:
    """The loose 'HANDOUT' at `glue` follows a phrase ending at `phrase_end` or another one."""
    before = glue
    while before > 0 and (caption[before - 1].isspace() or caption[before - 1] in ".,;:/-–"):
        before -= 1
    if before == phrase_end:
        return True
    word_start = before
    while word_start > 0 and caption[word_start - 1].isalpha():
        word_start -= 1
    return phrase_key(caption[word_start:before]) in GLUE_WORDS


def _instruction_before(caption: str, end: int, consumed: bool = False) -> int | None:
    """Start of an upper-case instruction sentence ending at `end` ("NO SALES IN SOUTH KOREA").

    Inside a block of instructions already read, an upper-case sentence with an instruction
    word anywhere is one too ("ONLINE IN-MATCH USE LIMITED TO 45 IMAGES, NO VIDEO EMULATION").
    """
    floor = max(0, end - _MAX_MIXED_INSTRUCTION)
    stop = max(caption.rfind(". ", floor, end), caption.rfind("\n", floor, end))
    if stop == -1:
        return None
    start = stop + 1
    while start < end and caption[start].isspace():
        start += 1
    sentence = caption[start:end]
    if not sentence:
        return None
    if sentence != sentence.upper():
        # "Jane Roe/PA Wire. No use in any advertising.": a mixed-case restriction sentence; in
        # a block already read, one with a cue anywhere ("Online in-match use limited to ...").
        if not sentence[0].isupper():
            return None
        folded = fold(sentence)
        cued = RESTRICTION_CUE.match(folded) is not None or (
            consumed and RESTRICTION_CUE_INSIDE.search(folded) is not None
        )
        return start if cued else None
    if end - start > _MAX_INSTRUCTION:
        return None
    first = sentence.split(" ", 1)[0]
    if readable_word(first) not in INSTRUCTION_WORDS and not (
        consumed and any(word in INSTRUCTION_WORDS for word in _UPPER_WORD.findall(sentence))
    ):
        return None
    return start


def _leads(caption: str, start: int) -> bool:
    return readable_word(caption[start:].split(" ", 1)[0]) in INSTRUCTION_WORDS


def _glue_before(caption: str, end: int) -> int | None:
    """Start of a loose 'HANDOUT' (not '/HANDOUT', '/ POOL') just before `end`, between
    restrictions."""
    start = end
    while start > 0 and caption[start - 1].isalpha():
        start -= 1
    if start == end or phrase_key(caption[start:end]) not in GLUE_WORDS:
        return None
    if start > 0 and not caption[start - 1].isspace():
        return None
    if caption[:start].rstrip().endswith("/"):
        # "EPA/NAME / POOL MAXPPP OUT": a tag after a slash is the credit's last segment.
        return None
    return start


def _before_trailing_id(caption: str, end: int) -> int:
    """`end`, or where a picture id some systems append begins ("... REUTERS/Name id123456789")."""
    stop = trim_end(caption, end)
    if not stop or not caption[stop - 1].isalnum():
        # Most captions end in a name or an agency, some in a full stop: no id.
        return end
    floor = max(0, stop - _MAX_ID_CHARS)
    token_start = _token_start(caption, floor, stop)
    if token_start == floor or not _is_picture_id(caption[token_start:stop]):
        return end
    return token_start


def _token_start(caption: str, floor: int, stop: int) -> int:
    """Start of the run of non-space characters that ends at `stop` (`floor` at the earliest).

    Read by code point: a printable ASCII character is never a space, and needs no call.
    """
    start = stop
    while start > floor:
        code = ord(caption[start - 1])
        if (code < _FIRST_PRINTABLE or code > _LAST_PRINTABLE) and caption[start - 1].isspace():
            break
        start -= 1
    return start


def _is_picture_id(token: str) -> bool:
    """Up to four ASCII letters, then six digits or more ("id123456789", "RTR12345678"); or six to
    sixteen ASCII lower-case letters and digits, three digits at least ("id6a94b6").

    Read by code point: ids are ASCII, and a caption has one or two tokens to try.
    """
    letters = 0
    while letters < len(token) and _is_ascii_letter(ord(token[letters])):
        letters += 1
    if (
        letters <= _MAX_ID_LETTERS
        and len(token) - letters >= _MIN_ID_NUMBER
        and _all_decimal(token, letters)
    ):
        return True
    if not _MIN_MIXED_ID <= len(token) <= _MAX_MIXED_ID:
        return False
    digits = 0
    for ch in token:
        code = ord(ch)
        if _ZERO <= code <= _NINE:
            digits += 1
        elif not _LOWER_A <= code <= _LOWER_Z:
            return False
    return digits >= _MIN_MIXED_ID_DIGITS


def _is_ascii_letter(code: int) -> bool:
    return _UPPER_A <= code <= _UPPER_Z or _LOWER_A <= code <= _LOWER_Z


def _all_decimal(text: str, start: int) -> bool:
    """Every character of text[start:] a decimal digit, as `\\d` reads one (in any script)."""
    return all(is_decimal_at(text, index) for index in range(start, len(text)))


def find_credit(caption: str, hits: list[Hit], folded: str | None = None) -> Credit | None:
    """The caption's credit line: a bracket at the end, the last sentence, or after a marker."""
    if folded is None:
        folded = fold(caption)
    id_start = _before_trailing_id(caption, len(caption))
    end = _tail_start(caption, hits, id_start)
    if end < len(caption):
        # "Jane Roe This photo must not be ...": the sentence of the block opens before it.
        end = before_opener(caption, max(0, end - _MAX_CREDIT_CHARS), end)
        id_start = _before_trailing_id(caption, end)
    body_end = trim_end(caption, id_start)
    if body_end == 0:
        return None
    signature: Credit | None = None
    if holds_mark(caption, "=="):
        signed = _SIGNATURE.search(caption, max(0, body_end - 40), body_end)
        if signed is not None:
            signature = read_chain(caption, signed.start("name"), body_end, hits, require=True)
            body_end = trim_end(caption, signed.start())
            if body_end == 0:
                return signature
    else:
        if holds_mark(caption, "+++"):
            signature = _desk_name(caption, body_end, hits)
        if caption[body_end - 1] != ")" and _GLUED_JUNK.search(
            caption, max(0, body_end - 4), body_end
        ):
            body_end = caption.rindex(")", 0, body_end) + 1
    square = body_end
    while square < len(caption) and caption[square] in " \t":
        square += 1
    if square < len(caption) and caption[square] == "]" and square < end:
        credit = _bracketed(caption, folded, square + 1, hits)
    else:
        credit = _bracketed(caption, folded, body_end, hits)
    if credit is None:
        credit = _last_sentence(caption, folded, body_end, hits)
    if credit is None:
        credit = _after_marker(caption, folded, hits)
    if credit is None and "\n" in caption:
        credit = _paragraph_end(caption, folded, hits)
    if credit is None and signature is None:
        credit = _leading_credit(caption, hits)
    return credit or signature


def _desk_name(caption: str, body_end: int, hits: list[Hit]) -> Credit | None:
    """A known supplier between desk markers right after the caption ("+++ dpa-Bildfunk +++");
    another text there is a desk note ("+++ HANDOUT PHOTO +++")."""
    marked = _DESK_NAME.search(caption, body_end, min(len(caption), body_end + 60))
    if marked is None or marked.start() - body_end > _MAX_DESK_GAP:
        return None
    named = read_chain(caption, marked.start("name"), marked.end("name"), hits, require=False)
    if named is None or named.agency is None or named.agency.profile is None:
        return None
    return named


def _leading_credit(caption: str, hits: list[Hit]) -> Credit | None:
    """A credit that opens the caption as its own sentence ("REUTERS/Jane Roe. A man walks")."""
    first = first_boundary(caption, 0, min(len(caption), _MAX_LEADING_CREDIT))
    if first is None:
        return None
    end = trim_end(caption, first)
    if end == 0:
        return None
    credit = read_chain(caption, 0, end, hits, require=True)
    if credit is None or credit.agency is None or credit.agency.profile is None:
        return None
    # The whole sentence is the credit, not a sentence that mentions an agency.
    if caption[: credit.start].strip(" ([") or ":" in credit.text:
        return None
    return credit


def _paragraph_end(caption: str, folded: str, hits: list[Hit]) -> Credit | None:
    """A caption followed by more text: the credit closes one of the paragraphs."""
    position = caption.find("\n")
    for _ in range(_MAX_PARAGRAPHS):
        if position == -1:
            return None
        end = trim_end(caption, position)
        if end > 0:
            credit = _bracketed(caption, folded, end, hits) or _last_sentence(
                caption, folded, end, hits
            )
            if credit is not None:
                return credit
        position = caption.find("\n", position + 1)
    return None


def _hit_starts(hits: list[Hit]) -> list[int]:
    return [hit.start for hit in hits]


def _bracketed(
    caption: str, folded: str, end: int, hits: list[Hit], after_reference: bool = False
) -> Credit | None:
    if caption[end - 1] == "]":
        # Al Jazeera, Kathimerini: "... in Khan Younis [Hatem Khaled/Reuters]".
        square = caption.rfind("[", max(0, end - _MAX_CREDIT_CHARS), end - 1)
        if square == -1 or "]" in caption[square + 1 : end - 1]:
            return None
        # A capitalised name alone is a credit there: "... in Athens, on Wednesday. [InTime News]".
        capitalised = caption[square + 1 : square + 2].isupper()
        return read_chain(caption, square + 1, end - 1, hits, require=not capitalised)
    if caption[end - 1] != ")":
        return None
    opening = _opening_bracket(caption, end - 1)
    if opening is None:
        return None
    inner_start, inner_end = opening + 1, end - 1
    if _is_reference_group(caption[inner_start:inner_end]):
        # "...Photo by Jane Doe/Shutterstock (14498765c)": the credit is before the reference.
        before = trim_end(caption, opening)
        if before == 0 or after_reference:
            return None
        return _bracketed(caption, folded, before, hits, True) or _last_sentence(
            caption, folded, before, hits
        )
    credit = read_chain(caption, inner_start, inner_end, hits, require=True)
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
        if flags.handout and flags.name and flags.role is not Role.PERSON:
            # "(Photo courtesy of the presidential office) (Yonhap)": the issuer is named.
            notes.insert(0, flags)
        else:
            notes.insert(0, Party(Role.TAG, "", handout=flags.handout, pool=flags.pool))
        first = note_open
    if first == opening and len(credit.parties) == 1 and credit.agency is credit.parties[0]:
        # El País: "Chema Moya (EFE)": the photographer, then the agency in brackets.
        name_start = _name_before(caption, opening)
        if name_start is not None:
            photographer = Party(Role.PERSON, caption[name_start:opening].strip())
            credited = (photographer, *credit.parties)
            return Credit(
                caption[name_start:end], name_start, end, credited, credit.agency, credit.via
            )
    if first == opening:
        return credit
    parties = tuple(notes) + credit.parties
    return Credit(caption[first:end], first, end, parties, credit.agency, credit.via)


def _name_before(caption: str, opening: int) -> int | None:
    """Start of a photographer's name that is a sentence of its own just before `opening`."""
    end = opening
    while end > 0 and caption[end - 1] == " ":
        end -= 1
    start = sentence_start(caption, end, max(0, end - _MAX_NAME_CHARS))
    while start < end and caption[start] in " \t\n":
        start += 1
    if start >= end or not is_person(caption[start:end]):
        return None
    return start


def _is_reference_group(text: str) -> bool:
    return _REFERENCE.fullmatch(text.strip()) is not None


def _is_note(text: str, start: int, end: int, hits: list[Hit]) -> bool:
    """A short bracketed note that is no credit itself: "Pool photo", "PHOTO NOT FOR SALE"."""
    if "/" in text or len(text.split()) > 6:
        return False
    party = read_segment(text)
    if party.handout or party.pool:
        return True
    return any(start <= hit.start and hit.end <= end for hit in hits)


def _opening_bracket(caption: str, closing: int) -> int | None:
    """The "(" matching the ")" at `closing`, at most 300 characters back: bracket to bracket."""
    depth = 0
    floor = max(0, closing - 300)
    index = closing + 1
    while True:
        opening = caption.rfind("(", floor, index)
        index = caption.rfind(")", max(floor, opening + 1), index)
        if index != -1:
            depth += 1
            continue
        if opening == -1:
            return None
        depth -= 1
        if depth == 0:
            return opening
        index = opening


def _last_sentence(caption: str, folded: str, end: int, hits: list[Hit]) -> Credit | None:
    start = sentence_start(caption, end, max(0, end - 400))
    marker = _last_marker(caption, folded, start, end)
    if marker is None or marker == start:
        return read_chain(caption, start, end, hits, require=marker is None)
    # "EPA-EFE/ISRAELI ARMY HANDOUT -- MANDATORY CREDIT: ISRAELI ARMY": a marker in the middle
    # of a sentence starts the credit only when what follows names an agency.
    after = read_chain(caption, marker, end, hits, require=False)
    if after is not None and after.agency is not None and after.agency.profile is not None:
        return after
    whole = read_chain(caption, start, end, hits, require=True)
    if whole is not None and whole.agency is not None and whole.agency.profile is not None:
        return whole
    if whole is not None and whole.agency is not None and (after is None or after.agency is None):
        # "Korea Times photo by Shim Hyun-chul": the words before the marker name the owner.
        return whole
    return after or whole


def _last_marker(caption: str, folded: str, start: int, end: int) -> int | None:
    if not _marker_clue(folded, start, end):
        return None
    found = None
    for match in _FOLDED_MARKER.finditer(folded, start, end):
        found = match.start()
    for glued, _ in _glued_markers(caption, start, end):
        found = glued if found is None else max(found, glued)
    return found


def _glued_markers(caption: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of markers glued to the word before them ("BerlinImage: "), read from each colon."""
    spans: list[tuple[int, int]] = []
    colon = caption.find(":", start, end)
    while colon != -1:
        word_start = colon
        while (
            word_start > max(start, colon - _MAX_GLUED_WORD) and caption[word_start - 1].isalpha()
        ):
            word_start -= 1
        for split in range(word_start + 1, colon - 1):
            if (
                caption[split].isupper()
                and caption[split - 1].islower()
                and caption[split:colon] in _GLUED_WORDS
            ):
                marker_end = colon + 1
                while marker_end < end and caption[marker_end] == " ":
                    marker_end += 1
                spans.append((split, marker_end))
                break
        colon = caption.find(":", colon + 1, end)
    return spans


def _marker_clue(folded: str, start: int, end: int) -> bool:
    """Whether folded[start:end] may hold a credit marker, glued ones included ("BerlinImage:"):
    a few substring searches rule most sentences out before the marker pattern runs."""
    return any(folded.find(clue, start, end) != -1 for clue in _MARKER_CLUES)


def _after_marker(caption: str, folded: str, hits: list[Hit]) -> Credit | None:
    if not _marker_clue(folded, 0, len(folded)):
        return None
    # "... in the Bundestag in BerlinImage: Kay Nietfeld/dpa": a marker glued to the text too.
    found = sorted(
        [(m.start(), m.end()) for m in _FOLDED_MARKER.finditer(folded)]
        + _glued_markers(caption, 0, len(caption))
    )[-_MARKERS_TRIED:]
    # A marker that is itself a restriction phrase ('MANDATORY CREDIT "AFP PHOTO / X"') is read
    # last: a credit after "Photo by" elsewhere is the caption's own.
    inside = [m for m in found if _inside_hit(m[0], hits)]
    markers = inside + [m for m in found if not _inside_hit(m[0], hits)]
    for marker_start, marker_end in reversed(markers):
        stop = min(len(caption), marker_end + _MAX_CREDIT_CHARS)
        for candidate in (caption.find("\n", marker_end), caption.find(")", marker_end)):
            if candidate != -1:
                stop = min(stop, candidate)
        next_hit = bisect_left(_hit_starts(hits), marker_end)
        if next_hit < len(hits):
            stop = min(stop, hits[next_hit].start)
        for sentence_end in boundaries(caption, marker_end, stop):
            # "Foto: Jane Roe/dpa. Verwendung nur mit Genehmigung": a new sentence ends the
            # credit ("ABACAPRESS.COM" does not).
            if sentence_end < len(caption) and caption[sentence_end].isspace():
                stop = sentence_end
                break
        stop = trim_end(caption, stop)
        if stop <= marker_end:
            continue
        credit = read_chain(caption, marker_start, stop, hits, require=False)
        if credit is not None:
            return credit
    return None


def _inside_hit(position: int, hits: list[Hit]) -> bool:
    index = bisect_left(_hit_starts(hits), position + 1) - 1
    return index >= 0 and hits[index].start <= position < hits[index].end


def agency_reference(
    caption: str, profile: Profile | None, credit: Credit | None
) -> tuple[str, int] | None:
    """The agency's own picture id and where its mention ends.

    EPA's leading 'epa09674804'; Shutterstock's '(12345678a)' after the credit, whose end is
    then where the credit's own text ends (the brackets are no instruction).
    """
    if profile is None:
        return None
    for reference in profile.references:
        if reference.after_credit:
            if credit is None:
                continue
            match = reference.pattern.search(caption[credit.end : credit.end + 40])
            if match is not None:
                return match.group(1), credit.end + match.end()
        else:
            match = reference.pattern.search(caption)
            if match is not None:
                return match.group(1), match.end()
    return None
