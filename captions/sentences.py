"""Sentence boundaries in captions full of abbreviations ("U.S. Navy", "Feb. 16", "S. LESSER").

A full stop ends a sentence when it follows a lower-case word, a digit, a closing quote or
bracket, or an upper-case word of two letters or more, and is followed by a space or a
capital ("...April 6.Iran's Foreign Ministry/..."), but not by a number ("Feb. 16").
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(
    r"[.!?](?:(?<=[^\W\d_]{2}[.!?])|(?<=[\d)\]\"'”’»][.!?]))(?=\s+[^\d\s]|[A-Z\"“])"
    r"|\n"
)
_NOT_AFTER = re.compile(
    r"(?:^|\W)(?:[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Rev|Prof|No|Nos|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Pvt|Pvts|Gov|Sen|Rep|Inc|Ltd|Co|Corp)$"
)


def boundaries(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets where sentences start (just after each boundary) within text[start:end]."""
    stop = len(text) if end is None else end
    found: list[int] = []
    # Look a little past `stop`: a boundary just before it is only known by what follows it.
    for match in _BOUNDARY.finditer(text, start, min(len(text), stop + 2)):
        if match.end() > stop:
            break
        if match.group() != "\n" and _NOT_AFTER.search(
            text, max(0, match.start() - 6), match.start()
        ):
            continue
        found.append(match.end())
    return found


def sentence_start(text: str, end: int, floor: int = 0) -> int:
    """Where the sentence containing text[end-1] starts (not before `floor`)."""
    starts = boundaries(text, floor, end)
    position = starts[-1] if starts else floor
    while position < end and text[position].isspace():
        position += 1
    return position
