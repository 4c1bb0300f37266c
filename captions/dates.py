"""Dates stated in captions, in the ways agencies write them and in several languages.

Patterns run over the folded caption (lower case, no accents; see tolerant.fold).

"09 January 2022", "Jan. 9, 2022", "9.1.2022", "9 janvier 2022", "9 de enero de 2022",
"9 Ιανουαρίου 2022" -> a date; "September 2013" -> "2013-09"; "on Feb. 4" (no year) -> nothing,
but its span still anchors the dateline place.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from importlib import resources
from typing import Final

from captions.tolerant import (
    fold,
    is_decimal_at,
    is_word_at,
    phrase_atoms,
    phrase_key,
    spaced_pattern,
    trie_pattern,
)

_DATA: Final = tomllib.loads((resources.files("captions") / "months.toml").read_text("utf-8"))
_MONTH_BY_KEY: Final[dict[str, int]] = {}
for _number, _names in _DATA["months"].items():
    for _name in _names:
        _MONTH_BY_KEY.setdefault(phrase_key(_name), int(_number))

# Month and weekday names, folded: words that end a dateline place ("in Rome, Monday").
STOP_WORDS: Final = frozenset([*_MONTH_BY_KEY, *(fold(w) for w in _DATA["words"]["weekdays"])])
MONTH: Final = "(?:" + trie_pattern(phrase_atoms(key) for key in _MONTH_BY_KEY) + r")(?!\w)\.?"
# Weekday names as tolerant.phrase_key reads them ("segunda-feira" -> "segunda feira").
WEEKDAY_KEYS: Final = frozenset(phrase_key(w) for w in _DATA["words"]["weekdays"])
WEEKDAY: Final = (
    "(?:" + trie_pattern(phrase_atoms(w) for w in _DATA["words"]["weekdays"]) + r")(?!\w)"
)
_YEAR: Final = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_DAY: Final = r"[0-3]?\d(?!\d)"
_ORDINAL: Final = r"(?:st|nd|rd|th|er|º|°|\.)?"
_OF: Final = r"(?:(?:de|del|of)\s+)?"

_FULL: Final = re.compile(
    r"(?<![\w.])(?:"
    rf"(?P<d1>{_DAY}){_ORDINAL}\s{{1,3}}{_OF}(?P<m1>{MONTH}),?\s{{1,3}}{_OF}(?P<y1>{_YEAR})"
    rf"|(?P<m2>{MONTH})\s{{1,3}}(?P<d2>{_DAY})(?:st|nd|rd|th)?,?\s{{1,3}}(?P<y2>{_YEAR})"
    rf"|(?P<d3>{_DAY})\.\s?(?P<m3>[01]?\d)\.\s?(?P<y3>{_YEAR})"
    rf"|(?P<d4>{_DAY})(?P<s4>[/-])(?P<m4>[01]?\d)(?P=s4)(?P<y4>{_YEAR})"
    rf"|(?P<y5>{_YEAR})(?P<s5>[-./])(?P<m5>[01]\d)(?P=s5)(?P<d5>[0-3]\d)(?!\d)"
    rf"|(?P<m6>{MONTH}),?\s{{1,3}}{_OF}(?P<y6>{_YEAR})"
    r")"
)
_WEEKDAY_AFTER_COMMA: Final = re.compile(r",\s{1,3}(?P<day>" + WEEKDAY + ")")
# The years _YEAR matches (1800-2099), by their first two digits: str.find looks for these.
_CENTURIES: Final[tuple[str, ...]] = ("20", "19", "18")
_BEFORE_YEAR: Final = 32
_AFTER_YEAR: Final = 7
# A date opens with a digit or a month name; every month name starts with one of these.
_MONTH_HEADS: Final = frozenset(key[:3] for key in _MONTH_BY_KEY)
# Their first two letters when ASCII, as a table by both code points (first * 128 + second):
# most words fail this test without a slice of the caption being made.
_ASCII_MONTH_PAIRS: Final = bytes(
    1 if any(key.startswith(chr(first) + chr(second)) for key in _MONTH_BY_KEY) else 0
    for first in range(128)
    for second in range(128)
)
_PARTIAL: Final = re.compile(
    r"(?<![\w.])(?:"
    rf"(?P<m7>{MONTH})\s{{1,3}}(?P<d7>{_DAY})(?:st|nd|rd|th)?"
    rf"|(?P<d8>{_DAY}){_ORDINAL}\s{{1,3}}{_OF}(?P<m8>{MONTH})"
    r")"
)
# Over the spaced caption (see tolerant.spaced): every month name, and more.
_ANY_MONTH: Final = spaced_pattern(phrase_atoms(key) for key in _MONTH_BY_KEY)
# "dated 5/6/24": day, month and a two-digit year (day first, as in the UK and most of Europe).
_SHORT: Final = re.compile(
    r"(?<![\w/.:])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>\d\d)(?![\w/]|[.:]\d)"
)
_SHORT_CLUE: Final = re.compile(r"\d/\d")
_NOT_PICTURE_DATE: Final = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(fold(w)) for w in _DATA["words"]["not_picture_date"])
    + r")[\s:,-]*(?:on\s+)?(?:"
    + WEEKDAY
    + r"[\s,]*)?$"
)
# Each of those words contains one of these: most windows before a date contain none.
_NOT_PICTURE_LONGEST: Final = {
    max(fold(w).split(), key=len) for w in _DATA["words"]["not_picture_date"]
}
_NOT_PICTURE_CLUES: Final = tuple(
    sorted(
        w for w in _NOT_PICTURE_LONGEST if not any(o != w and o in w for o in _NOT_PICTURE_LONGEST)
    )
)
_NOT_PICTURE_WINDOW: Final = 40
UNDATED_WORDS: Final = tuple(fold(w) for w in _DATA["words"]["undated"])
_UNDATED: Final = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in UNDATED_WORDS) + r")(?!\w)"
)
# Over the spaced caption (see tolerant.spaced): the words above, and more.
_ANY_UNDATED: Final = spaced_pattern(list(map(re.escape, w)) for w in UNDATED_WORDS)
# Plain substring clues first: most captions contain none of the words.
_UNDATED_CLUES: Final = tuple(sorted({max(w.split(), key=len) for w in UNDATED_WORDS}))


class FoundDate:
    """A date in a caption: its value (a date, "YYYY-MM", or None without a year) and span."""

    __slots__ = ("end", "start", "value")

    def __init__(self, value: date | str | None, start: int, end: int) -> None:
        self.value: Final = value
        self.start: Final = start
        self.end: Final = end


def month_number(text: str) -> int | None:
    # A month's key as the folded caption writes it ("january") needs no phrase_key.
    number = _MONTH_BY_KEY.get(text)
    return number if number is not None else _MONTH_BY_KEY.get(phrase_key(text))


# Year, month and day groups of each dated branch, by the last group the branch closes.
_BRANCH_GROUPS: Final = {
    "y1": ("y1", "m1", "d1"),
    "y2": ("y2", "m2", "d2"),
    "y3": ("y3", "m3", "d3"),
    "y4": ("y4", "m4", "d4"),
    "d5": ("y5", "m5", "d5"),
}
# The same by group number (Match.lastindex and Match.group read numbers without a name lookup).
_GROUP_NUMBERS: Final[dict[int, tuple[int, int, int]]] = {
    _FULL.groupindex[last]: (
        _FULL.groupindex[year],
        _FULL.groupindex[month],
        _FULL.groupindex[day],
    )
    for last, (year, month, day) in _BRANCH_GROUPS.items()
}
_DAY_OR_MONTH_FIRST: Final = _FULL.groupindex["y4"]
_MONTH_YEAR: Final = (_FULL.groupindex["m6"], _FULL.groupindex["y6"])


# Dates read so far, by their text: a day's captions write the same date again and again.
_KNOWN_VALUES: Final[dict[str, tuple[int, date | str | None]]] = {}
_MAX_KNOWN_VALUES: Final = 4096


def _known_value(match: re.Match[str]) -> date | str | None:
    """_value(match), remembered by the matched text and its branch (they decide the value)."""
    text = match.group()
    branch = match.lastindex or 0
    known = _KNOWN_VALUES.get(text)
    if known is not None and known[0] == branch:
        return known[1]
    value = _value(match)
    if len(_KNOWN_VALUES) >= _MAX_KNOWN_VALUES:
        _KNOWN_VALUES.clear()
    _KNOWN_VALUES[text] = (branch, value)
    return value


def _value(match: re.Match[str]) -> date | str | None:
    # The branch that matched is known by the last group it closed ("y1", "d5", ...).
    last = match.lastindex
    groups = _GROUP_NUMBERS.get(last) if last is not None else None
    if groups is not None:
        year_text: str
        month_text: str
        day_text: str
        year_text, month_text, day_text = match.group(groups[0], groups[1], groups[2])
        month = int(month_text) if month_text.isdigit() else month_number(month_text)
        day = int(day_text)
        if last == _DAY_OR_MONTH_FIRST and month is not None and month > 12 >= day:
            day, month = month, day
        if month is None:
            return None
        try:
            return date(int(year_text), month, day)
        except ValueError:
            return None
    month_name: str
    year_digits: str
    month_name, year_digits = match.group(_MONTH_YEAR[0], _MONTH_YEAR[1])
    month = month_number(month_name)
    return f"{int(year_digits):04d}-{month:02d}" if month else None


def find_date(folded: str, start: int = 0, end: int | None = None) -> FoundDate | None:
    """The first date with a year (or month and year) in folded[start:end]."""
    stop = len(folded) if end is None else end
    found = _find_full_date(folded, start, stop)
    limit = found.start if found is not None else stop
    if (
        folded.find("/", start, limit) != -1
        and _SHORT_CLUE.search(folded, start, limit) is not None
    ):
        for short in _SHORT.finditer(folded, start, limit):
            value = _short_value(short)
            if value is not None:
                return FoundDate(value, short.start(), short.end())
    return found


def _short_value(match: re.Match[str]) -> date | None:
    day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    if month > 12 >= day:
        day, month = month, day
    try:
        return date(2000 + year if year < 70 else 1900 + year, month, day)
    except ValueError:
        return None


def is_picture_date(folded: str, found: FoundDate) -> bool:
    """False for a date the caption gives as its issue or release date, not the picture's."""
    window_start = max(0, found.start - _NOT_PICTURE_WINDOW)
    window = folded[window_start : found.start]
    for clue in _NOT_PICTURE_CLUES:
        if clue in window:
            return _NOT_PICTURE_DATE.search(folded, window_start, found.start) is None
    return True


