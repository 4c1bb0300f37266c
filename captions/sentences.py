"""Sentence boundaries in captions full of abbreviations ("U.S. Navy", "Feb. 16", "S. LESSER").

A full stop ends a sentence when it follows a lower-case word, a digit, a closing quote or
bracket, or an upper-case word of two letters or more, and is followed by a space or a
capital ("...April 6.Iran's Foreign Ministry/..."), but not by a number ("Feb. 16").
"""

from __future__ import annotations

import re
from typing import Final

# One character class first, so that the engine tries only where one of them occurs; not
# before a web domain's ending ("Jane Roe/ABACAPRESS.COM").
_BOUNDARY: Final = re.compile(
    r"[.!?\n](?:(?<=\n)"
    r"|(?:(?<=[^\W\d_]{2}[.!?])|(?<=[\d)\]\"'”’»][.!?]))(?=\s+[^\d\s]|[A-Z\"“])(?!(?:COM|NET|ORG)\b))"
)
# The characters a boundary starts with: every branch of _BOUNDARY opens with one of them.
_MARKS: Final[tuple[str, ...]] = (".", "\n", "!", "?")
_NOT_AFTER: Final = re.compile(
    r"(?:^|\W)(?:[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Rev|Prof|No|Nos|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Pvt|Pvts|Gov|Sen|Rep|Inc|Ltd|Co|Corp|bzw|usw|vgl|ca|etc)$"
)


def boundaries(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets where sentences start (just after each boundary) within text[start:end]."""
    stop = len(text) if end is None else end
    found: list[int] = []
    # Look a little past `stop`: a boundary just before it is only known by what follows it.
    for match in _BOUNDARY.finditer(text, start, min(len(text), stop + 2)):
        position = match.start()
        if position >= stop:
            break
        if _abbreviation_before(text, position):
            continue
        found.append(position + 1)
    return found


def first_boundary(text: str, start: int, end: int) -> int | None:
    """boundaries(text, start, end)[0], or None: stops reading at the first boundary."""
    reach = min(len(text), end + 2)
    position = _next_candidate(text, start, end)
    while position != -1:
        if _BOUNDARY.match(text, position, reach) is not None and not _abbreviation_before(
            text, position
        ):
            return position + 1
        position = _next_candidate(text, position + 1, end)
    return None


def _next_candidate(text: str, start: int, end: int) -> int:
    """The first of ".", "\n", "!", "?" in text[start:end] (-1 if none): a boundary is one.

    Found with str.find, which is faster than the regex engine trying each character.
    """
    found = -1
    for mark in _MARKS:
        position = text.find(mark, start, end)
        if position != -1 and (found == -1 or position < found):
            found = position
            end = position
    return found


def _last_candidate(text: str, floor: int, end: int) -> int:
    """The last of ".", "\n", "!", "?" in text[floor:end], or -1."""
    found = -1
    for mark in _MARKS:
        position = text.rfind(mark, floor, end)
        if position > found:
            found = position
            floor = position
    return found


def closes_abbreviation(text: str, position: int) -> bool:
    """The full stop at `position` closes an abbreviation ("bzw.", "U.S."): no sentence ends."""
    return text[position] == "." and _abbreviation_before(text, position)


def _abbreviation_before(text: str, position: int) -> bool:
    """The full stop at `position` closes an abbreviation ("Feb.", "U.S."), not a sentence."""
    # Every abbreviation ends with a letter: no regex needed after anything else (or a newline).
    return (
        position > 0
        # ("$" also matches before a final newline: "Feb\n." is read as "Feb.".)
        and (text[position - 1].isalpha() or text[position - 1] == "\n")
        and text[position] != "\n"
        and _NOT_AFTER.search(text, max(0, position - 6), position) is not None
    )


def sentence_start(text: str, end: int, floor: int = 0) -> int:
    """Where the sentence containing text[end-1] starts (not before `floor`)."""
    position = _last_boundary(text, floor, end)
    while position < end and text[position].isspace():
        position += 1
    return position


def _last_boundary(text: str, floor: int, end: int) -> int:
    """boundaries(text, floor, end)[-1], or `floor`: read backwards from `end`."""
    if end <= floor:
        return floor
    reach = min(len(text), end + 2)
    probe = end
    while True:
        # The last candidate character before `probe`: a boundary is one of these.
        position = _last_candidate(text, floor, probe)
        if position == -1:
            return floor
        if _BOUNDARY.match(text, position, reach) is not None and not _abbreviation_before(
            text, position
        ):
            return position + 1
        probe = position
