"""EmbeddedMetadata: the normalised reading of the IPTC, XMP and EXIF blocks of a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class EmbeddedMetadata:
    """The contract's normalised fields plus `raw` per block and `warnings` for what was unreadable.

    Text fields are None when absent. `date_created` is an ISO string as found (date or
    date-time). `raw` maps "iptc" / "xmp" / "exif" to that block's fields by tag name.
    `blocks` holds each block's own rights fields (every block, not only the winners) and
    `unreadable` every block that may carry rights but could not be read.
    `by_origin` keeps, for each text field, the value of every block that had one
    ({"special_instructions": {"iptc": "NO SALES", "xmp": "EDITORIAL USE ONLY"}}): the
    normalised field shows the winner, but rights must weigh every block, each with its
    origin, so that no restriction is dropped because another block won.
    `licensing` holds the PLUS, xmpRights and IIM release/expiration values of every block
    (`assets.metadata.plus`), `provenance` the IPTC DigitalSourceType values and the C2PA
    manifest found, if any (`assets.metadata.provenance`); each value names its field.
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
    blocks: list[BlockValues] = field(default_factory=list)
    unreadable: list[UnreadableBlock] = field(default_factory=list)
    licensing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)


# Where rights may be stated, per block: a block's value of any of these fields is read for
# restrictions by assets.rights_reading, whichever block wins the normalised field.
RIGHTS_FIELDS = (
    "caption",
    "special_instructions",
    "usage_terms",
    "credit",
    "source",
    "copyright",
)


@dataclass(slots=True)
class BlockValues:
    """One block's own statement of the rights fields (RIGHTS_FIELDS), however precedence ends.

    `origin` is the kind of block ("iptc", "xmp", "exif", later "sidecar"); `where` tells
    blocks of one kind apart ("app13", "trailer", "packet 2", "x-default"...). Each field holds
    every text the block gives for it: repeated datasets, every language of an XMP lang-alt,
    repeated properties. Stored with the asset, so every later reading of rights weighs every
    block again without the file.
    """

    origin: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    where: str = ""

    def add(self, field_name: str, text: str | None) -> None:
        """Add one text (blank or repeated texts are not kept twice)."""
        if text is None:
            return
        text = text.strip(" \t\r\n\x00")
        if text and text not in self.fields.setdefault(field_name, []):
            self.fields[field_name].append(text)


@dataclass(frozen=True, slots=True)
class UnreadableBlock:
    """A block that carries or may carry rights and could not be read, whole or in part.

    `block` is "iptc", "xmp", "exif", "file" (the container's structure: blocks after the damage
    were not reached) or "sidecar"; `warning` says what went wrong, in the words of `warnings`.
    Rights read from such a file are incomplete, so every use but editorial goes to review.
    """

    block: str
    warning: str


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
    licensing: LicensingFields | None = None


@dataclass(slots=True, frozen=True)
class LicensingFields:
    """The licensing properties written into a download's XMP beside the rights text.

    `policy` is the asset's ODRL/RightsML policy as JSON-LD text (rightsdesk:OdrlPolicy);
    release statuses are PLUS vocabulary URIs; None leaves the file's own value.
    """

    marked: bool | None = None
    web_statement: str | None = None
    image_supplier: str | None = None
    copyright_owner: str | None = None
    licensor_url: str | None = None
    model_release_status: str | None = None
    property_release_status: str | None = None
    digital_source_type: str | None = None
    policy: str | None = None
