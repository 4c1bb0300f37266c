"""Licensing fields: PLUS releases and parties, xmpRights, IIM release and expiration dates.

Read from every IPTC stream and every XMP packet, each value kept with the field and block it
came from, so the rights reading can cite it. Values are JSON-friendly dicts (stored with the
asset's embedded fields, shown in the API):

    {"field": "plus:ModelReleaseStatus", "origin": "xmp", "value": "...MR-NON", "status": "none"}
    {"field": "IPTC 2:37 ExpirationDate", "origin": "iptc", "value": "20270131 235900+0000",
     "at": "2027-01-31T23:59:00+00:00"}

A release status is read as PLUS's vocabulary (none, not_applicable, limited, unlimited); any
other text is "unknown", which the rights reading treats as no release. A date that cannot be
read keeps "at": None, which the policy reviews. A date without a time or zone is read the way
that restricts most: an embargo ends at the latest instant the date could mean (the day starts
last at UTC-12), an expiry at the earliest (the day ends first at UTC+14).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from assets.metadata.iptc import IptcData
from assets.metadata.xmp import IPTC_EXT, PLUS, XMP_RIGHTS, PropertyValue, XmpData

RIGHTSDESK_XMP = "https://rightsdesk.org/ns/xmp/1.0/"
"""The namespace of the ODRL policy a download carries (assets.metadata.xmp_licensing)."""

Entry = dict[str, Any]

PLUS_VOCAB = "http://ns.useplus.org/ldf/vocab/"
MODEL_RELEASE = {
    "MR-NON": "none",
    "MR-NAP": "not_applicable",
    "MR-LMR": "limited",
    "MR-UMR": "unlimited",
}
PROPERTY_RELEASE = {
    "PR-NON": "none",
    "PR-NAP": "not_applicable",
    "PR-LPR": "limited",
    "PR-UPR": "unlimited",
}
# The words ExifTool and PLUS use for the same codes.
_STATUS_WORDS = {
    "none": "none",
    "not applicable": "not_applicable",
    "limited or incomplete model releases": "limited",
    "limited or incomplete property releases": "limited",
    "unlimited model releases": "unlimited",
    "unlimited property releases": "unlimited",
}

# PLUS structures: (property, member holding the name) -> key in the licensing dict
_PARTIES = {
    "image_supplier": ("ImageSupplier", "ImageSupplierName"),
    "copyright_owner": ("CopyrightOwner", "CopyrightOwnerName"),
    "licensee": ("Licensee", "LicenseeName"),
    "licensor": ("Licensor", "LicensorName"),
}
MAX_VALUES = 64
"""Values kept per kind; beyond, one entry says the rest were not read, and restricts."""
_EARLIEST_ZONE = timedelta(hours=14)
_XMP_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?)?$")
_IIM_DATE = re.compile(r"^\d{8}$")
_IIM_TIME = re.compile(r"^(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?$")
_LATEST_ZONE = timedelta(hours=12)
_ZONES = (-_LATEST_ZONE, _EARLIEST_ZONE)
"""The offsets time zones have (UTC-12 to UTC+14); a date stated in any other is unreadable:
an offset of -99:59 would move an expiry four days later than any place could mean."""


def read_licensing(iptc: Iterable[IptcData], xmp: Iterable[XmpData]) -> dict[str, list[Entry]]:
    """Every licensing value of every block, by kind; kinds with no value are left out."""
    out: dict[str, list[Entry]] = {}

    def add(kind: str, entry: Entry) -> None:
        kept = out.setdefault(kind, [])
        if entry in kept:
            return
        if len(kept) < MAX_VALUES:
            kept.append(entry)
        elif len(kept) == MAX_VALUES:  # once: what was not read may restrict, so it does
            kept.append(_beyond(entry))

    for stream in iptc:
        for entry in _iim_window(stream, "Release", "2:30", "2:35", ends=False):
            add("release", entry)
        for entry in _iim_window(stream, "Expiration", "2:37", "2:38", ends=True):
            add("expiration", entry)
    for packet in xmp:
        for value in _every_text(packet, PLUS, "ModelReleaseStatus"):
            add("model_release_status", _status("plus:ModelReleaseStatus", value, MODEL_RELEASE))
        for value in _every_text(packet, PLUS, "PropertyReleaseStatus"):
            add(
                "property_release_status",
                _status("plus:PropertyReleaseStatus", value, PROPERTY_RELEASE),
            )
        for kind, (ns, name) in {
            "model_release_id": (PLUS, "ModelReleaseID"),
            "property_release_id": (PLUS, "PropertyReleaseID"),
            "model_age": (PLUS, "ModelAge"),
            "web_statement": (XMP_RIGHTS, "WebStatement"),
            "marked": (XMP_RIGHTS, "Marked"),
            "usage_terms": (XMP_RIGHTS, "UsageTerms"),
        }.items():
            prefix = "Iptc4xmpExt" if ns == IPTC_EXT else "plus" if ns == PLUS else "xmpRights"
            for value in _texts(packet, ns, name):
                add(kind, _entry(f"{prefix}:{name}", value))
        for value in _every_text(packet, IPTC_EXT, "PersonInImage"):
            add("people", _entry("Iptc4xmpExt:PersonInImage", value))
        named = _struct_texts(packet, IPTC_EXT, "PersonInImageWDetails", "PersonName")
        for value in named:
            add("people", _entry("Iptc4xmpExt:PersonInImageWDetails", value))
        if not named and packet.inner_texts.get((IPTC_EXT, "PersonInImageWDetails")):
            add("people", _entry("Iptc4xmpExt:PersonInImageWDetails", "(a person, no name)"))
        for kind, (prop, member) in _PARTIES.items():
            for value in _struct_texts(packet, PLUS, prop, member):
                add(kind, _entry(f"plus:{member}", value))
        for value in _struct_texts(packet, PLUS, "Licensor", "LicensorURL"):
            add("licensor_url", _entry("plus:LicensorURL", value))
        for value in _texts(packet, RIGHTSDESK_XMP, "OdrlPolicy"):
            add("policy", _entry("rightsdesk:OdrlPolicy", value))
        for value in _texts(packet, PLUS, "LicenseStartDate"):
            add("release", _dated("plus:LicenseStartDate", value, xmp_moment(value, False)))
        for value in _texts(packet, PLUS, "LicenseEndDate"):
            add("expiration", _dated("plus:LicenseEndDate", value, xmp_moment(value, True)))
    return out


def _beyond(entry: Entry) -> Entry:
    """The entry that stands for values not read: an unknown status, a date without an end."""
    marker: Entry = {**entry, "value": f"(more than {MAX_VALUES} values; the rest not read)"}
    if "status" in marker:
        marker["status"] = "unknown"
    if "at" in marker:
        marker["at"] = None
    return marker


def release_status(value: str, vocabulary: dict[str, str]) -> str:
    """A PLUS release status as none / not_applicable / limited / unlimited, else unknown."""
    text = value.strip()
    code = text[len(PLUS_VOCAB) :] if text.startswith(PLUS_VOCAB) else text
    if code.upper() in vocabulary:
        return vocabulary[code.upper()]
    return _STATUS_WORDS.get(" ".join(text.casefold().split()), "unknown")


def _status(field: str, value: str, vocabulary: dict[str, str]) -> Entry:
    return {**_entry(field, value), "status": release_status(value, vocabulary)}


def _entry(field: str, value: str, origin: str = "xmp") -> Entry:
    return {"field": field, "origin": origin, "value": value}


def _dated(field: str, value: str, moment: datetime | None, origin: str = "xmp") -> Entry:
    return {**_entry(field, value, origin), "at": moment.isoformat() if moment else None}


def _texts(packet: XmpData, namespace: str, name: str) -> list[str]:
    """Every text a property holds, in every repeat: list items one by one (up to one more
    than MAX_VALUES, which is enough to say that some were not read)."""
    out: dict[str, None] = {}
    for value in packet.every(namespace, name):
        for text in _flatten(value):
            text = text.strip()
            if text:
                out.setdefault(text)
                if len(out) > MAX_VALUES:
                    return list(out)
    return list(out)


def _every_text(packet: XmpData, namespace: str, name: str) -> list[str]:
    """`_texts`, and every other text the property holds however it is written (an
    `rdf:value` with qualifiers, a structure): a status or a name the data model drops is
    still read, as the value it is, or as an unknown status."""
    out = dict.fromkeys(_texts(packet, namespace, name))
    for text in packet.inner_texts.get((namespace, name), []):
        if len(out) > MAX_VALUES:
            break
        out.setdefault(text.strip())
    return [t for t in out if t]


def _flatten(value: PropertyValue) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for k, v in value.items() if isinstance(v, str) and ":" not in k]
    return [t for item in value for t in _flatten(item)]


def _struct_texts(packet: XmpData, namespace: str, prop: str, member: str) -> list[str]:
    """The `member` of each structure in a PLUS list (plus:ImageSupplier -> names)."""
    qualified = f"plus:{member}" if namespace == PLUS else f"Iptc4xmpExt:{member}"
    out: dict[str, None] = {}
    for value in packet.every(namespace, prop):
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                found = item.get(qualified)
                for text in _flatten(found) if found is not None else []:
                    if text.strip():
                        out.setdefault(text.strip())
                        if len(out) > MAX_VALUES:
                            return list(out)
    return list(out)


def _iim_window(
    stream: IptcData, name: str, date_number: str, time_number: str, *, ends: bool
) -> list[Entry]:
    """IIM ReleaseDate/Time or ExpirationDate/Time as dated entries (the date required).

    The datasets are not repeatable, but a file may repeat them: each date is an entry (with
    the time of the same position), so the policy enforces the strictest.
    """
    dates = [d.strip() for d in stream.values.get(f"{name}Date", []) if isinstance(d, str)]
    times = [t.strip() for t in stream.values.get(f"{name}Time", []) if isinstance(t, str)]
    dates, times = [d for d in dates if d], [t for t in times if t]
    if not dates:
        # a time without its date: unreadable, so reviewed
        return [_dated(f"IPTC {time_number} {name}Time", t, None, "iptc") for t in times[:1]]
    out: list[Entry] = []
    for index, date in enumerate(dates):
        time = times[index] if index < len(times) else None
        field = f"IPTC {date_number} {name}Date"
        value = date
        if time:
            field += f" / {time_number} {name}Time"
            value += f" {time}"
        out.append(_dated(field, value, iim_moment(date, time, ends), "iptc"))
    return out


def iim_moment(date: str, time: object, ends: bool) -> datetime | None:
    """`_iim_moment`, None (unreadable: reviewed) at the edges of the calendar."""
    try:
        return _iim_moment(date, time, ends)
    except OverflowError:
        return None


def _iim_moment(date: str, time: object, ends: bool) -> datetime | None:
    """CCYYMMDD (+ HHMMSS±HHMM) as an instant, read the restricting way when incomplete.

    Only the exact IIM forms are read; anything else (seven digits, words) is unreadable.
    """
    if not _IIM_DATE.match(date.strip()):
        return None
    try:
        day = datetime.strptime(date.strip(), "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    if not isinstance(time, str) or not time.strip():
        return _whole_day(day, ends)
    found = _IIM_TIME.match(time.strip())
    if found is None:
        return None
    hh, mm, ss, sign, zh, zm = found.groups()
    if int(hh) > 23 or int(mm) > 59 or int(ss) > 59:
        return None
    moment = day.replace(hour=int(hh), minute=int(mm), second=int(ss))
    if sign is None:
        return moment - _EARLIEST_ZONE if ends else moment + _LATEST_ZONE
    offset = timedelta(hours=int(zh), minutes=int(zm))
    offset = offset if sign == "+" else -offset
    return moment - offset if _ZONES[0] <= offset <= _ZONES[1] else None


def xmp_moment(value: str, ends: bool) -> datetime | None:
    """`_xmp_moment`, None (unreadable: reviewed) at the edges of the calendar."""
    try:
        return _xmp_moment(value, ends)
    except OverflowError:
        return None


def _xmp_moment(value: str, ends: bool) -> datetime | None:
    """An XMP date (ISO 8601, date or date-time) as an instant, the restricting way."""
    text = value.strip().replace("Z", "+00:00")
    if not _XMP_DATE.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) <= 10:
        return _whole_day(moment.replace(tzinfo=UTC), ends)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
        return moment - _EARLIEST_ZONE if ends else moment + _LATEST_ZONE
    offset = moment.utcoffset()
    if offset is None or not _ZONES[0] <= offset <= _ZONES[1]:
        return None  # no time zone on Earth: a date nobody can place is unreadable
    return moment.astimezone(UTC)


def _whole_day(day: datetime, ends: bool) -> datetime:
    """A date alone: the earliest end of the day anywhere (expiry: it is the last day of use),
    or the latest start of the day anywhere (embargo: not before that day)."""
    if ends:
        return day + timedelta(days=1) - _EARLIEST_ZONE
    return day + _LATEST_ZONE
