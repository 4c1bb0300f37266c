"""The raw metadata blocks found in a file, before any of them is decoded.

Each container reader (JPEG, TIFF, PNG, WebP, HEIF) only finds and cuts out blocks;
decoding is the same whatever the container, so it lives in iptc.py, xmp.py and exif.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assets.metadata.model import UnreadableBlock
from assets.metadata.source import ImageData

# Upper bounds that keep a hostile file from costing seconds or gigabytes. Real files stay
# far below: agency IPTC is a few KB, XMP rarely above 100 KB (extended XMP a few MB).
MAX_BLOCK_BYTES = 16 * 1024 * 1024
MAX_EXTENDED_XMP_BYTES = 16 * 1024 * 1024
# A file may hold the same kind of block more than once (two XMP packets, two EXIF segments);
# each is read, because any of them may state a restriction, up to this many of a kind.
MAX_REPEATED_BLOCKS = 8


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
    `more_xmp` and `more_exif` are further packets and EXIF blocks of the same file: the first
    of each kind gives the normalised fields, every one is read for rights. `unreadable`
    lists what may carry rights but could not be cut out (its warning is in `warnings` too).
    `jumbf` holds the parts of a C2PA manifest store (JPEG APP11 segments, a PNG caBX or WebP
    C2PA chunk), found on the same walk, and `jumbf_where` names the container's carrier.
    """

    def add_jumbf(self, where: str, part: bytes) -> None:
        """Keep a part of a C2PA manifest store, within the metadata size limit."""
        if sum(map(len, self.jumbf)) + len(part) <= MAX_BLOCK_BYTES:
            self.jumbf.append(part)
            self.jumbf_where = where

    exif: ImageData | None = None
    xmp: bytes | None = None
    xmp_extended: dict[str, bytes] = field(default_factory=dict)
    iptc: list[IptcBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    more_xmp: list[bytes] = field(default_factory=list)
    more_exif: list[ImageData] = field(default_factory=list)
    unreadable: list[UnreadableBlock] = field(default_factory=list)
    jumbf: list[bytes] = field(default_factory=list)
    jumbf_where: str = ""

    def add_xmp(self, packet: bytes) -> None:
        """The first packet is the main one; later ones are kept for rights, within a limit."""
        if self.xmp is None:
            self.xmp = packet
        elif len(self.more_xmp) < MAX_REPEATED_BLOCKS:
            self.more_xmp.append(packet)
        else:
            self.cannot_read(
                "xmp", f"more than {MAX_REPEATED_BLOCKS + 1} XMP packets; rest skipped"
            )

    def add_exif(self, data: ImageData) -> None:
        """The first EXIF block is the main one; later ones are kept for rights, within a limit."""
        if self.exif is None:
            self.exif = data
        elif len(self.more_exif) < MAX_REPEATED_BLOCKS:
            self.more_exif.append(data)
        else:
            self.cannot_read(
                "exif", f"more than {MAX_REPEATED_BLOCKS + 1} EXIF blocks; rest skipped"
            )

    def cannot_read(self, block: str, warning: str) -> None:
        """Record a block that may carry rights and could not be read, with its warning."""
        self.warnings.append(warning)
        self.unreadable.append(UnreadableBlock(block, warning))
