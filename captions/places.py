"""The dateline place: where the caption says the picture was taken ("in Kyiv, Ukraine").

Read from the sentence that carries the date: the place phrase after "in", "near", "à", "no"...
closest to the date, preferring "on DATE in CITY" and "in CITY, DATE". Loose by design.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from captions.dates import STOP_WORDS, FoundDate
from captions.sentences import boundaries, sentence_start
from captions.tolerant import fold

_DATA = tomllib.loads((resources.files("captions") / "places.toml").read_text("utf-8"))
_STRONG = set(_DATA["prepositions"]["strong"])
_INSIDE = set(_DATA["words"]["inside_place"])
_NAMED = tuple(_DATA["words"]["named"])

_PREPOSITIONS = sorted(_STRONG | set(_DATA["prepositions"]["weak"]), key=len, reverse=True)
_ARTICLE = r"(?:(?:the|an|a|le|la|les|l'|el|los|las|il|lo|o|os|der|die|dem|den|das|un|une)\s+)?"
_CANDIDATE = re.compile(
    r"[\s(](?P<prep>" + "|".join(re.escape(p) for p in _PREPOSITIONS) + r")\s+" + _ARTICLE
)
_STOP_WORDS = STOP_WORDS
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+$")
_MAX_PLACE_WORDS = 12
_MAX_PLACE_CHARS = 160
# A dateline sits in one sentence; longer "sentences" are not read further than this.
_MAX_SENTENCE_CHARS = 600
_IMMEDIATE = re.compile(r",?\s+(?:in|à|en|em|no|na|a)\s")


def find_place(caption: str, limit: int, found: FoundDate | None) -> str | None:
    """The dateline phrase in caption[:limit], anchored on the caption's date when it has one."""
    if limit <= 0:
        return None
    if found is not None and found.end <= limit:
        start = sentence_start(caption, found.start, max(0, found.start - _MAX_SENTENCE_CHARS))
        stop = min(limit, found.end + _MAX_SENTENCE_CHARS)
        after = boundaries(caption, found.end, stop)
        end = after[0] if after else stop
        return _around_date(caption, start, end, found)
    stop = min(limit, _MAX_SENTENCE_CHARS)
    after = boundaries(caption, 0, stop)
    end = after[0] if after else stop
    for _position, prep_end, _strong in reversed(_candidates(caption, 0, end)):
        phrase = _phrase(caption, prep_end, end)
        if phrase:
            return phrase
    return None


def _around_date(caption: str, start: int, end: int, found: FoundDate) -> str | None:
    candidates = _candidates(caption, start, end)
    immediate = _IMMEDIATE.match(caption, found.end)
    if immediate is not None:
        for position, prep_end, _strong in candidates:
            if found.end <= position < immediate.end():
                phrase = _phrase(caption, prep_end, end)
                if phrase:
                    return phrase
    before = [c for c in candidates if c[0] < found.start]
    for wanted in (True, False):
        for _position, prep_end, strong in reversed(before):
            if strong is wanted:
                phrase = _phrase(caption, prep_end, found.start)
                if phrase:
                    return phrase
    for position, prep_end, _strong in candidates:
        if position >= found.end:
            phrase = _phrase(caption, prep_end, end)
            if phrase:
                return phrase
    return _comma_place(caption, start, found.start)


def _candidates(caption: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Prepositions that may open a place: (where, where the place would start, strong?)."""
    result: list[tuple[int, int, bool]] = []
    for match in _CANDIDATE.finditer(caption, start, end):
        position = match.start() + 1
        result.append((position, match.end(), match.group("prep") in _STRONG))
    return result


def _phrase(caption: str, position: int, stop: int) -> str | None:
    """The place words starting at `position`: capitalised words and a few joiners."""
    for named in _NAMED:
        if caption.startswith(named, position):
            return named
    stop = min(stop, position + _MAX_PLACE_CHARS)
    bracket = caption.find("(", position, stop)
    if bracket != -1:
        stop = bracket
    words: list[str] = []
    for word in caption[position:stop].split():
        comma = word.endswith(",")
        if comma:
            word = word[:-1]
        bare = word.rstrip(".:;!?\"'”")
        if not bare or bare[0].isdigit() or fold(bare) in _STOP_WORDS:
            break
        if not (bare[0].isupper() or bare in _INSIDE) or len(words) == _MAX_PLACE_WORDS:
            break
        abbreviation = _ABBREVIATION.match(word) is not None
        words.append((word if abbreviation else bare) + ("," if comma else ""))
        if word != bare and not abbreviation:
            break
        if abbreviation and not comma:
            break
    while words and (words[-1].rstrip(",") in _INSIDE or not words[-1].rstrip(",")):
        words.pop()
    if not words or not any(w[0].isupper() for w in words):
        return None
    return " ".join(words).rstrip(",")


def _comma_place(caption: str, start: int, date_start: int) -> str | None:
    """'Night view of glaciers , Antarctica on November 08, 2019' -> 'Antarctica'."""
    before = caption[start:date_start].rstrip()
    before = re.sub(r"(?:,|\s+on|\s+le|\s+el|\s+am)$", "", before).rstrip(" ,")
    comma = before.rfind(",")
    if comma == -1:
        return None
    segment = before[comma + 1 :].strip().rstrip(".")
    words = segment.split()
    if fold(segment) in _STOP_WORDS:
        return None
    if 1 <= len(words) <= 4 and all(w[0].isupper() or w in _INSIDE for w in words):
        return segment
    return None