def _find_full_date(folded: str, start: int, stop: int) -> FoundDate | None:
    # Every date here has a year: look only around years, not at every character.
    start, stop = _clamped(folded, start, stop)
    searched_to = start
    year = _next_year(folded, start, stop)
    while year != -1:
        window_start = max(searched_to, year - _BEFORE_YEAR)
        window_end = min(stop, year + 4 + _AFTER_YEAR)
        found = _date_around_year(folded, window_start, year, window_end)
        if found is not None:
            return found
        searched_to = year
        year = _next_year(folded, year + 4, stop)
    return None


def _clamped(folded: str, start: int, stop: int) -> tuple[int, int]:
    """`start` and `stop` within the text, as the regex engine reads a search's bounds."""
    return min(max(start, 0), len(folded)), min(max(stop, 0), len(folded))


def _next_year(folded: str, start: int, stop: int) -> int:
    """Where the first year _YEAR matches in folded[start:stop] begins, or -1.

    str.find for each century's two digits: the regex engine would try every character.
    """
    found = -1
    end = stop
    for century in _CENTURIES:
        position = folded.find(century, start, end)
        while position != -1 and not _year_at(folded, position, stop):
            position = folded.find(century, position + 1, end)
        if position != -1:
            found = position
            # A year of another century counts only if it comes before this one.
            end = position + 1
    return found


