"""Turn the date notations of IPTC, XMP and EXIF into one ISO 8601 form.

IPTC splits date (CCYYMMDD) and time (HHMMSS±HHMM), EXIF writes "YYYY:MM:DD HH:MM:SS",
XMP already uses ISO 8601. Placeholders such as "0000:00:00" mean "unknown" and give None.
"""

from __future__ import annotations

import re

_IPTC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_IPTC_TIME = re.compile(r"^(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?$")
_EXIF = re.compile(r"^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_XMP = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def _valid(year: str, month: str, day: str) -> bool:
    return year != "0000" and "01" <= month <= "12" and "01" <= day <= "31"


def iptc_date(date: str | None, time: str | None) -> str | None:
    """2:55 DateCreated (+ 2:60 TimeCreated) -> "YYYY-MM-DD[THH:MM:SS[±HH:MM]]"."""
    if not date:
        return None
    m = _IPTC_DATE.match(date.strip())
    if not m or not _valid(*m.groups()):
        return None
    out = "-".join(m.groups())
    t = _IPTC_TIME.match(time.strip()) if time else None
    if t:
        hh, mm, ss, sign, zh, zm = t.groups()
        out += f"T{hh}:{mm}:{ss}"
        if sign:
            out += f"{sign}{zh}:{zm}"
    return out


def exif_date(value: str | None) -> str | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SS"; placeholders -> None."""
    if not value:
        return None
    m = _EXIF.match(value.strip())
    if not m:
        return None
    year, month, day, hh, mm, ss = m.groups()
    if not _valid(year, month, day):
        return None
    out = f"{year}-{month}-{day}"
    if hh is not None:
        out += f"T{hh}:{mm}:{ss or '00'}"
    return out


def xmp_date(value: str | None) -> str | None:
    """XMP dates are ISO 8601 already; keep them when they look like one."""
    if not value:
        return None
    value = value.strip()
    return value if _XMP.match(value) and not value.startswith("0000") else None
