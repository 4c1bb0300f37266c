"""Which block wins for each normalised field: IPTC, then XMP, then EXIF.

This is the order picture desks and the issue's caption rule use (IPTC 2:120 > XMP
dc:description > EXIF ImageDescription): IPTC is what wire services fill first and what
desk tools edit. Blank values do not count, so an empty IPTC caption lets XMP speak.
IPTC found in APP13/TIFF comes before IPTC found in a trailer.
"""

from __future__ import annotations

from collections.abc import Iterable

from assets.metadata.dates import exif_date, iptc_date, xmp_date
from assets.metadata.exif import ExifData
from assets.metadata.iptc import IptcData
from assets.metadata.model import EmbeddedMetadata
from assets.metadata.xmp import DC, PHOTOSHOP, XMP_RIGHTS, XmpData, as_list

# field -> (IPTC dataset, XMP (namespace, name), exifread tag)
TEXT_SOURCES: dict[str, tuple[str | None, tuple[str, str] | None, str | None]] = {
    "caption": ("Caption-Abstract", (DC, "description"), "Image ImageDescription"),
    "headline": ("Headline", (PHOTOSHOP, "Headline"), None),
    "object_name": ("ObjectName", (DC, "title"), None),
    "byline": ("By-line", (DC, "creator"), "Image Artist"),
    "credit": ("Credit", (PHOTOSHOP, "Credit"), None),
    "source": ("Source", (PHOTOSHOP, "Source"), None),
    "copyright": ("CopyrightNotice", (DC, "rights"), "Image Copyright"),
    "special_instructions": ("SpecialInstructions", (PHOTOSHOP, "Instructions"), None),
    "usage_terms": (None, (XMP_RIGHTS, "UsageTerms"), None),
    "city": ("City", (PHOTOSHOP, "City"), None),
    "country": ("Country-PrimaryLocationName", (PHOTOSHOP, "Country"), None),
    "job_id": ("OriginalTransmissionReference", (PHOTOSHOP, "TransmissionReference"), None),
}


def clean(value: object) -> str | None:
    """Strip surrounding whitespace and NUL padding; blank means absent."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t\r\n\x00")
    return value or None


def _iptc_text(blocks: Iterable[IptcData], name: str) -> str | None:
    """A dataset's text from the first IPTC block that has it; repeats joined with "; "."""
    for block in blocks:
        items = [c for c in (clean(v) for v in block.values.get(name, [])) if c]
        if items:
            return "; ".join(items)
    return None


def apply_precedence(
    meta: EmbeddedMetadata,
    iptc: list[IptcData],
    xmp: XmpData | None,
    exif: ExifData | None,
) -> None:
    """Fill the normalised fields of `meta` from the decoded blocks."""
    for field_name, (dataset, xmp_key, exif_tag) in TEXT_SOURCES.items():
        found = {
            "iptc": _iptc_text(iptc, dataset) if dataset else None,
            "xmp": clean(xmp.text(*xmp_key)) if xmp is not None and xmp_key else None,
            "exif": clean(exif.text(exif_tag)) if exif is not None and exif_tag else None,
        }
        present = {origin: value for origin, value in found.items() if value is not None}
        setattr(meta, field_name, next(iter(present.values()), None))
        if present:
            meta.by_origin[field_name] = present

    keywords: list[str] = []
    for block in iptc:
        keywords = [c for c in (clean(v) for v in block.values.get("Keywords", [])) if c]
        if keywords:
            break
    if not keywords and xmp is not None:
        keywords = [c for c in (clean(v) for v in as_list(xmp.get(DC, "subject"))) if c]
    meta.keywords = keywords

    date = None
    for block in iptc:
        date = iptc_date(block.first("DateCreated"), block.first("TimeCreated"))
        if date:
            break
    if date is None and xmp is not None:
        date = xmp_date(xmp.text(PHOTOSHOP, "DateCreated"))
    if date is None and exif is not None:
        date = exif_date(exif.text("EXIF DateTimeOriginal"))
    meta.date_created = date
