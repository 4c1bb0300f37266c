"""EmbeddedMetadata: the normalised reading of the IPTC, XMP and EXIF blocks of a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class EmbeddedMetadata:
    """Normalised fields (DESIGN.md) plus `raw` per block and `warnings` for what was unreadable.

    Text fields are None when absent. `date_created` is an ISO string as found (date or
    date-time). `raw` maps "iptc" / "xmp" / "exif" to that block's fields by tag name.
    `by_origin` keeps, for each text field, the value of every block that had one
    ({"special_instructions": {"iptc": "NO SALES", "xmp": "EDITORIAL USE ONLY"}}): the
    normalised field shows the winner, but rights must weigh every block, each with its
    origin, so that no restriction is dropped because another block won.
    """

    caption: str | None = None
    headline: str | None = None
    object_name: str | None = None
    byline: str | None = None
    credit: str | None = None
    source: str | None = None
    copyright: str | None = None
    special_instructions: str | None = None
    usage_terms: str | None = None
    keywords: list[str] = field(default_factory=list)
    date_created: str | None = None
    city: str | None = None
    country: str | None = None
    job_id: str | None = None
    width: int | None = None
    height: int | None = None
    media_type: str | None = None
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    by_origin: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class RightsFields:
    """The rights text written into downloads (`embed_rights`).

    None leaves whatever the file already holds for that field: a download must never
    lose a restriction the agency embedded just because our record lacks it.
    """

    caption: str | None = None
    special_instructions: str | None = None
    credit: str | None = None
    source: str | None = None
    copyright: str | None = None
    usage_terms: str | None = None
