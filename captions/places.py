"""The dateline place: where the caption says the picture was taken ("in Kyiv, Ukraine").

Read from the sentence that carries the date: the place phrase after "in", "near", "à", "no"...
closest to the date, preferring "on DATE in CITY" and "in CITY, DATE". Loose by design.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from captions.dates import MONTH, WEEKDAY, FoundDate
from captions.sentences import boundaries, sentence_start

_DATA = tomllib.loads((resources.files("captions") / "places.toml").read_text("utf-8"))
_STRONG = set(_DATA["prepositions"]["strong"])
_INSIDE = set(_DATA["words"]["inside_place"])
_NAMED = tuple(_DATA["words"]["named"])

_PREPOSITIONS = sorted(_STRONG | set(_DATA["prepositions"]["weak"]), key=len, reverse=True)
_ARTICLE = r"(?:(?:the|an|a|le|la|les|l'|el|los|las|il|lo|o|os|der|die|dem|den|das|un|une)\s+)?"
_CANDIDATE = re.compile(
    r"(?<![\w'])(?P<prep>" + "|".join(re.escape(p) for p in _PREPOSITIONS) + r")\s+" + _ARTICLE
)
_TOKEN = re.compile(r"(?P<word>[^\s,()]+)(?P<comma>,)?\s*")
_STOP_WORD = re.compile(r"^(?:" + MONTH + "|" + WEEKDAY + r")$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+$")
_IMMEDIATE = re.compile(r",?\s+(?:in|à|en|em|no|na|a)\s")


def find_place(caption: str, limit: int, found: FoundDate | None) -> str | None:
    """The dateline phrase in caption[:limit], anchored on the caption's date when it has one."""
    if limit <= 0:
        return None
    if found is not None and found.end <= limit:
        start = sentence_start(caption, found.start)
        after = boundaries(caption, found.end, limit)
        end = after[0] if after else limit
        return _around_date(caption, start, end, found)
    after = boundaries(caption, 0, limit)
    end = after[0] if after else limit
    candidates = _candidates(caption, 0, end)
    return candidates[-1][2] if candidates else None


def _around_date(caption: str, start: int, end: int, found: FoundDate) -> str | None:
    candidates = _candidates(caption, start, end, found)
    immediate = _IMMEDIATE.match(caption, found.end)
    if immediate is not None:
        for position, _strong, phrase in candidates:
            if found.end <= position < immediate.end():
                return phrase
    before = [c for c in candidates if c[0] < found.start]
    strong = [c for c in before if c[1]]
    if strong:
        return strong[-1][2]
    if before:
        return before[-1][2]
    later = [c for c in candidates if c[0] >= found.end]
    if later:
        return later[0][2]
    return _comma_place(caption, start, found.start)


def _candidates(
    caption: str, start: int, end: int, found: FoundDate | None = None
) -> list[tuple[int, bool, str]]:
    result: list[tuple[int, bool, str]] = []
    for match in _CANDIDATE.finditer(caption, start, end):
        stop = found.start if found is not None and match.start() < found.start else end
        phrase = _phrase(caption, match.end(), stop)
        if phrase:
            result.append((match.start(), match.group("prep") in _STRONG, phrase))
    return result


def _phrase(caption: str, position: int, stop: int) -> str | None:
    for named in _NAMED:
        if caption.startswith(named, position):
            return named
    words: list[str] = []
    for match in _TOKEN.finditer(caption, position, stop):
        if match.start() != position:
            break
        word = match.group("word")
        position = match.end()
        bare = word.rstrip(".:;!?\"'”")
        if not bare or any(ch.isdigit() for ch in bare) or _STOP_WORD.match(bare):
            break
        if not (bare[0].isupper() or bare in _INSIDE):
            break
        ends_sentence = word.endswith(".") and not _ABBREVIATION.match(word)
        words.append((word if _ABBREVIATION.match(word) else bare) + ("," if match.group("comma") else ""))
        if word.endswith((".", ":", ";", "!", "?")) or ends_sentence:
            break
        if caption[match.end() - 1 : match.end()] == "(":
            break
    while words and (words[-1].rstrip(",") in _INSIDE or not words[-1].rstrip(",")):
        words.pop()
    phrase = " ".join(words).rstrip(",")
    if not phrase or not any(w[0].isupper() for w in words):
        return None
    return phrase


def _comma_place(caption: str, start: int, date_start: int) -> str | None:
    """'Night view of glaciers , Antarctica on November 08, 2019' -> 'Antarctica'."""
    before = caption[start:date_start].rstrip()
    before = re.sub(r"(?:,|\s+on|\s+le|\s+el|\s+am)$", "", before).rstrip(" ,")
    comma = before.rfind(",")
    if comma == -1:
        return None
    segment = before[comma + 1 :].strip()
    words = segment.split()
    if 1 <= len(words) <= 4 and all(w[0].isupper() or w in _INSIDE for w in words):
        return segment
    return None