def _year_at(folded: str, position: int, stop: int) -> bool:
    """folded[position:position + 4] is a year (its first two digits known), no digit after."""
    after = position + 4
    return (
        after <= stop
        and is_decimal_at(folded, position + 2)
        and is_decimal_at(folded, position + 3)
        and (after == stop or not is_decimal_at(folded, after))
    )


def _date_around_year(folded: str, start: int, year: int, end: int) -> FoundDate | None:
    """The first date _FULL reads in folded[start:end], the window around the year at `year`.

    Every date there ends with that year or starts with it, so it starts at `year` or before;
    _FULL is tried only where a date can start, in order: after no letter, digit or full stop
    (its look-behind), at a digit or a month name.
    """
    after_word = start > 0 and _word_or_stop(folded, start - 1)
    for position in range(start, year + 1):
        word = _word_or_stop(folded, position)
        if not after_word and word and _may_open_date(folded, position, year, end):
            match = _FULL.match(folded, position, end)
            if match is not None:
                value = _known_value(match)
                if value is not None:
                    return FoundDate(value, position, match.end())
        after_word = word
    return None


def _may_open_date(folded: str, position: int, year: int, end: int) -> bool:
    """A date can start here: a digit, or the first three letters of a month name.

    At the year itself only "2024-01-05" can: a day is no longer than two digits.
    """
    if position == year:
        return year + 4 < end and 45 <= ord(folded[year + 4]) <= 47  # "-", "." or "/"
    return _digit_or_month_at(folded, position)


