"""The raw metadata blocks found in a file, before any of them is decoded.

Each container reader (JPEG, TIFF, PNG, WebP, HEIF) only finds and cuts out blocks;
decoding is the same whatever the container, so it lives in iptc.py, xmp.py and exif.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assets.metadata.source import ImageData

# Upper bounds that keep a hostile file from costing seconds or gigabytes. Real files stay
# far below: agency IPTC is a few KB, XMP rarely above 100 KB (extended XMP a few MB).
MAX_BLOCK_BYTES = 16 * 1024 * 1024
MAX_EXTENDED_XMP_BYTES = 16 * 1024 * 1024


def too_large(what: str) -> str:
    """The warning for metadata skipped, without being read, for being beyond the limit."""
    return f"{what} is beyond the {MAX_BLOCK_BYTES >> 20} MB metadata size limit; skipped"


def xmp_too_large(size: int) -> str:
    """The warning for an XMP packet beyond MAX_BLOCK_BYTES, whoever finds it too large."""
    return f"XMP packet of {size} bytes is too large; XMP ignored"


@dataclass(slots=True)
class IptcBlock:
    """One IPTC IIM stream and where it was found ("app13", "tiff", "png", "trailer")."""

    origin: str
    data: bytes


@dataclass(slots=True)
class Blocks:
    """Undecoded metadata cut out of a container.

    `exif` is TIFF-structured (starts with II*/MM*), without the JPEG "Exif\\0\\0" prefix.
    `xmp` is the main packet; `xmp_extended` maps the GUID of each reassembled JPEG
    extended XMP to its bytes (the main packet's xmpNote:HasExtendedXMP names the one to use).
    """

    exif: ImageData | None = None
    xmp: bytes | None = None
    xmp_extended: dict[str, bytes] = field(default_factory=dict)
    iptc: list[IptcBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
