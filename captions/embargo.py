"""When an embargo ends: the date, time and zone written after "EMBARGOED UNTIL" and its kin."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final

from captions.dates import find_date, find_partial_date

# Zones agencies write after embargo times. A bare time is read as UTC.
_ZONES: Final = {
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "IST": 60,
    "CET": 60,
    "MEZ": 60,
    "CEST": 120,
    "MESZ": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "JST": 540,
    "KST": 540,
    "HKT": 480,
    "SGT": 480,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
}
_ZONE: Final = re.compile(
    r"(?<![A-Za-z])(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")"
    r"(?:\s?(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?(?![A-Za-z])"
)
_TIME: Final = re.compile(
    r"(?<![\d.:])(?:"
    r"(?P<h1>[01]?\d|2[0-3])[:.h](?P<m1>[0-5]\d)(?:[:.][0-5]\d)?(?:\s?(?P<ap1>[ap])\.?m\.?)?"
    r"(?:\s?(?:uhr|hrs?)(?![a-z]))?"
    r"|(?P<h2>[01]\d|2[0-3])(?P<m2>[0-5]\d)(?=\s?(?:GMT|UTC|hrs|HRS|h\b|H\b|Uhr|UHR|[A-Z]{2,4}T\b|local|LOCAL))"
    r"|(?P<h3>1[0-2]|0?[1-9])\s?(?P<ap3>[apAP])\.?[mM]\.?"
    r"|(?P<noon>noon|midnight)"
    r")(?![\d])",
    re.IGNORECASE,
)
_WINDOW: Final = 90
# An embargo's time is in its own sentence: "Embargoed until further notice. A ship in Oslo, ..."
# The stop after a day's number is no sentence end ("Sperrfrist: 20. Februar 2026, 00:01 Uhr").
# The look-behinds follow the stop they reach back over, so that only stops are tried.
_SENTENCE_END: Final = re.compile(
    r"[.!?](?<!\b\d[.!?])(?<!\b\d\d[.!?])\s+(?=[A-Z][a-z]|[A-Z]\s)|\n"
)
_REACH: Final = 45


def embargo_time(caption: str, folded: str, position: int) -> tuple[datetime, int] | None:
    """The moment an embargo lifts, written at `position`, and where that writing ends."""
    window_end = _window_end(caption, position)
    found_date = find_date(folded, position, window_end)
    if found_date is not None and (
        found_date.start - position > _REACH
        or not isinstance(found_date.value, date)
        or find_partial_date(folded, position, found_date.start) is not None
    ):
        # "EMBARGOED TO 0001 THURSDAY MAY 16 File photo dated 12/03/23": the embargo's own day
        # comes first and has no year; a later date belongs to the caption.
        found_date = None
    found_time = _first_time(caption, position, window_end, found_date)
    if found_date is None:
        return None
    assert isinstance(found_date.value, date)
    end = found_date.end
    clock = time(0, 0)
    if found_time is not None:
        clock, time_end = found_time
        end = max(end, time_end)
    zone_match = _ZONE.search(caption, position, window_end)
    zone = UTC
    if zone_match is not None and zone_match.start() - end <= 12:
        zone = _zone(zone_match)
        end = max(end, zone_match.end())
    return datetime.combine(found_date.value, clock, tzinfo=zone), end


def _window_end(caption: str, position: int) -> int:
    window_end = min(len(caption), position + _WINDOW)
    stop = _SENTENCE_END.search(caption, position, window_end)
    return stop.start() if stop is not None else window_end


def undated_embargo_end(caption: str, folded: str, position: int) -> int:
    """Where an embargo's time and day without a year end ("0001 GMT 12 MARCH"), else `position`."""
    window_end = _window_end(caption, position)
    end = position
    partial = find_partial_date(folded, position, window_end)
    if partial is not None and partial.start - position <= _REACH:
        end = partial.end
    found_time = _first_time(caption, position, window_end, partial)
    if found_time is not None:
        end = max(end, found_time[1])
    zone_match = _ZONE.search(caption, position, window_end)
    if end > position and zone_match is not None and zone_match.start() - end <= 12:
        end = max(end, zone_match.end())
    return end


def _first_time(caption: str, start: int, end: int, found_date: object) -> tuple[time, int] | None:
    position = start
    while True:
        match = _TIME.search(caption, position, end)
        if match is None or match.start() - start > _REACH + 30:
            return None
        inside_date = found_date is not None and getattr(
            found_date, "start", 0
        ) <= match.start() < getattr(found_date, "end", 0)
        if not inside_date:
            clock = _clock(match)
            if clock is not None:
                return clock, match.end()
        position = match.end()


def _clock(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if groups["noon"]:
        return time(12, 0) if groups["noon"].lower() == "noon" else time(0, 0)
    if groups["h1"] is not None:
        hour, minute, meridiem = int(groups["h1"]), int(groups["m1"]), groups["ap1"]
    elif groups["h2"] is not None:
        hour, minute, meridiem = int(groups["h2"]), int(groups["m2"]), None
    else:
        hour, minute, meridiem = int(groups["h3"]), 0, groups["ap3"]
    if meridiem:
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    if hour > 23:
        return None
    return time(hour, minute)


def _zone(match: re.Match[str]) -> timezone:
    minutes = _ZONES.get(match.group("zone").upper(), 0)
    if match.group("sign"):
        offset = int(match.group("oh")) * 60 + int(match.group("om") or 0)
        minutes += offset if match.group("sign") == "+" else -offset
    return timezone(timedelta(minutes=minutes)) if minutes else UTC