def _digit_or_month_at(folded: str, position: int) -> bool:
    """A digit, or the first three letters of a month name, at `position`."""
    if is_decimal_at(folded, position):
        return True
    first = ord(folded[position])
    if first < 128 and position + 1 < len(folded):
        second = ord(folded[position + 1])
        if second < 128 and not _ASCII_MONTH_PAIRS[first * 128 + second]:
            return False
    return folded[position : position + 3] in _MONTH_HEADS


def _word_or_stop(folded: str, position: int) -> bool:
    """folded[position] is what _FULL's look-behind refuses: a word character or a full stop."""
    return is_word_at(folded, position) or folded[position] == "."


def find_partial_date(
    folded: str, start: int = 0, end: int | None = None, spaced_text: bytes | None = None
) -> FoundDate | None:
    """The first day-and-month without a year ("on Feb. 4"): no value, only a place anchor.

    `spaced_text` is tolerant.spaced(folded), when the caller has it: a caption that names no
    month anywhere has no such date.
    """
    if spaced_text is not None and _ANY_MONTH.search(spaced_text) is None:
        return None
    start, stop = _clamped(folded, start, len(folded) if end is None else end)
    # _PARTIAL.search would try its look-behind at every character: try only where it can match.
    after_word = start > 0 and _word_or_stop(folded, start - 1)
    for position in range(start, stop):
        word = _word_or_stop(folded, position)
        if not after_word and word and _digit_or_month_at(folded, position):
            match = _PARTIAL.match(folded, position, stop)
            if match is not None:
                return FoundDate(None, position, match.end())
        after_word = word
    return None


def find_weekday(folded: str, start: int = 0, end: int | None = None) -> FoundDate | None:
    """A weekday set off by a comma ("in Nairobi, Kenya, Tuesday."): no value, a place anchor.

    AP dates a same-day picture by its weekday alone; the dateline place comes just before.
    """
    stop = len(folded) if end is None else end
    if folded.find(",", start, stop) == -1:
        return None
    match = _WEEKDAY_AFTER_COMMA.search(folded, start, stop)
    if match is None:
        return None
    return FoundDate(None, match.start("day"), match.end("day"))


def says_undated(folded: str, spaced_text: bytes | None = None) -> bool:
    """'in this undated file photo': the caption gives no date for the picture.

    `spaced_text` is tolerant.spaced(folded), when the caller has it.
    """
    # Plain substring clues first (cheap), then the spaced pattern (one regex pass).
    for clue in _UNDATED_CLUES:
        if clue in folded:
            break
    else:
        return False
    if spaced_text is not None and _ANY_UNDATED.search(spaced_text) is None:
        return False
    return _UNDATED.search(folded) is not None
